//! The integration tests: one binary, one module per area, driving the real
//! `commons` executable against real git repositories in temp folders.

#[path = "../../src/sarif_check.rs"]
mod sarif_check;
mod support;
#[cfg(feature = "ml")]
#[path = "../../src/model/tiny.rs"]
mod tiny;

mod check;
mod core;
mod crash;
mod docs;
#[cfg(all(feature = "hub", feature = "ml"))]
mod engines;
#[cfg(feature = "ml")]
mod eval;
mod export;
#[cfg(feature = "hub")]
mod fetch;
mod generated;
mod governance;
mod help;
#[cfg(feature = "ml")]
mod hostile;
#[cfg(all(feature = "hub", feature = "ml"))]
mod journey;
mod rules;
#[cfg(feature = "ml")]
mod run;
