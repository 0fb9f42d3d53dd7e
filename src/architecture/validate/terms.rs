//! `discounts:`, `prices:` and `policy:`: the architect's commercial terms and what `check` enforces.

use super::Checker;
use crate::architecture::terms::{Discount, Price, Target, check_percent};
use crate::architecture::yaml::{Located, loc};
use crate::architecture::yaml::{RawDiscount, RawPolicy, RawPrice};
use crate::architecture::{Policy, RuleAction, Service, parse_limit};
use crate::catalog::Catalog;
use crate::catalog::definitions::{ServiceDef, Tier};
use crate::money::Currency;
use crate::registry::{self, Severity};
use crate::suggest;
use std::collections::HashMap;

pub(super) fn discounts(
    c: &mut Checker,
    raw: &[Located<RawDiscount>],
    catalog: &Catalog,
    names: &[String],
    file: &str,
) -> Vec<Discount> {
    let mut out: Vec<Discount> = Vec::new();
    let declared: std::collections::HashSet<&str> = names.iter().map(String::as_str).collect();
    // Each target's entry, to refuse a second discount on it.
    let mut targets: HashMap<Target, usize> = HashMap::new();
    for (i, d) in raw.iter().enumerate() {
        let p = |k: &str| format!("discounts[{i}].{k}");
        let Some(percent) = c.quantity(&d.value.percent, p("percent")) else { continue };
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
                if !declared.contains(s.value.trim()) {
                    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
                    c.error(loc(s), p("service"), format!("no service named \"{}\"", s.value.trim())).help =
                        Some(suggest::help(s.value.trim(), &candidates));
                    continue;
                }
                Target::Service(s.value.trim().to_string())
            }
            (None, None) => Target::All,
        };
        if let Some(first) = targets.get(&target) {
            let on = match &target {
                Target::All => "every service".to_string(),
                Target::Type(t) => format!("type {t}"),
                Target::Service(s) => format!("service {s}"),
            };
            c.error(loc(d), format!("discounts[{i}]"), format!("discounts[{first}] already discounts {on}")).help =
                Some("keep one discount per target: only one could apply".into());
            continue;
        }
        targets.insert(target.clone(), i);
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
    raw: &[Located<RawPrice>],
    catalog: &Catalog,
    currency: Option<&str>,
    services: &[Service],
) -> Vec<Price> {
    let mut out: Vec<Price> = Vec::new();
    let by_name: HashMap<&str, &Service> = services.iter().map(|s| (s.name.as_str(), s)).collect();
    // Each (type, tier, component, service) priced, and the entry that prices it.
    type Key = (String, Option<String>, Option<String>, Option<String>);
    let mut priced: HashMap<Key, usize> = HashMap::new();
    for (i, entry) in raw.iter().enumerate() {
        let r = &entry.value;
        let mut e = Entry { index: i, type_id: r.type_id.value.trim().to_ascii_lowercase(), refused: false };
        let Some(def) = catalog.service(&e.type_id) else {
            let types: Vec<&str> = catalog.type_ids().collect();
            c.error(loc(&r.type_id), e.path("type"), format!("unknown service type \"{}\"", e.type_id)).help =
                Some(suggest::help(&e.type_id, &types));
            continue;
        };
        let tier = price_tier(c, r, def, &mut e);
        let tiers: Vec<&Tier> = match tier {
            Some(t) => vec![t],
            None => def.tiers().collect(),
        };
        let component = component(c, r, &mut e, tier, &tiers);
        let service = service(c, r, &mut e, &by_name);
        let price = c.quantity(&r.price, e.path("price"));
        let cur = price_currency(c, r, &e, currency);
        let source = r.source.value.trim();
        if source.is_empty() {
            c.error(loc(&r.source), e.path("source"), "a price needs a `source`: where the figure comes from").help =
                Some("e.g. source: \"EA price sheet 2026-11\"".into());
            e.refused = true;
        }
        let unit = unit(c, r, &mut e, &tiers, component.as_deref());
        let (Some(price), Some(currency), false) = (price, cur, e.refused) else { continue };
        let entry = Price {
            type_id: e.type_id,
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
        let key = (entry.type_id.clone(), entry.tier.clone(), entry.component.clone(), entry.service.clone());
        if let Some(twin) = priced.get(&key) {
            c.error(entry.loc, format!("prices[{i}]"), format!("prices[{twin}] already prices the same lines")).help =
                Some("keep one entry per type, tier, component and service".into());
            continue;
        }
        priced.insert(key, i);
        out.push(entry);
    }
    out
}

/// One `prices:` entry while it is checked: its index, its type, and whether a part was refused
/// (every part is still checked, so that all problems are reported at once).
struct Entry {
    index: usize,
    type_id: String,
    refused: bool,
}

impl Entry {
    fn path(&self, key: &str) -> String {
        format!("prices[{}].{key}", self.index)
    }
}

/// The tier the entry names, by id or alias, if it names one.
fn price_tier<'d>(c: &mut Checker, r: &RawPrice, def: &'d ServiceDef, e: &mut Entry) -> Option<&'d Tier> {
    let t = r.tier.as_ref()?;
    let tier = def.tier(&t.value);
    if tier.is_none() {
        let ids: Vec<&str> = def.tiers().map(|t| t.id.as_str()).collect();
        c.error(loc(t), e.path("tier"), format!("unknown {} tier \"{}\"", e.type_id, t.value.trim())).help =
            Some(suggest::help(t.value.trim(), &ids));
        e.refused = true;
    }
    tier
}

/// The component the entry names, which one of its `tiers` must have.
fn component(c: &mut Checker, r: &RawPrice, e: &mut Entry, tier: Option<&Tier>, tiers: &[&Tier]) -> Option<String> {
    let comp = r.component.as_ref()?;
    let id = comp.value.trim();
    if tiers.iter().any(|t| t.components.iter().any(|k| k.id == id)) {
        return Some(id.to_string());
    }
    let mut ids: Vec<&str> = tiers.iter().flat_map(|t| t.components.iter().map(|k| k.id.as_str())).collect();
    ids.sort_unstable();
    ids.dedup();
    let of = tier.map(|t| format!(" {}", t.id)).unwrap_or_default();
    c.error(loc(comp), e.path("component"), format!("{}{of} has no component \"{id}\"", e.type_id)).help =
        Some(suggest::help(id, &ids));
    e.refused = true;
    None
}

/// The service the entry names: a declared one must be of the entry's type; another name may be a
/// resource the closed design adds.
fn service(c: &mut Checker, r: &RawPrice, e: &mut Entry, services: &HashMap<&str, &Service>) -> Option<String> {
    let s = r.service.as_ref()?;
    let name = s.value.trim();
    if let Some(d) = services.get(name).filter(|d| d.type_id != e.type_id) {
        c.error(loc(s), e.path("service"), format!("service \"{name}\" has type {}, not {}", d.type_id, e.type_id))
            .help = Some(format!("set `type: {}`", d.type_id));
        e.refused = true;
    }
    Some(name.to_string())
}

/// The entry's currency: USD unless it says otherwise, and then only the report `currency`.
fn price_currency(c: &mut Checker, r: &RawPrice, e: &Entry, currency: Option<&str>) -> Option<String> {
    let Some(v) = &r.currency else { return Some("USD".to_string()) };
    match Currency::parse(&v.value) {
        Some(code) if code.is_usd() || Some(code.code()) == currency => Some(code.code().to_string()),
        Some(code) => {
            c.error(
                loc(v),
                e.path("currency"),
                format!("a price in {code}, but the report currency is {}", currency.unwrap_or("USD")),
            )
            .help = Some("give the figure in USD or in the report currency (`currency:`)".into());
            None
        }
        None => {
            c.error(loc(v), e.path("currency"), format!("\"{}\" is not an ISO 4217 currency code", v.value)).help =
                Some("use a three-letter code such as USD, JPY or EUR".into());
            None
        }
    }
}

/// The unit the entry gives, which must be the unit of every component it prices.
fn unit(c: &mut Checker, r: &RawPrice, e: &mut Entry, tiers: &[&Tier], component: Option<&str>) -> Option<String> {
    let u = r.unit.as_ref()?;
    let mut units: Vec<&str> = tiers
        .iter()
        .flat_map(|t| t.components.iter())
        .filter(|k| component.is_none_or(|id| k.id == id))
        .map(|k| k.unit())
        .collect();
    units.sort_unstable();
    units.dedup();
    let given = u.value.trim();
    if units.iter().all(|x| x.eq_ignore_ascii_case(given)) {
        return Some(given.to_string());
    }
    c.error(loc(u), e.path("unit"), format!("the unit \"{given}\" is not the component's unit")).help =
        Some(format!("the entry prices components in: {}", units.join(", ")));
    e.refused = true;
    None
}

pub(super) fn policy(c: &mut Checker, raw: Option<&Located<RawPolicy>>) -> Policy {
    let Some(raw) = raw.map(|r| &r.value) else { return Policy::default() };
    let mut out = Policy {
        max_monthly: raw.max_monthly.as_ref().and_then(|v| c.quantity(v, "policy.max_monthly")),
        max_fixed: raw.max_fixed.as_ref().and_then(|v| c.quantity(v, "policy.max_fixed")),
        require_closed: raw.require.as_ref().and_then(|v| c.choice(v, "policy.require", &["closed"])).is_some(),
        deny_preview: raw.deny_preview.unwrap_or(false),
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
    let mut named: Vec<(registry::RuleId, &str)> = Vec::new();
    for (name, action) in raw.rules.iter().flatten() {
        let path = format!("policy.rules.{name}");
        let Some(rule) = registry::lookup(name) else {
            let names: Vec<&str> = registry::RULES.iter().flat_map(|r| [r.id, r.slug]).collect();
            c.error(loc(action), &path, format!("no rule \"{name}\"")).help = Some(suggest::help(name, &names));
            continue;
        };
        if let Some((_, earlier)) = named.iter().find(|(r, _)| *r == rule) {
            c.error(loc(action), &path, format!("{earlier} and {name} are the same rule ({})", rule.as_str())).help =
                Some("give one action per rule".into());
            continue;
        }
        named.push((rule, name));
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
