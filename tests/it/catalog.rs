//! Validates every embedded snapshot against the service definitions: every priced component has
//! a price or an explicit "no price" for each region it claims, every figure has a source, names
//! are unique, dates make sense.

use closednet::catalog::Catalog;
use closednet::catalog::definitions::is_date;
use closednet::catalog::units::Unit;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// The loader checks every definition with `ServiceDef::validate` (tiers, unique names, dates,
/// documentation, price sources, units, usage keys); the embedded catalog must pass it. On top of
/// that, what holds for the embedded catalog as a whole: Microsoft Learn pages, and no capability
/// dated after the newest snapshot.
#[test]
fn definitions_are_well_formed() {
    let catalog = Catalog::embedded().unwrap();
    let newest = catalog.newest().meta.as_of.clone();
    assert!(catalog.services().unwrap().len() >= 17);
    for def in catalog.services().unwrap() {
        if let Err(e) = def.validate() {
            panic!("services/{}.toml: {e}", def.type_id);
        }
        for tier in def.tiers() {
            for cap in &tier.capabilities {
                assert!(
                    cap.doc.starts_with("https://learn.microsoft.com/"),
                    "{}/{}: {}",
                    def.type_id,
                    tier.id,
                    cap.doc
                );
                assert!(cap.as_of <= newest, "{}/{}: capability dated after the newest snapshot", def.type_id, tier.id);
            }
        }
    }
}

/// Every definition of the embedded catalog, one by one, through the validator the loader runs,
/// also those `services()` would parse lazily.
#[test]
fn every_embedded_definition_passes_the_loader_validator() {
    let catalog = Catalog::embedded().unwrap();
    let types: Vec<&str> = catalog.type_ids().collect();
    assert!(types.len() >= 17);
    for type_id in types {
        let def = catalog.service(type_id).unwrap_or_else(|| panic!("services/{type_id}.toml does not load"));
        assert_eq!(def.validate(), Ok(()), "services/{type_id}.toml");
    }
    let dir = Catalog::from_dir(std::path::Path::new("pricing")).unwrap();
    for def in dir.services().unwrap() {
        assert_eq!(def.validate(), Ok(()), "pricing/services/{}.toml", def.type_id);
    }
}

#[test]
fn every_component_has_a_price_or_a_reason_in_every_region() {
    let catalog = Catalog::embedded().unwrap();
    for snap in catalog.snapshots.values() {
        assert_eq!(snap.meta.hours_per_month, Decimal::from(730));
        assert!(!snap.meta.regions.is_empty());
        for def in catalog.services().unwrap() {
            for tier in def.tiers() {
                for comp in &tier.components {
                    let key = def.key(tier, comp);
                    let regions: Vec<String> = match comp.region.as_deref() {
                        None => snap.meta.regions.clone(),
                        Some("zone") => (1..=8).map(|z| format!("Zone {z}")).collect(),
                        Some(r) => vec![r.to_string()],
                    };
                    for region in regions {
                        assert!(
                            snap.price(&key, &region).is_ok() || snap.is_missing(&key, &region),
                            "snapshot {}: {key} in {region} has neither a price nor a [[missing]] reason",
                            snap.meta.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_price_has_a_source_and_sane_buckets() {
    let catalog = Catalog::embedded().unwrap();
    for snap in catalog.snapshots.values() {
        let mut keys = BTreeSet::new();
        for def in catalog.services().unwrap() {
            for tier in def.tiers() {
                for comp in &tier.components {
                    keys.insert(def.key(tier, comp));
                }
            }
        }
        for p in snap.prices() {
            let at = format!("snapshot {}: {} in {}", snap.meta.name, p.key, p.region);
            assert!(keys.contains(&p.key), "{at}: no such component in pricing/services");
            assert!(is_date(&p.effective), "{at}: effective {}", p.effective);
            assert!(p.effective <= snap.meta.as_of, "{at}: price not in force at the snapshot date");
            match &p.meter_id {
                Some(id) => assert!(!id.is_empty(), "{at}: empty meter id"),
                None => {
                    let src = p.source.as_deref().unwrap_or("");
                    assert!(src.starts_with("https://"), "{at}: a documented figure needs a source URL");
                    assert!(
                        matches!(p.confidence.as_deref(), Some("official" | "third-party")),
                        "{at}: confidence must be official or third-party"
                    );
                }
            }
            assert!(Unit::parse(&p.unit).is_some(), "{at}: unit {}", p.unit);
            assert!(!p.buckets.is_empty(), "{at}: no buckets");
            assert_eq!(p.buckets[0].from, Decimal::ZERO, "{at}: the first bucket starts at 0");
            for w in p.buckets.windows(2) {
                assert!(w[0].from < w[1].from, "{at}: buckets out of order");
            }
            for b in &p.buckets {
                assert!(b.price >= Decimal::ZERO, "{at}: negative price");
            }
        }
        for fx in &snap.meta.fx {
            assert!(
                fx.rate > Decimal::ZERO && is_date(&fx.date) && !fx.source.is_empty(),
                "{}: fx {}",
                snap.meta.name,
                fx.currency
            );
        }
    }
}

/// The embedded catalog (JSON converted by build.rs, split by region, read lazily) holds exactly
/// what `pricing/` holds as TOML, read eagerly: every definition and every price of every
/// snapshot, with the same digests. A file that failed to parse would be missing here.
#[test]
fn embedded_catalog_is_the_pricing_directory() {
    let embedded = Catalog::embedded().unwrap();
    let dir = Catalog::from_dir(std::path::Path::new("pricing")).unwrap();
    // Every size made into its tier first: the directory's validation makes them all, an embedded
    // definition makes them when asked.
    let defs = |c: &Catalog| -> Vec<String> {
        c.services()
            .unwrap()
            .iter()
            .map(|d| {
                d.tiers().for_each(drop);
                format!("{d:?}")
            })
            .collect()
    };
    assert_eq!(defs(&embedded), defs(&dir));
    assert_eq!(embedded.snapshots.keys().collect::<Vec<_>>(), dir.snapshots.keys().collect::<Vec<_>>());
    for (name, e) in &embedded.snapshots {
        let d = &dir.snapshots[name];
        assert_eq!(e.sha256, d.sha256, "snapshot {name}");
        assert_eq!(format!("{:?}", e.meta), format!("{:?}", d.meta), "snapshot {name}");
        let sorted = |s: &closednet::catalog::snapshot::Snapshot| {
            let mut p: Vec<_> = s.prices().into_iter().cloned().collect();
            p.sort_by(|a, b| (&a.key, &a.region).cmp(&(&b.key, &b.region)));
            p
        };
        let (ep, dp) = (sorted(e), sorted(d));
        assert!(ep.len() > 1_000, "snapshot {name}: {} prices", ep.len());
        assert!(ep == dp, "snapshot {name}: embedded and directory prices differ");
    }
    assert_eq!(embedded.checksums, dir.checksums);
}

#[test]
fn a_snapshot_digest_covers_its_own_files_and_the_definitions_it_prices() {
    let files = closednet::catalog::files_in(std::path::Path::new("pricing")).unwrap();
    let before = closednet::catalog::digest(&files, "2023-12");
    // The embedded catalog's digest (build.rs) follows the same rule as a directory's.
    let embedded = Catalog::embedded().unwrap();
    assert_eq!(embedded.snapshot("2023-12").unwrap().sha256, before);
    // A new service type that 2023-12 does not price leaves its digest unchanged ...
    let mut more = files.clone();
    more.push(("services/new-type.toml".into(), "type = \"new-type\"\n".into()));
    assert_eq!(closednet::catalog::digest(&more, "2023-12"), before);
    // ... and changes it once the snapshot prices it.
    more.push(("2023-12/prices/new-type.toml".into(), String::new()));
    assert_ne!(closednet::catalog::digest(&more, "2023-12"), before);
    // A definition the snapshot prices is covered: editing it changes the digest.
    let mut edited = files.clone();
    let storage = edited.iter_mut().find(|(p, _)| p == "services/storage.toml").unwrap();
    storage.1.push_str("\n# edited\n");
    assert_ne!(closednet::catalog::digest(&edited, "2023-12"), before);
}

/// Sizes are made into tiers only when asked for; the look-ups that avoid making them all give
/// what a search over every tier gives: the default tier for each OS, and every size found by its
/// id and by its name in any case (`D2s-V5`, `standard_d2s_v5`), and nothing for a near miss.
#[test]
fn lazy_size_lookups_agree_with_a_search_of_every_tier() {
    let catalog = Catalog::embedded().unwrap();
    let vm = catalog.service("virtual-machine").unwrap();
    for os in [None, Some("linux"), Some("windows")] {
        let eager = vm.tiers().filter(|t| os.is_none_or(|os| t.supports_os(os))).min_by_key(|t| t.rank);
        assert_eq!(vm.default_tier(os).map(|t| &t.id), eager.map(|t| &t.id), "{os:?}");
    }
    assert_eq!(vm.default_tier(None).unwrap().id, "d2s-v5");
    assert_eq!(vm.tier("D2s-V5").unwrap().id, "d2s-v5");
    assert_eq!(vm.tier(" standard_e4s_v5 ").unwrap().id, "e4s-v5");
    assert_eq!(vm.tier("Standard_E4s_v5").unwrap().aliases, ["Standard_E4s_v5"]);
    assert!(vm.tier("e4s_v5").is_none(), "an id is written with hyphens");
    assert!(vm.tier("e4s-v").is_none());
    let mut sizes = 0;
    for size in vm.sizes.iter() {
        let id = size.tier_id();
        assert_eq!(vm.tier(&id).map(|t| &t.id), Some(&id));
        assert_eq!(vm.tier(&size.size.to_ascii_uppercase()).map(|t| &t.id), Some(&id));
        sizes += 1;
    }
    assert_eq!(sizes, 1117);
}
