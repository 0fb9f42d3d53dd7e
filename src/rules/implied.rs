//! What a closed network brings with it, beyond the services themselves.

use super::Design;
use crate::architecture::{Architecture, Cicd, ConditionalAccess, OnPremises, OperatorAccess};
use crate::catalog::Catalog;
use crate::catalog::definitions::CapabilityKind;
use crate::estimate::Resource;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// A resource the closed design adds, with the reason shown in the report.
#[derive(Clone, Debug)]
pub struct Added<'a> {
    pub name: String,
    pub reason: String,
    pub resource: Resource<'a>,
}

fn resource<'a>(type_id: &'a str, tier: &'a str, region: &'a str, key: &str, count: Decimal) -> Resource<'a> {
    Resource {
        type_id,
        tier,
        region,
        capacity: Cow::Owned(BTreeMap::from([(key.to_string(), count)])),
        usage: Cow::Owned(BTreeMap::new()),
        model: None,
        os: Some("linux"),
        zone: None,
    }
}

/// A private endpoint of the closed design.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub owner: String,
    pub subresource: String,
    /// Private DNS zones it needs; empty for the shared private links AI Search manages itself.
    pub zones: Vec<String>,
}

/// The private endpoints of the closed design, one per private service and sub-resource, plus
/// AI Search's shared private links.
pub fn private_endpoints(arch: &Architecture, catalog: &Catalog, design: &Design, date: &str) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for (svc, priced) in arch.services.iter().zip(&design.services) {
        if svc.public {
            continue;
        }
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        let Some(tier) = def.tier(priced.tier) else { continue };
        // Injected tiers are private without an endpoint.
        if tier.capability(CapabilityKind::PrivateEndpoint, date).is_none() {
            continue;
        }
        if let Some(pe) = &def.private_endpoint {
            let zones = std::iter::once(&pe.dns_zone).chain(&pe.extra_dns_zones).cloned().collect();
            out.push(Endpoint { owner: svc.name.clone(), subresource: pe.subresource.clone(), zones });
        }
        for sub in &svc.subresources {
            if let Some(zone) = def.subresources.get(sub) {
                out.push(Endpoint { owner: svc.name.clone(), subresource: sub.clone(), zones: vec![zone.clone()] });
            }
        }
    }
    // AI Search reaches private data sources through shared private links: each one is a private
    // endpoint billed to the customer (search-indexer-howto-access-private), in a network the
    // search service manages, so it needs no DNS zone of ours.
    for svc in &arch.services {
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        if !def.outbound_via.contains(&CapabilityKind::SharedPrivateLink) {
            continue;
        }
        for target in svc.calls.iter().filter_map(|c| arch.service(c)).filter(|t| !t.public) {
            let Some(tdef) = catalog.service(&target.type_id) else { continue };
            let group = target
                .subresources
                .first()
                .cloned()
                .or_else(|| tdef.private_endpoint.as_ref().map(|p| p.subresource.clone()))
                .unwrap_or_default();
            out.push(Endpoint {
                owner: format!("{} -> {}", svc.name, target.name),
                subresource: group,
                zones: Vec::new(),
            });
        }
    }
    out
}

pub fn added<'a>(
    arch: &'a Architecture,
    catalog: &Catalog,
    design: &Design,
    date: &str,
) -> Result<Vec<Added<'a>>, String> {
    let region = arch.region.as_str();
    let mut out = Vec::new();

    let pes = private_endpoints(arch, catalog, design, date);
    if !pes.is_empty() {
        let list: Vec<String> = pes
            .iter()
            .map(|e| match e.zones.is_empty() {
                false => format!("{} ({})", e.owner, e.subresource),
                true => format!("{} ({}, shared private link)", e.owner, e.subresource),
            })
            .collect();
        out.push(Added {
            name: "private endpoints".into(),
            reason: format!("one per private service and sub-resource: {}", list.join(", ")),
            resource: resource("private-endpoint", "standard", region, "count", Decimal::from(pes.len())),
        });
    }
    let zones: BTreeSet<&str> = pes.iter().flat_map(|e| &e.zones).map(String::as_str).collect();
    if !zones.is_empty() {
        out.push(Added {
            name: "private DNS zones".into(),
            reason: format!("one per privatelink zone: {}", zones.iter().copied().collect::<Vec<_>>().join(", ")),
            resource: resource("private-dns-zone", "standard", region, "count", Decimal::from(zones.len())),
        });
    }

    match arch.closed.on_premises {
        OnPremises::None => {}
        kind => {
            let (type_id, tier, what) = match kind {
                OnPremises::Vpn => ("vpn-gateway", "vpngw1az", "site-to-site VPN"),
                _ => ("expressroute-gateway", "ergw1az", "ExpressRoute"),
            };
            out.push(Added {
                name: format!("{what} gateway"),
                reason: format!(
                    "closed_network.on_premises: on-premises users reach the private endpoints over {what}"
                ),
                resource: resource(type_id, tier, region, "count", Decimal::ONE),
            });
            out.push(Added {
                name: "gateway public IP".into(),
                reason: "a virtual network gateway needs a Standard public IP".into(),
                resource: resource("public-ip", "standard", region, "count", Decimal::ONE),
            });
            out.push(Added {
                name: "DNS resolver inbound endpoint".into(),
                reason: "on-premises DNS forwards privatelink zones to a DNS Private Resolver inbound endpoint".into(),
                resource: resource("dns-resolver", "inbound-endpoint", region, "count", Decimal::ONE),
            });
        }
    }

    let agents = arch.closed.build_agents;
    match arch.closed.cicd {
        Cicd::None => {}
        cicd => {
            out.push(Added {
                name: "build agents".into(),
                reason: "hosted CI/CD agents cannot reach private endpoints (CN004): self-hosted agents run inside the network".into(),
                resource: resource("virtual-machine", "d2s-v5-linux", region, "count", agents),
            });
            if cicd == Cicd::AzureDevops {
                out.push(Added {
                    name: "self-hosted parallel jobs".into(),
                    reason: "each self-hosted Azure DevOps agent runs one parallel job; the first is free".into(),
                    resource: resource("devops-pipelines", "self-hosted", region, "count", agents),
                });
            }
        }
    }

    match arch.closed.operator_access {
        OperatorAccess::None => {}
        OperatorAccess::Bastion => out.push(Added {
            name: "Bastion".into(),
            reason: "operators reach the portal data plane and VMs from inside the network (Basic: Developer cannot reach peered VNets)".into(),
            resource: resource("bastion", "basic", region, "count", Decimal::ONE),
        }),
        OperatorAccess::Jumpbox => out.push(Added {
            name: "jump box".into(),
            reason: "operators reach the portal data plane from a VM inside the network".into(),
            resource: resource("virtual-machine", "d2s-v5-linux", region, "count", Decimal::ONE),
        }),
    }

    let users = arch.users.unwrap_or(Decimal::ZERO);
    match arch.closed.conditional_access {
        ConditionalAccess::None => {}
        ca => {
            let tier = if ca == ConditionalAccess::Ip { "p1" } else { "p2" };
            out.push(Added {
                name: format!("Entra ID {}", tier.to_uppercase()),
                reason: if ca == ConditionalAccess::Ip {
                    "Conditional Access by IP / named location needs Entra ID P1 for every user".into()
                } else {
                    "risk-based Conditional Access needs Entra ID P2 for every user".into()
                },
                resource: resource("entra-id", tier, region, "users", users),
            });
        }
    }
    Ok(out)
}
