//! Loading a table in bulk, as recovery loads a snapshot ([`Loader`]).
//!
//! Each image is made ready as it arrives (its item encoded into a slot,
//! its size, collection contribution and index entries computed) and the
//! item itself dropped, so a million-item snapshot never holds a million
//! decoded items at once; [`Loader::finish`] then builds the map and each
//! index in one go. (Holding every decoded item until the end, as the first
//! bulk load did, put 40% of a 1,000,000-item start-up in glibc's
//! bookkeeping of the freed blocks: `malloc_consolidate`, `unlink_chunk`.)

use std::collections::HashMap;
use std::sync::Arc;

use crate::store::collections::CollectionSizes;
use crate::store::compact;
use crate::store::index::{Entry, Index};
use crate::store::key::{KeyValue, PrimaryKey};
use crate::store::stored_key::{self, StoredKey};
use crate::store::stream::WriteOrigin;
use crate::store::table::{Keyed, SlotCell, Table, write};
use crate::value::{Item, item_size};

/// One image made ready to load.
struct Ready {
    /// The slot (holding no item for an image that deletes the key).
    slot: Keyed,
    /// False for an image that deletes the key.
    present: bool,
    size: u64,
    /// The partition and the item's contribution to its collection, when
    /// the table tracks collection sizes.
    collection: Option<(KeyValue, u64)>,
    /// Its entries: (position in the table's indexes, entry, size).
    entries: Vec<(usize, Entry, u64)>,
}

/// Writes after-images (`None` deletes the key; a later image of a key
/// replaces an earlier one) as recovery replays them, with no stream
/// record. Into an empty table in bulk: the map is built from the sorted
/// keys in one go, each index's entries likewise, the counters and
/// collection sizes summed once, and no item is locked (nobody else can
/// see the slots before the map's lock is let go). A table already
/// holding items takes them one at a time through the write path instead.
pub(crate) struct Loader<'t> {
    table: &'t Table,
    indexes: Vec<Arc<Index>>,
    tracked: bool,
    /// `None`: the table held items, images go through the write path.
    ready: Option<Vec<Ready>>,
}

impl<'t> Loader<'t> {
    pub(crate) fn new(table: &'t Table) -> Loader<'t> {
        let empty = crate::store::table::read(&table.items).is_empty();
        Loader {
            table,
            indexes: table.indexes(),
            tracked: table.collections.tracked(),
            ready: empty.then(Vec::new),
        }
    }

    /// Adds the image of `key`.
    pub(crate) fn add(&mut self, key: PrimaryKey, item: Option<Item>) {
        let table = self.table;
        let Some(ready) = &mut self.ready else {
            let slot = table.slot(&key);
            slot.lock_waiting().replace_from(item, WriteOrigin::Replay);
            return;
        };
        let stored = StoredKey::new(&key);
        let Some(item) = item else {
            ready.push(Ready {
                slot: Keyed(Arc::new(SlotCell::new(stored))),
                present: false,
                size: 0,
                collection: None,
                entries: Vec::new(),
            });
            return;
        };
        let schema = &table.schema;
        let entries = self
            .indexes
            .iter()
            .enumerate()
            .filter_map(|(i, index)| {
                let (entry, size) = index.entry_of(schema, &key, &item)?;
                Some((i, entry, size))
            })
            .collect();
        let collection = self.tracked.then(|| {
            let all = self.indexes.iter().map(|i| &**i);
            let size = CollectionSizes::contribution(all, schema, Some(&item));
            (key.partition.clone(), size)
        });
        ready.push(Ready {
            size: item_size(&item) as u64,
            slot: Keyed(Arc::new(SlotCell::holding(&item, schema, &key))),
            present: true,
            collection,
            entries,
        });
    }

    /// Adds an item as its table keeps it (a snapshot's [`stored_items`]
    /// record): `key` the key's byte form, `item` the compact encoding,
    /// `size` its size. Copied into a slot as it is unless the table has
    /// indexes or collection sizes to rebuild, which need the item
    /// decoded. `None`: bytes that are not a key and an item of the table.
    ///
    /// [`stored_items`]: crate::store::durable::record::stored_items
    pub(crate) fn add_stored(&mut self, key: &[u8], item: &[u8], size: u64) -> Option<()> {
        let schema = &self.table.schema;
        let plain = self.indexes.is_empty() && !self.tracked;
        match &mut self.ready {
            Some(ready) if plain => {
                let stored = StoredKey::from_bytes(key);
                ready.push(Ready {
                    slot: Keyed(Arc::new(SlotCell::stored(stored, Box::from(item)))),
                    present: true,
                    size,
                    collection: None,
                    entries: Vec::new(),
                });
            }
            _ => {
                let key = stored_key::decode(key, schema)?;
                let item = compact::decode(item, Some(&key))?;
                self.add(key, Some(item));
            }
        }
        Some(())
    }

    /// Builds the table's map and indexes from the images added.
    pub(crate) fn finish(self) {
        let Some(mut ready) = self.ready else {
            return;
        };
        let table = self.table;
        let mut map = write(&table.items);
        if !map.is_empty() {
            // Filled meanwhile (recovery runs alone, so never): keep the
            // order of the write path.
            drop(map);
            for r in ready {
                let slot = r.slot.0;
                let Some(key) = slot.key.decode(&table.schema) else {
                    continue;
                };
                let item = slot.copy(&key);
                table
                    .slot(&key)
                    .lock_waiting()
                    .replace_from(item, WriteOrigin::Replay);
            }
            return;
        }
        // Stable, and linear on a snapshot's (already sorted) order; of one
        // key's images, the last is kept (moved into the place of the first).
        ready.sort_by(|a, b| a.slot.cmp(&b.slot));
        ready.dedup_by(|later, kept| {
            let same = later.slot == kept.slot;
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        ready.retain(|r| r.present);
        let mut entries: Vec<Vec<(Entry, u64)>> = vec![Vec::new(); self.indexes.len()];
        let mut collections: HashMap<KeyValue, u64> = HashMap::new();
        let mut bytes = 0u64;
        let count = ready.len() as u64;
        let slots = ready.into_iter().map(|r| {
            bytes = bytes.saturating_add(r.size);
            for (i, entry, size) in r.entries {
                if let Some(list) = entries.get_mut(i) {
                    list.push((entry, size));
                }
            }
            if let Some((partition, size)) = r.collection {
                let sum = collections.entry(partition).or_insert(0);
                *sum = size.saturating_add(*sum);
            }
            r.slot
        });
        *map = slots.collect();
        for (index, added) in self.indexes.iter().zip(entries) {
            index.fill_entries(added);
        }
        for (partition, size) in collections {
            table.collections.record(&partition, 0, size);
        }
        table.stats.add(count, bytes);
    }
}
