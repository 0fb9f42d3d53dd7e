//! `--price-sheet FILE.csv`: the EA/MCA price sheet a billing account downloads from the Azure
//! portal (Cost Management + Billing, "Price sheet"). A line whose Retail Prices API meter id is in
//! the sheet is priced at the sheet's unit price, the row in force on the snapshot's as-of date
//! (else the one in force today), converted to the line's unit of measure and from the sheet's
//! currency. Nothing leaves the machine.
//!
//! Reading the file ([`read`]) checks every row it keeps, so that a sheet means one thing: its
//! currency is stated (a column, or `--price-sheet-currency` for the whole sheet), its dates are
//! dates, its numbers are numbers, and no two rows price the same meter from the same date. Rows are
//! kept by meter id, so pricing a line is one look-up whatever the size of the sheet.

pub mod read;

use crate::calculator::{Line, Source};
use crate::catalog::units::Unit;
use crate::error::Error;
use crate::money::Conversion;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;

/// Largest price sheet closednet reads: a full EA or MCA price sheet (every meter of every region)
/// is tens of MiB; this bounds memory and time on a wrong file.
pub const MAX_SHEET_BYTES: u64 = 256 * 1024 * 1024;

/// A calendar date of the sheet (`2026-01-01`, `01/01/2026`), ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    year: u16,
    month: u8,
    day: u8,
}

impl Day {
    /// A valid calendar date, or `None`.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Day> {
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Day { year, month, day })
    }

    /// `YYYY-MM-DD`, alone or followed by a time (`2026-01-01T00:00:00Z`).
    pub fn parse_iso(text: &str) -> Option<Day> {
        let t = text.trim();
        let (date, rest) = t.split_at_checked(10)?;
        if !(rest.is_empty() || rest.starts_with(['T', ' '])) {
            return None;
        }
        let b = date.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Day::new(digits(&date[..4])?, digits(&date[5..7])?, digits(&date[8..])?)
    }

    /// `M/D/YYYY` or `MM/DD/YYYY` (the EA and MCA exports' US order), alone or followed by a time.
    pub fn parse_us(text: &str) -> Option<Day> {
        let t = text.trim();
        let date = t.split(' ').next()?;
        let mut parts = date.split('/');
        let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || m.len() > 2 || d.len() > 2 || y.len() != 4 {
            return None;
        }
        Day::new(digits(y)?, digits(m)?, digits(d)?)
    }
}

/// A number written with ASCII digits only.
fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One `Consumption` row of the first tier, as read.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    /// Index into [`PriceSheet::units`].
    unit: u32,
    price: Decimal,
    /// Index into [`PriceSheet::currencies`].
    currency: u32,
    start: Option<Day>,
    end: Option<Day>,
    /// The row as a spreadsheet numbers it (the header is row 1).
    line: u64,
}

impl Row {
    fn in_force(&self, day: Day) -> bool {
        self.start.is_none_or(|s| s <= day) && self.end.is_none_or(|e| e >= day)
    }
}

/// A parsed price sheet: its rows by meter id (lower case).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriceSheet {
    /// The file as the user named it.
    pub file: String,
    meters: HashMap<String, Vec<Row>>,
    /// The distinct units of measure and currency codes of the rows (a row holds their index).
    units: Vec<String>,
    currencies: Vec<String>,
    /// Rows kept (`Consumption`, first tier) and rows passed over (other price types or tiers).
    pub kept: usize,
    pub passed_over: usize,
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
/// units measure different things. The sheet's unit was checked when it was read (see
/// [`read::unit_count`]), so its count cannot overflow.
pub fn unit_ratio(line_unit: &str, sheet_unit: &str) -> Option<Decimal> {
    let (l, s) = (Unit::parse(line_unit)?, Unit::parse(sheet_unit)?);
    if l.period != s.period || unit_words(line_unit) != unit_words(sheet_unit) || s.size.is_zero() {
        return None;
    }
    l.size.checked_div(s.size)
}

impl PriceSheet {
    /// The row of `meter_id` in force on `day` (the newest start wins; no two rows of a meter
    /// start on the same day).
    fn row(&self, meter_id: &str, day: Day) -> Option<&Row> {
        self.meters.get(&meter_id.to_ascii_lowercase())?.iter().filter(|r| r.in_force(day)).max_by_key(|r| r.start)
    }

    /// Whether any row of the sheet is in force on `day`.
    fn any_in_force(&self, day: Day) -> bool {
        self.meters.values().flatten().any(|r| r.in_force(day))
    }

    /// The date the sheet is read at: the snapshot's as-of date when rows are in force then, else today.
    pub fn date<'a>(&self, as_of: &'a str, today: &'a str) -> &'a str {
        match Day::parse_iso(as_of) {
            Some(day) if self.any_in_force(day) => as_of,
            _ => today,
        }
    }

    /// Prices `l` at the sheet's row for its meter in force on `date`, if there is one; true if it did.
    pub fn price_line(&self, l: &mut Line, date: &str, conv: &Conversion) -> Result<bool, Error> {
        let Source::Meter { meter_id, .. } = l.source else { return Ok(false) };
        let day = Day::parse_iso(date)
            .ok_or_else(|| Error::msg(format!("{}: the date {date} to read the sheet at is not a date", self.file)))?;
        let Some(row) = self.row(meter_id, day) else { return Ok(false) };
        let at = format!("{}:{}", self.file, row.line);
        let unit = &self.units[row.unit as usize];
        let Some(ratio) = unit_ratio(l.unit, unit) else {
            return Err(Error::msg(format!(
                "{at}: meter {meter_id} is priced per \"{unit}\" in the sheet but per \"{}\" in the catalog; \
                 closednet cannot convert one into the other",
                l.unit
            )));
        };
        let currency = self.currencies[row.currency as usize].as_str();
        let usd = if currency == "USD" {
            row.price
        } else if currency == conv.currency.code() {
            row.price
                .checked_div(conv.rate)
                .ok_or_else(|| Error::msg(format!("{at}: the price cannot be converted to USD")))?
        } else {
            return Err(Error::msg(format!(
                "{at}: a price in {currency} but the report is in {}: give the report currency with --currency \
                 {currency}, and its rate with --fx",
                conv.currency.code()
            )));
        };
        let per_line_unit =
            usd.checked_mul(ratio).ok_or_else(|| Error::msg(format!("{at}: the price is too large to compute")))?;
        let source = match row.start {
            None => format!("price sheet {}, row {}", self.file, row.line),
            Some(start) => format!("price sheet {}, row {} (effective {start})", self.file, row.line),
        };
        l.set_price(per_line_unit, &source).map_err(|e| Error::msg(format!("{at}: {e}")))?;
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

    #[test]
    fn dates_are_iso_or_us_and_valid() {
        let iso = |t| Day::parse_iso(t).map(|d| d.to_string());
        let us = |t| Day::parse_us(t).map(|d| d.to_string());
        assert_eq!(iso("2026-01-01T00:00:00Z").as_deref(), Some("2026-01-01"));
        assert_eq!(iso("2028-02-29").as_deref(), Some("2028-02-29"));
        assert_eq!(iso("2026-02-29"), None);
        assert_eq!(iso("2026-13-45"), None);
        assert_eq!(iso("yesterday"), None);
        assert_eq!(iso("2026-01-01x"), None);
        assert_eq!(us("09/01/2026").as_deref(), Some("2026-09-01"));
        assert_eq!(us("9/1/2026 12:00:00 AM").as_deref(), Some("2026-09-01"));
        assert_eq!(us("13/01/2026"), None);
        assert_eq!(us("01/01/26"), None);
        assert!(Day::parse_us("09/01/2026") > Day::parse_iso("2026-08-15"));
    }
}
