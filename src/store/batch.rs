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
use crate::error::{Error, ShownValue};
use crate::store::catalog::Store;
use crate::store::key::PrimaryKey;
use crate::store::pipeline::{Operation, Params, Request};
use crate::store::table::{Table, validate_table_name};
use crate::value::{Item, item_size, validate_item};

/// The most keys one `BatchGetItem` reads.
pub const MAX_BATCH_GET_KEYS: usize = 100;
/// The most writes one `BatchWriteItem` makes.
pub const MAX_BATCH_WRITES: usize = 25;
/// A `BatchGetItem` response stops growing at this many bytes of items;
/// the keys left are returned as `UnprocessedKeys`.
pub const MAX_BATCH_GET_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

fn at_least_one(path: &str, shown: &str) -> Error {
    Error::constraint(
        shown,
        path,
        "Member must have length greater than or equal to 1",
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
        if input.request_items.is_empty() {
            return Err(at_least_one("requestItems", "{}"));
        }
        let mut total = 0usize;
        for (name, request) in &input.request_items {
            validate_table_name(name)?;
            if request.keys.is_empty() {
                return Err(at_least_one(
                    &format!("requestItems.{name}.member.keys"),
                    "[]",
                ));
            }
            if request.keys.len() > MAX_BATCH_GET_KEYS {
                return Err(Error::constraint(
                    ShownValue::Hidden,
                    format!("requestItems.{name}.member.keys"),
                    format!("Member must have length less than or equal to {MAX_BATCH_GET_KEYS}"),
                ));
            }
            total += request.keys.len();
        }
        if total > MAX_BATCH_GET_KEYS {
            return Err(Error::validation(
                "Too many items requested for the BatchGetItem call",
            ));
        }

        // Validate every table's keys and projection before reading.
        let mut plans = Vec::with_capacity(input.request_items.len());
        for (name, request) in &input.request_items {
            let table = self.table(name)?;
            let compiled = Request::new(
                Operation::Read,
                Params {
                    projection: request.projection_expression.as_deref(),
                    names: request.expression_attribute_names.as_ref(),
                    attributes_to_get: request.attributes_to_get.as_deref(),
                    ..Params::default()
                },
            )?
            .compile()?;
            // Bound again below; binding checks the projection before any read.
            compiled.bind(table.schema())?;
            let mut seen = HashSet::with_capacity(request.keys.len());
            let mut keys = Vec::with_capacity(request.keys.len());
            for key in &request.keys {
                let key = table.schema().key_of_map(key)?;
                if !seen.insert(key.clone()) {
                    return Err(duplicates());
                }
                keys.push(key);
            }
            plans.push((name, request, table, compiled, keys));
        }

        let mut output = BatchGetItemOutput::default();
        let mut bytes = 0usize;
        for (name, request, table, compiled, keys) in &plans {
            let bound = compiled.bind(table.schema())?.projection;
            let found = output.responses.entry((*name).clone()).or_default();
            for (key, raw) in keys.iter().zip(&request.keys) {
                if bytes >= MAX_BATCH_GET_RESPONSE_BYTES {
                    unprocessed(&mut output.unprocessed_keys, name, request, raw);
                    continue;
                }
                let Some(item) = table.get(key) else {
                    continue;
                };
                let item = match &bound {
                    Some(p) => p.project(&item),
                    None => item,
                };
                bytes += item_size(&item);
                found.push(item);
            }
        }
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
        if input.request_items.is_empty() {
            return Err(at_least_one("requestItems", "{}"));
        }
        let mut total = 0usize;
        for (name, writes) in &input.request_items {
            validate_table_name(name)?;
            if writes.is_empty() || writes.len() > MAX_BATCH_WRITES {
                return Err(Error::constraint(
                    ShownValue::Hidden,
                    "requestItems",
                    format!(
                        "Map value must satisfy constraint: [Member must have length less than or equal to {MAX_BATCH_WRITES}, Member must have length greater than or equal to 1]"
                    ),
                ));
            }
            total += writes.len();
        }
        if total > MAX_BATCH_WRITES {
            return Err(Error::validation(
                "Too many items requested for the BatchWriteItem call",
            ));
        }

        let mut plans: Vec<(std::sync::Arc<Table>, Vec<Write>)> = Vec::new();
        // The request is owned: its items move into the plan, uncopied.
        for (name, writes) in input.request_items {
            let table = self.table(&name)?;
            let mut seen = HashSet::with_capacity(writes.len());
            let mut planned = Vec::with_capacity(writes.len());
            for write in writes {
                let write = plan_write(&table, write)?;
                let key = match &write {
                    Write::Put(key, _) | Write::Delete(key) => key,
                };
                if !seen.insert(key.clone()) {
                    return Err(duplicates());
                }
                planned.push(write);
            }
            plans.push((table, planned));
        }

        for (table, writes) in plans {
            for write in writes {
                match write {
                    Write::Put(key, item) => {
                        table.slot(&key).lock_waiting().replace(Some(item));
                    }
                    Write::Delete(key) => {
                        if let Some(slot) = table.find_slot(&key) {
                            slot.lock_waiting().replace(None);
                        }
                    }
                }
            }
        }
        Ok(BatchWriteItemOutput::default())
    }
}

fn plan_write(table: &Table, write: WriteRequest) -> Result<Write, Error> {
    match (write.put_request, write.delete_request) {
        (Some(put), None) => {
            let key = table.schema().key_of_item(&put.item)?;
            validate_item(&put.item)?;
            Ok(Write::Put(key, put.item))
        }
        (None, Some(delete)) => Ok(Write::Delete(table.schema().key_of_map(&delete.key)?)),
        _ => Err(Error::validation(
            "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest",
        )),
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
            keys: Vec::new(),
            ..request.clone()
        })
        .keys
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
        input.request_items["one"].attributes_to_get = Some(vec!["w".into(), "x.y".into()]);
        let got = store.batch_get_item(input.clone()).unwrap();
        assert_eq!(got.responses["one"], [item(r#"{"w": {"N": "2"}}"#)]);
        input.request_items["one"].projection_expression = Some("v".into());
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
