//! Key extraction (spec partiql.md §6.1): the primary key an UPDATE,
//! DELETE, `EXISTS` or transaction/batch SELECT addresses, read off the
//! equalities of its WHERE, and what remains of the WHERE (its condition).
//!
//! Only the top-level `AND` structure is searched (parentheses are no node,
//! so `(p = 'k') AND x = 1` counts); a leaf `key = value` or `value = key`
//! on a top-level key attribute is taken out. Repeating one equality is
//! harmless; two values for one key attribute, a missing key attribute, a
//! key value that is no scalar or of the wrong type are each a
//! [`KeyProblem`], which the caller words for its surface.

use crate::ast::{Comparator, ConditionTree, Name, Operand, PathElement};
use crate::placeholders::ExpressionAttributeValues;
use crate::store::KeySchema;
use crate::value::{AttributeValue, Item};

/// Why a WHERE does not address exactly one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyProblem {
    /// A key attribute without an equality.
    Missing,
    /// Two different values for this key attribute.
    Multiple(String),
    /// A key value of a type no key can have (`L`, `BOOL`, ...).
    NotScalar { name: String, code: &'static str },
    /// A key value of another scalar type than the schema's.
    Mismatch(String),
}

impl KeyProblem {
    /// DynamoDB's message for an UPDATE or DELETE.
    pub(crate) fn message(&self) -> String {
        match self {
            KeyProblem::Missing => {
                "Where clause does not contain a mandatory equality on all key attributes".into()
            }
            KeyProblem::Multiple(k) => format!(
                "Multiple conditions on same key {k}. Only single item Update/Insert/Delete are supported"
            ),
            KeyProblem::NotScalar { name, code } => {
                format!("Key value must be of type S, N, or B. Key name: {name}, Key type: {code}")
            }
            KeyProblem::Mismatch(k) => format!(
                "Key attribute's data type should match its data type in table's schema: Key {k}"
            ),
        }
    }
}

/// The key a WHERE pins and the rest of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Extracted {
    /// The key attributes and their values, partition first.
    pub(crate) key: Item,
    /// What remains of the WHERE: the write's condition.
    pub(crate) rest: Option<ConditionTree>,
}

/// The conjuncts of the top-level `AND` structure, in text order.
pub(crate) fn conjuncts(cond: &ConditionTree) -> Vec<&ConditionTree> {
    let mut out = Vec::new();
    let mut stack = vec![cond];
    while let Some(c) = stack.pop() {
        match c {
            ConditionTree::And(l, r) => {
                stack.push(r);
                stack.push(l);
            }
            other => out.push(other),
        }
    }
    out
}

/// The conjuncts joined by `AND` again (left to right), if any.
pub(crate) fn join(conds: Vec<ConditionTree>) -> Option<ConditionTree> {
    conds
        .into_iter()
        .reduce(|l, r| ConditionTree::And(Box::new(l), Box::new(r)))
}

/// The top-level attribute a one-name path names.
fn top_name(operand: &Operand) -> Option<&str> {
    match operand.as_path()?.elements.as_slice() {
        [PathElement::Name(Name::Bare(n))] => Some(n),
        _ => None,
    }
}

/// `attr = value` (either way round): the attribute and the value.
pub(crate) fn equality<'c>(
    cond: &'c ConditionTree,
    values: &'c ExpressionAttributeValues,
) -> Option<(&'c str, &'c AttributeValue)> {
    let ConditionTree::Compare {
        op: Comparator::Eq,
        left,
        right,
    } = cond
    else {
        return None;
    };
    let value = |o: &'c Operand| match o {
        Operand::Value(v) => values.get(v.name.as_ref()),
        _ => None,
    };
    match (top_name(left), top_name(right)) {
        (Some(name), None) => Some((name, value(right)?)),
        (None, Some(name)) => Some((name, value(left)?)),
        _ => None,
    }
}

/// Reads the key off a WHERE (`None`: no WHERE).
pub(crate) fn extract(
    cond: Option<&ConditionTree>,
    schema: &KeySchema,
    values: &ExpressionAttributeValues,
) -> Result<Extracted, KeyProblem> {
    let names = schema.names();
    let mut found: Vec<(&str, &AttributeValue)> = Vec::new();
    let mut rest = Vec::new();
    for c in cond.map(conjuncts).unwrap_or_default() {
        match equality(c, values) {
            Some((name, value)) if names.contains(&name) => {
                match found.iter().find(|(n, _)| *n == name) {
                    Some((_, earlier)) if *earlier != value => {
                        return Err(KeyProblem::Multiple(name.to_owned()));
                    }
                    Some(_) => {}
                    None => found.push((name, value)),
                }
            }
            _ => rest.push(c.clone()),
        }
    }
    let mut key = Item::new();
    for attr in schema.attributes() {
        let Some((_, value)) = found.iter().find(|(n, _)| *n == attr.name) else {
            return Err(KeyProblem::Missing);
        };
        let code = value.value_type().code();
        if !matches!(
            value,
            AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_)
        ) {
            return Err(KeyProblem::NotScalar {
                name: attr.name.clone(),
                code,
            });
        }
        if code != attr.scalar_type.code() {
            return Err(KeyProblem::Mismatch(attr.name.clone()));
        }
        key.insert(attr.name.clone(), (*value).clone());
    }
    Ok(Extracted {
        key,
        rest: join(rest),
    })
}
