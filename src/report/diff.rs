//! `closednet diff OLD NEW`: per service and per added resource, what changed in tier and monthly
//! cost in each design, and the totals. The Markdown form is a pull-request comment's body.

use crate::error::Error;
use crate::figures::{PresentedDesign, PresentedService, present};
use crate::money::{Currency, format_amount, format_money};
use crate::pipeline::Estimate;
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use rust_decimal::Decimal;
use serde_json::json;
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

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub type_id: String,
    /// Added by the closed design rather than declared.
    pub added: bool,
    pub old_tier: Option<String>,
    pub new_tier: Option<String>,
    pub old_monthly: Option<Decimal>,
    pub new_monthly: Option<Decimal>,
}

impl Row {
    pub fn delta(&self) -> Decimal {
        self.new_monthly.unwrap_or_default() - self.old_monthly.unwrap_or_default()
    }

    pub fn changed(&self) -> bool {
        self.old_tier != self.new_tier || self.old_monthly != self.new_monthly
    }
}

#[derive(Clone, Debug)]
pub struct DesignDiff {
    pub rows: Vec<Row>,
    pub old_total: Decimal,
    pub new_total: Decimal,
}

pub struct Diff<'a> {
    pub old: &'a Estimate<'a>,
    pub new: &'a Estimate<'a>,
    pub currency: Currency,
    pub rbac: DesignDiff,
    pub closed: DesignDiff,
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
            rows.push(Row {
                name: name.to_string(),
                type_id: any.service.type_id.to_string(),
                added,
                old_tier: o.map(|s| s.service.tier.to_string()),
                new_tier: n.map(|s| s.service.tier.to_string()),
                old_monthly: o.map(|s| s.fixed + s.usage),
                new_monthly: n.map(|s| s.fixed + s.usage),
            });
        }
    }
    DesignDiff { rows, old_total: old.total(), new_total: new.total() }
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
        Ok(Diff { old, new, currency: new.conversion.currency.clone(), rbac, closed })
    }
}

fn opt(d: Option<Decimal>, cur: &Currency) -> String {
    d.map(|d| format_amount(d, cur)).unwrap_or_else(|| "-".into())
}

fn tier_change(r: &Row) -> String {
    match (&r.old_tier, &r.new_tier) {
        (Some(o), Some(n)) if o == n => n.clone(),
        (Some(o), Some(n)) => format!("{o} -> {n}"),
        (None, Some(n)) => format!("new: {n}"),
        (Some(o), None) => format!("removed: {o}"),
        (None, None) => "-".into(),
    }
}

fn signed(d: Decimal, cur: &Currency) -> String {
    let s = format_amount(d, cur);
    if d > Decimal::ZERO { format!("+{s}") } else { s }
}

pub fn table(d: &Diff) -> Result<String, Error> {
    let cur = &d.currency;
    let mut out = String::new();
    writeln!(out, "{} -> {} (monthly, {cur})", d.old.architecture.file, d.new.architecture.file)?;
    for (title, dd) in [("RBAC-only", &d.rbac), ("Closed network", &d.closed)] {
        let mut t = Table::new();
        t.load_style(presets::ASCII_BORDERS_ONLY_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
        t.set_header(vec!["Service", "Type", "Tier", "Old", "New", "Change"]);
        for i in 3..6 {
            if let Some(c) = t.column_mut(i) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        for r in dd.rows.iter().filter(|r| r.changed()) {
            let name = if r.added { format!("+ {}", r.name) } else { r.name.clone() };
            t.add_row(vec![
                name,
                r.type_id.clone(),
                tier_change(r),
                opt(r.old_monthly, cur),
                opt(r.new_monthly, cur),
                signed(r.delta(), cur),
            ]);
        }
        t.add_row(vec![
            "Total".to_string(),
            String::new(),
            String::new(),
            format_amount(dd.old_total, cur),
            format_amount(dd.new_total, cur),
            signed(dd.new_total - dd.old_total, cur),
        ]);
        writeln!(out, "\n{title}:\n{t}")?;
    }
    Ok(out)
}

pub fn json(d: &Diff) -> Result<String, Error> {
    let design = |dd: &DesignDiff| {
        json!({
            "old_total_monthly": dd.old_total.to_string(),
            "new_total_monthly": dd.new_total.to_string(),
            "delta_monthly": (dd.new_total - dd.old_total).to_string(),
            "changes": dd.rows.iter().filter(|r| r.changed()).map(|r| json!({
                "name": r.name,
                "type": r.type_id,
                "added_by_closed_design": r.added,
                "old_tier": r.old_tier,
                "new_tier": r.new_tier,
                "old_monthly": r.old_monthly.map(|m| m.to_string()),
                "new_monthly": r.new_monthly.map(|m| m.to_string()),
                "delta_monthly": r.delta().to_string(),
            })).collect::<Vec<_>>(),
        })
    };
    let v = json!({
        "schema_version": 1,
        "old": d.old.architecture.file,
        "new": d.new.architecture.file,
        "currency": d.currency.code(),
        "designs": { "rbac": design(&d.rbac), "closed": design(&d.closed) },
    });
    crate::error::pretty_json(&v)
}

/// A PR comment: the headline change of the closed design, a table, the RBAC-only side in details.
pub fn markdown(d: &Diff) -> Result<String, Error> {
    let cur = &d.currency;
    let mut out = String::new();
    let c = &d.closed;
    let delta = c.new_total - c.old_total;
    writeln!(
        out,
        "### closednet: closed network {} -> {} per month ({})\n",
        format_money(c.old_total, cur),
        format_money(c.new_total, cur),
        signed(delta, cur)
    )?;
    let section = |out: &mut String, dd: &DesignDiff| -> Result<(), Error> {
        writeln!(out, "| Service | Tier | Old | New | Change |\n|---|---|--:|--:|--:|")?;
        for r in dd.rows.iter().filter(|r| r.changed()) {
            let name = if r.added { format!("+ {}", r.name) } else { r.name.clone() };
            writeln!(
                out,
                "| {name} (`{}`) | {} | {} | {} | {} |",
                r.type_id,
                tier_change(r),
                opt(r.old_monthly, cur),
                opt(r.new_monthly, cur),
                signed(r.delta(), cur)
            )?;
        }
        writeln!(
            out,
            "| **Total** | | {} | {} | {} |",
            format_amount(dd.old_total, cur),
            format_amount(dd.new_total, cur),
            signed(dd.new_total - dd.old_total, cur)
        )?;
        Ok(())
    };
    section(&mut out, &d.closed)?;
    writeln!(out, "\n<details><summary>RBAC-only design</summary>\n")?;
    section(&mut out, &d.rbac)?;
    writeln!(out, "\n</details>")?;
    writeln!(out, "\nMonthly {cur}; `{}` -> `{}`.", d.old.architecture.file, d.new.architecture.file)?;
    Ok(out)
}
