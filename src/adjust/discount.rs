//! Negotiated discounts (EA/MCA percentages) kept local: from the architecture file's `discounts:`
//! or `--discount`, they apply to every line of a service after the tier choice (which is made on
//! list prices), and every report shows list price, discount and net. Lines priced at your own
//! figure (`prices:`, a price sheet) or stated by you (the hub's charge-back) take no discount: the
//! figure is already what you pay. Nothing leaves the machine.

use super::each_line;
use crate::architecture::Architecture;
use crate::architecture::terms::{Discount, DiscountIndex, Target};
use crate::calculator::Source;
use crate::catalog::Catalog;
use crate::error::Error;
use crate::rules::Design;
use rust_decimal::Decimal;

/// Sets each line's discount (the most specific one for its service).
pub fn apply(design: &mut Design, discounts: &[Discount]) -> Result<(), Error> {
    if discounts.is_empty() {
        return Ok(());
    }
    let index = DiscountIndex::new(discounts);
    each_line(design, |owner, l| {
        let pct = index.get(owner.name, owner.type_id).map(|d| d.percent);
        let own = matches!(l.source, Source::Stated(_) | Source::Yours { .. });
        l.discount = pct.filter(|p| !p.is_zero() && !own);
        Ok(true)
    })
    .map(|_| ())
}

/// The file's discounts, then the command line's `(target, percent)` pairs: a target names a
/// service of the file, else a service type; none means every service. One target takes one
/// discount: two on the command line are an error, and one on the command line replaces the file's
/// on the same target (the command line wins; the report names the one applied and what it replaced).
pub fn resolve(
    arch: &Architecture,
    catalog: &Catalog,
    cli: &[(Option<String>, Decimal)],
) -> Result<Vec<Discount>, Error> {
    let mut out = arch.discounts.clone();
    let mut given: Vec<(Target, String)> = Vec::new();
    for (target, percent) in cli {
        let flag = match target {
            None => format!("--discount {}", percent.normalize()),
            Some(t) => format!("--discount {t}={}", percent.normalize()),
        };
        let target = match target {
            None => Target::All,
            Some(t) if arch.service(t).is_some() => Target::Service(t.clone()),
            Some(t) if catalog.service(t).is_some() => Target::Type(t.clone()),
            Some(t) => {
                return Err(Error::msg(format!(
                    "{flag}: \"{t}\" is neither a service of {} nor a service type",
                    arch.file
                )));
            }
        };
        if let Some((_, earlier)) = given.iter().find(|(t, _)| *t == target) {
            return Err(Error::msg(format!(
                "{earlier} and {flag} both discount {}: give one (only one could apply)",
                on(&target)
            )));
        }
        given.push((target.clone(), flag));
        let origin = match out.iter().position(|d| d.target == target) {
            Some(i) => {
                let replaced = out.remove(i);
                format!(
                    "--discount on the command line, instead of {}% {}",
                    replaced.percent.normalize(),
                    replaced.origin
                )
            }
            None => "--discount on the command line".into(),
        };
        out.push(Discount { target, percent: *percent, origin });
    }
    Ok(out)
}

fn on(target: &Target) -> String {
    match target {
        Target::All => "every service".to_string(),
        Target::Type(t) => format!("type {t}"),
        Target::Service(s) => format!("service {s}"),
    }
}
