//! Bounds on the work one template can ask for, so that a hostile or broken template gets an error
//! rather than a hang, an exhausted memory or an overflowed stack. Azure's own limits are tighter
//! than most of these (800 copies per loop, 4 MB templates); real templates stay far below them.

use std::cell::Cell;

use super::failure::{Failure, Result};

/// Instances of one `copy` loop (Azure's own limit).
pub(crate) const MAX_COPY: i64 = 800;
/// Elements `range()` may produce.
pub(crate) const MAX_RANGE: i64 = 10_000;
/// Characters of any one string a function builds.
pub(crate) const MAX_STRING: usize = 1 << 20;
/// Nesting of arrays and objects in a value.
pub(crate) const MAX_VALUE_DEPTH: u32 = 100;
/// Size of one value: one unit a scalar or container, one more per 16 bytes of string.
pub(crate) const MAX_VALUE_WEIGHT: u64 = 2_000_000;
/// Nesting of calls and brackets in one expression.
pub(crate) const MAX_EXPR_DEPTH: usize = 64;
/// Nested evaluations (variables using variables, user functions, lambdas, nested deployments).
pub(crate) const MAX_EVAL_DEPTH: u32 = 96;
/// Nested deployments inside nested deployments.
pub(crate) const MAX_DEPLOYMENT_DEPTH: usize = 16;
/// Resource instances one template may expand to.
pub(crate) const MAX_RESOURCES: usize = 20_000;
/// Function calls and template strings evaluated for one read.
pub(crate) const MAX_STEPS: u64 = 5_000_000;

/// Counts the work done so far.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    steps: Cell<u64>,
    resources: Cell<usize>,
}

impl Budget {
    pub fn step(&self) -> Result<()> {
        let n = self.steps.get() + 1;
        self.steps.set(n);
        if n > MAX_STEPS {
            return Err(Failure::new(format!(
                "the template needs more than {MAX_STEPS} evaluation steps; it is refused as too large or looping"
            )));
        }
        Ok(())
    }

    pub fn resource(&self) -> Result<()> {
        let n = self.resources.get() + 1;
        self.resources.set(n);
        if n > MAX_RESOURCES {
            return Err(Failure::new(format!("the template expands to more than {MAX_RESOURCES} resources")));
        }
        Ok(())
    }
}

pub(crate) fn check_string_len(function: &str, len: usize) -> Result<()> {
    if len > MAX_STRING {
        return Err(super::failure::in_function(function, format!("the result is longer than {MAX_STRING} bytes")));
    }
    Ok(())
}
