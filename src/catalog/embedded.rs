//! The `pricing/` directory, compiled in by `build.rs`:
//!
//! - `SERVICES`, `SNAPSHOTS` and `PRICE_FILES`: the same content as JSON (which parses several
//!   times faster), each snapshot's price files split by region and in the (group, region) order
//!   `catalog::snapshot` binary-searches;
//! - `CHECKSUMS_TEXT` (`checksums.toml`) and `DIGESTS` (snapshot name, SHA-256 over the TOML).
//!
//! The TOML sources themselves are not embedded: tests and fuzz targets read `pricing/` with
//! [`super::files_in`].
//!
//! The JSON texts are one blob (`BLOB`) and the names another (`NAMES`), addressed by numeric
//! spans: the loader relocates every string pointer of a static array at start-up, and a name
//! literal lands next to the text it is paired with, so an index of strings cost a page fault per
//! file in every run. Spans cost nothing until read.

/// A byte range of [`BLOB`] or [`NAMES`].
pub type Span = (u32, u32);

/// A service definition: its type and its JSON.
#[derive(Debug)]
pub struct Named {
    pub name: Span,
    pub text: Span,
}

/// A snapshot: its name, its `snapshot.toml` as JSON, and its range of [`PRICE_FILES`].
#[derive(Debug)]
pub struct SnapshotEntry {
    pub name: Span,
    pub meta: Span,
    pub files: Span,
}

/// A price file: its group (service type or `documented`), its region (empty for a whole file)
/// and its JSON.
#[derive(Debug)]
pub struct FileEntry {
    pub group: Span,
    pub region: Span,
    pub text: Span,
}

include!(concat!(env!("OUT_DIR"), "/embedded_pricing.rs"));

/// The text of `span` in [`BLOB`].
pub fn text(span: Span) -> &'static str {
    &BLOB[span.0 as usize..span.1 as usize]
}

/// The text of `span` in [`NAMES`].
pub fn name(span: Span) -> &'static str {
    &NAMES[span.0 as usize..span.1 as usize]
}
