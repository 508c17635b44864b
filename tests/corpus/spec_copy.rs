//! The crate's copy of the spec vectors (`tests/data/spec/cases`) matches the
//! shared spec (`../shared/spec/cases`) byte for byte, whenever the shared
//! folder is checked out beside the crate. Without it (a clone on its own)
//! there is nothing to compare and the test passes with a note.
//! `tests/data/spec/sync.sh` refreshes the copy.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

/// Every regular file of a folder (not recursive), by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let bytes =
                std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (name, bytes)
        })
        .collect()
}

#[test]
fn the_copy_matches_the_shared_spec() {
    let shared_dir = common::shared_cases_dir();
    let copy_dir = common::cases_dir();
    if !shared_dir.is_dir() {
        println!(
            "note: {} is absent; the crate's copy in {} is not compared",
            shared_dir.display(),
            copy_dir.display()
        );
        return;
    }
    let shared = files(&shared_dir);
    let copy = files(&copy_dir);
    let mut problems = Vec::new();
    for (name, bytes) in &shared {
        match copy.get(name) {
            None => problems.push(format!("{name}: missing from the crate's copy")),
            Some(ours) if ours != bytes => problems.push(format!("{name}: differs")),
            Some(_) => {}
        }
    }
    for name in copy.keys().filter(|name| !shared.contains_key(*name)) {
        problems.push(format!("{name}: only in the crate's copy"));
    }
    assert!(
        problems.is_empty(),
        "{} and {} disagree (run tests/data/spec/sync.sh):\n  {}",
        copy_dir.display(),
        shared_dir.display(),
        problems.join("\n  ")
    );
}
