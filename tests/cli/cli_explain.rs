//! `dynacond eval --explain`: the text explanation of a condition on
//! standard output, the same exit codes as `eval`, errors as DynamoDB's
//! JSON error body.

use crate::common;

use common::cli::run;
use serde_json::json;

#[test]
fn eval_explain_prints_the_tree() {
    let request = json!({
        "ConditionExpression": "attribute_not_exists(pk) OR #v = :v",
        "ExpressionAttributeNames": {"#v": "version"},
        "ExpressionAttributeValues": {":v": {"N": "3"}},
        "Item": {"pk": {"S": "k1"}, "version": {"N": "4"}}
    });
    let r = run(&["eval", "--explain"], &request.to_string());
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stdout,
        r#"result: false
✗ OR  ← decisive
  ✗ attribute_not_exists(pk)  ← decisive
      pk: {"S":"k1"}
  ✗ #v = :v  ← decisive
      #v: {"N":"4"}
      :v: {"N":"3"}
"#
    );
    assert!(r.stderr.is_empty(), "{r:?}");

    let request = json!({
        "ConditionExpression": "attribute_not_exists(pk) OR size(tags) > :n",
        "ExpressionAttributeValues": {":n": {"N": "3"}}
    });
    let r = run(&["eval", "--explain"], &request.to_string());
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "result: true\n✓ OR  ← decisive\n  ✓ attribute_not_exists(pk)  ← decisive\n      pk: missing\n  · size(tags) > :n  (not evaluated)\n"
    );
}

#[test]
fn eval_explain_errors_are_dynamodbs() {
    let request = json!({"ConditionExpression": "a = :v"});
    let r = run(&["eval", "--explain"], &request.to_string());
    assert_eq!(r.code, 2, "{r:?}");
    let body: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(
        body["message"],
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v"
    );
    let r = run(&["eval", "--explain", "--bogus"], "{}");
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--bogus"), "{r:?}");
}

#[test]
fn eval_explain_lines() {
    let requests = [
        json!({"ConditionExpression": "a = :v", "ExpressionAttributeValues": {":v": {"N": "1"}},
               "Item": {"a": {"S": "1"}}})
        .to_string(),
        "{not json".to_owned(),
        json!({"ConditionExpression": "attribute_exists(a)"}).to_string(),
    ];
    for args in [
        ["eval", "--lines", "--explain"],
        ["eval", "--explain", "--lines"],
    ] {
        let r = run(&args, &(requests.join("\n") + "\n"));
        assert_eq!(r.code, 0, "{r:?}");
        let answers: Vec<&str> = r.stdout.split("\n\n").collect();
        assert_eq!(answers.len(), 4, "{r:?}");
        assert!(answers[0].starts_with("result: false\n✗ a = :v"), "{r:?}");
        assert!(answers[0].contains("note: type mismatch: S vs N"), "{r:?}");
        assert!(answers[1].contains("SerializationException"), "{r:?}");
        assert!(
            answers[2].starts_with("result: false\n✗ attribute_exists(a)"),
            "{r:?}"
        );
        assert_eq!(answers[3], "");
    }
    let help = run(&["eval", "--help"], "");
    assert!(help.stdout.contains("--explain"), "{help:?}");
}
