//! DynamoDB's legacy (pre-expression) parameters, translated into the
//! expression syntax trees so that one evaluator and one update engine serve
//! both generations (spec §12.4).
//!
//! * `Expected` + `ConditionalOperator` (PutItem, UpdateItem, DeleteItem)
//!   become a [`crate::ast::ConditionTree`] ([`expected`]);
//! * `AttributeUpdates` (UpdateItem) becomes a [`crate::ast::UpdateTree`]
//!   ([`attribute_updates`]);
//! * `AttributesToGet` becomes a [`crate::ast::ProjectionTree`]
//!   ([`attributes_to_get`]);
//! * `KeyConditions` (Query) becomes a condition shaped like a
//!   `KeyConditionExpression` ([`key_conditions`]), and `QueryFilter` /
//!   `ScanFilter` + `ConditionalOperator` a filter condition
//!   ([`query_filter`], [`scan_filter`]).
//!
//! # Placeholders
//!
//! Legacy attribute names are literal: they may be reserved words or contain
//! dots, brackets or spaces, and always name a top-level attribute. The
//! translation refers to every name through a `#name` placeholder and to
//! every value through a `:value` placeholder, and returns the maps beside
//! the tree. Generated placeholders contain a `~` (`#~n0`, `:~v0`), which a
//! request's own `ExpressionAttributeNames`/`Values` keys can never contain
//! (they must match `[#:][A-Za-z0-9_]+`), so the two can never collide, even
//! though DynamoDB refuses those maps beside legacy parameters anyway.
//!
//! # Where legacy semantics differ, and how the tree expresses it
//!
//! Every difference is expressed by composing existing nodes; no new node
//! was needed:
//!
//! | Legacy | Tree | Why |
//! | --- | --- | --- |
//! | `NOT_NULL` | `attribute_exists(a)` | tests existence, not the `NULL` type |
//! | `NULL` | `attribute_not_exists(a)` | same |
//! | `NE` | `a <> :v` | already true for a missing attribute, as legacy `NE` is |
//! | `NOT_CONTAINS` | `attribute_exists(a) AND NOT contains(a, :v)` | false for a missing attribute, unlike `NOT contains(...)` |
//! | `Value` / `Exists: true` | `a = :v` | |
//! | `Exists: false` | `attribute_not_exists(a)` | |
//! | `IN` | `a IN (:v0, ...)` | the list's same-type rule is checked here, before binding |
//! | `BETWEEN` | `a BETWEEN :lo AND :hi` | bounds checked here with the legacy message |
//! | `ADD` of a list | `SET a = list_append(if_not_exists(a, :empty), :v)` | expression `ADD` takes no lists |
//! | `DELETE` without value | `REMOVE a` | |
//! | `PUT` | `SET a = :v` | |
//!
//! Argument checks that the expression binder would report with
//! expression-flavoured messages (`Invalid ConditionExpression: ...`) are
//! made here first, with the legacy messages, so the binder never sees a
//! wrongly typed legacy argument. At run time the update engine's
//! `An operand in the update expression has an incorrect data type` is
//! reported for legacy updates as `Type mismatch for attribute to update`
//! ([`TYPE_MISMATCH`]).
//!
//! Messages marked "guessed" in the README's known differences come from
//! emulators or inference rather than a capture of DynamoDB.
//!
//! ```
//! use dynacond::legacy::{self, ComparisonOperator, ExpectedAttributeValue, ExpectedMap};
//! use dynacond::{AttributeValue, Item};
//!
//! let mut expected = ExpectedMap::new();
//! expected.insert(
//!     "tags".into(),
//!     ExpectedAttributeValue::compare(ComparisonOperator::NotContains, [AttributeValue::s("x")]),
//! );
//! expected.insert("version".into(), ExpectedAttributeValue::equals(AttributeValue::n(3)));
//! let condition = legacy::expected(Some(&expected), None)?.expect("two entries");
//! assert_eq!(
//!     condition.ast().to_string(),
//!     "attribute_exists(#~n0) AND NOT contains(#~n0, :~v0) AND #~n1 = :~v1"
//! );
//! let mut item = Item::new();
//! item.insert("version".into(), AttributeValue::n(3));
//! // NOT_CONTAINS is false for a missing attribute.
//! assert!(!condition.bind()?.evaluate(&item));
//! item.insert("tags".into(), AttributeValue::L(vec![AttributeValue::s("y")]));
//! assert!(condition.bind()?.evaluate(&item));
//! # Ok::<(), dynacond::Error>(())
//! ```

use std::sync::Arc;

use indexmap::IndexMap;

pub use crate::api::{
    AttributeUpdatesMap, AttributeValueUpdate, ComparisonOperator, Condition, ConditionMap,
    ExpectedAttributeValue, ExpectedMap,
};
use crate::ast::{
    self, Comparator, Name, Operand, Path, PathElement, ProjectionTree, Span, UpdateTree, ValueRef,
};
use crate::condition::{BoundCondition, ConditionExpression};
use crate::error::{Error, ShownValue};
use crate::parser::error::ExpressionKind;
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::projection::{BoundProjection, ProjectionExpression};
use crate::semantics;
use crate::update::{BoundUpdate, UpdateExpression};
use crate::value::{AttributeValue, validate_attribute_name};

// ---------------------------------------------------------------------------
// Translation results

/// The prefix of generated `#name` placeholders (followed by a number).
pub const NAME_PREFIX: &str = "#~n";
/// The prefix of generated `:value` placeholders (followed by a number).
pub const VALUE_PREFIX: &str = ":~v";

/// A translated legacy condition (`Expected`, `KeyConditions`,
/// `QueryFilter`, `ScanFilter`): the tree and the placeholder maps it uses.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyCondition {
    expression: ConditionExpression,
    names: ExpressionAttributeNames,
    values: ExpressionAttributeValues,
}

impl LegacyCondition {
    /// The condition's tree (placeholders as in [`LegacyCondition::names`]
    /// and [`LegacyCondition::values`]).
    pub fn ast(&self) -> &ast::ConditionTree {
        self.expression.ast()
    }

    /// The condition as an expression value (its `kind` names the parameter
    /// an expression in its place would have been).
    pub fn expression(&self) -> &ConditionExpression {
        &self.expression
    }

    /// The generated `#name` placeholders and the attribute names they stand for.
    pub fn names(&self) -> &ExpressionAttributeNames {
        &self.names
    }

    /// The generated `:value` placeholders and their values.
    pub fn values(&self) -> &ExpressionAttributeValues {
        &self.values
    }

    /// Binds the condition to its own placeholder maps, ready to evaluate.
    pub fn bind(&self) -> Result<BoundCondition<'_>, Error> {
        self.expression.bind(Some(&self.names), Some(&self.values))
    }
}

/// A translated `AttributeUpdates`: the update tree and its placeholder maps.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyUpdate {
    expression: UpdateExpression,
    names: ExpressionAttributeNames,
    values: ExpressionAttributeValues,
}

impl LegacyUpdate {
    /// The update's tree.
    pub fn ast(&self) -> &UpdateTree {
        self.expression.ast()
    }

    /// The update as an expression value.
    pub fn expression(&self) -> &UpdateExpression {
        &self.expression
    }

    /// The generated `#name` placeholders.
    pub fn names(&self) -> &ExpressionAttributeNames {
        &self.names
    }

    /// The generated `:value` placeholders.
    pub fn values(&self) -> &ExpressionAttributeValues {
        &self.values
    }

    /// Binds the update to its placeholder maps and the table's key
    /// attributes (updating one is DynamoDB's
    /// `Cannot update attribute <k>. This attribute is part of the key`).
    /// Applying the bound update reports an item value of the wrong type
    /// as [`TYPE_MISMATCH`], as DynamoDB does for legacy updates.
    pub fn bind(&self, key_attributes: &[&str]) -> Result<BoundUpdate<'_>, Error> {
        Ok(self
            .expression
            .bind(Some(&self.names), Some(&self.values), key_attributes)?
            .with_type_mismatch_message(TYPE_MISMATCH))
    }
}

/// A translated `AttributesToGet`: the projection and its names.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyProjection {
    expression: ProjectionExpression,
    names: ExpressionAttributeNames,
}

impl LegacyProjection {
    /// The projection's tree: one top-level path per name, in request order.
    pub fn ast(&self) -> &ProjectionTree {
        self.expression.ast()
    }

    /// The projection as an expression value.
    pub fn expression(&self) -> &ProjectionExpression {
        &self.expression
    }

    /// The generated `#name` placeholders.
    pub fn names(&self) -> &ExpressionAttributeNames {
        &self.names
    }

    /// Binds the projection to its names, ready to project items.
    pub fn bind(&self) -> Result<BoundProjection<'_>, Error> {
        self.expression.bind(Some(&self.names))
    }
}

/// DynamoDB's run-time message for a legacy update of the wrong type.
pub const TYPE_MISMATCH: &str = "Type mismatch for attribute to update";

// ---------------------------------------------------------------------------
// Messages

const INVALID: &str = "One or more parameter values were invalid: ";

fn invalid(detail: impl std::fmt::Display) -> Error {
    Error::validation(format!("{INVALID}{detail}"))
}

fn enum_error(value: &str, at: &str, set: &str) -> Error {
    Error::constraint(
        value,
        at,
        format!("Member must satisfy enum value set: [{set}]"),
    )
}

fn null_error(at: &str) -> Error {
    Error::constraint(ShownValue::Null, at, "Member must not be null")
}

const OPERATOR_SET: &str =
    "IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS";

/// `ConditionalOperator` with nothing to combine.
pub const CONDITIONAL_OPERATOR_WITHOUT: &str =
    "ConditionalOperator cannot be used without Filter or Expected";
/// `ConditionalOperator` with a single condition.
pub const CONDITIONAL_OPERATOR_ONE: &str =
    "ConditionalOperator can only be used when Filter or Expected has two or more elements";
/// A `KeyConditions` operator that cannot use the key.
pub const NOT_INDEXABLE: &str = "Attempted conditional constraint is not an indexable operation";
/// `BETWEEN` with its bounds in the wrong order.
pub const BETWEEN_REVERSED: &str = "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound";

// ---------------------------------------------------------------------------
// Building trees

/// Hands out placeholders; each attribute name gets one. One builder serves
/// every legacy parameter of a request, so their generated placeholders never
/// collide and its maps become the request's maps.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    names: ExpressionAttributeNames,
    values: ExpressionAttributeValues,
}

impl Builder {
    fn path(&mut self, attribute: &str) -> Path {
        let key = match self.names.iter().find(|(_, n)| n.as_str() == attribute) {
            Some((k, _)) => k.clone(),
            None => {
                let k = format!("{NAME_PREFIX}{}", self.names.len());
                self.names.insert(k.clone(), attribute.to_owned());
                k
            }
        };
        Path {
            elements: vec![PathElement::Name(Name::Placeholder(Arc::from(key)))],
            span: Span::default(),
        }
    }

    fn value_ref(&mut self, value: &AttributeValue) -> ValueRef {
        let key = format!("{VALUE_PREFIX}{}", self.values.len());
        self.values.insert(key.clone(), value.clone());
        ValueRef {
            name: Arc::from(key),
            span: Span::default(),
        }
    }

    fn value(&mut self, value: &AttributeValue) -> Operand {
        Operand::Value(self.value_ref(value))
    }

    /// The generated maps, for the request that uses the built trees.
    pub(crate) fn into_maps(self) -> (ExpressionAttributeNames, ExpressionAttributeValues) {
        (self.names, self.values)
    }

    fn condition(self, root: ast::ConditionTree, kind: ExpressionKind) -> LegacyCondition {
        LegacyCondition {
            expression: ConditionExpression::from_ast(root, kind),
            names: self.names,
            values: self.values,
        }
    }
}

/// An operator with its arguments, checked: each form holds exactly the
/// arguments its operator takes, so building its tree cannot fail.
enum Checked<'a> {
    Compare(Comparator, &'a AttributeValue),
    NotNull,
    Null,
    Contains(&'a AttributeValue),
    NotContains(&'a AttributeValue),
    BeginsWith(&'a AttributeValue),
    In(&'a [AttributeValue]),
    Between(&'a AttributeValue, &'a AttributeValue),
}

/// Checks one operator's arguments: count, types, same type for `IN` and
/// `BETWEEN`, `BETWEEN` bounds in order, each value valid.
fn check_arguments<'a>(
    op: &ComparisonOperator,
    args: &'a [AttributeValue],
) -> Result<Checked<'a>, Error> {
    use ComparisonOperator as Op;
    let arity = || {
        invalid(format_args!(
            "Invalid number of argument(s) for the {op} ComparisonOperator"
        ))
    };
    let checked = match (op, args) {
        (Op::NotNull, []) => Checked::NotNull,
        (Op::Null, []) => Checked::Null,
        (Op::In, [_, ..]) => Checked::In(args),
        (Op::Between, [lo, hi]) => Checked::Between(lo, hi),
        (Op::Eq, [v]) => Checked::Compare(Comparator::Eq, v),
        (Op::Ne, [v]) => Checked::Compare(Comparator::Ne, v),
        (Op::Le, [v]) => Checked::Compare(Comparator::Le, v),
        (Op::Lt, [v]) => Checked::Compare(Comparator::Lt, v),
        (Op::Ge, [v]) => Checked::Compare(Comparator::Ge, v),
        (Op::Gt, [v]) => Checked::Compare(Comparator::Gt, v),
        (Op::Contains, [v]) => Checked::Contains(v),
        (Op::NotContains, [v]) => Checked::NotContains(v),
        (Op::BeginsWith, [v]) => Checked::BeginsWith(v),
        (Op::Unknown(name), _) => return Err(enum_error(name, "comparisonOperator", OPERATOR_SET)),
        _ => return Err(arity()),
    };
    for arg in args {
        arg.validate()?;
        if let Some(allowed) = op.argument_types() {
            let t = arg.value_type();
            if !allowed.contains(&t) {
                return Err(invalid(format_args!(
                    "ComparisonOperator {op} is not valid for {t} AttributeValue type"
                )));
            }
        }
    }
    if matches!(op, ComparisonOperator::In | ComparisonOperator::Between) {
        if let Some((first, rest)) = args.split_first() {
            if rest.iter().any(|a| a.value_type() != first.value_type()) {
                return Err(invalid(
                    "AttributeValues inside AttributeValueList must be of same type",
                ));
            }
        }
    }
    if let Checked::Between(lo, hi) = checked {
        if semantics::order(Some(lo), Some(hi)) == Some(std::cmp::Ordering::Greater) {
            return Err(Error::validation(BETWEEN_REVERSED));
        }
    }
    Ok(checked)
}

/// The tree of one checked operator on one attribute.
fn operator_tree(b: &mut Builder, attribute: &str, checked: Checked<'_>) -> ast::ConditionTree {
    use ast::ConditionTree as C;
    let path = b.path(attribute);
    match checked {
        Checked::Compare(op, v) => C::Compare {
            op,
            left: Operand::Path(path),
            right: b.value(v),
        },
        Checked::NotNull => C::AttributeExists(path),
        Checked::Null => C::AttributeNotExists(path),
        Checked::Contains(v) => C::Contains(Operand::Path(path), b.value(v)),
        Checked::NotContains(v) => {
            let v = b.value(v);
            C::And(
                Box::new(C::AttributeExists(path.clone())),
                Box::new(C::Not(Box::new(C::Contains(Operand::Path(path), v)))),
            )
        }
        Checked::BeginsWith(v) => C::BeginsWith(Operand::Path(path), b.value(v)),
        Checked::In(list) => C::In {
            value: Operand::Path(path),
            list: list.iter().map(|v| b.value(v)).collect(),
        },
        Checked::Between(lo, hi) => C::Between {
            value: Operand::Path(path),
            low: b.value(lo),
            high: b.value(hi),
        },
    }
}

/// Whether `ConditionalOperator` asks for `OR` (`AND` is the default).
fn conditional_or(operator: Option<&str>) -> Result<bool, Error> {
    match operator {
        None | Some("AND") => Ok(false),
        Some("OR") => Ok(true),
        Some(other) => Err(enum_error(other, "conditionalOperator", "AND, OR")),
    }
}

/// Checks `ConditionalOperator` against the number of conditions it combines.
fn check_conditional_operator(operator: Option<&str>, count: usize) -> Result<bool, Error> {
    let or = conditional_or(operator)?;
    match (operator, count) {
        (Some(_), 0) => Err(Error::validation(CONDITIONAL_OPERATOR_WITHOUT)),
        (Some(_), 1) => Err(Error::validation(CONDITIONAL_OPERATOR_ONE)),
        _ => Ok(or),
    }
}

fn combine(parts: Vec<ast::ConditionTree>, or: bool) -> Option<ast::ConditionTree> {
    parts.into_iter().reduce(|l, r| {
        if or {
            ast::ConditionTree::Or(Box::new(l), Box::new(r))
        } else {
            ast::ConditionTree::And(Box::new(l), Box::new(r))
        }
    })
}

fn parse_operator(name: Option<&str>, at: &str) -> Result<ComparisonOperator, Error> {
    let name = name.ok_or_else(|| null_error(at))?;
    ComparisonOperator::from_name(name).ok_or_else(|| enum_error(name, at, OPERATOR_SET))
}

// ---------------------------------------------------------------------------
// Expected

/// Translates `Expected` + `ConditionalOperator` (PutItem, UpdateItem,
/// DeleteItem) into a condition, checking both with DynamoDB's messages.
/// `Ok(None)`: no condition (`Expected` absent or `{}` without an operator).
///
/// Each entry is `{Value}`/`{Exists: true, Value}` (equal), `{Exists:
/// false}` (absent) or `{ComparisonOperator, AttributeValueList}`; a
/// `Value` given with a `ComparisonOperator` and no list serves as the
/// list's only element. Entries combine with `AND`, or with `OR` when
/// `ConditionalOperator` says so, which needs at least two entries.
pub fn expected(
    expected: Option<&ExpectedMap>,
    conditional_operator: Option<&str>,
) -> Result<Option<LegacyCondition>, Error> {
    let mut b = Builder::default();
    let root = expected_tree(&mut b, expected, conditional_operator)?;
    Ok(root.map(|root| b.condition(root, ExpressionKind::Condition)))
}

/// [`expected`] with the request's shared placeholder builder.
pub(crate) fn expected_tree(
    b: &mut Builder,
    expected: Option<&ExpectedMap>,
    conditional_operator: Option<&str>,
) -> Result<Option<ast::ConditionTree>, Error> {
    let count = expected.map_or(0, IndexMap::len);
    let or = check_conditional_operator(conditional_operator, count)?;
    let Some(expected) = expected else {
        return Ok(None);
    };
    let mut parts = Vec::with_capacity(expected.len());
    for (name, entry) in expected {
        parts.push(expected_entry(b, name, entry)?);
    }
    Ok(combine(parts, or))
}

fn expected_entry(
    b: &mut Builder,
    name: &str,
    entry: &ExpectedAttributeValue,
) -> Result<ast::ConditionTree, Error> {
    validate_attribute_name(name)?;
    if entry.value.is_some() && entry.attribute_value_list.is_some() {
        return Err(invalid(format_args!(
            "Value and AttributeValueList cannot be used together for Attribute: {name}"
        )));
    }
    let Some(op_name) = entry.comparison_operator.as_ref().map(|op| op.as_str()) else {
        if entry.attribute_value_list.is_some() {
            return Err(invalid(format_args!(
                "AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}"
            )));
        }
        return match (entry.exists, &entry.value) {
            (Some(false), None) => Ok(ast::ConditionTree::AttributeNotExists(b.path(name))),
            (Some(false), Some(_)) => Err(invalid(format_args!(
                "Value cannot be used when Exists is false for Attribute: {name}"
            ))),
            (exists, None) => {
                let shown = if exists.is_some() { "true" } else { "null" };
                Err(invalid(format_args!(
                    "Value must be provided when Exists is {shown} for Attribute: {name}"
                )))
            }
            (_, Some(v)) => {
                v.validate()?;
                Ok(operator_tree(b, name, Checked::Compare(Comparator::Eq, v)))
            }
        };
    };
    if entry.exists.is_some() {
        return Err(invalid(format_args!(
            "Exists and ComparisonOperator cannot be used together for Attribute: {name}"
        )));
    }
    let op = parse_operator(
        Some(op_name),
        &format!("expected.{name}.member.comparisonOperator"),
    )?;
    let args: &[AttributeValue] = match (&entry.attribute_value_list, &entry.value) {
        (Some(list), _) => list,
        (None, Some(v)) => std::slice::from_ref(v),
        (None, None) => &[],
    };
    let checked = check_arguments(&op, args)?;
    Ok(operator_tree(b, name, checked))
}

// ---------------------------------------------------------------------------
// Filters and key conditions

fn condition_entry(
    b: &mut Builder,
    param: &str,
    name: &str,
    condition: &Condition,
    key: bool,
) -> Result<ast::ConditionTree, Error> {
    validate_attribute_name(name)?;
    let op = parse_operator(
        condition.comparison_operator.as_ref().map(|op| op.as_str()),
        &format!("{param}.{name}.member.comparisonOperator"),
    )?;
    if key && !op.is_key_operator() {
        return Err(Error::validation(NOT_INDEXABLE));
    }
    let args = condition
        .attribute_value_list
        .as_deref()
        .unwrap_or_default();
    let checked = check_arguments(&op, args)?;
    Ok(operator_tree(b, name, checked))
}

fn filter(
    param: &str,
    conditions: Option<&ConditionMap>,
    conditional_operator: Option<&str>,
) -> Result<Option<LegacyCondition>, Error> {
    let mut b = Builder::default();
    let root = filter_tree(&mut b, param, conditions, conditional_operator)?;
    Ok(root.map(|root| b.condition(root, ExpressionKind::Filter)))
}

/// A `QueryFilter` (`param`: `queryFilter`) or `ScanFilter` (`scanFilter`)
/// with the request's shared placeholder builder.
pub(crate) fn filter_tree(
    b: &mut Builder,
    param: &str,
    conditions: Option<&ConditionMap>,
    conditional_operator: Option<&str>,
) -> Result<Option<ast::ConditionTree>, Error> {
    let count = conditions.map_or(0, IndexMap::len);
    let or = check_conditional_operator(conditional_operator, count)?;
    let Some(conditions) = conditions else {
        return Ok(None);
    };
    let mut parts = Vec::with_capacity(conditions.len());
    for (name, condition) in conditions {
        parts.push(condition_entry(b, param, name, condition, false)?);
    }
    Ok(combine(parts, or))
}

/// Translates Query's `QueryFilter` + `ConditionalOperator` into a filter
/// condition (kind [`ExpressionKind::Filter`]), with the same operators and
/// semantics as `Expected`'s `ComparisonOperator` form. `Ok(None)`: no
/// filter. `ConditionalOperator` needs at least two conditions. (Whether a
/// condition names a key attribute, which DynamoDB refuses in
/// `QueryFilter`, is for the Query engine to check.)
pub fn query_filter(
    query_filter: Option<&ConditionMap>,
    conditional_operator: Option<&str>,
) -> Result<Option<LegacyCondition>, Error> {
    filter("queryFilter", query_filter, conditional_operator)
}

/// Translates Scan's `ScanFilter` + `ConditionalOperator`, as
/// [`query_filter`] does.
pub fn scan_filter(
    scan_filter: Option<&ConditionMap>,
    conditional_operator: Option<&str>,
) -> Result<Option<LegacyCondition>, Error> {
    filter("scanFilter", scan_filter, conditional_operator)
}

/// Translates Query's `KeyConditions` into the condition a
/// `KeyConditionExpression` would give (kind
/// [`ExpressionKind::KeyCondition`]): each entry becomes `#k = :v`,
/// `#k < :v` (and `<=`, `>`, `>=`), `begins_with(#k, :v)` or
/// `#k BETWEEN :lo AND :hi`, joined with `AND` in request order, the
/// attribute always on the left. Only `EQ`, `LE`, `LT`, `GE`, `GT`,
/// `BEGINS_WITH` and `BETWEEN` are accepted (others:
/// `Attempted conditional constraint is not an indexable operation`);
/// arguments are checked as for `Expected`. `Ok(None)` for an empty map.
/// Matching the conditions against the key schema (which keys, how many,
/// their types) is left to the Query engine's key-condition analysis.
pub fn key_conditions(key_conditions: &ConditionMap) -> Result<Option<LegacyCondition>, Error> {
    let mut b = Builder::default();
    let root = key_conditions_tree(&mut b, key_conditions)?;
    Ok(root.map(|root| b.condition(root, ExpressionKind::KeyCondition)))
}

/// [`key_conditions`] with the request's shared placeholder builder.
pub(crate) fn key_conditions_tree(
    b: &mut Builder,
    key_conditions: &ConditionMap,
) -> Result<Option<ast::ConditionTree>, Error> {
    let mut parts = Vec::with_capacity(key_conditions.len());
    for (name, condition) in key_conditions {
        parts.push(condition_entry(b, "keyConditions", name, condition, true)?);
    }
    Ok(combine(parts, false))
}

// ---------------------------------------------------------------------------
// AttributesToGet

/// Translates `AttributesToGet` (GetItem; Query and Scan) into a projection
/// of those top-level attributes. The list must not be empty or hold a name
/// twice.
pub fn attributes_to_get(names: &[String]) -> Result<LegacyProjection, Error> {
    let mut b = Builder::default();
    let projection = attributes_to_get_tree(&mut b, names)?;
    Ok(LegacyProjection {
        expression: ProjectionExpression::from_ast(projection),
        names: b.names,
    })
}

/// [`attributes_to_get`] with the request's shared placeholder builder.
pub(crate) fn attributes_to_get_tree(
    b: &mut Builder,
    names: &[String],
) -> Result<ProjectionTree, Error> {
    if names.is_empty() {
        return Err(Error::constraint(
            "[]",
            "attributesToGet",
            "Member must have length greater than or equal to 1",
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    let mut paths = Vec::with_capacity(names.len());
    for name in names {
        validate_attribute_name(name)?;
        if !seen.insert(name.as_str()) {
            return Err(invalid(format_args!(
                "Duplicate value in attribute name: {name}"
            )));
        }
        paths.push(b.path(name));
    }
    Ok(ProjectionTree { paths })
}

mod attribute_updates;
pub use attribute_updates::attribute_updates;
pub(crate) use attribute_updates::attribute_updates_tree;

#[cfg(test)]
mod tests;
