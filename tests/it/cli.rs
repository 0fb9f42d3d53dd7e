//! The binary as a user runs it: examples, output formats, currency options, bad input.

use std::process::{Command, Output};

fn closednet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_closednet"))
        .env("CLOSEDNET_TODAY", "2026-11-30")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Runs a command that must fail with exit code 2, print nothing on stdout, and say `expected`.
fn fails(args: &[&str], expected: &str) {
    let o = closednet(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert_eq!(stdout(&o), "", "{args:?} must print no report");
    assert_eq!(stderr(&o).trim_end(), expected.trim_end(), "{args:?}");
}

#[test]
fn every_example_estimates() {
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let p = path.to_str().unwrap();
            for format in ["table", "json"] {
                let o = closednet(&["estimate", p, "--format", format]);
                assert_eq!(o.status.code(), Some(0), "{p} {format}: {}", stderr(&o));
                assert!(!stdout(&o).is_empty());
            }
        }
    }
}

#[test]
fn article_table_shows_the_bumps_and_the_premium_in_jpy() {
    let o = closednet(&["estimate", "examples/article.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("JPY at 150 per USD (stated by the architect in examples/article.yaml)"), "{out}");
    assert!(out.contains("standard-v2 (was standard)"));
    assert!(out.contains("premium (was standard)"));
    assert!(out.contains("flex-consumption (was consumption)"));
    assert!(out.contains("s1 (was basic)"));
    // Hand-checked: RBAC 341,414 JPY; closed 1,415,594 JPY (see tests/engine.rs for the USD sums).
    assert!(out.contains("| Total / month     341,414      1,415,594 * |"), "{out}");
    assert!(out.contains("Closed network: JPY 1,074,180 per month more than RBAC-only (+314.6%)."), "{out}");
    assert!(out.contains("- gateway: api-management standard -> standard-v2 [CN102]"));
    assert!(out.contains("* 1 line(s) have no price and are left out of these totals"));
}

#[test]
fn article_json_has_the_documented_shape() {
    let o = closednet(&["estimate", "examples/article.yaml", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is only JSON");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["pricing"]["snapshot"], "2026-08");
    assert_eq!(v["pricing"]["as_of"], "2026-08-15");
    assert_eq!(v["pricing"]["currency"], "JPY");
    assert_eq!(v["pricing"]["fx"]["rate"], "150");
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "341414");
    assert_eq!(v["designs"]["closed"]["total_monthly"], "1415594");
    assert_eq!(v["designs"]["closed"]["complete"], false);
    assert_eq!(v["delta_monthly"], "1074180");
    let gateway =
        &v["designs"]["closed"]["decisions"].as_array().unwrap().iter().find(|d| d["service"] == "gateway").unwrap();
    assert_eq!(gateway["from"], "standard");
    assert_eq!(gateway["to"], "standard-v2");
    assert_eq!(gateway["rule"], "CN102");
    assert_eq!(gateway["doc"], "https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound");
    assert_eq!(gateway["as_of"], "2025-11-20");
    let svc =
        v["designs"]["rbac"]["services"].as_array().unwrap().iter().find(|s| s["name"] == "gateway").unwrap().clone();
    // 0.9407 x 730 = 686.711 USD x 150 = 103,006.65 -> 103,007 JPY
    assert_eq!(svc["fixed_monthly"], "103007");
    assert_eq!(svc["lines"][0]["meter_id"], "2e99cfc3-341a-4699-8f9a-38498d008def");
    assert_eq!(svc["lines"][0]["effective"], "2017-12-01");
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "CN001" && f["line"] == 46));
}

#[test]
fn fx_on_the_command_line_wins() {
    let o = closednet(&["estimate", "examples/article.yaml", "--format", "json", "--fx", "JPY=100"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["pricing"]["fx"]["source"], "--fx on the command line");
    // 3,500 + 68,671 (686.711 x 100) + 20 + 135,000 + 19,418 + 1,000
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "227609");
}

#[test]
fn usd_needs_no_rate() {
    let o = closednet(&["estimate", "examples/article.yaml", "--format", "json", "--currency", "USD"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // 915.89 fixed + 1,360.20 usage, each line rounded to cents first
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "2276.09");
}

#[test]
fn a_currency_without_a_rate_is_an_error() {
    fails(
        &["estimate", "examples/article.yaml", "--currency", "EUR"],
        "error: examples/article.yaml: currency: no USD to EUR rate: pricing snapshot 2026-08 has none\n  \
         help: pass --fx EUR=RATE or add `fx: { EUR: RATE }` to the file (units of EUR per USD)",
    );
    fails(
        &["estimate", "examples/article.yaml", "--fx", "JPY:150"],
        "error: --fx JPY:150: expected CUR=RATE, e.g. --fx JPY=150",
    );
    fails(
        &["estimate", "examples/article.yaml", "--fx", "JPY=-1"],
        "error: --fx JPY=-1: the rate must be more than zero",
    );
}

#[test]
fn bad_files_say_where_and_change_nothing() {
    fails(
        &["estimate", "tests/fixtures/bad/typo-key.yaml"],
        "error: tests/fixtures/bad/typo-key.yaml:6:5: services[0].teir: unknown field `teir`, expected one of name, type, \
         tier, units, replicas, partitions, instances, throughput, runtime, os, public, calls, subresources, skillset, custom_skill_timeout, zone, zone_redundant, usage\n  \
         help: did you mean \"tier\"? Unknown keys are errors so that a typo never changes a price silently",
    );
    fails(
        &["estimate", "tests/fixtures/bad/unknown-names.yaml"],
        "error: tests/fixtures/bad/unknown-names.yaml:2:9: region: region \"japanest\" is not in pricing snapshot 2026-08
  help: did you mean \"japaneast\"?
error: tests/fixtures/bad/unknown-names.yaml:6:11: services[0].tier: unknown api-management tier \"premum\"
  help: did you mean \"premium\"?
error: tests/fixtures/bad/unknown-names.yaml:7:13: services[0].calls[0]: no service named \"backend\"
  help: did you mean \"backnd\"?
error: tests/fixtures/bad/unknown-names.yaml:9:11: services[1].type: unknown service type \"functoins\"
  help: did you mean \"functions\"?",
    );
    fails(
        &["estimate", "tests/fixtures/bad/negative.yaml"],
        "error: tests/fixtures/bad/negative.yaml:6:21: services[0].usage.calls: -5M is negative; quantities must be zero or more",
    );
    fails(
        &["estimate", "tests/fixtures/bad/syntax.yaml"],
        "error: tests/fixtures/bad/syntax.yaml:5:11: services[0].type: expected string scalar",
    );
    fails(
        &["estimate", "tests/fixtures/bad/missing.yaml"],
        "error: cannot read tests/fixtures/bad/missing.yaml: No such file or directory (os error 2)",
    );
}

#[test]
fn catalog_lists_types_tiers_and_regions() {
    let o = closednet(&["catalog"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("- 2026-08 (as of 2026-08-15)"));
    assert!(out.contains("- 2023-12 (as of 2023-12-01)"));
    assert!(out.contains("fx: 1 USD = 146.41 JPY (Federal Reserve H.10, https://www.federalreserve.gov/releases/h10/20231218/, 2023-12-11)"), "{out}");
    assert!(out.contains("regions: australiaeast, brazilsouth"));
    assert!(out.contains("api-management - Azure API Management"));
    assert!(out.contains("standard-v2        rank 3 SLA; private access: private_endpoint preview from 2024-09-19, GA from 2025-05-19 (2025-11-17), vnet_integration preview from 2023-10-13, GA from 2024-03-01 (2025-11-20)"), "{out}");
    let o = closednet(&["catalog", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["services"].as_array().unwrap().len() >= 17);
}

#[test]
fn pricing_dir_replaces_the_embedded_catalog() {
    let o = closednet(&["estimate", "examples/small.yaml", "--pricing", "pricing", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    fails(
        &["estimate", "examples/small.yaml", "--pricing", "tests/fixtures/bad"],
        "error: tests/fixtures/bad: no pricing catalog here (expected services/*.toml)",
    );
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = closednet(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn service<'a>(v: &'a serde_json::Value, design: &str, name: &str) -> &'a serde_json::Value {
    v["designs"][design]["services"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()
}

#[test]
fn the_article_in_december_2023() {
    let v = json(&["estimate", "examples/article-2023.yaml", "--format", "json"]);
    assert_eq!(v["pricing"]["snapshot"], "2023-12");
    assert_eq!(v["pricing"]["fx"]["rate"], "146.41");
    assert_eq!(v["pricing"]["fx"]["date"], "2023-12-11");
    // 2,795.17 USD x 146.41 = 409,240.84 -> 409,241 JPY: "over 400,000 JPY a month for APIM Premium alone"
    let gw = service(&v, "closed", "gateway");
    assert_eq!((gw["tier"].as_str(), gw["fixed_monthly"].as_str()), (Some("premium"), Some("409241")));
    // RBAC: 5,124 + 100,541 + 29 + 184,477 + 28,430 + 1,464
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "320065");
    // Closed: 1,934,297 as first built, then (issue 11):
    //   - 1,069  no gateway private endpoint: Premium is injected in internal mode (0.01 x 730 x 146.41)
    //   - 43,191 Front Door stays Standard: API Management was no Private Link origin in 2023-12
    //   + 31,850 the Application Gateway Standard v2 in front of it: (0.29 + 0.008) x 730 x 146.41
    //   + 534    its public IP: 0.005 x 730 x 146.41
    //   + 366    5 private DNS zones at 0.50, dated 2021-06-01 (no price before)
    //   + 2,138  EP1's host storage behind blob and file endpoints: 7 x 7.30 x 146.41 = 7,482 for 5,344
    //   + 73     and the file zone: 6 x 0.50 x 146.41 = 439 for 366
    //   - 24,154 the Functions app on a Dedicated B1 plan (13.87 x 146.41 = 2,031) instead of EP1 (26,185)
    assert_eq!(v["designs"]["closed"]["total_monthly"], "1899702");
    // the VPN gateway, the DNS resolver and the build agent VM
    assert_eq!(v["designs"]["closed"]["unpriced_lines"], 3);
}

#[test]
fn snapshot_fx_table_converts_other_currencies() {
    let v = json(&["estimate", "examples/article-2023.yaml", "--format", "json", "--currency", "EUR"]);
    assert_eq!(v["pricing"]["currency"], "EUR");
    // 2,795.17 x 0.930492 (1 / 1.0747, H.10) = 2,600.883 -> 2,600.88
    assert_eq!(service(&v, "closed", "gateway")["fixed_monthly"], "2600.88");
}

#[test]
fn snapshot_option_reprices_a_pinned_file() {
    let v = json(&[
        "estimate",
        "examples/article-2023.yaml",
        "--format",
        "json",
        "--snapshot",
        "2026-08",
        "--fx",
        "JPY=146.41",
    ]);
    assert_eq!(v["pricing"]["snapshot"], "2026-08");
    // 699.997 x 146.41 = 102,486.56 -> 102,487
    let gw = service(&v, "closed", "gateway");
    assert_eq!((gw["tier"].as_str(), gw["fixed_monthly"].as_str()), (Some("standard-v2"), Some("102487")));
    fails(
        &["estimate", "examples/article-2023.yaml", "--snapshot", "2025-01"],
        "error: no pricing snapshot \"2025-01\"; expected one of: 2023-12, 2026-08",
    );
}
