//! A dated pricing snapshot (`pricing/<name>/`): its metadata, the prices the importer derived from
//! the Retail Prices API, and the documented figures the API does not carry.

use super::text::Text;
use super::units::Unit;
use super::{compact, embedded};
use crate::hash::Fx;
use rust_decimal::Decimal;
use serde::de::Error as _;
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
    /// What the engine relies on: a dated snapshot of prices in one currency (USD, or the currency
    /// `pricing fetch --currency` asked the API for) for at least one region, a month of hours, and
    /// FX rates above zero (only in a USD snapshot: a snapshot in another currency converts nothing).
    pub fn validate(&self) -> Result<(), String> {
        use super::definitions::is_date;
        if !is_date(&self.as_of) {
            return Err(format!("as_of \"{}\" is not a date written YYYY-MM-DD", self.as_of));
        }
        if crate::money::Currency::parse(&self.currency).is_none_or(|c| c.code() != self.currency) {
            return Err(format!("currency \"{}\" is not an ISO 4217 code written in capitals", self.currency));
        }
        if self.currency != "USD" && !self.fx.is_empty() {
            return Err(format!(
                "fx: a snapshot of {} prices converts nothing; FX rates belong to a USD snapshot",
                self.currency
            ));
        }
        if self.hours_per_month <= Decimal::ZERO {
            return Err(format!("hours_per_month {} is not above zero", self.hours_per_month));
        }
        if self.regions.is_empty() {
            return Err("no regions: a snapshot prices at least one".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(twice) = self.regions.iter().find(|r| !seen.insert(r.as_str())) {
            return Err(format!("regions: {twice} is listed twice"));
        }
        for fx in &self.fx {
            if fx.source.contains("http://") {
                return Err(format!(
                    "fx {}: source {:?} names an http:// page; give its https:// address",
                    fx.currency, fx.source
                ));
            }
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
    pub region: Text,
    pub unit: Text,
    /// Retail Prices API meterId; absent for documented figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meter_id: Option<Text>,
    /// effectiveStartDate of the item, or the date of the documented source.
    pub effective: Text,
    pub buckets: Vec<Bucket>,
    /// Documentation page or repository the figure comes from, for documented figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Text>,
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
    pub region: Text,
    pub reason: String,
}

/// The shape of `prices/*.toml` and `documented.toml`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    /// The currency of a `documented.toml`'s figures (absent: USD, as their sources give them); a
    /// snapshot in another currency uses only documented figures in its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default)]
    pub price: Vec<PriceEntry>,
    #[serde(default)]
    pub missing: Vec<Missing>,
}

/// Prices and missing reasons of one file, by key then region.
#[derive(Debug)]
struct Tables {
    /// In (key, region) order, for binary search: a file holds a few dozen prices, and sorted
    /// vectors take a fraction of the memory (and page faults) of nested hash maps.
    prices: Entries,
    missing: Vec<Missing>,
    /// A documented.toml's currency (absent: USD).
    currency: Option<String>,
}

#[derive(Debug)]
enum Entries {
    /// Every entry, read and checked (a catalog directory).
    Read(Vec<PriceEntry>),
    /// The embedded catalog's entries by key and region, each read and checked when first asked
    /// for: an estimate prices a few of each file's dozens.
    Embedded(Vec<Lazy>),
}

#[derive(Debug)]
struct Lazy {
    key: &'static str,
    region: &'static str,
    /// Where the entry's value starts in the embedded blob.
    at: usize,
    entry: OnceLock<Box<Result<PriceEntry, String>>>,
}

impl Tables {
    /// The entries of one file of `group` (a service type, whose file holds its own prices only,
    /// or [`DOCUMENTED`]); `file` names it in messages.
    fn new(snapshot: &str, group: &str, file: &str, prices: PriceFile) -> Result<Tables, String> {
        let PriceFile { currency, mut price, missing } = prices;
        let keys = price.iter().map(|p| p.key.as_str());
        check_group(snapshot, group, file, keys.chain(missing.iter().map(|m| m.key.as_str())))?;
        for entry in &price {
            check_buckets(snapshot, entry)?;
        }
        price.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
        if let Some(w) = price.windows(2).find(|w| (&w[0].key, &w[0].region) == (&w[1].key, &w[1].region)) {
            return Err(format!("snapshot {snapshot}: two prices for {} in {}", w[0].key, w[0].region));
        }
        Ok(Tables { prices: Entries::Read(price), missing: sorted(missing), currency })
    }

    /// The embedded file whose value starts at `at`: build.rs wrote an index of its entries
    /// (`[key, region, offset]`, sorted) and its `missing` list; entries are read when asked for.
    fn embedded(snapshot: &str, group: &str, file: &str, at: usize) -> Result<Tables, String> {
        let mut r = compact::Reader::new(embedded::parts(), at);
        let (mut index, mut missing, mut currency) = (Vec::new(), Vec::new(), None);
        let bad = |e: compact::Error| format!("snapshot {snapshot}: {file}: {e}");
        for _ in 0..r.table().map_err(bad)? {
            match r.key().map_err(bad)? {
                "index" => {
                    for _ in 0..r.array().map_err(bad)? {
                        index.push(Lazy::indexed(&mut r).map_err(bad)?);
                    }
                }
                "missing" => missing = serde::Deserialize::deserialize(&mut r).map_err(bad)?,
                "currency" => currency = Some(r.text().map_err(bad)?.to_string()),
                other => return Err(bad(compact::Error::custom(format!("unknown field `{other}`")))),
            }
        }
        let keys = index.iter().map(|l| l.key);
        check_group(snapshot, group, file, keys.chain(missing.iter().map(|m: &Missing| m.key.as_str())))?;
        if !index.is_sorted_by(|a, b| (a.key, a.region) <= (b.key, b.region)) {
            index.sort_by(|a, b| (a.key, a.region).cmp(&(b.key, b.region)));
        }
        if let Some(w) = index.windows(2).find(|w| (w[0].key, w[0].region) == (w[1].key, w[1].region)) {
            return Err(format!("snapshot {snapshot}: two prices for {} in {}", w[0].key, w[0].region));
        }
        Ok(Tables { prices: Entries::Embedded(index), missing: sorted(missing), currency })
    }

    fn price(&self, key: &str, region: &str) -> Option<usize> {
        let (i, there) = match &self.prices {
            Entries::Read(p) => {
                let i = p.partition_point(|e| (e.key.as_str(), e.region.as_str()) < (key, region));
                (i, p.get(i).map(|e| (e.key.as_str(), e.region.as_str())))
            }
            Entries::Embedded(l) => {
                let i = l.partition_point(|e| (e.key, e.region) < (key, region));
                (i, l.get(i).map(|e| (e.key, e.region)))
            }
        };
        (there == Some((key, region))).then_some(i)
    }

    /// Every price (reads the embedded ones not read yet); those that do not read are left out.
    fn all(&self, snapshot: &str) -> Vec<&PriceEntry> {
        match &self.prices {
            Entries::Read(p) => p.iter().collect(),
            Entries::Embedded(l) => l.iter().filter_map(|lazy| lazy.read(snapshot).ok()).collect(),
        }
    }

    /// The `i`th price, read and checked now if it is an embedded one not read yet.
    fn entry(&self, snapshot: &str, i: usize) -> Option<Result<&PriceEntry, &String>> {
        match &self.prices {
            Entries::Read(p) => p.get(i).map(Ok),
            Entries::Embedded(l) => l.get(i).map(|lazy| lazy.read(snapshot)),
        }
    }

    /// The reason `key` has no price in `region`, or failing that the reason its whole type has
    /// none (a `type/*` key).
    fn missing(&self, key: &str, region: &str) -> Option<usize> {
        let find = |key: &str| {
            let i = self.missing.partition_point(|m| (m.key.as_str(), m.region.as_str()) < (key, region));
            self.missing.get(i).filter(|m| m.key == key && m.region == region).map(|_| i)
        };
        find(key).or_else(|| {
            let type_id = key.split('/').next().unwrap_or(key);
            find(&format!("{type_id}/{WHOLE_TYPE}"))
        })
    }
}

impl Lazy {
    /// An entry of the index: `[key, region, offset]`.
    fn indexed(r: &mut compact::Reader<'static>) -> Result<Lazy, compact::Error> {
        match r.array()? {
            3 => {}
            n => return Err(compact::Error::custom(format!("an index entry of {n} values"))),
        }
        let (key, region) = (r.text()?, r.text()?);
        let at = usize::try_from(r.integer()?).map_err(compact::Error::custom)?;
        Ok(Lazy { key, region, at, entry: OnceLock::new() })
    }

    fn read(&self, snapshot: &str) -> Result<&PriceEntry, &String> {
        let entry = self.entry.get_or_init(|| {
            let read = compact::from_parts::<PriceEntry>(embedded::parts(), self.at);
            let entry = read.map_err(|e| format!("snapshot {snapshot}: {} in {}: {e}", self.key, self.region));
            Box::new(entry.and_then(|e| check_buckets(snapshot, &e).map(|()| e)))
        });
        entry.as_ref().as_ref()
    }
}

/// Stable: of two reasons for the same component and region, the first one written wins.
fn sorted(mut missing: Vec<Missing>) -> Vec<Missing> {
    missing.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
    missing
}

/// A price file of a service type holds that type's prices only.
fn check_group<'k>(
    snapshot: &str,
    group: &str,
    file: &str,
    mut keys: impl Iterator<Item = &'k str>,
) -> Result<(), String> {
    let of_group = |k: &str| k.strip_prefix(group).is_some_and(|rest| rest.starts_with('/'));
    match keys.find(|k| group != DOCUMENTED && !of_group(k)) {
        Some(key) => Err(format!(
            "snapshot {snapshot}: {file}: {key} is not a {group} price; this file holds the prices of type {group} \
             only (its name)"
        )),
        None => Ok(()),
    }
}

/// A snapshot's price files in (group, region) order: the group is a service type or
/// [`DOCUMENTED`]; the region is empty for a whole file (build.rs splits the embedded catalog's
/// files by region).
#[derive(Debug)]
pub enum Files {
    /// A range of the embedded catalog's index (compact form): nothing is built per file at start-up.
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

    /// Binary search needs the files in strictly increasing (group, region) order.
    fn check_order(&self, snapshot: &str) -> Result<(), String> {
        if let Some(i) = (1..self.len()).find(|&i| self.key(i - 1) >= self.key(i)) {
            let why =
                if self.key(i - 1) == self.key(i) { "two price files for" } else { "price files out of order at" };
            let (group, region) = self.key(i);
            return Err(format!("snapshot {snapshot}: {why} {group} {region}"));
        }
        Ok(())
    }

    /// [`Files::key`] as bytes: comparing them is all a binary search needs.
    fn key_bytes(&self, i: usize) -> (&[u8], &[u8]) {
        match self {
            Files::Embedded(f) => (embedded::name_bytes(f[i].group), embedded::name_bytes(f[i].region)),
            Files::Loaded(f) => (f[i].0.as_bytes(), f[i].1.as_bytes()),
        }
    }

    fn key(&self, i: usize) -> (&str, &str) {
        match self {
            Files::Embedded(f) => (embedded::name(f[i].group), embedded::name(f[i].region)),
            Files::Loaded(f) => (&f[i].0, &f[i].1),
        }
    }

    /// The file's name in a snapshot folder, for messages.
    fn name(&self, i: usize) -> String {
        match self.key(i) {
            (DOCUMENTED, "") => "documented.toml".to_string(),
            (DOCUMENTED, region) => format!("documented.toml ({region})"),
            (group, "") => format!("prices/{group}.toml"),
            (group, region) if matches!(self, Files::Loaded(_)) => format!("prices/{group}@{region}.toml"),
            (group, region) => format!("prices/{group}.toml ({region})"),
        }
    }

    /// The `i`th file's tables (an embedded file's entries indexed, not yet read).
    fn tables(&self, snapshot: &str, i: usize) -> Result<Tables, String> {
        let (group, name) = (self.key(i).0, self.name(i));
        match self {
            Files::Embedded(f) => Tables::embedded(snapshot, group, &name, f[i].value.0 as usize),
            Files::Loaded(f) => match super::from_toml(&f[i].2) {
                Ok(file) => Tables::new(snapshot, group, &name, file),
                // A TOML syntax error shows the line; a refused value is named with its file.
                Err(e @ super::ReadError::Refused(_)) => Err(format!("snapshot {snapshot}: {name}: {e}")),
                Err(e) => Err(format!("snapshot {snapshot}: {e}")),
            },
        }
    }
}

/// A price file, parsed (or not) on first use.
type Parsed = OnceLock<Box<Result<Tables, String>>>;

/// What a look-up found, as positions in the parsed files: a price, a reason there is none, or
/// neither.
#[derive(Clone, Copy, Debug)]
enum Found {
    Price { file: usize, entry: usize },
    Missing { file: usize, entry: usize },
    Nothing,
}

/// Look-ups already made, by component key then region: a design prices the same components in
/// the same region for every service of a type, and a look-up searches up to six files.
/// Keys resolved so far, hashed with [`Fx`]: a few dozen short keys of the catalog's own, hashed
/// on every look-up.
type Cache = std::sync::Mutex<
    std::collections::HashMap<String, Vec<(String, Found, Option<Unit>)>, std::hash::BuildHasherDefault<Fx>>,
>;

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
    found: Cache,
}

/// The last part of a `[[missing]]` key that stands for every component of its type.
pub const WHOLE_TYPE: &str = "*";

/// Group name of `documented.toml`.
pub const DOCUMENTED: &str = "documented";

/// A price must be usable as it stands: sourced (a meter, or an https:// page), buckets from 0
/// upwards, no negative prices.
fn check_buckets(snapshot: &str, e: &PriceEntry) -> Result<(), String> {
    let at = || format!("snapshot {snapshot}: {} in {}", e.key, e.region);
    match (&e.meter_id, &e.source) {
        (None, None) => {
            return Err(format!(
                "{}: no source: a price needs its meter_id (a Retail Prices API item) or a source (the https:// \
                 page of a documented figure)",
                at()
            ));
        }
        (_, Some(source)) if !source.starts_with("https://") => {
            return Err(format!("{}: source {source:?} is not an https:// page", at()));
        }
        _ => {}
    }
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
        // build.rs writes the embedded index in order, which a unit test checks: no need to
        // compare a thousand names in every run.
        if matches!(files, Files::Loaded(_)) {
            files.check_order(&meta.name)?;
        }
        let snapshot =
            Snapshot { meta, sha256: String::new(), files, parsed: OnceLock::new(), found: Cache::default() };
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
        let wanted = (group.as_bytes(), region.as_bytes());
        while low < high {
            let mid = (low + high) / 2;
            match self.files.key_bytes(mid).cmp(&wanted) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn tables(&self, i: usize) -> &Result<Tables, String> {
        let parsed = self.parsed.get_or_init(|| (0..self.files.len()).map(|_| OnceLock::new()).collect());
        parsed[i].get_or_init(|| Box::new(self.files.tables(&self.meta.name, i)))
    }

    /// The groups that can hold `key` in `region`: its service type's files, then the documented
    /// figures (each split by region in the embedded catalog, whole in a directory).
    fn groups_for(&self, key: &str, region: &str) -> Result<[Option<(usize, &Tables)>; 4], NoPrice> {
        let type_id = key.split('/').next().unwrap_or(key);
        // The embedded index has no whole files: build.rs splits every one by region.
        let whole = |group| if matches!(self.files, Files::Loaded(_)) { self.file(group, "") } else { None };
        let found = [self.file(type_id, region), whole(type_id), self.file(DOCUMENTED, region), whole(DOCUMENTED)];
        let mut out = [None; 4];
        for (slot, g) in out.iter_mut().zip(found) {
            if let Some(g) = g {
                let tables =
                    self.tables(g).as_ref().map_err(|e| NoPrice(format!("the pricing snapshot is invalid: {e}")))?;
                *slot = Some((g, tables));
            }
        }
        Ok(out)
    }

    /// Where the price of `key` in `region` is: in the region's files, then in those of every
    /// region (`*`); else the region's reason there is none.
    fn look_up(&self, key: &str, region: &str) -> Result<Found, NoPrice> {
        let mut groups = self.groups_for(key, region)?;
        self.drop_foreign_documented(key, region, &mut groups)?;
        let price = |groups: &[Option<(usize, &Tables)>], region| {
            groups
                .iter()
                .flatten()
                .find_map(|&(file, t)| t.price(key, region).map(|entry| Found::Price { file, entry }))
        };
        if let Some(found) = price(&groups, region) {
            return Ok(found);
        }
        // The files of every region (`*`) are read only when the region's own have no price.
        let mut everywhere = self.groups_for(key, "*")?;
        self.drop_foreign_documented(key, "*", &mut everywhere)?;
        if let Some(found) = price(&everywhere, "*") {
            return Ok(found);
        }
        let missing = groups
            .iter()
            .flatten()
            .find_map(|&(file, t)| t.missing(key, region).map(|entry| Found::Missing { file, entry }));
        Ok(missing.unwrap_or(Found::Nothing))
    }

    /// Documented figures are USD unless their file says otherwise: a snapshot in another currency
    /// does not mix them in, and says so when one of them would have priced `key` in `region`.
    fn drop_foreign_documented(
        &self,
        key: &str,
        region: &str,
        slots: &mut [Option<(usize, &Tables)>; 4],
    ) -> Result<(), NoPrice> {
        for slot in &mut slots[2..] {
            let Some((_, t)) = *slot else { continue };
            let currency = t.currency.as_deref().unwrap_or("USD");
            if currency == self.meta.currency {
                continue;
            }
            if t.price(key, region).is_some() {
                return Err(NoPrice(format!(
                    "documented.toml gives it in {currency}, and snapshot {} prices in {}",
                    self.meta.name, self.meta.currency
                )));
            }
            *slot = None;
        }
        Ok(())
    }

    /// The price of `key` in `region`, or the reason there is none.
    pub fn price(&self, key: &str, region: &str) -> Result<&PriceEntry, NoPrice> {
        self.priced(key, region).map(|(entry, _)| entry)
    }

    /// [`Snapshot::price`] with its unit read (`None`: a unit the calculator cannot read), both
    /// kept for the rest of the run: a large design prices the same few meters thousands of times.
    pub fn priced(&self, key: &str, region: &str) -> Result<(&PriceEntry, Option<Unit>), NoPrice> {
        let cached = |cache: &Cache| -> Option<(Found, Option<Unit>)> {
            let cache = cache.lock().ok()?;
            cache.get(key)?.iter().find(|(r, ..)| r == region).map(|(_, found, unit)| (*found, unit.clone()))
        };
        let (found, unit) = match cached(&self.found) {
            Some(hit) => hit,
            None => {
                let found = self.look_up(key, region)?;
                let unit = self.resolve(key, region, found).ok().and_then(|e| Unit::parse(&e.unit));
                if let Ok(mut cache) = self.found.lock() {
                    cache.entry(key.to_string()).or_default().push((region.to_string(), found, unit.clone()));
                }
                (found, unit)
            }
        };
        self.resolve(key, region, found).map(|entry| (entry, unit))
    }

    fn resolve(&self, key: &str, region: &str, found: Found) -> Result<&PriceEntry, NoPrice> {
        let parsed = |file: usize| self.tables(file).as_ref().ok();
        let invalid = |e: &String| NoPrice(format!("the pricing snapshot is invalid: {e}"));
        match found {
            Found::Price { file, entry } => match parsed(file).and_then(|t| t.entry(&self.meta.name, entry)) {
                Some(read) => read.map_err(invalid),
                None => Err(self.none(key, region)),
            },
            Found::Missing { file, entry } => Err(parsed(file)
                .and_then(|t| t.missing.get(entry))
                .map_or_else(|| self.none(key, region), |m| NoPrice(m.reason.clone()))),
            Found::Nothing => Err(self.none(key, region)),
        }
    }

    fn none(&self, key: &str, region: &str) -> NoPrice {
        NoPrice(format!("snapshot {} has no price for {key} in {region}", self.meta.name))
    }

    /// Every price of the snapshot (parses every file).
    pub fn prices(&self) -> Vec<&PriceEntry> {
        let mut out = Vec::new();
        for i in 0..self.files.len() {
            if let Ok(t) = self.tables(i) {
                out.extend(t.all(&self.meta.name));
            }
        }
        out
    }

    pub fn is_missing(&self, key: &str, region: &str) -> bool {
        self.groups_for(key, region).is_ok_and(|gs| gs.iter().flatten().any(|(_, t)| t.missing(key, region).is_some()))
    }

    pub fn fx(&self, currency: &str) -> Option<&FxRate> {
        self.meta.fx.iter().find(|f| f.currency.eq_ignore_ascii_case(currency))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Snapshot::new` does not check the embedded index's order in every run, and look-ups skip
    /// whole files there: build.rs must write every file split by region, in (group, region) order.
    #[test]
    fn the_embedded_index_is_in_binary_search_order_and_split_by_region() {
        assert!(!embedded::SNAPSHOTS.is_empty());
        for e in embedded::SNAPSHOTS {
            let entries = &embedded::PRICE_FILES[e.files.0 as usize..e.files.1 as usize];
            let files = Files::Embedded(entries);
            assert_eq!(files.check_order(embedded::name(e.name)), Ok(()));
            assert!(entries.iter().all(|f| !embedded::name(f.region).is_empty()), "a whole file in the index");
        }
    }
}
