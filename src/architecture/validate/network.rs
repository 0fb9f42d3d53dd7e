//! `closed_network`: what "closed" must mean for this organisation and what it already owns.

use super::Checker;
use crate::architecture::yaml::{Loc, Located, loc};
use crate::architecture::yaml::{RawClosedNetwork, RawJumpbox, RawLicences};
use crate::architecture::{
    Access, Cicd, CicdAgents, ClosedNetwork, ConditionalAccess, Ddos, Egress, Hub, Jumpbox, OnPremises, PLATFORM_USAGE,
};
use crate::catalog::Catalog;
use crate::suggest;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub(super) fn closed_network(
    c: &mut Checker,
    raw: Option<&Located<RawClosedNetwork>>,
    catalog: &Catalog,
    users: Option<Decimal>,
) -> ClosedNetwork {
    let default = RawClosedNetwork::default();
    let (r, at) = match raw {
        Some(s) => (&s.value, loc(s)),
        None => (&default, Loc::default()),
    };
    let conditional_access = match pick(c, &r.conditional_access, "conditional_access", &["none", "ip", "risk"], "none")
    {
        "ip" => ConditionalAccess::Ip,
        "risk" => ConditionalAccess::Risk,
        _ => ConditionalAccess::None,
    };
    let on_premises = match pick(c, &r.on_premises, "on_premises", &["none", "vpn", "expressroute"], "none") {
        "vpn" => OnPremises::Vpn,
        "expressroute" => OnPremises::ExpressRoute,
        _ => OnPremises::None,
    };
    let (cicd, cicd_agents) = ci(c, r);
    let operator_access = operator_access(c, r);
    let jumpbox = jumpbox(c, r.jumpbox.as_ref(), catalog, operator_access.contains(&Access::Jumpbox));
    let production = pick(c, &r.sla, "sla", &["none", "production"], "none") == "production";
    let build_agents = match &r.build_agents {
        Some(b) => c.count(b, "closed_network.build_agents", 1).unwrap_or(Decimal::ONE),
        None => Decimal::ONE,
    };
    let (hub, hub_share) = hub(c, r);
    let egress_choices = ["none", "nat-gateway", "firewall-basic", "firewall-standard", "firewall-premium"];
    let egress = match pick(c, &r.egress, "egress", &egress_choices, "none") {
        "nat-gateway" => Egress::NatGateway,
        "firewall-basic" => Egress::FirewallBasic,
        "firewall-standard" => Egress::FirewallStandard,
        "firewall-premium" => Egress::FirewallPremium,
        _ => Egress::None,
    };
    let ddos = match pick(c, &r.ddos, "ddos", &["none", "network", "ip"], "none") {
        "network" => Ddos::Network,
        "ip" => Ddos::Ip,
        _ => Ddos::None,
    };
    let licensed_users = licences(c, r.licences.as_ref(), users);
    ci_minutes(c, r, cicd_agents);
    let usage = usage(c, r);
    let bastion = operator_access.iter().any(|a| *a != Access::Jumpbox);
    let counts = super::counts::counts(c, r, egress != Egress::None, bastion, on_premises != OnPremises::None);
    ClosedNetwork {
        conditional_access,
        on_premises,
        cicd,
        cicd_agents,
        operator_access,
        jumpbox,
        production,
        build_agents,
        hub,
        hub_share,
        egress,
        ddos,
        counts,
        licensed_users,
        usage,
        loc: at,
    }
}

/// The value of `closed_network.KEY`, one of `choices`, else `default` (given or not valid).
fn pick(
    c: &mut Checker,
    v: &Option<Located<String>>,
    key: &str,
    choices: &[&'static str],
    default: &'static str,
) -> &'static str {
    v.as_ref().and_then(|v| c.choice(v, format!("closed_network.{key}"), choices)).unwrap_or(default)
}

/// The CI system (`cicd`) and where its agents run (`cicd_agents`), which must fit each other.
fn ci(c: &mut Checker, r: &RawClosedNetwork) -> (Cicd, CicdAgents) {
    // Other CI systems are not a typo of a supported one: say so rather than suggest one.
    let other_ci = ["gitlab", "jenkins", "circleci", "bitbucket", "teamcity", "buildkite"];
    if let Some(v) = r.cicd.as_ref().filter(|v| other_ci.contains(&v.value.trim().to_ascii_lowercase().as_str())) {
        c.error(loc(v), "closed_network.cicd", format!("{} is not supported", v.value.trim())).help = Some(
            "closednet prices Azure DevOps (azure-devops) and GitHub (github) agents; for another CI system use \
             `cicd: none` and price its runners with `prices:` or your own services"
                .into(),
        );
    }
    let cicd_raw = r.cicd.as_ref().filter(|v| !other_ci.contains(&v.value.trim().to_ascii_lowercase().as_str()));
    let cicd = match cicd_raw
        .and_then(|v| c.choice(v, "closed_network.cicd", &["none", "azure-devops", "github"]))
        .unwrap_or("none")
    {
        "azure-devops" => Cicd::AzureDevops,
        "github" => Cicd::Github,
        _ => Cicd::None,
    };
    let agents_choices = ["vm", "managed-devops-pool", "github-hosted-private"];
    let cicd_agents = match pick(c, &r.cicd_agents, "cicd_agents", &agents_choices, "vm") {
        "managed-devops-pool" => CicdAgents::ManagedDevopsPool,
        "github-hosted-private" => CicdAgents::GithubHostedPrivate,
        _ => CicdAgents::Vm,
    };
    if let Some(v) = &r.cicd_agents {
        let (needs, fits) = match cicd_agents {
            CicdAgents::ManagedDevopsPool => ("azure-devops", cicd == Cicd::AzureDevops),
            CicdAgents::GithubHostedPrivate => ("github", cicd == Cicd::Github),
            CicdAgents::Vm => ("azure-devops or github", cicd != Cicd::None),
        };
        if !fits {
            c.error(
                loc(v),
                "closed_network.cicd_agents",
                format!("cicd_agents: {} needs `cicd: {needs}`", v.value.trim()),
            )
            .help =
                Some("Managed DevOps Pools run Azure DevOps agents; GitHub-hosted runners run GitHub Actions".into());
        }
    }
    (cicd, cicd_agents)
}

/// How operators reach the private network: `none`, one Bastion tier, a jump box, or both.
fn operator_access(c: &mut Checker, r: &RawClosedNetwork) -> Vec<Access> {
    let mut operator_access = Vec::new();
    let Some(v) = &r.operator_access else { return operator_access };
    let words =
        ["none", "bastion", "bastion-developer", "bastion-basic", "bastion-standard", "bastion-premium", "jumpbox"];
    let words_given = &v.value.0;
    if words_given.len() > 1 && words_given.iter().any(|w| w.trim().eq_ignore_ascii_case("none")) {
        c.error(loc(v), "closed_network.operator_access", "`none` cannot be listed with other operator access").help =
            Some("write `none` alone, or list only what operators use".into());
    }
    for word in words_given {
        let located = Located { value: word.clone(), loc: v.loc };
        let access = match c.choice(&located, "closed_network.operator_access", &words) {
            Some("bastion" | "bastion-basic") => Access::BastionBasic,
            Some("bastion-developer") => Access::BastionDeveloper,
            Some("bastion-standard") => Access::BastionStandard,
            Some("bastion-premium") => Access::BastionPremium,
            Some("jumpbox") => Access::Jumpbox,
            _ => continue,
        };
        operator_access.push(access);
    }
    operator_access.sort();
    operator_access.dedup();
    let bastions = operator_access.iter().filter(|a| **a != Access::Jumpbox).count();
    if bastions > 1 {
        c.error(loc(v), "closed_network.operator_access", "a network has one Bastion: name one bastion tier").help =
            Some("keep one of bastion-developer, bastion-basic, bastion-standard, bastion-premium".into());
    }
    operator_access
}

/// A new hub or an existing one, and the existing hub's charge-back (`hub_share`).
fn hub(c: &mut Checker, r: &RawClosedNetwork) -> (Hub, Option<Decimal>) {
    let hub = match pick(c, &r.hub, "hub", &["new", "existing"], "new") {
        "existing" => Hub::Existing,
        _ => Hub::New,
    };
    let hub_share = r.hub_share.as_ref().and_then(|v| {
        let amount = c.quantity(v, "closed_network.hub_share")?;
        if hub != Hub::Existing {
            c.error(loc(v), "closed_network.hub_share", "hub_share is the charge-back of an existing hub").help =
                Some("add `hub: existing`, or remove hub_share".into());
        }
        Some(amount)
    });
    (hub, hub_share)
}

/// GitHub-hosted runners are billed per minute: the file must give `usage.ci_minutes`.
fn ci_minutes(c: &mut Checker, r: &RawClosedNetwork, cicd_agents: CicdAgents) {
    if let (CicdAgents::GithubHostedPrivate, None, Some(v)) =
        (cicd_agents, r.usage.as_ref().and_then(|u| u.get("ci_minutes")), &r.cicd_agents)
    {
        c.error(
            loc(v),
            "closed_network.cicd_agents",
            "GitHub bills hosted runners per minute, and the file gives no minutes",
        )
        .help = Some("add `usage: { ci_minutes: N }` under closed_network (minutes a month)".into());
    }
}

/// `closed_network.usage`: quantities of the platform's own usage keys.
fn usage(c: &mut Checker, r: &RawClosedNetwork) -> BTreeMap<String, Decimal> {
    let mut usage = BTreeMap::new();
    for (key, value) in r.usage.iter().flatten() {
        let path = format!("closed_network.usage.{key}");
        if !PLATFORM_USAGE.contains(&key.as_str()) {
            c.error(loc(value), &path, format!("closed_network has no usage \"{key}\"")).help =
                Some(suggest::help(key, &PLATFORM_USAGE));
        } else if let Some(q) = c.quantity(value, &path) {
            usage.insert(key.clone(), q);
        }
    }
    usage
}

/// Users who already hold Entra ID P1/P2: all (`entra: owned`), some (`licensed_users: N`) or none.
fn licences(c: &mut Checker, raw: Option<&Located<RawLicences>>, users: Option<Decimal>) -> Decimal {
    let Some(raw) = raw else { return Decimal::ZERO };
    let l = &raw.value;
    let owned = l.entra.as_ref().and_then(|e| c.choice(e, "closed_network.licences.entra", &["buy", "owned"]));
    let count = l.licensed_users.as_ref().and_then(|n| c.count(n, "closed_network.licences.licensed_users", 0));
    match (owned, count, l.licensed_users.as_ref()) {
        (Some(_), Some(_), Some(n)) => {
            c.error(
                loc(n),
                "closed_network.licences.licensed_users",
                "give `entra: owned` or `licensed_users`, not both",
            )
            .help = Some("`entra: owned` means every user already holds the licence".into());
            Decimal::ZERO
        }
        (Some("owned"), _, _) => users.unwrap_or(Decimal::ZERO),
        (_, Some(n), Some(at)) => match users {
            Some(u) if n > u => {
                c.error(
                    loc(at),
                    "closed_network.licences.licensed_users",
                    format!("{n} licensed users, but `users` is {u}"),
                )
                .help = Some("licensed_users counts the users who already hold Entra ID P1/P2".into());
                Decimal::ZERO
            }
            _ => n,
        },
        _ => Decimal::ZERO,
    }
}

/// The jump box: a virtual-machine size and a managed-disk tier from the catalog, and its OS.
fn jumpbox(c: &mut Checker, raw: Option<&Located<RawJumpbox>>, catalog: &Catalog, used: bool) -> Jumpbox {
    let default = RawJumpbox::default();
    let r = raw.map_or(&default, |r| &r.value);
    if let (Some(raw), false) = (raw, used) {
        c.error(loc(raw), "closed_network.jumpbox", "jumpbox settings, but operator_access has no jumpbox").help =
            Some("add jumpbox to operator_access, or remove the jumpbox settings".into());
    }
    let os =
        r.os.as_ref()
            .and_then(|o| c.choice(o, "closed_network.jumpbox.os", &["linux", "windows"]))
            .unwrap_or("windows");
    let tier_of = |c: &mut Checker, value: &Option<Located<String>>, type_id: &str, key: &str, default: &str| {
        let Some(v) = value else { return default.to_string() };
        let Some(def) = catalog.service(type_id) else { return default.to_string() };
        match def.tier(&v.value) {
            Some(t) => t.id.clone(),
            None => {
                let ids: Vec<&str> = def.tiers().map(|t| t.id.as_str()).collect();
                c.error(
                    loc(v),
                    format!("closed_network.jumpbox.{key}"),
                    format!("unknown {type_id} tier \"{}\"", v.value.trim()),
                )
                .help = Some(suggest::help(v.value.trim(), &ids));
                default.to_string()
            }
        }
    };
    let size = tier_of(c, &r.size, "virtual-machine", "size", "d2s-v5");
    let default_disk = if os == "windows" { "premium-ssd-p10" } else { "premium-ssd-p4" };
    let disk = tier_of(c, &r.disk, "managed-disk", "disk", default_disk);
    Jumpbox { size, os: os.to_string(), disk }
}
