//! A SELECT's access path (spec partiql.md §7.1, §7.4): key reads of one
//! or several partitions (each a Query's key condition) when the WHERE pins
//! the partition key, otherwise a scan; and the order of the reads.
//!
//! Either way the whole WHERE is the filter, evaluated by the ordinary
//! evaluator on every item read, so the result set does not depend on the
//! access path; the key reads only narrow what is read, as a Query's key
//! condition does.
//!
//! * One branch (no top-level `OR`): a `p = v` or `p IN [...]` conjunct
//!   makes key reads of those partitions; the first conjunct on the sort key
//!   that a key condition can express (`=`, `<`, `<=`, `>`, `>=`, `BETWEEN`,
//!   `begins_with`) narrows each read.
//! * Several branches: decomposed the same way when every branch pins the
//!   partition key and none holds another predicate on the sort key (a
//!   negation, `<>`, `IN`, ...), else a scan. Two reads of one partition
//!   whose sort ranges meet are DynamoDB's
//!   `Overlapping conditions with range keys are not supported in where clause`
//!   (identical reads are merged).

use std::cmp::Ordering;
use std::ops::Bound;

use crate::ast::{Comparator, ConditionTree, Name, Operand, PathElement};
use crate::error::Error;
use crate::partiql::keys::conjuncts;
use crate::partiql::syntax::OrderItem;
use crate::placeholders::ExpressionAttributeValues;
use crate::store::key::{KeyAttribute, KeySchema, KeyValue, ScalarType};
use crate::store::key_condition::{KeyCondition, SortCondition, flip};
use crate::store::range::{BoundKey, MapPosition};
use crate::value::AttributeValue;

/// How a SELECT reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Access {
    /// The whole table or index.
    Scan,
    /// These partitions (and sort ranges), in this order.
    Keys(Vec<KeyCondition>),
}

/// The access path and the direction of the reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub(crate) access: Access,
    /// Sort keys descending within each partition.
    pub(crate) descending: bool,
}

fn overlapping() -> Error {
    Error::validation("Overlapping conditions with range keys are not supported in where clause")
}

/// The top-level disjuncts of a condition, in text order.
fn disjuncts(cond: &ConditionTree) -> Vec<&ConditionTree> {
    let mut out = Vec::new();
    let mut stack = vec![cond];
    while let Some(c) = stack.pop() {
        match c {
            ConditionTree::Or(l, r) => {
                stack.push(r);
                stack.push(l);
            }
            other => out.push(other),
        }
    }
    out
}

fn top_name(operand: &Operand) -> Option<&str> {
    match operand.as_path()?.elements.as_slice() {
        [PathElement::Name(Name::Bare(n))] => Some(n),
        _ => None,
    }
}

struct Planner<'a> {
    schema: &'a KeySchema,
    values: &'a ExpressionAttributeValues,
}

impl Planner<'_> {
    fn value(&self, operand: &Operand) -> Option<&AttributeValue> {
        match operand {
            Operand::Value(v) => self.values.get(v.name.as_ref()),
            _ => None,
        }
    }

    /// The value as a key of this attribute's type.
    fn key_value(&self, operand: &Operand, scalar: ScalarType) -> Option<KeyValue> {
        let v = self.value(operand)?;
        let attr = KeyAttribute {
            name: String::new(),
            scalar_type: scalar,
        };
        KeySchema::typed(&attr, v)
    }

    /// The partitions a conjunct pins: `p = v`, `v = p` or `p IN [...]`.
    fn partitions(&self, c: &ConditionTree) -> Option<Vec<KeyValue>> {
        let pk = &self.schema.partition;
        match c {
            ConditionTree::Compare {
                op: Comparator::Eq,
                left,
                right,
            } => {
                let (path, value) = if top_name(left) == Some(pk.name.as_str()) {
                    (left, right)
                } else {
                    (right, left)
                };
                (top_name(path) == Some(pk.name.as_str()))
                    .then(|| self.key_value(value, pk.scalar_type))
                    .flatten()
                    .map(|v| vec![v])
            }
            ConditionTree::In { value, list } if top_name(value) == Some(pk.name.as_str()) => list
                .iter()
                .map(|o| self.key_value(o, pk.scalar_type))
                .collect(),
            _ => None,
        }
    }

    /// A conjunct a key condition can express on the sort key.
    fn sort_condition(&self, c: &ConditionTree, sk: &KeyAttribute) -> Option<SortCondition> {
        let is_sk = |o: &Operand| top_name(o) == Some(sk.name.as_str());
        let key = |o: &Operand| self.key_value(o, sk.scalar_type);
        match c {
            ConditionTree::Compare { op, left, right } if *op != Comparator::Ne => {
                let (op, value) = if is_sk(left) {
                    (*op, key(right)?)
                } else if is_sk(right) {
                    (flip(*op), key(left)?)
                } else {
                    return None;
                };
                Some(match op {
                    Comparator::Eq => SortCondition::Eq(value),
                    Comparator::Lt => SortCondition::Lt(value),
                    Comparator::Le => SortCondition::Le(value),
                    Comparator::Gt => SortCondition::Gt(value),
                    Comparator::Ge => SortCondition::Ge(value),
                    Comparator::Ne => return None,
                })
            }
            ConditionTree::Between { value, low, high } if is_sk(value) => {
                let (lo, hi) = (key(low)?, key(high)?);
                (lo <= hi).then_some(SortCondition::Between(lo, hi))
            }
            ConditionTree::BeginsWith(value, prefix)
                if is_sk(value) && sk.scalar_type != ScalarType::N =>
            {
                Some(SortCondition::BeginsWith(key(prefix)?))
            }
            _ => None,
        }
    }

    /// The reads of one branch, and whether it holds a predicate on the
    /// sort key that no key condition expresses; `None` when it does not pin
    /// the partition key.
    fn branch(&self, branch: &ConditionTree) -> Option<(Vec<KeyCondition>, bool)> {
        let mut partitions: Option<Vec<KeyValue>> = None;
        let mut sort: Option<SortCondition> = None;
        let mut other_sort = false;
        for c in conjuncts(branch) {
            if partitions.is_none() {
                if let Some(p) = self.partitions(c) {
                    partitions = Some(p);
                    continue;
                }
            }
            if let Some(sk) = &self.schema.sort {
                if sort.is_none() {
                    if let Some(s) = self.sort_condition(c, sk) {
                        sort = Some(s);
                        continue;
                    }
                }
                other_sort |= mentions(c, &sk.name);
            }
        }
        let reads = partitions?
            .into_iter()
            .map(|partition| KeyCondition {
                partition,
                sort: sort.clone(),
            })
            .collect();
        Some((reads, other_sort))
    }
}

/// The top-level attribute names a condition reads, in text order of
/// first use (also inside `size(...)`).
pub(crate) fn top_names(c: &ConditionTree) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    visit(c, &mut |o| {
        let mut operand = o;
        while let Operand::Size { arg, .. } = operand {
            operand = arg;
        }
        if let Some(name) = operand.as_path().and_then(|p| p.top_name()) {
            if !names.iter().any(|n| n == name.as_str()) {
                names.push(name.as_str().to_owned());
            }
        }
    });
    names
}

/// PartiQL's limit on the values of an `IN` on the partition key (spec
/// partiql.md §4.1, documented; the error text was never captured).
pub(crate) const MAX_PARTITION_IN_VALUES: usize = 50;

/// Refuses an `IN` of more than [`MAX_PARTITION_IN_VALUES`] values on the
/// partition key of the table or index read.
fn check_partition_in(filter: &ConditionTree, schema: &KeySchema) -> Result<(), Error> {
    let mut refused = None;
    let mut stack = vec![filter];
    while let Some(c) = stack.pop() {
        match c {
            ConditionTree::In { value, list }
                if top_name(value) == Some(schema.partition.name.as_str())
                    && list.len() > MAX_PARTITION_IN_VALUES =>
            {
                refused.get_or_insert(list.len());
            }
            ConditionTree::And(l, r) | ConditionTree::Or(l, r) => {
                stack.push(r);
                stack.push(l);
            }
            ConditionTree::Not(c) => stack.push(c),
            _ => {}
        }
    }
    match refused {
        Some(count) => Err(Error::validation(format!(
            "The IN operator on the hash key {} is provided with too many operands; number of operands: {count}, at most {MAX_PARTITION_IN_VALUES}",
            schema.partition.name
        ))),
        None => Ok(()),
    }
}

/// Whether a condition names the top-level attribute `name` anywhere.
fn mentions(c: &ConditionTree, name: &str) -> bool {
    let mut found = false;
    visit(c, &mut |o| {
        found |= o
            .as_path()
            .and_then(|p| p.top_name())
            .is_some_and(|n| n.as_str() == name);
    });
    found
}

/// Calls `f` with every operand of a condition, in text order.
fn visit(c: &ConditionTree, f: &mut impl FnMut(&Operand)) {
    let mut stack = vec![c];
    while let Some(c) = stack.pop() {
        match c {
            ConditionTree::Compare { left, right, .. } => {
                f(left);
                f(right);
            }
            ConditionTree::Between { value, low, high } => {
                f(value);
                f(low);
                f(high);
            }
            ConditionTree::In { value, list } => {
                f(value);
                list.iter().for_each(&mut *f);
            }
            ConditionTree::AttributeType(a, b)
            | ConditionTree::BeginsWith(a, b)
            | ConditionTree::Contains(a, b) => {
                f(a);
                f(b);
            }
            ConditionTree::AttributeExists(p) | ConditionTree::AttributeNotExists(p) => {
                f(&Operand::Path(p.clone()));
            }
            ConditionTree::Not(inner) => stack.push(inner),
            // Right pushed first, so operands come in text order.
            ConditionTree::And(l, r) | ConditionTree::Or(l, r) => {
                stack.push(r);
                stack.push(l);
            }
        }
    }
}

/// Orders two lower bounds: the one that starts later is greater.
fn later_start(a: &Bound<BoundKey>, b: &Bound<BoundKey>) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Less,
        (_, Bound::Unbounded) => Ordering::Greater,
        (Bound::Included(x) | Bound::Excluded(x), Bound::Included(y) | Bound::Excluded(y)) => {
            x.position().cmp(&y.position()).then_with(|| match (a, b) {
                (Bound::Excluded(_), Bound::Included(_)) => Ordering::Greater,
                (Bound::Included(_), Bound::Excluded(_)) => Ordering::Less,
                _ => Ordering::Equal,
            })
        }
    }
}

/// Whether two key reads can both find an item.
fn intersect(a: &KeyCondition, b: &KeyCondition) -> bool {
    if a.partition != b.partition {
        return false;
    }
    let ((alo, ahi), (blo, bhi)) = (a.range(), b.range());
    let lo = if later_start(&alo, &blo) == Ordering::Greater {
        alo
    } else {
        blo
    };
    // The earlier end: an upper bound compares the other way round.
    let hi = match (&ahi, &bhi) {
        (Bound::Unbounded, _) => bhi,
        (_, Bound::Unbounded) => ahi,
        (Bound::Included(x) | Bound::Excluded(x), Bound::Included(y) | Bound::Excluded(y)) => {
            match x.position().cmp(&y.position()) {
                Ordering::Less => ahi,
                Ordering::Greater => bhi,
                Ordering::Equal if matches!(ahi, Bound::Excluded(_)) => ahi,
                Ordering::Equal => bhi,
            }
        }
    };
    crate::store::range::non_empty(&lo, &hi)
}

/// The access path of a WHERE (`None`: no WHERE) against the key schema of
/// the table or index read.
pub(crate) fn access(
    filter: Option<&ConditionTree>,
    schema: &KeySchema,
    values: &ExpressionAttributeValues,
) -> Result<Access, Error> {
    let Some(filter) = filter else {
        return Ok(Access::Scan);
    };
    check_partition_in(filter, schema)?;
    let planner = Planner { schema, values };
    let branches = disjuncts(filter);
    let several = branches.len() > 1;
    let mut reads: Vec<KeyCondition> = Vec::new();
    for branch in branches {
        let Some((branch_reads, other_sort)) = planner.branch(branch) else {
            return Ok(Access::Scan);
        };
        if several && other_sort {
            return Ok(Access::Scan);
        }
        for read in branch_reads {
            if reads.contains(&read) {
                continue;
            }
            if reads.iter().any(|r| intersect(r, &read)) {
                return Err(overlapping());
            }
            reads.push(read);
        }
    }
    Ok(Access::Keys(reads))
}

/// The plan of a read that can only scan (an index whose key no key read
/// expresses): `ORDER BY` then has no key condition to order.
pub(crate) fn unordered_scan(order_by: &[OrderItem]) -> Result<Plan, Error> {
    if !order_by.is_empty() {
        return Err(Error::validation(
            "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.",
        ));
    }
    Ok(Plan {
        access: Access::Scan,
        descending: false,
    })
}

/// The plan with `ORDER BY` applied (spec §7.4): its terms must be key
/// attributes of the table or index, a key read, and the partition key when
/// several partitions are read. Partitions go in the partition term's
/// direction; sort keys in the sort term's, or descending when only the
/// partition key is named.
pub(crate) fn order(
    mut access: Access,
    order_by: &[OrderItem],
    schema: &KeySchema,
) -> Result<Plan, Error> {
    if order_by.is_empty() {
        return Ok(Plan {
            access,
            descending: false,
        });
    }
    for item in order_by {
        if !schema.names().contains(&item.name.text.as_str()) {
            return Err(Error::validation(format!(
                "Attribute {} in ORDER BY clause must be part of the primary key",
                item.name.text
            )));
        }
    }
    let Access::Keys(reads) = &mut access else {
        return Err(Error::validation(
            "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.",
        ));
    };
    let term = |name: &str| order_by.iter().find(|i| i.name.text == name);
    let partition_term = term(&schema.partition.name);
    let sort_term = schema.sort.as_ref().and_then(|s| term(&s.name));
    let several = reads
        .windows(2)
        .any(|w| matches!(w, [a, b] if a.partition != b.partition));
    if several && partition_term.is_none() {
        return Err(Error::validation(
            "Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.",
        ));
    }
    if let Some(p) = partition_term {
        reads.sort_by(|a, b| {
            let o = a.partition.cmp(&b.partition);
            if p.descending { o.reverse() } else { o }
        });
    }
    let descending = match sort_term {
        Some(s) => s.descending,
        None => partition_term.is_some(),
    };
    Ok(Plan { access, descending })
}
