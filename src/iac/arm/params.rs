//! Reads a parameters file in the deploymentParameters format (what the portal exports and what
//! `bicep build-params` writes): `{ "parameters": { "name": { "value": ... } } }`, or a Key Vault
//! `reference` in place of `value` (known only at deployment: unknown here). Values are taken
//! literally; nothing in a parameters file is an expression.

use std::collections::HashMap;

use super::json::{self, Json};
use super::value::Value;
use crate::error::Diagnostic;

/// The parameters a file gives, by lower-cased name (`None` for a Key Vault reference), and their
/// names as written, in file order.
pub(crate) struct Given {
    pub values: HashMap<String, Option<Value>>,
    pub names: Vec<String>,
}

pub(crate) fn read(file: &str, text: &str) -> Result<Given, Vec<Diagnostic>> {
    let doc = json::parse(text).map_err(|e| {
        vec![Diagnostic::new(file, format!("invalid JSON: {}", e.message)).at(u64::from(e.line), u64::from(e.col))]
    })?;
    let at = |node: &Json, path: &str, message: &str| {
        Diagnostic::new(file, message).at(u64::from(node.line), u64::from(node.col)).path(path)
    };
    if doc.get("resources").is_some() {
        return Err(vec![
            at(&doc, "", "this is a deployment template, not a parameters file")
                .help("pass the template as TEMPLATE and its parameters file with --parameters"),
        ]);
    }
    let Some(params) = doc.get("parameters").filter(|p| matches!(p.kind, json::Kind::Object(_))) else {
        return Err(vec![
            at(&doc, "", "not a deployment parameters file: it has no \"parameters\" object")
                .help("a parameters file looks like { \"parameters\": { \"name\": { \"value\": ... } } }"),
        ]);
    };
    let mut values = HashMap::new();
    let mut names = Vec::new();
    let mut errors = Vec::new();
    for (name, entry) in params.entries() {
        let path = format!("parameters.{name}");
        let source = if let Some(v) = entry.get("value") {
            match Value::from_json(v) {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.push(at(v, &format!("{path}.value"), &e.message));
                    continue;
                }
            }
        } else if entry.get("reference").is_some() {
            None
        } else {
            errors.push(at(entry, &path, "a parameter needs a \"value\" (or a Key Vault \"reference\")"));
            continue;
        };
        names.push(name.clone());
        values.insert(name.to_ascii_lowercase(), source);
    }
    if errors.is_empty() { Ok(Given { values, names }) } else { Err(errors) }
}
