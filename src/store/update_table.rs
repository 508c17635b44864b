//! UpdateTable (spec indexes.md §6; deletion protection §7): global
//! secondary indexes created (and filled from the table's items), updated
//! and deleted, billing mode and capacity, deletion protection.
//!
//! # Order of checks
//!
//! 1. the control-plane `TableName` sentences, then the constraint layer;
//! 2. whole-request rules that need no table (§6.2): something to change,
//!    the index-update entries, capacity bounds, members that must come
//!    alone or not together, the stream rules ([`check_request`]), the
//!    `SSESpecification` rules;
//! 3. the table (`ResourceNotFoundException`);
//! 4. with the table's settings locked: the index actions in request order
//!    (§6.3), billing mode and capacity (§6.4), the stream's state, the
//!    encryption and table class (`encryption`), then the members dynacond
//!    does not implement, refused by name; then the change is applied. A
//!    rejected request changes nothing.
//!
//! # Status transitions
//!
//! DynamoDB applies an UpdateTable in the background and reports it through
//! statuses (§6.5). dynacond applies it during the call, as the spec
//! recommends for an emulator: the reply shows the statuses DynamoDB's reply
//! shows (table `UPDATING`, a new index `CREATING` with `Backfilling: false`
//! and no items, a deleted one `DELETING`, changed capacities at their old
//! values), and the next DescribeTable shows the change done and everything
//! `ACTIVE`. Clients poll (SDK waiters do), so they see what they would see
//! from DynamoDB, sooner.
//!
//! # Backfill
//!
//! A new index is registered before it is filled, so every write from then
//! on keeps it; then the table's items are visited in key order, a batch of
//! slots copied out of the map at a time (the map's lock is held only for
//! that copy) and each item locked on its own while its entry is added
//! ([`Index::backfill`], which does nothing when a write added the entry
//! first). Other requests wait at most for one item. While it runs, the
//! index reads as DynamoDB's backfilling index: DescribeTable shows it
//! `CREATING` with `Backfilling: true`, Query and Scan of it are refused,
//! and so are DeleteTable and another index creation or deletion.

use std::ops::Bound;
use std::sync::Arc;

use crate::api::{
    AttributeDefinition, BillingMode, CreateGlobalSecondaryIndexAction, GlobalSecondaryIndexUpdate,
    ProvisionedThroughput, TableDescription, UpdateTableInput, UpdateTableOutput,
};
use crate::constraints::{self, control_plane_table_name, present};
use crate::error::Error;
use crate::store::catalog::{Store, table_not_found};
use crate::store::definition::{
    MAX_GLOBAL_INDEXES, check_projection, global_key_shape, index_of, keys_defined,
};
use crate::store::encryption;
use crate::store::index::{Index, IndexKind};
use crate::store::range::{BATCH, BoundKey, batch};
use crate::store::slot::decoded;
use crate::store::stream::{self, StreamChange};
use crate::store::table::{Settings, Table, lock};

mod request;
#[cfg(test)]
mod tests;

use request::{Action, check_request};

/// The LimitExceededException of a second index creation or deletion.
const ONE_ONLINE_INDEX: &str = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table";

fn invalid(detail: impl std::fmt::Display) -> Error {
    Error::validation(format!(
        "One or more parameter values were invalid: {detail}"
    ))
}

impl Store {
    /// `UpdateTable`: creates (and fills), updates or deletes a global
    /// secondary index, changes the billing mode or capacity, turns deletion
    /// protection on or off (module docs for the order of checks and the
    /// statuses reported).
    pub(crate) fn update_table_applied(
        &self,
        input: UpdateTableInput,
    ) -> Result<UpdateTableOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let actions = check_request(&input)?;
        let sse = encryption::check_update_request(&input, &self.inner.location)?;
        let name = present(input.table_name.as_ref(), "tableName")?;
        let table = self.table(name).map_err(|_| table_not_found(name))?;
        let now = self.now();
        let before = table.description("UPDATING", now);
        let (plan, old, extras) = {
            let mut settings = lock(&table.settings);
            let plan = plan(&table, &settings, &input, &actions)?;
            let mut extras = lock(&table.extras);
            let change = encryption::check_update(&extras, sse, input.table_class.as_ref(), now)?;
            refuse_unimplemented(&input)?;
            let old = Old::of(&table, &settings);
            plan.apply(&table, &mut settings, now);
            change.apply(&mut extras, now);
            match &plan.stream {
                Some(StreamChange::Enable(view)) => {
                    self.enable_stream(&table, view.clone(), self.inner.clock.now_millis());
                }
                Some(StreamChange::Disable) => table.stream.disable(),
                None => {}
            }
            (plan, old, change)
        };
        if let Some(index) = &plan.create {
            backfill(&table, index);
        }
        let shown_before = (
            before.sse_description.clone(),
            before.table_class_summary.clone(),
        );
        let mut table_description = plan.reply(&table, before, &old, now);
        extras.reply(&mut table_description, shown_before);
        Ok(UpdateTableOutput { table_description })
    }
}

// ---------------------------------------------------------------------------
// Checks against the table (§6.3, §6.4) and the plan they produce

/// An accepted request's changes.
#[derive(Debug, Default)]
struct Plan {
    /// The new billing mode, when it changes.
    mode: Option<BillingMode>,
    /// The table's new units: `Some(None)` on demand.
    units: Option<Option<ProvisionedThroughput>>,
    /// The indexes whose units change (`None`: on demand).
    index_units: Vec<(Arc<Index>, Option<ProvisionedThroughput>)>,
    create: Option<Arc<Index>>,
    delete: Option<Arc<Index>>,
    deletion_protection: Option<bool>,
    /// The stream enabled or disabled.
    stream: Option<StreamChange>,
    /// Whether the billing mode switches (every index is `UPDATING`).
    switch: bool,
}

/// The billing mode's effect on capacity: provisioned or on demand (a
/// table created with neither counts as provisioned, DynamoDB's default).
fn provisioned(mode: Option<&BillingMode>) -> bool {
    mode != Some(&BillingMode::PayPerRequest)
}

/// Checks the request against the table and its settings, in DynamoDB's
/// order: one index creation or deletion at a time, each index action in
/// request order, the billing mode and capacity, the stream.
fn plan(
    table: &Table,
    settings: &Settings,
    input: &UpdateTableInput,
    actions: &[Action<'_>],
) -> Result<Plan, Error> {
    let indexes = table.indexes();
    let online: Vec<&Action<'_>> = actions.iter().filter(|a| a.is_online()).collect();
    if online.len() > 1 {
        return Err(Error::LimitExceeded(ONE_ONLINE_INDEX.into()));
    }
    if let Some(action) = online.first() {
        // Deleting the index being filled is allowed (§6.3).
        let busy = |i: &Arc<Index>| i.is_backfilling() && i.name != action.index_name();
        if indexes.iter().any(busy) {
            return Err(Error::LimitExceeded(ONE_ONLINE_INDEX.into()));
        }
    }
    let was_provisioned = provisioned(settings.mode.as_ref());
    let requested = input.billing_mode.as_ref();
    let target = requested.or(settings.mode.as_ref());
    let mut plan = Plan {
        deletion_protection: input.deletion_protection_enabled,
        ..Plan::default()
    };
    for action in actions {
        match action {
            Action::Create(c) => {
                let definitions = input.attribute_definitions.as_deref();
                plan.create = Some(Arc::new(check_create(
                    table,
                    &indexes,
                    c,
                    definitions.unwrap_or_default(),
                    target,
                )?));
            }
            Action::Update(u) => {
                let index = find_global(table, &indexes, action.index_name(), "update")?;
                if let Some(units) = u.provisioned_throughput {
                    check_index_units(&index, units, provisioned(target))?;
                    plan.index_units.push((index, Some(units)));
                }
            }
            Action::Delete(_) => {
                plan.delete = Some(find_global(table, &indexes, action.index_name(), "delete")?);
            }
        }
    }
    let now_provisioned = provisioned(target);
    if input.provisioned_throughput.is_some() && !now_provisioned {
        return Err(invalid(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ));
    }
    if requested == Some(&BillingMode::Provisioned) && input.provisioned_throughput.is_none() {
        return Err(invalid(
            "ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
        ));
    }
    plan.switch = was_provisioned != now_provisioned;
    if plan.switch && now_provisioned {
        let missing: Vec<&str> = indexes
            .iter()
            .filter(|i| i.kind == IndexKind::Global)
            .filter(|i| plan.delete.as_ref().is_none_or(|d| d.name != i.name))
            .filter(|i| !plan.index_units.iter().any(|(u, _)| u.name == i.name))
            .map(|i| i.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(invalid(format!(
                "ProvisionedThroughput must be specified for index: {}",
                missing.join(", ")
            )));
        }
    }
    if let Some(units) = input.provisioned_throughput {
        if was_provisioned && settings.capacity.units == Some(units) {
            return Err(Error::validation(unchanged_units(
                "the table",
                "the table",
                units,
            )));
        }
        plan.units = Some(Some(units));
    }
    if plan.switch && !now_provisioned {
        plan.units = Some(None);
        for index in indexes.iter().filter(|i| i.kind == IndexKind::Global) {
            plan.index_units.push((index.clone(), None));
        }
    }
    if requested.is_some() && requested != settings.mode.as_ref() {
        plan.mode = requested.cloned();
    } else if settings.mode.is_none() && plan.units.is_some() {
        plan.mode = Some(BillingMode::Provisioned);
    }
    plan.stream = stream::check_update(table, input.stream_specification.as_ref())?;
    Ok(plan)
}

/// DynamoDB's refusal of capacity that equals the current one: `of` is
/// `the table` or `the index <name>`, `at` `the table` or `index <name>`.
fn unchanged_units(of: &str, at: &str, units: ProvisionedThroughput) -> String {
    let (r, w) = (units.read_capacity_units, units.write_capacity_units);
    format!(
        "The provisioned throughput for {of} will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for {at}: {r}. Requested ReadCapacityUnits: {r}. Current WriteCapacityUnits provisioned for {at}: {w}. Requested WriteCapacityUnits: {w}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
    )
}

/// The global index an Update or Delete names.
fn find_global(
    table: &Table,
    indexes: &[Arc<Index>],
    name: &str,
    verb: &str,
) -> Result<Arc<Index>, Error> {
    match indexes.iter().find(|i| i.name == name) {
        None => Err(Error::ResourceNotFound(format!(
            "Requested resource not found: Index {name} for table {}",
            table.name
        ))),
        Some(i) if i.kind == IndexKind::Local => Err(Error::validation(format!(
            "Cannot {verb} an index that is not a GlobalSecondaryIndex: {name}"
        ))),
        Some(i) => Ok(i.clone()),
    }
}

/// An Update's new units: not on an on-demand table, not the current ones.
fn check_index_units(
    index: &Index,
    units: ProvisionedThroughput,
    provisioned: bool,
) -> Result<(), Error> {
    if !provisioned {
        return Err(invalid(format!(
            "The only Updates for index: {} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput",
            index.name
        )));
    }
    if index.capacity().units == Some(units) {
        return Err(Error::validation(unchanged_units(
            &format!("the index {}", index.name),
            &format!("index {}", index.name),
            units,
        )));
    }
    Ok(())
}

/// A Create's checks (§6.3): the index count, the name, the request's
/// definitions of its key attributes and their types, the key schema and
/// projection, the capacity for the billing mode `target`; then the index.
fn check_create(
    table: &Table,
    indexes: &[Arc<Index>],
    create: &CreateGlobalSecondaryIndexAction,
    definitions: &[AttributeDefinition],
    target: Option<&BillingMode>,
) -> Result<Index, Error> {
    let name = create.index_name.as_deref().unwrap_or_default();
    let globals = indexes
        .iter()
        .filter(|i| i.kind == IndexKind::Global)
        .count();
    if globals >= MAX_GLOBAL_INDEXES {
        return Err(Error::LimitExceeded(format!(
            "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of {MAX_GLOBAL_INDEXES}"
        )));
    }
    if indexes.iter().any(|i| i.name == name) {
        return Err(Error::validation(
            "Attempting to create an index which already exists",
        ));
    }
    let key_schema = create.key_schema.as_deref().unwrap_or_default();
    if definitions.is_empty() {
        return Err(invalid(format!(
            "AttributeDefinitions is not specified for index: {name}"
        )));
    }
    keys_defined(key_schema, definitions)?;
    check_redefinition(table, indexes, key_schema, definitions)?;
    global_key_shape(key_schema)?;
    check_projection(create.projection.as_ref())?;
    match (target, &create.provisioned_throughput) {
        (Some(BillingMode::PayPerRequest), Some(_)) => {
            return Err(invalid(format!(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: {name} when BillingMode is PAY_PER_REQUEST"
            )));
        }
        (Some(BillingMode::Provisioned), None) => {
            return Err(invalid(format!(
                "Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: {name}"
            )));
        }
        _ => {}
    }
    index_of(
        IndexKind::Global,
        Some(name),
        Some(key_schema),
        create.projection.as_ref(),
        create.provisioned_throughput,
        definitions,
    )
}

/// A new index's key attribute may not change the type the table already
/// gives that attribute (as a table or index key).
fn check_redefinition(
    table: &Table,
    indexes: &[Arc<Index>],
    key_schema: &[crate::api::KeySchemaElement],
    definitions: &[AttributeDefinition],
) -> Result<(), Error> {
    let existing: Vec<_> = (table.schema.attributes())
        .chain(indexes.iter().flat_map(|i| i.schema.attributes()))
        .collect();
    for element in key_schema {
        let name = &element.attribute_name;
        let new = definitions.iter().find(|d| d.attribute_name == *name);
        let old = existing.iter().find(|a| a.name == *name);
        if let (Some(new), Some(old)) = (new, old) {
            let (old, new) = (old.scalar_type.code(), new.attribute_type.as_str());
            if old != new {
                let key = element.key_type.as_str();
                return Err(invalid(format!(
                    "Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. Existing schema: Schema:[SchemaElement: key{{{name}:{old}:{key}}}] New schema: Schema:[SchemaElement: key{{{name}:{new}:{key}}}]"
                )));
            }
        }
    }
    Ok(())
}

/// Members dynacond does not implement yet, refused by name after every
/// DynamoDB check (an invalid request still gets DynamoDB's answer).
fn refuse_unimplemented(input: &UpdateTableInput) -> Result<(), Error> {
    let entries = input.global_secondary_index_updates.iter().flatten();
    let index_members = |f: fn(&GlobalSecondaryIndexUpdate) -> bool| entries.clone().any(f);
    let mut given: Vec<&str> = Vec::new();
    let mut refuse = |refused: bool, name| {
        if refused {
            given.push(name);
        }
    };
    refuse(input.replica_updates.is_some(), "ReplicaUpdates");
    refuse(
        input.on_demand_throughput.is_some()
            || index_members(|u| {
                u.create
                    .as_ref()
                    .is_some_and(|c| c.on_demand_throughput.is_some())
                    || u.update
                        .as_ref()
                        .is_some_and(|c| c.on_demand_throughput.is_some())
            }),
        "OnDemandThroughput",
    );
    refuse(
        input.warm_throughput.is_some()
            || index_members(|u| {
                u.create
                    .as_ref()
                    .is_some_and(|c| c.warm_throughput.is_some())
                    || u.update
                        .as_ref()
                        .is_some_and(|c| c.warm_throughput.is_some())
            }),
        "WarmThroughput",
    );
    refuse(
        input.multi_region_consistency.is_some(),
        "MultiRegionConsistency",
    );
    match given.as_slice() {
        [] => Ok(()),
        names => Err(Error::validation(format!(
            "dynacond does not implement {} yet (see the README's known differences)",
            names.join(", ")
        ))),
    }
}

// ---------------------------------------------------------------------------
// Applying, backfilling, answering

/// What the reply reports as it was before the change: the table's units
/// and every index's.
#[derive(Debug)]
struct Old {
    units: (i64, i64),
    index_units: Vec<(String, (i64, i64))>,
}

impl Old {
    fn of(table: &Table, settings: &Settings) -> Old {
        Old {
            units: settings.capacity.pair(),
            index_units: table
                .indexes()
                .iter()
                .map(|i| (i.name.clone(), i.capacity().pair()))
                .collect(),
        }
    }
}

impl Plan {
    /// Applies the change (nothing here can fail). A new index is
    /// registered as backfilling; [`backfill`] fills it next.
    fn apply(&self, table: &Table, settings: &mut Settings, now: f64) {
        if let Some(mode) = &self.mode {
            settings.mode = Some(mode.clone());
        }
        match self.units {
            Some(Some(units)) => settings.capacity.change(units, now),
            Some(None) => settings.capacity.units = None,
            None => {}
        }
        for (index, units) in &self.index_units {
            index.set_capacity(*units, now);
        }
        if let Some(protection) = self.deletion_protection {
            settings.deletion_protection = protection;
        }
        if let Some(index) = &self.delete {
            table.remove_index(&index.name);
        }
        if let Some(index) = &self.create {
            index.set_backfilling(true);
            table.add_index(index.clone());
        }
    }

    /// Whether the table reports `UPDATING` (an index created or deleted,
    /// its capacity or billing mode changing); otherwise `ACTIVE`.
    fn table_updating(&self) -> bool {
        self.create.is_some()
            || self.delete.is_some()
            || self.units.is_some()
            || self.switch
            || self.stream.is_some()
    }

    /// The reply (§6.5): the table after the change, with the statuses and
    /// old capacities of a change just begun; `before` supplies a deleted
    /// index's description.
    fn reply(
        &self,
        table: &Table,
        before: TableDescription,
        old: &Old,
        now: f64,
    ) -> TableDescription {
        let status = if self.table_updating() {
            "UPDATING"
        } else {
            "ACTIVE"
        };
        let mut reply = table.description(status, now);
        if self.units.is_some() || self.switch {
            reply.provisioned_throughput.read_capacity_units = old.units.0;
            reply.provisioned_throughput.write_capacity_units = old.units.1;
        }
        let changed =
            |name: &str| self.switch || self.index_units.iter().any(|(i, _)| i.name == name);
        let mut global = reply.global_secondary_indexes.take().unwrap_or_default();
        for index in &mut global {
            if self
                .create
                .as_ref()
                .is_some_and(|c| c.name == index.index_name)
            {
                index.index_status = "CREATING".into();
                index.backfilling = Some(false);
                index.index_size_bytes = 0;
                index.item_count = 0;
            } else if changed(&index.index_name) {
                index.index_status = "UPDATING".into();
                if let Some((_, (r, w))) =
                    old.index_units.iter().find(|(n, _)| *n == index.index_name)
                {
                    index.provisioned_throughput.read_capacity_units = *r;
                    index.provisioned_throughput.write_capacity_units = *w;
                }
            }
        }
        if let Some(deleted) = &self.delete {
            let listed = before.global_secondary_indexes.iter().flatten();
            if let Some((at, entry)) = listed
                .enumerate()
                .find(|(_, e)| e.index_name == deleted.name)
            {
                let mut entry = entry.clone();
                entry.index_status = "DELETING".into();
                global.insert(at.min(global.len()), entry);
            }
            for d in before.attribute_definitions {
                if !reply
                    .attribute_definitions
                    .iter()
                    .any(|e| e.attribute_name == d.attribute_name)
                {
                    reply.attribute_definitions.push(d);
                }
            }
            reply
                .attribute_definitions
                .sort_by(|a, b| a.attribute_name.cmp(&b.attribute_name));
        }
        reply.global_secondary_indexes = (!global.is_empty()).then_some(global);
        reply
    }
}

/// Fills a registered index from the table's items (module docs): a batch
/// of slots at a time, each item locked on its own, then marks it filled.
fn backfill(table: &Table, index: &Index) {
    let mut from: Bound<BoundKey> = Bound::Unbounded;
    loop {
        let slots = batch(table, &from, &Bound::Unbounded, true);
        for (key, slot) in &slots {
            // Indexed under the item's lock, so no write comes in between.
            let stored = lock(&slot.item);
            if let Some(item) = decoded(&stored, key) {
                index.backfill(key, &table.schema, &item);
            }
        }
        match slots.last() {
            Some((last, _)) if slots.len() == BATCH => {
                from = Bound::Excluded(BoundKey::at(last));
            }
            _ => break,
        }
    }
    index.set_backfilling(false);
}
