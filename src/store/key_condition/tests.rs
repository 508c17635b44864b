//! The key-condition analysis of keys of several components (indexes.md
//! §5.9): the shapes accepted and refused, with their messages; one- and
//! two-attribute keys keep DynamoDB's table messages (the table rules are
//! covered with the Query tests in `store::query`).

use super::*;
use crate::number::Number;
use crate::parser::error::ExpressionKind;

fn attr(name: &str, scalar_type: ScalarType) -> KeyAttribute {
    KeyAttribute {
        name: name.into(),
        scalar_type,
    }
}

/// HASH `h1` (S), `h2` (S); RANGE `r1` (S), `r2` (N), `r3` (B).
fn key() -> (Vec<KeyAttribute>, Vec<KeyAttribute>) {
    (
        vec![attr("h1", ScalarType::S), attr("h2", ScalarType::S)],
        vec![
            attr("r1", ScalarType::S),
            attr("r2", ScalarType::N),
            attr("r3", ScalarType::B),
        ],
    )
}

fn values() -> ExpressionAttributeValues {
    [
        (":a", AttributeValue::s("a")),
        (":b", AttributeValue::s("b")),
        (":x", AttributeValue::s("x")),
        (":y", AttributeValue::s("y")),
        (":one", AttributeValue::n(1)),
        (":two", AttributeValue::n(2)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn analyse_with(
    text: &str,
    hash: &[KeyAttribute],
    range: &[KeyAttribute],
) -> Result<ComponentCondition, String> {
    let values = values();
    let expr = ConditionExpression::parse_as(text, ExpressionKind::KeyCondition)
        .map_err(|e| e.message().to_owned())?;
    // Binding checks that every value is used: give the unused ones a use.
    let _ = expr.bind(None, Some(&values));
    analyse_components(&expr, hash, range, None, Some(&values)).map_err(|e| e.message().to_owned())
}

fn analyse(text: &str) -> Result<ComponentCondition, String> {
    let (hash, range) = key();
    analyse_with(text, &hash, &range)
}

fn s(x: &str) -> KeyValue {
    KeyValue::S(x.into())
}

fn n(x: i64) -> KeyValue {
    KeyValue::N(Number::from(x))
}

#[test]
fn accepted_shapes() {
    let ab = vec![s("a"), s("b")];
    let want = |range: Vec<KeyValue>, last| ComponentCondition {
        hash: ab.clone(),
        range,
        last,
    };
    for (text, expected) in [
        ("h1 = :a AND h2 = :b", want(vec![], None)),
        // Textual order is irrelevant, reversed operands flip.
        ("h2 = :b AND h1 = :a", want(vec![], None)),
        (
            "h1 = :a AND h2 = :b AND r1 = :x",
            want(vec![], Some(SortCondition::Eq(s("x")))),
        ),
        (
            "r2 > :one AND h2 = :b AND r1 = :x AND h1 = :a",
            want(vec![s("x")], Some(SortCondition::Gt(n(1)))),
        ),
        (
            "h1 = :a AND h2 = :b AND r1 = :x AND :two >= r2",
            want(vec![s("x")], Some(SortCondition::Le(n(2)))),
        ),
        (
            "h1 = :a AND h2 = :b AND r1 = :x AND r2 = :one",
            want(vec![s("x")], Some(SortCondition::Eq(n(1)))),
        ),
        (
            "h1 = :a AND h2 = :b AND r1 BETWEEN :x AND :y",
            want(vec![], Some(SortCondition::Between(s("x"), s("y")))),
        ),
        (
            "h1 = :a AND h2 = :b AND begins_with(r1, :x)",
            want(vec![], Some(SortCondition::BeginsWith(s("x")))),
        ),
        (
            "(h1 = :a) AND (h2 = :b) AND (r1 = :x) AND (r2 BETWEEN :one AND :two)",
            want(vec![s("x")], Some(SortCondition::Between(n(1), n(2)))),
        ),
    ] {
        assert_eq!(analyse(text), Ok(expected), "{text}");
    }
}

#[test]
fn refused_shapes() {
    let missed = |a: &str| format!("Query condition missed key schema element: {a}");
    let unsupported = "Query key condition not supported".to_owned();
    let ikc = "Invalid KeyConditionExpression: ";
    for (text, message) in [
        // A HASH component missing, whatever else is given.
        ("h1 = :a", missed("h2")),
        ("h2 = :b AND r1 = :x", missed("h1")),
        ("h1 = :a AND z = :x", missed("h2")),
        // A gap in the RANGE components.
        ("h1 = :a AND h2 = :b AND r2 > :one", missed("r1")),
        ("h1 = :a AND h2 = :b AND r1 = :x AND r3 = :x", missed("r2")),
        // A non-key attribute: the first component not named is missed.
        ("h1 = :a AND h2 = :b AND z = :x", missed("r1")),
        // HASH components need `=`, RANGE components before the last too.
        ("h1 = :a AND h2 > :b", unsupported.clone()),
        ("h1 = :a AND begins_with(h2, :b)", unsupported.clone()),
        ("h1 = :a AND h2 BETWEEN :a AND :b", unsupported.clone()),
        ("h1 = :a AND h2 = :b AND r1 > :x AND r2 = :one", unsupported.clone()),
        (
            "h1 = :a AND h2 = :b AND begins_with(r1, :x) AND r2 = :one",
            unsupported.clone(),
        ),
        // Twice the same component.
        (
            "h1 = :a AND h2 = :b AND r1 = :x AND r1 = :y",
            format!("{ikc}KeyConditionExpressions must only contain one condition per key"),
        ),
        // Types per component.
        (
            "h1 = :one AND h2 = :b",
            "One or more parameter values were invalid: Condition parameter type does not match schema type".into(),
        ),
        (
            "h1 = :a AND h2 = :b AND r1 = :x AND r2 > :y",
            "One or more parameter values were invalid: Condition parameter type does not match schema type".into(),
        ),
        (
            "h1 = :a AND h2 = :b AND r1 = :x AND begins_with(r2, :one)",
            format!(
                "{ikc}Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"
            ),
        ),
        // The forbidden operators of every key condition.
        (
            "h1 = :a OR h2 = :b",
            format!("{ikc}Invalid operator used in KeyConditionExpression: OR"),
        ),
    ] {
        assert_eq!(analyse(text), Err(message), "{text}");
    }
}

#[test]
fn a_fully_named_key_with_an_extra_condition_is_not_supported() {
    let (hash, range) = key();
    let range = range.get(..1).unwrap().to_vec();
    assert_eq!(
        analyse_with("h1 = :a AND h2 = :b AND r1 = :x AND z = :y", &hash, &range),
        Err("Query key condition not supported".into())
    );
}

#[test]
fn keys_of_two_attributes_keep_the_length_rule() {
    let ikc = "Invalid KeyConditionExpression: ";
    let length = format!("{ikc}Conditions can be of length 1 or 2 only");
    // Two HASH components, like a table's HASH + RANGE, take two conditions.
    let hash = vec![attr("h1", ScalarType::S), attr("h2", ScalarType::S)];
    assert_eq!(
        analyse_with("h1 = :a AND h2 = :b AND h1 = :a", &hash, &[]),
        Err(length.clone())
    );
    assert!(analyse_with("h1 = :a AND h2 = :b", &hash, &[]).is_ok());
    // One HASH and one RANGE: exactly a table's rules.
    let (h, r) = (
        vec![attr("h1", ScalarType::S)],
        vec![attr("r1", ScalarType::S)],
    );
    assert_eq!(
        analyse_with("h1 = :a AND r1 > :x AND r1 < :y", &h, &r),
        Err(length)
    );
    assert_eq!(
        analyse_with("h1 = :a AND z = :x", &h, &r),
        Err("Query condition missed key schema element: r1".into())
    );
    assert_eq!(
        analyse_with("h1 = :a AND z = :x", &h, &[]),
        Err("Query key condition not supported".into())
    );
}

#[test]
fn matching_follows_the_components() {
    let cond = analyse("h1 = :a AND h2 = :b AND r1 = :x AND r2 < :two").unwrap();
    let b = |x: &[u8]| KeyValue::B(x.to_vec());
    assert!(cond.matches(&[s("a"), s("b")], &[s("x"), n(1), b(b"z")]));
    assert!(!cond.matches(&[s("a"), s("b")], &[s("x"), n(2), b(b"")]));
    assert!(!cond.matches(&[s("a"), s("c")], &[s("x"), n(1), b(b"z")]));
    assert!(!cond.matches(&[s("a"), s("b")], &[s("y"), n(1), b(b"z")]));
    // A key too short to hold the conditioned component never matches.
    assert!(!cond.matches(&[s("a"), s("b")], &[s("x")]));
}
