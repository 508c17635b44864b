//! A store's data as plain values ([`StoreImage`]): captured from a live
//! store in one consistent moment, and rebuilt into live tables and
//! streams. [`Store::snapshot`](crate::Store::snapshot) and
//! [`Store::restore`](crate::Store::restore) are built on it, and so can a
//! checkpoint on disk be (every part is owned data: definitions, settings,
//! items as [`Item`]s, stream records).
//!
//! # What an image holds, and what it does not
//!
//! *Data*, everything a DynamoDB client can observe of the tables:
//! each table's name, ARN, key schema and creation time; its settings
//! (billing mode, capacity and its change history, deletion protection,
//! Time to Live with its last change); its tags, encryption, table class,
//! point-in-time recovery and its streams' tags; its secondary indexes'
//! definitions and capacity; its items; its latest stream. Every stream
//! of the catalog (the enabled ones, the disabled ones, and those of
//! deleted tables, for their 24 hours), with its retained records and its
//! sequence numbers, so a restored stream goes on numbering where it stood
//! and a reader's position (a sequence number) means the same record again.
//! The ClientRequestTokens of finished transactions, so a retry of a
//! transaction the image contains is recognised as a replay, and one made
//! after the capture is not.
//!
//! *Not data*, the store's configuration, left as it is by a restore: the
//! clock, the fault rules and readiness, the expression cache, the
//! builder's options (region, account, TTL cooldown, item-collection
//! limit), the snapshots the endpoint holds.
//!
//! # Invariants
//!
//! * `tables` are in name order, names distinct; each table's `items` are
//!   in key order, keys distinct, each key being the table's key of its
//!   item (`KeySchema::key_of_map`), every item valid for the table's
//!   index keys, as stored.
//! * What follows from the items is not kept but computed again by a
//!   rebuild, so it is exact by construction: the item count and size, the
//!   index entries with their counts and sizes, the item-collection sizes.
//!   An index that was being backfilled when captured is rebuilt complete.
//! * `latest_stream` names a stream of `streams`; a stream is enabled
//!   (`closed_millis` is `None`) only if it is the latest stream of a
//!   table of the image (a table deleted while the capture ran has its
//!   stream captured closed).
//!
//! # Consistency
//!
//! [`StoreImage::capture`] closes the store's write gate (module `gate`)
//! while it copies: no item write is under way, so the image is one
//! moment of the store, with every transaction wholly in it or wholly not.
//! Reads go on meanwhile; writes wait for the copy (about as long as
//! cloning the items takes).

use std::collections::HashMap;
use std::sync::{Arc, PoisonError};

use crate::store::builder::Location;
use crate::store::catalog::{Store, StoreInner};
use crate::store::collections::CollectionSizes;
use crate::store::extras::Extras;
use crate::store::index::Index;
use crate::store::index::image::IndexImage;
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::stream::image::StreamImage;
use crate::store::stream::{Stream, TableStream};
use crate::store::table::{Billing, Keyed, Settings, SlotCell, Table, lock, read};
use crate::value::Item;

#[cfg(test)]
mod tests;

/// A whole store's data (module docs).
#[derive(Debug, Clone, Default)]
pub(crate) struct StoreImage {
    /// The region and account of the store it was captured from (its
    /// ARNs name them).
    pub(crate) location: Location,
    /// Every table, in name order.
    pub(crate) tables: Vec<TableImage>,
    /// Every stream: the catalog's (`listed`), and tables' latest streams
    /// that left it.
    pub(crate) streams: Vec<StreamImage>,
    /// Finished transactions' ClientRequestTokens: (token, request
    /// fingerprint, finished at, epoch milliseconds).
    pub(crate) tokens: Vec<(String, String, i64)>,
}

/// One table's data (module docs).
#[derive(Debug, Clone)]
pub(crate) struct TableImage {
    pub(crate) name: String,
    pub(crate) arn: String,
    pub(crate) schema: KeySchema,
    /// Seconds since the Unix epoch.
    pub(crate) created: f64,
    /// Billing mode, capacity, deletion protection, Time to Live.
    pub(crate) settings: Settings,
    /// Tags, encryption, table class, point-in-time recovery, stream tags.
    pub(crate) extras: Extras,
    /// The secondary indexes, in the table's order (local ones first).
    pub(crate) indexes: Vec<IndexImage>,
    /// The items with their keys, in key order.
    pub(crate) items: Vec<(PrimaryKey, Item)>,
    /// The ARN of the table's latest stream, if it ever had one.
    pub(crate) latest_stream: Option<String>,
}

/// Live tables and streams built from an image, not yet in any store.
#[derive(Debug, Default)]
pub(crate) struct Rebuilt {
    pub(crate) tables: HashMap<String, Arc<Table>>,
    /// The catalog's streams.
    pub(crate) streams: Vec<Arc<Stream>>,
}

impl StoreImage {
    /// The store's data now, captured with its write gate closed.
    pub(crate) fn capture(store: &Store) -> StoreImage {
        let inner = &store.inner;
        let _closed = inner.gate.close();
        // The table map and the stream catalog, read together (CreateTable
        // adds a table and its stream under the map's lock).
        let (mut tables, listed) = {
            let map = read(&inner.tables);
            let listed = inner.streams.streams();
            (map.values().cloned().collect::<Vec<_>>(), listed)
        };
        tables.sort_by(|a, b| a.name.cmp(&b.name));
        let now = inner.clock.now_millis();
        let mut latest: Vec<Arc<Stream>> = Vec::new();
        let tables: Vec<TableImage> = tables
            .iter()
            .map(|table| {
                let stream = table.stream.latest();
                let image = TableImage::capture(table, stream.as_ref().map(|s| s.arn.clone()));
                latest.extend(stream);
                image
            })
            .collect();
        let is_latest = |arn: &str| latest.iter().any(|s| s.arn == arn);
        let mut streams: Vec<StreamImage> = listed
            .iter()
            .map(|stream| {
                let mut image = stream.image(true);
                if !is_latest(&image.arn) {
                    // The stream of a table deleted meanwhile.
                    image.closed_millis.get_or_insert(now);
                }
                image
            })
            .collect();
        for stream in &latest {
            if !listed.iter().any(|s| s.arn == stream.arn) {
                streams.push(stream.image(false));
            }
        }
        StoreImage {
            location: inner.location.clone(),
            tables,
            streams,
            tokens: inner.tokens.finished(),
        }
    }

    /// The number of items of every table.
    pub(crate) fn item_count(&self) -> usize {
        self.tables.iter().map(|t| t.items.len()).sum()
    }

    /// Live tables and streams holding the image's data, for `inner`'s
    /// store (its clock, write gate and item-collection limit). The image
    /// is copied, so it can be rebuilt again.
    pub(crate) fn rebuild(&self, inner: &StoreInner) -> Rebuilt {
        let streams: HashMap<&str, Arc<Stream>> = self
            .streams
            .iter()
            .map(|s| {
                (
                    s.arn.as_str(),
                    Arc::new(Stream::from_image(s, &inner.clock)),
                )
            })
            .collect();
        let tables = self
            .tables
            .iter()
            .map(|image| {
                let latest = image
                    .latest_stream
                    .as_deref()
                    .and_then(|arn| streams.get(arn))
                    .cloned();
                let table = image.rebuild(inner, latest);
                (image.name.clone(), Arc::new(table))
            })
            .collect();
        let streams = self
            .streams
            .iter()
            .filter(|s| s.listed)
            .filter_map(|s| streams.get(s.arn.as_str()).cloned())
            .collect();
        Rebuilt { tables, streams }
    }
}

impl TableImage {
    /// The table's data now (the store's write gate is closed, so no item
    /// changes meanwhile).
    fn capture(table: &Table, latest_stream: Option<String>) -> TableImage {
        let settings = lock(&table.settings).clone();
        let extras = lock(&table.extras).clone();
        let indexes = table.indexes().iter().map(|i| i.image()).collect();
        let items = {
            let map = read(&table.items);
            map.iter()
                .filter_map(|Keyed(slot)| {
                    let key = slot.key.decode(&table.schema)?;
                    slot.copy(&key).map(|item| (key, item))
                })
                .collect()
        };
        TableImage {
            name: table.name.clone(),
            arn: table.arn.clone(),
            schema: table.schema.clone(),
            created: table.created,
            settings,
            extras,
            indexes,
            items,
            latest_stream,
        }
    }

    /// A live table holding the image's data (module docs: the derived
    /// counters are computed again), pointing at `latest` as its stream.
    #[expect(
        clippy::mutable_key_type,
        reason = "a Keyed slot is ordered by its key's bytes, which never change"
    )]
    fn rebuild(&self, inner: &StoreInner, latest: Option<Arc<Stream>>) -> Table {
        let schema = &self.schema;
        let indexes: Vec<Index> = self
            .indexes
            .iter()
            .map(|i| Index::from_image(i, schema, self.items.iter().map(|(k, v)| (k, v))))
            .collect();
        let mut table = Table::new(
            self.name.clone(),
            self.arn.clone(),
            schema.clone(),
            Billing::default(),
            self.created,
            indexes,
        );
        *table
            .settings
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = self.settings.clone();
        *table
            .extras
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = self.extras.clone();
        table.stream = TableStream::restored(latest);
        table.gate = inner.gate.clone();
        if let Some(limit) = inner.collection_limit {
            table.collections.set_limit(limit);
        }
        let indexes = table.indexes();
        let tracked = table.collections.tracked();
        let slots = self
            .items
            .iter()
            .map(|(key, item)| {
                table.stats.record(None, Some(item));
                if tracked {
                    let size = CollectionSizes::contribution(
                        indexes.iter().map(|i| &**i),
                        schema,
                        Some(item),
                    );
                    table.collections.record(&key.partition, 0, size);
                }
                Keyed(Arc::new(SlotCell::holding(item, schema, key)))
            })
            .collect();
        *table
            .items
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = slots;
        table
    }
}
