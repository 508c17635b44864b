//! The log writer. Records written concurrently share one `write(2)` (and,
//! in sync mode, one `fdatasync`): group commit by leader and followers,
//! with no thread of its own (a hand-off to a writer thread cost a context
//! switch per request, several times the write itself). A writer frames its
//! record into the pending bytes under a short lock; if no write is in
//! flight it writes everything pending itself, otherwise it waits for the
//! batch holding its record. It holds its items' locks all the while, so
//! two writes of one item are never in the log out of order.
//!
//! A failed write is cut off the file again (`set_len` to the last good
//! length), so the file never holds a half record before good ones; the
//! writers of that batch get the error. If even the cut fails, the log stops
//! accepting records until the process restarts.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use crate::error::Error;
use crate::store::durable::files::{LOG_MAGIC, segment_path, sync_dir};
use crate::store::durable::frame::frame;
use crate::store::table::lock;

/// The outcome of one batch, shared by its writers.
#[derive(Debug, Default)]
struct Batch {
    result: OnceLock<Result<(), String>>,
}

#[derive(Debug, Default)]
struct Pending {
    bytes: Vec<u8>,
    batch: Arc<Batch>,
    /// True while a writer writes a batch.
    writing: bool,
}

/// The segment being appended to.
#[derive(Debug)]
pub(crate) struct Segment {
    file: File,
    pub(crate) number: u64,
    /// The length of the file up to its last whole frame.
    len: u64,
    /// Set once a failed write could not be cut off.
    broken: Option<String>,
}

impl Segment {
    /// Opens segment `number` of `dir` for appending at `len` (a new
    /// segment: creates it with its magic).
    pub(crate) fn open(
        dir: &std::path::Path,
        number: u64,
        len: Option<u64>,
    ) -> std::io::Result<Segment> {
        let path = segment_path(dir, number);
        let (mut file, len) = match len {
            Some(len) => {
                let file = std::fs::OpenOptions::new().write(true).open(&path)?;
                file.set_len(len)?;
                (file, len)
            }
            None => {
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)?;
                file.write_all(LOG_MAGIC)?;
                file.sync_all()?;
                sync_dir(dir)?;
                (file, LOG_MAGIC.len() as u64)
            }
        };
        file.seek(SeekFrom::Start(len))?;
        Ok(Segment {
            file,
            number,
            len,
            broken: None,
        })
    }

    fn append(&mut self, bytes: &[u8], sync: bool) -> Result<(), String> {
        if let Some(broken) = &self.broken {
            return Err(broken.clone());
        }
        let written = self
            .file
            .write_all(bytes)
            .and_then(|()| if sync { self.file.sync_data() } else { Ok(()) });
        match written {
            Ok(()) => {
                self.len += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                let cut = self
                    .file
                    .set_len(self.len)
                    .and_then(|()| self.file.seek(SeekFrom::Start(self.len)).map(drop));
                let message = format!("writing the data directory's log failed: {e}");
                if let Err(cut) = cut {
                    self.broken = Some(format!(
                        "{message}; cutting the failed write off failed too ({cut}): restart dynacond"
                    ));
                }
                Err(message)
            }
        }
    }
}

#[derive(Debug)]
struct Shared {
    pending: Mutex<Pending>,
    /// Signalled when a batch is written.
    done: Condvar,
    segment: Mutex<Segment>,
    /// The current segment's length, for the checkpointer to watch.
    size: Arc<AtomicU64>,
    sync: bool,
    /// Test hook: the next write fails as if the disk were full.
    #[cfg(test)]
    fail_next: std::sync::atomic::AtomicBool,
}

/// The log.
#[derive(Debug)]
pub(crate) struct Log {
    shared: Shared,
    dir: PathBuf,
}

impl Log {
    /// The log appending to `segment`; `sync`: fdatasync each batch.
    pub(crate) fn start(dir: PathBuf, segment: Segment, sync: bool) -> std::io::Result<Log> {
        Ok(Log {
            shared: Shared {
                size: Arc::new(AtomicU64::new(segment.len)),
                pending: Mutex::default(),
                done: Condvar::new(),
                segment: Mutex::new(segment),
                sync,
                #[cfg(test)]
                fail_next: std::sync::atomic::AtomicBool::new(false),
            },
            dir,
        })
    }

    /// Appends one record and waits until it is written (and synced in
    /// sync mode). An I/O error is an `InternalServerError`.
    ///
    /// Group commit without a thread of its own: the record joins the
    /// pending batch; if nobody is writing, this writer takes the whole
    /// batch (its own record and whatever others added) and writes it,
    /// while later writers gather the next batch; otherwise it waits for
    /// the batch holding its record, or for its turn to lead.
    pub(crate) fn append(&self, payload: &[u8]) -> Result<(), Error> {
        let shared = &self.shared;
        let mut pending = lock(&shared.pending);
        frame(payload, &mut pending.bytes);
        let batch = pending.batch.clone();
        loop {
            if let Some(result) = batch.result.get() {
                return result.clone().map_err(Error::Internal);
            }
            if !pending.writing {
                pending.writing = true;
                let bytes = std::mem::take(&mut pending.bytes);
                let lead = std::mem::take(&mut pending.batch);
                drop(pending);
                let result = write_batch(shared, &bytes);
                let _ = lead.result.set(result);
                pending = lock(&shared.pending);
                pending.writing = false;
                if pending.bytes.capacity() == 0 {
                    // Keep the allocation for the next batch.
                    let mut bytes = bytes;
                    bytes.clear();
                    pending.bytes = bytes;
                }
                shared.done.notify_all();
                continue;
            }
            pending = shared
                .done
                .wait(pending)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
    /// Ends the current segment (synced) and appends to segment `number`
    /// from now on; records pending or in flight go to either.
    pub(crate) fn rotate(&self, number: u64) -> std::io::Result<()> {
        let next = Segment::open(&self.dir, number, None)?;
        // Most of the segment is synced before its lock is taken, so
        // writers wait only for the sync of what they wrote meanwhile.
        let early = lock(&self.shared.segment).file.try_clone()?;
        early.sync_data()?;
        let mut segment = lock(&self.shared.segment);
        if let Err(e) = segment.file.sync_data() {
            // The log stays in the current segment: the new one, empty,
            // goes, so that a later rotation can make it again.
            drop(next);
            let _ = std::fs::remove_file(segment_path(&self.dir, number));
            return Err(e);
        }
        self.shared.size.store(next.len, Ordering::Relaxed);
        *segment = next;
        Ok(())
    }

    /// The current segment's length, shared.
    pub(crate) fn size(&self) -> Arc<AtomicU64> {
        self.shared.size.clone()
    }

    /// The number of the segment being appended to.
    pub(crate) fn segment_number(&self) -> u64 {
        lock(&self.shared.segment).number
    }

    /// Makes the next write fail (tests of the I/O error path).
    #[cfg(test)]
    pub(crate) fn fail_next_write(&self) {
        self.shared
            .fail_next
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

fn write_batch(shared: &Shared, bytes: &[u8]) -> Result<(), String> {
    #[cfg(test)]
    if shared
        .fail_next
        .swap(false, std::sync::atomic::Ordering::SeqCst)
    {
        return Err("writing the data directory's log failed: injected fault".into());
    }
    let mut segment = lock(&shared.segment);
    let result = segment.append(bytes, shared.sync);
    shared.size.store(segment.len, Ordering::Relaxed);
    result
}
