//! Data-driven condition cases: the spec's vectors (`conditions.json`, rows
//! of §18.1-18.3) and our own (`tests/data/conditions/*.json`, same format,
//! `"evidence": "dynacond"`). Each case is a ConditionExpression with its
//! placeholder maps and the stored item (or none), expected to be true, false
//! or a given error.

use crate::common;

use std::collections::HashSet;

use dynacond::placeholders::{ExpressionAttributeNames, values_from_json};
use dynacond::{Error, Item, condition as eval, wire};
use serde_json::Value;

/// The members a condition case may have (anything else is a typo in a
/// vector file).
const MEMBERS: &[&str] = &[
    "name",
    "row",
    "evidence",
    "Operation",
    "Item",
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "expect",
];

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

/// Runs one case, recording a failure in `report`.
fn check(report: &mut common::Report, case: &Value) {
    let name = case["name"].as_str().unwrap_or("?").to_owned();
    let expect = &case["expect"];
    report.ran += 1;
    match (
        run_case(case),
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

/// Checks the shape of a case: known members, a string expression, an
/// `expect` with exactly one of `result` and `error`.
fn shape_problem(case: &Value) -> Option<String> {
    let Value::Object(members) = case else {
        return Some("not an object".into());
    };
    if let Some(unknown) = members.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
        return Some(format!("unknown member {unknown}"));
    }
    if !case["name"].is_string() || !case["ConditionExpression"].is_string() {
        return Some("name and ConditionExpression must be strings".into());
    }
    if !case["row"].is_u64() || !case["evidence"].is_string() {
        return Some("row must be a number and evidence a string".into());
    }
    let expect = &case["expect"];
    match (expect.get("result"), expect.get("error")) {
        (Some(Value::Bool(_)), None) if expect.as_object().is_some_and(|o| o.len() == 1) => None,
        (None, Some(Value::String(_))) => None,
        _ => Some(format!("bad expect {expect}")),
    }
}

#[test]
fn condition_vectors() {
    let mut report = common::Report::default();
    for case in common::load_cases("conditions.json") {
        check(&mut report, &case);
    }
    report.finish("condition", 140);
}

/// Our own cases, every file of `tests/data/conditions/`.
#[test]
fn dynacond_condition_vectors() {
    let mut report = common::Report::default();
    let mut names: HashSet<String> = common::load_cases("conditions.json")
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect();
    let files = common::load_data_folder("conditions");
    assert!(
        files.len() >= 6,
        "expected the condition files, found {files:?}"
    );
    for (file, cases) in &files {
        assert!(!cases.is_empty(), "{file} has no cases");
        for case in cases {
            let name = case["name"].as_str().unwrap_or("?");
            if let Some(why) = shape_problem(case) {
                report.fail(&format!("{file}: {name}"), why);
                continue;
            }
            if !names.insert(name.to_owned()) {
                report.fail(&format!("{file}: {name}"), "duplicate case name");
                continue;
            }
            assert_eq!(case["row"], 0, "{name}: our cases use row 0");
            assert_eq!(case["evidence"], "dynacond", "{name}");
            check(&mut report, case);
        }
    }
    report.finish("dynacond condition", 800);
}
