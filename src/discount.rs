//! Negotiated discounts (EA/MCA percentages) kept local: they come from the architecture file's
//! `discounts:` or `--discount`, apply to every line of a service after the tier choice (which is
//! made on list prices), and every report shows list price, discount and net. Lines priced at the
//! file's own `prices:` take no discount (the figure is already what you pay). Nothing leaves the
//! machine.

use crate::rules::Design;
use rust_decimal::Decimal;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    All,
    /// A service type, e.g. `openai` or `entra-id`.
    Type(String),
    /// One declared service or added resource by name.
    Service(String),
}

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

    fn rank(&self) -> u8 {
        match self.target {
            Target::All => 0,
            Target::Type(_) => 1,
            Target::Service(_) => 2,
        }
    }
}

/// The most specific discount for a service: by name, then by type, then for all.
pub fn for_service<'a>(discounts: &'a [Discount], name: &str, type_id: &str) -> Option<&'a Discount> {
    discounts
        .iter()
        .filter(|d| match &d.target {
            Target::All => true,
            Target::Type(t) => t == type_id,
            Target::Service(s) => s == name,
        })
        .max_by_key(|d| d.rank())
}

/// Sets each line's discount and recomputes the service totals (net of discount).
pub fn apply(design: &mut Design, discounts: &[Discount]) -> Result<(), String> {
    if discounts.is_empty() {
        return Ok(());
    }
    // The re-priced variants behind "saving if dropped" get the same discounts, so the saving is net.
    let dropped = design.dropped.iter_mut().flat_map(|(_, rest)| rest.iter_mut());
    for s in design.services.iter_mut().chain(design.added.iter_mut()).chain(dropped) {
        let pct = for_service(discounts, &s.name, s.type_id).map(|d| d.percent);
        for l in &mut s.lines {
            // A figure the architect states (the hub's charge-back) is not an Azure list price, and a
            // price of yours (`prices:`, a price sheet) is already what you pay: no discount on them.
            let own = matches!(l.source, crate::estimate::Source::Stated(_) | crate::estimate::Source::Yours { .. });
            l.discount = pct.filter(|p| !p.is_zero() && !own);
        }
        s.totals = crate::estimate::Totals::of(&s.lines)?;
    }
    Ok(())
}

/// Parses `--discount 15` (all) or `--discount openai=25` / `--discount gateway=10` (a type or a
/// service name; the caller decides which).
pub fn parse_arg(arg: &str) -> Result<(Option<String>, Decimal), String> {
    let (target, pct) = match arg.rsplit_once('=') {
        Some((t, p)) => (Some(t.trim().to_string()), p),
        None => (None, arg),
    };
    let pct: Decimal = pct.trim().trim_end_matches('%').parse().map_err(|_| {
        format!("--discount {arg}: expected [TYPE|SERVICE=]PERCENT, e.g. --discount 15 or --discount openai=25")
    })?;
    check_percent(pct).map_err(|e| format!("--discount {arg}: {e}"))?;
    Ok((target, pct))
}

pub fn check_percent(p: Decimal) -> Result<(), String> {
    if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED {
        return Err(format!("{p}% is not a discount between 0 and 100"));
    }
    Ok(())
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
        assert_eq!(for_service(&all, "gpt", "openai").unwrap().percent, Decimal::from(30));
        assert_eq!(for_service(&all, "gpt2", "openai").unwrap().percent, Decimal::from(25));
        assert_eq!(for_service(&all, "gateway", "api-management").unwrap().percent, Decimal::from(10));
        assert!(for_service(&all[1..], "gateway", "api-management").is_none());
    }

    #[test]
    fn parses_discount_arguments() {
        assert_eq!(parse_arg("15").unwrap(), (None, Decimal::from(15)));
        assert_eq!(parse_arg("openai=25%").unwrap(), (Some("openai".into()), Decimal::from(25)));
        assert_eq!(parse_arg("x=101").unwrap_err(), "--discount x=101: 101% is not a discount between 0 and 100");
        assert!(parse_arg("abc").is_err());
    }
}
