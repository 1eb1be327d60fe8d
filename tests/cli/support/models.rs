//! Where the real small models live once `scripts/fetch-models` has run.

use std::path::PathBuf;

/// The folder holding the unpacked real models, or None (tests that need
/// them then fail with a pointer to the script, never silently pass).
pub fn models_dir() -> PathBuf {
    let dir = std::env::var_os("COMMONS_TEST_MODELS")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-models"));
    assert!(
        dir.join(".complete-v2").exists(),
        "real test models missing in {}: run scripts/fetch-models first",
        dir.display()
    );
    dir
}

/// The shared evaluation data (`../shared/data` beside the checkout).
pub fn data_dir() -> PathBuf {
    std::env::var_os("COMMONS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}
