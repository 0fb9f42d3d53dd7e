//! `closednet sweep FILE`: the choices the design leaves open, priced in every combination that
//! can matter, to find the cheapest closed design that keeps every stated requirement and what
//! dropping each requirement would save.
//!
//! 1. **Axes** ([`axes`]): the network platform's keys (hub, egress, operator access, on-premises
//!    link, DDoS, CI/CD agents) and, per declared service, the tiers above the declared one that
//!    meet its needs at the snapshot's date (each tier brings its own private mechanism: injection,
//!    a private endpoint, host storage). An option is one or more `--set` overrides.
//! 2. **Options that are not tried** and **dominated options** ([`prune`]), before anything is
//!    enumerated: an option that does not validate, whose own lines have no price (unless it is the
//!    file's), or that another option of its axis beats in every context, is dropped, and the
//!    report says how many variants that skips and why.
//! 3. **Enumeration**: every combination of the remaining options, up to `--max-variants`, each
//!    priced by `pipeline::run` with the file's text, so a row's `--set` line passed to `estimate`
//!    gives the same total to the cent. The catalog and its prices are loaded once by the caller;
//!    rows are not kept: each is folded into the front ([`front`]) as it is priced.

mod axes;
mod front;
mod prune;

pub use front::{Bound, Dropped, Row, Saving};

use crate::architecture::Constraint;
use crate::architecture::set::Set;
use crate::catalog::Catalog;
use crate::catalog::snapshot::Snapshot;
use crate::error::Error;
use crate::money::Conversion;
use crate::pipeline::{self, Estimate, Overrides};

/// How to sweep.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--vary PATH`: only these axes (empty: every axis).
    pub vary: Vec<String>,
    /// `--fix PATH=VALUE`: pinned for every variant (its axis, if any, is not varied).
    pub fix: Vec<Set>,
    /// `--max-variants N`: price at most this many variants.
    pub max_variants: u64,
    /// `false` with `--all`: keep dominated options (for checking the pruning; slower).
    pub prune: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { vary: Vec::new(), fix: Vec::new(), max_variants: DEFAULT_MAX_VARIANTS, prune: true }
    }
}

/// Default bound on the variants one sweep prices (about 6 s on the reference machine).
pub const DEFAULT_MAX_VARIANTS: u64 = 10_000;

/// Variants not priced, with why.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub count: u128,
    pub why: String,
}

/// What one axis offered, and what became of each option.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisReport {
    pub path: String,
    /// The file's value (after `--set` and `--fix`).
    pub base: String,
    /// Values enumerated.
    pub tried: Vec<String>,
    /// Values dropped before enumerating: (value, why).
    pub dropped: Vec<(String, String)>,
}

/// The result of a sweep.
pub struct Sweep<'c> {
    /// The file as written (with `--set` and `--fix`), priced as the first variant.
    pub base: Row,
    /// The cheapest variant that keeps every stated requirement.
    pub cheapest: Option<Row>,
    /// Cheapest first: each row is the cheapest variant for the requirements it keeps, and no other
    /// row keeps all of them for less.
    pub pareto: Vec<Row>,
    pub requirements: Vec<Constraint>,
    pub priced: u64,
    pub skipped: Vec<Skipped>,
    pub axes: Vec<AxisReport>,
    pub conversion: Conversion,
    pub snapshot: &'c Snapshot,
    pub region: String,
    pub name: String,
}

impl Sweep<'_> {
    pub fn variants_skipped(&self) -> u128 {
        self.skipped.iter().map(|s| s.count).sum()
    }

    /// What the cheapest compliant variant saves against the file as written.
    pub fn saving(&self) -> Option<Saving> {
        self.cheapest.as_ref().map(|c| Saving::between(&self.base, c))
    }
}

/// Everything one variant is priced with: the file, the catalog, the run's overrides.
pub(crate) struct Ctx<'a, 'c> {
    pub file: &'a str,
    pub text: &'a str,
    pub catalog: &'c Catalog,
    pub overrides: &'a Overrides,
    /// The run's `--set`s and `--fix`es: the start of every variant's overrides.
    pub fixed: Vec<Set>,
}

/// A variant that does not validate: the first problem the loader found.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Invalid(pub String);

impl<'c> Ctx<'_, 'c> {
    /// Prices the file with `sets` after the fixed ones. `Ok(Err(..))`: the variant does not
    /// validate.
    pub fn price(&self, sets: &[Set]) -> Result<Result<Estimate<'c>, Invalid>, Error> {
        let mut o = self.overrides.clone();
        o.sets = self.fixed.iter().chain(sets).cloned().collect();
        match pipeline::run(self.file, self.text, self.catalog, &o) {
            Ok(est) => Ok(Ok(est)),
            Err(Error::Input(diags)) => Ok(Err(Invalid(
                diags.first().map(|d| d.message.clone()).unwrap_or_else(|| "the variant is not valid".into()),
            ))),
            Err(e) => Err(e),
        }
    }
}

/// Sweeps `file` (its `text` read once by the caller) with the catalog loaded once.
pub fn sweep<'c>(
    file: &str,
    text: &str,
    catalog: &'c Catalog,
    overrides: &Overrides,
    options: &Options,
) -> Result<Sweep<'c>, Error> {
    if crate::iac::detect(text).is_some() {
        return Err(Error::msg(format!(
            "{file} is infrastructure code: sweep an architecture file (`closednet import` writes one)"
        )));
    }
    let fixed: Vec<Set> = overrides.sets.iter().chain(&options.fix).cloned().collect();
    let ctx = Ctx { file, text, catalog, overrides, fixed };
    let base = {
        let mut o = overrides.clone();
        o.sets = ctx.fixed.clone();
        pipeline::run(file, text, catalog, &o)?
    };
    let requirements: Vec<Constraint> = base.architecture.requirements.iter().map(|(c, _)| *c).collect();
    let list = axes::axes(&base, catalog, &options.vary, &options.fix)?;
    let facts = prune::probe_all(&ctx, &base, &list)?;
    let plan = prune::plan(&list, &facts, &requirements, options.prune);
    let mut front = front::Front::new();
    let base_row = Row::of(&ctx, &base, Vec::new(), 0, catalog)?;
    front.add(base_row.clone());
    let mut priced = 1u64;
    let mut invalid: Vec<Skipped> = Vec::new();
    let mut odometer = vec![0usize; plan.axes()];
    let total = plan.kept_count();
    let mut seen = 0u128;
    let bound = options.max_variants.max(1);
    loop {
        let sets = plan.sets(&odometer);
        // The all-base variant is the file as written, priced above.
        if !sets.is_empty() {
            if priced >= bound {
                break;
            }
            match ctx.price(&sets)? {
                Ok(est) => {
                    front.add(Row::of(&ctx, &est, sets, priced, catalog)?);
                    priced += 1;
                }
                Err(Invalid(why)) => match invalid.iter_mut().find(|s| s.why == why) {
                    Some(s) => s.count += 1,
                    None => invalid.push(Skipped { count: 1, why }),
                },
            }
        }
        seen += 1;
        if !plan.advance(&mut odometer) {
            break;
        }
    }
    let mut skipped = plan.skipped();
    if seen < total {
        skipped.push(Skipped {
            count: total - seen,
            why: format!(
                "over the bound of {} variants (--max-variants): the cheapest may be among them; narrow the sweep with --vary or --fix",
                options.max_variants
            ),
        });
    }
    for s in &mut invalid {
        s.why = format!("not valid in combination: {}", s.why);
    }
    skipped.extend(invalid);
    let (cheapest, pareto) = front.finish();
    Ok(Sweep {
        base: base_row,
        cheapest,
        pareto,
        requirements,
        priced,
        skipped,
        axes: plan.reports,
        conversion: base.conversion.clone(),
        snapshot: base.snapshot,
        region: base.architecture.region.clone(),
        name: base.architecture.name.clone(),
    })
}
