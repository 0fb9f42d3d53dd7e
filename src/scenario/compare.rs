//! `closednet compare FILE`: the file as written and each of its scenarios, priced side by side,
//! with what differs from the file as written (tiers, platform lines) and the requirements each
//! breaks. Every variant is one `pipeline::run` with the scenario's overrides ahead of the run's
//! own `--set`s, so a column of the comparison is exactly `estimate FILE --scenario NAME`.

use super::{find, scenarios_of};
use crate::architecture::scenario::BASE;
use crate::architecture::set::Set;
use crate::catalog::Catalog;
use crate::error::Error;
use crate::figures::{PresentedDesign, present};
use crate::pipeline::{self, Estimate, Overrides};
use crate::rules::constraints::{self, Breach};
use rust_decimal::Decimal;

/// The presented totals of one variant (the sums of rounded lines every report prints).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figures {
    pub rbac: Decimal,
    pub fixed: Decimal,
    pub usage: Decimal,
    /// Lines of the closed design without a price (left out of its totals).
    pub unpriced: usize,
}

impl Figures {
    pub fn of(est: &Estimate) -> Result<Figures, Error> {
        let rbac = present(&est.rbac, &est.conversion)?;
        let closed = present(&est.closed, &est.conversion)?;
        Ok(Figures::from(&rbac, &closed))
    }

    pub fn from(rbac: &PresentedDesign, closed: &PresentedDesign) -> Figures {
        Figures { rbac: rbac.total(), fixed: closed.fixed, usage: closed.usage, unpriced: closed.unpriced }
    }

    /// The closed design's total per month.
    pub fn total(&self) -> Decimal {
        self.fixed + self.usage
    }

    /// What the closed design costs more than the RBAC-only design.
    pub fn delta(&self) -> Decimal {
        self.total() - self.rbac
    }
}

/// One column of the comparison.
pub struct Priced<'c> {
    /// `base` for the file as written.
    pub name: String,
    pub description: String,
    /// The scenario's own overrides (the run's `--set`s apply to every column).
    pub sets: Vec<Set>,
    pub estimate: Estimate<'c>,
    pub figures: Figures,
    /// The file's requirements the closed design breaks.
    pub breaches: Vec<Breach>,
}

impl Priced<'_> {
    pub fn compliant(&self) -> bool {
        self.breaches.is_empty()
    }
}

/// Which design a tier change is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Rbac,
    Closed,
}

impl Which {
    pub fn label(self) -> &'static str {
        match self {
            Which::Rbac => "RBAC-only",
            Which::Closed => "closed",
        }
    }
}

/// What a scenario changes against the file as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A declared service at another tier.
    Tier { design: Which, service: String, from: String, to: String },
    /// A resource the closed design adds, added, removed or at another monthly cost (`None`: not in
    /// that design; a figure without every line priced is marked by `complete`).
    Line { name: String, from: Option<Decimal>, to: Option<Decimal>, complete: bool },
}

/// The comparison: the file as written first, then the scenarios in file order.
pub struct Comparison<'c> {
    pub variants: Vec<Priced<'c>>,
    /// The scenario `--choose` names (an index into `variants`).
    pub chosen: Option<usize>,
}

impl<'c> Comparison<'c> {
    pub fn base(&self) -> &Priced<'c> {
        &self.variants[0]
    }

    /// What `variant` changes against the file as written.
    pub fn changes(&self, variant: &Priced) -> Result<Vec<Change>, Error> {
        changes(&self.variants[0].estimate, &variant.estimate)
    }
}

fn price<'c>(
    file: &str,
    text: &str,
    catalog: &'c Catalog,
    overrides: &Overrides,
    (name, description, sets): (&str, &str, &[Set]),
) -> Result<Priced<'c>, Error> {
    let mut o = overrides.clone();
    o.sets = sets.iter().chain(&overrides.sets).cloned().collect();
    let estimate = pipeline::run(file, text, catalog, &o)?;
    let figures = Figures::of(&estimate)?;
    let breaches = constraints::breaches(&estimate.architecture, &estimate.closed, catalog);
    Ok(Priced {
        name: name.to_string(),
        description: description.to_string(),
        sets: sets.to_vec(),
        estimate,
        figures,
        breaches,
    })
}

/// Prices the file as written and every scenario. `choose` names the scenario a sign-off marks.
pub fn compare<'c>(
    file: &str,
    text: &str,
    catalog: &'c Catalog,
    overrides: &Overrides,
    choose: Option<&str>,
) -> Result<Comparison<'c>, Error> {
    let list = scenarios_of(file, text, catalog)?;
    if list.is_empty() {
        return Err(Error::msg(format!(
            "{file} has no scenarios to compare: add a `scenarios:` map (name -> description and set) to the file"
        )));
    }
    let chosen = match choose {
        None => None,
        Some(BASE) => Some(0),
        Some(name) => {
            let s = find(file, &list, name)?;
            list.iter().position(|x| x.name == s.name).map(|i| i + 1)
        }
    };
    let mut variants = vec![price(file, text, catalog, overrides, (BASE, "the file as written", &[]))?];
    for s in &list {
        variants.push(price(file, text, catalog, overrides, (&s.name, &s.description, &s.sets))?);
    }
    let base = &variants[0].estimate.conversion;
    if let Some(v) = variants.iter().find(|v| !v.estimate.conversion.same_as(base)) {
        let c = &v.estimate.conversion;
        return Err(Error::msg(format!(
            "{file}: scenario {} is priced in {} at {} and the file as written in {} at {}: pass --currency and --fx to compare like with like",
            v.name, c.currency, c.rate, base.currency, base.rate
        )));
    }
    Ok(Comparison { variants, chosen })
}

/// The tiers and platform lines that differ between two estimates of one file.
pub fn changes(base: &Estimate, other: &Estimate) -> Result<Vec<Change>, Error> {
    let mut out = Vec::new();
    for (design, b, o) in [(Which::Closed, &base.closed, &other.closed), (Which::Rbac, &base.rbac, &other.rbac)] {
        for s in &o.services {
            if let Some(was) = b.services.iter().find(|x| x.name == s.name).filter(|x| x.tier != s.tier) {
                out.push(Change::Tier {
                    design,
                    service: s.name.clone(),
                    from: was.tier.to_string(),
                    to: s.tier.to_string(),
                });
            }
        }
    }
    let b = present(&base.closed, &base.conversion)?;
    let o = present(&other.closed, &other.conversion)?;
    let total = |s: &crate::figures::PresentedService| s.fixed + s.usage;
    for s in &o.added {
        let was = b.added.iter().find(|x| x.service.name == s.service.name);
        if was.is_none_or(|w| total(w) != total(s) || w.unpriced != s.unpriced) {
            out.push(Change::Line {
                name: s.service.name.clone(),
                from: was.map(total),
                to: Some(total(s)),
                complete: s.unpriced == 0 && was.is_none_or(|w| w.unpriced == 0),
            });
        }
    }
    for s in b.added.iter().filter(|s| !o.added.iter().any(|x| x.service.name == s.service.name)) {
        out.push(Change::Line {
            name: s.service.name.clone(),
            from: Some(total(s)),
            to: None,
            complete: s.unpriced == 0,
        });
    }
    Ok(out)
}
