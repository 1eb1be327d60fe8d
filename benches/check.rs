//! Benchmark of `commons check` over a generated commons of 10,000
//! manifests (models and datasets, mixed licenses, lineages up to a few
//! dozen records deep with merges, training data and synthetic data).
//!
//! `cargo bench --bench check` generates the commons in a temp folder, then
//! measures, each in a fresh process so that peak memory is the check's own:
//! the library check (load every manifest, build the lineage, check every
//! record, serialise the report), and the real `commons check --format json`
//! end to end. Prints the median of several runs and the peak resident set.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use commons::commons::Commons;
use commons::config::CommonsConfig;
use commons::digest::Sha256Hex;
use commons::license::{Catalog, CheckPolicy, Subjects};
use commons::manifest::{
    Kind, License, Manifest, Reference, Relation, Source, TrainingData, Upstream, Weights,
};

const RECORDS: usize = 10_000;
const PUBLIC_DATASETS: usize = 300;
const FAMILIES: usize = 97;
const RUNS: usize = 7;

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
fn generate(root: &Path) {
    std::fs::write(
        root.join("commons.yaml"),
        CommonsConfig::new("bench").to_yaml(),
    )
    .unwrap();
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
    let per_family = (RECORDS - PUBLIC_DATASETS) / FAMILIES;
    let mut written = PUBLIC_DATASETS;
    for f in 0..FAMILIES {
        let count = if f + 1 == FAMILIES {
            RECORDS - written
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

/// Peak resident set of this process, from /proc (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One library check of the whole commons, in this process: prints
/// `seconds peak_kib records findings json_bytes`.
fn measure(root: &Path) {
    let start = Instant::now();
    let commons = Commons::open(root).unwrap();
    let loaded = commons.load_all().unwrap();
    let catalog = Catalog::with_folder(&root.join("licenses")).unwrap();
    let report =
        commons::license::check(&loaded, &catalog, &CheckPolicy::default(), &Subjects::All)
            .unwrap();
    let json = serde_json::to_vec(&report.findings).unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{elapsed} {} {} {} {}",
        peak_rss_kib().unwrap_or(0),
        loaded.len(),
        report.findings.len(),
        json.len()
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--measure") {
        measure(Path::new(&args[pos + 1]));
        return;
    }
    if args.iter().any(|a| a == "--list") {
        println!("check: benchmark");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root: PathBuf = dir.path().to_path_buf();
    let t = Instant::now();
    generate(&root);
    eprintln!("generated {RECORDS} manifests in {:.2?}", t.elapsed());
    let me = std::env::current_exe().unwrap();
    let mut lib = Vec::new();
    let mut peak = 0;
    let mut summary = String::new();
    for _ in 0..RUNS {
        let out = Command::new(&me)
            .arg("--measure")
            .arg(&root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let fields: Vec<&str> = text.split_whitespace().collect();
        lib.push(Duration::from_secs_f64(fields[0].parse().unwrap()));
        peak = peak.max(fields[1].parse::<u64>().unwrap());
        summary = format!(
            "{} records, {} findings, {} bytes of JSON findings",
            fields[2], fields[3], fields[4]
        );
    }
    let mut cli = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_commons"))
            .args(["check", "--format", "json", "-C"])
            .arg(&root)
            .output()
            .unwrap();
        cli.push(t.elapsed());
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!("check over {summary}");
    println!(
        "library (load + lineage + check + JSON): median {:.3?} over {RUNS} runs, peak RSS {:.1} MiB",
        median(lib),
        peak as f64 / 1024.0
    );
    println!(
        "`commons check --format json` end to end: median {:.3?} over {RUNS} runs",
        median(cli)
    );
}
