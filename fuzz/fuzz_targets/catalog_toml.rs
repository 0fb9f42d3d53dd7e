//! Catalog files: the input replaces one file of `pricing/` (its first byte picks which).
#![no_main]

use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
use libfuzzer_sys::fuzz_target;

const ARTICLE: &str = include_str!("../../examples/article.yaml");

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    static FILES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../pricing");
    let mut files = FILES.get_or_init(|| closednet::catalog::files_in(std::path::Path::new(dir)).unwrap()).clone();
    let i = pick as usize % files.len();
    files[i].1 = text.to_string();
    if let Ok(c) = Catalog::from_files(files, "fuzz") {
        let _ = pipeline::run("article.yaml", ARTICLE, &c, &Overrides { fx: vec![("JPY".into(), 150.into())], ..Default::default() });
    }
});
