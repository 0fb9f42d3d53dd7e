//! The architect's terms at scale (issue 21 item 1, defect D21 of the reliability battery):
//! `cargo bench --bench terms`.
//!
//! - `terms/plain/N`: N Key Vaults, no terms;
//! - `terms/prices/N`: the same with one `prices:` entry per service (`service: sN`);
//! - `terms/discounts/N`: the same with one `discounts:` entry per service.
//!
//! Target: at 20,000 services, prices and discounts within 10x of plain (they took 12.7x and 6.9x
//! when every line scanned every entry); the ratios are printed after the run.

// A benchmark that cannot run its input should stop at once: unwrap and expect are its asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

// The binary's allocator (src/main.rs), so that the library is timed as the binary runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Clone, Copy)]
enum Terms {
    Plain,
    Prices,
    Discounts,
}

impl Terms {
    fn name(self) -> &'static str {
        match self {
            Terms::Plain => "plain",
            Terms::Prices => "prices",
            Terms::Discounts => "discounts",
        }
    }
}

/// `n` Key Vaults in eastus2, with one entry of `terms` for each.
fn generate(n: usize, terms: Terms) -> String {
    let mut text = String::from("version: 1\nregion: eastus2\nservices:\n");
    for i in 0..n {
        text.push_str(&format!("  - {{ name: s{i}, type: key-vault, usage: {{ operations: 100k }} }}\n"));
    }
    match terms {
        Terms::Plain => {}
        Terms::Prices => {
            text.push_str("prices:\n");
            for i in 0..n {
                text.push_str(&format!("  - {{ type: key-vault, service: s{i}, price: 0.02, source: bench }}\n"));
            }
        }
        Terms::Discounts => {
            text.push_str("discounts:\n");
            for i in 0..n {
                text.push_str(&format!("  - {{ percent: 10, service: s{i} }}\n"));
            }
        }
    }
    text
}

fn estimate(catalog: &Catalog, text: &str) {
    pipeline::run("bench.yaml", black_box(text), catalog, &Overrides::default()).unwrap();
}

fn terms(c: &mut Criterion) {
    let catalog = Catalog::embedded().unwrap();
    let mut g = c.benchmark_group("terms");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for n in [1_000usize, 5_000, 20_000] {
        for t in [Terms::Plain, Terms::Prices, Terms::Discounts] {
            let text = generate(n, t);
            g.bench_with_input(BenchmarkId::new(t.name(), n), &text, |b, text| b.iter(|| estimate(&catalog, text)));
        }
    }
    g.finish();
    // The ratios the target is about, from one timed run each after the samples above.
    let n = 20_000;
    let time = |t: Terms| {
        let text = generate(n, t);
        let start = Instant::now();
        estimate(&catalog, &text);
        start.elapsed().as_secs_f64()
    };
    let plain = time(Terms::Plain);
    for t in [Terms::Prices, Terms::Discounts] {
        println!("terms/{}/{n}: {:.2}x plain (target: under 10x)", t.name(), time(t) / plain);
    }
}

criterion_group!(benches, terms);
criterion_main!(benches);
