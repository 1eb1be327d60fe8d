//! Benchmark of `commons check`, `tree` and `verify` on lineages of four
//! shapes, side by side in one run:
//!
//! - mixed: 10,000 manifests (models and datasets, mixed licenses, lineages
//!   up to a few dozen records deep with merges, training data and
//!   synthetic data), every record checked;
//! - chain: 10,000 fine-tunes, each of the one before, checked from the tip;
//! - wide: 100,000 models, each a fine-tune (one in ten a merge) of
//!   records picked at random among those before it, every record checked;
//! - diamonds: 10,000 merges, each of the record before it and one of the
//!   few before that, checked from the last.
//!
//! Run it with `cargo bench --bench check`. It generates each commons in a
//! temp folder, then measures, each in a fresh process so that peak memory
//! is the command's own: the library check (load every manifest, build the
//! lineage, check, serialise the findings), and the real commands end to
//! end. It prints a table of medians and the largest peak resident set.
//! `COMMONS_BASELINE=/path/to/another/commons` also runs that binary (say,
//! a build of an older commit) on each command once, stopped after
//! `COMMONS_BASELINE_TIMEOUT` seconds (60 by default), and on a chain 1,000
//! deep, for a before and after in the same run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use commons::commons::Commons;
use commons::config::CommonsConfig;
use commons::digest::Sha256Hex;
use commons::license::{Catalog, CheckPolicy, Subjects};
use commons::manifest::{
    Kind, License, Manifest, Reference, Relation, Source, TrainingData, Upstream, Weights,
};

const RECORDS: usize = 10_000;
const WIDE_RECORDS: usize = 100_000;
const DEEP: usize = 10_000;
const DIAMONDS: usize = 10_000;
const PUBLIC_DATASETS: usize = 300;
const FAMILIES: usize = 97;
const RUNS: usize = 3;

const BASE_LICENSES: &[&str] = &[
    "Apache-2.0",
    "MIT",
    "LicenseRef-llama3.1",
    "LicenseRef-llama3",
    "LicenseRef-gemma",
    "LicenseRef-bigscience-openrail-m",
    "LicenseRef-mistral-research",
    "LicenseRef-qwen",
    "LicenseRef-Commons-Reciprocal-1.0",
    "Apache-2.0 OR MIT",
];
const DATA_LICENSES: &[&str] = &[
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC0-1.0",
    "ODbL-1.0",
    "ODC-By-1.0",
    "CDLA-Permissive-2.0",
    "MIT OR CC-BY-NC-4.0",
    "Apache-2.0",
    "CC-BY-SA-3.0",
];

/// A small deterministic generator (xorshift64*), so every run checks the
/// same commons.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Written {
    id: String,
    digest: Sha256Hex,
    license: String,
    notices: Vec<String>,
}

fn write(root: &Path, m: &Manifest) -> Written {
    let yaml = m.to_yaml();
    let path = root.join(m.relative_path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &yaml).unwrap();
    let license = m.license.as_ref().unwrap();
    Written {
        id: m.id.clone(),
        digest: Sha256Hex::of_bytes(yaml.as_bytes()),
        license: license.expression.clone(),
        notices: license.notices.clone(),
    }
}

fn license(expression: &str, notices: Vec<String>) -> License {
    License {
        expression: expression.to_owned(),
        notices,
        license_files: vec!["LICENSE".into()],
        display_attribution: Some("Built with Llama".into()),
        declared: None,
        obtained: Vec::new(),
    }
}

fn reference(w: &Written) -> Reference {
    Reference {
        id: w.id.clone(),
        digest: Some(w.digest.clone()),
    }
}

fn inherited(parents: &[&Written]) -> Vec<String> {
    let mut notices: Vec<String> = parents
        .iter()
        .flat_map(|p| p.notices.iter().cloned())
        .collect();
    notices.sort();
    notices.dedup();
    notices.truncate(8);
    notices
}

/// Writes the commons: public datasets, then families of models and
/// datasets, each referring only to records written before it.
fn generate(root: &Path, records: usize) {
    config(root);
    let mut rng = Rng(0x00C0_FFEE_D00D_F00D);
    let source = Some(Source {
        hub: None,
        url: Some("https://example.org/data".into()),
        retrieved: Some("2024-01-01".into()),
        git: None,
        local: None,
    });
    let mut public: Vec<Written> = Vec::new();
    for i in 0..PUBLIC_DATASETS {
        let mut m = Manifest::new(Kind::Dataset, format!("public/data-{i}"));
        m.license = Some(license(
            DATA_LICENSES[rng.below(DATA_LICENSES.len())],
            vec![format!("public/data-{i} contributors")],
        ));
        m.source = source.clone();
        public.push(write(root, &m));
    }
    let per_family = (records - PUBLIC_DATASETS) / FAMILIES;
    let mut written = PUBLIC_DATASETS;
    for f in 0..FAMILIES {
        let count = if f + 1 == FAMILIES {
            records - written
        } else {
            per_family
        };
        let mut models: Vec<Written> = Vec::new();
        let mut datasets: Vec<Written> = Vec::new();
        let mut base = Manifest::new(Kind::Model, format!("family-{f}/base"));
        base.license = Some(license(
            BASE_LICENSES[f % BASE_LICENSES.len()],
            vec![format!("family-{f} base, Copyright its authors")],
        ));
        base.source = source.clone();
        models.push(write(root, &base));
        for i in 1..count {
            let recent = |n: usize, rng: &mut Rng| n - 1 - rng.below(n.min(12));
            if rng.chance(30) {
                let mut m = Manifest::new(Kind::Dataset, format!("family-{f}/data-{i}"));
                let up = if datasets.is_empty() || rng.chance(50) {
                    &public[rng.below(PUBLIC_DATASETS)]
                } else {
                    &datasets[recent(datasets.len(), &mut rng)]
                };
                let ds = m.dataset.as_mut().unwrap();
                ds.upstream.push(reference(up));
                let mut parents = vec![up];
                if rng.chance(25) {
                    let g = &models[recent(models.len(), &mut rng)];
                    ds.generated_by = Some(reference(g));
                    parents.push(g);
                }
                let expr = if rng.chance(85) {
                    up.license.clone()
                } else {
                    DATA_LICENSES[rng.below(DATA_LICENSES.len())].to_owned()
                };
                m.license = Some(license(&expr, inherited(&parents)));
                m.source = source.clone();
                datasets.push(write(root, &m));
            } else {
                let mut m = Manifest::new(Kind::Model, format!("family-{f}/model-{i}"));
                let relation = match rng.below(20) {
                    0..=9 => Relation::FineTune,
                    10..=13 => Relation::Quantization,
                    14..=16 => Relation::Adapter,
                    17 => Relation::Merge,
                    18 => Relation::Distillation,
                    _ => Relation::ContinuedPretraining,
                };
                let parent = &models[recent(models.len(), &mut rng)];
                let mut parents = vec![parent];
                let model = m.model.as_mut().unwrap();
                model.derived_from.push(Upstream {
                    id: parent.id.clone(),
                    relation,
                    digest: Some(parent.digest.clone()),
                });
                if relation == Relation::Merge {
                    let other = &models[rng.below(models.len())];
                    if other.id != parent.id {
                        model.derived_from.push(Upstream {
                            id: other.id.clone(),
                            relation,
                            digest: Some(other.digest.clone()),
                        });
                        parents.push(other);
                    }
                }
                for _ in 0..rng.below(3) {
                    let d = if datasets.is_empty() || rng.chance(40) {
                        &public[rng.below(PUBLIC_DATASETS)]
                    } else {
                        &datasets[recent(datasets.len(), &mut rng)]
                    };
                    if !model.trained_on.iter().any(|r| r.id == d.id) {
                        let r = reference(d);
                        model.trained_on.push(TrainingData {
                            id: r.id,
                            digest: r.digest,
                            stage: None,
                        });
                        parents.push(d);
                    }
                }
                model.published_name = Some(if rng.chance(80) {
                    format!("Llama-3.1-{f}-{i}")
                } else {
                    format!("Model-{f}-{i}")
                });
                model.use_restrictions = vec!["Llama 3.1 Acceptable Use Policy".into()];
                model.weights = Some(match rng.below(10) {
                    0 => Weights::Served,
                    1 => Weights::Private,
                    _ => Weights::Published,
                });
                let expr = if rng.chance(90) {
                    parent.license.clone()
                } else {
                    BASE_LICENSES[rng.below(BASE_LICENSES.len())].to_owned()
                };
                m.license = Some(license(&expr, inherited(&parents)));
                m.source = Some(Source {
                    hub: None,
                    url: None,
                    retrieved: None,
                    git: None,
                    local: Some("trained by the family".into()),
                });
                models.push(write(root, &m));
            }
        }
        written += count;
    }
}

const LLAMA_NOTICE: &str = "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.";

fn config(root: &Path) {
    std::fs::write(
        root.join("commons.yaml"),
        CommonsConfig::new("bench").to_yaml(),
    )
    .unwrap();
}

/// A Llama 3.1 model honouring its license, made from `parents` by
/// `relation`.
fn llama(root: &Path, id: String, parents: &[&Written], relation: Relation) -> Written {
    let mut m = Manifest::new(Kind::Model, id);
    m.license = Some(license("LicenseRef-llama3.1", vec![LLAMA_NOTICE.into()]));
    m.source = Some(Source {
        hub: None,
        url: None,
        retrieved: None,
        git: None,
        local: Some("trained by the lab".into()),
    });
    let model = m.model.as_mut().unwrap();
    model.derived_from = parents
        .iter()
        .map(|p| Upstream {
            id: p.id.clone(),
            relation,
            digest: Some(p.digest.clone()),
        })
        .collect();
    model.published_name = Some("Llama-3.1-Lab".into());
    model.use_restrictions = vec!["Llama 3.1 Acceptable Use Policy".into()];
    model.weights = Some(Weights::Published);
    write(root, &m)
}

/// A chain of fine-tunes `depth` records deep; returns the tip's id.
fn generate_chain(root: &Path, depth: usize) -> String {
    config(root);
    let mut last = llama(root, "lab/chain-0".into(), &[], Relation::FineTune);
    for i in 1..depth {
        last = llama(root, format!("lab/chain-{i}"), &[&last], Relation::FineTune);
    }
    last.id
}

/// `records` models, each merging the one before it and one of the few
/// before that; returns the last one's id.
fn generate_diamonds(root: &Path, records: usize) -> String {
    config(root);
    let mut rng = Rng(0x0D1A_303D_5EED);
    let mut all: Vec<Written> = vec![llama(root, "lab/merge-0".into(), &[], Relation::FineTune)];
    for i in 1..records {
        let a = &all[i - 1];
        let b = &all[i - 1 - rng.below(i.min(8))];
        let parents: Vec<&Written> = if a.id == b.id { vec![a] } else { vec![a, b] };
        let m = llama(root, format!("lab/merge-{i}"), &parents, Relation::Merge);
        all.push(m);
    }
    all.pop().unwrap().id
}

/// `records` models in a wide, shallow lineage: each a fine-tune of a
/// record picked at random among those before it (so a few dozen levels at
/// most), one in ten also merging another.
fn generate_wide(root: &Path, records: usize) {
    config(root);
    let mut rng = Rng(0x0057_1DE0_F00D);
    let mut all: Vec<Written> = vec![llama(root, "lab/wide-0".into(), &[], Relation::FineTune)];
    for i in 1..records {
        let a = &all[rng.below(i)];
        let b = &all[rng.below(i)];
        let (parents, relation): (Vec<&Written>, _) = if rng.chance(10) && a.id != b.id {
            (vec![a, b], Relation::Merge)
        } else {
            (vec![a], Relation::FineTune)
        };
        let m = llama(root, format!("lab/wide-{i}"), &parents, relation);
        all.push(m);
    }
}

/// Peak resident set of this process, from /proc (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One library check in this process, of every record or of `tip`'s
/// lineage: prints `seconds load_seconds peak_kib records findings
/// json_bytes`.
fn measure(root: &Path, tip: Option<&str>) {
    let start = Instant::now();
    let commons = Commons::open(root).unwrap();
    let loaded = commons.load_all().unwrap();
    let load = start.elapsed().as_secs_f64();
    let catalog = Catalog::with_folder(&root.join("licenses")).unwrap();
    let subjects = match tip {
        Some(tip) => Subjects::Lineage(vec![tip.to_owned()]),
        None => Subjects::All,
    };
    let report =
        commons::license::check(&loaded, &catalog, &CheckPolicy::default(), &subjects).unwrap();
    let json = serde_json::to_vec(&report.findings).unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{elapsed} {load} {} {} {} {}",
        peak_rss_kib().unwrap_or(0),
        report.subjects.len(),
        report.findings.len(),
        json.len()
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs `program args` with its output discarded: its wall time and peak
/// resident set (KiB), or `None` when it ran longer than `limit` (then it
/// is killed).
fn run_measured(program: &Path, args: &[&str], limit: Duration) -> Option<(Duration, u64)> {
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            while start.elapsed() < limit {
                if done.load(std::sync::atomic::Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            // SAFETY: signals our own child, which is not reaped before
            // `done` is set.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        })
    };
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 reaps our own child, which nothing else waits for, into
    // a status and a rusage we own.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    watchdog.join().unwrap();
    // Reaped above: dropping `child` would not wait, but keep it from
    // being waited on again.
    std::mem::forget(child);
    assert_eq!(reaped, pid);
    if libc::WIFSIGNALED(status) && elapsed >= limit {
        return None;
    }
    let code = libc::WEXITSTATUS(status);
    assert!(
        libc::WIFEXITED(status) && (code == 0 || code == 1),
        "{} {} failed: status {status}",
        program.display(),
        args.join(" ")
    );
    Some((elapsed, usage.ru_maxrss as u64))
}

/// The median time and largest peak of `runs` runs, as two table cells.
fn cells(program: &Path, args: &[&str], runs: usize, limit: Duration) -> String {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        match run_measured(program, args, limit) {
            Some((t, rss)) => {
                times.push(t);
                peak = peak.max(rss);
            }
            None => return format!("> {limit:.0?} (stopped) | –"),
        }
    }
    format!("{:.3?} | {:.1} MiB", median(times), peak as f64 / 1024.0)
}

/// The library check of one shape, in fresh processes: a table row.
fn library(shape: &str, root: &Path, tip: Option<&str>) {
    let me = std::env::current_exe().unwrap();
    let mut times = Vec::new();
    let mut checks = Vec::new();
    let mut peak = 0;
    let mut summary = String::new();
    for _ in 0..RUNS {
        let mut cmd = Command::new(&me);
        cmd.arg("--measure").arg(root);
        if let Some(tip) = tip {
            cmd.arg(tip);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let fields: Vec<&str> = text.split_whitespace().collect();
        let total: f64 = fields[0].parse().unwrap();
        let load: f64 = fields[1].parse().unwrap();
        times.push(Duration::from_secs_f64(total));
        checks.push(Duration::from_secs_f64(total - load));
        peak = peak.max(fields[2].parse::<u64>().unwrap());
        summary = format!(
            "{} records, {} findings, {} bytes of JSON",
            fields[3], fields[4], fields[5]
        );
    }
    println!(
        "| {shape} | library: load + check + JSON ({summary}) | {:.3?} | {:.1} MiB | | |",
        median(times),
        peak as f64 / 1024.0
    );
    println!(
        "| {shape} | library: check + JSON, without loading | {:.3?} | | | |",
        median(checks)
    );
}

/// The baseline binary and how long it may run, if one is given.
fn baseline() -> Option<(PathBuf, Duration)> {
    let program = PathBuf::from(std::env::var_os("COMMONS_BASELINE")?);
    let limit = std::env::var("COMMONS_BASELINE_TIMEOUT")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(60);
    Some((program, Duration::from_secs(limit)))
}

/// `commons check`, `tree` and `verify` on one shape, by this build and
/// the baseline's, as table rows.
fn commands(shape: &str, root: &Path, tip: Option<&str>, runs: usize) {
    let me = Path::new(env!("CARGO_BIN_EXE_commons"));
    let dir = root.to_str().unwrap();
    let mut all: Vec<Vec<&str>> = vec![match tip {
        Some(tip) => vec!["check", tip, "--format", "json"],
        None => vec!["check", "--format", "json"],
    }];
    if let Some(tip) = tip {
        all.push(vec!["tree", tip]);
        all.push(vec!["tree", tip, "--format", "mermaid"]);
    }
    all.push(vec!["verify", "--no-files", "--format", "json"]);
    for args in all {
        let shown = args.join(" ");
        let args: Vec<&str> = args.into_iter().chain(["-C", dir]).collect();
        let new = cells(me, &args, runs, Duration::from_secs(600));
        let old = match baseline() {
            Some((program, limit)) => cells(&program, &args, 1, limit),
            None => "– | –".into(),
        };
        println!("| {shape} | `commons {shown}` | {new} | {old} |");
    }
}

/// Writes a commons of one shape; returns the record to check from, if
/// not every record.
type Generator = dyn Fn(&Path) -> Option<String>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--measure") {
        measure(
            Path::new(&args[pos + 1]),
            args.get(pos + 2).map(String::as_str),
        );
        return;
    }
    if args.iter().any(|a| a == "--list") {
        println!("check: benchmark");
        return;
    }
    // `--generate SHAPE DIR` writes one shape to keep (for profiling);
    // prints the record to check from, if any.
    if let Some(pos) = args.iter().position(|a| a == "--generate") {
        let (shape, root) = (args[pos + 1].as_str(), Path::new(&args[pos + 2]));
        std::fs::create_dir_all(root).unwrap();
        let tip = match shape {
            "mixed" => {
                generate(root, RECORDS);
                None
            }
            "chain" => Some(generate_chain(root, DEEP)),
            "wide" => {
                generate_wide(root, WIDE_RECORDS);
                None
            }
            "diamonds" => Some(generate_diamonds(root, DIAMONDS)),
            other => panic!("--generate {other}: shapes are mixed, chain, wide, diamonds"),
        };
        println!("{}", tip.unwrap_or_default());
        return;
    }
    println!("| shape | what | median | peak RSS | baseline | baseline peak RSS |");
    println!("|---|---|---|---|---|---|");
    if baseline().is_some() {
        let dir = tempfile::tempdir().unwrap();
        let tip = generate_chain(dir.path(), 1_000);
        commands("chain 1,000 deep", dir.path(), Some(&tip), 3);
    }
    let shapes: [(&str, &Generator); 4] = [
        ("mixed, 10,000", &|root| {
            generate(root, RECORDS);
            None
        }),
        ("chain 10,000 deep", &|root| {
            Some(generate_chain(root, DEEP))
        }),
        ("wide, 100,000", &|root| {
            generate_wide(root, WIDE_RECORDS);
            None
        }),
        ("diamonds, 10,000", &|root| {
            Some(generate_diamonds(root, DIAMONDS))
        }),
    ];
    // `cargo bench --bench check -- chain` runs only the shapes so named.
    let only: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
    for (shape, make) in shapes {
        if !only.is_empty() && !only.iter().any(|o| shape.contains(o.as_str())) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let t = Instant::now();
        let tip = make(dir.path());
        eprintln!("{shape}: generated in {:.2?}", t.elapsed());
        library(shape, dir.path(), tip.as_deref());
        commands(shape, dir.path(), tip.as_deref(), 3);
    }
}
