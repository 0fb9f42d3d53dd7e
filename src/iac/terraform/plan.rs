//! `resource_changes[]`: which instances the plan leaves in place (create, update, no-op,
//! replace), which it deletes (skipped, by address), and the data sources it reads (existing
//! resources: the organisation's DNS zones, hub networks, firewalls). Data sources read while
//! planning sit in `prior_state` rather than `resource_changes`; they are read from there.
//!
//! Errors name the element and field (`resource_changes[3].change.actions`), never a value.

use super::address::{self, Key, ModulePath};
use super::flatten::flatten;
use crate::error::Diagnostic;
use crate::iac::model::{AllowList, Attr, Resource, Skipped};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

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

pub fn changes(
    file: &str,
    top: &Map<String, Value>,
    allow: &AllowList,
    lines: &[u64],
) -> Result<Changes, Vec<Diagnostic>> {
    let mut out = Changes { instances: Vec::new(), skipped: Vec::new(), warnings: Vec::new() };
    let mut errors = Vec::new();
    let list = match top.get("resource_changes") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => {
            return Err(vec![Diagnostic::new(file, "`resource_changes` is not a list").path("resource_changes")]);
        }
    };
    for (i, rc) in list.iter().enumerate() {
        let line = lines.get(i).copied();
        match change(rc, allow, line) {
            Ok(Some(Outcome::Keep(inst, sensitive))) => {
                warn_sensitive(&mut out.warnings, &inst.resource.address, &sensitive);
                out.instances.push(inst);
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
    if let Some(root) = top.get("prior_state").and_then(|p| p.get("values")).and_then(|v| v.get("root_module")) {
        prior_data(root, allow, 0, &mut read);
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
    Keep(Instance, Vec<String>),
    Skip(Skipped),
}

/// Field (as a path suffix) and message of a malformed element.
type Bad = (&'static str, &'static str);

fn change(rc: &Value, allow: &AllowList, line: Option<u64>) -> Result<Option<Outcome>, Bad> {
    let Some(rc) = rc.as_object() else { return Err(("", "a resource change must be an object")) };
    let text = |k: &'static str| rc.get(k).and_then(Value::as_str);
    let address = text("address").ok_or((".address", "`address` is missing or not a string"))?;
    let type_name = text("type").ok_or((".type", "`type` is missing or not a string"))?;
    let label = text("name").ok_or((".name", "`name` is missing or not a string"))?;
    let data = match text("mode") {
        Some("managed") => false,
        Some("data") => true,
        _ => return Err((".mode", "`mode` must be \"managed\" or \"data\"")),
    };
    let key = match rc.get("index") {
        None | Some(Value::Null) => None,
        Some(v) => Some(key_of(v).ok_or((".index", "`index` must be a whole number or a string"))?),
    };
    let module = match rc.get("module_address") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::String(s)) => {
            Some(address::module_path(s).ok_or((".module_address", "`module_address` is not a module address"))?)
        }
        Some(_) => return Err((".module_address", "`module_address` is not a string")),
    };
    let change =
        rc.get("change").and_then(Value::as_object).ok_or((".change", "`change` is missing or not an object"))?;
    let actions: Vec<&str> = match change.get("actions").and_then(Value::as_array) {
        Some(a) => a.iter().map(Value::as_str).collect::<Option<_>>(),
        None => None,
    }
    .ok_or((".change.actions", "`change.actions` is missing or not a list of strings"))?;
    let skip = |reason: &str| {
        Ok(Some(Outcome::Skip(Skipped { address: address.into(), type_name: type_name.into(), reason: reason.into() })))
    };
    let builds = actions.iter().any(|a| matches!(*a, "create" | "update" | "no-op" | "read"));
    if rc.contains_key("deposed") {
        return skip("a deposed object (the old copy create_before_destroy left), not the current instance");
    }
    if !builds {
        return match actions.as_slice() {
            ["delete"] => skip("deleted by this plan"),
            ["forget"] => skip("removed from Terraform state by this plan (a `removed` block); no longer managed"),
            _ => skip("plan actions closednet does not recognise"),
        };
    }
    let after = match change.get("after") {
        None | Some(Value::Null) => None,
        Some(v @ Value::Object(_)) => Some(v),
        Some(_) => return Err((".change.after", "`change.after` is not an object")),
    };
    let raw = Raw {
        address,
        type_name,
        label,
        data,
        key,
        module,
        after,
        unknown: change.get("after_unknown"),
        sensitive: change.get("after_sensitive"),
        line,
    };
    let (inst, sensitive) = instance(raw, allow);
    Ok(Some(Outcome::Keep(inst, sensitive)))
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
fn instance(raw: Raw, allow: &AllowList) -> (Instance, Vec<String>) {
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

/// Data sources in `prior_state.values.root_module` and its `child_modules`, recursively.
/// This section is a convenience copy Terraform adds; an entry of another shape is passed over.
fn prior_data(module: &Value, allow: &AllowList, depth: u32, out: &mut Vec<(Instance, Vec<String>)>) {
    if depth > 64 {
        return;
    }
    let path = match module.get("address").and_then(Value::as_str) {
        Some(a) => address::module_path(a),
        None => Some(Vec::new()),
    };
    for r in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
        let text = |k: &str| r.get(k).and_then(Value::as_str);
        let (Some("data"), Some(address), Some(type_name), Some(label)) =
            (text("mode"), text("address"), text("type"), text("name"))
        else {
            continue;
        };
        let raw = Raw {
            address,
            type_name,
            label,
            data: true,
            key: r.get("index").and_then(key_of),
            module: path.clone(),
            after: r.get("values").filter(|v| v.is_object()),
            unknown: None,
            sensitive: r.get("sensitive_values"),
            line: None,
        };
        out.push(instance(raw, allow));
    }
    for child in module.get("child_modules").and_then(Value::as_array).into_iter().flatten() {
        prior_data(child, allow, depth + 1, out);
    }
}
