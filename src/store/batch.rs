//! `BatchGetItem` and `BatchWriteItem`: many independent reads or writes in
//! one call.
//!
//! Unlike a transaction, a batch is not atomic as a whole: each put, delete
//! or read is atomic on its own item. The whole request is validated first
//! (tables, keys, items, duplicates, counts), so a request with any invalid
//! entry changes nothing; then each write is made in request order. No
//! conditions are allowed in a batch.

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::api::{
    BatchGetItemInput, BatchGetItemOutput, BatchWriteItemInput, BatchWriteItemOutput,
    KeysAndAttributes, WriteRequest,
};
use crate::constraints::{self, present};
use crate::error::{Error, ShownValue};
use crate::store::capacity::{
    Consumed, Mirror, Read, Write as Pricing, metrics_of_writes, size_asked,
};
use crate::store::catalog::Store;
use crate::store::items::validate_key_values;
use crate::store::key::PrimaryKey;
use crate::store::pipeline::{Operation, Params, Request};
use crate::store::table::Table;
use crate::value::{Item, item_size, validate_item};

/// The most keys one `BatchGetItem` reads.
pub const MAX_BATCH_GET_KEYS: usize = 100;
/// The most writes one `BatchWriteItem` makes.
pub const MAX_BATCH_WRITES: usize = 25;
/// A `BatchGetItem` response stops growing at this many bytes of items;
/// the keys left are returned as `UnprocessedKeys`.
pub const MAX_BATCH_GET_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The per-table key count of BatchGetItem: a service check worded like a
/// constraint, printing no value and the member with capitals (spec
/// validation.md §3.5, M58).
fn key_count(name: &str, rule: &str) -> Error {
    Error::constraint(
        ShownValue::Hidden,
        format!("RequestItems.{name}.member.Keys"),
        format!("Member must have length {rule}"),
    )
}

fn duplicates() -> Error {
    Error::validation("Provided list of item keys contains duplicates")
}

/// One write of a validated batch.
enum Write {
    Put(PrimaryKey, Item),
    Delete(PrimaryKey),
}

impl Store {
    /// `BatchGetItem`: reads up to 100 items from one or more tables. Each
    /// read is consistent on its own; the batch is not a snapshot (use
    /// `TransactGetItems` for that).
    pub fn batch_get_item(&self, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        self.batch_get_item_skipping(input, &[])
    }

    /// `BatchGetItem` returning the keys at `skip` (indexes in request
    /// order, table after table) as `UnprocessedKeys` unread: a fault
    /// rule's `unprocessed` ([`crate::faults`]).
    pub(crate) fn batch_get_item_skipping(
        &self,
        input: BatchGetItemInput,
        skip: &[usize],
    ) -> Result<BatchGetItemOutput, Error> {
        constraints::check(&input)?;
        let request_items = present(input.request_items.as_ref(), "requestItems")?;
        if request_items.is_empty() {
            return Err(Error::validation(
                "The requestItems parameter is required for BatchGetItem",
            ));
        }
        let mut total = 0usize;
        for (name, request) in request_items {
            let keys = present(request.keys.as_ref(), "keys")?;
            if keys.is_empty() {
                return Err(key_count(name, "greater than or equal to 1"));
            }
            if keys.len() > MAX_BATCH_GET_KEYS {
                return Err(key_count(
                    name,
                    &format!("less than or equal to {MAX_BATCH_GET_KEYS}"),
                ));
            }
            total += keys.len();
        }

        // Everything that needs no table, for every table, before any lookup.
        let mut compiled = Vec::with_capacity(request_items.len());
        for request in request_items.values() {
            let keys = present(request.keys.as_ref(), "keys")?;
            let one = Request::new(
                Operation::Read,
                Params {
                    projection: request.projection_expression.as_deref(),
                    names: request.expression_attribute_names.as_ref(),
                    attributes_to_get: request.attributes_to_get.as_deref(),
                    ..Params::default()
                },
            )?
            .cached(self.expressions())
            .compile()?;
            one.bind()?;
            for key in keys {
                validate_key_values(key)?;
            }
            for (i, key) in keys.iter().enumerate() {
                if keys.iter().take(i).any(|k| k == key) {
                    return Err(duplicates());
                }
            }
            compiled.push(one);
        }
        if total > MAX_BATCH_GET_KEYS {
            return Err(Error::validation(
                "Too many items requested for the BatchGetItem call",
            ));
        }
        let tables = self.tables_at_once(request_items.keys().map(String::as_str))?;
        let mut plans = Vec::with_capacity(request_items.len());
        for (((name, request), table), compiled) in request_items.iter().zip(tables).zip(&compiled)
        {
            let mut bound = compiled.bind()?;
            bound.check_schema(table.schema())?;
            let raw = present(request.keys.as_ref(), "keys")?;
            let mut keys = Vec::with_capacity(raw.len());
            for key in raw {
                keys.push(table.schema().key_of_map(key)?);
            }
            plans.push((name, request, raw, table, bound.projection, keys));
        }

        let mut output = BatchGetItemOutput::default();
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let mut bytes = 0usize;
        let mut index = 0usize;
        for (name, request, raw, table, projection, keys) in &plans {
            let found = output.responses.entry((*name).clone()).or_default();
            let read = Read::of(request.consistent_read);
            for (key, raw) in keys.iter().zip(raw.iter()) {
                index += 1;
                if bytes >= MAX_BATCH_GET_RESPONSE_BYTES || skip.contains(&(index - 1)) {
                    unprocessed(&mut output.unprocessed_keys, name, request, raw);
                    continue;
                }
                let item = table.get(key);
                consumed.read_item(table.name(), item.as_ref(), read);
                let Some(item) = item else {
                    continue;
                };
                let item = match projection {
                    Some(p) => p.project(&item),
                    None => item,
                };
                bytes += item_size(&item);
                found.push(item);
            }
        }
        output.consumed_capacity = consumed.per_table();
        Ok(output)
    }

    /// `BatchWriteItem`: up to 25 unconditional puts and deletes over one or
    /// more tables. Every entry is validated before any write is made; each
    /// write is then atomic on its own item, and waits for a transaction that
    /// holds its item instead of failing (DynamoDB documents no transaction
    /// conflict for BatchWriteItem).
    pub fn batch_write_item(
        &self,
        input: BatchWriteItemInput,
    ) -> Result<BatchWriteItemOutput, Error> {
        self.batch_write_item_skipping(input, &[])
    }

    /// `BatchWriteItem` returning the writes at `skip` (indexes in request
    /// order, table after table) as `UnprocessedItems` unmade, once the
    /// whole request is validated: a fault rule's `unprocessed`
    /// ([`crate::faults`]).
    pub(crate) fn batch_write_item_skipping(
        &self,
        input: BatchWriteItemInput,
        skip: &[usize],
    ) -> Result<BatchWriteItemOutput, Error> {
        constraints::check(&input)?;
        let Some(request_items) = input.request_items else {
            return Err(Error::Internal("requestItems was not checked".into()));
        };
        if request_items.is_empty() {
            return Err(Error::validation(
                "The requestItems parameter is required for BatchWriteItem",
            ));
        }
        let mut total = 0usize;
        for writes in request_items.values() {
            for write in writes {
                match (&write.put_request, &write.delete_request) {
                    (Some(put), None) => validate_item(present(put.item.as_ref(), "item")?)?,
                    (None, Some(delete)) => {
                        validate_key_values(present(delete.key.as_ref(), "key")?)?;
                    }
                    _ => {
                        return Err(Error::validation(
                            "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest",
                        ));
                    }
                }
            }
            // Two deletes of one key map are duplicates whatever the table's
            // schema; puts need it (checked after the lookup).
            let deletes: Vec<&Item> = writes
                .iter()
                .filter_map(|w| w.delete_request.as_ref()?.key.as_ref())
                .collect();
            for (i, key) in deletes.iter().enumerate() {
                if deletes.iter().take(i).any(|k| k == key) {
                    return Err(duplicates());
                }
            }
            total += writes.len();
        }
        if total > MAX_BATCH_WRITES {
            return Err(Error::validation(
                "Too many items requested for the BatchWriteItem call",
            ));
        }
        let tables = self.tables_at_once(request_items.keys().map(String::as_str))?;

        let mut plans: Vec<(std::sync::Arc<Table>, Vec<Write>)> = Vec::new();
        let mut unprocessed_items = IndexMap::new();
        let mut index = 0usize;
        // The request is owned: its items move into the plan, uncopied.
        for (writes, table) in request_items.into_values().zip(tables) {
            let mut seen = HashSet::with_capacity(writes.len());
            let mut planned = Vec::with_capacity(writes.len());
            for write in writes {
                index += 1;
                let skipped = skip.contains(&(index - 1)).then(|| write.clone());
                let write = plan_write(&table, write)?;
                let key = match &write {
                    Write::Put(key, _) | Write::Delete(key) => key,
                };
                if !seen.insert(key.clone()) {
                    return Err(duplicates());
                }
                match skipped {
                    Some(original) => unprocessed_items
                        .entry(table.name().to_owned())
                        .or_insert_with(Vec::new)
                        .push(original),
                    None => planned.push(write),
                }
            }
            plans.push((table, planned));
        }

        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let metrics = input.return_item_collection_metrics.as_ref();
        // The items written, kept only for ItemCollectionMetrics.
        let mut written = Vec::new();
        for (table, writes) in plans {
            let name = table.name();
            for write in writes {
                let key = match write {
                    Write::Put(key, item) => {
                        {
                            let slot = table.slot(&key);
                            let mut current = slot.lock_waiting();
                            // Not atomic, as in DynamoDB: the writes before
                            // this one stay.
                            table.check_collection(&key, current.get(), Some(&item))?;
                            consumed.write_indexed(
                                &table,
                                current.get(),
                                Some(&item),
                                Pricing::Standard,
                            );
                            current.write(Some(item))?;
                        }
                        key
                    }
                    Write::Delete(key) => {
                        match table.find_slot(&key) {
                            Some(slot) => {
                                let mut current = slot.lock_waiting();
                                consumed.write_indexed(
                                    &table,
                                    current.get(),
                                    None,
                                    Pricing::Standard,
                                );
                                current.write(None)?;
                            }
                            None => consumed.write_item(name, None, None, Pricing::Standard),
                        }
                        key
                    }
                };
                if size_asked(metrics) {
                    written.push((table.clone(), key));
                }
            }
        }
        Ok(BatchWriteItemOutput {
            unprocessed_items,
            consumed_capacity: consumed.per_table(),
            item_collection_metrics: metrics_of_writes(
                metrics,
                written.iter().map(|(table, key)| (&**table, key)),
            ),
        })
    }
}

/// A checked write request (exactly one of put and delete, values valid)
/// against its table's key schema.
fn plan_write(table: &Table, write: WriteRequest) -> Result<Write, Error> {
    match (write.put_request, write.delete_request) {
        (Some(put), None) => {
            let item = put
                .item
                .ok_or_else(|| Error::Internal("item was not checked".into()))?;
            let key = table.schema().key_of_item(&item)?;
            table.check_index_keys(&item, None)?;
            Ok(Write::Put(key, item))
        }
        (None, Some(delete)) => {
            let key = present(delete.key.as_ref(), "key")?;
            Ok(Write::Delete(table.schema().key_of_map(key)?))
        }
        _ => Err(Error::Internal("write request was not checked".into())),
    }
}

fn unprocessed(
    into: &mut IndexMap<String, KeysAndAttributes>,
    name: &str,
    request: &KeysAndAttributes,
    key: &Item,
) {
    into.entry(name.to_owned())
        .or_insert_with(|| KeysAndAttributes {
            keys: Some(Vec::new()),
            ..request.clone()
        })
        .keys
        .get_or_insert_with(Vec::new)
        .push(key.clone());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire;

    fn store() -> Store {
        let store = Store::new();
        for name in ["one", "two"] {
            store
                .create_table(
                    wire::from_str(&format!(
                        r#"{{"TableName": "{name}",
                        "KeySchema": [{{"AttributeName": "p", "KeyType": "HASH"}}],
                        "AttributeDefinitions": [{{"AttributeName": "p", "AttributeType": "S"}}]}}"#
                    ))
                    .unwrap(),
                )
                .unwrap();
        }
        store
    }

    fn item(json: &str) -> Item {
        wire::item_from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn writes_then_reads_across_tables() {
        let store = store();
        let input = BatchWriteItemInput::new()
            .with_put("one", item(r#"{"p": {"S": "a"}, "v": {"N": "1"}}"#))
            .with_put("two", item(r#"{"p": {"S": "b"}, "v": {"N": "2"}}"#));
        store.batch_write_item(input).unwrap();
        let got = store
            .batch_get_item(
                BatchGetItemInput::new()
                    .with_keys(
                        "one",
                        [item(r#"{"p": {"S": "a"}}"#), item(r#"{"p": {"S": "x"}}"#)],
                    )
                    .with_keys("two", [item(r#"{"p": {"S": "b"}}"#)]),
            )
            .unwrap();
        assert_eq!(got.responses["one"].len(), 1);
        assert_eq!(
            got.responses["two"][0]["v"],
            item(r#"{"v": {"N": "2"}}"#)["v"]
        );
        assert!(got.unprocessed_keys.is_empty());
        store
            .batch_write_item(
                BatchWriteItemInput::new().with_delete("one", item(r#"{"p": {"S": "a"}}"#)),
            )
            .unwrap();
        assert_eq!(store.table("one").unwrap().item_count(), 0);
    }

    #[test]
    fn an_invalid_entry_writes_nothing() {
        let store = store();
        let input = BatchWriteItemInput::new()
            .with_put("one", item(r#"{"p": {"S": "a"}}"#))
            .with_put("one", item(r#"{"q": {"S": "b"}}"#));
        assert!(store.batch_write_item(input).is_err());
        assert_eq!(store.table("one").unwrap().item_count(), 0);
        let dup = BatchWriteItemInput::new()
            .with_put("one", item(r#"{"p": {"S": "a"}}"#))
            .with_delete("one", item(r#"{"p": {"S": "a"}}"#));
        assert_eq!(
            store.batch_write_item(dup).unwrap_err().message(),
            "Provided list of item keys contains duplicates"
        );
        assert_eq!(store.table("one").unwrap().item_count(), 0);
    }

    #[test]
    fn attributes_to_get_projects_batch_reads() {
        let store = store();
        store
            .batch_write_item(BatchWriteItemInput::new().with_put(
                "one",
                item(r#"{"p": {"S": "a"}, "v": {"N": "1"}, "w": {"N": "2"}}"#),
            ))
            .unwrap();
        let mut input = BatchGetItemInput::new().with_keys("one", [item(r#"{"p": {"S": "a"}}"#)]);
        input.request_items.as_mut().unwrap()["one"].attributes_to_get =
            Some(vec!["w".into(), "x.y".into()]);
        let got = store.batch_get_item(input.clone()).unwrap();
        assert_eq!(got.responses["one"], [item(r#"{"w": {"N": "2"}}"#)]);
        input.request_items.as_mut().unwrap()["one"].projection_expression = Some("v".into());
        let mixed = store.batch_get_item(input).unwrap_err();
        assert!(
            mixed
                .message()
                .starts_with("Can not use both expression and non-expression parameters")
        );
    }

    #[test]
    fn counts_are_limited() {
        let store = store();
        let keys = |n: usize| (0..n).map(|i| item(&format!(r#"{{"p": {{"S": "k{i}"}}}}"#)));
        let ok = BatchGetItemInput::new()
            .with_keys("one", keys(60))
            .with_keys("two", keys(40));
        assert!(store.batch_get_item(ok).is_ok());
        let many = BatchGetItemInput::new()
            .with_keys("one", keys(60))
            .with_keys("two", keys(41));
        assert_eq!(
            store.batch_get_item(many).unwrap_err().message(),
            "Too many items requested for the BatchGetItem call"
        );
        let mut writes = BatchWriteItemInput::new();
        for k in keys(26) {
            writes = writes.with_delete(
                if k["p"] == item(r#"{"p": {"S": "k0"}}"#)["p"] {
                    "two"
                } else {
                    "one"
                },
                k,
            );
        }
        assert_eq!(
            store.batch_write_item(writes).unwrap_err().message(),
            "Too many items requested for the BatchWriteItem call"
        );
    }
}
