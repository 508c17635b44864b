//! `BatchGetItem` and `BatchWriteItem` requests and responses.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::{
    ConsumedCapacity, ItemCollectionMetrics, ReturnConsumedCapacity, ReturnItemCollectionMetrics,
};
use crate::placeholders::ExpressionAttributeNames;
use crate::value::Item;

/// `BatchGetItem` request: up to 100 keys over one or more tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchGetItemInput {
    /// Table name → the keys to read there and how to project them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_items: Option<IndexMap<String, KeysAndAttributes>>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// The keys to read from one table, with their projection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct KeysAndAttributes {
    /// 1 to 100 primary keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<Item>>,
    /// Which attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders of the projection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// Every read is consistent; `false` (the default) halves the capacity
    /// reported for this table, as for DynamoDB's eventually consistent reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// Legacy projection: top-level attribute names to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
}

/// `BatchGetItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchGetItemOutput {
    /// Table name → the items found (absent keys are left out; order is
    /// not specified by DynamoDB, dynacond keeps the request's order).
    pub responses: IndexMap<String, Vec<Item>>,
    /// Keys not read because the response reached 16 MB: send them again.
    pub unprocessed_keys: IndexMap<String, KeysAndAttributes>,
    /// The capacity consumed, one entry per table touched, for
    /// `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

/// `BatchWriteItem` request: up to 25 puts and deletes over one or more tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchWriteItemInput {
    /// Table name → the writes to make there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_items: Option<IndexMap<String, Vec<WriteRequest>>>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// `NONE` (default) or `SIZE`: the response's `ItemCollectionMetrics`
    /// (tables with a local secondary index only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<ReturnItemCollectionMetrics>,
}

/// One write of a `BatchWriteItem` request: exactly one of the two members.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct WriteRequest {
    /// Store this item (no condition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub put_request: Option<PutRequest>,
    /// Delete the item with this key (no condition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_request: Option<DeleteRequest>,
}

/// The put of a [`WriteRequest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PutRequest {
    /// The whole item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
}

/// The delete of a [`WriteRequest`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteRequest {
    /// The item's key attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Item>,
}

/// `BatchWriteItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchWriteItemOutput {
    /// Writes not made (dynacond makes every write of a valid request, so
    /// this is always empty; DynamoDB fills it under throttling).
    pub unprocessed_items: IndexMap<String, Vec<WriteRequest>>,
    /// The capacity consumed, one entry per table touched, for
    /// `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
    /// Table name → the sizes of the item collections written, for
    /// `ReturnItemCollectionMetrics: SIZE` on tables with a local secondary
    /// index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_collection_metrics: Option<IndexMap<String, Vec<ItemCollectionMetrics>>>,
}

impl BatchGetItemInput {
    /// A request with no tables yet; add them with [`BatchGetItemInput::with_keys`].
    pub fn new() -> Self {
        BatchGetItemInput::default()
    }

    /// Adds keys to read from a table.
    pub fn with_keys(
        mut self,
        table_name: impl Into<String>,
        keys: impl IntoIterator<Item = Item>,
    ) -> Self {
        self.request_items
            .get_or_insert_with(Default::default)
            .entry(table_name.into())
            .or_default()
            .keys
            .get_or_insert_with(Default::default)
            .extend(keys);
        self
    }
}

impl BatchWriteItemInput {
    /// A request with no writes yet.
    pub fn new() -> Self {
        BatchWriteItemInput::default()
    }

    /// Adds a put of `item` to `table_name`.
    pub fn with_put(mut self, table_name: impl Into<String>, item: Item) -> Self {
        self.request_items
            .get_or_insert_with(Default::default)
            .entry(table_name.into())
            .or_default()
            .push(WriteRequest {
                put_request: Some(PutRequest { item: Some(item) }),
                delete_request: None,
            });
        self
    }

    /// Adds a delete of the item with `key` from `table_name`.
    pub fn with_delete(mut self, table_name: impl Into<String>, key: Item) -> Self {
        self.request_items
            .get_or_insert_with(Default::default)
            .entry(table_name.into())
            .or_default()
            .push(WriteRequest {
                put_request: None,
                delete_request: Some(DeleteRequest { key: Some(key) }),
            });
        self
    }
}

capacity_setter!(BatchGetItemInput, BatchWriteItemInput);
metrics_setter!(BatchWriteItemInput);
