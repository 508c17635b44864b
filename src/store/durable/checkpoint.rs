//! Checkpoints: a snapshot of the whole store, so the log does not grow
//! without bound and start-up does not replay history.
//!
//! A checkpoint is fuzzy: writers keep going while it runs.
//! 1. Under the control-plane lock (only control-plane calls wait), the log
//!    moves to a new segment `N` and the control-plane history (the records
//!    that rebuild the live tables) is copied; so are the streams and the
//!    remembered ClientRequestTokens, with the write gate closed for that
//!    moment (`streams::capture`).
//! 2. Every item of those tables is copied, each under its own lock, into
//!    `snapshot-N.dsnap.tmp` as the table keeps it (key bytes, compact
//!    item, size: `record::stored_items`, which recovery copies back
//!    without decoding), which is synced and renamed into place. The
//!    keys are read a batch at a time (a key the walk passes before it is
//!    written has its record in segment `N`), so a writer of a new key
//!    waits for the map only while one batch is copied.
//! 3. Segments and snapshots before `N` are deleted.
//!
//! Replaying segment `N` on the snapshot gives the store exactly: a write
//! whose record went to an earlier segment held its item's lock from before
//! its record was appended until it was applied, so the copy (made after the
//! switch, under that lock) shows it; a write the copy may miss has its
//! record in segment `N` or later, and its after-image, replayed, sets the
//! item to what it was, whatever the copy saw.
//!
//! What writers still wait for (`examples/durable_startup.rs` measures it):
//! a batch of keys being copied (writers of new keys of that table), the
//! sync of what was appended to the old segment while it was being synced
//! (every log writer), and the CPU the checkpoint takes. On ext4 the
//! checkpoint's syncs also force journal commits, during which appends to
//! the log can wait: about 80 ms at most there, as long as the journal's
//! own periodic commits make writers wait without a checkpoint.

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::ops::Bound;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::error::Error;
use crate::store::catalog::{Store, StoreInner};
use crate::store::durable::files::{self, SNAPSHOT_MAGIC, sync_dir};
use crate::store::durable::frame::frame;
use crate::store::durable::record::{self, Record, StoredImage};
use crate::store::durable::{Durable, internal, streams};
use crate::store::range::{BATCH, BoundKey, batch};
use crate::store::table::lock;

/// The log segment size past which a checkpoint starts in the background:
/// 64 MiB.
pub const DEFAULT_CHECKPOINT_BYTES: u64 = 64 << 20;

/// Items per snapshot record.
const CHUNK: usize = 1024;

impl Store {
    /// Writes a snapshot of the store to its data directory and deletes the
    /// log before it (a checkpoint), while writers keep going; nothing for
    /// an in-memory store. Answers how many items the snapshot holds.
    pub fn checkpoint(&self) -> Result<u64, Error> {
        match self.inner.durable.get() {
            Some(durable) => checkpoint(self, durable),
            None => Ok(0),
        }
    }
}

fn checkpoint(store: &Store, durable: &Arc<Durable>) -> Result<u64, Error> {
    let _one = lock(&durable.checkpointing);
    let (number, history, next_table_id, captured) = {
        let control = lock(&durable.control);
        let number = durable.log.segment_number() + 1;
        durable.log.rotate(number).map_err(internal)?;
        (
            number,
            control.history.clone(),
            durable.next_table_id.load(Ordering::Relaxed),
            streams::capture(store),
        )
    };
    let live: HashSet<u64> = history.iter().filter_map(|(id, _)| *id).collect();
    let dir = durable.dir();
    let path = files::snapshot_path(dir, number);
    let tmp = path.with_extension("dsnap.tmp");
    let written = (|| -> std::io::Result<u64> {
        let file = std::fs::File::create(&tmp)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        out.write_all(SNAPSHOT_MAGIC)?;
        let mut records = 0u64;
        let mut framed = Vec::new();
        let mut put = |out: &mut BufWriter<std::fs::File>, payload: &[u8]| {
            framed.clear();
            frame(payload, &mut framed);
            out.write_all(&framed)
        };
        put(&mut out, &Record::SnapshotHeader { next_table_id }.encode())?;
        records += 1;
        for (_, payload) in &history {
            put(&mut out, payload)?;
            records += 1;
        }
        let mut items = 0u64;
        for table in store.tables() {
            let Some(id) = table
                .journal
                .get()
                .map(|l| l.id)
                .filter(|id| live.contains(id))
            else {
                continue;
            };
            // The keys a batch at a time: the map's read lock, which
            // keeps writers of new keys waiting, is held only meanwhile.
            let mut from = Bound::Unbounded;
            let mut copies = Vec::with_capacity(CHUNK);
            loop {
                let slots = batch(&table, &from, &Bound::Unbounded, true);
                let last = slots.last().map(|(key, _)| BoundKey::at(key));
                let full = slots.len() == BATCH;
                for (key, slot) in slots {
                    if let Some((item, size)) = slot.stored_copy(&key) {
                        copies.push((slot, item, size));
                    }
                }
                if !copies.is_empty() && (copies.len() >= CHUNK || !full) {
                    items += copies.len() as u64;
                    let images = copies.iter().map(|(slot, item, size)| StoredImage {
                        table: id,
                        key: slot.key.as_bytes(),
                        item,
                        size: *size,
                    });
                    put(&mut out, &record::stored_items(images))?;
                    records += 1;
                    copies.clear();
                }
                match last {
                    Some(last) if full => from = Bound::Excluded(last),
                    _ => break,
                }
            }
        }
        for payload in captured.payloads() {
            put(&mut out, &payload)?;
            records += 1;
        }
        let end = Record::SnapshotEnd { records }.encode();
        put(&mut out, &end)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        sync_dir(dir)?;
        Ok(items)
    })();
    let items = written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        internal(format!("writing the snapshot failed: {e}"))
    })?;
    remove_older(dir, Some(number));
    Ok(items)
}

/// Deletes the segments and snapshots a snapshot `number` replaces.
pub(crate) fn remove_older(dir: &std::path::Path, number: Option<u64>) {
    let Some(number) = number else { return };
    let Ok(listing) = files::list(dir) else {
        return;
    };
    for n in listing.segments.into_iter().filter(|&n| n < number) {
        let _ = std::fs::remove_file(files::segment_path(dir, n));
    }
    for n in listing.snapshots.into_iter().filter(|&n| n < number) {
        let _ = std::fs::remove_file(files::snapshot_path(dir, n));
    }
    let _ = sync_dir(dir);
}

/// Starts the thread that checkpoints once the log segment passes the
/// store's threshold (none for a threshold of 0). It holds no reference
/// that keeps the store alive, and ends once the store is gone.
pub(crate) fn start_background(store: &Store, durable: &Arc<Durable>) {
    if durable.checkpoint_bytes == 0 {
        return;
    }
    let weak: Weak<StoreInner> = Arc::downgrade(&store.inner);
    let size = durable.log.size();
    let threshold = durable.checkpoint_bytes;
    let spawned = std::thread::Builder::new()
        .name("dynacond-checkpoint".into())
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500));
                if weak.strong_count() == 0 {
                    return;
                }
                if size.load(Ordering::Relaxed) < threshold {
                    continue;
                }
                let Some(inner) = weak.upgrade() else { return };
                let store = Store { inner };
                if let Err(e) = store.checkpoint() {
                    eprintln!("dynacond: checkpoint failed: {}", e.message());
                    std::thread::sleep(Duration::from_secs(5));
                }
            }
        });
    drop(spawned);
}
