//! See `tests/fuzz_checks/mod.rs` (`partiql`) for the property checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_checks/mod.rs"]
mod fuzz_checks;

fuzz_target!(|data: &[u8]| fuzz_checks::partiql(data));
