//! Explanations on the endpoint: the opt-in `Explanation` member of a
//! failed condition's error body (`serve --explain`), absent by default so
//! that bodies stay DynamoDB's byte for byte, and the playground call
//! `POST /dynacond/explain`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use dynacond::Store;
use dynacond::server::Server;
use serde_json::{Value, json};

use crate::client::send;
use crate::server::{call, create_table, ok};

/// DynamoDB's body for a failed condition, byte for byte.
const CONDITION_FAILED_BODY: &str = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#;

fn seed(addr: SocketAddr) {
    create_table(addr, "things");
    ok(
        addr,
        "PutItem",
        json!({"TableName": "things", "Item": {"p": {"S": "k1"}, "version": {"N": "4"}}}),
    );
}

fn failing_put() -> Value {
    json!({
        "TableName": "things",
        "Item": {"p": {"S": "k1"}},
        "ConditionExpression": "attribute_not_exists(p) OR version = :v",
        "ExpressionAttributeValues": {":v": {"N": "3"}}
    })
}

fn transaction() -> Value {
    json!({"TransactItems": [
        {"ConditionCheck": {"TableName": "things", "Key": {"p": {"S": "k1"}},
            "ConditionExpression": "version = :v",
            "ExpressionAttributeValues": {":v": {"N": "4"}}}},
        {"Update": {"TableName": "things", "Key": {"p": {"S": "k2"}},
            "UpdateExpression": "SET n = :one",
            "ConditionExpression": "attribute_exists(p)",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}}
    ]})
}

fn explain_call(addr: SocketAddr, body: &Value) -> (u16, Value) {
    let r = send(
        addr,
        "POST",
        "/dynacond/explain",
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    );
    let v = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
    (r.status, v)
}

#[test]
fn failed_conditions_are_dynamodbs_by_default() {
    let server = Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    seed(addr);
    let r = call(addr, "PutItem", failing_put());
    assert_eq!(r.status, 400);
    assert_eq!(String::from_utf8_lossy(&r.body), CONDITION_FAILED_BODY);
    let r = call(addr, "TransactWriteItems", transaction());
    assert_eq!(r.error_type(), "TransactionCanceledException");
    assert!(!String::from_utf8_lossy(&r.body).contains("Explanation"));
    assert_eq!(
        r.json()["CancellationReasons"],
        json!([{"Code": "None"}, {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}])
    );
}

#[test]
fn failed_conditions_carry_explanations_when_asked() {
    let store = Store::builder().explain(true).build().unwrap();
    let server = Server::bind("127.0.0.1:0", store).unwrap().spawn().unwrap();
    let addr = server.local_addr();
    seed(addr);

    let r = call(addr, "PutItem", failing_put());
    let mut body = r.json();
    let explanation = body.as_object_mut().unwrap().remove("Explanation").unwrap();
    // The rest is DynamoDB's body.
    assert_eq!(body.to_string(), CONDITION_FAILED_BODY);
    assert_eq!(explanation["result"], false);
    assert_eq!(explanation["tree"]["kind"], "or");
    let version = &explanation["tree"]["children"][1];
    assert_eq!(version["text"], "version = :v");
    assert_eq!(version["decisive"], true);
    assert_eq!(
        version["operands"],
        json!([{"text": "version", "value": {"N": "4"}}, {"text": ":v", "value": {"N": "3"}}])
    );
    // UpdateItem and DeleteItem too, beside ALL_OLD's Item.
    for op in ["UpdateItem", "DeleteItem"] {
        let r = call(
            addr,
            op,
            json!({"TableName": "things", "Key": {"p": {"S": "k1"}},
                "ConditionExpression": "version > :v",
                "ExpressionAttributeValues": {":v": {"N": "10"}},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
        );
        let body = r.json();
        assert_eq!(body["Item"]["version"]["N"], "4", "{op}");
        assert_eq!(body["Explanation"]["tree"]["kind"], "comparison", "{op}");
        assert_eq!(body["Explanation"]["tree"]["outcome"], false, "{op}");
    }

    // A transaction: the failed action's reason explains, the other not.
    let r = call(addr, "TransactWriteItems", transaction());
    let reasons = r.json()["CancellationReasons"].clone();
    assert_eq!(reasons[0], json!({"Code": "None"}));
    assert_eq!(reasons[1]["Code"], "ConditionalCheckFailed");
    assert_eq!(reasons[1]["Explanation"]["result"], false);
    assert_eq!(
        reasons[1]["Explanation"]["tree"]["operands"],
        json!([{"text": "p", "value": null}])
    );
    // A successful write is unchanged.
    let r = call(
        addr,
        "PutItem",
        json!({"TableName": "things", "Item": {"p": {"S": "k3"}},
            "ConditionExpression": "attribute_not_exists(p)"}),
    );
    assert_eq!(String::from_utf8_lossy(&r.body), "{}");
}

#[test]
fn serve_explain_turns_them_on() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dynacond"))
        .args(["serve", "--port", "0", "--explain"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap()
        .parse()
        .unwrap();
    seed(addr);
    let body = call(addr, "PutItem", failing_put()).json();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(body["message"], "The conditional request failed");
    assert_eq!(body["Explanation"]["result"], false);
}

#[test]
fn the_playground_call_explains_and_never_writes() {
    let server = Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    seed(addr);

    // A pasted item.
    let (status, v) = explain_call(
        addr,
        &json!({
            "Item": {"p": {"S": "x"}, "n": {"N": "1"}},
            "ConditionExpression": "n < :two AND attribute_exists(#q)",
            "ExpressionAttributeNames": {"#q": "q"},
            "ExpressionAttributeValues": {":two": {"N": "2"}}
        }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"], false);
    assert_eq!(v["tree"]["kind"], "and");
    assert_eq!(v["tree"]["children"][1]["decisive"], true);
    assert_eq!(v["newItem"], Value::Null);
    assert!(v["text"].as_str().unwrap().starts_with("result: false\n"));

    // The item at a key, with an update: the new item when the condition holds.
    let (status, v) = explain_call(
        addr,
        &json!({
            "TableName": "things",
            "Key": {"p": {"S": "k1"}},
            "ConditionExpression": "version = :v",
            "UpdateExpression": "SET version = version + :one",
            "ExpressionAttributeValues": {":v": {"N": "4"}, ":one": {"N": "1"}}
        }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"], true);
    assert_eq!(
        v["newItem"],
        json!({"p": {"S": "k1"}, "version": {"N": "5"}})
    );
    // Nothing was written.
    let got = ok(
        addr,
        "GetItem",
        json!({"TableName": "things", "Key": {"p": {"S": "k1"}}}),
    );
    assert_eq!(got["Item"]["version"]["N"], "4");

    // A missing item is evaluated as no item; an update alone creates it.
    let (_, v) = explain_call(
        addr,
        &json!({"TableName": "things", "Key": {"p": {"S": "nope"}},
            "ConditionExpression": "attribute_not_exists(p)"}),
    );
    assert_eq!(v["result"], true);
    let (_, v) = explain_call(
        addr,
        &json!({"TableName": "things", "Key": {"p": {"S": "nope"}},
            "UpdateExpression": "SET n = :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}),
    );
    assert_eq!(v["result"], Value::Null);
    assert_eq!(v["tree"], Value::Null);
    assert_eq!(v["newItem"], json!({"p": {"S": "nope"}, "n": {"N": "1"}}));
    let got = ok(
        addr,
        "GetItem",
        json!({"TableName": "things", "Key": {"p": {"S": "nope"}}}),
    );
    assert_eq!(got, json!({}));
}

#[test]
fn the_playground_call_takes_items_of_the_largest_size() {
    let server = Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    // Over the other control calls' 64 KiB and over the explanation's
    // value budget: the call answers, the value is left out.
    let big = "x".repeat(390 * 1024);
    let (status, v) = explain_call(
        addr,
        &json!({"Item": {"p": {"S": "k"}, "big": {"S": big}},
            "ConditionExpression": "size(big) < :n",
            "ExpressionAttributeValues": {":n": {"N": "10"}}}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"], false);
    assert_eq!(
        v["tree"]["operands"][0],
        json!({"text": "size(big)", "value": {"N": "399360"}})
    );
    let (status, v) = explain_call(
        addr,
        &json!({"Item": {"p": {"S": "k"}, "big": {"S": big}},
            "ConditionExpression": "big = :n",
            "ExpressionAttributeValues": {":n": {"N": "10"}}}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["tree"]["operands"][0],
        json!({"text": "big", "value": null, "omitted": true})
    );
    // Past 2 MiB the body is refused.
    let huge = "x".repeat(3 << 20);
    let (status, _) = explain_call(addr, &json!({"Item": {"p": {"S": huge}}}));
    assert_eq!(status, 413);
}

#[test]
fn the_playground_call_validates_as_dynamodb_does() {
    let server = Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    seed(addr);
    let item = json!({"p": {"S": "x"}});
    let cases = [
        (
            json!({"Item": item, "ConditionExpression": "a = :zz"}),
            "ValidationException",
            "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz",
        ),
        (
            json!({"Item": item, "ConditionExpression": "a = :v",
                "ExpressionAttributeValues": {":v": {"N": "1"}, ":w": {"N": "2"}}}),
            "ValidationException",
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
        ),
        (
            json!({"Item": item, "ConditionExpression": "name = :v",
                "ExpressionAttributeValues": {":v": {"N": "1"}}}),
            "ValidationException",
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
        ),
        (
            json!({"Item": item, "ConditionExpression": "a = :v",
                "ExpressionAttributeValues": {":v": {"N": "x"}}}),
            "ValidationException",
            "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :v",
        ),
        (
            json!({"TableName": "things", "Key": {"p": {"S": "k1"}},
                "UpdateExpression": "SET p = :v",
                "ExpressionAttributeValues": {":v": {"S": "k9"}}}),
            "ValidationException",
            "One or more parameter values were invalid: Cannot update attribute p. This attribute is part of the key",
        ),
        (
            json!({"TableName": "none", "Key": {"p": {"S": "k1"}},
                "ConditionExpression": "attribute_exists(p)"}),
            "ResourceNotFoundException",
            "Requested resource not found",
        ),
        (
            json!({"ConditionExpression": "attribute_exists(p)"}),
            "ValidationException",
            "The explain call needs an Item, or a TableName and a Key",
        ),
    ];
    for (body, kind, message) in cases {
        let (status, v) = explain_call(addr, &body);
        assert_eq!(status, 400, "{body}: {v}");
        assert!(v["__type"].as_str().unwrap().ends_with(kind), "{body}: {v}");
        assert_eq!(v["message"], message, "{body}");
    }
    let r = send(addr, "POST", "/dynacond/explain", &[], b"nonsense");
    assert_eq!(r.status, 400);
    assert_eq!(send(addr, "GET", "/dynacond/explain", &[], b"").status, 405);
}
