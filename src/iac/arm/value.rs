//! The values template expressions compute: JSON's kinds plus *unknown*, for what only a deployment
//! knows (`reference()`, `listKeys()`), a secure parameter, or a parameter nobody gave a value.
//!
//! An unknown value remembers which value-less parameters it came from (so that one deciding a
//! price can be named) and, where it is text, a *label* standing for it (`<vnetName>-subnet`), so
//! that a resource named by a placeholder still has a readable name and its id still matches the
//! `resourceId()` other resources compute from the same placeholder.
//!
//! Containers record their depth and size when built, so that every walk over a value is bounded
//! (a value shared many times inside itself could otherwise be exponentially large to walk).
//! `Debug` prints kinds, never contents.

use std::fmt::{self, Write as _};
use std::rc::Rc;

use super::failure::{Failure, Result};
use super::json::{Json, Kind};
use super::limits::{MAX_VALUE_DEPTH, MAX_VALUE_WEIGHT};

#[derive(Clone)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Array(Rc<List>),
    Object(Rc<Map>),
    Unknown(Rc<Unknown>),
}

pub(crate) struct List {
    pub items: Vec<Value>,
    meta: Meta,
}

/// Object members in insertion order; keys are unique ignoring ASCII case (template objects are
/// case-insensitive).
pub(crate) struct Map {
    pub entries: Vec<(Rc<str>, Value)>,
    meta: Meta,
}

#[derive(Clone, Copy)]
struct Meta {
    depth: u32,
    weight: u64,
}

#[derive(Clone, Default, PartialEq)]
pub(crate) struct Unknown {
    pub label: Option<Rc<str>>,
    /// Names of the value-less parameters this value depends on, sorted, without repeats.
    pub placeholders: Vec<Rc<str>>,
    /// `resourceGroup().location` read without a region: reading it is an error.
    pub needs_region: bool,
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind_name())
    }
}

impl Value {
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::Str(s.into())
    }

    pub fn unknown() -> Value {
        Value::Unknown(Rc::new(Unknown::default()))
    }

    pub fn unknown_from(u: Unknown) -> Value {
        Value::Unknown(Rc::new(u))
    }

    pub fn array(items: Vec<Value>) -> Result<Value> {
        let meta = Meta::of(items.iter())?;
        Ok(Value::Array(Rc::new(List { items, meta })))
    }

    /// An object from members; a later key replaces an earlier one that differs only in case.
    pub fn object(members: Vec<(Rc<str>, Value)>) -> Result<Value> {
        let mut entries: Vec<(Rc<str>, Value)> = Vec::with_capacity(members.len());
        for (k, v) in members {
            match entries.iter_mut().find(|(e, _)| e.eq_ignore_ascii_case(&k)) {
                Some(slot) => slot.1 = v,
                None => entries.push((k, v)),
            }
        }
        let meta = Meta::of(entries.iter().map(|(_, v)| v))?;
        Ok(Value::Object(Rc::new(Map { entries, meta })))
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Unknown(_) => "unknown value",
        }
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    fn depth(&self) -> u32 {
        match self {
            Value::Array(l) => l.meta.depth,
            Value::Object(m) => m.meta.depth,
            _ => 0,
        }
    }

    fn weight(&self) -> u64 {
        match self {
            Value::Array(l) => l.meta.weight,
            Value::Object(m) => m.meta.weight,
            Value::Str(s) => 1 + s.len() as u64 / 16,
            _ => 1,
        }
    }

    /// Whether an unknown value sits anywhere inside.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::Array(l) => l.items.iter().any(Value::contains_unknown),
            Value::Object(m) => m.entries.iter().any(|(_, v)| v.contains_unknown()),
            _ => false,
        }
    }

    /// Every unknown value inside, merged (placeholders of all of them).
    pub fn unknowns_inside(&self, into: &mut Unknown) {
        match self {
            Value::Unknown(u) => into.absorb(u),
            Value::Array(l) => l.items.iter().for_each(|v| v.unknowns_inside(into)),
            Value::Object(m) => m.entries.iter().for_each(|(_, v)| v.unknowns_inside(into)),
            _ => {}
        }
    }

    /// A literal value from the JSON of a template or parameters file, no expression evaluated.
    pub fn from_json(j: &Json) -> Result<Value> {
        Ok(match &j.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Int(i) => Value::Int(*i),
            Kind::Float(f) => Value::Float(*f),
            Kind::Str(s) => Value::str(s.as_str()),
            Kind::Array(items) => Value::array(items.iter().map(Value::from_json).collect::<Result<_>>()?)?,
            Kind::Object(entries) => Value::object(
                entries.iter().map(|(k, v)| Ok((Rc::from(k.as_str()), Value::from_json(v)?))).collect::<Result<_>>()?,
            )?,
        })
    }

    /// The value as serde_json, when nothing inside is unknown.
    pub fn to_serde(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::Array(l) => serde_json::Value::Array(l.items.iter().map(Value::to_serde).collect::<Option<_>>()?),
            Value::Object(m) => serde_json::Value::Object(
                m.entries.iter().map(|(k, v)| Some((k.to_string(), v.to_serde()?))).collect::<Option<_>>()?,
            ),
            Value::Unknown(_) => return None,
        })
    }
}

impl Meta {
    fn of<'v>(children: impl Iterator<Item = &'v Value>) -> Result<Meta> {
        let (mut depth, mut weight) = (0u32, 1u64);
        for c in children {
            depth = depth.max(c.depth());
            weight = weight.saturating_add(c.weight());
        }
        let depth = depth + 1;
        if depth > MAX_VALUE_DEPTH {
            return Err(Failure::new(format!("a value is nested deeper than {MAX_VALUE_DEPTH} levels")));
        }
        if weight > MAX_VALUE_WEIGHT {
            return Err(Failure::new("a value is too large (over 2,000,000 elements or 32 MB of text)"));
        }
        Ok(Meta { depth, weight })
    }
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
    }
}

impl Unknown {
    pub fn absorb(&mut self, other: &Unknown) {
        for p in &other.placeholders {
            if let Err(i) = self.placeholders.binary_search(p) {
                self.placeholders.insert(i, p.clone());
            }
        }
    }

    /// The unknowns among `values`, merged, without a label.
    pub fn of<'v>(values: impl IntoIterator<Item = &'v Value>) -> Unknown {
        let mut u = Unknown::default();
        for v in values {
            if let Value::Unknown(x) = v {
                u.absorb(x);
            }
        }
        u
    }
}

/// Text for `concat` and `format`: strings as they are, numbers in decimal, booleans as `True` and
/// `False` (.NET's spelling, which Azure's evaluator uses), null as nothing, containers as compact JSON.
pub(crate) fn to_text(v: &Value, out: &mut String) -> fmt::Result {
    match v {
        Value::Str(s) => out.push_str(s),
        Value::Int(i) => write!(out, "{i}")?,
        Value::Float(f) => write!(out, "{f}")?,
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Null => {}
        Value::Array(_) | Value::Object(_) | Value::Unknown(_) => write_json(v, out)?,
    }
    Ok(())
}

/// Compact JSON, keys in insertion order (what `string()` gives for arrays and objects).
pub(crate) fn write_json(v: &Value, out: &mut String) -> fmt::Result {
    match v {
        Value::Null | Value::Unknown(_) => out.push_str("null"),
        Value::Bool(b) => write!(out, "{b}")?,
        Value::Int(i) => write!(out, "{i}")?,
        Value::Float(f) => write!(out, "{f}")?,
        Value::Str(s) => write_json_string(s, out)?,
        Value::Array(l) => {
            out.push('[');
            for (i, item) in l.items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out)?;
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out)?;
                out.push(':');
                write_json(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_json_string(s: &str, out: &mut String) -> fmt::Result {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32)?,
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(())
}

/// Deep equality (`equals`, `contains`, `union`): strings compare by case, object keys ignore
/// case, 1 equals 1.0. `None` when an unknown value decides it.
pub(crate) fn deep_eq(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return None,
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            if x.items.len() != y.items.len() {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.items.iter().zip(&y.items) {
                match deep_eq(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            return if unknown { None } else { Some(true) };
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.entries.len() != y.entries.len() {
                return Some(false);
            }
            let mut unknown = false;
            for (k, p) in &x.entries {
                let Some(q) = y.get(k) else { return Some(false) };
                match deep_eq(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            return if unknown { None } else { Some(true) };
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_kinds_only() {
        let v = Value::object(vec![("password".into(), Value::str("PLANTED-SECRET-x1"))]).unwrap();
        assert_eq!(format!("{v:?}"), "object");
    }

    #[test]
    fn object_keys_ignore_case_and_later_wins() {
        let v = Value::object(vec![("Name".into(), Value::Int(1)), ("name".into(), Value::Int(2))]).unwrap();
        let Value::Object(m) = v else { panic!("an object") };
        assert_eq!(m.entries.len(), 1);
        assert!(matches!(m.get("NAME"), Some(Value::Int(2))));
    }

    #[test]
    fn depth_and_weight_are_bounded_even_when_shared() {
        let mut v = Value::Int(1);
        let mut failed = false;
        for _ in 0..200 {
            match Value::array(vec![v.clone(), v.clone()]) {
                Ok(next) => v = next,
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        assert!(failed, "doubling must hit the weight limit long before 200 levels");
    }

    #[test]
    fn text_and_json_forms() {
        let mut s = String::new();
        to_text(&Value::Bool(true), &mut s).unwrap();
        to_text(&Value::Int(-3), &mut s).unwrap();
        to_text(&Value::Null, &mut s).unwrap();
        assert_eq!(s, "True-3");
        let v = Value::object(vec![
            ("valueA".into(), Value::Int(10)),
            ("valueB".into(), Value::str("Example \"Text\"")),
            ("list".into(), Value::array(vec![Value::Bool(false), Value::Null]).unwrap()),
        ])
        .unwrap();
        let mut j = String::new();
        write_json(&v, &mut j).unwrap();
        assert_eq!(j, r#"{"valueA":10,"valueB":"Example \"Text\"","list":[false,null]}"#);
    }

    #[test]
    fn equality() {
        let a = Value::array(vec![Value::str("a"), Value::Int(1)]).unwrap();
        let b = Value::array(vec![Value::str("a"), Value::Float(1.0)]).unwrap();
        assert_eq!(deep_eq(&a, &b), Some(true));
        assert_eq!(deep_eq(&Value::str("a"), &Value::str("A")), Some(false));
        let u = Value::array(vec![Value::str("a"), Value::unknown()]).unwrap();
        assert_eq!(deep_eq(&a, &u), None);
        let c = Value::array(vec![Value::str("b"), Value::unknown()]).unwrap();
        assert_eq!(deep_eq(&a, &c), Some(false));
    }
}
