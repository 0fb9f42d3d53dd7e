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
///
/// A pattern can also be marked *priced* ([`AllowList::priced`]): its value decides what the
/// resource costs (`sku.name`, `sku.capacity`, `location`). A reader refuses an input in which such
/// a value depends on a parameter nobody gave a value (a template parameter with no default and
/// no value in the parameters file), instead of pricing a guess.
#[derive(Clone, Debug, Default)]
pub struct AllowList {
    entries: Vec<Entry>,
}

#[derive(Clone, Debug)]
struct Entry {
    type_name: String,
    pattern: String,
    priced: bool,
}

impl Entry {
    fn applies_to(&self, type_name: &str) -> bool {
        self.type_name == "*" || self.type_name.eq_ignore_ascii_case(type_name)
    }
}

impl AllowList {
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> AllowList {
        AllowList { entries: Vec::new() }.with(entries, false)
    }

    /// The same list with more patterns, kept and marked priced.
    pub fn priced<'a>(self, entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> AllowList {
        self.with(entries, true)
    }

    fn with<'a>(mut self, entries: impl IntoIterator<Item = (&'a str, &'a str)>, priced: bool) -> AllowList {
        self.entries.extend(entries.into_iter().map(|(t, p)| Entry {
            type_name: t.to_string(),
            pattern: p.to_string(),
            priced,
        }));
        self
    }

    /// Whether `path` (with concrete indices) of a `type_name` resource may be kept.
    pub fn allows(&self, type_name: &str, path: &str) -> bool {
        path == "location"
            || path == "name"
            || self.entries.iter().any(|e| e.applies_to(type_name) && matches(&e.pattern, path))
    }

    /// Whether `path` of a `type_name` resource matches a priced pattern.
    pub fn is_priced(&self, type_name: &str, path: &str) -> bool {
        self.entries.iter().any(|e| e.priced && e.applies_to(type_name) && matches(&e.pattern, path))
    }

    /// Whether some kept path lies at or below `prefix` (a concrete path): a reader need not look
    /// inside anything for which this is false.
    pub fn may_allow_under(&self, type_name: &str, prefix: &str) -> bool {
        self.allows(type_name, prefix) || !self.patterns_under(type_name, prefix).is_empty()
    }

    /// The kept paths strictly below `prefix`, as `prefix` followed by the rest of each pattern
    /// (which may still hold `[*]`): where a reader knows that the value at `prefix` is unknown, these
    /// are the attributes it records as unknown.
    pub fn patterns_under(&self, type_name: &str, prefix: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in self.entries.iter().filter(|e| e.applies_to(type_name)) {
            if let Some(rest) = rest_after_prefix(&e.pattern, prefix) {
                let path = format!("{prefix}{rest}");
                if !out.contains(&path) {
                    out.push(path);
                }
            }
        }
        out
    }
}

/// The part of `pattern` after a leading match of the concrete `prefix`, when the match ends at a
/// segment boundary (the rest starts with `.` or `[`).
fn rest_after_prefix<'p>(pattern: &'p str, prefix: &str) -> Option<&'p str> {
    let (mut p, mut s) = (pattern, prefix);
    loop {
        let star = p.find("[*]");
        let literal = star.unwrap_or(p.len());
        if s.len() <= literal {
            // The prefix ends inside this literal stretch of the pattern.
            let rest = p.strip_prefix(s)?;
            return (rest.starts_with('.') || rest.starts_with('[')).then_some(rest);
        }
        let i = star?;
        if s.get(..i) != Some(&p[..i]) || !s[i..].starts_with('[') {
            return None;
        }
        let close = s[i..].find(']')?;
        if close == 1 || !s[i + 1..i + close].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p = &p[i + 3..];
        s = &s[i + close + 1..];
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
    fn priced_patterns_are_kept_and_marked() {
        let allow = AllowList::new([("Microsoft.Search/searchServices", "properties.publicNetworkAccess")])
            .priced([("Microsoft.Search/searchServices", "sku.name"), ("*", "location")]);
        assert!(allow.allows("microsoft.search/searchservices", "sku.name"));
        assert!(allow.is_priced("Microsoft.Search/searchServices", "sku.name"));
        assert!(allow.is_priced("Microsoft.KeyVault/vaults", "location"));
        assert!(!allow.is_priced("Microsoft.Search/searchServices", "properties.publicNetworkAccess"));
        assert!(!allow.is_priced("Microsoft.KeyVault/vaults", "sku.name"));
    }

    #[test]
    fn prefixes_of_kept_paths_are_found() {
        let t = "Microsoft.Network/privateEndpoints";
        let allow = AllowList::new([
            (t, "properties.privateLinkServiceConnections[*].properties.groupIds[*]"),
            (t, "sku.name"),
        ]);
        assert!(allow.may_allow_under(t, "properties"));
        assert!(allow.may_allow_under(t, "properties.privateLinkServiceConnections"));
        assert!(allow.may_allow_under(t, "properties.privateLinkServiceConnections[3].properties"));
        assert!(!allow.may_allow_under(t, "properties.privateLinkServiceConnections[x]"));
        assert!(!allow.may_allow_under(t, "properties.privateLink"));
        assert!(!allow.may_allow_under(t, "sku.nam"));
        assert!(allow.may_allow_under(t, "sku"));
        assert!(!allow.may_allow_under(t, "tags"));
        assert_eq!(allow.patterns_under(t, "sku"), vec!["sku.name".to_string()]);
        assert_eq!(
            allow.patterns_under(t, "properties.privateLinkServiceConnections[1]"),
            vec!["properties.privateLinkServiceConnections[1].properties.groupIds[*]".to_string()]
        );
        assert!(allow.patterns_under(t, "sku.name").is_empty());
    }

    #[test]
    fn debug_never_prints_a_value() {
        let a = Attr::Known(serde_json::Value::String("hunter2".into()));
        assert_eq!(format!("{a:?}"), "Known(string)");
    }
}
