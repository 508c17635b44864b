//! The HTTP endpoint (`dynacond serve`, the `server` feature) and the
//! protocol layer under it (the spec's validation vectors through
//! `protocol::dispatch`). Built only with that feature (`required-features`
//! in Cargo.toml).

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

mod client;
mod compressed;
mod console;
mod control;
mod control_plane;
mod explain;
mod faults;
mod http_vectors;
mod partiql_vectors;
mod server;
mod snapshot;
mod streams;
mod stt_vectors;
mod surface;
mod ttl;
mod validation_vectors;
