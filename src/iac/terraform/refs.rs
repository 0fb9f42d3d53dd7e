//! Which resources of the plan an allow-listed id attribute points to. A known id is matched
//! against the other instances' own ids. An id unknown until apply (a private endpoint's target
//! created by the same plan) is resolved from `configuration`: the referencing resource's
//! expression at that path, in the module of the referencing instance, followed through module
//! input variables to the calling module's arguments (Infracost #1442) and through module
//! outputs into the called module, with `count.index` / `each.key` taken as the referencing
//! instance's own key, at every module depth (Infracost #1545, #1640, #3206).
//!
//! Nothing is guessed: a reference to a resource with several instances resolves to one of them
//! only when the key is written (`x[0]`), or the expression pairs it with nothing but
//! `count.index` or `each.key` (Terraform lists `x[count.index].id` as `["x", "count.index"]`;
//! `x[count.index + 1]` looks the same and cannot be told apart), or it is `each.value` of a
//! `for_each` over that resource; to all of them when the expression holds no index at all (a
//! splat or a `for`). Locals, functions of keys and anything else are left unresolved.

use super::address::{self, Key, ModulePath, Step, Subject};
use super::plan::{Instance, is_azure_id};
use crate::iac::model::Attr;
use serde_json::{Map, Value};
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

/// How deep module variables and outputs are followed (cycles in a hand-made input stop here).
const MAX_DEPTH: u32 = 32;

/// How many expressions one attribute's resolution may visit: a hand-made configuration whose
/// outputs and variables refer to each other twice over would otherwise branch exponentially
/// within [`MAX_DEPTH`]. Real configurations visit a handful.
const BUDGET: u32 = 4096;

/// What the reference reads of the target: its `id`, the whole object (whose `id` a variable or
/// `each.value` may read later, or behind a dynamic index Terraform does not list), or another
/// attribute (not an id of that resource).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reads {
    Other,
    Whole,
    Id,
}

/// Fills `refs` of every instance.
pub fn link(instances: &mut [Instance], configuration: Option<&Value>) {
    let index = Index::new(instances, configuration);
    let found: Vec<BTreeMap<String, Vec<String>>> = (0..instances.len()).map(|i| index.refs_of(i)).collect();
    for (inst, refs) in instances.iter_mut().zip(found) {
        inst.resource.refs = refs;
    }
}

/// An instance's module path, data or managed, type and name label.
type InstanceKey<'a> = (&'a [Step], bool, &'a str, &'a str);

struct Index<'a> {
    instances: &'a [Instance],
    by_config: HashMap<InstanceKey<'a>, Vec<usize>>,
    by_id: HashMap<&'a str, Vec<usize>>,
    root: Option<&'a Value>,
    /// Configuration resources by (module configuration's address, data, type, name).
    config: HashMap<(usize, bool, &'a str, &'a str), &'a Value>,
    /// Expressions the current attribute's resolution may still visit.
    budget: Cell<u32>,
}

impl<'a> Index<'a> {
    fn new(instances: &'a [Instance], configuration: Option<&'a Value>) -> Index<'a> {
        let mut by_config: HashMap<InstanceKey, Vec<usize>> = HashMap::new();
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, inst) in instances.iter().enumerate() {
            if let Some(m) = &inst.module {
                let k = (m.as_slice(), inst.data, inst.resource.type_name.as_str(), inst.label.as_str());
                by_config.entry(k).or_default().push(i);
            }
            if let Some(id) = &inst.id {
                by_id.entry(id.as_str()).or_default().push(i);
            }
        }
        let root = configuration.and_then(|c| c.get("root_module")).filter(|r| r.is_object());
        let mut config = HashMap::new();
        if let Some(r) = root {
            index_config(r, 0, &mut config);
        }
        Index { instances, by_config, by_id, root, config, budget: Cell::new(BUDGET) }
    }

    fn refs_of(&self, i: usize) -> BTreeMap<String, Vec<String>> {
        let inst = &self.instances[i];
        let mut refs = BTreeMap::new();
        for (path, attr) in &inst.resource.attrs {
            if path == "name" || path == "location" || path == "id" {
                continue;
            }
            let targets = match attr {
                Attr::Known(Value::String(s)) if is_azure_id(s) => {
                    self.by_id.get(s.to_ascii_lowercase().as_str()).cloned().unwrap_or_default()
                }
                Attr::Unknown if holds_id(path) => self.via_config(inst, path),
                _ => continue,
            };
            let addresses: Vec<String> =
                targets.into_iter().filter(|&t| t != i).map(|t| self.instances[t].resource.address.clone()).collect();
            if !addresses.is_empty() {
                refs.insert(path.clone(), addresses);
            }
        }
        refs
    }

    /// The instances the configuration expression at `path` of `inst` points to by id.
    fn via_config(&self, inst: &Instance, path: &str) -> Vec<usize> {
        let Some(module_path) = &inst.module else { return Vec::new() };
        let Some(module) = self.module_config(module_path) else { return Vec::new() };
        let key = (module as *const Value as usize, inst.data, inst.resource.type_name.as_str(), inst.label.as_str());
        let Some(resource) = self.config.get(&key) else { return Vec::new() };
        let Some((expr, inside)) = resource.get("expressions").and_then(|e| expression_at(e, path)) else {
            return Vec::new();
        };
        let scope = Scope {
            path: module_path.clone(),
            module,
            key: inst.key.clone(),
            for_each: resource.get("for_each_expression"),
            pick: None,
        };
        self.budget.set(BUDGET);
        // A principal id is read off a resource's identity (`x.identity[0].principal_id`): it names
        // the resource whose identity acts (a role assignment's caller), not an id.
        let identity = path.ends_with("principal_id");
        let found: Vec<usize> = self
            .resolve(expr, &scope, 0)
            .into_iter()
            .filter(|&(_, r)| r != Reads::Other || identity)
            .map(|(t, _)| t)
            .collect();
        // One element of a list expression: which element is which target is not in the plan.
        if inside && found.len() > 1 { Vec::new() } else { found }
    }

    /// The configuration of the module a module instance path runs.
    fn module_config(&self, path: &[Step]) -> Option<&'a Value> {
        let mut m = self.root?;
        for step in path {
            m = m.get("module_calls")?.get(&step.name)?.get("module")?;
        }
        Some(m)
    }

    /// The instances an expression's `references` name, with what each reads.
    fn resolve(&self, expr: &Value, scope: &Scope<'a>, depth: u32) -> Vec<(usize, Reads)> {
        if depth > MAX_DEPTH || self.budget.get() == 0 {
            return Vec::new();
        }
        self.budget.set(self.budget.get() - 1);
        let Some(list) = expr.get("references").and_then(Value::as_array) else { return Vec::new() };
        let subjects = most_specific(list.iter().filter_map(Value::as_str).filter_map(address::reference).collect());
        let mut found: BTreeMap<usize, Reads> = BTreeMap::new();
        for (n, subject) in subjects.iter().enumerate() {
            let hits = match subject {
                Subject::Resource { data, type_name, name, key, attr, .. } => {
                    let reads = reads_of(attr.as_deref());
                    self.resource(scope, &subjects, n, (*data, type_name, name), key.as_ref())
                        .into_iter()
                        .map(|t| (t, reads))
                        .collect()
                }
                Subject::Var { name, attr, picks } => through(self.var(scope, name, depth), attr, *picks),
                Subject::Module { call, key, output: Some(output), attr, picks } => {
                    through(self.output(scope, &subjects, n, (call, key.as_ref(), output), depth), attr, *picks)
                }
                Subject::EachValue { attr, picks } => through(self.each_value(scope, depth), attr, *picks),
                _ => Vec::new(),
            };
            for (t, r) in hits {
                let e = found.entry(t).or_insert(r);
                *e = (*e).max(r);
            }
        }
        found.into_iter().collect()
    }

    /// The instances a `type.name[key]` reference in `scope` names (see the module docs).
    fn resource(
        &self,
        scope: &Scope<'a>,
        subjects: &[Subject],
        n: usize,
        (data, type_name, name): (bool, &str, &str),
        key: Option<&Key>,
    ) -> Vec<usize> {
        let k = (scope.path.as_slice(), data, type_name, name);
        let all = self.by_config.get(&k).map_or(&[][..], Vec::as_slice);
        let with = |want: &Key| all.iter().copied().filter(|&t| self.instances[t].key.as_ref() == Some(want)).collect();
        if let Some(key) = key {
            return with(key);
        }
        if let [one] = all
            && self.instances[*one].key.is_none()
        {
            return vec![*one];
        }
        if let Some(p) = &scope.pick {
            return with(p);
        }
        if let Some(own) = paired(scope, subjects, n) {
            return with(own);
        }
        if subjects.iter().all(|s| matches!(s, Subject::Resource { .. } | Subject::Module { .. })) {
            return all.to_vec();
        }
        Vec::new()
    }

    /// `var.name` inside a module: the calling module's argument for it.
    fn var(&self, scope: &Scope<'a>, name: &str, depth: u32) -> Vec<(usize, Reads)> {
        let Some((step, parent_path)) = scope.path.split_last() else { return Vec::new() };
        let Some(parent) = self.module_config(parent_path) else { return Vec::new() };
        let Some(call) = parent.get("module_calls").and_then(|c| c.get(&step.name)) else { return Vec::new() };
        let Some(expr) = call.get("expressions").and_then(|e| e.get(name)) else { return Vec::new() };
        let outer = Scope {
            path: parent_path.to_vec(),
            module: parent,
            key: step.key.clone(),
            for_each: call.get("for_each_expression"),
            pick: scope.pick.clone(),
        };
        self.resolve(expr, &outer, depth + 1)
    }

    /// `module.call[key].output`: the output's expression inside that module instance.
    fn output(
        &self,
        scope: &Scope<'a>,
        subjects: &[Subject],
        n: usize,
        (call_name, key, output): (&str, Option<&Key>, &str),
        depth: u32,
    ) -> Vec<(usize, Reads)> {
        let Some(call) = scope.module.get("module_calls").and_then(|c| c.get(call_name)) else { return Vec::new() };
        let Some(module) = call.get("module") else { return Vec::new() };
        let repeated = call.get("count_expression").is_some() || call.get("for_each_expression").is_some();
        let key = match key {
            Some(k) => Some(k.clone()),
            None if !repeated => None,
            None => match paired(scope, subjects, n) {
                Some(own) => Some(own.clone()),
                None => return Vec::new(),
            },
        };
        let Some(expr) = module.get("outputs").and_then(|o| o.get(output)).and_then(|o| o.get("expression")) else {
            return Vec::new();
        };
        let mut path = scope.path.clone();
        path.push(Step { name: call_name.to_string(), key });
        let inner = Scope { path, module, key: None, for_each: None, pick: None };
        self.resolve(expr, &inner, depth + 1)
    }

    /// `each.value` of a `for_each` over resources (or a variable holding them): the element
    /// with the referencing instance's key.
    fn each_value(&self, scope: &Scope<'a>, depth: u32) -> Vec<(usize, Reads)> {
        let (Some(for_each), Some(key)) = (scope.for_each, &scope.key) else { return Vec::new() };
        let inner = Scope {
            path: scope.path.clone(),
            module: scope.module,
            key: None,
            for_each: None,
            pick: Some(key.clone()),
        };
        self.resolve(for_each, &inner, depth + 1)
    }
}

/// Where an expression is evaluated.
struct Scope<'a> {
    /// The module instance.
    path: ModulePath,
    /// That module's configuration.
    module: &'a Value,
    /// The instance key of what owns the expression (a resource, or a module call's instance).
    key: Option<Key>,
    /// The owner's `for_each_expression`, for `each.value`.
    for_each: Option<&'a Value>,
    /// Resolving a `for_each` expression for `each.value`: the element's key.
    pick: Option<Key>,
}

/// The owner's key, when subject `n` is written with nothing but `count.index` (a number key) or
/// `each.key` (a string key) beside it.
fn paired<'s>(scope: &'s Scope, subjects: &[Subject], n: usize) -> Option<&'s Key> {
    let own = scope.key.as_ref()?;
    let mut pair = None;
    for (i, s) in subjects.iter().enumerate() {
        match s {
            Subject::CountIndex if pair.is_none() => pair = Some(matches!(own, Key::Int(_))),
            Subject::EachKey if pair.is_none() => pair = Some(matches!(own, Key::Str(_))),
            _ if i == n => {}
            _ => return None,
        }
    }
    pair.filter(|ok| *ok).map(|_| own)
}

/// What reading `attr` of a resolved value (a variable, an output, `each.value`) reads of its
/// targets; one element of it (`picks`) only when there is one target.
fn through(hits: Vec<(usize, Reads)>, attr: &Option<String>, picks: bool) -> Vec<(usize, Reads)> {
    if picks && hits.len() > 1 {
        return Vec::new();
    }
    match attr.as_deref() {
        None => hits,
        Some(a) => hits
            .into_iter()
            .map(|(t, r)| (t, if a == "id" && r == Reads::Whole { Reads::Id } else { Reads::Other }))
            .collect(),
    }
}

fn reads_of(attr: Option<&str>) -> Reads {
    match attr {
        None => Reads::Whole,
        Some("id") => Reads::Id,
        Some(_) => Reads::Other,
    }
}

/// Drops the shorter forms Terraform lists beside each reference (`x.y[0].id`, `x.y[0]`, `x.y`
/// name one thing), and duplicates.
fn most_specific(subjects: Vec<Subject>) -> Vec<Subject> {
    let mut out: Vec<Subject> = Vec::new();
    for s in &subjects {
        if !out.contains(s) && !subjects.iter().any(|longer| longer != s && extends(longer, s)) {
            out.push(s.clone());
        }
    }
    out
}

/// Whether `longer` names a part of what `shorter` names.
fn extends(longer: &Subject, shorter: &Subject) -> bool {
    use Subject::*;
    match (longer, shorter) {
        (
            Resource { data: d1, type_name: t1, name: n1, key: k1, attr: a1, .. },
            Resource { data: d2, type_name: t2, name: n2, key: k2, attr: a2, .. },
        ) => {
            d1 == d2
                && t1 == t2
                && n1 == n2
                && ((k1.is_some() && k2.is_none()) || (k1 == k2 && a1.is_some() && a2.is_none()))
        }
        (
            Module { call: c1, key: k1, output: o1, attr: a1, .. },
            Module { call: c2, key: k2, output: o2, attr: a2, .. },
        ) => {
            c1 == c2
                && ((k1.is_some() && k2.is_none())
                    || (k1 == k2 && o1.is_some() && o2.is_none())
                    || (k1 == k2 && o1 == o2 && a1.is_some() && a2.is_none()))
        }
        (Var { name: n1, attr: a1, .. }, Var { name: n2, attr: a2, .. }) => n1 == n2 && a1.is_some() && a2.is_none(),
        (EachValue { attr: a1, .. }, EachValue { attr: a2, .. }) => a1.is_some() && a2.is_none(),
        _ => false,
    }
}

/// Whether an attribute path names an id or a list of ids (`..._id`, `..._ids[n]`, `id`).
fn holds_id(path: &str) -> bool {
    let last = path.trim_end_matches(|c: char| c == ']' || c == '[' || c.is_ascii_digit());
    let last = last.rsplit('.').next().unwrap_or(last);
    // `scope` (a role assignment's) holds the id of what it is scoped to.
    last == "id" || last.ends_with("_id") || last.ends_with("_ids") || last == "scope"
}

/// The expression of a flattened attribute path in a block expressions representation (blocks
/// are arrays of objects, or one object for single nesting), and whether the path goes inside
/// the expression's value (one element of a list attribute).
fn expression_at<'v>(expressions: &'v Value, path: &str) -> Option<(&'v Value, bool)> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        steps.push(Step2::Name(name));
        while let Some((i, r)) = rest.split_once(']') {
            steps.push(Step2::Index(i.parse().ok()?));
            rest = r.strip_prefix('[').unwrap_or(r);
        }
    }
    let mut cur = expressions;
    for (n, step) in steps.iter().enumerate() {
        if n > 0 && is_expression(cur) {
            return Some((cur, true));
        }
        cur = match (step, cur) {
            (Step2::Name(k), Value::Object(m)) => m.get(*k)?,
            (Step2::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    is_expression(cur).then_some((cur, false))
}

enum Step2<'p> {
    Name(&'p str),
    Index(usize),
}

/// An expression representation: an object of `constant_value` and/or `references`.
fn is_expression(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.keys().all(|k| k == "constant_value" || k == "references"))
}

/// Every `resources[]` entry of a configuration module and its called modules.
fn index_config<'a>(module: &'a Value, depth: u32, out: &mut HashMap<(usize, bool, &'a str, &'a str), &'a Value>) {
    if depth > 64 {
        return;
    }
    let at = module as *const Value as usize;
    for r in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
        let text = |k: &str| r.get(k).and_then(Value::as_str);
        if let (Some(mode), Some(t), Some(n)) = (text("mode"), text("type"), text("name")) {
            out.insert((at, mode == "data", t, n), r);
        }
    }
    let calls = module.get("module_calls").and_then(Value::as_object).map(Map::values);
    for call in calls.into_iter().flatten() {
        if let Some(m) = call.get("module") {
            index_config(m, depth + 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_paths() {
        assert!(holds_id("private_service_connection[0].private_connection_resource_id"));
        assert!(holds_id("private_dns_zone_group[0].private_dns_zone_ids[1]"));
        assert!(holds_id("private_dns_zone_group[0].private_dns_zone_ids"));
        assert!(holds_id("id"));
        assert!(!holds_id("sku_name"));
        assert!(!holds_id("valid"));
    }

    #[test]
    fn expressions_by_path() {
        let e = serde_json::json!({
            "subnet_id": {"references": ["a.b.id", "a.b"]},
            "private_service_connection": [{"private_connection_resource_id": {"references": ["x.y.id"]}}],
            "ids": {"references": ["p.q.id"]},
            "single": {"inner_id": {"constant_value": "c"}}
        });
        assert_eq!(expression_at(&e, "subnet_id"), Some((&e["subnet_id"], false)));
        let psc = &e["private_service_connection"][0]["private_connection_resource_id"];
        assert_eq!(
            expression_at(&e, "private_service_connection[0].private_connection_resource_id"),
            Some((psc, false))
        );
        assert_eq!(expression_at(&e, "ids[2]"), Some((&e["ids"], true)));
        assert_eq!(expression_at(&e, "single.inner_id"), Some((&e["single"]["inner_id"], false)));
        assert_eq!(expression_at(&e, "private_service_connection[1].private_connection_resource_id"), None);
        assert_eq!(expression_at(&e, "missing"), None);
    }
}
