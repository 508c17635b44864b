//! [`StoreBuilder`]: a store with a chosen clock, region and account.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::error::Error;
use crate::store::catalog::{Store, StoreInner};
use crate::store::durable::{self, DEFAULT_CHECKPOINT_BYTES, DurableOptions};
use crate::store::expression_cache::{
    DEFAULT_EXPRESSION_CACHE_BYTES, DEFAULT_EXPRESSION_CACHE_ENTRIES, ExpressionCache,
};
use crate::store::ttl::TtlOptions;

/// The region of the ARNs a store gives its tables unless told otherwise.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The account id of the ARNs a store gives its tables unless told
/// otherwise. Not `000000000000`: ARNs naming another account are foreign
/// (spec streams-ttl-tags.md §6.2), and tests commonly build ARNs with that
/// id to reach the "another account" answers.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";

/// Where a store is: the region and account of its ARNs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) region: String,
    pub(crate) account_id: String,
}

impl Default for Location {
    fn default() -> Self {
        Location {
            region: DEFAULT_REGION.to_owned(),
            account_id: DEFAULT_ACCOUNT_ID.to_owned(),
        }
    }
}

impl Location {
    /// The ARN of a table of this name.
    pub(crate) fn table_arn(&self, table: &str) -> String {
        format!(
            "arn:aws:dynamodb:{}:{}:table/{table}",
            self.region, self.account_id
        )
    }
}

/// Builds a [`Store`] with a chosen [`Clock`], region and account id.
///
/// ```
/// use dynacond::{Clock, Store};
///
/// let clock = Clock::manual(1_700_000_000_000);
/// let store = Store::builder().clock(clock.clone()).region("eu-west-1").build()?;
/// assert_eq!(store.clock().now_millis(), 1_700_000_000_000);
/// assert_eq!(store.region(), "eu-west-1");
/// # Ok::<(), dynacond::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct StoreBuilder {
    clock: Clock,
    location: Location,
    ttl: TtlOptions,
    collection_limit: Option<u64>,
    /// The expression cache's bounds: entries, estimated bytes.
    expression_cache: (usize, usize),
    explain: bool,
    /// The data directory, for a durable store.
    durable: Option<DurableOptions>,
}

impl Default for StoreBuilder {
    fn default() -> Self {
        StoreBuilder {
            clock: Clock::default(),
            location: Location::default(),
            ttl: TtlOptions::default(),
            collection_limit: None,
            expression_cache: (
                DEFAULT_EXPRESSION_CACHE_ENTRIES,
                DEFAULT_EXPRESSION_CACHE_BYTES,
            ),
            explain: false,
            durable: None,
        }
    }
}

impl StoreBuilder {
    /// The clock the store reads (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The region of the store's ARNs (default [`DEFAULT_REGION`]): 1 to 32
    /// lowercase letters, digits and dashes.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.location.region = region.into();
        self
    }

    /// The account id of the store's ARNs (default [`DEFAULT_ACCOUNT_ID`]):
    /// 12 digits.
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.location.account_id = account_id.into();
        self
    }

    /// Turns on UpdateTimeToLive's cooldown (spec streams-ttl-tags.md
    /// §5.1): after a successful change, another successful change of the
    /// table is refused for `window` of store-clock time with `Time to live
    /// has been modified multiple times within a fixed interval`, as
    /// DynamoDB does ([`DYNAMODB_TTL_COOLDOWN`](crate::store::DYNAMODB_TTL_COOLDOWN)
    /// is the window measured there). Off by default; a zero window turns it
    /// off.
    pub fn ttl_cooldown(mut self, window: Duration) -> Self {
        self.ttl.cooldown = (!window.is_zero()).then_some(window);
        self
    }

    /// How many parsed expressions the store keeps, by parameter and text,
    /// so that requests repeating an expression do not parse it again
    /// (default [`DEFAULT_EXPRESSION_CACHE_ENTRIES`]; 0 keeps none). Only
    /// successful parses are kept, so results never depend on it.
    pub fn expression_cache(mut self, entries: usize) -> Self {
        self.expression_cache.0 = entries;
        self
    }

    /// The most bytes the kept expressions may take, as estimated from
    /// their text (default [`DEFAULT_EXPRESSION_CACHE_BYTES`]; 0 keeps none).
    pub fn expression_cache_bytes(mut self, bytes: usize) -> Self {
        self.expression_cache.1 = bytes;
        self
    }

    /// The size limit of each item collection (the items of one
    /// partition-key value and their local-index entries) of a table with
    /// local secondary indexes: DynamoDB's 10 GB
    /// ([`DEFAULT_ITEM_COLLECTION_LIMIT`](crate::store::DEFAULT_ITEM_COLLECTION_LIMIT))
    /// unless set lower, e.g. so that a test can reach
    /// `ItemCollectionSizeLimitExceededException`.
    pub fn item_collection_size_limit(mut self, bytes: u64) -> Self {
        self.collection_limit = Some(bytes);
        self
    }

    /// Explains failed conditions: a ConditionalCheckFailedException of
    /// PutItem, UpdateItem, DeleteItem or PartiQL's ExecuteStatement, and
    /// each ConditionalCheckFailed reason of a cancelled TransactWriteItems
    /// or ExecuteTransaction, then carries the
    /// [`Explanation`](crate::explain::Explanation) of the condition against
    /// the item (the endpoint sends it as an extra `Explanation` member that
    /// SDKs ignore). Off by default, so that errors are DynamoDB's exactly;
    /// a failed condition then costs a second, recording evaluation.
    pub fn explain(mut self, on: bool) -> Self {
        self.explain = on;
        self
    }

    /// Keeps the store in a data directory (created if missing): every
    /// acknowledged write survives the process being killed, and the store
    /// is recovered from it by the next `build` (the `durable` module docs
    /// in the README's Durability section). One process at a time: the
    /// directory is locked while the store lives.
    pub fn data_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        let options = self.durable.get_or_insert_with(|| DurableOptions {
            dir: std::path::PathBuf::new(),
            sync: false,
            checkpoint_bytes: DEFAULT_CHECKPOINT_BYTES,
        });
        options.dir = dir.into();
        self
    }

    /// With a data directory: also `fdatasync` the log before replying,
    /// so acknowledged writes survive a power loss too (default off: they
    /// survive a killed process). Concurrent writers share each sync.
    pub fn sync_writes(mut self, sync: bool) -> Self {
        if let Some(options) = &mut self.durable {
            options.sync = sync;
        }
        self
    }

    /// With a data directory: checkpoint (snapshot the store, drop the
    /// log before it) in the background once the log passes `bytes`
    /// (default [`DEFAULT_CHECKPOINT_BYTES`]; 0: only through
    /// [`Store::checkpoint`]).
    pub fn checkpoint_bytes(mut self, bytes: u64) -> Self {
        if let Some(options) = &mut self.durable {
            options.checkpoint_bytes = bytes;
        }
        self
    }

    /// The store; a `ValidationException` for a malformed region or
    /// account id; with a data directory, an `InternalServerError` saying
    /// why it cannot be opened (in use, unreadable, damaged).
    pub fn build(self) -> Result<Store, Error> {
        let region = &self.location.region;
        if region.is_empty()
            || region.len() > 32
            || !region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(Error::validation(format!(
                "Invalid region: {region:?} (1 to 32 lowercase letters, digits and dashes)"
            )));
        }
        let account = &self.location.account_id;
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::validation(format!(
                "Invalid account id: {account:?} (12 digits)"
            )));
        }
        let mut inner = StoreInner::new(self.clock, self.location);
        inner.ttl = self.ttl;
        let (entries, bytes) = self.expression_cache;
        inner.expressions = ExpressionCache::new(entries, bytes);
        inner.collection_limit = self.collection_limit;
        inner.explain = self.explain;
        let store = Store {
            inner: Arc::new(inner),
        };
        match self.durable {
            Some(options) => durable::open(store, options),
            None => Ok(store),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_and_account_are_checked() {
        assert!(StoreBuilder::default().region("").build().is_err());
        assert!(StoreBuilder::default().region("US-EAST-1").build().is_err());
        assert!(StoreBuilder::default().account_id("12345").build().is_err());
        assert!(
            StoreBuilder::default()
                .account_id("12345678901x")
                .build()
                .is_err()
        );
        let store = StoreBuilder::default()
            .region("ap-south-2")
            .account_id("000000000001")
            .build();
        let store = store.ok();
        assert_eq!(store.as_ref().map(|s| s.region()), Some("ap-south-2"));
        assert_eq!(store.as_ref().map(|s| s.account_id()), Some("000000000001"));
    }
}
