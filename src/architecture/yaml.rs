//! Reading the architecture file. This is the only module that knows the YAML library
//! (serde-saphyr): it turns text into the raw, located structure that `validate` checks.

use super::quantity::Scalar;
use crate::error::Diagnostic;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// A position in the file (1-based line and column).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    pub line: u64,
    pub column: u64,
}

pub(crate) fn loc<T>(s: &Spanned<T>) -> Loc {
    Loc { line: s.referenced.line(), column: s.referenced.column() }
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawArchitecture {
    pub version: Spanned<Scalar>,
    pub name: Option<String>,
    pub region: Option<Spanned<String>>,
    pub currency: Option<Spanned<String>>,
    pub pricing: Option<Spanned<Scalar>>,
    pub users: Option<Spanned<Scalar>>,
    /// Exchange rates the architect states (units per 1 USD), e.g. `{ JPY: 150 }`.
    pub fx: Option<BTreeMap<String, Spanned<Scalar>>>,
    pub closed_network: Option<Spanned<RawClosedNetwork>>,
    pub services: Vec<Spanned<RawService>>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClosedNetwork {
    pub conditional_access: Option<Spanned<String>>,
    pub on_premises: Option<Spanned<String>>,
    pub cicd: Option<Spanned<String>>,
    pub operator_access: Option<Spanned<String>>,
    pub sla: Option<Spanned<String>>,
    pub build_agents: Option<Spanned<Scalar>>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawService {
    pub name: Spanned<String>,
    #[serde(rename = "type")]
    pub type_id: Spanned<String>,
    pub tier: Option<Spanned<String>>,
    pub units: Option<Spanned<Scalar>>,
    pub replicas: Option<Spanned<Scalar>>,
    pub partitions: Option<Spanned<Scalar>>,
    pub instances: Option<Spanned<Scalar>>,
    /// Provisioned throughput in RU/s (Cosmos DB).
    pub throughput: Option<Spanned<Scalar>>,
    pub runtime: Option<Spanned<String>>,
    pub os: Option<Spanned<String>>,
    pub public: Option<bool>,
    pub calls: Option<Vec<Spanned<String>>>,
    pub subresources: Option<Vec<Spanned<String>>>,
    pub skillset: Option<bool>,
    /// Timeout of the skillset's custom Web API skills, seconds (AI Search allows at most 230).
    pub custom_skill_timeout: Option<Spanned<Scalar>>,
    /// Front Door billing zone (1-8) of the clients' edge locations.
    pub zone: Option<Spanned<Scalar>>,
    pub usage: Option<BTreeMap<String, Spanned<Scalar>>>,
}

/// Parses the file, or says where and why it could not.
pub(crate) fn parse(file: &str, text: &str) -> Result<RawArchitecture, Box<Diagnostic>> {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    let mut path = String::new();
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            path = e.path().to_string();
            e.into_inner()
        })
    });
    result.map_err(|e| {
        let message = e.without_snippet().to_string();
        // The library appends " at line L, column C"; the location is printed up front instead.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        // `Spanned<T>` shows up as a `.value` segment; the user never wrote it.
        let path = path.replace(".value.", ".").replace(".value[", "[");
        let path = path.trim_end_matches(".?").trim_end_matches(".value").trim_start_matches('.').to_string();
        let path = if path == "." || path == "?" { String::new() } else { path };
        // A hint addressed to programmers using the library, not to the file's author.
        let message = match message.split_once(", set DuplicateKeyPolicy") {
            Some((m, _)) => m.to_string(),
            None => message,
        };
        let mut d = Diagnostic::new(file, message).path(path);
        if let Some(l) = e.location() {
            d = d.at(l.line(), l.column());
        }
        if let Some(rest) = d.message.strip_prefix("unknown field `") {
            let (field, expected) = rest.split_once("`, expected one of ").unwrap_or((rest, ""));
            let field = field.trim_end_matches('`');
            let candidates: Vec<&str> = expected.split(", ").filter(|c| !c.is_empty()).collect();
            let help = match crate::suggest::did_you_mean(field, candidates.iter().copied()) {
                Some(c) => format!(
                    "did you mean \"{c}\"? Unknown keys are errors so that a typo never changes a price silently"
                ),
                None => "unknown keys are errors so that a typo never changes a price silently".to_string(),
            };
            d = d.help(help);
        }
        Box::new(d)
    })
}
