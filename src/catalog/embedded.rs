//! The `pricing/` directory, compiled in by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/embedded_pricing.rs"));
