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
pub mod model;
pub mod terraform;
