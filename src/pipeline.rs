//! The pipeline every command runs: an architecture file in, an [`Estimate`] out.
//!
//! model (validated file, `--set` applied) -> tier choice (the two designs, [`crate::rules`]) ->
//! what you actually pay ([`crate::adjust`]) -> findings -> the report's input. Reports are pure
//! functions of the result.

use crate::adjust::{self, price_sheet};
use crate::architecture::terms::Discount;
use crate::architecture::{self, Architecture};
use crate::calculator::Commitment;
use crate::catalog::Catalog;
use crate::catalog::snapshot::Snapshot;
use crate::error::{Diagnostic, Error};
use crate::iac::{self, import::Import, import::State};
use crate::money::{Conversion, Currency};
use crate::rules::findings::{self, Finding};
use crate::rules::{self, Design, Pricer};
use rust_decimal::Decimal;

/// Everything a report shows.
pub struct Estimate<'c> {
    pub architecture: Architecture,
    pub snapshot: &'c Snapshot,
    pub conversion: Conversion,
    pub rbac: Design<'c>,
    pub closed: Design<'c>,
    pub findings: Vec<Finding>,
    /// Discounts applied (the file's, then the command line's).
    pub discounts: Vec<Discount>,
    /// Planning horizon for totals (`--months`, default 1).
    pub months: u32,
    /// How fixed compute is bought (`--commitment`, default pay-as-you-go).
    pub commitment: Commitment,
    /// The price sheet of `--price-sheet`: its file, the date it was read at and the lines it priced.
    pub price_sheet: Option<price_sheet::Applied>,
    /// When the input is infrastructure code: what it builds, as planned, and its verdict.
    pub as_built: Option<AsBuilt<'c>>,
}

/// Infrastructure code as it stands: the import (services, platform, plumbing, every resource's
/// state and what was left out), the design exactly as it builds it, and the verdict.
pub struct AsBuilt<'c> {
    pub import: Import,
    pub as_planned: Design<'c>,
    /// `None` when the input has nothing to judge (only platform, say).
    pub verdict: Option<State>,
}

/// Options from the command line that override the file.
#[derive(Default, Clone, Debug)]
pub struct Overrides {
    pub currency: Option<String>,
    /// `--fx JPY=150`: (currency, units per USD).
    pub fx: Vec<(String, Decimal)>,
    /// `--snapshot NAME`: price with this snapshot instead of the file's `pricing:` pin.
    pub snapshot: Option<String>,
    /// `--discount [TARGET=]PERCENT`: target is a service name or a type; none means all.
    pub discounts: Vec<(Option<String>, Decimal)>,
    /// `--months N`: scale totals for planning (0 means the default, 1).
    pub months: u32,
    /// Today's date (YYYY-MM-DD) for the price-age note and the price sheet; `None`: the system
    /// clock. The binary sets it (from `CLOSEDNET_TODAY` when that is set).
    pub today: Option<String>,
    /// Prices older than this many months get a CN011 note (0 means the default, 6).
    pub max_price_age: u32,
    /// `--set PATH=VALUE`: what-if overrides of the file, validated like the file.
    pub sets: Vec<architecture::set::Set>,
    /// `--commitment`: price fixed lines with savings plan rates at the 1-year or 3-year rate.
    pub commitment: Commitment,
    /// `--price-sheet FILE`: an EA/MCA price sheet, read ([`price_sheet::read`]).
    pub price_sheet: Option<std::sync::Arc<price_sheet::PriceSheet>>,
    /// `--choose-on negotiated`: the closed design compares tiers at the price sheet's prices.
    pub choose_on_negotiated: bool,
    /// `--region` and `--parameters`, for an input that is infrastructure code.
    pub source: iac::Options,
}

/// Reads, validates and prices an architecture file, or a Terraform plan or ARM template (told
/// apart by content): then the architecture is the one `closednet import` writes, and the estimate
/// also has the design as planned and the verdict.
pub fn run<'c>(file: &str, text: &str, catalog: &'c Catalog, overrides: &Overrides) -> Result<Estimate<'c>, Error> {
    let imported = match iac::detect(text) {
        None => None,
        Some(kind) => Some(iac::import(kind, file, text, &overrides.source)?),
    };
    let architecture = match &imported {
        None => architecture::load_with(file, text, catalog, &overrides.sets)?,
        Some(import) => load_imported(file, import, catalog, overrides)?,
    };
    let snapshot = match overrides.snapshot.as_ref().or(architecture.pricing.as_ref()) {
        Some(name) => catalog.snapshot(name)?,
        None => catalog.newest(),
    };
    if !snapshot.meta.regions.contains(&architecture.region) {
        return Err(Error::msg(format!(
            "{file}: region {} is not in pricing snapshot {}",
            architecture.region, snapshot.meta.name
        )));
    }
    let conversion = conversion(&architecture, snapshot, overrides)?;
    if conversion.native {
        no_usd_figures(&architecture, snapshot, overrides)?;
    }
    let today = overrides.today.clone().unwrap_or_else(crate::date::today_utc);
    let sheet = overrides.price_sheet.as_deref().map(|s| (s, s.date(&snapshot.meta.as_of, &today).to_string()));
    if overrides.choose_on_negotiated && sheet.is_none() {
        return Err(Error::msg("--choose-on negotiated needs --price-sheet FILE.csv"));
    }
    let negotiated = match (&sheet, overrides.choose_on_negotiated) {
        (Some((sheet, date)), true) => {
            Some(price_sheet::Negotiated { sheet, date: date.as_str(), conversion: &conversion })
        }
        _ => None,
    };
    let mut rbac = rules::rbac(&architecture, catalog, snapshot).map_err(|e| e.within(file))?;
    let pricer = negotiated.as_ref().map(|n| n as &dyn Pricer);
    let mut closed =
        rules::closed(&architecture, catalog, snapshot, &conversion, pricer).map_err(|e| e.within(file))?;
    // Resolved before the adjustments and reported after them: a problem with the file's `prices:`
    // is reported before one with `--discount`, as the file comes before the command line.
    let discounts = adjust::discount::resolve(&architecture, catalog, &overrides.discounts);
    let terms = adjust::Terms {
        sheet: sheet.as_ref().map(|(s, d)| (*s, d.as_str())),
        commitment: overrides.commitment,
        discounts: discounts.as_deref().unwrap_or_default(),
    };
    let mut as_planned = match &imported {
        Some(import) => Some(rules::as_planned(&architecture, import, &rbac, catalog, snapshot)?),
        None => None,
    };
    let sheet_lines = adjust::apply(&architecture, &mut rbac, &mut closed, &terms, &conversion)?;
    if let Some(planned) = as_planned.as_mut() {
        adjust::apply_one(&architecture, planned, &terms, &conversion)?;
    }
    let discounts = discounts?;
    let planned: Vec<&Design> = as_planned.iter().collect();
    rules::bounds::presentable(&rbac, &closed, &planned, &conversion, overrides.months.max(1))
        .map_err(|e| e.within(file))?;
    let price_sheet = sheet.map(|(sheet, date)| price_sheet::Applied {
        file: sheet.file.clone(),
        lines: sheet_lines,
        date,
        chose_tiers: overrides.choose_on_negotiated,
    });
    let mut findings = findings::findings(&architecture, catalog, &rbac, &closed, &snapshot.meta.as_of);
    let as_built = match (imported, as_planned) {
        (Some(import), Some(as_planned)) => {
            findings.extend(findings::observed(&import.facts));
            findings.extend(findings::mechanisms(&architecture, &import.services, &as_planned, catalog, snapshot)?);
            let verdict = verdict(&import);
            Some(AsBuilt { import, as_planned, verdict })
        }
        _ => None,
    };
    let limit = if overrides.max_price_age == 0 { 6 } else { overrides.max_price_age };
    if let Some(age) = crate::date::months_between(&snapshot.meta.as_of, &today).filter(|a| *a > i64::from(limit)) {
        findings.push(findings::stale(snapshot, &today, age, limit));
    }
    Ok(Estimate {
        architecture,
        snapshot,
        conversion,
        rbac,
        closed,
        findings,
        discounts,
        months: overrides.months.max(1),
        commitment: overrides.commitment,
        price_sheet,
        as_built,
    })
}

/// The verdict over every judged resource: closed if all are, public if all are, else
/// half-closed; `None` when nothing can be judged.
pub fn verdict(import: &Import) -> Option<State> {
    let states: Vec<State> = import.judged.iter().map(|j| j.state).collect();
    if states.is_empty() {
        None
    } else if states.iter().all(|s| *s == State::Closed) {
        Some(State::Closed)
    } else if states.iter().all(|s| *s == State::Public) {
        Some(State::Public)
    } else {
        Some(State::HalfClosed)
    }
}

/// The architecture `closednet import` writes for `import`, loaded, its services pointing at the
/// input's resources. Its region must have prices: else the error names the regions that do.
fn load_imported(file: &str, import: &Import, catalog: &Catalog, overrides: &Overrides) -> Result<Architecture, Error> {
    let snapshot = match &overrides.snapshot {
        Some(name) => catalog.snapshot(name)?,
        None => catalog.newest(),
    };
    if !snapshot.meta.regions.contains(&import.region) {
        return Err(Diagnostic::new(
            file,
            format!("region {} has no prices in pricing snapshot {}", import.region, snapshot.meta.name),
        )
        .help(format!(
            "the snapshot prices {}: pass --region REGION to price the input there, or refresh prices with `closednet pricing fetch --region {}` on a connected machine",
            snapshot.meta.regions.join(", "),
            import.region
        ))
        .into());
    }
    let yaml = iac::import::yaml::write(import, catalog)?;
    let mut arch = architecture::load_imported(file, &yaml, catalog, &overrides.sets).map_err(|diags| {
        let note = "in the architecture file imported from it, which `closednet import` writes";
        Error::Input(
            diags.into_iter().map(|d| Diagnostic { message: format!("{} ({note})", d.message), ..d }).collect(),
        )
    })?;
    for svc in &mut arch.services {
        if let Some(p) = import.services.iter().find(|p| p.name == svc.name) {
            svc.source = p.sources.last().cloned();
            svc.loc = architecture::Loc { line: p.line.unwrap_or(0), column: 1 };
            svc.tier_loc = None;
        }
    }
    Ok(arch)
}

/// The report currency and its rate: `--fx`, then the file's `fx:`, then the snapshot's table.
fn conversion(arch: &Architecture, snapshot: &Snapshot, overrides: &Overrides) -> Result<Conversion, Error> {
    if snapshot.meta.currency != "USD" {
        return native(arch, snapshot, overrides);
    }
    let code = overrides.currency.clone().or_else(|| arch.currency.clone()).unwrap_or_else(|| "USD".to_string());
    let currency =
        Currency::parse(&code).ok_or_else(|| Error::msg(format!("\"{code}\" is not an ISO 4217 currency code")))?;
    if currency.is_usd() {
        return Ok(Conversion::identity());
    }
    if let Some((_, rate)) = overrides.fx.iter().find(|(c, _)| c.eq_ignore_ascii_case(currency.code())) {
        return Ok(Conversion {
            currency,
            rate: *rate,
            source: "--fx on the command line".into(),
            date: None,
            native: false,
        });
    }
    if let Some(rate) = arch.fx.get(currency.code()) {
        return Ok(Conversion {
            currency,
            rate: *rate,
            source: format!("stated by the architect in {}", arch.file),
            date: None,
            native: false,
        });
    }
    if let Some(fx) = snapshot.fx(currency.code()) {
        return Ok(Conversion {
            currency,
            rate: fx.rate,
            source: fx.source.clone(),
            date: Some(fx.date.clone()),
            native: false,
        });
    }
    Err(Error::Input(vec![
        Diagnostic::new(
            &arch.file,
            format!("no USD to {currency} rate: pricing snapshot {} has none", snapshot.meta.name),
        )
        .path("currency")
        .help(format!(
            "pass --fx {currency}=RATE or add `fx: {{ {currency}: RATE }}` to the file (units of {currency} per USD)"
        )),
    ]))
}

/// A snapshot fetched in another currency (`pricing fetch --currency`) is reported in that currency,
/// as the API gives it, never converted: a report in another currency is an error.
fn native(arch: &Architecture, snapshot: &Snapshot, overrides: &Overrides) -> Result<Conversion, Error> {
    let own = &snapshot.meta.currency;
    let asked = overrides.currency.clone().or_else(|| arch.currency.clone()).unwrap_or_else(|| own.clone());
    if !asked.eq_ignore_ascii_case(own) {
        return Err(Error::Input(vec![
            Diagnostic::new(
                &arch.file,
                format!(
                    "pricing snapshot {} holds {own} prices, and the report currency is {asked}",
                    snapshot.meta.name
                ),
            )
            .path("currency")
            .help(format!("report in {own} (currency: {own}), or price with a USD snapshot (--snapshot) to convert")),
        ]));
    }
    let currency =
        Currency::parse(own).ok_or_else(|| Error::msg(format!("\"{own}\" is not an ISO 4217 currency code")))?;
    let source = format!("the Retail Prices API's {own} prices in pricing snapshot {}", snapshot.meta.name);
    Ok(Conversion::native(currency, source))
}

/// The architect's own figures are converted between USD and the report currency; a snapshot in
/// another currency has no USD rate, so a USD figure (a `prices:` entry, a price sheet, whose rows
/// may be USD) cannot be used with it.
fn no_usd_figures(arch: &Architecture, snapshot: &Snapshot, overrides: &Overrides) -> Result<(), Error> {
    let own = &snapshot.meta.currency;
    if let Some(p) = arch.prices.iter().find(|p| p.currency == "USD") {
        return Err(Error::Input(vec![
            Diagnostic::new(
                &arch.file,
                format!("a price in USD, and pricing snapshot {} holds {own} prices", snapshot.meta.name),
            )
            .at(p.loc.line, p.loc.column)
            .path(format!("prices[{}].currency", p.index))
            .help(format!("give the figure in {own} (currency: {own})")),
        ]));
    }
    if overrides.price_sheet.is_some() {
        return Err(Error::msg(format!(
            "--price-sheet: pricing snapshot {} holds {own} prices, which closednet does not convert; price the sheet with a USD snapshot (--snapshot)",
            snapshot.meta.name
        )));
    }
    Ok(())
}
