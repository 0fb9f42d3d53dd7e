//! Choosing the closed design's tier for one service: the cheapest tier that meets its needs, or
//! the declared tier when it already does.

use super::design::resource;
use super::needs::qualify;
use super::{Decision, Evidence, Needs, Pricer, Reason, Rejected};
use crate::architecture::{Architecture, Service};
use crate::calculator::{Line, Source, TierPrices, Totals};
use crate::catalog::definitions::{CapabilityKind, ServiceDef, Tier};
use crate::catalog::snapshot::Snapshot;
use crate::error::Error;
use crate::registry::RuleId;
use rust_decimal::Decimal;
use std::rc::Rc;

/// The tier the closed design runs a service at, with its lines.
type Chosen<'c> = (&'c Tier, Vec<Line<'c>>);

/// A rejected tier with its place in the catalog's order (the order a report lists them in).
type Placed<'c> = (usize, Rejected<'c>);

/// How candidate tiers are priced: each tier once per kind of resource ([`TierPrices`]), and
/// compared at the `pricer`'s prices when there is one (`--choose-on negotiated`).
pub(super) struct Pricing<'p, 'a, 'c> {
    pub pricer: Option<&'p dyn Pricer>,
    pub tiers: TierPrices<'a, 'c>,
}

impl<'p> Pricing<'p, '_, '_> {
    pub fn new(pricer: Option<&'p dyn Pricer>) -> Self {
        Pricing { pricer, tiers: TierPrices::default() }
    }
}

/// A tier that meets the needs, with its place in the catalog's order, its monthly USD and lines.
pub(super) struct Candidate<'c> {
    place: usize,
    pub tier: &'c Tier,
    total: Decimal,
    pub evidence: Vec<Evidence<'c>>,
    lines: Rc<Vec<Line<'c>>>,
}

/// Every tier of equal or higher rank that meets the needs and has a price, with what it costs
/// (at the `pricer`'s prices when `pricing` has one); and the tiers rejected with why, each with its place in
/// the catalog's order. Both lists are in that order.
pub(super) fn candidates<'a, 'c: 'a>(
    arch: &'a Architecture,
    svc: &'a Service,
    def: &'c ServiceDef,
    declared: &'c Tier,
    needs: &Needs<'c>,
    snapshot: &'c Snapshot,
    pricing: &Pricing<'_, 'a, 'c>,
) -> Result<(Vec<Candidate<'c>>, Vec<Placed<'c>>), Error> {
    let date = snapshot.meta.as_of.as_str();
    let mut rejected = Vec::new();
    let mut candidates: Vec<Candidate<'c>> = Vec::new();
    let res = resource(arch, svc, &declared.id);
    for (place, tier) in def.tiers().enumerate() {
        if tier.rank < declared.rank {
            rejected.push((place, Rejected { tier: &tier.id, reason: Reason::BelowDeclared(&declared.id) }));
            continue;
        }
        let evidence = match qualify(arch, svc, def, tier, needs, date) {
            Ok(e) => e,
            Err(reason) => {
                rejected.push((place, Rejected { tier: &tier.id, reason }));
                continue;
            }
        };
        let lines = pricing.tiers.shared(tier, snapshot, &res).map_err(|e| Error::from(e).within(&svc.name))?;
        if let Some(Line { source: Source::NoPrice(why), component, .. }) = lines.iter().find(|l| l.monthly.is_none()) {
            let reason = Reason::NoPrice { component, why: why.clone() };
            rejected.push((place, Rejected { tier: &tier.id, reason }));
            continue;
        }
        let total = match pricing.pricer {
            None => Totals::of(lines.iter())?.total(),
            Some(p) => {
                let mut repriced = Vec::clone(&lines);
                p.reprice(&mut repriced).map_err(|e| e.within(&svc.name))?;
                Totals::of(&repriced)?.total()
            }
        };
        candidates.push(Candidate { place, tier, total, evidence, lines });
    }
    Ok((candidates, rejected))
}

/// The rule of the first need the declared tier does not meet; `None` when it meets them all.
fn bump_rule(
    arch: &Architecture,
    svc: &Service,
    def: &ServiceDef,
    declared: &Tier,
    needs: &Needs,
    date: &str,
) -> Option<RuleId> {
    qualify(arch, svc, def, declared, needs, date).err()?;
    let inbound_fails = needs.inbound
        && declared.capability(CapabilityKind::PrivateEndpoint, date).is_none()
        && declared.capability(CapabilityKind::VnetInjection, date).is_none();
    Some(match (&needs.outbound, inbound_fails) {
        (Some((_, r)), false) => *r,
        _ => RuleId::CN101,
    })
}

/// The closed design's tier for `svc` and its lines (`None` when no tier qualifies).
pub(super) fn choose<'a, 'c: 'a>(
    arch: &'a Architecture,
    svc: &'a Service,
    def: &'c ServiceDef,
    declared: &'c Tier,
    needs: &Needs<'c>,
    snapshot: &'c Snapshot,
    pricing: &Pricing<'_, 'a, 'c>,
) -> Result<(Decision<'c>, Option<Chosen<'c>>), Error> {
    let date = snapshot.meta.as_of.as_str();
    let rule = bump_rule(arch, svc, def, declared, needs, date);
    let declared_fails = rule.is_some();
    let mut decision = Decision {
        service: svc.name.clone(),
        type_id: &def.type_id,
        from: &declared.id,
        to: None,
        needs: *needs,
        rule,
        evidence: Vec::new(),
        rejected: Vec::new(),
    };
    // Inside the network by construction (a virtual machine, a firewall) or a billing plan: the
    // closed design needs nothing of it, and the declared tier stays even without a price (a
    // virtual machine's thousand sizes are not priced to keep the one declared).
    if !declared_fails && (def.in_network.is_some() || def.billing_plan) {
        decision.to = Some(&declared.id);
        return Ok((decision, None));
    }
    let (mut candidates, mut rejected) = candidates(arch, svc, def, declared, needs, snapshot, pricing)?;
    // Cheapest first; on equal cost the lower rank, then catalog order (stable sort).
    candidates.sort_by(|a, b| a.total.cmp(&b.total).then(a.tier.rank.cmp(&b.tier.rank)));
    // A declared tier that already meets the needs stays: the closed design changes only what it must.
    let kept = candidates.iter().position(|c| c.tier.id == declared.id).filter(|_| !declared_fails);
    if let Some(i) = kept {
        let kept = candidates.remove(i);
        candidates.insert(0, kept);
    }
    if candidates.is_empty() {
        decision.rejected = rejected.into_iter().map(|(_, r)| r).collect();
        return Ok((decision, None));
    }
    let chosen = candidates.remove(0);
    for other in &candidates {
        let reason = if other.total >= chosen.total {
            Reason::Costlier {
                more: other.total - chosen.total,
                than: &chosen.tier.id,
                currency: &snapshot.meta.currency,
            }
        } else {
            Reason::DeclaredSuffices(&chosen.tier.id)
        };
        rejected.push((other.place, Rejected { tier: &other.tier.id, reason }));
    }
    // Report rejected tiers in catalog order.
    rejected.sort_by_key(|(place, _)| *place);
    decision.rejected = rejected.into_iter().map(|(_, r)| r).collect();
    decision.to = Some(&chosen.tier.id);
    decision.evidence = chosen.evidence;
    Ok((decision, Some((chosen.tier, Rc::unwrap_or_clone(chosen.lines)))))
}
