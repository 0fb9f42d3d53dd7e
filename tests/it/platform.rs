//! The network platform of a closed design (issue 10): egress, operator access, DDoS, CI/CD agents,
//! an existing hub, owned licences, the premium by requirement, and `--set`.
//!
//! Every figure is worked out by hand from the Retail Prices API items in
//! `pricing/2026-08/prices/` (meter ids in the comments) or the documented figures in
//! `pricing/2026-08/documented.toml`, not copied from the program's output.

use super::support::d;
use closednet::architecture::set::Set;
use closednet::calculator::Source;
use closednet::catalog::Catalog;
use closednet::figures::{by_requirement, present};
use closednet::pipeline::{self, Estimate, Overrides};
use closednet::registry::RuleId;
use closednet::rules::PricedService;
use closednet::rules::requirement::Requirement;
use rust_decimal::Decimal;
use std::process::Command;

fn run<'c>(catalog: &'c Catalog, yaml: &str, sets: &[&str]) -> Estimate<'c> {
    let o = Overrides { sets: sets.iter().map(|s| Set::parse(s).unwrap()).collect(), ..Overrides::default() };
    pipeline::run("test.yaml", yaml, catalog, &o).unwrap_or_else(|e| panic!("{e}"))
}

fn added<'a>(est: &'a Estimate, name: &str) -> &'a PricedService<'a> {
    est.closed.added.iter().find(|a| a.name == name).unwrap_or_else(|| {
        panic!("no added {name}: {:?}", est.closed.added.iter().map(|a| &a.name).collect::<Vec<_>>())
    })
}

fn total(s: &PricedService) -> Decimal {
    s.totals.total()
}

const EGRESS: &str = "
version: 1
region: eastus2
closed_network:
  egress: firewall-standard
  usage: { egress_gb: 1000 }
services:
  - name: api
    type: functions
    tier: ep1
    calls: [data]
  - name: data
    type: storage
";

#[test]
fn firewall_standard_in_eastus2_is_1_25_times_730_plus_data_and_one_ip() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, EGRESS, &[]);
    let fw = added(&est, "Azure Firewall Standard");
    // Standard Deployment 1.25/h (e90604a4-719b-454b-879d-b85523882c92) x 730 = 912.50;
    // Standard Data Processed 0.016/GB (5f492263-6ee9-488d-9b66-02332b889b03) x 1,000 GB = 16.00.
    assert_eq!(fw.totals.fixed, d("912.50"));
    assert_eq!(fw.totals.usage, d("16.000"));
    assert_eq!(fw.requirement, Some(Requirement::Egress));
    // One Standard static IPv4 at 0.005/h (9c150bf9-2bad-430e-a53c-c213804f49ef) x 730 = 3.65.
    let ip = added(&est, "firewall public IPs");
    assert_eq!(ip.count, Some(d("1")));
    assert_eq!(total(ip), d("3.650"));
    // A firewall inspects the way out: no CN012.
    assert!(!est.findings.iter().any(|f| f.rule == RuleId::CN012));
}

#[test]
fn firewall_basic_needs_two_public_ips_and_premium_one() {
    let c = Catalog::embedded().unwrap();
    let basic = run(&c, EGRESS, &["closed_network.egress=firewall-basic"]);
    // Basic Deployment 0.395/h x 730 = 288.35; Basic Data Processed 0.065/GB x 1,000 = 65.
    let fw = added(&basic, "Azure Firewall Basic");
    assert_eq!((fw.totals.fixed, fw.totals.usage), (d("288.35"), d("65.000")));
    assert_eq!(added(&basic, "firewall public IPs").count, Some(d("2")));
    assert_eq!(total(added(&basic, "firewall public IPs")), d("7.300"));
    let premium = run(&c, EGRESS, &["closed_network.egress=firewall-premium"]);
    // Premium Deployment 1.75/h x 730 = 1,277.50.
    assert_eq!(added(&premium, "Azure Firewall Premium").totals.fixed, d("1277.50"));
}

#[test]
fn no_egress_with_private_outbound_is_a_note() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, EGRESS, &["closed_network.egress=none"]);
    let f = est.findings.iter().find(|f| f.rule == RuleId::CN012).expect("CN012");
    assert_eq!(
        f.message,
        "services with private outbound access reach the internet uninspected: closed_network.egress is none (add a firewall, or hub: existing; a NAT gateway gives a fixed outbound IP but inspects nothing)"
    );
    assert!(!est.closed.added.iter().any(|a| a.requirement == Some(Requirement::Egress)));
    // A NAT gateway gives a fixed outbound IP but inspects nothing: still CN012, saying so.
    let nat = run(&c, EGRESS, &["closed_network.egress=nat-gateway"]);
    let f = nat.findings.iter().find(|f| f.rule == RuleId::CN012).expect("CN012 with a NAT gateway");
    assert!(f.message.contains("through a NAT gateway, which inspects nothing"), "{}", f.message);
}

#[test]
fn jump_box_is_a_vm_and_its_os_disk() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: mexicocentral
closed_network:
  operator_access: jumpbox
services:
  - name: data
    type: storage
";
    let est = run(&c, yaml, &[]);
    // Windows by default: D2s v5 Windows 0.198/h in mexicocentral (virtual_machines.json) x 730 = 144.54.
    assert_eq!(total(added(&est, "jump box")), d("144.540"));
    let vm = &added(&est, "jump box").lines[0];
    assert_eq!(vm.component, "Standard_D2s_v5 Windows");
    // Its OS disk: Premium SSD P10 LRS, one month.
    let disk = added(&est, "jump box OS disk");
    assert_eq!(disk.tier, "premium-ssd-p10");
    let linux = run(&c, yaml, &["closed_network.jumpbox={ os: linux }"]);
    // D2s v5 Linux 0.106/h x 730 = 77.38, and a P4 disk.
    assert_eq!(total(added(&linux, "jump box")), d("77.380"));
    assert_eq!(added(&linux, "jump box OS disk").tier, "premium-ssd-p4");
    assert_eq!(added(&est, "jump box").requirement, Some(Requirement::OperatorAccess));
}

#[test]
fn the_jump_box_disk_is_priced_from_the_api() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: eastus2
closed_network:
  operator_access: jumpbox
services:
  - name: data
    type: storage
";
    let est = run(&c, yaml, &[]);
    // P10 LRS Disk 17.92/month in eastus2 (37f4764d-a5d4-4e3f-adc4-5da17d28498d).
    assert_eq!(total(added(&est, "jump box OS disk")), d("17.92"));
    // The saved pages carry no virtual machines for eastus2: the VM says so instead of guessing.
    let vm = added(&est, "jump box");
    assert_eq!(vm.totals.unpriced, 1);
    assert!(matches!(&vm.lines[0].source, Source::NoPrice(why) if why.contains("virtual_machines.json")));
}

const ARTICLE: &str = include_str!("../../examples/article.yaml");

/// The by-requirement rows of an estimate, in the report currency, with the presented delta.
fn rows(est: &Estimate) -> (Vec<closednet::figures::RequirementRow>, Decimal) {
    let rbac = present(&est.rbac, &est.conversion).unwrap();
    let closed = present(&est.closed, &est.conversion).unwrap();
    let rows = by_requirement(&est.closed, &rbac, &closed, &est.conversion).unwrap();
    (rows, closed.total() - rbac.total())
}

fn row(rows: &[closednet::figures::RequirementRow], r: Requirement) -> &closednet::figures::RequirementRow {
    rows.iter().find(|x| x.requirement == r).unwrap_or_else(|| panic!("no row {r:?}"))
}

#[test]
fn the_article_premium_by_requirement_adds_up_to_the_delta() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, ARTICLE, &[]);
    let (rows, delta) = rows(&est);
    assert_eq!(delta, d("1074180"));
    assert_eq!(rows.iter().map(|r| r.total()).sum::<Decimal>(), delta);
    // Entra ID P1: 1,000 users x 6.00 USD x 150 JPY = 900,000 JPY, 83.8% of the delta.
    let identity = row(&rows, Requirement::Identity);
    assert_eq!(identity.total(), d("900000"));
    assert_eq!(identity.share, Some(d("83.8")));
    // Front Door Standard -> Premium (CN103): (330 - 35) USD x 150 = 44,250 JPY.
    assert_eq!(row(&rows, Requirement::PrivateEdge).total(), d("44250"));
    // VPN gateway 0.21 x 730 x 150 = 22,995; its IP 0.005 x 730 x 150 = 548 (547.5 rounded up);
    // the resolver's inbound endpoint 180 x 150 = 27,000: 50,543.
    assert_eq!(row(&rows, Requirement::OnPremises).total(), d("50543"));
}

#[test]
fn owned_entra_licences_remove_the_900_000_jpy() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, ARTICLE, &["closed_network.licences.entra=owned"]);
    let (rows, delta) = rows(&est);
    assert_eq!(delta, d("174180"));
    assert_eq!(rows.iter().map(|r| r.total()).sum::<Decimal>(), delta);
    let identity = row(&rows, Requirement::Identity);
    assert_eq!((identity.total(), identity.provided), (d("0"), 1));
    let owned = added(&est, "Entra ID P1 (already licensed)");
    assert_eq!(owned.count, Some(d("1000")));
    assert!(matches!(&owned.lines[0].source, Source::Provided { would_cost: Some(w), .. } if *w == d("6000.00")));
    // 800 of the 1,000 users hold P1 already: 200 x 6.00 x 150 = 180,000 JPY bought.
    let some = run(&c, ARTICLE, &["closed_network.licences={ licensed_users: 800 }"]);
    let (rows, _) = self::rows(&some);
    assert_eq!(row(&rows, Requirement::Identity).total(), d("180000"));
}

#[test]
fn an_existing_hub_provides_the_platform_at_zero_and_bills_its_share() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, ARTICLE, &["closed_network.hub=existing", "closed_network.hub_share=30000"]);
    for name in ["private DNS zones", "site-to-site VPN gateway", "gateway public IP", "DNS resolver inbound endpoint"]
    {
        let a = added(&est, name);
        assert_eq!(total(a), d("0"), "{name}");
        assert!(a.lines.iter().all(|l| matches!(&l.source, Source::Provided { reason, .. } if reason.contains("hub"))));
    }
    // The private endpoints stay the application's: 7 x 0.01 x 730 = 51.10 USD.
    assert_eq!(total(added(&est, "private endpoints")), d("51.10"));
    let (rows, delta) = rows(&est);
    assert_eq!(rows.iter().map(|r| r.total()).sum::<Decimal>(), delta);
    assert_eq!(row(&rows, Requirement::HubShare).total(), d("30000"));
    assert_eq!(row(&rows, Requirement::OnPremises).total(), d("0"));
    // A hub share without an existing hub is an error.
    let err = pipeline::run(
        "test.yaml",
        ARTICLE,
        &c,
        &Overrides { sets: vec![Set::parse("closed_network.hub_share=30000").unwrap()], ..Overrides::default() },
    )
    .err()
    .unwrap()
    .to_string();
    assert_eq!(
        err,
        "error: test.yaml: closed_network.hub_share: hub_share is the charge-back of an existing hub (from --set closed_network.hub_share=30000)\n  help: add `hub: existing`, or remove hub_share"
    );
}

#[test]
fn unknown_platform_values_suggest_the_right_one() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: eastus2
closed_network:
  egress: firewal-standard
  operator_access: [bastion-standrd, jumpbox]
  ddos: netwrk
  cicd_agents: managed-devops-pool
services:
  - name: data
    type: storage
";
    let err = pipeline::run("test.yaml", yaml, &c, &Overrides::default()).err().unwrap().to_string();
    // The text starts with a newline: `version` is on line 2. Every problem is reported at once.
    assert_eq!(
        err,
        "error: test.yaml:8:16: closed_network.cicd_agents: cicd_agents: managed-devops-pool needs `cicd: azure-devops`\n  \
         help: Managed DevOps Pools run Azure DevOps agents; GitHub-hosted runners run GitHub Actions\n\
         error: test.yaml:6:20: closed_network.operator_access: unknown value \"bastion-standrd\"\n  help: did you mean \"bastion-standard\"?\n\
         error: test.yaml:5:11: closed_network.egress: unknown value \"firewal-standard\"\n  help: did you mean \"firewall-standard\"?\n\
         error: test.yaml:7:9: closed_network.ddos: unknown value \"netwrk\"\n  help: did you mean \"network\"?"
    );
}

#[test]
fn set_overrides_are_validated_like_the_file() {
    let o = Command::new(env!("CARGO_BIN_EXE_closednet"))
        .args([
            "estimate",
            "examples/article.yaml",
            "--set",
            "closed_network.hubb=existing",
            "--set",
            "services.gateway.tier=premium-v3",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: examples/article.yaml: --set closed_network.hubb=existing: closed_network has no key \"hubb\"; did you mean \"hub\"?\n"
    );
    let o = Command::new(env!("CARGO_BIN_EXE_closednet"))
        .args(["estimate", "examples/article.yaml", "--set", "services.gateway.tier=premium-v3"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: examples/article.yaml: services[1].tier: unknown api-management tier \"premium-v3\" (from --set services.gateway.tier=premium-v3)\n  help: did you mean \"premium-v2\"?\n"
    );
    // A valid override changes the tier the file declares.
    let c = Catalog::embedded().unwrap();
    let est = run(&c, ARTICLE, &["services.gateway.tier=premium-v2"]);
    assert_eq!(est.rbac.services[1].tier, "premium-v2");
}

#[test]
fn saving_if_dropped_reprices_without_the_switch() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: eastus2
closed_network:
  egress: firewall-standard
  ddos: ip
services:
  - name: api
    type: functions
    tier: ep1
";
    let est = run(&c, yaml, &[]);
    let (rows, delta) = rows(&est);
    assert_eq!(rows.iter().map(|r| r.total()).sum::<Decimal>(), delta);
    let egress = row(&rows, Requirement::Egress);
    let ddos = row(&rows, Requirement::Ddos);
    // DDoS IP Protection: 199 USD per public IP per month (Learn ddos-pricing-guide, 2024-07-17), on
    // the firewall's one public IP.
    assert_eq!(ddos.total(), d("199.00"));
    // Firewall Standard 912.50 + its IP 3.65.
    assert_eq!(egress.total(), d("916.15"));
    // Dropping egress also drops the DDoS IP Protection of the firewall's public IP.
    assert_eq!(egress.saving, d("1115.15"));
    assert_eq!(ddos.saving, ddos.total());
}

#[test]
fn bastion_skus_and_their_public_ips() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: australiaeast
closed_network:
  operator_access: bastion
services:
  - name: data
    type: storage
";
    // `bastion` means Basic, as before: 0.19/h in australiaeast (Infracost's record) x 730 = 138.70,
    // and a Standard static IPv4 (0.005 x 730 = 3.65).
    let est = run(&c, yaml, &[]);
    assert_eq!(total(added(&est, "Bastion Basic")), d("138.70"));
    assert_eq!(total(added(&est, "Bastion public IP")), d("3.650"));
    // Developer: free, no public IP.
    let dev = run(&c, yaml, &["closed_network.operator_access=bastion-developer"]);
    assert_eq!(total(added(&dev, "Bastion Developer")), d("0"));
    assert!(!dev.closed.added.iter().any(|a| a.name == "Bastion public IP"));
    // Premium reached over the on-premises connection is private-only: no public IP. No dated USD
    // price exists for it: the line says so.
    let premium = run(&c, yaml, &["closed_network.operator_access=bastion-premium", "closed_network.on_premises=vpn"]);
    assert_eq!(added(&premium, "Bastion Premium").totals.unpriced, 1);
    assert!(!premium.closed.added.iter().any(|a| a.name == "Bastion public IP"));
    // Developer in a network with a hub: CN013.
    let hubbed =
        run(&c, yaml, &["closed_network.operator_access=bastion-developer", "closed_network.egress=nat-gateway"]);
    assert!(hubbed.findings.iter().any(|f| f.rule == RuleId::CN013));
    assert!(!dev.findings.iter().any(|f| f.rule == RuleId::CN013));
}

#[test]
fn nat_gateway_ddos_plan_and_runner_minutes() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: eastus2
closed_network:
  egress: nat-gateway
  ddos: network
  cicd: github
  cicd_agents: github-hosted-private
  usage: { egress_gb: 100, ci_minutes: 20000 }
services:
  - name: api
    type: functions
    tier: ep1
";
    let est = run(&c, yaml, &[]);
    // NAT gateway 0.045/h x 730 = 32.85, and 100 GB x 0.045 = 4.50 (Infracost's record).
    let nat = added(&est, "NAT gateway");
    assert_eq!((nat.totals.fixed, nat.totals.usage), (d("32.850"), d("4.500")));
    // DDoS Network Protection: one plan 2,944/month covering the NAT gateway's one public IP (under 100).
    assert_eq!(total(added(&est, "DDoS Network Protection")), d("2944"));
    // GitHub larger Linux 2-core runner: 0.006 USD/min from 2026-01-01 x 20,000 min = 120.
    let minutes = added(&est, "GitHub-hosted runner minutes");
    assert_eq!(minutes.totals.usage, d("120.000"));
    assert!(!est.closed.added.iter().any(|a| a.type_id == "virtual-machine"));
}

#[test]
fn a_managed_devops_pool_bills_the_hours_it_runs() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: mexicocentral
closed_network:
  cicd: azure-devops
  cicd_agents: managed-devops-pool
  build_agents: 2
  usage: { ci_minutes: 6000 }
services:
  - name: data
    type: storage
";
    let est = run(&c, yaml, &[]);
    // 6,000 minutes = 100 hours of D2s v5 Linux at 0.106/h (mexicocentral) = 10.60, usage-based.
    let pool = added(&est, "Managed DevOps Pool agents");
    assert_eq!((pool.totals.fixed, pool.totals.usage), (d("0"), d("10.600")));
    // Two parallel jobs, the first free: 15 USD/month.
    assert_eq!(total(added(&est, "self-hosted parallel jobs")), d("15"));
    // Without ci_minutes: two always-on agents, 2 x 730 x 0.106 = 154.76.
    let always = run(&c, yaml, &["closed_network.usage.ci_minutes="]);
    assert_eq!(added(&always, "Managed DevOps Pool agents").totals.fixed, d("154.760"));
}

const LANDING_ZONE: &str = include_str!("../../examples/landing-zone.yaml");

#[test]
fn the_landing_zone_carries_its_platform_and_an_existing_hub_provides_it() {
    let c = Catalog::embedded().unwrap();
    let est = run(&c, LANDING_ZONE, &[]);
    let platform = [
        "Azure Firewall Standard",
        "firewall public IPs",
        "Bastion Standard",
        "Bastion public IP",
        "jump box",
        "jump box OS disk",
    ];
    for name in platform {
        let a = added(&est, name);
        for l in &a.lines {
            assert!(
                matches!(l.source, Source::Meter { .. } | Source::Documented { .. } | Source::NoPrice(_)),
                "{name}"
            );
        }
    }
    // Firewall Standard 912.50 + 500 GB x 0.016 = 8.00; the jump box disk E10 LRS 9.60 (9a08b750-...).
    assert_eq!(total(added(&est, "Azure Firewall Standard")), d("920.500"));
    assert_eq!(total(added(&est, "jump box OS disk")), d("9.6"));
    let (rows, delta) = rows(&est);
    assert_eq!(rows.iter().map(|r| r.total()).sum::<Decimal>(), delta);
    // 8 private endpoints (58.40) + 10 DNS zones (5.00) = 63.40; egress 912.50 + 8.00 + 3.65 = 924.15;
    // operator access: Bastion's IP 3.65 + the disk 9.60 = 13.25 (Bastion Standard and the VM: no price).
    assert_eq!(row(&rows, Requirement::PrivateAccess).total(), d("63.40"));
    assert_eq!(row(&rows, Requirement::Egress).total(), d("924.15"));
    assert_eq!(row(&rows, Requirement::OperatorAccess).total(), d("13.25"));
    assert_eq!(delta, d("1000.80"));

    let hub = run(&c, LANDING_ZONE, &["closed_network.hub=existing", "closed_network.hub_share=400"]);
    for name in platform.into_iter().chain(["private DNS zones"]) {
        let a = added(&hub, name);
        assert_eq!(total(a), d("0"), "{name}");
        assert!(a.lines.iter().all(|l| matches!(l.source, Source::Provided { .. })), "{name}");
    }
    let (rows, delta) = self::rows(&hub);
    assert_eq!(rows.iter().map(|r| r.total()).sum::<Decimal>(), delta);
    // What is left: the private endpoints (58.40) and the charge-back (400.00).
    assert_eq!(delta, d("458.40"));
}

fn stdout(args: &[&str]) -> String {
    let o =
        Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn every_format_shows_the_premium_by_requirement() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["estimate", "examples/article.yaml", "--format", "json"])).unwrap();
    let rows = json["designs"]["closed"]["by_requirement"].as_array().unwrap();
    let sum: i64 = rows.iter().map(|r| r["total_monthly"].as_str().unwrap().parse::<i64>().unwrap()).sum();
    assert_eq!(json["delta_monthly"], "1074180");
    assert_eq!(sum, 1_074_180);
    let identity = rows.iter().find(|r| r["requirement"] == "identity").unwrap();
    assert_eq!((identity["total_monthly"].as_str(), identity["share"].as_str()), (Some("900000"), Some("83.8")));

    // CSV: every closed line names its requirement; closed minus RBAC-only by requirement is the row.
    let csv = stdout(&["estimate", "examples/article.yaml", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let mut identity = 0i64;
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[0] == "closed" {
            assert!(!rec[3].is_empty(), "closed line without a requirement: {rec:?}");
        }
        if &rec[3] == "identity" && !rec[13].is_empty() {
            identity += rec[13].parse::<i64>().unwrap() * if &rec[0] == "closed" { 1 } else { -1 };
        }
    }
    assert_eq!(identity, 900_000);

    let md = stdout(&["estimate", "examples/article.yaml", "--format", "markdown"]);
    assert!(md.contains("| identity (conditional access) | 900,000 | 0 | 900,000 | 83.8% | 900,000 |  |"), "{md}");
    let html = stdout(&["estimate", "examples/article.yaml", "--format", "html"]);
    assert!(html.contains("<svg id=\"chart-requirements\""));
    assert!(html.contains("<h2>What closing costs, by requirement</h2>"));
}

#[test]
fn review_fixes_hold() {
    let c = Catalog::embedded().unwrap();
    // With a discount, "saving if dropped" is net of it like the rows (it was list minus net).
    let o = Overrides { discounts: vec![(None, d("10"))], ..Overrides::default() };
    let est = pipeline::run("test.yaml", ARTICLE, &c, &o).unwrap();
    let (found, delta) = rows(&est);
    assert_eq!(found.iter().map(|r| r.total()).sum::<Decimal>(), delta);
    for r in &found {
        assert_eq!(r.saving, r.total(), "{:?}", r.requirement);
    }
    // The hub's charge-back is the architect's own figure: no negotiated discount on it.
    let o = Overrides {
        discounts: vec![(None, d("10"))],
        sets: vec![
            Set::parse("closed_network.hub=existing").unwrap(),
            Set::parse("closed_network.hub_share=30000").unwrap(),
        ],
        ..Overrides::default()
    };
    let est = pipeline::run("test.yaml", ARTICLE, &c, &o).unwrap();
    let (found, _) = rows(&est);
    assert_eq!(row(&found, Requirement::HubShare).total(), d("30000"));
    // An injected classic API Management is no Private Link origin: Front Door keeps its tier and an
    // Application Gateway goes in front, once however many edges call it.
    let est = run(&c, ARTICLE, &["services.gateway.tier=premium"]);
    assert_eq!(est.closed.services[0].tier, "standard");
    assert_eq!(est.closed.added.iter().filter(|a| a.name == "Application Gateway for gateway").count(), 1);
    // GitHub-hosted runners without minutes, and licences for no users, are errors, not silent zeros.
    for (sets, message) in [
        (
            ["closed_network.cicd=github", "closed_network.cicd_agents=github-hosted-private"],
            "GitHub bills hosted runners per minute, and the file gives no minutes",
        ),
        (
            ["users=0", "closed_network.conditional_access=ip"],
            "conditional access is licensed per user, but `users` is 0",
        ),
    ] {
        let o = Overrides { sets: sets.iter().map(|s| Set::parse(s).unwrap()).collect(), ..Overrides::default() };
        let err = pipeline::run("test.yaml", ARTICLE, &c, &o).err().unwrap().to_string();
        assert!(err.contains(message), "{err}");
    }
}

#[test]
fn a_virtual_machine_and_its_disk_can_be_declared() {
    let c = Catalog::embedded().unwrap();
    let yaml = "
version: 1
region: mexicocentral
services:
  - name: app-vm
    type: virtual-machine
    tier: Standard_D4s_v5
    os: windows
    instances: 2
  - name: app-disk
    type: managed-disk
    tier: premium-ssd-p10
    instances: 2
";
    let est = run(&c, yaml, &[]);
    // D4s v5 Windows 0.395/h in mexicocentral x 730 x 2 = 576.70; a VM is inside the network already.
    assert_eq!(est.rbac.services[0].totals.total(), d("576.700"));
    assert_eq!(est.closed.services[0].totals.total(), d("576.700"));
    assert!(est.closed.added.is_empty());
    assert_eq!(est.closed.services[1].tier, "premium-ssd-p10");
}
