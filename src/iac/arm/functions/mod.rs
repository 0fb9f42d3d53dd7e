//! The template functions that take evaluated arguments, by family. Names are matched ignoring case,
//! as Azure does. A function none of the families knows is an error naming it; the caller adds the
//! JSON path.
//!
//! Unknown arguments: unless a family says otherwise, a function with an unknown argument gives an
//! unknown result carrying the argument's placeholders. Text functions (`concat`, `format`,
//! `toLower`, the resource id functions) keep a label when every unknown part has one.

mod collections;
mod dates;
mod encoding;
mod format;
mod logic;
mod network;
mod scopes;
mod text;

use std::borrow::Cow;
use std::rc::Rc;

use super::eval::Ctx;
use super::failure::{Failure, Result, in_function};
use super::value::{Unknown, Value};

pub(crate) use scopes::resource_id_of;

/// A family's entry point: `None` when the function is not one of its own.
type Family = fn(&str, &[Value], &Ctx) -> Option<Result<Value>>;

pub(crate) fn call(name: &str, lname: &str, args: Vec<Value>, cx: &Ctx) -> Result<Value> {
    let families: [Family; 8] = [
        text::call,
        format::call,
        collections::call,
        logic::call,
        scopes::call,
        dates::call,
        encoding::call,
        network::call,
    ];
    for family in families {
        if let Some(result) = family(lname, &args, cx) {
            return result.map_err(|e| rename(e, lname, name));
        }
    }
    Err(Failure::new(format!("unsupported template function '{name}'")))
}

/// Families name functions in lower case; the message uses the spelling of the template.
fn rename(mut e: Failure, lname: &str, name: &str) -> Failure {
    if lname != name {
        e.message = e.message.replacen(&format!("function '{lname}'"), &format!("function '{name}'"), 1);
    }
    e
}

/// The unknowns among the arguments, merged, when there are any.
pub(crate) fn unknown_args(args: &[Value]) -> Option<Unknown> {
    args.iter().any(|a| matches!(a, Value::Unknown(_))).then(|| Unknown::of(args))
}

pub(crate) fn arity(f: &str, args: &[Value], min: usize, max: usize) -> Result<()> {
    if args.len() < min || args.len() > max {
        let expected = match (min, max) {
            (a, b) if a == b => format!("{a}"),
            (a, usize::MAX) => format!("at least {a}"),
            (a, b) => format!("{a} to {b}"),
        };
        return Err(in_function(f, format!("expects {expected} arguments, got {}", args.len())));
    }
    Ok(())
}

pub(crate) fn string_arg<'v>(f: &str, args: &'v [Value], i: usize) -> Result<&'v str> {
    match args.get(i) {
        Some(Value::Str(s)) => Ok(s),
        Some(other) => Err(in_function(f, format!("argument {} must be a string, not {}", i + 1, other.kind_name()))),
        None => Err(in_function(f, format!("argument {} is missing", i + 1))),
    }
}

pub(crate) fn int_arg(f: &str, args: &[Value], i: usize) -> Result<i64> {
    match args.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        Some(Value::Str(s)) => {
            s.trim().parse().map_err(|_| in_function(f, format!("argument {} must be an integer", i + 1)))
        }
        Some(other) => Err(in_function(f, format!("argument {} must be an integer, not {}", i + 1, other.kind_name()))),
        None => Err(in_function(f, format!("argument {} is missing", i + 1))),
    }
}

/// The text a value stands for: a string, a number, or an unknown value's label.
pub(crate) fn text_or_label(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Str(s) => Some(Cow::Borrowed(s)),
        Value::Int(i) => Some(Cow::Owned(i.to_string())),
        Value::Unknown(u) => u.label.as_deref().map(Cow::Borrowed),
        _ => None,
    }
}

/// An unknown result for `args`, labelled `label(texts)` when every argument has a text.
pub(crate) fn labelled(args: &[Value], label: impl FnOnce(&[Cow<'_, str>]) -> Option<String>) -> Value {
    let mut u = Unknown::of(args);
    let texts: Option<Vec<Cow<str>>> = args.iter().map(text_or_label).collect();
    u.label = texts.and_then(|t| label(&t)).map(Rc::from);
    Value::unknown_from(u)
}
