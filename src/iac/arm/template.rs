//! Walks a template's resources: `copy` loops, `condition`, child resources nested in a resource's
//! own `resources` (flattened, with full type and name), `languageVersion: 2.0` templates whose
//! `resources` is an object keyed by symbolic name, `existing` resources, and nested
//! `Microsoft.Resources/deployments` with an inline template, evaluated in inner scope (its own
//! parameters, given by the deployment's `parameters`) or outer scope (the parent's names).
//! Bicep modules compile to the inner kind.
//!
//! A deployment is a container, not a resource: its template's resources are read in its place,
//! with JSON paths through it (`resources[1].properties.template.resources[0]`). A linked
//! template (`templateLink`) cannot be read offline and is listed as skipped.

use std::collections::HashMap;
use std::rc::Rc;

use super::collect;
use super::eval::{Ctx, Engine, Loop, LoopKind, count_of, eval_node, give_values_help, no_value, property_loops};
use super::failure::{Failure, Result};
use super::functions::resource_id_of;
use super::json::{Json, Kind};
use super::limits::MAX_DEPLOYMENT_DEPTH;
use super::modules::Module;
use super::scope::{Level, Scope, Source, Target};
use super::value::Value;
use crate::iac::model::{Attr, Resource, Skipped};

/// A resource read, with what linking it needs.
pub(crate) struct Built {
    pub resource: Resource,
    pub id: Option<String>,
    pub id_texts: Vec<(String, String)>,
}

pub(crate) struct Walker<'a, 'e> {
    pub eng: &'e Engine<'e>,
    pub built: Vec<Built>,
    pub skipped: Vec<Skipped>,
    /// Value-less parameters that decide prices: reported together at the end.
    pub priced: Vec<Failure>,
    /// The scopes of nested deployments prepared before their template is read, by the JSON
    /// path of the deployment (they own the scopes that [`Module`]s only point to).
    prepared: HashMap<String, (Rc<Scope<'a>>, Target)>,
}

/// Where a resource sits: its template's scope and target, the loops around it, its parent.
#[derive(Clone, Copy)]
struct Place<'a, 'p> {
    scope: &'p Rc<Scope<'a>>,
    target: &'p Target,
    loops: &'p [Loop],
    parent: Option<(&'p str, &'p str)>,
    depth: usize,
}

const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

impl<'a, 'e> Walker<'a, 'e> {
    pub fn new(eng: &'e Engine<'e>) -> Walker<'a, 'e> {
        Walker { eng, built: Vec::new(), skipped: Vec::new(), priced: Vec::new(), prepared: HashMap::new() }
    }

    /// The resources of `template`, whose JSON path prefix is `base`.
    pub fn template(
        &mut self,
        template: &'a Json,
        base: &str,
        scope: &Rc<Scope<'a>>,
        target: &Target,
        loops: &[Loop],
        depth: usize,
    ) -> Result<()> {
        let place = Place { scope, target, loops, parent: None, depth };
        self.register_modules(template, base, place);
        match template.get("resources").map(|r| &r.kind) {
            Some(Kind::Array(items)) => {
                for (i, node) in items.iter().enumerate() {
                    self.resource(node, &format!("{base}resources[{i}]"), place)?;
                }
            }
            Some(Kind::Object(entries)) => {
                for (symbol, node) in entries {
                    self.resource(node, &format!("{base}resources{}", symbol_path(symbol)), place)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn resource(&mut self, node: &'a Json, path: &str, place: Place<'a, '_>) -> Result<()> {
        if !matches!(node.kind, Kind::Object(_)) {
            return Err(Failure::new("a resource must be an object").locate(path, node.line, node.col));
        }
        let Some(copy) = node.get("copy") else { return self.instance(node, path, place) };
        let cx = Ctx::new(self.eng, place.scope, place.loops);
        let name = match copy.get("name") {
            Some(n) => eval_node(n, &format!("{path}.copy.name"), &cx)?,
            None => Value::str("copy"),
        };
        let name: Rc<str> = match name {
            Value::Str(n) => n,
            // Named by a value-less parameter: copyIndex() without a name still works.
            Value::Unknown(u) => u.label.clone().unwrap_or_else(|| Rc::from("<copy>")),
            _ => return Err(Failure::new("a copy loop's name must be a string").locate(path, copy.line, copy.col)),
        };
        let count_path = format!("{path}.copy.count");
        let count_node = copy.get("count").unwrap_or(copy);
        let count_value = eval_node(count_node, &count_path, &cx)?;
        let placeholder = count_value.as_unknown().is_some_and(|u| !u.placeholders.is_empty());
        let unknown = count_value.as_unknown().is_some();
        let count = count_of(count_value).map_err(|e| e.locate(&count_path, count_node.line, count_node.col));
        let count = match count {
            Err(e) if placeholder => {
                self.priced.push(e);
                return Ok(());
            }
            Err(_) if unknown => {
                let type_name = literal_type(node, place.parent);
                let address = format!("{type_name} ({path})");
                let reason = format!("its copy count ({count_path}) is only known at deployment");
                self.eng.warn(format!("{address}: {reason}; its instances are not imported"));
                self.skipped.push(Skipped { address, type_name, reason });
                return Ok(());
            }
            other => other?,
        };
        if count == 0 {
            let type_name = literal_type(node, place.parent);
            self.skipped.push(Skipped {
                address: format!("{type_name} ({path})"),
                type_name,
                reason: format!("its copy loop '{name}' has a count of 0"),
            });
        }
        for index in 0..count {
            let mut loops = place.loops.to_vec();
            loops.push(Loop { name: name.clone(), index, kind: LoopKind::Resource });
            self.instance(node, path, Place { loops: &loops, ..place })?;
        }
        Ok(())
    }

    fn instance(&mut self, node: &'a Json, path: &str, place: Place<'a, '_>) -> Result<()> {
        let cx = Ctx::new(self.eng, place.scope, place.loops);
        // Azure does not evaluate a resource whose condition is false: its name may not even be
        // computable then, so a failure to name it only counts for a resource that is deployed.
        let named = self.type_and_name(node, path, place, &cx);
        if node.get("condition").is_some() {
            let (full_type, address) = match &named {
                Ok((t, n)) => (t.clone(), address(t, n, path, place.loops)),
                Err(_) => {
                    let t = literal_type(node, place.parent);
                    (t.clone(), format!("{t} ({path})"))
                }
            };
            if !self.deployed(node, path, &cx, &address, &full_type)? {
                self.skip_children(node, path, &full_type, &address);
                return Ok(());
            }
        }
        let (full_type, full_name) = named?;
        let address = address(&full_type, &full_name, path, place.loops);
        if full_type.eq_ignore_ascii_case(DEPLOYMENTS) {
            return self.deployment(node, path, place, &cx, &address, &full_name);
        }
        self.eng.budget.resource()?;
        let mut got = collect::resource(node, &full_type, path, &cx)?;
        self.priced.append(&mut got.priced);
        got.attrs.insert("name".to_string(), name_attr(&full_name));
        let location = got.attrs.get("location").cloned().unwrap_or(Attr::Known(serde_json::Value::Null));
        let target = self.target_of(node, path, place.target, &cx)?;
        let scope = match node.get("scope") {
            Some(s) => eval_node(s, &format!("{path}.scope"), &cx)?.as_str().map(str::to_string),
            None => None,
        };
        let id = (!full_name.contains("<unknown>"))
            .then(|| resource_id_of(&target, &full_type, &full_name, scope.as_deref()));
        let existing = matches!(node.get("existing").map(|e| &e.kind), Some(Kind::Bool(true)));
        self.built.push(Built {
            resource: Resource {
                address: address.clone(),
                type_name: full_type.clone(),
                existing,
                name: full_name.clone(),
                location,
                attrs: got.attrs,
                refs: Default::default(),
                line: Some(u64::from(node.line)),
            },
            id,
            id_texts: got.id_texts,
        });
        if let Some(Kind::Array(children)) = node.get("resources").map(|r| &r.kind) {
            for (j, child) in children.iter().enumerate() {
                let parent = Some((full_type.as_str(), full_name.as_str()));
                self.resource(child, &format!("{path}.resources[{j}]"), Place { parent, ..place })?;
            }
        }
        Ok(())
    }

    fn type_and_name(&self, node: &Json, path: &str, place: Place<'a, '_>, cx: &Ctx) -> Result<(String, String)> {
        let type_path = format!("{path}.type");
        let ty = match node.get("type") {
            Some(t) => eval_node(t, &type_path, cx)?,
            None => Value::Null,
        };
        let Value::Str(ty) = ty else {
            return Err(
                Failure::new("a resource's type must be a known string").locate(&type_path, node.line, node.col)
            );
        };
        let name = match node.get("name") {
            Some(n) => eval_node(n, &format!("{path}.name"), cx)?,
            None => Value::Null,
        };
        let name = match &name {
            Value::Str(s) => s.to_string(),
            Value::Unknown(u) => u.label.as_deref().unwrap_or("<unknown>").to_string(),
            _ => {
                return Err(Failure::new("a resource's name must be a string").locate(
                    &format!("{path}.name"),
                    node.line,
                    node.col,
                ));
            }
        };
        Ok(match place.parent {
            None => (ty.to_string(), name),
            Some((pt, pn)) if !ty.contains('/') => (format!("{pt}/{ty}"), format!("{pn}/{name}")),
            Some((_, pn)) => {
                // A child written with its full type: its name is full when it has a segment per type.
                let segments = ty.split('/').count() - 1;
                let full = if name.split('/').count() >= segments { name } else { format!("{pn}/{name}") };
                (ty.to_string(), full)
            }
        })
    }

    /// Whether the resource is deployed: no condition, or one that is true (or unknown only at
    /// deployment, with a warning). A value-less parameter deciding it is reported as priced.
    fn deployed(&mut self, node: &Json, path: &str, cx: &Ctx, address: &str, full_type: &str) -> Result<bool> {
        let Some(cond) = node.get("condition") else { return Ok(true) };
        let cond_path = format!("{path}.condition");
        let v = eval_node(cond, &cond_path, cx)?;
        match v {
            Value::Bool(true) => Ok(true),
            Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::Bool(false) => {
                self.skip(address, full_type, format!("its condition ({cond_path}) is false"));
                Ok(false)
            }
            Value::Str(s) if s.eq_ignore_ascii_case("false") => {
                self.skip(address, full_type, format!("its condition ({cond_path}) is false"));
                Ok(false)
            }
            Value::Unknown(u) if !u.placeholders.is_empty() => {
                let message = format!("{}, and it decides whether {address} is deployed", no_value(&u.placeholders));
                let help = give_values_help(&u.placeholders);
                self.priced.push(Failure::new(message).help(help).locate(&cond_path, cond.line, cond.col));
                Ok(false)
            }
            Value::Unknown(_) => {
                self.eng.warn(format!(
                    "{address}: its condition ({cond_path}) is only known at deployment; it is read as deployed"
                ));
                Ok(true)
            }
            other => Err(Failure::new(format!("a condition must be a boolean, not {}", other.kind_name()))
                .locate(&cond_path, cond.line, cond.col)),
        }
    }

    fn skip(&mut self, address: &str, type_name: &str, reason: String) {
        self.skipped.push(Skipped { address: address.to_string(), type_name: type_name.to_string(), reason });
    }

    /// The children of a resource that is not deployed, listed without evaluating them.
    fn skip_children(&mut self, node: &Json, path: &str, parent_type: &str, parent_address: &str) {
        for (j, child) in node.get("resources").map(Json::items).unwrap_or_default().iter().enumerate() {
            let child_path = format!("{path}.resources[{j}]");
            let type_name = literal_type(child, Some((parent_type, "")));
            let address = format!("{type_name} ({child_path})");
            self.skip(&address, &type_name, format!("its parent {parent_address} is not deployed"));
            self.skip_children(child, &child_path, &type_name, &address);
        }
    }

    /// A resource's own `subscriptionId` / `resourceGroup` (another group's existing resource, or
    /// a deployment into another group).
    fn target_of(&self, node: &Json, path: &str, target: &Target, cx: &Ctx) -> Result<Target> {
        let mut t = target.clone();
        if let Some(s) = node.get("subscriptionId")
            && let Value::Str(s) = eval_node(s, &format!("{path}.subscriptionId"), cx)?
        {
            t.subscription = s;
        }
        if let Some(rg) = node.get("resourceGroup")
            && let Value::Str(rg) = eval_node(rg, &format!("{path}.resourceGroup"), cx)?
        {
            t.resource_group = rg;
            t.level = Level::ResourceGroup;
        }
        Ok(t)
    }

    fn deployment(
        &mut self,
        node: &'a Json,
        path: &str,
        place: Place<'a, '_>,
        cx: &Ctx,
        address: &str,
        name: &str,
    ) -> Result<()> {
        let Some(template) = node.get("properties").and_then(|p| p.get("template")) else {
            let reason = if node.get("properties").and_then(|p| p.get("templateLink")).is_some() {
                "a linked template (properties.templateLink) cannot be read offline; its resources are not imported"
            } else {
                "the deployment has no inline template"
            };
            self.eng.warn(format!("{address}: {reason}"));
            self.skip(address, DEPLOYMENTS, reason.to_string());
            return Ok(());
        };
        if place.depth >= MAX_DEPLOYMENT_DEPTH {
            return Err(Failure::new(format!("nested deployments go deeper than {MAX_DEPLOYMENT_DEPTH} levels"))
                .locate(path, node.line, node.col));
        }
        let base = format!("{path}.properties.template.");
        let prepared = if place.loops.is_empty() { self.prepared.get(path).cloned() } else { None };
        let (scope, target) = match prepared {
            Some(p) => p,
            None => self.prepare(node, template, path, place, cx, name)?,
        };
        if Rc::ptr_eq(&scope, place.scope) {
            return self.template(template, &base, place.scope, &target, place.loops, place.depth + 1);
        }
        for missing in scope.missing_parameters(template) {
            self.eng.warn(format!(
                "{address}: the nested template's parameter '{missing}' is given no value; it is read as the placeholder <{missing}>"
            ));
        }
        self.template(template, &base, &scope, &target, &[], place.depth + 1)
    }

    /// The scope a nested deployment's template is evaluated in (the parent's own in outer scope)
    /// and where it deploys.
    fn prepare(
        &self,
        node: &'a Json,
        template: &'a Json,
        path: &str,
        place: Place<'a, '_>,
        cx: &Ctx,
        name: &str,
    ) -> Result<(Rc<Scope<'a>>, Target)> {
        let props = node.get("properties");
        let mut target = self.target_of(node, path, place.target, cx)?;
        if node.get("resourceGroup").is_none() {
            let inner = Target::for_schema(template.get("$schema").and_then(Json::as_str));
            if inner.level == Level::Subscription && target.level != Level::ResourceGroup {
                target.level = Level::Subscription;
            }
        }
        let scope_path = format!("{path}.properties.expressionEvaluationOptions.scope");
        let inner_scope = match props.and_then(|p| p.get("expressionEvaluationOptions")).and_then(|o| o.get("scope")) {
            Some(s) => eval_node(s, &scope_path, cx)?.as_str().is_some_and(|s| s.eq_ignore_ascii_case("inner")),
            None => false,
        };
        // A nested template that declares parameters and is given them is evaluated on its own
        // even without `scope: inner` (Azure deploys such templates; the outer names would not
        // hold its parameters).
        let declares = template.get("parameters").is_some_and(|p| !p.entries().is_empty());
        let given = props.and_then(|p| p.get("parameters")).is_some_and(|p| !p.entries().is_empty());
        if !(inner_scope || declares && given) {
            return Ok((place.scope.clone(), target));
        }
        let sources = passed_parameters(props, path, place);
        let base = format!("{path}.properties.template.");
        Ok((Rc::new(Scope::new(template, &base, sources, target.clone(), Rc::from(name))), target))
    }

    /// Registers the template's nested deployments (those outside loops, with an inline template)
    /// so that `reference()` finds their outputs even before they are read.
    fn register_modules(&mut self, template: &'a Json, base: &str, place: Place<'a, '_>) {
        let nodes: Vec<(String, Option<&str>, &'a Json)> = match template.get("resources").map(|r| &r.kind) {
            Some(Kind::Array(items)) => {
                items.iter().enumerate().map(|(i, n)| (format!("{base}resources[{i}]"), None, n)).collect()
            }
            Some(Kind::Object(entries)) => entries
                .iter()
                .map(|(k, n)| (format!("{base}resources{}", symbol_path(k)), Some(k.as_str()), n))
                .collect(),
            _ => Vec::new(),
        };
        let cx = Ctx::new(self.eng, place.scope, place.loops);
        for (path, symbol, node) in nodes {
            let is_deployment =
                node.get("type").and_then(Json::as_str).is_some_and(|t| t.eq_ignore_ascii_case(DEPLOYMENTS));
            let Some(template) = node.get("properties").and_then(|p| p.get("template")) else { continue };
            if !is_deployment || node.get("copy").is_some() {
                continue;
            }
            let Ok(Value::Str(name)) =
                node.get("name").map_or(Ok(Value::Null), |n| eval_node(n, &format!("{path}.name"), &cx))
            else {
                continue;
            };
            let Ok((scope, target)) = self.prepare(node, template, &path, place, &cx, &name) else { continue };
            let id = resource_id_of(&target, DEPLOYMENTS, &name, None);
            let module = Module::new(&id, &name, symbol, &scope, template, &format!("{path}.properties.template."));
            place.scope.modules.borrow_mut().push(Rc::new(module));
            self.prepared.insert(path, (scope, target));
        }
    }
}

/// An inner-scope deployment's `properties.parameters`: values evaluated where the deployment is,
/// Key Vault references unknown.
fn passed_parameters<'a>(props: Option<&'a Json>, path: &str, place: Place<'a, '_>) -> HashMap<String, Source<'a>> {
    let mut sources = HashMap::new();
    for (name, entry) in props.and_then(|p| p.get("parameters")).map(Json::entries).unwrap_or_default() {
        let entry_path = format!("{path}.properties.parameters.{name}");
        let passed = |node, path, looped| Source::Passed {
            scope: place.scope.clone(),
            loops: place.loops.to_vec(),
            node,
            path,
            looped,
        };
        let source = if let Some(value) = entry.get("value") {
            passed(value, format!("{entry_path}.value"), false)
        } else if entry.get("copy").is_some_and(|c| property_loops("copy", c).is_some()) || entry.as_str().is_some() {
            // `{ "copy": [{ "name": "value", ... }] }`, or an expression giving `{ "value": ... }`.
            passed(entry, entry_path, true)
        } else if entry.get("reference").is_some() {
            Source::Deferred
        } else {
            continue;
        };
        sources.insert(name.to_ascii_lowercase(), source);
    }
    sources
}

/// `resources.name` for a symbolic name, `resources['odd name']` when it is not an identifier.
fn symbol_path(symbol: &str) -> String {
    if !symbol.is_empty() && symbol.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!(".{symbol}")
    } else {
        format!("['{}']", symbol.replace('\'', "''"))
    }
}

/// `Type/name (path)`, with the copy indices of the loops around it: `(resources[2], copy 1)`.
fn address(full_type: &str, full_name: &str, path: &str, loops: &[Loop]) -> String {
    let copies: Vec<String> =
        loops.iter().filter(|l| l.kind == LoopKind::Resource).map(|l| l.index.to_string()).collect();
    if copies.is_empty() {
        format!("{full_type}/{full_name} ({path})")
    } else {
        format!("{full_type}/{full_name} ({path}, copy {})", copies.join("."))
    }
}

fn name_attr(full_name: &str) -> Attr {
    if full_name.contains('<') { Attr::Unknown } else { Attr::Known(serde_json::Value::String(full_name.to_string())) }
}

/// A resource's type as written (for resources that are listed without being evaluated).
fn literal_type(node: &Json, parent: Option<(&str, &str)>) -> String {
    let ty = node.get("type").and_then(Json::as_str).filter(|t| !t.starts_with('[')).unwrap_or("(type not evaluated)");
    match parent {
        Some((pt, _)) if !ty.contains('/') => format!("{pt}/{ty}"),
        _ => ty.to_string(),
    }
}
