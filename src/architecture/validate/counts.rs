//! `egress_count`, `operator_access_count`, `on_premises_count`: how many of each piece of the
//! network platform the design builds (a hub-and-spoke plan may build one per hub).

use super::Checker;
use crate::architecture::PlatformCounts;
use crate::architecture::quantity::Scalar;
use crate::architecture::yaml::{Located, RawClosedNetwork, loc};

/// `egress_count`, `operator_access_count`, `on_premises_count`: whole numbers of at least 1, and
/// only next to a key that builds something.
pub(super) fn counts(
    c: &mut Checker,
    r: &RawClosedNetwork,
    egress: bool,
    bastion: bool,
    on_premises: bool,
) -> PlatformCounts {
    let mut one = |value: &Option<Located<Scalar>>, key: &str, builds: bool| {
        let Some(v) = value else { return 1 };
        let path = format!("closed_network.{key}_count");
        let Some(n) = c.count(v, &path, 1) else { return 1 };
        if !builds {
            c.error(loc(v), &path, format!("{key}_count, but closed_network.{key} builds nothing")).help =
                Some(format!("set closed_network.{key}, or remove {key}_count"));
            return 1;
        }
        u32::try_from(n.trunc().mantissa()).unwrap_or(u32::MAX)
    };
    PlatformCounts {
        egress: one(&r.egress_count, "egress", egress),
        bastion: one(&r.operator_access_count, "operator_access", bastion),
        on_premises: one(&r.on_premises_count, "on_premises", on_premises),
    }
}
