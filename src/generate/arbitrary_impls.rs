//! `arbitrary::Arbitrary` for values, numbers, items and expressions: the
//! fuzzer's bytes are the generator's choices.

use arbitrary::{Arbitrary, Result, Unstructured};

use super::{Condition, Shape, Source, TableItem, Update};
use crate::number::Number;
use crate::value::{AttributeValue, Item};

/// Choices read from the fuzzer's input; zeros once it has run out.
struct Fuzz<'u, 'a>(&'u mut Unstructured<'a>);

impl Source for Fuzz<'_, '_> {
    fn byte(&mut self) -> u8 {
        u8::arbitrary(self.0).unwrap_or(0)
    }
}

impl<'a> Arbitrary<'a> for Number {
    /// Any valid DynamoDB number (at most 38 digits, within range).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(super::number(&mut Fuzz(u)))
    }
}

impl<'a> Arbitrary<'a> for AttributeValue {
    /// A value of any of the ten types that DynamoDB accepts (see
    /// [`crate::generate`]).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(super::attribute_value(&mut Fuzz(u)))
    }
}

impl<'a> Arbitrary<'a> for TableItem {
    /// An item of [`Shape::default()`].
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Shape::default().arbitrary_item(u).map(TableItem)
    }
}

impl<'a> Arbitrary<'a> for Condition {
    /// A condition over [`Shape::default()`]'s names, with its maps.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Shape::default().arbitrary_condition(u)
    }
}

impl<'a> Arbitrary<'a> for Update {
    /// An update of [`Shape::default()`]'s non-key attributes, with its maps.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Shape::default().arbitrary_update(u)
    }
}

impl Shape {
    /// An item of this shape from the fuzzer's input (feature `arbitrary`).
    pub fn arbitrary_item(&self, u: &mut Unstructured<'_>) -> Result<Item> {
        Ok(super::item(&mut Fuzz(u), self))
    }

    /// A condition over this shape's names, with its maps (feature
    /// `arbitrary`).
    pub fn arbitrary_condition(&self, u: &mut Unstructured<'_>) -> Result<Condition> {
        Ok(super::condition(&mut Fuzz(u), self))
    }

    /// An update of this shape's non-key attributes, with its maps
    /// (feature `arbitrary`).
    pub fn arbitrary_update(&self, u: &mut Unstructured<'_>) -> Result<Update> {
        Ok(super::update(&mut Fuzz(u), self))
    }

    /// An update of this shape's non-key attributes that applies to `item`
    /// without error (feature `arbitrary`; see
    /// `dynacond::strategies::item_and_update`).
    pub fn arbitrary_update_for(&self, u: &mut Unstructured<'_>, item: &Item) -> Result<Update> {
        Ok(super::update_for(&mut Fuzz(u), self, item))
    }
}
