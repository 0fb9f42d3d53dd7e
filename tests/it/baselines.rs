//! Microsoft's baseline zone-redundant App Service design and the AKS baseline, written as
//! examples/ with their published SKUs (issue 20). Each figure is worked out by hand from the
//! Retail Prices API items in `pricing/2026-08/prices/<type>.toml` (or `documented.toml`) at 730
//! hours a month, not copied from the output; a report presents each line rounded to the cent and
//! totals are sums of those rounded lines (`money.rs`).

use super::support::{catalog, d, run};
use closednet::Estimate;
use closednet::catalog::Catalog;
use closednet::figures::{PresentedDesign, present};
use closednet::pipeline::{self, Overrides};
use closednet::rules::PricedService;
use closednet::scenario::with_scenario;
use rust_decimal::Decimal;

const APP_SERVICE: &str = include_str!("../../examples/app-service-baseline.yaml");
const AKS: &str = include_str!("../../examples/aks-baseline.yaml");

/// The estimate of the file's scenario `name`, as `closednet estimate FILE --scenario NAME` prices it.
fn scenario<'c>(c: &'c Catalog, text: &str, name: &str) -> Estimate<'c> {
    let o = with_scenario("test.yaml", text, c, name, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    pipeline::run("test.yaml", text, c, &o).unwrap_or_else(|e| panic!("{e}"))
}

fn service<'a>(est: &'a Estimate, name: &str) -> &'a PricedService<'a> {
    est.closed.services.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no service {name}"))
}

fn added<'a>(est: &'a Estimate, name: &str) -> &'a PricedService<'a> {
    est.closed.added.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no added {name}"))
}

/// The presented (rounded) total of a service of the closed design.
fn shown(design: &PresentedDesign, name: &str) -> Decimal {
    design.services.iter().chain(&design.added).find(|s| s.service.name == name).unwrap().total()
}

#[test]
fn app_service_baseline_keeps_its_published_tiers_and_prices_ddos_and_private_access() {
    let c = catalog();
    let est = run(&c, APP_SERVICE);
    // Every tier of the implementation already takes private endpoints: nothing moves.
    let tiers: Vec<(&str, &str)> = est.closed.services.iter().map(|s| (s.name.as_str(), s.tier)).collect();
    assert_eq!(
        tiers,
        [
            ("ingress", "waf-v2"),
            ("web", "p2v2"),
            ("db", "basic"),
            ("vault", "standard"),
            ("docs", "hot-lrs"),
            ("logs", "pay-as-you-go"),
            ("telemetry", "workspace-based")
        ]
    );
    // WAF_v2 in eastus2: fixed 0.36/h x 730 = 262.80; 30 reserved capacity units (3 instances)
    // x 0.0144 x 730 = 315.36; its Standard public IP 0.005 x 730 = 3.65 -> 581.81.
    assert_eq!(service(&est, "ingress").totals.total(), d("581.81"));
    // P2v2 Windows 0.40/h x 730 x 3 instances = 876.00.
    assert_eq!(service(&est, "web").totals.total(), d("876.00"));
    assert_eq!(service(&est, "web").os.as_ref().unwrap().os, "windows");
    // SQL Database Basic 0.161 a day x 730/24 days = 4.897083... -> 4.90.
    assert_eq!(service(&est, "db").totals.total().round_dp(2), d("4.90"));
    // Private endpoints: the implementation's four (web, SQL, Key Vault, blob) and the Azure Monitor
    // Private Link Scope's one, shared by the workspace and Application Insights: 5 x 0.01 x 730.
    let pes = added(&est, "private endpoints");
    assert_eq!(pes.count, Some(d("5")));
    assert!(pes.reason.as_deref().unwrap().contains("logs + telemetry (azuremonitor)"), "{:?}", pes.reason);
    assert_eq!(pes.totals.total(), d("36.50"));
    // Four privatelink zones of the implementation plus the AMPLS's five, blob shared: 8 x 0.50.
    assert_eq!(added(&est, "private DNS zones").count, Some(d("8")));
    assert_eq!(added(&est, "private DNS zones").totals.total(), d("4.00"));
    // network.bicep's DDoS Protection plan: 2,944 a month (documented.toml, ddos-pricing-guide).
    assert_eq!(added(&est, "DDoS Network Protection").totals.total(), d("2944"));
    assert!(!est.closed.added.iter().any(|a| a.type_id == "firewall" || a.type_id == "bastion"));
    // Totals of the rounded lines: 581.81 + 876.00 + 4.90 = 1,462.71; closed adds 36.50 + 4.00 + 2,944.
    let rbac = present(&est.rbac, &est.conversion).unwrap();
    let closed = present(&est.closed, &est.conversion).unwrap();
    assert_eq!((rbac.total(), rbac.unpriced), (d("1462.71"), 0));
    assert_eq!((closed.total(), closed.unpriced), (d("4447.21"), 0));
}

#[test]
fn aks_baseline_prices_its_hub_and_leaves_out_what_has_no_price() {
    let c = catalog();
    let est = run(&c, AKS);
    assert_eq!(service(&est, "cluster").tier, "standard");
    // Standard tier cluster management 0.10/h x 730 = 73.00.
    assert_eq!(service(&est, "cluster").totals.total(), d("73.0"));
    // WAF_v2 without reserved capacity: 262.80 fixed + 1 capacity unit (the type's default) x 0.0144
    // x 730 = 10.512 + its public IP 3.65 = 276.962.
    assert_eq!(service(&est, "ingress").totals.total(), d("276.962"));
    // Defender for Containers: 14 vCores x 0.00941 x 730 = 96.1702.
    assert_eq!(service(&est, "defender").totals.total(), d("96.1702"));
    // Container Registry Premium 1.6666 a day x 730/24 = 50.6924166... -> 50.69.
    assert_eq!(service(&est, "registry").totals.total().round_dp(2), d("50.69"));
    // The node pools have no eastus2 price in the snapshot.
    for pool in ["system-pool", "user-pool"] {
        assert_eq!(service(&est, pool).totals.unpriced, 1, "{pool}");
    }
    // The hub: Azure Firewall Premium 1.75/h x 730 = 1,277.50 and one public IP (3.65); Bastion
    // Standard has no dated USD price, its public IP 3.65.
    assert_eq!(added(&est, "Azure Firewall Premium").totals.total(), d("1277.50"));
    assert_eq!(added(&est, "firewall public IPs").count, Some(d("1")));
    assert_eq!(added(&est, "Bastion Standard").totals.unpriced, 1);
    assert_eq!(added(&est, "Bastion public IP").totals.total(), d("3.65"));
    // Private endpoints: the private cluster's API server, the registry, the vault, the AMPLS: 4 x 7.30.
    let pes = added(&est, "private endpoints");
    assert_eq!((pes.count, pes.totals.total()), (Some(d("4")), d("29.20")));
    assert!(pes.reason.as_deref().unwrap().contains("cluster (management)"), "{:?}", pes.reason);
    // Rounded lines: 276.96 + 73.00 + 96.17 + 50.69 = 496.82; closed adds 29.20 + 4.00 (8 zones)
    // + 1,277.50 + 3.65 + 3.65 = 1,318.00 -> 1,814.82, both without the lines that have no price.
    let rbac = present(&est.rbac, &est.conversion).unwrap();
    let closed = present(&est.closed, &est.conversion).unwrap();
    assert_eq!((rbac.total(), rbac.unpriced), (d("496.82"), 2));
    assert_eq!((closed.total(), closed.unpriced), (d("1814.82"), 3));
    assert_eq!(shown(&closed, "private DNS zones"), d("4.00"));
}

#[test]
fn aks_baseline_in_mexico_central_prices_the_node_pools() {
    let c = catalog();
    let est = scenario(&c, AKS, "mexico-central");
    assert_eq!(est.architecture.region, "mexicocentral");
    // Standard_D2d_v5 Linux 0.124/h x 730 x 3 = 271.56; Standard_D4d_v5 Linux 0.249/h x 730 x 2 = 363.54.
    assert_eq!(service(&est, "system-pool").totals.total(), d("271.56"));
    assert_eq!(service(&est, "user-pool").totals.total(), d("363.54"));
    // WAF_v2 in mexicocentral: 0.396 x 730 = 289.08 + 0.01584 x 730 = 11.5632 + 3.65 = 304.2932.
    assert_eq!(service(&est, "ingress").totals.total(), d("304.2932"));
    let zones = added(&est, "private DNS zones");
    assert!(zones.reason.as_deref().unwrap().contains("privatelink.mexicocentral.azmk8s.io"), "{:?}", zones.reason);
    // Rounded lines: 304.29 + 73.00 + 271.56 + 363.54 + 96.17 + 50.69 = 1,159.25; only Bastion
    // Standard is left without a price in the closed design: 1,159.25 + 1,318.00 = 2,477.25.
    let rbac = present(&est.rbac, &est.conversion).unwrap();
    let closed = present(&est.closed, &est.conversion).unwrap();
    assert_eq!((rbac.total(), rbac.unpriced), (d("1159.25"), 0));
    assert_eq!((closed.total(), closed.unpriced), (d("2477.25"), 1));
}

#[test]
fn app_service_baseline_development_scenario_is_the_implementations_cheaper_switch() {
    let c = catalog();
    let est = scenario(&c, APP_SERVICE, "development");
    // S1 Windows 0.10/h x 730 x 1 instance = 73.00, no zone redundancy.
    assert_eq!(service(&est, "web").tier, "s1");
    assert_eq!(service(&est, "web").totals.total(), d("73.00"));
    // WAF_v2 with minCapacity 2: 262.80 + 20 x 0.0144 x 730 = 210.24 + 3.65 = 476.69.
    assert_eq!(service(&est, "ingress").totals.total(), d("476.69"));
    assert!(!est.closed.added.iter().any(|a| a.type_id == "ddos-protection"));
    // 476.69 + 73.00 + 4.90 = 554.59; closed adds the same private endpoints and zones, 36.50 + 4.00.
    let rbac = present(&est.rbac, &est.conversion).unwrap();
    let closed = present(&est.closed, &est.conversion).unwrap();
    assert_eq!((rbac.total(), closed.total()), (d("554.59"), d("595.09")));
}
