//! Is a resource reachable only privately? Each resource the mapping judges (services, containers,
//! apps, VMs, databases the catalog lacks) gets a [`State`] with the evidence read: closed when
//! injected in internal mode, when public access is off or when its network rules deny by default;
//! half-closed when something private is built (a private endpoint) but public access stays on;
//! public otherwise. A value known only after apply is not a default: such a resource is unknown.

use super::index::Index;
use super::{Fact, Judged};
use crate::iac::mapping::{Entry, Role, first, text};
use crate::iac::model::{Attr, Origin, Resource};
use crate::registry::RuleId;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    Closed,
    HalfClosed,
    Public,
    /// An attribute that decides it is known only after apply.
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Closed => "closed",
            State::HalfClosed => "half-closed",
            State::Public => "public",
            State::Unknown => "unknown",
        }
    }
}

/// Whether a role is judged.
fn judged_role(e: &Entry) -> bool {
    matches!(e.role, Role::Service | Role::Container | Role::Site | Role::Judged)
}

/// Every judged resource by address.
pub fn judge_all(idx: &Index) -> BTreeMap<String, Judged> {
    let mut out = BTreeMap::new();
    for (r, e) in idx.mapped() {
        let private_edge = e.role == Role::Edge && idx.endpoints.contains_key(&r.address);
        if !judged_role(e) && !private_edge {
            continue;
        }
        let (state, evidence) = match private_edge {
            true => {
                (State::Closed, vec!["reached through its own private link (a private endpoint to it)".to_string()])
            }
            false => judge(idx, r, e),
        };
        out.insert(
            r.address.clone(),
            Judged {
                address: r.address.clone(),
                type_name: r.type_name.clone(),
                service: None,
                state,
                evidence,
                line: r.line,
            },
        );
    }
    out
}

/// `name=value` for evidence; values of allow-listed access attributes only.
fn shown(path: &str, a: &Attr) -> String {
    match a {
        Attr::Known(serde_json::Value::String(s)) => format!("{path}={s}"),
        Attr::Known(v) => format!("{path}={v}"),
        Attr::Unknown => format!("{path} unknown until apply"),
    }
}

fn judge(idx: &Index, r: &Resource, e: &Entry) -> (State, Vec<String>) {
    let mut evidence = Vec::new();
    if e.role == Role::Service && !e.nics.is_empty() {
        return judge_vm(idx, r, e);
    }
    if let Some(sig) = e.internal.as_ref().filter(|s| s.shows(r)) {
        if let Some((p, a)) = first(r, &sig.paths) {
            evidence.push(format!("{} (injected, private only)", shown(p, a)));
        }
        return (State::Closed, evidence);
    }
    let origin = idx.read.origin;
    let public = access_public(r, e, origin, &mut evidence);
    let acl = access_acl(idx, r, e, origin, &mut evidence);
    let endpoints = idx.endpoints.get(&r.address).map(Vec::as_slice).unwrap_or_default();
    for ep in endpoints {
        let what = if ep.shared { "shared private link" } else { "private endpoint" };
        evidence.push(format!("{what} {} {}", ep.group.as_deref().unwrap_or("(sub-resource unknown)"), ep.address));
    }
    let open_rules = open_firewall_rules(idx, r);
    for (rule, start) in &open_rules {
        evidence.push(format!("firewall rule {rule} starts at {start}"));
    }
    let state = match (public, acl) {
        (Some(false), _) | (_, Some(false)) => State::Closed,
        (None, _) | (_, None) => State::Unknown,
        _ if !endpoints.is_empty() => State::HalfClosed,
        _ => State::Public,
    };
    (state, evidence)
}

/// The path of `paths` a user of this kind of input knows: a template's property
/// (`properties.publicNetworkAccess`) or a plan's attribute.
fn named(origin: Origin, paths: &[String]) -> &str {
    let arm = |p: &&String| p.starts_with("properties.") || p.starts_with("sku.") || p.as_str() == "kind";
    let found = match origin {
        Origin::Arm => paths.iter().find(arm),
        Origin::Terraform => paths.iter().find(|p| !arm(p)),
    };
    found.or(paths.first()).map_or("", String::as_str)
}

/// `Some(true)` public access on (also its default when unset), `Some(false)` off, `None` unknown.
fn access_public(r: &Resource, e: &Entry, origin: Origin, evidence: &mut Vec<String>) -> Option<bool> {
    if e.public.is_empty() {
        if e.internal.is_some() {
            evidence.push(format!(
                "{} not set to a private mode",
                named(origin, &e.internal.as_ref().map(|i| i.paths.clone()).unwrap_or_default())
            ));
        } else {
            evidence.push("no private access built".to_string());
        }
        return Some(true);
    }
    match first(r, &e.public) {
        None => {
            evidence.push(format!("{} unset (the default: enabled)", named(origin, &e.public)));
            Some(true)
        }
        Some((p, a)) => {
            evidence.push(shown(p, a));
            match text(a).as_deref() {
                Some("false" | "disabled") => Some(false),
                Some(_) => Some(true),
                None if a.is_unknown() => None,
                None => Some(true),
            }
        }
    }
}

/// `Some(false)` network rules deny by default; `Some(true)` allow (their default, also when the
/// block is unset or unknown until apply); `None` never (an unknown block means the default).
fn access_acl(idx: &Index, r: &Resource, e: &Entry, origin: Origin, evidence: &mut Vec<String>) -> Option<bool> {
    if let Some((rules, a)) = idx.acl_rules.get(&r.address) {
        evidence.push(format!("default_action={} ({rules})", text(a).unwrap_or_else(|| "unknown".into())));
        return Some(text(a).as_deref() != Some("deny"));
    }
    if e.acl.is_empty() {
        return Some(true);
    }
    match first(r, &e.acl) {
        Some((p, a)) if text(a).as_deref() == Some("deny") => {
            evidence.push(shown(p, a));
            Some(false)
        }
        Some((p, a)) if !a.is_unknown() => {
            evidence.push(shown(p, a));
            Some(true)
        }
        _ => {
            evidence.push(format!("{} unset or unknown (Azure's default: Allow)", named(origin, &e.acl)));
            Some(true)
        }
    }
}

/// A SQL server's firewall rules that start at 0.0.0.0 (all Azure services, or all of IPv4).
fn open_firewall_rules(idx: &Index, r: &Resource) -> Vec<(String, String)> {
    idx.firewall_rules
        .get(&r.address)
        .map(|v| v.iter().filter(|(_, s)| s == "0.0.0.0").cloned().collect())
        .unwrap_or_default()
}

/// A VM is inside the network; it is public when one of its network interfaces has a public IP.
fn judge_vm(idx: &Index, r: &Resource, e: &Entry) -> (State, Vec<String>) {
    let nics: Vec<&str> = e.nics.iter().filter_map(|p| r.reference(p)).collect();
    let ips: Vec<String> = nics.iter().flat_map(|n| idx.nic_ips.get(*n).cloned().unwrap_or_default()).collect();
    if ips.is_empty() {
        (State::Closed, vec!["no public IP on its network interfaces".to_string()])
    } else {
        (State::Public, vec![format!("public IP {} on its network interface", ips.join(", "))])
    }
}

/// The findings of what was judged: private endpoints next to public access, open SQL firewall
/// rules, public IPs on VMs in a design with private endpoints.
pub fn facts(idx: &Index, judged: &BTreeMap<String, Judged>, out: &mut Vec<Fact>) {
    let any_endpoint = !idx.endpoints.is_empty();
    for j in judged.values() {
        let Some(r) = idx.resource(&j.address) else { continue };
        let endpoints = idx.endpoints.get(&j.address).map(Vec::as_slice).unwrap_or_default();
        if j.state == State::HalfClosed && !endpoints.is_empty() {
            let list: Vec<&str> = endpoints.iter().map(|e| e.address.as_str()).collect();
            let open: Vec<&String> = j.evidence.iter().filter(|e| !e.contains("private endpoint")).collect();
            out.push(Fact {
                rule: RuleId::CN018,
                message: format!(
                    "{} pays for private endpoint(s) {} but public access stays on ({})",
                    j.address,
                    list.join(", "),
                    open.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")
                ),
                address: j.address.clone(),
                line: j.line,
            });
        }
        if j.state != State::Closed {
            for (rule, _) in open_firewall_rules(idx, r) {
                out.push(Fact {
                    rule: RuleId::CN018,
                    message: format!(
                        "{} has firewall rule {rule} from 0.0.0.0: it admits every Azure service's traffic (or all of IPv4), whatever the private endpoints",
                        j.address
                    ),
                    address: j.address.clone(),
                    line: j.line,
                });
            }
        }
        let is_vm = idx.entry(r).is_some_and(|e| !e.nics.is_empty());
        if is_vm && j.state == State::Public && any_endpoint {
            out.push(Fact {
                rule: RuleId::CN019,
                message: format!(
                    "{} has a public IP ({}) in a design that builds private endpoints: it can be reached from the internet",
                    j.address,
                    j.evidence.join("; ")
                ),
                address: j.address.clone(),
                line: j.line,
            });
        }
        if j.state != State::Closed {
            out.push(Fact {
                rule: RuleId::CN023,
                message: format!("{} is {}: {}", j.address, j.state.as_str(), j.evidence.join("; ")),
                address: j.address.clone(),
                line: j.line,
            });
        }
    }
}
