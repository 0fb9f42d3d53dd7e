//! Whole templates through [`super::read`]: loops, conditions, child resources, nested
//! deployments, `languageVersion: 2.0`, references, placeholders, secrets and hostile input.
//! Every expected value is worked out by hand from the template in the test.

use serde_json::json;

use super::read;
use crate::error::Diagnostic;
use crate::iac::model::{AllowList, Attr, Read, Resource};

const RG: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/closednet-import";

fn allow() -> AllowList {
    AllowList::new([
        (
            "Microsoft.Network/privateEndpoints",
            "properties.privateLinkServiceConnections[*].properties.privateLinkServiceId",
        ),
        ("Microsoft.Network/privateEndpoints", "properties.privateLinkServiceConnections[*].properties.groupIds[*]"),
        ("Microsoft.Network/privateEndpoints", "properties.subnet.id"),
        ("Microsoft.KeyVault/vaults", "properties.networkAcls.defaultAction"),
        ("Microsoft.KeyVault/vaults", "properties.publicNetworkAccess"),
        ("Microsoft.Search/searchServices", "properties.publicNetworkAccess"),
        ("Microsoft.Search/searchServices/sharedPrivateLinkResources", "properties.privateLinkResourceId"),
        ("Microsoft.Web/sites", "properties.serverFarmId"),
        ("Microsoft.Web/sites", "kind"),
        ("Microsoft.Network/networkInterfaces", "properties.ipConfigurations[*].properties.publicIPAddress.id"),
        ("Microsoft.Network/networkInterfaces", "properties.ipConfigurations[*].properties.privateIPAddress"),
        ("Microsoft.Storage/storageAccounts", "properties.foo"),
        ("*", "tags.env"),
    ])
    .priced([("*", "sku.name"), ("*", "sku.capacity"), ("*", "location")])
}

fn ok(template: serde_json::Value) -> Read {
    read("t.json", &template.to_string(), None, Some("eastus"), &allow()).expect("the template reads")
}

fn err(template: serde_json::Value) -> Vec<Diagnostic> {
    read("t.json", &template.to_string(), None, Some("eastus"), &allow()).expect_err("the template is refused")
}

fn by_name<'r>(read: &'r Read, name: &str) -> &'r Resource {
    read.resources.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no resource named {name}"))
}

fn known(s: &str) -> Attr {
    Attr::Known(json!(s))
}

fn template(resources: serde_json::Value) -> serde_json::Value {
    json!({ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": resources })
}

#[test]
fn copy_loops_with_offsets_and_property_loops() {
    let r = ok(json!({
        "parameters": { "count": { "type": "int", "defaultValue": 2 } },
        "resources": [{
            "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-04-01",
            "name": "[concat('nic-', copyIndex(1))]", "location": "[resourceGroup().location]",
            "copy": { "name": "nics", "count": "[parameters('count')]" },
            "properties": { "copy": [{
                "name": "ipConfigurations", "count": 2,
                "input": { "name": "[format('ip{0}', copyIndex('ipConfigurations'))]",
                           "properties": { "privateIPAddress": "[format('10.0.{0}.{1}', copyIndex('nics'), copyIndex('ipConfigurations', 4))]" } }
            }] }
        }]
    }));
    let names: Vec<&str> = r.resources.iter().map(|x| x.address.as_str()).collect();
    assert_eq!(
        names,
        [
            "Microsoft.Network/networkInterfaces/nic-1 (resources[0], copy 0)",
            "Microsoft.Network/networkInterfaces/nic-2 (resources[0], copy 1)"
        ]
    );
    let nic2 = by_name(&r, "nic-2");
    assert_eq!(nic2.attr("properties.ipConfigurations[0].properties.privateIPAddress"), Some(&known("10.0.1.4")));
    assert_eq!(nic2.attr("properties.ipConfigurations[1].properties.privateIPAddress"), Some(&known("10.0.1.5")));
    assert_eq!(nic2.location, known("eastus"));
    assert_eq!(nic2.attr("name"), Some(&known("nic-2")));
    assert!(nic2.attr("properties.ipConfigurations[0].name").is_none(), "not allow-listed");
    assert_eq!(nic2.line, Some(1), "serde_json writes the whole template on one line");
}

#[test]
fn variables_with_copy_and_a_zero_count() {
    let r = ok(json!({
        "variables": {
            "copy": [{ "name": "subnets", "count": 3, "input": "[concat('sn', copyIndex('subnets'))]" }],
            "env": { "copy": [{ "name": "list", "count": 2, "input": "[copyIndex('list', 10)]" }] }
        },
        "resources": [
            { "type": "Microsoft.KeyVault/vaults", "name": "[variables('subnets')[2]]", "tags": { "env": "[string(variables('env').list)]" } },
            { "type": "Microsoft.KeyVault/vaults", "name": "never", "copy": { "name": "none", "count": 0 } }
        ]
    }));
    let kv = by_name(&r, "sn2");
    assert_eq!(kv.attr("tags.env"), Some(&known("[10,11]")));
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].address, "Microsoft.KeyVault/vaults (resources[1])");
    assert_eq!(r.skipped[0].reason, "its copy loop 'none' has a count of 0");
}

#[test]
fn a_false_condition_skips_the_resource_and_its_children() {
    let r = ok(template(json!([
        { "condition": "[equals('new', 'existing')]", "type": "Microsoft.Network/virtualNetworks", "name": "vnet",
          "resources": [{ "type": "subnets", "name": "default" }] },
        { "condition": true, "type": "Microsoft.KeyVault/vaults", "name": "kv" }
    ])));
    assert_eq!(r.resources.len(), 1);
    assert_eq!(r.resources[0].address, "Microsoft.KeyVault/vaults/kv (resources[1])");
    assert_eq!(r.skipped.len(), 2);
    assert_eq!(r.skipped[0].address, "Microsoft.Network/virtualNetworks/vnet (resources[0])");
    assert_eq!(r.skipped[0].reason, "its condition (resources[0].condition) is false");
    assert_eq!(r.skipped[1].address, "Microsoft.Network/virtualNetworks/subnets (resources[0].resources[0])");
    assert_eq!(r.skipped[1].reason, "its parent Microsoft.Network/virtualNetworks/vnet (resources[0]) is not deployed");
}

#[test]
fn child_resources_get_full_types_and_names() {
    let r = ok(template(json!([{
        "type": "Microsoft.Search/searchServices", "name": "srch",
        "resources": [
            { "type": "sharedPrivateLinkResources", "name": "spl",
              "properties": { "privateLinkResourceId": "[resourceId('Microsoft.Web/sites', 'app')]" } },
            { "type": "Microsoft.Search/searchServices/sharedPrivateLinkResources", "name": "srch/spl2" }
        ]
    }, { "type": "Microsoft.Web/sites", "name": "app" }])));
    let spl = by_name(&r, "srch/spl");
    assert_eq!(spl.type_name, "Microsoft.Search/searchServices/sharedPrivateLinkResources");
    assert_eq!(
        spl.address,
        "Microsoft.Search/searchServices/sharedPrivateLinkResources/srch/spl (resources[0].resources[0])"
    );
    assert_eq!(spl.reference("properties.privateLinkResourceId"), Some("Microsoft.Web/sites/app (resources[1])"));
    assert_eq!(by_name(&r, "srch/spl2").type_name, "Microsoft.Search/searchServices/sharedPrivateLinkResources");
}

#[test]
fn references_resolve_to_the_targets_address() {
    let r = ok(json!({
        "variables": { "kvName": "kv-demo" },
        "resources": [
            { "type": "Microsoft.Network/virtualNetworks", "name": "vnet",
              "properties": { "subnets": [{ "name": "pe" }] } },
            { "type": "Microsoft.Web/serverfarms", "name": "plan", "sku": { "name": "P1v3", "capacity": 2 } },
            { "type": "Microsoft.Web/sites", "name": "app", "kind": "app",
              "properties": { "serverFarmId": "[resourceId('Microsoft.Web/serverfarms', 'plan')]" } },
            { "type": "Microsoft.KeyVault/vaults", "name": "[variables('kvName')]",
              "properties": { "networkAcls": { "defaultAction": "Deny" }, "secret": "not kept" } },
            { "type": "Microsoft.Network/privateEndpoints", "name": "pe-kv",
              "properties": {
                  "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')]" },
                  "privateLinkServiceConnections": [{ "name": "c", "properties": {
                      "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', variables('kvName'))]",
                      "groupIds": ["vault"] } }] } },
            { "type": "Microsoft.Network/publicIPAddresses", "name": "pip" },
            { "type": "Microsoft.Network/networkInterfaces", "name": "nic",
              "properties": { "ipConfigurations": [{ "properties": { "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip')]" } } }] } }
        ]
    }));
    let pe = by_name(&r, "pe-kv");
    let link = "properties.privateLinkServiceConnections[0].properties.privateLinkServiceId";
    assert_eq!(pe.reference(link), Some("Microsoft.KeyVault/vaults/kv-demo (resources[3])"));
    assert_eq!(pe.attr(link), Some(&known(&format!("{RG}/providers/Microsoft.KeyVault/vaults/kv-demo"))));
    assert_eq!(pe.attr("properties.privateLinkServiceConnections[0].properties.groupIds[0]"), Some(&known("vault")));
    assert_eq!(pe.reference("properties.subnet.id"), Some("Microsoft.Network/virtualNetworks/vnet (resources[0])"));
    let app = by_name(&r, "app");
    assert_eq!(app.reference("properties.serverFarmId"), Some("Microsoft.Web/serverfarms/plan (resources[1])"));
    assert_eq!(app.attr("kind"), Some(&known("app")));
    let plan = by_name(&r, "plan");
    assert_eq!(plan.attr("sku.capacity"), Some(&Attr::Known(json!(2))));
    let nic = by_name(&r, "nic");
    assert_eq!(
        nic.reference("properties.ipConfigurations[0].properties.publicIPAddress.id"),
        Some("Microsoft.Network/publicIPAddresses/pip (resources[5])")
    );
    let kv = by_name(&r, "kv-demo");
    assert_eq!(kv.attr("properties.networkAcls.defaultAction"), Some(&known("Deny")));
    assert_eq!(kv.attrs.len(), 2, "name and the ACL default: {:?}", kv.attrs.keys());
}

#[test]
fn unknown_values_are_unknown_wherever_they_flow() {
    let r = ok(template(json!([
        { "type": "Microsoft.KeyVault/vaults", "name": "kv",
          "properties": { "networkAcls": "[reference('x').acls]", "publicNetworkAccess": "[listKeys('y', '2020-01-01').keys[0].value]" } },
        { "type": "Microsoft.Search/searchServices", "name": "s", "sku": "[reference('z').sku]" }
    ])));
    let kv = by_name(&r, "kv");
    assert_eq!(kv.attr("properties.networkAcls.defaultAction"), Some(&Attr::Unknown));
    assert_eq!(kv.attr("properties.publicNetworkAccess"), Some(&Attr::Unknown));
    let s = by_name(&r, "s");
    assert_eq!(s.attr("sku.name"), Some(&Attr::Unknown), "unknown at deployment, not a missing parameter: no error");
}

#[test]
fn nested_deployments_in_inner_and_outer_scope() {
    let r = ok(json!({
        "parameters": { "prefix": { "type": "string", "defaultValue": "demo" } },
        "variables": { "outerVar": "outer-kv" },
        "resources": [
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "module-a",
              "properties": {
                  "expressionEvaluationOptions": { "scope": "inner" }, "mode": "Incremental",
                  "parameters": { "name": { "value": "[concat(parameters('prefix'), '-search')]" }, "tier": { "value": "standard" } },
                  "template": {
                      "parameters": { "name": { "type": "string" }, "tier": { "type": "string" },
                                      "prefix": { "type": "string", "defaultValue": "inner" } },
                      "resources": [{ "type": "Microsoft.Search/searchServices", "name": "[parameters('name')]",
                                      "location": "[resourceGroup().location]",
                                      "sku": { "name": "[parameters('tier')]" },
                                      "tags": { "env": "[concat(parameters('prefix'), '-', deployment().name)]" } }]
                  } } },
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "module-b",
              "properties": { "mode": "Incremental", "template": {
                  "resources": [{ "type": "Microsoft.KeyVault/vaults", "name": "[variables('outerVar')]",
                                  "tags": { "env": "[parameters('prefix')]" } }] } } },
            { "type": "Microsoft.Network/privateEndpoints", "name": "pe",
              "properties": { "privateLinkServiceConnections": [{ "properties": {
                  "privateLinkServiceId": "[resourceId('Microsoft.Search/searchServices', 'demo-search')]" } }] } }
        ]
    }));
    let search = by_name(&r, "demo-search");
    assert_eq!(
        search.address,
        "Microsoft.Search/searchServices/demo-search (resources[0].properties.template.resources[0])"
    );
    assert_eq!(search.attr("sku.name"), Some(&known("standard")));
    assert_eq!(search.attr("tags.env"), Some(&known("inner-module-a")), "inner scope: its own prefix default");
    let kv = by_name(&r, "outer-kv");
    assert_eq!(kv.address, "Microsoft.KeyVault/vaults/outer-kv (resources[1].properties.template.resources[0])");
    assert_eq!(kv.attr("tags.env"), Some(&known("demo")), "outer scope: the parent's parameters");
    let pe = by_name(&r, "pe");
    assert_eq!(
        pe.reference("properties.privateLinkServiceConnections[0].properties.privateLinkServiceId"),
        Some("Microsoft.Search/searchServices/demo-search (resources[0].properties.template.resources[0])")
    );
    assert!(r.resources.iter().all(|x| x.type_name != "Microsoft.Resources/deployments"));
}

#[test]
fn module_outputs_carry_ids_between_nested_deployments() {
    // As Bicep writes modules: the endpoint module is read first and gets its target from the
    // vault module's output, through reference(); an optional parameter is an expression entry.
    let module = |resources: serde_json::Value, params: serde_json::Value, outputs: serde_json::Value| {
        json!({ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "parameters": params, "resources": resources, "outputs": outputs })
    };
    let r = ok(json!({
        "languageVersion": "2.0",
        "resources": {
            "endpoint": { "type": "Microsoft.Resources/deployments", "name": "pe-module",
                "properties": { "expressionEvaluationOptions": { "scope": "inner" },
                    "parameters": {
                        "target": { "value": "[reference('vault').outputs.id.value]" },
                        "peName": "[if(true(), createObject('value', 'pe-kv'), createObject('value', 'other'))]" },
                    "template": module(
                        json!([{ "type": "Microsoft.Network/privateEndpoints", "name": "[parameters('peName')]",
                                 "properties": { "privateLinkServiceConnections": [{ "properties": { "privateLinkServiceId": "[parameters('target')]" } }] } }]),
                        json!({ "target": { "type": "string" }, "peName": { "type": "string" } }),
                        json!({})) } },
            "vault": { "type": "Microsoft.Resources/deployments", "name": "kv-module",
                "properties": { "expressionEvaluationOptions": { "scope": "inner" },
                    "parameters": { "name": { "value": "kv-demo" } },
                    "template": module(
                        json!([{ "type": "Microsoft.KeyVault/vaults", "name": "[parameters('name')]" }]),
                        json!({ "name": { "type": "string" } }),
                        json!({ "id": { "type": "string", "value": "[resourceId('Microsoft.KeyVault/vaults', parameters('name'))]" },
                                "secret": { "type": "string", "value": "[listKeys('x', '1').key]" } })) } }
        }
    }));
    let pe = by_name(&r, "pe-kv");
    assert_eq!(
        pe.address,
        "Microsoft.Network/privateEndpoints/pe-kv (resources.endpoint.properties.template.resources[0])"
    );
    assert_eq!(
        pe.reference("properties.privateLinkServiceConnections[0].properties.privateLinkServiceId"),
        Some("Microsoft.KeyVault/vaults/kv-demo (resources.vault.properties.template.resources[0])")
    );
}

#[test]
fn subscription_templates_deploy_into_named_resource_groups() {
    let r = ok(json!({
        "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "resources": [
            { "type": "Microsoft.Resources/resourceGroups", "name": "rg-app", "location": "[deployment().location]" },
            { "type": "Microsoft.Resources/deployments", "name": "inner", "resourceGroup": "rg-app",
              "properties": { "expressionEvaluationOptions": { "scope": "inner" }, "template": {
                  "resources": [{ "type": "Microsoft.KeyVault/vaults", "name": "[concat('kv-', resourceGroup().name)]",
                                  "location": "[resourceGroup().location]" }] } } },
            { "type": "Microsoft.Network/privateEndpoints", "name": "pe", "location": "eastus",
              "properties": { "privateLinkServiceConnections": [{ "properties": {
                  "privateLinkServiceId": "[resourceId('rg-app', 'Microsoft.KeyVault/vaults', 'kv-rg-app')]" } }] } }
        ]
    }));
    assert_eq!(by_name(&r, "rg-app").location, known("eastus"));
    let kv = by_name(&r, "kv-rg-app");
    assert_eq!(kv.location, known("eastus"));
    assert_eq!(
        by_name(&r, "pe").reference("properties.privateLinkServiceConnections[0].properties.privateLinkServiceId"),
        Some("Microsoft.KeyVault/vaults/kv-rg-app (resources[1].properties.template.resources[0])")
    );
    let d = err(json!({
        "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        "resources": [{ "type": "Microsoft.Resources/resourceGroups", "name": "[resourceGroup().name]" }]
    }));
    assert_eq!(d[0].message, "function 'resourceGroup': is only available in a template deployed to a resource group");
}

#[test]
fn a_condition_known_only_at_deployment_is_read_as_deployed_with_a_warning() {
    let r = ok(template(
        json!([{ "condition": "[equals(reference('x').state, 'on')]", "type": "Microsoft.KeyVault/vaults", "name": "kv" }]),
    ));
    assert_eq!(r.resources.len(), 1);
    assert_eq!(
        r.warnings,
        [
            "Microsoft.KeyVault/vaults/kv (resources[0]): its condition (resources[0].condition) is only known at deployment; it is read as deployed"
        ]
    );
}

#[test]
fn linked_templates_are_listed_as_skipped() {
    let r = ok(template(json!([{ "type": "Microsoft.Resources/deployments", "name": "linked",
        "properties": { "templateLink": { "uri": "https://example.invalid/t.json" } } }])));
    assert_eq!(r.resources.len(), 0);
    assert_eq!(r.skipped[0].address, "Microsoft.Resources/deployments/linked (resources[0])");
    assert!(r.skipped[0].reason.starts_with("a linked template (properties.templateLink) cannot be read offline"));
    assert_eq!(r.warnings.len(), 1);
}

#[test]
fn language_version_2_symbolic_resources_and_user_functions() {
    let r = ok(json!({
        "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "functions": [{ "namespace": "__bicep", "members": { "kvName": {
            "parameters": [{ "name": "base", "type": "string" }],
            "output": { "type": "string", "value": "[format('kv-{0}', parameters('base'))]" } } } }],
        "parameters": { "base": { "type": "string", "defaultValue": "demo" }, "opt": { "type": "string", "nullable": true } },
        "resources": {
            "plan": { "existing": true, "type": "Microsoft.Web/serverfarms", "apiVersion": "2022-09-01", "name": "shared-plan" },
            "vault": { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[__bicep.kvName(parameters('base'))]",
                       "tags": { "env": "[coalesce(parameters('opt'), 'none')]" }, "dependsOn": ["plan"] }
        }
    }));
    let plan = by_name(&r, "shared-plan");
    assert!(plan.existing);
    assert_eq!(plan.address, "Microsoft.Web/serverfarms/shared-plan (resources.plan)");
    let kv = by_name(&r, "kv-demo");
    assert!(!kv.existing);
    assert_eq!(kv.address, "Microsoft.KeyVault/vaults/kv-demo (resources.vault)");
    assert_eq!(kv.attr("tags.env"), Some(&known("none")));
    assert!(r.warnings.is_empty(), "a nullable parameter is null, not a placeholder: {:?}", r.warnings);
}

#[test]
fn a_missing_parameter_is_a_placeholder_with_a_warning() {
    let r = ok(json!({
        "parameters": { "vnetName": { "type": "string" }, "adminPassword": { "type": "securestring" } },
        "resources": [
            { "type": "Microsoft.Network/virtualNetworks", "name": "[parameters('vnetName')]" },
            { "type": "Microsoft.Network/privateEndpoints", "name": "pe",
              "properties": { "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', parameters('vnetName'), 'default')]" } } }
        ]
    }));
    let vnet = &r.resources[0];
    assert_eq!(vnet.name, "<vnetName>");
    assert_eq!(vnet.address, "Microsoft.Network/virtualNetworks/<vnetName> (resources[0])");
    assert_eq!(vnet.attr("name"), Some(&Attr::Unknown));
    let pe = by_name(&r, "pe");
    assert_eq!(pe.attr("properties.subnet.id"), Some(&Attr::Unknown));
    assert_eq!(
        pe.reference("properties.subnet.id"),
        Some("Microsoft.Network/virtualNetworks/<vnetName> (resources[0])")
    );
    // serde_json writes keys in order, so the declaration order is alphabetical here.
    assert_eq!(
        r.warnings,
        [
            "parameter 'adminPassword' has no value (no defaultValue, and no parameters file gives one); it is read as the placeholder <adminPassword>",
            "parameter 'vnetName' has no value (no defaultValue, and no parameters file gives one); it is read as the placeholder <vnetName>"
        ]
    );
}

#[test]
fn a_missing_parameter_deciding_a_price_is_an_error() {
    let d = err(json!({
        "parameters": { "sku": { "type": "string" }, "name": { "type": "string", "defaultValue": "s" } },
        "resources": [{ "type": "Microsoft.Search/searchServices", "name": "[parameters('name')]",
                        "sku": { "name": "[toLower(parameters('sku'))]" } }]
    }));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].path.as_deref(), Some("resources[0].sku.name"));
    assert_eq!(
        d[0].message,
        "parameter 'sku' has no value, and it decides the priced attribute sku.name of this Microsoft.Search/searchServices resource"
    );
    assert_eq!(
        d[0].help.as_deref(),
        Some(
            "give 'sku' a value in a parameters file (--parameters FILE, deploymentParameters format) or a defaultValue in the template"
        )
    );
    let given = r#"{"parameters": {"sku": {"value": "Standard"}}}"#;
    let t = json!({ "parameters": { "sku": { "type": "string" } },
        "resources": [{ "type": "Microsoft.Search/searchServices", "name": "s", "sku": { "name": "[toLower(parameters('sku'))]" } }] });
    let r = read("t.json", &t.to_string(), Some(("p.json", given)), Some("eastus"), &allow()).unwrap();
    assert_eq!(r.resources[0].attr("sku.name"), Some(&known("standard")));
}

#[test]
fn a_missing_parameter_deciding_a_count_or_a_condition_is_an_error() {
    let d = err(json!({
        "parameters": { "n": { "type": "int" }, "deploy": { "type": "bool" } },
        "resources": [
            { "type": "Microsoft.Web/sites", "name": "[concat('a', copyIndex())]", "copy": { "name": "c", "count": "[parameters('n')]" } },
            { "condition": "[parameters('deploy')]", "type": "Microsoft.Web/sites", "name": "b" }
        ]
    }));
    let messages: Vec<(Option<&str>, &str)> = d.iter().map(|x| (x.path.as_deref(), x.message.as_str())).collect();
    assert_eq!(
        messages,
        [
            (
                Some("resources[0].copy.count"),
                "parameter 'n' has no value, and it decides how many instances the copy loop makes"
            ),
            (
                Some("resources[1].condition"),
                "parameter 'deploy' has no value, and it decides whether Microsoft.Web/sites/b (resources[1]) is deployed"
            )
        ]
    );
}

#[test]
fn an_unsupported_function_names_itself_and_its_path() {
    let text = r#"{
  "resources": [
    { "type": "Microsoft.KeyVault/vaults", "name": "a" },
    { "type": "Microsoft.KeyVault/vaults", "name": "b", "properties": { "foo": "[pickZones()]" } },
    { "type": "Microsoft.Storage/storageAccounts", "name": "c",
      "properties": { "foo": "[pickZones('Microsoft.Compute', 'virtualMachines', 'eastus')]" } }
  ]
}"#;
    let d = read("t.json", text, None, Some("eastus"), &allow()).unwrap_err();
    assert_eq!(d.len(), 1, "resources[1].properties.foo is not allow-listed for key vaults, so never evaluated");
    assert_eq!(d[0].path.as_deref(), Some("resources[2].properties.foo"));
    assert_eq!(d[0].message, "unsupported template function 'pickZones'");
    assert_eq!(
        d[0].to_string(),
        "error: t.json:6:30: resources[2].properties.foo: unsupported template function 'pickZones'"
    );
}

#[test]
fn the_region_is_needed_only_where_it_is_read() {
    let t = template(
        json!([{ "type": "Microsoft.KeyVault/vaults", "name": "kv", "location": "[resourceGroup().location]" }]),
    );
    let d = read("t.json", &t.to_string(), None, None, &allow()).unwrap_err();
    assert_eq!(d[0].path.as_deref(), Some("resources[0].location"));
    assert_eq!(d[0].message, "resourceGroup().location is the region of the deployment, which this import cannot know");
    assert_eq!(d[0].help.as_deref(), Some("pass --region (for example --region eastus)"));
    let fixed = template(json!([{ "type": "Microsoft.KeyVault/vaults", "name": "kv", "location": "westeurope" }]));
    let r = read("t.json", &fixed.to_string(), None, None, &allow()).unwrap();
    assert_eq!(r.resources[0].location, known("westeurope"));
}

#[test]
fn parameters_files_give_values_and_key_vault_references_stay_unknown() {
    let t = json!({
        "parameters": { "env": { "type": "string" }, "count": { "type": "int" }, "secret": { "type": "string" } },
        "resources": [{ "type": "Microsoft.KeyVault/vaults", "name": "[concat('kv-', parameters('env'), '-', parameters('count'))]",
                        "tags": { "env": "[parameters('secret')]" } }]
    });
    let p = json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "parameters": { "env": { "value": "prod" }, "count": { "value": "3" }, "extra": { "value": 1 },
                        "secret": { "reference": { "keyVault": { "id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/z" }, "secretName": "s" } } }
    });
    let r = read("t.json", &t.to_string(), Some(("p.json", &p.to_string())), Some("eastus"), &allow()).unwrap();
    assert_eq!(r.resources[0].name, "kv-prod-3");
    assert_eq!(r.resources[0].attr("tags.env"), Some(&Attr::Unknown));
    assert_eq!(r.warnings, ["p.json: parameter 'extra' is not declared by the template; it is ignored"]);
    let swapped = read("p.json", &p.to_string(), None, Some("eastus"), &allow()).unwrap_err();
    assert_eq!(swapped[0].message, "this is a parameters file, not a deployment template");
    let bad = read("t.json", &t.to_string(), Some(("p.json", "{\"parameters\": {\"env\": {}}}")), None, &allow())
        .unwrap_err();
    assert_eq!(
        bad[0].to_string(),
        "error: p.json:1:24: parameters.env: a parameter needs a \"value\" (or a Key Vault \"reference\")"
    );
}

#[test]
fn planted_secrets_never_appear() {
    let secret = "PLANTED-SECRET-x1";
    let t = json!({
        "parameters": {
            "adminPassword": { "type": "securestring" },
            "conn": { "type": "secureObject", "defaultValue": { "s": "PLANTED-SECRET-x1" } },
            "sku": { "type": "string" }
        },
        "variables": { "pw": "[parameters('adminPassword')]" },
        "resources": [
            { "type": "Microsoft.Sql/servers", "name": "sql", "tags": { "env": "[concat(variables('pw'), parameters('conn').s)]" },
              "properties": { "administratorLoginPassword": "[variables('pw')]", "other": "PLANTED-SECRET-x1" } },
            { "type": "Microsoft.Search/searchServices", "name": "[concat('s', parameters('adminPassword'))]",
              "sku": { "name": "[parameters('sku')]" },
              "properties": { "publicNetworkAccess": "[concat('PLANTED-SECRET-x1', pickZones())]" } }
        ]
    });
    let p = json!({ "parameters": { "adminPassword": { "value": secret }, "sku": { "value": "basic" } } });
    let text = t.to_string();
    let r = read("t.json", &text, Some(("p.json", &p.to_string())), Some("eastus"), &allow());
    let shown = format!("{r:?}");
    assert!(!shown.contains(secret), "{shown}");
    let d = r.unwrap_err();
    assert_eq!(d[0].message, "unsupported template function 'pickZones'");
    // Without the failing function, the read succeeds and still holds no secret.
    let fixed = text.replace(", pickZones())", ")");
    let ok = read("t.json", &fixed, Some(("p.json", &p.to_string())), Some("eastus"), &allow()).unwrap();
    let shown = format!("{ok:?}");
    assert!(!shown.contains(secret) && !shown.contains("PLANTED"), "{shown}");
    let sql = by_name(&ok, "sql");
    assert_eq!(sql.attr("tags.env"), Some(&Attr::Unknown));
    assert!(sql.attr("properties.administratorLoginPassword").is_none());
    assert_eq!(ok.resources[1].name, "s<adminPassword>");
    assert_eq!(
        ok.resources[1].attr("properties.publicNetworkAccess"),
        Some(&known(secret)),
        "a literal in a kept attribute is the template's own text"
    );
    // Errors on every path stay free of it: a syntax error, a priced placeholder, bad JSON.
    for broken in [
        text.replace("[concat('PLANTED-SECRET-x1', pickZones())]", "[concat('PLANTED-SECRET-x1' 'x')]"),
        // Valid, but `sku` has no value without the parameters file below: a priced placeholder.
        text.replace("pickZones()", "'x'"),
        text.replace("\"other\":\"PLANTED-SECRET-x1\"", "\"other\":\"PLANTED-SECRET-x1\" x"),
    ] {
        for params in [None, Some(("p.json", r#"{"parameters": {"adminPassword": {"value": "PLANTED-SECRET-x1"}}}"#))] {
            let shown = match read("t.json", &broken, params, None, &allow()) {
                Ok(r) => format!("{r:?}"),
                Err(d) => d.iter().map(|x| format!("{x} {x:?}")).collect::<Vec<_>>().join("\n"),
            };
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}

#[test]
fn hostile_templates_get_errors_not_hangs() {
    let cases = [
        (
            json!({ "resources": [{ "type": "A/b", "name": "[concat('x', copyIndex())]", "copy": { "name": "c", "count": 801 } }] }),
            "a copy count must be between 0 and 800",
        ),
        (
            json!({ "variables": { "a": "[variables('b')]", "b": "[variables('a')]" }, "resources": [{ "type": "A/b", "name": "[variables('a')]" }] }),
            "variable 'a' refers to itself",
        ),
        (
            json!({ "resources": [{ "type": "A/b", "name": "[string(length(range(0, 100000)))]" }] }),
            "function 'range': the count must be between 0 and 10000",
        ),
    ];
    for (t, expected) in cases {
        let d = read("t.json", &t.to_string(), None, Some("eastus"), &allow()).unwrap_err();
        assert_eq!(d[0].message, expected);
    }
    // A chain of variables deeper than the evaluation bound.
    let mut vars = serde_json::Map::new();
    for i in 0..300 {
        vars.insert(format!("v{i}"), json!(format!("[variables('v{}')]", i + 1)));
    }
    vars.insert("v300".into(), json!("end"));
    let t = json!({ "variables": vars, "resources": [{ "type": "A/b", "name": "[variables('v0')]" }] });
    let d = read("t.json", &t.to_string(), None, Some("eastus"), &allow()).unwrap_err();
    assert!(d[0].message.starts_with("evaluation nested deeper than"), "{}", d[0].message);
    // Doubling a string: stopped by the size bound.
    let mut vars = serde_json::Map::new();
    vars.insert("s0".into(), json!("xxxxxxxxxxxxxxxx"));
    for i in 1..40 {
        vars.insert(format!("s{i}"), json!(format!("[concat(variables('s{0}'), variables('s{0}'))]", i - 1)));
    }
    let t = json!({ "variables": vars, "resources": [{ "type": "A/b", "name": "[variables('s39')]" }] });
    let d = read("t.json", &t.to_string(), None, Some("eastus"), &allow()).unwrap_err();
    assert_eq!(d[0].message, "function 'concat': the result is longer than 1048576 bytes");
    // Doubling an array.
    let mut vars = serde_json::Map::new();
    vars.insert("a0".into(), json!([1, 2]));
    for i in 1..64 {
        vars.insert(format!("a{i}"), json!(format!("[createArray(variables('a{0}'), variables('a{0}'))]", i - 1)));
    }
    let t =
        json!({ "variables": vars, "resources": [{ "type": "A/b", "name": "[string(length(variables('a63')))]" }] });
    let d = read("t.json", &t.to_string(), None, Some("eastus"), &allow()).unwrap_err();
    assert!(d[0].message.starts_with("a value is too large"), "{}", d[0].message);
}

#[test]
fn not_a_template() {
    let d = read("t.json", "{\"a\": 1}", None, None, &allow()).unwrap_err();
    assert_eq!(d[0].message, "not an ARM deployment template: it has no \"resources\"");
    let d = read("t.json", "{\n  \"resources\": [\n    1,\n  ]]\n}", None, None, &allow()).unwrap_err();
    assert_eq!(d[0].to_string(), "error: t.json:4:4: invalid JSON: expected ',' or '}' in an object");
    let d = read("t.json", "{\"resources\": [1]}", None, None, &allow()).unwrap_err();
    assert_eq!(d[0].to_string(), "error: t.json:1:16: resources[0]: a resource must be an object");
}

#[test]
fn lines_point_at_each_resource() {
    let text = "{\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.KeyVault/vaults\",\n      \"name\": \"a\"\n    },\n    { \"type\": \"Microsoft.KeyVault/vaults\", \"name\": \"b\" }\n  ]\n}\n";
    let r = read("t.json", text, None, None, &allow()).unwrap();
    assert_eq!(r.resources[0].line, Some(3));
    assert_eq!(r.resources[1].line, Some(7));
}

mod mutations {
    use proptest::prelude::*;

    use super::{allow, read};

    const SEED: &str = r#"{"parameters":{"p":{"type":"string","defaultValue":"[concat('a', uniqueString(resourceGroup().id))]"}},
"variables":{"copy":[{"name":"v","count":2,"input":"[copyIndex('v')]"}],"o":{"k":"[union(json('{}'), createObject('a', 1))]"}},
"resources":[{"type":"Microsoft.Network/privateEndpoints","name":"[format('{0}-pe', parameters('p'))]","copy":{"name":"c","count":2},
"properties":{"privateLinkServiceConnections":[{"properties":{"privateLinkServiceId":"[resourceId('Microsoft.KeyVault/vaults', 'kv')]","groupIds":["[if(equals(copyIndex(), 0), 'vault', string(variables('v')))]"]}}]}},
{"type":"Microsoft.Resources/deployments","name":"m","properties":{"expressionEvaluationOptions":{"scope":"inner"},"parameters":{"x":{"value":"[parameters('p')]"}},
"template":{"parameters":{"x":{"type":"string"}},"resources":[{"type":"Microsoft.KeyVault/vaults","name":"[parameters('x')]","tags":{"env":"[split(parameters('x'), 'a')[0]]"}}]}}}]}"#;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Deleting, replacing or inserting characters anywhere never panics: every input gives
        /// a read or diagnostics.
        #[test]
        fn mutated_templates_never_panic(at in 0usize..SEED.len(), len in 0usize..6, insert in "[\\[\\]()'{},:.a-z0-9\"\\\\ -]{0,4}") {
            let mut s: Vec<char> = SEED.chars().collect();
            let at = at.min(s.len());
            let end = (at + len).min(s.len());
            s.splice(at..end, insert.chars());
            let text: String = s.into_iter().collect();
            let _ = read("t.json", &text, None, Some("eastus"), &allow());
            let _ = read("t.json", &text, None, None, &allow());
        }

        #[test]
        fn arbitrary_expressions_never_panic(e in "\\[[a-zA-Z(),'\\[\\]. 0-9-]{0,40}\\]") {
            let _ = crate::iac::arm::testing::eval_str(&e);
        }
    }

    #[test]
    fn the_seed_reads() {
        let r = read("t.json", SEED, None, Some("eastus"), &allow()).unwrap();
        assert_eq!(r.resources.len(), 3);
    }
}
