//! Legacy parameters through the store: `Expected` + `ConditionalOperator`
//! on PutItem, UpdateItem and DeleteItem, `AttributeUpdates` on UpdateItem,
//! `AttributesToGet` on GetItem, and the errors for mixing generations.
//! Each table row is (stored item, legacy parameters, expected result or
//! exact message); every failing row also checks that nothing changed.

use dynacond::legacy::{self, ComparisonOperator, ExpectedAttributeValue, ExpectedMap};
use dynacond::{AttributeValue, Error, Item, Number, Store, wire};
use proptest::prelude::*;
use serde_json::{Value, json};

const TABLE: &str = "tbl";

fn store_with(item: Option<&str>) -> Store {
    let store = Store::new();
    store
        .create_table(
            wire::from_value(json!({"TableName": TABLE,
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}))
            .unwrap(),
        )
        .unwrap();
    if let Some(item) = item {
        let mut item: Value = serde_json::from_str(item).unwrap();
        item["p"] = json!({"S": "k"});
        store
            .put_item(wire::from_value(json!({"TableName": TABLE, "Item": item})).unwrap())
            .unwrap();
    }
    store
}

fn stored(store: &Store) -> Option<Item> {
    store
        .get_item(wire::from_value(json!({"TableName": TABLE, "Key": {"p": {"S": "k"}}})).unwrap())
        .unwrap()
        .item
}

fn item(json: &str) -> Item {
    wire::item_from_json(json.as_bytes()).unwrap()
}

/// Runs one operation: `members` (a JSON object's members) are added to a
/// request for the item with key `k`.
fn run(store: &Store, op: &str, members: &str) -> Result<Value, Error> {
    let mut request: Value = serde_json::from_str(&format!("{{{members}}}")).unwrap();
    request["TableName"] = json!(TABLE);
    let key = json!({"p": {"S": "k"}});
    match op {
        "PutItem" => {
            if request.get("Item").is_none() {
                request["Item"] = json!({"p": {"S": "k"}, "marker": {"S": "put"}});
            }
            Ok(serde_json::to_value(store.put_item(wire::from_value(request)?)?).unwrap())
        }
        "UpdateItem" => {
            request["Key"] = key;
            Ok(serde_json::to_value(store.update_item(wire::from_value(request)?)?).unwrap())
        }
        "DeleteItem" => {
            request["Key"] = key;
            Ok(serde_json::to_value(store.delete_item(wire::from_value(request)?)?).unwrap())
        }
        "GetItem" => {
            request["Key"] = key;
            Ok(serde_json::to_value(store.get_item(wire::from_value(request)?)?).unwrap())
        }
        other => panic!("no operation {other}"),
    }
}

/// Checks a failed request: `want` is `"CCF"` or a ValidationException's
/// exact message (compared exactly: no `1 validation error detected: `
/// tolerance); the stored item is unchanged.
fn check_error(
    what: &str,
    store: &Store,
    before: &Option<Item>,
    result: Result<Value, Error>,
    want: &str,
) {
    let error = match result {
        Ok(v) => panic!("{what}: succeeded ({v}), wanted {want}"),
        Err(e) => e,
    };
    if want == "CCF" {
        assert_eq!(
            error.type_name(),
            "ConditionalCheckFailedException",
            "{what}: {error:?}"
        );
    } else {
        assert_eq!(error.type_name(), "ValidationException", "{what}");
        assert_eq!(error.message(), want, "{what}");
    }
    assert_eq!(&stored(store), before, "{what}: the item changed");
}

// ---------------------------------------------------------------------------
// Expected, every operator, through all three write operations

const ITEM: &str = r#"{"n": {"N": "5"}, "s": {"S": "hello"}, "b": {"B": "aGkgdGhlcmU="},
    "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "l": {"L": [{"N": "1"}, {"S": "x"}]},
    "m": {"M": {"k": {"S": "v"}}}, "nul": {"NULL": true}, "t": {"BOOL": true},
    "a.b": {"N": "1"}, "size": {"S": "reserved"}}"#;

/// (attribute, Expected entry, "true" / "false" / exact message)
const EXPECTED_CASES: &[(&str, &str, &str)] = &[
    // EQ / NE
    (
        "n",
        r#"{"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5"}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5.0"}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "6"}]}"#,
        "false",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "5"}]}"#,
        "false",
    ),
    (
        "q",
        r#"{"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5"}]}"#,
        "false",
    ),
    (
        "ss",
        r#"{"ComparisonOperator": "EQ", "AttributeValueList": [{"SS": ["b", "a"]}]}"#,
        "true",
    ),
    (
        "l",
        r#"{"ComparisonOperator": "EQ", "AttributeValueList": [{"L": [{"N": "1"}, {"S": "x"}]}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "NE", "AttributeValueList": [{"N": "6"}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "NE", "AttributeValueList": [{"N": "5"}]}"#,
        "false",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "NE", "AttributeValueList": [{"S": "5"}]}"#,
        "true",
    ),
    (
        "q",
        r#"{"ComparisonOperator": "NE", "AttributeValueList": [{"N": "1"}]}"#,
        "true",
    ),
    // Ordering
    (
        "n",
        r#"{"ComparisonOperator": "LE", "AttributeValueList": [{"N": "5"}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "LE", "AttributeValueList": [{"N": "4"}]}"#,
        "false",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "LT", "AttributeValueList": [{"N": "5"}]}"#,
        "false",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "LT", "AttributeValueList": [{"N": "10"}]}"#,
        "true",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "GE", "AttributeValueList": [{"S": "hello"}]}"#,
        "true",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "GT", "AttributeValueList": [{"S": "Z"}]}"#,
        "true",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "GT", "AttributeValueList": [{"S": "hi"}]}"#,
        "false",
    ),
    (
        "b",
        r#"{"ComparisonOperator": "LT", "AttributeValueList": [{"B": "aQ=="}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "LT", "AttributeValueList": [{"S": "9"}]}"#,
        "false",
    ),
    (
        "q",
        r#"{"ComparisonOperator": "GE", "AttributeValueList": [{"N": "0"}]}"#,
        "false",
    ),
    // NULL / NOT_NULL test existence, not the NULL type
    ("n", r#"{"ComparisonOperator": "NOT_NULL"}"#, "true"),
    (
        "nul",
        r#"{"ComparisonOperator": "NOT_NULL", "AttributeValueList": []}"#,
        "true",
    ),
    ("q", r#"{"ComparisonOperator": "NOT_NULL"}"#, "false"),
    ("q", r#"{"ComparisonOperator": "NULL"}"#, "true"),
    ("nul", r#"{"ComparisonOperator": "NULL"}"#, "false"),
    // CONTAINS / NOT_CONTAINS
    (
        "s",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "ell"}]}"#,
        "true",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "dog"}]}"#,
        "false",
    ),
    (
        "ss",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "a"}]}"#,
        "true",
    ),
    (
        "ns",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"N": "2.0"}]}"#,
        "true",
    ),
    (
        "l",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"N": "1"}]}"#,
        "true",
    ),
    (
        "b",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"B": "aGVyZQ=="}]}"#,
        "true",
    ),
    (
        "m",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "k"}]}"#,
        "false",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"N": "5"}]}"#,
        "false",
    ),
    (
        "q",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"N": "1"}]}"#,
        "false",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "dog"}]}"#,
        "true",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "ell"}]}"#,
        "false",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "1"}]}"#,
        "true",
    ),
    (
        "ss",
        r#"{"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "a"}]}"#,
        "false",
    ),
    (
        "l",
        r#"{"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "7"}]}"#,
        "true",
    ),
    // Row 200: a missing attribute makes NOT_CONTAINS false, like CONTAINS.
    (
        "q",
        r#"{"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "1"}]}"#,
        "false",
    ),
    // BEGINS_WITH
    (
        "s",
        r#"{"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "hel"}]}"#,
        "true",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "el"}]}"#,
        "false",
    ),
    (
        "b",
        r#"{"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"B": "aGk="}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "5"}]}"#,
        "false",
    ),
    (
        "q",
        r#"{"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "h"}]}"#,
        "false",
    ),
    // IN
    (
        "n",
        r#"{"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"N": "2"}]}"#,
        "false",
    ),
    (
        "ns",
        r#"{"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}]}"#,
        "false",
    ),
    (
        "q",
        r#"{"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}]}"#,
        "false",
    ),
    // BETWEEN
    (
        "n",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "6"}, {"N": "9"}]}"#,
        "false",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "a"}, {"S": "z"}]}"#,
        "true",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "a"}, {"S": "z"}]}"#,
        "false",
    ),
    (
        "q",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "0"}, {"N": "9"}]}"#,
        "false",
    ),
    // Value / Exists
    ("n", r#"{"Value": {"N": "5"}}"#, "true"),
    ("n", r#"{"Value": {"N": "6"}}"#, "false"),
    ("q", r#"{"Value": {"N": "5"}}"#, "false"),
    ("n", r#"{"Exists": true, "Value": {"N": "5"}}"#, "true"),
    ("n", r#"{"Exists": true, "Value": {"N": "6"}}"#, "false"),
    ("q", r#"{"Exists": false}"#, "true"),
    ("n", r#"{"Exists": false}"#, "false"),
    // A Value may stand for the list of a one-argument operator.
    (
        "n",
        r#"{"ComparisonOperator": "GT", "Value": {"N": "4"}}"#,
        "true",
    ),
    // Literal names: dots, reserved words.
    ("a.b", r#"{"Value": {"N": "1"}}"#, "true"),
    (
        "size",
        r#"{"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "res"}]}"#,
        "true",
    ),
    // Arity
    (
        "n",
        r#"{"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5"}, {"N": "6"}]}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "NE"}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the NE ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "LT", "AttributeValueList": []}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the LT ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "NULL", "AttributeValueList": [{"N": "5"}]}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "NOT_NULL", "AttributeValueList": [{"N": "5"}]}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the NOT_NULL ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": []}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the CONTAINS ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "a"}, {"S": "b"}]}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the BEGINS_WITH ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "IN", "AttributeValueList": []}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the IN ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}]}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "2"}, {"N": "3"}]}"#,
        "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator",
    ),
    // Argument types
    (
        "l",
        r#"{"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"L": [{"N": "1"}]}]}"#,
        "One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for L AttributeValue type",
    ),
    (
        "l",
        r#"{"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"L": [{"N": "1"}]}]}"#,
        "One or more parameter values were invalid: ComparisonOperator NOT_CONTAINS is not valid for L AttributeValue type",
    ),
    (
        "ss",
        r#"{"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["a"]}]}"#,
        "One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "3"}]}"#,
        "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "IN", "AttributeValueList": [{"N": "3"}, {"S": "dog"}]}"#,
        "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "IN", "AttributeValueList": [{"L": [{"N": "1"}]}]}"#,
        "One or more parameter values were invalid: ComparisonOperator IN is not valid for L AttributeValue type",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "4"}, {"N": "3"}]}"#,
        "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
    ),
    (
        "s",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "dog"}, {"S": "aardvark"}]}"#,
        "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "4"}, {"S": "dog"}]}"#,
        "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type",
    ),
    (
        "ns",
        r#"{"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"NS": ["1"]}, {"NS": ["2"]}]}"#,
        "One or more parameter values were invalid: ComparisonOperator BETWEEN is not valid for NS AttributeValue type",
    ),
    // Shapes (row 201 and its neighbours)
    (
        "n",
        r#"{"Exists": true}"#,
        "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: n",
    ),
    (
        "n",
        r#"{}"#,
        "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: n",
    ),
    (
        "n",
        r#"{"Exists": false, "Value": {"N": "5"}}"#,
        "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: n",
    ),
    (
        "n",
        r#"{"Exists": false, "ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}"#,
        "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: n",
    ),
    (
        "n",
        r#"{"Value": {"N": "3"}, "ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}"#,
        "One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: n",
    ),
    (
        "n",
        r#"{"AttributeValueList": [{"N": "3"}]}"#,
        "One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: n",
    ),
    (
        "n",
        r#"{"ComparisonOperator": "DOG", "AttributeValueList": [{"N": "3"}]}"#,
        "1 validation error detected: Value 'DOG' at 'expected.n.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
    ),
    (
        "n",
        r#"{"Value": {"SS": []}}"#,
        "One or more parameter values were invalid: An string set  may not be empty",
    ),
    (
        "",
        r#"{"Value": {"N": "1"}}"#,
        "One or more parameter values were invalid: Empty attribute name",
    ),
];

/// Runs one `Expected` on the three write operations; each must agree.
fn check_expected(what: &str, expected: &str, conditional_operator: Option<&str>, want: &str) {
    let op_member = conditional_operator
        .map(|o| format!(r#", "ConditionalOperator": "{o}""#))
        .unwrap_or_default();
    for op in ["PutItem", "UpdateItem", "DeleteItem"] {
        let store = store_with(Some(ITEM));
        let before = stored(&store);
        let extra = if op == "UpdateItem" {
            r#", "AttributeUpdates": {"marker": {"Value": {"S": "upd"}}}"#
        } else {
            ""
        };
        let members = format!(r#""Expected": {expected}{op_member}{extra}"#);
        let result = run(&store, op, &members);
        let what = format!("{what} via {op}");
        match want {
            "true" => {
                result.unwrap_or_else(|e| panic!("{what}: {e:?}"));
                let after = stored(&store);
                match op {
                    "DeleteItem" => assert_eq!(after, None, "{what}"),
                    "PutItem" => assert_eq!(after.unwrap()["marker"], AttributeValue::s("put")),
                    _ => assert_eq!(after.unwrap()["marker"], AttributeValue::s("upd")),
                }
            }
            "false" => check_error(&what, &store, &before, result, "CCF"),
            message => check_error(&what, &store, &before, result, message),
        }
    }
}

#[test]
fn expected_every_operator() {
    for (attribute, entry, want) in EXPECTED_CASES {
        let expected = format!(r#"{{"{attribute}": {entry}}}"#);
        check_expected(&format!("{attribute} {entry}"), &expected, None, want);
    }
}

#[test]
fn expected_on_a_missing_item() {
    // Every attribute is absent: NE, NULL and Exists false hold.
    for (entry, want) in [
        (
            r#"{"n": {"ComparisonOperator": "NE", "AttributeValueList": [{"N": "5"}]}}"#,
            true,
        ),
        (r#"{"n": {"ComparisonOperator": "NULL"}}"#, true),
        (r#"{"p": {"Exists": false}}"#, true),
        (
            r#"{"n": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "5"}]}}"#,
            false,
        ),
        (r#"{"n": {"Value": {"N": "5"}}}"#, false),
    ] {
        let store = store_with(None);
        let result = run(
            &store,
            "UpdateItem",
            &format!(
                r#""Expected": {entry}, "AttributeUpdates": {{"z": {{"Value": {{"N": "1"}}}}}}"#
            ),
        );
        if want {
            result.unwrap();
            assert_eq!(
                stored(&store),
                Some(item(r#"{"p": {"S": "k"}, "z": {"N": "1"}}"#))
            );
        } else {
            check_error(entry, &store, &None, result, "CCF");
        }
    }
}

#[test]
fn conditional_operator_and_or() {
    let two_true = r#"{"n": {"Value": {"N": "5"}}, "q": {"Exists": false}}"#;
    let one_true = r#"{"n": {"Value": {"N": "6"}}, "q": {"Exists": false}}"#;
    let none_true = r#"{"n": {"Value": {"N": "6"}}, "s": {"Exists": false}, "q": {"ComparisonOperator": "NOT_NULL"}}"#;
    let cases: &[(&str, Option<&str>, &str)] = &[
        (two_true, None, "true"),
        (two_true, Some("AND"), "true"),
        (one_true, None, "false"),
        (one_true, Some("AND"), "false"),
        (one_true, Some("OR"), "true"),
        (none_true, Some("OR"), "false"),
        (
            r#"{"n": {"Value": {"N": "5"}}}"#,
            Some("OR"),
            "ConditionalOperator can only be used when Filter or Expected has two or more elements",
        ),
        (
            "{}",
            Some("AND"),
            "ConditionalOperator cannot be used without Filter or Expected",
        ),
        (
            two_true,
            Some("or"),
            "1 validation error detected: Value 'or' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]",
        ),
        // An empty Expected alone is no condition.
        ("{}", None, "true"),
    ];
    for (expected, operator, want) in cases {
        check_expected(
            &format!("{expected} {operator:?}"),
            expected,
            *operator,
            want,
        );
    }
    // ConditionalOperator without any Expected.
    for op in ["PutItem", "UpdateItem", "DeleteItem"] {
        let store = store_with(Some(ITEM));
        let before = stored(&store);
        let result = run(&store, op, r#""ConditionalOperator": "AND""#);
        check_error(
            op,
            &store,
            &before,
            result,
            "ConditionalOperator cannot be used without Filter or Expected",
        );
    }
}

// ---------------------------------------------------------------------------
// Mixing generations, placeholder maps without expressions

#[test]
fn mixing_errors() {
    let mix = |legacy: &str, expr: &str| {
        format!(
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{legacy}}} Expression parameters: {{{expr}}}"
        )
    };
    let expected = r#""Expected": {"n": {"Value": {"N": "5"}}}"#;
    let updates = r#""AttributeUpdates": {"n": {"Value": {"N": "6"}}}"#;
    let condition = r#""ConditionExpression": "attribute_exists(p)""#;
    let update =
        r#""UpdateExpression": "SET n = :v", "ExpressionAttributeValues": {":v": {"N": "7"}}"#;
    let cases: Vec<(&str, String, String)> = vec![
        ("PutItem", format!("{expected}, {condition}"), mix("Expected", "ConditionExpression")),
        ("DeleteItem", format!("{expected}, {condition}"), mix("Expected", "ConditionExpression")),
        ("UpdateItem", format!("{expected}, {condition}"), mix("Expected", "ConditionExpression")),
        ("UpdateItem", format!("{expected}, {update}"), mix("Expected", "UpdateExpression")),
        ("UpdateItem", format!("{updates}, {condition}"), mix("AttributeUpdates", "ConditionExpression")),
        ("UpdateItem", format!("{updates}, {update}"), mix("AttributeUpdates", "UpdateExpression")),
        (
            "UpdateItem",
            format!(r#"{updates}, {expected}, "ConditionalOperator": "AND", {update}, {condition}"#),
            mix(
                "AttributeUpdates, Expected, ConditionalOperator",
                "UpdateExpression, ConditionExpression",
            ),
        ),
        (
            "PutItem",
            format!(r#""ConditionalOperator": "AND", {condition}"#),
            mix("ConditionalOperator", "ConditionExpression"),
        ),
        (
            "GetItem",
            r#""AttributesToGet": ["n"], "ProjectionExpression": "s""#.to_owned(),
            mix("AttributesToGet", "ProjectionExpression"),
        ),
        (
            "PutItem",
            format!(r#"{expected}, "ExpressionAttributeValues": {{":v": {{"N": "1"}}}}"#),
            "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null".to_owned(),
        ),
        (
            "DeleteItem",
            format!(r#"{expected}, "ExpressionAttributeValues": {{":v": {{"N": "1"}}}}"#),
            "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null".to_owned(),
        ),
        (
            "UpdateItem",
            format!(r#"{updates}, "ExpressionAttributeValues": {{":v": {{"N": "1"}}}}"#),
            "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null".to_owned(),
        ),
        (
            "UpdateItem",
            format!(r##"{updates}, "ExpressionAttributeNames": {{"#n": "n"}}"##),
            "ExpressionAttributeNames can only be specified when using expressions".to_owned(),
        ),
        (
            "GetItem",
            r##""AttributesToGet": ["n"], "ExpressionAttributeNames": {"#n": "n"}"##.to_owned(),
            "ExpressionAttributeNames can only be specified when using expressions".to_owned(),
        ),
    ];
    for (op, members, want) in cases {
        let store = store_with(Some(ITEM));
        let before = stored(&store);
        let result = run(&store, op, &members);
        check_error(&format!("{op} {members}"), &store, &before, result, &want);
    }
}

#[test]
fn table_name_is_checked_before_mixing() {
    let store = store_with(Some(ITEM));
    let request = json!({"TableName": "x!y", "Key": {"p": {"S": "k"}},
        "Expected": {"n": {"Value": {"N": "5"}}}, "ConditionExpression": "attribute_exists(p)"});
    let e = store
        .delete_item(wire::from_value(request).unwrap())
        .unwrap_err();
    assert_eq!(
        e.message(),
        "1 validation error detected: Value 'x!y' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    );
}

// ---------------------------------------------------------------------------
// AttributeUpdates

/// (stored item or None, AttributeUpdates, stored item afterwards (None: no
/// item) or an exact message)
/// Stored item afterwards (`None`: no item), or the exact message.
type UpdateOutcome = Result<Option<&'static str>, &'static str>;

const UPDATE_CASES: &[(Option<&str>, &str, UpdateOutcome)] = &[
    // PUT, the default action
    (
        Some(r#"{"a": {"N": "1"}}"#),
        r#"{"a": {"Value": {"S": "x"}, "Action": "PUT"}}"#,
        Ok(Some(r#"{"a": {"S": "x"}}"#)),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Value": {"L": [{"N": "1"}]}}}"#,
        Ok(Some(r#"{"a": {"L": [{"N": "1"}]}}"#)),
    ),
    (
        None,
        r#"{"a": {"Value": {"N": "1"}}}"#,
        Ok(Some(r#"{"a": {"N": "1"}}"#)),
    ),
    (
        Some(r#"{}"#),
        r#"{"a.b": {"Value": {"N": "1"}}, "name": {"Value": {"N": "2"}}}"#,
        Ok(Some(r#"{"a.b": {"N": "1"}, "name": {"N": "2"}}"#)),
    ),
    // ADD: numbers, sets and lists
    (
        Some(r#"{"a": {"N": "1"}}"#),
        r#"{"a": {"Value": {"N": "2.5"}, "Action": "ADD"}}"#,
        Ok(Some(r#"{"a": {"N": "3.5"}}"#)),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Value": {"N": "-2"}, "Action": "ADD"}}"#,
        Ok(Some(r#"{"a": {"N": "-2"}}"#)),
    ),
    (
        None,
        r#"{"a": {"Value": {"N": "3"}, "Action": "ADD"}}"#,
        Ok(Some(r#"{"a": {"N": "3"}}"#)),
    ),
    (
        Some(r#"{"a": {"SS": ["x"]}}"#),
        r#"{"a": {"Value": {"SS": ["y", "x"]}, "Action": "ADD"}}"#,
        Ok(Some(r#"{"a": {"SS": ["x", "y"]}}"#)),
    ),
    (
        Some(r#"{"a": {"NS": ["1"]}}"#),
        r#"{"a": {"Value": {"NS": ["1.0", "2"]}, "Action": "ADD"}}"#,
        Ok(Some(r#"{"a": {"NS": ["1", "2"]}}"#)),
    ),
    (
        Some(r#"{"a": {"L": [{"N": "1"}]}}"#),
        r#"{"a": {"Value": {"L": [{"N": "1"}, {"S": "x"}]}, "Action": "ADD"}}"#,
        Ok(Some(
            r#"{"a": {"L": [{"N": "1"}, {"N": "1"}, {"S": "x"}]}}"#,
        )),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Value": {"L": [{"S": "x"}]}, "Action": "ADD"}}"#,
        Ok(Some(r#"{"a": {"L": [{"S": "x"}]}}"#)),
    ),
    (
        None,
        r#"{"a": {"Value": {"L": []}, "Action": "ADD"}}"#,
        Ok(Some(r#"{"a": {"L": []}}"#)),
    ),
    (
        Some(r#"{"a": {"S": "x"}}"#),
        r#"{"a": {"Value": {"L": [{"S": "x"}]}, "Action": "ADD"}}"#,
        Err("Type mismatch for attribute to update"),
    ),
    (
        Some(r#"{"a": {"S": "x"}}"#),
        r#"{"a": {"Value": {"N": "1"}, "Action": "ADD"}}"#,
        Err("Type mismatch for attribute to update"),
    ),
    (
        Some(r#"{"a": {"NS": ["1"]}}"#),
        r#"{"a": {"Value": {"SS": ["1"]}, "Action": "ADD"}}"#,
        Err("Type mismatch for attribute to update"),
    ),
    (
        Some(r#"{"a": {"L": []}}"#),
        r#"{"a": {"Value": {"NS": ["1"]}, "Action": "ADD"}}"#,
        Err("Type mismatch for attribute to update"),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Value": {"S": "x"}, "Action": "ADD"}}"#,
        Err(
            "One or more parameter values were invalid: ADD action is not supported for the type S",
        ),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Value": {"M": {}}, "Action": "ADD"}}"#,
        Err(
            "One or more parameter values were invalid: ADD action is not supported for the type M",
        ),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Action": "ADD"}}"#,
        Err(
            "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
        ),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {}}"#,
        Err(
            "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
        ),
    ),
    (
        Some(r#"{"a": {"N": "9.9999999999999999999999999999999999999E+125"}}"#),
        r#"{"a": {"Value": {"N": "9E+125"}, "Action": "ADD"}}"#,
        Err(
            "Number overflow. Attempting to store a number with magnitude larger than supported range",
        ),
    ),
    // DELETE with and without a value
    (
        Some(r#"{"a": {"N": "1"}, "b": {"N": "2"}}"#),
        r#"{"a": {"Action": "DELETE"}}"#,
        Ok(Some(r#"{"b": {"N": "2"}}"#)),
    ),
    (
        Some(r#"{"b": {"N": "2"}}"#),
        r#"{"a": {"Action": "DELETE"}}"#,
        Ok(Some(r#"{"b": {"N": "2"}}"#)),
    ),
    (
        Some(r#"{"a": {"SS": ["x", "y"]}}"#),
        r#"{"a": {"Value": {"SS": ["x", "z"]}, "Action": "DELETE"}}"#,
        Ok(Some(r#"{"a": {"SS": ["y"]}}"#)),
    ),
    (
        Some(r#"{"a": {"NS": ["1", "2"]}}"#),
        r#"{"a": {"Value": {"NS": ["2.0", "1"]}, "Action": "DELETE"}}"#,
        Ok(Some(r#"{}"#)),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Value": {"SS": ["x"]}, "Action": "DELETE"}}"#,
        Ok(Some(r#"{}"#)),
    ),
    (
        Some(r#"{"a": {"NS": ["1"]}}"#),
        r#"{"a": {"Value": {"SS": ["x"]}, "Action": "DELETE"}}"#,
        Err("Type mismatch for attribute to update"),
    ),
    (
        Some(r#"{"a": {"S": "x"}}"#),
        r#"{"a": {"Value": {"SS": ["x"]}, "Action": "DELETE"}}"#,
        Err("Type mismatch for attribute to update"),
    ),
    (
        Some(r#"{"a": {"N": "1"}}"#),
        r#"{"a": {"Value": {"N": "1"}, "Action": "DELETE"}}"#,
        Err(
            "One or more parameter values were invalid: DELETE action with value is not supported for the type N",
        ),
    ),
    // Keys, actions, values
    (
        Some(r#"{}"#),
        r#"{"p": {"Value": {"S": "k"}}}"#,
        Err(
            "One or more parameter values were invalid: Cannot update attribute p. This attribute is part of the key",
        ),
    ),
    (
        Some(r#"{}"#),
        r#"{"p": {"Action": "DELETE"}}"#,
        Err(
            "One or more parameter values were invalid: Cannot update attribute p. This attribute is part of the key",
        ),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Value": {"N": "1"}, "Action": "put"}}"#,
        Err(
            "1 validation error detected: Value 'put' at 'attributeUpdates.a.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
        ),
    ),
    (
        Some(r#"{}"#),
        r#"{"a": {"Value": {"NS": []}}}"#,
        Err("One or more parameter values were invalid: An number set  may not be empty"),
    ),
    (
        Some(r#"{}"#),
        r#"{"": {"Value": {"N": "1"}}}"#,
        Err("One or more parameter values were invalid: Empty attribute name"),
    ),
    // Several actions at once: all read the old item; one failure changes nothing.
    (
        Some(r#"{"a": {"N": "1"}, "b": {"SS": ["x"]}}"#),
        r#"{"a": {"Value": {"N": "1"}, "Action": "ADD"}, "b": {"Action": "DELETE"}, "c": {"Value": {"BOOL": true}}}"#,
        Ok(Some(r#"{"a": {"N": "2"}, "c": {"BOOL": true}}"#)),
    ),
    (
        Some(r#"{"a": {"N": "1"}, "b": {"S": "x"}}"#),
        r#"{"a": {"Value": {"N": "1"}, "Action": "ADD"}, "b": {"Value": {"N": "1"}, "Action": "ADD"}}"#,
        Err("Type mismatch for attribute to update"),
    ),
    // An empty AttributeUpdates changes nothing but creates a missing item.
    (None, r#"{}"#, Ok(Some(r#"{}"#))),
    (
        Some(r#"{"a": {"N": "1"}}"#),
        r#"{}"#,
        Ok(Some(r#"{"a": {"N": "1"}}"#)),
    ),
    // DELETE alone on a missing item creates nothing (as REMOVE does).
    (None, r#"{"a": {"Action": "DELETE"}}"#, Ok(None)),
];

/// Adds the key `p = k` to an item given without it.
fn with_key(json: &str) -> Item {
    let mut i = item(json);
    i.insert("p".into(), AttributeValue::s("k"));
    i
}

#[test]
fn attribute_updates_actions() {
    for (before, updates, want) in UPDATE_CASES {
        let store = store_with(*before);
        let old = stored(&store);
        let result = run(
            &store,
            "UpdateItem",
            &format!(r#""AttributeUpdates": {updates}"#),
        );
        let what = format!("{before:?} {updates}");
        match want {
            Ok(after) => {
                result.unwrap_or_else(|e| panic!("{what}: {e:?}"));
                assert_eq!(stored(&store), after.map(with_key), "{what}");
            }
            Err(message) => check_error(&what, &store, &old, result, message),
        }
    }
}

#[test]
fn attribute_updates_return_values() {
    let before = r#"{"a": {"N": "1"}, "b": {"SS": ["x", "y"]}, "c": {"S": "keep"}, "l": {"L": [{"N": "1"}]}}"#;
    let updates = r#"{"a": {"Value": {"N": "2"}, "Action": "ADD"}, "b": {"Value": {"SS": ["x"]}, "Action": "DELETE"},
        "l": {"Value": {"L": [{"N": "2"}]}, "Action": "ADD"}, "d": {"Value": {"S": "new"}}, "gone": {"Action": "DELETE"}}"#;
    let cases: &[(&str, Option<&str>)] = &[
        ("NONE", None),
        ("ALL_OLD", Some(before)),
        (
            "ALL_NEW",
            Some(
                r#"{"a": {"N": "3"}, "b": {"SS": ["y"]}, "c": {"S": "keep"}, "l": {"L": [{"N": "1"}, {"N": "2"}]}, "d": {"S": "new"}}"#,
            ),
        ),
        (
            "UPDATED_OLD",
            Some(r#"{"a": {"N": "1"}, "b": {"SS": ["x", "y"]}, "l": {"L": [{"N": "1"}]}}"#),
        ),
        (
            "UPDATED_NEW",
            Some(
                r#"{"a": {"N": "3"}, "b": {"SS": ["y"]}, "l": {"L": [{"N": "1"}, {"N": "2"}]}, "d": {"S": "new"}}"#,
            ),
        ),
    ];
    for (rv, want) in cases {
        let store = store_with(Some(before));
        let out = run(
            &store,
            "UpdateItem",
            &format!(r#""AttributeUpdates": {updates}, "ReturnValues": "{rv}""#),
        )
        .unwrap();
        let got = out
            .get("Attributes")
            .map(|a| wire::from_value::<Item>(a.clone()).unwrap());
        let want = want.map(|w| {
            let mut i = item(w);
            if matches!(*rv, "ALL_OLD" | "ALL_NEW") {
                i.insert("p".into(), AttributeValue::s("k"));
            }
            i
        });
        assert_eq!(got, want, "{rv}");
    }
    // An empty AttributeUpdates on a new key: ALL_NEW is the key, UPDATED_* nothing.
    for (rv, want) in [
        ("ALL_NEW", Some(r#"{"p": {"S": "k"}}"#)),
        ("UPDATED_NEW", None),
        ("UPDATED_OLD", None),
    ] {
        let store = store_with(None);
        let out = run(
            &store,
            "UpdateItem",
            &format!(r#""AttributeUpdates": {{}}, "ReturnValues": "{rv}""#),
        )
        .unwrap();
        let got = out
            .get("Attributes")
            .map(|a| wire::from_value::<Item>(a.clone()).unwrap());
        assert_eq!(got, want.map(item), "{rv}");
    }
}

#[test]
fn failed_legacy_condition_returns_the_old_item_on_request() {
    let store = store_with(Some(r#"{"a": {"N": "1"}}"#));
    let before = stored(&store);
    let e = run(
        &store,
        "UpdateItem",
        r#""AttributeUpdates": {"a": {"Value": {"N": "2"}}}, "Expected": {"a": {"Value": {"N": "9"}}},
           "ReturnValuesOnConditionCheckFailure": "ALL_OLD", "ReturnValues": "ALL_NEW""#,
    )
    .unwrap_err();
    match &e {
        Error::ConditionalCheckFailed { item, .. } => {
            assert_eq!(item.as_deref(), before.as_ref());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(stored(&store), before);
    // The same condition holding: the update and condition share the old item.
    let out = run(
        &store,
        "UpdateItem",
        r#""AttributeUpdates": {"a": {"Value": {"N": "2"}, "Action": "ADD"}}, "Expected": {"a": {"Value": {"N": "1"}}},
           "ReturnValues": "UPDATED_NEW""#,
    )
    .unwrap();
    assert_eq!(out["Attributes"], json!({"a": {"N": "3"}}));
}

// ---------------------------------------------------------------------------
// AttributesToGet

#[test]
fn attributes_to_get_on_get_item() {
    let store = store_with(Some(ITEM));
    let get = |names: &str| run(&store, "GetItem", &format!(r#""AttributesToGet": {names}"#));
    let out = get(r#"["n", "a.b", "size", "missing"]"#).unwrap();
    assert_eq!(
        wire::from_value::<Item>(out["Item"].clone()).unwrap(),
        item(r#"{"n": {"N": "5"}, "a.b": {"N": "1"}, "size": {"S": "reserved"}}"#)
    );
    let out = get(r#"["missing"]"#).unwrap();
    assert_eq!(out["Item"], json!({}));
    assert_eq!(
        get(r#"["n", "n"]"#).unwrap_err().message(),
        "One or more parameter values were invalid: Duplicate value in attribute name: n"
    );
    assert_eq!(
        get("[]").unwrap_err().message(),
        "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
    let empty = store_with(None);
    let out = run(&empty, "GetItem", r#""AttributesToGet": ["n"]"#).unwrap();
    assert!(out.get("Item").is_none());
}

// ---------------------------------------------------------------------------
// The translation against a hand-written model of the legacy semantics

/// The legacy semantics, written out independently of the translation:
/// `Err(())` for a request DynamoDB rejects, else whether the entry holds.
fn model(
    op: ComparisonOperator,
    attr: Option<&AttributeValue>,
    args: &[AttributeValue],
) -> Result<bool, ()> {
    use AttributeValue as V;
    use ComparisonOperator as Op;
    if !op.is_known() {
        return Err(());
    }
    let arity = match op {
        Op::Null | Op::NotNull => args.is_empty(),
        Op::In => !args.is_empty(),
        Op::Between => args.len() == 2,
        _ => args.len() == 1,
    };
    if !arity {
        return Err(());
    }
    let scalar = |v: &V| matches!(v, V::S(_) | V::N(_) | V::B(_));
    let typed_ok = match op {
        Op::Eq | Op::Ne | Op::Null | Op::NotNull => true,
        Op::BeginsWith => args.iter().all(|v| matches!(v, V::S(_) | V::B(_))),
        _ => args.iter().all(scalar),
    };
    if !typed_ok {
        return Err(());
    }
    let same_type = |a: &V, b: &V| std::mem::discriminant(a) == std::mem::discriminant(b);
    if matches!(op, Op::In | Op::Between) && args.iter().any(|a| !same_type(a, &args[0])) {
        return Err(());
    }
    let cmp = |a: &V, b: &V| -> Option<std::cmp::Ordering> {
        match (a, b) {
            (V::S(x), V::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
            (V::N(x), V::N(y)) => Some(x.cmp(y)),
            (V::B(x), V::B(y)) => Some(x.cmp(y)),
            _ => None,
        }
    };
    if op == Op::Between && cmp(&args[0], &args[1]) == Some(std::cmp::Ordering::Greater) {
        return Err(());
    }
    let contains = |a: &V, x: &V| match (a, x) {
        (V::S(s), V::S(t)) => s.contains(t.as_str()),
        (V::B(s), V::B(t)) => t.is_empty() || s.windows(t.len()).any(|w| w == t.as_slice()),
        (V::Ss(set), V::S(t)) => set.contains(t),
        (V::Ns(set), V::N(t)) => set.contains(t),
        (V::Bs(set), V::B(t)) => set.contains(t),
        (V::L(list), x) => list.contains(x),
        _ => false,
    };
    Ok(match (op, attr) {
        (Op::NotNull, a) => a.is_some(),
        (Op::Null, a) => a.is_none(),
        (Op::Ne, None) => true,
        (_, None) => false,
        (Op::Eq, Some(a)) => a == &args[0],
        (Op::Ne, Some(a)) => a != &args[0],
        (Op::Lt, Some(a)) => cmp(a, &args[0]).is_some_and(|o| o.is_lt()),
        (Op::Le, Some(a)) => cmp(a, &args[0]).is_some_and(|o| o.is_le()),
        (Op::Gt, Some(a)) => cmp(a, &args[0]).is_some_and(|o| o.is_gt()),
        (Op::Ge, Some(a)) => cmp(a, &args[0]).is_some_and(|o| o.is_ge()),
        (Op::Contains, Some(a)) => contains(a, &args[0]),
        (Op::NotContains, Some(a)) => !contains(a, &args[0]),
        (Op::BeginsWith, Some(a)) => match (a, &args[0]) {
            (V::S(s), V::S(t)) => s.starts_with(t.as_str()),
            (V::B(s), V::B(t)) => s.starts_with(t),
            _ => false,
        },
        (Op::In, Some(a)) => args.contains(a),
        (Op::Between, Some(a)) => {
            cmp(&args[0], a).is_some_and(|o| o.is_le())
                && cmp(a, &args[1]).is_some_and(|o| o.is_le())
        }
        // DynamoDB refuses an operator it does not know.
        (Op::Unknown(_), Some(_)) => return Err(()),
    })
}

fn scalar() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        prop::sample::select(vec!["", "a", "ab", "b", "hello", "ell"]).prop_map(AttributeValue::s),
        prop::sample::select(vec!["-1", "0", "1", "1.0", "2.5", "10"])
            .prop_map(|n| AttributeValue::N(n.parse::<Number>().unwrap())),
        prop::sample::select(vec![vec![], vec![0u8], vec![0, 1], vec![1]])
            .prop_map(AttributeValue::B),
    ]
}

fn any_value() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        4 => scalar(),
        1 => prop::collection::btree_set(prop::sample::select(vec!["a", "b", "ab"]), 1..3)
            .prop_map(|s| AttributeValue::Ss(s.into_iter().map(String::from).collect())),
        1 => prop::collection::btree_set(prop::sample::select(vec!["0", "1", "2.5"]), 1..3)
            .prop_map(|s| AttributeValue::Ns(s.into_iter().map(|n| n.parse().unwrap()).collect())),
        1 => prop::collection::vec(scalar(), 0..3).prop_map(AttributeValue::L),
        1 => Just(AttributeValue::Null),
        1 => any::<bool>().prop_map(AttributeValue::Bool),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn translation_agrees_with_the_model(
        attr in prop::option::of(any_value()),
        op in prop::sample::select(ComparisonOperator::ALL.to_vec()),
        args in prop::collection::vec(any_value(), 0..4),
    ) {
        let mut stored = Item::new();
        if let Some(a) = &attr {
            stored.insert("x".into(), a.clone());
        }
        let mut expected = ExpectedMap::new();
        expected.insert("x".into(), ExpectedAttributeValue::compare(op.clone(), args.clone()));
        let translated = legacy::expected(Some(&expected), None);
        let want = model(op.clone(), attr.as_ref(), &args);
        match (translated, want) {
            (Ok(Some(c)), Ok(holds)) => prop_assert_eq!(c.bind().unwrap().evaluate(&stored), holds),
            (Err(e), Err(())) => prop_assert_eq!(e.type_name(), "ValidationException"),
            (got, want) => prop_assert!(false, "{op} {attr:?} {args:?}: got {got:?}, model {want:?}"),
        }
    }
}
