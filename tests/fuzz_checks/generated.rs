//! The `generated` fuzz target's check: the fuzzer's bytes become, through
//! `dynacond::generate`'s `Arbitrary` impls (feature `arbitrary`), a valid
//! item, condition and update with their placeholder maps, the way a user's
//! own cargo-fuzz target would build them.

use arbitrary::{Arbitrary, Unstructured};
use dynacond::api::{
    CreateTableInput, GetItemInput, PutItemInput, ReturnConsumedCapacity, ReturnValue,
    UpdateItemInput,
};
use dynacond::condition::check_condition;
use dynacond::generate::{Condition, Shape, Update};
use dynacond::update::check_update;
use dynacond::{Error, Item, Store, item_size, wire};

/// What the store answered, or what the crate's pure functions say it should.
#[derive(Debug, PartialEq)]
enum Outcome {
    Updated(Item),
    ConditionFailed,
    Invalid(String),
}

/// Generated inputs are valid: the condition passes every request check
/// and evaluates on the item; the update parses and binds. One UpdateItem
/// with both (their placeholders renamed apart) answers what
/// `check_condition` then `check_update` predict; an updated item is stored
/// as returned, round-trips through DynamoDB JSON, and the write consumed
/// `max(ceil(old / 1 KB), ceil(new / 1 KB))` units. An update generated for
/// the item (`Shape::arbitrary_update_for`) applies to it.
pub fn generated(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let shape = Shape::default();
    let (Ok(item), Ok(condition), Ok(update)) = (
        shape.arbitrary_item(&mut u),
        Condition::arbitrary(&mut u),
        Update::arbitrary(&mut u),
    ) else {
        return;
    };
    let holds = check_condition(
        &condition.expression,
        condition.names(),
        condition.values(),
        Some(&item),
    )
    .unwrap_or_else(|e| panic!("{condition:?} is not valid: {e}"));
    let expected = if !holds {
        Outcome::ConditionFailed
    } else {
        match check_update(
            &update.expression,
            update.names(),
            update.values(),
            Some(&item),
        ) {
            Ok(Some(new)) => Outcome::Updated(new),
            Ok(None) => panic!("{update:?} removed the item"),
            Err(e) => Outcome::Invalid(e.to_string()),
        }
    };

    let store = Store::new();
    store
        .create_table(CreateTableInput::new("table").with_hash_key("pk", dynacond::ScalarType::S))
        .unwrap();
    store
        .put_item(PutItemInput::new("table", item.clone()))
        .unwrap_or_else(|e| panic!("{item:?} is not valid: {e}"));
    let key: Item = item
        .iter()
        .filter(|(name, _)| *name == "pk")
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    // The condition's placeholders renamed apart from the update's.
    let rename = |text: &str| text.replace("#n", "#c").replace(":v", ":c");
    let mut names = update.names.clone();
    names.extend(condition.names.iter().map(|(k, v)| (rename(k), v.clone())));
    let mut values = update.values.clone();
    values.extend(condition.values.iter().map(|(k, v)| (rename(k), v.clone())));
    let mut request = UpdateItemInput::new("table", key.clone())
        .with_update(&update.expression)
        .with_condition(rename(&condition.expression))
        .with_return_values(ReturnValue::AllNew)
        .with_return_consumed_capacity(ReturnConsumedCapacity::Total);
    request.expression_attribute_names = (!names.is_empty()).then_some(names);
    request.expression_attribute_values = (!values.is_empty()).then_some(values);
    let answered = store.update_item(request);
    let got = match &answered {
        Ok(out) => Outcome::Updated(out.attributes.clone().unwrap_or_default()),
        Err(Error::ConditionalCheckFailed { .. }) => Outcome::ConditionFailed,
        Err(e) => Outcome::Invalid(e.to_string()),
    };
    assert_eq!(got, expected, "{item:?}\n{condition:?}\n{update:?}");

    // An update generated for the item applies to it.
    if let Ok(fitting) = shape.arbitrary_update_for(&mut u, &item) {
        check_update(
            &fitting.expression,
            fitting.names(),
            fitting.values(),
            Some(&item),
        )
        .unwrap_or_else(|e| panic!("{item:?}\n{fitting:?} does not apply: {e}"));
    }

    let stored = store
        .get_item(GetItemInput::new("table", key))
        .unwrap()
        .item
        .unwrap();
    let (Ok(out), Outcome::Updated(new)) = (answered, got) else {
        assert_eq!(stored, item, "a refused update changed the item");
        return;
    };
    assert_eq!(stored, new);
    let json = wire::item_to_json(&new);
    assert_eq!(
        wire::item_from_json(json.as_bytes()).unwrap(),
        new,
        "{json}"
    );
    let units = |size: usize| size.div_ceil(1024).max(1) as f64;
    let consumed = out.consumed_capacity.and_then(|c| c.capacity_units);
    assert_eq!(
        consumed,
        Some(units(item_size(&item)).max(units(item_size(&new)))),
        "old {} bytes, new {} bytes",
        item_size(&item),
        item_size(&new)
    );
}
