//! The store's catalog: the [`Store`] handle and its tables (CreateTable,
//! DeleteTable, DescribeTable, ListTables).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::api::{
    CreateTableInput, CreateTableOutput, DeleteTableInput, DeleteTableOutput, DescribeTableInput,
    DescribeTableOutput, ListTablesInput, ListTablesOutput,
};
use crate::error::Error;

use crate::store::table::{Table, billing_from, read, schema_from, validate_table_name, write};
use crate::store::tokens::TokenCache;

#[derive(Debug, Default)]
pub(crate) struct StoreInner {
    tables: RwLock<HashMap<String, Arc<Table>>>,
    pub(crate) tokens: TokenCache,
}

/// Tables with more items than this are freed on a thread of their own
/// when deleted.
pub(crate) const BACKGROUND_DROP_ITEMS: u64 = 10_000;

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
