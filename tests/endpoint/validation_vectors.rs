//! The spec's validation vectors (`validation.json`, validation.md §10)
//! through the protocol layer: every step that is an API call is sent with
//! `dynacond::protocol::dispatch` as `DynamoDB_20120810.<operation>` and the
//! request serialised verbatim as the body (members in the file's order), so
//! missing members, JSON nulls and bad enum strings reach the decoder exactly
//! as a client sends them.
//!
//! The rules are the vectors' README (`tests/data/spec/cases/README.md`):
//! - Each case gets a fresh [`Store`]; unless it says `"table": false`, table
//!   `t` is created first (case-level `KeySchema`/`AttributeDefinitions`,
//!   default `p` S hash key) and its `Items` stored, through dispatch too.
//! - Placeholder table names: `t` and `t2` are below DynamoDB's 3-character
//!   minimum, so [`TABLES`] gives the names sent instead, in every
//!   `TableName` member and as keys of `RequestItems`; replies are mapped
//!   back before comparing (messages, map keys, names, ARNs), and
//!   `message_regex` patterns are matched against the mapped-back message.
//! - Errors: `error` is the `__type` after `#`; `message` is compared
//!   exactly. This runner is strict: the README's optional
//!   `1 validation error detected: ` tolerance is *not* applied, because
//!   dynacond's default must produce the expected text exactly.
//!   `message_regex` must match the whole message (`.` matches newlines),
//!   `message_contains` is a substring. `CancellationReasons` (with an exact
//!   `Message`, `MessagePresent`, or no message) and `Item` must match.
//! - A failed step must leave the stored data unchanged: every table is
//!   listed and scanned before and after it.
//! - `response` is compared member for member, ignoring `ConsumedCapacity`
//!   and `ItemCollectionMetrics`; items compare as [`Item`]s (attribute
//!   order and set order free, numbers by value); `success` only asks for a
//!   200.
//!
//! HTTP steps belong to the server's tests. A case made only of HTTP steps
//! is skipped (and counted). In a case that mixes them with API steps, an
//! HTTP step is reduced to what reaches the protocol layer: a POST whose
//! expected status is 200 (its body decompressed, if the step compresses
//! it) is dispatched and must answer 200; a request the HTTP layer itself
//! rejects (a non-200 status with `compress` or a `Content-Encoding`
//! header) never reaches dispatch and is not sent; any other POST is
//! dispatched and its status and `json` members are checked.
//!
//! Every failing case is printed (name, step index, the request as the vector
//! writes it, expected, actual reply mapped back);
//! the test then fails listing their names, unless a case is in [`KNOWN`],
//! and also fails when a [`KNOWN`] case passes, so the list only shrinks.

use crate::common;

use dynacond::protocol::{TARGET_PREFIX, dispatch};
use dynacond::{Item, Store, wire};
use indexmap::IndexMap;
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// Cases that fail for a known, documented reason: (name, reason).
const KNOWN: &[(&str, &str)] = &[];

/// The vectors' placeholder table names and the names sent for them (valid
/// names that no vector uses). The longer sent name comes first, so a
/// message is mapped back name by name, longest match first.
const TABLES: &[(&str, &str)] = &[("t2", "tbl_t2"), ("t", "tbl_t")];

/// Reply members a `response` comparison ignores.
const IGNORED: &[&str] = &["ConsumedCapacity", "ItemCollectionMetrics"];

/// Reply members holding one item (or key), compared as [`Item`]s.
const ITEM_MEMBERS: &[&str] = &["Item", "Attributes", "LastEvaluatedKey"];

/// Longest request/reply text printed for a failure.
const SHOW: usize = 1200;

// ---------------------------------------------------------------------------
// Table names

fn sent_name(placeholder: &str) -> Option<&'static str> {
    TABLES
        .iter()
        .find(|(p, _)| *p == placeholder)
        .map(|(_, s)| *s)
}

fn placeholder_of(sent: &str) -> Option<&'static str> {
    TABLES.iter().find(|(_, s)| *s == sent).map(|(p, _)| *p)
}

/// A JSON value that keeps object members in document order, so a request
/// goes out with its members as the vectors wrote them (serde_json's `Value`
/// sorts them: `preserve_order` is not enabled, and enabling it for the tests
/// would change the library's own maps too).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub(crate) enum Ordered {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Ordered>),
    Object(IndexMap<String, Ordered>),
}

impl Ordered {
    pub(crate) fn get(&self, key: &str) -> Option<&Ordered> {
        match self {
            Ordered::Object(members) => members.get(key),
            _ => None,
        }
    }

    pub(crate) fn from_value(value: &Value) -> Ordered {
        serde_json::from_value(value.clone()).unwrap()
    }
}

/// Replaces the placeholders by the names sent: `TableName` members and the
/// keys of `RequestItems`, at any depth. Member order is kept.
pub(crate) fn map_request(value: &Ordered) -> Ordered {
    match value {
        Ordered::Object(members) => Ordered::Object(
            members
                .iter()
                .map(|(key, v)| {
                    let mapped = match (key.as_str(), v) {
                        ("TableName", Ordered::String(name)) => {
                            Ordered::String(sent_name(name).unwrap_or(name).to_owned())
                        }
                        ("RequestItems", Ordered::Object(tables)) => Ordered::Object(
                            tables
                                .iter()
                                .map(|(t, r)| {
                                    (sent_name(t).unwrap_or(t).to_owned(), map_request(r))
                                })
                                .collect(),
                        ),
                        _ => map_request(v),
                    };
                    (key.clone(), mapped)
                })
                .collect(),
        ),
        Ordered::Array(list) => Ordered::Array(list.iter().map(map_request).collect()),
        Ordered::String(text) if text.contains(":table/") => Ordered::String(map_arn(text)),
        other => other.clone(),
    }
}

/// An ARN naming a placeholder table (`...:table/t`, `...:table/t/stream/...`)
/// names the table sent instead.
pub(crate) fn map_arn(text: &str) -> String {
    let Some((head, rest)) = text.split_once(":table/") else {
        return text.to_owned();
    };
    let (name, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let name = sent_name(name).unwrap_or(name);
    format!("{head}:table/{name}{tail}")
}

/// Maps the names sent back to the placeholders inside a message.
fn unmap_text(text: &str) -> String {
    TABLES
        .iter()
        .fold(text.to_owned(), |acc, (p, s)| acc.replace(s, p))
}

/// Maps a reply back: map keys and strings that are a sent name, table ARNs
/// (`...:table/<name>...`) and error messages (`message`, `Message`).
pub(crate) fn unmap_reply(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| {
                    let key = placeholder_of(k).unwrap_or(k).to_owned();
                    let v = match (k.as_str(), v) {
                        ("message" | "Message", Value::String(m)) => json!(unmap_text(m)),
                        _ => unmap_reply(v),
                    };
                    (key, v)
                })
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.iter().map(unmap_reply).collect()),
        Value::String(s) => match placeholder_of(s) {
            Some(p) => json!(p),
            None if s.contains(":table/") => json!(unmap_text(s)),
            None => value.clone(),
        },
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------
// Calls

/// One reply: the status and the body, parsed and mapped back.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl Answer {
    pub(crate) fn show(&self) -> String {
        format!("{} {}", self.status, shorten(&self.body.to_string()))
    }

    /// The exception name after the namespace's `#`.
    fn error_type(&self) -> Option<&str> {
        let t = self.body.get("__type")?.as_str()?;
        Some(t.rsplit_once('#').map_or(t, |(_, name)| name))
    }
}

/// Sends a body (already mapped) to an operation.
fn send_raw(store: &Store, operation: &str, body: &[u8]) -> Answer {
    send_to(store, &format!("{TARGET_PREFIX}{operation}"), body)
}

/// Sends a body (already mapped) with this `X-Amz-Target`.
pub(crate) fn send_to(store: &Store, target: &str, body: &[u8]) -> Answer {
    let reply = dispatch(store, Some(target), body);
    let body = serde_json::from_slice(&reply.body).unwrap_or_else(
        |e| json!({"(not JSON)": format!("{e}: {}", String::from_utf8_lossy(&reply.body))}),
    );
    Answer {
        status: reply.status,
        body: unmap_reply(&body),
    }
}

/// Sends a request written with the placeholder names, members in order.
pub(crate) fn send(store: &Store, operation: &str, request: &Ordered) -> Answer {
    let body = serde_json::to_vec(&map_request(request)).unwrap();
    send_raw(store, operation, &body)
}

/// Sends a request the runner built itself (member order does not matter).
fn send_value(store: &Store, operation: &str, request: &Value) -> Answer {
    send(store, operation, &Ordered::from_value(request))
}

pub(crate) fn shorten(text: &str) -> String {
    if text.chars().count() <= SHOW {
        return text.to_owned();
    }
    let head: String = text.chars().take(SHOW).collect();
    format!("{head}... ({} characters)", text.chars().count())
}

pub(crate) fn item(value: &Value) -> Result<Item, String> {
    wire::from_value(value.clone()).map_err(|e| format!("not an item ({e}): {value}"))
}

// ---------------------------------------------------------------------------
// Set-up and the stored data

/// Creates table `t` and stores the case's items, unless `"table": false`.
pub(crate) fn set_up(store: &Store, case: &Value) -> Result<(), String> {
    if case.get("table") == Some(&json!(false)) {
        return Ok(());
    }
    let mut create = json!({
        "TableName": "t",
        "KeySchema": case.get("KeySchema").cloned()
            .unwrap_or_else(|| json!([{"AttributeName": "p", "KeyType": "HASH"}])),
        "AttributeDefinitions": case.get("AttributeDefinitions").cloned()
            .unwrap_or_else(|| json!([{"AttributeName": "p", "AttributeType": "S"}])),
        "BillingMode": "PAY_PER_REQUEST",
    });
    for member in [
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
        "BillingMode",
        "ProvisionedThroughput",
        "StreamSpecification",
        "Tags",
    ] {
        if let Some(v) = case.get(member) {
            create[member] = v.clone();
        }
    }
    let answer = send_value(store, "CreateTable", &create);
    if answer.status != 200 {
        return Err(format!("set-up CreateTable of t failed: {}", answer.show()));
    }
    let items = case.get("Items").and_then(Value::as_array);
    for item in items.into_iter().flatten().chain(case.get("Item")) {
        let answer = send_value(store, "PutItem", &json!({"TableName": "t", "Item": item}));
        if answer.status != 200 {
            return Err(format!("set-up PutItem {item} failed: {}", answer.show()));
        }
    }
    Ok(())
}

/// Every table (by its placeholder or real name) and all its items.
pub(crate) type Snapshot = Vec<(String, Vec<Item>)>;

/// Lists every table and scans each one (consistent reads, all pages).
pub(crate) fn snapshot(store: &Store) -> Result<Snapshot, String> {
    let mut names = Vec::new();
    let mut start: Option<Value> = None;
    loop {
        let mut request = json!({});
        if let Some(s) = start.take() {
            request["ExclusiveStartTableName"] = s;
        }
        let answer = send_raw(store, "ListTables", request.to_string().as_bytes());
        if answer.status != 200 {
            return Err(format!("ListTables failed: {}", answer.show()));
        }
        for name in answer.body["TableNames"].as_array().into_iter().flatten() {
            names.push(name.as_str().unwrap_or_default().to_owned());
        }
        match answer.body.get("LastEvaluatedTableName") {
            Some(last) => start = Some(json!(sent_name_or_same(last))),
            None => break,
        }
    }
    let mut tables = Vec::new();
    for name in names {
        let mut items = Vec::new();
        let mut start: Option<Value> = None;
        loop {
            let mut request = json!({"TableName": name, "ConsistentRead": true});
            if let Some(s) = start.take() {
                request["ExclusiveStartKey"] = s;
            }
            let answer = send_value(store, "Scan", &request);
            if answer.status != 200 {
                return Err(format!("Scan of {name} failed: {}", answer.show()));
            }
            for i in answer.body["Items"].as_array().into_iter().flatten() {
                items.push(item(i)?);
            }
            match answer.body.get("LastEvaluatedKey") {
                Some(last) => start = Some(last.clone()),
                None => break,
            }
        }
        tables.push((name, items));
    }
    Ok(tables)
}

fn sent_name_or_same(name: &Value) -> Value {
    match name.as_str().and_then(sent_name) {
        Some(sent) => json!(sent),
        None => name.clone(),
    }
}

/// Whether two lists of items hold the same items, in any order.
pub(crate) fn same_items(a: &[Item], b: &[Item]) -> bool {
    let mut rest: Vec<&Item> = b.iter().collect();
    a.len() == b.len()
        && a.iter().all(|x| match rest.iter().position(|y| *y == x) {
            Some(i) => {
                rest.swap_remove(i);
                true
            }
            None => false,
        })
}

pub(crate) fn snapshot_change(before: &Snapshot, after: &Snapshot) -> Option<String> {
    let names = |s: &Snapshot| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(before) != names(after) {
        return Some(format!(
            "a failed request changed the tables: {:?} before, {:?} after",
            names(before),
            names(after)
        ));
    }
    before
        .iter()
        .zip(after)
        .find(|((_, b), (_, a))| !same_items(b, a))
        .map(|((name, b), (_, a))| {
            format!("a failed request changed the items of {name}: {b:?} before, {a:?} after")
        })
}

// ---------------------------------------------------------------------------
// Comparisons

/// Compares an expected reply member (or the whole reply, `key` `None`)
/// with the actual one.
pub(crate) fn compare(
    path: &str,
    key: Option<&str>,
    want: &Value,
    got: &Value,
) -> Result<(), String> {
    let differ = || format!("{path}: want {want}, got {got}");
    match (key, want, got) {
        (Some(k), _, _) if ITEM_MEMBERS.contains(&k) => {
            (item(want)? == item(got)?).then_some(()).ok_or_else(differ)
        }
        (Some("Items"), Value::Array(w), Value::Array(g)) => {
            let items = |l: &[Value]| l.iter().map(item).collect::<Result<Vec<_>, _>>();
            (w.len() == g.len() && items(w)? == items(g)?)
                .then_some(())
                .ok_or_else(differ)
        }
        (Some("Responses"), Value::Object(w), Value::Object(g)) => {
            // BatchGetItem: table -> items, in no particular order.
            compare_keys(path, w, g)?;
            for (table, wl) in w {
                let list = |v: &Value| -> Result<Vec<Item>, String> {
                    v.as_array().ok_or_else(differ)?.iter().map(item).collect()
                };
                if !same_items(&list(wl)?, &list(&g[table])?) {
                    return Err(differ());
                }
            }
            Ok(())
        }
        (_, Value::Object(w), Value::Object(g)) => {
            compare_keys(path, w, g)?;
            w.iter()
                .filter(|(k, _)| !IGNORED.contains(&k.as_str()))
                .try_for_each(|(k, wv)| compare(&format!("{path}.{k}"), Some(k), wv, &g[k]))
        }
        (_, Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return Err(differ());
            }
            w.iter()
                .zip(g)
                .enumerate()
                .try_for_each(|(i, (wv, gv))| compare(&format!("{path}[{i}]"), key, wv, gv))
        }
        _ => (want == got).then_some(()).ok_or_else(differ),
    }
}

/// The two objects have the same members, `IGNORED` ones aside.
fn compare_keys(path: &str, w: &Map<String, Value>, g: &Map<String, Value>) -> Result<(), String> {
    let keys = |m: &Map<String, Value>| {
        let mut k: Vec<String> = m
            .keys()
            .filter(|k| !IGNORED.contains(&k.as_str()))
            .cloned()
            .collect();
        k.sort();
        k
    };
    if keys(w) == keys(g) {
        Ok(())
    } else {
        Err(format!("{path}: members {:?}, want {:?}", keys(g), keys(w)))
    }
}

/// Checks an error reply against `expect`.
pub(crate) fn error_mismatch(expect: &Value, answer: &Answer) -> Result<(), String> {
    let want_type = expect["error"].as_str().unwrap_or_default();
    if answer.status == 200 {
        return Err(format!("succeeded, want {want_type}"));
    }
    if answer.error_type() != Some(want_type) {
        return Err(format!(
            "type {:?}, want {want_type}",
            answer.error_type().unwrap_or("(none)")
        ));
    }
    let message = answer.body.get("message").and_then(Value::as_str);
    if let Some(exact) = expect.get("message").and_then(Value::as_str) {
        // The README's strict rule: the prefix is allowed only where DynamoDB
        // sends one, on a constraint-layer failure that a vector wrote bare.
        let constraint =
            exact.starts_with("Value ") && exact.contains(" failed to satisfy constraint: ");
        let prefixed = message.and_then(|m| m.strip_prefix("1 validation error detected: "));
        if message != Some(exact) && !(constraint && prefixed == Some(exact)) {
            return Err(format!(
                "message\n     got: {message:?}\n    want: {exact:?}"
            ));
        }
    }
    if let Some(pattern) = expect.get("message_regex").and_then(Value::as_str) {
        let regex = Regex::new(&format!(r"(?s)\A(?:{pattern})\z"))
            .map_err(|e| format!("bad message_regex {pattern:?}: {e}"))?;
        if !message.is_some_and(|m| regex.is_match(m)) {
            return Err(format!(
                "message\n     got: {message:?}\n    want a match of: {pattern:?}"
            ));
        }
    }
    if let Some(part) = expect.get("message_contains").and_then(Value::as_str) {
        if !message.is_some_and(|m| m.contains(part)) {
            return Err(format!(
                "message\n     got: {message:?}\n    want something containing: {part:?}"
            ));
        }
    }
    if let Some(want) = expect.get("Item") {
        let got = answer.body.get("Item").ok_or("no Item member")?;
        compare("Item", Some("Item"), want, got)?;
    }
    if let Some(want) = expect.get("CancellationReasons").and_then(Value::as_array) {
        reasons_mismatch(want, answer.body.get("CancellationReasons"))?;
    }
    Ok(())
}

fn reasons_mismatch(want: &[Value], got: Option<&Value>) -> Result<(), String> {
    let got = got
        .and_then(Value::as_array)
        .ok_or("no CancellationReasons list")?;
    if got.len() != want.len() {
        return Err(format!(
            "{} cancellation reasons, want {}: {}",
            got.len(),
            want.len(),
            Value::Array(got.clone())
        ));
    }
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        if g.get("Code") != w.get("Code") {
            return Err(format!("reason {i}: {g}, want {w}"));
        }
        let message = g.get("Message").and_then(Value::as_str);
        let message_ok = match (w.get("Message"), w.get("MessagePresent")) {
            (Some(m), _) => message == m.as_str(),
            (None, Some(present)) => message.is_some() == (present == &json!(true)),
            (None, None) => message.is_none(),
        };
        if !message_ok {
            return Err(format!("reason {i}: {g}, want {w}"));
        }
        match (w.get("Item"), g.get("Item")) {
            (None, None) => {}
            (Some(wi), Some(gi)) => compare(&format!("reason {i} Item"), Some("Item"), wi, gi)?,
            _ => return Err(format!("reason {i}: {g}, want {w}")),
        }
    }
    Ok(())
}

/// `response_subset`: every member given is in the reply with an equal
/// value (maps may hold more; lists compare element by element; numbers
/// numerically).
fn subset(path: &str, want: &Value, got: &Value) -> Result<(), String> {
    let differ = || format!("{path}: want {want}, got {got}");
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w.iter().try_for_each(|(k, wv)| {
            let gv = g
                .get(k)
                .ok_or_else(|| format!("{path}.{k}: missing, want {wv}"))?;
            subset(&format!("{path}.{k}"), wv, gv)
        }),
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => w
            .iter()
            .zip(g)
            .enumerate()
            .try_for_each(|(i, (wv, gv))| subset(&format!("{path}[{i}]"), wv, gv)),
        (Value::Number(w), Value::Number(g)) => {
            (w.as_f64() == g.as_f64()).then_some(()).ok_or_else(differ)
        }
        _ => (want == got).then_some(()).ok_or_else(differ),
    }
}

/// The member at a dotted path (numeric segments index lists).
fn at_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, segment| match v {
        Value::Array(list) => list.get(segment.parse::<usize>().ok()?),
        _ => v.get(segment),
    })
}

/// Checks a reply against a step's `expect`.
fn check(expect: &Value, answer: &Answer) -> Result<(), String> {
    for path in expect
        .get("present")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let path = path.as_str().unwrap_or_default();
        if at_path(&answer.body, path).is_none() {
            return Err(format!("{path}: missing from the reply"));
        }
    }
    for path in expect
        .get("absent")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let path = path.as_str().unwrap_or_default();
        if at_path(&answer.body, path).is_some() {
            return Err(format!("{path}: present in the reply"));
        }
    }
    if expect.get("error").is_some() {
        error_mismatch(expect, answer)
    } else if let Some(want) = expect.get("response") {
        if answer.status != 200 {
            return Err("failed, want a reply".into());
        }
        if expect.get("items_unordered") == Some(&json!(true)) {
            let (mut w, mut g) = (want.clone(), answer.body.clone());
            let (wi, gi) = (w["Items"].take(), g["Items"].take());
            compare("reply", None, &w, &g)?;
            let list = |v: &Value| -> Result<Vec<Item>, String> {
                v.as_array().into_iter().flatten().map(item).collect()
            };
            return same_items(&list(&wi)?, &list(&gi)?)
                .then_some(())
                .ok_or_else(|| format!("Items: want {wi}, got {gi}"));
        }
        compare("reply", None, want, &answer.body)
    } else if let Some(want) = expect.get("response_subset") {
        if answer.status != 200 {
            return Err("failed, want a reply".into());
        }
        subset("reply", want, &answer.body)
    } else if expect.get("success") == Some(&json!(true))
        || (expect.get("present").is_some() || expect.get("absent").is_some())
    {
        (answer.status == 200)
            .then_some(())
            .ok_or_else(|| "failed, want success".into())
    } else {
        Err(format!(
            "the runner does not know this expectation: {expect}"
        ))
    }
}

// ---------------------------------------------------------------------------
// Steps and cases

/// One failing step, as printed.
struct Failure {
    step: usize,
    request: String,
    expected: String,
    actual: String,
    why: String,
}

/// What the protocol layer sees of an HTTP step, if anything: the operation
/// and the mapped body.
fn reduce_http(http: &Value, ordered: &Ordered, expect: &Value) -> Option<(String, Vec<u8>)> {
    let target = http.get("target")?.as_str()?;
    if http.get("method").and_then(Value::as_str) != Some("POST") {
        return None;
    }
    let status = expect.get("status").and_then(Value::as_u64);
    let encoded = http.get("compress").is_some()
        || http
            .get("headers")
            .and_then(Value::as_object)
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("content-encoding")));
    if encoded && status != Some(200) {
        return None;
    }
    let body = match (
        ordered.get("body_json"),
        http.get("body").and_then(Value::as_str),
    ) {
        (Some(json), _) => serde_json::to_vec(&map_request(json)).unwrap(),
        (None, Some(text)) => text.as_bytes().to_vec(),
        (None, None) => Vec::new(),
    };
    Some((target.to_owned(), body))
}

#[derive(Default)]
struct Counts {
    http_sent: usize,
    http_not_sent: usize,
}

fn run_http_step(
    store: &Store,
    step: &Value,
    ordered: &Ordered,
    counts: &mut Counts,
) -> Result<(), Failure> {
    let (http, expect) = (&step["http"], &step["expect"]);
    let ordered_http = ordered.get("http").unwrap();
    let Some((operation, body)) = reduce_http(http, ordered_http, expect) else {
        counts.http_not_sent += 1;
        return Ok(());
    };
    counts.http_sent += 1;
    let answer = send_raw(store, &operation, &body);
    let mut why = Vec::new();
    if let Some(status) = expect.get("status").and_then(Value::as_u64) {
        if u64::from(answer.status) != status {
            why.push(format!("status {}, want {status}", answer.status));
        }
    }
    for (k, v) in expect
        .get("json")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if answer.body.get(k) != Some(v) {
            why.push(format!("{k}: {:?}, want {v}", answer.body.get(k)));
        }
    }
    if why.is_empty() {
        return Ok(());
    }
    Err(Failure {
        step: 0,
        request: format!(
            "HTTP {}",
            shorten(&serde_json::to_string(ordered_http).unwrap())
        ),
        expected: expect.to_string(),
        actual: answer.show(),
        why: why.join("; "),
    })
}

/// Runs one case; `ordered` is the same case with its members in order.
fn run_case(
    store: &Store,
    case: &Value,
    ordered: &Ordered,
    counts: &mut Counts,
) -> Result<(), Failure> {
    set_up(store, case).map_err(|why| Failure {
        step: 0,
        request: "(set-up)".into(),
        expected: "table t and its items".into(),
        actual: String::new(),
        why,
    })?;
    let Some(Ordered::Array(ordered_steps)) = ordered.get("steps") else {
        panic!("a case without steps: {case}");
    };
    let steps = case["steps"].as_array().unwrap();
    for (i, (step, ordered)) in steps.iter().zip(ordered_steps).enumerate() {
        if step.get("http").is_some() {
            run_http_step(store, step, ordered, counts).map_err(|f| Failure { step: i, ..f })?;
            continue;
        }
        let operation = step["operation"].as_str().unwrap();
        let (request, expect) = (ordered.get("request").unwrap(), &step["expect"]);
        let fails = expect.get("error").is_some();
        let before = if fails { Some(snapshot(store)) } else { None };
        let answer = send(store, operation, request);
        let mut outcome = check(expect, &answer);
        if outcome.is_ok() && step.get("wait_active") == Some(&json!(true)) {
            outcome = wait_active(store, request);
        }
        if let (Ok(()), Some(before)) = (&outcome, before) {
            outcome = match (before, snapshot(store)) {
                (Ok(b), Ok(a)) => snapshot_change(&b, &a).map_or(Ok(()), Err),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
        }
        outcome.map_err(|why| Failure {
            step: i,
            request: format!(
                "{operation} {}",
                shorten(&serde_json::to_string(request).unwrap())
            ),
            expected: shorten(&expect.to_string()),
            actual: answer.show(),
            why,
        })?;
    }
    Ok(())
}

/// A step's `wait_active` (cases README, indexes extension): polls
/// DescribeTable of the step's table until it is ACTIVE, every global index
/// ACTIVE without `Backfilling`, and no index DELETING.
fn wait_active(store: &Store, request: &Ordered) -> Result<(), String> {
    let Some(Ordered::String(name)) = request.get("TableName") else {
        return Err("wait_active on a step without TableName".into());
    };
    let describe = Ordered::from_value(&json!({"TableName": name}));
    let mut last = String::new();
    for _ in 0..50 {
        let answer = send(store, "DescribeTable", &describe);
        let table = &answer.body["Table"];
        let indexes = table["GlobalSecondaryIndexes"].as_array();
        let settled = indexes
            .into_iter()
            .flatten()
            .all(|i| i["IndexStatus"] == json!("ACTIVE") && i.get("Backfilling").is_none());
        if answer.status == 200 && table["TableStatus"] == json!("ACTIVE") && settled {
            return Ok(());
        }
        last = answer.show();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    Err(format!("the table did not become ACTIVE: {last}"))
}

fn is_api_step(step: &Value) -> bool {
    step.get("operation").is_some() && step.get("request").is_some()
}

#[test]
fn validation_vectors() {
    run_file("validation.json", KNOWN, 100);
}

/// Cases of indexes.json that fail for a known reason.
const KNOWN_INDEXES: &[(&str, &str)] = &[];

#[test]
fn index_vectors() {
    run_file("indexes.json", KNOWN_INDEXES, 1);
}

/// Runs every case of a vector file with API steps; fails listing the
/// failing cases that `known` does not excuse, and the excused ones that
/// pass.
fn run_file(file: &str, known: &[(&str, &str)], at_least: usize) {
    let cases = common::load_cases(file);
    let path = common::cases_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let ordered: Vec<Ordered> = serde_json::from_str(&text).unwrap();
    assert_eq!(ordered.len(), cases.len());
    let mut counts = Counts::default();
    let (mut ran, mut skipped) = (0, Vec::new());
    let (mut failing, mut known_failing, mut known_passing) = (Vec::new(), Vec::new(), Vec::new());
    for (case, ordered) in cases.iter().zip(&ordered) {
        let name = case["name"].as_str().unwrap();
        let steps = case["steps"].as_array().unwrap();
        if !steps.iter().any(is_api_step) {
            skipped.push(name);
            continue;
        }
        ran += 1;
        let excused = known.iter().find(|(n, _)| *n == name);
        match (run_case(&Store::new(), case, ordered, &mut counts), excused) {
            (Ok(()), None) => {}
            (Ok(()), Some(_)) => known_passing.push(name),
            (Err(_), Some((_, why))) => known_failing.push(format!("{name} ({why})")),
            (Err(f), None) => {
                eprintln!(
                    "FAIL {name} (row {}), step {}: {}\n  request:  {}\n  expected: {}\n  actual:   {}\n",
                    case["row"].as_str().unwrap_or("?"),
                    f.step,
                    f.why,
                    f.request,
                    f.expected,
                    f.actual
                );
                failing.push(name);
            }
        }
    }
    eprintln!(
        "{file}: {} cases, {ran} ran, {} skipped as HTTP-only ({}); \
         in mixed cases {} HTTP steps were dispatched and {} left to the HTTP layer; \
         {} failed, {} known failures ({})",
        cases.len(),
        skipped.len(),
        skipped.join(", "),
        counts.http_sent,
        counts.http_not_sent,
        failing.len(),
        known_failing.len(),
        known_failing.join(", ")
    );
    assert!(ran >= at_least, "only {ran} vectors of {file} ran");
    assert!(
        failing.is_empty() && known_passing.is_empty(),
        "{} of {ran} vectors of {file} failed: {}\n\
         listed as known but passing (remove them): {}",
        failing.len(),
        failing.join(", "),
        known_passing.join(", ")
    );
}

// ---------------------------------------------------------------------------
// The runner's own pieces

#[test]
fn the_runner_maps_table_names_both_ways() {
    let request: Ordered = serde_json::from_str(
        r#"{"TransactItems": [{"Put": {"TableName": "t2"}}, {"Get": {"TableName": "tab9"}}],
            "RequestItems": {"t2": {"Keys": [{"TableName": {"S": "t"}}]}, "tab9": {}},
            "TableName": "t", "Limit": 1.5}"#,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_string(&map_request(&request)).unwrap(),
        concat!(
            r#"{"TransactItems":[{"Put":{"TableName":"tbl_t2"}},{"Get":{"TableName":"tab9"}}],"#,
            r#""RequestItems":{"tbl_t2":{"Keys":[{"TableName":{"S":"t"}}]},"tab9":{}},"#,
            r#""TableName":"tbl_t","Limit":1.5}"#
        ),
        "names mapped, members kept in order"
    );
    let reply = json!({
        "message": "at 'requestItems.tbl_t.member.keys' and {tbl_t2=[...]}",
        "Responses": {"tbl_t": [], "tbl_t2": []},
        "TableNames": ["tab9", "tbl_t", "tbl_t2"],
        "TableArn": "arn:aws:dynamodb:local:000000000000:table/tbl_t2",
        "CancellationReasons": [{"Code": "ValidationError", "Message": "Table: tbl_t"}],
    });
    assert_eq!(
        unmap_reply(&reply),
        json!({
            "message": "at 'requestItems.t.member.keys' and {t2=[...]}",
            "Responses": {"t": [], "t2": []},
            "TableNames": ["tab9", "t", "t2"],
            "TableArn": "arn:aws:dynamodb:local:000000000000:table/t2",
            "CancellationReasons": [{"Code": "ValidationError", "Message": "Table: t"}],
        })
    );
}

#[test]
fn the_runner_compares_items_as_items() {
    let want = json!({"Items": [{"p": {"S": "k"}, "ns": {"NS": ["1", "2"]}}], "Count": 1});
    let got = json!({"Count": 1, "ConsumedCapacity": {"TableName": "t"},
        "Items": [{"ns": {"NS": ["2", "1"]}, "p": {"S": "k"}}]});
    assert_eq!(compare("reply", None, &want, &got), Ok(()));
    let fewer = json!({"Items": [], "Count": 1});
    assert!(compare("reply", None, &fewer, &got).is_err());
    let more = json!({"Items": want["Items"].clone(), "Count": 1, "ScannedCount": 1});
    assert!(compare("reply", None, &more, &got).is_err());
}

#[test]
fn the_runner_notices_a_changed_table() {
    let store = Store::new();
    set_up(&store, &json!({})).unwrap();
    let before = snapshot(&store).unwrap();
    assert_eq!(before, vec![("t".to_owned(), Vec::new())]);
    assert_eq!(snapshot_change(&before, &snapshot(&store).unwrap()), None);
    let put = send_value(
        &store,
        "PutItem",
        &json!({"TableName": "t", "Item": {"p": {"S": "k"}}}),
    );
    assert_eq!(put.status, 200, "{}", put.show());
    assert!(snapshot_change(&before, &snapshot(&store).unwrap()).is_some());
}
