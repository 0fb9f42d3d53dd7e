//! Golden files: the exact output of every command and format for the examples and a set of bad
//! files, so that a change in output is a reviewed diff, not a surprise. They complement the
//! hand-checked figures in the other modules; they do not replace them.
//!
//! After an intended change, rewrite them and read the diff like code:
//!
//! ```sh
//! CLOSEDNET_UPDATE_GOLDEN=1 cargo test golden
//! git diff tests/golden
//! ```

use std::path::Path;
use std::process::Command;

/// One golden case of `tests/golden/cases.toml`.
#[derive(serde::Deserialize)]
struct Case {
    golden: String,
    args: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string("tests/golden/cases.toml").unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

/// What a run printed: its exit code, standard output and standard error.
fn record(args: &[String]) -> String {
    let o =
        Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap();
    format!(
        "$ closednet {}\nexit {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn every_command_and_format_matches_its_golden_file() {
    let update = std::env::var_os("CLOSEDNET_UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for Case { golden: name, args } in cases() {
        let path = Path::new("tests/golden").join(&name);
        let got = record(&args);
        if update {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if want != got {
            let line = want
                .lines()
                .zip(got.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(want.lines().count().min(got.lines().count()));
            stale.push(format!("{name}: differs from line {} on", line + 1));
        }
    }
    assert!(
        stale.is_empty(),
        "output changed; if intended, run CLOSEDNET_UPDATE_GOLDEN=1 cargo test golden and review `git diff tests/golden`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn every_golden_file_has_a_case() {
    let named: std::collections::BTreeSet<String> = cases().into_iter().map(|c| c.golden).collect();
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir("tests/golden").unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name != "cases.toml" && !named.contains(&name) {
            orphans.push(name);
        }
    }
    assert!(orphans.is_empty(), "golden files no case in tests/golden/cases.toml names: {orphans:?}");
}

#[test]
fn every_rule_doc_belongs_to_a_rule() {
    let ids: Vec<&str> = closednet::registry::RULES.iter().map(|r| r.id).collect();
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir("src/registry/docs").unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".md").unwrap_or(&name);
        if !ids.contains(&id) {
            orphans.push(name);
        }
    }
    assert!(orphans.is_empty(), "rule docs without a rule in src/registry/mod.rs: {orphans:?}");
}
