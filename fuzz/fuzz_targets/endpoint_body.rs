//! See `tests/fuzz_checks/mod.rs` (`endpoint_body`) for the property checked:
//! the first byte picks a `Content-Encoding`, the rest is a request body as
//! sent, decoded with the endpoint's `dynacond::server::decode_body`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

fuzz_target!(|data: &[u8]| fuzz_checks::endpoint_body(data));
