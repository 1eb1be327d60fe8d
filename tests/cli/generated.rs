//! Generated files are committed and must be fresh: completions, man pages,
//! the JSON Schemas and the rules reference. `COMMONS_REGENERATE=1 cargo test generated` rewrites
//! them.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_commons"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "commons {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn check(path: &Path, fresh: &[u8], stale: &mut Vec<String>) {
    if std::env::var_os("COMMONS_REGENERATE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, fresh).unwrap();
    } else if std::fs::read(path).ok().as_deref() != Some(fresh) {
        stale.push(path.display().to_string());
    }
}

#[test]
fn generated_files_are_fresh() {
    let mut stale = Vec::new();
    for (shell, file) in [
        ("bash", "commons.bash"),
        ("zsh", "_commons"),
        ("fish", "commons.fish"),
        ("elvish", "commons.elv"),
        ("powershell", "_commons.ps1"),
    ] {
        check(
            &root().join("completions").join(file),
            &run(&["completions", shell]),
            &mut stale,
        );
    }
    check(
        &root().join("manifests/manifest.schema.json"),
        &run(&["schema", "manifest"]),
        &mut stale,
    );
    check(
        &root().join("manifests/commons.schema.json"),
        &run(&["schema", "commons"]),
        &mut stale,
    );
    check(
        &root().join(commons::rule::REFERENCE),
        commons::rule::reference().as_bytes(),
        &mut stale,
    );
    let tmp = tempfile::tempdir().unwrap();
    run(&["man", "--dir", tmp.path().to_str().unwrap()]);
    let mut fresh: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    fresh.sort();
    for name in &fresh {
        check(
            &root().join("man").join(name),
            &std::fs::read(tmp.path().join(name)).unwrap(),
            &mut stale,
        );
    }
    let committed: Vec<_> = std::fs::read_dir(root().join("man"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    for name in committed {
        if !fresh.contains(&name) {
            stale.push(format!(
                "man/{} (no longer generated)",
                name.to_string_lossy()
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files (run `COMMONS_REGENERATE=1 cargo test generated`): {stale:?}"
    );
}
