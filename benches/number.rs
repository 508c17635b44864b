//! Number parsing, comparison and addition, beside the same work on `f64`.
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dynacond::Number;

/// Typical number strings as they arrive in DynamoDB JSON.
const TEXTS: &[&str] = &[
    "0",
    "1",
    "42",
    "-7",
    "100",
    "1234567",
    "3.14",
    "-0.5",
    "19.99",
    "0.001",
    "1e3",
    "-17.4E37",
    "1700000000",
    "1700000000.123",
    "12345678901234567890",
    "0.000000123",
    "9.99e99",
    "-88.3",
    "25.41",
    "31415926535897932384626433832795028841",
];

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("number/parse");
    group.bench_function("Number::parse", |b| {
        b.iter(|| {
            for t in TEXTS {
                black_box(Number::parse(black_box(t)).unwrap());
            }
        });
    });
    group.bench_function("f64::from_str", |b| {
        b.iter(|| {
            for t in TEXTS {
                black_box(black_box(t).parse::<f64>().unwrap());
            }
        });
    });
    group.finish();
}

/// Every ordered pair of the typical numbers, as `Number`s and as `f64`s.
type Pairs = (Vec<(Number, Number)>, Vec<(f64, f64)>);

fn pairs() -> Pairs {
    let numbers: Vec<Number> = TEXTS.iter().map(|t| Number::parse(t).unwrap()).collect();
    let floats: Vec<f64> = TEXTS.iter().map(|t| t.parse().unwrap()).collect();
    let mut np = Vec::new();
    let mut fp = Vec::new();
    for i in 0..numbers.len() {
        for j in 0..numbers.len() {
            np.push((numbers[i], numbers[j]));
            fp.push((floats[i], floats[j]));
        }
    }
    (np, fp)
}

fn compare(c: &mut Criterion) {
    let (np, fp) = pairs();
    let mut group = c.benchmark_group("number/compare");
    group.bench_function("Number::cmp", |b| {
        b.iter(|| {
            for (x, y) in &np {
                black_box(black_box(x).cmp(black_box(y)));
            }
        });
    });
    group.bench_function("f64::partial_cmp", |b| {
        b.iter(|| {
            for (x, y) in &fp {
                black_box(black_box(x).partial_cmp(black_box(y)));
            }
        });
    });
    group.finish();
}

fn add(c: &mut Criterion) {
    let (np, fp) = pairs();
    let mut group = c.benchmark_group("number/add");
    group.bench_function("Number::checked_add", |b| {
        b.iter(|| {
            for (x, y) in &np {
                // Some pairs overflow 38 digits: the error path is part of the cost.
                let _ = black_box(black_box(x).checked_add(black_box(y)));
            }
        });
    });
    group.bench_function("f64::add", |b| {
        b.iter(|| {
            for (x, y) in &fp {
                black_box(black_box(*x) + black_box(*y));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, parse, compare, add);
criterion_main!(benches);
