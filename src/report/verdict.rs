//! The verdict on infrastructure code, said the same way in every format: whether what the plan or
//! template builds is closed, half-closed or public (over every resource that can be reached,
//! priced or not), with the money: what it costs as planned, what closing it fully would add, and
//! what its private endpoints cost where they close nothing.
//!
//! The headline holds no text from the input (only states, counts and figures), so each format
//! writes it as it is; the resource list does, and each format escapes it.

use super::dto::{self, Money};
use crate::error::Error;
use crate::figures::{AsBuiltMoney, PresentedDesign, as_built_money, present};
use crate::iac::import::{Import, State};
use crate::money::{Currency, format_money};
use crate::pipeline::{AsBuilt, Estimate};
use rust_decimal::Decimal;

/// An estimate's as-built part, presented.
pub struct Verdict<'a> {
    pub built: &'a AsBuilt<'a>,
    pub planned: PresentedDesign<'a>,
    pub money: AsBuiltMoney,
}

impl<'a> Verdict<'a> {
    /// `None` for an architecture file (nothing is built yet, so there is nothing to judge).
    pub fn of(est: &'a Estimate, closed: &PresentedDesign) -> Result<Option<Verdict<'a>>, Error> {
        let Some(built) = est.as_built.as_ref() else { return Ok(None) };
        let planned = present(&built.as_planned, &est.conversion)?;
        let money = as_built_money(&planned, closed);
        Ok(Some(Verdict { built, planned, money }))
    }

    pub fn state(&self) -> Option<State> {
        self.built.verdict
    }

    pub fn import(&self) -> &Import {
        &self.built.import
    }

    /// The headline, one sentence a line: the verdict, the money, and (half-closed) what the
    /// private plumbing costs without closing anything.
    pub fn headline(&self, cur: &Currency) -> Vec<String> {
        let m = &self.money;
        let mut out = vec![match self.state() {
            None => "Verdict: nothing to judge (no service, database or VM in the input).".to_string(),
            Some(s) => format!("Verdict: {} ({}).", s.as_str(), counts(self.import())),
        }];
        let incomplete = if m.planned_cover.incomplete() {
            format!(" (incomplete: {} line(s) have no price)", m.planned_cover.unpriced)
        } else {
            String::new()
        };
        out.push(format!("As planned it costs {} per month{incomplete}.", format_money(m.planned, cur)));
        let closing = match m.closing_adds {
            d if d > Decimal::ZERO => format!("adds {} per month", format_money(d, cur)),
            d if d < Decimal::ZERO => format!("saves {} per month", format_money(-d, cur)),
            _ => "adds nothing".to_string(),
        };
        let unpriced = self.import().judged.iter().filter(|j| j.service.is_none()).count();
        let left_out = match unpriced {
            0 => String::new(),
            n => format!("; {n} judged resource(s) are priced in no design (not in the catalog, or nothing to price)"),
        };
        let incomplete = if m.closing_incomplete { " (both figures leave out lines without a price)" } else { "" };
        out.push(if self.state() == Some(State::Closed) {
            let (word, d) = match m.closing_adds {
                d if d < Decimal::ZERO => ("less", -d),
                d => ("more", d),
            };
            format!(
                "It is closed already; closednet's closed design of the same services costs {} per month ({} {word}){incomplete}{left_out}.",
                format_money(m.closed, cur),
                format_money(d, cur)
            )
        } else {
            format!(
                "Closing it fully {closing}: the closed network costs {} per month{incomplete}{left_out}.",
                format_money(m.closed, cur)
            )
        });
        if self.state() == Some(State::HalfClosed) {
            out.push(match (m.open_endpoints, m.open_share) {
                (Some(o), share) => format!(
                    "Its private endpoints to resources that keep public access on cost {} per month{} and close nothing.",
                    format_money(o, cur),
                    share.map(|s| format!(" ({s}% of the plan)")).unwrap_or_default()
                ),
                (None, _) => "It builds no private endpoint to a resource that keeps public access on.".to_string(),
            });
        }
        out
    }

    /// The verdict in the report's JSON: its state, each resource judged, and the money.
    pub fn dto(&self, dp: usize) -> dto::VerdictDto {
        let money = |d: Decimal| -> Money { format!("{d:.dp$}") };
        let m = &self.money;
        dto::VerdictDto {
            as_planned_monthly: money(m.planned),
            closing_adds_monthly: money(m.closing_adds),
            complete: !m.closing_incomplete,
            open_endpoints_monthly: m.open_endpoints.map(money),
            open_endpoints_share_percent: m.open_share.map(|s| s.to_string()),
            services: self
                .import()
                .judged
                .iter()
                .map(|j| dto::VerdictServiceDto {
                    evidence: j.evidence.clone(),
                    name: j.service.clone(),
                    source: j.address.clone(),
                    state: j.state.as_str(),
                })
                .collect(),
            state: self.state().map(State::as_str),
        }
    }
}

/// `4 resources judged: 3 half-closed, 1 public` (states with none left out).
pub fn counts(import: &Import) -> String {
    let n = |s: State| import.judged.iter().filter(|j| j.state == s).count();
    let parts: Vec<String> = [State::Closed, State::HalfClosed, State::Public, State::Unknown]
        .into_iter()
        .filter(|s| n(*s) > 0)
        .map(|s| match s {
            State::Unknown => format!("{} unknown until apply", n(s)),
            s => format!("{} {}", n(s), s.as_str()),
        })
        .collect();
    format!("{} resource(s) judged: {}", import.judged.len(), parts.join(", "))
}

/// A short phrase for one-line headlines (`check`, `diff`): `as planned half-closed, USD 275.66/month`.
pub fn phrase(v: &Verdict, cur: &Currency) -> String {
    let state = v.state().map_or("nothing to judge", State::as_str);
    let incomplete = if v.money.planned_cover.incomplete() { " (incomplete)" } else { "" };
    format!("the plan as planned is {state} and costs {}/month{incomplete}", format_money(v.money.planned, cur))
}
