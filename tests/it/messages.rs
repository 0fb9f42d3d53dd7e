//! What a user reads when a file is wrong or a report is small (issue 13, "edges a user hits").

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let o =
        Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn wrong_indentation_says_what_is_likely_wrong() {
    let (code, out, err) = run(&["estimate", "tests/fixtures/bad/indentation.yaml"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: tests/fixtures/bad/indentation.yaml:6:4: services: while parsing a block collection, did not find expected '-' indicator\n  \
         help: check the indentation here: a key must line up with the keys of its own mapping, a list item with its siblings (spaces only); a value that contains `: ` needs quotes\n"
    );
}

#[test]
fn a_missing_version_is_reported_with_every_other_problem() {
    let (code, _, err) = run(&["estimate", "tests/fixtures/bad/no-version.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: tests/fixtures/bad/no-version.yaml: version: missing `version`\n  help: add `version: 1` as the first key of the file\n\
         error: tests/fixtures/bad/no-version.yaml:3:9: closed_network.cicd: gitlab is not supported\n  \
         help: closednet prices Azure DevOps (azure-devops) and GitHub (github) agents; for another CI system use `cicd: none` and price its runners with `prices:` or your own services\n\
         error: tests/fixtures/bad/no-version.yaml:6:11: services[0].type: unknown service type \"storag\"\n  help: did you mean \"storage\"?\n"
    );
}

#[test]
fn a_word_where_a_boolean_belongs_lists_the_values() {
    let dir = crate::support::tmp().join("messages");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("maybe.yaml");
    std::fs::write(
        &file,
        "version: 1\nregion: eastus2\nservices:\n  - name: data\n    type: storage\n    public: maybe\n",
    )
    .unwrap();
    let (code, _, err) = run(&["estimate", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.ends_with("services[0].public: invalid boolean\n  help: use true or false\n"), "{err}");
    // A file without `name` is named once, by its path.
    let plain = dir.join("plain.yaml");
    std::fs::write(&plain, "version: 1\nregion: eastus2\nservices:\n  - name: data\n    type: storage\n").unwrap();
    let (code, out, _) = run(&["estimate", plain.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().next(), Some(plain.to_str().unwrap()));
    // Nothing changes tier: the worksheet has no empty Decisions heading.
    let (_, md, _) = run(&["estimate", plain.to_str().unwrap(), "--format", "markdown"]);
    assert!(!md.contains("## Decisions"), "{md}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unpriced_lines_count_what_priced_ones_count() {
    // The build agent VM has no price in japaneast: still 730 hours, like a priced VM line.
    let (_, csv, _) = run(&["estimate", "examples/article.yaml", "--format", "csv"]);
    let line = csv.lines().find(|l| l.starts_with("closed,build agents,")).unwrap();
    assert!(line.contains(",fixed,730,1 Hour,,"), "{line}");
}

#[test]
fn check_speaks_its_format_when_the_file_is_invalid() {
    let file = "tests/fixtures/bad/no-version.yaml";
    let (code, gh, _) = run(&["check", file, "--format", "github"]);
    assert_eq!(code, 2);
    assert!(
        gh.contains(&format!(
            "::error file={file},line=6,col=11,title=closednet input::services[0].type: unknown service type \"storag\" (did you mean \"storage\"?)\n"
        )),
        "{gh}"
    );
    let (code, az, _) = run(&["check", file, "--format", "azure"]);
    assert_eq!(code, 2);
    assert!(az.contains(&format!(
        "##vso[task.logissue type=error;sourcepath={file};linenumber=3;columnnumber=9;code=input]"
    )));
    let (code, js, _) = run(&["check", file, "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&js).unwrap();
    assert_eq!((v["valid"].as_bool(), v["errors"].as_array().unwrap().len()), (Some(false), 3));
    let (code, sarif, _) = run(&["check", file, "--format", "sarif"]);
    assert_eq!(code, 2);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/sarif-schema-2.1.0.json").unwrap()).unwrap();
    let validator = jsonschema::options().should_validate_formats(false).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(sarif["runs"][0]["results"][2]["locations"][0]["physicalLocation"]["region"]["startLine"], 6);
    // The text format stays an error message on stderr.
    let (code, out, err) = run(&["check", file]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.starts_with(&format!("error: {file}: version: missing `version`")));
}

#[test]
fn none_cannot_be_listed_with_operator_access() {
    let (code, _, err) =
        run(&["estimate", "examples/landing-zone.yaml", "--set", "closed_network.operator_access=[none, jumpbox]"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: examples/landing-zone.yaml: closed_network.operator_access: `none` cannot be listed with other operator access (from --set closed_network.operator_access=[none, jumpbox])\n  help: write `none` alone, or list only what operators use\n"
    );
}

#[test]
fn names_that_differ_only_by_surrounding_spaces_are_duplicates() {
    // D12 of the reliability battery: "files" and "files " were two services, of which `--set
    // services.files...` changed one and `--discount files=50` both.
    let path = crate::support::tmp().join("dup.yaml");
    std::fs::write(
        &path,
        "version: 1\nregion: eastus2\nservices:\n  - {name: \"files\", type: storage, usage: {gb: 100}}\n  - {name: \"files \", type: storage, usage: {gb: 100000}}\n",
    )
    .unwrap();
    let (code, out, err) = run(&["estimate", path.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains(
            ":5:12: services[1].name: duplicate service name \"files\"\n  help: each service needs its own name"
        ),
        "{err}"
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn an_error_quoting_a_name_with_a_newline_starts_no_line_of_its_own() {
    // A name holding "\n##vso[task.setvariable ...]" in a located error on stderr, which CI logs
    // show: the newline is shown as \n and the command prefix is broken.
    let path = crate::support::tmp().join("inject.yaml");
    let name = "a\\n##vso[task.setvariable variable=x]1";
    std::fs::write(
        &path,
        format!("version: 1\nregion: eastus2\nservices:\n  - {{name: \"{name}\", type: storage}}\n  - {{name: \"{name}\", type: storage}}\n"),
    )
    .unwrap();
    let (code, _, err) = run(&["estimate", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("duplicate service name \"a\\n##vso\\[task.setvariable variable=x]1\""), "{err}");
    assert!(err.lines().all(|l| !l.starts_with("##vso") && !l.starts_with("::")), "{err}");
    let _ = std::fs::remove_file(&path);
}
