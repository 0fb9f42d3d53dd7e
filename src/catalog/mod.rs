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
use snapshot::{DOCUMENTED, PriceText, Snapshot, SnapshotMeta};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

pub struct Catalog {
    /// Service definitions by type (the file name `services/<type>.toml`).
    services: BTreeMap<String, LazyDef>,
    pub snapshots: BTreeMap<String, Snapshot>,
    /// Where the catalog came from: `embedded` or a directory.
    pub origin: String,
    /// The text of `checksums.toml`, if the catalog has one.
    pub checksums: Option<String>,
}

impl Catalog {
    /// The catalog compiled into the binary: its JSON form (converted by build.rs) and the
    /// digests build.rs computed over the TOML sources. Nothing is copied: paths, group names and
    /// texts borrow the embedded strings.
    pub fn embedded() -> Result<Catalog, String> {
        let files = embedded::json().map(|(p, c)| (Cow::Borrowed(p), Cow::Borrowed(c)));
        let mut catalog = Catalog::load(files, "embedded", Syntax::Json, false)?;
        for (name, sha) in embedded::DIGESTS {
            if let Some(s) = catalog.snapshots.get_mut(*name) {
                s.sha256 = sha.to_string();
            }
        }
        // FILES is in path order: a binary search reads a few paths, not all of them.
        let checksums = embedded::FILES.binary_search_by(|(p, _)| (*p).cmp(CHECKSUMS)).ok();
        catalog.checksums = checksums.map(|i| embedded::FILES[i].1.to_string());
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
        let files = files.into_iter().map(|(p, t)| (Cow::Owned(p), Cow::Owned(t)));
        Catalog::load(files, origin, Syntax::Toml, true)
    }

    /// `files` borrow the embedded text where they can: only the files an estimate reads are
    /// touched. With `eager` (a directory), every file is parsed and checked now and the digests
    /// are computed; otherwise build.rs computed them and the test suite checks the files.
    fn load(
        files: impl IntoIterator<Item = (Cow<'static, str>, Cow<'static, str>)>,
        origin: &str,
        syntax: Syntax,
        eager: bool,
    ) -> Result<Catalog, String> {
        let files: Vec<(Cow<'static, str>, Cow<'static, str>)> = files.into_iter().collect();
        let mut checksums = None;
        let mut services = BTreeMap::new();
        let mut metas: BTreeMap<String, SnapshotMeta> = BTreeMap::new();
        let mut price_files: BTreeMap<Cow<'static, str>, Vec<PriceText>> = BTreeMap::new();
        for (path, text) in &files {
            let where_ = || format!("{origin}: {path}");
            let place = match path {
                Cow::Borrowed(p) => Place::of(p).map(Cow::Borrowed),
                Cow::Owned(p) => Place::of(p).map(|s| Cow::Owned(s.to_string())),
            };
            match place {
                Place::Checksums => checksums = Some(text.to_string()),
                Place::Service(type_id) => {
                    let def = LazyDef { place: where_(), text: text.clone(), syntax, parsed: OnceLock::new() };
                    if services.insert(type_id.into_owned(), def).is_some() {
                        return Err(format!("{}: service type defined twice", where_()));
                    }
                }
                Place::Meta(snap) => {
                    let meta: SnapshotMeta = syntax.parse(text).map_err(|e| format!("{}: {e}", where_()))?;
                    if meta.name != snap {
                        return Err(format!("{}: name {:?} differs from its folder {snap:?}", where_(), meta.name));
                    }
                    metas.insert(snap.into_owned(), meta);
                }
                Place::Documented(snap) => price_files.entry(snap).or_default().push(PriceText {
                    group: Cow::Borrowed(DOCUMENTED),
                    region: Cow::Borrowed(""),
                    text: text.clone(),
                }),
                Place::Prices { snapshot, type_id, region } => price_files
                    .entry(snapshot)
                    .or_default()
                    .push(PriceText { group: type_id, region, text: text.clone() }),
                Place::Other => return Err(format!("{}: not a catalog file (see the catalog module docs)", where_())),
            }
        }
        let mut snapshots = BTreeMap::new();
        for (name, meta) in metas {
            let prices = price_files.remove(name.as_str()).unwrap_or_default();
            let mut snapshot = Snapshot::new(meta, prices, matches!(syntax, Syntax::Json), eager)?;
            if eager {
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
        let catalog = Catalog { services, snapshots, origin: origin.to_string(), checksums };
        if eager {
            catalog.services()?;
        }
        Ok(catalog)
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

    /// The definition of `type_id`; `None` for an unknown type (or one whose definition does not
    /// parse, which a directory catalog reports when it is loaded and the tests rule out for the
    /// embedded one).
    pub fn service(&self, type_id: &str) -> Option<&ServiceDef> {
        self.services.get(type_id).and_then(|d| d.get(type_id).ok())
    }

    /// Every service definition, in type order (parses those not yet parsed).
    pub fn services(&self) -> Result<Vec<&ServiceDef>, String> {
        self.services.iter().map(|(type_id, d)| d.get(type_id)).collect()
    }

    /// Every service type, without parsing a definition.
    pub fn type_ids(&self) -> impl Iterator<Item = &str> {
        self.services.keys().map(String::as_str)
    }

    /// Service types an architecture file may declare.
    pub fn declarable_types(&self) -> Vec<&str> {
        self.services.iter().filter(|(t, d)| d.get(t).is_ok_and(|d| !d.implied_only)).map(|(t, _)| t.as_str()).collect()
    }
}

/// Where a file sits in the catalog layout (see the module docs), from its path.
enum Place<S> {
    Checksums,
    Service(S),
    Meta(S),
    Documented(S),
    /// `<snapshot>/prices/<type>.toml`, or `<type>@<region>` in the embedded catalog, which build.rs
    /// splits by region (`region` is empty otherwise).
    Prices {
        snapshot: S,
        type_id: S,
        region: S,
    },
    Other,
}

impl<'p> Place<&'p str> {
    fn of(path: &'p str) -> Self {
        // Byte searches: `str::split_once` with a char pattern cost most of loading the embedded
        // catalog's 700 paths.
        let split = |s: &'p str, c: u8| s.bytes().position(|b| b == c).map(|i| (&s[..i], &s[i + 1..]));
        let stem = |file: &'p str| file.bytes().rposition(|b| b == b'.').map_or(file, |i| &file[..i]);
        let Some((first, rest)) = split(path, b'/') else {
            return if path == CHECKSUMS { Place::Checksums } else { Place::Other };
        };
        match (first, split(rest, b'/')) {
            ("services", None) => Place::Service(stem(rest)),
            (snap, None) if rest == "snapshot.toml" => Place::Meta(snap),
            (snap, None) if rest == "documented.toml" => Place::Documented(snap),
            (snapshot, Some(("prices", file))) if !file.contains('/') => {
                let (type_id, region) = split(stem(file), b'@').unwrap_or((stem(file), ""));
                Place::Prices { snapshot, type_id, region }
            }
            _ => Place::Other,
        }
    }

    fn map<S>(self, f: impl Fn(&'p str) -> S) -> Place<S> {
        match self {
            Place::Checksums => Place::Checksums,
            Place::Service(t) => Place::Service(f(t)),
            Place::Meta(s) => Place::Meta(f(s)),
            Place::Documented(s) => Place::Documented(f(s)),
            Place::Prices { snapshot, type_id, region } => {
                Place::Prices { snapshot: f(snapshot), type_id: f(type_id), region: f(region) }
            }
            Place::Other => Place::Other,
        }
    }
}

/// A service definition, parsed on first use: an estimate reads a handful of the catalog's types,
/// and parsing all of them was a third of a small estimate's run time.
struct LazyDef {
    /// `origin: services/<type>.toml`, for messages.
    place: String,
    text: Cow<'static, str>,
    syntax: Syntax,
    parsed: OnceLock<Result<ServiceDef, String>>,
}

impl LazyDef {
    fn get(&self, type_id: &str) -> Result<&ServiceDef, String> {
        let parsed = self.parsed.get_or_init(|| {
            let def: ServiceDef = self.syntax.parse(&self.text).map_err(|e| format!("{}: {e}", self.place))?;
            if def.type_id != type_id {
                return Err(format!("{}: type \"{}\" differs from its file name", self.place, def.type_id));
            }
            Ok(def.with_keys())
        });
        parsed.as_ref().map_err(Clone::clone)
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
pub fn digest(files: &[(Cow<'static, str>, Cow<'static, str>)], snapshot: &str) -> String {
    use sha2::{Digest, Sha256};
    let prefix = format!("{snapshot}/");
    let mut chosen: Vec<&(Cow<'static, str>, Cow<'static, str>)> =
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
