//! Infrastructure code in: Terraform plan JSON (`terraform show -json PLAN`) and ARM deployment
//! templates (also what `bicep build` writes). This layer sits beside `architecture/`, below the
//! rules: a reader turns a plan or a template into [`model::Resource`]s (allow-listed attributes
//! only, references resolved to the addresses of other resources of the same input), and the
//! mapping turns those into the architecture model plus what it observed.
//!
//! Nothing here logs in, fetches or compiles anything. Plans and templates carry passwords, keys
//! and connection strings in plain text: a reader keeps only the attributes an [`model::AllowList`]
//! names, so no other value can reach a report, the written YAML, an error message or a panic.

pub mod arm;
pub mod import;
pub mod mapping;
pub mod model;
pub mod terraform;

use crate::error::Error;

/// What an input file holds, by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Terraform,
    Arm,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Terraform => "terraform",
            Kind::Arm => "arm",
        }
    }
}

/// Infrastructure code, or `None` for an architecture file (YAML). JSON is YAML too: an
/// architecture file written as JSON (with `version` and `services`) stays one. Plan JSON wrapped in
/// a CI runner's lines is Terraform, so that its reader says what it is.
pub fn detect(text: &str) -> Option<Kind> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("[command]") || t.starts_with("::") || t.starts_with("PK\u{3}\u{4}") {
        return Some(Kind::Terraform);
    }
    if !t.starts_with('{') {
        return None;
    }
    let head: String = t.chars().take(4096).collect();
    let key = |k: &str| head.contains(&format!("\"{k}\""));
    if key("$schema") && head.contains("deploymentTemplate") || key("contentVersion") && key("resources") {
        return Some(Kind::Arm);
    }
    if key("format_version") || key("terraform_version") || key("resource_changes") || key("planned_values") {
        return Some(Kind::Terraform);
    }
    if key("version") && key("services") {
        return None;
    }
    // Some other JSON: the Terraform reader names what it is (a state, a template, ...).
    Some(Kind::Terraform)
}

/// What `import` and the commands that take infrastructure code need besides the file.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--region`: the region to price in (and a template's `resourceGroup().location`).
    pub region: Option<String>,
    /// `--parameters`: (file name, text) of an ARM deployment parameters file.
    pub parameters: Option<(String, String)>,
}

/// Reads and maps a plan or a template.
pub fn import(kind: Kind, file: &str, text: &str, options: &Options) -> Result<import::Import, Error> {
    let allow = mapping::Mapping::embedded().allow_list();
    let read = match kind {
        Kind::Terraform => terraform::read(file, text, &allow)?,
        Kind::Arm => {
            let params = options.parameters.as_ref().map(|(n, t)| (n.as_str(), t.as_str()));
            arm::read(file, text, params, options.region.as_deref(), &allow)?
        }
    };
    import::map(read, options.region.as_deref())
}
