//! The services the input builds, as catalog types and tiers: a resource's SKU through the mapping's
//! tier table (`Premium_2` -> `premium`, units 2), its capacity, the children of a container (a SQL
//! server's databases, an OpenAI account's deployments) and the apps on a plan (a plan of function
//! apps is a `functions` service of the plan's tier). A SKU the catalog lacks, or one unknown until
//! apply, leaves the resource out with the reason.

use super::index::Index;
use super::{Fact, Judged, Left, Mechanism, Planned};
use crate::iac::mapping::{Entry, Role, first, text};
use crate::iac::model::{Attr, Resource};
use crate::registry::RuleId;
use std::collections::{BTreeMap, BTreeSet};

/// A tier looked up, or why there is none.
enum Tier {
    Found(String, Vec<String>),
    Missing(String),
}

/// The tier of `r` from `tiers`, with the part of a split SKU after the tier (`Premium_2` -> `2`).
fn tier_of(r: &Resource, e: &Entry, tiers: &BTreeMap<String, String>) -> (Tier, Option<u64>) {
    if let Some(reason) = excluded(r, e) {
        return (Tier::Missing(reason), None);
    }
    let found = first(r, &e.tier);
    let value = match found {
        Some((_, a)) if a.is_unknown() => match &e.default_tier {
            Some(d) => {
                let why = format!("{} unknown until apply: the provider's default", e.tier[0]);
                return (Tier::Found(d.clone(), vec![why]), None);
            }
            None => return (Tier::Missing(format!("{} unknown until apply", e.tier[0])), None),
        },
        Some((_, a)) => text(a),
        None => None,
    };
    let Some(value) = value else {
        return match &e.default_tier {
            Some(d) => (Tier::Found(d.clone(), Vec::new()), None),
            None if e.tier.is_empty() => (Tier::Missing("no SKU to map".into()), None),
            None => (Tier::Missing(format!("{} not set", e.tier[0])), None),
        };
    };
    let (name, rest) = match e.split.as_deref().and_then(|s| value.split_once(s)) {
        Some((n, r)) => (n.to_string(), r.parse::<u64>().ok()),
        None => (value.clone(), None),
    };
    if let Some(t) = sized(r, e, &name) {
        return (t, rest);
    }
    match tiers.get(&name) {
        Some(t) => {
            let path = found.map(|(p, _)| p).unwrap_or_default();
            (Tier::Found(t.clone(), vec![format!("{path}={value}")]), rest)
        }
        None => (Tier::Missing(format!("SKU {value} is not in the catalog")), rest),
    }
}

/// A disk's tier from its type and size (the smallest that holds it).
fn sized(r: &Resource, e: &Entry, kind: &str) -> Option<Tier> {
    let steps = e.size_tiers.get(kind)?;
    let size = first(r, &e.size).and_then(|(_, a)| text(a)).and_then(|s| s.parse::<u32>().ok());
    Some(match size {
        None => Tier::Missing("disk size unknown until apply".into()),
        Some(gb) => match steps.iter().find(|(max, _)| gb <= *max) {
            Some((_, t)) => Tier::Found(t.clone(), vec![format!("{kind}, {gb} GiB")]),
            None => Tier::Missing(format!("a {gb} GiB {kind} disk is not in the catalog")),
        },
    })
}

/// The mapping's reason to leave a resource out (`not_when`), if it applies.
fn excluded(r: &Resource, e: &Entry) -> Option<String> {
    e.not_when.iter().any(|s| s.shows(r)).then(|| e.not_reason.clone().unwrap_or_default())
}

fn count(a: &Attr) -> Option<u64> {
    text(a).and_then(|t| t.parse::<f64>().ok()).filter(|n| *n >= 0.0 && n.fract() == 0.0).map(|n| n as u64)
}

fn capacity(r: &Resource, e: &Entry, split: Option<u64>) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for (key, paths) in &e.capacity {
        if let Some(n) = first(r, paths).and_then(|(_, a)| count(a)) {
            out.insert(key.clone(), n * u64::from(e.scale.get(key).copied().unwrap_or(1)));
        }
    }
    if let (Some(n), true) = (split, e.split.is_some()) {
        out.insert("units".into(), n);
    }
    out.retain(|_, v| *v > 0);
    out
}

/// A name for the architecture file: the resource's own when it is known and unused, else one
/// made from its address.
fn name_for(r: &Resource, taken: &mut BTreeSet<String>) -> String {
    // The input's own name when it states one (a plan's `name` attribute, a template's evaluated
    // name); a name label alone (`this`) says little.
    let stated = r.attrs.get("name").and_then(|a| a.as_str()).is_some() || r.address.contains(" (");
    let own = Some(r.name.trim()).filter(|n| stated && !n.is_empty() && !n.contains('[') && !n.contains('$'));
    let base = match own {
        Some(n) if !taken.contains(n) => n.to_string(),
        _ => {
            let a = r.address.split(" (").next().unwrap_or(&r.address);
            let a = a.replace("module.", "").replace("azurerm_", "");
            let mut s: String = a.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            while s.contains("--") {
                s = s.replace("--", "-");
            }
            s.trim_matches('-').to_ascii_lowercase()
        }
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Every service of the input. Records on `judged` which service each judged resource is priced
/// as, and leaves out (with the reason) what has no catalog tier.
pub fn map_all(
    idx: &Index,
    judged: &mut BTreeMap<String, Judged>,
    left: &mut Vec<Left>,
    facts: &mut Vec<Fact>,
) -> Vec<Planned> {
    let mut taken = BTreeSet::new();
    let mut out = Vec::new();
    for (r, e) in idx.mapped() {
        retired(r, e, facts);
        let made = match e.role {
            Role::Service | Role::Edge => one(idx, r, e, &mut taken),
            Role::Child => child(idx, r, e, judged, &mut taken),
            Role::Plan => plan(idx, r, e, &mut taken),
            Role::Container => {
                container(idx, r, e, left);
                continue;
            }
            Role::Judged => {
                left.push(Left {
                    address: r.address.clone(),
                    type_name: r.type_name.clone(),
                    reason: e.reason.clone().unwrap_or_default(),
                    absorbed: false,
                });
                continue;
            }
            _ => continue,
        };
        match made {
            Ok(p) => {
                for s in &p.sources {
                    if let Some(j) = judged.get_mut(s) {
                        j.service = Some(p.name.clone());
                    }
                }
                out.push(p);
            }
            Err(reason) => {
                left.push(Left { address: r.address.clone(), type_name: r.type_name.clone(), reason, absorbed: false })
            }
        }
    }
    calls(idx, &mut out);
    for p in &mut out {
        for s in &p.sources {
            if let Some(j) = judged.get(s) {
                p.evidence.extend(j.evidence.iter().cloned());
            }
        }
        p.evidence.dedup();
    }
    out
}

/// A retired SKU or type where a closed design is planned.
fn retired(r: &Resource, e: &Entry, facts: &mut Vec<Fact>) {
    let kind = first(r, &e.kind).and_then(|(_, a)| text(a)).unwrap_or_default();
    let why = e.retired.clone().or_else(|| e.retired_kinds.get(&kind).cloned());
    if let Some(why) = why {
        facts.push(Fact {
            rule: RuleId::CN020,
            message: format!("{} ({}) is retired: {why}", r.address, r.type_name),
            address: r.address.clone(),
            line: r.line,
        });
    }
}

fn base(idx: &Index, r: &Resource, name: String, type_id: &str, tier: String, evidence: Vec<String>) -> Planned {
    let endpoints = idx.endpoints.get(&r.address).map_or(0, Vec::len);
    Planned {
        name,
        type_id: type_id.to_string(),
        tier,
        capacity: BTreeMap::new(),
        os: None,
        runtime: None,
        model: None,
        public: false,
        calls: Vec::new(),
        subresources: idx
            .endpoints
            .get(&r.address)
            .map(|eps| {
                eps.iter()
                    .filter(|e| !e.shared)
                    .filter_map(|e| e.group.as_ref().map(|g| g.to_ascii_lowercase()))
                    .collect()
            })
            .unwrap_or_default(),
        sources: vec![r.address.clone()],
        evidence,
        mechanism: if endpoints > 0 { Mechanism::PrivateEndpoint } else { Mechanism::None },
        endpoints,
        line: r.line,
    }
}

/// A resource priced as one service of its own (or an edge).
fn one(idx: &Index, r: &Resource, e: &Entry, taken: &mut BTreeSet<String>) -> Result<Planned, String> {
    let service = e.service.as_deref().unwrap_or_default();
    let (tier, evidence, split) = match tier_of(r, e, &e.tiers) {
        (Tier::Found(t, ev), split) => (t, ev, split),
        (Tier::Missing(why), _) => return Err(format!("{service}: {why}")),
    };
    let mut p = base(idx, r, name_for(r, taken), service, tier, evidence);
    p.capacity = capacity(r, e, split);
    p.public = e.role == Role::Edge && !edge_is_private(idx, r);
    if e.internal.as_ref().is_some_and(|s| s.shows(r)) || e.injected.as_ref().is_some_and(|s| s.shows(r)) {
        p.mechanism = Mechanism::Injection;
    }
    p.os = vm_os(r, e);
    Ok(p)
}

/// An edge that the input reaches through a private endpoint of its own (an Application Gateway's
/// private link) is not internet-facing.
fn edge_is_private(idx: &Index, r: &Resource) -> bool {
    idx.endpoints.contains_key(&r.address)
}

fn vm_os(r: &Resource, e: &Entry) -> Option<String> {
    if e.nics.is_empty() {
        return None;
    }
    let t = r.type_name.to_ascii_lowercase();
    if t.contains("linux") {
        return Some("linux".into());
    }
    if t.contains("windows") {
        return Some("windows".into());
    }
    first(r, &e.os).and_then(|(_, a)| text(a)).filter(|o| o == "linux" || o == "windows")
}

/// A child priced as a service, in its container's state.
fn child(
    idx: &Index,
    r: &Resource,
    e: &Entry,
    judged: &mut BTreeMap<String, Judged>,
    taken: &mut BTreeSet<String>,
) -> Result<Planned, String> {
    let mut p = one(idx, r, e, taken)?;
    p.model = first(r, &e.model).and_then(|(_, a)| a.as_str()).map(str::to_string);
    let parent = idx.children.iter().find(|(_, v)| v.iter().any(|&i| idx.read.resources[i].address == r.address));
    if let Some((container, _)) = parent {
        p.sources.insert(0, container.clone());
        p.endpoints = idx.endpoints.get(container).map_or(0, Vec::len);
        if p.endpoints > 0 {
            p.mechanism = Mechanism::PrivateEndpoint;
        }
        if let Some(j) = judged.get_mut(container) {
            j.service = Some(p.name.clone());
        }
    }
    Ok(p)
}

/// A container with no children is judged but priced nowhere: say so. A container of a kind the
/// catalog lacks (a Cognitive Services account that is not OpenAI) is left out too.
fn container(idx: &Index, r: &Resource, e: &Entry, left: &mut Vec<Left>) {
    let kind = first(r, &e.kind).and_then(|(_, a)| text(a));
    let reason = match kind {
        Some(k) if !e.kinds.is_empty() && !e.kinds.contains(&k) => {
            format!("not in the catalog: {} of kind {k}", r.type_name)
        }
        _ if !idx.children.contains_key(&r.address) => {
            format!(
                "{}: priced through its children, and the input builds none: nothing priced",
                e.service.as_deref().unwrap_or_default()
            )
        }
        _ => return,
    };
    left.push(Left { address: r.address.clone(), type_name: r.type_name.clone(), reason, absorbed: false });
}

/// A plan priced as what its apps need: functions, Logic Apps Standard, or App Service.
fn plan(idx: &Index, r: &Resource, e: &Entry, taken: &mut BTreeSet<String>) -> Result<Planned, String> {
    let apps: Vec<&Resource> =
        idx.sites.get(&r.address).map(|v| v.iter().map(|&i| &idx.read.resources[i]).collect()).unwrap_or_default();
    let kind_of = |a: &Resource| {
        let t = a.type_name.to_ascii_lowercase();
        let k = idx.entry(a).and_then(|s| first(a, &s.kind)).and_then(|(_, v)| text(v)).unwrap_or_default();
        if t.contains("function_app") || k.contains("functionapp") {
            "functions"
        } else if t.contains("logic_app") || k.contains("workflowapp") {
            "logic-apps"
        } else {
            "app-service"
        }
    };
    let type_id = apps
        .iter()
        .map(|a| kind_of(a))
        .min_by_key(|k| ["functions", "logic-apps", "app-service"].iter().position(|x| x == k))
        .unwrap_or("app-service");
    let tiers = match type_id {
        "functions" => &e.tiers_functions,
        "logic-apps" => &e.tiers_logic,
        _ => &e.tiers,
    };
    let (tier, evidence) = match tier_of(r, e, tiers).0 {
        Tier::Found(t, ev) => (t, ev),
        Tier::Missing(why) => return Err(format!("{type_id}: {why}")),
    };
    let mut p = base(idx, r, name_for(r, taken), type_id, tier, evidence);
    if type_id == "app-service" {
        p.capacity = capacity(r, e, None);
    }
    let os = first(r, &e.os).and_then(|(_, a)| text(a)).unwrap_or_default();
    p.os = Some(if os.contains("linux") { "linux" } else { "windows" }.to_string()).filter(|_| !os.is_empty());
    for a in &apps {
        p.sources.push(a.address.clone());
        p.endpoints += idx.endpoints.get(&a.address).map_or(0, Vec::len);
        let site = idx.entry(a);
        let runtime = site.and_then(|s| first(a, &s.runtime)).and_then(|(_, v)| text(v));
        if runtime.is_some_and(|v| v.contains("python") || v.chars().next().is_some_and(|c| c.is_ascii_digit())) {
            p.runtime = Some("python".into());
            p.os = Some("linux".into());
        }
    }
    if p.endpoints > 0 {
        p.mechanism = Mechanism::PrivateEndpoint;
    }
    Ok(p)
}

/// `calls:` from the input's role assignments, shared private links and Front Door origins,
/// between the services it maps (an address inside a service, such as an app on a plan or a SQL
/// server of its databases, stands for that service).
fn calls(idx: &Index, services: &mut [Planned]) {
    let owner: BTreeMap<&str, usize> =
        services.iter().enumerate().flat_map(|(i, p)| p.sources.iter().map(move |s| (s.as_str(), i))).collect();
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (from, to) in &idx.calls {
        if let (Some(&f), Some(&t)) = (owner.get(from.as_str()), owner.get(to.as_str()))
            && f != t
            && !edges.contains(&(f, t))
        {
            edges.push((f, t));
        }
    }
    for (f, t) in edges {
        let name = services[t].name.clone();
        services[f].calls.push(name);
    }
}
