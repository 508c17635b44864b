//! The store: single-item operations and a two-action transaction, beside a
//! `Mutex<BTreeMap>` holding the same items (the cheapest thread-safe map a
//! user could write) in the same run. Request structs are built outside the
//! timed part (cloned per iteration in both columns).
//!
//! Ratio to read: `store/<op>/dynacond` over `store/<op>/mutex_btreemap`.
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Mutex;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dynacond::api::{GetItemInput, PutItemInput, TransactWriteItemsInput, UpdateItemInput};
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
            || put.item.clone(),
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

criterion_group!(benches, single);
criterion_main!(benches);
