//! An index's definition as plain data ([`IndexImage`]), and an index
//! rebuilt from it and its table's items in one pass, for the store's
//! images ([`crate::store::image`]).

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use super::{Entry, Index, IndexKind, IndexSchema, Projected};
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::table::{lock, write};
use crate::store::throughput::Provisioned;
use crate::value::Item;

/// A secondary index's definition and capacity. Its entries, count and
/// size are not kept: they are a function of the table's items, and are
/// computed again when the index is rebuilt.
#[derive(Debug, Clone)]
pub(crate) struct IndexImage {
    pub(crate) name: String,
    pub(crate) kind: IndexKind,
    pub(crate) schema: IndexSchema,
    pub(crate) projected: Projected,
    pub(crate) capacity: Provisioned,
}

impl Index {
    /// The index's definition and capacity now.
    pub(crate) fn image(&self) -> IndexImage {
        IndexImage {
            name: self.name.clone(),
            kind: self.kind,
            schema: self.schema.clone(),
            projected: self.projected.clone(),
            capacity: self.capacity(),
        }
    }

    /// The index of `image` holding an entry for each of `items` (the
    /// table's, keyed by `table`) that has its key: complete, never
    /// backfilling.
    pub(crate) fn from_image<'i>(
        image: &IndexImage,
        table: &KeySchema,
        items: impl Iterator<Item = (&'i PrimaryKey, &'i Item)>,
    ) -> Index {
        let index = Index::new(
            image.name.clone(),
            image.kind,
            image.schema.clone(),
            image.projected.clone(),
            None,
        );
        *lock(&index.capacity) = image.capacity;
        let mut bytes = 0u64;
        let entries: BTreeSet<Entry> = items
            .filter_map(|(key, item)| {
                let index_key = index.key_of(item)?;
                bytes = bytes.saturating_add(index.entry_size(item, table) as u64);
                Some(Entry {
                    index: index_key,
                    table: key.clone(),
                })
            })
            .collect();
        index.count.store(entries.len() as u64, Ordering::Relaxed);
        index.bytes.store(bytes, Ordering::Relaxed);
        *write(&index.entries) = entries;
        index
    }
}
