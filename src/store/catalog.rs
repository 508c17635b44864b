//! The store's catalog: the [`Store`] handle and its tables (CreateTable,
//! DeleteTable, DescribeTable, ListTables).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::api::{
    CreateTableInput, CreateTableOutput, DeleteTableInput, DeleteTableOutput, DescribeTableInput,
    DescribeTableOutput, ListTablesInput, ListTablesOutput,
};
use crate::clock::Clock;
use crate::error::Error;
use crate::store::builder::{Location, StoreBuilder};

use crate::constraints::{self, control_plane_table_name, present};
use crate::store::definition::{Definition, definition_from, refuse_unimplemented};
use crate::store::expression_cache::ExpressionCache;
use crate::store::extras::creation_extras;
use crate::store::gate::WriteGate;
use crate::store::snapshot::Shelf;
use crate::store::stream::{self, StreamCatalog};
use crate::store::table::{Table, lock, read, write};
use crate::store::tokens::TokenCache;
use crate::store::ttl::TtlOptions;

#[derive(Debug, Default)]
pub(crate) struct StoreInner {
    pub(crate) tables: RwLock<HashMap<String, Arc<Table>>>,
    /// Entered by every item write, closed by snapshots and restores.
    pub(crate) gate: Arc<WriteGate>,
    /// The snapshots the endpoint holds, by id ([`crate::store::snapshot`]).
    pub(crate) snapshots: Shelf,
    pub(crate) tokens: TokenCache,
    pub(crate) clock: Clock,
    pub(crate) location: Location,
    pub(crate) ttl: TtlOptions,
    /// Every stream, by ARN (kept after its table is deleted).
    pub(crate) streams: StreamCatalog,
    /// Parsed expressions, by parameter and text.
    pub(crate) expressions: ExpressionCache,
    /// The item-collection size limit of tables with local indexes
    /// (`None`: DynamoDB's 10 GB).
    pub(crate) collection_limit: Option<u64>,
    /// Fault rules and readiness ([`crate::faults`]).
    pub(crate) faults: crate::faults::Faults,
    /// The calls the endpoint served ([`crate::server::request_log`]).
    #[cfg(feature = "server")]
    pub(crate) requests: crate::server::request_log::RequestLog,
    /// Whether failed conditions carry explanations.
    pub(crate) explain: bool,
    /// The data directory, for a durable store.
    pub(crate) durable: std::sync::OnceLock<Arc<crate::store::durable::Durable>>,
}

impl StoreInner {
    pub(crate) fn new(clock: Clock, location: Location) -> StoreInner {
        StoreInner {
            tables: RwLock::default(),
            gate: WriteGate::shared(),
            snapshots: Shelf::default(),
            tokens: TokenCache::default(),
            clock,
            location,
            ttl: TtlOptions::default(),
            streams: StreamCatalog::default(),
            expressions: ExpressionCache::default(),
            collection_limit: None,
            faults: crate::faults::Faults::default(),
            #[cfg(feature = "server")]
            requests: Default::default(),
            explain: false,
            durable: std::sync::OnceLock::new(),
        }
    }
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

/// DeleteTable's refusals of an existing table (indexes.md §7): deletion
/// protection, then an index still being created (DynamoDB also names
/// indexes being updated or deleted; dynacond's are at once).
fn refuse_deletion(table: &Table) -> Result<(), Error> {
    if table.deletion_protected() {
        return Err(Error::validation(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
        ));
    }
    if table.indexes().iter().any(|i| i.is_backfilling()) {
        return Err(Error::ResourceInUse(
            "Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted.".into(),
        ));
    }
    Ok(())
}

fn requested_not_found() -> Error {
    Error::ResourceNotFound("Requested resource not found".into())
}

/// DescribeTable's and DeleteTable's answer for a missing table.
pub(crate) fn table_not_found(name: &str) -> Error {
    Error::ResourceNotFound(format!(
        "Requested resource not found: Table: {name} not found"
    ))
}

impl Store {
    /// An empty store on the system clock, in region
    /// [`DEFAULT_REGION`](crate::store::DEFAULT_REGION) of account
    /// [`DEFAULT_ACCOUNT_ID`](crate::store::DEFAULT_ACCOUNT_ID).
    pub fn new() -> Self {
        Store::default()
    }

    /// A builder for a store with another clock, region or account id.
    pub fn builder() -> StoreBuilder {
        StoreBuilder::default()
    }

    /// The clock the store reads; advancing or setting it moves the store's
    /// time.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The store's parsed expressions.
    pub(crate) fn expressions(&self) -> &ExpressionCache {
        &self.inner.expressions
    }

    /// The region of the store's ARNs.
    pub fn region(&self) -> &str {
        &self.inner.location.region
    }

    /// The account id of the store's ARNs.
    pub fn account_id(&self) -> &str {
        &self.inner.location.account_id
    }

    /// The time in seconds since the Unix epoch, with milliseconds.
    pub(crate) fn now(&self) -> f64 {
        self.inner.clock.now_seconds()
    }

    /// The table of this name: `ResourceNotFoundException` when there is none.
    pub fn table(&self, name: &str) -> Result<Arc<Table>, Error> {
        read(&self.inner.tables)
            .get(name)
            .cloned()
            .ok_or_else(requested_not_found)
    }

    /// Every table (a snapshot of the catalog), in name order.
    pub(crate) fn tables(&self) -> Vec<Arc<Table>> {
        let mut tables: Vec<Arc<Table>> = read(&self.inner.tables).values().cloned().collect();
        tables.sort_by(|a, b| a.name.cmp(&b.name));
        tables
    }

    /// `CreateTable`: a new, empty table (ACTIVE at once).
    pub fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        if input.table_name.is_none() {
            // CreateTable checks its name in its own code first (§4).
            control_plane_table_name(None)?;
        }
        constraints::check(&input)?;
        let Definition {
            schema,
            billing,
            indexes,
        } = definition_from(&input)?;
        let extras = creation_extras(&input, &self.inner.location)?;
        let stream = stream::check_create(input.stream_specification.as_ref())?;
        refuse_unimplemented(&input)?;
        let name = present(input.table_name.as_ref(), "tableName")?.clone();
        let created_millis = self.inner.clock.now_millis();
        let created = created_millis as f64 / 1000.0;
        let arn = self.inner.location.table_arn(&name);
        let mut table = Table::new(name.clone(), arn, schema, billing, created, indexes);
        table.gate = self.inner.gate.clone();
        let table = Arc::new(table);
        lock(&table.settings).deletion_protection = input.deletion_protection_enabled == Some(true);
        *lock(&table.extras) = extras;
        if let Some(limit) = self.inner.collection_limit {
            table.collections.set_limit(limit);
        }
        let mut control = self.control_log();
        {
            let mut tables = write(&self.inner.tables);
            if tables.contains_key(&name) {
                return Err(Error::ResourceInUse(format!(
                    "Table already exists: {name}"
                )));
            }
            if let Some(control) = &mut control {
                control.create_table(&table, &input, created_millis)?;
            }
            if let Some(view) = stream {
                self.enable_stream(&table, view, created_millis);
            }
            tables.insert(name, table.clone());
        }
        Ok(CreateTableOutput {
            // DynamoDB answers CREATING; the next DescribeTable sees ACTIVE
            // (the table is ready at once).
            table_description: table.description("CREATING", created),
        })
    }

    /// `DeleteTable`: removes the table and its items. Operations already
    /// running on it finish on the removed table. Refused while deletion
    /// protection is on, or while an index is being created.
    pub fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let name = present(input.table_name.as_ref(), "tableName")?;
        let mut control = self.control_log();
        let table = {
            let mut tables = write(&self.inner.tables);
            let found = tables.get(name).ok_or_else(|| table_not_found(name))?;
            refuse_deletion(found)?;
            if let Some(control) = &mut control {
                control.delete_table(found, self.inner.clock.now_millis())?;
            }
            tables.remove(name).ok_or_else(|| table_not_found(name))?
        };
        let table_description = table.description("DELETING", self.now());
        // The stream closes and stays listed, readable for 24 hours.
        table.stream.table_deleted();
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
        control_plane_table_name(input.table_name.as_ref())?;
        constraints::check(&input)?;
        let name = present(input.table_name.as_ref(), "tableName")?;
        let table = self.table(name).map_err(|_| table_not_found(name))?;
        Ok(DescribeTableOutput {
            table: table.description("ACTIVE", self.now()),
        })
    }

    /// `ListTables`: names in ascending order, paginated by `Limit`.
    pub fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        constraints::check(&input)?;
        let limit = input
            .limit
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(100);
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
