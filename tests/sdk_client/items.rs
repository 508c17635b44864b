//! PutItem, GetItem, UpdateItem, DeleteItem, Query and Scan (with their
//! paginators), BatchWriteItem, BatchGetItem, TransactWriteItems,
//! TransactGetItems, UpdateTimeToLive and DescribeTimeToLive.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Get, KeysAndAttributes, Put, PutRequest, ReturnValue,
    Select, TimeToLiveSpecification, TimeToLiveStatus, TransactGetItem, TransactWriteItem, Update,
    WriteRequest,
};

use crate::support::{create_table, item, model, n, s};

/// An item with every value type.
fn every_type(pk: &str) -> HashMap<String, AttributeValue> {
    item([
        ("pk", s(pk)),
        ("n", n("1.50")),
        ("b", AttributeValue::B(Blob::new(vec![0, 1, 255]))),
        ("ss", AttributeValue::Ss(vec!["y".into(), "x".into()])),
        ("ns", AttributeValue::Ns(vec!["10".into(), "-1e2".into()])),
        (
            "bs",
            AttributeValue::Bs(vec![Blob::new(vec![2]), Blob::new(vec![1])]),
        ),
        ("flag", AttributeValue::Bool(true)),
        ("nothing", AttributeValue::Null(true)),
        ("list", AttributeValue::L(vec![s("a"), n("2")])),
        (
            "doc",
            AttributeValue::M(item([("k", s("v")), ("z", n("0"))])),
        ),
    ])
}

pub async fn item_operations(client: Client) {
    create_table(&client, "items", "pk", None).await;
    let first = every_type("a");

    // PutItem of a new item: no old attributes.
    let put = client
        .put_item()
        .table_name("items")
        .set_item(Some(first.clone()))
        .return_values(ReturnValue::AllOld)
        .send()
        .await
        .unwrap();
    assert_eq!(put.attributes, None);

    // GetItem: the item as stored (numbers canonical, sets in order).
    let got = client
        .get_item()
        .table_name("items")
        .key("pk", s("a"))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(model(&got), model(&first));
    assert_eq!(got["n"], n("1.5"));
    assert_eq!(
        got["ns"],
        AttributeValue::Ns(vec!["-100".into(), "10".into()])
    );

    // GetItem with a projection and a name placeholder.
    let projected = client
        .get_item()
        .table_name("items")
        .key("pk", s("a"))
        .projection_expression("#d.k, n")
        .expression_attribute_names("#d", "doc")
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(
        projected,
        item([
            ("doc", AttributeValue::M(item([("k", s("v"))]))),
            ("n", n("1.5"))
        ])
    );

    // UpdateItem: arithmetic, ADD to a set, REMOVE; UPDATED_NEW.
    let updated = client
        .update_item()
        .table_name("items")
        .key("pk", s("a"))
        .update_expression("SET n = n + :one ADD ss :z REMOVE nothing")
        .expression_attribute_values(":one", n("1"))
        .expression_attribute_values(":z", AttributeValue::Ss(vec!["z".into()]))
        .return_values(ReturnValue::UpdatedNew)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.attributes.unwrap(),
        item([
            ("n", n("2.5")),
            (
                "ss",
                AttributeValue::Ss(vec!["x".into(), "y".into(), "z".into()])
            ),
        ])
    );

    // PutItem over it: ALL_OLD gives the updated item.
    let replaced = client
        .put_item()
        .table_name("items")
        .set_item(Some(item([("pk", s("a")), ("v", n("2"))])))
        .return_values(ReturnValue::AllOld)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap();
    assert_eq!(replaced["n"], n("2.5"));
    assert!(!replaced.contains_key("nothing"));

    // DeleteItem with a condition that holds, ALL_OLD.
    let deleted = client
        .delete_item()
        .table_name("items")
        .key("pk", s("a"))
        .condition_expression("v = :v")
        .expression_attribute_values(":v", n("2"))
        .return_values(ReturnValue::AllOld)
        .send()
        .await
        .unwrap();
    assert_eq!(
        deleted.attributes.unwrap(),
        item([("pk", s("a")), ("v", n("2"))])
    );
    let after = client
        .get_item()
        .table_name("items")
        .key("pk", s("a"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.item, None);
}

pub async fn query_and_scan_paginators(client: Client) {
    create_table(&client, "events", "pk", Some("sk")).await;
    for user in ["u1", "u2"] {
        for i in 0..5 {
            client
                .put_item()
                .table_name("events")
                .set_item(Some(item([
                    ("pk", s(user)),
                    ("sk", n(&i.to_string())),
                    ("even", AttributeValue::Bool(i % 2 == 0)),
                ])))
                .send()
                .await
                .unwrap();
        }
    }
    let sort_keys = |items: &[HashMap<String, AttributeValue>]| -> Vec<String> {
        items
            .iter()
            .map(|i| i["sk"].as_n().unwrap().clone())
            .collect()
    };

    // One page: Limit and LastEvaluatedKey.
    let page = client
        .query()
        .table_name("events")
        .key_condition_expression("pk = :p")
        .expression_attribute_values(":p", s("u1"))
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(sort_keys(page.items()), ["0", "1"]);
    assert_eq!(
        page.last_evaluated_key().unwrap(),
        &item([("pk", s("u1")), ("sk", n("1"))])
    );

    // The paginator, backwards, from sk >= 1.
    let items: Vec<_> = client
        .query()
        .table_name("events")
        .key_condition_expression("pk = :p AND sk >= :lo")
        .expression_attribute_values(":p", s("u1"))
        .expression_attribute_values(":lo", n("1"))
        .scan_index_forward(false)
        .limit(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(sort_keys(&items), ["4", "3", "2", "1"]);

    // A filter and Select COUNT.
    let counted = client
        .query()
        .table_name("events")
        .key_condition_expression("pk = :p")
        .filter_expression("even = :t")
        .expression_attribute_values(":p", s("u2"))
        .expression_attribute_values(":t", AttributeValue::Bool(true))
        .select(Select::Count)
        .send()
        .await
        .unwrap();
    assert_eq!((counted.count(), counted.scanned_count()), (3, 5));
    assert!(counted.items.is_none());

    // Scan through pages of three.
    let scanned: Vec<_> = client
        .scan()
        .table_name("events")
        .limit(3)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(scanned.len(), 10);

    // A parallel scan: two segments cover the table once.
    let mut total = 0;
    for segment in 0..2 {
        let part: Vec<_> = client
            .scan()
            .table_name("events")
            .segment(segment)
            .total_segments(2)
            .filter_expression("even = :f")
            .expression_attribute_values(":f", AttributeValue::Bool(false))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .unwrap();
        total += part.len();
    }
    assert_eq!(total, 4);
}

pub async fn batch_operations(client: Client) {
    create_table(&client, "batch", "pk", None).await;
    let puts: Vec<WriteRequest> = (0..25)
        .map(|i| {
            WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(item([
                            ("pk", s(&format!("k{i:02}"))),
                            ("i", n(&i.to_string())),
                        ])))
                        .build()
                        .unwrap(),
                )
                .build()
        })
        .collect();
    let written = client
        .batch_write_item()
        .request_items("batch", puts)
        .send()
        .await
        .unwrap();
    assert!(written.unprocessed_items().is_none_or(HashMap::is_empty));

    let keys: Vec<_> = (0..25)
        .map(|i| item([("pk", s(&format!("k{i:02}")))]))
        .collect();
    let read = client
        .batch_get_item()
        .request_items(
            "batch",
            KeysAndAttributes::builder()
                .set_keys(Some(keys.clone()))
                .projection_expression("i")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let mut numbers: Vec<i64> = read.responses().unwrap()["batch"]
        .iter()
        .map(|i| i["i"].as_n().unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (0..25).collect::<Vec<_>>());
    assert!(read.unprocessed_keys().is_none_or(HashMap::is_empty));

    let deletes: Vec<WriteRequest> = keys
        .iter()
        .map(|key| {
            WriteRequest::builder()
                .delete_request(
                    aws_sdk_dynamodb::types::DeleteRequest::builder()
                        .set_key(Some(key.clone()))
                        .build()
                        .unwrap(),
                )
                .build()
        })
        .collect();
    client
        .batch_write_item()
        .request_items("batch", deletes)
        .send()
        .await
        .unwrap();
    let left = client.scan().table_name("batch").send().await.unwrap();
    assert_eq!(left.count(), 0);
}

pub async fn transactions(client: Client) {
    create_table(&client, "accounts", "pk", None).await;
    for (pk, balance) in [("a", "100"), ("b", "0"), ("gone", "1")] {
        client
            .put_item()
            .table_name("accounts")
            .set_item(Some(item([("pk", s(pk)), ("balance", n(balance))])))
            .send()
            .await
            .unwrap();
    }
    // A transfer, a condition check, a put and a delete, all or nothing.
    client
        .transact_write_items()
        .transact_items(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name("accounts")
                        .key("pk", s("a"))
                        .update_expression("SET balance = balance - :amount")
                        .condition_expression("balance >= :amount")
                        .expression_attribute_values(":amount", n("30"))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name("accounts")
                        .key("pk", s("b"))
                        .update_expression("ADD balance :amount")
                        .expression_attribute_values(":amount", n("30"))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name("accounts")
                        .set_item(Some(item([("pk", s("c")), ("balance", n("5"))])))
                        .condition_expression("attribute_not_exists(pk)")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name("accounts")
                        .key("pk", s("gone"))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    // A condition check alone is a valid action too.
    client
        .transact_write_items()
        .transact_items(
            TransactWriteItem::builder()
                .condition_check(
                    ConditionCheck::builder()
                        .table_name("accounts")
                        .key("pk", s("c"))
                        .condition_expression("attribute_exists(pk)")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();

    let got = client
        .transact_get_items()
        .set_transact_items(Some(
            ["a", "b", "c", "gone"]
                .into_iter()
                .map(|pk| {
                    TransactGetItem::builder()
                        .get(
                            Get::builder()
                                .table_name("accounts")
                                .key("pk", s(pk))
                                .build()
                                .unwrap(),
                        )
                        .build()
                })
                .collect(),
        ))
        .send()
        .await
        .unwrap();
    let balances: Vec<Option<&AttributeValue>> = got
        .responses()
        .iter()
        .map(|r| r.item().map(|i| &i["balance"]))
        .collect();
    assert_eq!(
        balances,
        [Some(&n("70")), Some(&n("30")), Some(&n("5")), None]
    );
}

pub async fn time_to_live(client: Client) {
    create_table(&client, "ttl", "pk", None).await;
    let before = client
        .describe_time_to_live()
        .table_name("ttl")
        .send()
        .await
        .unwrap();
    assert_eq!(
        before
            .time_to_live_description()
            .and_then(|d| d.time_to_live_status()),
        Some(&TimeToLiveStatus::Disabled)
    );
    let spec = TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name("expires")
        .build()
        .unwrap();
    let updated = client
        .update_time_to_live()
        .table_name("ttl")
        .time_to_live_specification(spec.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(updated.time_to_live_specification(), Some(&spec));
    let after = client
        .describe_time_to_live()
        .table_name("ttl")
        .send()
        .await
        .unwrap()
        .time_to_live_description
        .unwrap();
    assert_eq!(
        after.time_to_live_status(),
        Some(&TimeToLiveStatus::Enabled)
    );
    assert_eq!(after.attribute_name(), Some("expires"));
    // Enabling it again is DynamoDB's ValidationException.
    let again = client
        .update_time_to_live()
        .table_name("ttl")
        .time_to_live_specification(spec)
        .send()
        .await
        .unwrap_err();
    let again = again.into_service_error();
    assert_eq!(
        aws_sdk_dynamodb::error::ProvideErrorMetadata::code(&again),
        Some("ValidationException")
    );
    assert_eq!(
        aws_sdk_dynamodb::error::ProvideErrorMetadata::message(&again),
        Some("TimeToLive is already enabled")
    );
}
