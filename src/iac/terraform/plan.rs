//! `resource_changes[]`: which instances the plan leaves in place (create, update, no-op,
//! replace), which it deletes (skipped, by address), and the data sources it reads (existing
//! resources: the organisation's DNS zones, hub networks, firewalls). Data sources read while
//! planning sit in `prior_state` rather than `resource_changes`; they are read from there.
//!
//! Each element is read from its borrowed text into [`Element`] and [`Body`]: the values the
//! reader uses are built, `before` and the rest are skipped unbuilt. Errors name the element and
//! field (`resource_changes[3].change.actions`), never a value: no field of those types can
//! mismatch, and an element or `change` that is not an object is told before it is read.

use super::address::{self, Key, ModulePath};
use super::detect::Doc;
use super::flatten::{Allowed, flatten};
use crate::error::Diagnostic;
use crate::iac::model::{AllowList, Attr, Resource, Skipped};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashSet};

/// One `resource_changes[]` element, as far as the reader needs it.
#[derive(Deserialize)]
struct Element<'a> {
    address: Option<Value>,
    mode: Option<Value>,
    #[serde(rename = "type")]
    type_name: Option<Value>,
    name: Option<Value>,
    index: Option<Value>,
    module_address: Option<Value>,
    deposed: Option<serde::de::IgnoredAny>,
    #[serde(borrow)]
    change: Option<&'a RawValue>,
}

/// An element's `change`, without `before`.
#[derive(Deserialize)]
struct Body {
    actions: Option<Value>,
    after: Option<Value>,
    after_unknown: Option<Value>,
    after_sensitive: Option<Value>,
}

/// Reads `text` (a whole JSON value) as `T` when it is an object.
fn object<'a, T: Deserialize<'a>>(text: &'a str) -> Option<T> {
    if text.starts_with('{') { serde_json::from_str(text).ok() } else { None }
}

/// One resource instance, with what reference matching needs beside the model's resource.
pub struct Instance {
    pub resource: Resource,
    /// The module instance it sits in; `None` when `module_address` could not be read (then
    /// nothing is resolved through its configuration).
    pub module: Option<ModulePath>,
    pub data: bool,
    /// The name label (`azurerm_key_vault.kv` has `kv`).
    pub label: String,
    pub key: Option<Key>,
    /// Its own Azure resource id when known, lower-cased, for matching known ids; kept here and
    /// not in `resource.attrs` unless the allow-list names `id`.
    pub id: Option<String>,
}

/// What `resource_changes` and `prior_state` give.
pub struct Changes {
    pub instances: Vec<Instance>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<String>,
}

pub fn changes(file: &str, doc: &Doc, allow: &AllowList, lines: &[u64]) -> Result<Changes, Vec<Diagnostic>> {
    let mut out = Changes { instances: Vec::new(), skipped: Vec::new(), warnings: Vec::new() };
    let mut errors = Vec::new();
    let allow = &mut Allowed::new(allow);
    let raw = doc.resource_changes.map_or("null", RawValue::get);
    let list: Vec<&RawValue> = match raw {
        "null" => Vec::new(),
        _ => match raw.starts_with('[').then(|| serde_json::from_str(raw).ok()).flatten() {
            Some(list) => list,
            None => {
                return Err(vec![Diagnostic::new(file, "`resource_changes` is not a list").path("resource_changes")]);
            }
        },
    };
    for (i, rc) in list.iter().enumerate() {
        let line = lines.get(i).copied();
        match change(rc, allow, line) {
            Ok(Some(Outcome::Keep(inst, sensitive))) => {
                warn_sensitive(&mut out.warnings, &inst.resource.address, &sensitive);
                out.instances.push(*inst);
            }
            Ok(Some(Outcome::Skip(s))) => out.skipped.push(s),
            Ok(None) => {}
            Err((field, message)) => {
                let mut d = Diagnostic::new(file, message).path(format!("resource_changes[{i}]{field}"));
                d.line = line;
                errors.push(d);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let seen: HashSet<String> = out.instances.iter().map(|i| i.resource.address.clone()).collect();
    let seen_skipped: HashSet<&str> = out.skipped.iter().map(|s| s.address.as_str()).collect();
    let mut read = Vec::new();
    if let Some(prior) = doc.prior_state.filter(|p| p.get() != "null") {
        match object::<State>(prior.get()) {
            Some(State { values: Some(StateValues { root_module: Some(root) }) }) => prior_data(&root, allow, &mut read),
            Some(_) => {}
            None => out.warnings.push(
                "`prior_state` has a shape closednet does not read, so data sources Terraform read while planning are not in this import"
                    .to_string(),
            ),
        }
    }
    for (inst, sensitive) in read {
        if !seen.contains(&inst.resource.address) && !seen_skipped.contains(inst.resource.address.as_str()) {
            warn_sensitive(&mut out.warnings, &inst.resource.address, &sensitive);
            out.instances.push(inst);
        }
    }
    Ok(out)
}

fn warn_sensitive(warnings: &mut Vec<String>, address: &str, paths: &[String]) {
    for p in paths {
        warnings.push(format!("{address}: `{p}` is marked sensitive in the plan, so closednet reads it as unknown"));
    }
}

enum Outcome {
    Keep(Box<Instance>, Vec<String>),
    Skip(Skipped),
}

/// Field (as a path suffix) and message of a malformed element.
type Bad = (&'static str, &'static str);

fn change(rc: &RawValue, allow: &mut Allowed, line: Option<u64>) -> Result<Option<Outcome>, Bad> {
    let Some(rc) = object::<Element>(rc.get()) else { return Err(("", "a resource change must be an object")) };
    let text = |v: &Option<Value>| v.as_ref().and_then(Value::as_str).map(str::to_string);
    let address = text(&rc.address).ok_or((".address", "`address` is missing or not a string"))?;
    let type_name = text(&rc.type_name).ok_or((".type", "`type` is missing or not a string"))?;
    let label = text(&rc.name).ok_or((".name", "`name` is missing or not a string"))?;
    let data = match text(&rc.mode).as_deref() {
        Some("managed") => false,
        Some("data") => true,
        _ => return Err((".mode", "`mode` must be \"managed\" or \"data\"")),
    };
    let key = match &rc.index {
        None | Some(Value::Null) => None,
        Some(v) => Some(key_of(v).ok_or((".index", "`index` must be a whole number or a string"))?),
    };
    let module = match &rc.module_address {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::String(s)) => {
            Some(address::module_path(s).ok_or((".module_address", "`module_address` is not a module address"))?)
        }
        Some(_) => return Err((".module_address", "`module_address` is not a string")),
    };
    let change =
        rc.change.and_then(|c| object::<Body>(c.get())).ok_or((".change", "`change` is missing or not an object"))?;
    let actions: Vec<&str> = match change.actions.as_ref().and_then(Value::as_array) {
        Some(a) => a.iter().map(Value::as_str).collect::<Option<_>>(),
        None => None,
    }
    .ok_or((".change.actions", "`change.actions` is missing or not a list of strings"))?;
    let skip = |reason: &str| {
        Ok(Some(Outcome::Skip(Skipped {
            address: address.clone(),
            type_name: type_name.clone(),
            reason: reason.into(),
        })))
    };
    let builds = actions.iter().any(|a| matches!(*a, "create" | "update" | "no-op" | "read"));
    if rc.deposed.is_some() {
        return skip("a deposed object (the old copy create_before_destroy left), not the current instance");
    }
    if !builds {
        return match actions.as_slice() {
            ["delete"] => skip("deleted by this plan"),
            ["forget"] => skip("removed from Terraform state by this plan (a `removed` block); no longer managed"),
            _ => skip("plan actions closednet does not recognise"),
        };
    }
    let after = match &change.after {
        None | Some(Value::Null) => None,
        Some(v @ Value::Object(_)) => Some(v),
        Some(_) => return Err((".change.after", "`change.after` is not an object")),
    };
    let raw = Raw {
        address: &address,
        type_name: &type_name,
        label: &label,
        data,
        key,
        module,
        after,
        unknown: change.after_unknown.as_ref(),
        sensitive: change.after_sensitive.as_ref(),
        line,
    };
    let (inst, sensitive) = instance(raw, allow);
    Ok(Some(Outcome::Keep(Box::new(inst), sensitive)))
}

fn key_of(v: &Value) -> Option<Key> {
    match v {
        Value::Number(n) => n.as_i64().map(Key::Int),
        Value::String(s) => Some(Key::Str(s.clone())),
        _ => None,
    }
}

/// One instance as the plan gives it, before flattening.
struct Raw<'v> {
    address: &'v str,
    type_name: &'v str,
    label: &'v str,
    data: bool,
    key: Option<Key>,
    module: Option<ModulePath>,
    after: Option<&'v Value>,
    unknown: Option<&'v Value>,
    sensitive: Option<&'v Value>,
    line: Option<u64>,
}

/// The instance, and the allow-listed paths the plan marks sensitive.
fn instance(raw: Raw, allow: &mut Allowed) -> (Instance, Vec<String>) {
    let flat = flatten(raw.type_name, allow, raw.after, raw.unknown, raw.sensitive);
    let is_sensitive = |k: &str| match raw.sensitive {
        Some(Value::Bool(true)) => true,
        Some(s) => s.get(k) == Some(&Value::Bool(true)),
        None => false,
    };
    let own = |k: &str| raw.after.and_then(|a| a.get(k)).and_then(Value::as_str).filter(|_| !is_sensitive(k));
    let name = own("name").unwrap_or(raw.label).to_string();
    let id = own("id").filter(|id| is_azure_id(id)).map(str::to_ascii_lowercase);
    let location = flat.attrs.get("location").cloned().unwrap_or(Attr::Known(Value::Null));
    let resource = Resource {
        address: raw.address.to_string(),
        type_name: raw.type_name.to_string(),
        existing: raw.data,
        name,
        location,
        attrs: flat.attrs,
        refs: BTreeMap::new(),
        line: raw.line,
    };
    let inst =
        Instance { resource, module: raw.module, data: raw.data, label: raw.label.to_string(), key: raw.key, id };
    (inst, flat.sensitive)
}

/// Whether a string is an Azure resource id (the ids references are matched on).
pub fn is_azure_id(s: &str) -> bool {
    let lower = |p: &str| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    lower("/subscriptions/") || lower("/providers/")
}

/// `prior_state`, down to its data sources; managed resources' values stay unbuilt.
#[derive(Deserialize)]
struct State<'a> {
    #[serde(borrow)]
    values: Option<StateValues<'a>>,
}

#[derive(Deserialize)]
struct StateValues<'a> {
    #[serde(borrow)]
    root_module: Option<StateModule<'a>>,
}

#[derive(Deserialize)]
struct StateModule<'a> {
    address: Option<Value>,
    #[serde(borrow, default)]
    resources: Vec<StateResource<'a>>,
    #[serde(borrow, default)]
    child_modules: Vec<StateModule<'a>>,
}

#[derive(Deserialize)]
struct StateResource<'a> {
    address: Option<Value>,
    mode: Option<Value>,
    #[serde(rename = "type")]
    type_name: Option<Value>,
    name: Option<Value>,
    index: Option<Value>,
    #[serde(borrow)]
    values: Option<&'a RawValue>,
    sensitive_values: Option<Value>,
}

/// Data sources of a `prior_state` module and its child modules. (serde_json's recursion limit
/// bounds the depth.)
fn prior_data(module: &StateModule, allow: &mut Allowed, out: &mut Vec<(Instance, Vec<String>)>) {
    let path = match module.address.as_ref() {
        Some(Value::String(a)) => address::module_path(a),
        _ => Some(Vec::new()),
    };
    for r in &module.resources {
        fn text(v: &Option<Value>) -> Option<&str> {
            v.as_ref().and_then(Value::as_str)
        }
        let (Some("data"), Some(address), Some(type_name), Some(label)) =
            (text(&r.mode), text(&r.address), text(&r.type_name), text(&r.name))
        else {
            continue;
        };
        let values: Option<Value> = r.values.and_then(|v| object(v.get()));
        let raw = Raw {
            address,
            type_name,
            label,
            data: true,
            key: r.index.as_ref().and_then(key_of),
            module: path.clone(),
            after: values.as_ref(),
            unknown: None,
            sensitive: r.sensitive_values.as_ref(),
            line: None,
        };
        out.push(instance(raw, allow));
    }
    for child in &module.child_modules {
        prior_data(child, allow, out);
    }
}
