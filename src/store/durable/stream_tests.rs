//! Streams, ClientRequestTokens and torn segments across restarts.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::api::*;
use crate::store::durable::files::{self, LOG_MAGIC};
use crate::store::durable::frame::frame;
use crate::{Clock, Error, Store, wire};

fn open(dir: &Path, clock: &Clock) -> Result<Store, Error> {
    Store::builder()
        .clock(clock.clone())
        .data_dir(dir)
        .checkpoint_bytes(0)
        .build()
}

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_str(&v.to_string()).unwrap()
}

fn create(store: &Store, name: &str) {
    store
        .create_table(req(
            json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "StreamSpecification": {"StreamEnabled": true,
                                    "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
        ))
        .unwrap();
}

fn put(store: &Store, table: &str, p: &str, n: i64) {
    store
        .put_item(req(json!({"TableName": table,
            "Item": {"p": {"S": p}, "n": {"N": n.to_string()}}})))
        .unwrap();
}

/// Every stream of the store as a client reads it: description and every
/// record from the trim horizon.
fn streams(store: &Store) -> Vec<(String, Vec<Value>)> {
    let listed = store
        .list_streams(ListStreamsInput::default())
        .unwrap()
        .streams;
    listed
        .iter()
        .map(|s| {
            let d = store
                .describe_stream(DescribeStreamInput::new(&s.stream_arn))
                .unwrap()
                .stream_description;
            let shard = d.shards[0].shard_id.clone();
            let mut iterator = store
                .get_shard_iterator(GetShardIteratorInput::new(
                    &s.stream_arn,
                    &shard,
                    ShardIteratorType::TrimHorizon,
                ))
                .unwrap()
                .shard_iterator;
            let mut records = Vec::new();
            while let Some(it) = iterator {
                let page = store.get_records(GetRecordsInput::new(&it)).unwrap();
                if page.records.is_empty() {
                    break;
                }
                records.extend(
                    page.records
                        .iter()
                        .map(|r| serde_json::to_value(r).unwrap()),
                );
                iterator = page.next_shard_iterator;
            }
            (serde_json::to_string(&d).unwrap(), records)
        })
        .collect()
}

/// Asserts two stream dumps are equal, showing the first difference only.
fn assert_same(a: &[(String, Vec<Value>)], b: &[(String, Vec<Value>)], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: streams");
    for ((da, ra), (db, rb)) in a.iter().zip(b) {
        assert_eq!(da, db, "{what}");
        assert_eq!(ra.len(), rb.len(), "{what}: records of {da}");
        for (x, y) in ra.iter().zip(rb) {
            assert_eq!(x, y, "{what}");
        }
    }
}

fn sequence_numbers(streams: &[(String, Vec<Value>)]) -> Vec<u128> {
    streams
        .iter()
        .flat_map(|(_, r)| r.iter())
        .map(|r| {
            r["dynamodb"]["SequenceNumber"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect()
}

/// Writes of every kind, with time passing between them.
fn write_some(store: &Store, round: i64) {
    let clock = store.clock().clone();
    for i in 0..5 {
        put(store, "tab", &format!("k{i}"), round * 10 + i);
        clock.advance(Duration::from_millis(1_500));
    }
    store
        .delete_item(req(json!({"TableName": "tab", "Key": {"p": {"S": "k0"}}})))
        .unwrap();
    store
        .transact_write_items(req(json!({"TransactItems": [
            {"Update": {"TableName": "tab", "Key": {"p": {"S": "k1"}},
                "UpdateExpression": "SET n = n + :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}}}},
            {"Put": {"TableName": "other", "Item": {"p": {"S": format!("t{round}")}}}}]})))
        .unwrap();
    store
        .batch_write_item(req(json!({"RequestItems": {"tab": [
            {"PutRequest": {"Item": {"p": {"S": format!("b{round}")},
                "ttl": {"N": (clock.now_millis() / 1000 - 10).to_string()}}}},
            {"DeleteRequest": {"Key": {"p": {"S": "k2"}}}}]}})))
        .unwrap();
    // The TTL sweep's deletion carries its identity through the log.
    store.sweep_expired();
    clock.advance(Duration::from_secs(3));
}

#[test]
fn streams_continue_across_restarts_with_and_without_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(1_700_000_000_000);
    let store = open(dir.path(), &clock).unwrap();
    create(&store, "tab");
    create(&store, "other");
    store
        .update_time_to_live(UpdateTimeToLiveInput::enable("tab", "ttl"))
        .unwrap();
    // A stream closed by a disable, then a new one; a deleted table's.
    write_some(&store, 1);
    store
        .update_table(req(json!({"TableName": "other",
            "StreamSpecification": {"StreamEnabled": false}})))
        .unwrap();
    clock.advance(Duration::from_secs(1));
    store
        .update_table(req(json!({"TableName": "other",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}})))
        .unwrap();
    create(&store, "gone");
    put(&store, "gone", "g", 1);
    store
        .delete_table(req(json!({"TableName": "gone"})))
        .unwrap();
    let mut seen = streams(&store);
    assert_eq!(seen.len(), 4);
    assert!(
        seen.iter()
            .any(|(_, r)| r.iter().any(|r| r.get("userIdentity").is_some()))
    );
    let mut store = Some(store);
    for checkpoint_before in [false, true, true, false] {
        let s = store.take().unwrap();
        if checkpoint_before {
            s.checkpoint().unwrap();
        }
        drop(s);
        clock.advance(Duration::from_secs(60));
        let s = open(dir.path(), &clock).unwrap();
        assert_same(
            &streams(&s),
            &seen,
            &format!("checkpoint before: {checkpoint_before}"),
        );
        // Numbers go on above every one handed out.
        let before = sequence_numbers(&seen);
        write_some(&s, 2);
        let now = streams(&s);
        let after = sequence_numbers(&now);
        let highest = before.iter().max().copied().unwrap_or_default();
        let new: Vec<u128> = after.into_iter().filter(|n| !before.contains(n)).collect();
        assert!(!new.is_empty());
        assert!(new.iter().all(|n| *n > highest));
        seen = now;
        store = Some(s);
    }
}

#[test]
fn concurrent_writers_stream_records_survive_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(1_700_000_000_000);
    let seen = {
        let store = open(dir.path(), &clock).unwrap();
        create(&store, "tab");
        std::thread::scope(|s| {
            for t in 0..4 {
                let store = &store;
                s.spawn(move || {
                    for i in 0..50 {
                        put(store, "tab", &format!("t{t}-{}", i % 7), i);
                    }
                });
            }
            // A checkpoint while they write.
            s.spawn(|| store.checkpoint().unwrap());
        });
        streams(&store)
    };
    let store = open(dir.path(), &clock).unwrap();
    assert_same(&streams(&store), &seen, "after a restart");
    assert_eq!(seen[0].1.len(), 200);
}

fn increment(token: &str, by: i64) -> TransactWriteItemsInput {
    req(json!({"ClientRequestToken": token, "TransactItems": [
        {"Update": {"TableName": "tab", "Key": {"p": {"S": "c"}},
            "UpdateExpression": "ADD n :by",
            "ExpressionAttributeValues": {":by": {"N": by.to_string()}}}}]}))
}

fn counter(store: &Store) -> String {
    let item = store
        .get_item(req(json!({"TableName": "tab", "Key": {"p": {"S": "c"}}})))
        .unwrap()
        .item
        .unwrap();
    wire::item_to_json(&item)
}

#[test]
fn client_request_tokens_survive_restarts_for_ten_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(1_700_000_000_000);
    let store = open(dir.path(), &clock).unwrap();
    create(&store, "tab");
    store.transact_write_items(increment("one", 1)).unwrap();
    clock.advance(Duration::from_secs(60));
    store.transact_write_items(increment("two", 10)).unwrap();
    let value = counter(&store);
    drop(store);
    let store = open(dir.path(), &clock).unwrap();
    // Replays succeed without applying; another request is refused.
    store.transact_write_items(increment("one", 1)).unwrap();
    store.transact_write_items(increment("two", 10)).unwrap();
    assert_eq!(counter(&store), value);
    let mismatch = store.transact_write_items(increment("one", 2)).unwrap_err();
    assert_eq!(mismatch.type_name(), "IdempotentParameterMismatchException");
    // Through a checkpoint too.
    store.checkpoint().unwrap();
    drop(store);
    let store = open(dir.path(), &clock).unwrap();
    store.transact_write_items(increment("two", 10)).unwrap();
    assert_eq!(counter(&store), value);
    // Ten minutes after "one" finished it is forgotten; "two" is not yet.
    clock.advance(Duration::from_secs(540));
    drop(store);
    let store = open(dir.path(), &clock).unwrap();
    store.transact_write_items(increment("two", 10)).unwrap();
    assert_eq!(counter(&store), value);
    store.transact_write_items(increment("one", 2)).unwrap();
    assert_ne!(counter(&store), value);
}

/// A data directory whose segment 1 ends in a torn record and whose
/// segment 2 holds `second` after its magic.
fn torn_then(dir: &Path, clock: &Clock, second: &[u8]) {
    {
        let store = open(dir, clock).unwrap();
        create(&store, "tab");
        put(&store, "tab", "a", 1);
        put(&store, "tab", "b", 2);
    }
    // The first 20 bytes of a 112-byte frame: its header and a part.
    let path = files::segment_path(dir, 1);
    let mut bytes = std::fs::read(&path).unwrap();
    let mut torn = Vec::new();
    frame(&[7; 100], &mut torn);
    bytes.extend_from_slice(&torn[..20]);
    std::fs::write(&path, &bytes).unwrap();
    let mut next = LOG_MAGIC.to_vec();
    next.extend_from_slice(second);
    std::fs::write(files::segment_path(dir, 2), next).unwrap();
}

#[test]
fn a_torn_segment_before_empty_ones_recovers_its_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(1_700_000_000_000);
    torn_then(dir.path(), &clock, b"");
    let report = crate::store::durable::check_data_dir(dir.path()).unwrap();
    assert_eq!(report.torn_tail_bytes, 20);
    let store = open(dir.path(), &clock).unwrap();
    assert_eq!(store.table("tab").unwrap().item_count(), 2);
    put(&store, "tab", "c", 3);
    drop(store);
    // The log went on in segment 1, cut at its last whole record.
    assert!(!files::segment_path(dir.path(), 2).exists());
    let store = open(dir.path(), &clock).unwrap();
    assert_eq!(store.table("tab").unwrap().item_count(), 3);
    assert_eq!(streams(&store)[0].1.len(), 3);
}

#[test]
fn a_torn_segment_before_one_with_records_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(1_700_000_000_000);
    let mut record = Vec::new();
    frame(
        &crate::store::durable::record::Record::ControlFailed.encode(),
        &mut record,
    );
    torn_then(dir.path(), &clock, &record);
    let error = open(dir.path(), &clock).unwrap_err();
    assert!(
        error
            .message()
            .contains("a torn record before a segment holding records"),
        "{}",
        error.message()
    );
    assert!(files::segment_path(dir.path(), 2).exists());
}

#[test]
fn stream_and_token_records_round_trip_and_damage_is_refused() {
    use crate::store::durable::record::{Image, Record};
    use crate::store::key::{KeyAttribute, KeySchema, KeyValue, PrimaryKey};
    use crate::store::stream::WriteOrigin;
    use crate::store::stream::durable::Stamp;
    use crate::store::stream::image::StreamImage;
    use crate::store::stream::records::StoredRecord;
    use crate::value::ScalarType;

    let item = wire::item_from_json(br#"{"p": {"S": "a"}, "n": {"N": "1"}}"#).unwrap();
    let key = PrimaryKey {
        partition: KeyValue::S("a".into()),
        sort: None,
    };
    let stamp = Stamp {
        stream_millis: 1_700_000_000_000,
        seq: u128::MAX - 3,
        at_millis: 1_700_000_000_123,
        origin: WriteOrigin::Ttl,
        event: OperationType::Remove,
        old: Some(item.clone()),
    };
    let stored = StoredRecord {
        seq: 100_000_000_000_000_000_007,
        at_millis: 5,
        event: OperationType::Modify,
        keys: item.clone(),
        new_image: Some(item.clone()),
        old_image: None,
        size_bytes: 42,
        origin: WriteOrigin::Request,
    };
    let records = [
        Record::Writes {
            token: Some(("tok".into(), "fingerprint".into(), 77)),
            images: vec![
                Image {
                    table: 3,
                    key: key.clone(),
                    item: None,
                    stamp: Some(stamp),
                },
                Image {
                    table: 4,
                    key,
                    item: Some(item),
                    stamp: None,
                },
            ],
        },
        Record::Writes {
            token: None,
            images: Vec::new(),
        },
        Record::Stream(Box::new(StreamImage {
            arn: "arn:aws:dynamodb:us-east-1:123456789012:table/tab/stream/x".into(),
            label: "x".into(),
            table_name: "tab".into(),
            schema: KeySchema {
                partition: KeyAttribute {
                    name: "p".into(),
                    scalar_type: ScalarType::S,
                },
                sort: Some(KeyAttribute {
                    name: "s".into(),
                    scalar_type: ScalarType::B,
                }),
            },
            view: StreamViewType::OldImage,
            created_millis: 9,
            shard_id: "shardId-1".into(),
            records: Vec::new(),
            start: 1,
            next: 8,
            horizon: 3,
            bytes: 0,
            closed_millis: Some(11),
            listed: true,
        })),
        Record::StreamRecords {
            arn: "arn".into(),
            records: vec![stored.clone(), stored],
        },
        Record::Tokens(vec![
            ("a".into(), "b".into(), 1),
            ("c".into(), "d".into(), -1),
        ]),
    ];
    for record in records {
        let bytes = record.encode();
        assert_eq!(Record::decode(&bytes), Ok(record.clone()));
        for cut in 0..bytes.len() {
            assert!(
                Record::decode(&bytes[..cut]).is_err(),
                "{record:?} cut at {cut}"
            );
        }
    }
}
