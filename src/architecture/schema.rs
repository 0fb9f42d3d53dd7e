//! `closednet schema`: the JSON Schema of the architecture file, generated from the same types the
//! loader deserializes (`yaml::RawArchitecture`), so it cannot drift from what is accepted.
//! `schema/architecture.schema.json` is the committed copy editors point at; a test compares them.

use super::yaml::RawArchitecture;

pub fn json() -> Result<String, String> {
    let schema = schemars::schema_for!(RawArchitecture);
    serde_json::to_string_pretty(&schema).map(|s| s + "\n").map_err(|e| e.to_string())
}
