//! The calculator: monthly line items for one priced resource, and totals for a design.
//!
//! A fixed component's quantity is the hours in a month (the snapshot's `hours_per_month`, 730)
//! times its capacity (`per`) and `factor`, expressed in the meter's unit (hours, days or months).
//! A usage component's quantity is the declared usage divided by the meter's unit size (`10K`
//! calls, `1K` tokens). Tiered meters are split into their buckets; free grants are the zero-priced
//! first buckets of the API data, plus `free_units` where a documented grant has no row.
//! All arithmetic is checked `Decimal`; nothing is rounded here.

use crate::catalog::definitions::{Charge, Component, ServiceDef, Tier};
use crate::catalog::snapshot::{Bucket, Snapshot};
use crate::catalog::units::{Period, Unit};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A resource to price: a declared service in a design, or a resource the closed design adds.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub type_id: String,
    pub tier: String,
    pub region: String,
    pub capacity: BTreeMap<String, Decimal>,
    pub usage: BTreeMap<String, Decimal>,
    pub model: Option<String>,
    pub os: Option<String>,
    pub zone: Option<u8>,
}

/// Where a line's price comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A Retail Prices API item.
    Meter { meter_id: String, effective: String, region: String },
    /// A documented figure the API data does not carry.
    Documented { source: String, effective: String, confidence: Option<String> },
    /// No source gives a price; the reason says why.
    NoPrice(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub component: String,
    pub key: String,
    pub charge: Charge,
    /// Quantity in the meter's unit.
    pub quantity: Decimal,
    pub unit: String,
    /// Price of the bucket the last unit falls in (the marginal price).
    pub unit_price: Option<Decimal>,
    /// Unrounded USD for the month at list price; `None` when there is no price.
    pub monthly: Option<Decimal>,
    pub source: Source,
    /// Free grant or tier notes.
    pub note: Option<String>,
    /// Negotiated discount in percent from the architecture file or `--discount` (0 to 100).
    pub discount: Option<Decimal>,
    /// The meter's buckets (empty without a price) and the documented free units subtracted first,
    /// so that a spreadsheet can recompute the line from its quantity.
    pub buckets: Vec<Bucket>,
    pub free_units: Decimal,
}

impl Line {
    /// Unrounded USD for the month after the discount.
    pub fn net(&self) -> Option<Decimal> {
        let m = self.monthly?;
        Some(match self.discount {
            Some(p) => m * (Decimal::ONE_HUNDRED - p) / Decimal::ONE_HUNDRED,
            None => m,
        })
    }
}

/// Sums of a set of lines, unrounded USD.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub fixed: Decimal,
    pub usage: Decimal,
    /// Lines without a price (left out of the sums).
    pub unpriced: usize,
}

impl Totals {
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a Line>) -> Result<Totals, String> {
        let mut t = Totals::default();
        for line in lines {
            match (line.net(), line.charge) {
                (Some(m), Charge::Fixed) => t.fixed = t.fixed.checked_add(m).ok_or("monthly total overflows")?,
                (Some(m), Charge::Usage) => t.usage = t.usage.checked_add(m).ok_or("monthly total overflows")?,
                (None, _) => t.unpriced += 1,
            }
        }
        Ok(t)
    }

    pub fn total(&self) -> Decimal {
        self.fixed + self.usage
    }
}

fn overflow(what: &str) -> String {
    format!("{what} is too large to compute (Decimal overflow)")
}

/// The components of `tier` that apply to `res` (its OS and model).
pub fn components<'a>(tier: &'a Tier, res: &Resource) -> impl Iterator<Item = &'a Component> {
    let os = res.os.clone().unwrap_or_else(|| "windows".to_string());
    let model = res.model.clone();
    tier.components.iter().filter(move |c| {
        c.os.as_ref().is_none_or(|o| *o == os) && c.model.as_ref().is_none_or(|m| Some(m) == model.as_ref())
    })
}

/// Prices every applicable component of `res`. Usage components with no declared usage are left out.
pub fn price(def: &ServiceDef, snapshot: &Snapshot, res: &Resource) -> Result<Vec<Line>, String> {
    let tier = def.tier(&res.tier).ok_or_else(|| format!("{} has no tier {}", def.type_id, res.tier))?;
    let mut lines = Vec::new();
    for comp in components(tier, res) {
        let (base, note_usage) = match comp.charge {
            Charge::Fixed => {
                let mut m = comp.factor.unwrap_or(Decimal::ONE);
                for key in &comp.per {
                    let v = res.capacity.get(key).copied().unwrap_or(Decimal::ONE);
                    m = m.checked_mul(v).ok_or_else(|| overflow(&comp.name))?;
                }
                (m, None)
            }
            Charge::Usage => {
                let key = comp.usage.as_deref().unwrap_or("");
                match res.usage.get(key) {
                    Some(v) => (*v, Some(key)),
                    None => continue,
                }
            }
        };
        let key = def.key(tier, comp);
        // A line that says why it has no price; `base` is in the architecture's own units.
        let unpriced = |key: String, why: String| Line {
            component: comp.name.clone(),
            key,
            charge: comp.charge,
            quantity: base,
            unit: comp.unit().to_string(),
            unit_price: None,
            monthly: None,
            source: Source::NoPrice(why),
            note: None,
            discount: None,
            buckets: Vec::new(),
            free_units: Decimal::ZERO,
        };
        let region = match (comp.region.as_deref(), res.zone) {
            (None, _) => res.region.clone(),
            (Some("zone"), Some(z)) => format!("Zone {z}"),
            (Some("zone"), None) => {
                let why = "billed by the clients' edge zone; set `zone:` (1-8) on the service to price it";
                lines.push(unpriced(key, why.to_string()));
                continue;
            }
            (Some(r), _) => r.to_string(),
        };
        let entry = match snapshot.price(&key, &region) {
            Ok(e) => e,
            Err(no) => {
                lines.push(unpriced(key, no.0));
                continue;
            }
        };
        let unit = Unit::parse(&entry.unit).ok_or_else(|| format!("{key}: unit {:?} is not understood", entry.unit))?;
        let quantity = match comp.charge {
            Charge::Fixed => {
                let hours = snapshot.meta.hours_per_month;
                let periods = match unit.period {
                    Some(Period::Hour) => hours,
                    Some(Period::Day) => hours.checked_div(Decimal::from(24)).ok_or_else(|| overflow(&key))?,
                    Some(Period::Month) => Decimal::ONE,
                    Some(Period::Year) => Decimal::ONE / Decimal::from(12),
                    None => return Err(format!("{key}: a fixed charge needs a unit of time, not {:?}", entry.unit)),
                };
                periods.checked_mul(base).and_then(|q| q.checked_div(unit.size)).ok_or_else(|| overflow(&comp.name))?
            }
            Charge::Usage => base.checked_div(unit.size).ok_or_else(|| overflow(&comp.name))?,
        };
        let free = comp.free_units.unwrap_or(Decimal::ZERO);
        let billable = (quantity - free).max(Decimal::ZERO);
        let monthly = bucket_cost(&entry.buckets, billable).ok_or_else(|| overflow(&comp.name))?;
        let mut notes = Vec::new();
        if free > Decimal::ZERO {
            notes.push(format!("first {} free", free.normalize()));
        }
        if entry.buckets.len() > 1 {
            notes.push(tier_note(&entry.buckets));
        } else if entry.buckets.first().is_some_and(|b| b.price.is_zero()) && note_usage.is_some() {
            notes.push("no charge".to_string());
        }
        let source = match &entry.meter_id {
            Some(id) => {
                Source::Meter { meter_id: id.clone(), effective: entry.effective.clone(), region: region.clone() }
            }
            None => Source::Documented {
                source: entry.source.clone().unwrap_or_default(),
                effective: entry.effective.clone(),
                confidence: entry.confidence.clone(),
            },
        };
        lines.push(Line {
            component: comp.name.clone(),
            key,
            charge: comp.charge,
            quantity,
            unit: entry.unit.clone(),
            unit_price: Some(marginal_price(&entry.buckets, billable)),
            monthly: Some(monthly),
            source,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
            discount: None,
            buckets: entry.buckets.clone(),
            free_units: free,
        });
    }
    Ok(lines)
}

/// Cost of `quantity` units split across the buckets (each bucket runs to the next one's start).
pub fn bucket_cost(buckets: &[Bucket], quantity: Decimal) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    for (i, b) in buckets.iter().enumerate() {
        if quantity <= b.from {
            break;
        }
        let upper = buckets.get(i + 1).map(|n| n.from);
        let top = match upper {
            Some(u) if quantity > u => u,
            _ => quantity,
        };
        let units = top.checked_sub(b.from)?;
        total = total.checked_add(units.checked_mul(b.price)?)?;
    }
    Some(total)
}

fn marginal_price(buckets: &[Bucket], quantity: Decimal) -> Decimal {
    buckets.iter().rev().find(|b| quantity > b.from || b.from.is_zero()).map(|b| b.price).unwrap_or(Decimal::ZERO)
}

fn tier_note(buckets: &[Bucket]) -> String {
    let parts: Vec<String> =
        buckets.iter().map(|b| format!("{} from {}", b.price.normalize(), b.from.normalize())).collect();
    format!("tiered: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn b(from: &str, price: &str) -> Bucket {
        Bucket { from: d(from), price: d(price) }
    }

    #[test]
    fn splits_tiered_meters_into_buckets() {
        // Storage Hot LRS japaneast: 0.02 to 51,200 GB, 0.0192 to 512,000, then 0.0184.
        let storage = [b("0", "0.02"), b("51200", "0.0192"), b("512000", "0.0184")];
        assert_eq!(bucket_cost(&storage, d("500")).unwrap(), d("10.00"));
        // 51,200 x 0.02 = 1,024 + 8,800 x 0.0192 = 168.96 -> 1,192.96
        assert_eq!(bucket_cost(&storage, d("60000")).unwrap(), d("1192.96"));
        // 1,024 + 460,800 x 0.0192 = 8,847.36 + 88,000 x 0.0184 = 1,619.2 -> 11,490.56
        assert_eq!(bucket_cost(&storage, d("600000")).unwrap(), d("11490.56"));
    }

    #[test]
    fn free_grant_bucket_costs_nothing() {
        // APIM Consumption japaneast: 100 x 10K calls free, then 0.0425 per 10K.
        let calls = [b("0", "0"), b("100", "0.0425")];
        assert_eq!(bucket_cost(&calls, d("50")).unwrap(), d("0"));
        // 5M calls = 500 units: 400 billable x 0.0425 = 17.00
        assert_eq!(bucket_cost(&calls, d("500")).unwrap(), d("17.0000"));
        assert_eq!(marginal_price(&calls, d("500")), d("0.0425"));
        assert_eq!(marginal_price(&calls, d("50")), d("0"));
    }
}
