//! The expression playground behind `POST /dynacond/explain`
//! ([`crate::control`]): a condition (and an update) run against an item
//! given in the call or read from a table, explained, and never written.
//!
//! The call's members are checked as UpdateItem checks its own (the
//! constraint layer when a table is named, the request pipeline, the
//! item's and key's values, the key schema), so a bad expression or value
//! gets the ValidationException and message DynamoDB would send.

use serde::Deserialize;
use serde_json::json;

use crate::api::UpdateItemInput;
use crate::constraints;
use crate::error::Error;
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::store::catalog::Store;
use crate::store::items::{updated_item, validate_key_values};
use crate::update::validate_updated_item;
use crate::value::{Item, validate_item};

/// The playground call's body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct PlaygroundInput {
    item: Option<Item>,
    table_name: Option<String>,
    key: Option<Item>,
    condition_expression: Option<String>,
    update_expression: Option<String>,
    expression_attribute_names: Option<ExpressionAttributeNames>,
    #[serde(deserialize_with = "crate::api::values")]
    expression_attribute_values: Option<ExpressionAttributeValues>,
}

impl Store {
    /// Whether failed conditions carry explanations
    /// ([`crate::StoreBuilder::explain`]).
    pub(crate) fn explains(&self) -> bool {
        self.inner.explain
    }

    /// Answers the playground call: `{"result", "tree", "text", "newItem"}`
    /// (see [`crate::control`]). Reads at most one item; writes nothing.
    pub(crate) fn explain_playground(&self, body: &[u8]) -> Result<serde_json::Value, Error> {
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') {
            return Err(Error::serialization(
                "Start of structure or map found where not expected",
            ));
        }
        let (input, content_error) = crate::wire::from_slice_deferred::<PlaygroundInput>(body)?;
        let PlaygroundInput {
            item,
            table_name,
            key,
            condition_expression,
            update_expression,
            expression_attribute_names,
            expression_attribute_values,
        } = input;
        let named = table_name.is_some();
        let request_input = UpdateItemInput {
            table_name,
            key,
            update_expression,
            condition_expression,
            expression_attribute_names,
            expression_attribute_values,
            ..UpdateItemInput::default()
        };
        if named {
            constraints::check(&request_input)?;
        }
        let request = request_input.request()?.cached(self.expressions());
        if let Some(e) = content_error {
            return Err(e);
        }
        if let Some(item) = &item {
            validate_item(item)?;
        }
        if let Some(key) = &request_input.key {
            validate_key_values(key)?;
        }
        let compiled = request.compile()?;
        let mut bound = compiled.bind()?;
        let table = request_input
            .table_name
            .as_deref()
            .map(|name| self.table(name))
            .transpose()?;
        // The item as it is, and its key when a table is named.
        let (old, key) = match &table {
            Some(table) => {
                bound.check_schema(&table.schema)?;
                bound.check_index_keys(&table.index_key_names())?;
                let key = match (&item, &request_input.key) {
                    (Some(item), _) => table.schema.key_of_item(item)?,
                    (None, Some(key)) => table.schema.key_of_map(key)?,
                    (None, None) => return Err(Error::validation(NEEDS_ITEM)),
                };
                let old = match item {
                    Some(item) => Some(item),
                    None => table.get(&key),
                };
                (old, Some(key))
            }
            None => match item {
                Some(item) => (Some(item), None),
                None => return Err(Error::validation(NEEDS_ITEM)),
            },
        };

        let empty = Item::new();
        let explanation = bound
            .condition
            .as_ref()
            .map(|c| c.explain(old.as_ref().unwrap_or(&empty)));
        let passed = explanation.as_ref().is_none_or(|e| e.result);
        let new_item = match (&bound.update, passed, &table, &key) {
            (Some(update), true, Some(table), Some(key)) => {
                updated_item(&table.schema, key, Some(update), old.as_ref())?
            }
            (Some(update), true, _, _) => {
                let mut new = old.clone().unwrap_or_default();
                update.apply_in_place(&mut new)?;
                validate_updated_item(&new)?;
                Some(new)
            }
            _ => None,
        };
        Ok(json!({
            "result": explanation.as_ref().map(|e| e.result),
            "tree": explanation.as_ref().map(|e| serde_json::to_value(&e.tree).unwrap_or_default()),
            "text": explanation.as_ref().map(ToString::to_string).unwrap_or_default(),
            "newItem": new_item,
        }))
    }
}

/// The playground's message for a call with neither an item nor a key.
const NEEDS_ITEM: &str = "The explain call needs an Item, or a TableName and a Key";
