//! The spec's PartiQL vectors (`partiql.json`, partiql.md §17) through the
//! protocol layer (`dynacond::protocol::dispatch`), with the rules of the
//! vectors' README, section "PartiQL vectors":
//!
//! - Each case gets a fresh store and its table (case-level `TableName`,
//!   always `pqt`, sent as written, `KeySchema`, `AttributeDefinitions`),
//!   then its `Items`, all through dispatch.
//! - `response` is compared member for member (items as items, sets and
//!   numbers by value), `Items` as a multiset when the step says
//!   `items_unordered`; a top-level member whose expected value is `"*"`
//!   only has to be present. A request `"NextToken": "$previous"` is the
//!   previous reply's `NextToken`.
//! - `batch`: `Responses` has exactly that many entries, and in each the
//!   listed members (`TableName`, `Item`, `Error`) are equal, `null`
//!   meaning absent.
//! - Errors as in the validation runner (strict about the
//!   `1 validation error detected: ` prefix), and a failed step must leave
//!   every table unchanged.
//!
//! Every failing case is printed; the test fails listing them, unless they
//! are in [`KNOWN`] (which may only shrink: a listed case that passes fails
//! the test too).

use crate::common;
use crate::validation_vectors::{
    Answer, Ordered, compare, error_mismatch, item, same_items, send, shorten, snapshot,
    snapshot_change,
};

use dynacond::Store;
use indexmap::IndexMap;
use serde_json::{Value, json};

/// Cases that fail for a known, documented reason: (name, reason).
const KNOWN: &[(&str, &str)] = &[];

/// Creates the case's table and stores its items.
fn set_up(store: &Store, case: &Value) -> Result<(), String> {
    let table = case["TableName"].as_str().unwrap_or("pqt");
    let create = json!({
        "TableName": table,
        "KeySchema": case["KeySchema"],
        "AttributeDefinitions": case["AttributeDefinitions"],
        "BillingMode": "PAY_PER_REQUEST",
    });
    let answer = send(store, "CreateTable", &Ordered::from_value(&create));
    if answer.status != 200 {
        return Err(format!("set-up CreateTable failed: {}", answer.show()));
    }
    for item in case
        .get("Items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let put = json!({"TableName": table, "Item": item});
        let answer = send(store, "PutItem", &Ordered::from_value(&put));
        if answer.status != 200 {
            return Err(format!("set-up PutItem {item} failed: {}", answer.show()));
        }
    }
    Ok(())
}

/// Replaces a `"NextToken": "$previous"` member by the previous reply's token.
fn with_previous_token(request: &Ordered, previous: Option<&Value>) -> Ordered {
    let Ordered::Object(members) = request else {
        return request.clone();
    };
    let members: IndexMap<String, Ordered> = members
        .iter()
        .map(|(k, v)| {
            let v = match (k.as_str(), v) {
                ("NextToken", Ordered::String(s)) if s == "$previous" => {
                    match previous.and_then(|p| p.get("NextToken")) {
                        Some(Value::String(t)) => Ordered::String(t.clone()),
                        _ => Ordered::Null,
                    }
                }
                _ => v.clone(),
            };
            (k.clone(), v)
        })
        .collect();
    Ordered::Object(members)
}

/// `response`, with `"*"` for "present" and `items_unordered`.
fn check_response(expect: &Value, answer: &Answer) -> Result<(), String> {
    if answer.status != 200 {
        return Err("failed, want a reply".into());
    }
    let (mut want, mut got) = (expect["response"].clone(), answer.body.clone());
    if let (Some(w), Some(g)) = (want.as_object_mut(), got.as_object_mut()) {
        let present: Vec<String> = w
            .iter()
            .filter(|(_, v)| *v == &json!("*"))
            .map(|(k, _)| k.clone())
            .collect();
        for k in present {
            if g.remove(&k).is_none() {
                return Err(format!("{k}: missing, want any value"));
            }
            w.remove(&k);
        }
    }
    // ExecuteTransaction's `Responses` is a list of `{Item}` (the shared
    // comparison reads a `Responses` object as BatchGetItem's).
    if let (Some(Value::Array(w)), Some(Value::Array(g))) = (
        want.get_mut("Responses").map(Value::take),
        got.get_mut("Responses").map(Value::take),
    ) {
        if w.len() != g.len() {
            return Err(format!("Responses: want {w:?}, got {g:?}"));
        }
        for (i, (w, g)) in w.iter().zip(&g).enumerate() {
            compare(&format!("reply.Responses[{i}]"), None, w, g)?;
        }
    }
    if expect.get("items_unordered") == Some(&json!(true)) {
        let (wi, gi) = (want["Items"].take(), got["Items"].take());
        compare("reply", None, &want, &got)?;
        let list = |v: &Value| -> Result<Vec<_>, String> {
            v.as_array().into_iter().flatten().map(item).collect()
        };
        return same_items(&list(&wi)?, &list(&gi)?)
            .then_some(())
            .ok_or_else(|| format!("Items: want {wi}, got {gi}"));
    }
    compare("reply", None, &want, &got)
}

/// `batch`: the entries of `Responses`, member by member.
fn check_batch(want: &[Value], answer: &Answer) -> Result<(), String> {
    if answer.status != 200 {
        return Err("failed, want a reply".into());
    }
    let got = answer.body["Responses"]
        .as_array()
        .ok_or("no Responses list")?;
    if got.len() != want.len() {
        return Err(format!("{} responses, want {}", got.len(), want.len()));
    }
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        for (member, wv) in w.as_object().into_iter().flatten() {
            let gv = g.get(member);
            match (wv, gv) {
                (Value::Null, None) => {}
                (Value::Null, Some(gv)) => {
                    return Err(format!("Responses[{i}].{member}: {gv}, want none"));
                }
                (_, None) => return Err(format!("Responses[{i}].{member}: missing, want {wv}")),
                (_, Some(gv)) => {
                    compare(&format!("Responses[{i}].{member}"), Some(member), wv, gv)?;
                }
            }
        }
    }
    Ok(())
}

fn check(expect: &Value, answer: &Answer) -> Result<(), String> {
    if expect.get("error").is_some() {
        error_mismatch(expect, answer)
    } else if let Some(batch) = expect.get("batch").and_then(Value::as_array) {
        check_batch(batch, answer)
    } else if expect.get("response").is_some() {
        check_response(expect, answer)
    } else {
        Err(format!(
            "the runner does not know this expectation: {expect}"
        ))
    }
}

/// Runs one case; the first failing step is the error.
fn run_case(case: &Value, ordered: &Ordered) -> Result<(), String> {
    let store = Store::new();
    set_up(&store, case)?;
    let Some(Ordered::Array(ordered_steps)) = ordered.get("steps") else {
        return Err("a case without steps".into());
    };
    let mut previous: Option<Value> = None;
    for (i, (step, ordered)) in case["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(ordered_steps)
        .enumerate()
    {
        let operation = step["operation"].as_str().unwrap_or_default();
        let request = with_previous_token(ordered.get("request").unwrap(), previous.as_ref());
        let expect = &step["expect"];
        let before = expect.get("error").map(|_| snapshot(&store));
        let answer = send(&store, operation, &request);
        let mut outcome = check(expect, &answer);
        if let (Ok(()), Some(before)) = (&outcome, before) {
            outcome = match (before, snapshot(&store)) {
                (Ok(b), Ok(a)) => snapshot_change(&b, &a).map_or(Ok(()), Err),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
        }
        outcome.map_err(|why| {
            format!(
                "step {i}: {why}\n  request:  {operation} {}\n  expected: {}\n  actual:   {}",
                shorten(&serde_json::to_string(&request).unwrap()),
                shorten(&expect.to_string()),
                answer.show()
            )
        })?;
        previous = Some(answer.body);
    }
    Ok(())
}

#[test]
fn partiql_vectors() {
    let file = "partiql.json";
    let cases = common::load_cases(file);
    let text = std::fs::read_to_string(common::cases_dir().join(file)).unwrap();
    let ordered: Vec<Ordered> = serde_json::from_str(&text).unwrap();
    assert_eq!(ordered.len(), cases.len());
    let (mut failing, mut known_failing, mut known_passing) = (Vec::new(), Vec::new(), Vec::new());
    for (case, ordered) in cases.iter().zip(&ordered) {
        let name = case["name"].as_str().unwrap();
        let excused = KNOWN.iter().find(|(n, _)| *n == name);
        match (run_case(case, ordered), excused) {
            (Ok(()), None) => {}
            (Ok(()), Some(_)) => known_passing.push(name),
            (Err(_), Some((_, why))) => known_failing.push(format!("{name} ({why})")),
            (Err(why), None) => {
                eprintln!(
                    "FAIL {name} (row {}), {why}\n",
                    case["row"].as_str().unwrap_or("?")
                );
                failing.push(name);
            }
        }
    }
    eprintln!(
        "{file}: {} cases, {} passed, {} failed, {} known failures ({})",
        cases.len(),
        cases.len() - failing.len() - known_failing.len(),
        failing.len(),
        known_failing.len(),
        known_failing.join(", ")
    );
    assert!(
        failing.is_empty() && known_passing.is_empty(),
        "{} of {} PartiQL vectors failed: {}\nlisted as known but passing (remove them): {}",
        failing.len(),
        cases.len(),
        failing.join(", "),
        known_passing.join(", ")
    );
}
