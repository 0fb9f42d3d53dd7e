//! The rules engine: from an architecture to two designs.
//!
//! - **RBAC-only**: every service at its declared tier (or its type's lowest tier), public
//!   endpoints protected by Entra ID; nothing added.
//! - **Closed network**: for each service, derive what it needs ([`needs`]: private inbound unless
//!   `public`; private outbound when it calls a private service; Private Link origins for a public
//!   edge; shared private links for AI Search), keep the tiers of equal or higher rank that provide
//!   it, run the required OS, have an SLA when `sla: production`, and have a price in the region;
//!   pick the cheapest at the declared usage ([`choose`]). Then add what a closed network brings
//!   ([`implied`]): private endpoints, private DNS zones, on-premises connectivity, build agents,
//!   operator access, Entra ID licences.
//!
//! Every bump is a [`Decision`] citing a rule id, the documentation that makes the chosen tier
//! qualify, and its date. Candidate tiers are compared at list prices, or at the prices of a
//! [`Pricer`] the caller gives (a negotiated price sheet: the engine does not know where they come
//! from).

pub mod bounds;
mod choose;
pub mod constraints;
mod design;
pub mod edge_path;
pub mod findings;
pub mod implied;
mod needs;
pub mod options;
mod previews;
pub mod requirement;
mod zones;

pub use design::{as_planned, cheapest_closed, closed, declared_tier, rbac, resource};
pub use needs::{needs, private_link_origins, unlinked_reason};

use crate::calculator::{Line, PriceError, Totals};
use crate::catalog::definitions::{Capability, CapabilityKind, Status};
use crate::error::Error;
use crate::registry::RuleId;
use requirement::Requirement;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt;

/// The prices at which the closed design compares candidate tiers, when they are not list prices
/// (`--choose-on negotiated`). The chosen tier's lines stay at list price: what you actually pay is
/// applied later, above the engine.
pub trait Pricer {
    /// Re-prices a candidate tier's lines in place.
    fn reprice(&self, lines: &mut [Line]) -> Result<(), Error>;
}

/// One service of a design, priced. Type, tier and lines borrow from the catalog (`'c`).
#[derive(Clone, Debug)]
pub struct PricedService<'c> {
    pub name: String,
    pub type_id: &'c str,
    pub tier: &'c str,
    /// Why the resource is there (for added resources).
    pub reason: Option<String>,
    /// How many of it (for added resources: endpoints, zones, users).
    pub count: Option<Decimal>,
    pub lines: Vec<Line<'c>>,
    pub totals: Totals,
    /// In the closed design, the requirement its cost serves (see [`requirement`]).
    pub requirement: Option<Requirement>,
    /// For a declared service whose tier prices operating systems differently: the one its lines
    /// are for, and why.
    pub os: Option<PricedOs>,
}

/// The operating system a service's lines are priced for, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedOs {
    /// `linux` or `windows`.
    pub os: &'static str,
    pub why: OsWhy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OsWhy {
    /// `os:` in the file.
    Declared,
    /// `runtime: python` without `os:`: Python runs only on Linux.
    Python,
    /// Neither `os:` nor a runtime that decides: closednet prices Windows.
    Default,
}

impl PricedOs {
    /// The OS a service with `os` (from the file, or `linux` for Python) is priced as on `tier`;
    /// `None` when the tier's prices are the same for every OS.
    pub fn of(os: Option<&str>, os_declared: bool, tier: &crate::catalog::definitions::Tier) -> Option<PricedOs> {
        if !tier.components.iter().any(|c| c.os.is_some()) {
            return None;
        }
        let (os, why) = match os {
            Some("linux") => ("linux", if os_declared { OsWhy::Declared } else { OsWhy::Python }),
            Some(_) => ("windows", OsWhy::Declared),
            None => ("windows", OsWhy::Default),
        };
        Some(PricedOs { os, why })
    }

    /// `Windows, because the file gives no os: (add os: linux for the Linux prices)`, for reports.
    pub fn describe(&self) -> String {
        let name = if self.os == "linux" { "Linux" } else { "Windows" };
        match self.why {
            OsWhy::Declared => format!("{name}, as `os:` says"),
            OsWhy::Python => format!("{name}, because Python runs only on Linux (`runtime: python`)"),
            OsWhy::Default => format!(
                "{name}, closednet's default for a service without `os:` (add `os: linux` for the Linux prices)"
            ),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Rejected<'c> {
    pub tier: &'c str,
    pub reason: Reason<'c>,
}

/// Why a tier was not chosen. Kept as data and written out only when a report shows it: a large
/// design rejects tens of thousands of tiers.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason<'c> {
    /// Ranks below the declared tier (bumps only move up).
    BelowDeclared(&'c str),
    /// None of these capabilities gives it private outbound access (empty: the type has none).
    NoOutbound(&'c [CapabilityKind]),
    /// No price for a component in the region.
    NoPrice { component: &'c str, why: String },
    /// Meets the needs but costs this much more per month than the chosen tier, in the snapshot's
    /// currency (USD, or what `pricing fetch --currency` asked for).
    Costlier { more: Decimal, than: &'c str, currency: &'c str },
    /// Meets the needs, but the declared tier already does and stays.
    DeclaredSuffices(&'c str),
    /// Any other reason, as text.
    Other(Cow<'static, str>),
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Reason::BelowDeclared(d) => write!(f, "ranks below the declared tier {d} (bumps only move up)"),
            Reason::NoOutbound([]) => f.write_str("the service type has no private outbound access"),
            Reason::NoOutbound(kinds) => write!(f, "no {}", kind_names(kinds)),
            Reason::NoPrice { component, why } => write!(f, "no price for {component}: {why}"),
            Reason::Costlier { more, than, currency } => {
                write!(f, "meets the needs but costs {currency} {}/month more than {than}", {
                    let mut more = more.round_dp(2);
                    more.rescale(2);
                    more
                })
            }
            Reason::DeclaredSuffices(d) => write!(f, "meets the needs; the declared tier {d} already does"),
            Reason::Other(text) => f.write_str(text),
        }
    }
}

pub(crate) fn kind_names(kinds: &[CapabilityKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" or ")
}

/// What a chosen tier must provide in the closed design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    PrivateInbound,
    PrivateOutbound,
}

impl Need {
    pub fn as_str(self) -> &'static str {
        match self {
            Need::PrivateInbound => "private inbound",
            Need::PrivateOutbound => "private outbound",
        }
    }
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The documentation that makes a chosen tier meet one need.
#[derive(Clone, Debug)]
pub struct Evidence<'c> {
    pub need: Need,
    pub rule: RuleId,
    pub capability: CapabilityKind,
    pub doc: &'c str,
    pub as_of: &'c str,
    /// GA or in preview at the snapshot's date (a preview is priced, labelled, and fails
    /// `check --deny-preview`: finding CN025).
    pub status: Status,
}

impl<'c> Evidence<'c> {
    /// Whether this evidence makes the service private inbound by VNet injection (no endpoint).
    pub fn injects(&self) -> bool {
        self.need == Need::PrivateInbound && self.capability == CapabilityKind::VnetInjection
    }

    /// The evidence that `cap` (in force on `date`) meets `need` under `rule`.
    pub fn of(need: Need, rule: RuleId, cap: &'c Capability, date: &str) -> Evidence<'c> {
        let status = cap.status(date).unwrap_or(Status::Ga);
        Evidence { need, rule, capability: cap.kind, doc: &cap.doc, as_of: &cap.as_of, status }
    }

    /// ` (preview)` for a capability in preview, nothing for a GA one: what the reports print after
    /// the capability.
    pub fn label(&self) -> &'static str {
        match self.status {
            Status::Preview => " (preview)",
            Status::Ga => "",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Decision<'c> {
    pub service: String,
    pub type_id: &'c str,
    pub from: &'c str,
    /// The chosen tier; `None` when no tier meets the needs (the service keeps `from`).
    pub to: Option<&'c str>,
    pub needs: Needs<'c>,
    /// The first need the declared tier does not meet (the reason for the bump).
    pub rule: Option<RuleId>,
    pub evidence: Vec<Evidence<'c>>,
    pub rejected: Vec<Rejected<'c>>,
}

impl Decision<'_> {
    pub fn changed(&self) -> bool {
        self.to.is_some_and(|t| t != self.from)
    }
}

#[derive(Clone, Debug)]
pub struct Design<'c> {
    pub services: Vec<PricedService<'c>>,
    pub added: Vec<PricedService<'c>>,
    pub decisions: Vec<Decision<'c>>,
    /// For each requirement that is one switch of `closed_network`, what the closed design would add
    /// without it (the saving if it were dropped is the difference with `added`).
    pub dropped: Vec<(Requirement, Vec<PricedService<'c>>)>,
    /// How public edges reach origins whose private endpoint brings a charge (see [`edge_path`]).
    pub paths: Vec<edge_path::EdgePath>,
}

impl Design<'_> {
    /// The sum of the services' totals. Summing per service first keeps one grouping everywhere:
    /// Decimal addition rounds at 28 digits, so another grouping can differ in the last digit
    /// (a property test found this with 730/24-day meters).
    pub fn totals(&self) -> Result<Totals, PriceError> {
        let mut t = Totals::default();
        for s in self.services.iter().chain(&self.added) {
            t.plus(&s.totals).ok_or_else(|| PriceError::TotalOverflow(format!("the service {}", s.name)))?;
        }
        Ok(t)
    }
}

/// What a service needs in the closed design.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Needs<'c> {
    pub inbound: bool,
    /// Capabilities of which one must be present for outbound access, with the rule it comes from.
    pub outbound: Option<(&'c [CapabilityKind], RuleId)>,
}

impl Needs<'_> {
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.inbound {
            out.push("private inbound (private endpoint or VNet injection)".to_string());
        }
        if let Some((kinds, _)) = &self.outbound {
            out.push(format!("private outbound ({})", kind_names(kinds)));
        }
        out
    }

    pub fn any(&self) -> bool {
        self.inbound || self.outbound.is_some()
    }
}
