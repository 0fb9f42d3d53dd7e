//! The integration tests, as one test binary: `cargo test` spent most of its time linking twelve
//! binaries against the library. Each module is one area; tests run the library directly or the
//! built binary (`CARGO_BIN_EXE_closednet`) from the crate root, so paths are relative to it.

// Tests and their helpers (support.rs) unwrap and expect: a panic is a failing test with the
// value in its message. clippy.toml allows them only inside `#[cfg(test)]` and `#[test]` items.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod baselines;
mod breadth;
mod browser;
mod catalog;
mod check;
mod cli;
mod currency;
mod edges;
mod engine;
mod facts;
mod facts_third;
mod fetch;
mod fetch_bounds;
mod finance;
mod golden;
mod hostile;
mod iac;
mod import;
mod import_checks;
mod integrations;
mod layers;
mod loader;
mod mcp;
mod messages;
mod output_io;
mod platform;
mod prices;
mod properties;
mod reports;
mod reproducible;
mod rules;
mod scenarios;
mod schema;
mod secrets;
mod support;
mod sweep;
mod tiers;
mod trust;
mod unit_overflow;
