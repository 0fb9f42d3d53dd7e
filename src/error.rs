//! Errors that stop the tool from running (exit code 2), with the place they come from.

use std::fmt;

/// One problem in an input file: where it is, what is wrong, and how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    /// Path inside the document, e.g. `services[2].tier`.
    pub path: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        Diagnostic { file: file.to_string(), line: None, column: None, path: None, message: message.into(), help: None }
    }

    pub fn at(mut self, line: u64, column: u64) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn path(mut self, path: impl Into<String>) -> Self {
        let p = path.into();
        self.path = (!p.is_empty()).then_some(p);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A diagnostic quotes the input (names, paths, values): shown with control characters and CI
/// command prefixes escaped, so that a name with a newline cannot start a line of its own in a
/// terminal or a CI log.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::escape::text;
        write!(f, "error: {}", text(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(path) = &self.path {
            write!(f, "{}: ", text(path))?;
        }
        write!(f, "{}", text(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", text(help))?;
        }
        Ok(())
    }
}

/// Everything that can stop a command: one or more located diagnostics, or a message that names
/// its own place (a file, a service, a component).
#[derive(Debug, PartialEq)]
pub enum Error {
    Input(Vec<Diagnostic>),
    Message(String),
}

impl Error {
    pub fn msg(message: impl Into<String>) -> Error {
        Error::Message(message.into())
    }

    /// The error with where it happened in front of a plain message (`gw: ...`, `design.yaml: ...`);
    /// located diagnostics already say where they are.
    pub fn within(self, place: &str) -> Error {
        match self {
            Error::Message(m) => Error::Message(format!("{place}: {m}")),
            located => located,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Error::Message(m) => write!(f, "error: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// A renderer writes into a `String`, which cannot fail; `fmt::Error` still propagates rather than
/// panic, should a `Display` implementation ever report one.
impl From<fmt::Error> for Error {
    fn from(_: fmt::Error) -> Self {
        Error::Message("cannot format the report (a formatter reported an error)".into())
    }
}

impl From<String> for Error {
    fn from(m: String) -> Self {
        Error::Message(m)
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(d: Vec<Diagnostic>) -> Self {
        Error::Input(d)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Message(format!("cannot write JSON: {e}"))
    }
}

impl From<csv::Error> for Error {
    fn from(e: csv::Error) -> Self {
        Error::Message(format!("cannot write CSV: {e}"))
    }
}

/// `value` as indented JSON with a final newline, as every JSON output of closednet is written.
pub fn pretty_json(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string_pretty(value).map(|s| s + "\n").map_err(Error::from)
}
