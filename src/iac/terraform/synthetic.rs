//! A generated plan of any size, for the import benchmark (`benches/import.rs`): spokes in a
//! `count` module, each with a storage account created by the plan (id unknown), an existing key
//! vault (id known), a private endpoint to each (one resolved from `configuration`, one by id)
//! and a subnet in a nested `for_each` module reached through a module output, plus resource
//! groups for the remainder. Like `terraform show -json`, every resource is repeated in
//! `planned_values`, existing ones in `change.before` and `prior_state`; attribute counts are
//! close to what the azurerm provider writes (about 4 KB a resource in all).

use serde_json::{Map, Value, json};

/// A plan JSON of `n` resource instances.
pub fn synthetic_plan(n: usize) -> String {
    let spokes = n / 5;
    let mut changes = Vec::with_capacity(n);
    for i in 0..spokes {
        changes.extend(spoke(i));
    }
    for j in 0..n % 5 {
        let after = json!({"name": format!("rg-{j}"), "location": "japaneast", "tags": {}, "id": rg_id(j)});
        changes.push(change(None, "azurerm_resource_group", "rg", Some(json!(j)), "no-op", after, json!({})));
    }
    let plan = json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": values_tree(&changes, |c| c["change"]["after"].clone())},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "values": {"root_module": values_tree(&existing(&changes), |c| c["change"]["before"].clone())}},
        "configuration": configuration(),
    });
    plan.to_string()
}

/// The changes whose resource exists before the plan (no-op ones).
fn existing(changes: &[Value]) -> Vec<Value> {
    changes.iter().filter(|c| c["change"]["actions"][0] == "no-op").cloned().collect()
}

/// A values representation of `changes`: resources by module, child modules nested.
fn values_tree(changes: &[Value], values: impl Fn(&Value) -> Value) -> Value {
    let mut root = json!({"resources": [], "child_modules": []});
    for c in changes {
        let entry = json!({
            "address": c["address"], "mode": "managed", "type": c["type"], "name": c["name"],
            "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0,
            "values": values(c), "sensitive_values": {}
        });
        let mut at = &mut root;
        if let Some(m) = c["module_address"].as_str() {
            // `module.spoke[1].module.net["main"]` → `module.spoke[1]`, then the whole address.
            let outer = m.find(".module.").map_or(m, |i| &m[..i]);
            for address in [outer, m].into_iter().take(if outer == m { 1 } else { 2 }) {
                at = child(at, address);
            }
        }
        if let Some(list) = at["resources"].as_array_mut() {
            list.push(entry);
        }
    }
    root
}

fn child<'v>(module: &'v mut Value, address: &str) -> &'v mut Value {
    let children = &mut module["child_modules"];
    let pos = children.as_array().and_then(|a| a.iter().position(|c| c["address"] == address));
    let i = match (pos, children.as_array_mut()) {
        (Some(i), _) => i,
        (None, Some(list)) => {
            list.push(json!({"address": address, "resources": [], "child_modules": []}));
            list.len() - 1
        }
        (None, None) => return children,
    };
    &mut children[i]
}

fn rg_id(i: usize) -> String {
    format!("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-{i}")
}

/// Provider-like filler: attributes the allow-list does not name, as a real plan has them.
fn filler(prefix: &str, n: usize) -> Map<String, Value> {
    (0..n).map(|k| (format!("{prefix}_{k}"), json!(format!("value-{k}-{prefix}")))).collect()
}

fn spoke(i: usize) -> Vec<Value> {
    let module = format!("module.spoke[{i}]");
    let rg = rg_id(i);
    let kv_id = format!("{rg}/providers/Microsoft.KeyVault/vaults/kv-{i}");
    let mut sa = filler("setting", 20);
    sa.extend(
        json!({
            "name": format!("sa{i}"), "location": "japaneast", "account_tier": "Standard",
            "account_replication_type": "LRS", "access_tier": "Hot", "public_network_access_enabled": false,
            "tags": {"env": "prod", "spoke": i.to_string()}, "blob_properties": [{"versioning_enabled": true}]
        })
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone())),
    );
    let sa_unknown =
        json!({"id": true, "network_rules": true, "primary_access_key": true, "primary_connection_string": true});
    let mut kv = filler("policy", 16);
    kv.extend(json!({
        "id": kv_id, "name": format!("kv-{i}"), "location": "japaneast", "sku_name": "standard",
        "public_network_access_enabled": false, "network_acls": [{"default_action": "Deny", "bypass": "AzureServices"}]
    }).as_object().into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())));
    let pe = |name: &str, target: Option<&str>, sub: &str| {
        let mut psc = json!({"name": format!("psc-{name}"), "is_manual_connection": false, "subresource_names": [sub]});
        if let (Some(t), Some(m)) = (target, psc.as_object_mut()) {
            m.insert("private_connection_resource_id".into(), json!(t));
        }
        let after = json!({"name": format!("pe-{name}-{i}"), "location": "japaneast", "private_service_connection": [psc], "tags": {}});
        let unknown = json!({
            "id": true, "subnet_id": true, "network_interface": true, "custom_dns_configs": true,
            "private_dns_zone_configs": true,
            "private_service_connection": [if target.is_none() { json!({"private_connection_resource_id": true, "private_ip_address": true}) } else { json!({"private_ip_address": true}) }]
        });
        (after, unknown)
    };
    let (pe_sa, pe_sa_u) = pe("sa", None, "blob");
    let (pe_kv, pe_kv_u) = pe("kv", Some(&kv_id), "vault");
    let net = format!("{module}.module.net[\"main\"]");
    let subnet = json!({"name": "snet-pe", "address_prefixes": [format!("10.{}.{}.0/24", i / 256 % 256, i % 256)]});
    vec![
        change(Some(&module), "azurerm_storage_account", "sa", None, "create", Value::Object(sa), sa_unknown),
        change(Some(&module), "azurerm_key_vault", "kv", None, "no-op", Value::Object(kv), json!({})),
        change(Some(&module), "azurerm_private_endpoint", "pe_sa", None, "create", pe_sa, pe_sa_u),
        change(Some(&module), "azurerm_private_endpoint", "pe_kv", None, "create", pe_kv, pe_kv_u),
        change(Some(&net), "azurerm_subnet", "s", None, "create", subnet, json!({"id": true})),
    ]
}

fn change(
    module: Option<&str>,
    type_name: &str,
    name: &str,
    index: Option<Value>,
    action: &str,
    after: Value,
    unknown: Value,
) -> Value {
    let local = match &index {
        Some(i) => format!("{type_name}.{name}[{i}]"),
        None => format!("{type_name}.{name}"),
    };
    let address = module.map_or(local.clone(), |m| format!("{m}.{local}"));
    let mut rc = json!({
        "address": address, "mode": "managed", "type": type_name, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/azurerm",
        "change": {"actions": [action], "before": if action == "no-op" { after.clone() } else { Value::Null },
                   "after": after, "after_unknown": unknown, "before_sensitive": false, "after_sensitive": {}}
    });
    if let Some(m) = rc.as_object_mut() {
        if let Some(module) = module {
            m.insert("module_address".into(), json!(module));
        }
        if let Some(i) = index {
            m.insert("index".into(), i);
        }
    }
    rc
}

fn configuration() -> Value {
    let refs = |r: &[&str]| json!({"references": r});
    let resource = |t: &str, n: &str, expressions: Value| json!({"address": format!("{t}.{n}"), "mode": "managed", "type": t, "name": n, "provider_config_key": "azurerm", "expressions": expressions, "schema_version": 0});
    let pe = |n: &str, target: &[&str]| {
        resource(
            "azurerm_private_endpoint",
            n,
            json!({
                "name": refs(&["var.name"]),
                "subnet_id": refs(&["module.net[\"main\"].subnet_id", "module.net[\"main\"]", "module.net"]),
                "private_service_connection": [{"name": {"constant_value": "psc"}, "private_connection_resource_id": refs(target)}]
            }),
        )
    };
    json!({
        "provider_config": {"azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm"}},
        "root_module": {
            "resources": [resource("azurerm_resource_group", "rg", json!({"name": refs(&["count.index"])}))],
            "module_calls": {"spoke": {
                "source": "./spoke",
                "count_expression": {"constant_value": 1},
                "expressions": {"name": refs(&["count.index"])},
                "module": {
                    "resources": [
                        resource("azurerm_storage_account", "sa", json!({"account_tier": {"constant_value": "Standard"}})),
                        resource("azurerm_key_vault", "kv", json!({"sku_name": {"constant_value": "standard"}})),
                        pe("pe_sa", &["azurerm_storage_account.sa.id", "azurerm_storage_account.sa"]),
                        pe("pe_kv", &["azurerm_key_vault.kv.id", "azurerm_key_vault.kv"]),
                    ],
                    "module_calls": {"net": {
                        "source": "./net",
                        "for_each_expression": {"constant_value": {"main": "10.0.0.0/24"}},
                        "module": {
                            "resources": [resource("azurerm_subnet", "s", json!({"name": {"constant_value": "snet-pe"}}))],
                            "outputs": {"subnet_id": {"expression": refs(&["azurerm_subnet.s.id", "azurerm_subnet.s"])}}
                        }
                    }}
                }
            }}
        }
    })
}
