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
//! A definition's file name is its type, and [`definitions::ServiceDef::validate`] checks what the
//! engine relies on (tiers, names, dates, sources, units, usage keys), when it is parsed; a
//! `snapshot.toml` is checked by [`snapshot::SnapshotMeta::validate`]. The embedded catalog is
//! read lazily (see [`embedded`]) from the compact form build.rs writes ([`compact`]): a definition
//! when first asked for, a price file's index when its region is priced, a price entry when looked
//! up, their strings borrowed from the binary ([`text`]); the test suite checks every one of them
//! against `pricing/`, so the definitions' validation is not repeated in every run. A directory is
//! parsed and checked in full when loaded, and a TOML float in it is refused (decimals are strings).
//!
//! DESIGN.md put the tiers inside each snapshot; they live once in `services/` instead so that a
//! capability is written (and dated) once, and a snapshot holds only what changes with the date.

pub mod compact;
pub mod definitions;
pub mod digest;
pub mod embedded;
pub mod fetch;
pub mod import;
pub mod sizes;
pub mod snapshot;
pub mod text;
pub mod units;

use definitions::ServiceDef;
use snapshot::{DOCUMENTED, Files, Snapshot, SnapshotMeta};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

pub struct Catalog {
    /// Service definitions by type (the file name `services/<type>.toml`), in type order: a
    /// binary search takes half the comparisons of a B-tree's node scans, and a large design looks
    /// a definition up a dozen times per service.
    services: Vec<(Cow<'static, str>, LazyDef)>,
    pub snapshots: BTreeMap<String, Snapshot>,
    /// Where the catalog came from: `embedded` or a directory.
    pub origin: String,
    /// The text of `checksums.toml`, if the catalog has one.
    pub checksums: Option<String>,
}

impl Catalog {
    /// The catalog compiled into the binary: its compact form and index (built by build.rs) and the
    /// digests build.rs computed over the TOML sources. Nothing is copied or parsed here but the
    /// snapshots' metadata: definitions and price files are read on first use.
    pub fn embedded() -> Result<Catalog, String> {
        let origin = "embedded";
        let mut services: Vec<_> = embedded::SERVICES
            .iter()
            .map(|s| {
                let def = LazyDef::new(Cow::Borrowed(origin), Source::Embedded(s.value));
                (Cow::Borrowed(embedded::name(s.name)), def)
            })
            .collect();
        // build.rs writes them in order; sorting costs nothing when they are.
        if !services.is_sorted_by(|a, b| a.0 <= b.0) {
            services.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let mut snapshots = BTreeMap::new();
        for e in embedded::SNAPSHOTS {
            let name = embedded::name(e.name);
            let meta = snapshot_meta(origin, name, Source::Embedded(e.meta))?;
            let files = Files::Embedded(&embedded::PRICE_FILES[e.files.0 as usize..e.files.1 as usize]);
            let mut snapshot = Snapshot::new(meta, files, false)?;
            if let Some((_, sha)) = embedded::DIGESTS.iter().find(|(n, _)| *n == name) {
                snapshot.sha256 = sha.to_string();
            }
            snapshots.insert(name.to_string(), snapshot);
        }
        let checksums = Some(embedded::CHECKSUMS_TEXT.to_string()).filter(|t| !t.is_empty());
        Ok(Catalog { services, snapshots, origin: origin.to_string(), checksums })
    }

    /// A catalog directory given with `--pricing DIR`.
    pub fn from_dir(dir: &Path) -> Result<Catalog, String> {
        let files = files_in(dir)?;
        if files.is_empty() {
            return Err(format!("{}: no pricing catalog here (expected services/*.toml)", dir.display()));
        }
        Catalog::from_files(files, &dir.display().to_string())
    }

    /// A catalog from (path, TOML text) pairs laid out as in `pricing/`. Every file is parsed and
    /// checked now, and the snapshots' digests computed.
    pub fn from_files(files: impl IntoIterator<Item = (String, String)>, origin: &str) -> Result<Catalog, String> {
        let files: Vec<(String, String)> = files.into_iter().collect();
        let mut checksums = None;
        let mut services = BTreeMap::new();
        let mut metas: BTreeMap<String, SnapshotMeta> = BTreeMap::new();
        let mut price_files: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
        for (path, text) in &files {
            let where_ = || format!("{origin}: {path}");
            match Place::of(path) {
                Place::Checksums => {
                    toml::from_str::<Checksums>(text).map_err(|e| format!("{}: {e}", where_()))?;
                    checksums = Some(text.clone());
                }
                Place::Service(type_id) => {
                    let def = LazyDef::new(Cow::Owned(origin.to_string()), Source::Toml(text.clone()));
                    if services.insert(Cow::Owned(type_id.to_string()), def).is_some() {
                        return Err(format!("{}: service type defined twice", where_()));
                    }
                }
                Place::Meta(snap) => {
                    metas.insert(snap.to_string(), snapshot_meta(origin, snap, Source::Toml(text.clone()))?);
                }
                Place::Documented(snap) => price_files.entry(snap.to_string()).or_default().push((
                    DOCUMENTED.to_string(),
                    String::new(),
                    text.clone(),
                )),
                Place::Prices { snapshot, type_id, region } => price_files
                    .entry(snapshot.to_string())
                    .or_default()
                    .push((type_id.to_string(), region.to_string(), text.clone())),
                Place::Other => return Err(format!("{}: not a catalog file (see the catalog module docs)", where_())),
            }
        }
        let mut snapshots = BTreeMap::new();
        for (name, meta) in metas {
            let mut prices = price_files.remove(&name).unwrap_or_default();
            prices.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            let mut snapshot = Snapshot::new(meta, Files::Loaded(prices), true)?;
            snapshot.sha256 = digest(&files, &name);
            snapshots.insert(name, snapshot);
        }
        if let Some(orphan) = price_files.keys().next() {
            return Err(format!("{origin}: {orphan}/ has prices but no snapshot.toml"));
        }
        if snapshots.is_empty() {
            return Err(format!("{origin}: the catalog has no snapshot"));
        }
        let services = services.into_iter().collect();
        let catalog = Catalog { services, snapshots, origin: origin.to_string(), checksums };
        catalog.services()?;
        Ok(catalog)
    }

    /// The newest snapshot (snapshot names sort by date).
    pub fn newest(&self) -> &Snapshot {
        // `from_files` refuses a catalog without a snapshot, and the embedded one has two.
        #[allow(clippy::expect_used)]
        self.snapshots.values().next_back().expect("Catalog::from_files refuses a catalog without a snapshot")
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
        let i = self.services.binary_search_by(|(t, _)| t.as_ref().cmp(type_id)).ok()?;
        self.services[i].1.get(type_id).ok()
    }

    /// Every service definition, in type order (parses those not yet parsed).
    pub fn services(&self) -> Result<Vec<&ServiceDef>, String> {
        self.services.iter().map(|(type_id, d)| d.get(type_id)).collect()
    }

    /// Every service type, without parsing a definition.
    pub fn type_ids(&self) -> impl Iterator<Item = &str> {
        self.services.iter().map(|(t, _)| t.as_ref())
    }

    /// Service types an architecture file may declare.
    pub fn declarable_types(&self) -> Vec<&str> {
        self.services.iter().filter(|(t, d)| d.get(t).is_ok_and(|d| !d.implied_only)).map(|(t, _)| t.as_ref()).collect()
    }
}

/// Where a file sits in the catalog layout (see the module docs), from its path.
enum Place<'p> {
    Checksums,
    Service(&'p str),
    Meta(&'p str),
    Documented(&'p str),
    /// `<snapshot>/prices/<type>.toml`, or `<type>@<region>.toml` for a file of one region only
    /// (`region` is empty otherwise).
    Prices {
        snapshot: &'p str,
        type_id: &'p str,
        region: &'p str,
    },
    Other,
}

impl<'p> Place<'p> {
    fn of(path: &'p str) -> Self {
        let stem = |file: &'p str| file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        let Some((first, rest)) = path.split_once('/') else {
            return if path == CHECKSUMS { Place::Checksums } else { Place::Other };
        };
        match (first, rest.split_once('/')) {
            ("services", None) => Place::Service(stem(rest)),
            (snap, None) if rest == "snapshot.toml" => Place::Meta(snap),
            (snap, None) if rest == "documented.toml" => Place::Documented(snap),
            (snapshot, Some(("prices", file))) if !file.contains('/') => {
                let (type_id, region) = stem(file).split_once('@').unwrap_or((stem(file), ""));
                Place::Prices { snapshot, type_id, region }
            }
            _ => Place::Other,
        }
    }
}

/// A service definition, parsed on first use: an estimate reads a handful of the catalog's types,
/// and parsing all of them was a third of a small estimate's run time.
struct LazyDef {
    /// Where the catalog comes from, for messages.
    origin: Cow<'static, str>,
    source: Source,
    /// Boxed: most types are never parsed, and a definition is large.
    parsed: OnceLock<Box<Result<ServiceDef, String>>>,
}

impl LazyDef {
    fn new(origin: Cow<'static, str>, source: Source) -> LazyDef {
        LazyDef { origin, source, parsed: OnceLock::new() }
    }

    fn get(&self, type_id: &str) -> Result<&ServiceDef, String> {
        let parsed = self.parsed.get_or_init(|| {
            let place = || format!("{}: services/{type_id}.toml", self.origin);
            let def = self.source.read::<ServiceDef>().map_err(|e| format!("{}: {e}", place()));
            // The embedded definitions pass the same validation in the test suite (which reads
            // `pricing/` as a directory and compares): it is not repeated in every run.
            let checked = |def: ServiceDef| match &self.source {
                Source::Embedded(_) => Ok(def),
                Source::Toml(_) => def.validate().map(|()| def),
            };
            Box::new(def.and_then(|def| match def.type_id == type_id {
                true => checked(def.with_keys()).map_err(|e| format!("{}: {e}", place())),
                false => Err(format!("{}: type \"{}\" differs from its file name", place(), def.type_id)),
            }))
        });
        parsed.as_ref().as_ref().map_err(Clone::clone)
    }
}

/// A catalog file: TOML text from a directory, or a value of the embedded catalog's compact form.
enum Source {
    Toml(String),
    Embedded(embedded::Span),
}

impl Source {
    fn read<T: serde::de::DeserializeOwned>(&self) -> Result<T, ReadError> {
        match self {
            Source::Toml(text) => from_toml(text),
            Source::Embedded(span) => embedded::read(*span).map_err(ReadError::Compact),
        }
    }
}

/// Why a catalog file was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    Toml(toml::de::Error),
    /// A TOML float or date, which the catalog's types would take (a float as a Decimal) but
    /// the catalog does not hold: decimals are strings, so no figure passes through a float.
    Refused(compact::write::Refused),
    Compact(compact::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Toml(e) => write!(f, "{e}"),
            ReadError::Refused(r) => write!(f, "{r}"),
            ReadError::Compact(e) => write!(f, "{e}"),
        }
    }
}

/// A catalog file written in TOML, checked for floats and dates, then read into `T`. A schema
/// error is read again from the text, so that its message shows the line (parsed once otherwise).
pub(crate) fn from_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    let table: toml::Table = toml::from_str(text).map_err(ReadError::Toml)?;
    if let Some(refused) = compact::write::refused(&table) {
        return Err(ReadError::Refused(refused));
    }
    match table.try_into() {
        Ok(value) => Ok(value),
        Err(_) => toml::from_str(text).map_err(ReadError::Toml),
    }
}

/// File of recorded snapshot digests (`closednet catalog --verify` compares with it); not hashed.
pub const CHECKSUMS: &str = "checksums.toml";

pub use digest::digest;

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
#[serde(deny_unknown_fields)]
struct Checksums {
    #[serde(default)]
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

/// The catalog files of `dir` as (path relative to `dir`, text), in path order.
pub fn files_in(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    collect_toml(dir, dir, 0, &mut files)?;
    Ok(files)
}

/// How deep the layout goes: `<snapshot>/prices/` is two folders down. Deeper folders are never
/// read, so `--pricing /` or a symbolic link to a parent folder ends instead of walking a disk.
const MAX_DEPTH: usize = 2;

fn collect_toml(root: &Path, dir: &Path, depth: usize, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if depth < MAX_DEPTH {
                collect_toml(root, &path, depth + 1, out)?;
            }
        } else if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            // Only regular files: a FIFO named x.toml would wait for a writer forever.
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((rel, text));
        }
    }
    Ok(())
}

/// A snapshot's `snapshot.toml`, whose name must be its folder's.
fn snapshot_meta(origin: &str, folder: &str, source: Source) -> Result<SnapshotMeta, String> {
    let where_ = || format!("{origin}: {folder}/snapshot.toml");
    let meta: SnapshotMeta = source.read().map_err(|e| format!("{}: {e}", where_()))?;
    if meta.name != folder {
        return Err(format!("{}: name {:?} differs from its folder {folder:?}", where_(), meta.name));
    }
    meta.validate().map_err(|e| format!("{}: {e}", where_()))?;
    Ok(meta)
}
