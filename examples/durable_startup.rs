//! Start-up time, disk bytes per item and the checkpoint's pause of a data
//! directory.
//!
//! `cargo run --release --example durable_startup -- [ITEMS] [DIR]`
//! (default 1,000,000 items): fills a data directory with ITEMS items of
//! about 100 bytes (8 writer threads), then measures, for a directory
//! holding only the log and for one holding a snapshot (after
//! `Store::checkpoint`): the bytes on disk per item, and the time from
//! `build()` to the first answered GetItem. Then it checkpoints again while
//! two writers keep writing (new keys and updates), and compares their
//! write latencies with those of the same writers, for as long, without a
//! checkpoint: the pause a checkpoint puts on writers.
//!
//! With DIR, the data directory is DIR instead of a scratch one, and kept:
//! an empty DIR is left holding the snapshot (the pause is not measured),
//! and of a DIR already holding data only the start-up is measured (for
//! profiling the start-up on its own).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a measuring program: a failure should stop it"
)]

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dynacond::api::{GetItemInput, PutItemInput};
use dynacond::{Store, wire};

fn open(dir: &Path) -> Store {
    Store::builder()
        .data_dir(dir)
        .checkpoint_bytes(0)
        .build()
        .unwrap()
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

fn put(store: &Store, n: u64, visits: u64) {
    let input: PutItemInput = wire::from_str(&format!(
        r#"{{"TableName": "users", "Item": {{"p": {{"S": "user-{n}"}},
        "name": {{"S": "A. User {n}"}}, "email": {{"S": "user{n}@example.com"}},
        "visits": {{"N": "{visits}"}}, "active": {{"BOOL": true}}}}}}"#
    ))
    .unwrap();
    store.put_item(input).unwrap();
}

/// Seconds from `build()` to the first answered GetItem, and the item count.
fn first_answer(dir: &Path, probe: u64) -> (f64, u64) {
    let start = Instant::now();
    let store = open(dir);
    let got = store
        .get_item(
            wire::from_str::<GetItemInput>(&format!(
                r#"{{"TableName": "users", "Key": {{"p": {{"S": "user-{probe}"}}}}}}"#
            ))
            .unwrap(),
        )
        .unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    assert!(got.item.is_some());
    (elapsed, store.table("users").unwrap().item_count())
}

fn fill(dir: &Path, items: u64) {
    let store = open(dir);
    store
        .create_table(
            wire::from_str(
                r#"{"TableName": "users", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
    let start = Instant::now();
    std::thread::scope(|s| {
        for w in 0..8 {
            let store = &store;
            s.spawn(move || {
                for n in (w..items).step_by(8) {
                    put(store, n, n);
                }
            });
        }
    });
    println!(
        "filled {items} items in {:.2} s",
        start.elapsed().as_secs_f64()
    );
}

/// Write latencies of two writers (each alternating a new key, from
/// `next`, and an update of an existing one) while `during` runs; the
/// latencies, sorted, and what `during` returned.
fn latencies<T>(
    store: &Store,
    items: u64,
    next: &AtomicU64,
    during: impl FnOnce() -> T,
) -> (Vec<Duration>, T) {
    let stop = AtomicBool::new(false);
    let mut all = Vec::new();
    let result = std::thread::scope(|s| {
        let writers: Vec<_> = (0..2)
            .map(|w| {
                let (stop, store) = (&stop, store);
                s.spawn(move || {
                    let mut seen = Vec::new();
                    let mut i = w;
                    while !stop.load(Ordering::Relaxed) {
                        let n = if i % 2 == 0 {
                            next.fetch_add(1, Ordering::Relaxed)
                        } else {
                            (i * 7919) % items
                        };
                        let start = Instant::now();
                        put(store, n, i);
                        seen.push(start.elapsed());
                        i += 2;
                    }
                    seen
                })
            })
            .collect();
        let result = during();
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            all.extend(w.join().unwrap());
        }
        result
    });
    all.sort();
    (all, result)
}

fn describe(latencies: &[Duration]) -> String {
    let at = |q: f64| {
        let i = ((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1));
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    format!(
        "{} writes, p50 {:.3} ms, p99 {:.3} ms, p99.9 {:.3} ms, max {:.3} ms",
        latencies.len(),
        at(0.5),
        at(0.99),
        at(0.999),
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let items: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let scratch = tempfile::tempdir().unwrap();
    let kept = args.next();
    let dir = kept
        .clone()
        .map_or_else(|| scratch.path().to_owned(), Into::into);
    std::fs::create_dir_all(&dir).unwrap();
    if std::fs::read_dir(&dir).unwrap().next().is_some() {
        let bytes = dir_bytes(&dir);
        let (secs, count) = first_answer(&dir, items / 2);
        println!(
            "{count} items, {:.1} bytes per item on disk; first answer after {secs:.3} s",
            bytes as f64 / count as f64,
        );
        return;
    }
    fill(&dir, items);
    let log = dir_bytes(&dir);
    let (secs, count) = first_answer(&dir, items / 2);
    assert_eq!(count, items);
    println!(
        "log only:      {:.1} bytes per item on disk; first answer after {secs:.3} s",
        log as f64 / items as f64,
    );
    {
        let store = open(&dir);
        let start = Instant::now();
        store.checkpoint().unwrap();
        println!(
            "checkpoint of {items} items: {:.2} s",
            start.elapsed().as_secs_f64()
        );
    }
    let snap = dir_bytes(&dir);
    let (secs, count) = first_answer(&dir, items / 2);
    assert_eq!(count, items);
    println!(
        "snapshot:      {:.1} bytes per item on disk; first answer after {secs:.3} s",
        snap as f64 / items as f64,
    );
    if kept.is_some() {
        return;
    }
    // The pause: writers during a checkpoint, then as long without one.
    let store = open(&dir);
    let next = AtomicU64::new(items);
    let (during, took) = latencies(&store, items, &next, || {
        let start = Instant::now();
        store.checkpoint().unwrap();
        start.elapsed()
    });
    let (without, ()) = latencies(&store, items, &next, || std::thread::sleep(took));
    println!(
        "checkpoint with 2 writers going: {:.2} s",
        took.as_secs_f64()
    );
    println!("  writes during it:      {}", describe(&during));
    println!("  writes as long, alone: {}", describe(&without));
}
