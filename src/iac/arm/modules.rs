//! Outputs of nested deployments: Bicep modules pass ids to each other through them
//! (`reference(resourceId('Microsoft.Resources/deployments', 'storage')).outputs.id.value`, or
//! `reference('storage')` in `languageVersion: 2.0`), and a private endpoint module typically gets
//! its target that way. A deployment with an inline template is registered with the scope that
//! declares it before that scope's resources are read; `reference()` to it evaluates the
//! template's `outputs` in the deployment's own scope, once. An output that cannot be evaluated
//! offline is unknown, and a `reference()` to anything else stays unknown.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use super::eval::{Ctx, eval_node};
use super::json::Json;
use super::scope::Scope;
use super::value::Value;

pub(crate) struct Module<'a> {
    /// Lower-cased: the deployment's id, its name, and its symbolic name in a 2.0 template.
    keys: Vec<String>,
    name: String,
    scope: Weak<Scope<'a>>,
    template: &'a Json,
    base: String,
    outputs: RefCell<Option<Value>>,
    busy: Cell<bool>,
}

impl<'a> Module<'a> {
    pub fn new(
        id: &str,
        name: &str,
        symbol: Option<&str>,
        scope: &Rc<Scope<'a>>,
        template: &'a Json,
        base: &str,
    ) -> Module<'a> {
        let mut keys = vec![id.to_ascii_lowercase(), name.to_ascii_lowercase()];
        keys.extend(symbol.map(str::to_ascii_lowercase));
        Module {
            keys,
            name: name.to_ascii_lowercase(),
            scope: Rc::downgrade(scope),
            template,
            base: base.to_string(),
            outputs: RefCell::new(None),
            busy: Cell::new(false),
        }
    }

    /// Whether `reference(target)` names this deployment: by id, name or symbolic name, or by an
    /// id in another resource group that ends in `/deployments/<name>`.
    pub fn is(&self, target: &str) -> bool {
        let t = target.to_ascii_lowercase();
        self.keys.contains(&t)
            || t.rsplit_once("/providers/microsoft.resources/deployments/").is_some_and(|(_, n)| n == self.name)
    }

    /// `{ outputs: { name: { type, value } } }`, as `reference()` gives for a deployment.
    pub fn reference(&self, cx: &Ctx<'a, '_>) -> Value {
        if let Some(v) = self.outputs.borrow().as_ref() {
            return v.clone();
        }
        let (Some(scope), false) = (self.scope.upgrade(), self.busy.get()) else { return Value::unknown() };
        self.busy.set(true);
        let value = self.evaluate(&scope, cx).unwrap_or_else(Value::unknown);
        self.busy.set(false);
        *self.outputs.borrow_mut() = Some(value.clone());
        value
    }

    fn evaluate(&self, scope: &Rc<Scope<'a>>, cx: &Ctx<'a, '_>) -> Option<Value> {
        let inner = Ctx { scope, loops: &[], lambdas: &[], fn_args: None, ..cx.deeper().ok()? };
        let mut outputs = Vec::new();
        for (name, out) in self.template.get("outputs").map(Json::entries).unwrap_or_default() {
            let value = match out.get("value") {
                Some(v) => eval_node(v, &format!("{}outputs.{name}.value", self.base), &inner)
                    .unwrap_or_else(|_| Value::unknown()),
                None => Value::unknown(),
            };
            let ty = out.get("type").and_then(Json::as_str).map_or(Value::Null, Value::str);
            outputs.push((
                Rc::from(name.as_str()),
                Value::object(vec![("type".into(), ty), ("value".into(), value)]).ok()?,
            ));
        }
        Value::object(vec![("outputs".into(), Value::object(outputs).ok()?)]).ok()
    }
}
