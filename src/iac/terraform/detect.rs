//! What was given, before anything is read: a plan JSON, or one of the things people pass by
//! mistake (a state file, `terraform show -json` of a state, a binary plan, plan JSON wrapped in a
//! CI runner's lines, the streamed log of `terraform plan -json`, an ARM template). Each mistake
//! gets its own error saying what the file is and how to produce a plan JSON; wrapped plans are
//! named, not silently stripped, so the file a pipeline archives is the file closednet read.
//!
//! The document is read into [`Doc`]: the sections the reader uses are borrowed slices or small
//! values, the rest (`planned_values`, `variables`, `resource_drift`, ...) is skipped without being
//! built, which is most of a plan's bytes.
//!
//! No message quotes the input: serde_json's syntax errors name only the position and what was
//! expected, [`Doc`] has no field whose type can mismatch, and the shapes recognised here are
//! named by their keys.

use crate::error::Diagnostic;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;

/// A plan's top level, as far as the reader needs it; also what tells a state or a template.
#[derive(Deserialize)]
pub struct Doc<'a> {
    #[serde(borrow)]
    pub resource_changes: Option<&'a RawValue>,
    #[serde(borrow)]
    pub prior_state: Option<&'a RawValue>,
    pub configuration: Option<Value>,
    pub complete: Option<Value>,
    errored: Option<Value>,
    format_version: Option<Value>,
    planned_values: Option<IgnoredAny>,
    values: Option<IgnoredAny>,
    version: Option<Value>,
    resources: Option<IgnoredAny>,
    modules: Option<IgnoredAny>,
    lineage: Option<IgnoredAny>,
    #[serde(rename = "$schema")]
    schema: Option<Value>,
    #[serde(rename = "contentVersion")]
    content_version: Option<IgnoredAny>,
}

/// How to make what closednet reads (every detection error ends with it).
pub const HOW: &str =
    "produce a plan JSON with `terraform plan -out tfplan && terraform show -json tfplan > plan.json`";

/// The plan document, or why the input is not one.
pub fn plan<'a>(file: &str, text: &'a str) -> Result<Doc<'a>, Box<Diagnostic>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(Diagnostic::new(file, "the file is empty: expected a Terraform plan in JSON").help(HOW).into());
    }
    if trimmed.starts_with("PK\u{3}\u{4}") {
        return Err(binary(file).into());
    }
    if let Some(d) = before_json(file, text) {
        return Err(d.into());
    }
    let body = text.trim_start_matches('\u{feff}');
    if !trimmed.starts_with('{') {
        // Not an object: say what it is (a syntax error keeps its position).
        let doc: Value = serde_json::from_str(body).map_err(|e| Box::new(syntax(file, text, &e)))?;
        let kind = match doc {
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            _ => "null",
        };
        return Err(Diagnostic::new(file, format!("expected a Terraform plan (a JSON object), found {kind}"))
            .help(HOW)
            .into());
    }
    let doc: Doc = serde_json::from_str(body).map_err(|e| Box::new(syntax(file, text, &e)))?;
    shape(file, &doc)?;
    Ok(doc)
}

/// A binary plan: a zip archive (`terraform plan -out` writes one).
pub fn binary(file: &str) -> Diagnostic {
    Diagnostic::new(file, "this is a binary Terraform plan file (what `terraform plan -out` writes), not its JSON")
        .help("convert it with `terraform show -json tfplan > plan.json`, in the working directory that made it")
}

/// Lines before the JSON that say where the file came from.
/// Only the start of the first non-blank line is looked at: `terraform show -json` writes the
/// whole plan on one line.
fn before_json(file: &str, text: &str) -> Option<Diagnostic> {
    let body = text.trim_start_matches('\u{feff}');
    let blank = body.len() - body.trim_start().len();
    let first = &body[blank..];
    let line = || 1 + body[..blank].matches('\n').count() as u64;
    if first.starts_with("[command]") {
        return Some(wrapped(file, "a `[command]` line before the JSON", line()));
    }
    if first.starts_with("::") {
        return Some(wrapped(file, "a `::` workflow command line before the JSON", line()));
    }
    // Terraform's machine-readable UI messages open with `{"@level":`.
    if first.starts_with("{\"@level\"") {
        return Some(
            Diagnostic::new(
                file,
                "this is the streamed log of `terraform plan -json` (one JSON message a line), not a plan JSON",
            )
            .at(line(), 1)
            .help(HOW),
        );
    }
    let plan_text = ["Terraform will perform the following actions", "Terraform used the selected providers"];
    if !first.starts_with(['{', '[']) && plan_text.iter().any(|t| text.contains(t)) {
        return Some(
            Diagnostic::new(file, "this is the text output of `terraform plan`, not a plan JSON")
                .at(line(), 1)
                .help(HOW),
        );
    }
    None
}

fn wrapped(file: &str, what: &str, line: u64) -> Diagnostic {
    Diagnostic::new(
        file,
        format!(
            "this is a Terraform plan JSON wrapped in the lines hashicorp/setup-terraform's wrapper prints \
             ({what}); closednet reads the plan JSON alone and does not strip them"
        ),
    )
    .at(line, 1)
    .help(
        "set `terraform_wrapper: false` on the hashicorp/setup-terraform step, then write the plan with \
         `terraform show -json tfplan > plan.json`",
    )
}

/// A JSON syntax error at its position; JSON followed by `::debug::` lines is a wrapped plan. The
/// only data error [`Doc`] can meet is a key given twice, which serde names by the key.
fn syntax(file: &str, text: &str, e: &serde_json::Error) -> Diagnostic {
    let (line, column) = (e.line() as u64, e.column() as u64);
    let full = e.to_string();
    let what = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m);
    if what == "trailing characters" && at(text, line, column).is_some_and(|rest| rest.starts_with("::")) {
        return wrapped(file, "`::debug::` lines after the JSON", line);
    }
    let message = match e.classify() {
        serde_json::error::Category::Data if what.starts_with("duplicate field") => format!("not a plan JSON: {what}"),
        serde_json::error::Category::Data => "not a plan JSON: a value of an unexpected type".to_string(),
        _ => format!("not valid JSON: {what}"),
    };
    Diagnostic::new(file, message).at(line, column).help(HOW)
}

/// The text from a 1-based line and byte column on (serde_json counts columns in bytes).
fn at(text: &str, line: u64, column: u64) -> Option<&str> {
    let start: usize = text.split_inclusive('\n').take(line.checked_sub(1)? as usize).map(str::len).sum();
    text.get(start + (column as usize).saturating_sub(1)..)
}

/// A JSON object that is not a plan, or a plan Terraform marked incomplete or too new.
fn shape(file: &str, doc: &Doc) -> Result<(), Box<Diagnostic>> {
    let has = |k: &str| match k {
        "resource_changes" => doc.resource_changes.is_some(),
        "planned_values" => doc.planned_values.is_some(),
        "configuration" => doc.configuration.is_some(),
        "format_version" => doc.format_version.is_some(),
        "values" => doc.values.is_some(),
        "version" => doc.version.is_some(),
        "resources" => doc.resources.is_some(),
        "modules" => doc.modules.is_some(),
        "lineage" => doc.lineage.is_some(),
        "contentVersion" => doc.content_version.is_some(),
        _ => false,
    };
    let schema = doc.schema.as_ref().and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
    if schema.contains("deploymenttemplate") || (has("resources") && has("contentVersion")) {
        return Err(Diagnostic::new(file, "this is an ARM deployment template, not a Terraform plan")
            .help("read it with `closednet import arm FILE`")
            .into());
    }
    if schema.contains("deploymentparameters") {
        return Err(Diagnostic::new(file, "this is an ARM deployment parameters file, not a Terraform plan")
            .help("pass it with `--parameters` to `closednet import arm TEMPLATE.json`")
            .into());
    }
    let state_help = format!("closednet reads what a plan will build, not what a state holds: {HOW}");
    if !has("format_version") && has("version") && (has("resources") || has("modules") || has("lineage")) {
        let version = doc.version.as_ref().and_then(Value::as_u64).map_or(String::new(), |v| format!(" version {v}"));
        return Err(Diagnostic::new(
            file,
            format!("this is a Terraform state file (`terraform.tfstate`, state format{version}), not a plan"),
        )
        .help(state_help)
        .into());
    }
    let is_plan = has("resource_changes") || has("planned_values");
    if !is_plan && has("format_version") && !has("configuration") {
        let what =
            if has("values") { "it has `values` and no `resource_changes`" } else { "it has no `resource_changes`" };
        return Err(Diagnostic::new(
            file,
            format!("this is `terraform show -json` of a Terraform state ({what}), not of a plan"),
        )
        .help(state_help)
        .into());
    }
    if !(is_plan || has("format_version") && has("configuration")) {
        return Err(Diagnostic::new(
            file,
            "this JSON is not a Terraform plan: it has no `resource_changes` or `planned_values`",
        )
        .help(HOW)
        .into());
    }
    if doc.errored.as_ref().and_then(Value::as_bool) == Some(true) {
        return Err(Diagnostic::new(
            file,
            "this plan is incomplete: Terraform stopped planning on an error (`errored: true`)",
        )
        .path("errored")
        .help(format!("fix the error `terraform plan` reports, then {HOW}"))
        .into());
    }
    let version = doc.format_version.as_ref().and_then(Value::as_str).unwrap_or("1.0");
    if version.split('.').next().and_then(|m| m.parse::<u32>().ok()).is_none_or(|major| major > 1) {
        return Err(Diagnostic::new(
            file,
            "this plan JSON has a format version closednet does not read (it reads 0.x and 1.x)",
        )
        .path("format_version")
        .help("write the plan with a Terraform release whose `terraform show -json` writes format 1.x")
        .into());
    }
    Ok(())
}
