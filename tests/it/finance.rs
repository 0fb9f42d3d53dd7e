//! Finance formats on the examples: the workbook read back (sheets, formulas that recompute, values),
//! CSV, the Markdown worksheet, the HTML page's content, discounts and planning months.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::io::Cursor;
use std::process::Command;

fn closednet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap()
}

fn stdout(args: &[&str]) -> String {
    let o = closednet(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn scratch(name: &str) -> std::path::PathBuf {
    crate::support::tmp().join(format!("finance-{name}"))
}

/// A tiny evaluator for the formulas the workbook writes on line rows: numbers, `F`/`H`/`I` cells
/// of the same row, FX_RATE, + - * /, parentheses, MAX, MIN, ROUND.
struct Eval<'a> {
    s: &'a [u8],
    i: usize,
    q: f64,
    /// The unit price typed into an input cell (a line without a price).
    price: f64,
    discount: f64,
    fx: f64,
}

impl Eval<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn expr(&mut self) -> f64 {
        let mut v = self.term();
        while let Some(c @ (b'+' | b'-')) = self.peek() {
            self.i += 1;
            let t = self.term();
            v = if c == b'+' { v + t } else { v - t };
        }
        v
    }
    fn term(&mut self) -> f64 {
        let mut v = self.atom();
        while let Some(c @ (b'*' | b'/')) = self.peek() {
            self.i += 1;
            let a = self.atom();
            v = if c == b'*' { v * a } else { v / a };
        }
        v
    }
    fn args(&mut self) -> Vec<f64> {
        assert_eq!(self.peek(), Some(b'('));
        self.i += 1;
        let mut out = vec![self.expr()];
        while self.peek() == Some(b',') {
            self.i += 1;
            out.push(self.expr());
        }
        assert_eq!(self.peek(), Some(b')'));
        self.i += 1;
        out
    }
    fn atom(&mut self) -> f64 {
        let rest = std::str::from_utf8(&self.s[self.i..]).unwrap();
        if rest.starts_with('(') {
            self.i += 1;
            let v = self.expr();
            self.i += 1;
            return v;
        }
        for (name, f) in [("MAX", 0), ("MIN", 1), ("ROUND", 2)] {
            if rest.starts_with(name) {
                self.i += name.len();
                let a = self.args();
                return match f {
                    0 => a[0].max(a[1]),
                    1 => a[0].min(a[1]),
                    _ => {
                        let p = 10f64.powi(a[1] as i32);
                        (a[0] * p).round() / p
                    }
                };
            }
        }
        if rest.starts_with("FX_RATE") {
            self.i += 7;
            return self.fx;
        }
        if let Some(c @ (b'F' | b'H' | b'I')) = self.peek() {
            self.i += 1;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
            return match c {
                b'F' => self.q,
                b'H' => self.price,
                _ => self.discount,
            };
        }
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.') {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i]).unwrap().parse().unwrap()
    }
}

fn eval(formula: &str, q: f64, discount: f64, fx: f64) -> f64 {
    eval_priced(formula, q, 0.0, discount, fx)
}

/// [`eval`] with a unit price typed into the row's input cell (column H).
pub(crate) fn eval_priced(formula: &str, q: f64, price: f64, discount: f64, fx: f64) -> f64 {
    let f = formula.trim_start_matches('=');
    Eval { s: f.as_bytes(), i: 0, q, price, discount, fx }.expr()
}

fn workbook(file: &str, extra: &[&str]) -> Xlsx<Cursor<Vec<u8>>> {
    let out = scratch(&format!("{}.xlsx", extra.len()));
    let o = out.to_str().unwrap();
    let mut args = vec!["estimate", file, "--format", "xlsx", "--output", o];
    args.extend_from_slice(extra);
    stdout(&args);
    open_workbook_from_rs(Cursor::new(std::fs::read(&out).unwrap())).unwrap()
}

#[test]
fn the_workbook_has_live_formulas_that_recompute() {
    let mut wb = workbook("examples/article.yaml", &[]);
    assert_eq!(
        wb.sheet_names(),
        ["Summary", "RBAC-only", "Closed network", "By requirement", "Decisions", "Findings", "Assumptions & sources"]
    );
    let closed = wb.worksheet_range("Closed network").unwrap();
    let formulas = wb.worksheet_formula("Closed network").unwrap();
    let rows: Vec<_> = closed.rows().collect();
    let row = rows.iter().position(|r| r[3] == Data::String("Standard v2 unit".into())).unwrap();
    // Quantity and unit price are numbers, the monthly cost a formula with the report's value cached.
    assert_eq!(rows[row][5], Data::Float(730.0));
    assert_eq!(rows[row][7], Data::Float(0.9589));
    assert_eq!(rows[row][9], Data::Float(105000.0));
    let f = formulas.get_value((row as u32, 9)).unwrap().clone();
    assert_eq!(f, format!("ROUND((F{r}*0.9589)*FX_RATE*(1-I{r}/100),0)", r = row + 1));
    // The formula recomputes from the quantity: 730 h -> 105,000 JPY; 1,460 h (2 units) -> 209,999.
    assert_eq!(eval(&f, 730.0, 0.0, 150.0), 105000.0);
    assert_eq!(eval(&f, 1460.0, 0.0, 150.0), 209999.0);
    // A tiered meter keeps its buckets: Flex executions, 175,000 billable units of 10 after 25,000 free.
    let row =
        rows.iter().position(|r| r[3] == Data::String("On-demand executions (first 250,000 free)".into())).unwrap();
    let f = formulas.get_value((row as u32, 9)).unwrap().clone();
    assert_eq!(eval(&f, 200000.0, 0.0, 150.0), 105.0); // 175,000 x 0.000004 = 0.70 USD
    assert_eq!(eval(&f, 20000.0, 0.0, 150.0), 0.0); // inside the free grant
    // Every priced line's formula reproduces its cached value.
    for (r, row) in rows.iter().enumerate().skip(1) {
        if let (Data::Float(q), Data::Float(v)) = (&row[5], &row[9]) {
            let f = formulas.get_value((r as u32, 9)).unwrap();
            assert_eq!(eval(f, *q, 0.0, 150.0), *v, "row {r}: {f}");
        }
    }
    // The summary sums the line sheets.
    let summary = wb.worksheet_range("Summary").unwrap();
    let sf = wb.worksheet_formula("Summary").unwrap();
    assert_eq!(sf.get_value((1, 1)).unwrap(), "SUMIF('RBAC-only'!$E:$E,\"fixed\",'RBAC-only'!$J:$J)");
    assert_eq!(summary.get_value((3, 1)), Some(&Data::Float(341414.0)));
    assert_eq!(summary.get_value((3, 2)), Some(&Data::Float(1415594.0)));
    assert_eq!(summary.get_value((4, 2)), Some(&Data::Float(1415594.0 * 12.0)));
    assert_eq!(summary.get_value((5, 2)), Some(&Data::Float(1415594.0 * 36.0)));
    // The FX rate the formulas use lives on the assumptions sheet.
    let a = wb.worksheet_range("Assumptions & sources").unwrap();
    assert_eq!(a.get_value((5, 0)), Some(&Data::String("FX rate (per USD)".into())));
    assert_eq!(a.get_value((5, 1)), Some(&Data::Float(150.0)));
}

#[test]
fn csv_rows_add_up_and_excel_gets_a_bom() {
    let text = stdout(&["estimate", "examples/article.yaml", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "design",
            "service",
            "role",
            "requirement",
            "type",
            "tier",
            "component",
            "charge",
            "quantity",
            "unit",
            "unit_price_usd",
            "list_monthly",
            "discount_percent",
            "monthly",
            "currency",
            "meter_id",
            "effective",
            "source",
            "note",
            "catalog_monthly",
            "commitment",
            "payg_monthly",
            "savings_1y_monthly",
            "savings_3y_monthly"
        ]
    );
    let mut closed = 0i64;
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[0] == "closed" && !rec[13].is_empty() {
            closed += rec[13].parse::<i64>().unwrap();
        }
    }
    assert_eq!(closed, 1415594);
    let excel = stdout(&["estimate", "examples/article.yaml", "--format", "csv", "--excel"]);
    assert!(excel.starts_with('\u{feff}'));
    assert_eq!(&excel['\u{feff}'.len_utf8()..], text);
}

#[test]
fn markdown_worksheet_reads_as_a_sign_off() {
    let md = stdout(&["estimate", "examples/article.yaml", "--format", "markdown"]);
    assert!(md.starts_with("# Cost sign-off: Internal chat with RAG (source article)\n"));
    // The closed design has a line without a price (the build agents' VM): its totals, and the
    // difference, say they are incomplete.
    assert!(md.contains("| Total / month | 341,414 | 1,415,594 (incomplete) | 1,074,180 (incomplete) |"));
    assert!(md.contains("| 12 months | 4,096,968 | 16,987,128 (incomplete) | 12,890,160 (incomplete) |"));
    assert!(md.contains("| 36 months | 12,290,904 | 50,961,384 (incomplete) | 38,670,480 (incomplete) |"));
    assert!(md.contains("## Decisions"));
    assert!(md.contains("- **gateway** (api-management): standard -> standard-v2 [CN102]"));
    assert!(md.ends_with("| Prepared by | | | |\n| Reviewed by | | | |\n| Approved by | | | |\n"));
}

#[test]
fn html_is_self_contained_with_charts() {
    let html = stdout(&["estimate", "examples/article.yaml", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg id=\"chart-designs\""));
    assert!(html.contains("<svg id=\"chart-services\""));
    assert!(
        html.contains("<td>Total / month</td><td class=\"n\">341,414</td><td class=\"n\">1,415,594 (incomplete)</td>")
    );
    for forbidden in ["<script", "<link", "src=\"http", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    assert!(html.contains("@media print"));
}

#[test]
fn discounts_show_list_and_net() {
    // B1 Linux 12.41 x 0.9 = 11.17; storage 10.84 x 0.5 = 5.42; 2 endpoints 14.60 x 0.8 = 11.68;
    // 2 DNS zones 1.00 x 0.9 = 0.90.
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&["estimate", "tests/fixtures/discounts.yaml", "--format", "json"])).unwrap();
    let closed = &v["designs"]["closed"];
    assert_eq!(closed["total_monthly"], "29.17");
    assert_eq!(closed["list_monthly"], "38.85");
    let files = closed["services"].as_array().unwrap().iter().find(|s| s["name"] == "files").unwrap();
    assert_eq!(files["lines"][0]["list_monthly"], "1.84");
    assert_eq!(files["lines"][0]["discount_percent"], "50");
    assert_eq!(files["lines"][0]["monthly"], "0.92");
    assert_eq!(v["discounts"][0], "10% on every service (EA 2026, from tests/fixtures/discounts.yaml)");
    // The command line adds to the file's; a target names a service or a type.
    let v: serde_json::Value = serde_json::from_str(&stdout(&[
        "estimate",
        "tests/fixtures/discounts.yaml",
        "--format",
        "json",
        "--discount",
        "api=0",
    ]))
    .unwrap();
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "17.83"); // 12.41 + 5.42
    let o = closednet(&["estimate", "examples/small.yaml", "--discount", "nothing=5"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        "error: --discount nothing=5: \"nothing\" is neither a service of examples/small.yaml nor a service type"
    );
}

#[test]
fn months_scale_totals_for_planning() {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&["estimate", "examples/small.yaml", "--format", "json", "--months", "12"]))
            .unwrap();
    assert_eq!(v["months"], 12);
    // 23.25 x 12 and 38.85 x 12
    assert_eq!(v["totals_for_months"]["rbac"], "279.00");
    assert_eq!(v["totals_for_months"]["closed"], "466.20");
}

#[test]
fn the_workbook_sums_the_premium_by_requirement_from_the_line_sheets() {
    let mut wb = workbook("examples/article.yaml", &["--set", "closed_network.licences={ licensed_users: 800 }"]);
    let by = wb.worksheet_range("By requirement").unwrap();
    let f = wb.worksheet_formula("By requirement").unwrap();
    let rows: Vec<_> = by.rows().collect();
    let identity = rows.iter().position(|r| r[1] == Data::String("identity".into())).unwrap();
    let r = identity + 1;
    assert_eq!(
        f.get_value((identity as u32, 2)).unwrap(),
        &format!(
            "SUMIFS('Closed network'!$J:$J,'Closed network'!$N:$N,$B{r},'Closed network'!$E:$E,\"fixed\")-SUMIFS('RBAC-only'!$J:$J,'RBAC-only'!$N:$N,$B{r},'RBAC-only'!$E:$E,\"fixed\")"
        )
    );
    // 200 bought licences x 6.00 USD x 150 = 180,000 JPY; the 800 owned are listed at zero.
    assert_eq!(rows[identity][4], Data::Float(180000.0));
    // Recompute every row from the line sheets, as the formulas do.
    let (closed, rbac) = (wb.worksheet_range("Closed network").unwrap(), wb.worksheet_range("RBAC-only").unwrap());
    let sum = |range: &calamine::Range<Data>, id: &str| -> f64 {
        let mine = range.rows().skip(1).filter(|row| row.get(13) == Some(&Data::String(id.into())));
        mine.filter_map(|row| match row[9] {
            Data::Float(v) => Some(v),
            _ => None,
        })
        .sum()
    };
    let mut total = 0.0;
    for row in rows.iter().skip(1).take_while(|row| matches!(row[1], Data::String(ref s) if !s.is_empty())) {
        let id = row[1].to_string();
        let expected = sum(&closed, &id) - sum(&rbac, &id);
        assert_eq!(row[4], Data::Float(expected), "{id}");
        total += expected;
    }
    // The rows add up to the difference: 1,415,594 - 900,000 + 180,000 - 341,414.
    assert_eq!(total, 354180.0);
}
