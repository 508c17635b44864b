//! Explanations of conditions (`dynacond::explain`): every node kind, the
//! values each compared, notes on type mismatches and missing attributes,
//! short-circuiting and which nodes decided; the JSON and text forms; deep
//! trees on a small stack; and a property test that an explanation's
//! result is always what `evaluate` gives.

use crate::strategies;

use dynacond::condition::{ConditionExpression, explain_condition};
use dynacond::explain::{ExplainNode, Explanation, NodeKind, VALUE_BUDGET};
use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::{AttributeValue, Item};
use proptest::prelude::*;
use serde_json::json;
use strategies::{all_names, arb_cond, arb_ritem, arb_rvalues, to_item, to_values};

fn n(v: i64) -> AttributeValue {
    AttributeValue::n(v)
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::s(v)
}

/// The item and values most cases use.
fn item() -> Item {
    [
        ("pk", s("k1")),
        ("version", n(4)),
        ("label", s("widget")),
        ("flag", AttributeValue::Bool(true)),
        ("enabled", AttributeValue::Bool(false)),
        (
            "tags",
            AttributeValue::Ss(["red".to_owned(), "blue".to_owned()].into()),
        ),
        ("seq", AttributeValue::L(vec![n(1), s("x")])),
        ("bin", AttributeValue::B(vec![1, 2, 3])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn values() -> ExpressionAttributeValues {
    [
        (":one", n(1)),
        (":four", n(4)),
        (":ten", n(10)),
        (":w", s("wid")),
        (":red", s("red")),
        (":x", s("x")),
        (":s", s("S")),
        (":n", s("N")),
        (":t", AttributeValue::Bool(true)),
        (":b", AttributeValue::B(vec![1, 2])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Explains `text` against [`item`] with the placeholders it uses.
fn why(text: &str) -> Explanation {
    why_on(text, Some(&item()))
}

fn why_on(text: &str, item: Option<&Item>) -> Explanation {
    let expr = ConditionExpression::parse(text).unwrap();
    let refs = expr.references();
    let all = values();
    let used: ExpressionAttributeValues = all
        .into_iter()
        .filter(|(k, _)| refs.values.iter().any(|r| &**r == k))
        .collect();
    let used = (!used.is_empty()).then_some(used);
    let explained = explain_condition(text, None, used.as_ref(), item).unwrap();
    let bound = expr.bind(None, used.as_ref()).unwrap();
    let plain = bound.evaluate(item.unwrap_or(&Item::new()));
    assert_eq!(explained.result(), plain, "{text}");
    explained
}

/// A compact outline: `kind:T|F|-` (`*` when decisive), the operands'
/// values, a note, children in parentheses.
fn outline(node: &ExplainNode) -> String {
    let mark = match node.outcome {
        Some(true) => "T",
        Some(false) => "F",
        None => "-",
    };
    let kind = serde_json::to_value(node.kind).unwrap();
    let mut out = format!(
        "{}:{mark}{}",
        kind.as_str().unwrap(),
        if node.decisive { "*" } else { "" }
    );
    for o in &node.operands {
        let v = o.value.as_ref().map_or_else(
            || "missing".to_owned(),
            |v| serde_json::to_string(v).unwrap(),
        );
        out.push_str(&format!(" {}={v}", o.text));
    }
    if let Some(note) = &node.note {
        out.push_str(&format!(" [{note}]"));
    }
    for c in &node.children {
        out.push_str(&format!(" ({})", outline(c)));
    }
    out
}

fn assert_outline(text: &str, expected: &str) {
    let e = why(text);
    assert_eq!(outline(&e.tree), expected, "{text}");
    assert_eq!(e.tree.outcome, Some(e.result));
}

#[test]
fn comparisons() {
    assert_outline(
        "version = :four",
        r#"comparison:T* version={"N":"4"} :four={"N":"4"}"#,
    );
    assert_outline(
        "version <> :four",
        r#"comparison:F* version={"N":"4"} :four={"N":"4"}"#,
    );
    assert_outline(
        "version < :ten",
        r#"comparison:T* version={"N":"4"} :ten={"N":"10"}"#,
    );
    assert_outline(
        "version <= :one",
        r#"comparison:F* version={"N":"4"} :one={"N":"1"}"#,
    );
    assert_outline(
        "version > :one",
        r#"comparison:T* version={"N":"4"} :one={"N":"1"}"#,
    );
    assert_outline(
        "version >= :ten",
        r#"comparison:F* version={"N":"4"} :ten={"N":"10"}"#,
    );
    assert_outline(
        "label = version",
        r#"comparison:F* label={"S":"widget"} version={"N":"4"} [type mismatch: S vs N]"#,
    );
    assert_outline(
        "version < label",
        r#"comparison:F* version={"N":"4"} label={"S":"widget"} [type mismatch: N vs S]"#,
    );
    assert_outline(
        "flag < flag2",
        r#"comparison:F* flag={"BOOL":true} flag2=missing [flag2 is missing]"#,
    );
    assert_outline(
        "flag > enabled",
        r#"comparison:F* flag={"BOOL":true} enabled={"BOOL":false} [type mismatch: BOOL values are not ordered (only S, N and B are)]"#,
    );
    assert_outline(
        "nope <> :one",
        r#"comparison:T* nope=missing :one={"N":"1"} [nope is missing]"#,
    );
    assert_outline(
        "size(label) = :one",
        r#"comparison:F* size(label)={"N":"6"} :one={"N":"1"}"#,
    );
    assert_outline(
        "size(version) = :one",
        r#"comparison:F* size(version)=missing :one={"N":"1"} [size(version) has no value (missing, or of a type without a size)]"#,
    );
}

#[test]
fn between() {
    assert_outline(
        "version BETWEEN :one AND :ten",
        r#"between:T* version={"N":"4"} :one={"N":"1"} :ten={"N":"10"}"#,
    );
    assert_outline(
        "version BETWEEN :one AND :four",
        r#"between:T* version={"N":"4"} :one={"N":"1"} :four={"N":"4"}"#,
    );
    assert_outline(
        ":ten BETWEEN :one AND version",
        r#"between:F* :ten={"N":"10"} :one={"N":"1"} version={"N":"4"}"#,
    );
    assert_outline(
        "label BETWEEN :one AND :ten",
        r#"between:F* label={"S":"widget"} :one={"N":"1"} :ten={"N":"10"} [type mismatch: S vs N vs N]"#,
    );
    assert_outline(
        ":four BETWEEN version AND :one",
        r#"between:F* :four={"N":"4"} version={"N":"4"} :one={"N":"1"} [the low bound is greater than the high bound]"#,
    );
    assert_outline(
        "absent BETWEEN :one AND :ten",
        r#"between:F* absent=missing :one={"N":"1"} :ten={"N":"10"} [absent is missing]"#,
    );
}

#[test]
fn in_lists() {
    assert_outline(
        "version IN (:one, :four)",
        r#"in:T* version={"N":"4"} :one={"N":"1"} :four={"N":"4"}"#,
    );
    // Every candidate is shown, although evaluation stops at the first match.
    assert_outline(
        "version IN (:four, :ten, :one)",
        r#"in:T* version={"N":"4"} :four={"N":"4"} :ten={"N":"10"} :one={"N":"1"}"#,
    );
    assert_outline(
        "version IN (:one, :ten)",
        r#"in:F* version={"N":"4"} :one={"N":"1"} :ten={"N":"10"}"#,
    );
    assert_outline(
        "label IN (:one, :ten)",
        r#"in:F* label={"S":"widget"} :one={"N":"1"} :ten={"N":"10"} [type mismatch: S vs N]"#,
    );
    assert_outline(
        "gone IN (:one)",
        r#"in:F* gone=missing :one={"N":"1"} [gone is missing]"#,
    );
}

#[test]
fn functions() {
    assert_outline("attribute_exists(pk)", r#"function:T* pk={"S":"k1"}"#);
    assert_outline("attribute_exists(nope)", "function:F* nope=missing");
    assert_outline("attribute_not_exists(pk)", r#"function:F* pk={"S":"k1"}"#);
    assert_outline("attribute_not_exists(nope)", "function:T* nope=missing");
    assert_outline(
        "attribute_type(version, :n)",
        r#"function:T* version={"N":"4"} :n={"S":"N"}"#,
    );
    assert_outline(
        "attribute_type(version, :s)",
        r#"function:F* version={"N":"4"} :s={"S":"S"} [the value is N, not S]"#,
    );
    assert_outline(
        "attribute_type(nope, :s)",
        r#"function:F* nope=missing :s={"S":"S"} [nope is missing]"#,
    );
    assert_outline(
        "begins_with(label, :w)",
        r#"function:T* label={"S":"widget"} :w={"S":"wid"}"#,
    );
    assert_outline(
        "begins_with(bin, :b)",
        r#"function:T* bin={"B":"AQID"} :b={"B":"AQI="}"#,
    );
    assert_outline(
        "begins_with(label, :x)",
        r#"function:F* label={"S":"widget"} :x={"S":"x"}"#,
    );
    assert_outline(
        "begins_with(version, :w)",
        r#"function:F* version={"N":"4"} :w={"S":"wid"} [type mismatch: N vs S (begins_with takes two S or two B)]"#,
    );
    assert_outline(
        "contains(tags, :red)",
        r#"function:T* tags={"SS":["blue","red"]} :red={"S":"red"}"#,
    );
    assert_outline(
        "contains(label, :x)",
        r#"function:F* label={"S":"widget"} :x={"S":"x"}"#,
    );
    assert_outline(
        "contains(seq, :x)",
        r#"function:T* seq={"L":[{"N":"1"},{"S":"x"}]} :x={"S":"x"}"#,
    );
    assert_outline(
        "contains(tags, :one)",
        r#"function:F* tags={"SS":["blue","red"]} :one={"N":"1"} [type mismatch: SS vs N (contains takes S and S, B and B, a set and its element type, or a list and anything)]"#,
    );
    assert_eq!(why("contains(tags, :red)").tree.kind, NodeKind::Function);
    assert_eq!(
        why("contains(tags, :red)").tree.text,
        "contains(tags, :red)"
    );
}

#[test]
fn and_or_not_short_circuit() {
    // AND: a false left child decides; the right one is never evaluated.
    assert_outline(
        "version = :one AND label = :w",
        r#"and:F* (comparison:F* version={"N":"4"} :one={"N":"1"}) (comparison:-)"#,
    );
    // AND: the right child decides when the left holds.
    assert_outline(
        "version = :four AND label = :w",
        r#"and:F* (comparison:T version={"N":"4"} :four={"N":"4"}) (comparison:F* label={"S":"widget"} :w={"S":"wid"})"#,
    );
    // AND true: both decided.
    assert_outline(
        "version = :four AND begins_with(label, :w)",
        r#"and:T* (comparison:T* version={"N":"4"} :four={"N":"4"}) (function:T* label={"S":"widget"} :w={"S":"wid"})"#,
    );
    // OR: a true left child decides; the right one is never evaluated.
    assert_outline(
        "attribute_exists(pk) OR version = :one",
        r#"or:T* (function:T* pk={"S":"k1"}) (comparison:-)"#,
    );
    // OR false: both decided.
    assert_outline(
        "attribute_not_exists(pk) OR version = :one",
        r#"or:F* (function:F* pk={"S":"k1"}) (comparison:F* version={"N":"4"} :one={"N":"1"})"#,
    );
    // NOT passes decisiveness down.
    assert_outline(
        "NOT attribute_exists(pk)",
        r#"not:F* (function:T* pk={"S":"k1"})"#,
    );
    // A skipped subtree is shown whole, nothing evaluated, no operands.
    assert_outline(
        "attribute_exists(pk) OR (NOT (version = :one AND label = :w))",
        r#"or:T* (function:T* pk={"S":"k1"}) (not:- (and:- (comparison:-) (comparison:-)))"#,
    );
    // Only the nodes on the deciding path are decisive: the true left
    // child of the false AND inside a false OR is not.
    assert_outline(
        "(version = :four AND label = :x) OR attribute_not_exists(pk)",
        r#"or:F* (and:F* (comparison:T version={"N":"4"} :four={"N":"4"}) (comparison:F* label={"S":"widget"} :x={"S":"x"})) (function:F* pk={"S":"k1"})"#,
    );
    // Under a child that did not decide, nothing is decisive.
    assert_outline(
        "(version = :four AND version = :four) AND label = :x",
        r#"and:F* (and:T (comparison:T version={"N":"4"} :four={"N":"4"}) (comparison:T version={"N":"4"} :four={"N":"4"})) (comparison:F* label={"S":"widget"} :x={"S":"x"})"#,
    );
}

#[test]
fn missing_item() {
    let e = why_on("attribute_not_exists(pk) AND version = :one", None);
    assert_eq!(
        outline(&e.tree),
        r#"and:F* (function:T pk=missing) (comparison:F* version=missing :one={"N":"1"} [version is missing])"#
    );
}

#[test]
fn parentheses_are_their_inner_node_and_texts_are_canonical() {
    let e = why("(version   =   :four)  and  (label = :x)");
    assert_eq!(e.tree.text, "version = :four AND label = :x");
    assert_eq!(e.tree.children.len(), 2);
    assert_eq!(e.tree.children[0].text, "version = :four");
    let e = why("NOT (version = :four OR label = :x)");
    assert_eq!(e.tree.text, "NOT (version = :four OR label = :x)");
    assert_eq!(e.tree.children[0].kind, NodeKind::Or);
    // Placeholders stay as written.
    let names: ExpressionAttributeNames = [("#v".to_owned(), "version".to_owned())].into();
    let vals: ExpressionAttributeValues = [(":v".to_owned(), n(4))].into();
    let e = explain_condition("#v = :v", Some(&names), Some(&vals), Some(&item())).unwrap();
    assert_eq!(e.tree.operands[0].text, "#v");
    assert_eq!(e.tree.operands[0].value, Some(n(4)));
}

#[test]
fn json_shape() {
    let e = why("attribute_exists(pk) AND (version = :one OR nope = :x)");
    assert_eq!(
        e.to_json(),
        json!({
            "result": false,
            "tree": {
                "kind": "and",
                "text": "attribute_exists(pk) AND (version = :one OR nope = :x)",
                "outcome": false,
                "decisive": true,
                "operands": [],
                "children": [
                    {
                        "kind": "function",
                        "text": "attribute_exists(pk)",
                        "outcome": true,
                        "decisive": false,
                        "operands": [{"text": "pk", "value": {"S": "k1"}}],
                        "children": []
                    },
                    {
                        "kind": "or",
                        "text": "version = :one OR nope = :x",
                        "outcome": false,
                        "decisive": true,
                        "operands": [],
                        "children": [
                            {
                                "kind": "comparison",
                                "text": "version = :one",
                                "outcome": false,
                                "decisive": true,
                                "operands": [
                                    {"text": "version", "value": {"N": "4"}},
                                    {"text": ":one", "value": {"N": "1"}}
                                ],
                                "children": []
                            },
                            {
                                "kind": "comparison",
                                "text": "nope = :x",
                                "outcome": false,
                                "decisive": true,
                                "operands": [
                                    {"text": "nope", "value": null},
                                    {"text": ":x", "value": {"S": "x"}}
                                ],
                                "note": "nope is missing",
                                "children": []
                            }
                        ]
                    }
                ]
            }
        })
    );
    // Not evaluated: outcome null.
    let e = why("attribute_exists(pk) OR nope = :x");
    assert_eq!(e.to_json()["tree"]["children"][1]["outcome"], json!(null));
    assert_eq!(e.to_json()["tree"]["children"][1]["operands"], json!([]));
}

#[test]
fn text_form() {
    let e = why("attribute_not_exists(pk) OR (version = :one AND label = :w) OR flag = :t");
    assert_eq!(
        e.to_string(),
        r#"result: true
✓ OR  ← decisive
  ✗ OR
    ✗ attribute_not_exists(pk)
        pk: {"S":"k1"}
    ✗ AND
      ✗ version = :one
          version: {"N":"4"}
          :one: {"N":"1"}
      · label = :w  (not evaluated)
  ✓ flag = :t  ← decisive
      flag: {"BOOL":true}
      :t: {"BOOL":true}
"#
    );
    let e = why("version < label");
    assert!(
        e.to_string().contains("    note: type mismatch: N vs S\n"),
        "{e}"
    );
    let e = why("nope = :x");
    assert!(e.to_string().contains("    nope: missing\n"), "{e}");
}

#[test]
fn values_past_the_budget_are_left_out() {
    let big = AttributeValue::S("x".repeat(VALUE_BUDGET / 2 + 1));
    let item: Item = [("a".to_owned(), big.clone()), ("b".to_owned(), big.clone())].into();
    let e = explain_condition("a = b", None, None, Some(&item)).unwrap();
    assert!(e.result());
    let ops = &e.tree.operands;
    assert_eq!(ops[0].value.as_ref(), Some(&big));
    assert!(!ops[0].omitted);
    assert_eq!(ops[1].value, None);
    assert!(ops[1].omitted);
    assert_eq!(e.tree.note, None);
    assert_eq!(e.to_json()["tree"]["operands"][1]["omitted"], json!(true));
    assert!(e.to_string().contains("b: (omitted"), "{e}");
}

/// The deepest trees the limits allow, explained and rendered on a thread
/// with a 2 MiB stack (the default for test threads).
#[test]
fn deep_trees_stay_on_a_small_stack() {
    let worker = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let texts = [
                format!("{}a < b", "NOT ".repeat(299)),
                format!("{}a < b{}", "a < b OR (".repeat(149), ")".repeat(149)),
                format!("{}a < b{}", "(a < b) AND (".repeat(149), ")".repeat(149)),
                format!("{}a < b{}", "NOT (".repeat(299), ")".repeat(299)),
                format!(
                    "a IN ({})",
                    (0..100).map(|_| ":v").collect::<Vec<_>>().join(", ")
                ),
            ];
            let item: Item = [("a".to_owned(), n(1)), ("b".to_owned(), n(2))].into();
            let vals: ExpressionAttributeValues = [(":v".to_owned(), n(1))].into();
            for text in &texts {
                let expr = ConditionExpression::parse(text).unwrap();
                let vals = text.contains(":v").then_some(&vals);
                let bound = expr.bind(None, vals).unwrap();
                let e = bound.explain(&item);
                assert_eq!(e.result(), bound.evaluate(&item));
                assert!(!e.to_string().is_empty());
                let json = serde_json::to_string(&e.to_json()).unwrap();
                assert!(json.len() > 100);
                drop(e);
            }
        })
        .unwrap();
    worker.join().unwrap();
}

/// Checks the tree's invariants: each evaluated logical node's outcome
/// follows from its children's, a child is skipped only after its sibling
/// settled the result, a skipped node's subtree is all unevaluated, and
/// decisive nodes are evaluated and under decisive parents.
fn check_node(node: &ExplainNode, parent_decisive: bool) -> Result<(), TestCaseError> {
    prop_assert!(!node.decisive || (parent_decisive && node.outcome.is_some()));
    let kids: Vec<Option<bool>> = node.children.iter().map(|c| c.outcome).collect();
    match (node.kind, node.outcome) {
        (_, None) => {
            prop_assert!(node.operands.is_empty());
            prop_assert!(!node.decisive);
            for c in &node.children {
                prop_assert_eq!(c.outcome, None);
            }
        }
        (NodeKind::Not, Some(o)) => prop_assert_eq!(kids, vec![Some(!o)]),
        (NodeKind::And, Some(o)) => match kids.as_slice() {
            [Some(false), None] => prop_assert!(!o),
            [Some(true), Some(r)] => prop_assert_eq!(o, *r),
            other => prop_assert!(false, "AND children {:?}", other),
        },
        (NodeKind::Or, Some(o)) => match kids.as_slice() {
            [Some(true), None] => prop_assert!(o),
            [Some(false), Some(r)] => prop_assert_eq!(o, *r),
            other => prop_assert!(false, "OR children {:?}", other),
        },
        (_, Some(_)) => {
            prop_assert!(node.children.is_empty());
            prop_assert!(!node.operands.is_empty());
        }
    }
    for c in &node.children {
        check_node(c, node.decisive)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The explanation's result is always what `evaluate` gives, its root
    /// is the whole condition, and the tree is consistent.
    #[test]
    fn explanation_result_equals_evaluate(
        cond in arb_cond(),
        item in arb_ritem(),
        vals in arb_rvalues(),
    ) {
        let text = cond.text();
        let expr = ConditionExpression::parse(&text).unwrap();
        let (names, vals, item) = (all_names(), to_values(&vals), to_item(&item));
        // Trees that do not bind (operand types, BETWEEN bounds) have
        // nothing to explain.
        if let Ok(bound) = expr.bind(Some(&names), Some(&vals)) {
            for item in [&item, &Item::new()] {
                let e = bound.explain(item);
                prop_assert_eq!(e.result(), bound.evaluate(item), "{}", text);
                prop_assert_eq!(e.tree().outcome, Some(e.result()));
                prop_assert!(e.tree().decisive);
                prop_assert_eq!(&e.tree().text, &expr.to_string());
                check_node(e.tree(), true)?;
            }
        }
    }
}
