//! The store's expression cache never changes a result: the same requests,
//! sent to a store with the default cache, one with a cache of three entries
//! (evicting all the time) and one without a cache, give the same outputs
//! and the same errors (type and message), whether each text is met for the
//! first time or again, with other placeholder maps. Texts are generated
//! conditions and updates, some cut short or spliced with a stray token so
//! that they fail to parse (and are parsed again each time).

use dynacond::api::{
    CreateTableInput, DeleteItemInput, PutItemInput, QueryInput, ScanInput, UpdateItemInput,
};
use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::{AttributeValue, Item, ScalarType, Store};
use proptest::collection::vec;
use proptest::prelude::*;

use crate::strategies::{
    RItem, all_names, arb_cond, arb_names_subset, arb_ritem, arb_rvalues, arb_style,
    arb_values_subset, to_item, to_values,
};
use crate::update_strategies::{self, arb_update};

const TABLE: &str = "cache";
const KEY: &str = "pk";

fn stores() -> Vec<Store> {
    [
        Store::new(),
        Store::builder().expression_cache(3).build().unwrap(),
        Store::builder().expression_cache(0).build().unwrap(),
    ]
    .into_iter()
    .inspect(|store| {
        store
            .create_table(CreateTableInput::new(TABLE).with_hash_key(KEY, ScalarType::S))
            .unwrap();
    })
    .collect()
}

/// Spoils a text (or not): cut at a byte, or a stray token inserted there.
fn spoil(text: &str, spoil: Option<(usize, usize)>) -> String {
    const TOKENS: [&str; 6] = [")", " AND ", "size", "#zz", ":zz", " ,"];
    let Some((at, token)) = spoil else {
        return text.to_owned();
    };
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (head, tail) = text.split_at(at);
    match token % (TOKENS.len() + 1) {
        0 => head.to_owned(),
        t => format!("{head}{}{tail}", TOKENS[t - 1]),
    }
}

/// One request: which texts it uses, which operation, its maps and item.
/// With `exact`, the maps are cut down to the placeholders the texts name
/// (so that most requests pass the map checks and are evaluated);
/// otherwise they are random subsets. Operations: 0 PutItem, 1 DeleteItem
/// (ConditionExpression), 2 Scan (FilterExpression), 3 Query
/// (KeyConditionExpression), 4 UpdateItem (UpdateExpression), 5
/// UpdateItem with both.
#[derive(Debug, Clone)]
struct Req {
    text: usize,
    op: u8,
    exact: bool,
    names: ExpressionAttributeNames,
    values: ExpressionAttributeValues,
    item: RItem,
}

fn arb_req() -> impl Strategy<Value = Req> {
    let values = prop_oneof![
        arb_values_subset(),
        arb_rvalues().prop_map(|v| to_values(&v)),
    ];
    (
        any::<usize>(),
        0u8..6,
        proptest::bool::weighted(0.75),
        arb_names_subset(),
        values,
        arb_ritem(),
    )
        .prop_map(|(text, op, exact, names, values, item)| Req {
            text,
            op,
            exact,
            names,
            values,
            item,
        })
}

/// The `#name` and `:value` placeholders a text names.
fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' || bytes[i] == b':' {
            let end = bytes[i + 1..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .map_or(bytes.len(), |p| i + 1 + p);
            out.extend(text.get(i..end));
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn maybe<T: Default + PartialEq>(map: T) -> Option<T> {
    (map != T::default()).then_some(map)
}

fn key() -> Item {
    [(KEY.to_owned(), AttributeValue::s("k"))].into()
}

/// Runs a request on a store; the outcome as text (output or error).
fn run(
    store: &Store,
    condition: &str,
    update: &(String, ExpressionAttributeValues),
    r: &Req,
) -> String {
    let (mut names, mut values) = (r.names.clone(), r.values.clone());
    if r.op >= 4 {
        // The update's own values; the update's names stand in for the
        // condition's (#n1 and #n2 then name other attributes).
        names = update_strategies::all_names();
        values.extend(update.1.clone());
    }
    if r.exact {
        let mut used = placeholders(&update.0);
        if r.op != 4 {
            used = placeholders(condition);
        }
        if r.op == 5 {
            used.extend(placeholders(&update.0));
        }
        if r.op < 4 {
            names = all_names();
        }
        names.retain(|k, _| used.contains(&k.as_str()));
        values.retain(|k, _| used.contains(&k.as_str()));
    }
    let (names, values) = (maybe(names), maybe(values));
    let mut item = to_item(&r.item);
    item.insert(KEY.to_owned(), AttributeValue::s("k"));
    match r.op {
        0 => format!(
            "{:?}",
            store.put_item(PutItemInput {
                condition_expression: Some(condition.to_owned()),
                expression_attribute_names: names,
                expression_attribute_values: values,
                return_values: Some("ALL_OLD".into()),
                ..PutItemInput::new(TABLE, item)
            })
        ),
        1 => format!(
            "{:?}",
            store.delete_item(DeleteItemInput {
                condition_expression: Some(condition.to_owned()),
                expression_attribute_names: names,
                expression_attribute_values: values,
                ..DeleteItemInput::new(TABLE, key())
            })
        ),
        2 => format!(
            "{:?}",
            store.scan(ScanInput {
                filter_expression: Some(condition.to_owned()),
                expression_attribute_names: names,
                expression_attribute_values: values,
                ..ScanInput::new(TABLE)
            })
        ),
        3 => format!(
            "{:?}",
            store.query(QueryInput {
                expression_attribute_names: names,
                expression_attribute_values: values,
                ..QueryInput::new(TABLE, condition)
            })
        ),
        4 => format!(
            "{:?}",
            store.update_item(UpdateItemInput {
                update_expression: Some(update.0.clone()),
                expression_attribute_names: names,
                expression_attribute_values: values,
                return_values: Some("ALL_NEW".into()),
                ..UpdateItemInput::new(TABLE, key())
            })
        ),
        _ => format!(
            "{:?}",
            store.update_item(UpdateItemInput {
                update_expression: Some(update.0.clone()),
                condition_expression: Some(condition.to_owned()),
                expression_attribute_names: names,
                expression_attribute_values: values,
                ..UpdateItemInput::new(TABLE, key())
            })
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn cached_and_uncached_stores_answer_alike(
        conditions in vec((arb_cond(), arb_style(), proptest::option::weighted(0.25, (any::<usize>(), any::<usize>()))), 1..4),
        updates in vec((arb_update(), proptest::option::weighted(0.25, (any::<usize>(), any::<usize>()))), 1..3),
        requests in vec(arb_req(), 1..12),
    ) {
        let conditions: Vec<String> = conditions
            .iter()
            .map(|(c, style, s)| spoil(&c.render(style), *s))
            .collect();
        let updates: Vec<(String, ExpressionAttributeValues)> = updates
            .iter()
            .map(|(u, s)| {
                let (text, values) = u.render();
                (spoil(&text, *s), values)
            })
            .collect();
        let stores = stores();
        for (n, r) in requests.iter().enumerate() {
            let condition = &conditions[r.text % conditions.len()];
            let update = &updates[r.text % updates.len()];
            let outcomes: Vec<String> = stores.iter().map(|s| run(s, condition, update, r)).collect();
            prop_assert_eq!(&outcomes[0], &outcomes[2], "request {}: {:?}", n, r);
            prop_assert_eq!(&outcomes[1], &outcomes[2], "request {}: {:?}", n, r);
        }
    }
}
