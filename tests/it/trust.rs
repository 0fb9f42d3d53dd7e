//! What a user can trust (issue 20 items 2-5, issue 21 items 1, 2 and 6): price sheets that state
//! their currency and mean one thing, `warn` that warns, the App Gateway's public IP, checked
//! arithmetic, exact numbers, and a newcomer's path. Each test names the defect of the reliability
//! battery (`shared/reference/reliability-2026-12.md`, D1-D24) or the issue item it reproduces.
//! Figures are hand-checked in the comments: the article (`examples/article.yaml`) is in JPY at the
//! file's rate of 150 per USD, in japaneast, priced with the 2026-08 snapshot (as of 2026-08-15);
//! meter 4db446f7-... is API Management Standard v2's unit, which prices the closed `gateway`.

use super::support::{catalog, d, run};
use closednet::architecture::Policy;
use closednet::cli::PolicyArgs;
use closednet::registry::{RuleId, Severity};
use std::path::PathBuf;
use std::process::{Command, Output};

const APIM_V2_UNIT: &str = "4db446f7-c731-51c5-b661-24bf123a82dc";
const ARTICLE: &str = "examples/article.yaml";

fn closednet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-12-06").args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn scratch(name: &str, text: &str) -> String {
    let dir = crate::support::tmp().join("trust");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// Exit 2, one error on stderr, no report, and never the panic hook's "internal error".
fn refused(args: &[&str]) -> String {
    let o = closednet(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}{}", stdout(&o));
    assert!(!err.contains("internal error"), "{args:?}: {err}");
    assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
    err
}

/// The article estimated with `--price-sheet SHEET` and `extra`, as JSON.
fn article_with(sheet: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["estimate", ARTICLE, "--format", "json", "--price-sheet", sheet];
    args.extend_from_slice(extra);
    let o = closednet(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The closed gateway's Standard v2 unit line.
fn gateway_unit(v: &serde_json::Value) -> &serde_json::Value {
    let gateway =
        v["designs"]["closed"]["services"].as_array().unwrap().iter().find(|s| s["name"] == "gateway").unwrap();
    gateway["lines"].as_array().unwrap().iter().find(|l| l["component"] == "Standard v2 unit").unwrap()
}

fn sheet(name: &str, header: &str, rows: &[&str]) -> String {
    scratch(name, &format!("{header}\n{}\n", rows.join("\n")))
}

// --- Issue 20 item 2: price sheets state their currency --------------------------------------

/// A sheet without a currency column was read as USD: 80 JPY an hour became 80 x 730 x 150 =
/// 8,760,000 JPY a month, exit 0. Now exit 2, naming what is missing and the columns found.
#[test]
fn issue20_a_price_sheet_without_its_currency_is_refused() {
    let file = sheet("no-currency.csv", "meterId,unitOfMeasure,unitPrice", &[&format!("{APIM_V2_UNIT},1 Hour,80")]);
    let err = refused(&["estimate", ARTICLE, "--price-sheet", &file]);
    assert_eq!(
        err,
        format!(
            "error: {file}: the price sheet does not state its currency: it has no `currency` column (nor \
             `billingCurrency` or `Currency Code`); add one, or pass --price-sheet-currency CODE for the whole sheet; \
             the columns found: `meterId`, `unitOfMeasure`, `unitPrice`\n"
        )
    );
    assert!(refused(&["estimate", ARTICLE, "--price-sheet-currency", "JPY"]).contains("needs --price-sheet FILE.csv"));
    assert!(
        refused(&["estimate", ARTICLE, "--price-sheet", &file, "--price-sheet-currency", "yen!"])
            .contains("--price-sheet-currency yen!: expected an ISO 4217 code")
    );
}

/// A JPY sheet applied in JPY: 75 JPY/h is 75 / 150 = 0.50 USD/h, 0.50 x 730 x 150 = 54,750 JPY
/// (75 x 730). By the flag for the whole sheet, 80 JPY/h: 80 / 150 x 730 x 150 = 58,400 JPY (80 x
/// 730), the list price 105,000 kept beside it. A row that says another currency than the flag is
/// an error naming the row.
#[test]
fn issue20_a_jpy_price_sheet_is_applied_in_jpy() {
    let column =
        sheet("jpy.csv", "meterId,unitOfMeasure,unitPrice,currency", &[&format!("{APIM_V2_UNIT},1 Hour,75,JPY")]);
    let line = gateway_unit(&article_with(&column, &[])).clone();
    assert_eq!((&line["monthly"], &line["unit_price"]), (&"54750".into(), &"75".into()), "{line}");
    let flag = sheet("jpy-flag.csv", "meterId,unitOfMeasure,unitPrice", &[&format!("{APIM_V2_UNIT},1 Hour,80")]);
    let v = article_with(&flag, &["--price-sheet-currency", "JPY"]);
    let line = gateway_unit(&v);
    assert_eq!(line["monthly"], "58400", "{line}");
    assert_eq!(line["your_figure"]["list_monthly"], "105000");
    assert_eq!(v["price_sheet"]["lines_priced"], 1);
    let usd_row =
        sheet("jpy-usd.csv", "meterId,unitOfMeasure,unitPrice,currency", &[&format!("{APIM_V2_UNIT},1 Hour,0.5,USD")]);
    let err = refused(&["estimate", ARTICLE, "--price-sheet", &usd_row, "--price-sheet-currency", "JPY"]);
    assert_eq!(
        err,
        format!("error: {usd_row}:2: a price in USD, but --price-sheet-currency says the sheet is in JPY\n")
    );
}

/// D10: two rows for one meter from one date, or without dates: the last row won silently
/// (547,500 JPY one way, 54,750 the other). Now an error naming both rows, whichever comes first.
#[test]
fn d10_two_rows_for_one_meter_and_date_are_an_error_naming_both() {
    let header = "meterId,unitOfMeasure,unitPrice,effectiveStartDate,currency";
    let a = format!("{APIM_V2_UNIT},1 Hour,0.50,2026-01-01,USD");
    let b = format!("{APIM_V2_UNIT},1 Hour,5.00,2026-01-01T00:00:00Z,USD");
    let file = sheet("dup.csv", header, &[&a, &b]);
    assert_eq!(
        refused(&["estimate", ARTICLE, "--price-sheet", &file]),
        format!(
            "error: {file}:3: rows 2 and 3 both price meter {APIM_V2_UNIT} from 2026-01-01 (0.5 and 5); keep one\n"
        )
    );
    let file = sheet("dup-rev.csv", header, &[&b, &a]);
    assert!(refused(&["estimate", ARTICLE, "--price-sheet", &file]).contains(":3: rows 2 and 3 both price meter"));
    let undated = format!("{APIM_V2_UNIT},1 Hour,0.50,,USD");
    let file = sheet("dup-undated.csv", header, &[&undated, &undated]);
    assert!(refused(&["estimate", ARTICLE, "--price-sheet", &file]).contains("without a start date (0.5 and 0.5)"));
}

/// A wrong header names the columns closednet reads and the ones it found.
#[test]
fn issue20_a_wrong_header_names_the_columns_expected_and_found() {
    let file = sheet("header.csv", "meter,unit,price", &["x,1 Hour,1"]);
    assert_eq!(
        refused(&["estimate", ARTICLE, "--price-sheet", &file]),
        format!(
            "error: {file}: the price sheet has no `meterId`, `unitOfMeasure` or `unitPrice` column; closednet reads \
             the columns meterId, unitOfMeasure, unitPrice and currency (and effectiveStartDate, effectiveEndDate, \
             priceType, tierMinimumUnits when present; case, spaces and underscores do not matter); the columns \
             found: `meter`, `unit`, `price`\n"
        )
    );
}

// --- Issue 21 item 6: price-sheet inputs mean one thing -------------------------------------

/// D9: dates were compared as text, so `09/01/2026` sorted before `2026-08-15` and its 9.00 USD
/// applied in August: 9.00 x 730 x 150 = 985,500 JPY. Parsed, the row in force on 2026-08-15 is
/// the 0.50 one: 0.50 x 730 x 150 = 54,750 JPY, shown as effective 2026-01-01. An unparsable or
/// impossible date, and an end before the start, are errors naming the row.
#[test]
fn d9_price_sheet_dates_are_parsed() {
    let header = "meterId,unitOfMeasure,unitPrice,effectiveStartDate,currency";
    let jan = format!("{APIM_V2_UNIT},1 Hour,0.50,01/01/2026,USD");
    let sep = format!("{APIM_V2_UNIT},1 Hour,9.00,09/01/2026,USD");
    let file = sheet("us-dates.csv", header, &[&jan, &sep]);
    let v = article_with(&file, &[]);
    let line = gateway_unit(&v);
    assert_eq!(line["monthly"], "54750", "{line}");
    assert!(line["your_figure"]["source"].as_str().unwrap().ends_with(", row 2 (effective 2026-01-01)"), "{line}");
    for (date, name) in [("yesterday", "garbage"), ("2026-13-45", "invalid"), ("02/30/2026", "feb30")] {
        let file = sheet(&format!("date-{name}.csv"), header, &[&format!("{APIM_V2_UNIT},1 Hour,0.50,{date},USD")]);
        assert_eq!(
            refused(&["estimate", ARTICLE, "--price-sheet", &file]),
            format!(
                "error: {file}:2: effectiveStartDate \"{date}\" is not a date (YYYY-MM-DD, with or without a time, \
                 or MM/DD/YYYY)\n"
            )
        );
    }
    let file = sheet(
        "date-end.csv",
        "meterId,unitOfMeasure,unitPrice,effectiveStartDate,effectiveEndDate,currency",
        &[&format!("{APIM_V2_UNIT},1 Hour,0.50,2026-06-01,2026-01-01,USD")],
    );
    assert!(
        refused(&["estimate", ARTICLE, "--price-sheet", &file])
            .ends_with(":2: effectiveEndDate 2026-01-01 is before effectiveStartDate 2026-06-01\n")
    );
}

/// D11: `consumption` in lower case was skipped ("priced 0 line(s)"); a tier minimum of `zero`
/// skipped the row; two `meterId` columns, or `unitPrice` and `unit price`, used the first.
#[test]
fn d11_price_type_is_case_insensitive_tiers_are_numbers_headers_are_unique() {
    let lower = sheet(
        "pricetype.csv",
        "meterId,unitOfMeasure,unitPrice,priceType,currency",
        &[
            &format!("{APIM_V2_UNIT},1 Hour,0.50,consumption,USD"),
            &format!("{APIM_V2_UNIT},1 Hour,0.10,savings plan,USD"),
        ],
    );
    let v = article_with(&lower, &[]);
    assert_eq!(v["price_sheet"]["lines_priced"], 1);
    assert_eq!(gateway_unit(&v)["monthly"], "54750");
    let tier = sheet(
        "tier.csv",
        "meterId,unitOfMeasure,unitPrice,tierMinimumUnits,currency",
        &[&format!("{APIM_V2_UNIT},1 Hour,0.50,zero,USD")],
    );
    assert_eq!(
        refused(&["estimate", ARTICLE, "--price-sheet", &tier]),
        format!("error: {tier}:2: tierMinimumUnits \"zero\" is not a number\n")
    );
    let twice = sheet("two-meters.csv", "meterId,unitOfMeasure,unitPrice,Meter ID,currency", &["a,1 Hour,1,b,USD"]);
    assert_eq!(
        refused(&["estimate", ARTICLE, "--price-sheet", &twice]),
        format!("error: {twice}: columns 1 (`meterId`) and 4 (`Meter ID`) are both the meterId column; keep one\n")
    );
    let prices = sheet("two-prices.csv", "meterId,unitOfMeasure,unitPrice,unit price,currency", &["a,1 Hour,1,2,USD"]);
    assert!(
        refused(&["estimate", ARTICLE, "--price-sheet", &prices])
            .contains("columns 3 (`unitPrice`) and 4 (`unit price`) are both the unitPrice column")
    );
}

/// D13: `--discount 60 --discount 10` listed both and applied the last. Two discounts on one target
/// are an error (on the command line and in the file); one on the command line replaces the file's
/// on the same target, and the report names the one applied and what it replaced.
#[test]
fn d13_two_discounts_on_one_target_are_an_error() {
    assert_eq!(
        refused(&["estimate", "examples/small.yaml", "--discount", "60", "--discount", "10"]),
        "error: --discount 60 and --discount 10 both discount every service: give one (only one could apply)\n"
    );
    let two = scratch(
        "two-discounts.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - { name: files, type: storage, usage: { gb: 100 } }\n\
         discounts:\n  - { percent: 60 }\n  - { percent: 10, source: EA }\n",
    );
    assert_eq!(
        refused(&["estimate", &two]),
        format!(
            "error: {two}:7:5: discounts[1]: discounts[0] already discounts every service\n  help: keep one discount \
             per target: only one could apply\n"
        )
    );
    // 100 GB of Hot LRS in eastus2 at 0.0184: 1.84 USD list; 10% off: 1.656 -> 1.66.
    let one = scratch(
        "one-discount.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - { name: files, type: storage, usage: { gb: 100 } }\n\
         discounts:\n  - { percent: 60, source: EA }\n",
    );
    let o = closednet(&["estimate", &one, "--format", "json", "--discount", "10"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["discounts"],
        serde_json::json!([format!(
            "10% on every service (--discount on the command line, instead of 60% EA, from {one})"
        )])
    );
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "1.66");
}

/// D23: `--max-price-age 0` silently meant 6. Refused: at least one month.
#[test]
fn d23_max_price_age_zero_is_refused() {
    let o = closednet(&["estimate", "examples/small.yaml", "--max-price-age", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid value '0' for '--max-price-age <MONTHS>': 0 is not in 1..="),
        "{}",
        stderr(&o)
    );
    let o = closednet(&["estimate", "examples/small.yaml", "--max-price-age", "1"]);
    assert!(stdout(&o).contains("CN011"), "{}", stdout(&o));
}

// --- Issue 21 item 1: bounded resources ------------------------------------------------------

/// D2: `--price-sheet /dev/zero` was read until memory ran out, and a sheet had no size limit.
/// Devices, directories and files over 256 MiB are refused before anything is read.
#[test]
fn d2_price_sheets_are_bounded_and_regular_files() {
    assert_eq!(
        refused(&["estimate", ARTICLE, "--price-sheet", "/dev/zero"]),
        "error: the price sheet /dev/zero is not a regular file (a device, a pipe or a socket): save the sheet's \
         CSV to a file and give that\n"
    );
    assert_eq!(
        refused(&["estimate", ARTICLE, "--price-sheet", "examples"]),
        "error: the price sheet examples is a directory: give the sheet's CSV file\n"
    );
    let big = PathBuf::from(scratch("big.csv", ""));
    std::fs::File::create(&big).unwrap().set_len(256 * 1024 * 1024 + 1).unwrap(); // sparse
    let err = refused(&["estimate", ARTICLE, "--price-sheet", big.to_str().unwrap()]);
    std::fs::remove_file(&big).unwrap();
    assert!(
        err.ends_with(" is 268435457 bytes; closednet reads price sheets up to 268435456 bytes (256 MiB)\n"),
        "{err}"
    );
}

/// D20 (calls): 200,000 copies of one name in `calls:` were accepted and printed. A repeated
/// entry is an error, once per name, saying how often it is listed.
#[test]
fn d20_duplicate_calls_entries_are_reported() {
    let file = scratch(
        "calls.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - { name: fn, type: functions, calls: [docs, kv, docs, docs, kv] }\n  \
         - { name: docs, type: storage }\n  - { name: kv, type: key-vault }\n",
    );
    assert_eq!(
        refused(&["estimate", &file]),
        format!(
            "error: {file}:4:52: services[0].calls[2]: \"docs\" is listed 3 times in calls\n  help: list each \
             service it calls once\nerror: {file}:4:64: services[0].calls[4]: \"kv\" is listed 2 times in calls\n  \
             help: list each service it calls once\n"
        )
    );
}

// --- Issue 21 item 2: checked arithmetic -----------------------------------------------------

/// D3: a unit of `9999999999999999999999999999K Hours` panicked (`Multiplication overflowed`).
/// The sheet path checks the unit's count itself: an error naming the row, whatever the unit
/// parser would do.
#[test]
fn d3_a_huge_unit_in_a_price_sheet_is_an_error_naming_the_row() {
    let file = sheet(
        "unit.csv",
        "meterId,unitOfMeasure,unitPrice,currency",
        &[&format!("{APIM_V2_UNIT},9999999999999999999999999999K Hours,0.50,USD")],
    );
    assert_eq!(
        refused(&["estimate", ARTICLE, "--price-sheet", &file]),
        format!(
            "error: {file}:2: unitOfMeasure \"9999999999999999999999999999K Hours\" has a count too large to \
             compute (at most about 7.9e28); a unit is a count, K or M, and what is counted: `1 Hour`, `10K`, `100 Hours`\n"
        )
    );
}

/// D4: two API Management Premium services of 2e25 units each (each inside the documented 7.9e28
/// bound) panicked `Addition overflowed` in every format and in `check`; one of 5e22 units with
/// `--months 1200` panicked `Multiplication overflowed`. Both are errors naming what overflows. A
/// Premium unit is 3.829 USD/h in eastus2: 2e25 x 730 x 3.829 = 5.59e28 per service, two of them
/// past Decimal's 7.9e28; 5e22 x 2,795.17 = 1.398e26 a month, x 1,200 = 1.68e29.
#[test]
fn d4_totals_that_overflow_are_errors_naming_the_service() {
    let two = scratch(
        "ovf.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - {name: a, type: api-management, tier: premium, units: 2e25}\n  \
         - {name: b, type: api-management, tier: premium, units: 2e25}\n",
    );
    let expected = format!(
        "error: {two}: b / Premium unit: the RBAC-only design's monthly figures are too large to compute in USD (Decimal overflow)\n"
    );
    for format in ["table", "json", "csv", "markdown", "html"] {
        assert_eq!(refused(&["estimate", &two, "--format", format]), expected, "{format}");
    }
    let xlsx = scratch("ovf.xlsx", "");
    assert_eq!(refused(&["estimate", &two, "--format", "xlsx", "-o", &xlsx]), expected);
    assert_eq!(refused(&["check", &two]), expected);
    assert_eq!(refused(&["diff", &two, &two]), expected);
    let one = scratch(
        "ovf-one.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - {name: a, type: api-management, tier: premium, units: 5e22}\n",
    );
    let err = refused(&["estimate", &one, "--months", "1200"]);
    assert_eq!(
        err,
        format!(
            "error: {one}: the RBAC-only design's total over 1200 months is too large to compute (Decimal overflow): \
             USD 139,758,500,000,000,000,000,000,000.00 a month\n"
        )
    );
    // 5e22 x 730 x 3.829 = 139,758,500,000,000,000,000,000,000.00: fine for one month.
    let o = closednet(&["estimate", &one, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "139758500000000000000000000.00");
}

/// D14: unquoted numbers went through f64: 12345678901234567890123 GB became
/// 12345678901234568000000, and 1e-29 became 0. Now read from the scalar's text: Hot LRS in eastus2
/// is 0.0184 to 51,200 GB, 0.017664 to 512,000, then 0.016928: 942.08 + 8,138.5728 +
/// (12345678901234567890123 - 512,000) x 0.016928 = 208,987,652,440,098,765,658.52 USD. `1e-29`
/// has more places than a Decimal keeps: an error, not 0.
#[test]
fn d14_unquoted_numbers_are_exact_decimals() {
    let yaml = |gb: &str| {
        format!("version: 1\nregion: eastus2\nservices:\n  - name: s\n    type: storage\n    usage: {{gb: {gb}}}\n")
    };
    let c = catalog();
    let est = run(&c, &yaml("12345678901234567890123"));
    let line = est.rbac.services[0].lines.iter().find(|l| l.key == "storage/hot-lrs/capacity").unwrap();
    assert_eq!(line.quantity, d("12345678901234567890123"));
    let o = closednet(&["estimate", &scratch("exact.yaml", &yaml("12345678901234567890123")), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "208987652440098765658.52");
    let est = run(&c, &yaml("123456789.123456789"));
    assert_eq!(
        est.rbac.services[0].lines.iter().find(|l| l.key == "storage/hot-lrs/capacity").unwrap().quantity,
        d("123456789.123456789")
    );
    let tiny = scratch("tiny.yaml", &yaml("1e-29"));
    assert_eq!(
        refused(&["estimate", &tiny]),
        format!(
            "error: {tiny}:6:17: services[0].usage.gb: 1e-29 has more digits than closednet keeps exactly (at most 28 \
             decimal places and about 28 significant digits); it would be rounded\n"
        )
    );
    let est = run(&c, &yaml("1e-28"));
    assert_eq!(
        est.rbac.services[0].lines.iter().find(|l| l.key == "storage/hot-lrs/capacity").unwrap().quantity,
        d("0.0000000000000000000000000001")
    );
    // Quoted or not, the same number.
    assert_eq!(
        run(&c, &yaml("\"2e3\"")).rbac.services[0].lines[0].quantity,
        run(&c, &yaml("2e3")).rbac.services[0].lines[0].quantity
    );
}

// --- Issue 20 item 3: `warn` means report, don't fail ----------------------------------------

/// One Python app on Linux Consumption (y1) and Azure DevOps agents on VMs, which have no price in
/// eastus2: findings CN003 python-needs-linux (note), CN009 retiring-plan (warning) and CN008
/// no-price (warning).
const FINDINGS: &str = "version: 1
region: eastus2
closed_network:
  cicd: azure-devops
services:
  - name: fn
    type: functions
    tier: y1
    runtime: python
";

/// Each combination of where the action is given (file or command line), the action (allow, warn,
/// deny) and the failing severity (note, warning, error), for CN008: allow hides it, warn shows it
/// as a warning that never fails, deny always fails; a rule without an action fails at the
/// threshold (CN009 a warning, CN003 a note). The command line wins over the file.
#[test]
fn issue20_warn_allow_and_deny_from_the_file_and_the_command_line() {
    let c = catalog();
    for threshold in ["note", "warning", "error"] {
        for action in ["allow", "warn", "deny"] {
            let by_file = format!("{FINDINGS}policy:\n  deny: {threshold}\n  rules: {{ no-price: {action} }}\n");
            let est = run(&c, &by_file);
            let file_policy = est.architecture.policy.clone();
            let mut args = PolicyArgs {
                deny: vec![threshold.into()],
                warn: if action == "warn" { vec!["CN008".into()] } else { vec![] },
                allow: if action == "allow" { vec!["no-price".into()] } else { vec![] },
                ..PolicyArgs::default()
            };
            if action == "deny" {
                args.deny.push("CN008".into());
            }
            let cli = Policy::try_from(&args).unwrap();
            let plain = run(&c, FINDINGS);
            for (est, policy, by) in [
                (&est, closednet::gate::merge(&file_policy, &Policy::default()), "file"),
                (&plain, closednet::gate::merge(&Policy::default(), &cli), "command line"),
            ] {
                let j = closednet::gate::judge(est, None, &policy).unwrap();
                let of =
                    |rule: RuleId| j.findings.iter().find(|f| f.finding.rule == rule).map(|f| (f.severity, f.fails));
                let case = format!("{action} CN008 with deny {threshold}, from the {by}");
                let expected = match action {
                    "allow" => None,
                    "warn" => Some((Severity::Warning, false)),
                    _ => Some((Severity::Error, true)),
                };
                assert_eq!(of(RuleId::CN008), expected, "{case}");
                assert_eq!(of(RuleId::CN009), Some((Severity::Warning, threshold != "error")), "{case}");
                assert_eq!(of(RuleId::CN003), Some((Severity::Note, threshold == "note")), "{case}");
            }
        }
    }
    // The command line wins over the file, rule by rule.
    let est = run(
        &c,
        &format!("{FINDINGS}policy:\n  deny: warning\n  rules: {{ CN008: deny, CN009: warn, CN003: allow }}\n"),
    );
    let cli = Policy::try_from(&PolicyArgs {
        warn: vec!["no-price".into()],
        deny: vec!["retiring-plan".into()],
        allow: vec![],
        ..PolicyArgs::default()
    })
    .unwrap();
    let j = closednet::gate::judge(&est, None, &closednet::gate::merge(&est.architecture.policy, &cli)).unwrap();
    let of = |rule: RuleId| j.findings.iter().find(|f| f.finding.rule == rule).map(|f| (f.severity, f.fails));
    assert_eq!(of(RuleId::CN008), Some((Severity::Warning, false)));
    assert_eq!(of(RuleId::CN009), Some((Severity::Error, true)));
    assert_eq!(of(RuleId::CN003), None);
}

/// `--warn CN009 --deny warning` failed on CN009; now exit 0, CN009 printed as a warning.
#[test]
fn issue20_warn_on_the_command_line_beats_deny_warning() {
    let file = scratch(
        "warn.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - { name: fn, type: functions, tier: y1, runtime: python }\n",
    );
    let o = closednet(&["check", &file, "--warn", "CN009", "--deny", "warning"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.lines().any(|l| l.starts_with(&format!("warning CN009 [retiring-plan] {file}:4:40: "))), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    assert_eq!(
        refused(&["check", &file, "--warn", "CN009", "--deny", "retiring-plan"]),
        "error: --deny retiring-plan and --warn CN009 name the same rule (CN009): give one action per rule\n"
    );
    let both = scratch("both.yaml", &format!("{FINDINGS}policy:\n  rules: {{ CN008: warn, no-price: deny }}\n"));
    assert!(refused(&["check", &both]).contains("policy.rules.no-price: CN008 and no-price are the same rule (CN008)"));
}

/// The README's policy example (`deny: warning`, `no-price: warn`, `storage-ip-rules-same-region:
/// allow`, budgets 1.5M and 300%) on the article: no-price is printed as a warning and fails
/// nothing, CN001 is hidden; what fails is the budget the README shows (1,074,180 JPY over 300% of
/// 341,414 = 1,024,242) and the two warnings nothing demotes (CN009, CN016).
#[test]
fn issue20_the_readme_policy_example_behaves_as_written() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let example = "policy:\n  max_monthly: 1.5M\n  max_increase: 300%\n  deny: warning\n  rules: { no-price: warn, storage-ip-rules-same-region: allow }\n";
    assert!(readme.contains(example), "the README's example changed");
    let text = std::fs::read_to_string(ARTICLE).unwrap();
    let file = scratch("article-policy.yaml", &format!("{text}{example}"));
    let o = closednet(&["check", &file]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let fails: Vec<&str> = out.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(fails.len(), 3, "{out}");
    assert!(fails[0].starts_with("FAIL budget max-increase: the closed design costs JPY 1,074,180/month"), "{out}");
    assert!(fails[1].starts_with("FAIL CN009 warning [retiring-plan]"), "{out}");
    assert!(fails[2].starts_with("FAIL CN016 warning [search-replicas-sla]"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("warning CN008 [no-price]")), "{out}");
    assert!(!out.contains("CN001"), "{out}");
}

// --- Issue 20 item 4: prices that are there but hidden ----------------------------------------

/// An Application Gateway v2 always has a public IP: in both designs, 0.005 USD/h x 730 = 3.65 USD
/// in eastus2 (meter 9c150bf9-...), on top of Standard_v2's fixed 0.20 x 730 = 146.00 and one
/// capacity unit 0.008 x 730 = 5.84: 155.49. With `ddos: ip` it is counted: one public IP, 199.00.
#[test]
fn issue20_an_app_gateway_has_its_public_ip_in_both_designs() {
    let c = catalog();
    let est = run(
        &c,
        "version: 1\nregion: eastus2\nclosed_network:\n  ddos: ip\nservices:\n  - { name: agw, type: app-gateway, tier: standard-v2 }\n",
    );
    for design in [&est.rbac, &est.closed] {
        let agw = &design.services[0];
        let ip = agw.lines.iter().find(|l| l.key == "public-ip/standard/ipv4").expect("the gateway's public IP");
        assert_eq!((ip.quantity, ip.unit_price, ip.monthly), (d("730"), Some(d("0.005")), Some(d("3.650"))));
        assert_eq!(agw.totals.fixed, d("155.490"));
    }
    let ddos = est.closed.added.iter().find(|a| a.type_id == "ddos-protection").unwrap();
    assert_eq!(
        ddos.reason.as_deref(),
        Some("closed_network.ddos: DDoS IP Protection on each of the design's 1 public IP(s)")
    );
    assert_eq!(ddos.totals.fixed, d("199"));
}

/// `explain TYPE` says which OS its prices are for, and every service whose tier prices OSes
/// differently says which it was priced as and why (data for the reports: `PricedService::os`).
#[test]
fn issue20_the_os_a_service_is_priced_as_is_said() {
    use closednet::rules::{OsWhy, PricedOs};
    let o = closednet(&["explain", "app-service"]);
    assert!(stdout(&o).ends_with(
        "Prices are for Windows on the tiers that run it, as for a service without `os:`; `os: linux` prices Linux.\n"
    ));
    assert!(!stdout(&closednet(&["explain", "storage"])).contains("Prices are for"));
    let c = catalog();
    let est = run(
        &c,
        "version: 1\nregion: eastus2\nservices:\n  - { name: web, type: app-service, tier: p1v3 }\n  \
         - { name: lin, type: app-service, tier: p1v3, os: linux }\n  - { name: py, type: app-service, tier: p1v3, runtime: python }\n  \
         - { name: files, type: storage }\n",
    );
    let os: Vec<Option<PricedOs>> = est.rbac.services.iter().map(|s| s.os.clone()).collect();
    assert_eq!(
        os,
        [
            Some(PricedOs { os: "windows", why: OsWhy::Default }),
            Some(PricedOs { os: "linux", why: OsWhy::Declared }),
            Some(PricedOs { os: "linux", why: OsWhy::Python }),
            None,
        ]
    );
    assert_eq!(
        os[0].as_ref().unwrap().describe(),
        "Windows, closednet's default for a service without `os:` (add `os: linux` for the Linux prices)"
    );
    assert_eq!(est.closed.services[2].os, os[2]);
}

// --- Issue 20 item 5: the newcomer's path ------------------------------------------------------

/// Every page `closednet man` names (`closednet-pricing-fetch(1)`) is one it can produce, down the
/// whole tree, and no page names `help`.
#[test]
fn issue20_man_names_only_pages_it_can_produce() {
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = 0;
    while let Some(path) = pending.pop() {
        let mut args = vec!["man".to_string()];
        args.extend(path.iter().cloned());
        let o = closednet(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let page = stdout(&o);
        let title = std::iter::once("closednet".to_string()).chain(path.iter().cloned()).collect::<Vec<_>>().join("-");
        assert!(page.contains(&format!(".TH {title} 1")), "{args:?}: {page}");
        seen += 1;
        for line in page.lines() {
            let Some(name) = line.strip_prefix(&format!("{}\\-", title.replace('-', "\\-"))) else { continue };
            let Some(sub) = name.strip_suffix("(1)") else { continue };
            assert_ne!(sub, "help", "{args:?} names a help page");
            let mut next = path.clone();
            next.push(sub.to_string());
            pending.push(next);
        }
    }
    // closednet, its 14 commands, import's 2, pricing's 3.
    assert_eq!(seen, 20);
    assert!(stdout(&closednet(&["man"])).contains("closednet man COMMAND [SUBCOMMAND]"));
    assert_eq!(
        refused(&["man", "pricing", "fetsh"]),
        "error: `closednet pricing` has no command \"fetsh\"; its commands: import, fetch, checksums\n"
    );
}

/// Tabs in the indentation: the parser pointed at the scalar before the tab (line 4 for a tab on
/// line 5); now the tab's line and "indent with spaces". A directory given as the file says so.
#[test]
fn issue20_tabs_and_directories_get_clear_errors() {
    let file = scratch("tabs.yaml", "version: 1\nregion: eastus2\nservices:\n  - name: a\n\ttype: storage\n");
    assert_eq!(
        refused(&["estimate", &file]),
        format!(
            "error: {file}:5:1: services[0]: a tab in the indentation: YAML indents with spaces only\n  help: indent \
             with spaces: replace the tabs, keeping each key aligned with the keys of its mapping\n"
        )
    );
    let file = scratch("tabs-list.yaml", "version: 1\nregion: eastus2\nservices:\n\t- name: a\n\t  type: storage\n");
    assert!(refused(&["estimate", &file]).starts_with(&format!("error: {file}:4:1: a tab in the indentation")));
    assert_eq!(
        refused(&["estimate", "examples"]),
        "error: examples is a directory, not a file: give the file itself (an architecture file, a plan or a template)\n"
    );
}

/// The README installs the binary before it uses a bare `closednet`, and its command table names
/// every command and every flag the parser has.
#[test]
fn issue20_the_readme_installs_first_and_lists_every_command_and_flag() {
    use clap::CommandFactory;
    let readme = std::fs::read_to_string("README.md").unwrap();
    let install = readme.find("cargo install --path .").expect("the README says how to install");
    // The first command a reader would type: a code line or inline code starting `closednet `.
    let (mut offset, mut fenced, mut bare) = (0, false, None);
    for line in readme.split_inclusive('\n') {
        fenced ^= line.starts_with("```");
        let at = if fenced && line.starts_with("closednet ") { Some(0) } else { line.find("`closednet ") };
        if let Some(at) = at.filter(|_| bare.is_none()) {
            bare = Some(offset + at);
        }
        offset += line.len();
    }
    assert!(install < bare.unwrap(), "a bare `closednet` comes before `cargo install --path .`");
    let table = &readme[readme.find("| command | what it does |").unwrap()..];
    let table = &table[..table.find("\n\n").unwrap()];
    let mut missing = Vec::new();
    fn walk(cmd: &clap::Command, path: &str, table: &str, missing: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let path = format!("{path} {}", sub.get_name());
            // A row is the command's when its first cell names it (`closednet check FILE ...`, or
            // several commands sharing flags: `closednet estimate`, `closednet check`, ...).
            let named = |cell: &str| cell.contains(&format!("`{path} ")) || cell.contains(&format!("`{path}`"));
            let rows: Vec<&str> = table.lines().filter(|l| named(l.split(" | ").next().unwrap_or_default())).collect();
            if rows.is_empty() {
                missing.push(path.clone());
            }
            for arg in sub.get_arguments().filter_map(|a| a.get_long()).filter(|l| !["help", "version"].contains(l)) {
                if !rows.iter().any(|r| r.contains(&format!("--{arg}"))) {
                    missing.push(format!("{path} --{arg}"));
                }
            }
            walk(sub, &path, table, missing);
        }
    }
    walk(&closednet::cli::Cli::command(), "closednet", table, &mut missing);
    assert!(missing.is_empty(), "the README's command table lacks: {missing:?}");
}
