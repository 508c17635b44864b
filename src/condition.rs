//! Condition expressions: parse once, bind to placeholder maps, evaluate many
//! times (ConditionExpression and FilterExpression, spec §5 and §6).
//!
//! * [`ConditionExpression::parse`] checks everything that depends only on the
//!   text (syntax, functions, reserved words, limits) and gives an immutable,
//!   cheaply cloned value that can be cached by its text.
//! * [`ConditionExpression::bind`] checks everything that depends on the
//!   request's placeholder maps (undefined placeholders, operand types,
//!   `BETWEEN` bounds, distinct operands) and resolves the placeholders once.
//! * [`BoundCondition::evaluate`] tests one item, borrowing it, with DynamoDB's
//!   semantics: it cannot fail.
//!
//! ```
//! use dynacond::condition::ConditionExpression;
//! use dynacond::placeholders::ExpressionAttributeValues;
//! use dynacond::{AttributeValue, Item};
//!
//! let cond = ConditionExpression::parse("attribute_not_exists(pk) OR version = :v")?;
//! let mut values = ExpressionAttributeValues::new();
//! values.insert(":v".into(), AttributeValue::n(3));
//! let bound = cond.bind(None, Some(&values))?;
//!
//! let mut item = Item::new();
//! item.insert("pk".into(), AttributeValue::s("k1"));
//! item.insert("version".into(), AttributeValue::n(3));
//! assert!(bound.evaluate(&item));
//! item.insert("version".into(), AttributeValue::n(4));
//! assert!(!bound.evaluate(&item));
//! assert!(bound.evaluate(&Item::new())); // no item: attribute_not_exists holds
//! # Ok::<(), dynacond::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use base64::Engine as _;

use crate::ast::{Comparator, ConditionTree, Operand, Path};
use crate::error::Error;
use crate::explain::{Explanation, Trace};
use crate::parser::{ErrorDetail, ExprError, ExpressionKind, parse_condition};
use crate::path::{self, Step, resolve};
pub use crate::placeholders::References;
use crate::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, check_all_used, parse_failure,
    undefined_name, undefined_value, validate_maps, validate_value_contents,
};
use crate::semantics;
use crate::value::{AttributeValue, Item, ValueType};

/// A parsed, statically checked condition: immutable, `Send + Sync`, cheap to
/// clone. `Display` prints its canonical text.
#[derive(Clone, PartialEq)]
pub struct ConditionExpression {
    ast: Arc<ConditionTree>,
    kind: ExpressionKind,
    /// The placeholders the tree uses, listed once when it is built (every
    /// request binding it needs them twice).
    refs: Arc<References>,
}

impl ConditionExpression {
    fn new(ast: ConditionTree, kind: ExpressionKind) -> Self {
        let refs = Arc::new(References::from_placeholders(ast.references()));
        ConditionExpression {
            ast: Arc::new(ast),
            kind,
            refs,
        }
    }

    /// Parses a `ConditionExpression`.
    pub fn parse(text: &str) -> Result<Self, Error> {
        Self::parse_as(text, ExpressionKind::Condition)
    }

    /// Parses the same language as another parameter (`FilterExpression`),
    /// so that errors name that parameter.
    pub fn parse_as(text: &str, kind: ExpressionKind) -> Result<Self, Error> {
        Ok(ConditionExpression::new(parse_condition(text, kind)?, kind))
    }

    /// Parses the expression of a request that has these placeholder maps:
    /// like [`ConditionExpression::parse_as`], except that where DynamoDB
    /// checks the placeholders first, an undefined one is reported first.
    pub fn parse_in_request(
        text: &str,
        kind: ExpressionKind,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<Self, Error> {
        match parse_condition(text, kind) {
            Ok(ast) => Ok(ConditionExpression::new(ast, kind)),
            Err(e) => Err(parse_failure(e, text, names, values)),
        }
    }

    /// Wraps a tree built by code rather than parsed (the legacy
    /// translation, [`crate::legacy`]). The parser's checks on the text
    /// (reserved words, limits) do not apply; [`ConditionExpression::bind`]
    /// still makes every check that depends on the placeholder maps.
    pub fn from_ast(ast: ConditionTree, kind: ExpressionKind) -> Self {
        ConditionExpression::new(ast, kind)
    }

    /// The syntax tree.
    pub fn ast(&self) -> &ConditionTree {
        &self.ast
    }

    /// Which parameter this expression was parsed as.
    pub fn kind(&self) -> ExpressionKind {
        self.kind
    }

    /// The placeholders the expression uses; a request's placeholder entries
    /// that no expression references are an error
    /// ([`crate::placeholders::check_unused`]).
    pub fn references(&self) -> References {
        (*self.refs).clone()
    }

    /// [`ConditionExpression::references`], without a copy.
    pub(crate) fn refs(&self) -> &References {
        &self.refs
    }

    fn invalid(&self, detail: ErrorDetail) -> Error {
        ExprError::new(self.kind, detail, None).into()
    }

    /// Binds the expression to a request's placeholder maps, checking what
    /// DynamoDB checks before reading any item: every placeholder defined,
    /// operand types of placeholders and `size()`, `attribute_type` type
    /// names, `BETWEEN` bounds given as placeholders, and that a path is not
    /// compared with itself.
    pub fn bind<'a>(
        &'a self,
        names: Option<&'a ExpressionAttributeNames>,
        values: Option<&'a ExpressionAttributeValues>,
    ) -> Result<BoundCondition<'a>, Error> {
        self.refs.check_defined(self.kind, names, values)?;
        let binder = Binder {
            expr: self,
            names,
            values,
        };
        Ok(BoundCondition {
            root: binder.condition(&self.ast)?,
            ast: &self.ast,
        })
    }

    /// Binds and evaluates in one call; `None` as the item means it does not
    /// exist (every attribute is absent).
    pub fn evaluate(
        &self,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
        item: Option<&Item>,
    ) -> Result<bool, Error> {
        let bound = self.bind(names, values)?;
        Ok(item.map_or_else(|| bound.evaluate(&Item::new()), |i| bound.evaluate(i)))
    }
}

impl fmt::Display for ConditionExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ast.fmt(f)
    }
}

impl fmt::Debug for ConditionExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConditionExpression({self})")
    }
}

impl FromStr for ConditionExpression {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ConditionExpression::parse(s)
    }
}

/// Runs one condition the way a conditional write does: checks the
/// placeholder maps, parses, binds, rejects unused placeholder entries, then
/// evaluates against the item (`None`: no item). `Ok(false)` is what DynamoDB
/// reports as ConditionalCheckFailedException.
pub fn check_condition(
    expression: &str,
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
    item: Option<&Item>,
) -> Result<bool, Error> {
    with_checked(expression, names, values, |bound| {
        item.map_or_else(|| bound.evaluate(&Item::new()), |i| bound.evaluate(i))
    })
}

/// [`check_condition`] with an explanation of the result
/// ([`BoundCondition::explain`]); the same checks, the same errors.
pub fn explain_condition(
    expression: &str,
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
    item: Option<&Item>,
) -> Result<Explanation, Error> {
    with_checked(expression, names, values, |bound| {
        item.map_or_else(|| bound.explain(&Item::new()), |i| bound.explain(i))
    })
}

/// Checks, parses and binds one condition as a conditional write does, then
/// runs `run` on it.
fn with_checked<T>(
    expression: &str,
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
    run: impl FnOnce(&BoundCondition<'_>) -> T,
) -> Result<T, Error> {
    validate_maps(names, values)?;
    let expr = ConditionExpression::parse_in_request(
        expression,
        ExpressionKind::Condition,
        names,
        values,
    )?;
    let bound = expr.bind(names, values)?;
    if let Some(values) = values {
        validate_value_contents(values)?;
    }
    check_all_used(names, values, &[expr.refs()])?;
    Ok(run(&bound))
}

// ---------------------------------------------------------------------------
// Binding

#[derive(Debug, Clone, PartialEq)]
enum BoundOperand<'a> {
    Path(Vec<Step<'a>>),
    Value(&'a AttributeValue),
    Size(Box<BoundOperand<'a>>),
}

#[derive(Debug, Clone, PartialEq)]
enum Node<'a> {
    Compare(Comparator, BoundOperand<'a>, BoundOperand<'a>),
    Between(BoundOperand<'a>, BoundOperand<'a>, BoundOperand<'a>),
    In(BoundOperand<'a>, Vec<BoundOperand<'a>>),
    Exists(Vec<Step<'a>>),
    NotExists(Vec<Step<'a>>),
    Type(BoundOperand<'a>, ValueType),
    BeginsWith(BoundOperand<'a>, BoundOperand<'a>),
    Contains(BoundOperand<'a>, BoundOperand<'a>),
    Not(Box<Node<'a>>),
    And(Box<Node<'a>>, Box<Node<'a>>),
    Or(Box<Node<'a>>, Box<Node<'a>>),
}

/// A condition bound to its placeholder maps, ready to evaluate items.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundCondition<'a> {
    root: Node<'a>,
    /// The tree it was bound from (for explanations).
    ast: &'a ConditionTree,
}

/// All type codes, as DynamoDB prints the "type" of a path where a placeholder
/// is required.
const ANY_TYPE: &str = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}";
const VALID_TYPES: &str = "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}";

struct Binder<'a> {
    expr: &'a ConditionExpression,
    names: Option<&'a ExpressionAttributeNames>,
    values: Option<&'a ExpressionAttributeValues>,
}

impl<'a> Binder<'a> {
    fn path(&self, path: &'a Path) -> Result<Vec<Step<'a>>, Error> {
        path::bind_path(path, self.names, |p| undefined_name(self.expr.kind, p))
    }

    fn value(&self, name: &str) -> Result<&'a AttributeValue, Error> {
        self.values
            .and_then(|m| m.get(name))
            .ok_or_else(|| undefined_value(self.expr.kind, name))
    }

    /// The type of an operand when it is known without the item.
    fn static_type(&self, operand: &BoundOperand<'_>) -> Option<ValueType> {
        match operand {
            BoundOperand::Path(_) => None,
            BoundOperand::Value(v) => Some(v.value_type()),
            BoundOperand::Size(_) => Some(ValueType::N),
        }
    }

    fn require_types(
        &self,
        function: &str,
        operand: &BoundOperand<'_>,
        allowed: &[ValueType],
    ) -> Result<(), Error> {
        match self.static_type(operand) {
            Some(t) if !allowed.contains(&t) => Err(self.expr.invalid(ErrorDetail::OperandType {
                function: function.to_owned(),
                operand_type: t.to_string(),
            })),
            _ => Ok(()),
        }
    }

    fn operand(&self, operand: &'a Operand) -> Result<BoundOperand<'a>, Error> {
        Ok(match operand {
            Operand::Path(p) => BoundOperand::Path(self.path(p)?),
            Operand::Value(v) => BoundOperand::Value(self.value(&v.name)?),
            Operand::Size { arg, .. } => {
                let inner = self.operand(arg)?;
                self.require_types("size", &inner, SIZED)?;
                BoundOperand::Size(Box::new(inner))
            }
        })
    }

    /// DynamoDB rejects a path compared with (or passed again to a function
    /// with) itself.
    fn distinct(
        &self,
        operator: &str,
        first: &BoundOperand<'_>,
        rest: &[&BoundOperand<'_>],
    ) -> Result<(), Error> {
        if let BoundOperand::Path(steps) = first {
            if rest.contains(&first) {
                return Err(self.expr.invalid(ErrorDetail::OperandsNotDistinct {
                    operator: operator.to_owned(),
                    first: path::display(steps),
                }));
            }
        }
        Ok(())
    }

    fn between_bounds(&self, low: &BoundOperand<'_>, high: &BoundOperand<'_>) -> Result<(), Error> {
        let (BoundOperand::Value(lo), BoundOperand::Value(hi)) = (low, high) else {
            return Ok(());
        };
        if lo.value_type() != hi.value_type() {
            return Err(self.expr.invalid(ErrorDetail::BetweenTypes {
                low: brief(lo),
                high: brief(hi),
            }));
        }
        if semantics::order(Some(lo), Some(hi)) == Some(std::cmp::Ordering::Greater) {
            return Err(self.expr.invalid(ErrorDetail::BetweenOrder {
                low: brief(lo),
                high: brief(hi),
            }));
        }
        Ok(())
    }

    /// Binds a condition. Only `NOT`, `AND` and `OR` recurse, through this
    /// small frame; the leaves are bound by [`Binder::leaf`], so a chain of
    /// 299 `NOT`s (the most the operator limit allows) binds on a 2 MiB
    /// stack in a debug build.
    fn condition(&self, cond: &'a ConditionTree) -> Result<Node<'a>, Error> {
        Ok(match cond {
            ConditionTree::Not(c) => Node::Not(Box::new(self.condition(c)?)),
            ConditionTree::And(a, b) => {
                Node::And(Box::new(self.condition(a)?), Box::new(self.condition(b)?))
            }
            ConditionTree::Or(a, b) => {
                Node::Or(Box::new(self.condition(a)?), Box::new(self.condition(b)?))
            }
            leaf => self.leaf(leaf)?,
        })
    }

    /// Binds a comparison, `BETWEEN`, `IN` or function.
    #[inline(never)]
    fn leaf(&self, cond: &'a ConditionTree) -> Result<Node<'a>, Error> {
        Ok(match cond {
            ConditionTree::Compare { op, left, right } => {
                let (l, r) = (self.operand(left)?, self.operand(right)?);
                self.distinct(op.as_str(), &l, &[&r])?;
                if !matches!(op, Comparator::Eq | Comparator::Ne) {
                    self.require_types(op.as_str(), &l, ORDERED)?;
                    self.require_types(op.as_str(), &r, ORDERED)?;
                }
                Node::Compare(*op, l, r)
            }
            ConditionTree::Between { value, low, high } => {
                let (v, lo, hi) = (
                    self.operand(value)?,
                    self.operand(low)?,
                    self.operand(high)?,
                );
                self.distinct("BETWEEN", &v, &[&lo, &hi])?;
                for o in [&v, &lo, &hi] {
                    self.require_types("BETWEEN", o, ORDERED)?;
                }
                self.between_bounds(&lo, &hi)?;
                Node::Between(v, lo, hi)
            }
            ConditionTree::In { value, list } => {
                let v = self.operand(value)?;
                let l = list
                    .iter()
                    .map(|o| self.operand(o))
                    .collect::<Result<Vec<_>, _>>()?;
                self.distinct("IN", &v, &l.iter().collect::<Vec<_>>())?;
                Node::In(v, l)
            }
            ConditionTree::AttributeExists(p) => Node::Exists(self.path(p)?),
            ConditionTree::AttributeNotExists(p) => Node::NotExists(self.path(p)?),
            ConditionTree::AttributeType(x, t) => {
                let x = self.operand(x)?;
                let t = self.operand(t)?;
                self.distinct("attribute_type", &x, &[&t])?;
                let code = match &t {
                    BoundOperand::Value(AttributeValue::S(code)) => code,
                    other => {
                        let shown = self
                            .static_type(other)
                            .map_or_else(|| ANY_TYPE.to_owned(), |t| t.code().to_owned());
                        return Err(self.expr.invalid(ErrorDetail::OperandType {
                            function: "attribute_type".to_owned(),
                            operand_type: shown,
                        }));
                    }
                };
                let Some(vt) = ValueType::from_code(code) else {
                    return Err(self.expr.invalid(ErrorDetail::InvalidTypeName {
                        name: code.clone(),
                        valid: VALID_TYPES.to_owned(),
                    }));
                };
                Node::Type(x, vt)
            }
            ConditionTree::BeginsWith(x, p) => {
                let (x, p) = (self.operand(x)?, self.operand(p)?);
                self.distinct("begins_with", &x, &[&p])?;
                self.require_types("begins_with", &x, PREFIXED)?;
                self.require_types("begins_with", &p, PREFIXED)?;
                Node::BeginsWith(x, p)
            }
            ConditionTree::Contains(x, y) => {
                let (x, y) = (self.operand(x)?, self.operand(y)?);
                self.distinct("contains", &x, &[&y])?;
                Node::Contains(x, y)
            }
            ConditionTree::Not(_) | ConditionTree::And(..) | ConditionTree::Or(..) => {
                self.condition(cond)?
            }
        })
    }
}

const ORDERED: &[ValueType] = &[ValueType::S, ValueType::N, ValueType::B];
const PREFIXED: &[ValueType] = &[ValueType::S, ValueType::B];
const SIZED: &[ValueType] = &[
    ValueType::S,
    ValueType::B,
    ValueType::Ss,
    ValueType::Ns,
    ValueType::Bs,
    ValueType::L,
    ValueType::M,
];

/// DynamoDB's short `{T:value}` notation for a scalar in messages.
fn brief(v: &AttributeValue) -> String {
    let t = v.value_type();
    match v {
        AttributeValue::S(s) => format!("{{{t}:{s}}}"),
        AttributeValue::N(n) => format!("{{{t}:{n}}}"),
        AttributeValue::B(b) => format!(
            "{{{t}:{}}}",
            base64::engine::general_purpose::STANDARD.encode(b)
        ),
        other => format!("{{{t}:{other:?}}}"),
    }
}

// ---------------------------------------------------------------------------
// Evaluation

/// An operand's value: borrowed from the item or the placeholders, or computed.
enum Val<'x> {
    Ref(&'x AttributeValue),
    Computed(AttributeValue),
}

impl Val<'_> {
    fn get(&self) -> &AttributeValue {
        match self {
            Val::Ref(v) => v,
            Val::Computed(v) => v,
        }
    }
}

impl<'a> BoundCondition<'a> {
    /// Evaluates the condition on an item (an empty item stands for a missing
    /// one). Never fails: wrongly typed or absent attributes make comparisons
    /// false.
    pub fn evaluate(&self, item: &Item) -> bool {
        eval_node(&self.root, item, &mut NoRecord)
    }

    /// Evaluates the condition on an item like [`BoundCondition::evaluate`]
    /// (the same code, recording as it goes), and explains the result: each
    /// node's outcome, the values it compared and which nodes decided
    /// ([`crate::explain`]).
    pub fn explain(&self, item: &Item) -> Explanation {
        let mut trace = Trace::default();
        let result = eval_node(&self.root, item, &mut trace);
        trace.finish(self.ast, result)
    }
}

/// What evaluation reports as it goes: nothing on the normal path
/// ([`NoRecord`], which compiles to nothing), each node's values and outcome
/// when explaining ([`Trace`]). Events come in pre-order: a leaf's operands
/// and outcome; `open`, the children, `close` around `NOT`, `AND` and `OR`;
/// `skip` in place of a child that short-circuiting left unevaluated.
pub(crate) trait Recorder {
    /// Whether the recorder keeps anything (work done only to record is
    /// skipped when not).
    const ENABLED: bool;
    /// A comparison, `BETWEEN`, `IN` or function: its operands' values, in
    /// the order written (`None`: missing), and its outcome.
    fn leaf(&mut self, operands: &[Option<&AttributeValue>], outcome: bool);
    /// A `NOT`, `AND` or `OR` starts.
    fn open(&mut self);
    /// The `NOT`, `AND` or `OR` last opened ends with this outcome.
    fn close(&mut self, outcome: bool);
    /// A child was not evaluated.
    fn skip(&mut self);
}

/// The recorder of plain evaluation: records nothing.
pub(crate) struct NoRecord;

impl Recorder for NoRecord {
    const ENABLED: bool = false;
    #[inline(always)]
    fn leaf(&mut self, _: &[Option<&AttributeValue>], _: bool) {}
    #[inline(always)]
    fn open(&mut self) {}
    #[inline(always)]
    fn close(&mut self, _: bool) {}
    #[inline(always)]
    fn skip(&mut self) {}
}

fn eval_operand<'x>(operand: &'x BoundOperand<'_>, item: &'x Item) -> Option<Val<'x>> {
    match operand {
        BoundOperand::Path(steps) => resolve(steps, item).map(Val::Ref),
        BoundOperand::Value(v) => Some(Val::Ref(v)),
        BoundOperand::Size(inner) => {
            let inner = eval_operand(inner, item)?;
            semantics::size(Some(inner.get())).map(|n| Val::Computed(AttributeValue::N(n)))
        }
    }
}

/// Evaluates a node. Only `NOT`, `AND` and `OR` recurse, through this small
/// frame; leaves are evaluated by [`eval_leaf`].
fn eval_node<R: Recorder>(node: &Node<'_>, item: &Item, rec: &mut R) -> bool {
    match node {
        Node::Not(c) => {
            rec.open();
            let outcome = !eval_node(c, item, rec);
            rec.close(outcome);
            outcome
        }
        Node::And(a, b) => {
            rec.open();
            let outcome = if eval_node(a, item, rec) {
                eval_node(b, item, rec)
            } else {
                rec.skip();
                false
            };
            rec.close(outcome);
            outcome
        }
        Node::Or(a, b) => {
            rec.open();
            let outcome = if eval_node(a, item, rec) {
                rec.skip();
                true
            } else {
                eval_node(b, item, rec)
            };
            rec.close(outcome);
            outcome
        }
        leaf => eval_leaf(leaf, item, rec),
    }
}

/// Evaluates a comparison, `BETWEEN`, `IN` or function.
fn eval_leaf<R: Recorder>(node: &Node<'_>, item: &Item, rec: &mut R) -> bool {
    let get = |o| eval_operand(o, item);
    match node {
        Node::Compare(op, l, r) => {
            let (l, r) = (get(l), get(r));
            let (l, r) = (l.as_ref().map(Val::get), r.as_ref().map(Val::get));
            let outcome = match op {
                Comparator::Eq => semantics::equals(l, r),
                Comparator::Ne => !semantics::equals(l, r),
                Comparator::Lt => semantics::order(l, r).is_some_and(|o| o.is_lt()),
                Comparator::Le => semantics::order(l, r).is_some_and(|o| o.is_le()),
                Comparator::Gt => semantics::order(l, r).is_some_and(|o| o.is_gt()),
                Comparator::Ge => semantics::order(l, r).is_some_and(|o| o.is_ge()),
            };
            rec.leaf(&[l, r], outcome);
            outcome
        }
        Node::Between(v, lo, hi) => {
            let (v, lo, hi) = (get(v), get(lo), get(hi));
            let (v, lo, hi) = (
                v.as_ref().map(Val::get),
                lo.as_ref().map(Val::get),
                hi.as_ref().map(Val::get),
            );
            let outcome = semantics::between(v, lo, hi);
            rec.leaf(&[v, lo, hi], outcome);
            outcome
        }
        Node::In(v, list) => {
            let v = get(v);
            let outcome = match &v {
                None => false,
                Some(v) => list
                    .iter()
                    .any(|o| semantics::equals(Some(v.get()), get(o).as_ref().map(Val::get))),
            };
            if R::ENABLED {
                record_in(rec, v.as_ref().map(Val::get), list, item, outcome);
            }
            outcome
        }
        Node::Exists(p) => {
            let v = resolve(p, item);
            rec.leaf(&[v], v.is_some());
            v.is_some()
        }
        Node::NotExists(p) => {
            let v = resolve(p, item);
            rec.leaf(&[v], v.is_none());
            v.is_none()
        }
        Node::Type(x, t) => {
            let x = get(x);
            let x = x.as_ref().map(Val::get);
            let outcome = x.is_some_and(|v| v.value_type() == *t);
            // The type name, as the `:placeholder` gave it.
            let name = R::ENABLED.then(|| AttributeValue::S(t.code().to_owned()));
            rec.leaf(&[x, name.as_ref()], outcome);
            outcome
        }
        Node::BeginsWith(x, p) => {
            let (x, p) = (get(x), get(p));
            let (x, p) = (x.as_ref().map(Val::get), p.as_ref().map(Val::get));
            let outcome = semantics::begins_with(x, p);
            rec.leaf(&[x, p], outcome);
            outcome
        }
        Node::Contains(x, y) => {
            let (x, y) = (get(x), get(y));
            let (x, y) = (x.as_ref().map(Val::get), y.as_ref().map(Val::get));
            let outcome = semantics::contains(x, y);
            rec.leaf(&[x, y], outcome);
            outcome
        }
        Node::Not(_) | Node::And(..) | Node::Or(..) => eval_node(node, item, rec),
    }
}

/// Records an `IN`: the tested value and every candidate's (evaluation
/// stops at the first match; the explanation shows them all).
#[inline(never)]
fn record_in<R: Recorder>(
    rec: &mut R,
    value: Option<&AttributeValue>,
    list: &[BoundOperand<'_>],
    item: &Item,
    outcome: bool,
) {
    let candidates: Vec<Option<Val<'_>>> = list.iter().map(|o| eval_operand(o, item)).collect();
    let mut operands = Vec::with_capacity(candidates.len().saturating_add(1));
    operands.push(value);
    operands.extend(candidates.iter().map(|c| c.as_ref().map(Val::get)));
    rec.leaf(&operands, outcome);
}
