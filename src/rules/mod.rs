//! The rules engine: from an architecture to two designs.
//!
//! - **RBAC-only**: every service at its declared tier (or its type's lowest tier), public
//!   endpoints protected by Entra ID; nothing added.
//! - **Closed network**: for each service, derive what it needs (private inbound unless `public`;
//!   private outbound when it calls a private service; Private Link origins for a public edge;
//!   shared private links for AI Search), keep the tiers of equal or higher rank that provide it,
//!   run the required OS, have an SLA when `sla: production`, and have a price in the region; pick
//!   the cheapest at the declared usage. Then add what a closed network brings: private endpoints,
//!   private DNS zones, on-premises connectivity, build agents, operator access, Entra ID licences.
//!
//! Every bump is a [`Decision`] citing a rule id, the documentation that makes the chosen tier
//! qualify, and its date.

pub mod findings;
pub mod implied;
pub mod registry;

use crate::architecture::{Architecture, Service};
use crate::catalog::Catalog;
use crate::catalog::definitions::{CapabilityKind, ServiceDef, Tier};
use crate::catalog::snapshot::Snapshot;
use crate::estimate::{self, Line, Resource, Source, Totals};
use rust_decimal::Decimal;

/// One service of a design, priced.
#[derive(Clone, Debug)]
pub struct PricedService {
    pub name: String,
    pub type_id: String,
    pub tier: String,
    /// Why the resource is there (for added resources).
    pub reason: Option<String>,
    /// How many of it (for added resources: endpoints, zones, users).
    pub count: Option<Decimal>,
    pub lines: Vec<Line>,
    pub totals: Totals,
}

#[derive(Clone, Debug)]
pub struct Rejected {
    pub tier: String,
    pub reason: String,
}

/// The documentation that makes a chosen tier meet one need.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub need: String,
    pub rule: String,
    pub capability: String,
    pub doc: String,
    pub as_of: String,
}

#[derive(Clone, Debug)]
pub struct Decision {
    pub service: String,
    pub type_id: String,
    pub from: String,
    /// The chosen tier; `None` when no tier meets the needs (the service keeps `from`).
    pub to: Option<String>,
    pub needs: Vec<String>,
    /// Rule id of the first need the declared tier does not meet (the reason for the bump).
    pub rule: Option<String>,
    pub evidence: Vec<Evidence>,
    pub rejected: Vec<Rejected>,
}

impl Decision {
    pub fn changed(&self) -> bool {
        self.to.as_ref().is_some_and(|t| *t != self.from)
    }
}

#[derive(Clone, Debug)]
pub struct Design {
    pub services: Vec<PricedService>,
    pub added: Vec<PricedService>,
    pub decisions: Vec<Decision>,
}

impl Design {
    /// The sum of the services' totals. Summing per service first keeps one grouping everywhere:
    /// Decimal addition rounds at 28 digits, so another grouping can differ in the last digit
    /// (a property test found this with 730/24-day meters).
    pub fn totals(&self) -> Result<Totals, String> {
        let mut t = Totals::default();
        for s in self.services.iter().chain(&self.added) {
            t.fixed = t.fixed.checked_add(s.totals.fixed).ok_or("monthly total overflows")?;
            t.usage = t.usage.checked_add(s.totals.usage).ok_or("monthly total overflows")?;
            t.unpriced += s.totals.unpriced;
        }
        Ok(t)
    }
}

/// What a service needs in the closed design.
#[derive(Clone, Debug, PartialEq)]
pub struct Needs {
    pub inbound: bool,
    /// Capabilities of which one must be present for outbound access, with the rule it comes from.
    pub outbound: Option<(Vec<CapabilityKind>, &'static str)>,
}

impl Needs {
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.inbound {
            out.push("private inbound (private endpoint or VNet injection)".to_string());
        }
        if let Some((kinds, _)) = &self.outbound {
            let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            out.push(format!("private outbound ({})", names.join(" or ")));
        }
        out
    }
}

pub fn needs(arch: &Architecture, svc: &Service, def: &ServiceDef) -> Needs {
    if def.in_network.is_some() {
        return Needs { inbound: false, outbound: None };
    }
    let calls_private = svc.calls.iter().filter_map(|c| arch.service(c)).any(|t| !t.public);
    let outbound = if !calls_private {
        None
    } else if def.outbound_via.contains(&CapabilityKind::PrivateLinkOrigin) {
        Some((vec![CapabilityKind::PrivateLinkOrigin], "CN103"))
    } else if let (true, Some(k)) = (svc.skillset, def.outbound_with_skillset) {
        Some((vec![k], "CN104"))
    } else if def.outbound_via == [CapabilityKind::SharedPrivateLink] {
        Some((def.outbound_via.clone(), "CN105"))
    } else {
        Some((def.outbound_via.clone(), "CN102"))
    };
    Needs { inbound: !svc.public, outbound }
}

/// Why `tier` cannot serve `svc` in the closed design, or the evidence that it can.
fn qualify(
    arch: &Architecture,
    svc: &Service,
    tier: &Tier,
    needs: &Needs,
    date: &str,
) -> Result<Vec<Evidence>, String> {
    if !tier.exists_at(date) {
        return Err(match (&tier.since, &tier.until) {
            (Some(s), _) if date < s.as_str() => format!("not generally available until {s}"),
            (_, Some(u)) => format!("retired for new deployments from {u}"),
            _ => "not available at the snapshot date".to_string(),
        });
    }
    if let Some(os) = svc.os.as_ref().filter(|os| !tier.supports_os(os)) {
        let why = if svc.runtime.as_deref() == Some("python") { " (Python needs Linux)" } else { "" };
        return Err(format!("does not run {os}{why}"));
    }
    if arch.closed.production && tier.sla == Some(false) {
        return Err("no SLA, and closed_network.sla is production".to_string());
    }
    let mut evidence = Vec::new();
    if needs.inbound {
        let cap = tier
            .capability(CapabilityKind::PrivateEndpoint, date)
            .or_else(|| tier.capability(CapabilityKind::VnetInjection, date))
            .ok_or("no private endpoint or VNet injection")?;
        evidence.push(Evidence {
            need: "private inbound".into(),
            rule: "CN101".into(),
            capability: cap.kind.as_str().into(),
            doc: cap.doc.clone(),
            as_of: cap.as_of.clone(),
        });
    }
    if let Some((kinds, rule)) = &needs.outbound {
        let cap = kinds.iter().find_map(|k| tier.capability(*k, date)).ok_or_else(|| {
            let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            if names.is_empty() {
                "the service type has no private outbound access".to_string()
            } else {
                format!("no {}", names.join(" or "))
            }
        })?;
        evidence.push(Evidence {
            need: "private outbound".into(),
            rule: (*rule).into(),
            capability: cap.kind.as_str().into(),
            doc: cap.doc.clone(),
            as_of: cap.as_of.clone(),
        });
    }
    Ok(evidence)
}

/// The resource to price for a declared service at `tier`.
pub fn resource(arch: &Architecture, svc: &Service, tier: &str) -> Resource {
    Resource {
        type_id: svc.type_id.clone(),
        tier: tier.to_string(),
        region: arch.region.clone(),
        capacity: svc.capacity.clone(),
        usage: svc.usage.clone(),
        model: svc.model.clone(),
        os: svc.os.clone(),
        zone: svc.zone,
    }
}

/// The tier a service runs at in the RBAC-only design.
pub fn declared_tier<'a>(svc: &Service, def: &'a ServiceDef) -> &'a Tier {
    svc.tier
        .as_deref()
        .and_then(|t| def.tier(t))
        .or_else(|| def.default_tier(svc.os.as_deref()))
        .expect("a service type has at least one tier")
}

fn def<'a>(catalog: &'a Catalog, type_id: &str) -> Result<&'a ServiceDef, String> {
    catalog.service(type_id).ok_or_else(|| format!("the catalog has no service type {type_id}"))
}

fn priced(
    name: &str,
    def: &ServiceDef,
    snapshot: &Snapshot,
    res: &Resource,
    reason: Option<String>,
) -> Result<PricedService, String> {
    let lines = estimate::price(def, snapshot, res).map_err(|e| format!("{name}: {e}"))?;
    let totals = Totals::of(&lines).map_err(|e| format!("{name}: {e}"))?;
    let count = reason.as_ref().and_then(|_| res.capacity.values().next().copied());
    Ok(PricedService {
        name: name.to_string(),
        type_id: def.type_id.clone(),
        tier: res.tier.clone(),
        reason,
        count,
        lines,
        totals,
    })
}

/// The RBAC-only design: declared tiers, public endpoints, nothing added.
pub fn rbac(arch: &Architecture, catalog: &Catalog, snapshot: &Snapshot) -> Result<Design, String> {
    let mut services = Vec::new();
    for svc in &arch.services {
        let def = def(catalog, &svc.type_id)?;
        let tier = declared_tier(svc, def);
        services.push(priced(&svc.name, def, snapshot, &resource(arch, svc, &tier.id), None)?);
    }
    Ok(Design { services, added: Vec::new(), decisions: Vec::new() })
}

/// The closed-network design.
pub fn closed(arch: &Architecture, catalog: &Catalog, snapshot: &Snapshot) -> Result<Design, String> {
    let mut services = Vec::new();
    let mut decisions = Vec::new();
    for svc in &arch.services {
        let def = def(catalog, &svc.type_id)?;
        let declared = declared_tier(svc, def);
        let needs = needs(arch, svc, def);
        let (decision, lines) = choose(arch, svc, def, declared, &needs, snapshot)?;
        let priced_service = match lines {
            // The chosen tier was priced while choosing: no need to price it again.
            Some(lines) => {
                let totals = Totals::of(&lines).map_err(|e| format!("{}: {e}", svc.name))?;
                let tier = decision.to.clone().unwrap_or_else(|| declared.id.clone());
                PricedService {
                    name: svc.name.clone(),
                    type_id: def.type_id.clone(),
                    tier,
                    reason: None,
                    count: None,
                    lines,
                    totals,
                }
            }
            None => priced(&svc.name, def, snapshot, &resource(arch, svc, &declared.id), None)?,
        };
        services.push(priced_service);
        if needs.inbound || needs.outbound.is_some() {
            decisions.push(decision);
        }
    }
    let mut design = Design { services, added: Vec::new(), decisions };
    for add in implied::added(arch, catalog, &design, &snapshot.meta.as_of)? {
        let def = def(catalog, &add.resource.type_id)?;
        design.added.push(priced(&add.name, def, snapshot, &add.resource, Some(add.reason))?);
    }
    Ok(design)
}

fn choose(
    arch: &Architecture,
    svc: &Service,
    def: &ServiceDef,
    declared: &Tier,
    needs: &Needs,
    snapshot: &Snapshot,
) -> Result<(Decision, Option<Vec<Line>>), String> {
    let date = snapshot.meta.as_of.as_str();
    let mut rejected = Vec::new();
    let mut candidates: Vec<(&Tier, Decimal, Vec<Evidence>, Vec<Line>)> = Vec::new();
    for tier in &def.tiers {
        if tier.rank < declared.rank {
            rejected.push(Rejected {
                tier: tier.id.clone(),
                reason: format!("ranks below the declared tier {} (bumps only move up)", declared.id),
            });
            continue;
        }
        let evidence = match qualify(arch, svc, tier, needs, date) {
            Ok(e) => e,
            Err(reason) => {
                rejected.push(Rejected { tier: tier.id.clone(), reason });
                continue;
            }
        };
        let lines =
            estimate::price(def, snapshot, &resource(arch, svc, &tier.id)).map_err(|e| format!("{}: {e}", svc.name))?;
        if let Some(Line { source: Source::NoPrice(why), component, .. }) = lines.iter().find(|l| l.monthly.is_none()) {
            rejected.push(Rejected { tier: tier.id.clone(), reason: format!("no price for {component}: {why}") });
            continue;
        }
        let total = Totals::of(&lines)?.total();
        candidates.push((tier, total, evidence, lines));
    }
    // Cheapest first; on equal cost the lower rank, then catalog order (stable sort).
    candidates.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.rank.cmp(&b.0.rank)));
    let declared_fails = qualify(arch, svc, declared, needs, date).err();
    let rule = if declared_fails.is_some() {
        let inbound_fails = needs.inbound
            && declared.capability(CapabilityKind::PrivateEndpoint, date).is_none()
            && declared.capability(CapabilityKind::VnetInjection, date).is_none();
        match (&needs.outbound, inbound_fails) {
            (_, true) => Some("CN101".to_string()),
            (Some((_, r)), false) => Some(r.to_string()),
            (None, false) => Some("CN101".to_string()),
        }
    } else {
        None
    };
    // A declared tier that already meets the needs stays: the closed design changes only what it must.
    let kept = candidates.iter().position(|c| c.0.id == declared.id).filter(|_| declared_fails.is_none());
    if let Some(i) = kept {
        let kept = candidates.remove(i);
        candidates.insert(0, kept);
    }
    if candidates.is_empty() {
        let decision = Decision {
            service: svc.name.clone(),
            type_id: def.type_id.clone(),
            from: declared.id.clone(),
            to: None,
            needs: needs.describe(),
            rule,
            evidence: Vec::new(),
            rejected,
        };
        return Ok((decision, None));
    }
    let (chosen, chosen_cost, evidence, lines) = candidates.remove(0);
    for (tier, cost, _, _) in &candidates {
        let reason = if *cost >= chosen_cost {
            format!("meets the needs but costs USD {}/month more than {}", (*cost - chosen_cost).round_dp(2), chosen.id)
        } else {
            format!("meets the needs; the declared tier {} already does", chosen.id)
        };
        rejected.push(Rejected { tier: tier.id.clone(), reason });
    }
    // Report rejected tiers in catalog order.
    let order = |id: &str| def.tiers.iter().position(|t| t.id == id).unwrap_or(usize::MAX);
    rejected.sort_by_key(|r| order(&r.tier));
    let decision = Decision {
        service: svc.name.clone(),
        type_id: def.type_id.clone(),
        from: declared.id.clone(),
        to: Some(chosen.id.clone()),
        needs: needs.describe(),
        rule,
        evidence,
        rejected,
    };
    Ok((decision, Some(lines)))
}
