//! Embeds the catalog under `pricing/` into the binary, so the default catalog works offline on a
//! fresh machine, and makes reading it cheap: each TOML file is written here in the compact form of
//! `src/catalog/compact` (read without scanning text, its strings borrowed until a field takes
//! them), price files and `documented.toml` are split by region, and everything is laid out with a
//! numeric index ready to binary-search (see `src/catalog/embedded.rs` for why). A TOML float or
//! date in a catalog file stops the build, naming the file and key. Each snapshot's SHA-256 is
//! computed here over the TOML sources with the same rule as `catalog::digest`. The generated code
//! is included by `src/catalog/embedded.rs`.

// A build script reports a broken `pricing/` file by panicking: cargo shows the message and stops
// the build, which is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "src/catalog/digest.rs"]
mod digest;
#[path = "src/catalog/compact/write.rs"]
mod write;

use std::collections::BTreeMap;
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
/// Group name of `documented.toml` in the index (`catalog::snapshot::DOCUMENTED`).
const DOCUMENTED: &str = "documented";

/// What one catalog file becomes in the index.
enum Part {
    Service(String, toml::Table),
    Meta(String, toml::Table),
    /// (snapshot, group, region): a price file's or documented.toml's entries of one region.
    Prices((String, String, String), toml::Table),
}

/// A price file (or documented.toml) as one table of `price` and `missing` entries per region: an
/// estimate then reads only the region it prices in.
fn by_region(table: &toml::Table) -> BTreeMap<String, toml::Table> {
    let mut out: BTreeMap<String, toml::Table> = BTreeMap::new();
    for list in ["price", "missing"] {
        for item in table.get(list).and_then(|v| v.as_array()).cloned().unwrap_or_default() {
            let region = item.get("region").and_then(|r| r.as_str()).unwrap_or("").to_string();
            let entry = out.entry(region).or_insert_with(|| {
                ["price", "missing"].into_iter().map(|l| (l.to_string(), toml::Value::Array(Vec::new()))).collect()
            });
            if let Some(toml::Value::Array(items)) = entry.get_mut(list) {
                items.push(item);
            }
        }
    }
    // A documented.toml's currency holds for every region's part of it.
    if let Some(currency) = table.get("currency") {
        for part in out.values_mut() {
            part.insert("currency".to_string(), currency.clone());
        }
    }
    out
}

fn parts(rel: &str, table: toml::Table) -> Vec<Part> {
    let split = |snap: &str, group: &str| -> Vec<Part> {
        by_region(&table)
            .into_iter()
            .map(|(region, t)| Part::Prices((snap.to_string(), group.to_string(), region), t))
            .collect()
    };
    match rel.split('/').collect::<Vec<_>>().as_slice() {
        ["services", file] => vec![Part::Service(file.trim_end_matches(".toml").to_string(), table)],
        [snap, "snapshot.toml"] => vec![Part::Meta(snap.to_string(), table)],
        [snap, "documented.toml"] => split(snap, DOCUMENTED),
        [snap, "prices", file] => split(snap, file.trim_end_matches(".toml")),
        [CHECKSUMS] => Vec::new(),
        _ => panic!("pricing/{rel}: not a catalog file"),
    }
}

/// The rustc version's minor number (`rustc 1.95.0 (...)` gives 95), if it can be read.
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var("RUSTC").ok()?;
    let out = std::process::Command::new(rustc).arg("--version").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.split_whitespace().nth(1)?.split('.').nth(1)?.parse().ok()
}

/// Places the functions a first run executes next to each other (`link/startup.order`, see
/// `link/startup-order.sh`): scattered, they cost a page fault per 64 KB window of code in every
/// run. Only where the linker is known to be lld, which takes `--symbol-ordering-file`: x86_64
/// Linux with rustc 1.90 or later (whose default linker it is) and no linker configured.
fn order_functions(manifest: &Path) {
    let order = manifest.join("link").join("startup.order");
    println!("cargo:rerun-if-changed={}", order.display());
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let target = (var("CARGO_CFG_TARGET_ARCH"), var("CARGO_CFG_TARGET_OS"), var("CARGO_CFG_TARGET_ENV"));
    let default_linker = std::env::var_os("RUSTC_LINKER").is_none() && !var("CARGO_ENCODED_RUSTFLAGS").contains("link");
    if target == ("x86_64".into(), "linux".into(), "gnu".into())
        && default_linker
        && rustc_minor().is_some_and(|m| m >= 90)
        && order.is_file()
    {
        println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", order.display());
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    order_functions(&manifest);
    let root = manifest.join("pricing");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=pricing");
    println!("cargo:rerun-if-changed=src/catalog/digest.rs");
    println!("cargo:rerun-if-changed=src/catalog/compact/write.rs");
    let mut paths = Vec::new();
    collect(&root, &mut paths);
    // In the order of the relative paths as text, the order the digests hash them in.
    paths.sort_by_key(|p| p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
    let mut files = Vec::new();
    let (mut services, mut metas, mut prices) = (Vec::new(), Vec::new(), Vec::new());
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("pricing/{rel}: {e}"));
        if let Some(refused) = write::refused(&table) {
            panic!("pricing/{rel}: {refused}");
        }
        for part in parts(&rel, table) {
            match part {
                Part::Service(name, t) => services.push((name, t)),
                Part::Meta(name, t) => metas.push((name, t)),
                Part::Prices(key, t) => prices.push((key, t)),
            }
        }
        files.push((rel, text));
    }
    services.sort_by(|a, b| a.0.cmp(&b.0));
    metas.sort_by(|a, b| a.0.cmp(&b.0));
    prices.sort_by(|a, b| a.0.cmp(&b.0));
    let code = index(&services, &metas, &prices, &out_dir);
    let checksums = files.iter().find(|(p, _)| p == CHECKSUMS).map(|(_, t)| t.as_str()).unwrap_or("");
    if let Err(e) = toml::from_str::<toml::Table>(checksums) {
        panic!("pricing/{CHECKSUMS}: {e}");
    }
    let mut code = code + &format!("pub static CHECKSUMS_TEXT: &str = {checksums:?};\n");
    // Per snapshot, by the library's own rule (src/catalog/digest.rs).
    code.push_str("pub static DIGESTS: &[(&str, &str)] = &[\n");
    for snap in files.iter().filter_map(|(p, _)| p.strip_suffix("/snapshot.toml")) {
        writeln!(code, "    ({snap:?}, {:?}),", digest::digest(&files, snap)).unwrap();
    }
    code.push_str("];\n");
    std::fs::write(out_dir.join("embedded_pricing.rs"), code).unwrap();
}

type Keyed<K> = [(K, toml::Table)];

/// One region's entries of a price file: each price entry on its own, then the file's value, an
/// index of the entries by key and region (`[key, region, offset]`, sorted, so that the library
/// reads only the entries asked for) and the `missing` list.
fn price_file(w: &mut write::Writer, table: &toml::Table) -> (usize, usize) {
    let list = |name: &str| table.get(name).and_then(|v| v.as_array()).cloned().unwrap_or_default();
    let text = |e: &toml::Value, field: &str| e.get(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
    let mut prices = list("price");
    prices.sort_by_key(|e| (text(e, "key"), text(e, "region")));
    let mut index = Vec::new();
    for entry in &prices {
        let Some(t) = entry.as_table() else { panic!("a [[price]] entry that is not a table: {entry}") };
        let (start, _) = w.table(t).unwrap_or_else(|r| panic!("{r}"));
        let at = toml::Value::Integer(start as i64);
        index.push(toml::Value::Array(vec![text(entry, "key").into(), text(entry, "region").into(), at]));
    }
    let mut file: toml::Table = [
        ("index".to_string(), toml::Value::Array(index)),
        ("missing".to_string(), toml::Value::Array(list("missing"))),
    ]
    .into_iter()
    .collect();
    if let Some(currency) = table.get("currency") {
        file.insert("currency".to_string(), currency.clone());
    }
    w.table(&file).unwrap_or_else(|r| panic!("{r}"))
}

/// Writes the compact blob and pool to `out_dir` and returns the index's code: service types,
/// snapshot metadata, and price files as (snapshot, group, region) in the order
/// `catalog::snapshot` binary-searches them. Names are one string and values one blob, addressed
/// by numeric spans: a static array of string pointers is relocated (written) by the loader in
/// every run, and string literals paired with values land next to them, so either way each file
/// cost a page fault at start-up.
fn index(
    services: &Keyed<String>,
    metas: &Keyed<String>,
    prices: &Keyed<(String, String, String)>,
    out_dir: &Path,
) -> String {
    let mut w = write::Writer::default();
    let mut names = String::new();
    let mut name = |text: &str| -> String {
        let start = names.len();
        names.push_str(text);
        format!("({start}, {})", names.len())
    };
    let value = |w: &mut write::Writer, t: &toml::Table| -> String {
        let (start, end) = w.table(t).unwrap_or_else(|r| panic!("{r}"));
        format!("({start}, {end})")
    };
    let mut code = String::from("pub static SERVICES: &[Named] = &[\n");
    for (type_id, t) in services {
        writeln!(code, "    Named {{ name: {}, value: {} }},", name(type_id), value(&mut w, t)).unwrap();
    }
    code.push_str("];\npub static SNAPSHOTS: &[SnapshotEntry] = &[\n");
    let mut file_code = String::from("pub static PRICE_FILES: &[FileEntry] = &[\n");
    let mut count = 0;
    for (snap, meta) in metas {
        let start = count;
        let mine: Vec<_> = prices.iter().filter(|p| p.0.0 == *snap).collect();
        // The blob holds a snapshot's files region by region: an estimate reads one region's
        // files (and the `*` and `Global` ones), which then share pages of the binary.
        let mut by_region: Vec<usize> = (0..mine.len()).collect();
        by_region.sort_by_key(|&i| (&mine[i].0.2, &mine[i].0.1));
        let mut spans = vec![String::new(); mine.len()];
        for i in by_region {
            let (start, end) = price_file(&mut w, &mine[i].1);
            spans[i] = format!("({start}, {end})");
        }
        for (((_, group, region), _), v) in mine.iter().zip(&spans) {
            let (g, r) = (name(group), name(region));
            writeln!(file_code, "    FileEntry {{ group: {g}, region: {r}, value: {v} }},").unwrap();
            count += 1;
        }
        let (n, m) = (name(snap), value(&mut w, meta));
        writeln!(code, "    SnapshotEntry {{ name: {n}, meta: {m}, files: ({start}, {count}) }},").unwrap();
    }
    code.push_str("];\n");
    file_code.push_str("];\n");
    code.push_str(&file_code);
    std::fs::write(out_dir.join("catalog.blob"), &w.blob).unwrap();
    std::fs::write(out_dir.join("catalog.pool"), &w.pool).unwrap();
    writeln!(code, "pub static KEYS: &[(u32, u32)] = &{:?};", w.keys).unwrap();
    code.push_str("pub static BLOB: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/catalog.blob\"));\n");
    code.push_str("pub static POOL: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/catalog.pool\"));\n");
    writeln!(code, "pub static NAMES: &str = {names:?};").unwrap();
    code
}
