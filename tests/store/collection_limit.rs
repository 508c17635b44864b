//! The item-collection size limit of tables with local secondary indexes
//! (indexes.md §4.5), reached with a small configured limit: growing writes
//! past it fail with `ItemCollectionSizeLimitExceededException` (a
//! `ItemCollectionSizeLimitExceeded` reason in a transaction) and change
//! nothing; shrinking writes and other collections are unaffected.

use dynacond::{Error, Store, wire};
use serde_json::{Value, json};

const LIMIT: u64 = 200;

fn store() -> Store {
    let store = Store::builder()
        .item_collection_size_limit(LIMIT)
        .build()
        .unwrap();
    let create = json!({"TableName": "coll", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                      {"AttributeName": "s", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                 {"AttributeName": "s", "AttributeType": "N"},
                                 {"AttributeName": "l", "AttributeType": "S"}],
        "LocalSecondaryIndexes": [{"IndexName": "by_l",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                          {"AttributeName": "l", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}]});
    store
        .create_table(wire::from_value(create).unwrap())
        .unwrap();
    store
}

fn item(p: &str, s: u32, filler: usize) -> Value {
    json!({"p": {"S": p}, "s": {"N": s.to_string()}, "l": {"S": "x"},
           "f": {"S": "f".repeat(filler)}})
}

fn put(store: &Store, item: Value) -> Result<(), Error> {
    store
        .put_item(wire::from_value(json!({"TableName": "coll", "Item": item})).unwrap())
        .map(|_| ())
}

fn count(store: &Store, p: &str) -> usize {
    let query = json!({"TableName": "coll", "KeyConditionExpression": "p = :p",
        "ExpressionAttributeValues": {":p": {"S": p}}, "ConsistentRead": true});
    store
        .query(wire::from_value(query).unwrap())
        .unwrap()
        .items
        .map_or(0, |items| items.len())
}

#[test]
fn growing_past_the_limit_is_refused_and_shrinking_is_not() {
    let store = store();
    // Each item is counted twice (the item and its ALL-projected entry).
    put(&store, item("a", 1, 40)).unwrap();
    let refused = put(&store, item("a", 2, 60)).unwrap_err();
    assert_eq!(
        refused.type_name(),
        "ItemCollectionSizeLimitExceededException"
    );
    assert_eq!(
        refused.wire_type(),
        "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException"
    );
    assert_eq!(count(&store, "a"), 1);
    // Another collection has room of its own.
    put(&store, item("b", 1, 60)).unwrap();
    // Overwriting with a smaller item shrinks the collection; then the
    // second item fits.
    put(&store, item("a", 1, 1)).unwrap();
    put(&store, item("a", 2, 20)).unwrap();
    assert_eq!(count(&store, "a"), 2);
    // An update growing the item past the limit is refused too.
    let update = json!({"TableName": "coll", "Key": {"p": {"S": "a"}, "s": {"N": "2"}},
        "UpdateExpression": "SET f = :f",
        "ExpressionAttributeValues": {":f": {"S": "g".repeat(100)}}});
    let refused = store
        .update_item(wire::from_value(update).unwrap())
        .unwrap_err();
    assert_eq!(
        refused.type_name(),
        "ItemCollectionSizeLimitExceededException"
    );
    // Removing the index key shrinks what the item adds: allowed.
    let update = json!({"TableName": "coll", "Key": {"p": {"S": "a"}, "s": {"N": "2"}},
        "UpdateExpression": "REMOVE l"});
    store
        .update_item(wire::from_value(update).unwrap())
        .unwrap();
}

#[test]
fn a_transaction_growing_a_collection_past_the_limit_is_cancelled() {
    let store = store();
    put(&store, item("a", 1, 40)).unwrap();
    let transaction = json!({"TransactItems": [
        {"Put": {"TableName": "coll", "Item": item("b", 1, 10)}},
        {"Put": {"TableName": "coll", "Item": item("a", 2, 60)}}]});
    let cancelled = store
        .transact_write_items(wire::from_value(transaction).unwrap())
        .unwrap_err();
    let Error::TransactionCanceled { reasons, .. } = &cancelled else {
        panic!("{cancelled:?}");
    };
    let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["None", "ItemCollectionSizeLimitExceeded"]);
    assert_eq!(
        reasons[1].message.as_deref(),
        Some("Collection size exceeded")
    );
    // Nothing was written.
    assert_eq!((count(&store, "a"), count(&store, "b")), (1, 0));
}

#[test]
fn the_default_limit_is_dynamodbs_ten_gigabytes() {
    assert_eq!(
        dynacond::store::DEFAULT_ITEM_COLLECTION_LIMIT,
        10 * 1024 * 1024 * 1024
    );
    let store = Store::new();
    let create = json!({"TableName": "plain", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]});
    store
        .create_table(wire::from_value(create).unwrap())
        .unwrap();
    // Tables without a local index have no collection limit at all.
    let big =
        json!({"TableName": "plain", "Item": {"p": {"S": "k"}, "f": {"S": "f".repeat(300_000)}}});
    store.put_item(wire::from_value(big).unwrap()).unwrap();
}
