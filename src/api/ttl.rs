//! Time to Live: UpdateTimeToLive and DescribeTimeToLive (spec
//! streams-ttl-tags.md §5.1, §5.2). Expiry itself is
//! [`Store::sweep_expired`](crate::Store::sweep_expired).

use serde::{Deserialize, Serialize};

use crate::enum_member::wire_enum;

wire_enum! {
    /// `TimeToLiveStatus` of a [`TimeToLiveDescription`]. dynacond applies a
    /// change at once and reports only the settled states, `ENABLED` and
    /// `DISABLED`, as the spec recommends (DynamoDB was never seen
    /// reporting the other two either).
    TimeToLiveStatus, default Disabled {
        /// `ENABLING` (never reported by dynacond)
        Enabling = "ENABLING",
        /// `DISABLING` (never reported by dynacond)
        Disabling = "DISABLING",
        /// `ENABLED`: items whose TTL attribute lies in the past are deleted.
        Enabled = "ENABLED",
        /// `DISABLED` (the default): nothing expires.
        Disabled = "DISABLED",
    }
}

/// `TimeToLiveSpecification`: the TTL attribute and whether TTL is to be
/// on. Both members are required in a request; UpdateTimeToLive's reply
/// echoes the request's specification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TimeToLiveSpecification {
    /// The top-level attribute holding each item's expiry time, in epoch
    /// seconds (1 to 255 characters, any characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
    /// `true` to enable TTL on the attribute, `false` to disable it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `UpdateTimeToLive` request.
///
/// ```
/// use dynacond::api::*;
/// use dynacond::store::ScalarType;
/// use dynacond::Store;
///
/// let store = Store::new();
/// store.create_table(CreateTableInput::new("sessions").with_hash_key("id", ScalarType::S))?;
/// store.update_time_to_live(UpdateTimeToLiveInput::enable("sessions", "expires"))?;
/// let described = store.describe_time_to_live(DescribeTimeToLiveInput::new("sessions"))?;
/// let ttl = described.time_to_live_description;
/// assert_eq!(ttl.time_to_live_status, TimeToLiveStatus::Enabled);
/// assert_eq!(ttl.attribute_name.as_deref(), Some("expires"));
/// // Not idempotent, as in DynamoDB.
/// let again = store.update_time_to_live(UpdateTimeToLiveInput::enable("sessions", "expires"));
/// assert_eq!(again.unwrap_err().message(), "TimeToLive is already enabled");
/// # Ok::<(), dynacond::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateTimeToLiveInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// The attribute and whether TTL is to be on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_live_specification: Option<TimeToLiveSpecification>,
}

/// `UpdateTimeToLive` response: the request's specification, echoed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateTimeToLiveOutput {
    /// The specification as the request gave it.
    pub time_to_live_specification: TimeToLiveSpecification,
}

/// `DescribeTimeToLive` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeTimeToLiveInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
}

/// A table's TTL setting as DescribeTimeToLive reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TimeToLiveDescription {
    /// `ENABLED` or `DISABLED`.
    pub time_to_live_status: TimeToLiveStatus,
    /// The TTL attribute while TTL is enabled; absent otherwise (a disabled
    /// table forgets its attribute, as in DynamoDB).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

/// `DescribeTimeToLive` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeTimeToLiveOutput {
    /// The table's TTL setting.
    pub time_to_live_description: TimeToLiveDescription,
}

impl TimeToLiveSpecification {
    /// A specification of `attribute_name`, enabled or not.
    pub fn new(attribute_name: impl Into<String>, enabled: bool) -> Self {
        TimeToLiveSpecification {
            attribute_name: Some(attribute_name.into()),
            enabled: Some(enabled),
        }
    }
}

impl UpdateTimeToLiveInput {
    /// An UpdateTimeToLive of this table with this specification.
    pub fn new(table_name: impl Into<String>, specification: TimeToLiveSpecification) -> Self {
        UpdateTimeToLiveInput {
            table_name: Some(table_name.into()),
            time_to_live_specification: Some(specification),
        }
    }

    /// Enables TTL on `attribute_name`.
    pub fn enable(table_name: impl Into<String>, attribute_name: impl Into<String>) -> Self {
        Self::new(
            table_name,
            TimeToLiveSpecification::new(attribute_name, true),
        )
    }

    /// Disables TTL, which must be enabled on `attribute_name`.
    pub fn disable(table_name: impl Into<String>, attribute_name: impl Into<String>) -> Self {
        Self::new(
            table_name,
            TimeToLiveSpecification::new(attribute_name, false),
        )
    }
}

impl DescribeTimeToLiveInput {
    /// A DescribeTimeToLive of this table.
    pub fn new(table_name: impl Into<String>) -> Self {
        DescribeTimeToLiveInput {
            table_name: Some(table_name.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire;

    #[test]
    fn shapes_on_the_wire() {
        let input: UpdateTimeToLiveInput = wire::from_str(
            r#"{"TableName": "tbl", "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}}"#,
        )
        .unwrap();
        assert_eq!(input, UpdateTimeToLiveInput::enable("tbl", "exp"));
        let out = UpdateTimeToLiveOutput {
            time_to_live_specification: TimeToLiveSpecification::new("exp", false),
        };
        assert_eq!(
            serde_json::to_value(&out).unwrap(),
            serde_json::json!({"TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": false}})
        );
        let disabled = DescribeTimeToLiveOutput::default();
        assert_eq!(
            serde_json::to_value(&disabled).unwrap(),
            serde_json::json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}})
        );
        // Wrong member types are SerializationExceptions.
        for bad in [
            r#"{"TableName": "tbl", "TimeToLiveSpecification": {"AttributeName": "a", "Enabled": "dog"}}"#,
            r#"{"TableName": "tbl", "TimeToLiveSpecification": {"AttributeName": 3, "Enabled": true}}"#,
            r#"{"TableName": "tbl", "TimeToLiveSpecification": "on"}"#,
        ] {
            let e = wire::from_str::<UpdateTimeToLiveInput>(bad).unwrap_err();
            assert_eq!(e.type_name(), "SerializationException", "{bad}");
        }
    }
}
