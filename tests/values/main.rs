//! Values: numbers, items, the DynamoDB JSON wire format and the protocol's
//! decoding errors. One test binary (one link) for the whole area; each
//! module was once a test file of its own.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests and their helpers may unwrap, index and panic: a panic is a failed test \
              (clippy.toml's allow-*-in-tests covers #[test] functions only, not helpers)"
)]

mod decode_errors;
mod number_vectors;
mod numbers;
mod properties;
mod wire;
