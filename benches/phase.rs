//! Where a large design's time goes, phase by phase: `cargo bench --bench phase` prints the median
//! of nine runs of each phase (the bare YAML parse beside reading the file into the architecture,
//! the RBAC-only design, the closed design) at 1,000 and 10,000 services of the design
//! `benches/closednet.rs` generates. A phase that grows more than tenfold is where the 10,000 / 1,000
//! ratio is lost. Not criterion: one line per size, to compare phases at a glance.

// A benchmark that cannot run its input should stop at once: unwrap and expect are its asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use closednet::catalog::Catalog;
use std::time::Instant;

// The binary's allocator (src/main.rs), so that the library is timed as the binary runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The same design as `benches/closednet.rs`: storage accounts, every other one called by Functions.
fn generate(n: usize) -> String {
    let mut text = String::from("version: 1\nregion: japaneast\nservices:\n");
    for i in 0..n {
        if i % 2 == 0 {
            text.push_str(&format!("  - name: s{i}\n    type: storage\n    usage: {{ gb: 100, read_ops: 1M }}\n"));
        } else {
            text.push_str(&format!("  - name: f{i}\n    type: functions\n    tier: consumption\n    calls: [s{}]\n    usage: {{ executions: 2M }}\n", i - 1));
        }
    }
    text
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let catalog = Catalog::embedded().unwrap();
    let snapshot = catalog.newest();
    let conv = closednet::money::Conversion {
        currency: closednet::money::Currency::usd(),
        rate: rust_decimal::Decimal::ONE,
        source: String::new(),
        date: None,
        native: false,
    };
    for n in [1000usize, 10000] {
        let text = generate(n);
        let (mut a, mut b, mut c, mut p) = (vec![], vec![], vec![], vec![]);
        for _ in 0..9 {
            let t = Instant::now();
            let _v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
            p.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let arch = closednet::architecture::load_with("b.yaml", &text, &catalog, &[]).unwrap();
            a.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let r = closednet::rules::rbac(&arch, &catalog, snapshot).unwrap();
            b.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let cl = closednet::rules::closed(&arch, &catalog, snapshot, &conv, None).unwrap();
            c.push(t.elapsed().as_secs_f64());
            drop((r, cl, arch));
        }
        println!(
            "{n}: parse {:.2} load {:.2} rbac {:.2} closed {:.2} ms",
            median(p) * 1e3,
            median(a) * 1e3,
            median(b) * 1e3,
            median(c) * 1e3
        );
    }
}
