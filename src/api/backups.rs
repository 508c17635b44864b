//! Continuous backups and point-in-time recovery: DescribeContinuousBackups
//! and UpdateContinuousBackups (spec streams-ttl-tags.md §7.4).

use serde::{Deserialize, Serialize};

/// `DescribeContinuousBackups` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeContinuousBackupsInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
}

/// `DescribeContinuousBackups` and `UpdateContinuousBackups` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeContinuousBackupsOutput {
    /// The table's continuous backups and point-in-time recovery.
    pub continuous_backups_description: ContinuousBackupsDescription,
}

/// `UpdateContinuousBackups` response (the same shape as Describe's, in the
/// state the update left).
pub type UpdateContinuousBackupsOutput = DescribeContinuousBackupsOutput;

/// A table's continuous backups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ContinuousBackupsDescription {
    /// `DISABLED` until point-in-time recovery is first enabled, `ENABLED`
    /// from then on (whatever happens to point-in-time recovery later).
    pub continuous_backups_status: String,
    /// Point-in-time recovery.
    pub point_in_time_recovery_description: PointInTimeRecoveryDescription,
}

/// A table's point-in-time recovery: only the status while it is off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PointInTimeRecoveryDescription {
    /// `ENABLED` or `DISABLED`.
    pub point_in_time_recovery_status: String,
    /// How many days back a restore may go (1 to 35); only while enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_period_in_days: Option<i64>,
    /// The earliest restorable time (seconds since the Unix epoch): the
    /// later of the enabling and the start of the recovery period; only
    /// while enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earliest_restorable_date_time: Option<f64>,
    /// The latest restorable time: the later of the enabling and five
    /// minutes ago; only while enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_restorable_date_time: Option<f64>,
}

/// `UpdateContinuousBackups` request.
///
/// ```
/// use dynacond::api::*;
/// use dynacond::store::ScalarType;
/// use dynacond::Store;
///
/// let store = Store::new();
/// store.create_table(CreateTableInput::new("users").with_hash_key("id", ScalarType::S))?;
/// let on = store.update_continuous_backups(UpdateContinuousBackupsInput::new("users", true))?;
/// let pitr = on.continuous_backups_description.point_in_time_recovery_description;
/// assert_eq!(pitr.point_in_time_recovery_status, "ENABLED");
/// assert_eq!(pitr.recovery_period_in_days, Some(35));
/// # Ok::<(), dynacond::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateContinuousBackupsInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// Whether point-in-time recovery is on, and its period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point_in_time_recovery_specification: Option<PointInTimeRecoverySpecification>,
}

/// `PointInTimeRecoverySpecification`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PointInTimeRecoverySpecification {
    /// Turns point-in-time recovery on or off (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point_in_time_recovery_enabled: Option<bool>,
    /// 1 to 35 days (default 35); only when enabling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_period_in_days: Option<i64>,
}

impl DescribeContinuousBackupsInput {
    /// A DescribeContinuousBackups of this table.
    pub fn new(table_name: impl Into<String>) -> Self {
        DescribeContinuousBackupsInput {
            table_name: Some(table_name.into()),
        }
    }
}

impl UpdateContinuousBackupsInput {
    /// Turns point-in-time recovery of this table on or off.
    pub fn new(table_name: impl Into<String>, enabled: bool) -> Self {
        UpdateContinuousBackupsInput {
            table_name: Some(table_name.into()),
            point_in_time_recovery_specification: Some(PointInTimeRecoverySpecification {
                point_in_time_recovery_enabled: Some(enabled),
                recovery_period_in_days: None,
            }),
        }
    }

    /// Sets `RecoveryPeriodInDays` (1 to 35; only when enabling).
    pub fn with_recovery_period_in_days(mut self, days: i64) -> Self {
        self.point_in_time_recovery_specification
            .get_or_insert_with(Default::default)
            .recovery_period_in_days = Some(days);
        self
    }
}
