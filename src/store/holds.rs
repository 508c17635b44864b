//! Slot holds without a lock and a condition variable in every slot: a
//! slot keeps only who holds it (one byte, [`HoldCell`]); the locks and
//! condition variables writers wait on are a table's few stripes
//! ([`Holds`]), each shared by the slots whose address falls in it.
//!
//! A slot's holder changes only under its stripe's mutex, so a stripe's
//! mutex does for each of its slots what a lock of the slot's own did: a
//! writer looks at the holder and either takes the hold, fails, or counts
//! itself as a waiter of the stripe and waits on its condition variable,
//! all under that mutex; giving a hold back clears the holder under it and
//! wakes the stripe's waiters if it counts any. A waiter woken for another
//! slot of its stripe looks again and waits again: a spurious wake-up, which
//! the waiting loops allow anyway. The stripe's mutex is held for a moment
//! and never while taking another lock, so the stripes add no wait to the
//! protocol of [`crate::store::slot`] (its module docs).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::store::slot::{HeldByTransaction, Hold};
use crate::store::table::lock;

/// How many stripes a table has: enough that writers to different items
/// rarely share one, few enough to cost a table 4 KB.
const STRIPES: usize = 64;

const NOBODY: u8 = 0;
const BRIEF: u8 = 1;
const TRANSACTION: u8 = 2;

/// Who holds one slot (nobody, a brief writer, a transaction), changed only
/// under the slot's stripe's mutex.
#[derive(Debug, Default)]
pub(crate) struct HoldCell {
    holder: AtomicU8,
    /// How many writers wait for this slot's hold (tests wait for that).
    #[cfg(test)]
    waiting: Mutex<usize>,
    /// Signalled whenever a writer starts waiting for this slot.
    #[cfg(test)]
    arrived: Condvar,
}

impl HoldCell {
    fn holder(&self) -> Option<Hold> {
        match self.holder.load(Ordering::Acquire) {
            BRIEF => Some(Hold::Brief),
            TRANSACTION => Some(Hold::Transaction),
            _ => None,
        }
    }

    fn set(&self, hold: Option<Hold>) {
        let v = match hold {
            None => NOBODY,
            Some(Hold::Brief) => BRIEF,
            Some(Hold::Transaction) => TRANSACTION,
        };
        self.holder.store(v, Ordering::Release);
    }

    /// True when a transaction holds the slot (a look, under no lock).
    pub(crate) fn held_by_transaction(&self) -> bool {
        self.holder() == Some(Hold::Transaction)
    }

    /// Blocks until at least `count` writers wait for this slot's hold.
    #[cfg(test)]
    pub(crate) fn wait_for_waiters(&self, count: usize) {
        let mut waiting = lock(&self.waiting);
        while *waiting < count {
            waiting = self
                .arrived
                .wait(waiting)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    #[cfg(test)]
    fn arrive(&self, change: isize) {
        let mut waiting = lock(&self.waiting);
        *waiting = waiting.saturating_add_signed(change);
        self.arrived.notify_all();
    }
}

/// One stripe: its lock, and how many writers wait on it. Aligned on a
/// cache line, so writers locking different stripes do not share one.
#[derive(Debug, Default)]
#[repr(align(64))]
struct Stripe {
    waiting: Mutex<usize>,
    /// Signalled whenever a hold of one of the stripe's slots is given back
    /// while writers wait.
    released: Condvar,
}

/// A table's stripes of hold locks (module docs).
#[derive(Debug)]
pub(crate) struct Holds {
    stripes: Box<[Stripe]>,
}

impl Default for Holds {
    fn default() -> Self {
        Holds {
            stripes: (0..STRIPES).map(|_| Stripe::default()).collect(),
        }
    }
}

impl Holds {
    /// The stripe of a slot: its hold's address, mixed (slots are a few
    /// dozen bytes apart), modulo the stripes.
    fn stripe(&self, cell: &HoldCell) -> &Stripe {
        let addr = std::ptr::from_ref(cell).addr();
        let mixed = (addr >> 4) ^ (addr >> 10) ^ (addr >> 16);
        let stripes = &self.stripes;
        let index = mixed % stripes.len().max(1);
        // In bounds by the modulo; the fallback is never taken.
        stripes.get(index).unwrap_or(&EMPTY_STRIPE_FALLBACK)
    }

    /// Takes `cell`'s hold as `hold`: waits while it is held briefly, fails
    /// at once while (or as soon as) a transaction holds it.
    pub(crate) fn take(&self, cell: &HoldCell, hold: Hold) -> Result<(), HeldByTransaction> {
        let stripe = self.stripe(cell);
        let mut waiting = lock(&stripe.waiting);
        loop {
            match cell.holder() {
                None => break,
                Some(Hold::Transaction) => return Err(HeldByTransaction),
                Some(Hold::Brief) => waiting = wait(stripe, cell, waiting),
            }
        }
        cell.set(Some(hold));
        Ok(())
    }

    /// Takes `cell`'s hold briefly, waiting for any holder, a transaction too.
    pub(crate) fn take_waiting(&self, cell: &HoldCell) {
        let stripe = self.stripe(cell);
        let mut waiting = lock(&stripe.waiting);
        while cell.holder().is_some() {
            waiting = wait(stripe, cell, waiting);
        }
        cell.set(Some(Hold::Brief));
    }

    /// Gives `cell`'s hold back and wakes every waiter of its stripe: each
    /// looks again, and those that find a transaction holding their slot
    /// now fail. A waiter counts itself under the stripe's lock before it
    /// waits, so one counted here is already waiting and gets the
    /// notification.
    pub(crate) fn give_back(&self, cell: &HoldCell) {
        let stripe = self.stripe(cell);
        let waiting = {
            let waiting = lock(&stripe.waiting);
            cell.set(None);
            *waiting
        };
        if waiting > 0 {
            stripe.released.notify_all();
        }
    }

    /// Sets `cell`'s holder and wakes its stripe's waiters, as if a
    /// transaction had taken the hold from its holder (tests).
    #[cfg(test)]
    pub(crate) fn hand_to_transaction(&self, cell: &HoldCell) {
        let stripe = self.stripe(cell);
        let guard = lock(&stripe.waiting);
        cell.set(Some(Hold::Transaction));
        drop(guard);
        stripe.released.notify_all();
    }
}

/// Never used: [`Holds::stripe`]'s answer if indexing could fail.
static EMPTY_STRIPE_FALLBACK: Stripe = Stripe {
    waiting: Mutex::new(0),
    released: Condvar::new(),
};

/// Waits on the stripe until a hold of one of its slots is given back (or
/// a spurious wake-up).
fn wait<'g>(
    stripe: &Stripe,
    cell: &HoldCell,
    mut waiting: MutexGuard<'g, usize>,
) -> MutexGuard<'g, usize> {
    *waiting += 1;
    #[cfg(test)]
    cell.arrive(1);
    #[cfg(not(test))]
    let _ = cell;
    let mut waiting = stripe
        .released
        .wait(waiting)
        .unwrap_or_else(PoisonError::into_inner);
    *waiting -= 1;
    #[cfg(test)]
    cell.arrive(-1);
    waiting
}
