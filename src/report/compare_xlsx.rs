//! `closednet compare --format xlsx --output FILE`: one workbook for the whole comparison. Each
//! variant (the file as written, `base`, then every scenario) gets two line sheets, `NAME` (the
//! closed design) and `NAME RBAC`, with the same live formulas as `estimate`'s workbook; the
//! *Comparison* sheet's figures are `SUMIF` formulas over them, so an edited quantity on any sheet
//! moves its scenario's totals and the differences. One *Assumptions* sheet holds the FX rate
//! (`FX_RATE`, shared: `compare` refuses scenarios priced at different rates).

use super::xlsx::{e, formats, lines_sheet};
use crate::error::Error;
use crate::figures::present;
use crate::money::minor_units;
use crate::scenario::compare::Comparison;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook, Worksheet};

const COMPARISON: &str = "Comparison";
const ASSUMPTIONS: &str = "Assumptions";
/// Row of the FX rate on the assumptions sheet (0-based), named FX_RATE.
const FX_ROW: u32 = 5;

fn rbac_sheet(name: &str) -> String {
    format!("{name} RBAC")
}

fn comparison(ws: &mut Worksheet, c: &Comparison, dp: u32) -> Result<(), Error> {
    let money = if dp == 0 { "#,##0" } else { "#,##0.00" };
    let header = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
    let money = Format::new().set_num_format(money);
    let heads = [
        "Scenario",
        "Description",
        "Fixed / month",
        "Usage / month",
        "Closed total",
        "RBAC-only total",
        "Closed - RBAC-only",
        "vs base",
        "Requirements broken",
        "Chosen",
    ];
    for (col, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *h, &header).map_err(e)?;
    }
    let sum = |sheet: &str, charge: &str| format!("SUMIF('{sheet}'!$E:$E,\"{charge}\",'{sheet}'!$J:$J)");
    let base_total = c.base().figures.total();
    for (i, v) in c.variants.iter().enumerate() {
        let r = i as u32 + 1;
        let x = r + 1;
        let f = &v.figures;
        ws.write_string(r, 0, &v.name).map_err(e)?;
        ws.write_string(r, 1, &v.description).map_err(e)?;
        let rbac = rbac_sheet(&v.name);
        let cells: [(u16, String, Decimal); 6] = [
            (2, format!("={}", sum(&v.name, "fixed")), f.fixed),
            (3, format!("={}", sum(&v.name, "usage")), f.usage),
            (4, format!("=C{x}+D{x}"), f.total()),
            (5, format!("={}+{}", sum(&rbac, "fixed"), sum(&rbac, "usage")), f.rbac),
            (6, format!("=E{x}-F{x}"), f.delta()),
            (7, format!("=E{x}-$E$2"), f.total() - base_total),
        ];
        for (col, formula, value) in cells {
            ws.write_formula_with_format(r, col, Formula::new(formula).set_result(value.to_string()), &money)
                .map_err(e)?;
        }
        let broken: Vec<String> = v.breaches.iter().map(|b| format!("{}: {}", b.constraint, b.reason)).collect();
        ws.write_string(r, 8, broken.join("; ")).map_err(e)?;
        if c.chosen == Some(i) {
            ws.write_string(r, 9, "chosen").map_err(e)?;
        }
    }
    let note = c.variants.len() as u32 + 2;
    ws.write_string(
        note,
        0,
        "Each figure is a formula over the scenario's sheets (NAME: closed design, NAME RBAC: RBAC-only); edit a quantity there and it moves here.",
    )
    .map_err(e)?;
    ws.set_column_width(0, 24).map_err(e)?;
    ws.set_column_width(1, 48).map_err(e)?;
    for col in 2..=7 {
        ws.set_column_width(col, 16).map_err(e)?;
    }
    ws.set_column_width(8, 60).map_err(e)?;
    ws.set_freeze_panes(1, 1).map_err(e)?;
    Ok(())
}

fn assumptions(ws: &mut Worksheet, c: &Comparison, file: &str) -> Result<(), Error> {
    let est = &c.base().estimate;
    let meta = &est.snapshot.meta;
    let bold = Format::new().set_bold();
    let rows: [(&str, String); FX_ROW as usize] = [
        ("Architecture file", file.to_string()),
        ("Pricing snapshot", format!("{} (sha256 {})", meta.name, est.snapshot.sha256)),
        ("Prices as of", meta.as_of.clone()),
        ("Region", est.architecture.region.clone()),
        ("Currency", est.conversion.currency.code().to_string()),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *k, &bold).map_err(e)?;
        ws.write_string(i as u32, 1, v).map_err(e)?;
    }
    let fx = FX_ROW;
    ws.write_string_with_format(fx, 0, "FX rate (per USD)", &bold).map_err(e)?;
    ws.write_number(fx, 1, est.conversion.rate.to_f64().unwrap_or(f64::NAN)).map_err(e)?;
    ws.write_string(fx + 1, 0, "FX source").map_err(e)?;
    ws.write_string(fx + 1, 1, super::rate_text(&est.conversion)).map_err(e)?;
    for (i, v) in c.variants.iter().enumerate().filter(|(_, v)| v.estimate.snapshot.meta.name != meta.name) {
        let m = &v.estimate.snapshot.meta;
        ws.write_string(fx + 3 + i as u32, 0, format!("Scenario {}", v.name)).map_err(e)?;
        ws.write_string(fx + 3 + i as u32, 1, format!("priced with snapshot {} (as of {})", m.name, m.as_of))
            .map_err(e)?;
    }
    ws.set_column_width(0, 22).map_err(e)?;
    ws.set_column_width(1, 70).map_err(e)?;
    Ok(())
}

pub fn render(c: &Comparison, file: &str) -> Result<Vec<u8>, Error> {
    let est = &c.base().estimate;
    let dp = minor_units(&est.conversion.currency);
    let fm = formats(dp);
    let mut wb = Workbook::new();
    // A fixed creation date (the prices' as-of date) keeps the file byte-identical for the same inputs.
    let created = ExcelDateTime::parse_from_str(&est.snapshot.meta.as_of).map_err(e)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title(&est.architecture.name));
    comparison(wb.add_worksheet().set_name(COMPARISON).map_err(e)?, c, dp)?;
    assumptions(wb.add_worksheet().set_name(ASSUMPTIONS).map_err(e)?, c, file)?;
    for v in &c.variants {
        let rbac = present(&v.estimate.rbac, &v.estimate.conversion)?;
        let closed = present(&v.estimate.closed, &v.estimate.conversion)?;
        lines_sheet(wb.add_worksheet().set_name(&v.name).map_err(e)?, &closed, &closed, &v.estimate, &fm)?;
        lines_sheet(wb.add_worksheet().set_name(rbac_sheet(&v.name)).map_err(e)?, &rbac, &closed, &v.estimate, &fm)?;
    }
    wb.define_name("FX_RATE", &format!("='{ASSUMPTIONS}'!$B${}", FX_ROW + 1)).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}
