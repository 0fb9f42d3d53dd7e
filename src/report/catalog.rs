//! `closednet catalog`: what the embedded (or given) catalog holds.

use crate::catalog::Catalog;
use crate::error::Error;
use serde_json::json;
use std::fmt::Write as _;

pub fn table(catalog: &Catalog) -> Result<String, Error> {
    let mut out = String::new();
    writeln!(out, "Catalog: {}", catalog.origin)?;
    writeln!(out, "\nSnapshots:")?;
    for s in catalog.snapshots.values() {
        let m = &s.meta;
        writeln!(out, "- {} (as of {}): {}", m.name, m.as_of, m.source)?;
        writeln!(out, "  regions: {}", m.regions.join(", "))?;
        if m.fx.is_empty() {
            writeln!(out, "  fx: none (pass --fx or set fx: in the file for other currencies)")?;
        }
        for fx in &m.fx {
            writeln!(out, "  fx: 1 USD = {} {} ({}, {})", fx.rate, fx.currency, fx.source, fx.date)?;
        }
    }
    writeln!(out, "\nService types:")?;
    for def in catalog.services()? {
        let role = if def.implied_only { " (added by the closed design)" } else { "" };
        writeln!(out, "\n{} - {}{role}", def.type_id, def.name)?;
        let mut tiers: Vec<_> = def.tiers.iter().collect();
        tiers.sort_by_key(|t| t.rank);
        for t in tiers {
            let caps: Vec<String> = t.capabilities.iter().map(|c| c.describe()).collect();
            let sla = match t.sla {
                Some(true) => "SLA",
                Some(false) => "no SLA",
                None => "SLA unknown",
            };
            let os = if t.os.is_empty() { String::new() } else { format!(", {}", t.os.join("/")) };
            let caps = if caps.is_empty() { "none".to_string() } else { caps.join(", ") };
            let since = t.since.as_ref().map(|s| format!(", GA {s}")).unwrap_or_default();
            writeln!(out, "  {:<18} rank {} {sla}{os}{since}; private access: {caps}", t.id, t.rank)?;
        }
    }
    Ok(out)
}

pub fn json(catalog: &Catalog) -> Result<String, Error> {
    let doc = json!({
        "schema_version": 1,
        "origin": catalog.origin,
        "snapshots": catalog.snapshots.values().map(|s| json!({
            "name": s.meta.name,
            "as_of": s.meta.as_of,
            "source": s.meta.source,
            "regions": s.meta.regions,
            "fx": s.meta.fx.iter().map(|f| json!({"currency": f.currency, "rate": f.rate.to_string(), "source": f.source, "date": f.date})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "services": catalog.services()?.into_iter().map(|d| json!({
            "type": d.type_id,
            "name": d.name,
            "added_by_closed_design": d.implied_only,
            "tiers": d.tiers.iter().map(|t| json!({
                "id": t.id,
                "aliases": t.aliases,
                "rank": t.rank,
                "sla": t.sla,
                "os": t.os,
                "since": t.since,
                "until": t.until,
                "capabilities": t.capabilities.iter().map(|c| json!({"kind": c.kind.as_str(), "doc": c.doc, "as_of": c.as_of, "since": c.since, "until": c.until})).collect::<Vec<_>>(),
                "components": t.components.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    crate::error::pretty_json(&doc)
}
