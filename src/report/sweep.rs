//! `closednet sweep`: the cheapest variant that keeps every requirement, the Pareto front of cost
//! against requirements kept, and for each row the command that reproduces it. Formats: table,
//! JSON (the types below; `closednet schema --sweep` prints their JSON Schema, committed as
//! `schema/sweep.schema.json`), Markdown and CSV.

use super::dto::Money;
use super::grid::Grid;
use crate::architecture::set::Set;
use crate::error::Error;
use crate::money::{Currency, format_amount, minor_units};
use crate::scenario::sweep::{Bound, Row, Saving, Sweep};
use schemars::JsonSchema;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

pub fn render(s: &Sweep, file: &str, format: SweepFormat) -> Result<String, Error> {
    match format {
        SweepFormat::Table => table(s, file),
        SweepFormat::Json => json(s, file),
        SweepFormat::Markdown => markdown(s, file),
        SweepFormat::Csv => csv(s),
    }
}

/// One word for a POSIX shell: quoted when it holds anything but `[A-Za-z0-9._/:=@%+-]`.
pub fn shell_word(w: &str) -> String {
    let plain = !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "._/:=@%+-,".contains(c));
    if plain { w.to_string() } else { format!("'{}'", w.replace('\'', "'\\''")) }
}

/// `closednet estimate FILE --set A=1 ...`, ready to paste into a shell.
pub fn estimate_command(file: &str, sets: &[Set]) -> String {
    let mut out = format!("closednet estimate {}", shell_word(file));
    for s in sets {
        out.push_str(" --set ");
        out.push_str(&shell_word(&format!("{}={}", s.path, s.value)));
    }
    out
}

fn money(d: rust_decimal::Decimal, cur: &Currency) -> Money {
    format!("{d:.dp$}", dp = minor_units(cur) as usize)
}

/// `596.00`, `at least 596.00` (the dearer variant leaves out more lines without a price), or
/// `596.00 (?)` (the cheaper one leaves out lines the other prices).
pub fn saving_text(s: &Saving, cur: &Currency) -> String {
    let a = format_amount(s.amount, cur);
    match s.bound {
        Bound::Exact => a,
        Bound::AtLeast => format!("at least {a}"),
        Bound::Unsure => format!("{a} (?)"),
    }
}

fn amount(d: rust_decimal::Decimal, cur: &Currency, complete: bool) -> String {
    let a = format_amount(d, cur);
    if complete { a } else { format!("{a} *") }
}

#[derive(Serialize, JsonSchema)]
pub struct SweepReport<'a> {
    pub architecture: super::dto::ArchitectureDto<'a>,
    pub axes: Vec<AxisDto<'a>>,
    /// The file as written (with the run's --set and --fix).
    pub base: VariantDto,
    /// The cheapest variant that keeps every requirement; null when none does.
    pub cheapest: Option<VariantDto>,
    /// The report currency of every amount.
    pub currency: &'a str,
    /// The cheapest variant for each set of requirements kept that no other row beats on both.
    pub pareto: Vec<VariantDto>,
    pub pricing: PricingDto<'a>,
    pub requirements: Vec<RequirementDto>,
    /// What the cheapest compliant variant saves against the file as written.
    pub saving_monthly: Option<Money>,
    /// `exact`; `at-least` when the file as written leaves out more lines without a price;
    /// `unknown` when the cheapest leaves out lines the file prices.
    pub saving_bound: Option<&'static str>,
    pub schema_version: u32,
    pub skipped: Vec<SkippedDto>,
    pub variants_priced: u64,
    pub variants_skipped: u64,
}

#[derive(Serialize, JsonSchema)]
pub struct AxisDto<'a> {
    /// The file's value.
    pub base: &'a str,
    /// Values not enumerated, with why.
    pub dropped: Vec<DroppedOptionDto<'a>>,
    pub path: &'a str,
    pub tried: Vec<&'a str>,
}

#[derive(Serialize, JsonSchema)]
pub struct DroppedOptionDto<'a> {
    pub value: &'a str,
    pub why: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct PricingDto<'a> {
    pub as_of: &'a str,
    pub sha256: &'a str,
    pub snapshot: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct RequirementDto {
    pub meaning: &'static str,
    pub requirement: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub struct SkippedDto {
    pub count: u64,
    pub why: String,
}

#[derive(Serialize, JsonSchema)]
pub struct VariantDto {
    /// Every line of the closed design has a price.
    pub complete: bool,
    /// Closed minus RBAC-only.
    pub delta_monthly: Money,
    /// `closednet estimate FILE --set ...`: reproduces the variant's totals.
    pub estimate_command: String,
    pub fixed_monthly: Money,
    pub rbac_total_monthly: Money,
    /// The file's requirements this variant breaks, with why and, on a front row, what dropping
    /// that one alone saves.
    pub requirements_dropped: Vec<DroppedDto>,
    pub requirements_kept: Vec<&'static str>,
    /// Against the cheapest variant that keeps every requirement (front rows).
    pub saving_monthly: Option<Money>,
    /// `exact`, `at-least` or `unknown` (see `saving_bound` of the report).
    pub saving_bound: Option<&'static str>,
    /// The `PATH=VALUE` overrides, in order, as `--set` takes them.
    pub set: Vec<String>,
    pub total_monthly: Money,
    /// Lines without a price (`service: component`), left out of the totals.
    pub unpriced_lines: Vec<String>,
    pub usage_monthly: Money,
}

#[derive(Serialize, JsonSchema)]
pub struct DroppedDto {
    pub reason: String,
    pub requirement: &'static str,
    pub saving_alone_bound: Option<&'static str>,
    pub saving_alone_monthly: Option<Money>,
}

fn variant(r: &Row, s: &Sweep, file: &str) -> VariantDto {
    let cur = &s.conversion.currency;
    VariantDto {
        complete: r.complete(),
        delta_monthly: money(r.figures.delta(), cur),
        estimate_command: estimate_command(file, &r.sets),
        fixed_monthly: money(r.figures.fixed, cur),
        rbac_total_monthly: money(r.figures.rbac, cur),
        requirements_dropped: r
            .breaches
            .iter()
            .map(|b| {
                let alone = r.dropped.iter().find(|d| d.constraint == b.constraint).and_then(|d| d.saving_alone);
                DroppedDto {
                    reason: b.reason.clone(),
                    requirement: b.constraint.id(),
                    saving_alone_bound: alone.map(|a| a.bound.id()),
                    saving_alone_monthly: alone.map(|a| money(a.amount, cur)),
                }
            })
            .collect(),
        requirements_kept: kept(r, s),
        saving_monthly: r.saving.map(|m| money(m.amount, cur)),
        saving_bound: r.saving.map(|m| m.bound.id()),
        set: r.set_texts(),
        total_monthly: money(r.total(), cur),
        unpriced_lines: r.unpriced.clone(),
        usage_monthly: money(r.figures.usage, cur),
    }
}

fn kept(r: &Row, s: &Sweep) -> Vec<&'static str> {
    s.requirements.iter().filter(|c| !r.breaches.iter().any(|b| b.constraint == **c)).map(|c| c.id()).collect()
}

fn json(s: &Sweep, file: &str) -> Result<String, Error> {
    let cur = &s.conversion.currency;
    let doc = SweepReport {
        architecture: super::dto::ArchitectureDto { file, name: &s.name, region: &s.region },
        axes: s
            .axes
            .iter()
            .map(|a| AxisDto {
                base: &a.base,
                dropped: a.dropped.iter().map(|(value, why)| DroppedOptionDto { value, why }).collect(),
                path: &a.path,
                tried: a.tried.iter().map(String::as_str).collect(),
            })
            .collect(),
        base: variant(&s.base, s, file),
        cheapest: s.cheapest.as_ref().map(|r| variant(r, s, file)),
        currency: cur.code(),
        pareto: s.pareto.iter().map(|r| variant(r, s, file)).collect(),
        pricing: PricingDto {
            as_of: &s.snapshot.meta.as_of,
            sha256: &s.snapshot.sha256,
            snapshot: &s.snapshot.meta.name,
        },
        requirements: s
            .requirements
            .iter()
            .map(|c| RequirementDto { meaning: c.meaning(), requirement: c.id() })
            .collect(),
        saving_monthly: s.saving().map(|m| money(m.amount, cur)),
        saving_bound: s.saving().map(|m| m.bound.id()),
        schema_version: 1,
        skipped: s
            .skipped
            .iter()
            .map(|k| SkippedDto { count: u64::try_from(k.count).unwrap_or(u64::MAX), why: k.why.clone() })
            .collect(),
        variants_priced: s.priced,
        variants_skipped: u64::try_from(s.variants_skipped()).unwrap_or(u64::MAX),
    };
    crate::error::pretty_json(&doc)
}

/// `closednet schema --sweep`.
pub fn schema() -> Result<String, Error> {
    crate::error::pretty_json(&schemars::schema_for!(SweepReport<'static>))
}

/// `egress-inspection (saves USD 1.00 alone): why`, one per dropped requirement.
fn dropped_text(r: &Row, cur: &Currency) -> String {
    r.breaches
        .iter()
        .map(|b| {
            let alone = r.dropped.iter().find(|d| d.constraint == b.constraint).and_then(|d| d.saving_alone);
            match alone {
                Some(m) => format!("{} (alone saves {})", b.constraint, saving_text(&m, cur)),
                None => b.constraint.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn header(s: &Sweep, file: &str, out: &mut String) -> Result<(), Error> {
    let cur = &s.conversion.currency;
    let meta = &s.snapshot.meta;
    writeln!(out, "Sweep of {file} ({}): the closed design, {cur} per month", s.name)?;
    writeln!(
        out,
        "Region {} | pricing snapshot {} (as of {}) | {}",
        s.region,
        meta.name,
        meta.as_of,
        super::rate_text(&s.conversion)
    )?;
    if s.requirements.is_empty() {
        writeln!(
            out,
            "Requirements: none stated (add `requirements:` to the file: without them a sweep keeps no platform it can drop)"
        )?;
    } else {
        let ids: Vec<&str> = s.requirements.iter().map(|c| c.id()).collect();
        writeln!(out, "Requirements: {}", ids.join(", "))?;
    }
    Ok(())
}

/// Each axis on a line (`bullet`), each option not tried below it (`sub`).
fn axes_text(s: &Sweep, out: &mut String, bullet: &str, sub: &str) -> Result<(), Error> {
    for a in &s.axes {
        writeln!(out, "{bullet}{} (file: {}): tried {}", a.path, a.base, a.tried.join(", "))?;
        for (value, why) in &a.dropped {
            writeln!(out, "{sub}{value}: {why}")?;
        }
    }
    Ok(())
}

/// The verdict against the file as written.
fn verdict(s: &Sweep, c: &Row, cur: &Currency) -> String {
    match s.saving() {
        Some(_) if c.sets == s.base.sets => "the file as written is already the cheapest".to_string(),
        Some(saving) => format!("{cur} {} less than the file as written", saving_text(&saving, cur)),
        None => String::new(),
    }
}

fn counts_text(s: &Sweep, out: &mut String, bullet: &str) -> Result<(), Error> {
    writeln!(out, "Variants: {} priced, {} skipped", s.priced, s.variants_skipped())?;
    for k in &s.skipped {
        writeln!(out, "{bullet}{}: {}", k.count, k.why)?;
    }
    Ok(())
}

fn table(s: &Sweep, file: &str) -> Result<String, Error> {
    let cur = &s.conversion.currency;
    let mut out = String::new();
    header(s, file, &mut out)?;
    writeln!(out, "\nAxes (the file's value, what was tried, what was not and why):")?;
    axes_text(s, &mut out, "  ", "      ")?;
    writeln!(out)?;
    counts_text(s, &mut out, "  - ")?;
    writeln!(out)?;
    let base = &s.base;
    write!(out, "The file as written: {} {}", cur, amount(base.total(), cur, base.complete()))?;
    if base.breaches.is_empty() {
        writeln!(out)?;
    } else {
        writeln!(out, " (breaks {})", dropped_text(base, cur))?;
    }
    match &s.cheapest {
        Some(c) => {
            writeln!(
                out,
                "Cheapest keeping every requirement: {} {} (fixed {}, usage {}): {}",
                cur,
                amount(c.total(), cur, c.complete()),
                format_amount(c.figures.fixed, cur),
                format_amount(c.figures.usage, cur),
                verdict(s, c, cur)
            )?;
            writeln!(out, "  {}", estimate_command(file, &c.sets))?;
        }
        None => writeln!(out, "No variant keeps every requirement: the front below says what each one costs.")?,
    }
    writeln!(out, "\nPareto front: total against requirements kept")?;
    let mut t = Grid::new(&["Total", "Fixed", "Usage", "Saving", "Dropped", "--set"]).right(0..4);
    for r in &s.pareto {
        let sets: Vec<String> = r.sets.iter().map(|x| shell_word(&format!("{}={}", x.path, x.value))).collect();
        t.row([
            amount(r.total(), cur, r.complete()),
            format_amount(r.figures.fixed, cur),
            format_amount(r.figures.usage, cur),
            r.saving.map(|m| saving_text(&m, cur)).unwrap_or_else(|| "-".into()),
            if r.breaches.is_empty() { "none".into() } else { dropped_text(r, cur) },
            if sets.is_empty() { "(the file as written)".into() } else { sets.join(" ") },
        ]);
    }
    writeln!(out, "{t}")?;
    footnote(s, &mut out)?;
    Ok(out)
}

/// Markdown text: a `*` is literal, not emphasis.
fn md(text: &str) -> String {
    text.replace('*', "\\*")
}

/// What `*` means, and what each dropped requirement's reason is.
fn footnote(s: &Sweep, out: &mut String) -> Result<(), Error> {
    let mut unpriced: Vec<&str> =
        s.pareto.iter().chain([&s.base]).flat_map(|r| r.unpriced.iter().map(String::as_str)).collect();
    unpriced.sort_unstable();
    unpriced.dedup();
    if !unpriced.is_empty() {
        writeln!(out, "* leaves out lines without a price: {}", unpriced.join("; "))?;
    }
    let mut said: Vec<&str> = Vec::new();
    for b in s.pareto.iter().flat_map(|r| &r.breaches) {
        if !said.contains(&b.reason.as_str()) {
            said.push(&b.reason);
            writeln!(out, "- {}: {}", b.constraint, b.reason)?;
        }
    }
    Ok(())
}

fn markdown(s: &Sweep, file: &str) -> Result<String, Error> {
    let cur = &s.conversion.currency;
    let mut out = String::new();
    writeln!(out, "## Sweep: {}\n", s.name)?;
    let mut head = String::new();
    header(s, file, &mut head)?;
    for line in head.lines() {
        writeln!(out, "{line}  ")?;
    }
    writeln!(out)?;
    match &s.cheapest {
        Some(c) => {
            writeln!(
                out,
                "**Cheapest keeping every requirement: {} {}**: {} ({} {}).\n",
                cur,
                md(&amount(c.total(), cur, c.complete())),
                verdict(s, c, cur),
                cur,
                md(&amount(s.base.total(), cur, s.base.complete()))
            )?;
            writeln!(out, "```sh\n{}\n```\n", estimate_command(file, &c.sets))?;
        }
        None => writeln!(out, "**No variant keeps every requirement.**\n")?,
    }
    writeln!(out, "| Total | Fixed | Usage | Saving | Dropped | `--set` |")?;
    writeln!(out, "|---:|---:|---:|---:|---|---|")?;
    for r in &s.pareto {
        let sets: Vec<String> = r.set_texts().iter().map(|x| format!("`{x}`")).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            md(&amount(r.total(), cur, r.complete())),
            format_amount(r.figures.fixed, cur),
            format_amount(r.figures.usage, cur),
            r.saving.map(|m| saving_text(&m, cur)).unwrap_or_else(|| "-".into()),
            if r.breaches.is_empty() { "none".into() } else { dropped_text(r, cur) },
            if sets.is_empty() { "the file as written".into() } else { sets.join(" ") }
        )?;
    }
    writeln!(out)?;
    let mut notes = String::new();
    footnote(s, &mut notes)?;
    for line in notes.lines() {
        writeln!(out, "{}  ", md(line))?;
    }
    writeln!(out, "\n### Axes\n")?;
    axes_text(s, &mut out, "- ", "  - ")?;
    writeln!(out)?;
    counts_text(s, &mut out, "- ")?;
    Ok(out)
}

pub const CSV_HEADER: [&str; 11] = [
    "row",
    "total_monthly",
    "fixed_monthly",
    "usage_monthly",
    "currency",
    "complete",
    "requirements_kept",
    "requirements_dropped",
    "saving_monthly",
    "set",
    "unpriced_lines",
];

fn csv(s: &Sweep) -> Result<String, Error> {
    let cur = &s.conversion.currency;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    let rows = [("file", &s.base)]
        .into_iter()
        .chain(s.cheapest.iter().map(|c| ("cheapest", c)))
        .chain(s.pareto.iter().map(|r| ("pareto", r)));
    for (kind, r) in rows {
        w.write_record([
            kind.to_string(),
            money(r.total(), cur),
            money(r.figures.fixed, cur),
            money(r.figures.usage, cur),
            cur.code().to_string(),
            r.complete().to_string(),
            kept(r, s).join(" "),
            r.breaches.iter().map(|b| b.constraint.id()).collect::<Vec<_>>().join(" "),
            r.saving.map(|m| money(m.amount, cur)).unwrap_or_default(),
            r.set_texts().join(" "),
            r.unpriced.join("; "),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| Error::msg(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::msg(format!("cannot write CSV: {e}")))
}
