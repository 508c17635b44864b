//! dynacond's control calls on the endpoint (paths under `/dynacond/`).

use dynacond::server::Server;
use dynacond::{Clock, Store};
use serde_json::Value;

use crate::client::send;
use crate::server::call;

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

#[test]
fn the_clock_is_driven_over_http_and_seen_by_the_operations() {
    let store = Store::builder()
        .clock(Clock::manual(1_700_000_000_000))
        .build()
        .unwrap();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    let r = send(addr, "GET", "/dynacond/clock", &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(json(&r.body)["now_millis"], 1_700_000_000_000_i64);
    let r = send(
        addr,
        "POST",
        "/dynacond/clock",
        &[("Content-Type", "application/json")],
        br#"{"advance_seconds": 3600}"#,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(store.clock().now_millis(), 1_700_003_600_000);
    // The store's operations read that clock.
    let created = call(
        addr,
        "CreateTable",
        serde_json::json!({
            "TableName": "clocked",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    );
    assert_eq!(created.status, 200);
    assert_eq!(
        json(&created.body)["TableDescription"]["CreationDateTime"],
        1_700_003_600.0
    );
    // Bad calls are refused and change nothing; unknown paths are 404.
    let r = send(
        addr,
        "POST",
        "/dynacond/clock",
        &[],
        br#"{"advance_seconds": -5}"#,
    );
    assert_eq!(r.status, 400);
    assert_eq!(store.clock().now_millis(), 1_700_003_600_000);
    assert_eq!(send(addr, "GET", "/dynacond/none", &[], b"").status, 404);
    assert_eq!(
        send(addr, "DELETE", "/dynacond/clock", &[], b"").status,
        405
    );
}
