//! Links kept attributes that hold resource ids (a private endpoint's `privateLinkServiceId`, a
//! site's `serverFarmId`, a NIC's public IP) to the resources of the same template they name.
//!
//! Every resource's id is computed the way `resourceId()` computes ids (same placeholder
//! subscription and resource group), so the ids a template writes match the ids of the resources it
//! declares. Ids compare ignoring case, as Azure's do. An id naming a part of a resource (a subnet
//! declared inside its virtual network, an application gateway's frontend) links to the nearest
//! enclosing resource. A resource does not link to itself.

use std::collections::{BTreeMap, HashMap};

/// Whether a text looks like a resource id (`/subscriptions/...`, `/providers/...`).
pub(crate) fn looks_like_id(s: &str) -> bool {
    let l = s.get(..15).unwrap_or(s).to_ascii_lowercase();
    l.starts_with("/subscriptions/") || l.starts_with("/providers/")
}

/// The ids of the resources, by lower-cased id: the first resource declaring an id wins.
pub(crate) struct Index {
    by_id: HashMap<String, String>,
}

impl Index {
    pub fn new<'r>(resources: impl IntoIterator<Item = (&'r str, &'r str)>) -> Index {
        let mut by_id = HashMap::new();
        for (id, address) in resources {
            by_id.entry(id.to_ascii_lowercase()).or_insert_with(|| address.to_string());
        }
        Index { by_id }
    }

    /// The address of the resource `id` names, or of the nearest resource enclosing it.
    pub fn resolve(&self, id: &str) -> Option<&str> {
        let mut candidate = id.trim_end_matches('/').to_ascii_lowercase();
        loop {
            if let Some(a) = self.by_id.get(&candidate) {
                return Some(a);
            }
            // Drop one `/type/name` pair, but never past the provider namespace.
            let cut = candidate.rfind('/')?;
            let cut = candidate[..cut].rfind('/')?;
            candidate.truncate(cut);
            if !candidate.contains("/providers/") {
                return None;
            }
        }
    }

    /// The `refs` of one resource: each id-holding attribute to the address it names.
    pub fn refs_of(&self, own_address: &str, id_texts: &[(String, String)]) -> BTreeMap<String, Vec<String>> {
        let mut refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, text) in id_texts {
            if let Some(target) = self.resolve(text).filter(|t| *t != own_address) {
                let list = refs.entry(path.clone()).or_default();
                if !list.iter().any(|a| a == target) {
                    list.push(target.to_string());
                }
            }
        }
        refs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_resolve_to_the_nearest_declared_resource() {
        let vnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet";
        let index = Index::new([(vnet, "Microsoft.Network/virtualNetworks/vnet (resources[0])")]);
        assert_eq!(
            index.resolve(&format!("{vnet}/subnets/default")),
            Some("Microsoft.Network/virtualNetworks/vnet (resources[0])")
        );
        assert_eq!(index.resolve(&vnet.to_uppercase()), Some("Microsoft.Network/virtualNetworks/vnet (resources[0])"));
        assert_eq!(
            index.resolve("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/other"),
            None
        );
        assert_eq!(index.resolve("/subscriptions/s/resourceGroups/rg"), None);
        assert!(looks_like_id("/Subscriptions/x"));
        assert!(!looks_like_id("subscriptions/x"));
    }
}
