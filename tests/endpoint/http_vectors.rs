//! Runs the spec's HTTP vectors (`tests/data/spec/cases/validation.json`,
//! rows `H…`: every case with an `http` step) against a live endpoint, one
//! fresh server per case.
//!
//! The format is `tests/data/spec/cases/README.md`, section "Validation
//! vectors". Each case starts with an empty table `t` (key `p`, S); as `t` is
//! shorter than CreateTable's 3-character minimum, the table is created as
//! `tbl` and every `TableName: "t"` of a JSON request body is sent as `tbl`
//! (raw `body` text is sent as written). Some of these cases check what an
//! HTTP step stored with an API step (`GetItem`); this runner sends those
//! over the same endpoint and supports the expectations they use
//! (`response`, `error`, `message`, `success`). The API-operation cases
//! (no `http` step) have a runner of their own. Anything in a step this
//! runner does not understand fails the case rather than being skipped.

use std::collections::BTreeSet;
use std::net::SocketAddr;

use serde_json::{Value, json};

use crate::client::{gzip, send, zlib};
use crate::server::{Response, call, create_table, start};

/// The name the vectors' table `t` gets.
const TABLE: &str = "tbl";

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/spec/cases/validation.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn steps(case: &Value) -> &[Value] {
    case["steps"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn has_http_step(case: &Value) -> bool {
    steps(case).iter().any(|s| s.get("http").is_some())
}

/// `TableName: "t"` anywhere in a request becomes the real table's name,
/// and so do `t` keys of table-keyed maps (`RequestItems`).
fn rename_tables(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if key == "TableName" && member == "t" {
                    *member = Value::from(TABLE);
                } else {
                    if key == "RequestItems" {
                        if let Some(items) = member.as_object_mut() {
                            if let Some(entry) = items.remove("t") {
                                items.insert(TABLE.to_owned(), entry);
                            }
                        }
                    }
                    rename_tables(member);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(rename_tables),
        _ => {}
    }
}

/// The members of `object` outside `known`, as an error.
fn only(object: &Value, known: &[&str], what: &str) -> Result<(), String> {
    let unknown: Vec<&String> = object
        .as_object()
        .map(|m| m.keys().filter(|k| !known.contains(&k.as_str())).collect())
        .unwrap_or_default();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{what} has members this runner does not know: {unknown:?}"
        ))
    }
}

fn shown(r: &Response) -> String {
    format!("{} {}", r.status, String::from_utf8_lossy(&r.body))
}

/// Sends an `http` step and checks its `expect`.
fn http_step(addr: SocketAddr, step: &Value) -> Result<(), String> {
    let http = &step["http"];
    only(
        http,
        &[
            "method",
            "path",
            "target",
            "headers",
            "body",
            "body_json",
            "compress",
        ],
        "http",
    )?;
    let method = http["method"].as_str().ok_or("http.method is missing")?;
    let path = http["path"].as_str().unwrap_or("/");
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(target) = http["target"].as_str() {
        headers.push(("X-Amz-Target".into(), format!("DynamoDB_20120810.{target}")));
    }
    let given = http["headers"].as_object().cloned().unwrap_or_default();
    if !given.keys().any(|k| k.eq_ignore_ascii_case("content-type")) {
        headers.push(("Content-Type".into(), "application/x-amz-json-1.0".into()));
    }
    for (name, value) in &given {
        let value = value.as_str().ok_or(format!("header {name} is not text"))?;
        headers.push((name.clone(), value.to_owned()));
    }
    let mut body = match (&http["body"], &http["body_json"]) {
        (Value::String(text), Value::Null) => text.clone().into_bytes(),
        (Value::Null, Value::Null) => Vec::new(),
        (Value::Null, json) => {
            let mut json = json.clone();
            rename_tables(&mut json);
            json.to_string().into_bytes()
        }
        _ => return Err("http has both body and body_json".into()),
    };
    match http["compress"].as_str() {
        None => {}
        Some("gzip") => {
            body = gzip(&body);
            headers.push(("Content-Encoding".into(), "gzip".into()));
        }
        Some("deflate") => {
            body = zlib(&body);
            headers.push(("Content-Encoding".into(), "deflate".into()));
        }
        Some(other) => return Err(format!("unknown compress {other:?}")),
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let r = send(addr, method, path, &headers, &body);
    check_http(&r, &step["expect"])
}

fn check_http(r: &Response, expect: &Value) -> Result<(), String> {
    only(
        expect,
        &["status", "headers", "json", "json_absent", "body"],
        "expect",
    )?;
    let mut problems = Vec::new();
    if let Some(status) = expect["status"].as_u64() {
        if u64::from(r.status) != status {
            problems.push(format!("status {} instead of {status}", r.status));
        }
    }
    for (name, want) in expect["headers"].as_object().into_iter().flatten() {
        let got = r.header(name);
        let fine = match want {
            Value::String(text) => got == Some(text.as_str()),
            Value::Bool(present) => got.is_some() == *present,
            _ => {
                return Err(format!(
                    "expect.headers.{name} is neither text nor a boolean"
                ));
            }
        };
        if !fine {
            problems.push(format!("header {name}: {got:?}, expected {want}"));
        }
    }
    let needs_json = !expect["json"].is_null() || !expect["json_absent"].is_null();
    let json: Value = if needs_json {
        serde_json::from_slice(&r.body)
            .map_err(|e| format!("body is not JSON ({e}): {}", shown(r)))?
    } else {
        Value::Null
    };
    for (member, want) in expect["json"].as_object().into_iter().flatten() {
        if json.get(member) != Some(want) {
            problems.push(format!(
                "member {member}: {:?}, expected {want}",
                json.get(member)
            ));
        }
    }
    for member in expect["json_absent"].as_array().into_iter().flatten() {
        let member = member.as_str().ok_or("json_absent holds a non-string")?;
        if json.get(member).is_some() {
            problems.push(format!("member {member} is present"));
        }
    }
    if let Some(body) = expect["body"].as_str() {
        if r.body != body.as_bytes() {
            problems.push(format!(
                "body {:?}, expected {body:?}",
                String::from_utf8_lossy(&r.body)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} ({})", problems.join("; "), shown(r)))
    }
}

/// Sends an API step over the endpoint and checks its `expect`.
fn operation_step(addr: SocketAddr, step: &Value) -> Result<(), String> {
    only(step, &["operation", "request", "expect"], "step")?;
    let operation = step["operation"].as_str().ok_or("operation is missing")?;
    let mut request = step["request"].clone();
    rename_tables(&mut request);
    let r = call(addr, operation, request);
    let expect = &step["expect"];
    only(
        expect,
        &["response", "error", "message", "success"],
        "expect",
    )?;
    if let Some(want) = expect.get("response") {
        if r.status != 200 {
            return Err(format!("failed: {}", shown(&r)));
        }
        let mut got = r.json();
        if let Some(map) = got.as_object_mut() {
            map.remove("ConsumedCapacity");
            map.remove("ItemCollectionMetrics");
        }
        if got != *want {
            return Err(format!("response {got}, expected {want}"));
        }
    } else if let Some(error) = expect["error"].as_str() {
        if r.status == 200 || r.error_type() != error {
            return Err(format!("expected {error}: {}", shown(&r)));
        }
        if let Some(message) = expect["message"].as_str() {
            let got = r.json()["message"].clone();
            if got != message {
                return Err(format!("message {got}, expected {message:?}"));
            }
        }
    } else if expect["success"] == json!(true) {
        if r.status != 200 {
            return Err(format!("failed: {}", shown(&r)));
        }
    } else {
        return Err(format!("expect {expect} is not supported by this runner"));
    }
    Ok(())
}

fn run_case(case: &Value) -> Result<(), String> {
    only(case, &["name", "row", "evidence", "steps"], "case")?;
    let server = start();
    let addr = server.local_addr();
    create_table(addr, TABLE);
    for (i, step) in steps(case).iter().enumerate() {
        let outcome = if step.get("http").is_some() {
            only(step, &["http", "expect"], "step").and_then(|()| http_step(addr, step))
        } else {
            operation_step(addr, step)
        };
        outcome.map_err(|e| format!("step {}: {e}", i + 1))?;
    }
    Ok(())
}

#[test]
fn every_http_vector_passes() {
    let cases = cases();
    let http_cases: Vec<&Value> = cases.iter().filter(|c| has_http_step(c)).collect();
    let mut failures = Vec::new();
    for case in &http_cases {
        let name = case["name"].as_str().unwrap_or("?");
        if let Err(e) = run_case(case) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} HTTP vectors fail:\n  {}",
        failures.len(),
        http_cases.len(),
        failures.join("\n  ")
    );
    // Every H row of the spec is among them (none is hidden as an API case).
    let rows = |cases: &mut dyn Iterator<Item = &Value>| -> BTreeSet<String> {
        cases
            .filter_map(|c| c["row"].as_str())
            .filter(|r| r.starts_with('H'))
            .map(str::to_owned)
            .collect()
    };
    let all_h = rows(&mut cases.iter());
    assert_eq!(rows(&mut http_cases.iter().copied()), all_h);
    assert!(all_h.len() >= 11, "{all_h:?}");
}

#[test]
fn table_names_are_renamed_only_where_they_name_the_table() {
    let mut request = json!({"TableName": "t", "Item": {"TableName": {"S": "t"}, "t": {"S": "t"}},
        "RequestItems": {"t": [{"TableName": "t"}], "other": []}});
    rename_tables(&mut request);
    assert_eq!(
        request,
        json!({"TableName": "tbl", "Item": {"TableName": {"S": "t"}, "t": {"S": "t"}},
            "RequestItems": {"tbl": [{"TableName": "tbl"}], "other": []}})
    );
}
