//! Conditional PutItem throughput on a data directory (default mode and
//! `sync_writes`) beside the in-memory store, in the same run, at 1 and 8
//! concurrent writers. Each iteration is one PutItem with
//! `attribute_not_exists(p)` of a new key (so the condition holds and every
//! request writes); with 8 writers the iterations are split among 8
//! threads and the wall time of the whole is measured, so the figure is
//! time per write of the group (lower is more throughput).
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dynacond::api::PutItemInput;
use dynacond::{Store, wire};

fn table(store: &Store) {
    store
        .create_table(
            wire::from_str(
                r#"{"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
}

fn put(store: &Store, n: u64) {
    let input: PutItemInput = wire::from_str(&format!(
        r#"{{"TableName": "bench", "Item": {{"p": {{"S": "key-{n}"}},
            "name": {{"S": "a user name"}}, "count": {{"N": "{n}"}},
            "tags": {{"SS": ["a", "b"]}}}}, "ConditionExpression": "attribute_not_exists(p)"}}"#
    ))
    .unwrap();
    store.put_item(input).unwrap();
}

/// `iters` puts spread over `writers` threads; the wall time.
fn run(store: &Store, next: &AtomicU64, writers: u64, iters: u64) -> Duration {
    let start = Instant::now();
    std::thread::scope(|s| {
        for w in 0..writers {
            let share = iters / writers + u64::from(w < iters % writers);
            s.spawn(move || {
                for _ in 0..share {
                    put(store, next.fetch_add(1, Ordering::Relaxed));
                }
            });
        }
    });
    start.elapsed()
}

fn bench(c: &mut Criterion) {
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let stores = [
        ("memory", Store::new()),
        (
            "data_dir",
            Store::builder().data_dir(dirs[0].path()).build().unwrap(),
        ),
        (
            "data_dir_sync",
            Store::builder()
                .data_dir(dirs[1].path())
                .sync_writes(true)
                .build()
                .unwrap(),
        ),
    ];
    for (_, store) in &stores {
        table(store);
    }
    let next = AtomicU64::new(0);
    for writers in [1, 8] {
        let mut group = c.benchmark_group(format!("conditional_put_{writers}_writers"));
        for (name, store) in &stores {
            group.bench_function(*name, |b| {
                b.iter_custom(|iters| run(store, &next, writers, iters));
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
