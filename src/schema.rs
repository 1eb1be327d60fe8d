//! The published JSON Schemas of the manifest and of `commons.yaml`,
//! generated from the Rust types so that they cannot drift.

use crate::config::CommonsConfig;
use crate::manifest::Manifest;

/// The manifest schema as pretty JSON.
pub fn manifest_schema() -> String {
    let schema = schemars::schema_for!(Manifest);
    serde_json::to_string_pretty(&schema).expect("schemas serialise") + "\n"
}

/// The `commons.yaml` schema as pretty JSON.
pub fn config_schema() -> String {
    let schema = schemars::schema_for!(CommonsConfig);
    serde_json::to_string_pretty(&schema).expect("schemas serialise") + "\n"
}
