//! `ConsumedCapacity` and `ItemCollectionMetrics`: what a data-plane call
//! reports when `ReturnConsumedCapacity` or `ReturnItemCollectionMetrics`
//! asks for it (spec indexes.md §8, §9).
//!
//! Single-table operations (GetItem, PutItem, UpdateItem, DeleteItem, Query,
//! Scan) answer one [`ConsumedCapacity`]; BatchGetItem, BatchWriteItem,
//! TransactGetItems and TransactWriteItems a list, one per table touched.
//! Every member is optional, as in DynamoDB's model, and an absent one is
//! left out of the JSON.
//!
//! ```
//! use dynacond::api::{CreateTableInput, PutItemInput, ReturnConsumedCapacity};
//! use dynacond::store::ScalarType;
//! use dynacond::{AttributeValue, Item, Store};
//!
//! let store = Store::new();
//! store.create_table(CreateTableInput::new("users").with_hash_key("pk", ScalarType::S))?;
//! let item = Item::from_iter([("pk".to_owned(), AttributeValue::s("u1"))]);
//! let put = PutItemInput::new("users", item)
//!     .with_return_consumed_capacity(ReturnConsumedCapacity::Indexes);
//! let consumed = store.put_item(put)?.consumed_capacity.expect("asked for");
//! assert_eq!(consumed.table_name.as_deref(), Some("users"));
//! assert_eq!(consumed.capacity_units, Some(1.0));
//! assert_eq!(consumed.table.and_then(|t| t.capacity_units), Some(1.0));
//! # Ok::<(), dynacond::Error>(())
//! ```

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::value::Item;

/// The capacity one call consumed on one table (`ConsumedCapacity`).
///
/// `TOTAL` fills `TableName` and `CapacityUnits`; `INDEXES` adds `Table` and,
/// for the indexes the call charged (and only those), `LocalSecondaryIndexes`
/// and `GlobalSecondaryIndexes`. Transactions mirror every `CapacityUnits`
/// as `ReadCapacityUnits` (TransactGetItems) or `WriteCapacityUnits`
/// (TransactWriteItems).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConsumedCapacity {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// Units consumed in all: the table's and every index's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_units: Option<f64>,
    /// Read units (TransactGetItems: the same as `CapacityUnits`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_capacity_units: Option<f64>,
    /// Write units (TransactWriteItems: the same as `CapacityUnits`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_capacity_units: Option<f64>,
    /// The table's own share (`INDEXES` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<Capacity>,
    /// Index name → units, for the local secondary indexes charged
    /// (`INDEXES` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_secondary_indexes: Option<IndexMap<String, Capacity>>,
    /// Index name → units, for the global secondary indexes charged
    /// (`INDEXES` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_secondary_indexes: Option<IndexMap<String, Capacity>>,
}

/// The units consumed by a table or one index (`Capacity`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Capacity {
    /// Units consumed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_units: Option<f64>,
    /// Read units (TransactGetItems: the same as `CapacityUnits`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_capacity_units: Option<f64>,
    /// Write units (TransactWriteItems: the same as `CapacityUnits`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_capacity_units: Option<f64>,
}

/// The size of the item collection a write touched
/// (`ItemCollectionMetrics`): reported for `ReturnItemCollectionMetrics:
/// SIZE` on tables with a local secondary index only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ItemCollectionMetrics {
    /// The partition key of the collection: its attribute name and value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_collection_key: Option<Item>,
    /// An estimate of the collection's size in GB, as `[low, high]`
    /// (`[0.0, 1.0]` for a collection under 1 GB).
    #[serde(
        rename = "SizeEstimateRangeGB",
        skip_serializing_if = "Option::is_none"
    )]
    pub size_estimate_range_gb: Option<Vec<f64>>,
}
