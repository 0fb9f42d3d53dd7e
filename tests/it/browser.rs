//! Renders the HTML report in headless Chromium, as a reader would see it: the page loads without
//! script or console errors, its charts are in the DOM, and a screenshot is written.
//!
//! Chromium is not part of the Rust toolchain: without it the test says so and passes, unless
//! CLOSEDNET_REQUIRE_BROWSER=1 (set by .ci/run, which installs Debian's chromium package).

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CLOSEDNET_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "CLOSEDNET_REQUIRE_BROWSER=1 but no chromium on PATH"
        );
        eprintln!("skipped: no chromium on PATH");
        return;
    };
    let dir = crate::support::tmp().join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("report.html");
    let png = dir.join("report.png");
    let o = Command::new(env!("CARGO_BIN_EXE_closednet"))
        .env("CLOSEDNET_TODAY", "2026-11-30")
        .args(["estimate", "examples/article.yaml", "--format", "html", "--output"])
        .arg(&html)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let url = format!("file://{}", html.display());
    let common =
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"];
    let shot = Command::new(&browser)
        .args(common)
        .args(["--window-size=1280,2200", &format!("--screenshot={}", png.display()), &url])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&shot.stderr);
    assert!(shot.status.success(), "chromium failed: {log}");
    for bad in ["Uncaught", "Failed to load resource", "net::ERR_"] {
        assert!(!log.contains(bad), "page error ({bad}): {log}");
    }
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(bytes.len() > 50_000, "the screenshot is suspiciously small: {} bytes", bytes.len());
    let dom = Command::new(&browser).args(common).args(["--dump-dom", &url]).output().unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<svg id=\"chart-designs\""), "the chart is not in the rendered DOM");
    assert!(dom.contains("<svg id=\"chart-services\""));
    assert!(dom.contains("1,415,594"));
}
