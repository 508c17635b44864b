//! Secondary indexes: what an index costs a write, and what reading through
//! an index costs beside reading the table, in the same run.
//!
//! Ratios to read:
//! * `put/gsis_<n>` over `put/gsis_0`: a PutItem on a table with `n` GSIs
//!   (every put moves the item's entry in each index) against the same put
//!   on a table without one; (ratio - 1) / n is the cost of one index.
//! * `query100/gsi` over `query100/table`: a Query returning 100 items
//!   through a GSI of a 100,000-item table against the same 100 items read
//!   from the table by its own key.
//! * `backfill/*` (items per second): UpdateTable creating a GSI over a
//!   100,000-item table, which visits every item under its lock and
//!   inserts its entry (`gsi`: one HASH attribute; `gsi_2h2r`: two HASH and
//!   two RANGE attributes), against `btreeset_baseline`, inserting the
//!   same 100,000 (index key, table key) pairs of strings into a plain
//!   `BTreeSet`: the floor any ordered index must pay.
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::hint::black_box;

use std::collections::BTreeSet;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dynacond::api::{PutItemInput, QueryInput};
use dynacond::{Store, wire};
use serde_json::{Value, json};

/// A table keyed by `p` with `n` GSIs, on attributes `g0`..`g{n-1}`.
fn table_with_gsis(n: usize) -> Store {
    let store = Store::new();
    let mut definitions = vec![json!({"AttributeName": "p", "AttributeType": "S"})];
    let mut indexes = Vec::new();
    for i in 0..n {
        definitions.push(json!({"AttributeName": format!("g{i}"), "AttributeType": "S"}));
        indexes.push(json!({"IndexName": format!("gsi{i}"),
            "KeySchema": [{"AttributeName": format!("g{i}"), "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}));
    }
    let mut create = json!({"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": definitions});
    if n > 0 {
        create["GlobalSecondaryIndexes"] = Value::Array(indexes);
    }
    store
        .create_table(wire::from_value(create).unwrap())
        .unwrap();
    store
}

fn put(c: &mut Criterion) {
    let mut group = c.benchmark_group("put");
    for n in [0usize, 1, 5] {
        let store = table_with_gsis(n);
        // Every put changes each index key, so each index moves an entry.
        let requests: Vec<PutItemInput> = (0..64)
            .map(|i| {
                let mut item = json!({"p": {"S": format!("k{}", i % 16)}, "n": {"N": "1"}});
                for g in 0..5 {
                    item[format!("g{g}")] = json!({"S": format!("v{i}")});
                }
                wire::from_value(json!({"TableName": "bench", "Item": item})).unwrap()
            })
            .collect();
        let mut next = 0usize;
        group.bench_function(format!("gsis_{n}"), |b| {
            b.iter_batched(
                || {
                    next = (next + 1) % requests.len();
                    requests[next].clone()
                },
                |r| black_box(store.put_item(r).unwrap()),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn query100(c: &mut Criterion) {
    let store = Store::new();
    store
        .create_table(
            wire::from_value(json!({"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                    {"AttributeName": "c", "AttributeType": "N"},
                    {"AttributeName": "g", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "by_g",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "ALL"}}]}))
            .unwrap(),
        )
        .unwrap();
    // 1,000 partitions of 100 items; partition `k<i>` holds the same items
    // as index partition `g<i>`.
    for i in 0..100_000 {
        let (part, c) = (i / 100, i % 100);
        store
            .put_item(
                wire::from_value(json!({"TableName": "bench", "Item": {
                    "p": {"S": format!("k{part}")}, "c": {"N": c.to_string()},
                    "g": {"S": format!("g{part}")}, "s": {"S": "some text"}}}))
                .unwrap(),
            )
            .unwrap();
    }
    let table =
        QueryInput::new("bench", "p = :v").with_value(":v", dynacond::AttributeValue::s("k500"));
    let mut index =
        QueryInput::new("bench", "g = :v").with_value(":v", dynacond::AttributeValue::s("g500"));
    index.index_name = Some("by_g".into());
    assert_eq!(store.query(table.clone()).unwrap().count, 100);
    assert_eq!(store.query(index.clone()).unwrap().count, 100);
    let mut group = c.benchmark_group("query100");
    group.bench_function("table", |b| {
        b.iter_batched(
            || table.clone(),
            |q| black_box(store.query(q).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("gsi", |b| {
        b.iter_batched(
            || index.clone(),
            |q| black_box(store.query(q).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Items in the backfill benchmarks' table.
const BACKFILL_ITEMS: usize = 100_000;

/// The index partition of item `i`: 1,000 partitions of 100 items.
fn backfill_item(i: usize) -> Value {
    json!({"p": {"S": format!("k{i}")}, "g": {"S": format!("g{}", i % 1000)},
        "h2": {"N": (i % 7).to_string()}, "r1": {"S": format!("r{}", i % 13)},
        "r2": {"N": i.to_string()}, "s": {"S": "some text"}})
}

fn backfill(c: &mut Criterion) {
    let store = Store::new();
    store
        .create_table(
            wire::from_value(
                json!({"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}),
            )
            .unwrap(),
        )
        .unwrap();
    for i in 0..BACKFILL_ITEMS {
        store
            .put_item(
                wire::from_value(json!({"TableName": "bench", "Item": backfill_item(i)})).unwrap(),
            )
            .unwrap();
    }
    let element = |name: &str, kind: &str| json!({"AttributeName": name, "KeyType": kind});
    let definition = |name: &str, ty: &str| json!({"AttributeName": name, "AttributeType": ty});
    let indexes = [
        (
            "gsi",
            json!([element("g", "HASH")]),
            json!([definition("g", "S")]),
        ),
        (
            "gsi_2h2r",
            json!([
                element("g", "HASH"),
                element("h2", "HASH"),
                element("r1", "RANGE"),
                element("r2", "RANGE")
            ]),
            json!([
                definition("g", "S"),
                definition("h2", "N"),
                definition("r1", "S"),
                definition("r2", "N")
            ]),
        ),
    ];
    let update = |request: Value| {
        store
            .update_table(wire::from_value(request).unwrap())
            .unwrap()
    };
    let drop_index = || {
        let described = store
            .describe_table(wire::from_value(json!({"TableName": "bench"})).unwrap())
            .unwrap();
        if described
            .table
            .global_secondary_indexes
            .is_some_and(|g| !g.is_empty())
        {
            update(json!({"TableName": "bench",
                "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "by_g"}}]}));
        }
    };

    let mut group = c.benchmark_group("backfill");
    group.throughput(Throughput::Elements(BACKFILL_ITEMS as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    for (name, schema, definitions) in indexes {
        let create = json!({"TableName": "bench", "AttributeDefinitions": definitions,
            "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "by_g", "KeySchema": schema,
                "Projection": {"ProjectionType": "KEYS_ONLY"}}}]});
        group.bench_function(name, |b| {
            // Dropping the previous index (100,000 entries) is set-up, not timed.
            b.iter_batched(
                || {
                    drop_index();
                    create.clone()
                },
                |request| black_box(update(request)),
                BatchSize::PerIteration,
            )
        });
        drop_index();
    }
    // The same (index key, table key) pairs, copied (as the backfill
    // copies the key values out of each item) into a BTreeSet: what an
    // ordered insertion of the entries costs at the least. Dropping the set
    // is not timed, as dropping the index is not.
    let pairs: Vec<(String, String)> = (0..BACKFILL_ITEMS)
        .map(|i| (format!("g{}", i % 1000), format!("k{i}")))
        .collect();
    group.bench_function("btreeset_baseline", |b| {
        b.iter_batched(
            || (),
            |()| {
                let mut set = BTreeSet::new();
                for pair in &pairs {
                    set.insert(pair.clone());
                }
                black_box(set)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, put, query100, backfill);
criterion_main!(benches);
