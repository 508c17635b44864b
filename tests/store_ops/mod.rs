//! Operation sequences run on the store and on a plain `BTreeMap` model
//! (redb's habit): shared by the property test (`tests/store/store_model.rs`) and
//! the `store_ops` fuzz target (through `tests/fuzz_checks`).
//!
//! The table has a GSI and an LSI ([`new_store`]); puts and updates set,
//! keep, remove or (refused) mistype the GSI key `g`, and every change of
//! `v` moves both indexes' sort keys. [`check_indexes`] compares each index,
//! read page by page, with a rebuild from the table.
//!
//! The table has a `NEW_AND_OLD_IMAGES` stream: a [`StreamReader`], caught
//! up between writes, applies each record to a replica and checks each
//! record's old image against it; the replica must equal the model.
#![allow(
    dead_code,
    reason = "shared by the store test binary and the store_ops fuzz target; each uses only part of it"
)]

use std::collections::BTreeMap;

use dynacond::{AttributeValue, Error, Item, Store, wire};
use serde_json::{Value, json};

/// Keys `0..KEYS`: key `k` is partition `k{k / 2}`, sort key `k % 2`, so
/// each LSI partition holds two items.
pub const KEYS: usize = 4;

/// The model: each present key's `v` and `g` (`g0`..`g2`, or none).
pub type Model = BTreeMap<usize, (i64, Option<u8>)>;

/// What a put or an update does with the GSI key `g`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum G {
    /// A put writes none; an update leaves it.
    Keep,
    /// A put writes none; an update removes it.
    Remove,
    /// `g{n}`, a string.
    Set(u8),
    /// A number: the wrong type for the index key, so the write is refused
    /// (a put always; an update once its condition holds).
    Bad,
}

#[derive(Debug, Clone)]
pub enum Op {
    /// PutItem, optionally only if absent.
    Put {
        k: usize,
        v: i64,
        if_absent: bool,
        g: G,
    },
    /// UpdateItem `SET v = v + :d` (and `g`) if the item exists.
    Add { k: usize, d: i64, g: G },
    /// UpdateItem `SET v = if_not_exists(v, :zero) + :one`: creates.
    Bump { k: usize },
    /// DeleteItem, optionally only if `v` has a value.
    Delete { k: usize, expect: Option<i64> },
    /// GetItem.
    Get { k: usize },
    /// TransactWriteItems moving `x` from `a` to `b` if `a` has enough.
    Transfer { a: usize, b: usize, x: i64 },
}

/// A store with the table `tab` the operations use: key `p` (S) and `c`
/// (N); GSI `by_g` on `g` (S) and `v` (N), projecting everything; LSI
/// `by_v` on `p` and `v`, keys only.
pub fn new_store() -> Store {
    let store = Store::new();
    store
        .create_table(req(json!({"TableName": "tab",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                {"AttributeName": "c", "AttributeType": "N"}, {"AttributeName": "g", "AttributeType": "S"},
                {"AttributeName": "v", "AttributeType": "N"}],
            "GlobalSecondaryIndexes": [{"IndexName": "by_g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "v", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}],
            "LocalSecondaryIndexes": [{"IndexName": "by_v",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "v", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})))
        .unwrap();
    store
}

/// Reads the table's stream from TRIM_HORIZON into a replica of the table.
pub struct StreamReader {
    iterator: String,
    /// The table as the records read so far rebuild it.
    pub replica: Model,
}

impl StreamReader {
    /// A reader at the start of the table's stream.
    pub fn new(store: &Store) -> StreamReader {
        let table = store
            .describe_table(req(json!({"TableName": "tab"})))
            .unwrap()
            .table;
        let arn = table.latest_stream_arn.unwrap();
        let stream = store
            .describe_stream(req(json!({"StreamArn": arn})))
            .unwrap()
            .stream_description;
        let iterator = store
            .get_shard_iterator(req(json!({"StreamArn": arn,
                "ShardId": stream.shards[0].shard_id, "ShardIteratorType": "TRIM_HORIZON"})))
            .unwrap()
            .shard_iterator
            .unwrap();
        StreamReader {
            iterator,
            replica: Model::new(),
        }
    }

    /// Reads every new record (a few per GetRecords) and applies it: each
    /// record's event and old image must fit the replica as it stands.
    pub fn catch_up(&mut self, store: &Store) -> Result<(), String> {
        loop {
            let page = store
                .get_records(req(json!({"ShardIterator": self.iterator, "Limit": 3})))
                .map_err(|e| e.to_string())?;
            self.iterator = page.next_shard_iterator.ok_or("no NextShardIterator")?;
            if page.records.is_empty() {
                return Ok(());
            }
            for record in page.records {
                let d = &record.dynamodb;
                let p = d.keys["p"].as_s().and_then(|s| s.strip_prefix('k'));
                let p: usize = p.and_then(|p| p.parse().ok()).ok_or("bad key")?;
                let c = d.keys["c"]
                    .as_n()
                    .and_then(|c| c.to_i64())
                    .ok_or("bad key")?;
                let k = p * 2 + usize::try_from(c).map_err(|e| e.to_string())?;
                let before = self.replica.get(&k).copied();
                if d.old_image.as_ref().map(row_of) != before {
                    return Err(format!("{record:?}: replica had {before:?}"));
                }
                let event = record.event_name.as_str();
                match (event, &d.new_image) {
                    ("INSERT" | "MODIFY", Some(new)) if (event == "INSERT") == before.is_none() => {
                        self.replica.insert(k, row_of(new));
                    }
                    ("REMOVE", None) if before.is_some() => {
                        self.replica.remove(&k);
                    }
                    _ => return Err(format!("{record:?}: replica had {before:?}")),
                }
            }
        }
    }
}

/// The whole table, read in one snapshot, as the model holds it.
pub fn contents(store: &Store) -> Model {
    let gets: Vec<Value> = (0..KEYS)
        .map(|k| json!({"Get": {"TableName": "tab", "Key": key(k)}}))
        .collect();
    let out = store
        .transact_get_items(req(json!({"TransactItems": gets})))
        .unwrap();
    out.responses
        .iter()
        .enumerate()
        .filter_map(|(k, r)| r.item.as_ref().map(|i| (k, row_of(i))))
        .collect()
}

/// Operations decoded from bytes (for fuzzing): each byte picks an operation
/// (`kind % 6`) and what a put or an update does with `g` (`kind / 6`), and
/// the following bytes its arguments. (Inputs saved before `g` existed
/// decode to the same operations, now with some `g`.)
pub fn ops_from_bytes(data: &[u8]) -> Vec<Op> {
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next();
    let mut ops = Vec::new();
    while let Some(kind) = next() {
        let k = usize::from(next().unwrap_or(0)) % KEYS;
        let arg = i64::from(next().unwrap_or(0) % 25) - 5;
        let g = match kind / 6 % 6 {
            0 => G::Keep,
            1 => G::Remove,
            5 => G::Bad,
            n => G::Set(n - 2),
        };
        ops.push(match kind % 6 {
            0 => Op::Put {
                k,
                v: arg,
                if_absent: arg % 2 == 0,
                g,
            },
            1 => Op::Add { k, d: arg % 5, g },
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
    json!({"p": {"S": format!("k{}", k / 2)}, "c": {"N": (k % 2).to_string()}})
}

fn n(v: i64) -> Value {
    json!({"N": v.to_string()})
}

pub fn value_of(item: &Item) -> i64 {
    item["v"].as_n().unwrap().to_i64().unwrap()
}

/// An item as the model holds it.
pub fn row_of(item: &Item) -> (i64, Option<u8>) {
    let g = item.get("g").map(|g| {
        let digits = g.as_s().and_then(|s| s.strip_prefix('g'));
        digits.and_then(|d| d.parse().ok()).unwrap()
    });
    (value_of(item), g)
}

fn g_value(g: G) -> Option<Value> {
    match g {
        G::Keep | G::Remove => None,
        G::Set(n) => Some(json!({"S": format!("g{n}")})),
        G::Bad => Some(json!({"N": "1"})),
    }
}

pub fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

/// Runs one operation on both; returns a mismatch description.
pub fn step(store: &Store, model: &mut Model, op: &Op) -> Result<(), String> {
    // A refused write is a failed condition or cancelled transaction, or,
    // when the operation mistypes `g`, a validation error.
    let bad = matches!(op, Op::Put { g: G::Bad, .. } | Op::Add { g: G::Bad, .. });
    let refused = |e: &Error| match e {
        Error::ConditionalCheckFailed { .. } | Error::TransactionCanceled { .. } => true,
        Error::Validation(_) => bad,
        _ => false,
    };
    let ccf = |r: Result<(), Error>| match r {
        Ok(()) => Ok(true),
        Err(e) if refused(&e) => Ok(false),
        Err(e) => Err(format!("{op:?}: {e}")),
    };
    let (ok, want) = match *op {
        Op::Put { k, v, if_absent, g } => {
            let mut item = key(k);
            item["v"] = n(v);
            if let Some(g) = g_value(g) {
                item["g"] = g;
            }
            let mut r = json!({"TableName": "tab", "Item": item});
            if if_absent {
                r["ConditionExpression"] = json!("attribute_not_exists(p)");
            }
            let result = store.put_item(req(r)).map(drop);
            if g == G::Bad && !matches!(result, Err(Error::Validation(_))) {
                return Err(format!("{op:?}: {result:?}, not a validation error"));
            }
            let ok = ccf(result)?;
            let want = g != G::Bad && (!if_absent || !model.contains_key(&k));
            if want {
                let g = match g {
                    G::Set(n) => Some(n),
                    _ => None,
                };
                model.insert(k, (v, g));
            }
            (ok, want)
        }
        Op::Add { k, d, g } => {
            let mut r = json!({"TableName": "tab", "Key": key(k),
                "UpdateExpression": "SET v = v + :d", "ConditionExpression": "attribute_exists(v)",
                "ExpressionAttributeValues": {":d": n(d)}});
            match g_value(g) {
                Some(value) => {
                    r["UpdateExpression"] = json!("SET v = v + :d, g = :g");
                    r["ExpressionAttributeValues"][":g"] = value;
                }
                None if g == G::Remove => r["UpdateExpression"] = json!("SET v = v + :d REMOVE g"),
                None => {}
            }
            let result = store.update_item(req(r)).map(drop);
            // The condition is checked first, then the item as it would be.
            let exists = model.contains_key(&k);
            if g == G::Bad && exists && !matches!(result, Err(Error::Validation(_))) {
                return Err(format!("{op:?}: {result:?}, not a validation error"));
            }
            let ok = ccf(result)?;
            let want = exists && g != G::Bad;
            if let (true, Some((v, old))) = (want, model.get_mut(&k)) {
                *v += d;
                match g {
                    G::Keep | G::Bad => {}
                    G::Remove => *old = None,
                    G::Set(n) => *old = Some(n),
                }
            }
            (ok, want)
        }
        Op::Bump { k } => {
            let ok = ccf(store
                .update_item(req(json!({"TableName": "tab", "Key": key(k),
                    "UpdateExpression": "SET v = if_not_exists(v, :zero) + :one",
                    "ExpressionAttributeValues": {":zero": n(0), ":one": n(1)}})))
                .map(drop))?;
            model.entry(k).or_insert((0, None)).0 += 1;
            (ok, true)
        }
        Op::Delete { k, expect } => {
            let mut r = json!({"TableName": "tab", "Key": key(k)});
            if let Some(e) = expect {
                r["ConditionExpression"] = json!("v = :e");
                r["ExpressionAttributeValues"] = json!({":e": n(e)});
            }
            let ok = ccf(store.delete_item(req(r)).map(drop))?;
            let want = expect.is_none_or(|e| model.get(&k).is_some_and(|(v, _)| *v == e));
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
                .map(|i| row_of(&i));
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
            let want = model.get(&a).is_some_and(|(v, _)| *v >= x) && model.contains_key(&b);
            if want {
                model.entry(a).or_default().0 -= x;
                model.entry(b).or_default().0 += x;
            }
            (ok, want)
        }
    };
    if ok != want {
        return Err(format!("{op:?}: store succeeded={ok}, model={want}"));
    }
    Ok(())
}

/// One index of the table: its name, key attributes and whether it projects
/// every attribute (else keys only).
struct IndexSpec {
    name: &'static str,
    keys: [&'static str; 2],
    all: bool,
}

const INDEXES: [IndexSpec; 2] = [
    IndexSpec {
        name: "by_g",
        keys: ["g", "v"],
        all: true,
    },
    IndexSpec {
        name: "by_v",
        keys: ["p", "v"],
        all: false,
    },
];

/// A position in an index: index key, then table key (`p`, `c`); strings
/// and numbers each in their own order (the values are small integers).
fn position(spec: &IndexSpec, item: &Item) -> Vec<(i64, String)> {
    let part = |v: &AttributeValue| match (v.as_n(), v.as_s()) {
        (Some(n), _) => (n.to_i64().unwrap(), String::new()),
        (_, Some(s)) => (0, s.to_owned()),
        _ => unreachable!("key attributes are S or N"),
    };
    [spec.keys[0], spec.keys[1], "p", "c"]
        .into_iter()
        .map(|name| part(&item[name]))
        .collect()
}

/// Every page of a read (`Query` or `Scan` request as JSON).
fn pages(store: &Store, query: bool, mut request: Value) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    loop {
        let (page, last) = if query {
            let out = store.query(req(request.clone()));
            let out = out.map_err(|e| format!("{request}: {e}"))?;
            (out.items, out.last_evaluated_key)
        } else {
            let out = store.scan(req(request.clone()));
            let out = out.map_err(|e| format!("{request}: {e}"))?;
            (out.items, out.last_evaluated_key)
        };
        items.extend(page.unwrap_or_default());
        match last {
            Some(key) => request["ExclusiveStartKey"] = serde_json::to_value(&key).unwrap(),
            None => return Ok(items),
        }
    }
}

/// Each index, read by a Scan and by a Query of each of its partitions
/// (both directions), page by page, equals the index rebuilt from the
/// table: the items with both index key attributes, projected, in (index
/// key, table key) order; and DescribeTable's `ItemCount` and
/// `IndexSizeBytes` are that rebuild's count and total size.
pub fn check_indexes(store: &Store) -> Result<(), String> {
    let table = pages(store, false, json!({"TableName": "tab"}))?;
    let described = store
        .describe_table(req(json!({"TableName": "tab"})))
        .map_err(|e| e.to_string())?
        .table;
    let counters: Vec<(String, u64, u64)> = described
        .global_secondary_indexes
        .iter()
        .flatten()
        .map(|d| (d.index_name.clone(), d.item_count, d.index_size_bytes))
        .chain(
            described
                .local_secondary_indexes
                .iter()
                .flatten()
                .map(|d| (d.index_name.clone(), d.item_count, d.index_size_bytes)),
        )
        .collect();
    for spec in &INDEXES {
        let mut want: Vec<Item> = table
            .iter()
            .filter(|i| spec.keys.iter().all(|k| i.contains_key(*k)))
            .map(|i| {
                let mut entry = i.clone();
                if !spec.all {
                    entry.retain(|name, _| ["p", "c", "v"].contains(&name.as_str()));
                }
                entry
            })
            .collect();
        want.sort_by_key(|i| position(spec, i));
        let scanned = pages(
            store,
            false,
            json!({"TableName": "tab", "IndexName": spec.name, "Limit": 2}),
        )?;
        if scanned != want {
            return Err(format!(
                "Scan of {}: {scanned:?}, rebuilt {want:?}",
                spec.name
            ));
        }
        let hash = spec.keys[0];
        let mut partitions: Vec<&AttributeValue> = want.iter().map(|i| &i[hash]).collect();
        partitions.dedup();
        for partition in partitions {
            let in_partition: Vec<&Item> = want.iter().filter(|i| &i[hash] == partition).collect();
            for (forward, limit) in [(true, 1), (false, 2)] {
                let request = json!({"TableName": "tab", "IndexName": spec.name, "Limit": limit,
                    "KeyConditionExpression": "#h = :h", "ExpressionAttributeNames": {"#h": hash},
                    "ExpressionAttributeValues": {":h": partition}, "ScanIndexForward": forward});
                let mut queried = pages(store, true, request)?;
                if !forward {
                    queried.reverse();
                }
                if queried.iter().ne(in_partition.iter().copied()) {
                    return Err(format!(
                        "Query of {} for {partition:?} (forward {forward}): {queried:?}, rebuilt {in_partition:?}",
                        spec.name
                    ));
                }
            }
        }
        let size: u64 = want.iter().map(|i| dynacond::item_size(i) as u64).sum();
        let counted = counters.iter().find(|(name, ..)| name == spec.name);
        if counted != Some(&(spec.name.to_owned(), want.len() as u64, size)) {
            return Err(format!(
                "{}: described {counted:?}, rebuilt {} entries of {size} bytes",
                spec.name,
                want.len()
            ));
        }
    }
    Ok(())
}
