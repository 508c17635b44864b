//! Unit tests of the capacity arithmetic and rendering.
use std::ops::Bound;

use super::*;
use crate::store::key::KeyValue;
use crate::store::range::{BATCH, BoundKey, SortPos, batch};
use crate::wire;

fn item(json: &str) -> Item {
    wire::item_from_json(json.as_bytes()).unwrap()
}

/// An item of exactly `size` bytes: `p` = "k" plus `a` = filler.
fn sized(size: usize) -> Item {
    let filler = "x".repeat(size - 3);
    let it = item(&format!(
        r#"{{"p": {{"S": "k"}}, "a": {{"S": "{filler}"}}}}"#
    ));
    assert_eq!(item_size(&it), size);
    it
}

#[test]
fn item_reads_round_up_per_4kb() {
    use Read::*;
    for (size, consistent, eventual, transactional) in [
        (None, 1.0, 0.5, 2.0),
        (Some(1), 1.0, 0.5, 2.0),
        (Some(4096), 1.0, 0.5, 2.0),
        (Some(4097), 2.0, 1.0, 4.0),
        (Some(64 * 1024 + 1), 17.0, 8.5, 34.0),
    ] {
        assert_eq!(item_read_units(size, Consistent), consistent, "{size:?}");
        assert_eq!(item_read_units(size, Eventual), eventual, "{size:?}");
        assert_eq!(item_read_units(size, Transactional), transactional);
    }
    assert_eq!(Read::of(None), Eventual);
    assert_eq!(Read::of(Some(false)), Eventual);
    assert_eq!(Read::of(Some(true)), Consistent);
}

#[test]
fn ranges_sum_then_round_once_with_a_minimum() {
    // Three items of 1499 bytes: 4497 bytes, 2 units (not 3).
    assert_eq!(range_read_units(3 * 1499, Read::Consistent), 2.0);
    assert_eq!(range_read_units(0, Read::Consistent), 1.0);
    assert_eq!(range_read_units(0, Read::Eventual), 0.5);
    assert_eq!(range_read_units(8192, Read::Eventual), 1.0);
    assert_eq!(range_read_units(8193, Read::Eventual), 1.5);
}

#[test]
fn writes_take_the_larger_image() {
    use Write::*;
    assert_eq!(item_write_units(None, Some(1024), Standard), 1.0);
    assert_eq!(item_write_units(None, Some(1025), Standard), 2.0);
    // A tiny put over a 2100-byte item, a shrinking update, a delete.
    assert_eq!(item_write_units(Some(2100), Some(5), Standard), 3.0);
    assert_eq!(item_write_units(Some(2100), None, Standard), 3.0);
    // A delete of a missing item, a condition check of one.
    assert_eq!(item_write_units(None, None, Standard), 1.0);
    assert_eq!(item_write_units(None, None, Transactional), 2.0);
    // A transaction rounds, then doubles: a 6000-byte check is 12.
    assert_eq!(item_write_units(Some(6000), None, Transactional), 12.0);
    assert_eq!(item_write_units(Some(1), Some(1), Transactional), 2.0);
}

#[test]
fn index_arms_follow_the_entry_table() {
    let u = index_write_units;
    // Not in the index before or after: no arm.
    assert_eq!(u(None, None, false, false), None);
    assert_eq!(u(None, None, true, true), None);
    // Joins, leaves.
    assert_eq!(u(None, Some(10), false, false), Some(1.0));
    assert_eq!(u(None, Some(1025), false, false), Some(2.0));
    assert_eq!(u(Some(2100), None, false, false), Some(3.0));
    // Same key, same projection (an unprojected attribute changed): free.
    assert_eq!(u(Some(2100), Some(2100), true, true), None);
    // Same key, projection differs: the larger side.
    assert_eq!(u(Some(2100), Some(10), true, false), Some(3.0));
    assert_eq!(u(Some(10), Some(1025), true, false), Some(2.0));
    // Key moves: old plus new (row 133: 3017 → 5 bytes is 3 + 1).
    assert_eq!(u(Some(3017), Some(5), false, false), Some(4.0));
    assert_eq!(u(Some(10), Some(10), false, true), Some(2.0));
}

#[test]
fn charge_index_feeds_the_arms() {
    let mut arms = TableCapacity::default();
    arms.write_item(None, Some(&sized(100)), Write::Transactional);
    arms.charge_index(IndexKind::Global, "gsi1", None, Some(50), false, false);
    arms.charge_index(IndexKind::Global, "gsi2", None, None, false, false);
    arms.charge_index(IndexKind::Local, "lsi1", Some(50), Some(50), true, true);
    arms.charge_index(IndexKind::Local, "lsi2", Some(3017), Some(5), false, false);
    assert_eq!(arms.table, 2.0);
    assert_eq!(arms.global.get("gsi1"), Some(&1.0));
    // Uncharged indexes have no arm.
    assert!(!arms.global.contains_key("gsi2"));
    assert!(!arms.local.contains_key("lsi1"));
    assert_eq!(arms.local.get("lsi2"), Some(&4.0));
    assert_eq!(arms.total(), 7.0);
    arms.read_index_range(IndexKind::Global, "gsi1", 0, Read::Eventual);
    assert_eq!(arms.global.get("gsi1"), Some(&1.5));
}

fn json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn modes_render_their_members() {
    use serde_json::json;
    let request = |mode: &str| Some(ReturnConsumedCapacity::from(mode));
    let charge = |c: &mut Consumed| {
        c.write_item("tbl", None, Some(&sized(10)), Write::Standard);
        if let Some(arms) = c.table("tbl") {
            arms.charge_index(IndexKind::Global, "gsi1", None, Some(10), false, false);
        }
    };

    let mut none = Consumed::new(request("NONE").as_ref(), Mirror::None);
    charge(&mut none);
    assert!(!none.wanted());
    assert_eq!(none.clone().single(), None);
    assert_eq!(none.per_table(), None);
    let mut absent = Consumed::new(None, Mirror::None);
    charge(&mut absent);
    assert_eq!(absent.single(), None);

    let mut total = Consumed::new(request("TOTAL").as_ref(), Mirror::None);
    charge(&mut total);
    assert_eq!(
        json(&total.single()),
        json!({"TableName": "tbl", "CapacityUnits": 2.0})
    );

    let mut indexes = Consumed::new(request("INDEXES").as_ref(), Mirror::None);
    charge(&mut indexes);
    assert_eq!(
        json(&indexes.single()),
        json!({"TableName": "tbl", "CapacityUnits": 2.0, "Table": {"CapacityUnits": 1.0},
               "GlobalSecondaryIndexes": {"gsi1": {"CapacityUnits": 1.0}}})
    );

    // No index charged: INDEXES is TOTAL plus a `Table` copy.
    let mut plain = Consumed::new(request("INDEXES").as_ref(), Mirror::None);
    plain.read_item("tbl", None, Read::Eventual);
    assert_eq!(
        json(&plain.single()),
        json!({"TableName": "tbl", "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}})
    );
}

#[test]
fn transactions_mirror_every_level_and_list_tables_in_order() {
    use serde_json::json;
    let indexes = ReturnConsumedCapacity::Indexes;
    let mut write = Consumed::new(Some(&indexes), Mirror::Write);
    write.write_item("two", None, Some(&sized(10)), Write::Transactional);
    write.write_item("one", None, None, Write::Transactional);
    if let Some(arms) = write.table("two") {
        arms.charge_index(IndexKind::Local, "lsi1", None, Some(10), false, false);
    }
    write.write_item("two", Some(&sized(2000)), None, Write::Transactional);
    assert_eq!(
        json(&write.per_table()),
        json!([
            {"TableName": "two", "CapacityUnits": 7.0, "WriteCapacityUnits": 7.0,
             "Table": {"CapacityUnits": 6.0, "WriteCapacityUnits": 6.0},
             "LocalSecondaryIndexes": {"lsi1": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}}},
            {"TableName": "one", "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0,
             "Table": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}}
        ])
    );
    let mut read = Consumed::new(Some(&ReturnConsumedCapacity::Total), Mirror::Read);
    read.read_item("one", Some(&sized(10)), Read::Transactional);
    read.read_item("one", None, Read::Transactional);
    assert_eq!(
        json(&read.per_table()),
        json!([{"TableName": "one", "CapacityUnits": 4.0, "ReadCapacityUnits": 4.0}])
    );
    // Asked for, nothing charged: an empty list.
    let empty = Consumed::new(Some(&ReturnConsumedCapacity::Total), Mirror::None);
    assert_eq!(empty.clone().per_table(), Some(Vec::new()));
    assert_eq!(empty.single(), None);
}

#[test]
fn numbers_print_as_decimals() {
    let mut c = Consumed::new(Some(&ReturnConsumedCapacity::Total), Mirror::None);
    c.read_item("tbl", None, Read::Eventual);
    let text = serde_json::to_string(&c.single()).unwrap();
    assert_eq!(text, r#"{"TableName":"tbl","CapacityUnits":0.5}"#);
    let mut c = Consumed::new(Some(&ReturnConsumedCapacity::Total), Mirror::None);
    c.read_item("tbl", None, Read::Consistent);
    let text = serde_json::to_string(&c.single()).unwrap();
    assert_eq!(text, r#"{"TableName":"tbl","CapacityUnits":1.0}"#);
}

#[test]
fn size_estimates_bracket_the_size() {
    assert_eq!(size_estimate_range_gb(0), [0.0, 1.0]);
    assert_eq!(size_estimate_range_gb(GB_BYTES - 1), [0.0, 1.0]);
    assert_eq!(size_estimate_range_gb(GB_BYTES), [1.0, 2.0]);
    assert_eq!(size_estimate_range_gb(10 * GB_BYTES + 5), [10.0, 11.0]);
    let metrics = item_collection_metrics("p", AttributeValue::s("k1"), 42);
    assert_eq!(
        json(&metrics),
        serde_json::json!({"ItemCollectionKey": {"p": {"S": "k1"}},
                           "SizeEstimateRangeGB": [0.0, 1.0]})
    );
    assert!(size_asked(Some(&ReturnItemCollectionMetrics::Size)));
    assert!(!size_asked(Some(&ReturnItemCollectionMetrics::None)));
    assert!(!size_asked(None));
}

#[test]
fn collections_are_measured_per_partition() {
    use crate::api::{CreateTableInput, PutItemInput};
    use crate::store::{ScalarType, Store};
    let store = Store::new();
    store
        .create_table(
            CreateTableInput::new("tbl")
                .with_hash_key("p", ScalarType::S)
                .with_range_key("c", ScalarType::N),
        )
        .unwrap();
    let mut sizes = [0u64; 2];
    for (i, p) in ["a", "b"].iter().enumerate() {
        for c in 0..(BATCH + 3) {
            let it = item(&format!(
                r#"{{"p": {{"S": "{p}"}}, "c": {{"N": "{c}"}}, "v": {{"S": "{}"}}}}"#,
                "y".repeat(c % 7)
            ));
            sizes[i] += item_size(&it) as u64;
            store.put_item(PutItemInput::new("tbl", it)).unwrap();
        }
    }
    let table = store.table("tbl").unwrap();
    let a = KeyValue::S("a".into());
    assert_eq!(collection_size(&table, &a), sizes[0]);
    assert_eq!(collection_size(&table, &KeyValue::S("b".into())), sizes[1]);
    assert_eq!(collection_size(&table, &KeyValue::S("z".into())), 0);
    // Without a local index, the table keeps no collection sizes.
    assert!(!table.collections.tracked());
    let key = PrimaryKey {
        partition: a,
        sort: None,
    };
    let metrics = collection_metrics(&table, &key);
    assert_eq!(
        metrics.item_collection_key,
        Some(item(r#"{"p": {"S": "a"}}"#))
    );
    // Tables have no local secondary index yet: never reported.
    let size = ReturnItemCollectionMetrics::Size;
    assert!(!table.has_local_indexes());
    assert_eq!(metrics_of_write(Some(&size), &table, &key), None);
    assert_eq!(metrics_of_writes(Some(&size), [(&*table, &key)]), None);
}

/// The bytes of the item collection of one partition: its items (read one
/// at a time, like a Query) and their entries in the table's local
/// secondary indexes. The caller must hold no item of the table locked.
/// The tests' oracle for the sizes the table keeps up to date
/// (`collections` module).
fn collection_size(table: &Table, partition: &KeyValue) -> u64 {
    let at = |sort| BoundKey {
        partition: partition.clone(),
        sort,
    };
    let mut lo = Bound::Included(at(SortPos::Start));
    let hi = Bound::Included(at(SortPos::End));
    let mut total = 0u64;
    let local: Vec<_> = table
        .indexes()
        .into_iter()
        .filter(|i| i.kind == IndexKind::Local)
        .collect();
    loop {
        let slots = batch(table, &lo, &hi, true);
        for (slot_key, slot) in &slots {
            if let Some(item) = slot.copy(slot_key).as_ref() {
                total = total.saturating_add(item_size(item) as u64);
                for index in &local {
                    if index.key_of(item).is_some() {
                        let entry = index.project(item, &table.schema);
                        total = total.saturating_add(item_size(&entry) as u64);
                    }
                }
            }
        }
        match slots.last() {
            Some((key, _)) if slots.len() == BATCH => lo = Bound::Excluded(BoundKey::at(key)),
            _ => break,
        }
    }
    total
}

#[test]
fn collection_sizes_kept_by_the_table_agree_with_a_walk() {
    use crate::store::Store;
    let store = Store::new();
    store
        .create_table(
            wire::from_str(
                r#"{"TableName": "lsi", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                              {"AttributeName": "s", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "s", "AttributeType": "N"},
                                         {"AttributeName": "l", "AttributeType": "S"}],
                "LocalSecondaryIndexes": [{"IndexName": "by_l",
                    "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                                  {"AttributeName": "l", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"}}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
    let table = store.table("lsi").unwrap();
    assert!(table.collections.tracked());
    // Puts with and without the index key, overwrites, updates that add or
    // drop it, deletes.
    for round in 0..3u32 {
        for n in 0..40u32 {
            let p = ["a", "b", "c"][(n % 3) as usize];
            let with_l = (n + round) % 2 == 0;
            let l = if with_l {
                format!(r#", "l": {{"S": "{}"}}"#, "z".repeat((n % 5) as usize + 1))
            } else {
                String::new()
            };
            let json = format!(
                r#"{{"TableName": "lsi", "Item": {{"p": {{"S": "{p}"}}, "s": {{"N": "{}"}}, "v": {{"S": "{}"}}{l}}}}}"#,
                n % 13,
                "v".repeat((n * round) as usize % 17)
            );
            store.put_item(wire::from_str(&json).unwrap()).unwrap();
        }
        for n in 0..5u32 {
            let json = format!(
                r#"{{"TableName": "lsi", "Key": {{"p": {{"S": "a"}}, "s": {{"N": "{n}"}}}}}}"#
            );
            store.delete_item(wire::from_str(&json).unwrap()).unwrap();
        }
    }
    for p in ["a", "b", "c", "d"] {
        let partition = KeyValue::S(p.into());
        assert_eq!(
            table.collections.size(&partition),
            collection_size(&table, &partition),
            "{p}"
        );
    }
}
