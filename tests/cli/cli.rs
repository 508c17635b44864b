//! The `dynacond` binary: requests on standard input, one JSON answer per
//! line on standard output, exit codes (`eval`: 0 true, 1 false, 2 error).

use crate::common;

use common::cli::{Run, run};
use serde_json::{Value, json};

const VALIDATION: &str = "com.amazon.coral.validate#ValidationException";
const SERIALIZATION: &str = "com.amazon.coral.service#SerializationException";

fn eval(request: &Value) -> Run {
    run(&["eval"], &request.to_string())
}

// ---------------------------------------------------------------------------
// eval

#[test]
fn eval_true_prints_result_and_exits_0() {
    let r = eval(&json!({
        "ConditionExpression": "attribute_not_exists(pk) OR #v < :max",
        "ExpressionAttributeNames": {"#v": "version"},
        "ExpressionAttributeValues": {":max": {"N": "10"}},
        "Item": {"pk": {"S": "k1"}, "version": {"N": "3"}}
    }));
    assert_eq!(r.stdout, "{\"Result\":true}\n", "{r:?}");
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
}

#[test]
fn eval_false_prints_result_and_exits_1() {
    let r = eval(&json!({
        "ConditionExpression": "version = :v",
        "ExpressionAttributeValues": {":v": {"N": "4"}},
        "Item": {"pk": {"S": "k1"}, "version": {"N": "3"}}
    }));
    assert_eq!(r.stdout, "{\"Result\":false}\n", "{r:?}");
    assert_eq!(r.code, 1, "{r:?}");
}

#[test]
fn eval_error_prints_dynamodb_error_body_and_exits_2() {
    let r = eval(&json!({
        "ConditionExpression": "a < :v",
        "ExpressionAttributeValues": {":v": {"L": [{"N": "1"}]}},
        "Item": {"a": {"N": "1"}}
    }));
    assert_eq!(
        r.stdout,
        format!(
            "{{\"__type\":\"{VALIDATION}\",\"message\":\"Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: L\"}}\n"
        ),
        "{r:?}"
    );
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn eval_error_kinds() {
    let cases = [
        (
            json!({"ConditionExpression": "a = :v AND"}),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"",
        ),
        (
            json!({"ConditionExpression": ""}),
            "Invalid ConditionExpression: The expression can not be empty;",
        ),
        (
            json!({"ConditionExpression": "a = :v",
                   "ExpressionAttributeValues": {":v": {"N": "1"}, ":w": {"N": "2"}}}),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
        ),
        (
            json!({"ConditionExpression": "a = b", "ExpressionAttributeNames": {}}),
            "ExpressionAttributeNames must not be empty",
        ),
        (
            json!({"ConditionExpression": "a = :v",
                   "ExpressionAttributeValues": {":v": {"SS": []}}}),
            "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v",
        ),
        (
            json!({"ConditionExpression": "status = :v",
                   "ExpressionAttributeValues": {":v": {"N": "1"}}}),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status",
        ),
    ];
    for (request, message) in cases {
        let r = eval(&request);
        assert_eq!(r.code, 2, "{request}: {r:?}");
        assert_eq!(
            r.json(),
            json!({"__type": VALIDATION, "message": message}),
            "{request}"
        );
    }
}

#[test]
fn eval_bad_requests() {
    // Not JSON, not an object, a member of the wrong JSON type: SerializationException.
    for input in ["nope", "[]", r#"{"ConditionExpression": 5}"#] {
        let r = run(&["eval"], input);
        assert_eq!(r.code, 2, "{input}: {r:?}");
        assert_eq!(r.json()["__type"], SERIALIZATION, "{input}");
        assert!(r.json()["message"].is_string(), "{input}");
    }
    // No ConditionExpression, or an unknown member: ValidationException.
    for input in [
        r#"{"Item": {"a": {"N": "1"}}}"#,
        r#"{"ConditionExpression": "attribute_exists(a)", "Key": {}}"#,
    ] {
        let r = run(&["eval"], input);
        assert_eq!(r.code, 2, "{input}: {r:?}");
        assert_eq!(r.json()["__type"], VALIDATION, "{input}");
    }
    // The item is checked like a stored item.
    let r = run(
        &["eval"],
        r#"{"ConditionExpression": "attribute_exists(a)", "Item": {"a": {"SS": []}}}"#,
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.json(),
        json!({"__type": VALIDATION,
               "message": "One or more parameter values were invalid: An string set  may not be empty"})
    );
    let r = run(
        &["eval"],
        r#"{"ConditionExpression": "attribute_exists(a)", "Key": {}}"#,
    );
    assert!(
        r.json()["message"].as_str().unwrap().contains("Key"),
        "{r:?}"
    );
}

#[test]
fn missing_item_means_no_item() {
    let exists = json!({"ConditionExpression": "attribute_exists(pk)"});
    let r = eval(&exists);
    assert_eq!((r.code, r.json()), (1, json!({"Result": false})), "{r:?}");
    let not_exists = json!({"ConditionExpression": "attribute_not_exists(pk)"});
    let r = eval(&not_exists);
    assert_eq!((r.code, r.json()), (0, json!({"Result": true})), "{r:?}");
    // `null` is the same as no member; `{}` is an item without attributes.
    for item in [Value::Null, json!({})] {
        let r = eval(&json!({"ConditionExpression": "a <> :v",
                             "ExpressionAttributeValues": {":v": {"S": "x"}},
                             "Item": item}));
        assert_eq!((r.code, r.json()), (0, json!({"Result": true})), "{r:?}");
    }
    // Static errors are reported without any item.
    let r = eval(&json!({"ConditionExpression": "begins_with(c, :p)",
                         "ExpressionAttributeValues": {":p": {"N": "2"}}}));
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.json()["message"],
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"
    );
}

#[test]
fn eval_lines_answers_each_line_and_goes_on() {
    let requests = [
        json!({"ConditionExpression": "a = :v", "ExpressionAttributeValues": {":v": {"N": "1.0"}},
               "Item": {"a": {"N": "1"}}})
        .to_string(),
        "{this is not json".to_owned(),
        json!({"ConditionExpression": "a = :v", "ExpressionAttributeValues": {":v": {"S": "1"}},
               "Item": {"a": {"N": "1"}}})
        .to_string(),
        // Blank lines are skipped.
        String::new(),
        "   ".to_owned(),
        json!({"ConditionExpression": "((a = b))"}).to_string(),
        json!({"ConditionExpression": "attribute_not_exists(a)"}).to_string(),
    ];
    let r = run(&["eval", "--lines"], &(requests.join("\n") + "\n"));
    assert_eq!(r.code, 0, "{r:?}");
    let lines = r.lines();
    assert_eq!(lines.len(), 5, "{r:?}");
    assert_eq!(lines[0], "{\"Result\":true}");
    let bad: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(bad["__type"], SERIALIZATION);
    assert_eq!(lines[2], "{\"Result\":false}");
    assert_eq!(
        lines[3],
        format!(
            "{{\"__type\":\"{VALIDATION}\",\"message\":\"Invalid ConditionExpression: The expression has redundant parentheses;\"}}"
        )
    );
    assert_eq!(lines[4], "{\"Result\":true}");
}

#[test]
fn eval_lines_without_final_newline_and_empty_input() {
    let r = run(
        &["eval", "--lines"],
        r#"{"ConditionExpression": "attribute_exists(a)", "Item": {"a": {"NULL": true}}}"#,
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, "{\"Result\":true}\n"));
    let r = run(&["eval", "--lines"], "");
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn eval_help() {
    for args in [&["eval", "--help"][..], &["eval", "-h"], &["help", "eval"]] {
        let r = run(args, "");
        assert_eq!(r.code, 0, "{args:?}: {r:?}");
        assert!(r.stdout.contains("Usage: dynacond eval"), "{r:?}");
        assert!(r.stdout.contains("Example"), "{r:?}");
        assert!(r.stdout.contains("--lines"), "{r:?}");
    }
}

#[test]
fn eval_help_example_works() {
    // The example of the help text, run as it is shown.
    let help = run(&["eval", "--help"], "").stdout;
    let (_, example) = help.split_once("echo '").expect("an echo example");
    let (request, after) = example.split_once("' | dynacond eval").expect("a pipe");
    let expected = after.lines().nth(1).unwrap().trim();
    let r = run(&["eval"], request);
    assert_eq!(r.stdout.trim_end(), expected, "{request}");
    assert_eq!(r.code, 0);
}

#[test]
fn eval_unknown_argument_exits_2() {
    let r = run(&["eval", "--bogus"], "{}");
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(r.stderr.contains("--bogus"), "{r:?}");
}

// ---------------------------------------------------------------------------
// item

#[test]
fn item_valid_prints_canonical_item_and_size() {
    let r = run(&["item"], r#"{"id": {"S": "k1"}, "n": {"N": "1e3"}}"#);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "{\"Item\":{\"id\":{\"S\":\"k1\"},\"n\":{\"N\":\"1000\"}},\"Size\":7}\n"
    );
}

#[test]
fn item_invalid_prints_error_and_exits_2() {
    let r = run(&["item"], r#"{"s": {"SS": []}}"#);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.json(),
        json!({"__type": VALIDATION,
               "message": "One or more parameter values were invalid: An string set  may not be empty"})
    );
    let r = run(&["item"], r#"{"n": {"N": 5}}"#);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.json()["__type"], SERIALIZATION);
}

#[test]
fn item_lines() {
    let input = "{\"a\": {\"N\": \"+01.50\"}}\n{\"a\": {\"NS\": []}}\nnot json\n{\"b\": {\"BOOL\": true}}\n";
    let r = run(&["item", "--lines"], input);
    assert_eq!(r.code, 0, "{r:?}");
    let lines = r.lines();
    assert_eq!(lines.len(), 4, "{r:?}");
    let first: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["Item"], json!({"a": {"N": "1.5"}}));
    let second: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(second["__type"], VALIDATION);
    let third: Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(third["__type"], SERIALIZATION);
    let fourth: Value = serde_json::from_str(lines[3]).unwrap();
    assert_eq!(fourth, json!({"Item": {"b": {"BOOL": true}}, "Size": 2}));
}

#[test]
fn item_help() {
    let r = run(&["item", "--help"], "");
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Usage: dynacond item"), "{r:?}");
}

// ---------------------------------------------------------------------------
// The command itself

#[test]
fn version() {
    for flag in ["--version", "-V"] {
        let r = run(&[flag], "");
        assert_eq!(r.code, 0);
        assert_eq!(
            r.stdout,
            format!("dynacond {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn help() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let r = run(args, "");
        assert_eq!(r.code, 0, "{args:?}");
        assert!(r.stdout.contains("Usage: dynacond <COMMAND>"), "{r:?}");
        assert!(r.stdout.contains("eval") && r.stdout.contains("item"));
    }
}

#[test]
fn unknown_command_exits_2() {
    for args in [&["frobnicate"][..], &["help", "frobnicate"]] {
        let r = run(args, "");
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.stdout.is_empty(), "{r:?}");
        assert!(r.stderr.contains("frobnicate"), "{r:?}");
    }
}

#[test]
fn no_command_prints_help_to_stderr_and_exits_2() {
    let r = run(&[], "");
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("Usage: dynacond"), "{r:?}");
}
