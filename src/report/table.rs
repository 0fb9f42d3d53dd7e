//! The default report: both designs side by side, what the closed network adds, totals, and why.

use super::escape::text as t;
use super::grid::Grid;
use super::verdict::Verdict;
use super::{line_source, share_text, starred};
use crate::calculator::Source;
use crate::error::Error;
use crate::figures::{PresentedDesign, PresentedService, by_requirement, present};
use crate::money::{Currency, format_amount};
use crate::pipeline::Estimate;
use rust_decimal::Decimal;
use std::fmt::Write as _;

fn table(header: &[&str], right_from: usize) -> Grid {
    Grid::new(header).right(right_from..header.len())
}

/// What every section of the report reads: the estimate and the designs' presented figures (the
/// design as planned and the verdict when the input is infrastructure code).
struct Report<'a> {
    est: &'a Estimate<'a>,
    cur: &'a Currency,
    rbac: PresentedDesign<'a>,
    closed: PresentedDesign<'a>,
    verdict: Option<Verdict<'a>>,
}

pub fn render(est: &Estimate) -> Result<String, Error> {
    let closed = present(&est.closed, &est.conversion)?;
    let verdict = Verdict::of(est, &closed)?;
    let rep =
        Report { est, cur: &est.conversion.currency, rbac: present(&est.rbac, &est.conversion)?, closed, verdict };
    let mut out = String::new();
    if let Some(v) = &rep.verdict {
        for line in v.headline(rep.cur) {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    heading(&mut out, est)?;
    services(&mut out, &rep)?;
    totals(&mut out, &rep)?;
    notes(&mut out, &rep)?;
    requirements(&mut out, &rep)?;
    decisions(&mut out, est)?;
    added(&mut out, &rep)?;
    if let Some(v) = &rep.verdict {
        planned(&mut out, v)?;
        judged(&mut out, v)?;
    }
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
        writeln!(out, "{}", t(&arch.file))?;
    } else {
        writeln!(out, "{} ({})", t(&arch.name), t(&arch.file))?;
    }
    let rate = t(&super::rate_text(&est.conversion)).into_owned();
    writeln!(out, "Region {} | pricing snapshot {} (as of {}) | {rate}", t(&arch.region), meta.name, meta.as_of)?;
    writeln!(
        out,
        "Monthly cost in {}; a month is {} hours. Snapshot sha256 {}.\n",
        est.conversion.currency,
        meta.hours_per_month.normalize(),
        est.snapshot.sha256
    )?;
    Ok(())
}

/// A service's fixed and usage figures: `no price` where none of their lines has one.
fn money_cells(s: &PresentedService, cur: &Currency) -> [String; 2] {
    [starred(s.fixed, s.fixed_cover, cur), starred(s.usage, s.usage_cover, cur)]
}

/// An added resource's tier and figures, or `provided` for one the organisation already has.
fn added_cells(a: &PresentedService, cur: &Currency) -> [String; 3] {
    let tier = format!("{} x{}", t(a.service.tier), quantity_of(a));
    if provided(a) {
        [tier, "provided".to_string(), format_amount(a.usage, cur)]
    } else {
        let [fixed, usage] = money_cells(a, cur);
        [tier, fixed, usage]
    }
}

/// Each service in every design side by side (RBAC-only, as planned for infrastructure code,
/// closed), then what each design adds: the closed network's resources, then those only the
/// plan builds.
fn services(out: &mut String, rep: &Report) -> Result<(), Error> {
    let cur = rep.cur;
    let planned = rep.verdict.as_ref().map(|v| &v.planned);
    let mut header = vec!["Service", "Type", "RBAC-only tier", "Fixed", "Usage"];
    if planned.is_some() {
        header.extend(["As planned tier", "Fixed", "Usage"]);
    }
    header.extend(["Closed tier", "Fixed", "Usage"]);
    let mut tab = table(&header, 3);
    for (i, (r, c)) in rep.rbac.services.iter().zip(&rep.closed.services).enumerate() {
        let bumped = if r.service.tier != c.service.tier {
            format!("{} (was {})", t(c.service.tier), t(r.service.tier))
        } else {
            t(c.service.tier).into_owned()
        };
        let mut row =
            vec![t(&r.service.name).into_owned(), r.service.type_id.to_string(), t(r.service.tier).into_owned()];
        row.extend(money_cells(r, cur));
        if let Some(p) = planned.and_then(|p| p.services.get(i)) {
            row.push(t(p.service.tier).into_owned());
            row.extend(money_cells(p, cur));
        }
        row.push(bumped);
        row.extend(money_cells(c, cur));
        tab.row(row);
    }
    let none = || ["-".to_string(), "-".to_string(), "-".to_string()];
    for a in &rep.closed.added {
        let mut row = vec![format!("+ {}", t(&a.service.name)), a.service.type_id.to_string()];
        row.extend(none());
        if let Some(p) = planned {
            row.extend(
                p.added.iter().find(|x| x.service.name == a.service.name).map_or_else(none, |x| added_cells(x, cur)),
            );
        }
        row.extend(added_cells(a, cur));
        tab.row(row);
    }
    for x in planned.map(|p| p.added.as_slice()).unwrap_or_default() {
        if rep.closed.added.iter().any(|a| a.service.name == x.service.name) {
            continue;
        }
        let mut row = vec![format!("+ {}", t(&x.service.name)), x.service.type_id.to_string()];
        row.extend(none());
        row.extend(added_cells(x, cur));
        row.extend(none());
        tab.row(row);
    }
    writeln!(out, "{tab}\n")?;
    Ok(())
}

/// The designs' totals, the differences, and the totals over the horizon.
fn totals(out: &mut String, rep: &Report) -> Result<(), Error> {
    let (cur, rbac, closed) = (rep.cur, &rep.rbac, &rep.closed);
    let planned = rep.verdict.as_ref().map(|v| &v.planned);
    let mut designs = vec![rbac];
    designs.extend(planned);
    designs.push(closed);
    let mut header = vec!["", "RBAC-only"];
    if planned.is_some() {
        header.push("As planned");
    }
    header.push("Closed network");
    let mut s = table(&header, 1);
    for (label, cells) in crate::figures::horizon(&designs).into_iter().take(3) {
        let mut row = vec![label.to_string()];
        row.extend(cells.into_iter().map(|(d, cover)| starred(d, cover, cur)));
        s.row(row);
    }
    let mut shares = vec!["Fixed share".to_string()];
    shares.extend(designs.iter().map(|d| share_text(d)));
    s.row(shares);
    writeln!(out, "{s}")?;
    let delta = closed.total() - rbac.total();
    let pct = if rbac.total().is_zero() {
        String::new()
    } else {
        format!(" ({:+}%)", (delta * Decimal::from(100) / rbac.total()).round_dp(1))
    };
    writeln!(out, "Closed network: {cur} {} per month more than RBAC-only{pct}.", format_amount(delta, cur))?;
    if let Some(p) = planned {
        let more = closed.total() - p.total();
        let (amount, word) = if more < Decimal::ZERO { (-more, "less") } else { (more, "more") };
        writeln!(out, "Closed network: {cur} {} per month {word} than as planned.", format_amount(amount, cur))?;
    }
    if rep.est.months > 1 {
        let m = Decimal::from(rep.est.months);
        let mut parts = vec![format!("RBAC-only {cur} {}", format_amount(rbac.total() * m, cur))];
        parts.extend(planned.map(|p| format!("as planned {cur} {}", format_amount(p.total() * m, cur))));
        parts.push(format!("closed network {cur} {}", format_amount(closed.total() * m, cur)));
        writeln!(out, "Over {} months: {}.", rep.est.months, parts.join(", "))?;
    }
    Ok(())
}

/// What the totals are net of (discounts, savings plan, price sheet) and what they leave out.
fn notes(out: &mut String, rep: &Report) -> Result<(), Error> {
    let (est, cur, rbac, closed) = (rep.est, rep.cur, &rep.rbac, &rep.closed);
    let planned = rep.verdict.as_ref().map(|v| &v.planned);
    if !est.discounts.is_empty() {
        let list: Vec<String> = est.discounts.iter().map(|d| t(&d.describe()).into_owned()).collect();
        writeln!(out, "Net of discounts: {}.", list.join("; "))?;
        let mut parts = vec![format!("RBAC-only {cur} {}", format_amount(rbac.list, cur))];
        parts.extend(planned.map(|p| format!("as planned {cur} {}", format_amount(p.list, cur))));
        parts.push(format!("closed network {cur} {}", format_amount(closed.list, cur)));
        writeln!(out, "At list price: {}.", parts.join(", "))?;
    }
    if let Some(text) = super::commitment_text(est) {
        writeln!(out, "{}", t(&text))?;
    }
    if let Some(text) = super::price_sheet_text(est) {
        writeln!(out, "{}", t(&text))?;
    }
    let unpriced = rbac.unpriced + closed.unpriced + planned.map_or(0, |p| p.unpriced);
    if unpriced > 0 {
        writeln!(
            out,
            "* {unpriced} line(s) have no price and are left out of these totals; the totals are incomplete (see CN008 below)."
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
        t.row(vec![
            r.requirement.label().to_string(),
            starred(r.fixed, r.fixed_cover, cur).trim_end_matches(" *").to_string(),
            starred(r.usage, r.usage_cover, cur).trim_end_matches(" *").to_string(),
            starred(r.total(), r.cover(), cur),
            r.share_text(),
            starred(r.saving, r.cover(), cur).trim_end_matches(" *").to_string(),
            r.note(),
        ]);
    }
    let both = closed.cover().plus(rbac.cover());
    t.row(vec![
        "Total".to_string(),
        format_amount(closed.fixed - rbac.fixed, cur),
        format_amount(closed.usage - rbac.usage, cur),
        starred(closed.total() - rbac.total(), both, cur),
        String::new(),
        String::new(),
        String::new(),
    ]);
    t.left(6);
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
        let (name, type_id, from) = (t(&d.service), t(d.type_id), t(d.from));
        match &d.to {
            Some(to) => {
                writeln!(out, "- {name}: {type_id} {from} -> {} [{}]", t(to), d.rule.map_or("-", |r| r.as_str()))?
            }
            None => writeln!(out, "- {name}: {type_id} {from} kept: no tier meets the needs [CN007]")?,
        }
        writeln!(out, "    needs: {}", t(&d.needs.describe().join("; ")))?;
        for e in &d.evidence {
            // e.label(): " (preview)" for a capability in preview at the date (issue 19).
            writeln!(out, "    {}: {}{} ({}, as of {})", e.need, e.capability, e.label(), t(e.doc), t(e.as_of))?;
        }
        for r in &d.rejected {
            writeln!(out, "    not {}: {}", t(r.tier), t(&r.reason.to_string()))?;
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
        let mut line = format!("- {}: {}", t(&a.service.name), t(a.service.reason.as_deref().unwrap_or("")));
        if provided(a) {
            let new = would_cost_text(a, rep.cur, &rep.est.conversion).unwrap_or_default();
            line.push_str(&format!(" [{}{new}]", t(&provided_reason(a))));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// What the input builds beside its services, as planned: its private plumbing and platform.
fn planned(out: &mut String, v: &Verdict) -> Result<(), Error> {
    if v.planned.added.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nBuilt by the input (as planned):")?;
    for a in &v.planned.added {
        writeln!(out, "- {}: {}", t(&a.service.name), t(a.service.reason.as_deref().unwrap_or("")))?;
    }
    Ok(())
}

/// Every resource the verdict judged: its state, address, the service it is priced as, evidence.
fn judged(out: &mut String, v: &Verdict) -> Result<(), Error> {
    let import = v.import();
    if import.judged.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nVerdict by resource ({}):", super::verdict::counts(import))?;
    for j in &import.judged {
        let priced = j.service.as_deref().map_or_else(|| "not priced".to_string(), |s| format!("priced as {}", t(s)));
        let evidence: Vec<String> = j.evidence.iter().map(|e| t(e).into_owned()).collect();
        writeln!(out, "- {} {} ({priced}): {}", j.state.as_str(), t(&j.address), evidence.join("; "))?;
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
            Some(l) if l.line > 0 => format!("{}:{}:{}", t(&arch.file), l.line, l.column),
            _ => t(&arch.file).into_owned(),
        };
        writeln!(out, "- {} {} [{}] {at}: {}", f.severity.as_str(), f.rule, f.slug, t(&f.message))?;
    }
    Ok(())
}

/// The source of every line of the closed design.
fn sources(out: &mut String, rep: &Report) -> Result<(), Error> {
    writeln!(out, "\nSources (closed design):")?;
    for s in rep.closed.services.iter().chain(&rep.closed.added) {
        for l in &s.lines {
            writeln!(out, "- {} / {}: {}", t(&s.service.name), t(l.line.component), t(&line_source(l, rep.cur)))?;
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
