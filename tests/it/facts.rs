//! Closed-network facts checked again against Microsoft Learn (issue 11): each test pins one fact
//! with the figure or tier it changes. Figures are worked out by hand from the Retail Prices API
//! items in `pricing/<snapshot>/prices/` or the documented figures, not copied from the output.

use super::support::{d, run};
use closednet::Estimate;
use closednet::calculator::Source;
use closednet::catalog::Catalog;
use closednet::registry::RuleId;
use closednet::rules::PricedService;

fn added<'a>(est: &'a Estimate, name: &str) -> &'a PricedService<'a> {
    est.closed.added.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no added {name}"))
}

fn tier(est: &Estimate, service: &str) -> String {
    est.closed.services.iter().find(|s| s.name == service).unwrap().tier.to_string()
}

const ARTICLE_2023: &str = include_str!("../../examples/article-2023.yaml");
const ARTICLE: &str = include_str!("../../examples/article.yaml");

#[test]
fn injected_classic_api_management_takes_no_private_endpoint() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, ARTICLE_2023);
    assert_eq!(tier(&est, "gateway"), "premium");
    let gw = est.closed.decisions.iter().find(|d| d.service == "gateway").unwrap();
    let by_need: Vec<(&str, &str)> = gw.evidence.iter().map(|e| (e.need.as_str(), e.capability.as_str())).collect();
    assert_eq!(by_need, [("private inbound", "vnet_injection"), ("private outbound", "vnet_injection")]);
    let pes = added(&est, "private endpoints");
    assert!(!pes.reason.as_deref().unwrap().contains("gateway (Gateway)"), "{:?}", pes.reason);
    // chat-api, its host storage (blob only on a Dedicated plan: issue 19), gpt, search, docs and the
    // shared private link: 6.
    assert_eq!(pes.count, Some(d("6")));
    assert!(pes.reason.as_deref().unwrap().contains("chat-api host storage (blob), gpt (account)"));
    let zones = added(&est, "private DNS zones");
    assert!(zones.reason.as_deref().unwrap().contains("azure-api.net resolves gateway, injected in internal mode"));
    assert!(!zones.reason.as_deref().unwrap().contains("privatelink.azure-api.net"));
}

#[test]
fn front_door_could_not_reach_api_management_over_private_link_in_2023() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, ARTICLE_2023);
    // API Management became a Front Door Private Link origin after 2023-12: the edge keeps Standard ...
    assert_eq!(tier(&est, "edge"), "standard");
    assert!(est.findings.iter().any(|f| f.rule == RuleId::CN014 && f.message.starts_with("edge cannot reach gateway")));
    // ... and an Application Gateway Standard v2 in front of the gateway takes its traffic:
    // japaneast fixed 0.29/h x 730 = 211.70 + 1 capacity unit x 0.008 x 730 = 5.84 -> 217.54 USD.
    assert_eq!(added(&est, "Application Gateway for gateway").totals.total(), d("217.540"));
    assert_eq!(added(&est, "Application Gateway public IP (gateway)").totals.total(), d("3.650"));
    // In 2026-08 it can: Premium with a Private Link origin, and no Application Gateway.
    let now = run(&c, ARTICLE);
    assert_eq!(tier(&now, "edge"), "premium");
    assert!(!now.closed.added.iter().any(|a| a.type_id == "app-gateway"));
    assert!(!now.findings.iter().any(|f| f.rule == RuleId::CN014));
}

const SEARCH: &str = "
version: 1
region: eastus2
services:
  - name: search
    type: ai-search
    tier: basic
    skillset: embedding
    calls: [docs]
  - name: docs
    type: storage
";

#[test]
fn embedding_only_skillsets_run_privately_on_basic_since_2024_04_03() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, SEARCH);
    assert_eq!(tier(&est, "search"), "basic");
    assert!(est.findings.iter().any(|f| f.rule == RuleId::CN015));
    let full = run(&c, &SEARCH.replace("skillset: embedding", "skillset: full"));
    assert_eq!(tier(&full, "search"), "s1");
    // `true` still means a full skillset.
    let yes = run(&c, &SEARCH.replace("skillset: embedding", "skillset: true"));
    assert_eq!(tier(&yes, "search"), "s1");
    // Before 2024-04-03 no embedding row existed: S2, as for any skillset then.
    let old = run(&c, &SEARCH.replace("region: eastus2", "region: eastus2\npricing: 2023-12"));
    assert_eq!(tier(&old, "search"), "s2");
}

#[test]
fn production_search_needs_three_replicas_to_index() {
    let c = Catalog::embedded().unwrap();
    let yaml = SEARCH.replace("region: eastus2", "region: eastus2\nclosed_network: { sla: production }");
    let est = run(&c, &yaml);
    let f = est.findings.iter().find(|f| f.rule == RuleId::CN016).expect("CN016");
    assert!(
        f.message.starts_with("search has 1 replica(s): its SLA for queries and indexing needs 3"),
        "{}",
        f.message
    );
    let three = run(&c, &yaml.replace("skillset: embedding", "skillset: embedding\n    replicas: 3"));
    assert!(!three.findings.iter().any(|f| f.rule == RuleId::CN016));
}

#[test]
fn a_data_lake_endpoint_brings_a_blob_endpoint_and_one_ampls_serves_many_workspaces() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: eastus2
services:
  - name: lake
    type: storage
    subresources: [dfs]
  - name: logs
    type: log-analytics
  - name: audit
    type: log-analytics
";
    let est = run(&c, yaml);
    let pes = added(&est, "private endpoints");
    // lake (dfs), lake (blob), one AMPLS endpoint for both workspaces: 3 x 0.01 x 730 = 21.90.
    assert_eq!(pes.count, Some(d("3")));
    assert_eq!(pes.totals.total(), d("21.90"));
    let why = pes.reason.as_deref().unwrap();
    assert!(why.contains("lake (dfs), lake (blob), logs + audit (azuremonitor)"), "{why}");
}

#[test]
fn sql_database_lines_say_they_are_the_hybrid_benefit_price() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: eastus2
services:
  - name: db
    type: sql-database
    tier: gp-gen5-2
";
    let est = run(&c, yaml);
    let line = &est.rbac.services[0].lines[0];
    assert!(
        line.component.ends_with("(Azure Hybrid Benefit price: SQL Server licence not included)"),
        "{}",
        line.component
    );
}

#[test]
fn december_2023_openai_models_are_priced_only_where_offered() {
    let c = Catalog::embedded().unwrap();
    // japaneast had gpt-4 (8K) on regional deployments: 0.03 / 0.06 per 1K tokens.
    let je = run(&c, ARTICLE_2023);
    let gpt = &je.rbac.services.iter().find(|s| s.name == "gpt").unwrap().lines[0];
    assert!(matches!(gpt.source, Source::Documented { .. }));
    // centralus has no regional gpt-4 meter: no price, rather than the japaneast figure.
    let cus = run(&c, &ARTICLE_2023.replace("region: japaneast", "region: centralus"));
    let gpt = &cus.rbac.services.iter().find(|s| s.name == "gpt").unwrap().lines[0];
    assert!(matches!(&gpt.source, Source::NoPrice(why) if why.contains("centralus")), "{:?}", gpt.source);
}

#[test]
fn container_apps_consumption_subtracts_the_monthly_free_grants() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: eastus2
services:
  - name: app
    type: container-apps
    usage: { requests: 5M, vcpu_seconds: 1M, gib_seconds: 2M }
";
    let est = run(&c, yaml);
    // (5M - 2M free) requests x 0.40/M = 1.20; (1,000,000 - 180,000) vCPU-s x 0.000024 = 19.68;
    // (2,000,000 - 360,000) GiB-s x 0.000003 = 4.92: 25.80.
    assert_eq!(est.rbac.services[0].totals.total(), d("25.80"));
}

#[test]
fn storage_ip_rules_are_a_finding_of_the_rbac_only_design() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, ARTICLE);
    let f = est.findings.iter().find(|f| f.rule == RuleId::CN001).unwrap();
    assert!(f.message.starts_with("in the RBAC-only design, docs is called from the same region by chat-api, search"));
}

#[test]
fn documented_figures_are_dated_when_they_took_effect() {
    let c = Catalog::embedded().unwrap();
    let snap = c.snapshot("2023-12").unwrap();
    // Private DNS zone 0.50/month, first recorded 2021-06-01: in force in 2023-12.
    let zone = snap.price("private-dns-zone/standard/zone", "japaneast").unwrap();
    assert_eq!((zone.effective.as_str(), zone.buckets[0].price), ("2021-06-01", d("0.50")));
    // The DNS Private Resolver's earliest record (2023-12-08) is after the snapshot: no price.
    assert!(snap.price("dns-resolver/inbound-endpoint/endpoint", "japaneast").is_err());
    let now = c.snapshot("2026-08").unwrap();
    assert_eq!(now.price("private-endpoint/standard/hour", "eastus2").unwrap().effective, "2020-02-01");
}

#[test]
fn an_expressroute_gateway_comes_with_its_circuit() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, &ARTICLE.replace("on_premises: vpn ", "on_premises: expressroute"));
    // ErGw1AZ in japaneast: the gateway is priced from the API ...
    assert!(added(&est, "ExpressRoute gateway").totals.total() > d("0"));
    // ... and the circuit next to it says why it has no price instead of being left out.
    let circuit = added(&est, "ExpressRoute circuit");
    assert!(
        matches!(&circuit.lines[0].source, Source::NoPrice(why) if why.contains("expressroute.json carries gateway meters only"))
    );
}
