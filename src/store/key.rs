//! Keys: a table's key schema and the typed, ordered primary keys of its items.

use crate::api::{AttributeDefinition, KeySchemaElement};
use crate::error::Error;
use crate::number::Number;
use crate::value::{AttributeValue, Item};

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

    pub(crate) fn from_code(code: &str) -> Option<ScalarType> {
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

    pub(crate) fn check_sizes(&self, key: &PrimaryKey) -> Result<(), Error> {
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

    pub(crate) fn finish_key(&self, values: Vec<KeyValue>) -> Result<PrimaryKey, Error> {
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

    pub(crate) fn describe(&self) -> (Vec<KeySchemaElement>, Vec<AttributeDefinition>) {
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
