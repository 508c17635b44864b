//! The properties the fuzz targets check, shared by `fuzz/fuzz_targets/*` and
//! by the corpus replay test (`tests/fuzz_corpus.rs`), which runs them on the
//! saved corpus under `tests/data/fuzz/<target>/` without a nightly toolchain.
#![allow(dead_code)]

use dynacond::{Item, wire};

/// Decoding never panics; an accepted item survives encode + decode unchanged,
/// and its canonical encoding is a fixed point.
pub fn wire_item(data: &[u8]) {
    let Ok(item) = wire::item_from_json(data) else {
        return;
    };
    let encoded = wire::item_to_json(&item);
    let again: Item = match wire::item_from_json(encoded.as_bytes()) {
        Ok(again) => again,
        Err(e) => panic!("re-decoding {encoded} failed: {e}"),
    };
    assert_eq!(item, again, "round trip changed the item: {encoded}");
    assert_eq!(
        encoded,
        wire::item_to_json(&again),
        "encoding is not canonical"
    );
    // Size and validation must not panic either.
    let _ = dynacond::item_size(&item);
    let _ = dynacond::validate_item(&item);
}
