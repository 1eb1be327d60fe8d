//! The Hub's HTTP API as `commons` uses it.
//!
//! hf-hub resolves a revision to its commit (and maps the Hub's answers to
//! errors); what it lacks is written here: the tree listing with each LFS
//! file's sha256 (hf-hub 1.0 drops it), error codes read from `X-Error-Code`
//! whatever the status, and `resolve` requests whose redirects are followed
//! by hand, so that the Hub's own headers (`X-Repo-Commit`, `X-Linked-Size`,
//! `X-Linked-Etag`) are read before the request crosses to the CDN.
//!
//! The token policy lives in one place, [`HubApi::credentials_for`]: the
//! token goes only to the exact origin (scheme, host and port) of
//! `HF_ENDPOINT`, never to a host reached by a redirect or named by a
//! `Link` header; and a listing whose next page lies on another origin is
//! refused rather than followed. Requests whose redirects reqwest follows
//! (hf-hub's, the listing's) lose the header on any change of scheme, host
//! or port: reqwest drops it, as `resolve` hops do here.

use reqwest::header::{AUTHORIZATION, HeaderMap, LOCATION};
use reqwest::{Client, Response, StatusCode, Url};
use serde::Deserialize;

use super::config::HubConfig;
use super::error::{HubError, HubResult};
use super::integrity::Expected;
use crate::digest::Sha256Hex;

/// Model or dataset repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepoKind {
    Model,
    Dataset,
}

impl RepoKind {
    /// `model` / `dataset`, as in the cache's folder names and manifests.
    pub fn singular(self) -> &'static str {
        match self {
            RepoKind::Model => "model",
            RepoKind::Dataset => "dataset",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            RepoKind::Model => "models",
            RepoKind::Dataset => "datasets",
        }
    }

    fn url_prefix(self) -> &'static str {
        match self {
            RepoKind::Model => "",
            RepoKind::Dataset => "datasets/",
        }
    }
}

/// One file of a repository at a commit, as the Hub lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoFile {
    pub path: String,
    pub size: u64,
    pub expected: Expected,
}

impl RepoFile {
    pub fn is_lfs(&self) -> bool {
        matches!(self.expected, Expected::Lfs { .. })
    }
}

/// What the Hub says about a file when asked for it, before any redirect.
#[derive(Debug, Default)]
pub struct HubHeaders {
    pub commit: Option<String>,
    pub size: Option<u64>,
    pub etag: Option<String>,
}

pub struct HubApi {
    config: HubConfig,
    hf: hf_hub::HFClient,
    /// Follows redirects (API calls).
    client: Client,
    /// Follows none: `resolve` redirects are followed by hand.
    manual: Client,
}

const MAX_REDIRECTS: usize = 5;
/// Pages of one tree listing followed at most (the Hub pages by 1,000
/// entries: ten million files).
const MAX_PAGES: usize = 10_000;

impl HubApi {
    pub fn new(config: HubConfig) -> HubResult<HubApi> {
        let transport = |e: reqwest::Error| HubError::Transport {
            url: config.endpoint.clone(),
            message: chain(&e),
        };
        let builder = || {
            Client::builder()
                .user_agent(concat!(
                    "commons/",
                    env!("CARGO_PKG_VERSION"),
                    "; hf-hub/1.0"
                ))
                .connect_timeout(std::time::Duration::from_secs(10))
                .read_timeout(std::time::Duration::from_secs(60))
                .tcp_nodelay(true)
        };
        let client = builder().build().map_err(transport)?;
        let manual = builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(transport)?;
        let mut hf = hf_hub::HFClient::builder()
            .endpoint(config.endpoint.clone())
            .cache_dir(config.cache.clone())
            .client(client.clone())
            .retry_max_attempts(2);
        if let Some(token) = &config.token {
            hf = hf.token(token.clone());
        }
        let hf = hf.build().map_err(|e| HubError::Protocol {
            url: config.endpoint.clone(),
            message: e.to_string(),
        })?;
        Ok(HubApi {
            config,
            hf,
            client,
            manual,
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.config.endpoint
    }

    /// The 40-hex commit a branch, tag or commit names.
    pub async fn resolve_commit(
        &self,
        kind: RepoKind,
        repo: &str,
        revision: &str,
    ) -> HubResult<String> {
        let (owner, name) = hf_hub::split_id(repo);
        let sha = match kind {
            RepoKind::Model => self
                .hf
                .model(owner, name)
                .info()
                .revision(revision)
                .send()
                .await
                .map(|i| i.sha),
            RepoKind::Dataset => self
                .hf
                .dataset(owner, name)
                .info()
                .revision(revision)
                .send()
                .await
                .map(|i| i.sha),
        }
        .map_err(|e| self.map_hf_error(e, repo, revision))?;
        let url = format!(
            "{}/api/{}/{repo}/revision/{revision}",
            self.config.endpoint,
            kind.plural()
        );
        match sha {
            Some(sha) if crate::hfcache::is_commit(&sha) => Ok(sha.to_ascii_lowercase()),
            other => Err(HubError::Protocol {
                url,
                message: format!("no 40-hex commit in the answer (sha: {other:?})"),
            }),
        }
    }

    /// Every file of the repository at `commit`, with the digest the Hub
    /// vouches for.
    pub async fn list_files(
        &self,
        kind: RepoKind,
        repo: &str,
        commit: &str,
    ) -> HubResult<Vec<RepoFile>> {
        let first = format!(
            "{}/api/{}/{repo}/tree/{commit}?recursive=true",
            self.config.endpoint,
            kind.plural()
        );
        let mut next = Some(self.parse_url(&first)?);
        let mut files = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(url) = next.take() {
            if !seen.insert(url.to_string()) || seen.len() > MAX_PAGES {
                return Err(HubError::EndlessListing {
                    url: url.to_string(),
                    pages: MAX_PAGES,
                });
            }
            let response = self
                .client
                .get(url.clone())
                .headers(self.credentials_for(&url))
                .send()
                .await
                .map_err(|e| HubError::Transport {
                    url: url.to_string(),
                    message: chain(&e),
                })?;
            let response = self.check(response, repo, commit, None).await?;
            next = next_link(response.headers(), &url);
            if let Some(target) = next.as_ref().filter(|t| !self.is_hub_origin(t)) {
                return Err(HubError::ForeignOrigin {
                    url: url.to_string(),
                    target: target.origin().ascii_serialization(),
                });
            }
            let body = response.bytes().await.map_err(|e| HubError::Transport {
                url: url.to_string(),
                message: chain(&e),
            })?;
            files.extend(parse_listing(&body).map_err(|message| HubError::Protocol {
                url: url.to_string(),
                message,
            })?);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// The URL of a file at a commit.
    pub fn resolve_url(
        &self,
        kind: RepoKind,
        repo: &str,
        commit: &str,
        path: &str,
    ) -> HubResult<Url> {
        let mut url = self.parse_url(&format!(
            "{}/{}{repo}/resolve/{commit}",
            self.config.endpoint,
            kind.url_prefix()
        ))?;
        url.path_segments_mut()
            .map_err(|_| HubError::Protocol {
                url: self.config.endpoint.clone(),
                message: "not a base URL".into(),
            })?
            .extend(path.split('/'));
        Ok(url)
    }

    /// GETs a file from `start`, following redirects by hand. Returns the
    /// final response (checked: 200 or 206) and the Hub's headers from the
    /// first hop.
    pub async fn get_file(
        &self,
        url: &Url,
        start: u64,
        ctx: (&str, &str, &str),
    ) -> HubResult<(Response, HubHeaders)> {
        let (repo, commit, path) = ctx;
        let mut current = url.clone();
        let mut hub = HubHeaders::default();
        for hop in 0..=MAX_REDIRECTS {
            let mut request = self
                .manual
                .get(current.clone())
                .headers(self.credentials_for(&current));
            if start > 0 {
                request = request.header(reqwest::header::RANGE, format!("bytes={start}-"));
            }
            let response = request.send().await.map_err(|e| HubError::Transport {
                url: current.to_string(),
                message: chain(&e),
            })?;
            if hop == 0 {
                hub = hub_headers(response.headers());
            }
            if response.status().is_redirection() {
                let location = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .ok_or_else(|| HubError::Protocol {
                        url: current.to_string(),
                        message: "redirect without a Location".into(),
                    })?;
                current = current.join(location).map_err(|e| HubError::Protocol {
                    url: current.to_string(),
                    message: format!("bad redirect `{location}`: {e}"),
                })?;
                continue;
            }
            if response.status() == StatusCode::RANGE_NOT_SATISFIABLE {
                return Ok((response, hub));
            }
            let response = self.check(response, repo, commit, Some(path)).await?;
            return Ok((response, hub));
        }
        Err(HubError::Protocol {
            url: url.to_string(),
            message: format!("more than {MAX_REDIRECTS} redirects"),
        })
    }

    /// The credentials a request to `url` carries: the token, only when
    /// `url` has exactly the scheme, host and port of `HF_ENDPOINT`.
    fn credentials_for(&self, url: &Url) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(token) = &self.config.token
            && self.is_hub_origin(url)
            && let Ok(mut value) =
                reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))
        {
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        headers
    }

    /// Whether `url` is on the origin `HF_ENDPOINT` names.
    fn is_hub_origin(&self, url: &Url) -> bool {
        Url::parse(&self.config.endpoint).is_ok_and(|hub| hub.origin() == url.origin())
    }

    fn parse_url(&self, url: &str) -> HubResult<Url> {
        Url::parse(url).map_err(|e| HubError::Protocol {
            url: url.to_owned(),
            message: format!("bad URL: {e}"),
        })
    }

    /// Passes a success through; turns anything else into the error the
    /// Hub's `X-Error-Code` (or, failing that, the status) says it is.
    async fn check(
        &self,
        response: Response,
        repo: &str,
        revision: &str,
        path: Option<&str>,
    ) -> HubResult<Response> {
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let url = response.url().to_string();
        let code = header(response.headers(), "x-error-code");
        let header_message = header(response.headers(), "x-error-message");
        let body = response.text().await.unwrap_or_default();
        let message = header_message.or_else(|| json_error(&body));
        Err(self.classify(Failure {
            status,
            url,
            code,
            message,
            repo,
            revision,
            path,
        }))
    }

    fn classify(&self, f: Failure<'_>) -> HubError {
        let repo = f.repo.to_owned();
        match f.code.as_deref() {
            Some("RepoNotFound") => {
                return HubError::RepoNotFound {
                    repo,
                    endpoint: self.config.endpoint.clone(),
                    code: "RepoNotFound".into(),
                };
            }
            Some("RevisionNotFound") => {
                return HubError::RevisionNotFound {
                    repo,
                    revision: f.revision.to_owned(),
                };
            }
            Some("EntryNotFound") => {
                return HubError::EntryNotFound {
                    repo,
                    commit: f.revision.to_owned(),
                    path: f.path.unwrap_or_default().to_owned(),
                };
            }
            Some("GatedRepo") => {
                let message = f.message.unwrap_or_else(|| "access is restricted".into());
                return HubError::Gated { repo, message };
            }
            _ => {}
        }
        let code = f
            .code
            .map(|c| format!(", error code {c}"))
            .unwrap_or_default();
        match f.status {
            401 | 403 => HubError::Unauthorized {
                url: f.url,
                status: f.status,
                code,
            },
            status => {
                let detail = match f.message {
                    Some(m) if !m.is_empty() => format!("{code}: {m}"),
                    _ => code,
                };
                HubError::Http {
                    url: f.url,
                    status,
                    detail,
                }
            }
        }
    }

    fn map_hf_error(&self, error: hf_hub::HFError, repo: &str, revision: &str) -> HubError {
        use hf_hub::HFError as E;
        let context = match &error {
            E::Http { context } | E::AuthRequired { context } | E::Forbidden { context } => {
                Some(context.as_ref())
            }
            E::RateLimited { context, .. } => Some(context.as_ref()),
            E::RepoNotFound { context, .. } | E::RevisionNotFound { context, .. } => {
                context.as_deref()
            }
            _ => None,
        };
        if let Some(ctx) = context {
            return self.classify(Failure {
                status: ctx.status.as_u16(),
                url: ctx.url.clone(),
                code: ctx.error_code.clone(),
                message: ctx.server_message.clone(),
                repo,
                revision,
                path: None,
            });
        }
        match error {
            E::RevisionNotFound { .. } => HubError::RevisionNotFound {
                repo: repo.to_owned(),
                revision: revision.to_owned(),
            },
            E::RepoNotFound { .. } => HubError::RepoNotFound {
                repo: repo.to_owned(),
                endpoint: self.config.endpoint.clone(),
                code: "none".into(),
            },
            E::Request { source, url } => HubError::Transport {
                url: url.unwrap_or_else(|| self.config.endpoint.clone()),
                message: chain(&source),
            },
            other => HubError::Protocol {
                url: self.config.endpoint.clone(),
                message: other.to_string(),
            },
        }
    }
}

struct Failure<'a> {
    status: u16,
    url: String,
    code: Option<String>,
    message: Option<String>,
    repo: &'a str,
    revision: &'a str,
    path: Option<&'a str>,
}

#[derive(Deserialize)]
struct TreeEntry {
    #[serde(rename = "type")]
    kind: String,
    path: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    oid: String,
    #[serde(default)]
    lfs: Option<LfsPointer>,
}

#[derive(Deserialize)]
struct LfsPointer {
    oid: String,
    size: u64,
}

impl TreeEntry {
    fn into_file(self) -> Result<Option<RepoFile>, String> {
        if self.kind != "file" {
            return Ok(None);
        }
        let path = self.path;
        let file = match self.lfs {
            Some(lfs) => {
                let sha256 = Sha256Hex::try_from(lfs.oid.to_ascii_lowercase())
                    .map_err(|e| format!("`{path}`: LFS oid: {e}"))?;
                RepoFile {
                    path,
                    size: lfs.size,
                    expected: Expected::Lfs { sha256 },
                }
            }
            None => {
                if !crate::hfcache::is_commit(&self.oid) {
                    return Err(format!("`{path}`: `{}` is not a git blob id", self.oid));
                }
                RepoFile {
                    path,
                    size: self.size,
                    expected: Expected::GitBlob {
                        sha1: self.oid.to_ascii_lowercase(),
                    },
                }
            }
        };
        Ok(Some(file))
    }
}

/// The files of one page of a tree listing (directories left out).
fn parse_listing(body: &[u8]) -> Result<Vec<RepoFile>, String> {
    let entries: Vec<TreeEntry> =
        serde_json::from_slice(body).map_err(|e| format!("tree listing: {e}"))?;
    let mut files = Vec::new();
    for entry in entries {
        if let Some(file) = entry.into_file()? {
            files.push(file);
        }
    }
    Ok(files)
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn hub_headers(headers: &HeaderMap) -> HubHeaders {
    let etag = header(headers, "x-linked-etag")
        .or_else(|| header(headers, "etag"))
        .map(|e| {
            let e = e.strip_prefix("W/").unwrap_or(&e);
            e.trim_matches('"').to_owned()
        });
    HubHeaders {
        commit: header(headers, "x-repo-commit"),
        size: header(headers, "x-linked-size").and_then(|s| s.parse().ok()),
        etag,
    }
}

fn json_error(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value.get("error")?.as_str().map(str::to_owned)
}

/// The `rel="next"` target of a `Link` header.
fn next_link(headers: &HeaderMap, base: &Url) -> Option<Url> {
    let link = headers.get("link")?.to_str().ok()?;
    link.split(',')
        .find(|part| part.contains("rel=\"next\""))
        .and_then(|part| {
            let start = part.find('<')? + 1;
            let end = part.find('>')?;
            base.join(&part[start..end]).ok()
        })
}

/// An error and its causes on one line.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_hub_listing() {
        crate::fuzz::fuzz(
            "hub-listing",
            crate::fuzz::JSON_WORDS,
            Vec::new(),
            |bytes| {
                if let Ok(files) = parse_listing(bytes) {
                    for file in files {
                        let _ = crate::paths::check_relative(&file.path);
                    }
                }
            },
        );
    }

    #[test]
    fn tree_entries_keep_the_lfs_sha256() {
        let json = r#"[
            {"type":"directory","oid":"1111111111111111111111111111111111111111","path":"1_Pooling"},
            {"type":"file","oid":"ce013625030ba8dba906f756967f9e9ca394464a","size":6,"path":"a.txt"},
            {"type":"file","oid":"2222222222222222222222222222222222222222","size":90,"path":"m.safetensors",
             "lfs":{"oid":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","size":90,"pointerSize":134}}
        ]"#;
        let entries: Vec<TreeEntry> = serde_json::from_str(json).unwrap();
        let files: Vec<RepoFile> = entries
            .into_iter()
            .filter_map(|e| e.into_file().unwrap())
            .collect();
        assert_eq!(files.len(), 2);
        assert!(!files[0].is_lfs());
        assert_eq!(
            files[1].expected.etag(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn link_headers_paginate() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "link",
            "<https://hub.test/api/models/a/b/tree/main?cursor=x>; rel=\"next\""
                .parse()
                .unwrap(),
        );
        let base = Url::parse("https://hub.test/api/models/a/b/tree/main").unwrap();
        assert_eq!(
            next_link(&headers, &base).unwrap().query(),
            Some("cursor=x")
        );
    }
}
