//! Helpers every test module uses: exact decimals, the embedded catalog, and an estimate that must
//! succeed.

use closednet::catalog::Catalog;
use closednet::pipeline::{self, Estimate, Overrides};
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn catalog() -> Catalog {
    Catalog::embedded().expect("the embedded catalog loads")
}

/// The estimate of `yaml` (named `test.yaml`) with no overrides; panics with the error otherwise.
pub fn run<'c>(catalog: &'c Catalog, yaml: &str) -> Estimate<'c> {
    pipeline::run("test.yaml", yaml, catalog, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"))
}
