//! DynamoDB's checks of the index key attributes of an item about to be
//! stored (indexes.md §4.2): each component of each index on its own, with
//! its declared type, not empty, within its size limit.

use std::sync::Arc;

use crate::error::Error;
use crate::store::index::Index;
use crate::store::index::schema::{is_empty, key_bytes};
use crate::store::key::{KeyAttribute, KeySchema, ScalarType};
use crate::value::{AttributeValue, Item};

/// Why an item's index key attribute cannot be stored: an empty string or
/// binary (a whole-request error even in a transaction), or anything else.
#[derive(Debug)]
pub(crate) enum IndexKeyError {
    Empty(Error),
    Invalid(Error),
}

impl From<IndexKeyError> for Error {
    fn from(e: IndexKeyError) -> Error {
        match e {
            IndexKeyError::Empty(e) | IndexKeyError::Invalid(e) => e,
        }
    }
}

/// The checks over every index of the table, the first failing index by
/// name reported. `changed` limits an update to the attributes it changed
/// (`None`: every attribute, for a put).
pub(crate) fn check_index_keys(
    indexes: &[Arc<Index>],
    item: &Item,
    changed: Option<&dyn Fn(&str) -> bool>,
) -> Result<(), IndexKeyError> {
    // The common case, no failure, needs no sorting: failures are collected
    // and the one of the index first by name is reported.
    let mut first: Option<(&str, IndexKeyError)> = None;
    for index in indexes {
        if first
            .as_ref()
            .is_some_and(|(name, _)| *name <= index.name.as_str())
        {
            continue;
        }
        if let Err(e) = check_one(index, item, changed) {
            first = Some((&index.name, e));
        }
    }
    match first {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// One index's components, in schema order (HASH components first).
fn check_one(
    index: &Index,
    item: &Item,
    changed: Option<&dyn Fn(&str) -> bool>,
) -> Result<(), IndexKeyError> {
    for (attr, max) in index.schema.components() {
        let Some(value) = item.get(&attr.name) else {
            continue;
        };
        if changed.is_some_and(|c| !c(&attr.name)) {
            continue;
        }
        check_index_value(index, attr, value, max, changed.is_some())?;
    }
    Ok(())
}

fn check_index_value(
    index: &Index,
    attr: &KeyAttribute,
    value: &AttributeValue,
    max: usize,
    update: bool,
) -> Result<(), IndexKeyError> {
    let Some(typed) = KeySchema::typed(attr, value) else {
        return Err(IndexKeyError::Invalid(Error::validation(format!(
            "One or more parameter values were invalid: Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
            attr.name,
            attr.scalar_type.code(),
            value.value_type().code(),
            index.name
        ))));
    };
    if is_empty(&typed) {
        let kind = if attr.scalar_type == ScalarType::B {
            "binary"
        } else {
            "string"
        };
        return Err(IndexKeyError::Empty(Error::validation(if update {
            format!(
                "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty {kind} value."
            )
        } else {
            format!(
                "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {kind} value. IndexName: {}, IndexKey: {}",
                index.name, attr.name
            )
        })));
    }
    let size = key_bytes(&typed);
    if size > max {
        return Err(IndexKeyError::Invalid(Error::validation(format!(
            "One or more parameter values were invalid: Size limit exceeded for Index Key {} Actual Size: {size} bytes Max Size: {max} bytes IndexName: {}",
            attr.name, index.name
        ))));
    }
    Ok(())
}
