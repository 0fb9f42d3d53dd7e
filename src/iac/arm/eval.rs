//! Evaluates parsed expressions and template JSON in a context: which template's parameters and
//! variables are in scope, which `copy` loops are running, which lambda variables and user-function
//! parameters are bound. Functions that must not evaluate all their arguments (`if`, `and`, `or`,
//! `coalesce`, the lambda functions, `reference()` and `list*()`) are handled here; the rest are in
//! [`super::functions`].

use std::rc::Rc;

use super::expr::{self, Expr, Template};
use super::failure::{Failure, Result, in_function};
use super::functions;
use super::json::{Json, Kind};
use super::limits::{Budget, MAX_COPY, MAX_EVAL_DEPTH};
use super::scope::Scope;
use super::value::{Unknown, Value, deep_eq};
use crate::iac::model::AllowList;

/// What one read shares: the allow-list, the region, the work budget and the warnings.
pub(crate) struct Engine<'e> {
    pub allow: &'e AllowList,
    pub region: Option<&'e str>,
    pub budget: Budget,
    pub warnings: std::cell::RefCell<Vec<String>>,
}

impl Engine<'_> {
    pub fn warn(&self, w: String) {
        let mut ws = self.warnings.borrow_mut();
        if !ws.contains(&w) {
            ws.push(w);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoopKind {
    Resource,
    Property,
    Variable,
}

/// One running `copy` loop.
#[derive(Clone, Debug)]
pub(crate) struct Loop {
    pub name: Rc<str>,
    pub index: i64,
    pub kind: LoopKind,
}

/// Where an expression is evaluated.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a, 'f> {
    pub eng: &'f Engine<'f>,
    pub scope: &'f Rc<Scope<'a>>,
    pub loops: &'f [Loop],
    pub lambdas: &'f [(Rc<str>, Value)],
    /// Inside a user-defined function: its parameters, the only ones `parameters()` sees.
    pub fn_args: Option<&'f [(Rc<str>, Value)]>,
    pub depth: u32,
}

impl<'a, 'f> Ctx<'a, 'f> {
    pub fn new(eng: &'f Engine<'f>, scope: &'f Rc<Scope<'a>>, loops: &'f [Loop]) -> Ctx<'a, 'f> {
        Ctx { eng, scope, loops, lambdas: &[], fn_args: None, depth: 0 }
    }

    /// One level deeper, or an error past the bound.
    pub fn deeper(&self) -> Result<Ctx<'a, 'f>> {
        if self.depth >= MAX_EVAL_DEPTH {
            return Err(Failure::new(format!(
                "evaluation nested deeper than {MAX_EVAL_DEPTH} levels (variables, functions or lambdas using each other)"
            )));
        }
        Ok(Ctx { depth: self.depth + 1, ..*self })
    }
}

/// Evaluates one JSON value of a template: expression strings are evaluated, `[[` strings reduced,
/// `copy` property loops expanded. `path` is the value's JSON path, for errors.
pub(crate) fn eval_node(node: &Json, path: &str, cx: &Ctx) -> Result<Value> {
    cx.eng.budget.step()?;
    match &node.kind {
        Kind::Str(s) => eval_string(s, node, path, cx),
        Kind::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(eval_node(item, &format!("{path}[{i}]"), cx)?);
            }
            Value::array(out).map_err(|e| e.locate(path, node.line, node.col))
        }
        Kind::Object(entries) => {
            let mut out = Vec::with_capacity(entries.len());
            for (key, child) in entries {
                let child_path = join(path, key);
                match property_loops(key, child) {
                    Some(decls) => {
                        for decl in decls {
                            let (name, items) = expand_property_loop(decl, &child_path, cx)?;
                            out.push((
                                name,
                                Value::array(items).map_err(|e| e.locate(&child_path, decl.line, decl.col))?,
                            ));
                        }
                    }
                    None => out.push((Rc::from(key.as_str()), eval_node(child, &child_path, cx)?)),
                }
            }
            Value::object(out).map_err(|e| e.locate(path, node.line, node.col))
        }
        _ => Value::from_json(node),
    }
}

/// `a.b` for JSON paths (`b` alone at the root).
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Evaluates one template string.
pub(crate) fn eval_string(s: &str, node: &Json, path: &str, cx: &Ctx) -> Result<Value> {
    let located = |e: Failure| e.locate(path, node.line, node.col);
    match expr::parse_template_string(s).map_err(located)? {
        Template::Literal(text) => Ok(Value::str(text.as_ref())),
        Template::Expression(e) => eval(&e, cx).map_err(located),
    }
}

/// The declarations of a `copy` property loop (`"copy": [{ "name", "count", "input" }]`), when
/// `key`/`value` is one.
pub(crate) fn property_loops<'j>(key: &str, value: &'j Json) -> Option<&'j [Json]> {
    let Kind::Array(decls) = &value.kind else { return None };
    let is_loop = |d: &Json| d.get("name").is_some() && d.get("count").is_some() && d.get("input").is_some();
    (key.eq_ignore_ascii_case("copy") && !decls.is_empty() && decls.iter().all(is_loop)).then_some(decls.as_slice())
}

/// A loop's name and evaluated count.
pub(crate) fn loop_header(decl: &Json, path: &str, cx: &Ctx) -> Result<(Rc<str>, i64)> {
    let name = match decl.get("name") {
        Some(n) => eval_node(n, &format!("{path}.name"), cx)?,
        None => Value::Null,
    };
    let Value::Str(name) = name else {
        return Err(Failure::new("a copy loop's name must be a known string").locate(path, decl.line, decl.col));
    };
    let count_path = format!("{path}.count");
    let count = match decl.get("count") {
        Some(c) => count_of(eval_node(c, &count_path, cx)?).map_err(|e| e.locate(&count_path, c.line, c.col))?,
        None => 0,
    };
    Ok((name, count))
}

/// A copy count: a known integer between 0 and 800.
pub(crate) fn count_of(v: Value) -> Result<i64> {
    let n = match v {
        Value::Int(n) => n,
        Value::Str(s) => s.trim().parse::<i64>().map_err(|_| Failure::new("a copy count must be an integer"))?,
        Value::Unknown(u) => return Err(unknown_count(&u)),
        other => return Err(Failure::new(format!("a copy count must be an integer, not {}", other.kind_name()))),
    };
    if !(0..=MAX_COPY).contains(&n) {
        return Err(Failure::new(format!("a copy count must be between 0 and {MAX_COPY}")));
    }
    Ok(n)
}

fn unknown_count(u: &Unknown) -> Failure {
    match u.placeholders.as_slice() {
        [] => Failure::new("the copy count is only known at deployment (it reads reference() or a secure value)"),
        names => Failure::new(format!("{}, and it decides how many instances the copy loop makes", no_value(names)))
            .help(give_values_help(names)),
    }
}

/// "parameter 'a' has no value" / "parameters 'a', 'b' have no value".
pub(crate) fn no_value(names: &[Rc<str>]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    if names.len() == 1 {
        format!("parameter {} has no value", quoted[0])
    } else {
        format!("parameters {} have no value", quoted.join(", "))
    }
}

pub(crate) fn give_values_help(names: &[Rc<str>]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!(
        "give {} a value in a parameters file (--parameters FILE, deploymentParameters format) or a defaultValue in the template",
        quoted.join(", ")
    )
}

fn expand_property_loop(decl: &Json, path: &str, cx: &Ctx) -> Result<(Rc<str>, Vec<Value>)> {
    let (name, count) = loop_header(decl, path, cx)?;
    let Some(input) = decl.get("input") else { return Ok((name, Vec::new())) };
    let mut items = Vec::new();
    for index in 0..count {
        let mut loops = cx.loops.to_vec();
        loops.push(Loop { name: name.clone(), index, kind: LoopKind::Property });
        let inner = Ctx { loops: &loops, ..*cx };
        items.push(eval_node(input, &format!("{path}.input"), &inner)?);
    }
    Ok((name, items))
}

/// Evaluates one expression.
pub(crate) fn eval(e: &Expr, cx: &Ctx) -> Result<Value> {
    match e {
        Expr::Str(s) => Ok(Value::Str(s.clone())),
        Expr::Int(i) => Ok(Value::Int(*i)),
        Expr::Float(f) => Ok(Value::Float(*f)),
        Expr::Bool(b) => Ok(Value::Bool(*b)),
        Expr::Null => Ok(Value::Null),
        Expr::Member(inner, name) => member(eval(inner, cx)?, name),
        Expr::Index(inner, index) => index_into(eval(inner, cx)?, eval(index, cx)?),
        Expr::Call { namespace: Some(ns), name, args } => user_function(ns, name, args, cx),
        Expr::Call { namespace: None, name, args } => {
            cx.eng.budget.step()?;
            call(name, args, cx)
        }
    }
}

/// `value.name`: objects by case-insensitive key; anything read from an unknown is unknown.
pub(crate) fn member(v: Value, name: &str) -> Result<Value> {
    match v {
        Value::Object(m) => match m.get(name) {
            Some(Value::Unknown(u)) if u.needs_region => Err(needs_region()),
            Some(found) => Ok(found.clone()),
            None => Err(Failure::new(format!("the object has no property '{name}'"))),
        },
        Value::Unknown(u) => Ok(Value::unknown_from(Unknown { label: None, ..(*u).clone() })),
        other => Err(Failure::new(format!("cannot read property '{name}' of {}", other.kind_name()))),
    }
}

pub(crate) fn needs_region() -> Failure {
    Failure::new("resourceGroup().location is the region of the deployment, which this import cannot know")
        .help("pass --region (for example --region eastus)")
}

fn index_into(v: Value, index: Value) -> Result<Value> {
    match (v, index) {
        (Value::Unknown(u), other) | (other, Value::Unknown(u)) => {
            let mut merged = Unknown::of([&other]);
            merged.absorb(&u);
            Ok(Value::unknown_from(merged))
        }
        (Value::Array(l), Value::Int(i)) => usize::try_from(i)
            .ok()
            .and_then(|i| l.items.get(i))
            .cloned()
            .ok_or_else(|| Failure::new("the index is outside the array")),
        (Value::Object(m), Value::Str(k)) => match m.get(&k) {
            Some(Value::Unknown(u)) if u.needs_region => Err(needs_region()),
            Some(found) => Ok(found.clone()),
            None => Err(Failure::new("the object has no property of that name")),
        },
        (v, i) => Err(Failure::new(format!("cannot index {} with {}", v.kind_name(), i.kind_name()))),
    }
}

fn call(name: &str, args: &[Expr], cx: &Ctx) -> Result<Value> {
    let lname = name.to_ascii_lowercase();
    match lname.as_str() {
        "if" => if_(args, cx),
        "and" | "or" => and_or(&lname, args, cx),
        "coalesce" => coalesce(args, cx),
        "parameters" => {
            let n = name_arg(name, args, cx)?;
            match cx.fn_args {
                Some(bound) => bound
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&n))
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| Failure::new(format!("the function has no parameter '{n}'"))),
                None => cx.scope.parameter(&n, cx),
            }
        }
        "variables" => {
            let n = name_arg(name, args, cx)?;
            cx.scope.variable(&n, cx)
        }
        "copyindex" => copy_index(args, cx),
        "lambdavariables" => {
            let n = name_arg(name, args, cx)?;
            cx.lambdas
                .iter()
                .rev()
                .find(|(k, _)| k.eq_ignore_ascii_case(&n))
                .map(|(_, v)| v.clone())
                .ok_or_else(|| in_function(name, format!("no lambda variable '{n}' is in scope")))
        }
        "lambda" => Err(in_function(
            name,
            "a lambda can only be an argument of filter, map, reduce, sort, toObject, mapValues or groupBy",
        )),
        "reference" => Ok(reference(args, cx)),
        "references" | "providers" | "listsecrets" => Ok(Value::unknown()),
        l if l.starts_with("list") => Ok(Value::unknown()),
        "filter" | "map" | "reduce" | "sort" | "toobject" | "mapvalues" | "groupby" => {
            super::lambdas::call(name, &lname, args, cx)
        }
        _ => {
            let values = args.iter().map(|a| eval(a, cx)).collect::<Result<Vec<_>>>()?;
            functions::call(name, &lname, values, cx)
        }
    }
}

/// `reference(x)`: a nested deployment's outputs when `x` names one the template declares,
/// otherwise (a resource's runtime state) unknown.
fn reference(args: &[Expr], cx: &Ctx) -> Value {
    let [first, rest @ ..] = args else { return Value::unknown() };
    if rest.len() > 1 {
        return Value::unknown();
    }
    match eval(first, cx) {
        Ok(Value::Str(target)) => cx.scope.module(&target).map_or_else(Value::unknown, |m| m.reference(cx)),
        _ => Value::unknown(),
    }
}

/// The single string argument of `parameters`, `variables`, `lambdaVariables`.
fn name_arg(function: &str, args: &[Expr], cx: &Ctx) -> Result<String> {
    let [arg] = args else { return Err(in_function(function, "expects one argument, a name")) };
    match eval(arg, cx)? {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(in_function(function, format!("expects a name (a string), not {}", other.kind_name()))),
    }
}

fn truth(function: &str, v: &Value) -> Result<Option<bool>> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Value::Unknown(_) => Ok(None),
        other => Err(in_function(function, format!("expects a boolean, not {}", other.kind_name()))),
    }
}

/// `if(condition, then, else)` evaluates only the branch taken. On an unknown condition both
/// branches are tried: equal known branches give their value, anything else stays unknown.
fn if_(args: &[Expr], cx: &Ctx) -> Result<Value> {
    let [cond, yes, no] = args else { return Err(in_function("if", "expects 3 arguments")) };
    let c = eval(cond, cx)?;
    match truth("if", &c)? {
        Some(true) => eval(yes, cx),
        Some(false) => eval(no, cx),
        None => {
            let mut u = Unknown::of([&c]);
            match (eval(yes, cx), eval(no, cx)) {
                (Ok(a), Ok(b)) => {
                    if deep_eq(&a, &b) == Some(true) {
                        return Ok(a);
                    }
                    a.unknowns_inside(&mut u);
                    b.unknowns_inside(&mut u);
                }
                (Ok(v), Err(_)) | (Err(_), Ok(v)) => v.unknowns_inside(&mut u),
                (Err(e), Err(_)) => return Err(e),
            }
            Ok(Value::unknown_from(u))
        }
    }
}

/// `and` / `or` stop at the first argument that decides them; unknown otherwise.
fn and_or(lname: &str, args: &[Expr], cx: &Ctx) -> Result<Value> {
    if args.len() < 2 {
        return Err(in_function(lname, "expects at least 2 arguments"));
    }
    let decisive = lname == "or";
    let mut unknown: Option<Unknown> = None;
    for a in args {
        let v = eval(a, cx)?;
        match truth(lname, &v)? {
            Some(b) if b == decisive => return Ok(Value::Bool(decisive)),
            Some(_) => {}
            None => unknown.get_or_insert_with(Unknown::default).absorb(v.as_unknown().unwrap_or(&Unknown::default())),
        }
    }
    Ok(unknown.map_or(Value::Bool(!decisive), Value::unknown_from))
}

/// The first argument that is not null; unknown if an unknown comes before it.
fn coalesce(args: &[Expr], cx: &Ctx) -> Result<Value> {
    let mut unknown: Option<Unknown> = None;
    for a in args {
        match eval(a, cx)? {
            Value::Null => {}
            Value::Unknown(u) => unknown.get_or_insert_with(Unknown::default).absorb(&u),
            v => return Ok(unknown.map_or(v, Value::unknown_from)),
        }
    }
    Ok(unknown.map_or(Value::Null, Value::unknown_from))
}

/// `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`.
fn copy_index(args: &[Expr], cx: &Ctx) -> Result<Value> {
    let values = args.iter().map(|a| eval(a, cx)).collect::<Result<Vec<_>>>()?;
    let (name, offset): (Option<Rc<str>>, i64) = match values.as_slice() {
        [] => (None, 0),
        [Value::Int(o)] => (None, *o),
        [Value::Str(n)] => (Some(n.clone()), 0),
        [Value::Str(n), Value::Int(o)] => (Some(n.clone()), *o),
        [Value::Str(n), Value::Str(o)] => {
            (Some(n.clone()), o.parse::<i64>().map_err(|_| in_function("copyIndex", "the offset must be an integer"))?)
        }
        _ => return Err(in_function("copyIndex", "expects an optional loop name and an optional integer offset")),
    };
    let found = match &name {
        Some(n) => cx.loops.iter().rev().find(|l| l.name.eq_ignore_ascii_case(n)),
        None => cx.loops.iter().rev().find(|l| l.kind == LoopKind::Resource).or(cx.loops.last()),
    };
    let Some(l) = found else {
        return Err(match name {
            Some(n) => in_function("copyIndex", format!("no copy loop named '{n}' is running here")),
            None => in_function("copyIndex", "used outside a copy loop"),
        });
    };
    l.index.checked_add(offset).map(Value::Int).ok_or_else(|| in_function("copyIndex", "the offset is out of range"))
}

/// `ns.name(args)`: a function from the template's `functions` section.
fn user_function(ns: &str, name: &str, args: &[Expr], cx: &Ctx) -> Result<Value> {
    cx.eng.budget.step()?;
    let full = format!("{ns}.{name}");
    let Some(f) = cx.scope.function(&full) else {
        return Err(Failure::new(format!(
            "unsupported template function '{full}' (not defined in the template's functions)"
        )));
    };
    if args.len() != f.params.len() {
        return Err(in_function(&full, format!("expects {} arguments", f.params.len())));
    }
    let mut bound = Vec::with_capacity(args.len());
    for (p, a) in f.params.iter().zip(args) {
        bound.push((p.clone(), eval(a, cx)?));
    }
    let inner = Ctx { lambdas: &[], fn_args: Some(&bound), loops: &[], ..cx.deeper()? };
    eval_node(f.output, &f.path, &inner)
}
