//! The small control-plane calls clients make routinely (spec
//! streams-ttl-tags.md §7): DescribeEndpoints, DescribeLimits, and the
//! descriptions of features a local table never has configured (Kinesis
//! streaming destinations, contributor insights, replica auto scaling,
//! global tables, resource policies).

use serde::{Deserialize, Serialize};

/// `DescribeEndpoints` request (no members).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeEndpointsInput {}

/// `DescribeEndpoints` response: exactly one endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeEndpointsOutput {
    /// The endpoint to send further requests to.
    pub endpoints: Vec<Endpoint>,
}

/// One endpoint of [`DescribeEndpointsOutput`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Endpoint {
    /// Host and optional port, without scheme: the `Host` the request was
    /// sent to (over HTTP), else `dynamodb.<region>.amazonaws.com`.
    pub address: String,
    /// How long a client may cache the address: 1440 minutes.
    pub cache_period_in_minutes: i64,
}

/// `DescribeLimits` request (no members).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeLimitsInput {}

/// `DescribeLimits` response: DynamoDB's default capacity quotas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLimitsOutput {
    /// 80,000.
    pub account_max_read_capacity_units: i64,
    /// 80,000.
    pub account_max_write_capacity_units: i64,
    /// 40,000.
    pub table_max_read_capacity_units: i64,
    /// 40,000.
    pub table_max_write_capacity_units: i64,
}

/// A request naming one table: `DescribeKinesisStreamingDestination` and
/// `DescribeTableReplicaAutoScaling`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TableNameInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
}

/// `DescribeKinesisStreamingDestination` request.
pub type DescribeKinesisStreamingDestinationInput = TableNameInput;

/// `DescribeTableReplicaAutoScaling` request.
pub type DescribeTableReplicaAutoScalingInput = TableNameInput;

/// `DescribeKinesisStreamingDestination` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeKinesisStreamingDestinationOutput {
    /// The table.
    pub table_name: String,
    /// Always empty: dynacond streams to no Kinesis data stream.
    pub kinesis_data_stream_destinations: Vec<KinesisDataStreamDestination>,
}

/// One Kinesis data stream a table streams to (dynacond never has any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct KinesisDataStreamDestination {
    /// The Kinesis data stream's ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_arn: Option<String>,
    /// `ENABLING`, `ACTIVE`, `DISABLING`, `DISABLED`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_status: Option<String>,
}

/// `DescribeContributorInsights` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeContributorInsightsInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// One of its global secondary indexes, or absent for the table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
}

/// `DescribeContributorInsights` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeContributorInsightsOutput {
    /// The table.
    pub table_name: String,
    /// The index, when the request named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// Always `DISABLED`.
    pub contributor_insights_status: String,
}

/// `DescribeTableReplicaAutoScaling` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeTableReplicaAutoScalingOutput {
    /// The table and its replicas.
    pub table_auto_scaling_description: TableAutoScalingDescription,
}

/// A table's replica auto scaling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TableAutoScalingDescription {
    /// The table.
    pub table_name: String,
    /// `ACTIVE`.
    pub table_status: String,
    /// Always empty: a dynacond table has no replicas.
    pub replicas: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// `ListGlobalTables` request (global tables version 2017.11.29).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListGlobalTablesInput {
    /// List the names after this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_global_table_name: Option<String>,
    /// At most this many (1 to 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Only global tables with a replica in this region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
}

/// `ListGlobalTables` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListGlobalTablesOutput {
    /// Always empty: dynacond has no global tables.
    pub global_tables: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Never set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_evaluated_global_table_name: Option<String>,
}

/// `DescribeGlobalTable` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeGlobalTableInput {
    /// The global table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_table_name: Option<String>,
}

/// `DescribeGlobalTable` response (never produced: dynacond has no global
/// tables, so every request ends in `GlobalTableNotFoundException`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeGlobalTableOutput {
    /// The global table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_table_description: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `GetResourcePolicy` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetResourcePolicyInput {
    /// The table's or stream's ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
}

/// `GetResourcePolicy` response (never produced: no dynacond resource has a
/// policy, so an existing resource gets `PolicyNotFoundException`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetResourcePolicyOutput {
    /// The policy document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The policy's revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
}

impl TableNameInput {
    /// A request naming this table.
    pub fn new(table_name: impl Into<String>) -> Self {
        TableNameInput {
            table_name: Some(table_name.into()),
        }
    }
}

impl DescribeContributorInsightsInput {
    /// A DescribeContributorInsights of this table.
    pub fn new(table_name: impl Into<String>) -> Self {
        DescribeContributorInsightsInput {
            table_name: Some(table_name.into()),
            index_name: None,
        }
    }

    /// Asks about one of the table's global secondary indexes instead.
    pub fn with_index_name(mut self, index_name: impl Into<String>) -> Self {
        self.index_name = Some(index_name.into());
        self
    }
}
