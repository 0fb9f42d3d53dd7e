//! `--set PATH=VALUE` expressions: each line of the input is one `--set`, applied to the article
//! (examples/article.yaml); parsing, applying and estimating must give a report or an error,
//! never a panic.
#![no_main]

use closednet::architecture::set::Set;
use closednet::catalog::Catalog;
use closednet::report::{Format, render};
use closednet::{Overrides, estimate};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const ARTICLE: &str = include_str!("../../examples/article.yaml");
static CATALOG: OnceLock<Catalog> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(sets) = text.lines().take(16).map(Set::parse).collect::<Result<Vec<_>, _>>() else { return };
    let catalog = CATALOG.get_or_init(|| Catalog::embedded().unwrap());
    let o = Overrides { fx: vec![("JPY".into(), 150.into())], sets, ..Default::default() };
    if let Ok(est) = estimate("article.yaml", ARTICLE, catalog, &o) {
        let _ = render(&est, Format::Table);
    }
});
