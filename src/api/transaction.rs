//! `TransactWriteItems` and `TransactGetItems` requests and responses, with
//! builders for their actions.
//!
//! ```
//! use dynacond::api::{
//!     ConditionCheck, CreateTableInput, GetItemInput, Put, ReturnValuesOnConditionCheckFailure,
//!     TransactWriteItem, TransactWriteItemsInput, Update,
//! };
//! use dynacond::store::ScalarType;
//! use dynacond::{AttributeValue, Error, Item, Store};
//!
//! let store = Store::new();
//! store.create_table(CreateTableInput::new("accounts").with_hash_key("id", ScalarType::S))?;
//! let key = |id: &str| Item::from_iter([("id".to_owned(), AttributeValue::s(id))]);
//! let mut alice = key("alice");
//! alice.insert("balance".into(), AttributeValue::n(10));
//! store.put_item(dynacond::api::PutItemInput::new("accounts", alice))?;
//!
//! // Move 25 from alice to bob, only if alice has that much: all or nothing.
//! let debit = Update::new("accounts", key("alice"), "SET balance = balance - :n")
//!     .with_condition("balance >= :n")
//!     .with_value(":n", AttributeValue::n(25))
//!     .with_return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
//! let transfer = TransactWriteItemsInput::new([
//!     TransactWriteItem::from(debit),
//!     Put::new("accounts", key("bob")).into(),
//!     ConditionCheck::new("accounts", key("carol"), "attribute_not_exists(id)").into(),
//! ]);
//! let Err(Error::TransactionCanceled { reasons, .. }) = store.transact_write_items(transfer) else {
//!     panic!("alice has only 10");
//! };
//! assert_eq!(reasons[0].code, "ConditionalCheckFailed");
//! assert!(reasons[0].item.is_some());
//! assert!(store.get_item(GetItemInput::new("accounts", key("bob")))?.item.is_none());
//! # Ok::<(), dynacond::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use indexmap::IndexMap;

use super::{
    ConsumedCapacity, ItemCollectionMetrics, ReturnConsumedCapacity, ReturnItemCollectionMetrics,
    ReturnValuesOnConditionCheckFailure,
};
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::value::{AttributeValue, Item};

/// `TransactWriteItems` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactWriteItemsInput {
    /// 1 to 100 actions, at most one per item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transact_items: Option<Vec<TransactWriteItem>>,
    /// Idempotency token: 1 to 36 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// `NONE` (default) or `SIZE`: the response's `ItemCollectionMetrics`
    /// (tables with a local secondary index only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<ReturnItemCollectionMetrics>,
}

/// One action of a `TransactWriteItems` request: exactly one member is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactWriteItem {
    /// Tests a condition on an item without writing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_check: Option<ConditionCheck>,
    /// Stores a whole item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub put: Option<Put>,
    /// Removes an item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete: Option<Delete>,
    /// Updates (or creates) an item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update: Option<Update>,
}

/// A `ConditionCheck` action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConditionCheck {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The item's key attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Item>,
    /// The condition (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::values"
    )]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// A `Put` action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Put {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The whole item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::values"
    )]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// A `Delete` action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Delete {
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
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::values"
    )]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// An `Update` action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Update {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The item's key attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Item>,
    /// The changes (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_expression: Option<String>,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::values"
    )]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// `TransactWriteItems` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactWriteItemsOutput {
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

/// `TransactGetItems` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactGetItemsInput {
    /// 1 to 100 reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transact_items: Option<Vec<TransactGetItem>>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// One read of a `TransactGetItems` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactGetItem {
    /// The read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub get: Option<Get>,
}

/// A `Get` of `TransactGetItems`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Get {
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
}

/// `TransactGetItems` response: one entry per read, in request order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactGetItemsOutput {
    /// The items read.
    pub responses: Vec<ItemResponse>,
    /// The capacity consumed, one entry per table touched, for
    /// `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

/// One read's result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ItemResponse {
    /// The item; absent when no item has the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
}

impl Put {
    /// A `Put` action of this item.
    pub fn new(table_name: impl Into<String>, item: Item) -> Self {
        Put {
            table_name: Some(table_name.into()),
            item: Some(item),
            ..Default::default()
        }
    }
}

impl Update {
    /// An `Update` action with this key and UpdateExpression.
    pub fn new(table_name: impl Into<String>, key: Item, update: impl Into<String>) -> Self {
        Update {
            table_name: Some(table_name.into()),
            key: Some(key),
            update_expression: Some(update.into()),
            ..Default::default()
        }
    }
}

impl Delete {
    /// A `Delete` action of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        Delete {
            table_name: Some(table_name.into()),
            key: Some(key),
            ..Default::default()
        }
    }
}

impl ConditionCheck {
    /// A `ConditionCheck` action with this key and condition.
    pub fn new(table_name: impl Into<String>, key: Item, condition: impl Into<String>) -> Self {
        ConditionCheck {
            table_name: Some(table_name.into()),
            key: Some(key),
            condition_expression: Some(condition.into()),
            ..Default::default()
        }
    }
}

impl From<Put> for TransactWriteItem {
    fn from(put: Put) -> Self {
        TransactWriteItem {
            put: Some(put),
            ..Default::default()
        }
    }
}

impl From<Update> for TransactWriteItem {
    fn from(update: Update) -> Self {
        TransactWriteItem {
            update: Some(update),
            ..Default::default()
        }
    }
}

impl From<Delete> for TransactWriteItem {
    fn from(delete: Delete) -> Self {
        TransactWriteItem {
            delete: Some(delete),
            ..Default::default()
        }
    }
}

impl From<ConditionCheck> for TransactWriteItem {
    fn from(check: ConditionCheck) -> Self {
        TransactWriteItem {
            condition_check: Some(check),
            ..Default::default()
        }
    }
}

impl TransactWriteItemsInput {
    /// A transaction of these actions.
    pub fn new(actions: impl IntoIterator<Item = impl Into<TransactWriteItem>>) -> Self {
        TransactWriteItemsInput {
            transact_items: Some(actions.into_iter().map(Into::into).collect()),
            ..Default::default()
        }
    }

    /// Sets `ClientRequestToken`.
    pub fn with_client_request_token(mut self, token: impl Into<String>) -> Self {
        self.client_request_token = Some(token.into());
        self
    }
}

impl TransactGetItemsInput {
    /// A snapshot read of these items.
    pub fn new(gets: impl IntoIterator<Item = Get>) -> Self {
        TransactGetItemsInput {
            transact_items: Some(
                gets.into_iter()
                    .map(|get| TransactGetItem { get: Some(get) })
                    .collect(),
            ),
            ..Default::default()
        }
    }
}

impl Get {
    /// A `Get` of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        Get {
            table_name: Some(table_name.into()),
            key: Some(key),
            ..Default::default()
        }
    }
}

impl Get {
    /// Sets `ProjectionExpression`.
    pub fn with_projection(mut self, expression: impl Into<String>) -> Self {
        self.projection_expression = Some(expression.into());
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

impl From<Get> for TransactGetItem {
    fn from(get: Get) -> Self {
        TransactGetItem { get: Some(get) }
    }
}

condition_setters!(ConditionCheck, Put, Update, Delete);
capacity_setter!(TransactWriteItemsInput, TransactGetItemsInput);
metrics_setter!(TransactWriteItemsInput);
