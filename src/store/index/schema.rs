//! An index's key schema and the keys of its entries (indexes.md §1, §2.5).
//!
//! A secondary index key is 1..4 HASH components followed by 0..4 RANGE
//! components, each an attribute with its own declared type. A GSI made
//! before November 2025 (one HASH, optional RANGE) and every LSI (the
//! table's HASH, one RANGE) are the 1 + 0 and 1 + 1 cases of the same
//! schema: there is one code path for every index.
//!
//! An [`IndexKey`] holds the typed values, HASH components first; its
//! order (components compared left to right, each by its own type's order)
//! is the index's order. An item is in the index only when it has every
//! component with the declared type, not empty and within the size limits
//! (HASH components 2048 bytes, RANGE components 1024 bytes, each).

use crate::api::{AttributeDefinition, KeySchemaElement};
use crate::store::key::{KeyAttribute, KeyError, KeySchema, KeyValue};
use crate::value::Item;

/// The largest value of an index HASH component, in bytes.
pub const MAX_INDEX_HASH_BYTES: usize = 2048;
/// The largest value of an index RANGE component, in bytes.
pub const MAX_INDEX_SORT_BYTES: usize = 1024;

/// An index's key: HASH components, then RANGE components, in the order
/// the index's `KeySchema` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexSchema {
    /// The HASH components (at least one).
    pub(crate) hash: Vec<KeyAttribute>,
    /// The RANGE components (possibly none).
    pub(crate) range: Vec<KeyAttribute>,
}

/// The typed key of one entry: one value per component, HASH components
/// first. The derived order compares the values left to right, each by its
/// type's order (all keys of one index have the same components).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct IndexKey {
    parts: Box<[KeyValue]>,
    hashes: usize,
}

impl IndexKey {
    /// The key of these HASH and RANGE values.
    #[cfg(test)]
    pub(crate) fn new(hash: Vec<KeyValue>, range: Vec<KeyValue>) -> IndexKey {
        let hashes = hash.len();
        let mut parts = hash;
        parts.extend(range);
        IndexKey {
            parts: parts.into_boxed_slice(),
            hashes,
        }
    }

    /// Every value, HASH components first.
    pub(crate) fn parts(&self) -> &[KeyValue] {
        &self.parts
    }

    /// The HASH values: the index partition.
    pub(crate) fn hash(&self) -> &[KeyValue] {
        self.parts.get(..self.hashes).unwrap_or_default()
    }

    /// The RANGE values.
    pub(crate) fn range(&self) -> &[KeyValue] {
        self.parts.get(self.hashes..).unwrap_or_default()
    }
}

/// Whether a key value is an empty string or binary.
pub(crate) fn is_empty(value: &KeyValue) -> bool {
    match value {
        KeyValue::S(s) => s.is_empty(),
        KeyValue::B(b) => b.is_empty(),
        KeyValue::N(_) => false,
    }
}

/// The size a key value counts against the index key limits (numbers never
/// reach them).
pub(crate) fn key_bytes(value: &KeyValue) -> usize {
    match value {
        KeyValue::S(s) => s.len(),
        KeyValue::B(b) => b.len(),
        KeyValue::N(_) => 0,
    }
}

impl IndexSchema {
    /// The one-HASH, optional-RANGE schema of a table-shaped key (tests and
    /// the LSI case).
    #[cfg(test)]
    pub(crate) fn simple(schema: &KeySchema) -> IndexSchema {
        IndexSchema {
            hash: vec![schema.partition.clone()],
            range: schema.sort.iter().cloned().collect(),
        }
    }

    /// The schema as a table-style key schema when it is one (one HASH
    /// attribute, at most one RANGE attribute); `None` for a multi-attribute
    /// key.
    pub(crate) fn as_key_schema(&self) -> Option<KeySchema> {
        match (self.hash.as_slice(), self.range.as_slice()) {
            ([partition], range) if range.len() <= 1 => Some(KeySchema {
                partition: partition.clone(),
                sort: range.first().cloned(),
            }),
            _ => None,
        }
    }

    /// Every component, HASH components first.
    pub(crate) fn attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        self.hash.iter().chain(&self.range)
    }

    /// Every component with the size limit of its values.
    pub(crate) fn components(&self) -> impl Iterator<Item = (&KeyAttribute, usize)> {
        let hash = self.hash.iter().map(|a| (a, MAX_INDEX_HASH_BYTES));
        hash.chain(self.range.iter().map(|a| (a, MAX_INDEX_SORT_BYTES)))
    }

    /// The component names, HASH components first.
    pub(crate) fn names(&self) -> Vec<&str> {
        self.attributes().map(|a| a.name.as_str()).collect()
    }

    /// The item's index key: `None` when it lacks a component, or holds one
    /// that the index cannot hold (another type, empty, over the size
    /// limit: an item from before the index, never indexed, as the backfill
    /// skips it; indexes.md §4.3).
    pub(crate) fn key_of(&self, item: &Item) -> Option<IndexKey> {
        let mut parts = Vec::with_capacity(self.hash.len() + self.range.len());
        for (attr, max) in self.components() {
            let value = KeySchema::typed(attr, item.get(&attr.name)?)?;
            if is_empty(&value) || key_bytes(&value) > max {
                return None;
            }
            parts.push(value);
        }
        Some(IndexKey {
            parts: parts.into_boxed_slice(),
            hashes: self.hash.len(),
        })
    }

    /// The index key given in an `ExclusiveStartKey` whose names were
    /// checked: every component with its type (else a mismatch), then no
    /// empty value, then the size limits.
    pub(crate) fn map_key(&self, key: &Item) -> Result<IndexKey, KeyError> {
        let mut parts = Vec::with_capacity(self.hash.len() + self.range.len());
        for attr in self.attributes() {
            let value = key
                .get(&attr.name)
                .and_then(|v| KeySchema::typed(attr, v))
                .ok_or(KeyError::Mismatch)?;
            parts.push(value);
        }
        for (attr, value) in self.attributes().zip(&parts) {
            if is_empty(value) {
                return Err(KeyError::Empty {
                    attribute: attr.name.clone(),
                    binary: matches!(value, KeyValue::B(_)),
                });
            }
        }
        for ((_, max), value) in self.components().zip(&parts) {
            if key_bytes(value) > max {
                return Err(if max == MAX_INDEX_HASH_BYTES {
                    KeyError::PartitionTooLarge
                } else {
                    KeyError::SortTooLarge
                });
            }
        }
        Ok(IndexKey {
            parts: parts.into_boxed_slice(),
            hashes: self.hash.len(),
        })
    }

    /// The components of a key, as an item (in a `LastEvaluatedKey`).
    pub(crate) fn key_item(&self, key: &IndexKey) -> Item {
        self.attributes()
            .zip(key.parts())
            .map(|(attr, value)| (attr.name.clone(), value.to_attribute()))
            .collect()
    }

    /// The `KeySchema` (in request order: HASH elements, then RANGE) and
    /// the attribute definitions of the components.
    pub(crate) fn describe(&self) -> (Vec<KeySchemaElement>, Vec<AttributeDefinition>) {
        let kinds = self
            .hash
            .iter()
            .map(|a| (a, "HASH"))
            .chain(self.range.iter().map(|a| (a, "RANGE")));
        let mut schema = Vec::new();
        let mut defs = Vec::new();
        for (attr, kind) in kinds {
            schema.push(KeySchemaElement {
                attribute_name: attr.name.clone(),
                key_type: kind.into(),
            });
            defs.push(AttributeDefinition {
                attribute_name: attr.name.clone(),
                attribute_type: attr.scalar_type.code().into(),
            });
        }
        (schema, defs)
    }
}
