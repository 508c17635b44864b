//! Request and response types named and shaped as DynamoDB's API.
//!
//! Every struct derives `Serialize`/`Deserialize` with DynamoDB's member
//! names (`TableName`, `ConditionExpression`, ...), so a request in
//! DynamoDB's JSON decodes directly with [`crate::wire::from_value`] (with
//! DynamoDB's SerializationException / ValidationException layering), and a
//! response serialises to DynamoDB's reply. Members dynacond does not act on
//! (`ConsistentRead`, `ReturnConsumedCapacity`, ...) are accepted and ignored;
//! enum members stay strings and are checked by the store with DynamoDB's
//! messages. Legacy parameters (`Expected`, `AttributeUpdates`,
//! `AttributesToGet`) use the shapes of [`crate::legacy`].
//!
//! ```
//! use dynacond::api::PutItemInput;
//! use dynacond::wire;
//!
//! let input: PutItemInput = wire::from_str(
//!     r#"{"TableName": "t", "Item": {"p": {"S": "k1"}}, "ConditionExpression": "attribute_not_exists(p)"}"#,
//! )?;
//! assert_eq!(input.table_name, "t");
//! # Ok::<(), dynacond::Error>(())
//! ```

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::Error;
use crate::legacy::{
    AttributeUpdatesMap, AttributeValueUpdate, ConditionMap, ExpectedAttributeValue, ExpectedMap,
};
use crate::placeholders::invalid_value;
use crate::value::AttributeValue;

use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::value::Item;

mod batch;
pub use batch::{
    BatchGetItemInput, BatchGetItemOutput, BatchWriteItemInput, BatchWriteItemOutput,
    DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest,
};

/// One element of a table's `KeySchema`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeySchemaElement {
    /// The key attribute's name.
    pub attribute_name: String,
    /// `HASH` (partition key) or `RANGE` (sort key).
    pub key_type: String,
}

/// One element of a table's `AttributeDefinitions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeDefinition {
    /// The attribute's name.
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: String,
}

/// `CreateTable` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateTableInput {
    /// The table's name: 3 to 255 characters of `[a-zA-Z0-9_.-]`.
    pub table_name: String,
    /// A `HASH` element, optionally followed by a `RANGE` element.
    pub key_schema: Vec<KeySchemaElement>,
    /// The types of the key attributes.
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// `PAY_PER_REQUEST` or `PROVISIONED`; reported back, no throttling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
    /// Capacity of a `PROVISIONED` table; reported back, never enforced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughput>,
}

/// A table's provisioned capacity (reported, never enforced).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ProvisionedThroughput {
    /// Read capacity units.
    pub read_capacity_units: i64,
    /// Write capacity units.
    pub write_capacity_units: i64,
}

/// A table's provisioned capacity as `DescribeTable` reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ProvisionedThroughputDescription {
    /// Always 0 (no capacity changes).
    pub number_of_decreases_today: i64,
    /// Read capacity units (0 for `PAY_PER_REQUEST`).
    pub read_capacity_units: i64,
    /// Write capacity units (0 for `PAY_PER_REQUEST`).
    pub write_capacity_units: i64,
}

/// A table's billing mode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BillingModeSummary {
    /// `PAY_PER_REQUEST` or `PROVISIONED`.
    pub billing_mode: String,
}

/// A table's description, as `CreateTable`, `DescribeTable` and `DeleteTable` return it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TableDescription {
    /// The table's name.
    pub table_name: String,
    /// The key schema.
    pub key_schema: Vec<KeySchemaElement>,
    /// The key attributes' types.
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// `ACTIVE` (dynacond creates and deletes tables at once; `DeleteTable` reports `DELETING`).
    pub table_status: String,
    /// The number of items at the time of the call.
    pub item_count: u64,
    /// The items' total size in bytes (DynamoDB's item-size rules).
    pub table_size_bytes: u64,
    /// `arn:aws:dynamodb:local:000000000000:table/<name>`.
    pub table_arn: String,
    /// When the table was created, in seconds since the Unix epoch.
    pub creation_date_time: f64,
    /// The billing mode, when the table was created with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_mode_summary: Option<BillingModeSummary>,
    /// The capacity given at creation (zeros for `PAY_PER_REQUEST`).
    pub provisioned_throughput: ProvisionedThroughputDescription,
    /// Always false.
    pub deletion_protection_enabled: bool,
}

/// `CreateTable` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateTableOutput {
    /// The new table.
    pub table_description: TableDescription,
}

/// `DeleteTable` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteTableInput {
    /// The table to delete.
    pub table_name: String,
}

/// `DeleteTable` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteTableOutput {
    /// The deleted table.
    pub table_description: TableDescription,
}

/// `DescribeTable` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeTableInput {
    /// The table to describe.
    pub table_name: String,
}

/// `DescribeTable` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeTableOutput {
    /// The table.
    pub table: TableDescription,
}

/// `ListTables` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListTablesInput {
    /// List the names after this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_table_name: Option<String>,
    /// At most this many names (1 to 100; default 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// `ListTables` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListTablesOutput {
    /// Table names in ascending order.
    pub table_names: Vec<String>,
    /// Present when more names follow: pass it as `ExclusiveStartTableName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_evaluated_table_name: Option<String>,
}

/// `GetItem` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetItemInput {
    /// The table.
    pub table_name: String,
    /// The item's key attributes.
    pub key: Item,
    /// Which attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders of the projection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// Accepted; every read is consistent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<String>,
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
}

/// `PutItem` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PutItemInput {
    /// The table.
    pub table_name: String,
    /// The whole item, key attributes included.
    pub item: Item,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<String>,
    /// `NONE` (default) or `ALL_OLD`: the old item in a ConditionalCheckFailedException.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<String>,
    /// Legacy condition: attribute name to expected value or comparison
    /// ([`crate::legacy::expected`]); not with `ConditionExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<ExpectedMap>,
    /// `AND` (default) or `OR`: how the `Expected` entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<String>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<String>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<String>,
}

/// `PutItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PutItemOutput {
    /// The old item, for `ReturnValues: ALL_OLD` when one existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Item>,
}

/// `UpdateItem` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateItemInput {
    /// The table.
    pub table_name: String,
    /// The item's key attributes.
    pub key: Item,
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
    #[serde(deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE`, `ALL_OLD`, `UPDATED_OLD`, `ALL_NEW` or `UPDATED_NEW`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<String>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<String>,
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
    pub conditional_operator: Option<String>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<String>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<String>,
}

/// `UpdateItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateItemOutput {
    /// What `ReturnValues` asked for; absent when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Item>,
}

/// `DeleteItem` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteItemInput {
    /// The table.
    pub table_name: String,
    /// The item's key attributes.
    pub key: Item,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<String>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<String>,
    /// Legacy condition: attribute name to expected value or comparison
    /// ([`crate::legacy::expected`]); not with `ConditionExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<ExpectedMap>,
    /// `AND` (default) or `OR`: how the `Expected` entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<String>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<String>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<String>,
}

/// `DeleteItem` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteItemOutput {
    /// The old item, for `ReturnValues: ALL_OLD` when one existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Item>,
}

/// Decodes an `ExpressionAttributeValues` member, reporting a bad value as
/// DynamoDB does (`ExpressionAttributeValues contains invalid value: <problem>
/// for key <key>`); shape errors stay SerializationExceptions.
fn values<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ExpressionAttributeValues>, D::Error> {
    use serde::de::Error as _;
    let Some(raw) = Option::<IndexMap<String, serde_json::Value>>::deserialize(deserializer)?
    else {
        return Ok(None);
    };
    let decoded: Vec<(String, Result<AttributeValue, Error>)> = raw
        .into_iter()
        .map(|(k, v)| (k, crate::wire::from_value(v)))
        .collect();
    if let Some((_, Err(e))) = decoded
        .iter()
        .find(|(_, r)| matches!(r, Err(Error::Serialization(_))))
    {
        // Already in DynamoDB's words (`wire::from_value`); `wire` passes
        // messages of its own through unchanged.
        return Err(D::Error::custom(e.message()));
    }
    let mut values = ExpressionAttributeValues::with_capacity(decoded.len());
    for (key, result) in decoded {
        match result {
            Ok(value) => {
                values.insert(key, value);
            }
            Err(e) => crate::wire::report_validation(invalid_value(&key, &e))?,
        }
    }
    Ok(Some(values))
}

/// `TransactWriteItems` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactWriteItemsInput {
    /// 1 to 100 actions, at most one per item.
    pub transact_items: Vec<TransactWriteItem>,
    /// Idempotency token: 1 to 36 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<String>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<String>,
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
    pub table_name: String,
    /// The item's key attributes.
    pub key: Item,
    /// The condition (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<String>,
}

/// A `Put` action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Put {
    /// The table.
    pub table_name: String,
    /// The whole item.
    pub item: Item,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<String>,
}

/// A `Delete` action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Delete {
    /// The table.
    pub table_name: String,
    /// The item's key attributes.
    pub key: Item,
    /// A condition the current item must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<String>,
}

/// An `Update` action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Update {
    /// The table.
    pub table_name: String,
    /// The item's key attributes.
    pub key: Item,
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
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `NONE` (default) or `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<String>,
}

/// `TransactWriteItems` response (capacity and metrics are not reported).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactWriteItemsOutput {}

/// `TransactGetItems` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransactGetItemsInput {
    /// 1 to 100 reads.
    pub transact_items: Vec<TransactGetItem>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<String>,
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
    pub table_name: String,
    /// The item's key attributes.
    pub key: Item,
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
}

/// One read's result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ItemResponse {
    /// The item; absent when no item has the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
}

/// `with_*` setters shared by every request that takes a condition.
macro_rules! condition_setters {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `ConditionExpression`.
            pub fn with_condition(mut self, expression: impl Into<String>) -> Self {
                self.condition_expression = Some(expression.into());
                self
            }

            /// Adds an `ExpressionAttributeNames` entry (`#name` to attribute name).
            pub fn with_name(mut self, placeholder: impl Into<String>, name: impl Into<String>) -> Self {
                self.expression_attribute_names
                    .get_or_insert_with(Default::default)
                    .insert(placeholder.into(), name.into());
                self
            }

            /// Adds an `ExpressionAttributeValues` entry (`:value` to value).
            pub fn with_value(mut self, placeholder: impl Into<String>, value: impl Into<AttributeValue>) -> Self {
                self.expression_attribute_values
                    .get_or_insert_with(Default::default)
                    .insert(placeholder.into(), value.into());
                self
            }

            /// Sets `ReturnValuesOnConditionCheckFailure` (`ALL_OLD` or `NONE`).
            pub fn with_return_values_on_condition_check_failure(mut self, value: impl Into<String>) -> Self {
                self.return_values_on_condition_check_failure = Some(value.into());
                self
            }
        }
    )*};
}

condition_setters!(
    PutItemInput,
    UpdateItemInput,
    DeleteItemInput,
    ConditionCheck,
    Put,
    Update,
    Delete
);

/// `with_*` setter for `ReturnValues`.
macro_rules! return_values_setter {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `ReturnValues`.
            pub fn with_return_values(mut self, value: impl Into<String>) -> Self {
                self.return_values = Some(value.into());
                self
            }
        }
    )*};
}

return_values_setter!(PutItemInput, UpdateItemInput, DeleteItemInput);

/// `with_*` setters for the legacy condition parameters.
macro_rules! expected_setters {
    ($($t:ty),*) => {$(
        impl $t {
            /// Adds an `Expected` entry (legacy condition on one attribute).
            pub fn with_expected(mut self, name: impl Into<String>, expected: ExpectedAttributeValue) -> Self {
                self.expected
                    .get_or_insert_with(Default::default)
                    .insert(name.into(), expected);
                self
            }

            /// Sets `ConditionalOperator` (`AND` or `OR`).
            pub fn with_conditional_operator(mut self, operator: impl Into<String>) -> Self {
                self.conditional_operator = Some(operator.into());
                self
            }
        }
    )*};
}

expected_setters!(PutItemInput, UpdateItemInput, DeleteItemInput);

impl GetItemInput {
    /// A GetItem of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        GetItemInput {
            table_name: table_name.into(),
            key,
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

    /// Adds an `ExpressionAttributeNames` entry.
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
            table_name: table_name.into(),
            item,
            ..Default::default()
        }
    }
}

impl UpdateItemInput {
    /// An UpdateItem of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        UpdateItemInput {
            table_name: table_name.into(),
            key,
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
            table_name: table_name.into(),
            key,
            ..Default::default()
        }
    }
}

impl Put {
    /// A `Put` action of this item.
    pub fn new(table_name: impl Into<String>, item: Item) -> Self {
        Put {
            table_name: table_name.into(),
            item,
            ..Default::default()
        }
    }
}

impl Update {
    /// An `Update` action with this key and UpdateExpression.
    pub fn new(table_name: impl Into<String>, key: Item, update: impl Into<String>) -> Self {
        Update {
            table_name: table_name.into(),
            key,
            update_expression: Some(update.into()),
            ..Default::default()
        }
    }
}

impl Delete {
    /// A `Delete` action of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        Delete {
            table_name: table_name.into(),
            key,
            ..Default::default()
        }
    }
}

impl ConditionCheck {
    /// A `ConditionCheck` action with this key and condition.
    pub fn new(table_name: impl Into<String>, key: Item, condition: impl Into<String>) -> Self {
        ConditionCheck {
            table_name: table_name.into(),
            key,
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
            transact_items: actions.into_iter().map(Into::into).collect(),
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
            transact_items: gets
                .into_iter()
                .map(|get| TransactGetItem { get: Some(get) })
                .collect(),
            ..Default::default()
        }
    }
}

impl Get {
    /// A `Get` of the item with this key.
    pub fn new(table_name: impl Into<String>, key: Item) -> Self {
        Get {
            table_name: table_name.into(),
            key,
            ..Default::default()
        }
    }
}

/// `Query` request: the items of one partition, optionally narrowed by a
/// sort-key condition, read in sort-key order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct QueryInput {
    /// The table.
    pub table_name: String,
    /// A secondary index (dynacond's tables have none, so any name is
    /// DynamoDB's missing-index error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// `partition = :v`, optionally `AND` one sort-key condition (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_condition_expression: Option<String>,
    /// A condition on non-key attributes, applied after the page is read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    /// Which attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders of all three expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders of all three expressions.
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `ALL_ATTRIBUTES`, `ALL_PROJECTED_ATTRIBUTES` (indexes only),
    /// `SPECIFIC_ATTRIBUTES` or `COUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// `false` reads in descending sort-key order (default `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_index_forward: Option<bool>,
    /// The most items to read (before the filter), at least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Continue after this key (a previous page's `LastEvaluatedKey`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<Item>,
    /// Accepted; every read is consistent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<String>,
    /// Legacy key condition (`KeyConditions`), instead of `KeyConditionExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_conditions: Option<ConditionMap>,
    /// Legacy filter (`QueryFilter`), instead of `FilterExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_filter: Option<ConditionMap>,
    /// `AND` (default) or `OR`: how `QueryFilter`'s entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<String>,
    /// Legacy projection: top-level attribute names to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
}

/// `Query` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct QueryOutput {
    /// The matching items (projected), in order; absent for `Select: COUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// How many items matched the filter.
    pub count: u64,
    /// How many items were read (before the filter).
    pub scanned_count: u64,
    /// Present when the page stopped early (`Limit` or 1 MB): the key of the
    /// last item read, to pass as `ExclusiveStartKey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_evaluated_key: Option<Item>,
}

/// `Scan` request: every item of the table (or of one segment of it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScanInput {
    /// The table.
    pub table_name: String,
    /// A secondary index (dynacond's tables have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// A condition applied after the page is read (key attributes allowed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    /// Which attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders of both expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders of the filter.
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "values")]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `ALL_ATTRIBUTES`, `ALL_PROJECTED_ATTRIBUTES` (indexes only),
    /// `SPECIFIC_ATTRIBUTES` or `COUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// The most items to read (before the filter), at least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Continue after this key (a previous page's `LastEvaluatedKey`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<Item>,
    /// This scan's segment, `0..TotalSegments` (parallel scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<i64>,
    /// The number of segments, 1 to 1000000 (parallel scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_segments: Option<i64>,
    /// Accepted; every read is consistent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// Accepted and ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<String>,
    /// Legacy filter (`ScanFilter`), instead of `FilterExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_filter: Option<ConditionMap>,
    /// `AND` (default) or `OR`: how `ScanFilter`'s entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<String>,
    /// Legacy projection: top-level attribute names to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
}

/// `Scan` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScanOutput {
    /// The matching items (projected); absent for `Select: COUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// How many items matched the filter.
    pub count: u64,
    /// How many items were read (before the filter).
    pub scanned_count: u64,
    /// Present when the page stopped early (`Limit` or 1 MB): the key of the
    /// last item read, to pass as `ExclusiveStartKey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_evaluated_key: Option<Item>,
}

/// `with_*` setters shared by Query and Scan.
macro_rules! read_setters {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `FilterExpression`.
            pub fn with_filter(mut self, expression: impl Into<String>) -> Self {
                self.filter_expression = Some(expression.into());
                self
            }

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

            /// Adds an `ExpressionAttributeValues` entry (`:value` to value).
            pub fn with_value(mut self, placeholder: impl Into<String>, value: impl Into<AttributeValue>) -> Self {
                self.expression_attribute_values
                    .get_or_insert_with(Default::default)
                    .insert(placeholder.into(), value.into());
                self
            }

            /// Sets `Select` (`ALL_ATTRIBUTES`, `SPECIFIC_ATTRIBUTES`, `COUNT`, ...).
            pub fn with_select(mut self, select: impl Into<String>) -> Self {
                self.select = Some(select.into());
                self
            }

            /// Sets `Limit`.
            pub fn with_limit(mut self, limit: i64) -> Self {
                self.limit = Some(limit);
                self
            }

            /// Sets `ExclusiveStartKey` (a previous page's `LastEvaluatedKey`).
            pub fn with_exclusive_start_key(mut self, key: Option<Item>) -> Self {
                self.exclusive_start_key = key;
                self
            }

            /// Sets `IndexName`.
            pub fn with_index_name(mut self, index: impl Into<String>) -> Self {
                self.index_name = Some(index.into());
                self
            }
        }
    )*};
}

read_setters!(QueryInput, ScanInput);

impl QueryInput {
    /// A Query with this KeyConditionExpression.
    pub fn new(table_name: impl Into<String>, key_condition: impl Into<String>) -> Self {
        QueryInput {
            table_name: table_name.into(),
            key_condition_expression: Some(key_condition.into()),
            ..Default::default()
        }
    }

    /// Sets `ScanIndexForward` (`false`: descending sort-key order).
    pub fn with_scan_index_forward(mut self, forward: bool) -> Self {
        self.scan_index_forward = Some(forward);
        self
    }
}

impl ScanInput {
    /// A Scan of the whole table.
    pub fn new(table_name: impl Into<String>) -> Self {
        ScanInput {
            table_name: table_name.into(),
            ..Default::default()
        }
    }

    /// Sets `Segment` and `TotalSegments` (parallel scan).
    pub fn with_segment(mut self, segment: i64, total_segments: i64) -> Self {
        self.segment = Some(segment);
        self.total_segments = Some(total_segments);
        self
    }
}
