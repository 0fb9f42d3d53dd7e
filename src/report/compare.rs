//! `closednet compare`: the file as written and its scenarios side by side, in every format:
//! a table, JSON (`scenarios[]`, each with `name`, `set` and the report's `designs`; `closednet
//! schema --compare` prints its JSON Schema, committed as `schema/compare.schema.json`), a
//! one-page Markdown sign-off with the chosen scenario marked, CSV, HTML; the workbook is
//! [`super::compare_xlsx`].

use super::dto::{self, Money};
use super::grid::Grid;
use super::sweep::{estimate_command, shell_word};
use crate::error::Error;
use crate::figures::{PresentedDesign, RequirementRow, by_requirement, present};
use crate::money::{Currency, format_amount, minor_units};
use crate::scenario::compare::{Change, Comparison, Priced};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareFormat {
    Table,
    Json,
    Markdown,
    Csv,
    Html,
}

pub fn render(c: &Comparison, file: &str, format: CompareFormat) -> Result<String, Error> {
    match format {
        CompareFormat::Table => table(c, file),
        CompareFormat::Json => json(c, file),
        CompareFormat::Markdown => markdown(c, file),
        CompareFormat::Csv => csv(c, file),
        CompareFormat::Html => html(c, file),
    }
}

fn cur<'a>(c: &'a Comparison) -> &'a Currency {
    &c.base().estimate.conversion.currency
}

fn amount(d: Decimal, cur: &Currency, unpriced: usize) -> String {
    let a = format_amount(d, cur);
    if unpriced > 0 { format!("{a} *") } else { a }
}

fn signed(d: Decimal, cur: &Currency) -> String {
    if d > Decimal::ZERO { format!("+{}", format_amount(d, cur)) } else { format_amount(d, cur) }
}

/// What `v` changes, for people: `closed tier gateway: standard-v2 -> premium; + Azure Firewall
/// Standard: 924.15 -> -`.
pub fn changes_text(changes: &[Change], cur: &Currency) -> Vec<String> {
    let opt = |m: &Option<Decimal>| m.map(|m| format_amount(m, cur)).unwrap_or_else(|| "-".into());
    changes
        .iter()
        .map(|ch| match ch {
            Change::Tier { design, service, from, to } => {
                format!("{} tier of {service}: {from} -> {to}", design.label())
            }
            Change::Line { name, from, to, complete } => {
                let star = if *complete { "" } else { " *" };
                format!("{name}: {} -> {}{star}", opt(from), opt(to))
            }
        })
        .collect()
}

fn requirements_text(v: &Priced) -> String {
    if v.breaches.is_empty() {
        if v.estimate.architecture.requirements.is_empty() { "-".into() } else { "all kept".into() }
    } else {
        format!("breaks {}", v.breaches.iter().map(|b| b.constraint.id()).collect::<Vec<_>>().join(", "))
    }
}

fn heading(c: &Comparison, file: &str, out: &mut String) -> Result<(), Error> {
    let est = &c.base().estimate;
    let meta = &est.snapshot.meta;
    writeln!(out, "Scenarios of {file} ({}), {} per month", est.architecture.name, cur(c))?;
    writeln!(
        out,
        "Region {} | pricing snapshot {} (as of {}) | {}",
        est.architecture.region,
        meta.name,
        meta.as_of,
        super::rate_text(&est.conversion)
    )?;
    for v in c.variants.iter().skip(1).filter(|v| v.estimate.snapshot.meta.name != meta.name) {
        let m = &v.estimate.snapshot.meta;
        writeln!(out, "Scenario {} is priced with snapshot {} (as of {})", v.name, m.name, m.as_of)?;
    }
    Ok(())
}

fn table(c: &Comparison, file: &str) -> Result<String, Error> {
    let cur = cur(c);
    let mut out = String::new();
    heading(c, file, &mut out)?;
    writeln!(out)?;
    let mut t = Grid::new(&[
        "Scenario",
        "Fixed",
        "Usage",
        "Closed total",
        "RBAC-only",
        "Closed - RBAC",
        "vs base",
        "Requirements",
    ])
    .right(1..7);
    let base = c.base().figures.total();
    for (i, v) in c.variants.iter().enumerate() {
        let f = &v.figures;
        let mark = if c.chosen == Some(i) { " (chosen)" } else { "" };
        t.row([
            format!("{}{mark}", v.name),
            amount(f.fixed, cur, f.unpriced),
            format_amount(f.usage, cur),
            amount(f.total(), cur, f.unpriced),
            format_amount(f.rbac, cur),
            signed(f.delta(), cur),
            if i == 0 { "-".into() } else { signed(f.total() - base, cur) },
            requirements_text(v),
        ]);
    }
    writeln!(out, "{t}")?;
    for v in c.variants.iter().skip(1) {
        writeln!(out, "\n{}: {}", v.name, v.description)?;
        writeln!(out, "  {}", estimate_command(file, &v.sets))?;
        for line in changes_text(&c.changes(v)?, cur) {
            writeln!(out, "  - {line}")?;
        }
        for b in &v.breaches {
            writeln!(out, "  breaks {}: {}", b.constraint, b.reason)?;
        }
    }
    writeln!(out, "\n* leaves out lines without a price (see `closednet estimate FILE --scenario NAME`).")?;
    Ok(out)
}

#[derive(Serialize, JsonSchema)]
pub struct CompareReport<'a> {
    pub architecture: dto::ArchitectureDto<'a>,
    /// The scenario `--choose` marks (`base`: the file as written).
    pub chosen: Option<&'a str>,
    pub currency: &'a str,
    /// The file as written (`base`) first, then each scenario in file order.
    pub scenarios: Vec<ScenarioDto<'a>>,
    pub schema_version: u32,
}

#[derive(Serialize, JsonSchema)]
pub struct ScenarioDto<'a> {
    pub changes: Vec<String>,
    pub chosen: bool,
    /// Every line of the closed design has a price.
    pub complete: bool,
    /// Closed minus RBAC-only.
    pub delta_monthly: Money,
    pub description: &'a str,
    /// Both designs exactly as `estimate --format json` gives them.
    pub designs: dto::Designs<'a>,
    pub estimate_command: String,
    pub name: &'a str,
    pub pricing: SnapshotDto<'a>,
    pub requirements_broken: Vec<BrokenDto<'a>>,
    /// The scenario's overrides, `PATH=VALUE` as `--set` takes them.
    pub set: Vec<String>,
    /// Closed total minus the file as written's.
    pub vs_base_monthly: Money,
}

#[derive(Serialize, JsonSchema)]
pub struct SnapshotDto<'a> {
    pub as_of: &'a str,
    pub sha256: &'a str,
    pub snapshot: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct BrokenDto<'a> {
    pub reason: &'a str,
    pub requirement: &'static str,
}

/// `closednet schema --compare`.
pub fn schema() -> Result<String, Error> {
    crate::error::pretty_json(&schemars::schema_for!(CompareReport<'static>))
}

/// Each variant's presented designs and by-requirement rows, for the JSON designs to borrow.
struct Shown<'a> {
    rbac: PresentedDesign<'a>,
    closed: PresentedDesign<'a>,
    rows: Vec<RequirementRow>,
}

fn shown<'a>(v: &'a Priced) -> Result<Shown<'a>, Error> {
    let conv = &v.estimate.conversion;
    let rbac = present(&v.estimate.rbac, conv)?;
    let closed = present(&v.estimate.closed, conv)?;
    let rows = by_requirement(&v.estimate.closed, &rbac, &closed, conv)?;
    Ok(Shown { rbac, closed, rows })
}

fn json(c: &Comparison, file: &str) -> Result<String, Error> {
    let cur = cur(c);
    let dp = minor_units(cur) as usize;
    let money = |d: Decimal| format!("{d:.dp$}");
    let shown: Vec<Shown> = c.variants.iter().map(shown).collect::<Result<_, _>>()?;
    let base_total = c.base().figures.total();
    let mut scenarios = Vec::with_capacity(c.variants.len());
    for (i, (v, s)) in c.variants.iter().zip(&shown).enumerate() {
        let conv = &v.estimate.conversion;
        let meta = &v.estimate.snapshot.meta;
        scenarios.push(ScenarioDto {
            changes: changes_text(&c.changes(v)?, cur),
            chosen: c.chosen == Some(i),
            complete: v.figures.unpriced == 0,
            delta_monthly: money(v.figures.delta()),
            description: &v.description,
            designs: dto::Designs {
                // Scenarios are variants of an architecture file, never of infrastructure code.
                as_planned: None,
                closed: super::json::design(&s.closed, &v.estimate.closed, Some(&s.rows), dp, conv),
                rbac: super::json::design(&s.rbac, &v.estimate.rbac, None, dp, conv),
            },
            estimate_command: estimate_command(file, &v.sets),
            name: &v.name,
            pricing: SnapshotDto { as_of: &meta.as_of, sha256: &v.estimate.snapshot.sha256, snapshot: &meta.name },
            requirements_broken: v
                .breaches
                .iter()
                .map(|b| BrokenDto { reason: &b.reason, requirement: b.constraint.id() })
                .collect(),
            set: v.sets.iter().map(|s| format!("{}={}", s.path, s.value)).collect(),
            vs_base_monthly: money(v.figures.total() - base_total),
        });
    }
    let arch = &c.base().estimate.architecture;
    let doc = CompareReport {
        architecture: dto::ArchitectureDto { file, name: &arch.name, region: &arch.region },
        chosen: c.chosen.map(|i| c.variants[i].name.as_str()),
        currency: cur.code(),
        scenarios,
        schema_version: 1,
    };
    crate::error::pretty_json(&doc)
}

fn markdown(c: &Comparison, file: &str) -> Result<String, Error> {
    let cur = cur(c);
    let est = &c.base().estimate;
    let meta = &est.snapshot.meta;
    let mut out = String::new();
    writeln!(out, "# Scenario sign-off: {}\n", est.architecture.name)?;
    writeln!(out, "- **File**: `{file}`; region {}", est.architecture.region)?;
    writeln!(out, "- **Prices**: snapshot {} (as of {}), sha256 `{}`", meta.name, meta.as_of, est.snapshot.sha256)?;
    writeln!(
        out,
        "- **Currency**: {}; a month is {} hours",
        super::rate_text(&est.conversion),
        meta.hours_per_month.normalize()
    )?;
    let reqs: Vec<&str> = est.architecture.requirements.iter().map(|(k, _)| k.id()).collect();
    writeln!(
        out,
        "- **Requirements**: {}\n",
        if reqs.is_empty() { "none stated".to_string() } else { reqs.join(", ") }
    )?;
    writeln!(out, "## Scenarios ({cur} per month, closed design)\n")?;
    writeln!(out, "| | Scenario | Fixed | Usage | Total | RBAC-only | Closed - RBAC | vs base | Requirements |")?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---|")?;
    let base = c.base().figures.total();
    for (i, v) in c.variants.iter().enumerate() {
        let f = &v.figures;
        writeln!(
            out,
            "| {} | **{}** | {} | {} | {} | {} | {} | {} | {} |",
            if c.chosen == Some(i) { "**chosen**" } else { "" },
            v.name,
            amount(f.fixed, cur, f.unpriced),
            format_amount(f.usage, cur),
            amount(f.total(), cur, f.unpriced),
            format_amount(f.rbac, cur),
            signed(f.delta(), cur),
            if i == 0 { "-".into() } else { signed(f.total() - base, cur) },
            requirements_text(v)
        )?;
    }
    writeln!(out, "\n## What each scenario changes\n")?;
    for v in c.variants.iter().skip(1) {
        let sets: Vec<String> = v.sets.iter().map(|s| format!("`{}={}`", s.path, s.value)).collect();
        writeln!(out, "- **{}**: {} ({})", v.name, v.description, sets.join(" "))?;
        for line in changes_text(&c.changes(v)?, cur) {
            writeln!(out, "  - {line}")?;
        }
        for b in &v.breaches {
            writeln!(out, "  - breaks **{}**: {}", b.constraint, b.reason)?;
        }
    }
    writeln!(out, "\n## Decision\n")?;
    match c.chosen.map(|i| &c.variants[i]) {
        Some(v) => {
            writeln!(
                out,
                "Chosen: **{}**, {} {} per month (`closednet estimate {} --scenario {}`).",
                v.name,
                cur,
                amount(v.figures.total(), cur, v.figures.unpriced),
                shell_word(file),
                v.name
            )?;
            for b in &v.breaches {
                writeln!(out, "\n**The chosen scenario breaks requirement {}**: {}.", b.constraint, b.reason)?;
            }
        }
        None => writeln!(
            out,
            "No scenario chosen: `closednet compare {} --format markdown --choose NAME` marks one.",
            shell_word(file)
        )?,
    }
    writeln!(out, "\n| Role | Name | Date | Signature |\n|---|---|---|---|")?;
    for role in ["Prepared by", "Reviewed by", "Approved by"] {
        writeln!(out, "| {role} | | | |")?;
    }
    writeln!(
        out,
        "\n\\* leaves out lines without a price; each scenario's full worksheet: `closednet estimate FILE --scenario NAME --format markdown`."
    )?;
    Ok(out)
}

pub const CSV_HEADER: [&str; 14] = [
    "scenario",
    "description",
    "chosen",
    "set",
    "currency",
    "closed_fixed_monthly",
    "closed_usage_monthly",
    "closed_total_monthly",
    "rbac_total_monthly",
    "delta_monthly",
    "vs_base_monthly",
    "complete",
    "requirements_broken",
    "changes",
];

fn csv(c: &Comparison, _file: &str) -> Result<String, Error> {
    let cur = cur(c);
    let dp = minor_units(cur) as usize;
    let money = |d: Decimal| format!("{d:.dp$}");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    let base = c.base().figures.total();
    for (i, v) in c.variants.iter().enumerate() {
        let f = &v.figures;
        w.write_record([
            v.name.clone(),
            v.description.clone(),
            (c.chosen == Some(i)).to_string(),
            v.sets.iter().map(|s| format!("{}={}", s.path, s.value)).collect::<Vec<_>>().join(" "),
            cur.code().to_string(),
            money(f.fixed),
            money(f.usage),
            money(f.total()),
            money(f.rbac),
            money(f.delta()),
            money(f.total() - base),
            (f.unpriced == 0).to_string(),
            v.breaches.iter().map(|b| b.constraint.id()).collect::<Vec<_>>().join(" "),
            changes_text(&c.changes(v)?, cur).join("; "),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| Error::msg(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::msg(format!("cannot write CSV: {e}")))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Stacked bars of the closed design's fixed (dark) and usage (light) cost, one per scenario.
fn chart(c: &Comparison) -> String {
    use rust_decimal::prelude::ToPrimitive;
    let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let cur = cur(c);
    let (bar, gap, h, top, base_y) = (48.0, 28.0, 260.0, 24.0, 230.0);
    let max = c.variants.iter().map(|v| f(v.figures.total())).fold(1.0, f64::max);
    let w = 40.0 + c.variants.len() as f64 * (bar + gap);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"closed design per scenario: fixed and usage\">"
    );
    for (i, v) in c.variants.iter().enumerate() {
        let x = 30.0 + i as f64 * (bar + gap);
        let scale = (base_y - top) / max;
        let fixed = f(v.figures.fixed) * scale;
        let usage = f(v.figures.usage) * scale;
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar}\" height=\"{fixed:.1}\" fill=\"#2b5f8a\"/><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar}\" height=\"{usage:.1}\" fill=\"#9cc3e0\"/>",
            base_y - fixed,
            base_y - fixed - usage
        ));
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + bar / 2.0,
            base_y - fixed - usage - 6.0,
            esc(&format_amount(v.figures.total(), cur)),
            x + bar / 2.0,
            base_y + 16.0,
            esc(&v.name)
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn html(c: &Comparison, file: &str) -> Result<String, Error> {
    let cur = cur(c);
    let est = &c.base().estimate;
    let mut out = String::new();
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Scenarios: {}</title>",
        esc(&est.architecture.name)
    )?;
    writeln!(
        out,
        "<style>body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }} table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }} th, td {{ border-bottom: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }} td.n {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }} tr.chosen td {{ font-weight: 600; background: #eef5fb; }} .breaks {{ color: #a00; }} @media print {{ table, svg {{ break-inside: avoid; }} }}</style></head><body>"
    )?;
    let mut head = String::new();
    heading(c, file, &mut head)?;
    let mut lines = head.lines();
    writeln!(out, "<h1>{}</h1>", esc(lines.next().unwrap_or_default()))?;
    for l in lines {
        writeln!(out, "<p>{}</p>", esc(l))?;
    }
    writeln!(out, "{}", chart(c))?;
    writeln!(
        out,
        "<table><thead><tr><th>Scenario</th><th>Description</th><th>Fixed</th><th>Usage</th><th>Closed total</th><th>RBAC-only</th><th>Closed - RBAC</th><th>vs base</th><th>Requirements</th></tr></thead><tbody>"
    )?;
    let base = c.base().figures.total();
    for (i, v) in c.variants.iter().enumerate() {
        let f = &v.figures;
        let class = if c.chosen == Some(i) { " class=\"chosen\"" } else { "" };
        let req_class = if v.breaches.is_empty() { "" } else { " class=\"breaks\"" };
        writeln!(
            out,
            "<tr{class}><td>{}{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td{req_class}>{}</td></tr>",
            esc(&v.name),
            if c.chosen == Some(i) { " (chosen)" } else { "" },
            esc(&v.description),
            esc(&amount(f.fixed, cur, f.unpriced)),
            esc(&format_amount(f.usage, cur)),
            esc(&amount(f.total(), cur, f.unpriced)),
            esc(&format_amount(f.rbac, cur)),
            esc(&signed(f.delta(), cur)),
            if i == 0 { "-".into() } else { esc(&signed(f.total() - base, cur)) },
            esc(&requirements_text(v))
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    for v in c.variants.iter().skip(1) {
        writeln!(
            out,
            "<h2>{}</h2><p>{}</p><p><code>{}</code></p><ul>",
            esc(&v.name),
            esc(&v.description),
            esc(&estimate_command(file, &v.sets))
        )?;
        for line in changes_text(&c.changes(v)?, cur) {
            writeln!(out, "<li>{}</li>", esc(&line))?;
        }
        for b in &v.breaches {
            writeln!(out, "<li class=\"breaks\">breaks {}: {}</li>", esc(b.constraint.id()), esc(&b.reason))?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "<p>* leaves out lines without a price.</p></body></html>")?;
    Ok(out)
}
