//! The default report: both designs side by side, what the closed network adds, totals, and why.

use super::{line_source, share_text};
use crate::calculator::Source;
use crate::error::Error;
use crate::figures::{PresentedDesign, PresentedService, by_requirement, present};
use crate::money::{Currency, format_amount};
use crate::pipeline::Estimate;
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use rust_decimal::Decimal;
use std::fmt::Write as _;

fn amount(d: Decimal, cur: &Currency, unpriced: usize) -> String {
    let a = format_amount(d, cur);
    if unpriced > 0 { format!("{a} *") } else { a }
}

fn table(header: &[&str], right_from: usize) -> Table {
    let mut t = Table::new();
    t.load_style(presets::ASCII_BORDERS_ONLY_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(header.to_vec());
    for i in right_from..header.len() {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// What every section of the report reads: the estimate and both designs' presented figures.
struct Report<'a> {
    est: &'a Estimate<'a>,
    cur: &'a Currency,
    rbac: PresentedDesign<'a>,
    closed: PresentedDesign<'a>,
}

pub fn render(est: &Estimate) -> Result<String, Error> {
    let rep = Report {
        est,
        cur: &est.conversion.currency,
        rbac: present(&est.rbac, &est.conversion)?,
        closed: present(&est.closed, &est.conversion)?,
    };
    let mut out = String::new();
    heading(&mut out, est)?;
    services(&mut out, &rep)?;
    totals(&mut out, &rep)?;
    notes(&mut out, &rep)?;
    requirements(&mut out, &rep)?;
    decisions(&mut out, est)?;
    added(&mut out, &rep)?;
    findings(&mut out, est)?;
    sources(&mut out, &rep)?;
    Ok(out)
}

/// The file's name, its region, the pricing snapshot and the report currency.
fn heading(out: &mut String, est: &Estimate) -> Result<(), Error> {
    let meta = &est.snapshot.meta;
    let arch = &est.architecture;
    // A file without `name` is named by its path: print it once.
    if arch.name == arch.file {
        writeln!(out, "{}", arch.file)?;
    } else {
        writeln!(out, "{} ({})", arch.name, arch.file)?;
    }
    let rate = super::rate_text(&est.conversion);
    writeln!(out, "Region {} | pricing snapshot {} (as of {}) | {rate}", arch.region, meta.name, meta.as_of)?;
    writeln!(
        out,
        "Monthly cost in {}; a month is {} hours. Snapshot sha256 {}.\n",
        est.conversion.currency,
        meta.hours_per_month.normalize(),
        est.snapshot.sha256
    )?;
    Ok(())
}

/// Each service in both designs side by side, then what the closed network adds.
fn services(out: &mut String, rep: &Report) -> Result<(), Error> {
    let cur = rep.cur;
    let mut t = table(&["Service", "Type", "RBAC-only tier", "Fixed", "Usage", "Closed tier", "Fixed", "Usage"], 3);
    for (r, c) in rep.rbac.services.iter().zip(&rep.closed.services) {
        let bumped = if r.service.tier != c.service.tier {
            format!("{} (was {})", c.service.tier, r.service.tier)
        } else {
            c.service.tier.to_string()
        };
        t.add_row(vec![
            r.service.name.clone(),
            r.service.type_id.to_string(),
            r.service.tier.to_string(),
            amount(r.fixed, cur, r.unpriced),
            format_amount(r.usage, cur),
            bumped,
            amount(c.fixed, cur, c.unpriced),
            format_amount(c.usage, cur),
        ]);
    }
    for a in &rep.closed.added {
        t.add_row(vec![
            format!("+ {}", a.service.name),
            a.service.type_id.to_string(),
            "-".into(),
            "-".into(),
            "-".into(),
            format!("{} x{}", a.service.tier, quantity_of(a)),
            if provided(a) {
                "provided".to_string()
            } else if a.unpriced > 0 && a.unpriced == a.lines.len() {
                "no price".to_string()
            } else {
                amount(a.fixed, cur, a.unpriced)
            },
            format_amount(a.usage, cur),
        ]);
    }
    writeln!(out, "{t}\n")?;
    Ok(())
}

/// The two designs' totals, the difference, and the totals over the horizon.
fn totals(out: &mut String, rep: &Report) -> Result<(), Error> {
    let (cur, rbac, closed) = (rep.cur, &rep.rbac, &rep.closed);
    let mut s = table(&["", "RBAC-only", "Closed network"], 1);
    s.add_row(vec![
        "Fixed / month".to_string(),
        amount(rbac.fixed, cur, rbac.unpriced),
        amount(closed.fixed, cur, closed.unpriced),
    ]);
    s.add_row(vec!["Usage / month".to_string(), format_amount(rbac.usage, cur), format_amount(closed.usage, cur)]);
    s.add_row(vec![
        "Total / month".to_string(),
        amount(rbac.total(), cur, rbac.unpriced),
        amount(closed.total(), cur, closed.unpriced),
    ]);
    s.add_row(vec!["Fixed share".to_string(), share_text(rbac), share_text(closed)]);
    writeln!(out, "{s}")?;
    let delta = closed.total() - rbac.total();
    let pct = if rbac.total().is_zero() {
        String::new()
    } else {
        format!(" ({:+}%)", (delta * Decimal::from(100) / rbac.total()).round_dp(1))
    };
    writeln!(out, "Closed network: {cur} {} per month more than RBAC-only{pct}.", format_amount(delta, cur))?;
    if rep.est.months > 1 {
        let m = Decimal::from(rep.est.months);
        writeln!(
            out,
            "Over {} months: RBAC-only {cur} {}, closed network {cur} {}.",
            rep.est.months,
            format_amount(rbac.total() * m, cur),
            format_amount(closed.total() * m, cur)
        )?;
    }
    Ok(())
}

/// What the totals are net of (discounts, savings plan, price sheet) and what they leave out.
fn notes(out: &mut String, rep: &Report) -> Result<(), Error> {
    let (est, cur, rbac, closed) = (rep.est, rep.cur, &rep.rbac, &rep.closed);
    if !est.discounts.is_empty() {
        let list: Vec<String> = est.discounts.iter().map(|d| d.describe()).collect();
        writeln!(out, "Net of discounts: {}.", list.join("; "))?;
        writeln!(
            out,
            "At list price: RBAC-only {cur} {}, closed network {cur} {}.",
            format_amount(rbac.list, cur),
            format_amount(closed.list, cur)
        )?;
    }
    if let Some(text) = super::commitment_text(est) {
        writeln!(out, "{text}")?;
    }
    if let Some(text) = super::price_sheet_text(est) {
        writeln!(out, "{text}")?;
    }
    if rbac.unpriced + closed.unpriced > 0 {
        writeln!(
            out,
            "* {} line(s) have no price and are left out of these totals; the totals are incomplete (see CN008 below).",
            rbac.unpriced + closed.unpriced
        )?;
    }
    Ok(())
}

/// What closing costs, by requirement, with a total row; nothing when closing costs nothing.
fn requirements(out: &mut String, rep: &Report) -> Result<(), Error> {
    let (cur, rbac, closed) = (rep.cur, &rep.rbac, &rep.closed);
    let rows = by_requirement(&rep.est.closed, rbac, closed, &rep.est.conversion)?;
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nWhat closing costs, by requirement ({cur} per month):")?;
    let mut t = table(&["Requirement", "Fixed", "Usage", "Total", "Share", "Saving if dropped", ""], 1);
    for r in &rows {
        t.add_row(vec![
            r.requirement.label().to_string(),
            format_amount(r.fixed, cur),
            format_amount(r.usage, cur),
            amount(r.total(), cur, r.unpriced),
            r.share_text(),
            format_amount(r.saving, cur),
            r.note(),
        ]);
    }
    t.add_row(vec![
        "Total".to_string(),
        format_amount(closed.fixed - rbac.fixed, cur),
        format_amount(closed.usage - rbac.usage, cur),
        format_amount(closed.total() - rbac.total(), cur),
        String::new(),
        String::new(),
        String::new(),
    ]);
    if let Some(col) = t.column_mut(6) {
        col.set_cell_alignment(CellAlignment::Left);
    }
    writeln!(out, "{t}")?;
    Ok(())
}

/// Each tier the closed design changed (or could not change): the rule, the needs and the evidence.
fn decisions(out: &mut String, est: &Estimate) -> Result<(), Error> {
    let changed: Vec<_> = est.closed.decisions.iter().filter(|d| d.changed() || d.to.is_none()).collect();
    if !changed.is_empty() {
        writeln!(out, "\nWhy the closed design changes tiers:")?;
    }
    for d in changed {
        match &d.to {
            Some(to) => writeln!(
                out,
                "- {}: {} {} -> {} [{}]",
                d.service,
                d.type_id,
                d.from,
                to,
                d.rule.map_or("-", |r| r.as_str())
            )?,
            None => writeln!(out, "- {}: {} {} kept: no tier meets the needs [CN007]", d.service, d.type_id, d.from)?,
        }
        writeln!(out, "    needs: {}", d.needs.describe().join("; "))?;
        for e in &d.evidence {
            writeln!(out, "    {}: {} ({}, as of {})", e.need, e.capability, e.doc, e.as_of)?;
        }
        for r in &d.rejected {
            writeln!(out, "    not {}: {}", r.tier, r.reason)?;
        }
    }
    Ok(())
}

/// Why the closed network adds each resource, and what a provided one would cost if built new.
fn added(out: &mut String, rep: &Report) -> Result<(), Error> {
    if rep.closed.added.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nAdded by the closed network:")?;
    for a in &rep.closed.added {
        let mut line = format!("- {}: {}", a.service.name, a.service.reason.as_deref().unwrap_or(""));
        if provided(a) {
            let new = would_cost_text(a, rep.cur, &rep.est.conversion).unwrap_or_default();
            line.push_str(&format!(" [{}{new}]", provided_reason(a)));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Every finding with its severity, rule and place in the file.
fn findings(out: &mut String, est: &Estimate) -> Result<(), Error> {
    if est.findings.is_empty() {
        return Ok(());
    }
    let arch = &est.architecture;
    writeln!(out, "\nFindings:")?;
    for f in &est.findings {
        let at = match f.loc {
            Some(l) if l.line > 0 => format!("{}:{}:{}", arch.file, l.line, l.column),
            _ => arch.file.clone(),
        };
        writeln!(out, "- {} {} [{}] {at}: {}", f.severity.as_str(), f.rule, f.slug, f.message)?;
    }
    Ok(())
}

/// The source of every line of the closed design.
fn sources(out: &mut String, rep: &Report) -> Result<(), Error> {
    writeln!(out, "\nSources (closed design):")?;
    for s in rep.closed.services.iter().chain(&rep.closed.added) {
        for l in &s.lines {
            writeln!(out, "- {} / {}: {}", s.service.name, l.line.component, line_source(l, rep.cur))?;
        }
    }
    Ok(())
}

/// Whether every line of an added resource is provided by what the organisation already has.
fn provided(a: &PresentedService) -> bool {
    !a.lines.is_empty() && a.lines.iter().all(|l| matches!(l.line.source, Source::Provided { .. }))
}

fn provided_reason(a: &PresentedService) -> String {
    match a.lines.first().map(|l| &l.line.source) {
        Some(Source::Provided { reason, .. }) => reason.clone(),
        _ => String::new(),
    }
}

/// `; CUR 1,234/month if built new`, from the list prices the provided lines would have.
fn would_cost_text(a: &PresentedService, cur: &Currency, conv: &crate::money::Conversion) -> Option<String> {
    let mut total = Decimal::ZERO;
    for l in &a.lines {
        match &l.line.source {
            Source::Provided { would_cost: Some(w), .. } => total += conv.present(*w).ok()?,
            _ => return None,
        }
    }
    Some(format!("; {cur} {}/month if built new", format_amount(total, cur)))
}

fn quantity_of(a: &PresentedService) -> String {
    a.service.count.map(|c| c.normalize().to_string()).unwrap_or_else(|| "1".into())
}
