//! "Why did my condition fail?": a condition's result explained as a tree
//! that mirrors the expression.
//!
//! [`BoundCondition::explain`](crate::condition::BoundCondition::explain)
//! evaluates a condition with the very code
//! [`evaluate`](crate::condition::BoundCondition::evaluate) runs (an
//! evaluator generic over a recorder that does nothing on the normal path),
//! and gives an [`Explanation`]: the result and one [`ExplainNode`] per
//! comparison, `BETWEEN`, `IN`, function, `NOT`, `AND` and `OR`, each with
//! its outcome, the values its operands had (or missing), a note on type
//! mismatches, and whether it decided the result. Parentheses have no node
//! of their own: a parenthesised condition is its inner node.
//!
//! ```
//! use dynacond::condition::explain_condition;
//! use dynacond::placeholders::ExpressionAttributeValues;
//! use dynacond::{AttributeValue, Item};
//!
//! let mut values = ExpressionAttributeValues::new();
//! values.insert(":v".into(), AttributeValue::n(3));
//! let mut item = Item::new();
//! item.insert("pk".into(), AttributeValue::s("k1"));
//! item.insert("version".into(), AttributeValue::n(4));
//! let why = explain_condition("attribute_not_exists(pk) OR version = :v", None, Some(&values), Some(&item))?;
//! assert!(!why.result());
//! let text = why.to_string();
//! assert!(text.contains(r#"version: {"N":"4"}"#), "{text}");
//! assert_eq!(why.to_json()["tree"]["kind"], "or");
//! # Ok::<(), dynacond::Error>(())
//! ```
//!
//! Outcomes: `Some(true)`, `Some(false)`, or `None` for a node that
//! short-circuiting left unevaluated (its operands are then not listed). A
//! node is *decisive* when its outcome decided its parent's and its parent
//! is decisive (the root always is): following decisive nodes from the root
//! leads to the clauses that made the result. For a false `AND` that is its
//! first false child, for a true `OR` its first true child, for a true `AND`
//! or false `OR` both children.
//!
//! The values shown are copies; past [`VALUE_BUDGET`] bytes of them in one
//! explanation, further values are left out ([`ExplainOperand::omitted`]).
//!
//! The JSON form ([`Explanation::to_json`]) is `{"result": bool, "tree":
//! NODE}` with NODE = `{"kind": "and"|"or"|"not"|"comparison"|"between"|
//! "in"|"function", "text", "outcome": bool|null, "decisive": bool,
//! "operands": [{"text", "value": <DynamoDB JSON>|null}], "note"?,
//! "children": [NODE...]}` (`"omitted": true` on an operand left out).

use serde::Serialize;

use crate::ast::{Comparator, ConditionTree, Operand};
use crate::condition::Recorder;
use crate::value::{AttributeValue, ValueType};

mod render;

/// The most bytes of operand values (DynamoDB's size measure) one
/// explanation copies; values past it are left out.
pub const VALUE_BUDGET: usize = 256 * 1024;

/// A condition's result and why: see the [module docs](self).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Explanation {
    /// What the condition evaluated to (always what `evaluate` gives).
    pub result: bool,
    /// The root node.
    pub tree: ExplainNode,
}

impl Explanation {
    /// The result.
    #[must_use]
    pub fn result(&self) -> bool {
        self.result
    }

    /// The root node.
    #[must_use]
    pub fn tree(&self) -> &ExplainNode {
        &self.tree
    }

    /// The JSON form (see the [module docs](self)).
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// What a node of the tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum NodeKind {
    /// `a AND b`
    And,
    /// `a OR b`
    Or,
    /// `NOT a`
    Not,
    /// `a = b`, `a <> b`, `a < b`, `a <= b`, `a > b`, `a >= b`
    Comparison,
    /// `a BETWEEN b AND c`
    Between,
    /// `a IN (b, c, ...)`
    In,
    /// `attribute_exists`, `attribute_not_exists`, `attribute_type`,
    /// `begins_with` or `contains`
    Function,
}

/// One node of an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ExplainNode {
    /// What the node is.
    pub kind: NodeKind,
    /// The node's canonical text, placeholders as written.
    pub text: String,
    /// Its outcome; `None` when it was not evaluated (short-circuited).
    pub outcome: Option<bool>,
    /// Whether its outcome decided the result (see the [module docs](self)).
    pub decisive: bool,
    /// A leaf's operands in the order written, with their values; empty for
    /// `NOT`, `AND`, `OR` and unevaluated nodes.
    pub operands: Vec<ExplainOperand>,
    /// Why a comparison could not hold (a type mismatch) or which operand
    /// was missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The sub-conditions of `NOT`, `AND` and `OR`, in order.
    pub children: Vec<ExplainNode>,
}

/// One operand of a leaf and the value it had.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ExplainOperand {
    /// The operand as written (`version`, `:v`, `#n.a[0]`, `size(a)`).
    pub text: String,
    /// Its value; `None` when missing (or [`ExplainOperand::omitted`]).
    pub value: Option<AttributeValue>,
    /// True when the value was left out to keep the explanation within
    /// [`VALUE_BUDGET`].
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub omitted: bool,
}

// ---------------------------------------------------------------------------
// Recording

/// One recorded operand value.
struct Recorded {
    value: Option<AttributeValue>,
    omitted: bool,
}

/// What evaluation reported, in pre-order.
enum Event {
    Leaf(Vec<Recorded>, bool),
    Open,
    Close(bool),
    Skip,
}

/// The recorder of an explanation: keeps every event, and copies of the
/// values up to [`VALUE_BUDGET`].
#[derive(Default)]
pub(crate) struct Trace {
    events: Vec<Event>,
    copied: usize,
}

impl Recorder for Trace {
    const ENABLED: bool = true;

    fn leaf(&mut self, operands: &[Option<&AttributeValue>], outcome: bool) {
        let recorded = operands
            .iter()
            .map(|v| match v {
                None => Recorded {
                    value: None,
                    omitted: false,
                },
                Some(v) => {
                    let size = v.size();
                    if self.copied.saturating_add(size) > VALUE_BUDGET {
                        Recorded {
                            value: None,
                            omitted: true,
                        }
                    } else {
                        self.copied = self.copied.saturating_add(size);
                        Recorded {
                            value: Some((*v).clone()),
                            omitted: false,
                        }
                    }
                }
            })
            .collect();
        self.events.push(Event::Leaf(recorded, outcome));
    }

    fn open(&mut self) {
        self.events.push(Event::Open);
    }

    fn close(&mut self, outcome: bool) {
        self.events.push(Event::Close(outcome));
    }

    fn skip(&mut self) {
        self.events.push(Event::Skip);
    }
}

impl Trace {
    /// The explanation of `ast` (the tree the evaluated condition was bound
    /// from) from the recorded events.
    pub(crate) fn finish(self, ast: &ConditionTree, result: bool) -> Explanation {
        let mut events = self.events.into_iter();
        let mut tree = build(ast, &mut events);
        mark_decisive(&mut tree, true);
        Explanation { result, tree }
    }
}

// ---------------------------------------------------------------------------
// Building

fn kind_of(ast: &ConditionTree) -> NodeKind {
    match ast {
        ConditionTree::Compare { .. } => NodeKind::Comparison,
        ConditionTree::Between { .. } => NodeKind::Between,
        ConditionTree::In { .. } => NodeKind::In,
        ConditionTree::Not(_) => NodeKind::Not,
        ConditionTree::And(..) => NodeKind::And,
        ConditionTree::Or(..) => NodeKind::Or,
        ConditionTree::AttributeExists(_)
        | ConditionTree::AttributeNotExists(_)
        | ConditionTree::AttributeType(..)
        | ConditionTree::BeginsWith(..)
        | ConditionTree::Contains(..) => NodeKind::Function,
    }
}

fn children_of(ast: &ConditionTree) -> Vec<&ConditionTree> {
    match ast {
        ConditionTree::Not(c) => vec![c],
        ConditionTree::And(a, b) | ConditionTree::Or(a, b) => vec![a, b],
        _ => Vec::new(),
    }
}

/// A leaf's operand texts, in the order evaluation records their values.
fn operand_texts(ast: &ConditionTree) -> Vec<String> {
    let texts = |ops: &[&Operand]| ops.iter().map(ToString::to_string).collect();
    match ast {
        ConditionTree::Compare { left, right, .. } => texts(&[left, right]),
        ConditionTree::Between { value, low, high } => texts(&[value, low, high]),
        ConditionTree::In { value, list } => std::iter::once(value)
            .chain(list)
            .map(ToString::to_string)
            .collect(),
        ConditionTree::AttributeExists(p) | ConditionTree::AttributeNotExists(p) => {
            vec![p.to_string()]
        }
        ConditionTree::AttributeType(x, y)
        | ConditionTree::BeginsWith(x, y)
        | ConditionTree::Contains(x, y) => texts(&[x, y]),
        ConditionTree::Not(_) | ConditionTree::And(..) | ConditionTree::Or(..) => Vec::new(),
    }
}

/// The node of `ast` with nothing evaluated.
fn unevaluated(ast: &ConditionTree) -> ExplainNode {
    ExplainNode {
        kind: kind_of(ast),
        text: ast.to_string(),
        outcome: None,
        decisive: false,
        operands: Vec::new(),
        note: None,
        children: children_of(ast).into_iter().map(unevaluated).collect(),
    }
}

/// Builds the node of `ast` from the events evaluation recorded for it (none
/// when it was skipped).
fn build(ast: &ConditionTree, events: &mut impl Iterator<Item = Event>) -> ExplainNode {
    let mut node = ExplainNode {
        kind: kind_of(ast),
        text: ast.to_string(),
        outcome: None,
        decisive: false,
        operands: Vec::new(),
        note: None,
        children: Vec::new(),
    };
    let children = children_of(ast);
    match events.next() {
        Some(Event::Open) if !children.is_empty() => {
            node.children = children.into_iter().map(|c| build(c, events)).collect();
            if let Some(Event::Close(outcome)) = events.next() {
                node.outcome = Some(outcome);
            }
        }
        Some(Event::Leaf(values, outcome)) if children.is_empty() => {
            node.outcome = Some(outcome);
            node.operands = operand_texts(ast)
                .into_iter()
                .zip(values)
                .map(|(text, r)| ExplainOperand {
                    text,
                    value: r.value,
                    omitted: r.omitted,
                })
                .collect();
            node.note = note(ast, &node.operands);
        }
        // Skipped (or, were events and tree ever to disagree, unknown).
        _ => node.children = children.into_iter().map(unevaluated).collect(),
    }
    node
}

/// Marks the decisive nodes, from the root down.
fn mark_decisive(node: &mut ExplainNode, decisive: bool) {
    node.decisive = decisive && node.outcome.is_some();
    let parent = node.decisive;
    // The outcome of a child that settles an AND (false) or an OR (true).
    let settling = match node.kind {
        NodeKind::And => Some(false),
        NodeKind::Or => Some(true),
        _ => None,
    };
    match settling {
        Some(value) if node.outcome == Some(value) => {
            let mut found = false;
            for child in &mut node.children {
                let settles = !found && child.outcome == Some(value);
                found |= settles;
                mark_decisive(child, parent && settles);
            }
        }
        _ => {
            for child in &mut node.children {
                mark_decisive(child, parent);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Notes

fn ordered(t: ValueType) -> bool {
    matches!(t, ValueType::S | ValueType::N | ValueType::B)
}

/// A note on why a leaf could not hold: a type mismatch, missing operands.
fn note(ast: &ConditionTree, operands: &[ExplainOperand]) -> Option<String> {
    if operands.iter().any(|o| o.omitted) {
        return None;
    }
    let values: Vec<Option<&AttributeValue>> = operands.iter().map(|o| o.value.as_ref()).collect();
    let types: Option<Vec<ValueType>> = values
        .iter()
        .map(|v| v.map(AttributeValue::value_type))
        .collect();
    let mut notes = Vec::new();
    if let Some(types) = &types {
        if let Some(n) = type_note(ast, types, &values) {
            notes.push(n);
        }
    }
    if !matches!(
        ast,
        ConditionTree::AttributeExists(_) | ConditionTree::AttributeNotExists(_)
    ) {
        for o in operands.iter().filter(|o| o.value.is_none()) {
            notes.push(if o.text.starts_with("size(") {
                format!(
                    "{} has no value (missing, or of a type without a size)",
                    o.text
                )
            } else {
                format!("{} is missing", o.text)
            });
        }
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// The type note of a leaf whose operands are all present.
fn type_note(
    ast: &ConditionTree,
    types: &[ValueType],
    values: &[Option<&AttributeValue>],
) -> Option<String> {
    let list = |ts: &[ValueType]| {
        ts.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" vs ")
    };
    let all_same = types.windows(2).all(|w| w.first() == w.get(1));
    match ast {
        ConditionTree::Compare { op, .. } => {
            if !all_same {
                Some(format!("type mismatch: {}", list(types)))
            } else if !matches!(op, Comparator::Eq | Comparator::Ne)
                && !types.first().copied().is_some_and(ordered)
            {
                Some(format!(
                    "type mismatch: {} values are not ordered (only S, N and B are)",
                    list(types.get(..1).unwrap_or_default())
                ))
            } else {
                None
            }
        }
        ConditionTree::Between { .. } => {
            if !all_same {
                Some(format!("type mismatch: {}", list(types)))
            } else if !types.first().copied().is_some_and(ordered) {
                Some(format!(
                    "type mismatch: {} values are not ordered (only S, N and B are)",
                    list(types.get(..1).unwrap_or_default())
                ))
            } else if let (Some(Some(lo)), Some(Some(hi))) = (values.get(1), values.get(2)) {
                (crate::semantics::order(Some(lo), Some(hi)) == Some(std::cmp::Ordering::Greater))
                    .then(|| "the low bound is greater than the high bound".to_owned())
            } else {
                None
            }
        }
        ConditionTree::In { .. } => {
            let (first, rest) = types.split_first()?;
            (!rest.contains(first)).then(|| format!("type mismatch: {first} vs {}", list_of(rest)))
        }
        ConditionTree::AttributeType(..) => {
            let (actual, wanted) = (types.first()?, values.get(1).copied().flatten()?);
            let wanted = wanted.as_s()?;
            (actual.code() != wanted).then(|| format!("the value is {actual}, not {wanted}"))
        }
        ConditionTree::BeginsWith(..) => match types {
            [ValueType::S, ValueType::S] | [ValueType::B, ValueType::B] => None,
            _ => Some(format!(
                "type mismatch: {} (begins_with takes two S or two B)",
                list(types)
            )),
        },
        ConditionTree::Contains(..) => match types {
            [ValueType::S, ValueType::S]
            | [ValueType::B, ValueType::B]
            | [ValueType::Ss, ValueType::S]
            | [ValueType::Ns, ValueType::N]
            | [ValueType::Bs, ValueType::B]
            | [ValueType::L, _] => None,
            _ => Some(format!(
                "type mismatch: {} (contains takes S and S, B and B, a set and its element type, or a list and anything)",
                list(types)
            )),
        },
        _ => None,
    }
}

/// Types listed once each, in order: `N, S`.
fn list_of(types: &[ValueType]) -> String {
    let mut seen: Vec<ValueType> = Vec::new();
    for t in types {
        if !seen.contains(t) {
            seen.push(*t);
        }
    }
    seen.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
