//! Parser checks shared by the parse tests of every expression kind:
//! prefix forms, canonical printing as a fixed point, exact error details,
//! and every expression of one kind found in the spec's vectors against the
//! parser alone (an expression the parser rejects must be one whose case
//! expects that exact error, and a case that expects a parse-time error must
//! not parse).

use std::fmt::Display;

use serde_json::Value;

use crate::common;

/// Details that only the parser reports (spec §15.1).
const PARSE_TIME: &[&str] = &[
    "Syntax error",
    "section can only be used once",
    "Invalid function name",
    "The function is not allowed",
    "Incorrect number of operands",
    "requires a document path",
    "can not be empty",
    "reserved keyword",
    "nesting levels",
    "allowable range",
    "redundant parentheses",
    "too many operators",
    "Expression size",
];

const EXPRESSION_KEYS: &[&str] = &[
    "ConditionExpression",
    "FilterExpression",
    "KeyConditionExpression",
    "UpdateExpression",
    "ProjectionExpression",
];

fn collect<'v>(v: &'v Value, key: &str, out: &mut Vec<&'v str>, others: &mut bool) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if k == "steps" || k == "expect" {
                    continue;
                }
                match x.as_str() {
                    Some(s) if k == key => out.push(s),
                    Some(_) if EXPRESSION_KEYS.contains(&k.as_str()) => *others = true,
                    _ => collect(x, key, out, others),
                }
            }
        }
        Value::Array(items) => {
            for x in items {
                collect(x, key, out, others);
            }
        }
        _ => {}
    }
}

/// Runs `parse` (giving `Invalid <Param>: <detail>` on error) over every
/// `key` expression in the vector `files`; returns how many were checked.
pub fn check(files: &[&str], key: &str, parse: impl Fn(&str) -> Result<(), String>) -> usize {
    let head = format!("Invalid {key}: ");
    let mut report = common::Report::default();
    let mut checked = 0;
    for file in files {
        for case in common::load_cases(file) {
            let name = case["name"].as_str().unwrap_or("?").to_owned();
            let units: Vec<(&Value, &Value)> = match case.get("steps").and_then(Value::as_array) {
                Some(steps) => steps
                    .iter()
                    .map(|s| (&s["request"], &s["expect"]))
                    .collect(),
                None => vec![(&case, &case["expect"])],
            };
            for (holder, expect) in units {
                let mut texts = Vec::new();
                let mut others = false;
                collect(holder, key, &mut texts, &mut others);
                let wanted = expect
                    .get("message")
                    .or_else(|| expect.get("message_contains"))
                    .and_then(Value::as_str)
                    .map(common::strip_prefix);
                for text in texts {
                    checked += 1;
                    report.ran += 1;
                    match (parse(text), wanted) {
                        (Ok(()), Some(w)) => {
                            let foreign = !w.starts_with(&head)
                                && w.starts_with("Invalid ")
                                && w.contains("Expression: ");
                            let ours = w.starts_with(&head) || (!others && !foreign);
                            if ours && PARSE_TIME.iter().any(|m| w.contains(m)) {
                                report.fail(&name, format!("{text:?} parsed; want {w}"));
                            }
                        }
                        (Ok(()), None) => {}
                        (Err(e), _) if expect.get("error").is_none() => {
                            report.fail(&name, format!("{text:?}: {e}; want success"));
                        }
                        (Err(e), Some(w)) => {
                            let exact = expect.get("message").is_some();
                            if (exact && e != w) || (!exact && !e.contains(w)) {
                                report.fail(&name, format!("{text:?}: got {e}; want {w}"));
                            }
                        }
                        (Err(_), None) => {}
                    }
                }
            }
        }
    }
    report.finish(key, 1);
    checked
}

/// Each text parses to its expected prefix form; every mismatch is listed.
pub fn check_prefix_forms<T>(
    cases: &[(&str, &str)],
    parse: impl Fn(&str) -> Result<T, String>,
    prefix: impl Fn(&T) -> String,
) {
    let mut failures = Vec::new();
    for &(text, expected) in cases {
        match parse(text) {
            Ok(t) if prefix(&t) == expected => {}
            Ok(t) => failures.push(format!("{text:?}: got {}", prefix(&t))),
            Err(e) => failures.push(format!("{text:?}: error {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each text parses; its canonical text parses to the same tree, prints
/// identically, and parses again to an equal value (spans included).
pub fn check_fixed_points<'t, T: Display + PartialEq>(
    texts: impl IntoIterator<Item = &'t str>,
    parse: impl Fn(&str) -> Result<T, String>,
    prefix: impl Fn(&T) -> String,
) {
    let mut failures = Vec::new();
    for text in texts {
        let first = match parse(text) {
            Ok(first) => first,
            Err(e) => {
                failures.push(format!("{text:?}: error {e}"));
                continue;
            }
        };
        let canonical = first.to_string();
        match parse(&canonical) {
            Ok(second) => {
                if prefix(&second) != prefix(&first) {
                    failures.push(format!("{text:?}: {canonical:?} changed the tree"));
                }
                if second.to_string() != canonical {
                    failures.push(format!("{text:?}: {canonical:?} is not a fixed point"));
                }
                if parse(&second.to_string()).as_ref() != Ok(&second) {
                    failures.push(format!("{text:?}: re-parse differs"));
                }
            }
            Err(e) => failures.push(format!("{text:?}: canonical {canonical:?} fails: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each text fails with exactly the expected detail; every mismatch is
/// listed, a text that parses is shown with `shown`.
pub fn check_errors<T>(
    cases: Vec<(String, String)>,
    parse: impl Fn(&str) -> Result<T, String>,
    shown: impl Fn(&T) -> String,
) {
    let mut failures = Vec::new();
    for (text, expected) in cases {
        let start: String = text.chars().take(60).collect();
        match parse(&text) {
            Err(e) if e == expected => {}
            Err(e) => failures.push(format!("{start:?}\n   got:  {e}\n   want: {expected}")),
            Ok(t) => failures.push(format!("{start:?} parsed as {}", shown(&t))),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
