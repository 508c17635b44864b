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
        index.fill(table, items);
        index
    }

    /// Adds an entry for each of `items` (the table's, keyed by `table`)
    /// that has this index's key ([`Index::fill_entries`]).
    pub(crate) fn fill<'i>(
        &self,
        table: &KeySchema,
        items: impl Iterator<Item = (&'i PrimaryKey, &'i Item)>,
    ) {
        let added = items
            .filter_map(|(key, item)| self.entry_of(table, key, item))
            .collect();
        self.fill_entries(added);
    }

    /// The entry of `item` (of the table's key `key`) and its size, if the
    /// item has this index's key.
    pub(crate) fn entry_of(
        &self,
        table: &KeySchema,
        key: &PrimaryKey,
        item: &Item,
    ) -> Option<(Entry, u64)> {
        let entry = Entry {
            index: self.key_of(item)?,
            table: key.clone(),
        };
        Some((entry, self.entry_size(item, table) as u64))
    }

    /// Adds `added` (entries of distinct table keys, with their sizes):
    /// built in one go into an empty index (a table loaded in bulk, an
    /// index rebuilt from an image), inserted one at a time otherwise, as a
    /// backfill does (an entry already there stays, counted once).
    pub(crate) fn fill_entries(&self, mut added: Vec<(Entry, u64)>) {
        let mut entries = write(&self.entries);
        if entries.is_empty() {
            // Entries of distinct table keys are distinct: nothing is
            // dropped as a duplicate, so the sum of sizes is the set's.
            added.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let bytes = added
                .iter()
                .fold(0u64, |sum, (_, size)| sum.saturating_add(*size));
            let built: BTreeSet<Entry> = added.into_iter().map(|(entry, _)| entry).collect();
            self.count.fetch_add(built.len() as u64, Ordering::Relaxed);
            self.bytes.fetch_add(bytes, Ordering::Relaxed);
            *entries = built;
            return;
        }
        for (entry, size) in added {
            if entries.insert(entry) {
                self.count.fetch_add(1, Ordering::Relaxed);
                self.bytes.fetch_add(size, Ordering::Relaxed);
            }
        }
    }
}
