//! The tiers an architect will declare (issue 11 item 7): App Service B2/B3, Premium v2, Premium v4 and
//! the larger Isolated v2 sizes, and Azure Managed Redis.
//!
//! Every expected figure is 730 h x the hourly `retailPrice` of the Retail Prices API item named in the
//! comment (meter id), read by hand from /work/shared/retail-prices/2026-08-15/<region>/<file>.json, not
//! copied from the program's output.

use super::support::{catalog, d, run};
use closednet::Estimate;
use closednet::calculator::{Resource, Totals, price};
use closednet::catalog::Catalog;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::BTreeMap;

fn closed_tier(est: &Estimate, service: &str) -> String {
    est.closed.services.iter().find(|s| s.name == service).unwrap().tier.to_string()
}

/// The monthly USD of one unit of `tier` on `snapshot` (`None`: no price), at list price.
fn monthly_at(catalog: &Catalog, snapshot: &str, type_id: &str, tier: &str, region: &str, os: &str) -> Option<Decimal> {
    let capacity: BTreeMap<String, Decimal> =
        catalog.service(type_id).unwrap().capacity.iter().map(|k| (k.clone(), Decimal::ONE)).collect();
    let res = Resource {
        type_id,
        tier,
        region,
        capacity: Cow::Owned(capacity),
        usage: Cow::Owned(BTreeMap::new()),
        model: None,
        os: Some(os),
        zone: None,
    };
    let def = catalog.service(type_id).unwrap();
    let lines = price(def, catalog.snapshot(snapshot).unwrap(), &res).unwrap();
    assert_eq!(lines.len(), 1, "{type_id}/{tier} has one line for {os}");
    lines[0].monthly?;
    Some(Totals::of(&lines).unwrap().total())
}

fn monthly(catalog: &Catalog, type_id: &str, tier: &str, region: &str, os: &str) -> Option<Decimal> {
    monthly_at(catalog, "2026-08", type_id, tier, region, os)
}

#[test]
fn app_service_basic_b2_and_b3() {
    let c = catalog();
    // japaneast B2 Linux, meter c4c2f075-f15a-4c9b-b81f-bafd85d809e3: 0.037 x 730 = 27.01
    assert_eq!(monthly(&c, "app-service", "b2", "japaneast", "linux"), Some(d("27.010")));
    // japaneast B2 Windows ("B2 App"), meter fab075bb-b179-48e5-8715-38be9f196f27: 0.177 x 730 = 129.21
    assert_eq!(monthly(&c, "app-service", "b2", "japaneast", "windows"), Some(d("129.210")));
    // eastus2 B3 Windows, meter 7ce53686-7c67-470b-ae6f-3996cbb02fbb: 0.3 x 730 = 219.00
    assert_eq!(monthly(&c, "app-service", "b3", "eastus2", "windows"), Some(d("219.0")));
    // eastus2 B3 Linux, meter 4d65f6f3-91d0-4450-a9a6-d3d318acbc86: 0.067 x 730 = 48.91
    assert_eq!(monthly(&c, "app-service", "b3", "eastus2", "linux"), Some(d("48.910")));
}

#[test]
fn app_service_premium_v2() {
    let c = catalog();
    // japaneast P1 v2 Windows, meter 1beb8643-08c4-4de4-9a2b-ecc4886d41d6: 0.236 x 730 = 172.28
    assert_eq!(monthly(&c, "app-service", "p1v2", "japaneast", "windows"), Some(d("172.280")));
    // japaneast P2 v2 Linux, meter 0bcc5ec5-cbb5-4218-95bd-dcc7b1563cd2: 0.245 x 730 = 178.85
    assert_eq!(monthly(&c, "app-service", "p2v2", "japaneast", "linux"), Some(d("178.850")));
    // eastus2 P3 v2 Linux, meter 2c080e10-888c-4e1e-9374-004300c35d18: 0.403 x 730 = 294.19
    assert_eq!(monthly(&c, "app-service", "p3v2", "eastus2", "linux"), Some(d("294.190")));
}

#[test]
fn app_service_premium_v4_is_priced_only_where_its_meters_exist() {
    let c = catalog();
    // japaneast P0v4 Linux, meter ff86bcb9-bb17-528f-bfc7-0a543be9be0e (from 2025-10-01): 0.106 x 730 = 77.38
    assert_eq!(monthly(&c, "app-service", "p0v4", "japaneast", "linux"), Some(d("77.380")));
    // eastus2 P1v4 Windows, meter e2ec1ebf-6274-54ae-8c34-5ea0d6d91de0: 0.238 x 730 = 173.74
    assert_eq!(monthly(&c, "app-service", "p1v4", "eastus2", "windows"), Some(d("173.740")));
    // japaneast P2v4 Linux, meter 44279a91-e7c0-577d-b592-eb7a5fe34ca2: 0.424 x 730 = 309.52
    assert_eq!(monthly(&c, "app-service", "p2v4", "japaneast", "linux"), Some(d("309.520")));
    // japaneast P3v4 Linux, meter 193496a4-e741-5f9a-877c-ffa32d4b9390: 0.847 x 730 = 618.31
    assert_eq!(monthly(&c, "app-service", "p3v4", "japaneast", "linux"), Some(d("618.310")));
    // The first Premium v4 meters start 2025-05-01: none in December 2023.
    for tier in ["p0v4", "p1v4", "p2v4", "p3v4"] {
        assert_eq!(monthly_at(&c, "2023-12", "app-service", tier, "japaneast", "linux"), None, "{tier}");
    }
    // Premium v2 was there: P1 v2 Linux japaneast, meter 3b0ca1ad-622b-46d0-b1db-f15867ae5a02 (from
    // 2019-08-01): 0.123 x 730 = 89.79
    assert_eq!(monthly_at(&c, "2023-12", "app-service", "p1v2", "japaneast", "linux"), Some(d("89.790")));
}

#[test]
fn app_service_isolated_v2_sizes() {
    let c = catalog();
    // japaneast I2 v2 Linux, meter 02427320-805d-5f40-babb-2bd9da2c0be6: 0.838 x 730 = 611.74
    assert_eq!(monthly(&c, "app-service", "i2v2", "japaneast", "linux"), Some(d("611.740")));
    // eastus2 I3 v2 Windows, meter 298c6ca8-dec3-5eca-8796-53ddb2afee96: 2.188 x 730 = 1,597.24
    assert_eq!(monthly(&c, "app-service", "i3v2", "eastus2", "windows"), Some(d("1597.240")));
    // eastus2 I6 v2 Windows, meter 224abaaf-9785-5410-820a-4901f06a2ea7: 17.504 x 730 = 12,777.92
    assert_eq!(monthly(&c, "app-service", "i6v2", "eastus2", "windows"), Some(d("12777.920")));
    // japaneast I4 v2 Linux, meter 58c9ee36-4774-5b0c-b4d0-96635714952a: 3.352 x 730 = 2,446.96
    assert_eq!(monthly(&c, "app-service", "i4v2", "japaneast", "linux"), Some(d("2446.960")));
    // The saved pages have no I4 v2 to I6 v2 meter in swedencentral.
    for tier in ["i4v2", "i5v2", "i6v2"] {
        assert_eq!(monthly(&c, "app-service", tier, "swedencentral", "linux"), None, "{tier}");
    }
}

#[test]
fn the_existing_app_service_tier_ids_are_unchanged_and_ordered_by_family() {
    let c = catalog();
    let def = c.service("app-service").unwrap();
    let rank = |id: &str| def.tier(id).unwrap_or_else(|| panic!("no tier {id}")).rank;
    // Basic < Standard < Premium < Isolated v2, as before the new tiers.
    let old = ["b1", "s1", "p0v3", "p1v3", "p2v3", "i1v2"];
    assert!(old.windows(2).all(|w| rank(w[0]) < rank(w[1])), "{old:?}");
    assert!(rank("b1") < rank("b2") && rank("b2") < rank("b3") && rank("b3") < rank("s1"));
    // The Premium generations are one ladder by vCPUs per instance.
    assert_eq!((rank("p1v2"), rank("p0v4")), (rank("p0v3"), rank("p0v3")));
    assert_eq!((rank("p2v2"), rank("p1v4")), (rank("p1v3"), rank("p1v3")));
    assert_eq!((rank("p3v2"), rank("p2v4")), (rank("p2v3"), rank("p2v3")));
    assert!(rank("p2v3") < rank("p3v4") && rank("p3v4") < rank("i1v2"));
    assert!(["i2v2", "i3v2", "i4v2", "i5v2", "i6v2"].iter().all(|t| rank(t) > rank("i1v2")));
    // The default tier is still B1.
    assert_eq!(def.default_tier(Some("linux")).unwrap().id, "b1");
}

#[test]
fn managed_redis_balanced_is_two_nodes_per_cache() {
    let c = catalog();
    // japaneast B0 Cache Instance, meter c420a3f9-8397-500f-9433-ebe09d2e4a62 (from 2025-06-01):
    // 2 nodes x 0.02 x 730 = 29.20
    assert_eq!(monthly(&c, "managed-redis", "balanced-b0", "japaneast", "linux"), Some(d("29.200")));
    // eastus2 B1 Cache Instance, meter de08ef42-ebb5-5d8d-8c4e-371815244b98: 2 x 0.032 x 730 = 46.72
    assert_eq!(monthly(&c, "managed-redis", "balanced-b1", "eastus2", "linux"), Some(d("46.720")));
    // japaneast B5 Cache Instance, meter 8c1b58c4-54f3-588b-8376-ea87a4d38686: 2 x 0.2 x 730 = 292.00
    assert_eq!(monthly(&c, "managed-redis", "balanced-b5", "japaneast", "linux"), Some(d("292.00")));
    // GA in May 2025: no price in December 2023.
    assert_eq!(monthly_at(&c, "2023-12", "managed-redis", "balanced-b0", "japaneast", "linux"), None);
}

const CLOSED: &str = "version: 1
region: japaneast
closed_network: { sla: production }
services:
";

#[test]
fn managed_redis_keeps_its_tier_and_gets_a_private_endpoint_in_its_own_zone() {
    let c = catalog();
    let yaml = format!("{CLOSED}  - name: cache\n    type: managed-redis\n    tier: balanced-b1\n");
    let est = run(&c, &yaml);
    assert_eq!(closed_tier(&est, "cache"), "balanced-b1");
    let pe = est.closed.added.iter().find(|a| a.type_id == "private-endpoint").expect("a private endpoint");
    assert_eq!(pe.count, Some(d("1")));
    let zones = est.closed.added.iter().find(|a| a.type_id == "private-dns-zone").expect("a private DNS zone");
    assert_eq!(zones.count, Some(d("1")));
    let text = format!("{:?}", est.closed.added);
    assert!(text.contains("privatelink.redis.azure.net"), "{text}");
    // japaneast B1 Cache Instance, meter 35e972c5-dcd7-5cf8-aff6-c893886e51f9: 2 x 0.041 x 730 = 59.86
    let svc = est.closed.services.iter().find(|s| s.name == "cache").unwrap();
    assert_eq!(svc.totals.fixed, d("59.860"));
}

#[test]
fn premium_v4_declared_in_december_2023_moves_to_a_premium_size_of_as_many_vcpus() {
    let c = catalog();
    let yaml = "version: 1
region: japaneast
pricing: 2023-12
closed_network: { sla: production }
services:
  - name: web
    type: app-service
    tier: p0v4
    os: linux
";
    let est = run(&c, yaml);
    // P0v4 has no meter then and P0v3 none in japaneast either: P1 v2 Linux (1 vCPU), meter
    // 3b0ca1ad-622b-46d0-b1db-f15867ae5a02, 0.123 x 730 = 89.79, not B2 (cheaper, but Basic) or Isolated.
    assert_eq!(closed_tier(&est, "web"), "p1v2");
    let svc = est.closed.services.iter().find(|s| s.name == "web").unwrap();
    assert_eq!(svc.totals.fixed, d("89.790"));
}

#[test]
fn python_functions_on_a_dedicated_plan_keep_it_and_consumption_still_moves_to_flex() {
    // Functions on a Dedicated plan are priced as the App Service plan they run on (functions.toml cannot
    // name App Service meters): a B1 Linux plan has VNet integration and a private endpoint and stays.
    let c = catalog();
    let yaml = format!(
        "{CLOSED}  - name: api
    type: app-service
    tier: b1
    os: linux
    runtime: python
    calls: [db]
  - name: fn
    type: functions
    tier: consumption
    os: linux
    runtime: python
    calls: [db]
  - name: db
    type: redis
    tier: standard-c1
"
    );
    let est = run(&c, &yaml);
    assert_eq!(closed_tier(&est, "api"), "b1");
    assert_eq!(closed_tier(&est, "fn"), "flex-consumption");
    // japaneast B1 Linux, meter a89fa607-4645-43e2-a0d5-eded680e8cdd: 0.019 x 730 = 13.87
    let svc = est.closed.services.iter().find(|s| s.name == "api").unwrap();
    assert_eq!(svc.totals.fixed, d("13.870"));
}

#[test]
fn in_december_2023_a_basic_b1_plan_cost_a_thirteenth_of_ep1() {
    let c = catalog();
    // japaneast B1 Linux, meter a89fa607-4645-43e2-a0d5-eded680e8cdd (from 2019-06-01): 0.019 x 730 = 13.87
    assert_eq!(monthly_at(&c, "2023-12", "app-service", "b1", "japaneast", "linux"), Some(d("13.870")));
    // EP1 there: 730 x (0.196 vCPU-h + 3.5 x 0.014 GiB-h) = 178.85 (meters from 2019-11-11)
    let res = Resource {
        type_id: "functions",
        tier: "ep1",
        region: "japaneast",
        capacity: Cow::Owned([("instances".to_string(), Decimal::ONE)].into()),
        usage: Cow::Owned(BTreeMap::new()),
        model: None,
        os: Some("linux"),
        zone: None,
    };
    let lines = price(c.service("functions").unwrap(), c.snapshot("2023-12").unwrap(), &res).unwrap();
    assert_eq!(Totals::of(&lines).unwrap().total(), d("178.85"));
}
