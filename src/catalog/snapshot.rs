//! A dated pricing snapshot (`pricing/<name>/`): its metadata, the prices the importer derived from
//! the Retail Prices API, and the documented figures the API does not carry.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

#[derive(Clone, Debug)]
pub struct Snapshot {
    pub meta: SnapshotMeta,
    /// SHA-256 (hex) over the canonical catalog content this snapshot prices with: every service
    /// definition and every file of the snapshot, by path, with line endings normalized.
    pub sha256: String,
    prices: HashMap<(String, String), PriceEntry>,
    missing: HashMap<(String, String), String>,
}

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
    pub fn new(meta: SnapshotMeta, files: Vec<PriceFile>) -> Result<Snapshot, String> {
        let mut prices = HashMap::new();
        let mut missing = HashMap::new();
        for file in files {
            for entry in file.price {
                check_buckets(&meta.name, &entry)?;
                let k = (entry.key.clone(), entry.region.clone());
                if prices.insert(k, entry.clone()).is_some() {
                    return Err(format!("snapshot {}: two prices for {} in {}", meta.name, entry.key, entry.region));
                }
            }
            for m in file.missing {
                missing.insert((m.key, m.region), m.reason);
            }
        }
        Ok(Snapshot { meta, sha256: String::new(), prices, missing })
    }

    /// The price of `key` in `region`, or the reason there is none.
    pub fn price(&self, key: &str, region: &str) -> Result<&PriceEntry, NoPrice> {
        let k = (key.to_string(), region.to_string());
        if let Some(p) = self.prices.get(&k) {
            return Ok(p);
        }
        if let Some(p) = self.prices.get(&(key.to_string(), "*".to_string())) {
            return Ok(p);
        }
        if let Some(reason) = self.missing.get(&k) {
            return Err(NoPrice(reason.clone()));
        }
        Err(NoPrice(format!("snapshot {} has no price for {key} in {region}", self.meta.name)))
    }

    pub fn prices(&self) -> impl Iterator<Item = &PriceEntry> {
        self.prices.values()
    }

    pub fn is_missing(&self, key: &str, region: &str) -> bool {
        self.missing.contains_key(&(key.to_string(), region.to_string()))
    }

    pub fn fx(&self, currency: &str) -> Option<&FxRate> {
        self.meta.fx.iter().find(|f| f.currency.eq_ignore_ascii_case(currency))
    }
}
