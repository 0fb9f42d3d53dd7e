//! What the closed design relies on that is not generally available at the snapshot's date: a
//! preview (finding CN025, which `check --deny-preview` fails on), or something not offered at all
//! yet (an added tier before its preview or GA: finding CN007, the closed design cannot have it).
//!
//! The engine prices a preview as it is offered; these findings say so, once per feature.

use super::Design;
use super::findings::{Finding, finding};
use super::needs::unavailable;
use super::requirement::Requirement;
use crate::architecture::Architecture;
use crate::catalog::Catalog;
use crate::catalog::definitions::Status;
use crate::registry::RuleId;

/// CN025 for each preview the closed design relies on; CN007 for each added resource whose tier
/// cannot be deployed at `date`.
pub fn findings(arch: &Architecture, catalog: &Catalog, closed: &Design, date: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in &closed.decisions {
        let Some(svc) = arch.service(&d.service) else { continue };
        let at = |message: String| finding(RuleId::CN025, message, Some(svc.path()), Some(svc.loc));
        let tier = d.to.and_then(|t| catalog.service(d.type_id)?.tier(t));
        if let Some(t) = tier.filter(|t| t.status(date) == Some(Status::Preview)) {
            let doc = t.preview_doc.as_deref().unwrap_or_default();
            out.push(at(format!("{}: {} tier {} is in preview on {date} ({doc})", d.service, d.type_id, t.id)));
        }
        for e in d.evidence.iter().filter(|e| e.status.is_preview()) {
            out.push(at(format!(
                "{}: {} through {} on {} {} is in preview on {date} ({}, {})",
                d.service,
                e.need,
                e.capability,
                d.type_id,
                d.to.unwrap_or(d.from),
                e.doc,
                e.as_of
            )));
        }
    }
    links(arch, catalog, date, &mut out);
    origins(arch, catalog, closed, date, &mut out);
    added(arch, catalog, closed, date, &mut out);
    out
}

/// Shared private links to a target type that is only in preview at the date.
fn links(arch: &Architecture, catalog: &Catalog, date: &str, out: &mut Vec<Finding>) {
    for svc in &arch.services {
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        for target in super::needs::reachable_callees(arch, svc, def, date) {
            let Some((link, Status::Preview)) = def.link_target(&target.type_id, date) else { continue };
            let scope = link.scope.as_ref().map(|s| format!(", {s}")).unwrap_or_default();
            out.push(finding(
                RuleId::CN025,
                format!(
                    "{} -> {}: a shared private link to {} (group {}) is in preview on {date}{scope} ({}, {})",
                    svc.name,
                    target.name,
                    target.type_id,
                    link.group(&target.subresources),
                    link.doc,
                    link.as_of
                ),
                Some(svc.path()),
                Some(svc.loc),
            ));
        }
    }
}

/// Private Link origins of a public edge whose type is only in preview as an origin at the date.
fn origins(arch: &Architecture, catalog: &Catalog, closed: &Design, date: &str, out: &mut Vec<Finding>) {
    let injected = super::implied::injected(closed);
    for edge in arch.services.iter().filter(|s| s.public) {
        let (linked, _) = super::private_link_origins(arch, edge, catalog, date, &injected);
        for origin in linked {
            let Some(o) = catalog.service(&origin.type_id).and_then(|d| d.private_link_origin.as_ref()) else {
                continue;
            };
            if o.status(date) == Some(Status::Preview) {
                let doc = o.preview_doc.as_deref().unwrap_or(&o.doc);
                out.push(finding(
                    RuleId::CN025,
                    format!(
                        "{} -> {}: {} as a Front Door Private Link origin is in preview on {date} ({doc})",
                        edge.name, origin.name, origin.type_id
                    ),
                    Some(edge.path()),
                    Some(edge.loc),
                ));
            }
        }
    }
}

/// Resources the closed network adds at a tier in preview (CN025) or not offered at all (CN007).
fn added(arch: &Architecture, catalog: &Catalog, closed: &Design, date: &str, out: &mut Vec<Finding>) {
    for a in &closed.added {
        let Some(tier) = catalog.service(a.type_id).and_then(|d| d.tier(a.tier)) else { continue };
        let path = a.requirement.map(setting);
        let (rule, message) = match tier.status(date) {
            Some(Status::Ga) => continue,
            Some(Status::Preview) => (
                RuleId::CN025,
                format!(
                    "{}: {} {} is in preview on {date} ({})",
                    a.name,
                    a.type_id,
                    tier.id,
                    tier.preview_doc.as_deref().unwrap_or_default()
                ),
            ),
            None => (
                RuleId::CN007,
                format!(
                    "{}: {} {} is {} on {date}: the closed design cannot have it; choose another option for {}",
                    a.name,
                    a.type_id,
                    tier.id,
                    unavailable(tier, date),
                    path.unwrap_or("it")
                ),
            ),
        };
        out.push(finding(rule, message, path.map(str::to_string), Some(arch.closed.loc)));
    }
}

/// The setting of `closed_network` that added a resource serving `r`.
fn setting(r: Requirement) -> &'static str {
    match r {
        Requirement::OperatorAccess => "closed_network.operator_access",
        Requirement::Cicd => "closed_network.cicd",
        Requirement::OnPremises => "closed_network.on_premises",
        Requirement::Egress => "closed_network.egress",
        Requirement::Ddos => "closed_network.ddos",
        Requirement::Identity => "closed_network.conditional_access",
        Requirement::HubShare => "closed_network.hub_share",
        Requirement::PrivateAccess | Requirement::PrivateEdge | Requirement::PrivateIndexing => "closed_network",
    }
}
