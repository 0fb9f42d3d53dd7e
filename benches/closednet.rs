//! Benchmarks (criterion). Run `cargo bench --bench closednet`; the figures in the README come from it.
//!
//! - `process/*`: the whole `closednet` process on the article example against `--version` (the
//!   process floor); target: estimate within 1.3x of the floor, as the median of 30 pairs of runs
//!   (one of each, back to back, so that a busy moment of a shared machine hits both).
//! - `estimate/N` and `parse_yaml/N`: the library on generated designs of N services (storage
//!   accounts and Functions apps calling them) against merely parsing the same YAML with
//!   serde-saphyr; targets: linear growth (10,000 / 1,000 at most 10.5x), and at 10,000 services at
//!   most 2x the parse.
//! - `import`: `pricing import` over ../shared/retail-prices/2026-08-15 (skipped, and said so, when
//!   that folder is absent); the throughput is printed in MB/s.
//!
//! After criterion's own report, the three ratios are printed, each from medians measured here.

// A benchmark that cannot run its input should stop at once: unwrap and expect are its asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

// The binary's allocator (src/main.rs), so that the library is timed as the binary runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

const BIN: &str = env!("CARGO_BIN_EXE_closednet");
const VERSION: &[&str] = &["--version"];
const ARTICLE: &[&str] = &["estimate", "examples/article.yaml"];

/// One run of the binary, waited for; its wall time.
fn spawn(args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = Command::new(BIN).args(args).output().expect("the closednet binary runs");
    assert!(out.status.success(), "closednet {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    start.elapsed()
}

fn process(c: &mut Criterion) {
    let mut g = c.benchmark_group("process");
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("version", |b| b.iter(|| spawn(VERSION)));
    g.bench_function("estimate_article", |b| b.iter(|| spawn(ARTICLE)));
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

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}

fn time(f: &mut impl FnMut()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

/// The ratios the targets are stated in, each from medians measured here.
fn ratios() {
    const PAIRS: usize = 30;
    for _ in 0..5 {
        spawn(VERSION);
        spawn(ARTICLE);
    }
    let pairs: Vec<(f64, f64)> =
        (0..PAIRS).map(|_| (spawn(VERSION).as_secs_f64(), spawn(ARTICLE).as_secs_f64())).collect();
    let ratio = median(pairs.iter().map(|(v, e)| e / v).collect());
    let (v, e) = (median(pairs.iter().map(|p| p.0).collect()), median(pairs.iter().map(|p| p.1).collect()));
    println!("estimate/--version = {ratio:.2}x (median of {PAIRS} pairs)");
    println!("  medians: estimate {:.2} ms, --version {:.2} ms; target at most 1.30x", e * 1e3, v * 1e3);

    // The library ratios, in rounds: each round times ten runs at 1,000 services, one at 10,000
    // and one bare parse, back to back, and the ratios are the medians of the rounds' ratios. Timed
    // in separate batches, a busy moment of a shared machine hit one batch and not the others, and
    // the ratios moved by a tenth from one run to the next.
    const ROUNDS: usize = 15;
    let catalog = Catalog::embedded().unwrap();
    let (small, large) = (generate(1_000), generate(10_000));
    let run =
        |t: &str| drop(black_box(pipeline::run("bench.yaml", black_box(t), &catalog, &Overrides::default()).unwrap()));
    let parse = || drop(black_box(serde_saphyr::from_str::<serde_json::Value>(black_box(&large)).unwrap()));
    run(&large);
    parse();
    let rounds: Vec<(f64, f64, f64)> = (0..ROUNDS)
        .map(|_| {
            let small_run = time(&mut || (0..10).for_each(|_| run(&small))) / 10.0;
            (small_run, time(&mut || run(&large)), time(&mut || parse()))
        })
        .collect();
    let of = |f: fn(&(f64, f64, f64)) -> f64| median(rounds.iter().map(f).collect());
    let (estimate_1k, estimate_10k, parse_10k) = (of(|r| r.0), of(|r| r.1), of(|r| r.2));
    println!(
        "estimate 10,000 services / parse = {:.2}x (medians of {ROUNDS} rounds: {:.1} ms and {:.1} ms; target at most 2x)",
        of(|r| r.1 / r.2),
        estimate_10k * 1e3,
        parse_10k * 1e3
    );
    println!(
        "estimate 10,000 / 1,000 services = {:.2}x (medians of {ROUNDS} rounds: {:.1} ms and {:.2} ms; target at most 10.5x)",
        of(|r| r.1 / r.0),
        estimate_10k * 1e3,
        estimate_1k * 1e3
    );
}

criterion_group!(benches, process, scaling, import);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs each benchmark once to see that it works; the ratios want
    // `cargo bench`, which passes --bench.
    if std::env::args().any(|a| a == "--bench") {
        ratios();
    }
}
