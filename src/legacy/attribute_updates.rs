//! `AttributeUpdates` (UpdateItem), translated into an update tree.

use crate::ast::{
    AddAction, DeleteAction, SetAction, SetValue, Span, UpdateClause, UpdateOperand, UpdateTree,
};
use crate::error::Error;
use crate::update::UpdateExpression;
use crate::value::{AttributeValue, ValueType, validate_attribute_name};

use super::{AttributeUpdatesMap, Builder, LegacyUpdate, enum_error, invalid};

/// Translates `AttributeUpdates` (UpdateItem) into an update, checking each
/// entry with DynamoDB's messages. `Ok(None)` for an empty map, which
/// UpdateItem treats as "no change" (a missing item is still created with
/// its key).
///
/// * `PUT` (the default) with a value: `SET #a = :v`;
/// * `DELETE` without a value: `REMOVE #a`; with a set: `DELETE #a :v`;
/// * `ADD` of a number or set: `ADD #a :v`; of a list:
///   `SET #a = list_append(if_not_exists(#a, :empty), :v)` (legacy `ADD`
///   appends to lists, expression `ADD` refuses them).
pub fn attribute_updates(updates: &AttributeUpdatesMap) -> Result<Option<LegacyUpdate>, Error> {
    let mut b = Builder::default();
    let update = attribute_updates_tree(&mut b, updates)?;
    Ok(update.map(|update| LegacyUpdate {
        expression: UpdateExpression::from_ast(update),
        names: b.names,
        values: b.values,
    }))
}

/// [`attribute_updates`] with the request's shared placeholder builder.
pub(crate) fn attribute_updates_tree(
    b: &mut Builder,
    updates: &AttributeUpdatesMap,
) -> Result<Option<UpdateTree>, Error> {
    let (mut set, mut remove, mut add, mut delete) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (name, update) in updates {
        validate_attribute_name(name)?;
        let action = update
            .action
            .as_ref()
            .map_or("PUT", |action| action.as_str());
        if !matches!(action, "PUT" | "ADD" | "DELETE") {
            return Err(enum_error(
                action,
                &format!("attributeUpdates.{name}.member.action"),
                "ADD, PUT, DELETE",
            ));
        }
        if let Some(v) = &update.value {
            v.validate()?;
        }
        let path = b.path(name);
        match (action, &update.value) {
            ("DELETE", None) => remove.push(path),
            (_, None) => {
                return Err(invalid(
                    "Only DELETE action is allowed when no attribute value is specified",
                ));
            }
            ("PUT", Some(v)) => set.push(SetAction {
                path,
                value: SetValue::Operand(UpdateOperand::Value(b.value_ref(v))),
            }),
            ("DELETE", Some(v)) => {
                if !v.value_type().is_set() {
                    return Err(invalid(format_args!(
                        "DELETE action with value is not supported for the type {}",
                        v.value_type()
                    )));
                }
                delete.push(DeleteAction {
                    path,
                    value: b.value_ref(v),
                });
            }
            (_, Some(v)) => match v.value_type() {
                ValueType::N | ValueType::Ss | ValueType::Ns | ValueType::Bs => {
                    add.push(AddAction {
                        path,
                        value: b.value_ref(v),
                    })
                }
                ValueType::L => {
                    let empty = b.value_ref(&AttributeValue::L(Vec::new()));
                    let appended = b.value_ref(v);
                    set.push(SetAction {
                        path: path.clone(),
                        value: SetValue::Operand(UpdateOperand::ListAppend {
                            first: Box::new(UpdateOperand::IfNotExists {
                                path,
                                default: Box::new(UpdateOperand::Value(empty)),
                                span: Span::default(),
                            }),
                            second: Box::new(UpdateOperand::Value(appended)),
                            span: Span::default(),
                        }),
                    });
                }
                other => {
                    return Err(invalid(format_args!(
                        "ADD action is not supported for the type {other}"
                    )));
                }
            },
        }
    }
    let mut clauses = Vec::new();
    if !set.is_empty() {
        clauses.push(UpdateClause::Set(set));
    }
    if !remove.is_empty() {
        clauses.push(UpdateClause::Remove(remove));
    }
    if !add.is_empty() {
        clauses.push(UpdateClause::Add(add));
    }
    if !delete.is_empty() {
        clauses.push(UpdateClause::Delete(delete));
    }
    if clauses.is_empty() {
        return Ok(None);
    }
    Ok(Some(UpdateTree { clauses }))
}
