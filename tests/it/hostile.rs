//! Hostile and huge inputs: each gets a clear error (exit 2, nothing on stdout) within bounded
//! time, never a hang, a crash or a wrong total. The bounds are in the README.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A run that takes this long is a hang, not a slow run: speed is measured by the benchmarks
/// (`cargo bench`), and this bound only keeps a hanging binary from hanging the test suite.
const HANG: Duration = Duration::from_secs(600);

fn scratch(name: &str) -> std::path::PathBuf {
    crate::support::tmp().join(format!("hostile-{name}"))
}

/// Runs `estimate` on `text`; a run that does not end within [`HANG`] is killed and fails.
fn estimate(name: &str, text: &str, extra: &[&str]) -> Output {
    let path = scratch(name);
    std::fs::write(&path, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_closednet"))
        .env("CLOSEDNET_TODAY", "2026-11-30")
        .arg("estimate")
        .arg(&path)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    // Drain the pipes while waiting, so that a large report cannot block the child.
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let (out, err) = (read(Box::new(out)), read(Box::new(err)));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            panic!("{name}: closednet did not end within {HANG:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

fn rejected(name: &str, text: &str, expect: &str) {
    let o = estimate(name, text, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{name}: {err}");
    assert!(o.stdout.is_empty(), "{name}: printed a report");
    assert!(err.contains(expect), "{name}: {err}");
}

#[test]
fn alias_bomb() {
    let mut doc = String::from(
        "version: 1\nregion: eastus2\nservices:\n  - name: s\n    type: storage\n    usage:\n      gb: 1\n",
    );
    doc.push_str("    subresources: &a0 [blob, blob, blob, blob, blob, blob, blob, blob, blob]\n");
    let mut text = String::from("version: 1\nregion: eastus2\nservices: &s0\n  - name: s\n    type: storage\n");
    for i in 1..12 {
        let prev = format!("*s{}", i - 1);
        text.push_str(&format!("x{i}: &s{i} [{}]\n", [prev.as_str(); 9].join(", ")));
    }
    rejected("bomb.yaml", &text, "error:");
}

#[test]
fn deep_nesting() {
    let text = format!("version: 1\nregion: eastus2\nservices: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    rejected("deep.yaml", &text, "recursion limit exceeded");
}

#[test]
fn a_file_over_16_mib() {
    let mut text = String::from("version: 1\nregion: eastus2\nservices: []\n");
    text.push_str(&"#".repeat(17 * 1024 * 1024));
    rejected("huge.yaml", &text, "closednet reads architecture files up to 16777216 bytes (16 MiB)");
}

#[test]
fn absurd_quantities() {
    let base = "version: 1\nregion: eastus2\nservices:\n  - name: gpt\n    type: openai\n";
    rejected(
        "1e30.yaml",
        &format!("{base}    usage: {{ model: gpt-4o, input_tokens: 1e30 }}\n"),
        // As written: the number is read from its text, not through a float (D14).
        "input_tokens: 1e30 is too large (at most about 7.9e28)",
    );
    rejected("neg.yaml", &format!("{base}    usage: {{ model: gpt-4o, input_tokens: -5 }}\n"), "-5 is negative");
    rejected(
        "inf.yaml",
        &format!("{base}    usage: {{ model: gpt-4o, input_tokens: .inf }}\n"),
        "\".inf\" is not a quantity",
    );
    // 7e28 units of API Management at 730 hours overflows Decimal: an error naming the service.
    let apim = "version: 1\nregion: eastus2\nservices:\n  - name: gw\n    type: api-management\n    tier: premium\n    units: 70000000000000000000000000000\n";
    rejected("overflow.yaml", apim, "gw: Premium unit is too large to compute (Decimal overflow)");
}

#[test]
fn a_catalog_with_bad_prices() {
    let dir = scratch("catalog");
    let _ = std::fs::remove_dir_all(&dir);
    for entry in ["services", "2026-08/prices"] {
        std::fs::create_dir_all(dir.join(entry)).unwrap();
    }
    for sub in ["services", "2026-08", "2026-08/prices"] {
        for e in std::fs::read_dir(format!("pricing/{sub}")).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, dir.join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    let doc = dir.join("2026-08/documented.toml");
    let original = std::fs::read_to_string(&doc).unwrap();
    let d = dir.to_str().unwrap();
    for (bad, expect) in [
        ("\"-1\"", "error: snapshot 2026-08: private-endpoint/standard/hour in *: negative price -1"),
        ("\"NaN\"", "expected a Decimal type"),
    ] {
        std::fs::write(&doc, original.replacen("price = \"0.01\"", &format!("price = {bad}"), 1)).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_closednet"))
            .env("CLOSEDNET_TODAY", "2026-11-30")
            .args(["estimate", "examples/small.yaml", "--pricing", d])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert!(o.stdout.is_empty());
        assert!(String::from_utf8_lossy(&o.stderr).contains(expect), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn too_many_services() {
    let mut text = String::from("version: 1\nregion: eastus2\nservices:\n");
    for i in 0..100_000 {
        text.push_str(&format!("  - name: s{i}\n    type: storage\n"));
    }
    rejected("100k.yaml", &text, "the file exceeds closednet's YAML limits (Nodes { nodes: 500001 })");
    let mut text = String::from("version: 1\nregion: eastus2\nservices:\n");
    for i in 0..20_001 {
        text.push_str(&format!("  - {{ name: s{i}, type: storage }}\n"));
    }
    rejected("20k.yaml", &text, "the file declares 20001 services; closednet estimates at most 20000");
}

#[test]
fn many_services_are_linear_and_correct() {
    // 5,000 storage accounts of 10 GB in eastus2: each line is 10 x 0.0184 = 0.184 -> 0.18 USD
    // (lines are rounded, totals are sums of rounded lines), so 5,000 x 0.18 = 900.00.
    let mut text = String::from("version: 1\nregion: eastus2\nservices:\n");
    for i in 0..5000 {
        text.push_str(&format!("  - name: s{i}\n    type: storage\n    usage: {{ gb: 10 }}\n"));
    }
    let o = estimate("many.yaml", &text, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["designs"]["rbac"]["total_monthly"], "900.00");
    // 5,000 private endpoints x 7.30 + one blob DNS zone 0.50, plus the same usage
    assert_eq!(v["designs"]["closed"]["fixed_monthly"], "36500.50");
}
