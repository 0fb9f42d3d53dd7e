//! `closednet pricing import`: builds a snapshot's `prices/` from saved Retail Prices API pages.
//!
//! Input: a folder with one sub-folder per region, each holding the API's JSON pages named after
//! the service (`japaneast/api_management.json`), in the API's envelope (`{"Items": [...]}`).
//! For every component of every service definition that names a meter, the importer keeps the items
//! that match the filter exactly (serviceName, productName, skuName, meterName, unitOfMeasure), the
//! region, `type = Consumption`, and the as-of date:
//!
//! - an item whose `effectiveStartDate` is after the as-of date is not yet in force;
//! - an item whose `effectiveEndDate` is before the as-of date is superseded (the data also holds
//!   placeholder rows whose end date is before their start date: they never apply);
//! - rows of one meter with different `tierMinimumUnits` are buckets of a tiered price; a zero
//!   price in the first bucket is a free grant;
//! - two rows for the same bucket: identical prices collapse into one, otherwise the newest
//!   `effectiveStartDate` wins; a tie with different prices is reported, never guessed.
//!
//! - an item's `savingsPlan` rates (1-year and 3-year terms) are kept next to its pay-as-you-go
//!   price, for a meter with one bucket. The rates carry no date of their own: they are the rates of
//!   the pages' date (`snapshot-manifest.json`), so an import as of an earlier date leaves them out.
//!
//! A component that no item matches is written as `[[missing]]` with the reason, so the catalog
//! says "no price" for it rather than inventing one. A region or a requested service type without
//! any price is a warning; no price at all is an error, and nothing is written.
//!
//! What is written is what the loader accepts: the files are rendered with the TOML serializer (a
//! folder name or a date cannot add a key), parsed back through [`Catalog::from_files`] together
//! with the snapshot's other files, and only then put in place, each replaced whole
//! ([`crate::atomic`]): a full disk leaves the previous snapshot as it was.

use super::Catalog;
use super::definitions::{Component, MeterFilter, ServiceDef, is_date};
use super::snapshot::{Bucket, Missing, PriceEntry, PriceFile, WHOLE_TYPE};
use crate::atomic::Staged;
use crate::error::Error;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Page {
    #[serde(rename = "Items")]
    items: Vec<Item>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    service_name: String,
    #[serde(default)]
    product_name: String,
    #[serde(default)]
    sku_name: String,
    #[serde(default)]
    meter_name: String,
    #[serde(default)]
    unit_of_measure: String,
    #[serde(default)]
    arm_region_name: String,
    #[serde(rename = "type", default)]
    price_type: String,
    #[serde(default)]
    currency_code: String,
    #[serde(deserialize_with = "exact_decimal")]
    retail_price: Decimal,
    #[serde(default, deserialize_with = "exact_decimal")]
    tier_minimum_units: Decimal,
    #[serde(default)]
    meter_id: String,
    #[serde(default)]
    effective_start_date: String,
    #[serde(default)]
    effective_end_date: Option<String>,
    /// Savings plan rates of the item: `[{ term: "1 Year" | "3 Years", retailPrice, unitPrice }]`.
    #[serde(default)]
    savings_plan: Vec<SavingsRate>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
struct SavingsRate {
    #[serde(default)]
    term: String,
    #[serde(deserialize_with = "exact_decimal")]
    retail_price: Decimal,
}

impl Item {
    /// The savings plan rate of `term` (`1 Year`, `3 Years`).
    fn savings(&self, term: &str) -> Option<Decimal> {
        self.savings_plan.iter().find(|r| r.term == term).map(|r| r.retail_price.normalize())
    }
}

/// Reads a JSON number as written in the page (serde_json's `arbitrary_precision` keeps the text),
/// so no price ever passes through a float.
fn exact_decimal<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    let text = n.to_string();
    text.parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| serde::de::Error::custom(format!("{text} is not a price closednet can represent")))
}

/// What an import produced, for the command's summary.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub files_read: usize,
    pub bytes_read: u64,
    pub items_read: usize,
    pub prices: usize,
    pub missing: Vec<Missing>,
    pub written: Vec<PathBuf>,
    /// Regions without pages, requested types without prices.
    pub warnings: Vec<String>,
}

/// The result of an import: one price file per service type, the regions read, the currency of
/// the prices, and a summary.
pub struct Imported {
    pub files: BTreeMap<String, PriceFile>,
    pub regions: Vec<String>,
    /// The pages' `currency` (`snapshot-manifest.json`; USD without one): only items in it are read.
    pub currency: String,
    pub summary: ImportSummary,
}

/// The `snapshotDate` of a `snapshot-manifest.json` beside the region folders, if any.
pub fn manifest_date(input: &Path) -> Option<String> {
    let text = std::fs::read_to_string(input.join("snapshot-manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("snapshotDate")?.as_str().map(str::to_string)
}

/// The `currency` of a `snapshot-manifest.json` beside the region folders (`pricing fetch
/// --currency`); USD when there is none.
pub fn manifest_currency(input: &Path) -> String {
    let text = std::fs::read_to_string(input.join("snapshot-manifest.json")).ok();
    let v: Option<serde_json::Value> = text.and_then(|t| serde_json::from_str(&t).ok());
    v.and_then(|v| v.get("currency")?.as_str().map(str::to_string)).unwrap_or_else(|| "USD".to_string())
}

/// The date an import prices at: `--as-of`, else the manifest's `snapshotDate`, else `today` (with
/// a note saying so), each checked to be a date. A manifest that holds no date is an error: the
/// pages' date is the one thing it is read for.
pub fn as_of(input: &Path, given: Option<&str>, today: &str) -> Result<(String, Option<String>), Error> {
    if let Some(d) = given {
        if !is_date(d) {
            return Err(Error::Message(format!("--as-of {d:?}: expected a date written YYYY-MM-DD")));
        }
        return Ok((d.to_string(), None));
    }
    let path = input.join(super::fetch::MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let note = format!(
                "note: {} has no {}: importing the prices in force today, {today} (--as-of DATE chooses another date)",
                input.display(),
                super::fetch::MANIFEST
            );
            return Ok((today.to_string(), Some(note)));
        }
        Err(e) => return Err(Error::Message(format!("{}: {e}", path.display()))),
    };
    let date = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("snapshotDate")?.as_str().map(str::to_string));
    match date {
        Some(d) if is_date(&d) => Ok((d, None)),
        Some(d) => Err(Error::Message(format!(
            "{}: snapshotDate {d:?} is not a date written YYYY-MM-DD; give --as-of",
            path.display()
        ))),
        None => Err(Error::Message(format!("{}: no snapshotDate; give --as-of", path.display()))),
    }
}

/// Imports prices for every service in `catalog` from `input`.
pub fn import(catalog: &Catalog, input: &Path, as_of: &str) -> Result<Imported, Error> {
    import_types(catalog, input, as_of, &[])
}

/// The pages `def`'s components read: its own, and any a component names instead.
fn sources_of(def: &ServiceDef) -> Result<Vec<&str>, Error> {
    let mut sources: Vec<&str> = def
        .tiers()
        .flat_map(|t| &t.components)
        .filter_map(|c| c.meter.as_deref().and_then(|m| def.meter_source(m)).map(|(f, _)| f))
        .collect();
    sources.sort();
    sources.dedup();
    // A page is read inside its region's folder, never from elsewhere.
    if let Some(bad) =
        sources.iter().find(|f| Path::new(f).file_name().and_then(|n| n.to_str()) != Some(**f) || !f.ends_with(".json"))
    {
        return Err(Error::Message(format!(
            "service type {}: retail_file {bad:?} is not a file name ending in .json",
            def.type_id
        )));
    }
    Ok(sources)
}

/// [`import`] for the service types in `only` (all when empty): one type's price file can be
/// refreshed without rewriting the others.
pub fn import_types(catalog: &Catalog, input: &Path, as_of: &str, only: &[String]) -> Result<Imported, Error> {
    if let Some(t) = only.iter().find(|t| catalog.service(t).is_none()) {
        let types: Vec<&str> = catalog.type_ids().collect();
        return Err(Error::Message(format!("--type {t}: no such service type; {}", crate::suggest::help(t, &types))));
    }
    // Savings plan rates are those of the pages' date: not known to apply at an earlier date.
    let savings = manifest_date(input).is_none_or(|pages| as_of >= pages.as_str());
    let currency = manifest_currency(input);
    let regions = region_folders(input)?;
    if regions.is_empty() {
        return Err(Error::Message(format!("{}: no region folders with Retail Prices API pages", input.display())));
    }
    let defs: Vec<&ServiceDef> =
        catalog.services()?.into_iter().filter(|d| only.is_empty() || only.contains(&d.type_id)).collect();
    let mut summary =
        ImportSummary { warnings: regions_without_pages(input, &regions, &defs)?, ..ImportSummary::default() };
    let mut out = BTreeMap::new();
    for def in defs {
        let sources = sources_of(def)?;
        if sources.is_empty() {
            continue;
        }
        let read = Read { input, regions: &regions, as_of, savings, currency: &currency };
        let file = import_type(def, &sources, &read, &mut summary)?;
        out.insert(def.type_id.clone(), file);
    }
    if summary.prices == 0 {
        let types = if only.is_empty() { "every service type".to_string() } else { only.join(", ") };
        let shown: Vec<&str> = regions.iter().map(String::as_str).collect();
        return Err(Error::Message(format!(
            "{}: no prices at all for the requested service types ({types}) in {}: nothing written",
            input.display(),
            list(&shown, 8)
        )));
    }
    summary.warnings.extend(unpriced_warning(&out));
    Ok(Imported { files: out, regions, currency, summary })
}

/// The requested types none of whose components got a price anywhere, as one warning.
fn unpriced_warning(out: &BTreeMap<String, PriceFile>) -> Option<String> {
    let unpriced: Vec<&str> = out.iter().filter(|(_, f)| f.price.is_empty()).map(|(t, _)| t.as_str()).collect();
    match unpriced.as_slice() {
        [] => None,
        [one] => {
            Some(format!("warning: no prices for {one} in any region (its components are written as [[missing]])"))
        }
        many => Some(format!(
            "warning: no prices in any region for {} service types: {} (their components are written as [[missing]])",
            many.len(),
            list(many, 8)
        )),
    }
}

/// What an import reads: the folder, its regions, the date it prices at, whether it keeps savings
/// plan rates, and the currency of the items it keeps.
struct Read<'a> {
    input: &'a Path,
    regions: &'a [String],
    as_of: &'a str,
    savings: bool,
    currency: &'a str,
}

/// The items of a page that are `filter`'s meter: its service, product, SKU, meter and unit, at
/// the pay-as-you-go price (`Consumption`) in `currency` (a page without those fields is taken as is).
fn matching<'i>(items: &'i [Item], service_name: &str, filter: &MeterFilter, currency: &str) -> Vec<&'i Item> {
    items
        .iter()
        .filter(|i| {
            i.service_name == service_name
                && i.product_name == *filter.product
                && i.sku_name == *filter.sku
                && i.meter_name == *filter.meter
                && i.unit_of_measure == *filter.unit
                && (i.price_type.is_empty() || i.price_type == "Consumption")
                && (i.currency_code.is_empty() || i.currency_code == currency)
        })
        .collect()
}

/// A non-regional meter (Global, a billing zone) found in no folder at all is missing everywhere.
fn missing_everywhere(
    def: &ServiceDef,
    non_regional: &BTreeMap<(String, String), PriceEntry>,
    as_of: &str,
    file: &mut PriceFile,
) {
    for tier in def.tiers() {
        for comp in &tier.components {
            if let (Some(_), Some(r)) = (&comp.meter, &comp.region) {
                let key = def.key(tier, comp);
                if !non_regional.keys().any(|(k, _)| *k == key) {
                    file.missing.push(Missing {
                        key,
                        region: r.to_string().into(),
                        reason: no_match_reason(def, comp, r, as_of),
                    });
                }
            }
        }
    }
}

/// One service type's price file from the pages `sources` in every region folder.
fn import_type(
    def: &ServiceDef,
    sources: &[&str],
    read: &Read,
    summary: &mut ImportSummary,
) -> Result<PriceFile, Error> {
    let Read { input, regions, as_of, savings, currency } = *read;
    let mut file = PriceFile::default();
    // Prices of non-regional meters (Global, billing zones) are the same in every folder:
    // they are written once, from the first folder that has them.
    let mut non_regional: BTreeMap<(String, String), PriceEntry> = BTreeMap::new();
    for region in regions {
        let mut pages: BTreeMap<&str, Option<Vec<Item>>> = BTreeMap::new();
        for source in sources {
            let path = input.join(region).join(source);
            let items = read_page(&path, summary)?;
            pages.insert(source, items);
        }
        // No page of the type at all: one reason for all its regional components.
        if pages.values().all(Option::is_none) {
            file.missing.push(Missing {
                key: format!("{}/{WHOLE_TYPE}", def.type_id),
                region: region.as_str().into(),
                reason: format!("the saved Retail Prices API pages have no {} for {region}", sources.join(" or ")),
            });
            continue;
        }
        let (prices_before, missing_before) = (file.price.len(), file.missing.len());
        for tier in def.tiers() {
            for comp in &tier.components {
                let Some(filter) = &comp.meter else { continue };
                let Some((file_name, service_name)) = def.meter_source(filter) else { continue };
                let key = def.key(tier, comp);
                let Some(items) = pages.get(file_name).and_then(Option::as_ref) else {
                    if comp.region.is_none() {
                        file.missing.push(Missing {
                            key,
                            region: region.clone().into(),
                            reason: format!("the saved Retail Prices API pages have no {file_name} for {region}"),
                        });
                    }
                    continue;
                };
                let matching = matching(items, service_name, filter, currency);
                check_dates(&input.join(region).join(file_name), &matching)?;
                match &comp.region {
                    None => {
                        let here: Vec<&Item> =
                            matching.iter().copied().filter(|i| i.arm_region_name == *region).collect();
                        match entry_for(&key, region, &here, as_of, savings)? {
                            Some(entry) => file.price.push(entry),
                            None => file.missing.push(Missing {
                                key,
                                region: region.clone().into(),
                                reason: no_match_reason(def, comp, region, as_of),
                            }),
                        }
                    }
                    Some(fixed) => {
                        let wanted: Vec<String> = if fixed == "zone" {
                            (1..=8).map(|z| format!("Zone {z}")).collect()
                        } else {
                            vec![fixed.to_string()]
                        };
                        for r in wanted {
                            if non_regional.contains_key(&(key.clone(), r.clone())) {
                                continue;
                            }
                            let here: Vec<&Item> =
                                matching.iter().copied().filter(|i| i.arm_region_name == r).collect();
                            if let Some(entry) = entry_for(&key, &r, &here, as_of, savings)? {
                                non_regional.insert((key.clone(), r), entry);
                            }
                        }
                    }
                }
            }
        }
        collapse_region(def, region, as_of, prices_before, missing_before, &mut file);
    }
    missing_everywhere(def, &non_regional, as_of, &mut file);
    file.price.extend(non_regional.into_values());
    file.price.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
    file.missing.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
    summary.prices += file.price.len();
    summary.missing.extend(file.missing.iter().cloned());
    Ok(file)
}

/// A region where no meter of the type matched at all (pages from before the region's prices began)
/// gets one reason for the whole type instead of one per component.
fn collapse_region(
    def: &ServiceDef,
    region: &str,
    as_of: &str,
    prices_before: usize,
    missing_before: usize,
    file: &mut PriceFile,
) {
    let added = file.missing.len() - missing_before;
    if file.price.len() > prices_before || added < 2 {
        return;
    }
    file.missing.truncate(missing_before);
    let service = def.service_name.as_deref().unwrap_or(&def.type_id);
    file.missing.push(Missing {
        key: format!("{}/{WHOLE_TYPE}", def.type_id),
        region: region.into(),
        reason: format!(
            "no {service} item in force on {as_of} in {region} matches any of the {added} meters of {}",
            def.type_id
        ),
    });
}

/// `a, b, c` and at most `max` of them, then `and N more`.
fn list(names: &[&str], max: usize) -> String {
    let shown = names.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    match names.len().saturating_sub(max) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// A warning for each region folder that holds none of the pages the types in `defs` read.
fn regions_without_pages(input: &Path, regions: &[String], defs: &[&ServiceDef]) -> Result<Vec<String>, Error> {
    let mut all = BTreeSet::new();
    for def in defs {
        all.extend(sources_of(def)?);
    }
    let all: Vec<&str> = all.into_iter().collect();
    Ok(regions
        .iter()
        .filter(|r| !all.is_empty() && !all.iter().any(|f| input.join(r).join(f).is_file()))
        .map(|r| {
            format!(
                "warning: {}: none of the pages the requested service types read ({})",
                input.join(r).display(),
                list(&all, 5)
            )
        })
        .collect())
}

/// The items of one saved page, or `None` when the region has no such page. Only a regular
/// file is read: a link to `/dev/zero` would be read until memory ran out.
fn read_page(path: &Path, summary: &mut ImportSummary) -> Result<Option<Vec<Item>>, Error> {
    let io = |e: std::io::Error| Error::Message(format!("{}: {e}", path.display()));
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            return Err(Error::Message(format!("{}: not a regular file", path.display())));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    }
    let bytes = std::fs::read(path).map_err(io)?;
    summary.files_read += 1;
    summary.bytes_read += bytes.len() as u64;
    let page: Page = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Message(format!("{}: not a Retail Prices API page: {e}", path.display())))?;
    summary.items_read += page.items.len();
    Ok(Some(page.items))
}

/// The items a price is made from must say when they apply: an empty or garbled date would be
/// taken as in force (or never), silently.
fn check_dates(path: &Path, items: &[&Item]) -> Result<(), Error> {
    for i in items {
        let bad = |field: &str, value: &str| {
            Error::Message(format!(
                "{}: item of meter {} ({}): {field} {value:?} is not a date",
                path.display(),
                i.meter_id,
                i.meter_name
            ))
        };
        if !is_date(date(&i.effective_start_date)) {
            return Err(bad("effectiveStartDate", &i.effective_start_date));
        }
        if let Some(end) = i.effective_end_date.as_deref().filter(|e| !is_date(date(e))) {
            return Err(bad("effectiveEndDate", end));
        }
    }
    Ok(())
}

fn no_match_reason(def: &ServiceDef, comp: &Component, region: &str, as_of: &str) -> String {
    let Some(f) = comp.meter.as_ref() else {
        return format!("{} has no meter to look for in {region}", comp.name);
    };
    format!(
        "no {} item in force on {as_of} in {region} matches product {:?}, sku {:?}, meter {:?}, unit {:?}",
        def.meter_source(f).map_or("", |(_, service)| service),
        f.product,
        f.sku,
        f.meter,
        f.unit
    )
}

/// Collapses the matching items of one meter in one region into a price entry.
fn entry_for(
    key: &str,
    region: &str,
    items: &[&Item],
    as_of: &str,
    savings: bool,
) -> Result<Option<PriceEntry>, Error> {
    let in_force: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| date(&i.effective_start_date) <= as_of)
        .filter(|i| match &i.effective_end_date {
            Some(end) => date(end) >= as_of && date(end) >= date(&i.effective_start_date),
            None => true,
        })
        .collect();
    if in_force.is_empty() {
        return Ok(None);
    }
    let mut by_bucket: BTreeMap<Decimal, &Item> = BTreeMap::new();
    for item in in_force {
        match by_bucket.get(&item.tier_minimum_units) {
            None => {
                by_bucket.insert(item.tier_minimum_units, item);
            }
            Some(prev) if prev.retail_price == item.retail_price => {}
            Some(prev) => {
                let (a, b) = (date(&prev.effective_start_date), date(&item.effective_start_date));
                if b > a {
                    by_bucket.insert(item.tier_minimum_units, item);
                } else if a == b {
                    return Err(Error::Message(format!(
                        "{key} in {region}: two items for bucket {} start on {a} at different prices ({} and {}); \
                         refusing to guess",
                        item.tier_minimum_units, prev.retail_price, item.retail_price
                    )));
                }
            }
        }
    }
    let Some(newest) = by_bucket.values().max_by_key(|i| date(&i.effective_start_date)).copied() else {
        return Ok(None);
    };
    // Savings plans discount compute meters priced per unit: only a meter with one bucket keeps them.
    let single = (savings && by_bucket.len() == 1).then_some(newest);
    Ok(Some(PriceEntry {
        key: key.to_string(),
        region: region.to_string().into(),
        unit: newest.unit_of_measure.clone().into(),
        meter_id: Some(newest.meter_id.clone().into()),
        effective: date(&newest.effective_start_date).to_string().into(),
        buckets: by_bucket.iter().map(|(from, i)| Bucket { from: *from, price: i.retail_price.normalize() }).collect(),
        source: None,
        confidence: None,
        savings_1y: single.and_then(|i| i.savings("1 Year")),
        savings_3y: single.and_then(|i| i.savings("3 Years")),
    }))
}

/// The date part of an API timestamp (`2017-12-01T00:00:00Z` -> `2017-12-01`).
fn date(ts: &str) -> &str {
    ts.get(..10).unwrap_or(ts)
}

/// The region folders of `input`, each named as the API names a region; any other folder is
/// refused (it would become a region of the snapshot).
fn region_folders(input: &Path) -> Result<Vec<String>, Error> {
    let entries = std::fs::read_dir(input).map_err(|e| Error::Message(format!("{}: {e}", input.display())))?;
    let mut regions = Vec::new();
    for e in entries.filter_map(|e| e.ok()).filter(|e| e.path().is_dir()) {
        let name = e.file_name();
        match name.to_str().filter(|n| super::fetch::is_region_name(n)) {
            Some(n) => regions.push(n.to_string()),
            None => {
                return Err(Error::Message(format!(
                    "{}: folder {:?} is not a region: the input holds one folder per ARM region, named as the API \
                     names it (japaneast)",
                    input.display(),
                    name.to_string_lossy()
                )));
            }
        }
    }
    regions.sort();
    Ok(regions)
}

/// A text for a `#` comment line: control characters (a newline would end the comment) escaped.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// Renders one service's price file with a header that says where it came from.
pub fn render(type_id: &str, file: &PriceFile, input: &str, as_of: &str) -> Result<String, Error> {
    let body = toml::to_string(file).map_err(|e| Error::Message(format!("{type_id}: {e}")))?;
    Ok(format!(
        "# Generated by `closednet pricing import` from Retail Prices API pages ({}),\n\
         # in force on {}. Do not edit: change pricing/services/{type_id}.toml and import again.\n\n{body}",
        one_line(input),
        one_line(as_of)
    ))
}

/// The `snapshot.toml` of a new snapshot, as the serializer writes it.
#[derive(Serialize)]
struct NewSnapshot<'a> {
    name: &'a str,
    as_of: &'a str,
    source: String,
    currency: &'a str,
    hours_per_month: &'a str,
    regions: &'a [String],
}

/// Writes `prices/<type>.toml` under `out`, and a `snapshot.toml` if there is none yet, once the
/// loader accepts the snapshot they make with the files already there; each file is replaced
/// whole, and on any failure none is.
pub fn write(out: &Path, imported: &mut Imported, input: &str, as_of: &str) -> Result<(), Error> {
    let Imported { files, regions, currency, summary } = imported;
    if let Ok(text) = std::fs::read_to_string(out.join("snapshot.toml")) {
        let had =
            toml::from_str::<toml::Value>(&text).ok().and_then(|v| v.get("currency")?.as_str().map(str::to_string));
        if let Some(had) = had.filter(|had| had != currency) {
            return Err(Error::Message(format!(
                "{}: the snapshot holds {had} prices and these pages are {currency}: import them into a new snapshot folder",
                out.join("snapshot.toml").display()
            )));
        }
    }
    let name = out.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        Error::Message(format!("--out {}: the snapshot folder needs a name (e.g. pricing/2026-08)", out.display()))
    })?;
    let mut texts: Vec<(String, String)> = Vec::new();
    for (type_id, file) in files.iter() {
        texts.push((format!("prices/{type_id}.toml"), render(type_id, file, input, as_of)?));
    }
    if !out.join("snapshot.toml").exists() {
        let meta = NewSnapshot {
            name,
            as_of,
            source: format!("Azure Retail Prices API pages in {input}"),
            currency,
            hours_per_month: "730",
            regions,
        };
        let text = toml::to_string(&meta).map_err(|e| Error::Message(format!("snapshot.toml: {e}")))?;
        texts.push(("snapshot.toml".to_string(), text));
    }
    check_loads(out, name, &texts)?;
    let io = |path: &Path| {
        let shown = path.display().to_string();
        move |e: std::io::Error| Error::Message(format!("{shown}: {e}"))
    };
    let prices_dir = out.join("prices");
    std::fs::create_dir_all(&prices_dir).map_err(io(&prices_dir))?;
    // Every file is written and flushed before any is renamed into place.
    let mut staged = Vec::new();
    for (rel, text) in &texts {
        let path = out.join(rel);
        let mut file = Staged::create(&path).map_err(io(&path))?;
        file.file().write_all(text.as_bytes()).map_err(io(&path))?;
        staged.push((path, file));
    }
    for (path, file) in staged {
        file.commit().map_err(io(&path))?;
        summary.written.push(path);
    }
    Ok(())
}

/// Loads the snapshot `out` would become (the new texts over the files it has) with the catalog
/// loader: what the loader refuses is not written.
fn check_loads(out: &Path, name: &str, texts: &[(String, String)]) -> Result<(), Error> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let existing = ["snapshot.toml", "documented.toml"].map(String::from).into_iter().chain(
        std::fs::read_dir(out.join("prices"))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".toml"))
            .map(|n| format!("prices/{n}")),
    );
    for rel in existing {
        if let Ok(text) = std::fs::read_to_string(out.join(&rel)) {
            files.insert(rel, text);
        }
    }
    for (rel, text) in texts {
        files.insert(rel.clone(), text.clone());
    }
    let files = files.into_iter().map(|(rel, text)| (format!("{name}/{rel}"), text));
    Catalog::from_files(files, &out.display().to_string()).map(|_| ()).map_err(|e| {
        Error::Message(format!("{}: the snapshot this import would write does not load: {e}", out.display()))
    })
}
