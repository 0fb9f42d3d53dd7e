//! Small inline plans, each written for one shape; expected addresses and attributes are read
//! off the plan text by hand.

use super::*;
use crate::iac::model::{Attr, Resource};
use serde_json::{Value, json};

fn allow() -> AllowList {
    AllowList::new([
        ("azurerm_private_endpoint", "private_service_connection[*].private_connection_resource_id"),
        ("azurerm_private_endpoint", "private_service_connection[*].subresource_names[*]"),
        ("azurerm_private_endpoint", "subnet_id"),
        ("azurerm_private_endpoint", "private_dns_zone_group[*].private_dns_zone_ids[*]"),
        ("azurerm_search_service", "sku"),
        ("azurerm_search_service", "public_network_access_enabled"),
        ("azurerm_storage_account", "network_rules"),
        ("azurerm_storage_account", "network_rules[*].default_action"),
        ("azurerm_storage_account", "public_network_access_enabled"),
        ("azurerm_key_vault", "sku_name"),
        ("azurerm_key_vault", "network_acls[*].default_action"),
        ("azurerm_mssql_server", "public_network_access_enabled"),
        ("azurerm_linux_web_app", "app_settings.WEBSITE_DNS_SERVER"),
        ("azurerm_linux_web_app", "site_config[*].ip_restriction_default_action"),
    ])
}

/// One resource change. `module` is the module address ("" for the root).
fn rc(
    module: &str,
    type_name: &str,
    name: &str,
    index: Option<Value>,
    actions: &[&str],
    after: Value,
    unknown: Value,
) -> Value {
    let local = match &index {
        Some(Value::String(s)) => format!("{type_name}.{name}[\"{s}\"]"),
        Some(i) => format!("{type_name}.{name}[{i}]"),
        None => format!("{type_name}.{name}"),
    };
    let address = if module.is_empty() { local } else { format!("{module}.{local}") };
    let mut v = json!({
        "address": address, "mode": "managed", "type": type_name, "name": name,
        "change": {"actions": actions, "before": null, "after": after, "after_unknown": unknown}
    });
    if !module.is_empty() {
        v["module_address"] = json!(module);
    }
    if let Some(i) = index {
        v["index"] = i;
    }
    v
}

fn refs(r: &[&str]) -> Value {
    json!({ "references": r })
}

fn cfg(type_name: &str, name: &str, expressions: Value) -> Value {
    json!({"address": format!("{type_name}.{name}"), "mode": "managed", "type": type_name, "name": name, "expressions": expressions})
}

fn pe_after(name: &str) -> Value {
    json!({"name": name, "location": "japaneast", "private_service_connection": [{"name": "psc", "subresource_names": ["searchService"]}]})
}

fn pe_unknown() -> Value {
    json!({"id": true, "subnet_id": true, "private_service_connection": [{"private_connection_resource_id": true}]})
}

const PSC: &str = "private_service_connection[0].private_connection_resource_id";

fn read_ok(plan: &Value) -> Read {
    read("plan.json", &plan.to_string(), &allow()).unwrap_or_else(|e| panic!("{e:?}"))
}

fn res<'r>(read: &'r Read, address: &str) -> &'r Resource {
    read.resources.iter().find(|r| r.address == address).unwrap_or_else(|| panic!("no {address} in {read:?}"))
}

fn target<'r>(read: &'r Read, address: &str) -> Option<&'r str> {
    res(read, address).reference(PSC)
}

/// `module.app` (count 2) > `module.spoke` (for_each a, b) > a search service and a private
/// endpoint, both `count = 2`, the endpoint's target `azurerm_search_service.main[count.index].id`
/// (Terraform lists that as `["azurerm_search_service.main", "count.index"]`).
#[test]
fn count_and_for_each_modules_two_deep_resolve_to_the_same_instance() {
    let mut changes = Vec::new();
    for app in 0..2 {
        for spoke in ["a", "b"] {
            let module = format!("module.app[{app}].module.spoke[\"{spoke}\"]");
            for i in 0..2 {
                let after =
                    json!({"name": format!("srch-{app}{spoke}{i}"), "location": "japaneast", "sku": "standard"});
                changes.push(rc(
                    &module,
                    "azurerm_search_service",
                    "main",
                    Some(json!(i)),
                    &["create"],
                    after,
                    json!({"id": true}),
                ));
                changes.push(rc(
                    &module,
                    "azurerm_private_endpoint",
                    "pe",
                    Some(json!(i)),
                    &["create"],
                    pe_after("pe"),
                    pe_unknown(),
                ));
            }
        }
    }
    let spoke = json!({"resources": [
        cfg("azurerm_search_service", "main", json!({"sku": {"constant_value": "standard"}})),
        cfg("azurerm_private_endpoint", "pe", json!({"private_service_connection": [
            {"private_connection_resource_id": refs(&["azurerm_search_service.main", "count.index"])}
        ]}))
    ]});
    let app = json!({"module_calls": {"spoke": {"for_each_expression": refs(&["var.spokes"]), "module": spoke}}});
    let plan = json!({"format_version": "1.2", "resource_changes": changes,
        "configuration": {"root_module": {"module_calls": {"app": {"count_expression": {"constant_value": 2}, "module": app}}}}});
    let read = read_ok(&plan);
    assert_eq!(read.resources.len(), 16);
    assert_eq!(
        target(&read, "module.app[1].module.spoke[\"b\"].azurerm_private_endpoint.pe[1]"),
        Some("module.app[1].module.spoke[\"b\"].azurerm_search_service.main[1]")
    );
    assert_eq!(
        target(&read, "module.app[0].module.spoke[\"a\"].azurerm_private_endpoint.pe[0]"),
        Some("module.app[0].module.spoke[\"a\"].azurerm_search_service.main[0]")
    );
    let pe = res(&read, "module.app[1].module.spoke[\"a\"].azurerm_private_endpoint.pe[0]");
    assert_eq!(pe.refs[PSC], vec!["module.app[1].module.spoke[\"a\"].azurerm_search_service.main[0]".to_string()]);
    assert_eq!(pe.attr(PSC), Some(&Attr::Unknown));
    assert_eq!(
        pe.attr("private_service_connection[0].subresource_names[0]").and_then(Attr::as_str),
        Some("searchService")
    );
    // `subnet_id` is unknown with no configuration expression: left out, not guessed.
    assert_eq!(pe.refs.get("subnet_id"), None);
    let search = res(&read, "module.app[0].module.spoke[\"b\"].azurerm_search_service.main[1]");
    assert_eq!(search.name, "srch-0b1");
    assert_eq!(search.attr("sku").and_then(Attr::as_str), Some("standard"));
    assert_eq!(search.location.as_str(), Some("japaneast"));
}

/// A module's `var.target_id`, set by the caller to `azurerm_search_service.main.id` (once) and to
/// `azurerm_search_service.s[count.index].id` in a `count = 2` call (Infracost #1442).
#[test]
fn references_through_module_variables_follow_the_calling_module() {
    let mut changes = vec![
        rc("", "azurerm_search_service", "main", None, &["create"], json!({"name": "srch"}), json!({"id": true})),
        rc("module.pe", "azurerm_private_endpoint", "this", None, &["create"], pe_after("pe-main"), pe_unknown()),
    ];
    for i in 0..2 {
        changes.push(rc(
            "",
            "azurerm_search_service",
            "s",
            Some(json!(i)),
            &["create"],
            json!({"name": "s"}),
            json!({"id": true}),
        ));
        let module = format!("module.pes[{i}]");
        changes.push(rc(&module, "azurerm_private_endpoint", "this", None, &["create"], pe_after("pe"), pe_unknown()));
    }
    let inner = json!({"resources": [cfg("azurerm_private_endpoint", "this", json!({
        "private_service_connection": [{"private_connection_resource_id": refs(&["var.target_id"])}]
    }))]});
    let plan = json!({"resource_changes": changes, "configuration": {"root_module": {
        "resources": [cfg("azurerm_search_service", "main", json!({})), cfg("azurerm_search_service", "s", json!({}))],
        "module_calls": {
            "pe": {"expressions": {"target_id": refs(&["azurerm_search_service.main.id", "azurerm_search_service.main"])}, "module": inner},
            "pes": {"count_expression": {"constant_value": 2},
                    "expressions": {"target_id": refs(&["azurerm_search_service.s", "count.index"])}, "module": inner}
        }
    }}});
    let read = read_ok(&plan);
    assert_eq!(target(&read, "module.pe.azurerm_private_endpoint.this"), Some("azurerm_search_service.main"));
    assert_eq!(target(&read, "module.pes[0].azurerm_private_endpoint.this"), Some("azurerm_search_service.s[0]"));
    assert_eq!(target(&read, "module.pes[1].azurerm_private_endpoint.this"), Some("azurerm_search_service.s[1]"));
}

/// `subnet_id = module.net.subnet_id`, an output of `azurerm_subnet.s.id`; a `for_each` over key
/// vaults whose endpoint reads `each.value.id`.
/// Two key vaults (for_each), a private endpoint to each through `each.value.id` and a subnet in
/// `module.net` reached through its output.
fn each_value_plan() -> Value {
    let kv = |k: &str| {
        rc(
            "",
            "azurerm_key_vault",
            "kv",
            Some(json!(k)),
            &["create"],
            json!({"name": k, "sku_name": "standard"}),
            json!({"id": true}),
        )
    };
    let pe = |k: &str| rc("", "azurerm_private_endpoint", "pe", Some(json!(k)), &["create"], pe_after(k), pe_unknown());
    json!({"resource_changes": [
        rc("module.net", "azurerm_subnet", "s", None, &["create"], json!({"name": "snet"}), json!({"id": true})),
        kv("a"), kv("b"), pe("a"), pe("b"),
    ], "configuration": {"root_module": {
        "resources": [
            cfg("azurerm_key_vault", "kv", json!({})),
            {"mode": "managed", "type": "azurerm_private_endpoint", "name": "pe",
             "for_each_expression": refs(&["azurerm_key_vault.kv"]),
             "expressions": {
                "subnet_id": refs(&["module.net.subnet_id", "module.net"]),
                "private_service_connection": [{"private_connection_resource_id": refs(&["each.value.id", "each.value"])}]
             }}
        ],
        "module_calls": {"net": {"module": {
            "resources": [cfg("azurerm_subnet", "s", json!({}))],
            "outputs": {"subnet_id": {"expression": refs(&["azurerm_subnet.s.id", "azurerm_subnet.s"])}}
        }}}
    }}})
}

#[test]
fn outputs_and_each_value_resolve() {
    let plan = each_value_plan();
    let read = read_ok(&plan);
    assert_eq!(target(&read, "azurerm_private_endpoint.pe[\"b\"]"), Some("azurerm_key_vault.kv[\"b\"]"));
    assert_eq!(target(&read, "azurerm_private_endpoint.pe[\"a\"]"), Some("azurerm_key_vault.kv[\"a\"]"));
    assert_eq!(
        res(&read, "azurerm_private_endpoint.pe[\"a\"]").reference("subnet_id"),
        Some("module.net.azurerm_subnet.s")
    );
}

/// Known ids match other instances' own ids (case-insensitively); an id outside the plan, a
/// `local`, a dynamic index beside a variable and a bare reference to a resource's other
/// attribute all stay unresolved.
#[test]
fn known_ids_match_and_nothing_is_guessed() {
    let kv_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1";
    let known = |name: &str, id: &str| {
        let mut after = pe_after(name);
        after["private_service_connection"][0]["private_connection_resource_id"] = json!(id);
        rc("", "azurerm_private_endpoint", name, None, &["create"], after, json!({"id": true}))
    };
    let search = |i: i64| {
        rc("", "azurerm_search_service", "s", Some(json!(i)), &["create"], json!({"name": "s"}), json!({"id": true}))
    };
    let unknown =
        |name: &str| rc("", "azurerm_private_endpoint", name, None, &["create"], pe_after(name), pe_unknown());
    let plan = json!({"resource_changes": [
        rc("", "azurerm_key_vault", "kv", None, &["no-op"], json!({"name": "kv1", "id": kv_id, "sku_name": "premium"}), json!({})),
        known("by_id", &kv_id.to_uppercase()),
        known("outside", "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/other"),
        search(0), search(1),
        unknown("local"), unknown("dynamic"), unknown("name_only"), unknown("splat"),
    ], "configuration": {"root_module": {"resources": [
        cfg("azurerm_private_endpoint", "local", json!({"private_service_connection": [{"private_connection_resource_id": refs(&["local.target"])}]})),
        cfg("azurerm_private_endpoint", "dynamic", json!({"private_service_connection": [{"private_connection_resource_id": refs(&["azurerm_search_service.s", "var.i"])}]})),
        cfg("azurerm_private_endpoint", "name_only", json!({"private_service_connection": [{"private_connection_resource_id": refs(&["azurerm_key_vault.kv.name", "azurerm_key_vault.kv"])}]})),
        cfg("azurerm_private_endpoint", "splat", json!({"private_service_connection": [{"private_connection_resource_id": refs(&["azurerm_search_service.s"])}]})),
    ]}}});
    let read = read_ok(&plan);
    assert_eq!(target(&read, "azurerm_private_endpoint.by_id"), Some("azurerm_key_vault.kv"));
    for none in ["outside", "local", "dynamic", "name_only"] {
        assert_eq!(res(&read, &format!("azurerm_private_endpoint.{none}")).refs, Default::default(), "{none}");
    }
    // No index at all (a splat): every instance, in plan order.
    assert_eq!(
        res(&read, "azurerm_private_endpoint.splat").refs[PSC],
        vec!["azurerm_search_service.s[0]", "azurerm_search_service.s[1]"]
    );
    // The key vault's own id is kept for matching only: `id` is not allow-listed.
    assert_eq!(res(&read, "azurerm_key_vault.kv").attr("id"), None);
    assert_eq!(res(&read, "azurerm_key_vault.kv").attr("sku_name").and_then(Attr::as_str), Some("premium"));
}

/// Unknown is not unset: a whole unknown block, an unknown value inside a known block, a block the
/// plan leaves out, and a value set to null.
#[test]
fn unknown_values_and_blocks() {
    let plan = json!({"resource_changes": [
        rc("", "azurerm_storage_account", "sa", None, &["create"],
           json!({"name": "sa1", "location": "japaneast", "public_network_access_enabled": true}),
           json!({"network_rules": true, "id": true})),
        rc("", "azurerm_key_vault", "kv", None, &["create"],
           json!({"name": "kv1", "location": null, "network_acls": [{"bypass": "AzureServices"}], "sku_name": null}),
           json!({"network_acls": [{"default_action": true}]})),
        rc("", "azurerm_search_service", "s", None, &["create"], json!({"name": "s"}), json!({"location": true})),
    ]});
    let read = read_ok(&plan);
    let sa = res(&read, "azurerm_storage_account.sa");
    assert_eq!(sa.attr("network_rules"), Some(&Attr::Unknown));
    assert_eq!(sa.attr("public_network_access_enabled").and_then(Attr::as_bool), Some(true));
    let kv = res(&read, "azurerm_key_vault.kv");
    assert_eq!(kv.attr("network_acls[0].default_action"), Some(&Attr::Unknown));
    assert_eq!(kv.attr("sku_name"), Some(&Attr::Known(Value::Null)));
    assert_eq!(kv.location, Attr::Known(Value::Null));
    let s = res(&read, "azurerm_search_service.s");
    assert_eq!(s.location, Attr::Unknown);
    assert_eq!(s.attr("public_network_access_enabled"), None);
}

/// Create, update, no-op and both replace orders stay; delete, forget and deposed objects are
/// skipped by address; data sources (in `resource_changes`, and read while planning in
/// `prior_state`) are existing resources.
#[test]
fn actions_data_sources_and_skips() {
    let sa = |name: &str, actions: &[&str]| {
        rc("", "azurerm_storage_account", name, None, actions, json!({"name": name}), json!({}))
    };
    let mut deposed = sa("old", &["delete"]);
    deposed["deposed"] = json!("00000001");
    let mut deleted = sa("gone", &["delete"]);
    deleted["change"]["after"] = Value::Null;
    let mut hub = rc(
        "",
        "azurerm_firewall",
        "hub",
        None,
        &["read"],
        json!({"name": "fw-hub", "location": "japaneast"}),
        json!({}),
    );
    hub["mode"] = json!("data");
    hub["address"] = json!("data.azurerm_firewall.hub");
    let plan = json!({
        "resource_changes": [
            sa("new", &["create"]), sa("changed", &["update"]), sa("same", &["no-op"]),
            sa("replaced", &["delete", "create"]), sa("cbd", &["create", "delete"]),
            deleted, sa("forgotten", &["forget"]), deposed, hub,
        ],
        "prior_state": {"values": {"root_module": {"child_modules": [{"address": "module.dns", "resources": [
            {"address": "module.dns.data.azurerm_private_dns_zone.blob", "mode": "data", "type": "azurerm_private_dns_zone",
             "name": "blob", "values": {"name": "privatelink.blob.core.windows.net", "id": "/subscriptions/0/x"}},
            {"address": "module.dns.azurerm_resource_group.rg", "mode": "managed", "type": "azurerm_resource_group", "name": "rg", "values": {}}
        ]}]}}}
    });
    let read = read_ok(&plan);
    let kept: Vec<(&str, bool)> = read.resources.iter().map(|r| (r.address.as_str(), r.existing)).collect();
    assert_eq!(
        kept,
        vec![
            ("azurerm_storage_account.new", false),
            ("azurerm_storage_account.changed", false),
            ("azurerm_storage_account.same", false),
            ("azurerm_storage_account.replaced", false),
            ("azurerm_storage_account.cbd", false),
            ("data.azurerm_firewall.hub", true),
            ("module.dns.data.azurerm_private_dns_zone.blob", true),
        ]
    );
    assert_eq!(res(&read, "module.dns.data.azurerm_private_dns_zone.blob").name, "privatelink.blob.core.windows.net");
    let skipped: Vec<(&str, &str)> = read.skipped.iter().map(|s| (s.address.as_str(), s.reason.as_str())).collect();
    assert_eq!(
        skipped,
        vec![
            ("azurerm_storage_account.gone", "deleted by this plan"),
            (
                "azurerm_storage_account.forgotten",
                "removed from Terraform state by this plan (a `removed` block); no longer managed"
            ),
            (
                "azurerm_storage_account.old",
                "a deposed object (the old copy create_before_destroy left), not the current instance"
            ),
        ]
    );
    assert!(read.skipped.iter().all(|s| s.type_name == "azurerm_storage_account"));
    assert_eq!(read.origin, Origin::Terraform);
    assert_eq!(read.file, "plan.json");
}

/// In a pretty-printed plan each resource carries the line of its `"address"` key.
#[test]
fn resources_carry_their_address_line() {
    let text = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [{"address": "azurerm_key_vault.kv"}]}},
  "resource_changes": [
    {
      "mode": "managed",
      "address": "azurerm_key_vault.kv",
      "type": "azurerm_key_vault",
      "name": "kv",
      "change": {"actions": ["create"], "after": {"name": "kv"}, "after_unknown": {}}
    },
    {
      "address": "azurerm_search_service.s", "mode": "managed", "type": "azurerm_search_service", "name": "s",
      "change": {"actions": ["create"], "after": {"name": "s"}, "after_unknown": {}}
    }
  ]
}"#;
    let read = read("plan.json", text, &allow()).unwrap_or_else(|e| panic!("{e:?}"));
    let lines: Vec<Option<u64>> = read.resources.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![Some(7), Some(13)]);
}

fn error(text: &str) -> String {
    match read("plan.json", text, &allow()) {
        Ok(r) => panic!("read {r:?}"),
        Err(e) => e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
    }
}

const HOW_HELP: &str =
    "\n  help: produce a plan JSON with `terraform plan -out tfplan && terraform show -json tfplan > plan.json`";

#[test]
fn what_is_not_a_plan_is_named() {
    let state_help = "\n  help: closednet reads what a plan will build, not what a state holds: produce a plan JSON with \
         `terraform plan -out tfplan && terraform show -json tfplan > plan.json`";
    let cases: Vec<(String, String)> = vec![
        ("".into(), format!("error: plan.json: the file is empty: expected a Terraform plan in JSON{HOW_HELP}")),
        (" \n\t\n".into(), format!("error: plan.json: the file is empty: expected a Terraform plan in JSON{HOW_HELP}")),
        (
            "PK\u{3}\u{4}tfplan".into(),
            "error: plan.json: this is a binary Terraform plan file (what `terraform plan -out` writes), not its JSON\n  \
             help: convert it with `terraform show -json tfplan > plan.json`, in the working directory that made it"
                .into(),
        ),
        (
            r#"{"version": 4, "terraform_version": "1.9.8", "serial": 3, "lineage": "x", "outputs": {}, "resources": []}"#.into(),
            format!("error: plan.json: this is a Terraform state file (`terraform.tfstate`, state format version 4), not a plan{state_help}"),
        ),
        (
            r#"{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {}}}"#.into(),
            format!(
                "error: plan.json: this is `terraform show -json` of a Terraform state (it has `values` and no \
                 `resource_changes`), not of a plan{state_help}"
            ),
        ),
        (
            "[command]/home/runner/work/_temp/abc/terraform-bin show -json tfplan\n{\"format_version\":\"1.2\",\"resource_changes\":[]}\n"
                .into(),
            wrapped("a `[command]` line before the JSON", 1),
        ),
        (
            "{\"format_version\":\"1.2\",\"resource_changes\":[]}\n::debug::Terraform exited with code 0.\n::debug::stdout: {}\n".into(),
            wrapped("`::debug::` lines after the JSON", 2),
        ),
        (
            "{\"@level\":\"info\",\"@message\":\"Terraform 1.9.8\",\"type\":\"version\"}\n{\"@level\":\"info\",\"@message\":\"Plan\"}\n".into(),
            format!(
                "error: plan.json:1:1: this is the streamed log of `terraform plan -json` (one JSON message a line), not a plan JSON{HOW_HELP}"
            ),
        ),
        (
            "\nTerraform used the selected providers to generate the following execution plan.\n".into(),
            format!("error: plan.json:2:1: this is the text output of `terraform plan`, not a plan JSON{HOW_HELP}"),
        ),
        (
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": []}"#.into(),
            "error: plan.json: this is an ARM deployment template, not a Terraform plan\n  help: read it with `closednet import arm FILE`".into(),
        ),
        (
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}"#.into(),
            "error: plan.json: this is an ARM deployment parameters file, not a Terraform plan\n  help: pass it with `--parameters` to \
             `closednet import arm TEMPLATE.json`"
                .into(),
        ),
        (
            r#"{"name": "x"}"#.into(),
            format!("error: plan.json: this JSON is not a Terraform plan: it has no `resource_changes` or `planned_values`{HOW_HELP}"),
        ),
        ("[1, 2]".into(), format!("error: plan.json: expected a Terraform plan (a JSON object), found an array{HOW_HELP}")),
        (
            "{\n  \"resource_changes\": [\n    {\"address\": }\n  ]\n}".into(),
            format!("error: plan.json:3:17: not valid JSON: expected value{HOW_HELP}"),
        ),
        (
            r#"{"format_version": "1.2", "errored": true, "resource_changes": []}"#.into(),
            "error: plan.json: errored: this plan is incomplete: Terraform stopped planning on an error (`errored: true`)\n  help: fix \
             the error `terraform plan` reports, then produce a plan JSON with `terraform plan -out tfplan && terraform show -json \
             tfplan > plan.json`"
                .into(),
        ),
        (
            r#"{"format_version": "2.0", "resource_changes": []}"#.into(),
            "error: plan.json: format_version: this plan JSON has a format version closednet does not read (it reads 0.x and 1.x)\n  \
             help: write the plan with a Terraform release whose `terraform show -json` writes format 1.x"
                .into(),
        ),
    ];
    for (text, want) in cases {
        assert_eq!(error(&text), want, "input: {text:?}");
    }
}

fn wrapped(what: &str, line: u64) -> String {
    format!(
        "error: plan.json:{line}:1: this is a Terraform plan JSON wrapped in the lines hashicorp/setup-terraform's wrapper prints \
         ({what}); closednet reads the plan JSON alone and does not strip them\n  help: set `terraform_wrapper: false` on the \
         hashicorp/setup-terraform step, then write the plan with `terraform show -json tfplan > plan.json`"
    )
}

#[test]
fn bytes_that_are_not_utf8_text() {
    let bin = read_bytes("tfplan", b"PK\x03\x04\x14\x00\x08\x00\xff\xfe", &allow()).unwrap_err();
    assert_eq!(
        bin[0].message,
        "this is a binary Terraform plan file (what `terraform plan -out` writes), not its JSON"
    );
    let latin1 = read_bytes("plan.json", b"{\n  \"a\": \"caf\xe9\"}", &allow()).unwrap_err();
    assert_eq!(
        latin1[0].to_string(),
        format!("error: plan.json:2:12: the file is not UTF-8 text: expected a Terraform plan in JSON{HOW_HELP}")
    );
    let plan = r#"{"resource_changes": [{"address": "azurerm_key_vault.kv", "mode": "managed", "type": "azurerm_key_vault", "name": "kv", "change": {"actions": ["create"], "after": {"name": "kv"}}}]}"#;
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(plan.encode_utf16().flat_map(u16::to_le_bytes));
    let read = read_bytes("plan.json", &utf16, &allow()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(read.resources[0].address, "azurerm_key_vault.kv");
}

#[test]
fn malformed_changes_name_the_element_and_field_and_line() {
    let text = r#"{"resource_changes": [
  {"address": "a.b", "mode": "managed", "type": "a", "name": "b", "change": {"actions": ["create"]}},
  {"address": "a.c", "mode": "managed", "type": "a", "name": "c", "change": {"actions": "create"}},
  {"address": 7, "mode": "managed", "type": "a", "name": "d", "change": {"actions": ["create"]}},
  {"address": "a.e", "mode": "resource", "type": "a", "name": "e", "change": {"actions": ["create"]}},
  {"address": "a.f", "mode": "managed", "type": "a", "name": "f", "index": 1.5, "change": {"actions": ["create"]}},
  {"address": "module.x[.a.g", "module_address": "module.x[", "mode": "managed", "type": "a", "name": "g", "change": {"actions": ["create"]}}
]}"#;
    assert_eq!(
        error(text),
        "error: plan.json:3: resource_changes[1].change.actions: `change.actions` is missing or not a list of strings\n\
         error: plan.json:4: resource_changes[2].address: `address` is missing or not a string\n\
         error: plan.json:5: resource_changes[3].mode: `mode` must be \"managed\" or \"data\"\n\
         error: plan.json:6: resource_changes[4].index: `index` must be a whole number or a string\n\
         error: plan.json:7: resource_changes[5].module_address: `module_address` is not a module address"
    );
}

#[test]
fn shapes_that_are_not_lists_or_objects() {
    assert_eq!(
        error(r#"{"resource_changes": {"a": 1}}"#),
        "error: plan.json: resource_changes: `resource_changes` is not a list"
    );
    assert_eq!(
        error(
            "{\"resource_changes\": [\n  7,\n  {\"address\": \"a.b\", \"mode\": \"managed\", \"type\": \"a\", \"name\": \"b\", \"change\": [1]}\n]}"
        ),
        "error: plan.json:2: resource_changes[0]: a resource change must be an object\n\
         error: plan.json:3: resource_changes[1].change: `change` is missing or not an object"
    );
    assert_eq!(
        error(r#"{"resource_changes": [], "resource_changes": []}"#),
        format!("error: plan.json:1:43: not a plan JSON: duplicate field `resource_changes`{HOW_HELP}")
    );
    let read =
        read("plan.json", r#"{"resource_changes": [], "prior_state": {"values": {"root_module": []}}}"#, &allow())
            .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        read.warnings,
        vec![
            "`prior_state` has a shape closednet does not read, so data sources Terraform read while planning are not in this import"
        ]
    );
    assert!(read.resources.is_empty());
}

const SECRET: &str = "PLANTED-SECRET-tf1";

/// A plan with the secret in `administrator_login_password`, a `connection_string` block, an
/// allow-listed app setting the plan marks sensitive, the variables, `before`, `prior_state`,
/// `planned_values` and a configuration constant.
fn secret_plan() -> Value {
    let server = rc(
        "",
        "azurerm_mssql_server",
        "sql",
        None,
        &["update"],
        json!({"name": "sql1", "administrator_login": "admin", "administrator_login_password": SECRET,
               "public_network_access_enabled": false, "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1"}),
        json!({}),
    );
    let mut server = server;
    server["change"]["before"] = json!({"administrator_login_password": SECRET});
    server["change"]["after_sensitive"] = json!({"administrator_login_password": true});
    let mut app = rc(
        "",
        "azurerm_linux_web_app",
        "app",
        None,
        &["create"],
        json!({"name": "app1", "location": "japaneast",
               "app_settings": {"WEBSITE_DNS_SERVER": SECRET, "DB": SECRET},
               "connection_string": [{"name": "Db", "type": "SQLAzure", "value": SECRET}],
               "site_config": [{"ip_restriction_default_action": "Deny"}]}),
        json!({"id": true}),
    );
    app["change"]["after_sensitive"] =
        json!({"app_settings": {"WEBSITE_DNS_SERVER": true}, "connection_string": [{"value": true}]});
    json!({
        "format_version": "1.2",
        "variables": {"sql_password": {"value": SECRET}},
        "planned_values": {"root_module": {"resources": [{"address": "azurerm_linux_web_app.app", "values": {"app_settings": {"WEBSITE_DNS_SERVER": SECRET}},
            "sensitive_values": {"app_settings": {"WEBSITE_DNS_SERVER": true}}}]}},
        "resource_changes": [server, app],
        "prior_state": {"values": {"root_module": {"resources": [{"address": "data.azurerm_key_vault_secret.s", "mode": "data",
            "type": "azurerm_key_vault_secret", "name": "s", "values": {"name": "db-password", "value": SECRET}, "sensitive_values": {"value": true}}]}}},
        "configuration": {"root_module": {"resources": [cfg("azurerm_mssql_server", "sql", json!({"administrator_login_password": {"constant_value": SECRET}}))]}}
    })
}

#[test]
fn planted_secrets_reach_no_read_and_no_error() {
    let plan = secret_plan();
    let read = read_ok(&plan);
    let shown = format!("{read:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    let sql = res(&read, "azurerm_mssql_server.sql");
    assert_eq!(sql.attr("administrator_login_password"), None);
    assert_eq!(sql.attr("public_network_access_enabled").and_then(Attr::as_bool), Some(false));
    let app = res(&read, "azurerm_linux_web_app.app");
    assert_eq!(app.attr("app_settings.WEBSITE_DNS_SERVER"), Some(&Attr::Unknown));
    assert_eq!(app.attr("site_config[0].ip_restriction_default_action").and_then(Attr::as_str), Some("Deny"));
    assert_eq!(
        app.attrs.keys().map(String::as_str).collect::<Vec<_>>(),
        vec!["app_settings.WEBSITE_DNS_SERVER", "location", "name", "site_config[0].ip_restriction_default_action"]
    );
    assert_eq!(
        read.warnings,
        vec![
            "azurerm_linux_web_app.app: `app_settings.WEBSITE_DNS_SERVER` is marked sensitive in the plan, so closednet reads it as unknown"
        ]
    );
    // Every value the read keeps, printed in full: none is the secret.
    for r in &read.resources {
        for a in r.attrs.values().chain([&r.location]) {
            if let Attr::Known(v) = a {
                assert!(!v.to_string().contains(SECRET));
            }
        }
        assert!(!r.name.contains(SECRET));
    }

    // Every error path, given inputs that carry the secret.
    let text = plan.to_string();
    let mut inputs = vec![
        format!("[command]/usr/bin/terraform-bin show -json tfplan\n{text}"),
        format!("{text}\n::debug::stdout: {text}"),
        format!(r#"{{"version": 4, "resources": [{{"instances": [{{"attributes": {{"password": "{SECRET}"}}}}]}}]}}"#),
        format!(
            r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [{{"values": {{"password": "{SECRET}"}}}}]}}}}}}"#
        ),
        format!(r#"{{"$schema": "deploymentTemplate.json", "parameters": {{"p": {{"defaultValue": "{SECRET}"}}}}}}"#),
        format!(
            r#"{{"resource_changes": [{{"address": "a.b", "mode": "{SECRET}", "type": "a", "name": "b", "change": {{"actions": ["create"], "after": {{"x": "{SECRET}"}}}}}}]}}"#
        ),
        format!(
            r#"{{"resource_changes": [{{"address": "a.b", "mode": "managed", "type": "a", "name": "b", "index": {{"k": "{SECRET}"}}, "change": {{"actions": ["{SECRET}"]}}}}]}}"#
        ),
        format!(r#"{{"resource_changes": "{SECRET}"}}"#),
        format!(r#"{{"resource_changes": ["{SECRET}"]}}"#),
        format!(
            r#"{{"resource_changes": [{{"address": "a.b", "mode": "managed", "type": "a", "name": "b", "change": "{SECRET}"}}]}}"#
        ),
        format!(r#"{{"resource_changes": [], "resource_changes": "{SECRET}"}}"#),
        format!(r#"{{"resource_changes": [], "prior_state": "{SECRET}"}}"#),
        format!(
            r#"{{"resource_changes": [], "prior_state": {{"values": {{"root_module": {{"resources": [{{"mode": "data", "address": "{SECRET}", "values": "{SECRET}"}}]}}}}}}}}"#
        ),
        format!(r#"{{"password": "{SECRET}" "#),
        format!(r#"["{SECRET}"]"#),
        format!(r#""{SECRET}""#),
        format!("{SECRET} {text}"),
    ];
    inputs.extend((0..text.len()).step_by(97).map(|n| text[..n].to_string()));
    for input in &inputs {
        match super::read("plan.json", input, &allow()) {
            Ok(r) => assert!(!format!("{r:?}").contains(SECRET), "{input}"),
            Err(errors) => {
                for e in &errors {
                    let shown = format!("{e}\n{e:?}");
                    assert!(!shown.contains(SECRET), "{input}\n{shown}");
                }
            }
        }
    }
}

/// Truncations and single-character changes of a plan with modules, references and unknowns:
/// every one reads or fails with diagnostics, none panics.
#[test]
fn mutated_and_truncated_plans_never_panic() {
    let pretty = serde_json::to_string_pretty(&each_value_plan()).unwrap_or_default();
    for text in [pretty, secret_plan().to_string()] {
        for n in (0..=text.len()).step_by(2) {
            if let Some(prefix) = text.get(..n) {
                let _ = read("plan.json", prefix, &allow());
            }
        }
        for (i, _) in text.char_indices().step_by(5) {
            for replacement in ["\"", "{", "]", "0", "\\", ""] {
                let mut s = text.clone();
                s.replace_range(i..i + s[i..].chars().next().map_or(0, char::len_utf8), replacement);
                let _ = read("plan.json", &s, &allow());
            }
        }
    }
    let deep = "[".repeat(100_000);
    assert!(error(&deep).contains("not valid JSON: recursion limit exceeded"));
}

/// A configuration whose module output and variable refer to each other twice over stops, with
/// nothing resolved.
#[test]
fn cyclic_references_stop() {
    let loop_refs = refs(&["module.a.o", "module.a", "module.a.p", "module.a"]);
    let plan = json!({"resource_changes": [
        rc("", "azurerm_private_endpoint", "pe", None, &["create"], pe_after("pe"), pe_unknown())
    ], "configuration": {"root_module": {
        "resources": [cfg("azurerm_private_endpoint", "pe", json!({"private_service_connection": [{"private_connection_resource_id": loop_refs.clone()}]}))],
        "module_calls": {"a": {"expressions": {"x": loop_refs.clone(), "y": loop_refs}, "module": {"outputs": {
            "o": {"expression": refs(&["var.x", "var.y"])}, "p": {"expression": refs(&["var.y", "var.x"])}
        }}}}
    }}});
    assert_eq!(res(&read_ok(&plan), "azurerm_private_endpoint.pe").refs, Default::default());
}

#[test]
fn the_synthetic_plan_reads_as_generated() {
    let read = read_ok(&serde_json::from_str(&synthetic_plan(12)).unwrap_or_default());
    assert_eq!(read.resources.len(), 12);
    assert_eq!(
        target(&read, "module.spoke[1].azurerm_private_endpoint.pe_sa"),
        Some("module.spoke[1].azurerm_storage_account.sa")
    );
    assert_eq!(
        target(&read, "module.spoke[0].azurerm_private_endpoint.pe_kv"),
        Some("module.spoke[0].azurerm_key_vault.kv")
    );
    assert_eq!(
        res(&read, "module.spoke[1].azurerm_private_endpoint.pe_kv").reference("subnet_id"),
        Some("module.spoke[1].module.net[\"main\"].azurerm_subnet.s")
    );
    assert_eq!(res(&read, "azurerm_resource_group.rg[1]").address, "azurerm_resource_group.rg[1]");
}
