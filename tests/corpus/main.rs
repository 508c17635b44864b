//! Saved data: the fuzz corpora replayed through the fuzz targets' checks,
//! and the crate's copy of the shared spec's cases. One test binary (one
//! link) for both.

// Was `tests/fuzz_corpus.rs`'s crate-level allow, which covered `fuzz_checks`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../fuzz_checks/mod.rs"]
mod fuzz_checks;

mod fuzz_corpus;
mod spec_copy;
