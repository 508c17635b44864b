//! The constraint layer of continuous backups (spec streams-ttl-tags.md
//! §7.4), of the small control-plane calls (§7.6), and of the
//! `SSESpecification` member of CreateTable and UpdateTable.

use super::{Constrained, Violations};
use crate::api::{
    DescribeContinuousBackupsInput, DescribeContributorInsightsInput, DescribeEndpointsInput,
    DescribeGlobalTableInput, DescribeLimitsInput, ListGlobalTablesInput, SseSpecification,
    TableNameInput, UpdateContinuousBackupsInput,
};
use crate::store::backups::MAX_RECOVERY_PERIOD_DAYS;

/// `SSEType`'s values, in the order DynamoDB prints them.
const SSE_TYPES: &str = "[AES256, KMS]";

/// An `SSESpecification`'s `SSEType` (DynamoDB's path keeps the member's
/// capitals: `sSESpecification.sSEType`).
pub(crate) fn sse_specification(v: &mut Violations, spec: Option<&SseSpecification>) {
    if let Some(t) = spec.and_then(|s| s.sse_type.as_ref()) {
        if t != "AES256" && t != "KMS" {
            v.fail(
                t,
                "sSESpecification.sSEType",
                format!("Member must satisfy enum value set: {SSE_TYPES}"),
            );
        }
    }
}

impl Constrained for DescribeContinuousBackupsInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
    }
}

impl Constrained for UpdateContinuousBackupsInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
        let spec = self.point_in_time_recovery_specification.as_ref();
        if v.required(spec, "pointInTimeRecoverySpecification") {
            let Some(spec) = spec else { return };
            v.required(
                spec.point_in_time_recovery_enabled.as_ref(),
                "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled",
            );
            v.range(
                spec.recovery_period_in_days,
                "pointInTimeRecoverySpecification.recoveryPeriodInDays",
                1,
                Some(MAX_RECOVERY_PERIOD_DAYS),
            );
        }
    }
}

impl Constrained for DescribeEndpointsInput {
    fn constraints(&self, _: &mut Violations) {}
}

impl Constrained for DescribeLimitsInput {
    fn constraints(&self, _: &mut Violations) {}
}

impl Constrained for TableNameInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
    }
}

impl Constrained for DescribeContributorInsightsInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
        v.text(self.index_name.as_deref(), "indexName", 3, 255, true);
    }
}

impl Constrained for ListGlobalTablesInput {
    fn constraints(&self, v: &mut Violations) {
        v.text(
            self.exclusive_start_global_table_name.as_deref(),
            "exclusiveStartGlobalTableName",
            3,
            255,
            true,
        );
        v.range(self.limit, "limit", 1, None);
    }
}

impl Constrained for DescribeGlobalTableInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.global_table_name.as_ref(), "globalTableName", 3);
    }
}

#[cfg(test)]
mod tests {
    use crate::api::{SseSpecification, UpdateContinuousBackupsInput};
    use crate::constraints::{Violations, check};

    fn message(input: &UpdateContinuousBackupsInput) -> String {
        check(input).map_or_else(|e| e.message().to_owned(), |()| String::new())
    }

    #[test]
    fn recovery_specification() {
        let mut input =
            UpdateContinuousBackupsInput::new("tbl", true).with_recovery_period_in_days(36);
        assert_eq!(
            message(&input),
            "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35"
        );
        input = input.with_recovery_period_in_days(0);
        assert!(message(&input).ends_with("Member must have value greater than or equal to 1"));
        input.point_in_time_recovery_specification = Some(Default::default());
        assert_eq!(
            message(&input),
            "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null"
        );
        input.point_in_time_recovery_specification = None;
        assert_eq!(
            message(&input),
            "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(
            message(&UpdateContinuousBackupsInput::new("tbl", false)),
            ""
        );
    }

    #[test]
    fn sse_type_enum() {
        let mut v = Violations::default();
        let spec = |t: &str| SseSpecification {
            enabled: Some(true),
            sse_type: Some(t.into()),
            kms_master_key_id: None,
        };
        super::sse_specification(&mut v, Some(&spec("KMS")));
        super::sse_specification(&mut v, Some(&spec("AES256")));
        assert!(v.finish().is_ok());
        let mut v = Violations::default();
        super::sse_specification(&mut v, Some(&spec("AES-256")));
        assert_eq!(
            v.finish().unwrap_err().message(),
            "1 validation error detected: Value 'AES-256' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]"
        );
    }
}
