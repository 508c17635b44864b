//! The store: single-item operations and a two-action transaction, beside a
//! `Mutex<BTreeMap>` holding the same items (the cheapest thread-safe map a
//! user could write) in the same run. Request structs are built outside the
//! timed part (cloned per iteration in both columns).
//!
//! Ratio to read: `store/<op>/dynacond` over `store/<op>/mutex_btreemap`, and
//! `transact/<n>/dynacond` over `transact/<n>/hashmap` (the same `n` items
//! inserted into a plain `HashMap`).
//!
//! `scaling/*` runs 2 x 2000 conditional increments: on one thread, then on
//! two threads at once, on disjoint keys and on one hot key. The scaling ratio
//! is `scaling/one_thread` over `scaling/two_threads_*` (2 would be perfect on
//! two free cores; 1 means no gain).
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dynacond::api::{
    DeleteItemInput, GetItemInput, PutItemInput, TransactWriteItemsInput, UpdateItemInput,
};
use dynacond::{Item, Store, wire};
use serde_json::json;

fn store() -> Store {
    let store = Store::new();
    store
        .create_table(
            wire::from_value(json!({"TableName": "bench",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}))
            .unwrap(),
        )
        .unwrap();
    for i in 0..1000 {
        store
            .put_item(
                wire::from_value(json!({"TableName": "bench",
                    "Item": {"p": {"S": format!("k{i}")}, "n": {"N": "100"}, "s": {"S": "some text"}}}))
                .unwrap(),
            )
            .unwrap();
    }
    store
}

fn baseline() -> Mutex<BTreeMap<String, Item>> {
    let mut map = BTreeMap::new();
    for i in 0..1000 {
        let item: Item = wire::from_value(
            json!({"p": {"S": format!("k{i}")}, "n": {"N": "100"}, "s": {"S": "some text"}}),
        )
        .unwrap();
        map.insert(format!("k{i}"), item);
    }
    Mutex::new(map)
}

fn single(c: &mut Criterion) {
    let store = store();
    let map = baseline();
    let mut group = c.benchmark_group("store");

    let put: PutItemInput = wire::from_value(json!({"TableName": "bench",
        "Item": {"p": {"S": "k500"}, "n": {"N": "100"}, "s": {"S": "some text"}},
        "ConditionExpression": "attribute_exists(p)"}))
    .unwrap();
    group.bench_function("put_conditional/dynacond", |b| {
        b.iter_batched(
            || put.clone(),
            |r| black_box(store.put_item(r).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("put_conditional/mutex_btreemap", |b| {
        b.iter_batched(
            || put.item.clone().unwrap_or_default(),
            |item| {
                let mut m = map.lock().unwrap();
                if m.contains_key("k500") {
                    black_box(m.insert("k500".to_owned(), item));
                }
            },
            BatchSize::SmallInput,
        )
    });

    let get: GetItemInput =
        wire::from_value(json!({"TableName": "bench", "Key": {"p": {"S": "k500"}}})).unwrap();
    group.bench_function("get/dynacond", |b| {
        b.iter_batched(
            || get.clone(),
            |r| black_box(store.get_item(r).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("get/mutex_btreemap", |b| {
        b.iter(|| black_box(map.lock().unwrap().get("k500").cloned()))
    });

    let update: UpdateItemInput = wire::from_value(json!({"TableName": "bench",
        "Key": {"p": {"S": "k500"}}, "UpdateExpression": "SET n = n + :one",
        "ConditionExpression": "attribute_exists(p)",
        "ExpressionAttributeValues": {":one": {"N": "1"}}}))
    .unwrap();
    group.bench_function("update_increment/dynacond", |b| {
        b.iter_batched(
            || update.clone(),
            |r| black_box(store.update_item(r).unwrap()),
            BatchSize::SmallInput,
        )
    });

    let transfer: TransactWriteItemsInput = wire::from_value(json!({"TransactItems": [
        {"Update": {"TableName": "bench", "Key": {"p": {"S": "k1"}}, "UpdateExpression": "SET n = n - :x",
            "ConditionExpression": "n >= :x", "ExpressionAttributeValues": {":x": {"N": "0"}}}},
        {"Update": {"TableName": "bench", "Key": {"p": {"S": "k2"}}, "UpdateExpression": "SET n = n + :x",
            "ExpressionAttributeValues": {":x": {"N": "0"}}}}]}))
    .unwrap();
    group.bench_function("transfer/dynacond", |b| {
        b.iter_batched(
            || transfer.clone(),
            |r| black_box(store.transact_write_items(r).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn delete(c: &mut Criterion) {
    let store = store();
    let counter = AtomicUsize::new(0);
    let mut group = c.benchmark_group("store");
    group.bench_function("delete_conditional/dynacond", |b| {
        b.iter_batched(
            || {
                let key = format!("d{}", counter.fetch_add(1, Ordering::Relaxed));
                store
                    .put_item(
                        wire::from_value(json!({"TableName": "bench",
                            "Item": {"p": {"S": key}, "n": {"N": "1"}}}))
                        .unwrap(),
                    )
                    .unwrap();
                wire::from_value::<DeleteItemInput>(json!({"TableName": "bench",
                    "Key": {"p": {"S": key}}, "ConditionExpression": "attribute_exists(p)"}))
                .unwrap()
            },
            |r| black_box(store.delete_item(r).unwrap()),
            BatchSize::SmallInput,
        )
    });
    let map: Mutex<HashMap<String, Item>> = Mutex::new(HashMap::new());
    group.bench_function("delete_conditional/hashmap", |b| {
        b.iter_batched(
            || {
                let key = format!("d{}", counter.fetch_add(1, Ordering::Relaxed));
                let item: Item =
                    wire::from_value(json!({"p": {"S": key}, "n": {"N": "1"}})).unwrap();
                map.lock().unwrap().insert(key.clone(), item);
                key
            },
            |key| black_box(map.lock().unwrap().remove(&key)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn transact(c: &mut Criterion) {
    let store = store();
    let mut group = c.benchmark_group("transact");
    for n in [2usize, 10, 100] {
        let items: Vec<Item> = (0..n)
            .map(|i| {
                wire::from_value(
                    json!({"p": {"S": format!("t{i}")}, "n": {"N": "1"}, "s": {"S": "some text"}}),
                )
                .unwrap()
            })
            .collect();
        let request: TransactWriteItemsInput = wire::from_value(json!({"TransactItems": items
            .iter()
            .map(|item| json!({"Put": {"TableName": "bench", "Item": item}}))
            .collect::<Vec<_>>()}))
        .unwrap();
        group.bench_function(format!("{n}/dynacond"), |b| {
            b.iter_batched(
                || request.clone(),
                |r| black_box(store.transact_write_items(r).unwrap()),
                BatchSize::SmallInput,
            )
        });
        let map: Mutex<HashMap<String, Item>> = Mutex::new(HashMap::new());
        group.bench_function(format!("{n}/hashmap"), |b| {
            b.iter_batched(
                || items.clone(),
                |items| {
                    let mut m = map.lock().unwrap();
                    for item in items {
                        let key = item["p"].as_s().unwrap_or_default().to_owned();
                        black_box(m.insert(key, item));
                    }
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// `ops` conditional increments of `key` on the store.
fn increments(store: &Store, key: &str, ops: usize) {
    for _ in 0..ops {
        let r: UpdateItemInput = wire::from_value(json!({"TableName": "bench",
            "Key": {"p": {"S": key}}, "UpdateExpression": "SET n = n + :one",
            "ConditionExpression": "attribute_exists(p)",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}))
        .unwrap();
        black_box(store.update_item(r).unwrap());
    }
}

fn scaling(c: &mut Criterion) {
    const OPS: usize = 2000;
    let store = store();
    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    group.bench_function("one_thread", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                increments(&store, "k1", OPS);
                increments(&store, "k2", OPS);
            }
            start.elapsed()
        })
    });
    for (name, keys) in [
        ("two_threads_disjoint", ["k1", "k2"]),
        ("two_threads_hot_key", ["k1", "k1"]),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    std::thread::scope(|s| {
                        for key in keys {
                            let store = store.clone();
                            s.spawn(move || increments(&store, key, OPS));
                        }
                    });
                    total += start.elapsed();
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, single, delete, transact, scaling);
criterion_main!(benches);
