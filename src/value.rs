//! DynamoDB's value model: the ten attribute value types and items.
//!
//! [`AttributeValue`] covers `S`, `N`, `B`, `SS`, `NS`, `BS`, `BOOL`, `NULL`, `L`
//! and `M`. Sets are ordered sets (`BTreeSet`), so members are unique and two sets
//! are equal when they hold the same members whatever order they were built in;
//! number sets compare members numerically (`1` and `1.0` are one member). An
//! [`Item`] maps attribute names to values and keeps insertion order (so output
//! is stable), while equality of items and maps ignores order, as DynamoDB does.
//!
//! This module also computes item size the way DynamoDB does for its 400 KB
//! limit ([`item_size`]) and checks the rules every stored value must meet
//! ([`validate_item`]).

use std::collections::BTreeSet;
use std::fmt;

use indexmap::IndexMap;

use crate::number::Number;

/// A map of attribute names to values (an `M` value, or an item).
pub type Map = IndexMap<String, AttributeValue>;

/// An item: attribute names to values, in insertion order.
pub type Item = Map;

/// The largest item DynamoDB stores, in bytes as [`item_size`] counts them.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

/// How deeply lists and maps may nest (a top-level attribute is level 1).
pub const MAX_NESTING_DEPTH: usize = 32;

/// The longest attribute name, in UTF-8 bytes.
pub const MAX_ATTRIBUTE_NAME_BYTES: usize = 65535;

/// One DynamoDB attribute value.
#[derive(Clone, PartialEq, Eq)]
pub enum AttributeValue {
    /// A string (`S`), compared by its UTF-8 bytes.
    S(String),
    /// A number (`N`), an exact decimal.
    N(Number),
    /// A binary (`B`), compared as unsigned bytes.
    B(Vec<u8>),
    /// A string set (`SS`).
    Ss(BTreeSet<String>),
    /// A number set (`NS`).
    Ns(BTreeSet<Number>),
    /// A binary set (`BS`).
    Bs(BTreeSet<Vec<u8>>),
    /// A boolean (`BOOL`).
    Bool(bool),
    /// The null value (`NULL`); DynamoDB's `{"NULL": true}`.
    Null,
    /// A list (`L`) of values of any types.
    L(Vec<AttributeValue>),
    /// A map (`M`) from strings to values of any types.
    M(Map),
}

/// The type of an attribute value, with DynamoDB's short codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValueType {
    /// `S`
    S,
    /// `N`
    N,
    /// `B`
    B,
    /// `SS`
    Ss,
    /// `NS`
    Ns,
    /// `BS`
    Bs,
    /// `BOOL`
    Bool,
    /// `NULL`
    Null,
    /// `L`
    L,
    /// `M`
    M,
}

impl ValueType {
    /// All ten types.
    pub const ALL: [ValueType; 10] = [
        ValueType::S,
        ValueType::N,
        ValueType::B,
        ValueType::Ss,
        ValueType::Ns,
        ValueType::Bs,
        ValueType::Bool,
        ValueType::Null,
        ValueType::L,
        ValueType::M,
    ];

    /// DynamoDB's code for the type: `S`, `N`, `B`, `SS`, `NS`, `BS`, `BOOL`, `NULL`, `L`, `M`.
    pub fn code(self) -> &'static str {
        match self {
            ValueType::S => "S",
            ValueType::N => "N",
            ValueType::B => "B",
            ValueType::Ss => "SS",
            ValueType::Ns => "NS",
            ValueType::Bs => "BS",
            ValueType::Bool => "BOOL",
            ValueType::Null => "NULL",
            ValueType::L => "L",
            ValueType::M => "M",
        }
    }

    /// The type with the given code (case-sensitive, as in `attribute_type`).
    pub fn from_code(code: &str) -> Option<ValueType> {
        ValueType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// True for `SS`, `NS` and `BS`.
    pub fn is_set(self) -> bool {
        matches!(self, ValueType::Ss | ValueType::Ns | ValueType::Bs)
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl AttributeValue {
    /// The value's type.
    pub fn value_type(&self) -> ValueType {
        match self {
            AttributeValue::S(_) => ValueType::S,
            AttributeValue::N(_) => ValueType::N,
            AttributeValue::B(_) => ValueType::B,
            AttributeValue::Ss(_) => ValueType::Ss,
            AttributeValue::Ns(_) => ValueType::Ns,
            AttributeValue::Bs(_) => ValueType::Bs,
            AttributeValue::Bool(_) => ValueType::Bool,
            AttributeValue::Null => ValueType::Null,
            AttributeValue::L(_) => ValueType::L,
            AttributeValue::M(_) => ValueType::M,
        }
    }

    /// A string value.
    pub fn s(value: impl Into<String>) -> Self {
        AttributeValue::S(value.into())
    }

    /// A number value from anything convertible to [`Number`] (integers).
    pub fn n(value: impl Into<Number>) -> Self {
        AttributeValue::N(value.into())
    }

    /// The string, if this is an `S`.
    pub fn as_s(&self) -> Option<&str> {
        match self {
            AttributeValue::S(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is an `N`.
    pub fn as_n(&self) -> Option<&Number> {
        match self {
            AttributeValue::N(n) => Some(n),
            _ => None,
        }
    }

    /// The bytes, if this is a `B`.
    pub fn as_b(&self) -> Option<&[u8]> {
        match self {
            AttributeValue::B(b) => Some(b),
            _ => None,
        }
    }

    /// The flag, if this is a `BOOL`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttributeValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, if this is an `L`.
    pub fn as_l(&self) -> Option<&[AttributeValue]> {
        match self {
            AttributeValue::L(l) => Some(l),
            _ => None,
        }
    }

    /// The entries, if this is an `M`.
    pub fn as_m(&self) -> Option<&Map> {
        match self {
            AttributeValue::M(m) => Some(m),
            _ => None,
        }
    }

    /// The bytes this value counts for in DynamoDB's item size (§13 of the spec):
    /// strings by UTF-8 length, binaries by raw length, numbers by
    /// [`Number::storage_size`], booleans and null 1, sets the sum of their
    /// members, lists `3 + Σ(1 + element)`, maps `3 + Σ(1 + key + value)`.
    pub fn size(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => n.storage_size(),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
            AttributeValue::Ns(set) => set.iter().map(Number::storage_size).sum(),
            AttributeValue::Bs(set) => set.iter().map(Vec::len).sum(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            AttributeValue::L(list) => 3 + list.iter().map(|v| 1 + v.size()).sum::<usize>(),
            AttributeValue::M(map) => {
                3 + map
                    .iter()
                    .map(|(k, v)| 1 + k.len() + v.size())
                    .sum::<usize>()
            }
        }
    }

    /// How many levels of lists and maps this value nests (0 for scalars and sets).
    pub fn nesting_depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack: Vec<(&AttributeValue, usize)> = vec![(self, 0)];
        while let Some((value, depth)) = stack.pop() {
            match value {
                AttributeValue::L(list) => {
                    deepest = deepest.max(depth + 1);
                    stack.extend(list.iter().map(|v| (v, depth + 1)));
                }
                AttributeValue::M(map) => {
                    deepest = deepest.max(depth + 1);
                    stack.extend(map.values().map(|v| (v, depth + 1)));
                }
                _ => {}
            }
        }
        deepest
    }

    /// Checks the rules every value DynamoDB accepts must meet: sets are not
    /// empty, lists and maps nest at most 32 levels. (Set uniqueness holds by
    /// construction; numbers are valid by construction.)
    pub fn validate(&self) -> Result<(), ValueError> {
        let mut stack: Vec<(&AttributeValue, usize)> = vec![(self, 1)];
        while let Some((value, level)) = stack.pop() {
            match value {
                AttributeValue::Ss(s) if s.is_empty() => return Err(empty_set(ValueType::Ss)),
                AttributeValue::Ns(s) if s.is_empty() => return Err(empty_set(ValueType::Ns)),
                AttributeValue::Bs(s) if s.is_empty() => return Err(empty_set(ValueType::Bs)),
                AttributeValue::L(_) | AttributeValue::M(_) if level > MAX_NESTING_DEPTH => {
                    return Err(ValueError::TooDeep);
                }
                AttributeValue::L(list) => stack.extend(list.iter().map(|v| (v, level + 1))),
                AttributeValue::M(map) => stack.extend(map.values().map(|v| (v, level + 1))),
                _ => {}
            }
        }
        Ok(())
    }
}

/// DynamoDB's message for values nested deeper than 32 levels.
pub const NESTING_MESSAGE: &str = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

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

/// Why a value, an item or an attribute name breaks DynamoDB's rules for
/// stored data. It becomes a `ValidationException` ([`crate::Error`]) with
/// the same message (`Display`), and compares equal to that error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// An empty string set.
    #[error("One or more parameter values were invalid: An string set  may not be empty")]
    EmptyStringSet,
    /// An empty number set.
    #[error("One or more parameter values were invalid: An number set  may not be empty")]
    EmptyNumberSet,
    /// An empty binary set.
    #[error("One or more parameter values were invalid: Binary sets should not be empty")]
    EmptyBinarySet,
    /// Lists and maps nested deeper than [`MAX_NESTING_DEPTH`].
    #[error(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
    )]
    TooDeep,
    /// An item over [`MAX_ITEM_SIZE`].
    #[error("Item size has exceeded the maximum allowed size")]
    ItemTooLarge,
    /// An empty attribute name.
    #[error("One or more parameter values were invalid: Empty attribute name")]
    EmptyAttributeName,
    /// An attribute name over [`MAX_ATTRIBUTE_NAME_BYTES`].
    #[error(
        "One or more parameter values were invalid: Attribute name exceeds the limit of {MAX_ATTRIBUTE_NAME_BYTES} bytes; attribute name length: {length}"
    )]
    AttributeNameTooLong {
        /// The name's length in bytes.
        length: usize,
    },
}

impl ValueError {
    /// DynamoDB's message.
    #[must_use]
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The exception it becomes: always `ValidationException`.
    #[must_use]
    pub const fn type_name(&self) -> &'static str {
        "ValidationException"
    }
}

/// DynamoDB's error for an empty set of the given type.
pub(crate) fn empty_set(t: ValueType) -> ValueError {
    match t {
        ValueType::Ss => ValueError::EmptyStringSet,
        ValueType::Ns => ValueError::EmptyNumberSet,
        _ => ValueError::EmptyBinarySet,
    }
}

/// The size of an item as DynamoDB counts it for the 400 KB limit: the sum over
/// attributes of the name's UTF-8 length plus the value's [`AttributeValue::size`].
///
/// ```
/// use dynacond::{AttributeValue, Item, item_size};
///
/// let mut item = Item::new();
/// item.insert("shirt-color".into(), AttributeValue::s("R"));
/// item.insert("shirt-size".into(), AttributeValue::s("M"));
/// assert_eq!(item_size(&item), 23);
/// ```
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + v.size()).sum()
}

/// Checks an item against DynamoDB's rules for stored data: attribute names of
/// 1 to 65535 bytes, valid values (see [`AttributeValue::validate`]) and a size
/// of at most 400 KB (`Item size has exceeded the maximum allowed size`).
pub fn validate_item(item: &Item) -> Result<(), ValueError> {
    for (name, value) in item {
        validate_attribute_name(name)?;
        value.validate()?;
    }
    if item_size(item) > MAX_ITEM_SIZE {
        return Err(ValueError::ItemTooLarge);
    }
    Ok(())
}

/// Checks an attribute name: not empty, at most 65535 UTF-8 bytes.
pub fn validate_attribute_name(name: &str) -> Result<(), ValueError> {
    if name.is_empty() {
        return Err(ValueError::EmptyAttributeName);
    }
    if name.len() > MAX_ATTRIBUTE_NAME_BYTES {
        return Err(ValueError::AttributeNameTooLong { length: name.len() });
    }
    Ok(())
}

impl fmt::Debug for AttributeValue {
    /// Debug output is DynamoDB JSON, which is the most readable form for values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_string(self) {
            Ok(json) => f.write_str(&json),
            Err(_) => f.write_str("<unprintable value>"),
        }
    }
}

impl From<String> for AttributeValue {
    fn from(s: String) -> Self {
        AttributeValue::S(s)
    }
}

impl From<&str> for AttributeValue {
    fn from(s: &str) -> Self {
        AttributeValue::S(s.to_owned())
    }
}

impl From<Number> for AttributeValue {
    fn from(n: Number) -> Self {
        AttributeValue::N(n)
    }
}

impl From<bool> for AttributeValue {
    fn from(b: bool) -> Self {
        AttributeValue::Bool(b)
    }
}

impl From<Vec<u8>> for AttributeValue {
    fn from(b: Vec<u8>) -> Self {
        AttributeValue::B(b)
    }
}

impl From<Vec<AttributeValue>> for AttributeValue {
    fn from(l: Vec<AttributeValue>) -> Self {
        AttributeValue::L(l)
    }
}

impl From<Map> for AttributeValue {
    fn from(m: Map) -> Self {
        AttributeValue::M(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Number {
        s.parse().unwrap()
    }

    #[test]
    fn number_sets_compare_numerically() {
        let a = AttributeValue::Ns([num("1"), num("2.50")].into());
        let b = AttributeValue::Ns([num("2.5"), num("1.0")].into());
        assert_eq!(a, b);
        let set: BTreeSet<Number> = [num("1"), num("1.0"), num("1e0")].into();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn maps_compare_without_order() {
        let mut m1 = Map::new();
        m1.insert("a".into(), AttributeValue::n(1));
        m1.insert("b".into(), AttributeValue::n(2));
        let mut m2 = Map::new();
        m2.insert("b".into(), AttributeValue::n(2));
        m2.insert("a".into(), AttributeValue::n(1));
        assert_eq!(AttributeValue::M(m1), AttributeValue::M(m2));
    }

    #[test]
    fn sizes() {
        assert_eq!(AttributeValue::s("héllo").size(), 6);
        assert_eq!(AttributeValue::B(vec![0; 10]).size(), 10);
        assert_eq!(AttributeValue::Null.size(), 1);
        assert_eq!(
            AttributeValue::L(vec![AttributeValue::Bool(true)]).size(),
            3 + 2
        );
        let mut m = Map::new();
        m.insert("ab".into(), AttributeValue::s("xyz"));
        assert_eq!(AttributeValue::M(m).size(), 3 + 1 + 2 + 3);
        assert_eq!(
            AttributeValue::Ss(["a".to_owned(), "bc".to_owned()].into()).size(),
            3
        );
    }

    #[test]
    fn nesting_limit() {
        let mut v = AttributeValue::n(1);
        for _ in 0..MAX_NESTING_DEPTH {
            v = AttributeValue::L(vec![v]);
        }
        assert_eq!(v.nesting_depth(), 32);
        assert!(v.validate().is_ok());
        let deeper = AttributeValue::L(vec![v]);
        assert_eq!(deeper.validate().unwrap_err().message(), NESTING_MESSAGE);
    }

    #[test]
    fn type_codes() {
        for t in ValueType::ALL {
            assert_eq!(ValueType::from_code(t.code()), Some(t));
        }
        assert_eq!(ValueType::from_code("ss"), None);
        assert_eq!(ValueType::from_code("DOG"), None);
    }
}
