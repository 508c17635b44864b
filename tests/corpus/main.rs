//! Saved data: the fuzz corpora replayed through the fuzz targets' checks,
//! and the crate's copy of the shared spec's cases. One test binary (one
//! link) for both.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests and their helpers may unwrap, index and panic: a panic is a failed test \
              (clippy.toml's allow-*-in-tests covers #[test] functions only, not helpers)"
)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../fuzz_checks/mod.rs"]
mod fuzz_checks;

mod fuzz_corpus;
mod spec_copy;
