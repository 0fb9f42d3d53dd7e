//! Findings: facts about the design the architect must know, each citing a registered rule.

use super::{Design, Need, declared_tier};
use crate::architecture::{
    Access, Architecture, Cicd, CicdAgents, ConditionalAccess, Egress, Hub, Loc, OnPremises, Service, Skillset,
};
use crate::calculator::Source;
use crate::catalog::Catalog;
use crate::catalog::definitions::{CapabilityKind, ServiceDef};
use crate::registry::{RuleId, Severity};
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: RuleId,
    pub slug: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Path in the architecture file, e.g. `services[2]`.
    pub path: Option<String>,
    pub loc: Option<Loc>,
    pub doc: &'static str,
}

pub(super) fn finding(id: RuleId, message: String, path: Option<String>, loc: Option<Loc>) -> Finding {
    let r = id.rule();
    Finding { rule: id, slug: r.slug, severity: r.severity, message, path, loc, doc: r.doc }
}

/// A finding about a declared service, at its entry in the file.
fn about(id: RuleId, message: String, svc: &Service) -> Finding {
    finding(id, message, Some(svc.path()), Some(svc.loc))
}

/// A finding about a service's tier, at its `tier:` when the file gives one.
fn about_tier(id: RuleId, message: String, svc: &Service) -> Finding {
    finding(id, message, Some(svc.path()), svc.tier_loc.or(Some(svc.loc)))
}

/// Every finding for an architecture and its two priced designs, ordered by rule id, then place.
pub fn findings(arch: &Architecture, catalog: &Catalog, rbac: &Design, closed: &Design, date: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    // Who calls whom, computed once: a large file must not make this quadratic.
    let mut callers: HashMap<&str, Vec<&str>> = HashMap::new();
    for s in arch.services.iter().filter(|s| !def_global(catalog, &s.type_id)) {
        for c in &s.calls {
            callers.entry(c.as_str()).or_default().push(s.name.as_str());
        }
    }
    // A finding names its service's path (`services[3]`), written out only then: most have none.
    for svc in &arch.services {
        let Some(def) = catalog.service(&svc.type_id) else { continue };
        let callers = callers.get(svc.name.as_str()).map(Vec::as_slice).unwrap_or_default();
        let scope = Scope { arch, catalog, closed, date };
        service_findings(&scope, svc, def, callers, &mut out);
        search_findings(&scope, svc, def, &mut out);
        unreachable_findings(&scope, svc, def, &mut out);
    }
    out.extend(super::previews::findings(arch, catalog, closed, date));
    platform_findings(arch, closed, &mut out);
    design_findings(arch, rbac, closed, &mut out);
    out.extend(super::constraints::findings(arch, closed, catalog));
    out.sort_by(|a, b| (a.rule, a.loc.map(|l| (l.line, l.column))).cmp(&(b.rule, b.loc.map(|l| (l.line, l.column)))));
    out
}

/// What the findings of one service are judged against.
struct Scope<'a> {
    arch: &'a Architecture,
    catalog: &'a Catalog,
    closed: &'a Design<'a>,
    date: &'a str,
}

/// What is true of one declared service: its callers (CN001), runtime (CN003), SLA (CN006), plan
/// (CN009), edge origins (CN014) and public callees (CN010).
fn service_findings(scope: &Scope, svc: &Service, def: &ServiceDef, callers: &[&str], out: &mut Vec<Finding>) {
    let Scope { arch, catalog, closed, date } = *scope;
    // Storage called by a service in the same region (every service shares the file's region).
    if def.ip_rules_same_region && !callers.is_empty() {
        // True of the RBAC-only design; the closed design reaches a private account through its
        // private endpoints, where IP rules do not apply.
        let designs = if svc.public { "in both designs" } else { "in the RBAC-only design" };
        out.push(about(
            RuleId::CN001,
            format!(
                "{designs}, {} is called from the same region by {}: storage IP rules cannot restrict those callers; use private endpoints or VNet rules",
                svc.name,
                callers.join(", ")
            ),
            svc,
        ));
    }

    if svc.runtime.as_deref() == Some("python") {
        out.push(about(
            RuleId::CN003,
            format!("{} runs Python, which runs only on Linux: only Linux plans are candidates", svc.name),
            svc,
        ));
    }
    let declared = declared_tier(svc, def);
    if arch.closed.production && declared.sla == Some(false) {
        out.push(about_tier(
            RuleId::CN006,
            format!(
                "{} declares {} tier {}, which has no SLA, in a production design",
                svc.name, def.type_id, declared.id
            ),
            svc,
        ));
    }
    let retiring = declared.retires.as_ref().filter(|r| r.os.is_none() || r.os == svc.os);
    if let Some(r) = retiring {
        out.push(about_tier(
            RuleId::CN009,
            format!(
                "{} is on the {} plan, which retires on {}; {} replaces it",
                svc.name, r.plan, r.date, r.replacement
            ),
            svc,
        ));
    }
    if svc.public && def.outbound_via.contains(&CapabilityKind::PrivateLinkOrigin) {
        let injected = super::implied::injected(closed);
        let (_, unlinked) = super::private_link_origins(arch, svc, catalog, date, &injected);
        for origin in unlinked {
            out.push(about(
                RuleId::CN014,
                format!(
                    "{}: the closed design puts an internet-facing Application Gateway in front of it",
                    super::unlinked_reason(svc, origin, catalog, &injected, date)
                ),
                svc,
            ));
        }
    }
    if !svc.public {
        for target in svc.calls.iter().filter_map(|c| arch.service(c)).filter(|t| t.public) {
            out.push(about(
                RuleId::CN010,
                format!(
                    "{} is private but calls {}, which stays public: that call leaves the closed network",
                    svc.name, target.name
                ),
                svc,
            ));
        }
    }
}

/// AI Search: custom skill timeouts and hosts (CN002), the limits of private indexers (CN015) and
/// the replicas its SLA needs (CN016).
fn search_findings(scope: &Scope, svc: &Service, def: &ServiceDef, out: &mut Vec<Finding>) {
    let Scope { arch, catalog, .. } = *scope;
    if let Some(t) = svc.custom_skill_timeout.filter(|t| *t > Decimal::from(230)) {
        out.push(about(
            RuleId::CN002,
            format!(
                "{} sets custom_skill_timeout {t} s: custom Web API skills time out at 230 s at most (PT230S)",
                svc.name
            ),
            svc,
        ));
    }
    if svc.skillset != Skillset::None {
        let hosts = svc.calls.iter().filter_map(|c| arch.service(c));
        for host in hosts.filter(|h| catalog.service(&h.type_id).is_some_and(|d| d.custom_skill_host)) {
            out.push(finding(
                RuleId::CN002,
                format!(
                    "{} may host a custom skill of {}: an HTTP-triggered function answers within 230 s at most, or the indexer run fails",
                    host.name, svc.name
                ),
                Some(host.path()),
                Some(host.loc),
            ));
        }
    }
    if let Some(message) = indexer_limits(scope, svc, def) {
        out.push(about(RuleId::CN015, message, svc));
    }
    if let (true, Some(sla)) = (arch.closed.production, &def.sla_replicas) {
        let replicas = svc.capacity.get("replicas").copied().unwrap_or(Decimal::ONE);
        let indexing = !svc.calls.is_empty();
        let needed = if indexing { sla.read_write } else { sla.read };
        if replicas < Decimal::from(needed) {
            let what = if indexing { "queries and indexing" } else { "queries" };
            out.push(about(RuleId::CN016,
                format!(
                    "{} has {replicas} replica(s): its SLA for {what} needs {needed} ({}, {}), and closed_network.sla is production",
                    svc.name, sla.doc, sla.as_of
                ), svc));
        }
    }
}

/// CN015: the limits of an indexer with a skillset that runs privately at the date (the number of
/// embedding skills on every tier; Foundry resources on Basic), or `None` when none applies.
fn indexer_limits(scope: &Scope, svc: &Service, def: &ServiceDef) -> Option<String> {
    let Scope { arch, closed, date, .. } = *scope;
    let limit = def.embedding_limit.as_ref()?;
    let private = super::needs::reachable_callees(arch, svc, def, date).next().is_some();
    if svc.skillset == Skillset::None || !private {
        return None;
    }
    let tier = closed.services.iter().find(|s| s.name == svc.name).map_or("", |s| s.tier);
    let mut limits = Vec::new();
    if date >= limit.since.as_str() {
        limits.push(format!(
            "an indexer with more than {} Azure OpenAI Embedding or Azure Vision multimodal embeddings skills cannot run in the private environment, on every tier ({}, {}; from {})",
            limit.skills, limit.doc, limit.as_of, limit.since
        ));
    }
    if limit.no_foundry.iter().any(|t| t == tier) {
        limits.push(format!(
            "on {tier} a shared private link cannot reach a Microsoft Foundry resource ({}, {})",
            limit.foundry_doc, limit.foundry_as_of
        ));
    }
    if limits.is_empty() {
        return None;
    }
    let lead = match svc.skillset {
        Skillset::Embedding => "runs an embedding-only skillset privately (from Basic)",
        _ => "runs a skillset privately",
    };
    Some(format!("{} {lead}: {}", svc.name, limits.join("; and ")))
}

/// CN017: the private services an AI Search service calls that no shared private link reaches at
/// the date. The closed design prices no link for them and that call is not private.
fn unreachable_findings(scope: &Scope, svc: &Service, def: &ServiceDef, out: &mut Vec<Finding>) {
    let Scope { arch, date, .. } = *scope;
    let reachable: Vec<String> = def
        .shared_private_link_targets
        .iter()
        .filter_map(|t| {
            let status = t.status(date)?;
            let preview = if status.is_preview() { ", preview" } else { "" };
            let scope = t.scope.as_ref().map(|s| format!(", {s}")).unwrap_or_default();
            Some(format!("{} ({}{preview}{scope})", t.type_id, t.groups.join("/")))
        })
        .collect();
    for target in super::needs::unreachable_callees(arch, svc, def, date) {
        out.push(about(RuleId::CN017,
            format!(
                "{} calls {} ({}), which no shared private link reaches on {date}: that call cannot be made privately, and the closed design prices no link for it nor counts that path as closed. A shared private link reaches {}: host the call on one of those (a custom skill on Functions or App Service, Azure OpenAI directly), or leave {} reachable from the search service's public address",
                svc.name,
                target.name,
                target.type_id,
                reachable.join(", "),
                target.name
            ), svc));
    }
}

/// What is true of the network platform: hosted agents (CN004), licences (CN005), uninspected
/// egress (CN012), Bastion Developer with a hub (CN013).
fn platform_findings(arch: &Architecture, closed: &Design, out: &mut Vec<Finding>) {
    let net = &arch.closed;
    let cicd = match (net.cicd, net.cicd_agents) {
        (Cicd::None, _) => None,
        (Cicd::AzureDevops, CicdAgents::ManagedDevopsPool) => Some(
            "Microsoft-hosted Azure DevOps agents cannot reach private endpoints; the closed design runs the agents in a Managed DevOps Pool injected into your VNet",
        ),
        (Cicd::AzureDevops, _) => Some(
            "Microsoft-hosted Azure DevOps agents cannot reach private endpoints; the closed design adds self-hosted agents on VMs inside the network",
        ),
        (Cicd::Github, CicdAgents::GithubHostedPrivate) => Some(
            "GitHub-hosted runners reach private endpoints only through Azure private networking (GitHub Team or Enterprise Cloud, larger runners, a supported Azure region): the closed design uses that and prices the runner minutes",
        ),
        (Cicd::Github, _) => Some(
            "standard GitHub-hosted runners cannot reach private endpoints; the closed design adds self-hosted runners on VMs inside the network (or set cicd_agents: github-hosted-private for larger runners with Azure private networking)",
        ),
    };
    if let Some(message) = cicd {
        out.push(finding(RuleId::CN004, message.to_string(), Some("closed_network.cicd".into()), Some(net.loc)));
    }
    // Private outbound access with nothing controlling the way out.
    let outbound = closed.decisions.iter().any(|d| {
        d.evidence.iter().any(|e| {
            e.need == Need::PrivateOutbound
                && matches!(e.capability, CapabilityKind::VnetIntegration | CapabilityKind::VnetInjection)
        })
    }) || closed.added.iter().any(|a| a.type_id == "virtual-machine");
    let uninspected = match net.egress {
        Egress::None => Some(
            "services with private outbound access reach the internet uninspected: closed_network.egress is none (add a firewall, or hub: existing; a NAT gateway gives a fixed outbound IP but inspects nothing)",
        ),
        Egress::NatGateway => Some(
            "services with private outbound access reach the internet through a NAT gateway, which inspects nothing (egress: firewall-basic, -standard or -premium inspects it)",
        ),
        _ => None,
    };
    if let (true, Some(message), Hub::New) = (outbound, uninspected, net.hub) {
        out.push(finding(RuleId::CN012, message.into(), Some("closed_network.egress".into()), Some(net.loc)));
    }
    let has_hub = net.hub == Hub::Existing || net.on_premises != OnPremises::None || net.egress != Egress::None;
    if has_hub && net.operator_access.contains(&Access::BastionDeveloper) {
        out.push(finding(
            RuleId::CN013,
            "Bastion Developer cannot reach VMs in peered virtual networks, and this network has a hub: use bastion-basic or higher in the hub, or attach it to the spoke".into(),
            Some("closed_network.operator_access".into()),
            Some(net.loc),
        ));
    }
    if arch.closed.conditional_access != ConditionalAccess::None {
        out.push(finding(
            RuleId::CN005,
            "Entra ID licences for conditional access are bought through Microsoft 365 / volume licensing, not the Azure portal".into(),
            Some("closed_network.conditional_access".into()),
            Some(arch.closed.loc),
        ));
    }
}

/// What is true of the priced designs: services no tier can close (CN007), lines without a price
/// (CN008).
fn design_findings(arch: &Architecture, rbac: &Design, closed: &Design, out: &mut Vec<Finding>) {
    for d in &closed.decisions {
        if d.to.is_none() {
            let svc = arch.service(&d.service);
            let reasons: Vec<String> = d.rejected.iter().map(|r| format!("{}: {}", r.tier, r.reason)).collect();
            out.push(finding(
                RuleId::CN007,
                format!(
                    "no {} tier meets {} needs ({}); the closed design keeps {}",
                    d.type_id,
                    d.service,
                    reasons.join("; "),
                    d.from
                ),
                svc.map(|s| s.path()),
                svc.map(|s| s.loc),
            ));
        }
    }
    for (design, name) in [(rbac, "RBAC-only"), (closed, "closed")] {
        for s in design.services.iter().chain(&design.added) {
            for l in &s.lines {
                if let Source::NoPrice(why) = &l.source {
                    let svc = arch.service(&s.name);
                    out.push(finding(
                        RuleId::CN008,
                        format!("{name} design: {} / {}: no price ({why})", s.name, l.component),
                        svc.map(|s| s.path()),
                        svc.map(|s| s.loc),
                    ));
                }
            }
        }
    }
}

/// CN011: the snapshot's prices are older than the limit.
pub fn stale(snapshot: &crate::catalog::snapshot::Snapshot, today: &str, age: i64, limit: u32) -> Finding {
    finding(
        RuleId::CN011,
        format!(
            "prices are {age} months old (snapshot {}, as of {}; today {today}; limit {limit} months): refresh them with `closednet pricing import`",
            snapshot.meta.name, snapshot.meta.as_of
        ),
        Some("pricing".into()),
        None,
    )
}

fn def_global(catalog: &Catalog, type_id: &str) -> bool {
    catalog.service(type_id).is_some_and(|d| d.global)
}

/// The findings of infrastructure code: what its reader and mapping observed, each at the
/// resource's address and line in the input.
pub fn observed(facts: &[crate::iac::import::Fact]) -> Vec<Finding> {
    facts
        .iter()
        .map(|f| {
            finding(f.rule, f.message.clone(), Some(f.address.clone()), f.line.map(|line| Loc { line, column: 1 }))
        })
        .collect()
}

/// CN021: a service the input makes private one way where the other way, on the cheapest tier
/// that closes it, costs less; with the monthly difference (USD, list prices).
pub fn mechanisms(
    arch: &Architecture,
    planned: &[crate::iac::import::Planned],
    as_planned: &Design,
    catalog: &Catalog,
    snapshot: &crate::catalog::snapshot::Snapshot,
) -> Result<Vec<Finding>, crate::error::Error> {
    use crate::iac::import::Mechanism;
    let mut out = Vec::new();
    for (svc, priced) in arch.services.iter().zip(&as_planned.services) {
        let Some(p) = planned.iter().find(|p| p.name == svc.name) else { continue };
        if p.mechanism == Mechanism::None || svc.public {
            continue;
        }
        let Some((tier, injects, cheapest)) = super::cheapest_closed(arch, svc, catalog, snapshot)? else { continue };
        let planned_injects = p.mechanism == Mechanism::Injection;
        let cost = priced.totals.total();
        if injects == planned_injects || cheapest >= cost {
            continue;
        }
        let (way, other) = match planned_injects {
            true => ("injected into the network", "a private endpoint"),
            false => ("reached through a private endpoint", "VNet injection"),
        };
        out.push(about(RuleId::CN021,
            format!(
                "{} is {way} on {} {} (USD {}/month at list price); {other} on {tier} would close it for USD {}/month (USD {} less)",
                svc.name,
                svc.type_id,
                priced.tier,
                cost.round_dp(2),
                cheapest.round_dp(2),
                (cost - cheapest).round_dp(2)
            ), svc));
    }
    Ok(out)
}
