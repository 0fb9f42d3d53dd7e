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
use crate::figures::{PresentedDesign, PresentedLine, RequirementRow, by_requirement, present, requirement_of};
use crate::money::minor_units;
use crate::pipeline::Estimate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, ChartType, Color, DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};

const SUMMARY: &str = "Summary";
const RBAC: &str = "RBAC-only";
const CLOSED: &str = "Closed network";
const ASSUMPTIONS: &str = "Assumptions & sources";
/// Row of the FX rate on the assumptions sheet (0-based), named FX_RATE.
const FX_ROW: u32 = 5;

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

pub(super) fn e(x: XlsxError) -> Error {
    Error::msg(format!("xlsx: {x}"))
}

pub(super) struct Formats {
    header: Format,
    money: Format,
    number: Format,
    percent: Format,
    total: Format,
    /// A cell for finance to type in: a line's unit price where the catalog has none.
    input: Format,
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
    let cur = est.conversion.currency.code();
    let dp = minor_units(&est.conversion.currency);
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
    let mut row = 1u32;
    let declared = d.services.iter().enumerate().map(|(i, s)| (Some(i), s));
    for (index, s) in declared.chain(d.added.iter().map(|s| (None, s))) {
        let requirement = requirement_of(closed, &s.service.name, index).map(|r| r.id()).unwrap_or_default();
        for l in &s.lines {
            let name =
                if s.service.reason.is_some() { format!("+ {}", s.service.name) } else { s.service.name.clone() };
            ws.write_string(row, 0, &name).map_err(e)?;
            ws.write_string(row, 1, s.service.type_id).map_err(e)?;
            ws.write_string(row, 2, s.service.tier).map_err(e)?;
            ws.write_string(row, 3, l.line.component).map_err(e)?;
            ws.write_string(row, 4, if l.line.charge == Charge::Fixed { "fixed" } else { "usage" }).map_err(e)?;
            ws.write_number_with_format(row, 5, f(l.line.quantity), &fm.number).map_err(e)?;
            ws.write_string(row, 6, l.line.unit).map_err(e)?;
            if let Some(p) = l.line.unit_price {
                ws.write_number_with_format(row, 7, f(p), &fm.number).map_err(e)?;
            }
            ws.write_number(row, 8, f(l.line.discount.unwrap_or_default())).map_err(e)?;
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
                    ws.write_formula_with_format(row, 9, Formula::new(formula).set_result("0"), &fm.money)
                        .map_err(e)?;
                }
            }
            let (src, eff) = match &l.line.source {
                Source::Meter { meter_id, effective, .. } => (format!("meter {meter_id}"), *effective),
                Source::Documented { source, effective, .. } => (source.to_string(), *effective),
                Source::NoPrice(why) => (format!("no price: {why}"), ""),
                Source::Provided { .. } | Source::Stated(_) => (source_text(&l.line.source), ""),
                Source::Yours { .. } => (super::line_source(l, &est.conversion.currency), ""),
            };
            ws.write_string(row, 10, &src).map_err(e)?;
            ws.write_string(row, 11, eff).map_err(e)?;
            ws.write_string(row, 12, l.line.note().as_deref().unwrap_or("")).map_err(e)?;
            ws.write_string(row, 13, requirement).map_err(e)?;
            // Savings plans: the line's monthly list cost at each commitment, where its meter has them.
            for (i, m) in l.plans.iter().flatten().enumerate() {
                if let Some(m) = m {
                    ws.write_number_with_format(row, 14 + i as u16, f(*m), &fm.money).map_err(e)?;
                }
            }
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
    ws.set_column_width(0, 28).map_err(e)?;
    ws.set_column_width(3, 40).map_err(e)?;
    ws.set_column_width(9, 16).map_err(e)?;
    ws.set_column_width(10, 48).map_err(e)?;
    ws.set_freeze_panes(1, 0).map_err(e)?;
    Ok(())
}

fn summary(ws: &mut Worksheet, rbac: &PresentedDesign, closed: &PresentedDesign, fm: &Formats) -> Result<(), Error> {
    ws.write_string_with_format(0, 1, RBAC, &fm.header).map_err(e)?;
    ws.write_string_with_format(0, 2, CLOSED, &fm.header).map_err(e)?;
    let sum = |sheet: &str, charge: &str| format!("=SUMIF('{sheet}'!$E:$E,\"{charge}\",'{sheet}'!$J:$J)");
    let rows: [(&str, [String; 2], [Decimal; 2]); 6] = [
        ("Fixed / month", [sum(RBAC, "fixed"), sum(CLOSED, "fixed")], [rbac.fixed, closed.fixed]),
        ("Usage / month", [sum(RBAC, "usage"), sum(CLOSED, "usage")], [rbac.usage, closed.usage]),
        ("Total / month", ["=B2+B3".into(), "=C2+C3".into()], [rbac.total(), closed.total()]),
        (
            "12 months",
            ["=B4*12".into(), "=C4*12".into()],
            [rbac.total() * Decimal::from(12), closed.total() * Decimal::from(12)],
        ),
        (
            "36 months",
            ["=B4*36".into(), "=C4*36".into()],
            [rbac.total() * Decimal::from(36), closed.total() * Decimal::from(36)],
        ),
        (
            "Closed minus RBAC-only / month",
            [String::new(), "=C4-B4".into()],
            [Decimal::ZERO, closed.total() - rbac.total()],
        ),
    ];
    for (i, (label, formulas, values)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, *label).map_err(e)?;
        for (c, (formula, value)) in formulas.iter().zip(values).enumerate() {
            if !formula.is_empty() {
                ws.write_formula_with_format(
                    r,
                    1 + c as u16,
                    Formula::new(formula).set_result(value.to_string()),
                    &fm.money,
                )
                .map_err(e)?;
            }
        }
    }
    ws.write_string(7, 0, "Fixed share").map_err(e)?;
    for (c, (col, d)) in [("B", rbac), ("C", closed)].iter().enumerate() {
        let share = if d.total().is_zero() { Decimal::ZERO } else { d.fixed / d.total() };
        let formula = format!("=IF({col}4=0,0,{col}2/{col}4)");
        ws.write_formula_with_format(
            7,
            1 + c as u16,
            Formula::new(formula).set_result(share.round_dp(6).to_string()),
            &fm.percent,
        )
        .map_err(e)?;
    }
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart.title().set_name("Monthly cost: fixed and usage");
    let categories = format!("='{SUMMARY}'!$B$1:$C$1");
    for row in [2, 3] {
        let name = format!("='{SUMMARY}'!$A${row}");
        let values = format!("='{SUMMARY}'!$B${row}:$C${row}");
        chart.add_series().set_name(&name).set_categories(&categories).set_values(&values);
    }
    ws.insert_chart(10, 0, &chart).map_err(e)?;
    ws.set_column_width(0, 30).map_err(e)?;
    ws.set_column_width(1, 18).map_err(e)?;
    ws.set_column_width(2, 18).map_err(e)?;
    Ok(())
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
        ws.write_string(r, 0, row.requirement.label()).map_err(e)?;
        ws.write_string(r, 1, row.requirement.id()).map_err(e)?;
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
        ws.write_string(r, 7, row.note()).map_err(e)?;
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

pub fn render(est: &Estimate) -> Result<Vec<u8>, Error> {
    let rbac = present(&est.rbac, &est.conversion)?;
    let closed = present(&est.closed, &est.conversion)?;
    let fm = formats(minor_units(&est.conversion.currency));
    let mut wb = Workbook::new();
    // A fixed creation date (the prices' as-of date) keeps the file byte-identical for the same inputs.
    let created = ExcelDateTime::parse_from_str(&est.snapshot.meta.as_of).map_err(e)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title(&est.architecture.name));
    summary(wb.add_worksheet().set_name(SUMMARY).map_err(e)?, &rbac, &closed, &fm)?;
    lines_sheet(wb.add_worksheet().set_name(RBAC).map_err(e)?, &rbac, &closed, est, &fm)?;
    lines_sheet(wb.add_worksheet().set_name(CLOSED).map_err(e)?, &closed, &closed, est, &fm)?;
    let rows = by_requirement(&est.closed, &rbac, &closed, &est.conversion)?;
    requirements_sheet(wb.add_worksheet().set_name("By requirement").map_err(e)?, &rows, &fm)?;

    let ws = wb.add_worksheet().set_name("Decisions").map_err(e)?;
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
            ws.write_string(r, c as u16, v).map_err(e)?;
        }
    }

    let ws = wb.add_worksheet().set_name("Findings").map_err(e)?;
    for (c, h) in ["Rule", "Slug", "Severity", "Line", "Message", "Documentation"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fm.header).map_err(e)?;
    }
    for (i, fi) in est.findings.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, fi.rule.as_str()).map_err(e)?;
        ws.write_string(r, 1, fi.slug).map_err(e)?;
        ws.write_string(r, 2, fi.severity.as_str()).map_err(e)?;
        if let Some(l) = fi.loc.filter(|l| l.line > 0) {
            ws.write_number(r, 3, l.line as f64).map_err(e)?;
        }
        ws.write_string(r, 4, &fi.message).map_err(e)?;
        ws.write_string(r, 5, fi.doc).map_err(e)?;
    }

    let meta = &est.snapshot.meta;
    let ws = wb.add_worksheet().set_name(ASSUMPTIONS).map_err(e)?;
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
            ws.write_string(i as u32, 1, v).map_err(e)?;
        }
    }
    let mut r = rows.len() as u32 + 1;
    for d in &est.discounts {
        ws.write_string(r, 0, "Discount").map_err(e)?;
        ws.write_string(r, 1, d.describe()).map_err(e)?;
        r += 1;
    }
    if let Some(text) = super::commitment_text(est) {
        ws.write_string(r, 0, "Commitment").map_err(e)?;
        ws.write_string(r, 1, text).map_err(e)?;
        r += 1;
    }
    if let Some(text) = super::price_sheet_text(est) {
        ws.write_string(r, 0, "Price sheet").map_err(e)?;
        ws.write_string(r, 1, text).map_err(e)?;
        r += 1;
    }
    r += 1;
    for (c, h) in ["Design", "Service", "Component", "Source of the price", "Free grants and tiers"].iter().enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &fm.header).map_err(e)?;
    }
    for (label, d) in [(RBAC, &rbac), (CLOSED, &closed)] {
        for s in d.services.iter().chain(&d.added) {
            for l in &s.lines {
                r += 1;
                ws.write_string(r, 0, label).map_err(e)?;
                ws.write_string(r, 1, &s.service.name).map_err(e)?;
                ws.write_string(r, 2, l.line.component).map_err(e)?;
                ws.write_string(r, 3, super::line_source(l, &est.conversion.currency)).map_err(e)?;
                ws.write_string(r, 4, l.line.note().as_deref().unwrap_or("")).map_err(e)?;
            }
        }
    }
    ws.set_column_width(0, 22).map_err(e)?;
    ws.set_column_width(1, 40).map_err(e)?;
    ws.set_column_width(3, 60).map_err(e)?;
    wb.define_name("FX_RATE", &format!("='{ASSUMPTIONS}'!$B${}", FX_ROW + 1)).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}
