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
        let mut tiers: Vec<_> = def.tiers().collect();
        tiers.sort_by_key(|t| t.rank);
        for t in tiers {
            let caps: Vec<String> = t.capabilities.iter().map(|c| c.describe()).collect();
            let sla = t.sla_text();
            let os = if t.os.is_empty() { String::new() } else { format!(", {}", t.os.join("/")) };
            let caps = if caps.is_empty() { "none".to_string() } else { caps.join(", ") };
            let dates = t.dates().trim().trim_start_matches('(').trim_end_matches(')').to_string();
            let dates = if dates.is_empty() { dates } else { format!(", {dates}") };
            writeln!(out, "  {:<18} rank {} {sla}{os}{dates}; private access: {caps}", t.id, t.rank)?;
        }
        for l in &def.shared_private_link_targets {
            writeln!(out, "  shared private link -> {}", l.describe())?;
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
            "shared_private_link_targets": d.shared_private_link_targets.iter().map(|l| json!({"type": l.type_id, "groups": l.groups, "doc": l.doc, "as_of": l.as_of, "since": l.since, "preview_since": l.preview_since, "preview": l.preview, "scope": l.scope})).collect::<Vec<_>>(),
            "tiers": d.tiers().map(|t| json!({
                "id": t.id,
                "aliases": t.aliases,
                "rank": t.rank,
                "sla": t.sla,
                "sla_percent": t.sla_percent,
                "sla_doc": t.sla_doc,
                "sla_note": t.sla_note,
                "sla_zones": t.sla_zones.as_ref().map(|z| json!({"zones": z.zones, "percent": z.percent})),
                "preview_since": t.preview_since,
                "preview": t.preview,
                "os": t.os,
                "since": t.since,
                "until": t.until,
                "capabilities": t.capabilities.iter().map(|c| json!({"kind": c.kind.as_str(), "doc": c.doc, "as_of": c.as_of, "since": c.since, "until": c.until, "preview_since": c.preview_since, "preview": c.preview})).collect::<Vec<_>>(),
                "components": t.components.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    crate::error::pretty_json(&doc)
}
