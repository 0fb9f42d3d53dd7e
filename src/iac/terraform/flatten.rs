//! One resource's planned values (`after`, with `after_unknown` and `after_sensitive` beside it)
//! flattened to allow-listed paths. A path is kept only when the allow-list names it; `true` in
//! `after_unknown` becomes [`Attr::Unknown`] at that depth, a whole block included
//! (`network_rules` unknown is kept as `network_rules` when the list names that path); a value
//! `after_sensitive` marks is kept as unknown, never as its value, and named in a warning.

use crate::iac::model::{AllowList, Attr};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// An allow-list with its answers remembered by type and path: a plan asks the same few hundred
/// questions for thousands of resources, and each answer scans every pattern.
pub struct Allowed<'a> {
    list: &'a AllowList,
    answers: HashMap<String, HashMap<String, bool>>,
}

impl<'a> Allowed<'a> {
    pub fn new(list: &'a AllowList) -> Allowed<'a> {
        Allowed { list, answers: HashMap::new() }
    }

    /// The remembered answers for one type.
    fn of(&mut self, type_name: &str) -> TypeAnswers<'_> {
        TypeAnswers { list: self.list, answers: self.answers.entry(type_name.to_string()).or_default() }
    }
}

struct TypeAnswers<'a> {
    list: &'a AllowList,
    answers: &'a mut HashMap<String, bool>,
}

impl TypeAnswers<'_> {
    fn allows(&mut self, type_name: &str, path: &str) -> bool {
        if let Some(&yes) = self.answers.get(path) {
            return yes;
        }
        let yes = self.list.allows(type_name, path);
        self.answers.insert(path.to_string(), yes);
        yes
    }
}

/// Which part of the value `after_sensitive` marks.
#[derive(Clone, Copy)]
enum Sensitive<'v> {
    No,
    All,
    Below(&'v Value),
}

impl<'v> Sensitive<'v> {
    fn of(v: Option<&'v Value>) -> Sensitive<'v> {
        match v {
            Some(Value::Bool(true)) => Sensitive::All,
            Some(v @ (Value::Object(_) | Value::Array(_))) => Sensitive::Below(v),
            _ => Sensitive::No,
        }
    }

    fn key(self, k: &str) -> Sensitive<'v> {
        match self {
            Sensitive::Below(v) => Sensitive::of(v.get(k)),
            other => other,
        }
    }

    fn index(self, i: usize) -> Sensitive<'v> {
        match self {
            Sensitive::Below(v) => Sensitive::of(v.get(i)),
            other => other,
        }
    }
}

/// The kept attributes of one resource, and the allow-listed paths the plan marks sensitive.
pub struct Flat {
    pub attrs: BTreeMap<String, Attr>,
    pub sensitive: Vec<String>,
}

/// Flattens `after` of a `type_name` resource.
pub fn flatten(
    type_name: &str,
    allow: &mut Allowed,
    after: Option<&Value>,
    unknown: Option<&Value>,
    sensitive: Option<&Value>,
) -> Flat {
    let mut w =
        Walk { type_name, allow: allow.of(type_name), out: Flat { attrs: BTreeMap::new(), sensitive: Vec::new() } };
    let mut path = String::new();
    let sens = Sensitive::of(sensitive);
    if unknown == Some(&Value::Bool(true)) {
        // The whole object is unknown: only what is always read can be said to be unknown.
        for key in ["location", "name"] {
            w.out.attrs.insert(key.to_string(), Attr::Unknown);
        }
        return w.out;
    }
    // Top-level keys: `after`'s, then those only `after_unknown` has.
    let after_map = after.and_then(Value::as_object);
    if let Some(m) = after_map {
        for (k, v) in m {
            w.child(&mut path, k, Some(v), unknown.and_then(|u| u.get(k)), sens.key(k));
        }
    }
    if let Some(u) = unknown.and_then(Value::as_object) {
        for (k, v) in u {
            if after_map.is_none_or(|m| !m.contains_key(k)) {
                w.child(&mut path, k, None, Some(v), sens.key(k));
            }
        }
    }
    w.out
}

struct Walk<'a> {
    type_name: &'a str,
    allow: TypeAnswers<'a>,
    out: Flat,
}

impl Walk<'_> {
    fn child(&mut self, path: &mut String, key: &str, after: Option<&Value>, unknown: Option<&Value>, s: Sensitive) {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        self.node(path, after, unknown, s);
        path.truncate(len);
    }

    fn element(&mut self, path: &mut String, i: usize, after: Option<&Value>, unknown: Option<&Value>, s: Sensitive) {
        let len = path.len();
        path.push('[');
        path.push_str(&i.to_string());
        path.push(']');
        self.node(path, after, unknown, s);
        path.truncate(len);
    }

    fn node(&mut self, path: &mut String, after: Option<&Value>, unknown: Option<&Value>, s: Sensitive) {
        if unknown == Some(&Value::Bool(true)) {
            if self.allow.allows(self.type_name, path) {
                self.out.attrs.insert(path.clone(), Attr::Unknown);
            }
            return;
        }
        let unknown = unknown.filter(|u| u.is_object() || u.is_array());
        match after {
            Some(Value::Object(m))
                if !m.is_empty() || unknown.and_then(Value::as_object).is_some_and(|u| !u.is_empty()) =>
            {
                for (k, v) in m {
                    self.child(path, k, Some(v), unknown.and_then(|u| u.get(k)), s.key(k));
                }
                if let Some(u) = unknown.and_then(Value::as_object) {
                    for (k, v) in u.iter().filter(|(k, _)| !m.contains_key(*k)) {
                        self.child(path, k, None, Some(v), s.key(k));
                    }
                }
            }
            Some(Value::Array(a))
                if !a.is_empty() || unknown.and_then(Value::as_array).is_some_and(|u| !u.is_empty()) =>
            {
                let n = a.len().max(unknown.and_then(Value::as_array).map_or(0, Vec::len));
                for i in 0..n {
                    self.element(path, i, a.get(i), unknown.and_then(|u| u.get(i)), s.index(i));
                }
            }
            Some(leaf) => self.leaf(path, leaf, s),
            None => match unknown {
                Some(Value::Object(u)) => {
                    for (k, v) in u {
                        self.child(path, k, None, Some(v), s.key(k));
                    }
                }
                Some(Value::Array(u)) => {
                    for (i, v) in u.iter().enumerate() {
                        self.element(path, i, None, Some(v), s.index(i));
                    }
                }
                _ => {}
            },
        }
    }

    /// A scalar, a null or an empty list or object.
    fn leaf(&mut self, path: &str, value: &Value, s: Sensitive) {
        if !self.allow.allows(self.type_name, path) {
            return;
        }
        let attr = match s {
            Sensitive::No => Attr::Known(value.clone()),
            _ => {
                self.out.sensitive.push(path.to_string());
                Attr::Unknown
            }
        };
        self.out.attrs.insert(path.to_string(), attr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_allowed_paths_and_unknown_blocks_are_kept() {
        let allow = AllowList::new([
            ("azurerm_storage_account", "network_rules"),
            ("azurerm_storage_account", "network_rules[*].default_action"),
            ("azurerm_storage_account", "public_network_access_enabled"),
            ("azurerm_storage_account", "blob_properties[*].cors_rule"),
            ("azurerm_storage_account", "tags.env"),
            ("azurerm_storage_account", "primary_access_key"),
        ]);
        let after = json!({
            "name": "sa1", "location": "japaneast", "public_network_access_enabled": true,
            "tags": {"env": "prod", "owner": "x"}, "blob_properties": [{"cors_rule": []}],
            "primary_access_key": "k", "account_tier": "Standard"
        });
        let unknown = json!({"network_rules": true, "id": true, "tags": {}});
        let sens = json!({"primary_access_key": true});
        let flat =
            flatten("azurerm_storage_account", &mut Allowed::new(&allow), Some(&after), Some(&unknown), Some(&sens));
        let got: Vec<(&str, String)> = flat.attrs.iter().map(|(k, v)| (k.as_str(), format!("{v:?}"))).collect();
        assert_eq!(
            got,
            vec![
                ("blob_properties[0].cors_rule", "Known(array)".to_string()),
                ("location", "Known(string)".into()),
                ("name", "Known(string)".into()),
                ("network_rules", "Unknown".into()),
                ("primary_access_key", "Unknown".into()),
                ("public_network_access_enabled", "Known(bool)".into()),
                ("tags.env", "Known(string)".into()),
            ]
        );
        assert_eq!(flat.sensitive, vec!["primary_access_key".to_string()]);
        assert_eq!(flat.attrs["public_network_access_enabled"], Attr::Known(json!(true)));
    }

    #[test]
    fn unknown_elements_inside_known_lists() {
        let allow = AllowList::new([("*", "ip[*].subnet_id"), ("*", "ip[*].name")]);
        let after = json!({"ip": [{"name": "a"}, {"name": "b", "subnet_id": "/subscriptions/s"}]});
        let unknown = json!({"ip": [{"subnet_id": true}, {}]});
        let flat = flatten("t", &mut Allowed::new(&allow), Some(&after), Some(&unknown), None);
        let keys: Vec<&str> = flat.attrs.keys().map(String::as_str).collect();
        assert_eq!(keys, vec!["ip[0].name", "ip[0].subnet_id", "ip[1].name", "ip[1].subnet_id"]);
        assert_eq!(flat.attrs["ip[0].subnet_id"], Attr::Unknown);
        assert_eq!(flat.attrs["ip[1].subnet_id"], Attr::Known(json!("/subscriptions/s")));
    }
}
