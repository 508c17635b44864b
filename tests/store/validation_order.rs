//! Which error wins when one request has several problems (spec
//! validation.md §5): for every operation, a table of requests that each
//! carry two or more problems, sent as DynamoDB JSON through
//! [`dispatch`] (so the decoder sees absent members and JSON nulls exactly as
//! a client sends them), with the exception type (`__type` after `#`) and the
//! exact message that must win.
//!
//! The order the cases rely on (§5.1):
//! 1. control-plane `TableName` pre-check (§4, §5.1 step 3);
//! 2. the constraint layer (§3): every failure aggregated,
//!    `N validation error(s) detected: ` joined with `; `, at most ten, in the
//!    order §3.6 pins (PutItem, DeleteItem, UpdateItem);
//! 3. static service checks that need no table (§5.2, §7.1);
//! 4. table lookup (`ResourceNotFoundException`);
//! 5. checks against the key schema;
//! 6. data (conditions).
//!
//! Rules for the table:
//! - Every case runs on a fresh store holding [`T`] (`p` S) and [`TC`]
//!   (`p` S + `c` N), with a few items; [`MISSING`] and the two-character
//!   `ab` name no table (1–2 character names pass the data-plane constraint
//!   layer, §3.5, and then are not found).
//! - A failing request changes nothing: the tables and their items (a Scan
//!   of each) are compared before and after every case.
//! - Where the spec does not pin the order of two problems, the combination
//!   is left out, or (when the spec pins only that the failures are
//!   aggregated, or that two messages are *not* aggregated) checked without
//!   an order: [`Expect::Aggregated`] and [`Expect::OneOf`]. Combinations
//!   left out on purpose are listed in comments beside each operation.
//! - Orders inside the static step come only from §5.2's per-operation lists,
//!   §7.1's "evaluated after the mixing check" and §7.3's TransactGetItems
//!   order; such cases cite the section in a comment. §5.2 marks where its sources disagree (PutItem: attribute
//!   values vs mixing), and those pairs are left out.
//!
//! Cases in [`KNOWN`] are crate bugs against the spec: they are run, reported
//! and skipped, and the test fails if one of them starts passing (so the
//! list only shrinks).

mod ttl;

use dynacond::api::{ListTablesInput, ScanInput};
use dynacond::protocol::{TARGET_PREFIX, dispatch};
use dynacond::{Item, Store};
use regex::Regex;
use serde_json::Value;

mod control_plane;

/// Cases where the crate contradicts the spec: (case name, reason).
const KNOWN: &[(&str, &str)] = &[(
    "create/capacity-check-precedes-key-schema-length",
    "§5.2 CreateTable [PAR-up]: three KeySchema elements without ProvisionedThroughput \
         get the ReadCapacityUnits sentence; the crate reports the keySchema constraint (and \
         accepts an omitted BillingMode without throughput)",
)];

/// A table with a hash key `p` (S).
const T: &str = "tbl";
/// A table with a hash key `p` (S) and a range key `c` (N).
const TC: &str = "tbl_c";
/// A valid name of no table.
const MISSING: &str = "nope";

// ---------------------------------------------------------------------------
// Expected messages

const NOT_FOUND: &str = "Requested resource not found";
const PATTERN: &str = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+";
const RV_SET: &str = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]";
const RCC_SET: &str = "[INDEXES, TOTAL, NONE]";
const RICM_SET: &str = "[SIZE, NONE]";
const SELECT_SET: &str = "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]";
const KEY_TYPE_SET: &str = "[HASH, RANGE]";
const ATTRIBUTE_TYPE_SET: &str = "[B, N, S]";
const ACTION_SET: &str = "[ADD, PUT, DELETE]";
const COMPARISON_SET: &str =
    "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";

const KEY_MISMATCH: &str = "The provided key element does not match the schema";
const MIXING: &str =
    "Can not use both expression and non-expression parameters in the same request";
const CONTROL_PLANE_MISSING: &str =
    "The parameter 'TableName' is required but was not present in the request";
const CONTROL_PLANE_LENGTH: &str =
    "TableName must be at least 3 characters long and at most 255 characters long";
const RETURN_VALUES_PUT: &str = "ReturnValues can only be ALL_OLD or NONE";
const EMPTY_STRING_SET: &str =
    "One or more parameter values were invalid: An string set  may not be empty";
const ONE_ITEM: &str = "Transaction request cannot include multiple operations on one item";

/// One constraint failure: `Value '<v>' at '<member>' failed to satisfy constraint: <rule>`.
fn fail(value: &str, member: &str, rule: &str) -> String {
    format!("Value '{value}' at '{member}' failed to satisfy constraint: {rule}")
}

/// A required member that is absent or null.
fn fail_null(member: &str) -> String {
    format!("Value null at '{member}' failed to satisfy constraint: Member must not be null")
}

fn enum_rule(set: &str) -> String {
    format!("Member must satisfy enum value set: {set}")
}

fn min_len(n: usize) -> String {
    format!("Member must have length greater than or equal to {n}")
}

fn max_len(n: usize) -> String {
    format!("Member must have length less than or equal to {n}")
}

fn min_value(n: i64) -> String {
    format!("Member must have value greater than or equal to {n}")
}

fn max_value(n: i64) -> String {
    format!("Member must have value less than or equal to {n}")
}

/// A constraint-layer message with exactly one failure.
fn one(failure: &str) -> String {
    format!("1 validation error detected: {failure}")
}

fn mixing(legacy: &str, expressions: &str) -> String {
    format!(
        "{MIXING}: Non-expression parameters: {{{legacy}}} Expression parameters: {{{expressions}}}"
    )
}

/// Query's `Limit` (M41): no value, capital `L`.
fn query_limit() -> String {
    one(
        "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    )
}

// ---------------------------------------------------------------------------
// Cases

/// What a case's reply must be.
enum Expect {
    /// This exception type (after `#`) with exactly this message.
    Error(&'static str, String),
    /// A ValidationException whose whole message matches this pattern.
    Matches(String),
    /// A ValidationException with one of these messages (the spec pins that
    /// the problems are not aggregated, not which one DynamoDB reports).
    OneOf(Vec<String>),
    /// A constraint-layer ValidationException listing `total` distinct
    /// failures out of `failures` (all of them when there are `total`), with
    /// the right count word and `; ` joins; the failures of `ordered` that
    /// appear come in that order (§3.6), the others in any order.
    Aggregated {
        total: usize,
        failures: Vec<String>,
        ordered: Vec<String>,
    },
    /// A TransactionCanceledException with this message and these reason
    /// codes (and, where given, reason messages).
    Cancelled(String, Vec<(&'static str, Option<&'static str>)>),
}

fn ve(message: impl Into<String>) -> Expect {
    Expect::Error("ValidationException", message.into())
}

fn not_found() -> Expect {
    Expect::Error("ResourceNotFoundException", NOT_FOUND.into())
}

fn aggregated(failures: Vec<String>) -> Expect {
    Expect::Aggregated {
        total: failures.len(),
        failures,
        ordered: Vec::new(),
    }
}

struct Case {
    name: String,
    body: String,
    expect: Expect,
}

fn case(name: impl Into<String>, body: impl Into<String>, expect: Expect) -> Case {
    Case {
        name: name.into(),
        body: body.into(),
        expect,
    }
}

/// `n` keys `{"p": {"S": "<prefix><i>"}}`, comma-separated.
fn keys(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!(r#"{{"p": {{"S": "{prefix}{i}"}}}}"#))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A name of `len` characters that also breaks the pattern (`!` first).
fn long_bad_name(len: usize) -> String {
    format!("!{}", "a".repeat(len - 1))
}

fn get_item() -> Vec<Case> {
    // Left out: TableName and Key both null (a 2-failure message whose
    // order §3.6 does not pin for GetItem).
    vec![
        case(
            "get/constraint-beats-mixing",
            r#"{"TableName": "bad!name", "Key": {"p": {"S": "a"}}, "AttributesToGet": ["v"], "ProjectionExpression": "v"}"#,
            ve(one(&fail("bad!name", "tableName", PATTERN))),
        ),
        case(
            "get/null-table-name-beats-bad-projection",
            r#"{"TableName": null, "Key": {"p": {"S": "a"}}, "ProjectionExpression": "!!!"}"#,
            ve(one(&fail_null("tableName"))),
        ),
        case(
            // The empty name reports only its length, not the pattern (§3.5).
            "get/empty-table-name-beats-bad-projection",
            r#"{"TableName": "", "Key": {"p": {"S": "a"}}, "ProjectionExpression": "!!!"}"#,
            ve(one(&fail("", "tableName", &min_len(1)))),
        ),
        case(
            "get/empty-attributes-to-get-beats-mixing",
            r#"{"TableName": "tbl", "Key": {"p": {"S": "a"}}, "AttributesToGet": [], "ProjectionExpression": "v"}"#,
            ve(one(&fail("[]", "attributesToGet", &min_len(1)))),
        ),
        case(
            // Enum values are case-sensitive (§3.4).
            "get/capacity-enum-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "ReturnConsumedCapacity": "total"}"#,
            ve(one(&fail(
                "total",
                "returnConsumedCapacity",
                &enum_rule(RCC_SET),
            ))),
        ),
        case(
            "get/constraint-beats-invalid-key-value",
            r#"{"TableName": "no such!tbl", "Key": {"p": {"SS": []}}}"#,
            ve(one(&fail("no such!tbl", "tableName", PATTERN))),
        ),
        case(
            "get/mixing-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "AttributesToGet": ["v"], "ProjectionExpression": "v"}"#,
            ve(mixing("AttributesToGet", "ProjectionExpression")),
        ),
        case(
            "get/projection-syntax-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "ProjectionExpression": "!!! INVALID !!!"}"#,
            ve(r#"Invalid ProjectionExpression: Syntax error; token: "!", near: "!!""#),
        ),
        case(
            // §5.2 GetItem; §11.2 leaves this open and recommends "before
            // the lookup".
            "get/unused-name-beats-missing-table",
            r##"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "ProjectionExpression": "v", "ExpressionAttributeNames": {"#u": "u"}}"##,
            ve("Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"),
        ),
        case(
            "get/invalid-key-value-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"SS": []}}}"#,
            ve(EMPTY_STRING_SET),
        ),
        case(
            // §5.2 GetItem: mixing, then Key values.
            "get/mixing-beats-invalid-key-value",
            r#"{"TableName": "tbl", "Key": {"p": {"SS": []}}, "AttributesToGet": ["v"], "ProjectionExpression": "v"}"#,
            ve(mixing("AttributesToGet", "ProjectionExpression")),
        ),
        case(
            "get/missing-table-beats-key-schema",
            r#"{"TableName": "nope", "Key": {"x": {"N": "1"}}}"#,
            not_found(),
        ),
        case(
            "get/two-character-name-is-not-found",
            r#"{"TableName": "ab", "Key": {"x": {"N": "1"}}, "ProjectionExpression": "v"}"#,
            not_found(),
        ),
    ]
}

fn put_item() -> Vec<Case> {
    let rv = |v: &str| fail(v, "returnValues", &enum_rule(RV_SET));
    let rcc = |v: &str| fail(v, "returnConsumedCapacity", &enum_rule(RCC_SET));
    let ricm = |v: &str| fail(v, "returnItemCollectionMetrics", &enum_rule(RICM_SET));
    let expected: Vec<String> = (1..=8)
        .map(|i| {
            format!(
                r#""a{i}": {{"ComparisonOperator": "WRONG", "AttributeValueList": [{{"S": "x"}}]}}"#
            )
        })
        .collect();
    let expected_failures = (1..=8).map(|i| {
        fail(
            "WRONG",
            &format!("expected.a{i}.member.comparisonOperator"),
            &enum_rule(COMPARISON_SET),
        )
    });
    // Left out (§5.2, §11.3: the sources disagree): attribute values of
    // `Item` vs the mixing rule. Left out (not pinned by §3.6): `item` null
    // beside `tableName`.
    vec![
        case(
            // M16, with a mixing error and a missing table besides.
            "put/three-enums-in-pinned-order",
            r#"{"TableName": "nope", "Item": {"p": {"S": "a"}}, "ReturnValues": "INVALID", "ReturnConsumedCapacity": "INVALID", "ReturnItemCollectionMetrics": "INVALID", "Expected": {"v": {"Exists": false}}, "ConditionExpression": "attribute_not_exists(p)"}"#,
            ve(format!(
                "3 validation errors detected: {}; {}; {}",
                rv("INVALID"),
                rcc("INVALID"),
                ricm("INVALID")
            )),
        ),
        case(
            // M17.
            "put/return-values-before-empty-table-name",
            r#"{"TableName": "", "Item": {"p": {"S": "a"}}, "ReturnValues": "INVALID"}"#,
            ve(format!(
                "2 validation errors detected: {}; {}",
                rv("INVALID"),
                fail("", "tableName", &min_len(1))
            )),
        ),
        case(
            // §3.6: returnValues, returnConsumedCapacity,
            // returnItemCollectionMetrics, tableName.
            "put/four-failures-in-pinned-order",
            r#"{"TableName": "bad table!@#", "Item": {"p": {"S": "a"}}, "ReturnItemCollectionMetrics": "WRONG", "ReturnConsumedCapacity": "WRONG", "ReturnValues": "WRONG"}"#,
            ve(format!(
                "4 validation errors detected: {}; {}; {}; {}",
                rv("WRONG"),
                rcc("WRONG"),
                ricm("WRONG"),
                fail("bad table!@#", "tableName", PATTERN)
            )),
        ),
        case(
            // Twelve failures, ten reported (§2.1).
            "put/at-most-ten-failures",
            format!(
                r#"{{"TableName": "", "Item": {{"p": {{"S": "a"}}}}, "ReturnValues": "WRONG", "ReturnConsumedCapacity": "WRONG", "ReturnItemCollectionMetrics": "WRONG", "Expected": {{{}}}}}"#,
                expected.join(", ")
            ),
            Expect::Aggregated {
                total: 10,
                failures: [
                    rv("WRONG"),
                    rcc("WRONG"),
                    ricm("WRONG"),
                    fail("", "tableName", &min_len(1)),
                ]
                .into_iter()
                .chain(expected_failures)
                .collect(),
                ordered: vec![
                    rv("WRONG"),
                    rcc("WRONG"),
                    ricm("WRONG"),
                    fail("", "tableName", &min_len(1)),
                ],
            },
        ),
        case(
            "put/constraint-beats-return-values-all-new",
            r#"{"TableName": "bad!name", "Item": {"p": {"S": "a"}}, "ReturnValues": "ALL_NEW"}"#,
            ve(one(&fail("bad!name", "tableName", PATTERN))),
        ),
        case(
            "put/constraint-beats-invalid-item-value",
            r#"{"TableName": "bad!name", "Item": {"p": {"S": "a"}, "s": {"SS": []}}}"#,
            ve(one(&fail("bad!name", "tableName", PATTERN))),
        ),
        case(
            // V76.
            "put/mixing-beats-missing-table",
            r#"{"TableName": "nope", "Item": {"p": {"S": "a"}}, "Expected": {"p": {"Exists": false}}, "ConditionExpression": "attribute_not_exists(p)"}"#,
            ve(mixing("Expected", "ConditionExpression")),
        ),
        case(
            "put/values-without-expression-beats-missing-table",
            r#"{"TableName": "nope", "Item": {"p": {"S": "a"}}, "ExpressionAttributeValues": {":v": {"S": "x"}}}"#,
            ve(
                "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
            ),
        ),
        case(
            "put/redundant-parentheses-beat-missing-table",
            r#"{"TableName": "nope", "Item": {"p": {"S": "a"}}, "ConditionExpression": "((attribute_not_exists(p)))"}"#,
            ve("Invalid ConditionExpression: The expression has redundant parentheses;"),
        ),
        case(
            "put/distinct-operands-beat-missing-table",
            r##"{"TableName": "nope", "Item": {"p": {"S": "a"}}, "ConditionExpression": "contains(#a, #a)", "ExpressionAttributeNames": {"#a": "data"}}"##,
            ve(
                "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]",
            ),
        ),
        case(
            // §5.2 PutItem (h) before the table; §11.2 recommendation.
            "put/unused-value-beats-missing-table",
            r#"{"TableName": "nope", "Item": {"p": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(p)", "ExpressionAttributeValues": {":u": {"S": "x"}}}"#,
            ve("Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}"),
        ),
        case(
            "put/invalid-item-value-beats-missing-table",
            r#"{"TableName": "nope", "Item": {"p": {"S": "a"}, "s": {"SS": ["a", "a"]}}}"#,
            ve(
                "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
            ),
        ),
        case(
            // V87.
            "put/return-values-all-new-beats-missing-table",
            r#"{"TableName": "nope", "Item": {"p": {"S": "a"}}, "ReturnValues": "ALL_NEW"}"#,
            ve(RETURN_VALUES_PUT),
        ),
        case(
            // §5.2 PutItem: (b) mixing before (d) the ConditionExpression.
            "put/mixing-beats-condition-syntax",
            r#"{"TableName": "tbl", "Item": {"p": {"S": "a"}}, "Expected": {"p": {"Exists": false}}, "ConditionExpression": "attribute_not_exists("}"#,
            ve(mixing("Expected", "ConditionExpression")),
        ),
        case(
            // §5.2 PutItem: (d) the ConditionExpression before (e) ReturnValues.
            "put/condition-syntax-beats-return-values",
            r#"{"TableName": "tbl", "Item": {"p": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(", "ReturnValues": "ALL_NEW"}"#,
            ve(r#"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "(""#),
        ),
        case(
            // §5.2 PutItem: (e) ReturnValues before (h) unused names (both
            // emulators report unused entries after ReturnValues, §11.2).
            "put/return-values-beats-unused-name",
            r##"{"TableName": "tbl", "Item": {"p": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(p)", "ExpressionAttributeNames": {"#u": "u"}, "ReturnValues": "ALL_NEW"}"##,
            ve(RETURN_VALUES_PUT),
        ),
        case(
            "put/missing-table-beats-missing-key",
            r#"{"TableName": "nope", "Item": {"v": {"N": "1"}}}"#,
            not_found(),
        ),
        case(
            // §5.2 PutItem: the empty key value is checked after the table.
            "put/missing-table-beats-empty-key",
            r#"{"TableName": "nope", "Item": {"p": {"S": ""}}}"#,
            not_found(),
        ),
        case(
            "put/two-character-name-is-not-found",
            r#"{"TableName": "ab", "Item": {"v": {"N": "1"}}, "ConditionExpression": "attribute_exists(zzz)"}"#,
            not_found(),
        ),
        case(
            "put/missing-key-beats-failing-condition",
            r#"{"TableName": "tbl", "Item": {"v": {"N": "1"}}, "ConditionExpression": "attribute_exists(zzz)"}"#,
            ve("One or more parameter values were invalid: Missing the key p in the item"),
        ),
        case(
            "put/key-type-beats-failing-condition",
            r#"{"TableName": "tbl", "Item": {"p": {"N": "5"}}, "ConditionExpression": "attribute_exists(zzz)"}"#,
            ve(
                "One or more parameter values were invalid: Type mismatch for key p expected: S actual: N",
            ),
        ),
        case(
            "put/empty-key-beats-failing-condition",
            r#"{"TableName": "tbl", "Item": {"p": {"S": ""}}, "ConditionExpression": "attribute_exists(zzz)"}"#,
            ve(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p",
            ),
        ),
    ]
}

fn update_item() -> Vec<Case> {
    // Left out (not pinned by §3.6): returnItemCollectionMetrics or
    // tableName beside UpdateItem's pinned pair.
    vec![
        case(
            // M33, with an empty UpdateExpression and a missing table.
            "update/capacity-before-return-values",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "UpdateExpression": "", "ReturnValues": "INVALID", "ReturnConsumedCapacity": "INVALID"}"#,
            ve(format!(
                "2 validation errors detected: {}; {}",
                fail("INVALID", "returnConsumedCapacity", &enum_rule(RCC_SET)),
                fail("INVALID", "returnValues", &enum_rule(RV_SET))
            )),
        ),
        case(
            "update/constraint-beats-mixing",
            r#"{"TableName": "no such!tbl", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}, "AttributeUpdates": {"w": {"Action": "PUT", "Value": {"N": "1"}}}}"#,
            ve(one(&fail("no such!tbl", "tableName", PATTERN))),
        ),
        case(
            "update/null-key-beats-empty-expression",
            r#"{"TableName": "tbl", "Key": null, "UpdateExpression": ""}"#,
            ve(one(&fail_null("key"))),
        ),
        case(
            "update/action-enum-beats-mixing",
            r#"{"TableName": "tbl", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}, "AttributeUpdates": {"w": {"Action": "put", "Value": {"N": "1"}}}}"#,
            ve(one(&fail(
                "put",
                "attributeUpdates.w.member.action",
                &enum_rule(ACTION_SET),
            ))),
        ),
        case(
            // V34 on a missing table.
            "update/mixing-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}, "AttributeUpdates": {"w": {"Action": "PUT", "Value": {"N": "1"}}}}"#,
            ve(mixing("AttributeUpdates", "UpdateExpression")),
        ),
        case(
            // V77.
            "update/empty-expression-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "UpdateExpression": ""}"#,
            ve("Invalid UpdateExpression: The expression can not be empty;"),
        ),
        case(
            "update/syntax-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "UpdateExpression": "INVALID SYNTAX HERE"}"#,
            ve(
                r#"Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX""#,
            ),
        ),
        case(
            "update/undefined-value-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET v = :v"}"#,
            ve(
                "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v",
            ),
        ),
        case(
            // §5.2 UpdateItem (d) before the table; §11.2 recommendation.
            "update/unused-name-beats-missing-table",
            r##"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}, "ExpressionAttributeNames": {"#unused": "x"}}"##,
            ve("Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"),
        ),
        case(
            "update/values-without-expressions-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve(
                "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null",
            ),
        ),
        case(
            "update/invalid-key-value-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"NULL": false}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve(
                "One or more parameter values were invalid: Null attribute value types must have the value of true",
            ),
        ),
        case(
            // §5.2 UpdateItem: (a) mixing before (b) Key attribute values.
            "update/mixing-beats-invalid-key-value",
            r#"{"TableName": "tbl", "Key": {"p": {"NULL": false}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}, "AttributeUpdates": {"w": {"Action": "PUT", "Value": {"N": "1"}}}}"#,
            ve(mixing("AttributeUpdates", "UpdateExpression")),
        ),
        case(
            "update/missing-table-beats-key-schema",
            r#"{"TableName": "nope", "Key": {"x": {"N": "1"}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            not_found(),
        ),
        case(
            "update/missing-table-beats-key-attribute-update",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET p = :v", "ExpressionAttributeValues": {":v": {"S": "b"}}}"#,
            not_found(),
        ),
        case(
            "update/two-character-name-is-not-found",
            r#"{"TableName": "ab", "Key": {"x": {"N": "1"}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            not_found(),
        ),
        case(
            // §5.2 UpdateItem: key schema, then updates of key attributes.
            "update/key-schema-beats-key-attribute-update",
            r#"{"TableName": "tbl_c", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET p = :v", "ExpressionAttributeValues": {":v": {"S": "b"}}}"#,
            ve(KEY_MISMATCH),
        ),
        case(
            "update/key-schema-beats-failing-condition",
            r#"{"TableName": "tbl_c", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET v = :v", "ConditionExpression": "attribute_exists(zzz)", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve(KEY_MISMATCH),
        ),
        case(
            "update/key-attribute-update-beats-failing-condition",
            r#"{"TableName": "tbl", "Key": {"p": {"S": "a"}}, "UpdateExpression": "SET p = :v", "ConditionExpression": "attribute_exists(zzz)", "ExpressionAttributeValues": {":v": {"S": "b"}}}"#,
            ve(
                "One or more parameter values were invalid: Cannot update attribute p. This attribute is part of the key",
            ),
        ),
    ]
}

fn delete_item() -> Vec<Case> {
    let long = "a".repeat(256);
    // Left out: `tableName` after DeleteItem's pinned pair (§3.6 marks it
    // [INF]); the empty key value vs a missing table (not pinned for
    // DeleteItem).
    vec![
        case(
            // M22 (V88: the constraint layer beats the missing table).
            "delete/return-values-before-capacity",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "ReturnValues": "INVALID", "ReturnConsumedCapacity": "INVALID"}"#,
            ve(format!(
                "2 validation errors detected: {}; {}",
                fail("INVALID", "returnValues", &enum_rule(RV_SET)),
                fail("INVALID", "returnConsumedCapacity", &enum_rule(RCC_SET))
            )),
        ),
        case(
            // A 256-character name is printed whole (§3.2).
            "delete/long-name-beats-mixing",
            format!(
                r#"{{"TableName": "{long}", "Key": {{"p": {{"S": "a"}}}}, "Expected": {{"p": {{"Exists": true, "Value": {{"S": "a"}}}}}}, "ConditionExpression": "attribute_exists(p)"}}"#
            ),
            ve(one(&fail(&long, "tableName", &max_len(255)))),
        ),
        case(
            "delete/null-key-beats-return-values-all-new",
            r#"{"TableName": "tbl", "Key": null, "ReturnValues": "ALL_NEW"}"#,
            ve(one(&fail_null("key"))),
        ),
        case(
            "delete/return-values-all-new-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "ReturnValues": "ALL_NEW"}"#,
            ve(RETURN_VALUES_PUT),
        ),
        case(
            "delete/mixing-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "Expected": {"p": {"Exists": false}}, "ConditionExpression": "attribute_not_exists(p)"}"#,
            ve(mixing("Expected", "ConditionExpression")),
        ),
        case(
            "delete/values-without-expression-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "ExpressionAttributeValues": {":v": {"S": "x"}}}"#,
            ve(
                "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
            ),
        ),
        case(
            "delete/condition-syntax-beats-missing-table",
            r#"{"TableName": "nope", "Key": {"p": {"S": "a"}}, "ConditionExpression": "attribute_not_exists("}"#,
            ve(r#"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "(""#),
        ),
        case(
            "delete/missing-table-beats-key-schema",
            r#"{"TableName": "nope", "Key": {"x": {"N": "1"}}, "ConditionExpression": "attribute_exists(zzz)"}"#,
            not_found(),
        ),
        case(
            "delete/two-character-name-is-not-found",
            r#"{"TableName": "ab", "Key": {"x": {"N": "1"}}}"#,
            not_found(),
        ),
        case(
            "delete/key-schema-beats-failing-condition",
            r#"{"TableName": "tbl_c", "Key": {"p": {"S": "a"}}, "ConditionExpression": "attribute_exists(zzz)"}"#,
            ve(KEY_MISMATCH),
        ),
        case(
            "delete/key-type-beats-failing-condition",
            r#"{"TableName": "tbl", "Key": {"p": {"N": "1"}}, "ConditionExpression": "attribute_exists(zzz)"}"#,
            ve(KEY_MISMATCH),
        ),
    ]
}

fn query() -> Vec<Case> {
    let select = |v: &str| fail(v, "select", &enum_rule(SELECT_SET));
    // Left out: the order of Query's constraint failures (§11.4: only that
    // returnConsumedCapacity appears is pinned), checked unordered below;
    // Query's Limit beside a constraint-layer failure is checked only as
    // "not aggregated" (§2.2), not which one wins.
    vec![
        case(
            // V78, with a mixing error besides.
            "query/select-enum-beats-mixing-and-missing-table",
            r#"{"TableName": "nope", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}, "KeyConditions": {"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}}, "Select": "WRONG"}"#,
            ve(one(&select("WRONG"))),
        ),
        case(
            "query/capacity-and-select-aggregated",
            r#"{"TableName": "tbl", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}, "Select": "count", "ReturnConsumedCapacity": "WRONG"}"#,
            aggregated(vec![
                fail("WRONG", "returnConsumedCapacity", &enum_rule(RCC_SET)),
                select("count"),
            ]),
        ),
        case(
            "query/index-name-length-beats-missing-table",
            r#"{"TableName": "nope", "IndexName": "ix", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}"#,
            ve(one(&fail("ix", "indexName", &min_len(3)))),
        ),
        case(
            "query/limit-beats-mixing",
            r#"{"TableName": "tbl", "Limit": 0, "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}, "KeyConditions": {"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}}}"#,
            ve(query_limit()),
        ),
        case(
            "query/limit-beats-missing-table",
            r#"{"TableName": "nope", "Limit": 0, "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}"#,
            ve(query_limit()),
        ),
        case(
            "query/limit-beats-missing-key-condition",
            r#"{"TableName": "tbl", "Limit": 0}"#,
            ve(query_limit()),
        ),
        case(
            // §2.2: Limit imitates the constraint layer but is never
            // aggregated with it; which of the two DynamoDB reports is not
            // pinned.
            "query/limit-not-aggregated-with-select",
            r#"{"TableName": "tbl", "Limit": 0, "Select": "WRONG", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}"#,
            Expect::OneOf(vec![query_limit(), one(&select("WRONG"))]),
        ),
        case(
            "query/missing-key-condition-beats-missing-table",
            r#"{"TableName": "nope", "FilterExpression": "v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            ),
        ),
        case(
            "query/empty-key-condition-beats-missing-table",
            r#"{"TableName": "nope", "KeyConditionExpression": ""}"#,
            ve("Invalid KeyConditionExpression: The expression can not be empty;"),
        ),
        case(
            "query/undefined-name-beats-missing-table",
            r##"{"TableName": "nope", "KeyConditionExpression": "p = :p", "FilterExpression": "#missing = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}"##,
            ve(
                "Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing",
            ),
        ),
        case(
            "query/unused-name-beats-missing-table",
            r##"{"TableName": "nope", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}, "ExpressionAttributeNames": {"#unused": "x"}}"##,
            ve("Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"),
        ),
        case(
            // M48.
            "query/key-conditions-and-expression-beat-missing-table",
            r#"{"TableName": "nope", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}, "KeyConditions": {"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}}}"#,
            ve(mixing("KeyConditions", "KeyConditionExpression")),
        ),
        case(
            // M47: the expression parameters in DynamoDB's listing order.
            "query/mixing-listing-order-beats-missing-table",
            r#"{"TableName": "nope", "KeyConditionExpression": "p = :p", "FilterExpression": "v = :v", "ExpressionAttributeValues": {":p": {"S": "a"}, ":v": {"N": "1"}}, "AttributesToGet": ["v"]}"#,
            ve(mixing(
                "AttributesToGet",
                "FilterExpression, KeyConditionExpression",
            )),
        ),
        case(
            "query/select-without-projection-beats-missing-table",
            r#"{"TableName": "nope", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}, "Select": "SPECIFIC_ATTRIBUTES"}"#,
            ve(
                "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
            ),
        ),
        case(
            // V79.
            "query/missing-table-beats-unknown-index",
            r#"{"TableName": "nope", "IndexName": "idx", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}"#,
            not_found(),
        ),
        case(
            "query/missing-table-beats-key-condition-schema",
            r#"{"TableName": "nope", "KeyConditionExpression": "c = :c", "ExpressionAttributeValues": {":c": {"N": "1"}}}"#,
            not_found(),
        ),
        case(
            "query/two-character-name-is-not-found",
            r#"{"TableName": "ab", "KeyConditionExpression": "zz = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            not_found(),
        ),
        case(
            // §5.2 Query: table, then index, then key condition vs schema.
            "query/unknown-index-beats-key-condition-schema",
            r#"{"TableName": "tbl", "IndexName": "nope_idx", "KeyConditionExpression": "zz = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve("The table does not have the specified index: nope_idx"),
        ),
        case(
            // §5.2 Query: ExclusiveStartKey shape before the key condition.
            "query/start-key-shape-beats-key-condition-schema",
            r#"{"TableName": "tbl_c", "KeyConditionExpression": "c = :c", "ExpressionAttributeValues": {":c": {"N": "1"}}, "ExclusiveStartKey": {"p": {"S": "a"}}}"#,
            ve("The provided starting key is invalid"),
        ),
    ]
}

fn scan() -> Vec<Case> {
    vec![
        case(
            "scan/segment-range-beats-pairing",
            r#"{"TableName": "tbl", "Segment": 1000000}"#,
            ve(one(&fail("1000000", "segment", &max_value(999_999)))),
        ),
        case(
            "scan/total-segments-range-beats-zero-based-check",
            r#"{"TableName": "tbl", "Segment": 0, "TotalSegments": 0}"#,
            ve(one(&fail("0", "totalSegments", &min_value(1)))),
        ),
        case(
            "scan/total-segments-range-beats-missing-segment",
            r#"{"TableName": "tbl", "TotalSegments": 1000001}"#,
            ve(one(&fail(
                "1000001",
                "totalSegments",
                &max_value(1_000_000),
            ))),
        ),
        case(
            "scan/negative-segment-beats-missing-table",
            r#"{"TableName": "nope", "Segment": -1, "TotalSegments": 2}"#,
            ve(one(&fail("-1", "segment", &min_value(0)))),
        ),
        case(
            // M55.
            "scan/limit-beats-pairing",
            r#"{"TableName": "tbl", "Limit": 0, "Segment": 0}"#,
            ve(one(&fail("0", "limit", &min_value(1)))),
        ),
        case(
            "scan/select-enum-beats-missing-table",
            r#"{"TableName": "nope", "Select": "count"}"#,
            ve(one(&fail("count", "select", &enum_rule(SELECT_SET)))),
        ),
        case(
            // Order of Scan's constraint failures: not pinned (§3.6).
            "scan/constraint-failures-aggregated",
            r#"{"TableName": "no such!tbl", "Limit": 0, "Segment": 1000000, "ScanFilter": {"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}, "FilterExpression": "v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            aggregated(vec![
                fail("no such!tbl", "tableName", PATTERN),
                fail("0", "limit", &min_value(1)),
                fail("1000000", "segment", &max_value(999_999)),
            ]),
        ),
        case(
            // §5.2 Scan: pairing before mixing.
            "scan/pairing-beats-mixing",
            r#"{"TableName": "tbl", "Segment": 3, "TotalSegments": 3, "ScanFilter": {"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}, "FilterExpression": "v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve(
                "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3",
            ),
        ),
        case(
            "scan/missing-segment-beats-missing-table",
            r#"{"TableName": "nope", "TotalSegments": 2}"#,
            ve(
                "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
            ),
        ),
        case(
            "scan/missing-total-segments-beats-missing-table",
            r#"{"TableName": "nope", "Segment": 0, "ExclusiveStartKey": {"x": {"S": "a"}}}"#,
            ve(
                "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
            ),
        ),
        case(
            // §7.1: the placeholder-map rules come after the mixing check.
            "scan/mixing-beats-values-rule",
            r#"{"TableName": "tbl", "ScanFilter": {"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}, "ProjectionExpression": "v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve(mixing("ScanFilter", "ProjectionExpression")),
        ),
        case(
            // M56.
            "scan/mixing-beats-missing-table",
            r#"{"TableName": "nope", "ScanFilter": {"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}, "FilterExpression": "v = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve(mixing("ScanFilter", "FilterExpression")),
        ),
        case(
            // §5.2 Scan: mixing, then values.
            "scan/mixing-beats-invalid-value",
            r#"{"TableName": "tbl", "ScanFilter": {"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}, "FilterExpression": "v = :v", "ExpressionAttributeValues": {":v": {"SS": []}}}"#,
            ve(mixing("ScanFilter", "FilterExpression")),
        ),
        case(
            "scan/values-without-filter-beats-missing-table",
            r#"{"TableName": "nope", "ProjectionExpression": "v", "ExpressionAttributeValues": {":v": {"N": "1"}}}"#,
            ve(
                "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
            ),
        ),
        case(
            "scan/missing-table-beats-start-key",
            r#"{"TableName": "nope", "ExclusiveStartKey": {"x": {"S": "a"}}}"#,
            not_found(),
        ),
        case(
            "scan/two-character-name-is-not-found",
            r#"{"TableName": "ab", "ExclusiveStartKey": {"x": {"S": "a"}}}"#,
            not_found(),
        ),
        case(
            // §5.2 Scan: table, then index, then ExclusiveStartKey.
            "scan/unknown-index-beats-start-key",
            r#"{"TableName": "tbl", "IndexName": "nope_idx", "ExclusiveStartKey": {"x": {"S": "a"}}}"#,
            ve("The table does not have the specified index: nope_idx"),
        ),
    ]
}

fn batch_get_item() -> Vec<Case> {
    let rcc = fail("WRONG", "returnConsumedCapacity", &enum_rule(RCC_SET));
    let over = |table: &str| {
        one(&format!(
            "Value at 'RequestItems.{table}.member.Keys' failed to satisfy constraint: {}",
            max_len(100)
        ))
    };
    // Left out: the per-table Keys count of 0 (its text is not pinned).
    vec![
        case(
            "batch-get/capacity-enum-beats-empty-request-items",
            r#"{"RequestItems": {}, "ReturnConsumedCapacity": "WRONG"}"#,
            ve(one(&rcc)),
        ),
        case(
            "batch-get/null-request-items-and-capacity-aggregated",
            r#"{"RequestItems": null, "ReturnConsumedCapacity": "WRONG"}"#,
            aggregated(vec![fail_null("requestItems"), rcc.clone()]),
        ),
        case(
            // §2.2: the Keys count imitates the constraint layer and is not
            // aggregated with it; which wins is not pinned.
            "batch-get/key-count-not-aggregated-with-capacity",
            format!(
                r#"{{"RequestItems": {{"tbl": {{"Keys": [{}]}}}}, "ReturnConsumedCapacity": "WRONG"}}"#,
                keys("k", 101)
            ),
            Expect::OneOf(vec![one(&rcc), over(T)]),
        ),
        case(
            // M58.
            "batch-get/key-count-beats-missing-table",
            format!(
                r#"{{"RequestItems": {{"nope": {{"Keys": [{}]}}}}}}"#,
                keys("k", 101)
            ),
            ve(over(MISSING)),
        ),
        case(
            "batch-get/key-count-beats-earlier-missing-table",
            format!(
                r#"{{"RequestItems": {{"nope": {{"Keys": [{{"p": {{"S": "a"}}}}]}}, "tbl": {{"Keys": [{}]}}}}}}"#,
                keys("k", 101)
            ),
            ve(over(T)),
        ),
        case(
            // M59.
            "batch-get/duplicates-beat-missing-table",
            r#"{"RequestItems": {"nope": {"Keys": [{"p": {"S": "a"}}, {"p": {"S": "a"}}]}}}"#,
            ve("Provided list of item keys contains duplicates"),
        ),
        case(
            // §5.2 BatchGetItem: the total over all tables before the tables.
            "batch-get/total-count-beats-missing-tables",
            format!(
                r#"{{"RequestItems": {{"nope": {{"Keys": [{}]}}, "nope2": {{"Keys": [{}]}}}}}}"#,
                keys("a", 60),
                keys("b", 60)
            ),
            ve("Too many items requested for the BatchGetItem call"),
        ),
        case(
            "batch-get/mixing-beats-missing-table",
            r#"{"RequestItems": {"nope": {"Keys": [{"p": {"S": "a"}}], "AttributesToGet": ["v"], "ProjectionExpression": "v"}}}"#,
            ve(mixing("AttributesToGet", "ProjectionExpression")),
        ),
        case(
            "batch-get/projection-syntax-beats-missing-table",
            r#"{"RequestItems": {"nope": {"Keys": [{"p": {"S": "a"}}], "ProjectionExpression": "!!!"}}}"#,
            ve(r#"Invalid ProjectionExpression: Syntax error; token: "!", near: "!!""#),
        ),
        case(
            // §5.2 BatchGetItem: every table, then the key schemas.
            "batch-get/missing-table-beats-earlier-key-schema",
            r#"{"RequestItems": {"tbl": {"Keys": [{"x": {"S": "a"}}]}, "nope": {"Keys": [{"p": {"S": "a"}}]}}}"#,
            not_found(),
        ),
        case(
            "batch-get/two-character-name-is-not-found",
            r#"{"RequestItems": {"ab": {"Keys": [{"x": {"S": "a"}}]}}}"#,
            not_found(),
        ),
    ]
}

fn batch_write_item() -> Vec<Case> {
    let puts = |n: usize| {
        (0..n)
            .map(|i| format!(r#"{{"PutRequest": {{"Item": {{"p": {{"S": "b{i}"}}}}}}}}"#))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let map_value = |table: &str| {
        format!(
            r"^1 validation error detected: Value '\{{{table}=\[.*\]\}}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$"
        )
    };
    // Left out: a WriteRequest with neither or both of PutRequest and
    // DeleteRequest (its text is not pinned).
    vec![
        case(
            "batch-write/capacity-enum-beats-empty-request-items",
            r#"{"RequestItems": {}, "ReturnConsumedCapacity": "WRONG"}"#,
            ve(one(&fail(
                "WRONG",
                "returnConsumedCapacity",
                &enum_rule(RCC_SET),
            ))),
        ),
        case(
            "batch-write/null-request-items-and-metrics-aggregated",
            r#"{"RequestItems": null, "ReturnItemCollectionMetrics": "WRONG"}"#,
            aggregated(vec![
                fail_null("requestItems"),
                fail("WRONG", "returnItemCollectionMetrics", &enum_rule(RICM_SET)),
            ]),
        ),
        case(
            // V26 on a missing table.
            "batch-write/26-requests-beat-missing-table",
            format!(r#"{{"RequestItems": {{"nope": [{}]}}}}"#, puts(26)),
            Expect::Matches(map_value(MISSING)),
        ),
        case(
            "batch-write/empty-list-beats-missing-table",
            r#"{"RequestItems": {"nope": []}}"#,
            Expect::Matches(map_value(MISSING)),
        ),
        case(
            // M62; §5.2 BatchWriteItem: duplicate keys, then the tables.
            "batch-write/duplicates-beat-missing-table",
            r#"{"RequestItems": {"nope": [{"DeleteRequest": {"Key": {"p": {"S": "a"}}}}, {"DeleteRequest": {"Key": {"p": {"S": "a"}}}}]}}"#,
            ve("Provided list of item keys contains duplicates"),
        ),
        case(
            "batch-write/invalid-value-beats-missing-table",
            r#"{"RequestItems": {"nope": [{"PutRequest": {"Item": {"p": {"S": "a"}, "s": {"SS": []}}}}]}}"#,
            ve(EMPTY_STRING_SET),
        ),
        case(
            "batch-write/missing-table-writes-nothing",
            r#"{"RequestItems": {"tbl": [{"PutRequest": {"Item": {"p": {"S": "new"}}}}], "nope": [{"PutRequest": {"Item": {"p": {"S": "a"}}}}]}}"#,
            not_found(),
        ),
        case(
            // §5.2 BatchWriteItem: the tables, then the key schemas.
            "batch-write/missing-table-beats-earlier-key-schema",
            r#"{"RequestItems": {"tbl_c": [{"DeleteRequest": {"Key": {"p": {"S": "a"}}}}], "nope": [{"PutRequest": {"Item": {"p": {"S": "a"}}}}]}}"#,
            not_found(),
        ),
        case(
            "batch-write/key-schema-error-writes-nothing",
            r#"{"RequestItems": {"tbl": [{"PutRequest": {"Item": {"p": {"S": "new"}}}}], "tbl_c": [{"DeleteRequest": {"Key": {"p": {"S": "a"}}}}]}}"#,
            ve(KEY_MISMATCH),
        ),
        case(
            "batch-write/two-character-name-is-not-found",
            r#"{"RequestItems": {"ab": [{"PutRequest": {"Item": {"x": {"S": "a"}}}}]}}"#,
            not_found(),
        ),
    ]
}

fn transact_get_items() -> Vec<Case> {
    let gets = |n: usize| {
        (0..n)
            .map(|i| {
                format!(r#"{{"Get": {{"TableName": "nope", "Key": {{"p": {{"S": "g{i}"}}}}}}}}"#)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        case(
            "transact-get/empty-list-and-capacity-aggregated",
            r#"{"TransactItems": [], "ReturnConsumedCapacity": "WRONG"}"#,
            aggregated(vec![
                fail("[]", "transactItems", &min_len(1)),
                fail("WRONG", "returnConsumedCapacity", &enum_rule(RCC_SET)),
            ]),
        ),
        case(
            // M64 on missing tables.
            "transact-get/101-gets-beat-missing-table",
            format!(r#"{{"TransactItems": [{}]}}"#, gets(101)),
            Expect::Matches(
                r"^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$".into(),
            ),
        ),
        case(
            // §3.5 (path by analogy with the writes).
            "transact-get/table-name-path-beats-missing-table",
            r#"{"TransactItems": [{"Get": {"TableName": "nope", "Key": {"p": {"S": "a"}}}}, {"Get": {"TableName": "bad!name", "Key": {"p": {"S": "a"}}}}]}"#,
            ve(one(&fail(
                "bad!name",
                "transactItems.2.member.get.tableName",
                PATTERN,
            ))),
        ),
        case(
            // M65; §7.3: per-action static checks, then the tables.
            "transact-get/projection-syntax-beats-missing-table",
            r#"{"TransactItems": [{"Get": {"TableName": "nope", "Key": {"p": {"S": "a"}}, "ProjectionExpression": "!!!"}}]}"#,
            ve(r#"Invalid ProjectionExpression: Syntax error; token: "!", near: "!!""#),
        ),
        case(
            // §5.2 TransactGetItems, §7.3.
            "transact-get/unused-name-beats-missing-table",
            r##"{"TransactItems": [{"Get": {"TableName": "nope", "Key": {"p": {"S": "a"}}, "ProjectionExpression": "v", "ExpressionAttributeNames": {"#u": "u"}}}]}"##,
            ve("Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"),
        ),
        case(
            // §7.3: the tables, then the per-action key checks.
            "transact-get/missing-table-beats-key-problem",
            r#"{"TransactItems": [{"Get": {"TableName": "tbl", "Key": {}}}, {"Get": {"TableName": "nope", "Key": {"p": {"S": "a"}}}}]}"#,
            not_found(),
        ),
        case(
            // §7.3: the per-action key checks (a cancellation, V65), then
            // duplicate targets.
            "transact-get/key-problem-beats-duplicate-targets",
            r#"{"TransactItems": [{"Get": {"TableName": "tbl", "Key": {}}}, {"Get": {"TableName": "tbl", "Key": {"p": {"S": "a"}}}}, {"Get": {"TableName": "tbl", "Key": {"p": {"S": "a"}}}}]}"#,
            Expect::Cancelled(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, None, None]".into(),
                vec![("ValidationError", None), ("None", None), ("None", None)],
            ),
        ),
        case(
            // §7.3: the tables, then duplicate targets.
            "transact-get/missing-table-beats-duplicate-targets",
            r#"{"TransactItems": [{"Get": {"TableName": "nope", "Key": {"p": {"S": "a"}}}}, {"Get": {"TableName": "nope", "Key": {"p": {"S": "a"}}}}]}"#,
            not_found(),
        ),
        case(
            "transact-get/two-character-name-is-not-found",
            r#"{"TransactItems": [{"Get": {"TableName": "ab", "Key": {"x": {"S": "a"}}}}]}"#,
            not_found(),
        ),
    ]
}

fn transact_write_items() -> Vec<Case> {
    let token = "a".repeat(37);
    let bad_puts = |n: usize| {
        (0..n)
            .map(|i| {
                format!(r#"{{"Put": {{"TableName": "x!", "Item": {{"p": {{"S": "w{i}"}}}}}}}}"#)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let puts = |n: usize| {
        (0..n)
            .map(|i| {
                format!(r#"{{"Put": {{"TableName": "nope", "Item": {{"p": {{"S": "w{i}"}}}}}}}}"#)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Left out: an action without its required expression (ConditionCheck
    // without ConditionExpression is §11.1, the Update wording is [INF]).
    vec![
        case(
            "transact-write/empty-list-and-token-aggregated",
            format!(r#"{{"TransactItems": [], "ClientRequestToken": "{token}"}}"#),
            aggregated(vec![
                fail("[]", "transactItems", &min_len(1)),
                fail(&token, "clientRequestToken", &max_len(36)),
            ]),
        ),
        case(
            // M64 on a missing table.
            "transact-write/101-actions-beat-missing-table",
            format!(r#"{{"TransactItems": [{}]}}"#, puts(101)),
            Expect::Matches(
                r"^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$".into(),
            ),
        ),
        case(
            // V29, both actions in one request.
            "transact-write/put-and-update-paths-aggregated",
            r#"{"TransactItems": [{"Put": {"TableName": "no!good", "Item": {"p": {"S": "k1"}}}}, {"Update": {"TableName": "no!good", "Key": {"p": {"S": "k2"}}, "UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}}}]}"#,
            aggregated(vec![
                fail("no!good", "transactItems.1.member.put.tableName", PATTERN),
                fail("no!good", "transactItems.2.member.update.tableName", PATTERN),
            ]),
        ),
        case(
            "transact-write/condition-check-and-delete-paths-aggregated",
            r#"{"TransactItems": [{"ConditionCheck": {"TableName": "no!good", "Key": {"p": {"S": "a"}}, "ConditionExpression": "attribute_exists(p)"}}, {"Delete": {"TableName": "", "Key": {"p": {"S": "b"}}}}]}"#,
            aggregated(vec![
                fail(
                    "no!good",
                    "transactItems.1.member.conditionCheck.tableName",
                    PATTERN,
                ),
                fail("", "transactItems.2.member.delete.tableName", &min_len(1)),
            ]),
        ),
        case(
            "transact-write/at-most-ten-failures",
            format!(r#"{{"TransactItems": [{}]}}"#, bad_puts(12)),
            Expect::Aggregated {
                total: 10,
                failures: (1..=12)
                    .map(|i| fail("x!", &format!("transactItems.{i}.member.put.tableName"), PATTERN))
                    .collect(),
                ordered: Vec::new(),
            },
        ),
        case(
            // §5.2: the constraint layer, then the empty action.
            "transact-write/table-name-path-beats-empty-action",
            r#"{"TransactItems": [{}, {"Put": {"TableName": "no!good", "Item": {"p": {"S": "a"}}}}]}"#,
            ve(one(&fail(
                "no!good",
                "transactItems.2.member.put.tableName",
                PATTERN,
            ))),
        ),
        case(
            "transact-write/token-beats-one-item-rule",
            format!(
                r#"{{"TransactItems": [{{"Put": {{"TableName": "tbl", "Item": {{"p": {{"S": "a"}}}}}}}}, {{"Put": {{"TableName": "tbl", "Item": {{"p": {{"S": "a"}}}}}}}}], "ClientRequestToken": "{token}"}}"#
            ),
            ve(one(&fail(&token, "clientRequestToken", &max_len(36)))),
        ),
        case(
            // M78.
            "transact-write/empty-action-beats-missing-table",
            r#"{"TransactItems": [{"Put": {"TableName": "nope", "Item": {"p": {"S": "a"}}}}, {}]}"#,
            ve("Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"),
        ),
        case(
            // §5.2: the empty action, then the one-item rule.
            "transact-write/empty-action-beats-one-item-rule",
            r#"{"TransactItems": [{}, {"Delete": {"TableName": "tbl", "Key": {"p": {"S": "a"}}}}, {"Delete": {"TableName": "tbl", "Key": {"p": {"S": "a"}}}}]}"#,
            ve("Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"),
        ),
        case(
            // M75.
            "transact-write/empty-condition-beats-missing-table",
            r#"{"TransactItems": [{"ConditionCheck": {"TableName": "nope", "Key": {"p": {"S": "a"}}, "ConditionExpression": ""}}]}"#,
            ve("Invalid ConditionExpression: The expression can not be empty;"),
        ),
        case(
            // M76.
            "transact-write/condition-syntax-beats-missing-table",
            r#"{"TransactItems": [{"ConditionCheck": {"TableName": "nope", "Key": {"p": {"S": "a"}}, "ConditionExpression": "attribute_not_exists("}}]}"#,
            ve(r#"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "(""#),
        ),
        case(
            // V71 with the second action's table missing.
            "transact-write/unused-value-beats-missing-table",
            r#"{"TransactItems": [{"Put": {"TableName": "tbl", "Item": {"p": {"S": "new"}}}}, {"ConditionCheck": {"TableName": "nope", "Key": {"p": {"S": "k2"}}, "ConditionExpression": "attribute_not_exists(p)", "ExpressionAttributeValues": {":v": {"S": "x"}}}}]}"#,
            ve("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"),
        ),
        case(
            // M73; §5.2: empty key values are static checks, before the tables.
            "transact-write/empty-key-beats-missing-table",
            r#"{"TransactItems": [{"Delete": {"TableName": "nope", "Key": {"p": {"S": ""}}}}]}"#,
            ve("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p"),
        ),
        case(
            // §5.2: the one-item rule, then the tables.
            "transact-write/one-item-rule-beats-missing-table",
            r#"{"TransactItems": [{"Delete": {"TableName": "nope", "Key": {"p": {"S": "a"}}}}, {"Delete": {"TableName": "nope", "Key": {"p": {"S": "a"}}}}]}"#,
            ve(ONE_ITEM),
        ),
        case(
            // §5.2: the one-item rule, then per-action validation.
            "transact-write/one-item-rule-beats-key-cancellation",
            r#"{"TransactItems": [{"Delete": {"TableName": "tbl", "Key": {"p": {"S": "a"}}}}, {"Delete": {"TableName": "tbl", "Key": {"p": {"S": "a"}}}}, {"Put": {"TableName": "tbl", "Item": {"p": {"N": "5"}}}}]}"#,
            ve(ONE_ITEM),
        ),
        case(
            "transact-write/missing-table-beats-key-schema",
            r#"{"TransactItems": [{"Put": {"TableName": "tbl", "Item": {"v": {"N": "1"}}}}, {"Put": {"TableName": "nope", "Item": {"p": {"S": "a"}}}}]}"#,
            not_found(),
        ),
        case(
            // §5.2: per-action validation (a cancellation), then conditions.
            "transact-write/key-cancellation-beats-failing-condition",
            r#"{"TransactItems": [{"Put": {"TableName": "tbl", "Item": {"p": {"N": "5"}}}}, {"ConditionCheck": {"TableName": "tbl_c", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}, "ConditionExpression": "attribute_exists(zzz)"}}]}"#,
            Expect::Cancelled(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, None]".into(),
                vec![
                    (
                        "ValidationError",
                        Some("One or more parameter values were invalid: Type mismatch for key p expected: S actual: N"),
                    ),
                    ("None", None),
                ],
            ),
        ),
        case(
            "transact-write/two-character-name-is-not-found",
            r#"{"TransactItems": [{"Put": {"TableName": "ab", "Item": {"x": {"S": "a"}}}}]}"#,
            not_found(),
        ),
    ]
}

fn create_table() -> Vec<Case> {
    const HASH_P: &str = r#"[{"AttributeName": "p", "KeyType": "HASH"}]"#;
    const DEF_P: &str = r#"[{"AttributeName": "p", "AttributeType": "S"}]"#;
    let key_type = fail(
        "PRIMARY",
        "keySchema.1.member.keyType",
        &enum_rule(KEY_TYPE_SET),
    );
    let attribute_type = fail(
        "STRING",
        "attributeDefinitions.1.member.attributeType",
        &enum_rule(ATTRIBUTE_TYPE_SET),
    );
    // Left out: secondary indexes (M86, M87), which dynacond does not model;
    // the order of CreateTable's constraint failures (not pinned, §3.6),
    // checked unordered.
    vec![
        case(
            // M80 before the constraint layer (§4, §5.1 step 3).
            "create/missing-name-beats-constraints",
            r#"{"KeySchema": [{"AttributeName": "p", "KeyType": "PRIMARY"}], "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "STRING"}]}"#,
            ve(CONTROL_PLANE_MISSING),
        ),
        case(
            "create/null-name-beats-constraints",
            r#"{"TableName": null, "KeySchema": [{"AttributeName": "p", "KeyType": "PRIMARY"}], "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
            ve(CONTROL_PLANE_MISSING),
        ),
        case(
            // M81 beside M84: CreateTable's name minimum is 3.
            "create/short-name-and-key-type-aggregated",
            format!(
                r#"{{"TableName": "ab", "KeySchema": [{{"AttributeName": "p", "KeyType": "PRIMARY"}}], "AttributeDefinitions": {DEF_P}}}"#
            ),
            aggregated(vec![fail("ab", "tableName", &min_len(3)), key_type.clone()]),
        ),
        case(
            "create/three-failures-aggregated",
            r#"{"TableName": "ab", "KeySchema": [{"AttributeName": "p", "KeyType": "PRIMARY"}], "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "STRING"}]}"#,
            aggregated(vec![
                fail("ab", "tableName", &min_len(3)),
                key_type,
                attribute_type.clone(),
            ]),
        ),
        case(
            "create/pattern-beats-key-schema-check",
            format!(
                r#"{{"TableName": "bad name!", "KeySchema": [{{"AttributeName": "p", "KeyType": "HASH"}}, {{"AttributeName": "p", "KeyType": "RANGE"}}], "AttributeDefinitions": {DEF_P}}}"#
            ),
            ve(one(&fail("bad name!", "tableName", PATTERN))),
        ),
        case(
            // M83 (throughput given) beats ResourceInUseException.
            "create/key-schema-length-beats-existing-table",
            r#"{"TableName": "tbl", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}, {"AttributeName": "d", "KeyType": "RANGE"}], "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"}, {"AttributeName": "d", "AttributeType": "S"}], "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}"#,
            Expect::Matches(
                r"^1 validation error detected: Value '\[.+\]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2$".into(),
            ),
        ),
        case(
            // §5.2 CreateTable [PAR-up]: three KeySchema elements and no
            // ProvisionedThroughput (BillingMode omitted) get the capacity
            // sentence in every captured region.
            "create/capacity-check-precedes-key-schema-length",
            r#"{"TableName": "three_keys", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}, {"AttributeName": "d", "KeyType": "RANGE"}], "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"}, {"AttributeName": "d", "AttributeType": "S"}]}"#,
            ve("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"),
        ),
        case(
            "create/attribute-type-beats-existing-table",
            format!(
                r#"{{"TableName": "tbl", "KeySchema": {HASH_P}, "AttributeDefinitions": [{{"AttributeName": "p", "AttributeType": "STRING"}}]}}"#
            ),
            ve(one(&attribute_type)),
        ),
        case(
            "create/capacity-range-beats-existing-table",
            format!(
                r#"{{"TableName": "tbl", "KeySchema": {HASH_P}, "AttributeDefinitions": {DEF_P}, "BillingMode": "PROVISIONED", "ProvisionedThroughput": {{"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}}}}"#
            ),
            ve(one(&fail(
                "0",
                "provisionedThroughput.readCapacityUnits",
                &min_value(1),
            ))),
        ),
        case(
            // M82: service checks before ResourceInUseException (§5.2).
            "create/key-schema-check-beats-existing-table",
            format!(
                r#"{{"TableName": "tbl", "KeySchema": [{{"AttributeName": "p", "KeyType": "HASH"}}, {{"AttributeName": "p", "KeyType": "RANGE"}}], "AttributeDefinitions": {DEF_P}}}"#
            ),
            ve("Invalid KeySchema: Some index key attribute have no definition"),
        ),
        case(
            "create/billing-check-beats-existing-table",
            format!(
                r#"{{"TableName": "tbl", "KeySchema": {HASH_P}, "AttributeDefinitions": {DEF_P}, "BillingMode": "PAY_PER_REQUEST", "ProvisionedThroughput": {{"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}}"#
            ),
            ve("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"),
        ),
    ]
}

/// DescribeTable and DeleteTable share their name checks (§4, §3.5, §5.2).
/// Left out: 1–2 character names (§11.6: the length sentence or
/// ResourceNotFoundException is open).
fn control_plane(prefix: &'static str) -> Vec<Case> {
    let long = long_bad_name(256);
    let name = |suffix: &str| format!("{prefix}/{suffix}");
    vec![
        case(
            // The constraint layer would say `Value null at 'tableName'`.
            name("missing-name-sentence-beats-constraint-form"),
            "{}",
            ve(CONTROL_PLANE_MISSING),
        ),
        case(
            name("null-name-sentence-beats-constraint-form"),
            r#"{"TableName": null}"#,
            ve(CONTROL_PLANE_MISSING),
        ),
        case(
            name("length-sentence-beats-pattern"),
            format!(r#"{{"TableName": "{long}"}}"#),
            ve(CONTROL_PLANE_LENGTH),
        ),
        case(
            name("pattern-beats-missing-table"),
            r#"{"TableName": "x!y"}"#,
            ve(one(&fail("x!y", "tableName", PATTERN))),
        ),
    ]
}

/// UpdateTable: the control-plane name checks, then the constraint layer,
/// then the whole-request rules, all before the table lookup (indexes.md
/// §6.2).
fn update_table() -> Vec<Case> {
    let mut cases = control_plane("update-table");
    cases.extend([
        case(
            "update-table/constraint-beats-nothing-to-change",
            r#"{"TableName": "nope", "BillingMode": "FREE"}"#,
            ve(one(&fail(
                "FREE",
                "billingMode",
                "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
            ))),
        ),
        case(
            "update-table/nothing-to-change-beats-missing-table",
            format!(r#"{{"TableName": "{MISSING}"}}"#),
            ve("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"),
        ),
        case(
            "update-table/combination-beats-missing-table",
            format!(
                r#"{{"TableName": "{MISSING}", "DeletionProtectionEnabled": true, "BillingMode": "PAY_PER_REQUEST"}}"#
            ),
            ve("One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request"),
        ),
    ]);
    cases
}

fn list_tables() -> Vec<Case> {
    let long = "a".repeat(256);
    // ListTables has only the constraint layer (§5.2); its order is not
    // pinned, so every case is checked unordered.
    vec![
        case(
            "list/limit-and-short-start-name-aggregated",
            r#"{"Limit": 0, "ExclusiveStartTableName": "ab"}"#,
            aggregated(vec![
                fail("0", "limit", &min_value(1)),
                fail("ab", "exclusiveStartTableName", &min_len(3)),
            ]),
        ),
        case(
            "list/limit-and-start-pattern-aggregated",
            r#"{"Limit": 101, "ExclusiveStartTableName": "x!y"}"#,
            aggregated(vec![
                fail("101", "limit", &max_value(100)),
                fail("x!y", "exclusiveStartTableName", PATTERN),
            ]),
        ),
        case(
            "list/limit-and-long-start-name-aggregated",
            format!(r#"{{"Limit": 200, "ExclusiveStartTableName": "{long}"}}"#),
            aggregated(vec![
                fail("200", "limit", &max_value(100)),
                fail(&long, "exclusiveStartTableName", &max_len(255)),
            ]),
        ),
    ]
}

// ---------------------------------------------------------------------------
// PartiQL (spec partiql.md §1.4, §9, §10)

fn execute_statement() -> Vec<Case> {
    vec![
        case(
            "pq/statement-and-limit-aggregated",
            r#"{"Statement": "", "Limit": 0}"#,
            aggregated(vec![
                fail("", "statement", &min_len(1)),
                fail("0", "limit", &min_value(1)),
            ]),
        ),
        // §1.4 step 2: parameter values before the text is parsed.
        case(
            "pq/parameter-before-parse",
            r#"{"Statement": "UPDATE \"tbl\" SET WHERE", "Parameters": [{"SS": ["a", "a"]}]}"#,
            ve(
                "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
            ),
        ),
        // §1.4 step 3 before step 4: operand types, index qualifiers.
        case(
            "pq/operand-type-before-table",
            r#"{"Statement": "SELECT * FROM \"nope\" WHERE v < true"}"#,
            ve(
                "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL",
            ),
        ),
        case(
            "pq/index-qualifier-before-table",
            r#"{"Statement": "UPDATE \"nope\".\"idx\" SET a = 1 WHERE p = 'a'"}"#,
            ve("This operation is not supported on an index"),
        ),
        // Step 4 before step 5: the table before the key.
        case(
            "pq/table-before-key",
            r#"{"Statement": "DELETE FROM \"nope\" WHERE v = 1"}"#,
            not_found(),
        ),
        // Step 5: the index before the GSI consistency rule.
        case(
            "pq/index-before-consistency",
            r#"{"Statement": "SELECT * FROM \"tbl\".\"idx\" WHERE p = 'a'", "ConsistentRead": true}"#,
            ve("The table does not have the specified index"),
        ),
    ]
}

fn batch_execute_statement() -> Vec<Case> {
    vec![
        case(
            "pqbatch/empty-and-capacity-aggregated",
            r#"{"Statements": [], "ReturnConsumedCapacity": "ALL"}"#,
            aggregated(vec![
                fail("[]", "statements", &min_len(1)),
                fail("ALL", "returnConsumedCapacity", &enum_rule(RCC_SET)),
            ]),
        ),
        // §9: reads mixed with writes before two statements on one item.
        case(
            "pqbatch/mixed-before-duplicates",
            r#"{"Statements": [{"Statement": "SELECT * FROM \"tbl\" WHERE p = 'a'"},
                {"Statement": "UPDATE \"tbl\" SET v = 9 WHERE p = 'a'"}]}"#,
            ve("Read and write requests together in the same batch is not supported."),
        ),
        case(
            "pqbatch/duplicates-beside-a-missing-table",
            r#"{"Statements": [{"Statement": "INSERT INTO \"tbl\" VALUE {'p': 'z'}"},
                {"Statement": "DELETE FROM \"nope\" WHERE p = 'z'"},
                {"Statement": "UPDATE \"tbl\" SET v = 9 WHERE p = 'z'"}]}"#,
            ve("Provided list of item keys contains duplicates"),
        ),
    ]
}

fn execute_transaction() -> Vec<Case> {
    vec![
        case(
            "pqtx/empty-and-token-aggregated",
            r#"{"TransactStatements": [], "ClientRequestToken": ""}"#,
            aggregated(vec![
                fail("[]", "transactStatements", &min_len(1)),
                fail("", "clientRequestToken", &min_len(1)),
            ]),
        ),
        // §1.4, §5.3: parameter values (bare) before any statement's text.
        case(
            "pqtx/parameter-before-parse",
            r#"{"TransactStatements": [{"Statement": "SLECT"},
                {"Statement": "UPDATE \"tbl\" SET v = ? WHERE p = 'a'", "Parameters": [{"N": "1e99999999999"}]}]}"#,
            ve("The parameter cannot be converted to a numeric value: 1e99999999999"),
        ),
        // §10.2 before §10.1's read/write rule.
        case(
            "pqtx/parse-before-mixed",
            r#"{"TransactStatements": [{"Statement": "SELECT * FROM \"tbl\" WHERE p = 'a'"},
                {"Statement": "UPDATE \"tbl\" SET v = 9 WHERE"}]}"#,
            ve("Validation failed in TransactStatements[1]: Statement wasn't well formed, can't be processed: Unexpected term"),
        ),
        case(
            "pqtx/mixed-before-table",
            r#"{"TransactStatements": [{"Statement": "SELECT * FROM \"nope\" WHERE p = 'a'"},
                {"Statement": "UPDATE \"tbl\" SET v = 9 WHERE p = 'a'"}]}"#,
            ve("ExecuteTransaction API does not support both read and write operations in the same request."),
        ),
        // §10.5: a key of the wrong type cancels before duplicates are refused.
        case(
            "pqtx/key-type-before-duplicates",
            r#"{"TransactStatements": [{"Statement": "DELETE FROM \"tbl\" WHERE p = 'a'"},
                {"Statement": "DELETE FROM \"tbl\" WHERE p = 'a'"},
                {"Statement": "DELETE FROM \"tbl\" WHERE p = 1"}]}"#,
            Expect::Cancelled(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ValidationError]".into(),
                vec![("None", None), ("None", None), ("ValidationError", None)],
            ),
        ),
    ]
}

/// Every operation and its cases.
fn all_cases() -> Vec<(&'static str, Vec<Case>)> {
    vec![
        ("GetItem", get_item()),
        ("PutItem", put_item()),
        ("UpdateItem", update_item()),
        ("DeleteItem", delete_item()),
        ("Query", query()),
        ("Scan", scan()),
        ("BatchGetItem", batch_get_item()),
        ("BatchWriteItem", batch_write_item()),
        ("TransactGetItems", transact_get_items()),
        ("TransactWriteItems", transact_write_items()),
        ("CreateTable", create_table()),
        ("DescribeTable", control_plane("describe")),
        ("DeleteTable", control_plane("delete-table")),
        ("UpdateTable", update_table()),
        ("ListTables", list_tables()),
        ("DescribeTimeToLive", ttl::describe_time_to_live()),
        ("UpdateTimeToLive", ttl::update_time_to_live()),
        ("ExecuteStatement", execute_statement()),
        ("BatchExecuteStatement", batch_execute_statement()),
        ("ExecuteTransaction", execute_transaction()),
    ]
    .into_iter()
    .chain(control_plane::cases())
    .collect()
}

// ---------------------------------------------------------------------------
// Running

fn send(store: &Store, operation: &str, body: &str) -> (u16, Value) {
    let reply = dispatch(
        store,
        Some(&format!("{TARGET_PREFIX}{operation}")),
        body.as_bytes(),
    );
    let json = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
    (reply.status, json)
}

/// A fresh store with [`T`] and [`TC`] and a few items.
fn fixture() -> Store {
    let store = Store::new();
    let setup = [
        (
            "CreateTable",
            format!(
                r#"{{"TableName": "{T}", "KeySchema": [{{"AttributeName": "p", "KeyType": "HASH"}}], "AttributeDefinitions": [{{"AttributeName": "p", "AttributeType": "S"}}]}}"#
            ),
        ),
        (
            "CreateTable",
            format!(
                r#"{{"TableName": "{TC}", "KeySchema": [{{"AttributeName": "p", "KeyType": "HASH"}}, {{"AttributeName": "c", "KeyType": "RANGE"}}], "AttributeDefinitions": [{{"AttributeName": "p", "AttributeType": "S"}}, {{"AttributeName": "c", "AttributeType": "N"}}]}}"#
            ),
        ),
        (
            "PutItem",
            format!(r#"{{"TableName": "{T}", "Item": {{"p": {{"S": "a"}}, "v": {{"N": "1"}}}}}}"#),
        ),
        (
            "PutItem",
            format!(r#"{{"TableName": "{T}", "Item": {{"p": {{"S": "b"}}, "v": {{"N": "2"}}}}}}"#),
        ),
        (
            "PutItem",
            format!(
                r#"{{"TableName": "{TC}", "Item": {{"p": {{"S": "a"}}, "c": {{"N": "1"}}, "v": {{"N": "1"}}}}}}"#
            ),
        ),
    ];
    for (operation, body) in setup {
        let (status, reply) = send(&store, operation, &body);
        assert_eq!(status, 200, "fixture {operation} {body}: {reply}");
    }
    store
}

/// Every table and its items (a Scan of each), in name order.
fn snapshot(store: &Store) -> Vec<(String, Vec<Item>)> {
    let names = store
        .list_tables(ListTablesInput::default())
        .unwrap()
        .table_names;
    names
        .into_iter()
        .map(|name| {
            let items = store
                .scan(ScanInput::new(name.clone()))
                .unwrap()
                .items
                .unwrap_or_default();
            (name, items)
        })
        .collect()
}

/// The error parts of a reply: (exception type after `#`, message).
fn error_of(status: u16, reply: &Value) -> Result<(String, String), String> {
    if status != 400 {
        return Err(format!("expected HTTP 400, got {status}: {reply}"));
    }
    let kind = reply["__type"]
        .as_str()
        .and_then(|t| t.rsplit('#').next())
        .ok_or_else(|| format!("no __type in {reply}"))?;
    let message = reply["message"]
        .as_str()
        .or_else(|| reply["Message"].as_str())
        .unwrap_or_default();
    Ok((kind.to_owned(), message.to_owned()))
}

fn want_kind(got: &str, want: &str, message: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("expected {want}, got {got}: {message}"))
    }
}

fn check_aggregated(
    message: &str,
    total: usize,
    failures: &[String],
    ordered: &[String],
) -> Result<(), String> {
    let word = if total == 1 { "error" } else { "errors" };
    let head = format!("{total} validation {word} detected: ");
    let rest = message
        .strip_prefix(&head)
        .ok_or_else(|| format!("message does not start with `{head}`: {message}"))?;
    let parts: Vec<&str> = rest.split("; ").collect();
    if parts.len() != total {
        return Err(format!(
            "{} failures listed, {total} expected: {message}",
            parts.len()
        ));
    }
    for (i, part) in parts.iter().enumerate() {
        if !failures.iter().any(|f| f == part) {
            return Err(format!("unexpected failure `{part}` in: {message}"));
        }
        if parts.iter().take(i).any(|p| p == part) {
            return Err(format!("failure `{part}` listed twice: {message}"));
        }
    }
    let positions: Vec<usize> = ordered
        .iter()
        .filter_map(|f| parts.iter().position(|p| p == f))
        .collect();
    if positions.windows(2).any(|w| w[0] > w[1]) {
        return Err(format!(
            "failures out of the pinned order {ordered:?}: {message}"
        ));
    }
    Ok(())
}

fn check(expect: &Expect, status: u16, reply: &Value) -> Result<(), String> {
    let (kind, message) = error_of(status, reply)?;
    match expect {
        Expect::Error(want, text) => {
            want_kind(&kind, want, &message)?;
            if &message != text {
                return Err(format!("message\n     got: {message}\n    want: {text}"));
            }
        }
        Expect::Matches(pattern) => {
            want_kind(&kind, "ValidationException", &message)?;
            let re = Regex::new(&format!("(?s){pattern}")).unwrap();
            if !re.is_match(&message) {
                return Err(format!(
                    "message\n     got: {message}\n    want: /{pattern}/"
                ));
            }
        }
        Expect::OneOf(texts) => {
            want_kind(&kind, "ValidationException", &message)?;
            if !texts.contains(&message) {
                return Err(format!(
                    "message\n     got: {message}\n    want one of: {texts:#?}"
                ));
            }
        }
        Expect::Aggregated {
            total,
            failures,
            ordered,
        } => {
            want_kind(&kind, "ValidationException", &message)?;
            check_aggregated(&message, *total, failures, ordered)?;
        }
        Expect::Cancelled(text, reasons) => {
            want_kind(&kind, "TransactionCanceledException", &message)?;
            if &message != text {
                return Err(format!("message\n     got: {message}\n    want: {text}"));
            }
            let got = reply["CancellationReasons"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if got.len() != reasons.len() {
                return Err(format!("CancellationReasons {got:?}, want {reasons:?}"));
            }
            for (g, (code, text)) in got.iter().zip(reasons) {
                if g["Code"] != *code {
                    return Err(format!("CancellationReasons {got:?}, want {reasons:?}"));
                }
                if let Some(text) = text {
                    if g["Message"] != *text {
                        return Err(format!("CancellationReasons {got:?}, want {reasons:?}"));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Runs one case on a fresh store: the expected error, and nothing changed.
fn run_case(operation: &str, case: &Case) -> Result<(), String> {
    serde_json::from_str::<Value>(&case.body)
        .map_err(|e| format!("the case's body is not JSON ({e}): {}", case.body))?;
    let store = fixture();
    let before = snapshot(&store);
    let (status, reply) = send(&store, operation, &case.body);
    let outcome = check(&case.expect, status, &reply);
    let after = snapshot(&store);
    if before != after {
        return Err(format!(
            "the failing request changed the store\n  before: {before:?}\n   after: {after:?}{}",
            outcome
                .err()
                .map(|e| format!("\n  and: {e}"))
                .unwrap_or_default()
        ));
    }
    outcome
}

/// Runs an operation's cases; fails listing every failing case, and every
/// [`KNOWN`] case that passes.
fn run(operation: &str, cases: &[Case]) {
    assert!(cases.len() >= 3, "{operation}: only {} cases", cases.len());
    let mut failures = Vec::new();
    let mut known_failing = Vec::new();
    for case in cases {
        let known = KNOWN.iter().find(|(name, _)| *name == case.name.as_str());
        match (run_case(operation, case), known) {
            (Ok(()), None) => {}
            (Ok(()), Some(_)) => failures.push(format!(
                "{}: passes but is listed in KNOWN; remove it from the list",
                case.name
            )),
            (Err(why), None) => failures.push(format!("{}: {why}", case.name)),
            (Err(why), Some((_, reason))) => {
                known_failing.push(format!("{} ({reason}): {why}", case.name));
            }
        }
    }
    eprintln!(
        "{operation}: {} cases, {} known crate bugs skipped",
        cases.len(),
        known_failing.len()
    );
    for known in &known_failing {
        eprintln!("  known: {known}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} {operation} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn run_operation(operation: &str) {
    let (_, cases) = all_cases()
        .into_iter()
        .find(|(op, _)| *op == operation)
        .unwrap();
    run(operation, &cases);
}

#[test]
fn case_names_are_unique_and_known_cases_exist() {
    let all = all_cases();
    let names: Vec<&str> = all
        .iter()
        .flat_map(|(_, cases)| cases.iter().map(|c| c.name.as_str()))
        .collect();
    for (i, name) in names.iter().enumerate() {
        assert!(!names[..i].contains(name), "case name {name} used twice");
    }
    for (name, _) in KNOWN {
        assert!(names.contains(name), "KNOWN names no case: {name}");
    }
    let operations: Vec<&str> = all.iter().map(|(op, _)| *op).collect();
    for op in dynacond::protocol::OPERATIONS {
        assert!(operations.contains(op), "no cases for {op}");
    }
}

#[test]
fn get_item_order() {
    run_operation("GetItem");
}

#[test]
fn put_item_order() {
    run_operation("PutItem");
}

#[test]
fn update_item_order() {
    run_operation("UpdateItem");
}

#[test]
fn delete_item_order() {
    run_operation("DeleteItem");
}

#[test]
fn query_order() {
    run_operation("Query");
}

#[test]
fn scan_order() {
    run_operation("Scan");
}

#[test]
fn batch_get_item_order() {
    run_operation("BatchGetItem");
}

#[test]
fn batch_write_item_order() {
    run_operation("BatchWriteItem");
}

#[test]
fn transact_get_items_order() {
    run_operation("TransactGetItems");
}

#[test]
fn transact_write_items_order() {
    run_operation("TransactWriteItems");
}

#[test]
fn create_table_order() {
    run_operation("CreateTable");
}

#[test]
fn time_to_live_order() {
    run_operation("DescribeTimeToLive");
    run_operation("UpdateTimeToLive");
}

#[test]
fn describe_table_order() {
    run_operation("DescribeTable");
}

#[test]
fn delete_table_order() {
    run_operation("DeleteTable");
}

#[test]
fn update_table_order() {
    run_operation("UpdateTable");
}

#[test]
fn list_tables_order() {
    run_operation("ListTables");
}

#[test]
fn execute_statement_order() {
    run_operation("ExecuteStatement");
}

#[test]
fn batch_execute_statement_order() {
    run_operation("BatchExecuteStatement");
}

#[test]
fn execute_transaction_order() {
    run_operation("ExecuteTransaction");
}

#[test]
fn aggregated_check_rejects_wrong_shapes() {
    let (a, b) = (
        "Value 'x' at 'a' failed".to_owned(),
        "Value 'y' at 'b' failed".to_owned(),
    );
    let both = [a.clone(), b.clone()];
    let ok = |m: &str, ordered: &[String]| check_aggregated(m, 2, &both, ordered).is_ok();
    assert!(ok(&format!("2 validation errors detected: {a}; {b}"), &[]));
    assert!(ok(&format!("2 validation errors detected: {b}; {a}"), &[]));
    // The pinned order, the count word, the joins, duplicates, the count.
    assert!(!ok(
        &format!("2 validation errors detected: {b}; {a}"),
        &both
    ));
    assert!(!ok(&format!("2 validation error detected: {a}; {b}"), &[]));
    assert!(!ok(&format!("2 validation errors detected: {a}, {b}"), &[]));
    assert!(!ok(&format!("2 validation errors detected: {a}; {a}"), &[]));
    assert!(!ok(&format!("1 validation error detected: {a}"), &[]));
    assert!(check_aggregated(&format!("1 validation error detected: {a}"), 1, &both, &[]).is_ok());
}
