//! The request pipeline shared by every operation.

use crate::condition::{BoundCondition, ConditionExpression};
use crate::error::Error;
use crate::parser::error::ExpressionKind;
use crate::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, References, check_all_used, validate_maps,
    validate_value_contents,
};
use crate::projection::ProjectionExpression;
use crate::store::key::{KeySchema, PrimaryKey};
use crate::update::{BoundUpdate, UpdateExpression, validate_updated_item};
use crate::value::Item;

// ---------------------------------------------------------------------------
// Request checks shared by the item operations and transactions

/// DynamoDB's prefix on validation messages of the single-item writes.
pub const WRITE_PREFIX: &str = "1 validation error detected: ";

/// Puts [`WRITE_PREFIX`] in front of a ValidationException's message (once).
pub(crate) fn write_prefix(error: Error) -> Error {
    match error {
        Error::Validation(m) if !m.starts_with(WRITE_PREFIX) => {
            Error::Validation(format!("{WRITE_PREFIX}{m}"))
        }
        other => other,
    }
}

/// What `ReturnValues` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReturnValues {
    None,
    AllOld,
    UpdatedOld,
    AllNew,
    UpdatedNew,
}

/// Checks `ReturnValues`: first against the enum, then against what the
/// operation allows (`updates`: UpdateItem allows every member).
pub(crate) fn return_values(value: Option<&str>, updates: bool) -> Result<ReturnValues, Error> {
    let parsed = match value {
        None | Some("NONE") => ReturnValues::None,
        Some("ALL_OLD") => ReturnValues::AllOld,
        Some("UPDATED_OLD") => ReturnValues::UpdatedOld,
        Some("ALL_NEW") => ReturnValues::AllNew,
        Some("UPDATED_NEW") => ReturnValues::UpdatedNew,
        Some(other) => {
            return Err(Error::validation(format!(
                "1 validation error detected: Value '{other}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
            )));
        }
    };
    if !updates && !matches!(parsed, ReturnValues::None | ReturnValues::AllOld) {
        return Err(Error::validation(
            "ReturnValues can only be ALL_OLD or NONE",
        ));
    }
    Ok(parsed)
}

/// Checks `ReturnValuesOnConditionCheckFailure`; true for `ALL_OLD`.
pub(crate) fn on_failure_all_old(value: Option<&str>) -> Result<bool, Error> {
    match value {
        None | Some("NONE") => Ok(false),
        Some("ALL_OLD") => Ok(true),
        Some(other) => Err(Error::validation(format!(
            "1 validation error detected: Value '{other}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"
        ))),
    }
}

/// The parsed expressions of one write request (or transaction action).
#[derive(Debug, Clone, Default)]
pub(crate) struct Expressions {
    pub(crate) condition: Option<ConditionExpression>,
    pub(crate) update: Option<UpdateExpression>,
}

/// The bound expressions of one request.
pub(crate) type Bound<'a> = (Option<BoundCondition<'a>>, Option<BoundUpdate<'a>>);

impl Expressions {
    /// Checks the placeholder maps and parses the expressions.
    pub(crate) fn parse(
        condition: Option<&str>,
        update: Option<&str>,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<Self, Error> {
        if condition.is_none() && update.is_none() {
            if names.is_some() {
                return Err(Error::validation(
                    "ExpressionAttributeNames can only be specified when using expressions",
                ));
            }
            if values.is_some() {
                return Err(Error::validation(
                    "ExpressionAttributeValues can only be specified when using expressions",
                ));
            }
        }
        validate_maps(names, values)?;
        let update = update
            .map(|text| UpdateExpression::parse_in_request(text, names, values))
            .transpose()?;
        let condition = condition
            .map(|text| {
                ConditionExpression::parse_in_request(
                    text,
                    ExpressionKind::Condition,
                    names,
                    values,
                )
            })
            .transpose()?;
        Ok(Expressions { condition, update })
    }

    /// Binds the expressions and rejects unused placeholder entries.
    pub(crate) fn bind<'a>(
        &'a self,
        names: Option<&'a ExpressionAttributeNames>,
        values: Option<&'a ExpressionAttributeValues>,
        key_names: &[&str],
    ) -> Result<Bound<'a>, Error> {
        let update = self
            .update
            .as_ref()
            .map(|u| u.bind(names, values, key_names))
            .transpose()?;
        let condition = self
            .condition
            .as_ref()
            .map(|c| c.bind(names, values))
            .transpose()?;
        // Values are checked after the static checks (spec §12.1).
        if let Some(values) = values {
            validate_value_contents(values)?;
        }
        let refs: Vec<References> = self
            .update
            .iter()
            .map(UpdateExpression::references)
            .chain(self.condition.iter().map(ConditionExpression::references))
            .collect();
        check_all_used(names, values, &refs.iter().collect::<Vec<_>>())?;
        Ok((condition, update))
    }
}

/// Parses and binds a ProjectionExpression with its names (GetItem, Get).
pub(crate) fn projection(
    text: Option<&str>,
    names: Option<&ExpressionAttributeNames>,
) -> Result<Option<ProjectionExpression>, Error> {
    let Some(text) = text else {
        if names.is_some() {
            return Err(Error::validation(
                "ExpressionAttributeNames can only be specified when using expressions",
            ));
        }
        return Ok(None);
    };
    validate_maps(names, None)?;
    let parsed = ProjectionExpression::parse(text)?;
    parsed.bind(names)?;
    check_all_used(names, None, &[&parsed.references()])?;
    Ok(Some(parsed))
}

/// True when the condition (if any) holds for the item (`None`: no item).
pub(crate) fn holds(condition: Option<&BoundCondition<'_>>, item: Option<&Item>) -> bool {
    match (condition, item) {
        (None, _) => true,
        (Some(c), Some(item)) => c.evaluate(item),
        (Some(c), None) => c.evaluate(&Item::new()),
    }
}

/// DynamoDB's message for a failed condition.
pub const CONDITION_FAILED: &str = "The conditional request failed";

pub(crate) fn condition_failed(all_old: bool, old: Option<&Item>) -> Error {
    Error::ConditionalCheckFailed {
        message: CONDITION_FAILED.into(),
        item: if all_old {
            old.map(|i| Box::new(i.clone()))
        } else {
            None
        },
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

pub(crate) fn non_empty(item: Item) -> Option<Item> {
    (!item.is_empty()).then_some(item)
}
