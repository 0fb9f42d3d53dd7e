//! The third facts pass (issue 19), end to end: the Container Apps edge path in both snapshots,
//! a shared private link Azure does not offer (CN017), a preview the policy can refuse (CN025),
//! and the published SLAs. Figures are worked out by hand from the meters the report cites.

use super::support::{catalog, d};
use closednet::Estimate;
use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
use closednet::registry::RuleId;
use std::process::{Command, Output};

const CONTAINER_APPS: &str = "tests/fixtures/facts/front-door-container-apps.yaml";
const SEARCH: &str = "tests/fixtures/facts/search-calls-gateway-and-function.yaml";

fn estimate<'c>(c: &'c Catalog, path: &str, snapshot: &str) -> Estimate<'c> {
    let yaml = std::fs::read_to_string(path).unwrap();
    let overrides = Overrides { snapshot: Some(snapshot.to_string()), ..Overrides::default() };
    pipeline::run(path, &yaml, c, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn added_total(est: &Estimate, name: &str) -> rust_decimal::Decimal {
    let a = est.closed.added.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no added {name}"));
    a.totals.total()
}

fn closednet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_closednet")).args(args).env("CLOSEDNET_TODAY", "2026-12-01").output().unwrap()
}

#[test]
fn front_door_reaches_container_apps_by_endpoint_in_2026_and_by_application_gateway_in_2023() {
    let c = catalog();
    // 2026-08: private endpoint 0.01 x 730 = 7.30, its zone 0.50, and the Dedicated Plan Management
    // charge 0.10 x 730 = 73.00 (meter 6e6cc574-5f9f-5bde-9029-24ffea6fd5b4, eastus2): 80.80.
    let now = estimate(&c, CONTAINER_APPS, "2026-08");
    assert_eq!(added_total(&now, "private endpoints"), d("7.30"));
    assert_eq!(added_total(&now, "private DNS zones"), d("0.50"));
    assert_eq!(added_total(&now, "Container Apps private endpoint management (app)"), d("73.00"));
    assert!(now.closed.added.iter().all(|a| !a.name.starts_with("Application Gateway")));
    let charge = now.closed.added.iter().find(|a| a.name.starts_with("Container Apps private endpoint")).unwrap();
    assert!(
        charge.reason.as_deref().unwrap().contains(
            "the endpoint path (USD 80.80/month: endpoint, DNS zone, this charge and the edge's Private Link tier) costs \
             less than an Application Gateway in front of app (USD 155.49/month)"
        ),
        "{:?}",
        charge.reason
    );
    assert_eq!(now.closed.totals().unwrap().total() - now.rbac.totals().unwrap().total(), d("80.80"));
    // 2023-12: no Private Link origin to a workload-profiles environment: Application Gateway
    // Standard v2 0.20 x 730 + one capacity unit 0.008 x 730 = 151.84, its public IP 0.005 x 730 =
    // 3.65: 155.49, with CN014.
    let then = estimate(&c, CONTAINER_APPS, "2023-12");
    assert_eq!(added_total(&then, "Application Gateway for app"), d("151.84"));
    assert_eq!(added_total(&then, "Application Gateway public IP (app)"), d("3.65"));
    assert!(then.closed.added.iter().all(|a| a.name != "private endpoints"));
    assert_eq!(then.closed.totals().unwrap().total() - then.rbac.totals().unwrap().total(), d("155.49"));
    assert!(then.findings.iter().any(|f| f.rule == RuleId::CN014));
}

#[test]
fn a_shared_private_link_to_api_management_did_not_exist_in_2023() {
    let c = catalog();
    let then = estimate(&c, SEARCH, "2023-12");
    let cn017: Vec<_> = then.findings.iter().filter(|f| f.rule == RuleId::CN017).collect();
    assert_eq!(cn017.len(), 1);
    assert!(cn017[0].message.starts_with(
        "search calls gateway (api-management), which no shared private link reaches on 2023-12-01: that call cannot \
         be made privately, and the closed design prices no link for it nor counts that path as closed."
    ), "{}", cn017[0].message);
    let pes = then.closed.added.iter().find(|a| a.name == "private endpoints").unwrap();
    let reason = pes.reason.as_deref().unwrap();
    assert!(!reason.contains("search -> gateway"), "{reason}");
    assert!(reason.contains("search -> skills (sites, shared private link, preview)"), "{reason}");
    // search, gateway, skills, its host storage (blob, file; Elastic Premium) and the link to skills:
    // 6 x 7.30 = 43.80; S1 had no skillset over a shared private link before 2024-04-03, so S2:
    // 981.12 - 245.28 = 735.84; 5 zones 2.50. 43.80 + 735.84 + 2.50 = 782.14.
    assert_eq!(pes.count, Some(d("6")));
    assert_eq!(then.closed.totals().unwrap().total() - then.rbac.totals().unwrap().total(), d("782.14"));
    // 2026-08: a preview for three skills (Learn, 2026-06-02): priced, and labelled.
    let now = estimate(&c, SEARCH, "2026-08");
    assert!(now.findings.iter().all(|f| f.rule != RuleId::CN017));
    let reason = now.closed.added.iter().find(|a| a.name == "private endpoints").unwrap().reason.clone().unwrap();
    assert!(reason.contains("search -> gateway (Gateway, shared private link, preview)"), "{reason}");
    // 7 endpoints x 7.30 + 5 zones x 0.50 = 53.60.
    assert_eq!(now.closed.totals().unwrap().total() - now.rbac.totals().unwrap().total(), d("53.60"));
}

#[test]
fn check_fails_an_unreachable_link_always_and_a_preview_only_with_deny_preview() {
    let o = closednet(&["check", SEARCH, "--snapshot", "2023-12"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.starts_with("FAIL CN017 error [shared-private-link-unsupported-target] "), "{out}");
    let o = closednet(&["check", SEARCH]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(out.matches("note CN025 [relies-on-preview]").count(), 2, "{out}");
    let o = closednet(&["check", SEARCH, "--deny-preview"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains(
        "FAIL CN025 error [relies-on-preview] tests/fixtures/facts/search-calls-gateway-and-function.yaml:9:5: search -> \
         skills: a shared private link to functions (group sites) is in preview on 2026-08-15"
    ), "{out}");
    assert!(out.contains("check failed: 2 failure(s); closed design USD 3,239.98/month, +USD 53.60"), "{out}");
    // `--warn` on the rule does not soften what `--deny-preview` asks for.
    let o = closednet(&["check", SEARCH, "--deny-preview", "--warn", "relies-on-preview"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn published_slas_are_in_the_catalog_with_their_source() {
    let c = catalog();
    let sla = |t: &str, tier: &str| {
        let def = c.service(t).unwrap();
        let tier = def.tier(tier).unwrap();
        (tier.sla, tier.sla_percent.clone())
    };
    // App Service from Basic: 99.95%; Free and Shared have none (and are not in the catalog).
    for tier in ["b1", "s1", "p1v3", "i1v2"] {
        assert_eq!(sla("app-service", tier), (Some(true), Some("99.95".to_string())), "{tier}");
    }
    assert_eq!(sla("functions", "dedicated-b1"), (Some(true), Some("99.95".to_string())));
    for tier in ["basic", "standard", "premium"] {
        assert_eq!(sla("firewall", tier), (Some(true), Some("99.95".to_string())), "{tier}");
        assert_eq!(sla("container-registry", tier), (Some(true), Some("99.9".to_string())), "{tier}");
    }
    assert_eq!(sla("bastion", "developer"), (Some(false), None));
    assert_eq!(sla("bastion", "basic"), (Some(true), Some("99.95".to_string())));
    assert_eq!(sla("front-door", "premium"), (Some(true), Some("99.99".to_string())));
    assert_eq!(sla("key-vault", "standard"), (Some(true), Some("99.99".to_string())));
    assert_eq!(sla("container-apps", "consumption"), (Some(true), Some("99.95".to_string())));
    assert_eq!(sla("ai-search", "free").0, Some(false));
    // AI Search 99.9% with 2 replicas (queries) or 3 (queries and indexing): search-reliability.
    assert_eq!(sla("ai-search", "s1"), (Some(true), Some("99.9".to_string())));
    // API Management classic tiers 99.95% in one region, Premium 99.99% over 2+ zones; Developer none;
    // no figure found for the v2 tiers (an SLA, percentage unknown).
    for tier in ["consumption", "basic", "standard", "premium"] {
        assert_eq!(sla("api-management", tier), (Some(true), Some("99.95".to_string())), "{tier}");
    }
    let premium = c.service("api-management").unwrap().tier("premium").unwrap();
    assert_eq!(premium.sla_zones.as_ref().map(|z| (z.zones, z.percent.as_str())), Some((2, "99.99")));
    assert_eq!(sla("api-management", "developer"), (Some(false), None));
    assert_eq!(sla("api-management", "standard-v2"), (Some(true), None));
    assert_eq!(sla("app-gateway", "waf-v2"), (Some(true), Some("99.95".to_string())));
    // `explain` names the source and the conditions.
    let o = closednet(&["explain", "ai-search"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("SLA 99.9%: https://learn.microsoft.com/azure/search/search-reliability; 2 or more replicas for queries, 3 or more for queries and indexing"),
        "{out}"
    );
}
