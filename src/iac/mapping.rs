//! The mapping from infrastructure-code types to closednet's, as data (`mapping.toml`, beside this
//! file): which resource is a service of which catalog type and tier, which is the network
//! platform, plumbing, a call between services, or free. Its paths are the importer's allow-list:
//! nothing else is read from a plan or a template.

use super::model::{AllowList, Attr, Resource};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const MAPPING: &str = include_str!("mapping.toml");

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Service,
    Edge,
    Container,
    Child,
    Plan,
    Site,
    Platform,
    Plumbing,
    Link,
    Existing,
    Judged,
    Skip,
}

/// Attribute values that mean something: `values` compared as lower-case text, `*` for any known
/// value that is not null, false or empty.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    pub paths: Vec<String>,
    pub values: Vec<String>,
}

/// One `[[map]]` of mapping.toml (see its header for what each field means).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub types: Vec<String>,
    pub role: Role,
    pub service: Option<String>,
    pub platform: Option<String>,
    pub plumbing: Option<String>,
    #[serde(default)]
    pub tier: Vec<String>,
    pub split: Option<String>,
    #[serde(default)]
    pub tiers: BTreeMap<String, String>,
    #[serde(default)]
    pub tiers_functions: BTreeMap<String, String>,
    #[serde(default)]
    pub tiers_logic: BTreeMap<String, String>,
    pub default_tier: Option<String>,
    #[serde(default)]
    pub size: Vec<String>,
    #[serde(default)]
    pub size_tiers: BTreeMap<String, Vec<(u32, String)>>,
    #[serde(default)]
    pub capacity: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub scale: BTreeMap<String, u32>,
    #[serde(default)]
    pub public: Vec<String>,
    #[serde(default)]
    pub acl: Vec<String>,
    pub internal: Option<Signal>,
    pub injected: Option<Signal>,
    #[serde(default)]
    pub outbound: Vec<String>,
    #[serde(default)]
    pub runtime: Vec<String>,
    #[serde(default)]
    pub os: Vec<String>,
    #[serde(default)]
    pub nics: Vec<String>,
    #[serde(default)]
    pub public_ip: Vec<String>,
    #[serde(default)]
    pub kind: Vec<String>,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub model: Vec<String>,
    #[serde(default)]
    pub parent: Vec<String>,
    #[serde(default)]
    pub plan: Vec<String>,
    #[serde(default)]
    pub target: Vec<String>,
    #[serde(default)]
    pub group: Vec<String>,
    #[serde(default)]
    pub from: Vec<String>,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub start_ip: Vec<String>,
    pub reason: Option<String>,
    pub retired: Option<String>,
    #[serde(default)]
    pub retired_kinds: BTreeMap<String, String>,
    #[serde(default)]
    pub not_when: Vec<Signal>,
    pub not_reason: Option<String>,
}

/// A catalog type no resource maps to, and why.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    #[serde(rename = "type")]
    pub type_id: String,
    pub why: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub map: Vec<Entry>,
    #[serde(default)]
    pub reason: Vec<Reason>,
}

impl Mapping {
    /// The mapping compiled into closednet (parsed once).
    pub fn embedded() -> &'static Mapping {
        static M: OnceLock<Mapping> = OnceLock::new();
        M.get_or_init(|| {
            // The file is part of the source and its shape is pinned by a test: a mistake in it is
            // a build that fails its tests, not a run that fails for a user.
            #[allow(clippy::expect_used)]
            toml::from_str(MAPPING).expect("src/iac/mapping.toml parses (tested by iac::mapping::tests)")
        })
    }

    /// The entry for a resource: a data source or `existing` resource only matches `existing`
    /// entries, any other only the rest.
    pub fn entry(&self, type_name: &str, existing: bool) -> Option<&Entry> {
        self.map.iter().find(|e| {
            (e.role == Role::Existing) == existing && e.types.iter().any(|t| t.eq_ignore_ascii_case(type_name))
        })
    }

    /// Every path the mapping reads, for each of its types: the readers' allow-list. Concrete
    /// indices (`[0]`) become `[*]`; the tier, size and capacity paths are priced (a template
    /// parameter with no value that flows into one is an error, not a placeholder).
    pub fn allow_list(&self) -> AllowList {
        let mut plain = Vec::new();
        let mut priced = Vec::new();
        for e in &self.map {
            let priced_paths = e.tier.iter().chain(&e.size).chain(e.capacity.values().flatten());
            let signals = e.internal.iter().chain(&e.injected).chain(&e.not_when).flat_map(|s| &s.paths);
            let other = [
                &e.public,
                &e.acl,
                &e.outbound,
                &e.runtime,
                &e.os,
                &e.nics,
                &e.public_ip,
                &e.kind,
                &e.model,
                &e.parent,
                &e.plan,
                &e.target,
                &e.group,
                &e.from,
                &e.to,
                &e.start_ip,
            ];
            for t in &e.types {
                for p in priced_paths.clone() {
                    priced.push((t.clone(), pattern(p)));
                }
                for p in other.iter().flat_map(|v| v.iter()).chain(signals.clone()) {
                    plain.push((t.clone(), pattern(p)));
                }
                // Every resource's own id, for matching references; never shown.
                plain.push((t.clone(), "id".to_string()));
            }
        }
        AllowList::new(plain.iter().map(|(t, p)| (t.as_str(), p.as_str())))
            .priced(priced.iter().map(|(t, p)| (t.as_str(), p.as_str())))
    }
}

/// `a[0].b[1]` -> `a[*].b[*]`.
fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) if rest[i + 1..i + j].bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str("[*]");
                rest = &rest[i + j + 1..];
            }
            _ => {
                out.push('[');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first of `paths` the resource has, with its value.
pub fn first<'r>(r: &'r Resource, paths: &[String]) -> Option<(&'r str, &'r Attr)> {
    paths.iter().find_map(|p| r.attrs.get_key_value(p.as_str()).map(|(k, v)| (k.as_str(), v)))
}

/// A known scalar as lower-case text (`false`, `disabled`, `3`); `None` for unknown or null.
pub fn text(a: &Attr) -> Option<String> {
    match a {
        Attr::Known(serde_json::Value::String(s)) => Some(s.trim().to_ascii_lowercase()),
        Attr::Known(serde_json::Value::Bool(b)) => Some(b.to_string()),
        Attr::Known(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

impl Signal {
    /// Whether the resource shows one of the signal's values.
    pub fn shows(&self, r: &Resource) -> bool {
        let Some((_, a)) = first(r, &self.paths) else { return false };
        let Some(v) = text(a) else { return false };
        self.values.iter().any(|w| w == &v || (w == "*" && !v.is_empty() && v != "false"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_parses_and_names_each_type_once() {
        let m = Mapping::embedded();
        let mut seen = std::collections::BTreeMap::new();
        for e in &m.map {
            for t in &e.types {
                let key = (t.to_ascii_lowercase(), e.role == Role::Existing);
                assert!(seen.insert(key, ()).is_none(), "{t} is mapped twice");
            }
        }
        assert_eq!(pattern("a[0].b[12].c"), "a[*].b[*].c");
        let allow = m.allow_list();
        assert!(allow.allows("azurerm_key_vault", "network_acls[0].default_action"));
        assert!(allow.is_priced("azurerm_api_management", "sku_name"));
        assert!(!allow.allows("azurerm_mssql_server", "administrator_login_password"));
        assert!(!allow.allows("azurerm_linux_virtual_machine", "admin_password"));
    }
}
