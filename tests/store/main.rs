//! The store: tables, item writes, transactions, queries and scans, the
//! legacy (pre-expression) parameters and the API's input builders, against
//! the spec's vectors, a model and concurrent use. One test binary (one link)
//! for the whole area; each module was once a test file of its own.

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
#[path = "../store_ops/mod.rs"]
mod store_ops;

mod api_builders;
mod capacity;
mod collection_limit;
mod control_plane;
mod explain;
mod faults;
mod fixtures;
mod index_concurrency;
mod index_model;
mod legacy;
mod multi_attribute;
mod query_api;
mod query_properties;
mod query_vectors;
mod snapshot;
mod store_api;
mod store_concurrency;
mod store_model;
mod store_vectors;
mod stream_model;
mod tags;
mod ttl;
mod validation_order;
