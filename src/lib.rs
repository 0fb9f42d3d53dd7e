//! closednet prices an Azure architecture twice: as an RBAC-only, pay-as-you-go design with
//! public endpoints, and as a closed-network design in which every service is reachable only
//! privately. A rules engine moves each service to the cheapest tier that supports what the closed
//! network needs and adds what a closed network brings with it; the report explains every bump.
//!
//! # Layers
//!
//! Modules sit on floors, top to bottom; a module imports only from its own floor's module tree or
//! from floors below it (a test, `tests/it/layers.rs`, reads every `crate::` path and fails on an
//! upward import):
//!
//! | floor | modules | what they do |
//! |---|---|---|
//! | 13 | [`cli`], [`mcp`] | the command line's arguments, and an MCP server's tool calls, turned into the library's types |
//! | 12 | [`report`] | pure functions from results to text: every format |
//! | 11 | [`scenario`] | many variants of one file through the pipeline: named scenarios, compare, sweep |
//! | 10 | [`gate`] | `check`'s policy: budgets and finding severities |
//! | 9 | [`figures`] | the presented figures (converted, rounded, by requirement) every format shows |
//! | 8 | [`pipeline`] | model -> tier choice -> what you pay -> findings: an [`Estimate`] |
//! | 7 | [`adjust`] | what you actually pay: price sheet, savings plan, your prices, discounts |
//! | 6 | [`rules`] | the engine: needs, tier choice, what closing adds, findings |
//! | 5 | [`calculator`], [`iac`] | line items for one priced resource; infrastructure code read in |
//! | 4 | [`architecture`] | the architecture file: model, validation, `--set`, the architect's terms |
//! | 3 | [`catalog`] | service definitions and dated price snapshots |
//! | 2 | [`atomic`], [`date`], [`hash`], [`money`], [`registry`], [`suggest`] | leaves |
//! | 1 | [`error`] | the error every layer returns |
//! | 0 | [`escape`] | input text made safe for terminals and CI logs |
//!
//! Scenarios and sweeps sit above the pipeline and the gate, an MCP server belongs beside the
//! command line: each calls the library, never the other way round.

pub mod adjust;
pub mod architecture;
pub mod atomic;
pub mod calculator;
pub mod catalog;
pub mod cli;
pub mod date;
pub mod error;
pub mod escape;
pub mod figures;
pub mod gate;
pub mod hash;
pub mod iac;
pub mod mcp;
pub mod money;
pub mod pipeline;
pub mod registry;
pub mod report;
pub mod rules;
pub mod scenario;
pub mod suggest;

pub use pipeline::{Estimate, Overrides};
