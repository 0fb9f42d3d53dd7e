//! Checks a parsed architecture file against the format's rules and the catalog.

use super::quantity::Scalar;
use super::yaml::{
    Loc, RawArchitecture, RawClosedNetwork, RawDiscount, RawJumpbox, RawLicences, RawPolicy, RawPrice, RawService, loc,
};
use super::*;
use crate::catalog::definitions::ServiceDef;
use crate::discount::{Discount, Target};
use crate::money::Currency;
use crate::rules::registry::{self, Severity};
use crate::suggest;
use serde_saphyr::Spanned;
use std::collections::BTreeSet;

pub(crate) const RUNTIMES: [&str; 6] = ["python", "node", "dotnet", "java", "powershell", "custom"];

struct Checker<'a> {
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, at: Loc, path: impl Into<String>, message: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::new(self.file, message).at(at.line, at.column).path(path));
        self.diags.last_mut().expect("just pushed")
    }

    /// One of `choices`, or an error with a suggestion.
    fn choice<'c>(&mut self, value: &Spanned<String>, path: &str, choices: &[&'c str]) -> Option<&'c str> {
        let v = value.value.trim();
        if let Some(c) = choices.iter().find(|c| c.eq_ignore_ascii_case(v)) {
            return Some(c);
        }
        let help = suggest::help(v, choices);
        self.error(loc(value), path, format!("unknown value \"{v}\"")).help = Some(help);
        None
    }

    fn quantity(&mut self, value: &Spanned<Scalar>, path: &str) -> Option<Decimal> {
        match value.value.quantity() {
            Ok(q) => Some(q),
            Err(e) => {
                self.error(loc(value), path, e);
                None
            }
        }
    }

    /// A whole number of at least `min`.
    fn count(&mut self, value: &Spanned<Scalar>, path: &str, min: u64) -> Option<Decimal> {
        let q = self.quantity(value, path)?;
        if q.fract() != Decimal::ZERO || q < Decimal::from(min) {
            self.error(loc(value), path, format!("{q} is not a whole number of at least {min}"));
            return None;
        }
        Some(q)
    }
}

pub(super) fn validate(file: &str, raw: RawArchitecture, catalog: &Catalog) -> Result<Architecture, Vec<Diagnostic>> {
    let mut c = Checker { file, diags: Vec::new() };

    match &raw.version {
        None => {
            c.diags.push(
                Diagnostic::new(file, "missing `version`")
                    .path("version")
                    .help("add `version: 1` as the first key of the file"),
            );
        }
        Some(v) if v.value.text() != "1" => {
            c.error(loc(v), "version", format!("unsupported schema version {}", v.value.text())).help =
                Some("this closednet reads version: 1".into());
        }
        Some(_) => {}
    }

    let pricing = raw.pricing.as_ref().map(|p| (p.value.text(), loc(p)));
    let snapshot = match &pricing {
        Some((name, at)) => match catalog.snapshot(name) {
            Ok(s) => Some(s),
            Err(e) => {
                let (msg, help) = e.split_once("; ").unwrap_or((&e, ""));
                c.error(*at, "pricing", msg.to_string()).help = Some(help.to_string());
                None
            }
        },
        None => Some(catalog.newest()),
    };

    let region = match &raw.region {
        None => {
            c.diags.push(
                Diagnostic::new(file, "missing `region` (the default Azure region, e.g. japaneast)").path("region"),
            );
            String::new()
        }
        Some(r) => {
            let name = r.value.trim().to_ascii_lowercase();
            if let Some(s) = snapshot.filter(|s| !s.meta.regions.contains(&name)) {
                let regions: Vec<&str> = s.meta.regions.iter().map(String::as_str).collect();
                c.error(loc(r), "region", format!("region \"{name}\" is not in pricing snapshot {}", s.meta.name))
                    .help = Some(suggest::help(&name, &regions));
            }
            name
        }
    };

    let currency = raw.currency.as_ref().and_then(|cur| match Currency::parse(&cur.value) {
        Some(code) => Some(code.code().to_string()),
        None => {
            c.error(loc(cur), "currency", format!("\"{}\" is not an ISO 4217 currency code", cur.value)).help =
                Some("use a three-letter code such as USD, JPY or EUR".into());
            None
        }
    });

    let users = raw.users.as_ref().and_then(|u| c.count(u, "users", 0));

    let mut fx = BTreeMap::new();
    for (code, rate) in raw.fx.iter().flatten() {
        let path = format!("fx.{code}");
        match (Currency::parse(code), c.quantity(rate, &path)) {
            (None, _) => {
                c.error(loc(rate), &path, format!("\"{code}\" is not an ISO 4217 currency code"));
            }
            (Some(cur), Some(r)) if r > Decimal::ZERO => {
                fx.insert(cur.code().to_string(), r);
            }
            (Some(_), Some(_)) => {
                c.error(loc(rate), &path, "an exchange rate must be more than zero");
            }
            _ => {}
        }
    }

    let closed = closed_network(&mut c, raw.closed_network.as_ref(), catalog, users);
    if closed.conditional_access != ConditionalAccess::None && users.is_some_and(|u| u.is_zero()) {
        c.error(closed.loc, "users", "conditional access is licensed per user, but `users` is 0").help =
            Some("set `users: N` to the people who sign in".into());
    }
    if closed.conditional_access != ConditionalAccess::None && users.is_none() {
        c.error(
            closed.loc,
            "closed_network.conditional_access",
            "conditional access is licensed per user, but the file has no `users`",
        )
        .help = Some("add `users: N` (the people who sign in)".into());
    }

    if raw.services.len() > MAX_SERVICES {
        return Err(vec![
            Diagnostic::new(
                file,
                format!(
                    "the file declares {} services; closednet estimates at most {MAX_SERVICES}",
                    raw.services.len()
                ),
            )
            .path("services")
            .help("split the design into several files"),
        ]);
    }
    let names: Vec<String> = raw.services.iter().map(|s| s.value.name.value.trim().to_string()).collect();
    let name_set: std::collections::HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut seen = BTreeSet::new();
    let mut services = Vec::new();
    for (index, s) in raw.services.iter().enumerate() {
        if !seen.insert(s.value.name.value.clone()) {
            c.error(
                loc(&s.value.name),
                format!("services[{index}].name"),
                format!("duplicate service name \"{}\"", s.value.name.value),
            )
            .help = Some("each service needs its own name".into());
        }
        if let Some(svc) = service(&mut c, index, &s.value, loc(s), catalog, &names, &name_set) {
            services.push(svc);
        }
    }
    if raw.services.is_empty() {
        c.diags.push(Diagnostic::new(file, "the file declares no services").path("services"));
    }

    let policy = policy(&mut c, raw.policy.as_ref());
    let discounts = discounts(&mut c, raw.discounts.as_deref().unwrap_or(&[]), catalog, &names, file);
    let prices = prices(&mut c, raw.prices.as_deref().unwrap_or(&[]), catalog, currency.as_deref(), &services);

    if !c.diags.is_empty() {
        return Err(c.diags);
    }
    Ok(Architecture {
        file: file.to_string(),
        name: raw.name.unwrap_or_else(|| file.to_string()),
        region,
        currency,
        pricing: pricing.map(|(n, _)| n),
        users,
        fx,
        closed,
        services,
        policy,
        discounts,
        prices,
        index: std::collections::HashMap::new(),
    }
    .indexed())
}

fn discounts(
    c: &mut Checker,
    raw: &[Spanned<RawDiscount>],
    catalog: &Catalog,
    names: &[String],
    file: &str,
) -> Vec<Discount> {
    let mut out = Vec::new();
    for (i, d) in raw.iter().enumerate() {
        let p = |k: &str| format!("discounts[{i}].{k}");
        let Some(percent) = c.quantity(&d.value.percent, &p("percent")) else { continue };
        if let Err(e) = crate::discount::check_percent(percent) {
            c.error(loc(&d.value.percent), p("percent"), e);
            continue;
        }
        let target = match (&d.value.type_id, &d.value.service) {
            (Some(_), Some(s)) => {
                c.error(loc(s), p("service"), "a discount applies to a `type` or a `service`, not both");
                continue;
            }
            (Some(t), None) => {
                if catalog.service(t.value.trim()).is_none() {
                    let types: Vec<&str> = catalog.type_ids().collect();
                    c.error(loc(t), p("type"), format!("unknown service type \"{}\"", t.value.trim())).help =
                        Some(suggest::help(t.value.trim(), &types));
                    continue;
                }
                Target::Type(t.value.trim().to_string())
            }
            (None, Some(s)) => {
                if !names.iter().any(|n| n == s.value.trim()) {
                    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
                    c.error(loc(s), p("service"), format!("no service named \"{}\"", s.value.trim())).help =
                        Some(suggest::help(s.value.trim(), &candidates));
                    continue;
                }
                Target::Service(s.value.trim().to_string())
            }
            (None, None) => Target::All,
        };
        let origin = match &d.value.source {
            Some(src) => format!("{src}, from {file}"),
            None => format!("from {file}"),
        };
        out.push(Discount { target, percent, origin });
    }
    out
}

/// `prices:`: each entry names a known type, and a tier and component of it; the price is a
/// quantity; the currency is USD or the file's report currency (checked again against the
/// currency of the run); the unit, when given, is the unit of every component the entry prices.
/// A `service` that is not declared may be a resource the closed design adds: that is checked once
/// the designs are built.
fn prices(
    c: &mut Checker,
    raw: &[Spanned<RawPrice>],
    catalog: &Catalog,
    currency: Option<&str>,
    services: &[Service],
) -> Vec<crate::prices::Price> {
    let mut out: Vec<crate::prices::Price> = Vec::new();
    for (i, entry) in raw.iter().enumerate() {
        let r = &entry.value;
        let p = |k: &str| format!("prices[{i}].{k}");
        let type_id = r.type_id.value.trim().to_ascii_lowercase();
        let Some(def) = catalog.service(&type_id) else {
            let types: Vec<&str> = catalog.type_ids().collect();
            c.error(loc(&r.type_id), p("type"), format!("unknown service type \"{type_id}\"")).help =
                Some(suggest::help(&type_id, &types));
            continue;
        };
        let mut ok = true;
        let tier = match &r.tier {
            None => None,
            Some(t) => match def.tier(&t.value) {
                Some(tier) => Some(tier),
                None => {
                    let ids: Vec<&str> = def.tiers.iter().map(|t| t.id.as_str()).collect();
                    c.error(loc(t), p("tier"), format!("unknown {type_id} tier \"{}\"", t.value.trim())).help =
                        Some(suggest::help(t.value.trim(), &ids));
                    ok = false;
                    None
                }
            },
        };
        let tiers: Vec<&crate::catalog::definitions::Tier> = match tier {
            Some(t) => vec![t],
            None => def.tiers.iter().collect(),
        };
        let component = match &r.component {
            None => None,
            Some(comp) => {
                let id = comp.value.trim();
                if tiers.iter().any(|t| t.components.iter().any(|k| k.id == id)) {
                    Some(id.to_string())
                } else {
                    let mut ids: Vec<&str> =
                        tiers.iter().flat_map(|t| t.components.iter().map(|k| k.id.as_str())).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    let of = tier.map(|t| format!(" {}", t.id)).unwrap_or_default();
                    c.error(loc(comp), p("component"), format!("{type_id}{of} has no component \"{id}\"")).help =
                        Some(suggest::help(id, &ids));
                    ok = false;
                    None
                }
            }
        };
        let service = match &r.service {
            None => None,
            Some(s) => {
                let name = s.value.trim();
                match services.iter().find(|d| d.name == name) {
                    Some(d) if d.type_id != type_id => {
                        c.error(
                            loc(s),
                            p("service"),
                            format!("service \"{name}\" has type {}, not {type_id}", d.type_id),
                        )
                        .help = Some(format!("set `type: {}`", d.type_id));
                        ok = false;
                    }
                    _ => {}
                }
                Some(name.to_string())
            }
        };
        let price = c.quantity(&r.price, &p("price"));
        let cur = match &r.currency {
            None => Some("USD".to_string()),
            Some(v) => match Currency::parse(&v.value) {
                Some(code) if code.is_usd() || Some(code.code()) == currency => Some(code.code().to_string()),
                Some(code) => {
                    c.error(
                        loc(v),
                        p("currency"),
                        format!("a price in {code}, but the report currency is {}", currency.unwrap_or("USD")),
                    )
                    .help = Some("give the figure in USD or in the report currency (`currency:`)".into());
                    None
                }
                None => {
                    c.error(loc(v), p("currency"), format!("\"{}\" is not an ISO 4217 currency code", v.value)).help =
                        Some("use a three-letter code such as USD, JPY or EUR".into());
                    None
                }
            },
        };
        let source = r.source.value.trim();
        if source.is_empty() {
            c.error(loc(&r.source), p("source"), "a price needs a `source`: where the figure comes from").help =
                Some("e.g. source: \"EA price sheet 2026-11\"".into());
            ok = false;
        }
        let unit = match &r.unit {
            None => None,
            Some(u) => {
                let mut units: Vec<&str> = tiers
                    .iter()
                    .flat_map(|t| t.components.iter())
                    .filter(|k| component.as_deref().is_none_or(|id| k.id == id))
                    .map(|k| k.unit())
                    .collect();
                units.sort_unstable();
                units.dedup();
                let given = u.value.trim();
                if units.iter().all(|x| x.eq_ignore_ascii_case(given)) {
                    Some(given.to_string())
                } else {
                    c.error(loc(u), p("unit"), format!("the unit \"{given}\" is not the component's unit")).help =
                        Some(format!("the entry prices components in: {}", units.join(", ")));
                    ok = false;
                    None
                }
            }
        };
        let (Some(price), Some(currency), true) = (price, cur, ok) else { continue };
        let entry = crate::prices::Price {
            type_id,
            tier: tier.map(|t| t.id.clone()),
            component,
            service,
            price,
            currency,
            unit,
            source: source.to_string(),
            loc: loc(entry),
            index: i,
        };
        if let Some(twin) = out.iter().find(|o| {
            (&o.type_id, &o.tier, &o.component, &o.service)
                == (&entry.type_id, &entry.tier, &entry.component, &entry.service)
        }) {
            c.error(
                entry.loc,
                format!("prices[{i}]"),
                format!("prices[{}] already prices the same lines", twin.index),
            )
            .help = Some("keep one entry per type, tier, component and service".into());
            continue;
        }
        out.push(entry);
    }
    out
}

fn policy(c: &mut Checker, raw: Option<&Spanned<RawPolicy>>) -> Policy {
    let Some(raw) = raw.map(|r| &r.value) else { return Policy::default() };
    let mut out = Policy {
        max_monthly: raw.max_monthly.as_ref().and_then(|v| c.quantity(v, "policy.max_monthly")),
        max_fixed: raw.max_fixed.as_ref().and_then(|v| c.quantity(v, "policy.max_fixed")),
        ..Policy::default()
    };
    if let Some(v) = &raw.max_increase {
        match super::parse_limit(&v.value.text()) {
            Ok(l) => out.max_increase = Some(l),
            Err(e) => {
                c.error(loc(v), "policy.max_increase", e).help = Some("an amount (200k) or a percentage (25%)".into());
            }
        }
    }
    out.deny =
        raw.deny.as_ref().and_then(|d| c.choice(d, "policy.deny", &["note", "warning", "error"])).map(|s| match s {
            "note" => Severity::Note,
            "warning" => Severity::Warning,
            _ => Severity::Error,
        });
    for (name, action) in raw.rules.iter().flatten() {
        let path = format!("policy.rules.{name}");
        let Some(rule) = registry::lookup(name) else {
            let names: Vec<&str> = registry::RULES.iter().flat_map(|r| [r.id, r.slug]).collect();
            c.error(loc(action), &path, format!("no rule \"{name}\"")).help = Some(suggest::help(name, &names));
            continue;
        };
        if let Some(a) = c.choice(action, &path, &["allow", "warn", "deny"]) {
            let a = match a {
                "allow" => RuleAction::Allow,
                "warn" => RuleAction::Warn,
                _ => RuleAction::Deny,
            };
            out.rules.insert(rule.id.to_string(), a);
        }
    }
    out
}

fn closed_network(
    c: &mut Checker,
    raw: Option<&Spanned<RawClosedNetwork>>,
    catalog: &Catalog,
    users: Option<Decimal>,
) -> ClosedNetwork {
    let default = RawClosedNetwork::default();
    let (r, at) = match raw {
        Some(s) => (&s.value, loc(s)),
        None => (&default, Loc::default()),
    };
    let pick = |c: &mut Checker, v: &Option<Spanned<String>>, key: &str, choices: &[&'static str], default| {
        v.as_ref().and_then(|v| c.choice(v, &format!("closed_network.{key}"), choices)).unwrap_or(default)
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

    let mut operator_access = Vec::new();
    if let Some(v) = &r.operator_access {
        let words =
            ["none", "bastion", "bastion-developer", "bastion-basic", "bastion-standard", "bastion-premium", "jumpbox"];
        let words_given = &v.value.0;
        if words_given.len() > 1 && words_given.iter().any(|w| w.trim().eq_ignore_ascii_case("none")) {
            c.error(loc(v), "closed_network.operator_access", "`none` cannot be listed with other operator access")
                .help = Some("write `none` alone, or list only what operators use".into());
        }
        for word in words_given {
            let spanned = Spanned::new(word.clone(), v.referenced, v.defined);
            let access = match c.choice(&spanned, "closed_network.operator_access", &words) {
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
            c.error(loc(v), "closed_network.operator_access", "a network has one Bastion: name one bastion tier")
                .help = Some("keep one of bastion-developer, bastion-basic, bastion-standard, bastion-premium".into());
        }
    }
    let jumpbox = jumpbox(c, r.jumpbox.as_ref(), catalog, operator_access.contains(&Access::Jumpbox));

    let production = pick(c, &r.sla, "sla", &["none", "production"], "none") == "production";
    let build_agents = match &r.build_agents {
        Some(b) => c.count(b, "closed_network.build_agents", 1).unwrap_or(Decimal::ONE),
        None => Decimal::ONE,
    };
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
        licensed_users,
        usage,
        loc: at,
    }
}

/// Users who already hold Entra ID P1/P2: all (`entra: owned`), some (`licensed_users: N`) or none.
fn licences(c: &mut Checker, raw: Option<&Spanned<RawLicences>>, users: Option<Decimal>) -> Decimal {
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
fn jumpbox(c: &mut Checker, raw: Option<&Spanned<RawJumpbox>>, catalog: &Catalog, used: bool) -> Jumpbox {
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
    let tier_of = |c: &mut Checker, value: &Option<Spanned<String>>, type_id: &str, key: &str, default: &str| {
        let Some(v) = value else { return default.to_string() };
        let Some(def) = catalog.service(type_id) else { return default.to_string() };
        match def.tier(&v.value) {
            Some(t) => t.id.clone(),
            None => {
                let ids: Vec<&str> = def.tiers.iter().map(|t| t.id.as_str()).collect();
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

fn service(
    c: &mut Checker,
    index: usize,
    s: &RawService,
    at: Loc,
    catalog: &Catalog,
    names: &[String],
    name_set: &std::collections::HashSet<&str>,
) -> Option<Service> {
    let p = |key: &str| format!("services[{index}].{key}");
    let name = s.name.value.trim().to_string();
    if name.is_empty() {
        c.error(loc(&s.name), p("name"), "a service needs a name");
    }
    let type_id = s.type_id.value.trim().to_ascii_lowercase();
    let Some(def) = catalog.service(&type_id).filter(|d| !d.implied_only) else {
        let types = catalog.declarable_types();
        c.error(loc(&s.type_id), p("type"), format!("unknown service type \"{type_id}\"")).help =
            Some(suggest::help(&type_id, &types));
        return None;
    };

    let runtime = s.runtime.as_ref().and_then(|r| c.choice(r, &p("runtime"), &RUNTIMES)).map(str::to_string);
    let mut os = s.os.as_ref().and_then(|o| c.choice(o, &p("os"), &["linux", "windows"])).map(str::to_string);
    if runtime.as_deref() == Some("python") {
        match os.as_deref() {
            Some("windows") => {
                c.error(loc(s.os.as_ref().expect("os was given")), p("os"), "Python runs only on Linux").help = Some(
                    "remove `os: windows` (https://learn.microsoft.com/azure/azure-functions/functions-scale)".into(),
                );
            }
            _ => os = Some("linux".to_string()),
        }
    }

    let tier = match &s.tier {
        None => None,
        Some(t) => match def.tier(&t.value) {
            Some(tier) => {
                if let Some(o) = os.as_ref().filter(|o| !tier.supports_os(o)) {
                    c.error(loc(t), p("tier"), format!("{} tier {} does not run {o}", def.type_id, tier.id));
                }
                Some(tier.id.clone())
            }
            None => {
                let ids: Vec<&str> = def.tiers.iter().map(|t| t.id.as_str()).collect();
                c.error(loc(t), p("tier"), format!("unknown {} tier \"{}\"", def.type_id, t.value.trim())).help =
                    Some(suggest::help(t.value.trim(), &ids));
                None
            }
        },
    };

    let mut capacity = BTreeMap::new();
    for (key, value) in [
        ("units", &s.units),
        ("replicas", &s.replicas),
        ("partitions", &s.partitions),
        ("instances", &s.instances),
        ("throughput", &s.throughput),
    ] {
        match value {
            Some(v) if !def.capacity.iter().any(|k| k == key) => {
                let msg = format!("{} has no `{key}`", def.type_id);
                let help = if def.capacity.is_empty() {
                    "remove it: this service type has no capacity setting".to_string()
                } else {
                    format!("its capacity keys are: {}", def.capacity.join(", "))
                };
                c.error(loc(v), p(key), msg).help = Some(help);
            }
            Some(v) => {
                if let Some(n) = c.count(v, &p(key), 1) {
                    capacity.insert(key.to_string(), n);
                }
            }
            None if def.capacity.iter().any(|k| k == key) => {
                capacity.insert(key.to_string(), def.capacity_default(key));
            }
            None => {}
        }
    }

    let mut calls = Vec::new();
    for (i, target) in s.calls.iter().flatten().enumerate() {
        let t = target.value.trim();
        if t == name {
            c.error(loc(target), p(&format!("calls[{i}]")), format!("\"{t}\" calls itself"));
        } else if !name_set.contains(t) {
            let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
            c.error(loc(target), p(&format!("calls[{i}]")), format!("no service named \"{t}\"")).help =
                Some(suggest::help(t, &candidates));
        } else {
            calls.push(t.to_string());
        }
    }

    let subresources = subresources(c, s, def, &p);

    let skillset = match &s.skillset {
        None => Skillset::None,
        Some(v) => {
            let word = Spanned::new(v.value.text(), v.referenced, v.defined);
            match c.choice(&word, &p("skillset"), &["embedding", "full", "true", "false"]) {
                Some("embedding") => Skillset::Embedding,
                Some("full" | "true") => Skillset::Full,
                _ => Skillset::None,
            }
        }
    };
    if skillset != Skillset::None && def.outbound_with_skillset.is_none() {
        c.error(at, p("skillset"), format!("{} has no skillsets", def.type_id)).help =
            Some("skillset applies to ai-search".into());
    }

    let custom_skill_timeout = match &s.custom_skill_timeout {
        None => None,
        Some(t) if def.outbound_with_skillset.is_none() => {
            c.error(loc(t), p("custom_skill_timeout"), format!("{} has no custom skills", def.type_id)).help =
                Some("custom_skill_timeout applies to ai-search".into());
            None
        }
        Some(t) => c.count(t, &p("custom_skill_timeout"), 1),
    };

    let zone_priced = def.tiers.iter().flat_map(|t| &t.components).any(|k| k.region.as_deref() == Some("zone"));
    let zone = match &s.zone {
        None => None,
        Some(z) if !zone_priced => {
            c.error(loc(z), p("zone"), format!("{} is not priced by billing zone", def.type_id));
            None
        }
        Some(z) => match c.count(z, &p("zone"), 1) {
            Some(n) if n <= Decimal::from(8) => Some(n.to_string().parse::<u8>().unwrap_or(1)),
            Some(n) => {
                c.error(loc(z), p("zone"), format!("billing zone {n} does not exist (Front Door has zones 1 to 8)"));
                None
            }
            None => None,
        },
    };

    let (usage, model) = usage(c, s, def, at, &p);

    Some(Service {
        index,
        name,
        type_id: def.type_id.clone(),
        tier,
        capacity,
        runtime,
        os,
        public: s.public.unwrap_or(false),
        calls,
        subresources,
        skillset,
        custom_skill_timeout,
        zone,
        usage,
        model,
        loc: at,
        tier_loc: s.tier.as_ref().map(loc),
    })
}

fn subresources(c: &mut Checker, s: &RawService, def: &ServiceDef, p: &dyn Fn(&str) -> String) -> Vec<String> {
    let Some(list) = &s.subresources else { return def.default_subresources.clone() };
    if def.subresources.is_empty() {
        if let Some(first) = list.first() {
            c.error(
                loc(first),
                p("subresources"),
                format!("{} has no private endpoint sub-resources to choose", def.type_id),
            );
        }
        return Vec::new();
    }
    let known: Vec<&str> = def.subresources.keys().map(String::as_str).collect();
    let mut out = Vec::new();
    for (i, sub) in list.iter().enumerate() {
        if let Some(k) =
            c.choice(sub, &p(&format!("subresources[{i}]")), &known).filter(|k| !out.iter().any(|o| o == k))
        {
            out.push(k.to_string());
        }
    }
    out
}

fn usage(
    c: &mut Checker,
    s: &RawService,
    def: &ServiceDef,
    at: Loc,
    p: &dyn Fn(&str) -> String,
) -> (BTreeMap<String, Decimal>, Option<String>) {
    let mut usage = BTreeMap::new();
    let mut model = None;
    for (key, value) in s.usage.iter().flatten() {
        let path = p(&format!("usage.{key}"));
        if !def.usage.iter().any(|k| k == key) {
            let keys: Vec<&str> = def.usage.iter().map(String::as_str).collect();
            let help =
                if keys.is_empty() { format!("{} takes no usage", def.type_id) } else { suggest::help(key, &keys) };
            c.error(loc(value), path, format!("{} has no usage \"{key}\"", def.type_id)).help = Some(help);
            continue;
        }
        if key == "model" {
            let m = value.value.text();
            let models: Vec<&str> = def.models.iter().map(String::as_str).collect();
            if models.contains(&m.as_str()) {
                model = Some(m);
            } else {
                c.error(loc(value), path, format!("unknown model \"{m}\"")).help = Some(suggest::help(&m, &models));
            }
            continue;
        }
        if let Some(q) = c.quantity(value, &path) {
            usage.insert(key.clone(), q);
        }
    }
    if !def.models.is_empty() && model.is_none() && !usage.is_empty() {
        c.error(at, p("usage.model"), format!("{} usage needs a `model`", def.type_id)).help =
            Some(format!("one of: {}", def.models.join(", ")));
    }
    (usage, model)
}
