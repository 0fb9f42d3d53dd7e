//! `closednet schema`: the JSON Schema of the architecture file, generated from the same types the
//! loader deserializes (`yaml::RawArchitecture`), so it cannot drift from what is accepted, and
//! completed from the catalog: service types, each type's tiers (ids and aliases), usage keys and
//! models, regions and snapshots become enums, so an editor offers them and flags `tier: p1v4`.
//! `schema/architecture.schema.json` is the committed copy editors point at (built from the
//! embedded catalog); a test compares them, and another checks that the schema and the loader
//! accept and refuse the same files.

use super::yaml::RawArchitecture;
use crate::catalog::Catalog;
use crate::error::Error;
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub fn json(catalog: &Catalog) -> Result<String, Error> {
    let schema = schemars::schema_for!(RawArchitecture);
    let mut v = serde_json::to_value(&schema).map_err(|e| Error::msg(e.to_string()))?;
    complete(&mut v, catalog)?;
    crate::error::pretty_json(&v)
}

/// Adds the catalog's closed vocabularies to the generated schema.
fn complete(v: &mut Value, catalog: &Catalog) -> Result<(), Error> {
    let regions: BTreeSet<&str> =
        catalog.snapshots.values().flat_map(|s| s.meta.regions.iter().map(String::as_str)).collect();
    let snapshots: Vec<&str> = catalog.snapshots.keys().map(String::as_str).collect();
    v["properties"]["version"] = json!({ "description": "Schema version: 1.", "enum": [1, "1"] });
    v["properties"]["region"] =
        json!({ "description": "The Azure region of every service.", "type": "string", "enum": regions });
    v["properties"]["pricing"] = json!({
        "description": "Pin a pricing snapshot (default: the newest).",
        "anyOf": [{ "type": "string", "enum": snapshots }, { "type": "null" }]
    });

    let requirements: Vec<Value> = super::scenario::Constraint::ALL
        .iter()
        .map(|c| json!({ "const": c.id(), "description": c.meaning() }))
        .collect();
    v["properties"]["requirements"] = json!({
        "description": "What the closed design must keep; each is checked against the priced design (finding CN024).",
        "anyOf": [{ "type": "array", "items": { "type": "string", "oneOf": requirements } }, { "type": "null" }]
    });
    v["properties"]["scenarios"] = json!({
        "description": "Named variants of the design: name -> { description, set: [PATH=VALUE, ...] } in the --set language.",
        "anyOf": [
            {
                "type": "object",
                "propertyNames": { "pattern": super::scenario::NAME_PATTERN, "not": { "pattern": "^[bB][aA][sS][eE]$" } },
                "additionalProperties": { "$ref": "#/$defs/RawScenario" }
            },
            { "type": "null" }
        ]
    });
    v["$defs"]["RawScenario"]["properties"]["set"] =
        json!({ "type": "array", "items": { "type": "string", "pattern": "^[^=]+=" } });
    let defs = catalog.services()?;
    let declarable: Vec<_> = defs.iter().filter(|d| !d.implied_only).collect();
    // A price of yours may name any type, the resources the closed design adds too.
    v["$defs"]["RawPrice"]["properties"]["type"] =
        json!({ "type": "string", "enum": defs.iter().map(|d| d.type_id.as_str()).collect::<Vec<_>>() });
    let service = &mut v["$defs"]["RawService"];
    service["properties"]["type"] =
        json!({ "type": "string", "enum": declarable.iter().map(|d| d.type_id.as_str()).collect::<Vec<_>>() });
    service["properties"]["runtime"] =
        json!({ "anyOf": [{ "type": "string", "enum": super::validate::RUNTIMES }, { "type": "null" }] });
    service["properties"]["os"] =
        json!({ "anyOf": [{ "type": "string", "enum": ["linux", "windows"] }, { "type": "null" }] });
    let subresources: BTreeSet<&str> =
        declarable.iter().flat_map(|d| d.subresources.keys().map(String::as_str)).collect();
    service["properties"]["subresources"] = json!({ "anyOf": [{ "type": "array", "items": { "type": "string", "enum": subresources } }, { "type": "null" }] });
    // Per type: its tiers (ids and aliases, as the loader matches them), usage keys and models.
    let mut per_type = Vec::new();
    for d in &declarable {
        let tiers: Vec<&str> = d
            .tiers()
            .flat_map(|t| std::iter::once(t.id.as_str()).chain(t.aliases.iter().map(String::as_str)))
            .collect();
        let mut usage = serde_json::Map::new();
        for key in &d.usage {
            let value = if key == "model" {
                json!({ "type": "string", "enum": d.models })
            } else {
                json!({ "$ref": "#/$defs/Quantity" })
            };
            usage.insert(key.clone(), value);
        }
        per_type.push(json!({
            "if": { "properties": { "type": { "const": d.type_id } }, "required": ["type"] },
            "then": { "properties": {
                "tier": { "anyOf": [{ "type": "string", "enum": tiers }, { "type": "null" }] },
                "usage": { "anyOf": [
                    { "type": "object", "properties": usage, "additionalProperties": false },
                    { "type": "null" }
                ] }
            } }
        }));
    }
    service["allOf"] = Value::Array(per_type);
    if v["$defs"].get("Quantity").is_none() {
        v["$defs"]["Quantity"] = serde_json::to_value(schemars::schema_for!(super::quantity::Quantity))
            .map_err(|e| Error::msg(e.to_string()))?;
        if let Some(o) = v["$defs"]["Quantity"].as_object_mut() {
            o.remove("$schema");
            o.remove("title");
        }
    }
    Ok(())
}
