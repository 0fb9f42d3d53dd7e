//! Test helpers: evaluate one template string in an empty template and show the result as compact
//! JSON, `unknown` / `unknown(<label>)`, or `error: message`.

use std::collections::HashMap;
use std::rc::Rc;

use super::eval::{Ctx, Engine, eval_string};
use super::json::{Json, Kind};
use super::scope::{Scope, Target};
use super::value::{Value, write_json};
use crate::iac::model::AllowList;

pub(crate) fn eval_str(expression: &str) -> String {
    eval_in(expression, Some("eastus"))
}

pub(crate) fn eval_str_no_region(expression: &str) -> String {
    eval_in(expression, None)
}

fn eval_in(expression: &str, region: Option<&str>) -> String {
    let allow = AllowList::default();
    let eng = Engine { allow: &allow, region, budget: Default::default(), warnings: Default::default() };
    let template = Json { kind: Kind::Object(Vec::new()), line: 1, col: 1 };
    let scope = Rc::new(Scope::new(&template, "", HashMap::new(), Target::for_schema(None), Rc::from("azuredeploy")));
    let node = Json { kind: Kind::Str(expression.to_string()), line: 1, col: 1 };
    let cx = Ctx::new(&eng, &scope, &[]);
    match eval_string(expression, &node, "test", &cx) {
        Ok(v) => show(&v),
        Err(e) => format!("error: {}", e.message),
    }
}

pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::Unknown(u) => match &u.label {
            Some(l) => format!("unknown({l})"),
            None => "unknown".to_string(),
        },
        v => {
            let mut s = String::new();
            write_json(v, &mut s).expect("writing to a String cannot fail");
            s
        }
    }
}
