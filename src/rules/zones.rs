//! Zone redundancy: a service declared `zone_redundant` runs only on a tier that can be
//! zone-redundant at the pricing date, and at no less than the capacity the platform then runs and
//! bills (an App Service plan: three instances, two since 2025; API Management Premium: two units).
//! A file below that minimum is an error, not a silent raise: the estimate prices what the file says.

use crate::architecture::{Architecture, Service};
use crate::catalog::definitions::{ServiceDef, Tier};
use crate::error::{Diagnostic, Error};
use rust_decimal::Decimal;

/// Why `tier` cannot run `svc` zone-redundant on `date`, or `None` when it can (or `svc` is not
/// zone-redundant).
pub(super) fn shortfall(svc: &Service, def: &ServiceDef, tier: &Tier, date: &str) -> Option<String> {
    if !svc.zone_redundant {
        return None;
    }
    let Some(z) = tier.zone_redundancy_at(date) else {
        return Some(match tier.zone_redundancy.is_empty() {
            true => "cannot be zone-redundant".to_string(),
            false => format!("cannot be zone-redundant on {date}"),
        });
    };
    let key = z.capacity.as_deref()?;
    let have = svc.capacity.get(key).copied().unwrap_or_else(|| def.capacity_default(key));
    (have < Decimal::from(z.min)).then(|| {
        format!(
            "zone-redundant, it runs and bills at least {} {key} ({}, {}); {key}: {have} is below that",
            z.min, z.doc, z.as_of
        )
    })
}

/// Every zone-redundant service of `arch` at its declared tier, checked on `date`: the first
/// problem of each as a located error.
pub(super) fn check_declared(
    arch: &Architecture,
    svc: &Service,
    def: &ServiceDef,
    tier: &Tier,
    date: &str,
) -> Result<(), Error> {
    let Some(why) = shortfall(svc, def, tier, date) else { return Ok(()) };
    let mut d = Diagnostic::new(&arch.file, format!("{}: {} tier {} {why}", svc.name, def.type_id, tier.id))
        .at(svc.loc.line, svc.loc.column)
        .path(format!("{}.zone_redundant", svc.path()));
    d.help = Some(match tier.zone_redundancy_at(date).and_then(|z| z.capacity.clone().map(|k| (k, z.min))) {
        Some((key, min)) => format!("set {key}: {min} or more"),
        None => {
            let able: Vec<&str> =
                def.tiers().filter(|t| t.zone_redundancy_at(date).is_some()).map(|t| t.id.as_str()).collect();
            format!("tiers that can be zone-redundant on {date}: {}", able.join(", "))
        }
    });
    Err(Error::Input(vec![d]))
}
