//! The choices a design leaves open, as axes of `--set` overrides: the network platform's keys,
//! and per declared service the tiers above the declared one that meet its needs.
//!
//! A platform key's options are all its values: whether the design needs egress, operator access
//! or an on-premises link is what `requirements:` says, and a sweep drops what no requirement
//! keeps. A service's options are the engine's own pick (the file as written) and every tier of a
//! higher rank that qualifies: a declared tier's rank is the architect's choice of capacity and
//! kind (an OpenAI deployment type, a Cosmos DB capacity mode), so tiers of the same rank are not
//! tried unless the engine picks one. A public edge (Front Door) has no axis: the engine chooses
//! its tier from its origins', and a higher tier changes nothing else.

use crate::architecture::set::Set;
use crate::architecture::{Access, Cicd, CicdAgents, ClosedNetwork, Ddos, Egress, Hub, OnPremises};
use crate::catalog::Catalog;
use crate::error::Error;
use crate::pipeline::Estimate;
use crate::rules::options::{Footprint, follows_callees, tier_options};

/// What an axis varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Hub,
    Egress,
    OperatorAccess,
    OnPremises,
    Ddos,
    CicdAgents,
    /// The tier of the declared service at this index.
    Tier(usize),
}

impl Kind {
    pub fn is_platform(self) -> bool {
        !matches!(self, Kind::Tier(_))
    }

    /// Copies the key this axis varies from `from` into `to`.
    pub fn apply(self, from: &ClosedNetwork, to: &mut ClosedNetwork) {
        match self {
            Kind::Hub => {
                to.hub = from.hub;
                to.hub_share = from.hub_share;
            }
            Kind::Egress => to.egress = from.egress,
            Kind::OperatorAccess => {
                to.operator_access = from.operator_access.clone();
                to.jumpbox = from.jumpbox.clone();
            }
            Kind::OnPremises => to.on_premises = from.on_premises,
            Kind::Ddos => to.ddos = from.ddos,
            Kind::CicdAgents => to.cicd_agents = from.cicd_agents,
            Kind::Tier(_) => {}
        }
    }
}

/// One value of an axis.
#[derive(Clone, Debug)]
pub(super) struct Opt {
    pub value: String,
    /// The overrides that give it (empty for the file's own value).
    pub sets: Vec<Set>,
    /// The file's own value (after `--set` and `--fix`).
    pub base: bool,
    /// For a tier: what it brings to the rest of the design, and whether it has an SLA.
    pub footprint: Option<Footprint>,
    pub sla: Option<bool>,
}

#[derive(Clone, Debug)]
pub(super) struct Axis {
    pub path: String,
    pub kind: Kind,
    pub options: Vec<Opt>,
    /// Named by `--vary`.
    pub explicit: bool,
}

fn set(path: &str, value: &str) -> Set {
    Set { path: path.to_string(), value: value.to_string() }
}

fn hub_word(h: Hub) -> &'static str {
    match h {
        Hub::New => "new",
        Hub::Existing => "existing",
    }
}

fn egress_word(e: Egress) -> &'static str {
    match e {
        Egress::None => "none",
        Egress::NatGateway => "nat-gateway",
        Egress::FirewallBasic => "firewall-basic",
        Egress::FirewallStandard => "firewall-standard",
        Egress::FirewallPremium => "firewall-premium",
    }
}

fn access_word(a: Access) -> &'static str {
    match a {
        Access::BastionDeveloper => "bastion-developer",
        Access::BastionBasic => "bastion-basic",
        Access::BastionStandard => "bastion-standard",
        Access::BastionPremium => "bastion-premium",
        Access::Jumpbox => "jumpbox",
    }
}

/// `none`, `bastion-premium` or `[bastion-premium,jumpbox]` (a YAML list without spaces, so that
/// the `--set` line stays one shell word).
fn access_value(list: &[Access]) -> String {
    match list {
        [] => "none".into(),
        [one] => access_word(*one).into(),
        many => format!("[{}]", many.iter().map(|a| access_word(*a)).collect::<Vec<_>>().join(",")),
    }
}

fn on_premises_word(o: OnPremises) -> &'static str {
    match o {
        OnPremises::None => "none",
        OnPremises::Vpn => "vpn",
        OnPremises::ExpressRoute => "expressroute",
    }
}

fn ddos_word(d: Ddos) -> &'static str {
    match d {
        Ddos::None => "none",
        Ddos::Network => "network",
        Ddos::Ip => "ip",
    }
}

fn agents_word(a: CicdAgents) -> &'static str {
    match a {
        CicdAgents::Vm => "vm",
        CicdAgents::ManagedDevopsPool => "managed-devops-pool",
        CicdAgents::GithubHostedPrivate => "github-hosted-private",
    }
}

/// An axis of plain values of one key: the file's value is `base`.
fn plain(path: &str, kind: Kind, values: &[&str], base: &str) -> Axis {
    let options = values
        .iter()
        .map(|v| Opt {
            value: v.to_string(),
            sets: if *v == base { Vec::new() } else { vec![set(path, v)] },
            base: *v == base,
            footprint: None,
            sla: None,
        })
        .collect();
    Axis { path: path.to_string(), kind, options, explicit: false }
}

fn hub(net: &ClosedNetwork) -> Axis {
    let mut axis = plain("closed_network.hub", Kind::Hub, &["new", "existing"], hub_word(net.hub));
    // hub_share belongs to an existing hub only.
    if net.hub_share.is_some()
        && let Some(new) = axis.options.iter_mut().find(|o| o.value == "new")
    {
        new.sets.push(set("closed_network.hub_share", ""));
    }
    axis
}

fn operator_access(net: &ClosedNetwork) -> Axis {
    let path = "closed_network.operator_access";
    let bastions = [Access::BastionDeveloper, Access::BastionBasic, Access::BastionStandard, Access::BastionPremium];
    let mut lists: Vec<Vec<Access>> = vec![Vec::new(), vec![Access::Jumpbox]];
    for b in bastions {
        lists.push(vec![b]);
        lists.push(vec![b, Access::Jumpbox]);
    }
    let had_jumpbox = net.operator_access.contains(&Access::Jumpbox);
    let options = lists
        .into_iter()
        .map(|list| {
            let base = list == net.operator_access;
            let mut sets = Vec::new();
            if !base {
                sets.push(set(path, &access_value(&list)));
                // Jump box settings without a jump box are an error: they go with it.
                if had_jumpbox && !list.contains(&Access::Jumpbox) {
                    sets.push(set("closed_network.jumpbox", ""));
                }
            }
            Opt { value: access_value(&list), sets, base, footprint: None, sla: None }
        })
        .collect();
    Axis { path: path.to_string(), kind: Kind::OperatorAccess, options, explicit: false }
}

/// The declared service's tier axis: the engine's pick in the file as written, and every tier of
/// a higher rank that meets its needs. `None` for an edge or a service no tier closes.
fn tier(base: &Estimate, catalog: &Catalog, i: usize) -> Result<Option<Axis>, Error> {
    let arch = &base.architecture;
    let svc = &arch.services[i];
    if follows_callees(svc, catalog) {
        return Ok(None);
    }
    let Some(def) = catalog.service(&svc.type_id) else { return Ok(None) };
    let declared = crate::rules::declared_tier(svc, def);
    let chosen = base.closed.services.get(i).map(|s| s.tier).unwrap_or_default();
    let found = tier_options(arch, svc, catalog, base.snapshot)?;
    let Some(engine) = found.iter().find(|o| o.tier.id == chosen) else { return Ok(None) };
    let path = format!("services.{}.tier", svc.name);
    let mut options = vec![Opt {
        value: chosen.to_string(),
        sets: Vec::new(),
        base: true,
        footprint: Some(engine.footprint.clone()),
        sla: engine.sla,
    }];
    for o in found.iter().filter(|o| o.tier.rank > declared.rank && o.tier.id != chosen) {
        options.push(Opt {
            value: o.tier.id.clone(),
            sets: vec![set(&path, &o.tier.id)],
            base: false,
            footprint: Some(o.footprint.clone()),
            sla: o.sla,
        });
    }
    Ok(Some(Axis { path, kind: Kind::Tier(i), options, explicit: false }))
}

/// `services[2].tier` -> `services.2.tier`.
fn normalize(path: &str) -> String {
    path.trim().replace('[', ".").replace(']', "")
}

/// Every axis of the design (as `base` prices it), restricted to `vary` when given and without the
/// keys `fix` pins.
pub(super) fn axes(base: &Estimate, catalog: &Catalog, vary: &[String], fix: &[Set]) -> Result<Vec<Axis>, Error> {
    let arch = &base.architecture;
    let net = &arch.closed;
    let mut all = vec![
        hub(net),
        plain(
            "closed_network.egress",
            Kind::Egress,
            &["none", "nat-gateway", "firewall-basic", "firewall-standard", "firewall-premium"],
            egress_word(net.egress),
        ),
        operator_access(net),
        plain(
            "closed_network.on_premises",
            Kind::OnPremises,
            &["none", "vpn", "expressroute"],
            on_premises_word(net.on_premises),
        ),
        plain("closed_network.ddos", Kind::Ddos, &["none", "network", "ip"], ddos_word(net.ddos)),
    ];
    let agents: &[&str] = match net.cicd {
        Cicd::None => &[],
        Cicd::AzureDevops => &["vm", "managed-devops-pool"],
        Cicd::Github => &["vm", "github-hosted-private"],
    };
    if !agents.is_empty() {
        all.push(plain("closed_network.cicd_agents", Kind::CicdAgents, agents, agents_word(net.cicd_agents)));
    }
    for i in 0..arch.services.len() {
        all.extend(tier(base, catalog, i)?);
    }
    // A path as the user may write it: by name or by index.
    let aliases = |a: &Axis| -> Vec<String> {
        match a.kind {
            Kind::Tier(i) => vec![a.path.clone(), format!("services.{i}.tier")],
            _ => vec![a.path.clone()],
        }
    };
    if !vary.is_empty() {
        let known: Vec<String> = all.iter().map(|a| a.path.clone()).collect();
        for v in vary {
            let p = normalize(v);
            if !all.iter().any(|a| aliases(a).contains(&p)) {
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                return Err(crate::error::Error::msg(format!(
                    "--vary {v}: not an axis of {}; {}",
                    arch.file,
                    crate::suggest::help(&p, &names)
                )));
            }
        }
        let wanted: Vec<String> = vary.iter().map(|v| normalize(v)).collect();
        all.retain(|a| aliases(a).iter().any(|p| wanted.contains(p)));
        for a in &mut all {
            a.explicit = true;
        }
    }
    let pinned: Vec<String> = fix.iter().map(|s| normalize(&s.path)).collect();
    all.retain(|a| !aliases(a).iter().any(|p| pinned.contains(p)));
    // A service whose only option is the engine's pick has nothing to vary.
    all.retain(|a| a.kind.is_platform() || a.options.len() > 1);
    Ok(all)
}
