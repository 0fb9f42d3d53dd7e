//! Benchmark of infrastructure-code import. Run `cargo bench --bench import`.
//!
//! - `terraform_plan/N`: `iac::terraform::read` over a generated plan of N resource instances
//!   (`synthetic_plan`: spokes in a `count` module with storage accounts, key vaults, private
//!   endpoints resolved from `configuration` and by id, subnets in a nested `for_each` module,
//!   about 2 KB a resource) with the mapping's own allow-list;
//! - `terraform_import/N`: the whole import of that plan (read, map, judge): what
//!   `closednet import terraform` does before writing. Target: 10,000 resources under one second on
//!   one core (issue 18, item 10), and linear growth.

// A benchmark that cannot read its own generated input is broken: it may stop with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use closednet::iac::mapping::Mapping;
use closednet::iac::{self, Kind, Options, terraform};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

// The binary's allocator (src/main.rs), so that the library is timed as the binary runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn terraform_plan(c: &mut Criterion) {
    let allow = Mapping::embedded().allow_list();
    let mut g = c.benchmark_group("terraform_plan");
    g.measurement_time(Duration::from_secs(10));
    g.sample_size(10);
    for n in [1_000, 10_000] {
        let text = terraform::synthetic_plan(n);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let read = terraform::read("plan.json", black_box(text), &allow).expect("the generated plan reads");
                assert_eq!(read.resources.len(), n);
                read
            })
        });
    }
    g.finish();
}

fn terraform_import(c: &mut Criterion) {
    let options = Options { region: Some("japaneast".into()), parameters: None };
    let mut g = c.benchmark_group("terraform_import");
    g.measurement_time(Duration::from_secs(10));
    g.sample_size(10);
    for n in [1_000, 10_000] {
        let text = terraform::synthetic_plan(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                iac::import(Kind::Terraform, "plan.json", black_box(text), &options)
                    .expect("the generated plan imports")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, terraform_plan, terraform_import);
criterion_main!(benches);
