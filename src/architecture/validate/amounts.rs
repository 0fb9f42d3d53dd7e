//! A service's numbers: its capacity (units, replicas, ...) and its declared usage, each read as
//! an exact quantity and checked against what its type prices.

use super::Checker;
use super::paths::Paths;
use crate::architecture::yaml::{Loc, RawService, loc};
use crate::catalog::definitions::ServiceDef;
use crate::suggest;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The capacity keys the type has (units, replicas, ...): given, else the type's default.
pub(super) fn capacity(c: &mut Checker, s: &RawService, def: &ServiceDef, p: Paths) -> BTreeMap<String, Decimal> {
    let mut capacity = BTreeMap::new();
    for (key, value) in [
        ("units", s.units.as_deref()),
        ("replicas", s.replicas.as_deref()),
        ("partitions", s.partitions.as_deref()),
        ("instances", s.instances.as_deref()),
        ("throughput", s.throughput.as_deref()),
    ] {
        match value {
            Some(v) if !def.capacity.iter().any(|k| k == key) => {
                let msg = format!("{} has no `{key}`", def.type_id);
                let help = if def.capacity.is_empty() {
                    "remove it: this service type has no capacity setting".to_string()
                } else {
                    format!("its capacity keys are: {}", def.capacity.join(", "))
                };
                c.error(loc(v), p.of(key), msg).help = Some(help);
            }
            Some(v) => {
                if let Some(n) = c.count(v, p.of(key), 1) {
                    capacity.insert(key.to_string(), n);
                }
            }
            None if def.capacity.iter().any(|k| k == key) => {
                capacity.insert(key.to_string(), def.capacity_default(key));
            }
            None => {}
        }
    }
    capacity
}

/// The declared usage, each key one the type prices, each a quantity; and the model for a type
/// priced by model (e.g. an OpenAI deployment), which its usage then needs.
pub(super) fn usage(
    c: &mut Checker,
    s: &RawService,
    def: &ServiceDef,
    at: Loc,
    p: Paths,
) -> (BTreeMap<String, Decimal>, Option<String>) {
    let mut usage = BTreeMap::new();
    let mut model = None;
    for (key, value) in s.usage.iter().flatten() {
        let path = p.within("usage.", key);
        if !def.usage.iter().any(|k| k == key) {
            let keys: Vec<&str> = def.usage.iter().map(String::as_str).collect();
            let help =
                if keys.is_empty() { format!("{} takes no usage", def.type_id) } else { suggest::help(key, &keys) };
            c.error(loc(value), path, format!("{} has no usage \"{key}\"", def.type_id)).help = Some(help);
            continue;
        }
        if key == "model" {
            let m = value.value.text();
            let models: Vec<&str> = def.models.iter().map(String::as_str).collect();
            if models.contains(&m.as_str()) {
                model = Some(m);
            } else {
                c.error(loc(value), path, format!("unknown model \"{m}\"")).help = Some(suggest::help(&m, &models));
            }
            continue;
        }
        if let Some(q) = c.quantity(value, path) {
            usage.insert(key.clone(), q);
        }
    }
    if !def.models.is_empty() && model.is_none() && !usage.is_empty() {
        c.error(at, p.of("usage.model"), format!("{} usage needs a `model`", def.type_id)).help =
            Some(format!("one of: {}", def.models.join(", ")));
    }
    (usage, model)
}
