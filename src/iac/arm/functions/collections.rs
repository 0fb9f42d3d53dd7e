//! Array and object functions: `array`, `createArray`, `createObject`, `contains`, `empty`,
//! `first`, `last`, `length`, `skip`, `take` (arrays and strings), `union` (objects merge deeply,
//! arrays keep first occurrences), `intersection`, `items` (sorted by key), `objectKeys`,
//! `shallowMerge`, `tryGet`, `tryIndex`, `flatten`, `range`, `json`, `null`.

use std::rc::Rc;

use super::{arity, int_arg, string_arg, unknown_args};
use crate::iac::arm::eval::Ctx;
use crate::iac::arm::failure::{Result, in_function};
use crate::iac::arm::json;
use crate::iac::arm::limits::MAX_RANGE;
use crate::iac::arm::value::{Unknown, Value, deep_eq};

pub(super) fn call(lname: &str, args: &[Value], _cx: &Ctx) -> Option<Result<Value>> {
    let f: fn(&[Value]) -> Result<Value> = match lname {
        "array" => array,
        "createarray" => |a| Value::array(a.to_vec()),
        "createobject" => create_object,
        "contains" => contains,
        "empty" => empty,
        "first" => |a| end(a, "first", true),
        "last" => |a| end(a, "last", false),
        "length" => length,
        "skip" => |a| slice(a, "skip", true),
        "take" => |a| slice(a, "take", false),
        "union" => union,
        "intersection" => intersection,
        "items" => items,
        "objectkeys" => object_keys,
        "shallowmerge" => shallow_merge,
        "tryget" => try_get,
        "tryindex" => try_get,
        "flatten" => flatten,
        "range" => range,
        "json" => parse_json,
        "null" => |a| arity("null", a, 0, 0).map(|()| Value::Null),
        _ => return None,
    };
    Some(f(args))
}

fn unknown_first(args: &[Value]) -> Option<Value> {
    unknown_args(args).map(Value::unknown_from)
}

fn array(args: &[Value]) -> Result<Value> {
    arity("array", args, 1, 1)?;
    match &args[0] {
        Value::Array(_) | Value::Unknown(_) => Ok(args[0].clone()),
        Value::Null => Value::array(Vec::new()),
        v => Value::array(vec![v.clone()]),
    }
}

fn create_object(args: &[Value]) -> Result<Value> {
    if !args.len().is_multiple_of(2) {
        return Err(in_function("createObject", "expects pairs of keys and values"));
    }
    let mut members = Vec::new();
    for pair in args.chunks(2) {
        match &pair[0] {
            Value::Str(k) => members.push((k.clone(), pair[1].clone())),
            Value::Unknown(u) => return Ok(Value::Unknown(u.clone())),
            other => {
                return Err(in_function("createObject", format!("keys must be strings, not {}", other.kind_name())));
            }
        }
    }
    Value::object(members)
}

/// Arrays by equality, objects by key (ignoring case), strings by substring (minding case).
fn contains(args: &[Value]) -> Result<Value> {
    arity("contains", args, 2, 2)?;
    match (&args[0], &args[1]) {
        (Value::Array(l), item) => {
            let mut unknown = false;
            for v in &l.items {
                match deep_eq(v, item) {
                    Some(true) => return Ok(Value::Bool(true)),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            Ok(if unknown {
                Value::unknown_from(Unknown::of(l.items.iter().chain([item])))
            } else {
                Value::Bool(false)
            })
        }
        _ if unknown_args(args).is_some() => Ok(unknown_first(args).unwrap_or(Value::Null)),
        (Value::Object(m), Value::Str(k)) => Ok(Value::Bool(m.get(k).is_some())),
        (Value::Str(s), Value::Str(t)) => Ok(Value::Bool(s.contains(&**t))),
        (Value::Str(s), Value::Int(i)) => Ok(Value::Bool(s.contains(&i.to_string()))),
        (a, b) => Err(in_function("contains", format!("cannot look for {} in {}", b.kind_name(), a.kind_name()))),
    }
}

fn empty(args: &[Value]) -> Result<Value> {
    arity("empty", args, 1, 1)?;
    Ok(match &args[0] {
        Value::Null => Value::Bool(true),
        Value::Str(s) => Value::Bool(s.is_empty()),
        Value::Array(l) => Value::Bool(l.items.is_empty()),
        Value::Object(m) => Value::Bool(m.entries.is_empty()),
        Value::Unknown(u) => Value::Unknown(u.clone()),
        other => {
            return Err(in_function("empty", format!("expects an array, object or string, not {}", other.kind_name())));
        }
    })
}

fn end(args: &[Value], f: &str, first: bool) -> Result<Value> {
    arity(f, args, 1, 1)?;
    Ok(match &args[0] {
        Value::Array(l) => (if first { l.items.first() } else { l.items.last() }).cloned().unwrap_or(Value::Null),
        Value::Str(s) => {
            Value::str((if first { s.chars().next() } else { s.chars().last() }).map(String::from).unwrap_or_default())
        }
        Value::Unknown(u) => Value::unknown_from(Unknown { label: None, ..(**u).clone() }),
        other => return Err(in_function(f, format!("expects an array or string, not {}", other.kind_name()))),
    })
}

fn length(args: &[Value]) -> Result<Value> {
    arity("length", args, 1, 1)?;
    Ok(Value::Int(match &args[0] {
        Value::Str(s) => s.chars().count() as i64,
        Value::Array(l) => l.items.len() as i64,
        Value::Object(m) => m.entries.len() as i64,
        Value::Unknown(u) => return Ok(Value::unknown_from(Unknown { label: None, ..(**u).clone() })),
        other => {
            return Err(in_function(
                "length",
                format!("expects an array, object or string, not {}", other.kind_name()),
            ));
        }
    }))
}

/// `skip` / `take`: counts below 0 and beyond the length are clamped, as Azure documents.
fn slice(args: &[Value], f: &str, skip: bool) -> Result<Value> {
    arity(f, args, 2, 2)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    let n = int_arg(f, args, 1)?.max(0);
    match &args[0] {
        Value::Array(l) => {
            let n = usize::try_from(n).unwrap_or(usize::MAX).min(l.items.len());
            let part = if skip { &l.items[n..] } else { &l.items[..n] };
            Value::array(part.to_vec())
        }
        Value::Str(s) => {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            let part: String = if skip { s.chars().skip(n).collect() } else { s.chars().take(n).collect() };
            Ok(Value::str(part))
        }
        other => Err(in_function(f, format!("expects an array or string, not {}", other.kind_name()))),
    }
}

fn union(args: &[Value]) -> Result<Value> {
    arity("union", args, 1, usize::MAX)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    match &args[0] {
        Value::Array(_) => {
            let mut out: Vec<Value> = Vec::new();
            for a in args {
                let Value::Array(l) = a else { return Err(mixed("union")) };
                for v in &l.items {
                    if !out.iter().any(|o| deep_eq(o, v) == Some(true)) {
                        out.push(v.clone());
                    }
                }
            }
            Value::array(out)
        }
        Value::Object(_) => {
            let mut acc = Value::object(Vec::new())?;
            for a in args {
                if !matches!(a, Value::Object(_)) {
                    return Err(mixed("union"));
                }
                acc = merge(&acc, a)?;
            }
            Ok(acc)
        }
        other => Err(in_function("union", format!("expects arrays or objects, not {}", other.kind_name()))),
    }
}

fn mixed(f: &str) -> crate::iac::arm::failure::Failure {
    in_function(f, "takes either arrays or objects, not both")
}

/// Objects merged key by key, nested objects recursively; anything else: the later value wins.
fn merge(a: &Value, b: &Value) -> Result<Value> {
    let (Value::Object(x), Value::Object(y)) = (a, b) else { return Ok(b.clone()) };
    let mut members: Vec<(Rc<str>, Value)> = x.entries.clone();
    for (k, v) in &y.entries {
        match members.iter_mut().find(|(e, _)| e.eq_ignore_ascii_case(k)) {
            Some(slot) => slot.1 = merge(&slot.1, v)?,
            None => members.push((k.clone(), v.clone())),
        }
    }
    Value::object(members)
}

fn intersection(args: &[Value]) -> Result<Value> {
    arity("intersection", args, 2, usize::MAX)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    match &args[0] {
        Value::Array(first) => {
            let mut out: Vec<Value> = Vec::new();
            for v in &first.items {
                let everywhere = args[1..].iter().all(|a| match a {
                    Value::Array(l) => l.items.iter().any(|w| deep_eq(v, w) == Some(true)),
                    _ => false,
                });
                if everywhere && !out.iter().any(|o| deep_eq(o, v) == Some(true)) {
                    out.push(v.clone());
                }
            }
            Value::array(out)
        }
        Value::Object(first) => {
            let mut members = Vec::new();
            for (k, v) in &first.entries {
                let everywhere = args[1..].iter().all(|a| match a {
                    Value::Object(m) => m.get(k).is_some_and(|w| deep_eq(v, w) == Some(true)),
                    _ => false,
                });
                if everywhere {
                    members.push((k.clone(), v.clone()));
                }
            }
            Value::object(members)
        }
        other => Err(in_function("intersection", format!("expects arrays or objects, not {}", other.kind_name()))),
    }
}

fn object_arg<'v>(f: &str, args: &'v [Value]) -> Result<&'v crate::iac::arm::value::Map> {
    match args.first() {
        Some(Value::Object(m)) => Ok(m),
        Some(other) => Err(in_function(f, format!("expects an object, not {}", other.kind_name()))),
        None => Err(in_function(f, "expects an object")),
    }
}

/// `[{ key, value }]`, sorted by key.
fn items(args: &[Value]) -> Result<Value> {
    arity("items", args, 1, 1)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    let m = object_arg("items", args)?;
    let mut entries: Vec<&(Rc<str>, Value)> = m.entries.iter().collect();
    entries.sort_by(|a, b| a.0.to_lowercase().cmp(&b.0.to_lowercase()).then_with(|| a.0.cmp(&b.0)));
    let out = entries
        .into_iter()
        .map(|(k, v)| Value::object(vec![("key".into(), Value::Str(k.clone())), ("value".into(), v.clone())]))
        .collect::<Result<Vec<_>>>()?;
    Value::array(out)
}

fn object_keys(args: &[Value]) -> Result<Value> {
    arity("objectKeys", args, 1, 1)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    let m = object_arg("objectKeys", args)?;
    Value::array(m.entries.iter().map(|(k, _)| Value::Str(k.clone())).collect())
}

fn shallow_merge(args: &[Value]) -> Result<Value> {
    arity("shallowMerge", args, 1, 1)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    let Value::Array(l) = &args[0] else { return Err(in_function("shallowMerge", "expects an array of objects")) };
    let mut members = Vec::new();
    for v in &l.items {
        match v {
            Value::Object(m) => members.extend(m.entries.iter().cloned()),
            Value::Unknown(u) => return Ok(Value::Unknown(u.clone())),
            _ => return Err(in_function("shallowMerge", "expects an array of objects")),
        }
    }
    Value::object(members)
}

/// `tryGet(value, key...)`: null where a key or index is missing.
fn try_get(args: &[Value]) -> Result<Value> {
    arity("tryGet", args, 2, usize::MAX)?;
    let mut v = args[0].clone();
    for key in &args[1..] {
        v = match (&v, key) {
            (Value::Unknown(_), _) | (_, Value::Unknown(_)) => return Ok(unknown_first(args).unwrap_or(Value::Null)),
            (Value::Object(m), Value::Str(k)) => m.get(k).cloned().unwrap_or(Value::Null),
            (Value::Array(l), Value::Int(i)) => {
                usize::try_from(*i).ok().and_then(|i| l.items.get(i)).cloned().unwrap_or(Value::Null)
            }
            (Value::Null, _) => return Ok(Value::Null),
            (a, b) => {
                return Err(in_function("tryGet", format!("cannot look up {} in {}", b.kind_name(), a.kind_name())));
            }
        };
    }
    Ok(v)
}

fn flatten(args: &[Value]) -> Result<Value> {
    arity("flatten", args, 1, 1)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    let Value::Array(l) = &args[0] else { return Err(in_function("flatten", "expects an array of arrays")) };
    let mut out = Vec::new();
    for v in &l.items {
        match v {
            Value::Array(inner) => out.extend(inner.items.iter().cloned()),
            Value::Unknown(u) => return Ok(Value::Unknown(u.clone())),
            _ => return Err(in_function("flatten", "expects an array of arrays")),
        }
    }
    Value::array(out)
}

fn range(args: &[Value]) -> Result<Value> {
    arity("range", args, 2, 2)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    let (start, count) = (int_arg("range", args, 0)?, int_arg("range", args, 1)?);
    if !(0..=MAX_RANGE).contains(&count) {
        return Err(in_function("range", format!("the count must be between 0 and {MAX_RANGE}")));
    }
    if start.checked_add(count).is_none() {
        return Err(in_function("range", "the range goes past the largest integer"));
    }
    Value::array((start..start + count).map(Value::Int).collect())
}

/// Parses JSON text. Its strings stay text: nothing in them is evaluated.
fn parse_json(args: &[Value]) -> Result<Value> {
    arity("json", args, 1, 1)?;
    if let Some(u) = unknown_first(args) {
        return Ok(u);
    }
    let text = string_arg("json", args, 0)?;
    let node = json::parse(text).map_err(|e| in_function("json", format!("the text is not JSON ({})", e.message)))?;
    Value::from_json(&node)
}

#[cfg(test)]
mod tests {
    use crate::iac::arm::testing::eval_str;

    #[test]
    fn arrays() {
        assert_eq!(eval_str("[array('a')]"), r#"["a"]"#);
        assert_eq!(eval_str("[createArray(1, 'b', createArray())]"), r#"[1,"b",[]]"#);
        assert_eq!(eval_str("[first(createArray('one', 'two', 'three'))]"), "\"one\"");
        assert_eq!(eval_str("[last('One Two Three')]"), "\"e\"");
        assert_eq!(eval_str("[first(createArray())]"), "null");
        assert_eq!(eval_str("[skip(createArray('one', 'two', 'three'), 2)]"), r#"["three"]"#);
        assert_eq!(eval_str("[skip('one two three', 4)]"), "\"two three\"");
        assert_eq!(eval_str("[take(createArray('one', 'two', 'three'), 2)]"), r#"["one","two"]"#);
        assert_eq!(eval_str("[take('one two three', -1)]"), "\"\"");
        assert_eq!(eval_str("[take('ab', 10)]"), "\"ab\"");
        assert_eq!(eval_str("[length(createArray('one', 'two', 'three'))]"), "3");
        assert_eq!(eval_str("[length('One Two Three')]"), "13");
        assert_eq!(eval_str("[range(5, 3)]"), "[5,6,7]");
        assert_eq!(eval_str("[range(0, 10001)]"), "error: function 'range': the count must be between 0 and 10000");
        assert_eq!(
            eval_str("[union(createArray('one', 'two'), createArray('two', 'three'))]"),
            r#"["one","two","three"]"#
        );
        assert_eq!(
            eval_str("[intersection(createArray('one', 'two', 'three'), createArray('two', 'three'))]"),
            r#"["two","three"]"#
        );
        assert_eq!(eval_str("[flatten(createArray(createArray(1), createArray(2, 3)))]"), "[1,2,3]");
        assert_eq!(eval_str("[contains(createArray('one', 'two', 'three'), 'three')]"), "true");
        assert_eq!(eval_str("[contains('OneTwoThree', 'e')]"), "true");
        assert_eq!(eval_str("[contains('OneTwoThree', 'z')]"), "false");
        assert_eq!(eval_str("[empty(createArray())]"), "true");
        assert_eq!(eval_str("[empty('')]"), "true");
        assert_eq!(eval_str("[empty(null())]"), "true");
    }

    #[test]
    fn objects() {
        let obj = "json('{\"one\": \"a\", \"two\": \"b\", \"three\": \"c\"}')";
        assert_eq!(eval_str(&format!("[contains({obj}, 'ONE')]")), "true");
        assert_eq!(eval_str(&format!("[contains({obj}, 'a')]")), "false");
        assert_eq!(eval_str(&format!("[length({obj})]")), "3");
        assert_eq!(eval_str("[createObject('a', 1, 'b', createArray('x'))]"), r#"{"a":1,"b":["x"]}"#);
        assert_eq!(eval_str("[createObject('a')]"), "error: function 'createObject': expects pairs of keys and values");
        assert_eq!(
            eval_str(
                "[union(json('{\"a\": {\"x\": 1, \"y\": 2}, \"l\": [1]}'), json('{\"a\": {\"y\": 3}, \"l\": [2], \"b\": true}'))]"
            ),
            r#"{"a":{"x":1,"y":3},"l":[2],"b":true}"#
        );
        assert_eq!(
            eval_str("[intersection(json('{\"a\": 1, \"b\": 2}'), json('{\"a\": 1, \"b\": 3}'))]"),
            r#"{"a":1}"#
        );
        assert_eq!(
            eval_str("[items(json('{\"b\": 2, \"a\": 1}'))]"),
            r#"[{"key":"a","value":1},{"key":"b","value":2}]"#
        );
        assert_eq!(eval_str("[objectKeys(json('{\"b\": 2, \"a\": 1}'))]"), r#"["b","a"]"#);
        assert_eq!(eval_str("[tryGet(json('{\"a\": {\"b\": 5}}'), 'a', 'b')]"), "5");
        assert_eq!(eval_str("[tryGet(json('{\"a\": 1}'), 'missing')]"), "null");
        assert_eq!(
            eval_str("[shallowMerge(createArray(json('{\"a\": 1}'), json('{\"a\": 2, \"b\": 3}')))]"),
            r#"{"a":2,"b":3}"#
        );
        assert_eq!(eval_str("[json('[1, \"[concat(1)]\"]')]"), r#"[1,"[concat(1)]"]"#);
        assert_eq!(
            eval_str("[json('{')]"),
            "error: function 'json': the text is not JSON (expected a quoted key in an object)"
        );
    }
}
