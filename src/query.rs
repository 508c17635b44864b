//! Query and Scan: KeyConditionExpression analysis, range reads over the
//! ordered item map, FilterExpression, pagination (spec §6.6, §10).
//!
//! # Key conditions
//!
//! A KeyConditionExpression is parsed with the condition grammar (so syntax,
//! placeholder, operand-type and `BETWEEN`-bound errors are the condition
//! language's, headed `Invalid KeyConditionExpression: `), bound to the
//! request's placeholder maps, then analysed by [`KeyCondition::analyse`]
//! into a partition-key value and an optional [`SortCondition`], with
//! DynamoDB's key-condition messages (§10, §15.2). Reversed operands flip the
//! operator (`:v < c` is `c > :v`); one pair of parentheses around each part
//! is allowed by the grammar's redundant-parentheses rule.
//!
//! # Reading
//!
//! A [`Table`] keeps its items in a `BTreeMap` ordered by (partition, sort).
//! A Query turns its key condition into a range of that map, so it visits only
//! the matching keys; a Scan walks the whole map in key order. Neither holds
//! the map's lock while it evaluates: it copies a bounded batch of
//! (key, slot) pairs out under the read lock, releases it, then locks each
//! slot on its own to read the item, exactly like a GetItem. A page is
//! therefore not a snapshot (nor is DynamoDB's): a write that lands during a
//! page is seen or not depending on where the cursor is.
//!
//! A page ends after `Limit` items were read (before the filter), or when the
//! items read reach 1 MB ([`PAGE_BYTES`], measured as [`crate::item_size`],
//! before filter and projection), or at the end of the range. In the first
//! two cases `LastEvaluatedKey` holds the key of the last item read, even if
//! no further item exists (as DynamoDB does).
//!
//! # Parallel scan
//!
//! `Segment` / `TotalSegments` split the table by a stable hash of the
//! partition key ([`segment_of`]): all items of a partition fall in one
//! segment and every item in exactly one. Each segment still walks the map in
//! key order, skipping keys of other segments (they count neither as read nor
//! toward 1 MB).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::ops::Bound;

use crate::api::{QueryInput, QueryOutput, ScanInput, ScanOutput};
use crate::ast::{Comparator, Condition, Operand, Path, PathElement};
use crate::error::Error;
use crate::eval::{BoundCondition, ConditionExpression};
use crate::expr_error::ExpressionKind;
use crate::legacy;
use crate::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, References, check_all_used, validate_maps,
    validate_value_contents,
};
use crate::projection::{BoundProjection, ProjectionExpression};
use crate::store::{
    KEY_MISMATCH, KeySchema, KeyValue, PrimaryKey, ScalarType, Slot, Store, Table, lock, read,
};
use crate::value::{AttributeValue, Item, item_size};

/// The most item bytes one page reads (1 MB), counted before the filter.
pub const PAGE_BYTES: usize = 1024 * 1024;

/// The most map entries copied out per hold of the map's read lock.
const BATCH: usize = 256;

/// The largest `TotalSegments`.
pub const MAX_TOTAL_SEGMENTS: i64 = 1_000_000;

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

    /// The range of sort positions the condition selects.
    fn bounds(&self) -> (Bound<SortPos>, Bound<SortPos>) {
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
fn prefix_successor(prefix: &KeyValue) -> Option<KeyValue> {
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

fn invalid_key_condition(detail: impl std::fmt::Display) -> Error {
    Error::validation(format!("Invalid KeyConditionExpression: {detail}"))
}

/// One comparison of a key condition: attribute, operator, values.
struct Part<'a> {
    name: &'a str,
    op: PartOp,
    values: Vec<&'a AttributeValue>,
}

#[derive(Clone, Copy, PartialEq)]
enum PartOp {
    Cmp(Comparator),
    Between,
    BeginsWith,
}

fn flip(op: Comparator) -> Comparator {
    match op {
        Comparator::Lt => Comparator::Gt,
        Comparator::Le => Comparator::Ge,
        Comparator::Gt => Comparator::Lt,
        Comparator::Ge => Comparator::Le,
        other => other,
    }
}

/// The first operator a key condition may not use, in text order.
fn forbidden_operator(cond: &Condition) -> Option<&'static str> {
    match cond {
        Condition::Or(..) => Some("OR"),
        Condition::Not(_) => Some("NOT"),
        Condition::In { .. } => Some("IN"),
        Condition::Compare {
            op: Comparator::Ne, ..
        } => Some("<>"),
        Condition::AttributeExists(_)
        | Condition::AttributeNotExists(_)
        | Condition::AttributeType(..)
        | Condition::Contains(..) => cond.function_name(),
        Condition::And(l, r) => forbidden_operator(l).or_else(|| forbidden_operator(r)),
        Condition::Compare { .. } | Condition::Between { .. } | Condition::BeginsWith(..) => None,
    }
}

fn flatten<'c>(cond: &'c Condition, out: &mut Vec<&'c Condition>) {
    match cond {
        Condition::And(l, r) => {
            flatten(l, out);
            flatten(r, out);
        }
        other => out.push(other),
    }
}

struct Analyser<'a> {
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

    fn part(&self, cond: &'a Condition) -> Result<Part<'a>, Error> {
        let operands: Vec<&Operand> = match cond {
            Condition::Compare { left, right, .. } => vec![left, right],
            Condition::Between { value, low, high } => vec![value, low, high],
            Condition::BeginsWith(a, b) => vec![a, b],
            _ => Vec::new(),
        };
        if operands.iter().any(|o| matches!(o, Operand::Size { .. })) {
            return Err(Self::nested_operation());
        }
        match cond {
            Condition::Compare { op, left, right } => match (left, right) {
                (Operand::Path(p), other) => Ok(Part {
                    name: self.name(p)?,
                    op: PartOp::Cmp(*op),
                    values: vec![self.value(other)?],
                }),
                (Operand::Value(_), Operand::Path(p)) => Ok(Part {
                    name: self.name(p)?,
                    op: PartOp::Cmp(flip(*op)),
                    values: vec![self.value(left)?],
                }),
                _ => Err(invalid_key_condition(
                    "Invalid condition in KeyConditionExpression: No key attribute specified",
                )),
            },
            Condition::Between { value, low, high } => Ok(Part {
                name: self.first_operand(value, "BETWEEN")?,
                op: PartOp::Between,
                values: vec![self.value(low)?, self.value(high)?],
            }),
            Condition::BeginsWith(a, b) => Ok(Part {
                name: self.first_operand(a, "begins_with")?,
                op: PartOp::BeginsWith,
                values: vec![self.value(b)?],
            }),
            _ => Err(Error::validation("Query key condition not supported")),
        }
    }
}

fn type_mismatch() -> Error {
    Error::validation(
        "One or more parameter values were invalid: Condition parameter type does not match schema type",
    )
}

fn key_value(value: &AttributeValue, scalar: ScalarType) -> Result<KeyValue, Error> {
    match KeyValue::from_attribute(value) {
        Some(k) if value.value_type().code() == scalar.code() => Ok(k),
        _ => Err(type_mismatch()),
    }
}

fn missed(name: &str) -> Error {
    Error::validation(format!("Query condition missed key schema element: {name}"))
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
        let ast = expr.ast();
        if let Some(op) = forbidden_operator(ast) {
            return Err(invalid_key_condition(format_args!(
                "Invalid operator used in KeyConditionExpression: {op}"
            )));
        }
        let mut conds = Vec::new();
        flatten(ast, &mut conds);
        if conds.len() > 2 {
            return Err(invalid_key_condition(
                "Conditions can be of length 1 or 2 only",
            ));
        }
        let analyser = Analyser { names, values };
        let parts = conds
            .into_iter()
            .map(|c| analyser.part(c))
            .collect::<Result<Vec<_>, _>>()?;
        let mut partition: Option<&Part<'_>> = None;
        let mut sort: Option<&Part<'_>> = None;
        for part in &parts {
            let slot = if part.name == schema.partition.name {
                &mut partition
            } else if schema.sort.as_ref().is_some_and(|s| s.name == part.name) {
                &mut sort
            } else {
                // A condition on an attribute outside the key schema.
                let has_partition = parts.iter().any(|p| p.name == schema.partition.name);
                return Err(match &schema.sort {
                    _ if !has_partition => missed(&schema.partition.name),
                    Some(s) => missed(&s.name),
                    None => Error::validation("Query key condition not supported"),
                });
            };
            if slot.is_some() {
                return Err(invalid_key_condition(
                    "KeyConditionExpressions must only contain one condition per key",
                ));
            }
            *slot = Some(part);
        }
        let Some(p) = partition else {
            return Err(missed(&schema.partition.name));
        };
        let (PartOp::Cmp(Comparator::Eq), [value]) = (p.op, p.values.as_slice()) else {
            return Err(Error::validation("Query key condition not supported"));
        };
        let partition = key_value(value, schema.partition.scalar_type)?;
        let sort = match (sort, &schema.sort) {
            (Some(part), Some(attr)) => Some(sort_condition(part, attr.scalar_type)?),
            _ => None,
        };
        Ok(KeyCondition { partition, sort })
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
    fn range(&self) -> (Bound<BoundKey>, Bound<BoundKey>) {
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

fn sort_condition(part: &Part<'_>, scalar: ScalarType) -> Result<SortCondition, Error> {
    if part.op == PartOp::BeginsWith && scalar == ScalarType::N {
        return Err(invalid_key_condition(
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ));
    }
    let values = part
        .values
        .iter()
        .map(|v| key_value(v, scalar))
        .collect::<Result<Vec<_>, _>>()?;
    let mut values = values.into_iter();
    let (Some(first), second) = (values.next(), values.next()) else {
        return Err(Error::Internal("key condition without a value".into()));
    };
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

// ---------------------------------------------------------------------------
// Range bounds over the item map

/// A position among the sort values of one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SortPos {
    /// Before every sort value (and equal to "no sort key").
    Start,
    Value(KeyValue),
    /// After every sort value.
    End,
}

/// A bound of a range of the item map: a partition and a sort position.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BoundKey {
    partition: KeyValue,
    sort: SortPos,
}

impl BoundKey {
    fn at(key: &PrimaryKey) -> BoundKey {
        BoundKey {
            partition: key.partition.clone(),
            sort: key.sort.clone().map_or(SortPos::Start, SortPos::Value),
        }
    }
}

/// A borrowed sort position, ordered `Start < Value < End`.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortRef<'a> {
    Start,
    Value(&'a KeyValue),
    End,
}

/// Something comparable with the map's keys: a [`PrimaryKey`] or a
/// [`BoundKey`]. `PrimaryKey: Borrow<dyn MapPosition>` lets `BTreeMap::range`
/// take bounds that no key can equal (the end of a partition).
trait MapPosition {
    fn position(&self) -> (&KeyValue, SortRef<'_>);
}

impl MapPosition for PrimaryKey {
    fn position(&self) -> (&KeyValue, SortRef<'_>) {
        // `None < Some(_)` in PrimaryKey's order, as `Start < Value` here.
        (
            &self.partition,
            self.sort.as_ref().map_or(SortRef::Start, SortRef::Value),
        )
    }
}

impl MapPosition for BoundKey {
    fn position(&self) -> (&KeyValue, SortRef<'_>) {
        let sort = match &self.sort {
            SortPos::Start => SortRef::Start,
            SortPos::Value(v) => SortRef::Value(v),
            SortPos::End => SortRef::End,
        };
        (&self.partition, sort)
    }
}

impl PartialEq for dyn MapPosition + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.position() == other.position()
    }
}

impl Eq for dyn MapPosition + '_ {}

impl PartialOrd for dyn MapPosition + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn MapPosition + '_ {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position().cmp(&other.position())
    }
}

impl<'a> Borrow<dyn MapPosition + 'a> for PrimaryKey {
    fn borrow(&self) -> &(dyn MapPosition + 'a) {
        self
    }
}

fn as_dyn(bound: &Bound<BoundKey>) -> Bound<&dyn MapPosition> {
    match bound {
        Bound::Included(k) => Bound::Included(k as &dyn MapPosition),
        Bound::Excluded(k) => Bound::Excluded(k as &dyn MapPosition),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// Whether a range can hold any key (`BTreeMap::range` panics on an
/// inverted range, so this is checked first).
fn non_empty(lo: &Bound<BoundKey>, hi: &Bound<BoundKey>) -> bool {
    match (lo, hi) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => true,
        (Bound::Included(a), Bound::Included(b)) => a.position() <= b.position(),
        (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => {
            a.position() < b.position()
        }
    }
}

/// Copies up to [`BATCH`] (key, slot) pairs of a range out of the map, in
/// order (descending when `!forward`), holding the read lock only meanwhile.
fn batch(
    table: &Table,
    lo: &Bound<BoundKey>,
    hi: &Bound<BoundKey>,
    forward: bool,
) -> Vec<(PrimaryKey, Slot)> {
    if !non_empty(lo, hi) {
        return Vec::new();
    }
    let map = read(&table.items);
    let range = map.range::<dyn MapPosition, _>((as_dyn(lo), as_dyn(hi)));
    let copy = |(k, s): (&PrimaryKey, &Slot)| (k.clone(), s.clone());
    if forward {
        range.take(BATCH).map(copy).collect()
    } else {
        range.rev().take(BATCH).map(copy).collect()
    }
}

// ---------------------------------------------------------------------------
// Segments

/// The segment (of `total`) that holds a partition: FNV-1a over a type tag
/// and the key's bytes (numbers by their canonical text), modulo `total`.
/// Stable across runs and platforms.
pub fn segment_of(partition: &KeyValue, total: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    match partition {
        KeyValue::S(s) => {
            feed(b"S");
            feed(s.as_bytes());
        }
        KeyValue::N(n) => {
            feed(b"N");
            feed(n.to_string().as_bytes());
        }
        KeyValue::B(b) => {
            feed(b"B");
            feed(b);
        }
    }
    hash.checked_rem(total).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Request checks shared by Query and Scan

/// What `Select` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Select {
    All,
    Specific,
    Count,
}

/// Checks `Select`; `projection` names the projection parameter given
/// (`ProjectionExpression` or `AttributesToGet`), if any.
fn select(value: Option<&str>, projection: Option<&str>, verb: &str) -> Result<Select, Error> {
    let given = projection.unwrap_or("ProjectionExpression");
    let projection = projection.is_some();
    match value {
        None => Ok(if projection {
            Select::Specific
        } else {
            Select::All
        }),
        Some("ALL_ATTRIBUTES") if projection => Err(Error::validation(format!(
            "Cannot specify the {given} when choosing to get ALL_ATTRIBUTES"
        ))),
        Some("ALL_ATTRIBUTES") => Ok(Select::All),
        Some("COUNT") if projection => Err(Error::validation(format!(
            "Cannot specify the {given} when choosing to get only the Count"
        ))),
        Some("COUNT") => Ok(Select::Count),
        Some("SPECIFIC_ATTRIBUTES") if projection => Ok(Select::Specific),
        Some("SPECIFIC_ATTRIBUTES") => Err(Error::validation(
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
        )),
        Some("ALL_PROJECTED_ATTRIBUTES") => Err(Error::validation(format!(
            "ALL_PROJECTED_ATTRIBUTES can be used only when {verb} using an IndexName"
        ))),
        Some(other) => Err(Error::validation(format!(
            "1 validation error detected: Value '{other}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
        ))),
    }
}

/// The projection parameter a request gives, for `Select`'s messages.
fn projection_parameter(expression: bool, attributes_to_get: bool) -> Option<&'static str> {
    if expression {
        Some("ProjectionExpression")
    } else if attributes_to_get {
        Some("AttributesToGet")
    } else {
        None
    }
}

fn limit(value: Option<i64>) -> Result<Option<usize>, Error> {
    match value {
        None => Ok(None),
        Some(n) if n >= 1 => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        Some(n) => Err(Error::validation(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        ))),
    }
}

fn no_index(index: Option<&str>) -> Result<(), Error> {
    match index {
        None => Ok(()),
        Some(name) => Err(Error::validation(format!(
            "The table does not have the specified index: {name}"
        ))),
    }
}

/// The parsed expressions of a Query or Scan.
struct ReadExpressions {
    key: Option<ConditionExpression>,
    filter: Option<ConditionExpression>,
    projection: Option<ProjectionExpression>,
}

impl ReadExpressions {
    fn parse(
        key: Option<&str>,
        filter: Option<&str>,
        projection: Option<&str>,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<Self, Error> {
        validate_maps(names, values)?;
        let condition =
            |text: &str, kind| ConditionExpression::parse_in_request(text, kind, names, values);
        Ok(ReadExpressions {
            key: key
                .map(|t| condition(t, ExpressionKind::KeyCondition))
                .transpose()?,
            filter: filter
                .map(|t| condition(t, ExpressionKind::Filter))
                .transpose()?,
            projection: projection.map(ProjectionExpression::parse).transpose()?,
        })
    }

    fn references(&self) -> Vec<References> {
        self.key
            .iter()
            .chain(&self.filter)
            .map(ConditionExpression::references)
            .chain(self.projection.iter().map(ProjectionExpression::references))
            .collect()
    }
}

/// Rejects a Query filter that names a key attribute anywhere (§6.6).
fn check_filter_keys(
    filter: &Condition,
    schema: &KeySchema,
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
            if schema.names().contains(&top) {
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

fn visit_paths<'c>(cond: &'c Condition, f: &mut impl FnMut(&'c Path)) {
    match cond {
        Condition::Compare { left, right, .. } => {
            visit_operand_paths(left, f);
            visit_operand_paths(right, f);
        }
        Condition::Between { value, low, high } => {
            for o in [value, low, high] {
                visit_operand_paths(o, f);
            }
        }
        Condition::In { value, list } => {
            visit_operand_paths(value, f);
            for o in list {
                visit_operand_paths(o, f);
            }
        }
        Condition::AttributeExists(p) | Condition::AttributeNotExists(p) => f(p),
        Condition::AttributeType(a, b)
        | Condition::BeginsWith(a, b)
        | Condition::Contains(a, b) => {
            visit_operand_paths(a, f);
            visit_operand_paths(b, f);
        }
        Condition::Not(c) => visit_paths(c, f),
        Condition::And(l, r) | Condition::Or(l, r) => {
            visit_paths(l, f);
            visit_paths(r, f);
        }
    }
}

// ---------------------------------------------------------------------------
// The page loop

/// What one page reads and returns.
struct PageSpec<'a> {
    limit: Option<usize>,
    filter: Option<BoundCondition<'a>>,
    projection: Option<BoundProjection<'a>>,
    select: Select,
}

struct Page {
    items: Option<Vec<Item>>,
    count: u64,
    scanned: u64,
    last_evaluated_key: Option<Item>,
}

/// Reads one page of the range `lo..hi` (descending when `!forward`),
/// keeping keys for which `keep` holds.
fn read_page(
    table: &Table,
    mut lo: Bound<BoundKey>,
    mut hi: Bound<BoundKey>,
    forward: bool,
    keep: impl Fn(&PrimaryKey) -> bool,
    spec: &PageSpec<'_>,
) -> Page {
    let mut items = Vec::new();
    let (mut count, mut scanned, mut bytes) = (0u64, 0u64, 0usize);
    let mut last: Option<PrimaryKey> = None;
    let mut stopped = false;
    'pages: loop {
        let batch = batch(table, &lo, &hi, forward);
        let full = batch.len() == BATCH;
        for (key, slot) in &batch {
            if !keep(key) {
                continue;
            }
            let guard = lock(slot);
            let Some(item) = guard.as_ref() else { continue };
            scanned += 1;
            bytes = bytes.saturating_add(item_size(item));
            if spec.filter.as_ref().is_none_or(|f| f.evaluate(item)) {
                count += 1;
                if spec.select != Select::Count {
                    items.push(match &spec.projection {
                        Some(p) => p.project(item),
                        None => item.clone(),
                    });
                }
            }
            drop(guard);
            last = Some(key.clone());
            if spec.limit.is_some_and(|l| scanned >= l as u64) || bytes >= PAGE_BYTES {
                stopped = true;
                break 'pages;
            }
        }
        match batch.last() {
            Some((key, _)) if full => {
                let after = Bound::Excluded(BoundKey::at(key));
                if forward {
                    lo = after;
                } else {
                    hi = after;
                }
            }
            _ => break,
        }
    }
    Page {
        items: (spec.select != Select::Count).then_some(items),
        count,
        scanned,
        last_evaluated_key: if stopped {
            last.map(|k| table.schema().key_item(&k))
        } else {
            None
        },
    }
}

// ---------------------------------------------------------------------------
// Query and Scan on the store

impl Store {
    /// `Query`: the items of one partition that meet the key condition, in
    /// sort-key order (descending with `ScanIndexForward: false`), one page
    /// at a time, filtered and projected.
    ///
    /// ```
    /// use dynacond::api::*;
    /// use dynacond::{AttributeValue, Store, wire};
    ///
    /// let store = Store::new();
    /// store.create_table(wire::from_str(r#"{"TableName": "events",
    ///     "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "t", "KeyType": "RANGE"}],
    ///     "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "t", "AttributeType": "N"}]}"#)?)?;
    /// for t in 1..=5 {
    ///     let item = wire::item_from_json(format!(r#"{{"p": {{"S": "u1"}}, "t": {{"N": "{t}"}}}}"#).as_bytes())?;
    ///     store.put_item(PutItemInput::new("events", item))?;
    /// }
    /// let page = store.query(
    ///     QueryInput::new("events", "p = :p AND t >= :t")
    ///         .with_value(":p", AttributeValue::s("u1"))
    ///         .with_value(":t", AttributeValue::n(2))
    ///         .with_limit(2),
    /// )?;
    /// assert_eq!(page.count, 2);
    /// assert!(page.last_evaluated_key.is_some());
    /// # Ok::<(), dynacond::Error>(())
    /// ```
    pub fn query(&self, input: QueryInput) -> Result<QueryOutput, Error> {
        legacy::check_mixing(
            &[
                ("KeyConditions", input.key_conditions.is_some()),
                ("QueryFilter", input.query_filter.is_some()),
                ("ConditionalOperator", input.conditional_operator.is_some()),
                ("AttributesToGet", input.attributes_to_get.is_some()),
            ],
            &[
                (
                    "KeyConditionExpression",
                    input.key_condition_expression.is_some(),
                ),
                ("FilterExpression", input.filter_expression.is_some()),
                (
                    "ProjectionExpression",
                    input.projection_expression.is_some(),
                ),
            ],
        )?;
        let limit = limit(input.limit)?;
        let table = self.table(&input.table_name)?;
        no_index(input.index_name.as_deref())?;
        let (names, values) = (
            input.expression_attribute_names.as_ref(),
            input.expression_attribute_values.as_ref(),
        );
        // The legacy parameters, translated into the same trees (mixing
        // them with expressions was refused above).
        let legacy_key = match &input.key_conditions {
            Some(map) => legacy::key_conditions(map)?,
            None => None,
        };
        let legacy_filter = legacy::query_filter(
            input.query_filter.as_ref(),
            input.conditional_operator.as_deref(),
        )?;
        let legacy_projection = input
            .attributes_to_get
            .as_deref()
            .map(legacy::attributes_to_get)
            .transpose()?;
        if input.key_condition_expression.is_none() && legacy_key.is_none() {
            return Err(Error::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            ));
        }
        if input.key_condition_expression.is_none() {
            legacy::check_placeholders_need_expressions(
                names.is_some(),
                values.is_some(),
                &[
                    ("KeyConditionExpression", false),
                    ("FilterExpression", input.filter_expression.is_some()),
                    (
                        "ProjectionExpression",
                        input.projection_expression.is_some(),
                    ),
                ],
            )?;
        }
        let select = select(
            input.select.as_deref(),
            projection_parameter(
                input.projection_expression.is_some(),
                input.attributes_to_get.is_some(),
            ),
            "Querying",
        )?;
        let schema = table.schema();
        let exprs = ReadExpressions::parse(
            input.key_condition_expression.as_deref(),
            input.filter_expression.as_deref(),
            input.projection_expression.as_deref(),
            names,
            values,
        )?;
        let key = match (&exprs.key, &legacy_key) {
            (Some(key_expr), _) => {
                key_expr.bind(names, values)?;
                KeyCondition::analyse(key_expr, schema, names, values)?
            }
            (None, Some(l)) => {
                l.bind()?;
                KeyCondition::analyse(l.expression(), schema, Some(l.names()), Some(l.values()))?
            }
            (None, None) => {
                return Err(Error::Internal("Query without a key condition".into()));
            }
        };
        let filter = match (&exprs.filter, &legacy_filter) {
            (Some(f), _) => {
                let bound = f.bind(names, values)?;
                check_filter_keys(f.ast(), schema, names)?;
                Some(bound)
            }
            (None, Some(l)) => {
                let bound = l.bind()?;
                check_filter_keys(l.ast(), schema, Some(l.names()))?;
                Some(bound)
            }
            (None, None) => None,
        };
        let projection =
            legacy::bind_projection(exprs.projection.as_ref(), names, legacy_projection.as_ref())?;
        if let Some(values) = values {
            validate_value_contents(values)?;
        }
        let refs = exprs.references();
        check_all_used(names, values, &refs.iter().collect::<Vec<_>>())?;

        let forward = input.scan_index_forward.unwrap_or(true);
        let (mut lo, mut hi) = key.range();
        if let Some(start) = &input.exclusive_start_key {
            let start = schema.key_of_map(start).map_err(|e| {
                if e.message() == KEY_MISMATCH {
                    Error::validation("The provided starting key is invalid")
                } else {
                    e
                }
            })?;
            if start.partition != key.partition {
                return Err(Error::validation(
                    "The provided starting key is outside query boundaries based on provided conditions",
                ));
            }
            if !key.matches(&start) {
                return Err(Error::validation(
                    "The provided starting key does not match the range key predicate",
                ));
            }
            if forward {
                lo = Bound::Excluded(BoundKey::at(&start));
            } else {
                hi = Bound::Excluded(BoundKey::at(&start));
            }
        }
        let spec = PageSpec {
            limit,
            filter,
            projection,
            select,
        };
        let page = read_page(&table, lo, hi, forward, |k| key.matches(k), &spec);
        Ok(QueryOutput {
            items: page.items,
            count: page.count,
            scanned_count: page.scanned,
            last_evaluated_key: page.last_evaluated_key,
        })
    }

    /// `Scan`: every item of the table (or of one segment), in key order,
    /// one page at a time, filtered and projected.
    pub fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        legacy::check_mixing(
            &[
                ("ScanFilter", input.scan_filter.is_some()),
                ("ConditionalOperator", input.conditional_operator.is_some()),
                ("AttributesToGet", input.attributes_to_get.is_some()),
            ],
            &[
                ("FilterExpression", input.filter_expression.is_some()),
                (
                    "ProjectionExpression",
                    input.projection_expression.is_some(),
                ),
            ],
        )?;
        let limit = limit(input.limit)?;
        let segment = segments(input.segment, input.total_segments)?;
        let table = self.table(&input.table_name)?;
        no_index(input.index_name.as_deref())?;
        let select = select(
            input.select.as_deref(),
            projection_parameter(
                input.projection_expression.is_some(),
                input.attributes_to_get.is_some(),
            ),
            "Scanning",
        )?;
        let schema = table.schema();
        let (names, values) = (
            input.expression_attribute_names.as_ref(),
            input.expression_attribute_values.as_ref(),
        );
        let legacy_filter = legacy::scan_filter(
            input.scan_filter.as_ref(),
            input.conditional_operator.as_deref(),
        )?;
        let legacy_projection = input
            .attributes_to_get
            .as_deref()
            .map(legacy::attributes_to_get)
            .transpose()?;
        if input.filter_expression.is_none() {
            if input.projection_expression.is_none() && names.is_some() {
                return Err(Error::validation(
                    "ExpressionAttributeNames can only be specified when using expressions",
                ));
            }
            if values.is_some() {
                return Err(Error::validation(
                    "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
                ));
            }
        }
        let exprs = ReadExpressions::parse(
            None,
            input.filter_expression.as_deref(),
            input.projection_expression.as_deref(),
            names,
            values,
        )?;
        let filter = match (&exprs.filter, &legacy_filter) {
            (Some(f), _) => Some(f.bind(names, values)?),
            (None, Some(l)) => Some(l.bind()?),
            (None, None) => None,
        };
        let projection =
            legacy::bind_projection(exprs.projection.as_ref(), names, legacy_projection.as_ref())?;
        if let Some(values) = values {
            validate_value_contents(values)?;
        }
        let refs = exprs.references();
        check_all_used(names, values, &refs.iter().collect::<Vec<_>>())?;

        let mut lo = Bound::Unbounded;
        if let Some(start) = &input.exclusive_start_key {
            let start = schema.key_of_map(start).map_err(|e| {
                if e.message() == KEY_MISMATCH {
                    Error::validation(
                        "The provided starting key is invalid: The provided key element does not match the schema",
                    )
                } else {
                    e
                }
            })?;
            if let Some((segment, total)) = segment {
                if segment_of(&start.partition, total) != segment {
                    return Err(Error::validation(format!(
                        "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {total} Segment: {segment}"
                    )));
                }
            }
            lo = Bound::Excluded(BoundKey::at(&start));
        }
        let spec = PageSpec {
            limit,
            filter,
            projection,
            select,
        };
        let keep = |k: &PrimaryKey| {
            segment.is_none_or(|(segment, total)| segment_of(&k.partition, total) == segment)
        };
        let page = read_page(&table, lo, Bound::Unbounded, true, keep, &spec);
        Ok(ScanOutput {
            items: page.items,
            count: page.count,
            scanned_count: page.scanned,
            last_evaluated_key: page.last_evaluated_key,
        })
    }
}

/// Checks `Segment` / `TotalSegments`: both or neither, in range, segment
/// below the total. Gives `(segment, total)`.
fn segments(segment: Option<i64>, total: Option<i64>) -> Result<Option<(u64, u64)>, Error> {
    let constraint = |value: i64, member: &str, constraint: &str| {
        Error::validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value {constraint}"
        ))
    };
    if let Some(t) = total {
        if t < 1 {
            return Err(constraint(t, "totalSegments", "greater than or equal to 1"));
        }
        if t > MAX_TOTAL_SEGMENTS {
            return Err(constraint(
                t,
                "totalSegments",
                &format!("less than or equal to {MAX_TOTAL_SEGMENTS}"),
            ));
        }
    }
    if let Some(s) = segment {
        if s < 0 {
            return Err(constraint(s, "segment", "greater than or equal to 0"));
        }
        if s >= MAX_TOTAL_SEGMENTS {
            return Err(constraint(
                s,
                "segment",
                &format!("less than or equal to {}", MAX_TOTAL_SEGMENTS - 1),
            ));
        }
    }
    match (segment, total) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(Error::validation(
            "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
        )),
        (None, Some(_)) => Err(Error::validation(
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
        )),
        (Some(s), Some(t)) if s >= t => Err(Error::validation(format!(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"
        ))),
        (Some(s), Some(t)) => Ok(Some((s.unsigned_abs(), t.unsigned_abs()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::PutItemInput;
    use crate::wire;

    fn schema(sort: ScalarType) -> KeySchema {
        wire_schema(Some(sort))
    }

    fn wire_schema(sort: Option<ScalarType>) -> KeySchema {
        use crate::store::KeyAttribute;
        KeySchema {
            partition: KeyAttribute {
                name: "p".into(),
                scalar_type: ScalarType::S,
            },
            sort: sort.map(|scalar_type| KeyAttribute {
                name: "c".into(),
                scalar_type,
            }),
        }
    }

    fn analyse(text: &str, values: &[(&str, AttributeValue)]) -> Result<KeyCondition, Error> {
        let values: ExpressionAttributeValues = values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let expr = ConditionExpression::parse_as(text, ExpressionKind::KeyCondition)?;
        expr.bind(None, Some(&values))?;
        KeyCondition::analyse(&expr, &schema(ScalarType::N), None, Some(&values))
    }

    fn n(x: i64) -> KeyValue {
        KeyValue::N(Number::from(x))
    }

    use crate::number::Number;

    #[test]
    fn reversed_operands_flip_the_operator() {
        let p = (":p", AttributeValue::s("k"));
        let v = (":v", AttributeValue::n(3));
        for (text, want) in [
            ("p = :p AND :v < c", SortCondition::Gt(n(3))),
            ("p = :p AND :v <= c", SortCondition::Ge(n(3))),
            ("p = :p AND :v > c", SortCondition::Lt(n(3))),
            ("p = :p AND :v >= c", SortCondition::Le(n(3))),
            ("p = :p AND :v = c", SortCondition::Eq(n(3))),
            ("c < :v AND :p = p", SortCondition::Lt(n(3))),
        ] {
            let got = analyse(text, &[p.clone(), v.clone()]).unwrap();
            assert_eq!(got.partition, KeyValue::S("k".into()), "{text}");
            assert_eq!(got.sort, Some(want), "{text}");
        }
        assert_eq!(analyse("p = :p", &[p]).unwrap().sort, None);
    }

    #[test]
    fn sort_conditions_match_and_bound() {
        let cases = [
            (SortCondition::Eq(n(2)), [false, true, false]),
            (SortCondition::Lt(n(2)), [true, false, false]),
            (SortCondition::Le(n(2)), [true, true, false]),
            (SortCondition::Gt(n(2)), [false, false, true]),
            (SortCondition::Ge(n(2)), [false, true, true]),
            (SortCondition::Between(n(1), n(2)), [true, true, false]),
        ];
        for (cond, want) in cases {
            let got = [1, 2, 3].map(|x| cond.matches(&n(x)));
            assert_eq!(got, want, "{cond:?}");
        }
        let prefix = SortCondition::BeginsWith(KeyValue::S("ab".into()));
        assert!(prefix.matches(&KeyValue::S("abc".into())));
        assert!(!prefix.matches(&KeyValue::S("a".into())));
        assert!(!prefix.matches(&n(1)));
    }

    #[test]
    fn prefix_successors() {
        let s = |x: &str| Some(KeyValue::S(x.into()));
        assert_eq!(prefix_successor(&KeyValue::S("ab".into())), s("ac"));
        assert_eq!(
            prefix_successor(&KeyValue::S("a\u{D7FF}".into())),
            s("a\u{E000}")
        );
        assert_eq!(prefix_successor(&KeyValue::S("a\u{10FFFF}".into())), s("b"));
        assert_eq!(prefix_successor(&KeyValue::S("\u{10FFFF}".into())), None);
        assert_eq!(prefix_successor(&KeyValue::S(String::new())), None);
        let b = |x: &[u8]| Some(KeyValue::B(x.to_vec()));
        assert_eq!(prefix_successor(&KeyValue::B(vec![1, 0xFF])), b(&[2]));
        assert_eq!(prefix_successor(&KeyValue::B(vec![0x7F])), b(&[0x80]));
        assert_eq!(prefix_successor(&KeyValue::B(vec![0xFF, 0xFF])), None);
    }

    #[test]
    fn empty_and_inverted_ranges_read_nothing() {
        let at = |x| BoundKey {
            partition: KeyValue::S("k".into()),
            sort: SortPos::Value(n(x)),
        };
        assert!(non_empty(&Bound::Included(at(1)), &Bound::Included(at(1))));
        assert!(!non_empty(&Bound::Excluded(at(1)), &Bound::Excluded(at(1))));
        assert!(!non_empty(&Bound::Included(at(1)), &Bound::Excluded(at(1))));
        assert!(!non_empty(&Bound::Included(at(2)), &Bound::Included(at(1))));
        assert!(non_empty(&Bound::Excluded(at(2)), &Bound::Unbounded));
    }

    #[test]
    fn segments_are_stable_and_spread() {
        // Fixed values: changing the hash would move items between the
        // segments of a parallel scan already under way.
        assert_eq!(segment_of(&KeyValue::S("k1".into()), 1), 0);
        let spread: std::collections::BTreeSet<u64> = (0..200)
            .map(|i| segment_of(&KeyValue::S(format!("p{i}")), 4))
            .collect();
        assert_eq!(spread.len(), 4);
        // Numbers hash by value, whatever the spelling.
        let a = KeyValue::N("1000".parse().unwrap());
        let b = KeyValue::N("1E+3".parse().unwrap());
        assert_eq!(segment_of(&a, 97), segment_of(&b, 97));
        assert_eq!(segment_of(&a, 0), 0);
    }

    #[test]
    fn long_partitions_cross_batches_both_ways() {
        let store = Store::new();
        store
            .create_table(
                wire::from_str(
                    r#"{"TableName": "tbl", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                    {"AttributeName": "c", "KeyType": "RANGE"}],
                    "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                    {"AttributeName": "c", "AttributeType": "N"}]}"#,
                )
                .unwrap(),
            )
            .unwrap();
        let count = BATCH * 2 + 17;
        for p in ["a", "b", "c"] {
            for c in 0..count {
                let item = wire::item_from_json(
                    format!(r#"{{"p": {{"S": "{p}"}}, "c": {{"N": "{c}"}}}}"#).as_bytes(),
                )
                .unwrap();
                store.put_item(PutItemInput::new("tbl", item)).unwrap();
            }
        }
        for forward in [true, false] {
            let out = store
                .query(
                    QueryInput::new("tbl", "p = :p AND c >= :c")
                        .with_value(":p", AttributeValue::s("b"))
                        .with_value(":c", AttributeValue::n(10))
                        .with_scan_index_forward(forward),
                )
                .unwrap();
            let got: Vec<i64> = out
                .items
                .unwrap()
                .iter()
                .map(|i| i["c"].as_n().unwrap().to_i64().unwrap())
                .collect();
            let mut want: Vec<i64> = (10..count as i64).collect();
            if !forward {
                want.reverse();
            }
            assert_eq!(got, want);
            assert_eq!(out.scanned_count, want.len() as u64);
        }
        let all = store.scan(ScanInput::new("tbl")).unwrap();
        assert_eq!(all.count as usize, 3 * count);
    }

    #[test]
    fn no_sort_condition_on_a_hash_only_table() {
        let values: ExpressionAttributeValues = [(":p".to_owned(), AttributeValue::s("k"))]
            .into_iter()
            .collect();
        let expr = ConditionExpression::parse_as("p = :p", ExpressionKind::KeyCondition).unwrap();
        let key = KeyCondition::analyse(&expr, &wire_schema(None), None, Some(&values)).unwrap();
        let (lo, hi) = key.range();
        let item = PrimaryKey {
            partition: KeyValue::S("k".into()),
            sort: None,
        };
        let pos = item.position();
        assert!(matches!(&lo, Bound::Included(b) if b.position() <= pos));
        assert!(matches!(&hi, Bound::Included(b) if b.position() >= pos));
        assert!(key.matches(&item));
    }
}
