//! Where the Hub is, who we are to it, and where its files are cached: read
//! from the same environment variables as `huggingface_hub`, so that one
//! setup serves both tools.

use std::path::PathBuf;

pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";

#[derive(Clone)]
pub struct HubConfig {
    /// Base URL, without a trailing slash (`HF_ENDPOINT`).
    pub endpoint: String,
    /// `HF_TOKEN`, else the file at `HF_TOKEN_PATH`, else `$HF_HOME/token`.
    pub token: Option<String>,
    /// The cache root (`HF_HUB_CACHE`, else `$HF_HOME/hub`).
    pub cache: PathBuf,
    /// Use only the cache (`HF_HUB_OFFLINE=1`).
    pub offline: bool,
}

impl std::fmt::Debug for HubConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubConfig")
            .field("endpoint", &self.endpoint)
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("cache", &self.cache)
            .field("offline", &self.offline)
            .finish()
    }
}

impl HubConfig {
    pub fn from_env() -> HubConfig {
        let endpoint = std::env::var("HF_ENDPOINT")
            .ok()
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
        HubConfig {
            endpoint: endpoint.trim().trim_end_matches('/').to_owned(),
            token: token_from_env(),
            cache: crate::hfcache::cache_root(),
            offline: truthy(std::env::var("HF_HUB_OFFLINE").ok().as_deref()),
        }
    }
}

fn token_from_env() -> Option<String> {
    if truthy(
        std::env::var("HF_HUB_DISABLE_IMPLICIT_TOKEN")
            .ok()
            .as_deref(),
    ) {
        return None;
    }
    if let Some(token) = std::env::var("HF_TOKEN")
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
    {
        return Some(token);
    }
    let path = std::env::var_os("HF_TOKEN_PATH")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::hfcache::hf_home().join("token"));
    std::fs::read_to_string(path)
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// `huggingface_hub`'s reading of boolean variables.
fn truthy(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_uppercase().as_str(),
            "1" | "ON" | "YES" | "TRUE"
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn booleans_read_like_huggingface_hub() {
        for yes in ["1", "ON", "yes", "True"] {
            assert!(super::truthy(Some(yes)), "{yes}");
        }
        for no in ["0", "", "off", "no"] {
            assert!(!super::truthy(Some(no)), "{no}");
        }
        assert!(!super::truthy(None));
    }
}
