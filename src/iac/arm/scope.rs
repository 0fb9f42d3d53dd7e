//! One template's names: its parameters (a given value, a default, a value passed by the enclosing
//! deployment, or a placeholder), its variables (including `copy` variables) and its user-defined
//! functions, plus where it deploys (subscription, resource group) and under which deployment name.
//!
//! Parameters and variables are evaluated when first used and remembered, so that a value nothing
//! needs (an artifacts URL, a script) is never evaluated and cannot fail the import.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::eval::{Ctx, Loop, LoopKind, eval_node, loop_header};
use super::failure::{Failure, Result};
use super::json::{Json, Kind};
use super::modules::Module;
use super::value::{Unknown, Value};

/// The placeholder subscription every resource id is computed in.
pub(crate) const SUBSCRIPTION_ID: &str = "00000000-0000-0000-0000-000000000000";
/// The placeholder tenant.
pub(crate) const TENANT_ID: &str = "00000000-0000-0000-0000-000000000001";
/// The placeholder resource group a resource-group template deploys to.
pub(crate) const RESOURCE_GROUP: &str = "closednet-import";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    ResourceGroup,
    Subscription,
    ManagementGroup,
    Tenant,
}

/// Where a template's resources are deployed.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub level: Level,
    pub subscription: Rc<str>,
    pub resource_group: Rc<str>,
}

impl Target {
    /// The level a template's `$schema` names (resource group when it names none).
    pub fn for_schema(schema: Option<&str>) -> Target {
        let s = schema.unwrap_or("").to_ascii_lowercase();
        let level = if s.contains("subscriptiondeploymenttemplate") {
            Level::Subscription
        } else if s.contains("managementgroupdeploymenttemplate") {
            Level::ManagementGroup
        } else if s.contains("tenantdeploymenttemplate") {
            Level::Tenant
        } else {
            Level::ResourceGroup
        };
        Target { level, subscription: SUBSCRIPTION_ID.into(), resource_group: RESOURCE_GROUP.into() }
    }

    /// The id prefix of a resource deployed here: `/subscriptions/…/resourceGroups/…` and so on.
    pub fn prefix(&self) -> String {
        match self.level {
            Level::ResourceGroup => {
                format!("/subscriptions/{}/resourceGroups/{}", self.subscription, self.resource_group)
            }
            Level::Subscription => format!("/subscriptions/{}", self.subscription),
            Level::ManagementGroup => "/providers/Microsoft.Management/managementGroups/closednet-import".to_string(),
            Level::Tenant => String::new(),
        }
    }
}

/// Where a parameter's value comes from.
pub(crate) enum Source<'a> {
    /// From the parameters file (already a value).
    Given(Value),
    /// Passed by an enclosing deployment's `properties.parameters.<name>.value`, evaluated where
    /// the deployment is. `looped` when the whole entry gives the value: a `copy` loop named
    /// `value` (`"name": { "copy": [{ "name": "value", ... }] }`), or an expression that
    /// evaluates to `{ "value": ... }` (as Bicep writes optional module parameters).
    Passed { scope: Rc<Scope<'a>>, loops: Vec<Loop>, node: &'a Json, path: String, looped: bool },
    /// A Key Vault `reference`: known at deployment only.
    Deferred,
}

struct Param<'a> {
    name: String,
    ty: String,
    decl: &'a Json,
    path: String,
    source: Option<Source<'a>>,
}

enum Var<'a> {
    Node(&'a Json, String),
    Copy(&'a Json, String),
}

/// A user-defined function: `ns.name`.
pub(crate) struct UserFn<'a> {
    pub params: Vec<Rc<str>>,
    pub output: &'a Json,
    pub path: String,
}

enum Memo {
    Busy,
    Done(Value),
}

pub(crate) struct Scope<'a> {
    pub target: Target,
    pub deployment_name: Rc<str>,
    /// The nested deployments this template declares, for `reference(...).outputs`.
    pub modules: RefCell<Vec<Rc<Module<'a>>>>,
    params: HashMap<String, Param<'a>>,
    vars: HashMap<String, Var<'a>>,
    functions: HashMap<String, UserFn<'a>>,
    memo: RefCell<HashMap<String, Memo>>,
}

impl<'a> Scope<'a> {
    /// The names `template` declares. `base` is its JSON path prefix (`""` or
    /// `resources[1].properties.template.`); `sources` the values given for its parameters.
    pub fn new(
        template: &'a Json,
        base: &str,
        mut sources: HashMap<String, Source<'a>>,
        target: Target,
        deployment_name: Rc<str>,
    ) -> Scope<'a> {
        let mut params = HashMap::new();
        for (name, decl) in template.get("parameters").map(Json::entries).unwrap_or_default() {
            let ty = decl.get("type").and_then(Json::as_str).unwrap_or("").to_ascii_lowercase();
            let source = sources.remove(&name.to_ascii_lowercase());
            let path = format!("{base}parameters.{name}");
            params.insert(name.to_ascii_lowercase(), Param { name: name.clone(), ty, decl, path, source });
        }
        let mut vars = HashMap::new();
        for (name, node) in template.get("variables").map(Json::entries).unwrap_or_default() {
            let path = format!("{base}variables.{name}");
            if name.eq_ignore_ascii_case("copy") && super::eval::property_loops(name, node).is_some() {
                for (i, decl) in node.items().iter().enumerate() {
                    if let Some(n) = decl.get("name").and_then(Json::as_str) {
                        vars.insert(n.to_ascii_lowercase(), Var::Copy(decl, format!("{base}variables.copy[{i}]")));
                    }
                }
            } else {
                vars.insert(name.to_ascii_lowercase(), Var::Node(node, path));
            }
        }
        let functions = user_functions(template, base);
        let modules = RefCell::new(Vec::new());
        Scope { target, deployment_name, modules, params, vars, functions, memo: RefCell::new(HashMap::new()) }
    }

    /// Parameters with no value anywhere, in declaration order (for the warnings).
    pub fn missing_parameters(&self, template: &Json) -> Vec<String> {
        let mut out = Vec::new();
        for (name, _) in template.get("parameters").map(Json::entries).unwrap_or_default() {
            if let Some(p) = self.params.get(&name.to_ascii_lowercase())
                && p.source.is_none()
                && p.decl.get("defaultValue").is_none()
                && !nullable(p.decl)
            {
                out.push(p.name.clone());
            }
        }
        out
    }

    /// The nested deployment `reference(target)` names, if this template declares it.
    pub fn module(&self, target: &str) -> Option<Rc<Module<'a>>> {
        self.modules.borrow().iter().find(|m| m.is(target)).cloned()
    }

    pub fn function(&self, full_name: &str) -> Option<&UserFn<'a>> {
        self.functions.get(&full_name.to_ascii_lowercase())
    }

    pub fn parameter(self: &Rc<Self>, name: &str, cx: &Ctx<'a, '_>) -> Result<Value> {
        let key = name.to_ascii_lowercase();
        let Some(p) = self.params.get(&key) else {
            return Err(Failure::new(format!("parameter '{name}' is not declared in the template")));
        };
        self.remembered(format!("p:{key}"), &format!("parameter '{}'", p.name), || {
            let value = self.compute_parameter(p, cx)?;
            Ok(coerce(&p.ty, value))
        })
    }

    fn compute_parameter(self: &Rc<Self>, p: &Param<'a>, cx: &Ctx<'a, '_>) -> Result<Value> {
        let secure = p.ty == "securestring" || p.ty == "secureobject";
        let placeholder = || Unknown { label: Some(format!("<{}>", p.name).into()), ..Unknown::default() };
        match &p.source {
            // A secure value is never read: nothing priced depends on a password.
            Some(_) if secure => Ok(Value::unknown_from(placeholder())),
            Some(Source::Given(v)) => Ok(v.clone()),
            Some(Source::Deferred) => Ok(Value::unknown_from(placeholder())),
            Some(Source::Passed { scope, loops, node, path, looped }) => {
                let outer = Ctx { scope, loops, lambdas: &[], fn_args: None, ..cx.deeper()? };
                let v = eval_node(node, path, &outer)?;
                if *looped {
                    super::eval::member(v, "value").map_err(|e| e.locate(path, node.line, node.col))
                } else {
                    Ok(v)
                }
            }
            None => match p.decl.get("defaultValue") {
                Some(_) if secure => Ok(Value::unknown_from(placeholder())),
                Some(d) => {
                    let inner = Ctx { scope: self, loops: &[], lambdas: &[], fn_args: None, ..cx.deeper()? };
                    eval_node(d, &format!("{}.defaultValue", p.path), &inner)
                }
                None if nullable(p.decl) => Ok(Value::Null),
                None => {
                    Ok(Value::unknown_from(Unknown { placeholders: vec![p.name.as_str().into()], ..placeholder() }))
                }
            },
        }
    }

    pub fn variable(self: &Rc<Self>, name: &str, cx: &Ctx<'a, '_>) -> Result<Value> {
        let key = name.to_ascii_lowercase();
        let Some(var) = self.vars.get(&key) else {
            return Err(Failure::new(format!("variable '{name}' is not declared in the template")));
        };
        self.remembered(format!("v:{key}"), &format!("variable '{name}'"), || {
            let inner = Ctx { scope: self, loops: &[], lambdas: &[], fn_args: None, ..cx.deeper()? };
            match var {
                Var::Node(node, path) => eval_node(node, path, &inner),
                Var::Copy(decl, path) => copy_variable(decl, path, &inner),
            }
        })
    }

    /// Evaluates once: later calls get the remembered value; a value that needs itself is an error.
    fn remembered(&self, key: String, what: &str, compute: impl FnOnce() -> Result<Value>) -> Result<Value> {
        match self.memo.borrow().get(&key) {
            Some(Memo::Done(v)) => return Ok(v.clone()),
            Some(Memo::Busy) => return Err(Failure::new(format!("{what} refers to itself"))),
            None => {}
        }
        self.memo.borrow_mut().insert(key.clone(), Memo::Busy);
        let result = compute();
        match &result {
            Ok(v) => self.memo.borrow_mut().insert(key, Memo::Done(v.clone())),
            Err(_) => self.memo.borrow_mut().remove(&key),
        };
        result
    }
}

/// A Bicep `param x string?` compiles to `nullable: true`: no value means null, not a placeholder.
fn nullable(decl: &Json) -> bool {
    matches!(decl.get("nullable").map(|n| &n.kind), Some(Kind::Bool(true)))
}

/// Parameters files often give numbers and booleans as strings; Azure converts them to the
/// declared type, and so does this.
fn coerce(ty: &str, v: Value) -> Value {
    match (ty, &v) {
        ("int", Value::Str(s)) => s.trim().parse::<i64>().map_or(v, Value::Int),
        ("bool", Value::Str(s)) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        ("bool", Value::Str(s)) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        _ => v,
    }
}

fn copy_variable(decl: &Json, path: &str, cx: &Ctx) -> Result<Value> {
    let (name, count) = loop_header(decl, path, cx)?;
    let mut items = Vec::new();
    if let Some(input) = decl.get("input") {
        for index in 0..count {
            let loops = [Loop { name: name.clone(), index, kind: LoopKind::Variable }];
            let inner = Ctx { loops: &loops, ..*cx };
            items.push(eval_node(input, &format!("{path}.input"), &inner)?);
        }
    }
    Value::array(items).map_err(|e| e.locate(path, decl.line, decl.col))
}

/// `functions: [{ namespace, members: { name: { parameters: [{ name }], output: { value } } } }]`.
fn user_functions<'a>(template: &'a Json, base: &str) -> HashMap<String, UserFn<'a>> {
    let mut out = HashMap::new();
    for (i, ns) in template.get("functions").map(Json::items).unwrap_or_default().iter().enumerate() {
        let Some(namespace) = ns.get("namespace").and_then(Json::as_str) else { continue };
        for (name, member) in ns.get("members").map(Json::entries).unwrap_or_default() {
            let Some(output) = member.get("output").and_then(|o| o.get("value")) else { continue };
            let params = member
                .get("parameters")
                .map(Json::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.get("name").and_then(Json::as_str).map(Rc::from))
                .collect();
            let path = format!("{base}functions[{i}].members.{name}.output.value");
            out.insert(format!("{namespace}.{name}").to_ascii_lowercase(), UserFn { params, output, path });
        }
    }
    out
}
