//! DynamoDB Streams: what a stream costs a write, and how fast GetRecords
//! reads.
//!
//! * `stream_put/no_stream` and `stream_put/new_and_old_images`: the same
//!   PutItem requests (each replacing an item with a different one, so each
//!   makes a MODIFY record) on a table without a stream and on one with a
//!   `NEW_AND_OLD_IMAGES` stream, in the same run. The ratio is the cost of
//!   building and appending a record with both images. (Both stores run on a
//!   manual clock moved 25 hours every 50,000 puts, so the stream's 24-hour
//!   retention keeps its memory steady.)
//! * `get_records/100k`: reading a shard of 100,000 records (NEW_IMAGE)
//!   from TRIM_HORIZON, 1,000 per GetRecords; throughput in records/s.
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dynacond::api::{GetRecordsInput, GetShardIteratorInput, PutItemInput, ShardIteratorType};
use dynacond::{Clock, Store, wire};
use serde_json::json;

fn table(view: Option<&str>) -> Store {
    let store = Store::builder()
        .clock(Clock::manual(1_700_000_000_000))
        .build()
        .unwrap();
    let mut create = json!({"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]});
    if let Some(view) = view {
        create["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": view});
    }
    store
        .create_table(wire::from_value(create).unwrap())
        .unwrap();
    store
}

fn put(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream_put");
    // 64 requests over 16 keys: consecutive puts of a key always differ.
    let requests: Vec<PutItemInput> = (0..64)
        .map(|i| {
            wire::from_value(json!({"TableName": "bench", "Item": {
                "p": {"S": format!("k{}", i % 16)}, "n": {"N": i.to_string()},
                "s": {"S": "some text of a typical item"}, "b": {"BOOL": true}}}))
            .unwrap()
        })
        .collect();
    for (name, view) in [
        ("no_stream", None),
        ("new_and_old_images", Some("NEW_AND_OLD_IMAGES")),
    ] {
        let store = table(view);
        let mut next = 0usize;
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    next += 1;
                    if next % 50_000 == 0 {
                        store.clock().advance(Duration::from_secs(25 * 3600));
                    }
                    requests[next % requests.len()].clone()
                },
                |r| black_box(store.put_item(r).unwrap()),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn get_records(c: &mut Criterion) {
    const RECORDS: usize = 100_000;
    let store = table(Some("NEW_IMAGE"));
    for i in 0..RECORDS {
        store
            .put_item(
                wire::from_value(json!({"TableName": "bench", "Item": {
                    "p": {"S": format!("k{i}")}, "n": {"N": "1"}, "s": {"S": "some text"}}}))
                .unwrap(),
            )
            .unwrap();
    }
    let described = store
        .describe_table(wire::from_value(json!({"TableName": "bench"})).unwrap())
        .unwrap()
        .table;
    let arn = described.latest_stream_arn.unwrap();
    let stream = store
        .describe_stream(dynacond::api::DescribeStreamInput::new(&arn))
        .unwrap()
        .stream_description;
    let shard = stream.shards[0].shard_id.clone();
    let read_all = || {
        let mut iterator = store
            .get_shard_iterator(GetShardIteratorInput::new(
                &arn,
                &shard,
                ShardIteratorType::TrimHorizon,
            ))
            .unwrap()
            .shard_iterator
            .unwrap();
        let mut read = 0;
        loop {
            let page = store
                .get_records(GetRecordsInput::new(iterator).with_limit(1000))
                .unwrap();
            if page.records.is_empty() {
                return read;
            }
            read += page.records.len();
            black_box(&page.records);
            iterator = page.next_shard_iterator.unwrap();
        }
    };
    assert_eq!(read_all(), RECORDS);
    let mut group = c.benchmark_group("get_records");
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.sample_size(10);
    group.bench_function("100k", |b| b.iter(|| black_box(read_all())));
    group.finish();
}

criterion_group!(benches, put, get_records);
criterion_main!(benches);
