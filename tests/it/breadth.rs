//! Breadth that real closed designs need (issue 20, item 6): one test per type or tier family,
//! figures worked out by hand from pricing/2026-08/prices/*.toml (and pricing/2023-12/prices/ where a
//! test compares dates). A month is 730 hours; a 1/Day meter bills 730/24 days.

use super::support::{catalog, d, run};
use closednet::Estimate;
use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
use closednet::registry::RuleId;
use closednet::rules::PricedService;

fn closed<'a>(est: &'a Estimate, name: &str) -> &'a PricedService<'a> {
    est.closed.services.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no service {name}"))
}

fn rbac<'a>(est: &'a Estimate, name: &str) -> &'a PricedService<'a> {
    est.rbac.services.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no service {name}"))
}

fn added<'a>(est: &'a Estimate, name: &str) -> &'a PricedService<'a> {
    est.closed.added.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no added {name}"))
}

fn reason<'a>(est: &'a Estimate, name: &str) -> &'a str {
    added(est, name).reason.as_deref().unwrap()
}

fn with_snapshot<'c>(c: &'c Catalog, yaml: &str, snapshot: &str) -> Estimate<'c> {
    let overrides = Overrides { snapshot: Some(snapshot.to_string()), ..Overrides::default() };
    pipeline::run("test.yaml", yaml, c, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn refused(c: &Catalog, yaml: &str) -> String {
    match pipeline::run("test.yaml", yaml, c, &Overrides::default()) {
        Ok(_) => panic!("the file was accepted:\n{yaml}"),
        Err(e) => e.to_string(),
    }
}

const AKS: &str = "
version: 1
region: mexicocentral
services:
  - name: cluster
    type: aks
    tier: standard
  - name: system-pool
    type: virtual-machine
    tier: Standard_D4ds_v5
    os: linux
    instances: 3
";

#[test]
fn aks_control_plane_tiers_node_pools_as_vms_and_a_private_cluster_endpoint() {
    let c = catalog();
    let est = run(&c, AKS);
    // Standard: meter 251a08e1-40d6-48e6-8368-4c3e5ee3bbff (mexicocentral, 2024-02-01), 0.10 USD/h x 730 = 73.00.
    assert_eq!(closed(&est, "cluster").tier, "standard");
    assert_eq!(closed(&est, "cluster").totals.fixed, d("73.00"));
    // The node pool is a VM size: Standard_D4ds_v5 Linux, meter f93202ce-6e48-5630-92ab-f3011b391381,
    // 0.249 USD/h x 730 x 3 nodes = 545.31, the same in both designs (nodes live in the customer's VNet).
    assert_eq!(closed(&est, "system-pool").totals.fixed, d("545.31"));
    assert_eq!(rbac(&est, "system-pool").totals.fixed, d("545.31"));
    // A private cluster: one endpoint (management) 0.01 x 730 = 7.30 and the regional zone 0.50; API
    // Server VNet Integration is GA on 2026-08-15, but the engine prices the private endpoint.
    let pes = added(&est, "private endpoints");
    assert_eq!((pes.count, pes.totals.fixed), (Some(d("1")), d("7.30")));
    assert!(reason(&est, "private endpoints").ends_with("cluster (management)"), "{:?}", pes.reason);
    let zones = added(&est, "private DNS zones");
    assert_eq!((zones.count, zones.totals.fixed), (Some(d("1")), d("0.50")));
    assert!(reason(&est, "private DNS zones").ends_with("privatelink.mexicocentral.azmk8s.io"), "{:?}", zones.reason);
    assert!(est.closed.decisions.iter().all(|d| !d.changed()));
    // 545.31 + 73.00 = 618.31 RBAC-only; + 7.30 + 0.50 = 626.11 closed.
    assert_eq!(est.rbac.totals().unwrap().total(), d("618.31"));
    assert_eq!(est.closed.totals().unwrap().total(), d("626.11"));

    // Free: documented "Free cluster management", 0.00; it runs private clusters, so it stays Free.
    let free = run(&c, &AKS.replace("tier: standard", "tier: free"));
    assert_eq!(closed(&free, "cluster").tier, "free");
    assert_eq!(closed(&free, "cluster").totals.fixed, d("0"));
    // Premium: meter abec1f9a-776d-5af5-956f-4bbd9f409df9, 0.60 USD/h x 730 = 438.00.
    let premium = run(&c, &AKS.replace("tier: standard", "tier: premium"));
    assert_eq!(closed(&premium, "cluster").totals.fixed, d("438.00"));
    // A production design rules out Free (no SLA): the closed cluster is Standard, 73.00, not
    // Premium (438.00 - 73.00 = 365.00 more).
    let production = AKS.replace("services:", "closed_network: { sla: production }\nservices:");
    let prod = run(&c, &production.replace("    tier: standard\n", ""));
    assert_eq!(closed(&prod, "cluster").tier, "standard");
    assert_eq!(closed(&prod, "cluster").totals.fixed, d("73.00"));
    let decision = prod.closed.decisions.iter().find(|d| d.service == "cluster").unwrap();
    let premium = decision.rejected.iter().find(|r| r.tier == "premium").unwrap();
    // Two decimals, always (it printed "365.0").
    assert_eq!(premium.reason.to_string(), "meets the needs but costs USD 365.00/month more than standard");
}

const DATABASES: &str = "
version: 1
region: eastus2
services:
  - name: api
    type: app-service
    tier: p1v3
    os: linux
    calls: [pg, pgb, my, mye]
  - name: pg
    type: postgresql-flexible
    tier: d4ds-v5
    usage: { gb: 128 }
  - name: pgb
    type: postgresql-flexible
    tier: b1ms
  - name: my
    type: mysql-flexible
    tier: d4ds-v5
    usage: { gb: 64 }
  - name: mye
    type: mysql-flexible
    tier: e2ds-v5
";

#[test]
fn postgresql_and_mysql_flexible_tiers_by_private_endpoint_now_and_by_injection_in_2023() {
    let c = catalog();
    let est = run(&c, DATABASES);
    // PostgreSQL General Purpose D4ds_v5: meter a73b46eb-04f8-5805-a2b0-1d34a180950c, 0.356 x 730 = 259.88;
    // storage ad50239a-df4f-5c24-8955-066731709372, 128 GB x 0.115 = 14.72.
    assert_eq!(closed(&est, "pg").totals.fixed, d("259.88"));
    assert_eq!(closed(&est, "pg").totals.usage, d("14.72"));
    // PostgreSQL Burstable B1ms: 1550a19c-e867-57ad-91d4-59559908c16f, 0.017 x 730 = 12.41.
    assert_eq!(closed(&est, "pgb").totals.fixed, d("12.41"));
    // MySQL General Purpose D4ds_v5: per vCore, 85a810b0-bed5-593c-8408-4ac50cc235af (2025-07-01),
    // 0.0855 x 4 vCores x 730 = 249.66; storage cab2a5d6-bf7c-5327-a56f-f8d27e55a518, 64 x 0.115 = 7.36.
    assert_eq!(closed(&est, "my").totals.fixed, d("249.66"));
    assert_eq!(closed(&est, "my").totals.usage, d("7.36"));
    // MySQL Memory Optimized E2ds_v5: 734eb585-f3ed-5cf0-96d6-e718d0d9216b, 0.236 x 730 = 172.28.
    assert_eq!(closed(&est, "mye").totals.fixed, d("172.28"));
    assert!(est.closed.decisions.iter().all(|d| !d.changed()));
    // 2026-08: a private endpoint each (api, pg, pgb, my, mye): 5 x 7.30 = 36.50; three zones 1.50.
    let pes = added(&est, "private endpoints");
    assert_eq!((pes.count, pes.totals.fixed), (Some(d("5")), d("36.50")));
    assert!(
        reason(&est, "private endpoints").ends_with(
            "api (sites), pg (postgresqlServer), pgb (postgresqlServer), my (mysqlServer), mye (mysqlServer)"
        ),
        "{:?}",
        pes.reason
    );
    let zones = reason(&est, "private DNS zones");
    assert!(
        zones.ends_with(
            "privatelink.azurewebsites.net, privatelink.mysql.database.azure.com, privatelink.postgres.database.azure.com"
        ),
        "{zones}"
    );
    assert_eq!(added(&est, "private DNS zones").totals.fixed, d("1.50"));

    // 2023-12: neither private endpoint is GA yet (PostgreSQL from 2025-01-23, MySQL from 2024-11-27):
    // the servers are injected into a delegated subnet, with a private zone each engine, and only the
    // App Service takes an endpoint (7.30). MySQL D4ds_v5 had no per-vCore meter then, so it is left
    // out here. Prices of 2023-12 are the same meters: 259.88, 12.41, 172.28.
    let old_yaml = DATABASES
        .replace("pg, pgb, my, mye", "pg, pgb, mye")
        .replace("  - name: my\n    type: mysql-flexible\n    tier: d4ds-v5\n    usage: { gb: 64 }\n", "");
    let old = with_snapshot(&c, &old_yaml, "2023-12");
    assert_eq!(closed(&old, "pg").totals.fixed, d("259.88"));
    assert_eq!(closed(&old, "pgb").totals.fixed, d("12.41"));
    assert_eq!(closed(&old, "mye").totals.fixed, d("172.28"));
    assert!(old.closed.decisions.iter().all(|d| !d.changed()));
    let injected = |name: &str| {
        let dec = old.closed.decisions.iter().find(|d| d.service == name).unwrap();
        dec.evidence.iter().any(|e| e.injects())
    };
    assert!(injected("pg") && injected("pgb") && injected("mye"));
    let pes = added(&old, "private endpoints");
    assert_eq!((pes.count, pes.totals.fixed), (Some(d("1")), d("7.30")));
    assert!(reason(&old, "private endpoints").ends_with(": api (sites)"), "{:?}", pes.reason);
    let zones = reason(&old, "private DNS zones");
    assert!(
        zones.contains(
            "private.mysql.database.azure.com, private.postgres.database.azure.com, privatelink.azurewebsites.net;"
        ),
        "{zones}"
    );
    // Three zones: 3 x 0.50 = 1.50.
    assert_eq!(added(&old, "private DNS zones").totals.fixed, d("1.50"));
}

#[test]
fn workspace_based_application_insights_bills_through_log_analytics_behind_one_ampls() {
    let c = catalog();
    let yaml = "
version: 1
region: eastus2
services:
  - name: telemetry
    type: app-insights
    usage: { ingestion_gb: 20 }
  - name: logs
    type: log-analytics
    usage: { ingestion_gb: 5 }
";
    let est = run(&c, yaml);
    // Analytics Logs Data Ingestion, meter ec00a25a-ab14-4b7b-a94f-66581f123295 (2018-02-01): first 5 GB
    // at 0, then 2.76 USD/GB: (20 - 5) x 2.76 = 41.40; no fixed charge.
    let telemetry = closed(&est, "telemetry");
    assert_eq!(telemetry.tier, "workspace-based");
    assert_eq!((telemetry.totals.fixed, telemetry.totals.usage), (d("0"), d("41.40")));
    let line = &telemetry.lines[0];
    assert_eq!((line.key, line.unit_price), ("app-insights/workspace-based/ingestion", Some(d("2.76"))));
    // The workspace's own 5 GB stay in the free grant: 0.00.
    assert_eq!(closed(&est, "logs").totals.usage, d("0"));
    // One Azure Monitor Private Link Scope endpoint for both (7.30) and its five zones (5 x 0.50 = 2.50).
    let pes = added(&est, "private endpoints");
    assert_eq!((pes.count, pes.totals.fixed), (Some(d("1")), d("7.30")));
    assert!(reason(&est, "private endpoints").ends_with("telemetry + logs (azuremonitor)"), "{:?}", pes.reason);
    let zones = added(&est, "private DNS zones");
    assert_eq!((zones.count, zones.totals.fixed), (Some(d("5")), d("2.50")));
    assert!(
        reason(&est, "private DNS zones").ends_with(
            "privatelink.agentsvc.azure-automation.net, privatelink.blob.core.windows.net, privatelink.monitor.azure.com, \
             privatelink.ods.opinsights.azure.com, privatelink.oms.opinsights.azure.com"
        ),
        "{:?}",
        zones.reason
    );
    // 41.40 + 7.30 + 2.50 = 51.20 closed; 41.40 RBAC-only.
    assert_eq!(est.closed.totals().unwrap().total(), d("51.20"));
    assert_eq!(est.rbac.totals().unwrap().total(), d("41.40"));
}

const STORAGE: &str = "
version: 1
region: eastus2
services:
  - name: lrs
    type: storage
    tier: hot-lrs
    usage: { gb: 60000, write_ops: 1M, read_ops: 10M }
  - name: zrs
    type: storage
    tier: hot-zrs
    usage: { gb: 1000, write_ops: 1M, read_ops: 10M }
  - name: grs
    type: storage
    tier: hot-grs
    usage: { gb: 1000, write_ops: 1M, read_ops: 10M }
  - name: gzrs
    type: storage
    tier: hot-gzrs
    usage: { gb: 1000, write_ops: 1M, read_ops: 10M }
  - name: cool
    type: storage
    tier: cool-lrs
    usage: { gb: 1000, write_ops: 1M, read_ops: 10M, retrieval_gb: 100 }
  - name: coolgz
    type: storage
    tier: cool-gzrs
    usage: { gb: 1000 }
";

#[test]
fn storage_redundancy_and_access_tiers_price_their_own_meters() {
    let c = catalog();
    let est = run(&c, STORAGE);
    let usage = |name: &str| closed(&est, name).totals.usage;
    // Hot LRS, tiered capacity (10b97fb2-...): 51,200 GB x 0.0184 = 942.08, then 8,800 x 0.017664 =
    // 155.4432; writes 1M = 100 x 10K x 0.05 = 5.00 (3d7aa86c-...); reads 1,000 x 10K x 0.004 = 4.00
    // (c12cb4fa-...): 1,106.5232.
    assert_eq!(usage("lrs"), d("1106.5232"));
    let capacity = &closed(&est, "lrs").lines[0];
    assert_eq!((capacity.key, capacity.unit_price), ("storage/hot-lrs/capacity", Some(d("0.017664"))));
    // Hot ZRS: 1,000 x 0.023 = 23.00; 100 x 0.0625 = 6.25; reads (ZRS meter) 1,000 x 0.004 = 4.00: 33.25.
    assert_eq!(usage("zrs"), d("33.25"));
    // Hot GRS: 1,000 x 0.0368 = 36.80; 100 x 0.10 = 10.00; reads on the LRS meter 4.00: 50.80.
    assert_eq!(usage("grs"), d("50.80"));
    // Hot GZRS: 1,000 x 0.0414 = 41.40; 100 x 0.1125 = 11.25; reads on the ZRS meter 4.00: 56.65.
    assert_eq!(usage("gzrs"), d("56.65"));
    // Cool LRS: 1,000 x 0.01 = 10.00; writes 100 x 0.10 = 10.00; reads 1,000 x 0.01 = 10.00; retrieval
    // 100 GB x 0.01 = 1.00: 31.00.
    assert_eq!(usage("cool"), d("31.00"));
    // Cool GZRS capacity (3d0447a7-...): 1,000 x 0.0225 = 22.50.
    assert_eq!(usage("coolgz"), d("22.50"));
    // Every tier takes a blob endpoint and keeps its declared tier: 6 x 7.30 = 43.80 and one zone 0.50.
    assert!(est.closed.decisions.iter().all(|d| !d.changed()));
    assert_eq!(added(&est, "private endpoints").totals.fixed, d("43.80"));
    assert_eq!(added(&est, "private DNS zones").totals.fixed, d("0.50"));
    // Only the ZRS and GZRS tiers can be zone-redundant.
    let lrs = "version: 1\nregion: eastus2\nservices:\n  - name: data\n    type: storage\n    tier: hot-lrs\n    zone_redundant: true\n";
    let err = refused(&c, lrs);
    assert!(err.contains("services[0].zone_redundant: storage tier hot-lrs cannot be zone-redundant"), "{err}");
    assert!(err.contains("help: tiers that can: hot-zrs, cool-zrs, hot-gzrs, cool-gzrs"), "{err}");
}

#[test]
fn sql_database_dtu_tiers_bill_per_day_and_business_critical_per_hour() {
    let c = catalog();
    let yaml = "
version: 1
region: eastus2
services:
  - name: basic
    type: sql-database
  - name: s0
    type: sql-database
    tier: s0
  - name: s3
    type: sql-database
    tier: s3
  - name: p1
    type: sql-database
    tier: p1
  - name: bc
    type: sql-database
    tier: bc-gen5-2
";
    let est = run(&c, yaml);
    let fixed = |name: &str| closed(&est, name).totals.fixed;
    // No tier: the lowest, Basic (cae64797-9ecf-4906-b517-6238c80c045f, 1/Day): 0.161 x 730/24 =
    // 117.53/24 = 4.8970833... (730/24 has no exact decimal, so compare at 6 places).
    assert_eq!(closed(&est, "basic").tier, "basic");
    assert_eq!(fixed("basic").round_dp(6), d("4.897083"));
    // S0 (a149966f-73b4-4e1d-b335-d2a572b1e6bd): 0.4839 x 730 / 24 = 353.247 / 24 = 14.718625.
    assert_eq!(fixed("s0").round_dp(10), d("14.718625"));
    // S3 (6bafdc11-b964-4895-9d4e-a0e548db1b2b): 4.8387 x 730 / 24 = 3,532.251 / 24 = 147.177125.
    assert_eq!(fixed("s3").round_dp(10), d("147.177125"));
    // P1 (ce1e156d-8253-42f4-bb9e-409708366fea): 15 x 730 / 24 = 456.25.
    assert_eq!(fixed("p1").round_dp(10), d("456.25"));
    let line = &closed(&est, "p1").lines[0];
    assert_eq!((line.unit, line.unit_price), ("1/Day", Some(d("15"))));
    // Business Critical Gen5 2 vCores (0721144c-cd7e-452b-8998-1acced204e81, 2025-07-01): 0.60887 x 730 =
    // 444.4751, at the Azure Hybrid Benefit price.
    assert_eq!(fixed("bc"), d("444.4751"));
    assert!(
        closed(&est, "bc").lines[0]
            .component
            .ends_with("(Azure Hybrid Benefit price: SQL Server licence not included)")
    );
    // Every tier takes the logical server's endpoint: 5 x 7.30 = 36.50, one zone 0.50.
    assert!(est.closed.decisions.iter().all(|d| !d.changed()));
    let pes = added(&est, "private endpoints");
    assert_eq!((pes.count, pes.totals.fixed), (Some(d("5")), d("36.50")));
    assert!(reason(&est, "private DNS zones").ends_with("privatelink.database.windows.net"));
    assert_eq!(added(&est, "private DNS zones").totals.fixed, d("0.50"));
}

const ZONES: &str = "
version: 1
region: eastus2
services:
  - name: web
    type: app-service
    tier: p1v3
    os: linux
    instances: 2
    zone_redundant: true
  - name: gateway
    type: api-management
    tier: premium
    units: 2
    zone_redundant: true
";

#[test]
fn zone_redundancy_sets_the_minimum_instances_and_units_that_are_billed() {
    let c = catalog();
    let est = run(&c, ZONES);
    // P1v3 Linux (6b4d6c1f-9d3d-5be4-8f90-9081da8b3551): 2 instances, the minimum since 2025-05-07:
    // 2 x 0.155 x 730 = 226.30.
    assert_eq!(closed(&est, "web").totals.fixed, d("226.30"));
    // API Management Premium (15ebd8a7-aeb0-4623-ac0f-d434504f9474): 2 units at least, 2 x 3.829 x 730 =
    // 5,590.34.
    assert_eq!(closed(&est, "gateway").totals.fixed, d("5590.34"));
    assert_eq!(rbac(&est, "gateway").totals.fixed, d("5590.34"));
    // One unit is refused, with the minimum and its source.
    let err = refused(&c, &ZONES.replace("units: 2", "units: 1"));
    assert_eq!(
        err,
        "error: test.yaml:11:5: services[1].zone_redundant: gateway: api-management tier premium zone-redundant, it \
         runs and bills at least 2 units (https://learn.microsoft.com/azure/reliability/reliability-api-management, \
         2026-01-09); units: 1 is below that\n  help: set units: 2 or more"
    );
    // On 2023-12-01 a zone-redundant App Service plan needed 3 instances: 2 is refused ...
    let overrides = Overrides { snapshot: Some("2023-12".to_string()), ..Overrides::default() };
    let err = match pipeline::run("test.yaml", ZONES, &c, &overrides) {
        Ok(_) => panic!("two instances accepted on 2023-12"),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        err,
        "error: test.yaml:5:5: services[0].zone_redundant: web: app-service tier p1v3 zone-redundant, it runs and \
         bills at least 3 instances (https://learn.microsoft.com/azure/reliability/reliability-app-service, \
         2023-09-26); instances: 2 is below that\n  help: set instances: 3 or more"
    );
    // ... and 3 are priced: 3 x 0.155 x 730 = 339.45 (the same meter and price in 2023-12).
    let old = with_snapshot(&c, &ZONES.replace("instances: 2", "instances: 3"), "2023-12");
    assert_eq!(closed(&old, "web").totals.fixed, d("339.45"));
    // A tier that cannot be zone-redundant is refused, with those that can.
    let err = refused(&c, &ZONES.replace("tier: p1v3", "tier: b1"));
    assert!(err.contains("services[0].zone_redundant: app-service tier b1 cannot be zone-redundant"), "{err}");
    assert!(err.contains("help: tiers that can: p1v2, p2v2, p3v2, p0v3, p1v3, p2v3, p0v4, p1v4, p2v4, p3v4"), "{err}");
}

#[test]
fn defender_plans_are_billed_per_unit_and_the_closed_design_adds_nothing_for_them() {
    let c = catalog();
    let yaml = "
version: 1
region: eastus2
services:
  - name: containers
    type: defender-for-cloud
    tier: containers
    units: 12
  - name: servers
    type: defender-for-cloud
    tier: servers-p2
    units: 3
  - name: vaults
    type: defender-for-cloud
    tier: key-vault
    units: 2
";
    let est = run(&c, yaml);
    // Containers (ea9a1d7f-4570-5e07-a2b1-e3c763714eae): 12 vCores x 0.00941 x 730 = 82.4316.
    assert_eq!(closed(&est, "containers").totals.fixed, d("82.4316"));
    // Servers Plan 2 (0fad698c-40bf-4ee1-a096-565fc6f0cddd): 3 x 0.02 x 730 = 43.80.
    assert_eq!(closed(&est, "servers").totals.fixed, d("43.80"));
    // Key Vault (5ffd6fa6-59ab-5d33-87f0-8a65653d2257): 2 x 0.00034 x 730 = 0.4964.
    assert_eq!(closed(&est, "vaults").totals.fixed, d("0.4964"));
    // A billing plan is no network resource: no endpoint, no zone, no tier change, same total.
    assert!(est.closed.added.is_empty(), "{:?}", est.closed.added.iter().map(|a| &a.name).collect::<Vec<_>>());
    assert!(est.closed.decisions.iter().all(|d| !d.changed()));
    // 82.4316 + 43.80 + 0.4964 = 126.728.
    assert_eq!(est.closed.totals().unwrap().total(), d("126.728"));
    assert_eq!(est.rbac.totals().unwrap().total(), d("126.728"));
}

const VMS: &str = "
version: 1
region: mexicocentral
services:
  - name: app
    type: virtual-machine
    tier: Standard_D4ds_v5
    os: linux
    instances: 2
  - name: win
    type: virtual-machine
    tier: Standard_E2as_v5
    os: windows
";

#[test]
fn saved_page_vm_sizes_are_priced_in_mexicocentral_and_say_how_to_price_them_elsewhere() {
    let c = catalog();
    let est = run(&c, VMS);
    // Both sizes come from `sizes`, not the hand-written tiers. Standard_D4ds_v5 Linux (f93202ce-6e48-
    // 5630-92ab-f3011b391381): 2 x 0.249 x 730 = 363.54. Standard_E2as_v5 Windows (451cf5f1-7e25-5ff5-
    // 8736-bce8ba7bbc91, 2024-10-01): 0.216 x 730 = 157.68.
    assert_eq!(closed(&est, "app").tier, "d4ds-v5");
    assert_eq!(closed(&est, "app").totals.fixed, d("363.54"));
    assert_eq!(closed(&est, "app").lines[0].key, "virtual-machine/d4ds-v5/linux");
    assert_eq!(closed(&est, "win").tier, "e2as-v5");
    assert_eq!(closed(&est, "win").totals.fixed, d("157.68"));
    assert_eq!(closed(&est, "win").lines[0].key, "virtual-machine/e2as-v5/windows");
    assert!(est.closed.added.is_empty());

    // eastus2 has no virtual_machines.json in the saved pages: no price, and the line says what was
    // searched and how to supply one.
    let east = run(&c, &VMS.replace("mexicocentral", "eastus2"));
    assert_eq!(closed(&east, "app").totals.unpriced, 1);
    assert_eq!(closed(&east, "app").totals.fixed, d("0"));
    let f = east
        .findings
        .iter()
        .find(|f| f.rule == RuleId::CN008 && f.message.starts_with("closed design: app /"))
        .expect("CN008 for app");
    assert_eq!(
        f.message,
        "closed design: app / Standard_D4ds_v5 Linux: no price (the saved Retail Prices API pages have no \
         virtual_machines.json for eastus2 (searched for Virtual Machines Ddsv5 Series / Standard_D4ds_v5 / D4ds v5 \
         per 1 Hour); to price it add a `prices:` entry for virtual-machine/d4ds-v5/linux (type/tier/component) or \
         run `closednet pricing fetch --region eastus2` and `closednet pricing import` on a connected machine)"
    );
    // That `prices:` entry prices it: 2 x 0.20 x 730 = 292.00.
    let priced = VMS.replace("mexicocentral", "eastus2")
        + "prices:\n  - { type: virtual-machine, tier: d4ds-v5, component: linux, price: 0.20, source: \"EA sheet\" }\n";
    let own = run(&c, &priced);
    assert_eq!(closed(&own, "app").totals.unpriced, 0);
    assert_eq!(closed(&own, "app").totals.fixed, d("292.00"));
}
