//! Embeds the catalog under `pricing/` into the binary, so the default catalog works offline on a
//! fresh machine, and makes loading it cheap: each TOML file is also converted to JSON here (serde_json
//! parses it several times faster than TOML at run time), and each snapshot's SHA-256 is computed
//! here with the same rule as `catalog::digest`. The generated code is included by
//! `src/catalog/embedded.rs`.

use sha2::{Digest, Sha256};
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

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("pricing");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=pricing");
    let mut paths = Vec::new();
    collect(&root, &mut paths);
    // In the order of the relative paths as text, which `catalog::Catalog::embedded` relies on to
    // binary-search FILES.
    paths.sort_by_key(|p| p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
    let mut files = Vec::new();
    let mut toml_code = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    // The JSON paths go into one string of their own, apart from the texts: the compiler places
    // each path literal next to the text it is paired with, so reading the paths of an array of
    // pairs touched a page of the binary per file (about 250 page faults per run).
    let mut json_paths = Vec::new();
    let mut json_code = String::from("pub static JSON_TEXTS: &[&str] = &[\n");
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        writeln!(toml_code, "    ({rel:?}, include_str!({:?})),", path.display().to_string()).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("pricing/{rel}: {e}"));
        // Price files are split by region (`prices/<type>@<region>`): an estimate then parses only
        // the region it prices in.
        let parts: Vec<(String, serde_json::Value)> = match rel.split_once("/prices/") {
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
                by_region.into_iter().map(|(r, v)| (format!("{snap}/prices/{ty}@{r}.toml"), v)).collect()
            }
            None => vec![(rel.clone(), serde_json::to_value(&value).unwrap())],
        };
        for (name, json) in parts {
            let json_path = out_dir.join(format!("{}.json", name.replace(['/', ' '], "_")));
            std::fs::write(&json_path, serde_json::to_string(&json).unwrap()).unwrap();
            writeln!(json_code, "    include_str!({:?}),", json_path.display().to_string()).unwrap();
            json_paths.push(name);
        }
        files.push((rel, text));
    }
    toml_code.push_str("];\n");
    json_code.push_str("];\n");
    writeln!(json_code, "pub static JSON_PATHS: &str = {:?};", json_paths.join("\n")).unwrap();

    // Per snapshot: services/* and <snapshot>/*, path NUL text (CRLF as LF) NUL, in path order.
    let snapshots: Vec<String> =
        files.iter().filter_map(|(p, _)| p.strip_suffix("/snapshot.toml").map(str::to_string)).collect();
    let mut digest_code = String::from("pub static DIGESTS: &[(&str, &str)] = &[\n");
    for snap in snapshots {
        let prefix = format!("{snap}/");
        let mut h = Sha256::new();
        for (path, text) in files.iter().filter(|(p, _)| p.starts_with("services/") || p.starts_with(&prefix)) {
            h.update(path.as_bytes());
            h.update([0]);
            h.update(text.replace("\r\n", "\n").as_bytes());
            h.update([0]);
        }
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        writeln!(digest_code, "    ({snap:?}, {hex:?}),").unwrap();
    }
    digest_code.push_str("];\n");
    std::fs::write(out_dir.join("embedded_pricing.rs"), toml_code + &json_code + &digest_code).unwrap();
}
