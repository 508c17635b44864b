//! Random operation sequences against the store and a plain `BTreeMap`
//! model: every reply and the final contents must agree (redb's habit of
//! fuzzing a sequence of operations against a simple model).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use dynacond::{Error, Item, Store, wire};
use proptest::prelude::*;
use serde_json::{Value, json};

const KEYS: usize = 4;

#[derive(Debug, Clone)]
enum Op {
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

fn op() -> impl Strategy<Value = Op> {
    let k = 0..KEYS;
    prop_oneof![
        (k.clone(), -5i64..20, any::<bool>()).prop_map(|(k, v, if_absent)| Op::Put {
            k,
            v,
            if_absent
        }),
        (k.clone(), -5i64..5).prop_map(|(k, d)| Op::Add { k, d }),
        k.clone().prop_map(|k| Op::Bump { k }),
        (k.clone(), proptest::option::of(-5i64..20))
            .prop_map(|(k, expect)| Op::Delete { k, expect }),
        k.clone().prop_map(|k| Op::Get { k }),
        (k.clone(), 1..KEYS, 1i64..10).prop_map(|(a, step, x)| Op::Transfer {
            a,
            b: (a + step) % KEYS,
            x
        }),
    ]
}

fn key(k: usize) -> Value {
    json!({"p": {"S": format!("k{k}")}})
}

fn n(v: i64) -> Value {
    json!({"N": v.to_string()})
}

fn value_of(item: &Item) -> i64 {
    item["v"].as_n().unwrap().to_i64().unwrap()
}

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

/// Runs one operation on both; returns a mismatch description.
fn step(store: &Store, model: &mut BTreeMap<usize, i64>, op: &Op) -> Result<(), String> {
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn store_agrees_with_a_map_model(ops in proptest::collection::vec(op(), 1..40)) {
        let store = Store::new();
        store.create_table(req(json!({"TableName": "tab",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}))).unwrap();
        let mut model = BTreeMap::new();
        for op in &ops {
            if let Err(e) = step(&store, &mut model, op) {
                prop_assert!(false, "{}", e);
            }
        }
        let gets: Vec<Value> = (0..KEYS).map(|k| json!({"Get": {"TableName": "tab", "Key": key(k)}})).collect();
        let out = store.transact_get_items(req(json!({"TransactItems": gets}))).unwrap();
        let got: BTreeMap<usize, i64> = out.responses.iter().enumerate()
            .filter_map(|(k, r)| r.item.as_ref().map(|i| (k, value_of(i)))).collect();
        prop_assert_eq!(got, model);
    }
}
