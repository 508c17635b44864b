//! Streams against a model: random sequences of every write (PutItem,
//! UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems), with
//! conditions that fail, no-op writes and cancelled transactions, on a table
//! with a stream of each view type. Afterwards:
//!
//! * the table equals the model;
//! * read from TRIM_HORIZON page by page (random `Limit`), the stream holds,
//!   per item, exactly the records the model predicts (event, keys, and the
//!   images the view type keeps), in commit order, with increasing sequence
//!   numbers;
//! * replaying the records onto an empty table (NewImage put, REMOVE
//!   deleted) yields the table (for view types without new images: its keys).

use std::collections::BTreeMap;

use dynacond::Store;
use dynacond::protocol::dispatch;
use proptest::prelude::*;
use serde_json::{Value, json};

const TABLE: &str = "stm";
const KEYS: usize = 4;
const VIEWS: [&str; 4] = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"];

fn call(store: &Store, target: &str, body: &Value) -> (u16, Value) {
    let reply = dispatch(store, Some(target), body.to_string().as_bytes());
    (reply.status, serde_json::from_slice(&reply.body).unwrap())
}

fn db(store: &Store, op: &str, body: &Value) -> (u16, Value) {
    call(store, &format!("DynamoDB_20120810.{op}"), body)
}

fn streams(store: &Store, op: &str, body: &Value) -> Value {
    let (status, reply) = call(store, &format!("DynamoDBStreams_20120810.{op}"), body);
    assert_eq!(status, 200, "{op} {body}: {reply}");
    reply
}

fn new_table(store: &Store, name: &str, view: Option<&str>) {
    let mut request = json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]});
    if let Some(view) = view {
        request["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": view});
    }
    let (status, body) = db(store, "CreateTable", &request);
    assert_eq!(status, 200, "{body}");
}

/// A model item: the non-key attributes `a` (N) and `b` (S).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    a: Option<i64>,
    b: Option<u8>,
}

fn key(k: usize) -> Value {
    json!({"p": {"S": format!("k{k}")}})
}

fn item(k: usize, row: Row) -> Value {
    let mut item = key(k);
    if let Some(a) = row.a {
        item["a"] = json!({"N": a.to_string()});
    }
    if let Some(b) = row.b {
        item["b"] = json!({"S": format!("b{b}")});
    }
    item
}

#[derive(Debug, Clone)]
enum Update {
    SetA(i64),
    /// `ADD a :d` (0 changes nothing on an item that has `a`).
    AddA(i64),
    RemoveB,
    SetB(u8),
}

#[derive(Debug, Clone)]
enum TxWrite {
    Put(Row),
    SetA(i64),
    Delete,
}

#[derive(Debug, Clone)]
enum Op {
    Put {
        k: usize,
        row: Row,
        if_absent: bool,
    },
    Update {
        k: usize,
        update: Update,
        if_exists: bool,
    },
    Delete {
        k: usize,
        expect_a: Option<i64>,
    },
    /// BatchWriteItem: a put (`Some`) or a delete per distinct key.
    Batch(Vec<(usize, Option<Row>)>),
    /// TransactWriteItems on distinct keys, with a ConditionCheck
    /// `attribute_exists(p)` on another key (cancels when it is absent).
    Transact {
        writes: Vec<(usize, TxWrite)>,
        check: Option<usize>,
    },
}

/// One predicted record: the key, the event, the item before and after.
type Predicted = (usize, &'static str, Option<Row>, Option<Row>);

struct Model {
    rows: BTreeMap<usize, Row>,
    records: Vec<Predicted>,
}

impl Model {
    fn write(&mut self, k: usize, new: Option<Row>) {
        let old = self.rows.get(&k).copied();
        let event = match (old, new) {
            (None, None) => return,
            (Some(o), Some(n)) if o == n => return,
            (None, Some(_)) => "INSERT",
            (Some(_), None) => "REMOVE",
            (Some(_), Some(_)) => "MODIFY",
        };
        match new {
            Some(row) => self.rows.insert(k, row),
            None => self.rows.remove(&k),
        };
        self.records.push((k, event, old, new));
    }

    /// The item an update leaves (`None`: none, as a REMOVE of a missing
    /// item creates nothing).
    fn updated(old: Option<Row>, update: &Update) -> Option<Row> {
        let base = old.unwrap_or(Row { a: None, b: None });
        match update {
            Update::SetA(v) => Some(Row {
                a: Some(*v),
                ..base
            }),
            Update::AddA(d) => Some(Row {
                a: Some(base.a.unwrap_or(0) + d),
                ..base
            }),
            Update::SetB(s) => Some(Row {
                b: Some(*s),
                ..base
            }),
            Update::RemoveB => old.map(|o| Row { b: None, ..o }),
        }
    }
}

fn update_request(k: usize, update: &Update) -> Value {
    let (expression, values) = match update {
        Update::SetA(v) => ("SET a = :v", json!({":v": {"N": v.to_string()}})),
        Update::AddA(d) => ("ADD a :v", json!({":v": {"N": d.to_string()}})),
        Update::SetB(s) => ("SET b = :v", json!({":v": {"S": format!("b{s}")}})),
        Update::RemoveB => ("REMOVE b", Value::Null),
    };
    let mut request = json!({"TableName": TABLE, "Key": key(k), "UpdateExpression": expression});
    if !values.is_null() {
        request["ExpressionAttributeValues"] = values;
    }
    request
}

/// Runs one operation on the store and the model; the reply's success must
/// be the model's.
fn step(store: &Store, model: &mut Model, op: &Op) -> Result<(), String> {
    let (status, reply, expected_ok) = match op {
        Op::Put { k, row, if_absent } => {
            let mut request = json!({"TableName": TABLE, "Item": item(*k, *row)});
            if *if_absent {
                request["ConditionExpression"] = json!("attribute_not_exists(p)");
            }
            let ok = !*if_absent || !model.rows.contains_key(k);
            if ok {
                model.write(*k, Some(*row));
            }
            let (s, r) = db(store, "PutItem", &request);
            (s, r, ok)
        }
        Op::Update {
            k,
            update,
            if_exists,
        } => {
            let mut request = update_request(*k, update);
            if *if_exists {
                request["ConditionExpression"] = json!("attribute_exists(p)");
            }
            let old = model.rows.get(k).copied();
            let ok = !*if_exists || old.is_some();
            if ok {
                model.write(*k, Model::updated(old, update));
            }
            let (s, r) = db(store, "UpdateItem", &request);
            (s, r, ok)
        }
        Op::Delete { k, expect_a } => {
            let mut request = json!({"TableName": TABLE, "Key": key(*k)});
            let mut ok = true;
            if let Some(a) = expect_a {
                request["ConditionExpression"] = json!("a = :a");
                request["ExpressionAttributeValues"] = json!({":a": {"N": a.to_string()}});
                ok = model.rows.get(k).and_then(|r| r.a) == Some(*a);
            }
            if ok {
                model.write(*k, None);
            }
            let (s, r) = db(store, "DeleteItem", &request);
            (s, r, ok)
        }
        Op::Batch(writes) => {
            let requests: Vec<Value> = writes
                .iter()
                .map(|(k, row)| match row {
                    Some(row) => json!({"PutRequest": {"Item": item(*k, *row)}}),
                    None => json!({"DeleteRequest": {"Key": key(*k)}}),
                })
                .collect();
            for (k, row) in writes {
                model.write(*k, *row);
            }
            let (s, r) = db(
                store,
                "BatchWriteItem",
                &json!({"RequestItems": {TABLE: requests}}),
            );
            (s, r, true)
        }
        Op::Transact { writes, check } => {
            let mut items: Vec<Value> = writes
                .iter()
                .map(|(k, w)| match w {
                    TxWrite::Put(row) => {
                        json!({"Put": {"TableName": TABLE, "Item": item(*k, *row)}})
                    }
                    TxWrite::SetA(v) => json!({"Update": {"TableName": TABLE, "Key": key(*k),
                        "UpdateExpression": "SET a = :v",
                        "ExpressionAttributeValues": {":v": {"N": v.to_string()}}}}),
                    TxWrite::Delete => json!({"Delete": {"TableName": TABLE, "Key": key(*k)}}),
                })
                .collect();
            if let Some(c) = check {
                items.push(
                    json!({"ConditionCheck": {"TableName": TABLE, "Key": key(*c),
                    "ConditionExpression": "attribute_exists(p)"}}),
                );
            }
            let ok = check.is_none_or(|c| model.rows.contains_key(&c));
            if ok {
                for (k, w) in writes {
                    let old = model.rows.get(k).copied();
                    let new = match w {
                        TxWrite::Put(row) => Some(*row),
                        TxWrite::SetA(v) => Model::updated(old, &Update::SetA(*v)),
                        TxWrite::Delete => None,
                    };
                    model.write(*k, new);
                }
            }
            let (s, r) = db(
                store,
                "TransactWriteItems",
                &json!({"TransactItems": items}),
            );
            (s, r, ok)
        }
    };
    if (status == 200) != expected_ok {
        return Err(format!(
            "{op:?}: status {status}, model expected ok={expected_ok}: {reply}"
        ));
    }
    Ok(())
}

/// Every record of the table's stream, read from TRIM_HORIZON with `limit`.
fn read_stream(store: &Store, limit: u32) -> Vec<Value> {
    let table = db(store, "DescribeTable", &json!({"TableName": TABLE})).1;
    let arn = table["Table"]["LatestStreamArn"].clone();
    let described = streams(store, "DescribeStream", &json!({"StreamArn": arn}));
    let shard = described["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let mut iterator = streams(
        store,
        "GetShardIterator",
        &json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
    )["ShardIterator"]
        .clone();
    let mut records = Vec::new();
    loop {
        let page = streams(
            store,
            "GetRecords",
            &json!({"ShardIterator": iterator, "Limit": limit}),
        );
        let got = page["Records"].as_array().cloned().unwrap_or_default();
        assert!(got.len() <= limit as usize);
        if got.is_empty() {
            break;
        }
        records.extend(got);
        iterator = page["NextShardIterator"].clone();
    }
    records
}

/// A predicted record as DynamoDB sends it, in the members compared.
fn expected(view: &str, (k, event, old, new): &Predicted) -> Value {
    let mut d = json!({"Keys": key(*k), "StreamViewType": view});
    if view.starts_with("NEW") {
        if let Some(new) = new {
            d["NewImage"] = item(*k, *new);
        }
    }
    if view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES" {
        if let Some(old) = old {
            d["OldImage"] = item(*k, *old);
        }
    }
    json!({"eventName": event, "dynamodb": d})
}

fn compared(record: &Value) -> Value {
    let d = &record["dynamodb"];
    let mut out = json!({"Keys": d["Keys"], "StreamViewType": d["StreamViewType"]});
    for image in ["NewImage", "OldImage"] {
        if let Some(i) = d.get(image) {
            out[image] = i.clone();
        }
    }
    json!({"eventName": record["eventName"], "dynamodb": out})
}

/// The table's items by key.
fn scan(store: &Store, name: &str) -> BTreeMap<String, Value> {
    let (status, reply) = db(store, "Scan", &json!({"TableName": name}));
    assert_eq!(status, 200, "{reply}");
    reply["Items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["p"]["S"].as_str().unwrap_or_default().to_owned(),
                i.clone(),
            )
        })
        .collect()
}

fn row() -> impl Strategy<Value = Row> {
    (proptest::option::of(0i64..3), proptest::option::of(0u8..2)).prop_map(|(a, b)| Row { a, b })
}

fn update() -> impl Strategy<Value = Update> {
    prop_oneof![
        (0i64..3).prop_map(Update::SetA),
        (0i64..2).prop_map(Update::AddA),
        Just(Update::RemoveB),
        (0u8..2).prop_map(Update::SetB),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let k = 0..KEYS;
    let distinct = proptest::sample::subsequence((0..KEYS).collect::<Vec<_>>(), 1..=3);
    prop_oneof![
        3 => (k.clone(), row(), any::<bool>()).prop_map(|(k, row, if_absent)| Op::Put { k, row, if_absent }),
        3 => (k.clone(), update(), any::<bool>()).prop_map(|(k, update, if_exists)| Op::Update { k, update, if_exists }),
        2 => (k.clone(), proptest::option::of(0i64..3)).prop_map(|(k, expect_a)| Op::Delete { k, expect_a }),
        1 => (distinct.clone(), proptest::collection::vec(proptest::option::of(row()), 3))
            .prop_map(|(keys, rows)| Op::Batch(keys.into_iter().zip(rows).collect())),
        1 => (distinct, proptest::collection::vec(
                prop_oneof![row().prop_map(TxWrite::Put), (0i64..3).prop_map(TxWrite::SetA), Just(TxWrite::Delete)], 3),
              any::<bool>())
            .prop_map(|(keys, writes, checked)| {
                // The check takes a key no write uses, when there is one.
                let check = (0..KEYS).find(|c| !keys.contains(c)).filter(|_| checked);
                Op::Transact { writes: keys.into_iter().zip(writes).collect(), check }
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_stream_holds_what_the_model_predicts(
        view in 0..VIEWS.len(),
        ops in proptest::collection::vec(op(), 1..30),
        limit in 1u32..6,
    ) {
        let view = VIEWS[view];
        let store = Store::new();
        new_table(&store, TABLE, Some(view));
        let mut model = Model { rows: BTreeMap::new(), records: Vec::new() };
        for op in &ops {
            if let Err(e) = step(&store, &mut model, op) {
                prop_assert!(false, "{}", e);
            }
        }
        let table = scan(&store, TABLE);
        let wanted: BTreeMap<String, Value> =
            model.rows.iter().map(|(k, r)| (format!("k{k}"), item(*k, *r))).collect();
        prop_assert_eq!(&table, &wanted);

        let records = read_stream(&store, limit);
        prop_assert_eq!(records.len(), model.records.len());
        let numbers: Vec<u128> = records
            .iter()
            .map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap().parse().unwrap())
            .collect();
        prop_assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        for k in 0..KEYS {
            let name = format!("k{k}");
            let got: Vec<Value> = records
                .iter()
                .filter(|r| r["dynamodb"]["Keys"]["p"]["S"] == name.as_str())
                .map(compared)
                .collect();
            let want: Vec<Value> = model
                .records
                .iter()
                .filter(|p| p.0 == k)
                .map(|p| expected(view, p))
                .collect();
            prop_assert_eq!(got, want, "key {}", k);
        }

        // Replay onto an empty table.
        let replica = "stm_replica";
        new_table(&store, replica, None);
        for record in &records {
            let d = &record["dynamodb"];
            let (op, body) = match (record["eventName"].as_str(), d.get("NewImage")) {
                (Some("REMOVE"), _) => ("DeleteItem", json!({"TableName": replica, "Key": d["Keys"]})),
                (_, Some(image)) => ("PutItem", json!({"TableName": replica, "Item": image})),
                (_, None) => ("PutItem", json!({"TableName": replica, "Item": d["Keys"]})),
            };
            let (status, reply) = db(&store, op, &body);
            prop_assert_eq!(status, 200, "{}", reply);
        }
        let replayed = scan(&store, replica);
        if view.starts_with("NEW") {
            prop_assert_eq!(replayed, table);
        } else {
            let keys: Vec<&String> = replayed.keys().collect();
            prop_assert_eq!(keys, table.keys().collect::<Vec<_>>());
        }
    }
}
