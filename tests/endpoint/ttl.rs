//! Time to Live on the endpoint: UpdateTimeToLive and DescribeTimeToLive
//! over HTTP, the sweep control calls (`POST /dynacond/ttl/sweep`,
//! LocalStack's `DELETE /_aws/dynamodb/expired`), a background sweeper
//! beside a server. The spec's TTL vectors run with the other
//! streams/TTL/tags vectors in `stt_vectors.rs`.

use std::time::{Duration, Instant};

use dynacond::server::Server;
use dynacond::store::TtlSweeper;
use dynacond::{Clock, Store};
use serde_json::json;

use crate::client::send;
use crate::server::{Response, call};

const NOW: i64 = 1_700_000_000;

fn manual_store() -> Store {
    Store::builder()
        .clock(Clock::manual(NOW * 1000))
        .build()
        .unwrap()
}

fn create_table(addr: std::net::SocketAddr, name: &str) {
    let r = call(
        addr,
        "CreateTable",
        json!({"TableName": name,
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"}),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

fn put(addr: std::net::SocketAddr, p: &str, exp: i64) {
    let r = call(
        addr,
        "PutItem",
        json!({"TableName": "sessions", "Item": {"p": {"S": p}, "exp": {"N": exp.to_string()}}}),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

fn exists(addr: std::net::SocketAddr, p: &str) -> bool {
    let r = call(
        addr,
        "GetItem",
        json!({"TableName": "sessions", "Key": {"p": {"S": p}}, "ConsistentRead": true}),
    );
    assert_eq!(r.status, 200);
    r.json().get("Item").is_some()
}

fn control(addr: std::net::SocketAddr, method: &str, path: &str, body: &[u8]) -> Response {
    send(
        addr,
        method,
        path,
        &[("Content-Type", "application/json")],
        body,
    )
}

#[test]
fn the_operations_over_http() {
    let server = Server::bind("127.0.0.1:0", manual_store())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    create_table(addr, "sessions");
    let r = call(addr, "DescribeTimeToLive", json!({"TableName": "sessions"}));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        br#"{"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}}"#
    );
    let enable = json!({"TableName": "sessions",
        "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}});
    let r = call(addr, "UpdateTimeToLive", enable.clone());
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}})
    );
    let r = call(addr, "DescribeTimeToLive", json!({"TableName": "sessions"}));
    assert_eq!(
        r.json(),
        json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}})
    );
    // Errors, with DynamoDB's types and namespaces.
    let r = call(addr, "UpdateTimeToLive", enable);
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"__type": "com.amazon.coral.validate#ValidationException",
            "message": "TimeToLive is already enabled"})
    );
    let r = call(addr, "DescribeTimeToLive", json!({"TableName": "nosuch"}));
    assert_eq!(
        r.json(),
        json!({"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
            "message": "Requested resource not found: Table: nosuch not found"})
    );
    let r = call(
        addr,
        "UpdateTimeToLive",
        json!({"TableName": "sessions",
            "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": "dog"}}),
    );
    assert_eq!(
        (r.status, r.error_type().as_str()),
        (400, "SerializationException")
    );
    let r = call(
        addr,
        "UpdateTimeToLive",
        json!({"TableName": "sessions", "TimeToLiveSpecification": {"Enabled": false}}),
    );
    assert_eq!(
        r.json()["message"],
        "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn both_sweep_calls_delete_what_the_clock_has_passed() {
    let store = manual_store();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    create_table(addr, "sessions");
    let r = call(
        addr,
        "UpdateTimeToLive",
        json!({"TableName": "sessions",
            "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}}),
    );
    assert_eq!(r.status, 200);
    put(addr, "a", NOW + 60);
    put(addr, "b", NOW + 120);
    put(addr, "c", NOW - 10);
    // Expired but not swept: still there.
    assert!(exists(addr, "c"));
    let r = control(addr, "POST", "/dynacond/ttl/sweep", b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"ExpiredItems": 1}));
    assert!(!exists(addr, "c"));
    // Move the clock over HTTP, then sweep LocalStack's way.
    let r = control(
        addr,
        "POST",
        "/dynacond/clock",
        br#"{"advance_seconds": 61}"#,
    );
    assert_eq!(r.status, 200);
    assert!(exists(addr, "a"));
    let r = control(addr, "DELETE", "/_aws/dynamodb/expired", b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json(), json!({"ExpiredItems": 1}));
    assert!(!exists(addr, "a"));
    assert!(exists(addr, "b"));
    let r = control(addr, "POST", "/dynacond/ttl/sweep", b"{}");
    assert_eq!(r.json(), json!({"ExpiredItems": 0}));
    // Other methods are refused; nothing else under /_aws/ is a control call.
    assert_eq!(control(addr, "GET", "/dynacond/ttl/sweep", b"").status, 405);
    assert_eq!(
        control(addr, "POST", "/_aws/dynamodb/expired", b"").status,
        405
    );
    let r = control(addr, "DELETE", "/_aws/other", b"");
    assert_eq!(r.error_type(), "UnknownOperationException");
}

#[test]
fn a_background_sweeper_beside_the_server() {
    let store = manual_store();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let sweeper = TtlSweeper::spawn(store.clone(), Duration::from_millis(10)).unwrap();
    let addr = server.local_addr();
    create_table(addr, "sessions");
    store
        .update_time_to_live(dynacond::api::UpdateTimeToLiveInput::enable(
            "sessions", "exp",
        ))
        .unwrap();
    put(addr, "a", NOW + 60);
    std::thread::sleep(Duration::from_millis(50));
    assert!(exists(addr, "a"));
    control(
        addr,
        "POST",
        "/dynacond/clock",
        br#"{"advance_seconds": 61}"#,
    );
    let start = Instant::now();
    while exists(addr, "a") && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!exists(addr, "a"));
    sweeper.stop();
    server.shutdown().unwrap();
}
