//! The architect's commercial terms, as model data: negotiated discounts (`discounts:`,
//! `--discount`) and unit prices of their own (`prices:`), with the look-ups that pick the entry
//! for a line. Applying them to a priced design is the `adjust` layer's job; this module only says
//! what the terms are and which one is the most specific.

use super::Loc;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What a discount applies to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    All,
    /// A service type, e.g. `openai` or `entra-id`.
    Type(String),
    /// One declared service or added resource by name.
    Service(String),
}

/// A negotiated discount (EA/MCA percentage), kept local.
#[derive(Clone, Debug, PartialEq)]
pub struct Discount {
    pub target: Target,
    pub percent: Decimal,
    /// Where it came from: the file or the command line.
    pub origin: String,
}

impl Discount {
    pub fn describe(&self) -> String {
        let on = match &self.target {
            Target::All => "every service".to_string(),
            Target::Type(t) => format!("type {t}"),
            Target::Service(s) => format!("service {s}"),
        };
        format!("{}% on {on} ({})", self.percent.normalize(), self.origin)
    }
}

/// The discounts by what they apply to: the most specific one for a service is found in constant
/// time, whatever the number of services and discounts. Targets are unique once validated (two
/// discounts on one target are an error); should two remain, the later wins.
#[derive(Debug, Default)]
pub struct DiscountIndex<'a> {
    all: Option<&'a Discount>,
    types: HashMap<&'a str, &'a Discount>,
    services: HashMap<&'a str, &'a Discount>,
}

impl<'a> DiscountIndex<'a> {
    pub fn new(discounts: &'a [Discount]) -> Self {
        let mut index = DiscountIndex::default();
        for d in discounts {
            match &d.target {
                Target::All => index.all = Some(d),
                Target::Type(t) => {
                    index.types.insert(t, d);
                }
                Target::Service(s) => {
                    index.services.insert(s, d);
                }
            }
        }
        index
    }

    /// The most specific discount for a service: by name, then by type, then for all.
    pub fn get(&self, name: &str, type_id: &str) -> Option<&'a Discount> {
        self.services.get(name).or_else(|| self.types.get(type_id)).copied().or(self.all)
    }
}

/// A discount is a percentage from 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NotAPercent(pub Decimal);

impl std::fmt::Display for NotAPercent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}% is not a discount between 0 and 100", self.0)
    }
}

pub fn check_percent(p: Decimal) -> Result<(), NotAPercent> {
    if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED {
        return Err(NotAPercent(p));
    }
    Ok(())
}

/// One `prices:` entry, as validated from the file: the unit price of a component for a service
/// type, a tier, a component or one service.
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

    /// `USD 0.09 per unit on virtual-machine d2s-v5 / linux (service agents): EA 2026`, for messages.
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

/// The `prices:` entries by type, and by type and service, so that the entry for a line is found
/// among the few that can match it instead of among all of them.
#[derive(Debug, Default)]
pub struct PriceIndex<'a> {
    by_type: HashMap<&'a str, Vec<&'a Price>>,
    by_service: HashMap<(&'a str, &'a str), Vec<&'a Price>>,
}

impl<'a> PriceIndex<'a> {
    pub fn new(prices: &'a [Price]) -> Self {
        let mut index = PriceIndex::default();
        for p in prices {
            match &p.service {
                Some(s) => index.by_service.entry((&p.type_id, s)).or_default().push(p),
                None => index.by_type.entry(&p.type_id).or_default().push(p),
            }
        }
        index
    }

    pub fn is_empty(&self) -> bool {
        self.by_type.is_empty() && self.by_service.is_empty()
    }

    /// The most specific entry for one line.
    pub fn get(&self, name: &str, type_id: &str, tier: &str, component: &str) -> Option<&'a Price> {
        let service = self.by_service.get(&(type_id, name)).into_iter().flatten();
        let typed = self.by_type.get(type_id).into_iter().flatten();
        service.chain(typed).copied().filter(|p| p.matches(name, type_id, tier, component)).max_by_key(|p| p.rank())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(target: Target, p: i64) -> Discount {
        Discount { target, percent: Decimal::from(p), origin: "test".into() }
    }

    #[test]
    fn the_most_specific_discount_wins() {
        let all = [d(Target::All, 10), d(Target::Type("openai".into()), 25), d(Target::Service("gpt".into()), 30)];
        let index = DiscountIndex::new(&all);
        let pct = |name, ty| index.get(name, ty).map(|d| d.percent);
        assert_eq!(pct("gpt", "openai"), Some(Decimal::from(30)));
        assert_eq!(pct("gpt2", "openai"), Some(Decimal::from(25)));
        assert_eq!(pct("gateway", "api-management"), Some(Decimal::from(10)));
        assert!(DiscountIndex::new(&all[1..]).get("gateway", "api-management").is_none());
        assert_eq!(
            check_percent(Decimal::from(101)).unwrap_err().to_string(),
            "101% is not a discount between 0 and 100"
        );
    }

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
        let index = PriceIndex::new(&all);
        let price = |name, tier, comp| index.get(name, "virtual-machine", tier, comp).map(|p| p.price);
        assert_eq!(price("agents", "d2s-v5", "linux"), Some(Decimal::from(4)));
        assert_eq!(price("jumpbox", "d2s-v5", "linux"), Some(Decimal::from(3)));
        assert_eq!(price("jumpbox", "d2s-v5", "windows"), Some(Decimal::from(2)));
        assert_eq!(price("jumpbox", "d4s-v5", "windows"), Some(Decimal::from(5)));
        assert_eq!(price("jumpbox", "d4s-v5", "linux"), Some(Decimal::from(1)));
        assert!(index.get("x", "storage", "hot-lrs", "gb").is_none());
    }
}
