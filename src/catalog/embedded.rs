//! The `pricing/` directory, compiled in by `build.rs`:
//!
//! - `SERVICES`, `SNAPSHOTS` and `PRICE_FILES`: the same content in the compact form of
//!   [`super::compact`], each snapshot's price files and documented figures split by region and in
//!   the (group, region) order `catalog::snapshot` binary-searches;
//! - `CHECKSUMS_TEXT` (`checksums.toml`) and `DIGESTS` (snapshot name, SHA-256 over the TOML).
//!
//! The TOML sources themselves are not embedded: tests and fuzz targets read `pricing/` with
//! [`super::files_in`], and a test checks that both hold the same catalog.
//!
//! The values are one blob (`BLOB`), their strings one pool (`POOL`, table keys listed in `KEYS`)
//! and the index's names another
//! (`NAMES`), addressed by numeric spans: the loader relocates every string pointer of a static
//! array at start-up, and a name literal lands next to the text it is paired with, so an index of
//! strings cost a page fault per file in every run. Spans cost nothing until read.

/// A byte range of [`BLOB`] or [`NAMES`].
pub type Span = (u32, u32);

/// A service definition: its type and its value.
#[derive(Debug)]
pub struct Named {
    pub name: Span,
    pub value: Span,
}

/// A snapshot: its name, its `snapshot.toml`, and its range of [`PRICE_FILES`].
#[derive(Debug)]
pub struct SnapshotEntry {
    pub name: Span,
    pub meta: Span,
    pub files: Span,
}

/// The prices of one region of a price file: its group (service type or `documented`), its region
/// and its value.
#[derive(Debug)]
pub struct FileEntry {
    pub group: Span,
    pub region: Span,
    pub value: Span,
}

include!(concat!(env!("OUT_DIR"), "/embedded_pricing.rs"));

/// The value at `span` of [`BLOB`], deserialized.
pub fn read<T: serde::de::DeserializeOwned>(span: Span) -> Result<T, super::compact::Error> {
    super::compact::from_parts(parts(), span.0 as usize)
}

/// The blob, the pool and the keys, for [`super::compact`].
pub fn parts() -> super::compact::Parts<'static> {
    static KEY_TEXTS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    // A hundred keys, resolved once instead of at each of the thousands of fields read.
    let keys =
        KEY_TEXTS.get_or_init(|| KEYS.iter().map(|&(a, b)| POOL.get(a as usize..b as usize).unwrap_or("")).collect());
    super::compact::Parts { blob: BLOB, pool: POOL, keys }
}

/// The bytes of `span` in [`NAMES`] (empty if it is not there, which build.rs rules out).
pub fn name_bytes(span: Span) -> &'static [u8] {
    NAMES.as_bytes().get(span.0 as usize..span.1 as usize).unwrap_or_default()
}

/// The text of `span` in [`NAMES`].
pub fn name(span: Span) -> &'static str {
    &NAMES[span.0 as usize..span.1 as usize]
}
