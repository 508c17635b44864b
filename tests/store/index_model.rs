//! Secondary indexes against a naive rebuild: random sequences of every
//! write operation (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
//! TransactWriteItems), with index key attributes present, absent, of the
//! wrong type or empty, on a table with three GSIs (one of them a
//! multi-attribute key: HASH `h` (N), `g` (S), RANGE `r` (S), `y` (N)) and
//! one LSI. After every step each index, read page by page through Scan
//! (and per partition through Query), equals the index rebuilt from the
//! table: the same entries, projected alike, in the same order. Random key
//! conditions on the multi-attribute index (every HASH component, a prefix
//! of the RANGE components, the last one compared) return what a naive
//! filter and sort of the rebuild gives.

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
                {"AttributeName": "r", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "S"},
                {"AttributeName": "y", "AttributeType": "N"}],
            "GlobalSecondaryIndexes": [
                {"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "by_h", "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}},
                {"IndexName": "by_m", "KeySchema": [
                    {"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "HASH"},
                    {"AttributeName": "r", "KeyType": "RANGE"}, {"AttributeName": "y", "KeyType": "RANGE"}],
                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["s"]}}],
            "LocalSecondaryIndexes": [
                {"IndexName": "by_s", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        }),
    );
    assert_eq!(status, 200, "{body}");
    store
}

/// One index of the test table: name, key attributes with their types
/// (the first `hashes` are HASH components, the others RANGE), the
/// projected non-key attributes (`None`: all).
pub(crate) struct Spec {
    pub(crate) name: &'static str,
    pub(crate) keys: &'static [(&'static str, &'static str)],
    pub(crate) hashes: usize,
    pub(crate) projected: Option<&'static [&'static str]>,
}

pub(crate) const INDEXES: &[Spec] = &[
    Spec {
        name: "by_g",
        keys: &[("g", "S")],
        hashes: 1,
        projected: None,
    },
    Spec {
        name: "by_h",
        keys: &[("h", "N"), ("r", "S")],
        hashes: 1,
        projected: Some(&["x"]),
    },
    Spec {
        name: "by_s",
        keys: &[("p", "S"), ("s", "S")],
        hashes: 1,
        projected: Some(&[]),
    },
    Spec {
        name: "by_m",
        keys: &[("h", "N"), ("g", "S"), ("r", "S"), ("y", "N")],
        hashes: 2,
        projected: Some(&["s"]),
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

/// A value for an index key attribute of type `ty`: mostly of that type
/// (so that items with every component of the multi-attribute key are
/// common), sometimes absent, of the other type or empty.
fn typed_value(ty: &'static str) -> impl Strategy<Value = V> {
    type Make = fn(u8) -> V;
    let (right, wrong): (Make, Make) = if ty == "N" {
        (V::N, V::S)
    } else {
        (V::S, V::N)
    };
    prop_oneof![
        2 => Just(V::Absent),
        9 => (0u8..3).prop_map(right),
        1 => (0u8..3).prop_map(wrong),
        1 => Just(V::Empty),
    ]
}

/// The attributes a write may set besides the key, with the type their
/// indexes declare (`None`: not an index key).
const ATTRS: &[&str] = &["g", "h", "r", "s", "x", "y"];
const ATTR_TYPES: &[Option<&str>] = &[Some("S"), Some("N"), Some("S"), Some("S"), None, Some("N")];

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
    let attrs: Vec<BoxedStrategy<V>> = ATTR_TYPES
        .iter()
        .map(|ty| match ty {
            Some(ty) => typed_value(ty).boxed(),
            None => value().boxed(),
        })
        .collect();
    (0u8..3, 0u8..3, attrs).prop_map(|(p, c, attrs)| Item { p, c, attrs })
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
        // Query each index partition (every HASH component): the same
        // entries, partition by partition.
        let hashes = &spec.keys[..spec.hashes];
        let mut partitions: Vec<Vec<Value>> = want
            .iter()
            .map(|e| hashes.iter().map(|(h, _)| e[*h].clone()).collect())
            .collect();
        partitions.dedup();
        let mut queried = Vec::new();
        for partition in partitions {
            let mut condition = Vec::new();
            let (mut names, mut values) = (serde_json::Map::new(), serde_json::Map::new());
            for (i, ((hash, _), value)) in hashes.iter().zip(partition).enumerate() {
                condition.push(format!("#h{i} = :h{i}"));
                names.insert(format!("#h{i}"), json!(hash));
                values.insert(format!(":h{i}"), value);
            }
            queried.extend(read_all(
                store,
                "Query",
                json!({"TableName": TABLE, "IndexName": spec.name, "Limit": 1,
                       "KeyConditionExpression": condition.join(" AND "),
                       "ExpressionAttributeNames": names,
                       "ExpressionAttributeValues": values}),
            ));
        }
        prop_assert_eq!(&queried, &want, "Query of {}", spec.name);
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

/// The condition on the last RANGE component a query names.
#[derive(Debug, Clone)]
enum Last {
    /// `=`, `<`, `<=`, `>`, `>=` with a value number.
    Cmp(&'static str, u8),
    Between(u8, u8),
    /// A string prefix (refused on the N component `y`).
    BeginsWith(&'static str),
}

/// A random key condition on `by_m`: both HASH components, then `used`
/// RANGE components (`r = :r` before a condition on `y`).
#[derive(Debug, Clone)]
struct MultiQuery {
    h: u8,
    g: u8,
    used: usize,
    r: u8,
    last: Last,
    forward: bool,
    limit: u8,
    /// Write the parts in reverse order (textual order is irrelevant).
    reversed: bool,
    /// Take `h`, `g` and `r` from entry `pick % len` of the index, if any
    /// (random values mostly name an empty partition).
    pick: Option<usize>,
}

fn last() -> impl Strategy<Value = Last> {
    prop_oneof![
        4 => (proptest::sample::select(vec!["=", "<", "<=", ">", ">="]), 0u8..4)
            .prop_map(|(op, v)| Last::Cmp(op, v)),
        2 => (0u8..4, 0u8..4).prop_map(|(a, b)| Last::Between(a.min(b), a.max(b))),
        1 => proptest::sample::select(vec!["v", "v1", "w"]).prop_map(Last::BeginsWith),
    ]
}

fn multi_query() -> impl Strategy<Value = MultiQuery> {
    (
        (0u8..4, 0u8..4, 0usize..3, 0u8..4),
        (
            last(),
            any::<bool>(),
            1u8..4,
            any::<bool>(),
            proptest::option::weighted(0.8, any::<usize>()),
        ),
    )
        .prop_map(
            |((h, g, used, r), (last, forward, limit, reversed, pick))| MultiQuery {
                h,
                g,
                used,
                r,
                last,
                forward,
                limit,
                reversed,
                pick,
            },
        )
}

impl MultiQuery {
    /// The query with `h`, `g` and `r` of the picked entry of the index.
    fn resolve(&self, index: &[Value]) -> MultiQuery {
        let mut query = self.clone();
        let picked = self
            .pick
            .and_then(|i| index.get(i.checked_rem(index.len())?));
        if let Some(entry) = picked {
            let number = |name: &str| -> u8 {
                let (_, scalar) = entry[name].as_object().unwrap().iter().next().unwrap();
                scalar
                    .as_str()
                    .unwrap()
                    .trim_start_matches('v')
                    .parse()
                    .unwrap()
            };
            (query.h, query.g, query.r) = (number("h"), number("g"), number("r"));
        }
        query
    }

    /// The value number `v` as a value of attribute `name`.
    fn value(name: &str, v: u8) -> Value {
        if name == "h" || name == "y" {
            json!({"N": v.to_string()})
        } else {
            json!({"S": format!("v{v}")})
        }
    }

    /// The Query request.
    fn request(&self) -> Value {
        let (mut parts, mut names, mut values) =
            (Vec::new(), serde_json::Map::new(), serde_json::Map::new());
        let mut name = |n: &str| {
            names.insert(format!("#{n}"), json!(n));
            format!("#{n}")
        };
        let (h, g, r) = (name("h"), name("g"), name("r"));
        parts.push(format!("{h} = :h"));
        values.insert(":h".into(), Self::value("h", self.h));
        parts.push(format!("{g} = :g"));
        values.insert(":g".into(), Self::value("g", self.g));
        let target = match self.used {
            0 => None,
            1 => Some(("r", r)),
            _ => {
                parts.push(format!("{r} = :r"));
                values.insert(":r".into(), Self::value("r", self.r));
                Some(("y", name("y")))
            }
        };
        if let Some((attr, placeholder)) = target {
            parts.push(match &self.last {
                Last::Cmp(op, v) => {
                    values.insert(":v".into(), Self::value(attr, *v));
                    format!("{placeholder} {op} :v")
                }
                Last::Between(lo, hi) => {
                    values.insert(":lo".into(), Self::value(attr, *lo));
                    values.insert(":hi".into(), Self::value(attr, *hi));
                    format!("{placeholder} BETWEEN :lo AND :hi")
                }
                Last::BeginsWith(prefix) => {
                    values.insert(":v".into(), json!({"S": prefix}));
                    format!("begins_with({placeholder}, :v)")
                }
            });
        } else {
            names.remove("#r");
        }
        if self.reversed {
            parts.reverse();
        }
        json!({"TableName": TABLE, "IndexName": "by_m",
            "KeyConditionExpression": parts.join(" AND "),
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
            "ScanIndexForward": self.forward, "Limit": self.limit})
    }

    /// What the query returns, from the rebuilt index: `None` when it is
    /// refused (`begins_with` on the N component).
    fn naive(&self, index: &[Value]) -> Option<Vec<Value>> {
        let target = match self.used {
            0 => None,
            1 => Some("r"),
            _ => Some("y"),
        };
        if matches!((target, &self.last), (Some("y"), Last::BeginsWith(_))) {
            return None;
        }
        let key = |e: &Value, name: &str| sort_key(&e[name]);
        let is = |e: &Value, name: &str, v: u8| key(e, name) == sort_key(&Self::value(name, v));
        let mut found: Vec<Value> = index
            .iter()
            .filter(|e| is(e, "h", self.h) && is(e, "g", self.g))
            .filter(|e| self.used < 2 || is(e, "r", self.r))
            .filter(|e| {
                let Some(attr) = target else { return true };
                let here = key(e, attr);
                let at = |v: u8| sort_key(&Self::value(attr, v));
                match &self.last {
                    Last::Cmp("=", v) => here == at(*v),
                    Last::Cmp("<", v) => here < at(*v),
                    Last::Cmp("<=", v) => here <= at(*v),
                    Last::Cmp(">", v) => here > at(*v),
                    Last::Cmp(_, v) => here >= at(*v),
                    Last::Between(lo, hi) => at(*lo) <= here && here <= at(*hi),
                    Last::BeginsWith(prefix) => here.2.starts_with(prefix),
                }
            })
            .cloned()
            .collect();
        if !self.forward {
            found.reverse();
        }
        Some(found)
    }
}

/// Runs the random queries on `by_m` against the rebuilt index.
fn check_multi_queries(store: &Store, queries: &[MultiQuery]) -> Result<(), TestCaseError> {
    let table = read_all(store, "Scan", json!({"TableName": TABLE}));
    let spec = INDEXES.iter().find(|s| s.name == "by_m").unwrap();
    let index = rebuild(&table, spec);
    for query in queries {
        let query = query.resolve(&index);
        let request = query.request();
        match query.naive(&index) {
            Some(want) => {
                let got = read_all(store, "Query", request.clone());
                prop_assert_eq!(&got, &want, "{}", request);
            }
            None => {
                let (status, reply) = call(store, "Query", &request);
                prop_assert_eq!(status, 400, "{} -> {}", request, reply);
                prop_assert_eq!(
                    reply["message"].as_str().unwrap_or_default(),
                    "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"
                );
            }
        }
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

    #[test]
    fn multi_attribute_queries_equal_a_naive_filter(
        ops in proptest::collection::vec(op(), 1..25),
        queries in proptest::collection::vec(multi_query(), 1..8),
    ) {
        let store = new_store();
        for op in &ops {
            apply(&store, op);
        }
        check(&store)?;
        check_multi_queries(&store, &queries)?;
    }
}
