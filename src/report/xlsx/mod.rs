//! `--format xlsx --output FILE`: a workbook finance can work in. Line items carry live formulas
//! (quantity x unit price, or the meter's tier buckets for tiered meters, x the FX rate x (1 -
//! discount)), so editing a quantity recomputes every total; the Summary sums the line sheets and
//! charts fixed against usage cost. Cached results are the report's own figures, so a reader that
//! does not recalculate sees the same numbers. A line without a price gets a highlighted input cell
//! for its unit price (column H, USD) and the formula `F*H*FX_RATE*(1-discount)`: a figure typed in
//! there flows into every total.
//!
//! Excel stores numbers as doubles: quantities and prices are converted from `Decimal` only when a
//! cell is written.

use super::source_text;
use crate::calculator::Source;
use crate::catalog::definitions::Charge;
use crate::error::Error;
use crate::figures::{
    PresentedDesign, PresentedLine, PresentedService, RequirementRow, by_requirement, present, requirement_of,
};
use crate::money::minor_units;
use crate::pipeline::Estimate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

const SUMMARY: &str = "Summary";
const RBAC: &str = "RBAC-only";
const CLOSED: &str = "Closed network";
const PLANNED: &str = "As planned";
const ASSUMPTIONS: &str = "Assumptions & sources";
/// Row of the FX rate on the assumptions sheet (0-based), named FX_RATE.
const FX_ROW: u32 = 5;

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

pub(super) fn e(x: XlsxError) -> Error {
    Error::msg(format!("xlsx: {x}"))
}

/// Writes a text cell; a text over Excel's 32,767 characters is cut with a note
/// ([`super::escape::cell`]) rather than failing the whole workbook.
fn put(ws: &mut Worksheet, row: u32, col: u16, text: impl AsRef<str>) -> Result<(), Error> {
    ws.write_string(row, col, super::escape::cell(text.as_ref())).map_err(e)?;
    Ok(())
}

pub(super) struct Formats {
    header: Format,
    money: Format,
    number: Format,
    percent: Format,
    total: Format,
    /// A cell for finance to type in: a line's unit price where the catalog has none.
    input: Format,
    /// The monthly cost of a line without a price: it reads `no price` until a unit price is typed
    /// in (the cell is a formula over the input cell, 0 until then, and never shown as 0).
    no_price: Format,
}

pub(super) fn formats(dp: u32) -> Formats {
    let money = if dp == 0 { "#,##0" } else { "#,##0.00" };
    Formats {
        header: Format::new().set_bold().set_border_bottom(FormatBorder::Thin),
        money: Format::new().set_num_format(money),
        number: Format::new().set_num_format("#,##0.######"),
        percent: Format::new().set_num_format("0.0%"),
        total: Format::new().set_bold().set_num_format(money).set_border_top(FormatBorder::Thin),
        input: Format::new()
            .set_num_format("#,##0.######")
            .set_background_color(Color::RGB(0xFFF2CC))
            .set_border(FormatBorder::Thin)
            .set_unlocked(),
        no_price: Format::new().set_num_format(format!("{money};-{money};\"no price\"")),
    }
}

/// The USD cost of the quantity in `q` (a cell reference) for one line, as a formula expression.
fn cost_expr(line: &PresentedLine, q: &str) -> Option<String> {
    let buckets = &line.line.buckets;
    let billable = if line.line.free_units.is_zero() {
        q.to_string()
    } else {
        format!("MAX(0,{q}-{})", line.line.free_units.normalize())
    };
    if buckets.is_empty() || line.line.commitment.is_some() {
        // A figure the architect states, or a savings plan rate: its unit price times the quantity.
        return line.line.unit_price.map(|p| format!("{billable}*{}", p.normalize()));
    }
    if buckets.len() == 1 {
        return Some(format!("{billable}*{}", buckets[0].price.normalize()));
    }
    let mut parts = Vec::new();
    for (i, b) in buckets.iter().enumerate() {
        if b.price.is_zero() {
            continue;
        }
        let lower = b.from.normalize();
        let term = match buckets.get(i + 1) {
            Some(next) => format!("MAX(0,MIN({billable},{})-{lower})", next.from.normalize()),
            None => format!("MAX(0,{billable}-{lower})"),
        };
        parts.push(format!("{}*{term}", b.price.normalize()));
    }
    Some(if parts.is_empty() { "0".into() } else { parts.join("+") })
}

/// One design's lines. Column N names the requirement each line's cost serves (an RBAC-only line
/// takes its closed counterpart's), which the "By requirement" sheet sums over.
pub(super) fn lines_sheet(
    ws: &mut Worksheet,
    d: &PresentedDesign,
    closed: &PresentedDesign,
    est: &Estimate,
    fm: &Formats,
) -> Result<(), Error> {
    lines_header(ws, est.conversion.currency.code(), fm)?;
    let mut row = 1u32;
    let declared = d.services.iter().enumerate().map(|(i, s)| (Some(i), s));
    for (index, s) in declared.chain(d.added.iter().map(|s| (None, s))) {
        let requirement = requirement_of(closed, &s.service.name, index).map(|r| r.id()).unwrap_or_default();
        for l in &s.lines {
            line_row(ws, row, s, l, requirement, est, fm)?;
            row += 1;
        }
    }
    let last = row;
    for (i, (label, charge)) in [("Fixed / month", "fixed"), ("Usage / month", "usage")].iter().enumerate() {
        let r = last + 1 + i as u32;
        ws.write_string_with_format(r, 8, *label, &fm.header).map_err(e)?;
        let value = if *charge == "fixed" { d.fixed } else { d.usage };
        let formula = format!("=SUMIF(E2:E{last},\"{charge}\",J2:J{last})");
        ws.write_formula_with_format(r, 9, Formula::new(formula).set_result(value.to_string()), &fm.total)
            .map_err(e)?;
    }
    // The totals leave out the lines still without a price: how many, live.
    let r = last + 3;
    ws.write_string_with_format(r, 8, "Lines without a price", &fm.header).map_err(e)?;
    let formula = format!("={}", summary::unpriced_count(None, last));
    ws.write_formula(r, 9, Formula::new(formula).set_result(d.unpriced.to_string())).map_err(e)?;
    ws.set_column_width(0, 28).map_err(e)?;
    ws.set_column_width(3, 40).map_err(e)?;
    ws.set_column_width(9, 16).map_err(e)?;
    ws.set_column_width(10, 48).map_err(e)?;
    ws.set_freeze_panes(1, 0).map_err(e)?;
    Ok(())
}

/// The header row of a line sheet; `cur` names the report currency in the money columns.
fn lines_header(ws: &mut Worksheet, cur: &str, fm: &Formats) -> Result<(), Error> {
    let headers = [
        "Service",
        "Type",
        "Tier",
        "Component",
        "Charge",
        "Quantity",
        "Unit",
        "Unit price (USD)",
        "Discount %",
        &format!("Monthly ({cur})"),
        "Source",
        "Effective",
        "Note",
        "Requirement",
        &format!("Pay-as-you-go ({cur})"),
        &format!("1-year savings plan ({cur})"),
        &format!("3-year savings plan ({cur})"),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fm.header).map_err(e)?;
    }
    Ok(())
}

/// One line item's row: what it is, its quantity and unit price, its monthly cost, its source,
/// the requirement it serves and its savings plan costs.
fn line_row(
    ws: &mut Worksheet,
    row: u32,
    s: &PresentedService,
    l: &PresentedLine,
    requirement: &str,
    est: &Estimate,
    fm: &Formats,
) -> Result<(), Error> {
    let name = if s.service.reason.is_some() { format!("+ {}", s.service.name) } else { s.service.name.clone() };
    put(ws, row, 0, &name)?;
    put(ws, row, 1, s.service.type_id)?;
    put(ws, row, 2, s.service.tier)?;
    put(ws, row, 3, l.line.component)?;
    put(ws, row, 4, if l.line.charge == Charge::Fixed { "fixed" } else { "usage" })?;
    ws.write_number_with_format(row, 5, f(l.line.quantity), &fm.number).map_err(e)?;
    put(ws, row, 6, l.line.unit)?;
    if let Some(p) = l.line.unit_price {
        ws.write_number_with_format(row, 7, f(p), &fm.number).map_err(e)?;
    }
    ws.write_number(row, 8, f(l.line.discount.unwrap_or_default())).map_err(e)?;
    monthly_cell(ws, row, l, minor_units(&est.conversion.currency), fm)?;
    let (src, eff) = line_source_cells(l, est);
    put(ws, row, 10, &src)?;
    put(ws, row, 11, eff)?;
    put(ws, row, 12, l.line.note().as_deref().unwrap_or(""))?;
    put(ws, row, 13, requirement)?;
    // Savings plans: the line's monthly list cost at each commitment, where its meter has them.
    for (i, m) in l.plans.iter().flatten().enumerate() {
        if let Some(m) = m {
            ws.write_number_with_format(row, 14 + i as u16, f(*m), &fm.money).map_err(e)?;
        }
    }
    Ok(())
}

/// Column J of a line's row: a live formula over its quantity, its figure where there is nothing
/// to compute, or, for a line without a price, a formula over an input cell for its unit price.
fn monthly_cell(ws: &mut Worksheet, row: u32, l: &PresentedLine, dp: u32, fm: &Formats) -> Result<(), Error> {
    let q = format!("F{}", row + 1);
    match (cost_expr(l, &q), l.monthly) {
        (Some(expr), Some(m)) => {
            let formula = format!("=ROUND(({expr})*FX_RATE*(1-I{}/100),{dp})", row + 1);
            ws.write_formula_with_format(row, 9, Formula::new(formula).set_result(m.to_string()), &fm.money)
                .map_err(e)?;
        }
        // Provided by the hub or already licensed: nothing to compute.
        (None, Some(m)) => {
            ws.write_number_with_format(row, 9, f(m), &fm.money).map_err(e)?;
        }
        // No price: an input cell for the unit price (USD per unit of the line) and a
        // live formula, so that a figure typed in flows into every total.
        (_, None) => {
            ws.write_blank(row, 7, &fm.input).map_err(e)?;
            let r = row + 1;
            let formula = format!("=ROUND(F{r}*H{r}*FX_RATE*(1-I{r}/100),{dp})");
            ws.write_formula_with_format(row, 9, Formula::new(formula).set_result("0"), &fm.no_price).map_err(e)?;
        }
    }
    Ok(())
}

/// Columns K and L of a line's row: where its price comes from and the price's effective date.
fn line_source_cells<'l>(l: &PresentedLine<'l>, est: &Estimate) -> (String, &'l str) {
    let line = l.line;
    match &line.source {
        Source::Meter { meter_id, effective, .. } => (format!("meter {meter_id}"), *effective),
        Source::Documented { source, effective, .. } => (source.to_string(), *effective),
        Source::NoPrice(why) => (format!("no price: {why}"), ""),
        Source::Provided { .. } | Source::Stated(_) => (source_text(&line.source), ""),
        Source::Yours { .. } => (super::line_source(l, &est.conversion.currency), ""),
    }
}

/// What closing costs, by requirement: each figure is a formula over the line sheets (closed lines
/// of the requirement minus the RBAC-only lines attributed to it), so an edited quantity flows here.
fn requirements_sheet(ws: &mut Worksheet, rows: &[RequirementRow], fm: &Formats) -> Result<(), Error> {
    for (c, h) in
        ["Requirement", "Id", "Fixed / month", "Usage / month", "Total / month", "Share", "Saving if dropped", "Notes"]
            .iter()
            .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &fm.header).map_err(e)?;
    }
    let sum = |sheet: &str, r: u32, charge: &str| {
        format!("SUMIFS('{sheet}'!$J:$J,'{sheet}'!$N:$N,$B{r},'{sheet}'!$E:$E,\"{charge}\")")
    };
    let last = rows.len() as u32 + 1;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let x = r + 1;
        put(ws, r, 0, row.requirement.label())?;
        put(ws, r, 1, row.requirement.id())?;
        for (c, charge, value) in [(2u16, "fixed", row.fixed), (3, "usage", row.usage)] {
            let formula = format!("={}-{}", sum(CLOSED, x, charge), sum(RBAC, x, charge));
            ws.write_formula_with_format(r, c, Formula::new(formula).set_result(value.to_string()), &fm.money)
                .map_err(e)?;
        }
        ws.write_formula_with_format(
            r,
            4,
            Formula::new(format!("=C{x}+D{x}")).set_result(row.total().to_string()),
            &fm.money,
        )
        .map_err(e)?;
        let share = row.share.map(|s| (s / Decimal::from(100)).to_string()).unwrap_or_default();
        let formula = format!("=IF($E${}=0,0,E{x}/$E${})", last + 1, last + 1);
        ws.write_formula_with_format(r, 5, Formula::new(formula).set_result(share), &fm.percent).map_err(e)?;
        ws.write_number_with_format(r, 6, f(row.saving), &fm.money).map_err(e)?;
        put(ws, r, 7, row.note())?;
    }
    let t = last;
    ws.write_string_with_format(t, 0, "Total (closed minus RBAC-only)", &fm.header).map_err(e)?;
    for c in 2..=4u16 {
        let col = (b'A' + c as u8) as char;
        let total: Decimal = rows
            .iter()
            .map(|r| match c {
                2 => r.fixed,
                3 => r.usage,
                _ => r.total(),
            })
            .sum();
        ws.write_formula_with_format(
            t,
            c,
            Formula::new(format!("=SUM({col}2:{col}{t})")).set_result(total.to_string()),
            &fm.total,
        )
        .map_err(e)?;
    }
    ws.write_string(
        t + 2,
        0,
        "Saving if dropped: the closed design re-priced without that closed_network setting (a value, not a formula).",
    )
    .map_err(e)?;
    ws.set_column_width(0, 30).map_err(e)?;
    ws.set_column_width(1, 18).map_err(e)?;
    for c in 2..=6 {
        ws.set_column_width(c, 16).map_err(e)?;
    }
    ws.set_column_width(7, 48).map_err(e)?;
    Ok(())
}

mod summary;

pub fn render(est: &Estimate) -> Result<Vec<u8>, Error> {
    let rbac = present(&est.rbac, &est.conversion)?;
    let closed = present(&est.closed, &est.conversion)?;
    let verdict = super::verdict::Verdict::of(est, &closed)?;
    let fm = formats(minor_units(&est.conversion.currency));
    let mut wb = Workbook::new();
    // A fixed creation date (the prices' as-of date) keeps the file byte-identical for the same inputs.
    let created = ExcelDateTime::parse_from_str(&est.snapshot.meta.as_of).map_err(e)?;
    let title = super::escape::cell(&est.architecture.name);
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title(title.as_ref()));
    if let Some(v) = &verdict {
        summary::verdict_sheet(wb.add_worksheet().set_name(summary::VERDICT).map_err(e)?, v, est, &fm)?;
    }
    let mut designs = vec![(RBAC, &rbac)];
    designs.extend(verdict.as_ref().map(|v| (PLANNED, &v.planned)));
    designs.push((CLOSED, &closed));
    summary::summary(wb.add_worksheet().set_name(SUMMARY).map_err(e)?, &designs, &fm)?;
    for (name, d) in &designs {
        lines_sheet(wb.add_worksheet().set_name(*name).map_err(e)?, d, &closed, est, &fm)?;
    }
    let rows = by_requirement(&est.closed, &rbac, &closed, &est.conversion)?;
    requirements_sheet(wb.add_worksheet().set_name("By requirement").map_err(e)?, &rows, &fm)?;
    decisions_sheet(wb.add_worksheet().set_name("Decisions").map_err(e)?, est, &fm)?;
    findings_sheet(wb.add_worksheet().set_name("Findings").map_err(e)?, est, &fm)?;
    let ws = wb.add_worksheet().set_name(ASSUMPTIONS).map_err(e)?;
    let r = assumptions(ws, est, &fm)?;
    price_sources(ws, r, [(RBAC, &rbac), (CLOSED, &closed)], est, &fm)?;
    wb.define_name("FX_RATE", &format!("='{ASSUMPTIONS}'!$B${}", FX_ROW + 1)).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}

/// Every decision of the closed design: its tiers, rule, needs, evidence and rejected tiers.
fn decisions_sheet(ws: &mut Worksheet, est: &Estimate, fm: &Formats) -> Result<(), Error> {
    for (c, h) in ["Service", "Type", "From", "To", "Rule", "Needs", "Documentation", "As of", "Rejected tiers"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &fm.header).map_err(e)?;
    }
    for (i, d) in est.closed.decisions.iter().enumerate() {
        let r = 1 + i as u32;
        let ev = d.evidence.iter().find(|x| Some(&x.rule) == d.rule.as_ref()).or(d.evidence.first());
        let rejected: Vec<String> = d.rejected.iter().map(|x| format!("{}: {}", x.tier, x.reason)).collect();
        for (c, v) in [
            d.service.clone(),
            d.type_id.to_string(),
            d.from.to_string(),
            d.to.unwrap_or("(none qualifies)").to_string(),
            d.rule.map_or("", |r| r.as_str()).to_string(),
            d.needs.describe().join("; "),
            ev.map(|x| x.doc.to_string()).unwrap_or_default(),
            ev.map(|x| x.as_of.to_string()).unwrap_or_default(),
            rejected.join("; "),
        ]
        .iter()
        .enumerate()
        {
            put(ws, r, c as u16, v)?;
        }
    }
    Ok(())
}

/// Every finding: rule, slug, severity, line, message and documentation.
fn findings_sheet(ws: &mut Worksheet, est: &Estimate, fm: &Formats) -> Result<(), Error> {
    for (c, h) in ["Rule", "Slug", "Severity", "Line", "Message", "Documentation"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fm.header).map_err(e)?;
    }
    for (i, fi) in est.findings.iter().enumerate() {
        let r = 1 + i as u32;
        put(ws, r, 0, fi.rule.as_str())?;
        put(ws, r, 1, fi.slug)?;
        put(ws, r, 2, fi.severity.as_str())?;
        if let Some(l) = fi.loc.filter(|l| l.line > 0) {
            ws.write_number(r, 3, l.line as f64).map_err(e)?;
        }
        put(ws, r, 4, &fi.message)?;
        put(ws, r, 5, fi.doc)?;
    }
    Ok(())
}

/// The assumptions behind the figures, the FX rate (named FX_RATE) among them, then the discounts,
/// savings plan and price sheet; returns the first row below them.
fn assumptions(ws: &mut Worksheet, est: &Estimate, fm: &Formats) -> Result<u32, Error> {
    let meta = &est.snapshot.meta;
    let rows: [(&str, String); 10] = [
        ("Architecture file", est.architecture.file.clone()),
        ("Pricing snapshot", format!("{} (sha256 {})", meta.name, est.snapshot.sha256)),
        ("Prices as of", meta.as_of.clone()),
        ("Price source", meta.source.clone()),
        ("Region", est.architecture.region.clone()),
        ("FX rate (per USD)", String::new()),
        ("Currency", est.conversion.currency.code().to_string()),
        (
            "FX source",
            format!(
                "{}{}",
                est.conversion.source,
                est.conversion.date.as_ref().map(|d| format!(", {d}")).unwrap_or_default()
            ),
        ),
        ("Hours per month", meta.hours_per_month.normalize().to_string()),
        (
            "Rounding",
            "each line rounded half away from zero to the currency's minor unit (ROUND in each formula)".into(),
        ),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *k, &fm.header).map_err(e)?;
        if i as u32 == FX_ROW {
            ws.write_number(i as u32, 1, f(est.conversion.rate)).map_err(e)?;
        } else {
            put(ws, i as u32, 1, v)?;
        }
    }
    let mut r = rows.len() as u32 + 1;
    for d in &est.discounts {
        put(ws, r, 0, "Discount")?;
        put(ws, r, 1, d.describe())?;
        r += 1;
    }
    if let Some(text) = super::commitment_text(est) {
        put(ws, r, 0, "Commitment")?;
        put(ws, r, 1, text)?;
        r += 1;
    }
    if let Some(text) = super::price_sheet_text(est) {
        put(ws, r, 0, "Price sheet")?;
        put(ws, r, 1, text)?;
        r += 1;
    }
    Ok(r)
}

/// From one row below `r` (the first row under the assumptions): the source, free grants and tiers
/// of every line of both designs.
fn price_sources(
    ws: &mut Worksheet,
    mut r: u32,
    designs: [(&str, &PresentedDesign); 2],
    est: &Estimate,
    fm: &Formats,
) -> Result<(), Error> {
    r += 1;
    for (c, h) in ["Design", "Service", "Component", "Source of the price", "Free grants and tiers"].iter().enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &fm.header).map_err(e)?;
    }
    for (label, d) in designs {
        for s in d.services.iter().chain(&d.added) {
            for l in &s.lines {
                r += 1;
                put(ws, r, 0, label)?;
                put(ws, r, 1, &s.service.name)?;
                put(ws, r, 2, l.line.component)?;
                put(ws, r, 3, super::line_source(l, &est.conversion.currency))?;
                put(ws, r, 4, l.line.note().as_deref().unwrap_or(""))?;
            }
        }
    }
    ws.set_column_width(0, 22).map_err(e)?;
    ws.set_column_width(1, 40).map_err(e)?;
    ws.set_column_width(3, 60).map_err(e)?;
    Ok(())
}
