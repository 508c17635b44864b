//! PartiQL against the expression API: random sequences of single-item
//! statements (INSERT, UPDATE, DELETE, key SELECT, partition SELECT) run on
//! one store, and their hand translations (PutItem, UpdateItem, DeleteItem,
//! GetItem, Query, spec partiql.md §6) on another, must give the same
//! results and leave the same data.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests and their helpers may unwrap, index and panic: a panic is a failed test \
              (clippy.toml's allow-*-in-tests covers #[test] functions only, not helpers)"
)]

use dynacond::api::{
    CreateTableInput, DeleteItemInput, ExecuteStatementInput, GetItemInput, PutItemInput,
    QueryInput, ReturnValue, ScanInput, UpdateItemInput,
};
use dynacond::store::ScalarType;
use dynacond::{AttributeValue, Item, Store};
use proptest::prelude::*;
use proptest::sample::select;

const TABLE: &str = "eqv";
/// Non-key attributes; `size` and `data` are expression reserved words,
/// written bare in PartiQL and through `#name` in expressions.
const NAMES: [&str; 4] = ["a", "b", "size_x", "data"];

/// A value of a non-key attribute.
#[derive(Debug, Clone)]
enum Val {
    N(i64),
    S(&'static str),
    L(Vec<i64>),
}

impl Val {
    fn value(&self) -> AttributeValue {
        match self {
            Val::N(n) => AttributeValue::n(*n),
            Val::S(s) => AttributeValue::s(*s),
            Val::L(l) => AttributeValue::L(l.iter().map(|n| AttributeValue::n(*n)).collect()),
        }
    }
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        (-3i64..4).prop_map(Val::N),
        select(vec!["x", "y", "zz"]).prop_map(Val::S),
        proptest::collection::vec(0i64..3, 0..3).prop_map(Val::L),
    ]
}

fn name() -> impl Strategy<Value = &'static str> {
    select(NAMES.to_vec())
}

/// A condition on non-key attributes.
#[derive(Debug, Clone)]
enum Cond {
    Cmp(&'static str, &'static str, Val),
    Exists(&'static str),
    NotExists(&'static str),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

fn cond() -> impl Strategy<Value = Cond> {
    let leaf = prop_oneof![
        (name(), select(vec!["=", "<>", "<", ">="]), val())
            .prop_map(|(n, o, v)| Cond::Cmp(n, o, v)),
        name().prop_map(Cond::Exists),
        name().prop_map(Cond::NotExists),
    ];
    leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
        ]
    })
}

/// A condition rendered both ways, with the values it needs.
struct Rendered {
    params: Vec<AttributeValue>,
    names: Vec<(String, String)>,
    values: Vec<(String, AttributeValue)>,
}

impl Rendered {
    fn new() -> Self {
        Rendered {
            params: Vec::new(),
            names: Vec::new(),
            values: Vec::new(),
        }
    }

    /// A placeholder for a value in each language.
    fn value(&mut self, v: &Val) -> (String, String) {
        self.params.push(v.value());
        let key = format!(":v{}", self.values.len());
        self.values.push((key.clone(), v.value()));
        ("?".into(), key)
    }

    /// A name in each language.
    fn name(&mut self, n: &str) -> (String, String) {
        let key = format!("#n{}", self.names.len());
        self.names.push((key.clone(), n.to_owned()));
        (n.to_owned(), key)
    }

    fn cond(&mut self, c: &Cond) -> (String, String) {
        match c {
            Cond::Cmp(n, op, v) => {
                let (pn, en) = self.name(n);
                let (pv, ev) = self.value(v);
                (format!("{pn} {op} {pv}"), format!("{en} {op} {ev}"))
            }
            Cond::Exists(n) => {
                let (pn, en) = self.name(n);
                (
                    format!("attribute_exists({pn})"),
                    format!("attribute_exists({en})"),
                )
            }
            Cond::NotExists(n) => {
                let (pn, en) = self.name(n);
                (
                    format!("{pn} IS MISSING"),
                    format!("attribute_not_exists({en})"),
                )
            }
            Cond::Not(c) => {
                let (p, e) = self.cond(c);
                (format!("NOT ({p})"), format!("NOT ({e})"))
            }
            Cond::And(a, b) | Cond::Or(a, b) => {
                let op = if matches!(c, Cond::And(..)) {
                    "AND"
                } else {
                    "OR"
                };
                let (pa, ea) = self.cond(a);
                let (pb, eb) = self.cond(b);
                (format!("({pa}) {op} ({pb})"), format!("({ea}) {op} ({eb})"))
            }
        }
    }
}

/// An item to store: partition, sort key and attributes.
type Seed = (&'static str, i64, Vec<(&'static str, Val)>);

#[derive(Debug, Clone)]
enum Op {
    Insert(&'static str, i64, Vec<(&'static str, Val)>),
    Update {
        p: &'static str,
        c: i64,
        set: Vec<(&'static str, Val)>,
        remove: Option<&'static str>,
        cond: Option<Cond>,
        returning: bool,
    },
    Delete(&'static str, i64, Option<Cond>, bool),
    Get(&'static str, i64, Vec<&'static str>),
    Query(&'static str, i64, Option<Cond>),
}

fn pk() -> impl Strategy<Value = &'static str> {
    select(vec!["k1", "k2"])
}

fn op() -> impl Strategy<Value = Op> {
    let attrs = proptest::collection::btree_map(name(), val(), 0..3)
        .prop_map(|m| m.into_iter().collect::<Vec<_>>());
    prop_oneof![
        (pk(), 0i64..3, attrs).prop_map(|(p, c, a)| Op::Insert(p, c, a)),
        (
            pk(),
            0i64..3,
            proptest::collection::btree_map(select(vec!["a", "b"]), val(), 1..3),
            proptest::option::of(select(vec!["size_x", "data"])),
            proptest::option::of(cond()),
            any::<bool>()
        )
            .prop_map(|(p, c, set, remove, cond, returning)| Op::Update {
                p,
                c,
                set: set.into_iter().collect(),
                remove,
                cond,
                returning,
            }),
        (pk(), 0i64..3, proptest::option::of(cond()), any::<bool>())
            .prop_map(|(p, c, cond, r)| Op::Delete(p, c, cond, r)),
        (pk(), 0i64..3, proptest::collection::btree_set(name(), 0..3))
            .prop_map(|(p, c, names)| Op::Get(p, c, names.into_iter().collect())),
        (pk(), 0i64..3, proptest::option::of(cond())).prop_map(|(p, c, f)| Op::Query(p, c, f)),
    ]
}

fn key(p: &str, c: i64) -> Item {
    Item::from_iter([
        ("p".to_owned(), AttributeValue::s(p)),
        ("c".to_owned(), AttributeValue::n(c)),
    ])
}

/// What a call gave: the items, or the error type.
type Outcome = Result<Vec<Item>, &'static str>;

fn error_type(e: &dynacond::Error) -> &'static str {
    match e.type_name() {
        // An INSERT of an existing key is the PutItem's failed condition.
        "DuplicateItemException" => "ConditionalCheckFailedException",
        other => other,
    }
}

fn partiql(store: &Store, op: &Op) -> Outcome {
    let mut r = Rendered::new();
    let statement = match op {
        Op::Insert(p, c, attrs) => {
            let mut members = vec![format!("'p': '{p}'"), format!("'c': {c}")];
            for (n, v) in attrs {
                let (pv, _) = r.value(v);
                members.push(format!("'{n}': {pv}"));
            }
            format!("INSERT INTO \"{TABLE}\" VALUE {{{}}}", members.join(", "))
        }
        Op::Update {
            p,
            c,
            set,
            remove,
            cond,
            returning,
        } => {
            let mut text = format!("UPDATE \"{TABLE}\"");
            for (n, v) in set {
                let (pv, _) = r.value(v);
                text.push_str(&format!(" SET {n} = {pv}"));
            }
            if let Some(n) = remove {
                text.push_str(&format!(" REMOVE {n}"));
            }
            text.push_str(&format!(" WHERE p = '{p}' AND c = {c}"));
            if let Some(cond) = cond {
                let (pc, _) = r.cond(cond);
                text.push_str(&format!(" AND ({pc})"));
            }
            if *returning {
                text.push_str(" RETURNING ALL NEW *");
            }
            text
        }
        Op::Delete(p, c, cond, returning) => {
            let mut text = format!("DELETE FROM \"{TABLE}\" WHERE c = {c} AND p = '{p}'");
            if let Some(cond) = cond {
                let (pc, _) = r.cond(cond);
                text.push_str(&format!(" AND ({pc})"));
            }
            if *returning {
                text.push_str(" RETURNING ALL OLD *");
            }
            text
        }
        Op::Get(p, c, names) => {
            let projection = if names.is_empty() {
                "*".to_owned()
            } else {
                names.join(", ")
            };
            format!("SELECT {projection} FROM \"{TABLE}\" WHERE p = '{p}' AND c = {c}")
        }
        Op::Query(p, c, filter) => {
            let mut text = format!("SELECT * FROM \"{TABLE}\" WHERE p = '{p}' AND c >= {c}");
            if let Some(f) = filter {
                let (pf, _) = r.cond(f);
                text.push_str(&format!(" AND ({pf})"));
            }
            text
        }
    };
    let mut input = ExecuteStatementInput::new(statement);
    if !r.params.is_empty() {
        input = input.with_parameters(r.params);
    }
    store
        .execute_statement(input)
        .map(|out| out.items)
        .map_err(|e| error_type(&e))
}

fn expression(store: &Store, op: &Op) -> Outcome {
    let mut r = Rendered::new();
    match op {
        Op::Insert(p, c, attrs) => {
            let mut item = key(p, *c);
            for (n, v) in attrs {
                item.insert((*n).to_owned(), v.value());
            }
            let input = PutItemInput::new(TABLE, item).with_condition("attribute_not_exists(p)");
            store.put_item(input).map(|_| Vec::new())
        }
        Op::Update {
            p,
            c,
            set,
            remove,
            cond,
            returning,
        } => {
            let mut actions = Vec::new();
            for (n, v) in set {
                let (_, en) = r.name(n);
                let (_, ev) = r.value(v);
                actions.push(format!("{en} = {ev}"));
            }
            let mut update = format!("SET {}", actions.join(", "));
            if let Some(n) = remove {
                let (_, en) = r.name(n);
                update.push_str(&format!(" REMOVE {en}"));
            }
            let mut condition = "attribute_exists(p)".to_owned();
            if let Some(cond) = cond {
                let (_, ec) = r.cond(cond);
                condition = format!("{condition} AND ({ec})");
            }
            let mut input = UpdateItemInput::new(TABLE, key(p, *c))
                .with_update(update)
                .with_condition(condition);
            if *returning {
                input = input.with_return_values(ReturnValue::AllNew);
            }
            for (k, n) in r.names {
                input = input.with_name(k, n);
            }
            for (k, v) in r.values {
                input = input.with_value(k, v);
            }
            store
                .update_item(input)
                .map(|out| out.attributes.into_iter().collect())
        }
        Op::Delete(p, c, cond, returning) => {
            let mut input = DeleteItemInput::new(TABLE, key(p, *c));
            if let Some(cond) = cond {
                let (_, ec) = r.cond(cond);
                input = input.with_condition(ec);
                for (k, n) in r.names.drain(..) {
                    input = input.with_name(k, n);
                }
                for (k, v) in r.values.drain(..) {
                    input = input.with_value(k, v);
                }
            }
            if *returning {
                input = input.with_return_values(ReturnValue::AllOld);
            }
            store
                .delete_item(input)
                .map(|out| out.attributes.into_iter().collect())
        }
        Op::Get(p, c, names) => {
            let mut input = GetItemInput::new(TABLE, key(p, *c)).with_consistent_read(true);
            if !names.is_empty() {
                let placeholders: Vec<String> = names.iter().map(|n| r.name(n).1).collect();
                input = input.with_projection(placeholders.join(", "));
                for (k, n) in r.names.drain(..) {
                    input = input.with_name(k, n);
                }
            }
            store
                .get_item(input)
                .map(|out| out.item.into_iter().collect())
        }
        Op::Query(p, c, filter) => {
            let mut input = QueryInput::new(TABLE, "p = :p AND c >= :c")
                .with_value(":p", AttributeValue::s(*p))
                .with_value(":c", AttributeValue::n(*c));
            if let Some(f) = filter {
                let (_, ef) = r.cond(f);
                input = input.with_filter(ef);
                for (k, n) in r.names.drain(..) {
                    input = input.with_name(k, n);
                }
                for (k, v) in r.values.drain(..) {
                    input = input.with_value(k, v);
                }
            }
            store.query(input).map(|out| out.items.unwrap_or_default())
        }
    }
    .map_err(|e| error_type(&e))
}

fn new_store(seed: &[Seed]) -> Store {
    let store = Store::new();
    store
        .create_table(
            CreateTableInput::new(TABLE)
                .with_hash_key("p", ScalarType::S)
                .with_range_key("c", ScalarType::N),
        )
        .unwrap();
    for (p, c, attrs) in seed {
        let mut item = key(p, *c);
        for (n, v) in attrs {
            item.insert((*n).to_owned(), v.value());
        }
        store.put_item(PutItemInput::new(TABLE, item)).unwrap();
    }
    store
}

fn all_items(store: &Store) -> Vec<Item> {
    store.scan(ScanInput::new(TABLE)).unwrap().items.unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn statements_match_their_expression_requests(
        seed in proptest::collection::vec(
            (pk(), 0i64..3, proptest::collection::btree_map(name(), val(), 0..3)
                .prop_map(|m| m.into_iter().collect::<Vec<_>>())),
            0..5,
        ),
        ops in proptest::collection::vec(op(), 1..10),
    ) {
        let (a, b) = (new_store(&seed), new_store(&seed));
        for op in &ops {
            let (via_partiql, via_expression) = (partiql(&a, op), expression(&b, op));
            prop_assert_eq!(&via_partiql, &via_expression, "{:?}", op);
            prop_assert_eq!(all_items(&a), all_items(&b), "after {:?}", op);
        }
    }
}

#[test]
fn a_known_sequence() {
    let store = new_store(&[]);
    let ops = [
        Op::Insert("k1", 1, vec![("a", Val::N(1)), ("data", Val::S("x"))]),
        Op::Insert("k1", 1, vec![]),
        Op::Update {
            p: "k1",
            c: 1,
            set: vec![("b", Val::L(vec![1, 2]))],
            remove: Some("data"),
            cond: Some(Cond::Cmp("a", "=", Val::N(1))),
            returning: true,
        },
        Op::Get("k1", 1, vec!["b", "size_x"]),
        Op::Query("k1", 0, Some(Cond::Exists("b"))),
        Op::Delete("k1", 1, Some(Cond::NotExists("a")), false),
        Op::Delete("k1", 1, None, true),
    ];
    let other = new_store(&[]);
    for op in &ops {
        assert_eq!(partiql(&store, op), expression(&other, op), "{op:?}");
    }
    assert!(all_items(&store).is_empty());
}

// ---------------------------------------------------------------------------
// Print / parse round trip

/// Statement text from a small grammar, with keyword case, whitespace and
/// comments varied, and every shape of literal and path.
fn term() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "a",
            "\"b c\"",
            "m.x",
            "m['k y']",
            "l[2]",
            "a.\"q\"\"t\"[0].z"
        ])
        .prop_map(str::to_owned),
        select(vec![
            "1", "-2.50", ".5e1", "7E+3", "'s'", "'it''s'", "TRUE", "null", "?"
        ])
        .prop_map(str::to_owned),
        select(vec![
            "[1, 'a', [ ]]",
            "{'k': 1, 'j': {'x': <<'a', 'b'>>}}",
            "<<1, 2>>",
            "size(a)"
        ])
        .prop_map(str::to_owned),
    ]
}

fn condition_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (
            term(),
            select(vec!["=", "<>", "!=", "<", "<=", ">", ">="]),
            term()
        )
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (term(), term(), term()).prop_map(|(a, b, c)| format!("{a} between {b} AND {c}")),
        (term(), term()).prop_map(|(a, b)| format!("{a} IN [{b}, 'z']")),
        (
            term(),
            select(vec!["MISSING", "not null", "BOOLEAN", "string", "INT"])
        )
            .prop_map(|(a, t)| format!("{a} IS {t}")),
        (term(), term()).prop_map(|(a, b)| format!("begins_with({a}, {b})")),
        term().prop_map(|a| format!("Attribute_Exists({a})")),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("NOT {c}")),
            inner.clone().prop_map(|c| format!("( {c} )")),
            (inner.clone(), select(vec!["AND", "or", "And"]), inner)
                .prop_map(|(a, op, b)| format!("{a} /* c */ {op}\n{b}")),
        ]
    })
}

fn statement_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (condition_text(), any::<bool>()).prop_map(|(c, order)| format!(
            "select a, m.x from \"t\".\"i\" where {c}{}",
            if order { " order by p desc" } else { "" }
        )),
        (term(), condition_text()).prop_map(|(v, c)| format!(
            "UPDATE t SET a = {v} REMOVE b SET n = n - - 1 WHERE {c} RETURNING ALL NEW *"
        )),
        condition_text().prop_map(|c| format!("FROM t WHERE {c} SET s = set_add(s, <<'x'>>)")),
        condition_text().prop_map(|c| format!("delete from t where {c};")),
        term().prop_map(|v| format!("-- lead\nINSERT INTO t VALUE {{'p': {v}}}")),
        condition_text().prop_map(|c| format!("EXISTS (SELECT * FROM t WHERE {c})")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The canonical text parses to a statement that prints the same.
    #[test]
    fn printing_round_trips(text in statement_text()) {
        let statement = dynacond::partiql::Statement::parse(&text);
        prop_assert!(statement.is_ok(), "{text}: {statement:?}");
        let printed = statement.unwrap().to_string();
        let again = dynacond::partiql::Statement::parse(&printed);
        prop_assert!(again.is_ok(), "{printed}: {again:?}");
        prop_assert_eq!(again.unwrap().to_string(), printed);
    }
}

// ---------------------------------------------------------------------------
// Index reads

fn indexed_store() -> Store {
    let store = Store::new();
    store
        .create_table(
            dynacond::wire::from_value(serde_json::json!({
                "TableName": "ixt",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                              {"AttributeName": "c", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "c", "AttributeType": "N"},
                                         {"AttributeName": "g", "AttributeType": "S"},
                                         {"AttributeName": "l", "AttributeType": "N"}],
                "GlobalSecondaryIndexes": [{"IndexName": "by_g",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]}}],
                "LocalSecondaryIndexes": [{"IndexName": "by_l",
                    "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                                  {"AttributeName": "l", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"}}],
                "BillingMode": "PAY_PER_REQUEST"
            }))
            .unwrap(),
        )
        .unwrap();
    for c in 1..=4 {
        let mut item = key("k1", c);
        item.insert(
            "g".into(),
            AttributeValue::s(if c % 2 == 0 { "even" } else { "odd" }),
        );
        item.insert("l".into(), AttributeValue::n(10 - c));
        item.insert("v".into(), AttributeValue::n(c * 100));
        item.insert("w".into(), AttributeValue::s("secret"));
        store.put_item(PutItemInput::new("ixt", item)).unwrap();
    }
    store
}

fn run_select(store: &Store, text: &str) -> Result<Vec<Item>, String> {
    store
        .execute_statement(ExecuteStatementInput::new(text))
        .map(|o| o.items)
        .map_err(|e| e.message().to_owned())
}

#[test]
fn index_reads() {
    let store = indexed_store();
    let cs = |items: Vec<Item>| -> Vec<String> {
        items
            .iter()
            .map(|i| i["c"].as_n().unwrap().to_string())
            .collect()
    };
    // A keyed GSI read: what the index holds.
    let items = run_select(&store, "SELECT * FROM \"ixt\".\"by_g\" WHERE g = 'even'").unwrap();
    assert_eq!(cs(items.clone()), ["2", "4"]);
    assert!(
        items
            .iter()
            .all(|i| i.contains_key("v") && !i.contains_key("w"))
    );
    // An LSI read in index order, fetching an unprojected attribute.
    let items = run_select(
        &store,
        "SELECT c, w FROM \"ixt\".\"by_l\" WHERE p = 'k1' AND l > 6",
    )
    .unwrap();
    assert_eq!(cs(items.clone()), ["3", "2", "1"]);
    assert!(items.iter().all(|i| i["w"] == AttributeValue::s("secret")));
    // A scan of the GSI with a filter.
    let items = run_select(&store, "SELECT c FROM \"ixt\".\"by_g\" WHERE v >= 300").unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        run_select(&store, "SELECT w FROM \"ixt\".\"by_g\" WHERE g = 'odd'").unwrap_err(),
        "One or more parameter values were invalid: Global secondary index by_g does not project [w]"
    );
    assert_eq!(
        run_select(&store, "SELECT * FROM \"ixt\".\"nope\" WHERE g = 'odd'").unwrap_err(),
        "The table does not have the specified index"
    );
    let consistent = ExecuteStatementInput::new("SELECT * FROM \"ixt\".\"by_g\" WHERE g = 'odd'")
        .with_consistent_read(true);
    assert_eq!(
        store.execute_statement(consistent).unwrap_err().message(),
        "Strongly consistent read is not supported on Global Secondary Indexes"
    );
    // Paging an index read with Limit and NextToken.
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = store
            .execute_statement(
                ExecuteStatementInput::new("SELECT c FROM \"ixt\".\"by_l\" WHERE p = 'k1'")
                    .with_limit(3)
                    .with_next_token(token.take()),
            )
            .unwrap();
        seen.extend(cs(page.items));
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(seen, ["4", "3", "2", "1"]);
}

#[test]
fn order_and_pages_across_partitions() {
    let store = new_store(&[
        ("k1", 1, vec![]),
        ("k1", 2, vec![]),
        ("k2", 1, vec![]),
        ("k2", 2, vec![]),
    ]);
    let text = "SELECT p, c FROM \"eqv\" WHERE p IN ['k1', 'k2'] ORDER BY p DESC";
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = store
            .execute_statement(
                ExecuteStatementInput::new(text)
                    .with_limit(3)
                    .with_next_token(token.take()),
            )
            .unwrap();
        seen.extend(
            page.items
                .iter()
                .map(|i| format!("{}/{}", i["p"].as_s().unwrap(), i["c"].as_n().unwrap())),
        );
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(seen, ["k2/2", "k2/1", "k1/2", "k1/1"]);
    // Another statement's token does not fit.
    let first = store
        .execute_statement(ExecuteStatementInput::new(text).with_limit(1))
        .unwrap();
    let other =
        ExecuteStatementInput::new("SELECT * FROM \"eqv\"").with_next_token(first.next_token);
    assert_eq!(
        store.execute_statement(other).unwrap_err().message(),
        "NextToken does not match request"
    );
}

/// A SELECT on a multi-attribute GSI reads the index (a scan of it, the
/// WHERE as filter): the items with every key component, filtered.
#[test]
fn select_from_a_multi_attribute_index() {
    let store = Store::new();
    store
        .create_table(
            dynacond::wire::from_str(
                r#"{"TableName": "mat", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                    {"AttributeName": "a", "AttributeType": "S"},
                    {"AttributeName": "b", "AttributeType": "N"},
                    {"AttributeName": "r", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "by_ab",
                    "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"},
                                  {"AttributeName": "b", "KeyType": "HASH"},
                                  {"AttributeName": "r", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "ALL"}}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
    for (p, a, b, r) in [
        ("1", "x", 1, "m"),
        ("2", "x", 1, "n"),
        ("3", "x", 2, "m"),
        ("4", "y", 1, "m"),
    ] {
        let statement =
            format!(r#"INSERT INTO "mat" VALUE {{'p': '{p}', 'a': '{a}', 'b': {b}, 'r': '{r}'}}"#);
        store
            .execute_statement(ExecuteStatementInput::new(statement))
            .unwrap();
    }
    // An item without every component is not in the index.
    store
        .execute_statement(ExecuteStatementInput::new(
            r#"INSERT INTO "mat" VALUE {'p': '5', 'a': 'x', 'b': 1}"#,
        ))
        .unwrap();
    let out = store
        .execute_statement(ExecuteStatementInput::new(
            r#"SELECT p FROM "mat"."by_ab" WHERE a = 'x' AND b = 1"#,
        ))
        .unwrap();
    let mut keys: Vec<String> = out
        .items
        .iter()
        .filter_map(|i| i.get("p").and_then(|v| v.as_s()).map(str::to_owned))
        .collect();
    keys.sort();
    assert_eq!(keys, ["1", "2"]);
    // ORDER BY needs a key read, which no key of this index has here.
    let refused = store
        .execute_statement(ExecuteStatementInput::new(
            r#"SELECT p FROM "mat"."by_ab" WHERE a = 'x' AND b = 1 ORDER BY r"#,
        ))
        .unwrap_err();
    assert_eq!(refused.type_name(), "ValidationException");
}

fn include_index_store() -> Store {
    let store = Store::new();
    store
        .create_table(
            dynacond::wire::from_str(
                r#"{"TableName": "ixt", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                    {"AttributeName": "g", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "by_g",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["n"]}}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
    store
        .execute_statement(ExecuteStatementInput::new(
            r#"INSERT INTO "ixt" VALUE {'p': 'a', 'g': 'x', 'n': 1, 'hidden': 2}"#,
        ))
        .unwrap();
    store
}

/// A keyed read of an index may not filter on attributes the index does
/// not project (partiql.md §7.6); a scan of the index may (no match).
#[test]
fn keyed_index_reads_refuse_unprojected_filter_attributes() {
    let store = include_index_store();
    let run = |s: &str| store.execute_statement(ExecuteStatementInput::new(s));
    let refused =
        run(r#"SELECT p FROM "ixt"."by_g" WHERE g = 'x' AND hidden = 2 AND size(other) > 0"#)
            .unwrap_err();
    assert_eq!(
        refused.message(),
        "One or more parameter values were invalid: Secondary index by_g does not project one or more filter attributes: [hidden, other]"
    );
    let kept = run(r#"SELECT p FROM "ixt"."by_g" WHERE g = 'x' AND n = 1"#).unwrap();
    assert_eq!(kept.items.len(), 1);
    let scanned = run(r#"SELECT p FROM "ixt"."by_g" WHERE hidden = 2"#).unwrap();
    assert_eq!(scanned.items.len(), 0);
}

/// At most 50 partition-key values in one IN (partiql.md §4.1).
#[test]
fn an_in_on_the_partition_key_takes_at_most_fifty_values() {
    let store = include_index_store();
    let list = |n: usize| {
        (0..n)
            .map(|i| format!("'k{i}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let run = |s: String| store.execute_statement(ExecuteStatementInput::new(s));
    run(format!(r#"SELECT * FROM "ixt" WHERE p IN [{}]"#, list(50))).unwrap();
    let refused = run(format!(r#"SELECT * FROM "ixt" WHERE p IN [{}]"#, list(51))).unwrap_err();
    assert_eq!(refused.type_name(), "ValidationException");
    assert!(
        refused.message().contains("number of operands: 51"),
        "{}",
        refused.message()
    );
    // Not a key attribute: up to 100.
    run(format!(r#"SELECT * FROM "ixt" WHERE q IN [{}]"#, list(100))).unwrap();
}
