//! The table-description members of server-side encryption and of the
//! table class (`SSEDescription`, `TableClassSummary`).

use serde::{Deserialize, Serialize};

use super::TableClass;

/// `SSEDescription`: present when a table is encrypted with a KMS key (with
/// the default AWS-owned key, DynamoDB reports no `SSEDescription`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SseDescription {
    /// `ENABLED`; `UPDATING` in the reply of the UpdateTable that changes
    /// the encryption.
    #[serde(rename = "Status", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `KMS`.
    #[serde(rename = "SSEType", skip_serializing_if = "Option::is_none")]
    pub sse_type: Option<String>,
    /// The ARN of the KMS key: the one given as `KMSMasterKeyId`, or the
    /// account's AWS-managed key (`alias/aws/dynamodb`).
    #[serde(rename = "KMSMasterKeyArn", skip_serializing_if = "Option::is_none")]
    pub kms_master_key_arn: Option<String>,
}

/// `TableClassSummary`: present once a table class was chosen, by CreateTable
/// or UpdateTable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TableClassSummary {
    /// `STANDARD` or `STANDARD_INFREQUENT_ACCESS`.
    pub table_class: TableClass,
    /// When UpdateTable last changed the class (seconds since the Unix
    /// epoch); absent before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_update_date_time: Option<f64>,
}
