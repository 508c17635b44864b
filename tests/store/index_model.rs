//! Secondary indexes against a naive rebuild: random sequences of every
//! write operation (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
//! TransactWriteItems), with index key attributes present, absent, of the
//! wrong type or empty, on a table with two GSIs and one LSI. After every
//! step each index, read page by page through Scan (and per partition
//! through Query), equals the index rebuilt from the table: the same
//! entries, projected alike, in the same order.

use dynacond::Store;
use dynacond::protocol::dispatch;
use proptest::prelude::*;
use serde_json::{Value, json};

pub(crate) const TABLE: &str = "ixm";

pub(crate) fn call(store: &Store, op: &str, body: &Value) -> (u16, Value) {
    let reply = dispatch(
        store,
        Some(&format!("DynamoDB_20120810.{op}")),
        body.to_string().as_bytes(),
    );
    (reply.status, serde_json::from_slice(&reply.body).unwrap())
}

pub(crate) fn new_store() -> Store {
    let store = Store::new();
    let (status, body) = call(
        &store,
        "CreateTable",
        &json!({
            "TableName": TABLE,
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
            "AttributeDefinitions": [
                {"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"},
                {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "h", "AttributeType": "N"},
                {"AttributeName": "r", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [
                {"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "by_h", "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}],
            "LocalSecondaryIndexes": [
                {"IndexName": "by_s", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        }),
    );
    assert_eq!(status, 200, "{body}");
    store
}

/// One index of the test table: name, key attributes with their types,
/// the projected non-key attributes (`None`: all).
pub(crate) struct Spec {
    pub(crate) name: &'static str,
    pub(crate) keys: &'static [(&'static str, &'static str)],
    pub(crate) projected: Option<&'static [&'static str]>,
}

pub(crate) const INDEXES: &[Spec] = &[
    Spec {
        name: "by_g",
        keys: &[("g", "S")],
        projected: None,
    },
    Spec {
        name: "by_h",
        keys: &[("h", "N"), ("r", "S")],
        projected: Some(&["x"]),
    },
    Spec {
        name: "by_s",
        keys: &[("p", "S"), ("s", "S")],
        projected: Some(&[]),
    },
];

/// A value for an attribute: of the index key's type, another type, an
/// empty string, or absent.
#[derive(Debug, Clone)]
enum V {
    Absent,
    S(u8),
    N(u8),
    Empty,
}

impl V {
    fn json(&self) -> Option<Value> {
        match self {
            V::Absent => None,
            V::S(n) => Some(json!({"S": format!("v{n}")})),
            V::N(n) => Some(json!({"N": n.to_string()})),
            V::Empty => Some(json!({"S": ""})),
        }
    }
}

fn value() -> impl Strategy<Value = V> {
    prop_oneof![
        2 => Just(V::Absent),
        4 => (0u8..3).prop_map(V::S),
        3 => (0u8..3).prop_map(V::N),
        1 => Just(V::Empty),
    ]
}

/// The attributes a write may set besides the key.
const ATTRS: &[&str] = &["g", "h", "r", "s", "x", "y"];

#[derive(Debug, Clone)]
struct Item {
    p: u8,
    c: u8,
    attrs: Vec<V>,
}

impl Item {
    fn key(&self) -> Value {
        json!({"p": {"S": format!("k{}", self.p)}, "c": {"N": self.c.to_string()}})
    }

    fn json(&self) -> Value {
        let mut item = self.key();
        for (name, v) in ATTRS.iter().zip(&self.attrs) {
            if let Some(v) = v.json() {
                item[*name] = v;
            }
        }
        item
    }
}

fn item() -> impl Strategy<Value = Item> {
    (
        0u8..3,
        0u8..3,
        proptest::collection::vec(value(), ATTRS.len()),
    )
        .prop_map(|(p, c, attrs)| Item { p, c, attrs })
}

#[derive(Debug, Clone)]
enum Op {
    Put(Item),
    /// SET the given attributes, REMOVE the absent ones.
    Update(Item),
    Delete(Item),
    Batch(Vec<Item>),
    Transact(Vec<Item>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => item().prop_map(Op::Put),
        3 => item().prop_map(Op::Update),
        1 => item().prop_map(Op::Delete),
        1 => proptest::collection::vec(item(), 1..4).prop_map(Op::Batch),
        1 => proptest::collection::vec(item(), 1..4).prop_map(Op::Transact),
    ]
}

fn update_request(it: &Item) -> Value {
    let (mut set, mut remove) = (Vec::new(), Vec::new());
    let mut values = serde_json::Map::new();
    for (name, v) in ATTRS.iter().zip(&it.attrs) {
        match v.json() {
            Some(value) => {
                set.push(format!("{name} = :{name}"));
                values.insert(format!(":{name}"), value);
            }
            None => remove.push((*name).to_owned()),
        }
    }
    let mut expression = String::new();
    if !set.is_empty() {
        expression.push_str(&format!("SET {}", set.join(", ")));
    }
    if !remove.is_empty() {
        expression.push_str(&format!(" REMOVE {}", remove.join(", ")));
    }
    let mut request = json!({"TableName": TABLE, "Key": it.key(), "UpdateExpression": expression});
    if !values.is_empty() {
        request["ExpressionAttributeValues"] = Value::Object(values);
    }
    request
}

fn apply(store: &Store, op: &Op) {
    // Invalid writes are refused and must change nothing: the rebuild
    // comparison after the step checks that too.
    let _ = match op {
        Op::Put(it) => call(
            store,
            "PutItem",
            &json!({"TableName": TABLE, "Item": it.json()}),
        ),
        Op::Update(it) => call(store, "UpdateItem", &update_request(it)),
        Op::Delete(it) => call(
            store,
            "DeleteItem",
            &json!({"TableName": TABLE, "Key": it.key()}),
        ),
        Op::Batch(items) => {
            let writes: Vec<Value> = items
                .iter()
                .map(|it| json!({"PutRequest": {"Item": it.json()}}))
                .collect();
            call(
                store,
                "BatchWriteItem",
                &json!({"RequestItems": {TABLE: writes}}),
            )
        }
        Op::Transact(items) => {
            let actions: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    if i % 2 == 0 {
                        json!({"Put": {"TableName": TABLE, "Item": it.json()}})
                    } else {
                        let mut update = update_request(it);
                        update.as_object_mut().unwrap().remove("TableName");
                        update["TableName"] = json!(TABLE);
                        json!({"Update": update})
                    }
                })
                .collect();
            call(
                store,
                "TransactWriteItems",
                &json!({"TransactItems": actions}),
            )
        }
    };
}

/// Every page of a read.
pub(crate) fn read_all(store: &Store, op: &str, mut request: Value) -> Vec<Value> {
    let mut items = Vec::new();
    loop {
        let (status, reply) = call(store, op, &request);
        assert_eq!(status, 200, "{request} -> {reply}");
        items.extend(reply["Items"].as_array().unwrap().iter().cloned());
        match reply.get("LastEvaluatedKey") {
            Some(key) => request["ExclusiveStartKey"] = key.clone(),
            None => return items,
        }
    }
}

/// A key attribute's sort position: numbers numerically, strings bytewise.
pub(crate) fn sort_key(value: &Value) -> (u8, f64, String) {
    match (value.get("N"), value.get("S")) {
        (Some(n), _) => (0, n.as_str().unwrap().parse().unwrap(), String::new()),
        (_, Some(s)) => (1, 0.0, s.as_str().unwrap().to_owned()),
        _ => (2, 0.0, String::new()),
    }
}

/// The index rebuilt from the table: indexable items, projected, ordered
/// by index key then table key.
fn rebuild(table: &[Value], spec: &Spec) -> Vec<Value> {
    let mut entries: Vec<Value> = table
        .iter()
        .filter(|item| {
            spec.keys.iter().all(|(name, ty)| {
                item.get(*name).and_then(|v| v.get(*ty)).is_some()
                    && item[*name] != json!({"S": ""})
            })
        })
        .map(|item| match spec.projected {
            None => item.clone(),
            Some(extra) => {
                let keep = |name: &str| {
                    ["p", "c"].contains(&name)
                        || spec.keys.iter().any(|(k, _)| *k == name)
                        || extra.contains(&name)
                };
                let map = item.as_object().unwrap();
                Value::Object(
                    map.iter()
                        .filter(|(k, _)| keep(k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                )
            }
        })
        .collect();
    let order = |e: &Value| {
        let mut key: Vec<(u8, f64, String)> = spec
            .keys
            .iter()
            .map(|(name, _)| sort_key(&e[*name]))
            .collect();
        key.push(sort_key(&e["p"]));
        key.push(sort_key(&e["c"]));
        key
    };
    entries.sort_by(|a, b| order(a).partial_cmp(&order(b)).unwrap());
    entries
}

pub(crate) fn check(store: &Store) -> Result<(), TestCaseError> {
    let table = read_all(store, "Scan", json!({"TableName": TABLE}));
    for spec in INDEXES {
        let want = rebuild(&table, spec);
        // Small pages, so pagination with index keys is exercised.
        let scanned = read_all(
            store,
            "Scan",
            json!({"TableName": TABLE, "IndexName": spec.name, "Limit": 2}),
        );
        prop_assert_eq!(&scanned, &want, "Scan of {}", spec.name);
        // Query each index partition: the same entries, partition by partition.
        let (hash, hash_type) = spec.keys[0];
        let mut partitions: Vec<Value> = want.iter().map(|e| e[hash].clone()).collect();
        partitions.dedup();
        let mut queried = Vec::new();
        for partition in partitions {
            queried.extend(read_all(
                store,
                "Query",
                json!({"TableName": TABLE, "IndexName": spec.name, "Limit": 1,
                       "KeyConditionExpression": "#h = :h",
                       "ExpressionAttributeNames": {"#h": hash},
                       "ExpressionAttributeValues": {":h": partition}}),
            ));
        }
        prop_assert_eq!(&queried, &want, "Query of {} ({})", spec.name, hash_type);
        let (_, described) = call(store, "DescribeTable", &json!({"TableName": TABLE}));
        let descriptions = described["Table"]["GlobalSecondaryIndexes"]
            .as_array()
            .unwrap()
            .iter()
            .chain(
                described["Table"]["LocalSecondaryIndexes"]
                    .as_array()
                    .unwrap(),
            );
        let count = descriptions
            .filter(|d| d["IndexName"] == spec.name)
            .map(|d| d["ItemCount"].as_u64().unwrap())
            .next();
        prop_assert_eq!(count, Some(want.len() as u64), "ItemCount of {}", spec.name);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn indexes_equal_a_rebuild_after_every_write(ops in proptest::collection::vec(op(), 1..25)) {
        let store = new_store();
        for op in &ops {
            apply(&store, op);
            check(&store)?;
        }
    }
}
