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
pub mod requirement;

use crate::architecture::{Architecture, Service, Skillset};
use crate::catalog::Catalog;
use crate::catalog::definitions::{CapabilityKind, ServiceDef, Tier};
use crate::catalog::snapshot::Snapshot;
use crate::estimate::{self, Line, Resource, Source, Totals};
use crate::money::Conversion;
use registry::RuleId;
use requirement::Requirement;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt;

/// One service of a design, priced. Type, tier and lines borrow from the catalog (`'c`).
#[derive(Clone, Debug)]
pub struct PricedService<'c> {
    pub name: String,
    pub type_id: &'c str,
    pub tier: &'c str,
    /// Why the resource is there (for added resources).
    pub reason: Option<String>,
    /// How many of it (for added resources: endpoints, zones, users).
    pub count: Option<Decimal>,
    pub lines: Vec<Line<'c>>,
    pub totals: Totals,
    /// In the closed design, the requirement its cost serves (see [`requirement`]).
    pub requirement: Option<Requirement>,
}

#[derive(Clone, Debug)]
pub struct Rejected<'c> {
    pub tier: &'c str,
    pub reason: Reason<'c>,
}

/// Why a tier was not chosen. Kept as data and written out only when a report shows it: a large
/// design rejects tens of thousands of tiers.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason<'c> {
    /// Ranks below the declared tier (bumps only move up).
    BelowDeclared(&'c str),
    /// None of these capabilities gives it private outbound access (empty: the type has none).
    NoOutbound(&'c [CapabilityKind]),
    /// No price for a component in the region.
    NoPrice { component: &'c str, why: String },
    /// Meets the needs but costs this much more (USD/month) than the chosen tier.
    Costlier { more: Decimal, than: &'c str },
    /// Meets the needs, but the declared tier already does and stays.
    DeclaredSuffices(&'c str),
    /// Any other reason, as text.
    Other(Cow<'static, str>),
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Reason::BelowDeclared(d) => write!(f, "ranks below the declared tier {d} (bumps only move up)"),
            Reason::NoOutbound([]) => f.write_str("the service type has no private outbound access"),
            Reason::NoOutbound(kinds) => write!(f, "no {}", kind_names(kinds)),
            Reason::NoPrice { component, why } => write!(f, "no price for {component}: {why}"),
            Reason::Costlier { more, than } => {
                write!(f, "meets the needs but costs USD {}/month more than {than}", more.round_dp(2))
            }
            Reason::DeclaredSuffices(d) => write!(f, "meets the needs; the declared tier {d} already does"),
            Reason::Other(text) => f.write_str(text),
        }
    }
}

fn kind_names(kinds: &[CapabilityKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" or ")
}

/// The documentation that makes a chosen tier meet one need.
#[derive(Clone, Debug)]
pub struct Evidence<'c> {
    pub need: &'static str,
    pub rule: &'static str,
    pub capability: &'static str,
    pub doc: &'c str,
    pub as_of: &'c str,
}

#[derive(Clone, Debug)]
pub struct Decision<'c> {
    pub service: String,
    pub type_id: &'c str,
    pub from: &'c str,
    /// The chosen tier; `None` when no tier meets the needs (the service keeps `from`).
    pub to: Option<&'c str>,
    pub needs: Needs<'c>,
    /// Rule id of the first need the declared tier does not meet (the reason for the bump).
    pub rule: Option<&'static str>,
    pub evidence: Vec<Evidence<'c>>,
    pub rejected: Vec<Rejected<'c>>,
}

impl Decision<'_> {
    pub fn changed(&self) -> bool {
        self.to.is_some_and(|t| t != self.from)
    }
}

#[derive(Clone, Debug)]
pub struct Design<'c> {
    pub services: Vec<PricedService<'c>>,
    pub added: Vec<PricedService<'c>>,
    pub decisions: Vec<Decision<'c>>,
    /// For each requirement that is one switch of `closed_network`, what the closed design would add
    /// without it (the saving if it were dropped is the difference with `added`).
    pub dropped: Vec<(Requirement, Vec<PricedService<'c>>)>,
}

impl Design<'_> {
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
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Needs<'c> {
    pub inbound: bool,
    /// Capabilities of which one must be present for outbound access, with the rule it comes from.
    pub outbound: Option<(&'c [CapabilityKind], &'static str)>,
}

impl Needs<'_> {
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.inbound {
            out.push("private inbound (private endpoint or VNet injection)".to_string());
        }
        if let Some((kinds, _)) = &self.outbound {
            out.push(format!("private outbound ({})", kind_names(kinds)));
        }
        out
    }

    pub fn any(&self) -> bool {
        self.inbound || self.outbound.is_some()
    }
}

/// The private services `svc` calls.
fn private_callees<'a>(arch: &'a Architecture, svc: &'a Service) -> impl Iterator<Item = &'a Service> {
    svc.calls.iter().filter_map(|c| arch.service(c)).filter(|t| !t.public)
}

/// The private origins of a public edge that it can reach over Private Link on `date`, and those it
/// cannot (an Application Gateway goes in front of those: see `implied`).
/// Why `edge` cannot reach `origin` over Private Link: the origin type at the date, or its injection.
pub fn unlinked_reason(
    edge: &Service,
    origin: &Service,
    catalog: &Catalog,
    injected: &std::collections::BTreeSet<&str>,
    date: &str,
) -> String {
    let supported = catalog.service(&origin.type_id).is_some_and(|d| d.private_link_origin_at(date));
    let injection = format!("{} is injected into the VNet (internal mode) and takes no private endpoint", origin.name);
    match (supported, injected.contains(origin.name.as_str())) {
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
    injected: &std::collections::BTreeSet<&str>,
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
    injected: &std::collections::BTreeSet<&str>,
) -> Needs<'c> {
    if def.in_network.is_some() {
        return Needs { inbound: false, outbound: None };
    }
    let calls_private = private_callees(arch, svc).next().is_some();
    let edge = def.outbound_via.contains(&CapabilityKind::PrivateLinkOrigin);
    let outbound = if !calls_private {
        None
    } else if edge {
        // Only origins that can be Private Link origins at the date need a Private Link tier.
        let (linked, _) = private_link_origins(arch, svc, catalog, date, injected);
        (!linked.is_empty()).then_some((&[CapabilityKind::PrivateLinkOrigin][..], RuleId::CN103.as_str()))
    } else if let (Skillset::Embedding, Some(k)) = (svc.skillset, def.outbound_with_embedding.as_ref()) {
        Some((std::slice::from_ref(k), RuleId::CN104.as_str()))
    } else if let (Skillset::Full | Skillset::Embedding, Some(k)) = (svc.skillset, def.outbound_with_skillset.as_ref())
    {
        Some((std::slice::from_ref(k), RuleId::CN104.as_str()))
    } else if def.outbound_via == [CapabilityKind::SharedPrivateLink] {
        Some((def.outbound_via.as_slice(), RuleId::CN105.as_str()))
    } else {
        Some((def.outbound_via.as_slice(), RuleId::CN102.as_str()))
    };
    Needs { inbound: !svc.public, outbound }
}

/// Why `tier` cannot serve `svc` in the closed design, or the evidence that it can.
fn qualify<'c>(
    arch: &Architecture,
    svc: &Service,
    tier: &'c Tier,
    needs: &Needs<'c>,
    date: &str,
) -> Result<Vec<Evidence<'c>>, Reason<'c>> {
    if !tier.exists_at(date) {
        return Err(Reason::Other(match (&tier.since, &tier.until) {
            (Some(s), _) if date < s.as_str() => format!("not generally available until {s}").into(),
            (_, Some(u)) => format!("retired for new deployments from {u}").into(),
            _ => "not available at the snapshot date".into(),
        }));
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
    if arch.closed.production && tier.sla == Some(false) {
        return Err(Reason::Other("no SLA, and closed_network.sla is production".into()));
    }
    let mut evidence = Vec::new();
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
    if needs.inbound {
        // An instance injected into the VNet for its outbound calls is private inbound through the
        // same injection (internal mode): classic API Management, for one, takes no private endpoint
        // once injected (private-endpoint page, 2025-11-17).
        let injected = outbound.filter(|(c, _)| c.kind == CapabilityKind::VnetInjection).map(|(c, _)| c);
        let cap = injected
            .or_else(|| tier.capability(CapabilityKind::PrivateEndpoint, date))
            .or_else(|| tier.capability(CapabilityKind::VnetInjection, date))
            .ok_or(Reason::Other("no private endpoint or VNet injection".into()))?;
        evidence.push(Evidence {
            need: "private inbound",
            rule: RuleId::CN101.as_str(),
            capability: cap.kind.as_str(),
            doc: &cap.doc,
            as_of: &cap.as_of,
        });
    }
    if let Some((cap, rule)) = outbound {
        evidence.push(Evidence {
            need: "private outbound",
            rule,
            capability: cap.kind.as_str(),
            doc: &cap.doc,
            as_of: &cap.as_of,
        });
    }
    Ok(evidence)
}

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

/// Prices `res` at `tier` as one service of a design.
fn priced<'c>(
    name: &str,
    def: &'c ServiceDef,
    tier: &'c Tier,
    snapshot: &'c Snapshot,
    res: &Resource,
    reason: Option<String>,
) -> Result<PricedService<'c>, String> {
    let lines = estimate::price_tier(tier, snapshot, res).map_err(|e| format!("{name}: {e}"))?;
    let count = reason.as_ref().and_then(|_| res.capacity.values().next().copied());
    service(name, def, tier, lines, reason, count)
}

fn service<'c>(
    name: &str,
    def: &'c ServiceDef,
    tier: &'c Tier,
    lines: Vec<Line<'c>>,
    reason: Option<String>,
    count: Option<Decimal>,
) -> Result<PricedService<'c>, String> {
    let totals = Totals::of(&lines).map_err(|e| format!("{name}: {e}"))?;
    Ok(PricedService {
        name: name.to_string(),
        type_id: &def.type_id,
        tier: &tier.id,
        reason,
        count,
        lines,
        totals,
        requirement: None,
    })
}

/// The RBAC-only design: declared tiers, public endpoints, nothing added.
pub fn rbac<'c>(arch: &Architecture, catalog: &'c Catalog, snapshot: &'c Snapshot) -> Result<Design<'c>, String> {
    let mut services = Vec::with_capacity(arch.services.len());
    for svc in &arch.services {
        let def = def(catalog, &svc.type_id)?;
        let tier = declared_tier(svc, def);
        services.push(priced(&svc.name, def, tier, snapshot, &resource(arch, svc, &tier.id), None)?);
    }
    Ok(Design { services, added: Vec::new(), decisions: Vec::new(), dropped: Vec::new() })
}

/// The closed-network design. `conversion` turns amounts the architect states in the report
/// currency (the hub's charge-back) into USD.
pub fn closed<'c>(
    arch: &Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    conversion: &Conversion,
) -> Result<Design<'c>, String> {
    closed_on(arch, catalog, snapshot, conversion, None)
}

/// [`closed`], comparing candidate tiers at a price sheet's prices when `negotiated` is given
/// (`--choose-on negotiated`); the lines themselves stay at list price until the sheet is applied.
pub fn closed_on<'c>(
    arch: &Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    conversion: &Conversion,
    negotiated: Option<&crate::price_sheet::Negotiated>,
) -> Result<Design<'c>, String> {
    // Edges (Front Door) go last: whether an origin can be reached over Private Link depends on how
    // the origin itself is made private (an injected classic API Management takes no endpoint).
    let is_edge = |svc: &Service| {
        catalog.service(&svc.type_id).is_some_and(|d| d.outbound_via.contains(&CapabilityKind::PrivateLinkOrigin))
    };
    let order = (0..arch.services.len())
        .filter(|&i| !is_edge(&arch.services[i]))
        .chain((0..arch.services.len()).filter(|&i| is_edge(&arch.services[i])));
    let mut slots: Vec<Option<(PricedService<'c>, Option<Decision<'c>>)>> = vec![None; arch.services.len()];
    let mut injected_names: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for i in order.collect::<Vec<_>>() {
        let svc = &arch.services[i];
        let def = def(catalog, &svc.type_id)?;
        let declared = declared_tier(svc, def);
        // Only an edge reads which origins are injected: no set per service otherwise.
        let injected: std::collections::BTreeSet<&str> = match is_edge(svc) {
            true => injected_names.iter().map(String::as_str).collect(),
            false => std::collections::BTreeSet::new(),
        };
        let needs = needs(arch, svc, def, catalog, &snapshot.meta.as_of, &injected);
        let (decision, chosen) = choose(arch, svc, def, declared, &needs, snapshot, negotiated)?;
        let mut priced = match chosen {
            // The chosen tier was priced while choosing: no need to price it again.
            Some((tier, lines)) => service(&svc.name, def, tier, lines, None, None)?,
            None => priced(&svc.name, def, declared, snapshot, &resource(arch, svc, &declared.id), None)?,
        };
        let rule = if decision.changed() { decision.rule } else { None };
        priced.requirement = Some(Requirement::of_rule(rule));
        if decision.evidence.iter().any(|e| e.need == "private inbound" && e.capability == "vnet_injection") {
            injected_names.insert(svc.name.clone());
        }
        slots[i] = Some((priced, needs.any().then_some(decision)));
    }
    let mut services = Vec::with_capacity(arch.services.len());
    let mut decisions = Vec::new();
    for (priced, decision) in slots.into_iter().flatten() {
        services.push(priced);
        decisions.extend(decision);
    }
    let mut design = Design { services, added: Vec::new(), decisions, dropped: Vec::new() };
    let hub_share = match arch.closed.hub_share {
        Some(amount) => Some(
            amount
                .checked_div(conversion.rate)
                .ok_or_else(|| format!("hub_share {amount} cannot be converted to USD"))?,
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

/// The network platform without one requirement.
fn without(net: &crate::architecture::ClosedNetwork, r: Requirement) -> crate::architecture::ClosedNetwork {
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
fn added<'c>(
    arch: &Architecture,
    net: &crate::architecture::ClosedNetwork,
    catalog: &'c Catalog,
    design: &Design,
    snapshot: &'c Snapshot,
    hub_share_usd: Option<Decimal>,
) -> Result<Vec<PricedService<'c>>, String> {
    let mut out = Vec::new();
    for add in implied::added(arch, net, catalog, design, &snapshot.meta.as_of, hub_share_usd)? {
        let mut priced = match add.stated {
            Some(usd) => stated(&add.name, &add.reason, usd)?,
            None => {
                let def = def(catalog, add.resource.type_id)?;
                let tier = def
                    .tier(add.resource.tier)
                    .ok_or_else(|| format!("{}: {} has no tier {}", add.name, def.type_id, add.resource.tier))?;
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
            priced.totals = Totals::of(&priced.lines).map_err(|e| format!("{}: {e}", add.name))?;
        }
        priced.requirement = Some(add.requirement);
        out.push(priced);
    }
    Ok(out)
}

/// A monthly amount the architect states (USD), as one fixed line.
fn stated<'c>(name: &str, reason: &str, usd: Decimal) -> Result<PricedService<'c>, String> {
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
    })
}

/// The tier the closed design runs a service at, with its lines.
type Chosen<'c> = (&'c Tier, Vec<Line<'c>>);

/// A tier that meets the needs, with its monthly USD and lines.
type Candidate<'c> = (&'c Tier, Decimal, Vec<Evidence<'c>>, Vec<Line<'c>>);

/// The closed design's tier for `svc` and its lines (`None` when no tier qualifies).
fn choose<'c>(
    arch: &Architecture,
    svc: &Service,
    def: &'c ServiceDef,
    declared: &'c Tier,
    needs: &Needs<'c>,
    snapshot: &'c Snapshot,
    negotiated: Option<&crate::price_sheet::Negotiated>,
) -> Result<(Decision<'c>, Option<Chosen<'c>>), String> {
    let date = snapshot.meta.as_of.as_str();
    let mut rejected = Vec::new();
    let mut candidates: Vec<Candidate<'c>> = Vec::new();
    let res = resource(arch, svc, &declared.id);
    for tier in &def.tiers {
        if tier.rank < declared.rank {
            rejected.push(Rejected { tier: &tier.id, reason: Reason::BelowDeclared(&declared.id) });
            continue;
        }
        let evidence = match qualify(arch, svc, tier, needs, date) {
            Ok(e) => e,
            Err(reason) => {
                rejected.push(Rejected { tier: &tier.id, reason });
                continue;
            }
        };
        let lines = estimate::price_tier(tier, snapshot, &res).map_err(|e| format!("{}: {e}", svc.name))?;
        if let Some(Line { source: Source::NoPrice(why), component, .. }) = lines.iter().find(|l| l.monthly.is_none()) {
            rejected.push(Rejected { tier: &tier.id, reason: Reason::NoPrice { component, why: why.clone() } });
            continue;
        }
        let total = match negotiated {
            None => Totals::of(&lines)?.total(),
            Some(n) => {
                let mut at_sheet = lines.clone();
                n.sheet.price_lines(&mut at_sheet, n.date, n.conversion).map_err(|e| format!("{}: {e}", svc.name))?;
                Totals::of(&at_sheet)?.total()
            }
        };
        candidates.push((tier, total, evidence, lines));
    }
    // Cheapest first; on equal cost the lower rank, then catalog order (stable sort).
    candidates.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.rank.cmp(&b.0.rank)));
    let declared_fails = qualify(arch, svc, declared, needs, date).is_err();
    let rule = if declared_fails {
        let inbound_fails = needs.inbound
            && declared.capability(CapabilityKind::PrivateEndpoint, date).is_none()
            && declared.capability(CapabilityKind::VnetInjection, date).is_none();
        match (&needs.outbound, inbound_fails) {
            (_, true) => Some(RuleId::CN101.as_str()),
            (Some((_, r)), false) => Some(*r),
            (None, false) => Some(RuleId::CN101.as_str()),
        }
    } else {
        None
    };
    // A declared tier that already meets the needs stays: the closed design changes only what it must.
    let kept = candidates.iter().position(|c| c.0.id == declared.id).filter(|_| !declared_fails);
    if let Some(i) = kept {
        let kept = candidates.remove(i);
        candidates.insert(0, kept);
    }
    let mut decision = Decision {
        service: svc.name.clone(),
        type_id: &def.type_id,
        from: &declared.id,
        to: None,
        needs: *needs,
        rule,
        evidence: Vec::new(),
        rejected,
    };
    if candidates.is_empty() {
        return Ok((decision, None));
    }
    let (chosen, chosen_cost, evidence, lines) = candidates.remove(0);
    for (tier, cost, _, _) in &candidates {
        let reason = if *cost >= chosen_cost {
            Reason::Costlier { more: *cost - chosen_cost, than: &chosen.id }
        } else {
            Reason::DeclaredSuffices(&chosen.id)
        };
        decision.rejected.push(Rejected { tier: &tier.id, reason });
    }
    // Report rejected tiers in catalog order.
    let order = |id: &str| def.tiers.iter().position(|t| t.id == id).unwrap_or(usize::MAX);
    decision.rejected.sort_by_key(|r| order(r.tier));
    decision.to = Some(&chosen.id);
    decision.evidence = evidence;
    Ok((decision, Some((chosen, lines))))
}
