//! `--format csv`: one row per line item of both designs (RFC 4180 via the csv crate), with a stable
//! header. `--excel` prepends the UTF-8 byte-order mark Excel needs to read Japanese text.

use super::{PresentedDesign, present, source_text};
use crate::Estimate;
use crate::catalog::definitions::Charge;
use crate::estimate::Source;

pub const HEADER: [&str; 18] = [
    "design",
    "service",
    "role",
    "type",
    "tier",
    "component",
    "charge",
    "quantity",
    "unit",
    "unit_price_usd",
    "list_monthly",
    "discount_percent",
    "monthly",
    "currency",
    "meter_id",
    "effective",
    "source",
    "note",
];

fn rows(w: &mut csv::Writer<Vec<u8>>, design: &str, d: &PresentedDesign, currency: &str) -> Result<(), String> {
    for (role, list) in [("declared", &d.services), ("added", &d.added)] {
        for s in list {
            for l in &s.lines {
                let (meter_id, effective) = match &l.line.source {
                    Source::Meter { meter_id, effective, .. } => (*meter_id, *effective),
                    Source::Documented { effective, .. } => ("", *effective),
                    Source::NoPrice(_) => ("", ""),
                };
                let opt = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
                w.write_record([
                    design.to_string(),
                    s.service.name.clone(),
                    role.to_string(),
                    s.service.type_id.to_string(),
                    s.service.tier.to_string(),
                    l.line.component.to_string(),
                    if l.line.charge == Charge::Fixed { "fixed".into() } else { "usage".into() },
                    l.line.quantity.normalize().to_string(),
                    l.line.unit.to_string(),
                    opt(l.line.unit_price),
                    l.list.map(|m| m.to_string()).unwrap_or_default(),
                    opt(l.line.discount),
                    l.monthly.map(|m| m.to_string()).unwrap_or_default(),
                    currency.to_string(),
                    meter_id.to_string(),
                    effective.to_string(),
                    source_text(&l.line.source),
                    l.line.note().unwrap_or_default(),
                ])
                .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(())
}

pub fn render(est: &Estimate, excel: bool) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(|e| e.to_string())?;
    let cur = est.conversion.currency.code();
    rows(&mut w, "rbac", &present(&est.rbac, &est.conversion)?, cur)?;
    rows(&mut w, "closed", &present(&est.closed, &est.conversion)?, cur)?;
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    Ok(if excel { format!("\u{feff}{text}") } else { text })
}
