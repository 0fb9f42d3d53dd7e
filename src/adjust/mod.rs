//! What you actually pay, applied to the priced designs after the tier choice (made at list prices,
//! or at a price sheet's with `--choose-on negotiated`), in this order:
//!
//! 1. an EA/MCA price sheet (`--price-sheet`, [`price_sheet`]);
//! 2. a savings-plan commitment (`--commitment`, [`commitment`]);
//! 3. your own unit prices (`prices:`, [`prices`]), which win over the sheet;
//! 4. negotiated discounts (`discounts:`, `--discount`, [`discount`]), which skip figures that are
//!    already yours.
//!
//! Each step is a rule for one line; [`each_line`] is the one walker that visits every line of a
//! design (its services, the resources it adds, and the re-priced variants behind "saving if
//! dropped", so that a saving is what you would actually save) and re-totals what changed.

pub mod commitment;
pub mod discount;
pub mod price_sheet;
pub mod prices;

use crate::architecture::Architecture;
use crate::architecture::terms::{Discount, Price};
use crate::calculator::{Commitment, Line, Totals};
use crate::error::Error;
use crate::money::Conversion;
use crate::rules::{Design, PricedService};

/// The service a line belongs to, for the rules that match on it.
pub struct Owner<'a> {
    pub name: &'a str,
    pub type_id: &'a str,
    pub tier: &'a str,
}

/// Applies `rule` to every line of `design`; a line it changed (`Ok(true)`) makes its service's
/// totals be computed again. Errors name the service. Returns how many lines of the design's own
/// services and added resources changed (the dropped variants are adjusted too, not counted).
pub fn each_line<'c>(
    design: &mut Design<'c>,
    mut rule: impl FnMut(&Owner, &mut Line<'c>) -> Result<bool, Error>,
) -> Result<usize, Error> {
    let mut count = 0;
    for s in design.services.iter_mut().chain(design.added.iter_mut()) {
        count += visit(s, &mut rule)?;
    }
    for s in design.dropped.iter_mut().flat_map(|(_, rest)| rest.iter_mut()) {
        visit(s, &mut rule)?;
    }
    Ok(count)
}

fn visit<'c>(
    s: &mut PricedService<'c>,
    rule: &mut impl FnMut(&Owner, &mut Line<'c>) -> Result<bool, Error>,
) -> Result<usize, Error> {
    let owner = Owner { name: &s.name, type_id: s.type_id, tier: s.tier };
    let mut changed = 0;
    for line in &mut s.lines {
        if rule(&owner, line).map_err(|e| e.within(owner.name))? {
            changed += 1;
        }
    }
    if changed > 0 {
        s.totals = Totals::of(&s.lines).map_err(|e| Error::from(e).within(&s.name))?;
    }
    Ok(changed)
}

/// Everything that sets what you pay, as the pipeline resolved it.
pub struct Terms<'a> {
    /// The price sheet and the date its rows are read at.
    pub sheet: Option<(&'a price_sheet::PriceSheet, &'a str)>,
    pub commitment: Commitment,
    pub discounts: &'a [Discount],
}

/// Applies `terms` and the file's `prices:` to both designs, in the module's order; returns how many
/// lines the price sheet priced in the two designs.
pub fn apply<'c>(
    arch: &Architecture,
    rbac: &mut Design<'c>,
    closed: &mut Design<'c>,
    terms: &Terms,
    conv: &Conversion,
) -> Result<usize, Error> {
    let mut sheet_lines = 0;
    if let Some((sheet, date)) = terms.sheet {
        for design in [&mut *rbac, &mut *closed] {
            sheet_lines += each_line(design, |_, l| sheet.price_line(l, date, conv))?;
        }
    }
    for design in [&mut *rbac, &mut *closed] {
        commitment::apply(design, terms.commitment)?;
    }
    if !arch.prices.is_empty() {
        let file = arch.file.as_str();
        prices::check_services(&arch.prices, &[&*rbac, &*closed], file)?;
        let usd: Vec<Price> = prices::to_usd(&arch.prices, conv, file)?;
        for design in [&mut *rbac, &mut *closed] {
            prices::apply(design, &usd).map_err(|e| e.within(file))?;
        }
    }
    for design in [rbac, closed] {
        discount::apply(design, terms.discounts)?;
    }
    Ok(sheet_lines)
}

/// [`apply`] to one more design (the design as planned of infrastructure code).
pub fn apply_one(arch: &Architecture, design: &mut Design, terms: &Terms, conv: &Conversion) -> Result<(), Error> {
    if let Some((sheet, date)) = terms.sheet {
        each_line(design, |_, l| sheet.price_line(l, date, conv))?;
    }
    commitment::apply(design, terms.commitment)?;
    if !arch.prices.is_empty() {
        let usd: Vec<Price> = prices::to_usd(&arch.prices, conv, &arch.file)?;
        prices::apply(design, &usd).map_err(|e| e.within(&arch.file))?;
    }
    discount::apply(design, terms.discounts)
}
