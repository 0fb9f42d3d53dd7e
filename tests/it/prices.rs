//! Prices the user controls (issue 12): `prices:` in the architecture file, with hand-checked
//! figures. List prices quoted in the comments are the Retail Prices API items in
//! `pricing/2026-08/prices/` (eastus2).

use super::support::{catalog, d, run};
use closednet::calculator::Source;
use closednet::catalog::Catalog;
use closednet::error::Error;
use closednet::pipeline::{self, Overrides};
use closednet::registry::RuleId;
use std::process::Command;

fn errors(catalog: &Catalog, yaml: &str) -> String {
    match pipeline::run("test.yaml", yaml, catalog, &Overrides::default()) {
        Ok(_) => panic!("expected an error"),
        Err(Error::Input(diags)) => diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"),
        Err(e) => e.to_string(),
    }
}

fn closednet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap()
}

fn scratch(name: &str, text: &str) -> String {
    let p = crate::support::tmp().join(format!("prices-{name}"));
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// Two build agents (the saved pages have no VM price in eastus2) and an App Service plan.
const AGENTS: &str = "
version: 1
name: Build agents
region: eastus2
closed_network:
  cicd: azure-devops
  build_agents: 2
services:
  - name: web
    type: app-service
    tier: p1v3
";

fn with_prices(prices: &str) -> String {
    format!("{AGENTS}prices:\n{prices}")
}

#[test]
fn build_agents_with_your_vm_price_make_a_complete_total() {
    let c = catalog();
    // Without a price the VMs are "no price" and the closed total is incomplete.
    let before = run(&c, AGENTS);
    assert_eq!(before.closed.totals().unwrap().unpriced, 1);

    let yaml = with_prices(
        "  - { type: virtual-machine, tier: d2s-v5, price: 0.096, source: \"EA price sheet 2026-11\" }\n  \
         - { type: virtual-machine, price: 1, source: \"everything else\" }\n",
    );
    let est = run(&c, &yaml);
    let t = est.closed.totals().unwrap();
    assert_eq!(t.unpriced, 0);
    let agents = est.closed.added.iter().find(|a| a.name == "build agents").unwrap();
    // The tier entry beats the type entry: 0.096 USD/h x 730 h x 2 agents = 140.16.
    assert_eq!(agents.totals.fixed, d("140.16"));
    let line = &agents.lines[0];
    assert_eq!(line.quantity, d("1460"));
    assert_eq!(line.unit_price, Some(d("0.096")));
    assert_eq!(line.source, Source::Yours { source: "EA price sheet 2026-11".into(), list: None });
    // No CN008 any more: nothing is without a price.
    assert!(est.findings.iter().all(|f| f.rule != RuleId::CN008));
    // Closed: web 0.315 x 730 = 229.95; private endpoint 7.30; DNS zone 0.50; agents 140.16;
    // parallel jobs: 2 agents, the first free, 15.00. 229.95 + 7.30 + 0.50 + 140.16 + 15.00 = 392.91.
    assert_eq!(t.total(), d("392.91"));

    let out = closednet(&["estimate", &scratch("agents.yaml", &yaml)]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("| Total / month      229.95           392.91 |"), "{text}");
    assert!(!text.contains(" *"), "no incomplete total: {text}");
    assert!(
        text.contains("- build agents / Standard_D2s_v5 Linux: your figure: EA price sheet 2026-11 (no list price)"),
        "{text}"
    );
}

#[test]
fn a_service_price_beats_a_type_price_and_shows_the_list_price() {
    let c = catalog();
    let yaml = with_prices(
        "  - { type: app-service, price: 1, source: \"type\" }\n  \
         - { type: app-service, tier: p1v3, component: instance-windows, price: 0.25, source: \"tier\" }\n  \
         - { type: app-service, service: web, price: 0.2, unit: 1 Hour, source: \"MCA 2026\" }\n",
    );
    let est = run(&c, &yaml);
    for design in [&est.rbac, &est.closed] {
        let web = &design.services[0];
        // 0.2 x 730 = 146.00, in both designs.
        assert_eq!(web.totals.fixed, d("146.00"));
        match &web.lines[0].source {
            Source::Yours { source, list: Some(list) } => {
                assert_eq!(source, "MCA 2026");
                // The list price it replaced: 0.315 x 730 = 229.95 (meter 953b4a88-...).
                assert_eq!(list.monthly, d("229.950"));
                assert!(matches!(list.source, Source::Meter { meter_id: "953b4a88-c50e-5d95-b702-08740ee283f0", .. }));
            }
            other => panic!("{other:?}"),
        }
    }

    // Every format shows both figures.
    let file = scratch("web.yaml", &yaml);
    let json = closednet(&["estimate", &file, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let line = &v["designs"]["closed"]["services"][0]["lines"][0];
    assert_eq!(line["monthly"], "146.00");
    assert_eq!(line["your_figure"]["source"], "MCA 2026");
    assert_eq!(line["your_figure"]["list_monthly"], "229.95");
    assert_eq!(line["your_figure"]["list_unit_price"], "0.315");
    let csv = String::from_utf8(closednet(&["estimate", &file, "--format", "csv"]).stdout).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let rec = r.records().next().unwrap().unwrap();
    assert_eq!((d(&rec[13]), d(&rec[19])), (d("146.00"), d("229.95")));
    assert!(
        rec[17].starts_with("your figure: MCA 2026 (list price USD 229.95/month: Retail Prices API meter 953b4a88")
    );
    for format in ["table", "markdown", "html"] {
        let out = String::from_utf8(closednet(&["estimate", &file, "--format", format]).stdout).unwrap();
        assert!(out.contains("your figure: MCA 2026 (list price USD 229.95/month"), "{format}: {out}");
    }
}

#[test]
fn a_price_in_the_report_currency_is_converted_and_discounts_do_not_stack() {
    let c = catalog();
    let yaml = format!(
        "{AGENTS}currency: JPY\nfx: {{ JPY: 150 }}\ndiscounts:\n  - {{ percent: 10 }}\nprices:\n  \
         - {{ type: virtual-machine, price: 14.4, currency: JPY, source: \"EA 2026, yen\" }}\n"
    );
    let est = run(&c, &yaml);
    let agents = est.closed.added.iter().find(|a| a.name == "build agents").unwrap();
    // 14.4 JPY / 150 = 0.096 USD/h; x 1,460 h = 140.16 USD; no discount on your own figure.
    assert_eq!(agents.lines[0].unit_price, Some(d("0.096")));
    assert_eq!(agents.totals.fixed, d("140.16"));
    assert_eq!(agents.lines[0].discount, None);
    // The list-priced web plan still takes the 10%: 229.95 x 0.9 = 206.955.
    assert_eq!(est.closed.services[0].totals.fixed, d("206.955"));

    // A third currency is an error at the entry.
    let bad = format!(
        "{AGENTS}currency: JPY\nfx: {{ JPY: 150 }}\nprices:\n  - {{ type: virtual-machine, price: 1, currency: EUR, source: x }}\n"
    );
    let e = errors(&c, &bad);
    assert!(e.contains("prices[0].currency: a price in EUR, but the report currency is JPY"), "{e}");
    // `--currency` changes the report currency after the file was read: checked again.
    let yen = format!(
        "{AGENTS}fx: {{ JPY: 150 }}\nprices:\n  - {{ type: virtual-machine, price: 1, currency: JPY, source: x }}\n"
    );
    let o = Overrides { currency: Some("USD".into()), ..Overrides::default() };
    match pipeline::run("test.yaml", &yen, &c, &o) {
        Err(e) => assert!(e.to_string().contains("prices[0]"), "{e}"),
        Ok(_) => panic!("a JPY price in a USD report"),
    }
}

#[test]
fn price_entries_are_validated_like_every_other_key() {
    let c = catalog();
    let e = errors(
        &c,
        &with_prices(
            "  - { type: virtual-machin, price: 1, source: x }\n  \
             - { type: virtual-machine, tier: d2s-v9, price: 1, source: x }\n  \
             - { type: virtual-machine, tier: d2s-v5, component: linx, price: 1, source: x }\n  \
             - { type: virtual-machine, price: 1, unit: 1 Month, source: x }\n  \
             - { type: virtual-machine, price: 1, source: \" \" }\n  \
             - { type: virtual-machine, price: 1, currency: dollars, source: x }\n  \
             - { type: storage, service: web, price: 1, source: x }\n",
        ),
    );
    for expected in [
        "prices[0].type: unknown service type \"virtual-machin\"\n  help: did you mean \"virtual-machine\"?",
        "prices[1].tier: unknown virtual-machine tier \"d2s-v9\"\n  help: did you mean \"d2s-v5\"?",
        "prices[2].component: virtual-machine d2s-v5 has no component \"linx\"\n  help: did you mean \"linux\"?",
        "prices[3].unit: the unit \"1 Month\" is not the component's unit\n  help: the entry prices components in: 1 Hour",
        "prices[4].source: a price needs a `source`",
        "prices[5].currency: \"dollars\" is not an ISO 4217 currency code",
        "prices[6].service: service \"web\" has type app-service, not storage",
    ] {
        assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
    }
    // Located: file, line and column of the entry's value.
    assert!(e.contains("error: test.yaml:13:"), "{e}");
    // A negative price is refused when the file is read.
    let e = errors(&c, &with_prices("  - { type: virtual-machine, price: -1, source: x }\n"));
    assert!(e.contains("prices[0].price: -1 is negative; quantities must be zero or more"), "{e}");
    // `source` is required.
    let e = errors(&c, &with_prices("  - { type: virtual-machine, price: 1 }\n"));
    assert!(e.contains("missing field `source`"), "{e}");
    // A `service` may name an added resource; an unknown one is an error with a suggestion.
    let ok = run(&c, &with_prices("  - { type: virtual-machine, service: build agents, price: 0.1, source: x }\n"));
    assert_eq!(ok.closed.totals().unwrap().unpriced, 0);
    let e = errors(&c, &with_prices("  - { type: virtual-machine, service: build agent, price: 0.1, source: x }\n"));
    assert!(
        e.contains("prices[0].service: no service or added resource named \"build agent\"\n  help: did you mean \"build agents\"?"),
        "{e}"
    );
    // Two entries for the same lines.
    let e = errors(
        &c,
        &with_prices(
            "  - { type: virtual-machine, price: 0.1, source: x }\n  - { type: virtual-machine, price: 0.2, source: y }\n",
        ),
    );
    assert!(e.contains("prices[1]: prices[0] already prices the same lines"), "{e}");
}

#[test]
fn the_workbook_has_an_input_cell_for_a_line_without_a_price() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let file = scratch("input.yaml", AGENTS);
    let out = crate::support::tmp().join("prices-input.xlsx");
    let o = closednet(&["estimate", &file, "--format", "xlsx", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(std::fs::read(&out).unwrap())).unwrap();
    let range = wb.worksheet_range("Closed network").unwrap();
    let formulas = wb.worksheet_formula("Closed network").unwrap();
    let rows: Vec<_> = range.rows().collect();
    let row = rows.iter().position(|r| r[3] == Data::String("Standard_D2s_v5 Linux".into())).unwrap();
    let r = row + 1;
    // 2 agents x 730 h in the meter's unit (1 Hour); the unit price cell is empty, for finance to fill.
    assert_eq!(rows[row][5], Data::Float(1460.0));
    assert_eq!(rows[row][6], Data::String("1 Hour".into()));
    assert!(matches!(rows[row][7], Data::Empty), "{:?}", rows[row][7]);
    // The monthly cell is a live formula over the input cell; until a price is typed in it is 0.
    let f = formulas.get_value((row as u32, 9)).unwrap().clone();
    assert_eq!(f, format!("ROUND(F{r}*H{r}*FX_RATE*(1-I{r}/100),2)"));
    assert_eq!(rows[row][9], Data::Float(0.0));
    // Typing 0.096 USD/h: 1,460 h x 0.096 = 140.16 USD (FX_RATE 1 in a USD report); with a 10%
    // discount in column I: 140.16 x 0.9 = 126.144 -> 126.14.
    assert_eq!(crate::finance::eval_priced(&f, 1460.0, 0.096, 0.0, 1.0), 140.16);
    assert_eq!(crate::finance::eval_priced(&f, 1460.0, 0.096, 10.0, 1.0), 126.14);
    // The fixed total of the sheet sums column J, so the figure flows into every total.
    let total = formulas.cells().find(|(_, _, v)| v.starts_with("SUMIF(E2:E")).map(|(_, _, v)| v.clone()).unwrap();
    assert!(
        total.contains(&format!("J2:J{}", rows.iter().filter(|r| !matches!(r[0], Data::Empty)).count())),
        "{total}"
    );
}

/// Functions Elastic Premium EP1 in eastus2, one instance (saved page eastus2/functions.json,
/// product "Premium Functions", sku "Premium"):
/// - vCPU Duration, meter 4c3f1c09-11cc-44b2-b5a6-4f8b1770b353: 0.16 USD/h; savingsPlan 1 Year and
///   3 Years both 0.1328;
/// - Memory Duration, meter 289b982a-33f5-4bae-b62f-50d76c5cf954: 0.0114 USD/GiB-h; savingsPlan 1
///   Year and 3 Years both 0.009462.
///
/// Pay-as-you-go: 0.16 x 730 = 116.80 and 0.0114 x 3.5 x 730 = 29.127 -> 29.13: 145.93.
/// 3-year plan: 0.1328 x 730 = 96.944 -> 96.94 and 0.009462 x 3.5 x 730 = 24.17541 -> 24.18:
/// 121.12, 24.81 less a month (145.93 - 121.12).
const EP1: &str = "
version: 1
name: EP1
region: eastus2
services:
  - name: fn
    type: functions
    tier: ep1
    runtime: python
  - name: web
    type: app-service
    tier: p1v3
";

#[test]
fn a_savings_plan_prices_the_lines_whose_meters_have_the_rate() {
    let c = catalog();
    // The importer kept the rates next to the pay-as-you-go price.
    let snapshot = c.snapshot("2026-08").unwrap();
    let vcpu = snapshot.price("functions/ep1/vcpu", "eastus2").unwrap();
    assert_eq!((vcpu.savings_1y, vcpu.savings_3y), (Some(d("0.1328")), Some(d("0.1328"))));
    // The rates carry no date: the 2023-12 snapshot (imported as of 2023-12-01 from the same pages)
    // has the pay-as-you-go price of 2019-11-11 but no savings plan rates.
    let old = c.snapshot("2023-12").unwrap().price("functions/ep1/vcpu", "eastus2").unwrap();
    assert_eq!((old.buckets[0].price, old.savings_1y, old.savings_3y), (d("0.16"), None, None));

    let payg = run(&c, EP1);
    assert_eq!(payg.closed.services[0].totals.fixed, d("145.927"));
    let o = Overrides { commitment: closednet::calculator::Commitment::Savings3y, ..Overrides::default() };
    let est = match pipeline::run("test.yaml", EP1, &c, &o) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    let f = &est.closed.services[0];
    // 96.944 + 24.17541 = 121.11941 unrounded.
    assert_eq!(f.totals.fixed, d("121.11941"));
    assert!(f.lines.iter().all(|l| l.commitment == Some(closednet::calculator::Commitment::Savings3y)));
    // The private endpoint has no savings plan: pay-as-you-go.
    assert!(est.closed.added.iter().flat_map(|a| &a.lines).all(|l| l.commitment.is_none()));

    let file = scratch("ep1.yaml", EP1);
    let out = closednet(&["estimate", &file, "--commitment", "savings-3y"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("| fn                    functions          ep1              121.12 "), "{text}");
    assert!(text.contains("Commitment: 3-year savings plan rates on 6 fixed line(s)"), "{text}");
    assert!(text.contains("closed: fn / EP1 memory (3.5 GiB per instance)"), "{text}");

    // JSON: PAYG, 1-year and 3-year figures of each such line. App Service P1v3 Windows, meter
    // 953b4a88-c50e-5d95-b702-08740ee283f0: 0.315 x 730 = 229.95; 1 Year 0.276255 x 730 = 201.66615
    // -> 201.67; 3 Years 0.245259 x 730 = 179.03907 -> 179.04.
    let json = closednet(&["estimate", &file, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let web = &v["designs"]["closed"]["services"][1]["lines"][0];
    assert_eq!(web["savings_plan"]["payg_monthly"], "229.95");
    assert_eq!(web["savings_plan"]["savings_1y_monthly"], "201.67");
    assert_eq!(web["savings_plan"]["savings_3y_monthly"], "179.04");
    assert_eq!(web["commitment"], serde_json::Value::Null);
    assert_eq!(v["commitment"]["term"], "payg");
    let json = closednet(&["estimate", &file, "--format", "json", "--commitment", "savings-1y"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let web = &v["designs"]["closed"]["services"][1]["lines"][0];
    assert_eq!((&web["monthly"], &web["commitment"]), (&"201.67".into(), &"savings-1y".into()));
    assert_eq!(v["commitment"]["lines"].as_array().unwrap().len(), 6);

    // CSV and worksheet carry the three figures; the workbook too (columns O to Q).
    let csv = String::from_utf8(closednet(&["estimate", &file, "--format", "csv"]).stdout).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let rec = r.records().map(Result::unwrap).find(|r| &r[1] == "web").unwrap();
    assert_eq!((&rec[21], &rec[22], &rec[23]), ("229.95", "201.67", "179.04"));
    let md = String::from_utf8(closednet(&["estimate", &file, "--format", "markdown"]).stdout).unwrap();
    assert!(
        md.contains("| Closed | web | P1 v3 Windows instance | 229.95 | 201.67 | 179.04 | pay-as-you-go |"),
        "{md}"
    );

    // check and diff take the flag: the 3-year plan brings the closed design under 335.
    // Closed at 3 years: fn 121.12 + web 179.04 + 4 private endpoints (fn, its host storage's blob and
    // file, web) 29.20 + 3 DNS zones 1.50 = 330.86; pay-as-you-go 145.93 + 229.95 + 29.20 + 1.50 = 406.58.
    let o = closednet(&["check", &file, "--max-monthly", "335", "--commitment", "savings-3y"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let o = closednet(&["check", &file, "--max-monthly", "335"]);
    assert_eq!(o.status.code(), Some(1));
    let o = closednet(&["diff", &file, &file, "--commitment", "savings-3y"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `tests/fixtures/price-sheet.csv` against the EP1 + P1v3 design in eastus2 (snapshot as of
/// 2026-08-15): P1v3 Windows (953b4a88-...) is 0.25 USD/h in the row in force then (the 0.30 row
/// ended 2025-12-31; the savings plan row is not a pay-as-you-go price): 0.25 x 730 = 182.50
/// (list 229.95). EP1 vCPU (4c3f1c09-...) is 1.2 USD per 10 Hours = 0.12/h: 0.12 x 730 = 87.60
/// (list 116.80). EP1 memory is not in the sheet: list, 29.127. RBAC-only total 182.50 + 87.60 +
/// 29.13 = 299.23. Two lines in each design: 4.
#[test]
fn a_price_sheet_prices_the_meters_it_lists() {
    let file = scratch("sheet.yaml", EP1);
    let sheet = "tests/fixtures/price-sheet.csv";
    let json = closednet(&["estimate", &file, "--format", "json", "--price-sheet", sheet]);
    assert_eq!(json.status.code(), Some(0), "{}", String::from_utf8_lossy(&json.stderr));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["price_sheet"]["lines_priced"], 4);
    assert_eq!(v["price_sheet"]["date"], "2026-08-15");
    let rbac = &v["designs"]["rbac"];
    assert_eq!(rbac["total_monthly"], "299.23");
    let web = &rbac["services"][1]["lines"][0];
    assert_eq!(web["monthly"], "182.50");
    assert_eq!(web["your_figure"]["list_monthly"], "229.95");
    assert!(
        web["your_figure"]["source"].as_str().unwrap().starts_with("price sheet tests/fixtures/price-sheet.csv, row 3")
    );
    let vcpu = &rbac["services"][0]["lines"][0];
    assert_eq!((&vcpu["monthly"], &vcpu["unit_price"]), (&"87.60".into(), &"0.12".into()));
    assert_eq!(rbac["services"][0]["lines"][1]["monthly"], "29.13");
    let text = String::from_utf8(closednet(&["estimate", &file, "--price-sheet", sheet]).stdout).unwrap();
    assert!(
        text.contains("Price sheet tests/fixtures/price-sheet.csv (rows in force on 2026-08-15) priced 4 line(s)"),
        "{text}"
    );

    // The file's own `prices:` win over the sheet; the list price stays the catalog's.
    let own =
        scratch("sheet-own.yaml", &format!("{EP1}prices:\n  - {{ type: app-service, price: 0.2, source: MCA }}\n"));
    let v: serde_json::Value =
        serde_json::from_slice(&closednet(&["estimate", &own, "--format", "json", "--price-sheet", sheet]).stdout)
            .unwrap();
    let web = &v["designs"]["rbac"]["services"][1]["lines"][0];
    assert_eq!((&web["monthly"], &web["your_figure"]["list_monthly"]), (&"146.00".into(), &"229.95".into()));

    // A row in a third currency, or in a unit that does not convert, is an error naming the row.
    let yen = scratch(
        "yen.csv",
        "meterId,unitOfMeasure,unitPrice,currency\n953b4a88-c50e-5d95-b702-08740ee283f0,1 Hour,40,JPY\n",
    );
    let o = closednet(&["estimate", &file, "--price-sheet", &yen]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(":2: a price in JPY but the report is in USD"));
    let gb = scratch(
        "gb.csv",
        "Meter ID,Unit of Measure,Unit Price,Currency Code\n953b4a88-c50e-5d95-b702-08740ee283f0,1 GB,1,USD\n",
    );
    let o = closednet(&["estimate", &file, "--price-sheet", &gb]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("priced per \"1 GB\" in the sheet but per \"1 Hour\""));
    let none = scratch("none.csv", "meterId,unitPrice\n");
    let o = closednet(&["estimate", &file, "--price-sheet", &none]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("the price sheet has no `unitOfMeasure` column"));
}

/// `--choose-on negotiated`: API Management Standard calling a private App Service must move up
/// (no VNet integration). At list prices in eastus2 Standard v2 wins (700.00 a month; Premium
/// 3.829 x 730 = 2,795.17). The fixture sheet prices the Premium unit (15ebd8a7-...) at 0.10 USD/h:
/// 0.10 x 730 = 73.00, so on negotiated prices Premium wins, 700.00 - 73.00 = 627.00 cheaper.
#[test]
fn tiers_can_be_chosen_on_the_price_sheet() {
    let yaml = "
version: 1
name: APIM
region: eastus2
services:
  - name: gateway
    type: api-management
    tier: standard
    calls: [web]
  - name: web
    type: app-service
    tier: p1v3
";
    let file = scratch("choose.yaml", yaml);
    let sheet = "tests/fixtures/price-sheet.csv";
    let list = String::from_utf8(closednet(&["estimate", &file, "--price-sheet", sheet]).stdout).unwrap();
    assert!(list.contains("- gateway: api-management standard -> standard-v2 [CN102]"), "{list}");
    let o = closednet(&["estimate", &file, "--price-sheet", sheet, "--choose-on", "negotiated"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("- gateway: api-management standard -> premium [CN102]"), "{text}");
    assert!(text.contains("not standard-v2: meets the needs but costs USD 627.00/month more than premium"), "{text}");
    assert!(text.contains("premium (was standard)    73.00"), "{text}");
    assert!(text.contains("the closed design chose its tiers on the sheet's prices"), "{text}");
    // Without a sheet there is nothing to choose on.
    let o = closednet(&["estimate", &file, "--choose-on", "negotiated"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--choose-on negotiated needs --price-sheet FILE.csv"));
}

/// Lines at your figure or at a savings plan rate keep a live formula that reproduces their value:
/// App Service P1v3 at 0.2 USD/h (0.2 x 730 = 146.00) and Functions EP1 at the 3-year rate
/// (0.1328 x 730 = 96.944 -> 96.94; 0.009462 x 2,555 GiB-h = 24.17541 -> 24.18).
#[test]
fn workbook_formulas_follow_your_figures_and_savings_plans() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let yaml = format!("{EP1}prices:\n  - {{ type: app-service, service: web, price: 0.2, source: MCA }}\n");
    let file = scratch("wb.yaml", &yaml);
    let out = crate::support::tmp().join("prices-wb.xlsx");
    let args = ["estimate", &file, "--commitment", "savings-3y", "--format", "xlsx", "--output", out.to_str().unwrap()];
    let o = closednet(&args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(std::fs::read(&out).unwrap())).unwrap();
    let range = wb.worksheet_range("Closed network").unwrap();
    let formulas = wb.worksheet_formula("Closed network").unwrap();
    let rows: Vec<_> = range.rows().collect();
    let value = |name: &str| {
        let r = rows.iter().position(|r| r[3] == Data::String(name.into())).unwrap();
        let f = formulas.get_value((r as u32, 9)).unwrap().clone();
        let Data::Float(q) = rows[r][5] else { panic!("quantity of {name}") };
        (rows[r][9].clone(), crate::finance::eval_priced(&f, q, 0.0, 0.0, 1.0), rows[r][16].clone())
    };
    assert_eq!(value("P1 v3 Windows instance").0, Data::Float(146.0));
    assert_eq!(value("P1 v3 Windows instance").1, 146.0);
    let (cached, evaluated, three_years) = value("EP1 vCPU (1 per instance, at least one instance always billed)");
    assert_eq!((cached, evaluated, three_years), (Data::Float(96.94), 96.94, Data::Float(96.94)));
    assert_eq!(value("EP1 memory (3.5 GiB per instance)").1, 24.18);
}
