//! Decode arbitrary bytes as a DynamoDB JSON item: never panics, and anything
//! accepted re-encodes and decodes to an equal item.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

fuzz_target!(|data: &[u8]| fuzz_checks::wire_item(data));
