//! Money: `Decimal` amounts in a currency, conversion from USD, and the one rounding rule.
//!
//! Prices in the catalog are USD. Every computation stays in full `Decimal` precision; a figure is
//! rounded only when it is presented, and totals are sums of the presented line figures so that a
//! printed worksheet adds up. The rule: half away from zero, to the currency's minor unit (USD and
//! EUR 2 places, JPY 0; see [`minor_units`]).

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// An ISO 4217 currency code such as `USD` or `JPY` (upper case, three letters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(String);

impl Currency {
    pub fn usd() -> Self {
        Currency("USD".to_string())
    }

    /// Parses a three-letter code; lower case is accepted.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
            Some(Currency(code.to_ascii_uppercase()))
        } else {
            None
        }
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    pub fn is_usd(&self) -> bool {
        self.0 == "USD"
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Decimal places a currency is presented with (ISO 4217 minor units for the common cases).
pub fn minor_units(currency: &Currency) -> u32 {
    match currency.code() {
        "JPY" | "KRW" | "CLP" | "ISK" | "VND" | "HUF" | "TWD" => 0,
        _ => 2,
    }
}

/// Rounds an amount for presentation in `currency`: half away from zero to its minor unit.
pub fn round(amount: Decimal, currency: &Currency) -> Decimal {
    amount.round_dp_with_strategy(minor_units(currency), RoundingStrategy::MidpointAwayFromZero)
}

/// How USD amounts become report-currency amounts, and where the rate came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Conversion {
    pub currency: Currency,
    /// Units of `currency` per 1 USD.
    pub rate: Decimal,
    pub source: String,
    pub date: Option<String>,
    /// The snapshot's prices are already in `currency` (a `pricing fetch --currency` snapshot):
    /// nothing is converted, and the amounts are the API's own in that currency.
    pub native: bool,
}

impl Conversion {
    pub fn identity() -> Self {
        Conversion {
            currency: Currency::usd(),
            rate: Decimal::ONE,
            source: "prices are USD at source".to_string(),
            date: None,
            native: false,
        }
    }

    /// The snapshot's own prices in `currency`, as the Retail Prices API gives them: rate 1.
    pub fn native(currency: Currency, source: String) -> Self {
        Conversion { currency, rate: Decimal::ONE, source, date: None, native: true }
    }

    /// Whether two reports present money the same way (currency and rate), so their figures compare.
    pub fn same_as(&self, other: &Conversion) -> bool {
        self.currency == other.currency && self.rate == other.rate
    }

    /// Converts an unrounded USD amount and rounds it for presentation.
    pub fn present(&self, usd: Decimal) -> Result<Decimal, Overflow> {
        let converted = usd.checked_mul(self.rate).ok_or_else(|| Overflow { usd, currency: self.currency.clone() })?;
        Ok(round(converted, &self.currency))
    }
}

/// A USD amount that does not fit a `Decimal` once converted at the report's rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overflow {
    pub usd: Decimal,
    pub currency: Currency,
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "amount {} USD overflows when converted to {}", self.usd, self.currency)
    }
}

impl std::error::Error for Overflow {}

/// Formats a presented amount with thousands separators, e.g. `2,795.17` or `419,276`.
pub fn format_amount(amount: Decimal, currency: &Currency) -> String {
    let text = format!("{:.*}", minor_units(currency) as usize, round(amount, currency));
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |rest| ("-", rest));
    let (int_part, frac_part) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
    // Written into one string of the final length: a report formats a hundred amounts.
    let mut out = String::with_capacity(text.len() + int_part.len().saturating_sub(1) / 3);
    out.push_str(sign);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac_part {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Formats an amount with its currency code: `USD 2,795.17`.
pub fn format_money(amount: Decimal, currency: &Currency) -> String {
    format!("{} {}", currency, format_amount(amount, currency))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero_to_minor_units() {
        let usd = Currency::usd();
        let jpy = Currency::parse("jpy").unwrap();
        assert_eq!(round(d("2.345"), &usd), d("2.35"));
        assert_eq!(round(d("-2.345"), &usd), d("-2.35"));
        assert_eq!(round(d("1234.5"), &jpy), d("1235"));
        assert_eq!(round(d("1234.49"), &jpy), d("1234"));
    }

    #[test]
    fn formats_with_thousands_separators() {
        let usd = Currency::usd();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(format_amount(d("2795.17"), &usd), "2,795.17");
        assert_eq!(format_amount(d("7.3"), &usd), "7.30");
        assert_eq!(format_amount(d("419275.5"), &jpy), "419,276");
        assert_eq!(format_amount(d("-1000000"), &usd), "-1,000,000.00");
        assert_eq!(format_amount(d("0"), &jpy), "0");
    }

    #[test]
    fn converts_then_rounds() {
        let conv = Conversion {
            currency: Currency::parse("JPY").unwrap(),
            rate: d("150"),
            source: "test".into(),
            date: None,
            native: false,
        };
        // 2,795.17 USD x 150 = 419,275.5 JPY -> 419,276 (half away from zero).
        assert_eq!(conv.present(d("2795.17")).unwrap(), d("419276"));
    }

    #[test]
    fn rejects_bad_currency_codes() {
        assert!(Currency::parse("YEN!").is_none());
        assert!(Currency::parse("EURO").is_none());
        assert_eq!(Currency::parse("eur").unwrap().code(), "EUR");
    }
}
