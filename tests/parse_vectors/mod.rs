//! Checks every expression of one kind found in the spec's vectors against
//! the parser alone: an expression the parser rejects must be one whose case
//! expects that exact error, and a case that expects a parse-time error must
//! not parse.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

#[path = "../common/mod.rs"]
mod common;

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
