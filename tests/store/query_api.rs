//! Query and Scan behaviour, rule by rule: every validation message, Select
//! combinations, key-condition operators, sort orders of S/N/B keys,
//! pagination (Limit, the 1 MB rule, pages the filter empties), reverse
//! order and parallel scans.

use std::collections::{BTreeSet, HashMap};

use dynacond::api::{PutItemInput, QueryInput, QueryOutput, ScanInput, ScanOutput};
use dynacond::{AttributeValue, Error, Item, Store, wire};
use serde_json::{Value, json};

const T: &str = "tbl";

fn req<D: serde::de::DeserializeOwned>(v: Value) -> D {
    wire::from_value(v).unwrap()
}

/// A table `tbl` with partition key `p` and an optional sort key `c` of
/// type `sort` ("S", "N", "B"), holding `items`.
fn table(sort: Option<&str>, items: &[Value]) -> Store {
    let store = Store::new();
    let mut schema = vec![json!({"AttributeName": "p", "KeyType": "HASH"})];
    let mut defs = vec![json!({"AttributeName": "p", "AttributeType": "S"})];
    if let Some(t) = sort {
        schema.push(json!({"AttributeName": "c", "KeyType": "RANGE"}));
        defs.push(json!({"AttributeName": "c", "AttributeType": t}));
    }
    store
        .create_table(req(
            json!({"TableName": T, "KeySchema": schema, "AttributeDefinitions": defs}),
        ))
        .unwrap();
    for item in items {
        store
            .put_item(PutItemInput::new(T, req(item.clone())))
            .unwrap();
    }
    store
}

/// Partition k1 with c = 1..=5 (i = 10c), partition k2 with c = 3.
fn numbers() -> Store {
    let mut items: Vec<Value> = (1..=5)
        .map(|c| json!({"p": {"S": "k1"}, "c": {"N": c.to_string()}, "i": {"N": (c * 10).to_string()}}))
        .collect();
    items.push(json!({"p": {"S": "k2"}, "c": {"N": "3"}, "i": {"N": "30"}}));
    table(Some("N"), &items)
}

fn with_table(mut request: Value) -> Value {
    request["TableName"] = json!(T);
    request
}

fn query(store: &Store, request: Value) -> Result<QueryOutput, Error> {
    store.query(wire::from_value(with_table(request))?)
}

fn scan(store: &Store, request: Value) -> Result<ScanOutput, Error> {
    store.scan(wire::from_value(with_table(request))?)
}

/// The `c` numbers of the items, in order.
fn cs(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|i| match &i["c"] {
            AttributeValue::N(n) => n.to_string(),
            AttributeValue::S(s) => s.clone(),
            AttributeValue::B(b) => format!("{b:?}"),
            other => panic!("{other:?}"),
        })
        .collect()
}

fn vals(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

#[test]
fn key_condition_operators_select_the_right_items() {
    let store = numbers();
    let n = |x: i32| json!({"N": x.to_string()});
    let cases: &[(&str, Value, &[&str])] = &[
        ("p = :p", vals(&[]), &["1", "2", "3", "4", "5"]),
        ("p = :p AND c = :a", vals(&[(":a", n(3))]), &["3"]),
        ("p = :p AND c < :a", vals(&[(":a", n(3))]), &["1", "2"]),
        (
            "p = :p AND c <= :a",
            vals(&[(":a", n(3))]),
            &["1", "2", "3"],
        ),
        ("p = :p AND c > :a", vals(&[(":a", n(3))]), &["4", "5"]),
        (
            "p = :p AND c >= :a",
            vals(&[(":a", n(3))]),
            &["3", "4", "5"],
        ),
        (
            "p = :p AND c BETWEEN :a AND :b",
            vals(&[(":a", n(2)), (":b", n(4))]),
            &["2", "3", "4"],
        ),
        (
            "p = :p AND c BETWEEN :a AND :b",
            vals(&[(":a", n(3)), (":b", n(3))]),
            &["3"],
        ),
        // Reversed operands flip the operator.
        (":p = p AND :a < c", vals(&[(":a", n(3))]), &["4", "5"]),
        (":a >= c AND p = :p", vals(&[(":a", n(2))]), &["1", "2"]),
        ("(p = :p) AND (c > :a)", vals(&[(":a", n(4))]), &["5"]),
        ("((c=:a) AND (p=:p))", vals(&[(":a", n(3))]), &["3"]),
        ("p = :p AND c > :a", vals(&[(":a", n(9))]), &[]),
        ("p = :p AND c < :a", vals(&[(":a", n(1))]), &[]),
    ];
    for (expr, extra, want) in cases {
        let mut values = extra.clone();
        values[":p"] = json!({"S": "k1"});
        let out = query(
            &store,
            json!({"KeyConditionExpression": expr, "ExpressionAttributeValues": values}),
        )
        .unwrap_or_else(|e| panic!("{expr}: {}", e.message()));
        let got = cs(out.items.as_ref().unwrap());
        assert_eq!(got, *want, "{expr}");
        assert_eq!(out.count as usize, want.len(), "{expr}");
        assert_eq!(out.scanned_count as usize, want.len(), "{expr}");
        assert!(out.last_evaluated_key.is_none(), "{expr}");
    }
    // The same through ExpressionAttributeNames.
    let out = query(
        &store,
        json!({"KeyConditionExpression": "#p = :p AND #c > :a",
               "ExpressionAttributeNames": {"#p": "p", "#c": "c"},
               "ExpressionAttributeValues": {":p": {"S": "k2"}, ":a": {"N": "2"}}}),
    )
    .unwrap();
    assert_eq!(cs(&out.items.unwrap()), ["3"]);
}

#[test]
fn sort_orders_of_numbers_strings_and_binaries() {
    let ns = ["1e3", "-10", "2", "0", "-1.5", "10", "0.001"];
    let items: Vec<Value> = ns
        .iter()
        .map(|c| json!({"p": {"S": "k"}, "c": {"N": c}}))
        .collect();
    let store = table(Some("N"), &items);
    let q = json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "k"}}});
    let got = cs(&query(&store, q.clone()).unwrap().items.unwrap());
    assert_eq!(got, ["-10", "-1.5", "0", "0.001", "2", "10", "1000"]);
    let mut back = q.clone();
    back["ScanIndexForward"] = json!(false);
    let mut rev = got.clone();
    rev.reverse();
    assert_eq!(cs(&query(&store, back).unwrap().items.unwrap()), rev);

    let ss = ["z", "a", "B", "ab", "é", "A", "aa"];
    let items: Vec<Value> = ss
        .iter()
        .map(|c| json!({"p": {"S": "k"}, "c": {"S": c}}))
        .collect();
    let store = table(Some("S"), &items);
    assert_eq!(
        cs(&query(&store, q.clone()).unwrap().items.unwrap()),
        ["A", "B", "a", "aa", "ab", "z", "é"]
    );
    let prefix = json!({"KeyConditionExpression": "p = :p AND begins_with(c, :a)",
        "ExpressionAttributeValues": {":p": {"S": "k"}, ":a": {"S": "a"}}, "ScanIndexForward": false});
    assert_eq!(
        cs(&query(&store, prefix).unwrap().items.unwrap()),
        ["ab", "aa", "a"]
    );

    // Binary keys are unsigned: 0x80 and 0xFF sort after 0x7F.
    let bs = ["gA==", "AA==", "/w==", "fw==", "//8=", "fwA="];
    let items: Vec<Value> = bs
        .iter()
        .map(|c| json!({"p": {"S": "k"}, "c": {"B": c}}))
        .collect();
    let store = table(Some("B"), &items);
    let got: Vec<Vec<u8>> = query(&store, q)
        .unwrap()
        .items
        .unwrap()
        .iter()
        .map(|i| i["c"].as_b().unwrap().to_vec())
        .collect();
    assert_eq!(
        got,
        [
            vec![0x00],
            vec![0x7F],
            vec![0x7F, 0x00],
            vec![0x80],
            vec![0xFF],
            vec![0xFF, 0xFF]
        ]
    );
    // begins_with 0xFF: a prefix without a successor reads to the end.
    let prefix = json!({"KeyConditionExpression": "p = :p AND begins_with(c, :a)",
        "ExpressionAttributeValues": {":p": {"S": "k"}, ":a": {"B": "/w=="}}, "ScanIndexForward": false});
    let got: Vec<Vec<u8>> = query(&store, prefix)
        .unwrap()
        .items
        .unwrap()
        .iter()
        .map(|i| i["c"].as_b().unwrap().to_vec())
        .collect();
    assert_eq!(got, [vec![0xFF, 0xFF], vec![0xFF]]);
}

#[test]
fn query_validation_messages() {
    let store = numbers();
    let kc = |expr: &str, values: Value| json!({"KeyConditionExpression": expr, "ExpressionAttributeValues": values});
    let pv = json!({":p": {"S": "k1"}});
    let pc = json!({":p": {"S": "k1"}, ":c": {"N": "3"}});
    let ikc = "Invalid KeyConditionExpression: ";
    let cases: Vec<(Value, String)> = vec![
        (kc("p < :p", pv.clone()), "Query key condition not supported".into()),
        (kc("begins_with(p, :p)", pv.clone()), "Query key condition not supported".into()),
        (kc("p BETWEEN :p AND :p", pv.clone()), "Query key condition not supported".into()),
        (kc("c = :c", json!({":c": {"N": "3"}})), "Query condition missed key schema element: p".into()),
        (kc("x = :p", pv.clone()), "Query condition missed key schema element: p".into()),
        (kc("p = :p AND x = :c", pc.clone()), "Query condition missed key schema element: c".into()),
        (kc("p = :p AND p = :p", pv.clone()), format!("{ikc}KeyConditionExpressions must only contain one condition per key")),
        (kc("p = :p AND c > :c AND c < :c", pc.clone()), format!("{ikc}Conditions can be of length 1 or 2 only")),
        (kc("p = :p AND c <> :c", pc.clone()), format!("{ikc}Invalid operator used in KeyConditionExpression: <>")),
        (kc("p = :p AND c IN (:c)", pc.clone()), format!("{ikc}Invalid operator used in KeyConditionExpression: IN")),
        (kc("c = :c OR p = :p", pc.clone()), format!("{ikc}Invalid operator used in KeyConditionExpression: OR")),
        (kc("NOT c = :c AND p = :p", pc.clone()), format!("{ikc}Invalid operator used in KeyConditionExpression: NOT")),
        (kc("p = :p AND attribute_exists(c)", pv.clone()), format!("{ikc}Invalid operator used in KeyConditionExpression: attribute_exists")),
        (kc("p = :p AND attribute_not_exists(c)", pv.clone()), format!("{ikc}Invalid operator used in KeyConditionExpression: attribute_not_exists")),
        (kc("p = :p AND contains(c, :c)", pc.clone()), format!("{ikc}Invalid operator used in KeyConditionExpression: contains")),
        (kc("p = :p AND attribute_type(c, :t)", json!({":p": {"S": "k1"}, ":t": {"S": "N"}})), format!("{ikc}Invalid operator used in KeyConditionExpression: attribute_type")),
        (kc("p = :p AND size(c) > :c", pc.clone()), format!("{ikc}KeyConditionExpressions cannot contain nested operations")),
        (kc("p = :p AND a.b < :c", pc.clone()), format!("{ikc}KeyConditionExpressions cannot have conditions on nested attributes")),
        (kc("p = :p AND c[0] < :c", pc.clone()), format!("{ikc}KeyConditionExpressions cannot have conditions on nested attributes")),
        (json!({"KeyConditionExpression": "p = c"}), format!("{ikc}Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")),
        (kc(":p = :c", pc.clone()), format!("{ikc}Invalid condition in KeyConditionExpression: No key attribute specified")),
        (kc("p = :p AND :c BETWEEN c AND :c", pc.clone()), format!("{ikc}Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand")),
        (kc("p = :p AND begins_with(:s, c)", json!({":p": {"S": "k1"}, ":s": {"S": "x"}})), format!("{ikc}Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand")),
        (kc("p = :p AND begins_with(c, :s)", json!({":p": {"S": "k1"}, ":s": {"S": "1"}})), format!("{ikc}Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")),
        (kc("p = :p AND begins_with(c, :c)", pc.clone()), format!("{ikc}Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")),
        (kc("p = :c", json!({":c": {"N": "3"}})), "One or more parameter values were invalid: Condition parameter type does not match schema type".into()),
        (kc("p = :p AND c = :s", json!({":p": {"S": "k1"}, ":s": {"S": "3"}})), "One or more parameter values were invalid: Condition parameter type does not match schema type".into()),
        (kc("p = :p AND c BETWEEN :a AND :b", json!({":p": {"S": "k1"}, ":a": {"N": "5"}, ":b": {"N": "4"}})), format!("{ikc}The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {{N:5}}, upper bound operand: AttributeValue: {{N:4}}")),
        (kc("p = :p AND c BETWEEN :a AND :b", json!({":p": {"S": "k1"}, ":a": {"N": "1"}, ":b": {"S": "a"}})), format!("{ikc}The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {{N:1}}, upper bound operand: AttributeValue: {{S:a}}")),
        (kc("p = :p AND c < :b", json!({":p": {"S": "k1"}, ":b": {"BOOL": true}})), format!("{ikc}Incorrect operand type for operator or function; operator or function: <, operand type: BOOL")),
        (kc("p = :nope", pv.clone()), format!("{ikc}An expression attribute value used in expression is not defined; attribute value: :nope")),
        (kc("#x = :p", pv.clone()), format!("{ikc}An expression attribute name used in the document path is not defined; attribute name: #x")),
        (kc("", pv.clone()), format!("{ikc}The expression can not be empty;")),
        (kc("((p = :p))", pv.clone()), format!("{ikc}The expression has redundant parentheses;")),
        (json!({"ExpressionAttributeValues": pv}), "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.".into()),
        // FilterExpression: key attributes are not allowed, directly or as the other side.
        (json!({"KeyConditionExpression": "p = :p", "FilterExpression": "c = :c", "ExpressionAttributeValues": pc}), "Filter Expression can only contain non-primary key attributes: Primary key attribute: c".into()),
        (json!({"KeyConditionExpression": "p = :p", "FilterExpression": "i = c", "ExpressionAttributeValues": pv}), "Filter Expression can only contain non-primary key attributes: Primary key attribute: c".into()),
        (json!({"KeyConditionExpression": "p = :p", "FilterExpression": "attribute_exists(#k)", "ExpressionAttributeNames": {"#k": "p"}, "ExpressionAttributeValues": pv}), "Filter Expression can only contain non-primary key attributes: Primary key attribute: p".into()),
        (json!({"KeyConditionExpression": "p = :p", "FilterExpression": "", "ExpressionAttributeValues": pv}), "Invalid FilterExpression: The expression can not be empty;".into()),
        (json!({"KeyConditionExpression": "p = :p", "FilterExpression": "i = :nope", "ExpressionAttributeValues": pv}), "Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :nope".into()),
        // Checked even when the partition holds no item.
        (json!({"KeyConditionExpression": "p = :p", "FilterExpression": "i < :b", "ExpressionAttributeValues": {":p": {"S": "none"}, ":b": {"BOOL": true}}}), "Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL".into()),
        (json!({"KeyConditionExpression": "p = :p", "ProjectionExpression": "a, a.b", "ExpressionAttributeValues": pv}), "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]".into()),
        // Placeholders across all three expressions.
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "k1"}, ":zz": {"N": "1"}}}), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:zz}".into()),
        (json!({"KeyConditionExpression": "p = :p", "ProjectionExpression": "#a", "ExpressionAttributeNames": {"#a": "i", "#b": "x"}, "ExpressionAttributeValues": pv}), "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeNames": {}, "ExpressionAttributeValues": pv}), "ExpressionAttributeNames must not be empty".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "k1"}, ":s": {"SS": []}}}), "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :s".into()),
        // Other members.
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "Limit": 0}), "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "Limit": -3}), "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "IndexName": "byI"}), "The table does not have the specified index: byI".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "Select": "ALL_PROJECTED_ATTRIBUTES"}), "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "Select": "SPECIFIC_ATTRIBUTES"}), "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "Select": "COUNT", "ProjectionExpression": "i"}), "Cannot specify the ProjectionExpression when choosing to get only the Count".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "Select": "ALL_ATTRIBUTES", "ProjectionExpression": "i"}), "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "Select": "SOME"}), "1 validation error detected: Value 'SOME' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]".into()),
        // ExclusiveStartKey.
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "ExclusiveStartKey": {"p": {"S": "k1"}}}), "The provided starting key is invalid".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "ExclusiveStartKey": {"p": {"S": "k1"}, "c": {"S": "1"}}}), "The provided starting key is invalid: The provided key element does not match the schema".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "ExclusiveStartKey": {"p": {"S": "k1"}, "c": {"N": "1"}, "i": {"N": "1"}}}), "The provided starting key is invalid".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "ExclusiveStartKey": {"p": {"S": "k2"}, "c": {"N": "1"}}}), "The provided starting key is outside query boundaries based on provided conditions".into()),
        (json!({"KeyConditionExpression": "p = :p AND c > :c", "ExpressionAttributeValues": pc, "ExclusiveStartKey": {"p": {"S": "k1"}, "c": {"N": "1"}}}), "The provided starting key does not match the range key predicate".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "ExclusiveStartKey": {"p": {"S": ""}, "c": {"N": "1"}}}), "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p".into()),
        // Legacy parameters.
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "AttributesToGet": ["i"]}), "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {KeyConditionExpression}".into()),
        (json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": pv, "QueryFilter": {}, "ConditionalOperator": "OR"}), "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter, ConditionalOperator} Expression parameters: {KeyConditionExpression}".into()),
    ];
    let before = scan(&store, json!({})).unwrap().items;
    for (request, want) in &cases {
        match query(&store, request.clone()) {
            Ok(out) => panic!("{request}: succeeded with {out:?}, want {want}"),
            Err(e) => {
                assert_eq!(e.type_name(), "ValidationException", "{request}");
                assert_eq!(e.message(), want, "{request}");
            }
        }
    }
    assert_eq!(scan(&store, json!({})).unwrap().items, before);
    let e = store
        .query(QueryInput::new("nope", "p = :p").with_value(":p", AttributeValue::s("k1")))
        .unwrap_err();
    assert_eq!(e.type_name(), "ResourceNotFoundException");
    assert_eq!(e.message(), "Requested resource not found");
}

#[test]
fn scan_validation_messages() {
    let store = numbers();
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"Segment": 0}),
            "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
        ),
        (
            json!({"TotalSegments": 2}),
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
        ),
        (
            json!({"Segment": 5, "TotalSegments": 5}),
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5",
        ),
        (
            json!({"Segment": 9, "TotalSegments": 5}),
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 9 is not less than TotalSegments: 5",
        ),
        (
            json!({"Segment": 0, "TotalSegments": 0}),
            "1 validation error detected: Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            json!({"Segment": 0, "TotalSegments": 1_000_001}),
            "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000",
        ),
        (
            json!({"Segment": -1, "TotalSegments": 4}),
            "1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0",
        ),
        (
            json!({"Segment": 1_000_000, "TotalSegments": 1_000_000}),
            "1 validation error detected: Value '1000000' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 999999",
        ),
        (
            json!({"Limit": 0}),
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            json!({"ExpressionAttributeValues": {":a": {"N": "1"}}}),
            "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
        ),
        (
            json!({"ExpressionAttributeNames": {"#a": "i"}}),
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            json!({"FilterExpression": "i = :a", "ExpressionAttributeValues": {":a": {"N": "1"}, ":b": {"N": "2"}}}),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}",
        ),
        (
            json!({"FilterExpression": "i = :a"}),
            "Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :a",
        ),
        (
            json!({"IndexName": "byI"}),
            "The table does not have the specified index: byI",
        ),
        (
            json!({"Select": "ALL_PROJECTED_ATTRIBUTES"}),
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
        ),
        (
            json!({"Select": "COUNT", "ProjectionExpression": "i"}),
            "Cannot specify the ProjectionExpression when choosing to get only the Count",
        ),
        (
            json!({"ExclusiveStartKey": {"p": {"S": "k1"}}}),
            "The provided starting key is invalid: The provided key element does not match the schema",
        ),
        (
            json!({"ExclusiveStartKey": {"p": {"N": "1"}, "c": {"N": "1"}}}),
            "The provided starting key is invalid: The provided key element does not match the schema",
        ),
        (
            json!({"ScanFilter": {"i": {"ComparisonOperator": "EQ"}}}),
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            json!({"AttributesToGet": ["i"], "ProjectionExpression": "i"}),
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
        ),
    ];
    for (request, want) in &cases {
        match scan(&store, request.clone()) {
            Ok(out) => panic!("{request}: succeeded with {out:?}, want {want}"),
            Err(e) => {
                assert_eq!(e.type_name(), "ValidationException", "{request}");
                assert_eq!(e.message(), *want, "{request}");
            }
        }
    }
    // A start key of another segment.
    let total = 1000;
    let key = json!({"p": {"S": "k1"}, "c": {"N": "1"}});
    let seg = (0..total)
        .find(|s| {
            scan(
                &store,
                json!({"Segment": s, "TotalSegments": total, "ExclusiveStartKey": key}),
            )
            .is_err()
        })
        .unwrap();
    let e = scan(
        &store,
        json!({"Segment": seg, "TotalSegments": total, "ExclusiveStartKey": key}),
    )
    .unwrap_err();
    assert_eq!(
        e.message(),
        format!(
            "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {total} Segment: {seg}"
        )
    );
}

#[test]
fn select_combinations() {
    let store = numbers();
    let base = json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "k1"}, ":n": {"N": "25"}},
        "FilterExpression": "i > :n"});
    let with = |extra: Value| {
        let mut r = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        query(&store, r).unwrap()
    };
    let all = with(json!({}));
    assert_eq!(cs(all.items.as_ref().unwrap()), ["3", "4", "5"]);
    assert_eq!((all.count, all.scanned_count), (3, 5));
    assert_eq!(all.items.as_ref().unwrap()[0].len(), 3);
    assert_eq!(with(json!({"Select": "ALL_ATTRIBUTES"})), all);
    let count = with(json!({"Select": "COUNT"}));
    assert_eq!(
        (count.items.is_none(), count.count, count.scanned_count),
        (true, 3, 5)
    );
    let json_reply = serde_json::to_value(&count).unwrap();
    assert_eq!(json_reply, json!({"Count": 3, "ScannedCount": 5}));
    // The filter reads `i`, the projection returns only `c`.
    let specific = with(json!({"Select": "SPECIFIC_ATTRIBUTES", "ProjectionExpression": "c"}));
    let want: Vec<Item> = [3, 4, 5]
        .iter()
        .map(|c| req(json!({"c": {"N": c.to_string()}})))
        .collect();
    assert_eq!(specific.items.unwrap(), want);
    assert_eq!(
        with(json!({"ProjectionExpression": "c"})).items.unwrap(),
        want
    );
    // A projection of attributes no item has gives empty items, still counted.
    let none = with(json!({"ProjectionExpression": "zz"}));
    assert_eq!(none.items.unwrap(), vec![Item::new(); 3]);
    // Scan takes the same Select rules.
    let count = scan(&store, json!({"Select": "COUNT"})).unwrap();
    assert_eq!(
        (count.items, count.count, count.scanned_count),
        (None, 6, 6)
    );
    let empty_json = serde_json::to_value(
        scan(
            &store,
            json!({"FilterExpression": "i = :x",
        "ExpressionAttributeValues": {":x": {"N": "7"}}}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        empty_json,
        json!({"Items": [], "Count": 0, "ScannedCount": 6})
    );
}

/// Pages through a Query or Scan, returning (items, per-page counts).
fn all_pages(
    mut page: impl FnMut(Option<Item>) -> (Vec<Item>, u64, u64, Option<Item>),
) -> (Vec<Item>, Vec<(u64, u64)>) {
    let mut start = None;
    let mut items = Vec::new();
    let mut pages = Vec::new();
    loop {
        let (got, count, scanned, next) = page(start.take());
        assert_eq!(got.len() as u64, count);
        items.extend(got);
        pages.push((count, scanned));
        match next {
            Some(k) => start = Some(k),
            None => return (items, pages),
        }
        assert!(pages.len() < 10_000, "pagination does not end");
    }
}

fn query_pages(store: &Store, request: &Value) -> (Vec<Item>, Vec<(u64, u64)>) {
    all_pages(|start| {
        let mut r = request.clone();
        if let Some(k) = start {
            r["ExclusiveStartKey"] = serde_json::to_value(&k).unwrap();
        }
        let out = query(store, r).unwrap();
        (
            out.items.unwrap(),
            out.count,
            out.scanned_count,
            out.last_evaluated_key,
        )
    })
}

fn scan_pages(store: &Store, request: &Value) -> (Vec<Item>, Vec<(u64, u64)>) {
    all_pages(|start| {
        let mut r = request.clone();
        if let Some(k) = start {
            r["ExclusiveStartKey"] = serde_json::to_value(&k).unwrap();
        }
        let out = scan(store, r).unwrap();
        (
            out.items.unwrap(),
            out.count,
            out.scanned_count,
            out.last_evaluated_key,
        )
    })
}

#[test]
fn pagination_with_limit_filter_and_reverse_order() {
    let store = numbers();
    let q = |limit: i64, forward: bool, filter: Option<&str>| {
        let mut r = json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "k1"}},
            "Limit": limit, "ScanIndexForward": forward});
        if let Some(f) = filter {
            r["FilterExpression"] = json!(f);
            r["ExpressionAttributeValues"][":n"] = json!({"N": "35"});
        }
        r
    };
    // (limit, forward, filter, items, per-page (count, scanned))
    type Case<'a> = (i64, bool, Option<&'a str>, Vec<&'a str>, Vec<(u64, u64)>);
    let cases: Vec<Case<'_>> = vec![
        (
            2,
            true,
            None,
            vec!["1", "2", "3", "4", "5"],
            vec![(2, 2), (2, 2), (1, 1)],
        ),
        (
            5,
            true,
            None,
            vec!["1", "2", "3", "4", "5"],
            vec![(5, 5), (0, 0)],
        ),
        (6, true, None, vec!["1", "2", "3", "4", "5"], vec![(5, 5)]),
        (
            1,
            true,
            None,
            vec!["1", "2", "3", "4", "5"],
            vec![(1, 1); 5].into_iter().chain([(0, 0)]).collect(),
        ),
        (
            2,
            false,
            None,
            vec!["5", "4", "3", "2", "1"],
            vec![(2, 2), (2, 2), (1, 1)],
        ),
        // The filter drops whole pages; pagination goes on.
        (
            2,
            true,
            Some("i > :n"),
            vec!["4", "5"],
            vec![(0, 2), (1, 2), (1, 1)],
        ),
        (
            2,
            false,
            Some("i > :n"),
            vec!["5", "4"],
            vec![(2, 2), (0, 2), (0, 1)],
        ),
        (
            2,
            true,
            Some("i > :n AND i < :n"),
            vec![],
            vec![(0, 2), (0, 2), (0, 1)],
        ),
    ];
    for (limit, forward, filter, want, want_pages) in cases {
        let (items, pages) = query_pages(&store, &q(limit, forward, filter));
        assert_eq!(
            cs(&items),
            want,
            "limit {limit} forward {forward} filter {filter:?}"
        );
        assert_eq!(
            pages, want_pages,
            "limit {limit} forward {forward} filter {filter:?}"
        );
    }
    // LastEvaluatedKey is the key of the last item read, filtered out or not.
    let out = query(&store, q(2, true, Some("i > :n"))).unwrap();
    assert_eq!(
        out.last_evaluated_key.unwrap(),
        req::<Item>(json!({"p": {"S": "k1"}, "c": {"N": "2"}}))
    );
    // Scan pages through the whole table, partition by partition.
    for limit in [1, 2, 3, 4, 6, 7] {
        let (items, _) = scan_pages(&store, &json!({"Limit": limit}));
        assert_eq!(cs(&items), ["1", "2", "3", "4", "5", "3"], "limit {limit}");
    }
}

#[test]
fn one_megabyte_pages() {
    // Ten items of about 300 KB: the item that brings a page to 1 MB ends it.
    let big = "x".repeat(300_000);
    let items: Vec<Value> = (0..10)
        .map(|c| json!({"p": {"S": "k"}, "c": {"N": c.to_string()}, "filler": {"S": big}}))
        .collect();
    let store = table(Some("N"), &items);
    let item_bytes = dynacond::item_size(&req(items[0].clone()));
    let per_page = (1024 * 1024usize).div_ceil(item_bytes) as u64;
    assert_eq!(per_page, 4);
    let q = json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "k"}}});
    let (got, pages) = query_pages(&store, &q);
    assert_eq!(got.len(), 10);
    assert_eq!(pages, [(4, 4), (4, 4), (2, 2)]);
    // Before filter and projection: a projection of the key alone still reads 1 MB pages,
    // and so does a filter that drops everything.
    let mut projected = q.clone();
    projected["ProjectionExpression"] = json!("c");
    assert_eq!(query_pages(&store, &projected).1, [(4, 4), (4, 4), (2, 2)]);
    let mut filtered = q.clone();
    filtered["FilterExpression"] = json!("attribute_not_exists(filler)");
    assert_eq!(query_pages(&store, &filtered).1, [(0, 4), (0, 4), (0, 2)]);
    // Limit stops first when it is smaller.
    let mut limited = q.clone();
    limited["Limit"] = json!(3);
    assert_eq!(
        query_pages(&store, &limited).1,
        [(3, 3), (3, 3), (3, 3), (1, 1)]
    );
    // Scan too.
    assert_eq!(scan_pages(&store, &json!({})).1, [(4, 4), (4, 4), (2, 2)]);
    // Select COUNT reads the same pages.
    let count = scan(&store, json!({"Select": "COUNT"})).unwrap();
    assert_eq!((count.count, count.scanned_count), (4, 4));
    assert!(count.items.is_none() && count.last_evaluated_key.is_some());
}

#[test]
fn hash_only_table_query_and_scan_filter_on_keys() {
    let items: Vec<Value> = ["a", "b", "c"]
        .iter()
        .map(|p| json!({"p": {"S": p}, "v": {"N": "1"}}))
        .collect();
    let store = table(None, &items);
    let out = query(&store, json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "b"}}})).unwrap();
    assert_eq!(out.items.unwrap(), vec![req::<Item>(items[1].clone())]);
    let e = query(&store, json!({"KeyConditionExpression": "p = :p AND v = :p", "ExpressionAttributeValues": {":p": {"S": "b"}}})).unwrap_err();
    assert_eq!(e.message(), "Query key condition not supported");
    let out = scan(
        &store,
        json!({"FilterExpression": "p <> :p", "ExpressionAttributeValues": {":p": {"S": "b"}}}),
    )
    .unwrap();
    assert_eq!(out.items.unwrap().len(), 2);
    let out = query(&store, json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "zz"}}})).unwrap();
    assert_eq!(
        (out.items.unwrap().len(), out.count, out.last_evaluated_key),
        (0, 0, None)
    );
}

#[test]
fn parallel_scan_returns_every_item_once() {
    let mut items = Vec::new();
    for p in 0..150 {
        for c in 0..3 {
            items.push(json!({"p": {"S": format!("part{p}")}, "c": {"N": c.to_string()}}));
        }
    }
    let store = table(Some("N"), &items);
    let key = |i: &Item| {
        (
            i["p"].as_s().unwrap().to_owned(),
            i["c"].as_n().unwrap().to_string(),
        )
    };
    let everything: BTreeSet<(String, String)> =
        items.iter().map(|i| key(&req(i.clone()))).collect();
    for total in [1i64, 2, 3, 7, 64, 1000] {
        let mut seen: Vec<(String, String)> = Vec::new();
        let mut segment_of: HashMap<String, i64> = HashMap::new();
        for segment in 0..total {
            for limit in [None, Some(4)] {
                let mut r = json!({"Segment": segment, "TotalSegments": total});
                if let Some(l) = limit {
                    r["Limit"] = json!(l);
                }
                let (got, _) = scan_pages(&store, &r);
                if limit.is_some() {
                    continue; // the same items, checked below through the unlimited run
                }
                for item in &got {
                    let (p, c) = key(item);
                    let previous = segment_of.insert(p.clone(), segment);
                    assert!(
                        previous.is_none_or(|s| s == segment),
                        "partition {p} in two segments"
                    );
                    seen.push((p, c));
                }
                let limited = json!({"Segment": segment, "TotalSegments": total, "Limit": 4});
                assert_eq!(
                    scan_pages(&store, &limited).0,
                    got,
                    "segment {segment}/{total} paged"
                );
            }
        }
        assert_eq!(seen.len(), items.len(), "total {total}");
        let unique: BTreeSet<(String, String)> = seen.into_iter().collect();
        assert_eq!(unique, everything, "total {total}");
    }
}

#[test]
fn builders_and_wire_shape() {
    let store = numbers();
    let out = store
        .query(
            QueryInput::new(T, "p = :p AND c BETWEEN :a AND :b")
                .with_value(":p", AttributeValue::s("k1"))
                .with_value(":a", AttributeValue::n(2))
                .with_value(":b", AttributeValue::n(4))
                .with_filter("#i <> :x")
                .with_name("#i", "i")
                .with_value(":x", AttributeValue::n(30))
                .with_projection("c")
                .with_scan_index_forward(false)
                .with_limit(2),
        )
        .unwrap();
    assert_eq!(
        serde_json::to_value(&out).unwrap(),
        json!({"Items": [{"c": {"N": "4"}}], "Count": 1, "ScannedCount": 2,
               "LastEvaluatedKey": {"p": {"S": "k1"}, "c": {"N": "3"}}})
    );
    let next = store
        .query(
            QueryInput::new(T, "p = :p AND c BETWEEN :a AND :b")
                .with_value(":p", AttributeValue::s("k1"))
                .with_value(":a", AttributeValue::n(2))
                .with_value(":b", AttributeValue::n(4))
                .with_scan_index_forward(false)
                .with_exclusive_start_key(out.last_evaluated_key),
        )
        .unwrap();
    assert_eq!(cs(&next.items.unwrap()), ["2"]);
    let seg = store
        .scan(
            ScanInput::new(T)
                .with_segment(0, 1)
                .with_select("COUNT")
                .with_limit(100),
        )
        .unwrap();
    assert_eq!(seg.count, 6);
    let input: QueryInput = wire::from_str(
        r#"{"TableName": "tbl", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "k1"}},
            "ConsistentRead": true, "ReturnConsumedCapacity": "TOTAL", "Limit": 1}"#,
    )
    .unwrap();
    assert_eq!(input.limit, Some(1));
    assert_eq!(store.query(input).unwrap().count, 1);
    let bad: Result<QueryInput, Error> =
        wire::from_str(r#"{"TableName": "tbl", "ExpressionAttributeValues": {":p": {"N": "x"}}}"#);
    assert!(
        bad.unwrap_err()
            .message()
            .starts_with("ExpressionAttributeValues contains invalid value")
    );
}

/// The legacy parameters read exactly what the equivalent expressions read.
#[test]
fn legacy_key_conditions_filters_and_attributes_to_get() {
    let store = numbers();
    let cond =
        |op: &str, args: Value| json!({"ComparisonOperator": op, "AttributeValueList": args});
    let n = |v: &str| json!({"N": v});
    let s = |v: &str| json!({"S": v});
    let pairs: Vec<(Value, Value)> = vec![
        (
            json!({"KeyConditions": {"p": cond("EQ", json!([s("k1")]))}}),
            json!({"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": s("k1")}}),
        ),
        (
            json!({"KeyConditions": {"c": cond("BETWEEN", json!([n("2"), n("4")])), "p": cond("EQ", json!([s("k1")]))},
                   "ScanIndexForward": false}),
            json!({"KeyConditionExpression": "p = :p AND c BETWEEN :a AND :b", "ScanIndexForward": false,
                   "ExpressionAttributeValues": {":p": s("k1"), ":a": n("2"), ":b": n("4")}}),
        ),
        (
            json!({"KeyConditions": {"p": cond("EQ", json!([s("k1")])), "c": cond("GT", json!([n("1")]))},
                   "QueryFilter": {"i": cond("LE", json!([n("30")])), "x": cond("NULL", json!([]))},
                   "ConditionalOperator": "AND", "AttributesToGet": ["c"]}),
            json!({"KeyConditionExpression": "p = :p AND c > :c",
                   "FilterExpression": "i <= :i AND attribute_not_exists(x)", "ProjectionExpression": "c",
                   "ExpressionAttributeValues": {":p": s("k1"), ":c": n("1"), ":i": n("30")}}),
        ),
        (
            json!({"KeyConditions": {"p": cond("EQ", json!([s("k1")]))},
                   "QueryFilter": {"i": cond("IN", json!([n("10"), n("50")])), "c": cond("EQ", json!([n("3")]))},
                   "ConditionalOperator": "OR", "Limit": 2}),
            json!({"KeyConditionExpression": "p = :p", "FilterExpression": "i IN (:a, :b) OR c = :c", "Limit": 2,
                   "ExpressionAttributeValues": {":p": s("k1"), ":a": n("10"), ":b": n("50"), ":c": n("3")}}),
        ),
    ];
    for (legacy, expression) in pairs {
        match (
            query(&store, legacy.clone()),
            query(&store, expression.clone()),
        ) {
            // A QueryFilter on the sort key is refused like a FilterExpression on it.
            (Err(a), Err(b)) => assert_eq!(a.message(), b.message(), "{legacy}"),
            (a, b) => assert_eq!(a.unwrap(), b.unwrap(), "{legacy}"),
        }
    }
    // Scan: ScanFilter with every row's semantics, and AttributesToGet.
    let legacy = scan(&store, json!({"ScanFilter": {"i": cond("GE", json!([n("30")])), "p": cond("BEGINS_WITH", json!([s("k2")]))},
        "AttributesToGet": ["i"]}))
    .unwrap();
    let expression = scan(
        &store,
        json!({"FilterExpression": "i >= :i AND begins_with(p, :p)", "ProjectionExpression": "i",
        "ExpressionAttributeValues": {":i": n("30"), ":p": s("k2")}}),
    )
    .unwrap();
    assert_eq!(legacy, expression);
    assert_eq!(legacy.count, 1);

    // KeyConditions is a legacy parameter only beside a
    // KeyConditionExpression (validation.md §7.1): it combines with a
    // FilterExpression and a ProjectionExpression.
    let mixed = query(
        &store,
        json!({"KeyConditions": {"p": cond("EQ", json!([s("k1")]))}, "FilterExpression": "i > :i",
               "ProjectionExpression": "#i", "ExpressionAttributeNames": {"#i": "i"},
               "ExpressionAttributeValues": {":i": n("30")}}),
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(mixed.items).unwrap(),
        json!([{"i": n("40")}, {"i": n("50")}])
    );

    let errors: Vec<(Value, &str)> = vec![
        (
            json!({"KeyConditions": {"p": cond("NE", json!([s("k1")]))}}),
            "Attempted conditional constraint is not an indexable operation",
        ),
        (
            json!({"KeyConditions": {"c": cond("EQ", json!([n("1")]))}}),
            "Query condition missed key schema element: p",
        ),
        (
            json!({"KeyConditions": {"p": cond("EQ", json!([n("1")]))}}),
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ),
        (
            json!({"KeyConditions": {"p": cond("EQ", json!([s("k1")]))}, "KeyConditionExpression": "p = :p",
                   "ExpressionAttributeValues": {":p": s("k1")}}),
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}",
        ),
        (
            json!({"KeyConditions": {"p": cond("EQ", json!([s("k1")]))}, "QueryFilter": {"i": cond("EQ", json!([n("1")]))},
                   "ProjectionExpression": "i"}),
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {ProjectionExpression}",
        ),
        (
            json!({"KeyConditions": {"p": cond("EQ", json!([s("k1")]))}, "ExpressionAttributeNames": {"#p": "p"}}),
            "ExpressionAttributeNames can only be specified when using expressions",
        ),
        (
            json!({"KeyConditions": {"p": cond("EQ", json!([s("k1")]))}, "Select": "COUNT", "AttributesToGet": ["i"]}),
            "Cannot specify the AttributesToGet when choosing to get only the Count",
        ),
        (
            json!({"QueryFilter": {"i": cond("EQ", json!([n("1")]))}}),
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
        ),
    ];
    for (request, message) in errors {
        let error = query(&store, request.clone()).unwrap_err();
        assert_eq!(error.message(), message, "{request}");
    }
    let error = scan(
        &store,
        json!({"ScanFilter": {"i": cond("EQ", json!([n("1")]))}, "ConditionalOperator": "XOR"}),
    )
    .unwrap_err();
    assert_eq!(error.type_name(), "ValidationException");
    assert_eq!(
        error.message(),
        "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]"
    );
}

#[test]
fn query_and_scan_check_their_own_members_before_expressions() {
    let store = numbers();
    // Select is checked before the expressions are parsed.
    let e = query(
        &store,
        json!({"KeyConditionExpression": "p = ", "Select": "SPECIFIC_ATTRIBUTES"}),
    )
    .unwrap_err();
    assert_eq!(
        e.message(),
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
    );
    // Scan checks Limit before its placeholder maps.
    let e = scan(
        &store,
        json!({"Limit": 0, "ExpressionAttributeValues": {":v": {"N": "1"}}}),
    )
    .unwrap_err();
    assert_eq!(
        e.message(),
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
}
