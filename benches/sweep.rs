//! The sweep's speed: `cargo bench --bench sweep`. Target: 1,000 variants of
//! `examples/landing-zone.yaml` in under two seconds on one core (the sweep is single-threaded),
//! with the catalog loaded once. Every axis is varied and nothing is pruned (`--all`), so that the
//! space holds more than 1,000 variants; the bound stops at 1,000. It prints variants per second,
//! once from a single timed run and again as criterion's throughput.

// A benchmark that cannot read its own example is broken: it may stop with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use closednet::catalog::Catalog;
use closednet::pipeline::Overrides;
use closednet::scenario::sweep::{Options, sweep};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

// The binary's allocator (src/main.rs), so that the library is timed as the binary runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FILE: &str = "examples/landing-zone.yaml";
const VARIANTS: u64 = 1_000;

fn options() -> Options {
    let vary = [
        "closed_network.hub",
        "closed_network.egress",
        "closed_network.operator_access",
        "closed_network.on_premises",
        "closed_network.ddos",
        "closed_network.cicd_agents",
        "services.search.tier",
        "services.vault.tier",
    ];
    Options {
        vary: vary.iter().map(|v| v.to_string()).collect(),
        fix: Vec::new(),
        max_variants: VARIANTS,
        prune: false,
    }
}

fn landing_zone(c: &mut Criterion) {
    let catalog = Catalog::embedded().unwrap();
    let text = std::fs::read_to_string(FILE).unwrap();
    let o = Overrides::default();
    let started = Instant::now();
    let s = sweep(FILE, &text, &catalog, &o, &options()).unwrap();
    let took = started.elapsed();
    assert_eq!(s.priced, VARIANTS, "the space must hold at least {VARIANTS} variants");
    println!(
        "sweep {FILE}: {} variants in {:.2} s = {:.0} variants per second (one core; {} more counted as skipped)",
        s.priced,
        took.as_secs_f64(),
        s.priced as f64 / took.as_secs_f64(),
        s.variants_skipped()
    );
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(VARIANTS));
    g.bench_function("landing_zone_1000_variants", |b| {
        b.iter(|| sweep(FILE, black_box(&text), &catalog, &o, &options()).unwrap().priced)
    });
    g.finish();
}

criterion_group!(benches, landing_zone);
criterion_main!(benches);
