//! `--format markdown`: a sign-off worksheet that reads well printed or pasted into a wiki.
//! It carries no generation date (reports are reproducible); the sign-off block has blank dates.

use super::escape::{code, markdown as esc};
use super::verdict::Verdict;
use super::{line_source, marked, share_text};
use crate::catalog::definitions::Charge;
use crate::error::Error;
use crate::figures::{PresentedDesign, by_requirement, horizon, present};
use crate::money::{Currency, format_amount};
use crate::pipeline::Estimate;
use std::fmt::Write as _;

fn lines(out: &mut String, title: &str, d: &PresentedDesign, cur: &Currency) -> Result<(), Error> {
    writeln!(out, "## {title}\n")?;
    writeln!(out, "| Service | Tier | Component | Charge | Quantity | Unit | List | Discount | Monthly ({cur}) |")?;
    writeln!(out, "|---|---|---|---|--:|---|--:|--:|--:|")?;
    for s in d.services.iter().chain(&d.added) {
        for l in &s.lines {
            let name =
                if s.service.reason.is_some() { format!("+ {}", s.service.name) } else { s.service.name.clone() };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                esc(&name),
                esc(s.service.tier),
                esc(l.line.component),
                if l.line.charge == Charge::Fixed { "fixed" } else { "usage" },
                l.line.quantity.round_dp(4).normalize(),
                esc(l.line.unit),
                l.list.map(|m| format_amount(m, cur)).unwrap_or_else(|| "no price".into()),
                l.line.discount.map(|p| format!("{}%", p.normalize())).unwrap_or_default(),
                l.monthly.map(|m| format_amount(m, cur)).unwrap_or_else(|| "no price".into()),
            )?;
        }
    }
    writeln!(
        out,
        "| **Total** | | | | | | {} | | **{}** |\n",
        marked(d.list, d.cover(), cur),
        marked(d.total(), d.cover(), cur)
    )?;
    Ok(())
}

/// What every section of the worksheet reads: the estimate and the designs' presented figures
/// (with the design as planned and the verdict for infrastructure code).
struct Sheet<'a> {
    est: &'a Estimate<'a>,
    cur: &'a Currency,
    rbac: PresentedDesign<'a>,
    closed: PresentedDesign<'a>,
    verdict: Option<Verdict<'a>>,
}

pub fn render(est: &Estimate) -> Result<String, Error> {
    let closed = present(&est.closed, &est.conversion)?;
    let verdict = Verdict::of(est, &closed)?;
    let sheet =
        Sheet { est, cur: &est.conversion.currency, rbac: present(&est.rbac, &est.conversion)?, closed, verdict };
    let mut out = String::new();
    assumptions(&mut out, &sheet)?;
    totals(&mut out, &sheet)?;
    savings_plans(&mut out, &sheet.rbac, &sheet.closed, sheet.cur)?;
    requirements(&mut out, &sheet)?;
    lines(&mut out, "RBAC-only design", &sheet.rbac, sheet.cur)?;
    if let Some(v) = &sheet.verdict {
        lines(&mut out, "As-planned design", &v.planned, sheet.cur)?;
    }
    lines(&mut out, "Closed-network design", &sheet.closed, sheet.cur)?;
    decisions(&mut out, est)?;
    if let Some(v) = &sheet.verdict {
        judged(&mut out, v)?;
    }
    findings(&mut out, &sheet)?;
    sign_off(&mut out)?;
    Ok(out)
}

/// Every resource the verdict judged: its state, address, the service it is priced as, evidence.
fn judged(out: &mut String, v: &Verdict) -> Result<(), Error> {
    let import = v.import();
    if import.judged.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Verdict by resource\n\n{}.\n", super::verdict::counts(import))?;
    writeln!(out, "| State | Resource | Priced as | Evidence |\n|---|---|---|---|")?;
    for j in &import.judged {
        let evidence: Vec<String> = j.evidence.iter().map(|e| esc(e)).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            j.state.as_str(),
            code(&j.address),
            j.service.as_deref().map_or_else(|| "not priced".to_string(), esc),
            evidence.join("; ")
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// The title, the file and its snapshot, and every assumption behind the figures.
fn assumptions(out: &mut String, sheet: &Sheet) -> Result<(), Error> {
    let est = sheet.est;
    let meta = &est.snapshot.meta;
    let arch = &est.architecture;
    writeln!(out, "# Cost sign-off: {}\n", esc(&arch.name))?;
    if let Some(v) = &sheet.verdict {
        let lines = v.headline(sheet.cur);
        writeln!(out, "**{}**\n\n{}\n", lines[0], lines[1..].join(" "))?;
    }
    writeln!(
        out,
        "Architecture file {}, region {}. Prices as of {} (pricing snapshot {}).\n",
        code(&arch.file),
        esc(&arch.region),
        meta.as_of,
        meta.name
    )?;
    writeln!(out, "## Assumptions and sources\n")?;
    // The snapshot's currency: USD, or what `pricing fetch --currency` asked for (issue 19).
    writeln!(out, "- Prices: {} ({} list prices, pay-as-you-go).", meta.source, meta.currency)?;
    writeln!(
        out,
        "- Pricing snapshot {} sha256 `{}` (`closednet catalog --verify` recomputes it).",
        meta.name, est.snapshot.sha256
    )?;
    let rate = format!("Currency: {}.", super::rate_text(&est.conversion));
    writeln!(out, "- {rate}")?;
    writeln!(
        out,
        "- A month is {} hours; free grants are subtracted; tiered meters are split into their buckets.",
        meta.hours_per_month.normalize()
    )?;
    writeln!(
        out,
        "- Each line is rounded half away from zero to the currency's minor unit; totals are sums of rounded lines."
    )?;
    for d in &est.discounts {
        writeln!(
            out,
            "- Discount: {} (from the user's own file or command line, applied locally).",
            esc(&d.describe())
        )?;
    }
    if let Some(text) = super::commitment_text(est) {
        writeln!(out, "- {}", esc(&text))?;
    }
    if let Some(text) = super::price_sheet_text(est) {
        writeln!(out, "- {}", esc(&text))?;
    }
    let planned = sheet.verdict.as_ref().map_or(0, |v| v.planned.unpriced);
    let unpriced = sheet.rbac.unpriced + sheet.closed.unpriced + planned;
    if unpriced > 0 {
        writeln!(out, "- **{unpriced} line(s) have no price** and are left out of the totals (see the findings).")?;
    }
    writeln!(out)?;
    Ok(())
}

/// The designs' totals over each horizon (and the as-planned design's for infrastructure code), the
/// differences and the fixed share. A figure that leaves lines out is marked `(incomplete)`.
fn totals(out: &mut String, sheet: &Sheet) -> Result<(), Error> {
    let (cur, rbac, closed) = (sheet.cur, &sheet.rbac, &sheet.closed);
    let planned = sheet.verdict.as_ref().map(|v| &v.planned);
    writeln!(out, "## Totals\n")?;
    let mut designs = vec![rbac];
    designs.extend(planned);
    designs.push(closed);
    if planned.is_some() {
        writeln!(
            out,
            "| {cur} | RBAC-only | As planned | Closed network | Closed minus RBAC-only | Closed minus as planned |\n|---|--:|--:|--:|--:|--:|"
        )?;
    } else {
        writeln!(out, "| {cur} | RBAC-only | Closed network | Difference |\n|---|--:|--:|--:|")?;
    }
    for (label, cells) in horizon(&designs) {
        let (last, last_cover) = cells[cells.len() - 1];
        let mut row = format!("| {label} |");
        for (d, cover) in &cells {
            row.push_str(&format!(" {} |", marked(*d, *cover, cur)));
        }
        for (d, cover) in &cells[..cells.len() - 1] {
            row.push_str(&format!(" {} |", marked(last - *d, last_cover.plus(*cover), cur)));
        }
        writeln!(out, "{row}")?;
    }
    let shares: Vec<String> = designs.iter().map(|d| share_text(d)).collect();
    writeln!(out, "| Fixed share | {} |{}\n", shares.join(" | "), " |".repeat(designs.len() - 1))?;
    Ok(())
}

/// What closing costs, by requirement, with a total row and how to read it; nothing when closing
/// costs nothing.
fn requirements(out: &mut String, sheet: &Sheet) -> Result<(), Error> {
    let (cur, rbac, closed) = (sheet.cur, &sheet.rbac, &sheet.closed);
    let rows = by_requirement(&sheet.est.closed, rbac, closed, &sheet.est.conversion)?;
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "## What closing costs, by requirement\n")?;
    writeln!(
        out,
        "| Requirement | Fixed ({cur}) | Usage ({cur}) | Total ({cur}) | Share | Saving if dropped | Notes |"
    )?;
    writeln!(out, "|---|--:|--:|--:|--:|--:|---|")?;
    for r in &rows {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.requirement.label(),
            marked(r.fixed, r.fixed_cover, cur),
            marked(r.usage, r.usage_cover, cur),
            marked(r.total(), r.cover(), cur),
            r.share_text(),
            marked(r.saving, r.cover(), cur),
            r.note()
        )?;
    }
    writeln!(
        out,
        "| **Total** | {} | {} | **{}** | | | |\n",
        marked(closed.fixed - rbac.fixed, closed.fixed_cover.plus(rbac.fixed_cover), cur),
        marked(closed.usage - rbac.usage, closed.usage_cover.plus(rbac.usage_cover), cur),
        marked(closed.total() - rbac.total(), closed.cover().plus(rbac.cover()), cur)
    )?;
    writeln!(
        out,
        "Each row is the part of the difference that serves one requirement; the rows add up to the difference. \
         The saving if dropped re-prices the closed design without that `closed_network` setting.\n"
    )?;
    Ok(())
}

/// Each tier the closed design changed (or could not change), with the needs and the evidence.
fn decisions(out: &mut String, est: &Estimate) -> Result<(), Error> {
    let changed: Vec<_> = est.closed.decisions.iter().filter(|d| d.changed() || d.to.is_none()).collect();
    if !changed.is_empty() {
        writeln!(out, "## Decisions\n")?;
    }
    for d in changed {
        let to = d.to.unwrap_or("(no qualifying tier)");
        writeln!(
            out,
            "- **{}** ({}): {} -> {} [{}]: needs {}.",
            esc(&d.service),
            esc(d.type_id),
            esc(d.from),
            esc(to),
            d.rule.map_or("-", |r| r.as_str()),
            esc(&d.needs.describe().join("; "))
        )?;
        for e in &d.evidence {
            // e.label(): " (preview)" for a capability in preview at the date (issue 19).
            writeln!(out, "  - {}: {}{} ({}, as of {})", e.need, e.capability, e.label(), esc(e.doc), esc(e.as_of))?;
        }
    }
    Ok(())
}

/// Every finding with its rule and line, then the source of every line of the closed design.
fn findings(out: &mut String, sheet: &Sheet) -> Result<(), Error> {
    writeln!(out, "\n## Findings\n")?;
    for f in &sheet.est.findings {
        let at = f.loc.filter(|l| l.line > 0).map(|l| format!(" (line {})", l.line)).unwrap_or_default();
        writeln!(out, "- {} `{}` {}{at}: {}", f.severity.as_str(), f.rule, f.slug, esc(&f.message))?;
    }
    writeln!(out, "\n## Price sources (closed design)\n")?;
    for s in sheet.closed.services.iter().chain(&sheet.closed.added) {
        for l in &s.lines {
            writeln!(
                out,
                "- {} / {}: {}",
                esc(&s.service.name),
                esc(l.line.component),
                esc(&line_source(l, sheet.cur))
            )?;
        }
    }
    Ok(())
}

/// The sign-off block: a row per role, names, signatures and dates left blank.
fn sign_off(out: &mut String) -> Result<(), Error> {
    writeln!(out, "\n## Sign-off\n")?;
    writeln!(out, "| Role | Name | Signature | Date |\n|---|---|---|---|")?;
    for role in ["Prepared by", "Reviewed by", "Approved by"] {
        writeln!(out, "| {role} | | | |")?;
    }
    Ok(())
}

/// The fixed lines whose meters have savings plan rates: monthly list cost pay-as-you-go, on a
/// 1-year and on a 3-year plan (`--commitment` prices them at one of these).
fn savings_plans(
    out: &mut String,
    rbac: &PresentedDesign,
    closed: &PresentedDesign,
    cur: &crate::money::Currency,
) -> Result<(), Error> {
    let mut rows = Vec::new();
    for (label, d) in [("RBAC-only", rbac), ("Closed", closed)] {
        for s in d.services.iter().chain(&d.added) {
            for l in &s.lines {
                if let Some(p) = l.plans {
                    let cell = |m: Option<rust_decimal::Decimal>| {
                        m.map(|m| format_amount(m, cur)).unwrap_or_else(|| "-".into())
                    };
                    let used = l.line.commitment.map(|c| c.label()).unwrap_or("pay-as-you-go");
                    rows.push(format!(
                        "| {label} | {} | {} | {} | {} | {} | {used} |",
                        esc(&s.service.name),
                        esc(l.line.component),
                        cell(p[0]),
                        cell(p[1]),
                        cell(p[2])
                    ));
                }
            }
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Savings plans\n")?;
    writeln!(
        out,
        "| Design | Service | Component | Pay-as-you-go ({cur}) | 1-year plan ({cur}) | 3-year plan ({cur}) | Priced at |\n|---|---|---|--:|--:|--:|---|"
    )?;
    for r in rows {
        writeln!(out, "{r}")?;
    }
    writeln!(out)?;
    Ok(())
}
