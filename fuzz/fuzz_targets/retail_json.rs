//! Retail Prices API pages: the input is one region's api_management.json; the importer must
//! import it or say why not.
#![no_main]

use closednet::catalog::Catalog;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static CATALOG: OnceLock<Catalog> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let catalog = CATALOG.get_or_init(|| Catalog::embedded().unwrap());
    let dir = std::env::temp_dir().join(format!("closednet-fuzz-retail-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("japaneast")).unwrap();
    std::fs::write(dir.join("japaneast/api_management.json"), data).unwrap();
    let _ = closednet::catalog::import::import(catalog, &dir, "2026-08-15");
});
