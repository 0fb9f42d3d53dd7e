//! The rows a sweep keeps while it prices: for each set of requirements a variant breaks, only the
//! cheapest variant (at most one row per subset of the file's requirements, so memory does not grow
//! with the number of variants). At the end, the cheapest that breaks none, and the Pareto front of
//! total cost against requirements kept.

use super::Ctx;
use crate::architecture::Constraint;
use crate::architecture::set::Set;
use crate::catalog::Catalog;
use crate::error::Error;
use crate::figures::present;
use crate::pipeline::Estimate;
use crate::rules::constraints::{self, Breach};
use crate::scenario::compare::Figures;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How a saving between two variants relates to what they really cost, given the lines each
/// leaves out for want of a price (a line without a price costs the same in both when both have it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// Both leave out the same lines: the saving is exact.
    Exact,
    /// The dearer one leaves out more: the saving is at least this.
    AtLeast,
    /// The cheaper one leaves out lines the other prices: it may be more or less.
    Unsure,
}

impl Bound {
    /// From the lines without a price of the dearer (`from`) and the cheaper (`to`) variant.
    pub fn of(from: &[String], to: &[String]) -> Bound {
        let to_in_from = to.iter().all(|x| from.contains(x));
        match (to_in_from, from.iter().all(|x| to.contains(x))) {
            (true, true) => Bound::Exact,
            (true, false) => Bound::AtLeast,
            _ => Bound::Unsure,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Bound::Exact => "exact",
            Bound::AtLeast => "at-least",
            Bound::Unsure => "unknown",
        }
    }
}

/// A saving and how sure it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Saving {
    pub amount: Decimal,
    pub bound: Bound,
}

impl Saving {
    pub fn between(from: &Row, to: &Row) -> Saving {
        Saving { amount: from.total() - to.total(), bound: Bound::of(&from.unpriced, &to.unpriced) }
    }
}

/// A requirement a row drops, why, and what dropping it alone saves against the cheapest variant
/// that keeps every requirement.
#[derive(Clone, Debug, PartialEq)]
pub struct Dropped {
    pub constraint: Constraint,
    pub reason: String,
    /// `None` when no variant keeps every requirement.
    pub saving_alone: Option<Saving>,
}

/// One priced variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Every override that reproduces it: the run's `--set`s and `--fix`es, then the variant's.
    pub sets: Vec<Set>,
    pub figures: Figures,
    /// Lines of the closed design without a price (`service: component`), left out of the totals.
    pub unpriced: Vec<String>,
    /// The file's requirements it breaks, with why.
    pub breaches: Vec<Breach>,
    /// Filled in for the rows of the front: what each dropped requirement saves.
    pub dropped: Vec<Dropped>,
    /// What it saves against the cheapest variant that keeps every requirement (front rows).
    pub saving: Option<Saving>,
    /// Enumeration order (the file as written is 0): ties go to the earlier variant.
    pub order: u64,
}

impl Row {
    pub(super) fn of(ctx: &Ctx, est: &Estimate, sets: Vec<Set>, order: u64, catalog: &Catalog) -> Result<Row, Error> {
        let rbac = present(&est.rbac, &est.conversion)?;
        let closed = present(&est.closed, &est.conversion)?;
        let unpriced = closed
            .services
            .iter()
            .chain(&closed.added)
            .flat_map(|s| {
                s.lines
                    .iter()
                    .filter(|l| l.monthly.is_none())
                    .map(|l| format!("{}: {}", s.service.name, l.line.component))
            })
            .collect();
        Ok(Row {
            sets: ctx.fixed.iter().cloned().chain(sets).collect(),
            figures: Figures::from(&rbac, &closed),
            unpriced,
            breaches: constraints::breaches(&est.architecture, &est.closed, catalog),
            dropped: Vec::new(),
            saving: None,
            order,
        })
    }

    pub fn total(&self) -> Decimal {
        self.figures.total()
    }

    pub fn complete(&self) -> bool {
        self.unpriced.is_empty()
    }

    /// `--set A=1 --set B=2`, or empty for the file as written.
    pub fn set_line(&self) -> String {
        self.sets.iter().map(Set::flag).collect::<Vec<_>>().join(" ")
    }

    /// The overrides as `PATH=VALUE` texts.
    pub fn set_texts(&self) -> Vec<String> {
        self.sets.iter().map(|s| format!("{}={}", s.path, s.value)).collect()
    }

    fn broken(&self) -> Vec<Constraint> {
        let mut b: Vec<Constraint> = self.breaches.iter().map(|b| b.constraint).collect();
        b.sort();
        b
    }

    /// Cheaper, else fewer overrides, else priced first.
    fn beats(&self, other: &Row) -> bool {
        (self.total(), self.sets.len(), self.order) < (other.total(), other.sets.len(), other.order)
    }
}

pub(super) struct Front {
    best: BTreeMap<Vec<Constraint>, Row>,
}

impl Front {
    pub fn new() -> Front {
        Front { best: BTreeMap::new() }
    }

    pub fn add(&mut self, row: Row) {
        let key = row.broken();
        match self.best.get(&key) {
            Some(kept) if !row.beats(kept) => {}
            _ => {
                self.best.insert(key, row);
            }
        }
    }

    /// The cheapest row that breaks nothing, and the front: every row no other row beats on both
    /// cost and requirements kept, those that keep more first, then the cheaper.
    pub fn finish(self) -> (Option<Row>, Vec<Row>) {
        let entries: Vec<(Vec<Constraint>, Row)> = self.best.into_iter().collect();
        let subset = |a: &[Constraint], b: &[Constraint]| a.iter().all(|x| b.contains(x));
        let reference = entries.iter().find(|(k, _)| k.is_empty()).map(|(_, r)| r.clone());
        let alone = |c: Constraint| -> Option<Saving> {
            let best = entries
                .iter()
                .filter(|(k, _)| subset(k, &[c]))
                .map(|(_, r)| r)
                .min_by(|a, b| (a.total(), a.sets.len(), a.order).cmp(&(b.total(), b.sets.len(), b.order)))?;
            reference.as_ref().map(|r| Saving::between(r, best))
        };
        let mut pareto: Vec<(Vec<Constraint>, Row)> = entries
            .iter()
            .filter(|(k, r)| !entries.iter().any(|(k2, r2)| k2 != k && subset(k2, k) && r2.total() <= r.total()))
            .cloned()
            .collect();
        for (_, row) in &mut pareto {
            row.saving = reference.as_ref().map(|r| Saving::between(r, row));
            row.dropped = row
                .breaches
                .iter()
                .map(|b| Dropped {
                    constraint: b.constraint,
                    reason: b.reason.clone(),
                    saving_alone: alone(b.constraint),
                })
                .collect();
        }
        pareto.sort_by_key(|(k, r)| (k.len(), r.total(), r.order));
        let cheapest = pareto.iter().find(|(k, _)| k.is_empty()).map(|(_, r)| r.clone());
        (cheapest, pareto.into_iter().map(|(_, r)| r).collect())
    }
}
