//! `closednet pricing import` writes only what its own loader accepts (issue 21, D15 and D16):
//! prices checked as `--pricing` checks them, TOML from the serializer whatever the folder names
//! and dates hold, region folders that are regions, a real as-of date, and a word when a service
//! or a region has no items.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = crate::support::tmp().join(format!("test-import-checks-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of tests/fixtures/retail under `dir/name`, japaneast's page passed through `edit`.
fn pages(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let input = dir.join(name);
    for region in ["eastus2", "japaneast"] {
        std::fs::create_dir_all(input.join(region)).unwrap();
        let text = std::fs::read_to_string(format!("tests/fixtures/retail/{region}/api_management.json")).unwrap();
        let text = if region == "japaneast" { edit(text) } else { text };
        std::fs::write(input.join(region).join("api_management.json"), text).unwrap();
    }
    input
}

fn import(input: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_closednet"))
        .env("CLOSEDNET_TODAY", "2026-11-30")
        .args(["pricing", "import"])
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const APIM: [&str; 2] = ["--type", "api-management"];

#[test]
fn prices_the_loader_would_reject_are_refused_and_nothing_is_written() {
    let dir = scratch("reject");
    let cases = [
        (
            "negative",
            "\"retailPrice\":3.829,",
            "\"retailPrice\":-3.829,",
            "api-management/premium/unit in japaneast: negative price -3.829",
        ),
        (
            "tier",
            "\"tierMinimumUnits\":0,\"retailPrice\":3.829,",
            "\"tierMinimumUnits\":-5,\"retailPrice\":3.829,",
            "api-management/premium/unit in japaneast: the first bucket must start at 0",
        ),
    ];
    for (name, from, to, why) in cases {
        let input = pages(&dir, name, |t| t.replace(from, to));
        let out = dir.join(format!("out-{name}/2026-08"));
        let run = import(&input, &out, &["--as-of", "2026-08-15"]);
        assert_eq!(run.status.code(), Some(2), "{name}: {}", stderr(&run));
        assert_eq!(
            stderr(&run),
            format!(
                "error: {}: the snapshot this import would write does not load: snapshot 2026-08: {why}\n",
                out.display()
            ),
            "{name}"
        );
        assert!(!out.exists(), "{name}: nothing written");
    }
}

#[test]
fn an_item_without_a_start_date_is_an_error() {
    let dir = scratch("no-date");
    let input = pages(&dir, "in", |t| {
        t.replacen("\"effectiveStartDate\":\"2017-12-01T00:00:00Z\"", "\"effectiveStartDate\":\"\"", 1)
    });
    let run = import(&input, &dir.join("out"), &["--as-of", "2026-08-15"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert_eq!(
        stderr(&run),
        format!(
            "error: {}: item of meter 15ebd8a7-aeb0-4623-ac0f-d434504f9474 (Premium Unit): effectiveStartDate \"\" \
             is not a date\n",
            input.join("japaneast/api_management.json").display()
        )
    );
}

#[test]
fn the_as_of_date_must_be_a_date() {
    let dir = scratch("as-of");
    let input = pages(&dir, "in", |t| t);
    for bad in ["yesterday", "2026-01-01\"\nregions = [\"evil\"]\nx = \"", "2026-13-45"] {
        let out = dir.join("out");
        let run = import(&input, &out, &["--as-of", bad]);
        assert_eq!(run.status.code(), Some(2), "{bad}");
        assert_eq!(stderr(&run), format!("error: --as-of {bad:?}: expected a date written YYYY-MM-DD\n"));
        assert!(!out.exists());
    }
}

#[test]
fn folder_names_and_manifest_dates_cannot_inject_toml() {
    let dir = scratch("inject");
    // A folder name with a quote and a newline is written as data, in a file that loads.
    let input = pages(&dir, "pa\"ges\nhours_per_month = \"1\"", |t| t);
    let out = dir.join("snap/2026-08");
    let run = import(&input, &out, &["--as-of", "2026-08-15"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let meta: toml::Value = toml::from_str(&std::fs::read_to_string(out.join("snapshot.toml")).unwrap()).unwrap();
    assert_eq!(meta["source"].as_str().unwrap(), format!("Azure Retail Prices API pages in {}", input.display()));
    assert_eq!(meta["hours_per_month"].as_str(), Some("730"));
    assert_eq!(meta["as_of"].as_str(), Some("2026-08-15"));
    let prices = std::fs::read_to_string(out.join("prices/api-management.toml")).unwrap();
    assert!(toml::from_str::<toml::Value>(&prices).is_ok(), "{prices}");
    assert!(!prices.lines().any(|l| l.starts_with("hours_per_month")), "{prices}");
    let catalog = dir.join("snap");
    copy_services(&catalog);
    closednet::catalog::Catalog::from_dir(&catalog).unwrap();

    // A manifest date is checked like --as-of.
    let input = pages(&dir, "manifest", |t| t);
    std::fs::write(input.join("snapshot-manifest.json"), r#"{"snapshotDate": "2026-08-15\"\nx = \"1"}"#).unwrap();
    let run = import(&input, &dir.join("out2"), &[]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert_eq!(
        stderr(&run),
        format!(
            "error: {}: snapshotDate \"2026-08-15\\\"\\nx = \\\"1\" is not a date written YYYY-MM-DD; give --as-of\n",
            input.join("snapshot-manifest.json").display()
        )
    );
}

fn copy_services(catalog: &Path) {
    std::fs::create_dir_all(catalog.join("services")).unwrap();
    for e in std::fs::read_dir("pricing/services").unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, catalog.join("services").join(p.file_name().unwrap())).unwrap();
    }
}

#[test]
fn a_folder_that_is_not_a_region_is_refused() {
    let dir = scratch("regions");
    for bad in [".hidden", "UPPER CASE", "japan\"east", "west\neurope"] {
        let input = pages(&dir, "in", |t| t);
        std::fs::create_dir_all(input.join(bad)).unwrap();
        let out = dir.join("out");
        let run = import(&input, &out, &["--as-of", "2026-08-15"]);
        assert_eq!(run.status.code(), Some(2), "{bad:?}");
        assert_eq!(
            stderr(&run),
            format!(
                "error: {}: folder {bad:?} is not a region: the input holds one folder per ARM region, named as \
                 the API names it (japaneast)\n",
                input.display()
            )
        );
        assert!(!out.exists());
        std::fs::remove_dir_all(&input).unwrap();
    }
}

#[test]
fn without_a_manifest_the_prices_are_todays_and_it_says_so() {
    let dir = scratch("no-manifest");
    let out = dir.join("2026-11");
    let run = import(Path::new("tests/fixtures/retail"), &out, &APIM);
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.starts_with(
            "note: tests/fixtures/retail has no snapshot-manifest.json: importing the prices in force today, \
             2026-11-30 (--as-of DATE chooses another date)\n"
        ),
        "{err}"
    );
    assert!(err.contains("in force on 2026-11-30\n"), "{err}");
    let meta = std::fs::read_to_string(out.join("snapshot.toml")).unwrap();
    assert!(meta.contains("as_of = \"2026-11-30\"\n"), "{meta}");
    assert!(!meta.contains("9999"), "{meta}");
}

#[test]
fn a_region_or_a_type_without_items_is_a_warning_and_nothing_at_all_is_exit_2() {
    let dir = scratch("empty");
    // westus2 holds no page the definitions read.
    let input = pages(&dir, "in", |t| t);
    std::fs::create_dir_all(input.join("westus2")).unwrap();
    std::fs::write(input.join("westus2/notes.txt"), "nothing here").unwrap();
    let run = import(&input, &dir.join("out"), &["--as-of", "2026-08-15", "--type", "api-management"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.starts_with(&format!(
            "warning: {}: none of the pages the requested service types read (api_management.json)\n",
            input.join("westus2").display()
        )),
        "{err}"
    );

    // A requested type that none of the pages price.
    let run = import(
        &input,
        &dir.join("out2"),
        &["--as-of", "2026-08-15", "--type", "api-management", "--type", "key-vault"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.contains("warning: no prices for key-vault in any region (its components are written as [[missing]])\n"),
        "{err}"
    );

    // Pages without a single matching item: exit 2, nothing written.
    let input = pages(&dir, "nothing", |_| "{\"Items\":[]}".to_string());
    std::fs::write(input.join("eastus2/api_management.json"), "{\"Items\":[]}").unwrap();
    let out = dir.join("out3");
    let run = import(&input, &out, &["--as-of", "2026-08-15", "--type", "api-management"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert_eq!(
        stderr(&run),
        format!(
            "error: {}: no prices at all for the requested service types (api-management) in eastus2, japaneast: \
             nothing written\n",
            input.display()
        )
    );
    assert!(!out.exists());
}
