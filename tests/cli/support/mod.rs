//! The test harness: a fluent builder over the real binary.
//!
//! `Test::new()` makes a temp folder that is the process's HOME (so keys and
//! git configuration never touch the real user's), and `t.cmd(["verify"])`
//! runs `commons` in it and returns the outcome to assert on.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[cfg(feature = "hub")]
pub mod mock_hub;
pub mod models;

pub struct Test {
    pub home: tempfile::TempDir,
    /// The working directory of commands (a commons after `init`).
    pub dir: PathBuf,
    pub env: Vec<(String, String)>,
}

impl Test {
    pub fn new() -> Test {
        let home = tempfile::tempdir().expect("temp dir");
        let dir = home.path().join("commons");
        std::fs::create_dir_all(&dir).unwrap();
        Test {
            home,
            dir,
            env: Vec::new(),
        }
    }

    /// A new commons with one member `alice` whose key has no password.
    pub fn with_member() -> Test {
        let t = Test::new();
        t.cmd(["init", "--name", "Test Commons"]).success();
        t.cmd(["key", "generate", "--name", "alice", "--no-password"])
            .success();
        t
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = Command::new(env!("CARGO_BIN_EXE_commons"));
        c.args(args).current_dir(&self.dir);
        c.env_clear();
        c.env("PATH", std::env::var("PATH").unwrap_or_default());
        c.env("HOME", self.home.path());
        c.env("XDG_CONFIG_HOME", self.home.path().join(".config"));
        c.env("HF_HOME", self.home.path().join("hf"));
        c.env("GIT_CONFIG_NOSYSTEM", "1");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    pub fn cmd<I, S>(&self, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_with(args, |_| {})
    }

    /// Runs `commons` with `args`, after `adjust` changes the command.
    pub fn run_with<I, S>(&self, args: I, adjust: impl FnOnce(&mut Command)) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<String> = args
            .into_iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect();
        let mut command = self.command(&args);
        adjust(&mut command);
        let out = command.output().expect("run commons");
        Outcome { args, out }
    }

    /// Runs `commons` with `input` on its standard input (a pipe).
    pub fn cmd_input<I, S>(&self, args: I, input: &str) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        use std::io::Write;
        let args: Vec<String> = args
            .into_iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect();
        let mut child = self
            .command(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run commons");
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
        drop(stdin);
        let out = child.wait_with_output().expect("run commons");
        Outcome { args, out }
    }

    /// Starts `commons` on a pseudo-terminal, as a person at a terminal
    /// runs it (echo off, as `expect` has it); every wait times out after
    /// `timeout_s`.
    #[cfg(unix)]
    pub fn pty<I, S>(&self, args: I, timeout_s: u64) -> rexpect::session::PtySession
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        rexpect::session::spawn_command(self.command(args), Some(timeout_s * 1000))
            .expect("start commons on a pseudo-terminal")
    }

    /// The commit messages of the commons, newest first.
    pub fn git_log(&self) -> Vec<String> {
        let repo = git2::Repository::open(&self.dir).unwrap();
        let mut walk = repo.revwalk().unwrap();
        walk.push_head().unwrap();
        walk.map(|oid| {
            repo.find_commit(oid.unwrap())
                .unwrap()
                .summary()
                .ok()
                .flatten()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
    }

    /// Uncommitted changes (untracked included) to what `commons` manages:
    /// `commons.yaml`, `keys/`, `manifests/`, `licenses/`.
    pub fn git_dirty(&self) -> Vec<String> {
        let repo = git2::Repository::open(&self.dir).unwrap();
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        let statuses = repo.statuses(Some(&mut opts)).unwrap();
        statuses
            .iter()
            .filter_map(|s| s.path().ok().map(String::from))
            .filter(|p| {
                p == "commons.yaml"
                    || ["keys/", "manifests/", "licenses/"]
                        .iter()
                        .any(|d| p.starts_with(d))
            })
            .collect()
    }
}

pub struct Outcome {
    pub args: Vec<String>,
    pub out: Output,
}

impl Outcome {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    pub fn code(self, expected: i32) -> Outcome {
        assert_eq!(
            self.out.status.code(),
            Some(expected),
            "`commons {}` exited {:?}, expected {expected}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.out.status.code(),
            self.stdout(),
            self.stderr()
        );
        self
    }

    pub fn success(self) -> Outcome {
        self.code(0)
    }

    pub fn stdout_has(self, needle: &str) -> Outcome {
        assert!(
            self.stdout().contains(needle),
            "stdout lacks {needle:?}:\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    pub fn stderr_has(self, needle: &str) -> Outcome {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr()
        );
        self
    }

    /// Stdout as JSON. A SARIF log is checked against the SARIF 2.1.0
    /// schema and GitHub's upload rules on the way, so every SARIF document
    /// a test reads is validated.
    pub fn json(&self) -> serde_json::Value {
        let json: serde_json::Value = serde_json::from_slice(&self.out.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout()));
        if json["version"] == "2.1.0" && json.get("runs").is_some() {
            assert_github_sarif(&json);
        }
        json
    }

    /// The rule names of the findings in `--format json` output.
    pub fn rules(&self) -> Vec<String> {
        let mut rules: Vec<String> = self.json()["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        rules.sort();
        rules.dedup();
        rules
    }
}

/// Copies a folder recursively.
/// The sha256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Test {
    /// Runs `commons` with a key folder of its own: someone else at the same
    /// commons (another member, or an attacker who can push but holds no
    /// member's key).
    pub fn cmd_as<I, S>(&self, key_dir: &str, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let key_dir = self.home.path().join(key_dir);
        self.run_with(args, |c| {
            c.env("COMMONS_KEY_DIR", &key_dir);
        })
    }

    /// Runs git in the commons; panics if it fails.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.dir, args)
    }

    /// Runs git in `dir` (another clone, say); panics if it fails.
    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.git_command(dir, args).output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A clone of the commons at `~/<name>` holding only its last commit.
    pub fn shallow_clone(&self, name: &str) -> PathBuf {
        let dir = self.home.path().join(name);
        let url = format!("file://{}", self.dir.display());
        self.git(&["clone", "-q", "--depth", "1", &url, dir.to_str().unwrap()]);
        dir
    }

    /// Runs a shell script in `dir` as a job engine would: this test's
    /// environment and `vars`, `commons` on the PATH.
    pub fn shell(&self, dir: &Path, script: &str, vars: &[(&str, String)]) -> Outcome {
        let bin = Path::new(env!("CARGO_BIN_EXE_commons")).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut c = Command::new("bash");
        c.arg("-c").arg(script).current_dir(dir).env_clear();
        c.env("PATH", path)
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("HF_HOME", self.home.path().join("hf"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@localhost")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@localhost");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        for (k, v) in vars {
            c.env(k, v);
        }
        let out = c.output().expect("run bash");
        Outcome {
            args: vec![script.to_owned()],
            out,
        }
    }

    /// git in `dir`, with this test's HOME and a committer identity.
    pub fn git_command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.args(args)
            .current_dir(dir)
            .env("HOME", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@localhost")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@localhost");
        c
    }

    /// The rule names of `verify --format json` with `extra` arguments.
    pub fn verify_rules(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["verify", "--format", "json"];
        args.extend_from_slice(extra);
        self.cmd(&args).rules()
    }
}

/// Every file under `dir` (hidden ones too), relative and `/`-separated.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Checks a SARIF log against the rules GitHub code scanning applies on
/// upload: SARIF 2.1.0 with one run per upload category
/// (`automationDetails.id`), every located result with a real
/// `region.startLine`, a partial fingerprint per result, and every rule
/// referenced by a result described in the driver's rule table with a short
/// and full description, help and a default level. Returns the run's
/// category.
pub fn assert_github_sarif(sarif: &serde_json::Value) -> String {
    let category = crate::sarif_check::assert_code_scanning(sarif);
    for res in sarif["runs"][0]["results"].as_array().into_iter().flatten() {
        assert!(
            !res["message"]["text"]
                .as_str()
                .unwrap_or("")
                .contains("Fix:"),
            "the fix belongs in properties, not in the message: {res}"
        );
    }
    category
}
