//! The spec's UpdateExpression and ProjectionExpression vectors
//! (`updates.json`, `projections.json`; rows of §18.3-18.5) and our own in
//! the same format (`tests/data/updates/*.json`, `tests/data/projections/*.json`),
//! run through the update engine and projection without a store: the store's
//! part (adding the key to a created item, the key schema, the checks on the
//! new item) is done here as UpdateItem would.

use crate::common;

use dynacond::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, check_unused, validate_names,
    validate_values, values_from_json,
};
use dynacond::projection::ProjectionExpression;
use dynacond::update::UpdateExpression;
use dynacond::{Error, Item, wire};
use serde_json::Value;

struct Case {
    names: Option<ExpressionAttributeNames>,
    values: Option<ExpressionAttributeValues>,
    item: Option<Item>,
    key: Item,
}

fn decode(case: &Value) -> Result<Case, Error> {
    let names = match case.get("ExpressionAttributeNames") {
        Some(v) => Some(wire::from_value(v.clone())?),
        None => None,
    };
    let values = match case.get("ExpressionAttributeValues") {
        Some(v) => Some(values_from_json(v)?),
        None => None,
    };
    let item = match case.get("Item") {
        Some(v) => Some(wire::from_value(v.clone())?),
        None => None,
    };
    let key = wire::from_value(
        case.get("Key")
            .cloned()
            .unwrap_or_else(|| serde_json::json!({"p": {"S": "k1"}})),
    )?;
    if let Some(n) = &names {
        validate_names(n)?;
    }
    if let Some(v) = &values {
        validate_values(v)?;
    }
    Ok(Case {
        names,
        values,
        item,
        key,
    })
}

fn key_names(case: &Value) -> Vec<String> {
    match case.get("KeySchema").and_then(Value::as_array) {
        Some(schema) => schema
            .iter()
            .map(|k| k["AttributeName"].as_str().unwrap().to_owned())
            .collect(),
        None => vec!["p".to_owned()],
    }
}

/// UpdateItem without a condition: the stored item afterwards (None: none).
fn run_update(case: &Value) -> Result<Option<Item>, Error> {
    let c = decode(case)?;
    // As UpdateItem parses: an undefined placeholder in an expression that
    // fails a check made after the placeholder check is reported (§7.2).
    let update = UpdateExpression::parse_in_request(
        case["UpdateExpression"].as_str().unwrap(),
        c.names.as_ref(),
        c.values.as_ref(),
    )?;
    let keys = key_names(case);
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let bound = update.bind(c.names.as_ref(), c.values.as_ref(), &key_refs)?;
    let refs = update.references();
    check_unused(
        c.names.as_ref(),
        c.values.as_ref(),
        refs.names.iter().map(AsRef::as_ref),
        refs.values.iter().map(AsRef::as_ref),
    )?;
    let new = bound.apply(c.item.as_ref())?;
    // §7.4 step 6: the new item's nesting and size.
    if let Some(new) = &new {
        for value in new.values() {
            value.validate()?;
        }
        if dynacond::item_size(new) > dynacond::value::MAX_ITEM_SIZE {
            return Err(Error::validation(
                "Item size to update has exceeded the maximum allowed size",
            ));
        }
    }
    Ok(match (new, c.item) {
        (Some(mut created), None) => {
            // A created item holds the key, then the changes.
            let mut item = c.key.clone();
            item.append(&mut created);
            Some(item)
        }
        (new, _) => new,
    })
}

/// GetItem with a ProjectionExpression: the returned `Item` (None: no member).
fn run_projection(case: &Value) -> Result<Option<Item>, Error> {
    let c = decode(case)?;
    let projection = ProjectionExpression::parse(case["ProjectionExpression"].as_str().unwrap())?;
    let bound = projection.bind(c.names.as_ref())?;
    let refs = projection.references();
    check_unused(
        c.names.as_ref(),
        None,
        refs.names.iter().map(AsRef::as_ref),
        [],
    )?;
    Ok(c.item.as_ref().map(|item| bound.project(item)))
}

fn check(
    what: &str,
    cases: Vec<Value>,
    minimum: usize,
    run: fn(&Value) -> Result<Option<Item>, Error>,
) {
    let mut report = common::Report::default();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?").to_owned();
        let expect = &case["expect"];
        report.ran += 1;
        match (run(&case), expect.get("item")) {
            (Ok(got), Some(want)) => {
                let want: Option<Item> = if want.is_null() {
                    None
                } else {
                    Some(wire::from_value(want.clone()).unwrap())
                };
                if got != want {
                    report.fail(
                        &name,
                        format!(
                            "\n   got: {}\n  want: {}",
                            got.map_or("none".into(), |i| wire::item_to_json(&i)),
                            want.map_or("none".into(), |i| wire::item_to_json(&i))
                        ),
                    );
                }
            }
            (Ok(got), None) => report.fail(
                &name,
                format!("succeeded with {got:?}, want an error {expect}"),
            ),
            (Err(e), Some(_)) => {
                report.fail(&name, format!("got {}: {}", e.type_name(), e.message()))
            }
            (Err(e), None) => {
                if let Some(why) = common::error_mismatch(expect, &e) {
                    report.fail(&name, why);
                }
            }
        }
    }
    report.finish(what, minimum);
}

/// Every case of one of our vector folders, checking that names are unique,
/// prefixed `own-` and tagged as ours.
fn own_cases(folder: &str) -> Vec<Value> {
    let mut names = std::collections::HashSet::new();
    let mut all = Vec::new();
    for (file, cases) in common::load_data_folder(folder) {
        for case in cases {
            let name = case["name"].as_str().unwrap_or_default().to_owned();
            assert!(name.starts_with("own-"), "{folder}/{file}: case {name:?}");
            assert_eq!(case["row"], 0, "{folder}/{file}: {name}");
            assert_eq!(case["evidence"], "dynacond", "{folder}/{file}: {name}");
            assert!(names.insert(name.clone()), "{folder}/{file}: {name} twice");
            all.push(case);
        }
    }
    all
}

#[test]
fn update_vectors() {
    check(
        "updates.json",
        common::load_cases("updates.json"),
        85,
        run_update,
    );
}

#[test]
fn projection_vectors() {
    check(
        "projections.json",
        common::load_cases("projections.json"),
        35,
        run_projection,
    );
}

#[test]
fn own_update_vectors() {
    check("tests/data/updates", own_cases("updates"), 80, run_update);
}

#[test]
fn own_projection_vectors() {
    check(
        "tests/data/projections",
        own_cases("projections"),
        30,
        run_projection,
    );
}
