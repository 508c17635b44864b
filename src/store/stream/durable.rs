//! Streams on a data directory (`store::durable`): a write's stream record
//! is numbered and timed *before* the write is logged, the number and time
//! go into the log with the write ([`Stamp`]), and the record becomes
//! visible once the write is applied. Recovery then puts every record back
//! with the number and time it had, whatever order the log holds them in.
//!
//! * **Reserve.** Under the item's lock, the record is built and numbered
//!   under the shard's lock ([`TableStream::reserve`]); its number is
//!   *pending*: readers see nothing from the lowest pending number on.
//! * **Publish or abandon.** Once the write is logged and applied (still
//!   under the item's lock) the record is inserted in number order and its
//!   number stops pending ([`Reserved::publish`]); a write whose log write
//!   failed drops its reservation, leaving a gap in the numbers (DynamoDB's
//!   numbers are not consecutive either). A reader therefore never sees a
//!   record whose write is not in the log, nor skips one that shows up late.
//! * **Replay.** [`replay`] inserts a logged record at its number, once
//!   (a record already there, from a checkpoint's copy of the stream, is
//!   kept), and moves the shard's next number past it. Numbers handed out
//!   after a restart are above every logged one, and every number a reader
//!   could have seen is logged: sequence numbers never go backwards.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::image::StreamImage;
use super::names::{Seq, label_of};
use super::records::{StoredRecord, WriteOrigin, assemble, cost, record_of};
use super::{Log, Stream, StreamCatalog, TableStream};
use crate::api::OperationType;
use crate::clock::Clock;
use crate::store::key::PrimaryKey;
use crate::store::table::{Table, lock, read, write};
use crate::value::Item;

/// A stream record as logged with its write: the stream (by its creation
/// time, which names it within its table), the record's number and time,
/// who wrote (a TTL deletion's record says so), the event, and the old
/// image when the view keeps it. The keys and the new image follow from
/// the write's key and after-image. Replay needs nothing else: not the
/// item as it was before the write, which a checkpoint's copy may already
/// show changed by this very write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stamp {
    pub(crate) stream_millis: i64,
    pub(crate) seq: Seq,
    pub(crate) at_millis: i64,
    pub(crate) origin: WriteOrigin,
    pub(crate) event: OperationType,
    pub(crate) old: Option<Item>,
}

/// A numbered record whose write is being logged: published by
/// [`Reserved::publish`], abandoned when dropped.
#[derive(Debug)]
pub(crate) struct Reserved {
    stream: Arc<Stream>,
    record: Option<StoredRecord>,
}

impl Reserved {
    /// What the log keeps of the record: its stream's creation time and
    /// the record ([`Stamp`]).
    pub(crate) fn logged(&self) -> Option<(i64, &StoredRecord)> {
        self.record
            .as_ref()
            .map(|r| (self.stream.created_millis, r))
    }

    /// Makes the record visible (its write is logged and applied).
    pub(crate) fn publish(mut self) {
        if let Some(record) = self.record.take() {
            let mut log = lock(&self.stream.log);
            log.pending.remove(&record.seq);
            log.insert(record);
        }
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        if let Some(record) = self.record.take() {
            lock(&self.stream.log).pending.remove(&record.seq);
        }
    }
}

impl Log {
    /// Where a `LATEST` iterator starts: after the last record, or at the
    /// lowest number still being logged. A number whose write is still being
    /// logged may be lost to a crash and given again after the restart, so an
    /// iterator past it would skip that new record.
    pub(super) fn latest(&self) -> Seq {
        self.pending.first().copied().unwrap_or(self.next)
    }

    /// Inserts a record at its number, unless it is there already or was
    /// trimmed; the next number stays above it.
    fn insert(&mut self, record: StoredRecord) {
        self.next = self.next.max(record.seq.saturating_add(1));
        if record.seq < self.horizon {
            return;
        }
        let at = self.records.partition_point(|r| r.seq < record.seq);
        if self.records.get(at).is_some_and(|r| r.seq == record.seq) {
            return;
        }
        let now = record.at_millis;
        self.bytes = self.bytes.saturating_add(cost(&record));
        self.records.insert(at, Arc::new(record));
        self.trim(now);
    }
}

impl TableStream {
    /// Numbers and times the record of a write (module docs), without
    /// making it visible; `None` when the write makes no record.
    pub(crate) fn reserve(
        &self,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
        origin: WriteOrigin,
    ) -> Option<Reserved> {
        let stream = read(&self.state).latest.clone()?;
        if !stream.open.load(Ordering::Acquire) {
            return None;
        }
        let mut record = record_of(&stream.view, &stream.schema, key, old, new, origin)?;
        {
            let mut log = lock(&stream.log);
            if log.closed_millis.is_some() {
                return None;
            }
            record.seq = log.next;
            record.at_millis = stream.clock.now_millis();
            log.next += 1;
            log.pending.insert(record.seq);
        }
        Some(Reserved {
            stream,
            record: Some(record),
        })
    }
}

/// Recovery: the record a logged write made, put back in its stream of
/// `catalog` (module docs); `new` is the write's after-image.
pub(crate) fn replay(
    catalog: &StreamCatalog,
    table: &Table,
    key: &PrimaryKey,
    new: Option<&Item>,
    stamp: &Stamp,
) {
    let arn = format!("{}/stream/{}", table.arn, label_of(stamp.stream_millis));
    let stream = read(&catalog.streams).get(&arn).cloned().or_else(|| {
        table
            .stream
            .latest()
            .filter(|s| s.created_millis == stamp.stream_millis)
    });
    let Some(stream) = stream else { return };
    let mut record = assemble(
        &stream.view,
        &stream.schema,
        key,
        stamp.event.clone(),
        stamp.old.as_ref(),
        new,
        stamp.origin,
    );
    record.seq = stamp.seq;
    record.at_millis = stamp.at_millis;
    lock(&stream.log).insert(record);
}

impl StreamCatalog {
    /// Recovery from a checkpoint: the stream of `image` takes the image's
    /// numbers and closing, with no record yet ([`StreamCatalog::load_records`]
    /// adds them). A stream the checkpoint's control records made again is
    /// updated in place (its table points at it); another (a deleted
    /// table's) is made and listed.
    pub(crate) fn load(&self, image: &StreamImage, clock: &Clock) {
        let existing = read(&self.streams).get(&image.arn).cloned();
        match existing {
            Some(stream) => {
                stream
                    .open
                    .store(image.closed_millis.is_none(), Ordering::Release);
                let mut log = lock(&stream.log);
                log.records.clear();
                log.bytes = 0;
                log.start = image.start;
                log.next = image.next;
                log.horizon = image.horizon;
                log.closed_millis = image.closed_millis;
                log.pending = BTreeSet::new();
            }
            None if image.listed => {
                let empty = StreamImage {
                    records: Vec::new(),
                    bytes: 0,
                    ..image.clone()
                };
                let stream = Arc::new(Stream::from_image(&empty, clock));
                write(&self.streams).insert(stream.arn.clone(), stream);
            }
            None => {}
        }
    }

    /// Recovery from a checkpoint: records of the stream `arn`.
    pub(crate) fn load_records(&self, arn: &str, records: Vec<StoredRecord>) {
        let Some(stream) = read(&self.streams).get(arn).cloned() else {
            return;
        };
        let mut log = lock(&stream.log);
        for record in records {
            log.insert(record);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::key::{KeyAttribute, KeySchema};
    use crate::store::stream::names::SEQUENCE_BASE;
    use crate::store::table::{Billing, Table};
    use crate::value::ScalarType;
    use crate::wire::item_from_json;

    fn table_with_stream(clock: &Clock) -> (Table, StreamCatalog) {
        let schema = KeySchema {
            partition: KeyAttribute {
                name: "p".into(),
                scalar_type: ScalarType::S,
            },
            sort: None,
        };
        let table = Table::new(
            "tab".into(),
            "arn:aws:dynamodb:us-east-1:123456789012:table/tab".into(),
            schema,
            Billing::default(),
            0.0,
            Vec::new(),
        );
        let catalog = StreamCatalog::default();
        catalog.enable(
            &table,
            crate::api::StreamViewType::NewImage,
            clock.now_millis(),
            clock,
        );
        (table, catalog)
    }

    fn item(p: &str) -> (PrimaryKey, Item) {
        let item = item_from_json(format!(r#"{{"p": {{"S": "{p}"}}}}"#).as_bytes()).unwrap();
        let key = PrimaryKey {
            partition: crate::store::key::KeyValue::S(p.into()),
            sort: None,
        };
        (key, item)
    }

    fn visible(table: &Table) -> Vec<Seq> {
        let stream = table.stream.latest().unwrap();
        let log = lock(&stream.log);
        log.read(0, 1000, u64::MAX).iter().map(|r| r.seq).collect()
    }

    #[test]
    fn a_pending_number_hides_later_records_until_published_or_abandoned() {
        let clock = Clock::manual(1_700_000_000_000);
        let (table, catalog) = table_with_stream(&clock);
        let (ka, a) = item("a");
        let (kb, b) = item("b");
        let (kc, c) = item("c");
        let first = table
            .stream
            .reserve(&ka, None, Some(&a), WriteOrigin::Request)
            .unwrap();
        let second = table
            .stream
            .reserve(&kb, None, Some(&b), WriteOrigin::Request)
            .unwrap();
        let third = table
            .stream
            .reserve(&kc, None, Some(&c), WriteOrigin::Request)
            .unwrap();
        let stamps: Vec<Seq> = [&first, &second, &third]
            .iter()
            .map(|r| r.logged().unwrap().1.seq)
            .collect();
        assert_eq!(stamps, [1, 2, 3].map(|n| SEQUENCE_BASE + n));
        // The second is published first: nothing shows while the first
        // is pending, and a LATEST iterator starts at the first.
        second.publish();
        assert!(visible(&table).is_empty());
        let latest = || lock(&table.stream.latest().unwrap().log).latest();
        assert_eq!(latest(), SEQUENCE_BASE + 1);
        // The first's log write failed: its number is a gap.
        drop(first);
        assert_eq!(visible(&table), [SEQUENCE_BASE + 2]);
        third.publish();
        assert_eq!(visible(&table), [SEQUENCE_BASE + 2, SEQUENCE_BASE + 3]);
        assert_eq!(latest(), SEQUENCE_BASE + 4);
        // Replay puts a record at its number once, before later ones, and
        // keeps the next number above every one seen.
        let stamp = Stamp {
            stream_millis: clock.now_millis(),
            seq: SEQUENCE_BASE + 9,
            at_millis: clock.now_millis(),
            origin: WriteOrigin::Request,
            event: OperationType::Insert,
            old: None,
        };
        replay(&catalog, &table, &ka, Some(&a), &stamp);
        let early = Stamp {
            seq: SEQUENCE_BASE + 1,
            ..stamp
        };
        replay(&catalog, &table, &ka, Some(&a), &early);
        replay(&catalog, &table, &ka, Some(&a), &early);
        assert_eq!(
            visible(&table),
            [1, 2, 3, 9].map(|n| SEQUENCE_BASE + n).to_vec()
        );
        let next = table
            .stream
            .reserve(&kb, Some(&b), None, WriteOrigin::Request)
            .unwrap();
        assert_eq!(next.logged().map(|(_, r)| r.seq), Some(SEQUENCE_BASE + 10));
    }
}
