//! Secondary indexes under real threads: writers (PutItem, UpdateItem moving
//! index keys, DeleteItem, TransactWriteItems, BatchWriteItem) contend on a
//! few keys while readers Query and Scan a GSI and an LSI page by page. The
//! table is `index_model`'s (two GSIs, one LSI), and so is the final check.
//!
//! # What an index reader can and cannot observe
//!
//! DynamoDB promises little: a GSI is eventually consistent (a read may
//! miss a write that already returned, or show an item's old index key, and
//! `ConsistentRead` is refused), an LSI read may ask for strong consistency.
//! dynacond promises more, and these tests hold it to exactly that:
//!
//! * **Synchronous maintenance.** Every index entry is moved inside the
//!   write, while the item's slot is locked (`LockedItem::replace`), so once
//!   a write has returned every later read of every index (GSI or LSI)
//!   reflects it: read-your-writes on GSIs too. A write that fails (a
//!   condition, a validation error, a cancelled transaction) moves no entry.
//! * **Re-validated entries.** An entry is only a pointer (index key, table
//!   key). A reader copies a batch of entries, then for each one locks the
//!   item's slot and keeps the item only if it *still* has that index key.
//!   So every item returned was, at the moment it was copied under its lock,
//!   in the index under the key it was found under: a Query returns only
//!   items of the queried partition whose sort key meets the condition, and
//!   a Scan only items that have every index key attribute, of the declared
//!   type and not empty.
//! * **One version per item.** The attributes returned for an item (its
//!   projection, or the whole item an LSI fetches for `ALL_ATTRIBUTES`) come
//!   from that one copy: never half of one write and half of another, never
//!   the state inside a transaction (a transaction keeps all its items
//!   locked until it is applied).
//! * **Ordered, never repeated under one key.** A page sequence visits
//!   index positions (index key, then table key) in strictly increasing
//!   order (decreasing with `ScanIndexForward: false`), each page resuming
//!   strictly after the previous page's `LastEvaluatedKey`. An item whose
//!   index key does not change during the read is returned exactly once.
//!
//! What a reader *can* observe, because a page (and a fortiori a page
//! sequence) is not a snapshot:
//!
//! * an item moved ahead of the cursor during the read is returned twice,
//!   under its old and its new index key (two different versions);
//! * an item moved behind the cursor, or out of the range or the index, is
//!   not returned at all, even though it was in the range before and after;
//! * two items of one page may come from different moments, so the items of
//!   one transaction may be seen one before and one after it;
//! * `ItemCount` and `IndexSizeBytes` read during writes may be between the
//!   steps of a transaction; they are exact once writes stop.
//!
//! `a_page_sequence_is_not_a_snapshot` shows those cases deterministically
//! (writes between pages); `index_reads_under_concurrent_writes` runs the
//! checks above while threads race. Thread and iteration counts stay small
//! (shared two-core CI machines); barriers start the threads together, the
//! only timing is a deadlock guard, and no assertion depends on timing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use dynacond::Store;
use serde_json::{Map, Value, json};

use crate::index_model::{self, INDEXES, Spec, TABLE, call, read_all, sort_key};

/// The index attributes every write sets or removes, in `x`'s order.
const INDEX_ATTRS: [&str; 4] = ["g", "h", "r", "s"];

/// The writers' keys: partitions `k0`, `k1`, sort keys `0..SORTS`.
const PARTITIONS: usize = 2;
const SORTS: usize = 3;
/// Index key values `v0..v2` (S) and `0..2` (N).
const VALUES: usize = 3;

const WRITERS: usize = 4;
const WRITES: usize = 500;
const READERS: usize = 3;
/// Each reader does at least this many rounds, and goes on until the
/// writers are done.
const MIN_ROUNDS: usize = 3;

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }

    fn coin(&mut self) -> bool {
        self.next(2) == 0
    }
}

/// The index attributes of an item: a value number each, or absent.
#[derive(Debug, Clone, Copy)]
struct Attrs([Option<usize>; 4]);

impl Attrs {
    fn random(rng: &mut Lcg) -> Attrs {
        // One time in four an attribute is absent: the item leaves (or stays
        // out of) every index keyed on it.
        Attrs([(); 4].map(|()| Some(rng.next(VALUES + 1)).filter(|v| *v < VALUES)))
    }

    fn pairs(self) -> impl Iterator<Item = (&'static str, Option<Value>)> {
        INDEX_ATTRS
            .into_iter()
            .zip(self.0)
            .map(|(name, v)| (name, v.map(|v| typed(name, v))))
    }

    /// `x`: the index attributes as written, so a reader can tell whether
    /// the attributes it got belong to one version of the item.
    fn describe(self) -> Value {
        let fields: Vec<String> = self
            .pairs()
            .map(|(name, v)| format!("{name}={}", v.as_ref().map_or("-".into(), render)))
            .collect();
        json!({"S": fields.join(",")})
    }
}

/// A value of index attribute `name`: `h` is a number, the others strings.
fn typed(name: &str, v: usize) -> Value {
    if name == "h" {
        json!({"N": v.to_string()})
    } else {
        json!({"S": format!("v{v}")})
    }
}

/// A key or index attribute value as plain text (`v1`, `2`).
fn render(value: &Value) -> String {
    let (_, scalar) = value.as_object().unwrap().iter().next().unwrap();
    scalar.as_str().unwrap().to_owned()
}

fn key(p: usize, c: usize) -> Value {
    json!({"p": {"S": format!("k{p}")}, "c": {"N": c.to_string()}})
}

fn item(p: usize, c: usize, attrs: Attrs) -> Value {
    let mut item = key(p, c);
    for (name, v) in attrs.pairs() {
        if let Some(v) = v {
            item[name] = v;
        }
    }
    item["x"] = attrs.describe();
    item
}

/// An UpdateItem body (without `TableName`): SET the present index
/// attributes and `x`, REMOVE the absent ones.
fn update(p: usize, c: usize, attrs: Attrs) -> Map<String, Value> {
    let mut set = vec!["x = :x".to_owned()];
    let mut remove = Vec::new();
    let mut values = Map::new();
    values.insert(":x".into(), attrs.describe());
    for (name, v) in attrs.pairs() {
        match v {
            Some(v) => {
                set.push(format!("{name} = :{name}"));
                values.insert(format!(":{name}"), v);
            }
            None => remove.push(name),
        }
    }
    let mut expression = format!("SET {}", set.join(", "));
    if !remove.is_empty() {
        expression.push_str(&format!(" REMOVE {}", remove.join(", ")));
    }
    let mut body = Map::new();
    body.insert("Key".into(), key(p, c));
    body.insert("UpdateExpression".into(), json!(expression));
    body.insert("ExpressionAttributeValues".into(), Value::Object(values));
    body
}

/// Items no writer touches (sort keys from 100), one in every index and
/// spread over the index partitions: every full read of a range must return
/// each of those in the range exactly once, however the items around them
/// move.
fn anchors() -> Vec<Value> {
    (0..6)
        .map(|i| {
            let v = i % VALUES;
            item(i % PARTITIONS, 100 + i, Attrs([Some(v); 4]))
        })
        .collect()
}

/// Whether a failed write failed only as contention allows: a condition
/// that did not hold (`conditional` requests), a transaction holding an
/// item, a transaction cancelled for either reason.
fn allowed_failure(body: &Value, conditional: bool) -> bool {
    let kind = body["__type"].as_str().unwrap_or_default();
    let kind = kind.rsplit('#').next().unwrap_or_default();
    match kind {
        "ConditionalCheckFailedException" => conditional,
        "TransactionConflictException" => true,
        "TransactionCanceledException" => body["CancellationReasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| match r["Code"].as_str().unwrap() {
                "None" | "TransactionConflict" => true,
                "ConditionalCheckFailed" => conditional,
                _ => false,
            }),
        _ => false,
    }
}

/// One write, of kind `kind` (0..5), with arguments from `rng`.
fn write(store: &Store, rng: &mut Lcg, kind: usize) {
    let (p, c) = (rng.next(PARTITIONS), rng.next(SORTS));
    let attrs = Attrs::random(rng);
    let (op, body, conditional) = match kind {
        0 => {
            let mut body = json!({"TableName": TABLE, "Item": item(p, c, attrs)});
            let conditional = rng.coin();
            if conditional {
                body["ConditionExpression"] = json!("attribute_not_exists(p)");
            }
            ("PutItem", body, conditional)
        }
        1 => {
            // Moves the item's index keys; half the time only from a given
            // GSI partition (`g`) to the new one.
            let mut body = update(p, c, attrs);
            body.insert("TableName".into(), json!(TABLE));
            let conditional = rng.coin();
            if conditional {
                body.insert("ConditionExpression".into(), json!("g = :old"));
                body["ExpressionAttributeValues"][":old"] = typed("g", rng.next(VALUES));
            }
            ("UpdateItem", Value::Object(body), conditional)
        }
        2 => {
            let mut body = json!({"TableName": TABLE, "Key": key(p, c)});
            let conditional = rng.coin();
            if conditional {
                body["ConditionExpression"] = json!("attribute_exists(g)");
            }
            ("DeleteItem", body, conditional)
        }
        3 => {
            // A move of one item and a put or delete of another, together.
            let other =
                (p * SORTS + c + 1 + rng.next(PARTITIONS * SORTS - 1)) % (PARTITIONS * SORTS);
            let (q, d) = (other / SORTS, other % SORTS);
            let mut moved = update(p, c, attrs);
            moved.insert("TableName".into(), json!(TABLE));
            let second = if rng.coin() {
                json!({"Put": {"TableName": TABLE, "Item": item(q, d, Attrs::random(rng))}})
            } else {
                json!({"Delete": {"TableName": TABLE, "Key": key(q, d)}})
            };
            let body = json!({"TransactItems": [{"Update": moved}, second]});
            ("TransactWriteItems", body, false)
        }
        _ => {
            // Up to three distinct keys, each put or deleted.
            let first = p * SORTS + c;
            let writes: Vec<Value> = (0..1 + rng.next(3))
                .map(|i| {
                    let k = (first + i * 2) % (PARTITIONS * SORTS);
                    let (q, d) = (k / SORTS, k % SORTS);
                    if rng.next(3) == 0 {
                        json!({"DeleteRequest": {"Key": key(q, d)}})
                    } else {
                        json!({"PutRequest": {"Item": item(q, d, Attrs::random(rng))}})
                    }
                })
                .collect();
            let body = json!({"RequestItems": {TABLE: writes}});
            ("BatchWriteItem", body, false)
        }
    };
    let (status, reply) = call(store, op, &body);
    if status == 200 {
        if op == "BatchWriteItem" {
            // Batch writes wait for a transaction instead of failing.
            assert_eq!(reply["UnprocessedItems"], json!({}), "{body} -> {reply}");
        }
    } else {
        assert!(
            allowed_failure(&reply, conditional),
            "{op} {body} -> {status} {reply}"
        );
    }
}

/// An item's position in an index: the index key, then the table key.
fn position(spec: &Spec, item: &Value) -> Vec<(u8, f64, String)> {
    spec.keys
        .iter()
        .map(|(name, _)| &item[*name])
        .chain([&item["p"], &item["c"]])
        .map(sort_key)
        .collect()
}

/// A field of `x` (`g=v1,h=-,...`).
fn field<'x>(x: &'x str, name: &str) -> &'x str {
    x.split(',')
        .find_map(|f| f.strip_prefix(name)?.strip_prefix('='))
        .unwrap()
}

/// One index read to run page by page and check.
struct Read {
    op: &'static str,
    spec: &'static Spec,
    request: Value,
    forward: bool,
    /// The items hold every attribute (ALL, or an LSI's fetch).
    whole: bool,
    /// Where the read looks: the queried partition and sort condition.
    found_under: Box<dyn Fn(&Value) -> bool>,
}

impl Read {
    fn spec(name: &str) -> &'static Spec {
        INDEXES.iter().find(|s| s.name == name).unwrap()
    }

    fn query(name: &'static str, condition: &str, values: Value, rng: &mut Lcg) -> Read {
        let forward = rng.coin();
        let spec = Read::spec(name);
        Read {
            op: "Query",
            spec,
            request: json!({"TableName": TABLE, "IndexName": name,
                "KeyConditionExpression": condition, "ExpressionAttributeValues": values,
                "ScanIndexForward": forward, "Limit": 1 + rng.next(3)}),
            forward,
            whole: spec.projected.is_none(),
            found_under: Box::new(|_| true),
        }
    }

    fn scan(name: &'static str, rng: &mut Lcg) -> Read {
        let spec = Read::spec(name);
        Read {
            op: "Scan",
            spec,
            request: json!({"TableName": TABLE, "IndexName": name, "Limit": 1 + rng.next(4)}),
            forward: true,
            whole: spec.projected.is_none(),
            found_under: Box::new(|_| true),
        }
    }

    fn under(mut self, found_under: impl Fn(&Value) -> bool + 'static) -> Read {
        self.found_under = Box::new(found_under);
        self
    }

    /// Reads every page and checks the items one by one and in sequence;
    /// returns them.
    fn run(&self, store: &Store) -> Vec<Value> {
        let items = read_all(store, self.op, self.request.clone());
        let what = || format!("{} {}", self.op, self.request);
        let mut previous: Option<Vec<(u8, f64, String)>> = None;
        for item in &items {
            // In the index: every key attribute, of its type, not empty.
            for (name, ty) in self.spec.keys {
                assert!(
                    item.get(*name).and_then(|v| v.get(*ty)).is_some()
                        && item[*name] != json!({"S": ""}),
                    "{}: {item} lacks index key {name}",
                    what()
                );
            }
            assert!(
                (self.found_under)(item),
                "{}: {item} is outside the range read",
                what()
            );
            // One version: the attributes agree with the `x` written with them.
            if let Some(x) = item.get("x") {
                let x = x["S"].as_str().unwrap();
                for name in INDEX_ATTRS {
                    match item.get(name) {
                        Some(v) => assert_eq!(field(x, name), render(v), "{}: {item}", what()),
                        None if self.whole => assert_eq!(field(x, name), "-", "{}: {item}", what()),
                        None => {}
                    }
                }
            } else {
                assert!(!self.whole, "{}: {item} has no x", what());
            }
            let here = position(self.spec, item);
            if let Some(before) = previous {
                let order = before.partial_cmp(&here).unwrap();
                let want = if self.forward {
                    std::cmp::Ordering::Less
                } else {
                    std::cmp::Ordering::Greater
                };
                assert_eq!(order, want, "{}: out of order at {item}", what());
            }
            previous = Some(here);
        }
        items
    }
}

/// Each anchor in the range of `found_under` appears in `items` exactly once.
fn check_anchors(
    items: &[Value],
    anchors: &[Value],
    found_under: &dyn Fn(&Value) -> bool,
    what: &str,
) {
    for anchor in anchors.iter().filter(|a| found_under(a)) {
        let seen = items
            .iter()
            .filter(|i| i["p"] == anchor["p"] && i["c"] == anchor["c"])
            .count();
        assert_eq!(seen, 1, "{what}: anchor {anchor} seen {seen} times");
    }
}

/// One round of reads: each partition of `by_g` (GSI, hash only, ALL) and
/// `by_s` (LSI, KEYS_ONLY, sometimes ALL_ATTRIBUTES through the table), with
/// and without sort conditions, both directions; a Scan of each, and a
/// parallel Scan of `by_g`.
fn read_round(store: &Store, rng: &mut Lcg, anchors: &[Value]) {
    let mut reads = Vec::new();
    for v in 0..VALUES {
        let g = typed("g", v);
        let want = g.clone();
        reads.push(
            Read::query("by_g", "g = :g", json!({":g": g}), rng).under(move |i| i["g"] == want),
        );
    }
    for p in 0..PARTITIONS {
        let partition = json!({"S": format!("k{p}")});
        let mut read = if rng.coin() {
            let from = format!("v{}", rng.next(VALUES));
            let values = json!({":p": partition, ":s": {"S": from}});
            let want = partition.clone();
            Read::query("by_s", "p = :p AND s >= :s", values, rng)
                .under(move |i| i["p"] == want && i["s"]["S"].as_str().unwrap() >= from.as_str())
        } else {
            let want = partition.clone();
            Read::query("by_s", "p = :p", json!({":p": partition}), rng)
                .under(move |i| i["p"] == want)
        };
        if rng.coin() {
            // Attributes the LSI does not project are fetched from the item.
            read.request["Select"] = json!("ALL_ATTRIBUTES");
            read.whole = true;
        }
        read.request["ConsistentRead"] = json!(rng.coin());
        reads.push(read);
    }
    for h in 0..VALUES {
        let (a, b) = (rng.next(VALUES), rng.next(VALUES));
        let (lo, hi) = (format!("v{}", a.min(b)), format!("v{}", a.max(b)));
        let values = json!({":h": typed("h", h), ":lo": {"S": lo}, ":hi": {"S": hi}});
        let want = typed("h", h);
        reads.push(
            Read::query("by_h", "h = :h AND r BETWEEN :lo AND :hi", values, rng).under(move |i| {
                let r = i["r"]["S"].as_str().unwrap();
                i["h"] == want && lo.as_str() <= r && r <= hi.as_str()
            }),
        );
    }
    for name in ["by_g", "by_h", "by_s"] {
        reads.push(Read::scan(name, rng));
    }
    for read in &reads {
        let items = read.run(store);
        check_anchors(
            &items,
            anchors,
            &*read.found_under,
            &read.request.to_string(),
        );
    }
    // A parallel Scan: each segment in order, the anchors once over all.
    let mut all = Vec::new();
    for segment in 0..2 {
        let mut read = Read::scan("by_g", rng);
        read.request["Segment"] = json!(segment);
        read.request["TotalSegments"] = json!(2);
        all.extend(read.run(store));
    }
    check_anchors(&all, anchors, &|_| true, "parallel Scan of by_g");
}

/// Runs `body` on its own thread; fails instead of hanging on a deadlock.
fn within(seconds: u64, body: impl FnOnce() + Send + 'static) {
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = thread::spawn(move || {
        body();
        let _ = tx.send(());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(seconds)) {
        Ok(()) => handle.join().unwrap(),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(_) => panic!("no progress after {seconds} s: deadlock?"),
    }
}

#[test]
fn index_reads_under_concurrent_writes() {
    within(300, || {
        let store = index_model::new_store();
        let anchors = Arc::new(anchors());
        for anchor in anchors.iter() {
            let (status, reply) = call(
                &store,
                "PutItem",
                &json!({"TableName": TABLE, "Item": anchor}),
            );
            assert_eq!(status, 200, "{reply}");
        }
        let start = Arc::new(Barrier::new(WRITERS + READERS));
        let writing = Arc::new(AtomicUsize::new(WRITERS));
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (store, start, writing) = (store.clone(), start.clone(), writing.clone());
                thread::spawn(move || {
                    let mut rng = Lcg(w as u64 + 1);
                    let mut kinds = [0usize; 5];
                    start.wait();
                    for i in 0..WRITES {
                        // Every kind in turn, at random keys.
                        let kind = (i + w) % 5;
                        write(&store, &mut rng, kind);
                        kinds[kind] += 1;
                    }
                    writing.fetch_sub(1, Ordering::SeqCst);
                    kinds
                })
            })
            .collect();
        let readers: Vec<_> = (0..READERS)
            .map(|r| {
                let (store, start, writing) = (store.clone(), start.clone(), writing.clone());
                let anchors = anchors.clone();
                thread::spawn(move || {
                    let mut rng = Lcg(100 + r as u64);
                    let mut rounds = 0;
                    start.wait();
                    while rounds < MIN_ROUNDS || writing.load(Ordering::SeqCst) > 0 {
                        read_round(&store, &mut rng, &anchors);
                        rounds += 1;
                    }
                    rounds
                })
            })
            .collect();
        for writer in writers {
            let kinds = writer.join().unwrap();
            assert!(kinds.iter().all(|&n| n > 0), "{kinds:?}");
        }
        for reader in readers {
            assert!(reader.join().unwrap() >= MIN_ROUNDS);
        }
        // Quiescent: every index equals a rebuild from the table, and a last
        // round of reads still finds every anchor.
        index_model::check(&store).unwrap();
        read_round(&store, &mut Lcg(7), &anchors);
    });
}

/// The `by_h` partition `h = 1` read two items a page, with writes between
/// the first and the second page: what was read stays read, what moved
/// ahead is read again, what moved behind or away is missed.
#[test]
fn a_page_sequence_is_not_a_snapshot() {
    let store = index_model::new_store();
    let at = |c: usize, h: usize, r: &str| {
        let mut it = item(0, c, Attrs([None; 4]));
        it["h"] = typed("h", h);
        it["r"] = json!({"S": r});
        it["x"] = json!({"S": format!("h={h},r={r}")});
        it
    };
    let put = |item: Value| {
        let (status, reply) = call(
            &store,
            "PutItem",
            &json!({"TableName": TABLE, "Item": item}),
        );
        assert_eq!(status, 200, "{reply}");
    };
    for (c, r) in ["v0", "v1", "v2", "v3"].into_iter().enumerate() {
        put(at(c, 1, r));
    }
    let query = json!({"TableName": TABLE, "IndexName": "by_h", "Limit": 2,
        "KeyConditionExpression": "h = :h", "ExpressionAttributeValues": {":h": {"N": "1"}}});
    let (status, first) = call(&store, "Query", &query);
    assert_eq!(status, 200, "{first}");
    let seen = |items: &[Value]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|i| (render(&i["c"]), render(&i["r"])))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(c, r)| ((*c).into(), (*r).into()))
            .collect()
    };
    let mut items = first["Items"].as_array().unwrap().clone();
    assert_eq!(seen(&items), pairs(&[("0", "v0"), ("1", "v1")]));

    put(at(0, 1, "v9")); // ahead of the cursor (after v1): read again
    put(at(3, 1, "v00")); // behind it (v0 < v00 < v1): missed
    put(at(2, 2, "v2")); // out of the partition: missed
    put(at(4, 1, "v5")); // new, ahead: read
    let mut rest = query.clone();
    rest["ExclusiveStartKey"] = first["LastEvaluatedKey"].clone();
    items.extend(read_all(&store, "Query", rest));
    assert_eq!(
        seen(&items),
        pairs(&[("0", "v0"), ("1", "v1"), ("4", "v5"), ("0", "v9")])
    );
    // Each copy is the version of its moment, consistent with itself.
    assert_eq!(items[0]["x"], json!({"S": "h=1,r=v0"}));
    assert_eq!(items[3]["x"], json!({"S": "h=1,r=v9"}));

    // A read started after the writes returned sees all of them (no lag,
    // GSI or not).
    let fresh = read_all(&store, "Query", query);
    assert_eq!(
        seen(&fresh),
        pairs(&[("3", "v00"), ("1", "v1"), ("4", "v5"), ("0", "v9")])
    );
    index_model::check(&store).unwrap();
}
