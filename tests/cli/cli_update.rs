//! `dynacond update`: a request on standard input, the new item (or
//! DynamoDB's error body) on standard output; exit code 0 applied, 2 error.

use crate::common;

use common::cli::{Run, run};
use serde_json::{Value, json};

const VALIDATION: &str = "com.amazon.coral.validate#ValidationException";
const SERIALIZATION: &str = "com.amazon.coral.service#SerializationException";

fn update(request: &Value) -> Run {
    run(&["update"], &request.to_string())
}

/// The error body the binary prints for a ValidationException.
fn validation(message: &str) -> Value {
    json!({"__type": VALIDATION, "message": message})
}

/// Asserts an error answer: DynamoDB's body and exit code 2.
fn assert_error(r: &Run, body: &Value) {
    assert_eq!(&r.json(), body, "{r:?}");
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn success_prints_the_new_item_and_exits_0() {
    let r = update(&json!({
        "UpdateExpression": "SET visits = visits + :one, tags = list_append(tags, :t) REMOVE draft ADD seen :s",
        "ExpressionAttributeValues": {
            ":one": {"N": "1"},
            ":t": {"L": [{"S": "new"}]},
            ":s": {"SS": ["b"]}
        },
        "Item": {
            "pk": {"S": "k1"},
            "visits": {"N": "41"},
            "tags": {"L": [{"S": "old"}]},
            "draft": {"BOOL": true},
            "seen": {"SS": ["a"]}
        }
    }));
    // One line of compact JSON (attribute order is not part of the answer).
    assert!(
        r.stdout.ends_with("}}\n") && !r.stdout.contains(' '),
        "{r:?}"
    );
    assert_eq!(
        r.json(),
        json!({"Item": {
            "pk": {"S": "k1"},
            "visits": {"N": "42"},
            "tags": {"L": [{"S": "old"}, {"S": "new"}]},
            "seen": {"SS": ["a", "b"]}
        }}),
        "{r:?}"
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
}

#[test]
fn numbers_come_back_canonical() {
    let r = update(&json!({
        "UpdateExpression": "SET n = :x + :y, m = :z",
        "ExpressionAttributeValues": {":x": {"N": "1.50"}, ":y": {"N": "0010"}, ":z": {"N": "1e3"}},
        "Item": {"pk": {"S": "k1"}}
    }));
    assert_eq!(
        r.json(),
        json!({"Item": {"pk": {"S": "k1"}, "n": {"N": "11.5"}, "m": {"N": "1000"}}}),
        "{r:?}"
    );
    assert_eq!(r.code, 0);
}

#[test]
fn names_map_to_whole_attribute_names() {
    let r = update(&json!({
        "UpdateExpression": "SET #d = :v, a.b = :w",
        "ExpressionAttributeNames": {"#d": "a.b"},
        "ExpressionAttributeValues": {":v": {"S": "top"}, ":w": {"S": "nested"}},
        "Item": {"pk": {"S": "k1"}, "a": {"M": {}}}
    }));
    assert_eq!(
        r.json(),
        json!({"Item": {"pk": {"S": "k1"}, "a": {"M": {"b": {"S": "nested"}}}, "a.b": {"S": "top"}}}),
        "{r:?}"
    );
    assert_eq!(r.code, 0);
}

#[test]
fn list_edits_refer_to_the_old_list() {
    let r = update(&json!({
        "UpdateExpression": "REMOVE l[1] SET l[3] = :v, l[9] = :w",
        "ExpressionAttributeValues": {":v": {"N": "17"}, ":w": {"N": "99"}},
        "Item": {"l": {"L": [{"N": "2"}, {"N": "3"}, {"N": "4"}, {"N": "5"}]}}
    }));
    assert_eq!(
        r.json(),
        json!({"Item": {"l": {"L": [{"N": "2"}, {"N": "4"}, {"N": "17"}, {"N": "99"}]}}}),
        "{r:?}"
    );
    assert_eq!(r.code, 0);
}

#[test]
fn missing_item_is_created_by_set_and_add() {
    let r = update(&json!({
        "UpdateExpression": "SET a = if_not_exists(a, :zero) + :one ADD s :s",
        "ExpressionAttributeValues": {":zero": {"N": "0"}, ":one": {"N": "1"}, ":s": {"NS": ["5"]}}
    }));
    assert_eq!(
        r.json(),
        json!({"Item": {"a": {"N": "1"}, "s": {"NS": ["5"]}}}),
        "{r:?}"
    );
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn remove_only_update_on_missing_item_prints_empty_object() {
    for request in [
        json!({"UpdateExpression": "REMOVE a, b.c, l[0]"}),
        json!({"UpdateExpression": "REMOVE a DELETE s :s", "ExpressionAttributeValues": {":s": {"SS": ["x"]}}}),
        json!({"UpdateExpression": "REMOVE a", "Item": null}),
    ] {
        let r = update(&request);
        assert_eq!(r.stdout, "{}\n", "{request}: {r:?}");
        assert_eq!(r.code, 0, "{request}: {r:?}");
    }
}

#[test]
fn remove_of_every_attribute_prints_an_empty_item() {
    let r = update(&json!({"UpdateExpression": "REMOVE a", "Item": {"a": {"N": "1"}}}));
    assert_eq!(r.stdout, "{\"Item\":{}}\n", "{r:?}");
    assert_eq!(r.code, 0);
}

#[test]
fn run_time_errors_print_dynamodb_error_body_and_exit_2() {
    let r = update(&json!({
        "UpdateExpression": "SET a = b + :one",
        "ExpressionAttributeValues": {":one": {"N": "1"}},
        "Item": {"pk": {"S": "k1"}}
    }));
    assert_eq!(
        r.stdout,
        format!(
            "{{\"__type\":\"{VALIDATION}\",\"message\":\"The provided expression refers to an attribute that does not exist in the item\"}}\n"
        ),
        "{r:?}"
    );
    assert_eq!(r.code, 2, "{r:?}");

    let item = json!({"s": {"S": "x"}, "m": {"M": {}}, "l": {"L": []}});
    let cases = [
        (
            "ADD s :one",
            json!({":one": {"N": "1"}}),
            "An operand in the update expression has an incorrect data type",
        ),
        (
            "SET x = list_append(m, :l)",
            json!({":l": {"L": []}}),
            "An operand in the update expression has an incorrect data type",
        ),
        (
            "SET m.a.b = :one",
            json!({":one": {"N": "1"}}),
            "The document path provided in the update expression is invalid for update",
        ),
        (
            "SET l.k = :one",
            json!({":one": {"N": "1"}}),
            "The document path provided in the update expression is invalid for update",
        ),
        (
            "SET n = :x + :y",
            json!({":x": {"N": "9e125"}, ":y": {"N": "9e125"}}),
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
        (
            "SET n = :x - :y",
            json!({":x": {"N": "1.5e-130"}, ":y": {"N": "1e-130"}}),
            "Number underflow. Attempting to store a number with magnitude smaller than supported range",
        ),
    ];
    for (expression, values, message) in cases {
        let r = update(&json!({
            "UpdateExpression": expression,
            "ExpressionAttributeValues": values,
            "Item": item
        }));
        assert_error(&r, &validation(message));
    }
}

#[test]
fn static_errors_print_dynamodb_error_body_and_exit_2() {
    let cases = [
        (
            json!({"UpdateExpression": "SET a = :v1 SET b = :v2", "ExpressionAttributeValues": {":v1": {"N": "1"}, ":v2": {"N": "2"}}}),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
        ),
        (
            json!({"UpdateExpression": ""}),
            "Invalid UpdateExpression: The expression can not be empty;",
        ),
        (
            json!({"UpdateExpression": "ADD a :s", "ExpressionAttributeValues": {":s": {"S": "x"}}}),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND",
        ),
        (
            json!({"UpdateExpression": "SET a = :s + :n", "ExpressionAttributeValues": {":s": {"S": "x"}, ":n": {"N": "1"}}}),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S",
        ),
        (
            json!({"UpdateExpression": "SET #a = :v REMOVE a", "ExpressionAttributeNames": {"#a": "a"}, "ExpressionAttributeValues": {":v": {"N": "1"}}}),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
        ),
        (
            json!({"UpdateExpression": "SET b = if_not_exists(:undefined, :v)", "ExpressionAttributeValues": {":v": {"N": "1"}}}),
            "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :undefined",
        ),
        (
            json!({"UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"N": "1"}, ":b": {"N": "2"}}}),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}",
        ),
        (
            json!({"UpdateExpression": "DELETE a :v", "ExpressionAttributeValues": {":v": {"SS": []}}}),
            "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v",
        ),
        (
            json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {}}),
            "ExpressionAttributeValues must not be empty",
        ),
    ];
    for (request, message) in cases {
        let r = update(&request);
        assert_error(&r, &validation(message));
    }
}

#[test]
fn malformed_requests() {
    let r = run(&["update"], "{\"UpdateExpression\": ");
    assert_eq!(r.json()["__type"], SERIALIZATION, "{r:?}");
    assert_eq!(r.code, 2);

    let r = update(&json!({"ExpressionAttributeValues": {":v": {"N": "1"}}}));
    assert_error(
        &r,
        &validation(
            "1 validation error detected: Value null at 'updateExpression' failed to satisfy constraint: Member must not be null",
        ),
    );

    let r = update(&json!({"UpdateExpression": "REMOVE a", "ConditionExpression": "a = :v"}));
    assert_eq!(r.json()["__type"], VALIDATION, "{r:?}");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("ConditionExpression"),
        "{r:?}"
    );
    assert_eq!(r.code, 2);

    let r = update(
        &json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"N": 1}}}),
    );
    assert_eq!(r.json()["__type"], SERIALIZATION, "{r:?}");
    assert_eq!(r.code, 2);
}

#[test]
fn new_item_nesting_is_checked() {
    let mut deep = json!({"N": "1"});
    for _ in 0..32 {
        deep = json!({"L": [deep]});
    }
    let r = update(&json!({
        "UpdateExpression": "SET m.x = :v",
        "ExpressionAttributeValues": {":v": deep},
        "Item": {"m": {"M": {}}}
    }));
    assert_error(
        &r,
        &validation(
            "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit",
        ),
    );
}

#[test]
fn lines_answers_each_line_and_goes_on_past_bad_ones() {
    let input = [
        json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}, "Item": {"pk": {"S": "k"}}}).to_string(),
        "this is not json".to_owned(),
        String::new(),
        json!({"UpdateExpression": "SET a = nope", "Item": {"pk": {"S": "k"}}}).to_string(),
        "   ".to_owned(),
        json!({"UpdateExpression": "REMOVE a"}).to_string(),
        json!({"UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}, "Item": {"n": {"N": "41"}}}).to_string(),
    ]
    .join("\n");
    let r = run(&["update", "--lines"], &input);
    assert_eq!(r.code, 0, "{r:?}");
    let answers: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 5, "{r:?}");
    assert_eq!(
        answers[0],
        json!({"Item": {"pk": {"S": "k"}, "a": {"N": "1"}}})
    );
    assert_eq!(answers[1]["__type"], SERIALIZATION);
    assert_eq!(
        answers[2],
        validation(
            "The provided expression refers to an attribute that does not exist in the item"
        )
    );
    assert_eq!(answers[3], json!({}));
    assert_eq!(answers[4], json!({"Item": {"n": {"N": "42"}}}));
}

#[test]
fn lines_without_trailing_newline_and_crlf() {
    let input = format!(
        "{}\r\n{}",
        json!({"UpdateExpression": "REMOVE a", "Item": {"a": {"N": "1"}, "b": {"N": "2"}}}),
        json!({"UpdateExpression": "REMOVE a"})
    );
    let r = run(&["update", "--lines"], &input);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "{\"Item\":{\"b\":{\"N\":\"2\"}}}\n{}\n", "{r:?}");
}

#[test]
fn help_exits_0_and_its_example_works() {
    for args in [
        &["update", "--help"][..],
        &["update", "-h"],
        &["help", "update"],
    ] {
        let r = run(args, "");
        assert_eq!(r.code, 0, "{args:?}: {r:?}");
        assert!(r.stdout.contains("Usage: dynacond update"), "{r:?}");
        assert!(r.stdout.contains("--lines"), "{r:?}");
        assert!(r.stdout.contains("Example:"), "{r:?}");
    }
    // Run the example shown and compare with the answer shown under it.
    let help = run(&["update", "--help"], "").stdout;
    let (_, after_echo) = help.split_once("echo '").expect("an echo example");
    let (request, rest) = after_echo
        .split_once("' | dynacond update")
        .expect("piped into dynacond update");
    let shown = rest
        .lines()
        .nth(1)
        .expect("the answer under the example")
        .trim();
    let r = run(&["update"], request);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.trim(), shown, "{r:?}");
}

#[test]
fn unexpected_argument_exits_2() {
    let r = run(&["update", "--nope"], "");
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(r.stderr.contains("--nope"), "{r:?}");
}

#[test]
fn new_item_size_is_checked() {
    // Item size: name bytes plus value bytes (§13); 409600 is the limit.
    let a = "x".repeat(204_799);
    let fits = update(&json!({
        "UpdateExpression": "SET b = :v",
        "ExpressionAttributeValues": {":v": {"S": "y".repeat(204_799)}},
        "Item": {"a": {"S": a}}
    }));
    assert_eq!(fits.code, 0, "{}", fits.stderr);
    assert_eq!(
        fits.json()["Item"]["b"]["S"].as_str().unwrap().len(),
        204_799
    );
    let r = update(&json!({
        "UpdateExpression": "SET b = :v",
        "ExpressionAttributeValues": {":v": {"S": "y".repeat(204_800)}},
        "Item": {"a": {"S": a}}
    }));
    assert_error(
        &r,
        &validation("Item size to update has exceeded the maximum allowed size"),
    );
    // Copying an attribute counts too.
    let r = update(&json!({
        "UpdateExpression": "SET b = a",
        "Item": {"a": {"S": "x".repeat(204_800)}}
    }));
    assert_error(
        &r,
        &validation("Item size to update has exceeded the maximum allowed size"),
    );
}
