//! `commons`: stewardship of commons AI models.
//!
//! The library holds every piece of real work; the binary (`src/main.rs`) only
//! parses arguments, calls [`cli::run`] and maps the outcome to an exit code.
//! Domain modules (manifest, signing, commons, verify, license, hub, model,
//! eval) know nothing of the terminal: they return values and typed errors,
//! and [`output`] alone decides how those look.

pub mod bounded;
pub mod cli;
pub mod clone_trust;
pub mod code_scanning;
pub mod commands;
pub mod commit_lock;
pub mod commons;
pub mod config;
pub mod digest;
pub mod error;
pub mod export;
pub mod files;
pub mod finding;
pub mod governance;
pub mod hfcache;
pub mod keys;
pub mod lineage;
pub mod listing;
pub mod manifest;
pub mod openness;
pub mod output;
pub mod paths;
pub mod pins;
pub mod record;
pub mod records;
pub mod rule;
pub mod schema;
pub mod signing;
pub mod snapshot;
pub mod verify;
pub mod waiver;
pub mod yaml;

pub mod license;

#[cfg(feature = "hub")]
pub mod hub;

#[cfg(feature = "ml")]
pub mod model;

#[cfg(feature = "ml")]
pub mod eval;

pub use error::{Error, Result};

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod sarif_check;
