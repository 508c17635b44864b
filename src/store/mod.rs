//! The in-memory store: tables, keys and single-item operations.
//!
//! # Design
//!
//! * [`Store`] is a handle (`Arc` inside): cloning it is cheap and every clone
//!   sees the same tables. It is `Send + Sync`.
//! * The table map sits behind an `RwLock` that is held only to look up,
//!   create or delete a table, never while an item operation runs.
//! * A [`Table`] keeps its items in a `BTreeMap` from [`PrimaryKey`] to a slot,
//!   `Arc<Mutex<Option<Item>>>`. A [`PrimaryKey`] holds the typed key values
//!   (partition, then sort): `S` orders by UTF-8 bytes, `B` as unsigned bytes,
//!   `N` numerically, and numbers equal across spellings (`1000`, `1E+3`) are
//!   one key, since [`Number`](crate::Number)'s representation is normalised. (The design
//!   brief proposed an order-preserving byte encoding; the typed key gives the
//!   same order and equality with no encoding to get wrong.)
//! * A single-item operation takes the map's read lock just long enough to
//!   find its slot (or the write lock briefly to insert an empty slot),
//!   releases it, then locks only that item's mutex while it evaluates and
//!   writes. Operations on different items never wait for each other. A slot
//!   reads `None` when no item exists; a slot left empty (a delete, a failed
//!   write, a transactional read of an absent key) is removed again when
//!   nobody else holds it, so the map does not grow with absent keys.
//! * Writes are two-phase: everything that can fail (key checks, expressions,
//!   the condition, the update, size limits) runs first and produces the new
//!   item; the last step is an assignment that cannot fail. A panic while a
//!   slot is locked therefore leaves the old value, and poisoned locks are
//!   recovered (`PoisonError::into_inner`), so one caller's panic never breaks
//!   the store for the others.
//! * Transactions ([`crate::store::transaction`]) lock every item they touch in
//!   ascending (table name, key) order, so they cannot deadlock; single-item
//!   operations on an item held by a transaction wait for it (DynamoDB would
//!   answer `TransactionConflictException`; waiting is also serializable).
//!
//! # Messages
//!
//! Validation messages of the single-item writes (PutItem, UpdateItem,
//! DeleteItem) carry DynamoDB's `1 validation error detected: ` prefix (spec
//! §0.2); reads, table operations and transactions send the bare message.

pub mod batch;
pub mod query;
pub mod transaction;

mod items;
mod key;
mod key_condition;
mod pipeline;
mod range;
pub(crate) mod table;
mod tokens;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::api::{
    CreateTableInput, CreateTableOutput, DeleteTableInput, DeleteTableOutput, DescribeTableInput,
    DescribeTableOutput, ListTablesInput, ListTablesOutput,
};
use crate::error::Error;

pub use items::CONDITION_FAILED;
pub use key::{
    KeyAttribute, KeySchema, KeyValue, MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES, PrimaryKey,
    ScalarType,
};
pub use pipeline::WRITE_PREFIX;
pub(crate) use table::{Slot, lock, read};
pub use table::{Table, validate_table_name};
use table::{billing_from, schema_from, write};

#[derive(Debug, Default)]
pub(crate) struct StoreInner {
    tables: RwLock<HashMap<String, Arc<Table>>>,
    pub(crate) tokens: tokens::TokenCache,
}

/// Tables with more items than this are freed on a thread of their own
/// when deleted.
const BACKGROUND_DROP_ITEMS: u64 = 10_000;

/// An in-memory DynamoDB: tables of items with DynamoDB's conditional-write
/// and transaction semantics. Cloning gives another handle to the same data.
///
/// ```
/// use dynacond::api::*;
/// use dynacond::{Store, wire};
///
/// let store = Store::new();
/// store.create_table(wire::from_str(r#"{"TableName": "users",
///     "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
///     "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#)?)?;
/// assert_eq!(store.list_tables(ListTablesInput::default())?.table_names, ["users"]);
/// # Ok::<(), dynacond::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Store {
    pub(crate) inner: Arc<StoreInner>,
}

fn requested_not_found() -> Error {
    Error::ResourceNotFound("Requested resource not found".into())
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store::default()
    }

    /// The table of this name: a ValidationException for a name no table
    /// can have, `ResourceNotFoundException` when there is none.
    pub fn table(&self, name: &str) -> Result<Arc<Table>, Error> {
        validate_table_name(name)?;
        read(&self.inner.tables)
            .get(name)
            .cloned()
            .ok_or_else(requested_not_found)
    }

    /// `CreateTable`: a new, empty table (ACTIVE at once).
    pub fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        validate_table_name(&input.table_name)?;
        let schema = schema_from(&input)?;
        let billing = billing_from(&input)?;
        let created = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| (d.as_millis() as f64) / 1000.0);
        let table = Arc::new(Table::new(
            input.table_name.clone(),
            schema,
            billing,
            created,
        ));
        {
            let mut tables = write(&self.inner.tables);
            if tables.contains_key(&input.table_name) {
                return Err(Error::ResourceInUse(format!(
                    "Table already exists: {}",
                    input.table_name
                )));
            }
            tables.insert(input.table_name, table.clone());
        }
        Ok(CreateTableOutput {
            table_description: table.description("ACTIVE"),
        })
    }

    /// `DeleteTable`: removes the table and its items. Operations already
    /// running on it finish on the removed table.
    pub fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        validate_table_name(&input.table_name)?;
        let removed = write(&self.inner.tables).remove(&input.table_name);
        let table = removed.ok_or_else(requested_not_found)?;
        let table_description = table.description("DELETING");
        // Freeing a large table's items takes a while (about a second for a
        // million); do it on a thread of its own rather than on the caller's,
        // which may be one of the endpoint's async workers.
        if table.item_count() > BACKGROUND_DROP_ITEMS {
            let spawned = std::thread::Builder::new()
                .name("dynacond-drop-table".into())
                .spawn(move || drop(table));
            // If no thread can be started, the table is freed here instead.
            drop(spawned);
        }
        Ok(DeleteTableOutput { table_description })
    }

    /// `DescribeTable`.
    pub fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        let table = self.table(&input.table_name)?;
        Ok(DescribeTableOutput {
            table: table.description("ACTIVE"),
        })
    }

    /// `ListTables`: names in ascending order, paginated by `Limit`.
    pub fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        let limit = match input.limit {
            None => 100,
            Some(n @ 1..=100) => n as usize,
            Some(n) => {
                let constraint = if n < 1 {
                    "Member must have value greater than or equal to 1"
                } else {
                    "Member must have value less than or equal to 100"
                };
                return Err(Error::constraint(n, "limit", constraint));
            }
        };
        let mut names: Vec<String> = read(&self.inner.tables).keys().cloned().collect();
        names.sort();
        let start = input.exclusive_start_table_name;
        let mut rest: Vec<String> = names
            .into_iter()
            .filter(|n| start.as_ref().is_none_or(|s| n > s))
            .collect();
        let more = rest.len() > limit;
        rest.truncate(limit);
        Ok(ListTablesOutput {
            last_evaluated_table_name: if more { rest.last().cloned() } else { None },
            table_names: rest,
        })
    }
}

#[cfg(test)]
mod tests;
