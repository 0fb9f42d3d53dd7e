//! Benchmark of the Terraform plan reader. Run `cargo bench --bench import`.
//!
//! - `terraform_plan/N`: `iac::terraform::read` over a generated plan of N resource instances
//!   (`synthetic_plan`: spokes in a `count` module with storage accounts, key vaults, private
//!   endpoints resolved from `configuration` and by id, subnets in a nested `for_each` module,
//!   about 2 KB a resource) with an allow-list of the size the mapping uses; target: 10,000
//!   resources under one second on one core (issue 18, item 10), and linear growth.

use closednet::iac::model::AllowList;
use closednet::iac::terraform;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

/// Patterns like the mapping's: tiers, public-access switches, network rules, id attributes.
fn allow() -> AllowList {
    AllowList::new([
        ("azurerm_storage_account", "account_tier"),
        ("azurerm_storage_account", "account_replication_type"),
        ("azurerm_storage_account", "access_tier"),
        ("azurerm_storage_account", "public_network_access_enabled"),
        ("azurerm_storage_account", "network_rules"),
        ("azurerm_storage_account", "network_rules[*].default_action"),
        ("azurerm_key_vault", "sku_name"),
        ("azurerm_key_vault", "public_network_access_enabled"),
        ("azurerm_key_vault", "network_acls"),
        ("azurerm_key_vault", "network_acls[*].default_action"),
        ("azurerm_private_endpoint", "subnet_id"),
        ("azurerm_private_endpoint", "private_service_connection[*].private_connection_resource_id"),
        ("azurerm_private_endpoint", "private_service_connection[*].subresource_names[*]"),
        ("azurerm_private_endpoint", "private_dns_zone_group[*].private_dns_zone_ids[*]"),
        ("azurerm_search_service", "sku"),
        ("azurerm_search_service", "replica_count"),
        ("azurerm_search_service", "partition_count"),
        ("azurerm_search_service", "public_network_access_enabled"),
        ("azurerm_api_management", "sku_name"),
        ("azurerm_api_management", "virtual_network_type"),
        ("azurerm_service_plan", "sku_name"),
        ("azurerm_service_plan", "os_type"),
        ("azurerm_linux_web_app", "public_network_access_enabled"),
        ("azurerm_linux_web_app", "service_plan_id"),
        ("azurerm_linux_web_app", "virtual_network_subnet_id"),
        ("azurerm_firewall", "sku_name"),
        ("azurerm_firewall", "sku_tier"),
        ("azurerm_bastion_host", "sku"),
        ("azurerm_mssql_server", "public_network_access_enabled"),
        ("azurerm_cognitive_account", "kind"),
    ])
}

fn terraform_plan(c: &mut Criterion) {
    let allow = allow();
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

criterion_group!(benches, terraform_plan);
criterion_main!(benches);
