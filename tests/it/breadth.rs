//! Breadth that real closed designs need (issue 20, item 6): one test per type or tier family,
//! figures worked out by hand from pricing/2026-08/prices/*.toml.
