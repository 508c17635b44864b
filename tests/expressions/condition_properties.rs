//! Property tests of condition evaluation through the public API
//! (`ConditionExpression::parse(..)?.bind(..)?.evaluate(&item)`), on random
//! items, placeholder values and condition trees over a small pool of names
//! (`tests/strategies`):
//!
//! * algebraic laws (`BETWEEN`, `IN`, De Morgan, double negation, `<>`,
//!   `attribute_not_exists`, converse comparators, `<=`, commutativity);
//! * arbitrary trees, items and maps never panic, and every error is a
//!   ValidationException naming the parameter;
//! * an independent reference evaluator for a subset (comparisons of
//!   top-level attributes and placeholders, `attribute_exists`, `NOT`, `AND`,
//!   `OR`), static errors included;
//! * parse → Display → parse keeps the tree and the meaning, and printing is
//!   a fixed point.

use crate::strategies;

use std::collections::BTreeMap;

use dynacond::condition::ConditionExpression;
use dynacond::parser::ExpressionKind;
use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::{Error, Item};
use proptest::prelude::*;
use proptest::sample::select;
use strategies::{
    Cmp, Cond, NAMES, Opnd, PathSpec, RItem, RVal, VALUE_PLACEHOLDERS, all_names, arb_cmp,
    arb_cond, arb_mostly_tiny, arb_names_subset, arb_opnd, arb_path, arb_primary, arb_ritem,
    arb_ritem_with, arb_rvalues, arb_rvalues_with, arb_style, arb_tiny_ordered, arb_tree,
    arb_values_subset, to_item, to_values,
};

/// An item, placeholder maps, ready for evaluation.
#[derive(Debug)]
struct World {
    item: Item,
    names: ExpressionAttributeNames,
    values: ExpressionAttributeValues,
}

impl World {
    fn new(item: &RItem, values: &BTreeMap<String, RVal>) -> World {
        World {
            item: to_item(item),
            names: all_names(),
            values: to_values(values),
        }
    }

    fn eval(&self, text: &str) -> Result<bool, Error> {
        let expr = ConditionExpression::parse(text)?;
        let bound = expr.bind(Some(&self.names), Some(&self.values))?;
        Ok(bound.evaluate(&self.item))
    }
}

fn arb_world() -> impl Strategy<Value = World> {
    (arb_ritem(), arb_rvalues()).prop_map(|(i, v)| World::new(&i, &v))
}

/// Items and placeholder values of the ordered types only (S, N, B).
fn arb_ordered_world() -> impl Strategy<Value = World> {
    (
        arb_ritem_with(arb_tiny_ordered()),
        arb_rvalues_with(arb_tiny_ordered()),
    )
        .prop_map(|(i, v)| World::new(&i, &v))
}

/// Every error of a generated expression is a ValidationException naming the
/// parameter (the generators only produce syntactically valid text).
fn check_error(e: &Error, text: &str, head: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.type_name(), "ValidationException", "{}: {:?}", text, e);
    prop_assert!(
        e.message().starts_with(head),
        "{:?}: message {:?} does not start with {:?}",
        text,
        e.message(),
        head
    );
    prop_assert!(
        !e.message().contains("Syntax error"),
        "{:?}: {}",
        text,
        e.message()
    );
    Ok(())
}

/// What evaluating an expression gives.
type Outcome = Result<bool, Error>;

/// Two expressions that must mean the same: equal results when both bind;
/// when one fails, so must the other.
fn same_meaning(w: &World, lhs: &str, rhs: &str) -> Result<(Outcome, Outcome), TestCaseError> {
    let (l, r) = (w.eval(lhs), w.eval(rhs));
    for (text, result) in [(lhs, &l), (rhs, &r)] {
        if let Err(e) = result {
            check_error(e, text, "Invalid ConditionExpression: ")?;
        }
    }
    Ok((l, r))
}

fn assert_equivalent(w: &World, lhs: &str, rhs: &str) -> Result<(), TestCaseError> {
    let (l, r) = same_meaning(w, lhs, rhs)?;
    match (&l, &r) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{:?} vs {:?} on {:?}", lhs, rhs, w),
        (Err(_), Err(_)) => {}
        _ => prop_assert!(false, "{lhs:?} gave {l:?} but {rhs:?} gave {r:?}"),
    }
    Ok(())
}

/// Equivalent, and the same error when there is one (the two texts bind the
/// same operands in the same order).
fn assert_identical(w: &World, lhs: &str, rhs: &str) -> Result<(), TestCaseError> {
    let (l, r) = same_meaning(w, lhs, rhs)?;
    prop_assert_eq!(l, r, "{:?} vs {:?} on {:?}", lhs, rhs, w);
    Ok(())
}

/// Small trees for the laws that combine two of them.
fn arb_small_cond() -> impl Strategy<Value = Cond> {
    arb_tree(arb_primary(), 3, 10)
}

proptest! {
    // ------------------------------------------------------------------
    // Laws

    #[test]
    fn between_is_two_comparisons(w in arb_world(), x in arb_opnd(), a in arb_opnd(), b in arb_opnd()) {
        let (x, a, b) = (x.text(), a.text(), b.text());
        let lhs = format!("{x} BETWEEN {a} AND {b}");
        let rhs = format!("{x} >= {a} AND {x} <= {b}");
        let (l, r) = same_meaning(&w, &lhs, &rhs)?;
        match (&l, &r) {
            (Ok(p), Ok(q)) => prop_assert_eq!(p, q, "{:?} vs {:?} on {:?}", lhs, rhs, w),
            (Err(_), Err(_)) => {}
            // Only BETWEEN checks the order and types of placeholder bounds.
            (Err(e), Ok(_)) => prop_assert!(
                e.message().contains("The BETWEEN operator requires"),
                "{lhs:?}: {e:?} but {rhs:?} binds"
            ),
            (Ok(_), Err(e)) => prop_assert!(false, "{lhs:?} binds but {rhs:?}: {e:?}"),
        }
    }

    #[test]
    fn in_is_a_disjunction(w in arb_world(), x in arb_opnd(), a in arb_opnd(), b in arb_opnd()) {
        let (x, a, b) = (x.text(), a.text(), b.text());
        assert_equivalent(&w, &format!("{x} IN ({a}, {b})"), &format!("{x} = {a} OR {x} = {b}"))?;
        assert_equivalent(&w, &format!("{x} IN ({a})"), &format!("{x} = {a}"))?;
    }

    #[test]
    fn de_morgan(w in arb_world(), c1 in arb_small_cond(), c2 in arb_small_cond()) {
        let (n1, n2) = (Cond::not(c1.clone()), Cond::not(c2.clone()));
        assert_identical(
            &w,
            &Cond::not(Cond::and(c1.clone(), c2.clone())).text(),
            &Cond::or(n1.clone(), n2.clone()).text(),
        )?;
        assert_identical(
            &w,
            &Cond::not(Cond::or(c1, c2)).text(),
            &Cond::and(n1, n2).text(),
        )?;
    }

    #[test]
    fn double_negation(w in arb_world(), c in arb_cond()) {
        assert_identical(&w, &Cond::not(Cond::not(c.clone())).text(), &c.text())?;
        // Without parentheses too: NOT binds tighter than AND and OR.
        if let Cond::Compare(..) | Cond::Exists(_) | Cond::Contains(..) = c {
            assert_identical(&w, &format!("NOT NOT {}", c.text()), &c.text())?;
        }
    }

    #[test]
    fn not_equal_is_not_equals(w in arb_world(), a in arb_opnd(), b in arb_opnd()) {
        let (a, b) = (a.text(), b.text());
        assert_equivalent(&w, &format!("{a} <> {b}"), &format!("NOT {a} = {b}"))?;
    }

    #[test]
    fn not_exists_is_not_exists(w in arb_world(), p in arb_path()) {
        let p = p.text();
        assert_identical(
            &w,
            &format!("attribute_not_exists({p})"),
            &format!("NOT attribute_exists({p})"),
        )?;
    }

    #[test]
    fn converse_comparators(w in arb_world(), a in arb_opnd(), b in arb_opnd()) {
        let (a, b) = (a.text(), b.text());
        assert_equivalent(&w, &format!("{a} < {b}"), &format!("{b} > {a}"))?;
        assert_equivalent(&w, &format!("{a} <= {b}"), &format!("{b} >= {a}"))?;
        assert_equivalent(&w, &format!("{a} = {b}"), &format!("{b} = {a}"))?;
    }

    #[test]
    fn less_or_equal_on_ordered_types(w in arb_ordered_world(), a in arb_opnd(), b in arb_opnd()) {
        let (a, b) = (a.text(), b.text());
        assert_equivalent(&w, &format!("{a} <= {b}"), &format!("{a} < {b} OR {a} = {b}"))?;
        assert_equivalent(&w, &format!("{a} >= {b}"), &format!("{a} > {b} OR {a} = {b}"))?;
        // Trichotomy: exactly one holds when both are present and of one type.
        let lt = w.eval(&format!("{a} < {b}"));
        let eq = w.eval(&format!("{a} = {b}"));
        let gt = w.eval(&format!("{a} > {b}"));
        if let (Ok(lt), Ok(eq), Ok(gt)) = (lt, eq, gt) {
            prop_assert!(u8::from(lt) + u8::from(eq) + u8::from(gt) <= 1, "{a} vs {b} on {w:?}");
        }
    }

    #[test]
    fn and_or_commute(w in arb_world(), c1 in arb_small_cond(), c2 in arb_small_cond()) {
        let (t1, t2) = (c1.text(), c2.text());
        assert_equivalent(&w, &format!("({t1}) AND ({t2})"), &format!("({t2}) AND ({t1})"))?;
        assert_equivalent(&w, &format!("({t1}) OR ({t2})"), &format!("({t2}) OR ({t1})"))?;
    }

    #[test]
    fn and_or_identities(w in arb_world(), c in arb_small_cond()) {
        let t = c.text();
        if let Ok(v) = w.eval(&t) {
            // c AND NOT c is false, c OR NOT c is true, c AND c is c.
            prop_assert_eq!(w.eval(&format!("({t}) AND NOT ({t})")), Ok(false));
            prop_assert_eq!(w.eval(&format!("({t}) OR NOT ({t})")), Ok(true));
            prop_assert_eq!(w.eval(&format!("({t}) AND ({t})")), Ok(v));
            prop_assert_eq!(w.eval(&format!("({t}) OR ({t})")), Ok(v));
        }
    }

    // ------------------------------------------------------------------
    // Robustness

    #[test]
    fn arbitrary_trees_never_panic(
        c in arb_cond(),
        item in arb_ritem(),
        names in arb_names_subset(),
        values in arb_values_subset(),
        filter in any::<bool>(),
        style in arb_style(),
    ) {
        let (kind, head) = if filter {
            (ExpressionKind::Filter, "Invalid FilterExpression: ")
        } else {
            (ExpressionKind::Condition, "Invalid ConditionExpression: ")
        };
        let text = c.render(&style);
        let expr = ConditionExpression::parse_as(&text, kind);
        prop_assert!(expr.is_ok(), "{text:?}: {expr:?}");
        let expr = expr.unwrap();
        let item = to_item(&item);
        let names = (!names.is_empty()).then_some(&names);
        let values = (!values.is_empty()).then_some(&values);
        match expr.bind(names, values) {
            Ok(bound) => {
                let first = bound.evaluate(&item);
                prop_assert_eq!(bound.evaluate(&item), first, "not deterministic");
                let _ = bound.evaluate(&Item::new());
                prop_assert_eq!(expr.evaluate(names, values, Some(&item)), Ok(first));
            }
            Err(e) => {
                check_error(&e, &text, head)?;
                prop_assert_eq!(expr.evaluate(names, values, None), Err(e));
            }
        }
    }

    // ------------------------------------------------------------------
    // Reference model

    #[test]
    fn agrees_with_reference_model(
        c in arb_simple_cond(),
        item in arb_ritem_with(arb_mostly_tiny()),
        values in arb_rvalues_with(arb_mostly_tiny()),
    ) {
        let w = World::new(&item, &values);
        let text = c.text();
        let expected = reference(&c, &item, &values);
        let got = w.eval(&text).map_err(|e| e.message().to_owned());
        prop_assert_eq!(got, expected, "{:?} on {:?} with {:?}", text, item, values);
    }

    // ------------------------------------------------------------------
    // Printing

    #[test]
    fn display_round_trips(c in arb_cond(), style in arb_style(), w in arb_world()) {
        let text = c.render(&style);
        let parsed = ConditionExpression::parse(&text);
        prop_assert!(parsed.is_ok(), "{text:?}: {parsed:?}");
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.ast().to_prefix(), c.prefix(), "{:?}", text);
        let printed = parsed.to_string();
        let again = ConditionExpression::parse(&printed);
        prop_assert!(again.is_ok(), "{printed:?}: {again:?}");
        let again = again.unwrap();
        prop_assert_eq!(again.ast().to_prefix(), c.prefix(), "{:?}", printed);
        prop_assert_eq!(again.to_string(), printed.clone());
        // (The trees differ only in their spans.)
        // The canonical text means the same, errors included.
        prop_assert_eq!(w.eval(&printed), w.eval(&text), "{:?} vs {:?}", printed, text);
        // FromStr agrees with parse.
        let from_str: ConditionExpression = printed.parse().unwrap();
        prop_assert_eq!(from_str.to_string(), printed);
    }
}

// ---------------------------------------------------------------------------
// The reference model

/// Conditions of the subset the reference evaluator knows: comparisons
/// between top-level attributes and `:v` placeholders, `attribute_exists` of
/// a top-level attribute, `NOT`, `AND`, `OR`.
fn arb_simple_cond() -> impl Strategy<Value = Cond> {
    let operand = prop_oneof![
        select(&NAMES[..]).prop_map(|n| Opnd::Path(PathSpec::top(n))),
        select(&VALUE_PLACEHOLDERS[..]).prop_map(Opnd::Value),
    ];
    let leaf = prop_oneof![
        5 => (arb_cmp(), operand.clone(), operand).prop_map(|(op, l, r)| Cond::Compare(op, l, r)),
        1 => select(&NAMES[..]).prop_map(|n| Cond::Exists(PathSpec::top(n))),
    ];
    arb_tree(leaf, 3, 8)
}

fn top_name(o: &Opnd) -> Option<&'static str> {
    match o {
        Opnd::Path(PathSpec(elems)) => match elems.as_slice() {
            [strategies::Elem::Name(n)] => Some(n),
            _ => panic!("not in the subset: {o:?}"),
        },
        Opnd::Value(_) => None,
        Opnd::Size(_) => panic!("not in the subset: {o:?}"),
    }
}

/// The static checks DynamoDB makes on the subset, in tree order: a path
/// compared with itself, then non-S/N/B placeholders under an ordering
/// comparator (left operand first).
fn reference_check(c: &Cond, values: &BTreeMap<String, RVal>) -> Result<(), String> {
    const HEAD: &str = "Invalid ConditionExpression: ";
    match c {
        Cond::Compare(op, l, r) => {
            if let (Some(a), Some(b)) = (top_name(l), top_name(r)) {
                if a == b {
                    return Err(format!(
                        "{HEAD}The first operand must be distinct from the remaining operands for this operator or function; operator: {}, first operand: [{a}]",
                        op.text()
                    ));
                }
            }
            if op.is_ordering() {
                for o in [l, r] {
                    if let Opnd::Value(v) = o {
                        let code = values[*v].code();
                        if !matches!(code, "S" | "N" | "B") {
                            return Err(format!(
                                "{HEAD}Incorrect operand type for operator or function; operator or function: {}, operand type: {code}",
                                op.text()
                            ));
                        }
                    }
                }
            }
            Ok(())
        }
        Cond::Exists(_) => Ok(()),
        Cond::Not(c) => reference_check(c, values),
        Cond::And(l, r) | Cond::Or(l, r) => {
            reference_check(l, values)?;
            reference_check(r, values)
        }
        other => panic!("not in the subset: {other:?}"),
    }
}

fn reference_eval(c: &Cond, item: &RItem, values: &BTreeMap<String, RVal>) -> bool {
    let get = |o: &Opnd| -> Option<&RVal> {
        match (o, top_name(o)) {
            (_, Some(n)) => item.get(n),
            (Opnd::Value(v), None) => values.get(*v),
            _ => None,
        }
    };
    match c {
        Cond::Compare(op, l, r) => {
            let (l, r) = (get(l), get(r));
            let equal = matches!((l, r), (Some(a), Some(b)) if a == b);
            let order = match (l, r) {
                (Some(a), Some(b)) => a.order(b),
                _ => None,
            };
            match op {
                Cmp::Eq => equal,
                Cmp::Ne => !equal,
                Cmp::Lt => order.is_some_and(|o| o.is_lt()),
                Cmp::Le => order.is_some_and(|o| o.is_le()),
                Cmp::Gt => order.is_some_and(|o| o.is_gt()),
                Cmp::Ge => order.is_some_and(|o| o.is_ge()),
            }
        }
        Cond::Exists(p) => item.contains_key(&p.text()),
        Cond::Not(c) => !reference_eval(c, item, values),
        Cond::And(l, r) => reference_eval(l, item, values) && reference_eval(r, item, values),
        Cond::Or(l, r) => reference_eval(l, item, values) || reference_eval(r, item, values),
        other => panic!("not in the subset: {other:?}"),
    }
}

fn reference(c: &Cond, item: &RItem, values: &BTreeMap<String, RVal>) -> Result<bool, String> {
    reference_check(c, values)?;
    Ok(reference_eval(c, item, values))
}

#[test]
fn reference_model_sanity() {
    let mut item = RItem::new();
    item.insert("a".into(), RVal::n(100));
    item.insert("b".into(), RVal::S("x".into()));
    let mut values = BTreeMap::new();
    values.insert(":v0".to_owned(), RVal::n(100));
    values.insert(":v1".to_owned(), RVal::Null);
    let a = || Opnd::Path(PathSpec::top("a"));
    let z = || Opnd::Path(PathSpec::top("d"));
    let cmp = |op, l, r| Cond::Compare(op, l, r);
    assert_eq!(
        reference(&cmp(Cmp::Eq, a(), Opnd::Value(":v0")), &item, &values),
        Ok(true)
    );
    assert_eq!(
        reference(&cmp(Cmp::Ne, z(), z()), &item, &values).ok(),
        None
    );
    assert_eq!(reference(&cmp(Cmp::Ne, z(), a()), &item, &values), Ok(true));
    assert_eq!(
        reference(&cmp(Cmp::Lt, a(), Opnd::Value(":v1")), &item, &values),
        Err("Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: NULL".into())
    );
    // And the same through dynacond.
    let w = World::new(&item, &values);
    assert_eq!(w.eval("a = :v0 AND NOT d = :v0 AND d <> a"), Ok(true));
    assert_eq!(w.eval("b >= :v0"), Ok(false));
}

#[test]
fn number_spellings_parse_to_the_same_number() {
    for h in [-250i64, -100, -1, 0, 1, 50, 100, 150, 299, 1000] {
        let first = strategies::spell(h, 0).parse::<dynacond::Number>().unwrap();
        for s in 1..6 {
            let text = strategies::spell(h, s);
            assert_eq!(
                text.parse::<dynacond::Number>().unwrap(),
                first,
                "{h}: {text}"
            );
        }
        let expected = format!("{}", h as f64 / 100.0);
        assert_eq!(first.to_string(), expected, "{h}");
    }
}
