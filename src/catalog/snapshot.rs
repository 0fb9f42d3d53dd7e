//! A dated pricing snapshot (`pricing/<name>/`): its metadata, the prices the importer derived from
//! the Retail Prices API, and the documented figures the API does not carry.

use super::embedded;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxRate {
    pub currency: String,
    /// Units of `currency` per 1 USD.
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    pub source: String,
    pub date: String,
}

/// `snapshot.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotMeta {
    pub name: String,
    /// The date the prices were read (YYYY-MM-DD).
    pub as_of: String,
    pub source: String,
    pub currency: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub hours_per_month: Decimal,
    pub regions: Vec<String>,
    #[serde(default)]
    pub fx: Vec<FxRate>,
}

impl SnapshotMeta {
    /// What the engine relies on: a dated snapshot of USD prices for at least one region, a
    /// month of hours, and FX rates above zero.
    pub fn validate(&self) -> Result<(), String> {
        use super::definitions::is_date;
        if !is_date(&self.as_of) {
            return Err(format!("as_of \"{}\" is not a date written YYYY-MM-DD", self.as_of));
        }
        if self.currency != "USD" {
            return Err(format!("currency \"{}\": the prices of a snapshot are in USD", self.currency));
        }
        if self.hours_per_month <= Decimal::ZERO {
            return Err(format!("hours_per_month {} is not above zero", self.hours_per_month));
        }
        if self.regions.is_empty() {
            return Err("no regions: a snapshot prices at least one".into());
        }
        for fx in &self.fx {
            if fx.rate <= Decimal::ZERO {
                return Err(format!("fx {}: rate {} is not above zero", fx.currency, fx.rate));
            }
            if !is_date(&fx.date) {
                return Err(format!("fx {}: date \"{}\" is not a date written YYYY-MM-DD", fx.currency, fx.date));
            }
        }
        Ok(())
    }
}

/// One bucket of a tiered meter: from `from` units (inclusive) on, each unit costs `price`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    #[serde(with = "rust_decimal::serde::str")]
    pub from: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub price: Decimal,
}

/// The price of one component in one region (`*` for every region).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriceEntry {
    pub key: String,
    pub region: String,
    pub unit: String,
    /// Retail Prices API meterId; absent for documented figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meter_id: Option<String>,
    /// effectiveStartDate of the item, or the date of the documented source.
    pub effective: String,
    pub buckets: Vec<Bucket>,
    /// Documentation page or repository the figure comes from, for documented figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// Savings plan unit prices (the item's `savingsPlan` rates, 1-year and 3-year terms) of a
    /// meter with one bucket, next to its pay-as-you-go price.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::str_option")]
    pub savings_1y: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::str_option")]
    pub savings_3y: Option<Decimal>,
}

/// A component the importer looked for and did not find in a region. The key `<type>/*` stands
/// for every component of the type: a region whose pages lack every page the type reads gets one
/// such reason instead of one per component (a thousand virtual-machine sizes).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Missing {
    pub key: String,
    pub region: String,
    pub reason: String,
}

/// The shape of `prices/*.toml` and `documented.toml`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    #[serde(default)]
    pub price: Vec<PriceEntry>,
    #[serde(default)]
    pub missing: Vec<Missing>,
}

/// Prices and missing reasons of one group of files, by key then region.
#[derive(Debug, Default)]
struct Tables {
    /// In (key, region) order, for binary search: a file holds a few dozen prices, and sorted
    /// vectors take a fraction of the memory (and page faults) of nested hash maps.
    prices: Vec<PriceEntry>,
    missing: Vec<Missing>,
}

impl Tables {
    fn new(snapshot: &str, file: PriceFile) -> Result<Tables, String> {
        let PriceFile { mut price, mut missing } = file;
        for entry in &price {
            check_buckets(snapshot, entry)?;
        }
        price.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
        if let Some(w) = price.windows(2).find(|w| (&w[0].key, &w[0].region) == (&w[1].key, &w[1].region)) {
            return Err(format!("snapshot {snapshot}: two prices for {} in {}", w[0].key, w[0].region));
        }
        // Stable: of two reasons for the same component and region, the first one written wins.
        missing.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
        Ok(Tables { prices: price, missing })
    }

    fn price(&self, key: &str, region: &str) -> Option<&PriceEntry> {
        let i = self.prices.partition_point(|p| (p.key.as_str(), p.region.as_str()) < (key, region));
        self.prices.get(i).filter(|p| p.key == key && p.region == region)
    }

    fn missing(&self, key: &str, region: &str) -> Option<&String> {
        let find = |key: &str| {
            let i = self.missing.partition_point(|m| (m.key.as_str(), m.region.as_str()) < (key, region));
            self.missing.get(i).filter(|m| m.key == key && m.region == region).map(|m| &m.reason)
        };
        find(key).or_else(|| {
            let type_id = key.split('/').next().unwrap_or(key);
            find(&format!("{type_id}/{WHOLE_TYPE}"))
        })
    }
}

/// A snapshot's price files in (group, region) order: the group is a service type or
/// [`DOCUMENTED`]; the region is empty for a whole file (build.rs splits the embedded catalog's
/// files by region).
#[derive(Debug)]
pub enum Files {
    /// A range of the embedded catalog's index (JSON): nothing is built per file at start-up.
    Embedded(&'static [embedded::FileEntry]),
    /// (group, region, TOML text) read from a directory.
    Loaded(Vec<(String, String, String)>),
}

impl Files {
    fn len(&self) -> usize {
        match self {
            Files::Embedded(f) => f.len(),
            Files::Loaded(f) => f.len(),
        }
    }

    fn key(&self, i: usize) -> (&str, &str) {
        match self {
            Files::Embedded(f) => (embedded::name(f[i].group), embedded::name(f[i].region)),
            Files::Loaded(f) => (&f[i].0, &f[i].1),
        }
    }

    fn text(&self, i: usize) -> &str {
        match self {
            Files::Embedded(f) => embedded::text(f[i].text),
            Files::Loaded(f) => &f[i].2,
        }
    }
}

/// A price file, parsed (or not) on first use.
type Parsed = OnceLock<Box<Result<Tables, String>>>;

#[derive(Debug)]
pub struct Snapshot {
    pub meta: SnapshotMeta,
    /// SHA-256 (hex) over the canonical catalog content this snapshot prices with: every service
    /// definition and every file of the snapshot, by path, with line endings normalized.
    pub sha256: String,
    files: Files,
    /// Each file parsed on first use (boxed: an estimate parses a dozen of several hundred), in a
    /// table allocated on first use (a run prices with one snapshot of several).
    parsed: OnceLock<Box<[Parsed]>>,
}

/// The last part of a `[[missing]]` key that stands for every component of its type.
pub const WHOLE_TYPE: &str = "*";

/// Group name of `documented.toml`.
pub const DOCUMENTED: &str = "documented";

/// A price must be usable as it stands: buckets from 0 upwards, no negative prices.
fn check_buckets(snapshot: &str, e: &PriceEntry) -> Result<(), String> {
    let at = || format!("snapshot {snapshot}: {} in {}", e.key, e.region);
    if e.buckets.first().is_none_or(|b| !b.from.is_zero()) {
        return Err(format!("{}: the first bucket must start at 0", at()));
    }
    for w in e.buckets.windows(2) {
        if w[0].from >= w[1].from {
            return Err(format!("{}: buckets must start at increasing quantities", at()));
        }
    }
    if let Some(b) = e.buckets.iter().find(|b| b.price.is_sign_negative() && !b.price.is_zero()) {
        return Err(format!("{}: negative price {}", at(), b.price));
    }
    if let Some(p) = [e.savings_1y, e.savings_3y].into_iter().flatten().find(|p| p.is_sign_negative() && !p.is_zero()) {
        return Err(format!("{}: negative savings plan price {p}", at()));
    }
    if (e.savings_1y.is_some() || e.savings_3y.is_some()) && e.buckets.len() != 1 {
        return Err(format!("{}: savings plan prices need a meter with one bucket", at()));
    }
    Ok(())
}

/// Why a component has no price.
#[derive(Clone, Debug, PartialEq)]
pub struct NoPrice(pub String);

impl Snapshot {
    /// A snapshot from its metadata and its price files. With `eager`, every file is parsed and checked
    /// now (a catalog directory given by the user); otherwise on first use (the embedded catalog,
    /// which the test suite checks in full).
    pub fn new(meta: SnapshotMeta, files: Files, eager: bool) -> Result<Snapshot, String> {
        if let Some(i) = (1..files.len()).find(|&i| files.key(i - 1) >= files.key(i)) {
            let why =
                if files.key(i - 1) == files.key(i) { "two price files for" } else { "price files out of order at" };
            let (group, region) = files.key(i);
            return Err(format!("snapshot {}: {why} {group} {region}", meta.name));
        }
        let snapshot = Snapshot { meta, sha256: String::new(), files, parsed: OnceLock::new() };
        if eager {
            for i in 0..snapshot.files.len() {
                snapshot.tables(i).as_ref().map_err(Clone::clone)?;
            }
        }
        Ok(snapshot)
    }

    /// The index of the file of `group` in `region`.
    fn file(&self, group: &str, region: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.files.len());
        while low < high {
            let mid = (low + high) / 2;
            match self.files.key(mid).cmp(&(group, region)) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn tables(&self, i: usize) -> &Result<Tables, String> {
        let parsed = self.parsed.get_or_init(|| (0..self.files.len()).map(|_| OnceLock::new()).collect());
        parsed[i].get_or_init(|| {
            let text = self.files.text(i);
            let file: Result<PriceFile, String> = if matches!(self.files, Files::Embedded(_)) {
                serde_json::from_str(text).map_err(|e| format!("snapshot {}: {e}", self.meta.name))
            } else {
                toml::from_str(text).map_err(|e| format!("snapshot {}: {e}", self.meta.name))
            };
            Box::new(file.and_then(|f| Tables::new(&self.meta.name, f)))
        })
    }

    /// The groups that can hold `key` in `region`: its service type's files (split by region in the
    /// embedded catalog, whole in a directory), then the documented figures.
    fn groups_for(&self, key: &str, region: &str) -> Result<[Option<&Tables>; 3], NoPrice> {
        let type_id = key.split('/').next().unwrap_or(key);
        let found = [self.file(type_id, region), self.file(type_id, ""), self.file(DOCUMENTED, "")];
        let mut out = [None; 3];
        for (slot, g) in out.iter_mut().zip(found) {
            if let Some(g) = g {
                *slot = Some(
                    self.tables(g).as_ref().map_err(|e| NoPrice(format!("the pricing snapshot is invalid: {e}")))?,
                );
            }
        }
        Ok(out)
    }

    /// The price of `key` in `region`, or the reason there is none.
    pub fn price(&self, key: &str, region: &str) -> Result<&PriceEntry, NoPrice> {
        let groups = self.groups_for(key, region)?;
        if let Some(p) = groups.iter().flatten().find_map(|t| t.price(key, region)) {
            return Ok(p);
        }
        if let Some(p) = self.groups_for(key, "*")?.iter().flatten().find_map(|t| t.price(key, "*")) {
            return Ok(p);
        }
        if let Some(reason) = groups.iter().flatten().find_map(|t| t.missing(key, region)) {
            return Err(NoPrice(reason.clone()));
        }
        Err(NoPrice(format!("snapshot {} has no price for {key} in {region}", self.meta.name)))
    }

    /// Every price of the snapshot (parses every file).
    pub fn prices(&self) -> Vec<&PriceEntry> {
        let mut out = Vec::new();
        for i in 0..self.files.len() {
            if let Ok(t) = self.tables(i) {
                out.extend(&t.prices);
            }
        }
        out
    }

    pub fn is_missing(&self, key: &str, region: &str) -> bool {
        self.groups_for(key, region).is_ok_and(|gs| gs.iter().flatten().any(|t| t.missing(key, region).is_some()))
    }

    pub fn fx(&self, currency: &str) -> Option<&FxRate> {
        self.meta.fx.iter().find(|f| f.currency.eq_ignore_ascii_case(currency))
    }
}
