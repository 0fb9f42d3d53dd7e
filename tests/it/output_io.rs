//! Writing reports and catalog files (issue 21, D5, D17, D22): `--output`, `pricing import` and
//! `pricing checksums` replace a file whole or not at all; a file-size limit is an error (exit 2),
//! not SIGXFSZ; a closed standard output is an error when there is a report to write.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn scratch(name: &str) -> PathBuf {
    let dir = crate::support::tmp().join(format!("test-output-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// closednet run by bash after `setup` (`ulimit -f 8`, a redirection), so the limits apply to it only.
fn under(setup: &str, args: &[&str]) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(format!("{setup}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_closednet"))
        .args(args)
        .env("CLOSEDNET_TODAY", "2026-08-15")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Every file under `dir` with its bytes.
fn snapshot_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_file_size_limit_keeps_the_old_report_and_exits_2() {
    let dir = scratch("xfsz");
    for (format, name) in [("json", "report.json"), ("xlsx", "report.xlsx")] {
        let report = dir.join(name);
        std::fs::write(&report, "the previous report\n").unwrap();
        let run = under(
            "ulimit -f 8",
            &["estimate", "examples/article.yaml", "--format", format, "-o", report.to_str().unwrap()],
        );
        assert_eq!(run.status.code(), Some(2), "{format}: {run:?}");
        assert_eq!(
            stderr(&run),
            format!("error: cannot write {}: File too large (os error 27)\n", report.display()),
            "{format}"
        );
        assert_eq!(std::fs::read_to_string(&report).unwrap(), "the previous report\n", "{format}");
    }
    assert_eq!(listing(&dir), ["report.json", "report.xlsx"], "no temporary file left");
}

#[test]
fn pricing_import_on_a_file_size_limit_changes_no_file() {
    let dir = scratch("import-xfsz");
    let out = dir.join("2026-08");
    let args = |as_of: &'static str| {
        vec!["pricing", "import", "tests/fixtures/retail", "--out", out.to_str().unwrap(), "--as-of", as_of]
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let first = under("true", &args("2026-08-15").iter().map(String::as_str).collect::<Vec<_>>());
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot_of(&out);
    assert!(before.len() > 10, "{} files", before.len());
    // An earlier date changes the API Management prices: its file would be rewritten.
    let run = under("ulimit -f 1", &args("2019-01-01").iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).ends_with(": File too large (os error 27)\n"), "{}", stderr(&run));
    assert_eq!(snapshot_of(&out), before, "every file as it was, and nothing else");
}

#[test]
fn pricing_checksums_on_a_file_size_limit_keeps_the_old_file() {
    let dir = scratch("checksums-xfsz");
    let catalog = dir.join("pricing");
    copy_dir(Path::new("pricing"), &catalog);
    std::fs::write(catalog.join("checksums.toml"), "# the previous checksums\n[snapshots]\n").unwrap();
    let run = under("ulimit -f 0", &["pricing", "checksums", catalog.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert_eq!(
        stderr(&run),
        format!("error: cannot write {}: File too large (os error 27)\n", catalog.join("checksums.toml").display())
    );
    assert_eq!(
        std::fs::read_to_string(catalog.join("checksums.toml")).unwrap(),
        "# the previous checksums\n[snapshots]\n"
    );
    let mut names = listing(&catalog);
    names.retain(|n| n.starts_with('.'));
    assert!(names.is_empty(), "{names:?}");
    // Without the limit, the file is replaced.
    let run = under("true", &["pricing", "checksums", catalog.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(std::fs::read_to_string(catalog.join("checksums.toml")).unwrap().contains("\"2026-08\" = \""));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

#[test]
fn a_closed_stdout_is_exit_2_when_there_is_a_report_to_write() {
    let run = under("exec >&-", &["estimate", "examples/article.yaml"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        stderr(&run),
        "error: standard output is closed: the report was not written (redirect it to a file, or use --output FILE)\n"
    );
    let run = under("exec >&-", &["check", "examples/article.yaml", "--format", "json"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let run = under("exec >&-", &["--version"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    // Nothing for standard output: nothing is lost.
    let dir = scratch("closed-stdout");
    let report = dir.join("r.txt");
    let run = under("exec >&-", &["estimate", "examples/article.yaml", "-o", report.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(std::fs::read_to_string(&report).unwrap().contains("Closed network"));
    // /dev/null on purpose is not a closed stdout.
    let run = under("exec >/dev/null", &["estimate", "examples/article.yaml"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
}

/// Mounts a 64 KiB tmpfs (as root; the test says so and passes elsewhere) and unmounts it after.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(name: &str) -> Option<SmallDisk> {
        let dir = scratch(name);
        let uid = String::from_utf8(Command::new("id").arg("-u").output().unwrap().stdout).unwrap();
        if uid.trim() != "0" {
            eprintln!("not root: the full-disk test needs to mount a tmpfs, skipped");
            return None;
        }
        let ok = Command::new("mount").args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"]).arg(&dir).status().unwrap();
        assert!(ok.success(), "mount a 64 KiB tmpfs on {}", dir.display());
        Some(SmallDisk(dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_leaves_the_previous_report_intact() {
    let Some(disk) = SmallDisk::mount("full-disk") else { return };
    let report = disk.0.join("report.txt");
    let old = under("true", &["estimate", "examples/article.yaml", "-o", report.to_str().unwrap()]);
    assert!(old.status.success(), "{}", stderr(&old));
    let before = std::fs::read(&report).unwrap();
    // Fill the disk but for a few KiB: the JSON report (45 KB) cannot fit.
    std::fs::write(disk.0.join("filler"), vec![0u8; 64 * 1024 - before.len() - 8 * 1024]).unwrap();
    for format in ["json", "xlsx"] {
        let run =
            under("true", &["estimate", "examples/article.yaml", "--format", format, "-o", report.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(2), "{format}: {}", stderr(&run));
        assert_eq!(
            stderr(&run),
            format!("error: cannot write {}: No space left on device (os error 28)\n", report.display())
        );
        assert_eq!(std::fs::read(&report).unwrap(), before, "{format}: the previous report, whole");
    }
    assert_eq!(listing(&disk.0), ["filler", "report.txt"]);
}
