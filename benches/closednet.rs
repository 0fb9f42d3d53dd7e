//! Benchmarks (criterion). Run `cargo bench --bench closednet`; the figures in the README come from it.
//!
//! - `process/*`: the whole `closednet` process on the article example against `--version` (the
//!   process floor); target: estimate within 2x of the floor.
//! - `estimate/N` and `parse_yaml/N`: the library on generated designs of N services (storage
//!   accounts and Functions apps calling them) against merely parsing the same YAML with
//!   serde-saphyr; targets: linear growth (10,000 / 1,000 at most 12x), and at 10,000 services at
//!   most 1.5x the parse.
//! - `import`: `pricing import` over ../shared/retail-prices/2026-08-15 (skipped, and said so, when
//!   that folder is absent); the throughput is printed in MB/s.

// A benchmark that cannot run its input should stop at once: unwrap and expect are its asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// A design of `n` services: storage accounts, every other one called by a Functions app.
pub fn generate(n: usize) -> String {
    let mut text = String::from("version: 1\nregion: japaneast\nservices:\n");
    for i in 0..n {
        if i % 2 == 0 {
            text.push_str(&format!("  - name: s{i}\n    type: storage\n    usage: {{ gb: 100, read_ops: 1M }}\n"));
        } else {
            text.push_str(&format!(
                "  - name: f{i}\n    type: functions\n    tier: consumption\n    calls: [s{}]\n    usage: {{ executions: 2M }}\n",
                i - 1
            ));
        }
    }
    text
}

fn process(c: &mut Criterion) {
    let bin = env!("CARGO_BIN_EXE_closednet");
    let mut g = c.benchmark_group("process");
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("version", |b| b.iter(|| Command::new(bin).arg("--version").output().unwrap()));
    g.bench_function("estimate_article", |b| {
        b.iter(|| Command::new(bin).args(["estimate", "examples/article.yaml"]).output().unwrap())
    });
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let catalog = Catalog::embedded().unwrap();
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    for n in [10usize, 100, 1_000, 10_000] {
        let text = generate(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("estimate", n), &text, |b, t| {
            b.iter(|| pipeline::run("bench.yaml", black_box(t), &catalog, &Overrides::default()).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("parse_yaml", n), &text, |b, t| {
            b.iter(|| serde_saphyr::from_str::<serde_json::Value>(black_box(t)).unwrap())
        });
    }
    g.finish();
}

fn import(c: &mut Criterion) {
    let input = Path::new("../shared/retail-prices/2026-08-15");
    if !input.is_dir() {
        eprintln!("import benchmark skipped: {} is not here", input.display());
        return;
    }
    let catalog = Catalog::embedded().unwrap();
    let bytes = closednet::catalog::import::import(&catalog, input, "2026-08-15").unwrap().summary.bytes_read;
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("retail_2026_08_15", |b| {
        b.iter(|| closednet::catalog::import::import(&catalog, input, "2026-08-15").unwrap())
    });
    g.finish();
}

criterion_group!(benches, process, scaling, import);
criterion_main!(benches);
