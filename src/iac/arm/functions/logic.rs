//! Comparison, logical, numeric and conversion functions: `equals`, `less`, `lessOrEquals`,
//! `greater`, `greaterOrEquals`, `not`, `true`, `false`, `bool`, `int`, `float`, `add`, `sub`,
//! `mul`, `div`, `mod`, `min`, `max`.
//!
//! Integer arithmetic is checked (an overflow is an error, not a wrapped number); `div` and `mod`
//! truncate toward zero as .NET does. Strings order as Azure documents: ignoring case first, then a
//! lower-case letter before its upper-case form (`greater('A', 'a')` is true).

use std::cmp::Ordering;

use super::{arity, unknown_args};
use crate::iac::arm::eval::Ctx;
use crate::iac::arm::failure::{Result, in_function};
use crate::iac::arm::value::{Unknown, Value, deep_eq};

pub(super) fn call(lname: &str, args: &[Value], _cx: &Ctx) -> Option<Result<Value>> {
    let f: fn(&[Value]) -> Result<Value> = match lname {
        "equals" => equals,
        "less" => |a| compare(a, "less", |o| o == Ordering::Less),
        "lessorequals" => |a| compare(a, "lessOrEquals", |o| o != Ordering::Greater),
        "greater" => |a| compare(a, "greater", |o| o == Ordering::Greater),
        "greaterorequals" => |a| compare(a, "greaterOrEquals", |o| o != Ordering::Less),
        "not" => not,
        "true" => |a| arity("true", a, 0, 0).map(|()| Value::Bool(true)),
        "false" => |a| arity("false", a, 0, 0).map(|()| Value::Bool(false)),
        "bool" => to_bool,
        "int" => to_int,
        "float" => to_float,
        "add" => |a| arithmetic(a, "add", i64::checked_add),
        "sub" => |a| arithmetic(a, "sub", i64::checked_sub),
        "mul" => |a| arithmetic(a, "mul", i64::checked_mul),
        "div" => |a| arithmetic(a, "div", i64::checked_div),
        "mod" => |a| arithmetic(a, "mod", i64::checked_rem),
        "min" => |a| extreme(a, "min", Ordering::Less),
        "max" => |a| extreme(a, "max", Ordering::Greater),
        _ => return None,
    };
    Some(f(args))
}

fn equals(args: &[Value]) -> Result<Value> {
    arity("equals", args, 2, 2)?;
    Ok(match deep_eq(&args[0], &args[1]) {
        Some(b) => Value::Bool(b),
        None => {
            let mut u = Unknown::default();
            args.iter().for_each(|a| a.unknowns_inside(&mut u));
            Value::unknown_from(u)
        }
    })
}

/// How two strings order in Azure's comparisons.
pub(crate) fn culture_cmp(a: &str, b: &str) -> Ordering {
    let folded = a.chars().flat_map(char::to_lowercase).cmp(b.chars().flat_map(char::to_lowercase));
    if folded != Ordering::Equal {
        return folded;
    }
    for (x, y) in a.chars().zip(b.chars()) {
        if x != y {
            return if x.is_lowercase() { Ordering::Less } else { Ordering::Greater };
        }
    }
    Ordering::Equal
}

fn order(f: &str, a: &Value, b: &Value) -> Result<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x.cmp(y)),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            number(a).partial_cmp(&number(b)).ok_or_else(|| in_function(f, "cannot compare these numbers"))
        }
        (Value::Str(x), Value::Str(y)) => Ok(culture_cmp(x, y)),
        _ => Err(in_function(f, format!("cannot compare {} with {}", a.kind_name(), b.kind_name()))),
    }
}

fn number(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => f64::NAN,
    }
}

fn compare(args: &[Value], f: &str, test: fn(Ordering) -> bool) -> Result<Value> {
    arity(f, args, 2, 2)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    Ok(Value::Bool(test(order(f, &args[0], &args[1])?)))
}

fn not(args: &[Value]) -> Result<Value> {
    arity("not", args, 1, 1)?;
    match &args[0] {
        Value::Bool(b) => Ok(Value::Bool(!b)),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(false)),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(true)),
        Value::Unknown(u) => Ok(Value::Unknown(u.clone())),
        other => Err(in_function("not", format!("expects a boolean, not {}", other.kind_name()))),
    }
}

fn to_bool(args: &[Value]) -> Result<Value> {
    arity("bool", args, 1, 1)?;
    match &args[0] {
        Value::Bool(b) => Ok(Value::Bool(*b)),
        Value::Int(i) => Ok(Value::Bool(*i != 0)),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
        Value::Unknown(u) => Ok(Value::Unknown(u.clone())),
        Value::Str(_) => Err(in_function("bool", "the string is neither true nor false")),
        other => Err(in_function("bool", format!("cannot convert {} to a boolean", other.kind_name()))),
    }
}

fn to_int(args: &[Value]) -> Result<Value> {
    arity("int", args, 1, 1)?;
    match &args[0] {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::Float(f) if f.is_finite() && f.abs() < 9.2e18 => Ok(Value::Int(f.round_ties_even() as i64)),
        Value::Str(s) => {
            s.trim().parse::<i64>().map(Value::Int).map_err(|_| in_function("int", "the string is not an integer"))
        }
        Value::Unknown(u) => Ok(Value::Unknown(u.clone())),
        other => Err(in_function("int", format!("cannot convert {} to an integer", other.kind_name()))),
    }
}

fn to_float(args: &[Value]) -> Result<Value> {
    arity("float", args, 1, 1)?;
    match &args[0] {
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Float(f) => Ok(Value::Float(*f)),
        Value::Str(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Value::Float)
            .ok_or_else(|| in_function("float", "the string is not a number")),
        Value::Unknown(u) => Ok(Value::Unknown(u.clone())),
        other => Err(in_function("float", format!("cannot convert {} to a number", other.kind_name()))),
    }
}

fn int_of(f: &str, v: &Value, i: usize) -> Result<i64> {
    match v {
        Value::Int(n) => Ok(*n),
        Value::Str(s) => s.trim().parse().map_err(|_| in_function(f, format!("argument {} must be an integer", i + 1))),
        other => Err(in_function(f, format!("argument {} must be an integer, not {}", i + 1, other.kind_name()))),
    }
}

fn arithmetic(args: &[Value], f: &str, op: fn(i64, i64) -> Option<i64>) -> Result<Value> {
    arity(f, args, 2, 2)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    let (a, b) = (int_of(f, &args[0], 0)?, int_of(f, &args[1], 1)?);
    if b == 0 && (f == "div" || f == "mod") {
        return Err(in_function(f, "division by zero"));
    }
    op(a, b).map(Value::Int).ok_or_else(|| in_function(f, "the result is outside the integer range"))
}

/// `min(1, 2, 3)` or `min(createArray(1, 2, 3))`.
fn extreme(args: &[Value], f: &str, want: Ordering) -> Result<Value> {
    arity(f, args, 1, usize::MAX)?;
    let list: &[Value] = match args {
        [Value::Array(l)] => &l.items,
        _ => args,
    };
    if let Some(u) = unknown_args(list) {
        return Ok(Value::unknown_from(u));
    }
    let mut best: Option<&Value> = None;
    for v in list {
        if !matches!(v, Value::Int(_) | Value::Float(_)) {
            return Err(in_function(f, format!("expects integers, not {}", v.kind_name())));
        }
        if best.is_none_or(|b| order(f, v, b).is_ok_and(|o| o == want)) {
            best = Some(v);
        }
    }
    best.cloned().ok_or_else(|| in_function(f, "expects at least one number"))
}

#[cfg(test)]
mod tests {
    use crate::iac::arm::testing::eval_str;

    #[test]
    fn comparisons_as_documented() {
        assert_eq!(eval_str("[equals(1, 1)]"), "true");
        assert_eq!(eval_str("[equals('a', 'A')]"), "false");
        assert_eq!(eval_str("[equals(createArray('a', 'b'), createArray('a', 'b'))]"), "true");
        assert_eq!(eval_str("[equals(json('{\"a\": \"b\"}'), json('{\"a\": \"b\"}'))]"), "true");
        assert_eq!(eval_str("[not(equals(1, 2))]"), "true");
        assert_eq!(eval_str("[greater(1, 2)]"), "false");
        assert_eq!(eval_str("[greater('A', 'a')]"), "true");
        assert_eq!(eval_str("[greaterOrEquals('A', 'a')]"), "true");
        assert_eq!(eval_str("[less('A', 'a')]"), "false");
        assert_eq!(eval_str("[lessOrEquals(1, 2)]"), "true");
        assert_eq!(eval_str("[less('apple', 'Banana')]"), "true");
        assert_eq!(eval_str("[less(1, 'a')]"), "error: function 'less': cannot compare int with string");
    }

    #[test]
    fn logic_and_conversions() {
        assert_eq!(eval_str("[and(true, true, false)]"), "false");
        assert_eq!(eval_str("[or(false, true)]"), "true");
        assert_eq!(eval_str("[if(true, 'yes', fail())]"), "\"yes\"");
        assert_eq!(eval_str("[coalesce(null(), null(), 'x')]"), "\"x\"");
        assert_eq!(eval_str("[coalesce(null())]"), "null");
        assert_eq!(eval_str("[bool('TRUE')]"), "true");
        assert_eq!(eval_str("[bool(0)]"), "false");
        assert_eq!(eval_str("[int('4')]"), "4");
        assert_eq!(eval_str("[float('2.5')]"), "2.5");
        assert_eq!(eval_str("[int('x')]"), "error: function 'int': the string is not an integer");
    }

    #[test]
    fn numbers() {
        assert_eq!(eval_str("[add(5, 3)]"), "8");
        assert_eq!(eval_str("[sub(7, 3)]"), "4");
        assert_eq!(eval_str("[mul(5, 3)]"), "15");
        assert_eq!(eval_str("[div(8, 3)]"), "2");
        assert_eq!(eval_str("[div(-7, 2)]"), "-3");
        assert_eq!(eval_str("[mod(7, 3)]"), "1");
        assert_eq!(eval_str("[mod(-7, 3)]"), "-1");
        assert_eq!(eval_str("[min(createArray(0, 3, 2, 5, 4))]"), "0");
        assert_eq!(eval_str("[max(0, 3, 2, 5, 4)]"), "5");
        assert_eq!(eval_str("[div(1, 0)]"), "error: function 'div': division by zero");
        assert_eq!(
            eval_str("[mul(9223372036854775807, 2)]"),
            "error: function 'mul': the result is outside the integer range"
        );
    }
}
