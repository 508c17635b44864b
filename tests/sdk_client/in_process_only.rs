//! What only the in-process client has: the store itself beside it.

use aws_sdk_dynamodb::types::AttributeValue;
use dynacond::{Store, wire};

use crate::support::{create_table, item, n, s};

#[tokio::test]
async fn the_client_and_the_store_see_the_same_data() {
    let store = Store::new();
    let client = dynacond::sdk::client(&store);
    create_table(&client, "shared", "pk", None).await;
    client
        .put_item()
        .table_name("shared")
        .set_item(Some(item([("pk", s("from-sdk")), ("n", n("01.0"))])))
        .send()
        .await
        .unwrap();
    store
        .put_item(
            wire::from_str(
                r#"{"TableName": "shared", "Item": {"pk": {"S": "from-store"}, "n": {"N": "2"}}}"#,
            )
            .unwrap(),
        )
        .unwrap();

    let from_store = store.table("shared").unwrap().items();
    assert!(from_store.contains(
        &wire::item_from_json(br#"{"pk": {"S": "from-sdk"}, "n": {"N": "1"}}"#).unwrap()
    ));
    let got = client
        .get_item()
        .table_name("shared")
        .key("pk", s("from-store"))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(got, item([("pk", s("from-store")), ("n", n("2"))]));

    // A second client of the same store, and a clone of the first.
    let other = dynacond::sdk::client(&store);
    let count = other
        .scan()
        .table_name("shared")
        .send()
        .await
        .unwrap()
        .count();
    assert_eq!(count, 2);
    assert_eq!(
        client
            .clone()
            .list_tables()
            .send()
            .await
            .unwrap()
            .table_names(),
        ["shared"]
    );
    // A client of another store sees nothing.
    let elsewhere = dynacond::sdk::client(&Store::new());
    assert!(
        elsewhere
            .list_tables()
            .send()
            .await
            .unwrap()
            .table_names()
            .is_empty()
    );
}

#[tokio::test]
async fn the_region_is_the_stores() {
    let store = Store::builder().region("eu-west-3").build().unwrap();
    let client = dynacond::sdk::client(&store);
    assert_eq!(
        client.config().region().map(|r| r.as_ref()),
        Some("eu-west-3")
    );
    let created = create_table(&client, "regional", "pk", None).await;
    let arn = created.table_description.unwrap().table_arn.unwrap();
    assert!(arn.starts_with("arn:aws:dynamodb:eu-west-3:"), "{arn}");
}

/// Writers on several tokio worker threads, each through its own clone of
/// one client: every increment lands once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_through_one_client() {
    let store = Store::new();
    let client = dynacond::sdk::client(&store);
    create_table(&client, "counters", "pk", None).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..25 {
                    client
                        .update_item()
                        .table_name("counters")
                        .key("pk", s("c"))
                        .update_expression("ADD hits :one")
                        .expression_attribute_values(":one", n("1"))
                        .send()
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let item = client
        .get_item()
        .table_name("counters")
        .key("pk", s("c"))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(item["hits"], AttributeValue::N("200".into()));
}

/// A request the store refuses at the HTTP layer, as the endpoint does: a
/// body over the 16 MiB limit is HTTP 413 without running anything.
#[tokio::test]
async fn a_body_over_the_limit_is_refused_before_it_runs() {
    let store = Store::new();
    let client = dynacond::sdk::client(&store);
    create_table(&client, "big", "pk", None).await;
    let error = client
        .put_item()
        .table_name("big")
        .set_item(Some(item([
            ("pk", s("a")),
            ("v", s(&"x".repeat(17 * 1024 * 1024))),
        ])))
        .send()
        .await
        .unwrap_err();
    let raw = error.raw_response().unwrap();
    assert_eq!(raw.status().as_u16(), 413);
    assert_eq!(store.table("big").unwrap().item_count(), 0);
}
