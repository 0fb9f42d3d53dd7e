//! `closednet rules` and `closednet explain`: the rule registry, a rule's docs, a service type's tiers.

use super::grid::Grid;
use crate::calculator::{Resource, Totals, price};
use crate::catalog::Catalog;
use crate::catalog::definitions::{ServiceDef, Status, Tier};
use crate::catalog::snapshot::Snapshot;
use crate::error::Error;
use crate::money::{Currency, format_amount};
use crate::registry::{RULES, lookup};
use crate::suggest;
use serde_json::json;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub fn rules_table() -> Result<String, Error> {
    let mut t = Grid::new(&["Id", "Slug", "Severity", "Summary"]);
    for r in RULES {
        t.row([r.id, r.slug, r.severity.as_str(), r.summary]);
    }
    Ok(format!("{t}\n`closednet explain ID` prints a rule's documentation.\n"))
}

pub fn rules_json() -> Result<String, Error> {
    let v = json!({
        "schema_version": 1,
        "rules": RULES.iter().map(|r| json!({
            "id": r.id, "slug": r.slug, "severity": r.severity.as_str(), "summary": r.summary, "doc": r.doc,
        })).collect::<Vec<_>>(),
    });
    crate::error::pretty_json(&v)
}

/// A rule's docs, or a service type's tier table priced in `region`; an error names the candidates.
pub fn explain(name: &str, catalog: &Catalog, snapshot: &Snapshot, region: &str) -> Result<String, Error> {
    if let Some(r) = lookup(name) {
        return Ok(r.rule().docs.to_string());
    }
    let Some(def) = catalog.service(name) else {
        let mut names: Vec<&str> = RULES.iter().flat_map(|r| [r.id, r.slug]).collect();
        names.extend(catalog.type_ids());
        return Err(Error::msg(format!("no rule or service type \"{name}\"; {}", suggest::help(name, &names))));
    };
    let mut out = String::new();
    writeln!(
        out,
        "{} ({}): tiers in {region}, pricing snapshot {} (as of {})",
        def.name, def.type_id, snapshot.meta.name, snapshot.meta.as_of
    )?;
    let mut t = Grid::new(&["Tier", "Rank", "SLA", "OS", "Private access (doc date)", "Fixed USD/month"]);
    let usd = Currency::usd();
    let mut tiers: Vec<_> = def.tiers().collect();
    tiers.sort_by_key(|t| t.rank);
    let date = snapshot.meta.as_of.as_str();
    let now = |status: Option<Status>| match status {
        Some(Status::Ga) => "",
        Some(Status::Preview) => " [preview at this date]",
        None => " [not at this date]",
    };
    for tier in tiers.iter().copied() {
        let caps: Vec<String> =
            tier.capabilities.iter().map(|c| format!("{}{}", c.describe(), now(c.status(date)))).collect();
        let capacity: BTreeMap<String, _> = def.capacity.iter().map(|k| (k.clone(), def.capacity_default(k))).collect();
        let res = Resource {
            type_id: &def.type_id,
            tier: &tier.id,
            region,
            capacity: Cow::Owned(capacity),
            usage: Cow::Owned(BTreeMap::new()),
            model: None,
            // As a service without `os:` is priced: Windows where the tier runs it.
            os: if tier.supports_os("windows") { Some("windows") } else { tier.os.first().map(String::as_str) },
            zone: None,
        };
        let lines = price(def, snapshot, &res)?;
        let fixed = if lines.is_empty() {
            "usage only".to_string()
        } else {
            let totals = Totals::of(&lines)?;
            if totals.unpriced > 0 { "no price".to_string() } else { format_amount(totals.fixed, &usd) }
        };
        let sla = match (tier.sla, &tier.sla_percent) {
            (Some(true), Some(p)) => format!("{p}%"),
            (Some(true), None) => "yes".to_string(),
            (Some(false), _) => "no".to_string(),
            (None, _) => "not found".to_string(),
        };
        t.row([
            format!("{}{}{}", tier.id, tier.dates(), now(tier.status(date))),
            tier.rank.to_string(),
            sla,
            if tier.os.is_empty() { "any".to_string() } else { tier.os.join("/") },
            if caps.is_empty() { "none".to_string() } else { caps.join(", ") },
            fixed,
        ]);
    }
    writeln!(out, "{t}")?;
    writeln!(out, "Fixed cost at capacity 1 (or the type's default) for 730 hours; usage meters are not included.")?;
    sources(&mut out, def, &tiers, date)?;
    if def.tiers().any(|t| t.components.iter().any(|c| c.os.is_some())) {
        writeln!(
            out,
            "Prices are for Windows on the tiers that run it, as for a service without `os:`; `os: linux` prices Linux."
        )?;
    }
    Ok(out)
}

/// Where the SLAs come from, and what a shared private link reaches at `date`.
fn sources(out: &mut String, def: &ServiceDef, tiers: &[&Tier], date: &str) -> Result<(), Error> {
    let mut slas: Vec<String> = Vec::new();
    for t in tiers {
        let Some(doc) = &t.sla_doc else { continue };
        let note = t.sla_note.as_ref().map(|n| format!("; {n}")).unwrap_or_default();
        let line = format!("{}: {doc}{note}", t.sla_text());
        if !slas.contains(&line) {
            slas.push(line);
        }
    }
    for line in &slas {
        writeln!(out, "{line}")?;
    }
    for l in &def.shared_private_link_targets {
        let status = match l.status(date) {
            Some(s) => s.as_str(),
            None => "not at this date",
        };
        writeln!(out, "Shared private link to {} [{status}]", l.describe())?;
    }
    Ok(())
}
