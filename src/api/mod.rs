//! Request and response types named and shaped as DynamoDB's API, with
//! builders so that Rust code never writes JSON.
//!
//! Every struct derives `Serialize`/`Deserialize` with DynamoDB's member
//! names (`TableName`, `ConditionExpression`, ...), so a request in
//! DynamoDB's JSON decodes directly with [`crate::wire::from_value`] (with
//! DynamoDB's SerializationException / ValidationException layering), and a
//! response serialises to DynamoDB's reply. `ReturnConsumedCapacity` and
//! `ReturnItemCollectionMetrics` are answered with [`ConsumedCapacity`] and
//! [`ItemCollectionMetrics`]; `ConsistentRead` only changes the capacity a
//! read reports (every read is consistent).
//! DynamoDB's enum members are Rust enums ([`ReturnValue`], [`Select`],
//! [`KeyType`], ...) that keep an unknown value verbatim, which the store
//! refuses with DynamoDB's messages. Legacy parameters (`Expected`,
//! `AttributeUpdates`, `KeyConditions`, ...) use the shapes of
//! [`ExpectedAttributeValue`], [`AttributeValueUpdate`] and [`Condition`].
//!
//! The modules hold one family of operations each; everything is
//! re-exported here:
//!
//! * table operations (CreateTable, DescribeTable, DeleteTable, ListTables):
//!   this module; UpdateTable: `update_table`;
//! * GetItem, PutItem, UpdateItem, DeleteItem: `items`;
//! * TransactWriteItems, TransactGetItems: `transaction`;
//! * Query, Scan: `query`;
//! * BatchGetItem, BatchWriteItem: `batch`;
//! * UpdateTimeToLive, DescribeTimeToLive: `ttl`;
//! * ExecuteStatement, BatchExecuteStatement, ExecuteTransaction (PartiQL):
//!   `partiql`;
//! * `ConsumedCapacity` and `ItemCollectionMetrics` of the responses: `capacity`;
//! * the legacy parameters' shapes: `legacy`;
//! * the enum members: `enums`.
//!
//! ```
//! use dynacond::api::{BillingMode, CreateTableInput, PutItemInput, ReturnValue};
//! use dynacond::store::ScalarType;
//! use dynacond::{wire, AttributeValue, Item, Store};
//!
//! let store = Store::new();
//! store.create_table(
//!     CreateTableInput::new("users")
//!         .with_hash_key("pk", ScalarType::S)
//!         .with_billing_mode(BillingMode::PayPerRequest),
//! )?;
//! let mut item = Item::new();
//! item.insert("pk".into(), AttributeValue::s("u1"));
//! let put = PutItemInput::new("users", item)
//!     .with_condition("attribute_not_exists(pk)")
//!     .with_return_values(ReturnValue::AllOld);
//! assert_eq!(store.put_item(put)?.attributes, None);
//!
//! // The same request in DynamoDB's JSON.
//! let input: PutItemInput = wire::from_str(
//!     r#"{"TableName": "users", "Item": {"pk": {"S": "u2"}}, "ReturnValues": "ALL_OLD"}"#,
//! )?;
//! assert_eq!(input.return_values, Some(ReturnValue::AllOld));
//! # Ok::<(), dynacond::Error>(())
//! ```

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::Error;
use crate::placeholders::{ExpressionAttributeValues, invalid_value};
use crate::value::AttributeValue;
use crate::value::ScalarType;

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
            pub fn with_return_values_on_condition_check_failure(
                mut self,
                value: impl Into<ReturnValuesOnConditionCheckFailure>,
            ) -> Self {
                self.return_values_on_condition_check_failure = Some(value.into());
                self
            }
        }
    )*};
}

/// `with_*` setter for `ReturnValues`.
macro_rules! return_values_setter {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `ReturnValues`.
            pub fn with_return_values(mut self, value: impl Into<ReturnValue>) -> Self {
                self.return_values = Some(value.into());
                self
            }
        }
    )*};
}

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
            pub fn with_conditional_operator(mut self, operator: impl Into<ConditionalOperator>) -> Self {
                self.conditional_operator = Some(operator.into());
                self
            }
        }
    )*};
}

/// `with_return_consumed_capacity` for every request that accepts it.
macro_rules! capacity_setter {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `ReturnConsumedCapacity`: `TOTAL` or `INDEXES` add a
            /// `ConsumedCapacity` member to the response.
            pub fn with_return_consumed_capacity(mut self, value: impl Into<ReturnConsumedCapacity>) -> Self {
                self.return_consumed_capacity = Some(value.into());
                self
            }
        }
    )*};
}

/// `with_return_item_collection_metrics` for every write that accepts it.
macro_rules! metrics_setter {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `ReturnItemCollectionMetrics`: `SIZE` adds
            /// `ItemCollectionMetrics` to the response of a write to a table
            /// with a local secondary index.
            pub fn with_return_item_collection_metrics(
                mut self,
                value: impl Into<ReturnItemCollectionMetrics>,
            ) -> Self {
                self.return_item_collection_metrics = Some(value.into());
                self
            }
        }
    )*};
}

mod backups;
mod batch;
mod capacity;
mod control_plane;
mod definitions;
mod encryption;
mod enums;
mod items;
mod legacy;
mod partiql;
mod query;
mod streams;
mod tags;
mod transaction;
mod ttl;
mod update_table;

pub use backups::{
    ContinuousBackupsDescription, DescribeContinuousBackupsInput, DescribeContinuousBackupsOutput,
    PointInTimeRecoveryDescription, PointInTimeRecoverySpecification, UpdateContinuousBackupsInput,
    UpdateContinuousBackupsOutput,
};
pub use batch::{
    BatchGetItemInput, BatchGetItemOutput, BatchWriteItemInput, BatchWriteItemOutput,
    DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest,
};
pub use capacity::{Capacity, ConsumedCapacity, ItemCollectionMetrics};
pub use control_plane::{
    DescribeContributorInsightsInput, DescribeContributorInsightsOutput, DescribeEndpointsInput,
    DescribeEndpointsOutput, DescribeGlobalTableInput, DescribeGlobalTableOutput,
    DescribeKinesisStreamingDestinationInput, DescribeKinesisStreamingDestinationOutput,
    DescribeLimitsInput, DescribeLimitsOutput, DescribeTableReplicaAutoScalingInput,
    DescribeTableReplicaAutoScalingOutput, Endpoint, GetResourcePolicyInput,
    GetResourcePolicyOutput, KinesisDataStreamDestination, ListGlobalTablesInput,
    ListGlobalTablesOutput, TableAutoScalingDescription, TableNameInput,
};
pub use definitions::{
    GlobalSecondaryIndex, GlobalSecondaryIndexDescription, LocalSecondaryIndex,
    LocalSecondaryIndexDescription, OnDemandThroughput, Projection, SseSpecification,
    StreamSpecification, Tag, WarmThroughput,
};
pub use encryption::{SseDescription, TableClassSummary};
pub use enums::{
    AttributeAction, BillingMode, CancellationReasonCode, ComparisonOperator, ConditionalOperator,
    KeyType, ProjectionType, ReturnConsumedCapacity, ReturnItemCollectionMetrics, ReturnValue,
    ReturnValuesOnConditionCheckFailure, ScalarAttributeType, Select, StreamViewType, TableClass,
    TableStatus,
};
pub use items::{
    DeleteItemInput, DeleteItemOutput, GetItemInput, GetItemOutput, PutItemInput, PutItemOutput,
    UpdateItemInput, UpdateItemOutput,
};
pub use legacy::{
    AttributeUpdatesMap, AttributeValueUpdate, Condition, ConditionMap, ExpectedAttributeValue,
    ExpectedMap,
};
pub use partiql::{
    BatchExecuteStatementInput, BatchExecuteStatementOutput, BatchStatementError,
    BatchStatementErrorCode, BatchStatementRequest, BatchStatementResponse, ExecuteStatementInput,
    ExecuteStatementOutput, ExecuteTransactionInput, ExecuteTransactionOutput,
    ParameterizedStatement, Parameters,
};
pub use query::{QueryInput, QueryOutput, ScanInput, ScanOutput};
pub use streams::{
    DescribeStreamInput, DescribeStreamOutput, GetRecordsInput, GetRecordsOutput,
    GetShardIteratorInput, GetShardIteratorOutput, Identity, ListStreamsInput, ListStreamsOutput,
    OperationType, Record, SequenceNumberRange, Shard, ShardFilter, ShardFilterType,
    ShardIteratorType, StreamDescription, StreamRecord, StreamStatus, StreamSummary,
};
pub use tags::{
    ListTagsOfResourceInput, ListTagsOfResourceOutput, TagResourceInput, TagResourceOutput,
    UntagResourceInput, UntagResourceOutput,
};
pub use transaction::{
    ConditionCheck, Delete, Get, ItemResponse, Put, TransactGetItem, TransactGetItemsInput,
    TransactGetItemsOutput, TransactWriteItem, TransactWriteItemsInput, TransactWriteItemsOutput,
    Update,
};
pub use ttl::{
    DescribeTimeToLiveInput, DescribeTimeToLiveOutput, TimeToLiveDescription,
    TimeToLiveSpecification, TimeToLiveStatus, UpdateTimeToLiveInput, UpdateTimeToLiveOutput,
};
pub use update_table::{
    CreateGlobalSecondaryIndexAction, DeleteGlobalSecondaryIndexAction, GlobalSecondaryIndexUpdate,
    UpdateGlobalSecondaryIndexAction, UpdateTableInput, UpdateTableOutput,
};

/// One element of a table's `KeySchema`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeySchemaElement {
    /// The key attribute's name.
    pub attribute_name: String,
    /// `HASH` (partition key) or `RANGE` (sort key).
    pub key_type: KeyType,
}

/// One element of a table's `AttributeDefinitions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeDefinition {
    /// The attribute's name.
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: ScalarAttributeType,
}

/// `CreateTable` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateTableInput {
    /// The table's name: 3 to 255 characters of `[a-zA-Z0-9_.-]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// A `HASH` element, optionally followed by a `RANGE` element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_schema: Option<Vec<KeySchemaElement>>,
    /// The types of the key attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_definitions: Option<Vec<AttributeDefinition>>,
    /// `PAY_PER_REQUEST` or `PROVISIONED`; reported back, no throttling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<BillingMode>,
    /// Capacity of a `PROVISIONED` table; reported back, never enforced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughput>,
    /// Global secondary indexes (validated; not implemented yet, so a
    /// request with any is refused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_secondary_indexes: Option<Vec<GlobalSecondaryIndex>>,
    /// Local secondary indexes (validated; not implemented yet, so a
    /// request with any is refused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_secondary_indexes: Option<Vec<LocalSecondaryIndex>>,
    /// The table's stream: `{"StreamEnabled": true, "StreamViewType": ...}`
    /// creates the table with one (`false` alone: no stream).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_specification: Option<StreamSpecification>,
    /// Encryption: `Enabled: true` encrypts with a KMS key (reported as
    /// `SSEDescription`; nothing is encrypted in memory).
    #[serde(rename = "SSESpecification", skip_serializing_if = "Option::is_none")]
    pub sse_specification: Option<SseSpecification>,
    /// The table's first tags (at most 50), listed by ListTagsOfResource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// `STANDARD` or `STANDARD_INFREQUENT_ACCESS`: reported as
    /// `TableClassSummary` (storage behaves the same).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_class: Option<TableClass>,
    /// With `true`, DeleteTable is refused until UpdateTable turns it off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_protection_enabled: Option<bool>,
    /// On-demand limits: not implemented, so a request with any is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// Warm throughput: not implemented, so a request with any is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_throughput: Option<WarmThroughput>,
    /// A resource policy: not implemented, so a request with one is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_policy: Option<String>,
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

/// A table's or index's provisioned capacity as `DescribeTable` reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ProvisionedThroughputDescription {
    /// When UpdateTable last raised the capacity (seconds since the Unix
    /// epoch); absent before the first increase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_increase_date_time: Option<f64>,
    /// When UpdateTable last lowered the capacity; absent before the first
    /// decrease.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_decrease_date_time: Option<f64>,
    /// How many times UpdateTable lowered the capacity this UTC day.
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
    pub billing_mode: BillingMode,
}

/// A table's description, as `CreateTable`, `DescribeTable` and `DeleteTable` return it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TableDescription {
    /// The table's name.
    pub table_name: String,
    /// The key schema.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_schema: Vec<KeySchemaElement>,
    /// The key attributes' types.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// `ACTIVE` (dynacond creates, changes and deletes tables at once;
    /// `CreateTable` reports `CREATING`, `UpdateTable` `UPDATING` while it
    /// changes an index, the capacity or the billing mode, `DeleteTable`
    /// `DELETING`).
    pub table_status: TableStatus,
    /// The number of items at the time of the call.
    pub item_count: u64,
    /// The items' total size in bytes (DynamoDB's item-size rules).
    pub table_size_bytes: u64,
    /// `arn:aws:dynamodb:<region>:<account>:table/<name>` (the store's
    /// region and account id, [`crate::store::StoreBuilder`]).
    pub table_arn: String,
    /// When the table was created, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date_time: Option<f64>,
    /// The billing mode, when the table was created with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_mode_summary: Option<BillingModeSummary>,
    /// The capacity given at creation (zeros for `PAY_PER_REQUEST`).
    pub provisioned_throughput: ProvisionedThroughputDescription,
    /// Whether DeleteTable is refused (set by CreateTable or UpdateTable).
    pub deletion_protection_enabled: bool,
    /// The global secondary indexes; absent on a table without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_secondary_indexes: Option<Vec<GlobalSecondaryIndexDescription>>,
    /// The local secondary indexes; absent on a table without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_secondary_indexes: Option<Vec<LocalSecondaryIndexDescription>>,
    /// Encryption with a KMS key; absent with the default AWS-owned key.
    #[serde(rename = "SSEDescription", skip_serializing_if = "Option::is_none")]
    pub sse_description: Option<SseDescription>,
    /// The table class, once CreateTable or UpdateTable chose one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_class_summary: Option<TableClassSummary>,
    /// `{"StreamEnabled": true, "StreamViewType": ...}` while a stream is
    /// enabled; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_specification: Option<StreamSpecification>,
    /// The ARN of the table's most recent stream, enabled or not; absent
    /// before the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_stream_arn: Option<String>,
    /// The label of that stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_stream_label: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
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

/// Decodes an `ExpressionAttributeValues` member, reporting a bad value as
/// DynamoDB does (`ExpressionAttributeValues contains invalid value: <problem>
/// for key <key>`); shape errors stay SerializationExceptions.
pub(crate) fn values<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ExpressionAttributeValues>, D::Error> {
    use serde::de::Error as _;
    // Each value is kept as its raw text and decoded on its own, with the
    // same per-value error layering as before, without building a
    // `serde_json::Value` tree first.
    let Some(raw) =
        Option::<IndexMap<String, Box<serde_json::value::RawValue>>>::deserialize(deserializer)?
    else {
        return Ok(None);
    };
    let decoded: Vec<(String, Result<AttributeValue, Error>)> = raw
        .into_iter()
        .map(|(k, v)| {
            let value = crate::wire::from_str(v.get());
            (k, value)
        })
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

impl KeySchemaElement {
    /// A key schema element: `name` is the table's `HASH` or `RANGE` key.
    pub fn new(name: impl Into<String>, key_type: impl Into<KeyType>) -> Self {
        KeySchemaElement {
            attribute_name: name.into(),
            key_type: key_type.into(),
        }
    }
}

impl AttributeDefinition {
    /// An attribute definition: `name` holds values of this type.
    pub fn new(name: impl Into<String>, attribute_type: impl Into<ScalarAttributeType>) -> Self {
        AttributeDefinition {
            attribute_name: name.into(),
            attribute_type: attribute_type.into(),
        }
    }
}

impl CreateTableInput {
    /// A CreateTable of this table, to be given a key with
    /// [`with_hash_key`](Self::with_hash_key).
    ///
    /// ```
    /// use dynacond::api::{BillingMode, CreateTableInput, KeyType, TableStatus};
    /// use dynacond::store::ScalarType;
    /// use dynacond::Store;
    ///
    /// let input = CreateTableInput::new("orders")
    ///     .with_hash_key("customer", ScalarType::S)
    ///     .with_range_key("placed", ScalarType::N)
    ///     .with_provisioned_throughput(5, 5);
    /// assert_eq!(input.key_schema.as_ref().map(|k| k[1].key_type.clone()), Some(KeyType::Range));
    /// let created = Store::new().create_table(input)?;
    /// let description = created.table_description;
    /// // Ready at once: CREATING in the reply, ACTIVE from DescribeTable on.
    /// assert_eq!(description.table_status, TableStatus::Creating);
    /// assert_eq!(
    ///     description.billing_mode_summary.map(|s| s.billing_mode),
    ///     Some(BillingMode::Provisioned)
    /// );
    /// # Ok::<(), dynacond::Error>(())
    /// ```
    pub fn new(table_name: impl Into<String>) -> Self {
        CreateTableInput {
            table_name: Some(table_name.into()),
            ..Default::default()
        }
    }

    /// Adds the partition (`HASH`) key: its key schema element and its
    /// attribute definition.
    pub fn with_hash_key(self, name: impl Into<String>, scalar_type: ScalarType) -> Self {
        self.with_key(name.into(), KeyType::Hash, scalar_type)
    }

    /// Adds the sort (`RANGE`) key: its key schema element and its attribute
    /// definition.
    pub fn with_range_key(self, name: impl Into<String>, scalar_type: ScalarType) -> Self {
        self.with_key(name.into(), KeyType::Range, scalar_type)
    }

    fn with_key(mut self, name: String, key_type: KeyType, scalar_type: ScalarType) -> Self {
        self.attribute_definitions
            .get_or_insert_with(Vec::new)
            .push(AttributeDefinition::new(name.clone(), scalar_type));
        self.key_schema
            .get_or_insert_with(Vec::new)
            .push(KeySchemaElement::new(name, key_type));
        self
    }

    /// Sets `BillingMode`.
    pub fn with_billing_mode(mut self, mode: impl Into<BillingMode>) -> Self {
        self.billing_mode = Some(mode.into());
        self
    }

    /// Sets `ProvisionedThroughput` (read and write capacity units; reported,
    /// never enforced).
    pub fn with_provisioned_throughput(
        mut self,
        read_capacity_units: i64,
        write_capacity_units: i64,
    ) -> Self {
        self.provisioned_throughput = Some(ProvisionedThroughput {
            read_capacity_units,
            write_capacity_units,
        });
        self
    }
}

impl DeleteTableInput {
    /// A DeleteTable of this table.
    pub fn new(table_name: impl Into<String>) -> Self {
        DeleteTableInput {
            table_name: Some(table_name.into()),
        }
    }
}

impl DescribeTableInput {
    /// A DescribeTable of this table.
    pub fn new(table_name: impl Into<String>) -> Self {
        DescribeTableInput {
            table_name: Some(table_name.into()),
        }
    }
}

impl ListTablesInput {
    /// A ListTables of every table (at most 100 names per page).
    pub fn new() -> Self {
        ListTablesInput::default()
    }

    /// Sets `Limit` (1 to 100).
    pub fn with_limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets `ExclusiveStartTableName` (a previous page's `LastEvaluatedTableName`).
    pub fn with_exclusive_start_table_name(mut self, name: Option<String>) -> Self {
        self.exclusive_start_table_name = name;
        self
    }
}
