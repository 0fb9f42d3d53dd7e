//! Helpers every test module uses: exact decimals, the embedded catalog, and an estimate that must
//! succeed.

use closednet::catalog::Catalog;
use closednet::pipeline::{self, Estimate, Overrides};
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn catalog() -> Catalog {
    Catalog::embedded().expect("the embedded catalog loads")
}

/// The estimate of `yaml` (named `test.yaml`) with no overrides; panics with the error otherwise.
pub fn run<'c>(catalog: &'c Catalog, yaml: &str) -> Estimate<'c> {
    pipeline::run("test.yaml", yaml, catalog, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The directory this test process writes its files in: one per process under the system's
/// temporary directory (outside the project, which the MCP tests need), created on first use. The
/// first use also removes what earlier test processes left there once they have ended: a test
/// writes up to 127 MB (the fetch size bound), and 1,600 runs had filled the disk.
pub fn tmp() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::env::temp_dir();
        remove_ended(&base);
        let dir = base.join(format!("{PREFIX}{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

const PREFIX: &str = "closednet-tests-";

/// Removes the directories of test processes that have ended, where `/proc` tells (Linux).
fn remove_ended(base: &std::path::Path) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else { continue };
        if pid.parse::<u32>().is_ok() && !std::path::Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
