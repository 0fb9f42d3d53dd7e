//! The two designs: RBAC-only (declared tiers, nothing added) and closed (tiers chosen for what
//! each service needs, plus what the closed network adds), each priced from a snapshot.

use super::choose::{Pricing, choose};
use super::edge_path::EdgePath;
use super::needs::needs;
use super::requirement::Requirement;
use super::{Decision, Design, PricedService, Pricer, implied};
use crate::architecture::{Architecture, ClosedNetwork, Service};
use crate::calculator::{self, Line, Resource, Source, TierPrices, Totals};
use crate::catalog::Catalog;
use crate::catalog::definitions::{CapabilityKind, ServiceDef, Tier};
use crate::catalog::snapshot::Snapshot;
use crate::error::Error;
use crate::money::Conversion;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The resource to price for a declared service at `tier`.
pub fn resource<'a>(arch: &'a Architecture, svc: &'a Service, tier: &'a str) -> Resource<'a> {
    Resource {
        type_id: &svc.type_id,
        tier,
        region: &arch.region,
        capacity: Cow::Borrowed(&svc.capacity),
        usage: Cow::Borrowed(&svc.usage),
        model: svc.model.as_deref(),
        os: svc.os.as_deref(),
        zone: svc.zone,
    }
}

/// The tier a service runs at in the RBAC-only design: the declared one, else the lowest that runs
/// its OS, else the lowest.
pub fn declared_tier<'a>(svc: &Service, def: &'a ServiceDef) -> &'a Tier {
    let lowest = || def.lowest_tier();
    #[allow(clippy::expect_used)]
    svc.tier
        .as_deref()
        .and_then(|t| def.tier(t))
        .or_else(|| def.default_tier(svc.os.as_deref()))
        .or_else(lowest)
        .expect("ServiceDef::validate refuses a service type without tiers")
}

fn def<'a>(catalog: &'a Catalog, type_id: &str) -> Result<&'a ServiceDef, Error> {
    catalog.service(type_id).ok_or_else(|| Error::msg(format!("the catalog has no service type {type_id}")))
}

/// Prices `res` at `tier` as one service of a design.
fn priced<'c>(
    name: &str,
    def: &'c ServiceDef,
    tier: &'c Tier,
    snapshot: &'c Snapshot,
    res: &Resource,
    reason: Option<String>,
) -> Result<PricedService<'c>, Error> {
    let lines = calculator::price_tier(tier, snapshot, res).map_err(|e| Error::from(e).within(name))?;
    let count = reason.as_ref().and_then(|_| res.capacity.values().next().copied());
    service(name, def, tier, lines, reason, count)
}

/// A declared service priced at `tier`, through the run's tier prices.
fn at_tier<'a, 'c: 'a>(
    arch: &'a Architecture,
    svc: &'a Service,
    def: &'c ServiceDef,
    tier: &'c Tier,
    snapshot: &'c Snapshot,
    prices: &TierPrices<'a, 'c>,
) -> Result<PricedService<'c>, Error> {
    let lines = prices.price(tier, snapshot, &resource(arch, svc, &tier.id));
    service(&svc.name, def, tier, lines.map_err(|e| Error::from(e).within(&svc.name))?, None, None)
}

fn service<'c>(
    name: &str,
    def: &'c ServiceDef,
    tier: &'c Tier,
    mut lines: Vec<Line<'c>>,
    reason: Option<String>,
    count: Option<Decimal>,
) -> Result<PricedService<'c>, Error> {
    // Priced with room for every component of the tier; a design keeps only the lines that apply.
    lines.shrink_to_fit();
    let totals = Totals::of(&lines).map_err(|e| Error::from(e).within(name))?;
    Ok(PricedService {
        name: name.to_string(),
        type_id: &def.type_id,
        tier: &tier.id,
        reason,
        count,
        lines,
        totals,
        requirement: None,
        os: None,
    })
}

/// What a declared service's lines show besides its tier's components: the operating system they
/// are priced for, and the public IP an Application Gateway always has.
fn declared<'c>(
    priced: &mut PricedService<'c>,
    svc: &Service,
    tier: &Tier,
    arch: &Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
) -> Result<(), Error> {
    priced.os = super::PricedOs::of(svc.os.as_deref(), svc.os_declared, tier);
    implied::own_public_ip(priced, catalog, snapshot, &arch.region)
}

/// The RBAC-only design: declared tiers, public endpoints, nothing added.
pub fn rbac<'c>(arch: &Architecture, catalog: &'c Catalog, snapshot: &'c Snapshot) -> Result<Design<'c>, Error> {
    let mut services = Vec::with_capacity(arch.services.len());
    let prices = TierPrices::default();
    for svc in &arch.services {
        let def = def(catalog, &svc.type_id)?;
        let tier = declared_tier(svc, def);
        super::zones::check_declared(arch, svc, def, tier, &snapshot.meta.as_of)?;
        let mut p = at_tier(arch, svc, def, tier, snapshot, &prices)?;
        declared(&mut p, svc, tier, arch, catalog, snapshot)?;
        services.push(p);
    }
    Ok(Design { services, added: Vec::new(), decisions: Vec::new(), dropped: Vec::new(), paths: Vec::new() })
}

/// The closed-network design. `conversion` turns amounts the architect states in the report
/// currency (the hub's charge-back) into USD. With a `pricer`, candidate tiers are compared at its
/// prices (`--choose-on negotiated`); the lines themselves stay at list price.
pub fn closed<'c>(
    arch: &Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    conversion: &Conversion,
    pricer: Option<&dyn Pricer>,
) -> Result<Design<'c>, Error> {
    let (services, decisions, paths) = closed_services(arch, catalog, snapshot, &Pricing::new(pricer))?;
    let mut design = Design { services, added: Vec::new(), decisions, dropped: Vec::new(), paths };
    let hub_share = match arch.closed.hub_share {
        Some(amount) => Some(
            amount
                .checked_div(conversion.rate)
                .ok_or_else(|| Error::msg(format!("hub_share {amount} cannot be converted to USD")))?,
        ),
        None => None,
    };
    design.added = added(arch, &arch.closed, catalog, &design, snapshot, hub_share)?;
    for r in Requirement::ALL.into_iter().filter(|r| r.is_switch()) {
        if !design.added.iter().any(|a| a.requirement == Some(r)) {
            continue;
        }
        let net = without(&arch.closed, r);
        let share = if r == Requirement::HubShare { None } else { hub_share };
        let rest = added(arch, &net, catalog, &design, snapshot, share)?;
        design.dropped.push((r, rest));
    }
    Ok(design)
}

/// The closed design's services as they are placed: one slot per service of the file, in file order,
/// with its decision when it needs anything.
/// The closed design's declared services, the decisions of those that needed any, and the edge paths.
type ClosedServices<'c> = (Vec<PricedService<'c>>, Vec<Decision<'c>>, Vec<EdgePath>);

pub(super) type Slots<'c> = Vec<Option<(PricedService<'c>, Option<Decision<'c>>)>>;

/// Whether `svc` is a public edge's type (Front Door): it reaches its origins over Private Link.
pub(super) fn is_edge(catalog: &Catalog, svc: &Service) -> bool {
    catalog.service(&svc.type_id).is_some_and(|d| d.outbound_via.contains(&CapabilityKind::PrivateLinkOrigin))
}

/// Each declared service at its closed-design tier, in file order, with the decisions of those
/// that need anything, and how each public edge reaches an origin whose endpoint brings a charge.
fn closed_services<'a, 'c: 'a>(
    arch: &'a Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    pricing: &Pricing<'_, 'a, 'c>,
) -> Result<ClosedServices<'c>, Error> {
    // Edges (Front Door) go last: whether an origin can be reached over Private Link depends on how
    // the origin itself is made private (an injected classic API Management takes no endpoint).
    let mut slots: Slots<'c> = vec![None; arch.services.len()];
    let mut injected: BTreeSet<String> = BTreeSet::new();
    for i in (0..arch.services.len()).filter(|&i| !is_edge(catalog, &arch.services[i])) {
        place(arch, catalog, snapshot, pricing, i, &mut slots, &mut injected)?;
    }
    let paths = super::edge_path::choose(arch, catalog, snapshot, pricing, &mut slots, &mut injected)?;
    place_edges(arch, catalog, snapshot, pricing, &mut slots, &mut injected)?;
    let mut services = Vec::with_capacity(arch.services.len());
    let mut decisions = Vec::new();
    for (priced, decision) in slots.into_iter().flatten() {
        services.push(priced);
        decisions.extend(decision);
    }
    Ok((services, decisions, paths))
}

/// Places every public edge of the file, once every origin is placed.
pub(super) fn place_edges<'a, 'c: 'a>(
    arch: &'a Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    pricing: &Pricing<'_, 'a, 'c>,
    slots: &mut Slots<'c>,
    injected: &mut BTreeSet<String>,
) -> Result<(), Error> {
    for i in (0..arch.services.len()).filter(|&i| is_edge(catalog, &arch.services[i])) {
        place(arch, catalog, snapshot, pricing, i, slots, injected)?;
    }
    Ok(())
}

/// Chooses and prices service `i` of the file into its slot; `injected` names the services made
/// private by VNet injection so far (an edge reads it: an injected origin takes no endpoint).
fn place<'a, 'c: 'a>(
    arch: &'a Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    pricing: &Pricing<'_, 'a, 'c>,
    i: usize,
    slots: &mut Slots<'c>,
    injected: &mut BTreeSet<String>,
) -> Result<(), Error> {
    let svc = &arch.services[i];
    let def = def(catalog, &svc.type_id)?;
    let declared = declared_tier(svc, def);
    // Only an edge reads which origins are injected: no set per service otherwise.
    let needs = match is_edge(catalog, svc) {
        true => {
            let names: BTreeSet<&str> = injected.iter().map(String::as_str).collect();
            needs(arch, svc, def, catalog, &snapshot.meta.as_of, &names)
        }
        false => needs(arch, svc, def, catalog, &snapshot.meta.as_of, &BTreeSet::new()),
    };
    let (decision, chosen) = choose(arch, svc, def, declared, &needs, snapshot, pricing)?;
    let mut priced = match chosen {
        // The chosen tier was priced while choosing: no need to price it again.
        Some((tier, lines)) => service(&svc.name, def, tier, lines, None, None)?,
        None => at_tier(arch, svc, def, declared, snapshot, &pricing.tiers)?,
    };
    let tier = def.tier(priced.tier).unwrap_or(declared);
    self::declared(&mut priced, svc, tier, arch, catalog, snapshot)?;
    let rule = if decision.changed() { decision.rule } else { None };
    priced.requirement = Some(Requirement::of_rule(rule));
    if decision.evidence.iter().any(|e| e.injects()) {
        injected.insert(svc.name.clone());
    }
    slots[i] = Some((priced, needs.any().then_some(decision)));
    Ok(())
}

/// The network platform without one requirement.
fn without(net: &ClosedNetwork, r: Requirement) -> ClosedNetwork {
    use crate::architecture::{Cicd, ConditionalAccess, Ddos, Egress, OnPremises};
    let mut n = net.clone();
    match r {
        Requirement::Identity => n.conditional_access = ConditionalAccess::None,
        Requirement::OnPremises => n.on_premises = OnPremises::None,
        Requirement::Egress => n.egress = Egress::None,
        Requirement::OperatorAccess => n.operator_access.clear(),
        Requirement::Cicd => n.cicd = Cicd::None,
        Requirement::Ddos => n.ddos = Ddos::None,
        Requirement::HubShare => n.hub_share = None,
        Requirement::PrivateAccess | Requirement::PrivateEdge | Requirement::PrivateIndexing => {}
    }
    n
}

/// The resources the closed design adds for `net`, priced.
pub(super) fn added<'c>(
    arch: &Architecture,
    net: &ClosedNetwork,
    catalog: &'c Catalog,
    design: &Design,
    snapshot: &'c Snapshot,
    hub_share_usd: Option<Decimal>,
) -> Result<Vec<PricedService<'c>>, Error> {
    price_added(implied::added(arch, net, catalog, design, &snapshot.meta.as_of, hub_share_usd), catalog, snapshot)
}

/// Prices what a design adds.
fn price_added<'c>(
    list: Vec<implied::Added>,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
) -> Result<Vec<PricedService<'c>>, Error> {
    let mut out = Vec::new();
    for add in list {
        let mut priced = match add.stated {
            Some(usd) => stated(&add.name, &add.reason, usd)?,
            None => {
                let def = def(catalog, add.resource.type_id)?;
                let tier = def.tier(add.resource.tier).ok_or_else(|| {
                    Error::msg(format!("{}: {} has no tier {}", add.name, def.type_id, add.resource.tier))
                })?;
                let mut p = priced(&add.name, def, tier, snapshot, &add.resource, Some(add.reason.clone()))?;
                p.count = ["count", "instances", "users", "plans", "ips"]
                    .iter()
                    .find_map(|k| add.resource.capacity.get(*k))
                    .copied();
                p
            }
        };
        if let Some(why) = &add.provided {
            for line in &mut priced.lines {
                line.provide(why);
            }
            priced.totals = Totals::of(&priced.lines).map_err(|e| Error::from(e).within(&add.name))?;
        }
        priced.requirement = Some(add.requirement);
        out.push(priced);
    }
    Ok(out)
}

/// A monthly amount the architect states (USD), as one fixed line.
fn stated<'c>(name: &str, reason: &str, usd: Decimal) -> Result<PricedService<'c>, Error> {
    let line = Line {
        component: "monthly charge-back",
        key: "hub-share/charge-back/month",
        charge: crate::catalog::definitions::Charge::Fixed,
        quantity: Decimal::ONE,
        unit: "1/Month",
        unit_price: Some(usd),
        monthly: Some(usd),
        source: Source::Stated(format!("stated by the architect ({reason})")),
        discount: None,
        buckets: &[],
        free_units: Decimal::ZERO,
        savings: [None, None],
        commitment: None,
    };
    let lines = vec![line];
    let totals = Totals::of(&lines)?;
    Ok(PricedService {
        name: name.to_string(),
        type_id: "hub-share",
        tier: "charge-back",
        reason: Some(reason.to_string()),
        count: Some(Decimal::ONE),
        lines,
        totals,
        requirement: None,
        os: None,
    })
}

/// The design as infrastructure code builds it: the services at the input's tiers, the private
/// endpoints and DNS zones the input counts (those whose service keeps public access on apart:
/// they close nothing), and the network platform its `closed_network` says it builds.
pub fn as_planned<'c>(
    arch: &Architecture,
    import: &crate::iac::import::Import,
    rbac: &Design<'c>,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
) -> Result<Design<'c>, Error> {
    let design = Design {
        services: rbac.services.clone(),
        added: Vec::new(),
        decisions: Vec::new(),
        dropped: Vec::new(),
        paths: Vec::new(),
    };
    // Only what the input builds: its platform devices (not the resolver or the licences closing
    // would add, nor their public IPs: the input's own count of platform public IPs is a line).
    let platform = implied::added(arch, &arch.closed, catalog, &design, &snapshot.meta.as_of, None)
        .into_iter()
        .filter(|a| a.stated.is_none() && import.network.built.contains(a.resource.type_id));
    let list: Vec<implied::Added> =
        implied::planned_plumbing(arch, &import.plumbing).into_iter().chain(platform).collect();
    let added = price_added(list, catalog, snapshot)?;
    Ok(Design { added, ..design })
}

/// The cheapest tier of `svc`'s type with an SLA that closes it, from the lowest tier up (not only
/// from the declared one): its tier, whether it is private inbound by injection, and its monthly
/// USD. A tier without an SLA is no alternative to a tier a plan runs in production.
pub fn cheapest_closed<'c>(
    arch: &Architecture,
    svc: &Service,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
) -> Result<Option<(&'c str, bool, Decimal)>, Error> {
    let def = def(catalog, &svc.type_id)?;
    let Some(lowest) = def.lowest_tier() else { return Ok(None) };
    let free = Service { tier: Some(lowest.id.clone()), ..svc.clone() };
    let mut production = arch.clone();
    production.closed.production = true;
    let needs = needs(&production, &free, def, catalog, &snapshot.meta.as_of, &BTreeSet::new());
    let (decision, chosen) = choose(&production, &free, def, lowest, &needs, snapshot, &Pricing::new(None))?;
    let Some((tier, lines)) = chosen else { return Ok(None) };
    let injects = decision.evidence.iter().any(|e| e.injects());
    Ok(Some((&tier.id, injects, Totals::of(&lines)?.total())))
}
