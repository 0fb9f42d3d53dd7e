//! closednet prices an Azure architecture twice: as an RBAC-only, pay-as-you-go design with
//! public endpoints, and as a closed-network design in which every service is reachable only
//! privately. A rules engine moves each service to the cheapest tier that supports what the closed
//! network needs and adds what a closed network brings with it; the report explains every bump.
//!
//! The flow is: [`architecture::load`] (YAML in, validated model out) -> [`rules::rbac`] and
//! [`rules::closed`] (designs, priced by [`estimate`] from a [`catalog`] snapshot) ->
//! [`rules::findings`] -> a report from [`report`], which is a pure function of an [`Estimate`].

pub mod architecture;
pub mod atomic;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod discount;
pub mod error;
pub mod estimate;
pub mod iac;
pub mod money;
pub mod price_sheet;
pub mod prices;
pub mod report;
pub mod rules;
pub mod suggest;

use architecture::Architecture;
use catalog::Catalog;
use catalog::snapshot::Snapshot;
use error::{Diagnostic, Error};
use money::{Conversion, Currency};
use rules::Design;
use rules::findings::Finding;
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
    pub discounts: Vec<discount::Discount>,
    /// Planning horizon for totals (`--months`, default 1).
    pub months: u32,
    /// How fixed compute is bought (`--commitment`, default pay-as-you-go).
    pub commitment: estimate::Commitment,
    /// The price sheet of `--price-sheet`: its file, the date it was read at and the lines it priced.
    pub price_sheet: Option<price_sheet::Applied>,
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
    /// Today's date (YYYY-MM-DD) for the price-age note; default: the CLOSEDNET_TODAY environment
    /// variable, else the system clock.
    pub today: Option<String>,
    /// Prices older than this many months get a CN011 note (0 means the default, 6).
    pub max_price_age: u32,
    /// `--set PATH=VALUE`: what-if overrides of the file, validated like the file.
    pub sets: Vec<architecture::set::Set>,
    /// `--commitment`: price fixed lines with savings plan rates at the 1-year or 3-year rate.
    pub commitment: estimate::Commitment,
    /// `--price-sheet FILE`: (file name, text) of an EA/MCA price sheet (CSV).
    pub price_sheet: Option<(String, String)>,
    /// `--choose-on negotiated`: the closed design compares tiers at the price sheet's prices.
    pub choose_on_negotiated: bool,
}

/// Today's date, UTC, as YYYY-MM-DD (civil-from-days, proleptic Gregorian).
pub fn today() -> String {
    if let Ok(t) = std::env::var("CLOSEDNET_TODAY") {
        return t;
    }
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d) = civil_date(secs);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The UTC calendar date (year, month, day) of `secs` since the Unix epoch (civil-from-days,
/// proleptic Gregorian).
pub fn civil_date(secs: u64) -> (i64, i64, i64) {
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Whole months from `from` to `to` (both YYYY-MM-DD); `None` if either is not a date.
pub fn months_between(from: &str, to: &str) -> Option<i64> {
    let p = |s: &str| -> Option<(i64, i64, i64)> {
        Some((s.get(0..4)?.parse().ok()?, s.get(5..7)?.parse().ok()?, s.get(8..10)?.parse().ok()?))
    };
    let (y1, m1, d1) = p(from)?;
    let (y2, m2, d2) = p(to)?;
    Some((y2 - y1) * 12 + (m2 - m1) - i64::from(d2 < d1))
}

/// Reads, validates and estimates an architecture file.
pub fn estimate<'c>(
    file: &str,
    text: &str,
    catalog: &'c Catalog,
    overrides: &Overrides,
) -> Result<Estimate<'c>, Error> {
    let architecture = architecture::load_with(file, text, catalog, &overrides.sets).map_err(Error::Input)?;
    let snapshot = match overrides.snapshot.as_ref().or(architecture.pricing.as_ref()) {
        Some(name) => catalog.snapshot(name)?,
        None => catalog.newest(),
    };
    if !snapshot.meta.regions.contains(&architecture.region) {
        return Err(Error::Message(format!(
            "{file}: region {} is not in pricing snapshot {}",
            architecture.region, snapshot.meta.name
        )));
    }
    let conversion = conversion(&architecture, snapshot, overrides)?;
    let mut rbac = rules::rbac(&architecture, catalog, snapshot).map_err(|e| Error::Message(format!("{file}: {e}")))?;
    let today = overrides.today.clone().unwrap_or_else(today);
    let sheet = match &overrides.price_sheet {
        None => None,
        Some((name, text)) => {
            let sheet = price_sheet::PriceSheet::parse(name, text).map_err(Error::Message)?;
            let date = sheet.date(&snapshot.meta.as_of, &today).to_string();
            Some((sheet, date))
        }
    };
    if overrides.choose_on_negotiated && sheet.is_none() {
        return Err(Error::Message("--choose-on negotiated needs --price-sheet FILE.csv".into()));
    }
    let negotiated = match (&sheet, overrides.choose_on_negotiated) {
        (Some((sheet, date)), true) => {
            Some(price_sheet::Negotiated { sheet, date: date.as_str(), conversion: &conversion })
        }
        _ => None,
    };
    let mut closed = rules::closed_on(&architecture, catalog, snapshot, &conversion, negotiated.as_ref())
        .map_err(|e| Error::Message(format!("{file}: {e}")))?;
    // A savings plan, then your own prices, apply after the tier choice (made at pay-as-you-go list
    // prices) and before the findings, so that a line your prices cover is no longer "no price".
    let price_sheet = match &sheet {
        None => None,
        Some((sheet, date)) => {
            let mut lines = sheet.apply(&mut rbac, date, &conversion).map_err(Error::Message)?;
            lines += sheet.apply(&mut closed, date, &conversion).map_err(Error::Message)?;
            let chose_tiers = overrides.choose_on_negotiated;
            Some(price_sheet::Applied { file: sheet.file.clone(), lines, date: date.clone(), chose_tiers })
        }
    };
    let commitment = overrides.commitment;
    prices::commit(&mut rbac, commitment).map_err(Error::Message)?;
    prices::commit(&mut closed, commitment).map_err(Error::Message)?;
    if !architecture.prices.is_empty() {
        let file = architecture.file.as_str();
        prices::check_services(&architecture.prices, &[&rbac, &closed], file).map_err(Error::Input)?;
        let usd = prices::to_usd(&architecture.prices, &conversion, file).map_err(Error::Input)?;
        prices::apply(&mut rbac, &usd).map_err(|e| Error::Message(format!("{file}: {e}")))?;
        prices::apply(&mut closed, &usd).map_err(|e| Error::Message(format!("{file}: {e}")))?;
    }
    let mut findings = rules::findings::findings(&architecture, catalog, &rbac, &closed, &snapshot.meta.as_of);
    let limit = if overrides.max_price_age == 0 { 6 } else { overrides.max_price_age };
    if let Some(age) = months_between(&snapshot.meta.as_of, &today).filter(|a| *a > i64::from(limit)) {
        findings.push(rules::findings::stale(snapshot, &today, age, limit));
    }
    let discounts = discounts(&architecture, catalog, overrides)?;
    discount::apply(&mut rbac, &discounts)?;
    discount::apply(&mut closed, &discounts)?;
    let months = overrides.months.max(1);
    Ok(Estimate {
        architecture,
        snapshot,
        conversion,
        rbac,
        closed,
        findings,
        discounts,
        months,
        commitment,
        price_sheet,
    })
}

/// The file's discounts, then the command line's (a target names a service, else a type).
fn discounts(arch: &Architecture, catalog: &Catalog, overrides: &Overrides) -> Result<Vec<discount::Discount>, Error> {
    let mut out = arch.discounts.clone();
    for (target, percent) in &overrides.discounts {
        let target = match target {
            None => discount::Target::All,
            Some(t) if arch.service(t).is_some() => discount::Target::Service(t.clone()),
            Some(t) if catalog.service(t).is_some() => discount::Target::Type(t.clone()),
            Some(t) => {
                return Err(Error::Message(format!(
                    "--discount {t}={percent}: \"{t}\" is neither a service of {} nor a service type",
                    arch.file
                )));
            }
        };
        out.push(discount::Discount { target, percent: *percent, origin: "--discount on the command line".into() });
    }
    Ok(out)
}

/// The report currency and its rate: `--fx`, then the file's `fx:`, then the snapshot's table.
fn conversion(arch: &Architecture, snapshot: &Snapshot, overrides: &Overrides) -> Result<Conversion, Error> {
    let code = overrides.currency.clone().or_else(|| arch.currency.clone()).unwrap_or_else(|| "USD".to_string());
    let currency =
        Currency::parse(&code).ok_or_else(|| Error::Message(format!("\"{code}\" is not an ISO 4217 currency code")))?;
    if currency.is_usd() {
        return Ok(Conversion::identity());
    }
    if let Some((_, rate)) = overrides.fx.iter().find(|(c, _)| c.eq_ignore_ascii_case(currency.code())) {
        return Ok(Conversion { currency, rate: *rate, source: "--fx on the command line".into(), date: None });
    }
    if let Some(rate) = arch.fx.get(currency.code()) {
        return Ok(Conversion {
            currency,
            rate: *rate,
            source: format!("stated by the architect in {}", arch.file),
            date: None,
        });
    }
    if let Some(fx) = snapshot.fx(currency.code()) {
        return Ok(Conversion { currency, rate: fx.rate, source: fx.source.clone(), date: Some(fx.date.clone()) });
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
