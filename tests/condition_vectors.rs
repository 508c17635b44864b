//! The spec's condition vectors (`conditions.json`, rows of §18.1-18.3): each
//! case is a ConditionExpression with its placeholder maps and the stored item
//! (or none), expected to be true, false or a given error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use dynacond::placeholders::{ExpressionAttributeNames, values_from_json};
use dynacond::{Error, Item, eval, wire};
use serde_json::Value;

fn run_case(case: &Value) -> Result<bool, Error> {
    let names: Option<ExpressionAttributeNames> = match case.get("ExpressionAttributeNames") {
        Some(v) => Some(wire::from_value(v.clone())?),
        None => None,
    };
    let values = match case.get("ExpressionAttributeValues") {
        Some(v) => Some(values_from_json(v)?),
        None => None,
    };
    let item: Option<Item> = match case.get("Item") {
        Some(v) => Some(wire::from_value(v.clone())?),
        None => None,
    };
    let expression = case["ConditionExpression"].as_str().unwrap_or_default();
    eval::check_condition(expression, names.as_ref(), values.as_ref(), item.as_ref())
}

#[test]
fn condition_vectors() {
    let mut report = common::Report::default();
    for case in common::load_cases("conditions.json") {
        let name = case["name"].as_str().unwrap_or("?").to_owned();
        let expect = &case["expect"];
        report.ran += 1;
        match (
            run_case(&case),
            expect.get("result").and_then(Value::as_bool),
        ) {
            (Ok(got), Some(want)) if got == want => {}
            (Ok(got), Some(want)) => report.fail(&name, format!("got {got}, want {want}")),
            (Ok(got), None) => report.fail(&name, format!("got {got}, want an error {expect}")),
            (Err(e), Some(want)) => report.fail(
                &name,
                format!("got {}: {}, want {want}", e.type_name(), e.message()),
            ),
            (Err(e), None) => {
                if let Some(why) = common::error_mismatch(expect, &e) {
                    report.fail(&name, why);
                }
            }
        }
    }
    report.finish("condition", 140);
}
