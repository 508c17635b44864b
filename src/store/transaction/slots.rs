//! A transaction's slots: taken in the global lock order, (table name,
//! key) ascending, and locked together ([`crate::store::table`] describes
//! the slots and their holds).

use super::one_item_twice;
use crate::error::Error;
use crate::store::key::PrimaryKey;
use crate::store::table::{HeldByTransaction, Hold, LockedItem, SlotRef, Table};

/// The slots of a request's items (one per action, all distinct), held in
/// ascending (table name, key) order, the global lock order.
pub(super) struct Slots<'t> {
    /// (action index, slot), in lock order.
    held: Vec<(usize, SlotRef<'t>)>,
}

impl<'t> Slots<'t> {
    /// The slots of the targets, one per target. Two targets naming one
    /// item are DynamoDB's `Transaction request cannot include multiple
    /// operations on one item` (and could not both be locked).
    pub(super) fn new(
        targets: impl Iterator<Item = (&'t Table, &'t PrimaryKey)>,
    ) -> Result<Self, Error> {
        let mut held: Vec<(usize, SlotRef<'t>)> = targets
            .enumerate()
            .map(|(i, (table, key))| (i, table.slot(key)))
            .collect();
        held.sort_by(|(_, a), (_, b)| (a.table_name(), a.key()).cmp(&(b.table_name(), b.key())));
        let same = |a: &SlotRef<'_>, b: &SlotRef<'_>| {
            a.table_name() == b.table_name() && a.key() == b.key()
        };
        if held
            .windows(2)
            .any(|w| matches!(w, [(_, a), (_, b)] if same(a, b)))
        {
            return Err(one_item_twice());
        }
        Ok(Slots { held })
    }

    /// Takes every slot in lock order as `hold` and locks its item; the
    /// items come back in action order. Waits for slots held briefly. On a
    /// slot a transaction holds, gives back every slot taken and answers
    /// the actions (indexes, ascending) whose items a transaction holds: that
    /// one and any later one found held, looked at without waiting.
    pub(super) fn lock(&self, hold: Hold) -> Result<Vec<LockedItem<'_>>, Vec<usize>> {
        let mut locked: Vec<(usize, LockedItem<'_>)> = Vec::with_capacity(self.held.len());
        let mut slots = self.held.iter();
        while let Some((i, slot)) = slots.next() {
            match slot.lock_as(hold) {
                Ok(item) => locked.push((*i, item)),
                Err(HeldByTransaction) => {
                    drop(locked);
                    let mut held: Vec<usize> = slots
                        .filter(|(_, s)| s.held_by_transaction())
                        .map(|(j, _)| *j)
                        .chain([*i])
                        .collect();
                    held.sort_unstable();
                    return Err(held);
                }
            }
        }
        while_held();
        locked.sort_by_key(|(i, _)| *i);
        Ok(locked.into_iter().map(|(_, item)| item).collect())
    }
}

/// Runs the hook a test set on this thread, once, while a transaction holds
/// its slots (tests use it to keep a transaction in flight).
#[cfg(test)]
fn while_held() {
    if let Some(hook) = super::tests::WHILE_HELD.with(|h| h.borrow_mut().take()) {
        hook();
    }
}

#[cfg(not(test))]
fn while_held() {}
