//! Quantities in the architecture file: `2`, `400k`, `2M`, `1.5B`, `0.5`.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::str::FromStr;

/// A scalar from the file: a number (quantities accept K, M and B suffixes) or a word.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Number(Decimal),
    Text(String),
}

/// Why a text is not a quantity; each message names the text as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// Not a number, with or without a K, M or B suffix.
    NotAQuantity(String),
    Negative(String),
    /// More than `Decimal` holds once the suffix is applied.
    TooLarge(String),
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::NotAQuantity(text) => {
                write!(f, "\"{text}\" is not a quantity (use a number, optionally with K, M or B: 400k, 2M, 1.5B)")
            }
            QuantityError::Negative(text) => write!(f, "{text} is negative; quantities must be zero or more"),
            QuantityError::TooLarge(text) => write!(f, "{text} is too large (at most about 7.9e28)"),
        }
    }
}

impl std::error::Error for QuantityError {}

/// Parses `400k`, `2M`, `1.5B` or a plain number; rejects negatives and anything else.
pub fn parse_quantity(text: &str) -> Result<Decimal, QuantityError> {
    let t = text.trim();
    let (digits, multiplier) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1_000u64),
        Some((i, 'M')) => (&t[..i], 1_000_000),
        Some((i, 'B')) => (&t[..i], 1_000_000_000),
        _ => (t, 1),
    };
    let digits = digits.trim().replace('_', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return Err(QuantityError::NotAQuantity(text.to_string()));
    }
    let value = Decimal::from_str(&digits).map_err(|_| QuantityError::NotAQuantity(text.to_string()))?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(QuantityError::Negative(text.to_string()));
    }
    value.checked_mul(Decimal::from(multiplier)).ok_or_else(|| QuantityError::TooLarge(text.to_string()))
}

impl<'de> serde::Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a word")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Number(Decimal::from(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                if v < 0 {
                    return Err(E::custom(format!("{v} is negative; quantities must be zero or more")));
                }
                Ok(Scalar::Number(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                if !v.is_finite() || v < 0.0 {
                    return Err(E::custom(format!("{v} is not a quantity (zero or more, finite)")));
                }
                // Go through the shortest text form so 0.1 stays 0.1.
                Decimal::from_str(&v.to_string())
                    .or_else(|_| Decimal::from_scientific(&format!("{v:e}")))
                    .map(Scalar::Number)
                    .map_err(|_| E::custom(format!("{v} is too large (at most about 7.9e28)")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Scalar {
    /// The value as a quantity, parsing suffixes in text.
    pub fn quantity(&self) -> Result<Decimal, QuantityError> {
        match self {
            Scalar::Number(n) => Ok(*n),
            Scalar::Text(t) => parse_quantity(t),
        }
    }

    pub fn text(&self) -> String {
        match self {
            Scalar::Number(n) => n.to_string(),
            Scalar::Text(t) => t.clone(),
        }
    }
}

impl schemars::JsonSchema for Scalar {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Scalar".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number, a quantity with a K, M or B suffix (400k, 2M, 1.5B), or a word (a model name).",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string" }
            ]
        })
    }
}

/// The JSON Schema of a quantity: a number of zero or more, or its text with a K, M or B suffix.
/// The pattern accepts what [`parse_quantity`] accepts, so an editor flags `users: three hundred`.
pub struct Quantity;

/// The pattern of a quantity written as text.
pub const QUANTITY_PATTERN: &str = "^\\s*[0-9][0-9_]*(\\.[0-9_]+)?\\s*[kKMB]?\\s*$";

impl schemars::JsonSchema for Quantity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number of zero or more, or one with a K, M or B suffix: 12, 0.5, 400k, 2M, 1.5B.",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": QUANTITY_PATTERN }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_suffixes() {
        assert_eq!(parse_quantity("2M").unwrap(), Decimal::from(2_000_000));
        assert_eq!(parse_quantity("400k").unwrap(), Decimal::from(400_000));
        assert_eq!(parse_quantity("400K").unwrap(), Decimal::from(400_000));
        assert_eq!(parse_quantity("1.5B").unwrap(), Decimal::from(1_500_000_000));
        assert_eq!(parse_quantity("300M").unwrap(), Decimal::from(300_000_000));
        assert_eq!(parse_quantity("12").unwrap(), Decimal::from(12));
        assert_eq!(parse_quantity("0.5").unwrap(), Decimal::from_str("0.5").unwrap());
    }

    #[test]
    fn rejects_bad_quantities() {
        assert_eq!(parse_quantity("-5").unwrap_err().to_string(), "-5 is negative; quantities must be zero or more");
        assert!(parse_quantity("5 million").is_err());
        assert!(parse_quantity("M").is_err());
        assert!(parse_quantity("1e30").is_err());
        assert!(parse_quantity("99999999999999999999B").is_err());
    }
}
