//! The import summary: what a plan or template mapped to, what was absorbed as plumbing, every
//! resource skipped with its reason, and the state of every resource that can be reached. Nothing
//! disappears silently: a resource the input builds is in one of these lists.

use crate::error::Error;
use crate::iac::import::{Import, Left, State};
use serde_json::json;
use std::fmt::Write as _;

fn count(import: &Import, s: State) -> usize {
    import.judged.iter().filter(|j| j.state == s).count()
}

/// For people, on standard error.
pub fn text(import: &Import) -> Result<String, Error> {
    let mut out = String::new();
    let (absorbed, skipped): (Vec<&Left>, Vec<&Left>) = import.left.iter().partition(|l| l.absorbed);
    writeln!(
        out,
        "imported {}: {} service(s), {} absorbed as plumbing, {} skipped; priced in {}",
        import.file,
        import.services.len(),
        absorbed.len(),
        skipped.len(),
        import.region
    )?;
    for s in &import.services {
        writeln!(out, "  service {} ({} {}) <- {}", s.name, s.type_id, s.tier, s.sources.join(", "))?;
    }
    for (key, (value, n, addresses)) in &import.network.keys {
        writeln!(out, "  closed_network.{key}: {value} x{n} <- {}", addresses.join(", "))?;
    }
    if !import.network.existing_hub.is_empty() {
        writeln!(out, "  closed_network.hub: existing <- {}", import.network.existing_hub.join(", "))?;
    }
    for l in &absorbed {
        writeln!(out, "  absorbed {} ({}): {}", l.address, l.type_name, l.reason.trim_start_matches("absorbed: "))?;
    }
    for l in &skipped {
        writeln!(out, "  skipped {} ({}): {}", l.address, l.type_name, l.reason)?;
    }
    match crate::pipeline::verdict(import) {
        None => writeln!(out, "verdict: nothing to judge (no service, database or VM in the input)")?,
        Some(v) => writeln!(
            out,
            "verdict: {} ({} judged: {} closed, {} half-closed, {} public, {} unknown until apply)",
            v.as_str(),
            import.judged.len(),
            count(import, State::Closed),
            count(import, State::HalfClosed),
            count(import, State::Public),
            count(import, State::Unknown)
        )?,
    }
    for j in import.judged.iter().filter(|j| j.state != State::Closed) {
        writeln!(out, "  {} {}: {}", j.state.as_str(), j.address, j.evidence.join("; "))?;
    }
    for w in &import.warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(out)
}

/// The same as a JSON value (also part of the report's JSON).
pub fn value(import: &Import) -> serde_json::Value {
    let left = |absorbed: bool| {
        import
            .left
            .iter()
            .filter(|l| l.absorbed == absorbed)
            .map(|l| json!({ "address": l.address, "type": l.type_name, "reason": l.reason }))
            .collect::<Vec<_>>()
    };
    json!({
        "file": import.file,
        "region": import.region,
        "services": import.services.iter().map(|s| json!({
            "name": s.name, "type": s.type_id, "tier": s.tier, "sources": s.sources, "evidence": s.evidence,
        })).collect::<Vec<_>>(),
        "platform": import.network.keys.iter().map(|(k, (v, n, a))| json!({ "key": k, "value": v, "count": n, "sources": a })).collect::<Vec<_>>(),
        "existing_hub": import.network.existing_hub,
        "verdict": crate::pipeline::verdict(import).map(State::as_str),
        "judged": import.judged.iter().map(|j| json!({
            "address": j.address, "type": j.type_name, "service": j.service, "state": j.state.as_str(), "evidence": j.evidence,
        })).collect::<Vec<_>>(),
        "absorbed": left(true),
        "skipped": left(false),
        "warnings": import.warnings,
    })
}

/// The summary as JSON text.
pub fn json(import: &Import) -> Result<String, Error> {
    crate::error::pretty_json(&value(import))
}
