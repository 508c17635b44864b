//! Snapshots, restores and resets of a whole store: everything a client
//! observes comes back equal, a restore is atomic for readers under
//! concurrent transfers, snapshots taken meanwhile are consistent, and the
//! configuration (clock, fault rules) is left alone.

use std::sync::atomic::{AtomicBool, Ordering};

use dynacond::faults::FaultRule;
use dynacond::protocol::dispatch;
use dynacond::{Clock, Store};
use serde_json::{Value, json};

fn call(store: &Store, target: &str, body: &Value) -> Value {
    let reply = dispatch(store, Some(target), body.to_string().as_bytes());
    let value: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(reply.status, 200, "{target} {body}: {value}");
    value
}

fn db(store: &Store, op: &str, body: Value) -> Value {
    call(store, &format!("DynamoDB_20120810.{op}"), &body)
}

fn streams(store: &Store, op: &str, body: Value) -> Value {
    call(store, &format!("DynamoDBStreams_20120810.{op}"), &body)
}

fn manual_store() -> Store {
    Store::builder()
        .clock(Clock::manual(1_700_000_000_000))
        .build()
        .unwrap()
}

/// Two tables (one with a GSI, an LSI, a stream, TTL, tags, PITR), items,
/// and the stream of a deleted third table.
fn populate(store: &Store) {
    db(
        store,
        "CreateTable",
        json!({
            "TableName": "orders",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                          {"AttributeName": "s", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                     {"AttributeName": "s", "AttributeType": "N"},
                                     {"AttributeName": "g", "AttributeType": "S"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 7},
            "GlobalSecondaryIndexes": [{"IndexName": "byg",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                              {"AttributeName": "s", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2}}],
            "LocalSecondaryIndexes": [{"IndexName": "local",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                              {"AttributeName": "g", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "Tags": [{"Key": "team", "Value": "a"}],
            "SSESpecification": {"Enabled": true, "SSEType": "KMS"},
            "DeletionProtectionEnabled": true
        }),
    );
    db(
        store,
        "UpdateTimeToLive",
        json!({"TableName": "orders",
            "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}}),
    );
    db(
        store,
        "UpdateContinuousBackups",
        json!({"TableName": "orders",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
    );
    for name in ["plain", "gone"] {
        db(
            store,
            "CreateTable",
            json!({"TableName": name,
                "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "B"}],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
        );
    }
    for i in 0..30u8 {
        let mut item = json!({"p": {"S": format!("p{}", i % 4)}, "s": {"N": i.to_string()},
            "v": {"L": [{"N": "1"}, {"SS": ["a", "b"]}]}, "w": {"M": {"x": {"BOOL": true}}}});
        if i % 3 != 0 {
            item["g"] = json!({"S": format!("g{}", i % 5)});
        }
        db(
            store,
            "PutItem",
            json!({"TableName": "orders", "Item": item}),
        );
        db(
            store,
            "PutItem",
            json!({"TableName": "plain", "Item": {"k": {"B": one_byte(i)}, "n": {"N": i.to_string()}}}),
        );
    }
    db(
        store,
        "DeleteItem",
        json!({"TableName": "orders", "Key": {"p": {"S": "p1"}, "s": {"N": "5"}}}),
    );
    db(
        store,
        "PutItem",
        json!({"TableName": "gone", "Item": {"k": {"B": "AA=="}}}),
    );
    db(store, "DeleteTable", json!({"TableName": "gone"}));
    // A transaction with a token, remembered as finished.
    db(
        store,
        "TransactWriteItems",
        json!({"ClientRequestToken": "tok-1", "TransactItems": [{"Put": {"TableName": "plain",
            "Item": {"k": {"B": "/w=="}}}}]}),
    );
}

/// The base64 of one byte.
fn one_byte(b: u8) -> String {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let first = DIGITS[usize::from(b >> 2)] as char;
    let second = DIGITS[usize::from((b & 3) << 4)] as char;
    format!("{first}{second}==")
}

/// Everything a client can read of the store, as one JSON value.
fn observe(store: &Store) -> Value {
    let mut seen = serde_json::Map::new();
    let tables = db(store, "ListTables", json!({}));
    seen.insert("tables".into(), tables.clone());
    for name in tables["TableNames"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        let described = db(store, "DescribeTable", json!({ "TableName": name }));
        let arn = described["Table"]["TableArn"].clone();
        let mut table = json!({
            "describe": described,
            "scan": db(store, "Scan", json!({"TableName": name, "ConsistentRead": true})),
            "ttl": db(store, "DescribeTimeToLive", json!({ "TableName": name })),
            "tags": db(store, "ListTagsOfResource", json!({ "ResourceArn": arn })),
            "backups": db(store, "DescribeContinuousBackups", json!({ "TableName": name })),
        });
        if name == "orders" {
            table["gsi"] = db(
                store,
                "Query",
                json!({"TableName": name, "IndexName": "byg",
                "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": {"S": "g1"}}}),
            );
            table["lsi"] = db(
                store,
                "Query",
                json!({"TableName": name, "IndexName": "local",
                "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "p2"}}}),
            );
        }
        seen.insert(name.into(), table);
    }
    let listed = streams(store, "ListStreams", json!({}));
    let mut records = Vec::new();
    for stream in listed["Streams"].as_array().unwrap() {
        let arn = stream["StreamArn"].clone();
        let described = streams(store, "DescribeStream", json!({ "StreamArn": arn }));
        let shard = described["StreamDescription"]["Shards"][0]["ShardId"].clone();
        let iterator = streams(
            store,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
        )["ShardIterator"]
            .clone();
        let got = streams(store, "GetRecords", json!({ "ShardIterator": iterator }));
        records.push(json!({"describe": described, "records": got["Records"]}));
    }
    seen.insert("streams".into(), json!({"list": listed, "each": records}));
    Value::Object(seen)
}

#[test]
fn a_restore_brings_back_everything_a_client_observes() {
    let store = manual_store();
    populate(&store);
    let before = observe(&store);
    let snapshot = store.snapshot();
    assert_eq!(snapshot.table_names(), ["orders", "plain"]);
    assert_eq!(snapshot.item_count(), 29 + 31);

    // Change every part of it.
    db(
        &store,
        "PutItem",
        json!({"TableName": "orders", "Item": {"p": {"S": "p1"}, "s": {"N": "5"}, "g": {"S": "g1"}}}),
    );
    db(
        &store,
        "UpdateItem",
        json!({"TableName": "orders", "Key": {"p": {"S": "p2"}, "s": {"N": "2"}},
            "UpdateExpression": "SET g = :g", "ExpressionAttributeValues": {":g": {"S": "g1"}}}),
    );
    db(
        &store,
        "UpdateTimeToLive",
        json!({"TableName": "orders",
            "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": false}}),
    );
    db(
        &store,
        "TagResource",
        json!({"ResourceArn": before["orders"]["describe"]["Table"]["TableArn"],
            "Tags": [{"Key": "more", "Value": "b"}]}),
    );
    db(
        &store,
        "UpdateTable",
        json!({"TableName": "orders", "DeletionProtectionEnabled": false}),
    );
    db(
        &store,
        "UpdateTable",
        json!({"TableName": "orders",
            "ProvisionedThroughput": {"ReadCapacityUnits": 9, "WriteCapacityUnits": 9}}),
    );
    db(&store, "DeleteTable", json!({"TableName": "plain"}));
    db(
        &store,
        "CreateTable",
        json!({"TableName": "newer", "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"}),
    );
    assert_ne!(observe(&store), before);

    store.restore(&snapshot).unwrap();
    assert_eq!(observe(&store), before);

    // The restored store works on: its stream numbers on after the
    // restored records, a replayed token is a replay, and twice is the same.
    db(
        &store,
        "TransactWriteItems",
        json!({"ClientRequestToken": "tok-1", "TransactItems": [{"Put": {"TableName": "plain",
            "Item": {"k": {"B": "/w=="}}}}]}),
    );
    assert_eq!(observe(&store), before);
    db(
        &store,
        "PutItem",
        json!({"TableName": "orders", "Item": {"p": {"S": "p9"}, "s": {"N": "1"}}}),
    );
    let after = observe(&store);
    let records = |v: &Value| {
        v["streams"]["each"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["records"].as_array().unwrap().len())
            .sum::<usize>()
    };
    assert_eq!(records(&after), records(&before) + 1);
    store.restore(&snapshot).unwrap();
    store.restore(&snapshot).unwrap();
    assert_eq!(observe(&store), before);
}

#[test]
fn reset_empties_the_data_and_keeps_the_configuration() {
    let store = manual_store();
    populate(&store);
    store
        .faults()
        .add(FaultRule::error("InternalServerError").table("nothing"))
        .unwrap();
    store.clock().advance(std::time::Duration::from_secs(5));
    store.reset().unwrap();
    assert_eq!(db(&store, "ListTables", json!({}))["TableNames"], json!([]));
    assert_eq!(
        streams(&store, "ListStreams", json!({}))["Streams"],
        json!([])
    );
    assert_eq!(store.faults().list().len(), 1);
    assert_eq!(store.clock().now_millis(), 1_700_000_005_000);
    // A fresh table of an old name starts empty, and the store is usable.
    populate(&store);
    assert_eq!(store.table("orders").unwrap().item_count(), 29);
    // An empty store's snapshot restores an empty store.
    let empty = Store::builder().clock(Clock::manual(0)).build().unwrap();
    store.restore(&empty.snapshot()).unwrap();
    assert_eq!(db(&store, "ListTables", json!({}))["TableNames"], json!([]));
}

#[test]
fn snapshots_move_between_stores_of_one_region_and_account() {
    let store = manual_store();
    populate(&store);
    let snapshot = store.snapshot();
    let twin = manual_store();
    twin.restore(&snapshot).unwrap();
    assert_eq!(observe(&twin), observe(&store));
    let elsewhere = Store::builder().region("eu-west-1").build().unwrap();
    let refused = elsewhere.restore(&snapshot).unwrap_err();
    assert!(
        refused.to_string().contains("region us-east-1"),
        "{refused}"
    );
    assert_eq!(
        db(&elsewhere, "ListTables", json!({}))["TableNames"],
        json!([])
    );
    // Sent to another thread, shared by clones.
    let clone = snapshot.clone();
    std::thread::spawn(move || clone.item_count())
        .join()
        .unwrap();
}

const ACCOUNTS: usize = 8;
const TOTAL: i64 = 800;

fn account(i: usize) -> Value {
    json!({"p": {"S": format!("acct{i}")}})
}

/// The sum of every balance, read in one TransactGetItems (tried again
/// when a transfer holding an account cancels it).
fn total(store: &Store) -> i64 {
    let items: Vec<Value> = (0..ACCOUNTS)
        .map(|i| json!({"Get": {"TableName": "bank", "Key": account(i)}}))
        .collect();
    let body = json!({ "TransactItems": items }).to_string();
    loop {
        let reply = dispatch(
            store,
            Some("DynamoDB_20120810.TransactGetItems"),
            body.as_bytes(),
        );
        let reply: Value = serde_json::from_slice(&reply.body).unwrap();
        let Some(responses) = reply["Responses"].as_array() else {
            assert!(
                reply["__type"]
                    .as_str()
                    .unwrap()
                    .ends_with("TransactionCanceledException"),
                "{reply}"
            );
            continue;
        };
        return responses
            .iter()
            .map(|r| {
                r["Item"]["balance"]["N"]
                    .as_str()
                    .unwrap()
                    .parse::<i64>()
                    .unwrap()
            })
            .sum();
    }
}

/// Sets the flag when dropped, so a failing assertion stops the writers.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[test]
fn restores_and_snapshots_under_concurrent_transfers_are_atomic() {
    let store = Store::new();
    db(
        &store,
        "CreateTable",
        json!({"TableName": "bank", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"}),
    );
    for i in 0..ACCOUNTS {
        let mut item = account(i);
        item["balance"] = json!({"N": (TOTAL / ACCOUNTS as i64).to_string()});
        db(
            &store,
            "PutItem",
            json!({"TableName": "bank", "Item": item}),
        );
    }
    let initial = store.snapshot();
    let stop = AtomicBool::new(false);
    let snapshots = std::thread::scope(|s| {
        for w in 0..2usize {
            let (store, stop) = (&store, &stop);
            s.spawn(move || {
                let mut n = w as u64 + 1;
                while !stop.load(Ordering::Relaxed) {
                    n = (n * 1_103_515_245 + 12_345) % (1 << 31);
                    let (from, to) = ((n % 8) as usize, ((n >> 8) % 8) as usize);
                    if from == to {
                        continue;
                    }
                    let update = |key: Value, sign: &str| {
                        json!({"Update": {"TableName": "bank", "Key": key,
                            "UpdateExpression": format!("SET balance = balance {sign} :a"),
                            "ExpressionAttributeValues": {":a": {"N": "3"}}}})
                    };
                    let body = json!({"TransactItems": [update(account(from), "-"), update(account(to), "+")]});
                    // Conflicts with the other writer are expected; the
                    // transfer is then simply not made.
                    let _ = dispatch(
                        store,
                        Some("DynamoDB_20120810.TransactWriteItems"),
                        body.to_string().as_bytes(),
                    );
                }
            });
        }
        let reader = s.spawn(|| {
            let mut reads = 0;
            while !stop.load(Ordering::Relaxed) {
                assert_eq!(total(&store), TOTAL);
                reads += 1;
            }
            reads
        });
        let stopper = StopOnDrop(&stop);
        let mut taken = Vec::new();
        for round in 0..40 {
            if round % 2 == 0 {
                store.restore(&initial).unwrap();
            } else {
                taken.push(store.snapshot());
            }
            assert_eq!(total(&store), TOTAL);
        }
        drop(stopper);
        assert!(reader.join().unwrap() > 0);
        taken
    });
    // Every snapshot taken while transfers ran is one consistent moment.
    let check = Store::new();
    for snapshot in &snapshots {
        check.restore(snapshot).unwrap();
        assert_eq!(total(&check), TOTAL);
        assert_eq!(check.table("bank").unwrap().item_count(), ACCOUNTS as u64);
    }
}

/// A store with a data directory takes snapshots but refuses restore and
/// reset (neither is in its log), and keeps its data.
#[test]
fn a_durable_store_refuses_restore_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::builder()
        .data_dir(dir.path())
        .checkpoint_bytes(0)
        .build()
        .unwrap();
    populate(&store);
    let snapshot = store.snapshot();
    let before = db(&store, "ListTables", json!({}));
    for error in [
        store.reset().unwrap_err(),
        store.restore(&snapshot).unwrap_err(),
    ] {
        assert_eq!(error.type_name(), "ValidationException", "{error}");
        assert!(error.message().contains("data directory"), "{error}");
    }
    assert_eq!(db(&store, "ListTables", json!({})), before);
}
