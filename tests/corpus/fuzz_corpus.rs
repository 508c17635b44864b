//! Replays the saved fuzz corpora (`tests/data/fuzz/<target>/`) through the same
//! checks the cargo-fuzz targets run, so CI covers them on a stable toolchain.
//! Minimised crash inputs are added to these folders as regression tests.

use crate::fuzz_checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails its fuzz check", path.display());
        count += 1;
    }
    assert!(count > 0, "the corpus {} is empty", dir.display());
}

#[test]
fn wire_item_corpus() {
    replay("wire_item", fuzz_checks::wire_item);
}

#[test]
fn condition_parse_corpus() {
    replay("condition_parse", fuzz_checks::condition_parse);
}

#[test]
fn condition_eval_corpus() {
    replay("condition_eval", fuzz_checks::condition_eval);
}

#[test]
fn update_apply_corpus() {
    replay("update_apply", fuzz_checks::update_apply);
}

#[test]
fn store_ops_corpus() {
    replay("store_ops", fuzz_checks::store_ops);
}

#[test]
fn partiql_corpus() {
    replay("partiql", fuzz_checks::partiql);
}

#[test]
fn endpoint_dispatch_corpus() {
    replay("endpoint_dispatch", fuzz_checks::endpoint_dispatch);
}

#[cfg(feature = "server")]
#[test]
fn endpoint_body_corpus() {
    replay("endpoint_body", fuzz_checks::endpoint_body);
}

#[cfg(feature = "arbitrary")]
#[test]
fn generated_corpus() {
    replay("generated", fuzz_checks::generated);
}
