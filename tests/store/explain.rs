//! `StoreBuilder::explain`: failed conditions of single-item writes and of
//! transactions (TransactWriteItems, PartiQL's ExecuteStatement and
//! ExecuteTransaction) carry their explanation when asked, and never
//! otherwise.

use dynacond::explain::NodeKind;
use dynacond::{AttributeValue, Error, Store, wire};
use serde_json::{Value, json};

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

fn store(explain: bool) -> Store {
    let store = Store::builder().explain(explain).build().unwrap();
    store
        .create_table(req(json!({"TableName": "users",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]})))
        .unwrap();
    store
        .put_item(req(json!({"TableName": "users",
            "Item": {"p": {"S": "u1"}, "v": {"N": "2"}}})))
        .unwrap();
    store
}

fn failing_writes(store: &Store) -> Vec<Error> {
    let cond = json!({"ConditionExpression": "v = :v AND attribute_exists(p)",
        "ExpressionAttributeValues": {":v": {"N": "1"}}});
    let with = |mut body: Value| {
        for (k, v) in cond.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    vec![
        store
            .put_item(req(with(
                json!({"TableName": "users", "Item": {"p": {"S": "u1"}}}),
            )))
            .unwrap_err(),
        store
            .update_item(req(with(
                json!({"TableName": "users", "Key": {"p": {"S": "u1"}}}),
            )))
            .unwrap_err(),
        store
            .delete_item(req(with(
                json!({"TableName": "users", "Key": {"p": {"S": "u1"}}}),
            )))
            .unwrap_err(),
        // A missing item: evaluated as no item.
        store
            .delete_item(req(with(
                json!({"TableName": "users", "Key": {"p": {"S": "nobody"}}}),
            )))
            .unwrap_err(),
    ]
}

#[test]
fn single_item_writes() {
    for e in failing_writes(&store(false)) {
        let Error::ConditionalCheckFailed { explanation, .. } = e else {
            panic!("{e:?}")
        };
        assert_eq!(explanation, None);
    }
    let errors = failing_writes(&store(true));
    for (i, e) in errors.into_iter().enumerate() {
        let Error::ConditionalCheckFailed { explanation, .. } = e else {
            panic!("{e:?}")
        };
        let explanation = explanation.unwrap();
        assert!(!explanation.result());
        let tree = explanation.tree();
        assert_eq!(tree.kind, NodeKind::And);
        let first = &tree.children[0];
        assert!(first.decisive);
        let expected = (i < 3).then(|| AttributeValue::n(2));
        assert_eq!(first.operands[0].value, expected, "write {i}");
        assert_eq!(tree.children[1].outcome, None);
    }
    // Nothing was written.
    let out = store(true)
        .get_item(req(
            json!({"TableName": "users", "Key": {"p": {"S": "u1"}}}),
        ))
        .unwrap();
    assert_eq!(out.item.unwrap()["v"], AttributeValue::n(2));
}

#[test]
fn transactions() {
    let request = json!({"TransactItems": [
        {"Put": {"TableName": "users", "Item": {"p": {"S": "u2"}},
            "ConditionExpression": "attribute_not_exists(p)"}},
        {"ConditionCheck": {"TableName": "users", "Key": {"p": {"S": "u1"}},
            "ConditionExpression": "v > :v", "ExpressionAttributeValues": {":v": {"N": "5"}}}}
    ]});
    for explain in [false, true] {
        let e = store(explain)
            .transact_write_items(req(request.clone()))
            .unwrap_err();
        let Error::TransactionCanceled { reasons, .. } = e else {
            panic!("{e:?}")
        };
        assert_eq!(reasons[0].explanation, None);
        assert_eq!(reasons[1].code.as_str(), "ConditionalCheckFailed");
        match (explain, &reasons[1].explanation) {
            (false, None) => {}
            (true, Some(why)) => {
                assert!(!why.result());
                assert_eq!(why.tree().text, "v > :v");
                assert_eq!(why.tree().operands[0].value, Some(AttributeValue::n(2)));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn partiql_statements_and_transactions() {
    let explaining = store(true);
    let e = explaining
        .execute_transaction(req(json!({"TransactStatements": [
            {"Statement": "UPDATE \"users\" SET w = 1 WHERE p = 'u1' AND v = 7"}
        ]})))
        .unwrap_err();
    let Error::TransactionCanceled { reasons, .. } = e else {
        panic!("{e:?}")
    };
    let why = reasons[0].explanation.as_ref().unwrap();
    assert!(!why.result());
    // PartiQL's generated placeholders show as they are (`:~q2`).
    let comparison = why.to_json().to_string();
    assert!(comparison.contains(r#"{"N":"2"}"#), "{comparison}");

    let update = json!({"Statement": "UPDATE \"users\" SET w = 1 WHERE p = 'u1' AND v = 7"});
    let e = explaining
        .execute_statement(req(update.clone()))
        .unwrap_err();
    let Error::ConditionalCheckFailed { explanation, .. } = e else {
        panic!("{e:?}")
    };
    assert_eq!(explanation.unwrap().tree().kind, NodeKind::And);
    let e = store(false).execute_statement(req(update)).unwrap_err();
    assert!(matches!(
        e,
        Error::ConditionalCheckFailed {
            explanation: None,
            ..
        }
    ));
}
