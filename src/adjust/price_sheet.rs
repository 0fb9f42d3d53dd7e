//! `--price-sheet FILE.csv`: the EA/MCA price sheet a billing account downloads from the Azure
//! portal (Cost Management + Billing, "Price sheet"). A line whose Retail Prices API meter id is in
//! the sheet is priced at the sheet's unit price, the row in force on the snapshot's as-of date
//! (else the one in force today), converted to the line's unit of measure.
//!
//! Columns, by their documented names (Microsoft Learn, "Microsoft Customer Agreement price sheet"
//! dataset schema 2023-05-01 and the Cost Management `McaPriceSheetProperties`): `meterId`,
//! `unitOfMeasure`, `unitPrice` (the price with negotiated discounts), and when present `currency`
//! (or `billingCurrency`), `effectiveStartDate`, `effectiveEndDate`, `priceType` (only
//! `Consumption` rows are read: savings plan and reservation rows price other purchases) and
//! `tierMinimumUnits` (only the first tier, 0, is read). Header names are matched without regard to
//! case, spaces or underscores, so the older EA download's `Meter ID`, `Unit of Measure`,
//! `Unit Price` and `Currency Code` work too. Nothing leaves the machine.

use crate::calculator::{Line, Source};
use crate::catalog::units::Unit;
use crate::error::Error;
use crate::money::Conversion;
use rust_decimal::Decimal;

#[derive(Clone, Debug, PartialEq)]
struct Row {
    meter_id: String,
    unit: String,
    price: Decimal,
    currency: String,
    start: String,
    end: Option<String>,
    line: u64,
}

/// A parsed price sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceSheet {
    /// The file as the user named it.
    pub file: String,
    rows: Vec<Row>,
}

/// What applying a sheet did, for the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    pub file: String,
    /// Lines priced from the sheet, in both designs.
    pub lines: usize,
    /// `--choose-on negotiated`: the closed design chose its tiers on the sheet's prices.
    pub chose_tiers: bool,
    /// The date the sheet's rows were read at.
    pub date: String,
}

fn norm(h: &str) -> String {
    h.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

/// The words of a unit after its count: `100 Hours` -> `hour`, `1 GiB Hour` -> `gibhour`.
fn unit_words(u: &str) -> String {
    let u = u.trim();
    let rest = u.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = match rest.chars().next() {
        Some('K') => &rest[1..],
        Some('M') if !rest.starts_with("Month") && !rest.starts_with("MB") => &rest[1..],
        _ => rest,
    };
    rest.split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase().trim_end_matches('s').to_string())
        .collect()
}

/// How many sheet units one line unit is (`1 Hour` against `100 Hours`: 0.01), or `None` when the
/// units measure different things.
pub fn unit_ratio(line_unit: &str, sheet_unit: &str) -> Option<Decimal> {
    let (l, s) = (Unit::parse(line_unit)?, Unit::parse(sheet_unit)?);
    if l.period != s.period || unit_words(line_unit) != unit_words(sheet_unit) || s.size.is_zero() {
        return None;
    }
    l.size.checked_div(s.size)
}

impl PriceSheet {
    pub fn parse(file: &str, text: &str) -> Result<PriceSheet, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let headers: Vec<String> =
            r.headers().map_err(|e| Error::msg(format!("{file}: {e}")))?.iter().map(norm).collect();
        let col = |names: &[&str]| names.iter().find_map(|n| headers.iter().position(|h| h == n));
        let need = |names: &[&str], label: &str| {
            col(names).ok_or_else(|| Error::msg(format!("{file}: the price sheet has no `{label}` column")))
        };
        let meter = need(&["meterid"], "meterId")?;
        let unit = need(&["unitofmeasure"], "unitOfMeasure")?;
        let price = need(&["unitprice"], "unitPrice")?;
        let currency = col(&["currency", "billingcurrency", "currencycode"]);
        let start = col(&["effectivestartdate"]);
        let end = col(&["effectiveenddate"]);
        let kind = col(&["pricetype"]);
        let tier = col(&["tierminimumunits"]);
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| Error::msg(format!("{file}: {e}")))?;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).map(str::trim).unwrap_or("");
            if !matches!(get(kind), "" | "Consumption") {
                continue;
            }
            let t = get(tier);
            if !t.is_empty() && t.parse::<Decimal>().map_or(true, |t| !t.is_zero()) {
                continue;
            }
            let id = get(Some(meter)).to_ascii_lowercase();
            if id.is_empty() {
                continue;
            }
            let text = get(Some(price));
            let value = text
                .parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(text))
                .map_err(|_| Error::msg(format!("{file}:{line}: unitPrice \"{text}\" is not a number")))?;
            if value.is_sign_negative() && !value.is_zero() {
                return Err(Error::msg(format!("{file}:{line}: unitPrice {value} is negative")));
            }
            let date = |s: &str| s.get(..10).unwrap_or(s).to_string();
            rows.push(Row {
                meter_id: id,
                unit: get(Some(unit)).to_string(),
                price: value,
                currency: match get(currency) {
                    "" => "USD".to_string(),
                    c => c.to_ascii_uppercase(),
                },
                start: date(get(start)),
                end: Some(get(end)).filter(|e| !e.is_empty()).map(date),
                line,
            });
        }
        Ok(PriceSheet { file: file.to_string(), rows })
    }

    /// The row of `meter_id` in force on `date` (the newest start wins).
    fn row(&self, meter_id: &str, date: &str) -> Option<&Row> {
        let id = meter_id.to_ascii_lowercase();
        self.rows
            .iter()
            .filter(|r| r.meter_id == id && r.start.as_str() <= date && r.end.as_deref().is_none_or(|e| e >= date))
            .max_by(|a, b| a.start.cmp(&b.start))
    }

    /// Whether any row of the sheet is in force on `date`.
    fn any_in_force(&self, date: &str) -> bool {
        self.rows.iter().any(|r| r.start.as_str() <= date && r.end.as_deref().is_none_or(|e| e >= date))
    }

    /// The date the sheet is read at: the snapshot's as-of date when rows are in force then, else today.
    pub fn date<'a>(&self, as_of: &'a str, today: &'a str) -> &'a str {
        if self.any_in_force(as_of) { as_of } else { today }
    }

    /// Prices `l` at the sheet's row for its meter in force on `date`, if there is one; true if it did.
    pub fn price_line(&self, l: &mut Line, date: &str, conv: &Conversion) -> Result<bool, Error> {
        let Source::Meter { meter_id, .. } = l.source else { return Ok(false) };
        let Some(row) = self.row(meter_id, date) else { return Ok(false) };
        let at = format!("{}:{}", self.file, row.line);
        let Some(ratio) = unit_ratio(l.unit, &row.unit) else {
            return Err(Error::msg(format!(
                "{at}: meter {meter_id} is priced per \"{}\" in the sheet but per \"{}\" in the catalog; \
                 closednet cannot convert one into the other",
                row.unit, l.unit
            )));
        };
        let usd = if row.currency == "USD" {
            row.price
        } else if row.currency == conv.currency.code() {
            row.price
                .checked_div(conv.rate)
                .ok_or_else(|| Error::msg(format!("{at}: the price cannot be converted")))?
        } else {
            return Err(Error::msg(format!(
                "{at}: a price in {} but the report is in {}: give the report currency with --currency {}, \
                 and its rate with --fx",
                row.currency,
                conv.currency.code(),
                row.currency
            )));
        };
        let per_line_unit = usd.checked_mul(ratio).ok_or_else(|| Error::msg(format!("{at}: the price overflows")))?;
        let source = match row.start.as_str() {
            "" => format!("price sheet {}, row {}", self.file, row.line),
            start => format!("price sheet {}, row {} (effective {start})", self.file, row.line),
        };
        l.set_price(per_line_unit, &source)?;
        Ok(true)
    }
}

/// `--choose-on negotiated`: the sheet, the date it is read at and the report's conversion, with
/// which the closed design compares candidate tiers.
pub struct Negotiated<'a> {
    pub sheet: &'a PriceSheet,
    pub date: &'a str,
    pub conversion: &'a Conversion,
}

impl crate::rules::Pricer for Negotiated<'_> {
    fn reprice(&self, lines: &mut [Line]) -> Result<(), Error> {
        for l in lines {
            self.sheet.price_line(l, self.date, self.conversion)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_units_of_the_same_kind_only() {
        assert_eq!(unit_ratio("1 Hour", "100 Hours"), Some(Decimal::new(1, 2)));
        assert_eq!(unit_ratio("1 Hour", "1 Hour"), Some(Decimal::ONE));
        assert_eq!(unit_ratio("10K", "1M"), Some(Decimal::new(1, 2)));
        assert_eq!(unit_ratio("1 GiB Hour", "1 Hour"), None);
        assert_eq!(unit_ratio("1 GB", "1 Hour"), None);
    }
}
