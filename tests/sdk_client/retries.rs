//! The SDK's retry logic against fault rules: a throttling error with
//! `times: 2` is retried by the client's standard retry mode (3 attempts)
//! and the call succeeds once the rule runs out; with `times: 3` the
//! attempts run out first and the error reaches the caller, with nothing
//! written. In process and over HTTP.

use aws_sdk_dynamodb::Client;
use dynacond::Store;
use dynacond::faults::FaultRule;
use dynacond::server::{RunningServer, Server};

use crate::support::{create_table, item, s};

/// A client of `store` over HTTP (the server must outlive it).
fn over_http(store: &Store) -> (Client, RunningServer) {
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let config = dynacond::sdk::config_builder(store)
        .endpoint_url(server.url())
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build();
    (Client::from_conf(config), server)
}

async fn throttling_is_retried_until_the_rule_runs_out(store: Store, client: Client) {
    create_table(&client, "retried", "p", None).await;
    store
        .faults()
        .set(vec![
            FaultRule::error("ProvisionedThroughputExceededException")
                .operation("PutItem")
                .table("retried")
                .times(2),
        ])
        .unwrap();
    client
        .put_item()
        .table_name("retried")
        .set_item(Some(item([("p", s("a"))])))
        .send()
        .await
        .unwrap();
    // Two attempts were refused (the rule ran out), the third wrote.
    let status = &store.faults().list()[0];
    assert_eq!((status.remaining, status.fired), (Some(0), 2));
    assert_eq!(store.table("retried").unwrap().item_count(), 1);

    // Three refusals outlast the client's three attempts.
    store
        .faults()
        .set(vec![
            FaultRule::error("ProvisionedThroughputExceededException")
                .operation("PutItem")
                .times(3),
        ])
        .unwrap();
    let err = client
        .put_item()
        .table_name("retried")
        .set_item(Some(item([("p", s("b"))])))
        .send()
        .await
        .unwrap_err();
    assert!(
        err.into_service_error()
            .is_provisioned_throughput_exceeded_exception()
    );
    let status = &store.faults().list()[0];
    assert_eq!((status.remaining, status.fired), (Some(0), 3));
    assert_eq!(store.table("retried").unwrap().item_count(), 1);
}

#[tokio::test]
async fn in_process_retries() {
    let store = Store::new();
    let client = dynacond::sdk::client(&store);
    throttling_is_retried_until_the_rule_runs_out(store, client).await;
}

#[tokio::test]
async fn over_http_retries() {
    let store = Store::new();
    let (client, _server) = over_http(&store);
    throttling_is_retried_until_the_rule_runs_out(store, client).await;
}
