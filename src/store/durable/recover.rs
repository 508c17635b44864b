//! Recovery: the newest snapshot, then every log segment after it, replayed
//! on a fresh store. A snapshot's item records (all in key order, after
//! the control-plane records that create the tables) are loaded into each
//! table in bulk (`table_load::Loader`): items as the table keeps them
//! (`record::stored_items`, what checkpoints write) are copied into their
//! slots undecoded unless the table has indexes or collection sizes to
//! rebuild; the log's records go through the write path one by one. Reading only: nothing in the directory changes here, so
//! a refusal (corruption) leaves the directory as it was, and `check-data`
//! runs the same code.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::api::{
    DeleteTableInput, TagResourceInput, UntagResourceInput, UpdateContinuousBackupsInput,
    UpdateTableInput, UpdateTimeToLiveInput,
};
use crate::store::catalog::Store;
use crate::store::durable::codec::Malformed;
use crate::store::durable::files::{self, LOG_MAGIC, SNAPSHOT_MAGIC};
use crate::store::durable::frame::{End, scan};
use crate::store::durable::record::{self, ControlOp, Image, Record, StoredImage};
use crate::store::durable::writes;
use crate::store::stream::WriteOrigin;
use crate::store::table::{Loader, Table};

/// The control-plane records that rebuild the live tables, each with the
/// log id of the table it concerns (`None`: no table found).
pub(crate) type History = Vec<(Option<u64>, Vec<u8>)>;

/// The store as recovered, and where the log goes on.
#[derive(Debug)]
pub(crate) struct Recovered {
    pub(crate) tables: HashMap<u64, Arc<Table>>,
    pub(crate) history: History,
    pub(crate) next_table_id: u64,
    /// The snapshot loaded.
    pub(crate) snapshot: Option<u64>,
    /// The segments replayed, in order.
    pub(crate) segments: Vec<u64>,
    /// The last segment's length up to its last whole frame, and its
    /// length on disk (they differ by a torn tail). `None`: no segment, or
    /// one too short to hold its magic.
    pub(crate) last: Option<(u64, u64, u64)>,
    /// Records replayed (snapshot and log).
    pub(crate) records: u64,
    /// Segments after a torn one that hold no record (a power loss during
    /// a rotation, [`empty_after`]): removed when the directory is opened,
    /// the log going on in the torn one.
    pub(crate) discard: Vec<u64>,
}

/// The segments after position `i` of `segments` when none holds a record
/// (at most its magic); `None` when one does.
///
/// A segment other than the last can end in a torn record only this way:
/// the log moves to segment `N + 1` by creating it (its magic written and
/// synced) and then syncing segment `N` before writing anything to `N + 1`
/// (`log::Log::rotate`). A power loss between the two, with writes not
/// synced, can lose the tail of `N` while `N + 1` exists, empty; nothing in
/// `N`'s lost tail was acknowledged in sync mode, and in the default mode a
/// power loss may lose acknowledged writes anyway (module docs). A torn
/// record before a segment that holds records can only be damage.
fn empty_after(dir: &Path, segments: &[u64], i: usize) -> Result<Option<Vec<u64>>, String> {
    let later = segments.get(i + 1..).unwrap_or_default();
    for &n in later {
        let bytes = read(&files::segment_path(dir, n))?;
        if bytes.len() > LOG_MAGIC.len() || !LOG_MAGIC.starts_with(&bytes) {
            return Ok(None);
        }
    }
    Ok(Some(later.to_vec()))
}

/// Replays records on a store.
struct Replay<'s> {
    store: &'s Store,
    tables: HashMap<u64, Arc<Table>>,
    history: History,
    next_table_id: u64,
    records: u64,
    /// Why the last control record failed when replayed, until the
    /// `ControlFailed` mark that says it failed when made too.
    failed_control: Option<String>,
}

fn decode<T: serde::de::DeserializeOwned>(input: &[u8]) -> Result<T, String> {
    crate::wire::from_slice(input)
        .map_err(|e| format!("a logged request does not decode: {}", e.message()))
}

/// The table name a control request addresses (tags: the table of the ARN).
fn addressed(op: ControlOp, input: &[u8]) -> Option<String> {
    let json: serde_json::Value = serde_json::from_slice(input).ok()?;
    match op {
        ControlOp::TagResource | ControlOp::UntagResource => {
            let arn = json.get("ResourceArn")?.as_str()?;
            let (_, rest) = arn.split_once(":table/")?;
            Some(rest.split('/').next()?.to_owned())
        }
        _ => Some(json.get("TableName")?.as_str()?.to_owned()),
    }
}

impl Replay<'_> {
    fn id_of(&self, name: &str) -> Option<u64> {
        let table = self.store.table(name).ok()?;
        self.tables
            .iter()
            .find(|(_, t)| Arc::ptr_eq(t, &table))
            .map(|(id, _)| *id)
    }

    fn apply(&mut self, payload: &[u8]) -> Result<(), String> {
        let record = Record::decode(payload).map_err(|_| "a record does not decode".to_owned())?;
        self.records += 1;
        // Control records run at their logged time, pinned on this thread.
        let clock = self.store.clock().clone();
        let failed =
            |what: &str, e: crate::Error| format!("replaying {what} failed: {}", e.message());
        if matches!(
            record,
            Record::CreateTable { .. } | Record::DeleteTable { .. } | Record::Control { .. }
        ) {
            // A failed control record must be marked before the next one.
            if let Some(message) = self.failed_control.take() {
                return Err(message);
            }
        }
        match record {
            Record::Writes { token, images } => {
                let tables = &self.tables;
                writes::replay(
                    self.store,
                    |id| tables.get(&id).map(|t| &**t),
                    token,
                    images,
                );
            }
            Record::Stream(image) => self.store.inner.streams.load(&image, &clock),
            Record::StreamRecords { arn, records } => {
                self.store.inner.streams.load_records(&arn, records);
            }
            Record::Tokens(tokens) => {
                for (token, fingerprint, at) in tokens {
                    self.store
                        .inner
                        .tokens
                        .finish(&token, fingerprint, true, at);
                }
            }
            Record::Items(images) => {
                for image in images {
                    let Some(table) = self.tables.get(&image.table) else {
                        // A write that reached a table after it was deleted.
                        continue;
                    };
                    let slot = table.slot(&image.key);
                    let mut locked = slot.lock_waiting();
                    locked.replace_from(image.item, WriteOrigin::Replay);
                }
            }
            Record::CreateTable { id, millis, input } => {
                let request: crate::api::CreateTableInput = decode(&input)?;
                let name = request.table_name.clone().unwrap_or_default();
                clock
                    .pinned(millis, || self.store.create_table(request))
                    .map_err(|e| failed("CreateTable", e))?;
                let table = self
                    .store
                    .table(&name)
                    .map_err(|e| failed("CreateTable", e))?;
                self.tables.insert(id, table);
                self.next_table_id = self.next_table_id.max(id.saturating_add(1));
                self.history.push((Some(id), payload.to_vec()));
            }
            Record::DeleteTable { id, millis } => {
                if let Some(table) = self.tables.remove(&id) {
                    let input = DeleteTableInput {
                        table_name: Some(table.name().to_owned()),
                    };
                    clock
                        .pinned(millis, || self.store.delete_table(input))
                        .map_err(|e| failed("DeleteTable", e))?;
                    self.history.retain(|(t, _)| *t != Some(id));
                }
            }
            Record::Control { op, millis, input } => {
                let target = addressed(op, &input).and_then(|name| self.id_of(&name));
                let s = self.store;
                let run = || -> Result<Result<(), crate::Error>, String> {
                    Ok(match op {
                        ControlOp::UpdateTable => s
                            .update_table_applied(decode::<UpdateTableInput>(&input)?)
                            .map(drop),
                        ControlOp::UpdateTimeToLive => s
                            .update_time_to_live_applied(decode::<UpdateTimeToLiveInput>(&input)?)
                            .map(drop),
                        ControlOp::TagResource => s
                            .tag_resource_applied(decode::<TagResourceInput>(&input)?)
                            .map(drop),
                        ControlOp::UntagResource => s
                            .untag_resource_applied(decode::<UntagResourceInput>(&input)?)
                            .map(drop),
                        ControlOp::UpdateContinuousBackups => s
                            .update_continuous_backups_applied(decode::<
                                UpdateContinuousBackupsInput,
                            >(
                                &input
                            )?)
                            .map(drop),
                    })
                };
                let result = clock.pinned(millis, run)?;
                match result {
                    Ok(()) => self.history.push((target, payload.to_vec())),
                    // Logged before it was applied: it may have failed then
                    // too (a `ControlFailed` mark follows), or the process
                    // stopped before it answered (nothing follows).
                    Err(e) => self.failed_control = Some(failed(&format!("{op:?}"), e)),
                }
            }
            Record::ControlFailed => {
                if self.failed_control.take().is_none() {
                    return Err(
                        "a control-plane request that failed when it was made succeeded when replayed"
                            .to_owned(),
                    );
                }
            }
            Record::SnapshotHeader { next_table_id } => {
                self.next_table_id = self.next_table_id.max(next_table_id);
            }
            Record::SnapshotEnd { .. } => {}
        }
        Ok(())
    }
}

impl Replay<'_> {
    /// Loads a snapshot's run of item records into their tables in bulk
    /// ([`Loader`]): each image made ready (copied as stored, or decoded
    /// and its decoded item dropped) before the next, then each table's
    /// map and indexes built at once. The same store as applying them one
    /// by one. (Decoding on a second thread was measured slower on 2 busy
    /// cores: glibc grows a thread's heap an `mprotect` call at a time, and
    /// the CPU time went up by a tenth.)
    fn load(&mut self, payloads: &[&[u8]]) -> Result<(), String> {
        let tables = &self.tables;
        let mut loaders: HashMap<u64, Loader<'_>> = HashMap::new();
        let bad = || "a record does not decode".to_owned();
        for payload in payloads {
            if record::is_stored_items(payload) {
                let each = |image: StoredImage<'_>| {
                    // A table missing here is one deleted after the write.
                    let Some(found) = tables.get(&image.table) else {
                        return Ok(());
                    };
                    loaders
                        .entry(image.table)
                        .or_insert_with(|| Loader::new(found))
                        .add_stored(image.key, image.item, image.size)
                        .ok_or(Malformed)
                };
                record::for_each_stored(payload, each).map_err(|_| bad())?;
            } else {
                let each = |Image {
                                table, key, item, ..
                            }| {
                    if let Some(found) = tables.get(&table) {
                        loaders
                            .entry(table)
                            .or_insert_with(|| Loader::new(found))
                            .add(key, item);
                    }
                };
                record::for_each_image(payload, each).map_err(|_| bad())?;
            }
            self.records += 1;
        }
        for loader in loaders.into_values() {
            loader.finish();
        }
        Ok(())
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Recovers the store of `dir` into `store` (a fresh store), reading only.
pub(crate) fn recover(dir: &Path, store: &Store) -> Result<Recovered, String> {
    let listing = files::list(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    replay_all(dir, store, &listing)
}

fn replay_all(dir: &Path, store: &Store, listing: &files::Listing) -> Result<Recovered, String> {
    let mut replay = Replay {
        store,
        tables: HashMap::new(),
        history: Vec::new(),
        next_table_id: 1,
        records: 0,
        failed_control: None,
    };
    let snapshot = listing.snapshots.last().copied();
    if let Some(number) = snapshot {
        let path = files::snapshot_path(dir, number);
        let bytes = read(&path)?;
        let damaged =
            |why: &str| format!("{} is damaged ({why}); refusing to start", path.display());
        if !bytes.starts_with(SNAPSHOT_MAGIC) {
            return Err(damaged("not a dynacond snapshot"));
        }
        let s = scan(&bytes, SNAPSHOT_MAGIC.len());
        if s.end != End::Clean {
            return Err(damaged("a damaged frame"));
        }
        let count = s.frames.len() as u64;
        let mut last = None;
        // Item records are loaded in bulk, a run of them at a time.
        let mut run: Vec<&[u8]> = Vec::new();
        for range in &s.frames {
            let payload = bytes.get(range.clone()).unwrap_or_default();
            last = Some(payload);
            if record::is_items(payload) {
                run.push(payload);
                continue;
            }
            replay
                .load(&std::mem::take(&mut run))
                .map_err(|e| damaged(&e))?;
            replay.apply(payload).map_err(|e| damaged(&e))?;
        }
        replay.load(&run).map_err(|e| damaged(&e))?;
        let complete = last
            .and_then(|p| Record::decode(p).ok())
            .is_some_and(|r| r == Record::SnapshotEnd { records: count - 1 });
        if !complete {
            return Err(damaged("it ends early"));
        }
    }
    let from = snapshot.unwrap_or(0);
    let segments: Vec<u64> = listing
        .segments
        .iter()
        .copied()
        .filter(|&n| n >= from)
        .collect();
    let mut last = None;
    let mut discard = Vec::new();
    for (i, &number) in segments.iter().enumerate() {
        let is_last = i + 1 == segments.len();
        if let Some(&previous) = i.checked_sub(1).and_then(|p| segments.get(p)) {
            if previous + 1 != number {
                return Err(format!(
                    "log segment {} is missing in {}; refusing to start",
                    previous + 1,
                    dir.display()
                ));
            }
        }
        let path = files::segment_path(dir, number);
        let bytes = read(&path)?;
        let at = |offset: usize, why: &str| {
            format!(
                "{} is corrupt at byte {offset} ({why}); refusing to start: nothing was changed; \
                 `dynacond check-data {}` reports the same",
                path.display(),
                dir.display()
            )
        };
        if bytes.len() < LOG_MAGIC.len() && is_last && LOG_MAGIC.starts_with(&bytes) {
            // Created, its magic not yet (wholly) written.
            last = None;
            continue;
        }
        if !bytes.starts_with(LOG_MAGIC) {
            return Err(at(0, "not a dynacond log segment"));
        }
        let s = scan(&bytes, LOG_MAGIC.len());
        for range in &s.frames {
            let payload = bytes.get(range.clone()).unwrap_or_default();
            replay.apply(payload).map_err(|e| at(range.start, &e))?;
        }
        let good = match s.end {
            End::Clean => bytes.len(),
            End::Torn(offset) if is_last => offset,
            End::Torn(offset) => match empty_after(dir, &segments, i)? {
                Some(empty) => {
                    discard = empty;
                    last = Some((number, offset as u64, bytes.len() as u64));
                    break;
                }
                None => {
                    return Err(at(offset, "a torn record before a segment holding records"));
                }
            },
            End::Corrupt(offset, why) => return Err(at(offset, why)),
        };
        last = Some((number, good as u64, bytes.len() as u64));
    }
    Ok(Recovered {
        tables: replay.tables,
        history: replay.history,
        next_table_id: replay.next_table_id,
        snapshot,
        segments,
        last,
        records: replay.records,
        discard,
    })
}
