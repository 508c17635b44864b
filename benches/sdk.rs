//! The official AWS SDK for Rust against dynacond: PutItem and GetItem
//! through the in-process client (`dynacond::sdk::client`) beside the same
//! SDK configuration over HTTP to `dynacond serve` on a loopback port (the
//! SDK's own hyper client, keep-alive), in the same run, each on a store of
//! its own.
//!
//! Ratio to read: `sdk/<op>/over_http` over `sdk/<op>/in_process`; the
//! difference is the socket, HTTP framing and the server's runtime hop. Both
//! columns pay the SDK's own cost (building, signing and parsing the
//! request), and the same `block_on` per call on a current-thread runtime.
//! A third column, `sdk/<op>/dispatch_only`, sends the same request body to
//! `protocol::dispatch` without the SDK: dynacond's own share of the
//! in-process time. After the groups, a line per operation prints the
//! ratio measured in the same process.
//!
//! `cargo bench --features sdk,server --bench sdk`
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark setup may unwrap: a failure there should stop the run"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use criterion::{Criterion, criterion_group};
use dynacond::Store;
use dynacond::protocol::dispatch;
use dynacond::server::{RunningServer, Server};
use tokio::runtime::Runtime;

/// Keys the puts cycle through, so the table stays small.
const KEYS: u64 = 1000;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The two clients, each on a store holding the `bench` table with all
/// `KEYS` items; the server must outlive the HTTP client.
fn clients(runtime: &Runtime) -> (Client, Client, RunningServer) {
    let in_process = dynacond::sdk::client(&Store::new());
    let store = Store::new();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let over_http = Client::from_conf(
        dynacond::sdk::config_builder(&store)
            .endpoint_url(server.url())
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .build(),
    );
    for client in [&in_process, &over_http] {
        runtime.block_on(async {
            create_table(client).await;
            for key in 0..KEYS {
                put(client, key).await;
            }
        });
    }
    (in_process, over_http, server)
}

async fn create_table(client: &Client) {
    client
        .create_table()
        .table_name("bench")
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// A conditional put of a small item (a create or a checked overwrite).
async fn put(client: &Client, key: u64) {
    client
        .put_item()
        .table_name("bench")
        .item("pk", AttributeValue::S(format!("user#{key}")))
        .item("name", AttributeValue::S("Ada Lovelace".into()))
        .item("visits", AttributeValue::N(key.to_string()))
        .item("active", AttributeValue::Bool(true))
        .condition_expression("attribute_not_exists(pk) OR active = :t")
        .expression_attribute_values(":t", AttributeValue::Bool(true))
        .send()
        .await
        .unwrap();
}

async fn get(client: &Client, key: u64) {
    let item = client
        .get_item()
        .table_name("bench")
        .key("pk", AttributeValue::S(format!("user#{key}")))
        .send()
        .await
        .unwrap()
        .item;
    assert!(item.is_some());
}

fn bench(c: &mut Criterion) {
    let runtime = runtime();
    let (in_process, over_http, _server) = clients(&runtime);
    for (op, put_op) in [("put_item", true), ("get_item", false)] {
        let mut group = c.benchmark_group(format!("sdk/{op}"));
        for (name, client) in [("in_process", &in_process), ("over_http", &over_http)] {
            let mut key = 0u64;
            group.bench_function(name, |b| {
                b.iter(|| {
                    key = (key + 1) % KEYS;
                    runtime.block_on(call(client, put_op, black_box(key)));
                });
            });
        }
        let store = Store::new();
        runtime.block_on(create_table(&dynacond::sdk::client(&store)));
        for key in 0..KEYS {
            let (target, body) = request(true, key);
            dispatch(&store, Some(target), body.as_bytes());
        }
        let mut key = 0u64;
        group.bench_function("dispatch_only", |b| {
            b.iter(|| {
                key = (key + 1) % KEYS;
                let (target, body) = request(put_op, black_box(key));
                assert_eq!(dispatch(&store, Some(target), body.as_bytes()).status, 200);
            });
        });
        group.finish();
    }
    ratios(&runtime, &in_process, &over_http);
}

/// The target and body the SDK sends for [`put`] or [`get`].
fn request(put_op: bool, key: u64) -> (&'static str, String) {
    if put_op {
        let body = format!(
            r#"{{"TableName":"bench","Item":{{"pk":{{"S":"user#{key}"}},"name":{{"S":"Ada Lovelace"}},"visits":{{"N":"{key}"}},"active":{{"BOOL":true}}}},"ConditionExpression":"attribute_not_exists(pk) OR active = :t","ExpressionAttributeValues":{{":t":{{"BOOL":true}}}}}}"#
        );
        ("DynamoDB_20120810.PutItem", body)
    } else {
        let body = format!(r#"{{"TableName":"bench","Key":{{"pk":{{"S":"user#{key}"}}}}}}"#);
        ("DynamoDB_20120810.GetItem", body)
    }
}

async fn call(client: &Client, put_op: bool, key: u64) {
    if put_op {
        put(client, key).await;
    } else {
        get(client, key).await;
    }
}

/// The ratio line per operation: calls per second of each client over the
/// same stretch of time, measured one after the other.
fn ratios(runtime: &Runtime, in_process: &Client, over_http: &Client) {
    let rate = |client: &Client, put_op: bool| {
        let started = Instant::now();
        let mut calls = 0u64;
        while started.elapsed() < Duration::from_secs(1) {
            runtime.block_on(call(client, put_op, calls % KEYS));
            calls += 1;
        }
        calls as f64 / started.elapsed().as_secs_f64()
    };
    for (op, put_op) in [("PutItem", true), ("GetItem", false)] {
        let fast = rate(in_process, put_op);
        let slow = rate(over_http, put_op);
        println!(
            "sdk ratio {op}: in process {fast:.0}/s, over HTTP {slow:.0}/s: {:.1}x",
            fast / slow
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
