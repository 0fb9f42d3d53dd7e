//! Before anything is enumerated: which options are tried at all, and which are dominated.
//!
//! Each option is priced once on its own (the file with that option), and a platform option also
//! in each context its own cost depends on (an existing hub lists the hub's lines at zero; a
//! private-only Bastion Premium has no public IP only over the on-premises link). An option is
//! **not tried** when it does not validate, when one of its own lines has no price (a total that
//! leaves a line out cannot be ranked against one that prices it: only the file's own value is
//! kept, with its unknowns), or, for `hub: existing`, when the file states no charge-back.
//!
//! Option `a` **dominates** `b` of the same axis when, in every context, its own lines cost no
//! more, leave out no more, and add no more public IPs (DDoS Protection is priced per IP), and it
//! keeps every requirement `b` keeps whatever the other axes are. For a service's tiers that is
//! exact when both have the same footprint ([`crate::rules::options::Footprint`]): the rest of the
//! design is then identical. The hub is never pruned (it changes every platform line), DDoS
//! options only by `none` when no requirement asks for protection, and on-premises options only
//! against options that also have (or also lack) a link, since the link changes what operator
//! access costs and keeps.

use super::axes::{Axis, Kind};
use super::{AxisReport, Ctx, Invalid, Skipped};
use crate::architecture::set::Set;
use crate::architecture::{ClosedNetwork, Constraint, OnPremises};
use crate::calculator::Source;
use crate::error::Error;
use crate::figures::{PresentedService, present};
use crate::pipeline::Estimate;
use crate::rules::constraints;
use crate::rules::requirement::Requirement;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// What one option costs and brings, priced in one context.
#[derive(Clone, Debug)]
pub(super) struct Probe {
    /// Its own lines, presented (converted and rounded).
    pub cost: Decimal,
    /// Its own lines without a price (`name: component`).
    pub unknown: BTreeSet<String>,
    /// Why the first of them has no price.
    pub no_price: Option<String>,
    /// Public IPs the whole design pays for.
    pub ips: Decimal,
    /// The network platform it gives.
    pub net: ClosedNetwork,
}

pub(super) struct Facts {
    /// [axis][option]: the option in the file's context, or why it does not validate.
    pub base: Vec<Vec<Result<Probe, Invalid>>>,
    /// [axis][option][context]: the option in each context its own cost depends on (`None`: it
    /// does not validate there). Empty for the hub, DDoS and tiers.
    pub contexts: Vec<Vec<Vec<Option<Probe>>>>,
}

/// The requirement an axis's own lines serve in the closed design.
fn requirement(kind: Kind) -> Option<Requirement> {
    match kind {
        Kind::Egress => Some(Requirement::Egress),
        Kind::OperatorAccess => Some(Requirement::OperatorAccess),
        Kind::OnPremises => Some(Requirement::OnPremises),
        Kind::Ddos => Some(Requirement::Ddos),
        Kind::CicdAgents => Some(Requirement::Cicd),
        Kind::Hub | Kind::Tier(_) => None,
    }
}

fn own(kind: Kind, est: &Estimate) -> Result<Probe, Error> {
    let closed = present(&est.closed, &est.conversion)?;
    let mine: Vec<&PresentedService> = match (kind, requirement(kind)) {
        (Kind::Tier(i), _) => closed.services.get(i).into_iter().collect(),
        (_, Some(r)) => closed.added.iter().filter(|s| s.service.requirement == Some(r)).collect(),
        (_, None) => Vec::new(),
    };
    let mut probe = Probe {
        cost: Decimal::ZERO,
        unknown: BTreeSet::new(),
        no_price: None,
        ips: Decimal::ZERO,
        net: est.architecture.closed.clone(),
    };
    for s in mine {
        probe.cost += s.fixed + s.usage;
        for l in s.lines.iter().filter(|l| l.monthly.is_none()) {
            probe.unknown.insert(format!("{}: {}", s.service.name, l.line.component));
            if let (None, Source::NoPrice(why)) = (&probe.no_price, &l.line.source) {
                probe.no_price = Some(format!("no price for {} ({}): {why}", s.service.name, l.line.component));
            }
        }
    }
    let provided =
        |a: &crate::rules::PricedService| a.lines.iter().all(|l| matches!(l.source, Source::Provided { .. }));
    probe.ips =
        est.closed.added.iter().filter(|a| a.type_id == "public-ip" && !provided(a)).filter_map(|a| a.count).sum();
    Ok(probe)
}

/// Why option `i` of `axis` is not tried; `None` when it is.
fn not_tried(axis: &Axis, i: usize, probe: &Result<Probe, Invalid>) -> Option<String> {
    let opt = &axis.options[i];
    match probe {
        Err(Invalid(why)) => Some(format!("not valid: {why}")),
        Ok(p) if !opt.base && !p.unknown.is_empty() => Some(format!(
            "{} (an option whose lines have no price is tried only when it is the file's own)",
            p.no_price.clone().unwrap_or_else(|| "a line has no price".into())
        )),
        Ok(_) if axis.kind == Kind::Hub && opt.value == "existing" && !opt.base && !axis.explicit => Some(
            "the file states no charge-back for an existing hub (closed_network.hub_share): --vary closed_network.hub tries it without one"
                .into(),
        ),
        Ok(_) => None,
    }
}

fn probe(ctx: &Ctx, kind: Kind, base: &Estimate, sets: &[Set]) -> Result<Result<Probe, Invalid>, Error> {
    if sets.is_empty() {
        return Ok(Ok(own(kind, base)?));
    }
    Ok(match ctx.price(sets)? {
        Ok(est) => Ok(own(kind, &est)?),
        Err(why) => Err(why),
    })
}

/// The overrides of each admissible option of the first axis of `kind`, or just the file's
/// context; for on-premises links, one option with a link and one without at most.
fn context_sets(axes: &[Axis], base: &[Vec<Result<Probe, Invalid>>], kind: Kind) -> Vec<Vec<Set>> {
    let Some(ai) = axes.iter().position(|a| a.kind == kind) else { return vec![Vec::new()] };
    let axis = &axes[ai];
    let mut out: Vec<(Option<bool>, Vec<Set>)> = Vec::new();
    for (i, p) in base[ai].iter().enumerate() {
        if not_tried(axis, i, p).is_some() {
            continue;
        }
        let class = match (&kind, p) {
            (Kind::OnPremises, Ok(p)) => Some(p.net.on_premises == OnPremises::None),
            _ => None,
        };
        if class.is_some() && out.iter().any(|(c, _)| *c == class) {
            continue;
        }
        out.push((class, axis.options[i].sets.clone()));
    }
    out.into_iter().map(|(_, s)| s).collect()
}

/// Prices every option on its own and, for a platform axis, in each context its cost depends on.
pub(super) fn probe_all(ctx: &Ctx, base: &Estimate, axes: &[Axis]) -> Result<Facts, Error> {
    let mut first = Vec::with_capacity(axes.len());
    for axis in axes.iter() {
        let mut row = Vec::with_capacity(axis.options.len());
        for opt in &axis.options {
            row.push(probe(ctx, axis.kind, base, &opt.sets)?);
        }
        first.push(row);
    }
    let hubs = context_sets(axes, &first, Kind::Hub);
    let links = context_sets(axes, &first, Kind::OnPremises);
    let mut contexts = Vec::with_capacity(axes.len());
    for (ai, axis) in axes.iter().enumerate() {
        let mut list: Vec<Vec<Set>> = Vec::new();
        if matches!(axis.kind, Kind::Egress | Kind::OperatorAccess | Kind::OnPremises | Kind::CicdAgents) {
            for h in &hubs {
                match axis.kind {
                    Kind::OperatorAccess => list.extend(links.iter().map(|l| h.iter().chain(l).cloned().collect())),
                    _ => list.push(h.clone()),
                }
            }
        }
        let mut per_option = Vec::with_capacity(axis.options.len());
        for (i, opt) in axis.options.iter().enumerate() {
            let mut per_context = Vec::with_capacity(list.len());
            for c in &list {
                let p = if c.is_empty() {
                    first[ai][i].clone()
                } else {
                    let sets: Vec<Set> = c.iter().chain(&opt.sets).cloned().collect();
                    probe(ctx, axis.kind, base, &sets)?
                };
                per_context.push(p.ok());
            }
            per_option.push(per_context);
        }
        contexts.push(per_option);
    }
    Ok(Facts { base: first, contexts })
}

/// The options kept for enumeration, per axis, and what became of the others.
pub(super) struct Plan {
    kept: Vec<Vec<Vec<Set>>>,
    pub reports: Vec<AxisReport>,
    full: u128,
    admissible: u128,
}

impl Plan {
    pub fn axes(&self) -> usize {
        self.kept.len()
    }

    pub fn kept_count(&self) -> u128 {
        self.kept.iter().map(|k| k.len() as u128).fold(1, u128::saturating_mul)
    }

    /// The overrides of the variant at `odometer` (one kept option per axis).
    pub fn sets(&self, odometer: &[usize]) -> Vec<Set> {
        self.kept.iter().zip(odometer).flat_map(|(k, &i)| k[i].iter().cloned()).collect()
    }

    /// Moves to the next variant; `false` after the last.
    pub fn advance(&self, odometer: &mut [usize]) -> bool {
        for (i, k) in self.kept.iter().enumerate().rev() {
            odometer[i] += 1;
            if odometer[i] < k.len() {
                return true;
            }
            odometer[i] = 0;
        }
        false
    }

    pub fn skipped(&self) -> Vec<Skipped> {
        let kept = self.kept_count();
        let mut out = Vec::new();
        if self.full > self.admissible {
            out.push(Skipped {
                count: self.full - self.admissible,
                why: "options not tried (not valid, a line without a price, or no charge-back for an existing hub; see the axes)".into(),
            });
        }
        if self.admissible > kept {
            out.push(Skipped {
                count: self.admissible - kept,
                why: "dominated options pruned before enumerating (each costs no less than another option of its axis in every context and keeps no more requirements)".into(),
            });
        }
        out
    }
}

/// The stated requirements `net` keeps, of those the network platform decides.
fn keeps(net: &ClosedNetwork, reqs: &[Constraint]) -> BTreeSet<Constraint> {
    reqs.iter().copied().filter(|c| constraints::network(*c, net).is_none()).collect()
}

/// Every network the other platform axes can make with `a` and with `b` (each other axis at each
/// admissible option): whether `a` keeps every requirement `b` keeps in all of them.
fn keeps_no_less(
    axes: &[Axis],
    facts: &Facts,
    ai: usize,
    a: &ClosedNetwork,
    b: &ClosedNetwork,
    reqs: &[Constraint],
) -> bool {
    let reqs: Vec<Constraint> = reqs.iter().copied().filter(|c| *c != Constraint::ProductionSla).collect();
    if reqs.is_empty() {
        return true;
    }
    let mine = axes[ai].kind;
    let others: Vec<(Kind, Vec<&ClosedNetwork>)> = axes
        .iter()
        .enumerate()
        .filter(|(i, x)| *i != ai && x.kind.is_platform() && x.kind != Kind::CicdAgents)
        .map(|(i, x)| {
            let nets = facts.base[i]
                .iter()
                .enumerate()
                .filter(|(j, p)| not_tried(x, *j, p).is_none())
                .filter_map(|(_, p)| p.as_ref().ok().map(|p| &p.net))
                .collect();
            (x.kind, nets)
        })
        .filter(|(_, nets): &(Kind, Vec<&ClosedNetwork>)| !nets.is_empty())
        .collect();
    let mut odometer = vec![0usize; others.len()];
    loop {
        let mut with_a = a.clone();
        for ((kind, nets), &i) in others.iter().zip(&odometer) {
            kind.apply(nets[i], &mut with_a);
        }
        let mut with_b = with_a.clone();
        mine.apply(a, &mut with_a);
        mine.apply(b, &mut with_b);
        if !keeps(&with_a, &reqs).is_superset(&keeps(&with_b, &reqs)) {
            return false;
        }
        let mut carried = true;
        for (i, (_, nets)) in others.iter().enumerate().rev() {
            odometer[i] += 1;
            if odometer[i] < nets.len() {
                carried = false;
                break;
            }
            odometer[i] = 0;
        }
        if carried {
            return true;
        }
    }
}

/// Whether option `a` of axis `ai` dominates option `b` (see the module's documentation).
fn dominates(axes: &[Axis], facts: &Facts, ai: usize, a: usize, b: usize, reqs: &[Constraint]) -> bool {
    let axis = &axes[ai];
    let (Ok(pa), Ok(pb)) = (&facts.base[ai][a], &facts.base[ai][b]) else { return false };
    match axis.kind {
        Kind::Hub => false,
        Kind::Ddos => axis.options[a].value == "none" && !reqs.contains(&Constraint::DdosProtection),
        Kind::Tier(_) => {
            let (oa, ob) = (&axis.options[a], &axis.options[b]);
            let sla = !reqs.contains(&Constraint::ProductionSla) || oa.sla != Some(false) || ob.sla == Some(false);
            oa.footprint == ob.footprint && sla && pa.cost <= pb.cost && pa.unknown.is_subset(&pb.unknown)
        }
        _ => {
            let cheaper = facts.contexts[ai][a].iter().zip(&facts.contexts[ai][b]).all(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => x.cost <= y.cost && x.unknown.is_subset(&y.unknown) && x.ips <= y.ips,
                _ => false,
            });
            let same_link = axis.kind != Kind::OnPremises
                || (pa.net.on_premises == OnPremises::None) == (pb.net.on_premises == OnPremises::None);
            cheaper && same_link && keeps_no_less(axes, facts, ai, &pa.net, &pb.net, reqs)
        }
    }
}

/// Which options of each axis are enumerated, cheapest first (the file's own first among equals).
pub(super) fn plan(axes: &[Axis], facts: &Facts, reqs: &[Constraint], prune: bool) -> Plan {
    let mut kept_sets = Vec::with_capacity(axes.len());
    let mut reports = Vec::with_capacity(axes.len());
    let (mut full, mut admissible_count) = (1u128, 1u128);
    for (ai, axis) in axes.iter().enumerate() {
        let mut dropped = Vec::new();
        let mut candidates = Vec::new();
        for (i, p) in facts.base[ai].iter().enumerate() {
            match not_tried(axis, i, p) {
                None => candidates.push(i),
                Some(why) => dropped.push((axis.options[i].value.clone(), why)),
            }
        }
        let cost = |i: usize| facts.base[ai][i].as_ref().map(|p| p.cost).unwrap_or_default();
        candidates.sort_by_key(|&i| (cost(i), !axis.options[i].base, i));
        let mut kept: Vec<usize> = Vec::new();
        for &b in &candidates {
            let by = if prune { kept.iter().copied().find(|&a| dominates(axes, facts, ai, a, b, reqs)) } else { None };
            match by {
                Some(a) => {
                    dropped.push((axis.options[b].value.clone(), format!("dominated by {}", axis.options[a].value)))
                }
                None => kept.push(b),
            }
        }
        full = full.saturating_mul(axis.options.len() as u128);
        admissible_count = admissible_count.saturating_mul(candidates.len() as u128);
        let base = axis.options.iter().find(|o| o.base).map(|o| o.value.clone()).unwrap_or_default();
        reports.push(AxisReport {
            path: axis.path.clone(),
            base,
            tried: kept.iter().map(|&i| axis.options[i].value.clone()).collect(),
            dropped,
        });
        kept_sets.push(kept.iter().map(|&i| axis.options[i].sets.clone()).collect());
    }
    Plan { kept: kept_sets, reports, full, admissible: admissible_count }
}
