//! Streams at the library level: the configuration messages and their
//! order, the description members through a stream's life, the Streams
//! API's answers and errors, expiry, retention and the memory bound.

use std::time::Duration;

use serde_json::{Value, json};

use crate::api::*;
use crate::clock::Clock;
use crate::error::Error;
use crate::store::Store;
use crate::wire;

use super::names::SEQUENCE_BASE;
use super::{Log, MAX_RETAINED_BYTES, RETENTION_MILLIS};

const T0: i64 = 1_791_500_851_275; // 2026-10-08T23:07:31.275

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

fn store() -> Store {
    Store::builder().clock(Clock::manual(T0)).build().unwrap()
}

fn create(store: &Store, name: &str, spec: Option<Value>) -> Result<TableDescription, Error> {
    let mut request = json!({"TableName": name,
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"});
    if let Some(spec) = spec {
        request["StreamSpecification"] = spec;
    }
    store
        .create_table(req(request))
        .map(|o| o.table_description)
}

fn update(store: &Store, request: Value) -> Result<TableDescription, Error> {
    store
        .update_table(req(request))
        .map(|o| o.table_description)
}

fn describe(store: &Store, name: &str) -> TableDescription {
    store
        .describe_table(DescribeTableInput::new(name))
        .unwrap()
        .table
}

fn message<T>(result: Result<T, Error>) -> String {
    match result {
        Ok(_) => "accepted".into(),
        Err(e) => format!("{}: {}", e.type_name(), e.message()),
    }
}

fn put(store: &Store, name: &str, item: Value) {
    store
        .put_item(req(json!({"TableName": name, "Item": item})))
        .unwrap();
}

/// The table's latest stream ARN and its shard.
fn stream_of(store: &Store, name: &str) -> (String, String) {
    let arn = describe(store, name).latest_stream_arn.unwrap();
    let shard = store
        .describe_stream(DescribeStreamInput::new(&arn))
        .unwrap()
        .stream_description
        .shards[0]
        .shard_id
        .clone();
    (arn, shard)
}

fn iterator(store: &Store, arn: &str, shard: &str, kind: &str, seq: Option<&str>) -> String {
    let mut input = GetShardIteratorInput::new(arn, shard, ShardIteratorType::from(kind));
    input.sequence_number = seq.map(str::to_owned);
    store
        .get_shard_iterator(input)
        .unwrap()
        .shard_iterator
        .unwrap()
}

#[test]
fn create_table_stream_messages_in_order() {
    let store = store();
    let invalid = "ValidationException: One or more parameter values were invalid: ";
    let cases = [
        (
            json!({"StreamEnabled": true}),
            format!(
                "{invalid}Table is being created with a stream enabled, UpdateViewType is required"
            ),
        ),
        (
            json!({"StreamEnabled": false, "StreamViewType": "NEW_IMAGE"}),
            format!(
                "{invalid}Table is being created with a stream disabled, UpdateViewType should not be specified"
            ),
        ),
        (
            json!({"StreamViewType": "KEYS_ONLY"}),
            "ValidationException: 1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null".into(),
        ),
        (
            json!({}),
            "ValidationException: 1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null".into(),
        ),
        (
            json!({"StreamEnabled": true, "StreamViewType": "new_image"}),
            "ValidationException: 1 validation error detected: Value 'new_image' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]".into(),
        ),
    ];
    for (spec, expected) in cases {
        assert_eq!(
            message(create(&store, "tab", Some(spec.clone()))),
            expected,
            "{spec}"
        );
        // A rejected CreateTable creates nothing.
        assert!(
            store
                .describe_table(DescribeTableInput::new("tab"))
                .is_err()
        );
    }
    // The key-schema rules run before the stream rules.
    let refused = store.create_table(req(json!({"TableName": "tab",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "q", "AttributeType": "S"}],
        "StreamSpecification": {"StreamEnabled": true}})));
    assert!(!message(refused).contains("UpdateViewType"));
    // `{"StreamEnabled": false}` is no stream at all.
    let table = create(&store, "tab", Some(json!({"StreamEnabled": false}))).unwrap();
    assert_eq!(
        (
            table.stream_specification,
            table.latest_stream_arn,
            table.latest_stream_label
        ),
        (None, None, None)
    );
}

#[test]
fn update_table_stream_messages_in_order() {
    let store = store();
    create(&store, "tab", None).unwrap();
    let invalid = "ValidationException: One or more parameter values were invalid: ";
    let cases = [
        // The request's own rules come before the table's existence.
        (
            json!({"TableName": "missing", "StreamSpecification": {"StreamEnabled": true}}),
            format!("{invalid}If stream is being enabled then UpdateViewType is required"),
        ),
        (
            json!({"TableName": "missing", "StreamSpecification": {"StreamEnabled": false, "StreamViewType": "KEYS_ONLY"}}),
            format!(
                "{invalid}If stream is being disabled, then UpdateViewType must not be specified"
            ),
        ),
        (
            json!({"TableName": "missing", "StreamSpecification": {"StreamEnabled": false}}),
            "ResourceNotFoundException: Requested resource not found: Table: missing not found"
                .into(),
        ),
        (
            json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "Fisk"}}),
            "ValidationException: 1 validation error detected: Value 'Fisk' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]".into(),
        ),
        (
            json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": false}}),
            "ValidationException: Table has no stream to disable: TableName: tab".into(),
        ),
        (
            json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
                "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "gsi"}}]}),
            format!("{invalid}You cannot create or delete index while changing stream status"),
        ),
        (
            json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
                "BillingMode": "PROVISIONED",
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
            format!("{invalid}You cannot modify stream status while updating table IOPS"),
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(
            message(update(&store, request.clone())),
            expected,
            "{request}"
        );
    }
    let enabled = update(
        &store,
        json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
    )
    .unwrap();
    assert_eq!(enabled.table_status, TableStatus::Updating);
    for view in ["KEYS_ONLY", "NEW_IMAGE"] {
        let again = update(
            &store,
            json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view}}),
        );
        assert_eq!(
            message(again),
            "ValidationException: Table already has an enabled stream: TableName: tab"
        );
    }
    assert_eq!(
        describe(&store, "tab").stream_specification,
        Some(StreamSpecification::enabled(StreamViewType::KeysOnly))
    );
    // With BillingMode PAY_PER_REQUEST the stream change is accepted.
    let both = update(
        &store,
        json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": false},
            "BillingMode": "PAY_PER_REQUEST"}),
    );
    assert_eq!(message(both), "accepted");
}

#[test]
fn a_streams_life_in_the_table_description_and_the_catalog() {
    let store = store();
    let created = create(
        &store,
        "tab",
        Some(json!({"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"})),
    )
    .unwrap();
    let first = "arn:aws:dynamodb:us-east-1:123456789012:table/tab/stream/2026-10-08T23:07:31.275";
    assert_eq!(created.latest_stream_arn.as_deref(), Some(first));
    assert_eq!(
        created.latest_stream_label.as_deref(),
        Some("2026-10-08T23:07:31.275")
    );
    assert_eq!(
        serde_json::to_value(&created.stream_specification).unwrap(),
        json!({"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    );
    // Disable: the spec goes, the ARN and label stay, the stream is DISABLED.
    let disabled = update(
        &store,
        json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": false}}),
    )
    .unwrap();
    assert_eq!(disabled.stream_specification, None);
    assert_eq!(disabled.latest_stream_arn.as_deref(), Some(first));
    let old = store
        .describe_stream(DescribeStreamInput::new(first))
        .unwrap()
        .stream_description;
    assert_eq!(old.stream_status, StreamStatus::Disabled);
    let range = &old.shards[0].sequence_number_range;
    assert_eq!(range.starting_sequence_number, range.ending_sequence_number);
    // Re-enable in the same millisecond: a new stream, its label 1 ms later.
    let again = update(
        &store,
        json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
    )
    .unwrap();
    let second = again.latest_stream_arn.unwrap();
    assert!(
        second.ends_with("/stream/2026-10-08T23:07:31.276"),
        "{second}"
    );
    let listed = store
        .list_streams(req(json!({"TableName": "tab"})))
        .unwrap();
    let arns: Vec<&str> = listed
        .streams
        .iter()
        .map(|s| s.stream_arn.as_str())
        .collect();
    assert_eq!(arns, [first, second.as_str()]);
    assert_eq!(listed.last_evaluated_stream_arn, None);
    // DeleteTable: the reply still names the stream; the stream is DISABLED
    // and listed with its table's name and key schema.
    let deleted = store
        .delete_table(DeleteTableInput::new("tab"))
        .unwrap()
        .table_description;
    assert_eq!(deleted.latest_stream_arn.as_deref(), Some(second.as_str()));
    let gone = store
        .describe_stream(DescribeStreamInput::new(&second))
        .unwrap()
        .stream_description;
    assert_eq!(gone.stream_status, StreamStatus::Disabled);
    assert_eq!(
        (gone.table_name.as_str(), gone.key_schema.len()),
        ("tab", 1)
    );
    // A new incarnation: its streams join the old ones.
    store.clock().advance(Duration::from_secs(1));
    create(
        &store,
        "tab",
        Some(json!({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"})),
    )
    .unwrap();
    let listed = store
        .list_streams(req(json!({"TableName": "tab"})))
        .unwrap();
    assert_eq!(listed.streams.len(), 3);
    // Disabled streams leave 24 hours after they were disabled.
    store
        .clock()
        .advance(Duration::from_millis(RETENTION_MILLIS as u64));
    let listed = store.list_streams(ListStreamsInput::new()).unwrap();
    assert_eq!(listed.streams.len(), 1);
    let expired = store.describe_stream(DescribeStreamInput::new(first));
    assert_eq!(
        message(expired),
        format!(
            "ResourceNotFoundException: Requested resource not found: Stream: {first} not found"
        )
    );
}

#[test]
fn list_streams_pages_by_arn() {
    let store = store();
    for name in ["tc1", "tb2", "ta3"] {
        create(
            &store,
            name,
            Some(json!({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"})),
        )
        .unwrap();
    }
    create(&store, "none", None).unwrap();
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_streams(ListStreamsInput {
                limit: Some(2),
                exclusive_start_stream_arn: after.clone(),
                ..ListStreamsInput::default()
            })
            .unwrap();
        seen.extend(page.streams.iter().map(|s| s.table_name.clone()));
        match page.last_evaluated_stream_arn {
            Some(last) => {
                assert_eq!(Some(&last), page.streams.last().map(|s| &s.stream_arn));
                after = Some(last);
            }
            None => break,
        }
    }
    assert_eq!(seen, ["ta3", "tb2", "tc1"]);
    let empty = store
        .list_streams(req(json!({"TableName": "none"})))
        .unwrap();
    assert_eq!(serde_json::to_value(empty).unwrap(), json!({"Streams": []}));
    let never = store
        .list_streams(req(json!({"TableName": "never"})))
        .unwrap();
    assert!(never.streams.is_empty());
    let bad = store.list_streams(req(json!({
        "ExclusiveStartStreamArn": "kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas"})));
    assert!(message(bad).starts_with("ValidationException: "));
    for limit in [0, 101] {
        let refused = store.list_streams(req(json!({"Limit": limit})));
        assert!(message(refused).contains("at 'limit'"), "{limit}");
    }
}

#[test]
fn describe_stream_and_shard_iterator_errors() {
    let store = store();
    create(
        &store,
        "tab",
        Some(json!({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"})),
    )
    .unwrap();
    let (arn, shard) = stream_of(&store, "tab");
    let described = serde_json::to_value(
        store
            .describe_stream(DescribeStreamInput::new(&arn))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        described,
        json!({"StreamDescription": {
            "StreamArn": arn, "StreamLabel": "2026-10-08T23:07:31.275", "StreamStatus": "ENABLED",
            "StreamViewType": "KEYS_ONLY", "CreationRequestDateTime": 1_791_500_851.275,
            "TableName": "tab", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "Shards": [{"ShardId": shard, "SequenceNumberRange": {"StartingSequenceNumber": "100000000000000000001"}}]}})
    );
    for after in [
        shard.as_str(),
        "zzzzzzzzzzzzzzzzzzzzzzzzsfasdgagadfadfgagkjsdfsfsdjfjks",
    ] {
        let mut input = DescribeStreamInput::new(&arn);
        input.exclusive_start_shard_id = Some(after.into());
        let page = store.describe_stream(input).unwrap().stream_description;
        assert!(page.shards.is_empty() && page.last_evaluated_shard_id.is_none());
    }
    let mut children = DescribeStreamInput::new(&arn);
    children.shard_filter = Some(ShardFilter {
        r#type: Some(ShardFilterType::ChildShards),
        shard_id: Some(shard.clone()),
    });
    assert!(
        store
            .describe_stream(children)
            .unwrap()
            .stream_description
            .shards
            .is_empty()
    );
    let missing_table = arn.replace("table/tab/", "table/tabx/");
    let cases: Vec<(Result<GetShardIteratorOutput, Error>, String)> = vec![
        (
            store.get_shard_iterator(GetShardIteratorInput::new(
                "sdfadsfsdfsdgdfsgsfdabadfbabdadsfsdfsdfsdfsdfsdfsdfdfdssdffbdfdf",
                &shard,
                ShardIteratorType::Latest,
            )),
            "ValidationException: Invalid StreamArn: sdfadsfsdfsdgdfsgsfdabadfbabdadsfsdfsdfsdfsdfsdfsdfdfdssdffbdfdf".into(),
        ),
        (
            store.get_shard_iterator(GetShardIteratorInput::new(
                &arn,
                &shard,
                ShardIteratorType::AtSequenceNumber,
            )),
            "ValidationException: SequenceNumber is required for ShardIteratorType AT_SEQUENCE_NUMBER".into(),
        ),
        (
            store.get_shard_iterator(
                GetShardIteratorInput::new(&arn, &shard, ShardIteratorType::TrimHorizon)
                    .with_sequence_number("100000000000000000001"),
            ),
            "ValidationException: SequenceNumber must not be specified for ShardIteratorType TRIM_HORIZON".into(),
        ),
        (
            store.get_shard_iterator(
                GetShardIteratorInput::new(&arn, &shard, ShardIteratorType::AfterSequenceNumber)
                    .with_sequence_number("10000000000000000000x"),
            ),
            "ValidationException: Invalid SequenceNumber: 10000000000000000000x".into(),
        ),
        (
            store.get_shard_iterator(GetShardIteratorInput::new(
                &missing_table,
                &shard,
                ShardIteratorType::Latest,
            )),
            format!("ResourceNotFoundException: Requested resource not found: Stream: {missing_table} not found"),
        ),
        (
            store.get_shard_iterator(GetShardIteratorInput::new(
                &arn,
                "shardId-99999999999999999999-ffffffff",
                ShardIteratorType::Latest,
            )),
            "ResourceNotFoundException: Requested resource not found: Shard does not exist".into(),
        ),
    ];
    for (result, expected) in cases {
        assert_eq!(message(result), expected);
    }
    let garbage = store.describe_stream(DescribeStreamInput::new(
        "this-is-definitely-not-a-stream-arn-0123456789",
    ));
    assert!(message(garbage).contains("Invalid StreamArn"));
    let garbage = store.get_records(GetRecordsInput::new("sdfsdfsgagaddafgagasgasgasdfasdf"));
    assert_eq!(
        message(garbage),
        "ValidationException: Invalid ShardIterator: sdfsdfsgagaddafgagasgasgasdfasdf"
    );
}

#[test]
fn records_iterators_expiry_and_retention() {
    let store = store();
    create(
        &store,
        "tab",
        Some(json!({"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"})),
    )
    .unwrap();
    let (arn, shard) = stream_of(&store, "tab");
    let latest = iterator(&store, &arn, &shard, "LATEST", None);
    let idle = store.get_records(GetRecordsInput::new(&latest)).unwrap();
    assert!(idle.records.is_empty());
    let next = idle.next_shard_iterator.unwrap();
    put(
        &store,
        "tab",
        json!({"p": {"S": "k1"}, "x": {"S": "hello"}}),
    );
    put(
        &store,
        "tab",
        json!({"p": {"S": "k1"}, "x": {"S": "hello"}}),
    );
    put(&store, "tab", json!({"p": {"S": "k1"}, "y": {"S": "b"}}));
    let read = store.get_records(GetRecordsInput::new(&next)).unwrap();
    let json = serde_json::to_value(&read.records).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(
        json[0]["dynamodb"],
        json!({"ApproximateCreationDateTime": 1_791_500_851.0, "Keys": {"p": {"S": "k1"}},
            "NewImage": {"p": {"S": "k1"}, "x": {"S": "hello"}},
            "SequenceNumber": "100000000000000000001", "SizeBytes": 12,
            "StreamViewType": "NEW_AND_OLD_IMAGES"})
    );
    assert_eq!(json[0]["eventName"], "INSERT");
    assert_eq!(json[0]["eventVersion"], "1.1");
    assert_eq!(json[0]["eventSource"], "aws:dynamodb");
    assert_eq!(json[0]["awsRegion"], "us-east-1");
    assert!(json[0].get("userIdentity").is_none());
    assert_eq!(json[1]["eventName"], "MODIFY");
    assert_eq!(json[1]["dynamodb"]["SizeBytes"], 3 + 9 + 5);
    // AT re-reads, AFTER skips one; the shard's start reads everything.
    let seq1 = read.records[0].dynamodb.sequence_number.clone();
    let at = iterator(&store, &arn, &shard, "AT_SEQUENCE_NUMBER", Some(&seq1));
    assert_eq!(
        store
            .get_records(GetRecordsInput::new(&at))
            .unwrap()
            .records
            .len(),
        2
    );
    let after = iterator(&store, &arn, &shard, "AFTER_SEQUENCE_NUMBER", Some(&seq1));
    let one = store.get_records(GetRecordsInput::new(&after)).unwrap();
    assert_eq!(one.records.len(), 1);
    assert_eq!(one.records[0].event_name, OperationType::Modify);
    // Limit 1 pages one record at a time.
    let trim = iterator(&store, &arn, &shard, "TRIM_HORIZON", None);
    let first = store
        .get_records(GetRecordsInput::new(&trim).with_limit(1))
        .unwrap();
    assert_eq!(first.records.len(), 1);
    let second = store
        .get_records(GetRecordsInput::new(first.next_shard_iterator.unwrap()).with_limit(1))
        .unwrap();
    assert_eq!(second.records[0].event_name, OperationType::Modify);
    // Iterators last 15 minutes; each NextShardIterator is new.
    store.clock().advance(Duration::from_secs(899));
    let fresh = store
        .get_records(GetRecordsInput::new(&trim))
        .unwrap()
        .next_shard_iterator
        .unwrap();
    store.clock().advance(Duration::from_secs(2));
    assert_eq!(
        message(store.get_records(GetRecordsInput::new(&trim))),
        "ExpiredIteratorException: Shard iterator has expired"
    );
    assert!(store.get_records(GetRecordsInput::new(&fresh)).is_ok());
    // After 24 hours the records are trimmed.
    store.clock().advance(Duration::from_secs(86_400));
    let horizon = iterator(&store, &arn, &shard, "TRIM_HORIZON", None);
    assert!(
        store
            .get_records(GetRecordsInput::new(&horizon))
            .unwrap()
            .records
            .is_empty()
    );
    let old = store.get_shard_iterator(
        GetShardIteratorInput::new(&arn, &shard, ShardIteratorType::AtSequenceNumber)
            .with_sequence_number(seq1.as_str()),
    );
    assert_eq!(
        message(old),
        "TrimmedDataAccessException: The data you are trying to access has been trimmed"
    );
}

#[test]
fn a_closed_shard_ends_and_ttl_removals_are_marked() {
    let store = store();
    create(
        &store,
        "tab",
        Some(json!({"StreamEnabled": true, "StreamViewType": "OLD_IMAGE"})),
    )
    .unwrap();
    let (arn, shard) = stream_of(&store, "tab");
    put(&store, "tab", json!({"p": {"S": "k1"}, "ttl": {"N": "5"}}));
    // What the TTL sweep will do: delete through `replace_by_ttl`.
    let table = store.table("tab").unwrap();
    let key = table
        .schema()
        .key_of_map(&wire::item_from_json(br#"{"p": {"S": "k1"}}"#).unwrap())
        .unwrap();
    let slot = table.slot(&key);
    let old = slot.lock().unwrap().replace_by_ttl();
    assert!(old.is_some());
    drop(slot);
    update(
        &store,
        json!({"TableName": "tab", "StreamSpecification": {"StreamEnabled": false}}),
    )
    .unwrap();
    // Writes after the disable make no record.
    put(&store, "tab", json!({"p": {"S": "k2"}}));
    let trim = iterator(&store, &arn, &shard, "TRIM_HORIZON", None);
    let read = store.get_records(GetRecordsInput::new(&trim)).unwrap();
    assert_eq!(read.next_shard_iterator, None);
    let json = serde_json::to_value(&read.records).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert!(json[0].get("userIdentity").is_none());
    assert_eq!(json[1]["eventName"], "REMOVE");
    assert_eq!(
        json[1]["userIdentity"],
        json!({"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"})
    );
    assert_eq!(
        json[1]["dynamodb"]["OldImage"],
        json!({"p": {"S": "k1"}, "ttl": {"N": "5"}})
    );
    let described = store
        .describe_stream(DescribeStreamInput::new(&arn))
        .unwrap()
        .stream_description;
    assert_eq!(
        described.shards[0]
            .sequence_number_range
            .ending_sequence_number
            .as_deref(),
        Some("100000000000000000002")
    );
    // A LATEST iterator on the exhausted closed shard: nothing, no next.
    let latest = iterator(&store, &arn, &shard, "LATEST", None);
    let end = store.get_records(GetRecordsInput::new(&latest)).unwrap();
    assert!(end.records.is_empty() && end.next_shard_iterator.is_none());
}

#[test]
fn the_memory_bound_trims_the_oldest_records() {
    use super::records::StoredRecord;
    use std::collections::VecDeque;
    use std::sync::Arc;
    let big = |seq| {
        Arc::new(StoredRecord {
            seq,
            at_millis: T0,
            event: OperationType::Insert,
            keys: crate::value::Item::new(),
            new_image: None,
            old_image: None,
            size_bytes: (MAX_RETAINED_BYTES / 3) as u64,
            origin: super::WriteOrigin::Request,
        })
    };
    let start = SEQUENCE_BASE + 1;
    let mut log = Log {
        records: VecDeque::new(),
        start,
        next: start,
        horizon: start,
        bytes: 0,
        closed_millis: None,
        pending: Default::default(),
    };
    for _ in 0..5 {
        let record = big(log.next);
        log.next += 1;
        log.bytes += super::cost(&record);
        log.records.push_back(record);
        log.trim(T0);
    }
    assert!(log.bytes <= MAX_RETAINED_BYTES);
    assert_eq!(log.records.len(), 2);
    assert_eq!(log.horizon, start + 3);
    // A GetRecords page stops at 1 MB but always returns one record.
    assert_eq!(log.read(start + 3, 1000, 1024 * 1024).len(), 1);
    assert_eq!(log.read(start, 1000, u64::MAX).len(), 2);
    assert!(log.read(start + 10, 1000, u64::MAX).is_empty());
}

#[test]
fn concurrent_writers_per_item_order_and_visibility() {
    use std::thread;
    let store = store();
    create(
        &store,
        "tab",
        Some(json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"})),
    )
    .unwrap();
    let (arn, shard) = stream_of(&store, "tab");
    const KEYS: usize = 3;
    const ROUNDS: usize = 200;
    let increment = |k: usize| {
        store
            .update_item(req(json!({"TableName": "tab", "Key": {"p": {"S": format!("k{k}")}},
                "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}})))
            .unwrap();
    };
    let n_of = |image: &crate::value::Item| image["n"].as_n().and_then(|n| n.to_i64()).unwrap();
    thread::scope(|s| {
        for w in 0..2 {
            s.spawn(move || {
                for round in 0..ROUNDS {
                    increment((round + w) % KEYS);
                }
            });
        }
        // A reader follows the stream while the writers run: each record's
        // write is visible by the time the record is read.
        s.spawn(|| {
            let mut it = iterator(&store, &arn, &shard, "TRIM_HORIZON", None);
            let mut seen = 0;
            let mut last = [0i64; KEYS];
            while seen < 2 * ROUNDS {
                let page = store.get_records(GetRecordsInput::new(&it)).unwrap();
                for record in &page.records {
                    let d = &record.dynamodb;
                    let k: usize = d.keys["p"]
                        .as_s()
                        .unwrap()
                        .trim_start_matches('k')
                        .parse()
                        .unwrap();
                    let n = n_of(d.new_image.as_ref().unwrap());
                    // Per item, records come in commit order: 1, 2, 3, ...
                    assert_eq!(n, last[k] + 1, "key {k}");
                    last[k] = n;
                    let item = store
                        .get_item(req(json!({"TableName": "tab", "Key": d.keys})))
                        .unwrap()
                        .item
                        .unwrap();
                    assert!(n_of(&item) >= n);
                }
                seen += page.records.len();
                it = page.next_shard_iterator.unwrap();
            }
        });
    });
}
