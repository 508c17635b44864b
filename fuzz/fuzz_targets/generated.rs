//! See `tests/fuzz_checks/generated.rs` for the property checked: a valid
//! item, condition and update built by dynacond's `Arbitrary` impls.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

fuzz_target!(|data: &[u8]| fuzz_checks::generated(data));
