//! Output of `closednet check`: text for people, and the formats CI systems read (JSON, SARIF 2.1.0,
//! GitHub workflow commands, Azure Pipelines logging commands, a Markdown PR comment).

use super::escape;
use crate::error::Error;
use crate::gate::{BudgetFailure, Judged, Judgement};
use crate::money::format_money;
use crate::registry::{RULES, Severity};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// The formats of `closednet check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateFormat {
    Text,
    Json,
    Sarif,
    Github,
    Azure,
    Markdown,
}

/// The judgement in `format`.
pub fn render(r: &Judgement, format: GateFormat) -> Result<String, Error> {
    match format {
        GateFormat::Text => text(r),
        GateFormat::Json => json(r),
        GateFormat::Sarif => sarif(r),
        GateFormat::Github => github(r),
        GateFormat::Azure => azure(r),
        GateFormat::Markdown => markdown(r),
    }
}

fn location(r: &Judgement, j: &Judged) -> String {
    match j.finding.loc {
        Some(l) if l.line > 0 => format!("{}:{}:{}", r.estimate.architecture.file, l.line, l.column),
        _ => r.estimate.architecture.file.clone(),
    }
}

/// `closed design USD 1,234.00/month, +USD 100.00 vs the RBAC-only design`, and for infrastructure
/// code `; the plan as planned is half-closed and costs USD 275.66/month`. Raw: each format escapes
/// it (the baseline's label names its file).
fn headline(r: &Judgement) -> Result<String, Error> {
    let cur = &r.estimate.conversion.currency;
    let delta = r.closed_total - r.baseline_total;
    let incomplete = if r.complete { "" } else { " (incomplete: some lines have no price)" };
    let mut out = format!(
        "closed design {}/month{incomplete}, {}{} vs {}",
        format_money(r.closed_total, cur),
        if delta >= rust_decimal::Decimal::ZERO { "+" } else { "" },
        format_money(delta, cur),
        r.baseline_label
    );
    if let Some(v) = verdict_of(r)? {
        out.push_str(&format!("; {}", super::verdict::phrase(&v, cur)));
    }
    Ok(out)
}

fn verdict_of<'a>(r: &'a Judgement) -> Result<Option<super::verdict::Verdict<'a>>, Error> {
    let est = r.estimate;
    let closed = crate::figures::present(&est.closed, &est.conversion)?;
    super::verdict::Verdict::of(est, &closed)
}

/// One line per failure, then the findings that do not fail, then the verdict.
pub fn text(r: &Judgement) -> Result<String, Error> {
    let mut out = String::new();
    let file = &r.estimate.architecture.file;
    let t = |s: &str| escape::text(s).into_owned();
    let file = t(file);
    for b in &r.budgets {
        writeln!(out, "FAIL budget {}: {} ({file})", b.budget, t(&b.detail))?;
    }
    for j in r.findings.iter().filter(|j| j.fails) {
        writeln!(
            out,
            "FAIL {} {} [{}] {}: {}",
            j.finding.rule,
            j.severity.as_str(),
            j.finding.slug,
            t(&location(r, j)),
            t(&j.finding.message)
        )?;
    }
    for j in r.findings.iter().filter(|j| !j.fails) {
        writeln!(
            out,
            "{} {} [{}] {}: {}",
            j.severity.as_str(),
            j.finding.rule,
            j.finding.slug,
            t(&location(r, j)),
            t(&j.finding.message)
        )?;
    }
    let headline = t(&headline(r)?);
    if r.passed() {
        writeln!(out, "check passed: {headline}")?;
    } else {
        writeln!(out, "check failed: {} failure(s); {headline}", r.failures())?;
    }
    Ok(out)
}

fn finding_json(r: &Judgement, j: &Judged) -> Value {
    json!({
        "rule": j.finding.rule,
        "slug": j.finding.slug,
        "severity": j.severity.as_str(),
        "fails": j.fails,
        "message": j.finding.message,
        "file": r.estimate.architecture.file,
        "path": j.finding.path,
        "line": j.finding.loc.map(|l| l.line),
        "column": j.finding.loc.map(|l| l.column),
        "doc": j.finding.doc,
    })
}

fn budget_json(b: &BudgetFailure) -> Value {
    json!({
        "budget": b.budget,
        "limit": b.limit.to_string(),
        "actual": b.actual.to_string(),
        "over": b.over().to_string(),
        "percent": b.percent.map(|p| p.to_string()),
        "message": b.detail,
    })
}

pub fn json(r: &Judgement) -> Result<String, Error> {
    let v = json!({
        "schema_version": 1,
        "file": r.estimate.architecture.file,
        "snapshot": r.estimate.snapshot.meta.name,
        "snapshot_sha256": r.estimate.snapshot.sha256,
        "passed": r.passed(),
        "failures": r.failures(),
        "currency": r.estimate.conversion.currency.code(),
        "closed_monthly": r.closed_total.to_string(),
        "closed_fixed_monthly": r.closed_fixed.to_string(),
        "complete": r.complete,
        "baseline": { "label": r.baseline_label, "monthly": r.baseline_total.to_string() },
        "budgets": r.budgets.iter().map(budget_json).collect::<Vec<_>>(),
        "findings": r.findings.iter().map(|j| finding_json(r, j)).collect::<Vec<_>>(),
    });
    let mut v = v;
    if let Some(verdict) = verdict_of(r)? {
        let dp = crate::money::minor_units(&r.estimate.conversion.currency) as usize;
        v["verdict"] = serde_json::to_value(verdict.dto(dp))?;
    }
    crate::error::pretty_json(&v).map(escape::json)
}

/// GitHub workflow commands escape `%`, CR and LF in data, and also `:` and `,` in properties;
/// other control characters (an escape sequence in a name) are shown escaped.
fn gh_data(s: &str) -> String {
    let data = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    escape::text(&data).into_owned()
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github(r: &Judgement) -> Result<String, Error> {
    let mut out = String::new();
    let file = gh_prop(&r.estimate.architecture.file);
    for b in &r.budgets {
        writeln!(
            out,
            "::error file={file},title={}::{}",
            gh_prop(&format!("closednet budget {}", b.budget)),
            gh_data(&b.detail)
        )?;
    }
    for j in &r.findings {
        let level = match (j.fails, j.severity) {
            (true, _) | (_, Severity::Error) => "error",
            (false, Severity::Warning) => "warning",
            (false, Severity::Note) => "notice",
        };
        let pos = match j.finding.loc {
            Some(l) if l.line > 0 => format!(",line={},col={}", l.line, l.column),
            _ => String::new(),
        };
        let title = gh_prop(&format!("{} {}", j.finding.rule, j.finding.slug));
        writeln!(out, "::{level} file={file}{pos},title={title}::{}", gh_data(&j.finding.message))?;
    }
    writeln!(out, "{}", if r.passed() { "closednet check passed" } else { "closednet check failed" })?;
    Ok(out)
}

/// Azure Pipelines logging commands escape `%`, CR, LF, `;` and `]` in properties and messages;
/// other control characters are shown escaped, and a `##vso[` inside broken (the agent reads a
/// command anywhere in a line).
fn vso(s: &str) -> String {
    let data =
        s.replace('%', "%AZP25").replace('\r', "%0D").replace('\n', "%0A").replace(';', "%3B").replace(']', "%5D");
    escape::text(&data).into_owned()
}

pub fn azure(r: &Judgement) -> Result<String, Error> {
    let mut out = String::new();
    let file = vso(&r.estimate.architecture.file);
    for b in &r.budgets {
        writeln!(out, "##vso[task.logissue type=error;sourcepath={file};code=budget-{}]{}", b.budget, vso(&b.detail))?;
    }
    for j in &r.findings {
        // Azure Pipelines has error and warning issues only; notes are printed as plain lines.
        let kind = match (j.fails, j.severity) {
            (true, _) | (_, Severity::Error) => "error",
            (false, Severity::Warning) => "warning",
            // A plain line is no logging command: its text is escaped for a log (newlines shown,
            // `##vso[` broken), not with the command's own escapes, which the log would not decode.
            (false, Severity::Note) => {
                let (at, message) = (escape::text(&location(r, j)).into_owned(), escape::text(&j.finding.message));
                writeln!(out, "note {} {at}: {message}", j.finding.rule)?;
                continue;
            }
        };
        let pos = match j.finding.loc {
            Some(l) if l.line > 0 => format!(";linenumber={};columnnumber={}", l.line, l.column),
            _ => String::new(),
        };
        writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={file}{pos};code={}]{}",
            j.finding.rule,
            vso(&j.finding.message)
        )?;
    }
    if r.passed() {
        writeln!(out, "closednet check passed: {}", escape::text(&headline(r)?))?;
    } else {
        writeln!(out, "##vso[task.complete result=Failed;]closednet check failed: {} failure(s)", r.failures())?;
    }
    Ok(out)
}

/// A stable fingerprint for code scanning: FNV-1a over the rule and where it points (not the
/// message, whose figures change with prices).
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

const BUDGETS: [(&str, &str); 3] = [
    ("max-monthly", "The closed design's monthly total exceeds the budget"),
    ("max-fixed", "The closed design's fixed monthly cost exceeds the budget"),
    ("max-increase", "The closed design costs more than the baseline by more than allowed"),
];

pub fn sarif(r: &Judgement) -> Result<String, Error> {
    let file = &r.estimate.architecture.file;
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "name": rule.slug,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "helpUri": rule.doc,
                "help": { "text": rule.docs, "markdown": rule.docs },
                "defaultConfiguration": { "level": sarif_level(rule.severity) },
            })
        })
        .collect();
    for (name, text) in BUDGETS {
        rules.push(json!({
            "id": format!("budget/{name}"),
            "name": name,
            "shortDescription": { "text": text },
            "defaultConfiguration": { "level": "error" },
        }));
    }
    let index = |id: &str| rules.iter().position(|r| r["id"] == id).unwrap_or(0);
    let mut results = Vec::new();
    for b in &r.budgets {
        let id = format!("budget/{}", b.budget);
        results.push(json!({
            "ruleId": id,
            "ruleIndex": index(&id),
            "level": "error",
            "message": { "text": b.detail },
            "locations": [{ "physicalLocation": { "artifactLocation": { "uri": file } } }],
            "partialFingerprints": { "closednet/v1": fingerprint(&[&id, file]) },
        }));
    }
    for j in &r.findings {
        let mut physical = json!({ "artifactLocation": { "uri": file } });
        if let Some(l) = j.finding.loc.filter(|l| l.line > 0) {
            physical["region"] = json!({ "startLine": l.line, "startColumn": l.column.max(1) });
        }
        let path = j.finding.path.as_deref().unwrap_or("");
        results.push(json!({
            "ruleId": j.finding.rule,
            "ruleIndex": index(j.finding.rule.as_str()),
            "level": if j.fails { "error" } else { sarif_level(j.severity) },
            "message": { "text": j.finding.message },
            "locations": [{ "physicalLocation": physical }],
            "partialFingerprints": { "closednet/v1": fingerprint(&[j.finding.rule.as_str(), file, path]) },
        }));
    }
    let v = sarif_log(Value::Array(rules), results, None);
    crate::error::pretty_json(&v).map(escape::json)
}

/// A pull-request comment: the verdict and headline, failures in a table, everything in details.
pub fn markdown(r: &Judgement) -> Result<String, Error> {
    let mut out = String::new();
    let verdict = if r.passed() { "passed" } else { "failed" };
    let file = escape::code(&r.estimate.architecture.file);
    writeln!(out, "### closednet check {verdict}: {file}\n")?;
    writeln!(out, "{}.\n", escape::markdown(&headline(r)?))?;
    if !r.passed() {
        writeln!(out, "| Failure | Where | What |\n|---|---|---|")?;
        for b in &r.budgets {
            writeln!(out, "| budget `{}` | {file} | {} |", b.budget, escape::markdown(&b.detail))?;
        }
        for j in r.findings.iter().filter(|j| j.fails) {
            writeln!(
                out,
                "| `{}` {} | {} | {} |",
                j.finding.rule,
                j.finding.slug,
                escape::code(&location(r, j)),
                escape::markdown(&j.finding.message)
            )?;
        }
        writeln!(out)?;
    }
    let rest: Vec<&Judged> = r.findings.iter().filter(|j| !j.fails).collect();
    if !rest.is_empty() {
        writeln!(out, "<details><summary>{} more finding(s)</summary>\n", rest.len())?;
        for j in rest {
            writeln!(
                out,
                "- **{}** `{}` {}: {}",
                j.severity.as_str(),
                j.finding.rule,
                escape::markdown(&location(r, j)),
                escape::markdown(&j.finding.message)
            )?;
        }
        writeln!(out, "\n</details>")?;
    }
    Ok(out)
}

/// A SARIF 2.1.0 log of one run of closednet with these rules and results.
fn sarif_log(rules: Value, results: Vec<Value>, invocations: Option<Value>) -> Value {
    let mut run = json!({
        "tool": { "driver": {
            "name": "closednet",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://learn.microsoft.com/azure/private-link/private-endpoint-overview",
            "rules": rules,
        }},
        "results": results,
    });
    if let Some(i) = invocations {
        run["invocations"] = i;
    }
    json!({ "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run] })
}

/// A file `check` could not read or validate, in the format asked for: a CI log or a code-scanning
/// upload shows the problem at its line instead of a bare error. The exit code stays 2.
pub fn invalid(diags: &[crate::error::Diagnostic], format: GateFormat) -> Result<Option<String>, Error> {
    let out = match format {
        GateFormat::Text | GateFormat::Markdown => return Ok(None),
        GateFormat::Github => invalid_github(diags)?,
        GateFormat::Azure => invalid_azure(diags)?,
        GateFormat::Sarif => invalid_sarif(diags)?,
        GateFormat::Json => {
            let errors: Vec<Value> = diags
                .iter()
                .map(|d| {
                    json!({
                        "file": d.file, "line": d.line, "column": d.column, "path": d.path,
                        "message": d.message, "help": d.help,
                    })
                })
                .collect();
            let v = json!({ "schema_version": 1, "passed": false, "valid": false, "errors": errors });
            crate::error::pretty_json(&v).map(escape::json)?
        }
    };
    Ok(Some(out))
}

fn invalid_github(diags: &[crate::error::Diagnostic]) -> Result<String, Error> {
    let mut out = String::new();
    for d in diags {
        let pos = match (d.line, d.column) {
            (Some(l), Some(c)) => format!(",line={l},col={c}"),
            _ => String::new(),
        };
        writeln!(out, "::error file={}{pos},title=closednet input::{}", gh_prop(&d.file), gh_data(&message(d)))?;
    }
    writeln!(out, "closednet check could not run: {} problem(s) in the input", diags.len())?;
    Ok(out)
}

fn invalid_azure(diags: &[crate::error::Diagnostic]) -> Result<String, Error> {
    let mut out = String::new();
    for d in diags {
        let pos = match (d.line, d.column) {
            (Some(l), Some(c)) => format!(";linenumber={l};columnnumber={c}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "##vso[task.logissue type=error;sourcepath={}{pos};code=input]{}",
            vso(&d.file),
            vso(&message(d))
        )?;
    }
    writeln!(out, "##vso[task.complete result=Failed;]closednet check could not run: {} problem(s)", diags.len())?;
    Ok(out)
}

fn invalid_sarif(diags: &[crate::error::Diagnostic]) -> Result<String, Error> {
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut physical = json!({ "artifactLocation": { "uri": d.file } });
            if let Some(l) = d.line.filter(|l| *l > 0) {
                physical["region"] = json!({ "startLine": l, "startColumn": d.column.unwrap_or(1).max(1) });
            }
            json!({
                "ruleId": "input",
                "ruleIndex": 0,
                "level": "error",
                "message": { "text": message(d) },
                "locations": [{ "physicalLocation": physical }],
            })
        })
        .collect();
    let rules = json!([{
        "id": "input",
        "name": "invalid-input",
        "shortDescription": { "text": "The architecture file cannot be read or is not valid" },
        "defaultConfiguration": { "level": "error" },
    }]);
    let v = sarif_log(rules, results, Some(json!([{ "executionSuccessful": false }])));
    crate::error::pretty_json(&v).map(escape::json)
}

/// `path: message (help)` in one line.
fn message(d: &crate::error::Diagnostic) -> String {
    let mut m = match &d.path {
        Some(p) => format!("{p}: {}", d.message),
        None => d.message.clone(),
    };
    if let Some(h) = &d.help {
        m.push_str(&format!(" ({h})"));
    }
    m
}
