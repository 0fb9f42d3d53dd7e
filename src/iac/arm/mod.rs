//! The ARM template reader: evaluates a deployment template (what `bicep build` writes, too)
//! offline into [`Read`] resources, keeping only allow-listed attributes and linking the ones that
//! hold resource ids to the resources they name.
//!
//! The template language is evaluated the way Azure Resource Manager does for what a price can
//! depend on: parameters (defaults, or a parameters file), variables, the string, array, object,
//! comparison, logical, numeric, date and resource-id functions, `copy` loops, `condition`, child
//! resources, `languageVersion: 2.0`, `existing` resources and nested deployments. What only a
//! deployment knows (`reference()`, `listKeys()`, secure parameters) is unknown. A parameter with
//! no value anywhere is a named placeholder (a warning) unless it decides a priced attribute (an
//! error naming it). `resourceGroup().location` is the region the caller gives.
//!
//! Nothing is fetched, and work is bounded ([`limits`]). No error, warning or `Debug` output holds
//! a value: messages name functions, parameters and JSON paths.

mod collect;
mod eval;
mod expr;
mod failure;
mod functions;
mod json;
mod lambdas;
mod limits;
mod modules;
mod params;
mod refs;
mod scope;
mod template;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
mod value;

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use self::eval::Engine;
use self::scope::{Scope, Target};
use self::template::Walker;
use crate::error::Diagnostic;
use crate::iac::model::{AllowList, Origin, Read};

/// Reads the template `text` of `file`, with an optional parameters file `(name, text)`, for the
/// deployment region `region` (what `resourceGroup().location` is).
pub fn read(
    file: &str,
    text: &str,
    parameters: Option<(&str, &str)>,
    region: Option<&str>,
    allow: &AllowList,
) -> Result<Read, Vec<Diagnostic>> {
    let doc = json::parse(text).map_err(|e| {
        vec![Diagnostic::new(file, format!("invalid JSON: {}", e.message)).at(u64::from(e.line), u64::from(e.col))]
    })?;
    check_is_template(file, &doc)?;
    let given = match parameters {
        Some((pfile, ptext)) => Some((pfile, params::read(pfile, ptext)?)),
        None => None,
    };
    let eng = Engine { allow, region, budget: Default::default(), warnings: Default::default() };
    let (sources, given_names) = match given {
        Some((pfile, g)) => {
            let sources =
                g.values.into_iter().map(|(k, v)| (k, v.map_or(scope::Source::Deferred, scope::Source::Given)));
            (sources.collect(), g.names.into_iter().map(|n| (pfile, n)).collect())
        }
        None => (HashMap::new(), Vec::new()),
    };
    let target = Target::for_schema(doc.get("$schema").and_then(json::Json::as_str));
    let stem = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("deployment");
    let root = Rc::new(Scope::new(&doc, "", sources, target.clone(), Rc::from(stem)));
    warn_about_parameters(&eng, &doc, &root, &given_names);

    let mut walker = Walker::new(&eng);
    walker.template(&doc, "", &root, &target, &[], 0).map_err(|f| vec![f.into_diagnostic(file)])?;
    if !walker.priced.is_empty() {
        return Err(walker.priced.into_iter().map(|f| f.into_diagnostic(file)).collect());
    }
    let index =
        refs::Index::new(walker.built.iter().filter_map(|b| Some((b.id.as_deref()?, b.resource.address.as_str()))));
    let resources = walker
        .built
        .into_iter()
        .map(|b| {
            let mut r = b.resource;
            r.refs = index.refs_of(&r.address, &b.id_texts);
            r
        })
        .collect();
    Ok(Read {
        origin: Origin::Arm,
        file: file.to_string(),
        resources,
        skipped: walker.skipped,
        warnings: eng.warnings.into_inner(),
    })
}

fn check_is_template(file: &str, doc: &json::Json) -> Result<(), Vec<Diagnostic>> {
    let at = |message: &str| Diagnostic::new(file, message).at(u64::from(doc.line), u64::from(doc.col));
    if !matches!(doc.kind, json::Kind::Object(_)) {
        return Err(vec![at("not an ARM deployment template: the document is not a JSON object")]);
    }
    let schema = doc.get("$schema").and_then(json::Json::as_str).unwrap_or("").to_ascii_lowercase();
    let values = doc.get("parameters").map(json::Json::entries).unwrap_or_default();
    let looks_like_parameters = doc.get("resources").is_none() && values.iter().any(|(_, v)| v.get("value").is_some());
    if schema.contains("deploymentparameters") || looks_like_parameters {
        return Err(vec![
            at("this is a parameters file, not a deployment template")
                .help("pass the template as TEMPLATE and this file with --parameters"),
        ]);
    }
    match doc.get("resources").map(|r| &r.kind) {
        Some(json::Kind::Array(_) | json::Kind::Object(_)) => Ok(()),
        _ => Err(vec![
            at("not an ARM deployment template: it has no \"resources\"")
                .help("give a deployment template (azuredeploy.json, or the output of `bicep build main.bicep`)"),
        ]),
    }
}

fn warn_about_parameters(eng: &Engine, doc: &json::Json, root: &Scope, given: &[(&str, String)]) {
    let declared: Vec<String> = doc
        .get("parameters")
        .map(json::Json::entries)
        .unwrap_or_default()
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    for (pfile, name) in given {
        if !declared.contains(&name.to_ascii_lowercase()) {
            eng.warn(format!("{pfile}: parameter '{name}' is not declared by the template; it is ignored"));
        }
    }
    for missing in root.missing_parameters(doc) {
        eng.warn(format!(
            "parameter '{missing}' has no value (no defaultValue, and no parameters file gives one); it is read as the placeholder <{missing}>"
        ));
    }
}
