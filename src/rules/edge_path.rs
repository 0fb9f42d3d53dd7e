//! How a public edge reaches a private origin whose private endpoint brings a charge of its own.
//!
//! A Container Apps environment is private for nothing when injected (an internal environment), but
//! Front Door then cannot reach it over Private Link: an Application Gateway goes in front of it. Its
//! private endpoint brings the "Dedicated Plan Management" charge, even on a Consumption-only
//! environment (container-apps/billing). Neither path is always cheaper (the edge may also need a
//! Private Link tier), so the engine builds the closed design both ways, with everything each brings
//! (the implied resources, the edge's tier), and keeps the cheaper, as it keeps the cheaper tier. The
//! report says what each path costs.

use super::choose::Pricing;
use super::design::{Slots, added, is_edge, place_edges};
use super::{Design, Evidence, Need};
use crate::architecture::Architecture;
use crate::catalog::Catalog;
use crate::catalog::definitions::{Capability, CapabilityKind};
use crate::catalog::snapshot::Snapshot;
use crate::error::Error;
use crate::money::{Currency, format_money};
use crate::registry::RuleId;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// How the closed design reaches one such origin, and what each way adds per month (list prices, in
/// the snapshot's currency; `None` when a line of it has no price).
#[derive(Clone, Debug, PartialEq)]
pub struct EdgePath {
    pub origin: String,
    /// The origin's private endpoint, its DNS zone, the charge, and the edge's Private Link tier.
    pub endpoint: Option<Decimal>,
    /// An Application Gateway in front of the injected origin, and its public IP.
    pub gateway: Option<Decimal>,
    pub via_endpoint: bool,
    pub currency: Currency,
}

impl EdgePath {
    fn money(&self, v: Option<Decimal>) -> String {
        match v {
            Some(v) => format!("{}/month", format_money(v, &self.currency)),
            None => "no price".to_string(),
        }
    }

    /// Why the edge reaches the origin through its private endpoint: what each path adds.
    pub fn endpoint_reason(&self) -> String {
        format!(
            "the endpoint path ({}: endpoint, DNS zone, this charge and the edge's Private Link tier) costs less than an Application Gateway in front of {} ({})",
            self.money(self.endpoint),
            self.origin,
            self.money(self.gateway)
        )
    }

    /// Why an Application Gateway goes in front of the origin instead: what each path adds.
    pub fn gateway_reason(&self) -> String {
        format!(
            "the gateway path ({}) costs less than reaching {} over Private Link to its private endpoint, which brings the Dedicated Plan Management charge ({} with its DNS zone and the edge's Private Link tier)",
            self.money(self.gateway),
            self.origin,
            self.money(self.endpoint)
        )
    }
}

/// Decides the path to every origin that has the choice, from the slots of the placed origins
/// (edges not yet placed): an origin it routes over Private Link takes its private endpoint.
pub(super) fn choose<'a, 'c: 'a>(
    arch: &'a Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    pricing: &Pricing<'_, 'a, 'c>,
    slots: &mut Slots<'c>,
    injected: &mut BTreeSet<String>,
) -> Result<Vec<EdgePath>, Error> {
    let date = snapshot.meta.as_of.as_str();
    let currency = Currency::parse(&snapshot.meta.currency).unwrap_or_else(Currency::usd);
    let mut paths = Vec::new();
    // What the public edges call, gathered once: asking each service's edges in turn was quadratic
    // (half the run time of a design of 10,000 services).
    let edge_origins: BTreeSet<&str> = arch
        .services
        .iter()
        .filter(|e| e.public && is_edge(catalog, e))
        .flat_map(|e| e.calls.iter().map(String::as_str))
        .collect();
    for i in 0..arch.services.len() {
        let Some(cap) = candidate(arch, catalog, slots, i, date, &edge_origins) else { continue };
        let origin = arch.services[i].name.clone();
        let gateway = variant(arch, catalog, snapshot, pricing, slots, injected)?;
        let mut swapped = slots.clone();
        if let Some((_, Some(decision))) = swapped[i].as_mut() {
            for e in decision.evidence.iter_mut().filter(|e| e.need == Need::PrivateInbound) {
                *e = Evidence::of(Need::PrivateInbound, RuleId::CN101, cap, date);
            }
        }
        let mut names = injected.clone();
        names.remove(&origin);
        let endpoint = variant(arch, catalog, snapshot, pricing, &swapped, &names)?;
        let (via_gateway, via_endpoint) = (adds(&gateway, &endpoint), adds(&endpoint, &gateway));
        let take = via_endpoint.is_some_and(|e| via_gateway.is_none_or(|g| e <= g));
        if take {
            *slots = swapped;
            *injected = names;
        }
        paths.push(EdgePath {
            origin,
            endpoint: via_endpoint,
            gateway: via_gateway,
            via_endpoint: take,
            currency: currency.clone(),
        });
    }
    Ok(paths)
}

/// The private endpoint capability of service `i` when it has the choice on `date`: private by
/// injection so far, its endpoint brings a charge, its type is a Private Link origin then, and a
/// public edge calls it.
fn candidate<'c>(
    arch: &Architecture,
    catalog: &'c Catalog,
    slots: &Slots<'c>,
    i: usize,
    date: &str,
    edge_origins: &BTreeSet<&str>,
) -> Option<&'c Capability> {
    let svc = &arch.services[i];
    let (priced, Some(decision)) = slots[i].as_ref()? else { return None };
    let def = catalog.service(&svc.type_id)?;
    let charged = def.private_endpoint.as_ref().is_some_and(|p| p.charge.is_some());
    let injects = decision.evidence.iter().any(|e| e.injects());
    let edge_calls = edge_origins.contains(svc.name.as_str());
    if svc.public || !charged || !injects || !edge_calls || !def.private_link_origin_at(date) {
        return None;
    }
    def.tier(priced.tier)?.capability(CapabilityKind::PrivateEndpoint, date)
}

/// What one variant of the design costs, item by item: each edge's lines and each added resource
/// (`None` when one of its lines has no price).
fn variant<'a, 'c: 'a>(
    arch: &'a Architecture,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    pricing: &Pricing<'_, 'a, 'c>,
    slots: &Slots<'c>,
    injected: &BTreeSet<String>,
) -> Result<BTreeMap<String, Option<Decimal>>, Error> {
    let mut slots = slots.clone();
    let mut injected = injected.clone();
    place_edges(arch, catalog, snapshot, pricing, &mut slots, &mut injected)?;
    let mut design = Design {
        services: Vec::new(),
        added: Vec::new(),
        decisions: Vec::new(),
        dropped: Vec::new(),
        paths: Vec::new(),
    };
    for (priced, decision) in slots.into_iter().flatten() {
        design.services.push(priced);
        design.decisions.extend(decision);
    }
    design.added = added(arch, &arch.closed, catalog, &design, snapshot, None)?;
    let total = |s: &super::PricedService| (s.totals.unpriced == 0).then(|| s.totals.total());
    let edges = arch.services.iter().zip(&design.services).filter(|(svc, _)| is_edge(catalog, svc));
    let mut items: BTreeMap<String, Option<Decimal>> =
        edges.map(|(_, s)| (format!("service {}", s.name), total(s))).collect();
    items.extend(design.added.iter().map(|a| (format!("added {}", a.name), total(a))));
    Ok(items)
}

/// What `this` variant costs more than `other`, item by item (an item of the same cost in both is
/// not the path's); `None` when an item it adds has no price.
fn adds(this: &BTreeMap<String, Option<Decimal>>, other: &BTreeMap<String, Option<Decimal>>) -> Option<Decimal> {
    let mut sum = Decimal::ZERO;
    for (name, cost) in this {
        let base = other.get(name).copied().flatten().unwrap_or(Decimal::ZERO);
        match (cost, other.get(name)) {
            (Some(c), _) if *c > base => sum += *c - base,
            (Some(_), _) => {}
            (None, Some(None)) => {}
            (None, _) => return None,
        }
    }
    Some(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_costs_what_it_adds_over_the_other() {
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        let gateway: BTreeMap<String, Option<Decimal>> = [
            ("added Application Gateway for app".to_string(), d("151.84")),
            ("added Application Gateway public IP (app)".to_string(), d("3.65")),
            ("added private endpoints".to_string(), d("7.30")),
            ("service edge".to_string(), d("330")),
        ]
        .into();
        let endpoint: BTreeMap<String, Option<Decimal>> = [
            ("added Container Apps private endpoint management (app)".to_string(), d("73")),
            ("added private DNS zones".to_string(), d("0.50")),
            ("added private endpoints".to_string(), d("14.60")),
            ("service edge".to_string(), d("330")),
        ]
        .into();
        // 151.84 + 3.65; the edge costs the same both ways.
        assert_eq!(adds(&gateway, &endpoint), d("155.49"));
        // 73 + 0.50 + (14.60 - 7.30).
        assert_eq!(adds(&endpoint, &gateway), d("80.80"));
        let unpriced: BTreeMap<String, Option<Decimal>> = [("added Bastion".to_string(), None)].into();
        assert_eq!(adds(&unpriced, &endpoint), None);
        // Unpriced in both: not the path's.
        assert_eq!(adds(&unpriced, &unpriced), Some(Decimal::ZERO));
    }
}
