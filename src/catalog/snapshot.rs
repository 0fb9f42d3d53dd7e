//! A dated pricing snapshot (`pricing/<name>/`): its metadata, the prices the importer derived from
//! the Retail Prices API, and the documented figures the API does not carry.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
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
    prices: HashMap<String, HashMap<String, PriceEntry>>,
    missing: HashMap<String, HashMap<String, String>>,
}

impl Tables {
    fn add(&mut self, snapshot: &str, file: PriceFile) -> Result<(), String> {
        for entry in file.price {
            check_buckets(snapshot, &entry)?;
            let regions = self.prices.entry(entry.key.clone()).or_default();
            if regions.contains_key(&entry.region) {
                return Err(format!("snapshot {snapshot}: two prices for {} in {}", entry.key, entry.region));
            }
            regions.insert(entry.region.clone(), entry);
        }
        for m in file.missing {
            self.missing.entry(m.key).or_default().insert(m.region, m.reason);
        }
        Ok(())
    }

    fn price(&self, key: &str, region: &str) -> Option<&PriceEntry> {
        self.prices.get(key)?.get(region)
    }

    fn missing(&self, key: &str, region: &str) -> Option<&String> {
        self.missing.get(key)?.get(region)
    }
}

/// The price files of one service type (or `documented.toml`), parsed on first use: an estimate
/// reads only the types it prices.
#[derive(Debug)]
struct Group {
    texts: Vec<Cow<'static, str>>,
    json: bool,
    parsed: OnceLock<Result<Tables, String>>,
}

#[derive(Debug)]
pub struct Snapshot {
    pub meta: SnapshotMeta,
    /// SHA-256 (hex) over the canonical catalog content this snapshot prices with: every service
    /// definition and every file of the snapshot, by path, with line endings normalized.
    pub sha256: String,
    /// By service type, then by region (`""` for a type's files that are not split by region);
    /// `documented.toml` is the type named [`DOCUMENTED`]. Two levels so that a lookup allocates
    /// nothing.
    groups: BTreeMap<String, BTreeMap<String, Group>>,
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
    /// A snapshot from its metadata and its price files as (group, text): the group is the service
    /// type of `prices/<type>.*` or [`DOCUMENTED`]. With `eager`, every file is parsed and checked
    /// now (a catalog directory given by the user); otherwise on first use (the embedded catalog,
    /// which the test suite checks in full).
    pub fn new(
        meta: SnapshotMeta,
        files: Vec<(String, Cow<'static, str>)>,
        json: bool,
        eager: bool,
    ) -> Result<Snapshot, String> {
        let mut groups: BTreeMap<String, BTreeMap<String, Group>> = BTreeMap::new();
        for (group, text) in files {
            let (type_id, region) = group.split_once('@').unwrap_or((&group, ""));
            groups
                .entry(type_id.to_string())
                .or_default()
                .entry(region.to_string())
                .or_insert_with(|| Group { texts: Vec::new(), json, parsed: OnceLock::new() })
                .texts
                .push(text);
        }
        let snapshot = Snapshot { meta, sha256: String::new(), groups };
        if eager {
            for g in snapshot.groups.values().flat_map(BTreeMap::values) {
                snapshot.tables(g).as_ref().map_err(Clone::clone)?;
            }
        }
        Ok(snapshot)
    }

    fn tables<'a>(&self, g: &'a Group) -> &'a Result<Tables, String> {
        g.parsed.get_or_init(|| {
            let mut t = Tables::default();
            for text in &g.texts {
                let file: PriceFile = if g.json {
                    serde_json::from_str(text).map_err(|e| format!("snapshot {}: {e}", self.meta.name))?
                } else {
                    toml::from_str(text).map_err(|e| format!("snapshot {}: {e}", self.meta.name))?
                };
                t.add(&self.meta.name, file)?;
            }
            Ok(t)
        })
    }

    /// The groups that can hold `key` in `region`: its service type's files (split by region in the
    /// embedded catalog, whole in a directory), then the documented figures.
    fn groups_for(&self, key: &str, region: &str) -> Result<[Option<&Tables>; 3], NoPrice> {
        let type_id = key.split('/').next().unwrap_or(key);
        let of_type = self.groups.get(type_id);
        let found = [
            of_type.and_then(|g| g.get(region)),
            of_type.and_then(|g| g.get("")),
            self.groups.get(DOCUMENTED).and_then(|g| g.get("")),
        ];
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
        for g in self.groups.values().flat_map(BTreeMap::values) {
            if let Ok(t) = self.tables(g) {
                out.extend(t.prices.values().flat_map(|r| r.values()));
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
