//! Snapshot and restore of a 100,000-item store (one table with a global
//! secondary index), beside a baseline in the same run: cloning a
//! `BTreeMap<String, Item>` of the same items, the least a copy of the
//! data can cost. Quote the ratios, not the times.
//!
//! `cargo bench --bench snapshot -- --warm-up-time 1 --measurement-time 3`

#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![expect(
    clippy::unwrap_used,
    reason = "a bench's setup may unwrap: a panic is a failed run"
)]

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dynacond::{Item, Store};
use serde_json::json;

const ITEMS: usize = 100_000;

fn item(i: usize) -> serde_json::Value {
    json!({"p": {"S": format!("user#{i:06}")}, "g": {"S": format!("group#{}", i % 100)},
        "name": {"S": "a name of some length"}, "n": {"N": i.to_string()},
        "tags": {"SS": ["x", "y"]}, "m": {"M": {"a": {"BOOL": true}, "b": {"N": "1.5"}}}})
}

fn store() -> Store {
    let store = Store::new();
    store
        .create_table(
            serde_json::from_value(json!({"TableName": "users",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "g", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
                "GlobalSecondaryIndexes": [{"IndexName": "byg",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"}}]}))
            .unwrap(),
        )
        .unwrap();
    for i in 0..ITEMS {
        store
            .put_item(
                serde_json::from_value(json!({"TableName": "users", "Item": item(i)})).unwrap(),
            )
            .unwrap();
    }
    store
}

fn snapshot(c: &mut Criterion) {
    let store = store();
    let baseline: BTreeMap<String, Item> = store
        .table("users")
        .unwrap()
        .items()
        .into_iter()
        .map(|item| (format!("{:?}", item.get("p")), item))
        .collect();
    let taken = store.snapshot();
    assert_eq!(taken.item_count(), ITEMS);
    let mut group = c.benchmark_group("snapshot_100k");
    group.sample_size(10);
    group.bench_function("baseline_btreemap_clone", |b| {
        b.iter(|| black_box(baseline.clone()))
    });
    group.bench_function("snapshot", |b| b.iter(|| black_box(store.snapshot())));
    group.bench_function("restore", |b| {
        b.iter(|| store.restore(black_box(&taken)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, snapshot);
criterion_main!(benches);
