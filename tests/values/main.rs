//! Values: numbers, items, the DynamoDB JSON wire format and the protocol's
//! decoding errors. One test binary (one link) for the whole area; each
//! module was once a test file of its own.

mod decode_errors;
mod number_vectors;
mod numbers;
mod properties;
mod wire;
