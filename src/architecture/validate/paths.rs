//! The path of a service's field in the file (`services[3].usage.gb`), as a value that is written
//! out only for an error: a valid file of 10,000 services needs none of them as text.

use std::fmt;

/// The paths of one service's fields (`services[3].usage.gb`), written out only for an error.
#[derive(Clone, Copy)]
pub(super) struct Paths(pub(super) usize);

impl Paths {
    /// `services[3].tier`
    pub(super) fn of(self, key: &str) -> Field<'_> {
        Field { index: self.0, prefix: "", key }
    }

    /// `services[3].usage.gb`: `key` inside a section, `prefix` written with its dot (`usage.`).
    pub(super) fn within<'k>(self, prefix: &'k str, key: &'k str) -> Field<'k> {
        Field { index: self.0, prefix, key }
    }
}

/// One field's path: a file that is valid needs none of them as text.
#[derive(Clone, Copy)]
pub(super) struct Field<'k> {
    index: usize,
    prefix: &'k str,
    key: &'k str,
}

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "services[{}].{}{}", self.index, self.prefix, self.key)
    }
}

impl From<Field<'_>> for String {
    fn from(field: Field<'_>) -> String {
        field.to_string()
    }
}
