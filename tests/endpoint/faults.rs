//! Fault rules, readiness and fixtures on the endpoint: the control calls
//! over HTTP, injected errors with their statuses, latency that holds no
//! worker thread, `GET /dynacond/health`, and `dynacond serve --load` /
//! `--faults`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use dynacond::Store;
use dynacond::server::{RunningServer, Server};
use serde_json::{Value, json};

use crate::client::send;
use crate::server::{call, create_table};

fn start(store: &Store) -> RunningServer {
    Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap()
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

fn faults(addr: SocketAddr, method: &str, body: &str) -> (u16, Value) {
    let r = send(
        addr,
        method,
        "/dynacond/faults",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    (r.status, json(&r.body))
}

#[test]
fn rules_are_set_listed_fired_and_cleared_over_http() {
    let store = Store::new();
    let server = start(&store);
    let addr = server.local_addr();
    create_table(addr, "users");
    let (status, listed) = faults(
        addr,
        "POST",
        r#"{"rules": [
            {"operation": "PutItem", "table": "users",
             "error": "ProvisionedThroughputExceededException", "times": 2},
            {"operation": "GetItem", "error": "InternalServerError", "times": 1},
            {"operation": "DeleteItem", "error": "ServiceUnavailable", "times": 1}]}"#,
    );
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["rules"][0]["remaining"], 2);
    let item = json!({"TableName": "users", "Item": {"p": {"S": "a"}}});
    for _ in 0..2 {
        let r = call(addr, "PutItem", item.clone());
        assert_eq!(r.status, 400);
        assert_eq!(r.error_type(), "ProvisionedThroughputExceededException");
        assert_eq!(
            r.json()["__type"],
            "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"
        );
    }
    assert_eq!(store.table("users").unwrap().item_count(), 0);
    assert_eq!(call(addr, "PutItem", item).status, 200);
    let key = json!({"TableName": "users", "Key": {"p": {"S": "a"}}});
    let r = call(addr, "GetItem", key.clone());
    assert_eq!(
        (r.status, r.error_type().as_str()),
        (500, "InternalServerError")
    );
    let r = call(addr, "DeleteItem", key.clone());
    assert_eq!(
        (r.status, r.error_type().as_str()),
        (503, "ServiceUnavailable")
    );
    assert_eq!(store.table("users").unwrap().item_count(), 1);
    assert_eq!(call(addr, "GetItem", key).status, 200);

    let (status, listed) = faults(addr, "GET", "");
    assert_eq!(status, 200);
    let counts: Vec<(Value, Value)> = listed["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["remaining"].clone(), r["fired"].clone()))
        .collect();
    assert_eq!(
        counts,
        [
            (json!(0), json!(2)),
            (json!(0), json!(1)),
            (json!(0), json!(1))
        ]
    );

    // A bad set is a 400 that names the rule and changes nothing.
    let (status, error) = faults(
        addr,
        "POST",
        r#"{"rules": [{"error": "ThrottlingException"}, {"error": "Slow"}]}"#,
    );
    assert_eq!(status, 400);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("rules[1]: unknown error `Slow`"),
        "{error}"
    );
    assert_eq!(
        faults(addr, "GET", "").1["rules"].as_array().unwrap().len(),
        3
    );
    assert_eq!(faults(addr, "DELETE", ""), (200, json!({"rules": []})));
    server.shutdown().unwrap();
}

#[test]
fn latency_holds_no_worker_thread() {
    let store = Store::new();
    let server = start(&store);
    let addr = server.local_addr();
    create_table(addr, "slow");
    store
        .faults()
        .set(vec![
            dynacond::faults::FaultRule::latency(Duration::from_millis(1500))
                .operation("GetItem")
                .table("slow"),
        ])
        .unwrap();
    // More delayed requests than the runtime has worker threads (one per
    // core): were the waits blocking, they would queue behind each other
    // and hold every worker.
    let started = Instant::now();
    let slow: Vec<_> = (0..6)
        .map(|_| {
            std::thread::spawn(move || {
                call(
                    addr,
                    "GetItem",
                    json!({"TableName": "slow", "Key": {"p": {"S": "a"}}}),
                )
                .status
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let quick = Instant::now();
    assert_eq!(call(addr, "ListTables", json!({})).status, 200);
    assert!(
        quick.elapsed() < Duration::from_millis(1000),
        "{:?}",
        quick.elapsed()
    );
    for request in slow {
        assert_eq!(request.join().unwrap(), 200);
    }
    let all = started.elapsed();
    assert!(all >= Duration::from_millis(1500), "{all:?}");
    assert!(all < Duration::from_millis(2900), "{all:?}");
    server.shutdown().unwrap();
}

#[test]
fn health_is_503_until_the_store_is_ready() {
    let store = Store::new();
    store.set_ready(false);
    let server = start(&store);
    let addr = server.local_addr();
    let r = send(addr, "GET", "/dynacond/health", &[], b"");
    assert_eq!(
        (r.status, json(&r.body)),
        (503, json!({"status": "loading"}))
    );
    let r = call(addr, "ListTables", json!({}));
    assert_eq!(
        (r.status, r.error_type().as_str()),
        (503, "ServiceUnavailable")
    );
    // DynamoDB's own health line is about the process, not the data.
    assert_eq!(send(addr, "GET", "/", &[], b"").status, 200);
    store.set_ready(true);
    let r = send(addr, "GET", "/dynacond/health", &[], b"");
    assert_eq!((r.status, json(&r.body)), (200, json!({"status": "ready"})));
    assert_eq!(call(addr, "ListTables", json!({})).status, 200);
    server.shutdown().unwrap();
}

const FIXTURE: &str = r#"{"tables": [{"table": {"TableName": "users",
    "BillingMode": "PAY_PER_REQUEST",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]},
  "items": [{"id": {"S": "u1"}}, {"id": {"S": "u2"}}]}]}"#;

#[cfg(unix)]
#[test]
fn the_serve_command_loads_fixtures_and_rules_before_it_says_it_listens() {
    use std::process::{Command, Stdio};

    let folder = std::env::temp_dir().join(format!("dynacond-serve-load-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let fixture = folder.join("fixture.json");
    let rules = folder.join("rules.json");
    std::fs::write(&fixture, FIXTURE).unwrap();
    std::fs::write(
        &rules,
        r#"{"rules": [{"operation": "GetItem", "error": "ThrottlingException", "times": 1}]}"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dynacond"))
        .args(["serve", "--port", "0", "--faults"])
        .arg(&rules)
        .arg("--load")
        .arg(&fixture)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(send(addr, "GET", "/dynacond/health", &[], b"").status, 200);
    let key = json!({"TableName": "users", "Key": {"id": {"S": "u2"}}});
    assert_eq!(
        call(addr, "GetItem", key.clone()).error_type(),
        "ThrottlingException"
    );
    assert_eq!(call(addr, "GetItem", key).json()["Item"]["id"]["S"], "u2");
    child.kill().unwrap();
    child.wait().unwrap();

    // A bad fixture: exit code 2 and its position.
    std::fs::write(
        &fixture,
        FIXTURE.replace(r#"{"id": {"S": "u2"}}"#, r#"{"id": {"N": "2"}}"#),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dynacond"))
        .args(["serve", "--port", "0", "--load"])
        .arg(&fixture)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tables[0] (users), item 1 at line 5, column 34: One or more parameter values were invalid: Type mismatch for key id"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&folder).unwrap();
}
