//! `discounts:`, `prices:` and `policy:`: the architect's commercial terms and what `check` enforces.

use super::Checker;
use crate::architecture::terms::{Discount, Price, Target, check_percent};
use crate::architecture::yaml::loc;
use crate::architecture::yaml::{RawDiscount, RawPolicy, RawPrice};
use crate::architecture::{Policy, RuleAction, Service, parse_limit};
use crate::catalog::Catalog;
use crate::money::Currency;
use crate::registry::{self, Severity};
use crate::suggest;
use serde_saphyr::Spanned;

pub(super) fn discounts(
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
        if let Err(e) = check_percent(percent) {
            c.error(loc(&d.value.percent), p("percent"), e.to_string());
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
pub(super) fn prices(
    c: &mut Checker,
    raw: &[Spanned<RawPrice>],
    catalog: &Catalog,
    currency: Option<&str>,
    services: &[Service],
) -> Vec<Price> {
    let mut out: Vec<Price> = Vec::new();
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
        let entry = Price {
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

pub(super) fn policy(c: &mut Checker, raw: Option<&Spanned<RawPolicy>>) -> Policy {
    let Some(raw) = raw.map(|r| &r.value) else { return Policy::default() };
    let mut out = Policy {
        max_monthly: raw.max_monthly.as_ref().and_then(|v| c.quantity(v, "policy.max_monthly")),
        max_fixed: raw.max_fixed.as_ref().and_then(|v| c.quantity(v, "policy.max_fixed")),
        ..Policy::default()
    };
    if let Some(v) = &raw.max_increase {
        match parse_limit(&v.value.text()) {
            Ok(l) => out.max_increase = Some(l),
            Err(e) => {
                c.error(loc(v), "policy.max_increase", e.to_string()).help =
                    Some("an amount (200k) or a percentage (25%)".into());
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
            out.rules.insert(rule, a);
        }
    }
    out
}
