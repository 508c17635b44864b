//! A table: its schema, settings (billing, deletion protection) and items,
//! each in a slot with its own lock ([`crate::store::slot`]: slots, holds
//! and transaction conflicts).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::api::{
    BillingMode, BillingModeSummary, GlobalSecondaryIndexDescription,
    LocalSecondaryIndexDescription, Projection, ProvisionedThroughput, TableDescription,
};
use crate::error::Error;
use crate::store::collections::CollectionSizes;
use crate::store::extras::Extras;
use crate::store::gate::WriteGate;
use crate::store::holds::Holds;
use crate::store::index::{Index, IndexKeyError, IndexKind, Projected, check_index_keys};
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::stream::TableStream;
use crate::store::throughput::Provisioned;
use crate::store::ttl::TtlState;
use crate::value::{Item, item_size};

pub(crate) use crate::store::slot::{
    HeldByTransaction, Hold, Items, Keyed, LockedItem, Slot, SlotCell, SlotRef,
};
use crate::store::stored_key::StoredKey;
pub(crate) use crate::store::table_load::Loader;

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
    /// The table's ARN (the store's region and account).
    pub(crate) arn: String,
    pub(crate) schema: KeySchema,
    /// Billing mode, capacity and deletion protection; UpdateTable holds
    /// the lock while it checks and applies a change.
    pub(crate) settings: Mutex<Settings>,
    /// Seconds since the Unix epoch.
    pub(crate) created: f64,
    pub(crate) items: RwLock<Items>,
    /// The locks writers wait on for a slot's hold (`holds` module docs).
    pub(crate) holds: Holds,
    /// Item count and total item size, kept by every write.
    pub(crate) stats: TableStats,
    /// The secondary indexes, local ones first, kept by every write.
    pub(crate) indexes: RwLock<Vec<Arc<Index>>>,
    /// Tags, encryption, table class, point-in-time recovery.
    pub(crate) extras: Mutex<Extras>,
    /// The table's stream, appended to by every write.
    pub(crate) stream: TableStream,
    /// Item-collection sizes, for a table with local indexes.
    pub(crate) collections: CollectionSizes,
    /// Its place in the data directory's log, on a durable store.
    pub(crate) journal: std::sync::OnceLock<crate::store::durable::TableLog>,
    /// The store's write gate, entered by every slot reference (`gate`).
    pub(crate) gate: Arc<WriteGate>,
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
    /// Counts `count` items of `bytes` in all, added at once (a bulk load).
    pub(crate) fn add(&self, count: u64, bytes: u64) {
        self.items.fetch_add(count, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    pub(crate) fn record(&self, old: Option<&Item>, new: Option<&Item>) {
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

impl Table {
    pub(crate) fn new(
        name: String,
        arn: String,
        schema: KeySchema,
        billing: Billing,
        created: f64,
        indexes: Vec<Index>,
    ) -> Table {
        Table {
            name,
            arn,
            schema,
            settings: Mutex::new(Settings {
                mode: billing.mode.map(BillingMode::from),
                capacity: Provisioned::new(billing.throughput),
                deletion_protection: false,
                ttl: TtlState::default(),
            }),
            created,
            items: RwLock::default(),
            holds: Holds::default(),
            stats: TableStats::default(),
            collections: CollectionSizes::new(&indexes),
            indexes: RwLock::new(indexes.into_iter().map(Arc::new).collect()),
            extras: Mutex::default(),
            stream: TableStream::default(),
            journal: std::sync::OnceLock::new(),
            gate: WriteGate::shared(),
        }
    }

    /// The secondary indexes (a snapshot of the list).
    pub(crate) fn indexes(&self) -> Vec<Arc<Index>> {
        read(&self.indexes).clone()
    }

    /// The key attribute names of every secondary index.
    pub(crate) fn index_key_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for index in read(&self.indexes).iter() {
            for attr in index.schema.attributes() {
                if !names.contains(&attr.name) {
                    names.push(attr.name.clone());
                }
            }
        }
        names
    }

    /// The secondary index of this name.
    pub(crate) fn index(&self, name: &str) -> Option<Arc<Index>> {
        read(&self.indexes).iter().find(|i| i.name == name).cloned()
    }

    /// Adds an index; every write from now on records in it.
    pub(crate) fn add_index(&self, index: Arc<Index>) {
        write(&self.indexes).push(index);
    }

    /// Removes the index of this name; writes stop recording in it.
    pub(crate) fn remove_index(&self, name: &str) {
        write(&self.indexes).retain(|i| i.name != name);
    }

    /// Whether DeleteTable is refused.
    pub(crate) fn deletion_protected(&self) -> bool {
        lock(&self.settings).deletion_protection
    }

    /// DynamoDB's checks of an item's index key attributes before it is
    /// stored ([`check_index_keys`]); `old` (an update's item before) limits
    /// them to the attributes the update changed.
    pub(crate) fn check_index_keys(
        &self,
        item: &Item,
        old: Option<Option<&Item>>,
    ) -> Result<(), IndexKeyError> {
        let indexes = read(&self.indexes);
        if indexes.is_empty() {
            return Ok(());
        }
        match old {
            None => check_index_keys(&indexes, item, None),
            Some(old) => {
                let changed = |name: &str| old.and_then(|o| o.get(name)) != item.get(name);
                check_index_keys(&indexes, item, Some(&changed))
            }
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

    /// Refuses a write of `new` over `old` (the item's current value,
    /// read under its lock) that would grow the item's collection past
    /// the limit (`collections` module docs).
    pub(crate) fn check_collection(
        &self,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
    ) -> Result<(), Error> {
        if !self.collections.tracked() {
            return Ok(());
        }
        let indexes = read(&self.indexes);
        let size =
            |item| CollectionSizes::contribution(indexes.iter().map(|i| &**i), &self.schema, item);
        self.collections.check(&key.partition, size(old), size(new))
    }

    /// True when the table has a local secondary index: only then do writes
    /// report `ItemCollectionMetrics` (spec indexes.md §9).
    pub fn has_local_indexes(&self) -> bool {
        read(&self.indexes)
            .iter()
            .any(|i| i.kind == IndexKind::Local)
    }

    /// A reference to the slot of a key, if one exists (it may hold no item).
    pub(crate) fn find_slot<'t>(&'t self, key: &'t PrimaryKey) -> Option<SlotRef<'t>> {
        let pass = self.gate.enter();
        let slot = self.slot_of(&StoredKey::new(key))?;
        Some(SlotRef::new(self, key, slot, pass))
    }

    /// The slot of a key's byte form, if one exists.
    pub(crate) fn slot_of(&self, key: &StoredKey) -> Option<Slot> {
        read(&self.items)
            .get(key.as_bytes())
            .map(|Keyed(slot)| slot.clone())
    }

    /// A reference to the slot of a key, inserting an empty one if needed.
    pub(crate) fn slot<'t>(&'t self, key: &'t PrimaryKey) -> SlotRef<'t> {
        let pass = self.gate.enter();
        let stored = StoredKey::new(key);
        if let Some(slot) = self.slot_of(&stored) {
            return SlotRef::new(self, key, slot, pass);
        }
        let mut map = write(&self.items);
        let slot = match map.get(stored.as_bytes()) {
            Some(Keyed(slot)) => slot.clone(),
            None => {
                let slot = Arc::new(SlotCell::new(stored));
                map.insert(Keyed(slot.clone()));
                slot
            }
        };
        drop(map);
        SlotRef::new(self, key, slot, pass)
    }

    /// The item of a key, copied out under its lock (a consistent read).
    pub(crate) fn get(&self, key: &PrimaryKey) -> Option<Item> {
        self.slot_of(&StoredKey::new(key))?.copy(key)
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
        let slots: Vec<Slot> = read(&self.items).iter().map(|Keyed(s)| s.clone()).collect();
        slots
            .iter()
            .filter_map(|s| s.copy(&s.key.decode(&self.schema)?))
            .collect()
    }

    /// Writes `images` as recovery replays them ([`Loader`]: in bulk into
    /// an empty table).
    #[cfg(test)]
    pub(crate) fn load(&self, images: Vec<(PrimaryKey, Option<Item>)>) {
        let mut loader = Loader::new(self);
        for (key, item) in images {
            loader.add(key, item);
        }
        loader.finish();
    }

    /// DynamoDB's description of the table in `status`, at time `now`.
    pub(crate) fn description(&self, status: &str, now: f64) -> TableDescription {
        let (key_schema, mut attribute_definitions) = self.schema.describe();
        let table_arn = &self.arn;
        let indexes = self.indexes();
        let mut global = Vec::new();
        let mut local = Vec::new();
        for index in &indexes {
            let (key_schema, definitions) = index.schema.describe();
            for d in definitions {
                if !attribute_definitions
                    .iter()
                    .any(|e| e.attribute_name == d.attribute_name)
                {
                    attribute_definitions.push(d);
                }
            }
            let projection = Projection {
                projection_type: Some(index.projected.projection_type()),
                non_key_attributes: match &index.projected {
                    Projected::Include(names) => Some(names.clone()),
                    _ => None,
                },
            };
            let index_arn = format!("{table_arn}/index/{}", index.name);
            match index.kind {
                IndexKind::Global => global.push(GlobalSecondaryIndexDescription {
                    index_name: index.name.clone(),
                    key_schema,
                    projection,
                    // A new table's indexes are created with it; one added
                    // by UpdateTable is CREATING while it is backfilled.
                    index_status: if status == "CREATING" || index.is_backfilling() {
                        "CREATING"
                    } else {
                        "ACTIVE"
                    }
                    .into(),
                    backfilling: (status != "CREATING" && index.is_backfilling()).then_some(true),
                    provisioned_throughput: index.capacity().describe(now),
                    index_size_bytes: index.size_bytes(),
                    item_count: index.item_count(),
                    index_arn,
                }),
                IndexKind::Local => local.push(LocalSecondaryIndexDescription {
                    index_name: index.name.clone(),
                    key_schema,
                    projection,
                    index_size_bytes: index.size_bytes(),
                    item_count: index.item_count(),
                    index_arn,
                }),
            }
        }
        if !indexes.is_empty() {
            // DynamoDB lists the merged definitions by name.
            attribute_definitions.sort_by(|a, b| a.attribute_name.cmp(&b.attribute_name));
        }
        let (item_count, table_size_bytes) = (self.stats.item_count(), self.stats.size_bytes());
        let settings = lock(&self.settings).clone();
        let (sse_description, table_class_summary) = lock(&self.extras).describe();
        let deleting = status == "DELETING";
        let (stream_specification, latest_stream_arn, latest_stream_label) = self.stream.describe();
        if deleting {
            // DeleteTable's reply has no key schema, definitions, creation
            // time or indexes (indexes.md §7).
            attribute_definitions.clear();
            global.clear();
            local.clear();
        }
        TableDescription {
            table_name: self.name.clone(),
            key_schema: if deleting { Vec::new() } else { key_schema },
            attribute_definitions,
            table_status: status.into(),
            item_count,
            table_size_bytes,
            table_arn: table_arn.clone(),
            creation_date_time: (!deleting).then_some(self.created),
            billing_mode_summary: settings
                .mode
                .map(|billing_mode| BillingModeSummary { billing_mode }),
            provisioned_throughput: settings.capacity.describe(now),
            deletion_protection_enabled: settings.deletion_protection,
            global_secondary_indexes: (!global.is_empty()).then_some(global),
            local_secondary_indexes: (!local.is_empty()).then_some(local),
            sse_description,
            table_class_summary,
            stream_specification,
            latest_stream_arn,
            latest_stream_label,
        }
    }
}

/// A table's billing mode and capacity as given at creation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Billing {
    pub(crate) mode: Option<String>,
    pub(crate) throughput: Option<ProvisionedThroughput>,
}

/// What UpdateTable changes on a table besides its indexes.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The billing mode; `None` for a table created with neither a mode
    /// nor capacity (reported without `BillingModeSummary`).
    pub(crate) mode: Option<BillingMode>,
    /// The table's capacity (`None` units on demand).
    pub(crate) capacity: Provisioned,
    /// Whether DeleteTable is refused.
    pub(crate) deletion_protection: bool,
    /// Time to Live (UpdateTimeToLive).
    pub(crate) ttl: TtlState,
}
