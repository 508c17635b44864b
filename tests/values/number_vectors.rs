//! Data-driven tests from the spec vectors (the crate's copy in
//! `tests/data/spec/cases`).
//!
//! Runs every case of `numbers.json` whose outcome depends only on decoding
//! the `ExpressionAttributeValues` (`SET a = :v`) or on number arithmetic
//! (`SET b = :x + :y`, `SET b = :x - :y`, `ADD a :v` with numbers or number
//! sets), plus the arithmetic cases of `updates.json`. Cases that need the
//! store or the update engine are skipped and counted.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dynacond::{AttributeValue, Error, Item, Number, wire};
use indexmap::IndexMap;
use serde_json::Value;

/// The crate's copy of the spec vectors, the folder `tests/common`'s
/// `cases_dir` names too.
fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/spec/cases")
}

fn load(file: &str) -> Vec<Value> {
    let path = cases_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the spec test vectors at {}: {e}. They are the crate's copy \
             of the shared spec's cases (tests/data/spec/sync.sh refreshes it).",
            path.display()
        )
    });
    let parsed: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
    match parsed {
        Value::Array(cases) => cases,
        other => panic!(
            "{} should hold an array of cases, got {other}",
            path.display()
        ),
    }
}

/// Sorts the members of every set (`SS`/`NS`/`BS` arrays) so that sets compare
/// without order, as the vectors' README asks.
fn normalise(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("SS" | "NS" | "BS", Value::Array(members)) => {
                            let mut members = members.clone();
                            members.sort_by_key(Value::to_string);
                            Value::Array(members)
                        }
                        _ => normalise(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        other => other.clone(),
    }
}

/// What a case expects.
enum Expect {
    Error {
        kind: String,
        message: Option<String>,
        contains: Option<String>,
    },
    Item(Option<Value>),
}

fn expectation(case: &Value) -> Option<Expect> {
    let expect = case.get("expect")?;
    if let Some(kind) = expect.get("error").and_then(Value::as_str) {
        return Some(Expect::Error {
            kind: kind.to_owned(),
            message: expect
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned),
            contains: expect
                .get("message_contains")
                .and_then(Value::as_str)
                .map(str::to_owned),
        });
    }
    match expect.get("item")? {
        Value::Null => Some(Expect::Item(None)),
        item => Some(Expect::Item(Some(item.clone()))),
    }
}

/// The message DynamoDB sends for an invalid placeholder value (§3).
fn placeholder_message(error: &Error, key: &str) -> String {
    match error {
        Error::Validation(inner) => {
            format!("ExpressionAttributeValues contains invalid value: {inner} for key {key}")
        }
        other => other.message().to_owned(),
    }
}

fn check_error(got: &Error, message: &str, expect: &Expect) -> Result<(), String> {
    let Expect::Error {
        kind,
        message: exact,
        contains,
    } = expect
    else {
        return Err(format!("expected success, got {got:?}"));
    };
    if got.type_name() != kind {
        return Err(format!(
            "expected {kind}, got {} ({message:?})",
            got.type_name()
        ));
    }
    if let Some(exact) = exact {
        if message != exact && got.message() != exact {
            return Err(format!("expected message {exact:?}, got {message:?}"));
        }
    }
    if let Some(part) = contains {
        if !message.contains(part.as_str()) {
            return Err(format!(
                "expected a message containing {part:?}, got {message:?}"
            ));
        }
    }
    Ok(())
}

fn check_item(got: &Item, expect: &Expect) -> Result<(), String> {
    match expect {
        Expect::Item(Some(expected)) => {
            let got_json = normalise(&serde_json::to_value(got).map_err(|e| e.to_string())?);
            let expected = normalise(expected);
            if got_json == expected {
                Ok(())
            } else {
                Err(format!("expected item {expected}, got {got_json}"))
            }
        }
        Expect::Item(None) => Err(format!("expected no item, got {got:?}")),
        Expect::Error { kind, .. } => Err(format!("expected {kind}, got item {got:?}")),
    }
}

/// The item before the update: `Item`, else the key alone (UpdateItem
/// creates the item).
fn starting_item(case: &Value) -> Result<Item, String> {
    let source = case
        .get("Item")
        .or_else(|| case.get("Key"))
        .cloned()
        .unwrap_or_else(|| serde_json::json!({"p": {"S": "k1"}}));
    wire::from_value::<Item>(source).map_err(|e| format!("bad Item/Key in the case: {e:?}"))
}

/// Placeholder values, decoded exactly as a request's would be.
fn decode_values(case: &Value) -> Result<IndexMap<String, AttributeValue>, Error> {
    let values = case
        .get("ExpressionAttributeValues")
        .cloned()
        .unwrap_or_else(|| Value::Object(serde_json::Map::new()));
    wire::from_value::<IndexMap<String, AttributeValue>>(values)
}

/// The update a case asks for, when it is one this test can compute.
enum Update {
    /// `SET <target> = :v`
    Assign { target: String, value: String },
    /// `SET <target> = :x + :y` / `:x - :y`
    Arith {
        target: String,
        x: String,
        minus: bool,
        y: String,
    },
    /// `ADD <target> :v`
    Add { target: String, value: String },
}

fn is_name(token: &str) -> bool {
    !token.is_empty()
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && token
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
}

fn is_placeholder(token: &str) -> bool {
    token.strip_prefix(':').is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn parse_update(expression: &str) -> Option<Update> {
    let tokens: Vec<&str> = expression.split_whitespace().collect();
    match tokens.as_slice() {
        ["SET", target, "=", value] if is_name(target) && is_placeholder(value) => {
            Some(Update::Assign {
                target: (*target).to_owned(),
                value: (*value).to_owned(),
            })
        }
        ["SET", target, "=", x, op @ ("+" | "-"), y]
            if is_name(target) && is_placeholder(x) && is_placeholder(y) =>
        {
            Some(Update::Arith {
                target: (*target).to_owned(),
                x: (*x).to_owned(),
                minus: *op == "-",
                y: (*y).to_owned(),
            })
        }
        ["ADD", target, value] if is_name(target) && is_placeholder(value) => Some(Update::Add {
            target: (*target).to_owned(),
            value: (*value).to_owned(),
        }),
        _ => None,
    }
}

enum Outcome {
    Ran(Result<(), String>),
    Skipped(&'static str),
}

fn run_case(case: &Value, numeric_only: bool) -> Outcome {
    if case.get("steps").is_some() {
        return Outcome::Skipped("multi-step case needs the store");
    }
    for needs_engine in [
        "KeySchema",
        "ConditionExpression",
        "ExpressionAttributeNames",
        "ReturnValues",
    ] {
        if case.get(needs_engine).is_some() {
            return Outcome::Skipped("needs the update engine");
        }
    }
    let Some(expect) = expectation(case) else {
        return Outcome::Skipped("no expectation this test understands");
    };
    let Some(expression) = case.get("UpdateExpression").and_then(Value::as_str) else {
        return Outcome::Skipped("not an update");
    };
    let Some(update) = parse_update(expression) else {
        return Outcome::Skipped("update expression needs the engine");
    };
    let values = decode_values(case);
    let placeholder_count = case
        .get("ExpressionAttributeValues")
        .and_then(Value::as_object)
        .map_or(0, serde_json::Map::len);

    match update {
        Update::Assign { target, value } => {
            if numeric_only || placeholder_count != 1 {
                return Outcome::Skipped("assignment outside numbers.json");
            }
            let values = match values {
                Ok(values) => values,
                Err(e) => {
                    let message = placeholder_message(&e, &value);
                    return Outcome::Ran(check_error(&e, &message, &expect));
                }
            };
            let Some(v) = values.get(&value) else {
                return Outcome::Skipped("placeholder not defined (engine error)");
            };
            if let Err(e) = v.validate() {
                let e = Error::from(e);
                let message = placeholder_message(&e, &value);
                return Outcome::Ran(check_error(&e, &message, &expect));
            }
            Outcome::Ran((|| {
                // The value's canonical DynamoDB JSON is the expected item's attribute...
                if let Expect::Item(Some(expected)) = &expect {
                    let want = expected.get(&target).map(normalise);
                    let got = normalise(&serde_json::to_value(v).map_err(|e| e.to_string())?);
                    if want.as_ref() != Some(&got) {
                        return Err(format!(
                            "{target}: expected {}, got {got}",
                            want.map_or("nothing".to_owned(), |w| w.to_string())
                        ));
                    }
                }
                // ...and the whole item after the update matches.
                let mut item = starting_item(case)?;
                item.insert(target.clone(), v.clone());
                check_item(&item, &expect)
            })())
        }
        Update::Arith {
            target,
            x,
            minus,
            y,
        } => {
            let values = match values {
                Ok(values) => values,
                Err(e) => {
                    let message = e.message().to_owned();
                    return Outcome::Ran(check_error(&e, &message, &expect));
                }
            };
            let (Some(AttributeValue::N(a)), Some(AttributeValue::N(b))) =
                (values.get(&x), values.get(&y))
            else {
                return Outcome::Skipped("non-numeric operands need the engine");
            };
            let result = if minus {
                a.checked_sub(b)
            } else {
                a.checked_add(b)
            };
            Outcome::Ran(match result {
                Err(e) => {
                    let e = Error::from(e);
                    let message = e.message().to_owned();
                    check_error(&e, &message, &expect)
                }
                Ok(sum) => starting_item(case).and_then(|mut item| {
                    item.insert(target, AttributeValue::N(sum));
                    check_item(&item, &expect)
                }),
            })
        }
        Update::Add { target, value } => {
            let values = match values {
                Ok(values) => values,
                Err(e) => {
                    let message = placeholder_message(&e, &value);
                    return Outcome::Ran(check_error(&e, &message, &expect));
                }
            };
            let item = match starting_item(case) {
                Ok(item) => item,
                Err(e) => return Outcome::Ran(Err(e)),
            };
            let operand = values.get(&value);
            let existing = item.get(&target);
            let result = match (existing, operand) {
                // A missing attribute counts as zero / the empty set.
                (None, Some(AttributeValue::N(n))) => Ok(AttributeValue::N(*n)),
                (Some(AttributeValue::N(old)), Some(AttributeValue::N(n))) => {
                    old.checked_add(n).map(AttributeValue::N)
                }
                (None, Some(AttributeValue::Ns(set))) => Ok(AttributeValue::Ns(set.clone())),
                (Some(AttributeValue::Ns(old)), Some(AttributeValue::Ns(set))) => {
                    let union: BTreeSet<Number> = old.union(set).copied().collect();
                    Ok(AttributeValue::Ns(union))
                }
                _ => return Outcome::Skipped("non-numeric ADD needs the engine"),
            };
            Outcome::Ran(match result {
                Err(e) => {
                    let e = Error::from(e);
                    let message = e.message().to_owned();
                    check_error(&e, &message, &expect)
                }
                Ok(v) => {
                    let mut item = item;
                    item.insert(target, v);
                    check_item(&item, &expect)
                }
            })
        }
    }
}

#[test]
fn spec_number_vectors() {
    let mut ran = 0usize;
    let mut ran_per_file: Vec<(&str, usize)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    // numbers.json: everything computable; updates.json: number arithmetic only.
    for (file, numeric_only) in [("numbers.json", false), ("updates.json", true)] {
        let before = ran;
        for case in load(file) {
            let name = case
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("<unnamed>")
                .to_owned();
            match run_case(&case, numeric_only) {
                Outcome::Ran(result) => {
                    ran += 1;
                    if let Err(why) = result {
                        failures.push(format!("{file}: {name}: {why}"));
                    }
                }
                Outcome::Skipped(why) => {
                    if file == "numbers.json" {
                        skipped.push(format!("{name} ({why})"));
                    }
                }
            }
        }
        ran_per_file.push((file, ran - before));
    }
    let per_file: Vec<String> = ran_per_file
        .iter()
        .map(|(file, count)| format!("{count} from {file}"))
        .collect();
    println!(
        "spec number vectors: {ran} ran ({}); {} skipped in numbers.json: {}",
        per_file.join(", "),
        skipped.len(),
        skipped.join(", ")
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        ran >= 20,
        "only {ran} vector cases ran; expected at least 20"
    );
}

#[test]
fn vector_parser_recognises_only_simple_updates() {
    assert!(matches!(
        parse_update("SET a = :v"),
        Some(Update::Assign { .. })
    ));
    assert!(matches!(
        parse_update("SET b = :x - :y"),
        Some(Update::Arith { minus: true, .. })
    ));
    assert!(matches!(
        parse_update("ADD ns :v"),
        Some(Update::Add { .. })
    ));
    for other in [
        "SET b = :v1 + :v2 + :v3",
        "SET a = if_not_exists(a, :z) + :s",
        "SET b = b + :v",
        "SET #n = :v",
        "REMOVE a",
        "DELETE a :v",
        "SET a = :v, b = :w",
    ] {
        assert!(parse_update(other).is_none(), "{other}");
    }
}

#[test]
fn runner_detects_wrong_expectations() {
    use serde_json::json;
    let wrong = [
        // Not canonical: DynamoDB returns 1000.
        json!({"name": "w1", "Item": {"p": {"S": "k1"}}, "UpdateExpression": "SET a = :v",
               "ExpressionAttributeValues": {":v": {"N": "1e3"}},
               "expect": {"item": {"p": {"S": "k1"}, "a": {"N": "1e3"}}}}),
        json!({"name": "w2", "UpdateExpression": "SET a = :v",
               "ExpressionAttributeValues": {":v": {"N": "dog"}},
               "expect": {"item": {"p": {"S": "k1"}, "a": {"N": "0"}}}}),
        json!({"name": "w3", "UpdateExpression": "SET a = :v",
               "ExpressionAttributeValues": {":v": {"N": "dog"}},
               "expect": {"error": "SerializationException"}}),
        json!({"name": "w4", "UpdateExpression": "SET a = :v",
               "ExpressionAttributeValues": {":v": {"N": "dog"}},
               "expect": {"error": "ValidationException", "message_contains": "overflow"}}),
        json!({"name": "w5", "Item": {"p": {"S": "k1"}}, "UpdateExpression": "SET b = :x + :y",
               "ExpressionAttributeValues": {":x": {"N": "1"}, ":y": {"N": "1"}},
               "expect": {"item": {"p": {"S": "k1"}, "b": {"N": "3"}}}}),
        json!({"name": "w6", "Item": {"p": {"S": "k1"}, "n": {"N": "1"}}, "UpdateExpression": "ADD n :v",
               "ExpressionAttributeValues": {":v": {"N": "1"}},
               "expect": {"error": "ValidationException"}}),
        json!({"name": "w7", "Item": {"p": {"S": "k1"}}, "UpdateExpression": "SET b = :x + :y",
               "ExpressionAttributeValues": {":x": {"N": "1e50"}, ":y": {"N": "1"}},
               "expect": {"error": "ValidationException", "message": "Number underflow"}}),
    ];
    for case in &wrong {
        match run_case(case, false) {
            Outcome::Ran(Err(_)) => {}
            Outcome::Ran(Ok(())) => panic!("{}: a wrong expectation passed", case["name"]),
            Outcome::Skipped(why) => panic!("{}: skipped ({why})", case["name"]),
        }
    }
    // And the right expectations pass, including the wrapped placeholder message.
    let right = [
        json!({"name": "r1", "UpdateExpression": "SET a = :v",
               "ExpressionAttributeValues": {":v": {"SS": []}},
               "expect": {"error": "ValidationException", "message": "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v"}}),
        json!({"name": "r2", "Item": {"p": {"S": "k1"}, "n": {"N": "1"}}, "UpdateExpression": "ADD n :v",
               "ExpressionAttributeValues": {":v": {"N": "-1"}},
               "expect": {"item": {"p": {"S": "k1"}, "n": {"N": "0"}}}}),
    ];
    for case in &right {
        match run_case(case, false) {
            Outcome::Ran(Ok(())) => {}
            Outcome::Ran(Err(why)) => panic!("{}: {why}", case["name"]),
            Outcome::Skipped(why) => panic!("{}: skipped ({why})", case["name"]),
        }
    }
}
