//! Validates every embedded snapshot against the service definitions: every priced component has
//! a price or an explicit "no price" for each region it claims, every figure has a source, names
//! are unique, dates make sense.

use closednet::catalog::Catalog;
use closednet::catalog::definitions::Charge;
use closednet::catalog::units::Unit;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.chars().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() })
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

#[test]
fn definitions_are_well_formed() {
    let catalog = Catalog::embedded().unwrap();
    let newest = catalog.newest().meta.as_of.clone();
    assert!(catalog.services().unwrap().len() >= 17);
    for def in catalog.services().unwrap() {
        let mut names = BTreeSet::new();
        for tier in &def.tiers {
            for name in std::iter::once(&tier.id).chain(&tier.aliases) {
                assert!(names.insert(name.to_ascii_lowercase()), "{}: tier name {name} is used twice", def.type_id);
            }
            assert!(!tier.components.is_empty(), "{}/{} has no priced component", def.type_id, tier.id);
            if tier.sla == Some(false) {
                assert!(tier.sla_doc.is_some(), "{}/{}: 'no SLA' needs a source", def.type_id, tier.id);
            }
            for date in [&tier.since, &tier.until].into_iter().flatten() {
                assert!(is_date(date), "{}/{}: {date}", def.type_id, tier.id);
            }
            if tier.since.is_some() {
                assert!(
                    tier.since_doc.as_deref().is_some_and(|d| d.starts_with("https://")),
                    "{}/{}: since needs since_doc",
                    def.type_id,
                    tier.id
                );
            }
            for cap in &tier.capabilities {
                for date in [&cap.since, &cap.until].into_iter().flatten() {
                    assert!(is_date(date), "{}/{}: {date}", def.type_id, tier.id);
                }
                if let (Some(s), Some(u)) = (&cap.since, &cap.until) {
                    assert!(s < u, "{}/{}: since after until", def.type_id, tier.id);
                }
                assert!(
                    cap.doc.starts_with("https://learn.microsoft.com/"),
                    "{}/{}: {}",
                    def.type_id,
                    tier.id,
                    cap.doc
                );
                assert!(is_date(&cap.as_of), "{}/{}: as_of {}", def.type_id, tier.id, cap.as_of);
                assert!(cap.as_of <= newest, "{}/{}: capability dated after the newest snapshot", def.type_id, tier.id);
            }
            let mut ids = BTreeSet::new();
            for comp in &tier.components {
                let key = def.key(tier, comp);
                assert!(ids.insert(&comp.id), "{key} is defined twice");
                assert!(comp.meter.is_some() != comp.documented, "{key}: exactly one of `meter` or `documented`");
                if comp.meter.is_some() {
                    assert!(
                        def.retail_file.is_some() && def.service_name.is_some(),
                        "{key}: metered, but no retail_file"
                    );
                }
                let unit = Unit::parse(comp.unit()).unwrap_or_else(|| panic!("{key}: unit {:?}", comp.unit()));
                match comp.charge {
                    Charge::Fixed => {
                        assert!(unit.period.is_some(), "{key}: a fixed charge needs a unit of time");
                        for p in &comp.per {
                            assert!(
                                def.capacity.contains(p),
                                "{key}: per {p} is not a capacity key of {}",
                                def.type_id
                            );
                        }
                    }
                    Charge::Usage => {
                        let u = comp.usage.as_deref().unwrap_or_else(|| panic!("{key}: a usage charge needs `usage`"));
                        assert!(
                            def.usage.iter().any(|k| k == u),
                            "{key}: usage {u} is not declared by {}",
                            def.type_id
                        );
                    }
                }
                if let Some(m) = &comp.model {
                    assert!(def.models.contains(m), "{key}: model {m} is not in models");
                }
                if comp.free_units.is_some() {
                    assert!(
                        comp.free_doc.as_deref().is_some_and(|d| d.starts_with("https://")),
                        "{key}: free grant needs a source"
                    );
                }
            }
        }
    }
}

#[test]
fn every_component_has_a_price_or_a_reason_in_every_region() {
    let catalog = Catalog::embedded().unwrap();
    for snap in catalog.snapshots.values() {
        assert_eq!(snap.meta.hours_per_month, Decimal::from(730));
        assert!(!snap.meta.regions.is_empty());
        for def in catalog.services().unwrap() {
            for tier in &def.tiers {
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
            for tier in &def.tiers {
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
    let defs = |c: &Catalog| -> Vec<String> { c.services().unwrap().iter().map(|d| format!("{d:?}")).collect() };
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
