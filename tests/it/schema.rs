//! The JSON Schema editors use and the loader accept and refuse the same files (issue 13): service
//! types, tiers per type, regions, usage keys, models and quantities are enums and patterns taken from
//! the catalog, so an editor completes them and flags what the loader would refuse.

use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};

fn schema() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string("schema/architecture.schema.json").unwrap()).unwrap()
}

/// (loader accepts, schema accepts) for a YAML text.
fn verdicts(catalog: &Catalog, validator: &jsonschema::Validator, yaml: &str) -> (bool, bool) {
    let loader = pipeline::run("t.yaml", yaml, catalog, &Overrides::default()).is_ok();
    let value: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
    (loader, validator.is_valid(&value))
}

const BASE: &str = "version: 1
region: eastus2
users: 300
closed_network:
  conditional_access: ip
  operator_access: [bastion-standard, jumpbox]
services:
  - name: api
    type: functions
    tier: y1
    runtime: python
    usage: { executions: 400k }
  - name: search
    type: ai-search
    tier: basic
    skillset: embedding
    calls: [docs]
  - name: gpt
    type: openai
    usage: { model: gpt-4o, input_tokens: 2M }
  - name: docs
    type: storage
    public: false
    subresources: [blob, dfs]
";

#[test]
fn schema_and_loader_agree_on_good_and_bad_files() {
    let catalog = Catalog::embedded().unwrap();
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert_eq!(verdicts(&catalog, &validator, BASE), (true, true), "the base file is good");
    for example in
        ["examples/article.yaml", "examples/article-2023.yaml", "examples/landing-zone.yaml", "examples/small.yaml"]
    {
        let text = std::fs::read_to_string(example).unwrap();
        assert_eq!(verdicts(&catalog, &validator, &text), (true, true), "{example}");
    }
    let bad = [
        ("tier: y1", "tier: p1v4"),
        ("users: 300", "users: three hundred"),
        ("public: false", "public: \"maybe\""),
        ("type: storage", "type: storag"),
        ("region: eastus2", "region: mars"),
        ("executions: 400k", "executons: 400k"),
        ("model: gpt-4o", "model: gpt-5-turbo"),
        ("skillset: embedding", "skillset: maybe"),
        ("[bastion-standard, jumpbox]", "[bastion-standrd, jumpbox]"),
        ("runtime: python", "runtime: cobol"),
        ("subresources: [blob, dfs]", "subresources: [blob, dsf]"),
        ("version: 1", "version: 2"),
        ("input_tokens: 2M", "input_tokens: 2 million"),
    ];
    // Both read the YAML 1.1 words as booleans, quoted or not.
    for word in ["\"no\"", "no", "Yes", "off"] {
        let yaml = BASE.replacen("public: false", &format!("public: {word}"), 1);
        assert_eq!(verdicts(&catalog, &validator, &yaml), (true, true), "public: {word}");
    }
    for (from, to) in bad {
        let yaml = BASE.replacen(from, to, 1);
        assert_ne!(yaml, BASE, "{from}");
        assert_eq!(verdicts(&catalog, &validator, &yaml), (false, false), "{to}: loader and schema must both refuse");
    }
}

#[test]
fn the_json_report_validates_against_its_committed_schema() {
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_closednet"))
            .env("CLOSEDNET_TODAY", "2026-11-30")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let generated = run(&["schema", "--report"]);
    let committed = std::fs::read_to_string("schema/report.schema.json").unwrap();
    assert!(
        generated == committed,
        "schema/report.schema.json is stale: run `cargo run -- schema --report > schema/report.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for args in [
        &["estimate", "examples/article.yaml", "--format", "json"][..],
        &["estimate", "examples/article-2023.yaml", "--format", "json"],
        &[
            "estimate",
            "examples/landing-zone.yaml",
            "--format",
            "json",
            "--set",
            "closed_network.hub=existing",
            "--set",
            "closed_network.hub_share=400",
        ],
        &["estimate", "examples/article.yaml", "--format", "json", "--commitment", "savings-3y", "--discount", "10"],
        &["estimate", "examples/article.yaml", "--format", "json", "--set", "closed_network.licences.entra=owned"],
        // Infrastructure code: the design as planned, the verdict and the import summary too.
        &["estimate", "tests/fixtures/iac/terraform/half-closed-public-access-on.json", "--format", "json"],
        &[
            "estimate",
            "tests/fixtures/iac/terraform/hub-spoke-two-regions.json",
            "--region",
            "eastus2",
            "--format",
            "json",
        ],
        &["estimate", "tests/fixtures/iac/terraform/infracost-express-route.json", "--format", "json"],
        &[
            "estimate",
            "tests/fixtures/iac/arm/key-vault-private-endpoint.json",
            "--parameters",
            "tests/fixtures/iac/arm/key-vault-private-endpoint.parameters.json",
            "--region",
            "eastus2",
            "--format",
            "json",
        ],
    ] {
        let report: serde_json::Value = serde_json::from_str(&run(args)).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&report).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
    // Infrastructure code carries the three designs, the verdict and the import summary; an
    // architecture file carries none of them.
    let plan: serde_json::Value = serde_json::from_str(&run(&[
        "estimate",
        "tests/fixtures/iac/terraform/half-closed-public-access-on.json",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(plan["verdict"]["state"], "half-closed");
    assert!(plan["designs"]["as_planned"]["services"].is_array());
    assert_eq!(plan["import"]["verdict"], "half-closed");
    let file: serde_json::Value =
        serde_json::from_str(&run(&["estimate", "examples/article.yaml", "--format", "json"])).unwrap();
    for key in ["verdict", "import"] {
        assert!(file.get(key).is_none(), "{key}");
    }
    assert!(file["designs"].get("as_planned").is_none());
    let mut broken = plan.clone();
    broken["verdict"]["services"][0]["state"] = serde_json::json!(3);
    assert!(!validator.is_valid(&broken), "a verdict's state is text");
    // The schema is strict enough to catch a wrong type.
    let mut report: serde_json::Value =
        serde_json::from_str(&run(&["estimate", "examples/article.yaml", "--format", "json"])).unwrap();
    report["designs"]["closed"]["total_monthly"] = serde_json::json!(1415594);
    assert!(!validator.is_valid(&report));
}
