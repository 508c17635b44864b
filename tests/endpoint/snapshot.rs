//! Snapshots, restores, resets and single fault rules over HTTP: the
//! control calls' answers, their limits and their errors.

use std::net::SocketAddr;

use dynacond::Store;
use dynacond::server::Server;
use dynacond::store::MAX_HELD_SNAPSHOTS;
use serde_json::{Value, json};

use crate::client::send;
use crate::server::{call, create_table};

fn control(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Value) {
    let r = send(
        addr,
        method,
        path,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    (
        r.status,
        serde_json::from_slice(&r.body).unwrap_or(Value::Null),
    )
}

fn count(addr: SocketAddr, table: &str) -> Value {
    let r = call(addr, "Scan", json!({"TableName": table, "Select": "COUNT"}));
    serde_json::from_slice::<Value>(&r.body).unwrap()["Count"].clone()
}

#[test]
fn snapshot_restore_reset_and_their_errors_over_http() {
    let store = Store::new();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    create_table(addr, "users");
    call(
        addr,
        "PutItem",
        json!({"TableName": "users", "Item": {"p": {"S": "a"}}}),
    );
    let (status, taken) = control(addr, "POST", "/dynacond/snapshot", "");
    assert_eq!(status, 200, "{taken}");
    let id = taken["snapshot"].as_str().unwrap().to_owned();
    call(
        addr,
        "PutItem",
        json!({"TableName": "users", "Item": {"p": {"S": "b"}}}),
    );
    assert_eq!(count(addr, "users"), 2);
    let (status, listed) = control(addr, "GET", "/dynacond/snapshot", "");
    assert_eq!(
        (status, listed),
        (
            200,
            json!({"snapshots": [{"snapshot": id, "tables": ["users"], "items": 1}]})
        )
    );
    let restore = json!({ "snapshot": id }).to_string();
    let (status, reply) = control(addr, "POST", "/dynacond/restore", &restore);
    assert_eq!((status, reply), (200, json!({ "snapshot": id })));
    assert_eq!(count(addr, "users"), 1);

    // Bad bodies and unknown ids: a 400 with DynamoDB's error shape, and
    // nothing changes.
    for bad in [
        "",
        "{",
        r#"{"snapshot": 1}"#,
        r#"{"snapshot": "snap-99"}"#,
        r#"{"snapshot": "x", "more": 1}"#,
    ] {
        let (status, reply) = control(addr, "POST", "/dynacond/restore", bad);
        assert_eq!(status, 400, "{bad}: {reply}");
        assert!(reply["message"].is_string(), "{reply}");
    }
    assert_eq!(count(addr, "users"), 1);
    assert_eq!(control(addr, "GET", "/dynacond/restore", "").0, 405);

    // The number held is capped; deleting one makes room.
    for _ in 1..MAX_HELD_SNAPSHOTS {
        assert_eq!(control(addr, "POST", "/dynacond/snapshot", "").0, 200);
    }
    let (status, full) = control(addr, "POST", "/dynacond/snapshot", "");
    assert_eq!(status, 400);
    assert!(
        full["__type"]
            .as_str()
            .unwrap()
            .ends_with("LimitExceededException"),
        "{full}"
    );
    let path = format!("/dynacond/snapshot/{id}");
    assert_eq!(control(addr, "DELETE", &path, "").0, 200);
    assert_eq!(control(addr, "DELETE", &path, "").0, 400);
    assert_eq!(control(addr, "POST", "/dynacond/restore", &restore).0, 400);
    assert_eq!(control(addr, "POST", "/dynacond/snapshot", "").0, 200);

    let (status, reply) = control(addr, "POST", "/dynacond/reset", "");
    assert_eq!((status, reply), (200, json!({})));
    let r = call(addr, "ListTables", json!({}));
    let tables: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(tables["TableNames"], json!([]));
}

#[test]
fn one_fault_rule_is_added_without_replacing_the_others() {
    let store = Store::new();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    create_table(addr, "users");
    let (status, _) = control(
        addr,
        "POST",
        "/dynacond/faults",
        r#"{"rules": [{"operation": "GetItem", "error": "InternalServerError", "times": 1}]}"#,
    );
    assert_eq!(status, 200);
    let (status, added) = control(
        addr,
        "POST",
        "/dynacond/faults/rules",
        r#"{"operation": "PutItem", "table": "users",
            "error": "ProvisionedThroughputExceededException", "times": 2}"#,
    );
    assert_eq!((status, added), (200, json!({"index": 1})));
    let (_, listed) = control(addr, "GET", "/dynacond/faults", "");
    assert_eq!(listed["rules"].as_array().unwrap().len(), 2);
    assert_eq!(listed["rules"][1]["remaining"], 2);
    let r = call(
        addr,
        "PutItem",
        json!({"TableName": "users", "Item": {"p": {"S": "a"}}}),
    );
    assert_eq!(r.error_type(), "ProvisionedThroughputExceededException");
    for bad in [r#"{"error": "Nope"}"#, r#"{"rules": []}"#, "{"] {
        let (status, _) = control(addr, "POST", "/dynacond/faults/rules", bad);
        assert_eq!(status, 400, "{bad}");
    }
    let (_, listed) = control(addr, "GET", "/dynacond/faults", "");
    assert_eq!(listed["rules"].as_array().unwrap().len(), 2);
}
