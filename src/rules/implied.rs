//! What a closed network brings with it, beyond the services themselves: private endpoints and
//! DNS zones, and the network platform (on-premises connectivity, egress, operator access, CI/CD
//! agents, DDoS protection, licences, the hub's charge-back).
//!
//! Each resource carries the [`Requirement`] it serves. What the organisation already owns (an
//! existing landing-zone hub, Entra ID licences through Microsoft 365) is still listed, priced at
//! zero with the reason, so that the closed design shows the whole network and says who pays.

use super::requirement::Requirement;
use super::{Design, PricedService};
use crate::architecture::{
    Access, Architecture, Cicd, CicdAgents, ClosedNetwork, ConditionalAccess, Ddos, Egress, Hub, OnPremises,
};
use crate::calculator::{self, Resource, Totals};
use crate::catalog::Catalog;
use crate::catalog::definitions::{CapabilityKind, EndpointCharge};
use crate::catalog::snapshot::Snapshot;
use crate::error::Error;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// A resource the closed design adds, with the reason shown in the report.
#[derive(Clone, Debug)]
pub struct Added<'a> {
    pub name: String,
    pub reason: String,
    pub requirement: Requirement,
    /// Something the organisation already has provides it: listed at zero, with this reason.
    pub provided: Option<String>,
    /// A monthly amount the architect states (USD), instead of a catalog price: the hub's charge-back.
    pub stated: Option<Decimal>,
    pub resource: Resource<'a>,
}

impl<'a> Added<'a> {
    fn new(
        name: impl Into<String>,
        requirement: Requirement,
        reason: impl Into<String>,
        resource: Resource<'a>,
    ) -> Self {
        Added { name: name.into(), reason: reason.into(), requirement, provided: None, stated: None, resource }
    }

    fn usage(mut self, key: &str, value: Option<Decimal>) -> Self {
        if let Some(v) = value {
            self.resource.usage.to_mut().insert(key.to_string(), v);
        }
        self
    }

    fn os(mut self, os: &'a str) -> Self {
        self.resource.os = Some(os);
        self
    }

    fn with_capacity(mut self, key: &str, value: Decimal) -> Self {
        self.resource.capacity.to_mut().insert(key.to_string(), value);
        self
    }
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
    /// A shared private link to a target that is only in preview at the date.
    pub preview: bool,
}

/// The private endpoints of the closed design, one per private service and sub-resource, plus
/// AI Search's shared private links.
pub fn private_endpoints(arch: &Architecture, catalog: &Catalog, design: &Design, date: &str) -> Vec<Endpoint> {
    let mut out = Vec::new();
    let injected = injected(design);
    for (svc, priced) in arch.services.iter().zip(&design.services) {
        if svc.public {
            continue;
        }
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        let Some(tier) = def.tier(priced.tier) else { continue };
        // Injected services are private without an endpoint.
        if tier.capability(CapabilityKind::PrivateEndpoint, date).is_none() || injected.contains(svc.name.as_str()) {
            continue;
        }
        if let Some(pe) = &def.private_endpoint {
            let shared =
                pe.one_per_network.then(|| out.iter_mut().find(|e: &&mut Endpoint| e.subresource == pe.subresource));
            match shared.flatten() {
                Some(e) => e.owner.push_str(&format!(" + {}", svc.name)),
                None => {
                    let zones = def.endpoint_zones(&arch.region);
                    let (owner, subresource) = (svc.name.clone(), pe.subresource.clone());
                    out.push(Endpoint { owner, subresource, zones, preview: false });
                }
            }
        }
        // The app's own host storage account is locked down with it.
        for (sub, zone) in &tier.host_storage {
            out.push(Endpoint {
                owner: format!("{} host storage", svc.name),
                subresource: sub.clone(),
                zones: vec![zone.clone()],
                preview: false,
            });
        }
        // A Data Lake (dfs) endpoint also needs a blob one: operations on dfs may be redirected to
        // blob (https://learn.microsoft.com/azure/storage/common/storage-private-endpoints, 2025-07-08).
        let blob_too = svc.subresources.iter().any(|s| s == "dfs") && !svc.subresources.iter().any(|s| s == "blob");
        let extra = blob_too.then(|| "blob".to_string());
        for sub in svc.subresources.iter().chain(extra.as_ref()) {
            if let Some(zone) = def.subresources.get(sub) {
                let (owner, subresource, zones) = (svc.name.clone(), sub.clone(), vec![zone.clone()]);
                out.push(Endpoint { owner, subresource, zones, preview: false });
            }
        }
    }
    // AI Search reaches private data sources through shared private links: each one is a private
    // endpoint billed to the customer (search-indexer-howto-access-private), in a network the
    // search service manages, so it needs no DNS zone of ours. Only documented target types take
    // one, with the group id the page gives (Azure OpenAI: openai_account); the others cannot be
    // reached privately (finding CN017), and no link is priced for them.
    for svc in &arch.services {
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        if !def.outbound_via.contains(&CapabilityKind::SharedPrivateLink) {
            continue;
        }
        for target in svc.calls.iter().filter_map(|c| arch.service(c)).filter(|t| !t.public) {
            let Some((link, status)) = def.link_target(&target.type_id, date) else { continue };
            out.push(Endpoint {
                owner: format!("{} -> {}", svc.name, target.name),
                subresource: link.group(&target.subresources).to_string(),
                zones: Vec::new(),
                preview: status.is_preview(),
            });
        }
    }
    out
}

/// The services that take a private endpoint whose charge the closed design adds with it, and the
/// `private-endpoint` tier that prices it (Container Apps: Dedicated Plan Management).
fn endpoint_charges<'c>(
    arch: &Architecture,
    catalog: &'c Catalog,
    design: &Design,
    date: &str,
) -> Vec<(String, &'c EndpointCharge)> {
    let injected = injected(design);
    let mut out = Vec::new();
    for (svc, priced) in arch.services.iter().zip(&design.services) {
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        let Some(charge) = def.private_endpoint.as_ref().and_then(|p| p.charge.as_ref()) else { continue };
        let takes =
            def.tier(priced.tier).is_some_and(|t| t.capability(CapabilityKind::PrivateEndpoint, date).is_some());
        if !svc.public && takes && !injected.contains(svc.name.as_str()) {
            out.push((svc.name.clone(), charge));
        }
    }
    out
}

/// Services the closed design makes private inbound by VNet injection (no private endpoint).
pub(crate) fn injected<'d>(design: &'d Design) -> BTreeSet<&'d str> {
    design.decisions.iter().filter(|d| d.evidence.iter().any(|e| e.injects())).map(|d| d.service.as_str()).collect()
}

/// Private DNS zones that services injected in internal mode need for their own hostnames
/// (`injected_dns_zone` in the definition, e.g. `azure-api.net` for API Management).
fn injected_zones<'c>(arch: &Architecture, catalog: &'c Catalog, design: &Design) -> Vec<(String, &'c str)> {
    let injected = injected(design);
    arch.services
        .iter()
        .filter(|s| injected.contains(s.name.as_str()))
        .filter_map(|s| {
            catalog.service(&s.type_id).and_then(|d| d.injected_dns_zone.as_deref()).map(|z| (s.name.clone(), z))
        })
        .collect()
}

const HUB: &str = "provided by the organisation's hub (closed_network.hub: existing)";

/// What the closed design's platform is built from: the file, the network platform being priced
/// (the file's `closed_network`, or a variant of it without one requirement) and its region.
struct Platform<'a> {
    arch: &'a Architecture,
    net: &'a ClosedNetwork,
    region: &'a str,
}

impl<'a> Platform<'a> {
    /// What an existing hub provides is listed at zero, with the reason.
    fn hub(&self, mut a: Added<'a>) -> Added<'a> {
        if self.net.hub == Hub::Existing {
            a.provided = Some(HUB.to_string());
        }
        a
    }
}

/// Everything the closed design adds for `arch`, with the network platform `net` (the file's
/// `closed_network`, or a variant of it without one requirement). `hub_share_usd` is the hub's
/// charge-back converted to USD.
pub fn added<'a>(
    arch: &'a Architecture,
    net: &'a ClosedNetwork,
    catalog: &'a Catalog,
    design: &Design,
    date: &str,
    hub_share_usd: Option<Decimal>,
) -> Vec<Added<'a>> {
    let p = Platform { arch, net, region: arch.region.as_str() };
    let mut out = Vec::new();
    plumbing(&p, catalog, design, date, &mut out);
    edge_gateways(&p, catalog, design, date, &mut out);
    on_premises(&p, &mut out);
    egress(&p, &mut out);
    operator_access(&p, &mut out);
    cicd(net, p.region, &mut out);
    ddos(&p, &mut out);
    identity(&p, &mut out);
    if let (Hub::Existing, Some(usd)) = (net.hub, hub_share_usd) {
        let mut a = Added::new(
            "hub share",
            Requirement::HubShare,
            format!(
                "closed_network.hub_share: the platform team's monthly charge-back for the hub, stated in {}",
                arch.file
            ),
            resource("hub-share", "charge-back", p.region, "count", Decimal::ONE),
        );
        a.stated = Some(usd);
        out.push(a);
    }
    out
}

/// Private endpoints, one per private service and sub-resource, and the private DNS zones they and the
/// injected services need.
fn plumbing<'a>(p: &Platform<'a>, catalog: &'a Catalog, design: &Design, date: &str, out: &mut Vec<Added<'a>>) {
    let (arch, region) = (p.arch, p.region);
    let pes = private_endpoints(arch, catalog, design, date);
    if !pes.is_empty() {
        let list: Vec<String> = pes
            .iter()
            .map(|e| match e.zones.is_empty() {
                false => format!("{} ({})", e.owner, e.subresource),
                true if e.preview => format!("{} ({}, shared private link, preview)", e.owner, e.subresource),
                true => format!("{} ({}, shared private link)", e.owner, e.subresource),
            })
            .collect();
        out.push(Added::new(
            "private endpoints",
            Requirement::PrivateAccess,
            format!("one per private service and sub-resource: {}", list.join(", ")),
            resource("private-endpoint", "standard", region, "count", Decimal::from(pes.len())),
        ));
    }
    for (owner, charge) in endpoint_charges(arch, catalog, design, date) {
        let path = design.paths.iter().find(|p| p.origin == owner && p.via_endpoint);
        let why = path.map(|p| format!("; {}", p.endpoint_reason())).unwrap_or_default();
        let requirement = if path.is_some() { Requirement::PrivateEdge } else { Requirement::PrivateAccess };
        out.push(Added::new(
            format!("Container Apps private endpoint management ({owner})"),
            requirement,
            format!(
                "{owner}'s private endpoint brings the Dedicated Plan Management charge, even on a Consumption-only environment ({}, {}){why}",
                charge.doc, charge.as_of
            ),
            resource("private-endpoint", &charge.tier, region, "count", Decimal::ONE),
        ));
    }
    let internal = injected_zones(arch, catalog, design);
    let zones: BTreeSet<&str> =
        pes.iter().flat_map(|e| &e.zones).map(String::as_str).chain(internal.iter().map(|(_, z)| *z)).collect();
    if !zones.is_empty() {
        let mut why = format!("one per privatelink zone: {}", zones.iter().copied().collect::<Vec<_>>().join(", "));
        for (service, zone) in &internal {
            why.push_str(&format!("; {zone} resolves {service}, injected in internal mode"));
        }
        out.push(p.hub(Added::new(
            "private DNS zones",
            Requirement::PrivateAccess,
            why,
            resource("private-dns-zone", "standard", region, "count", Decimal::from(zones.len())),
        )));
    }
}

/// An Application Gateway (and its public IP) in front of each private origin a public edge cannot
/// reach over Private Link at the date.
fn edge_gateways<'a>(p: &Platform<'a>, catalog: &Catalog, design: &Design, date: &str, out: &mut Vec<Added<'a>>) {
    let (arch, region, one) = (p.arch, p.region, Decimal::ONE);
    // A public edge whose private origins cannot be Private Link origins at the date: the documented
    // path is an internet-facing Application Gateway in front of each, reaching it privately.
    for svc in arch.services.iter().filter(|s| s.public) {
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        if !def.outbound_via.contains(&CapabilityKind::PrivateLinkOrigin) {
            continue;
        }
        let injected = injected(design);
        let (_, unlinked) = super::private_link_origins(arch, svc, catalog, date, &injected);
        // One gateway per origin, however many edges call it.
        for origin in unlinked {
            if out.iter().any(|a: &Added| a.name == format!("Application Gateway for {}", origin.name)) {
                continue;
            }
            let path = design.paths.iter().find(|p| p.origin == origin.name && !p.via_endpoint);
            let why = path.map(|p| format!("; {}", p.gateway_reason())).unwrap_or_default();
            out.push(Added::new(
                format!("Application Gateway for {}", origin.name),
                Requirement::PrivateEdge,
                format!(
                    "{}: an internet-facing Application Gateway (Standard v2) in front of it takes the edge's traffic and reaches it privately (CN014){why}",
                    super::unlinked_reason(svc, origin, catalog, &injected, date)
                ),
                resource("app-gateway", "standard-v2", region, "units", one),
            ));
            out.push(public_ip(
                &format!("Application Gateway public IP ({})", origin.name),
                Requirement::PrivateEdge,
                "an Application Gateway v2",
                region,
                one,
            ));
        }
    }
}

/// The gateway, its public IP, an ExpressRoute circuit and the DNS resolver for on-premises users.
fn on_premises<'a>(p: &Platform<'a>, out: &mut Vec<Added<'a>>) {
    let (net, region) = (p.net, p.region);
    let one = Decimal::from(net.counts.on_premises);
    if net.on_premises != OnPremises::None {
        let (type_id, tier, what) = match net.on_premises {
            OnPremises::Vpn => ("vpn-gateway", "vpngw1az", "site-to-site VPN"),
            _ => ("expressroute-gateway", "ergw1az", "ExpressRoute"),
        };
        let why = format!(
            "closed_network.on_premises: on-premises users reach the private endpoints over {what}{}",
            built(net.counts.on_premises, "on_premises_count")
        );
        out.push(p.hub(Added::new(
            format!("{what} gateway"),
            Requirement::OnPremises,
            why,
            resource(type_id, tier, region, "count", one),
        )));
        out.push(p.hub(public_ip(
            "gateway public IP",
            Requirement::OnPremises,
            "a virtual network gateway",
            region,
            one,
        )));
        if net.on_premises == OnPremises::ExpressRoute {
            out.push(p.hub(Added::new(
                "ExpressRoute circuit",
                Requirement::OnPremises,
                "the ExpressRoute gateway terminates a circuit to the provider, billed by port bandwidth and data plan",
                resource("expressroute-circuit", "standard-metered", region, "count", one),
            )));
        }
        out.push(p.hub(Added::new(
            "DNS resolver inbound endpoint",
            Requirement::OnPremises,
            "on-premises DNS forwards privatelink zones to a DNS Private Resolver inbound endpoint",
            resource("dns-resolver", "inbound-endpoint", region, "count", one),
        )));
    }
}

/// A NAT gateway or an Azure Firewall, with their public IPs, for outbound internet traffic.
fn egress<'a>(p: &Platform<'a>, out: &mut Vec<Added<'a>>) {
    let (net, region) = (p.net, p.region);
    let one = Decimal::from(net.counts.egress);
    let egress_gb = net.usage.get("egress_gb").copied();
    let firewall = match net.egress {
        Egress::None => None,
        Egress::NatGateway => {
            out.push(p.hub(Added::new(
                "NAT gateway",
                Requirement::Egress,
                format!(
                    "closed_network.egress: outbound internet traffic leaves through a NAT gateway (not inspected){}",
                    built(net.counts.egress, "egress_count")
                ),
                resource("nat-gateway", "standard", region, "count", one),
            )
            .usage("data_gb", egress_gb)));
            out.push(p.hub(public_ip("NAT gateway public IP", Requirement::Egress, "a NAT gateway", region, one)));
            None
        }
        Egress::FirewallBasic => Some(("basic", "Basic", 2)),
        Egress::FirewallStandard => Some(("standard", "Standard", 1)),
        Egress::FirewallPremium => Some(("premium", "Premium", 1)),
    };
    if let Some((tier, label, ips)) = firewall {
        out.push(
            p.hub(
                Added::new(
                    format!("Azure Firewall {label}"),
                    Requirement::Egress,
                    format!(
                        "closed_network.egress: outbound internet traffic is inspected by Azure Firewall in the hub{}",
                        built(net.counts.egress, "egress_count")
                    ),
                    resource("firewall", tier, region, "count", one),
                )
                .usage("data_gb", egress_gb),
            ),
        );
        let why = if ips == 2 {
            "Azure Firewall Basic needs two Standard public IPs: one for traffic, one for its management NIC"
        } else {
            "Azure Firewall needs a Standard public IP"
        };
        out.push(p.hub(Added::new(
            "firewall public IPs",
            Requirement::Egress,
            why,
            resource("public-ip", "standard", region, "count", Decimal::from(ips) * one),
        )));
    }
}

/// Bastion or a jump box, for operators inside the network.
fn operator_access<'a>(p: &Platform<'a>, out: &mut Vec<Added<'a>>) {
    let (net, region, one) = (p.net, p.region, Decimal::ONE);
    for access in &net.operator_access {
        let (tier, ip) = match access {
            Access::Jumpbox => {
                let jb = &net.jumpbox;
                out.push(p.hub(
                    Added::new(
                        "jump box",
                        Requirement::OperatorAccess,
                        format!(
                            "operators reach the portal's data plane from a {} VM inside the network (closed_network.jumpbox)",
                            jb.os
                        ),
                        resource("virtual-machine", &jb.size, region, "instances", one),
                    )
                    .os(&jb.os),
                ));
                out.push(p.hub(Added::new(
                    "jump box OS disk",
                    Requirement::OperatorAccess,
                    "the jump box's managed OS disk",
                    resource("managed-disk", &jb.disk, region, "instances", one),
                )));
                continue;
            }
            Access::BastionDeveloper => ("developer", false),
            Access::BastionBasic => ("basic", true),
            Access::BastionStandard => ("standard", true),
            // A private-only Bastion (Premium) is reached over the on-premises connection.
            Access::BastionPremium => ("premium", net.on_premises == OnPremises::None),
        };
        let why = match access {
            Access::BastionDeveloper => {
                "operators reach VMs from the portal; Developer is free but cannot reach peered virtual networks"
            }
            Access::BastionPremium if !ip => {
                "operators reach VMs over the on-premises connection: a private-only Bastion needs Premium (no public IP)"
            }
            _ => "operators reach VMs and the portal's data plane from inside the network",
        };
        let label = match access {
            Access::BastionDeveloper => "Developer",
            Access::BastionBasic => "Basic",
            Access::BastionStandard => "Standard",
            _ => "Premium",
        };
        let bastions = Decimal::from(net.counts.bastion);
        out.push(p.hub(Added::new(
            format!("Bastion {label}"),
            Requirement::OperatorAccess,
            format!("{why}{}", built(net.counts.bastion, "operator_access_count")),
            resource("bastion", tier, region, "count", bastions),
        )));
        if ip {
            out.push(p.hub(public_ip(
                "Bastion public IP",
                Requirement::OperatorAccess,
                "Azure Bastion",
                region,
                bastions,
            )));
        }
    }
}

/// DDoS Protection: a Network plan, or IP Protection on each public IP the design pays for.
fn ddos<'a>(p: &Platform<'a>, out: &mut Vec<Added<'a>>) {
    let (net, region, one) = (p.net, p.region, Decimal::ONE);
    match net.ddos {
        Ddos::None => {}
        Ddos::Network => out.push(
            p.hub(
                Added::new(
                    "DDoS Network Protection",
                    Requirement::Ddos,
                    "closed_network.ddos: one DDoS Network Protection plan covers the network's public IPs",
                    resource("ddos-protection", "network", region, "plans", one),
                )
                .with_capacity("ips", public_ips(p.arch, out)),
            ),
        ),
        Ddos::Ip => {
            let ips = public_ips(p.arch, out);
            if !ips.is_zero() {
                out.push(Added::new(
                    "DDoS IP Protection",
                    Requirement::Ddos,
                    format!("closed_network.ddos: DDoS IP Protection on each of the design's {ips} public IP(s)"),
                    resource("ddos-protection", "ip", region, "ips", ips),
                ));
            }
        }
    }
}

/// Entra ID licences for conditional access: those already held at zero, the rest bought.
fn identity<'a>(p: &Platform<'a>, out: &mut Vec<Added<'a>>) {
    let (arch, net, region) = (p.arch, p.net, p.region);
    if net.conditional_access != ConditionalAccess::None {
        let (tier, what) = match net.conditional_access {
            ConditionalAccess::Ip => {
                ("p1", "Conditional Access by IP / named location needs Entra ID P1 for every user")
            }
            _ => ("p2", "risk-based Conditional Access needs Entra ID P2 for every user"),
        };
        let users = arch.users.unwrap_or(Decimal::ZERO);
        let owned = net.licensed_users.min(users);
        let name = format!("Entra ID {}", tier.to_uppercase());
        if !owned.is_zero() {
            let mut a = Added::new(
                format!("{name} (already licensed)"),
                Requirement::Identity,
                what,
                resource("entra-id", tier, region, "users", owned),
            );
            a.provided = Some(format!(
                "{owned} user(s) already hold it (Microsoft 365 E3/E5, F3, Business Premium or EMS; closed_network.licences)"
            ));
            out.push(a);
        }
        if owned.is_zero() || owned < users {
            out.push(Added::new(
                name,
                Requirement::Identity,
                what,
                resource("entra-id", tier, region, "users", users - owned),
            ));
        }
    }
}

/// The private plumbing infrastructure code builds, as the input counts it.
pub fn planned_plumbing<'a>(arch: &'a Architecture, p: &crate::iac::import::Plumbing) -> Vec<Added<'a>> {
    let region = arch.region.as_str();
    let lines = [
        (
            p.endpoints_closing,
            "private endpoints",
            Requirement::PrivateAccess,
            "private-endpoint",
            "the input's private endpoints to resources it closes",
        ),
        (
            p.endpoints_open,
            "private endpoints, public access still on",
            Requirement::PrivateAccess,
            "private-endpoint",
            "the input's private endpoints to resources that keep public access on (or whose target it does not show): they close nothing",
        ),
        (
            p.dns_zones,
            "private DNS zones",
            Requirement::PrivateAccess,
            "private-dns-zone",
            "the private DNS zones the input builds",
        ),
        (
            p.public_ips,
            "public IPs",
            Requirement::Egress,
            "public-ip",
            "the public IPs the input builds outside network interfaces (firewalls, Bastions, gateways, management)",
        ),
    ];
    lines
        .into_iter()
        .filter(|(count, ..)| *count > 0)
        .map(|(count, name, requirement, type_id, reason)| {
            Added::new(name, requirement, reason, resource(type_id, "standard", region, "count", Decimal::from(count)))
        })
        .collect()
}

/// `; the design builds 2 (closed_network.egress_count)`, or nothing for one.
fn built(count: u32, key: &str) -> String {
    match count {
        1 => String::new(),
        n => format!("; the design builds {n} (closed_network.{key})"),
    }
}

fn public_ip<'a>(name: &str, requirement: Requirement, what: &str, region: &'a str, count: Decimal) -> Added<'a> {
    Added::new(
        name,
        requirement,
        format!("{what} needs a Standard public IP"),
        resource("public-ip", "standard", region, "count", count),
    )
}

/// The public IPs the design pays for (not those a hub provides): the resources it adds, and the
/// public IP each declared Application Gateway has.
fn public_ips(arch: &Architecture, added: &[Added]) -> Decimal {
    let own = arch.services.iter().filter(|s| OWN_PUBLIC_IP.contains(&s.type_id.as_str())).count();
    added
        .iter()
        .filter(|a| a.resource.type_id == "public-ip" && a.provided.is_none())
        .filter_map(|a| a.resource.capacity.get("count"))
        .fold(Decimal::from(own), |sum, n| sum + n)
}

/// Service types whose every deployment has a Standard public IP of its own: an Application
/// Gateway v2 has a public frontend IP alone or with a private one (a private one alone is a
/// preview; Learn, "Application Gateway frontend IP address configuration",
/// https://learn.microsoft.com/azure/application-gateway/configuration-frontend-ip).
pub const OWN_PUBLIC_IP: &[&str] = &["app-gateway"];

/// Adds the line of the Standard public IP a declared service of an [`OWN_PUBLIC_IP`] type always
/// has, in both designs, priced as every public IP of the closed design is.
pub fn own_public_ip<'c>(
    service: &mut PricedService<'c>,
    catalog: &'c Catalog,
    snapshot: &'c Snapshot,
    region: &str,
) -> Result<(), Error> {
    if !OWN_PUBLIC_IP.contains(&service.type_id) {
        return Ok(());
    }
    let missing = || Error::msg("the catalog has no public-ip standard tier");
    let tier = catalog.service("public-ip").and_then(|d| d.tier("standard")).ok_or_else(missing)?;
    let ip = resource("public-ip", "standard", region, "count", Decimal::ONE);
    let lines = calculator::price_tier(tier, snapshot, &ip).map_err(|e| Error::from(e).within(&service.name))?;
    service.lines.extend(lines);
    service.totals = Totals::of(&service.lines).map_err(|e| Error::from(e).within(&service.name))?;
    Ok(())
}

/// Self-hosted CI/CD agents inside the network, where `cicd_agents` says they run.
fn cicd<'a>(net: &'a ClosedNetwork, region: &'a str, out: &mut Vec<Added<'a>>) {
    if net.cicd == Cicd::None {
        return;
    }
    let agents = net.build_agents;
    let minutes = net.usage.get("ci_minutes").copied();
    match net.cicd_agents {
        CicdAgents::Vm => out.push(Added::new(
            "build agents",
            Requirement::Cicd,
            "hosted agents cannot reach private endpoints (CN004): self-hosted agents run on VMs inside the network",
            resource("virtual-machine", "d2s-v5", region, "instances", agents),
        )),
        CicdAgents::ManagedDevopsPool => {
            // Billed as the pool's VMs at standard rates: per hour of use when the pool scales to zero
            // (ci_minutes given), otherwise as always-on standby agents.
            let (count, why) = match minutes {
                Some(_) => (
                    Decimal::ZERO,
                    "a Managed DevOps Pool in your VNet runs the agents: its VMs are billed for the hours they run (ci_minutes)",
                ),
                None => (
                    agents,
                    "a Managed DevOps Pool in your VNet runs the agents: without ci_minutes, priced as always-on standby agents",
                ),
            };
            out.push(
                Added::new(
                    "Managed DevOps Pool agents",
                    Requirement::Cicd,
                    why,
                    resource("virtual-machine", "d2s-v5", region, "instances", count),
                )
                .usage("hours", minutes.map(|m| m / Decimal::from(60))),
            );
        }
        CicdAgents::GithubHostedPrivate => {
            out.push(
                Added::new(
                    "GitHub-hosted runner minutes",
                    Requirement::Cicd,
                    "GitHub-hosted larger runners with Azure private networking run in your subnet; GitHub bills them per minute (ci_minutes)",
                    resource("github-actions", "linux-2-core", region, "count", Decimal::ONE),
                )
                .usage("minutes", minutes),
            );
            return;
        }
    }
    if net.cicd == Cicd::AzureDevops {
        out.push(Added::new(
            "self-hosted parallel jobs",
            Requirement::Cicd,
            "each self-hosted Azure DevOps agent runs one parallel job; the first is free",
            resource("devops-pipelines", "self-hosted", region, "count", agents),
        ));
    }
}
