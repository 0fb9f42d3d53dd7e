//! The Retail Prices API's `unitOfMeasure` strings, turned into a size and a billing period.
//!
//! The API writes the same idea several ways (`1 Hour` and `1/Hour`, `1 GB/Month` and `1/Month`,
//! `10K`, `1M`, `100 Hours`, `1 GiB Hour`); the calculator only needs to know how many usage units
//! one priced unit covers, and whether the unit is a span of time.

use rust_decimal::Decimal;

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

impl Unit {
    /// Parses a unit string; `None` for a string the calculator cannot interpret.
    pub fn parse(raw: &str) -> Option<Unit> {
        let raw = raw.trim();
        let digits_end = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
        if digits_end == 0 {
            return None;
        }
        let mut size: Decimal = raw[..digits_end].parse().ok()?;
        let mut rest = &raw[digits_end..];
        let multiplier = match rest.chars().next() {
            Some('K') => Some(1_000u64),
            Some('M') if !rest.starts_with("Month") && !rest.starts_with("MB") => Some(1_000_000),
            _ => None,
        };
        if let Some(m) = multiplier {
            size *= Decimal::from(m);
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
        Some(Unit { size, period })
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
    }
}
