//! String functions: `concat`, `toLower`, `toUpper`, `trim`, `replace`, `split`, `substring`,
//! `padLeft`, `startsWith`, `endsWith` (both ignore case), `indexOf` and `lastIndexOf` (ignore case
//! for strings; by equality for arrays), `string`, `join`.
//!
//! Positions and lengths count characters, not bytes.

use std::rc::Rc;

use super::{arity, int_arg, labelled, string_arg, unknown_args};
use crate::iac::arm::eval::Ctx;
use crate::iac::arm::failure::{Result, in_function};
use crate::iac::arm::limits::check_string_len;
use crate::iac::arm::value::{Value, deep_eq, to_text, write_json};

pub(super) fn call(lname: &str, args: &[Value], _cx: &Ctx) -> Option<Result<Value>> {
    let f: fn(&[Value]) -> Result<Value> = match lname {
        "concat" => concat,
        "tolower" => |a| case(a, "toLower", false),
        "toupper" => |a| case(a, "toUpper", true),
        "trim" => trim,
        "replace" => replace,
        "split" => split,
        "substring" => substring,
        "padleft" => pad_left,
        "startswith" => |a| affix(a, "startsWith", true),
        "endswith" => |a| affix(a, "endsWith", false),
        "indexof" => |a| index_of(a, "indexOf", false),
        "lastindexof" => |a| index_of(a, "lastIndexOf", true),
        "string" => string,
        "join" => join,
        _ => return None,
    };
    Some(f(args))
}

/// Strings (numbers and booleans as text) into one string, or arrays into one array.
fn concat(args: &[Value]) -> Result<Value> {
    let arrays = args.iter().filter(|a| matches!(a, Value::Array(_))).count();
    if arrays > 0 && arrays < args.len() {
        if let Some(u) = unknown_args(args) {
            return Ok(Value::unknown_from(u));
        }
        return Err(in_function("concat", "takes either strings or arrays, not both"));
    }
    if arrays > 0 {
        let mut items = Vec::new();
        for a in args {
            if let Value::Array(l) = a {
                items.extend(l.items.iter().cloned());
            }
        }
        return Value::array(items);
    }
    if unknown_args(args).is_some() {
        return Ok(labelled(args, |texts| Some(texts.concat())));
    }
    let mut out = String::new();
    for a in args {
        if matches!(a, Value::Object(_)) {
            return Err(in_function("concat", "cannot join an object into a string"));
        }
        to_text(a, &mut out).map_err(|_| in_function("concat", "could not write the text"))?;
        check_string_len("concat", out.len())?;
    }
    Ok(Value::str(out))
}

fn case(args: &[Value], f: &str, upper: bool) -> Result<Value> {
    arity(f, args, 1, 1)?;
    let change = |s: &str| if upper { s.to_uppercase() } else { s.to_lowercase() };
    if let Value::Unknown(u) = &args[0] {
        let mut u = (**u).clone();
        u.label = u.label.map(|l| Rc::from(change(&l)));
        return Ok(Value::unknown_from(u));
    }
    Ok(Value::str(change(string_arg(f, args, 0)?)))
}

fn trim(args: &[Value]) -> Result<Value> {
    arity("trim", args, 1, 1)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    Ok(Value::str(string_arg("trim", args, 0)?.trim()))
}

fn replace(args: &[Value]) -> Result<Value> {
    arity("replace", args, 3, 3)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    let (s, old, new) =
        (string_arg("replace", args, 0)?, string_arg("replace", args, 1)?, string_arg("replace", args, 2)?);
    if old.is_empty() {
        return Err(in_function("replace", "the string to replace is empty"));
    }
    let count = s.matches(old).count();
    check_string_len("replace", s.len().saturating_add(count.saturating_mul(new.len())))?;
    Ok(Value::str(s.replace(old, new)))
}

/// Splits at any of the delimiters (a string or an array of strings), keeping empty parts.
fn split(args: &[Value]) -> Result<Value> {
    arity("split", args, 2, 2)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    let s = string_arg("split", args, 0)?;
    let delims: Vec<&str> = match &args[1] {
        Value::Str(d) => vec![d],
        Value::Array(l) => l.items.iter().filter_map(Value::as_str).collect(),
        other => {
            return Err(in_function(
                "split",
                format!("the delimiter must be a string or an array, not {}", other.kind_name()),
            ));
        }
    };
    let delims: Vec<&str> = delims.into_iter().filter(|d| !d.is_empty()).collect();
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        let next = delims.iter().filter_map(|d| rest.find(d).map(|i| (i, d.len()))).min_by_key(|&(i, _)| i);
        match next {
            Some((i, len)) => {
                parts.push(Value::str(&rest[..i]));
                rest = &rest[i + len..];
            }
            None => {
                parts.push(Value::str(rest));
                break;
            }
        }
    }
    Value::array(parts)
}

/// `substring(s, start, length?)`: out-of-range positions are an error, as in Azure.
fn substring(args: &[Value]) -> Result<Value> {
    arity("substring", args, 1, 3)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    let chars: Vec<char> = string_arg("substring", args, 0)?.chars().collect();
    let start = if args.len() > 1 { int_arg("substring", args, 1)? } else { 0 };
    let len = if args.len() > 2 { int_arg("substring", args, 2)? } else { chars.len() as i64 - start };
    let end = start.checked_add(len);
    match (usize::try_from(start), end.and_then(|e| usize::try_from(e).ok())) {
        (Ok(s), Some(e)) if len >= 0 && e <= chars.len() => Ok(Value::str(chars[s..e].iter().collect::<String>())),
        _ => Err(in_function("substring", "the start and length must lie within the string")),
    }
}

fn pad_left(args: &[Value]) -> Result<Value> {
    arity("padLeft", args, 2, 3)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    let s = match &args[0] {
        Value::Int(i) => i.to_string(),
        _ => string_arg("padLeft", args, 0)?.to_string(),
    };
    let total = usize::try_from(int_arg("padLeft", args, 1)?).unwrap_or(0);
    check_string_len("padLeft", total)?;
    let pad = if args.len() > 2 { string_arg("padLeft", args, 2)? } else { " " };
    let mut pad_chars = pad.chars();
    let (Some(c), None) = (pad_chars.next(), pad_chars.next()) else {
        return Err(in_function("padLeft", "the padding must be a single character"));
    };
    let have = s.chars().count();
    Ok(Value::str(format!("{}{s}", c.to_string().repeat(total.saturating_sub(have)))))
}

fn affix(args: &[Value], f: &str, start: bool) -> Result<Value> {
    arity(f, args, 2, 2)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    let (s, a) = (string_arg(f, args, 0)?.to_lowercase(), string_arg(f, args, 1)?.to_lowercase());
    Ok(Value::Bool(if start { s.starts_with(&a) } else { s.ends_with(&a) }))
}

/// The character position of a substring (ignoring case) or the index of an array element, -1 if
/// absent.
fn index_of(args: &[Value], f: &str, last: bool) -> Result<Value> {
    arity(f, args, 2, 2)?;
    if let Value::Array(l) = &args[0] {
        let mut unknown = false;
        let mut found = None;
        for (i, item) in l.items.iter().enumerate() {
            match deep_eq(item, &args[1]) {
                Some(true) => {
                    found = Some(i);
                    if !last {
                        break;
                    }
                }
                None => unknown = true,
                Some(false) => {}
            }
        }
        return match (found, unknown) {
            (Some(i), false) => Ok(Value::Int(i as i64)),
            (None, false) => Ok(Value::Int(-1)),
            _ => Ok(Value::unknown()),
        };
    }
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    let hay: Vec<char> = string_arg(f, args, 0)?.chars().flat_map(char::to_lowercase).collect();
    let needle: Vec<char> = string_arg(f, args, 1)?.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Ok(Value::Int(if last { hay.len().saturating_sub(1) as i64 } else { 0 }));
    }
    let mut positions = hay.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle.as_slice()).map(|(i, _)| i);
    let found = if last { positions.next_back() } else { positions.next() };
    Ok(Value::Int(found.map_or(-1, |i| i as i64)))
}

/// Strings as they are; arrays and objects as compact JSON; booleans as `True`/`False`.
fn string(args: &[Value]) -> Result<Value> {
    arity("string", args, 1, 1)?;
    let v = &args[0];
    if v.contains_unknown() {
        if let Value::Unknown(u) = v {
            return Ok(Value::Unknown(u.clone()));
        }
        let mut u = Default::default();
        v.unknowns_inside(&mut u);
        return Ok(Value::unknown_from(u));
    }
    let mut out = String::new();
    match v {
        Value::Array(_) | Value::Object(_) => write_json(v, &mut out),
        _ => to_text(v, &mut out),
    }
    .map_err(|_| in_function("string", "could not write the text"))?;
    check_string_len("string", out.len())?;
    Ok(Value::str(out))
}

fn join(args: &[Value]) -> Result<Value> {
    arity("join", args, 2, 2)?;
    if let Some(u) = unknown_args(args) {
        return Ok(Value::unknown_from(u));
    }
    let Value::Array(l) = &args[0] else {
        return Err(in_function("join", format!("argument 1 must be an array, not {}", args[0].kind_name())));
    };
    let delim = string_arg("join", args, 1)?;
    if l.items.iter().any(|v| matches!(v, Value::Unknown(_))) {
        return Ok(Value::unknown_from(crate::iac::arm::value::Unknown::of(l.items.iter())));
    }
    let mut out = String::new();
    for (i, item) in l.items.iter().enumerate() {
        if i > 0 {
            out.push_str(delim);
        }
        match item {
            Value::Array(_) | Value::Object(_) => {
                return Err(in_function("join", "the array must hold strings, numbers or booleans"));
            }
            v => to_text(v, &mut out).map_err(|_| in_function("join", "could not write the text"))?,
        }
        check_string_len("join", out.len())?;
    }
    Ok(Value::str(out))
}

#[cfg(test)]
mod tests {
    use crate::iac::arm::testing::eval_str;

    #[test]
    fn documented_examples() {
        assert_eq!(eval_str("[concat('prefix', '-', 'x', 1, true)]"), "\"prefix-x1True\"");
        assert_eq!(eval_str("[concat(createArray('1-1'), createArray('2-1', '2-2'))]"), r#"["1-1","2-1","2-2"]"#);
        assert_eq!(eval_str("[toLower('One Two Three')]"), "\"one two three\"");
        assert_eq!(eval_str("[toUpper('One Two Three')]"), "\"ONE TWO THREE\"");
        assert_eq!(eval_str("[trim('    one two three   ')]"), "\"one two three\"");
        assert_eq!(eval_str("[replace('123-123-1234', '-', '')]"), "\"1231231234\"");
        assert_eq!(eval_str("[replace('123-123-1234', '1234', 'xxxx')]"), "\"123-123-xxxx\"");
        assert_eq!(eval_str("[split('one;two,three', createArray(',', ';'))]"), r#"["one","two","three"]"#);
        assert_eq!(eval_str("[split('a,,b', ',')]"), r#"["a","","b"]"#);
        assert_eq!(eval_str("[substring('one two three', 4, 3)]"), "\"two\"");
        assert_eq!(eval_str("[substring('abc', 1)]"), "\"bc\"");
        assert_eq!(eval_str("[padLeft('123', 10, '0')]"), "\"0000000123\"");
        assert_eq!(eval_str("[padLeft(7, 3)]"), "\"  7\"");
        assert_eq!(eval_str("[startsWith('abcdef', 'A')]"), "true");
        assert_eq!(eval_str("[endsWith('abcdef', 'F')]"), "true");
        assert_eq!(eval_str("[endsWith('abcdef', 'e')]"), "false");
        assert_eq!(eval_str("[indexOf('abcdef', 'CD')]"), "2");
        assert_eq!(eval_str("[lastIndexOf('test', 't')]"), "3");
        assert_eq!(eval_str("[indexOf('abcdef', 'z')]"), "-1");
        assert_eq!(eval_str("[indexOf(createArray('a', 'b', 'b'), 'b')]"), "1");
        assert_eq!(
            eval_str("[string(json('{\"valueA\":10,\"valueB\":\"Example Text\"}'))]"),
            r#""{\"valueA\":10,\"valueB\":\"Example Text\"}""#
        );
        assert_eq!(eval_str("[string(false)]"), "\"False\"");
        assert_eq!(eval_str("[join(createArray('a', 'b', 3), '-')]"), "\"a-b-3\"");
    }

    #[test]
    fn errors_name_the_function() {
        assert_eq!(
            eval_str("[substring('abc', 2, 5)]"),
            "error: function 'substring': the start and length must lie within the string"
        );
        assert_eq!(
            eval_str("[concat('a', createArray())]"),
            "error: function 'concat': takes either strings or arrays, not both"
        );
        assert_eq!(
            eval_str("[padLeft('a', 3, 'xy')]"),
            "error: function 'padLeft': the padding must be a single character"
        );
    }
}
