//! The `pricing/` directory, compiled in by `build.rs`: `FILES` (path, TOML text) as written,
//! `JSON_PATHS` and `JSON_TEXTS` (the same content as JSON, price files split by region), and
//! `DIGESTS` (snapshot name, SHA-256 over the TOML).
include!(concat!(env!("OUT_DIR"), "/embedded_pricing.rs"));

/// The JSON files as (path, text) pairs.
pub fn json() -> impl Iterator<Item = (&'static str, &'static str)> {
    // A byte search: `str::split` with a char pattern costs several times more on 700 short lines.
    let mut rest = JSON_PATHS;
    let paths = std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.bytes().position(|b| b == b'\n').unwrap_or(rest.len());
        let (path, tail) = rest.split_at(end);
        rest = tail.get(1..).unwrap_or("");
        Some(path)
    });
    paths.zip(JSON_TEXTS.iter().copied())
}
