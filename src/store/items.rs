//! GetItem, PutItem, UpdateItem and DeleteItem.
//!
//! Each operation runs the request pipeline ([`Request`]), finds its key,
//! then locks that one item's slot for the read-check-write. A write is
//! planned in full (condition, new item, return values) before the single
//! assignment that commits it; a [`SlotRef`] releases the slot when it goes
//! out of scope, whatever path the operation takes.

use crate::api::{
    DeleteItemInput, DeleteItemOutput, GetItemInput, GetItemOutput, PutItemInput, PutItemOutput,
    UpdateItemInput, UpdateItemOutput,
};
use crate::condition::BoundCondition;
use crate::constraints::{self, present};
use crate::error::Error;
use crate::explain::Explanation;
use crate::store::capacity::{Consumed, Mirror, Read, Write, metrics_of_write};
use crate::store::catalog::Store;
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::pipeline::{Bound, ReturnValues, on_failure_all_old, return_values};
use crate::store::table::Table;
use crate::update::{BoundUpdate, validate_updated_item};
use crate::value::{Item, validate_item};

/// DynamoDB's message for a failed condition.
pub const CONDITION_FAILED: &str = "The conditional request failed";

/// True when the condition (if any) holds for the item (`None`: no item).
pub(crate) fn holds(condition: Option<&BoundCondition<'_>>, item: Option<&Item>) -> bool {
    match (condition, item) {
        (None, _) => true,
        (Some(c), Some(item)) => c.evaluate(item),
        (Some(c), None) => c.evaluate(&Item::new()),
    }
}

/// Why the condition failed for the item (`None`: no item), when the store
/// explains failures ([`crate::StoreBuilder::explain`]).
pub(crate) fn explain_failure(
    explain: bool,
    condition: Option<&BoundCondition<'_>>,
    item: Option<&Item>,
) -> Option<Box<Explanation>> {
    let condition = condition.filter(|_| explain)?;
    Some(Box::new(item.map_or_else(
        || condition.explain(&Item::new()),
        |i| condition.explain(i),
    )))
}

/// A ConditionalCheckFailedException, with the old item when
/// `ReturnValuesOnConditionCheckFailure` is `ALL_OLD`, and the explanation
/// when the store gives them.
pub(crate) fn condition_failed(
    all_old: bool,
    old: Option<&Item>,
    explanation: Option<Box<Explanation>>,
) -> Error {
    Error::ConditionalCheckFailed {
        message: CONDITION_FAILED.into(),
        item: if all_old {
            old.map(|i| Box::new(i.clone()))
        } else {
            None
        },
        explanation,
    }
}

/// The item an update produces: the update applied to the old item, or to a
/// new item holding the key (nothing when a missing item gets a remove-only
/// update). Checks nesting and the size limit.
pub(crate) fn updated_item(
    schema: &KeySchema,
    key: &PrimaryKey,
    update: Option<&BoundUpdate<'_>>,
    old: Option<&Item>,
) -> Result<Option<Item>, Error> {
    let new = match (update, old) {
        (Some(u), Some(old)) => {
            let mut new = old.clone();
            u.apply_in_place(&mut new)?;
            Some(new)
        }
        (Some(u), None) => u.apply(None)?.map(|created| {
            let mut item = schema.key_item(key);
            item.extend(created);
            item
        }),
        (None, old) => Some(old.cloned().unwrap_or_else(|| schema.key_item(key))),
    };
    if let Some(new) = &new {
        validate_updated_item(new)?;
    }
    Ok(new)
}

fn non_empty(item: Item) -> Option<Item> {
    (!item.is_empty()).then_some(item)
}

/// The attribute values of a `Key` map are valid values (checked before
/// the table is looked up; the key schema is checked after).
pub(crate) fn validate_key_values(key: &Item) -> Result<(), Error> {
    for value in key.values() {
        value.validate()?;
    }
    Ok(())
}

impl Store {
    /// `GetItem`: the item with the key, projected; reads are always
    /// consistent (`ConsistentRead` only changes the capacity reported).
    pub fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Error> {
        constraints::check(&input)?;
        let request = input.request()?.cached(self.expressions());
        let key = present(input.key.as_ref(), "key")?;
        validate_key_values(key)?;
        let compiled = request.compile()?;
        let mut bound = compiled.bind()?;
        let table = self.table(present(input.table_name.as_ref(), "tableName")?)?;
        let key = table.schema.key_of_map(key)?;
        bound.check_schema(&table.schema)?;
        let item = table.get(&key);
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let read = Read::of(input.consistent_read);
        consumed.read_item(table.name(), item.as_ref(), read);
        let item = match (&bound.projection, item) {
            (Some(p), Some(item)) => Some(p.project(&item)),
            (_, item) => item,
        };
        Ok(GetItemOutput {
            item,
            consumed_capacity: consumed.single(),
        })
    }

    /// `PutItem`: stores the whole item if the condition holds.
    pub fn put_item(&self, mut input: PutItemInput) -> Result<PutItemOutput, Error> {
        constraints::check(&input)?;
        let owned = input.item.take();
        let request = input.request()?.cached(self.expressions());
        let item = present(owned.as_ref(), "item")?;
        validate_item(item)?;
        let compiled = request.compile()?;
        let rv = return_values(input.return_values.as_ref(), false)?;
        let mut bound = compiled.bind()?;
        let all_old = on_failure_all_old(input.return_values_on_condition_check_failure.as_ref());
        let table = self.table(present(input.table_name.as_ref(), "tableName")?)?;
        let key = table.schema.key_of_item(item)?;
        table.check_index_keys(item, None)?;
        bound.check_schema(&table.schema)?;

        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let target = Target {
            table: &table,
            key: &key,
            bound: &bound,
            all_old,
            explain: self.explains(),
        };
        let old = target.put(owned.unwrap_or_default(), &mut consumed)?;
        let metrics = input.return_item_collection_metrics.as_ref();
        Ok(PutItemOutput {
            attributes: old.filter(|_| rv == ReturnValues::AllOld),
            consumed_capacity: consumed.single(),
            item_collection_metrics: metrics_of_write(metrics, &table, &key),
        })
    }

    /// `UpdateItem`: applies the update (creating the item when missing) if
    /// the condition holds.
    pub fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        constraints::check(&input)?;
        let request = input.request()?.cached(self.expressions());
        let key = present(input.key.as_ref(), "key")?;
        validate_key_values(key)?;
        let compiled = request.compile()?;
        let rv = return_values(input.return_values.as_ref(), true)?;
        let mut bound = compiled.bind()?;
        let all_old = on_failure_all_old(input.return_values_on_condition_check_failure.as_ref());
        let table = self.table(present(input.table_name.as_ref(), "tableName")?)?;
        let schema = &table.schema;
        let key = schema.key_of_map(key)?;
        bound.check_schema(schema)?;
        bound.check_index_keys(&table.index_key_names())?;
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let target = Target {
            table: &table,
            key: &key,
            bound: &bound,
            all_old,
            explain: self.explains(),
        };
        let attributes = target.update(rv, &mut consumed)?;
        let metrics = input.return_item_collection_metrics.as_ref();
        Ok(UpdateItemOutput {
            attributes,
            consumed_capacity: consumed.single(),
            item_collection_metrics: metrics_of_write(metrics, &table, &key),
        })
    }

    /// `DeleteItem`: removes the item if the condition holds (a missing item
    /// is no error).
    pub fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        constraints::check(&input)?;
        let request = input.request()?.cached(self.expressions());
        let key = present(input.key.as_ref(), "key")?;
        validate_key_values(key)?;
        let compiled = request.compile()?;
        let rv = return_values(input.return_values.as_ref(), false)?;
        let mut bound = compiled.bind()?;
        let all_old = on_failure_all_old(input.return_values_on_condition_check_failure.as_ref());
        let table = self.table(present(input.table_name.as_ref(), "tableName")?)?;
        let key = table.schema.key_of_map(key)?;
        bound.check_schema(&table.schema)?;
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let target = Target {
            table: &table,
            key: &key,
            bound: &bound,
            all_old,
            explain: self.explains(),
        };
        let old = target.delete(&mut consumed)?;
        let metrics = input.return_item_collection_metrics.as_ref();
        Ok(DeleteItemOutput {
            attributes: old.filter(|_| rv == ReturnValues::AllOld),
            consumed_capacity: consumed.single(),
            item_collection_metrics: metrics_of_write(metrics, &table, &key),
        })
    }
}

/// One item a single-item write addresses, with the request's bound
/// expressions: the part of PutItem, UpdateItem and DeleteItem after every
/// request check, which PartiQL's INSERT, UPDATE and DELETE share.
pub(crate) struct Target<'a, 'b> {
    pub(crate) table: &'a Table,
    pub(crate) key: &'a PrimaryKey,
    pub(crate) bound: &'a Bound<'b>,
    /// `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
    pub(crate) all_old: bool,
    /// Whether a failed condition carries its explanation.
    pub(crate) explain: bool,
}

impl Target<'_, '_> {
    /// The error of a condition that failed for `old`.
    fn failed(&self, old: Option<&Item>) -> Error {
        let explanation = explain_failure(self.explain, self.bound.condition.as_ref(), old);
        condition_failed(self.all_old, old, explanation)
    }

    /// Stores `item` if the condition holds; gives the item replaced.
    pub(crate) fn put(&self, item: Item, consumed: &mut Consumed) -> Result<Option<Item>, Error> {
        let slot = self.table.slot(self.key);
        let mut current = slot.lock()?;
        if !holds(self.bound.condition.as_ref(), current.get()) {
            return Err(self.failed(current.get()));
        }
        self.table
            .check_collection(self.key, current.get(), Some(&item))?;
        consumed.write_indexed(self.table, current.get(), Some(&item), Write::Standard);
        let old = current.write(Some(item))?;
        drop(current);
        Ok(old)
    }

    /// Applies the update (creating the item when missing) if the
    /// condition holds; gives what `ReturnValues` asks for (nothing for an
    /// empty result).
    pub(crate) fn update(
        &self,
        rv: ReturnValues,
        consumed: &mut Consumed,
    ) -> Result<Option<Item>, Error> {
        let (table, schema) = (self.table, self.table.schema());
        let update = self.bound.update.as_ref();
        let slot = table.slot(self.key);
        let mut current = slot.lock()?;
        let old = current.get();
        if !holds(self.bound.condition.as_ref(), old) {
            return Err(self.failed(old));
        }
        let new = updated_item(schema, self.key, update, old)?;
        if let Some(new) = &new {
            table.check_index_keys(new, Some(old))?;
        }
        table.check_collection(self.key, old, new.as_ref())?;
        let attributes = match (rv, update) {
            (ReturnValues::None, _) => None,
            (ReturnValues::AllOld, _) => old.cloned(),
            (ReturnValues::AllNew, _) => new.clone(),
            (ReturnValues::UpdatedOld, Some(u)) => old.map(|o| u.updated_attributes(o)),
            (ReturnValues::UpdatedNew, Some(u)) => new.as_ref().map(|n| u.updated_attributes(n)),
            (_, None) => None,
        };
        consumed.write_indexed(table, old, new.as_ref(), Write::Standard);
        current.write(new)?;
        drop(current);
        Ok(attributes.and_then(non_empty))
    }

    /// Removes the item if the condition holds (a missing item is no
    /// error); gives the item removed.
    pub(crate) fn delete(&self, consumed: &mut Consumed) -> Result<Option<Item>, Error> {
        let condition = self.bound.condition.as_ref();
        let Some(slot) = self.table.find_slot(self.key) else {
            // No slot: no item, now or ever; only the condition can fail.
            if !holds(condition, None) {
                return Err(self.failed(None));
            }
            consumed.write_item(self.table.name(), None, None, Write::Standard);
            return Ok(None);
        };
        let mut current = slot.lock()?;
        if !holds(condition, current.get()) {
            return Err(self.failed(current.get()));
        }
        consumed.write_indexed(self.table, current.get(), None, Write::Standard);
        let old = current.write(None)?;
        drop(current);
        Ok(old)
    }
}
