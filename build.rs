//! Embeds the catalog under `pricing/` into the binary, so the default catalog works offline on a
//! fresh machine, and makes loading it cheap: each TOML file is also converted to JSON here
//! (serde_json parses it several times faster than TOML at run time), price files are split by
//! region, and everything is laid out as one blob with a numeric index ready to binary-search (see
//! `src/catalog/embedded.rs` for why). Each snapshot's SHA-256 is computed here with the same rule
//! as `catalog::digest`. The generated code is included by `src/catalog/embedded.rs`.

// A build script reports a broken `pricing/` file by panicking: cargo shows the message and stops
// the build, which is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "src/catalog/digest.rs"]
mod digest;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

const CHECKSUMS: &str = "checksums.toml";

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("pricing");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=pricing");
    println!("cargo:rerun-if-changed=src/catalog/digest.rs");
    let mut paths = Vec::new();
    collect(&root, &mut paths);
    // In the order of the relative paths as text, the order the digests hash them in.
    paths.sort_by_key(|p| p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
    let mut files = Vec::new();
    // The JSON form, as an index ready to use: service types, snapshot metadata, and price files
    // as (snapshot, group, region) sorted the way `catalog::snapshot` binary-searches them. The
    // texts are one blob and the names another, addressed by numeric spans: a static array of
    // string pointers is relocated (written) by the loader in every run, and string literals paired
    // with texts land next to them, so either way each file cost a page fault at start-up.
    let mut services: Vec<(String, String)> = Vec::new();
    let mut metas: Vec<(String, String)> = Vec::new();
    let mut prices: Vec<((String, String, String), String)> = Vec::new();
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("pricing/{rel}: {e}"));
        // Price files are split by region (`prices/<type>@<region>`): an estimate then parses only
        // the region it prices in.
        // (snapshot, group, region) for price files; documented.toml is the group "documented".
        let parts: Vec<((String, String, String), serde_json::Value)> = match rel.split_once("/prices/") {
            Some((snap, file)) => {
                let ty = file.trim_end_matches(".toml");
                let mut by_region: std::collections::BTreeMap<String, serde_json::Value> = Default::default();
                for list in ["price", "missing"] {
                    for item in value.get(list).and_then(|v| v.as_array()).cloned().unwrap_or_default() {
                        let region = item.get("region").and_then(|r| r.as_str()).unwrap_or("").to_string();
                        let entry =
                            by_region.entry(region).or_insert_with(|| serde_json::json!({"price": [], "missing": []}));
                        entry[list].as_array_mut().unwrap().push(serde_json::to_value(&item).unwrap());
                    }
                }
                by_region.into_iter().map(|(r, v)| ((snap.to_string(), ty.to_string(), r), v)).collect()
            }
            None => vec![((String::new(), String::new(), String::new()), serde_json::to_value(&value).unwrap())],
        };
        for (key, json) in parts {
            let json = serde_json::to_string(&json).unwrap();
            match (rel.split('/').collect::<Vec<_>>().as_slice(), key.0.is_empty()) {
                (_, false) => prices.push((key, json)),
                (["services", file], true) => services.push((file.trim_end_matches(".toml").to_string(), json)),
                ([snap, "snapshot.toml"], true) => metas.push((snap.to_string(), json)),
                ([snap, "documented.toml"], true) => {
                    prices.push(((snap.to_string(), "documented".to_string(), String::new()), json))
                }
                ([CHECKSUMS], true) => {}
                _ => panic!("pricing/{rel}: not a catalog file"),
            }
        }
        files.push((rel, text));
    }
    services.sort();
    metas.sort();
    prices.sort();
    let mut blob = String::new();
    let mut names = String::new();
    let mut add = |to_blob: bool, text: &str| -> String {
        let target = if to_blob { &mut blob } else { &mut names };
        let start = target.len();
        target.push_str(text);
        format!("({start}, {})", target.len())
    };
    let mut json_code = String::from("pub static SERVICES: &[Named] = &[\n");
    for (type_id, json) in &services {
        writeln!(json_code, "    Named {{ name: {}, text: {} }},", add(false, type_id), add(true, json)).unwrap();
    }
    json_code.push_str("];\npub static SNAPSHOTS: &[SnapshotEntry] = &[\n");
    let mut file_code = String::from("pub static PRICE_FILES: &[FileEntry] = &[\n");
    let mut count = 0;
    for (snap, meta) in &metas {
        let start = count;
        let mine: Vec<_> = prices.iter().filter(|p| p.0.0 == *snap).collect();
        // The blob holds a snapshot's files region by region, the documented figures first: an
        // estimate reads one region's files, which then share pages of the binary.
        let mut by_region: Vec<usize> = (0..mine.len()).collect();
        by_region.sort_by_key(|&i| (&mine[i].0.2, &mine[i].0.1));
        let mut spans = vec![String::new(); mine.len()];
        for i in by_region {
            spans[i] = add(true, &mine[i].1);
        }
        for (((_, group, region), _), t) in mine.iter().zip(&spans) {
            let (g, r) = (add(false, group), add(false, region));
            writeln!(file_code, "    FileEntry {{ group: {g}, region: {r}, text: {t} }},").unwrap();
            count += 1;
        }
        let (n, m) = (add(false, snap), add(true, meta));
        writeln!(json_code, "    SnapshotEntry {{ name: {n}, meta: {m}, files: ({start}, {count}) }},").unwrap();
    }
    json_code.push_str("];\n");
    file_code.push_str("];\n");
    json_code.push_str(&file_code);
    std::fs::write(out_dir.join("catalog.blob"), &blob).unwrap();
    writeln!(json_code, "pub static BLOB: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/catalog.blob\"));")
        .unwrap();
    writeln!(json_code, "pub static NAMES: &str = {names:?};").unwrap();
    let checksums = files.iter().find(|(p, _)| p == CHECKSUMS).map(|(_, t)| t.as_str()).unwrap_or("");
    writeln!(json_code, "pub static CHECKSUMS_TEXT: &str = {checksums:?};").unwrap();

    // Per snapshot, by the library's own rule (src/catalog/digest.rs).
    let snapshots: Vec<String> =
        files.iter().filter_map(|(p, _)| p.strip_suffix("/snapshot.toml").map(str::to_string)).collect();
    let mut digest_code = String::from("pub static DIGESTS: &[(&str, &str)] = &[\n");
    for snap in snapshots {
        let hex = digest::digest(&files, &snap);
        writeln!(digest_code, "    ({snap:?}, {hex:?}),").unwrap();
    }
    digest_code.push_str("];\n");
    std::fs::write(out_dir.join("embedded_pricing.rs"), json_code + &digest_code).unwrap();
}
