//! A table: its schema, billing settings and items, each in a slot with its own lock.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::api::{
    BillingModeSummary, ProvisionedThroughput, ProvisionedThroughputDescription, TableDescription,
};
use crate::store::key::{KeySchema, PrimaryKey};
use crate::value::{Item, item_size};

/// One item's slot: `None` when no item exists.
pub(crate) type Slot = Arc<Mutex<Option<Item>>>;

/// Locks a mutex, recovering it if another thread panicked while holding it
/// (writes are single assignments, so the value is never half-written).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(PoisonError::into_inner)
}

/// A table: its name, key schema and items.
#[derive(Debug)]
pub struct Table {
    pub(crate) name: String,
    pub(crate) schema: KeySchema,
    /// Billing mode and capacity as given at creation (reported only).
    pub(crate) billing: Billing,
    /// Seconds since the Unix epoch.
    pub(crate) created: f64,
    pub(crate) items: RwLock<BTreeMap<PrimaryKey, Slot>>,
    /// Item count and total item size, kept by every write.
    pub(crate) stats: TableStats,
}

/// A table's item count and total size in bytes, maintained on every write
/// (through [`LockedItem::replace`]), so DescribeTable reads two numbers
/// instead of walking the table; and how many times the whole table was
/// walked, so tests can check that a request path does no O(table) work.
#[derive(Debug, Default)]
pub(crate) struct TableStats {
    items: AtomicU64,
    bytes: AtomicU64,
    walks: AtomicU64,
}

impl TableStats {
    fn record(&self, old: Option<&Item>, new: Option<&Item>) {
        let size = |i: Option<&Item>| i.map_or(0, |i| item_size(i) as u64);
        let (old_size, new_size) = (size(old), size(new));
        match (old.is_some(), new.is_some()) {
            (false, true) => {
                self.items.fetch_add(1, Ordering::Relaxed);
            }
            (true, false) => {
                self.items.fetch_sub(1, Ordering::Relaxed);
            }
            _ => {}
        }
        if new_size >= old_size {
            self.bytes.fetch_add(new_size - old_size, Ordering::Relaxed);
        } else {
            self.bytes.fetch_sub(old_size - new_size, Ordering::Relaxed);
        }
    }

    pub(crate) fn item_count(&self) -> u64 {
        self.items.load(Ordering::Relaxed)
    }

    pub(crate) fn size_bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Notes a visit of every slot of the table.
    fn walked(&self) {
        self.walks.fetch_add(1, Ordering::Relaxed);
    }
}

/// A held reference to one key's slot. While it lives the slot stays in
/// the map; when it is dropped and the slot holds no item and nobody else
/// holds it, the slot leaves the map, so reads and failed writes of absent
/// keys do not grow the table. (Every holder of a slot holds an `Arc` to it,
/// and new ones are handed out only under the map's lock, so a count of one
/// under the write lock means nobody can be using it.)
#[derive(Debug)]
pub(crate) struct SlotRef<'t> {
    table: &'t Table,
    key: &'t PrimaryKey,
    /// Always `Some` until dropped.
    slot: Option<Slot>,
}

impl<'t> SlotRef<'t> {
    /// Locks the slot's item: the lock is released when the returned guard
    /// is dropped, the slot when this reference is.
    pub(crate) fn lock(&self) -> LockedItem<'_> {
        LockedItem {
            guard: self.slot.as_deref().map(lock),
            stats: &self.table.stats,
        }
    }

    /// The key of the slot.
    pub(crate) fn key(&self) -> &PrimaryKey {
        self.key
    }

    /// The slot itself (tests poison it).
    #[cfg(test)]
    pub(crate) fn raw(&self) -> Option<Slot> {
        self.slot.clone()
    }

    /// The name of the slot's table.
    pub(crate) fn table_name(&self) -> &str {
        &self.table.name
    }
}

impl Drop for SlotRef<'_> {
    fn drop(&mut self) {
        let Some(slot) = self.slot.take() else {
            return;
        };
        let empty = lock(&slot).is_none();
        drop(slot);
        if !empty {
            return;
        }
        let mut items = write(&self.table.items);
        let unused = items.get(self.key).is_some_and(|s| {
            Arc::strong_count(s) == 1 && s.try_lock().is_ok_and(|item| item.is_none())
        });
        if unused {
            items.remove(self.key);
        }
    }
}

/// One item, locked: read it, or replace it (which keeps the table's
/// counters). Unlocks on drop.
#[derive(Debug)]
pub(crate) struct LockedItem<'s> {
    /// `None` only for a slot reference being dropped, which never locks.
    guard: Option<MutexGuard<'s, Option<Item>>>,
    stats: &'s TableStats,
}

impl LockedItem<'_> {
    /// The item, or `None` when none exists.
    pub(crate) fn get(&self) -> Option<&Item> {
        self.guard.as_ref().and_then(|g| g.as_ref())
    }

    /// Replaces the item (`None`: deletes it) and returns the old one. A
    /// single assignment: it cannot fail, so a write is never half-done.
    pub(crate) fn replace(&mut self, new: Option<Item>) -> Option<Item> {
        let guard = self.guard.as_mut()?;
        self.stats.record(guard.as_ref(), new.as_ref());
        std::mem::replace(&mut **guard, new)
    }
}

impl Table {
    pub(crate) fn new(name: String, schema: KeySchema, billing: Billing, created: f64) -> Table {
        Table {
            name,
            schema,
            billing,
            created,
            items: RwLock::default(),
            stats: TableStats::default(),
        }
    }

    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The table's key schema.
    pub fn schema(&self) -> &KeySchema {
        &self.schema
    }

    /// A reference to the slot of a key, if one exists (it may hold no item).
    pub(crate) fn find_slot<'t>(&'t self, key: &'t PrimaryKey) -> Option<SlotRef<'t>> {
        let slot = read(&self.items).get(key).cloned()?;
        Some(SlotRef {
            table: self,
            key,
            slot: Some(slot),
        })
    }

    /// A reference to the slot of a key, inserting an empty one if needed.
    pub(crate) fn slot<'t>(&'t self, key: &'t PrimaryKey) -> SlotRef<'t> {
        if let Some(found) = self.find_slot(key) {
            return found;
        }
        let slot = write(&self.items).entry(key.clone()).or_default().clone();
        SlotRef {
            table: self,
            key,
            slot: Some(slot),
        }
    }

    /// The item of a key, copied out under its lock (a consistent read).
    pub(crate) fn get(&self, key: &PrimaryKey) -> Option<Item> {
        let slot = read(&self.items).get(key).cloned()?;
        lock(&slot).clone()
    }

    /// How many slots the table holds (items and transient empty slots).
    #[cfg(test)]
    pub(crate) fn slot_count(&self) -> usize {
        read(&self.items).len()
    }

    /// The number of items, from the table's counters (no walk).
    pub fn item_count(&self) -> u64 {
        self.stats.item_count()
    }

    /// How many times every slot of the table was visited: calls of
    /// [`Table::items`], the only whole-map walk (Query and Scan read the
    /// map a range at a time as their own work and do not count). A test
    /// hook: reading it before and after a request shows whether the
    /// request walked the table.
    #[doc(hidden)]
    pub fn full_walks(&self) -> u64 {
        self.stats.walks.load(Ordering::Relaxed)
    }

    /// Every item, in key order (each read on its own, not a snapshot).
    /// Walks the whole table: not for request paths.
    pub fn items(&self) -> Vec<Item> {
        self.stats.walked();
        let slots: Vec<Slot> = read(&self.items).values().cloned().collect();
        slots.iter().filter_map(|s| lock(s).clone()).collect()
    }

    pub(crate) fn description(&self, status: &str) -> TableDescription {
        let (key_schema, attribute_definitions) = self.schema.describe();
        let (item_count, table_size_bytes) = (self.stats.item_count(), self.stats.size_bytes());
        let (read_capacity_units, write_capacity_units) = self
            .billing
            .throughput
            .map_or((0, 0), |t| (t.read_capacity_units, t.write_capacity_units));
        TableDescription {
            table_name: self.name.clone(),
            key_schema,
            attribute_definitions,
            table_status: status.into(),
            item_count,
            table_size_bytes,
            table_arn: format!("arn:aws:dynamodb:local:000000000000:table/{}", self.name),
            creation_date_time: self.created,
            billing_mode_summary: self.billing.mode.clone().map(|billing_mode| {
                BillingModeSummary {
                    billing_mode: billing_mode.into(),
                }
            }),
            provisioned_throughput: ProvisionedThroughputDescription {
                number_of_decreases_today: 0,
                read_capacity_units,
                write_capacity_units,
            },
            deletion_protection_enabled: false,
        }
    }
}

/// A table's billing mode and capacity as given at creation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Billing {
    pub(crate) mode: Option<String>,
    pub(crate) throughput: Option<ProvisionedThroughput>,
}
