//! PartiQL: parsing typical statements, and ExecuteStatement beside the
//! equivalent expression requests in the same run.
//!
//! * `partiql_parse/<statement>`: `Statement::parse` of one typical
//!   statement (the throughput line gives MiB/s of statement text); the
//!   store normally skips this through its cache of parsed statements.
//! * `partiql_vs_api/select_by_key/{execute_statement,get_item}` and
//!   `partiql_vs_api/update_by_key/{execute_statement,update_item}`: one
//!   item read or updated by its key, 1000 items in the table; requests are
//!   built outside the timed part (cloned per iteration in both columns).
//!   The ratio to read is execute_statement over the API call.
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark setup may unwrap: a failure there should stop the run"
)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dynacond::api::{
    CreateTableInput, ExecuteStatementInput, GetItemInput, PutItemInput, UpdateItemInput,
};
use dynacond::partiql::Statement;
use dynacond::store::ScalarType;
use dynacond::{AttributeValue, Item, Store};

const STATEMENTS: &[(&str, &str)] = &[
    (
        "select_key",
        "SELECT * FROM \"orders\" WHERE pk = 'c1' AND sk = 7",
    ),
    (
        "select_filter",
        "SELECT id, total, address.city FROM \"orders\" WHERE pk = ? AND sk BETWEEN 1 AND 9 \
         AND attribute_exists(total) AND status IN ['open', 'held'] ORDER BY sk DESC",
    ),
    (
        "insert",
        "INSERT INTO \"orders\" VALUE {'pk': 'c1', 'sk': 7, 'total': 12.50, 'tags': <<'a', 'b'>>, \
         'lines': [{'sku': 'x1', 'n': 2}, {'sku': 'y9', 'n': 1}]}",
    ),
    (
        "update",
        "UPDATE \"orders\" SET total = total + ? SET tags = set_add(tags, <<'gift'>>) REMOVE note \
         WHERE pk = ? AND sk = ? AND total < 100 RETURNING MODIFIED NEW *",
    ),
];

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("partiql_parse");
    for (name, text) in STATEMENTS {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| Statement::parse(black_box(text)).unwrap())
        });
    }
    group.finish();
}

fn key(i: usize) -> Item {
    Item::from_iter([("p".to_owned(), AttributeValue::s(format!("k{i}")))])
}

fn store() -> Store {
    let store = Store::new();
    store
        .create_table(CreateTableInput::new("bench").with_hash_key("p", ScalarType::S))
        .unwrap();
    for i in 0..1000 {
        let mut item = key(i);
        item.insert("n".into(), AttributeValue::n(100));
        item.insert("s".into(), AttributeValue::s("some text"));
        store.put_item(PutItemInput::new("bench", item)).unwrap();
    }
    store
}

fn versus(c: &mut Criterion) {
    let store = store();
    let mut group = c.benchmark_group("partiql_vs_api");

    let select = ExecuteStatementInput::new("SELECT * FROM \"bench\" WHERE p = ?")
        .with_parameters([AttributeValue::s("k500")]);
    group.bench_function("select_by_key/execute_statement", |b| {
        b.iter_batched(
            || select.clone(),
            |input| black_box(store.execute_statement(input).unwrap()),
            BatchSize::SmallInput,
        );
    });
    let get = GetItemInput::new("bench", key(500));
    group.bench_function("select_by_key/get_item", |b| {
        b.iter_batched(
            || get.clone(),
            |input| black_box(store.get_item(input).unwrap()),
            BatchSize::SmallInput,
        );
    });

    let update = ExecuteStatementInput::new("UPDATE \"bench\" SET n = n + ? WHERE p = ?")
        .with_parameters([AttributeValue::n(1), AttributeValue::s("k500")]);
    group.bench_function("update_by_key/execute_statement", |b| {
        b.iter_batched(
            || update.clone(),
            |input| black_box(store.execute_statement(input).unwrap()),
            BatchSize::SmallInput,
        );
    });
    // The same write: UPDATE never creates an item, so the expression
    // request carries PartiQL's implicit condition too.
    let update_item = UpdateItemInput::new("bench", key(501))
        .with_update("SET n = n + :one")
        .with_condition("attribute_exists(p)")
        .with_value(":one", AttributeValue::n(1));
    group.bench_function("update_by_key/update_item", |b| {
        b.iter_batched(
            || update_item.clone(),
            |input| black_box(store.update_item(input).unwrap()),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, parse, versus);
criterion_main!(benches);
