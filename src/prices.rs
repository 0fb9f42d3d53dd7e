//! Prices the architect controls: `prices:` in the architecture file sets the unit price of a
//! component (an EA/MCA price sheet figure, a negotiated rate) for a service type, a tier, a
//! component or one service. Like discounts, they apply to both designs after the tier choice
//! (which is made on list prices), the most specific entry wins, and every report says the figure
//! is yours and shows the list price it replaced.

use crate::architecture::Loc;
use crate::error::Diagnostic;
use crate::money::Conversion;
use crate::rules::Design;
use rust_decimal::Decimal;

/// One `prices:` entry, as validated from the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Price {
    pub type_id: String,
    /// Canonical tier id.
    pub tier: Option<String>,
    /// Component id.
    pub component: Option<String>,
    /// A declared service or an added resource, by name.
    pub service: Option<String>,
    /// The unit price in `currency`.
    pub price: Decimal,
    /// ISO 4217 code (USD unless the file says otherwise).
    pub currency: String,
    pub unit: Option<String>,
    pub source: String,
    /// Where the entry is in the file, and its index in `prices`.
    pub loc: Loc,
    pub index: usize,
}

impl Price {
    /// Specificity: a service beats type + tier + component, which beats type + tier, which beats
    /// type + component, which beats a type alone.
    pub fn rank(&self) -> u8 {
        u8::from(self.service.is_some()) * 4 + u8::from(self.tier.is_some()) * 2 + u8::from(self.component.is_some())
    }

    fn matches(&self, name: &str, type_id: &str, tier: &str, component: &str) -> bool {
        self.type_id == type_id
            && self.service.as_deref().is_none_or(|s| s == name)
            && self.tier.as_deref().is_none_or(|t| t == tier)
            && self.component.as_deref().is_none_or(|c| c == component)
    }

    /// `d2s-v5 linux of virtual-machine` and the like, for messages.
    pub fn describe(&self) -> String {
        let mut what = self.type_id.clone();
        if let Some(t) = &self.tier {
            what.push_str(&format!(" {t}"));
        }
        if let Some(c) = &self.component {
            what.push_str(&format!(" / {c}"));
        }
        if let Some(s) = &self.service {
            what.push_str(&format!(" (service {s})"));
        }
        format!("{} {} per unit on {what}: {}", self.currency, self.price.normalize(), self.source)
    }
}

/// The most specific entry for one line.
pub fn for_line<'a>(prices: &'a [Price], name: &str, type_id: &str, tier: &str, component: &str) -> Option<&'a Price> {
    prices.iter().filter(|p| p.matches(name, type_id, tier, component)).max_by_key(|p| p.rank())
}

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
    let mut names: Vec<(&str, &str)> = Vec::new();
    for d in designs {
        for s in d.services.iter().chain(&d.added) {
            names.push((s.name.as_str(), s.type_id));
        }
    }
    let mut diags = Vec::new();
    for p in prices {
        let Some(service) = &p.service else { continue };
        let path = format!("prices[{}].service", p.index);
        match names.iter().find(|(n, _)| n == service) {
            Some((_, t)) if *t != p.type_id => diags.push(
                Diagnostic::new(file, format!("service \"{service}\" has type {t}, not {}", p.type_id))
                    .at(p.loc.line, p.loc.column)
                    .path(path)
                    .help(format!("set `type: {t}`")),
            ),
            Some(_) => {}
            None => {
                let candidates: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
                diags.push(
                    Diagnostic::new(file, format!("no service or added resource named \"{service}\""))
                        .at(p.loc.line, p.loc.column)
                        .path(path)
                        .help(crate::suggest::help(service, &candidates)),
                );
            }
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// Prices every line an entry matches (not the lines provided by the organisation or stated as a
/// monthly amount) and recomputes the service totals.
pub fn apply(design: &mut Design, prices: &[Price]) -> Result<(), String> {
    if prices.is_empty() {
        return Ok(());
    }
    let dropped = design.dropped.iter_mut().flat_map(|(_, rest)| rest.iter_mut());
    for s in design.services.iter_mut().chain(design.added.iter_mut()).chain(dropped) {
        let mut changed = false;
        for l in &mut s.lines {
            if matches!(l.source, crate::estimate::Source::Provided { .. } | crate::estimate::Source::Stated(_)) {
                continue;
            }
            if let Some(p) = for_line(prices, &s.name, s.type_id, s.tier, component_id(l.key)) {
                l.set_price(p.price, &p.source).map_err(|e| format!("{}: {e}", s.name))?;
                changed = true;
            }
        }
        if changed {
            s.totals = crate::estimate::Totals::of(&s.lines).map_err(|e| format!("{}: {e}", s.name))?;
        }
    }
    Ok(())
}

/// Prices every fixed line whose meter has a savings plan rate for `c` at that rate (tiers were
/// chosen at pay-as-you-go prices) and recomputes the service totals.
pub fn commit(design: &mut Design, c: crate::estimate::Commitment) -> Result<(), String> {
    if c == crate::estimate::Commitment::Payg {
        return Ok(());
    }
    let dropped = design.dropped.iter_mut().flat_map(|(_, rest)| rest.iter_mut());
    for s in design.services.iter_mut().chain(design.added.iter_mut()).chain(dropped) {
        let mut changed = false;
        for l in &mut s.lines {
            changed |= l.commit(c);
        }
        if changed {
            s.totals = crate::estimate::Totals::of(&s.lines).map_err(|e| format!("{}: {e}", s.name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(tier: Option<&str>, component: Option<&str>, service: Option<&str>, price: i64) -> Price {
        Price {
            type_id: "virtual-machine".into(),
            tier: tier.map(Into::into),
            component: component.map(Into::into),
            service: service.map(Into::into),
            price: Decimal::from(price),
            currency: "USD".into(),
            unit: None,
            source: "test".into(),
            loc: Loc::default(),
            index: 0,
        }
    }

    #[test]
    fn the_most_specific_price_wins() {
        let all = [
            p(None, None, None, 1),
            p(Some("d2s-v5"), None, None, 2),
            p(Some("d2s-v5"), Some("linux"), None, 3),
            p(None, None, Some("agents"), 4),
            p(None, Some("windows"), None, 5),
        ];
        let price = |name, tier, comp| for_line(&all, name, "virtual-machine", tier, comp).unwrap().price;
        assert_eq!(price("agents", "d2s-v5", "linux"), Decimal::from(4));
        assert_eq!(price("jumpbox", "d2s-v5", "linux"), Decimal::from(3));
        assert_eq!(price("jumpbox", "d2s-v5", "windows"), Decimal::from(2));
        assert_eq!(price("jumpbox", "d4s-v5", "windows"), Decimal::from(5));
        assert_eq!(price("jumpbox", "d4s-v5", "linux"), Decimal::from(1));
        assert!(for_line(&all, "x", "storage", "hot-lrs", "gb").is_none());
    }
}
