//! The `dynacond` command line: `eval`, `item` and `update`, each run as a
//! child process. One test binary (one link) for the whole area.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod cli_update;
