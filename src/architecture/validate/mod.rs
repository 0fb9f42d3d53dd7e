//! Checks a parsed architecture file against the format's rules and the catalog, and builds the
//! model. Every problem is collected (a [`Diagnostic`] with line, column, path and, for unknown
//! names, a suggestion) so that the user sees them all at once. By concern: the file's header and
//! the list of services here, one service in [`service`] (its capacity and usage in [`amounts`],
//! its fields' paths in [`paths`]), `closed_network` in [`network`], the commercial terms and
//! policy in [`terms`], requirements and scenarios in [`scenarios`].

mod amounts;
mod counts;
mod network;
mod paths;
pub(super) mod scenarios;
mod service;
mod terms;

use super::quantity::Scalar;
use super::yaml::{Loc, Located, RawArchitecture, loc};
use super::{Architecture, ConditionalAccess, MAX_SERVICES};
use crate::catalog::Catalog;
use crate::catalog::snapshot::Snapshot;
use crate::error::Diagnostic;
use crate::money::Currency;
use crate::suggest;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

pub(crate) const RUNTIMES: [&str; 6] = ["python", "node", "dotnet", "java", "powershell", "custom"];

pub(super) struct Checker<'a> {
    pub(super) file: &'a str,
    pub(super) diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn error(&mut self, at: Loc, path: impl Into<String>, message: impl Into<String>) -> &mut Diagnostic {
        let pushed = self.diags.len();
        self.diags.push(Diagnostic::new(self.file, message).at(at.line, at.column).path(path));
        &mut self.diags[pushed]
    }

    /// One of `choices`, or an error with a suggestion.
    pub(super) fn choice<'c>(
        &mut self,
        value: &Located<String>,
        path: impl fmt::Display,
        choices: &[&'c str],
    ) -> Option<&'c str> {
        let v = value.value.trim();
        if let Some(c) = choices.iter().find(|c| c.eq_ignore_ascii_case(v)) {
            return Some(c);
        }
        let help = suggest::help(v, choices);
        self.error(loc(value), path.to_string(), format!("unknown value \"{v}\"")).help = Some(help);
        None
    }

    pub(super) fn quantity(&mut self, value: &Located<Scalar>, path: impl fmt::Display) -> Option<Decimal> {
        match value.value.quantity() {
            Ok(q) => Some(q),
            Err(e) => {
                self.error(loc(value), path.to_string(), e.to_string());
                None
            }
        }
    }

    /// A whole number of at least `min`.
    pub(super) fn count(&mut self, value: &Located<Scalar>, path: impl fmt::Display, min: u64) -> Option<Decimal> {
        let q = self.quantity(value, &path)?;
        if q.fract() != Decimal::ZERO || q < Decimal::from(min) {
            self.error(loc(value), path.to_string(), format!("{q} is not a whole number of at least {min}"));
            return None;
        }
        Some(q)
    }
}

pub(in crate::architecture) fn validate(
    file: &str,
    raw: RawArchitecture,
    catalog: &Catalog,
) -> Result<Architecture, Vec<Diagnostic>> {
    let mut c = Checker { file, diags: Vec::new() };
    version(&mut c, &raw);
    let (pricing, snapshot) = pricing(&mut c, &raw, catalog);
    let region = region(&mut c, &raw, snapshot);
    let currency = currency(&mut c, &raw);
    let users = raw.users.as_ref().and_then(|u| c.count(u, "users", 0));
    let fx = fx(&mut c, &raw);
    let closed = network::closed_network(&mut c, raw.closed_network.as_ref(), catalog, users);
    licensing(&mut c, &closed, users);
    if raw.services.len() > MAX_SERVICES {
        return Err(vec![
            Diagnostic::new(
                file,
                format!(
                    "the file declares {} services; closednet estimates at most {MAX_SERVICES}",
                    raw.services.len()
                ),
            )
            .path("services")
            .help("split the design into several files"),
        ]);
    }
    let (services, names) = services(&mut c, &raw, catalog);
    let policy = terms::policy(&mut c, raw.policy.as_ref());
    let discounts = terms::discounts(&mut c, raw.discounts.as_deref().unwrap_or(&[]), catalog, &names, file);
    let prices = terms::prices(&mut c, raw.prices.as_deref().unwrap_or(&[]), catalog, currency.as_deref(), &services);
    let requirements = scenarios::requirements(&mut c, raw.requirements.as_deref());
    let scenario_list = scenarios::scenarios(&mut c, raw.scenarios.as_ref());

    if !c.diags.is_empty() {
        return Err(c.diags);
    }
    Ok(Architecture {
        file: file.to_string(),
        name: raw.name.unwrap_or_else(|| file.to_string()),
        region,
        currency,
        pricing: pricing.map(|(n, _)| n),
        users,
        fx,
        closed,
        services,
        policy,
        discounts,
        prices,
        index: std::collections::HashMap::new(),
        requirements,
        scenarios: scenario_list,
    }
    .indexed())
}

fn version(c: &mut Checker, raw: &RawArchitecture) {
    match &raw.version {
        None => {
            c.diags.push(
                Diagnostic::new(c.file, "missing `version`")
                    .path("version")
                    .help("add `version: 1` as the first key of the file"),
            );
        }
        Some(v) if v.value.quantity().ok() != Some(Decimal::ONE) => {
            c.error(loc(v), "version", format!("unsupported schema version {}", v.value.text())).help =
                Some("this closednet reads version: 1".into());
        }
        Some(_) => {}
    }
}

/// The snapshot the file pins (`pricing:`), else the newest; `None` when the pin names none.
fn pricing<'c>(
    c: &mut Checker,
    raw: &RawArchitecture,
    catalog: &'c Catalog,
) -> (Option<(String, Loc)>, Option<&'c Snapshot>) {
    let pricing = raw.pricing.as_ref().map(|p| (p.value.text(), loc(p)));
    let snapshot = match &pricing {
        Some((name, at)) => match catalog.snapshot(name) {
            Ok(s) => Some(s),
            Err(e) => {
                let (msg, help) = e.split_once("; ").unwrap_or((&e, ""));
                c.error(*at, "pricing", msg.to_string()).help = Some(help.to_string());
                None
            }
        },
        None => Some(catalog.newest()),
    };

    (pricing, snapshot)
}

fn region(c: &mut Checker, raw: &RawArchitecture, snapshot: Option<&Snapshot>) -> String {
    match &raw.region {
        None => {
            c.diags.push(
                Diagnostic::new(c.file, "missing `region` (the default Azure region, e.g. japaneast)").path("region"),
            );
            String::new()
        }
        Some(r) => {
            let name = r.value.trim().to_ascii_lowercase();
            if let Some(s) = snapshot.filter(|s| !s.meta.regions.contains(&name)) {
                let regions: Vec<&str> = s.meta.regions.iter().map(String::as_str).collect();
                c.error(loc(r), "region", format!("region \"{name}\" is not in pricing snapshot {}", s.meta.name))
                    .help = Some(suggest::help(&name, &regions));
            }
            name
        }
    }
}

fn currency(c: &mut Checker, raw: &RawArchitecture) -> Option<String> {
    raw.currency.as_ref().and_then(|cur| match Currency::parse(&cur.value) {
        Some(code) => Some(code.code().to_string()),
        None => {
            c.error(loc(cur), "currency", format!("\"{}\" is not an ISO 4217 currency code", cur.value)).help =
                Some("use a three-letter code such as USD, JPY or EUR".into());
            None
        }
    })
}

fn fx(c: &mut Checker, raw: &RawArchitecture) -> BTreeMap<String, Decimal> {
    let mut fx = BTreeMap::new();
    for (code, rate) in raw.fx.iter().flatten() {
        let path = format!("fx.{code}");
        match (Currency::parse(code), c.quantity(rate, &path)) {
            (None, _) => {
                c.error(loc(rate), &path, format!("\"{code}\" is not an ISO 4217 currency code"));
            }
            (Some(cur), Some(r)) if r > Decimal::ZERO => {
                fx.insert(cur.code().to_string(), r);
            }
            (Some(_), Some(_)) => {
                c.error(loc(rate), &path, "an exchange rate must be more than zero");
            }
            _ => {}
        }
    }
    fx
}

/// Conditional access is licensed per user: the file must say how many.
fn licensing(c: &mut Checker, closed: &super::ClosedNetwork, users: Option<Decimal>) {
    if closed.conditional_access != ConditionalAccess::None && users.is_some_and(|u| u.is_zero()) {
        c.error(closed.loc, "users", "conditional access is licensed per user, but `users` is 0").help =
            Some("set `users: N` to the people who sign in".into());
    }
    if closed.conditional_access != ConditionalAccess::None && users.is_none() {
        c.error(
            closed.loc,
            "closed_network.conditional_access",
            "conditional access is licensed per user, but the file has no `users`",
        )
        .help = Some("add `users: N` (the people who sign in)".into());
    }
}

/// Every service, each checked on its own, and the names they go by (for `calls`, discounts and
/// prices).
fn services(c: &mut Checker, raw: &RawArchitecture, catalog: &Catalog) -> (Vec<super::Service>, Vec<String>) {
    let names: Vec<String> = raw.services.iter().map(|s| s.value.name.value.trim().to_string()).collect();
    let name_set: HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut seen = HashSet::with_capacity(raw.services.len());
    let mut services = Vec::with_capacity(raw.services.len());
    for (index, s) in raw.services.iter().enumerate() {
        // Names are compared as every other use reads them: without surrounding spaces.
        if !seen.insert(s.value.name.value.trim()) {
            c.error(
                loc(&s.value.name),
                format!("services[{index}].name"),
                format!("duplicate service name \"{}\"", s.value.name.value.trim()),
            )
            .help = Some("each service needs its own name".into());
        }
        if let Some(svc) = service::service(c, index, &s.value, loc(s), catalog, &names, &name_set) {
            services.push(svc);
        }
    }
    if raw.services.is_empty() && !raw.imported {
        c.diags.push(Diagnostic::new(c.file, "the file declares no services").path("services"));
    }
    (services, names)
}
