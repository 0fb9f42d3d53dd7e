//! `closednet sweep`: the cheapest variant that keeps every requirement and the Pareto front of both
//! examples, with figures checked by hand from the catalog's prices (`closednet explain TYPE
//! --region R`); each row's `--set` line reproduces its total through `estimate`; a variant that
//! breaks a requirement is never reported as compliant; pruning never changes the answer.

use crate::support::{catalog, d};
use closednet::architecture::Constraint;
use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
use closednet::rules::constraints;
use closednet::scenario::sweep::{Bound, Options, Row, Sweep, sweep};
use std::process::Command;

fn swept<'c>(catalog: &'c Catalog, file: &str, options: &Options) -> Sweep<'c> {
    let text = std::fs::read_to_string(file).unwrap();
    sweep(file, &text, catalog, &Overrides::default(), options).unwrap_or_else(|e| panic!("{e}"))
}

fn dropped(r: &Row) -> Vec<Constraint> {
    r.breaches.iter().map(|b| b.constraint).collect()
}

/// examples/landing-zone.yaml keeps egress-inspection and operator-access. Prices in eastus2
/// (2026-08 snapshot): Azure Firewall Standard 1.25/h and 0.016/GB, Basic 0.395/h and 0.065/GB
/// (500 GB), a Standard public IP 0.005/h, the jump box's Standard SSD E10 9.60/month; Bastion
/// Standard and the VMs have no price there, Bastion Developer is free.
#[test]
fn the_landing_zone_sweep_finds_firewall_basic_and_the_front() {
    let catalog = catalog();
    let s = swept(&catalog, "examples/landing-zone.yaml", &Options::default());
    assert_eq!(s.requirements, [Constraint::EgressInspection, Constraint::OperatorAccess]);
    assert_eq!(s.base.total(), d("2452.14"));
    let c = s.cheapest.as_ref().expect("a variant keeps both requirements");
    // Standard: 912.50 + 8.00 + one IP 3.65 = 924.15; Basic: 288.35 + 32.50 + two IPs 7.30 = 328.15.
    assert_eq!(c.set_texts(), ["closed_network.egress=firewall-basic"]);
    assert_eq!((c.figures.fixed, c.figures.usage, c.total()), (d("1620.86"), d("235.28"), d("1856.14")));
    let saving = s.saving().unwrap();
    assert_eq!((saving.amount, saving.bound), (d("596.00"), Bound::Exact));
    assert!(c.breaches.is_empty());
    let front: Vec<_> = s.pareto.iter().map(|r| (r.total(), dropped(r), r.set_texts())).collect();
    assert_eq!(
        front,
        [
            (d("1856.14"), vec![], vec!["closed_network.egress=firewall-basic".to_string()]),
            // No egress device, so no hub: Bastion Developer reaches the network, the jump box and
            // Bastion Standard go: 1856.14 - 328.15 - Bastion IP 3.65 - E10 disk 9.60.
            (
                d("1514.74"),
                vec![Constraint::EgressInspection],
                vec![
                    "closed_network.egress=none".to_string(),
                    "closed_network.operator_access=bastion-developer".into(),
                    "closed_network.jumpbox=".into()
                ]
            ),
            // Firewall Basic without operator access: 1856.14 - 3.65 - 9.60.
            (
                d("1842.89"),
                vec![Constraint::OperatorAccess],
                vec![
                    "closed_network.egress=firewall-basic".to_string(),
                    "closed_network.operator_access=none".into(),
                    "closed_network.jumpbox=".into()
                ]
            ),
        ]
    );
    // The cheaper rows leave out Bastion Standard and the jump box VM, which have no price: their
    // savings are lower bounds.
    let savings: Vec<_> = s.pareto.iter().map(|r| r.saving.map(|x| (x.amount, x.bound))).collect();
    assert_eq!(
        savings,
        [Some((d("0.00"), Bound::Exact)), Some((d("341.40"), Bound::AtLeast)), Some((d("13.25"), Bound::AtLeast))]
    );
    assert_eq!(s.pareto[1].dropped[0].saving_alone.map(|x| x.amount), Some(d("341.40")));
}

/// examples/article.yaml keeps on-premises-users. The engine's tiers are already the cheapest, so
/// the file as written is the cheapest compliant variant; dropping the VPN saves the gateway
/// (0.21/h), its public IP (0.005/h) and the DNS resolver inbound endpoint (180/month), at 150
/// JPY/USD: 22,995 + 548 + 27,000 = 50,543.
#[test]
fn the_article_sweep_keeps_the_file_and_prices_the_vpn() {
    let catalog = catalog();
    let s = swept(&catalog, "examples/article.yaml", &Options::default());
    assert_eq!(s.requirements, [Constraint::OnPremisesUsers]);
    let c = s.cheapest.as_ref().unwrap();
    assert!(c.sets.is_empty(), "the file as written: {:?}", c.set_texts());
    assert_eq!(c.total(), d("1415594"));
    assert_eq!(s.saving().map(|x| (x.amount, x.bound)), Some((d("0"), Bound::Exact)));
    let front: Vec<_> = s.pareto.iter().map(|r| (r.total(), dropped(r), r.set_texts())).collect();
    assert_eq!(
        front,
        [
            (d("1415594"), vec![], vec![]),
            (d("1365051"), vec![Constraint::OnPremisesUsers], vec!["closed_network.on_premises=none".to_string()]),
        ]
    );
    assert_eq!(s.pareto[1].saving.map(|x| (x.amount, x.bound)), Some((d("50543"), Bound::Exact)));
    // Both leave out the build agent VM (no virtual machine prices for japaneast).
    assert_eq!(c.unpriced, ["build agents: Standard_D2s_v5 Linux"]);
    // API Management classic Premium (injected) and Functions on Elastic Premium were priced, not
    // pruned: their footprint differs from Standard v2's and Flex Consumption's (EP1's host storage
    // takes a file endpoint too). A Dedicated B1 plan has Flex's footprint (one blob endpoint) and
    // costs more, so it is pruned.
    let tried = |path: &str| s.axes.iter().find(|a| a.path == path).map(|a| a.tried.clone()).unwrap();
    assert_eq!(tried("services.gateway.tier"), ["standard-v2", "premium"]);
    assert_eq!(tried("services.chat-api.tier"), ["flex-consumption", "ep1"]);
}

/// Every row's `--set` line, given to `closednet estimate`, gives the row's closed total to the cent.
#[test]
fn each_rows_set_line_reproduces_its_total_through_estimate() {
    let catalog = catalog();
    for file in ["examples/landing-zone.yaml", "examples/article.yaml"] {
        let s = swept(&catalog, file, &Options::default());
        for row in s.cheapest.iter().chain(&s.pareto) {
            let mut args = vec!["estimate".to_string(), file.to_string(), "--format".into(), "json".into()];
            for set in row.set_texts() {
                args.push("--set".into());
                args.push(set);
            }
            let o = Command::new(env!("CARGO_BIN_EXE_closednet")).args(&args).output().unwrap();
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
            let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let total = report["designs"]["closed"]["total_monthly"].as_str().unwrap();
            assert_eq!(d(total), row.total(), "{args:?}");
            let fixed = report["designs"]["closed"]["fixed_monthly"].as_str().unwrap();
            assert_eq!(d(fixed), row.figures.fixed, "{args:?}");
        }
    }
}

/// A row reported as keeping every requirement is checked again against the design `estimate`
/// prices for it, and every row that drops one really breaks it.
#[test]
fn a_variant_that_breaks_a_requirement_is_never_reported_as_compliant() {
    let catalog = catalog();
    for file in ["examples/landing-zone.yaml", "examples/article.yaml"] {
        let text = std::fs::read_to_string(file).unwrap();
        // Every option of the platform axes, so that rows that drop requirements are many.
        let platform = [
            "closed_network.egress",
            "closed_network.operator_access",
            "closed_network.on_premises",
            "closed_network.ddos",
        ];
        let vary = platform.iter().map(|p| p.to_string()).collect();
        let s = swept(&catalog, file, &Options { vary, prune: false, ..Options::default() });
        for row in s.cheapest.iter().chain(&s.pareto) {
            let o = Overrides { sets: row.sets.clone(), ..Overrides::default() };
            let est = pipeline::run(file, &text, &catalog, &o).unwrap();
            let broken: Vec<Constraint> =
                constraints::breaches(&est.architecture, &est.closed, &catalog).iter().map(|b| b.constraint).collect();
            assert_eq!(broken, dropped(row), "{file}: {:?}", row.set_texts());
            let cn024 = est.findings.iter().filter(|f| f.rule == closednet::registry::RuleId::CN024).count();
            assert_eq!(cn024, broken.len(), "{file}: one CN024 finding per broken requirement");
        }
    }
}

/// A file whose requirements no variant can keep says so: no cheapest, and the front still prices
/// what each requirement costs.
#[test]
fn no_compliant_variant_means_no_cheapest() {
    let catalog = catalog();
    // Private-only operator access needs an on-premises link, and the only link that could be
    // added (VPN) is fixed away.
    let yaml = "version: 1\nregion: eastus2\nrequirements: [private-operator-access]\nclosed_network:\n  egress: none\nservices:\n  - name: api\n    type: functions\n    tier: ep1\n";
    let options = Options {
        fix: vec![closednet::architecture::set::Set::parse("closed_network.on_premises=none").unwrap()],
        ..Options::default()
    };
    let s = sweep("test.yaml", yaml, &catalog, &Overrides::default(), &options).unwrap();
    assert!(s.cheapest.is_none());
    assert!(s.saving().is_none());
    assert!(s.pareto.iter().all(|r| dropped(r) == [Constraint::PrivateOperatorAccess]));
    assert!(s.pareto.iter().all(|r| r.saving.is_none()));
}

/// Pruning drops only options that cannot be on the front: the sweep with every option (`--all`)
/// gives the same cheapest variant and the same front, in totals and in requirements dropped.
#[test]
fn pruning_changes_neither_the_cheapest_nor_the_front() {
    let catalog = catalog();
    let vary = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    for (file, axes) in [
        (
            "examples/landing-zone.yaml",
            vary(&[
                "closed_network.egress",
                "closed_network.operator_access",
                "closed_network.ddos",
                "services.search.tier",
            ]),
        ),
        (
            "examples/article.yaml",
            vary(&[
                "closed_network.operator_access",
                "closed_network.on_premises",
                "closed_network.ddos",
                "services.gateway.tier",
                "services.chat-api.tier",
            ]),
        ),
    ] {
        let pruned = swept(&catalog, file, &Options { vary: axes.clone(), ..Options::default() });
        let all = swept(&catalog, file, &Options { vary: axes, prune: false, ..Options::default() });
        assert!(all.priced > pruned.priced, "{file}: {} against {}", all.priced, pruned.priced);
        let key = |s: &Sweep| {
            let front: Vec<_> = s.pareto.iter().map(|r| (r.total(), dropped(r))).collect();
            (s.cheapest.as_ref().map(Row::total), front)
        };
        assert_eq!(key(&pruned), key(&all), "{file}");
        assert_eq!(
            pruned.priced as u128 + pruned.variants_skipped(),
            all.priced as u128 + all.variants_skipped(),
            "{file}: every variant is priced or counted as skipped"
        );
    }
}

#[test]
fn vary_fix_and_the_bound_restrict_the_sweep() {
    let catalog = catalog();
    let only = Options { vary: vec!["closed_network.egress".into()], ..Options::default() };
    let s = swept(&catalog, "examples/landing-zone.yaml", &only);
    assert_eq!(s.axes.iter().map(|a| a.path.as_str()).collect::<Vec<_>>(), ["closed_network.egress"]);
    // A NAT gateway (32.85 + 0.045/GB + an IP) keeps no more requirements than no egress device;
    // firewall-premium (1.75/h) costs more than standard for the same IP and the same requirements.
    let egress = &s.axes[0];
    assert_eq!(egress.tried, ["none", "firewall-basic", "firewall-standard"]);
    assert_eq!(
        egress.dropped,
        [
            ("nat-gateway".to_string(), "dominated by none".to_string()),
            ("firewall-premium".to_string(), "dominated by firewall-standard".to_string())
        ]
    );
    // With the egress pinned, the firewall stays Standard and every row carries the pin.
    let set = closednet::architecture::set::Set::parse("closed_network.egress=firewall-standard").unwrap();
    let fixed = swept(&catalog, "examples/landing-zone.yaml", &Options { fix: vec![set], ..Options::default() });
    assert!(fixed.axes.iter().all(|a| a.path != "closed_network.egress"));
    let c = fixed.cheapest.as_ref().unwrap();
    assert_eq!(c.set_texts(), ["closed_network.egress=firewall-standard"]);
    assert_eq!(c.total(), d("2452.14"));
    // A bound of two variants: the file as written and one more; the rest are counted.
    let bounded = swept(&catalog, "examples/landing-zone.yaml", &Options { max_variants: 2, ..Options::default() });
    assert_eq!(bounded.priced, 2);
    assert!(bounded.skipped.iter().any(|k| k.why.starts_with("over the bound of 2 variants")));
    // An unknown axis is an error with a suggestion.
    let text = std::fs::read_to_string("examples/landing-zone.yaml").unwrap();
    let bad = Options { vary: vec!["closed_network.egres".into()], ..Options::default() };
    let e = sweep("examples/landing-zone.yaml", &text, &catalog, &Overrides::default(), &bad).err().unwrap();
    assert_eq!(
        e.to_string(),
        "error: --vary closed_network.egres: not an axis of examples/landing-zone.yaml; did you mean \"closed_network.egress\"?"
    );
}

fn closednet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap()
}

#[test]
fn the_json_sweep_validates_against_its_committed_schema() {
    let generated = closednet(&["schema", "--sweep"]);
    let committed = std::fs::read_to_string("schema/sweep.schema.json").unwrap();
    assert!(
        String::from_utf8_lossy(&generated.stdout) == committed,
        "schema/sweep.schema.json is stale: run `cargo run -- schema --sweep > schema/sweep.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for file in ["examples/landing-zone.yaml", "examples/article.yaml"] {
        let o = closednet(&["sweep", file, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
        for key in ["cheapest", "pareto", "variants_priced", "variants_skipped"] {
            assert!(doc.get(key).is_some(), "{file}: {key}");
        }
        let row = &doc["pareto"][0];
        for key in ["set", "total_monthly", "fixed_monthly", "usage_monthly", "requirements_dropped"] {
            assert!(row.get(key).is_some(), "{file}: pareto[0].{key}");
        }
    }
    let o = closednet(&["sweep", "examples/landing-zone.yaml", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["cheapest"]["total_monthly"], "1856.14");
    assert_eq!(doc["saving_monthly"], "596.00");
    assert_eq!(doc["cheapest"]["set"], serde_json::json!(["closed_network.egress=firewall-basic"]));
}

#[test]
fn sweep_arguments_are_checked() {
    let o = closednet(&["sweep", "examples/landing-zone.yaml", "--fix", "closed_network.egress"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        "error: --fix closed_network.egress: expected PATH=VALUE, e.g. --fix closed_network.egress=firewall-standard"
    );
    let o = closednet(&["sweep", "examples/landing-zone.yaml", "--fix", "closed_network.egress=firewal-basic"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("unknown value \"firewal-basic\""),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
}
