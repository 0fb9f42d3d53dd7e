//! What a client can read without calling a tool: the JSON Schemas of the architecture file and of
//! the JSON report (what `closednet schema` and `schema --report` print), and every rule's
//! documentation (what `closednet explain ID` prints), each at a stable URI.

use crate::catalog::Catalog;
use crate::error::Error;
use crate::registry::RULES;

pub const ARCHITECTURE_SCHEMA: &str = "closednet://schema/architecture";
pub const REPORT_SCHEMA: &str = "closednet://schema/report";
const RULES_PREFIX: &str = "closednet://rules/";

/// A resource as `resources/list` shows it.
pub struct Listed {
    pub uri: String,
    pub name: String,
    pub title: String,
    pub description: String,
    pub mime_type: &'static str,
}

/// Every resource: the two schemas, then the rules in id order.
pub fn list() -> Vec<Listed> {
    let schema = |uri: &str, name: &str, title: &str, description: &str| Listed {
        uri: uri.to_string(),
        name: name.to_string(),
        title: title.to_string(),
        description: description.to_string(),
        mime_type: "application/schema+json",
    };
    let mut out = vec![
        schema(
            ARCHITECTURE_SCHEMA,
            "architecture-schema",
            "Architecture file JSON Schema",
            "The JSON Schema of the architecture file (schema version 1), as `closednet schema` prints it",
        ),
        schema(
            REPORT_SCHEMA,
            "report-schema",
            "Report JSON Schema",
            "The JSON Schema of the estimate tool's JSON (`closednet estimate --format json`), as `closednet schema --report` prints it",
        ),
    ];
    out.extend(RULES.iter().map(|r| Listed {
        uri: format!("{RULES_PREFIX}{}", r.id),
        name: format!("{} {}", r.id, r.slug),
        title: format!("{} ({}): {}", r.id, r.severity.as_str(), r.summary),
        description: format!("Rule {} ({}): what it checks, why, an example and the fix", r.id, r.slug),
        mime_type: "text/markdown",
    }));
    out
}

/// The text at `uri` and its MIME type; `None` for a URI that is not a resource.
pub fn read(uri: &str, catalog: &Catalog) -> Result<Option<(String, &'static str)>, Error> {
    Ok(match uri {
        ARCHITECTURE_SCHEMA => Some((crate::architecture::schema::json(catalog)?, "application/schema+json")),
        REPORT_SCHEMA => Some((crate::report::dto::schema()?, "application/schema+json")),
        _ => uri
            .strip_prefix(RULES_PREFIX)
            .and_then(|id| RULES.iter().find(|r| r.id == id))
            .map(|r| (r.docs.to_string(), "text/markdown")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_resource_reads_and_nothing_else_does() {
        let catalog = Catalog::embedded().unwrap();
        let listed = list();
        assert_eq!(listed.len(), 2 + RULES.len());
        for l in &listed {
            let (text, mime) = read(&l.uri, &catalog).unwrap().unwrap_or_else(|| panic!("{} does not read", l.uri));
            assert_eq!(mime, l.mime_type);
            assert!(!text.is_empty());
        }
        let (docs, _) = read("closednet://rules/CN014", &catalog).unwrap().unwrap();
        assert_eq!(docs, crate::registry::RuleId::CN014.rule().docs);
        for missing in ["closednet://rules/CN999", "closednet://rules/", "closednet://schema/", "file:///etc/passwd"] {
            assert!(read(missing, &catalog).unwrap().is_none(), "{missing}");
        }
    }
}
