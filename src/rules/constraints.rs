//! Requirements as constraints: what the file says the closed design must keep (`requirements:`),
//! checked against the design the engine priced. A design that breaks one gets finding CN024 with
//! the reason, and `compare` and `sweep` read the same check: a scenario or a variant that breaks a
//! requirement is marked with why, never shown as compliant.
//!
//! The platform requirements are read off the network platform the design builds
//! ([`network`]: the same keys `implied` builds from, so a check cannot disagree with the lines);
//! `production-sla` off the tiers the engine chose and the replicas the file declares.

use super::Design;
use crate::architecture::{Access, Architecture, ClosedNetwork, Constraint, Ddos, Egress, Hub, OnPremises};
use crate::catalog::Catalog;
use crate::registry::RuleId;
use rust_decimal::Decimal;

/// A requirement the design breaks, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Breach {
    pub constraint: Constraint,
    pub reason: String,
}

/// Every requirement of the file that the closed design breaks, in the file's order.
pub fn breaches(arch: &Architecture, closed: &Design, catalog: &Catalog) -> Vec<Breach> {
    arch.requirements
        .iter()
        .filter_map(|(c, _)| broken(*c, arch, closed, catalog).map(|reason| Breach { constraint: *c, reason }))
        .collect()
}

/// Why the closed design breaks `c`, or `None` when it keeps it.
pub fn broken(c: Constraint, arch: &Architecture, closed: &Design, catalog: &Catalog) -> Option<String> {
    match c {
        Constraint::ProductionSla => sla(arch, closed, catalog),
        _ => network(c, &arch.closed),
    }
}

/// Whether the network has a hub that a Bastion Developer cannot reach across (as CN013 says).
pub fn has_hub(net: &ClosedNetwork) -> bool {
    net.hub == Hub::Existing || net.on_premises != OnPremises::None || net.egress != Egress::None
}

/// Why the network platform `net` breaks `c` (`None` for a requirement of the services).
pub fn network(c: Constraint, net: &ClosedNetwork) -> Option<String> {
    match c {
        Constraint::EgressInspection => match net.egress {
            Egress::None => Some("closed_network.egress is none: outbound internet traffic is not inspected".into()),
            Egress::NatGateway => Some(
                "closed_network.egress is nat-gateway: NAT-only egress gives a fixed outbound IP but inspects nothing"
                    .into(),
            ),
            _ => None,
        },
        Constraint::OperatorAccess => operator_access(net),
        Constraint::PrivateOperatorAccess => private_operator_access(net),
        Constraint::OnPremisesUsers => (net.on_premises == OnPremises::None).then(|| {
            "closed_network.on_premises is none: users on premises have no private path to the services".into()
        }),
        Constraint::ExistingHub => (net.hub == Hub::New)
            .then(|| "closed_network.hub is new: the design builds its own network platform".into()),
        Constraint::DdosProtection => (net.ddos == Ddos::None)
            .then(|| "closed_network.ddos is none: the design's public IPs have no DDoS Protection".into()),
        Constraint::ProductionSla => None,
    }
}

fn operator_access(net: &ClosedNetwork) -> Option<String> {
    if net.operator_access.is_empty() {
        return Some("closed_network.operator_access is none: operators have no way into the private network".into());
    }
    let bastion = net.operator_access.iter().find(|a| **a != Access::Jumpbox);
    let jumpbox = net.operator_access.contains(&Access::Jumpbox);
    let developer_cut_off = bastion == Some(&Access::BastionDeveloper) && has_hub(net);
    let bastion_reaches = bastion.is_some() && !developer_cut_off;
    let on_premises = net.on_premises != OnPremises::None;
    if bastion_reaches || (jumpbox && on_premises) {
        return None;
    }
    Some(match (developer_cut_off, jumpbox) {
        (true, true) => "Bastion Developer cannot reach peered virtual networks and this network has a hub (CN013); the jump box is reached only through it, with closed_network.on_premises none",
        (true, false) => "Bastion Developer cannot reach peered virtual networks, and this network has a hub (CN013)",
        (false, _) => "a jump box without a Bastion is reached over the on-premises link, and closed_network.on_premises is none",
    }
    .into())
}

fn private_operator_access(net: &ClosedNetwork) -> Option<String> {
    if net.operator_access.is_empty() {
        return Some("closed_network.operator_access is none: operators have no way into the private network".into());
    }
    let on_premises = net.on_premises != OnPremises::None;
    let why: Vec<&str> = net
        .operator_access
        .iter()
        .filter_map(|a| match a {
            Access::BastionDeveloper => Some("Bastion Developer has no private-only deployment (Premium only)"),
            Access::BastionBasic => Some("Bastion Basic has a public IP (a private-only Bastion is Premium)"),
            Access::BastionStandard => Some("Bastion Standard has a public IP (a private-only Bastion is Premium)"),
            Access::BastionPremium if !on_premises => Some(
                "Bastion Premium is private-only when operators come over the on-premises link, and closed_network.on_premises is none",
            ),
            Access::Jumpbox if !on_premises => {
                Some("the jump box is reached over the on-premises link, and closed_network.on_premises is none")
            }
            _ => None,
        })
        .collect();
    (!why.is_empty()).then(|| why.join("; "))
}

/// Services on a tier the catalog marks without an SLA, and AI Search below the replicas its SLA
/// needs (2 for queries, 3 with indexing: the same figures as CN016).
fn sla(arch: &Architecture, closed: &Design, catalog: &Catalog) -> Option<String> {
    let mut why = Vec::new();
    for (svc, priced) in arch.services.iter().zip(&closed.services) {
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        if let Some(tier) = def.tier(priced.tier).filter(|t| t.sla == Some(false)) {
            let doc = tier.sla_doc.as_ref().map(|d| format!(" ({d})")).unwrap_or_default();
            why.push(format!("{} runs {} {}, which has no SLA{doc}", svc.name, def.type_id, tier.id));
        }
        if let Some(need) = &def.sla_replicas {
            let replicas = svc.capacity.get("replicas").copied().unwrap_or(Decimal::ONE);
            let (needed, what) =
                if svc.calls.is_empty() { (need.read, "queries") } else { (need.read_write, "queries and indexing") };
            if replicas < Decimal::from(needed) {
                why.push(format!(
                    "{} has {replicas} replica(s): its SLA for {what} needs {needed} ({}, {})",
                    svc.name, need.doc, need.as_of
                ));
            }
        }
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// Finding CN024 for each requirement the closed design breaks, at the requirement's line.
pub fn findings(arch: &Architecture, closed: &Design, catalog: &Catalog) -> Vec<super::findings::Finding> {
    let rule = RuleId::CN024.rule();
    arch.requirements
        .iter()
        .enumerate()
        .filter_map(|(i, (c, at))| {
            let reason = broken(*c, arch, closed, catalog)?;
            Some(super::findings::Finding {
                rule: RuleId::CN024,
                slug: rule.slug,
                severity: rule.severity,
                message: format!("the closed design breaks requirement {c}: {reason}"),
                path: Some(format!("requirements[{i}]")),
                loc: Some(*at),
                doc: rule.doc,
            })
        })
        .collect()
}
