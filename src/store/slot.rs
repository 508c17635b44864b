//! An item's slot in a table: its item and its hold, the writers' lock
//! protocol (`SlotRef`, `LockedItem`).
//!
//! # Slots, holds and transaction conflicts
//!
//! Every key has a slot ([`SlotCell`]) with two locks: its item's mutex and
//! its hold (who holds it, one byte, waited for on one of the table's
//! striped locks: [`crate::store::holds`]). Readers (GetItem,
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
//!
//! # Compact items
//!
//! A slot keeps its item encoded ([`crate::store::compact`]): one byte
//! string instead of a map of strings and values, a fraction of the memory.
//! Readers decode it while they hold the item's mutex ([`SlotCell::copy`]);
//! a writer decodes it once when it locks the item and encodes the new item
//! when it replaces it ([`LockedItem`]).

use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

use crate::error::Error;
use crate::store::collections::CollectionSizes;
use crate::store::compact;
use crate::store::gate::Pass;
use crate::store::holds::{HoldCell, Holds};
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::stored_key::StoredKey;
use crate::store::stream::WriteOrigin;
use crate::store::table::{Table, lock, read, write};
use crate::value::{Item, item_size};

/// One item's slot, shared by the table's map and everyone using it.
pub(crate) type Slot = Arc<SlotCell>;

/// A table's slots, ordered by their keys' byte form ([`StoredKey`]): the
/// map holds a pointer per item, and each slot its key.
pub(crate) type Items = BTreeSet<Keyed>;

/// A slot in a table's map, ordered (and found, through `Borrow<[u8]>`) by
/// its key's bytes.
#[derive(Debug, Clone)]
pub(crate) struct Keyed(pub(crate) Slot);

impl Keyed {
    fn bytes(&self) -> &[u8] {
        self.0.key.as_bytes()
    }
}

impl PartialEq for Keyed {
    fn eq(&self, other: &Keyed) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Keyed {}

impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Keyed) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Keyed {
    fn cmp(&self, other: &Keyed) -> std::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl Borrow<[u8]> for Keyed {
    fn borrow(&self) -> &[u8] {
        self.bytes()
    }
}

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

/// A stored item: its compact encoding (`None`: no item under the key).
pub(crate) type Stored = Option<Box<[u8]>>;

/// The item of a stored encoding, the item of `key`.
pub(crate) fn decoded(stored: &Stored, key: &PrimaryKey) -> Option<Item> {
    // The bytes come from `compact::encode` only, so they always decode.
    stored
        .as_deref()
        .and_then(|b| compact::decode(b, Some(key)))
}

/// One item's slot: the item (`None` when no item exists) and who holds
/// it (module docs). The locks writers wait on for a hold are the table's
/// ([`Holds`]): an idle slot is its key, its item's mutex and one byte.
#[derive(Debug)]
pub(crate) struct SlotCell {
    /// The key, in the byte form the table's map orders slots by.
    pub(crate) key: StoredKey,
    /// The item, encoded (`None`: no item under this key); readers lock it
    /// to copy.
    pub(crate) item: Mutex<Stored>,
    /// Who holds the slot.
    hold: HoldCell,
}

impl SlotCell {
    /// An empty slot for the key of `key`'s byte form.
    pub(crate) fn new(key: StoredKey) -> SlotCell {
        SlotCell {
            key,
            item: Mutex::new(None),
            hold: HoldCell::default(),
        }
    }

    /// A slot holding `item` under `key` of a table with `schema`, held by
    /// nobody (a restored or recovered table's). Encoded as a write would:
    /// its key values left to the key.
    pub(crate) fn holding(item: &Item, schema: &KeySchema, key: &PrimaryKey) -> SlotCell {
        SlotCell {
            item: Mutex::new(Some(compact::encode(item, Some((schema, key))))),
            ..SlotCell::new(StoredKey::new(key))
        }
    }

    /// A copy of the item of `key` as stored (`None`: none exists), with
    /// its size (DynamoDB's count), both read under the item's mutex.
    pub(crate) fn stored_copy(&self, key: &PrimaryKey) -> Option<(Box<[u8]>, u64)> {
        let stored = lock(&self.item);
        let bytes = stored.as_ref()?;
        let size = compact::decode(bytes, Some(key)).map_or(0, |item| item_size(&item));
        Some((bytes.clone(), size as u64))
    }

    /// A slot holding an item as stored (`bytes`, the compact encoding of
    /// an item under `key`), held by nobody.
    pub(crate) fn stored(key: StoredKey, bytes: Box<[u8]>) -> SlotCell {
        SlotCell {
            item: Mutex::new(Some(bytes)),
            ..SlotCell::new(key)
        }
    }

    /// A copy of the item of `key` (`None`: none exists), decoded under the item's
    /// mutex. Readers lock only that, never the hold, so they neither wait
    /// for a hold nor fail on one. A writer keeps the item locked while it
    /// holds the slot, so a reader sees the item before or after a write
    /// (or a whole transaction), never during it.
    pub(crate) fn copy(&self, key: &PrimaryKey) -> Option<Item> {
        decoded(&lock(&self.item), key)
    }

    /// True when a transaction holds the slot (a look; never waits for the hold).
    pub(crate) fn held_by_transaction(&self) -> bool {
        self.hold.held_by_transaction()
    }

    /// Blocks until at least `count` writers wait for the hold (tests use it
    /// to know that a writer is waiting, without sleeping).
    #[cfg(test)]
    pub(crate) fn wait_for_waiters(&self, count: usize) {
        self.hold.wait_for_waiters(count);
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
    /// Inside the store's write gate while the slot is held (`gate`).
    _pass: Pass<'t>,
}

impl<'t> SlotRef<'t> {
    /// A reference to `slot`, the slot of `key` in `table`, taken inside
    /// the store's write gate (`pass`).
    pub(crate) fn new(table: &'t Table, key: &'t PrimaryKey, slot: Slot, pass: Pass<'t>) -> Self {
        SlotRef {
            table,
            key,
            slot,
            _pass: pass,
        }
    }

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
        self.table.holds.take(&self.slot.hold, hold)?;
        Ok(self.locked())
    }

    /// Takes the slot for one write of a BatchWriteItem and locks its item,
    /// waiting for any holder, a transaction too (module docs).
    pub(crate) fn lock_waiting(&self) -> LockedItem<'_> {
        self.table.holds.take_waiting(&self.slot.hold);
        self.locked()
    }

    /// The item locked, once the hold is taken.
    fn locked(&self) -> LockedItem<'_> {
        let held = Held(&self.slot.hold, &self.table.holds);
        let guard = lock(&self.slot.item);
        LockedItem {
            item: decoded(&guard, self.key),
            guard,
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
        let key = self.slot.key.as_bytes();
        let unused = items.get(key).is_some_and(|Keyed(s)| {
            Arc::ptr_eq(s, &self.slot)
                && Arc::strong_count(s) == 2
                && s.item.try_lock().is_ok_and(|item| item.is_none())
        });
        if unused {
            items.remove(key);
        }
    }
}

/// A slot's hold, given back on drop.
#[derive(Debug)]
struct Held<'s>(&'s HoldCell, &'s Holds);

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.1.give_back(self.0);
    }
}

/// One item, held and locked: read it, or replace it (which keeps the
/// table's counters). Unlocks the item, then gives the hold back, on drop.
#[derive(Debug)]
pub(crate) struct LockedItem<'s> {
    /// The item, decoded when it was locked; always `guard`'s item.
    item: Option<Item>,
    /// Declared before `_held`, so it is unlocked first.
    guard: MutexGuard<'s, Stored>,
    table: &'s Table,
    key: &'s PrimaryKey,
    _held: Held<'s>,
}

impl<'s> LockedItem<'s> {
    /// The item, or `None` when none exists.
    pub(crate) fn get(&self) -> Option<&Item> {
        self.item.as_ref()
    }

    /// The item's table and key.
    pub(crate) fn table_and_key(&self) -> (&'s Table, &'s PrimaryKey) {
        (self.table, self.key)
    }

    /// [`LockedItem::replace`] on a durable store: logs the new item first
    /// (and waits for it); an I/O error fails the write with nothing changed.
    pub(crate) fn write(&mut self, new: Option<Item>) -> Result<Option<Item>, Error> {
        crate::store::durable::write_locked(self, new, WriteOrigin::Request)
    }

    /// Replaces the item (`None`: deletes it) and returns the old one,
    /// moving its index entries along while the item is locked. Nothing in
    /// it can fail, so a write is never half-done.
    pub(crate) fn replace(&mut self, new: Option<Item>) -> Option<Item> {
        self.replace_from(new, WriteOrigin::Request)
    }

    /// Deletes the item as DynamoDB's TTL sweep does: like `replace(None)`,
    /// but its stream record says so (`userIdentity`, streams-ttl-tags.md §3.6).
    /// The sweep goes through `durable::write_locked` with the same origin.
    #[cfg(test)]
    pub(crate) fn replace_by_ttl(&mut self) -> Option<Item> {
        self.replace_from(None, WriteOrigin::Ttl)
    }

    /// [`LockedItem::replace`] by a writer of this origin; the stream's
    /// record is appended while the item is locked (`stream` module docs).
    pub(crate) fn replace_from(&mut self, new: Option<Item>, origin: WriteOrigin) -> Option<Item> {
        let table = self.table;
        let old = self.item.as_ref();
        table.stats.record(old, new.as_ref());
        let indexes = read(&table.indexes);
        for index in indexes.iter() {
            index.record(self.key, &table.schema, old, new.as_ref());
        }
        if table.collections.tracked() {
            let size = |item| {
                CollectionSizes::contribution(indexes.iter().map(|i| &**i), &table.schema, item)
            };
            let (before, after) = (size(old), size(new.as_ref()));
            table.collections.record(&self.key.partition, before, after);
        }
        drop(indexes);
        if origin != WriteOrigin::Replay {
            table.stream.record(self.key, old, new.as_ref(), origin);
        }
        let keyed = Some((&table.schema, self.key));
        *self.guard = new.as_ref().map(|item| compact::encode(item, keyed));
        std::mem::replace(&mut self.item, new)
    }
}

#[cfg(test)]
mod tests {
    use std::thread;

    use super::*;
    use crate::store::key::{KeyAttribute, KeySchema, ScalarType};
    use crate::store::table::Billing;

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
            table.holds.hand_to_transaction(&cell.hold);
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
