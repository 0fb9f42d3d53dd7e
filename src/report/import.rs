//! The import summary: what a plan or template mapped to, what was absorbed as plumbing, every
//! resource skipped with its reason, and the state of every resource that can be reached. Nothing
//! disappears silently: a resource the input builds is in one of these lists.

use super::dto;
use super::escape::text as t;
use crate::error::Error;
use crate::iac::import::{Import, Left, State};
use std::fmt::Write as _;

fn count(import: &Import, s: State) -> usize {
    import.judged.iter().filter(|j| j.state == s).count()
}

/// `a, b, c`, each escaped for a terminal.
fn list(items: &[String]) -> String {
    items.iter().map(|i| t(i).into_owned()).collect::<Vec<_>>().join(", ")
}

/// For people, on standard error. Addresses, evidence and reasons come from the input (a
/// `for_each` key can hold anything): each is escaped for a terminal or CI log.
pub fn text(import: &Import) -> Result<String, Error> {
    let mut out = String::new();
    let (absorbed, skipped): (Vec<&Left>, Vec<&Left>) = import.left.iter().partition(|l| l.absorbed);
    writeln!(
        out,
        "imported {}: {} service(s), {} absorbed as plumbing, {} skipped; priced in {}",
        t(&import.file),
        import.services.len(),
        absorbed.len(),
        skipped.len(),
        t(&import.region)
    )?;
    for s in &import.services {
        writeln!(out, "  service {} ({} {}) <- {}", t(&s.name), t(&s.type_id), t(&s.tier), list(&s.sources))?;
    }
    for (key, (value, n, addresses)) in &import.network.keys {
        writeln!(out, "  closed_network.{}: {} x{n} <- {}", t(key), t(value), list(addresses))?;
    }
    if !import.network.existing_hub.is_empty() {
        writeln!(out, "  closed_network.hub: existing <- {}", list(&import.network.existing_hub))?;
    }
    for l in &absorbed {
        let reason = l.reason.trim_start_matches("absorbed: ");
        writeln!(out, "  absorbed {} ({}): {}", t(&l.address), t(&l.type_name), t(reason))?;
    }
    for l in &skipped {
        writeln!(out, "  skipped {} ({}): {}", t(&l.address), t(&l.type_name), t(&l.reason))?;
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
        let evidence: Vec<String> = j.evidence.iter().map(|e| t(e).into_owned()).collect();
        writeln!(out, "  {} {}: {}", j.state.as_str(), t(&j.address), evidence.join("; "))?;
    }
    for w in &import.warnings {
        writeln!(out, "warning: {}", t(w))?;
    }
    Ok(out)
}

/// The same as data (also part of the report's JSON).
pub fn value(import: &Import) -> dto::ImportDto {
    let left = |absorbed: bool| {
        import
            .left
            .iter()
            .filter(|l| l.absorbed == absorbed)
            .map(|l| dto::LeftDto {
                address: l.address.clone(),
                reason: l.reason.clone(),
                type_name: l.type_name.clone(),
            })
            .collect()
    };
    dto::ImportDto {
        absorbed: left(true),
        existing_hub: import.network.existing_hub.clone(),
        file: import.file.clone(),
        judged: import
            .judged
            .iter()
            .map(|j| dto::JudgedDto {
                address: j.address.clone(),
                evidence: j.evidence.clone(),
                service: j.service.clone(),
                state: j.state.as_str(),
                type_name: j.type_name.clone(),
            })
            .collect(),
        platform: import
            .network
            .keys
            .iter()
            .map(|(k, (v, n, a))| dto::PlatformDto { count: *n, key: k.clone(), sources: a.clone(), value: v.clone() })
            .collect(),
        region: import.region.clone(),
        services: import
            .services
            .iter()
            .map(|s| dto::ImportedServiceDto {
                evidence: s.evidence.clone(),
                name: s.name.clone(),
                sources: s.sources.clone(),
                tier: s.tier.clone(),
                type_id: s.type_id.clone(),
            })
            .collect(),
        skipped: left(false),
        verdict: crate::pipeline::verdict(import).map(State::as_str),
        warnings: import.warnings.clone(),
    }
}

/// The summary as JSON text.
pub fn json(import: &Import) -> Result<String, Error> {
    crate::error::pretty_json(&value(import)).map(super::escape::json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::import::{Judged, Network, Plumbing};
    use crate::iac::model::Origin;

    /// A `for_each` key can hold a newline: the summary on standard error shows it escaped, so
    /// that a CI log reading it runs no command.
    #[test]
    fn addresses_from_the_input_are_escaped_in_the_summary() {
        let address = "azurerm_key_vault.this[\"a\n::add-mask::x\n##vso[task.setvariable variable=x]1\"]".to_string();
        let import = Import {
            origin: Origin::Terraform,
            file: "plan.json".into(),
            region: "eastus2".into(),
            services: Vec::new(),
            network: Network::default(),
            judged: vec![Judged {
                address: address.clone(),
                type_name: "azurerm_key_vault".into(),
                service: None,
                state: State::Public,
                evidence: vec!["public_network_access_enabled=true\n::add-mask::y".into()],
                line: None,
            }],
            plumbing: Plumbing::default(),
            facts: Vec::new(),
            left: vec![Left { address, type_name: "azurerm_key_vault".into(), reason: "test".into(), absorbed: false }],
            warnings: Vec::new(),
        };
        let text = text(&import).unwrap();
        for line in text.lines() {
            assert!(!line.trim_start().starts_with("::"), "{line}");
            assert!(!line.contains("##vso["), "{line}");
        }
        assert!(
            text.contains("  skipped azurerm_key_vault.this[\"a\\n::add-mask::x\\n##vso\\[task.setvariable"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&json(&import).unwrap()).unwrap();
        assert_eq!(back["skipped"][0]["address"], import.left[0].address.as_str());
    }
}
