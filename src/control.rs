//! dynacond's own control calls: what a test drives that DynamoDB has no
//! operation for (the clock, TTL sweeps, fault rules, readiness).
//!
//! They are plain JSON over HTTP paths under `/dynacond/`, which cannot
//! collide with DynamoDB's API (every DynamoDB call is a `POST /` with an
//! `X-Amz-Target` header). Like [`crate::protocol`], this module knows
//! nothing of HTTP: a method, a path and a body in, a [`Reply`] out. Errors
//! use DynamoDB's error body (`__type`, `message`), so SDK-style clients and
//! humans read them alike.
//!
//! | Call | Body | Answer |
//! | --- | --- | --- |
//! | `GET /dynacond/clock` | | the clock (below) |
//! | `POST /dynacond/clock` | one of `{"advance_seconds": N}` (N ≥ 0, may have a fraction), `{"set_epoch_seconds": N}` (the clock becomes manual, standing at N), `{"manual": true}` (manual, standing at the current time), `{"system": true}` (back to the system clock) | the clock afterwards |
//! | `POST /dynacond/ttl/sweep` | ignored | `{"ExpiredItems": N}`: one TTL sweep at the clock's time ([`Store::sweep_expired`]) |
//! | `DELETE /_aws/dynamodb/expired` | ignored | the same sweep with LocalStack's path and answer, so tooling written for LocalStack works |
//! | `POST /dynacond/faults` | `{"rules": [rule, ...]}` ([`crate::faults::FaultRule`]) | replaces the fault rules; the list below. A bad rule is a 400 naming it, and changes nothing |
//! | `GET /dynacond/faults` | | `{"rules": [...]}`: each rule with `remaining` (firings left, `null` for no limit) and `fired` |
//! | `DELETE /dynacond/faults` | ignored | clears the rules: `{"rules": []}` |
//! | `GET /dynacond/requests` | | the last calls the endpoint served, oldest first (`server` feature; [`crate::server::request_log`]); `DELETE` empties the log |
//! | `POST /dynacond/faults/rules` | one rule | adds the rule after the others, keeping them: `{"index": i}`, its place in the list |
//! | `POST /dynacond/snapshot` | ignored | `{"snapshot": "snap-1"}`: takes and holds a snapshot of the store's data ([`Store::snapshot`]); at most [`MAX_HELD_SNAPSHOTS`](crate::store::MAX_HELD_SNAPSHOTS) are held (a 400 `LimitExceededException` beyond) |
//! | `GET /dynacond/snapshot` | | `{"snapshots": [{"snapshot": id, "tables": [...], "items": N}, ...]}`, oldest first |
//! | `DELETE /dynacond/snapshot/<id>` | ignored | forgets the snapshot: `{"snapshot": id}` |
//! | `POST /dynacond/restore` | `{"snapshot": id}` | puts the snapshot's data back ([`Store::restore`]), atomically for readers: `{"snapshot": id}` |
//! | `POST /dynacond/reset` | ignored | empties the store's data ([`Store::reset`]): `{}` |
//! | `GET /dynacond/health` | | 200 `{"status": "ready"}` once the store is ready (fixtures loaded), 503 `{"status": "loading"}` before ([`Store::set_ready`]) |
//! | `POST /dynacond/explain` | `{"Item"?, "TableName"?, "Key"?, "ConditionExpression"?, "UpdateExpression"?, "ExpressionAttributeNames"?, "ExpressionAttributeValues"?}`: the condition (and update) run against `Item`, or else the item at `Key` in `TableName` (none: no item) | `{"result": bool\|null, "tree": NODE\|null, "text": "...", "newItem": item\|null}` ([`crate::explain`]); `newItem` is the update's result when the condition held. Checked as UpdateItem checks its members (400 with DynamoDB's error body); nothing is written. Bodies up to [`MAX_EXPLAIN_BODY`] |
//!
//! A sweep runs on the request's thread and takes as long as a Scan of
//! every TTL-enabled table.
//!
//! The clock is answered as `{"now_seconds": 1700000000.5, "now_millis":
//! 1700000000500, "manual": false}`.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use crate::clock::MAX_MILLIS;
use crate::error::Error;
use crate::protocol::Reply;
use crate::store::Store;

/// The path prefix of every control call.
pub const CONTROL_PREFIX: &str = "/dynacond/";

/// The largest control-call body read.
pub const MAX_CONTROL_BODY: usize = 64 * 1024;

/// The largest body of the explain call (an item of DynamoDB's largest
/// size, in JSON, with room for the expressions and values).
pub const MAX_EXPLAIN_BODY: usize = 2 * 1024 * 1024;

/// The largest body read for a control call to `path`.
pub fn max_body(path: &str) -> usize {
    if path == "/dynacond/explain" {
        MAX_EXPLAIN_BODY
    } else {
        MAX_CONTROL_BODY
    }
}

/// LocalStack's path for a TTL sweep (`DELETE`), answered as LocalStack
/// answers it.
pub const LOCALSTACK_EXPIRED_PATH: &str = "/_aws/dynamodb/expired";

/// True when a request to `path` is a control call (whatever its method).
pub fn is_control_path(path: &str) -> bool {
    path.starts_with(CONTROL_PREFIX) || path == LOCALSTACK_EXPIRED_PATH
}

/// Answers a control call: `method` is the HTTP method (`GET`, `POST`,
/// ...), `path` the request path without query, `body` the request body.
/// An unknown path is 404, a known path with another method 405.
///
/// ```
/// use dynacond::{Clock, Store};
/// use dynacond::control::control;
///
/// let store = Store::builder().clock(Clock::manual(1_000_000)).build()?;
/// let reply = control(&store, "POST", "/dynacond/clock", br#"{"advance_seconds": 60}"#);
/// assert_eq!(reply.status, 200);
/// assert_eq!(store.clock().now_millis(), 1_060_000);
/// # Ok::<(), dynacond::Error>(())
/// ```
pub fn control(store: &Store, method: &str, path: &str, body: &[u8]) -> Reply {
    if path == LOCALSTACK_EXPIRED_PATH {
        return match method {
            "DELETE" => Reply::ok(sweep(store)),
            _ => not_allowed(),
        };
    }
    let result = match path.strip_prefix(CONTROL_PREFIX) {
        Some("clock") => match method {
            "GET" => Ok(clock_state(store)),
            "POST" => set_clock(store, body),
            _ => return not_allowed(),
        },
        Some("ttl/sweep") => match method {
            "POST" => return Reply::ok(sweep(store)),
            _ => return not_allowed(),
        },
        Some("faults") => match method {
            "GET" => Ok(fault_rules(store)),
            "POST" => set_faults(store, body),
            "DELETE" => {
                store.faults().clear();
                Ok(fault_rules(store))
            }
            _ => return not_allowed(),
        },
        #[cfg(feature = "server")]
        Some("requests") => match method {
            "GET" => Ok(store.inner.requests.to_json()),
            "DELETE" => {
                store.inner.requests.clear();
                Ok(store.inner.requests.to_json())
            }
            _ => return not_allowed(),
        },
        Some("explain") => match method {
            "POST" => store.explain_playground(body),
            _ => return not_allowed(),
        },
        Some("faults/rules") => match method {
            "POST" => add_fault(store, body),
            _ => return not_allowed(),
        },
        Some("snapshot") => match method {
            "POST" => store.hold_snapshot().map(|id| json!({ "snapshot": id })),
            "GET" => Ok(held_snapshots(store)),
            _ => return not_allowed(),
        },
        Some("restore") => match method {
            "POST" => restore(store, body),
            _ => return not_allowed(),
        },
        Some("reset") => match method {
            "POST" => store.reset().map(|()| json!({})),
            _ => return not_allowed(),
        },
        Some(other) if other.starts_with("snapshot/") => match method {
            "DELETE" => {
                let id = other.trim_start_matches("snapshot/");
                store.drop_snapshot(id).map(|()| json!({ "snapshot": id }))
            }
            _ => return not_allowed(),
        },
        Some("health") => match method {
            "GET" => return health(store),
            _ => return not_allowed(),
        },
        _ => return not_found(),
    };
    match result {
        Ok(value) => Reply::ok(serde_json::to_vec(&value).unwrap_or_default()),
        Err(e) => Reply::error(&e),
    }
}

/// One TTL sweep, answered as `{"ExpiredItems": N}`.
fn sweep(store: &Store) -> Vec<u8> {
    let expired = store.sweep_expired();
    serde_json::to_vec(&json!({ "ExpiredItems": expired })).unwrap_or_default()
}

/// The fault rules with their counts.
fn fault_rules(store: &Store) -> serde_json::Value {
    json!({ "rules": store.faults().list() })
}

fn set_faults(store: &Store, body: &[u8]) -> Result<serde_json::Value, Error> {
    if body.len() > MAX_CONTROL_BODY {
        return Err(Error::validation("The control call's body is too large"));
    }
    let set = crate::faults::RuleSet::parse(body)?;
    store.faults().set(set.rules)?;
    Ok(fault_rules(store))
}

/// `POST /dynacond/faults/rules`: one rule, appended.
fn add_fault(store: &Store, body: &[u8]) -> Result<serde_json::Value, Error> {
    if body.len() > MAX_CONTROL_BODY {
        return Err(Error::validation("The control call's body is too large"));
    }
    let rule: crate::faults::FaultRule = serde_json::from_slice(body)
        .map_err(|e| Error::validation(format!("Invalid fault rule: {e}")))?;
    let index = store.faults().push(rule)?;
    Ok(json!({ "index": index }))
}

/// The held snapshots.
fn held_snapshots(store: &Store) -> serde_json::Value {
    let held: Vec<serde_json::Value> = store
        .held_snapshots()
        .into_iter()
        .map(|(id, tables, items)| json!({"snapshot": id, "tables": tables, "items": items}))
        .collect();
    json!({ "snapshots": held })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RestoreRequest {
    snapshot: String,
}

/// `POST /dynacond/restore`: `{"snapshot": id}`.
fn restore(store: &Store, body: &[u8]) -> Result<serde_json::Value, Error> {
    if body.len() > MAX_CONTROL_BODY {
        return Err(Error::validation("The control call's body is too large"));
    }
    let request: RestoreRequest = serde_json::from_slice(body).map_err(|e| {
        Error::validation(format!(
            "Invalid restore: {e} (expected {{\"snapshot\": \"<id>\"}})"
        ))
    })?;
    let snapshot = store.held_snapshot(&request.snapshot)?;
    store.restore(&snapshot)?;
    Ok(json!({ "snapshot": request.snapshot }))
}

/// Readiness, for container health checks.
fn health(store: &Store) -> Reply {
    if store.is_ready() {
        Reply::ok(br#"{"status":"ready"}"#.to_vec())
    } else {
        Reply {
            status: 503,
            body: br#"{"status":"loading"}"#.to_vec(),
        }
    }
}

fn not_found() -> Reply {
    Reply::error_with_status(404, &Error::validation("No such dynacond control call"))
}

fn not_allowed() -> Reply {
    Reply::error_with_status(
        405,
        &Error::validation("This dynacond control call does not take this method"),
    )
}

fn clock_state(store: &Store) -> serde_json::Value {
    let clock = store.clock();
    let millis = clock.now_millis();
    json!({
        "now_seconds": millis as f64 / 1000.0,
        "now_millis": millis,
        "manual": clock.is_manual(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    advance_seconds: Option<f64>,
    set_epoch_seconds: Option<f64>,
    manual: Option<bool>,
    system: Option<bool>,
}

/// The largest number of seconds a clock call accepts.
const MAX_SECONDS: f64 = (MAX_MILLIS / 1000) as f64;

fn seconds(member: &str, value: f64) -> Result<f64, Error> {
    if value.is_finite() && (0.0..=MAX_SECONDS).contains(&value) {
        Ok(value)
    } else {
        Err(Error::validation(format!(
            "{member} must be a number of seconds from 0 to {MAX_SECONDS}"
        )))
    }
}

fn set_clock(store: &Store, body: &[u8]) -> Result<serde_json::Value, Error> {
    if body.len() > MAX_CONTROL_BODY {
        return Err(Error::validation("The control call's body is too large"));
    }
    let change: ClockChange = serde_json::from_slice(body)
        .map_err(|e| Error::validation(format!("Invalid clock change: {e}")))?;
    let given = [
        change.advance_seconds.is_some(),
        change.set_epoch_seconds.is_some(),
        change.manual == Some(true),
        change.system == Some(true),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(Error::validation(
            "Give exactly one of advance_seconds, set_epoch_seconds, manual: true, system: true",
        ));
    }
    let clock = store.clock();
    if let Some(by) = change.advance_seconds {
        let by = seconds("advance_seconds", by)?;
        clock.advance(Duration::from_secs_f64(by));
    } else if let Some(at) = change.set_epoch_seconds {
        let at = seconds("set_epoch_seconds", at)?;
        clock.set_millis((at * 1000.0).round() as i64);
    } else if change.manual == Some(true) {
        clock.set_millis(clock.now_millis());
    } else {
        clock.use_system();
    }
    Ok(clock_state(store))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;

    fn store() -> Store {
        Store::builder()
            .clock(Clock::manual(10_000))
            .build()
            .unwrap_or_default()
    }

    fn body(reply: &Reply) -> serde_json::Value {
        serde_json::from_slice(&reply.body).unwrap_or_default()
    }

    #[test]
    fn the_clock_is_read_advanced_set_and_released() {
        let store = store();
        let reply = control(&store, "GET", "/dynacond/clock", b"");
        assert_eq!(reply.status, 200);
        assert_eq!(
            body(&reply),
            json!({"now_seconds": 10.0, "now_millis": 10_000, "manual": true})
        );
        let reply = control(
            &store,
            "POST",
            "/dynacond/clock",
            br#"{"advance_seconds": 1.5}"#,
        );
        assert_eq!(body(&reply)["now_millis"], 11_500);
        let reply = control(
            &store,
            "POST",
            "/dynacond/clock",
            br#"{"set_epoch_seconds": 3}"#,
        );
        assert_eq!(body(&reply)["now_millis"], 3_000);
        let reply = control(&store, "POST", "/dynacond/clock", br#"{"system": true}"#);
        assert_eq!(body(&reply)["manual"], false);
        let reply = control(&store, "POST", "/dynacond/clock", br#"{"manual": true}"#);
        assert_eq!(body(&reply)["manual"], true);
    }

    #[test]
    fn bad_clock_calls_are_refused_and_change_nothing() {
        let store = store();
        for bad in [
            &br#"{}"#[..],
            br#"{"advance_seconds": -1}"#,
            br#"{"advance_seconds": 1e300}"#,
            br#"{"advance_seconds": 1, "system": true}"#,
            br#"{"advance": 1}"#,
            br#"{"set_epoch_seconds": "x"}"#,
            b"not json",
        ] {
            let reply = control(&store, "POST", "/dynacond/clock", bad);
            assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(bad));
            assert_eq!(store.clock().now_millis(), 10_000);
        }
        assert_eq!(control(&store, "PUT", "/dynacond/clock", b"").status, 405);
        assert_eq!(control(&store, "GET", "/dynacond/nothing", b"").status, 404);
        assert_eq!(control(&store, "GET", "/elsewhere", b"").status, 404);
    }

    #[test]
    fn fault_rules_are_set_listed_and_cleared() {
        let store = store();
        let reply = control(
            &store,
            "POST",
            "/dynacond/faults",
            br#"{"rules": [{"operation": "PutItem", "table": "users",
                "error": "ProvisionedThroughputExceededException", "times": 2}]}"#,
        );
        assert_eq!(reply.status, 200);
        let listed = body(&control(&store, "GET", "/dynacond/faults", b""));
        assert_eq!(
            listed,
            json!({"rules": [{"operation": "PutItem", "table": "users",
                "error": "ProvisionedThroughputExceededException", "times": 2,
                "remaining": 2, "fired": 0}]})
        );
        for bad in [
            &br#"{"rules": [{"error": "Nope"}]}"#[..],
            br#"{"rules": [{"times": 1}]}"#,
            br#"{"rule": []}"#,
            b"{",
        ] {
            let reply = control(&store, "POST", "/dynacond/faults", bad);
            assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(bad));
            assert_eq!(store.faults().list().len(), 1);
        }
        let reply = control(&store, "DELETE", "/dynacond/faults", b"");
        assert_eq!(body(&reply), json!({"rules": []}));
        assert!(store.faults().list().is_empty());
        assert_eq!(control(&store, "PUT", "/dynacond/faults", b"").status, 405);
    }

    #[test]
    fn health_follows_readiness() {
        let store = store();
        let reply = control(&store, "GET", "/dynacond/health", b"");
        assert_eq!(
            (reply.status, body(&reply)),
            (200, json!({"status": "ready"}))
        );
        store.set_ready(false);
        let reply = control(&store, "GET", "/dynacond/health", b"");
        assert_eq!(
            (reply.status, body(&reply)),
            (503, json!({"status": "loading"}))
        );
        assert_eq!(control(&store, "POST", "/dynacond/health", b"").status, 405);
    }

    #[test]
    fn ttl_sweeps_on_both_paths() {
        let store = store();
        assert!(is_control_path("/_aws/dynamodb/expired"));
        assert!(!is_control_path("/_aws/dynamodb/expired/x"));
        for (method, path) in [
            ("POST", "/dynacond/ttl/sweep"),
            ("DELETE", "/_aws/dynamodb/expired"),
        ] {
            let reply = control(&store, method, path, b"");
            assert_eq!(reply.status, 200);
            assert_eq!(body(&reply), json!({"ExpiredItems": 0}));
        }
        assert_eq!(
            control(&store, "GET", "/dynacond/ttl/sweep", b"").status,
            405
        );
        assert_eq!(
            control(&store, "POST", "/_aws/dynamodb/expired", b"").status,
            405
        );
        assert_eq!(control(&store, "POST", "/dynacond/ttl", b"").status, 404);
    }
}
