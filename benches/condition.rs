//! How long parsing a condition takes, beside the pre-scan alone (the
//! baseline: one pass over the bytes, no allocation).
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dynacond::parser::{ExpressionKind, check_limits, parse_condition};

const CASES: &[(&str, &str)] = &[
    ("typical", "attribute_not_exists(pk) AND #v = :v"),
    (
        "filter",
        "(#s = :active OR #s = :pending) AND size(tags) > :n AND NOT contains(owner.#b[0], :u) \
         AND created BETWEEN :from AND :to AND kind IN (:k1, :k2, :k3)",
    ),
];

fn condition(c: &mut Criterion) {
    let mut group = c.benchmark_group("condition");
    for &(name, text) in CASES {
        group.bench_function(format!("{name}/check_limits"), |b| {
            b.iter(|| check_limits(black_box(text), ExpressionKind::Condition));
        });
        group.bench_function(format!("{name}/parse_condition"), |b| {
            b.iter(|| parse_condition(black_box(text), ExpressionKind::Condition));
        });
    }
    group.finish();
}

criterion_group!(benches, condition);
criterion_main!(benches);
