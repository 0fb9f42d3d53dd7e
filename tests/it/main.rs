//! The integration tests, as one test binary: `cargo test` spent most of its time linking twelve
//! binaries against the library. Each module is one area; tests run the library directly or the
//! built binary (`CARGO_BIN_EXE_closednet`) from the crate root, so paths are relative to it.

mod browser;
mod catalog;
mod check;
mod cli;
mod edges;
mod engine;
mod facts;
mod fetch;
mod finance;
mod golden;
mod hostile;
mod import;
mod loader;
mod messages;
mod platform;
mod prices;
mod properties;
mod recipes;
mod reproducible;
mod rules;
mod schema;
mod support;
mod tiers;
