//! Architecture files: load, estimate and render every format. Errors are fine; panics are not.
#![no_main]

use closednet::catalog::Catalog;
use closednet::report::{Format, render};
use closednet::pipeline::{self, Overrides};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static CATALOG: OnceLock<Catalog> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let catalog = CATALOG.get_or_init(|| Catalog::embedded().unwrap());
    let o = Overrides { fx: vec![("JPY".into(), 150.into())], ..Default::default() };
    if let Ok(est) = pipeline::run("fuzz.yaml", text, catalog, &o) {
        for f in [Format::Table, Format::Json, Format::Csv { excel: false }, Format::Markdown, Format::Html, Format::Xlsx] {
            let _ = render(&est, f);
        }
    }
});
