//! UPDATED_OLD / UPDATED_NEW (spec §12.3, rows 173-181), straight from the
//! update engine: the attributes an update touched, nested in their
//! ancestors, read from the old or the new item.

use dynacond::placeholders::values_from_json;
use dynacond::update::UpdateExpression;
use dynacond::{Item, wire};
use serde_json::json;

/// (row, item before or none, update, values, UPDATED_OLD, UPDATED_NEW, item after or none)
type Row = (
    u32,
    Option<serde_json::Value>,
    &'static str,
    serde_json::Value,
    serde_json::Value,
    serde_json::Value,
    Option<serde_json::Value>,
);

fn rows() -> Vec<Row> {
    let s = |v: &str| json!({"S": v});
    let n = |v: &str| json!({"N": v});
    let list = |v: &[&str]| json!({"L": v.iter().map(|x| json!({"N": x})).collect::<Vec<_>>()});
    vec![
        (
            173,
            Some(json!({"p": s("k1"), "a": s("hi"), "b": s("dog")})),
            "SET b = :cat, c = :hello",
            json!({":cat": s("cat"), ":hello": s("hello")}),
            json!({"b": s("dog")}),
            json!({"b": s("cat"), "c": s("hello")}),
            Some(json!({"p": s("k1"), "a": s("hi"), "b": s("cat"), "c": s("hello")})),
        ),
        (
            174,
            Some(json!({"p": s("k1"), "b": s("cat")})),
            "SET b = :cat",
            json!({":cat": s("cat")}),
            json!({"b": s("cat")}),
            json!({"b": s("cat")}),
            Some(json!({"p": s("k1"), "b": s("cat")})),
        ),
        (
            176,
            None,
            "SET a = :one",
            json!({":one": n("1")}),
            json!({}),
            json!({"a": n("1")}),
            Some(json!({"a": n("1")})),
        ),
        (
            177,
            Some(json!({"p": s("k1"), "a": {"M": {"b": s("dog"), "c": list(&["1", "2", "3"])}}})),
            "SET a.c[1] = :seven",
            json!({":seven": n("7")}),
            json!({"a": {"M": {"c": list(&["2"])}}}),
            json!({"a": {"M": {"c": list(&["7"])}}}),
            Some(json!({"p": s("k1"), "a": {"M": {"b": s("dog"), "c": list(&["1", "7", "3"])}}})),
        ),
        (
            178,
            Some(json!({"p": s("k1"), "a": {"M": {"c": list(&["1", "3", "3"])}}})),
            "REMOVE a.c[1], a.c[3]",
            json!(null),
            json!({"a": {"M": {"c": list(&["3"])}}}),
            json!({"a": {"M": {"c": list(&["3"])}}}),
            Some(json!({"p": s("k1"), "a": {"M": {"c": list(&["1", "3"])}}})),
        ),
        (
            179,
            Some(json!({"p": s("k1"), "a": {"M": {"c": list(&["1", "3"])}}})),
            "SET a.c[100] = :v70",
            json!({":v70": n("70")}),
            json!({}),
            json!({}),
            Some(json!({"p": s("k1"), "a": {"M": {"c": list(&["1", "3", "70"])}}})),
        ),
        (
            180,
            Some(json!({"p": s("k1"), "a": {"M": {"c": list(&["1", "3", "70"])}}})),
            "REMOVE a.c[1]",
            json!(null),
            json!({"a": {"M": {"c": list(&["3"])}}}),
            json!({"a": {"M": {"c": list(&["70"])}}}),
            Some(json!({"p": s("k1"), "a": {"M": {"c": list(&["1", "70"])}}})),
        ),
        (
            181,
            None,
            "REMOVE a",
            json!(null),
            json!({}),
            json!({}),
            None,
        ),
    ]
}

fn item(v: &serde_json::Value) -> Item {
    wire::from_value(v.clone()).unwrap()
}

#[test]
fn updated_old_and_new_follow_the_spec_rows() {
    for (row, before, text, values, old_want, new_want, after) in rows() {
        let values = (!values.is_null()).then(|| values_from_json(&values).unwrap());
        let update = UpdateExpression::parse(text).unwrap();
        let bound = update.bind(None, values.as_ref(), &["p"]).unwrap();
        let before = before.as_ref().map(item);
        let new = bound.apply(before.as_ref()).unwrap();
        assert_eq!(new, after.as_ref().map(item), "row {row}: item after");
        let old_got = before
            .as_ref()
            .map(|i| bound.updated_attributes(i))
            .unwrap_or_default();
        let new_got = new
            .as_ref()
            .map(|i| bound.updated_attributes(i))
            .unwrap_or_default();
        assert_eq!(old_got, item(&old_want), "row {row}: UPDATED_OLD");
        assert_eq!(new_got, item(&new_want), "row {row}: UPDATED_NEW");
    }
}
