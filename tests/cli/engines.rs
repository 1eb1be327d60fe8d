//! The shard examples of `commands/examples/` run as their engines run them:
//! a GitHub Actions matrix (one clone per job, concurrent pushes that must
//! rebase, a merge job on another clone), a Slurm job array, a Kubernetes
//! Indexed Job and `xargs -P` on one machine. Each merged result must equal
//! the unsplit run's, number for number.

use std::path::{Path, PathBuf};

use crate::support::Test;
use crate::support::mock_hub::{MockHub, SMOLLM};
use crate::support::models::{data_dir, models_dir};

/// HellaSwag items in the small data folder the examples read.
const ITEMS: usize = 16;

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("commands/examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A commons with SmolLM2 fetched from the mock Hub and signed, and
/// `$HOME/data` laid out like the shared data with the first HellaSwag items.
fn commons(hub: &MockHub) -> Test {
    let t = Test::with_member()
        .env("HF_ENDPOINT", &hub.endpoint)
        .env("COMMONS_MEMBER", "alice");
    t.cmd(["fetch", SMOLLM]).success();
    t.cmd(["sign", "--all"]).success();
    let full =
        std::fs::read_to_string(data_dir().join("hellaswag/hellaswag_val_full.txt")).unwrap();
    let lines: Vec<&str> = full.lines().take(6 * ITEMS).collect();
    let dir = t.home.path().join("data/hellaswag");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("hellaswag_val_full.txt"), lines.join("\n") + "\n").unwrap();
    t
}

/// The variables every example is given: the model the mock Hub serves
/// and the small data folder.
fn base(t: &Test) -> Vec<(&'static str, String)> {
    let data = t.home.path().join("data");
    vec![
        ("MODEL", SMOLLM.to_owned()),
        ("COMMONS_DATA", data.to_str().unwrap().to_owned()),
    ]
}

/// A bare repository holding the commons, as a git host would.
fn origin(t: &Test, name: &str) -> PathBuf {
    let origin = t.home.path().join(format!("{name}.git"));
    t.git_in(
        t.home.path(),
        &[
            "clone",
            "-q",
            "--bare",
            t.dir.to_str().unwrap(),
            origin.to_str().unwrap(),
        ],
    );
    origin
}

fn clone(t: &Test, origin: &Path, name: &str) -> PathBuf {
    let dir = t.home.path().join(name);
    t.git_in(
        t.home.path(),
        &[
            "clone",
            "-q",
            origin.to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
    );
    dir
}

/// The metrics of the single merged HellaSwag result in `dir`.
fn merged_metrics(dir: &Path) -> serde_json::Value {
    let evals = dir.join("manifests/evals").join(SMOLLM);
    let files: Vec<PathBuf> = std::fs::read_dir(&evals)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    assert_eq!(
        files.len(),
        1,
        "one merged result, the shards folded away: {files:?}"
    );
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(yaml["eval"]["items"], ITEMS as u64);
    assert!(yaml["eval"]["shard"].is_null());
    serde_json::to_value(&yaml["eval"]["metrics"]).unwrap()
}

#[test]
fn the_shard_examples_run_as_their_engines_run_them() {
    let hub = MockHub::start(&models_dir());
    let t = commons(&hub);
    let vars = base(&t);
    let data = t.home.path().join("data/hellaswag/hellaswag_val_full.txt");
    let whole = t
        .cmd([
            "eval",
            SMOLLM,
            "--task",
            "hellaswag",
            "--data",
            data.to_str().unwrap(),
            "--no-record",
            "--format",
            "json",
        ])
        .success()
        .json();
    assert_eq!(whole["items"], ITEMS as u64);
    let whole = &whole["metrics"];

    github_actions(&t, &vars, whole);
    slurm(&t, &vars, whole);
    kubernetes(&t, &vars, whole);
    one_machine(&t, &vars, whole);
}

/// One clone per matrix job; the jobs push at once, so all but one must
/// rebase; the merge job runs on another clone and pushes the result.
fn github_actions(t: &Test, vars: &[(&str, String)], whole: &serde_json::Value) {
    let workflow: serde_yaml::Value = serde_yaml::from_str(&example("github-actions.yml")).unwrap();
    let jobs = &workflow["jobs"];
    let matrix: Vec<String> = jobs["shard"]["strategy"]["matrix"]["shard"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap().to_string())
        .collect();
    let runs = |job: &str| -> Vec<String> {
        jobs[job]["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str())
            // The secret key is the test member's own here.
            .filter(|r| !r.contains("secrets."))
            .map(str::to_owned)
            .collect()
    };
    let expand = |run: &str, shard: &str| {
        let line = run
            .replace("${{ matrix.shard }}", shard)
            .replace("${{ strategy.job-total }}", &matrix.len().to_string());
        assert!(
            !line.contains("${{"),
            "an expression the test does not set: {line}"
        );
        line
    };
    let origin = origin(t, "github");
    let (shard_steps, merge_steps) = (runs("shard"), runs("merge"));
    let (push, steps) = shard_steps.split_last().unwrap();
    let clones: Vec<(PathBuf, &String)> = matrix
        .iter()
        .map(|k| {
            let dir = clone(t, &origin, &format!("github-shard-{k}"));
            for run in steps {
                t.shell(&dir, &expand(run, k), vars).success();
            }
            (dir, k)
        })
        .collect();
    std::thread::scope(|s| {
        for (dir, k) in &clones {
            let line = expand(push, k);
            s.spawn(move || t.shell(dir, &line, vars).success());
        }
    });
    let log = t.git_in(&origin, &["log", "--format=%s%x09%P"]);
    let recorded = log
        .lines()
        .filter(|l| l.starts_with("Record eval hellaswag"))
        .count();
    assert_eq!(recorded, matrix.len(), "{log}");
    assert!(
        log.lines()
            .all(|l| l.split('\t').nth(1).unwrap_or("").split(' ').count() <= 1),
        "rebased, not merged: {log}"
    );
    let merge = clone(t, &origin, "github-merge");
    for run in &merge_steps {
        t.shell(&merge, &expand(run, ""), vars).success();
    }
    let audit = clone(t, &origin, "github-audit");
    assert_eq!(&merged_metrics(&audit), whole);
    t.shell(&audit, "commons verify --no-files", vars).success();
}

/// Every task of the array, with the variables Slurm sets, on one shared
/// clone; then the merge the page's comment gives.
fn slurm(t: &Test, vars: &[(&str, String)], whole: &serde_json::Value) {
    let script = example("slurm.sbatch");
    let option = |name: &str| -> String {
        script
            .lines()
            .find_map(|l| l.strip_prefix(&format!("#SBATCH --{name}=")))
            .unwrap_or_else(|| panic!("no #SBATCH --{name}"))
            .to_owned()
    };
    let array = option("array");
    let (min, max) = array.split_once('-').unwrap();
    let (min, max): (u32, u32) = (min.parse().unwrap(), max.parse().unwrap());
    let dir = clone(t, &origin(t, "slurm"), "slurm");
    let path = dir.join("job.sbatch");
    std::fs::write(&path, &script).unwrap();
    for id in min..=max {
        let mut v = vars.to_vec();
        v.extend([
            ("SLURM_ARRAY_JOB_ID", "4242".to_owned()),
            ("SLURM_ARRAY_TASK_ID", id.to_string()),
            ("SLURM_ARRAY_TASK_MIN", min.to_string()),
            ("SLURM_ARRAY_TASK_MAX", max.to_string()),
            ("SLURM_ARRAY_TASK_STEP", "1".to_owned()),
            ("SLURM_ARRAY_TASK_COUNT", (max - min + 1).to_string()),
            ("SLURM_CPUS_PER_TASK", option("cpus-per-task")),
        ]);
        t.shell(&dir, "bash job.sbatch", &v).success();
    }
    std::fs::remove_file(&path).unwrap();
    let merge = script
        .lines()
        .find_map(|l| {
            l.split_once("--wrap '")
                .map(|(_, c)| c.trim_end_matches('\''))
        })
        .expect("the merge line");
    t.shell(&dir, merge, vars).success();
    assert_eq!(&merged_metrics(&dir), whole);
}

/// Each pod on its own clone with `JOB_COMPLETION_INDEX` and the spec's
/// environment; then the merge the page's comment gives.
fn kubernetes(t: &Test, vars: &[(&str, String)], whole: &serde_json::Value) {
    let text = example("kubernetes-indexed-job.yaml");
    let job: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(job["spec"]["completionMode"], "Indexed");
    let completions = job["spec"]["completions"].as_u64().unwrap();
    let container = &job["spec"]["template"]["spec"]["containers"][0];
    let mut env: Vec<(&str, String)> = container["env"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap(),
                e["value"].as_str().unwrap().to_owned(),
            )
        })
        .filter(|(name, _)| !vars.iter().any(|(v, _)| v == name))
        .collect();
    env.extend(vars.iter().cloned());
    assert_eq!(container["command"][0], "sh");
    let script = container["args"][0].as_str().unwrap();
    let origin = origin(t, "kubernetes");
    for index in 0..completions {
        let dir = clone(t, &origin, &format!("pod-{index}"));
        let mut v = env.clone();
        v.push(("JOB_COMPLETION_INDEX", index.to_string()));
        t.shell(&dir, script, &v).success();
    }
    let merge = text
        .lines()
        .find_map(|l| l.strip_prefix("#   commons eval merge"))
        .map(|rest| format!("commons eval merge{rest}"))
        .expect("the merge line");
    let dir = clone(t, &origin, "kubernetes-merge");
    t.shell(&dir, &merge, &env).success();
    assert_eq!(&merged_metrics(&dir), whole);
}

/// The script as it is: two shards at a time in one clone, then the merge.
fn one_machine(t: &Test, vars: &[(&str, String)], whole: &serde_json::Value) {
    let dir = clone(t, &origin(t, "local"), "local");
    std::fs::write(dir.join("shards.sh"), example("one-machine.sh")).unwrap();
    t.shell(&dir, "sh shards.sh && rm shards.sh", vars)
        .success();
    assert_eq!(&merged_metrics(&dir), whole);
}
