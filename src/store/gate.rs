//! The store's write gate: what makes a snapshot a single point in time and
//! a restore invisible to writers half-way.
//!
//! Every write of an item holds a slot ([`SlotRef`](crate::store::table)),
//! and taking one first *enters* the gate ([`WriteGate::enter`], a shared
//! lock); [`Store::snapshot`](crate::Store::snapshot) and
//! [`Store::restore`](crate::Store::restore) *close* it (the exclusive
//! lock). So while a snapshot copies the tables no item write is under way
//! (every one either finished before, or waits until the copy is done), and
//! a transaction's writes, made while it holds all its slots, are in a
//! snapshot all together or not at all.
//!
//! A thread that holds a slot may take another (a transaction takes one
//! per item, a slot reference is dropped after its successor is taken): the
//! gate is entered once per thread and the nested entries only count, since
//! a second shared lock requested while a snapshot waits for the exclusive
//! one would wait forever. Nobody waits for the gate while holding a slot
//! (a nested entry never waits), so nobody holding the exclusive lock can
//! wait for someone blocked on the gate: the gate adds no deadlock to the
//! slots' lock order.

use std::cell::RefCell;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::store::table::{read, write};

/// A store's write gate (module docs); shared by the store and its tables.
#[derive(Debug, Default)]
pub(crate) struct WriteGate {
    lock: RwLock<()>,
}

thread_local! {
    /// The gates this thread is inside, by address, one entry per pass.
    static ENTERED: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Being inside the gate: an item write may proceed. Leaves on drop.
#[derive(Debug)]
pub(crate) struct Pass<'g> {
    /// The shared lock for the thread's first pass; `None` for nested ones.
    _guard: Option<RwLockReadGuard<'g, ()>>,
    id: usize,
}

impl WriteGate {
    /// A new gate behind an `Arc` (a store and its tables share one).
    pub(crate) fn shared() -> Arc<WriteGate> {
        Arc::new(WriteGate::default())
    }

    fn id(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// Enters the gate: waits while it is closed, unless this thread is
    /// inside already.
    pub(crate) fn enter(&self) -> Pass<'_> {
        let id = self.id();
        let nested = ENTERED.with(|e| e.borrow().contains(&id));
        let guard = (!nested).then(|| read(&self.lock));
        ENTERED.with(|e| e.borrow_mut().push(id));
        Pass { _guard: guard, id }
    }

    /// Closes the gate: waits for every pass to be dropped and keeps new
    /// ones out until the guard is dropped. Never called by a thread inside
    /// the gate (a snapshot or restore takes no slot).
    pub(crate) fn close(&self) -> RwLockWriteGuard<'_, ()> {
        write(&self.lock)
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        ENTERED.with(|e| {
            let mut entered = e.borrow_mut();
            if let Some(at) = entered.iter().rposition(|g| *g == self.id) {
                entered.remove(at);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn nested_passes_do_not_wait_for_a_closing_gate() {
        let gate = WriteGate::shared();
        let outer = gate.enter();
        let closed = AtomicBool::new(false);
        std::thread::scope(|s| {
            let closer = s.spawn(|| {
                let _closed = gate.close();
                closed.store(true, Ordering::SeqCst);
            });
            // The closer may already wait for the outer pass; a nested pass
            // must not wait for it.
            let inner = gate.enter();
            assert!(!closed.load(Ordering::SeqCst));
            drop(inner);
            drop(outer);
            closer.join().unwrap();
        });
        assert!(closed.load(Ordering::SeqCst));
        // Every pass was left: the thread enters afresh.
        assert!(ENTERED.with(|e| e.borrow().is_empty()));
        drop(gate.enter());
    }

    #[test]
    fn two_gates_are_entered_separately() {
        let (a, b) = (WriteGate::shared(), WriteGate::shared());
        let pa = a.enter();
        let pb = b.enter();
        assert!(pa._guard.is_some() && pb._guard.is_some());
        let nested = a.enter();
        assert!(nested._guard.is_none());
    }
}
