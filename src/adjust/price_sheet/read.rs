//! Reading a price sheet: the file (a regular file of at most [`MAX_SHEET_BYTES`], read as a
//! stream), its header and its rows, each checked, every error naming the file and the row.
//!
//! Columns, by their documented names (Microsoft Learn, "Microsoft Customer Agreement price sheet"
//! dataset schema 2023-05-01 and the Cost Management `McaPriceSheetProperties`): `meterId`,
//! `unitOfMeasure`, `unitPrice` (the price with negotiated discounts), the sheet's currency
//! (`currency`, else `billingCurrency` or `Currency Code`; or `--price-sheet-currency` for a sheet
//! without one), and when present `effectiveStartDate`, `effectiveEndDate` (`YYYY-MM-DD`, with or
//! without a time, or the exports' `MM/DD/YYYY`), `priceType` (only `Consumption` rows are read, in
//! any case: savings plan and reservation rows price other purchases) and `tierMinimumUnits` (only
//! the first tier, 0, is read). Header names are matched without regard to case, spaces or
//! underscores, so the older EA download's `Meter ID`, `Unit of Measure`, `Unit Price` and
//! `Currency Code` work too; one of the columns read given twice (`unitPrice` and `Unit Price`) is
//! an error.

use super::{Day, MAX_SHEET_BYTES, PriceSheet, Row};
use crate::error::Error;
use crate::money::Currency;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

/// The columns closednet reads: how the error messages name each, and the header names (lower
/// case, letters and digits only) that mean it, preferred first.
const METER: (&str, &[&str]) = ("meterId", &["meterid"]);
const UNIT: (&str, &[&str]) = ("unitOfMeasure", &["unitofmeasure"]);
const PRICE: (&str, &[&str]) = ("unitPrice", &["unitprice"]);
const CURRENCY: (&str, &[&str]) = ("currency", &["currency", "billingcurrency", "currencycode"]);
const START: (&str, &[&str]) = ("effectiveStartDate", &["effectivestartdate"]);
const END: (&str, &[&str]) = ("effectiveEndDate", &["effectiveenddate"]);
const KIND: (&str, &[&str]) = ("priceType", &["pricetype"]);
const TIER: (&str, &[&str]) = ("tierMinimumUnits", &["tierminimumunits"]);
const READ: [(&str, &[&str]); 8] = [METER, UNIT, PRICE, CURRENCY, START, END, KIND, TIER];

fn norm(h: &str) -> String {
    h.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

/// Reads the price sheet at `path` (named `name` in messages). `currency` is the sheet's currency
/// when it has no currency column (`--price-sheet-currency`).
pub fn read(path: &Path, name: &str, currency: Option<&str>) -> Result<PriceSheet, Error> {
    let cannot = |e: &dyn std::fmt::Display| Error::msg(format!("cannot read the price sheet {name}: {e}"));
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if meta.is_dir() {
        return Err(Error::msg(format!("the price sheet {name} is a directory: give the sheet's CSV file")));
    }
    if !meta.is_file() {
        return Err(Error::msg(format!(
            "the price sheet {name} is not a regular file (a device, a pipe or a socket): save the sheet's CSV to a file and give that"
        )));
    }
    if meta.len() > MAX_SHEET_BYTES {
        return Err(too_large(name, &meta.len().to_string()));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    parse(name, std::io::BufReader::new(file).take(MAX_SHEET_BYTES + 1), currency)
}

fn too_large(name: &str, size: &str) -> Error {
    Error::msg(format!(
        "the price sheet {name} is {size} bytes; closednet reads price sheets up to {MAX_SHEET_BYTES} bytes (256 MiB)"
    ))
}

/// Where each column read is in the header.
struct Columns {
    meter: usize,
    unit: usize,
    price: usize,
    currency: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    kind: Option<usize>,
    tier: Option<usize>,
}

/// The header's columns, or an error naming what is missing or given twice and listing the columns
/// found. Without a currency column the sheet's currency must be `stated`.
fn columns(file: &str, header: &csv::StringRecord, stated: Option<&str>) -> Result<Columns, Error> {
    let names: Vec<String> = header.iter().map(norm).collect();
    let found = || {
        let list: Vec<String> = header.iter().map(|h| format!("`{}`", h.trim_start_matches('\u{feff}'))).collect();
        if list.is_empty() { "none".to_string() } else { list.join(", ") }
    };
    for (label, spellings) in READ {
        for name in spellings.iter() {
            let at: Vec<usize> = names.iter().enumerate().filter(|(_, n)| n == name).map(|(i, _)| i).collect();
            if let [first, second, ..] = at[..] {
                return Err(Error::msg(format!(
                    "{file}: columns {} (`{}`) and {} (`{}`) are both the {label} column; keep one",
                    first + 1,
                    &header[first],
                    second + 1,
                    &header[second]
                )));
            }
        }
    }
    let col = |(_, spellings): (&str, &[&str])| spellings.iter().find_map(|n| names.iter().position(|h| h == n));
    let missing: Vec<String> =
        [METER, UNIT, PRICE].into_iter().filter(|c| col(*c).is_none()).map(|(l, _)| format!("`{l}`")).collect();
    if !missing.is_empty() {
        return Err(Error::msg(format!(
            "{file}: the price sheet has no {} column; closednet reads the columns meterId, unitOfMeasure, unitPrice \
             and currency (and effectiveStartDate, effectiveEndDate, priceType, tierMinimumUnits when present; case, \
             spaces and underscores do not matter); the columns found: {}",
            match missing.as_slice() {
                [one] => one.clone(),
                [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
                [] => String::new(),
            },
            found()
        )));
    }
    let currency = col(CURRENCY);
    if currency.is_none() && stated.is_none() {
        return Err(Error::msg(format!(
            "{file}: the price sheet does not state its currency: it has no `currency` column (nor `billingCurrency` \
             or `Currency Code`); add one, or pass --price-sheet-currency CODE for the whole sheet; the columns found: {}",
            found()
        )));
    }
    let [meter, unit, price] = [METER, UNIT, PRICE].map(|c| col(c).unwrap_or_default());
    Ok(Columns { meter, unit, price, currency, start: col(START), end: col(END), kind: col(KIND), tier: col(TIER) })
}

/// Parses a price sheet from `input` (CSV, UTF-8, with a header row).
pub fn parse(file: &str, input: impl Read, currency: Option<&str>) -> Result<PriceSheet, Error> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = r.headers().map_err(|e| Error::msg(format!("{file}: {e}")))?.clone();
    let cols = columns(file, &header, currency)?;
    let mut sheet = PriceSheet { file: file.to_string(), ..PriceSheet::default() };
    let mut interned: [HashMap<String, u32>; 2] = [HashMap::new(), HashMap::new()];
    let mut record = csv::StringRecord::new();
    let mut rows_read: u64 = 0;
    loop {
        match r.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(Error::msg(format!("{file}: {e}"))),
        }
        if r.position().byte() > MAX_SHEET_BYTES {
            return Err(too_large(file, &format!("more than {MAX_SHEET_BYTES}")));
        }
        // Rows are numbered as a spreadsheet shows them, the header being row 1 (a quoted field may
        // hold a line break, and the reader's line count is off with CRLF line ends).
        rows_read += 1;
        let line = rows_read + 1;
        let at = format!("{file}:{line}");
        let Some(row) = row(&at, &record, &cols, currency)? else {
            sheet.passed_over += 1;
            continue;
        };
        let mut intern = |table: usize, text: String, list: &mut Vec<String>| {
            let next = list.len() as u32;
            *interned[table].entry(text.clone()).or_insert_with(|| {
                list.push(text);
                next
            })
        };
        let unit = intern(0, row.unit, &mut sheet.units);
        let currency = intern(1, row.currency, &mut sheet.currencies);
        let kept = Row { unit, price: row.price, currency, start: row.start, end: row.end, line };
        let rows = sheet.meters.entry(row.meter).or_default();
        if let Some(twin) = rows.iter().find(|r| r.start == kept.start) {
            let from = kept.start.map_or_else(|| "without a start date".to_string(), |s| format!("from {s}"));
            return Err(Error::msg(format!(
                "{at}: rows {} and {line} both price meter {} {from} ({} and {}); keep one",
                twin.line,
                record.get(cols.meter).unwrap_or_default().trim(),
                twin.price.normalize(),
                kept.price.normalize()
            )));
        }
        rows.push(kept);
        sheet.kept += 1;
    }
    Ok(sheet)
}

/// One row as read, before its unit and currency are interned.
struct Parsed {
    meter: String,
    unit: String,
    price: Decimal,
    currency: String,
    start: Option<Day>,
    end: Option<Day>,
}

/// The row at `at`, checked; `None` for a row closednet does not read (another price type, a
/// higher tier, no meter id).
fn row(at: &str, rec: &csv::StringRecord, cols: &Columns, stated: Option<&str>) -> Result<Option<Parsed>, Error> {
    let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).map(str::trim).unwrap_or("");
    let kind = get(cols.kind);
    if !(kind.is_empty() || kind.eq_ignore_ascii_case("consumption")) {
        return Ok(None);
    }
    let tier = get(cols.tier);
    if !tier.is_empty() {
        let t = number(tier).ok_or_else(|| Error::msg(format!("{at}: tierMinimumUnits \"{tier}\" is not a number")))?;
        if t.is_sign_negative() && !t.is_zero() {
            return Err(Error::msg(format!("{at}: tierMinimumUnits {tier} is negative")));
        }
        if !t.is_zero() {
            return Ok(None);
        }
    }
    let meter = get(Some(cols.meter)).to_ascii_lowercase();
    if meter.is_empty() {
        return Ok(None);
    }
    let text = get(Some(cols.price));
    let price = number(text).ok_or_else(|| Error::msg(format!("{at}: unitPrice \"{text}\" is not a number")))?;
    if price.is_sign_negative() && !price.is_zero() {
        return Err(Error::msg(format!("{at}: unitPrice {price} is negative")));
    }
    let unit = get(Some(cols.unit));
    if let Err(why) = unit_count(unit) {
        return Err(Error::msg(format!(
            "{at}: unitOfMeasure \"{unit}\" {why}; a unit is a count, K or M, and what is counted: `1 Hour`, `10K`, \
             `100 Hours`"
        )));
    }
    let currency = row_currency(at, get(cols.currency), stated)?;
    let date = |column: &str, text: &str| -> Result<Option<Day>, Error> {
        if text.is_empty() {
            return Ok(None);
        }
        Day::parse_iso(text).or_else(|| Day::parse_us(text)).map(Some).ok_or_else(|| {
            Error::msg(format!(
                "{at}: {column} \"{text}\" is not a date (YYYY-MM-DD, with or without a time, or MM/DD/YYYY)"
            ))
        })
    };
    let start = date("effectiveStartDate", get(cols.start))?;
    let end = date("effectiveEndDate", get(cols.end))?;
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(Error::msg(format!("{at}: effectiveEndDate {e} is before effectiveStartDate {s}")));
    }
    Ok(Some(Parsed { meter, unit: unit.to_string(), price, currency, start, end }))
}

/// A number as the exports write it (`0.25`, `1.2E-05`), exactly.
fn number(text: &str) -> Option<Decimal> {
    Decimal::from_str(text).or_else(|_| Decimal::from_scientific(text)).ok()
}

/// The row's currency: its cell, which must agree with the sheet's stated currency when there is
/// one, else the stated currency.
fn row_currency(at: &str, cell: &str, stated: Option<&str>) -> Result<String, Error> {
    let code = match (cell, stated) {
        ("", Some(s)) => s,
        ("", None) => return Err(Error::msg(format!("{at}: the row has no currency"))),
        (c, _) => c,
    };
    let code = Currency::parse(code)
        .ok_or_else(|| Error::msg(format!("{at}: currency \"{code}\" is not an ISO 4217 code")))?
        .code()
        .to_string();
    if let Some(s) = stated.filter(|s| !s.eq_ignore_ascii_case(&code)) {
        return Err(Error::msg(format!(
            "{at}: a price in {code}, but --price-sheet-currency says the sheet is in {s}"
        )));
    }
    Ok(code)
}

/// Checks that a unit's leading count, times its `K` or `M`, fits a `Decimal`, so that the unit
/// parser is never asked about a count it cannot hold; the error says what is wrong.
pub fn unit_count(unit: &str) -> Result<(), &'static str> {
    let u = unit.trim();
    let end = u.find(|c: char| !c.is_ascii_digit()).unwrap_or(u.len());
    if end == 0 {
        return Err("does not start with a count");
    }
    let too_large = "has a count too large to compute (at most about 7.9e28)";
    let count = Decimal::from_str(&u[..end]).map_err(|_| too_large)?;
    let multiplier = match u[end..].chars().next() {
        Some('K') => 1_000u64,
        Some('M') => 1_000_000,
        _ => 1,
    };
    count.checked_mul(Decimal::from(multiplier)).map(|_| ()).ok_or(too_large)
}
