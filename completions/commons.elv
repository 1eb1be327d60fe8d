
use builtin;
use str;

set edit:completion:arg-completer[commons] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'commons'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'commons'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Make a commons: a git repository with commons.yaml and keys/, committed'
            cand key 'Member keys: generate, trust, revoke, list'
            cand record 'Write a manifest for local files (a fine-tune you made, a dataset you collected)'
            cand sign 'Add your minisign signature to manifests (bound to each manifest''s id and digest)'
            cand snapshot 'Sign a snapshot of every manifest''s digest (done by `commons sign` too)'
            cand governance 'Signed governance: the versions of the commons'' members and policy'
            cand member 'Members of the commons: propose adding, removing or re-keying one'
            cand policy 'The commons'' policy: show it, or propose a change for members to sign'
            cand verify 'Check signatures, trust, quorum, lineage digests and files on disk'
            cand check 'Check that models and datasets honour every license in their lineage'
            cand repin 'Re-pin records'' references to the current digests of their upstream records'
            cand update 'Re-pin records'' references to the current digests of their upstream records'
            cand fetch 'Download a model or dataset from the Hugging Face Hub, verify every file, draft its manifest'
            cand eval 'Evaluate a model locally and record the result in the commons'
            cand run 'Run a model locally: generate text, chat, or embed texts'
            cand log 'Show the history of the commons, or of one manifest and its signatures'
            cand show 'Show one manifest and who has signed it'
            cand list 'List the manifests of the commons'
            cand tree 'Show the lineage of a record: what it was made from, transitively'
            cand export 'Export records as a CycloneDX 1.6 ML-BOM, an SPDX 3.0.1 document (AI and Dataset profiles) or a Hugging Face model card, or evaluation results as lm-evaluation-harness results JSON'
            cand openness 'How open a model is: its Model Openness Framework class, what is missing for the next class, and the OSI Open Source AI Definition checklist'
            cand schema 'Print the JSON Schema of manifests (or of commons.yaml)'
            cand completions 'Print the completion script for a shell'
            cand man 'Print the man page, or write every command''s page into a folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;init'= {
            cand --name 'The commons'' name (default: the folder''s name)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;key'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand generate 'Make a minisign key pair for a member and add the public key to the commons'
            cand trust 'Add a member''s existing minisign public key (e.g. from `minisign -G`)'
            cand revoke 'Revoke a member''s key: its signatures stop counting'
            cand list 'List members and their keys'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;key;generate'= {
            cand --name 'The member''s name'
            cand --secret-key 'Where to write the secret key (default: the user''s config folder)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --no-password 'Do not protect the secret key with a password (for CI)'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;key;trust'= {
            cand --name 'The member''s name'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;key;revoke'= {
            cand --reason 'Why (recorded in commons.yaml)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;key;list'= {
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;key;help'= {
            cand generate 'Make a minisign key pair for a member and add the public key to the commons'
            cand trust 'Add a member''s existing minisign public key (e.g. from `minisign -G`)'
            cand revoke 'Revoke a member''s key: its signatures stop counting'
            cand list 'List members and their keys'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;key;help;generate'= {
        }
        &'commons;key;help;trust'= {
        }
        &'commons;key;help;revoke'= {
        }
        &'commons;key;help;list'= {
        }
        &'commons;key;help;help'= {
        }
        &'commons;record'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand model 'Record a model'
            cand dataset 'Record a dataset'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;record;model'= {
            cand --license 'SPDX license expression, e.g. `Apache-2.0` or `MIT OR Apache-2.0`, or a Hub license id (`apache-2.0`, `llama3.1`), mapped as `fetch` maps it'
            cand --files 'Folder whose files (all of them) the manifest lists with size and sha256'
            cand --title 'A human title for the record (default: its id)'
            cand --description 'One paragraph saying what the record is'
            cand --notice 'Attribution or notice text every copy must carry (repeatable)'
            cand --license-file 'A license text among the files, e.g. LICENSE (repeatable)'
            cand --display-attribution '"Built with …" text shown where the artifact is offered (repeatable)'
            cand --declared-license 'The license the upstream declares (e.g. its model card''s `license:`) when it differs from what it really carries'
            cand --obtained 'A permission or license obtained from a licensor beyond what its license grants, `LICENSE:FOR:EVIDENCE` with FOR one of commercial, derivatives, hosting (repeatable)'
            cand --source-url 'Source: a URL (with --retrieved DATE)'
            cand --retrieved 'Date the URL was retrieved (YYYY-MM-DD)'
            cand --source-hub 'Source: a Hub repository at a 40-hex commit, `org/name@COMMIT`'
            cand --source-local 'Source: made locally; say how'
            cand --derived-from 'Upstream model and relation, `org/name:fine-tune` (adapter, merge, quantization, distillation, continued-pretraining); repeatable'
            cand --trained-on 'A dataset the model was trained on (repeatable)'
            cand --pretrained-on 'A dataset the model was pretrained on from scratch, without a base model (repeatable)'
            cand --use-restriction 'A use restriction the model carries (repeatable)'
            cand --published-name 'The name the model is published under'
            cand --weights 'How the weights reach others: published as files, served behind an API, or kept private'
            cand --commercial 'Whether the model is offered for commercial use'
            cand --architecture 'Model architecture, e.g. llama, qwen2, bert (as in GGUF''s general.architecture)'
            cand --format 'File format, e.g. gguf, safetensors'
            cand --component 'A published component of the model''s making, as the Model Openness Framework names them: `KIND[:LICENSE]=LOCATION`, LOCATION a pinned URL or one of the recorded files (its digest is recorded with it), e.g. `training-code:Apache-2.0=https://github.com/org/repo/tree/COMMIT` (repeatable; `commons openness` lists the kinds)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --force 'Replace an existing record of this id (removing its signatures)'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;record;dataset'= {
            cand --license 'SPDX license expression, e.g. `Apache-2.0` or `MIT OR Apache-2.0`, or a Hub license id (`apache-2.0`, `llama3.1`), mapped as `fetch` maps it'
            cand --files 'Folder whose files (all of them) the manifest lists with size and sha256'
            cand --title 'A human title for the record (default: its id)'
            cand --description 'One paragraph saying what the record is'
            cand --notice 'Attribution or notice text every copy must carry (repeatable)'
            cand --license-file 'A license text among the files, e.g. LICENSE (repeatable)'
            cand --display-attribution '"Built with …" text shown where the artifact is offered (repeatable)'
            cand --declared-license 'The license the upstream declares (e.g. its model card''s `license:`) when it differs from what it really carries'
            cand --obtained 'A permission or license obtained from a licensor beyond what its license grants, `LICENSE:FOR:EVIDENCE` with FOR one of commercial, derivatives, hosting (repeatable)'
            cand --source-url 'Source: a URL (with --retrieved DATE)'
            cand --retrieved 'Date the URL was retrieved (YYYY-MM-DD)'
            cand --source-hub 'Source: a Hub repository at a 40-hex commit, `org/name@COMMIT`'
            cand --source-local 'Source: made locally; say how'
            cand --collection 'How the data was collected'
            cand --consent 'What consent the people in the data gave'
            cand --personal-data 'Whether and which personal data it holds'
            cand --language 'A language of the data, BCP 47 (repeatable)'
            cand --generated-by 'The model that generated it, if synthetic'
            cand --upstream 'A dataset it was derived from (repeatable)'
            cand --items 'Number of items'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --force 'Replace an existing record of this id (removing its signatures)'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;record;help'= {
            cand model 'Record a model'
            cand dataset 'Record a dataset'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;record;help;model'= {
        }
        &'commons;record;help;dataset'= {
        }
        &'commons;record;help;help'= {
        }
        &'commons;sign'= {
            cand --as 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)'
            cand --secret-key 'Secret key file (default: the member''s key in the user''s config folder)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --all 'Sign every manifest you have not yet signed as it stands (never, or before it was edited)'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;snapshot'= {
            cand --as 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)'
            cand --secret-key 'Secret key file (default: the member''s key in the user''s config folder)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;governance'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand adopt 'Make the current commons.yaml governance version 1, signed by the members whose keys are here'
            cand sign 'Sign the proposed governance version; it is accepted once its threshold is met'
            cand log 'Show every governance version, what it changed and who approved it'
            cand withdraw 'Withdraw the proposed (not yet accepted) governance version'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;governance;adopt'= {
            cand --as 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)'
            cand --secret-key 'Secret key file (default: the member''s key in the user''s config folder)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;governance;sign'= {
            cand --as 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)'
            cand --secret-key 'Secret key file (default: the member''s key in the user''s config folder)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;governance;log'= {
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;governance;withdraw'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;governance;help'= {
            cand adopt 'Make the current commons.yaml governance version 1, signed by the members whose keys are here'
            cand sign 'Sign the proposed governance version; it is accepted once its threshold is met'
            cand log 'Show every governance version, what it changed and who approved it'
            cand withdraw 'Withdraw the proposed (not yet accepted) governance version'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;governance;help;adopt'= {
        }
        &'commons;governance;help;sign'= {
        }
        &'commons;governance;help;log'= {
        }
        &'commons;governance;help;withdraw'= {
        }
        &'commons;governance;help;help'= {
        }
        &'commons;member'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Propose a new member with their minisign public key'
            cand remove 'Propose removing a member (their key stops counting once accepted)'
            cand rotate-key 'Propose a member''s new key; the new key must sign the proposal too'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;member;add'= {
            cand --key 'Their public key file (from `minisign -G` or `commons key generate`)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;member;remove'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;member;rotate-key'= {
            cand --key 'The new public key file'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;member;help'= {
            cand add 'Propose a new member with their minisign public key'
            cand remove 'Propose removing a member (their key stops counting once accepted)'
            cand rotate-key 'Propose a member''s new key; the new key must sign the proposal too'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;member;help;add'= {
        }
        &'commons;member;help;remove'= {
        }
        &'commons;member;help;rotate-key'= {
        }
        &'commons;member;help;help'= {
        }
        &'commons;policy'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show the policy of the newest accepted governance version'
            cand set 'Propose setting one policy key (the next governance version)'
            cand waive 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason'
            cand unwaive 'Propose withdrawing the waiver of RULE on record ID'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;policy;show'= {
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;policy;set'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;policy;waive'= {
            cand --reason 'Why the commons accepts them'
            cand --expires 'Last day the waiver applies (YYYY-MM-DD)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;policy;unwaive'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;policy;help'= {
            cand show 'Show the policy of the newest accepted governance version'
            cand set 'Propose setting one policy key (the next governance version)'
            cand waive 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason'
            cand unwaive 'Propose withdrawing the waiver of RULE on record ID'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;policy;help;show'= {
        }
        &'commons;policy;help;set'= {
        }
        &'commons;policy;help;waive'= {
        }
        &'commons;policy;help;unwaive'= {
        }
        &'commons;policy;help;help'= {
        }
        &'commons;verify'= {
            cand --files 'Folder holding the files of the manifest named (DIR), or of one of several (ID=DIR, once per id)'
            cand --root 'The sha256 of governance version 1 you trust (obtained out of band); overrides the root this clone pinned on first use'
            cand --format 'Output: human text, JSON, SARIF 2.1.0 or GitLab''s code-quality report'
            cand --allow 'Report findings of RULE as notes that do not fail the run (repeatable)'
            cand --warn 'Report findings of RULE as warnings (fail only with --strict)'
            cand --deny 'Report findings of RULE as errors, waived or not'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --no-files 'Do not check files, only the records'
            cand --strict 'Warnings fail the run too'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;check'= {
            cand --format 'Output: human text, JSON, SARIF 2.1.0 or GitLab''s code-quality report'
            cand --dataset-licenses-bind-weights 'Do the licenses of training data bind the trained weights? [default: policy.dataset_licenses_bind_weights in commons.yaml, else true]'
            cand --distillation-is-derivative 'Is a model distilled from another (or trained on data it generated) a derivative of it? [default: policy.distillation_is_derivative in commons.yaml, else true]'
            cand --card 'The artifact folder of the (single) record checked: its model card (README.md) and LICENSE file are compared with the manifest, and the license files it lists are identified by their content'
            cand --allow 'Report findings of RULE as notes that do not fail the run (repeatable)'
            cand --warn 'Report findings of RULE as warnings (fail only with --strict)'
            cand --deny 'Report findings of RULE as errors, waived or not'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --strict 'Fail on warnings too'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;repin'= {
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --dry-run 'Show what would change, write nothing'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;update'= {
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --dry-run 'Show what would change, write nothing'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;fetch'= {
            cand --revision 'Branch, tag or commit to fetch; the manifest records the commit'
            cand --include 'Fetch only files matching these globs (`*` also matches `/`); README.md is always fetched'
            cand --exclude 'Leave out files matching these globs'
            cand --format 'Output format of the result'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --dataset 'The repository is a dataset'
            cand --offline 'Use only the local cache (as HF_HUB_OFFLINE=1 does)'
            cand --force 'Replace the commons'' manifest of this repository with the new draft'
            cand --no-record 'Download and verify only: draft no manifest'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;eval'= {
            cand --task 'What to evaluate'
            cand --data 'The task''s data file, or a folder laid out like the shared data (wikitext2/, hellaswag/, arc_easy/, piqa/, lambada/, stsb/)'
            cand --limit 'Evaluate only the first N items (documents, chunks, questions or pairs)'
            cand --limit-seed 'With --limit N: evaluate N items drawn with this seed instead of the first N, the items (0-based) that Python names with `sorted(random.Random(S).sample(range(TOTAL), N))`'
            cand --num-fewshot 'Put K solved examples before each item, drawn from the same data as lm-evaluation-harness draws them (multiple-choice tasks and lambada)'
            cand --fewshot-seed 'The seed that draws the few-shot examples (lm-evaluation-harness''s default)'
            cand -c 'Chunk length for --chunked (default 512); window or maximum sequence length otherwise (default: the model''s context)'
            cand --ctx 'Chunk length for --chunked (default 512); window or maximum sequence length otherwise (default: the model''s context)'
            cand --ctx-size 'Chunk length for --chunked (default 512); window or maximum sequence length otherwise (default: the model''s context)'
            cand --shard 'Evaluate only shard K of N (contiguous slices; `eval merge` joins them). `auto` (or `auto/N`) takes K, and N, from a job array: $SLURM_ARRAY_TASK_ID and $SLURM_ARRAY_TASK_COUNT, or a Kubernetes Indexed Job''s $JOB_COMPLETION_INDEX with $COMMONS_SHARD_COUNT'
            cand --files 'Folder holding the model''s files (default: the Hugging Face cache)'
            cand --log-samples 'Keep every item''s score: the hashes of the document and the prompt, the target, each choice''s log-likelihood and the prediction (JSON Lines, zstd). A recorded result keeps them beside its manifest, bound to it by sha256, for `verify` and `eval diff`; a result that is not recorded writes them to FILE'
            cand -t 'Worker threads (default: one per core)'
            cand --threads 'Worker threads (default: one per core)'
            cand --as 'The member signing with --sign (default: $COMMONS_MEMBER, else the only member with a secret key here)'
            cand --secret-key 'Secret key file for --sign (default: the member''s key in the user''s config folder)'
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --chunked 'Perplexity the llama.cpp way: chunks of --ctx tokens, second half scored'
            cand --no-record 'Print the result without recording it in the commons'
            cand --sign 'Sign the result as it is recorded, and the snapshot with it, in the same commit (as `commons sign` does)'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand merge 'Merge the manifests of the shards of one evaluation into its result'
            cand show 'Compare recorded results across models: one row per model, one column per metric'
            cand list 'List recorded evaluations'
            cand diff 'Compare two results of one task item by item: what changed, and whether the difference is significant'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;eval;merge'= {
            cand --as 'The member signing with --sign (default: $COMMONS_MEMBER, else the only member with a secret key here)'
            cand --secret-key 'Secret key file for --sign (default: the member''s key in the user''s config folder)'
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --no-record 'Print the merged result without recording it'
            cand --allow-unsigned 'Accept shards that fewer members signed than the commons'' quorum (signatures they carry must still verify)'
            cand --sign 'Sign the result as it is recorded, and the snapshot with it, in the same commit (as `commons sign` does)'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;eval;show'= {
            cand --task 'Only this task'
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;eval;list'= {
            cand --model 'Only results of this model'
            cand --task 'Only this task'
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;eval;diff'= {
            cand --iterations 'Bootstrap resamples'
            cand --seed 'Seed of the bootstrap''s resampling'
            cand --alpha 'Significance level'
            cand --show-items 'Items listed per metric in human output (JSON lists all)'
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;eval;help'= {
            cand merge 'Merge the manifests of the shards of one evaluation into its result'
            cand show 'Compare recorded results across models: one row per model, one column per metric'
            cand list 'List recorded evaluations'
            cand diff 'Compare two results of one task item by item: what changed, and whether the difference is significant'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;eval;help;merge'= {
        }
        &'commons;eval;help;show'= {
        }
        &'commons;eval;help;list'= {
        }
        &'commons;eval;help;diff'= {
        }
        &'commons;eval;help;help'= {
        }
        &'commons;run'= {
            cand -p 'Text to continue (with --chat, the user''s message); `-` reads it from standard input'
            cand --prompt 'Text to continue (with --chat, the user''s message); `-` reads it from standard input'
            cand -f 'Read the prompt from FILE'
            cand --file 'Read the prompt from FILE'
            cand --embed 'Print the embedding of each text as one JSON array per line (encoder models)'
            cand --system 'System message for --chat'
            cand -n 'Generate at most N tokens (per reply with --chat)'
            cand --max-tokens 'Generate at most N tokens (per reply with --chat)'
            cand -c 'Context size in tokens: the prompt and what is generated (default: the model''s)'
            cand --ctx-size 'Context size in tokens: the prompt and what is generated (default: the model''s)'
            cand --stop 'End the output before this text (repeat for several)'
            cand --temperature 'Sampling temperature; 0 always picks the most likely token'
            cand --temp 'Sampling temperature; 0 always picks the most likely token'
            cand --top-k 'Sample only from the K most likely tokens (0: all)'
            cand --top-p 'Nucleus sampling: sample from the most likely tokens whose probability reaches P'
            cand --min-p 'Drop tokens less likely than P times the most likely one (0: off)'
            cand --repeat-penalty 'Penalise tokens seen in the last --repeat-last-n tokens (1: off)'
            cand --repeat-last-n 'How many of the latest tokens --repeat-penalty looks back on'
            cand -s 'Seed of the sampler: the same seed gives the same sample'
            cand --seed 'Seed of the sampler: the same seed gives the same sample'
            cand --files 'Folder holding the model''s files (default: the Hugging Face cache)'
            cand -t 'Worker threads (default: one per core)'
            cand --threads 'Worker threads (default: one per core)'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand --chat 'Wrap the prompt in the chat template stored with the model; without a prompt on a terminal, chat turn after turn'
            cand --stats 'Print prompt and generation speed on stderr (and, with --chat, the tokens reused from the previous turns)'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;log'= {
            cand -n 'Show at most N entries'
            cand --max-count 'Show at most N entries'
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;show'= {
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;list'= {
            cand --kind 'Only this kind'
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;tree'= {
            cand --format 'Output: an indented tree, Graphviz dot or Mermaid'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;export'= {
            cand --format 'Document to write: CycloneDX 1.6 ML-BOM, SPDX 3.0.1 (JSON-LD), a Hugging Face model card or lm-evaluation-harness results'
            cand -o 'Write the document to this file instead of stdout'
            cand --output 'Write the document to this file instead of stdout'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;openness'= {
            cand --format 'Output: human text, or JSON for scripts'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;schema'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;completions'= {
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;man'= {
            cand --dir 'Write commons.1 and commons-<verb>.1 pages into DIR'
            cand -C 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --commons 'Run as if started in DIR (the commons, or a folder inside it)'
            cand --color 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never'
            cand -q 'Print only results and errors: no progress bars or status lines'
            cand --quiet 'Print only results and errors: no progress bars or status lines'
            cand -v 'Say on stderr what verify and check examined and what they skipped'
            cand --verbose 'Say on stderr what verify and check examined and what they skipped'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'commons;help'= {
            cand init 'Make a commons: a git repository with commons.yaml and keys/, committed'
            cand key 'Member keys: generate, trust, revoke, list'
            cand record 'Write a manifest for local files (a fine-tune you made, a dataset you collected)'
            cand sign 'Add your minisign signature to manifests (bound to each manifest''s id and digest)'
            cand snapshot 'Sign a snapshot of every manifest''s digest (done by `commons sign` too)'
            cand governance 'Signed governance: the versions of the commons'' members and policy'
            cand member 'Members of the commons: propose adding, removing or re-keying one'
            cand policy 'The commons'' policy: show it, or propose a change for members to sign'
            cand verify 'Check signatures, trust, quorum, lineage digests and files on disk'
            cand check 'Check that models and datasets honour every license in their lineage'
            cand repin 'Re-pin records'' references to the current digests of their upstream records'
            cand fetch 'Download a model or dataset from the Hugging Face Hub, verify every file, draft its manifest'
            cand eval 'Evaluate a model locally and record the result in the commons'
            cand run 'Run a model locally: generate text, chat, or embed texts'
            cand log 'Show the history of the commons, or of one manifest and its signatures'
            cand show 'Show one manifest and who has signed it'
            cand list 'List the manifests of the commons'
            cand tree 'Show the lineage of a record: what it was made from, transitively'
            cand export 'Export records as a CycloneDX 1.6 ML-BOM, an SPDX 3.0.1 document (AI and Dataset profiles) or a Hugging Face model card, or evaluation results as lm-evaluation-harness results JSON'
            cand openness 'How open a model is: its Model Openness Framework class, what is missing for the next class, and the OSI Open Source AI Definition checklist'
            cand schema 'Print the JSON Schema of manifests (or of commons.yaml)'
            cand completions 'Print the completion script for a shell'
            cand man 'Print the man page, or write every command''s page into a folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'commons;help;init'= {
        }
        &'commons;help;key'= {
            cand generate 'Make a minisign key pair for a member and add the public key to the commons'
            cand trust 'Add a member''s existing minisign public key (e.g. from `minisign -G`)'
            cand revoke 'Revoke a member''s key: its signatures stop counting'
            cand list 'List members and their keys'
        }
        &'commons;help;key;generate'= {
        }
        &'commons;help;key;trust'= {
        }
        &'commons;help;key;revoke'= {
        }
        &'commons;help;key;list'= {
        }
        &'commons;help;record'= {
            cand model 'Record a model'
            cand dataset 'Record a dataset'
        }
        &'commons;help;record;model'= {
        }
        &'commons;help;record;dataset'= {
        }
        &'commons;help;sign'= {
        }
        &'commons;help;snapshot'= {
        }
        &'commons;help;governance'= {
            cand adopt 'Make the current commons.yaml governance version 1, signed by the members whose keys are here'
            cand sign 'Sign the proposed governance version; it is accepted once its threshold is met'
            cand log 'Show every governance version, what it changed and who approved it'
            cand withdraw 'Withdraw the proposed (not yet accepted) governance version'
        }
        &'commons;help;governance;adopt'= {
        }
        &'commons;help;governance;sign'= {
        }
        &'commons;help;governance;log'= {
        }
        &'commons;help;governance;withdraw'= {
        }
        &'commons;help;member'= {
            cand add 'Propose a new member with their minisign public key'
            cand remove 'Propose removing a member (their key stops counting once accepted)'
            cand rotate-key 'Propose a member''s new key; the new key must sign the proposal too'
        }
        &'commons;help;member;add'= {
        }
        &'commons;help;member;remove'= {
        }
        &'commons;help;member;rotate-key'= {
        }
        &'commons;help;policy'= {
            cand show 'Show the policy of the newest accepted governance version'
            cand set 'Propose setting one policy key (the next governance version)'
            cand waive 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason'
            cand unwaive 'Propose withdrawing the waiver of RULE on record ID'
        }
        &'commons;help;policy;show'= {
        }
        &'commons;help;policy;set'= {
        }
        &'commons;help;policy;waive'= {
        }
        &'commons;help;policy;unwaive'= {
        }
        &'commons;help;verify'= {
        }
        &'commons;help;check'= {
        }
        &'commons;help;repin'= {
        }
        &'commons;help;fetch'= {
        }
        &'commons;help;eval'= {
            cand merge 'Merge the manifests of the shards of one evaluation into its result'
            cand show 'Compare recorded results across models: one row per model, one column per metric'
            cand list 'List recorded evaluations'
            cand diff 'Compare two results of one task item by item: what changed, and whether the difference is significant'
        }
        &'commons;help;eval;merge'= {
        }
        &'commons;help;eval;show'= {
        }
        &'commons;help;eval;list'= {
        }
        &'commons;help;eval;diff'= {
        }
        &'commons;help;run'= {
        }
        &'commons;help;log'= {
        }
        &'commons;help;show'= {
        }
        &'commons;help;list'= {
        }
        &'commons;help;tree'= {
        }
        &'commons;help;export'= {
        }
        &'commons;help;openness'= {
        }
        &'commons;help;schema'= {
        }
        &'commons;help;completions'= {
        }
        &'commons;help;man'= {
        }
        &'commons;help;help'= {
        }
    ]
    $completions[$command]
}
