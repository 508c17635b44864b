//! Start-up time and disk bytes per item of a data directory.
//!
//! `cargo run --release --example durable_startup -- [ITEMS]` (default
//! 1,000,000): fills a scratch data directory with ITEMS items of about 100
//! bytes (8 writer threads), then measures, for a directory holding only
//! the log and for one holding a snapshot (after `Store::checkpoint`):
//! the bytes on disk per item, and the time from `build()` to the first
//! answered GetItem.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a measuring program: a failure should stop it"
)]

use std::time::Instant;

use dynacond::api::{GetItemInput, PutItemInput};
use dynacond::{Store, wire};

fn open(dir: &std::path::Path) -> Store {
    Store::builder()
        .data_dir(dir)
        .checkpoint_bytes(0)
        .build()
        .unwrap()
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

fn first_answer(dir: &std::path::Path, items: u64) -> f64 {
    let start = Instant::now();
    let store = open(dir);
    let got = store
        .get_item(
            wire::from_str::<GetItemInput>(&format!(
                r#"{{"TableName": "users", "Key": {{"p": {{"S": "user-{}"}}}}}}"#,
                items / 2
            ))
            .unwrap(),
        )
        .unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    assert!(got.item.is_some());
    assert_eq!(store.table("users").unwrap().item_count(), items);
    elapsed
}

fn main() {
    let items: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
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
                        let input: PutItemInput = wire::from_str(&format!(
                            r#"{{"TableName": "users", "Item": {{"p": {{"S": "user-{n}"}},
                            "name": {{"S": "A. User {n}"}}, "email": {{"S": "user{n}@example.com"}},
                            "visits": {{"N": "{n}"}}, "active": {{"BOOL": true}}}}}}"#
                        ))
                        .unwrap();
                        store.put_item(input).unwrap();
                    }
                });
            }
        });
        println!(
            "filled {items} items in {:.2} s",
            start.elapsed().as_secs_f64()
        );
    }
    let log = dir_bytes(dir.path());
    println!(
        "log only:      {:.1} bytes per item on disk; first answer after {:.3} s",
        log as f64 / items as f64,
        first_answer(dir.path(), items)
    );
    {
        let store = open(dir.path());
        let start = Instant::now();
        store.checkpoint().unwrap();
        println!(
            "checkpoint of {items} items: {:.2} s",
            start.elapsed().as_secs_f64()
        );
    }
    let snap = dir_bytes(dir.path());
    println!(
        "snapshot:      {:.1} bytes per item on disk; first answer after {:.3} s",
        snap as f64 / items as f64,
        first_answer(dir.path(), items)
    );
}
