//! Loading a table in bulk (`Table::load`, recovery from a snapshot) gives
//! the table the same items, counters, index entries and item-collection
//! sizes as writing the same items through the write path; a snapshot
//! written while writers go on recovers the store.

use std::path::Path;

use crate::store::key::{KeyValue, PrimaryKey};
use crate::store::table::Table;
use crate::value::Item;
use crate::{Clock, Store, wire};

/// A table with a sort key, a GSI (ALL), a KEYS_ONLY GSI, an LSI (INCLUDE)
/// and so item collections.
fn create(store: &Store) {
    store
        .create_table(
            wire::from_str(
                r#"{"TableName": "tab", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                              {"AttributeName": "s", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "s", "AttributeType": "N"},
                                         {"AttributeName": "g", "AttributeType": "N"},
                                         {"AttributeName": "l", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [
                    {"IndexName": "byg", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                     "Projection": {"ProjectionType": "ALL"}},
                    {"IndexName": "byl", "KeySchema": [{"AttributeName": "l", "KeyType": "HASH"},
                                                       {"AttributeName": "g", "KeyType": "RANGE"}],
                     "Projection": {"ProjectionType": "KEYS_ONLY"}}],
                "LocalSecondaryIndexes": [
                    {"IndexName": "local", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                                                         {"AttributeName": "l", "KeyType": "RANGE"}],
                     "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
}

/// Item `i` in version `v`: some have a `g`, an `l`, an `x`, or none.
fn item(i: u32, v: u32) -> Item {
    let mut json = format!(r#"{{"p": {{"S": "p{}"}}, "s": {{"N": "{i}"}}"#, i % 5);
    if (i + v) % 3 != 0 {
        json += &format!(r#", "g": {{"N": "{}"}}"#, (i * 7 + v) % 11);
    }
    if (i + v) % 2 == 0 {
        json += &format!(r#", "l": {{"S": "l{}"}}"#, i % 4);
    }
    if i % 4 != v % 4 {
        json += &format!(
            r#", "x": {{"S": "{}"}}, "y": {{"N": "{v}"}}"#,
            "x".repeat(i as usize)
        );
    }
    json += "}";
    wire::item_from_json(json.as_bytes()).unwrap()
}

fn memory() -> Store {
    Store::builder().clock(Clock::manual(0)).build().unwrap()
}

fn key_of(table: &Table, item: &Item) -> PrimaryKey {
    table.schema.key_of_item(item).unwrap()
}

/// Everything the bulk load must get right, as text.
fn derived(table: &Table) -> String {
    let mut out = format!(
        "{} items, {} bytes\n",
        table.item_count(),
        table.stats.size_bytes()
    );
    for index in table.indexes() {
        out += &format!(
            "{}: {} entries, {} bytes, {:?}\n",
            index.name,
            index.item_count(),
            index.size_bytes(),
            index.all_entries()
        );
    }
    for p in 0..5 {
        let partition = KeyValue::S(format!("p{p}"));
        out += &format!("p{p}: {}\n", table.collections.size(&partition));
    }
    for item in table.items() {
        out += &wire::item_to_json(&item);
    }
    out
}

/// The items written through the write path: every key twice (an older
/// version first), some deleted again.
fn written() -> Store {
    let store = memory();
    create(&store);
    let table = store.table("tab").unwrap();
    for (i, v) in (0..60).map(|i| (i, 0)).chain((0..60).rev().map(|i| (i, 1))) {
        let put = format!(
            r#"{{"TableName": "tab", "Item": {}}}"#,
            wire::item_to_json(&item(i, v))
        );
        store.put_item(wire::from_str(&put).unwrap()).unwrap();
    }
    for i in (0..60).step_by(7) {
        let key = wire::item_to_json(&table.schema.key_item(&key_of(&table, &item(i, 1))));
        let delete = format!(r#"{{"TableName": "tab", "Key": {key}}}"#);
        store.delete_item(wire::from_str(&delete).unwrap()).unwrap();
    }
    store
}

/// The same history as after-images, in an order of keys unlike the
/// table's (each key's images in the order written).
fn images(table: &Table) -> Vec<(PrimaryKey, Option<Item>)> {
    let mut images = Vec::new();
    for i in (0..60).rev() {
        images.push((key_of(table, &item(i, 0)), Some(item(i, 0))));
    }
    for i in 0..60 {
        images.push((key_of(table, &item(i, 1)), Some(item(i, 1))));
        if i % 7 == 0 {
            images.push((key_of(table, &item(i, 1)), None));
        }
    }
    images
}

#[test]
fn a_bulk_load_equals_the_same_writes() {
    let written = written().table("tab").unwrap();
    let counts: Vec<u64> = written.indexes().iter().map(|i| i.item_count()).collect();
    assert!(counts.len() == 3 && !counts.contains(&0), "{counts:?}");
    let expected = derived(&written);
    // Into an empty table: the bulk build.
    let store = memory();
    create(&store);
    let table = store.table("tab").unwrap();
    table.load(images(&table));
    assert_eq!(derived(&table), expected);
    // Into a table holding items: one at a time through the write path.
    let store = memory();
    create(&store);
    let table = store.table("tab").unwrap();
    table.load(vec![(key_of(&table, &item(3, 5)), Some(item(3, 5)))]);
    table.load(images(&table));
    assert_eq!(derived(&table), expected);
}

fn open(dir: &Path) -> Store {
    Store::builder()
        .clock(Clock::manual(1_700_000_000_000))
        .data_dir(dir)
        .checkpoint_bytes(0)
        .build()
        .unwrap()
}

#[test]
fn a_table_recovered_from_a_snapshot_equals_the_one_written() {
    let dir = tempfile::tempdir().unwrap();
    let expected = derived(&written().table("tab").unwrap());
    {
        let store = open(dir.path());
        create(&store);
        let table = store.table("tab").unwrap();
        for (key, image) in images(&table) {
            let request = match image {
                Some(item) => format!(
                    r#"{{"Put": {{"TableName": "tab", "Item": {}}}}}"#,
                    wire::item_to_json(&item)
                ),
                None => format!(
                    r#"{{"Delete": {{"TableName": "tab", "Key": {}}}}}"#,
                    wire::item_to_json(&table.schema.key_item(&key))
                ),
            };
            let write = format!(r#"{{"TransactItems": [{request}]}}"#);
            store
                .transact_write_items(wire::from_str(&write).unwrap())
                .unwrap();
        }
        assert_eq!(derived(&table), expected);
        store.checkpoint().unwrap();
    }
    let store = open(dir.path());
    assert_eq!(derived(&store.table("tab").unwrap()), expected);
}

/// A table without indexes (so no item collections either) takes a
/// snapshot's items as stored, without decoding them: the same table.
#[test]
fn a_plain_table_recovered_from_a_snapshot_equals_the_one_written() {
    let dir = tempfile::tempdir().unwrap();
    let create = |store: &Store| {
        let request = r#"{"TableName": "tab", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                          {"AttributeName": "s", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                     {"AttributeName": "s", "AttributeType": "N"}]}"#;
        store
            .create_table(wire::from_str(request).unwrap())
            .unwrap();
    };
    let write = |store: &Store| {
        for (i, v) in (0..60).map(|i| (i, 0)).chain((0..60).rev().map(|i| (i, 1))) {
            let put = format!(
                r#"{{"TableName": "tab", "Item": {}}}"#,
                wire::item_to_json(&item(i, v))
            );
            store.put_item(wire::from_str(&put).unwrap()).unwrap();
        }
    };
    let expected = {
        let store = memory();
        create(&store);
        write(&store);
        derived(&store.table("tab").unwrap())
    };
    {
        let store = open(dir.path());
        create(&store);
        write(&store);
        store.checkpoint().unwrap();
    }
    let store = open(dir.path());
    let table = store.table("tab").unwrap();
    assert_eq!(derived(&table), expected);
    // Keys are found by their byte form, and ranges read in key order.
    let get = r#"{"TableName": "tab", "Key": {"p": {"S": "p2"}, "s": {"N": "7"}}}"#;
    let got = store.get_item(wire::from_str(get).unwrap()).unwrap();
    assert_eq!(got.item, Some(item(7, 1)));
}

/// A checkpoint walks the keys a batch at a time while writers go on: the
/// store recovered from its snapshot and the log after it equals the store.
#[test]
fn a_checkpoint_racing_writers_recovers_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let put = |store: &Store, i: u32, v: u32| {
        let put = format!(
            r#"{{"TableName": "tab", "Item": {}}}"#,
            wire::item_to_json(&item(i, v))
        );
        store.put_item(wire::from_str(&put).unwrap()).unwrap();
    };
    let expected = {
        let store = open(dir.path());
        create(&store);
        // More than one snapshot record of more than one batch of keys.
        for i in 0..1500 {
            put(&store, i * 2, 0);
        }
        std::thread::scope(|s| {
            s.spawn(|| {
                // New keys between the old ones, and updates.
                for i in 0..1500 {
                    put(&store, i * 2 + 1, 1);
                    put(&store, (i * 7) % 3000, 2);
                }
            });
            store.checkpoint().unwrap();
        });
        derived(&store.table("tab").unwrap())
    };
    let store = open(dir.path());
    assert_eq!(derived(&store.table("tab").unwrap()), expected);
}
