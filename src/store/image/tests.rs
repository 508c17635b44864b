//! Capture and rebuild: everything a client observes comes back, the
//! derived counters are recomputed exactly, and a capture waits for a
//! transaction holding its items.

use serde_json::{Value, json};

use super::*;
use crate::clock::Clock;
use crate::store::table::Hold;

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn store() -> Store {
    Store::builder()
        .clock(Clock::manual(1_700_000_000_000))
        .build()
        .unwrap()
}

/// A table with a GSI, an LSI, a stream, TTL, tags and some items.
fn populated() -> Store {
    let store = store();
    store
        .create_table(req(json!({
            "TableName": "tab",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                          {"AttributeName": "s", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                     {"AttributeName": "s", "AttributeType": "N"},
                                     {"AttributeName": "g", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "GlobalSecondaryIndexes": [{"IndexName": "byg",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            "LocalSecondaryIndexes": [{"IndexName": "byg_local",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                              {"AttributeName": "g", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "Tags": [{"Key": "team", "Value": "a"}],
            "DeletionProtectionEnabled": true
        })))
        .unwrap();
    store
        .update_time_to_live(req(json!({"TableName": "tab",
            "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}})))
        .unwrap();
    for i in 0..20 {
        let mut item = json!({"p": {"S": format!("p{}", i % 3)}, "s": {"N": i.to_string()}});
        if i % 2 == 0 {
            item["g"] = json!({"S": format!("g{i}")});
        }
        store
            .put_item(req(json!({"TableName": "tab", "Item": item})))
            .unwrap();
    }
    store
        .delete_item(req(
            json!({"TableName": "tab", "Key": {"p": {"S": "p0"}, "s": {"N": "0"}}}),
        ))
        .unwrap();
    store
}

#[test]
fn a_rebuild_is_the_captured_store() {
    let store = populated();
    let image = StoreImage::capture(&store);
    assert_eq!(image.item_count(), 19);
    let other = store.clone();
    let rebuilt = image.rebuild(&other.inner);
    let table = rebuilt.tables.get("tab").unwrap();
    let live = store.table("tab").unwrap();
    assert_eq!(table.items(), live.items());
    assert_eq!(
        table.description("ACTIVE", 5.0),
        live.description("ACTIVE", 5.0)
    );
    for (a, b) in table.indexes().iter().zip(live.indexes()) {
        assert_eq!(a.all_entries(), b.all_entries());
        assert_eq!(
            (a.item_count(), a.size_bytes()),
            (b.item_count(), b.size_bytes())
        );
    }
    for p in ["p0", "p1", "p2"] {
        let key = crate::store::key::KeyValue::S(p.into());
        assert_eq!(table.collections.size(&key), live.collections.size(&key));
    }
    assert_eq!(lock(&table.settings).ttl, lock(&live.settings).ttl);
    assert!(lock(&table.settings).deletion_protection);
    // The stream is a copy, numbering on from where it stood.
    let (a, b) = (
        table.stream.latest().unwrap(),
        live.stream.latest().unwrap(),
    );
    assert!(!Arc::ptr_eq(&a, &b));
    let (ia, ib) = (a.image(true), b.image(true));
    assert_eq!((ia.arn, ia.next, ia.records), (ib.arn, ib.next, ib.records));
    assert_eq!(rebuilt.streams.len(), 1);
    // The rebuilt table is the store's gate's.
    assert!(Arc::ptr_eq(&table.gate, &store.inner.gate));
}

#[test]
fn a_deleted_tables_stream_is_kept_closed() {
    let store = populated();
    store
        .update_table(req(
            json!({"TableName": "tab", "DeletionProtectionEnabled": false}),
        ))
        .unwrap();
    store
        .delete_table(req(json!({"TableName": "tab"})))
        .unwrap();
    let image = StoreImage::capture(&store);
    assert!(image.tables.is_empty());
    assert_eq!(image.streams.len(), 1);
    assert!(image.streams[0].listed && image.streams[0].closed_millis.is_some());
    assert_eq!(image.rebuild(&store.inner).streams.len(), 1);
}

#[test]
fn a_capture_waits_for_a_transaction_holding_its_items() {
    let store = populated();
    let table = store.table("tab").unwrap();
    let item = table.items().remove(0);
    let key = table.schema.key_of_map(&item).unwrap();
    std::thread::scope(|s| {
        let slot = table.slot(&key);
        let mut held = slot.lock_as(Hold::Transaction).unwrap();
        let capture = s.spawn(|| StoreImage::capture(&store));
        // The capture cannot finish while the slot is held: write the item
        // "during" the transaction, then release it; the capture has it.
        assert!(!capture.is_finished());
        let mut changed = item.clone();
        changed.insert("x".into(), crate::value::AttributeValue::Bool(true));
        held.replace(Some(changed.clone()));
        drop(held);
        drop(slot);
        let image = capture.join().unwrap();
        let captured = image.tables[0].items.iter().find(|(k, _)| *k == key);
        assert_eq!(captured.map(|(_, i)| i), Some(&changed));
    });
}
