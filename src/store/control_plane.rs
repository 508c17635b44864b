//! The small control-plane calls clients make routinely (spec
//! streams-ttl-tags.md §7.1–§7.3, §7.6), answered as a local endpoint with
//! nothing of those features configured would answer:
//!
//! | Operation | Answer |
//! | --- | --- |
//! | DescribeEndpoints | one endpoint: the `Host` called (over HTTP), else `dynamodb.<region>.amazonaws.com`; cached 1440 minutes |
//! | DescribeLimits | the default quotas: 80,000 per account, 40,000 per table |
//! | DescribeKinesisStreamingDestination | the table, no destinations |
//! | DescribeContributorInsights | the table (and index), `DISABLED` |
//! | DescribeTableReplicaAutoScaling | the table, `ACTIVE`, no replicas |
//! | ListGlobalTables | no global tables (version 2017.11.29) |
//! | DescribeGlobalTable | GlobalTableNotFoundException |
//! | GetResourcePolicy | the ARN's checks, then PolicyNotFoundException |
//!
//! A missing table is `ResourceNotFoundException` (`Requested resource not
//! found: Table: <name> not found`).

use std::sync::Arc;

use crate::api::{
    DescribeContributorInsightsInput, DescribeContributorInsightsOutput, DescribeEndpointsInput,
    DescribeEndpointsOutput, DescribeGlobalTableInput, DescribeGlobalTableOutput,
    DescribeKinesisStreamingDestinationInput, DescribeKinesisStreamingDestinationOutput,
    DescribeLimitsInput, DescribeLimitsOutput, DescribeTableReplicaAutoScalingInput,
    DescribeTableReplicaAutoScalingOutput, Endpoint, GetResourcePolicyInput,
    GetResourcePolicyOutput, ListGlobalTablesInput, ListGlobalTablesOutput,
    TableAutoScalingDescription,
};
use crate::constraints::{self, control_plane_table_name, present};
use crate::error::Error;
use crate::store::catalog::{Store, table_not_found};
use crate::store::requests::EarlyChecks;
use crate::store::resource::ArnUse;
use crate::store::table::Table;

/// How long clients may cache DescribeEndpoints' answer, in minutes.
pub const ENDPOINT_CACHE_MINUTES: i64 = 1440;
/// DescribeLimits' per-account capacity quota (read and write).
pub const ACCOUNT_MAX_CAPACITY_UNITS: i64 = 80_000;
/// DescribeLimits' per-table capacity quota (read and write).
pub const TABLE_MAX_CAPACITY_UNITS: i64 = 40_000;

impl EarlyChecks for DescribeEndpointsInput {}
impl EarlyChecks for DescribeLimitsInput {}
impl EarlyChecks for crate::api::TableNameInput {}
impl EarlyChecks for DescribeContributorInsightsInput {}
impl EarlyChecks for ListGlobalTablesInput {}
impl EarlyChecks for DescribeGlobalTableInput {}
impl EarlyChecks for GetResourcePolicyInput {}

impl Store {
    /// A control-plane call's table: the `TableName` sentences, the
    /// constraint layer (run by the caller), then the lookup.
    fn described_table(&self, name: Option<&String>) -> Result<Arc<Table>, Error> {
        let name = present(name, "tableName")?;
        self.table(name).map_err(|_| table_not_found(name))
    }

    /// `DescribeEndpoints` without a `Host`: `dynamodb.<region>.amazonaws.com`
    /// (the endpoint answers with the host the client called, see
    /// [`Store::describe_endpoints_at`]).
    pub fn describe_endpoints(
        &self,
        input: DescribeEndpointsInput,
    ) -> Result<DescribeEndpointsOutput, Error> {
        self.describe_endpoints_at(input, None)
    }

    /// `DescribeEndpoints` of a request sent to `host` (`host[:port]`, as
    /// the HTTP `Host` header gives it): that address, which the client can
    /// keep using with its own scheme.
    pub fn describe_endpoints_at(
        &self,
        input: DescribeEndpointsInput,
        host: Option<&str>,
    ) -> Result<DescribeEndpointsOutput, Error> {
        constraints::check(&input)?;
        let address = match host {
            Some(host) => host.to_owned(),
            None => format!("dynamodb.{}.amazonaws.com", self.region()),
        };
        Ok(DescribeEndpointsOutput {
            endpoints: vec![Endpoint {
                address,
                cache_period_in_minutes: ENDPOINT_CACHE_MINUTES,
            }],
        })
    }

    /// `DescribeLimits`: DynamoDB's default capacity quotas (dynacond
    /// enforces none).
    pub fn describe_limits(
        &self,
        input: DescribeLimitsInput,
    ) -> Result<DescribeLimitsOutput, Error> {
        constraints::check(&input)?;
        Ok(DescribeLimitsOutput {
            account_max_read_capacity_units: ACCOUNT_MAX_CAPACITY_UNITS,
            account_max_write_capacity_units: ACCOUNT_MAX_CAPACITY_UNITS,
            table_max_read_capacity_units: TABLE_MAX_CAPACITY_UNITS,
            table_max_write_capacity_units: TABLE_MAX_CAPACITY_UNITS,
        })
    }

    /// `DescribeKinesisStreamingDestination`: no destinations.
    pub fn describe_kinesis_streaming_destination(
        &self,
        input: DescribeKinesisStreamingDestinationInput,
    ) -> Result<DescribeKinesisStreamingDestinationOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let table = self.described_table(input.table_name.as_ref())?;
        Ok(DescribeKinesisStreamingDestinationOutput {
            table_name: table.name.clone(),
            kinesis_data_stream_destinations: Vec::new(),
        })
    }

    /// `DescribeContributorInsights`: `DISABLED`, for the table or one of
    /// its indexes.
    pub fn describe_contributor_insights(
        &self,
        input: DescribeContributorInsightsInput,
    ) -> Result<DescribeContributorInsightsOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let table = self.described_table(input.table_name.as_ref())?;
        if let Some(index) = &input.index_name {
            if table.index(index).is_none() {
                return Err(Error::ResourceNotFound(format!(
                    "Requested resource not found: Index: {index} not found for table: {}",
                    table.name
                )));
            }
        }
        Ok(DescribeContributorInsightsOutput {
            table_name: table.name.clone(),
            index_name: input.index_name,
            contributor_insights_status: "DISABLED".into(),
        })
    }

    /// `DescribeTableReplicaAutoScaling`: the table, without replicas.
    pub fn describe_table_replica_auto_scaling(
        &self,
        input: DescribeTableReplicaAutoScalingInput,
    ) -> Result<DescribeTableReplicaAutoScalingOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let table = self.described_table(input.table_name.as_ref())?;
        Ok(DescribeTableReplicaAutoScalingOutput {
            table_auto_scaling_description: TableAutoScalingDescription {
                table_name: table.name.clone(),
                table_status: "ACTIVE".into(),
                replicas: Vec::new(),
            },
        })
    }

    /// `ListGlobalTables`: none (dynacond has no global tables).
    pub fn list_global_tables(
        &self,
        input: ListGlobalTablesInput,
    ) -> Result<ListGlobalTablesOutput, Error> {
        constraints::check(&input)?;
        Ok(ListGlobalTablesOutput::default())
    }

    /// `DescribeGlobalTable`: `GlobalTableNotFoundException` for every name
    /// (dynacond has no global tables).
    pub fn describe_global_table(
        &self,
        input: DescribeGlobalTableInput,
    ) -> Result<DescribeGlobalTableOutput, Error> {
        constraints::check(&input)?;
        let name = present(input.global_table_name.as_ref(), "globalTableName")?;
        Err(Error::GlobalTableNotFound(format!(
            "Global table not found: Global table with name: {name} does not exist."
        )))
    }

    /// `GetResourcePolicy`: the ARN's checks, then
    /// `PolicyNotFoundException` (no dynacond resource has a policy).
    pub fn get_resource_policy(
        &self,
        input: GetResourcePolicyInput,
    ) -> Result<GetResourcePolicyOutput, Error> {
        constraints::check(&input)?;
        let arn = present(input.resource_arn.as_ref(), "resourceArn")?;
        self.resolve_resource(arn, ArnUse::Policy)?;
        Err(Error::PolicyNotFound(format!(
            "Resource-based policy not found for the provided ResourceArn: {arn}"
        )))
    }
}
