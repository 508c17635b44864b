use std::sync::Arc;

use super::catalog::BACKGROUND_DROP_ITEMS;
use super::key::KEY_MISMATCH;
use super::*;
use crate::api::*;
use crate::error::Error;
use crate::value::{AttributeValue, Item};
use crate::wire;

fn schema(sort: bool) -> KeySchema {
    KeySchema {
        partition: KeyAttribute {
            name: "p".into(),
            scalar_type: ScalarType::S,
        },
        sort: sort.then(|| KeyAttribute {
            name: "c".into(),
            scalar_type: ScalarType::N,
        }),
    }
}

fn item(json: &str) -> Item {
    wire::item_from_json(json.as_bytes()).unwrap()
}

#[test]
fn numeric_keys_equal_across_spellings_and_ordered() {
    let s = schema(true);
    let a = s
        .key_of_map(&item(r#"{"p": {"S": "k"}, "c": {"N": "1000"}}"#))
        .unwrap();
    let b = s
        .key_of_map(&item(r#"{"c": {"N": "1E+3"}, "p": {"S": "k"}}"#))
        .unwrap();
    assert_eq!(a, b);
    let keys: Vec<PrimaryKey> = ["-10", "-1.5", "0", "2", "10", "1e3"]
        .iter()
        .map(|n| {
            s.key_of_map(&item(&format!(
                r#"{{"p": {{"S": "k"}}, "c": {{"N": "{n}"}}}}"#
            )))
            .unwrap()
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
    // Strings by UTF-8 bytes, partition before sort.
    let one = schema(false);
    let k = |v: &str| {
        one.key_of_map(&item(&format!(r#"{{"p": {{"S": "{v}"}}}}"#)))
            .unwrap()
    };
    assert!(k("B") < k("a"));
    assert!(k("a") < k("ab"));
    assert!(k("z") < k("é"));
}

#[test]
fn key_errors() {
    let s = schema(true);
    let e = |r: Result<PrimaryKey, Error>| r.unwrap_err().message().to_owned();
    assert_eq!(
        e(s.key_of_item(&item(r#"{"p": {"S": "k"}}"#))),
        "One or more parameter values were invalid: Missing the key c in the item"
    );
    assert_eq!(
        e(s.key_of_item(&item(r#"{"p": {"N": "1"}, "c": {"N": "1"}}"#))),
        "One or more parameter values were invalid: Type mismatch for key p expected: S actual: N"
    );
    assert_eq!(e(s.key_of_map(&item(r#"{"p": {"S": "k"}}"#))), KEY_MISMATCH);
    assert_eq!(
        e(s.key_of_map(&item(
            r#"{"p": {"S": "k"}, "c": {"N": "1"}, "x": {"N": "1"}}"#
        ))),
        KEY_MISMATCH
    );
    assert!(
        e(s.key_of_map(&item(r#"{"p": {"S": ""}, "c": {"N": "1"}}"#)))
            .ends_with("cannot contain an empty string value. Key: p")
    );
    let long = "x".repeat(2049);
    assert!(
        e(s.key_of_item(&item(&format!(
            r#"{{"p": {{"S": "{long}"}}, "c": {{"N": "1"}}}}"#
        ))))
        .contains("Size of hashkey")
    );
}

#[test]
fn tables() {
    let store = Store::new();
    let input: CreateTableInput = wire::from_str(
        r#"{"TableName": "tab1", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
    )
    .unwrap();
    store.create_table(input.clone()).unwrap();
    assert_eq!(
        store.create_table(input.clone()).unwrap_err().type_name(),
        "ResourceInUseException"
    );
    let mut other = input.clone();
    other.table_name = Some("tab0".into());
    store.create_table(other).unwrap();
    let mut undefined = input.clone();
    undefined.table_name = Some("tab2".into());
    undefined.key_schema.as_mut().unwrap()[0].attribute_name = "q".into();
    assert_eq!(
        store.create_table(undefined).unwrap_err().message(),
        "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [q], AttributeDefinitions: [p]"
    );
    let mut bad = input.clone();
    bad.table_name = Some("a!".into());
    assert!(
        store
            .create_table(bad)
            .unwrap_err()
            .message()
            .contains("greater than or equal to 3")
    );
    let page = store
        .list_tables(ListTablesInput {
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.table_names, ["tab0"]);
    assert_eq!(page.last_evaluated_table_name.as_deref(), Some("tab0"));
    let described = store
        .describe_table(DescribeTableInput {
            table_name: Some("tab1".into()),
        })
        .unwrap();
    assert_eq!(Some(described.table.key_schema), input.key_schema);
    store
        .delete_table(DeleteTableInput {
            table_name: Some("tab1".into()),
        })
        .unwrap();
    let gone = store
        .describe_table(DescribeTableInput {
            table_name: Some("tab1".into()),
        })
        .unwrap_err();
    assert_eq!(gone.type_name(), "ResourceNotFoundException");
    assert_eq!(
        gone.message(),
        "Requested resource not found: Table: tab1 not found"
    );
}

fn store_with(items: &[&str]) -> Store {
    let store = Store::new();
    store
        .create_table(
            wire::from_str(
                r#"{"TableName": "tab", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
    for i in items {
        store
            .put_item(PutItemInput {
                table_name: Some("tab".into()),
                item: Some(item(i)),
                ..Default::default()
            })
            .unwrap();
    }
    store
}

fn get(store: &Store, p: &str) -> Option<Item> {
    store
        .get_item(GetItemInput {
            table_name: Some("tab".into()),
            key: Some(item(&format!(r#"{{"p": {{"S": "{p}"}}}}"#))),
            ..Default::default()
        })
        .unwrap()
        .item
}

#[test]
fn a_poisoned_slot_keeps_its_value_and_stays_usable() {
    let store = store_with(&[r#"{"p": {"S": "x"}, "n": {"N": "1"}}"#]);
    let table = store.table("tab").unwrap();
    let key = table
        .schema()
        .key_of_map(&item(r#"{"p": {"S": "x"}}"#))
        .unwrap();
    let slot = table.slot(&key).raw();
    let held = slot.clone();
    let joined = std::thread::spawn(move || {
        let _guard = held.item.lock().unwrap();
        panic!("a panic while the item is locked");
    })
    .join();
    assert!(joined.is_err());
    assert!(slot.item.is_poisoned());
    assert_eq!(get(&store, "x").unwrap()["n"], AttributeValue::n(1));
    store
        .update_item(UpdateItemInput {
            table_name: Some("tab".into()),
            key: Some(item(r#"{"p": {"S": "x"}}"#)),
            update_expression: Some("SET n = :two".into()),
            expression_attribute_values: Some(
                [(":two".to_owned(), AttributeValue::n(2))]
                    .into_iter()
                    .collect(),
            ),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(get(&store, "x").unwrap()["n"], AttributeValue::n(2));
}

#[test]
fn operations_on_other_items_do_not_wait() {
    let store = store_with(&[r#"{"p": {"S": "x"}}"#]);
    let table = store.table("tab").unwrap();
    let key = table
        .schema()
        .key_of_map(&item(r#"{"p": {"S": "x"}}"#))
        .unwrap();
    let slot = table.slot(&key);
    let _held = slot.lock().unwrap(); // as if a long operation held item x
    let (tx, rx) = std::sync::mpsc::channel();
    let other = store.clone();
    std::thread::spawn(move || {
        other
            .put_item(PutItemInput {
                table_name: Some("tab".into()),
                item: Some(item(r#"{"p": {"S": "y"}}"#)),
                ..Default::default()
            })
            .unwrap();
        let _ = tx.send(get(&other, "y").is_some());
    });
    let done = rx.recv_timeout(std::time::Duration::from_secs(20));
    assert_eq!(done, Ok(true));
}

#[test]
fn absent_keys_leave_no_slots_behind() {
    let store = store_with(&[r#"{"p": {"S": "x"}}"#]);
    let table = store.table("tab").unwrap();
    assert!(get(&store, "nope").is_none());
    let failed = store.put_item(PutItemInput {
        table_name: Some("tab".into()),
        item: Some(item(r#"{"p": {"S": "y"}}"#)),
        condition_expression: Some("attribute_exists(p)".into()),
        ..Default::default()
    });
    assert_eq!(
        failed.unwrap_err().type_name(),
        "ConditionalCheckFailedException"
    );
    let removed = store.update_item(UpdateItemInput {
        table_name: Some("tab".into()),
        key: Some(item(r#"{"p": {"S": "z"}}"#)),
        update_expression: Some("REMOVE a".into()),
        ..Default::default()
    });
    assert!(removed.is_ok());
    assert_eq!(table.slot_count(), 1);
    store
        .delete_item(DeleteItemInput {
            table_name: Some("tab".into()),
            key: Some(item(r#"{"p": {"S": "x"}}"#)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(table.slot_count(), 0);
    let read: crate::api::TransactGetItemsInput = wire::from_str(
        r#"{"TransactItems": [{"Get": {"TableName": "tab", "Key": {"p": {"S": "q"}}}}]}"#,
    )
    .unwrap();
    let out = store.transact_get_items(read).unwrap();
    assert!(out.responses[0].item.is_none());
    assert_eq!(table.slot_count(), 0);
    assert_eq!(table.item_count(), 0);
}

#[test]
fn describe_table_reads_counters_without_walking() {
    let store = store_with(&[
        r#"{"p": {"S": "x"}, "n": {"N": "1"}}"#,
        r#"{"p": {"S": "y"}}"#,
    ]);
    let table = store.table("tab").unwrap();
    let before = table.full_walks();
    let described = store
        .describe_table(DescribeTableInput::new("tab"))
        .unwrap()
        .table;
    assert_eq!(table.full_walks(), before, "DescribeTable walked the table");
    let items = table.items();
    assert_eq!(table.full_walks(), before + 1, "Table::items is a walk");
    assert_eq!(described.item_count, items.len() as u64);
    let size: usize = items.iter().map(crate::value::item_size).sum();
    assert_eq!(described.table_size_bytes, size as u64);
}

#[test]
fn deleted_tables_are_freed_small_ones_on_the_caller() {
    let weak_after_delete = |count: usize| {
        let store = store_with(&[]);
        for i in 0..count {
            store
                .put_item(PutItemInput::new(
                    "tab",
                    item(&format!(r#"{{"p": {{"S": "{i}"}}}}"#)),
                ))
                .unwrap();
        }
        let weak = Arc::downgrade(&store.table("tab").unwrap());
        let out = store
            .delete_table(DeleteTableInput::new("tab"))
            .unwrap()
            .table_description;
        assert_eq!(out.item_count, count as u64);
        weak
    };
    // At or under the threshold the caller frees the table itself.
    let small = weak_after_delete(10);
    assert!(small.upgrade().is_none());
    // Over it, another thread does; the table still gets freed.
    let large = weak_after_delete(BACKGROUND_DROP_ITEMS as usize + 1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while large.strong_count() > 0 {
        assert!(std::time::Instant::now() < deadline, "never freed");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
