//! Continuous backups and point-in-time recovery (spec
//! streams-ttl-tags.md §7.4): DescribeContinuousBackups and
//! UpdateContinuousBackups. Both are synchronous: the reply already shows
//! the final state. Times come from the store's clock.
//!
//! | State | `PointInTimeRecoveryDescription` |
//! | --- | --- |
//! | off | `{"PointInTimeRecoveryStatus": "DISABLED"}` only |
//! | on | `ENABLED`, `RecoveryPeriodInDays`, `EarliestRestorableDateTime` = the later of the enabling and now − the period, `LatestRestorableDateTime` = the later of the enabling and now − 5 minutes |
//!
//! `ContinuousBackupsStatus` is `DISABLED` until recovery is first enabled
//! and `ENABLED` from then on. Enabling twice keeps the enabling time (a
//! period given the second time replaces the first); disabling forgets it
//! and the period. No restore operation exists (RestoreTableToPointInTime
//! is an unknown operation).

use crate::api::{
    ContinuousBackupsDescription, DescribeContinuousBackupsInput, DescribeContinuousBackupsOutput,
    PointInTimeRecoveryDescription, UpdateContinuousBackupsInput, UpdateContinuousBackupsOutput,
};
use crate::constraints::{self, control_plane_table_name, present};
use crate::error::Error;
use crate::store::catalog::Store;
use crate::store::requests::EarlyChecks;
use crate::store::table::{Table, lock};

/// The default and largest `RecoveryPeriodInDays`.
pub const MAX_RECOVERY_PERIOD_DAYS: i64 = 35;

/// How far `LatestRestorableDateTime` trails the clock, in seconds.
const LATEST_LAG_SECONDS: f64 = 300.0;

/// A table's point-in-time recovery.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pitr {
    /// While enabled: since when, and the period in days.
    on: Option<(f64, i64)>,
    /// Whether recovery was ever enabled (`ContinuousBackupsStatus`).
    ever: bool,
}

impl Pitr {
    fn describe(&self, now: f64) -> ContinuousBackupsDescription {
        let status = |on: bool| if on { "ENABLED" } else { "DISABLED" }.to_owned();
        let point_in_time_recovery_description = match self.on {
            None => PointInTimeRecoveryDescription {
                point_in_time_recovery_status: status(false),
                ..PointInTimeRecoveryDescription::default()
            },
            Some((since, days)) => PointInTimeRecoveryDescription {
                point_in_time_recovery_status: status(true),
                recovery_period_in_days: Some(days),
                earliest_restorable_date_time: Some(since.max(now - days as f64 * 86_400.0)),
                latest_restorable_date_time: Some(since.max(now - LATEST_LAG_SECONDS)),
            },
        };
        ContinuousBackupsDescription {
            continuous_backups_status: status(self.ever),
            point_in_time_recovery_description,
        }
    }

    fn update(&mut self, enabled: bool, days: Option<i64>, now: f64) {
        self.on = match (enabled, self.on) {
            (false, _) => None,
            (true, None) => Some((now, days.unwrap_or(MAX_RECOVERY_PERIOD_DAYS))),
            (true, Some((since, current))) => Some((since, days.unwrap_or(current))),
        };
        self.ever |= enabled;
    }
}

impl EarlyChecks for DescribeContinuousBackupsInput {}
impl EarlyChecks for UpdateContinuousBackupsInput {}

/// The continuous-backup operations' answer for a missing table.
fn table_not_found(name: &str) -> Error {
    Error::TableNotFound(format!("Table not found: {name}"))
}

impl Store {
    fn backup_table(&self, name: Option<&String>) -> Result<std::sync::Arc<Table>, Error> {
        let name = present(name, "tableName")?;
        self.table(name).map_err(|_| table_not_found(name))
    }

    /// `DescribeContinuousBackups`: the table's point-in-time recovery.
    /// A missing table is a `TableNotFoundException`.
    pub fn describe_continuous_backups(
        &self,
        input: DescribeContinuousBackupsInput,
    ) -> Result<DescribeContinuousBackupsOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let table = self.backup_table(input.table_name.as_ref())?;
        let continuous_backups_description = lock(&table.extras).pitr.describe(self.now());
        Ok(DescribeContinuousBackupsOutput {
            continuous_backups_description,
        })
    }

    /// `UpdateContinuousBackups`: turns point-in-time recovery on (with a
    /// period of 1 to 35 days, default 35) or off; repeating either is
    /// fine.
    pub(crate) fn update_continuous_backups_applied(
        &self,
        input: UpdateContinuousBackupsInput,
    ) -> Result<UpdateContinuousBackupsOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let spec = present(
            input.point_in_time_recovery_specification.as_ref(),
            "pointInTimeRecoverySpecification",
        )?;
        let enabled = *present(
            spec.point_in_time_recovery_enabled.as_ref(),
            "pointInTimeRecoveryEnabled",
        )?;
        if !enabled && spec.recovery_period_in_days.is_some() {
            return Err(Error::validation(
                "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.",
            ));
        }
        let table = self.backup_table(input.table_name.as_ref())?;
        let now = self.now();
        let mut extras = lock(&table.extras);
        extras
            .pitr
            .update(enabled, spec.recovery_period_in_days, now);
        Ok(UpdateContinuousBackupsOutput {
            continuous_backups_description: extras.pitr.describe(now),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enable_repeat_change_period_disable() {
        let mut pitr = Pitr::default();
        let off = pitr.describe(100.0);
        assert_eq!(off.continuous_backups_status, "DISABLED");
        assert_eq!(
            off.point_in_time_recovery_description,
            PointInTimeRecoveryDescription {
                point_in_time_recovery_status: "DISABLED".into(),
                ..Default::default()
            }
        );
        pitr.update(true, None, 1000.0);
        let on = pitr.describe(1000.0).point_in_time_recovery_description;
        assert_eq!(on.recovery_period_in_days, Some(35));
        assert_eq!(on.earliest_restorable_date_time, Some(1000.0));
        assert_eq!(on.latest_restorable_date_time, Some(1000.0));
        // Later: latest trails the clock by five minutes; a repeat keeps the start.
        pitr.update(true, None, 5000.0);
        let on = pitr.describe(5000.0).point_in_time_recovery_description;
        assert_eq!(on.earliest_restorable_date_time, Some(1000.0));
        assert_eq!(on.latest_restorable_date_time, Some(4700.0));
        pitr.update(true, Some(1), 5000.0);
        let day = 86_400.0;
        let on = pitr
            .describe(1000.0 + 3.0 * day)
            .point_in_time_recovery_description;
        assert_eq!(on.recovery_period_in_days, Some(1));
        assert_eq!(on.earliest_restorable_date_time, Some(1000.0 + 2.0 * day));
        pitr.update(false, None, 6000.0);
        let off = pitr.describe(6000.0);
        assert_eq!(off.continuous_backups_status, "ENABLED");
        assert_eq!(
            off.point_in_time_recovery_description
                .point_in_time_recovery_status,
            "DISABLED"
        );
        assert_eq!(
            off.point_in_time_recovery_description
                .recovery_period_in_days,
            None
        );
        // Re-enabling starts over, with the default period.
        pitr.update(true, None, 7000.0);
        let on = pitr.describe(7000.0).point_in_time_recovery_description;
        assert_eq!(on.recovery_period_in_days, Some(35));
        assert_eq!(on.earliest_restorable_date_time, Some(7000.0));
    }
}
