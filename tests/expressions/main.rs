//! The expression languages: parsing, printing and evaluating condition,
//! update and projection expressions, against the spec's vectors and
//! property tests. One test binary (one link) for the whole area; each
//! module was once a test file of its own.

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
#[path = "../parse_vectors/mod.rs"]
mod parse_vectors;
#[path = "../strategies/mod.rs"]
mod strategies;
#[path = "../update_strategies/mod.rs"]
mod update_strategies;

mod condition_parse;
mod condition_properties;
mod condition_roundtrip;
mod condition_vectors;
mod eval_api;
mod explain;
mod expression_cache;
mod expression_vectors;
mod projection_parse;
mod update_check_order;
mod update_parse;
mod update_properties;
mod update_returns;
mod update_roundtrip;
