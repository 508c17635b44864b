//! The size of each item collection of a table with local secondary
//! indexes (indexes.md §4.5): the items of one partition-key value plus
//! their entries in the table's LSIs, kept up to date by the table's one
//! write point, and DynamoDB's limit on it (10 GB by default; configurable
//! with [`StoreBuilder::item_collection_size_limit`](crate::StoreBuilder::item_collection_size_limit)
//! so tests can reach it).
//!
//! A write that would grow a collection past the limit fails with
//! `ItemCollectionSizeLimitExceededException` (a `ItemCollectionSizeLimitExceeded`
//! cancellation reason in a transaction); writes that shrink or keep a
//! collection's size are always allowed. The check runs while the written
//! item is locked, against the size committed so far, so it is exact for
//! one writer at a time; writers growing *different items of the same
//! collection at the same moment* may together pass it by the sum of their
//! growth (the limit is a quota, not an invariant the store relies on).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;
use crate::store::index::{Index, IndexKind};
use crate::store::key::{KeySchema, KeyValue};
use crate::store::table::lock;
use crate::value::{Item, item_size};

/// DynamoDB's limit: 10 GB per item collection.
pub const DEFAULT_ITEM_COLLECTION_LIMIT: u64 = 10 * 1024 * 1024 * 1024;

/// The message of the exception and of the transaction's cancellation
/// reason (DynamoDB documents the latter; the former was never captured).
pub(crate) const COLLECTION_SIZE_EXCEEDED: &str = "Collection size exceeded";

/// The collection sizes of one table (empty for a table without LSIs).
#[derive(Debug)]
pub(crate) struct CollectionSizes {
    /// False for a table without local indexes: nothing is counted.
    tracked: bool,
    limit: AtomicU64,
    sizes: Mutex<HashMap<KeyValue, u64>>,
}

impl CollectionSizes {
    pub(crate) fn new(indexes: &[Index]) -> CollectionSizes {
        CollectionSizes {
            tracked: indexes.iter().any(|i| i.kind == IndexKind::Local),
            limit: AtomicU64::new(DEFAULT_ITEM_COLLECTION_LIMIT),
            sizes: Mutex::default(),
        }
    }

    pub(crate) fn set_limit(&self, bytes: u64) {
        self.limit.store(bytes, Ordering::Relaxed);
    }

    /// The bytes an item adds to its collection: its size and the size of
    /// its entry in each local index that holds it.
    pub(crate) fn contribution<'i>(
        indexes: impl IntoIterator<Item = &'i Index>,
        schema: &KeySchema,
        item: Option<&Item>,
    ) -> u64 {
        let Some(item) = item else {
            return 0;
        };
        let mut total = item_size(item) as u64;
        for index in indexes.into_iter().filter(|i| i.kind == IndexKind::Local) {
            if index.key_of(item).is_some() {
                total = total.saturating_add(item_size(&index.project(item, schema)) as u64);
            }
        }
        total
    }

    /// The size of the collection of `partition` committed so far.
    pub(crate) fn size(&self, partition: &KeyValue) -> u64 {
        lock(&self.sizes).get(partition).copied().unwrap_or(0)
    }

    /// Refuses a write that would grow the collection of `partition` from
    /// `old` bytes to `new` bytes past the limit.
    pub(crate) fn check(&self, partition: &KeyValue, old: u64, new: u64) -> Result<(), Error> {
        if !self.tracked || new <= old {
            return Ok(());
        }
        let after = self.size(partition).saturating_sub(old).saturating_add(new);
        if after > self.limit.load(Ordering::Relaxed) {
            return Err(Error::ItemCollectionSizeLimitExceeded(
                COLLECTION_SIZE_EXCEEDED.into(),
            ));
        }
        Ok(())
    }

    /// Notes a committed write (called by the table's write point).
    pub(crate) fn record(&self, partition: &KeyValue, old: u64, new: u64) {
        if !self.tracked || old == new {
            return;
        }
        let mut sizes = lock(&self.sizes);
        let size = sizes.entry(partition.clone()).or_insert(0);
        *size = size.saturating_sub(old).saturating_add(new);
        if *size == 0 {
            sizes.remove(partition);
        }
    }

    pub(crate) fn tracked(&self) -> bool {
        self.tracked
    }
}
