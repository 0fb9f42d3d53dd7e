//! What points at what in one input, computed once: each resource's mapping entry, the private
//! endpoints of each target, the children of each container, the apps of each plan, the public IPs
//! of each network interface, a SQL server's firewall rules, separate storage network rules, and
//! the calls that role assignments, shared private links and Front Door origins imply.

use crate::iac::mapping::{Entry, Mapping, Role, first, text};
use crate::iac::model::{Attr, Read, Resource};
use std::collections::HashMap;

/// A private endpoint (or a search service's shared private link) and the sub-resource it reaches.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub address: String,
    pub group: Option<String>,
    pub shared: bool,
}

pub struct Index<'r> {
    pub read: &'r Read,
    entries: Vec<Option<&'static Entry>>,
    by_address: HashMap<&'r str, usize>,
    /// Target address -> the endpoints that reach it.
    pub endpoints: HashMap<String, Vec<Endpoint>>,
    /// Endpoints whose target the input does not show (an existing resource, an unresolved id).
    pub unlinked_endpoints: Vec<String>,
    /// Container address -> its children (indices into `read.resources`).
    pub children: HashMap<String, Vec<usize>>,
    /// Plan address -> the apps on it.
    pub sites: HashMap<String, Vec<usize>>,
    /// Network interface address -> the public IPs on it.
    pub nic_ips: HashMap<String, Vec<String>>,
    /// Public IPs a priced service carries itself (an Application Gateway's frontend).
    pub service_ips: Vec<String>,
    /// SQL server address -> (firewall rule address, start address).
    pub firewall_rules: HashMap<String, Vec<(String, String)>>,
    /// Storage account address -> (network rules resource, its default action).
    pub acl_rules: HashMap<String, (String, Attr)>,
    /// (caller, callee) addresses.
    pub calls: Vec<(String, String)>,
}

impl<'r> Index<'r> {
    pub fn new(read: &'r Read, mapping: &'static Mapping) -> Index<'r> {
        let entries: Vec<Option<&'static Entry>> =
            read.resources.iter().map(|r| mapping.entry(&r.type_name, r.existing)).collect();
        let by_address = read.resources.iter().enumerate().map(|(i, r)| (r.address.as_str(), i)).collect();
        let mut idx = Index {
            read,
            entries,
            by_address,
            endpoints: HashMap::new(),
            unlinked_endpoints: Vec::new(),
            children: HashMap::new(),
            sites: HashMap::new(),
            nic_ips: HashMap::new(),
            service_ips: Vec::new(),
            firewall_rules: HashMap::new(),
            acl_rules: HashMap::new(),
            calls: Vec::new(),
        };
        let parents = arm_parents(read);
        for (i, r) in read.resources.iter().enumerate() {
            if let Some(e) = idx.entries[i] {
                idx.link(i, r, e, &parents);
            }
        }
        idx
    }

    /// The mapping entry of a resource of this input.
    pub fn entry(&self, r: &Resource) -> Option<&'static Entry> {
        self.by_address.get(r.address.as_str()).and_then(|&i| self.entries[i])
    }

    pub fn resource(&self, address: &str) -> Option<&'r Resource> {
        self.by_address.get(address).map(|&i| &self.read.resources[i])
    }

    /// Every resource with its entry, in input order.
    pub fn mapped(&self) -> impl Iterator<Item = (&'r Resource, &'static Entry)> + '_ {
        self.read.resources.iter().zip(&self.entries).filter_map(|(r, e)| e.map(|e| (r, e)))
    }

    /// The resource one of `paths` points to: a resolved reference, else (ARM children) the parent
    /// by type and name.
    fn target(&self, r: &Resource, paths: &[String]) -> Option<String> {
        paths.iter().find_map(|p| r.reference(p).map(str::to_string))
    }

    fn link(&mut self, i: usize, r: &Resource, e: &Entry, parents: &HashMap<String, String>) {
        match (e.role, e.plumbing.as_deref()) {
            (Role::Plumbing, Some("private-endpoint" | "shared-private-link")) => {
                let group = first(r, &e.group).and_then(|(_, a)| a.as_str()).map(str::to_string);
                let shared = e.plumbing.as_deref() == Some("shared-private-link");
                let endpoint = Endpoint { address: r.address.clone(), group, shared };
                match self.target(r, &e.target) {
                    Some(t) => self.endpoints.entry(t.clone()).or_default().push(endpoint),
                    None => self.unlinked_endpoints.push(r.address.clone()),
                }
                if shared {
                    let from = self.target(r, &e.from).or_else(|| parents.get(&r.address).cloned());
                    if let (Some(from), Some(to)) = (from, self.target(r, &e.target)) {
                        self.calls.push((from, to));
                    }
                }
            }
            (Role::Plumbing, Some("nic")) => {
                let ips = e.public_ip.iter().filter_map(|p| r.reference(p)).map(str::to_string).collect();
                self.nic_ips.insert(r.address.clone(), ips);
            }
            (Role::Plumbing, Some("sql-firewall-rule")) => {
                let start = first(r, &e.start_ip).and_then(|(_, a)| text(a)).unwrap_or_default();
                if let Some(server) = self.target(r, &e.from).or_else(|| parents.get(&r.address).cloned()) {
                    self.firewall_rules.entry(server).or_default().push((r.address.clone(), start));
                }
            }
            (Role::Plumbing, Some("storage-network-rules")) => {
                if let (Some(account), Some((_, a))) = (self.target(r, &e.from), first(r, &e.acl)) {
                    self.acl_rules.insert(account, (r.address.clone(), a.clone()));
                }
            }
            (Role::Child, _) => {
                if let Some(p) = self.target(r, &e.parent).or_else(|| parents.get(&r.address).cloned()) {
                    self.children.entry(p).or_default().push(i);
                }
            }
            (Role::Site, _) => {
                if let Some(plan) = self.target(r, &e.plan) {
                    self.sites.entry(plan).or_default().push(i);
                }
            }
            (Role::Link, _) => self.link_call(r, e, parents),
            (Role::Edge | Role::Service, _) if !e.public_ip.is_empty() => {
                self.service_ips.extend(e.public_ip.iter().filter_map(|p| r.reference(p)).map(str::to_string));
            }
            _ => {}
        }
    }

    /// Role assignments (principal -> scope) and Front Door origins (profile -> target) as calls.
    fn link_call(&mut self, r: &Resource, e: &Entry, parents: &HashMap<String, String>) {
        if e.to.is_empty() {
            return;
        }
        let mut from = self.target(r, &e.from).or_else(|| parents.get(&r.address).cloned());
        // An origin names its group; the group names the profile.
        if let Some(group) = from.as_deref().and_then(|f| self.resource(f)) {
            let up = self.entry(group).filter(|g| g.role == Role::Link && g.to.is_empty());
            if let Some(g) = up {
                from = self.target(group, &g.from).or_else(|| parents.get(&group.address).cloned()).or(from);
            }
        }
        if let (Some(from), Some(to)) = (from, self.target(r, &e.to)) {
            self.calls.push((from, to));
        }
    }
}

/// A template's child resources (type `A/b/c`, name `x/y`) -> the parent's address (type `A/b`,
/// name `x`), when the template declares the parent.
fn arm_parents(read: &Read) -> HashMap<String, String> {
    let mut by_type_name: HashMap<(String, String), &str> = HashMap::new();
    for r in &read.resources {
        by_type_name.insert((r.type_name.to_ascii_lowercase(), r.name.to_ascii_lowercase()), &r.address);
    }
    let mut out = HashMap::new();
    for r in &read.resources {
        let (Some((ptype, _)), Some((pname, _))) = (r.type_name.rsplit_once('/'), r.name.rsplit_once('/')) else {
            continue;
        };
        if !ptype.contains('/') {
            continue;
        }
        if let Some(p) = by_type_name.get(&(ptype.to_ascii_lowercase(), pname.to_ascii_lowercase())) {
            out.insert(r.address.clone(), p.to_string());
        }
    }
    out
}
