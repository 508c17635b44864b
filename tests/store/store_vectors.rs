//! The spec's item-level vectors run through the store: `items.json` (and
//! `numbers.json`'s step cases) as DynamoDB API requests, `conditions.json`
//! as DeleteItem, PutItem and UpdateItem calls and `updates.json` as
//! UpdateItem calls, so the store path is shown to agree with the expression
//! engine.

use crate::common;

use common::{Report, data_dir, error_mismatch, load_case_file, load_cases};
use dynacond::{CancellationReason, Error, Item, Store, wire};
use serde_json::{Value, json};

/// Cases that fail for a known, documented reason (README, known differences).
const KNOWN: &[(&str, &str)] = &[];

fn to_json<T: serde::Serialize>(value: T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))
}

/// The vectors name their table `t`, which DynamoDB's 3-character minimum
/// rejects; the harness uses this name instead.
const TABLE: &str = "tbl";

/// Renames the vectors' table `t` to [`TABLE`] in every `TableName` member.
fn rename_table(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "TableName" && v == "t" {
                    *v = json!(TABLE);
                } else {
                    rename_table(v);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(rename_table),
        _ => {}
    }
}

/// Runs one API call given as DynamoDB JSON.
pub fn run(store: &Store, operation: &str, mut request: Value) -> Result<Value, Error> {
    rename_table(&mut request);
    match operation {
        "PutItem" => to_json(store.put_item(wire::from_value(request)?)?),
        "GetItem" => to_json(store.get_item(wire::from_value(request)?)?),
        "UpdateItem" => to_json(store.update_item(wire::from_value(request)?)?),
        "DeleteItem" => to_json(store.delete_item(wire::from_value(request)?)?),
        "TransactWriteItems" => to_json(store.transact_write_items(wire::from_value(request)?)?),
        "TransactGetItems" => to_json(store.transact_get_items(wire::from_value(request)?)?),
        "CreateTable" => to_json(store.create_table(wire::from_value(request)?)?),
        "Query" => to_json(store.query(wire::from_value(request)?)?),
        "Scan" => to_json(store.scan(wire::from_value(request)?)?),
        other => Err(Error::Internal(format!("unsupported operation {other}"))),
    }
}

fn new_store(case: &Value) -> Store {
    let store = Store::new();
    let schema = case
        .get("KeySchema")
        .cloned()
        .unwrap_or_else(|| json!([{"AttributeName": "p", "KeyType": "HASH"}]));
    let defs = case
        .get("AttributeDefinitions")
        .cloned()
        .unwrap_or_else(|| json!([{"AttributeName": "p", "AttributeType": "S"}]));
    run(
        &store,
        "CreateTable",
        json!({"TableName": "t", "KeySchema": schema, "AttributeDefinitions": defs}),
    )
    .unwrap();
    let mut items: Vec<Value> = case
        .get("Items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(item) = case.get("Item") {
        items.push(item.clone());
    }
    for item in items {
        run(&store, "PutItem", json!({"TableName": "t", "Item": item})).unwrap();
    }
    store
}

fn item(value: &Value) -> Item {
    wire::from_value(value.clone()).unwrap()
}

/// Compares a reply with the expected members (items compared as items).
fn response_mismatch(want: &Value, got: &Value) -> Option<String> {
    let (Some(w), Some(g)) = (want.as_object(), got.as_object()) else {
        return Some(format!("not objects: {want} / {got}"));
    };
    let mut wk: Vec<&String> = w.keys().collect();
    let mut gk: Vec<&String> = g.keys().collect();
    wk.sort();
    gk.sort();
    if wk != gk {
        return Some(format!("members differ: want {want}, got {got}"));
    }
    for (k, wv) in w {
        let gv = &g[k];
        let same = match k.as_str() {
            "Item" | "Attributes" => item(wv) == item(gv),
            "Items" => {
                let items =
                    |v: &Value| -> Vec<Item> { v.as_array().unwrap().iter().map(item).collect() };
                items(wv) == items(gv)
            }
            "Responses" => {
                let items = |v: &Value| -> Vec<Option<Item>> {
                    v.as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.get("Item").map(item))
                        .collect()
                };
                items(wv) == items(gv)
            }
            _ => wv == gv,
        };
        if !same {
            return Some(format!("{k}: want {wv}, got {gv}"));
        }
    }
    None
}

fn reasons_of(error: &Error) -> Vec<CancellationReason> {
    match error {
        Error::TransactionCanceled { reasons, .. } => reasons.clone(),
        _ => Vec::new(),
    }
}

/// Checks an error against `expect`, `Item` and `CancellationReasons` included.
fn full_error_mismatch(expect: &Value, error: &Error) -> Option<String> {
    if let Some(m) = error_mismatch(expect, error) {
        return Some(m);
    }
    if expect["error"] == "ConditionalCheckFailedException" {
        let got = match error {
            Error::ConditionalCheckFailed { item, .. } => item.as_deref().cloned(),
            _ => None,
        };
        let want = expect.get("Item").map(item);
        if got != want {
            return Some(format!("Item: want {want:?}, got {got:?}"));
        }
    }
    if let Some(want) = expect.get("CancellationReasons").and_then(Value::as_array) {
        let got = reasons_of(error);
        if got.len() != want.len() {
            return Some(format!("{} reasons, want {}", got.len(), want.len()));
        }
        for (i, (w, r)) in want.iter().zip(&got).enumerate() {
            let (code, message, it) = (&r.code, &r.message, &r.item);
            if w["Code"] != code.as_str() {
                return Some(format!("reason {i}: code {code}, want {}", w["Code"]));
            }
            let message_ok = match (w.get("Message"), w.get("MessagePresent")) {
                (Some(m), _) => message.as_deref() == m.as_str(),
                (None, Some(_)) => message.is_some(),
                (None, None) => message.is_none(),
            };
            if !message_ok {
                return Some(format!("reason {i}: message {message:?}, want {w}"));
            }
            if w.get("Item").map(item) != *it {
                return Some(format!("reason {i}: item {it:?}, want {w}"));
            }
        }
    }
    None
}

fn run_steps(store: &Store, case: &Value) -> Result<(), String> {
    for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        let op = step["operation"].as_str().unwrap();
        let expect = &step["expect"];
        let result = run(store, op, step["request"].clone());
        let success = expect.get("success") == Some(&json!(true));
        let problem = match (result, expect.get("response")) {
            (Ok(_), None) if success => None,
            (Ok(got), Some(want)) => response_mismatch(want, &got),
            (Ok(got), None) => Some(format!("succeeded with {got}, want {expect}")),
            (Err(e), Some(_)) => Some(format!("{}: {}", e.type_name(), e.message())),
            (Err(e), None) => full_error_mismatch(expect, &e),
        };
        if let Some(p) = problem {
            return Err(format!("step {i} ({op}): {p}"));
        }
    }
    Ok(())
}

fn run_step_file(file: &str, filter: impl Fn(&Value) -> bool, minimum: usize) {
    run_cases(file, &load_cases(file), filter, minimum);
}

fn run_cases(file: &str, cases: &[Value], filter: impl Fn(&Value) -> bool, minimum: usize) {
    let mut report = Report::default();
    for case in cases.iter().filter(|c| filter(c)) {
        let name = case["name"].as_str().unwrap();
        report.ran += 1;
        let store = new_store(case);
        let outcome = run_steps(&store, case);
        let known = KNOWN.iter().find(|(n, _)| *n == name);
        match (outcome, known) {
            (Ok(()), None) => {}
            (Ok(()), Some(_)) => report.fail(name, "listed as known failure but passes"),
            (Err(e), None) => report.fail(name, e),
            (Err(_), Some((_, why))) => report.skipped.push(format!("{name} (known: {why})")),
        }
    }
    report.finish(file, minimum);
}

#[test]
fn items_vectors() {
    run_step_file("items.json", |_| true, 30);
}

#[test]
fn transactions_vectors() {
    run_step_file("transactions.json", |_| true, 15);
}

/// validation.json's TransactGetItems rows (V23, V45, V64–V66): the cases
/// whose every step is a TransactGetItems call.
#[test]
fn transact_get_validation_vectors() {
    let only_transact_get = |case: &Value| {
        case["steps"]
            .as_array()
            .is_some_and(|steps| steps.iter().all(|s| s["operation"] == "TransactGetItems"))
    };
    run_step_file("validation.json", only_transact_get, 5);
}

/// Our TransactGetItems table (`tests/data/transactions/transact_get.json`,
/// in the spec's format): every kind of key problem, and the order of the
/// checks (projection, table, keys, duplicates).
#[test]
fn transact_get_table() {
    let file = "transact_get.json";
    let cases = load_case_file(&data_dir("transactions").join(file));
    run_cases(file, &cases, |_| true, 15);
}

#[test]
fn numbers_step_vectors() {
    run_step_file("numbers.json", |c| c.get("steps").is_some(), 1);
}

fn request_with(case: &Value, base: Value, members: &[&str]) -> Value {
    let mut request = base;
    for m in members {
        if let Some(v) = case.get(*m) {
            request[*m] = v.clone();
        }
    }
    request
}

fn stored(store: &Store, key: &Value) -> Option<Item> {
    let reply = run(store, "GetItem", json!({"TableName": "t", "Key": key})).unwrap();
    reply.get("Item").map(item)
}

/// conditions.json through DeleteItem, and through PutItem (of the key
/// alone) and UpdateItem without an UpdateExpression, which must agree.
#[test]
fn conditions_through_writes() {
    let mut report = Report::default();
    for operation in ["DeleteItem", "PutItem", "UpdateItem"] {
        for case in load_cases("conditions.json") {
            let only = case.get("Operation").and_then(Value::as_str);
            if only.is_some_and(|o| o != operation) {
                continue;
            }
            let name = format!("{} via {operation}", case["name"].as_str().unwrap());
            report.ran += 1;
            let store = new_store(&case);
            let key = case
                .get("Key")
                .cloned()
                .unwrap_or_else(|| json!({"p": {"S": "k1"}}));
            let before = stored(&store, &key);
            let base = if operation == "PutItem" {
                json!({"TableName": "t", "Item": key})
            } else {
                json!({"TableName": "t", "Key": key})
            };
            let request = request_with(
                &case,
                base,
                &[
                    "ConditionExpression",
                    "ExpressionAttributeNames",
                    "ExpressionAttributeValues",
                ],
            );
            let result = run(&store, operation, request);
            let expect = &case["expect"];
            let problem = match (result, expect.get("result").and_then(Value::as_bool)) {
                (Ok(_), Some(true)) => None,
                (Err(Error::ConditionalCheckFailed { .. }), Some(false)) => None,
                (Ok(_), _) => Some(format!("succeeded, want {expect}")),
                (Err(e), Some(_)) => Some(format!("{}: {}", e.type_name(), e.message())),
                (Err(e), None) => error_mismatch(expect, &e),
            };
            let unchanged_expected = expect.get("result") != Some(&json!(true));
            if problem.is_none() && unchanged_expected && stored(&store, &key) != before {
                report.fail(&name, "a failed write changed the item");
            }
            if let Some(p) = problem {
                report.fail(&name, p);
            }
        }
    }
    report.finish(
        "conditions.json via DeleteItem, PutItem and UpdateItem",
        400,
    );
}

#[test]
fn updates_through_update_item() {
    let mut report = Report::default();
    for file in ["updates.json", "numbers.json"] {
        for case in load_cases(file) {
            if case.get("UpdateExpression").is_none() {
                continue;
            }
            let name = case["name"].as_str().unwrap();
            report.ran += 1;
            let store = new_store(&case);
            let key = case
                .get("Key")
                .cloned()
                .unwrap_or_else(|| json!({"p": {"S": "k1"}}));
            let before = stored(&store, &key);
            let request = request_with(
                &case,
                json!({"TableName": "t", "Key": key}),
                &[
                    "UpdateExpression",
                    "ConditionExpression",
                    "ExpressionAttributeNames",
                    "ExpressionAttributeValues",
                ],
            );
            let result = run(&store, "UpdateItem", request);
            let expect = &case["expect"];
            let after = stored(&store, &key);
            let problem = match (result, expect.get("item")) {
                (Ok(_), Some(Value::Null)) => after.map(|a| format!("item {a:?} exists")),
                (Ok(_), Some(want)) => {
                    let want = item(want);
                    (after.as_ref() != Some(&want))
                        .then(|| format!("item {after:?}, want {want:?}"))
                }
                (Ok(_), None) => Some(format!("succeeded, want {expect}")),
                (Err(e), Some(_)) => Some(format!("{}: {}", e.type_name(), e.message())),
                (Err(e), None) => error_mismatch(expect, &e).or_else(|| {
                    (after != before).then(|| "a failed UpdateItem changed the item".into())
                }),
            };
            if let Some(p) = problem {
                report.fail(name, p);
            }
        }
    }
    report.finish("updates via UpdateItem", 80);
}
