//! `closednet check` and `closednet diff` as a CI pipeline runs them: exit codes, the one-line
//! failures, every output format (SARIF validated against the 2.1.0 schema), and the schema command.

use std::process::{Command, Output};

fn closednet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(args: &[&str]) -> (i32, String) {
    let o = closednet(args);
    (o.status.code().unwrap(), out(&o))
}

#[test]
fn the_article_passes_by_default_and_fails_a_budget_by_how_much() {
    let (c, text) = code(&["check", "examples/article.yaml"]);
    assert_eq!(c, 0, "{text}");
    assert!(text.ends_with(
        "check passed: closed design JPY 1,415,594/month (incomplete: some lines have no price), +JPY 1,074,180 vs the RBAC-only design\n"
    ));
    let (c, text) = code(&["check", "examples/article.yaml", "--max-monthly", "1M", "--max-increase", "200%"]);
    assert_eq!(c, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "FAIL budget max-monthly: the closed design costs JPY 1,415,594/month, JPY 415,594 over the limit of JPY 1,000,000 (examples/article.yaml)"
    );
    // 200% of the RBAC-only design's 341,414 JPY = 682,828 JPY allowed; the increase is 1,074,180.
    assert_eq!(
        lines[1],
        "FAIL budget max-increase: the closed design costs JPY 1,074,180/month more than the RBAC-only design (+314.6%), over the allowed increase of 200% (JPY 682,828) (examples/article.yaml)"
    );
    assert_eq!(
        *lines.last().unwrap(),
        "check failed: 2 failure(s); closed design JPY 1,415,594/month (incomplete: some lines have no price), +JPY 1,074,180 vs the RBAC-only design"
    );
}

#[test]
fn severities_and_per_rule_actions() {
    // --deny warning fails on the four warnings (CN001, CN008, CN009, CN016) ...
    let (c, text) = code(&["check", "examples/article.yaml", "--deny", "warning"]);
    assert_eq!(c, 1);
    assert_eq!(text.lines().filter(|l| l.starts_with("FAIL ")).count(), 4, "{text}");
    // ... unless they are allowed (by id or slug) or demoted.
    let (c, text) = code(&[
        "check",
        "examples/article.yaml",
        "--deny",
        "warning",
        "--allow",
        "CN001",
        "--allow",
        "no-price",
        "--allow",
        "retiring-plan",
        "--allow",
        "search-replicas-sla",
    ]);
    assert_eq!(c, 0, "{text}");
    // --deny RULE makes a note fail.
    let (c, text) = code(&["check", "examples/article.yaml", "--deny", "python-needs-linux"]);
    assert_eq!(c, 1);
    assert!(text.starts_with("FAIL CN003 error [python-needs-linux] examples/article.yaml:30:5: "), "{text}");
    // An error-level finding fails by default.
    let (c, text) = code(&["check", "tests/fixtures/private-edge.yaml"]);
    assert_eq!(c, 1);
    assert!(
        text.starts_with("FAIL CN007 error [no-tier-for-closed-network] tests/fixtures/private-edge.yaml:5:5: "),
        "{text}"
    );
    let o = closednet(&["check", "examples/article.yaml", "--allow", "CN999"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err(&o).trim_end(), "error: --allow CN999: no such rule (see `closednet rules`)");
}

#[test]
fn the_file_policy_applies_and_the_command_line_wins() {
    // App Service B1 Linux 12.41 + storage 1.84 + 2 endpoints 14.60 + 2 zones 1.00 = 29.85 > 20
    let (c, text) = code(&["check", "tests/fixtures/policy.yaml"]);
    assert_eq!(c, 1);
    assert_eq!(
        text.lines().next().unwrap(),
        "FAIL budget max-monthly: the closed design costs USD 29.85/month, USD 9.85 over the limit of USD 20.00 (tests/fixtures/policy.yaml)"
    );
    assert!(!text.contains("CN001"), "the file allows CN001: {text}");
    let (c, text) = code(&["check", "tests/fixtures/policy.yaml", "--max-monthly", "30"]);
    assert_eq!(c, 0, "{text}");
    let o = closednet(&["check", "tests/fixtures/bad-policy.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o).trim_end(),
        "error: tests/fixtures/bad-policy.yaml:7:17: policy.max_increase: \"lots\" is not a quantity (use a number, optionally with K, M or B: 400k, 2M, 1.5B)\n  \
         help: an amount (200k) or a percentage (25%)\n\
         error: tests/fixtures/bad-policy.yaml:9:15: policy.rules.no-prize: no rule \"no-prize\"\n  help: did you mean \"no-price\"?"
    );
}

#[test]
fn baseline_compares_with_another_file() {
    // Both priced on 2026-08 at 150: the 2023 file's closed design is 1,402,094 JPY, the new one
    // 1,415,594 (gpt-4 regional 189,000 -> gpt-4o global 202,500): +13,500 (+1.0%).
    let (c, text) = code(&[
        "check",
        "examples/article.yaml",
        "--baseline",
        "examples/article-2023.yaml",
        "--snapshot",
        "2026-08",
        "--fx",
        "JPY=150",
        "--max-increase",
        "10k",
    ]);
    assert_eq!(c, 1);
    assert_eq!(
        text.lines().next().unwrap(),
        "FAIL budget max-increase: the closed design costs JPY 13,500/month more than the closed design of examples/article-2023.yaml (+1.0%), over the allowed increase of JPY 10,000 (examples/article.yaml)"
    );
}

#[test]
fn sarif_is_valid_2_1_0() {
    let o = closednet(&["check", "tests/fixtures/private-edge.yaml", "--format", "sarif", "--max-monthly", "1"]);
    assert_eq!(o.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/sarif-schema-2.1.0.json").unwrap()).unwrap();
    let validator = jsonschema::options().should_validate_formats(false).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[0]["ruleId"], "budget/max-monthly");
    let cn007 = results.iter().find(|r| r["ruleId"] == "CN007").unwrap();
    assert_eq!(cn007["level"], "error");
    assert_eq!(cn007["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
    assert!(cn007["partialFingerprints"]["closednet/v1"].as_str().unwrap().len() == 16);
    // Every result's ruleIndex points at its rule.
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], r["ruleId"]);
    }
}

#[test]
fn github_azure_and_markdown_formats() {
    let (c, gh) = code(&["check", "tests/fixtures/private-edge.yaml", "--format", "github"]);
    assert_eq!(c, 1);
    assert!(gh.starts_with(
        "::error file=tests/fixtures/private-edge.yaml,line=5,col=5,title=CN007 no-tier-for-closed-network::no front-door tier meets edge needs"
    ), "{gh}");
    assert!(gh.ends_with("closednet check failed\n"));
    let (c, az) = code(&["check", "tests/fixtures/private-edge.yaml", "--format", "azure"]);
    assert_eq!(c, 1);
    assert!(az.starts_with(
        "##vso[task.logissue type=error;sourcepath=tests/fixtures/private-edge.yaml;linenumber=5;columnnumber=5;code=CN007]no front-door tier meets edge needs"
    ), "{az}");
    assert!(az.contains("##vso[task.complete result=Failed;]closednet check failed: 1 failure(s)"));
    let (_, md) = code(&["check", "examples/article.yaml", "--format", "markdown", "--max-monthly", "1M"]);
    assert!(md.starts_with("### closednet check failed: `examples/article.yaml`\n"), "{md}");
    assert!(md.contains("| budget `max-monthly` | `examples/article.yaml` |"));
    // Nine: CN015, the embedding-skill limit, holds on every tier since issue 19.
    assert!(md.contains("<details><summary>9 more finding(s)</summary>"));
    let (c, js) = code(&["check", "examples/article.yaml", "--format", "json", "--max-fixed", "1M"]);
    assert_eq!(c, 1);
    let v: serde_json::Value = serde_json::from_str(&js).unwrap();
    assert_eq!(v["passed"], false);
    // fixed 1,210,319 - 1,000,000
    assert_eq!(v["budgets"][0]["over"], "210319");
}

#[test]
fn diff_shows_tier_and_cost_changes() {
    let (c, js) = code(&[
        "diff",
        "examples/article-2023.yaml",
        "examples/article.yaml",
        "--snapshot",
        "2026-08",
        "--fx",
        "JPY=150",
        "--format",
        "json",
    ]);
    assert_eq!(c, 0);
    let v: serde_json::Value = serde_json::from_str(&js).unwrap();
    let closed = &v["designs"]["closed"];
    assert_eq!(closed["old_total_monthly"], "1402094");
    assert_eq!(closed["new_total_monthly"], "1415594");
    let gpt = &closed["changes"][0];
    assert_eq!(
        (gpt["name"].as_str(), gpt["old_tier"].as_str(), gpt["new_tier"].as_str()),
        (Some("gpt"), Some("regional"), Some("global"))
    );
    // gpt-4 regional 1,260 USD x 150 = 189,000; gpt-4o global (300M x 0.0025 + 60M x 0.01)/1K... = 1,350 x 150 = 202,500
    assert_eq!(gpt["delta_monthly"], "13500");
    let (_, md) = code(&[
        "diff",
        "examples/article-2023.yaml",
        "examples/article.yaml",
        "--snapshot",
        "2026-08",
        "--fx",
        "JPY=150",
        "--format",
        "markdown",
    ]);
    assert!(
        md.starts_with(
            "### closednet: closed network JPY 1,402,094 (incomplete) -> JPY 1,415,594 (incomplete) per month (+13,500)\n"
        ),
        "{md}"
    );
    // Different currencies cannot be compared.
    let o = closednet(&["diff", "examples/article-2023.yaml", "examples/small.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("pass --currency and --fx to compare like with like"));
}

#[test]
fn the_committed_schema_matches_the_types_and_accepts_the_examples() {
    let (c, generated) = code(&["schema"]);
    assert_eq!(c, 0);
    let committed = std::fs::read_to_string("schema/architecture.schema.json").unwrap();
    assert!(
        generated == committed,
        "schema/architecture.schema.json is stale: run `cargo run -- schema > schema/architecture.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let doc: serde_json::Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        }
    }
    // A typo is rejected by the schema too.
    let bad: serde_json::Value = serde_saphyr::from_str("version: 1\nregion: x\nservices: []\nservcies: []\n").unwrap();
    assert!(!validator.is_valid(&bad));
}
