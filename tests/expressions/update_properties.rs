//! Properties of UpdateExpression binding and application (spec §7, §12.3)
//! and of ProjectionExpression (§8), on generated items and updates, checked
//! against the tests' own reference (`update_strategies`):
//!
//! * (a) bind + apply never panic; (b) a failure is a ValidationException
//!   and changes nothing (also through `apply_in_place`); the reference
//!   predicts which updates bind, which fail at run time and with which
//!   message; (c) a success gives the reference's item (a recursive rebuild
//!   of the old item), and in particular each keys-only target holds the
//!   value computed from the old item, each removed one is gone, untouched
//!   attributes are unchanged; the same on a missing item;
//! * (d) edits of one list against §7.5's algorithm;
//! * (e) `updated_attributes` on the old and new item is the projection of
//!   the target paths;
//! * (f) projections: every attribute gives the item back, one path gives
//!   exactly its value in its ancestors, several keys-only paths resolve as
//!   in the item.

use crate::update_strategies;

use std::collections::{BTreeMap, BTreeSet};

use dynacond::placeholders::ExpressionAttributeNames;
use dynacond::projection::ProjectionExpression;
use dynacond::update::{BoundUpdate, UpdateExpression};
use dynacond::{AttributeValue, Error, Item, Map, ValueType, wire};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use update_strategies::*;

const MISSING: &str =
    "The provided expression refers to an attribute that does not exist in the item";
const BAD_TYPE: &str = "An operand in the update expression has an incorrect data type";
const BAD_PATH: &str = "The document path provided in the update expression is invalid for update";

/// 256 cases by default (`PROPTEST_CASES` overrides), no persistence file.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn is_validation(e: &Error) -> bool {
    e.type_name() == "ValidationException"
}

/// What the reference says binding does: `false` when some check of §7.3
/// or an undefined placeholder must reject the update.
fn binds(upd: &Upd, dropped: bool) -> bool {
    fn static_type_ok(o: &Operand, want: ValueType) -> bool {
        match o {
            Operand::Value(v) => v.value_type() == want,
            _ => true,
        }
    }
    fn operand_ok(o: &Operand) -> bool {
        match o {
            Operand::ListAppend(a, b) => {
                static_type_ok(a, ValueType::L)
                    && static_type_ok(b, ValueType::L)
                    && operand_ok(a)
                    && operand_ok(b)
            }
            Operand::IfNotExists(_, d) => operand_ok(d),
            _ => true,
        }
    }
    let types_ok = upd.actions.iter().all(|a| match a {
        Action::Set(_, Rhs::One(o)) => operand_ok(o),
        Action::Set(_, Rhs::Plus(l, r) | Rhs::Minus(l, r)) => {
            static_type_ok(l, ValueType::N)
                && static_type_ok(r, ValueType::N)
                && operand_ok(l)
                && operand_ok(r)
        }
        Action::Remove(_) => true,
        Action::Add(_, v) => v.value_type() == ValueType::N || v.value_type().is_set(),
        Action::Delete(_, v) => v.value_type().is_set(),
    });
    !dropped && types_ok && upd.disjoint()
}

/// The run-time failures the reference expects (empty: the update
/// succeeds). `old` is the item, or an empty one when `exists` is false:
/// then REMOVE never fails (§7.4).
fn expected_failures(upd: &Upd, old: &Item, exists: bool) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    let why = |f: Fails| match f {
        Fails::Missing => MISSING,
        Fails::Type => BAD_TYPE,
    };
    for action in &upd.actions {
        let steps = action.target().steps();
        let mut check_parent = true;
        match action {
            Action::Set(_, rhs) => {
                if let Err(f) = eval_set(rhs, old) {
                    out.insert(why(f));
                }
            }
            Action::Remove(_) => check_parent = exists,
            Action::Add(_, v) => {
                if let Err(f) = add(resolve(old, &steps), v) {
                    out.insert(why(f));
                }
            }
            Action::Delete(_, v) => match resolve(old, &steps) {
                // An absent target is a no-op (§7.4).
                None => check_parent = false,
                Some(current) => {
                    if let Err(f) = delete(current, v) {
                        out.insert(why(f));
                    }
                }
            },
        }
        if check_parent && steps.len() > 1 {
            let (last, parent) = steps.split_last().unwrap();
            let fits = matches!(
                (last, resolve(old, parent)),
                (St::Key(_), Some(AttributeValue::M(_)))
                    | (St::Index(_), Some(AttributeValue::L(_)))
            );
            if !fits {
                out.insert(BAD_PATH);
            }
        }
    }
    out
}

/// Checks the new item against the reference: each SET, ADD and DELETE
/// target named by keys only holds the value computed from the old item,
/// each such REMOVE target is gone, attributes no action touches are
/// unchanged.
fn check_new_item(upd: &Upd, old: &Item, new: &Item) -> Result<(), TestCaseError> {
    for action in &upd.actions {
        let target = action.target();
        if !target.keys_only() {
            continue;
        }
        let steps = target.steps();
        let got = resolve(new, &steps);
        let want = match action {
            Action::Set(_, rhs) => Some(eval_set(rhs, old).unwrap()),
            Action::Remove(_) => None,
            Action::Add(_, v) => Some(add(resolve(old, &steps), v).unwrap()),
            Action::Delete(_, v) => match resolve(old, &steps) {
                None => None,
                Some(current) => delete(current, v).unwrap(),
            },
        };
        prop_assert_eq!(
            got,
            want.as_ref(),
            "target {} of {:?}",
            target.text(),
            action
        );
    }
    let touched: BTreeSet<String> = upd.actions.iter().map(|a| a.target().top()).collect();
    for name in old.keys().chain(new.keys()) {
        if !touched.contains(name) {
            prop_assert_eq!(old.get(name), new.get(name), "untouched attribute {}", name);
        }
    }
    Ok(())
}

/// `updated_attributes` is the projection of the target paths (§12.3).
fn check_updated_attributes(
    upd: &Upd,
    names: &ExpressionAttributeNames,
    bound: &BoundUpdate<'_>,
    item: &Item,
) -> Result<(), TestCaseError> {
    let text: Vec<String> = upd.ordered().iter().map(|a| a.target().text()).collect();
    let text = text.join(", ");
    let projection = ProjectionExpression::parse(&text).unwrap();
    let bound_projection = projection.bind(Some(names)).unwrap();
    prop_assert_eq!(
        bound.updated_attributes(item),
        bound_projection.project(item),
        "projection {}",
        text
    );
    Ok(())
}

/// Properties (a), (b), (c) and (e) for one item and update, on the item
/// and on no item.
fn check_against_reference(item: &Item, upd: &Upd) -> Result<(), TestCaseError> {
    let (text, values, dropped) = upd.render_full();
    let names = all_names();
    let expr = UpdateExpression::parse(&text).unwrap_or_else(|e| panic!("{text}: {}", e.message()));
    let bound = match expr.bind(Some(&names), Some(&values), &[KEY]) {
        Ok(bound) => bound,
        Err(e) => {
            prop_assert!(is_validation(&e), "{}: {:?}", text, e);
            prop_assert!(
                !binds(upd, dropped),
                "{} did not bind: {}",
                text,
                e.message()
            );
            return Ok(());
        }
    };
    prop_assert!(
        binds(upd, dropped),
        "{} bound, the reference rejects it",
        text
    );

    let before = item.clone();
    let before_json = wire::item_to_json(item);
    let result = bound.apply(Some(item));
    prop_assert_eq!(item, &before);
    let mut in_place = item.clone();
    let in_place_result = bound.apply_in_place(&mut in_place);
    let expected = expected_failures(upd, item, true);
    check_updated_attributes(upd, &names, &bound, item)?;
    match (result, in_place_result) {
        (Ok(Some(new)), Ok(())) => {
            prop_assert!(
                expected.is_empty(),
                "{} succeeded, the reference expects {:?}; new item {}",
                text,
                expected,
                wire::item_to_json(&new)
            );
            prop_assert_eq!(wire::item_to_json(&new), wire::item_to_json(&in_place));
            check_new_item(upd, item, &new)?;
            let want = reference_apply(upd, item, true);
            prop_assert_eq!(
                &new,
                &want,
                "{}\n   got {}\n  want {}",
                text,
                wire::item_to_json(&new),
                wire::item_to_json(&want)
            );
            check_updated_attributes(upd, &names, &bound, &new)?;
        }
        (Err(e), Err(e2)) => {
            prop_assert_eq!(&e, &e2);
            prop_assert!(is_validation(&e), "{:?}", e);
            prop_assert_eq!(
                wire::item_to_json(&in_place),
                before_json,
                "apply_in_place changed the item"
            );
            prop_assert!(
                expected.contains(e.message()),
                "{} failed with {:?}, the reference expects {:?}",
                text,
                e.message(),
                expected
            );
        }
        (a, b) => prop_assert!(false, "apply gave {:?}, apply_in_place {:?}", a, b),
    }

    // On a missing item (§7.7): nothing is created by a remove/delete-
    // only update; otherwise the reference on an empty item decides.
    let writes = upd
        .actions
        .iter()
        .any(|a| matches!(a, Action::Set(..) | Action::Add(..)));
    let empty = Item::new();
    let expected = expected_failures(upd, &empty, false);
    match bound.apply(None) {
        Ok(None) => prop_assert!(!writes, "{} created nothing", text),
        Ok(Some(new)) => {
            prop_assert!(writes, "{} created {:?}", text, new);
            prop_assert!(
                expected.is_empty(),
                "{} created {:?}, the reference expects {:?}",
                text,
                new,
                expected
            );
            check_new_item(upd, &empty, &new)?;
            prop_assert_eq!(
                &new,
                &reference_apply(upd, &empty, false),
                "{} on no item",
                text
            );
        }
        Err(e) => {
            prop_assert!(writes, "{}: {:?}", text, e);
            prop_assert!(is_validation(&e));
            prop_assert!(
                expected.contains(e.message()),
                "{} on no item failed with {:?}, the reference expects {:?}",
                text,
                e.message(),
                expected
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// (a) Binding and applying never panic; (b) a failed update leaves the
    /// item as it was and is a ValidationException; the reference predicts
    /// which updates bind, which fail at run time and with which message;
    /// (c) a successful one has the values the reference computes;
    /// (e) `updated_attributes` on the old and new item equals projecting
    /// the target paths. Wild updates: most of them fail.
    #[test]
    fn updates_match_the_reference(item in arb_item(), upd in arb_update()) {
        check_against_reference(&item, &upd)?;
    }

    /// The same properties on updates built from the item's own paths, with
    /// operands of fitting types: most of them succeed.
    #[test]
    fn fitting_updates_match_the_reference((item, upd) in arb_item_and_valid_update()) {
        check_against_reference(&item, &upd)?;
    }

    /// (d) `SET l[i]` and `REMOVE l[j]` on one list, in any order, against
    /// the algorithm of §7.5: replace in-range SETs by old index, drop the
    /// removed old indexes, append out-of-range SETs in index order.
    #[test]
    fn list_edits_match_the_reference(
        list in vec(arb_value(), 0..6),
        edits in btree_map(0u32..9, proptest::option::of(arb_value()), 1..6),
        place in 0usize..3,
        shuffle in vec(any::<u32>(), 8),
        remove_first in any::<bool>(),
    ) {
        let (prefix, mut item) = match place {
            0 => ("l", Item::new()),
            1 => ("m.l", Item::new()),
            _ => ("#n1", Item::new()),
        };
        item.insert(KEY.to_owned(), AttributeValue::s("key"));
        let stored = AttributeValue::L(list.clone());
        match place {
            0 => { item.insert("l".into(), stored); }
            1 => {
                let mut m = Map::new();
                m.insert("l".into(), stored);
                m.insert("other".into(), AttributeValue::Null);
                item.insert("m".into(), AttributeValue::M(m));
            }
            _ => { item.insert(ODD_NAME.into(), stored); }
        }
        // Text order of the actions: shuffled.
        let mut order: Vec<(u32, Option<AttributeValue>)> = edits.clone().into_iter().collect();
        let keys: Vec<u32> = shuffle.iter().take(order.len()).copied().collect();
        let mut indexed: Vec<(u32, (u32, Option<AttributeValue>))> = keys.into_iter().zip(order.drain(..)).collect();
        indexed.sort_by_key(|(k, _)| *k);
        let mut values = dynacond::placeholders::ExpressionAttributeValues::new();
        let (mut sets, mut removes) = (Vec::new(), Vec::new());
        for (_, (i, v)) in indexed {
            match v {
                Some(v) => {
                    let name = format!(":v{}", values.len());
                    sets.push(format!("{prefix}[{i}] = {name}"));
                    values.insert(name, v);
                }
                None => removes.push(format!("{prefix}[{i}]")),
            }
        }
        let mut clauses = Vec::new();
        if !sets.is_empty() {
            clauses.push(format!("SET {}", sets.join(", ")));
        }
        if !removes.is_empty() {
            clauses.push(format!("REMOVE {}", removes.join(", ")));
        }
        if remove_first {
            clauses.reverse();
        }
        let text = clauses.join(" ");

        // The reference.
        let mut want = Vec::new();
        for (i, v) in list.iter().enumerate() {
            match edits.get(&(i as u32)) {
                None => want.push(v.clone()),
                Some(None) => {}
                Some(Some(new)) => want.push(new.clone()),
            }
        }
        for (i, v) in &edits {
            if (*i as usize) >= list.len() {
                if let Some(v) = v {
                    want.push(v.clone());
                }
            }
        }

        let names = all_names();
        let expr = UpdateExpression::parse(&text).unwrap();
        let bound = expr.bind(Some(&names), Some(&values), &[KEY]).unwrap();
        let new = bound.apply(Some(&item)).unwrap().unwrap();
        let got = match place {
            0 => new.get("l"),
            1 => new.get("m").and_then(|m| m.as_m()).and_then(|m| m.get("l")),
            _ => new.get(ODD_NAME),
        };
        prop_assert_eq!(got, Some(&AttributeValue::L(want)), "{}", text);
        if place == 1 {
            prop_assert_eq!(
                new.get("m").and_then(|m| m.as_m()).and_then(|m| m.get("other")),
                Some(&AttributeValue::Null)
            );
        }
        prop_assert_eq!(new.get(KEY), item.get(KEY));
        prop_assert_eq!(new.len(), item.len());
    }

    /// (f) Projecting every top-level attribute (through `#name`
    /// placeholders, so any name works) gives the item back.
    #[test]
    fn projecting_every_attribute_gives_the_item(item in arb_item()) {
        let names: ExpressionAttributeNames = item
            .keys()
            .enumerate()
            .map(|(i, k)| (format!("#t{i}"), k.clone()))
            .collect();
        let text: Vec<&str> = names.keys().map(String::as_str).collect();
        let projection = ProjectionExpression::parse(&text.join(", ")).unwrap();
        let bound = projection.bind(Some(&names)).unwrap();
        let projected = bound.project(&item);
        prop_assert_eq!(wire::item_to_json(&projected), wire::item_to_json(&item));
    }

    /// (f) A path that resolves, projected alone, gives exactly that value
    /// nested in its ancestors (a one-element list for each index); one
    /// that does not resolve gives an empty item.
    #[test]
    fn projecting_one_path(item in arb_item(), path in arb_path()) {
        let names = all_names();
        let projection = ProjectionExpression::parse(&path.text()).unwrap();
        let bound = projection.bind(Some(&names)).unwrap();
        let projected = bound.project(&item);
        let steps = path.steps();
        match resolve(&item, &steps) {
            None => prop_assert!(projected.is_empty(), "{} gave {:?}", path.text(), projected),
            Some(v) => {
                prop_assert_eq!(resolve(&projected, &steps.iter().map(|s| match s {
                    St::Index(_) => St::Index(0),
                    k => k.clone(),
                }).collect::<Vec<_>>()), Some(v));
                // Exactly the value in its ancestors.
                let mut want = v.clone();
                for step in steps.iter().skip(1).rev() {
                    want = match step {
                        St::Key(k) => AttributeValue::M([(k.clone(), want)].into_iter().collect()),
                        St::Index(_) => AttributeValue::L(vec![want]),
                    };
                }
                let mut expected = Item::new();
                expected.insert(path.top(), want);
                prop_assert_eq!(projected, expected);
            }
        }
    }

    /// (f) Several paths of names only: each one that resolves resolves in
    /// the result to the same value, each one that does not stays
    /// unresolved, and nothing else is returned at the top level.
    #[test]
    fn projecting_several_key_paths(item in arb_item(), paths in vec(arb_path(), 1..5)) {
        let mut kept: Vec<P> = Vec::new();
        for p in paths {
            let p = P(p.0.into_iter().filter(|e| !matches!(e, Elem::Index(_))).collect());
            if kept.iter().all(|k| !clashes(&k.steps(), &p.steps())) {
                kept.push(p);
            }
        }
        let text: Vec<String> = kept.iter().map(P::text).collect();
        let names = all_names();
        let projection = ProjectionExpression::parse(&text.join(", ")).unwrap();
        let projected = projection.bind(Some(&names)).unwrap().project(&item);
        let mut tops = BTreeMap::new();
        for p in &kept {
            let steps = p.steps();
            prop_assert_eq!(resolve(&projected, &steps), resolve(&item, &steps), "{}", p.text());
            if resolve(&item, &steps).is_some() {
                tops.insert(p.top(), ());
            }
        }
        let got: Vec<&String> = projected.keys().collect();
        let want: Vec<&String> = tops.keys().collect();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        prop_assert_eq!(got_sorted, want);
    }

    /// Generated text of the condition-free kind: the same update applied
    /// through `check_update` (the CLI's path) agrees with bind + apply.
    #[test]
    fn check_update_agrees_with_bind_and_apply(item in arb_item(), upd in arb_update()) {
        let (text, values) = upd.render();
        // check_update rejects unused names, so pass only the used ones.
        let used: ExpressionAttributeNames = all_names()
            .into_iter()
            .filter(|(k, _)| text.contains(k.as_str()))
            .collect();
        let names = (!used.is_empty()).then_some(&used);
        let values_ref = (!values.is_empty()).then_some(&values);
        let direct = UpdateExpression::parse(&text)
            .and_then(|e| {
                let bound = e.bind(names, values_ref, &[])?;
                bound.apply(Some(&item))
            });
        let checked = dynacond::update::check_update(&text, names, values_ref, Some(&item));
        match (direct, checked) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{}: bind+apply {:?}, check_update {:?}", text, a, b),
        }
    }
}
