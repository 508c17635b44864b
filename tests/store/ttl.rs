//! Time to Live through the library (spec streams-ttl-tags.md §5, rows 51–68
//! of §9.5): UpdateTimeToLive and DescribeTimeToLive rules and messages,
//! expiry on a manual clock (exactly when the clock passes an item's TTL,
//! after a sweep, never before), the value types and the five-year rule,
//! indexes following the deletions, expired items staying visible until
//! swept, and a property: a sweep at time T deletes exactly the items a
//! naive predicate selects.

use std::time::Duration;

use dynacond::api::{
    DescribeTimeToLiveInput, GetItemInput, TimeToLiveStatus, UpdateTimeToLiveInput,
};
use dynacond::{Clock, Error, Item, Store, wire};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::store_ops;

/// 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

fn json_of<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

/// A store on a manual clock at [`NOW`] with the table `tbl` (key `p`, S).
fn store() -> Store {
    store_with(Store::builder())
}

fn store_with(builder: dynacond::StoreBuilder) -> Store {
    let store = builder.clock(Clock::manual(NOW * 1000)).build().unwrap();
    create(&store, "tbl");
    store
}

fn create(store: &Store, name: &str) {
    store
        .create_table(req(json!({"TableName": name,
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"})))
        .unwrap();
}

/// Runs one request by operation name; the reply as JSON, or the error's
/// type and message.
fn run(store: &Store, op: &str, request: Value) -> Result<Value, (String, String)> {
    let result = match op {
        "UpdateTimeToLive" => store.update_time_to_live(req(request)).map(|o| json_of(&o)),
        "DescribeTimeToLive" => store
            .describe_time_to_live(req(request))
            .map(|o| json_of(&o)),
        "DeleteTable" => store.delete_table(req(request)).map(|_| json!({})),
        "CreateTable" => store.create_table(req(request)).map(|_| json!({})),
        other => panic!("no operation {other}"),
    };
    result.map_err(|e: Error| (e.type_name().to_owned(), e.message().to_owned()))
}

fn spec(attribute: &str, enabled: bool) -> Value {
    json!({"TableName": "tbl",
        "TimeToLiveSpecification": {"AttributeName": attribute, "Enabled": enabled}})
}

fn echo(attribute: &str, enabled: bool) -> Result<Value, (String, String)> {
    Ok(json!({"TimeToLiveSpecification": {"AttributeName": attribute, "Enabled": enabled}}))
}

fn described(attribute: Option<&str>) -> Result<Value, (String, String)> {
    Ok(match attribute {
        Some(a) => {
            json!({"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": a}})
        }
        None => json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}),
    })
}

fn refused(message: &str) -> Result<Value, (String, String)> {
    refused_as("ValidationException", message)
}

fn refused_as(kind: &str, message: &str) -> Result<Value, (String, String)> {
    Err((kind.to_owned(), message.to_owned()))
}

const DESCRIBE: &str = "DescribeTimeToLive";
const UPDATE: &str = "UpdateTimeToLive";

type Step = (&'static str, Value, Result<Value, (String, String)>);

#[test]
fn update_and_describe_rules_and_messages() {
    let describe = || json!({"TableName": "tbl"});
    let other = "TimeToLive is active on a different AttributeName: current AttributeName is exp";
    let long = "x".repeat(256);
    let cases: Vec<(&str, Vec<Step>)> = vec![
        (
            "51 a new table",
            vec![(DESCRIBE, describe(), described(None))],
        ),
        (
            "52 enable",
            vec![
                (UPDATE, spec("exp", true), echo("exp", true)),
                (DESCRIBE, describe(), described(Some("exp"))),
            ],
        ),
        (
            "53 enable twice",
            vec![
                (UPDATE, spec("exp", true), echo("exp", true)),
                (
                    UPDATE,
                    spec("exp", true),
                    refused("TimeToLive is already enabled"),
                ),
            ],
        ),
        (
            "54 enable another attribute",
            vec![
                (UPDATE, spec("exp", true), echo("exp", true)),
                (UPDATE, spec("other", true), refused(other)),
                (DESCRIBE, describe(), described(Some("exp"))),
            ],
        ),
        (
            "55 disable a never-enabled table",
            vec![(
                UPDATE,
                spec("exp", false),
                refused("TimeToLive is already disabled"),
            )],
        ),
        (
            "56 disable naming another attribute",
            vec![
                (UPDATE, spec("exp", true), echo("exp", true)),
                (UPDATE, spec("dog", false), refused(other)),
            ],
        ),
        (
            "57 disable (no cooldown by default), then enable again",
            vec![
                (UPDATE, spec("exp", true), echo("exp", true)),
                (UPDATE, spec("exp", false), echo("exp", false)),
                (DESCRIBE, describe(), described(None)),
                (
                    UPDATE,
                    spec("exp", false),
                    refused("TimeToLive is already disabled"),
                ),
                (UPDATE, spec("other", true), echo("other", true)),
                (DESCRIBE, describe(), described(Some("other"))),
            ],
        ),
        (
            "59 attribute name lengths (characters, not bytes)",
            vec![
                (
                    UPDATE,
                    spec("", true),
                    refused(
                        "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1",
                    ),
                ),
                (
                    UPDATE,
                    spec(&long, true),
                    refused(&format!(
                        "1 validation error detected: Value '{long}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255"
                    )),
                ),
                (
                    UPDATE,
                    spec(&"ü".repeat(255), true),
                    echo(&"ü".repeat(255), true),
                ),
            ],
        ),
        (
            "60 members missing",
            vec![
                (
                    UPDATE,
                    json!({"TableName": "tbl", "TimeToLiveSpecification": {"Enabled": true}}),
                    refused(
                        "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null",
                    ),
                ),
                (
                    UPDATE,
                    json!({"TableName": "tbl", "TimeToLiveSpecification": {"AttributeName": "hello"}}),
                    refused(
                        "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null",
                    ),
                ),
                (
                    UPDATE,
                    json!({"TableName": "tbl"}),
                    refused(
                        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
                    ),
                ),
            ],
        ),
        (
            "61 a missing table, after the constraint layer",
            vec![
                (
                    UPDATE,
                    json!({"TableName": "nosuch", "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}}),
                    refused_as(
                        "ResourceNotFoundException",
                        "Requested resource not found: Table: nosuch not found",
                    ),
                ),
                (
                    DESCRIBE,
                    json!({"TableName": "nosuch"}),
                    refused_as(
                        "ResourceNotFoundException",
                        "Requested resource not found: Table: nosuch not found",
                    ),
                ),
                (
                    UPDATE,
                    json!({"TableName": "nosuch", "TimeToLiveSpecification": {"AttributeName": ""}}),
                    refused(
                        "2 validation errors detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null; Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1",
                    ),
                ),
            ],
        ),
        (
            "62 TTL on the partition key",
            vec![
                (UPDATE, spec("p", true), echo("p", true)),
                (DESCRIBE, describe(), described(Some("p"))),
            ],
        ),
        (
            "68 and the other TableName checks of both operations",
            vec![
                (
                    DESCRIBE,
                    json!({}),
                    refused(
                        "The parameter 'TableName' is required but was not present in the request",
                    ),
                ),
                (
                    UPDATE,
                    json!({"TimeToLiveSpecification": {"AttributeName": "a", "Enabled": true}}),
                    refused(
                        "The parameter 'TableName' is required but was not present in the request",
                    ),
                ),
                (
                    DESCRIBE,
                    json!({"TableName": "ab"}),
                    refused(
                        "TableName must be at least 3 characters long and at most 255 characters long",
                    ),
                ),
                (
                    UPDATE,
                    json!({"TableName": "x".repeat(256)}),
                    refused(
                        "TableName must be at least 3 characters long and at most 255 characters long",
                    ),
                ),
                (
                    DESCRIBE,
                    json!({"TableName": "abc;"}),
                    refused(
                        "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                    ),
                ),
            ],
        ),
        (
            "a re-created table starts disabled",
            vec![
                (UPDATE, spec("exp", true), echo("exp", true)),
                ("DeleteTable", json!({"TableName": "tbl"}), Ok(json!({}))),
                (
                    "CreateTable",
                    json!({"TableName": "tbl", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}),
                    Ok(json!({})),
                ),
                (DESCRIBE, describe(), described(None)),
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (name, steps) in cases {
        let store = store();
        for (i, (op, request, expected)) in steps.into_iter().enumerate() {
            let got = run(&store, op, request);
            if got != expected {
                failures.push(format!(
                    "{name}, step {i} ({op}): got {got:?}, want {expected:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_cooldown_option() {
    // Row 58, with the spec's recommended window.
    let store = store_with(Store::builder().ttl_cooldown(dynacond::store::DYNAMODB_TTL_COOLDOWN));
    let cooldown = "Time to live has been modified multiple times within a fixed interval";
    assert_eq!(run(&store, UPDATE, spec("exp", true)), echo("exp", true));
    assert_eq!(run(&store, UPDATE, spec("exp", false)), refused(cooldown));
    // Content errors first.
    assert_eq!(
        run(&store, UPDATE, spec("exp", true)),
        refused("TimeToLive is already enabled")
    );
    assert_eq!(
        run(&store, DESCRIBE, json!({"TableName": "tbl"})),
        described(Some("exp"))
    );
    store.clock().advance(Duration::from_secs(1859));
    assert_eq!(run(&store, UPDATE, spec("exp", false)), refused(cooldown));
    store.clock().advance(Duration::from_secs(1));
    assert_eq!(run(&store, UPDATE, spec("exp", false)), echo("exp", false));
    assert_eq!(run(&store, UPDATE, spec("exp", true)), refused(cooldown));
    // Each table has its own window; a zero window is off.
    create(&store, "two");
    let two = json!({"TableName": "two",
        "TimeToLiveSpecification": {"AttributeName": "a", "Enabled": true}});
    assert_eq!(run(&store, UPDATE, two), echo("a", true));
    let off = store_with(Store::builder().ttl_cooldown(Duration::ZERO));
    assert_eq!(run(&off, UPDATE, spec("exp", true)), echo("exp", true));
    assert_eq!(run(&off, UPDATE, spec("exp", false)), echo("exp", false));
}

#[test]
fn typed_builders() {
    let store = store();
    store
        .update_time_to_live(UpdateTimeToLiveInput::enable("tbl", "exp"))
        .unwrap();
    let d = store
        .describe_time_to_live(DescribeTimeToLiveInput::new("tbl"))
        .unwrap()
        .time_to_live_description;
    assert_eq!(d.time_to_live_status, TimeToLiveStatus::Enabled);
    let out = store
        .update_time_to_live(UpdateTimeToLiveInput::disable("tbl", "exp"))
        .unwrap();
    assert_eq!(out.time_to_live_specification.enabled, Some(false));
}

// ---------------------------------------------------------------------------
// Expiry

fn put(store: &Store, table: &str, item: Value) {
    store
        .put_item(req(json!({"TableName": table, "Item": item})))
        .unwrap();
}

fn get(store: &Store, p: &str) -> Option<Item> {
    store
        .get_item(req::<GetItemInput>(
            json!({"TableName": "tbl", "Key": {"p": {"S": p}}}),
        ))
        .unwrap()
        .item
}

fn enable(store: &Store, table: &str, attribute: &str) {
    store
        .update_time_to_live(UpdateTimeToLiveInput::enable(table, attribute))
        .unwrap();
}

/// The `p` of every item of `tbl`, sorted.
fn keys(store: &Store) -> Vec<String> {
    let out = store
        .scan(req(json!({"TableName": "tbl", "ConsistentRead": true})))
        .unwrap();
    let mut keys: Vec<String> = out
        .items
        .iter()
        .flatten()
        .map(|i| wire::value_to_json(&i["p"]))
        .collect();
    keys.sort();
    keys
}

#[test]
fn an_item_expires_exactly_when_the_clock_passes_its_ttl() {
    let store = store();
    enable(&store, "tbl", "exp");
    put(
        &store,
        "tbl",
        json!({"p": {"S": "a"}, "exp": {"N": (NOW + 60).to_string()}}),
    );
    put(
        &store,
        "tbl",
        json!({"p": {"S": "b"}, "exp": {"N": format!("{}.25", NOW + 60)}}),
    );
    let clock = store.clock();
    assert_eq!(store.sweep_expired(), 0);
    clock.set_millis((NOW + 60) * 1000);
    // Not strictly before the time yet.
    assert_eq!(store.sweep_expired(), 0);
    clock.set_millis((NOW + 60) * 1000 + 1);
    assert_eq!(store.sweep_expired(), 1);
    assert!(get(&store, "a").is_none());
    assert!(get(&store, "b").is_some());
    clock.set_millis((NOW + 60) * 1000 + 250);
    assert_eq!(store.sweep_expired(), 0);
    clock.set_millis((NOW + 60) * 1000 + 251);
    assert_eq!(store.sweep_expired(), 1);
    assert_eq!(store.table("tbl").unwrap().item_count(), 0);
}

#[test]
fn eligibility_by_type_and_age() {
    // Row 63, and more types.
    let store = store();
    enable(&store, "tbl", "exp");
    let past = (NOW - 60).to_string();
    let items = [
        ("none", json!({})),
        ("past", json!({"exp": {"N": past}})),
        (
            "older-than-5y",
            json!({"exp": {"N": (NOW - 200_000_000).to_string()}}),
        ),
        (
            "about-4y",
            json!({"exp": {"N": (NOW - 126_000_000).to_string()}}),
        ),
        ("future", json!({"exp": {"N": (NOW + 86_400).to_string()}})),
        ("string", json!({"exp": {"S": past}})),
        ("decimal", json!({"exp": {"N": format!("{past}.5")}})),
        (
            "exponent",
            json!({"exp": {"N": format!("{}e0", NOW - 3600)}}),
        ),
        (
            "exponent-neg",
            json!({"exp": {"N": format!("{}e-2", (NOW - 3600) * 100)}}),
        ),
        ("zero", json!({"exp": {"N": "0"}})),
        ("negative", json!({"exp": {"N": "-1"}})),
        (
            "millis",
            json!({"exp": {"N": ((NOW - 60) * 1000).to_string()}}),
        ),
        ("number-set", json!({"exp": {"NS": [past]}})),
        ("string-set", json!({"exp": {"SS": [past]}})),
        ("list", json!({"exp": {"L": [{"N": past}]}})),
        ("nested", json!({"m": {"M": {"exp": {"N": past}}}})),
        ("other-name", json!({"Exp": {"N": past}})),
        ("bool", json!({"exp": {"BOOL": true}})),
        ("null", json!({"exp": {"NULL": true}})),
        ("binary", json!({"exp": {"B": "MTIz"}})),
    ];
    for (p, extra) in &items {
        let mut item = extra.clone();
        item["p"] = json!({"S": p});
        put(&store, "tbl", item);
    }
    assert_eq!(store.sweep_expired(), 5);
    let gone = ["past", "about-4y", "decimal", "exponent", "exponent-neg"];
    let want: Vec<String> = {
        let mut w: Vec<String> = items
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| !gone.contains(p))
            .map(|p| format!(r#"{{"S":"{p}"}}"#))
            .collect();
        w.sort();
        w
    };
    assert_eq!(keys(&store), want);
}

#[test]
fn expired_items_stay_visible_until_swept() {
    // Row 64, and every read path and condition.
    let store = store();
    enable(&store, "tbl", "exp");
    put(
        &store,
        "tbl",
        json!({"p": {"S": "k1"}, "exp": {"N": (NOW - 60).to_string()}}),
    );
    store.clock().advance(Duration::from_secs(3600));
    assert!(get(&store, "k1").is_some());
    let q = store
        .query(req(
            json!({"TableName": "tbl", "KeyConditionExpression": "p = :k",
            "ExpressionAttributeValues": {":k": {"S": "k1"}}, "Select": "COUNT"}),
        ))
        .unwrap();
    assert_eq!(q.count, 1);
    assert_eq!(keys(&store), [r#"{"S":"k1"}"#]);
    let batch = store
        .batch_get_item(req(
            json!({"RequestItems": {"tbl": {"Keys": [{"p": {"S": "k1"}}]}}}),
        ))
        .unwrap();
    assert_eq!(batch.responses["tbl"].len(), 1);
    let txn = store
        .transact_get_items(req(json!({"TransactItems": [
            {"Get": {"TableName": "tbl", "Key": {"p": {"S": "k1"}}}}]})))
        .unwrap();
    assert!(txn.responses[0].item.is_some());
    // A condition sees it too.
    let refused = store.put_item(req(json!({"TableName": "tbl",
        "Item": {"p": {"S": "k1"}}, "ConditionExpression": "attribute_not_exists(p)"})));
    assert!(matches!(refused, Err(Error::ConditionalCheckFailed { .. })));
    assert_eq!(store.sweep_expired(), 1);
    assert!(get(&store, "k1").is_none());
}

#[test]
fn a_rescued_item_is_not_deleted() {
    // Updating an expired item works; moving the value into the future, or
    // removing it, saves the item (§5.3, §5.4).
    let store = store();
    enable(&store, "tbl", "exp");
    for p in ["pushed", "removed", "retyped", "left"] {
        put(
            &store,
            "tbl",
            json!({"p": {"S": p}, "exp": {"N": (NOW - 60).to_string()}}),
        );
    }
    let update = |p: &str, expression: &str, values: Option<Value>| {
        let mut request = json!({"TableName": "tbl", "Key": {"p": {"S": p}},
            "UpdateExpression": expression});
        if let Some(values) = values {
            request["ExpressionAttributeValues"] = values;
        }
        store.update_item(req(request)).unwrap();
    };
    update(
        "pushed",
        "SET exp = exp + :day",
        Some(json!({":day": {"N": "86400"}})),
    );
    update("removed", "REMOVE exp", None);
    update(
        "retyped",
        "SET exp = :s",
        Some(json!({":s": {"S": (NOW - 60).to_string()}})),
    );
    assert_eq!(store.sweep_expired(), 1);
    assert_eq!(
        keys(&store),
        [
            r#"{"S":"pushed"}"#,
            r#"{"S":"removed"}"#,
            r#"{"S":"retyped"}"#
        ]
    );
}

#[test]
fn disabled_ttl_deletes_nothing_and_reenabling_counts_old_items() {
    // Row 67, then §5.4's last point.
    let store = store();
    put(
        &store,
        "tbl",
        json!({"p": {"S": "k1"}, "exp": {"N": (NOW - 60).to_string()}}),
    );
    put(
        &store,
        "tbl",
        json!({"p": {"S": "k2"}, "other": {"N": (NOW - 60).to_string()}}),
    );
    assert_eq!(store.sweep_expired(), 0);
    enable(&store, "tbl", "exp");
    store
        .update_time_to_live(UpdateTimeToLiveInput::disable("tbl", "exp"))
        .unwrap();
    assert_eq!(store.sweep_expired(), 0);
    enable(&store, "tbl", "other");
    assert_eq!(store.sweep_expired(), 1);
    assert_eq!(keys(&store), [r#"{"S":"k1"}"#]);
}

#[test]
fn ttl_on_key_attributes() {
    // Row 62: no type check; a string key never expires, a number key does.
    let store = store();
    enable(&store, "tbl", "p");
    put(&store, "tbl", json!({"p": {"S": (NOW - 60).to_string()}}));
    assert_eq!(store.sweep_expired(), 0);
    store
        .create_table(req(json!({"TableName": "numbered",
            "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "n", "AttributeType": "N"}]})))
        .unwrap();
    enable(&store, "numbered", "n");
    for n in [NOW - 60, NOW + 60] {
        put(&store, "numbered", json!({"n": {"N": n.to_string()}}));
    }
    assert_eq!(store.sweep_expired(), 1);
    assert_eq!(store.table("numbered").unwrap().item_count(), 1);
}

#[test]
fn indexes_follow_the_deletions() {
    // Row 65, with an LSI too: an expired item leaves every index.
    let store = store_ops::new_store();
    store.clock().set_millis(NOW * 1000);
    enable(&store, "tab", "exp");
    let row = |p: &str, c: i64, exp: i64| {
        json!({"p": {"S": p}, "c": {"N": c.to_string()}, "g": {"S": "grp"},
            "v": {"N": c.to_string()}, "exp": {"N": exp.to_string()}})
    };
    put(&store, "tab", row("k0", 0, NOW - 60));
    put(&store, "tab", row("k0", 1, NOW + 60));
    put(&store, "tab", row("k1", 0, NOW - 1));
    store_ops::check_indexes(&store).unwrap();
    let query = |index: &str, condition: &str, values: Value| {
        let out = store
            .query(req(json!({"TableName": "tab", "IndexName": index,
                "KeyConditionExpression": condition, "ExpressionAttributeValues": values})))
            .unwrap();
        out.items
            .iter()
            .flatten()
            .map(|i| (wire::value_to_json(&i["p"]), wire::value_to_json(&i["c"])))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        query("by_g", "g = :g", json!({":g": {"S": "grp"}})).len(),
        3
    );
    assert_eq!(store.sweep_expired(), 2);
    let left = vec![(r#"{"S":"k0"}"#.to_owned(), r#"{"N":"1"}"#.to_owned())];
    assert_eq!(query("by_g", "g = :g", json!({":g": {"S": "grp"}})), left);
    assert_eq!(query("by_v", "p = :p", json!({":p": {"S": "k0"}})), left);
    assert!(query("by_v", "p = :p", json!({":p": {"S": "k1"}})).is_empty());
    store_ops::check_indexes(&store).unwrap();
}

// ---------------------------------------------------------------------------
// The property

/// Five 365-day years in milliseconds.
const FIVE_YEARS_MS: i128 = 5 * 365 * 86_400 * 1000;

/// A generated TTL attribute.
#[derive(Debug, Clone)]
enum Ttl {
    Missing,
    /// A number of epoch milliseconds, written as seconds in one of three
    /// spellings.
    Millis(i128, u8),
    /// The same value as a string, in a number set, or nested in a map.
    NotANumber(i128, u8),
}

/// `ms` epoch milliseconds as decimal seconds: `1700000000.123`,
/// `1700000000123e-3`, or `1700000000123000E-6`.
fn seconds_text(ms: i128, spelling: u8) -> String {
    match spelling % 3 {
        0 => {
            let sign = if ms < 0 { "-" } else { "" };
            let abs = ms.unsigned_abs();
            format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
        }
        1 => format!("{ms}e-3"),
        _ => format!("{}E-6", ms * 1000),
    }
}

fn ttl_json(ttl: &Ttl) -> Option<Value> {
    match ttl {
        Ttl::Missing => None,
        Ttl::Millis(ms, spelling) => Some(json!({"N": seconds_text(*ms, *spelling)})),
        Ttl::NotANumber(ms, kind) => {
            let text = seconds_text(*ms, 0);
            Some(match kind % 3 {
                0 => json!({"S": text}),
                1 => json!({"NS": [text]}),
                _ => json!({"M": {"exp": {"N": text}}}),
            })
        }
    }
}

/// The naive predicate: a number of milliseconds strictly before `now`, not
/// more than five years before it, above zero.
fn naive_expired(ttl: &Ttl, now_ms: i128) -> bool {
    match ttl {
        Ttl::Millis(ms, _) => *ms < now_ms && *ms >= now_ms - FIVE_YEARS_MS && *ms > 0,
        _ => false,
    }
}

fn ttl_strategy(now_ms: i128) -> impl Strategy<Value = Ttl> {
    let near = (-5_000i128..5_000).prop_map(move |d| now_ms + d);
    let wide = (-7 * 365 * 86_400_000i128..365 * 86_400_000).prop_map(move |d| now_ms + d);
    let boundary = (-5_000i128..5_000).prop_map(move |d| now_ms - FIVE_YEARS_MS + d);
    let odd = prop_oneof![
        Just(0i128),
        -100_000i128..0,
        Just(now_ms * 1000 - 60_000_000)
    ];
    let ms = prop_oneof![4 => near, 4 => wide, 1 => boundary, 1 => odd];
    prop_oneof![
        1 => Just(Ttl::Missing),
        8 => (ms.clone(), any::<u8>()).prop_map(|(ms, s)| Ttl::Millis(ms, s)),
        2 => (ms, any::<u8>()).prop_map(|(ms, k)| Ttl::NotANumber(ms, k)),
    ]
}

fn case() -> impl Strategy<Value = (i128, Vec<(Ttl, Option<u8>)>)> {
    (1_000_000_000_000i128..4_000_000_000_000).prop_flat_map(|now_ms| {
        let items = prop::collection::vec((ttl_strategy(now_ms), prop::option::of(0u8..3)), 0..40);
        (Just(now_ms), items)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A sweep at time T deletes exactly the items the naive predicate
    /// selects, nothing else, and leaves both indexes equal to a rebuild.
    #[test]
    fn a_sweep_deletes_exactly_the_expired_items((now_ms, items) in case()) {
        let store = store_ops::new_store();
        store.clock().set_millis(i64::try_from(now_ms).unwrap());
        enable(&store, "tab", "exp");
        let mut survivors = Vec::new();
        let mut expired = 0;
        for (i, (ttl, g)) in items.iter().enumerate() {
            let mut item = json!({"p": {"S": format!("k{}", i / 2)}, "c": {"N": (i % 2).to_string()},
                "v": {"N": i.to_string()}});
            if let Some(g) = g {
                item["g"] = json!({"S": format!("g{g}")});
            }
            if let Some(value) = ttl_json(ttl) {
                item["exp"] = value;
            }
            put(&store, "tab", item);
            if naive_expired(ttl, now_ms) {
                expired += 1;
            } else {
                survivors.push(i.to_string());
            }
        }
        prop_assert_eq!(store.sweep_expired(), expired);
        let out = store.scan(req(json!({"TableName": "tab", "ConsistentRead": true}))).unwrap();
        let mut left: Vec<String> = out.items.iter().flatten().map(|i| match &i["v"] {
            dynacond::AttributeValue::N(n) => n.to_string(),
            other => panic!("v is {other:?}"),
        }).collect();
        left.sort_by_key(|v| v.parse::<usize>().unwrap());
        prop_assert_eq!(left, survivors);
        prop_assert_eq!(store.sweep_expired(), 0);
        if let Err(mismatch) = store_ops::check_indexes(&store) {
            return Err(TestCaseError::fail(mismatch));
        }
    }
}
