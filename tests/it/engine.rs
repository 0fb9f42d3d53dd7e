//! Rules engine and calculator on the embedded catalog, with hand-checked figures.
//!
//! Every expected number below was worked out by hand from the Retail Prices API items named in
//! `pricing/2026-08/prices/` (and shared/reference/meters.md), not copied from the program's output.

use super::support::{catalog, d, run};
use closednet::calculator::{Resource, Totals, price};
use closednet::catalog::Catalog;
use closednet::pipeline::{self, Estimate, Overrides};
use closednet::registry::RuleId;
use closednet::rules::Decision;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::BTreeMap;

fn decision<'a>(est: &'a Estimate, service: &str) -> &'a Decision<'a> {
    est.closed.decisions.iter().find(|d| d.service == service).unwrap_or_else(|| panic!("no decision for {service}"))
}

fn closed_tier(est: &Estimate, service: &str) -> String {
    est.closed.services.iter().find(|s| s.name == service).unwrap().tier.to_string()
}

fn monthly(catalog: &Catalog, type_id: &str, tier: &str, region: &str, capacity: &[(&str, &str)]) -> Decimal {
    let res = Resource {
        type_id,
        tier,
        region,
        capacity: Cow::Owned(capacity.iter().map(|(k, v)| (k.to_string(), d(v))).collect()),
        usage: Cow::Owned(BTreeMap::new()),
        model: None,
        os: Some("linux"),
        zone: None,
    };
    let def = catalog.service(type_id).unwrap();
    let lines = price(def, catalog.newest(), &res).unwrap();
    Totals::of(&lines).unwrap().total()
}

#[test]
fn apim_premium_in_japaneast_is_3_829_times_730() {
    let c = catalog();
    // 3.829 USD/h x 730 h = 2,795.17 USD
    assert_eq!(monthly(&c, "api-management", "premium", "japaneast", &[("units", "1")]), d("2795.170"));
    // two units double it
    assert_eq!(monthly(&c, "api-management", "premium", "japaneast", &[("units", "2")]), d("5590.340"));
    // mexicocentral has its own meter at 4.2119/h: 3,074.687
    assert_eq!(monthly(&c, "api-management", "premium", "mexicocentral", &[("units", "1")]), d("3074.6870"));
}

#[test]
fn private_endpoint_is_0_01_times_730() {
    let c = catalog();
    assert_eq!(monthly(&c, "private-endpoint", "standard", "japaneast", &[("count", "1")]), d("7.30"));
    assert_eq!(monthly(&c, "private-endpoint", "standard", "westeurope", &[("count", "6")]), d("43.80"));
}

#[test]
fn functions_ep1_is_one_vcpu_plus_3_5_gib() {
    let c = catalog();
    // japaneast: 730 x (0.196 + 3.5 x 0.014) = 730 x 0.245 = 178.85
    assert_eq!(monthly(&c, "functions", "ep1", "japaneast", &[("instances", "1")]), d("178.85"));
    // eastus2: 730 x (0.16 + 3.5 x 0.0114) = 730 x 0.1999 = 145.927
    assert_eq!(monthly(&c, "functions", "ep1", "eastus2", &[("instances", "1")]), d("145.927"));
}

#[test]
fn ai_search_units_are_replicas_times_partitions() {
    let c = catalog();
    // S1 japaneast 0.444/h x 730 x (2 replicas x 3 partitions) = 1,944.72
    assert_eq!(monthly(&c, "ai-search", "s1", "japaneast", &[("replicas", "2"), ("partitions", "3")]), d("1944.720"));
}

const ARTICLE: &str = include_str!("../../examples/article.yaml");

#[test]
fn article_bumps_pin_the_cheapest_private_tiers() {
    let c = catalog();
    let est = run(&c, ARTICLE);
    // APIM private inbound + private backends: Standard v2 (699.997/month), not Premium (2,795.17).
    assert_eq!(closed_tier(&est, "gateway"), "standard-v2");
    let gw = decision(&est, "gateway");
    assert_eq!(gw.from, "standard");
    assert_eq!(gw.rule, Some(RuleId::CN102));
    let premium = gw.rejected.iter().find(|r| r.tier == "premium").unwrap();
    // 2,795.17 - 699.997 = 2,095.173
    assert_eq!(premium.reason.to_string(), "meets the needs but costs USD 2095.17/month more than standard-v2");
    let standard = gw.rejected.iter().find(|r| r.tier == "standard").unwrap();
    assert_eq!(standard.reason.to_string(), "no vnet_integration or vnet_injection");
    // A public Front Door with private origins: Premium.
    assert_eq!(closed_tier(&est, "edge"), "premium");
    assert_eq!(decision(&est, "edge").rule, Some(RuleId::CN103));
    // Python on Consumption: Flex Consumption (8.50/month at this usage, against EP1 178.85).
    assert_eq!(closed_tier(&est, "chat-api"), "flex-consumption");
    let ep1 = decision(&est, "chat-api").rejected.iter().find(|r| r.tier == "ep1").unwrap();
    assert_eq!(ep1.reason.to_string(), "meets the needs but costs USD 170.35/month more than flex-consumption");
    // AI Search Basic with a skillset indexer on private storage: S1.
    assert_eq!(closed_tier(&est, "search"), "s1");
    assert_eq!(decision(&est, "search").rule, Some(RuleId::CN104));
    // OpenAI and storage keep their tiers; only a private endpoint is added.
    assert!(!decision(&est, "gpt").changed());
    assert!(!decision(&est, "docs").changed());
}

#[test]
fn article_adds_what_a_closed_network_brings() {
    let c = catalog();
    let est = run(&c, ARTICLE);
    let added: Vec<(String, String, Option<Decimal>)> =
        est.closed.added.iter().map(|a| (a.type_id.to_string(), a.tier.to_string(), a.count)).collect();
    let expect = |t: &str, tier: &str, n: &str| (t.to_string(), tier.to_string(), Some(d(n)));
    assert_eq!(
        added,
        vec![
            // gateway, chat-api, its host storage (blob: Flex Consumption deploys from a blob
            // container), gpt, search, docs/blob, and the search -> docs shared private link
            expect("private-endpoint", "standard", "7"),
            // azure-api.net, azurewebsites.net, blob, openai, search
            expect("private-dns-zone", "standard", "5"),
            expect("vpn-gateway", "vpngw1az", "1"),
            expect("public-ip", "standard", "1"),
            expect("dns-resolver", "inbound-endpoint", "1"),
            expect("virtual-machine", "d2s-v5", "1"),
            expect("devops-pipelines", "self-hosted", "1"),
            expect("entra-id", "p1", "1000"),
        ]
    );
}

#[test]
fn article_totals_in_usd() {
    let c = catalog();
    let est = run(&c, ARTICLE);
    let rbac = est.rbac.totals().unwrap();
    // RBAC fixed: Front Door Standard 35 + APIM Standard 686.711 + Search Basic 2 x 97.09 = 194.18
    assert_eq!(rbac.fixed, d("915.891"));
    // RBAC usage: Functions 0.20 (1M executions over the grant x 0.20/M) + gpt-4o 750 + 600 + storage 10
    assert_eq!(rbac.usage, d("1360.20"));
    let closed = est.closed.totals().unwrap();
    // Front Door Premium 330 + Standard v2 699.997 + S1 648.24 + 7 PE 51.10 + 5 zones 2.50
    // + VpnGw1AZ 153.30 + public IP 3.65 + resolver 180 + parallel job 0 (first free) + P1 6,000
    assert_eq!(closed.fixed, d("8068.787"));
    // Flex: (2M - 250k)/10 x 0.000004 = 0.70, (400k - 100k) x 0.000026 = 7.80; + 1,350 + 10
    assert_eq!(closed.usage, d("1368.50"));
    // The build-agent VM has no price in japaneast (the saved pages hold VMs for mexicocentral only).
    assert_eq!(closed.unpriced, 1);
    assert!(est.findings.iter().any(|f| f.rule == RuleId::CN008 && f.message.contains("build agents")));
}

const APIM: &str = "version: 1
region: japaneast
closed_network: { sla: SLA }
services:
  - name: api
    type: api-management
    tier: TIER
    calls: [backend]
  - name: backend
    type: functions
    tier: ep1
";

fn apim(sla: &str, tier: &str) -> String {
    APIM.replace("SLA", sla).replace("TIER", tier)
}

#[test]
fn developer_stays_without_an_sla_requirement_and_goes_with_production() {
    let c = catalog();
    // Developer is injected (private both ways) and meets the needs: a declared tier that does stays.
    let est = run(&c, &apim("none", "developer"));
    assert_eq!(closed_tier(&est, "api"), "developer");
    let est = run(&c, &apim("production", "developer"));
    assert_eq!(closed_tier(&est, "api"), "standard-v2");
    let dev = decision(&est, "api").rejected.iter().find(|r| r.tier == "developer").unwrap();
    assert_eq!(dev.reason.to_string(), "no SLA, and closed_network.sla is production");
    assert!(est.findings.iter().any(|f| f.rule == RuleId::CN006));
}

#[test]
fn bumps_only_move_up() {
    let c = catalog();
    let est = run(&c, &apim("none", "premium"));
    assert_eq!(closed_tier(&est, "api"), "premium");
    let std_v2 = decision(&est, "api").rejected.iter().find(|r| r.tier == "standard-v2").unwrap();
    assert_eq!(std_v2.reason.to_string(), "ranks below the declared tier premium (bumps only move up)");
}

#[test]
fn a_tier_without_a_price_in_the_region_is_not_a_candidate() {
    let c = catalog();
    // mexicocentral has no v2 API Management meters: Premium is the cheapest private tier there.
    let est = run(&c, &apim("none", "standard").replace("japaneast", "mexicocentral"));
    assert_eq!(closed_tier(&est, "api"), "premium");
    let v2 = decision(&est, "api").rejected.iter().find(|r| r.tier == "standard-v2").unwrap();
    assert!(
        v2.reason.to_string().starts_with(
            "no price for Standard v2 unit: no API Management item in force on 2026-08-15 in mexicocentral"
        ),
        "{}",
        v2.reason
    );
}

#[test]
fn windows_functions_cannot_use_flex_consumption() {
    let c = catalog();
    let yaml = "version: 1
region: japaneast
services:
  - name: fn
    type: functions
    tier: consumption
    runtime: dotnet
    os: windows
";
    let est = run(&c, yaml);
    // Not Flex (Linux only): the cheapest Windows plan with VNet integration, a Dedicated B1.
    assert_eq!(closed_tier(&est, "fn"), "dedicated-b1");
    let flex = decision(&est, "fn").rejected.iter().find(|r| r.tier == "flex-consumption").unwrap();
    assert_eq!(flex.reason.to_string(), "does not run windows");
}

#[test]
fn public_services_keep_their_tier_and_get_no_endpoint() {
    let c = catalog();
    let yaml = "version: 1
region: eastus2
services:
  - name: fn
    type: functions
    tier: consumption
    public: true
";
    let est = run(&c, yaml);
    assert_eq!(closed_tier(&est, "fn"), "consumption");
    assert!(est.closed.decisions.is_empty());
    assert!(est.closed.added.is_empty());
}

#[test]
fn a_service_with_no_private_tier_is_an_error_finding() {
    let c = catalog();
    // Front Door cannot be made private inbound ("only supports private link from AFD to origin").
    let yaml = "version: 1
region: eastus2
services:
  - name: edge
    type: front-door
    tier: standard
";
    let est = run(&c, yaml);
    let d = decision(&est, "edge");
    assert_eq!(d.to, None);
    assert_eq!(closed_tier(&est, "edge"), "standard");
    let f = est.findings.iter().find(|f| f.rule == RuleId::CN007).unwrap();
    assert_eq!(f.severity.as_str(), "error");
}

#[test]
fn storage_sub_resources_each_take_an_endpoint_and_a_zone() {
    let c = catalog();
    let yaml = "version: 1
region: westeurope
services:
  - name: data
    type: storage
    subresources: [blob, dfs, file]
";
    let est = run(&c, yaml);
    let pe = est.closed.added.iter().find(|a| a.type_id == "private-endpoint").unwrap();
    assert_eq!(pe.count, Some(d("3")));
    let zones = est.closed.added.iter().find(|a| a.type_id == "private-dns-zone").unwrap();
    assert_eq!(zones.count, Some(d("3")));
    // 3 x 7.30 + 3 x 0.50
    assert_eq!(est.closed.totals().unwrap().fixed, d("23.40"));
}

#[test]
fn front_door_usage_needs_a_billing_zone() {
    let c = catalog();
    let yaml = "version: 1
region: japaneast
services:
  - name: edge
    type: front-door
    tier: premium
    public: true
    ZONE
    usage: { requests: 10M, data_out_gb: 100 }
";
    let est = run(&c, &yaml.replace("ZONE", "zone: 1"));
    let t = est.rbac.totals().unwrap();
    // Premium base fee 330; 10M requests = 1,000 x 10K at 0.015 = 15.00; 100 GB at 0.0825 = 8.25
    assert_eq!(t.fixed, d("330"));
    assert_eq!(t.usage, d("23.25"));
    let est = run(&c, &yaml.replace("ZONE", "zone: 3"));
    // Zone 3: 1,000 x 0.0259 = 25.90; 100 x 0.11 = 11.00
    assert_eq!(est.rbac.totals().unwrap().usage, d("36.90"));
    let est = run(&c, &yaml.replace("ZONE", "calls: []"));
    let t = est.rbac.totals().unwrap();
    assert_eq!((t.fixed, t.usage, t.unpriced), (d("330"), d("0"), 2));
}

const ARTICLE_2023: &str = include_str!("../../examples/article-2023.yaml");

#[test]
fn december_2023_reproduces_the_article() {
    let c = catalog();
    let est = run(&c, ARTICLE_2023);
    assert_eq!(est.snapshot.meta.name, "2023-12");
    // Standard v2 had no private endpoint then, Premium v2 did not exist, Developer has no SLA:
    // API Management goes to Premium, 3.829 x 730 = 2,795.17 USD.
    assert_eq!(closed_tier(&est, "gateway"), "premium");
    let gw = decision(&est, "gateway");
    let reason = |d: &Decision, tier: &str| d.rejected.iter().find(|r| r.tier == tier).unwrap().reason.to_string();
    assert_eq!(reason(gw, "standard-v2"), "no private endpoint or VNet injection");
    assert_eq!(reason(gw, "premium-v2"), "not generally available until 2025-11-20");
    // No Flex Consumption in 2023-12: Python Functions go to a Dedicated Basic B1 plan with VNet
    // integration, 0.019 USD/h (a89fa607-4645-43e2-a0d5-eded680e8cdd) x 730 = 13.87, not EP1's 178.85.
    assert_eq!(closed_tier(&est, "chat-api"), "dedicated-b1");
    // Preview from 2024-05-21, GA at Ignite on 2024-11-19 (issue 19).
    assert_eq!(
        reason(decision(&est, "chat-api"), "flex-consumption"),
        "not available until its preview from 2024-05-21 (generally available from 2024-11-19)"
    );
    // 178.85 - 13.87 = 164.98
    assert_eq!(
        reason(decision(&est, "chat-api"), "ep1"),
        "meets the needs but costs USD 164.98/month more than dedicated-b1"
    );
    // A skillset indexer over shared private link needed S2 before 2024-04-03.
    assert_eq!(closed_tier(&est, "search"), "s2");
    assert_eq!(reason(decision(&est, "search"), "s1"), "no shared_private_link_skillset");
    // Prices that started after 2023-12-01 are absent, with the reason.
    let vpn = est.closed.added.iter().find(|a| a.type_id == "vpn-gateway").unwrap();
    assert_eq!(vpn.lines[0].monthly, None);
    assert!(est.findings.iter().any(|f| f.rule == RuleId::CN008 && f.message.contains("VpnGw1AZ gateway")));
    let apim = est.closed.services.iter().find(|s| s.name == "gateway").unwrap();
    assert_eq!(apim.totals.fixed, d("2795.170"));
    // gpt-4 (8K) December 2023: 30M x 0.03/1K + 6M x 0.06/1K = 900 + 360
    let gpt = est.closed.services.iter().find(|s| s.name == "gpt").unwrap();
    assert_eq!(gpt.totals.usage, d("1260.00"));
}

#[test]
fn the_same_file_on_the_2026_snapshot_uses_the_newer_tiers() {
    let c = catalog();
    let overrides =
        Overrides { snapshot: Some("2026-08".into()), fx: vec![("JPY".into(), d("146.41"))], ..Default::default() };
    let est = pipeline::run("article-2023.yaml", ARTICLE_2023, &c, &overrides).unwrap();
    assert_eq!(est.snapshot.meta.name, "2026-08");
    assert_eq!(closed_tier(&est, "gateway"), "standard-v2");
    assert_eq!(closed_tier(&est, "chat-api"), "flex-consumption");
    assert_eq!(closed_tier(&est, "search"), "s1");
}

fn one_private_service(type_id: &str, tier: &str, extra: &str) -> String {
    format!(
        "version: 1
region: japaneast
closed_network: {{ sla: production }}
services:
  - name: svc
    type: {type_id}
    tier: {tier}
{extra}"
    )
}

#[test]
fn tiers_chosen_for_the_other_service_types() {
    let c = catalog();
    let cases = [
        // (type, declared tier, expected closed tier, monthly fixed USD of the closed tier)
        // ACR Premium: 1.6666/day x 730/24 days = 50.6924...
        ("container-registry", "basic", "premium", "50.69"),
        // Service Bus Premium: 0.9275 x 730 = 677.075 (private endpoints are Premium only)
        ("service-bus", "standard", "premium", "677.08"),
        // Event Hubs Standard: 0.03 x 730 = 21.90 (Basic has no private endpoint)
        ("event-hubs", "basic", "standard", "21.90"),
        // Logic Apps WS1: 730 x (0.2136 + 3.5 x 0.0153) = 195.0195
        ("logic-apps", "consumption", "ws1", "195.02"),
        // Redis Basic has no SLA: Standard C1 at 0.138 x 730 = 100.74
        ("redis", "basic-c1", "standard-c1", "100.74"),
        // Key Vault keeps its tier; only an endpoint is added
        ("key-vault", "standard", "standard", "0.00"),
        // Cosmos DB provisioned, default 400 RU/s: 730 x 4 x 0.009 = 26.28
        ("cosmos-db", "provisioned", "provisioned", "26.28"),
        // SQL Database GP Gen5 2 vCore compute: 0.34401 x 730 = 251.1273
        ("sql-database", "gp-gen5-2", "gp-gen5-2", "251.13"),
    ];
    for (type_id, from, to, fixed) in cases {
        let est = run(&c, &one_private_service(type_id, from, ""));
        assert_eq!(closed_tier(&est, "svc"), to, "{type_id}");
        let svc = est.closed.services.iter().find(|s| s.name == "svc").unwrap();
        assert_eq!(svc.totals.fixed.round_dp(2), d(fixed), "{type_id}");
    }
}

#[test]
fn network_appliances_need_nothing_more() {
    let c = catalog();
    // Firewall Standard: 1.25 x 730 = 912.50, in the customer's subnet: no bump, no endpoint.
    let est = run(&c, &one_private_service("firewall", "standard", ""));
    assert_eq!(closed_tier(&est, "svc"), "standard");
    assert!(est.closed.decisions.is_empty());
    assert!(est.closed.added.is_empty());
    assert_eq!(est.closed.totals().unwrap().fixed, d("912.50"));
}

#[test]
fn azure_monitor_private_link_needs_five_dns_zones() {
    let c = catalog();
    let est = run(&c, &one_private_service("log-analytics", "pay-as-you-go", "    usage: { ingestion_gb: 105 }\n"));
    let zones = est.closed.added.iter().find(|a| a.type_id == "private-dns-zone").unwrap();
    assert_eq!(zones.count, Some(d("5")));
    // 105 GB: first 5 free, 100 x 3.34 = 334.00
    assert_eq!(est.closed.services[0].totals.usage, d("334.00"));
}
