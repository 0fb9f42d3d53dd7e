//! Catalog files: the input replaces one file of the embedded catalog (its first byte picks which).
#![no_main]

use closednet::catalog::Catalog;
use closednet::catalog::embedded::FILES;
use closednet::{Overrides, estimate};
use libfuzzer_sys::fuzz_target;

const ARTICLE: &str = include_str!("../../examples/article.yaml");

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut files: Vec<(String, String)> = FILES.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
    let i = pick as usize % files.len();
    files[i].1 = text.to_string();
    if let Ok(c) = Catalog::from_files(files, "fuzz") {
        let _ = estimate("article.yaml", ARTICLE, &c, &Overrides { fx: vec![("JPY".into(), 150.into())], ..Default::default() });
    }
});
