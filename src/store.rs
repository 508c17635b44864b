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
//!   one key, since [`Number`]'s representation is normalised. (The design
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
//! * Transactions ([`crate::transaction`]) lock every item they touch in
//!   ascending (table name, key) order, so they cannot deadlock; single-item
//!   operations on an item held by a transaction wait for it (DynamoDB would
//!   answer `TransactionConflictException`; waiting is also serializable).
//!
//! # Messages
//!
//! Validation messages of the single-item writes (PutItem, UpdateItem,
//! DeleteItem) carry DynamoDB's `1 validation error detected: ` prefix (spec
//! §0.2); reads, table operations and transactions send the bare message.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::api::{
    AttributeDefinition, BillingModeSummary, CreateTableInput, CreateTableOutput, DeleteItemInput,
    DeleteItemOutput, DeleteTableInput, DeleteTableOutput, DescribeTableInput, DescribeTableOutput,
    GetItemInput, GetItemOutput, KeySchemaElement, ListTablesInput, ListTablesOutput,
    ProvisionedThroughput, ProvisionedThroughputDescription, PutItemInput, PutItemOutput,
    TableDescription, UpdateItemInput, UpdateItemOutput,
};
use crate::error::Error;
use crate::eval::{BoundCondition, ConditionExpression};
use crate::expr_error::ExpressionKind;
use crate::legacy;
use crate::number::Number;
use crate::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, References, check_all_used, validate_maps,
    validate_value_contents,
};
use crate::projection::ProjectionExpression;
use crate::update::{BoundUpdate, UpdateExpression, validate_updated_item};
use crate::value::{AttributeValue, Item, item_size, validate_item};

/// The largest partition key value, in bytes.
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;
/// The largest sort key value, in bytes.
pub const MAX_SORT_KEY_BYTES: usize = 1024;

/// The type of a key attribute: `S`, `N` or `B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// String.
    S,
    /// Number.
    N,
    /// Binary.
    B,
}

impl ScalarType {
    /// DynamoDB's code: `S`, `N` or `B`.
    pub fn code(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }

    fn from_code(code: &str) -> Option<ScalarType> {
        match code {
            "S" => Some(ScalarType::S),
            "N" => Some(ScalarType::N),
            "B" => Some(ScalarType::B),
            _ => None,
        }
    }
}

/// One key attribute: its name and type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyAttribute {
    /// The attribute's name.
    pub name: String,
    /// Its type.
    pub scalar_type: ScalarType,
}

/// A table's primary key: a partition key and an optional sort key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeySchema {
    /// The partition (`HASH`) key.
    pub partition: KeyAttribute,
    /// The sort (`RANGE`) key, if any.
    pub sort: Option<KeyAttribute>,
}

/// One key value, compared as DynamoDB orders keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyValue {
    /// A string, ordered by UTF-8 bytes.
    S(String),
    /// A number, ordered and compared numerically.
    N(Number),
    /// A binary, ordered as unsigned bytes.
    B(Vec<u8>),
}

impl KeyValue {
    pub(crate) fn from_attribute(value: &AttributeValue) -> Option<KeyValue> {
        match value {
            AttributeValue::S(s) => Some(KeyValue::S(s.clone())),
            AttributeValue::N(n) => Some(KeyValue::N(*n)),
            AttributeValue::B(b) => Some(KeyValue::B(b.clone())),
            _ => None,
        }
    }

    /// The value as an attribute value.
    pub fn to_attribute(&self) -> AttributeValue {
        match self {
            KeyValue::S(s) => AttributeValue::S(s.clone()),
            KeyValue::N(n) => AttributeValue::N(*n),
            KeyValue::B(b) => AttributeValue::B(b.clone()),
        }
    }
}

/// An item's primary key: partition value, then sort value. The derived order
/// is the order a Query returns items in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrimaryKey {
    /// The partition key value.
    pub partition: KeyValue,
    /// The sort key value, for tables with a sort key.
    pub sort: Option<KeyValue>,
}

pub(crate) fn type_of(value: &AttributeValue) -> &'static str {
    value.value_type().code()
}

pub(crate) const KEY_MISMATCH: &str = "The provided key element does not match the schema";

impl KeySchema {
    /// The key attributes, partition first.
    pub fn attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.partition).chain(self.sort.as_ref())
    }

    /// The key attribute names, partition first.
    pub fn names(&self) -> Vec<&str> {
        self.attributes().map(|a| a.name.as_str()).collect()
    }

    /// Rejects empty string or binary values given for key attributes
    /// (whatever else is wrong with the key).
    pub fn check_not_empty(&self, item: &Item) -> Result<(), Error> {
        for attr in self.attributes() {
            let what = match item.get(&attr.name) {
                Some(AttributeValue::S(s)) if s.is_empty() => "string",
                Some(AttributeValue::B(b)) if b.is_empty() => "binary",
                _ => continue,
            };
            return Err(Error::validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {what} value. Key: {}",
                attr.name
            )));
        }
        Ok(())
    }

    fn check_sizes(&self, key: &PrimaryKey) -> Result<(), Error> {
        if key.partition.to_attribute().size() > MAX_PARTITION_KEY_BYTES {
            return Err(Error::validation(format!(
                "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of{MAX_PARTITION_KEY_BYTES} bytes"
            )));
        }
        if key
            .sort
            .as_ref()
            .is_some_and(|s| s.to_attribute().size() > MAX_SORT_KEY_BYTES)
        {
            return Err(Error::validation(format!(
                "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of {MAX_SORT_KEY_BYTES} bytes"
            )));
        }
        Ok(())
    }

    /// The key of an item to store (PutItem): every key attribute present
    /// with the schema's type, not empty, within the size limits.
    pub fn key_of_item(&self, item: &Item) -> Result<PrimaryKey, Error> {
        let mut values = Vec::with_capacity(2);
        for attr in self.attributes() {
            let Some(value) = item.get(&attr.name) else {
                return Err(Error::validation(format!(
                    "One or more parameter values were invalid: Missing the key {} in the item",
                    attr.name
                )));
            };
            match KeyValue::from_attribute(value) {
                Some(k) if type_of(value) == attr.scalar_type.code() => values.push(k),
                _ => {
                    return Err(Error::validation(format!(
                        "One or more parameter values were invalid: Type mismatch for key {} expected: {} actual: {}",
                        attr.name,
                        attr.scalar_type.code(),
                        type_of(value)
                    )));
                }
            }
        }
        self.check_not_empty(item)?;
        self.finish_key(values)
    }

    /// The key given as a request's `Key` map: exactly the key attributes,
    /// with the schema's types, not empty, within the size limits.
    pub fn key_of_map(&self, key: &Item) -> Result<PrimaryKey, Error> {
        let count = self.attributes().count();
        if key.len() != count {
            return Err(Error::validation(KEY_MISMATCH));
        }
        let mut values = Vec::with_capacity(2);
        for attr in self.attributes() {
            match key.get(&attr.name) {
                Some(value) if type_of(value) == attr.scalar_type.code() => {
                    match KeyValue::from_attribute(value) {
                        Some(k) => values.push(k),
                        None => return Err(Error::validation(KEY_MISMATCH)),
                    }
                }
                _ => return Err(Error::validation(KEY_MISMATCH)),
            }
        }
        self.check_not_empty(key)?;
        self.finish_key(values)
    }

    fn finish_key(&self, values: Vec<KeyValue>) -> Result<PrimaryKey, Error> {
        let mut values = values.into_iter();
        let partition = values
            .next()
            .ok_or_else(|| Error::Internal("key without a partition value".into()))?;
        let key = PrimaryKey {
            partition,
            sort: values.next(),
        };
        self.check_sizes(&key)?;
        Ok(key)
    }

    /// The key attributes of a key, as an item (partition first).
    pub fn key_item(&self, key: &PrimaryKey) -> Item {
        let mut item = Item::new();
        item.insert(self.partition.name.clone(), key.partition.to_attribute());
        if let (Some(attr), Some(value)) = (&self.sort, &key.sort) {
            item.insert(attr.name.clone(), value.to_attribute());
        }
        item
    }

    fn describe(&self) -> (Vec<KeySchemaElement>, Vec<AttributeDefinition>) {
        let mut schema = Vec::new();
        let mut defs = Vec::new();
        for (attr, kind) in self.attributes().zip(["HASH", "RANGE"]) {
            schema.push(KeySchemaElement {
                attribute_name: attr.name.clone(),
                key_type: kind.into(),
            });
            defs.push(AttributeDefinition {
                attribute_name: attr.name.clone(),
                attribute_type: attr.scalar_type.code().into(),
            });
        }
        (schema, defs)
    }
}

/// One item's slot: `None` when no item exists.
pub(crate) type Slot = Arc<Mutex<Option<Item>>>;

/// Locks a mutex, recovering it if another thread panicked while holding it
/// (writes are single assignments, so the value is never half-written).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(PoisonError::into_inner)
}

/// A table: its name, key schema and items.
#[derive(Debug)]
pub struct Table {
    name: String,
    schema: KeySchema,
    /// Billing mode and capacity as given at creation (reported only).
    billing: Billing,
    /// Seconds since the Unix epoch.
    created: f64,
    pub(crate) items: RwLock<BTreeMap<PrimaryKey, Slot>>,
}

impl Table {
    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The table's key schema.
    pub fn schema(&self) -> &KeySchema {
        &self.schema
    }

    /// The slot of a key, if one exists (it may hold no item).
    pub(crate) fn find_slot(&self, key: &PrimaryKey) -> Option<Slot> {
        read(&self.items).get(key).cloned()
    }

    /// The slot of a key, inserting an empty one if needed.
    pub(crate) fn slot(&self, key: &PrimaryKey) -> Slot {
        if let Some(slot) = self.find_slot(key) {
            return slot;
        }
        write(&self.items).entry(key.clone()).or_default().clone()
    }

    /// Gives back a slot obtained from [`Table::slot`]: when it holds no item
    /// and nobody else holds it, it leaves the map, so reads and failed writes
    /// of absent keys do not grow the table. (Every user of a slot holds an
    /// `Arc` to it, and new ones are handed out only under the map's lock, so
    /// a count of one under the write lock means nobody can be using it.)
    pub(crate) fn release(&self, key: &PrimaryKey, slot: Slot) {
        let empty = lock(&slot).is_none();
        drop(slot);
        if !empty {
            return;
        }
        let mut items = write(&self.items);
        let unused = items.get(key).is_some_and(|s| {
            Arc::strong_count(s) == 1 && s.try_lock().is_ok_and(|item| item.is_none())
        });
        if unused {
            items.remove(key);
        }
    }

    /// How many slots the table holds (items and transient empty slots).
    #[cfg(test)]
    pub(crate) fn slot_count(&self) -> usize {
        read(&self.items).len()
    }

    /// The number of items (locks each slot briefly, one at a time).
    pub fn item_count(&self) -> u64 {
        let slots: Vec<Slot> = read(&self.items).values().cloned().collect();
        slots.iter().filter(|s| lock(s).is_some()).count() as u64
    }

    /// Every item, in key order (each read on its own, not a snapshot).
    pub fn items(&self) -> Vec<Item> {
        let slots: Vec<Slot> = read(&self.items).values().cloned().collect();
        slots.iter().filter_map(|s| lock(s).clone()).collect()
    }

    fn description(&self, status: &str) -> TableDescription {
        let (key_schema, attribute_definitions) = self.schema.describe();
        let slots: Vec<Slot> = read(&self.items).values().cloned().collect();
        let (mut item_count, mut table_size_bytes) = (0, 0);
        for slot in &slots {
            if let Some(item) = lock(slot).as_ref() {
                item_count += 1;
                table_size_bytes += item_size(item) as u64;
            }
        }
        let (read_capacity_units, write_capacity_units) = self
            .billing
            .throughput
            .map_or((0, 0), |t| (t.read_capacity_units, t.write_capacity_units));
        TableDescription {
            table_name: self.name.clone(),
            key_schema,
            attribute_definitions,
            table_status: status.into(),
            item_count,
            table_size_bytes,
            table_arn: format!("arn:aws:dynamodb:local:000000000000:table/{}", self.name),
            creation_date_time: self.created,
            billing_mode_summary: self
                .billing
                .mode
                .clone()
                .map(|billing_mode| BillingModeSummary { billing_mode }),
            provisioned_throughput: ProvisionedThroughputDescription {
                number_of_decreases_today: 0,
                read_capacity_units,
                write_capacity_units,
            },
            deletion_protection_enabled: false,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct StoreInner {
    tables: RwLock<HashMap<String, Arc<Table>>>,
    pub(crate) tokens: crate::transaction::TokenCache,
}

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

/// Checks a table name: 3 to 255 characters of `[a-zA-Z0-9_.-]`.
pub fn validate_table_name(name: &str) -> Result<(), Error> {
    let constraint = if name.len() < 3 {
        "Member must have length greater than or equal to 3"
    } else if name.len() > 255 {
        "Member must have length less than or equal to 255"
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    } else {
        return Ok(());
    };
    Err(Error::validation(format!(
        "1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: {constraint}"
    )))
}

fn schema_from(input: &CreateTableInput) -> Result<KeySchema, Error> {
    let invalid = |detail: &str| {
        Error::validation(format!(
            "One or more parameter values were invalid: {detail}"
        ))
    };
    let attribute = |element: &KeySchemaElement| -> Result<KeyAttribute, Error> {
        let def = input
            .attribute_definitions
            .iter()
            .find(|d| d.attribute_name == element.attribute_name)
            .ok_or_else(|| {
                let list = |names: Vec<&str>| names.join(", ");
                invalid(&format!(
                    "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
                    list(input.key_schema.iter().map(|k| k.attribute_name.as_str()).collect()),
                    list(input.attribute_definitions.iter().map(|d| d.attribute_name.as_str()).collect()),
                ))
            })?;
        let scalar_type = ScalarType::from_code(&def.attribute_type).ok_or_else(|| {
            Error::validation(format!(
                "1 validation error detected: Value '{}' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
                def.attribute_type
            ))
        })?;
        if element.attribute_name.is_empty() || element.attribute_name.len() > 255 {
            return Err(invalid("Key attribute names must be 1 to 255 bytes long"));
        }
        Ok(KeyAttribute {
            name: element.attribute_name.clone(),
            scalar_type,
        })
    };
    let schema = match input.key_schema.as_slice() {
        [hash] if hash.key_type == "HASH" => KeySchema {
            partition: attribute(hash)?,
            sort: None,
        },
        [hash, range] if hash.key_type == "HASH" && range.key_type == "RANGE" => {
            if hash.attribute_name == range.attribute_name {
                return Err(invalid(
                    "Both the Hash Key and the Range Key element in the KeySchema have the same name",
                ));
            }
            KeySchema {
                partition: attribute(hash)?,
                sort: Some(attribute(range)?),
            }
        }
        [] => {
            return Err(Error::validation(
                "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1",
            ));
        }
        _ => {
            return Err(invalid(
                "The KeySchema must have one HASH element, optionally followed by one RANGE element",
            ));
        }
    };
    if input.attribute_definitions.len() != schema.attributes().count() {
        return Err(invalid(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ));
    }
    Ok(schema)
}

/// A table's billing mode and capacity as given at creation.
#[derive(Debug, Clone, Default)]
struct Billing {
    mode: Option<String>,
    throughput: Option<ProvisionedThroughput>,
}

/// Checks `BillingMode` and `ProvisionedThroughput` as DynamoDB does, except
/// that a table with neither is accepted (DynamoDB requires the capacity of
/// the default `PROVISIONED` mode; dynacond never enforces capacity).
fn billing_from(input: &CreateTableInput) -> Result<Billing, Error> {
    let throughput = input.provisioned_throughput;
    match input.billing_mode.as_deref() {
        None | Some("PROVISIONED") | Some("PAY_PER_REQUEST") => {}
        Some(other) => {
            return Err(Error::validation(format!(
                "1 validation error detected: Value '{other}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"
            )));
        }
    }
    if input.billing_mode.as_deref() == Some("PAY_PER_REQUEST") && throughput.is_some() {
        return Err(Error::validation(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ));
    }
    if input.billing_mode.as_deref() == Some("PROVISIONED") && throughput.is_none() {
        return Err(Error::validation(
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
        ));
    }
    if let Some(t) = throughput {
        for (name, units) in [
            ("readCapacityUnits", t.read_capacity_units),
            ("writeCapacityUnits", t.write_capacity_units),
        ] {
            if units < 1 {
                return Err(Error::validation(format!(
                    "1 validation error detected: Value '{units}' at 'provisionedThroughput.{name}' failed to satisfy constraint: Member must have value greater than or equal to 1"
                )));
            }
        }
    }
    let mode = match (&input.billing_mode, throughput) {
        (Some(mode), _) => Some(mode.clone()),
        (None, Some(_)) => Some("PROVISIONED".to_owned()),
        (None, None) => None,
    };
    Ok(Billing { mode, throughput })
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
        let table = Arc::new(Table {
            name: input.table_name.clone(),
            schema,
            billing,
            created,
            items: RwLock::default(),
        });
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
        Ok(DeleteTableOutput {
            table_description: table.description("DELETING"),
        })
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
                return Err(Error::validation(format!(
                    "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: {constraint}"
                )));
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

fn condition_failed(all_old: bool, old: Option<&Item>) -> Error {
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

fn non_empty(item: Item) -> Option<Item> {
    (!item.is_empty()).then_some(item)
}

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
        let rv = return_values(rv.as_deref(), false)?;
        let all_old = on_failure_all_old(on_failure.as_deref())?;
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
        let legacy_condition =
            legacy::expected(expected.as_ref(), conditional_operator.as_deref())?;
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
        let rv = return_values(input.return_values.as_deref(), true)?;
        let all_old =
            on_failure_all_old(input.return_values_on_condition_check_failure.as_deref())?;
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
            input.conditional_operator.as_deref(),
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
        let rv = return_values(input.return_values.as_deref(), false)?;
        let all_old =
            on_failure_all_old(input.return_values_on_condition_check_failure.as_deref())?;
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
            input.conditional_operator.as_deref(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire;

    fn schema(sort: bool) -> KeySchema {
        KeySchema {
            partition: KeyAttribute {
                name: "p".into(),
                scalar_type: ScalarType::S,
            },
            sort: sort.then(|| KeyAttribute {
                name: "c".into(),
                scalar_type: ScalarType::N,
            }),
        }
    }

    fn item(json: &str) -> Item {
        wire::item_from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn numeric_keys_equal_across_spellings_and_ordered() {
        let s = schema(true);
        let a = s
            .key_of_map(&item(r#"{"p": {"S": "k"}, "c": {"N": "1000"}}"#))
            .unwrap();
        let b = s
            .key_of_map(&item(r#"{"c": {"N": "1E+3"}, "p": {"S": "k"}}"#))
            .unwrap();
        assert_eq!(a, b);
        let keys: Vec<PrimaryKey> = ["-10", "-1.5", "0", "2", "10", "1e3"]
            .iter()
            .map(|n| {
                s.key_of_map(&item(&format!(
                    r#"{{"p": {{"S": "k"}}, "c": {{"N": "{n}"}}}}"#
                )))
                .unwrap()
            })
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        // Strings by UTF-8 bytes, partition before sort.
        let one = schema(false);
        let k = |v: &str| {
            one.key_of_map(&item(&format!(r#"{{"p": {{"S": "{v}"}}}}"#)))
                .unwrap()
        };
        assert!(k("B") < k("a"));
        assert!(k("a") < k("ab"));
        assert!(k("z") < k("é"));
    }

    #[test]
    fn key_errors() {
        let s = schema(true);
        let e = |r: Result<PrimaryKey, Error>| r.unwrap_err().message().to_owned();
        assert_eq!(
            e(s.key_of_item(&item(r#"{"p": {"S": "k"}}"#))),
            "One or more parameter values were invalid: Missing the key c in the item"
        );
        assert_eq!(
            e(s.key_of_item(&item(r#"{"p": {"N": "1"}, "c": {"N": "1"}}"#))),
            "One or more parameter values were invalid: Type mismatch for key p expected: S actual: N"
        );
        assert_eq!(e(s.key_of_map(&item(r#"{"p": {"S": "k"}}"#))), KEY_MISMATCH);
        assert_eq!(
            e(s.key_of_map(&item(
                r#"{"p": {"S": "k"}, "c": {"N": "1"}, "x": {"N": "1"}}"#
            ))),
            KEY_MISMATCH
        );
        assert!(
            e(s.key_of_map(&item(r#"{"p": {"S": ""}, "c": {"N": "1"}}"#)))
                .ends_with("cannot contain an empty string value. Key: p")
        );
        let long = "x".repeat(2049);
        assert!(
            e(s.key_of_item(&item(&format!(
                r#"{{"p": {{"S": "{long}"}}, "c": {{"N": "1"}}}}"#
            ))))
            .contains("Size of hashkey")
        );
    }

    #[test]
    fn tables() {
        let store = Store::new();
        let input: CreateTableInput = wire::from_str(
            r#"{"TableName": "tab1", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
        )
        .unwrap();
        store.create_table(input.clone()).unwrap();
        assert_eq!(
            store.create_table(input.clone()).unwrap_err().type_name(),
            "ResourceInUseException"
        );
        let mut other = input.clone();
        other.table_name = "tab0".into();
        store.create_table(other).unwrap();
        let mut undefined = input.clone();
        undefined.table_name = "tab2".into();
        undefined.key_schema[0].attribute_name = "q".into();
        assert_eq!(
            store.create_table(undefined).unwrap_err().message(),
            "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [q], AttributeDefinitions: [p]"
        );
        let mut bad = input.clone();
        bad.table_name = "a!".into();
        assert!(
            store
                .create_table(bad)
                .unwrap_err()
                .message()
                .contains("greater than or equal to 3")
        );
        let page = store
            .list_tables(ListTablesInput {
                limit: Some(1),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page.table_names, ["tab0"]);
        assert_eq!(page.last_evaluated_table_name.as_deref(), Some("tab0"));
        let described = store
            .describe_table(DescribeTableInput {
                table_name: "tab1".into(),
            })
            .unwrap();
        assert_eq!(described.table.key_schema, input.key_schema);
        store
            .delete_table(DeleteTableInput {
                table_name: "tab1".into(),
            })
            .unwrap();
        let gone = store
            .describe_table(DescribeTableInput {
                table_name: "tab1".into(),
            })
            .unwrap_err();
        assert_eq!(gone.type_name(), "ResourceNotFoundException");
        assert_eq!(gone.message(), "Requested resource not found");
    }

    fn store_with(items: &[&str]) -> Store {
        let store = Store::new();
        store
            .create_table(
                wire::from_str(
                    r#"{"TableName": "tab", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
                )
                .unwrap(),
            )
            .unwrap();
        for i in items {
            store
                .put_item(PutItemInput {
                    table_name: "tab".into(),
                    item: item(i),
                    ..Default::default()
                })
                .unwrap();
        }
        store
    }

    fn get(store: &Store, p: &str) -> Option<Item> {
        store
            .get_item(GetItemInput {
                table_name: "tab".into(),
                key: item(&format!(r#"{{"p": {{"S": "{p}"}}}}"#)),
                ..Default::default()
            })
            .unwrap()
            .item
    }

    #[test]
    fn a_poisoned_slot_keeps_its_value_and_stays_usable() {
        let store = store_with(&[r#"{"p": {"S": "x"}, "n": {"N": "1"}}"#]);
        let table = store.table("tab").unwrap();
        let key = table
            .schema()
            .key_of_map(&item(r#"{"p": {"S": "x"}}"#))
            .unwrap();
        let slot = table.slot(&key);
        let held = slot.clone();
        let joined = std::thread::spawn(move || {
            let _guard = held.lock().unwrap();
            panic!("a panic while the item is locked");
        })
        .join();
        assert!(joined.is_err());
        assert!(slot.is_poisoned());
        assert_eq!(get(&store, "x").unwrap()["n"], AttributeValue::n(1));
        store
            .update_item(UpdateItemInput {
                table_name: "tab".into(),
                key: item(r#"{"p": {"S": "x"}}"#),
                update_expression: Some("SET n = :two".into()),
                expression_attribute_values: Some(
                    [(":two".to_owned(), AttributeValue::n(2))]
                        .into_iter()
                        .collect(),
                ),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(get(&store, "x").unwrap()["n"], AttributeValue::n(2));
    }

    #[test]
    fn operations_on_other_items_do_not_wait() {
        let store = store_with(&[r#"{"p": {"S": "x"}}"#]);
        let table = store.table("tab").unwrap();
        let key = table
            .schema()
            .key_of_map(&item(r#"{"p": {"S": "x"}}"#))
            .unwrap();
        let slot = table.slot(&key);
        let _held = lock(&slot); // as if a long operation held item x
        let (tx, rx) = std::sync::mpsc::channel();
        let other = store.clone();
        std::thread::spawn(move || {
            other
                .put_item(PutItemInput {
                    table_name: "tab".into(),
                    item: item(r#"{"p": {"S": "y"}}"#),
                    ..Default::default()
                })
                .unwrap();
            let _ = tx.send(get(&other, "y").is_some());
        });
        let done = rx.recv_timeout(std::time::Duration::from_secs(20));
        assert_eq!(done, Ok(true));
    }

    #[test]
    fn absent_keys_leave_no_slots_behind() {
        let store = store_with(&[r#"{"p": {"S": "x"}}"#]);
        let table = store.table("tab").unwrap();
        assert!(get(&store, "nope").is_none());
        let failed = store.put_item(PutItemInput {
            table_name: "tab".into(),
            item: item(r#"{"p": {"S": "y"}}"#),
            condition_expression: Some("attribute_exists(p)".into()),
            ..Default::default()
        });
        assert_eq!(
            failed.unwrap_err().type_name(),
            "ConditionalCheckFailedException"
        );
        let removed = store.update_item(UpdateItemInput {
            table_name: "tab".into(),
            key: item(r#"{"p": {"S": "z"}}"#),
            update_expression: Some("REMOVE a".into()),
            ..Default::default()
        });
        assert!(removed.is_ok());
        assert_eq!(table.slot_count(), 1);
        store
            .delete_item(DeleteItemInput {
                table_name: "tab".into(),
                key: item(r#"{"p": {"S": "x"}}"#),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(table.slot_count(), 0);
        let read: crate::api::TransactGetItemsInput = wire::from_str(
            r#"{"TransactItems": [{"Get": {"TableName": "tab", "Key": {"p": {"S": "q"}}}}]}"#,
        )
        .unwrap();
        let out = store.transact_get_items(read).unwrap();
        assert!(out.responses[0].item.is_none());
        assert_eq!(table.slot_count(), 0);
        assert_eq!(table.item_count(), 0);
    }
}
