//! Why an evaluation stopped, before it becomes a located [`crate::error::Diagnostic`].
//!
//! A message names a function, a parameter, a variable, a property written in the template, a JSON
//! path or a limit, and never a value: values can be passwords, and a message is printed.

use crate::error::Diagnostic;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Failure {
    pub message: String,
    pub help: Option<String>,
    /// The JSON path of the template string whose evaluation failed (the innermost one: a failing
    /// variable is reported at `variables.x`, not at the resource that used it).
    pub path: Option<String>,
    pub line: Option<(u32, u32)>,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure { message: message.into(), help: None, path: None, line: None }
    }

    pub fn help(mut self, help: impl Into<String>) -> Failure {
        self.help = Some(help.into());
        self
    }

    /// Places the failure at `path` unless an inner evaluation already did.
    pub fn locate(mut self, path: &str, line: u32, col: u32) -> Failure {
        if self.path.is_none() {
            self.path = Some(path.to_string());
            self.line = Some((line, col));
        }
        self
    }

    pub fn into_diagnostic(self, file: &str) -> Diagnostic {
        let mut d = Diagnostic::new(file, self.message);
        if let Some((line, col)) = self.line {
            d = d.at(u64::from(line), u64::from(col));
        }
        if let Some(path) = self.path {
            d = d.path(path);
        }
        if let Some(help) = self.help {
            d = d.help(help);
        }
        d
    }
}

/// A failure of a template function: `function 'split': ...`.
pub(crate) fn in_function(name: &str, what: impl std::fmt::Display) -> Failure {
    Failure::new(format!("function '{name}': {what}"))
}

pub(crate) type Result<T> = std::result::Result<T, Failure>;
