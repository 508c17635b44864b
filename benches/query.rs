//! Query and Scan beside a plain sorted `BTreeMap` doing the same reads in
//! the same run (no locks, no expressions: the floor a range read can reach).
//!
//! * `query_100_of_100k`: a Query for 100 consecutive sort keys
//!   (`c BETWEEN :a AND :b`) in a partition of 100,000 items, against
//!   `BTreeMap::range` over `(partition, sort)` keys cloning the 100 items.
//! * `scan_filter_100k`: a Scan with `FilterExpression: v = :v` (a tenth of
//!   the items match) over 100,000 items in 1,000 partitions, all pages,
//!   against iterating the map and cloning the matches.
//!
//! Ratio to read: `<group>/dynacond` over `<group>/btreemap`.
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dynacond::api::{PutItemInput, QueryInput, ScanInput};
use dynacond::{AttributeValue, Item, Store, wire};
use serde_json::json;

const TABLE: &str = "bench";
const N: i64 = 100_000;

fn table() -> Store {
    let store = Store::new();
    store
        .create_table(
            wire::from_value(json!({"TableName": TABLE,
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"}]}))
            .unwrap(),
        )
        .unwrap();
    store
}

fn item(p: &str, c: i64) -> Item {
    let mut item = Item::new();
    item.insert("p".into(), AttributeValue::s(p));
    item.insert("c".into(), AttributeValue::n(c));
    item.insert("v".into(), AttributeValue::n(c % 10));
    item.insert("s".into(), AttributeValue::s("some text"));
    item
}

fn bench_query(c: &mut Criterion) {
    let store = table();
    let mut baseline: BTreeMap<(String, i64), Item> = BTreeMap::new();
    for p in ["before", "big", "next"] {
        let count = if p == "big" { N } else { 1000 };
        for c in 0..count {
            let it = item(p, c);
            store
                .put_item(PutItemInput::new(TABLE, it.clone()))
                .unwrap();
            baseline.insert((p.to_owned(), c), it);
        }
    }
    let input = QueryInput::new(TABLE, "p = :p AND c BETWEEN :a AND :b")
        .with_value(":p", AttributeValue::s("big"))
        .with_value(":a", AttributeValue::n(50_000))
        .with_value(":b", AttributeValue::n(50_099));
    assert_eq!(store.query(input.clone()).unwrap().count, 100);
    let mut group = c.benchmark_group("query_100_of_100k");
    group.bench_function("dynacond", |b| {
        b.iter(|| black_box(store.query(input.clone()).unwrap()))
    });
    group.bench_function("btreemap", |b| {
        b.iter(|| {
            let lo = ("big".to_owned(), 50_000);
            let hi = ("big".to_owned(), 50_099);
            let items: Vec<Item> = baseline.range(lo..=hi).map(|(_, v)| v.clone()).collect();
            black_box(items)
        })
    });
    group.finish();
}

fn bench_scan(c: &mut Criterion) {
    let store = table();
    let mut baseline: BTreeMap<(String, i64), Item> = BTreeMap::new();
    for i in 0..N {
        let p = format!("p{:04}", i % 1000);
        let it = item(&p, i / 1000);
        store
            .put_item(PutItemInput::new(TABLE, it.clone()))
            .unwrap();
        baseline.insert((p, i / 1000), it);
    }
    let input = ScanInput::new(TABLE)
        .with_filter("v = :v")
        .with_value(":v", AttributeValue::n(3));
    let scan_all = || {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let out = store
                .scan(input.clone().with_exclusive_start_key(start.take()))
                .unwrap();
            items.extend(out.items.unwrap());
            match out.last_evaluated_key {
                Some(k) => start = Some(k),
                None => return items,
            }
        }
    };
    assert_eq!(scan_all().len() as i64, N / 10);
    let want = AttributeValue::n(3);
    let mut group = c.benchmark_group("scan_filter_100k");
    group.sample_size(10);
    group.bench_function("dynacond", |b| b.iter(|| black_box(scan_all())));
    group.bench_function("btreemap", |b| {
        b.iter(|| {
            let items: Vec<Item> = baseline
                .values()
                .filter(|i| i.get("v") == Some(&want))
                .cloned()
                .collect();
            black_box(items)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_query, bench_scan);
criterion_main!(benches);
