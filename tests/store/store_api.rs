//! Store behaviour beyond the spec's vectors: transactions across tables,
//! projections in TransactGetItems, update errors inside a transaction, the
//! request size limit and tokens after a cancelled transaction.

use dynacond::api::{
    ConditionCheck, Get, GetItemInput, Put, PutItemInput, TransactGetItemsInput, TransactWriteItem,
    TransactWriteItemsInput, Update, UpdateItemInput,
};
use dynacond::{AttributeValue, Error, Item, Store, wire};
use serde_json::{Value, json};

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

fn store() -> Store {
    let store = Store::new();
    for (name, sort) in [("users", false), ("orders", true)] {
        let mut schema = vec![json!({"AttributeName": "p", "KeyType": "HASH"})];
        let mut defs = vec![json!({"AttributeName": "p", "AttributeType": "S"})];
        if sort {
            schema.push(json!({"AttributeName": "n", "KeyType": "RANGE"}));
            defs.push(json!({"AttributeName": "n", "AttributeType": "N"}));
        }
        store
            .create_table(req(json!({"TableName": name, "KeySchema": schema,
                "AttributeDefinitions": defs})))
            .unwrap();
    }
    store
}

fn get(store: &Store, table: &str, key: Value) -> Option<Item> {
    store
        .get_item(req(json!({"TableName": table, "Key": key})))
        .unwrap()
        .item
}

fn item(v: Value) -> Item {
    req(v)
}

#[test]
fn transaction_across_tables_and_snapshot_read_with_projection() {
    let store = store();
    store
        .transact_write_items(req(json!({"TransactItems": [
            {"Put": {"TableName": "users", "Item": {"p": {"S": "u1"}, "name": {"S": "Ann"}, "orders": {"N": "0"}}}},
            {"Put": {"TableName": "orders", "Item": {"p": {"S": "u1"}, "n": {"N": "1"}, "total": {"N": "9.5"}}}}
        ]})))
        .unwrap();
    let out = store
        .transact_get_items(req(json!({"TransactItems": [
            {"Get": {"TableName": "orders", "Key": {"p": {"S": "u1"}, "n": {"N": "1.0"}}}},
            {"Get": {"TableName": "users", "Key": {"p": {"S": "u1"}},
                "ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": "name"}}},
            {"Get": {"TableName": "users", "Key": {"p": {"S": "nobody"}}}}
        ]})))
        .unwrap();
    assert_eq!(
        out.responses[0].item,
        Some(item(
            json!({"p": {"S": "u1"}, "n": {"N": "1"}, "total": {"N": "9.5"}})
        ))
    );
    assert_eq!(
        out.responses[1].item,
        Some(item(json!({"name": {"S": "Ann"}})))
    );
    assert_eq!(out.responses[2].item, None);
    let missing = store
        .transact_write_items(req(json!({"TransactItems": [
            {"Delete": {"TableName": "nope", "Key": {"p": {"S": "u1"}}}}]})))
        .unwrap_err();
    assert_eq!(missing.type_name(), "ResourceNotFoundException");
    assert_eq!(missing.message(), "Requested resource not found");
}

#[test]
fn an_update_error_cancels_with_a_validation_reason() {
    let store = store();
    store
        .put_item(req(
            json!({"TableName": "users", "Item": {"p": {"S": "u1"}, "s": {"S": "text"}}}),
        ))
        .unwrap();
    let e = store
        .transact_write_items(req(json!({"TransactItems": [
            {"Put": {"TableName": "users", "Item": {"p": {"S": "u2"}}}},
            {"Update": {"TableName": "users", "Key": {"p": {"S": "u1"}},
                "UpdateExpression": "SET s = s + :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}}}}
        ]})))
        .unwrap_err();
    let Error::TransactionCanceled { message, reasons } = e else {
        panic!("{e:?}")
    };
    assert_eq!(
        message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]"
    );
    assert_eq!(reasons[0].code, "None");
    assert_eq!(
        serde_json::to_value(&reasons).unwrap(),
        json!([{"Code": "None"}, {"Code": "ValidationError",
            "Message": "An operand in the update expression has an incorrect data type"}])
    );
    assert_eq!(
        reasons[1].message.as_deref(),
        Some("An operand in the update expression has an incorrect data type")
    );
    assert!(get(&store, "users", json!({"p": {"S": "u2"}})).is_none());
}

#[test]
fn request_size_limit_counts_the_request() {
    let store = store();
    let big = "x".repeat(100 * 1024 - 20);
    let puts = |n: usize, offset: usize| -> Value {
        let items: Vec<Value> = (0..n)
            .map(|i| {
                json!({"Put": {"TableName": "users",
                "Item": {"p": {"S": format!("k{}", i + offset)}, "v": {"S": big}}}})
            })
            .collect();
        json!({"TransactItems": items})
    };
    store.transact_write_items(req(puts(30, 0))).unwrap();
    let e = store.transact_write_items(req(puts(50, 100))).unwrap_err();
    assert_eq!(e.type_name(), "ValidationException");
    assert_eq!(e.message(), "Transaction request size cannot exceed 4 MB");
    // Row 216: deleting 5 MB of items with a small request is fine.
    for i in 30..50 {
        store
            .put_item(req(json!({"TableName": "users",
                "Item": {"p": {"S": format!("k{i}")}, "v": {"S": big}}})))
            .unwrap();
    }
    let deletes: Vec<Value> = (0..50)
        .map(|i| json!({"Delete": {"TableName": "users", "Key": {"p": {"S": format!("k{i}")}}}}))
        .collect();
    store
        .transact_write_items(req(json!({"TransactItems": deletes})))
        .unwrap();
}

#[test]
fn a_token_of_a_cancelled_transaction_can_run_again() {
    let store = store();
    let request = json!({"TransactItems": [
        {"Put": {"TableName": "users", "Item": {"p": {"S": "u1"}},
            "ConditionExpression": "attribute_exists(#f)", "ExpressionAttributeNames": {"#f": "flag"}}}],
        "ClientRequestToken": "tok-1"});
    let first = store
        .transact_write_items(req(request.clone()))
        .unwrap_err();
    assert_eq!(first.type_name(), "TransactionCanceledException");
    assert_eq!(
        first.message(),
        "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]"
    );
    // Nothing was remembered, so the same request runs (and fails) again.
    let again = store.transact_write_items(req(request)).unwrap_err();
    assert_eq!(again.type_name(), "TransactionCanceledException");
    assert_eq!(
        again.message(),
        "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]"
    );
}

#[test]
fn request_level_validation() {
    let store = store();
    let cases = [
        (
            json!({"TransactItems": [{"Put": {"TableName": "users", "Item": {"p": {"S": "a"}}},
                "Delete": {"TableName": "users", "Key": {"p": {"S": "b"}}}}]}),
            "TransactItems can only contain one of Check, Put, Update or Delete",
        ),
        (
            json!({"TransactItems": [{"Put": {"TableName": "users", "Item": {"p": {"S": "a"}},
                "ReturnValuesOnConditionCheckFailure": "ALL_NEW"}}]}),
            "1 validation error detected: Value 'ALL_NEW' at 'transactItems.1.member.put.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
        ),
        (
            json!({"TransactItems": [{"Update": {"TableName": "users", "Key": {"p": {"S": "a"}}}}]}),
            "1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null",
        ),
        (
            json!({"TransactItems": [{"Delete": {"TableName": "users", "Key": {"p": {"S": ""}}}}]}),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p",
        ),
        (
            json!({"TransactItems": [
                {"Put": {"TableName": "orders", "Item": {"p": {"S": "a"}, "n": {"N": "1"}}}},
                {"Delete": {"TableName": "orders", "Key": {"n": {"N": "1.00"}, "p": {"S": "a"}}}}]}),
            "Transaction request cannot include multiple operations on one item",
        ),
    ];
    for (request, message) in cases {
        let e = store.transact_write_items(req(request)).unwrap_err();
        assert_eq!(e.type_name(), "ValidationException");
        assert_eq!(e.message(), message);
    }
}

#[test]
fn single_item_return_values_and_messages() {
    let store = store();
    let e = store
        .get_item(req(json!({"TableName": "nope", "Key": {"p": {"S": "a"}}})))
        .unwrap_err();
    assert_eq!(e.message(), "Requested resource not found");
    let e = store
        .get_item(req(json!({"TableName": "t!", "Key": {"p": {"S": "a"}}})))
        .unwrap_err();
    assert_eq!(
        e.message(),
        "1 validation error detected: Value 't!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    );
    // One- and two-character names are valid outside CreateTable.
    let e = store
        .get_item(req(json!({"TableName": "t", "Key": {"p": {"S": "a"}}})))
        .unwrap_err();
    assert_eq!(e.message(), "Requested resource not found");
    let e = store
        .put_item(req(
            json!({"TableName": "users", "Item": {"p": {"S": "a"}}, "ReturnValues": "ALL_NEW"}),
        ))
        .unwrap_err();
    assert_eq!(e.message(), "ReturnValues can only be ALL_OLD or NONE");
    let e = store
        .delete_item(req(
            json!({"TableName": "users", "Key": {"p": {"S": "a"}, "x": {"S": "b"}}}),
        ))
        .unwrap_err();
    assert_eq!(
        e.message(),
        "The provided key element does not match the schema"
    );
    store
        .put_item(req(
            json!({"TableName": "users", "Item": {"p": {"S": "a"}, "v": {"N": "1"}}}),
        ))
        .unwrap();
    let out = store
        .update_item(req(json!({"TableName": "users", "Key": {"p": {"S": "a"}},
            "UpdateExpression": "ADD v :one", "ExpressionAttributeValues": {":one": {"N": "1"}},
            "ReturnValues": "ALL_NEW"})))
        .unwrap();
    assert_eq!(
        out.attributes,
        Some(item(json!({"p": {"S": "a"}, "v": {"N": "2"}})))
    );
    let out = store
        .delete_item(req(
            json!({"TableName": "users", "Key": {"p": {"S": "a"}}, "ReturnValues": "ALL_OLD"}),
        ))
        .unwrap();
    assert_eq!(
        out.attributes,
        Some(item(json!({"p": {"S": "a"}, "v": {"N": "2"}})))
    );
    // Row 192: 409600 bytes are accepted, 409601 are not (p + "a" + v + the string).
    let exact = "x".repeat(409_600 - 3);
    store
        .put_item(req(
            json!({"TableName": "users", "Item": {"p": {"S": "a"}, "v": {"S": exact}}}),
        ))
        .unwrap();
    let over = "x".repeat(409_600 - 2);
    let e = store
        .put_item(req(
            json!({"TableName": "users", "Item": {"p": {"S": "a"}, "v": {"S": over}}}),
        ))
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Item size has exceeded the maximum allowed size"
    );
    // The 400 KB limit, for PutItem and for the result of an UpdateItem.
    let big = "x".repeat(400 * 1024);
    let e = store
        .put_item(req(
            json!({"TableName": "users", "Item": {"p": {"S": "a"}, "v": {"S": big}}}),
        ))
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Item size has exceeded the maximum allowed size"
    );
    let half = "x".repeat(210 * 1024);
    store
        .put_item(req(
            json!({"TableName": "users", "Item": {"p": {"S": "a"}, "v": {"S": half}}}),
        ))
        .unwrap();
    let e = store
        .update_item(req(json!({"TableName": "users", "Key": {"p": {"S": "a"}},
            "UpdateExpression": "SET w = v"})))
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Item size to update has exceeded the maximum allowed size"
    );
}

#[test]
fn rust_requests_read_like_the_docs() {
    let store = store();
    let key = |p: &str| -> Item {
        [("p".to_owned(), AttributeValue::s(p))]
            .into_iter()
            .collect()
    };
    let mut ann = key("ann");
    ann.insert("balance".into(), AttributeValue::n(10));
    store
        .put_item(PutItemInput::new("users", ann.clone()))
        .unwrap();
    store
        .put_item(
            PutItemInput::new("users", key("bob"))
                .with_condition("attribute_not_exists(#p)")
                .with_name("#p", "p"),
        )
        .unwrap();
    let transfer = TransactWriteItemsInput::new([
        TransactWriteItem::from(
            Update::new("users", key("ann"), "SET balance = balance - :x")
                .with_condition("balance >= :x")
                .with_value(":x", AttributeValue::n(4)),
        ),
        Update::new(
            "users",
            key("bob"),
            "SET balance = if_not_exists(balance, :zero) + :x",
        )
        .with_value(":x", AttributeValue::n(4))
        .with_value(":zero", AttributeValue::n(0))
        .into(),
        ConditionCheck::new("users", key("carl"), "attribute_not_exists(p)").into(),
    ])
    .with_client_request_token("transfer-1");
    store.transact_write_items(transfer.clone()).unwrap();
    store.transact_write_items(transfer).unwrap(); // a replay: applied once
    let out = store
        .transact_get_items(TransactGetItemsInput::new([
            Get::new("users", key("ann")),
            Get::new("users", key("bob")),
        ]))
        .unwrap();
    let balance = |i: usize| out.responses[i].item.as_ref().unwrap()["balance"].clone();
    assert_eq!(balance(0), AttributeValue::n(6));
    assert_eq!(balance(1), AttributeValue::n(4));
    let e = store
        .update_item(
            UpdateItemInput::new("users", key("ann"))
                .with_update("SET balance = :v")
                .with_condition("balance > :v")
                .with_value(":v", AttributeValue::n(100))
                .with_return_values_on_condition_check_failure("ALL_OLD"),
        )
        .unwrap_err();
    let Error::ConditionalCheckFailed {
        item: Some(old), ..
    } = e
    else {
        panic!("{e:?}")
    };
    assert_eq!(old["balance"], AttributeValue::n(6));
    let projected = store
        .get_item(GetItemInput::new("users", key("ann")).with_projection("balance"))
        .unwrap();
    assert_eq!(projected.item.unwrap().len(), 1);
    let _ = Put::new("users", ann);
}

#[test]
fn transact_get_of_one_item_twice_is_refused_and_the_item_stays_usable() {
    let store = store();
    store
        .put_item(req(
            json!({"TableName": "users", "Item": {"p": {"S": "u1"}}}),
        ))
        .unwrap();
    let other = store.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    // On a thread of its own, so that a deadlock fails the test instead of
    // hanging it.
    std::thread::spawn(move || {
        let twice = other.transact_get_items(req(json!({"TransactItems": [
            {"Get": {"TableName": "users", "Key": {"p": {"S": "u1"}}}},
            {"Get": {"TableName": "users", "Key": {"p": {"S": "u1"}}}}
        ]})));
        let _ = tx.send(twice.map(|_| ()));
    });
    let e = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("TransactGetItems answered")
        .unwrap_err();
    assert_eq!(
        (e.type_name(), e.message()),
        (
            "ValidationException",
            "Transaction request cannot include multiple operations on one item"
        )
    );
    assert!(get(&store, "users", json!({"p": {"S": "u1"}})).is_some());
}
