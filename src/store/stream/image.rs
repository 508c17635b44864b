//! A stream's state as plain data ([`StreamImage`]), captured from a live
//! stream and rebuilt into one, for the store's images
//! ([`crate::store::image`]).

use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

use super::names::{Seq, fnv1a};
use super::records::StoredRecord;
use super::{Log, Stream, StreamCatalog, TableStream, TableStreamState};
use crate::api::StreamViewType;
use crate::clock::Clock;
use crate::store::key::KeySchema;
use crate::store::table::{lock, read, write};

/// One stream: its identity, its shard's retained records and numbers, and
/// whether it was closed (and when).
///
/// Invariants: `horizon <= next`, `start <= next`; the records' numbers
/// ascend (consecutive, except where a durable write failed after it was
/// numbered), from at least `horizon`, and below `next`;
/// `bytes` is what they cost (as the live shard counts it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StreamImage {
    pub(crate) arn: String,
    pub(crate) label: String,
    pub(crate) table_name: String,
    pub(crate) schema: KeySchema,
    pub(crate) view: StreamViewType,
    pub(crate) created_millis: i64,
    pub(crate) shard_id: String,
    /// The retained records, oldest first (shared with the live shard:
    /// records are immutable).
    pub(crate) records: Vec<Arc<StoredRecord>>,
    /// The number the shard's first record got.
    pub(crate) start: Seq,
    /// The number the next record gets.
    pub(crate) next: Seq,
    /// The oldest readable position.
    pub(crate) horizon: Seq,
    pub(crate) bytes: usize,
    /// When the shard was closed; `None` while the stream is enabled.
    pub(crate) closed_millis: Option<i64>,
    /// True when the store's catalog lists it (ListStreams, DescribeStream);
    /// false for a table's latest stream that expired from the catalog.
    pub(crate) listed: bool,
}

impl Stream {
    /// The stream's state now.
    pub(crate) fn image(&self, listed: bool) -> StreamImage {
        let log = lock(&self.log);
        StreamImage {
            arn: self.arn.clone(),
            label: self.label.clone(),
            table_name: self.table_name.clone(),
            schema: self.schema.clone(),
            view: self.view.clone(),
            created_millis: self.created_millis,
            shard_id: self.shard_id.clone(),
            records: log.records.iter().cloned().collect(),
            start: log.start,
            next: log.next,
            horizon: log.horizon,
            bytes: log.bytes,
            closed_millis: log.closed_millis,
            listed,
        }
    }

    /// A live stream in the image's state, on `clock`: it continues its
    /// numbering from `next`.
    pub(crate) fn from_image(image: &StreamImage, clock: &Clock) -> Stream {
        Stream {
            arn: image.arn.clone(),
            label: image.label.clone(),
            table_name: image.table_name.clone(),
            schema: image.schema.clone(),
            view: image.view.clone(),
            created_millis: image.created_millis,
            shard_id: image.shard_id.clone(),
            hash: fnv1a(image.arn.as_bytes()),
            clock: clock.clone(),
            open: AtomicBool::new(image.closed_millis.is_none()),
            log: Mutex::new(Log {
                records: image.records.iter().cloned().collect::<VecDeque<_>>(),
                start: image.start,
                next: image.next,
                horizon: image.horizon,
                bytes: image.bytes,
                closed_millis: image.closed_millis,
                pending: std::collections::BTreeSet::new(),
            }),
        }
    }
}

impl TableStream {
    /// The table's latest stream, if it ever had one.
    pub(crate) fn latest(&self) -> Option<Arc<Stream>> {
        read(&self.state).latest.clone()
    }

    /// A live table's stream state pointing at `latest`.
    pub(crate) fn restored(latest: Option<Arc<Stream>>) -> TableStream {
        TableStream {
            state: RwLock::new(TableStreamState {
                latest,
                deleted: false,
            }),
        }
    }
}

impl StreamCatalog {
    /// Every listed stream, by ARN (expired ones included until a list or
    /// an enable drops them, as in the live catalog).
    pub(crate) fn streams(&self) -> Vec<Arc<Stream>> {
        read(&self.streams).values().cloned().collect()
    }

    /// Replaces every stream at once; answers the streams replaced.
    pub(crate) fn replace(&self, streams: Vec<Arc<Stream>>) -> Vec<Arc<Stream>> {
        let new = streams.into_iter().map(|s| (s.arn.clone(), s)).collect();
        let old = std::mem::replace(&mut *write(&self.streams), new);
        old.into_values().collect()
    }
}
