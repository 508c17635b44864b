//! Properties: for generated tables and key conditions, paging through a
//! Query with any Limit (forward or reverse, with or without a filter)
//! returns exactly the items a naive filter over all items returns, in
//! sort-key order; the same for Scan with filters and segments.

use dynacond::api::{PutItemInput, QueryInput, ScanInput};
use dynacond::{AttributeValue, Item, Number, Store, wire};
use proptest::prelude::*;
use serde_json::json;

const T: &str = "tbl";

#[derive(Debug, Clone)]
enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    Between,
    BeginsWith,
}

#[derive(Debug, Clone)]
struct Case {
    /// Sort key type: "S" or "N".
    string_keys: bool,
    /// (partition, sort, v) triples.
    items: Vec<(u8, i32, i32)>,
    partition: u8,
    op: Option<(Op, i32, i32)>,
    filter: Option<i32>,
    limit: Option<i64>,
    forward: bool,
}

fn sort_value(string_keys: bool, n: i32) -> AttributeValue {
    if string_keys {
        // Zero-padded-less decimal text: a string order unlike the numeric one.
        AttributeValue::s(n.to_string())
    } else {
        AttributeValue::N(Number::parse(&format!("{n}e-1")).unwrap())
    }
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        prop::collection::vec((0u8..3, -30i32..30, 0i32..10), 0..40),
        0u8..3,
        prop::option::of((
            prop_oneof![
                Just(Op::Eq),
                Just(Op::Lt),
                Just(Op::Le),
                Just(Op::Gt),
                Just(Op::Ge),
                Just(Op::Between),
                Just(Op::BeginsWith),
            ],
            -30i32..30,
            0i32..20,
        )),
        prop::option::of(0i32..10),
        prop::option::of(1i64..8),
        any::<bool>(),
    )
        .prop_map(
            |(string_keys, items, partition, op, filter, limit, forward)| Case {
                string_keys,
                items,
                partition,
                op,
                filter,
                limit,
                forward,
            },
        )
}

fn store(case: &Case) -> (Store, Vec<Item>) {
    let store = Store::new();
    let t = if case.string_keys { "S" } else { "N" };
    store
        .create_table(
            wire::from_value(json!({"TableName": T,
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": t}]}))
            .unwrap(),
        )
        .unwrap();
    let mut stored: Vec<Item> = Vec::new();
    for (p, c, v) in &case.items {
        let mut item = Item::new();
        item.insert("p".into(), AttributeValue::s(format!("p{p}")));
        item.insert("c".into(), sort_value(case.string_keys, *c));
        item.insert("v".into(), AttributeValue::n(*v));
        store.put_item(PutItemInput::new(T, item.clone())).unwrap();
        stored.retain(|i| !(i["p"] == item["p"] && i["c"] == item["c"]));
        stored.push(item);
    }
    (store, stored)
}

/// The model's order of sort values.
fn order(a: &AttributeValue, b: &AttributeValue) -> std::cmp::Ordering {
    match (a, b) {
        (AttributeValue::S(x), AttributeValue::S(y)) => x.as_bytes().cmp(y.as_bytes()),
        (AttributeValue::N(x), AttributeValue::N(y)) => x.cmp(y),
        _ => panic!("mixed sort types"),
    }
}

fn holds(op: &Op, c: &AttributeValue, a: &AttributeValue, b: &AttributeValue) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => order(c, a) == Equal,
        Op::Lt => order(c, a) == Less,
        Op::Le => order(c, a) != Greater,
        Op::Gt => order(c, a) == Greater,
        Op::Ge => order(c, a) != Less,
        Op::Between => order(c, a) != Less && order(c, b) != Greater,
        Op::BeginsWith => match (c, a) {
            (AttributeValue::S(x), AttributeValue::S(y)) => x.starts_with(y.as_str()),
            _ => false,
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn query_pages_equal_a_naive_filter(case in case()) {
        let (store, stored) = store(&case);
        let mut input = QueryInput::new(T, "p = :p")
            .with_value(":p", AttributeValue::s(format!("p{}", case.partition)))
            .with_scan_index_forward(case.forward);
        if let Some((op, x, width)) = &case.op {
            // begins_with only exists for S keys.
            let op = match op {
                Op::BeginsWith if !case.string_keys => &Op::Ge,
                other => other,
            };
            let mut a = sort_value(case.string_keys, *x);
            let mut b = sort_value(case.string_keys, x + width);
            if matches!(op, Op::Between) && order(&a, &b) == std::cmp::Ordering::Greater {
                std::mem::swap(&mut a, &mut b);
            }
            let text = match op {
                Op::Eq => "p = :p AND c = :a",
                Op::Lt => "p = :p AND :a > c",
                Op::Le => "p = :p AND c <= :a",
                Op::Gt => "c > :a AND p = :p",
                Op::Ge => "p = :p AND c >= :a",
                Op::Between => "p = :p AND c BETWEEN :a AND :b",
                Op::BeginsWith => "p = :p AND begins_with(c, :a)",
            };
            input.key_condition_expression = Some(text.into());
            input = input.with_value(":a", a.clone());
            if matches!(op, Op::Between) {
                input = input.with_value(":b", b.clone());
            }
            let model_op = op.clone();
            let mut want: Vec<Item> = stored
                .iter()
                .filter(|i| i["p"] == AttributeValue::s(format!("p{}", case.partition)))
                .filter(|i| holds(&model_op, &i["c"], &a, &b))
                .cloned()
                .collect();
            check_query(&store, input, &case, &mut want)?;
        } else {
            let mut want: Vec<Item> = stored
                .iter()
                .filter(|i| i["p"] == AttributeValue::s(format!("p{}", case.partition)))
                .cloned()
                .collect();
            check_query(&store, input, &case, &mut want)?;
        }
    }

    #[test]
    fn scan_pages_and_segments_equal_a_naive_filter(
        case in case(),
        total in prop::option::of(1i64..6),
    ) {
        let (store, stored) = store(&case);
        let mut want: Vec<Item> = stored.clone();
        want.sort_by(|x, y| x["p"].as_s().cmp(&y["p"].as_s()).then_with(|| order(&x["c"], &y["c"])));
        if let Some(f) = case.filter {
            want.retain(|i| i["v"].as_n().unwrap() >= &Number::from(f));
        }
        let segments = total.map_or(vec![None], |t| (0..t).map(|s| Some((s, t))).collect());
        let mut got_all: Vec<Item> = Vec::new();
        for segment in segments {
            let mut start: Option<Item> = None;
            let mut pages = 0;
            loop {
                let mut input = ScanInput::new(T).with_exclusive_start_key(start.take());
                if let Some((s, t)) = segment {
                    input = input.with_segment(s, t);
                }
                if let Some(l) = case.limit {
                    input = input.with_limit(l);
                }
                if let Some(f) = case.filter {
                    input = input.with_filter("v >= :f").with_value(":f", AttributeValue::n(f));
                }
                let out = store.scan(input).unwrap();
                let items = out.items.unwrap();
                prop_assert_eq!(items.len() as u64, out.count);
                if let Some(l) = case.limit {
                    prop_assert!(out.scanned_count <= l as u64);
                }
                got_all.extend(items);
                pages += 1;
                prop_assert!(pages < 200);
                match out.last_evaluated_key {
                    Some(k) => start = Some(k),
                    None => break,
                }
            }
        }
        if total.is_some() {
            // Segments come one after the other: compare as sets, in key order.
            got_all.sort_by(|x, y| x["p"].as_s().cmp(&y["p"].as_s()).then_with(|| order(&x["c"], &y["c"])));
        }
        prop_assert_eq!(got_all, want);
    }
}

fn check_query(
    store: &Store,
    input: QueryInput,
    case: &Case,
    want: &mut Vec<Item>,
) -> Result<(), TestCaseError> {
    want.sort_by(|x, y| order(&x["c"], &y["c"]));
    if !case.forward {
        want.reverse();
    }
    if let Some(f) = case.filter {
        want.retain(|i| i["v"].as_n().unwrap() >= &Number::from(f));
    }
    let mut got: Vec<Item> = Vec::new();
    let mut start: Option<Item> = None;
    for _ in 0..200 {
        let mut page = input.clone().with_exclusive_start_key(start.take());
        if let Some(l) = case.limit {
            page = page.with_limit(l);
        }
        if let Some(f) = case.filter {
            page = page
                .with_filter("v >= :f")
                .with_value(":f", AttributeValue::n(f));
        }
        let out = store.query(page).unwrap();
        let items = out.items.unwrap();
        prop_assert_eq!(items.len() as u64, out.count);
        if let Some(l) = case.limit {
            prop_assert!(out.scanned_count <= l as u64);
            // With items this small, only Limit ends a page before the range does.
            if out.last_evaluated_key.is_some() {
                prop_assert_eq!(out.scanned_count, l as u64);
            }
        } else {
            prop_assert!(out.last_evaluated_key.is_none());
        }
        got.extend(items);
        match out.last_evaluated_key {
            Some(k) => start = Some(k),
            None => {
                prop_assert_eq!(&got, want);
                return Ok(());
            }
        }
    }
    Err(TestCaseError::fail("pagination did not end"))
}
