//! A pricing snapshot's digest: SHA-256 over its own files and the service definitions it prices,
//! each as its path, a NUL, its text with CRLF turned into LF, and a NUL, in path order. A definition
//! counts when the snapshot has a price file for its type or names it in `documented.toml`, so adding
//! a service type leaves the recorded digest of a snapshot that does not price it unchanged.
//!
//! This file is shared: the library uses it for catalog directories and `build.rs` includes it (by
//! `#[path]`) for the embedded catalog, so both compute the same digest by one rule. It may use
//! nothing but `std` and `sha2`.

use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// The service types `snapshot` prices: those with a file in `prices/` and those named by a `key` in
/// `documented.toml` (`key = "bastion/basic/host"`).
pub fn types_used(files: &[(String, String)], snapshot: &str) -> BTreeSet<String> {
    let prices = format!("{snapshot}/prices/");
    let documented = format!("{snapshot}/documented.toml");
    let mut out = BTreeSet::new();
    for (path, text) in files {
        if let Some(file) = path.strip_prefix(&prices) {
            let stem = file.strip_suffix(".toml").unwrap_or(file);
            out.insert(stem.split('@').next().unwrap_or(stem).to_string());
        } else if *path == documented {
            for line in text.lines() {
                if let Some(key) = line.trim().strip_prefix("key = \"") {
                    out.insert(key.split('/').next().unwrap_or(key).to_string());
                }
            }
        }
    }
    out
}

/// The digest of `snapshot` over `files` (paths relative to the catalog directory).
pub fn digest(files: &[(String, String)], snapshot: &str) -> String {
    let prefix = format!("{snapshot}/");
    let used = types_used(files, snapshot);
    let definition = |path: &str| {
        path.strip_prefix("services/").and_then(|f| f.strip_suffix(".toml")).is_some_and(|t| used.contains(t))
    };
    let mut chosen: Vec<&(String, String)> =
        files.iter().filter(|(p, _)| definition(p) || p.starts_with(&prefix)).collect();
    chosen.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = Sha256::new();
    for (path, text) in chosen {
        h.update(path.as_bytes());
        h.update([0]);
        h.update(text.replace("\r\n", "\n").as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
