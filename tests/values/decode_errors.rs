//! Request bodies that fail to decode get DynamoDB's exceptions and wording,
//! never serde's text: malformed JSON is a SerializationException without a
//! message, as DynamoDB sends it (spec validation.md §7.5, row H2), wrongly
//! typed members use Coral's
//! `<KIND>_VALUE cannot be converted to <Type>` form, and so on (see
//! `wire::serialization_error` for the mapping and which parts are guesses).

use dynacond::Store;
use dynacond::protocol::dispatch;
use serde_json::Value;

const SE: &str = "com.amazon.coral.service#SerializationException";
const VE: &str = "com.amazon.coral.validate#ValidationException";

/// Sends `body` to `op` on an empty store; returns the status and parsed body.
fn send(op: &str, body: &[u8]) -> (u16, Value) {
    let reply = dispatch(
        &Store::new(),
        Some(&format!("DynamoDB_20120810.{op}")),
        body,
    );
    let json = serde_json::from_slice(&reply.body).unwrap();
    (reply.status, json)
}

/// Asserts a 400 whose body is exactly this `__type` and this `message`.
fn assert_error(op: &str, body: &[u8], want_type: &str, want_message: &str) {
    let shown = String::from_utf8_lossy(body);
    let (status, json) = send(op, body);
    assert_eq!(status, 400, "{op} {shown}: {json}");
    assert_eq!(
        json,
        serde_json::json!({"__type": want_type, "message": want_message}),
        "{op} {shown}"
    );
}

/// A PutItem body whose item nests `depth` maps.
fn nested_item(depth: usize) -> String {
    let mut value = String::from(r#"{"S": "x"}"#);
    for _ in 0..depth {
        value = format!(r#"{{"M": {{"a": {value}}}}}"#);
    }
    format!(r#"{{"TableName": "tbl", "Item": {{"p": {{"S": "k"}}, "deep": {value}}}}}"#)
}

#[test]
fn nesting_beyond_the_parser_limit_is_dynamodb_nesting_error() {
    // serde_json stops at 128 levels; DynamoDB answers items nested beyond 32
    // levels with its nesting message, and so does dynacond at any depth.
    let store = Store::new();
    let create = br#"{"TableName": "tbl", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"}"#;
    let created = dispatch(&store, Some("DynamoDB_20120810.CreateTable"), create);
    assert_eq!(
        created.status,
        200,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    for depth in [40, 200] {
        let reply = dispatch(
            &store,
            Some("DynamoDB_20120810.PutItem"),
            nested_item(depth).as_bytes(),
        );
        assert_eq!(reply.status, 400, "{depth}");
        let json: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(json["__type"], VE, "{depth}");
        // Compared exactly: the nesting error is a service message, which
        // carries no `1 validation error detected: ` prefix (validation.md
        // §2.4), at either depth.
        assert_eq!(
            json["message"],
            "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit",
            "{depth}"
        );
    }
}

#[test]
fn a_float_where_an_integer_belongs() {
    assert_error(
        "Scan",
        br#"{"TableName": "t", "Limit": 1.5}"#,
        SE,
        "NUMBER_VALUE cannot be converted to Long",
    );
    // Beyond i64: serde_json reads it as a float.
    assert_error(
        "Scan",
        br#"{"TableName": "t", "Limit": 99999999999999999999}"#,
        SE,
        "NUMBER_VALUE cannot be converted to Long",
    );
}

#[test]
fn a_member_given_twice() {
    assert_error(
        "PutItem",
        br#"{"TableName": "a", "TableName": "b"}"#,
        SE,
        "The member TableName appears more than once in the structure",
    );
    assert_error(
        "CreateTable",
        br#"{"TableName": "tbl", "KeySchema": [{"AttributeName": "p", "AttributeName": "q", "KeyType": "HASH"}]}"#,
        SE,
        "The member AttributeName appears more than once in the structure",
    );
}

#[test]
fn malformed_json_has_no_message() {
    let bodies: &[&[u8]] = &[
        br#"{"TableName": "\u12"}"#,    // unexpected end of hex escape
        br#"{"TableName": "\uZZZZ"}"#,  // invalid escape
        br#"{"TableName": "\q"}"#,      // invalid escape
        br#"{"TableName": "\uD800x"}"#, // lone leading surrogate
        b"{\"TableName\": \"a\nb\"}",   // control character in a string
        br#"{"TableName": "#,           // EOF while parsing
        br#"{"TableName": }"#,          // expected value
        br#"{"TableName": "t"} x"#,     // trailing characters
        br#"{"TableName": "t",}"#,      // trailing comma
        br#"{broken json"#,             // key must be a string (spec row H2)
        br#"{"Limit": 1e400}"#,         // number out of range
        b"{\"TableName\": \"\xff\"}",   // invalid UTF-8
        br#"{"TableName" "t"}"#,        // expected `:`
        br#"{"TableName": tru}"#,       // expected ident
    ];
    for body in bodies {
        let shown = String::from_utf8_lossy(body);
        let (status, json) = send("Scan", body);
        assert_eq!(status, 400, "{shown}: {json}");
        assert_eq!(json, serde_json::json!({"__type": SE}), "{shown}");
    }
}

#[test]
fn wrongly_typed_members_use_corals_words() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "PutItem",
            r#"{"TableName": 5}"#,
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            "PutItem",
            r#"{"TableName": true}"#,
            "BOOLEAN_VALUE cannot be converted to String",
        ),
        (
            "GetItem",
            r#"{"TableName": "t", "Key": {}, "ConsistentRead": "yes"}"#,
            "STRING_VALUE cannot be converted to Boolean",
        ),
        (
            "Scan",
            r#"{"TableName": "t", "Segment": "1", "TotalSegments": 2}"#,
            "STRING_VALUE cannot be converted to Long",
        ),
        (
            "PutItem",
            r#"{"TableName": {}}"#,
            "Start of structure or map found where not expected",
        ),
        (
            "PutItem",
            r#"{"TableName": ["t"]}"#,
            "Start of list found where not expected",
        ),
        (
            "PutItem",
            r#"{"TableName": "t", "Item": ["x"]}"#,
            "Start of list found where not expected",
        ),
        (
            "PutItem",
            r#"{"TableName": "t", "Item": "x"}"#,
            "STRING_VALUE cannot be converted to Map",
        ),
        (
            "PutItem",
            r#"{"TableName": "t", "Item": {"p": "x"}}"#,
            "STRING_VALUE cannot be converted to Structure",
        ),
        (
            "PutItem",
            r#"{"TableName": "t", "Item": {"p": {"N": 5}}}"#,
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            "CreateTable",
            r#"{"TableName": "tbl", "KeySchema": {"AttributeName": "p"}}"#,
            "Start of structure or map found where not expected",
        ),
        (
            "CreateTable",
            r#"{"TableName": "tbl", "KeySchema": [5]}"#,
            "NUMBER_VALUE cannot be converted to Structure",
        ),
    ];
    for (op, body, message) in cases {
        assert_error(op, body.as_bytes(), SE, message);
    }
}

#[test]
fn a_missing_required_member_is_a_constraint_error() {
    assert_error(
        "CreateTable",
        br#"{"TableName": "tbl", "KeySchema": [{"KeyType": "HASH"}]}"#,
        VE,
        "1 validation error detected: Value null at 'attributeName' failed to satisfy constraint: Member must not be null",
    );
}

/// Words of serde's and serde_json's messages that DynamoDB never sends.
/// (`expected` alone is not one of them: DynamoDB's own `Start of structure or
/// map found where not expected` contains it.)
const SERDE_PHRASES: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    ", expected",
    "expected value",
    "expected `",
    "expected ident",
    "recursion limit",
    "duplicate field",
    "missing field",
    "unknown variant",
    "unknown field",
    "at line",
    "column",
    "eof",
    "trailing",
    "control character",
    "escape",
    "code point",
    "surrogate",
    "out of range",
    "floating point",
    "integer `",
    "key must be a string",
    "struct ",
];

#[test]
fn no_serde_phrase_reaches_a_client() {
    let deep_list = format!(
        r#"{{"TableName": "t", "X": {}{}}}"#,
        "[".repeat(300),
        "]".repeat(300)
    );
    let nested = nested_item(100);
    let bodies: Vec<(&str, &[u8])> = vec![
        ("PutItem", br#"{"TableName": "\u12"}"#),
        ("PutItem", br#"{"TableName": "\uD800"}"#),
        ("PutItem", br#"{"TableName": "\uDC00\uDC00"}"#),
        ("PutItem", br#"{"TableName": "\x"}"#),
        ("PutItem", b"{\"TableName\": \"\t\"}"),
        ("PutItem", br#"{"TableName": "#),
        ("PutItem", br#"{"TableName""#),
        ("PutItem", br#"{"TableName": }"#),
        ("PutItem", br#"{"TableName": "t"}}"#),
        ("PutItem", br#"{"TableName": "t", "Item": {"p": {"S": "k"}}} []"#),
        ("PutItem", br#"{"TableName": 5}"#),
        ("PutItem", br#"{"TableName": 1.5}"#),
        ("PutItem", br#"{"TableName": "a", "TableName": "b"}"#),
        ("PutItem", br#"{"TableName": "t", "Item": {"p": {"SS": [1]}}}"#),
        ("PutItem", br#"{"TableName": "t", "Item": {"p": {"BOOL": "yes"}}}"#),
        ("PutItem", br#"{"TableName": "t", "Item": {"p": {"L": {}}}}"#),
        ("PutItem", br#"{"TableName": "t", "Item": {"p": {"M": []}}}"#),
        ("PutItem", br#"{"TableName": "t", "Item": {"p": {"B": "!!"}}}"#),
        (
            "PutItem",
            br#"{"TableName": "t", "Item": {"p": {"S": "k"}}, "ConditionExpression": "a = :v", "ExpressionAttributeValues": {":v": {"N": 1}}}"#,
        ),
        ("PutItem", nested.as_bytes()),
        ("PutItem", deep_list.as_bytes()),
        ("Scan", br#"{"TableName": "t", "Limit": 1.5}"#),
        ("Scan", br#"{"TableName": "t", "Limit": 1e400}"#),
        ("Scan", br#"{"TableName": "t", "Limit": "5"}"#),
        ("Scan", br#"{"TableName": "t", "ScanFilter": {"a": {"ComparisonOperator": 5}}}"#),
        ("Query", br#"{"TableName": "t", "KeyConditions": []}"#),
        ("GetItem", br#"{"TableName": "t", "Key": [], "ConsistentRead": 1}"#),
        ("CreateTable", br#"{"TableName": "tbl", "KeySchema": [{}]}"#),
        ("CreateTable", br#"{"TableName": "tbl", "ProvisionedThroughput": {"ReadCapacityUnits": -1.5}}"#),
        ("BatchWriteItem", br#"{"RequestItems": {"t": [{"PutRequest": []}]}}"#),
        ("BatchGetItem", br#"{"RequestItems": {"t": {"Keys": {}}}}"#),
        ("TransactWriteItems", br#"{"TransactItems": [{"Put": 5}]}"#),
        ("TransactGetItems", br#"{"TransactItems": {"Get": {}}}"#),
        ("UpdateItem", br#"{"TableName": "t", "Key": {}, "AttributeUpdates": {"a": {"Action": 5}}}"#),
        ("ListTables", br#"{"Limit": true}"#),
        ("DescribeTable", b"{\"TableName\": \"\xc3\x28\"}"),
    ];
    assert!(bodies.len() >= 30);
    for (op, body) in bodies {
        let (status, json) = send(op, body);
        let shown = String::from_utf8_lossy(body);
        let shown = shown.get(..shown.len().min(120)).unwrap_or_default();
        assert_eq!(status, 400, "{op} {shown}: {json}");
        // Malformed JSON has no message at all.
        let message = json["message"].as_str().unwrap_or_default().to_lowercase();
        for phrase in SERDE_PHRASES {
            assert!(
                !message.contains(phrase),
                "{op} {shown}: `{phrase}` in {json}"
            );
        }
    }
}

#[test]
fn attribute_names_given_twice_keep_the_last_value() {
    // Only members of request structures are refused when repeated; an item
    // or map is a JSON object of names, where the last value wins.
    let item = dynacond::wire::item_from_json(br#"{"a": {"S": "x"}, "a": {"S": "y"}}"#).unwrap();
    assert_eq!(item.len(), 1);
    assert_eq!(item["a"], dynacond::AttributeValue::S("y".into()));
}
