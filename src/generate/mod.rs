//! Generators of valid DynamoDB data for users' own property tests and fuzz
//! targets: attribute values, items for a key schema, and condition and
//! update expressions together with the placeholder maps they need.
//!
//! Built with the `proptest` feature (as the strategies of
//! [`crate::strategies`]) or the `arbitrary` feature (as
//! `arbitrary::Arbitrary` impls for [`AttributeValue`], [`Number`],
//! [`TableItem`], [`Condition`] and [`Update`], and the methods of
//! [`Shape`] taking an `arbitrary::Unstructured`).
//!
//! What "valid" means here is what DynamoDB accepts in a request:
//!
//! * numbers have at most 38 significant digits and lie within DynamoDB's
//!   range (`1e-130` to `9.99...e125` in magnitude), spelled in varied ways
//!   before being parsed;
//! * sets are non-empty, their members distinct (numbers by value);
//! * lists and maps nest at most three levels below an attribute and hold at
//!   most four entries, strings at most 16 characters, so an item stays far
//!   below 400 KB;
//! * an item has every key attribute of its [`Shape`] with the key's type
//!   (non-empty strings and binaries), and other attributes drawn from the
//!   shape's names;
//! * an expression parses, each `#name` and `:value` it uses is defined in
//!   its maps and each defined one is used, and it binds: ordering
//!   comparisons and `BETWEEN` take `S`, `N` or `B` values (`BETWEEN`'s
//!   bounds in order), `size()` compares with numbers, `attribute_type` is
//!   given a type code, a path is not compared with itself, and an update
//!   writes no key attribute and no two overlapping paths. Names that are
//!   reserved words or not identifiers always go through `#name`
//!   placeholders; others sometimes do.
//!
//! Applying an update can still fail on an item (`SET a = b + :v` when `b`
//! is a string): such updates exercise DynamoDB's refusals, and about a
//! quarter of them apply to an independent item of the shape. For updates
//! that apply, an update is generated for a given item instead
//! (`strategies::item_and_update`, `strategies::update_for`,
//! [`Shape::arbitrary_update_for`]): each action then suits what the item
//! holds at its target.
//!
//! Both features share one generator, driven by a stream of choices (bytes):
//! arbitrary reads them from the fuzzer's input, proptest from a byte vector
//! it shrinks, where a smaller or shorter stream gives a simpler value (the
//! stream runs out into zeros, and choice 0 is always the simplest).

mod expressions;
mod fitting;
mod values;

#[cfg(feature = "arbitrary")]
mod arbitrary_impls;

use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::store::{KeyAttribute, KeySchema};
use crate::value::{Item, ScalarType};
#[cfg(doc)]
use crate::{AttributeValue, Number};

/// What generated items and expressions look like: the table's key schema
/// and the other attribute names to draw from (they are also the keys of
/// generated maps, so nested paths in expressions often hit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// The key attributes every generated item has; updates never write them.
    pub key: KeySchema,
    /// Non-key attribute names; names of the key are ignored here.
    pub attributes: Vec<String>,
}

/// The attribute names [`Shape::new`] starts with: identifiers, a reserved
/// word, and names only a `#name` placeholder can reach.
pub const DEFAULT_ATTRIBUTES: [&str; 7] = ["a", "b", "count", "status", "x.y", "tags", "é"];

impl Shape {
    /// A shape with this key schema and [`DEFAULT_ATTRIBUTES`].
    pub fn new(key: KeySchema) -> Shape {
        Shape {
            key,
            attributes: DEFAULT_ATTRIBUTES.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// A partition key only.
    pub fn partition(name: impl Into<String>, scalar_type: ScalarType) -> Shape {
        Shape::new(KeySchema {
            partition: KeyAttribute {
                name: name.into(),
                scalar_type,
            },
            sort: None,
        })
    }

    /// Adds a sort key.
    #[must_use]
    pub fn with_sort(mut self, name: impl Into<String>, scalar_type: ScalarType) -> Shape {
        self.key.sort = Some(KeyAttribute {
            name: name.into(),
            scalar_type,
        });
        self
    }

    /// Replaces the non-key attribute names (an empty list keeps items to
    /// their key and updates to no action on non-key attributes; generated
    /// updates then use a name of their own).
    #[must_use]
    pub fn with_attributes<I, S>(mut self, names: I) -> Shape
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.attributes = names.into_iter().map(Into::into).collect();
        self
    }

    /// The key attribute names.
    pub(crate) fn key_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.key.partition.name.as_str())
            .chain(self.key.sort.iter().map(|k| k.name.as_str()))
    }

    /// The non-key attribute names, without the key's and duplicates.
    pub(crate) fn non_key(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for name in &self.attributes {
            if !name.is_empty() && !self.key_names().any(|k| k == name) && !out.contains(&&**name) {
                out.push(name);
            }
        }
        out
    }
}

impl Default for Shape {
    /// A string partition key `pk` and [`DEFAULT_ATTRIBUTES`].
    fn default() -> Shape {
        Shape::partition("pk", ScalarType::S)
    }
}

/// A generated ConditionExpression with its placeholder maps: what a
/// conditional PutItem, UpdateItem or DeleteItem sends.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Condition {
    /// The expression text.
    pub expression: String,
    /// `ExpressionAttributeNames`: exactly the `#name`s the text uses.
    pub names: ExpressionAttributeNames,
    /// `ExpressionAttributeValues`: exactly the `:value`s the text uses.
    pub values: ExpressionAttributeValues,
}

/// A generated UpdateExpression with its placeholder maps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Update {
    /// The expression text.
    pub expression: String,
    /// `ExpressionAttributeNames`: exactly the `#name`s the text uses.
    pub names: ExpressionAttributeNames,
    /// `ExpressionAttributeValues`: exactly the `:value`s the text uses.
    pub values: ExpressionAttributeValues,
}

macro_rules! map_accessors {
    ($t:ty) => {
        impl $t {
            /// The names map as a request carries it: `None` when empty
            /// (DynamoDB rejects an empty map).
            pub fn names(&self) -> Option<&ExpressionAttributeNames> {
                (!self.names.is_empty()).then_some(&self.names)
            }

            /// The values map as a request carries it: `None` when empty.
            pub fn values(&self) -> Option<&ExpressionAttributeValues> {
                (!self.values.is_empty()).then_some(&self.values)
            }
        }
    };
}
map_accessors!(Condition);
map_accessors!(Update);

/// An item of [`Shape::default()`] (a string key `pk`), for
/// `arbitrary::Arbitrary`, which cannot take a shape as a parameter
/// (`Shape::arbitrary_item` can).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableItem(pub Item);

/// A stream of choices. Every generator reads bytes from one; a stream that
/// has run out answers zeros, and 0 is always the simplest choice.
pub(crate) trait Source {
    /// The next byte (0 once the stream has run out).
    fn byte(&mut self) -> u8;

    /// A choice in `0..n` (0 when `n` is 0 or 1).
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let wide = if n <= 256 {
            usize::from(self.byte())
        } else {
            usize::from(self.byte()) << 8 | usize::from(self.byte())
        };
        wide % n
    }

    /// True about once in `n` times (never once the stream has run out).
    fn one_in(&mut self, n: u8) -> bool {
        n > 0 && self.byte() % n == n - 1
    }

    /// One element of a non-empty slice (`None` for an empty one).
    fn pick<'p, T>(&mut self, pool: &'p [T]) -> Option<&'p T> {
        let at = self.below(pool.len());
        pool.get(at)
    }
}

/// Choices read from a byte slice.
#[cfg(feature = "proptest")]
pub(crate) struct Bytes<'a>(pub(crate) &'a [u8]);

#[cfg(feature = "proptest")]
impl Source for Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
}

pub(crate) use expressions::{condition, update};
pub(crate) use fitting::update_for;
#[cfg(feature = "proptest")]
pub(crate) use values::scalar;
pub(crate) use values::{attribute_value, item, number};
