//! Time to Live (spec streams-ttl-tags.md §5): UpdateTimeToLive,
//! DescribeTimeToLive, and the deletion of expired items.
//!
//! # Settings
//!
//! A table's TTL setting is part of its [`Settings`](crate::store::table::Settings)
//! ([`TtlState`]): the attribute while TTL is enabled, and when the last
//! successful UpdateTimeToLive was. It belongs to the table incarnation: a
//! deleted and re-created table starts disabled, without cooldown. A change
//! is applied during the call, so DescribeTimeToLive shows only the settled
//! states `ENABLED` and `DISABLED`, as the spec recommends (§5.2).
//!
//! UpdateTimeToLive checks, in order: the control-plane `TableName`
//! sentences, the constraint layer (`src/constraints/ttl.rs`), the table,
//! then with the table's settings locked the state rules of §5.1 (`TimeToLive
//! is already enabled` / `already disabled` / `active on a different
//! AttributeName`), and last the optional cooldown (`Time to live has been
//! modified multiple times within a fixed interval`). The cooldown is off
//! unless [`StoreBuilder::ttl_cooldown`](crate::StoreBuilder::ttl_cooldown)
//! turns it on, as the spec recommends: suites written against DynamoDB accept
//! both, and many local tests would break otherwise.
//!
//! # Expiry
//!
//! [`Store::sweep_expired`] deletes the items that are expired at the
//! store's clock time ([`expiry`] has the rule), through the same write point
//! as DeleteItem, so indexes stay in step; the `sweep` module has the
//! locking. Nothing hides an expired item before a sweep deletes it: reads,
//! queries and conditions see it, as in DynamoDB (§5.4). [`TtlSweeper`]
//! sweeps in the background at a wall-clock interval (`dynacond serve
//! --ttl-sweep-interval`).

use std::time::Duration;

use crate::api::{
    DescribeTimeToLiveInput, DescribeTimeToLiveOutput, TimeToLiveDescription, TimeToLiveStatus,
    UpdateTimeToLiveInput, UpdateTimeToLiveOutput,
};
use crate::constraints::{self, control_plane_table_name, present};
use crate::error::Error;
use crate::store::catalog::{Store, table_not_found};
use crate::store::requests::EarlyChecks;
use crate::store::table::lock;

pub(crate) mod expiry;
mod sweep;
mod sweeper;
#[cfg(test)]
mod tests;

pub use sweeper::TtlSweeper;

/// The cooldown window the spec measured on DynamoDB (refused 1811 s after
/// a change, accepted at 1872 s); a suggested value for
/// [`StoreBuilder::ttl_cooldown`](crate::StoreBuilder::ttl_cooldown).
pub const DYNAMODB_TTL_COOLDOWN: Duration = Duration::from_secs(1860);

/// A table's TTL setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TtlState {
    /// The TTL attribute while TTL is enabled; `None` while disabled.
    pub(crate) attribute: Option<String>,
    /// The store-clock time (epoch milliseconds) of the last successful
    /// UpdateTimeToLive; `None` before the first.
    pub(crate) changed_millis: Option<i64>,
}

/// The store's TTL options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TtlOptions {
    /// After a successful UpdateTimeToLive, another successful one is
    /// refused for this long; `None`: never.
    pub(crate) cooldown: Option<Duration>,
}

const ALREADY_ENABLED: &str = "TimeToLive is already enabled";
const ALREADY_DISABLED: &str = "TimeToLive is already disabled";
const COOLDOWN: &str = "Time to live has been modified multiple times within a fixed interval";

fn other_attribute(current: &str) -> Error {
    Error::validation(format!(
        "TimeToLive is active on a different AttributeName: current AttributeName is {current}"
    ))
}

impl TtlState {
    /// Checks a change against the state (§5.1) and the cooldown, and
    /// applies it; a refused change changes nothing.
    fn change(
        &mut self,
        attribute: &str,
        enabled: bool,
        now_millis: i64,
        cooldown: Option<Duration>,
    ) -> Result<(), Error> {
        match (&self.attribute, enabled) {
            (None, false) => return Err(Error::validation(ALREADY_DISABLED)),
            (Some(current), _) if current != attribute => return Err(other_attribute(current)),
            (Some(_), true) => return Err(Error::validation(ALREADY_ENABLED)),
            (None, true) | (Some(_), false) => {}
        }
        if let (Some(window), Some(at)) = (cooldown, self.changed_millis) {
            let window = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
            if now_millis.saturating_sub(at) < window {
                return Err(Error::validation(COOLDOWN));
            }
        }
        self.attribute = enabled.then(|| attribute.to_owned());
        self.changed_millis = Some(now_millis);
        Ok(())
    }

    fn description(&self) -> TimeToLiveDescription {
        TimeToLiveDescription {
            time_to_live_status: if self.attribute.is_some() {
                TimeToLiveStatus::Enabled
            } else {
                TimeToLiveStatus::Disabled
            },
            attribute_name: self.attribute.clone(),
        }
    }
}

impl EarlyChecks for UpdateTimeToLiveInput {}
impl EarlyChecks for DescribeTimeToLiveInput {}

impl Store {
    /// `UpdateTimeToLive`: enables TTL on an attribute, or disables it. Not
    /// idempotent: enabling an enabled table, disabling a disabled one, or
    /// naming another attribute than the enabled one is a
    /// ValidationException, and with the cooldown option on, so is a second
    /// change within the window (module docs). The reply echoes the
    /// request's specification.
    pub(crate) fn update_time_to_live_applied(
        &self,
        input: UpdateTimeToLiveInput,
    ) -> Result<UpdateTimeToLiveOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let name = present(input.table_name.as_ref(), "tableName")?;
        let spec = present(
            input.time_to_live_specification.as_ref(),
            "timeToLiveSpecification",
        )?;
        let attribute = present(
            spec.attribute_name.as_ref(),
            "timeToLiveSpecification.attributeName",
        )?;
        let enabled = *present(spec.enabled.as_ref(), "timeToLiveSpecification.enabled")?;
        let table = self.table(name).map_err(|_| table_not_found(name))?;
        let now = self.inner.clock.now_millis();
        lock(&table.settings)
            .ttl
            .change(attribute, enabled, now, self.inner.ttl.cooldown)?;
        Ok(UpdateTimeToLiveOutput {
            time_to_live_specification: spec.clone(),
        })
    }

    /// `DescribeTimeToLive`: `ENABLED` with the attribute, or `DISABLED`
    /// alone.
    pub fn describe_time_to_live(
        &self,
        input: DescribeTimeToLiveInput,
    ) -> Result<DescribeTimeToLiveOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let name = present(input.table_name.as_ref(), "tableName")?;
        let table = self.table(name).map_err(|_| table_not_found(name))?;
        let description = lock(&table.settings).ttl.description();
        Ok(DescribeTimeToLiveOutput {
            time_to_live_description: description,
        })
    }
}
