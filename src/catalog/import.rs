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
//! says "no price" for it rather than inventing one.

use super::Catalog;
use super::definitions::{Component, ServiceDef};
use super::snapshot::{Bucket, Missing, PriceEntry, PriceFile};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
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
}

/// The result of an import: one price file per service type, the regions read, and a summary.
pub struct Imported {
    pub files: BTreeMap<String, PriceFile>,
    pub regions: Vec<String>,
    pub summary: ImportSummary,
}

/// Imports prices for every service in `catalog` from `input`.
/// The `snapshotDate` of a `snapshot-manifest.json` beside the region folders, if any.
pub fn manifest_date(input: &Path) -> Option<String> {
    let text = std::fs::read_to_string(input.join("snapshot-manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("snapshotDate")?.as_str().map(str::to_string)
}

pub fn import(catalog: &Catalog, input: &Path, as_of: &str) -> Result<Imported, String> {
    import_types(catalog, input, as_of, &[])
}

/// [`import`] for the service types in `only` (all when empty): one type's price file can be
/// refreshed without rewriting the others.
pub fn import_types(catalog: &Catalog, input: &Path, as_of: &str, only: &[String]) -> Result<Imported, String> {
    if let Some(t) = only.iter().find(|t| catalog.service(t).is_none()) {
        let types: Vec<&str> = catalog.type_ids().collect();
        return Err(format!("--type {t}: no such service type; {}", crate::suggest::help(t, &types)));
    }
    // Savings plan rates are those of the pages' date: not known to apply at an earlier date.
    let savings = manifest_date(input).is_none_or(|pages| as_of >= pages.as_str());
    let regions = region_folders(input)?;
    if regions.is_empty() {
        return Err(format!("{}: no region folders with Retail Prices API pages", input.display()));
    }
    let mut summary = ImportSummary::default();
    let mut out = BTreeMap::new();
    for def in catalog.services()?.into_iter().filter(|d| only.is_empty() || only.contains(&d.type_id)) {
        // The pages this type's components read: its own, and any a component names instead.
        let mut sources: Vec<&str> = def
            .tiers
            .iter()
            .flat_map(|t| &t.components)
            .filter_map(|c| c.meter.as_deref().and_then(|m| def.meter_source(m)).map(|(f, _)| f))
            .collect();
        sources.sort();
        sources.dedup();
        if sources.is_empty() {
            continue;
        }
        let mut file = PriceFile::default();
        // Prices of non-regional meters (Global, billing zones) are the same in every folder:
        // they are written once, from the first folder that has them.
        let mut non_regional: BTreeMap<(String, String), PriceEntry> = BTreeMap::new();
        for region in &regions {
            let mut pages: BTreeMap<&str, Option<Vec<Item>>> = BTreeMap::new();
            for source in &sources {
                let path = input.join(region).join(source);
                let items = match std::fs::read(&path) {
                    Ok(bytes) => {
                        summary.files_read += 1;
                        summary.bytes_read += bytes.len() as u64;
                        let page: Page = serde_json::from_slice(&bytes)
                            .map_err(|e| format!("{}: not a Retail Prices API page: {e}", path.display()))?;
                        summary.items_read += page.items.len();
                        Some(page.items)
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => return Err(format!("{}: {e}", path.display())),
                };
                pages.insert(source, items);
            }
            for tier in &def.tiers {
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
                    let matching: Vec<&Item> = items
                        .iter()
                        .filter(|i| {
                            i.service_name == service_name
                                && i.product_name == *filter.product
                                && i.sku_name == *filter.sku
                                && i.meter_name == *filter.meter
                                && i.unit_of_measure == *filter.unit
                                && (i.price_type.is_empty() || i.price_type == "Consumption")
                                && (i.currency_code.is_empty() || i.currency_code == "USD")
                        })
                        .collect();
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
        }
        // A non-regional meter found in no folder at all is missing everywhere.
        for tier in &def.tiers {
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
        file.price.extend(non_regional.into_values());
        file.price.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
        file.missing.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
        summary.prices += file.price.len();
        summary.missing.extend(file.missing.iter().cloned());
        out.insert(def.type_id.clone(), file);
    }
    Ok(Imported { files: out, regions, summary })
}

fn no_match_reason(def: &ServiceDef, comp: &Component, region: &str, as_of: &str) -> String {
    let f = comp.meter.as_ref().expect("only metered components are imported");
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
) -> Result<Option<PriceEntry>, String> {
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
                    return Err(format!(
                        "{key} in {region}: two items for bucket {} start on {a} at different prices ({} and {}); \
                         refusing to guess",
                        item.tier_minimum_units, prev.retail_price, item.retail_price
                    ));
                }
            }
        }
    }
    let newest = by_bucket.values().max_by_key(|i| date(&i.effective_start_date)).expect("non-empty");
    // Savings plans discount compute meters priced per unit: only a meter with one bucket keeps them.
    let single = (savings && by_bucket.len() == 1).then_some(*newest);
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

fn region_folders(input: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let mut regions: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    regions.sort();
    Ok(regions)
}

/// Renders one service's price file with a header that says where it came from.
pub fn render(type_id: &str, file: &PriceFile, input: &str, as_of: &str) -> Result<String, String> {
    let body = toml::to_string(file).map_err(|e| format!("{type_id}: {e}"))?;
    Ok(format!(
        "# Generated by `closednet pricing import` from Retail Prices API pages ({input}),\n\
         # in force on {as_of}. Do not edit: change pricing/services/{type_id}.toml and import again.\n\n{body}"
    ))
}

/// Writes `prices/<type>.toml` under `out`, and a `snapshot.toml` if there is none yet.
pub fn write(out: &Path, imported: &mut Imported, input: &str, as_of: &str) -> Result<(), String> {
    let Imported { files, regions, summary } = imported;
    let prices_dir = out.join("prices");
    std::fs::create_dir_all(&prices_dir).map_err(|e| format!("{}: {e}", prices_dir.display()))?;
    for (type_id, file) in files {
        let path = prices_dir.join(format!("{type_id}.toml"));
        std::fs::write(&path, render(type_id, file, input, as_of)?).map_err(|e| format!("{}: {e}", path.display()))?;
        summary.written.push(path);
    }
    let meta = out.join("snapshot.toml");
    if !meta.exists() {
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("snapshot");
        let regions = regions.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>().join(", ");
        let text = format!(
            "name = \"{name}\"\nas_of = \"{as_of}\"\nsource = \"Azure Retail Prices API pages in {input}\"\n\
             currency = \"USD\"\nhours_per_month = \"730\"\nregions = [{regions}]\n"
        );
        std::fs::write(&meta, text).map_err(|e| format!("{}: {e}", meta.display()))?;
        summary.written.push(meta);
    }
    Ok(())
}
