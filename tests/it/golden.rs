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

/// (golden file, arguments).
const CASES: &[(&str, &[&str])] = &[
    ("estimate-article.txt", &["estimate", "examples/article.yaml"]),
    ("estimate-article.json", &["estimate", "examples/article.yaml", "--format", "json"]),
    ("estimate-article.csv", &["estimate", "examples/article.yaml", "--format", "csv"]),
    ("estimate-article.md", &["estimate", "examples/article.yaml", "--format", "markdown"]),
    ("estimate-article.html", &["estimate", "examples/article.yaml", "--format", "html"]),
    (
        "estimate-article-owned-entra.txt",
        &["estimate", "examples/article.yaml", "--set", "closed_network.licences.entra=owned"],
    ),
    ("estimate-article-2023.txt", &["estimate", "examples/article-2023.yaml"]),
    ("estimate-article-2023.json", &["estimate", "examples/article-2023.yaml", "--format", "json"]),
    ("estimate-landing-zone.txt", &["estimate", "examples/landing-zone.yaml"]),
    ("estimate-landing-zone.json", &["estimate", "examples/landing-zone.yaml", "--format", "json"]),
    ("estimate-landing-zone.csv", &["estimate", "examples/landing-zone.yaml", "--format", "csv"]),
    ("estimate-landing-zone.md", &["estimate", "examples/landing-zone.yaml", "--format", "markdown"]),
    (
        "estimate-landing-zone-existing-hub.txt",
        &[
            "estimate",
            "examples/landing-zone.yaml",
            "--set",
            "closed_network.hub=existing",
            "--set",
            "closed_network.hub_share=400",
        ],
    ),
    ("estimate-small.txt", &["estimate", "examples/small.yaml"]),
    ("check-article.txt", &["check", "examples/article.yaml", "--max-monthly", "1.5M", "--max-increase", "300%"]),
    ("check-article.json", &["check", "examples/article.yaml", "--format", "json", "--max-monthly", "1.5M"]),
    ("check-article.sarif", &["check", "examples/article.yaml", "--format", "sarif", "--max-monthly", "1.5M"]),
    ("check-article-github.txt", &["check", "examples/article.yaml", "--format", "github", "--max-monthly", "1.5M"]),
    ("check-article-azure.txt", &["check", "examples/article.yaml", "--format", "azure", "--max-monthly", "1.5M"]),
    ("check-article.md", &["check", "examples/article.yaml", "--format", "markdown", "--max-monthly", "1.5M"]),
    ("check-invalid-github.txt", &["check", "tests/fixtures/bad/no-version.yaml", "--format", "github"]),
    ("check-invalid.sarif", &["check", "tests/fixtures/bad/no-version.yaml", "--format", "sarif"]),
    ("diff-2023-to-now.txt", &["diff", "examples/article-2023.yaml", "examples/article.yaml"]),
    ("diff-2023-to-now.json", &["diff", "examples/article-2023.yaml", "examples/article.yaml", "--format", "json"]),
    (
        "diff-owned-entra.md",
        &[
            "diff",
            "examples/article.yaml",
            "examples/article.yaml",
            "--format",
            "markdown",
            "--set",
            "closed_network.licences.entra=owned",
        ],
    ),
    ("explain-CN014.txt", &["explain", "CN014"]),
    ("explain-api-management.txt", &["explain", "api-management", "--region", "japaneast"]),
    ("rules.txt", &["rules"]),
    ("catalog.txt", &["catalog"]),
    ("error-typo-key.txt", &["estimate", "tests/fixtures/bad/typo-key.yaml"]),
    ("error-unknown-names.txt", &["estimate", "tests/fixtures/bad/unknown-names.yaml"]),
    ("error-indentation.txt", &["estimate", "tests/fixtures/bad/indentation.yaml"]),
    ("error-no-version.txt", &["estimate", "tests/fixtures/bad/no-version.yaml"]),
    ("error-set.txt", &["estimate", "examples/article.yaml", "--set", "closed_network.egress=firewal-standard"]),
];

/// What a run printed: its exit code, standard output and standard error.
fn record(args: &[&str]) -> String {
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
    for (name, args) in CASES {
        let path = Path::new("tests/golden").join(name);
        let got = record(args);
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
