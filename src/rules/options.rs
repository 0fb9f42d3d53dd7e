//! The tiers a declared service could run at in the closed design, with what each one brings to
//! the rest of the design: for a sweep, which looks past the engine's own pick.
//!
//! The candidates are the engine's (every tier of the declared rank or higher that meets the
//! service's needs at the snapshot's date and has a price, see `choose`), each with its footprint:
//! whether it is private inbound by VNet injection or through a private endpoint, and the host
//! storage endpoints it locks down. Two tiers with the same footprint add exactly the same private
//! endpoints and DNS zones and change no other service's needs, so they differ only in their own
//! lines.

use super::choose::{Pricing, candidates};
use super::design::declared_tier;
use super::needs::needs;
use crate::architecture::{Architecture, Service};
use crate::catalog::Catalog;
use crate::catalog::definitions::{CapabilityKind, Tier};
use crate::catalog::snapshot::Snapshot;
use crate::error::Error;
use std::collections::BTreeSet;

/// What choosing a tier changes outside the service's own lines.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Footprint {
    /// Private inbound by VNet injection (no private endpoint; an injected DNS zone; no Private
    /// Link origin for an edge).
    pub injected: bool,
    /// Takes a private endpoint of its own.
    pub endpoint: bool,
    /// Sub-resources of its host storage account, each with an endpoint.
    pub host_storage: Vec<String>,
}

/// One tier the closed design could run `svc` at.
#[derive(Clone, Debug)]
pub struct TierOption<'c> {
    pub tier: &'c Tier,
    pub footprint: Footprint,
    /// The catalog's SLA flag for the tier (`Some(false)`: no SLA).
    pub sla: Option<bool>,
}

/// Whether the engine decides this service's tier from the tiers of the services it calls (a
/// public edge whose origins may be injected): its choice then depends on theirs.
pub fn follows_callees(svc: &Service, catalog: &Catalog) -> bool {
    catalog.service(&svc.type_id).is_some_and(|d| d.outbound_via.contains(&CapabilityKind::PrivateLinkOrigin))
}

/// Every tier of the declared rank or higher at which `svc` meets its closed-design needs and has
/// a price, in catalog order. Not for a service that [`follows_callees`].
pub fn tier_options<'c>(
    arch: &Architecture,
    svc: &Service,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
) -> Result<Vec<TierOption<'c>>, Error> {
    let def = catalog
        .service(&svc.type_id)
        .ok_or_else(|| Error::msg(format!("the catalog has no service type {}", svc.type_id)))?;
    let declared = declared_tier(svc, def);
    let date = snapshot.meta.as_of.as_str();
    let needs = needs(arch, svc, def, catalog, date, &BTreeSet::new());
    let (found, _) = candidates(arch, svc, def, declared, &needs, snapshot, &Pricing::new(None))?;
    // In catalog order, as `candidates` gives them.
    let out: Vec<TierOption<'c>> = found
        .into_iter()
        .map(|c| {
            let (tier, injected) = (c.tier, c.evidence.iter().any(|e| e.injects()));
            let endpoint =
                needs.inbound && !injected && tier.capability(CapabilityKind::PrivateEndpoint, date).is_some();
            // Host storage is locked down only with the app's own endpoint (see `implied`).
            let host_storage = if endpoint { tier.host_storage.keys().cloned().collect() } else { Vec::new() };
            let footprint = Footprint { injected, endpoint, host_storage };
            TierOption { tier, footprint, sla: tier.sla }
        })
        .collect();
    Ok(out)
}
