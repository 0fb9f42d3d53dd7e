//! The workbook's first sheets: the verdict (infrastructure code only) and the Summary, a column
//! per design (RBAC-only, as planned, closed network) summing its line sheet, with the differences,
//! the fixed share, a live count of the lines still without a price, and a chart.

use super::{Formats, SUMMARY, e, put};
use crate::error::Error;
use crate::figures::PresentedDesign;
use crate::pipeline::Estimate;
use crate::report::verdict::Verdict;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Formula, Worksheet};

pub const VERDICT: &str = "Verdict";

/// Column letter of the `i`-th design on the Summary (B, C, D).
fn col(i: usize) -> char {
    (b'B' + i as u8) as char
}

/// A formula counting the lines of a line sheet (`sheet`, or the sheet it is on when `None`) still
/// without a price: their source says so and their unit price cell (H) is empty. `last` bounds the
/// rows on the sheet itself.
pub fn unpriced_count(sheet: Option<&str>, last: u32) -> String {
    match sheet {
        Some(s) => format!("COUNTIFS('{s}'!$K:$K,\"no price*\",'{s}'!$H:$H,\"\")"),
        None => format!("COUNTIFS(K2:K{last},\"no price*\",H2:H{last},\"\")"),
    }
}

/// One row of figures: a formula per design with its cached value.
fn figures(ws: &mut Worksheet, r: u32, cells: &[(String, Decimal)], fm: &Formats) -> Result<(), Error> {
    for (c, (formula, value)) in cells.iter().enumerate() {
        if formula.is_empty() {
            continue;
        }
        let f = Formula::new(formula).set_result(value.to_string());
        ws.write_formula_with_format(r, 1 + c as u16, f, &fm.money).map_err(e)?;
    }
    Ok(())
}

/// The Summary: `designs` are (line sheet, figures), the closed network last.
pub fn summary(ws: &mut Worksheet, designs: &[(&str, &PresentedDesign)], fm: &Formats) -> Result<(), Error> {
    let n = designs.len();
    for (i, (name, _)) in designs.iter().enumerate() {
        ws.write_string_with_format(0, 1 + i as u16, *name, &fm.header).map_err(e)?;
    }
    let sum = |sheet: &str, charge: &str| format!("=SUMIF('{sheet}'!$E:$E,\"{charge}\",'{sheet}'!$J:$J)");
    let per = |f: &dyn Fn(usize, &str, &PresentedDesign) -> (String, Decimal)| {
        designs.iter().enumerate().map(|(i, (s, d))| f(i, s, d)).collect::<Vec<_>>()
    };
    let rows: [(&str, Vec<(String, Decimal)>); 5] = [
        ("Fixed / month", per(&|_, s, d| (sum(s, "fixed"), d.fixed))),
        ("Usage / month", per(&|_, s, d| (sum(s, "usage"), d.usage))),
        ("Total / month", per(&|i, _, d| (format!("={0}2+{0}3", col(i)), d.total()))),
        ("12 months", per(&|i, _, d| (format!("={}4*12", col(i)), d.total() * Decimal::from(12)))),
        ("36 months", per(&|i, _, d| (format!("={}4*36", col(i)), d.total() * Decimal::from(36)))),
    ];
    let mut r = 1;
    for (label, cells) in &rows {
        put(ws, r, 0, *label)?;
        figures(ws, r, cells, fm)?;
        r += 1;
    }
    // The closed network minus each other design, in the closed network's column.
    let closed = designs[n - 1].1.total();
    for (i, (name, d)) in designs[..n - 1].iter().enumerate() {
        put(ws, r, 0, format!("Closed minus {name} / month"))?;
        let mut cells = vec![(String::new(), Decimal::ZERO); n];
        cells[n - 1] = (format!("={}4-{}4", col(n - 1), col(i)), closed - d.total());
        figures(ws, r, &cells, fm)?;
        r += 1;
    }
    put(ws, r, 0, "Fixed share")?;
    for (i, (_, d)) in designs.iter().enumerate() {
        let share = if d.total().is_zero() { Decimal::ZERO } else { d.fixed / d.total() };
        let formula = format!("=IF({0}4=0,0,{0}2/{0}4)", col(i));
        let f = Formula::new(formula).set_result(share.round_dp(6).to_string());
        ws.write_formula_with_format(r, 1 + i as u16, f, &fm.percent).map_err(e)?;
    }
    unpriced_row(ws, r + 1, designs)?;
    chart(ws, r + 3, n)?;
    ws.set_column_width(0, 30).map_err(e)?;
    for i in 0..n {
        ws.set_column_width(1 + i as u16, 18).map_err(e)?;
    }
    Ok(())
}

/// How many lines each design still has without a price (live: typing a unit price on a line
/// sheet takes the line off), and whether the totals above are complete.
fn unpriced_row(ws: &mut Worksheet, r: u32, designs: &[(&str, &PresentedDesign)]) -> Result<(), Error> {
    put(ws, r, 0, "Lines without a price")?;
    for (i, (sheet, d)) in designs.iter().enumerate() {
        let f = Formula::new(format!("={}", unpriced_count(Some(sheet), 0))).set_result(d.unpriced.to_string());
        ws.write_formula(r, 1 + i as u16, f).map_err(e)?;
    }
    let unpriced: usize = designs.iter().map(|(_, d)| d.unpriced).sum();
    let (first, last, row) = (col(0), col(designs.len() - 1), r + 1);
    let formula =
        format!("=IF(SUM({first}{row}:{last}{row})>0,\"incomplete: the totals leave these lines out\",\"complete\")");
    let cached = if unpriced > 0 { "incomplete: the totals leave these lines out" } else { "complete" };
    ws.write_formula(r, 1 + designs.len() as u16, Formula::new(formula).set_result(cached)).map_err(e)?;
    Ok(())
}

/// A stacked column chart of fixed against usage cost per design.
fn chart(ws: &mut Worksheet, at: u32, n: usize) -> Result<(), Error> {
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart.title().set_name("Monthly cost: fixed and usage");
    let last = col(n - 1);
    let categories = format!("='{SUMMARY}'!$B$1:${last}$1");
    for row in [2, 3] {
        let name = format!("='{SUMMARY}'!$A${row}");
        let values = format!("='{SUMMARY}'!$B${row}:${last}${row}");
        chart.add_series().set_name(&name).set_categories(&categories).set_values(&values);
    }
    ws.insert_chart(at, 0, &chart).map_err(e)?;
    Ok(())
}

/// The verdict first: the headline with its money, then every resource judged.
pub fn verdict_sheet(ws: &mut Worksheet, v: &Verdict, est: &Estimate, fm: &Formats) -> Result<(), Error> {
    let lines = v.headline(&est.conversion.currency);
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            ws.write_string_with_format(0, 0, line, &fm.header).map_err(e)?;
        } else {
            put(ws, i as u32, 0, line)?;
        }
    }
    let top = lines.len() as u32 + 1;
    for (c, h) in ["State", "Resource", "Priced as", "Evidence"].iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &fm.header).map_err(e)?;
    }
    for (i, j) in v.import().judged.iter().enumerate() {
        let r = top + 1 + i as u32;
        put(ws, r, 0, j.state.as_str())?;
        put(ws, r, 1, &j.address)?;
        put(ws, r, 2, j.service.as_deref().unwrap_or("not priced"))?;
        put(ws, r, 3, j.evidence.join("; "))?;
    }
    ws.set_column_width(0, 14).map_err(e)?;
    ws.set_column_width(1, 60).map_err(e)?;
    ws.set_column_width(2, 30).map_err(e)?;
    ws.set_column_width(3, 100).map_err(e)?;
    Ok(())
}
