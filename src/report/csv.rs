//! `--format csv`: one row per line item of both designs (and of the design as planned, `as_planned`,
//! between them for infrastructure code) (RFC 4180 via the csv crate), with a stable header;
//! `requirement` names what each line's cost serves in the closed design (see
//! [`crate::rules::requirement`]). `--excel` prepends the UTF-8 byte-order mark Excel needs to read
//! Japanese text.
//!
//! A line without a price has empty `monthly` and `list_monthly` cells (never 0) and a `source`
//! that starts `no price:`. Text from the input is escaped ([`super::escape::csv`]): no cell starts
//! a formula and no newline splits a row.

use super::escape::csv as esc;
use super::line_source;
use crate::calculator::Source;
use crate::catalog::definitions::Charge;
use crate::error::Error;
use crate::figures::{PresentedDesign, present, requirement_of};
use crate::pipeline::Estimate;

pub const HEADER: [&str; 24] = [
    "design",
    "service",
    "role",
    "requirement",
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
    "catalog_monthly",
    "commitment",
    "payg_monthly",
    "savings_1y_monthly",
    "savings_3y_monthly",
];

/// The rows of one design. `closed` gives each line its requirement: an RBAC-only line takes the
/// requirement its service's change is attributed to in the closed design.
fn rows(
    w: &mut csv::Writer<Vec<u8>>,
    design: &str,
    d: &PresentedDesign,
    closed: &PresentedDesign,
    cur: &crate::money::Currency,
) -> Result<(), Error> {
    let currency = cur.code();
    for (role, list) in [("declared", &d.services), ("added", &d.added)] {
        for (i, s) in list.iter().enumerate() {
            let index = (role == "declared").then_some(i);
            // An added resource serves its own requirement (the plan's own plumbing has one too).
            let requirement = match index {
                Some(_) => requirement_of(closed, &s.service.name, index),
                None => s.service.requirement.or_else(|| requirement_of(closed, &s.service.name, None)),
            };
            let requirement = requirement.map(|r| r.id()).unwrap_or_default();
            for l in &s.lines {
                let (meter_id, effective) = match &l.line.source {
                    Source::Meter { meter_id, effective, .. } => (*meter_id, *effective),
                    Source::Documented { effective, .. } => ("", *effective),
                    Source::NoPrice(_) | Source::Provided { .. } | Source::Stated(_) | Source::Yours { .. } => ("", ""),
                };
                let plan = |i: usize| l.plans.and_then(|p| p[i]).map(|m| m.to_string()).unwrap_or_default();
                let opt = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
                w.write_record([
                    design.to_string(),
                    esc(&s.service.name),
                    role.to_string(),
                    requirement.to_string(),
                    esc(s.service.type_id),
                    esc(s.service.tier),
                    esc(l.line.component),
                    if l.line.charge == Charge::Fixed { "fixed".into() } else { "usage".into() },
                    l.line.quantity.normalize().to_string(),
                    esc(l.line.unit),
                    opt(l.line.unit_price),
                    l.list.map(|m| m.to_string()).unwrap_or_default(),
                    opt(l.line.discount),
                    l.monthly.map(|m| m.to_string()).unwrap_or_default(),
                    currency.to_string(),
                    esc(meter_id),
                    esc(effective),
                    esc(&line_source(l, cur)),
                    esc(&l.line.note().unwrap_or_default()),
                    l.catalog.map(|m| m.to_string()).unwrap_or_default(),
                    l.line.commitment.map(|c| c.id().to_string()).unwrap_or_default(),
                    plan(0),
                    plan(1),
                    plan(2),
                ])
                .map_err(Error::from)?;
            }
        }
    }
    Ok(())
}

pub fn render(est: &Estimate, excel: bool) -> Result<String, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(Error::from)?;
    let cur = &est.conversion.currency;
    let closed = present(&est.closed, &est.conversion)?;
    rows(&mut w, "rbac", &present(&est.rbac, &est.conversion)?, &closed, cur)?;
    if let Some(b) = &est.as_built {
        rows(&mut w, "as_planned", &present(&b.as_planned, &est.conversion)?, &closed, cur)?;
    }
    rows(&mut w, "closed", &closed, &closed, cur)?;
    let bytes = w.into_inner().map_err(|e| Error::msg(format!("cannot write CSV: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::msg(format!("cannot write CSV: {e}")))?;
    Ok(if excel { format!("\u{feff}{text}") } else { text })
}
