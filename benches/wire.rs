//! DynamoDB JSON decoding and encoding of a realistic item, beside plain
//! `serde_json::Value` parsing of the same bytes.
#![expect(missing_docs, reason = "criterion_group! generates an undocumented fn")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dynacond::wire;

/// A ~1 KB order item: strings, numbers, a nested map, a list, a string set,
/// a number set, a binary, a boolean and a null.
const ITEM: &str = r#"{
  "pk": {"S": "CUSTOMER#c-000123456"},
  "sk": {"S": "ORDER#2024-05-17T10:22:31.123Z#o-98765"},
  "status": {"S": "SHIPPED"},
  "total": {"N": "1249.97"},
  "itemCount": {"N": "3"},
  "createdAt": {"N": "1715941351"},
  "discountRate": {"N": "0.15"},
  "gift": {"BOOL": false},
  "coupon": {"NULL": true},
  "tags": {"SS": ["express", "fragile", "gift-wrap", "priority"]},
  "warehouses": {"NS": ["12", "47", "303"]},
  "signature": {"B": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="},
  "shippingAddress": {"M": {
    "name": {"S": "Jane Q. Public"},
    "street": {"S": "1234 Long Winding Road, Apartment 56B"},
    "city": {"S": "Springfield"},
    "region": {"S": "IL"},
    "postalCode": {"S": "62704-1234"},
    "country": {"S": "US"},
    "geo": {"M": {"lat": {"N": "39.78172"}, "lon": {"N": "-89.65015"}}},
    "verified": {"BOOL": true}
  }},
  "lines": {"L": [
    {"M": {"sku": {"S": "SKU-1001-RED-L"}, "qty": {"N": "1"}, "price": {"N": "999.99"}, "title": {"S": "Espresso machine, stainless steel"}}},
    {"M": {"sku": {"S": "SKU-2002-BLK"}, "qty": {"N": "2"}, "price": {"N": "124.99"}, "title": {"S": "Ceramic cups, set of four"}}},
    {"S": "note: leave at the back door, beware of the dog"}
  ]},
  "notes": {"S": "Customer asked for delivery between 9 and 5 on weekdays; call ahead if the gate is closed."}
}"#;

fn decode(c: &mut Criterion) {
    let bytes = ITEM.as_bytes();
    // Sanity: the item decodes, and really is about 1 KB on the wire.
    let item = wire::item_from_json(bytes).unwrap();
    assert_eq!(item.len(), 15);
    assert!((900..=2000).contains(&bytes.len()), "{}", bytes.len());
    eprintln!(
        "item: {} bytes of DynamoDB JSON, {} bytes by item_size",
        bytes.len(),
        dynacond::item_size(&item)
    );

    let mut group = c.benchmark_group("wire/decode");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("wire::item_from_json", |b| {
        b.iter(|| black_box(wire::item_from_json(black_box(bytes)).unwrap()));
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(bytes)).unwrap())
        });
    });
    group.finish();
}

/// A conditional PutItem as users send it: a small item, a condition, its
/// names and values (the realistic bench's request, as bytes).
const PUT_REQUEST: &str = r##"{"TableName": "users",
  "Item": {"pk": {"S": "user#00000042"}, "v": {"N": "17"}, "payload": {"S": "p:00000042"}},
  "ConditionExpression": "attribute_not_exists(pk) OR (#v < :v AND begins_with(payload, :p))",
  "ExpressionAttributeNames": {"#v": "v"},
  "ExpressionAttributeValues": {":v": {"N": "17"}, ":p": {"S": "p:"}}}"##;

fn decode_request(c: &mut Criterion) {
    let bytes = PUT_REQUEST.as_bytes();
    let input: dynacond::api::PutItemInput = wire::from_slice(bytes).unwrap();
    assert_eq!(input.expression_attribute_values.map(|v| v.len()), Some(2));
    let mut group = c.benchmark_group("wire/decode_put_request");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("wire::from_slice::<PutItemInput>", |b| {
        b.iter(|| {
            black_box(wire::from_slice::<dynacond::api::PutItemInput>(black_box(bytes)).unwrap())
        });
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(bytes)).unwrap())
        });
    });
    group.finish();
}

fn encode(c: &mut Criterion) {
    let bytes = ITEM.as_bytes();
    let item = wire::item_from_json(bytes).unwrap();
    let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();

    let mut group = c.benchmark_group("wire/encode");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("wire::item_to_json", |b| {
        b.iter(|| black_box(wire::item_to_json(black_box(&item))));
    });
    group.bench_function("serde_json::to_string(Value)", |b| {
        b.iter(|| black_box(serde_json::to_string(black_box(&json)).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, decode, decode_request, encode);
criterion_main!(benches);
