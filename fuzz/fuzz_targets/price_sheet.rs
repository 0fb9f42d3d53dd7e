//! Price sheets (`--price-sheet`): the input is a CSV sheet; parsing it and pricing the article
//! with it must give a report or an error, never a panic. The path of `PriceSheet` is
//! `closednet::price_sheet` today (the adjust/ refactoring may move it).
#![no_main]

use closednet::catalog::Catalog;
use closednet::report::{Format, render};
use closednet::{Overrides, estimate};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const ARTICLE: &str = include_str!("../../examples/article.yaml");
static CATALOG: OnceLock<Catalog> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if closednet::price_sheet::PriceSheet::parse("fuzz.csv", text).is_err() {
        return;
    }
    let catalog = CATALOG.get_or_init(|| Catalog::embedded().unwrap());
    let o = Overrides {
        fx: vec![("JPY".into(), 150.into())],
        price_sheet: Some(("fuzz.csv".into(), text.to_string())),
        ..Default::default()
    };
    if let Ok(est) = estimate("article.yaml", ARTICLE, catalog, &o) {
        let _ = render(&est, Format::Json);
    }
});
