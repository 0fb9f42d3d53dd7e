//! `--set PATH=VALUE`: what-if overrides of the architecture file for one run.
//!
//! Each value is read as YAML (a word, a number, `[a, b]`, `{ entra: owned }`) into the same raw
//! types the file is read into, and replaces the value at PATH before validation, so an override is
//! checked exactly like the file. PATH is dotted: `closed_network.hub`,
//! `closed_network.licences.entra`, `services.gateway.tier` (a service by name, or `services[2]`),
//! `fx.JPY`, `policy.max_monthly`. An empty value (`closed_network.hub=`) removes the key.
//! Diagnostics about an overridden value point at the flag, not at a line of the file.

use super::quantity::Scalar;
use super::yaml::{
    Choices, Loc, Located, RawArchitecture, RawClosedNetwork, RawJumpbox, RawLicences, RawPolicy, RawService,
};
use crate::error::{Diagnostic, Error};
use crate::suggest;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;

/// One `--set`: the dotted path and the YAML text of its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Set {
    pub path: String,
    pub value: String,
}

impl Set {
    /// Parses `PATH=VALUE`.
    pub fn parse(arg: &str) -> Result<Set, Error> {
        match arg.split_once('=') {
            Some((path, value)) if !path.trim().is_empty() => {
                Ok(Set { path: normalize(path.trim()), value: value.trim().to_string() })
            }
            _ => Err(Error::msg(format!(
                "--set {arg}: expected PATH=VALUE, e.g. --set closed_network.hub=existing or --set services.gateway.tier=premium-v2"
            ))),
        }
    }

    pub fn flag(&self) -> String {
        format!("--set {}={}", self.path, self.value)
    }
}

/// `services[2].tier` -> `services.2.tier`.
fn normalize(path: &str) -> String {
    path.replace('[', ".").replace(']', "")
}

/// Applies every override to the parsed file, or says which ones cannot apply. Returns each
/// override's path as validation reports it (`services.gateway.tier` is `services.1.tier`).
pub(crate) fn apply(file: &str, raw: &mut RawArchitecture, sets: &[Set]) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut resolved = Vec::new();
    for set in sets {
        let mut path: Vec<String> = set.path.split('.').map(str::to_string).collect();
        if let (Some("services"), Some(who)) = (path.first().map(String::as_str), path.get(1))
            && let Some(i) = raw.services.iter().position(|s| s.value.name.value.trim() == who)
        {
            path[1] = i.to_string();
        }
        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
        match architecture(raw, &parts, &set.value) {
            Ok(()) => resolved.push(path.join(".")),
            Err(e) => errors.push(Diagnostic::new(file, format!("{}: {e}", set.flag()))),
        }
    }
    if errors.is_empty() { Ok(resolved) } else { Err(errors) }
}

/// Diagnostics about overridden values name the flag instead of a line of the file.
pub(crate) fn relabel(diags: &mut [Diagnostic], sets: &[Set], resolved: &[String]) {
    for d in diags {
        let Some(path) = d.path.as_deref().map(normalize) else { continue };
        let hit = resolved.iter().zip(sets).rev().find(|(r, _)| path == **r || path.starts_with(&format!("{r}.")));
        if let Some((_, set)) = hit {
            d.line = None;
            d.column = None;
            d.message = format!("{} (from {})", d.message, set.flag());
        }
    }
}

/// Why one `--set` cannot apply; the diagnostic writes it after the flag.
#[derive(Clone, Debug, PartialEq)]
enum SetError {
    /// The value is not YAML of the key's type: the parser's message, without its location.
    Value(String),
    /// The path goes on below a key that holds a single value.
    BelowValue(String),
    /// A key its section (`""` for the top of the file) does not have, or one that is not set
    /// as the path writes it.
    Unknown { section: &'static str, key: String, keys: &'static [&'static str] },
    /// `services[N]` past the end of the list.
    NoIndex { index: usize, count: usize },
    /// `services.NAME` with no service of that name; `help` suggests the nearest.
    NoService { name: String, help: String },
    /// A path that names no single value, or a part of the file `--set` does not set.
    Hint(&'static str),
}

impl fmt::Display for SetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::Value(m) => f.write_str(m),
            SetError::BelowValue(key) => write!(f, "\"{key}\" is below a single value"),
            SetError::Unknown { key, keys, .. } if keys.contains(&key.as_str()) => match key.as_str() {
                "services" => f.write_str("name a service: services.NAME.KEY=VALUE or services[N].KEY=VALUE"),
                _ => write!(
                    f,
                    "{key} is set as a whole or key by key below it, not as written (see the README's --set paths)"
                ),
            },
            SetError::Unknown { section, key, keys } => {
                let what = if section.is_empty() { "the file" } else { section };
                write!(f, "{what} has no key \"{key}\"; {}", suggest::help(key, keys))
            }
            SetError::NoIndex { index, count } => {
                write!(f, "the file has {count} services; services[{index}] is not one")
            }
            SetError::NoService { name, help } => write!(f, "no service named \"{name}\"; {help}"),
            SetError::Hint(text) => f.write_str(text),
        }
    }
}

fn unknown(section: &'static str, key: &str, keys: &'static [&'static str]) -> SetError {
    SetError::Unknown { section, key: key.to_string(), keys }
}

fn parse<T: DeserializeOwned>(value: &str) -> Result<T, SetError> {
    serde_saphyr::from_str::<T>(value).map_err(|e| {
        let m = e.without_snippet().to_string();
        SetError::Value(match m.rfind(" at line ") {
            Some(i) => m[..i].to_string(),
            None => m,
        })
    })
}

/// A value given on the command line: it has no place in the file.
fn located<T>(value: T) -> Located<T> {
    Located { value, loc: Loc::default() }
}

/// Sets an optional value; an empty value removes it.
fn leaf<T: DeserializeOwned>(slot: &mut Option<Located<T>>, path: &[&str], value: &str) -> Result<(), SetError> {
    if let Some(extra) = path.first() {
        return Err(SetError::BelowValue(extra.to_string()));
    }
    *slot = parse::<Option<T>>(value)?.map(located);
    Ok(())
}

/// [`leaf`] for a value kept boxed.
fn boxed_leaf<T: DeserializeOwned>(
    slot: &mut Option<Box<Located<T>>>,
    path: &[&str],
    value: &str,
) -> Result<(), SetError> {
    let mut inner = slot.take().map(|b| *b);
    let set = leaf(&mut inner, path, value);
    *slot = inner.map(Box::new);
    set
}

fn map_leaf(map: &mut BTreeMap<String, Located<Scalar>>, path: &[&str], value: &str) -> Result<(), SetError> {
    match path {
        [key] => {
            match parse::<Option<Scalar>>(value)? {
                Some(v) => map.insert(key.to_string(), located(v)),
                None => map.remove(*key),
            };
            Ok(())
        }
        // An empty value removes the whole map.
        [] if value.is_empty() => {
            map.clear();
            Ok(())
        }
        [] => Err(SetError::Hint("name a key, e.g. usage.calls=5M")),
        _ => Err(SetError::BelowValue(path[1].to_string())),
    }
}

/// A nested section: replaced whole (`closed_network.licences={ entra: owned }`) or key by key.
fn section<T: DeserializeOwned + Default>(
    slot: &mut Option<Located<T>>,
    path: &[&str],
    value: &str,
    set: impl FnOnce(&mut T, &[&str], &str) -> Result<(), SetError>,
) -> Result<(), SetError> {
    if path.is_empty() {
        return leaf(slot, path, value);
    }
    let s = slot.get_or_insert_with(|| located(T::default()));
    set(&mut s.value, path, value)
}

/// The top-level keys of the file.
const FILE_KEYS: &[&str] =
    &["version", "name", "region", "currency", "pricing", "users", "fx", "closed_network", "services", "policy"];

fn architecture(raw: &mut RawArchitecture, path: &[&str], value: &str) -> Result<(), SetError> {
    match path {
        ["version", rest @ ..] => leaf(&mut raw.version, rest, value)?,
        ["name"] => raw.name = parse(value)?,
        ["region", rest @ ..] => leaf(&mut raw.region, rest, value)?,
        ["currency", rest @ ..] => leaf(&mut raw.currency, rest, value)?,
        ["pricing", rest @ ..] => leaf(&mut raw.pricing, rest, value)?,
        ["users", rest @ ..] => leaf(&mut raw.users, rest, value)?,
        ["fx", rest @ ..] => map_leaf(raw.fx.get_or_insert_default(), rest, value)?,
        ["closed_network", rest @ ..] => section(&mut raw.closed_network, rest, value, closed_network)?,
        ["policy", rest @ ..] => section(&mut raw.policy, rest, value, policy)?,
        ["services", who, rest @ ..] => {
            let i = match who.parse::<usize>() {
                Ok(i) if i < raw.services.len() => i,
                Ok(index) => return Err(SetError::NoIndex { index, count: raw.services.len() }),
                Err(_) => {
                    let names: Vec<&str> = raw.services.iter().map(|s| s.value.name.value.as_str()).collect();
                    names.iter().position(|n| n.trim() == *who).ok_or_else(|| SetError::NoService {
                        name: who.to_string(),
                        help: suggest::help(who, &names),
                    })?
                }
            };
            service(&mut raw.services[i].value, rest, value)?
        }
        ["discounts", ..] => return Err(SetError::Hint("discounts are set with --discount [TARGET=]PERCENT")),
        ["prices", ..] => return Err(SetError::Hint("prices are set in the file's `prices:` list")),
        ["requirements", ..] => {
            return Err(SetError::Hint(
                "requirements are what every variant must keep: they are stated in the file's `requirements:`",
            ));
        }
        ["scenarios", ..] => return Err(SetError::Hint("a scenario is not set but chosen: --scenario NAME")),
        [key, ..] => return Err(unknown("", key, FILE_KEYS)),
        [] => return Err(SetError::Hint("empty path")),
    }
    Ok(())
}

/// The keys of `closed_network`.
const CLOSED_NETWORK_KEYS: &[&str] = &[
    "conditional_access",
    "on_premises",
    "cicd",
    "cicd_agents",
    "operator_access",
    "jumpbox",
    "sla",
    "build_agents",
    "hub",
    "hub_share",
    "egress",
    "ddos",
    "licences",
    "usage",
];

fn closed_network(raw: &mut RawClosedNetwork, path: &[&str], value: &str) -> Result<(), SetError> {
    match path {
        ["conditional_access", rest @ ..] => leaf(&mut raw.conditional_access, rest, value),
        ["on_premises", rest @ ..] => leaf(&mut raw.on_premises, rest, value),
        ["cicd", rest @ ..] => leaf(&mut raw.cicd, rest, value),
        ["cicd_agents", rest @ ..] => leaf(&mut raw.cicd_agents, rest, value),
        ["operator_access", rest @ ..] => leaf::<Choices>(&mut raw.operator_access, rest, value),
        ["sla", rest @ ..] => leaf(&mut raw.sla, rest, value),
        ["build_agents", rest @ ..] => leaf(&mut raw.build_agents, rest, value),
        ["hub", rest @ ..] => leaf(&mut raw.hub, rest, value),
        ["hub_share", rest @ ..] => leaf(&mut raw.hub_share, rest, value),
        ["egress", rest @ ..] => leaf(&mut raw.egress, rest, value),
        ["ddos", rest @ ..] => leaf(&mut raw.ddos, rest, value),
        ["usage", rest @ ..] => map_leaf(raw.usage.get_or_insert_default(), rest, value),
        ["licences", rest @ ..] => section(&mut raw.licences, rest, value, |l: &mut RawLicences, p, v| match p {
            ["entra", rest @ ..] => leaf(&mut l.entra, rest, v),
            ["licensed_users", rest @ ..] => leaf(&mut l.licensed_users, rest, v),
            [key, ..] => Err(unknown("closed_network.licences", key, &["entra", "licensed_users"])),
            [] => Ok(()),
        }),
        ["jumpbox", rest @ ..] => section(&mut raw.jumpbox, rest, value, |j: &mut RawJumpbox, p, v| match p {
            ["size", rest @ ..] => leaf(&mut j.size, rest, v),
            ["os", rest @ ..] => leaf(&mut j.os, rest, v),
            ["disk", rest @ ..] => leaf(&mut j.disk, rest, v),
            [key, ..] => Err(unknown("closed_network.jumpbox", key, &["size", "os", "disk"])),
            [] => Ok(()),
        }),
        [key, ..] => Err(unknown("closed_network", key, CLOSED_NETWORK_KEYS)),
        [] => Ok(()),
    }
}

fn policy(raw: &mut RawPolicy, path: &[&str], value: &str) -> Result<(), SetError> {
    match path {
        ["max_monthly", rest @ ..] => leaf(&mut raw.max_monthly, rest, value),
        ["max_fixed", rest @ ..] => leaf(&mut raw.max_fixed, rest, value),
        ["max_increase", rest @ ..] => leaf(&mut raw.max_increase, rest, value),
        ["deny", rest @ ..] => leaf(&mut raw.deny, rest, value),
        ["rules", rule] => {
            let rules = raw.rules.get_or_insert_default();
            match parse::<Option<String>>(value)? {
                Some(v) => rules.insert(rule.to_string(), located(v)),
                None => rules.remove(*rule),
            };
            Ok(())
        }
        [key, ..] => Err(unknown("policy", key, &["max_monthly", "max_fixed", "max_increase", "deny", "rules"])),
        [] => Ok(()),
    }
}

/// The keys of one service.
const SERVICE_KEYS: &[&str] = &[
    "name",
    "type",
    "tier",
    "units",
    "replicas",
    "partitions",
    "instances",
    "throughput",
    "runtime",
    "os",
    "public",
    "calls",
    "subresources",
    "skillset",
    "custom_skill_timeout",
    "zone",
    "zone_redundant",
    "usage",
];

fn service(raw: &mut RawService, path: &[&str], value: &str) -> Result<(), SetError> {
    match path {
        ["name"] => raw.name = located(parse(value)?),
        ["type"] => raw.type_id = located(parse(value)?),
        ["tier", rest @ ..] => leaf(&mut raw.tier, rest, value)?,
        ["units", rest @ ..] => boxed_leaf(&mut raw.units, rest, value)?,
        ["replicas", rest @ ..] => boxed_leaf(&mut raw.replicas, rest, value)?,
        ["partitions", rest @ ..] => boxed_leaf(&mut raw.partitions, rest, value)?,
        ["instances", rest @ ..] => boxed_leaf(&mut raw.instances, rest, value)?,
        ["throughput", rest @ ..] => boxed_leaf(&mut raw.throughput, rest, value)?,
        ["runtime", rest @ ..] => leaf(&mut raw.runtime, rest, value)?,
        ["os", rest @ ..] => leaf(&mut raw.os, rest, value)?,
        ["public"] => raw.public = parse(value)?,
        ["skillset", rest @ ..] => boxed_leaf(&mut raw.skillset, rest, value)?,
        ["custom_skill_timeout", rest @ ..] => boxed_leaf(&mut raw.custom_skill_timeout, rest, value)?,
        ["zone", rest @ ..] => boxed_leaf(&mut raw.zone, rest, value)?,
        ["zone_redundant", rest @ ..] => leaf(&mut raw.zone_redundant, rest, value)?,
        ["calls"] => raw.calls = parse::<Option<Vec<String>>>(value)?.map(|v| v.into_iter().map(located).collect()),
        ["subresources"] => {
            raw.subresources = parse::<Option<Vec<String>>>(value)?.map(|v| v.into_iter().map(located).collect())
        }
        ["usage", rest @ ..] => map_leaf(raw.usage.get_or_insert_default(), rest, value)?,
        [key, ..] => return Err(unknown("a service", key, SERVICE_KEYS)),
        [] => return Err(SetError::Hint("name a key of the service, e.g. services.gateway.tier=premium-v2")),
    }
    Ok(())
}
