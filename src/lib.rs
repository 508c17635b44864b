//! dynacond: Amazon DynamoDB's expression languages, conditional writes and
//! transactions, reproduced exactly and in memory.
//!
//! The foundation is DynamoDB's data model:
//!
//! * [`AttributeValue`] and [`Item`]: the ten value types (`S`, `N`, `B`, `SS`,
//!   `NS`, `BS`, `BOOL`, `NULL`, `L`, `M`), with DynamoDB's equality (sets are
//!   unordered, number sets compare numerically) and item size ([`item_size`]);
//! * [`Number`]: exact 38-digit decimals with DynamoDB's parsing, range,
//!   canonical text and arithmetic errors;
//! * [`wire`]: DynamoDB JSON (`{"S": "x"}`, `{"N": "1"}`, ...) with DynamoDB's
//!   SerializationException / ValidationException layering and messages, plus
//!   conversion to and from plain JSON documents;
//! * [`Error`]: every failure carries DynamoDB's exception type and exact message.
//!
//! On it stand the expression languages, each parsed once into an immutable
//! value, bound to a request's placeholder maps ([`placeholders`]), then
//! evaluated or applied many times:
//!
//! * [`condition`] for ConditionExpression and FilterExpression ([`ast`] and
//!   [`parser`] hold the syntax trees, with spans, and the parsers; parse
//!   errors are an [`parser::ExprError`] with its kind, detail and span);
//! * [`update`] for UpdateExpression, with DynamoDB's execution model and the
//!   UPDATED_OLD / UPDATED_NEW return values;
//! * [`projection`] for ProjectionExpression;
//! * [`legacy`] for the pre-expression parameters (`Expected`,
//!   `AttributeUpdates`, `AttributesToGet`, `KeyConditions`, `QueryFilter`,
//!   `ScanFilter`), translated into the same trees.
//! * [`partiql`] for PartiQL statements (`ExecuteStatement`,
//!   `BatchExecuteStatement`, `ExecuteTransaction`), parsed once and
//!   translated into the same trees.
//!
//! On top of it, [`Store`] is an in-memory DynamoDB: tables, GetItem / PutItem /
//! UpdateItem / DeleteItem with conditions and ReturnValues,
//! TransactWriteItems / TransactGetItems, BatchGetItem / BatchWriteItem, Query
//! and Scan, taking typed requests shaped as DynamoDB's API ([`api`], with
//! builders and DynamoDB's enums). Every operation runs one request pipeline
//! (legacy or expression parameters → trees → bound to the request → run
//! against items); its design (per-item locks held by guards, ordered locking
//! for transactions, writes planned in full before one commit) is described in
//! [`store`] and [`store::transaction`]. [`protocol`] speaks DynamoDB's JSON
//! protocol over a store, and the `server` feature serves it over HTTP.
//! For users' own tests, the `proptest` feature adds `dynacond::strategies`
//! and the `arbitrary` feature `Arbitrary` impls (`dynacond::generate`):
//! valid values, items and expressions with their placeholder maps.
//!
//! ```
//! use dynacond::{wire, AttributeValue, Number};
//!
//! let item = wire::item_from_json(br#"{"pk": {"S": "user#1"}, "balance": {"N": "100"}}"#)?;
//! let deposit: Number = "25.41".parse()?;
//! let balance = item["balance"].as_n().unwrap().checked_add(&deposit)?;
//! assert_eq!(balance.to_string(), "125.41");
//! # Ok::<(), dynacond::Error>(())
//! ```
//!
//! # Untrusted input
//!
//! Nothing in this crate panics on caller data. Numbers with absurd exponents
//! (`1e999999999`) are rejected while parsing, without expanding them; DynamoDB
//! JSON nests at most as deep as `serde_json` allows (128 levels), and stored
//! values at most 32 levels ([`AttributeValue::validate`]). Expressions are
//! limited as DynamoDB limits them (4 KB of text, 300 operators, paths of 32
//! elements) by a byte pre-scan before the recursive parser runs, so no
//! expression can exhaust the stack, even in a debug build on a 2 MiB thread.

pub mod api;
pub mod ast;
pub mod clock;
pub mod condition;
pub(crate) mod constraints;
pub mod control;
mod enum_member;
pub mod error;
pub mod explain;
pub mod faults;
pub mod fixtures;
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
pub mod generate;
pub mod legacy;
pub mod number;
pub mod parser;
pub mod partiql;
pub(crate) mod path;
pub mod placeholders;
pub mod projection;
pub mod protocol;
#[cfg(feature = "sdk")]
pub mod sdk;
pub(crate) mod semantics;
#[cfg(feature = "server")]
pub mod server;
pub mod store;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod update;
pub mod value;
pub mod wire;

pub use clock::Clock;
pub use error::{
    CancellationReason, CancellationReasonCode, ConstraintViolation, Error, Result, ShownValue,
};
pub use number::{Number, NumberError};
pub use store::{ScalarType, Store, StoreBuilder};
pub use value::{
    AttributeValue, Item, Map, ValueType, item_size, validate_attribute_name, validate_item,
};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
