//! The network platform the input builds (firewalls, Bastions, gateways, NAT, DDoS plans), counted,
//! and whether the organisation's hub provides it (data sources of its DNS zones, firewall or
//! gateways); and the private plumbing as the input counts it.

use super::access::State;
use super::index::Index;
use super::{Fact, Judged, Left, Network, Plumbing};
use crate::iac::mapping::{Role, first, text};
use crate::registry::RuleId;
use std::collections::BTreeMap;

/// The order in which one platform value outranks another of the same key (the higher is kept).
const RANK: [&str; 9] = [
    "nat-gateway",
    "firewall-basic",
    "firewall-standard",
    "firewall-premium",
    "bastion-developer",
    "bastion-basic",
    "bastion-standard",
    "bastion-premium",
    "expressroute",
];

fn rank(v: &str) -> usize {
    RANK.iter().position(|r| *r == v).unwrap_or(0)
}

/// Per `closed_network` key, per value, the resources that build it (address, line).
type Built = BTreeMap<String, BTreeMap<String, Vec<(String, Option<u64>)>>>;

/// `closed_network` keys from the platform resources, with counts.
pub fn count(idx: &Index, left: &mut Vec<Left>, facts: &mut Vec<Fact>, warnings: &mut Vec<String>) -> Network {
    let mut found: Built = BTreeMap::new();
    let mut net = Network::default();
    for (r, e) in idx.mapped() {
        match e.role {
            Role::Existing => net.existing_hub.push(r.address.clone()),
            Role::Platform => {
                let key = e.platform.clone().unwrap_or_default();
                if let Some(why) =
                    e.not_when.iter().any(|s| s.shows(r)).then(|| e.not_reason.clone().unwrap_or_default())
                {
                    left.push(Left {
                        address: r.address.clone(),
                        type_name: r.type_name.clone(),
                        reason: why,
                        absorbed: false,
                    });
                    continue;
                }
                let value = match first(r, &e.tier) {
                    Some((_, a)) if !a.is_unknown() => text(a)
                        .and_then(|t| e.tiers.get(&t).cloned())
                        .or_else(|| text(a).is_none().then(|| e.default_tier.clone()).flatten()),
                    _ => e.default_tier.clone(),
                };
                match value {
                    Some(v) => {
                        net.built.insert(built_type(&key, &v, &r.type_name).to_string());
                        found.entry(key).or_default().entry(v).or_default().push((r.address.clone(), r.line));
                    }
                    None => {
                        let sku = first(r, &e.tier).and_then(|(_, a)| text(a)).unwrap_or_else(|| "unset".into());
                        left.push(Left {
                            address: r.address.clone(),
                            type_name: r.type_name.clone(),
                            reason: format!("{key}: SKU {sku} is not in the catalog"),
                            absorbed: false,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    for (key, values) in found {
        settle(&key, values, &mut net, left, facts, warnings);
    }
    net
}

/// The catalog type a platform resource is priced as.
fn built_type(key: &str, value: &str, type_name: &str) -> &'static str {
    let t = type_name.to_ascii_lowercase();
    match (key, value) {
        ("egress", "nat-gateway") => "nat-gateway",
        ("egress", _) => "firewall",
        ("operator_access", _) => "bastion",
        ("ddos", _) => "ddos-protection",
        ("on_premises", _) if t.contains("circuit") => "expressroute-circuit",
        ("on_premises", "expressroute") => "expressroute-gateway",
        _ => "vpn-gateway",
    }
}

/// One key's value: the highest-ranked one built, counted; the others are listed as left out.
fn settle(
    key: &str,
    values: BTreeMap<String, Vec<(String, Option<u64>)>>,
    net: &mut Network,
    left: &mut Vec<Left>,
    facts: &mut Vec<Fact>,
    warnings: &mut Vec<String>,
) {
    let Some(best) = values.keys().max_by_key(|v| rank(v)).cloned() else { return };
    for (v, at) in &values {
        if *v == best {
            continue;
        }
        warnings.push(format!(
            "closed_network.{key} takes one kind: the input builds {} as well as {best}; priced as {best}",
            at.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>().join(", ")
        ));
        for (a, _) in at {
            left.push(Left {
                address: a.clone(),
                type_name: key.to_string(),
                reason: format!("closed_network.{key} is {best} for this input; {v} is left out"),
                absorbed: false,
            });
        }
    }
    let every: Vec<&(String, Option<u64>)> = values.values().flatten().collect();
    if every.len() > 1 {
        let list: Vec<&str> = every.iter().map(|(a, _)| a.as_str()).collect();
        facts.push(Fact {
            rule: RuleId::CN022,
            message: format!("closed_network.{key} is built {} times: {}", every.len(), list.join(", ")),
            address: every[0].0.clone(),
            line: every[0].1,
        });
    }
    let built = &values[&best];
    let addresses = built.iter().map(|(a, _)| a.clone()).collect();
    net.keys.insert(key.to_string(), (best, built.len() as u32, addresses));
}

/// The plumbing the input builds, and the resources absorbed as its evidence.
pub fn plumbing(idx: &Index, judged: &BTreeMap<String, Judged>, left: &mut Vec<Left>) -> Plumbing {
    let mut p = Plumbing::default();
    for (target, eps) in &idx.endpoints {
        let closes = judged.get(target).is_some_and(|j| j.state == State::Closed);
        if closes {
            p.endpoints_closing += eps.len();
        } else {
            p.endpoints_open += eps.len();
        }
    }
    p.endpoints_open += idx.unlinked_endpoints.len();
    let vm_ips: Vec<&String> = idx.nic_ips.values().flatten().collect();
    for (r, e) in idx.mapped() {
        if e.role != Role::Plumbing {
            continue;
        }
        let what = match e.plumbing.as_deref() {
            Some("dns-zone") => {
                p.dns_zones += 1;
                "private DNS zone"
            }
            Some("dns-link") => {
                p.dns_links += 1;
                "private DNS zone link"
            }
            Some("dns-zone-group") => "private DNS zone group of an endpoint",
            Some("public-ip") if idx.service_ips.contains(&r.address) => {
                "public IP of a service's frontend (priced with the service)"
            }
            Some("public-ip") if vm_ips.contains(&&r.address) => "public IP of a network interface (see the findings)",
            Some("public-ip") => {
                p.public_ips += 1;
                "public IP (of the platform)"
            }
            Some("private-endpoint") if idx.unlinked_endpoints.contains(&r.address) => {
                "private endpoint whose target the input does not show"
            }
            Some("private-endpoint") => "private endpoint",
            Some("shared-private-link") => "shared private link",
            Some("nic") => "network interface",
            Some("sql-firewall-rule") => "SQL firewall rule",
            Some("storage-network-rules") => "storage network rules",
            _ => "plumbing",
        };
        left.push(Left {
            address: r.address.clone(),
            type_name: r.type_name.clone(),
            reason: format!("absorbed: {what}"),
            absorbed: true,
        });
    }
    p
}
