//! A dated pricing snapshot (`pricing/<name>/`): its metadata, the prices the importer derived from
//! the Retail Prices API, and the documented figures the API does not carry.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
}

/// A component the importer looked for and did not find in a region.
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
        let i = self.missing.partition_point(|m| (m.key.as_str(), m.region.as_str()) < (key, region));
        self.missing.get(i).filter(|m| m.key == key && m.region == region).map(|m| &m.reason)
    }
}

/// One price file, parsed on first use: an estimate reads only the types and the region it prices.
#[derive(Debug)]
struct Group {
    /// Service type, or [`DOCUMENTED`].
    group: Cow<'static, str>,
    /// The region of a file split by region (the embedded catalog); empty for a whole file.
    region: Cow<'static, str>,
    text: Cow<'static, str>,
    /// Boxed: a snapshot has hundreds of files and an estimate parses a dozen.
    parsed: OnceLock<Box<Result<Tables, String>>>,
}

#[derive(Debug)]
pub struct Snapshot {
    pub meta: SnapshotMeta,
    /// SHA-256 (hex) over the canonical catalog content this snapshot prices with: every service
    /// definition and every file of the snapshot, by path, with line endings normalized.
    pub sha256: String,
    /// The price files in (group, region) order, for binary search: building this costs a push per
    /// file, and the names borrow the embedded catalog's paths.
    groups: Vec<Group>,
    /// The files are JSON (the embedded catalog) rather than TOML.
    json: bool,
}

/// One price file of a snapshot: its group (service type or [`DOCUMENTED`]), its region (empty
/// unless the file holds one region only) and its text.
pub struct PriceText {
    pub group: Cow<'static, str>,
    pub region: Cow<'static, str>,
    pub text: Cow<'static, str>,
}

/// Group name of `documented.toml`.
pub const DOCUMENTED: &str = "documented";

/// A price must be usable as it stands: buckets from 0 upwards, no negative prices.
fn check_buckets(snapshot: &str, e: &PriceEntry) -> Result<(), String> {
    let at = format!("snapshot {snapshot}: {} in {}", e.key, e.region);
    if e.buckets.first().is_none_or(|b| !b.from.is_zero()) {
        return Err(format!("{at}: the first bucket must start at 0"));
    }
    for w in e.buckets.windows(2) {
        if w[0].from >= w[1].from {
            return Err(format!("{at}: buckets must start at increasing quantities"));
        }
    }
    if let Some(b) = e.buckets.iter().find(|b| b.price.is_sign_negative() && !b.price.is_zero()) {
        return Err(format!("{at}: negative price {}", b.price));
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
    pub fn new(meta: SnapshotMeta, files: Vec<PriceText>, json: bool, eager: bool) -> Result<Snapshot, String> {
        let mut groups: Vec<Group> = files
            .into_iter()
            .map(|f| Group { group: f.group, region: f.region, text: f.text, parsed: OnceLock::new() })
            .collect();
        groups.sort_by(|a, b| (&a.group, &a.region).cmp(&(&b.group, &b.region)));
        if let Some(w) = groups.windows(2).find(|w| (&w[0].group, &w[0].region) == (&w[1].group, &w[1].region)) {
            return Err(format!("snapshot {}: two price files for {} {}", meta.name, w[0].group, w[0].region));
        }
        let snapshot = Snapshot { meta, sha256: String::new(), groups, json };
        if eager {
            for g in &snapshot.groups {
                snapshot.tables(g).as_ref().map_err(Clone::clone)?;
            }
        }
        Ok(snapshot)
    }

    fn group(&self, group: &str, region: &str) -> Option<&Group> {
        let i = self.groups.binary_search_by(|g| (g.group.as_ref(), g.region.as_ref()).cmp(&(group, region))).ok()?;
        Some(&self.groups[i])
    }

    fn tables<'a>(&self, g: &'a Group) -> &'a Result<Tables, String> {
        g.parsed.get_or_init(|| {
            let file: Result<PriceFile, String> = if self.json {
                serde_json::from_str(&g.text).map_err(|e| format!("snapshot {}: {e}", self.meta.name))
            } else {
                toml::from_str(&g.text).map_err(|e| format!("snapshot {}: {e}", self.meta.name))
            };
            Box::new(file.and_then(|f| Tables::new(&self.meta.name, f)))
        })
    }

    /// The groups that can hold `key` in `region`: its service type's files (split by region in the
    /// embedded catalog, whole in a directory), then the documented figures.
    fn groups_for(&self, key: &str, region: &str) -> Result<[Option<&Tables>; 3], NoPrice> {
        let type_id = key.split('/').next().unwrap_or(key);
        let found = [self.group(type_id, region), self.group(type_id, ""), self.group(DOCUMENTED, "")];
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
        for g in &self.groups {
            if let Ok(t) = self.tables(g) {
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
