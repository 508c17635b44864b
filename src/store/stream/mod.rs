//! DynamoDB Streams (spec streams-ttl-tags.md §1–§4): a table's stream,
//! the records its writes append, and the store's catalog of streams.
//!
//! # Model (§4)
//!
//! * Every enable (CreateTable or UpdateTable) makes a new [`Stream`]: its
//!   ARN `<table arn>/stream/<label>`, the label being the enable time from
//!   the store's clock (`YYYY-MM-DDTHH:MM:SS.mmm`, advanced by 1 ms if the
//!   table already had a stream of that label), its view type, the table's
//!   name and key schema (kept after the table is deleted), and one shard.
//! * The table points at its most recent stream ([`TableStream`]), which
//!   gives `LatestStreamArn`/`LatestStreamLabel`; the store's
//!   [`StreamCatalog`] holds every stream by ARN for the Streams API.
//!   Disabling (UpdateTable) or deleting the table closes the shard (the
//!   stream becomes `DISABLED`, readable for 24 hours more); re-enabling makes
//!   a new stream.
//! * Sequence numbers count up per stream from `100000000000000000001`
//!   (21 digits, so string order is numeric order); the shard's
//!   `StartingSequenceNumber` is the number its first record gets. On a
//!   data directory a record is numbered before its write is logged and
//!   shown once it is applied ([`durable`]); a write whose log write failed
//!   leaves its number unused.
//!
//! # Appending, and what a reader sees
//!
//! [`LockedItem::replace`](crate::store::table::LockedItem) is the only way
//! an item is written, and it calls [`TableStream::record`] with the old and
//! the new item while it holds the item's lock, right before the new item is
//! stored. The record (none if the item is unchanged) is built outside the
//! shard's lock, then numbered and appended under it. So:
//!
//! * per item, records are in commit order (the item's lock orders writes
//!   of one item, and numbers are taken in the order appends happen);
//! * a record is visible only once its write holds the item's lock, and a
//!   read of that item (GetItem, Query, Scan, a transaction) that starts
//!   after the record was read waits for that lock, so it sees the write;
//! * a write whose condition fails, or a cancelled transaction, never calls
//!   `replace`, so it makes no record.
//!
//! # Retention and memory
//!
//! Records older than 24 hours are trimmed, lazily: on every append and
//! every read of the shard. The shard also keeps at most
//! [`MAX_RETAINED_BYTES`] of records (item sizes plus a fixed overhead per
//! record); past that the oldest are trimmed early, exactly as if their 24
//! hours had passed (`TrimmedDataAccessException` for positions before the
//! new horizon). A disabled stream leaves the catalog 24 hours after it was
//! disabled.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use crate::api::{StreamSpecification, StreamStatus, StreamViewType};
use crate::clock::Clock;
use crate::error::Error;
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::table::{Table, lock, read, write};
use crate::value::Item;

mod api;
pub(crate) mod durable;
pub(crate) mod image;
mod names;
pub(crate) mod records;
#[cfg(test)]
mod tests;

pub(crate) use records::WriteOrigin;

use names::{SEQUENCE_BASE, Seq, fnv1a, label_of, shard_id};
use records::{StoredRecord, cost, record_of};

/// How long records, and disabled streams, are kept (24 hours).
pub const RETENTION_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// How long a shard iterator is valid (15 minutes).
pub const ITERATOR_LIFETIME_MILLIS: i64 = 15 * 60 * 1000;

/// The most a shard keeps, in bytes (module docs): 256 MiB.
pub const MAX_RETAINED_BYTES: usize = 256 * 1024 * 1024;

/// One stream: made by one enable, closed by the next disable or the
/// table's deletion.
#[derive(Debug)]
pub(crate) struct Stream {
    pub(crate) arn: String,
    pub(crate) label: String,
    pub(crate) table_name: String,
    pub(crate) schema: KeySchema,
    pub(crate) view: StreamViewType,
    pub(crate) created_millis: i64,
    pub(crate) shard_id: String,
    /// The ARN's hash, the first half of every event id.
    hash: u64,
    clock: Clock,
    /// False once closed: writes skip building a record (the log decides).
    open: AtomicBool,
    log: Mutex<Log>,
}

/// The shard's records and numbers.
#[derive(Debug)]
struct Log {
    records: VecDeque<Arc<StoredRecord>>,
    /// The number the shard's first record got (or gets).
    start: Seq,
    /// The number the next record gets.
    next: Seq,
    /// The oldest position still readable: every number below it was
    /// trimmed (`start` until something is).
    horizon: Seq,
    /// What the retained records cost ([`cost`]).
    bytes: usize,
    /// When the shard was closed.
    closed_millis: Option<i64>,
    /// Numbers given to records of writes still being logged (`durable`):
    /// readers see nothing from the lowest on, until it is published or
    /// abandoned, so they never skip a record that appears late.
    pending: BTreeSet<Seq>,
}

impl Log {
    /// Drops the records older than the retention at `now`, and the oldest
    /// beyond the memory bound.
    fn trim(&mut self, now: i64) {
        let cutoff = now.saturating_sub(RETENTION_MILLIS);
        while let Some(front) = self.records.front() {
            if front.at_millis >= cutoff && self.bytes <= MAX_RETAINED_BYTES {
                break;
            }
            self.bytes = self.bytes.saturating_sub(cost(front));
            self.horizon = front.seq + 1;
            self.records.pop_front();
        }
    }

    /// The retained records from `position` on (at most `limit`, and at
    /// most `max_bytes` of `SizeBytes` unless that leaves none).
    fn read(&self, position: Seq, limit: usize, max_bytes: u64) -> Vec<Arc<StoredRecord>> {
        // Numbers ascend in the deque (with gaps where a durable write
        // failed); a number still pending hides every record from it on.
        let skip = self.records.partition_point(|r| r.seq < position);
        let visible = self.pending.first().copied().unwrap_or(Seq::MAX);
        let mut out = Vec::new();
        let mut bytes = 0u64;
        for record in self
            .records
            .range(skip..)
            .take_while(|r| r.seq < visible)
            .take(limit)
        {
            bytes = bytes.saturating_add(record.size_bytes);
            if bytes > max_bytes && !out.is_empty() {
                break;
            }
            out.push(record.clone());
        }
        out
    }

    /// The last number of a closed shard (its start when it had no record).
    fn ending(&self) -> Option<Seq> {
        self.closed_millis
            .map(|_| self.next.saturating_sub(1).max(self.start))
    }
}

impl Stream {
    fn new(table: &Table, view: StreamViewType, label_millis: i64, clock: Clock) -> Stream {
        let label = label_of(label_millis);
        let arn = format!("{}/stream/{label}", table.arn);
        let start = SEQUENCE_BASE + 1;
        Stream {
            shard_id: shard_id(label_millis, &arn),
            hash: fnv1a(arn.as_bytes()),
            arn,
            label,
            table_name: table.name.clone(),
            schema: table.schema.clone(),
            view,
            created_millis: label_millis,
            clock,
            open: AtomicBool::new(true),
            log: Mutex::new(Log {
                records: VecDeque::new(),
                start,
                next: start,
                horizon: start,
                bytes: 0,
                closed_millis: None,
                pending: BTreeSet::new(),
            }),
        }
    }

    /// Appends the record of one write (module docs); nothing when the
    /// write changes nothing or the shard is closed.
    fn append(
        &self,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
        origin: WriteOrigin,
    ) {
        if !self.open.load(Ordering::Acquire) {
            return;
        }
        let Some(mut record) = record_of(&self.view, &self.schema, key, old, new, origin) else {
            return;
        };
        let mut log = lock(&self.log);
        if log.closed_millis.is_some() {
            return;
        }
        let now = self.clock.now_millis();
        record.seq = log.next;
        record.at_millis = now;
        log.next += 1;
        log.bytes = log.bytes.saturating_add(cost(&record));
        log.records.push_back(Arc::new(record));
        log.trim(now);
    }

    /// Closes the shard (disable, or the table's deletion); idempotent.
    fn close(&self) {
        self.open.store(false, Ordering::Release);
        let mut log = lock(&self.log);
        if log.closed_millis.is_none() {
            log.closed_millis = Some(self.clock.now_millis());
        }
    }

    /// `ENABLED` while open, then `DISABLED` (transitions are instant).
    pub(crate) fn status(&self) -> StreamStatus {
        if lock(&self.log).closed_millis.is_some() {
            StreamStatus::Disabled
        } else {
            StreamStatus::Enabled
        }
    }

    /// True once the stream has been closed for longer than the retention.
    fn expired(&self, now: i64) -> bool {
        lock(&self.log)
            .closed_millis
            .is_some_and(|at| now.saturating_sub(at) > RETENTION_MILLIS)
    }
}

/// A table's stream state: its most recent stream, if any.
#[derive(Debug, Default)]
pub(crate) struct TableStream {
    state: RwLock<TableStreamState>,
}

#[derive(Debug, Default)]
struct TableStreamState {
    latest: Option<Arc<Stream>>,
    /// The table was deleted: a stream attached now is closed at once.
    deleted: bool,
}

impl TableStream {
    /// The record of one write, appended to the enabled stream (called by
    /// `LockedItem::replace` under the item's lock).
    pub(crate) fn record(
        &self,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
        origin: WriteOrigin,
    ) {
        if let Some(stream) = &read(&self.state).latest {
            stream.append(key, old, new, origin);
        }
    }

    /// True while a stream is enabled.
    pub(crate) fn enabled(&self) -> bool {
        read(&self.state)
            .latest
            .as_ref()
            .is_some_and(|s| s.open.load(Ordering::Acquire))
    }

    /// The description members: `StreamSpecification` (while enabled),
    /// `LatestStreamArn` and `LatestStreamLabel` (once a stream existed).
    pub(crate) fn describe(&self) -> (Option<StreamSpecification>, Option<String>, Option<String>) {
        let state = read(&self.state);
        let Some(stream) = &state.latest else {
            return (None, None, None);
        };
        let spec = stream
            .open
            .load(Ordering::Acquire)
            .then(|| StreamSpecification::enabled(stream.view.clone()));
        (spec, Some(stream.arn.clone()), Some(stream.label.clone()))
    }

    /// Makes `stream` the table's stream, closing the previous one.
    fn attach(&self, stream: Arc<Stream>) {
        let mut state = write(&self.state);
        if let Some(old) = &state.latest {
            old.close();
        }
        if state.deleted {
            stream.close();
        }
        state.latest = Some(stream);
    }

    /// Closes the enabled stream (UpdateTable's disable).
    pub(crate) fn disable(&self) {
        if let Some(stream) = &read(&self.state).latest {
            stream.close();
        }
    }

    /// The table was deleted: its stream closes, and stays in the catalog.
    pub(crate) fn table_deleted(&self) {
        let mut state = write(&self.state);
        state.deleted = true;
        if let Some(stream) = &state.latest {
            stream.close();
        }
    }
}

/// Every stream of the store, by ARN (ListStreams' order).
#[derive(Debug, Default)]
pub(crate) struct StreamCatalog {
    streams: RwLock<BTreeMap<String, Arc<Stream>>>,
}

impl StreamCatalog {
    /// True when a stream of this ARN is known (enabled, or disabled and
    /// not yet past retention).
    pub(crate) fn contains(&self, arn: &str) -> bool {
        read(&self.streams).contains_key(arn)
    }

    /// A new stream of `table`, enabled at `millis`, registered and attached
    /// to the table (its previous stream is closed).
    pub(crate) fn enable(&self, table: &Table, view: StreamViewType, millis: i64, clock: &Clock) {
        let stream = {
            let mut streams = write(&self.streams);
            streams.retain(|_, s| !s.expired(millis));
            let mut at = millis;
            let stream = loop {
                let stream = Stream::new(table, view.clone(), at, clock.clone());
                if !streams.contains_key(&stream.arn) {
                    break Arc::new(stream);
                }
                at = at.saturating_add(1);
            };
            streams.insert(stream.arn.clone(), stream.clone());
            stream
        };
        table.stream.attach(stream);
    }

    /// The stream of this ARN, unless it expired.
    fn get(&self, arn: &str, now: i64) -> Option<Arc<Stream>> {
        read(&self.streams)
            .get(arn)
            .filter(|s| !s.expired(now))
            .cloned()
    }

    /// The streams after `after` (all when `None`) of table `table` (every
    /// table when `None`), in ARN order: at most `limit`, and whether more
    /// follow. Expired streams are dropped first.
    fn list(
        &self,
        table: Option<&str>,
        after: Option<&str>,
        limit: usize,
        now: i64,
    ) -> (Vec<Arc<Stream>>, bool) {
        write(&self.streams).retain(|_, s| !s.expired(now));
        let streams = read(&self.streams);
        let start = match after {
            Some(arn) => std::ops::Bound::Excluded(arn.to_owned()),
            None => std::ops::Bound::Unbounded,
        };
        let mut matching = streams
            .range((start, std::ops::Bound::Unbounded))
            .map(|(_, s)| s)
            .filter(|s| table.is_none_or(|t| s.table_name == t));
        let page: Vec<Arc<Stream>> = matching.by_ref().take(limit).cloned().collect();
        let more = matching.next().is_some();
        (page, more)
    }
}

// ---------------------------------------------------------------------------
// StreamSpecification on CreateTable and UpdateTable (§1.1, §1.2)

fn invalid(detail: &str) -> Error {
    Error::validation(format!(
        "One or more parameter values were invalid: {detail}"
    ))
}

/// CreateTable's stream rules (after the constraint layer): the view type
/// a table is created with, if any.
pub(crate) fn check_create(
    spec: Option<&StreamSpecification>,
) -> Result<Option<StreamViewType>, Error> {
    let Some(spec) = spec else { return Ok(None) };
    match (spec.stream_enabled, &spec.stream_view_type) {
        (Some(true), None) => Err(invalid(
            "Table is being created with a stream enabled, UpdateViewType is required",
        )),
        (Some(false), Some(_)) => Err(invalid(
            "Table is being created with a stream disabled, UpdateViewType should not be specified",
        )),
        (Some(true), Some(view)) => Ok(Some(view.clone())),
        _ => Ok(None),
    }
}

/// An accepted UpdateTable stream change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StreamChange {
    /// A new stream of this view type.
    Enable(StreamViewType),
    /// Close the enabled stream.
    Disable,
}

/// UpdateTable's stream rules against the table's state (the request's own
/// rules ran before the table was looked up): enabling needs no enabled
/// stream, whatever the view type; disabling needs one.
pub(crate) fn check_update(
    table: &Table,
    spec: Option<&StreamSpecification>,
) -> Result<Option<StreamChange>, Error> {
    let Some(spec) = spec else { return Ok(None) };
    let enabled = table.stream.enabled();
    match (spec.stream_enabled, &spec.stream_view_type) {
        // Refused before the table was looked up (request rules).
        (Some(true), None) | (None, _) => Ok(None),
        (Some(true), Some(view)) if !enabled => Ok(Some(StreamChange::Enable(view.clone()))),
        (Some(true), _) => Err(Error::validation(format!(
            "Table already has an enabled stream: TableName: {}",
            table.name
        ))),
        (Some(false), _) if enabled => Ok(Some(StreamChange::Disable)),
        (Some(false), _) => Err(Error::validation(format!(
            "Table has no stream to disable: TableName: {}",
            table.name
        ))),
    }
}
