//! One TTL sweep: a complete pass over every TTL-enabled table at one clock
//! time, deleting the expired items (spec streams-ttl-tags.md §5.4, §5.5).
//!
//! # Locking
//!
//! A sweep holds no table-wide lock for long and never more than one item:
//!
//! * the tables are a snapshot of the catalog (a deleted table may still be
//!   swept once; nobody sees it any more);
//! * each table's map is read [`BATCH`] slots at a time
//!   ([`range::batch`](crate::store::range::batch)), its read lock held only
//!   for the copy, as a Scan does;
//! * each slot is first looked at without waiting (`try_lock` of the item):
//!   an item that is not expired is passed over; one that is, or that a
//!   writer has locked at that moment, is then taken as a single-item write
//!   takes it ([`SlotRef::lock`](crate::store::table::SlotRef)), and
//!   its expiry is checked again under that lock before it is deleted, so an
//!   item whose TTL value was pushed into the future, or removed, in between
//!   stays (§5.4);
//! * a slot held by a TransactWriteItems is skipped at once (a single-item
//!   write would fail with `TransactionConflictException` there): the sweep
//!   neither waits for the transaction nor disturbs it, and the next sweep
//!   deletes the item if it is still expired. A slot held briefly (a
//!   single-item write, a batch write, a TransactGetItems) is waited for, as
//!   every writer waits for it; such holds end without waiting for the
//!   sweep, which holds nothing else meanwhile.
//!
//! The table's TTL setting is read again before each deletion (never while
//! an item is locked): once UpdateTimeToLive disables TTL or it is enabled
//! on another attribute, the pass over that table stops.
//!
//! # The write
//!
//! [`expire_locked`] is the one place a TTL deletion is written. It deletes
//! through [`LockedItem::replace`], the write point of every single-item
//! write, which keeps the table's counters and every index in step, and
//! consumes no capacity (DynamoDB's TTL deletions are free).

use std::ops::Bound;
use std::sync::TryLockError;
use std::sync::atomic::{AtomicBool, Ordering};

use super::expiry::Cutoff;
use crate::store::catalog::Store;
use crate::store::key::PrimaryKey;
use crate::store::range::{BATCH, BoundKey, batch};
use crate::store::slot::{Stored, decoded};
use crate::store::table::{HeldByTransaction, LockedItem, Slot, Table, lock};
use crate::value::Item;

/// What a sweep of one table did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// Items deleted.
    pub(crate) expired: u64,
    /// Expired items skipped because a transaction held them.
    pub(crate) held: u64,
}

impl Store {
    /// Deletes every item that is expired at the store's clock time (one
    /// complete pass over every TTL-enabled table; the time is read once, at
    /// the start) and answers how many it deleted. Expired items skipped
    /// because a TransactWriteItems held them at that moment are left for
    /// the next sweep.
    ///
    /// An item is expired when its TTL attribute is a number of epoch
    /// seconds in the past, but not more than five years in the past (spec
    /// streams-ttl-tags.md §5.3); strings, sets and other types never expire.
    /// A deletion is DynamoDB's service-side delete: the item leaves the
    /// table and its indexes and no capacity is consumed. Until a sweep runs,
    /// expired items stay visible to every read.
    ///
    /// ```
    /// use dynacond::api::*;
    /// use dynacond::store::ScalarType;
    /// use dynacond::{wire, Clock, Store};
    ///
    /// let store = Store::builder().clock(Clock::manual(1_700_000_000_000)).build()?;
    /// store.create_table(CreateTableInput::new("sessions").with_hash_key("id", ScalarType::S))?;
    /// store.update_time_to_live(UpdateTimeToLiveInput::enable("sessions", "expires"))?;
    /// store.put_item(wire::from_str(
    ///     r#"{"TableName": "sessions", "Item": {"id": {"S": "s1"}, "expires": {"N": "1700000060"}}}"#,
    /// )?)?;
    /// assert_eq!(store.sweep_expired(), 0);
    /// store.clock().advance(std::time::Duration::from_secs(61));
    /// assert_eq!(store.sweep_expired(), 1);
    /// assert_eq!(store.table("sessions")?.item_count(), 0);
    /// # Ok::<(), dynacond::Error>(())
    /// ```
    pub fn sweep_expired(&self) -> u64 {
        self.sweep_until(&AtomicBool::new(false))
    }

    /// [`Store::sweep_expired`], stopping early (between batches of slots)
    /// once `stop` is set; answers the items deleted.
    pub(crate) fn sweep_until(&self, stop: &AtomicBool) -> u64 {
        let Some(cutoff) = Cutoff::at(self.inner.clock.now_millis()) else {
            return 0;
        };
        let mut expired = 0;
        for table in self.tables() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            expired += sweep_table(&table, &cutoff, stop).expired;
        }
        expired
    }
}

/// The table's TTL attribute, while TTL is enabled.
fn ttl_attribute(table: &Table) -> Option<String> {
    lock(&table.settings).ttl.attribute.clone()
}

/// Deletes the expired items of one table, in key order.
pub(crate) fn sweep_table(table: &Table, cutoff: &Cutoff, stop: &AtomicBool) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(attribute) = ttl_attribute(table) else {
        return outcome;
    };
    let mut from: Bound<BoundKey> = Bound::Unbounded;
    while !stop.load(Ordering::Relaxed) {
        let slots = batch(table, &from, &Bound::Unbounded, true);
        for (key, slot) in &slots {
            if !may_be_expired(slot, key, &attribute, cutoff) {
                continue;
            }
            if ttl_attribute(table).as_ref() != Some(&attribute) {
                // Disabled, or moved to another attribute, meanwhile.
                return outcome;
            }
            match expire(table, key, &attribute, cutoff) {
                Ok(true) => outcome.expired += 1,
                Ok(false) => {}
                Err(HeldByTransaction) => outcome.held += 1,
            }
        }
        match slots.last() {
            Some((last, _)) if slots.len() == BATCH => {
                from = Bound::Excluded(BoundKey::at(last));
            }
            _ => break,
        }
    }
    outcome
}

/// A look at a slot without waiting: false when its item is certainly not
/// expired (or absent); true when it is, or when a writer holds the item
/// right now (then [`expire`] decides under the lock).
fn may_be_expired(slot: &Slot, key: &PrimaryKey, attribute: &str, cutoff: &Cutoff) -> bool {
    let expired = |stored: &Stored| {
        decoded(stored, key).is_some_and(|item| cutoff.item_expired(&item, attribute))
    };
    match slot.item.try_lock() {
        Ok(item) => expired(&item),
        Err(TryLockError::Poisoned(poisoned)) => expired(&poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => true,
    }
}

/// Deletes the item of `key` if it is (still) expired, checked while the
/// item is locked as a single-item write locks it; fails at once if a
/// transaction holds it. Answers whether it deleted the item.
fn expire(
    table: &Table,
    key: &PrimaryKey,
    attribute: &str,
    cutoff: &Cutoff,
) -> Result<bool, HeldByTransaction> {
    // The slot in the map now (it may have been replaced since the batch
    // was copied); none: no item.
    let Some(slot) = table.find_slot(key) else {
        return Ok(false);
    };
    let mut locked = slot.lock()?;
    let expired = locked
        .get()
        .is_some_and(|item| cutoff.item_expired(item, attribute));
    if expired {
        // A failed log write deletes nothing; the next sweep tries again.
        return Ok(expire_locked(&mut locked).is_some());
    }
    Ok(expired)
}

/// The TTL deletion of a locked item: the only write a sweep makes, through
/// the single-item write point, marked as the service's so the stream's
/// REMOVE record carries DynamoDB's `userIdentity`
/// (`durable::write_locked` with [`WriteOrigin::Ttl`](crate::store::stream::WriteOrigin)).
/// Answers the item deleted.
pub(crate) fn expire_locked(locked: &mut LockedItem<'_>) -> Option<Item> {
    crate::store::durable::write_locked(locked, None, crate::store::stream::WriteOrigin::Ttl)
        .ok()
        .flatten()
}
