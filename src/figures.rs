//! The figures every format presents, computed once: every line converted to the report currency
//! and rounded (see [`crate::money`]), every subtotal and total the sum of the rounded lines (so a
//! printed report adds up), and the closed design's extra cost by requirement. `check` budgets use
//! the same figures, so a budget fails exactly when the printed total is over it.

use crate::calculator::{Commitment, Line, Source};
use crate::catalog::definitions::Charge;
use crate::error::Error;
use crate::money::Conversion;
use crate::rules::requirement::Requirement;
use crate::rules::{Design, PricedService};
use rust_decimal::Decimal;

pub struct PresentedLine<'a> {
    pub line: &'a Line<'a>,
    /// Net of discount, converted and rounded; `None` when there is no price.
    pub monthly: Option<Decimal>,
    /// List price, converted and rounded.
    pub list: Option<Decimal>,
    pub unit_price: Option<Decimal>,
    /// For a line priced at your own figure: what it costs at the catalog's (API or documented)
    /// price, converted and rounded; `None` otherwise or when the catalog had no price.
    pub catalog: Option<Decimal>,
    /// For a fixed line with savings plan rates: its monthly list cost pay-as-you-go, on a 1-year
    /// and on a 3-year savings plan, converted and rounded (`None` for a term the meter lacks).
    pub plans: Option<[Option<Decimal>; 3]>,
}

/// How many lines behind a figure have a price and how many have none: a figure with unpriced
/// lines is incomplete, and one with no priced line is "no price", never 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cover {
    pub priced: usize,
    pub unpriced: usize,
}

impl Cover {
    pub fn plus(self, other: Cover) -> Cover {
        Cover { priced: self.priced + other.priced, unpriced: self.unpriced + other.unpriced }
    }

    /// Some lines and none of them priced: the figure is not 0, it is unknown.
    pub fn no_price(&self) -> bool {
        self.unpriced > 0 && self.priced == 0
    }

    /// Some line is left out.
    pub fn incomplete(&self) -> bool {
        self.unpriced > 0
    }
}

pub struct PresentedService<'a> {
    pub service: &'a PricedService<'a>,
    pub lines: Vec<PresentedLine<'a>>,
    pub fixed: Decimal,
    pub usage: Decimal,
    pub unpriced: usize,
    /// The fixed and the usage lines: how many have a price.
    pub fixed_cover: Cover,
    pub usage_cover: Cover,
}

impl PresentedService<'_> {
    pub fn total(&self) -> Decimal {
        self.fixed + self.usage
    }

    pub fn cover(&self) -> Cover {
        self.fixed_cover.plus(self.usage_cover)
    }
}

pub struct PresentedDesign<'a> {
    pub services: Vec<PresentedService<'a>>,
    pub added: Vec<PresentedService<'a>>,
    pub fixed: Decimal,
    pub usage: Decimal,
    pub unpriced: usize,
    /// Sum of the lines at list price (before discounts).
    pub list: Decimal,
    pub fixed_cover: Cover,
    pub usage_cover: Cover,
}

impl PresentedDesign<'_> {
    pub fn total(&self) -> Decimal {
        self.fixed + self.usage
    }

    pub fn cover(&self) -> Cover {
        self.fixed_cover.plus(self.usage_cover)
    }

    /// Fixed cost as a percentage of the total, one decimal place; `None` for a zero total.
    pub fn fixed_share(&self) -> Option<Decimal> {
        let total = self.total();
        (!total.is_zero()).then(|| (self.fixed * Decimal::from(100) / total).round_dp(1))
    }
}

fn present_service<'a>(s: &'a PricedService, conv: &Conversion) -> Result<PresentedService<'a>, Error> {
    let mut out = PresentedService {
        service: s,
        lines: Vec::new(),
        fixed: Decimal::ZERO,
        usage: Decimal::ZERO,
        unpriced: 0,
        fixed_cover: Cover::default(),
        usage_cover: Cover::default(),
    };
    for line in &s.lines {
        let monthly = line.net().map(|m| conv.present(m)).transpose()?;
        let list = line.monthly.map(|m| conv.present(m)).transpose()?;
        let unit_price = line
            .unit_price
            .map(|p| p.checked_mul(conv.rate).ok_or_else(|| Error::msg("unit price overflows")))
            .transpose()?;
        let cover = if line.charge == Charge::Fixed { &mut out.fixed_cover } else { &mut out.usage_cover };
        match monthly {
            Some(_) => cover.priced += 1,
            None => cover.unpriced += 1,
        }
        match (monthly, line.charge) {
            (Some(m), Charge::Fixed) => out.fixed = add(out.fixed, m, &s.name)?,
            (Some(m), Charge::Usage) => out.usage = add(out.usage, m, &s.name)?,
            (None, _) => out.unpriced += 1,
        }
        let catalog = match &line.source {
            Source::Yours { list: Some(l), .. } => Some(conv.present(l.monthly)?),
            _ => None,
        };
        let plans = if line.has_savings() {
            let mut p = [None; 3];
            for (slot, c) in p.iter_mut().zip(Commitment::ALL) {
                *slot = line.monthly_at(c).map(|m| conv.present(m)).transpose()?;
            }
            Some(p)
        } else {
            None
        };
        out.lines.push(PresentedLine { line, monthly, list, unit_price, catalog, plans });
    }
    Ok(out)
}

pub fn present<'a>(design: &'a Design, conv: &Conversion) -> Result<PresentedDesign<'a>, Error> {
    let services = design.services.iter().map(|s| present_service(s, conv)).collect::<Result<Vec<_>, _>>()?;
    let added = design.added.iter().map(|s| present_service(s, conv)).collect::<Result<Vec<_>, _>>()?;
    let mut d = PresentedDesign {
        services,
        added,
        fixed: Decimal::ZERO,
        usage: Decimal::ZERO,
        unpriced: 0,
        list: Decimal::ZERO,
        fixed_cover: Cover::default(),
        usage_cover: Cover::default(),
    };
    for s in d.services.iter().chain(&d.added) {
        d.fixed = add(d.fixed, s.fixed, &s.service.name)?;
        d.usage = add(d.usage, s.usage, &s.service.name)?;
        d.unpriced += s.unpriced;
        d.fixed_cover = d.fixed_cover.plus(s.fixed_cover);
        d.usage_cover = d.usage_cover.plus(s.usage_cover);
        for l in s.lines.iter().filter_map(|l| l.list) {
            d.list = add(d.list, l, &s.service.name)?;
        }
    }
    add(d.fixed, d.usage, "the design's total")?;
    Ok(d)
}

/// `a + b`, or an error naming what overflowed (issue 21: checked arithmetic end to end).
fn add(a: Decimal, b: Decimal, what: &str) -> Result<Decimal, Error> {
    a.checked_add(b).ok_or_else(|| Error::msg(format!("{what}: the monthly total overflows")))
}

/// One row of "What closing costs, by requirement": the part of the closed design's extra cost
/// (closed minus RBAC-only, presented figures) that serves one requirement.
#[derive(Clone, Debug, PartialEq)]
pub struct RequirementRow {
    pub requirement: Requirement,
    pub fixed: Decimal,
    pub usage: Decimal,
    /// Percentage of the whole difference, one decimal place; `None` when the difference is zero.
    pub share: Option<Decimal>,
    /// How much less the closed design would cost without this requirement: for a switch of
    /// `closed_network`, the design re-priced without it; otherwise this row's own total.
    pub saving: Decimal,
    /// Lines listed at zero because the organisation already has them (hub, licences).
    pub provided: usize,
    /// Lines without a price (left out of the figures).
    pub unpriced: usize,
    /// The closed design's fixed and usage lines behind the row: how many have a price.
    pub fixed_cover: Cover,
    pub usage_cover: Cover,
}

impl RequirementRow {
    pub fn total(&self) -> Decimal {
        self.fixed + self.usage
    }

    pub fn cover(&self) -> Cover {
        self.fixed_cover.plus(self.usage_cover)
    }

    /// `12.3%` (always one decimal place), or `-` when the difference is zero or the row has no
    /// price at all (a share of nothing known).
    pub fn share_text(&self) -> String {
        match self.share {
            Some(s) if !self.cover().no_price() => format!("{s:.1}%"),
            _ => "-".into(),
        }
    }

    /// `2 line(s) already provided, at no cost; 1 line(s) without a price`, or empty.
    pub fn note(&self) -> String {
        let mut notes = Vec::new();
        if self.provided > 0 {
            notes.push(format!("{} line(s) already provided, at no cost", self.provided));
        }
        if self.unpriced > 0 {
            notes.push(format!("{} line(s) without a price", self.unpriced));
        }
        notes.join("; ")
    }
}

/// The requirement a presented service's cost is attributed to (RBAC-only services take their
/// closed counterpart's).
pub fn requirement_of(closed: &PresentedDesign, name: &str, index: Option<usize>) -> Option<Requirement> {
    match index {
        Some(i) => closed.services.get(i).and_then(|s| s.service.requirement),
        None => closed.added.iter().find(|a| a.service.name == name).and_then(|a| a.service.requirement),
    }
}

/// Adds (fixed, usage), the provided line count and the lines' covers to the row of `r`.
fn add_to(
    rows: &mut Vec<RequirementRow>,
    r: Option<Requirement>,
    money: (Decimal, Decimal),
    provided: usize,
    s: &PresentedService,
) {
    let r = r.unwrap_or(Requirement::PrivateAccess);
    let i = match rows.iter().position(|x| x.requirement == r) {
        Some(i) => i,
        None => {
            let zero = Decimal::ZERO;
            rows.push(RequirementRow {
                requirement: r,
                fixed: zero,
                usage: zero,
                share: None,
                saving: zero,
                provided: 0,
                unpriced: 0,
                fixed_cover: Cover::default(),
                usage_cover: Cover::default(),
            });
            rows.len() - 1
        }
    };
    rows[i].fixed += money.0;
    rows[i].usage += money.1;
    rows[i].provided += provided;
    rows[i].unpriced += s.unpriced;
    rows[i].fixed_cover = rows[i].fixed_cover.plus(s.fixed_cover);
    rows[i].usage_cover = rows[i].usage_cover.plus(s.usage_cover);
}

/// The closed design's extra cost by requirement. The rows add up exactly to the difference of
/// the presented totals: a declared service contributes its closed minus RBAC-only figures, an
/// added resource its own.
pub fn by_requirement(
    design: &Design,
    rbac: &PresentedDesign,
    closed: &PresentedDesign,
    conv: &Conversion,
) -> Result<Vec<RequirementRow>, Error> {
    let mut rows: Vec<RequirementRow> = Vec::new();
    for (r, c) in rbac.services.iter().zip(&closed.services) {
        let (fixed, usage) = (c.fixed - r.fixed, c.usage - r.usage);
        if r.service.tier != c.service.tier || !fixed.is_zero() || !usage.is_zero() {
            add_to(&mut rows, c.service.requirement, (fixed, usage), 0, c);
        }
    }
    for a in &closed.added {
        let provided = a.lines.iter().filter(|l| matches!(l.line.source, Source::Provided { .. })).count();
        add_to(&mut rows, a.service.requirement, (a.fixed, a.usage), provided, a);
    }
    rows.sort_by_key(|r| r.requirement);
    let delta = closed.total() - rbac.total();
    let added_total = closed.added.iter().map(|a| a.fixed + a.usage).sum::<Decimal>();
    for r in &mut rows {
        r.share = (!delta.is_zero()).then(|| (r.total() * Decimal::from(100) / delta).round_dp(1));
        r.saving = match design.dropped.iter().find(|(req, _)| *req == r.requirement) {
            Some((_, rest)) => {
                let mut without = Decimal::ZERO;
                for s in rest {
                    let p = present_service(s, conv)?;
                    without += p.fixed + p.usage;
                }
                added_total - without
            }
            None => r.total(),
        };
    }
    Ok(rows)
}

/// [`horizon_rows`] for any number of designs: each row's label, its figure per design, and
/// whether the figure leaves lines out (fixed, usage, or either for the totals).
pub fn horizon(designs: &[&PresentedDesign]) -> [(&'static str, Vec<(Decimal, Cover)>); 5] {
    let per = |f: &dyn Fn(&PresentedDesign) -> (Decimal, Cover)| designs.iter().map(|d| f(d)).collect::<Vec<_>>();
    [
        ("Fixed / month", per(&|d| (d.fixed, d.fixed_cover))),
        ("Usage / month", per(&|d| (d.usage, d.usage_cover))),
        ("Total / month", per(&|d| (d.total(), d.cover()))),
        ("12 months", per(&|d| (d.total() * Decimal::from(12), d.cover()))),
        ("36 months", per(&|d| (d.total() * Decimal::from(36), d.cover()))),
    ]
}

/// The money of an as-built verdict, in presented figures: what the input costs as it builds it,
/// what closing it fully adds (closed minus as planned), and what its private endpoints to
/// resources that keep public access on cost (they close nothing) with their share of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct AsBuiltMoney {
    pub planned: Decimal,
    pub planned_cover: Cover,
    pub closing_adds: Decimal,
    /// Whether either design leaves lines out (the difference is then incomplete too).
    pub closing_incomplete: bool,
    pub closed: Decimal,
    /// `None` when the input builds no such endpoint.
    pub open_endpoints: Option<Decimal>,
    /// Percent of the as-planned total, one decimal place; `None` when that total is zero.
    pub open_share: Option<Decimal>,
}

/// The as-planned design's added line for private endpoints whose service keeps public access on
/// ([`crate::rules::implied::planned_plumbing`] names it so).
pub const OPEN_ENDPOINTS: &str = "private endpoints, public access still on";

pub fn as_built_money(planned: &PresentedDesign, closed: &PresentedDesign) -> AsBuiltMoney {
    let open = planned.added.iter().find(|a| a.service.name == OPEN_ENDPOINTS).map(|a| a.total());
    let total = planned.total();
    AsBuiltMoney {
        planned: total,
        planned_cover: planned.cover(),
        closing_adds: closed.total() - total,
        closing_incomplete: planned.cover().incomplete() || closed.cover().incomplete(),
        closed: closed.total(),
        open_endpoints: open,
        open_share: open.filter(|_| !total.is_zero()).map(|o| (o * Decimal::from(100) / total).round_dp(1)),
    }
}

/// The totals every sign-off shows: per month (fixed, usage, total) and over 12 and 36 months.
pub fn horizon_rows(rbac: &PresentedDesign, closed: &PresentedDesign) -> [(&'static str, Decimal, Decimal); 5] {
    let (r, c) = (rbac.total(), closed.total());
    [
        ("Fixed / month", rbac.fixed, closed.fixed),
        ("Usage / month", rbac.usage, closed.usage),
        ("Total / month", r, c),
        ("12 months", r * Decimal::from(12), c * Decimal::from(12)),
        ("36 months", r * Decimal::from(36), c * Decimal::from(36)),
    ]
}
