//! proptest strategies for users' own property tests (feature `proptest`):
//! valid attribute values, items of a table's [`Shape`] (its key schema and
//! attribute names), and condition and update expressions together with
//! exactly the `ExpressionAttributeNames` / `ExpressionAttributeValues` they
//! use; [`item_and_update`] gives an item with an update that applies to it.
//! What "valid" means is set out in [`crate::generate`].
//!
//! Each strategy draws a byte vector and reads it as a stream of choices, so
//! proptest shrinks a failing case by shortening and lowering those bytes:
//! fewer attributes, shallower values, fewer and simpler expression clauses.
//!
//! ```
//! use dynacond::api::{CreateTableInput, PutItemInput};
//! use dynacond::strategies::{self, Shape};
//! use dynacond::{Error, ScalarType, Store};
//! use proptest::prelude::*;
//!
//! let shape = Shape::partition("id", ScalarType::S);
//! let mut runner = proptest::test_runner::TestRunner::default();
//! runner
//!     .run(&(strategies::item(&shape), strategies::condition(&shape)), |(item, condition)| {
//!         let store = Store::new();
//!         store.create_table(CreateTableInput::new("users").with_hash_key("id", ScalarType::S))
//!             .unwrap();
//!         let mut put = PutItemInput::new("users", item).with_condition(&condition.expression);
//!         put.expression_attribute_names = condition.names().cloned();
//!         put.expression_attribute_values = condition.values().cloned();
//!         // A generated condition is valid: the put succeeds or the condition fails.
//!         match store.put_item(put) {
//!             Ok(_) | Err(Error::ConditionalCheckFailed { .. }) => Ok(()),
//!             Err(e) => Err(TestCaseError::fail(e.to_string())),
//!         }
//!     })
//!     .unwrap();
//! ```

use proptest::collection::vec;
use proptest::prelude::*;

use crate::generate::{self, Bytes};
pub use crate::generate::{Condition, DEFAULT_ATTRIBUTES, Shape, Update};
use crate::number::Number;
use crate::value::{AttributeValue, Item, ScalarType};

/// The most choices one generated value reads (after them, zeros: the
/// simplest choices).
const MAX_CHOICES: usize = 1024;

fn choices() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..MAX_CHOICES)
}

/// Any valid DynamoDB number: at most 38 significant digits, within
/// DynamoDB's range, sometimes a pooled edge (the largest and smallest
/// magnitudes, 38 nines), spelled in varied ways before parsing.
pub fn number() -> impl Strategy<Value = Number> {
    choices().prop_map(|b| generate::number(&mut Bytes(&b)))
}

/// A value of any of the ten types, valid for DynamoDB: non-empty sets
/// without duplicates, lists and maps nesting at most three levels.
pub fn attribute_value() -> impl Strategy<Value = AttributeValue> {
    choices().prop_map(|b| generate::attribute_value(&mut Bytes(&b)))
}

/// A key value of this type (strings and binaries not empty).
pub fn key_value(scalar_type: ScalarType) -> impl Strategy<Value = AttributeValue> {
    choices().prop_map(move |b| generate::scalar(&mut Bytes(&b), scalar_type, 1))
}

/// An item of the shape: every key attribute with its type, and each other
/// attribute name of the shape three times in four.
pub fn item(shape: &Shape) -> impl Strategy<Value = Item> + use<> {
    let shape = shape.clone();
    choices().prop_map(move |b| generate::item(&mut Bytes(&b), &shape))
}

/// A ConditionExpression over the shape's attribute names (keys included),
/// with its placeholder maps: comparisons, `size()`, `BETWEEN`, `IN`, the
/// functions, and `NOT` / `AND` / `OR` up to three levels.
pub fn condition(shape: &Shape) -> impl Strategy<Value = Condition> + use<> {
    let shape = shape.clone();
    choices().prop_map(move |b| generate::condition(&mut Bytes(&b), &shape))
}

/// An UpdateExpression of one to four actions (`SET` with values,
/// arithmetic, `list_append`, `if_not_exists` and copies; `REMOVE`; `ADD`;
/// `DELETE`) on distinct non-key attributes of the shape, with its
/// placeholder maps.
pub fn update(shape: &Shape) -> impl Strategy<Value = Update> + use<> {
    let shape = shape.clone();
    choices().prop_map(move |b| generate::update(&mut Bytes(&b), &shape))
}

/// An item of the shape and an update that applies to it without error:
/// each action suits what the item holds at its target (arithmetic on small
/// numbers, `list_append` on lists, `ADD` / `DELETE` with sets of the
/// target's type, copies of attributes the item has). For checking what an
/// update does, where [`update`] mostly checks what it refuses.
pub fn item_and_update(shape: &Shape) -> impl Strategy<Value = (Item, Update)> + use<> {
    let shape = shape.clone();
    choices().prop_map(move |b| {
        let mut src = Bytes(&b);
        let item = generate::item(&mut src, &shape);
        let update = generate::update_for(&mut src, &shape, &item);
        (item, update)
    })
}

/// An update that applies to this item (of this shape) without error; see
/// [`item_and_update`].
pub fn update_for(shape: &Shape, item: Item) -> impl Strategy<Value = Update> + use<> {
    let shape = shape.clone();
    choices().prop_map(move |b| generate::update_for(&mut Bytes(&b), &shape, &item))
}
