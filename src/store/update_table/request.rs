//! UpdateTable's whole-request rules (spec indexes.md §6.2), checked before
//! the table is looked up: something to change, the index-update entries,
//! capacity bounds, members that must come alone or not together, and the
//! stream rules.

use crate::api::{
    BillingMode, CreateGlobalSecondaryIndexAction, DeleteGlobalSecondaryIndexAction,
    GlobalSecondaryIndexUpdate, UpdateGlobalSecondaryIndexAction, UpdateTableInput,
};
use crate::error::Error;

use super::invalid;

/// DynamoDB's answer to a request that changes nothing (§6.2).
pub(super) const NOTHING_TO_CHANGE: &str = "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required";

/// The largest capacity DynamoDB accepts, in units.
const MAX_CAPACITY_UNITS: i64 = 1_000_000_000_000;

/// The single action of one `GlobalSecondaryIndexUpdates` entry.
#[derive(Debug, Clone, Copy)]
pub(super) enum Action<'a> {
    Create(&'a CreateGlobalSecondaryIndexAction),
    Update(&'a UpdateGlobalSecondaryIndexAction),
    Delete(&'a DeleteGlobalSecondaryIndexAction),
}

impl Action<'_> {
    pub(super) fn index_name(&self) -> &str {
        let name = match self {
            Action::Create(c) => &c.index_name,
            Action::Update(u) => &u.index_name,
            Action::Delete(d) => &d.index_name,
        };
        name.as_deref().unwrap_or_default()
    }

    /// A creation or deletion: DynamoDB runs one at a time per table.
    pub(super) fn is_online(&self) -> bool {
        !matches!(self, Action::Update(_))
    }
}

/// The change members a request gives, by their DynamoDB names (an empty
/// `GlobalSecondaryIndexUpdates` and `AttributeDefinitions` change nothing).
fn changes(input: &UpdateTableInput) -> Vec<&'static str> {
    let updates = input.global_secondary_index_updates.as_deref();
    [
        (
            input.provisioned_throughput.is_some(),
            "ProvisionedThroughput",
        ),
        (input.billing_mode.is_some(), "BillingMode"),
        (input.stream_specification.is_some(), "StreamSpecification"),
        (
            updates.is_some_and(|u| !u.is_empty()),
            "GlobalSecondaryIndexUpdates",
        ),
        (input.sse_specification.is_some(), "SSESpecification"),
        (input.replica_updates.is_some(), "ReplicaUpdates"),
        (input.table_class.is_some(), "TableClass"),
        (
            input.deletion_protection_enabled.is_some(),
            "DeletionProtectionEnabled",
        ),
        (input.on_demand_throughput.is_some(), "OnDemandThroughput"),
        (input.warm_throughput.is_some(), "WarmThroughput"),
        (
            input.multi_region_consistency.is_some(),
            "MultiRegionConsistency",
        ),
    ]
    .into_iter()
    .filter_map(|(given, name)| given.then_some(name))
    .collect()
}

/// The checks that need no table, in DynamoDB's order; gives the index
/// actions.
pub(super) fn check_request(input: &UpdateTableInput) -> Result<Vec<Action<'_>>, Error> {
    let changes = changes(input);
    if changes.is_empty() {
        return Err(Error::validation(NOTHING_TO_CHANGE));
    }
    let updates = input.global_secondary_index_updates.as_deref();
    if updates.is_some_and(<[_]>::is_empty) {
        return Err(invalid("List of GlobalSecondaryIndexUpdates is empty"));
    }
    check_bounds(input)?;
    let actions = index_actions(updates.unwrap_or_default())?;
    check_combinations(input, &changes, &actions)?;
    if let Some(stream) = &input.stream_specification {
        match (stream.stream_enabled, &stream.stream_view_type) {
            (Some(true), None) => {
                return Err(invalid(
                    "If stream is being enabled then UpdateViewType is required",
                ));
            }
            (Some(false), Some(_)) => {
                return Err(invalid(
                    "If stream is being disabled, then UpdateViewType must not be specified",
                ));
            }
            _ => {}
        }
    }
    Ok(actions)
}

/// Capacities over DynamoDB's bound (the constraint layer checked >= 1).
fn check_bounds(input: &UpdateTableInput) -> Result<(), Error> {
    let entries = input.global_secondary_index_updates.iter().flatten();
    let indexes = entries.flat_map(|u| {
        let create = u.create.as_ref().and_then(|c| c.provisioned_throughput);
        let update = u.update.as_ref().and_then(|c| c.provisioned_throughput);
        [create, update]
    });
    for units in input
        .provisioned_throughput
        .into_iter()
        .chain(indexes.flatten())
    {
        for (n, what) in [
            (units.read_capacity_units, "ReadCapacityUnits"),
            (units.write_capacity_units, "WriteCapacityUnits"),
        ] {
            if n > MAX_CAPACITY_UNITS {
                return Err(Error::validation(format!(
                    "Given value {n} for {what} is out of bounds"
                )));
            }
        }
    }
    Ok(())
}

/// Each entry holds exactly one action, and names an index no other entry names.
fn index_actions(updates: &[GlobalSecondaryIndexUpdate]) -> Result<Vec<Action<'_>>, Error> {
    let mut actions: Vec<Action<'_>> = Vec::new();
    for entry in updates {
        let given: Vec<Action<'_>> = [
            entry.create.as_ref().map(Action::Create),
            entry.update.as_ref().map(Action::Update),
            entry.delete.as_ref().map(Action::Delete),
        ]
        .into_iter()
        .flatten()
        .collect();
        let action = match given.as_slice() {
            [] => {
                return Err(invalid(
                    "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null",
                ));
            }
            [action] => *action,
            _ => {
                return Err(invalid(
                    "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object",
                ));
            }
        };
        let name = action.index_name();
        if actions.iter().any(|a| a.index_name() == name) {
            return Err(invalid(format!(
                "Only one global secondary index update per index is allowed simultaneously. Index: {name}"
            )));
        }
        actions.push(action);
    }
    Ok(actions)
}

/// Members that must come alone, and pairs that may not come together.
fn check_combinations(
    input: &UpdateTableInput,
    changes: &[&str],
    actions: &[Action<'_>],
) -> Result<(), Error> {
    let given = |name: &str| changes.contains(&name);
    let with_others = |name: &str| given(name) && changes.iter().any(|c| *c != name);
    for (member, shown) in [
        ("SSESpecification", "Server-Side Encryption"),
        ("TableClass", "TableClass"),
        ("DeletionProtectionEnabled", "DeletionProtection"),
    ] {
        if with_others(member) {
            return Err(invalid(format!(
                "{shown} modification must be the only operation in the request"
            )));
        }
    }
    let creates = actions.iter().any(|a| matches!(a, Action::Create(_)));
    let online = actions.iter().any(Action::is_online);
    if given("WarmThroughput") && creates {
        return Err(invalid(
            "Create global secondary index cannot be specified when updating WarmThroughput",
        ));
    }
    if with_others("WarmThroughput") {
        return Err(invalid(
            "WarmThroughput must be the only operation in the request",
        ));
    }
    if given("OnDemandThroughput")
        && changes
            .iter()
            .any(|c| !matches!(*c, "OnDemandThroughput" | "BillingMode"))
    {
        return Err(invalid(
            "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request",
        ));
    }
    let throughput = input.provisioned_throughput.is_some();
    let stream = input.stream_specification.is_some();
    if stream && (throughput || input.billing_mode == Some(BillingMode::Provisioned)) {
        return Err(invalid(
            "You cannot modify stream status while updating table IOPS",
        ));
    }
    if online && throughput {
        return Err(invalid(
            "You cannot create or delete index while updating table IOPS",
        ));
    }
    if online && stream {
        return Err(invalid(
            "You cannot create or delete index while changing stream status",
        ));
    }
    Ok(())
}
