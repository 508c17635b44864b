//! The generators of `dynacond::strategies` (feature `proptest`) give what
//! they promise: values and items DynamoDB accepts, and expressions that
//! parse, bind and use exactly the placeholders their maps define, checked
//! through the same entry points a request takes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests and their helpers may unwrap, index and panic: a panic is a failed test \
              (clippy.toml's allow-*-in-tests covers #[test] functions only, not helpers)"
)]

use dynacond::api::{CreateTableInput, PutItemInput, UpdateItemInput};
use dynacond::condition::check_condition;
use dynacond::parser::placeholders;
use dynacond::store::KeySchema;
use dynacond::strategies::{self, Shape};
use dynacond::update::UpdateExpression;
use dynacond::{AttributeValue, Error, Item, ScalarType, Store, wire};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// The shapes the tests run on: each key type, with and without a sort key,
/// and a shape whose attribute names overlap its key's.
fn shapes() -> Vec<Shape> {
    vec![
        Shape::default(),
        Shape::partition("id", ScalarType::N).with_sort("at", ScalarType::B),
        Shape::partition("b", ScalarType::B)
            .with_sort("count", ScalarType::S)
            .with_attributes(["a", "b", "count", "items", "k y"]),
        Shape::partition("only", ScalarType::S).with_attributes(Vec::<String>::new()),
    ]
}

fn store_for(key: &KeySchema) -> Store {
    let store = Store::new();
    let mut table = CreateTableInput::new("tbl")
        .with_hash_key(key.partition.name.clone(), key.partition.scalar_type);
    if let Some(sort) = &key.sort {
        table = table.with_range_key(sort.name.clone(), sort.scalar_type);
    }
    store.create_table(table).unwrap();
    store
}

fn key_of(item: &Item, key: &KeySchema) -> Item {
    std::iter::once(&key.partition)
        .chain(key.sort.iter())
        .map(|k| (k.name.clone(), item[&k.name].clone()))
        .collect()
}

/// The placeholders a text uses, without repeats, sorted.
fn used(text: &str) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    for p in placeholders(text) {
        let into = if p.starts_with('#') {
            &mut names
        } else {
            &mut values
        };
        if !into.iter().any(|q| q == p) {
            into.push(p.to_owned());
        }
    }
    names.sort();
    values.sort();
    (names, values)
}

fn sorted_keys<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut keys: Vec<String> = keys.cloned().collect();
    keys.sort();
    keys
}

proptest! {
    #![proptest_config(Config::with_cases(128))]

    #[test]
    fn values_are_valid_and_round_trip(value in strategies::attribute_value()) {
        value.validate().unwrap();
        let item = Item::from_iter([("v".to_owned(), value)]);
        let json = wire::item_to_json(&item);
        prop_assert_eq!(wire::item_from_json(json.as_bytes()).unwrap(), item);
    }

    #[test]
    fn numbers_are_within_dynamodb_limits(n in strategies::number()) {
        prop_assert!(n.significant_digits() <= 38);
        prop_assert!(n.is_zero() || (-130..=125).contains(&n.scientific_exponent()));
        prop_assert_eq!(n.to_string().parse::<dynacond::Number>().unwrap(), n);
    }

    #[test]
    fn key_values_have_their_type(
        (t, v) in prop_oneof![Just(ScalarType::S), Just(ScalarType::N), Just(ScalarType::B)]
            .prop_flat_map(|t| (Just(t), strategies::key_value(t)))
    ) {
        prop_assert_eq!(v.value_type().code(), t.code());
        prop_assert!(v != AttributeValue::S(String::new()) && v != AttributeValue::B(Vec::new()));
    }
}

#[test]
fn items_are_accepted_by_a_table_of_their_shape() {
    for shape in shapes() {
        let store = store_for(&shape.key);
        let mut runner = TestRunner::new(Config::with_cases(96));
        runner
            .run(&strategies::item(&shape), |item| {
                dynacond::validate_item(&item).unwrap();
                for key in std::iter::once(&shape.key.partition).chain(shape.key.sort.iter()) {
                    assert_eq!(item[&key.name].value_type().code(), key.scalar_type.code());
                }
                store
                    .put_item(PutItemInput::new("tbl", item.clone()))
                    .unwrap_or_else(|e| panic!("{item:?}: {e}"));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn conditions_parse_bind_and_use_exactly_their_maps() {
    for shape in shapes() {
        let store = store_for(&shape.key);
        let mut runner = TestRunner::new(Config::with_cases(128));
        let cases = (strategies::item(&shape), strategies::condition(&shape));
        runner
            .run(&cases, |(item, c)| {
                let (names, values) = used(&c.expression);
                assert_eq!(names, sorted_keys(c.names.keys()), "{}", c.expression);
                assert_eq!(values, sorted_keys(c.values.keys()), "{}", c.expression);
                // Every check of a request, then evaluation, on an item and on none.
                for on in [Some(&item), None] {
                    check_condition(&c.expression, c.names(), c.values(), on)
                        .unwrap_or_else(|e| panic!("{c:?}: {e}"));
                }
                // And through the store: written, or refused by the condition only.
                let mut put = PutItemInput::new("tbl", item).with_condition(&c.expression);
                put.expression_attribute_names = c.names().cloned();
                put.expression_attribute_values = c.values().cloned();
                match store.put_item(put) {
                    Ok(_) | Err(Error::ConditionalCheckFailed { .. }) => Ok(()),
                    Err(e) => panic!("{c:?}: {e}"),
                }
            })
            .unwrap();
    }
}

/// What applying a valid update to an item may still meet: the item's own
/// types and shape, and arithmetic beyond DynamoDB's numbers.
const APPLY_ERRORS: [&str; 7] = [
    "Attempting to store more than 38 significant digits in a Number",
    "Number overflow. Attempting to store a number with magnitude larger than supported range",
    "Number underflow. Attempting to store a number with magnitude smaller than supported range",
    "The provided expression refers to an attribute that does not exist in the item",
    "An operand in the update expression has an incorrect data type",
    "The document path provided in the update expression is invalid for update",
    "Item size to update has exceeded the maximum allowed size",
];

#[test]
fn updates_bind_and_fail_only_on_the_items_contents() {
    for shape in shapes() {
        let store = store_for(&shape.key);
        let keys: Vec<&str> = std::iter::once(shape.key.partition.name.as_str())
            .chain(shape.key.sort.iter().map(|k| k.name.as_str()))
            .collect();
        let mut runner = TestRunner::new(Config::with_cases(128));
        let cases = (strategies::item(&shape), strategies::update(&shape));
        let applied = std::cell::Cell::new(0);
        runner
            .run(&cases, |(item, u)| {
                let (names, values) = used(&u.expression);
                assert_eq!(names, sorted_keys(u.names.keys()), "{}", u.expression);
                assert_eq!(values, sorted_keys(u.values.keys()), "{}", u.expression);
                let parsed =
                    UpdateExpression::parse_in_request(&u.expression, u.names(), u.values())
                        .unwrap_or_else(|e| panic!("{u:?}: {e}"));
                parsed
                    .bind(u.names(), u.values(), &keys)
                    .unwrap_or_else(|e| panic!("{u:?}: {e}"));
                let key = key_of(&item, &shape.key);
                store.put_item(PutItemInput::new("tbl", item)).unwrap();
                let mut request =
                    UpdateItemInput::new("tbl", key.clone()).with_update(&u.expression);
                request.expression_attribute_names = u.names().cloned();
                request.expression_attribute_values = u.values().cloned();
                match store.update_item(request) {
                    Ok(_) => {
                        applied.set(applied.get() + 1);
                        let got = store
                            .get_item(dynacond::api::GetItemInput::new("tbl", key.clone()))
                            .unwrap()
                            .item
                            .unwrap();
                        // The key is untouched and the new item is one DynamoDB stores.
                        assert_eq!(key_of(&got, &shape.key), key);
                        dynacond::validate_item(&got).unwrap();
                    }
                    Err(e) => assert!(
                        e.type_name() == "ValidationException"
                            && APPLY_ERRORS.contains(&e.message()),
                        "{u:?}: {e}"
                    ),
                }
                Ok(())
            })
            .unwrap();
        // A fair share of updates fit the random items they meet (about a
        // quarter; the rest fail on the item's contents, as checked above).
        let applied = applied.get();
        assert!(
            applied >= 12,
            "only {applied} of 128 updates applied for {shape:?}"
        );
    }
}

#[test]
fn updates_for_an_item_apply_to_it() {
    for shape in shapes() {
        let store = store_for(&shape.key);
        let mut runner = TestRunner::new(Config::with_cases(128));
        runner
            .run(&strategies::item_and_update(&shape), |(item, u)| {
                let (names, values) = used(&u.expression);
                assert_eq!(names, sorted_keys(u.names.keys()), "{}", u.expression);
                assert_eq!(values, sorted_keys(u.values.keys()), "{}", u.expression);
                let offline = dynacond::update::check_update(
                    &u.expression,
                    u.names(),
                    u.values(),
                    Some(&item),
                )
                .unwrap_or_else(|e| panic!("{item:?}\n{u:?}: {e}"));
                let key = key_of(&item, &shape.key);
                store.put_item(PutItemInput::new("tbl", item)).unwrap();
                let mut request = UpdateItemInput::new("tbl", key.clone())
                    .with_update(&u.expression)
                    .with_return_values(dynacond::api::ReturnValue::AllNew);
                request.expression_attribute_names = u.names().cloned();
                request.expression_attribute_values = u.values().cloned();
                let out = store
                    .update_item(request)
                    .unwrap_or_else(|e| panic!("{u:?}: {e}"));
                assert_eq!(out.attributes, offline);
                Ok(())
            })
            .unwrap();
    }
}

/// Over many cases the generators reach every form they promise (so a
/// generator that stopped producing one would be noticed).
#[test]
fn every_form_is_generated() {
    let shape = Shape::default();
    let mut runner = TestRunner::deterministic();
    let mut conditions = String::new();
    let mut updates = String::new();
    let mut types = std::collections::BTreeSet::new();
    for _ in 0..600 {
        let c = strategies::condition(&shape)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        conditions.push_str(&c.expression.to_ascii_uppercase());
        let u = strategies::update(&shape)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        updates.push_str(&u.expression.to_ascii_uppercase());
        let v = strategies::attribute_value()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        types.insert(v.value_type());
    }
    for form in [
        " BETWEEN ",
        " IN (",
        "ATTRIBUTE_EXISTS(",
        "ATTRIBUTE_NOT_EXISTS(",
        "ATTRIBUTE_TYPE(",
        "BEGINS_WITH(",
        "CONTAINS(",
        "SIZE(",
        " NOT ",
        " AND ",
        " OR ",
        "<>",
        ">=",
        "#N0",
    ] {
        assert!(conditions.contains(form), "no condition has {form:?}");
    }
    let update_forms = [
        "SET ",
        "REMOVE ",
        "ADD ",
        "DELETE ",
        "LIST_APPEND(",
        "IF_NOT_EXISTS(",
        " + ",
        " - ",
        "[",
        "#N0",
        ", ",
    ];
    for form in update_forms {
        assert!(updates.contains(form), "no update has {form:?}");
    }
    assert_eq!(types.len(), 10, "only {types:?}");
    let mut fitting = String::new();
    for _ in 0..600 {
        let (_, u) = strategies::item_and_update(&shape)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        fitting.push_str(&u.expression.to_ascii_uppercase());
    }
    // Updates for an item: top-level targets only, so no `[` or nested path.
    for form in &update_forms[..8] {
        assert!(fitting.contains(form), "no update for an item has {form:?}");
    }
}
