//! Fault rules through the protocol layer (`Store::call`, `protocol::dispatch`):
//! each effect, counts, `after` and seeds reproducible, and no data changed
//! by an injected failure.

use std::time::{Duration, Instant};

use dynacond::Store;
use dynacond::api::GetItemInput;
use dynacond::faults::{FaultRule, RuleSet};
use dynacond::protocol::dispatch;
use dynacond::wire;
use serde_json::{Value, json};

fn store() -> Store {
    let store = Store::new();
    for name in ["users", "orders"] {
        store
            .call(
                "CreateTable",
                json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]}),
            )
            .unwrap();
    }
    store
}

fn put(table: &str, id: &str) -> Value {
    json!({"TableName": table, "Item": {"id": {"S": id}, "v": {"N": "1"}}})
}

fn key(id: &str) -> dynacond::Item {
    wire::item_from_json(format!(r#"{{"id": {{"S": "{id}"}}}}"#).as_bytes()).unwrap()
}

fn count(store: &Store, table: &str) -> u64 {
    store.table(table).unwrap().item_count()
}

#[test]
fn every_named_error_answers_with_its_type_and_status_and_writes_nothing() {
    let store = store();
    for name in dynacond::faults::ERROR_NAMES {
        store
            .faults()
            .set(vec![FaultRule::error(*name).operation("PutItem").times(1)])
            .unwrap();
        let body = put("users", "a").to_string();
        let reply = dispatch(&store, Some("DynamoDB_20120810.PutItem"), body.as_bytes());
        let json: Value = serde_json::from_slice(&reply.body).unwrap();
        let wire_type = json["__type"].as_str().unwrap();
        assert!(wire_type.ends_with(&format!("#{name}")), "{wire_type}");
        let status = match *name {
            "InternalServerError" => 500,
            "ServiceUnavailable" => 503,
            _ => 400,
        };
        assert_eq!(reply.status, status, "{name}");
        assert!(json["message"].is_string(), "{name}");
        assert_eq!(count(&store, "users"), 0, "{name} wrote");
    }
    // The rule ran out: the next put is made.
    store.call("PutItem", put("users", "a")).unwrap();
    assert_eq!(count(&store, "users"), 1);
}

#[test]
fn table_and_key_choose_the_requests() {
    let store = store();
    store
        .faults()
        .set(vec![
            FaultRule::error("ConditionalCheckFailedException")
                .message("injected")
                .table("users")
                .key(key("b")),
        ])
        .unwrap();
    store.call("PutItem", put("users", "a")).unwrap();
    store.call("PutItem", put("orders", "b")).unwrap();
    let e = store.call("PutItem", put("users", "b")).unwrap_err();
    assert_eq!(
        (e.type_name(), e.message()),
        ("ConditionalCheckFailedException", "injected")
    );
    let e = store
        .call(
            "UpdateItem",
            json!({"TableName": "users", "Key": {"id": {"S": "b"}},
                "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "2"}}}),
        )
        .unwrap_err();
    assert_eq!(e.type_name(), "ConditionalCheckFailedException");
    assert_eq!((count(&store, "users"), count(&store, "orders")), (1, 1));
    // A request that fails the request checks gets that error.
    let e = store
        .call(
            "PutItem",
            json!({"TableName": "users", "Item": {"id": {"S": "b"}}, "ReturnValues": "NOPE"}),
        )
        .unwrap_err();
    assert_eq!(e.type_name(), "ValidationException");
    // The typed methods do not consult the rules.
    store
        .put_item(dynacond::api::PutItemInput::new("users", key("b")))
        .unwrap();
    assert!(
        store
            .get_item(GetItemInput::new("users", key("b")))
            .unwrap()
            .item
            .is_some()
    );
}

#[test]
fn after_and_times_skip_then_fire_then_stop() {
    let store = store();
    store
        .faults()
        .set(vec![
            FaultRule::error("ThrottlingException")
                .operation("GetItem")
                .after(2)
                .times(3),
        ])
        .unwrap();
    let get = json!({"TableName": "users", "Key": {"id": {"S": "a"}}});
    let outcomes: Vec<bool> = (0..8)
        .map(|_| store.call("GetItem", get.clone()).is_ok())
        .collect();
    assert_eq!(
        outcomes,
        [true, true, false, false, false, true, true, true]
    );
    let listed = store.faults().list();
    assert_eq!((listed[0].remaining, listed[0].fired), (Some(0), 3));
}

#[test]
fn a_seeded_probability_fires_the_same_way_every_run() {
    let run = |seed: u64| {
        let store = store();
        store
            .faults()
            .set(vec![
                FaultRule::error("InternalServerError")
                    .operation("PutItem")
                    .probability(0.25, seed),
            ])
            .unwrap();
        let fired: Vec<bool> = (0..64)
            .map(|i| {
                store
                    .call("PutItem", put("users", &format!("k{i}")))
                    .is_err()
            })
            .collect();
        // Exactly the puts that were not refused were made.
        let made = fired.iter().filter(|f| !**f).count() as u64;
        assert_eq!(count(&store, "users"), made);
        fired
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42), run(43));
    let hits = run(42).iter().filter(|f| **f).count();
    assert!((4..=32).contains(&hits), "{hits}");
}

#[test]
fn a_transaction_is_cancelled_with_a_conflict_on_the_chosen_action() {
    let store = store();
    store
        .faults()
        .set(vec![
            FaultRule::transaction_conflict().table("orders").times(1),
        ])
        .unwrap();
    let transaction = json!({"TransactItems": [
        {"Put": {"TableName": "users", "Item": {"id": {"S": "a"}}}},
        {"Update": {"TableName": "orders", "Key": {"id": {"S": "o"}},
            "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": {":n": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": "users", "Key": {"id": {"S": "z"}},
            "ConditionExpression": "attribute_not_exists(id)"}}]});
    let e = store
        .call("TransactWriteItems", transaction.clone())
        .unwrap_err();
    let dynacond::Error::TransactionCanceled { message, reasons } = e else {
        panic!("{e:?}");
    };
    assert_eq!(
        message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict, None]"
    );
    assert_eq!(
        reasons[1].message.as_deref(),
        Some("Transaction is ongoing for the item")
    );
    assert_eq!((count(&store, "users"), count(&store, "orders")), (0, 0));
    store.call("TransactWriteItems", transaction).unwrap();
    assert_eq!((count(&store, "users"), count(&store, "orders")), (1, 1));

    // TransactGetItems, chosen by index.
    store
        .faults()
        .set(vec![
            FaultRule::transaction_conflict()
                .operation("TransactGetItems")
                .action(0),
        ])
        .unwrap();
    let e = store
        .call(
            "TransactGetItems",
            json!({"TransactItems": [{"Get": {"TableName": "users", "Key": {"id": {"S": "a"}}}}]}),
        )
        .unwrap_err();
    assert_eq!(e.type_name(), "TransactionCanceledException");
}

#[test]
fn batch_writes_leave_the_chosen_entries_unprocessed_and_make_the_rest() {
    let store = store();
    store
        .faults()
        .set(vec![
            FaultRule::unprocessed()
                .table("users")
                .key(key("b"))
                .times(1),
        ])
        .unwrap();
    let batch = json!({"RequestItems": {
        "users": [{"PutRequest": {"Item": {"id": {"S": "a"}}}},
                  {"PutRequest": {"Item": {"id": {"S": "b"}, "x": {"S": "kept"}}}}],
        "orders": [{"DeleteRequest": {"Key": {"id": {"S": "nothing"}}}}]}});
    let out = store.call("BatchWriteItem", batch).unwrap();
    assert_eq!(
        out["UnprocessedItems"],
        json!({"users": [{"PutRequest": {"Item": {"id": {"S": "b"}, "x": {"S": "kept"}}}}]})
    );
    assert_eq!(count(&store, "users"), 1);
    // Retrying the unprocessed items (as SDKs and users do) makes them.
    let retry = json!({"RequestItems": out["UnprocessedItems"].clone()});
    let out = store.call("BatchWriteItem", retry).unwrap();
    assert_eq!(out["UnprocessedItems"], json!({}));
    assert_eq!(count(&store, "users"), 2);

    // An invalid batch is refused whole, whatever the rule.
    store
        .faults()
        .set(vec![FaultRule::unprocessed().action(0)])
        .unwrap();
    let bad = json!({"RequestItems": {"users": [
        {"PutRequest": {"Item": {"id": {"S": "c"}}}},
        {"PutRequest": {"Item": {"other": {"S": "no key"}}}}]}});
    assert_eq!(
        store.call("BatchWriteItem", bad).unwrap_err().type_name(),
        "ValidationException"
    );
    assert_eq!(count(&store, "users"), 2);
}

#[test]
fn batch_reads_leave_the_chosen_keys_unprocessed() {
    let store = store();
    for id in ["a", "b", "c"] {
        store.call("PutItem", put("users", id)).unwrap();
    }
    store
        .faults()
        .set(vec![
            FaultRule::unprocessed().operation("BatchGetItem").action(1),
        ])
        .unwrap();
    let out = store
        .call(
            "BatchGetItem",
            json!({"RequestItems": {"users": {"Keys": [
                {"id": {"S": "a"}}, {"id": {"S": "b"}}, {"id": {"S": "c"}}],
                "ProjectionExpression": "id"}}}),
        )
        .unwrap();
    assert_eq!(out["Responses"]["users"].as_array().unwrap().len(), 2);
    assert_eq!(
        out["UnprocessedKeys"],
        json!({"users": {"Keys": [{"id": {"S": "b"}}], "ProjectionExpression": "id"}})
    );
}

#[test]
fn latency_delays_the_answer_and_then_runs_the_operation() {
    let store = store();
    store
        .faults()
        .set(vec![
            FaultRule::latency(Duration::from_millis(120))
                .operation("PutItem")
                .times(1),
        ])
        .unwrap();
    let started = Instant::now();
    store.call("PutItem", put("users", "a")).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(120));
    assert_eq!(count(&store, "users"), 1);
    let started = Instant::now();
    store.call("PutItem", put("users", "b")).unwrap();
    assert!(started.elapsed() < Duration::from_millis(120));

    // Latency and an error together: the error comes late.
    store
        .faults()
        .set(vec![
            FaultRule::error("ServiceUnavailable").with_latency(Duration::from_millis(60)),
        ])
        .unwrap();
    let started = Instant::now();
    let e = store.call("ListTables", json!({})).unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(60));
    assert_eq!(e.http_status(), 503);
}

#[test]
fn rule_sets_parse_from_the_endpoint_shape() {
    let store = store();
    let set = RuleSet::parse(
        br#"{"rules": [{"operation": "PutItem", "table": "users",
            "error": "ProvisionedThroughputExceededException", "times": 2}]}"#,
    )
    .unwrap();
    store.faults().set(set.rules).unwrap();
    for _ in 0..2 {
        let e = store.call("PutItem", put("users", "a")).unwrap_err();
        assert_eq!(e.type_name(), "ProvisionedThroughputExceededException");
    }
    store.call("PutItem", put("users", "a")).unwrap();
    let listed = serde_json::to_value(store.faults().list()).unwrap();
    assert_eq!(listed[0]["remaining"], 0);
    assert_eq!(listed[0]["fired"], 2);
}
