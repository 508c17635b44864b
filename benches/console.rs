//! The web console's item page on a 10,000-item table: the server's time
//! for one page is the Scan with `Limit` the page sends (`POST /` through
//! [`dispatch`], as the endpoint runs it), plus the request log's entry for
//! it. Beside it in the same run, the baseline: a GetItem of one item
//! through the same path (the cheapest call a page could make).
//!
//! Ratios to read: `console_page/scan_25_*` over `console_page/get_item`
//! (a page costs that many point reads), `scan_25_deep` over
//! `scan_25_first` (paging with `ExclusiveStartKey` costs no more deep in
//! the table), and `log_entry` over `scan_25_first` (the request log's
//! share of a page).
//!
//! `cargo bench --features server --bench console -- --warm-up-time 1 --measurement-time 3`
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dynacond::Store;
use dynacond::protocol::dispatch;
use dynacond::server::{Handler, ServedCall};
use serde_json::json;

const ITEMS: usize = 10_000;

fn target(op: &str) -> String {
    format!("DynamoDB_20120810.{op}")
}

fn store() -> Store {
    let store = Store::new();
    let created = dispatch(
        &store,
        Some(&target("CreateTable")),
        json!({"TableName": "orders",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"}],
            "BillingMode": "PAY_PER_REQUEST"})
        .to_string()
        .as_bytes(),
    );
    assert_eq!(created.status, 200);
    for i in 0..ITEMS {
        let put = json!({"TableName": "orders", "Item": {
            "pk": {"S": format!("customer#{}", i / 20)}, "sk": {"N": (i % 20).to_string()},
            "status": {"S": if i % 2 == 0 { "open" } else { "shipped" }},
            "total": {"N": format!("{}.50", i * 3)},
            "note": {"S": "a short note of some forty characters...."},
            "tags": {"SS": ["a", "b"]}}});
        let r = dispatch(&store, Some(&target("PutItem")), put.to_string().as_bytes());
        assert_eq!(r.status, 200);
    }
    store
}

fn bench(c: &mut Criterion) {
    let store = store();
    let scan = target("Scan");
    let first = json!({"TableName": "orders", "Limit": 25}).to_string();
    let first_100 = json!({"TableName": "orders", "Limit": 100}).to_string();
    // The start key of a page in the middle of the table, as the console
    // keeps it from the previous page's LastEvaluatedKey.
    let middle: serde_json::Value = serde_json::from_slice(
        &dispatch(
            &store,
            Some(&scan),
            json!({"TableName": "orders", "Limit": ITEMS / 2})
                .to_string()
                .as_bytes(),
        )
        .body,
    )
    .unwrap();
    let deep = json!({"TableName": "orders", "Limit": 25,
        "ExclusiveStartKey": middle["LastEvaluatedKey"]})
    .to_string();
    let get = json!({"TableName": "orders",
        "Key": {"pk": {"S": "customer#250"}, "sk": {"N": "7"}}})
    .to_string();
    let get_target = target("GetItem");
    let mut group = c.benchmark_group("console_page");
    group.bench_function("get_item", |b| {
        b.iter(|| {
            black_box(dispatch(
                &store,
                Some(&get_target),
                black_box(get.as_bytes()),
            ))
        })
    });
    for (name, body) in [
        ("scan_25_first", &first),
        ("scan_25_deep", &deep),
        ("scan_100_first", &first_100),
    ] {
        let reply = dispatch(&store, Some(&scan), body.as_bytes());
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        group.bench_function(name, |b| {
            b.iter(|| black_box(dispatch(&store, Some(&scan), black_box(body.as_bytes()))))
        });
    }
    let reply = dispatch(&store, Some(&scan), first.as_bytes());
    group.bench_function("log_entry", |b| {
        b.iter(|| {
            store.record(black_box(&ServedCall {
                target: Some(&scan),
                body: first.as_bytes(),
                reply: &reply,
                latency: Duration::from_micros(40),
            }))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
