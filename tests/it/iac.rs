//! Infrastructure code in: the fixtures of `tests/fixtures/iac/` (public plans and templates, and
//! hand-written plans for the shapes they miss; sources in SOURCES.md) imported and priced. Every
//! expectation comes from the fixtures' README, reasoned by hand from the input files, and the
//! figures from the catalog's meters (named where they are used).

use closednet::catalog::Catalog;
use closednet::iac::mapping::{Mapping, Role};
use serde_json::Value;
use std::process::Command;

const TF: &str = "tests/fixtures/iac/terraform";
const ARM: &str = "tests/fixtures/iac/arm";

fn run(args: &[&str]) -> (i32, String, String) {
    let o =
        Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The import summary (JSON) of a fixture.
fn summary(kind: &str, file: &str, extra: &[&str]) -> Value {
    let mut args = vec!["import", kind, file, "--summary", "json"];
    args.extend_from_slice(extra);
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{file}: {err}");
    serde_json::from_str(&err).unwrap_or_else(|e| panic!("{file}: summary is not JSON ({e}): {err}"))
}

fn arm(name: &str) -> (String, Vec<String>) {
    let file = format!("{ARM}/{name}.json");
    let params = format!("{ARM}/{name}.parameters.json");
    let mut extra = vec!["--region".to_string(), "eastus2".to_string()];
    if std::path::Path::new(&params).exists() {
        extra.extend(["--parameters".to_string(), params]);
    }
    (file, extra)
}

#[test]
fn every_fixture_gets_the_verdict_its_readme_reasons() {
    let terraform = [
        ("hub-spoke-two-regions", Some("closed")),
        ("openai-search-hub-existing", Some("closed")),
        ("half-closed-public-access-on", Some("half-closed")),
        ("postgresql-single-server-pe", Some("half-closed")),
        ("appgw-private-link", Some("closed")),
        ("infracost-azure-firewall", None),
        ("infracost-express-route", None),
        ("regula-sql-firewall-open", Some("public")),
        ("regula-storage-network-rules", Some("half-closed")),
    ];
    for (name, verdict) in terraform {
        let s = summary("terraform", &format!("{TF}/{name}.json"), &["--region", "eastus2"]);
        assert_eq!(s["verdict"].as_str(), verdict, "{name}");
    }
    let templates = [
        ("key-vault-private-endpoint", Some("half-closed")),
        ("search-private-endpoint", Some("closed")),
        ("sql-private-endpoint", Some("half-closed")),
        ("apim-internal-vnet", Some("closed")),
        ("bastion", None),
        ("hub-spoke-firewall-bastion", Some("half-closed")),
        ("webapp-private-endpoint", Some("half-closed")),
        ("ase-v3-ilb-modules", Some("closed")),
        ("key-vault-role-assignment-module", Some("public")),
        ("ase-v2-external", Some("public")),
    ];
    for (name, verdict) in templates {
        let (file, extra) = arm(name);
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let s = summary("arm", &file, &extra);
        assert_eq!(s["verdict"].as_str(), verdict, "{name}");
    }
}

fn states(s: &Value) -> Vec<(String, String)> {
    s["judged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| (j["address"].as_str().unwrap().into(), j["state"].as_str().unwrap().into()))
        .collect()
}

fn services(s: &Value) -> Vec<(String, String)> {
    s["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| (j["type"].as_str().unwrap().into(), j["tier"].as_str().unwrap().into()))
        .collect()
}

#[test]
fn a_half_closed_plan_names_each_resource_and_why() {
    let s = summary("terraform", &format!("{TF}/half-closed-public-access-on.json"), &["--region", "westeurope"]);
    let st = states(&s);
    let of = |a: &str| st.iter().find(|(x, _)| x == a).map(|(_, s)| s.as_str());
    assert_eq!(of("azurerm_key_vault.app"), Some("half-closed"));
    assert_eq!(of("azurerm_storage_account.data"), Some("half-closed"));
    assert_eq!(of("azurerm_mssql_server.app"), Some("half-closed"));
    assert_eq!(of("azurerm_linux_virtual_machine.jump"), Some("public"));
    let mut svc = services(&s);
    svc.sort();
    let want =
        [("key-vault", "premium"), ("sql-database", "gp-gen5-2"), ("storage", "hot-lrs"), ("virtual-machine", "b2s")];
    assert_eq!(svc, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let skipped: Vec<&str> = s["skipped"].as_array().unwrap().iter().map(|x| x["address"].as_str().unwrap()).collect();
    assert!(skipped.contains(&"azurerm_storage_account.legacy_logs"), "{skipped:?}");
    let reason = s["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["address"] == "azurerm_storage_account.legacy_logs")
        .unwrap();
    assert_eq!(reason["reason"], "deleted by this plan");
}

#[test]
fn a_hub_and_spoke_plan_counts_its_two_firewalls_and_two_bastions_and_prices_each() {
    let s = summary("terraform", &format!("{TF}/hub-spoke-two-regions.json"), &["--region", "eastus2"]);
    let platform: Vec<(String, String, u64)> = s["platform"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["key"].as_str().unwrap().into(), p["value"].as_str().unwrap().into(), p["count"].as_u64().unwrap()))
        .collect();
    let want =
        [("egress", "firewall-standard", 2), ("on_premises", "vpn", 1), ("operator_access", "bastion-standard", 2)];
    assert_eq!(platform, want.map(|(a, b, n)| (a.to_string(), b.to_string(), n)));
    let (code, out, err) =
        run(&["estimate", &format!("{TF}/hub-spoke-two-regions.json"), "--region", "eastus2", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let added = v["designs"]["closed"]["added"].as_array().unwrap();
    let fw = added.iter().find(|a| a["name"] == "Azure Firewall Standard").unwrap();
    // Standard deployment, eastus2: 1.25 USD/h (meter e90604a4-719b-454b-879d-b85523882c92) x 730 h x 2.
    assert_eq!(fw["fixed_monthly"], "1825.00");
    let ips = added.iter().find(|a| a["name"] == "firewall public IPs").unwrap();
    // One Standard public IP per firewall: 0.005 USD/h x 730 h x 2 = 7.30.
    assert_eq!(ips["fixed_monthly"], "7.30");
}

#[test]
fn an_input_over_several_regions_is_refused_with_the_regions_and_the_flag() {
    let (code, out, err) = run(&["estimate", &format!("{TF}/hub-spoke-two-regions.json")]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err.trim_end(),
        "error: tests/fixtures/iac/terraform/hub-spoke-two-regions.json: the input spans 2 regions: eastus2 (14 resource(s)), swedencentral (4 resource(s))\n  help: closednet prices one region at a time: pass --region REGION to price every resource at that region's prices"
    );
}

#[test]
fn a_region_without_prices_names_the_regions_that_have_them() {
    let (code, _, err) = run(&["estimate", &format!("{TF}/regula-sql-firewall-open.json")]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: tests/fixtures/iac/terraform/regula-sql-firewall-open.json: region westus has no prices in pricing snapshot 2026-08\n  help: the snapshot prices "), "{err}");
    assert!(err.contains("pass --region REGION to price the input there"), "{err}");
}

#[test]
fn a_state_file_and_a_wrapped_plan_are_refused_with_how_to_make_a_plan() {
    for f in ["state-not-a-plan.json", "setup-terraform-wrapper.json"] {
        let (code, out, err) = run(&["estimate", &format!("{TF}/{f}")]);
        assert_eq!(code, 2, "{f}");
        assert!(out.is_empty(), "{f}");
        assert!(err.contains("terraform show -json tfplan"), "{f}: {err}");
        assert!(!err.contains("PLANTED-SECRET-"), "{f}: {err}");
    }
}

#[test]
fn the_imported_file_estimates_to_the_same_two_designs_as_the_plan() {
    let dir = crate::support::tmp().join("iac");
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = dir.join("half-closed.yaml");
    let plan = format!("{TF}/half-closed-public-access-on.json");
    let (code, _, err) = run(&["import", "terraform", &plan, "--region", "westeurope", "-o", yaml.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let totals = |file: &str| {
        let (code, out, err) = run(&["estimate", file, "--region", "westeurope", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        (v["designs"]["rbac"]["total_monthly"].clone(), v["designs"]["closed"]["total_monthly"].clone())
    };
    let from_plan = totals(&plan);
    assert_eq!(from_plan, totals(yaml.to_str().unwrap()));
    // RBAC-only: SQL GP Gen5 2 vCores in westeurope, 0.334878 USD/h (meter
    // 1cd4ee5b-2b55-4dd9-b3d9-ae1b22af74b0) x 730 = 244.46; the B2s VM has no westeurope price.
    assert_eq!(from_plan.0, "244.46");
    // Closed: + 4 private endpoints (vault, sqlServer, blob, file) x 7.30 + 4 private DNS zones x 0.50.
    assert_eq!(from_plan.1, "275.66");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_require_closed_fails_a_half_closed_plan_at_each_resource_and_passes_a_closed_one() {
    let (code, out, _) = run(&[
        "check",
        &format!("{TF}/half-closed-public-access-on.json"),
        "--region",
        "westeurope",
        "--require",
        "closed",
        "--format",
        "github",
    ]);
    assert_eq!(code, 1);
    let failing: Vec<&str> = out.lines().filter(|l| l.starts_with("::error") && l.contains("CN023")).collect();
    assert_eq!(failing.len(), 4, "{out}");
    assert!(
        failing[0].starts_with("::error file=tests/fixtures/iac/terraform/half-closed-public-access-on.json,line="),
        "{out}"
    );
    let (code, _, err) = run(&[
        "check",
        &format!("{TF}/openai-search-hub-existing.json"),
        "--region",
        "swedencentral",
        "--require",
        "closed",
    ]);
    assert_eq!(code, 0, "{err}");
    // Without --require closed the same plan's half-closed resources are notes, not failures.
    let (code, _, _) = run(&["check", &format!("{TF}/half-closed-public-access-on.json"), "--region", "westeurope"]);
    assert_eq!(code, 0);
}

#[test]
fn every_catalog_type_has_a_mapping_or_a_stated_reason() {
    let catalog = Catalog::embedded().unwrap();
    let m = Mapping::embedded();
    for t in catalog.type_ids() {
        let mapped = m.map.iter().any(|e| e.service.as_deref() == Some(t));
        let reason = m.reason.iter().any(|r| r.type_id == t);
        assert!(mapped || reason, "catalog type {t} has no mapping in src/iac/mapping.toml and no [[reason]]");
    }
    // Every tier a mapping names exists in the catalog.
    for e in m.map.iter().filter(|e| matches!(e.role, Role::Service | Role::Edge | Role::Child)) {
        let Some(def) = e.service.as_deref().and_then(|t| catalog.service(t)) else {
            panic!("{:?}: no catalog type {:?}", e.types, e.service)
        };
        for tier in e.tiers.values().chain(e.default_tier.iter()).chain(e.size_tiers.values().flatten().map(|(_, t)| t))
        {
            assert!(def.tier(tier).is_some(), "{:?}: {} has no tier {tier}", e.types, def.type_id);
        }
    }
    let plans = m.map.iter().find(|e| e.role == Role::Plan).unwrap();
    for (type_id, tiers) in
        [("functions", &plans.tiers_functions), ("logic-apps", &plans.tiers_logic), ("app-service", &plans.tiers)]
    {
        let def = catalog.service(type_id).unwrap();
        for tier in tiers.values() {
            assert!(def.tier(tier).is_some(), "plans: {type_id} has no tier {tier}");
        }
    }
}
