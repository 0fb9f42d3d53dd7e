//! Terraform plan JSON (`terraform show -json PLAN`) in, [`Read`] out: the instances the plan
//! leaves in place (created, updated, unchanged, replaced), the data sources it reads (existing
//! resources), allow-listed attributes only, and the resources each id attribute points to.
//!
//! - `detect`: what the file is, with a clear error for a state, a binary plan, a wrapped plan,
//!   a streamed log or a template; the sections not read are skipped unbuilt;
//! - `plan`: `resource_changes` (and data sources in `prior_state`), flattened by `flatten`;
//! - `refs`: known ids matched, unknown ones resolved from `configuration` (`address` parses
//!   module paths and reference strings);
//! - `lines`: each resource's line in the file;
//! - [`synthetic_plan`]: a generated plan for the benchmark (`benches/import.rs`).
//!
//! A whole block unknown until apply (`network_rules` absent from `after`, `true` in
//! `after_unknown`) is kept as `Unknown` at the block's own path, so the allow-list must name that
//! path (`network_rules`) beside the leaf patterns (`network_rules[*].default_action`) for it to
//! be seen: [`AllowList`] answers one path at a time and cannot say whether it names anything
//! below a block.
//!
//! Plans carry passwords, keys and connection strings in plain text in `after`. Only allow-listed
//! paths are copied out of the parsed document; errors and warnings name fields and addresses,
//! never values.

mod address;
mod detect;
mod flatten;
mod lines;
mod plan;
mod refs;
mod synthetic;

#[doc(hidden)]
pub use synthetic::synthetic_plan;

use crate::error::Diagnostic;
use crate::iac::model::{AllowList, Origin, Read};
use serde_json::Value;

/// Reads a plan JSON's text; `file` is the name errors and the result carry.
pub fn read(file: &str, text: &str, allow: &AllowList) -> Result<Read, Vec<Diagnostic>> {
    let top = detect::plan(file, text).map_err(|d| vec![*d])?;
    let lines = lines::resource_change_lines(text);
    let changes = plan::changes(file, &top, allow, &lines)?;
    let mut instances = changes.instances;
    refs::link(&mut instances, top.configuration.as_ref());
    let mut warnings = changes.warnings;
    if top.complete == Some(Value::Bool(false)) {
        warnings.push(
            "the plan is not complete (`complete: false`): Terraform deferred some changes to a later plan, and they are not in this one"
                .to_string(),
        );
    }
    Ok(Read {
        origin: Origin::Terraform,
        file: file.to_string(),
        resources: instances.into_iter().map(|i| i.resource).collect(),
        skipped: changes.skipped,
        warnings,
    })
}

/// Reads a plan file's bytes: a binary plan and text that is not UTF-8 get their own errors;
/// UTF-16 with a byte order mark (what Windows PowerShell's `>` writes) is decoded.
pub fn read_bytes(file: &str, bytes: &[u8], allow: &AllowList) -> Result<Read, Vec<Diagnostic>> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(vec![detect::binary(file)]);
    }
    if let Some(text) = utf16(bytes) {
        return read(file, &text, allow);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => read(file, text, allow),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = 1 + good.iter().filter(|&&b| b == b'\n').count() as u64;
            let column = 1 + good.iter().rev().take_while(|&&b| b != b'\n').count() as u64;
            let d = Diagnostic::new(file, "the file is not UTF-8 text: expected a Terraform plan in JSON")
                .at(line, column)
                .help(detect::HOW);
            Err(vec![d])
        }
    }
}

/// UTF-16 text with a byte order mark, decoded (`None` if it is not that).
fn utf16(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..]
        .chunks_exact(2)
        .map(|c| if little { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
    char::decode_utf16(units).collect::<Result<String, _>>().ok()
}

#[cfg(test)]
mod tests;
