//! Time to Live on the endpoint: UpdateTimeToLive and DescribeTimeToLive
//! over HTTP, the sweep control calls (`POST /dynacond/ttl/sweep`,
//! LocalStack's `DELETE /_aws/dynamodb/expired`), a background sweeper
//! beside a server, and the spec's TTL vectors (rows 51–68 but the stream
//! row 66) through the protocol layer.

use std::time::{Duration, Instant};

use dynacond::protocol::dispatch;
use dynacond::server::Server;
use dynacond::store::TtlSweeper;
use dynacond::{Clock, Store};
use serde_json::{Value, json};

use crate::client::send;
use crate::common::load_cases;
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

// ---------------------------------------------------------------------------
// The spec's TTL vectors (streams-ttl-tags.json, rows 51–68 of §9.5)

/// The name the placeholder table `t` is sent as (the vectors' README).
const TABLE: &str = "ttl_vec_t";

/// `${now}`, `${now+N}`, `${now-N}` in a string, at `now`.
fn substitute_text(text: &str, now: i64) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some((before, after)) = rest.split_once("${now") {
        out.push_str(before);
        let (offset, tail) = after.split_once('}').unwrap();
        let offset: i64 = if offset.is_empty() {
            0
        } else {
            offset.parse().unwrap()
        };
        out.push_str(&(now + offset).to_string());
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn substitute(value: &Value, now: i64) -> Value {
    match value {
        Value::String(s) => Value::String(substitute_text(s, now)),
        Value::Array(a) => Value::Array(a.iter().map(|v| substitute(v, now)).collect()),
        Value::Object(o) => {
            let mut out = serde_json::Map::new();
            for (k, v) in o {
                let v = if k == "TableName" && v == "t" {
                    Value::String(TABLE.into())
                } else {
                    substitute(v, now)
                };
                out.insert(k.clone(), v);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// `expect.match`: the members given, recursively; lists element by
/// element; `$unordered` as a multiset of patterns.
fn matches(pattern: &Value, actual: &Value) -> bool {
    match (pattern, actual) {
        (Value::Object(p), _) if p.len() == 1 && p.contains_key("$unordered") => {
            let (Some(patterns), Some(items)) = (p["$unordered"].as_array(), actual.as_array())
            else {
                return false;
            };
            let mut left: Vec<&Value> = items.iter().collect();
            patterns.len() == items.len()
                && patterns.iter().all(|pat| {
                    match left.iter().position(|item| matches(pat, item)) {
                        Some(i) => {
                            left.remove(i);
                            true
                        }
                        None => false,
                    }
                })
        }
        (Value::Object(p), Value::Object(a)) => p
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|got| matches(v, got))),
        (Value::Array(p), Value::Array(a)) => {
            p.len() == a.len() && p.iter().zip(a).all(|(p, a)| matches(p, a))
        }
        _ => pattern == actual,
    }
}

fn run_case(case: &Value) -> Result<(), String> {
    let requires: Vec<&str> = case["requires"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut builder = Store::builder().clock(Clock::manual(NOW * 1000));
    if requires.contains(&"ttl_cooldown") {
        builder = builder.ttl_cooldown(dynacond::store::DYNAMODB_TTL_COOLDOWN);
    }
    let store = builder.build().unwrap();
    let op = |name: &str, body: &Value| {
        let reply = dispatch(
            &store,
            Some(&format!("DynamoDB_20120810.{name}")),
            body.to_string().as_bytes(),
        );
        (
            reply.status,
            serde_json::from_slice::<Value>(&reply.body).unwrap(),
        )
    };
    let mut table = json!({"TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]});
    for member in [
        "KeySchema",
        "AttributeDefinitions",
        "GlobalSecondaryIndexes",
    ] {
        if let Some(v) = case.get(member) {
            table[member] = v.clone();
        }
    }
    let (status, body) = op("CreateTable", &table);
    if status != 200 {
        return Err(format!("CreateTable: {body}"));
    }
    let now = NOW;
    for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        match step["action"].as_str() {
            Some("advance_clock") => {
                let secs = step["seconds"].as_u64().unwrap();
                store.clock().advance(Duration::from_secs(secs));
                continue;
            }
            Some("ttl_sweep") => {
                store.sweep_expired();
                continue;
            }
            Some(other) => return Err(format!("step {i}: unknown action {other}")),
            None => {}
        }
        let name = step["operation"].as_str().unwrap();
        let (status, body) = op(name, &substitute(&step["request"], now));
        let expect = &step["expect"];
        let fail = |why: &str| Err(format!("step {i} ({name}): {why}: {status} {body}"));
        if let Some(kind) = expect.get("error").and_then(Value::as_str) {
            let got = body["__type"].as_str().unwrap_or("").rsplit('#').next();
            if status != 400 || got != Some(kind) {
                return fail(&format!("want {kind}"));
            }
            if let Some(m) = expect.get("message") {
                if body["message"] != *m {
                    return fail(&format!("want message {m}"));
                }
            }
            if let Some(m) = expect.get("message_contains").and_then(Value::as_str) {
                if !body["message"].as_str().unwrap_or("").contains(m) {
                    return fail(&format!("want a message containing {m}"));
                }
            }
        } else if status != 200 {
            return fail("want success");
        } else if let Some(want) = expect.get("response") {
            if body != substitute(want, now) {
                return fail(&format!("want {want}"));
            }
        } else if let Some(pattern) = expect.get("match") {
            if !matches(&substitute(pattern, now), &body) {
                return fail(&format!("want a match of {pattern}"));
            }
        }
    }
    Ok(())
}

#[test]
fn the_spec_ttl_vectors() {
    let cases: Vec<Value> = load_cases("streams-ttl-tags.json")
        .into_iter()
        .filter(|c| (51..=68).contains(&c["row"].as_i64().unwrap_or(0)))
        .collect();
    let mut ran = Vec::new();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        // Row 66 reads the stream's REMOVE record: the streams work's.
        if case.get("StreamSpecification").is_some() {
            continue;
        }
        ran.push(case["row"].as_i64().unwrap_or(0));
        if let Err(e) = run_case(case) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    ran.dedup();
    assert_eq!(
        ran,
        [
            51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 67, 68
        ]
    );
}
