//! Keys: a table's key schema and the typed, ordered primary keys of its items.

use crate::api::{AttributeDefinition, KeySchemaElement};
use crate::error::Error;
use crate::number::Number;
pub use crate::value::ScalarType;
use crate::value::{AttributeValue, Item};

/// The largest partition key value, in bytes.
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;
/// The largest sort key value, in bytes.
pub const MAX_SORT_KEY_BYTES: usize = 1024;

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

/// Why a key is not valid for a table, rendered as DynamoDB's message when
/// it becomes an [`Error`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum KeyError {
    /// A `Key` map whose attributes or types are not the schema's.
    Mismatch,
    /// An item without one of the key attributes.
    Missing(String),
    /// An item whose key attribute has another type than the schema's.
    TypeMismatch {
        attribute: String,
        expected: ScalarType,
        actual: &'static str,
    },
    /// An empty string or binary as a key value.
    Empty { attribute: String, binary: bool },
    /// A partition key value over [`MAX_PARTITION_KEY_BYTES`].
    PartitionTooLarge,
    /// A sort key value over [`MAX_SORT_KEY_BYTES`].
    SortTooLarge,
}

impl From<KeyError> for Error {
    fn from(e: KeyError) -> Error {
        let invalid = "One or more parameter values were invalid";
        Error::validation(match e {
            KeyError::Mismatch => KEY_MISMATCH.to_owned(),
            KeyError::Missing(attribute) => {
                format!("{invalid}: Missing the key {attribute} in the item")
            }
            KeyError::TypeMismatch {
                attribute,
                expected,
                actual,
            } => format!(
                "{invalid}: Type mismatch for key {attribute} expected: {} actual: {actual}",
                expected.code()
            ),
            KeyError::Empty { attribute, binary } => format!(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {} value. Key: {attribute}",
                if binary { "binary" } else { "string" }
            ),
            KeyError::PartitionTooLarge => format!(
                "{invalid}: Size of hashkey has exceeded the maximum size limit of{MAX_PARTITION_KEY_BYTES} bytes"
            ),
            KeyError::SortTooLarge => format!(
                "{invalid}: Aggregated size of all range keys has exceeded the size limit of {MAX_SORT_KEY_BYTES} bytes"
            ),
        })
    }
}

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
    pub(crate) fn check_not_empty(&self, item: &Item) -> Result<(), Error> {
        self.empty_value(item).map_err(Error::from)
    }

    /// [`KeySchema::check_not_empty`] for a `Key` map before the table is
    /// known: every attribute of a key map is meant as a key attribute.
    pub(crate) fn check_key_map_not_empty(key: &Item) -> Result<(), Error> {
        for (name, value) in key {
            let binary = match value {
                AttributeValue::S(s) if s.is_empty() => false,
                AttributeValue::B(b) if b.is_empty() => true,
                _ => continue,
            };
            return Err(KeyError::Empty {
                attribute: name.clone(),
                binary,
            }
            .into());
        }
        Ok(())
    }

    fn empty_value(&self, item: &Item) -> Result<(), KeyError> {
        for attr in self.attributes() {
            let binary = match item.get(&attr.name) {
                Some(AttributeValue::S(s)) if s.is_empty() => false,
                Some(AttributeValue::B(b)) if b.is_empty() => true,
                _ => continue,
            };
            return Err(KeyError::Empty {
                attribute: attr.name.clone(),
                binary,
            });
        }
        Ok(())
    }

    /// The key of `item` from each key attribute's `value`, then the checks
    /// every key gets: no empty string or binary, within the size limits.
    fn assemble(
        &self,
        item: &Item,
        value: impl Fn(&KeyAttribute) -> Result<KeyValue, KeyError>,
    ) -> Result<PrimaryKey, KeyError> {
        let partition = value(&self.partition)?;
        let sort = self.sort.as_ref().map(&value).transpose()?;
        self.empty_value(item)?;
        let key = PrimaryKey { partition, sort };
        self.check_sizes(&key)?;
        Ok(key)
    }

    fn check_sizes(&self, key: &PrimaryKey) -> Result<(), KeyError> {
        if key.partition.to_attribute().size() > MAX_PARTITION_KEY_BYTES {
            return Err(KeyError::PartitionTooLarge);
        }
        if key
            .sort
            .as_ref()
            .is_some_and(|s| s.to_attribute().size() > MAX_SORT_KEY_BYTES)
        {
            return Err(KeyError::SortTooLarge);
        }
        Ok(())
    }

    /// The value of one key attribute with the schema's type, if it has it.
    pub(crate) fn typed(attr: &KeyAttribute, value: &AttributeValue) -> Option<KeyValue> {
        match (attr.scalar_type, value) {
            (ScalarType::S, AttributeValue::S(s)) => Some(KeyValue::S(s.clone())),
            (ScalarType::N, AttributeValue::N(n)) => Some(KeyValue::N(*n)),
            (ScalarType::B, AttributeValue::B(b)) => Some(KeyValue::B(b.clone())),
            _ => None,
        }
    }

    /// The key of an item to store (PutItem): every key attribute present
    /// with the schema's type, not empty, within the size limits.
    pub(crate) fn key_of_item(&self, item: &Item) -> Result<PrimaryKey, Error> {
        let value = |attr: &KeyAttribute| -> Result<KeyValue, KeyError> {
            let Some(value) = item.get(&attr.name) else {
                return Err(KeyError::Missing(attr.name.clone()));
            };
            Self::typed(attr, value).ok_or_else(|| KeyError::TypeMismatch {
                attribute: attr.name.clone(),
                expected: attr.scalar_type,
                actual: type_of(value),
            })
        };
        Ok(self.assemble(item, value)?)
    }

    /// The key given as a request's `Key` map: exactly the key attributes,
    /// with the schema's types, not empty, within the size limits.
    pub(crate) fn key_of_map(&self, key: &Item) -> Result<PrimaryKey, Error> {
        self.map_key(key).map_err(Error::from)
    }

    /// [`KeySchema::key_of_map`] with the reason kept apart, for callers
    /// that word a mismatch their own way (`ExclusiveStartKey`).
    pub(crate) fn map_key(&self, key: &Item) -> Result<PrimaryKey, KeyError> {
        if key.len() != self.attributes().count() {
            return Err(KeyError::Mismatch);
        }
        let value = |attr: &KeyAttribute| {
            key.get(&attr.name)
                .and_then(|v| Self::typed(attr, v))
                .ok_or(KeyError::Mismatch)
        };
        self.assemble(key, value)
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
