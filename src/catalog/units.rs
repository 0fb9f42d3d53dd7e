//! The Retail Prices API's `unitOfMeasure` strings, turned into a size and a billing period.
//!
//! The API writes the same idea several ways (`1 Hour` and `1/Hour`, `1 GB/Month` and `1/Month`,
//! `10K`, `1M`, `100 Hours`, `1 GiB Hour`); the calculator only needs to know how many usage units
//! one priced unit covers, and whether the unit is a span of time.
//!
//! Unit strings come from price sheets and `--pricing` catalogs as well as from the API, so the
//! count is read with checked arithmetic: `9999999999999999999999999999K Hours` is too large for a
//! Decimal, and is an error naming the unit rather than an overflow panic.

use rust_decimal::Decimal;
use std::fmt;

/// The span of time a unit covers, for fixed (always-on) charges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Hour,
    Day,
    Month,
    Year,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// How many base units one priced unit covers: `10K` is 10,000, `100 Hours` is 100.
    pub size: Decimal,
    pub period: Option<Period>,
}

/// Why a unit string cannot be read; its `Display` names the unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitError {
    /// No leading count (`Hour`, an empty string).
    NoCount(String),
    /// A count above what a Decimal holds (about 7.9e28), with its `K` or `M` applied.
    TooLarge(String),
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitError::NoCount(u) => write!(f, "unit {u:?} does not start with a count (e.g. 1 Hour, 10K, 100 Hours)"),
            UnitError::TooLarge(u) => write!(f, "unit {u:?}: the count is too large (at most about 7.9e28)"),
        }
    }
}

impl std::error::Error for UnitError {}

impl Unit {
    /// Parses a unit string; `None` for a string the calculator cannot interpret, a count too
    /// large included ([`Unit::read`] says which).
    pub fn parse(raw: &str) -> Option<Unit> {
        Unit::read(raw).ok()
    }

    /// Parses a unit string, or says why it cannot.
    pub fn read(raw: &str) -> Result<Unit, UnitError> {
        let unit = raw;
        let raw = raw.trim();
        let digits_end = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
        if digits_end == 0 {
            return Err(UnitError::NoCount(unit.to_string()));
        }
        let too_large = || UnitError::TooLarge(unit.to_string());
        let mut size: Decimal = raw[..digits_end].parse().map_err(|_| too_large())?;
        let mut rest = &raw[digits_end..];
        let multiplier = match rest.chars().next() {
            Some('K') => Some(1_000u64),
            Some('M') if !rest.starts_with("Month") && !rest.starts_with("MB") => Some(1_000_000),
            _ => None,
        };
        if let Some(m) = multiplier {
            size = size.checked_mul(Decimal::from(m)).ok_or_else(too_large)?;
            rest = &rest[1..];
        }
        let words = rest.to_ascii_lowercase();
        let period = if words.contains("hour") {
            Some(Period::Hour)
        } else if words.contains("day") {
            Some(Period::Day)
        } else if words.contains("month") {
            Some(Period::Month)
        } else if words.contains("year") {
            Some(Period::Year)
        } else {
            None
        };
        Ok(Unit { size, period })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(raw: &str) -> Unit {
        Unit::parse(raw).unwrap_or_else(|| panic!("{raw} should parse"))
    }

    #[test]
    fn parses_the_api_unit_strings() {
        assert_eq!(unit("1 Hour"), Unit { size: Decimal::ONE, period: Some(Period::Hour) });
        assert_eq!(unit("1/Hour"), Unit { size: Decimal::ONE, period: Some(Period::Hour) });
        assert_eq!(unit("10K"), Unit { size: Decimal::from(10_000), period: None });
        assert_eq!(unit("1M"), Unit { size: Decimal::from(1_000_000), period: None });
        assert_eq!(unit("1K"), Unit { size: Decimal::from(1_000), period: None });
        assert_eq!(unit("10"), Unit { size: Decimal::from(10), period: None });
        assert_eq!(unit("1 GB/Month"), Unit { size: Decimal::ONE, period: Some(Period::Month) });
        assert_eq!(unit("1/Month"), Unit { size: Decimal::ONE, period: Some(Period::Month) });
        assert_eq!(unit("1 Month"), Unit { size: Decimal::ONE, period: Some(Period::Month) });
        assert_eq!(unit("1 GiB Hour"), Unit { size: Decimal::ONE, period: Some(Period::Hour) });
        assert_eq!(unit("1/Day"), Unit { size: Decimal::ONE, period: Some(Period::Day) });
        assert_eq!(unit("100 Hours"), Unit { size: Decimal::from(100), period: Some(Period::Hour) });
        assert_eq!(unit("10K/Month"), Unit { size: Decimal::from(10_000), period: Some(Period::Month) });
        assert_eq!(unit("1 GB"), Unit { size: Decimal::ONE, period: None });
        assert_eq!(unit("1 MB"), Unit { size: Decimal::ONE, period: None });
        assert_eq!(unit("1 GB Second"), Unit { size: Decimal::ONE, period: None });
    }

    #[test]
    fn rejects_strings_without_a_count() {
        assert!(Unit::parse("Hour").is_none());
        assert!(Unit::parse("").is_none());
        assert_eq!(
            Unit::read("Hour").unwrap_err().to_string(),
            "unit \"Hour\" does not start with a count (e.g. 1 Hour, 10K, 100 Hours)"
        );
    }

    /// The reliability battery's D3: `size *= 1000` overflowed and panicked.
    #[test]
    fn a_count_too_large_is_an_error_naming_the_unit() {
        for raw in
            ["9999999999999999999999999999K Hours", "9999999999999999999999999999M", "99999999999999999999999999999"]
        {
            assert_eq!(Unit::read(raw), Err(UnitError::TooLarge(raw.to_string())), "{raw}");
            assert!(Unit::parse(raw).is_none());
        }
        assert_eq!(
            Unit::read("9999999999999999999999999999K Hours").unwrap_err().to_string(),
            "unit \"9999999999999999999999999999K Hours\": the count is too large (at most about 7.9e28)"
        );
        // The largest count that fits, and the same with K just under the limit.
        assert_eq!(unit("79228162514264337593543950335").size, Decimal::MAX);
        assert_eq!(
            unit("79228162514264337593543950K").size,
            Decimal::from_i128_with_scale(79_228_162_514_264_337_593_543_950_000, 0)
        );
    }
}
