//! Prices the architect controls: `prices:` in the architecture file sets the unit price of a
//! component (an EA/MCA price sheet figure, a negotiated rate) for a service type, a tier, a
//! component or one service ([`crate::architecture::terms::Price`]). Like discounts, they apply to
//! both designs after the tier choice (which is made on list prices), the most specific entry wins,
//! and every report says the figure is yours and shows the list price it replaced.

use super::each_line;
use crate::architecture::terms::{Price, PriceIndex};
use crate::calculator::Source;
use crate::error::{Diagnostic, Error};
use crate::money::Conversion;
use crate::rules::Design;

/// The component id of a line's price key `type/tier/component`.
fn component_id(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// Each entry's price in USD: a USD figure as it is, a figure in the report currency divided by
/// the report's rate; any other currency is an error at the entry.
pub fn to_usd(prices: &[Price], conv: &Conversion, file: &str) -> Result<Vec<Price>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for p in prices {
        let mut p = p.clone();
        if p.currency != "USD" {
            if p.currency != conv.currency.code() {
                diags.push(
                    Diagnostic::new(
                        file,
                        format!(
                            "a price in {} but the report is in {}: closednet converts only between USD and the report currency",
                            p.currency,
                            conv.currency.code()
                        ),
                    )
                    .at(p.loc.line, p.loc.column)
                    .path(format!("prices[{}].currency", p.index))
                    .help(format!("give the figure in USD or in {}", conv.currency.code())),
                );
                continue;
            }
            match p.price.checked_div(conv.rate) {
                Some(usd) => p.price = usd,
                None => {
                    diags.push(
                        Diagnostic::new(file, "the price cannot be converted to USD")
                            .at(p.loc.line, p.loc.column)
                            .path(format!("prices[{}].price", p.index)),
                    );
                    continue;
                }
            }
            p.currency = "USD".into();
        }
        out.push(p);
    }
    if diags.is_empty() { Ok(out) } else { Err(diags) }
}

/// A `service:` entry must name a declared service or a resource one of the designs adds.
pub fn check_services(prices: &[Price], designs: &[&Design], file: &str) -> Result<(), Vec<Diagnostic>> {
    let mut names: Vec<&str> = Vec::new();
    let mut types: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for d in designs {
        for s in d.services.iter().chain(&d.added) {
            if let std::collections::hash_map::Entry::Vacant(e) = types.entry(s.name.as_str()) {
                e.insert(s.type_id);
                names.push(s.name.as_str());
            }
        }
    }
    let mut diags = Vec::new();
    for p in prices {
        let Some(service) = &p.service else { continue };
        let path = format!("prices[{}].service", p.index);
        match types.get_key_value(service.as_str()) {
            Some((_, t)) if *t != p.type_id => diags.push(
                Diagnostic::new(file, format!("service \"{service}\" has type {t}, not {}", p.type_id))
                    .at(p.loc.line, p.loc.column)
                    .path(path)
                    .help(format!("set `type: {t}`")),
            ),
            Some(_) => {}
            None => {
                diags.push(
                    Diagnostic::new(file, format!("no service or added resource named \"{service}\""))
                        .at(p.loc.line, p.loc.column)
                        .path(path)
                        .help(crate::suggest::help(service, &names)),
                );
            }
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// Prices every line an entry matches (not the lines provided by the organisation or stated as a
/// monthly amount).
pub fn apply(design: &mut Design, prices: &[Price]) -> Result<(), Error> {
    if prices.is_empty() {
        return Ok(());
    }
    let index = PriceIndex::new(prices);
    each_line(design, |owner, l| {
        if matches!(l.source, Source::Provided { .. } | Source::Stated(_)) {
            return Ok(false);
        }
        match index.get(owner.name, owner.type_id, owner.tier, component_id(l.key)) {
            Some(p) => l.set_price(p.price, &p.source).map(|()| true).map_err(Error::from),
            None => Ok(false),
        }
    })
    .map(|_| ())
}
