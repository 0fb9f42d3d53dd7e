//! One service: its type, tier, capacity, calls, sub-resources, skillset, zone and usage.

use super::Checker;
use super::RUNTIMES;
use super::amounts::{capacity, usage};
use super::paths::Paths;
use crate::architecture::yaml::{Loc, Located, RawService, loc};
use crate::architecture::{Service, Skillset};
use crate::catalog::Catalog;
use crate::catalog::definitions::ServiceDef;
use crate::suggest;
use rust_decimal::Decimal;
use std::collections::HashSet;

pub(super) fn service(
    c: &mut Checker,
    index: usize,
    s: &RawService,
    at: Loc,
    catalog: &Catalog,
    names: &[String],
    name_set: &HashSet<&str>,
) -> Option<Service> {
    let p = Paths(index);
    let name = s.name.value.trim().to_string();
    if name.is_empty() {
        c.error(loc(&s.name), p.of("name"), "a service needs a name");
    }
    let type_id = s.type_id.value.trim().to_ascii_lowercase();
    let Some(def) = catalog.service(&type_id).filter(|d| !d.implied_only) else {
        let types = catalog.declarable_types();
        c.error(loc(&s.type_id), p.of("type"), format!("unknown service type \"{type_id}\"")).help =
            Some(suggest::help(&type_id, &types));
        return None;
    };
    let (runtime, os) = runtime_and_os(c, s, p);
    let tier = tier(c, s, def, os.as_deref(), p);
    let capacity = capacity(c, s, def, p);
    let calls = calls(c, s, &name, names, name_set, p);
    let subresources = subresources(c, s, def, p);
    let skillset = skillset(c, s, def, at, p);
    let custom_skill_timeout = match s.custom_skill_timeout.as_deref() {
        None => None,
        Some(t) if def.outbound_with_skillset.is_none() => {
            c.error(loc(t), p.of("custom_skill_timeout"), format!("{} has no custom skills", def.type_id)).help =
                Some("custom_skill_timeout applies to ai-search".into());
            None
        }
        Some(t) => c.count(t, p.of("custom_skill_timeout"), 1),
    };
    let zone = zone(c, s, def, p);
    let zone_redundant = zone_redundant(c, s, def, tier.as_deref(), os.as_deref(), p);
    let (usage, model) = usage(c, s, def, at, p);

    Some(Service {
        index,
        name,
        type_id: def.type_id.clone(),
        tier,
        capacity,
        runtime,
        os,
        os_declared: s.os.is_some(),
        public: s.public.unwrap_or(false),
        calls,
        subresources,
        skillset,
        custom_skill_timeout,
        zone,
        zone_redundant,
        usage,
        model,
        loc: at,
        tier_loc: s.tier.as_ref().map(loc),
        source: None,
    })
}

/// The runtime and the OS; Python runs only on Linux, so a Python service without `os` is Linux.
fn runtime_and_os(c: &mut Checker, s: &RawService, p: Paths) -> (Option<String>, Option<String>) {
    let runtime = s.runtime.as_ref().and_then(|r| c.choice(r, p.of("runtime"), &RUNTIMES)).map(str::to_string);
    let mut os = s.os.as_ref().and_then(|o| c.choice(o, p.of("os"), &["linux", "windows"])).map(str::to_string);
    if runtime.as_deref() == Some("python") {
        match (os.as_deref(), &s.os) {
            (Some("windows"), Some(given)) => {
                c.error(loc(given), p.of("os"), "Python runs only on Linux").help = Some(
                    "remove `os: windows` (https://learn.microsoft.com/azure/azure-functions/functions-scale)".into(),
                );
            }
            _ => os = Some("linux".to_string()),
        }
    }
    (runtime, os)
}

/// The declared tier, by id or alias, which must run the service's OS.
fn tier(c: &mut Checker, s: &RawService, def: &ServiceDef, os: Option<&str>, p: Paths) -> Option<String> {
    let t = s.tier.as_ref()?;
    match def.tier(&t.value) {
        Some(tier) => {
            if let Some(o) = os.filter(|o| !tier.supports_os(o)) {
                c.error(loc(t), p.of("tier"), format!("{} tier {} does not run {o}", def.type_id, tier.id));
            }
            Some(tier.id.clone())
        }
        None => {
            let ids: Vec<&str> = def.tiers().map(|t| t.id.as_str()).collect();
            c.error(loc(t), p.of("tier"), format!("unknown {} tier \"{}\"", def.type_id, t.value.trim())).help =
                Some(suggest::help(t.value.trim(), &ids));
            None
        }
    }
}

/// The services this one calls: each declared in the file (`names`, and as a set), none itself.
fn calls(
    c: &mut Checker,
    s: &RawService,
    name: &str,
    names: &[String],
    name_set: &HashSet<&str>,
    p: Paths,
) -> Vec<String> {
    let mut calls = Vec::new();
    // Each name listed more than once: where it repeats first, and how many times it is listed.
    let mut listed: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut repeats: Vec<(&str, usize, &Located<String>)> = Vec::new();
    for (i, target) in s.calls.iter().flatten().enumerate() {
        let t = target.value.trim();
        let count = listed.entry(t).or_insert(0);
        *count += 1;
        if *count > 1 {
            if *count == 2 {
                repeats.push((t, i, target));
            }
            continue;
        }
        if t == name {
            c.error(loc(target), p.of(&format!("calls[{i}]")), format!("\"{t}\" calls itself"));
        } else if !name_set.contains(t) {
            let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
            c.error(loc(target), p.of(&format!("calls[{i}]")), format!("no service named \"{t}\"")).help =
                Some(suggest::help(t, &candidates));
        } else {
            calls.push(t.to_string());
        }
    }
    for (t, i, target) in repeats {
        let times = listed.get(t).copied().unwrap_or(2);
        c.error(loc(target), p.of(&format!("calls[{i}]")), format!("\"{t}\" is listed {times} times in calls")).help =
            Some("list each service it calls once".into());
    }
    calls
}

/// AI Search skillsets (`embedding`, `full`; `true` is `full`), only on a type that has them.
fn skillset(c: &mut Checker, s: &RawService, def: &ServiceDef, at: Loc, p: Paths) -> Skillset {
    let skillset = match s.skillset.as_deref() {
        None => Skillset::None,
        Some(v) => {
            let word = Located { value: v.value.text(), loc: v.loc };
            match c.choice(&word, p.of("skillset"), &["embedding", "full", "true", "false"]) {
                Some("embedding") => Skillset::Embedding,
                Some("full" | "true") => Skillset::Full,
                _ => Skillset::None,
            }
        }
    };
    if skillset != Skillset::None && def.outbound_with_skillset.is_none() {
        c.error(at, p.of("skillset"), format!("{} has no skillsets", def.type_id)).help =
            Some("skillset applies to ai-search".into());
    }
    skillset
}

/// `zone_redundant: true` only on a tier that can be zone-redundant (at some date: whether it can at
/// the pricing date, and at what capacity, is checked when the designs are priced).
fn zone_redundant(
    c: &mut Checker,
    s: &RawService,
    def: &ServiceDef,
    tier: Option<&str>,
    os: Option<&str>,
    p: Paths,
) -> bool {
    let Some(flag) = s.zone_redundant.as_ref().filter(|f| f.value) else { return false };
    let able: Vec<&str> = def.tiers().filter(|t| !t.zone_redundancy.is_empty()).map(|t| t.id.as_str()).collect();
    let declared = tier.and_then(|t| def.tier(t)).or_else(|| def.default_tier(os));
    match declared {
        _ if able.is_empty() => {
            c.error(
                loc(flag),
                p.of("zone_redundant"),
                format!("the catalog does not model zone redundancy for {}", def.type_id),
            )
            .help = Some("remove zone_redundant, or price the zone-redundant deployment with `prices:`".into());
        }
        Some(t) if t.zone_redundancy.is_empty() => {
            c.error(
                loc(flag),
                p.of("zone_redundant"),
                format!("{} tier {} cannot be zone-redundant", def.type_id, t.id),
            )
            .help = Some(format!("tiers that can: {}", able.join(", ")));
        }
        _ => {}
    }
    true
}

/// The billing zone (1 to 8), only for a type priced by zone.
fn zone(c: &mut Checker, s: &RawService, def: &ServiceDef, p: Paths) -> Option<u8> {
    let z = s.zone.as_deref()?;
    let zone_priced = def.tiers().flat_map(|t| &t.components).any(|k| k.region.as_deref() == Some("zone"));
    if !zone_priced {
        c.error(loc(z), p.of("zone"), format!("{} is not priced by billing zone", def.type_id));
        return None;
    }
    match c.count(z, p.of("zone"), 1) {
        Some(n) if n <= Decimal::from(8) => Some(n.to_string().parse::<u8>().unwrap_or(1)),
        Some(n) => {
            c.error(loc(z), p.of("zone"), format!("billing zone {n} does not exist (Front Door has zones 1 to 8)"));
            None
        }
        None => None,
    }
}

fn subresources(c: &mut Checker, s: &RawService, def: &ServiceDef, p: Paths) -> Vec<String> {
    let Some(list) = &s.subresources else { return def.default_subresources.clone() };
    if def.subresources.is_empty() {
        if let Some(first) = list.first() {
            c.error(
                loc(first),
                p.of("subresources"),
                format!("{} has no private endpoint sub-resources to choose", def.type_id),
            );
        }
        return Vec::new();
    }
    let known: Vec<&str> = def.subresources.keys().map(String::as_str).collect();
    let mut out = Vec::new();
    for (i, sub) in list.iter().enumerate() {
        if let Some(k) =
            c.choice(sub, p.of(&format!("subresources[{i}]")), &known).filter(|k| !out.iter().any(|o| o == k))
        {
            out.push(k.to_string());
        }
    }
    out
}
