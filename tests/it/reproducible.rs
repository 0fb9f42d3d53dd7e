//! A signed-off figure must be reproducible: the same inputs give byte-identical output in every
//! format, every report names the snapshot's SHA-256, `catalog --verify` recomputes it and catches
//! a changed price, and old prices get a note (CN011).

use std::process::Command;

fn run(args: &[&str], today: &str) -> (i32, Vec<u8>) {
    let o = Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", today).args(args).output().unwrap();
    (o.status.code().unwrap(), o.stdout)
}

fn out_file(name: &str) -> String {
    crate::support::tmp().join(format!("repro-{name}")).display().to_string()
}

#[test]
fn every_format_is_byte_identical_run_to_run() {
    for file in ["examples/article.yaml", "examples/article-2023.yaml", "tests/fixtures/discounts.yaml"] {
        for format in ["table", "json", "csv", "markdown", "html"] {
            let a = run(&["estimate", file, "--format", format], "2026-11-30");
            let b = run(&["estimate", file, "--format", format], "2026-11-30");
            assert_eq!(a.0, 0);
            assert!(a == b, "{file} {format} differs between runs");
        }
        let (x, y) = (out_file("a.xlsx"), out_file("b.xlsx"));
        run(&["estimate", file, "--format", "xlsx", "--output", &x], "2026-11-30");
        run(&["estimate", file, "--format", "xlsx", "--output", &y], "2026-11-30");
        assert!(std::fs::read(&x).unwrap() == std::fs::read(&y).unwrap(), "{file} xlsx differs between runs");
        for format in ["text", "json", "sarif", "github", "azure", "markdown"] {
            let a = run(&["check", file, "--format", format], "2026-11-30");
            assert!(a == run(&["check", file, "--format", format], "2026-11-30"), "{file} check {format}");
        }
    }
}

#[test]
fn reports_name_the_snapshot_digest_and_verify_recomputes_it() {
    let (code, verify) = run(&["catalog", "--verify"], "2026-11-30");
    let verify = String::from_utf8(verify).unwrap();
    assert_eq!(code, 0, "{verify}");
    let sha = verify.lines().find(|l| l.contains(" 2026-08 ")).unwrap().rsplit(' ').next().unwrap().to_string();
    assert_eq!(sha.len(), 64);
    let (_, json) = run(&["estimate", "examples/article.yaml", "--format", "json"], "2026-11-30");
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["pricing"]["sha256"], sha.as_str());
    let (_, table) = run(&["estimate", "examples/article.yaml"], "2026-11-30");
    assert!(String::from_utf8(table).unwrap().contains(&format!("Snapshot sha256 {sha}.")));

    // A copy of the catalog with one price changed no longer verifies.
    let dir = std::path::PathBuf::from(out_file("catalog"));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(std::path::Path::new("pricing"), &dir);
    let doc = dir.join("2026-08/documented.toml");
    let text = std::fs::read_to_string(&doc).unwrap().replacen("price = \"0.01\"", "price = \"0.02\"", 1);
    std::fs::write(&doc, text).unwrap();
    let (code, out) = run(&["catalog", "--verify", "--pricing", dir.to_str().unwrap()], "2026-11-30");
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 1);
    assert!(out.lines().any(|l| l.starts_with("ok       2023-12 ")), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("MISMATCH 2026-08 ") && l.ends_with(&format!("(recorded {sha})"))),
        "{out}"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() { copy_dir(&p, &dest) } else { std::fs::copy(&p, &dest).map(|_| ()).unwrap() }
    }
}

#[test]
fn old_prices_get_a_note() {
    let rules = |today: &str, extra: &[&str]| -> Vec<String> {
        let mut args = vec!["estimate", "examples/article.yaml", "--format", "json"];
        args.extend_from_slice(extra);
        let (_, out) = run(&args, today);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
    };
    // 2026-08-15 -> 2026-11-30 is 3 months: no note; -> 2027-03-01 is 6 months: still none; 7: a note.
    assert!(!rules("2026-11-30", &[]).contains(&"CN011".to_string()));
    assert!(!rules("2027-02-15", &[]).contains(&"CN011".to_string()));
    assert!(rules("2027-03-15", &[]).contains(&"CN011".to_string()));
    assert!(rules("2026-11-30", &["--max-price-age", "2"]).contains(&"CN011".to_string()));
    let (_, out) = run(&["estimate", "examples/article-2023.yaml", "--format", "json"], "2026-11-30");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let note = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "CN011").unwrap();
    assert_eq!(
        note["message"],
        "prices are 35 months old (snapshot 2023-12, as of 2023-12-01; today 2026-11-30; limit 6 months): refresh them with `closednet pricing import`"
    );
}
