//! The import as a reviewable architecture file: every service and platform key with a comment
//! naming its source address(es) and the evidence read, usage keys commented out with a hint.
//! `closednet estimate` reads it unchanged. Values come from the mapping (catalog types, tiers,
//! counts), names from the input's names or addresses; nothing else of the input is written.

use super::{Import, Planned};
use crate::catalog::Catalog;
use std::fmt::Write as _;

/// A double-quoted YAML scalar (control characters escaped, so no value can start a line).
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a comment: one line, control characters dropped.
fn comment(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The architecture file of `import`; `catalog` gives each type's usage keys for the hints.
pub fn write(import: &Import, catalog: &Catalog) -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    let origin = match import.origin {
        crate::iac::model::Origin::Terraform => "Terraform plan",
        crate::iac::model::Origin::Arm => "ARM template",
    };
    writeln!(
        out,
        "# Imported by closednet from {} ({origin}). Review it: each service and platform",
        comment(&import.file)
    )?;
    writeln!(out, "# key says where it comes from and what was read; usage is commented out: set it to")?;
    writeln!(out, "# price what the services do.")?;
    writeln!(out, "version: 1")?;
    writeln!(out, "name: {}", quoted(&import.file))?;
    writeln!(out, "region: {}", quoted(&import.region))?;
    network(&mut out, import)?;
    if import.services.is_empty() {
        writeln!(out, "# The input builds no service of the catalog (see the import summary).")?;
        writeln!(out, "services: []")?;
    } else {
        writeln!(out, "services:")?;
    }
    for s in &import.services {
        service(&mut out, s, catalog)?;
    }
    Ok(out)
}

fn network(out: &mut String, import: &Import) -> std::fmt::Result {
    let net = &import.network;
    if net.keys.is_empty() && net.existing_hub.is_empty() {
        return Ok(());
    }
    writeln!(out, "closed_network:")?;
    for (key, (value, count, addresses)) in &net.keys {
        writeln!(out, "  # {}", comment(&addresses.join(", ")))?;
        writeln!(out, "  {key}: {value}")?;
        if *count > 1 {
            writeln!(out, "  {key}_count: {count}")?;
        }
    }
    if !net.existing_hub.is_empty() {
        writeln!(out, "  # the organisation's hub, read by the input: {}", comment(&net.existing_hub.join(", ")))?;
        writeln!(out, "  hub: existing")?;
    }
    Ok(())
}

fn service(out: &mut String, s: &Planned, catalog: &Catalog) -> std::fmt::Result {
    writeln!(out, "  # {}: {}", comment(&s.sources.join(", ")), comment(&s.evidence.join("; ")))?;
    writeln!(out, "  - name: {}", quoted(&s.name))?;
    writeln!(out, "    type: {}", s.type_id)?;
    writeln!(out, "    tier: {}", s.tier)?;
    let def = catalog.service(&s.type_id);
    for (key, n) in &s.capacity {
        if def.is_some_and(|d| d.capacity.iter().any(|k| k == key)) {
            writeln!(out, "    {key}: {n}")?;
        }
    }
    if let Some(os) = &s.os {
        writeln!(out, "    os: {os}")?;
    }
    if let Some(r) = &s.runtime {
        writeln!(out, "    runtime: {r}")?;
    }
    if s.public {
        writeln!(out, "    public: true")?;
    }
    // Only a type whose private endpoints take a chosen sub-resource (storage) says which.
    let subs: Vec<&str> = s
        .subresources
        .iter()
        .map(String::as_str)
        .filter(|g| def.is_some_and(|d| d.subresources.contains_key(*g)))
        .collect();
    if !subs.is_empty() {
        writeln!(out, "    subresources: [{}]", subs.join(", "))?;
    }
    if !s.calls.is_empty() {
        let calls: Vec<String> = s.calls.iter().map(|c| quoted(c)).collect();
        writeln!(out, "    calls: [{}]", calls.join(", "))?;
    }
    let usage: Vec<&str> =
        def.map(|d| d.usage.iter().map(String::as_str).filter(|k| *k != "model").collect()).unwrap_or_default();
    let model = s.model.as_deref().filter(|m| def.is_some_and(|d| d.models.iter().any(|x| x == m)));
    if let Some(m) = model {
        writeln!(out, "    usage:")?;
        writeln!(out, "      model: {m}")?;
        for k in &usage {
            writeln!(out, "      # {k}: 0")?;
        }
    } else if !usage.is_empty() {
        let hint: Vec<String> = usage.iter().map(|k| format!("{k}: 0")).collect();
        writeln!(out, "    # usage: {{ {} }}", hint.join(", "))?;
    }
    if let (Some(m), None) = (&s.model, model) {
        writeln!(out, "    # model {} is not in the catalog", comment(m))?;
    }
    Ok(())
}
