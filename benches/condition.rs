//! Condition expressions: parsing a corpus of realistic expressions (beside
//! the byte pre-scan alone), and evaluating prepared conditions on a realistic
//! item beside hand-written Rust checks of the same logic on the same item.
//!
//! Ratios to read: `parse/corpus/parse_condition` over `parse/corpus/check_limits`
//! (and its MB/s), and each `evaluate/<case>/dynacond` over
//! `evaluate/<case>/hand_written` (target: at most 3x), and each
//! `explain/<case>/explain` over `explain/<case>/evaluate` (explain's
//! overhead on the same bound condition and item).
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dynacond::condition::ConditionExpression;
use dynacond::parser::{ExpressionKind, check_limits, parse_condition};
use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::{AttributeValue, Item, Number, wire};

/// Twenty-four expressions of the kinds applications send.
const CORPUS: &[&str] = &[
    "attribute_not_exists(pk)",
    "attribute_not_exists(pk) AND attribute_not_exists(sk)",
    "attribute_exists(pk)",
    "#v = :expected",
    "attribute_not_exists(#v) OR #v = :expected",
    "#v < :next",
    "balance >= :amount",
    "price BETWEEN :lo AND :hi",
    "price BETWEEN :lo AND :hi AND category = :c",
    "#s IN (:a, :b, :c)",
    "#s IN (:s0, :s1, :s2, :s3, :s4, :s5, :s6, :s7, :s8, :s9)",
    "profile.address.city = :city",
    "profile.emails[0] = :email",
    "size(tags) > :n",
    "contains(tags, :t)",
    "begins_with(sk, :prefix)",
    "attribute_type(payload, :m)",
    "NOT contains(blocked, :user)",
    "(#s = :active OR #s = :pending) AND expires > :now",
    "lease_owner = :me OR attribute_not_exists(lease_owner) OR lease_expiry < :now",
    "#c.#k[3].#x <> :v AND size(#c.#k) <= :max",
    "(#s = :active OR #s = :pending) AND size(tags) > :n AND NOT contains(owner.#b[0], :u) \
     AND created BETWEEN :from AND :to AND kind IN (:k1, :k2, :k3)",
    "a.b.c.d.e.f.g.h = :deep AND attribute_exists(a.b.c.d.e.f.g.h)",
    "version = :v AND updated_at < :t AND attribute_exists(pk) AND NOT begins_with(#s, :x)",
];

/// A condition of close to 4096 bytes: 150 operators over long names.
fn worst_case() -> String {
    let mut text = String::from("attribute_exists(a0)");
    let mut i = 1;
    while text.len() < 4000 {
        text.push_str(&format!(
            " OR a_fairly_long_attribute_name_{i} = :value_{i}"
        ));
        i += 1;
    }
    text
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    let bytes: usize = CORPUS.iter().map(|e| e.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("corpus/check_limits", |b| {
        b.iter(|| {
            for e in CORPUS {
                let _ = black_box(check_limits(black_box(e), ExpressionKind::Condition));
            }
        });
    });
    group.bench_function("corpus/parse_condition", |b| {
        b.iter(|| {
            for e in CORPUS {
                let _ = black_box(parse_condition(black_box(e), ExpressionKind::Condition));
            }
        });
    });
    let worst = worst_case();
    assert!(parse_condition(&worst, ExpressionKind::Condition).is_ok());
    group.throughput(Throughput::Bytes(worst.len() as u64));
    group.bench_function("worst_4kb/check_limits", |b| {
        b.iter(|| check_limits(black_box(&worst), ExpressionKind::Condition));
    });
    group.bench_function("worst_4kb/parse_condition", |b| {
        b.iter(|| parse_condition(black_box(&worst), ExpressionKind::Condition));
    });
    group.finish();
}

/// A realistic item of about 1 KB: an order with a nested profile.
fn item() -> Item {
    wire::item_from_json(include_bytes!("data/order.json")).unwrap()
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.parse().unwrap())
}

fn evaluate(c: &mut Criterion) {
    let item = item();
    let mut names = ExpressionAttributeNames::new();
    names.insert("#v".into(), "version".into());
    names.insert("#s".into(), "status".into());
    let mut values = ExpressionAttributeValues::new();
    values.insert(":expected".into(), n("17"));
    values.insert(":lo".into(), n("100"));
    values.insert(":hi".into(), n("200"));
    values.insert(":c".into(), AttributeValue::s("books"));
    values.insert(":a".into(), AttributeValue::s("pending"));
    values.insert(":b".into(), AttributeValue::s("active"));
    values.insert(":city".into(), AttributeValue::s("London"));
    values.insert(":n".into(), n("3"));
    values.insert(":t".into(), AttributeValue::s("express"));
    values.insert(":prefix".into(), AttributeValue::s("order#2026-11"));
    let expected: Number = "17".parse().unwrap();
    let (lo, hi): (Number, Number) = ("100".parse().unwrap(), "200".parse().unwrap());
    let three: Number = "3".parse().unwrap();

    // (name, expression, the same logic written by hand)
    type Check = fn(&Item, &Number, &Number, &Number, &Number) -> bool;
    let cases: Vec<(&str, &str, Check)> = vec![
        (
            "put_if_absent",
            "attribute_not_exists(pk)",
            |i, _, _, _, _| !i.contains_key("pk"),
        ),
        (
            "optimistic_lock",
            "#v = :expected",
            |i, e, _, _, _| matches!(i.get("version"), Some(AttributeValue::N(v)) if v == e),
        ),
        (
            "range_and_equality",
            "price BETWEEN :lo AND :hi AND category = :c",
            |i, _, lo, hi, _| {
                matches!(i.get("price"), Some(AttributeValue::N(p)) if lo <= p && p <= hi)
                    && matches!(i.get("category"), Some(AttributeValue::S(c)) if c == "books")
            },
        ),
        (
            "in_list",
            "#s IN (:a, :b, :c)",
            |i, _, _, _, _| matches!(i.get("status"), Some(AttributeValue::S(s)) if s == "pending" || s == "active" || s == "books"),
        ),
        (
            "nested_and_size",
            "profile.address.city = :city AND size(tags) > :n",
            |i, _, _, _, _| {
                let city = match i.get("profile") {
                    Some(AttributeValue::M(p)) => match p.get("address") {
                        Some(AttributeValue::M(a)) => a.get("city"),
                        _ => None,
                    },
                    _ => None,
                };
                matches!(city, Some(AttributeValue::S(c)) if c == "London")
                    && matches!(i.get("tags"), Some(AttributeValue::Ss(t)) if t.len() > 3)
            },
        ),
        (
            "contains_begins_with",
            "contains(tags, :t) AND begins_with(sk, :prefix)",
            |i, _, _, _, _| {
                matches!(i.get("tags"), Some(AttributeValue::Ss(t)) if t.contains("express"))
                    && matches!(i.get("sk"), Some(AttributeValue::S(s)) if s.starts_with("order#2026-11"))
            },
        ),
    ];

    let mut group = c.benchmark_group("evaluate");
    for &(name, text, check) in &cases {
        let expr = ConditionExpression::parse(text).unwrap();
        let bound = expr.bind(Some(&names), Some(&values)).unwrap();
        assert_eq!(
            bound.evaluate(&item),
            check(&item, &expected, &lo, &hi, &three),
            "{name}: the hand-written check must agree"
        );
        group.bench_function(format!("{name}/dynacond"), |b| {
            b.iter(|| bound.evaluate(black_box(&item)));
        });
        group.bench_function(format!("{name}/hand_written"), |b| {
            b.iter(|| check(black_box(&item), &expected, &lo, &hi, &three));
        });
    }
    group.finish();

    // Explain's overhead: the same bound condition evaluated plainly and
    // with an explanation (recording, copying the values, building the
    // tree), then the explanation rendered as text and as JSON.
    let mut group = c.benchmark_group("explain");
    for &(name, text, _) in &cases {
        let expr = ConditionExpression::parse(text).unwrap();
        let bound = expr.bind(Some(&names), Some(&values)).unwrap();
        assert_eq!(bound.explain(&item).result(), bound.evaluate(&item));
        group.bench_function(format!("{name}/evaluate"), |b| {
            b.iter(|| bound.evaluate(black_box(&item)));
        });
        group.bench_function(format!("{name}/explain"), |b| {
            b.iter(|| bound.explain(black_box(&item)));
        });
        let explanation = bound.explain(&item);
        group.bench_function(format!("{name}/render_text"), |b| {
            b.iter(|| black_box(&explanation).to_string());
        });
        group.bench_function(format!("{name}/render_json"), |b| {
            b.iter(|| black_box(&explanation).to_json());
        });
    }
    group.finish();
}

criterion_group!(benches, parse, evaluate);
criterion_main!(benches);
