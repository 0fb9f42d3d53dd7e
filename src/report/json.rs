//! `--format json`: one JSON document, money as strings, `schema_version: 1`. The document is the
//! types of [`super::dto`], whose JSON Schema `closednet schema --report` prints.

use super::dto::{self, Each, Money};
use super::source_text;
use crate::calculator::Source;
use crate::catalog::definitions::Charge;
use crate::error::Error;
use crate::figures::{PresentedDesign, PresentedService, RequirementRow, by_requirement, present};
use crate::money::{Conversion, round};
use crate::pipeline::Estimate;
use crate::rules::{Decision, Design};

/// Money as a string with the currency's decimal places (`"2795.17"`, `"419276"`).
fn money(d: rust_decimal::Decimal, dp: usize) -> Money {
    format!("{d:.dp$}")
}

fn service<'a>(s: &'a PresentedService, dp: usize, conv: &Conversion) -> dto::ServiceDto<'a> {
    let lines = s
        .lines
        .iter()
        .map(|l| {
            let (meter_id, effective) = match &l.line.source {
                Source::Meter { meter_id, effective, .. } => (Some(*meter_id), Some(*effective)),
                Source::Documented { effective, .. } => (None, Some(*effective)),
                Source::NoPrice(_) | Source::Provided { .. } | Source::Stated(_) | Source::Yours { .. } => (None, None),
            };
            dto::LineDto {
                charge: if l.line.charge == Charge::Fixed { "fixed" } else { "usage" },
                commitment: l.line.commitment.map(|c| c.id()),
                component: l.line.component,
                discount_percent: l.line.discount.map(|p| p.normalize().to_string()),
                effective,
                key: l.line.key,
                list_monthly: l.list.map(|m| money(m, dp)),
                meter_id,
                monthly: l.monthly.map(|m| money(m, dp)),
                note: l.line.note(),
                priced: l.monthly.is_some(),
                provided: match &l.line.source {
                    Source::Provided { reason, would_cost } => Some(dto::ProvidedDto {
                        reason,
                        would_cost_monthly: would_cost.and_then(|w| conv.present(w).ok()).map(|w| money(w, dp)),
                    }),
                    _ => None,
                },
                quantity: l.line.quantity.normalize().to_string(),
                savings_plan: l.plans.map(|[payg, one, three]| dto::SavingsPlanDto {
                    payg_monthly: payg.map(|m| money(m, dp)),
                    savings_1y_monthly: one.map(|m| money(m, dp)),
                    savings_3y_monthly: three.map(|m| money(m, dp)),
                }),
                source: source_text(&l.line.source),
                unit: l.line.unit,
                unit_price: l.unit_price.map(|p| p.normalize().to_string()),
                unit_price_usd: l.line.unit_price.map(|p| p.normalize().to_string()),
                your_figure: match &l.line.source {
                    Source::Yours { source, list } => Some(dto::YourFigureDto {
                        list_monthly: l.catalog.map(|m| money(m, dp)),
                        list_source: list.as_ref().map(|x| source_text(&x.source)),
                        list_unit_price: list.as_ref().and_then(|x| x.unit_price).map(|p| p.normalize().to_string()),
                        source,
                    }),
                    _ => None,
                },
            }
        })
        .collect();
    dto::ServiceDto {
        fixed_monthly: money(s.fixed, dp),
        lines,
        name: &s.service.name,
        reason: s.service.reason.as_deref(),
        requirement: s.service.requirement.map(|r| r.id()),
        tier: s.service.tier,
        total_monthly: money(s.fixed + s.usage, dp),
        type_id: s.service.type_id,
        unpriced_lines: s.unpriced,
        usage_monthly: money(s.usage, dp),
    }
}

fn requirement_rows(rows: &[RequirementRow], dp: usize) -> Vec<dto::RequirementDto> {
    rows.iter()
        .map(|r| dto::RequirementDto {
            fixed_monthly: money(r.fixed, dp),
            label: r.requirement.label(),
            provided_lines: r.provided,
            requirement: r.requirement.id(),
            saving_if_dropped_monthly: money(r.saving, dp),
            share: r.share.map(|s| s.to_string()),
            total_monthly: money(r.total(), dp),
            unpriced_lines: r.unpriced,
            usage_monthly: money(r.usage, dp),
        })
        .collect()
}

pub(super) fn design<'a>(
    p: &'a PresentedDesign,
    d: &'a Design,
    rows: Option<&[RequirementRow]>,
    dp: usize,
    conv: &'a Conversion,
) -> dto::DesignDto<'a> {
    dto::DesignDto {
        added: Each::new(p.added.len(), move |i| service(&p.added[i], dp, conv)),
        by_requirement: rows.map(|r| requirement_rows(r, dp)),
        complete: p.unpriced == 0,
        decisions: rows.map(|_| Each::new(d.decisions.len(), move |i| decision(&d.decisions[i]))),
        fixed_monthly: money(p.fixed, dp),
        fixed_share_percent: p.fixed_share().filter(|_| !p.fixed_cover.no_price()).map(|s| s.to_string()),
        list_monthly: money(p.list, dp),
        services: Each::new(p.services.len(), move |i| service(&p.services[i], dp, conv)),
        total_monthly: money(p.total(), dp),
        unpriced_lines: p.unpriced,
        usage_monthly: money(p.usage, dp),
    }
}

fn decision<'a>(dec: &'a Decision) -> dto::DecisionDto<'a> {
    // The documentation behind the rule that forced the bump, else the first need's.
    let first = dec.evidence.iter().find(|e| Some(&e.rule) == dec.rule.as_ref()).or(dec.evidence.first());
    dto::DecisionDto {
        as_of: first.map(|e| e.as_of),
        changed: dec.changed(),
        doc: first.map(|e| e.doc),
        evidence: dec
            .evidence
            .iter()
            .map(|e| dto::EvidenceDto {
                as_of: e.as_of,
                capability: e.capability.as_str(),
                doc: e.doc,
                need: e.need.as_str(),
                preview: e.status.is_preview(),
                rule: e.rule.as_str(),
            })
            .collect(),
        from: dec.from,
        needs: dec.needs.describe(),
        rejected: dec
            .rejected
            .iter()
            .map(|r| dto::RejectedDto { reason: r.reason.to_string(), tier: r.tier })
            .collect(),
        rule: dec.rule.map(|r| r.as_str()),
        service: &dec.service,
        to: dec.to,
        type_id: dec.type_id,
    }
}

pub fn render(est: &Estimate) -> Result<String, Error> {
    let conv = &est.conversion;
    let dp = crate::money::minor_units(&conv.currency) as usize;
    let rbac = present(&est.rbac, conv)?;
    let closed = present(&est.closed, conv)?;
    let rows = by_requirement(&est.closed, &rbac, &closed, conv)?;
    let verdict = super::verdict::Verdict::of(est, &closed)?;
    let meta = &est.snapshot.meta;
    let months = rust_decimal::Decimal::from(est.months);
    let file = est.architecture.file.as_str();
    let doc = dto::Report {
        architecture: dto::ArchitectureDto { file, name: &est.architecture.name, region: &est.architecture.region },
        commitment: dto::CommitmentDto {
            label: est.commitment.label().to_string(),
            lines: super::committed_lines(est),
            term: est.commitment.id().to_string(),
        },
        complete: rbac.unpriced + closed.unpriced == 0,
        delta_monthly: money(round(closed.total() - rbac.total(), &conv.currency), dp),
        designs: dto::Designs {
            as_planned: match (&verdict, &est.as_built) {
                (Some(v), Some(b)) => Some(design(&v.planned, &b.as_planned, None, dp, conv)),
                _ => None,
            },
            closed: design(&closed, &est.closed, Some(&rows), dp, conv),
            rbac: design(&rbac, &est.rbac, None, dp, conv),
        },
        discounts: est.discounts.iter().map(|d| d.describe()).collect(),
        findings: Each::new(est.findings.len(), move |i| {
            let f = &est.findings[i];
            dto::FindingDto {
                column: f.loc.map(|l| l.column),
                doc: f.doc,
                file,
                line: f.loc.map(|l| l.line),
                message: &f.message,
                path: f.path.as_deref(),
                rule: f.rule.as_str(),
                severity: f.severity.as_str(),
                slug: f.slug,
            }
        }),
        import: est.as_built.as_ref().map(|b| super::import::value(&b.import)),
        months: est.months,
        price_sheet: est.price_sheet.as_ref().map(|p| dto::PriceSheetDto {
            date: p.date.clone(),
            file: p.file.clone(),
            lines_priced: p.lines,
            tiers_chosen_on_sheet: p.chose_tiers,
        }),
        pricing: dto::PricingDto {
            as_of: &meta.as_of,
            currency: conv.currency.code(),
            fx: dto::FxDto { date: conv.date.as_deref(), rate: conv.rate.to_string(), source: &conv.source },
            hours_per_month: meta.hours_per_month.to_string(),
            rounding: format!(
                "each line rounded half away from zero to {} decimal places; totals are sums of rounded lines",
                crate::money::minor_units(&conv.currency)
            ),
            sha256: &est.snapshot.sha256,
            snapshot: &meta.name,
            source: &meta.source,
            source_currency: &meta.currency,
        },
        schema_version: 1,
        totals_for_months: dto::TotalsForMonths {
            closed: money(closed.total() * months, dp),
            rbac: money(rbac.total() * months, dp),
        },
        verdict: verdict.as_ref().map(|v| v.dto(dp)),
    };
    crate::error::pretty_json(&doc).map(super::escape::json)
}
