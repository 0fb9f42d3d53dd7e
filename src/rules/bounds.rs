//! Checked arithmetic up to the report: every figure a report derives from the two designs must fit
//! a `Decimal`. The calculator checks each line and each service's sums; the figures are the lines
//! converted to the report currency and rounded, summed per design, then multiplied for planning
//! horizons (`--months`, the worksheets' 12 and 36 months) and percentages. [`presentable`] computes
//! those sums and products once, checked, before any report is made, so that an overflow is an
//! error naming the service and line (or the horizon) instead of a panic in a renderer.

use super::Design;
use crate::calculator::{Commitment, Source, Totals};
use crate::error::Error;
use crate::money::Conversion;
use rust_decimal::Decimal;

/// The longest horizon every sign-off format shows (the workbook's and worksheet's 36 months).
const SIGN_OFF_MONTHS: u32 = 36;

/// Checks that the presented figures of `rbac` and `closed` (and of `others`, such as the design as
/// planned) fit a `Decimal`: each line converted at `conv` and rounded (its list price, the list
/// price your figure replaced and its savings-plan figures too), each design's sums, its total over
/// `months` and over 36 months, its total in hundredths (shares in percent), and the closed design's
/// increase over the RBAC-only design in percent.
pub fn presentable(
    rbac: &Design,
    closed: &Design,
    others: &[&Design],
    conv: &Conversion,
    months: u32,
) -> Result<(), Error> {
    let r = design_total(rbac, conv, "RBAC-only")?;
    let c = design_total(closed, conv, "closed")?;
    for d in others {
        design_total(d, conv, "planned")?;
    }
    let horizon = months.max(SIGN_OFF_MONTHS);
    for (total, label) in [(r, "RBAC-only"), (c, "closed")] {
        let month = format!("{} a month", crate::money::format_money(total, &conv.currency));
        if total.checked_mul(Decimal::ONE_HUNDRED).is_none() {
            return Err(Error::msg(format!(
                "the {label} design's total ({month}) is too large to compute its shares in percent (Decimal overflow)"
            )));
        }
        if total.checked_mul(Decimal::from(horizon)).is_none() {
            return Err(Error::msg(format!(
                "the {label} design's total over {horizon} months is too large to compute (Decimal overflow): {month}"
            )));
        }
    }
    let increase =
        (c - r).checked_mul(Decimal::ONE_HUNDRED).and_then(|d| if r.is_zero() { Some(d) } else { d.checked_div(r) });
    if increase.is_none() {
        return Err(Error::msg(format!(
            "the closed design's increase over the RBAC-only design ({} against {} a month) is too large to compute \
             in percent (Decimal overflow)",
            crate::money::format_money(c, &conv.currency),
            crate::money::format_money(r, &conv.currency)
        )));
    }
    Ok(())
}

/// The design's presented monthly total, every line and sum checked; the re-priced variants behind
/// "saving if dropped" are checked the same way.
fn design_total(design: &Design, conv: &Conversion, label: &str) -> Result<Decimal, Error> {
    let total = services_total(design.services.iter().chain(&design.added), conv, label)?;
    for (_, rest) in &design.dropped {
        services_total(rest.iter(), conv, label)?;
    }
    Ok(total)
}

fn services_total<'a, 'c: 'a>(
    services: impl Iterator<Item = &'a super::PricedService<'c>>,
    conv: &Conversion,
    label: &str,
) -> Result<Decimal, Error> {
    let mut net = Totals::default();
    let mut list = Totals::default();
    for s in services {
        for l in &s.lines {
            let overflow = || {
                Error::msg(format!(
                    "{} / {}: the {label} design's monthly figures are too large to compute in {} (Decimal overflow)",
                    s.name, l.component, conv.currency
                ))
            };
            let present = |m: Option<Decimal>| m.map(|m| conv.present(m)).transpose().map_err(|_| overflow());
            net.add(present(l.net())?, l.charge).ok_or_else(overflow)?;
            list.add(present(l.monthly)?, l.charge).ok_or_else(overflow)?;
            if let Source::Yours { list: Some(listed), .. } = &l.source {
                present(Some(listed.monthly))?;
            }
            for c in Commitment::ALL {
                present(l.monthly_at(c))?;
            }
        }
    }
    Ok(net.total())
}
