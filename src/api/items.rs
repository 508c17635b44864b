//! `GetItem`, `PutItem`, `UpdateItem` and `DeleteItem` requests and
//! responses, with their builders.

use serde::{Deserialize, Serialize};

use super::{
    AttributeUpdatesMap, AttributeValueUpdate, ConditionalOperator, ConsumedCapacity,
    ExpectedAttributeValue, ExpectedMap, ItemCollectionMetrics, ReturnConsumedCapacity,
    ReturnItemCollectionMetrics, ReturnValue, ReturnValuesOnConditionCheckFailure,
};
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::value::{AttributeValue, Item};

/// `GetItem` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetItemInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The item's key attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Item>,
    /// Which attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders of the projection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// Every read is consistent; `false` (the default) halves the capacity
    /// reported, as for DynamoDB's eventually consistent reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// Legacy projection: the top-level attributes to return
    /// ([`crate::legacy::attributes_to_get`]); not with `ProjectionExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
}

/// `GetItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetItemOutput {
    /// The item (projected); absent when no item has the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
    /// The capacity consumed, for `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<ConsumedCapacity>,
}

/// `PutItem` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PutItemInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The whole item, key attributes included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "super::values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValue>,
    /// `NONE` (default) or `ALL_OLD`: the old item in a ConditionalCheckFailedException.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
    /// Legacy condition: attribute name to expected value or comparison
    /// ([`crate::legacy::expected`]); not with `ConditionExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<ExpectedMap>,
    /// `AND` (default) or `OR`: how the `Expected` entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<ConditionalOperator>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// `NONE` (default) or `SIZE`: the response's `ItemCollectionMetrics`
    /// (tables with a local secondary index only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<ReturnItemCollectionMetrics>,
}

/// `PutItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PutItemOutput {
    /// The old item, for `ReturnValues: ALL_OLD` when one existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Item>,
    /// The capacity consumed, for `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<ConsumedCapacity>,
    /// The item collection's size, for `ReturnItemCollectionMetrics: SIZE`
    /// on a table with a local secondary index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_collection_metrics: Option<ItemCollectionMetrics>,
}

/// `UpdateItem` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateItemInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The item's key attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Item>,
    /// The changes; without one, UpdateItem only creates a missing item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_expression: Option<String>,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders of both expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders of both expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "super::values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE`, `ALL_OLD`, `UPDATED_OLD`, `ALL_NEW` or `UPDATED_NEW`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValue>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
    /// Legacy updates: attribute name to action and value
    /// ([`crate::legacy::attribute_updates`]); not with `UpdateExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_updates: Option<AttributeUpdatesMap>,
    /// Legacy condition: attribute name to expected value or comparison
    /// ([`crate::legacy::expected`]); not with `ConditionExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<ExpectedMap>,
    /// `AND` (default) or `OR`: how the `Expected` entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<ConditionalOperator>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// `NONE` (default) or `SIZE`: the response's `ItemCollectionMetrics`
    /// (tables with a local secondary index only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<ReturnItemCollectionMetrics>,
}

/// `UpdateItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateItemOutput {
    /// What `ReturnValues` asked for; absent when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Item>,
    /// The capacity consumed, for `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<ConsumedCapacity>,
    /// The item collection's size, for `ReturnItemCollectionMetrics: SIZE`
    /// on a table with a local secondary index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_collection_metrics: Option<ItemCollectionMetrics>,
}

/// `DeleteItem` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteItemInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The item's key attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Item>,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "super::values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValue>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
    /// Legacy condition: attribute name to expected value or comparison
    /// ([`crate::legacy::expected`]); not with `ConditionExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<ExpectedMap>,
    /// `AND` (default) or `OR`: how the `Expected` entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<ConditionalOperator>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// `NONE` (default) or `SIZE`: the response's `ItemCollectionMetrics`
    /// (tables with a local secondary index only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<ReturnItemCollectionMetrics>,
}

/// `DeleteItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteItemOutput {
    /// The old item, for `ReturnValues: ALL_OLD` when one existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Item>,
    /// The capacity consumed, for `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<ConsumedCapacity>,
    /// The item collection's size, for `ReturnItemCollectionMetrics: SIZE`
    /// on a table with a local secondary index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_collection_metrics: Option<ItemCollectionMetrics>,
}

impl GetItemInput {
    /// A GetItem of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        GetItemInput {
            table_name: Some(table_name.into()),
            key: Some(key),
            ..Default::default()
        }
    }

    /// Sets `ProjectionExpression`.
    pub fn with_projection(mut self, expression: impl Into<String>) -> Self {
        self.projection_expression = Some(expression.into());
        self
    }

    /// Sets `AttributesToGet` (legacy projection).
    pub fn with_attributes_to_get(
        mut self,
        names: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.attributes_to_get = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Sets `ConsistentRead` (every read is consistent; `false` halves the
    /// capacity reported).
    pub fn with_consistent_read(mut self, consistent: bool) -> Self {
        self.consistent_read = Some(consistent);
        self
    }

    /// Adds an `ExpressionAttributeNames` entry (`#name` to attribute name).
    pub fn with_name(mut self, placeholder: impl Into<String>, name: impl Into<String>) -> Self {
        self.expression_attribute_names
            .get_or_insert_with(Default::default)
            .insert(placeholder.into(), name.into());
        self
    }
}

impl PutItemInput {
    /// A PutItem of this item.
    pub fn new(table_name: impl Into<String>, item: Item) -> Self {
        PutItemInput {
            table_name: Some(table_name.into()),
            item: Some(item),
            ..Default::default()
        }
    }
}

impl UpdateItemInput {
    /// An UpdateItem of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        UpdateItemInput {
            table_name: Some(table_name.into()),
            key: Some(key),
            ..Default::default()
        }
    }

    /// Sets `UpdateExpression`.
    pub fn with_update(mut self, expression: impl Into<String>) -> Self {
        self.update_expression = Some(expression.into());
        self
    }

    /// Adds an `AttributeUpdates` entry (legacy update of one attribute).
    pub fn with_attribute_update(
        mut self,
        name: impl Into<String>,
        update: AttributeValueUpdate,
    ) -> Self {
        self.attribute_updates
            .get_or_insert_with(Default::default)
            .insert(name.into(), update);
        self
    }
}

impl DeleteItemInput {
    /// A DeleteItem of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        DeleteItemInput {
            table_name: Some(table_name.into()),
            key: Some(key),
            ..Default::default()
        }
    }
}

condition_setters!(PutItemInput, UpdateItemInput, DeleteItemInput);
return_values_setter!(PutItemInput, UpdateItemInput, DeleteItemInput);
expected_setters!(PutItemInput, UpdateItemInput, DeleteItemInput);
capacity_setter!(GetItemInput, PutItemInput, UpdateItemInput, DeleteItemInput);
metrics_setter!(PutItemInput, UpdateItemInput, DeleteItemInput);
