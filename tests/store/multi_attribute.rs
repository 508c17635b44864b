//! Multi-attribute GSI keys (spec indexes.md §2.5, §5.7, §5.9) through the
//! library's [`Store`], without an SDK or the HTTP layer: CreateTable with
//! a GSI of two HASH and two RANGE attributes, writes, Query (expression
//! and legacy `KeyConditions`), pagination, parallel Scan, DescribeTable,
//! and UpdateTable creating such an index over existing items (backfill).

use dynacond::{Error, Store, wire};
use serde::Serialize;
use serde_json::{Value, json};

const TABLE: &str = "multi";

fn to_json(output: &impl Serialize) -> Value {
    serde_json::to_value(output).unwrap()
}

fn create(store: &Store, request: Value) -> Result<Value, Error> {
    store
        .create_table(wire::from_value(request)?)
        .map(|o| to_json(&o))
}

fn put(store: &Store, item: Value) -> Result<(), Error> {
    store
        .put_item(wire::from_value(json!({"TableName": TABLE, "Item": item}))?)
        .map(|_| ())
}

fn query(store: &Store, mut request: Value) -> Result<Value, Error> {
    request["TableName"] = json!(TABLE);
    store.query(wire::from_value(request)?).map(|o| to_json(&o))
}

fn scan(store: &Store, mut request: Value) -> Result<Value, Error> {
    request["TableName"] = json!(TABLE);
    store.scan(wire::from_value(request)?).map(|o| to_json(&o))
}

fn describe(store: &Store) -> Value {
    let output = store
        .describe_table(wire::from_value(json!({"TableName": TABLE})).unwrap())
        .unwrap();
    to_json(&output)
}

fn message(result: Result<Value, Error>) -> String {
    result.unwrap_err().message().to_owned()
}

/// The 2H2R index of the tests: HASH `h1` (S), `h2` (N); RANGE `r1` (S),
/// `r2` (N); projection KEYS_ONLY.
fn gsim() -> Value {
    json!({"IndexName": "gsim",
        "KeySchema": [
            {"AttributeName": "h1", "KeyType": "HASH"}, {"AttributeName": "h2", "KeyType": "HASH"},
            {"AttributeName": "r1", "KeyType": "RANGE"}, {"AttributeName": "r2", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "KEYS_ONLY"}})
}

fn definitions() -> Value {
    json!([
        {"AttributeName": "p", "AttributeType": "S"},
        {"AttributeName": "h1", "AttributeType": "S"}, {"AttributeName": "h2", "AttributeType": "N"},
        {"AttributeName": "r1", "AttributeType": "S"}, {"AttributeName": "r2", "AttributeType": "N"}])
}

fn item(p: &str, h1: &str, h2: i64, r1: &str, r2: i64) -> Value {
    json!({"p": {"S": p}, "h1": {"S": h1}, "h2": {"N": h2.to_string()},
           "r1": {"S": r1}, "r2": {"N": r2.to_string()}, "x": {"S": "extra"}})
}

/// A table with the 2H2R index and items spread over two index partitions.
fn store_with_items() -> Store {
    let store = Store::new();
    create(
        &store,
        json!({"TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": definitions(),
            "GlobalSecondaryIndexes": [gsim()]}),
    )
    .unwrap();
    for (p, h2, r1, r2) in [
        ("k1", 1, "x", 1),
        ("k2", 1, "x", 3),
        ("k3", 1, "x", 2),
        ("k4", 2, "x", 5),
        ("k5", 1, "w", 7),
        ("k6", 1, "y", 10),
        ("k7", 1, "x", 20),
        ("k8", 1, "x", 2),
    ] {
        put(&store, item(p, "a", h2, r1, r2)).unwrap();
    }
    // Missing a component: kept out of the index.
    let mut partial = item("k9", "a", 1, "x", 4);
    partial.as_object_mut().unwrap().remove("r2");
    put(&store, partial).unwrap();
    store
}

/// The table keys of a reply's items, in order.
fn keys(reply: &Value) -> Vec<String> {
    reply["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["p"]["S"].as_str().unwrap().to_owned())
        .collect()
}

fn values(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn q(expression: &str) -> Value {
    json!({"IndexName": "gsim", "KeyConditionExpression": expression,
        "ExpressionAttributeValues": values(&[
            (":a", json!({"S": "a"})), (":one", json!({"N": "1"})),
            (":x", json!({"S": "x"})), (":two", json!({"N": "2"})),
            (":three", json!({"N": "3"})), (":w", json!({"S": "w"}))])})
}

/// Keeps only the values the expression uses (unused values are refused).
fn query_q(store: &Store, expression: &str) -> Result<Value, Error> {
    let mut request = q(expression);
    let used: serde_json::Map<String, Value> = request["ExpressionAttributeValues"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| {
            expression
                .split(|c: char| !(c.is_alphanumeric() || c == ':'))
                .any(|w| w == k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    request["ExpressionAttributeValues"] = Value::Object(used);
    query(store, request)
}

#[test]
fn create_put_query_describe_a_two_hash_two_range_index() {
    let store = store_with_items();
    // The whole index partition, ordered by r1 then r2 (numerically), ties
    // by the table key.
    let all = query_q(&store, "h1 = :a AND h2 = :one").unwrap();
    assert_eq!(
        keys(&all),
        ["k5", "k1", "k3", "k8", "k2", "k7", "k6"],
        "{all}"
    );
    // KEYS_ONLY: every component and the table key, nothing else.
    let first = &all["Items"][0];
    let mut names: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["h1", "h2", "p", "r1", "r2"]);
    for (expression, want) in [
        (
            "h2 = :one AND h1 = :a AND r1 = :x",
            vec!["k1", "k3", "k8", "k2", "k7"],
        ),
        (
            "h1 = :a AND h2 = :one AND r1 = :x AND r2 > :one",
            vec!["k3", "k8", "k2", "k7"],
        ),
        (
            "h1 = :a AND h2 = :one AND r1 = :x AND r2 <= :two",
            vec!["k1", "k3", "k8"],
        ),
        (
            "h1 = :a AND h2 = :one AND r1 = :x AND r2 = :two",
            vec!["k3", "k8"],
        ),
        (
            "h1 = :a AND h2 = :one AND r1 = :x AND r2 BETWEEN :two AND :three",
            vec!["k3", "k8", "k2"],
        ),
        (
            "h1 = :a AND h2 = :one AND r1 > :w",
            vec!["k1", "k3", "k8", "k2", "k7", "k6"],
        ),
        ("h1 = :a AND h2 = :one AND begins_with(r1, :w)", vec!["k5"]),
        ("h1 = :a AND h2 = :two", vec!["k4"]),
        ("h1 = :a AND h2 = :three", vec![]),
    ] {
        let reply = query_q(&store, expression).unwrap();
        assert_eq!(keys(&reply), want, "{expression}");
    }
    // Descending.
    let mut request = q("h1 = :a AND h2 = :one AND r1 = :x AND r2 > :one");
    request["ExpressionAttributeValues"] = values(&[
        (":a", json!({"S": "a"})),
        (":one", json!({"N": "1"})),
        (":x", json!({"S": "x"})),
    ]);
    request["ScanIndexForward"] = json!(false);
    assert_eq!(
        keys(&query(&store, request).unwrap()),
        ["k7", "k2", "k8", "k3"]
    );
    // The refused shapes.
    for (expression, want) in [
        ("h1 = :a", "Query condition missed key schema element: h2"),
        (
            "h1 = :a AND h2 = :one AND r2 > :one",
            "Query condition missed key schema element: r1",
        ),
        (
            "h1 = :a AND h2 = :one AND r1 > :w AND r2 = :one",
            "Query key condition not supported",
        ),
        ("h1 = :a AND h2 > :one", "Query key condition not supported"),
    ] {
        assert_eq!(message(query_q(&store, expression)), want, "{expression}");
    }
    // DescribeTable: the elements in request order, the entry count.
    let description = describe(&store);
    let index = &description["Table"]["GlobalSecondaryIndexes"][0];
    assert_eq!(index["KeySchema"], gsim()["KeySchema"]);
    assert_eq!(index["ItemCount"], json!(8));
    let mut defined: Vec<&str> = description["Table"]["AttributeDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["AttributeName"].as_str().unwrap())
        .collect();
    defined.sort_unstable();
    assert_eq!(defined, ["h1", "h2", "p", "r1", "r2"]);
}

#[test]
fn writes_are_checked_per_component() {
    let store = store_with_items();
    let mut wrong = item("k10", "a", 1, "x", 1);
    wrong["r2"] = json!({"S": "1"});
    assert_eq!(
        put(&store, wrong).unwrap_err().message(),
        "One or more parameter values were invalid: Type mismatch for Index Key r2 Expected: N Actual: S IndexName: gsim"
    );
    let mut empty = item("k10", "a", 1, "x", 1);
    empty["r1"] = json!({"S": ""});
    assert_eq!(
        put(&store, empty).unwrap_err().message(),
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsim, IndexKey: r1"
    );
    // Moving one component moves the entry; removing one leaves the index.
    let update = |expression: &str, values: Value| {
        let mut request = json!({"TableName": TABLE, "Key": {"p": {"S": "k1"}},
            "UpdateExpression": expression});
        if values != Value::Null {
            request["ExpressionAttributeValues"] = values;
        }
        store
            .update_item(wire::from_value(request).unwrap())
            .map(|_| ())
    };
    update("SET h2 = :two", json!({":two": {"N": "2"}})).unwrap();
    assert_eq!(
        keys(&query_q(&store, "h1 = :a AND h2 = :two").unwrap()),
        ["k1", "k4"]
    );
    update("REMOVE r1", Value::Null).unwrap();
    assert_eq!(
        keys(&query_q(&store, "h1 = :a AND h2 = :two").unwrap()),
        ["k4"]
    );
    assert_eq!(
        update("SET r2 = :s", json!({":s": {"S": "s"}}))
            .unwrap_err()
            .message(),
        "One or more parameter values were invalid: Type mismatch for Index Key r2 Expected: N Actual: S IndexName: gsim"
    );
}

#[test]
fn pages_carry_every_component_and_the_table_key() {
    let store = store_with_items();
    let mut request = q("h1 = :a AND h2 = :one AND r1 = :x");
    request["ExpressionAttributeValues"] = values(&[
        (":a", json!({"S": "a"})),
        (":one", json!({"N": "1"})),
        (":x", json!({"S": "x"})),
    ]);
    request["Limit"] = json!(2);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let reply = query(&store, request.clone()).unwrap();
        seen.extend(keys(&reply));
        pages += 1;
        match reply.get("LastEvaluatedKey") {
            Some(lek) => {
                let mut names: Vec<&str> = lek
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                names.sort_unstable();
                assert_eq!(names, ["h1", "h2", "p", "r1", "r2"]);
                request["ExclusiveStartKey"] = lek.clone();
            }
            None => break,
        }
    }
    assert_eq!(seen, ["k1", "k3", "k8", "k2", "k7"]);
    assert_eq!(pages, 3);
    // Starting keys: every component and the table key, nothing else.
    let start = json!({"p": {"S": "k3"}, "h1": {"S": "a"}, "h2": {"N": "1"},
        "r1": {"S": "x"}, "r2": {"N": "2"}});
    request["Limit"] = json!(10);
    request["ExclusiveStartKey"] = start.clone();
    assert_eq!(
        keys(&query(&store, request.clone()).unwrap()),
        ["k8", "k2", "k7"]
    );
    let mut lacking = start.clone();
    lacking.as_object_mut().unwrap().remove("r2");
    request["ExclusiveStartKey"] = lacking;
    assert_eq!(
        message(query(&store, request.clone())),
        "The provided starting key is invalid"
    );
    let mut mistyped = start.clone();
    mistyped["r2"] = json!({"S": "2"});
    request["ExclusiveStartKey"] = mistyped;
    assert_eq!(
        message(query(&store, request.clone())),
        "The provided key element does not match the schema"
    );
    let mut elsewhere = start.clone();
    elsewhere["h2"] = json!({"N": "2"});
    request["ExclusiveStartKey"] = elsewhere;
    assert_eq!(
        message(query(&store, request.clone())),
        "The provided starting key is outside query boundaries based on provided conditions"
    );
    let mut outside = start;
    outside["r1"] = json!({"S": "w"});
    request["ExclusiveStartKey"] = outside;
    assert_eq!(
        message(query(&store, request)),
        "The provided starting key does not match the range key predicate"
    );
}

#[test]
fn filters_legacy_conditions_and_parallel_scans() {
    let store = store_with_items();
    // A filter may not name a component of the queried key, may name the
    // table key.
    let mut request = q("h1 = :a AND h2 = :one");
    request["ExpressionAttributeValues"] =
        values(&[(":a", json!({"S": "a"})), (":one", json!({"N": "1"}))]);
    request["FilterExpression"] = json!("r2 > :one");
    assert_eq!(
        message(query(&store, request.clone())),
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: r2"
    );
    request["FilterExpression"] = json!("p <> :a");
    assert_eq!(keys(&query(&store, request).unwrap()).len(), 7);
    // Legacy KeyConditions reach the same analysis.
    let legacy = json!({"IndexName": "gsim", "KeyConditions": {
        "h1": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
        "h2": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]},
        "r1": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]},
        "r2": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "3"}]}}});
    assert_eq!(keys(&query(&store, legacy.clone()).unwrap()), ["k2", "k7"]);
    let mut gap = legacy;
    gap["KeyConditions"].as_object_mut().unwrap().remove("r1");
    assert_eq!(
        message(query(&store, gap)),
        "Query condition missed key schema element: r1"
    );
    // Parallel Scan: segments are disjoint, cover the index, and keep each
    // index partition (both HASH components) whole.
    let whole = scan(&store, json!({"IndexName": "gsim"})).unwrap();
    assert_eq!(whole["Count"], json!(8));
    let mut union = Vec::new();
    for segment in 0..3 {
        let reply = scan(
            &store,
            json!({"IndexName": "gsim", "Segment": segment, "TotalSegments": 3}),
        )
        .unwrap();
        let partitions: std::collections::BTreeSet<String> = reply["Items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| format!("{}/{}", i["h1"], i["h2"]))
            .collect();
        union.extend(keys(&reply));
        for other in 0..3 {
            if other == segment {
                continue;
            }
            let theirs = scan(
                &store,
                json!({"IndexName": "gsim", "Segment": other, "TotalSegments": 3}),
            )
            .unwrap();
            for item in theirs["Items"].as_array().unwrap() {
                assert!(!partitions.contains(&format!("{}/{}", item["h1"], item["h2"])));
            }
        }
    }
    union.sort();
    let mut all = keys(&whole);
    all.sort();
    assert_eq!(union, all);
}

#[test]
fn update_table_creates_a_multi_attribute_index_with_a_backfill() {
    let store = Store::new();
    create(
        &store,
        json!({"TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}),
    )
    .unwrap();
    for (p, h1, h2, r1, r2) in [
        ("a", "u", 1, "x", 2),
        ("b", "u", 1, "x", 1),
        ("c", "u", 2, "y", 1),
        ("d", "v", 1, "x", 1),
    ] {
        put(&store, item(p, h1, h2, r1, r2)).unwrap();
    }
    // Items the backfill skips: a component missing, of another type, empty.
    let mut missing = item("e", "u", 1, "x", 3);
    missing.as_object_mut().unwrap().remove("h2");
    put(&store, missing).unwrap();
    let mut mistyped = item("f", "u", 1, "x", 4);
    mistyped["r2"] = json!({"S": "4"});
    put(&store, mistyped).unwrap();
    let mut empty = item("g", "u", 1, "", 5);
    empty["r1"] = json!({"S": ""});
    put(&store, empty).unwrap();

    let reply = store
        .update_table(
            wire::from_value(json!({"TableName": TABLE,
                "AttributeDefinitions": definitions(),
                "GlobalSecondaryIndexUpdates": [{"Create": gsim()}]}))
            .unwrap(),
        )
        .unwrap();
    let reply = to_json(&reply);
    let created = &reply["TableDescription"]["GlobalSecondaryIndexes"][0];
    assert_eq!(created["KeySchema"], gsim()["KeySchema"]);
    assert_eq!(created["IndexStatus"], json!("CREATING"));

    let description = describe(&store);
    let index = &description["Table"]["GlobalSecondaryIndexes"][0];
    assert_eq!(index["IndexStatus"], json!("ACTIVE"));
    assert_eq!(index["ItemCount"], json!(4));
    let mut request = q("h1 = :a AND h2 = :one");
    request["ExpressionAttributeValues"] =
        values(&[(":a", json!({"S": "u"})), (":one", json!({"N": "1"}))]);
    assert_eq!(keys(&query(&store, request).unwrap()), ["b", "a"]);
    // From now on the new index's key types are enforced.
    let mut late = item("h", "u", 1, "x", 9);
    late["h2"] = json!({"S": "1"});
    assert_eq!(
        put(&store, late).unwrap_err().message(),
        "One or more parameter values were invalid: Type mismatch for Index Key h2 Expected: N Actual: S IndexName: gsim"
    );
}

#[test]
fn key_schema_shapes_of_global_indexes() {
    let table = |schema: Value| {
        let attributes: Vec<Value> = ["p", "h1", "h2", "r1", "r2"]
            .iter()
            .map(|n| json!({"AttributeName": n, "AttributeType": "S"}))
            .collect();
        json!({"TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": attributes,
            "GlobalSecondaryIndexes": [{"IndexName": "gsim", "KeySchema": schema,
                "Projection": {"ProjectionType": "ALL"}}]})
    };
    let element = |name: &str, kind: &str| json!({"AttributeName": name, "KeyType": kind});
    // Two HASH elements are a multi-attribute key, not a misplaced RANGE.
    let schema = json!([
        element("h1", "HASH"),
        element("h2", "HASH"),
        element("r1", "RANGE"),
        element("r2", "RANGE")
    ]);
    let mut request = table(json!([element("h1", "HASH"), element("h2", "HASH")]));
    // Unused definitions are refused: define only what the index uses.
    request["AttributeDefinitions"] = json!([
        {"AttributeName": "p", "AttributeType": "S"},
        {"AttributeName": "h1", "AttributeType": "S"}, {"AttributeName": "h2", "AttributeType": "S"}]);
    create(&Store::new(), request).unwrap();
    create(&Store::new(), table(schema)).unwrap();
    for (schema, want) in [
        (
            json!([element("h1", "HASH"), element("h1", "HASH")]),
            "One or more parameter values were invalid: The KeySchema contains multiple key attributes with the same name",
        ),
        (
            json!([
                element("h1", "HASH"),
                element("r1", "RANGE"),
                element("h2", "HASH")
            ]),
            "One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema",
        ),
        (
            json!([element("h1", "HASH"), element("h1", "RANGE")]),
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
        ),
        (
            json!([
                element("r1", "RANGE"),
                element("h1", "HASH"),
                element("h2", "HASH")
            ]),
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ),
    ] {
        let mut request = table(schema.clone());
        let used: Vec<&str> = schema
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["AttributeName"].as_str().unwrap())
            .collect();
        request["AttributeDefinitions"] = Value::Array(
            ["p", "h1", "h2", "r1"]
                .iter()
                .filter(|n| **n == "p" || used.contains(n))
                .map(|n| json!({"AttributeName": n, "AttributeType": "S"}))
                .collect(),
        );
        assert_eq!(message(create(&Store::new(), request)), want, "{schema}");
    }
}
