//! `--format markdown`: a sign-off worksheet that reads well printed or pasted into a wiki.
//! It carries no generation date (reports are reproducible); the sign-off block has blank dates.

use super::{PresentedDesign, by_requirement, horizon_rows, line_source, present, share_text};
use crate::Estimate;
use crate::catalog::definitions::Charge;
use crate::money::{Currency, format_amount};
use std::fmt::Write as _;

fn esc(s: &str) -> String {
    s.replace('|', "\\|")
}

fn lines(out: &mut String, title: &str, d: &PresentedDesign, cur: &Currency) {
    writeln!(out, "## {title}\n").unwrap();
    writeln!(out, "| Service | Tier | Component | Charge | Quantity | Unit | List | Discount | Monthly ({cur}) |")
        .unwrap();
    writeln!(out, "|---|---|---|---|--:|---|--:|--:|--:|").unwrap();
    for s in d.services.iter().chain(&d.added) {
        for l in &s.lines {
            let name =
                if s.service.reason.is_some() { format!("+ {}", s.service.name) } else { s.service.name.clone() };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                esc(&name),
                s.service.tier,
                esc(l.line.component),
                if l.line.charge == Charge::Fixed { "fixed" } else { "usage" },
                l.line.quantity.round_dp(4).normalize(),
                l.line.unit,
                l.list.map(|m| format_amount(m, cur)).unwrap_or_else(|| "no price".into()),
                l.line.discount.map(|p| format!("{}%", p.normalize())).unwrap_or_default(),
                l.monthly.map(|m| format_amount(m, cur)).unwrap_or_else(|| "no price".into()),
            )
            .unwrap();
        }
    }
    writeln!(
        out,
        "| **Total** | | | | | | {} | | **{}** |\n",
        format_amount(d.list, cur),
        format_amount(d.total(), cur)
    )
    .unwrap();
}

pub fn render(est: &Estimate) -> Result<String, String> {
    let cur = &est.conversion.currency;
    let rbac = present(&est.rbac, &est.conversion)?;
    let closed = present(&est.closed, &est.conversion)?;
    let meta = &est.snapshot.meta;
    let arch = &est.architecture;
    let mut out = String::new();
    writeln!(out, "# Cost sign-off: {}\n", esc(&arch.name)).unwrap();
    writeln!(
        out,
        "Architecture file `{}`, region {}. Prices as of {} (pricing snapshot {}).\n",
        arch.file, arch.region, meta.as_of, meta.name
    )
    .unwrap();
    writeln!(out, "## Assumptions and sources\n").unwrap();
    writeln!(out, "- Prices: {} (USD list prices, pay-as-you-go).", meta.source).unwrap();
    writeln!(
        out,
        "- Pricing snapshot {} sha256 `{}` (`closednet catalog --verify` recomputes it).",
        meta.name, est.snapshot.sha256
    )
    .unwrap();
    let rate = format!("Currency: {}.", super::rate_text(&est.conversion));
    writeln!(out, "- {rate}").unwrap();
    writeln!(
        out,
        "- A month is {} hours; free grants are subtracted; tiered meters are split into their buckets.",
        meta.hours_per_month.normalize()
    )
    .unwrap();
    writeln!(
        out,
        "- Each line is rounded half away from zero to the currency's minor unit; totals are sums of rounded lines."
    )
    .unwrap();
    for d in &est.discounts {
        writeln!(out, "- Discount: {} (from the user's own file or command line, applied locally).", d.describe())
            .unwrap();
    }
    if let Some(text) = super::commitment_text(est) {
        writeln!(out, "- {}", esc(&text)).unwrap();
    }
    if let Some(text) = super::price_sheet_text(est) {
        writeln!(out, "- {}", esc(&text)).unwrap();
    }
    let unpriced = rbac.unpriced + closed.unpriced;
    if unpriced > 0 {
        writeln!(out, "- **{unpriced} line(s) have no price** and are left out of the totals (see the findings).")
            .unwrap();
    }
    writeln!(out).unwrap();

    writeln!(out, "## Totals\n").unwrap();
    writeln!(out, "| {cur} | RBAC-only | Closed network | Difference |\n|---|--:|--:|--:|").unwrap();
    for (label, a, b) in horizon_rows(&rbac, &closed) {
        writeln!(
            out,
            "| {label} | {} | {} | {} |",
            format_amount(a, cur),
            format_amount(b, cur),
            format_amount(b - a, cur)
        )
        .unwrap();
    }
    writeln!(out, "| Fixed share | {} | {} | |\n", share_text(&rbac), share_text(&closed)).unwrap();

    savings_plans(&mut out, &rbac, &closed, cur);

    let rows = by_requirement(&est.closed, &rbac, &closed, &est.conversion)?;
    if !rows.is_empty() {
        writeln!(out, "## What closing costs, by requirement\n").unwrap();
        writeln!(
            out,
            "| Requirement | Fixed ({cur}) | Usage ({cur}) | Total ({cur}) | Share | Saving if dropped | Notes |"
        )
        .unwrap();
        writeln!(out, "|---|--:|--:|--:|--:|--:|---|").unwrap();
        for r in &rows {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                r.requirement.label(),
                format_amount(r.fixed, cur),
                format_amount(r.usage, cur),
                format_amount(r.total(), cur),
                r.share_text(),
                format_amount(r.saving, cur),
                r.note()
            )
            .unwrap();
        }
        writeln!(
            out,
            "| **Total** | {} | {} | **{}** | | | |\n",
            format_amount(closed.fixed - rbac.fixed, cur),
            format_amount(closed.usage - rbac.usage, cur),
            format_amount(closed.total() - rbac.total(), cur)
        )
        .unwrap();
        writeln!(
            out,
            "Each row is the part of the difference that serves one requirement; the rows add up to the difference. \
             The saving if dropped re-prices the closed design without that `closed_network` setting.\n"
        )
        .unwrap();
    }

    lines(&mut out, "RBAC-only design", &rbac, cur);
    lines(&mut out, "Closed-network design", &closed, cur);

    let changed: Vec<_> = est.closed.decisions.iter().filter(|d| d.changed() || d.to.is_none()).collect();
    if !changed.is_empty() {
        writeln!(out, "## Decisions\n").unwrap();
    }
    for d in changed {
        let to = d.to.unwrap_or("(no qualifying tier)");
        writeln!(
            out,
            "- **{}** ({}): {} -> {} [{}]: needs {}.",
            d.service,
            d.type_id,
            d.from,
            to,
            d.rule.unwrap_or("-"),
            d.needs.describe().join("; ")
        )
        .unwrap();
        for e in &d.evidence {
            writeln!(out, "  - {}: {} ({}, as of {})", e.need, e.capability, e.doc, e.as_of).unwrap();
        }
    }
    writeln!(out, "\n## Findings\n").unwrap();
    for f in &est.findings {
        let at = f.loc.filter(|l| l.line > 0).map(|l| format!(" (line {})", l.line)).unwrap_or_default();
        writeln!(out, "- {} `{}` {}{at}: {}", f.severity.as_str(), f.rule, f.slug, esc(&f.message)).unwrap();
    }
    writeln!(out, "\n## Price sources (closed design)\n").unwrap();
    for s in closed.services.iter().chain(&closed.added) {
        for l in &s.lines {
            writeln!(out, "- {} / {}: {}", s.service.name, l.line.component, line_source(l, &est.conversion.currency))
                .unwrap();
        }
    }
    writeln!(out, "\n## Sign-off\n").unwrap();
    writeln!(out, "| Role | Name | Signature | Date |\n|---|---|---|---|").unwrap();
    for role in ["Prepared by", "Reviewed by", "Approved by"] {
        writeln!(out, "| {role} | | | |").unwrap();
    }
    Ok(out)
}

/// The fixed lines whose meters have savings plan rates: monthly list cost pay-as-you-go, on a
/// 1-year and on a 3-year plan (`--commitment` prices them at one of these).
fn savings_plans(out: &mut String, rbac: &PresentedDesign, closed: &PresentedDesign, cur: &crate::money::Currency) {
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
        return;
    }
    writeln!(out, "## Savings plans\n").unwrap();
    writeln!(
        out,
        "| Design | Service | Component | Pay-as-you-go ({cur}) | 1-year plan ({cur}) | 3-year plan ({cur}) | Priced at |\n|---|---|---|--:|--:|--:|---|"
    )
    .unwrap();
    for r in rows {
        writeln!(out, "{r}").unwrap();
    }
    writeln!(out).unwrap();
}
