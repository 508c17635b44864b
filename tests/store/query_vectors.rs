//! The spec's `key-conditions.json` vectors run through the library's Query
//! (or Scan, when the case's `Operation` says so): the case's request
//! members go into a DynamoDB JSON request, the reply's `Items` must equal
//! the expected items in order, errors must match type and message.

use crate::common;

use common::{Report, error_mismatch, load_cases};
use dynacond::api::{CreateTableInput, PutItemInput, QueryInput, ScanInput};
use dynacond::{Error, Item, Store, wire};
use serde_json::{Value, json};

/// The vectors' table `t` is below DynamoDB's 3-character minimum.
const TABLE: &str = "tbl";

/// Request members a case may carry.
const MEMBERS: &[&str] = &[
    "KeyConditionExpression",
    "FilterExpression",
    "ProjectionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "Select",
    "Limit",
    "ScanIndexForward",
    "ExclusiveStartKey",
    "IndexName",
    "Segment",
    "TotalSegments",
];

fn new_store(case: &Value) -> Store {
    let store = Store::new();
    let schema = case
        .get("KeySchema")
        .cloned()
        .unwrap_or_else(|| json!([{"AttributeName": "p", "KeyType": "HASH"}]));
    let defs = case
        .get("AttributeDefinitions")
        .cloned()
        .unwrap_or_else(|| json!([{"AttributeName": "p", "AttributeType": "S"}]));
    let create: CreateTableInput = wire::from_value(
        json!({"TableName": TABLE, "KeySchema": schema, "AttributeDefinitions": defs}),
    )
    .unwrap();
    store.create_table(create).unwrap();
    let mut items: Vec<Value> = case
        .get("Items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(item) = case.get("Item") {
        items.push(item.clone());
    }
    for item in items {
        let item: Item = wire::from_value(item).unwrap();
        store.put_item(PutItemInput::new(TABLE, item)).unwrap();
    }
    store
}

fn run(store: &Store, case: &Value) -> Result<Vec<Item>, Error> {
    let mut request = json!({"TableName": TABLE});
    for m in MEMBERS {
        if let Some(v) = case.get(*m) {
            request[*m] = v.clone();
        }
    }
    let items = match case.get("Operation").and_then(Value::as_str) {
        Some("Scan") => store.scan(wire::from_value::<ScanInput>(request)?)?.items,
        None | Some("Query") => store.query(wire::from_value::<QueryInput>(request)?)?.items,
        Some(other) => panic!("unknown operation {other}"),
    };
    Ok(items.unwrap_or_default())
}

#[test]
fn key_condition_vectors() {
    let mut report = Report::default();
    for case in load_cases("key-conditions.json") {
        let name = case["name"].as_str().unwrap();
        report.ran += 1;
        let store = new_store(&case);
        let before = store.scan(ScanInput::new(TABLE)).unwrap().items;
        let expect = &case["expect"];
        let problem = match (run(&store, &case), expect.get("items")) {
            (Ok(got), Some(want)) => {
                let want: Vec<Item> = want
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| wire::from_value(i.clone()).unwrap())
                    .collect();
                (got != want).then(|| format!("items\n   got: {got:?}\n  want: {want:?}"))
            }
            (Ok(got), None) => Some(format!("succeeded with {got:?}, want {expect}")),
            (Err(e), Some(_)) => Some(format!("{}: {}", e.type_name(), e.message())),
            (Err(e), None) => error_mismatch(expect, &e),
        };
        if let Some(p) = problem {
            report.fail(name, p);
        }
        // Reads never change the stored data.
        assert_eq!(store.scan(ScanInput::new(TABLE)).unwrap().items, before);
    }
    report.finish("key-conditions.json", 18);
}
