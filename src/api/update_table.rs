//! UpdateTable: global secondary indexes created, updated and deleted,
//! billing mode and capacity, deletion protection (spec indexes.md §6).

use serde::{Deserialize, Serialize};

use super::{
    AttributeDefinition, BillingMode, KeySchemaElement, OnDemandThroughput, Projection,
    ProvisionedThroughput, ScalarAttributeType, SseSpecification, StreamSpecification, TableClass,
    TableDescription, WarmThroughput,
};

/// `UpdateTable` request.
///
/// ```
/// use dynacond::api::*;
/// use dynacond::store::ScalarType;
/// use dynacond::Store;
///
/// let store = Store::new();
/// store.create_table(
///     CreateTableInput::new("users")
///         .with_hash_key("id", ScalarType::S)
///         .with_billing_mode(BillingMode::PayPerRequest),
/// )?;
/// let update = UpdateTableInput::new("users")
///     .with_attribute_definition("email", ScalarType::S)
///     .with_create_index(
///         CreateGlobalSecondaryIndexAction::new("by_email", Projection::all())
///             .with_hash_key("email"),
///     );
/// let answer = store.update_table(update)?.table_description;
/// // The reply shows the change under way; DescribeTable shows it done.
/// assert_eq!(answer.table_status, TableStatus::Updating);
/// let indexes = store.describe_table(DescribeTableInput::new("users"))?.table.global_secondary_indexes;
/// assert_eq!(indexes.map(|i| i[0].index_status.clone()), Some("ACTIVE".into()));
/// # Ok::<(), dynacond::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateTableInput {
    /// The table to change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The types of a new index's key attributes (read only by a `Create`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_definitions: Option<Vec<AttributeDefinition>>,
    /// A new billing mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<BillingMode>,
    /// The table's new capacity (reported, never enforced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughput>,
    /// Global secondary indexes to create, update or delete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_secondary_index_updates: Option<Vec<GlobalSecondaryIndexUpdate>>,
    /// Enables a stream (`{"StreamEnabled": true, "StreamViewType": ...}`)
    /// or disables the enabled one (`{"StreamEnabled": false}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_specification: Option<StreamSpecification>,
    /// Turns deletion protection on or off (DeleteTable is refused while it is on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_protection_enabled: Option<bool>,
    /// Switches the encryption between the AWS-owned key (`Enabled: false`)
    /// and a KMS key (`Enabled: true`, optionally `KMSMasterKeyId`); must
    /// come alone.
    #[serde(rename = "SSESpecification", skip_serializing_if = "Option::is_none")]
    pub sse_specification: Option<SseSpecification>,
    /// Global table replicas: not implemented, so a request with any is
    /// refused (each entry is kept as the JSON object it was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica_updates: Option<Vec<serde_json::Map<String, serde_json::Value>>>,
    /// A new table class (at most two changes in 30 days); must come alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_class: Option<TableClass>,
    /// On-demand limits: not implemented, so a request with any is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// Warm throughput: not implemented, so a request with any is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_throughput: Option<WarmThroughput>,
    /// Multi-region consistency of a global table: not implemented, so a
    /// request with it is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_region_consistency: Option<String>,
}

/// One element of `GlobalSecondaryIndexUpdates`: exactly one of `Create`,
/// `Update` and `Delete`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GlobalSecondaryIndexUpdate {
    /// Changes an index's capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update: Option<UpdateGlobalSecondaryIndexAction>,
    /// Creates an index and fills it from the table's items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create: Option<CreateGlobalSecondaryIndexAction>,
    /// Deletes an index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete: Option<DeleteGlobalSecondaryIndexAction>,
}

/// `Create` of a [`GlobalSecondaryIndexUpdate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateGlobalSecondaryIndexAction {
    /// The index's name: 3 to 255 characters of `[a-zA-Z0-9_.-]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// The index key: `HASH` elements, then `RANGE` elements; their types
    /// come from the request's `AttributeDefinitions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_schema: Option<Vec<KeySchemaElement>>,
    /// Which attributes the index holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<Projection>,
    /// The index's capacity (PROVISIONED tables only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughput>,
    /// On-demand limits: not implemented, so a request with any is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// Warm throughput: not implemented, so a request with any is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_throughput: Option<WarmThroughput>,
}

/// `Update` of a [`GlobalSecondaryIndexUpdate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateGlobalSecondaryIndexAction {
    /// The index to change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// The index's new capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughput>,
    /// On-demand limits: not implemented, so a request with any is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// Warm throughput: not implemented, so a request with any is refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_throughput: Option<WarmThroughput>,
}

/// `Delete` of a [`GlobalSecondaryIndexUpdate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteGlobalSecondaryIndexAction {
    /// The index to delete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
}

/// `UpdateTable` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateTableOutput {
    /// The table as the change begins: `UPDATING`, a new index `CREATING`,
    /// a deleted one `DELETING`, changed capacities still at their old
    /// values (DescribeTable shows the change done).
    pub table_description: TableDescription,
}

impl UpdateTableInput {
    /// An UpdateTable of this table, to be given at least one change.
    pub fn new(table_name: impl Into<String>) -> Self {
        UpdateTableInput {
            table_name: Some(table_name.into()),
            ..Default::default()
        }
    }

    /// Adds an `AttributeDefinitions` entry (the type of a new index's key attribute).
    pub fn with_attribute_definition(
        mut self,
        name: impl Into<String>,
        attribute_type: impl Into<ScalarAttributeType>,
    ) -> Self {
        self.attribute_definitions
            .get_or_insert_with(Vec::new)
            .push(AttributeDefinition::new(name, attribute_type));
        self
    }

    /// Sets `BillingMode`.
    pub fn with_billing_mode(mut self, mode: impl Into<BillingMode>) -> Self {
        self.billing_mode = Some(mode.into());
        self
    }

    /// Sets the table's `ProvisionedThroughput`.
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

    /// Adds a `GlobalSecondaryIndexUpdates` entry that creates an index.
    pub fn with_create_index(self, create: CreateGlobalSecondaryIndexAction) -> Self {
        self.with_index_update(GlobalSecondaryIndexUpdate {
            create: Some(create),
            ..Default::default()
        })
    }

    /// Adds a `GlobalSecondaryIndexUpdates` entry that changes an index's capacity.
    pub fn with_update_index(
        self,
        index_name: impl Into<String>,
        read_capacity_units: i64,
        write_capacity_units: i64,
    ) -> Self {
        self.with_index_update(GlobalSecondaryIndexUpdate {
            update: Some(UpdateGlobalSecondaryIndexAction {
                index_name: Some(index_name.into()),
                provisioned_throughput: Some(ProvisionedThroughput {
                    read_capacity_units,
                    write_capacity_units,
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
    }

    /// Adds a `GlobalSecondaryIndexUpdates` entry that deletes an index.
    pub fn with_delete_index(self, index_name: impl Into<String>) -> Self {
        self.with_index_update(GlobalSecondaryIndexUpdate {
            delete: Some(DeleteGlobalSecondaryIndexAction {
                index_name: Some(index_name.into()),
            }),
            ..Default::default()
        })
    }

    /// Adds a `GlobalSecondaryIndexUpdates` entry.
    pub fn with_index_update(mut self, update: GlobalSecondaryIndexUpdate) -> Self {
        self.global_secondary_index_updates
            .get_or_insert_with(Vec::new)
            .push(update);
        self
    }

    /// Sets `DeletionProtectionEnabled`.
    pub fn with_deletion_protection(mut self, enabled: bool) -> Self {
        self.deletion_protection_enabled = Some(enabled);
        self
    }
}

impl CreateGlobalSecondaryIndexAction {
    /// A new index of this name and projection, to be given a key with
    /// [`with_hash_key`](Self::with_hash_key).
    pub fn new(index_name: impl Into<String>, projection: Projection) -> Self {
        CreateGlobalSecondaryIndexAction {
            index_name: Some(index_name.into()),
            projection: Some(projection),
            ..Default::default()
        }
    }

    /// Adds a `HASH` element to the index key.
    pub fn with_hash_key(self, name: impl Into<String>) -> Self {
        self.with_key(KeySchemaElement::new(name, super::KeyType::Hash))
    }

    /// Adds a `RANGE` element to the index key.
    pub fn with_range_key(self, name: impl Into<String>) -> Self {
        self.with_key(KeySchemaElement::new(name, super::KeyType::Range))
    }

    fn with_key(mut self, element: KeySchemaElement) -> Self {
        self.key_schema.get_or_insert_with(Vec::new).push(element);
        self
    }

    /// Sets the index's `ProvisionedThroughput`.
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

impl Projection {
    /// `ALL`: the index holds every attribute.
    pub fn all() -> Self {
        Projection {
            projection_type: Some(super::ProjectionType::All),
            non_key_attributes: None,
        }
    }

    /// `KEYS_ONLY`: the index and table keys.
    pub fn keys_only() -> Self {
        Projection {
            projection_type: Some(super::ProjectionType::KeysOnly),
            non_key_attributes: None,
        }
    }

    /// `INCLUDE`: the keys and these attributes.
    pub fn include<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        Projection {
            projection_type: Some(super::ProjectionType::Include),
            non_key_attributes: Some(names.into_iter().map(Into::into).collect()),
        }
    }
}
