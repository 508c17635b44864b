//! A table: its schema, settings (billing, deletion protection) and items,
//! each in a slot with its own lock.
//!
//! # Slots, holds and transaction conflicts
//!
//! Every key has a slot ([`SlotCell`]) with two locks. Readers (GetItem,
//! Query, Scan, BatchGetItem) lock only the item's mutex, for the moment
//! they copy the item. Writers first take the slot's *hold*, then lock the
//! item, and keep both while they read, check and write it ([`LockedItem`]).
//! The hold records who holds the slot, so a writer that finds it taken can
//! tell a brief holder from a transaction:
//!
//! | Writer | holds as | slot held briefly | slot held by a TransactWriteItems |
//! | --- | --- | --- | --- |
//! | PutItem, UpdateItem, DeleteItem ([`SlotRef::lock`]) | [`Hold::Brief`] | waits | fails: `TransactionConflictException` |
//! | TransactGetItems ([`SlotRef::lock_as`]) | [`Hold::Brief`] | waits | fails: cancelled, reason `TransactionConflict` |
//! | TransactWriteItems ([`SlotRef::lock_as`]) | [`Hold::Transaction`] | waits | fails: cancelled, reason `TransactionConflict` |
//! | one write of BatchWriteItem ([`SlotRef::lock_waiting`]) | [`Hold::Brief`] | waits | waits |
//!
//! That is DynamoDB's conflict list (developer guide, "Transaction conflict
//! handling"): a PutItem, UpdateItem or DeleteItem meeting an ongoing
//! TransactWriteItems is rejected with `TransactionConflictException`, a
//! TransactWriteItems or TransactGetItems meeting one is cancelled, and a
//! TransactGetItems makes nobody fail. Two departures, both serializable:
//! a TransactGetItems meeting a single-item write waits for it instead of
//! being cancelled (the write holds the slot for a moment), and
//! BatchWriteItem waits for a transaction instead of failing: DynamoDB's
//! conflict list does not name BatchWriteItem, its documented errors include
//! no `TransactionConflictException`, and its only per-write failure,
//! `UnprocessedItems`, is documented for throughput and internal failures;
//! waiting keeps each of its writes serializable (DynamoDB's isolation table)
//! and makes every write of a valid batch.
//!
//! No wait can be part of a cycle, and every wait ends:
//! * nobody waits for a transaction's hold except a batch write, which holds
//!   no other slot while it waits;
//! * a writer holding several slots (a transaction, a TransactGetItems) took
//!   them in ascending (table name, key) order and waits only for a later
//!   slot, held briefly by a writer that waits, if at all, for a still later
//!   slot: every chain of waits climbs that order and ends at a writer that
//!   waits for nothing;
//! * a writer holding a slot waits for its item's mutex only while a reader
//!   copies the item, and readers wait for nothing else.
//!
//! Waiting is a condition variable, not a retry loop.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{
    Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard,
    TryLockError,
};

use crate::api::{
    BillingMode, BillingModeSummary, GlobalSecondaryIndexDescription,
    LocalSecondaryIndexDescription, Projection, ProvisionedThroughput, TableDescription,
};
use crate::error::Error;
use crate::store::collections::CollectionSizes;
use crate::store::extras::Extras;
use crate::store::index::{Index, IndexKeyError, IndexKind, Projected, check_index_keys};
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::stream::{TableStream, WriteOrigin};
use crate::store::throughput::Provisioned;
use crate::store::ttl::TtlState;
use crate::value::{Item, item_size};

/// One item's slot, shared by the table's map and everyone using it.
pub(crate) type Slot = Arc<SlotCell>;

/// DynamoDB's message when a transaction holds the item: the message of a
/// single-item write's `TransactionConflictException` and of a cancelled
/// transaction's `TransactionConflict` reason (no final period).
pub const TRANSACTION_ONGOING: &str = "Transaction is ongoing for the item";

/// What a writer holds a slot as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hold {
    /// For a moment: a single-item write, one write of a batch, or a
    /// TransactGetItems copying its snapshot. Other writers wait for it.
    Brief,
    /// By a TransactWriteItems, from locking its items until its plan is
    /// applied or dropped. Other writers fail on it (batch writes wait).
    Transaction,
}

/// A writer found its item held by a transaction. Becomes DynamoDB's
/// `TransactionConflictException` ([`TRANSACTION_ONGOING`]); a transaction
/// turns it into a `TransactionConflict` cancellation reason instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeldByTransaction;

impl From<HeldByTransaction> for Error {
    fn from(_: HeldByTransaction) -> Error {
        Error::TransactionConflict(TRANSACTION_ONGOING.into())
    }
}

/// One item's slot: the item (`None` when no item exists) and its hold
/// (module docs).
#[derive(Debug, Default)]
pub(crate) struct SlotCell {
    item: Mutex<Option<Item>>,
    /// Who holds the slot (`None`: nobody).
    hold: Mutex<HoldState>,
    /// Signalled whenever the hold is given back.
    released: Condvar,
    /// Signalled whenever a writer starts waiting (tests wait for that).
    #[cfg(test)]
    arrived: Condvar,
}

#[derive(Debug, Default)]
struct HoldState {
    holder: Option<Hold>,
    /// How many writers wait for the hold.
    #[cfg(test)]
    waiting: usize,
}

/// A slot reads as its item's mutex: readers lock only that, never the
/// hold, so they neither wait for a hold nor fail on one. A writer keeps the
/// item locked while it holds the slot, so a reader sees the item before or
/// after a write (or a whole transaction), never during it.
impl std::ops::Deref for SlotCell {
    type Target = Mutex<Option<Item>>;

    fn deref(&self) -> &Self::Target {
        &self.item
    }
}

impl SlotCell {
    /// Takes the hold as `hold`: waits while it is held briefly, fails at
    /// once while (or as soon as) a transaction holds it.
    fn take(&self, hold: Hold) -> Result<(), HeldByTransaction> {
        let mut state = lock(&self.hold);
        loop {
            match state.holder {
                None => break,
                Some(Hold::Transaction) => return Err(HeldByTransaction),
                Some(Hold::Brief) => state = self.wait(state),
            }
        }
        state.holder = Some(hold);
        Ok(())
    }

    /// Takes the hold briefly, waiting for any holder, a transaction too.
    fn take_waiting(&self) {
        let mut state = lock(&self.hold);
        while state.holder.is_some() {
            state = self.wait(state);
        }
        state.holder = Some(Hold::Brief);
    }

    /// Waits until the hold is given back (or a spurious wake-up).
    fn wait<'g>(&self, state: MutexGuard<'g, HoldState>) -> MutexGuard<'g, HoldState> {
        #[cfg(test)]
        let state = {
            let mut state = state;
            state.waiting += 1;
            self.arrived.notify_all();
            state
        };
        let state = self
            .released
            .wait(state)
            .unwrap_or_else(PoisonError::into_inner);
        #[cfg(test)]
        let state = {
            let mut state = state;
            state.waiting -= 1;
            state
        };
        state
    }

    /// Gives the hold back and wakes every waiter: each looks again, and
    /// those that find a transaction holding the slot now fail.
    fn give_back(&self) {
        lock(&self.hold).holder = None;
        self.released.notify_all();
    }

    /// True when a transaction holds the slot (a look; never waits for the hold).
    pub(crate) fn held_by_transaction(&self) -> bool {
        lock(&self.hold).holder == Some(Hold::Transaction)
    }

    /// Blocks until at least `count` writers wait for the hold (tests use it
    /// to know that a writer is waiting, without sleeping).
    #[cfg(test)]
    pub(crate) fn wait_for_waiters(&self, count: usize) {
        let mut state = lock(&self.hold);
        while state.waiting < count {
            state = self
                .arrived
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

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
    pub(crate) items: RwLock<BTreeMap<PrimaryKey, Slot>>,
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
/// and new ones are handed out only under the map's lock, so a count of two,
/// the map's and this one, under the write lock means nobody else can be
/// using it.) Dropping one never waits: a slot whose item is locked at that
/// moment is in use, and stays; so does, rarely, an empty slot a reader was
/// copying, until the next write or transactional read of its key.
#[derive(Debug)]
pub(crate) struct SlotRef<'t> {
    table: &'t Table,
    key: &'t PrimaryKey,
    slot: Slot,
}

impl<'t> SlotRef<'t> {
    /// Takes the slot for a single-item write (PutItem, UpdateItem,
    /// DeleteItem) and locks its item: [`SlotRef::lock_as`] with
    /// [`Hold::Brief`]. Fails when a transaction holds it.
    pub(crate) fn lock(&self) -> Result<LockedItem<'_>, HeldByTransaction> {
        self.lock_as(Hold::Brief)
    }

    /// Takes the slot as `hold` and locks its item: waits while another
    /// writer holds it briefly, fails at once while a transaction holds it.
    /// The hold and the lock are given back when the returned guard is
    /// dropped, the slot when this reference is.
    pub(crate) fn lock_as(&self, hold: Hold) -> Result<LockedItem<'_>, HeldByTransaction> {
        self.slot.take(hold)?;
        Ok(self.locked())
    }

    /// Takes the slot for one write of a BatchWriteItem and locks its item,
    /// waiting for any holder, a transaction too (module docs).
    pub(crate) fn lock_waiting(&self) -> LockedItem<'_> {
        self.slot.take_waiting();
        self.locked()
    }

    /// The item locked, once the hold is taken.
    fn locked(&self) -> LockedItem<'_> {
        let held = Held(&self.slot);
        LockedItem {
            guard: lock(&self.slot.item),
            table: self.table,
            key: self.key,
            _held: held,
        }
    }

    /// True when a transaction holds the slot (a look; never waits).
    pub(crate) fn held_by_transaction(&self) -> bool {
        self.slot.held_by_transaction()
    }

    /// The key of the slot.
    pub(crate) fn key(&self) -> &PrimaryKey {
        self.key
    }

    /// The slot itself (tests poison it, or wait for its waiters).
    #[cfg(test)]
    pub(crate) fn raw(&self) -> Slot {
        self.slot.clone()
    }

    /// The name of the slot's table.
    pub(crate) fn table_name(&self) -> &str {
        &self.table.name
    }
}

impl Drop for SlotRef<'_> {
    fn drop(&mut self) {
        let empty = match self.slot.item.try_lock() {
            Ok(item) => item.is_none(),
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner().is_none(),
            // In use: its user holds the slot (and cleans up) or reads it.
            Err(TryLockError::WouldBlock) => false,
        };
        if !empty {
            return;
        }
        let mut items = write(&self.table.items);
        let unused = items.get(self.key).is_some_and(|s| {
            Arc::ptr_eq(s, &self.slot)
                && Arc::strong_count(s) == 2
                && s.item.try_lock().is_ok_and(|item| item.is_none())
        });
        if unused {
            items.remove(self.key);
        }
    }
}

/// A slot's hold, given back on drop.
#[derive(Debug)]
struct Held<'s>(&'s SlotCell);

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.give_back();
    }
}

/// One item, held and locked: read it, or replace it (which keeps the
/// table's counters). Unlocks the item, then gives the hold back, on drop.
#[derive(Debug)]
pub(crate) struct LockedItem<'s> {
    /// Declared before `_held`, so it is unlocked first.
    guard: MutexGuard<'s, Option<Item>>,
    table: &'s Table,
    key: &'s PrimaryKey,
    _held: Held<'s>,
}

impl LockedItem<'_> {
    /// The item, or `None` when none exists.
    pub(crate) fn get(&self) -> Option<&Item> {
        self.guard.as_ref()
    }

    /// Replaces the item (`None`: deletes it) and returns the old one,
    /// moving its index entries along while the item is locked. Nothing in
    /// it can fail, so a write is never half-done.
    pub(crate) fn replace(&mut self, new: Option<Item>) -> Option<Item> {
        self.replace_from(new, WriteOrigin::Request)
    }

    /// Deletes the item as DynamoDB's TTL sweep does: like `replace(None)`,
    /// but its stream record says so (`userIdentity`, streams-ttl-tags.md §3.6).
    pub(crate) fn replace_by_ttl(&mut self) -> Option<Item> {
        self.replace_from(None, WriteOrigin::Ttl)
    }

    /// [`LockedItem::replace`] by a writer of this origin; the stream's
    /// record is appended while the item is locked (`stream` module docs).
    pub(crate) fn replace_from(&mut self, new: Option<Item>, origin: WriteOrigin) -> Option<Item> {
        let table = self.table;
        table.stats.record(self.guard.as_ref(), new.as_ref());
        let indexes = read(&table.indexes);
        for index in indexes.iter() {
            index.record(self.key, &table.schema, self.guard.as_ref(), new.as_ref());
        }
        if table.collections.tracked() {
            let size = |item| {
                CollectionSizes::contribution(indexes.iter().map(|i| &**i), &table.schema, item)
            };
            let (before, after) = (size(self.guard.as_ref()), size(new.as_ref()));
            table.collections.record(&self.key.partition, before, after);
        }
        drop(indexes);
        let old = self.guard.as_ref();
        table.stream.record(self.key, old, new.as_ref(), origin);
        std::mem::replace(&mut *self.guard, new)
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
            stats: TableStats::default(),
            collections: CollectionSizes::new(&indexes),
            indexes: RwLock::new(indexes.into_iter().map(Arc::new).collect()),
            extras: Mutex::default(),
            stream: TableStream::default(),
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
        let slot = read(&self.items).get(key).cloned()?;
        Some(SlotRef {
            table: self,
            key,
            slot,
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
            slot,
        }
    }

    /// The item of a key, copied out under its lock (a consistent read).
    pub(crate) fn get(&self, key: &PrimaryKey) -> Option<Item> {
        let slot = read(&self.items).get(key).cloned()?;
        lock(&slot.item).clone()
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
        slots.iter().filter_map(|s| lock(&s.item).clone()).collect()
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

#[cfg(test)]
mod tests {
    use std::thread;

    use super::*;
    use crate::store::key::{KeyAttribute, ScalarType};

    fn table() -> Table {
        let schema = KeySchema {
            partition: KeyAttribute {
                name: "p".into(),
                scalar_type: ScalarType::S,
            },
            sort: None,
        };
        Table::new(
            "tab".into(),
            "arn:aws:dynamodb:us-east-1:123456789012:table/tab".into(),
            schema,
            Billing::default(),
            0.0,
            Vec::new(),
        )
    }

    fn key(table: &Table, p: &str) -> PrimaryKey {
        let item =
            crate::wire::item_from_json(format!(r#"{{"p": {{"S": "{p}"}}}}"#).as_bytes()).unwrap();
        table.schema().key_of_map(&item).unwrap()
    }

    #[test]
    fn a_transactions_hold_fails_other_writers_until_given_back() {
        let table = table();
        let k = key(&table, "k");
        let (a, b) = (table.slot(&k), table.slot(&k));
        let held = a.lock_as(Hold::Transaction).unwrap();
        assert!(b.held_by_transaction());
        assert_eq!(b.lock().err(), Some(HeldByTransaction));
        assert_eq!(b.lock_as(Hold::Transaction).err(), Some(HeldByTransaction));
        assert_eq!(
            Error::from(HeldByTransaction),
            Error::TransactionConflict("Transaction is ongoing for the item".into())
        );
        drop(held);
        assert!(!b.held_by_transaction());
        let mut item = b.lock().unwrap();
        assert!(item.get().is_none());
        item.replace(Some(Item::new()));
        drop(item);
        assert_eq!(table.item_count(), 1);
    }

    #[test]
    fn writers_wait_for_a_brief_hold() {
        let table = table();
        let k = key(&table, "k");
        let slot = table.slot(&k);
        let brief = slot.lock().unwrap();
        thread::scope(|s| {
            let waiter = s.spawn(|| {
                let other = table.slot(&k);
                other.lock().map(|i| i.get().cloned())
            });
            slot.raw().wait_for_waiters(1);
            drop(brief);
            assert_eq!(waiter.join().unwrap(), Ok(None));
        });
    }

    #[test]
    fn a_waiting_writer_fails_once_a_transaction_takes_the_slot() {
        let table = table();
        let k = key(&table, "k");
        let slot = table.slot(&k);
        // A brief holder gives the slot straight to a transaction (as if the
        // transaction had won the race for it), then a waiter looks again.
        let brief = slot.lock().unwrap();
        thread::scope(|s| {
            let waiter = s.spawn(|| table.slot(&k).lock().map(|_| ()));
            let cell = slot.raw();
            cell.wait_for_waiters(1);
            lock(&cell.hold).holder = Some(Hold::Transaction);
            cell.released.notify_all();
            assert_eq!(waiter.join().unwrap(), Err(HeldByTransaction));
            // The brief guard now gives back what the transaction "took".
            drop(brief);
        });
        assert!(!slot.held_by_transaction());
    }

    #[test]
    fn a_batch_write_waits_for_a_transaction() {
        let table = table();
        let k = key(&table, "k");
        let slot = table.slot(&k);
        let mut txn = slot.lock_as(Hold::Transaction).unwrap();
        thread::scope(|s| {
            let waiter = s.spawn(|| {
                let other = table.slot(&k);
                let mut item = other.lock_waiting();
                let seen = item.get().cloned();
                item.replace(None);
                seen
            });
            slot.raw().wait_for_waiters(1);
            txn.replace(Some(Item::new()));
            drop(txn);
            // The batch write ran after the transaction and saw its item.
            assert_eq!(waiter.join().unwrap(), Some(Item::new()));
        });
        assert_eq!(table.item_count(), 0);
    }

    #[test]
    fn dropping_a_slot_reference_never_waits() {
        let table = table();
        let k = key(&table, "k");
        let slot = table.slot(&k);
        let held = slot.lock_as(Hold::Transaction).unwrap();
        // Another reference to the held (empty) slot comes and goes.
        drop(table.slot(&k));
        assert_eq!(table.slot_count(), 1);
        drop(held);
        drop(slot);
        // The last reference removes the empty slot.
        assert_eq!(table.slot_count(), 0);
    }
}
