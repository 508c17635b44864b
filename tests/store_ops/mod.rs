//! Operation sequences run on the store and on a plain `BTreeMap` model
//! (redb's habit): shared by the property test (`tests/store/store_model.rs`) and
//! the `store_ops` fuzz target (through `tests/fuzz_checks`).
#![allow(
    dead_code,
    reason = "shared by the store test binary and the store_ops fuzz target; each uses only part of it"
)]

use std::collections::BTreeMap;

use dynacond::{Error, Item, Store, wire};
use serde_json::{Value, json};

pub const KEYS: usize = 4;

#[derive(Debug, Clone)]
pub enum Op {
    /// PutItem, optionally only if absent.
    Put { k: usize, v: i64, if_absent: bool },
    /// UpdateItem `SET v = v + :d` if the item exists.
    Add { k: usize, d: i64 },
    /// UpdateItem `SET v = if_not_exists(v, :zero) + :one`: creates.
    Bump { k: usize },
    /// DeleteItem, optionally only if `v` has a value.
    Delete { k: usize, expect: Option<i64> },
    /// GetItem.
    Get { k: usize },
    /// TransactWriteItems moving `x` from `a` to `b` if `a` has enough.
    Transfer { a: usize, b: usize, x: i64 },
}

/// A store with the table `tab` (partition key `p`, S) the operations use.
pub fn new_store() -> Store {
    let store = Store::new();
    store
        .create_table(req(json!({"TableName": "tab",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]})))
        .unwrap();
    store
}

/// The whole table, read in one snapshot, as the model holds it.
pub fn contents(store: &Store) -> BTreeMap<usize, i64> {
    let gets: Vec<Value> = (0..KEYS)
        .map(|k| json!({"Get": {"TableName": "tab", "Key": key(k)}}))
        .collect();
    let out = store
        .transact_get_items(req(json!({"TransactItems": gets})))
        .unwrap();
    out.responses
        .iter()
        .enumerate()
        .filter_map(|(k, r)| r.item.as_ref().map(|i| (k, value_of(i))))
        .collect()
}

/// Operations decoded from bytes (for fuzzing): each byte picks an operation
/// and the following bytes its arguments.
pub fn ops_from_bytes(data: &[u8]) -> Vec<Op> {
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next();
    let mut ops = Vec::new();
    while let Some(kind) = next() {
        let k = usize::from(next().unwrap_or(0)) % KEYS;
        let arg = i64::from(next().unwrap_or(0) % 25) - 5;
        ops.push(match kind % 6 {
            0 => Op::Put {
                k,
                v: arg,
                if_absent: arg % 2 == 0,
            },
            1 => Op::Add { k, d: arg % 5 },
            2 => Op::Bump { k },
            3 => Op::Delete {
                k,
                expect: (arg >= 0).then_some(arg),
            },
            4 => Op::Get { k },
            _ => Op::Transfer {
                a: k,
                b: (k + 1 + usize::from(arg.unsigned_abs() as u8) % (KEYS - 1)) % KEYS,
                x: arg.abs() % 9 + 1,
            },
        });
    }
    ops
}

pub fn key(k: usize) -> Value {
    json!({"p": {"S": format!("k{k}")}})
}

fn n(v: i64) -> Value {
    json!({"N": v.to_string()})
}

pub fn value_of(item: &Item) -> i64 {
    item["v"].as_n().unwrap().to_i64().unwrap()
}

pub fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

/// Runs one operation on both; returns a mismatch description.
pub fn step(store: &Store, model: &mut BTreeMap<usize, i64>, op: &Op) -> Result<(), String> {
    let ccf = |r: Result<(), Error>| match r {
        Ok(()) => Ok(true),
        Err(Error::ConditionalCheckFailed { .. }) | Err(Error::TransactionCanceled { .. }) => {
            Ok(false)
        }
        Err(e) => Err(format!("{op:?}: {e}")),
    };
    let (ok, want) = match *op {
        Op::Put { k, v, if_absent } => {
            let mut r =
                json!({"TableName": "tab", "Item": {"p": {"S": format!("k{k}")}, "v": n(v)}});
            if if_absent {
                r["ConditionExpression"] = json!("attribute_not_exists(p)");
            }
            let ok = ccf(store.put_item(req(r)).map(drop))?;
            let want = !if_absent || !model.contains_key(&k);
            if want {
                model.insert(k, v);
            }
            (ok, want)
        }
        Op::Add { k, d } => {
            let ok = ccf(store
                .update_item(req(json!({"TableName": "tab", "Key": key(k),
                    "UpdateExpression": "SET v = v + :d", "ConditionExpression": "attribute_exists(v)",
                    "ExpressionAttributeValues": {":d": n(d)}})))
                .map(drop))?;
            let want = model.contains_key(&k);
            if let Some(v) = model.get_mut(&k) {
                *v += d;
            }
            (ok, want)
        }
        Op::Bump { k } => {
            let ok = ccf(store
                .update_item(req(json!({"TableName": "tab", "Key": key(k),
                    "UpdateExpression": "SET v = if_not_exists(v, :zero) + :one",
                    "ExpressionAttributeValues": {":zero": n(0), ":one": n(1)}})))
                .map(drop))?;
            *model.entry(k).or_insert(0) += 1;
            (ok, true)
        }
        Op::Delete { k, expect } => {
            let mut r = json!({"TableName": "tab", "Key": key(k)});
            if let Some(e) = expect {
                r["ConditionExpression"] = json!("v = :e");
                r["ExpressionAttributeValues"] = json!({":e": n(e)});
            }
            let ok = ccf(store.delete_item(req(r)).map(drop))?;
            let want = expect.is_none_or(|e| model.get(&k) == Some(&e));
            if want {
                model.remove(&k);
            }
            (ok, want)
        }
        Op::Get { k } => {
            let got = store
                .get_item(req(json!({"TableName": "tab", "Key": key(k)})))
                .map_err(|e| e.to_string())?
                .item
                .map(|i| value_of(&i));
            if got != model.get(&k).copied() {
                return Err(format!("{op:?}: got {got:?}, model {:?}", model.get(&k)));
            }
            (true, true)
        }
        Op::Transfer { a, b, x } => {
            let ok = ccf(store
                .transact_write_items(req(json!({"TransactItems": [
                    {"Update": {"TableName": "tab", "Key": key(a), "UpdateExpression": "SET v = v - :x",
                        "ConditionExpression": "v >= :x", "ExpressionAttributeValues": {":x": n(x)}}},
                    {"Update": {"TableName": "tab", "Key": key(b), "UpdateExpression": "SET v = v + :x",
                        "ConditionExpression": "attribute_exists(v)", "ExpressionAttributeValues": {":x": n(x)}}}]})))
                .map(drop))?;
            let want = model.get(&a).is_some_and(|v| *v >= x) && model.contains_key(&b);
            if want {
                *model.entry(a).or_default() -= x;
                *model.entry(b).or_default() += x;
            }
            (ok, want)
        }
    };
    if ok != want {
        return Err(format!("{op:?}: store succeeded={ok}, model={want}"));
    }
    Ok(())
}
