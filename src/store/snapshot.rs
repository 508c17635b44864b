//! Snapshots, restores and resets of a whole store ([`Snapshot`],
//! [`Store::snapshot`], [`Store::restore`], [`Store::reset`]), and the
//! snapshots the endpoint holds by id (`POST /dynacond/snapshot`,
//! [`crate::control`]).
//!
//! A snapshot is an image of the store's *data* (module `image` lists
//! it: tables, items, indexes, streams, TTL, tags, finished transaction
//! tokens), immutable and shared. The store's configuration (clock, fault
//! rules, readiness, expression cache, builder options) is not part of it
//! and is left as it is by a restore or reset.
//!
//! # A restore is atomic
//!
//! A restore builds the new tables and streams first, while the store
//! serves requests as before, then closes the write gate (waiting for the
//! item writes under way) and swaps the table map and the stream catalog
//! in one step, under their locks. So:
//!
//! * a request that looks up its tables after the swap sees only restored
//!   data, one that looked them up before sees only the old data (the old
//!   tables live on, detached, until the last such request is done). A
//!   request that names several tables (a transaction, a batch) looks
//!   them all up at once, so it never mixes the two;
//! * a write that had looked up an old table and finishes after the swap
//!   changes only that detached table: as if it had happened just before
//!   the restore, which then replaced it;
//! * a reader never sees some items restored and others not.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::store::catalog::{BACKGROUND_DROP_ITEMS, Store};
use crate::store::image::{Rebuilt, StoreImage};
use crate::store::table::{Table, lock, read, write};

/// An immutable image of a store's data, taken by [`Store::snapshot`] and
/// put back by [`Store::restore`]. Cloning is cheap (the image is shared)
/// and it is `Send + Sync`, so one snapshot can seed many tests.
///
/// ```
/// use dynacond::{Store, wire};
///
/// let store = Store::new();
/// store.create_table(wire::from_str(r#"{"TableName": "users",
///     "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
///     "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#)?)?;
/// let clean = store.snapshot();
/// store.put_item(wire::from_str(r#"{"TableName": "users", "Item": {"p": {"S": "a"}}}"#)?)?;
/// assert_eq!(store.table("users")?.item_count(), 1);
/// store.restore(&clean)?;
/// assert_eq!(store.table("users")?.item_count(), 0);
/// store.reset();
/// assert!(store.table("users").is_err());
/// # Ok::<(), dynacond::Error>(())
/// ```
#[derive(Clone)]
pub struct Snapshot {
    image: Arc<StoreImage>,
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("tables", &self.table_names())
            .field("items", &self.item_count())
            .finish()
    }
}

impl Snapshot {
    /// The names of the tables it holds, in order.
    pub fn table_names(&self) -> Vec<&str> {
        self.image.tables.iter().map(|t| t.name.as_str()).collect()
    }

    /// The number of items it holds, in every table.
    pub fn item_count(&self) -> usize {
        self.image.item_count()
    }
}

impl Store {
    /// An image of the store's data now (module docs of
    /// [`Snapshot`]'s module list what is data). It is one moment of the
    /// store: item writes wait while it is copied (about as long as
    /// cloning the items takes), reads do not.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            image: Arc::new(StoreImage::capture(self)),
        }
    }

    /// Replaces the store's data by the snapshot's, atomically for
    /// readers (see the type's module docs); the clock, fault rules and
    /// other configuration stay. A snapshot of this store, or of another
    /// one of the same region and account; else a `ValidationException`
    /// (its ARNs would name another store) and nothing changes.
    pub fn restore(&self, snapshot: &Snapshot) -> Result<(), Error> {
        self.refuse_on_data_dir("restore")?;
        let image = &snapshot.image;
        if image.location != self.inner.location {
            return Err(Error::validation(format!(
                "The snapshot was taken in region {} of account {}, not in this store's region {} of account {}",
                image.location.region,
                image.location.account_id,
                self.inner.location.region,
                self.inner.location.account_id
            )));
        }
        let rebuilt = image.rebuild(&self.inner);
        self.install(rebuilt, &image.tokens);
        Ok(())
    }

    /// Empties the store, as if it were new: no tables, no streams, no
    /// remembered tokens; the configuration stays (as for a restore).
    ///
    /// A store with a data directory refuses this and [`Store::restore`]
    /// (a `ValidationException`, nothing changed): neither is written to its
    /// log, so the data directory would no longer match the store.
    pub fn reset(&self) -> Result<(), Error> {
        self.refuse_on_data_dir("reset")?;
        self.install(Rebuilt::default(), &[]);
        Ok(())
    }

    fn refuse_on_data_dir(&self, call: &str) -> Result<(), Error> {
        if self.inner.durable.get().is_some() {
            return Err(Error::validation(format!(
                "A store with a data directory cannot {call}: its data directory would no longer match it"
            )));
        }
        Ok(())
    }

    /// Swaps the rebuilt tables and streams in (module docs).
    fn install(&self, rebuilt: Rebuilt, tokens: &[(String, String, i64)]) {
        let old: HashMap<String, Arc<Table>> = {
            let _closed = self.inner.gate.close();
            let mut tables = write(&self.inner.tables);
            // Replaced streams are dropped here: a stream holds no table.
            drop(self.inner.streams.replace(rebuilt.streams));
            self.inner.tokens.replace_finished(tokens);
            std::mem::replace(&mut *tables, rebuilt.tables)
        };
        // Freeing many items takes a while: not on the caller's thread
        // (DeleteTable does the same).
        let items: u64 = old.values().map(|t| t.item_count()).sum();
        if items > BACKGROUND_DROP_ITEMS {
            let spawned = std::thread::Builder::new()
                .name("dynacond-drop-tables".into())
                .spawn(move || drop(old));
            drop(spawned);
        }
    }

    /// The tables of these names, looked up together under the catalog's
    /// lock (so a restore is all seen or not at all); a missing one is
    /// `ResourceNotFoundException`, as [`Store::table`] answers.
    pub(crate) fn tables_at_once<'n>(
        &self,
        names: impl Iterator<Item = &'n str>,
    ) -> Result<Vec<Arc<Table>>, Error> {
        let tables = read(&self.inner.tables);
        names
            .map(|name| {
                tables
                    .get(name)
                    .cloned()
                    .ok_or_else(|| Error::ResourceNotFound("Requested resource not found".into()))
            })
            .collect()
    }
}

/// The most snapshots the endpoint holds at once (`POST
/// /dynacond/snapshot` beyond it is refused until one is deleted).
pub const MAX_HELD_SNAPSHOTS: usize = 16;

/// The snapshots held by id for the endpoint's control calls.
#[derive(Debug, Default)]
pub(crate) struct Shelf {
    held: Mutex<Held>,
}

#[derive(Debug, Default)]
struct Held {
    /// The number in the next id.
    next: u64,
    snapshots: BTreeMap<u64, Snapshot>,
}

/// A held snapshot's id as the endpoint spells it.
fn id_text(n: u64) -> String {
    format!("snap-{n}")
}

fn id_number(id: &str) -> Option<u64> {
    id.strip_prefix("snap-")?.parse().ok()
}

fn unknown(id: &str) -> Error {
    Error::ResourceNotFound(format!("No snapshot of id {id:?} is held"))
}

impl Store {
    /// Takes a snapshot and holds it; answers its id. Refused (with
    /// nothing taken) when [`MAX_HELD_SNAPSHOTS`] are held.
    pub(crate) fn hold_snapshot(&self) -> Result<String, Error> {
        let full = || {
            Error::LimitExceeded(format!(
                "At most {MAX_HELD_SNAPSHOTS} snapshots are held; delete one first (DELETE /dynacond/snapshot/<id>)"
            ))
        };
        if lock(&self.inner.snapshots.held).snapshots.len() >= MAX_HELD_SNAPSHOTS {
            return Err(full());
        }
        let snapshot = self.snapshot();
        let mut held = lock(&self.inner.snapshots.held);
        if held.snapshots.len() >= MAX_HELD_SNAPSHOTS {
            return Err(full());
        }
        held.next += 1;
        let n = held.next;
        held.snapshots.insert(n, snapshot);
        Ok(id_text(n))
    }

    /// The held snapshot of this id.
    pub(crate) fn held_snapshot(&self, id: &str) -> Result<Snapshot, Error> {
        let held = lock(&self.inner.snapshots.held);
        id_number(id)
            .and_then(|n| held.snapshots.get(&n).cloned())
            .ok_or_else(|| unknown(id))
    }

    /// Forgets the held snapshot of this id.
    pub(crate) fn drop_snapshot(&self, id: &str) -> Result<(), Error> {
        let removed = {
            let mut held = lock(&self.inner.snapshots.held);
            id_number(id).and_then(|n| held.snapshots.remove(&n))
        };
        removed.map(drop).ok_or_else(|| unknown(id))
    }

    /// The held snapshots: (id, table names, item count), oldest first.
    pub(crate) fn held_snapshots(&self) -> Vec<(String, Vec<String>, usize)> {
        lock(&self.inner.snapshots.held)
            .snapshots
            .iter()
            .map(|(n, s)| {
                let names = s.table_names().into_iter().map(str::to_owned).collect();
                (id_text(*n), names, s.item_count())
            })
            .collect()
    }
}
