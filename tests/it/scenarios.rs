//! Named scenarios and requirements in the architecture file: validation at the file's lines,
//! `estimate --scenario`, `compare` in every format (figures checked by hand against the catalog),
//! `diff` between two scenarios, and the engine's requirement check (CN024).

use crate::support::{catalog, d, run};
use closednet::architecture::Constraint;
use closednet::pipeline::{self, Overrides};
use closednet::scenario::compare::compare;
use std::process::{Command, Output};

fn closednet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = closednet(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

const BAD: &str = "version: 1
region: eastus2
requirements: [egress-inspection, operator-acess]
scenarios:
  nat:
    description: a NAT gateway
    set:
      - closed_network.egress=nat-gatway
      - services.api.tier=ep9
      - nothing
  base:
    description: reserved
    set: [closed_network.hub=existing]
  vague:
    description: \" \"
    set: []
services:
  - name: api
    type: functions
    tier: ep1
";

fn load_errors(yaml: &str) -> Vec<String> {
    let catalog = catalog();
    match pipeline::run("bad.yaml", yaml, &catalog, &Overrides::default()) {
        Err(closednet::error::Error::Input(diags)) => diags
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} {} | {}",
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    d.path.clone().unwrap_or_default(),
                    d.message,
                    d.help.clone().unwrap_or_default()
                )
            })
            .collect(),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("the file is not valid"),
    }
}

/// Names, descriptions and `PATH=VALUE` syntax are checked with the rest of the file, each at its line.
#[test]
fn requirements_and_scenarios_are_checked_where_the_file_has_them() {
    assert_eq!(
        load_errors(BAD),
        [
            "3:35 requirements[1] unknown requirement \"operator-acess\" | did you mean \"operator-access\"?",
            "10:9 scenarios.nat.set[2] \"nothing\" is not PATH=VALUE | write an override as --set takes it, e.g. closed_network.hub=existing or services.gateway.tier=premium-v2",
            "12:5 scenarios.base \"base\" names the file as written in compare and diff | give the scenario another name",
            "15:5 scenarios.vague.description scenario vague has an empty description | say what the scenario is: the comparison and the sign-off print it",
            "15:5 scenarios.vague.set scenario vague sets nothing | list its overrides, e.g. set: [closed_network.hub=existing]",
        ]
    );
}

/// Each scenario's overrides are applied to the file as written and validated like `--set`; every
/// problem names the scenario and points at its `set` entry.
#[test]
fn a_scenarios_overrides_are_validated_like_set_at_their_lines() {
    let yaml = BAD.replace("operator-acess", "operator-access").replace("      - nothing\n", "").replace(
        "  base:\n    description: reserved\n    set: [closed_network.hub=existing]\n  vague:\n    description: \" \"\n    set: []\n",
        "  hub:\n    description: the hub\n    set:\n      - closed_network.hub_share=400\n      - requirements=[]\n",
    );
    assert_eq!(
        load_errors(&yaml),
        [
            "8:9 scenarios.nat.set[0] unknown value \"nat-gatway\" (scenario nat: closed_network.egress=nat-gatway) | did you mean \"nat-gateway\"?",
            "9:9 scenarios.nat.set[1] unknown functions tier \"ep9\" (scenario nat: services.api.tier=ep9) | did you mean \"ep1\"?",
            "14:9 scenarios.hub.set[1] scenario hub: requirements=[]: requirements are what every variant must keep: they are stated in the file's `requirements:` | ",
        ]
    );
    let yaml = yaml.replace("      - requirements=[]\n", "");
    assert_eq!(
        load_errors(&yaml)[2],
        "13:9 scenarios.hub.set[0] hub_share is the charge-back of an existing hub (scenario hub: closed_network.hub_share=400) | add `hub: existing`, or remove hub_share"
    );
}

/// `estimate --scenario NAME` is the file with the scenario's overrides, and `--set` still wins.
#[test]
fn estimate_prices_a_named_scenario() {
    let today = json(&["estimate", "examples/article-2023.yaml", "--scenario", "today", "--format", "json"]);
    let by_hand = json(&[
        "estimate",
        "examples/article-2023.yaml",
        "--snapshot",
        "2026-08",
        "--fx",
        "JPY=146.41",
        "--format",
        "json",
    ]);
    // The README's figure for the 2023 build priced with the 2026-08 snapshot.
    assert_eq!(today["designs"]["closed"]["total_monthly"], "1368537");
    assert_eq!(today["designs"]["closed"]["total_monthly"], by_hand["designs"]["closed"]["total_monthly"]);
    assert_eq!(today["pricing"]["snapshot"], "2026-08");
    let owned = json(&["estimate", "examples/article.yaml", "--scenario", "entra-owned", "--format", "json"]);
    assert_eq!(owned["delta_monthly"], "174180");
    let o = closednet(&["estimate", "examples/article.yaml", "--scenario", "entra-owend"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim_end(),
        "error: examples/article.yaml has no scenario \"entra-owend\"; did you mean \"entra-owned\"?"
    );
    let o = closednet(&["estimate", "examples/small.yaml", "--scenario", "x"]);
    assert_eq!(
        stderr(&o).trim_end(),
        "error: examples/small.yaml has no scenarios: add a `scenarios:` map (name -> description and set) to the file"
    );
}

/// The landing zone's scenarios against the file as written (USD, eastus2): Basic drops the
/// firewall (920.50 + IP 3.65), Bastion's IP (3.65) and the jump box disk (9.60): -937.40; Zero
/// Trust adds a VpnGw1AZ gateway (0.21/h: 153.30), its IP (3.65) and the DNS resolver inbound
/// endpoint (180.00): +336.95; the hub's firewall lists those and the DNS zones (5.00) at zero:
/// -942.40.
#[test]
fn compare_prices_the_landing_zone_scenarios_side_by_side() {
    let catalog = catalog();
    let text = std::fs::read_to_string("examples/landing-zone.yaml").unwrap();
    let c = compare("examples/landing-zone.yaml", &text, &catalog, &Overrides::default(), Some("zero-trust")).unwrap();
    let rows: Vec<_> = c.variants.iter().map(|v| (v.name.as_str(), v.figures.total(), v.figures.rbac)).collect();
    assert_eq!(
        rows,
        [
            ("base", d("2452.14"), d("1451.34")),
            ("basic", d("1514.74"), d("1451.34")),
            ("zero-trust", d("2789.09"), d("1451.34")),
            ("zero-trust-hub-firewall", d("1509.74"), d("1451.34")),
        ]
    );
    assert_eq!(c.chosen, Some(2));
    let base = c.base().figures.total();
    let vs: Vec<_> = c.variants.iter().map(|v| v.figures.total() - base).collect();
    assert_eq!(vs, [d("0"), d("-937.40"), d("336.95"), d("-942.40")]);
    // Basic keeps neither requirement; the others keep both.
    let broken: Vec<Vec<Constraint>> =
        c.variants.iter().map(|v| v.breaches.iter().map(|b| b.constraint).collect()).collect();
    assert_eq!(broken, [vec![], vec![Constraint::EgressInspection, Constraint::OperatorAccess], vec![], vec![]]);
    let changes = closednet::report::compare::changes_text(
        &c.changes(&c.variants[2]).unwrap(),
        &c.base().estimate.conversion.currency,
    );
    assert_eq!(
        changes,
        [
            "site-to-site VPN gateway: - -> 153.30",
            "gateway public IP: - -> 3.65",
            "DNS resolver inbound endpoint: - -> 180.00"
        ]
    );
}

#[test]
fn compare_speaks_every_format() {
    let table = closednet(&["compare", "examples/landing-zone.yaml"]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("| basic                     1,311.96 *   202.78     1,514.74 *    1,451.34          +63.40   -937.40   breaks egress-inspection, operator-access |"), "{text}");
    let md = String::from_utf8_lossy(
        &closednet(&[
            "compare",
            "examples/landing-zone.yaml",
            "--format",
            "markdown",
            "--choose",
            "zero-trust-hub-firewall",
        ])
        .stdout,
    )
    .into_owned();
    assert!(md.contains("| **chosen** | **zero-trust-hub-firewall** | 1,306.96 * | 202.78 | 1,509.74 * |"), "{md}");
    assert!(md.contains("Chosen: **zero-trust-hub-firewall**"), "{md}");
    assert!(md.contains("| Approved by | | | |"), "{md}");
    let csv = String::from_utf8_lossy(&closednet(&["compare", "examples/article-2023.yaml", "--format", "csv"]).stdout)
        .into_owned();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(closednet::report::compare::CSV_HEADER.join(",").as_str()));
    assert!(lines.nth(1).unwrap().starts_with("today,\"The same build with today's tiers and prices: pricing snapshot 2026-08, at the 2023-12-11 H.10 rate of 146.41 JPY/USD\",false,pricing=2026-08 fx.JPY=146.41,JPY,1181352,187185,1368537,320065,1048472,-531165,false,,"), "{csv}");
    let html =
        String::from_utf8_lossy(&closednet(&["compare", "examples/landing-zone.yaml", "--format", "html"]).stdout)
            .into_owned();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && !html.contains("<script"), "{html}");
    let o = closednet(&["compare", "examples/landing-zone.yaml", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).trim_end(), "error: --format xlsx writes a workbook: add --output FILE.xlsx");
    let o = closednet(&["compare", "examples/landing-zone.yaml", "--choose", "zero"]);
    assert_eq!(
        stderr(&o).trim_end(),
        "error: examples/landing-zone.yaml has no scenario \"zero\"; expected one of: basic, zero-trust, zero-trust-hub-firewall, base"
    );
    let o = closednet(&["compare", "examples/small.yaml"]);
    assert_eq!(
        stderr(&o).trim_end(),
        "error: examples/small.yaml has no scenarios to compare: add a `scenarios:` map (name -> description and set) to the file"
    );
}

/// `compare --format json`: `scenarios[]`, each with `name`, `set` and the report's `designs`,
/// valid against the committed schema; the designs are the ones `estimate --scenario` prints.
#[test]
fn the_json_comparison_carries_each_scenarios_designs() {
    let generated = closednet(&["schema", "--compare"]);
    let committed = std::fs::read_to_string("schema/compare.schema.json").unwrap();
    assert!(
        String::from_utf8_lossy(&generated.stdout) == committed,
        "schema/compare.schema.json is stale: run `cargo run -- schema --compare > schema/compare.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc = json(&["compare", "examples/landing-zone.yaml", "--format", "json"]);
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let names: Vec<&str> = doc["scenarios"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["base", "basic", "zero-trust", "zero-trust-hub-firewall"]);
    assert_eq!(doc["scenarios"][3]["set"], serde_json::json!(["closed_network.hub=existing"]));
    let one =
        json(&["estimate", "examples/landing-zone.yaml", "--scenario", "zero-trust-hub-firewall", "--format", "json"]);
    assert_eq!(doc["scenarios"][3]["designs"], one["designs"]);
    assert_eq!(doc["scenarios"][1]["requirements_broken"][0]["requirement"], "egress-inspection");
}

/// The workbook: a comparison sheet whose figures are formulas over one sheet per scenario.
#[test]
fn the_comparison_workbook_computes_from_the_scenario_sheets() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = crate::support::tmp().join("compare");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lz.xlsx");
    let o =
        closednet(&["compare", "examples/landing-zone.yaml", "--format", "xlsx", "--output", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let sheets = wb.sheet_names();
    assert_eq!(
        sheets,
        [
            "Comparison",
            "Assumptions",
            "base",
            "base RBAC",
            "basic",
            "basic RBAC",
            "zero-trust",
            "zero-trust RBAC",
            "zero-trust-hub-firewall",
            "zero-trust-hub-firewall RBAC"
        ]
    );
    let formulas = wb.worksheet_formula("Comparison").unwrap();
    let at = |r: u32, c: u32| formulas.get_value((r, c)).cloned().unwrap_or_default();
    assert_eq!(at(2, 2), "SUMIF('basic'!$E:$E,\"fixed\",'basic'!$J:$J)");
    assert_eq!(at(2, 4), "C3+D3");
    assert_eq!(
        at(2, 5),
        "SUMIF('basic RBAC'!$E:$E,\"fixed\",'basic RBAC'!$J:$J)+SUMIF('basic RBAC'!$E:$E,\"usage\",'basic RBAC'!$J:$J)"
    );
    assert_eq!(at(2, 7), "E3-$E$2");
    let values = wb.worksheet_range("Comparison").unwrap();
    assert_eq!(values.get_value((2, 7)).map(|v| v.to_string()), Some("-937.4".into()));
    std::fs::remove_dir_all(&dir).ok();
}

/// `diff FILE FILE --old-scenario A --new-scenario B`: two scenarios of one file.
#[test]
fn diff_compares_two_scenarios_of_one_file() {
    let doc = json(&[
        "diff",
        "examples/landing-zone.yaml",
        "examples/landing-zone.yaml",
        "--old-scenario",
        "basic",
        "--new-scenario",
        "zero-trust",
        "--format",
        "json",
    ]);
    let text = doc.to_string();
    assert!(text.contains("Azure Firewall Standard"), "{text}");
    let o = closednet(&[
        "diff",
        "examples/landing-zone.yaml",
        "examples/landing-zone.yaml",
        "--new-scenario",
        "zero-trust",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(table.contains("site-to-site VPN gateway"), "{table}");
}

/// The engine checks each requirement against the design it priced: CN024, an error, fails `check`.
#[test]
fn a_broken_requirement_is_an_error_finding_that_fails_check() {
    let catalog = catalog();
    let yaml = "version: 1\nregion: eastus2\nrequirements: [egress-inspection, on-premises-users, production-sla, existing-hub, ddos-protection, private-operator-access]\nclosed_network:\n  egress: nat-gateway\n  operator_access: [bastion-standard, jumpbox]\nservices:\n  - name: gw\n    type: api-management\n    tier: developer\n";
    let est = run(&catalog, yaml);
    let cn024: Vec<&str> =
        est.findings.iter().filter(|f| f.slug == "requirement-broken").map(|f| f.message.as_str()).collect();
    assert_eq!(
        cn024,
        [
            "the closed design breaks requirement egress-inspection: closed_network.egress is nat-gateway: NAT-only egress gives a fixed outbound IP but inspects nothing",
            "the closed design breaks requirement on-premises-users: closed_network.on_premises is none: users on premises have no private path to the services",
            "the closed design breaks requirement production-sla: gw runs api-management developer, which has no SLA (https://learn.microsoft.com/azure/api-management/api-management-features)",
            "the closed design breaks requirement existing-hub: closed_network.hub is new: the design builds its own network platform",
            "the closed design breaks requirement ddos-protection: closed_network.ddos is none: the design's public IPs have no DDoS Protection",
            "the closed design breaks requirement private-operator-access: Bastion Standard has a public IP (a private-only Bastion is Premium); the jump box is reached over the on-premises link, and closed_network.on_premises is none",
        ]
    );
    assert!(
        est.findings
            .iter()
            .filter(|f| f.slug == "requirement-broken")
            .all(|f| f.severity == closednet::registry::Severity::Error)
    );
    let dir = crate::support::tmp().join("req");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("req.yaml");
    std::fs::write(&file, yaml).unwrap();
    let o = closednet(&["check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(out.lines().filter(|l| l.starts_with("FAIL CN024")).count(), 6, "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// What each requirement means, on the network platform alone.
#[test]
fn each_requirement_is_kept_exactly_when_it_says() {
    use closednet::architecture::{Access, Egress, Hub, OnPremises};
    use closednet::rules::constraints::network;
    let catalog = catalog();
    let base =
        run(&catalog, "version: 1\nregion: eastus2\nservices:\n  - name: api\n    type: functions\n    tier: ep1\n")
            .architecture
            .closed;
    let with = |f: &dyn Fn(&mut closednet::architecture::ClosedNetwork)| {
        let mut n = base.clone();
        f(&mut n);
        n
    };
    let kept = |c: Constraint, n: &closednet::architecture::ClosedNetwork| network(c, n).is_none();
    // Egress: only a firewall inspects.
    for (e, ok) in [
        (Egress::None, false),
        (Egress::NatGateway, false),
        (Egress::FirewallBasic, true),
        (Egress::FirewallPremium, true),
    ] {
        assert_eq!(kept(Constraint::EgressInspection, &with(&|n| n.egress = e)), ok, "{e:?}");
    }
    // Operator access: Developer reaches the network only without a hub; a lone jump box needs the link.
    let dev = with(&|n| n.operator_access = vec![Access::BastionDeveloper]);
    assert!(kept(Constraint::OperatorAccess, &dev));
    assert!(!kept(
        Constraint::OperatorAccess,
        &with(&|n| {
            n.operator_access = vec![Access::BastionDeveloper];
            n.egress = Egress::FirewallBasic
        })
    ));
    assert!(!kept(Constraint::OperatorAccess, &with(&|n| n.operator_access = vec![Access::Jumpbox])));
    assert!(kept(
        Constraint::OperatorAccess,
        &with(&|n| {
            n.operator_access = vec![Access::Jumpbox];
            n.on_premises = OnPremises::Vpn
        })
    ));
    assert!(!kept(Constraint::OperatorAccess, &base));
    // No public IP for operators: Premium or a jump box, over the link.
    let premium = |op: OnPremises| {
        with(&|n| {
            n.operator_access = vec![Access::BastionPremium, Access::Jumpbox];
            n.on_premises = op
        })
    };
    assert!(kept(Constraint::PrivateOperatorAccess, &premium(OnPremises::ExpressRoute)));
    assert!(!kept(Constraint::PrivateOperatorAccess, &premium(OnPremises::None)));
    assert!(!kept(
        Constraint::PrivateOperatorAccess,
        &with(&|n| {
            n.operator_access = vec![Access::BastionDeveloper];
            n.on_premises = OnPremises::Vpn
        })
    ));
    assert!(kept(Constraint::OnPremisesUsers, &with(&|n| n.on_premises = OnPremises::Vpn)));
    assert!(kept(Constraint::ExistingHub, &with(&|n| n.hub = Hub::Existing)));
    assert!(!kept(Constraint::ExistingHub, &base));
    // AI Search below its SLA's replicas breaks production-sla (3 with an indexer).
    let yaml = "version: 1\nregion: eastus2\nrequirements: [production-sla]\nservices:\n  - name: s\n    type: ai-search\n    tier: s1\n    replicas: 2\n    calls: [docs]\n  - name: docs\n    type: storage\n";
    let est = run(&catalog, yaml);
    let why = closednet::rules::constraints::breaches(&est.architecture, &est.closed, &catalog);
    assert_eq!(why.len(), 1);
    assert!(
        why[0].reason.starts_with("s has 2 replica(s): its SLA for queries and indexing needs 3"),
        "{}",
        why[0].reason
    );
}
