//! Plans and templates carry passwords, keys and connection strings in plain text. The fixtures
//! plant fakes (`PLANTED-SECRET-...`) wherever a public sample has a credential: none may reach
//! any output of any command in any format, the written architecture file, or an error message.

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use std::process::Command;

const MARK: &str = "PLANTED-SECRET-";

/// Every output of a run: its standard output and error.
fn run(args: &[&str]) -> (i32, Vec<u8>) {
    let o =
        Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", "2026-11-30").args(args).output().unwrap();
    let mut all = o.stdout;
    all.extend_from_slice(&o.stderr);
    (o.status.code().unwrap_or(-1), all)
}

fn clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.contains(MARK),
        "{what}: a planted secret reached the output:\n{}",
        &text[text.find(MARK).unwrap_or(0).saturating_sub(200)..]
    );
}

/// The inputs that plant secrets, with the arguments that read them.
fn inputs() -> Vec<(String, Vec<String>)> {
    let tf = |f: &str, region: &str| {
        (format!("tests/fixtures/iac/terraform/{f}.json"), vec!["--region".to_string(), region.to_string()])
    };
    let arm = |f: &str| {
        let mut args = vec!["--region".to_string(), "eastus2".to_string()];
        let params = format!("tests/fixtures/iac/arm/{f}.parameters.json");
        if std::path::Path::new(&params).exists() {
            args.extend(["--parameters".to_string(), params]);
        }
        (format!("tests/fixtures/iac/arm/{f}.json"), args)
    };
    vec![
        tf("half-closed-public-access-on", "westeurope"),
        tf("infracost-express-route", "westeurope"),
        tf("openai-search-hub-existing", "swedencentral"),
        tf("postgresql-single-server-pe", "westeurope"),
        tf("regula-sql-firewall-open", "eastus2"),
        arm("key-vault-private-endpoint"),
        arm("sql-private-endpoint"),
        arm("hub-spoke-firewall-bastion"),
    ]
}

#[test]
fn the_fixtures_do_plant_secrets() {
    for (file, args) in inputs() {
        let mut text = std::fs::read_to_string(&file).unwrap();
        if let Some(i) = args.iter().position(|a| a == "--parameters") {
            text.push_str(&std::fs::read_to_string(&args[i + 1]).unwrap());
        }
        assert!(text.contains(MARK), "{file} plants no secret: the test below would prove nothing");
    }
}

#[test]
fn no_planted_secret_reaches_any_format_or_error() {
    let dir = crate::support::tmp().join("secrets");
    std::fs::create_dir_all(&dir).unwrap();
    for (file, extra) in inputs() {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let kind = if file.contains("/arm/") { "arm" } else { "terraform" };
        let with = |head: &[&str]| -> Vec<String> { head.iter().chain(&extra).map(|s| s.to_string()).collect() };
        let mut runs: Vec<Vec<String>> = Vec::new();
        for summary in ["text", "json"] {
            runs.push(with(&["import", kind, &file, "--summary", summary]));
        }
        for format in ["table", "json", "csv", "markdown", "html"] {
            runs.push(with(&["estimate", &file, "--format", format]));
        }
        for format in ["text", "json", "sarif", "github", "azure", "markdown"] {
            runs.push(with(&["check", &file, "--require", "closed", "--format", format]));
        }
        runs.push(with(&["diff", &file, &file, "--format", "markdown"]));
        for args in &runs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (_, out) = run(&args);
            clean(&format!("{file}: {}", args.join(" ")), &out);
        }
        // The workbook: every cell of every sheet.
        let book = dir.join("book.xlsx");
        let (code, out) = run(&with(&["estimate", &file, "--format", "xlsx", "-o", book.to_str().unwrap()])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>());
        clean(&file, &out);
        if code == 0 {
            let bytes = std::fs::read(&book).unwrap();
            let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).unwrap();
                for cell in range.used_cells() {
                    assert!(!cell.2.to_string().contains(MARK), "{file}: workbook sheet {name} holds a planted secret");
                }
            }
        }
        // Error paths: a region without prices, and an unknown region for a template.
        let (_, out) = run(&["estimate", &file, "--region", "mars-central"]);
        clean(&format!("{file}: bad region"), &out);
    }
    // The negative inputs hold whole plans with their passwords: the refusal quotes none of it.
    for f in ["state-not-a-plan", "setup-terraform-wrapper"] {
        let file = format!("tests/fixtures/iac/terraform/{f}.json");
        for args in
            [vec!["estimate", &file], vec!["import", "terraform", &file], vec!["check", &file, "--format", "sarif"]]
        {
            let (code, out) = run(&args);
            assert_eq!(code, 2, "{file}");
            clean(&file, &out);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
