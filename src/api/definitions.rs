//! CreateTable's members beyond the key schema: secondary indexes, their
//! projections and throughput, streams, encryption and tags.

use serde::{Deserialize, Serialize};

use super::{
    KeySchemaElement, ProjectionType, ProvisionedThroughput, ProvisionedThroughputDescription,
    StreamViewType,
};

/// One element of `GlobalSecondaryIndexes`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GlobalSecondaryIndex {
    /// The index's name: 3 to 255 characters of `[a-zA-Z0-9_.-]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// The index key: `HASH` elements, then `RANGE` elements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_schema: Option<Vec<KeySchemaElement>>,
    /// Which attributes the index holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<Projection>,
    /// The index's capacity (PROVISIONED tables only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughput>,
    /// The index's on-demand limits (PAY_PER_REQUEST tables only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// The index's warm throughput.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_throughput: Option<WarmThroughput>,
}

/// One element of `LocalSecondaryIndexes`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LocalSecondaryIndex {
    /// The index's name: 3 to 255 characters of `[a-zA-Z0-9_.-]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// The table's `HASH` element and the index's `RANGE` element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_schema: Option<Vec<KeySchemaElement>>,
    /// Which attributes the index holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<Projection>,
}

/// An index's `Projection`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Projection {
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_type: Option<ProjectionType>,
    /// The non-key attributes an `INCLUDE` projection holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub non_key_attributes: Option<Vec<String>>,
}

/// `OnDemandThroughput`: request-unit limits of an on-demand table or index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct OnDemandThroughput {
    /// Read request units per second (`-1`: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_read_request_units: Option<i64>,
    /// Write request units per second (`-1`: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_write_request_units: Option<i64>,
}

/// `WarmThroughput`: the throughput a table or index is prepared for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct WarmThroughput {
    /// Reads per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_units_per_second: Option<i64>,
    /// Writes per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_units_per_second: Option<i64>,
}

/// `StreamSpecification`: whether the table has a stream, and what its
/// records hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StreamSpecification {
    /// Whether the stream is enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_enabled: Option<bool>,
    /// `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_view_type: Option<StreamViewType>,
}

/// `SSESpecification`: server-side encryption settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SseSpecification {
    /// Whether encryption uses a KMS key.
    #[serde(rename = "Enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `KMS` (or `AES256`).
    #[serde(rename = "SSEType", skip_serializing_if = "Option::is_none")]
    pub sse_type: Option<String>,
    /// The KMS key.
    #[serde(rename = "KMSMasterKeyId", skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
}

/// One resource tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tag {
    /// The tag's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The tag's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A global secondary index as DescribeTable reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GlobalSecondaryIndexDescription {
    /// The index's name.
    pub index_name: String,
    /// The index key.
    pub key_schema: Vec<KeySchemaElement>,
    /// Which attributes the index holds (`NonKeyAttributes` sorted by name).
    pub projection: Projection,
    /// `ACTIVE`; `CREATING` in the CreateTable reply, and while an index
    /// added by UpdateTable is filled from the table's items; `UPDATING` or
    /// `DELETING` in the reply of the UpdateTable that changes it.
    pub index_status: String,
    /// Only for an index added by UpdateTable while it is `CREATING`:
    /// `false` in the UpdateTable reply, `true` while it is being filled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backfilling: Option<bool>,
    /// The index's capacity (`0`/`0` on a PAY_PER_REQUEST table).
    pub provisioned_throughput: ProvisionedThroughputDescription,
    /// The total size of the index entries, exact.
    pub index_size_bytes: u64,
    /// The number of index entries, exact.
    pub item_count: u64,
    /// `<TableArn>/index/<IndexName>`.
    pub index_arn: String,
}

/// A local secondary index as DescribeTable reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LocalSecondaryIndexDescription {
    /// The index's name.
    pub index_name: String,
    /// The index key.
    pub key_schema: Vec<KeySchemaElement>,
    /// Which attributes the index holds (`NonKeyAttributes` sorted by name).
    pub projection: Projection,
    /// The total size of the index entries, exact.
    pub index_size_bytes: u64,
    /// The number of index entries, exact.
    pub item_count: u64,
    /// `<TableArn>/index/<IndexName>`.
    pub index_arn: String,
}
