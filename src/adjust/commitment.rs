//! `--commitment savings-1y|savings-3y`: fixed lines whose meter has a savings plan rate are priced
//! at it. Tiers were chosen at pay-as-you-go prices; a commitment changes what you pay, not what
//! the design is.

use super::each_line;
use crate::calculator::Commitment;
use crate::error::Error;
use crate::rules::Design;

/// Prices every fixed line whose meter has a savings plan rate for `c` at that rate.
pub fn apply(design: &mut Design, c: Commitment) -> Result<(), Error> {
    if c == Commitment::Payg {
        return Ok(());
    }
    each_line(design, |_, l| Ok(l.commit(c))).map(|_| ())
}
