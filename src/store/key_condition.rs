//! KeyConditionExpression (and KeyConditions) analysis: a partition-key value
//! and an optional sort-key condition, with DynamoDB's key-condition messages
//! (spec §10, §15.2). Reversed operands flip the operator (`:v < c` is
//! `c > :v`); one pair of parentheses around each part is allowed by the
//! grammar's redundant-parentheses rule.

use std::ops::Bound;

use crate::ast::{Comparator, ConditionTree, Operand, Path, PathElement};
use crate::condition::ConditionExpression;
use crate::error::Error;
use crate::parser::error::ExpressionKind;
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::store::key::{KeyAttribute, KeySchema, KeyValue, PrimaryKey, ScalarType};
use crate::value::AttributeValue;

use crate::store::range::*;

// ---------------------------------------------------------------------------
// Key conditions

/// The sort-key part of a key condition, with the operator as if the key
/// were on the left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortCondition {
    /// `c = :v`
    Eq(KeyValue),
    /// `c < :v`
    Lt(KeyValue),
    /// `c <= :v`
    Le(KeyValue),
    /// `c > :v`
    Gt(KeyValue),
    /// `c >= :v`
    Ge(KeyValue),
    /// `c BETWEEN :a AND :b` (inclusive)
    Between(KeyValue, KeyValue),
    /// `begins_with(c, :prefix)` (S and B keys)
    BeginsWith(KeyValue),
}

impl SortCondition {
    /// Whether a sort-key value meets the condition.
    pub fn matches(&self, value: &KeyValue) -> bool {
        match self {
            SortCondition::Eq(v) => value == v,
            SortCondition::Lt(v) => value < v,
            SortCondition::Le(v) => value <= v,
            SortCondition::Gt(v) => value > v,
            SortCondition::Ge(v) => value >= v,
            SortCondition::Between(lo, hi) => lo <= value && value <= hi,
            SortCondition::BeginsWith(prefix) => match (value, prefix) {
                (KeyValue::S(s), KeyValue::S(p)) => s.starts_with(p.as_str()),
                (KeyValue::B(b), KeyValue::B(p)) => b.starts_with(p),
                _ => false,
            },
        }
    }

    /// The values the condition compares with (not a `begins_with` prefix,
    /// which may be empty).
    pub(crate) fn values(&self) -> Vec<&KeyValue> {
        match self {
            SortCondition::Eq(v)
            | SortCondition::Lt(v)
            | SortCondition::Le(v)
            | SortCondition::Gt(v)
            | SortCondition::Ge(v) => vec![v],
            SortCondition::Between(lo, hi) => vec![lo, hi],
            SortCondition::BeginsWith(_) => Vec::new(),
        }
    }

    /// The range of sort positions the condition selects.
    pub(crate) fn bounds(&self) -> (Bound<SortPos>, Bound<SortPos>) {
        use Bound::{Excluded, Included};
        let at = |v: &KeyValue| SortPos::Value(v.clone());
        match self {
            SortCondition::Eq(v) => (Included(at(v)), Included(at(v))),
            SortCondition::Lt(v) => (Included(SortPos::Start), Excluded(at(v))),
            SortCondition::Le(v) => (Included(SortPos::Start), Included(at(v))),
            SortCondition::Gt(v) => (Excluded(at(v)), Included(SortPos::End)),
            SortCondition::Ge(v) => (Included(at(v)), Included(SortPos::End)),
            SortCondition::Between(lo, hi) => (Included(at(lo)), Included(at(hi))),
            SortCondition::BeginsWith(p) => (
                Included(at(p)),
                prefix_successor(p).map_or(Included(SortPos::End), |s| Excluded(SortPos::Value(s))),
            ),
        }
    }
}

/// The smallest value greater than every value that starts with `prefix`
/// (`None` when there is none: every value from `prefix` on starts with it).
pub(crate) fn prefix_successor(prefix: &KeyValue) -> Option<KeyValue> {
    match prefix {
        KeyValue::S(s) => {
            // UTF-8 byte order is code-point order: bump the last char that
            // has a successor, dropping the ones after it.
            let mut chars: Vec<char> = s.chars().collect();
            while let Some(last) = chars.pop() {
                let next = match last as u32 {
                    0xD7FF => Some('\u{E000}'),
                    c => char::from_u32(c + 1),
                };
                if let Some(next) = next {
                    chars.push(next);
                    return Some(KeyValue::S(chars.into_iter().collect()));
                }
            }
            None
        }
        KeyValue::B(b) => {
            let mut bytes = b.clone();
            while let Some(last) = bytes.pop() {
                if last < u8::MAX {
                    bytes.push(last + 1);
                    return Some(KeyValue::B(bytes));
                }
            }
            None
        }
        KeyValue::N(_) => None,
    }
}

/// An analysed KeyConditionExpression: the partition to read and an
/// optional condition on the sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCondition {
    /// The partition key value (`p = :v`).
    pub partition: KeyValue,
    /// The sort-key condition, if any.
    pub sort: Option<SortCondition>,
}

pub(crate) fn invalid_key_condition(detail: impl std::fmt::Display) -> Error {
    Error::validation(format!("Invalid KeyConditionExpression: {detail}"))
}

/// One comparison of a key condition: attribute, operator, value (and the
/// upper bound of a `BETWEEN`).
pub(crate) struct Part<'a> {
    name: &'a str,
    op: PartOp,
    value: &'a AttributeValue,
    high: Option<&'a AttributeValue>,
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum PartOp {
    Cmp(Comparator),
    Between,
    BeginsWith,
}

pub(crate) fn flip(op: Comparator) -> Comparator {
    match op {
        Comparator::Lt => Comparator::Gt,
        Comparator::Le => Comparator::Ge,
        Comparator::Gt => Comparator::Lt,
        Comparator::Ge => Comparator::Le,
        other => other,
    }
}

/// The first operator a key condition may not use, in text order.
pub(crate) fn forbidden_operator(cond: &ConditionTree) -> Option<&'static str> {
    match cond {
        ConditionTree::Or(..) => Some("OR"),
        ConditionTree::Not(_) => Some("NOT"),
        ConditionTree::In { .. } => Some("IN"),
        ConditionTree::Compare {
            op: Comparator::Ne, ..
        } => Some("<>"),
        ConditionTree::AttributeExists(_)
        | ConditionTree::AttributeNotExists(_)
        | ConditionTree::AttributeType(..)
        | ConditionTree::Contains(..) => cond.function_name(),
        ConditionTree::And(l, r) => forbidden_operator(l).or_else(|| forbidden_operator(r)),
        ConditionTree::Compare { .. }
        | ConditionTree::Between { .. }
        | ConditionTree::BeginsWith(..) => None,
    }
}

pub(crate) fn flatten<'c>(cond: &'c ConditionTree, out: &mut Vec<&'c ConditionTree>) {
    match cond {
        ConditionTree::And(l, r) => {
            flatten(l, out);
            flatten(r, out);
        }
        other => out.push(other),
    }
}

pub(crate) struct Analyser<'a> {
    names: Option<&'a ExpressionAttributeNames>,
    values: Option<&'a ExpressionAttributeValues>,
}

impl<'a> Analyser<'a> {
    fn multiple() -> Error {
        invalid_key_condition(
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
        )
    }

    fn nested_operation() -> Error {
        invalid_key_condition("KeyConditionExpressions cannot contain nested operations")
    }

    /// The attribute name of a key path (top-level only).
    fn name(&self, path: &'a Path) -> Result<&'a str, Error> {
        let [PathElement::Name(name)] = path.elements.as_slice() else {
            return Err(invalid_key_condition(
                "KeyConditionExpressions cannot have conditions on nested attributes",
            ));
        };
        match name {
            crate::ast::Name::Bare(n) => Ok(n),
            crate::ast::Name::Placeholder(p) => self
                .names
                .and_then(|m| m.get(p.as_ref()))
                .map(String::as_str)
                .ok_or_else(|| {
                    crate::placeholders::undefined_name(ExpressionKind::KeyCondition, p)
                }),
        }
    }

    fn value(&self, operand: &'a Operand) -> Result<&'a AttributeValue, Error> {
        match operand {
            Operand::Value(v) => {
                self.values
                    .and_then(|m| m.get(v.name.as_ref()))
                    .ok_or_else(|| {
                        crate::placeholders::undefined_value(ExpressionKind::KeyCondition, &v.name)
                    })
            }
            Operand::Path(_) => Err(Self::multiple()),
            Operand::Size { .. } => Err(Self::nested_operation()),
        }
    }

    fn first_operand(&self, operand: &'a Operand, function: &str) -> Result<&'a str, Error> {
        match operand {
            Operand::Path(p) => self.name(p),
            Operand::Size { .. } => Err(Self::nested_operation()),
            Operand::Value(_) => Err(invalid_key_condition(format_args!(
                "Invalid condition in KeyConditionExpression: {function} operator must have the key attribute as its first operand"
            ))),
        }
    }

    fn part(&self, cond: &'a ConditionTree) -> Result<Part<'a>, Error> {
        let operands: Vec<&Operand> = match cond {
            ConditionTree::Compare { left, right, .. } => vec![left, right],
            ConditionTree::Between { value, low, high } => vec![value, low, high],
            ConditionTree::BeginsWith(a, b) => vec![a, b],
            _ => Vec::new(),
        };
        if operands.iter().any(|o| matches!(o, Operand::Size { .. })) {
            return Err(Self::nested_operation());
        }
        match cond {
            ConditionTree::Compare { op, left, right } => match (left, right) {
                (Operand::Path(p), other) => Ok(Part {
                    name: self.name(p)?,
                    op: PartOp::Cmp(*op),
                    value: self.value(other)?,
                    high: None,
                }),
                (Operand::Value(_), Operand::Path(p)) => Ok(Part {
                    name: self.name(p)?,
                    op: PartOp::Cmp(flip(*op)),
                    value: self.value(left)?,
                    high: None,
                }),
                _ => Err(invalid_key_condition(
                    "Invalid condition in KeyConditionExpression: No key attribute specified",
                )),
            },
            ConditionTree::Between { value, low, high } => Ok(Part {
                name: self.first_operand(value, "BETWEEN")?,
                op: PartOp::Between,
                value: self.value(low)?,
                high: Some(self.value(high)?),
            }),
            ConditionTree::BeginsWith(a, b) => Ok(Part {
                name: self.first_operand(a, "begins_with")?,
                op: PartOp::BeginsWith,
                value: self.value(b)?,
                high: None,
            }),
            _ => Err(Error::validation("Query key condition not supported")),
        }
    }
}

pub(crate) fn type_mismatch() -> Error {
    Error::validation(
        "One or more parameter values were invalid: Condition parameter type does not match schema type",
    )
}

pub(crate) fn key_value(value: &AttributeValue, scalar: ScalarType) -> Result<KeyValue, Error> {
    match KeyValue::from_attribute(value) {
        Some(k) if value.value_type().code() == scalar.code() => Ok(k),
        _ => Err(type_mismatch()),
    }
}

pub(crate) fn missed(name: &str) -> Error {
    Error::validation(format!("Query condition missed key schema element: {name}"))
}

/// A key condition analysed against a key of several components (a
/// secondary index's: 1..4 HASH then 0..4 RANGE attributes; a table's or a
/// single-attribute index's being the 1 + 0 and 1 + 1 cases): a value for
/// every HASH component, equalities on the leading RANGE components, and
/// an optional condition on the RANGE component after them (indexes.md
/// §5.4, §5.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComponentCondition {
    /// One value per HASH component, in schema order.
    pub(crate) hash: Vec<KeyValue>,
    /// `=` values of the first `range.len()` RANGE components.
    pub(crate) range: Vec<KeyValue>,
    /// The condition on RANGE component `range.len()`, if any. When it is
    /// `None`, `range` is empty: the last RANGE component named always
    /// lands here, even with `=`.
    pub(crate) last: Option<SortCondition>,
}

impl ComponentCondition {
    /// Whether a key (its HASH and RANGE values) meets the condition.
    pub(crate) fn matches(&self, hash: &[KeyValue], range: &[KeyValue]) -> bool {
        let n = self.range.len();
        hash == self.hash.as_slice()
            && range.get(..n) == Some(self.range.as_slice())
            && match &self.last {
                None => true,
                Some(cond) => range.get(n).is_some_and(|v| cond.matches(v)),
            }
    }
}

fn not_supported() -> Error {
    Error::validation("Query key condition not supported")
}

fn is_equality(part: &Part<'_>) -> bool {
    part.op == PartOp::Cmp(Comparator::Eq) && part.high.is_none()
}

/// Analyses a bound KeyConditionExpression against a key of `hash` then
/// `range` components. `expr` must have been bound to the same maps.
///
/// The rules, in DynamoDB's order for single-attribute keys (spec §10,
/// §15.2) and extended to several components as indexes.md §5.9 describes
/// (the messages for several components were never captured: a component
/// that must be named and is not gets `Query condition missed key schema
/// element`, every other shape `Query key condition not supported`):
/// no forbidden operator; at most two conditions for a key of at most two
/// attributes; each condition on one key component, once; every HASH
/// component named; the RANGE components named form a prefix of the RANGE
/// key; `=` on every HASH component and on every RANGE component named but
/// the last; then the values' types.
pub(crate) fn analyse_components(
    expr: &ConditionExpression,
    hash: &[KeyAttribute],
    range: &[KeyAttribute],
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
) -> Result<ComponentCondition, Error> {
    let ast = expr.ast();
    if let Some(op) = forbidden_operator(ast) {
        return Err(invalid_key_condition(format_args!(
            "Invalid operator used in KeyConditionExpression: {op}"
        )));
    }
    let mut conds = Vec::new();
    flatten(ast, &mut conds);
    // A key of more attributes takes more conditions; the extra ones of a
    // longer expression are duplicates or non-key attributes, refused below.
    if conds.len() > 2 && hash.len() + range.len() <= 2 {
        return Err(invalid_key_condition(
            "Conditions can be of length 1 or 2 only",
        ));
    }
    let analyser = Analyser { names, values };
    let parts = conds
        .into_iter()
        .map(|c| analyser.part(c))
        .collect::<Result<Vec<_>, _>>()?;
    let named = |attr: &KeyAttribute| parts.iter().any(|p| p.name == attr.name);
    let mut hash_parts: Vec<Option<&Part<'_>>> = vec![None; hash.len()];
    let mut range_parts: Vec<Option<&Part<'_>>> = vec![None; range.len()];
    for part in &parts {
        let slot = match hash.iter().position(|a| a.name == part.name) {
            Some(i) => hash_parts.get_mut(i),
            None => range
                .iter()
                .position(|a| a.name == part.name)
                .and_then(|i| range_parts.get_mut(i)),
        };
        let Some(slot) = slot else {
            // A condition on an attribute outside the key: the first
            // component not named is missed, else the shape is unsupported.
            return Err(match hash.iter().chain(range).find(|a| !named(a)) {
                Some(attr) => missed(&attr.name),
                None => not_supported(),
            });
        };
        if slot.is_some() {
            return Err(invalid_key_condition(
                "KeyConditionExpressions must only contain one condition per key",
            ));
        }
        *slot = Some(part);
    }
    let mut hash_named = Vec::with_capacity(hash.len());
    for (attr, part) in hash.iter().zip(&hash_parts) {
        match part {
            Some(part) => hash_named.push((attr, *part)),
            None => return Err(missed(&attr.name)),
        }
    }
    // The RANGE components named must be a prefix of the RANGE key.
    let used = range_parts
        .iter()
        .rposition(Option::is_some)
        .map_or(0, |i| i + 1);
    let mut range_named = Vec::with_capacity(used);
    for (attr, part) in range.iter().zip(&range_parts).take(used) {
        match part {
            Some(part) => range_named.push((attr, *part)),
            None => return Err(missed(&attr.name)),
        }
    }
    let last = range_named.pop();
    if !hash_named
        .iter()
        .chain(&range_named)
        .all(|(_, part)| is_equality(part))
    {
        return Err(not_supported());
    }
    let equal = |named: &[(&KeyAttribute, &Part<'_>)]| -> Result<Vec<KeyValue>, Error> {
        named
            .iter()
            .map(|(attr, part)| key_value(part.value, attr.scalar_type))
            .collect()
    };
    let hash = equal(&hash_named)?;
    let range = equal(&range_named)?;
    let last = last
        .map(|(attr, part)| sort_condition(part, attr.scalar_type))
        .transpose()?;
    Ok(ComponentCondition { hash, range, last })
}

impl KeyCondition {
    /// Analyses a bound KeyConditionExpression against a table's key schema.
    /// `expr` must have been bound to the same maps (so placeholders are
    /// defined and the condition language's static checks passed).
    pub fn analyse(
        expr: &ConditionExpression,
        schema: &KeySchema,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<KeyCondition, Error> {
        let sort: &[KeyAttribute] = schema.sort.as_slice();
        let analysed = analyse_components(
            expr,
            std::slice::from_ref(&schema.partition),
            sort,
            names,
            values,
        )?;
        let unexpected = || Error::Internal("a one-attribute key condition has one value".into());
        let Ok([partition]) = <[KeyValue; 1]>::try_from(analysed.hash) else {
            return Err(unexpected());
        };
        if !analysed.range.is_empty() {
            return Err(unexpected());
        }
        Ok(KeyCondition {
            partition,
            sort: analysed.last,
        })
    }

    /// Whether an item's key meets the condition.
    pub fn matches(&self, key: &PrimaryKey) -> bool {
        key.partition == self.partition
            && match (&self.sort, &key.sort) {
                (None, _) => true,
                (Some(cond), Some(value)) => cond.matches(value),
                (Some(_), None) => false,
            }
    }

    /// The map range holding exactly the keys that can match.
    pub(crate) fn range(&self) -> (Bound<BoundKey>, Bound<BoundKey>) {
        let (lo, hi) = self.sort.as_ref().map_or(
            (
                Bound::Included(SortPos::Start),
                Bound::Included(SortPos::End),
            ),
            SortCondition::bounds,
        );
        let at = |sort| BoundKey {
            partition: self.partition.clone(),
            sort,
        };
        (lo.map(at), hi.map(at))
    }
}

pub(crate) fn sort_condition(part: &Part<'_>, scalar: ScalarType) -> Result<SortCondition, Error> {
    if part.op == PartOp::BeginsWith && scalar == ScalarType::N {
        return Err(invalid_key_condition(
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ));
    }
    let first = key_value(part.value, scalar)?;
    let second = part.high.map(|v| key_value(v, scalar)).transpose()?;
    Ok(match (part.op, second) {
        (PartOp::Cmp(Comparator::Eq), None) => SortCondition::Eq(first),
        (PartOp::Cmp(Comparator::Lt), None) => SortCondition::Lt(first),
        (PartOp::Cmp(Comparator::Le), None) => SortCondition::Le(first),
        (PartOp::Cmp(Comparator::Gt), None) => SortCondition::Gt(first),
        (PartOp::Cmp(Comparator::Ge), None) => SortCondition::Ge(first),
        (PartOp::Between, Some(second)) => SortCondition::Between(first, second),
        (PartOp::BeginsWith, None) => SortCondition::BeginsWith(first),
        _ => return Err(Error::validation("Query key condition not supported")),
    })
}

/// Rejects a Query filter that names one of the queried key's attributes
/// (`keys`) anywhere (§6.6; indexes.md §5.5: every component of an index key).
pub(crate) fn check_filter_keys(
    filter: &ConditionTree,
    keys: &[&str],
    names: Option<&ExpressionAttributeNames>,
) -> Result<(), Error> {
    let mut found: Option<String> = None;
    visit_paths(filter, &mut |path: &Path| {
        if found.is_some() {
            return;
        }
        let top = match path.top_name() {
            Some(crate::ast::Name::Bare(n)) => Some(n.as_ref()),
            Some(crate::ast::Name::Placeholder(p)) => {
                names.and_then(|m| m.get(p.as_ref())).map(String::as_str)
            }
            None => None,
        };
        if let Some(top) = top {
            if keys.contains(&top) {
                found = Some(top.to_owned());
            }
        }
    });
    match found {
        Some(key) => Err(Error::validation(format!(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: {key}"
        ))),
        None => Ok(()),
    }
}

fn visit_operand_paths<'c>(operand: &'c Operand, f: &mut impl FnMut(&'c Path)) {
    match operand {
        Operand::Path(p) => f(p),
        Operand::Value(_) => {}
        Operand::Size { arg, .. } => visit_operand_paths(arg, f),
    }
}

fn visit_paths<'c>(cond: &'c ConditionTree, f: &mut impl FnMut(&'c Path)) {
    match cond {
        ConditionTree::Compare { left, right, .. } => {
            visit_operand_paths(left, f);
            visit_operand_paths(right, f);
        }
        ConditionTree::Between { value, low, high } => {
            for o in [value, low, high] {
                visit_operand_paths(o, f);
            }
        }
        ConditionTree::In { value, list } => {
            visit_operand_paths(value, f);
            for o in list {
                visit_operand_paths(o, f);
            }
        }
        ConditionTree::AttributeExists(p) | ConditionTree::AttributeNotExists(p) => f(p),
        ConditionTree::AttributeType(a, b)
        | ConditionTree::BeginsWith(a, b)
        | ConditionTree::Contains(a, b) => {
            visit_operand_paths(a, f);
            visit_operand_paths(b, f);
        }
        ConditionTree::Not(c) => visit_paths(c, f),
        ConditionTree::And(l, r) | ConditionTree::Or(l, r) => {
            visit_paths(l, f);
            visit_paths(r, f);
        }
    }
}

#[cfg(test)]
mod tests;
