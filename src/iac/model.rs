//! What a reader of infrastructure code produces: resources with allow-listed attributes, each
//! named by the address a user can find in the input (`module.hub.azurerm_firewall.fw[0]` in a
//! plan, `resources[2]` / `Microsoft.Network/azureFirewalls/hub-fw` in a template).
//!
//! Attribute paths are flattened: object keys joined with `.`, array elements as `[n]`, e.g.
//! `sku_name`, `network_rules[0].default_action`, `properties.networkAcls.defaultAction`,
//! `private_service_connection[0].subresource_names[1]`. An [`AllowList`] pattern may write `[*]`
//! for any index.

use std::collections::BTreeMap;
use std::fmt;

/// One attribute's value as the input shows it.
#[derive(Clone, PartialEq)]
pub enum Attr {
    /// A known scalar (string, number, bool) or null, as JSON.
    Known(serde_json::Value),
    /// Known only after apply (`after_unknown` in a plan; `reference()`, `listKeys()` in a template).
    Unknown,
}

impl Attr {
    /// The value as text when it is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Attr::Known(serde_json::Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The value when it is a known boolean (`"true"`/`"false"` strings count too: templates
    /// often pass booleans as strings).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Attr::Known(serde_json::Value::Bool(b)) => Some(*b),
            Attr::Known(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
            Attr::Known(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }
}

/// Values are never printed by `Debug`: an attribute outside the allow-list cannot be here, but a
/// `{:?}` in a message or a panic must not become the way a value leaks if one ever is.
impl fmt::Debug for Attr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attr::Known(v) => write!(f, "Known({})", kind(v)),
            Attr::Unknown => f.write_str("Unknown"),
        }
    }
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Which input a resource came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Terraform,
    Arm,
}

/// One resource instance of a plan or template.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// What the user can find in the input: a plan's full instance address
    /// (`module.spoke["a"].azurerm_key_vault.kv[0]`), or for a template the resource's type and
    /// evaluated name with its JSON path (`Microsoft.KeyVault/vaults/kv-demo (resources[3])`,
    /// nested deployments as `resources[1].properties.template.resources[0]`).
    pub address: String,
    /// `azurerm_key_vault` or `Microsoft.KeyVault/vaults` (a template's child types in full:
    /// `Microsoft.Network/privateDnsZones/virtualNetworkLinks`).
    pub type_name: String,
    /// A plan's data source (`mode: "data"`) or a template's `existing: true` resource: something
    /// the organisation already has, not built by this input.
    pub existing: bool,
    /// The resource's name: a plan's `name` attribute when known, else its name label; a
    /// template's evaluated `name`.
    pub name: String,
    /// `location` when known (plans and templates both call it that).
    pub location: Attr,
    /// Allow-listed attributes, flattened (see the module docs). An attribute the input does not
    /// set is absent; one it sets to null is `Known(Null)`.
    pub attrs: BTreeMap<String, Attr>,
    /// For allow-listed attributes that hold resource ids, the addresses of the resources of the
    /// same input they point to: a known id matched against the other resources' ids, else (a plan,
    /// an id unknown until apply) the `configuration` expression's references resolved to the
    /// referencing instance's module path and index; a template's `resourceId(...)` matched the
    /// same way. Unresolved references are left out (the mapping says what it could not link).
    pub refs: BTreeMap<String, Vec<String>>,
    /// 1-based line in the input file where the resource is, when the reader can tell.
    pub line: Option<u64>,
}

impl Resource {
    pub fn attr(&self, path: &str) -> Option<&Attr> {
        self.attrs.get(path)
    }

    /// The first referenced address of `path`.
    pub fn reference(&self, path: &str) -> Option<&str> {
        self.refs.get(path).and_then(|v| v.first()).map(String::as_str)
    }
}

/// What a reader skipped before any mapping: deleted resources, and the like.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub address: String,
    pub type_name: String,
    pub reason: String,
}

/// Everything one plan or template gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    pub origin: Origin,
    /// The file as the user named it.
    pub file: String,
    pub resources: Vec<Resource>,
    pub skipped: Vec<Skipped>,
    /// Things the user should know that do not stop the import (a parameter with no value, made a
    /// placeholder). Never holds a value of a non-allow-listed attribute or parameter.
    pub warnings: Vec<String>,
}

/// The attributes a reader may keep: (resource type, path pattern) pairs. `location` and `name`
/// are always read. A pattern's `[*]` matches any index; type `*` matches every type.
#[derive(Clone, Debug, Default)]
pub struct AllowList {
    entries: Vec<(String, String)>,
}

impl AllowList {
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> AllowList {
        AllowList { entries: entries.into_iter().map(|(t, p)| (t.to_string(), p.to_string())).collect() }
    }

    /// Whether `path` (with concrete indices) of a `type_name` resource may be kept.
    pub fn allows(&self, type_name: &str, path: &str) -> bool {
        path == "location"
            || path == "name"
            || self.entries.iter().any(|(t, p)| (t == "*" || t.eq_ignore_ascii_case(type_name)) && matches(p, path))
    }
}

/// Whether a concrete path matches a pattern in which `[*]` stands for any `[n]`.
fn matches(pattern: &str, path: &str) -> bool {
    let (mut p, mut s) = (pattern, path);
    loop {
        match p.find("[*]") {
            None => return p == s,
            Some(i) => {
                if s.get(..i) != Some(&p[..i]) || !s[i..].starts_with('[') {
                    return false;
                }
                let Some(close) = s[i..].find(']') else { return false };
                if !s[i + 1..i + close].bytes().all(|b| b.is_ascii_digit()) || close == 1 {
                    return false;
                }
                p = &p[i + 3..];
                s = &s[i + close + 1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_any_index_and_nothing_else() {
        assert!(matches("network_rules[*].default_action", "network_rules[0].default_action"));
        assert!(matches("a[*].b[*]", "a[12].b[3]"));
        assert!(!matches("a[*].b", "a[x].b"));
        assert!(!matches("a[*].b", "a[].b"));
        assert!(!matches("sku_name", "sku_name_extra"));
        let allow = AllowList::new([("azurerm_key_vault", "sku_name"), ("*", "tags.env")]);
        assert!(allow.allows("azurerm_key_vault", "sku_name"));
        assert!(!allow.allows("azurerm_storage_account", "sku_name"));
        assert!(allow.allows("azurerm_storage_account", "tags.env"));
        assert!(allow.allows("anything", "location"));
        assert!(!allow.allows("azurerm_mssql_server", "administrator_login_password"));
    }

    #[test]
    fn debug_never_prints_a_value() {
        let a = Attr::Known(serde_json::Value::String("hunter2".into()));
        assert_eq!(format!("{a:?}"), "Known(string)");
    }
}
