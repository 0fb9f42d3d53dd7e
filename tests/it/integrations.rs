//! The CI integrations, run here: `action.yml` and `templates/closednet-check.yml` step by step as
//! their runners would (see `github` and `azure`), on a temporary pull-request repository with the
//! binary under test as `closednet` and a recording `gh`; the pre-commit hook's entry; the recipes
//! in examples/ci; and the README's examples. The real `pre-commit` runs the hook in `.ci/run`.
//!
//! The pull request (see `sandbox::pull_request_repository`) makes Entra ID licences owned: the
//! closed design goes from JPY 1,415,594 to 515,594 a month (1,000 users x USD 6 x 150 = 900,000),
//! fixed cost from 1,210,319 to 310,319; the RBAC-only design stays 341,414, so the closed design
//! costs 174,180 more (515,594 - 341,414); a 500k budget is missed by 15,594.

mod azure;
mod github;
mod sandbox;

use sandbox::{Sandbox, gh_calls, valid_sarif, write};
use std::collections::BTreeSet;
use std::path::Path;

const CHAT_PASSED: &str = "### closednet check passed: `architecture/chat.yaml`\n\nclosed design JPY 515,594/month \
                           (incomplete: some lines have no price), +JPY 174,180 vs the RBAC-only design.\n";
const NEW_PASSED: &str = "### closednet check passed: `architecture/new.yaml`\n\nclosed design JPY 1,415,594/month \
                          (incomplete: some lines have no price), +JPY 1,074,180 vs the RBAC-only design.\n";
const DIFF_HEAD: &str =
    "### closednet: closed network JPY 1,415,594 (incomplete) -> JPY 515,594 (incomplete) per month (-900,000)\n";
const CN001_CHAT: &str =
    "::warning file=architecture/chat.yaml,line=46,col=5,title=CN001 storage-ip-rules-same-region::";
const MARKER: &str = "<!-- closednet-action comment-key=closednet -->";

/// Every result's `ruleIndex` names a rule with its `ruleId`; returns the (uri, ruleId) pairs.
fn sarif_results(log: &serde_json::Value) -> Vec<(String, String)> {
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    results
        .iter()
        .map(|r| {
            if let Some(i) = r["ruleIndex"].as_u64() {
                assert_eq!(rules[i as usize]["id"], r["ruleId"], "{r}");
            }
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap_or("-");
            (uri.to_string(), r["ruleId"].as_str().unwrap().to_string())
        })
        .collect()
}

fn annotations(stdout: &str, file: &str) -> usize {
    stdout.lines().filter(|l| l.starts_with("::") && l.contains(&format!(" file={file},"))).count()
        + stdout.lines().filter(|l| l.starts_with("::") && l.contains(&format!(" file={file}::"))).count()
}

#[test]
fn action_passes_a_pull_request_and_comments_its_cost_diff() {
    let sb = Sandbox::new("gh-pass");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    let job = github::Job::new(&sb, &ws, true, Some(7));
    let inputs = [("files", "architecture/*.yaml"), ("max-monthly", "1.5M"), ("comment", "true")];
    let out = github::run(&github::load(), &job, &inputs, None);
    assert_eq!((out.code, out.output("exit-code")), (0, "0"), "{}", out.stderr);
    // closednet was on PATH: no cache, no build.
    assert_eq!(out.skipped, ["Restore closednet from the cache"]);
    assert!(out.stdout.contains("already on PATH (install: auto)"));
    assert!(out.stdout.contains(CN001_CHAT), "{}", out.stdout);
    assert!(out.summary.starts_with(CHAT_PASSED), "{}", out.summary);
    assert!(out.summary.contains(&format!("\n{NEW_PASSED}")));
    assert_eq!(std::fs::read_to_string(out.output("summary")).unwrap(), out.summary);

    // One SARIF run for both files, one result per annotation.
    let log = valid_sarif(Path::new(out.output("sarif")));
    let results = sarif_results(&log);
    for file in ["architecture/chat.yaml", "architecture/new.yaml"] {
        let n = results.iter().filter(|(uri, _)| uri == file).count();
        assert!(n > 0);
        assert_eq!(n, annotations(&out.stdout, file), "{file}");
    }
    let totals: serde_json::Value = serde_json::from_str(out.output("totals")).unwrap();
    assert_eq!(
        totals,
        serde_json::json!([
            {"file": "architecture/chat.yaml", "exit_code": 0, "passed": true, "currency": "JPY",
             "closed_monthly": "515594", "closed_fixed_monthly": "310319", "baseline_monthly": "341414"},
            {"file": "architecture/new.yaml", "exit_code": 0, "passed": true, "currency": "JPY",
             "closed_monthly": "1415594", "closed_fixed_monthly": "1210319", "baseline_monthly": "341414"}
        ])
    );
    assert_eq!(out.output("closed-monthly"), "", "two files: no single total");

    let calls = gh_calls(&sb);
    assert_eq!(calls.len(), 2);
    let list = format!(".[] | select(.body | startswith(\"{MARKER}\")) | .id");
    assert_eq!(calls[0].0, ["api", "--paginate", "repos/octo/arch/issues/7/comments", "--jq", list.as_str()]);
    let (args, token, body) = &calls[1];
    assert_eq!(args[..4], ["api", "--method", "POST", "repos/octo/arch/issues/7/comments"]);
    assert_eq!((args[4].as_str(), args[6].as_str(), args[7].as_str()), ("-F", "--jq", ".html_url"));
    assert!(args[5].starts_with("body=@"));
    assert_eq!(token, "test-token", "the token input defaults to github.token");
    let body = body.as_deref().unwrap();
    let expected_start =
        format!("{MARKER}\n## closednet: cost change against `main`\n\n**`architecture/chat.yaml`**\n\n{DIFF_HEAD}");
    assert!(body.starts_with(&expected_start), "{body}");
    assert!(body.contains("| + Entra ID P1 (`entra-id`) | removed: p1 | 900,000 | - | -900,000 |\n"));
    assert!(body.contains("Monthly JPY; `origin/main/architecture/chat.yaml` -> `HEAD/architecture/chat.yaml`.\n"));
    let new = format!(
        "\n**`architecture/new.yaml`**\n\nNew in this pull request: `main` has no `architecture/new.yaml`.\n\n{NEW_PASSED}"
    );
    assert!(body.contains(&new), "{body}");
}

#[test]
fn action_updates_its_existing_comment() {
    let sb = Sandbox::new("gh-update");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    let mut job = github::Job::new(&sb, &ws, true, Some(7));
    job.env.insert("GH_STUB_LIST".to_string(), "42\n43\n".to_string());
    let inputs =
        [("files", "architecture/chat.yaml"), ("comment", "true"), ("comment-key", "cost"), ("token", "pat-1")];
    let out = github::run(&github::load(), &job, &inputs, None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let calls = gh_calls(&sb);
    assert_eq!(calls.len(), 2);
    assert!(calls[0].0[4].contains("startswith(\"<!-- closednet-action comment-key=cost -->\")"));
    assert_eq!(calls[1].0[..4], ["api", "--method", "PATCH", "repos/octo/arch/issues/comments/42"]);
    assert_eq!(calls[1].1, "pat-1");
    assert!(calls[1].2.as_deref().unwrap().starts_with("<!-- closednet-action comment-key=cost -->\n"));
    assert_eq!(out.output("closed-monthly"), "515594");

    let bad_key = [("files", "architecture/chat.yaml"), ("comment", "true"), ("comment-key", "a\"b")];
    let out = github::run(&github::load(), &job, &bad_key, None);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("::error title=closednet::comment-key: letters, digits, '.', '_' and '-' only, not 'a\"b'")
    );
}

#[test]
fn action_fails_a_budget_with_exit_1_after_writing_every_output() {
    let sb = Sandbox::new("gh-fail");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    let job = github::Job::new(&sb, &ws, true, None);
    let inputs = [("files", "architecture/chat.yaml"), ("max-monthly", "500k"), ("comment", "true")];
    let out = github::run(&github::load(), &job, &inputs, None);
    assert_eq!((out.code, out.output("exit-code")), (1, "1"));
    assert_eq!(out.ran.last().unwrap(), "closednet verdict");
    assert!(out.stdout.contains(
        "::error file=architecture/chat.yaml,title=closednet budget max-monthly::the closed design costs \
         JPY 515,594/month, JPY 15,594 over the limit of JPY 500,000\n"
    ));
    assert!(out.summary.starts_with("### closednet check failed: `architecture/chat.yaml`\n"), "{}", out.summary);
    valid_sarif(Path::new(out.output("sarif")));
    let single: Vec<&str> = ["currency", "closed-monthly", "closed-fixed-monthly", "baseline-monthly"]
        .iter()
        .map(|k| out.output(k))
        .collect();
    assert_eq!(single, ["JPY", "515594", "310319", "341414"]);
    // A push has no pull request to comment on.
    assert!(
        out.stdout
            .contains("::warning title=closednet::comment: true comments on pull requests; this run is a push event")
    );
    assert!(gh_calls(&sb).is_empty());

    // Lists of rules: with the other warnings allowed, --deny warning fails on CN016 alone.
    let deny = [("files", "architecture/chat.yaml"), ("deny", "warning"), ("allow", "CN001 no-price\nCN009")];
    let out = github::run(&github::load(), &job, &deny, None);
    assert_eq!(out.code, 1);
    let errors: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with("::error")).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("::error file=architecture/chat.yaml,line=40,col=5,title=CN016 search-replicas-sla::")
    );
    assert!(!out.stdout.contains("CN001") && !out.stdout.contains("CN009"));
    let usd = github::run(&github::load(), &job, &[("files", "architecture/chat.yaml"), ("currency", "USD")], None);
    assert_eq!((usd.code, usd.output("currency")), (0, "USD"));
}

#[test]
fn action_gives_exit_2_for_an_invalid_or_missing_file_and_reports_the_others() {
    let sb = Sandbox::new("gh-invalid");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    std::fs::copy("tests/fixtures/bad/indentation.yaml", ws.join("bad.yaml")).unwrap();
    let job = github::Job::new(&sb, &ws, true, None);
    let inputs = [("files", "bad.yaml missing.yaml architecture/chat.yaml"), ("sarif", "reports/closednet.sarif")];
    let out = github::run(&github::load(), &job, &inputs, None);
    assert_eq!((out.code, out.output("exit-code")), (2, "2"));
    assert!(out.stdout.contains(
        "::error file=bad.yaml,line=6,col=4,title=closednet input::services: while parsing a block collection, \
         did not find expected '-' indicator"
    ));
    assert!(out.stdout.contains(
        "::error file=missing.yaml,title=closednet::error: cannot read missing.yaml: No such file or directory (os error 2)\n"
    ));
    assert!(out.summary.starts_with(
        "### closednet could not check `bad.yaml`\n\n```text\nerror: bad.yaml:6:4: services: while parsing a block \
         collection, did not find expected '-' indicator\n"
    ));
    assert!(
        out.summary
            .contains("### closednet could not check `missing.yaml`\n\n```text\nerror: cannot read missing.yaml")
    );
    assert!(out.summary.contains(CHAT_PASSED));

    assert_eq!(out.output("sarif"), "reports/closednet.sarif");
    let log = valid_sarif(&ws.join("reports/closednet.sarif"));
    assert_eq!(log["runs"][0]["invocations"], serde_json::json!([{"executionSuccessful": false}]));
    let uris: BTreeSet<String> = sarif_results(&log).into_iter().map(|(uri, _)| uri).collect();
    assert_eq!(uris, BTreeSet::from(["architecture/chat.yaml".to_string(), "bad.yaml".to_string()]));
    let totals: serde_json::Value = serde_json::from_str(out.output("totals")).unwrap();
    let codes: Vec<_> =
        totals.as_array().unwrap().iter().map(|t| (t["file"].clone(), t["exit_code"].clone())).collect();
    assert_eq!(
        serde_json::json!(codes),
        serde_json::json!([["bad.yaml", 2], ["missing.yaml", 2], ["architecture/chat.yaml", 0]])
    );
    assert_eq!(totals[1]["closed_monthly"], serde_json::Value::Null);
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn action_uses_a_restored_cache_and_keys_it_on_the_sources() {
    let sb = Sandbox::new("gh-cache");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    let action = github::load();
    let mut job = github::Job::new(&sb, &ws, false, None);
    let files = [("files", "architecture/chat.yaml")];
    let located = github::run(&action, &job, &files, Some("locate"));
    let (key, root) = (&located.steps["locate"]["key"], &located.steps["locate"]["root"]);
    let lock = hex_sha256(&std::fs::read("Cargo.lock").unwrap());
    assert!(key.starts_with(&format!("closednet-Linux-X64-lock-{}-tree-", &lock[..16])), "{key}");
    assert_eq!(*root, format!("{}/closednet-action/{key}", job.temp.display()));

    // What actions/cache restores: the install root with bin/closednet. No cargo runs.
    std::fs::create_dir_all(Path::new(root).join("bin")).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_closednet"), Path::new(root).join("bin/closednet")).unwrap();
    let out = github::run(&action, &job, &files, None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.skipped.is_empty(), "the cache step runs");
    assert!(out.stdout.contains(&format!("closednet restored from the cache ({root})\nclosednet 0.1.0\n")));
    assert_eq!(out.output("closed-monthly"), "515594");

    // The tree part follows any file of the action; the lock part, Cargo.lock.
    let fake = sb.dir("fake-action");
    job.action_path = fake.clone();
    let key_of = |job: &github::Job| github::run(&action, job, &files, Some("locate")).steps["locate"]["key"].clone();
    write(&fake.join("Cargo.lock"), "a");
    write(&fake.join("src/main.rs"), "1");
    let k1 = key_of(&job);
    assert_eq!(k1, key_of(&job));
    write(&fake.join("src/main.rs"), "2");
    let k2 = key_of(&job);
    write(&fake.join("Cargo.lock"), "b");
    let k3 = key_of(&job);
    let lock_part = |k: &str| k.split("-tree-").next().unwrap().to_string();
    assert_ne!(k1, k2);
    assert_eq!(lock_part(&k1), lock_part(&k2));
    assert_ne!(lock_part(&k2), lock_part(&k3));

    let out = github::run(&action, &job, &[("files", "x.yaml"), ("install", "sometimes")], None);
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("::error title=closednet::install: expected auto or always, not 'sometimes'"));
}

#[test]
fn action_inputs_reach_scripts_only_through_env() {
    let action = github::load();
    assert_eq!(action.runs.using, "composite");
    let mut used = BTreeSet::new();
    for step in &action.runs.steps {
        if let Some(run) = &step.run {
            assert!(!run.contains("${{"), "{}: an expression inside the script text", step.name);
        }
        for v in step.env.values().chain(step.with.values()) {
            sandbox::expand(v, &mut |e| {
                if let Some(name) = e.strip_prefix("inputs.") {
                    assert!(action.inputs.contains_key(name), "{}: undeclared input {name}", step.name);
                    used.insert(name.to_string());
                }
                String::new()
            });
        }
    }
    let declared: BTreeSet<String> = action.inputs.keys().cloned().collect();
    assert_eq!(used, declared, "every input reaches a step");
    assert!(action.inputs.values().all(|i| !i.description.is_empty()));
    assert!(action.outputs.values().all(|o| !o.description.is_empty()));
    assert!(action.inputs["files"].required);
}

#[test]
fn template_checks_a_pull_request_build_and_publishes_sarif() {
    let sb = Sandbox::new("az-pass");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    let job = azure::Job::new(&sb, &ws, true);
    let out = azure::run(&azure::load(), &job, &[("files", "architecture/*.yaml"), ("maxMonthly", "1.5M")]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(out.skipped, ["closednet: restore from the cache"]);
    assert!(out.summary.starts_with(CHAT_PASSED), "{}", out.summary);
    assert!(out.summary.contains(&format!("\n{NEW_PASSED}")));
    let diff = format!("## closednet: cost change against `main`\n\n**`architecture/chat.yaml`**\n\n{DIFF_HEAD}");
    assert!(out.summary.contains(&diff), "{}", out.summary);
    assert!(out.summary.ends_with(
        "**`architecture/new.yaml`**\n\nNew in this pull request: `main` has no `architecture/new.yaml`.\n"
    ));
    assert!(out.issues.iter().any(|i| i.starts_with(
        "##vso[task.logissue type=warning;sourcepath=architecture/chat.yaml;linenumber=46;columnnumber=5;code=CN001]"
    )));
    let logs = job.variables["Build.ArtifactStagingDirectory"].clone() + "/CodeAnalysisLogs";
    let results = sarif_results(&valid_sarif(&Path::new(&logs).join("closednet.sarif")));
    assert!(results.iter().any(|(uri, _)| uri == "architecture/new.yaml"));
    let (task, inputs) = out.tasks.last().unwrap();
    assert_eq!(task, "PublishBuildArtifacts@1");
    assert_eq!(
        (inputs["PathtoPublish"].as_str(), inputs["ArtifactName"].as_str()),
        (logs.as_str(), "CodeAnalysisLogs")
    );
}

#[test]
fn template_fails_with_exit_1_and_still_publishes_sarif() {
    let sb = Sandbox::new("az-fail");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    let job = azure::Job::new(&sb, &ws, false);
    let out = azure::run(&azure::load(), &job, &[("files", "architecture/chat.yaml"), ("maxMonthly", "500k")]);
    assert_eq!(out.code, 1);
    assert!(out.issues.contains(
        &"##vso[task.logissue type=error;sourcepath=architecture/chat.yaml;code=budget-max-monthly]the closed design costs \
          JPY 515,594/month, JPY 15,594 over the limit of JPY 500,000"
            .to_string()
    ), "{:#?}", out.issues);
    assert!(out.summary.starts_with("### closednet check failed: `architecture/chat.yaml`\n"));
    assert!(!out.summary.contains("cost change"), "not a pull-request build");
    assert_eq!(out.ran.last().unwrap(), "closednet: publish SARIF (CodeAnalysisLogs)");
    let logs = job.variables["Build.ArtifactStagingDirectory"].clone() + "/CodeAnalysisLogs/closednet.sarif";
    valid_sarif(Path::new(&logs));
}

#[test]
fn template_gives_exit_2_for_an_invalid_or_missing_file() {
    let sb = Sandbox::new("az-invalid");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    std::fs::copy("tests/fixtures/bad/indentation.yaml", ws.join("bad.yaml")).unwrap();
    let job = azure::Job::new(&sb, &ws, true);
    let out = azure::run(&azure::load(), &job, &[("files", "bad.yaml missing.yaml"), ("diff", "false")]);
    assert_eq!(out.code, 2);
    assert!(out.issues.iter().any(|i| i.starts_with(
        "##vso[task.logissue type=error;sourcepath=bad.yaml;linenumber=6;columnnumber=4;code=input]services:"
    )));
    assert!(
        out.issues.contains(
            &"##vso[task.logissue type=error;sourcepath=missing.yaml]error: cannot read missing.yaml: No such file or \
          directory (os error 2)"
                .to_string()
        ),
        "{:#?}",
        out.issues
    );
    assert!(out.summary.starts_with(
        "### closednet could not check `bad.yaml`\n\n```text\nerror: bad.yaml:6:4: services: while parsing"
    ));
    assert!(out.summary.contains("### closednet could not check `missing.yaml`\n\n```text\nerror: cannot read"));
    assert!(!out.summary.contains("cost change"), "diff: false");
    let logs = job.variables["Build.ArtifactStagingDirectory"].clone() + "/CodeAnalysisLogs/closednet.sarif";
    let log = valid_sarif(Path::new(&logs));
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn template_parameters_reach_scripts_only_through_env() {
    let template = azure::load();
    let mut used = BTreeSet::new();
    for step in &template.steps {
        if let Some(script) = &step.bash {
            assert!(!script.contains("${{") && !script.contains("$(Build."), "{}", step.display_name);
        }
        for v in step.env.values() {
            sandbox::expand(v, &mut |e| {
                used.insert(e.strip_prefix("parameters.").unwrap().to_string());
                String::new()
            });
        }
    }
    let declared: BTreeSet<String> = template.parameters.iter().map(|p| p.name.clone()).collect();
    assert_eq!(used, declared, "every parameter reaches a step");
    // The inputs the action has, under the template's names.
    let action = github::load();
    let camel = |s: &str| {
        let mut parts = s.split('-');
        let first = parts.next().unwrap().to_string();
        parts.fold(first, |acc, p| acc + &p[..1].to_uppercase() + &p[1..])
    };
    let common = ["comment", "comment-key", "token", "sarif"];
    for name in action.inputs.keys().filter(|k| !common.contains(&k.as_str())) {
        assert!(declared.contains(&camel(name)), "the template lacks {name}");
    }
}

fn yaml(path: &str) -> serde_json::Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A `with:` or `parameters:` mapping as the runner hands it on: every scalar as its text.
fn scalars(map: &serde_json::Value) -> Vec<(String, String)> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => v.to_string(),
        _ => panic!("not a scalar: {v}"),
    };
    map.as_object().unwrap().iter().map(|(k, v)| (k.clone(), text(v))).collect()
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[test]
fn github_recipe_runs_the_action_and_uploads_its_sarif() {
    let workflow = yaml("examples/ci/github-actions.yml");
    assert_eq!(workflow["permissions"]["security-events"], "write");
    assert_eq!(workflow["permissions"]["pull-requests"], "write");
    let steps = workflow["jobs"]["cost"]["steps"].as_array().unwrap();
    let step = steps.iter().find(|s| s["uses"] == "./").expect("a step using the action");
    let upload =
        steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@")));
    assert_eq!(upload.unwrap()["with"]["sarif_file"], step["with"]["sarif"]);

    let sb = Sandbox::new("recipe-gh");
    let ws = sandbox::pull_request_repository(&sb, "examples/article.yaml");
    let job = github::Job::new(&sb, &ws, true, Some(3));
    let with = scalars(&step["with"]);
    let out = github::run(&github::load(), &job, &pairs(&with), None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    valid_sarif(&ws.join("closednet.sarif"));
    let calls = gh_calls(&sb);
    assert_eq!(calls[1].0[..4], ["api", "--method", "POST", "repos/octo/arch/issues/3/comments"]);
    let body = calls[1].2.as_deref().unwrap();
    assert!(body.contains(&format!("**`examples/article.yaml`**\n\n{DIFF_HEAD}")), "{body}");
    assert!(body.contains("Monthly JPY; `origin/main/examples/article.yaml` -> `HEAD/examples/article.yaml`.\n"));
}

#[test]
fn azure_recipe_runs_the_template() {
    let pipeline = yaml("examples/ci/azure-pipelines.yml");
    let steps = pipeline["steps"].as_array().unwrap();
    let step = steps.iter().find(|s| s["template"] == "/templates/closednet-check.yml").expect("the template");
    let sb = Sandbox::new("recipe-az");
    let ws = sandbox::pull_request_repository(&sb, "examples/article.yaml");
    let job = azure::Job::new(&sb, &ws, true);
    let params = scalars(&step["parameters"]);
    let out = azure::run(&azure::load(), &job, &pairs(&params));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.summary.contains(&format!("**`examples/article.yaml`**\n\n{DIFF_HEAD}")), "{}", out.summary);
    let logs = job.variables["Build.ArtifactStagingDirectory"].clone() + "/CodeAnalysisLogs/closednet.sarif";
    valid_sarif(Path::new(&logs));
}

#[derive(serde::Deserialize)]
struct Hook {
    id: String,
    entry: String,
    language: String,
    files: String,
    types: Vec<String>,
}

fn hooks() -> Vec<Hook> {
    serde_saphyr::from_str(&std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap()).unwrap()
}

/// The hook's entry as pre-commit runs it (entry, then args, then the files), in `ws`.
fn run_hook(ws: &Path, bin: &Path, args: &[&str]) -> (i32, String) {
    let hook = &hooks()[0];
    let script = hook.entry.strip_prefix("bash -c '").and_then(|s| s.strip_suffix("' closednet-check"));
    let script = script.expect("entry: bash -c '...' closednet-check");
    assert!(!script.contains('\''), "pre-commit splits the entry like a shell: no quote inside");
    let o = std::process::Command::new("bash")
        .args(["-c", script, "closednet-check"])
        .args(args)
        .env("PATH", sandbox::path_with(bin))
        .env("CLOSEDNET_TODAY", sandbox::TODAY)
        .current_dir(ws)
        .output()
        .unwrap();
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn pre_commit_hook_checks_each_file_with_the_given_options() {
    let hook = &hooks()[0];
    assert_eq!((hook.id.as_str(), hook.language.as_str()), ("closednet-check", "rust"));
    assert_eq!(
        (hook.files.as_str(), hook.types.as_slice()),
        (r"(^|/)architecture/.+\.ya?ml$|\.arch\.ya?ml$", &["yaml".to_string()][..])
    );
    let sb = Sandbox::new("hook");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    std::fs::copy("tests/fixtures/bad/indentation.yaml", ws.join("architecture/bad.yaml")).unwrap();
    let bin = sandbox::bin_dir(&sb, true);
    let both = ["architecture/chat.yaml", "architecture/new.yaml"];
    let passed = |out: &str| out.lines().filter(|l| l.starts_with("check passed: ")).count();
    let (code, out) = run_hook(&ws, &bin, &[&["--max-monthly", "1.5M"][..], &both].concat());
    assert_eq!((code, passed(&out)), (0, 2), "{out}");
    // 1M: chat (515,594) passes, new (1,415,594) fails; `--name=value` works too.
    let (code, out) = run_hook(&ws, &bin, &[&["--max-monthly=1M", "--deny", "error"][..], &both].concat());
    assert_eq!((code, passed(&out)), (1, 1), "{out}");
    assert!(out.contains("FAIL budget max-monthly: the closed design costs JPY 1,415,594/month, JPY 415,594 over the limit of JPY 1,000,000 (architecture/new.yaml)\n"));
    let (code, _) = run_hook(&ws, &bin, &["architecture/bad.yaml", "architecture/chat.yaml"]);
    assert_eq!(code, 2, "the worst file's code");
}

/// The hook tells options from files by assuming every option of `check` takes a value, except the
/// switches its first `case` names.
#[test]
fn every_check_option_takes_a_value_or_is_a_switch_the_hook_knows() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_closednet")).args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(o.stdout).unwrap();
    let hook = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let switches = hook.lines().map(str::trim).find(|l| l.starts_with("--*=*|")).unwrap_or_default();
    let options: Vec<&str> = help.lines().map(str::trim_start).filter(|l| l.starts_with('-')).collect();
    assert!(options.len() > 15, "{help}");
    for line in options.iter().filter(|l| !l.starts_with("-h, --help")) {
        let flag = line.split_whitespace().next().unwrap();
        let takes_value = line[flag.len()..].trim_start().starts_with('<');
        let known_switch = switches.split(['|', ')']).any(|s| s.trim() == flag);
        assert!(takes_value != known_switch, "{flag}: a switch must be in the hook's first case, and only a switch");
    }
    assert!(switches.contains("--deny-preview"), "{switches}");
}

/// The `## Integrations` section of README.md.
fn integrations_section() -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("\n## Integrations\n").expect("an Integrations section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    rest[..end].to_string()
}

/// Visits every mapping in `v`.
fn mappings<'a>(v: &'a serde_json::Value, f: &mut dyn FnMut(&'a serde_json::Map<String, serde_json::Value>)) {
    match v {
        serde_json::Value::Object(m) => {
            f(m);
            m.values().for_each(|v| mappings(v, f));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| mappings(v, f)),
        _ => {}
    }
}

fn readme_yaml_blocks(section: &str) -> Vec<serde_json::Value> {
    let blocks = section.split("```yaml\n").skip(1).map(|b| &b[..b.find("\n```").expect("a closed block")]);
    blocks.map(|text| serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))).collect()
}

/// The step of the README's examples for which `pick` holds.
fn readme_step(pick: &dyn Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let docs = readme_yaml_blocks(&integrations_section());
    let steps = docs.iter().flat_map(|d| {
        let jobs = d["jobs"].as_object().into_iter().flat_map(|j| j.values().map(|j| &j["steps"]));
        jobs.chain([&d["steps"]]).filter_map(|s| s.as_array()).flatten().cloned().collect::<Vec<_>>()
    });
    steps.into_iter().find(|s| pick(s)).expect("the README's example")
}

/// The README's workflow and pipeline, on a pull request whose closed design costs 50.7% more than
/// its RBAC-only design (515,594 / 341,414): over their 25%, so exit 1, with every report written.
#[test]
fn readme_integrations_examples_run() {
    let step = readme_step(&|s| s["uses"].as_str().is_some_and(|u| u.contains("/closednet@")));
    let sb = Sandbox::new("readme-gh");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    let job = github::Job::new(&sb, &ws, true, Some(5));
    let with = scalars(&step["with"]);
    let out = github::run(&github::load(), &job, &pairs(&with), None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("::error file=architecture/chat.yaml,title=closednet budget max-increase::"));
    valid_sarif(&ws.join("closednet.sarif"));
    assert!(gh_calls(&sb)[1].2.as_deref().unwrap().contains(DIFF_HEAD));

    let step = readme_step(&|s| s["template"].as_str().is_some_and(|t| t.contains("closednet-check.yml")));
    let sb = Sandbox::new("readme-az");
    let ws = sandbox::pull_request_repository(&sb, "architecture/chat.yaml");
    let job = azure::Job::new(&sb, &ws, true);
    let params = scalars(&step["parameters"]);
    let out = azure::run(&azure::load(), &job, &pairs(&params));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.summary.contains(DIFF_HEAD));
    assert!(out.issues.iter().any(|i| i.contains("code=budget-max-increase]")), "{:#?}", out.issues);
}

#[test]
fn readme_integrations_examples_name_only_real_inputs() {
    let section = integrations_section();
    let action = github::load();
    let template = azure::load();
    let hook_ids: BTreeSet<String> = hooks().into_iter().map(|h| h.id).collect();
    let (mut actions, mut templates, mut hook_configs) = (0, 0, 0);
    for doc in readme_yaml_blocks(&section) {
        mappings(&doc, &mut |m| {
            if m.get("uses").and_then(|u| u.as_str()).is_some_and(|u| u.contains("/closednet@")) {
                actions += 1;
                for k in m.get("with").and_then(|w| w.as_object()).into_iter().flat_map(|w| w.keys()) {
                    assert!(action.inputs.contains_key(k), "README: the action has no input {k}");
                }
            }
            if m.get("template").and_then(|u| u.as_str()).is_some_and(|u| u.contains("closednet-check.yml")) {
                templates += 1;
                for k in m.get("parameters").and_then(|w| w.as_object()).into_iter().flat_map(|w| w.keys()) {
                    assert!(
                        template.parameters.iter().any(|p| &p.name == k),
                        "README: the template has no parameter {k}"
                    );
                }
            }
            if let Some(id) = m.get("id").and_then(|i| i.as_str()).filter(|_| m.contains_key("args") || m.len() == 1) {
                hook_configs += 1;
                assert!(hook_ids.contains(id), "README: no hook {id}");
            }
        });
    }
    assert!(actions > 0 && templates > 0 && hook_configs > 0, "{actions} {templates} {hook_configs}");
    for name in action.inputs.keys().chain(action.outputs.keys()) {
        assert!(section.contains(&format!("`{name}`")), "README does not document the action's {name}");
    }
    for p in &template.parameters {
        assert!(section.contains(&format!("`{}`", p.name)), "README does not document the template's {}", p.name);
    }
}
