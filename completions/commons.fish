# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_commons_global_optspecs
    string join \n C/commons= q/quiet v/verbose color= h/help V/version
end

function __fish_commons_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_commons_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_commons_using_subcommand
    set -l cmd (__fish_commons_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c commons -n "__fish_commons_needs_command" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_needs_command" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_needs_command" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_needs_command" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c commons -n "__fish_commons_needs_command" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_needs_command" -f -a "init" -d 'Make a commons: a git repository with commons.yaml and keys/, committed'
complete -c commons -n "__fish_commons_needs_command" -f -a "key" -d 'Member keys: generate, trust, revoke, list'
complete -c commons -n "__fish_commons_needs_command" -f -a "record" -d 'Write a manifest for local files (a fine-tune you made, a dataset you collected)'
complete -c commons -n "__fish_commons_needs_command" -f -a "sign" -d 'Add your minisign signature to manifests (bound to each manifest\'s id and digest)'
complete -c commons -n "__fish_commons_needs_command" -f -a "snapshot" -d 'Sign a snapshot of every manifest\'s digest (done by `commons sign` too)'
complete -c commons -n "__fish_commons_needs_command" -f -a "governance" -d 'Signed governance: the versions of the commons\' members and policy'
complete -c commons -n "__fish_commons_needs_command" -f -a "member" -d 'Members of the commons: propose adding, removing or re-keying one'
complete -c commons -n "__fish_commons_needs_command" -f -a "policy" -d 'The commons\' policy: show it, or propose a change for members to sign'
complete -c commons -n "__fish_commons_needs_command" -f -a "verify" -d 'Check signatures, trust, quorum, lineage digests and files on disk'
complete -c commons -n "__fish_commons_needs_command" -f -a "check" -d 'Check that models and datasets honour every license in their lineage'
complete -c commons -n "__fish_commons_needs_command" -f -a "repin" -d 'Re-pin records\' references to the current digests of their upstream records'
complete -c commons -n "__fish_commons_needs_command" -f -a "update" -d 'Re-pin records\' references to the current digests of their upstream records'
complete -c commons -n "__fish_commons_needs_command" -f -a "fetch" -d 'Download a model or dataset from the Hugging Face Hub, verify every file, draft its manifest'
complete -c commons -n "__fish_commons_needs_command" -f -a "eval" -d 'Evaluate a model locally and record the result in the commons'
complete -c commons -n "__fish_commons_needs_command" -f -a "run" -d 'Run a model locally: generate text, chat, or embed texts'
complete -c commons -n "__fish_commons_needs_command" -f -a "log" -d 'Show the history of the commons, or of one manifest and its signatures'
complete -c commons -n "__fish_commons_needs_command" -f -a "show" -d 'Show one manifest and who has signed it'
complete -c commons -n "__fish_commons_needs_command" -f -a "list" -d 'List the manifests of the commons'
complete -c commons -n "__fish_commons_needs_command" -f -a "tree" -d 'Show the lineage of a record: what it was made from, transitively'
complete -c commons -n "__fish_commons_needs_command" -f -a "export" -d 'Export records as a CycloneDX 1.6 ML-BOM, an SPDX 3.0.1 document (AI and Dataset profiles) or a Hugging Face model card, or evaluation results as lm-evaluation-harness results JSON'
complete -c commons -n "__fish_commons_needs_command" -f -a "openness" -d 'How open a model is: its Model Openness Framework class, what is missing for the next class, and the OSI Open Source AI Definition checklist'
complete -c commons -n "__fish_commons_needs_command" -f -a "schema" -d 'Print the JSON Schema of manifests (or of commons.yaml)'
complete -c commons -n "__fish_commons_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c commons -n "__fish_commons_needs_command" -f -a "man" -d 'Print the man page, or write every command\'s page into a folder'
complete -c commons -n "__fish_commons_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand init" -l name -d 'The commons\' name (default: the folder\'s name)' -r
complete -c commons -n "__fish_commons_using_subcommand init" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand init" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand init" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand init" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand init" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand init" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -f -a "generate" -d 'Make a minisign key pair for a member and add the public key to the commons'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -f -a "trust" -d 'Add a member\'s existing minisign public key (e.g. from `minisign -G`)'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -f -a "revoke" -d 'Revoke a member\'s key: its signatures stop counting'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -f -a "list" -d 'List members and their keys'
complete -c commons -n "__fish_commons_using_subcommand key; and not __fish_seen_subcommand_from generate trust revoke list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -l name -d 'The member\'s name' -r
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -l secret-key -d 'Where to write the secret key (default: the user\'s config folder)' -r -F
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -l no-password -d 'Do not protect the secret key with a password (for CI)'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from generate" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from trust" -l name -d 'The member\'s name' -r
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from trust" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from trust" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from trust" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from trust" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from trust" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from trust" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from revoke" -l reason -d 'Why (recorded in commons.yaml)' -r
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from revoke" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from revoke" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from list" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from list" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from list" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Make a minisign key pair for a member and add the public key to the commons'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "trust" -d 'Add a member\'s existing minisign public key (e.g. from `minisign -G`)'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a member\'s key: its signatures stop counting'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "list" -d 'List members and their keys'
complete -c commons -n "__fish_commons_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -f -a "model" -d 'Record a model'
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -f -a "dataset" -d 'Record a dataset'
complete -c commons -n "__fish_commons_using_subcommand record; and not __fish_seen_subcommand_from model dataset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l license -d 'SPDX license expression, e.g. `Apache-2.0` or `MIT OR Apache-2.0`, or a Hub license id (`apache-2.0`, `llama3.1`), mapped as `fetch` maps it' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l files -d 'Folder whose files (all of them) the manifest lists with size and sha256' -r -F
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l title -d 'A human title for the record (default: its id)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l description -d 'One paragraph saying what the record is' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l notice -d 'Attribution or notice text every copy must carry (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l license-file -d 'A license text among the files, e.g. LICENSE (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l display-attribution -d '"Built with …" text shown where the artifact is offered (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l declared-license -d 'The license the upstream declares (e.g. its model card\'s `license:`) when it differs from what it really carries' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l obtained -d 'A permission or license obtained from a licensor beyond what its license grants, `LICENSE:FOR:EVIDENCE` with FOR one of commercial, derivatives, hosting (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l source-url -d 'Source: a URL (with --retrieved DATE)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l retrieved -d 'Date the URL was retrieved (YYYY-MM-DD)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l source-hub -d 'Source: a Hub repository at a 40-hex commit, `org/name@COMMIT`' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l source-local -d 'Source: made locally; say how' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l derived-from -d 'Upstream model and relation, `org/name:fine-tune` (adapter, merge, quantization, distillation, continued-pretraining); repeatable' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l trained-on -d 'A dataset the model was trained on (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l pretrained-on -d 'A dataset the model was pretrained on from scratch, without a base model (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l use-restriction -d 'A use restriction the model carries (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l published-name -d 'The name the model is published under' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l weights -d 'How the weights reach others: published as files, served behind an API, or kept private' -r -f -a "published\t''
served\t''
private\t''"
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l commercial -d 'Whether the model is offered for commercial use' -r -f -a "true\t''
false\t''"
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l architecture -d 'Model architecture, e.g. llama, qwen2, bert (as in GGUF\'s general.architecture)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l format -d 'File format, e.g. gguf, safetensors' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l component -d 'A published component of the model\'s making, as the Model Openness Framework names them: `KIND[:LICENSE]=LOCATION`, LOCATION a pinned URL or one of the recorded files (its digest is recorded with it), e.g. `training-code:Apache-2.0=https://github.com/org/repo/tree/COMMIT` (repeatable; `commons openness` lists the kinds)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -l force -d 'Replace an existing record of this id (removing its signatures)'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from model" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l license -d 'SPDX license expression, e.g. `Apache-2.0` or `MIT OR Apache-2.0`, or a Hub license id (`apache-2.0`, `llama3.1`), mapped as `fetch` maps it' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l files -d 'Folder whose files (all of them) the manifest lists with size and sha256' -r -F
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l title -d 'A human title for the record (default: its id)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l description -d 'One paragraph saying what the record is' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l notice -d 'Attribution or notice text every copy must carry (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l license-file -d 'A license text among the files, e.g. LICENSE (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l display-attribution -d '"Built with …" text shown where the artifact is offered (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l declared-license -d 'The license the upstream declares (e.g. its model card\'s `license:`) when it differs from what it really carries' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l obtained -d 'A permission or license obtained from a licensor beyond what its license grants, `LICENSE:FOR:EVIDENCE` with FOR one of commercial, derivatives, hosting (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l source-url -d 'Source: a URL (with --retrieved DATE)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l retrieved -d 'Date the URL was retrieved (YYYY-MM-DD)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l source-hub -d 'Source: a Hub repository at a 40-hex commit, `org/name@COMMIT`' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l source-local -d 'Source: made locally; say how' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l collection -d 'How the data was collected' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l consent -d 'What consent the people in the data gave' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l personal-data -d 'Whether and which personal data it holds' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l language -d 'A language of the data, BCP 47 (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l generated-by -d 'The model that generated it, if synthetic' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l upstream -d 'A dataset it was derived from (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l items -d 'Number of items' -r
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -l force -d 'Replace an existing record of this id (removing its signatures)'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from dataset" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from help" -f -a "model" -d 'Record a model'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from help" -f -a "dataset" -d 'Record a dataset'
complete -c commons -n "__fish_commons_using_subcommand record; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand sign" -l as -d 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)' -r
complete -c commons -n "__fish_commons_using_subcommand sign" -l secret-key -d 'Secret key file (default: the member\'s key in the user\'s config folder)' -r -F
complete -c commons -n "__fish_commons_using_subcommand sign" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand sign" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand sign" -l all -d 'Sign every manifest you have not yet signed as it stands (never, or before it was edited)'
complete -c commons -n "__fish_commons_using_subcommand sign" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand sign" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand sign" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand sign" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand snapshot" -l as -d 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)' -r
complete -c commons -n "__fish_commons_using_subcommand snapshot" -l secret-key -d 'Secret key file (default: the member\'s key in the user\'s config folder)' -r -F
complete -c commons -n "__fish_commons_using_subcommand snapshot" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand snapshot" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand snapshot" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand snapshot" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand snapshot" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand snapshot" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -f -a "adopt" -d 'Make the current commons.yaml governance version 1, signed by the members whose keys are here'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -f -a "sign" -d 'Sign the proposed governance version; it is accepted once its threshold is met'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -f -a "log" -d 'Show every governance version, what it changed and who approved it'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -f -a "withdraw" -d 'Withdraw the proposed (not yet accepted) governance version'
complete -c commons -n "__fish_commons_using_subcommand governance; and not __fish_seen_subcommand_from adopt sign log withdraw help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from adopt" -l as -d 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)' -r
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from adopt" -l secret-key -d 'Secret key file (default: the member\'s key in the user\'s config folder)' -r -F
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from adopt" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from adopt" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from adopt" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from adopt" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from adopt" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from adopt" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from sign" -l as -d 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)' -r
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from sign" -l secret-key -d 'Secret key file (default: the member\'s key in the user\'s config folder)' -r -F
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from sign" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from sign" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from sign" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from sign" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from sign" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from log" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from log" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from log" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from log" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from log" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from log" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from withdraw" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from withdraw" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from withdraw" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from withdraw" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from withdraw" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from withdraw" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from help" -f -a "adopt" -d 'Make the current commons.yaml governance version 1, signed by the members whose keys are here'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from help" -f -a "sign" -d 'Sign the proposed governance version; it is accepted once its threshold is met'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from help" -f -a "log" -d 'Show every governance version, what it changed and who approved it'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from help" -f -a "withdraw" -d 'Withdraw the proposed (not yet accepted) governance version'
complete -c commons -n "__fish_commons_using_subcommand governance; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -f -a "add" -d 'Propose a new member with their minisign public key'
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -f -a "remove" -d 'Propose removing a member (their key stops counting once accepted)'
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -f -a "rotate-key" -d 'Propose a member\'s new key; the new key must sign the proposal too'
complete -c commons -n "__fish_commons_using_subcommand member; and not __fish_seen_subcommand_from add remove rotate-key help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from add" -l key -d 'Their public key file (from `minisign -G` or `commons key generate`)' -r -F
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from add" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from add" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from remove" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from remove" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from rotate-key" -l key -d 'The new public key file' -r -F
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from rotate-key" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from rotate-key" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from rotate-key" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from rotate-key" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from rotate-key" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from rotate-key" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "add" -d 'Propose a new member with their minisign public key'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Propose removing a member (their key stops counting once accepted)'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "rotate-key" -d 'Propose a member\'s new key; the new key must sign the proposal too'
complete -c commons -n "__fish_commons_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -f -a "show" -d 'Show the policy of the newest accepted governance version'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -f -a "set" -d 'Propose setting one policy key (the next governance version)'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -f -a "waive" -d 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -f -a "unwaive" -d 'Propose withdrawing the waiver of RULE on record ID'
complete -c commons -n "__fish_commons_using_subcommand policy; and not __fish_seen_subcommand_from show set waive unwaive help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from show" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from show" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from show" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from set" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from set" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from waive" -l reason -d 'Why the commons accepts them' -r
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from waive" -l expires -d 'Last day the waiver applies (YYYY-MM-DD)' -r
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from waive" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from waive" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from waive" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from waive" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from waive" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from waive" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from unwaive" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from unwaive" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from unwaive" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from unwaive" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from unwaive" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from unwaive" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the policy of the newest accepted governance version'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "set" -d 'Propose setting one policy key (the next governance version)'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "waive" -d 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "unwaive" -d 'Propose withdrawing the waiver of RULE on record ID'
complete -c commons -n "__fish_commons_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand verify" -l files -d 'Folder holding the files of the manifest named (DIR), or of one of several (ID=DIR, once per id)' -r
complete -c commons -n "__fish_commons_using_subcommand verify" -l root -d 'The sha256 of governance version 1 you trust (obtained out of band); overrides the root this clone pinned on first use' -r
complete -c commons -n "__fish_commons_using_subcommand verify" -l format -d 'Output: human text, JSON, SARIF 2.1.0 or GitLab\'s code-quality report' -r -f -a "human\t''
json\t''
sarif\t'SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)'
gitlab\t'GitLab\'s code-quality report (a JSON array of issues)'"
complete -c commons -n "__fish_commons_using_subcommand verify" -l allow -d 'Report findings of RULE as notes that do not fail the run (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand verify" -l warn -d 'Report findings of RULE as warnings (fail only with --strict)' -r
complete -c commons -n "__fish_commons_using_subcommand verify" -l deny -d 'Report findings of RULE as errors, waived or not' -r
complete -c commons -n "__fish_commons_using_subcommand verify" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand verify" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand verify" -l no-files -d 'Do not check files, only the records'
complete -c commons -n "__fish_commons_using_subcommand verify" -l strict -d 'Warnings fail the run too'
complete -c commons -n "__fish_commons_using_subcommand verify" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand verify" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c commons -n "__fish_commons_using_subcommand verify" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand check" -l format -d 'Output: human text, JSON, SARIF 2.1.0 or GitLab\'s code-quality report' -r -f -a "human\t''
json\t''
sarif\t'SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)'
gitlab\t'GitLab\'s code-quality report (a JSON array of issues)'"
complete -c commons -n "__fish_commons_using_subcommand check" -l dataset-licenses-bind-weights -d 'Do the licenses of training data bind the trained weights? [default: policy.dataset_licenses_bind_weights in commons.yaml, else true]' -r -f -a "true\t''
false\t''"
complete -c commons -n "__fish_commons_using_subcommand check" -l distillation-is-derivative -d 'Is a model distilled from another (or trained on data it generated) a derivative of it? [default: policy.distillation_is_derivative in commons.yaml, else true]' -r -f -a "true\t''
false\t''"
complete -c commons -n "__fish_commons_using_subcommand check" -l card -d 'The artifact folder of the (single) record checked: its model card (README.md) and LICENSE file are compared with the manifest, and the license files it lists are identified by their content' -r -F
complete -c commons -n "__fish_commons_using_subcommand check" -l allow -d 'Report findings of RULE as notes that do not fail the run (repeatable)' -r
complete -c commons -n "__fish_commons_using_subcommand check" -l warn -d 'Report findings of RULE as warnings (fail only with --strict)' -r
complete -c commons -n "__fish_commons_using_subcommand check" -l deny -d 'Report findings of RULE as errors, waived or not' -r
complete -c commons -n "__fish_commons_using_subcommand check" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand check" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand check" -l strict -d 'Fail on warnings too'
complete -c commons -n "__fish_commons_using_subcommand check" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand check" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c commons -n "__fish_commons_using_subcommand check" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand repin" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand repin" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand repin" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand repin" -l dry-run -d 'Show what would change, write nothing'
complete -c commons -n "__fish_commons_using_subcommand repin" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand repin" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand repin" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c commons -n "__fish_commons_using_subcommand repin" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand update" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand update" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand update" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand update" -l dry-run -d 'Show what would change, write nothing'
complete -c commons -n "__fish_commons_using_subcommand update" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand update" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c commons -n "__fish_commons_using_subcommand update" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand fetch" -l revision -d 'Branch, tag or commit to fetch; the manifest records the commit' -r
complete -c commons -n "__fish_commons_using_subcommand fetch" -l include -d 'Fetch only files matching these globs (`*` also matches `/`); README.md is always fetched' -r
complete -c commons -n "__fish_commons_using_subcommand fetch" -l exclude -d 'Leave out files matching these globs' -r
complete -c commons -n "__fish_commons_using_subcommand fetch" -l format -d 'Output format of the result' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand fetch" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand fetch" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand fetch" -l dataset -d 'The repository is a dataset'
complete -c commons -n "__fish_commons_using_subcommand fetch" -l offline -d 'Use only the local cache (as HF_HUB_OFFLINE=1 does)'
complete -c commons -n "__fish_commons_using_subcommand fetch" -l force -d 'Replace the commons\' manifest of this repository with the new draft'
complete -c commons -n "__fish_commons_using_subcommand fetch" -l no-record -d 'Download and verify only: draft no manifest'
complete -c commons -n "__fish_commons_using_subcommand fetch" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand fetch" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c commons -n "__fish_commons_using_subcommand fetch" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l task -d 'What to evaluate' -r -f -a "perplexity\t''
hellaswag\t''
arc-easy\t''
arc-challenge\t''
piqa\t''
winogrande\t''
lambada\t''
choice\t''
sts\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l data -d 'The task\'s data file, or a folder laid out like the shared data (wikitext2/, hellaswag/, arc_easy/, piqa/, lambada/, stsb/)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l limit -d 'Evaluate only the first N items (documents, chunks, questions or pairs)' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l limit-seed -d 'With --limit N: evaluate N items drawn with this seed instead of the first N, the items (0-based) that Python names with `sorted(random.Random(S).sample(range(TOTAL), N))`' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l num-fewshot -d 'Put K solved examples before each item, drawn from the same data as lm-evaluation-harness draws them (multiple-choice tasks and lambada)' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l fewshot-seed -d 'The seed that draws the few-shot examples (lm-evaluation-harness\'s default)' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -s c -l ctx -l ctx-size -d 'Chunk length for --chunked (default 512); window or maximum sequence length otherwise (default: the model\'s context)' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l shard -d 'Evaluate only shard K of N (contiguous slices; `eval merge` joins them). `auto` (or `auto/N`) takes K, and N, from a job array: $SLURM_ARRAY_TASK_ID and $SLURM_ARRAY_TASK_COUNT, or a Kubernetes Indexed Job\'s $JOB_COMPLETION_INDEX with $COMMONS_SHARD_COUNT' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l files -d 'Folder holding the model\'s files (default: the Hugging Face cache)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l log-samples -d 'Keep every item\'s score: the hashes of the document and the prompt, the target, each choice\'s log-likelihood and the prediction (JSON Lines, zstd). A recorded result keeps them beside its manifest, bound to it by sha256, for `verify` and `eval diff`; a result that is not recorded writes them to FILE' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -s t -l threads -d 'Worker threads (default: one per core)' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l as -d 'The member signing with --sign (default: $COMMONS_MEMBER, else the only member with a secret key here)' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l secret-key -d 'Secret key file for --sign (default: the member\'s key in the user\'s config folder)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l chunked -d 'Perplexity the llama.cpp way: chunks of --ctx tokens, second half scored'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l no-record -d 'Print the result without recording it in the commons'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -l sign -d 'Sign the result as it is recorded, and the snapshot with it, in the same commit (as `commons sign` does)'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -a "merge" -d 'Merge the manifests of the shards of one evaluation into its result'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -a "show" -d 'Compare recorded results across models: one row per model, one column per metric'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -a "list" -d 'List recorded evaluations'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -a "diff" -d 'Compare two results of one task item by item: what changed, and whether the difference is significant'
complete -c commons -n "__fish_commons_using_subcommand eval; and not __fish_seen_subcommand_from merge show list diff help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -l as -d 'The member signing with --sign (default: $COMMONS_MEMBER, else the only member with a secret key here)' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -l secret-key -d 'Secret key file for --sign (default: the member\'s key in the user\'s config folder)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -l no-record -d 'Print the merged result without recording it'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -l allow-unsigned -d 'Accept shards that fewer members signed than the commons\' quorum (signatures they carry must still verify)'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -l sign -d 'Sign the result as it is recorded, and the snapshot with it, in the same commit (as `commons sign` does)'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from merge" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from show" -l task -d 'Only this task' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from show" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from show" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from show" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -l model -d 'Only results of this model' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -l task -d 'Only this task' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -l iterations -d 'Bootstrap resamples' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -l seed -d 'Seed of the bootstrap\'s resampling' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -l alpha -d 'Significance level' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -l show-items -d 'Items listed per metric in human output (JSON lists all)' -r
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from help" -f -a "merge" -d 'Merge the manifests of the shards of one evaluation into its result'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from help" -f -a "show" -d 'Compare recorded results across models: one row per model, one column per metric'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from help" -f -a "list" -d 'List recorded evaluations'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare two results of one task item by item: what changed, and whether the difference is significant'
complete -c commons -n "__fish_commons_using_subcommand eval; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand run" -s p -l prompt -d 'Text to continue (with --chat, the user\'s message); `-` reads it from standard input' -r
complete -c commons -n "__fish_commons_using_subcommand run" -s f -l file -d 'Read the prompt from FILE' -r -F
complete -c commons -n "__fish_commons_using_subcommand run" -l embed -d 'Print the embedding of each text as one JSON array per line (encoder models)' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l system -d 'System message for --chat' -r
complete -c commons -n "__fish_commons_using_subcommand run" -s n -l max-tokens -d 'Generate at most N tokens (per reply with --chat)' -r
complete -c commons -n "__fish_commons_using_subcommand run" -s c -l ctx-size -d 'Context size in tokens: the prompt and what is generated (default: the model\'s)' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l stop -d 'End the output before this text (repeat for several)' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l temperature -l temp -d 'Sampling temperature; 0 always picks the most likely token' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l top-k -d 'Sample only from the K most likely tokens (0: all)' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l top-p -d 'Nucleus sampling: sample from the most likely tokens whose probability reaches P' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l min-p -d 'Drop tokens less likely than P times the most likely one (0: off)' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l repeat-penalty -d 'Penalise tokens seen in the last --repeat-last-n tokens (1: off)' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l repeat-last-n -d 'How many of the latest tokens --repeat-penalty looks back on' -r
complete -c commons -n "__fish_commons_using_subcommand run" -s s -l seed -d 'Seed of the sampler: the same seed gives the same sample' -r
complete -c commons -n "__fish_commons_using_subcommand run" -l files -d 'Folder holding the model\'s files (default: the Hugging Face cache)' -r -F
complete -c commons -n "__fish_commons_using_subcommand run" -s t -l threads -d 'Worker threads (default: one per core)' -r
complete -c commons -n "__fish_commons_using_subcommand run" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand run" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand run" -l chat -d 'Wrap the prompt in the chat template stored with the model; without a prompt on a terminal, chat turn after turn'
complete -c commons -n "__fish_commons_using_subcommand run" -l stats -d 'Print prompt and generation speed on stderr (and, with --chat, the tokens reused from the previous turns)'
complete -c commons -n "__fish_commons_using_subcommand run" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand run" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand run" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand run" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand log" -s n -l max-count -d 'Show at most N entries' -r
complete -c commons -n "__fish_commons_using_subcommand log" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand log" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand log" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand log" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand log" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand log" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand log" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand show" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand show" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand show" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand show" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand show" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand show" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand show" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand list" -l kind -d 'Only this kind' -r -f -a "model\t''
dataset\t''
eval\t''"
complete -c commons -n "__fish_commons_using_subcommand list" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand list" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand list" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand list" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand list" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand list" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand list" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand tree" -l format -d 'Output: an indented tree, Graphviz dot or Mermaid' -r -f -a "text\t''
dot\t''
mermaid\t''"
complete -c commons -n "__fish_commons_using_subcommand tree" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand tree" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand tree" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand tree" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand tree" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand tree" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand export" -l format -d 'Document to write: CycloneDX 1.6 ML-BOM, SPDX 3.0.1 (JSON-LD), a Hugging Face model card or lm-evaluation-harness results' -r -f -a "cyclonedx\t'CycloneDX 1.6 ML-BOM (JSON)'
spdx\t'SPDX 3.0.1 JSON-LD, AI and Dataset profiles'
hf-card\t'Hugging Face model card (README.md with YAML front matter)'
lm-eval\t'lm-evaluation-harness results JSON of an eval record, or of a model\'s latest results'"
complete -c commons -n "__fish_commons_using_subcommand export" -s o -l output -d 'Write the document to this file instead of stdout' -r -F
complete -c commons -n "__fish_commons_using_subcommand export" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand export" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand export" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand export" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c commons -n "__fish_commons_using_subcommand export" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand openness" -l format -d 'Output: human text, or JSON for scripts' -r -f -a "human\t''
json\t''"
complete -c commons -n "__fish_commons_using_subcommand openness" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand openness" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand openness" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand openness" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand openness" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c commons -n "__fish_commons_using_subcommand openness" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand schema" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand schema" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand schema" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand schema" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand schema" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand schema" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand completions" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand completions" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand completions" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand completions" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand completions" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand completions" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand man" -l dir -d 'Write commons.1 and commons-<verb>.1 pages into DIR' -r -F
complete -c commons -n "__fish_commons_using_subcommand man" -s C -l commons -d 'Run as if started in DIR (the commons, or a folder inside it)' -r -F
complete -c commons -n "__fish_commons_using_subcommand man" -l color -d 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c commons -n "__fish_commons_using_subcommand man" -s q -l quiet -d 'Print only results and errors: no progress bars or status lines'
complete -c commons -n "__fish_commons_using_subcommand man" -s v -l verbose -d 'Say on stderr what verify and check examined and what they skipped'
complete -c commons -n "__fish_commons_using_subcommand man" -s h -l help -d 'Print help'
complete -c commons -n "__fish_commons_using_subcommand man" -s V -l version -d 'Print version'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "init" -d 'Make a commons: a git repository with commons.yaml and keys/, committed'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "key" -d 'Member keys: generate, trust, revoke, list'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "record" -d 'Write a manifest for local files (a fine-tune you made, a dataset you collected)'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "sign" -d 'Add your minisign signature to manifests (bound to each manifest\'s id and digest)'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "snapshot" -d 'Sign a snapshot of every manifest\'s digest (done by `commons sign` too)'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "governance" -d 'Signed governance: the versions of the commons\' members and policy'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "member" -d 'Members of the commons: propose adding, removing or re-keying one'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "policy" -d 'The commons\' policy: show it, or propose a change for members to sign'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "verify" -d 'Check signatures, trust, quorum, lineage digests and files on disk'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "check" -d 'Check that models and datasets honour every license in their lineage'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "repin" -d 'Re-pin records\' references to the current digests of their upstream records'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "fetch" -d 'Download a model or dataset from the Hugging Face Hub, verify every file, draft its manifest'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "eval" -d 'Evaluate a model locally and record the result in the commons'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "run" -d 'Run a model locally: generate text, chat, or embed texts'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "log" -d 'Show the history of the commons, or of one manifest and its signatures'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "show" -d 'Show one manifest and who has signed it'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "list" -d 'List the manifests of the commons'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "tree" -d 'Show the lineage of a record: what it was made from, transitively'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "export" -d 'Export records as a CycloneDX 1.6 ML-BOM, an SPDX 3.0.1 document (AI and Dataset profiles) or a Hugging Face model card, or evaluation results as lm-evaluation-harness results JSON'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "openness" -d 'How open a model is: its Model Openness Framework class, what is missing for the next class, and the OSI Open Source AI Definition checklist'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "schema" -d 'Print the JSON Schema of manifests (or of commons.yaml)'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "man" -d 'Print the man page, or write every command\'s page into a folder'
complete -c commons -n "__fish_commons_using_subcommand help; and not __fish_seen_subcommand_from init key record sign snapshot governance member policy verify check repin fetch eval run log show list tree export openness schema completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "generate" -d 'Make a minisign key pair for a member and add the public key to the commons'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "trust" -d 'Add a member\'s existing minisign public key (e.g. from `minisign -G`)'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "revoke" -d 'Revoke a member\'s key: its signatures stop counting'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "list" -d 'List members and their keys'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from record" -f -a "model" -d 'Record a model'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from record" -f -a "dataset" -d 'Record a dataset'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from governance" -f -a "adopt" -d 'Make the current commons.yaml governance version 1, signed by the members whose keys are here'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from governance" -f -a "sign" -d 'Sign the proposed governance version; it is accepted once its threshold is met'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from governance" -f -a "log" -d 'Show every governance version, what it changed and who approved it'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from governance" -f -a "withdraw" -d 'Withdraw the proposed (not yet accepted) governance version'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from member" -f -a "add" -d 'Propose a new member with their minisign public key'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from member" -f -a "remove" -d 'Propose removing a member (their key stops counting once accepted)'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from member" -f -a "rotate-key" -d 'Propose a member\'s new key; the new key must sign the proposal too'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "show" -d 'Show the policy of the newest accepted governance version'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "set" -d 'Propose setting one policy key (the next governance version)'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "waive" -d 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "unwaive" -d 'Propose withdrawing the waiver of RULE on record ID'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from eval" -f -a "merge" -d 'Merge the manifests of the shards of one evaluation into its result'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from eval" -f -a "show" -d 'Compare recorded results across models: one row per model, one column per metric'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from eval" -f -a "list" -d 'List recorded evaluations'
complete -c commons -n "__fish_commons_using_subcommand help; and __fish_seen_subcommand_from eval" -f -a "diff" -d 'Compare two results of one task item by item: what changed, and whether the difference is significant'
