//! The in-memory store: tables, keys and every operation on them.
//!
//! # Layout
//!
//! This file is only the facade; each concept has a module of its own, and
//! none of them imports this one:
//!
//! | Module | Owns |
//! | --- | --- |
//! | `catalog` | [`Store`], the table map, CreateTable / DeleteTable / DescribeTable / ListTables |
//! | `update_table`, `throughput` | UpdateTable: index creation with its backfill, deletion, capacity, billing mode, deletion protection |
//! | `key` | [`KeySchema`], [`PrimaryKey`] and key extraction with DynamoDB's key errors |
//! | `table` | [`Table`]: item slots, the guards that hold them, the item count and size counters |
//! | `pipeline` | the one request pipeline every operation runs (mixing, legacy translation, parse, bind, value and unused-entry checks) |
//! | `items` | GetItem, PutItem, UpdateItem, DeleteItem |
//! | [`query`], `key_condition`, `range` | Query and Scan: key-condition analysis, range bounds, paging |
//! | `index`, `index_read` | secondary indexes (keys of 1..4 HASH and 0..4 RANGE attributes), their upkeep on writes, Query and Scan with `IndexName` |
//! | [`transaction`], `tokens` | TransactWriteItems, TransactGetItems, ClientRequestToken |
//! | [`batch`] | BatchGetItem, BatchWriteItem |
//! | `ttl` | UpdateTimeToLive, DescribeTimeToLive, the expiry rule, sweeps of expired items and the background sweeper |
//! | `stream` | DynamoDB Streams: stream configuration, the records every write appends, ListStreams / DescribeStream / GetShardIterator / GetRecords |
//! | `partiql` | ExecuteStatement, BatchExecuteStatement, ExecuteTransaction: PartiQL statements planned onto the pieces above |
//! | `capacity` | ReturnConsumedCapacity and ReturnItemCollectionMetrics: unit arithmetic, the per-call accumulator, item-collection sizes |
//! | `extras`, `tags`, `resource`, `encryption`, `backups`, `control_plane` | a table's tags, encryption, class and point-in-time recovery; TagResource / UntagResource / ListTagsOfResource and resource ARNs; Describe/UpdateContinuousBackups; DescribeEndpoints, DescribeLimits and the other small control-plane calls |
//!
//! # Design
//!
//! * [`Store`] is a handle (`Arc` inside): cloning it is cheap and every clone
//!   sees the same tables. It is `Send + Sync`.
//! * The table map sits behind an `RwLock` that is held only to look up,
//!   create or delete a table, never while an item operation runs.
//! * A [`Table`] keeps its items in a `BTreeMap` from [`PrimaryKey`] to a slot,
//!   `Arc<Mutex<Option<Item>>>`. A [`PrimaryKey`] holds the typed key values
//!   (partition, then sort): `S` orders by UTF-8 bytes, `B` as unsigned bytes,
//!   `N` numerically, and numbers equal across spellings (`1000`, `1E+3`) are
//!   one key, since [`Number`](crate::Number)'s representation is normalised. (The design
//!   brief proposed an order-preserving byte encoding; the typed key gives the
//!   same order and equality with no encoding to get wrong.)
//! * A single-item operation takes the map's read lock just long enough to
//!   find its slot (or the write lock briefly to insert an empty slot),
//!   releases it, then locks only that item's mutex while it evaluates and
//!   writes. Holding a slot is a guard (`SlotRef`) and holding its item
//!   another (`LockedItem`); both release on drop, whatever path the
//!   operation takes, and `LockedItem::replace` is the only way to write an
//!   item, so the table's item count and size stay exact. Operations on different items never wait for each other. A slot
//!   reads `None` when no item exists; a slot left empty (a delete, a failed
//!   write, a transactional read of an absent key) is removed again when
//!   nobody else holds it, so the map does not grow with absent keys.
//! * Writes are two-phase: everything that can fail (key checks, expressions,
//!   the condition, the update, size limits) runs first and produces the new
//!   item; the last step is an assignment that cannot fail (a transaction's
//!   writes are a plan whose `commit` consumes it; dropping it writes nothing). A panic while a
//!   slot is locked therefore leaves the old value, and poisoned locks are
//!   recovered (`PoisonError::into_inner`), so one caller's panic never breaks
//!   the store for the others.
//! * Transactions ([`crate::store::transaction`]) lock every item they touch in
//!   ascending (table name, key) order and mark each slot as held by a
//!   transaction. As in DynamoDB, a PutItem, UpdateItem or DeleteItem on such
//!   an item fails at once with `TransactionConflictException`, and another
//!   transaction touching it is cancelled with a `TransactionConflict`
//!   reason, so no transaction ever waits for another and none can deadlock;
//!   a short hold by a single-item write is simply waited for, and a
//!   BatchWriteItem write waits for the transaction (the `table` module
//!   has the whole table and the argument).
//!
//! # Messages
//!
//! Validation messages of the single-item writes (PutItem, UpdateItem,
//! DeleteItem) carry DynamoDB's `1 validation error detected: ` prefix (spec
//! §0.2); reads, table operations and transactions send the bare message.

pub mod batch;
pub mod query;
pub mod transaction;

pub(crate) mod backups;
mod builder;
mod capacity;
mod catalog;
mod collections;
mod compact;
mod control_plane;
mod definition;
pub(crate) mod durable;
mod encryption;
mod explain;
mod expression_cache;
mod extras;
mod gate;
mod holds;
pub(crate) mod image;
pub(crate) mod index;
mod index_read;
mod items;
mod key;
mod key_condition;
mod partiql;
mod pipeline;
mod range;
pub(crate) mod requests;
mod resource;
mod slot;
mod snapshot;
mod stored_key;
pub(crate) mod stream;
mod table;
mod table_load;
mod tags;
mod throughput;
mod tokens;
mod ttl;
mod update_table;

pub use builder::{DEFAULT_ACCOUNT_ID, DEFAULT_REGION, StoreBuilder};
pub use catalog::Store;
pub use collections::DEFAULT_ITEM_COLLECTION_LIMIT;
pub use durable::{DEFAULT_CHECKPOINT_BYTES, DataDirReport, check_data_dir};
pub use expression_cache::{DEFAULT_EXPRESSION_CACHE_BYTES, DEFAULT_EXPRESSION_CACHE_ENTRIES};
pub use items::CONDITION_FAILED;
pub use key::{
    KeyAttribute, KeySchema, KeyValue, MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES, PrimaryKey,
    ScalarType,
};
pub use snapshot::{MAX_HELD_SNAPSHOTS, Snapshot};
pub use table::Table;
pub use ttl::{DYNAMODB_TTL_COOLDOWN, TtlSweeper};

#[cfg(test)]
mod tests;
