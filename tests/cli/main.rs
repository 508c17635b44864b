//! The `dynacond` command line: `eval`, `item` and `update`, each run as a
//! child process. One test binary (one link) for the whole area.

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

mod cli;
mod cli_explain;
mod cli_partiql;
mod cli_update;
