//! `--format html`: one self-contained page (no network, no scripts, no external fonts): the
//! summary, a stacked bar chart of fixed and usage cost per design and a per-service breakdown as
//! inline SVG, the line items, the decisions and findings, and the sources. It prints cleanly.

use super::escape::html as esc;
use super::verdict::Verdict;
use super::{line_source, marked, share_text};
use crate::catalog::definitions::Charge;
use crate::error::Error;
use crate::figures::{PresentedDesign, RequirementRow, by_requirement, horizon, present};
use crate::money::{Currency, format_amount};
use crate::pipeline::Estimate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write as _;

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem auto; max-width: 70rem; color: #1b1b1b; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid #999; }
.warn { color: #8a4b00; } .error { color: #a00; } .note { color: #2a5d8a; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; }
svg text { font-family: inherit; font-size: 12px; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
";

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Stacked bars, one per design: fixed (dark) and usage (light).
fn stacked_chart(designs: &[(&str, &PresentedDesign)], cur: &Currency) -> Result<String, Error> {
    let n = designs.len() as f64;
    let (w, h, base, top) = (60.0 + n * 150.0, 300.0, 260.0, 30.0);
    let max = designs.iter().map(|(_, d)| f(d.total())).fold(0.0_f64, f64::max).max(1.0);
    let scale = |v: f64| v / max * (base - top);
    let mut s = format!(
        "<svg id=\"chart-designs\" role=\"img\" aria-label=\"Monthly cost per design, fixed and usage\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    write!(s, "<line x1=\"40\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"#666\"/>", 40.0 + n * 150.0)?;
    for (i, (label, d)) in designs.iter().enumerate() {
        let x = 70.0 + i as f64 * 150.0;
        let hf = scale(f(d.fixed));
        let hu = scale(f(d.usage));
        write!(
            s,
            "<rect class=\"fixed\" x=\"{x}\" y=\"{:.1}\" width=\"80\" height=\"{hf:.1}\" fill=\"#1f4e79\"><title>fixed {}</title></rect>",
            base - hf,
            marked(d.fixed, d.fixed_cover, cur)
        )?;
        write!(
            s,
            "<rect class=\"usage\" x=\"{x}\" y=\"{:.1}\" width=\"80\" height=\"{hu:.1}\" fill=\"#9dc3e6\"><title>usage {}</title></rect>",
            base - hf - hu,
            marked(d.usage, d.usage_cover, cur)
        )?;
        write!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + 40.0,
            base - hf - hu - 6.0,
            esc(&marked(d.total(), d.cover(), cur))
        )?;
        write!(s, "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{label}</text>", x + 40.0, base + 18.0)?;
    }
    write!(
        s,
        "<rect x=\"40\" y=\"4\" width=\"12\" height=\"12\" fill=\"#1f4e79\"/><text x=\"56\" y=\"14\">fixed</text>"
    )?;
    write!(
        s,
        "<rect x=\"110\" y=\"4\" width=\"12\" height=\"12\" fill=\"#9dc3e6\"/><text x=\"126\" y=\"14\">usage ({cur}/month)</text>"
    )?;
    s.push_str("</svg>");
    Ok(s)
}

/// One pair of bars per service: RBAC-only and closed network monthly totals.
fn breakdown_chart(rbac: &PresentedDesign, closed: &PresentedDesign, cur: &Currency) -> Result<String, Error> {
    let mut rows: Vec<(String, Decimal, Decimal)> = closed
        .services
        .iter()
        .map(|c| {
            let r = rbac
                .services
                .iter()
                .find(|r| r.service.name == c.service.name)
                .map(|r| r.fixed + r.usage)
                .unwrap_or_default();
            (c.service.name.clone(), r, c.fixed + c.usage)
        })
        .collect();
    rows.extend(closed.added.iter().map(|a| (format!("+ {}", a.service.name), Decimal::ZERO, a.fixed + a.usage)));
    let max = rows.iter().map(|r| f(r.1.max(r.2))).fold(1.0_f64, f64::max);
    let row_h = 30.0;
    let h = 30.0 + rows.len() as f64 * row_h;
    // Room for the longest name at about 7 px a character (12 px text), so no label is clipped.
    let x0 = label_width(rows.iter().map(|r| r.0.as_str()));
    let w = x0 + 440.0;
    let mut s = format!(
        "<svg id=\"chart-services\" role=\"img\" aria-label=\"Monthly cost per service\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    write!(
        s,
        "<rect x=\"{x0}\" y=\"4\" width=\"12\" height=\"10\" fill=\"#bbb\"/><text x=\"{}\" y=\"13\">RBAC-only</text>",
        x0 + 16.0
    )?;
    write!(
        s,
        "<rect x=\"{}\" y=\"4\" width=\"12\" height=\"10\" fill=\"#1f4e79\"/><text x=\"{}\" y=\"13\">closed network ({cur}/month)</text>",
        x0 + 100.0,
        x0 + 116.0
    )?;
    for (i, (name, r, c)) in rows.iter().enumerate() {
        let y = 24.0 + i as f64 * row_h;
        let wr = f(*r) / max * 330.0;
        let wc = f(*c) / max * 330.0;
        write!(s, "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>", x0 - 10.0, y + 15.0, esc(name))?;
        write!(s, "<rect x=\"{x0}\" y=\"{y:.1}\" width=\"{wr:.1}\" height=\"10\" fill=\"#bbb\"/>")?;
        write!(s, "<rect x=\"{x0}\" y=\"{:.1}\" width=\"{wc:.1}\" height=\"10\" fill=\"#1f4e79\"/>", y + 11.0)?;
        write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x0 + 6.0 + wr.max(wc),
            y + 19.0,
            esc(&format_amount(*c, cur))
        )?;
    }
    s.push_str("</svg>");
    Ok(s)
}

/// Left margin for labels: about 7 px a character of 12 px text, at least 200 px.
fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    labels.map(|l| l.chars().count() as f64 * 7.0 + 20.0).fold(200.0, f64::max)
}

/// One bar per requirement: what closing the network costs for it, per month.
fn requirement_chart(rows: &[RequirementRow], cur: &Currency) -> Result<String, Error> {
    let max = rows.iter().map(|r| f(r.total()).abs()).fold(1.0_f64, f64::max);
    let (label_w, bar_w, row_h) = (label_width(rows.iter().map(|r| r.requirement.label())), 300.0, 24.0);
    let h = 10.0 + rows.len() as f64 * row_h;
    let w = label_w + bar_w + 140.0;
    let mut s = format!(
        "<svg id=\"chart-requirements\" role=\"img\" aria-label=\"What closing costs, by requirement\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 6.0 + i as f64 * row_h;
        let len = f(r.total()).abs() / max * bar_w;
        write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 13.0,
            esc(r.requirement.label())
        )?;
        write!(s, "<rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{len:.1}\" height=\"16\" fill=\"#1f4e79\"/>")?;
        write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\">{} ({})</text>",
            label_w + len + 6.0,
            y + 13.0,
            esc(&format_amount(r.total(), cur)),
            esc(&r.share_text())
        )?;
    }
    s.push_str("</svg>");
    Ok(s)
}

fn lines_table(out: &mut String, d: &PresentedDesign, cur: &Currency) -> Result<(), Error> {
    out.push_str("<table><thead><tr><th>Service</th><th>Tier</th><th>Component</th><th>Charge</th><th class=\"n\">Quantity</th><th>Unit</th><th class=\"n\">List</th><th class=\"n\">Discount</th>");
    write!(out, "<th class=\"n\">Monthly ({cur})</th></tr></thead><tbody>")?;
    for s in d.services.iter().chain(&d.added) {
        for l in &s.lines {
            let name =
                if s.service.reason.is_some() { format!("+ {}", s.service.name) } else { s.service.name.clone() };
            write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&name),
                esc(s.service.tier),
                esc(l.line.component),
                if l.line.charge == Charge::Fixed { "fixed" } else { "usage" },
                l.line.quantity.round_dp(4).normalize(),
                esc(l.line.unit),
                l.list.map(|m| format_amount(m, cur)).unwrap_or_else(|| "no price".into()),
                l.line.discount.map(|p| format!("{}%", p.normalize())).unwrap_or_default(),
                l.monthly
                    .map(|m| format_amount(m, cur))
                    .unwrap_or_else(|| "<span class=\"warn\">no price</span>".into()),
            )?;
        }
    }
    write!(
        out,
        "<tr class=\"total\"><td colspan=\"8\">Total / month</td><td class=\"n\">{}</td></tr></tbody></table>",
        marked(d.total(), d.cover(), cur)
    )?;
    Ok(())
}

/// What every section of the page reads: the estimate and the designs' presented figures (with
/// the design as planned and the verdict for infrastructure code).
struct Page<'a> {
    est: &'a Estimate<'a>,
    cur: &'a Currency,
    rbac: PresentedDesign<'a>,
    closed: PresentedDesign<'a>,
    verdict: Option<Verdict<'a>>,
}

impl Page<'_> {
    /// The designs in the order every table shows them.
    fn designs(&self) -> Vec<(&'static str, &PresentedDesign<'_>)> {
        let mut out = vec![("RBAC-only", &self.rbac)];
        out.extend(self.verdict.as_ref().map(|v| ("As planned", &v.planned)));
        out.push(("Closed network", &self.closed));
        out
    }
}

pub fn render(est: &Estimate) -> Result<String, Error> {
    let closed = present(&est.closed, &est.conversion)?;
    let verdict = Verdict::of(est, &closed)?;
    let page = Page { est, cur: &est.conversion.currency, rbac: present(&est.rbac, &est.conversion)?, closed, verdict };
    let mut out = String::new();
    head(&mut out, est)?;
    if let Some(v) = &page.verdict {
        headline(&mut out, v, page.cur)?;
    }
    summary(&mut out, &page)?;
    requirements(&mut out, &page)?;
    write!(
        out,
        "<h2>Charts</h2><div class=\"charts\">{}{}</div>",
        stacked_chart(&page.designs(), page.cur)?,
        breakdown_chart(&page.rbac, &page.closed, page.cur)?
    )?;
    decisions(&mut out, est)?;
    out.push_str("<h2>Closed-network design</h2>");
    lines_table(&mut out, &page.closed, page.cur)?;
    if let Some(v) = &page.verdict {
        out.push_str("<h2>As-planned design</h2>");
        lines_table(&mut out, &v.planned, page.cur)?;
    }
    out.push_str("<h2>RBAC-only design</h2>");
    lines_table(&mut out, &page.rbac, page.cur)?;
    if let Some(v) = &page.verdict {
        judged(&mut out, v)?;
    }
    findings(&mut out, est)?;
    sources(&mut out, &page)?;
    out.push_str("</body></html>\n");
    Ok(out)
}

/// The verdict and its money, first thing under the title.
fn headline(out: &mut String, v: &Verdict, cur: &Currency) -> Result<(), Error> {
    let lines = v.headline(cur);
    let class = match v.state() {
        Some(crate::iac::import::State::Closed) => "note",
        _ => "warn",
    };
    write!(out, "<h2 id=\"verdict\" class=\"{class}\">{}</h2><p>{}</p>", esc(&lines[0]), esc(&lines[1..].join(" ")))?;
    Ok(())
}

/// Every resource the verdict judged: its state, address, the service it is priced as, evidence.
fn judged(out: &mut String, v: &Verdict) -> Result<(), Error> {
    let import = v.import();
    if import.judged.is_empty() {
        return Ok(());
    }
    write!(
        out,
        "<h2>Verdict by resource</h2><p>{}.</p><table><thead><tr><th>State</th><th>Resource</th><th>Priced as</th><th>Evidence</th></tr></thead><tbody>",
        esc(&super::verdict::counts(import))
    )?;
    for j in &import.judged {
        let evidence: Vec<String> = j.evidence.iter().map(|e| esc(e)).collect();
        write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            j.state.as_str(),
            esc(&j.address),
            j.service.as_deref().map_or_else(|| "not priced".to_string(), esc),
            evidence.join("; ")
        )?;
    }
    out.push_str("</tbody></table>");
    Ok(())
}

/// The document head with its style, the title and the line naming file, region, snapshot and rate.
fn head(out: &mut String, est: &Estimate) -> Result<(), Error> {
    let meta = &est.snapshot.meta;
    let arch = &est.architecture;
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>closednet: {}</title><style>{STYLE}</style></head><body>",
        esc(&arch.name)
    )?;
    write!(out, "<h1>{}</h1>", esc(&arch.name))?;
    let rate = esc(&super::rate_text(&est.conversion));
    write!(
        out,
        "<p class=\"meta\">{} &middot; region {} &middot; pricing snapshot {} (prices as of {}, sha256 {}) &middot; {rate}</p>",
        esc(&arch.file),
        esc(&arch.region),
        esc(&meta.name),
        esc(&meta.as_of),
        esc(&est.snapshot.sha256)
    )?;
    Ok(())
}

/// The totals over each horizon, the fixed share, and what the totals leave out or are net of.
fn summary(out: &mut String, page: &Page) -> Result<(), Error> {
    let (est, cur) = (page.est, page.cur);
    let designs = page.designs();
    let planned = page.verdict.is_some();
    out.push_str("<h2>Summary</h2><table><thead><tr><th></th>");
    for (label, _) in &designs {
        write!(out, "<th class=\"n\">{label}</th>")?;
    }
    out.push_str(if planned {
        "<th class=\"n\">Closed minus RBAC-only</th><th class=\"n\">Closed minus as planned</th></tr></thead><tbody>"
    } else {
        "<th class=\"n\">Difference</th></tr></thead><tbody>"
    });
    let list: Vec<&PresentedDesign> = designs.iter().map(|(_, d)| *d).collect();
    for (label, cells) in horizon(&list) {
        let (last, last_cover) = cells[cells.len() - 1];
        write!(out, "<tr><td>{label}</td>")?;
        for (d, cover) in &cells {
            write!(out, "<td class=\"n\">{}</td>", marked(*d, *cover, cur))?;
        }
        for (d, cover) in &cells[..cells.len() - 1] {
            write!(out, "<td class=\"n\">{}</td>", marked(last - *d, last_cover.plus(*cover), cur))?;
        }
        out.push_str("</tr>");
    }
    out.push_str("<tr><td>Fixed share</td>");
    for (_, d) in &designs {
        write!(out, "<td class=\"n\">{}</td>", share_text(d))?;
    }
    out.push_str(&"<td></td>".repeat(designs.len() - 1));
    out.push_str("</tr></tbody></table>");
    let unpriced: usize = designs.iter().map(|(_, d)| d.unpriced).sum();
    if unpriced > 0 {
        write!(
            out,
            "<p class=\"warn\">{unpriced} line(s) have no price and are left out of the totals: the totals are incomplete.</p>"
        )?;
    }
    for d in &est.discounts {
        write!(out, "<p>Discount: {} (from the user's own input, applied locally).</p>", esc(&d.describe()))?;
    }
    if let Some(text) = super::commitment_text(est) {
        write!(out, "<p>{}</p>", esc(&text))?;
    }
    if let Some(text) = super::price_sheet_text(est) {
        write!(out, "<p>{}</p>", esc(&text))?;
    }
    Ok(())
}

/// What closing costs, by requirement: the table with its total row and the chart; nothing when
/// closing costs nothing.
fn requirements(out: &mut String, page: &Page) -> Result<(), Error> {
    let (cur, rbac, closed) = (page.cur, &page.rbac, &page.closed);
    let rows = by_requirement(&page.est.closed, rbac, closed, &page.est.conversion)?;
    if rows.is_empty() {
        return Ok(());
    }
    write!(
        out,
        "<h2>What closing costs, by requirement</h2><table><thead><tr><th>Requirement</th><th class=\"n\">Fixed</th><th class=\"n\">Usage</th><th class=\"n\">Total ({cur})</th><th class=\"n\">Share</th><th class=\"n\">Saving if dropped</th><th>Notes</th></tr></thead><tbody>"
    )?;
    for r in &rows {
        write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(r.requirement.label()),
            marked(r.fixed, r.fixed_cover, cur),
            marked(r.usage, r.usage_cover, cur),
            marked(r.total(), r.cover(), cur),
            esc(&r.share_text()),
            marked(r.saving, r.cover(), cur),
            esc(&r.note())
        )?;
    }
    write!(
        out,
        "<tr class=\"total\"><td>Total</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td><td></td><td></td></tr></tbody></table>{}",
        marked(closed.fixed - rbac.fixed, closed.fixed_cover.plus(rbac.fixed_cover), cur),
        marked(closed.usage - rbac.usage, closed.usage_cover.plus(rbac.usage_cover), cur),
        marked(closed.total() - rbac.total(), closed.cover().plus(rbac.cover()), cur),
        requirement_chart(&rows, cur)?
    )?;
    Ok(())
}

/// Each tier the closed design changed (or could not change), with the needs and the evidence.
fn decisions(out: &mut String, est: &Estimate) -> Result<(), Error> {
    let changed: Vec<_> = est.closed.decisions.iter().filter(|d| d.changed() || d.to.is_none()).collect();
    if !changed.is_empty() {
        out.push_str("<h2>Why the closed design changes tiers</h2>");
    }
    out.push_str("<ul>");
    for d in changed {
        let to = d.to.unwrap_or("(no qualifying tier)");
        write!(
            out,
            "<li><strong>{}</strong> ({}): {} &rarr; {} [{}]: needs {}<ul>",
            esc(&d.service),
            esc(d.type_id),
            esc(d.from),
            esc(to),
            esc(d.rule.map_or("-", |r| r.as_str())),
            esc(&d.needs.describe().join("; "))
        )?;
        for e in &d.evidence {
            write!(
                out,
                "<li>{}: {}{} (<a href=\"{}\">{}</a>, as of {})</li>",
                esc(e.need.as_str()),
                esc(e.capability.as_str()),
                e.label(), // " (preview)" for a capability in preview at the date (issue 19)
                esc(e.doc),
                esc(e.doc),
                esc(e.as_of)
            )?;
        }
        out.push_str("</ul></li>");
    }
    out.push_str("</ul>");
    Ok(())
}

/// Every finding, styled by its severity, linked to its rule's documentation.
fn findings(out: &mut String, est: &Estimate) -> Result<(), Error> {
    out.push_str("<h2>Findings</h2><ul>");
    for fi in &est.findings {
        let class = match fi.severity.as_str() {
            "error" => "error",
            "warning" => "warn",
            _ => "note",
        };
        write!(
            out,
            "<li class=\"{class}\">{} <a href=\"{}\">{}</a> {}: {}</li>",
            fi.severity.as_str(),
            esc(fi.doc),
            fi.rule,
            fi.slug,
            esc(&fi.message)
        )?;
    }
    out.push_str("</ul>");
    Ok(())
}

/// The source of every line of the closed design.
fn sources(out: &mut String, page: &Page) -> Result<(), Error> {
    out.push_str("<h2>Sources</h2><ul>");
    for s in page.closed.services.iter().chain(&page.closed.added) {
        for l in &s.lines {
            write!(
                out,
                "<li>{} / {}: {}</li>",
                esc(&s.service.name),
                esc(l.line.component),
                esc(&line_source(l, page.cur))
            )?;
        }
    }
    out.push_str("</ul>");
    Ok(())
}
