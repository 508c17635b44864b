//! UpdateExpression: applying typical updates to a realistic item, beside
//! hand-written Rust mutations of the same item in the same run. Each
//! iteration starts from a fresh copy of the item (the copy is not timed).
//!
//! Ratio to read: `apply/<case>/dynacond` over `apply/<case>/hand_written`
//! (target: at most 3x).
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::update::UpdateExpression;
use dynacond::{AttributeValue, Item, Number, wire};

fn n(text: &str) -> Number {
    text.parse().unwrap()
}

fn apply(c: &mut Criterion) {
    let item: Item = wire::item_from_json(include_bytes!("data/order.json")).unwrap();
    let mut names = ExpressionAttributeNames::new();
    names.insert("#s".into(), "status".into());
    names.insert("#l".into(), "lines".into());
    let mut values = ExpressionAttributeValues::new();
    values.insert(":one".into(), AttributeValue::N(n("1")));
    values.insert(":s".into(), AttributeValue::s("shipped"));
    values.insert(":t".into(), AttributeValue::N(n("1764300000")));
    values.insert(":note".into(), AttributeValue::s("left at the door"));
    let line = AttributeValue::M(
        [
            ("sku".to_owned(), AttributeValue::s("B-003")),
            ("qty".to_owned(), AttributeValue::N(n("1"))),
        ]
        .into_iter()
        .collect(),
    );
    values.insert(":line".into(), AttributeValue::L(vec![line.clone()]));
    values.insert(":city".into(), AttributeValue::s("Cambridge"));

    type Mutation = fn(&mut Item, &AttributeValue);
    let cases: Vec<(&str, &str, Mutation)> = vec![
        ("counter_add", "ADD version :one", |i, _| {
            let one = Number::from(1);
            match i.get_mut("version") {
                Some(AttributeValue::N(v)) => *v = v.checked_add(&one).unwrap(),
                _ => {
                    i.insert("version".into(), AttributeValue::N(one));
                }
            }
        }),
        (
            "set_three",
            "SET #s = :s, updated_at = :t, note = :note",
            |i, _| {
                i.insert("status".into(), AttributeValue::s("shipped"));
                i.insert(
                    "updated_at".into(),
                    AttributeValue::N(Number::from(1_764_300_000)),
                );
                i.insert("note".into(), AttributeValue::s("left at the door"));
            },
        ),
        (
            "list_append",
            "SET #l = list_append(#l, :line)",
            |i, line| {
                if let Some(AttributeValue::L(lines)) = i.get_mut("lines") {
                    lines.push(line.clone());
                }
            },
        ),
        ("nested_set", "SET profile.address.city = :city", |i, _| {
            if let Some(AttributeValue::M(p)) = i.get_mut("profile") {
                if let Some(AttributeValue::M(a)) = p.get_mut("address") {
                    a.insert("city".into(), AttributeValue::s("Cambridge"));
                }
            }
        }),
    ];

    let mut group = c.benchmark_group("apply");
    for (name, text, mutate) in cases {
        let update = UpdateExpression::parse(text).unwrap();
        let used_names = text.contains('#').then_some(&names);
        let bound = update
            .bind(used_names, Some(&values), &["pk", "sk"])
            .unwrap();
        let mut ours = item.clone();
        bound.apply_in_place(&mut ours).unwrap();
        let mut theirs = item.clone();
        mutate(&mut theirs, &line);
        assert_eq!(ours, theirs, "{name}: the hand-written mutation must agree");
        group.bench_function(format!("{name}/dynacond"), |b| {
            b.iter_batched_ref(
                || item.clone(),
                |it| bound.apply_in_place(black_box(it)),
                BatchSize::SmallInput,
            );
        });
        group.bench_function(format!("{name}/hand_written"), |b| {
            b.iter_batched_ref(
                || item.clone(),
                |it| mutate(black_box(it), &line),
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, apply);
criterion_main!(benches);
