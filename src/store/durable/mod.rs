//! Durability: a store on a data directory (`StoreBuilder::data_dir`,
//! `dynacond serve --data-dir`).
//!
//! # Design
//!
//! A hand-written write-ahead log over `crc32fast` framing, rather than an
//! embedded KV store: the in-memory store already is the database (per-item
//! locks, indexes, streams), and what it needs from the disk is only an
//! ordered, checksummed record of changes that a writer can append while it
//! holds its items' locks. An embedded engine would keep a second copy of
//! every item in its own format and add its own locking on the write path.
//!
//! * **Write order.** A writer checks everything first (condition, update,
//!   limits), then, still holding its items' locks, appends one record of
//!   after-images (a transaction: one record for all its items) and waits
//!   for it to be written, then applies the change in memory, then replies.
//!   An I/O error therefore fails the request (`InternalServerError`, HTTP
//!   500) with nothing changed in memory. Writers of different items never
//!   wait for each other except to share the log writer's one `write(2)`
//!   per batch (group commit, `log` module).
//! * **Modes.** By default the record is handed to the OS before the reply:
//!   a killed process loses no acknowledged write. With `sync_writes` each
//!   batch is also `fdatasync`ed before its writers reply: a power loss
//!   loses none either.
//! * **Control plane.** CreateTable and DeleteTable are logged while the
//!   table map is locked, before they take effect; UpdateTable,
//!   UpdateTimeToLive, TagResource, UntagResource and
//!   UpdateContinuousBackups right after they take effect (a failed log
//!   write then answers 500 while the change stays in memory until the
//!   process restarts). All are serialized with each other, and logged as
//!   the request with the time it was applied; the call runs with that time
//!   pinned on its own thread (other requests keep the running clock), and
//!   recovery replays it at that time. Tables are named in item records by a log id that is never
//!   reused, so a write that reached a table just after it was deleted never
//!   lands in a new table of the same name.
//! * **Streams** (`stream::durable`, `writes`). A write numbers and times
//!   its stream record before it is logged, logs the number, time, event
//!   and (when the view keeps it) old image with its after-image, and makes
//!   the record visible once applied; readers never see past a number still
//!   being logged. Recovery puts every record back with its number and
//!   time: a stream keeps its ARN, label, shard, records (24 hours, as
//!   DynamoDB keeps them) and numbering across restarts, and numbers handed
//!   out later are above every one a reader could have seen (each was
//!   logged before it was visible; with `sync_writes` that means on disk,
//!   by default in the OS, which a power loss can lose along with the
//!   acknowledged writes themselves). Checkpoints copy every stream.
//! * **ClientRequestTokens.** A transaction's record carries its token, the
//!   request's fingerprint and the time; replay remembers it, so a retry
//!   within 10 minutes is still a replay after a restart (and a different
//!   request with the token an `IdempotentParameterMismatch`).
//!   Checkpoints copy the remembered tokens.
//! * **Checkpoints** (`checkpoint` module) bound the log and the start-up.
//! * **Segments.** A segment other than the last ends in a torn record only
//!   after a power loss between creating the next segment and syncing this
//!   one (`Log::rotate` syncs it before the next gets a record): recovery
//!   keeps its whole records, removes the empty segments after it and goes
//!   on in it; before a segment holding records, a torn one is damage and
//!   refused (`recover::empty_after`).
//! * **Not kept:** a write that reaches a table after its DeleteTable was
//!   logged is dropped by replay, with its stream record.

mod checkpoint;
mod codec;
mod control;
mod files;
mod frame;
#[cfg(test)]
mod load_tests;
mod log;
mod record;
mod recover;
#[cfg(test)]
mod stream_tests;
mod streams;
#[cfg(test)]
mod tests;
mod writes;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::api::CreateTableInput;
use crate::error::Error;
use crate::store::catalog::Store;
use crate::store::table::{Table, lock};

pub use checkpoint::DEFAULT_CHECKPOINT_BYTES;
use log::{Log, Segment};
use record::Record;
use recover::History;
pub(crate) use writes::{commit_writes, write_locked};

/// How a store keeps its data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DurableOptions {
    pub(crate) dir: PathBuf,
    pub(crate) sync: bool,
    /// Checkpoint once the log segment grows past this many bytes (0: only
    /// when asked).
    pub(crate) checkpoint_bytes: u64,
}

/// The control-plane records of the live tables.
#[derive(Debug, Default)]
struct ControlState {
    history: History,
}

/// A store's data directory, open.
#[derive(Debug)]
pub(crate) struct Durable {
    log: Log,
    control: Mutex<ControlState>,
    next_table_id: AtomicU64,
    dir: PathBuf,
    checkpoint_bytes: u64,
    /// One checkpoint at a time.
    checkpointing: Mutex<()>,
    /// Held (locked) while the directory is open.
    _lock: File,
}

/// A table's place in the log.
#[derive(Debug)]
pub(crate) struct TableLog {
    durable: Arc<Durable>,
    id: u64,
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}

/// The control-plane lock of a durable store, held while a control-plane
/// change is applied and logged.
#[derive(Debug)]
pub(crate) struct ControlLog<'a> {
    durable: &'a Arc<Durable>,
    state: MutexGuard<'a, ControlState>,
}

impl ControlLog<'_> {
    /// Logs a CreateTable applied at `millis` and gives `table` its log id.
    pub(crate) fn create_table(
        &mut self,
        table: &Table,
        input: &CreateTableInput,
        millis: i64,
    ) -> Result<(), Error> {
        let id = self.durable.next_table_id.fetch_add(1, Ordering::Relaxed);
        let input = serde_json::to_vec(input).map_err(internal)?;
        let payload = Record::CreateTable { id, millis, input }.encode();
        self.durable.log.append(&payload)?;
        self.state.history.push((Some(id), payload));
        let _ = table.journal.set(TableLog {
            durable: self.durable.clone(),
            id,
        });
        Ok(())
    }

    /// Logs a DeleteTable applied at `millis`.
    pub(crate) fn delete_table(&mut self, table: &Table, millis: i64) -> Result<(), Error> {
        let Some(id) = table.journal.get().map(|l| l.id) else {
            return Ok(());
        };
        self.durable
            .log
            .append(&Record::DeleteTable { id, millis }.encode())?;
        self.state.history.retain(|(t, _)| *t != Some(id));
        Ok(())
    }
}

impl Store {
    /// The control-plane lock, on a durable store.
    pub(crate) fn control_log(&self) -> Option<ControlLog<'_>> {
        let durable = self.inner.durable.get()?;
        Some(ControlLog {
            durable,
            state: lock(&durable.control),
        })
    }
}

/// Opens `options.dir` into `store` (fresh from its builder): locks the
/// directory, recovers, cuts a torn tail off, and attaches the log.
pub(crate) fn open(store: Store, options: DurableOptions) -> Result<Store, Error> {
    let dir = &options.dir;
    let fail = |m: String| Error::Internal(format!("data directory: {m}"));
    std::fs::create_dir_all(dir)
        .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    let dir_lock = files::lock_dir(dir).map_err(fail)?;
    let recovered = recover::recover(dir, &store).map_err(fail)?;
    // Everything checked: from here on the directory may change.
    let listing = files::list(dir).map_err(|e| fail(e.to_string()))?;
    for tmp in &listing.temporary {
        let _ = std::fs::remove_file(tmp);
    }
    let io = |e: std::io::Error| fail(e.to_string());
    // Empty segments after a torn one (`recover::empty_after`): the log
    // goes on in the torn one, cut at its last whole record.
    for &n in recovered.discard.iter().rev() {
        std::fs::remove_file(files::segment_path(dir, n)).map_err(io)?;
    }
    if !recovered.discard.is_empty() {
        files::sync_dir(dir).map_err(io)?;
    }
    let segment = match recovered.last {
        Some((number, good, _)) => Segment::open(dir, number, Some(good)).map_err(io)?,
        None => {
            // No segment yet (or a last one too short to hold its magic).
            let number = recovered
                .segments
                .last()
                .copied()
                .or(recovered.snapshot)
                .unwrap_or(1);
            let _ = std::fs::remove_file(files::segment_path(dir, number));
            Segment::open(dir, number, None).map_err(io)?
        }
    };
    let log = Log::start(dir.clone(), segment, options.sync).map_err(io)?;
    let durable = Arc::new(Durable {
        log,
        control: Mutex::new(ControlState {
            history: recovered.history,
        }),
        next_table_id: AtomicU64::new(recovered.next_table_id),
        dir: dir.clone(),
        checkpoint_bytes: options.checkpoint_bytes,
        checkpointing: Mutex::new(()),
        _lock: dir_lock,
    });
    for (id, table) in recovered.tables {
        let _ = table.journal.set(TableLog {
            durable: durable.clone(),
            id,
        });
    }
    let _ = store.inner.durable.set(durable.clone());
    checkpoint::remove_older(dir, recovered.snapshot);
    checkpoint::start_background(&store, &durable);
    Ok(store)
}

/// What `check-data` found in a data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DataDirReport {
    /// The snapshot loaded (its number), if any.
    pub snapshot: Option<u64>,
    /// The log segments replayed after it.
    pub segments: Vec<u64>,
    /// Records read (snapshot and log).
    pub records: u64,
    /// Tables after recovery.
    pub tables: usize,
    /// Items after recovery.
    pub items: u64,
    /// Bytes of a torn tail that opening the directory would cut off (the
    /// end of a record a crash interrupted; never an acknowledged write).
    pub torn_tail_bytes: u64,
}

/// Checks a data directory without changing it (nor locking it): recovers
/// it into a scratch store and reports, or says where it is damaged.
pub fn check_data_dir(dir: impl AsRef<Path>) -> Result<DataDirReport, Error> {
    let dir = dir.as_ref();
    if !dir.is_dir() {
        return Err(Error::Internal(format!(
            "data directory: {} is not a directory",
            dir.display()
        )));
    }
    let scratch = Store::builder().clock(crate::Clock::manual(0)).build()?;
    let recovered = recover::recover(dir, &scratch)
        .map_err(|m| Error::Internal(format!("data directory: {m}")))?;
    Ok(DataDirReport {
        snapshot: recovered.snapshot,
        segments: recovered.segments,
        records: recovered.records,
        tables: recovered.tables.len(),
        items: recovered.tables.values().map(|t| t.item_count()).sum(),
        torn_tail_bytes: recovered.last.map_or(0, |(_, good, len)| len - good),
    })
}

impl Durable {
    fn dir(&self) -> &Path {
        &self.dir
    }
}
