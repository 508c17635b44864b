//! GetItem, PutItem, UpdateItem and DeleteItem.

use crate::api::{
    DeleteItemInput, DeleteItemOutput, GetItemInput, GetItemOutput, PutItemInput, PutItemOutput,
    UpdateItemInput, UpdateItemOutput,
};
use crate::error::Error;
use crate::legacy;
use crate::store::Store;
use crate::store::pipeline::*;
use crate::store::table::*;
use crate::value::validate_item;

// ---------------------------------------------------------------------------
// Single-item operations

impl Store {
    /// `GetItem`: the item with the key, projected; reads are always consistent.
    pub fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Error> {
        validate_table_name(&input.table_name)?;
        legacy::check_mixing(
            &[("AttributesToGet", input.attributes_to_get.is_some())],
            &[(
                "ProjectionExpression",
                input.projection_expression.is_some(),
            )],
        )?;
        let table = self.table(&input.table_name)?;
        let key = table.schema.key_of_map(&input.key)?;
        let names = input.expression_attribute_names.as_ref();
        let projection = projection(input.projection_expression.as_deref(), names)?;
        let legacy = input
            .attributes_to_get
            .as_deref()
            .map(legacy::attributes_to_get)
            .transpose()?;
        let bound = legacy::bind_projection(projection.as_ref(), names, legacy.as_ref())?;
        let item = table.find_slot(&key).and_then(|slot| lock(&slot).clone());
        let item = match (&bound, item) {
            (Some(p), Some(item)) => Some(p.project(&item)),
            (_, item) => item,
        };
        Ok(GetItemOutput { item })
    }

    /// `PutItem`: stores the whole item if the condition holds.
    pub fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        self.put_item_unprefixed(input).map_err(write_prefix)
    }

    fn put_item_unprefixed(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        let PutItemInput {
            table_name,
            item,
            condition_expression,
            expression_attribute_names: names,
            expression_attribute_values: values,
            return_values: rv,
            return_values_on_condition_check_failure: on_failure,
            expected,
            conditional_operator,
            ..
        } = input;
        let rv = return_values(rv.as_ref().map(|v| v.as_str()), false)?;
        let all_old = on_failure_all_old(on_failure.as_ref().map(|v| v.as_str()))?;
        validate_table_name(&table_name)?;
        let expressions = [("ConditionExpression", condition_expression.is_some())];
        legacy::check_mixing(
            &[
                ("Expected", expected.is_some()),
                ("ConditionalOperator", conditional_operator.is_some()),
            ],
            &expressions,
        )?;
        legacy::check_placeholders_need_expressions(
            names.is_some(),
            values.is_some(),
            &expressions,
        )?;
        let table = self.table(&table_name)?;
        let key = table.schema.key_of_item(&item)?;
        let legacy_condition = legacy::expected(
            expected.as_ref(),
            conditional_operator.as_ref().map(|v| v.as_str()),
        )?;
        let exprs = Expressions::parse(
            condition_expression.as_deref(),
            None,
            names.as_ref(),
            values.as_ref(),
        )?;
        let (condition, _) = exprs.bind(names.as_ref(), values.as_ref(), &[])?;
        let condition = match &legacy_condition {
            Some(l) => Some(l.bind()?),
            None => condition,
        };
        validate_item(&item)?;

        let slot = table.slot(&key);
        let result = {
            let mut current = lock(&slot);
            if holds(condition.as_ref(), current.as_ref()) {
                Ok(current.replace(item))
            } else {
                Err(condition_failed(all_old, current.as_ref()))
            }
        };
        table.release(&key, slot);
        Ok(PutItemOutput {
            attributes: result?.filter(|_| rv == ReturnValues::AllOld),
        })
    }

    /// `UpdateItem`: applies the update (creating the item when missing) if
    /// the condition holds.
    pub fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        self.update_item_unprefixed(input).map_err(write_prefix)
    }

    fn update_item_unprefixed(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        let rv = return_values(input.return_values.as_ref().map(|v| v.as_str()), true)?;
        let all_old = on_failure_all_old(
            input
                .return_values_on_condition_check_failure
                .as_ref()
                .map(|v| v.as_str()),
        )?;
        validate_table_name(&input.table_name)?;
        let expressions = [
            ("UpdateExpression", input.update_expression.is_some()),
            ("ConditionExpression", input.condition_expression.is_some()),
        ];
        legacy::check_mixing(
            &[
                ("AttributeUpdates", input.attribute_updates.is_some()),
                ("Expected", input.expected.is_some()),
                ("ConditionalOperator", input.conditional_operator.is_some()),
            ],
            &expressions,
        )?;
        let (names, values) = (
            input.expression_attribute_names.as_ref(),
            input.expression_attribute_values.as_ref(),
        );
        legacy::check_placeholders_need_expressions(
            names.is_some(),
            values.is_some(),
            &expressions,
        )?;
        let table = self.table(&input.table_name)?;
        let schema = &table.schema;
        let key = schema.key_of_map(&input.key)?;
        let legacy_condition = legacy::expected(
            input.expected.as_ref(),
            input.conditional_operator.as_ref().map(|v| v.as_str()),
        )?;
        let legacy_update = input
            .attribute_updates
            .as_ref()
            .map(legacy::attribute_updates)
            .transpose()?
            .flatten();
        let exprs = Expressions::parse(
            input.condition_expression.as_deref(),
            input.update_expression.as_deref(),
            names,
            values,
        )?;
        let (condition, update) = exprs.bind(names, values, &schema.names())?;
        // Mixing was rejected above: each comes from one generation at most.
        let update = match &legacy_update {
            Some(l) => Some(l.bind(&schema.names())?),
            None => update,
        };
        let condition = match &legacy_condition {
            Some(l) => Some(l.bind()?),
            None => condition,
        };
        let map_error = |e: Error| {
            if legacy_update.is_some() {
                legacy::map_update_error(e)
            } else {
                e
            }
        };

        let slot = table.slot(&key);
        let result = (|| {
            let mut current = lock(&slot);
            let old = current.as_ref();
            if !holds(condition.as_ref(), old) {
                return Err(condition_failed(all_old, old));
            }
            let new = updated_item(schema, &key, update.as_ref(), old).map_err(map_error)?;
            let attributes = match (rv, &update) {
                (ReturnValues::None, _) => None,
                (ReturnValues::AllOld, _) => old.cloned(),
                (ReturnValues::AllNew, _) => new.clone(),
                (ReturnValues::UpdatedOld, Some(u)) => old.map(|o| u.updated_attributes(o)),
                (ReturnValues::UpdatedNew, Some(u)) => {
                    new.as_ref().map(|n| u.updated_attributes(n))
                }
                (_, None) => None,
            };
            *current = new;
            Ok(attributes)
        })();
        table.release(&key, slot);
        Ok(UpdateItemOutput {
            attributes: result?.and_then(non_empty),
        })
    }

    /// `DeleteItem`: removes the item if the condition holds (a missing item
    /// is no error).
    pub fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        self.delete_item_unprefixed(input).map_err(write_prefix)
    }

    fn delete_item_unprefixed(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        let rv = return_values(input.return_values.as_ref().map(|v| v.as_str()), false)?;
        let all_old = on_failure_all_old(
            input
                .return_values_on_condition_check_failure
                .as_ref()
                .map(|v| v.as_str()),
        )?;
        validate_table_name(&input.table_name)?;
        let expressions = [("ConditionExpression", input.condition_expression.is_some())];
        legacy::check_mixing(
            &[
                ("Expected", input.expected.is_some()),
                ("ConditionalOperator", input.conditional_operator.is_some()),
            ],
            &expressions,
        )?;
        let (names, values) = (
            input.expression_attribute_names.as_ref(),
            input.expression_attribute_values.as_ref(),
        );
        legacy::check_placeholders_need_expressions(
            names.is_some(),
            values.is_some(),
            &expressions,
        )?;
        let table = self.table(&input.table_name)?;
        let key = table.schema.key_of_map(&input.key)?;
        let legacy_condition = legacy::expected(
            input.expected.as_ref(),
            input.conditional_operator.as_ref().map(|v| v.as_str()),
        )?;
        let exprs = Expressions::parse(input.condition_expression.as_deref(), None, names, values)?;
        let (condition, _) = exprs.bind(names, values, &[])?;
        let condition = match &legacy_condition {
            Some(l) => Some(l.bind()?),
            None => condition,
        };

        let Some(slot) = table.find_slot(&key) else {
            // No slot: no item, now or ever; only the condition can fail.
            return if holds(condition.as_ref(), None) {
                Ok(DeleteItemOutput::default())
            } else {
                Err(condition_failed(all_old, None))
            };
        };
        let result = {
            let mut current = lock(&slot);
            if holds(condition.as_ref(), current.as_ref()) {
                Ok(current.take())
            } else {
                Err(condition_failed(all_old, current.as_ref()))
            }
        };
        table.release(&key, slot);
        Ok(DeleteItemOutput {
            attributes: result?.filter(|_| rv == ReturnValues::AllOld),
        })
    }
}
