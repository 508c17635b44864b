//! Which error `update::check_update` (UpdateItem without a store) reports
//! when a request has several problems. Spec §12.1 gives dynacond's order:
//! expression length, parse, placeholder and static checks, then the
//! validation of ExpressionAttributeValues' values, then unused placeholders,
//! then the item (condition, computing the new item, size and nesting).

use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::update::check_update;
use dynacond::{AttributeValue, Item};

fn values(entries: &[(&str, AttributeValue)]) -> ExpressionAttributeValues {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn empty_ss() -> AttributeValue {
    AttributeValue::Ss(std::collections::BTreeSet::new())
}

fn message(
    expression: &str,
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
    item: Option<&Item>,
) -> String {
    let e = check_update(expression, names, values, item).unwrap_err();
    assert_eq!(e.type_name(), "ValidationException", "{e:?}");
    e.message().to_owned()
}

#[test]
fn static_checks_come_before_unused_placeholders() {
    let v = values(&[
        (":a", AttributeValue::n(1)),
        (":unused", AttributeValue::n(2)),
    ]);
    assert_eq!(
        message("SET a = :a SET b = :a", None, Some(&v), None),
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"
    );
    assert_eq!(
        message("SET a = :a REMOVE a", None, Some(&v), None),
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"
    );
    assert_eq!(
        message("SET a = :a + :b", None, Some(&v), None),
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :b"
    );
}

#[test]
fn unused_placeholders_come_before_the_item() {
    let v = values(&[
        (":a", AttributeValue::n(1)),
        (":unused", AttributeValue::n(2)),
    ]);
    // `b` is missing: a run-time error, which must not be reached.
    assert_eq!(
        message("SET a = b + :a", None, Some(&v), Some(&Item::new())),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
    );
}

#[test]
fn invalid_values_come_before_unused_placeholders_and_the_item() {
    let v = values(&[(":a", empty_ss()), (":unused", AttributeValue::n(2))]);
    assert_eq!(
        message("SET a = :a", None, Some(&v), None),
        "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :a"
    );
}

/// §12.1 puts "parse, placeholder and static checks" before "EAV value
/// validation"; `check_update` validates the values first, so a request
/// with both an invalid value and a static error gets the value error.
#[test]
fn static_checks_come_before_value_validation() {
    let v = values(&[(":v", empty_ss())]);
    assert_eq!(
        message("SET a = :v REMOVE a", None, Some(&v), None),
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"
    );
    assert_eq!(
        message("SET a = :v SET b = :v", None, Some(&v), None),
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"
    );
    assert_eq!(
        message("SET a = :v, b = :w", None, Some(&v), None),
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :w"
    );
}
