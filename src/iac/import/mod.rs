//! From what a reader read to what closednet prices: the services of the catalog (with their tiers,
//! capacity and the calls between them), the network platform, the private plumbing as counted in
//! the input, the state of every resource that can be reached (closed, half-closed, public), and
//! every resource skipped with its reason. [`yaml`] writes it as a reviewable architecture file.
//!
//! The steps, in order: [`index`] what points at what (private endpoints at their targets, apps at
//! their plans, ...), [`access`] judges each resource, [`services`] maps what is priced, [`platform`]
//! counts the network platform; then the region is settled.

mod access;
mod index;
mod platform;
mod services;
pub mod yaml;

pub use access::State;

use super::mapping::{Mapping, Role};
use super::model::{Origin, Read};
use crate::error::{Diagnostic, Error};
use crate::registry::RuleId;
use std::collections::BTreeMap;

/// A service of the catalog, as the input builds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    /// Its name in the architecture file (unique).
    pub name: String,
    pub type_id: String,
    pub tier: String,
    /// Capacity keys of the catalog type (`units`, `replicas`, `instances`, ...).
    pub capacity: BTreeMap<String, u64>,
    pub os: Option<String>,
    pub runtime: Option<String>,
    pub model: Option<String>,
    /// An edge (Front Door, an internet-facing Application Gateway): public in both designs.
    pub public: bool,
    /// Names of the services it calls.
    pub calls: Vec<String>,
    /// The sub-resources its private endpoints reach (`blob`, `file`), as the input groups them.
    pub subresources: Vec<String>,
    /// The input's addresses that make it up (the resource, its container, the apps on a plan).
    pub sources: Vec<String>,
    /// What was read, in words: `public_network_access_enabled=false; private endpoint vault`.
    pub evidence: Vec<String>,
    /// How the input makes it private inbound.
    pub mechanism: Mechanism,
    /// The private endpoints the input builds for it.
    pub endpoints: usize,
    pub line: Option<u64>,
}

/// How a resource is reached privately in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mechanism {
    None,
    PrivateEndpoint,
    /// Injected into the network (internal mode, a delegated subnet).
    Injection,
}

/// A resource that can be reached, with its state.
#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub address: String,
    pub type_name: String,
    /// The service it is priced as, if any.
    pub service: Option<String>,
    pub state: State,
    pub evidence: Vec<String>,
    pub line: Option<u64>,
}

/// The network platform the input builds: `closed_network` keys and how many of each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    /// `egress`, `operator_access`, `on_premises`, `ddos` -> (value, count, addresses).
    pub keys: BTreeMap<String, (String, u32, Vec<String>)>,
    /// The organisation's hub provides DNS zones, firewall or gateways (data sources).
    pub existing_hub: Vec<String>,
}

/// What the input builds of the private plumbing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plumbing {
    /// Private endpoints (and shared private links) whose target is closed, and those whose target
    /// keeps public access on (they close nothing).
    pub endpoints_closing: usize,
    pub endpoints_open: usize,
    pub dns_zones: usize,
    pub dns_links: usize,
    pub public_ips: usize,
}

/// A fact of the input a finding reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub rule: RuleId,
    pub message: String,
    pub address: String,
    pub line: Option<u64>,
}

/// A resource left out, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Left {
    pub address: String,
    pub type_name: String,
    pub reason: String,
    /// Absorbed as plumbing (evidence) rather than skipped.
    pub absorbed: bool,
}

/// Everything the import found.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub origin: Origin,
    pub file: String,
    pub region: String,
    pub services: Vec<Planned>,
    pub network: Network,
    pub judged: Vec<Judged>,
    pub plumbing: Plumbing,
    pub facts: Vec<Fact>,
    pub left: Vec<Left>,
    pub warnings: Vec<String>,
}

/// Maps what a reader read. `region` is `--region`: the region to price in.
pub fn map(read: Read, region: Option<&str>) -> Result<Import, Error> {
    let mapping = Mapping::embedded();
    let idx = index::Index::new(&read, mapping);
    let mut judged = access::judge_all(&idx);
    let mut left: Vec<Left> = read
        .skipped
        .iter()
        .map(|s| Left {
            address: s.address.clone(),
            type_name: s.type_name.clone(),
            reason: s.reason.clone(),
            absorbed: false,
        })
        .collect();
    let mut facts = Vec::new();
    let mut warnings = read.warnings.clone();
    let services = services::map_all(&idx, &mut judged, &mut left, &mut facts);
    let network = platform::count(&idx, &mut left, &mut facts, &mut warnings);
    let plumbing = platform::plumbing(&idx, &judged, &mut left);
    for r in &read.resources {
        if idx.entry(r).is_none() {
            let reason = match r.existing {
                true => "an existing resource the input reads (not built by it)".to_string(),
                false => format!("not in the catalog: closednet has no mapping for {}", r.type_name),
            };
            left.push(Left { address: r.address.clone(), type_name: r.type_name.clone(), reason, absorbed: false });
        } else if idx.entry(r).is_some_and(|e| e.role == Role::Skip) {
            let reason = idx.entry(r).and_then(|e| e.reason.clone()).unwrap_or_default();
            left.push(Left { address: r.address.clone(), type_name: r.type_name.clone(), reason, absorbed: false });
        }
    }
    access::facts(&idx, &judged, &mut facts);
    let judged: Vec<Judged> = judged.into_values().collect();
    let region = settle_region(&read, &idx, region, &mut warnings)?;
    Ok(Import {
        origin: read.origin,
        file: read.file.clone(),
        region,
        services,
        network,
        judged,
        plumbing,
        facts,
        left,
        warnings,
    })
}

/// `East US 2` -> `eastus2`.
pub fn normalize_region(r: &str) -> String {
    r.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

/// The one region the input is priced in: `--region`, else the only region its priced resources
/// name; several regions without `--region` is an error that names them.
fn settle_region(
    read: &Read,
    idx: &index::Index,
    given: Option<&str>,
    warnings: &mut Vec<String>,
) -> Result<String, Error> {
    let mut regions: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for r in &read.resources {
        let priced = idx.entry(r).is_some_and(|e| !matches!(e.role, Role::Skip | Role::Link | Role::Existing));
        if let (true, Some(loc)) = (priced, r.location.as_str()) {
            let loc = normalize_region(loc);
            if loc != "global" && !loc.is_empty() {
                regions.entry(loc).or_default().push(&r.address);
            }
        }
    }
    if let Some(given) = given {
        let given = normalize_region(given);
        for (loc, addresses) in regions.iter().filter(|(l, _)| **l != given) {
            warnings.push(format!(
                "{} resource(s) in {loc} are priced at {given} prices (--region {given}): {}",
                addresses.len(),
                addresses.join(", ")
            ));
        }
        return Ok(given);
    }
    match regions.len() {
        1 => Ok(regions.into_keys().next().unwrap_or_default()),
        0 => Err(Diagnostic::new(&read.file, "no resource of the input says its location")
            .help("pass --region REGION (the region to price in; for a template, resourceGroup().location)")
            .into()),
        _ => {
            let list: Vec<String> = regions.iter().map(|(r, a)| format!("{r} ({} resource(s))", a.len())).collect();
            Err(Diagnostic::new(&read.file, format!("the input spans {} regions: {}", regions.len(), list.join(", ")))
                .help("closednet prices one region at a time: pass --region REGION to price every resource at that region's prices")
                .into())
        }
    }
}
