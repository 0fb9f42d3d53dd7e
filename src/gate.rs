//! The CI gate behind `closednet check`: [`judge`] applies a policy (budgets and finding severities)
//! to an estimate and returns a [`Judgement`] listing every failure with what failed, by how much,
//! and where.
//!
//! Budgets are in the report currency and apply to the closed-network design (what gets built),
//! using the same rounded figures the report prints. `max_increase` compares it with a baseline:
//! the closed design of `--baseline OLD.yaml`, or else the RBAC-only design of the same file.

use crate::architecture::{Limit, Policy, RuleAction};
use crate::error::Error;
use crate::figures::{PresentedDesign, present};
use crate::money::Currency;
use crate::pipeline::Estimate;
use crate::registry::Severity;
use crate::rules::findings::Finding;
use rust_decimal::Decimal;

/// A finding with the severity the policy gives it.
#[derive(Clone, Debug)]
pub struct Judged<'a> {
    pub finding: &'a Finding,
    pub severity: Severity,
    /// Whether it fails the check.
    pub fails: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BudgetFailure {
    /// `max-monthly`, `max-fixed` or `max-increase`.
    pub budget: &'static str,
    pub limit: Decimal,
    pub actual: Decimal,
    /// For a percentage limit, the limit in percent (the `limit` field is then the amount).
    pub percent: Option<Decimal>,
    pub detail: String,
}

impl BudgetFailure {
    pub fn over(&self) -> Decimal {
        self.actual - self.limit
    }
}

pub struct Judgement<'a> {
    pub estimate: &'a Estimate<'a>,
    pub findings: Vec<Judged<'a>>,
    pub budgets: Vec<BudgetFailure>,
    /// Closed design totals in the report currency (rounded as printed).
    pub closed_total: Decimal,
    pub closed_fixed: Decimal,
    pub complete: bool,
    pub baseline_total: Decimal,
    pub baseline_label: String,
}

impl Judgement<'_> {
    pub fn passed(&self) -> bool {
        self.budgets.is_empty() && !self.findings.iter().any(|f| f.fails)
    }

    pub fn failures(&self) -> usize {
        self.budgets.len() + self.findings.iter().filter(|f| f.fails).count()
    }
}

/// Merges the command line's policy over the file's: a setting given on the command line wins.
pub fn merge(file: &Policy, cli: &Policy) -> Policy {
    let mut rules = file.rules.clone();
    rules.extend(cli.rules.iter().map(|(k, v)| (*k, *v)));
    Policy {
        max_monthly: cli.max_monthly.or(file.max_monthly),
        max_fixed: cli.max_fixed.or(file.max_fixed),
        max_increase: cli.max_increase.or(file.max_increase),
        deny: cli.deny.or(file.deny),
        rules,
        require_closed: cli.require_closed || file.require_closed,
        deny_preview: cli.deny_preview || file.deny_preview,
    }
}

/// Applies `policy` to `est`; `baseline` is the estimate of `--baseline OLD.yaml`, if given.
pub fn judge<'a>(est: &'a Estimate<'a>, baseline: Option<&Estimate>, policy: &Policy) -> Result<Judgement<'a>, Error> {
    let closed = present(&est.closed, &est.conversion)?;
    let (baseline_total, baseline_label) = baseline_of(est, baseline)?;
    let budgets = budgets(policy, &closed, baseline_total, &baseline_label, &est.conversion.currency);
    Ok(Judgement {
        estimate: est,
        findings: judged(est, policy),
        budgets,
        closed_total: closed.total(),
        closed_fixed: closed.fixed,
        complete: closed.unpriced == 0,
        baseline_total,
        baseline_label,
    })
}

/// What `max_increase` compares with: the closed design of the baseline file, else the RBAC-only
/// design of the same file; its total and how to name it.
fn baseline_of(est: &Estimate, baseline: Option<&Estimate>) -> Result<(Decimal, String), Error> {
    match baseline {
        Some(b) => {
            if !b.conversion.same_as(&est.conversion) {
                return Err(Error::msg(format!(
                    "the baseline {} is priced in {} at {}, the file in {} at {}: compare like with like (use --fx)",
                    b.architecture.file,
                    b.conversion.currency,
                    b.conversion.rate,
                    est.conversion.currency,
                    est.conversion.rate
                )));
            }
            Ok((present(&b.closed, &b.conversion)?.total(), format!("the closed design of {}", b.architecture.file)))
        }
        None => Ok((present(&est.rbac, &est.conversion)?.total(), "the RBAC-only design".to_string())),
    }
}

/// The budgets the closed design breaks, in the figures the report prints.
fn budgets(
    policy: &Policy,
    closed: &PresentedDesign,
    baseline_total: Decimal,
    baseline_label: &str,
    cur: &Currency,
) -> Vec<BudgetFailure> {
    let money = |d: Decimal| crate::money::format_money(d, cur);
    let mut budgets = Vec::new();
    let total = closed.total();
    if let Some(limit) = policy.max_monthly.filter(|l| total > *l) {
        budgets.push(BudgetFailure {
            budget: "max-monthly",
            limit,
            actual: total,
            percent: None,
            detail: format!(
                "the closed design costs {}/month, {} over the limit of {}",
                money(total),
                money(total - limit),
                money(limit)
            ),
        });
    }
    if let Some(limit) = policy.max_fixed.filter(|l| closed.fixed > *l) {
        budgets.push(BudgetFailure {
            budget: "max-fixed",
            limit,
            actual: closed.fixed,
            percent: None,
            detail: format!(
                "the closed design's fixed cost is {}/month, {} over the limit of {}",
                money(closed.fixed),
                money(closed.fixed - limit),
                money(limit)
            ),
        });
    }
    if let Some(limit) = policy.max_increase {
        budgets.extend(increase(limit, total - baseline_total, baseline_total, baseline_label, cur));
    }
    budgets
}

/// `max_increase`: an amount, or a percentage of the baseline.
fn increase(
    limit: Limit,
    increase: Decimal,
    baseline_total: Decimal,
    baseline_label: &str,
    cur: &Currency,
) -> Option<BudgetFailure> {
    let money = |d: Decimal| crate::money::format_money(d, cur);
    let (allowed, percent) = match limit {
        Limit::Amount(a) => (a, None),
        // An allowed increase too large for a Decimal is larger than any increase: nothing fails.
        Limit::Percent(p) => (baseline_total.checked_mul(p)? / Decimal::ONE_HUNDRED, Some(p)),
    };
    if increase <= allowed {
        return None;
    }
    let pct = increase
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|x| x.checked_div(baseline_total))
        .map(|x| format!(" (+{}%)", x.round_dp(1)))
        .unwrap_or_default();
    let limit_text = match percent {
        Some(p) => format!("{p}% ({})", money(crate::money::round(allowed, cur))),
        None => money(allowed),
    };
    Some(BudgetFailure {
        budget: "max-increase",
        limit: crate::money::round(allowed, cur),
        actual: increase,
        percent,
        detail: format!(
            "the closed design costs {}/month more than {baseline_label}{pct}, over the allowed increase of {limit_text}",
            money(increase)
        ),
    })
}

/// Each finding with the severity the policy gives it, and whether it fails the check. A rule set
/// to `allow` is hidden; `warn` is reported as a warning and never fails, whatever `deny` says;
/// `deny` always fails; any other finding fails at the `deny` severity or worse. `require: closed`
/// makes every CN023 finding fail, and `deny_preview` every CN025 finding (even one set to `warn`).
fn judged<'a>(est: &'a Estimate, policy: &Policy) -> Vec<Judged<'a>> {
    let deny = policy.deny.unwrap_or(Severity::Error);
    est.findings
        .iter()
        .filter_map(|f| {
            let action = policy.rules.get(&f.rule).copied();
            let required = (policy.require_closed && f.rule == crate::registry::RuleId::CN023)
                || (policy.deny_preview && f.rule == crate::registry::RuleId::CN025);
            let (severity, fails) = match action {
                Some(RuleAction::Allow) => return None,
                _ if required => (Severity::Error, true),
                Some(RuleAction::Warn) => (Severity::Warning, false),
                Some(RuleAction::Deny) => (Severity::Error, true),
                None => (f.severity, f.severity >= deny),
            };
            Some(Judged { finding: f, severity, fails })
        })
        .collect()
}
