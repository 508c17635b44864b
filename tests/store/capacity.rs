//! ReturnConsumedCapacity and ReturnItemCollectionMetrics (spec indexes.md
//! §8, §9) through the protocol layer (`dynacond::protocol::dispatch`):
//!
//! - the spec's `capacity.json` vectors (format: the vectors' README,
//!   "Extension: indexes.json and capacity.json"), except those that need a
//!   secondary index (`GlobalSecondaryIndexes` / `LocalSecondaryIndexes` on
//!   the case or in a step), which are skipped, counted and listed;
//! - `NONE` and an absent member give no `ConsumedCapacity` and no
//!   `ItemCollectionMetrics` on every operation that takes them, and `TOTAL`
//!   gives the member in the shape of its operation;
//! - figures the vectors do not pin (Scan, BatchWriteItem deletes,
//!   transactions over two tables, a ClientRequestToken replay).
//!
//! The vectors' table `t` is below DynamoDB's 3-character minimum, so the
//! runner sends [`TABLE`] instead (in `TableName` members and as keys of
//! `RequestItems`) and maps it back in replies (`TableName` values, map keys,
//! messages). Error messages compare exactly, or with the constraint layer's
//! `1 validation error detected: ` prefix before the expected text (the
//! README's tolerance: dynacond's constraint-layer messages carry it).

use dynacond::protocol::{TARGET_PREFIX, dispatch};
use dynacond::{Item, Store, item_size, wire};
use serde_json::{Map, Value, json};

use crate::common::{Report, load_cases};

/// The name sent for the vectors' table `t`.
const TABLE: &str = "tbl_t";

/// Reply members a `response` comparison ignores (the README).
const IGNORED: &[&str] = &["ConsumedCapacity", "ItemCollectionMetrics"];

/// The `expect` members this runner understands; any other fails the case.
const EXPECTATIONS: &[&str] = &[
    "response",
    "response_subset",
    "present",
    "absent",
    "error",
    "message",
];

// ---------------------------------------------------------------------------
// Names and calls

/// Renames `t` to [`TABLE`] in `TableName` members and `RequestItems` keys.
fn map_request(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, v)| {
                    let mapped = match (key.as_str(), v) {
                        ("TableName", Value::String(name)) if name == "t" => json!(TABLE),
                        ("RequestItems", Value::Object(tables)) => Value::Object(
                            tables
                                .iter()
                                .map(|(t, r)| {
                                    let t = if t == "t" { TABLE } else { t.as_str() };
                                    (t.to_owned(), map_request(r))
                                })
                                .collect(),
                        ),
                        _ => map_request(v),
                    };
                    (key.clone(), mapped)
                })
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.iter().map(map_request).collect()),
        other => other.clone(),
    }
}

/// Maps [`TABLE`] back to `t`: map keys, string values naming it, messages.
fn unmap_reply(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| {
                    let key = if k == TABLE {
                        "t".to_owned()
                    } else {
                        k.clone()
                    };
                    (key, unmap_reply(v))
                })
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.iter().map(unmap_reply).collect()),
        Value::String(s) if s == TABLE => json!("t"),
        Value::String(s) => json!(s.replace(TABLE, "t")),
        other => other.clone(),
    }
}

/// Sends `request` (written with the vectors' names) to `operation`; the
/// HTTP-like status and the reply, mapped back.
fn send(store: &Store, operation: &str, request: &Value) -> (u16, Value) {
    let body = serde_json::to_vec(&map_request(request)).unwrap();
    let reply = dispatch(store, Some(&format!("{TARGET_PREFIX}{operation}")), &body);
    let parsed: Value = serde_json::from_slice(&reply.body).unwrap();
    (reply.status, unmap_reply(&parsed))
}

/// Creates table `t` as the case describes it.
fn set_up(store: &Store, case: &Value) -> Result<(), String> {
    if case.get("table") == Some(&json!(false)) {
        return Ok(());
    }
    let mut create = json!({
        "TableName": "t",
        "KeySchema": case.get("KeySchema").cloned()
            .unwrap_or_else(|| json!([{"AttributeName": "p", "KeyType": "HASH"}])),
        "AttributeDefinitions": case.get("AttributeDefinitions").cloned()
            .unwrap_or_else(|| json!([{"AttributeName": "p", "AttributeType": "S"}])),
        "BillingMode": "PAY_PER_REQUEST",
    });
    for member in [
        "BillingMode",
        "ProvisionedThroughput",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
    ] {
        if let Some(v) = case.get(member) {
            create[member] = v.clone();
        }
    }
    match send(store, "CreateTable", &create) {
        (200, _) => Ok(()),
        (status, body) => Err(format!("set-up CreateTable failed: {status} {body}")),
    }
}

// ---------------------------------------------------------------------------
// Comparisons

/// Numbers compare by value (`1` = `1.0`); everything else exactly.
fn same_scalar(want: &Value, got: &Value) -> bool {
    match (want.as_f64(), got.as_f64()) {
        (Some(w), Some(g)) => w == g,
        _ => want == got,
    }
}

/// `want` is in `got`: objects may hold more members in `got` unless
/// `exact` (then the members must be the same, [`IGNORED`] ones aside at
/// the top); lists have the same length and compare element by element.
fn contained(path: &str, want: &Value, got: &Value, exact: bool) -> Result<(), String> {
    let differ = || format!("{path}: want {want}, got {got}");
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            if exact {
                let keys = |m: &Map<String, Value>| {
                    let mut keys: Vec<String> = m
                        .keys()
                        .filter(|k| path != "$" || !IGNORED.contains(&k.as_str()))
                        .cloned()
                        .collect();
                    keys.sort();
                    keys
                };
                if keys(w) != keys(g) {
                    return Err(differ());
                }
            }
            w.iter()
                .filter(|(k, _)| !(exact && path == "$" && IGNORED.contains(&k.as_str())))
                .try_for_each(|(k, wv)| match g.get(k) {
                    Some(gv) => contained(&format!("{path}.{k}"), wv, gv, exact),
                    None => Err(format!("{path}.{k}: missing, want {wv}")),
                })
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => w
            .iter()
            .zip(g)
            .enumerate()
            .try_for_each(|(i, (wv, gv))| contained(&format!("{path}.{i}"), wv, gv, exact)),
        _ => same_scalar(want, got).then_some(()).ok_or_else(differ),
    }
}

/// The member at a dotted path (a numeric segment indexes a list).
fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, segment| match v {
        Value::Array(list) => list.get(segment.parse::<usize>().ok()?),
        Value::Object(members) => members.get(segment),
        _ => None,
    })
}

/// Checks one step's reply against its `expect`.
fn check(expect: &Value, status: u16, body: &Value) -> Result<(), String> {
    let members = expect.as_object().ok_or("`expect` is not an object")?;
    if let Some(unknown) = members.keys().find(|k| !EXPECTATIONS.contains(&k.as_str())) {
        return Err(format!("unsupported expectation `{unknown}`"));
    }
    if let Some(error) = expect.get("error").and_then(Value::as_str) {
        let got_type = body["__type"].as_str().unwrap_or_default();
        let got_type = got_type.rsplit_once('#').map_or(got_type, |(_, t)| t);
        if status == 200 || got_type != error {
            return Err(format!("want {error}, got {status} {body}"));
        }
        if let Some(message) = expect.get("message").and_then(Value::as_str) {
            let got = body["message"].as_str().unwrap_or_default();
            // Strict: the prefix only on a constraint-form message written bare.
            let prefixed = format!("1 validation error detected: {message}");
            let constraint = message.starts_with("Value ")
                && message.contains(" failed to satisfy constraint: ");
            if got != message && !(constraint && got == prefixed) {
                return Err(format!("message\n   got: {got}\n  want: {message}"));
            }
        }
        // An error reply never carries capacity.
        for member in IGNORED {
            if body.get(member).is_some() {
                return Err(format!("an error reply carries {member}: {body}"));
            }
        }
        return Ok(());
    }
    if status != 200 {
        return Err(format!("want success, got {status} {body}"));
    }
    if let Some(want) = expect.get("response") {
        contained("$", want, body, true)?;
    }
    if let Some(want) = expect.get("response_subset") {
        contained("$", want, body, false)?;
    }
    for path in expect
        .get("present")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let path = path.as_str().unwrap_or_default();
        if at(body, path).is_none() {
            return Err(format!("`{path}` should be present in {body}"));
        }
    }
    for path in expect
        .get("absent")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let path = path.as_str().unwrap_or_default();
        if at(body, path).is_some() {
            return Err(format!("`{path}` should be absent from {body}"));
        }
    }
    Ok(())
}

#[test]
fn capacity_vectors() {
    let mut report = Report::default();
    for case in load_cases("capacity.json") {
        let name = case["name"].as_str().unwrap_or("?").to_owned();
        report.ran += 1;
        let store = Store::new();
        if let Err(why) = set_up(&store, &case) {
            report.fail(&name, why);
            continue;
        }
        for (i, step) in case["steps"].as_array().into_iter().flatten().enumerate() {
            let operation = step["operation"].as_str().unwrap_or_default();
            let (status, body) = send(&store, operation, &step["request"]);
            if let Err(why) = check(&step["expect"], status, &body) {
                report.fail(&name, format!("step {i} ({operation}): {why}"));
                break;
            }
        }
    }
    report.finish("capacity.json", 31);
}

#[test]
fn the_runner_notices_differences() {
    let reply = json!({"Item": {"p": {"S": "k1"}},
                       "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 0.5}});
    let ok = |expect: Value| check(&expect, 200, &reply);
    assert!(ok(json!({"response_subset": {"ConsumedCapacity": {"CapacityUnits": 0.5}}})).is_ok());
    assert!(ok(json!({"response_subset": {"ConsumedCapacity": {"CapacityUnits": 1}}})).is_err());
    assert!(ok(json!({"response_subset": {"ConsumedCapacity": {"Table": {}}}})).is_err());
    assert!(ok(json!({"response": {"Item": {"p": {"S": "k1"}}}})).is_ok());
    assert!(ok(json!({"response": {}})).is_err());
    assert!(ok(json!({"present": ["ConsumedCapacity.TableName"]})).is_ok());
    assert!(ok(json!({"absent": ["ConsumedCapacity.TableName"]})).is_err());
    assert!(ok(json!({"present": ["Item.q"]})).is_err());
    assert!(ok(json!({"error": "ValidationException"})).is_err());
    assert!(ok(json!({"items_unordered": true})).is_err());
}

// ---------------------------------------------------------------------------
// NONE and absent, on every operation

/// A store with table `t` (`p` S, `c` N) holding `{p: a, c: 1}`.
fn store_with_item() -> Store {
    let store = Store::new();
    let create = json!({
        "TableName": "t",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                      {"AttributeName": "c", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                 {"AttributeName": "c", "AttributeType": "N"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    assert_eq!(send(&store, "CreateTable", &create).0, 200);
    let put = json!({"TableName": "t", "Item": {"p": {"S": "a"}, "c": {"N": "1"}}});
    assert_eq!(send(&store, "PutItem", &put).0, 200);
    store
}

/// One request per operation that takes `ReturnConsumedCapacity`, whether
/// it also takes `ReturnItemCollectionMetrics`, and whether its member is a
/// list.
fn every_operation() -> Vec<(&'static str, Value, bool, bool)> {
    let key = json!({"p": {"S": "a"}, "c": {"N": "1"}});
    let item = json!({"p": {"S": "a"}, "c": {"N": "1"}, "v": {"S": "x"}});
    vec![
        (
            "GetItem",
            json!({"TableName": "t", "Key": key}),
            false,
            false,
        ),
        (
            "PutItem",
            json!({"TableName": "t", "Item": item}),
            true,
            false,
        ),
        (
            "UpdateItem",
            json!({"TableName": "t", "Key": key, "UpdateExpression": "SET v = :v",
                   "ExpressionAttributeValues": {":v": {"S": "y"}}}),
            true,
            false,
        ),
        (
            "Query",
            json!({"TableName": "t", "KeyConditionExpression": "p = :p",
                   "ExpressionAttributeValues": {":p": {"S": "a"}}}),
            false,
            false,
        ),
        ("Scan", json!({"TableName": "t"}), false, false),
        (
            "BatchGetItem",
            json!({"RequestItems": {"t": {"Keys": [key]}}}),
            false,
            true,
        ),
        (
            "BatchWriteItem",
            json!({"RequestItems": {"t": [{"PutRequest": {"Item": item}}]}}),
            true,
            true,
        ),
        (
            "TransactGetItems",
            json!({"TransactItems": [{"Get": {"TableName": "t", "Key": key}}]}),
            false,
            true,
        ),
        (
            "TransactWriteItems",
            json!({"TransactItems": [{"Put": {"TableName": "t", "Item": item}}]}),
            true,
            true,
        ),
        (
            "DeleteItem",
            json!({"TableName": "t", "Key": key}),
            true,
            false,
        ),
    ]
}

#[test]
fn none_or_absent_reports_nothing_on_every_operation() {
    for (operation, request, takes_metrics, _) in every_operation() {
        for capacity in [None, Some("NONE")] {
            for metrics in [None, Some("NONE"), Some("SIZE")] {
                if metrics.is_some() && !takes_metrics {
                    continue;
                }
                let store = store_with_item();
                let mut request = request.clone();
                if let Some(c) = capacity {
                    request["ReturnConsumedCapacity"] = json!(c);
                }
                if let Some(m) = metrics {
                    request["ReturnItemCollectionMetrics"] = json!(m);
                }
                let (status, body) = send(&store, operation, &request);
                assert_eq!(status, 200, "{operation} {request}: {body}");
                // SIZE on a table without a local secondary index: absent too.
                for member in IGNORED {
                    assert!(
                        body.get(member).is_none(),
                        "{operation} with {capacity:?}/{metrics:?}: {body}"
                    );
                }
            }
        }
    }
}

#[test]
fn total_and_indexes_report_in_the_operations_shape() {
    for (operation, request, _, list) in every_operation() {
        for mode in ["TOTAL", "INDEXES"] {
            let store = store_with_item();
            let mut request = request.clone();
            request["ReturnConsumedCapacity"] = json!(mode);
            let (status, body) = send(&store, operation, &request);
            assert_eq!(status, 200, "{operation} {request}: {body}");
            let consumed = &body["ConsumedCapacity"];
            let one = if list {
                let entries = consumed.as_array().unwrap_or_else(|| {
                    panic!("{operation}: a list, got {body}");
                });
                assert_eq!(entries.len(), 1, "{operation}: {body}");
                &entries[0]
            } else {
                assert!(consumed.is_object(), "{operation}: an object, got {body}");
                consumed
            };
            assert_eq!(one["TableName"], "t", "{operation}: {body}");
            let units = one["CapacityUnits"].as_f64().unwrap();
            assert!(units > 0.0, "{operation}: {body}");
            assert_eq!(
                one.get("Table").is_some(),
                mode == "INDEXES",
                "{operation} {mode}: {body}"
            );
            if mode == "INDEXES" {
                assert_eq!(one["Table"]["CapacityUnits"].as_f64(), Some(units));
            }
            // No index was charged: no index arms.
            assert!(one.get("GlobalSecondaryIndexes").is_none(), "{body}");
            assert!(one.get("LocalSecondaryIndexes").is_none(), "{body}");
            let mirror = match operation {
                "TransactGetItems" => Some("ReadCapacityUnits"),
                "TransactWriteItems" => Some("WriteCapacityUnits"),
                _ => None,
            };
            for axis in ["ReadCapacityUnits", "WriteCapacityUnits"] {
                if Some(axis) == mirror {
                    assert_eq!(one[axis].as_f64(), Some(units), "{operation}: {body}");
                    if mode == "INDEXES" {
                        assert_eq!(one["Table"][axis].as_f64(), Some(units), "{body}");
                    }
                } else {
                    assert!(one.get(axis).is_none(), "{operation}: {body}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Figures the vectors leave out

/// `{p: <p>, c: <c>, a: <filler>}` of exactly `size` bytes.
fn sized(p: &str, c: u32, size: usize) -> Value {
    let with =
        |filler: String| json!({"p": {"S": p}, "c": {"N": c.to_string()}, "a": {"S": filler}});
    let size_of = |v: &Value| item_size(&wire::from_value::<Item>(v.clone()).unwrap());
    let base = size_of(&with(String::new()));
    let item = with("x".repeat(size - base));
    assert_eq!(size_of(&item), size);
    item
}

fn units(body: &Value) -> Value {
    let consumed = &body["ConsumedCapacity"];
    match consumed {
        Value::Array(list) => Value::Array(
            list.iter()
                .map(|c| json!([c["TableName"], c["CapacityUnits"]]))
                .collect(),
        ),
        _ => consumed["CapacityUnits"].clone(),
    }
}

#[test]
fn scan_sums_the_items_it_evaluates() {
    let store = store_with_item();
    for c in 2..=4 {
        let put = json!({"TableName": "t", "Item": sized("b", c, 1500)});
        assert_eq!(send(&store, "PutItem", &put).0, 200);
    }
    // A small item and 3 of 1500 bytes: just over 4096 bytes, 2 units.
    let scan = |extra: Value| {
        let mut request = json!({"TableName": "t", "ReturnConsumedCapacity": "TOTAL"});
        request
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().cloned().unwrap_or_default());
        send(&store, "Scan", &request).1
    };
    assert_eq!(units(&scan(json!({"ConsistentRead": true}))), json!(2.0));
    assert_eq!(units(&scan(json!({}))), json!(1.0));
    // A filter and a projection do not reduce it; a Limit does.
    let filtered = scan(json!({"ConsistentRead": true, "FilterExpression": "c = :n",
        "ExpressionAttributeValues": {":n": {"N": "9"}}, "ProjectionExpression": "p"}));
    assert_eq!(
        (units(&filtered), filtered["Count"].clone()),
        (json!(2.0), json!(0))
    );
    let limited = scan(json!({"ConsistentRead": true, "Limit": 1}));
    assert_eq!(units(&limited), json!(1.0));
    // Select COUNT, a parallel segment that may hold nothing: at least 1.
    for segment in 0..4 {
        let part = scan(json!({"Segment": segment, "TotalSegments": 4, "Select": "COUNT"}));
        assert!(units(&part).as_f64().unwrap() >= 0.5, "{part}");
    }
}

#[test]
fn batches_and_transactions_list_each_table() {
    let store = store_with_item();
    let create = json!({
        "TableName": "uvw",
        "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    assert_eq!(send(&store, "CreateTable", &create).0, 200);
    // BatchWriteItem: a 2000-byte put (2), a delete of a missing item (1),
    // and in `uvw` a small put (1); per table, in request order (the request
    // goes out with its tables sorted: `tbl_t`, then `uvw`).
    let batch = json!({"RequestItems": {
        "t": [{"PutRequest": {"Item": sized("b", 1, 2000)}},
              {"DeleteRequest": {"Key": {"p": {"S": "zz"}, "c": {"N": "1"}}}}],
        "uvw": [{"PutRequest": {"Item": {"k": {"S": "o"}}}}]},
        "ReturnConsumedCapacity": "TOTAL"});
    let (status, body) = send(&store, "BatchWriteItem", &batch);
    assert_eq!(status, 200, "{body}");
    assert_eq!(units(&body), json!([["t", 3.0], ["uvw", 1.0]]));
    // Deleting the 2000-byte item costs its size.
    let delete = json!({"RequestItems": {"t": [{"DeleteRequest": {"Key":
        {"p": {"S": "b"}, "c": {"N": "1"}}}}]}, "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(
        units(&send(&store, "BatchWriteItem", &delete).1),
        json!([["t", 2.0]])
    );

    // BatchGetItem: consistency per table; a missing key still counts.
    let get = json!({"RequestItems": {
        "t": {"Keys": [{"p": {"S": "a"}, "c": {"N": "1"}}, {"p": {"S": "q"}, "c": {"N": "1"}}],
              "ConsistentRead": true},
        "uvw": {"Keys": [{"k": {"S": "o"}}]}},
        "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(
        units(&send(&store, "BatchGetItem", &get).1),
        json!([["t", 2.0], ["uvw", 0.5]])
    );

    // TransactWriteItems: the table arm doubled per action; tables in order
    // of their first action.
    let transaction = json!({"TransactItems": [
        {"Put": {"TableName": "uvw", "Item": {"k": {"S": "p"}}}},
        {"Update": {"TableName": "t", "Key": {"p": {"S": "a"}, "c": {"N": "1"}},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"S": "x".repeat(1100)}}}},
        {"ConditionCheck": {"TableName": "uvw", "Key": {"k": {"S": "none"}},
                            "ConditionExpression": "attribute_not_exists(k)"}}],
        "ReturnConsumedCapacity": "TOTAL", "ClientRequestToken": "token-1"});
    let (status, body) = send(&store, "TransactWriteItems", &transaction);
    assert_eq!(status, 200, "{body}");
    assert_eq!(units(&body), json!([["uvw", 4.0], ["t", 4.0]]));
    assert_eq!(body["ConsumedCapacity"][0]["WriteCapacityUnits"], 4.0);

    // The same request again with its token: nothing is written, and the
    // reply reports reading the items instead.
    let (status, body) = send(&store, "TransactWriteItems", &transaction);
    assert_eq!(status, 200, "{body}");
    assert_eq!(units(&body), json!([["uvw", 2.0], ["t", 1.0]]));
    assert_eq!(body["ConsumedCapacity"][1]["ReadCapacityUnits"], 1.0);
    assert!(
        body["ConsumedCapacity"][1]
            .get("WriteCapacityUnits")
            .is_none()
    );

    // TransactGetItems: ×2 per item, a missing one too.
    let get = json!({"TransactItems": [
        {"Get": {"TableName": "t", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}}},
        {"Get": {"TableName": "uvw", "Key": {"k": {"S": "missing"}}}}],
        "ReturnConsumedCapacity": "TOTAL"});
    assert_eq!(
        units(&send(&store, "TransactGetItems", &get).1),
        json!([["t", 2.0], ["uvw", 2.0]])
    );
}

#[test]
fn failed_requests_carry_no_capacity() {
    let store = store_with_item();
    let key = json!({"p": {"S": "a"}, "c": {"N": "1"}});
    for (operation, request) in [
        (
            "PutItem",
            json!({"TableName": "t", "Item": key, "ConditionExpression": "attribute_not_exists(p)",
                   "ReturnConsumedCapacity": "TOTAL"}),
        ),
        (
            "DeleteItem",
            json!({"TableName": "t", "Key": {"p": {"S": "zz"}, "c": {"N": "1"}},
                   "ConditionExpression": "attribute_exists(p)",
                   "ReturnConsumedCapacity": "INDEXES", "ReturnItemCollectionMetrics": "SIZE"}),
        ),
        (
            "TransactWriteItems",
            json!({"TransactItems": [{"ConditionCheck": {"TableName": "t", "Key": key,
                   "ConditionExpression": "attribute_not_exists(p)"}}],
                   "ReturnConsumedCapacity": "TOTAL"}),
        ),
        (
            "GetItem",
            json!({"TableName": "missing_table", "Key": key, "ReturnConsumedCapacity": "TOTAL"}),
        ),
    ] {
        let (status, body) = send(&store, operation, &request);
        assert_eq!(status, 400, "{operation}: {body}");
        assert!(
            body.get("ConsumedCapacity").is_none(),
            "{operation}: {body}"
        );
        assert!(body.get("ItemCollectionMetrics").is_none(), "{body}");
    }
}
