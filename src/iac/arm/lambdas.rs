//! The lambda functions: `filter`, `map`, `reduce`, `sort`, `toObject`, `mapValues`, `groupBy`,
//! each taking `lambda('x', [more names,] body)` whose names `lambdaVariables('x')` reads. Bicep's
//! `for` expressions and `filter`/`map` compile to these. The body is evaluated once per element;
//! every call counts against the read's work budget.

use std::rc::Rc;

use super::eval::{Ctx, eval};
use super::expr::Expr;
use super::failure::{Result, in_function};
use super::value::{Unknown, Value};

struct Lambda<'e> {
    names: Vec<Rc<str>>,
    body: &'e Expr,
}

pub(crate) fn call(name: &str, lname: &str, args: &[Expr], cx: &Ctx) -> Result<Value> {
    let (data, rest): (Vec<Value>, &[Expr]) = match lname {
        "reduce" => match args {
            [a, init, rest @ ..] => (vec![eval(a, cx)?, eval(init, cx)?], rest),
            _ => return Err(in_function(name, "expects an array, an initial value and a lambda")),
        },
        _ => match args {
            [a, rest @ ..] => (vec![eval(a, cx)?], rest),
            _ => return Err(in_function(name, "expects a collection and a lambda")),
        },
    };
    let lambdas = rest.iter().map(|e| lambda(name, e, cx)).collect::<Result<Vec<_>>>()?;
    let expected = if lname == "toobject" { 1..=2 } else { 1..=1 };
    if !expected.contains(&lambdas.len()) {
        return Err(in_function(name, "expects a lambda as its last argument"));
    }
    if let Value::Unknown(u) = &data[0] {
        return Ok(Value::Unknown(u.clone()));
    }
    match lname {
        "mapvalues" => map_values(name, &data[0], &lambdas[0], cx),
        _ => {
            let Value::Array(list) = &data[0] else {
                return Err(in_function(name, format!("expects an array, not {}", data[0].kind_name())));
            };
            let items = &list.items;
            match lname {
                "filter" => filter(name, items, &lambdas[0], cx),
                "map" => items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| apply(&lambdas[0], &[x.clone(), Value::Int(i as i64)], cx))
                    .collect::<Result<Vec<_>>>()
                    .and_then(Value::array),
                "reduce" => reduce(items, data[1].clone(), &lambdas[0], cx),
                "sort" => sort(name, items, &lambdas[0], cx),
                "toobject" => to_object(name, items, &lambdas, cx),
                _ => group_by(name, items, &lambdas[0], cx),
            }
        }
    }
}

fn lambda<'e>(f: &str, e: &'e Expr, cx: &Ctx) -> Result<Lambda<'e>> {
    let Expr::Call { namespace: None, name, args } = e else {
        return Err(in_function(f, "expects a lambda(...) argument"));
    };
    let Some((body, params)) = args.split_last().filter(|_| name.eq_ignore_ascii_case("lambda")) else {
        return Err(in_function(f, "expects a lambda(...) argument"));
    };
    let names = params
        .iter()
        .map(|p| match eval(p, cx)? {
            Value::Str(s) => Ok(s),
            _ => Err(in_function("lambda", "variable names must be strings")),
        })
        .collect::<Result<Vec<_>>>()?;
    if names.is_empty() {
        return Err(in_function("lambda", "needs at least one variable name"));
    }
    Ok(Lambda { names, body })
}

/// Calls a lambda; arguments beyond its names (an index it does not ask for) are dropped.
fn apply(l: &Lambda, args: &[Value], cx: &Ctx) -> Result<Value> {
    cx.eng.budget.step()?;
    let mut bound = cx.lambdas.to_vec();
    bound.extend(l.names.iter().cloned().zip(args.iter().cloned()));
    let inner = Ctx { lambdas: &bound, ..cx.deeper()? };
    eval(l.body, &inner)
}

fn truth(f: &str, v: &Value) -> Result<Option<bool>> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Unknown(_) => Ok(None),
        other => Err(in_function(f, format!("the lambda must give a boolean, not {}", other.kind_name()))),
    }
}

fn filter(f: &str, items: &[Value], l: &Lambda, cx: &Ctx) -> Result<Value> {
    let mut out = Vec::new();
    let mut unknown = Unknown::default();
    let mut undecided = false;
    for (i, x) in items.iter().enumerate() {
        let keep = apply(l, &[x.clone(), Value::Int(i as i64)], cx)?;
        match truth(f, &keep)? {
            Some(true) => out.push(x.clone()),
            Some(false) => {}
            None => {
                undecided = true;
                keep.unknowns_inside(&mut unknown);
            }
        }
    }
    if undecided { Ok(Value::unknown_from(unknown)) } else { Value::array(out) }
}

fn reduce(items: &[Value], init: Value, l: &Lambda, cx: &Ctx) -> Result<Value> {
    let mut acc = init;
    for (i, x) in items.iter().enumerate() {
        acc = apply(l, &[acc, x.clone(), Value::Int(i as i64)], cx)?;
    }
    Ok(acc)
}

/// A stable merge sort driven by the lambda's "comes before" answer (never a panic, whatever the
/// lambda answers).
fn sort(f: &str, items: &[Value], l: &Lambda, cx: &Ctx) -> Result<Value> {
    let mut v: Vec<Value> = items.to_vec();
    let mut width = 1;
    while width < v.len() {
        let mut merged = Vec::with_capacity(v.len());
        for chunk in v.chunks(width * 2) {
            let (left, right) = chunk.split_at(width.min(chunk.len()));
            let (mut i, mut j) = (0, 0);
            while i < left.len() && j < right.len() {
                match truth(f, &apply(l, &[right[j].clone(), left[i].clone()], cx)?)? {
                    Some(true) => {
                        merged.push(right[j].clone());
                        j += 1;
                    }
                    Some(false) => {
                        merged.push(left[i].clone());
                        i += 1;
                    }
                    None => return Ok(Value::unknown()),
                }
            }
            merged.extend_from_slice(&left[i..]);
            merged.extend_from_slice(&right[j..]);
        }
        v = merged;
        width *= 2;
    }
    Value::array(v)
}

fn key_of(f: &str, v: Value) -> Result<std::result::Result<Rc<str>, Unknown>> {
    match v {
        Value::Str(s) => Ok(Ok(s)),
        Value::Unknown(u) => Ok(Err((*u).clone())),
        other => Err(in_function(f, format!("keys must be strings, not {}", other.kind_name()))),
    }
}

fn to_object(f: &str, items: &[Value], lambdas: &[Lambda], cx: &Ctx) -> Result<Value> {
    let mut members = Vec::new();
    for x in items {
        let key = match key_of(f, apply(&lambdas[0], std::slice::from_ref(x), cx)?)? {
            Ok(k) => k,
            Err(u) => return Ok(Value::unknown_from(u)),
        };
        let value = match lambdas.get(1) {
            Some(v) => apply(v, std::slice::from_ref(x), cx)?,
            None => x.clone(),
        };
        members.push((key, value));
    }
    Value::object(members)
}

fn map_values(f: &str, data: &Value, l: &Lambda, cx: &Ctx) -> Result<Value> {
    let Value::Object(m) = data else {
        return Err(in_function(f, format!("expects an object, not {}", data.kind_name())));
    };
    let members = m
        .entries
        .iter()
        .map(|(k, v)| Ok((k.clone(), apply(l, std::slice::from_ref(v), cx)?)))
        .collect::<Result<Vec<_>>>()?;
    Value::object(members)
}

fn group_by(f: &str, items: &[Value], l: &Lambda, cx: &Ctx) -> Result<Value> {
    let mut groups: Vec<(Rc<str>, Vec<Value>)> = Vec::new();
    for x in items {
        let key = match key_of(f, apply(l, std::slice::from_ref(x), cx)?)? {
            Ok(k) => k,
            Err(u) => return Ok(Value::unknown_from(u)),
        };
        match groups.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&key)) {
            Some((_, g)) => g.push(x.clone()),
            None => groups.push((key, vec![x.clone()])),
        }
    }
    let members = groups.into_iter().map(|(k, g)| Ok((k, Value::array(g)?))).collect::<Result<Vec<_>>>()?;
    Value::object(members)
}

#[cfg(test)]
mod tests {
    use crate::iac::arm::testing::eval_str;

    #[test]
    fn lambda_functions() {
        assert_eq!(eval_str("[filter(range(0, 6), lambda('n', equals(mod(lambdaVariables('n'), 2), 0)))]"), "[0,2,4]");
        assert_eq!(
            eval_str(
                "[map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))]"
            ),
            r#"["a0","b1"]"#
        );
        assert_eq!(
            eval_str(
                "[reduce(range(1, 4), 0, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]"
            ),
            "10"
        );
        assert_eq!(
            eval_str(
                "[sort(createArray(3, 1, 2, 1), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]"
            ),
            "[1,1,2,3]"
        );
        assert_eq!(eval_str("[sort(createArray(3, 1, 2), lambda('a', 'b', true))]"), "[2,1,3]");
        assert_eq!(
            eval_str(
                "[toObject(createArray('x', 'y'), lambda('k', toUpper(lambdaVariables('k'))), lambda('k', length(lambdaVariables('k'))))]"
            ),
            r#"{"X":1,"Y":1}"#
        );
        assert_eq!(
            eval_str("[mapValues(json('{\"a\": 1, \"b\": 2}'), lambda('v', mul(lambdaVariables('v'), 10)))]"),
            r#"{"a":10,"b":20}"#
        );
        assert_eq!(
            eval_str("[groupBy(createArray('ab', 'ac', 'b'), lambda('s', first(lambdaVariables('s'))))]"),
            r#"{"a":["ab","ac"],"b":["b"]}"#
        );
        assert_eq!(
            eval_str("[lambdaVariables('x')]"),
            "error: function 'lambdaVariables': no lambda variable 'x' is in scope"
        );
        assert_eq!(eval_str("[map(createArray(1), 5)]"), "error: function 'map': expects a lambda(...) argument");
    }
}
