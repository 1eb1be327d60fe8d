
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'commons' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'commons'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'commons' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Make a commons: a git repository with commons.yaml and keys/, committed')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Member keys: generate, trust, revoke, list')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Write a manifest for local files (a fine-tune you made, a dataset you collected)')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Add your minisign signature to manifests (bound to each manifest''s id and digest)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Sign a snapshot of every manifest''s digest (done by `commons sign` too)')
            [CompletionResult]::new('governance', 'governance', [CompletionResultType]::ParameterValue, 'Signed governance: the versions of the commons'' members and policy')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'Members of the commons: propose adding, removing or re-keying one')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'The commons'' policy: show it, or propose a change for members to sign')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check signatures, trust, quorum, lineage digests and files on disk')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that models and datasets honour every license in their lineage')
            [CompletionResult]::new('repin', 'repin', [CompletionResultType]::ParameterValue, 'Re-pin records'' references to the current digests of their upstream records')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Re-pin records'' references to the current digests of their upstream records')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download a model or dataset from the Hugging Face Hub, verify every file, draft its manifest')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a model locally and record the result in the commons')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a model locally: generate text, chat, or embed texts')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history of the commons, or of one manifest and its signatures')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one manifest and who has signed it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the manifests of the commons')
            [CompletionResult]::new('tree', 'tree', [CompletionResultType]::ParameterValue, 'Show the lineage of a record: what it was made from, transitively')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export records as a CycloneDX 1.6 ML-BOM, an SPDX 3.0.1 document (AI and Dataset profiles) or a Hugging Face model card, or evaluation results as lm-evaluation-harness results JSON')
            [CompletionResult]::new('openness', 'openness', [CompletionResultType]::ParameterValue, 'How open a model is: its Model Openness Framework class, what is missing for the next class, and the OSI Open Source AI Definition checklist')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of manifests (or of commons.yaml)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write every command''s page into a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;init' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The commons'' name (default: the folder''s name)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;key' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Make a minisign key pair for a member and add the public key to the commons')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Add a member''s existing minisign public key (e.g. from `minisign -G`)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a member''s key: its signatures stop counting')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List members and their keys')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;key;generate' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The member''s name')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'Where to write the secret key (default: the user''s config folder)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--no-password', '--no-password', [CompletionResultType]::ParameterName, 'Do not protect the secret key with a password (for CI)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;key;trust' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The member''s name')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;key;revoke' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (recorded in commons.yaml)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;key;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;key;help' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Make a minisign key pair for a member and add the public key to the commons')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Add a member''s existing minisign public key (e.g. from `minisign -G`)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a member''s key: its signatures stop counting')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List members and their keys')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;key;help;generate' {
            break
        }
        'commons;key;help;trust' {
            break
        }
        'commons;key;help;revoke' {
            break
        }
        'commons;key;help;list' {
            break
        }
        'commons;key;help;help' {
            break
        }
        'commons;record' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'Record a model')
            [CompletionResult]::new('dataset', 'dataset', [CompletionResultType]::ParameterValue, 'Record a dataset')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;record;model' {
            [CompletionResult]::new('--license', '--license', [CompletionResultType]::ParameterName, 'SPDX license expression, e.g. `Apache-2.0` or `MIT OR Apache-2.0`, or a Hub license id (`apache-2.0`, `llama3.1`), mapped as `fetch` maps it')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'Folder whose files (all of them) the manifest lists with size and sha256')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'A human title for the record (default: its id)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'One paragraph saying what the record is')
            [CompletionResult]::new('--notice', '--notice', [CompletionResultType]::ParameterName, 'Attribution or notice text every copy must carry (repeatable)')
            [CompletionResult]::new('--license-file', '--license-file', [CompletionResultType]::ParameterName, 'A license text among the files, e.g. LICENSE (repeatable)')
            [CompletionResult]::new('--display-attribution', '--display-attribution', [CompletionResultType]::ParameterName, '"Built with …" text shown where the artifact is offered (repeatable)')
            [CompletionResult]::new('--declared-license', '--declared-license', [CompletionResultType]::ParameterName, 'The license the upstream declares (e.g. its model card''s `license:`) when it differs from what it really carries')
            [CompletionResult]::new('--obtained', '--obtained', [CompletionResultType]::ParameterName, 'A permission or license obtained from a licensor beyond what its license grants, `LICENSE:FOR:EVIDENCE` with FOR one of commercial, derivatives, hosting (repeatable)')
            [CompletionResult]::new('--source-url', '--source-url', [CompletionResultType]::ParameterName, 'Source: a URL (with --retrieved DATE)')
            [CompletionResult]::new('--retrieved', '--retrieved', [CompletionResultType]::ParameterName, 'Date the URL was retrieved (YYYY-MM-DD)')
            [CompletionResult]::new('--source-hub', '--source-hub', [CompletionResultType]::ParameterName, 'Source: a Hub repository at a 40-hex commit, `org/name@COMMIT`')
            [CompletionResult]::new('--source-local', '--source-local', [CompletionResultType]::ParameterName, 'Source: made locally; say how')
            [CompletionResult]::new('--derived-from', '--derived-from', [CompletionResultType]::ParameterName, 'Upstream model and relation, `org/name:fine-tune` (adapter, merge, quantization, distillation, continued-pretraining); repeatable')
            [CompletionResult]::new('--trained-on', '--trained-on', [CompletionResultType]::ParameterName, 'A dataset the model was trained on (repeatable)')
            [CompletionResult]::new('--pretrained-on', '--pretrained-on', [CompletionResultType]::ParameterName, 'A dataset the model was pretrained on from scratch, without a base model (repeatable)')
            [CompletionResult]::new('--use-restriction', '--use-restriction', [CompletionResultType]::ParameterName, 'A use restriction the model carries (repeatable)')
            [CompletionResult]::new('--published-name', '--published-name', [CompletionResultType]::ParameterName, 'The name the model is published under')
            [CompletionResult]::new('--weights', '--weights', [CompletionResultType]::ParameterName, 'How the weights reach others: published as files, served behind an API, or kept private')
            [CompletionResult]::new('--commercial', '--commercial', [CompletionResultType]::ParameterName, 'Whether the model is offered for commercial use')
            [CompletionResult]::new('--architecture', '--architecture', [CompletionResultType]::ParameterName, 'Model architecture, e.g. llama, qwen2, bert (as in GGUF''s general.architecture)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'File format, e.g. gguf, safetensors')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'A published component of the model''s making, as the Model Openness Framework names them: `KIND[:LICENSE]=LOCATION`, LOCATION a pinned URL or one of the recorded files (its digest is recorded with it), e.g. `training-code:Apache-2.0=https://github.com/org/repo/tree/COMMIT` (repeatable; `commons openness` lists the kinds)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing record of this id (removing its signatures)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;record;dataset' {
            [CompletionResult]::new('--license', '--license', [CompletionResultType]::ParameterName, 'SPDX license expression, e.g. `Apache-2.0` or `MIT OR Apache-2.0`, or a Hub license id (`apache-2.0`, `llama3.1`), mapped as `fetch` maps it')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'Folder whose files (all of them) the manifest lists with size and sha256')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'A human title for the record (default: its id)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'One paragraph saying what the record is')
            [CompletionResult]::new('--notice', '--notice', [CompletionResultType]::ParameterName, 'Attribution or notice text every copy must carry (repeatable)')
            [CompletionResult]::new('--license-file', '--license-file', [CompletionResultType]::ParameterName, 'A license text among the files, e.g. LICENSE (repeatable)')
            [CompletionResult]::new('--display-attribution', '--display-attribution', [CompletionResultType]::ParameterName, '"Built with …" text shown where the artifact is offered (repeatable)')
            [CompletionResult]::new('--declared-license', '--declared-license', [CompletionResultType]::ParameterName, 'The license the upstream declares (e.g. its model card''s `license:`) when it differs from what it really carries')
            [CompletionResult]::new('--obtained', '--obtained', [CompletionResultType]::ParameterName, 'A permission or license obtained from a licensor beyond what its license grants, `LICENSE:FOR:EVIDENCE` with FOR one of commercial, derivatives, hosting (repeatable)')
            [CompletionResult]::new('--source-url', '--source-url', [CompletionResultType]::ParameterName, 'Source: a URL (with --retrieved DATE)')
            [CompletionResult]::new('--retrieved', '--retrieved', [CompletionResultType]::ParameterName, 'Date the URL was retrieved (YYYY-MM-DD)')
            [CompletionResult]::new('--source-hub', '--source-hub', [CompletionResultType]::ParameterName, 'Source: a Hub repository at a 40-hex commit, `org/name@COMMIT`')
            [CompletionResult]::new('--source-local', '--source-local', [CompletionResultType]::ParameterName, 'Source: made locally; say how')
            [CompletionResult]::new('--collection', '--collection', [CompletionResultType]::ParameterName, 'How the data was collected')
            [CompletionResult]::new('--consent', '--consent', [CompletionResultType]::ParameterName, 'What consent the people in the data gave')
            [CompletionResult]::new('--personal-data', '--personal-data', [CompletionResultType]::ParameterName, 'Whether and which personal data it holds')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'A language of the data, BCP 47 (repeatable)')
            [CompletionResult]::new('--generated-by', '--generated-by', [CompletionResultType]::ParameterName, 'The model that generated it, if synthetic')
            [CompletionResult]::new('--upstream', '--upstream', [CompletionResultType]::ParameterName, 'A dataset it was derived from (repeatable)')
            [CompletionResult]::new('--items', '--items', [CompletionResultType]::ParameterName, 'Number of items')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing record of this id (removing its signatures)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;record;help' {
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'Record a model')
            [CompletionResult]::new('dataset', 'dataset', [CompletionResultType]::ParameterValue, 'Record a dataset')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;record;help;model' {
            break
        }
        'commons;record;help;dataset' {
            break
        }
        'commons;record;help;help' {
            break
        }
        'commons;sign' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'Secret key file (default: the member''s key in the user''s config folder)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Sign every manifest you have not yet signed as it stands (never, or before it was edited)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;snapshot' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'Secret key file (default: the member''s key in the user''s config folder)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;governance' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Make the current commons.yaml governance version 1, signed by the members whose keys are here')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign the proposed governance version; it is accepted once its threshold is met')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show every governance version, what it changed and who approved it')
            [CompletionResult]::new('withdraw', 'withdraw', [CompletionResultType]::ParameterValue, 'Withdraw the proposed (not yet accepted) governance version')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;governance;adopt' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'Secret key file (default: the member''s key in the user''s config folder)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;governance;sign' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The member signing (default: $COMMONS_MEMBER, else the only member with a secret key here)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'Secret key file (default: the member''s key in the user''s config folder)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;governance;log' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;governance;withdraw' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;governance;help' {
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Make the current commons.yaml governance version 1, signed by the members whose keys are here')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign the proposed governance version; it is accepted once its threshold is met')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show every governance version, what it changed and who approved it')
            [CompletionResult]::new('withdraw', 'withdraw', [CompletionResultType]::ParameterValue, 'Withdraw the proposed (not yet accepted) governance version')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;governance;help;adopt' {
            break
        }
        'commons;governance;help;sign' {
            break
        }
        'commons;governance;help;log' {
            break
        }
        'commons;governance;help;withdraw' {
            break
        }
        'commons;governance;help;help' {
            break
        }
        'commons;member' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Propose a new member with their minisign public key')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Propose removing a member (their key stops counting once accepted)')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Propose a member''s new key; the new key must sign the proposal too')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;member;add' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Their public key file (from `minisign -G` or `commons key generate`)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;member;remove' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;member;rotate-key' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The new public key file')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;member;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Propose a new member with their minisign public key')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Propose removing a member (their key stops counting once accepted)')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Propose a member''s new key; the new key must sign the proposal too')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;member;help;add' {
            break
        }
        'commons;member;help;remove' {
            break
        }
        'commons;member;help;rotate-key' {
            break
        }
        'commons;member;help;help' {
            break
        }
        'commons;policy' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the policy of the newest accepted governance version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Propose setting one policy key (the next governance version)')
            [CompletionResult]::new('waive', 'waive', [CompletionResultType]::ParameterValue, 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason')
            [CompletionResult]::new('unwaive', 'unwaive', [CompletionResultType]::ParameterValue, 'Propose withdrawing the waiver of RULE on record ID')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;policy;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;policy;set' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;policy;waive' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the commons accepts them')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Last day the waiver applies (YYYY-MM-DD)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;policy;unwaive' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;policy;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the policy of the newest accepted governance version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Propose setting one policy key (the next governance version)')
            [CompletionResult]::new('waive', 'waive', [CompletionResultType]::ParameterValue, 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason')
            [CompletionResult]::new('unwaive', 'unwaive', [CompletionResultType]::ParameterValue, 'Propose withdrawing the waiver of RULE on record ID')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;policy;help;show' {
            break
        }
        'commons;policy;help;set' {
            break
        }
        'commons;policy;help;waive' {
            break
        }
        'commons;policy;help;unwaive' {
            break
        }
        'commons;policy;help;help' {
            break
        }
        'commons;verify' {
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'Folder holding the files of the manifest named (DIR), or of one of several (ID=DIR, once per id)')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'The sha256 of governance version 1 you trust (obtained out of band); overrides the root this clone pinned on first use')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, JSON, SARIF 2.1.0 or GitLab''s code-quality report')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Report findings of RULE as notes that do not fail the run (repeatable)')
            [CompletionResult]::new('--warn', '--warn', [CompletionResultType]::ParameterName, 'Report findings of RULE as warnings (fail only with --strict)')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Report findings of RULE as errors, waived or not')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--no-files', '--no-files', [CompletionResultType]::ParameterName, 'Do not check files, only the records')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Warnings fail the run too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;check' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, JSON, SARIF 2.1.0 or GitLab''s code-quality report')
            [CompletionResult]::new('--dataset-licenses-bind-weights', '--dataset-licenses-bind-weights', [CompletionResultType]::ParameterName, 'Do the licenses of training data bind the trained weights? [default: policy.dataset_licenses_bind_weights in commons.yaml, else true]')
            [CompletionResult]::new('--distillation-is-derivative', '--distillation-is-derivative', [CompletionResultType]::ParameterName, 'Is a model distilled from another (or trained on data it generated) a derivative of it? [default: policy.distillation_is_derivative in commons.yaml, else true]')
            [CompletionResult]::new('--card', '--card', [CompletionResultType]::ParameterName, 'The artifact folder of the (single) record checked: its model card (README.md) and LICENSE file are compared with the manifest, and the license files it lists are identified by their content')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Report findings of RULE as notes that do not fail the run (repeatable)')
            [CompletionResult]::new('--warn', '--warn', [CompletionResultType]::ParameterName, 'Report findings of RULE as warnings (fail only with --strict)')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Report findings of RULE as errors, waived or not')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail on warnings too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;repin' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, write nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;update' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, write nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;fetch' {
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Branch, tag or commit to fetch; the manifest records the commit')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Fetch only files matching these globs (`*` also matches `/`); README.md is always fetched')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out files matching these globs')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the result')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'The repository is a dataset')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the local cache (as HF_HUB_OFFLINE=1 does)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the commons'' manifest of this repository with the new draft')
            [CompletionResult]::new('--no-record', '--no-record', [CompletionResultType]::ParameterName, 'Download and verify only: draft no manifest')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;eval' {
            [CompletionResult]::new('--task', '--task', [CompletionResultType]::ParameterName, 'What to evaluate')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The task''s data file, or a folder laid out like the shared data (wikitext2/, hellaswag/, arc_easy/, piqa/, lambada/, stsb/)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Evaluate only the first N items (documents, chunks, questions or pairs)')
            [CompletionResult]::new('--limit-seed', '--limit-seed', [CompletionResultType]::ParameterName, 'With --limit N: evaluate N items drawn with this seed instead of the first N, the items (0-based) that Python names with `sorted(random.Random(S).sample(range(TOTAL), N))`')
            [CompletionResult]::new('--num-fewshot', '--num-fewshot', [CompletionResultType]::ParameterName, 'Put K solved examples before each item, drawn from the same data as lm-evaluation-harness draws them (multiple-choice tasks and lambada)')
            [CompletionResult]::new('--fewshot-seed', '--fewshot-seed', [CompletionResultType]::ParameterName, 'The seed that draws the few-shot examples (lm-evaluation-harness''s default)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Chunk length for --chunked (default 512); window or maximum sequence length otherwise (default: the model''s context)')
            [CompletionResult]::new('--ctx', '--ctx', [CompletionResultType]::ParameterName, 'Chunk length for --chunked (default 512); window or maximum sequence length otherwise (default: the model''s context)')
            [CompletionResult]::new('--ctx-size', '--ctx-size', [CompletionResultType]::ParameterName, 'Chunk length for --chunked (default 512); window or maximum sequence length otherwise (default: the model''s context)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Evaluate only shard K of N (contiguous slices; `eval merge` joins them). `auto` (or `auto/N`) takes K, and N, from a job array: $SLURM_ARRAY_TASK_ID and $SLURM_ARRAY_TASK_COUNT, or a Kubernetes Indexed Job''s $JOB_COMPLETION_INDEX with $COMMONS_SHARD_COUNT')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'Folder holding the model''s files (default: the Hugging Face cache)')
            [CompletionResult]::new('--log-samples', '--log-samples', [CompletionResultType]::ParameterName, 'Keep every item''s score: the hashes of the document and the prompt, the target, each choice''s log-likelihood and the prediction (JSON Lines, zstd). A recorded result keeps them beside its manifest, bound to it by sha256, for `verify` and `eval diff`; a result that is not recorded writes them to FILE')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Worker threads (default: one per core)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: one per core)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The member signing with --sign (default: $COMMONS_MEMBER, else the only member with a secret key here)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'Secret key file for --sign (default: the member''s key in the user''s config folder)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--chunked', '--chunked', [CompletionResultType]::ParameterName, 'Perplexity the llama.cpp way: chunks of --ctx tokens, second half scored')
            [CompletionResult]::new('--no-record', '--no-record', [CompletionResultType]::ParameterName, 'Print the result without recording it in the commons')
            [CompletionResult]::new('--sign', '--sign', [CompletionResultType]::ParameterName, 'Sign the result as it is recorded, and the snapshot with it, in the same commit (as `commons sign` does)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge the manifests of the shards of one evaluation into its result')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Compare recorded results across models: one row per model, one column per metric')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded evaluations')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two results of one task item by item: what changed, and whether the difference is significant')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;eval;merge' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The member signing with --sign (default: $COMMONS_MEMBER, else the only member with a secret key here)')
            [CompletionResult]::new('--secret-key', '--secret-key', [CompletionResultType]::ParameterName, 'Secret key file for --sign (default: the member''s key in the user''s config folder)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--no-record', '--no-record', [CompletionResultType]::ParameterName, 'Print the merged result without recording it')
            [CompletionResult]::new('--allow-unsigned', '--allow-unsigned', [CompletionResultType]::ParameterName, 'Accept shards that fewer members signed than the commons'' quorum (signatures they carry must still verify)')
            [CompletionResult]::new('--sign', '--sign', [CompletionResultType]::ParameterName, 'Sign the result as it is recorded, and the snapshot with it, in the same commit (as `commons sign` does)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;eval;show' {
            [CompletionResult]::new('--task', '--task', [CompletionResultType]::ParameterName, 'Only this task')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;eval;list' {
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only results of this model')
            [CompletionResult]::new('--task', '--task', [CompletionResultType]::ParameterName, 'Only this task')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;eval;diff' {
            [CompletionResult]::new('--iterations', '--iterations', [CompletionResultType]::ParameterName, 'Bootstrap resamples')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the bootstrap''s resampling')
            [CompletionResult]::new('--alpha', '--alpha', [CompletionResultType]::ParameterName, 'Significance level')
            [CompletionResult]::new('--show-items', '--show-items', [CompletionResultType]::ParameterName, 'Items listed per metric in human output (JSON lists all)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;eval;help' {
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge the manifests of the shards of one evaluation into its result')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Compare recorded results across models: one row per model, one column per metric')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded evaluations')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two results of one task item by item: what changed, and whether the difference is significant')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;eval;help;merge' {
            break
        }
        'commons;eval;help;show' {
            break
        }
        'commons;eval;help;list' {
            break
        }
        'commons;eval;help;diff' {
            break
        }
        'commons;eval;help;help' {
            break
        }
        'commons;run' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Text to continue (with --chat, the user''s message); `-` reads it from standard input')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Text to continue (with --chat, the user''s message); `-` reads it from standard input')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read the prompt from FILE')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the prompt from FILE')
            [CompletionResult]::new('--embed', '--embed', [CompletionResultType]::ParameterName, 'Print the embedding of each text as one JSON array per line (encoder models)')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'System message for --chat')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Generate at most N tokens (per reply with --chat)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Generate at most N tokens (per reply with --chat)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Context size in tokens: the prompt and what is generated (default: the model''s)')
            [CompletionResult]::new('--ctx-size', '--ctx-size', [CompletionResultType]::ParameterName, 'Context size in tokens: the prompt and what is generated (default: the model''s)')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'End the output before this text (repeat for several)')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Sampling temperature; 0 always picks the most likely token')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Sample only from the K most likely tokens (0: all)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Nucleus sampling: sample from the most likely tokens whose probability reaches P')
            [CompletionResult]::new('--min-p', '--min-p', [CompletionResultType]::ParameterName, 'Drop tokens less likely than P times the most likely one (0: off)')
            [CompletionResult]::new('--repeat-penalty', '--repeat-penalty', [CompletionResultType]::ParameterName, 'Penalise tokens seen in the last --repeat-last-n tokens (1: off)')
            [CompletionResult]::new('--repeat-last-n', '--repeat-last-n', [CompletionResultType]::ParameterName, 'How many of the latest tokens --repeat-penalty looks back on')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Seed of the sampler: the same seed gives the same sample')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the sampler: the same seed gives the same sample')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'Folder holding the model''s files (default: the Hugging Face cache)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Worker threads (default: one per core)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: one per core)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('--chat', '--chat', [CompletionResultType]::ParameterName, 'Wrap the prompt in the chat template stored with the model; without a prompt on a terminal, chat turn after turn')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Print prompt and generation speed on stderr (and, with --chat, the tokens reused from the previous turns)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;log' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most N entries')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Show at most N entries')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;list' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only this kind')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;tree' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: an indented tree, Graphviz dot or Mermaid')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Document to write: CycloneDX 1.6 ML-BOM, SPDX 3.0.1 (JSON-LD), a Hugging Face model card or lm-evaluation-harness results')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to this file instead of stdout')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;openness' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: human text, or JSON for scripts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;schema' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write commons.1 and commons-<verb>.1 pages into DIR')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--commons', '--commons', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the commons, or a folder inside it)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in reports: auto (on a terminal, unless $NO_COLOR is set), always or never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress bars or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what verify and check examined and what they skipped')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'commons;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Make a commons: a git repository with commons.yaml and keys/, committed')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Member keys: generate, trust, revoke, list')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Write a manifest for local files (a fine-tune you made, a dataset you collected)')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Add your minisign signature to manifests (bound to each manifest''s id and digest)')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Sign a snapshot of every manifest''s digest (done by `commons sign` too)')
            [CompletionResult]::new('governance', 'governance', [CompletionResultType]::ParameterValue, 'Signed governance: the versions of the commons'' members and policy')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'Members of the commons: propose adding, removing or re-keying one')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'The commons'' policy: show it, or propose a change for members to sign')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check signatures, trust, quorum, lineage digests and files on disk')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that models and datasets honour every license in their lineage')
            [CompletionResult]::new('repin', 'repin', [CompletionResultType]::ParameterValue, 'Re-pin records'' references to the current digests of their upstream records')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download a model or dataset from the Hugging Face Hub, verify every file, draft its manifest')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a model locally and record the result in the commons')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a model locally: generate text, chat, or embed texts')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history of the commons, or of one manifest and its signatures')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one manifest and who has signed it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the manifests of the commons')
            [CompletionResult]::new('tree', 'tree', [CompletionResultType]::ParameterValue, 'Show the lineage of a record: what it was made from, transitively')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export records as a CycloneDX 1.6 ML-BOM, an SPDX 3.0.1 document (AI and Dataset profiles) or a Hugging Face model card, or evaluation results as lm-evaluation-harness results JSON')
            [CompletionResult]::new('openness', 'openness', [CompletionResultType]::ParameterValue, 'How open a model is: its Model Openness Framework class, what is missing for the next class, and the OSI Open Source AI Definition checklist')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of manifests (or of commons.yaml)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write every command''s page into a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'commons;help;init' {
            break
        }
        'commons;help;key' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Make a minisign key pair for a member and add the public key to the commons')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Add a member''s existing minisign public key (e.g. from `minisign -G`)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a member''s key: its signatures stop counting')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List members and their keys')
            break
        }
        'commons;help;key;generate' {
            break
        }
        'commons;help;key;trust' {
            break
        }
        'commons;help;key;revoke' {
            break
        }
        'commons;help;key;list' {
            break
        }
        'commons;help;record' {
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'Record a model')
            [CompletionResult]::new('dataset', 'dataset', [CompletionResultType]::ParameterValue, 'Record a dataset')
            break
        }
        'commons;help;record;model' {
            break
        }
        'commons;help;record;dataset' {
            break
        }
        'commons;help;sign' {
            break
        }
        'commons;help;snapshot' {
            break
        }
        'commons;help;governance' {
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Make the current commons.yaml governance version 1, signed by the members whose keys are here')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign the proposed governance version; it is accepted once its threshold is met')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show every governance version, what it changed and who approved it')
            [CompletionResult]::new('withdraw', 'withdraw', [CompletionResultType]::ParameterValue, 'Withdraw the proposed (not yet accepted) governance version')
            break
        }
        'commons;help;governance;adopt' {
            break
        }
        'commons;help;governance;sign' {
            break
        }
        'commons;help;governance;log' {
            break
        }
        'commons;help;governance;withdraw' {
            break
        }
        'commons;help;member' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Propose a new member with their minisign public key')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Propose removing a member (their key stops counting once accepted)')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Propose a member''s new key; the new key must sign the proposal too')
            break
        }
        'commons;help;member;add' {
            break
        }
        'commons;help;member;remove' {
            break
        }
        'commons;help;member;rotate-key' {
            break
        }
        'commons;help;policy' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the policy of the newest accepted governance version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Propose setting one policy key (the next governance version)')
            [CompletionResult]::new('waive', 'waive', [CompletionResultType]::ParameterValue, 'Propose accepting the findings of RULE on record ID (`*`: every record), with a reason')
            [CompletionResult]::new('unwaive', 'unwaive', [CompletionResultType]::ParameterValue, 'Propose withdrawing the waiver of RULE on record ID')
            break
        }
        'commons;help;policy;show' {
            break
        }
        'commons;help;policy;set' {
            break
        }
        'commons;help;policy;waive' {
            break
        }
        'commons;help;policy;unwaive' {
            break
        }
        'commons;help;verify' {
            break
        }
        'commons;help;check' {
            break
        }
        'commons;help;repin' {
            break
        }
        'commons;help;fetch' {
            break
        }
        'commons;help;eval' {
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge the manifests of the shards of one evaluation into its result')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Compare recorded results across models: one row per model, one column per metric')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recorded evaluations')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two results of one task item by item: what changed, and whether the difference is significant')
            break
        }
        'commons;help;eval;merge' {
            break
        }
        'commons;help;eval;show' {
            break
        }
        'commons;help;eval;list' {
            break
        }
        'commons;help;eval;diff' {
            break
        }
        'commons;help;run' {
            break
        }
        'commons;help;log' {
            break
        }
        'commons;help;show' {
            break
        }
        'commons;help;list' {
            break
        }
        'commons;help;tree' {
            break
        }
        'commons;help;export' {
            break
        }
        'commons;help;openness' {
            break
        }
        'commons;help;schema' {
            break
        }
        'commons;help;completions' {
            break
        }
        'commons;help;man' {
            break
        }
        'commons;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
