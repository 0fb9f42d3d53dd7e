//! The pricing catalog: service definitions plus dated snapshots of prices.
//!
//! Layout of a catalog directory (the embedded one is `pricing/` in the repository):
//!
//! ```text
//! services/<type>.toml          hand-written: tiers, capabilities with docs, meter filters
//! <snapshot>/snapshot.toml      as-of date, source, hours per month, regions, FX rates
//! <snapshot>/prices/<type>.toml written by `closednet pricing import` from Retail Prices API pages
//! <snapshot>/documented.toml    hand-written: figures the API pages do not carry, with sources
//! ```
//!
//! DESIGN.md put the tiers inside each snapshot; they live once in `services/` instead so that a
//! capability is written (and dated) once, and a snapshot holds only what changes with the date.

pub mod definitions;
pub mod embedded;
pub mod import;
pub mod snapshot;
pub mod units;

use definitions::ServiceDef;
use snapshot::{DOCUMENTED, Snapshot, SnapshotMeta};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

pub struct Catalog {
    pub services: BTreeMap<String, ServiceDef>,
    pub snapshots: BTreeMap<String, Snapshot>,
    /// Where the catalog came from: `embedded` or a directory.
    pub origin: String,
    /// The text of `checksums.toml`, if the catalog has one.
    pub checksums: Option<String>,
}

impl Catalog {
    /// The catalog compiled into the binary: its JSON form (converted by build.rs) and the
    /// digests build.rs computed over the TOML sources.
    pub fn embedded() -> Result<Catalog, String> {
        let files = embedded::JSON.iter().map(|(p, c)| (p.to_string(), Cow::Borrowed(*c)));
        let mut catalog = Catalog::load(files, "embedded", Syntax::Json, false)?;
        for (name, sha) in embedded::DIGESTS {
            if let Some(s) = catalog.snapshots.get_mut(*name) {
                s.sha256 = sha.to_string();
            }
        }
        catalog.checksums = embedded::FILES.iter().find(|(p, _)| *p == CHECKSUMS).map(|(_, t)| t.to_string());
        Ok(catalog)
    }

    /// A catalog directory given with `--pricing DIR`.
    pub fn from_dir(dir: &Path) -> Result<Catalog, String> {
        let mut files = Vec::new();
        collect_toml(dir, dir, &mut files)?;
        if files.is_empty() {
            return Err(format!("{}: no pricing catalog here (expected services/*.toml)", dir.display()));
        }
        Catalog::from_files(files, &dir.display().to_string())
    }

    /// A catalog from (path, TOML text) pairs laid out as in `pricing/`.
    pub fn from_files(files: impl IntoIterator<Item = (String, String)>, origin: &str) -> Result<Catalog, String> {
        let files = files.into_iter().map(|(p, t)| (p, Cow::Owned(t)));
        Catalog::load(files, origin, Syntax::Toml, true)
    }

    /// `files` borrow the embedded text where they can: only the files an estimate reads are touched.
    fn load(
        files: impl IntoIterator<Item = (String, Cow<'static, str>)>,
        origin: &str,
        syntax: Syntax,
        digests: bool,
    ) -> Result<Catalog, String> {
        type Files = Vec<(String, Cow<'static, str>)>;
        let (checksums, files): (Files, Files) = files.into_iter().partition(|(p, _)| p == CHECKSUMS);
        let checksums = checksums.into_iter().next().map(|(_, t)| t.into_owned());
        let mut services = BTreeMap::new();
        let mut metas: BTreeMap<String, SnapshotMeta> = BTreeMap::new();
        let mut price_files: BTreeMap<String, Vec<(String, Cow<'static, str>)>> = BTreeMap::new();
        for (path, text) in &files {
            let parts: Vec<&str> = path.split('/').collect();
            let where_ = || format!("{origin}: {path}");
            match parts.as_slice() {
                ["services", _] => {
                    let def: ServiceDef = syntax.parse(text).map_err(|e| format!("{}: {e}", where_()))?;
                    let def = def.with_keys();
                    if services.contains_key(&def.type_id) {
                        return Err(format!("{}: service type {} is defined twice", where_(), def.type_id));
                    }
                    services.insert(def.type_id.clone(), def);
                }
                [snap, "snapshot.toml"] => {
                    let meta: SnapshotMeta = syntax.parse(text).map_err(|e| format!("{}: {e}", where_()))?;
                    if meta.name != *snap {
                        return Err(format!("{}: name {:?} differs from its folder {snap:?}", where_(), meta.name));
                    }
                    metas.insert(snap.to_string(), meta);
                }
                [snap, "documented.toml"] => {
                    price_files.entry(snap.to_string()).or_default().push((DOCUMENTED.to_string(), text.clone()));
                }
                [snap, "prices", file] => {
                    let group = file.rsplit_once('.').map_or(*file, |(stem, _)| stem).to_string();
                    price_files.entry(snap.to_string()).or_default().push((group, text.clone()));
                }
                _ => return Err(format!("{}: not a catalog file (see the catalog module docs)", where_())),
            }
        }
        let mut snapshots = BTreeMap::new();
        for (name, meta) in metas {
            let prices = price_files.remove(&name).unwrap_or_default();
            let mut snapshot = Snapshot::new(meta, prices, matches!(syntax, Syntax::Json), digests)?;
            if digests {
                snapshot.sha256 = digest(&files, &name);
            }
            snapshots.insert(name.clone(), snapshot);
        }
        if let Some(orphan) = price_files.keys().next() {
            return Err(format!("{origin}: {orphan}/ has prices but no snapshot.toml"));
        }
        if snapshots.is_empty() {
            return Err(format!("{origin}: the catalog has no snapshot"));
        }
        Ok(Catalog { services, snapshots, origin: origin.to_string(), checksums })
    }

    /// The newest snapshot (snapshot names sort by date).
    pub fn newest(&self) -> &Snapshot {
        self.snapshots.values().next_back().expect("a catalog has at least one snapshot")
    }

    /// The snapshot `name`, or an error with a suggestion.
    pub fn snapshot(&self, name: &str) -> Result<&Snapshot, String> {
        self.snapshots.get(name).ok_or_else(|| {
            let names: Vec<&str> = self.snapshots.keys().map(String::as_str).collect();
            // Snapshot names are dates: a near miss is another month, not a typo, so list them all.
            format!("no pricing snapshot \"{name}\"; expected one of: {}", names.join(", "))
        })
    }

    pub fn service(&self, type_id: &str) -> Option<&ServiceDef> {
        self.services.get(type_id)
    }

    /// Service types an architecture file may declare.
    pub fn declarable_types(&self) -> Vec<&str> {
        self.services.values().filter(|s| !s.implied_only).map(|s| s.type_id.as_str()).collect()
    }
}

/// How the catalog's files are written: TOML in `pricing/`, JSON in the embedded copy.
#[derive(Clone, Copy)]
enum Syntax {
    Toml,
    Json,
}

impl Syntax {
    fn parse<T: serde::de::DeserializeOwned>(self, text: &str) -> Result<T, String> {
        match self {
            Syntax::Toml => toml::from_str(text).map_err(|e| e.to_string()),
            Syntax::Json => serde_json::from_str(text).map_err(|e| e.to_string()),
        }
    }
}

/// File of recorded snapshot digests (`closednet catalog --verify` compares with it); not hashed.
pub const CHECKSUMS: &str = "checksums.toml";

/// SHA-256 over the service definitions and the snapshot's own files: each as its path, a NUL, its
/// text with CRLF turned into LF, and a NUL, in path order.
pub fn digest(files: &[(String, Cow<'static, str>)], snapshot: &str) -> String {
    use sha2::{Digest, Sha256};
    let prefix = format!("{snapshot}/");
    let mut chosen: Vec<&(String, Cow<'static, str>)> =
        files.iter().filter(|(p, _)| p.starts_with("services/") || p.starts_with(&prefix)).collect();
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

/// The text of a `checksums.toml` recording every snapshot's digest.
pub fn checksums_file(catalog: &Catalog) -> String {
    let mut out = String::from(
        "# SHA-256 of each pricing snapshot's canonical content (see catalog::digest). Written by\n\
         # `closednet pricing checksums`; `closednet catalog --verify` recomputes and compares.\n[snapshots]\n",
    );
    for (name, s) in &catalog.snapshots {
        out.push_str(&format!("\"{name}\" = \"{}\"\n", s.sha256));
    }
    out
}

/// Recorded digests, `[snapshots]` name = "hex".
#[derive(serde::Deserialize)]
struct Checksums {
    snapshots: BTreeMap<String, String>,
}

impl Catalog {
    /// Compares every snapshot's digest with `checksums.toml` in `files`; the lines of the report
    /// and whether all matched.
    pub fn verify(&self) -> (Vec<String>, bool) {
        let recorded: BTreeMap<String, String> = self
            .checksums
            .as_deref()
            .and_then(|t| toml::from_str::<Checksums>(t).ok())
            .map(|c| c.snapshots)
            .unwrap_or_default();
        let mut ok = true;
        let mut lines = Vec::new();
        for (name, s) in &self.snapshots {
            match recorded.get(name) {
                Some(r) if *r == s.sha256 => lines.push(format!("ok       {name} sha256 {}", s.sha256)),
                Some(r) => {
                    ok = false;
                    lines.push(format!("MISMATCH {name} sha256 {} (recorded {r})", s.sha256));
                }
                None => {
                    ok = false;
                    lines.push(format!("MISSING  {name} sha256 {} (not recorded in {CHECKSUMS})", s.sha256));
                }
            }
        }
        (lines, ok)
    }
}

fn collect_toml(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_toml(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((rel, text));
        }
    }
    Ok(())
}
