//! Shared helpers for the data-driven tests over the spec's vectors
//! (`tests/data/spec/cases/*.json`, the crate's copy of the shared spec's
//! `spec/cases`; see its README for the format).
#![allow(
    dead_code,
    reason = "a helper module shared by test modules; not every binary or module uses all of it"
)]

pub mod cli;

use std::path::PathBuf;

use dynacond::Error;
use serde_json::Value;

/// The crate's copy of the spec's cases folder (`tests/data/spec/cases`), so
/// the tests need nothing outside the crate. `tests/data/spec/sync.sh`
/// refreshes it from `../shared/spec/cases`; `tests/corpus/spec_copy.rs` checks the
/// two agree whenever the shared folder is present.
pub fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/spec/cases")
}

/// The shared spec's cases folder beside the crate, when it is checked out
/// there (the source of `cases_dir`'s copy).
pub fn shared_cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/cases")
}

/// Loads one vector file as a list of JSON cases.
pub fn load_cases(file: &str) -> Vec<Value> {
    load_case_file(&cases_dir().join(file))
}

/// Loads a vector file in the spec's format from any path.
pub fn load_case_file(path: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the vectors at {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Our own vectors in the spec's format: `tests/data/<folder>/*.json`.
pub fn data_dir(folder: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(folder)
}

/// Every `*.json` file of one of our vector folders, in name order, with its
/// cases.
pub fn load_data_folder(folder: &str) -> Vec<(String, Vec<Value>)> {
    let dir = data_dir(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let cases = load_case_file(&p);
            (name, cases)
        })
        .collect()
}

/// Strips the optional prefix write operations put in front of messages.
pub fn strip_prefix(message: &str) -> &str {
    message
        .strip_prefix("1 validation error detected: ")
        .unwrap_or(message)
}

/// Checks an error against a case's `expect` (`error`, `message`,
/// `message_contains`); returns a description of the mismatch, if any.
pub fn error_mismatch(expect: &Value, error: &Error) -> Option<String> {
    let want_type = expect["error"].as_str().unwrap_or_default();
    if error.type_name() != want_type {
        return Some(format!(
            "expected {want_type}, got {}: {}",
            error.type_name(),
            error.message()
        ));
    }
    let got = strip_prefix(error.message());
    if let Some(exact) = expect.get("message").and_then(Value::as_str) {
        // The prefix is optional unless the expected text carries it (README).
        if got != exact && error.message() != exact {
            return Some(format!("message\n   got: {got}\n  want: {exact}"));
        }
    }
    if let Some(part) = expect.get("message_contains").and_then(Value::as_str) {
        if !got.contains(part) {
            return Some(format!(
                "message\n   got: {got}\n  want something containing: {part}"
            ));
        }
    }
    None
}

/// Collects failures by case name and reports all of them at the end.
#[derive(Default)]
pub struct Report {
    pub ran: usize,
    pub skipped: Vec<String>,
    pub failures: Vec<String>,
}

impl Report {
    pub fn fail(&mut self, name: &str, why: impl std::fmt::Display) {
        self.failures.push(format!("{name}: {why}"));
    }

    pub fn finish(self, what: &str, minimum: usize) {
        eprintln!(
            "{what}: {} cases ran, {} skipped{}",
            self.ran,
            self.skipped.len(),
            if self.skipped.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.skipped.join(", "))
            }
        );
        assert!(
            self.failures.is_empty(),
            "{} of {} {what} cases failed:\n{}",
            self.failures.len(),
            self.ran,
            self.failures.join("\n")
        );
        assert!(self.ran >= minimum, "only {} {what} cases ran", self.ran);
    }
}
