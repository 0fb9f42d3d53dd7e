//! Quantities in the architecture file: `2`, `400k`, `2M`, `1.5B`, `0.5`.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

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
    /// More decimal places (or significant digits) than `Decimal` keeps: it would be rounded.
    TooPrecise(String),
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::NotAQuantity(text) => {
                write!(f, "\"{text}\" is not a quantity (use a number, optionally with K, M or B: 400k, 2M, 1.5B)")
            }
            QuantityError::Negative(text) => write!(f, "{text} is negative; quantities must be zero or more"),
            QuantityError::TooLarge(text) => write!(f, "{text} is too large (at most about 7.9e28)"),
            QuantityError::TooPrecise(text) => write!(
                f,
                "{text} has more digits than closednet keeps exactly (at most 28 decimal places and about 28 \
                 significant digits); it would be rounded"
            ),
        }
    }
}

impl std::error::Error for QuantityError {}

/// Parses `400k`, `2M`, `1.5B` or a plain number (`12`, `0.5`, `1_000`, `2e25`, `1.5E-3`, `0x10`,
/// `0o17`), exactly: nothing passes through a float, and a number `Decimal` cannot hold without
/// rounding is an error. Rejects negatives and anything else.
pub fn parse_quantity(text: &str) -> Result<Decimal, QuantityError> {
    let t = text.trim();
    let not = || QuantityError::NotAQuantity(text.to_string());
    let unsigned = t.strip_prefix('+').unwrap_or(t);
    if let Some(value) = radix_integer(unsigned) {
        return value.ok_or_else(|| QuantityError::TooLarge(text.to_string()));
    }
    let (digits, multiplier) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1_000u64),
        Some((i, 'M')) => (&t[..i], 1_000_000),
        Some((i, 'B')) => (&t[..i], 1_000_000_000),
        _ => (t, 1),
    };
    let digits = digits.trim().replace('_', "");
    let (negative, body) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits.strip_prefix('+').unwrap_or(&digits)),
    };
    let value = exact_decimal(body).map_err(|e| match e {
        Exact::NotANumber => not(),
        Exact::TooLarge => QuantityError::TooLarge(text.to_string()),
        Exact::TooPrecise => QuantityError::TooPrecise(text.to_string()),
    })?;
    if negative && !value.is_zero() {
        return Err(QuantityError::Negative(text.to_string()));
    }
    value.checked_mul(Decimal::from(multiplier)).ok_or_else(|| QuantityError::TooLarge(text.to_string()))
}

/// A YAML 1.2 hexadecimal (`0x10`) or octal (`0o17`) integer: `None` when the text is neither,
/// `Some(None)` when it is one too large for a `Decimal`.
fn radix_integer(t: &str) -> Option<Option<Decimal>> {
    let (radix, digits) = match t.get(..2) {
        Some("0x") => (16, &t[2..]),
        Some("0o") => (8, &t[2..]),
        _ => return None,
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(u128::from_str_radix(digits, radix).ok().and_then(|v| Decimal::try_from_i128_with_scale(v as i128, 0).ok()))
}

enum Exact {
    NotANumber,
    TooLarge,
    TooPrecise,
}

/// The exact value of an unsigned decimal number in plain (`123.45`) or scientific (`1.2345e2`)
/// notation, or why it has none as a `Decimal`: `Decimal::from_str` would silently round
/// `0.00000000000000000000000000001` to 0.
fn exact_decimal(t: &str) -> Result<Decimal, Exact> {
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => {
            let e = &t[i + 1..];
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Exact::NotANumber);
            }
            // An exponent beyond any Decimal's range, kept small enough to add to.
            let e: i64 = e.parse::<i64>().unwrap_or(if e.starts_with('-') { -1_000 } else { 1_000 });
            (&t[..i], e.clamp(-1_000, 1_000))
        }
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(Exact::NotANumber);
    }
    let all = format!("{int}{frac}");
    let mut scale = exponent - frac.len() as i64;
    let significant = all.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Ok(Decimal::ZERO);
    }
    scale += (significant.len() - trimmed.len()) as i64;
    if trimmed.len() > 29 {
        return Err(if scale >= 0 { Exact::TooLarge } else { Exact::TooPrecise });
    }
    let m: i128 = trimmed.parse().map_err(|_| Exact::NotANumber)?;
    if scale >= 0 {
        let factor = u32::try_from(scale).ok().and_then(|s| 10i128.checked_pow(s)).ok_or(Exact::TooLarge)?;
        let v = m.checked_mul(factor).ok_or(Exact::TooLarge)?;
        return Decimal::try_from_i128_with_scale(v, 0).map_err(|_| Exact::TooLarge);
    }
    let scale = u32::try_from(-scale).map_err(|_| Exact::TooPrecise)?;
    if scale > 28 {
        return Err(Exact::TooPrecise);
    }
    Decimal::try_from_i128_with_scale(m, scale).map_err(|_| Exact::TooPrecise)
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
                // Only for deserializers that have no scalar text to give: a float's shortest form.
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
        }
        // Asked for a string, serde-saphyr hands over a plain scalar's text as written, so a number
        // is read from its digits ([`parse_quantity`]) and never through an f64, which would turn
        // 12345678901234567890123 into 12345678901234568000000 and 1e-29 into 0.
        d.deserialize_str(V)
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

    /// The scalar as written (a number the deserializer gave as a number, in its shortest form).
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
pub const QUANTITY_PATTERN: &str =
    "^\\s*\\+?(([0-9][0-9_]*(\\.[0-9_]*)?|\\.[0-9][0-9_]*)([eE][-+]?[0-9]+)?\\s*[kKMB]?|0x[0-9a-fA-F]+|0o[0-7]+)\\s*$";

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
    use std::str::FromStr;

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

    /// Issue 21 item 2 (D14): numbers are read from their text, exactly, or refused.
    #[test]
    fn reads_numbers_exactly_from_their_text() {
        let q = |t: &str| parse_quantity(t).unwrap().to_string();
        assert_eq!(q("12345678901234567890123"), "12345678901234567890123");
        assert_eq!(q("123456789.123456789"), "123456789.123456789");
        assert_eq!(q("1e-28"), "0.0000000000000000000000000001");
        assert_eq!(q("2e25"), "20000000000000000000000000");
        assert_eq!(q("1.5E3"), "1500");
        assert_eq!(q("0x10"), "16");
        assert_eq!(q("0o17"), "15");
        assert_eq!(q("+5"), "5");
        assert_eq!(q("1_000"), "1000");
        assert_eq!(q("-0"), "0");
        assert_eq!(q("79228162514264337593543950335"), "79228162514264337593543950335");
        assert_eq!(parse_quantity("1e-29"), Err(QuantityError::TooPrecise("1e-29".into())));
        assert_eq!(
            parse_quantity("1.00000000000000000000000000001"),
            Err(QuantityError::TooPrecise("1.00000000000000000000000000001".into()))
        );
        assert_eq!(
            parse_quantity("79228162514264337593543950336"),
            Err(QuantityError::TooLarge("79228162514264337593543950336".into()))
        );
        assert_eq!(parse_quantity("1e400"), Err(QuantityError::TooLarge("1e400".into())));
        assert_eq!(parse_quantity("1e"), Err(QuantityError::NotAQuantity("1e".into())));
        assert_eq!(parse_quantity(".inf"), Err(QuantityError::NotAQuantity(".inf".into())));
        assert_eq!(parse_quantity("-2e3"), Err(QuantityError::Negative("-2e3".into())));
    }
}
