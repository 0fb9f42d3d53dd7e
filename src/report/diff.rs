//! `closednet diff OLD NEW`: per service and per added resource, what changed in tier and monthly
//! cost in each design, and the totals. The Markdown form is a pull-request comment's body.
//!
//! A line without a price is never a cost of 0: a line that goes from "no price" to a price is
//! *newly priced* (and one that loses its price *no longer priced*), shown as such and left out of
//! the cost change, so that a snapshot that learns a price does not read as an increase. When both
//! inputs are infrastructure code, the design as planned is compared too (and the verdicts); when
//! only one is, the diff says why that design is not compared.

use super::escape;
use super::grid::Grid;
use crate::error::Error;
use crate::figures::{Cover, PresentedDesign, PresentedService, present};
use crate::iac::import::State;
use crate::money::{Currency, format_amount, format_money};
use crate::pipeline::Estimate;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// The formats of `closednet diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
}

/// The diff in `format`.
pub fn render(d: &Diff, format: DiffFormat) -> Result<String, Error> {
    match format {
        DiffFormat::Table => table(d),
        DiffFormat::Json => json(d),
        DiffFormat::Markdown => markdown(d),
    }
}

/// One side of a row: the service's priced total and how many of its lines have a price.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Side {
    pub monthly: Decimal,
    pub cover: Cover,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub type_id: String,
    /// Added by the design rather than declared.
    pub added: bool,
    pub old_tier: Option<String>,
    pub new_tier: Option<String>,
    pub old: Option<Side>,
    pub new: Option<Side>,
    /// The cost change: lines priced on both sides, and lines added or removed with a price.
    pub delta: Decimal,
    /// What lines that had no price now cost (not a cost change).
    pub newly_priced: Decimal,
    /// What lines that lost their price cost before (not a cost change).
    pub no_longer_priced: Decimal,
    /// Whether some line went from no price to a price, or the other way.
    pub repriced: (bool, bool),
}

impl Row {
    pub fn changed(&self) -> bool {
        self.old_tier != self.new_tier || self.old != self.new
    }
}

/// The cost change of one service between its old and new lines, matched by line key; a side
/// with no priced line at all is "no price" as a whole, and whatever the other side costs moves to
/// newly priced (or no longer priced).
fn compare(o: Option<&PresentedService>, n: Option<&PresentedService>) -> (Decimal, Decimal, Decimal, (bool, bool)) {
    let no_price = |s: Option<&PresentedService>| s.is_some_and(|s| s.cover().no_price());
    if no_price(o) && !no_price(n) {
        let t = n.map(|s| s.total()).unwrap_or_default();
        return (Decimal::ZERO, t, Decimal::ZERO, (n.is_some_and(|s| s.cover().priced > 0), false));
    }
    if no_price(n) && !no_price(o) {
        let t = o.map(|s| s.total()).unwrap_or_default();
        return (Decimal::ZERO, Decimal::ZERO, t, (false, o.is_some_and(|s| s.cover().priced > 0)));
    }
    let (mut delta, mut newly, mut lost, mut flags) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, (false, false));
    let (old_lines, new_lines) =
        (o.map(|s| s.lines.as_slice()).unwrap_or_default(), n.map(|s| s.lines.as_slice()).unwrap_or_default());
    for l in new_lines {
        match (old_lines.iter().find(|x| x.line.key == l.line.key).map(|x| x.monthly), l.monthly) {
            (Some(Some(a)), Some(b)) => delta += b - a,
            (Some(None), Some(b)) => (newly, flags.0) = (newly + b, true),
            (Some(Some(a)), None) => (lost, flags.1) = (lost + a, true),
            (None, Some(b)) => delta += b,
            (_, None) => {}
        }
    }
    for l in old_lines.iter().filter(|l| !new_lines.iter().any(|x| x.line.key == l.line.key)) {
        delta -= l.monthly.unwrap_or_default();
    }
    (delta, newly, lost, flags)
}

#[derive(Clone, Debug)]
pub struct DesignDiff {
    pub rows: Vec<Row>,
    pub old_total: Decimal,
    pub new_total: Decimal,
    pub old_cover: Cover,
    pub new_cover: Cover,
}

impl DesignDiff {
    /// The cost change: the sum of the rows' (newly and no longer priced lines left out).
    pub fn delta(&self) -> Decimal {
        self.rows.iter().map(|r| r.delta).sum()
    }

    pub fn newly_priced(&self) -> Decimal {
        self.rows.iter().map(|r| r.newly_priced).sum()
    }

    pub fn no_longer_priced(&self) -> Decimal {
        self.rows.iter().map(|r| r.no_longer_priced).sum()
    }
}

/// Why the designs as planned are not compared, when only one input is infrastructure code.
fn why_not_planned(old: &Estimate, new: &Estimate) -> Option<String> {
    let file = |e: &Estimate| e.architecture.file.clone();
    match (&old.as_built, &new.as_built) {
        (Some(_), None) => {
            Some(format!("{} is an architecture file: only infrastructure code has a design as planned", file(new)))
        }
        (None, Some(_)) => {
            Some(format!("{} is an architecture file: only infrastructure code has a design as planned", file(old)))
        }
        _ => None,
    }
}

pub struct Diff<'a> {
    pub old: &'a Estimate<'a>,
    pub new: &'a Estimate<'a>,
    pub currency: Currency,
    pub rbac: DesignDiff,
    pub closed: DesignDiff,
    /// Both inputs are infrastructure code: the designs as they build them.
    pub as_planned: Option<DesignDiff>,
    /// One input is infrastructure code and the other is not: why `as_planned` is missing.
    pub as_planned_missing: Option<String>,
}

fn rows(old: &PresentedDesign, new: &PresentedDesign) -> DesignDiff {
    let mut rows = Vec::new();
    for (added, o_list, n_list) in [(false, &old.services, &new.services), (true, &old.added, &new.added)] {
        let find = |list: &[PresentedService], name: &str| list.iter().position(|s| s.service.name == name);
        let mut names: Vec<&str> = n_list.iter().map(|s| s.service.name.as_str()).collect();
        names.extend(o_list.iter().map(|s| s.service.name.as_str()).filter(|n| find(n_list, n).is_none()));
        for name in names {
            let o = find(o_list, name).map(|i| &o_list[i]);
            let n = find(n_list, name).map(|i| &n_list[i]);
            // Each name comes from one of the two lists, so one of them has it.
            let Some(any) = n.or(o) else { continue };
            let (delta, newly_priced, no_longer_priced, repriced) = compare(o, n);
            let side = |s: &PresentedService| Side { monthly: s.total(), cover: s.cover() };
            rows.push(Row {
                name: name.to_string(),
                type_id: any.service.type_id.to_string(),
                added,
                old_tier: o.map(|s| s.service.tier.to_string()),
                new_tier: n.map(|s| s.service.tier.to_string()),
                old: o.map(side),
                new: n.map(side),
                delta,
                newly_priced,
                no_longer_priced,
                repriced,
            });
        }
    }
    DesignDiff { rows, old_total: old.total(), new_total: new.total(), old_cover: old.cover(), new_cover: new.cover() }
}

impl<'a> Diff<'a> {
    pub fn new(old: &'a Estimate<'a>, new: &'a Estimate<'a>) -> Result<Diff<'a>, Error> {
        if !old.conversion.same_as(&new.conversion) {
            return Err(Error::msg(format!(
                "{} is priced in {} at {} and {} in {} at {}: pass --currency and --fx to compare like with like",
                old.architecture.file,
                old.conversion.currency,
                old.conversion.rate,
                new.architecture.file,
                new.conversion.currency,
                new.conversion.rate
            )));
        }
        let rbac = rows(&present(&old.rbac, &old.conversion)?, &present(&new.rbac, &new.conversion)?);
        let closed = rows(&present(&old.closed, &old.conversion)?, &present(&new.closed, &new.conversion)?);
        let as_planned = match (&old.as_built, &new.as_built) {
            (Some(o), Some(n)) => {
                Some(rows(&present(&o.as_planned, &old.conversion)?, &present(&n.as_planned, &new.conversion)?))
            }
            _ => None,
        };
        let as_planned_missing = why_not_planned(old, new);
        Ok(Diff { old, new, currency: new.conversion.currency.clone(), rbac, closed, as_planned, as_planned_missing })
    }

    /// The designs in the order the formats show them.
    fn designs(&self) -> Vec<(&'static str, &DesignDiff)> {
        let mut out = vec![("RBAC-only", &self.rbac)];
        out.extend(self.as_planned.as_ref().map(|p| ("As planned", p)));
        out.push(("Closed network", &self.closed));
        out
    }

    /// `Verdict: half-closed -> closed`, when both inputs are infrastructure code.
    fn verdicts(&self) -> Option<String> {
        let state = |e: &Estimate| e.as_built.as_ref().map(|b| b.verdict.map_or("nothing to judge", State::as_str));
        Some(format!("Verdict: {} -> {}", state(self.old)?, state(self.new)?))
    }
}

/// A side's figure: `-` when the service is not there, `no price` when none of its lines has one,
/// `*` when some are left out.
fn side(s: Option<Side>, cur: &Currency) -> String {
    s.map(|s| super::starred(s.monthly, s.cover, cur)).unwrap_or_else(|| "-".into())
}

/// `standard -> premium`, `new: p1`, `removed: p1`, each tier escaped with `t`.
fn tier_change(r: &Row, t: fn(&str) -> String) -> String {
    match (&r.old_tier, &r.new_tier) {
        (Some(o), Some(n)) if o == n => t(n),
        (Some(o), Some(n)) => format!("{} -> {}", t(o), t(n)),
        (None, Some(n)) => format!("new: {}", t(n)),
        (Some(o), None) => format!("removed: {}", t(o)),
        (None, None) => "-".into(),
    }
}

fn text(s: &str) -> String {
    escape::text(s).into_owned()
}

fn signed(d: Decimal, cur: &Currency) -> String {
    let s = format_amount(d, cur);
    if d > Decimal::ZERO { format!("+{s}") } else { s }
}

/// A row's change: the cost change, and "newly priced" / "no longer priced" for the lines that
/// gained or lost a price (not counted).
fn change(r: &Row, cur: &Currency) -> String {
    let mut notes = Vec::new();
    if r.repriced.0 {
        notes.push("newly priced");
    }
    if r.repriced.1 {
        notes.push("no longer priced");
    }
    match (notes.is_empty(), r.delta.is_zero()) {
        (true, _) => signed(r.delta, cur),
        (false, true) => notes.join(", "),
        (false, false) => format!("{}, {}", signed(r.delta, cur), notes.join(", ")),
    }
}

/// `Not a cost change: newly priced JPY 22,995 (+ site-to-site VPN gateway).`, or nothing.
fn repriced_note(dd: &DesignDiff, cur: &Currency, name: &dyn Fn(&Row) -> String) -> Option<String> {
    let mut parts = Vec::new();
    for (flag, amount, word) in [(0, dd.newly_priced(), "newly priced"), (1, dd.no_longer_priced(), "no longer priced")]
    {
        let rows: Vec<String> =
            dd.rows.iter().filter(|r| if flag == 0 { r.repriced.0 } else { r.repriced.1 }).map(name).collect();
        if !rows.is_empty() {
            parts.push(format!("{word} {} ({})", format_money(amount, cur), rows.join(", ")));
        }
    }
    (!parts.is_empty()).then(|| format!("Not counted as a cost change: {}.", parts.join("; ")))
}

fn display_name(r: &Row) -> String {
    let name = escape::text(&r.name);
    if r.added { format!("+ {name}") } else { name.into_owned() }
}

pub fn table(d: &Diff) -> Result<String, Error> {
    let cur = &d.currency;
    let t = |s: &str| escape::text(s).into_owned();
    let mut out = String::new();
    writeln!(out, "{} -> {} (monthly, {cur})", t(&d.old.architecture.file), t(&d.new.architecture.file))?;
    if let Some(v) = d.verdicts() {
        writeln!(out, "{v}")?;
    }
    for (title, dd) in d.designs() {
        let mut tab = Grid::new(&["Service", "Type", "Tier", "Old", "New", "Change"]).right(3..6);
        for r in dd.rows.iter().filter(|r| r.changed()) {
            let row = [
                display_name(r),
                t(&r.type_id),
                tier_change(r, text),
                side(r.old, cur),
                side(r.new, cur),
                change(r, cur),
            ];
            tab.row(row);
        }
        tab.row([
            "Total".to_string(),
            String::new(),
            String::new(),
            super::starred(dd.old_total, dd.old_cover, cur),
            super::starred(dd.new_total, dd.new_cover, cur),
            signed(dd.delta(), cur),
        ]);
        writeln!(out, "\n{title}:\n{tab}")?;
        if let Some(note) = repriced_note(dd, cur, &display_name) {
            writeln!(out, "{note}")?;
        }
        if dd.old_cover.incomplete() || dd.new_cover.incomplete() {
            writeln!(out, "* some lines have no price: the totals leave them out.")?;
        }
    }
    if let Some(why) = &d.as_planned_missing {
        writeln!(out, "\nAs planned: not compared: {}.", t(why))?;
    }
    Ok(out)
}

fn design_json(dd: &DesignDiff) -> Value {
    let money = |s: Option<Side>| s.filter(|s| !s.cover.no_price()).map(|s| s.monthly.to_string());
    json!({
        "old_total_monthly": dd.old_total.to_string(),
        "new_total_monthly": dd.new_total.to_string(),
        "old_complete": !dd.old_cover.incomplete(),
        "new_complete": !dd.new_cover.incomplete(),
        "delta_monthly": dd.delta().to_string(),
        "newly_priced_monthly": dd.newly_priced().to_string(),
        "no_longer_priced_monthly": dd.no_longer_priced().to_string(),
        "changes": dd.rows.iter().filter(|r| r.changed()).map(|r| json!({
            "name": r.name,
            "type": r.type_id,
            "added_by_closed_design": r.added,
            "old_tier": r.old_tier,
            "new_tier": r.new_tier,
            "old_monthly": money(r.old),
            "new_monthly": money(r.new),
            "old_unpriced_lines": r.old.map_or(0, |s| s.cover.unpriced),
            "new_unpriced_lines": r.new.map_or(0, |s| s.cover.unpriced),
            "delta_monthly": r.delta.to_string(),
            "newly_priced": r.repriced.0,
            "no_longer_priced": r.repriced.1,
        })).collect::<Vec<_>>(),
    })
}

pub fn json(d: &Diff) -> Result<String, Error> {
    let mut designs = json!({ "rbac": design_json(&d.rbac), "closed": design_json(&d.closed) });
    if let Some(p) = &d.as_planned {
        designs["as_planned"] = design_json(p);
    }
    let mut v = json!({
        "schema_version": 1,
        "old": d.old.architecture.file,
        "new": d.new.architecture.file,
        "currency": d.currency.code(),
        "designs": designs,
    });
    if let Some(why) = &d.as_planned_missing {
        v["as_planned_not_compared"] = json!(why);
    }
    let verdict = |e: &Estimate| e.as_built.as_ref().map(|b| b.verdict.map(State::as_str));
    if let (Some(o), Some(n)) = (verdict(d.old), verdict(d.new)) {
        v["verdict"] = json!({ "old": o, "new": n });
    }
    crate::error::pretty_json(&v).map(escape::json)
}

/// One design's table of a PR comment.
fn markdown_section(out: &mut String, dd: &DesignDiff, cur: &Currency) -> Result<(), Error> {
    let name = |r: &Row| {
        let n = escape::markdown(&r.name);
        if r.added { format!("+ {n}") } else { n }
    };
    let marked = |s: Option<Side>| s.map(|s| super::marked(s.monthly, s.cover, cur)).unwrap_or_else(|| "-".into());
    writeln!(out, "| Service | Tier | Old | New | Change |\n|---|---|--:|--:|--:|")?;
    for r in dd.rows.iter().filter(|r| r.changed()) {
        writeln!(
            out,
            "| {} (`{}`) | {} | {} | {} | {} |",
            name(r),
            escape::text(&r.type_id).replace('`', "'"),
            tier_change(r, escape::markdown),
            marked(r.old),
            marked(r.new),
            change(r, cur)
        )?;
    }
    writeln!(
        out,
        "| **Total** | | {} | {} | {} |",
        super::marked(dd.old_total, dd.old_cover, cur),
        super::marked(dd.new_total, dd.new_cover, cur),
        signed(dd.delta(), cur)
    )?;
    if let Some(note) = repriced_note(dd, cur, &name) {
        writeln!(out, "\n{note}")?;
    }
    Ok(())
}

/// A PR comment: the headline change of the closed design (and the design as planned for
/// infrastructure code), a table, the other designs in details.
pub fn markdown(d: &Diff) -> Result<String, Error> {
    let cur = &d.currency;
    let mut out = String::new();
    let c = &d.closed;
    let incomplete = |cover: Cover| if cover.incomplete() { " (incomplete)" } else { "" };
    writeln!(
        out,
        "### closednet: closed network {}{} -> {}{} per month ({})\n",
        format_money(c.old_total, cur),
        incomplete(c.old_cover),
        format_money(c.new_total, cur),
        incomplete(c.new_cover),
        signed(c.delta(), cur)
    )?;
    if let Some(v) = d.verdicts() {
        writeln!(out, "{v}.\n")?;
    }
    markdown_section(&mut out, &d.closed, cur)?;
    if let Some(p) = &d.as_planned {
        writeln!(out, "\n<details><summary>As planned</summary>\n")?;
        markdown_section(&mut out, p, cur)?;
        writeln!(out, "\n</details>")?;
    }
    writeln!(out, "\n<details><summary>RBAC-only design</summary>\n")?;
    markdown_section(&mut out, &d.rbac, cur)?;
    writeln!(out, "\n</details>")?;
    if let Some(why) = &d.as_planned_missing {
        writeln!(out, "\nAs planned: not compared: {}.", escape::markdown(why))?;
    }
    writeln!(
        out,
        "\nMonthly {cur}; {} -> {}.",
        escape::code(&d.old.architecture.file),
        escape::code(&d.new.architecture.file)
    )?;
    Ok(out)
}
