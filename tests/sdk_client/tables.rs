//! CreateTable, DescribeTable, ListTables (and its paginator), UpdateTable,
//! DeleteTable, and the table waiters.

use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::client::Waiters as _;
use aws_sdk_dynamodb::types::{
    BillingMode, GlobalSecondaryIndex, KeyType, Projection, ProjectionType, ProvisionedThroughput,
    ScalarAttributeType, TableStatus,
};

use crate::support::{create_table, definition, key};

pub async fn table_lifecycle(client: Client) {
    let created = create_table(&client, "table1", "pk", Some("sk")).await;
    let description = created.table_description.unwrap();
    assert_eq!(description.table_name(), Some("table1"));
    assert_eq!(description.key_schema().len(), 2);
    let arn = description.table_arn().unwrap();
    assert_eq!(
        arn,
        format!(
            "arn:aws:dynamodb:{}:{}:table/table1",
            dynacond::store::DEFAULT_REGION,
            dynacond::store::DEFAULT_ACCOUNT_ID
        )
    );

    let table = client
        .describe_table()
        .table_name("table1")
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    assert_eq!(table.table_status(), Some(&TableStatus::Active));
    assert_eq!(
        table.billing_mode_summary().and_then(|b| b.billing_mode()),
        Some(&BillingMode::PayPerRequest)
    );
    assert_eq!(table.item_count(), Some(0));

    // UpdateTable: to provisioned capacity, and a new global index.
    let updated = client
        .update_table()
        .table_name("table1")
        .billing_mode(BillingMode::Provisioned)
        .provisioned_throughput(throughput(5, 7))
        .send()
        .await
        .unwrap();
    // The reply shows the table UPDATING with the units before the change,
    // as DynamoDB's does; DescribeTable shows the new ones.
    let reply = updated.table_description.unwrap();
    assert_eq!(reply.table_status(), Some(&TableStatus::Updating));
    let units = |t: &aws_sdk_dynamodb::types::TableDescription| {
        let p = t.provisioned_throughput().unwrap();
        (p.read_capacity_units(), p.write_capacity_units())
    };
    assert_eq!(units(&reply), (Some(0), Some(0)));
    let table = client
        .describe_table()
        .table_name("table1")
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    assert_eq!(units(&table), (Some(5), Some(7)));
    client
        .update_table()
        .table_name("table1")
        .attribute_definitions(definition("owner", ScalarAttributeType::S))
        .global_secondary_index_updates(
            aws_sdk_dynamodb::types::GlobalSecondaryIndexUpdate::builder()
                .create(
                    aws_sdk_dynamodb::types::CreateGlobalSecondaryIndexAction::builder()
                        .index_name("by_owner")
                        .key_schema(key("owner", KeyType::Hash))
                        .projection(
                            Projection::builder()
                                .projection_type(ProjectionType::KeysOnly)
                                .build(),
                        )
                        .provisioned_throughput(throughput(1, 1))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let table = client
        .describe_table()
        .table_name("table1")
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    let indexes = table.global_secondary_indexes();
    assert_eq!(indexes.len(), 1);
    assert_eq!(indexes[0].index_name(), Some("by_owner"));

    let deleted = client
        .delete_table()
        .table_name("table1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        deleted.table_description.unwrap().table_name(),
        Some("table1")
    );
    let gone = client
        .describe_table()
        .table_name("table1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(gone.is_resource_not_found_exception(), "{gone:?}");
}

/// CreateTable with a global index from the start, as the SDK builds it.
pub async fn table_with_global_index(client: &Client, name: &str) {
    client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key("pk", KeyType::Hash))
        .attribute_definitions(definition("pk", ScalarAttributeType::S))
        .attribute_definitions(definition("owner", ScalarAttributeType::S))
        .global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name("by_owner")
                .key_schema(key("owner", KeyType::Hash))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

fn throughput(read: i64, write: i64) -> ProvisionedThroughput {
    ProvisionedThroughput::builder()
        .read_capacity_units(read)
        .write_capacity_units(write)
        .build()
        .unwrap()
}

pub async fn list_tables_paginator(client: Client) {
    for name in ["tab_c", "tab_a", "tab_b", "tab_d", "tab_e"] {
        create_table(&client, name, "pk", None).await;
    }
    // One page of two, then the rest.
    let page = client.list_tables().limit(2).send().await.unwrap();
    assert_eq!(page.table_names(), ["tab_a", "tab_b"]);
    assert_eq!(page.last_evaluated_table_name(), Some("tab_b"));

    // The paginator follows LastEvaluatedTableName through pages of one.
    let pages: Vec<_> = client
        .list_tables()
        .limit(1)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert!(pages.len() >= 5, "{pages:?}");
    let names: Vec<String> = client
        .list_tables()
        .limit(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(names, ["tab_a", "tab_b", "tab_c", "tab_d", "tab_e"]);
}

pub async fn waiters(client: Client) {
    // A table that exists (and is ACTIVE at once in dynacond).
    table_with_global_index(&client, "waited").await;
    let waited = client
        .wait_until_table_exists()
        .table_name("waited")
        .wait(Duration::from_secs(10))
        .await
        .unwrap();
    let table = waited.into_result().unwrap().table.unwrap();
    assert_eq!(table.table_status(), Some(&TableStatus::Active));
    assert_eq!(table.global_secondary_indexes().len(), 1);

    client
        .delete_table()
        .table_name("waited")
        .send()
        .await
        .unwrap();
    client
        .wait_until_table_not_exists()
        .table_name("waited")
        .wait(Duration::from_secs(10))
        .await
        .unwrap();

    // A table that never comes: the waiter gives up after its maximum wait.
    let never = client
        .wait_until_table_exists()
        .table_name("never")
        .wait(Duration::from_millis(200))
        .await;
    assert!(never.is_err());
}
