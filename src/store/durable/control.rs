//! The control-plane calls that change a table besides CreateTable and
//! DeleteTable: on a durable store each is logged as its request with the
//! time, then applied under the control-plane lock at that time, pinned for
//! the calling thread only (`Clock::pinned`: other requests keep the
//! running clock). A failure is marked by a `ControlFailed` record after
//! it.

use serde::Serialize;

use crate::api::{
    TagResourceInput, TagResourceOutput, UntagResourceInput, UntagResourceOutput,
    UpdateContinuousBackupsInput, UpdateContinuousBackupsOutput, UpdateTableInput,
    UpdateTableOutput, UpdateTimeToLiveInput, UpdateTimeToLiveOutput,
};
use crate::error::Error;
use crate::store::catalog::Store;
use crate::store::durable::internal;
use crate::store::durable::record::{ControlOp, Record};

impl Store {
    /// Applies a control-plane request, and logs it on a durable store.
    fn logged<I: Serialize, O>(
        &self,
        op: ControlOp,
        table: Option<&str>,
        input: I,
        apply: impl FnOnce(&Store, I) -> Result<O, Error>,
    ) -> Result<O, Error> {
        let Some(mut control) = self.control_log() else {
            return apply(self, input);
        };
        let encoded = serde_json::to_vec(&input).map_err(internal)?;
        let target = table
            .and_then(|name| self.table(name).ok())
            .and_then(|t| t.journal.get().map(|l| l.id));
        // The request runs at the time it logs (pinned on this thread
        // only: concurrent requests keep the running clock), so that
        // replaying it at that time makes exactly the same change.
        let clock = self.clock();
        let millis = clock.now_millis();
        let payload = Record::Control {
            op,
            millis,
            input: encoded,
        }
        .encode();
        // Logged before it is applied, so that a failed log write changes
        // nothing (a 500, as for item writes).
        control.durable.log.append(&payload)?;
        let applied = clock.pinned(millis, || apply(self, input));
        match applied {
            Ok(output) => {
                control.state.history.push((target, payload));
                Ok(output)
            }
            Err(error) => {
                // The request changed nothing; replay will see it fail the
                // same way. If this write fails too, a restart finds a
                // failed control record with no mark after it: at the end
                // of the log that is skipped, before another control record
                // it stops the start (`recover`).
                let _ = control.durable.log.append(&Record::ControlFailed.encode());
                Err(error)
            }
        }
    }

    /// `UpdateTable`: indexes, capacity, billing mode, streams, deletion
    /// protection and the other table settings.
    pub fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        let name = input.table_name.clone();
        self.logged(
            ControlOp::UpdateTable,
            name.as_deref(),
            input,
            Store::update_table_applied,
        )
    }

    /// `UpdateTimeToLive`: turns Time to Live on or off.
    pub fn update_time_to_live(
        &self,
        input: UpdateTimeToLiveInput,
    ) -> Result<UpdateTimeToLiveOutput, Error> {
        let name = input.table_name.clone();
        self.logged(
            ControlOp::UpdateTimeToLive,
            name.as_deref(),
            input,
            Store::update_time_to_live_applied,
        )
    }

    /// `TagResource`: adds or replaces tags of a table.
    pub fn tag_resource(&self, input: TagResourceInput) -> Result<TagResourceOutput, Error> {
        let name = table_of_arn(input.resource_arn.as_deref()).map(str::to_owned);
        self.logged(
            ControlOp::TagResource,
            name.as_deref(),
            input,
            Store::tag_resource_applied,
        )
    }

    /// `UntagResource`: removes tags of a table.
    pub fn untag_resource(&self, input: UntagResourceInput) -> Result<UntagResourceOutput, Error> {
        let name = table_of_arn(input.resource_arn.as_deref()).map(str::to_owned);
        self.logged(
            ControlOp::UntagResource,
            name.as_deref(),
            input,
            Store::untag_resource_applied,
        )
    }

    /// `UpdateContinuousBackups`: point-in-time recovery on or off.
    pub fn update_continuous_backups(
        &self,
        input: UpdateContinuousBackupsInput,
    ) -> Result<UpdateContinuousBackupsOutput, Error> {
        let name = input.table_name.clone();
        self.logged(
            ControlOp::UpdateContinuousBackups,
            name.as_deref(),
            input,
            Store::update_continuous_backups_applied,
        )
    }
}

/// The table name in a table (or index, or stream) ARN.
fn table_of_arn(arn: Option<&str>) -> Option<&str> {
    let (_, rest) = arn?.split_once(":table/")?;
    rest.split('/').next()
}
