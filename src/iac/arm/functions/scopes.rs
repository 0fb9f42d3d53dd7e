//! Where a deployment happens: `resourceGroup()`, `subscription()`, `tenant()`,
//! `managementGroup()`, `deployment()`, `deployer()`, `environment()`, and the resource id
//! functions `resourceId`, `subscriptionResourceId`, `tenantResourceId`, `extensionResourceId`,
//! `managementGroupResourceId`.
//!
//! The subscription, tenant and resource group are fixed placeholders (see [`crate::iac::arm::scope`]),
//! the same for every resource of a read, so that ids computed in different places match. Only the
//! region is the user's: `resourceGroup().location` is the `--region` given, and reading it without
//! one is an error that says so.

use std::rc::Rc;

use super::{arity, labelled, string_arg, unknown_args};
use crate::iac::arm::eval::Ctx;
use crate::iac::arm::failure::{Failure, Result, in_function};
use crate::iac::arm::scope::{Level, TENANT_ID, Target};
use crate::iac::arm::value::{Unknown, Value};

pub(super) fn call(lname: &str, args: &[Value], cx: &Ctx) -> Option<Result<Value>> {
    Some(match lname {
        "resourcegroup" => resource_group(args, cx),
        "subscription" => arity("subscription", args, 0, 0).and_then(|()| subscription(&cx.scope.target)),
        "tenant" => arity("tenant", args, 0, 0).and_then(|()| tenant()),
        "managementgroup" => arity("managementGroup", args, 0, 1).and_then(|()| management_group()),
        "deployment" => arity("deployment", args, 0, 0).and_then(|()| deployment(cx)),
        "deployer" => arity("deployer", args, 0, 0).and_then(|()| deployer()),
        "environment" => arity("environment", args, 0, 0).and_then(|()| environment()),
        "resourceid" => resource_id(args, cx),
        "subscriptionresourceid" => prefixed_id(args, "subscriptionResourceId", 1, |given| {
            format!("/subscriptions/{}", given.first().map_or(&*cx.scope.target.subscription, |s| s.as_ref()))
        }),
        "tenantresourceid" => prefixed_id(args, "tenantResourceId", 0, |_| String::new()),
        "managementgroupresourceid" => prefixed_id(args, "managementGroupResourceId", 1, |given| {
            format!(
                "/providers/Microsoft.Management/managementGroups/{}",
                given.first().map_or("closednet-import", |s| s)
            )
        }),
        "extensionresourceid" => extension_id(args),
        _ => return None,
    })
}

fn obj(members: Vec<(&str, Value)>) -> Result<Value> {
    Value::object(members.into_iter().map(|(k, v)| (Rc::from(k), v)).collect())
}

/// The region, or an unknown value that is an error to read (see [`crate::iac::arm::eval::member`]).
fn location(cx: &Ctx) -> Value {
    match cx.eng.region {
        Some(r) => Value::str(r),
        None => Value::unknown_from(Unknown { needs_region: true, ..Unknown::default() }),
    }
}

fn resource_group(args: &[Value], cx: &Ctx) -> Result<Value> {
    arity("resourceGroup", args, 0, 2)?;
    let target = &cx.scope.target;
    if args.is_empty() && target.level != Level::ResourceGroup {
        return Err(in_function("resourceGroup", "is only available in a template deployed to a resource group"));
    }
    // resourceGroup(name) / resourceGroup(subscriptionId, name) name another group.
    let name: Rc<str> = match args.last() {
        Some(Value::Str(n)) => n.clone(),
        Some(_) => return Ok(Value::unknown()),
        None => target.resource_group.clone(),
    };
    let subscription = match args {
        [Value::Str(s), _] => s.clone(),
        _ => target.subscription.clone(),
    };
    obj(vec![
        ("id", Value::str(format!("/subscriptions/{subscription}/resourceGroups/{name}"))),
        ("name", Value::Str(name)),
        ("type", Value::str("Microsoft.Resources/resourceGroups")),
        ("location", location(cx)),
        ("tags", Value::object(Vec::new())?),
        ("properties", obj(vec![("provisioningState", Value::str("Succeeded"))])?),
    ])
}

fn subscription(target: &Target) -> Result<Value> {
    obj(vec![
        ("id", Value::str(format!("/subscriptions/{}", target.subscription))),
        ("subscriptionId", Value::Str(target.subscription.clone())),
        ("tenantId", Value::str(TENANT_ID)),
        ("displayName", Value::str("closednet-import")),
    ])
}

fn tenant() -> Result<Value> {
    obj(vec![
        ("id", Value::str(format!("/tenants/{TENANT_ID}"))),
        ("tenantId", Value::str(TENANT_ID)),
        ("countryCode", Value::str("US")),
        ("displayName", Value::str("closednet-import")),
    ])
}

fn management_group() -> Result<Value> {
    obj(vec![
        ("id", Value::str("/providers/Microsoft.Management/managementGroups/closednet-import")),
        ("name", Value::str("closednet-import")),
        ("type", Value::str("Microsoft.Management/managementGroups")),
        (
            "properties",
            obj(vec![("tenantId", Value::str(TENANT_ID)), ("displayName", Value::str("closednet-import"))])?,
        ),
    ])
}

/// A local template's deployment: `templateLink` (the URL of a linked template) is only known to
/// a deployment from a URL, so it is unknown.
fn deployment(cx: &Ctx) -> Result<Value> {
    let properties = obj(vec![
        ("templateLink", Value::unknown()),
        ("template", obj(vec![("contentVersion", Value::str("1.0.0.0"))])?),
        ("templateHash", Value::str("0")),
        ("parameters", Value::object(Vec::new())?),
        ("mode", Value::str("Incremental")),
        ("provisioningState", Value::str("Accepted")),
    ])?;
    let mut members = vec![("name", Value::Str(cx.scope.deployment_name.clone())), ("properties", properties)];
    if cx.scope.target.level != Level::ResourceGroup {
        members.push(("location", location(cx)));
    }
    obj(members)
}

fn deployer() -> Result<Value> {
    obj(vec![
        ("objectId", Value::str("00000000-0000-0000-0000-000000000002")),
        ("tenantId", Value::str(TENANT_ID)),
        ("userPrincipalName", Value::str("deployer@closednet-import")),
    ])
}

/// Azure's public cloud, as `environment()` returns it there. Source: Microsoft Learn, "Deployment
/// functions for ARM templates", environment() example output
/// (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-deployment#environment,
/// read 2026-12).
fn environment() -> Result<Value> {
    let s = Value::str;
    let suffixes = obj(vec![
        ("acrLoginServer", s(".azurecr.io")),
        ("azureDatalakeAnalyticsCatalogAndJob", s("azuredatalakeanalytics.net")),
        ("azureDatalakeStoreFileSystem", s("azuredatalakestore.net")),
        ("azureFrontDoorEndpointSuffix", s("azurefd.net")),
        ("keyvaultDns", s(".vault.azure.net")),
        ("sqlServerHostname", s(".database.windows.net")),
        ("storage", s("core.windows.net")),
    ])?;
    let authentication = obj(vec![
        ("loginEndpoint", s("https://login.microsoftonline.com/")),
        (
            "audiences",
            Value::array(vec![s("https://management.core.windows.net/"), s("https://management.azure.com/")])?,
        ),
        ("tenant", s("common")),
        ("identityProvider", s("AAD")),
    ])?;
    obj(vec![
        ("name", s("AzureCloud")),
        ("gallery", s("https://gallery.azure.com/")),
        ("graph", s("https://graph.windows.net/")),
        ("portal", s("https://portal.azure.com")),
        ("graphAudience", s("https://graph.windows.net/")),
        ("activeDirectoryDataLake", s("https://datalake.azure.net/")),
        ("batch", s("https://batch.core.windows.net/")),
        ("media", s("https://rest.media.azure.net")),
        ("sqlManagement", s("https://management.core.windows.net:8443/")),
        (
            "vmImageAliasDoc",
            s(
                "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
            ),
        ),
        ("resourceManager", s("https://management.azure.com/")),
        ("authentication", authentication),
        ("suffixes", suffixes),
    ])
}

/// `/providers/Ns/type1/name1/type2/name2` after `prefix`. Names may hold `/` (`vnet/subnet`).
pub(crate) fn build_id(prefix: &str, full_type: &str, names: &[&str]) -> String {
    let mut types = full_type.split('/').filter(|t| !t.is_empty());
    let namespace = types.next().unwrap_or("");
    let names: Vec<&str> = names.iter().flat_map(|n| n.split('/')).filter(|n| !n.is_empty()).collect();
    let mut id = format!("{prefix}/providers/{namespace}");
    let mut names = names.into_iter();
    for t in types {
        id.push('/');
        id.push_str(t);
        if let Some(n) = names.next() {
            id.push('/');
            id.push_str(n);
        }
    }
    for n in names {
        id.push('/');
        id.push_str(n);
    }
    id
}

/// The id of a resource of `full_type` named `full_name` deployed to `target`; `scope` is an
/// extension resource's `scope` (an id, or a `Type/name` relative to the target).
pub(crate) fn resource_id_of(target: &Target, full_type: &str, full_name: &str, scope: Option<&str>) -> String {
    match scope {
        Some(s) if s.starts_with('/') => build_id(s.trim_end_matches('/'), full_type, &[full_name]),
        Some(s) if !s.is_empty() => {
            let mut parts = s.split('/');
            let ns = parts.next().unwrap_or("");
            let rest: Vec<&str> = parts.collect();
            let (types, names): (Vec<&str>, Vec<&str>) =
                rest.chunks(2).map(|c| (c[0], c.get(1).copied().unwrap_or(""))).unzip();
            let parent = build_id(&target.prefix(), &format!("{ns}/{}", types.join("/")), &names);
            build_id(&parent, full_type, &[full_name])
        }
        _ => build_id(&target.prefix(), full_type, &[full_name]),
    }
}

/// The position of the resource type among the arguments: the first string holding a `/`.
fn type_position(args: &[Value]) -> Option<usize> {
    args.iter().position(|a| a.as_str().is_some_and(|s| s.contains('/')))
}

fn resource_id(args: &[Value], cx: &Ctx) -> Result<Value> {
    let target = cx.scope.target.clone();
    let id = move |texts: &[&str]| -> Result<String> {
        let t = texts
            .iter()
            .position(|s| s.contains('/'))
            .ok_or_else(|| in_function("resourceId", "no argument is a resource type (Namespace/type)"))?;
        let (scope, rest) = texts.split_at(t);
        let prefix = match scope {
            [] if target.level == Level::ResourceGroup => target.prefix(),
            [] => format!("/subscriptions/{}", target.subscription),
            [rg] => format!("/subscriptions/{}/resourceGroups/{rg}", target.subscription),
            [sub, rg] => format!("/subscriptions/{sub}/resourceGroups/{rg}"),
            _ => {
                return Err(in_function(
                    "resourceId",
                    "takes at most a subscription and a resource group before the type",
                ));
            }
        };
        Ok(build_id(&prefix, rest[0], &rest[1..]))
    };
    with_texts(args, "resourceId", id)
}

/// `fn(optional leading scope args..., type, names...)` where the type is found by its `/`.
fn prefixed_id(args: &[Value], f: &'static str, max_scope: usize, prefix: impl Fn(&[&str]) -> String) -> Result<Value> {
    let id = move |texts: &[&str]| -> Result<String> {
        let t = texts
            .iter()
            .position(|s| s.contains('/'))
            .ok_or_else(|| in_function(f, "no argument is a resource type (Namespace/type)"))?;
        if t > max_scope {
            return Err(in_function(f, "too many arguments before the resource type"));
        }
        Ok(build_id(&prefix(&texts[..t]), texts[t], &texts[t + 1..]))
    };
    with_texts(args, f, id)
}

fn extension_id(args: &[Value]) -> Result<Value> {
    let id = |texts: &[&str]| -> Result<String> {
        let [base, ty, names @ ..] = texts else {
            return Err(in_function("extensionResourceId", "expects a resource id, a type and names"));
        };
        Ok(build_id(base.trim_end_matches('/'), ty, names))
    };
    with_texts(args, "extensionResourceId", id)
}

/// Runs an id builder over the arguments' texts: known strings give a known id, labelled unknowns
/// a labelled unknown id, anything else an unknown.
fn with_texts(args: &[Value], f: &str, id: impl Fn(&[&str]) -> Result<String>) -> Result<Value> {
    arity(f, args, 2, usize::MAX)?;
    if unknown_args(args).is_some() {
        if type_position(args).is_none() {
            return Ok(Value::unknown_from(Unknown::of(args)));
        }
        return Ok(labelled(args, |texts| {
            let t: Vec<&str> = texts.iter().map(|c| c.as_ref()).collect();
            id(&t).ok()
        }));
    }
    let texts = (0..args.len()).map(|i| string_arg(f, args, i)).collect::<Result<Vec<&str>>>()?;
    id(&texts).map(Value::str).map_err(|e: Failure| e)
}

#[cfg(test)]
mod tests {
    use crate::iac::arm::testing::{eval_str, eval_str_no_region};

    const RG: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/closednet-import";

    #[test]
    fn resource_ids() {
        assert_eq!(
            eval_str("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]"),
            format!("\"{RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default\"")
        );
        assert_eq!(
            eval_str("[resourceId('other-rg', 'Microsoft.Storage/storageAccounts', 'st1')]"),
            "\"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/other-rg/providers/Microsoft.Storage/storageAccounts/st1\""
        );
        assert_eq!(
            eval_str("[resourceId('sub1', 'rg1', 'Microsoft.Web/sites', 'app')]"),
            "\"/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Web/sites/app\""
        );
        assert_eq!(
            eval_str("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'abc')]"),
            "\"/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/abc\""
        );
        assert_eq!(eval_str("[tenantResourceId('Microsoft.Billing/x', 'y')]"), "\"/providers/Microsoft.Billing/x/y\"");
        assert_eq!(
            eval_str(
                "[extensionResourceId(resourceId('Microsoft.KeyVault/vaults', 'kv'), 'Microsoft.Authorization/locks', 'l')]"
            ),
            format!("\"{RG}/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/locks/l\"")
        );
    }

    #[test]
    fn scope_objects() {
        assert_eq!(eval_str("[resourceGroup().location]"), "\"eastus\"");
        assert_eq!(eval_str("[resourceGroup().id]"), format!("\"{RG}\""));
        assert_eq!(eval_str("[subscription().subscriptionId]"), "\"00000000-0000-0000-0000-000000000000\"");
        assert_eq!(eval_str("[environment().suffixes.storage]"), "\"core.windows.net\"");
        assert_eq!(eval_str("[environment().suffixes.keyvaultDns]"), "\".vault.azure.net\"");
        assert_eq!(eval_str("[deployment().name]"), "\"azuredeploy\"");
        assert_eq!(eval_str("[deployment().properties.templateLink.uri]"), "unknown");
        assert_eq!(
            eval_str_no_region("[toLower(resourceGroup().location)]"),
            "error: resourceGroup().location is the region of the deployment, which this import cannot know"
        );
        assert_eq!(eval_str_no_region("[resourceGroup().name]"), "\"closednet-import\"");
    }
}
