//! What a service needs in the closed design, and whether a tier provides it.

use super::{Evidence, Need, Needs, Reason};
use crate::architecture::{Architecture, Service, Skillset};
use crate::catalog::Catalog;
use crate::catalog::definitions::{CapabilityKind, ServiceDef, Tier};
use crate::registry::RuleId;
use std::collections::BTreeSet;

/// The private services `svc` calls.
fn private_callees<'a>(arch: &'a Architecture, svc: &'a Service) -> impl Iterator<Item = &'a Service> {
    svc.calls.iter().filter_map(|c| arch.service(c)).filter(|t| !t.public)
}

/// The private services `svc` (of type `def`) calls that it can reach privately on `date`: all of
/// them, but for a type whose shared private links reach only some types (AI Search), those (the
/// others are finding CN017, and no link is priced for them).
pub fn reachable_callees<'a>(
    arch: &'a Architecture,
    svc: &'a Service,
    def: &'a ServiceDef,
    date: &'a str,
) -> impl Iterator<Item = &'a Service> {
    let limited = !def.shared_private_link_targets.is_empty();
    private_callees(arch, svc).filter(move |t| !limited || def.link_target(&t.type_id, date).is_some())
}

/// The private services an AI Search service calls that no shared private link reaches on `date`.
pub fn unreachable_callees<'a>(
    arch: &'a Architecture,
    svc: &'a Service,
    def: &'a ServiceDef,
    date: &'a str,
) -> impl Iterator<Item = &'a Service> {
    let limited = !def.shared_private_link_targets.is_empty();
    private_callees(arch, svc).filter(move |t| limited && def.link_target(&t.type_id, date).is_none())
}

/// The private origins of a public edge that it can reach over Private Link on `date`, and those it
/// cannot (an Application Gateway goes in front of those: see `implied`).
/// Why `edge` cannot reach `origin` over Private Link: the origin type at the date, or its injection.
pub fn unlinked_reason(
    edge: &Service,
    origin: &Service,
    catalog: &Catalog,
    injected: &BTreeSet<&str>,
    date: &str,
) -> String {
    let def = catalog.service(&origin.type_id);
    let supported = def.is_some_and(|d| d.private_link_origin_at(date));
    let charged = def.and_then(|d| d.private_endpoint.as_ref()).is_some_and(|p| p.charge.is_some());
    let injection = format!("{} is injected into the VNet (internal mode) and takes no private endpoint", origin.name);
    match (supported, injected.contains(origin.name.as_str())) {
        (true, _) if charged => format!(
            "{} does not reach {} over Private Link: {} stays injected into the VNet (internal mode), as its private endpoint would bring a charge of its own",
            edge.name, origin.name, origin.name
        ),
        (true, _) => format!("{} cannot reach {} over Private Link: {injection}", edge.name, origin.name),
        (false, false) => {
            format!("{} cannot reach {} ({}) over Private Link on {date}", edge.name, origin.name, origin.type_id)
        }
        (false, true) => format!(
            "{} cannot reach {} ({}) over Private Link on {date}, and {injection}",
            edge.name, origin.name, origin.type_id
        ),
    }
}

/// An origin injected into the VNet (classic API Management in internal mode) has no private
/// endpoint for Front Door to reach: `injected` names the services the closed design injects.
pub fn private_link_origins<'a>(
    arch: &'a Architecture,
    svc: &'a Service,
    catalog: &Catalog,
    date: &str,
    injected: &BTreeSet<&str>,
) -> (Vec<&'a Service>, Vec<&'a Service>) {
    private_callees(arch, svc).partition(|t| {
        !injected.contains(t.name.as_str())
            && catalog.service(&t.type_id).is_some_and(|d| d.private_link_origin_at(date))
    })
}

pub fn needs<'c>(
    arch: &Architecture,
    svc: &Service,
    def: &'c ServiceDef,
    catalog: &Catalog,
    date: &str,
    injected: &BTreeSet<&str>,
) -> Needs<'c> {
    if def.in_network.is_some() || def.billing_plan {
        return Needs { inbound: false, outbound: None };
    }
    let calls_private = reachable_callees(arch, svc, def, date).next().is_some();
    let edge = def.outbound_via.contains(&CapabilityKind::PrivateLinkOrigin);
    let outbound = if !calls_private {
        None
    } else if edge {
        // Only origins that can be Private Link origins at the date need a Private Link tier.
        let (linked, _) = private_link_origins(arch, svc, catalog, date, injected);
        (!linked.is_empty()).then_some((&[CapabilityKind::PrivateLinkOrigin][..], RuleId::CN103))
    } else if let (Skillset::Embedding, Some(k)) = (svc.skillset, def.outbound_with_embedding.as_ref()) {
        Some((std::slice::from_ref(k), RuleId::CN104))
    } else if let (Skillset::Full | Skillset::Embedding, Some(k)) = (svc.skillset, def.outbound_with_skillset.as_ref())
    {
        Some((std::slice::from_ref(k), RuleId::CN104))
    } else if def.outbound_via == [CapabilityKind::SharedPrivateLink] {
        Some((def.outbound_via.as_slice(), RuleId::CN105))
    } else {
        Some((def.outbound_via.as_slice(), RuleId::CN102))
    };
    Needs { inbound: !svc.public, outbound }
}

/// Why `tier` cannot serve `svc` in the closed design, or the evidence that it can.
pub(super) fn qualify<'c>(
    arch: &Architecture,
    svc: &Service,
    def: &ServiceDef,
    tier: &'c Tier,
    needs: &Needs<'c>,
    date: &str,
) -> Result<Vec<Evidence<'c>>, Reason<'c>> {
    if !tier.exists_at(date) {
        return Err(Reason::Other(unavailable(tier, date).into()));
    }
    if let Some(os) = svc.os.as_ref().filter(|os| !tier.supports_os(os)) {
        let why = if svc.runtime.as_deref() == Some("python") { " (Python needs Linux)" } else { "" };
        return Err(Reason::Other(format!("does not run {os}{why}").into()));
    }
    // A tier that does not offer the declared model would price as free: it is no candidate.
    if let Some(model) = svc.model.as_deref()
        && tier.components.iter().any(|c| c.model.is_some())
        && !tier.components.iter().any(|c| c.model.as_deref() == Some(model))
    {
        return Err(Reason::Other(format!("does not offer {model}").into()));
    }
    if let Some(why) = super::zones::shortfall(svc, def, tier, date) {
        return Err(Reason::Other(why.into()));
    }
    if arch.closed.production && tier.sla == Some(false) {
        return Err(Reason::Other("no SLA, and closed_network.sla is production".into()));
    }
    let no_inbound = needs.inbound
        && tier.capability(CapabilityKind::PrivateEndpoint, date).is_none()
        && tier.capability(CapabilityKind::VnetInjection, date).is_none();
    if no_inbound {
        return Err(Reason::Other("no private endpoint or VNet injection".into()));
    }
    let outbound = match needs.outbound {
        Some((kinds, rule)) => {
            let cap = kinds.iter().find_map(|k| tier.capability(*k, date)).ok_or(Reason::NoOutbound(kinds))?;
            Some((cap, rule))
        }
        None => None,
    };
    // At most two pieces: inbound and outbound.
    let mut evidence = Vec::with_capacity(usize::from(needs.inbound) + usize::from(outbound.is_some()));
    if needs.inbound {
        // An instance injected into the VNet for its outbound calls is private inbound through the
        // same injection (internal mode): classic API Management, for one, takes no private endpoint
        // once injected (private-endpoint page, 2025-11-17).
        let injected = outbound.filter(|(c, _)| c.kind == CapabilityKind::VnetInjection).map(|(c, _)| c);
        let endpoint = || tier.capability(CapabilityKind::PrivateEndpoint, date);
        let injection = || tier.capability(CapabilityKind::VnetInjection, date);
        // An endpoint that brings a charge of its own (Container Apps' Dedicated Plan Management) is
        // taken only where it pays: for a Private Link origin, when it costs less than the gateway
        // in front of an injected one (see `design`).
        let charged = def.private_endpoint.as_ref().is_some_and(|p| p.charge.is_some());
        let cap = match charged {
            true => injected.or_else(injection).or_else(endpoint),
            false => injected.or_else(endpoint).or_else(injection),
        };
        let cap = cap.ok_or(Reason::Other("no private endpoint or VNet injection".into()))?;
        evidence.push(Evidence::of(Need::PrivateInbound, RuleId::CN101, cap, date));
    }
    if let Some((cap, rule)) = outbound {
        evidence.push(Evidence::of(Need::PrivateOutbound, rule, cap, date));
    }
    Ok(evidence)
}

/// Why a tier cannot be deployed on `date`: before its preview or GA, or retired.
pub fn unavailable(tier: &Tier, date: &str) -> String {
    match (&tier.preview_since, &tier.since, &tier.until) {
        (_, _, Some(u)) if u.as_str() <= date => format!("retired for new deployments from {u}"),
        (Some(p), Some(s), _) => format!("not available until its preview from {p} (generally available from {s})"),
        (Some(p), None, _) => format!("not available until its preview from {p}"),
        (None, Some(s), _) => format!("not generally available until {s}"),
        _ => "not available at the snapshot date".to_string(),
    }
}
