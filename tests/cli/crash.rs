//! A command killed at any moment leaves the commons usable: git's objects
//! intact, nothing staged on the user's behalf, no lock or temp file that
//! stops the next command. And a commit holds the command's own paths only,
//! never what the user had staged.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::support::Test;

/// A small xorshift generator seeded from the clock: each run tries other
/// moments; the seed is printed so a failure can be replayed.
struct Moments(u64);

impl Moments {
    fn new() -> Moments {
        let seed = std::env::var("COMMONS_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("COMMONS_KILL_SEED={seed}");
        Moments(seed)
    }

    /// A moment in `0..span`.
    fn within(&mut self, span: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        span.mul_f64((self.0 % 10_000) as f64 / 10_000.0)
    }
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs")
}

/// Paths staged in the index that differ from HEAD.
fn staged(t: &Test) -> Vec<String> {
    let out = git(&t.dir, &["diff", "--cached", "--name-only"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect()
}

fn assert_fsck_clean(t: &Test, what: &str) {
    let out = git(&t.dir, &["fsck", "--strict", "--no-dangling"]);
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "git fsck after {what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `args` and kills it with SIGKILL at a moment within `span`.
fn kill_at(t: &Test, args: &[&str], moment: Duration) {
    let mut child = t
        .command(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn commons");
    std::thread::sleep(moment);
    let _ = child.kill();
    let _ = child.wait();
}

/// How long `args` takes when left alone (at least 1 ms).
fn span_of(t: &Test, args: &[&str]) -> Duration {
    let started = Instant::now();
    t.cmd(args).success();
    started.elapsed().max(Duration::from_millis(1))
}

fn record_args(id: &str) -> Vec<String> {
    [
        "record",
        "model",
        id,
        "--license",
        "MIT",
        "--files",
        "work/data",
        "--source-local",
        "made by the test",
    ]
    .map(String::from)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn killed_records_and_signatures_leave_a_usable_commons() {
    let t = Test::with_member();
    t.write("work/data/weights.bin", vec![7u8; 256 * 1024]);
    t.write("work/data/config.json", "{}\n");
    let mut moments = Moments::new();
    let record_span = span_of(&t, &strs(&record_args("org/first")));
    let sign_span = span_of(&t, &["sign", "--all"]);
    for round in 0..8 {
        let killed = record_args(&format!("org/killed{round}"));
        kill_at(&t, &strs(&killed), moments.within(record_span));
        assert_fsck_clean(&t, &format!("killing `{}`", killed.join(" ")));
        let next = record_args(&format!("org/next{round}"));
        t.cmd(strs(&next)).success();
        assert!(staged(&t).is_empty(), "staged: {:?}", staged(&t));
        assert_eq!(
            t.git_log()[0],
            format!("Record model org/next{round}"),
            "the next commit holds its own record only"
        );

        kill_at(&t, &["sign", "--all"], moments.within(sign_span));
        assert_fsck_clean(&t, "killing `sign --all`");
        t.cmd(["sign", "--all"]).success();
        assert!(staged(&t).is_empty(), "staged: {:?}", staged(&t));
    }
    assert!(leftovers(&t).is_empty(), "{:?}", leftovers(&t));
    assert!(!t.dir.join(".git/commons.lock").exists());
    t.cmd(["verify", "--files", "work/data", "org/first"])
        .success();
}

/// Temporary files of `commons` left under `manifests/`.
fn leftovers(t: &Test) -> Vec<String> {
    crate::support::files_under(&t.path("manifests"))
        .into_iter()
        .filter(|p| p.contains(".commons-"))
        .collect()
}

#[cfg(all(feature = "hub", feature = "ml"))]
#[test]
fn killed_fetches_and_evaluations_leave_a_usable_commons() {
    use crate::support::mock_hub::{MockHub, SMOLLM};
    use crate::support::models::{data_dir, models_dir};
    let hub = MockHub::start(&models_dir());
    let t = Test::with_member().env("HF_ENDPOINT", &hub.endpoint);
    let cache = t.home.path().join("hf");
    let mut moments = Moments::new();
    let fetch = ["fetch", SMOLLM, "--force"];
    let fetch_span = span_of(&t, &fetch);
    for round in 0..3 {
        // From an empty cache, so the kill may land in the download.
        std::fs::remove_dir_all(&cache).unwrap();
        kill_at(&t, &fetch, moments.within(fetch_span));
        assert_fsck_clean(&t, &format!("killing `fetch` (round {round})"));
        assert!(staged(&t).is_empty(), "staged: {:?}", staged(&t));
        t.cmd(fetch).success();
        assert!(staged(&t).is_empty(), "staged: {:?}", staged(&t));
        let files = t
            .verify_rules(&[SMOLLM])
            .into_iter()
            .filter(|r| r.starts_with("file"))
            .collect::<Vec<_>>();
        assert!(files.is_empty(), "the resumed download verifies: {files:?}");
    }
    let data = data_dir().join("arc_easy/arc_easy.llmfoundry.jsonl");
    let eval = [
        "eval",
        SMOLLM,
        "--task",
        "arc-easy",
        "--limit",
        "2",
        "--data",
        data.to_str().unwrap(),
    ];
    let eval_span = span_of(&t, &eval);
    for round in 0..3 {
        kill_at(&t, &eval, moments.within(eval_span));
        assert_fsck_clean(&t, &format!("killing `eval` (round {round})"));
        assert!(staged(&t).is_empty(), "staged: {:?}", staged(&t));
        t.cmd(eval).success();
        assert!(t.git_log()[0].starts_with("Record eval arc-easy"));
        assert!(staged(&t).is_empty(), "staged: {:?}", staged(&t));
    }
    assert!(leftovers(&t).is_empty(), "{:?}", leftovers(&t));
    assert!(t.git_dirty().is_empty(), "{:?}", t.git_dirty());
}

#[test]
fn a_commit_holds_only_the_commands_own_paths() {
    let t = Test::with_member();
    t.write("work/data/weights.bin", "w");
    t.write(
        "manifests/models/user/draft.yaml",
        "schema: commons/v1\nkind: model\nid: user/draft\n",
    );
    t.write("notes.txt", "the user's own work\n");
    let added = git(
        &t.dir,
        &["add", "manifests/models/user/draft.yaml", "notes.txt"],
    );
    assert!(added.status.success());

    t.cmd(strs(&record_args("org/model"))).success();
    let tree = git(&t.dir, &["ls-tree", "-r", "--name-only", "HEAD"]);
    let tree = String::from_utf8_lossy(&tree.stdout).into_owned();
    assert!(tree.contains("manifests/models/org/model.yaml"), "{tree}");
    assert!(!tree.contains("user/draft.yaml"), "{tree}");
    assert!(!tree.contains("notes.txt"), "{tree}");
    assert_eq!(
        staged(&t),
        ["manifests/models/user/draft.yaml", "notes.txt"],
        "what the user staged stays staged, and only that"
    );
}

/// The pid of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn locks_and_temp_files_of_a_killed_command_are_recovered() {
    let t = Test::with_member();
    t.write("work/data/weights.bin", "w");
    t.cmd(strs(&record_args("org/a"))).success();
    let head = git(&t.dir, &["rev-parse", "HEAD"]).stdout;
    // What a command killed mid-commit leaves behind.
    t.write(".git/commons.lock", format!("{}\n", dead_pid()));
    t.write(".git/refs/heads/main.lock", &head);
    t.write(".git/index.lock", "");
    let tmp = t.write(
        "manifests/models/org/.commons-AbC123.tmp",
        "half a manifest",
    );

    t.cmd(strs(&record_args("org/b"))).success();
    assert_eq!(t.git_log()[0], "Record model org/b");
    for left in [
        ".git/commons.lock",
        ".git/refs/heads/main.lock",
        ".git/index.lock",
    ] {
        assert!(!t.path(left).exists(), "{left} left behind");
    }
    assert!(!tmp.exists(), "orphaned temp file left behind");
    assert_fsck_clean(&t, "recovery");

    // A git lock held while no commons process ran is not ours to remove.
    t.write(".git/refs/heads/main.lock", &head);
    t.cmd(strs(&record_args("org/c")))
        .code(2)
        .stderr_has(".git/refs/heads/main.lock")
        .stderr_has("remove");
    assert!(t.path(".git/refs/heads/main.lock").exists());
    assert!(staged(&t).is_empty(), "staged: {:?}", staged(&t));
}
