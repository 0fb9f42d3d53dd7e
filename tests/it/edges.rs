//! Solid edges (issue 13): whatever the input, flags or output device, the binary exits 0, 1 or 2
//! with at most a line of explanation, never a panic; every catalog the loader accepts is one the
//! engine can run; completions, the man page and `--help` describe the commands.

use closednet::catalog::definitions::ServiceDef;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdout: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_closednet"))
        .env("CLOSEDNET_TODAY", "2026-11-30")
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .output()
        .unwrap()
}

fn dev_full() -> Stdio {
    Stdio::from(std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const ENOSPC: &str = "No space left on device (os error 28)";

#[test]
fn a_full_disk_is_exit_2_and_one_line() {
    let commands: &[&[&str]] = &[
        &["estimate", "examples/article.yaml"],
        &["estimate", "examples/article.yaml", "--format", "csv"],
        &["estimate", "examples/article.yaml", "--format", "json"],
        &["check", "examples/article.yaml"],
        // A failing check (exit 1 otherwise): the write failure wins, exit 2.
        &["check", "examples/article.yaml", "--max-monthly", "1"],
        &["diff", "examples/small.yaml", "examples/article.yaml", "--currency", "USD"],
        &["schema"],
        &["rules"],
        &["catalog"],
        &["explain", "CN004"],
        &["completions", "bash"],
        &["man"],
    ];
    for args in commands {
        let o = run(args, dev_full());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err, format!("error: cannot write the report to standard output: {ENOSPC}\n"), "{args:?}");
    }
}

#[test]
fn help_and_version_on_a_full_disk_are_exit_2() {
    for args in [&["--version"][..], &["--help"], &["check", "--help"], &["help", "estimate"]] {
        let o = run(args, dev_full());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err, format!("error: cannot write to standard output: {ENOSPC}\n"), "{args:?}");
    }
    // Shown normally they are successes.
    for args in [&["--version"][..], &["--help"], &["check", "--help"]] {
        let o = run(args, Stdio::piped());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("closednet") || stdout(&o).contains("Usage"), "{args:?}");
    }
}

#[test]
fn output_to_a_full_disk_is_exit_2_and_one_line() {
    let o = run(&["estimate", "examples/article.yaml", "--output", "/dev/full"], Stdio::piped());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o), format!("error: cannot write /dev/full: {ENOSPC}\n"));
    assert!(o.stdout.is_empty());
}

#[test]
fn errors_and_notes_on_a_full_stderr_keep_their_exit_code() {
    let full_stderr = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_closednet"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(dev_full())
            .status()
            .unwrap()
            .code()
    };
    assert_eq!(full_stderr(&["estimate", "no-such-file.yaml"]), Some(2));
    assert_eq!(full_stderr(&["estimate", "--no-such-flag"]), Some(2));
    let out = crate::support::tmp().join("edges-note.csv");
    let out = out.to_str().unwrap();
    // "wrote FILE" goes to stderr: the report is written, so the run succeeded.
    assert_eq!(full_stderr(&["estimate", "examples/article.yaml", "--format", "csv", "--output", out]), Some(0));
    assert!(std::fs::read_to_string(out).unwrap().contains("gateway"));
    let _ = std::fs::remove_file(out);
}

/// A reader that stops early (`closednet ... | head -1`) is no error: the run ends quietly with
/// the command's own exit code.
#[test]
fn a_closed_pipe_ends_quietly() {
    for (args, code) in [
        (&["catalog", "--format", "json"][..], 0),
        (&["check", "examples/article.yaml", "--max-monthly", "1"], 1),
        (&["--help"], 0),
    ] {
        // A pipe whose reader is gone before anything is written: every write is EPIPE.
        let mut child = Command::new(env!("CARGO_BIN_EXE_closednet"))
            .env("CLOSEDNET_TODAY", "2026-11-30")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

fn scratch_catalog(name: &str) -> PathBuf {
    let dir = crate::support::tmp().join(format!("edges-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(Path::new("pricing"), &dir);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Rewrites `services/<type_id>.toml` of the catalog `dir`.
fn edit(dir: &Path, type_id: &str, f: impl Fn(String) -> String) {
    let path = dir.join("services").join(format!("{type_id}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = f(text.clone());
    assert_ne!(edited, text, "the edit of {type_id} changed nothing");
    std::fs::write(&path, edited).unwrap();
}

/// `tiers = []` used to panic in the rules engine ("a service type has at least one tier").
#[test]
fn a_service_type_without_tiers_is_rejected_when_loaded() {
    let dir = scratch_catalog("no-tiers");
    edit(&dir, "storage", |text| {
        let head = &text[..text.find("[[tiers]]").unwrap()];
        head.replace("type = \"storage\"\n", "type = \"storage\"\ntiers = []\n")
    });
    let d = dir.to_str().unwrap();
    for args in [
        &["estimate", "examples/article.yaml", "--pricing", d][..],
        &["check", "examples/article.yaml", "--pricing", d],
        &["catalog", "--pricing", d],
        &["explain", "storage", "--pricing", d],
    ] {
        let o = run(args, Stdio::piped());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert_eq!(
            stderr(&o),
            format!("error: {d}: services/storage.toml: no tiers: a service type needs at least one tier\n"),
            "{args:?}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_definition_is_rejected_naming_the_tier_or_component() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "api-management",
            "id = \"premium\"",
            "id = \"standard\"",
            "tier standard: the name standard is used by two tiers",
        ),
        (
            "ai-search",
            "private-endpoint\", as_of = \"",
            "private-endpoint\", as_of = \"20",
            "capability private_endpoint: as_of \"20",
        ),
        (
            "ai-search",
            "\"private_endpoint\", doc = \"https://",
            "\"private_endpoint\", doc = \"http://",
            "capability private_endpoint: doc \"http://",
        ),
        (
            "ai-search",
            "sla_replicas = { read = 2, read_write = 3, doc = \"https://",
            "sla_replicas = { read = 2, read_write = 3, doc = \"http://",
            "sla_replicas: doc \"http://",
        ),
        ("key-vault", "usage = \"operations\"", "usage = \"calls\"", "usage calls is not in the type's usage keys"),
    ];
    for (i, (type_id, from, to, expect)) in cases.iter().enumerate() {
        let dir = scratch_catalog(&format!("broken-{i}"));
        edit(&dir, type_id, |text| text.replacen(from, to, 1));
        let o = run(&["catalog", "--pricing", dir.to_str().unwrap()], Stdio::piped());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{type_id}: {err}");
        assert!(err.starts_with(&format!("error: {}: services/{type_id}.toml: ", dir.display())), "{err}");
        assert!(err.contains(expect), "{type_id}: expected {expect:?} in {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// The library's validator on single definitions: each invariant the engine relies on.
#[test]
fn the_validator_names_each_problem() {
    const GOOD: &str = r#"
type = "t"
name = "T"
retail_file = "t.json"
service_name = "T"
capacity = ["units"]
usage = ["calls"]

[[tiers]]
id = "basic"
rank = 1
capabilities = [{ kind = "private_endpoint", doc = "https://learn.microsoft.com/x", as_of = "2025-01-31" }]

[[tiers.components]]
id = "unit"
name = "Unit"
charge = "fixed"
per = ["units"]
meter = { product = "P", sku = "S", meter = "M", unit = "1 Hour" }

[[tiers.components]]
id = "calls"
name = "Calls"
charge = "usage"
usage = "calls"
documented = true
unit = "10K"
"#;
    let def = |text: &str| toml::from_str::<ServiceDef>(text).unwrap().validate();
    assert_eq!(def(GOOD), Ok(()));
    let cases = [
        ("rank = 1", "rank = 1\nsince = \"2025-02-30\"\nsince_doc = \"https://x\"", "tier basic: date \"2025-02-30\""),
        ("rank = 1", "rank = 1\nsince = \"2025-02-01\"", "tier basic: since needs since_doc"),
        ("rank = 1", "rank = 1\nsla = false", "tier basic: sla = false needs sla_doc"),
        ("rank = 1", "rank = 1\nos = [\"linux\"]", "no tier runs windows"),
        (
            "as_of = \"2025-01-31\"",
            "as_of = \"2025-01-31\", since = \"2025\"",
            "capability private_endpoint: date \"2025\"",
        ),
        (
            "as_of = \"2025-01-31\"",
            "as_of = \"2025-01-31\", since = \"2025-03-01\", until = \"2025-03-01\"",
            "since 2025-03-01 is not before until 2025-03-01",
        ),
        ("id = \"calls\"", "id = \"unit\"", "basic/unit: the component is defined twice"),
        ("documented = true", "documented = false", "basic/calls: no price source"),
        ("usage = \"calls\"\ndocumented", "usage = \"reads\"\ndocumented", "basic/calls: usage reads is not in"),
        ("per = [\"units\"]", "per = [\"replicas\"]", "basic/unit: per replicas is not a capacity key"),
        ("unit = \"1 Hour\"", "unit = \"10K\"", "basic/unit: a fixed charge needs a unit of time"),
        ("unit = \"10K\"", "unit = \"lots\"", "basic/calls: unit \"lots\""),
        ("retail_file = \"t.json\"\n", "", "basic/unit: metered, but the type has no retail_file"),
    ];
    for (from, to, expect) in cases {
        assert!(GOOD.contains(from), "{from}");
        let err = def(&GOOD.replacen(from, to, 1)).expect_err(expect);
        assert!(err.contains(expect), "expected {expect:?}, got {err:?}");
    }
    let no_tiers = &GOOD[..GOOD.find("[[tiers]]").unwrap()].replace("type = \"t\"\n", "type = \"t\"\ntiers = []\n");
    assert_eq!(def(no_tiers), Err("no tiers: a service type needs at least one tier".to_string()));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(&["completions", shell], Stdio::piped());
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("closednet"), "{shell}");
        for sub in
            ["estimate", "check", "diff", "rules", "explain", "catalog", "schema", "pricing", "completions", "man"]
        {
            assert!(out.contains(sub), "{shell}: no {sub}");
        }
    }
    let o = run(&["completions", "tcsh"], Stdio::piped());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_page_is_roff() {
    let o = run(&["man"], Stdio::piped());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.lines().any(|l| l.starts_with(".TH closednet 1")), "{out}");
    assert!(out.contains("estimate") && out.contains("check"), "{out}");
}

#[test]
fn check_and_diff_help_describe_their_files() {
    let help = |args: &[&str]| stdout(&run(args, Stdio::piped()));
    let check = help(&["check", "--help"]);
    assert!(check.contains("<FILE>  The architecture file to check"), "{check}");
    let diff = help(&["diff", "--help"]);
    assert!(diff.contains("<OLD>  The architecture file before the change"), "{diff}");
    assert!(diff.contains("<NEW>  The architecture file after the change"), "{diff}");
}

/// A file that never ends stops at the 16 MiB limit instead of filling the memory.
#[test]
fn an_endless_architecture_file_is_refused_at_the_limit() {
    let start = std::time::Instant::now();
    let o = run(&["estimate", "/dev/zero"], Stdio::piped());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o),
        "error: /dev/zero: the file is more than 16777216 bytes; closednet reads architecture files up to \
         16777216 bytes (16 MiB)\n  help: split the design into several files\n"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
}

/// The catalog layout is two folders deep: a link back to the catalog (or `--pricing /`) is not
/// walked without end, and a FIFO named like a catalog file is not waited on.
#[test]
fn a_catalog_folder_is_read_to_its_layout_depth_only() {
    let dir = scratch_catalog("depth");
    let fifo = dir.join("2026-08").join("prices").join("fifo.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    let d = dir.to_str().unwrap();
    if made {
        let o = run(&["catalog", "--pricing", d], Stdio::piped());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::remove_file(&fifo).unwrap();
    }
    std::os::unix::fs::symlink(".", dir.join("2026-08").join("prices").join("again")).unwrap();
    let o = run(&["catalog", "--pricing", d], Stdio::piped());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::os::unix::fs::symlink("..", dir.join("services").join("up")).unwrap();
    let o = run(&["catalog", "--pricing", d], Stdio::piped());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!("error: {d}: services/up/checksums.toml: not a catalog file (see the catalog module docs)\n")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_snapshot_toml_is_rejected_naming_the_file() {
    let cases = [
        ("hours_per_month = \"730\"", "hours_per_month = \"0\"", "hours_per_month 0 is not above zero"),
        ("as_of = \"2026-08-15\"", "as_of = \"2026-13-15\"", "as_of \"2026-13-15\" is not a date"),
        // A snapshot may hold another currency's prices (`pricing fetch --currency`), written as its code.
        ("currency = \"USD\"", "currency = \"jpy\"", "currency \"jpy\" is not an ISO 4217 code written in capitals"),
    ];
    for (i, (from, to, expect)) in cases.into_iter().enumerate() {
        let dir = scratch_catalog(&format!("snapshot-{i}"));
        let path = dir.join("2026-08").join("snapshot.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let o = run(&["estimate", "examples/article.yaml", "--pricing", dir.to_str().unwrap()], Stdio::piped());
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with(&format!("error: {}: 2026-08/snapshot.toml: ", dir.display())), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(stderr(&o).contains(expect), "{}", stderr(&o));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
