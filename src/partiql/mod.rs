//! PartiQL, DynamoDB's SQL-compatible language (`ExecuteStatement`,
//! `BatchExecuteStatement`, `ExecuteTransaction`; spec partiql.md), as a
//! front end of the same engine: a statement is parsed once into a small
//! syntax tree, then translated into the trees every other operation runs —
//! condition trees for WHERE, update trees for SET / REMOVE, document paths
//! for the projection, an item for INSERT — and executed by the store's
//! request pipeline, single-item writes, Query/Scan page loop and
//! transaction engine ([`crate::store`]).
//!
//! # Phases
//!
//! 1. [`Statement::parse`]: the text (at most [`MAX_STATEMENT_BYTES`]) is
//!    tokenised by a nom lexer (comments, `''` / `""` escapes, bags,
//!    numbers DynamoDB can read), then parsed by recursive descent over the
//!    tokens with DynamoDB's syntax details
//!    (`Statement wasn't well formed, can't be processed: Unexpected term`).
//!    The parsed statement is immutable and cheap to clone; the store keeps
//!    the last few hundred by their text ([`parse_cached`]).
//! 2. Binding its `?` parameters and translating (the private `lower`
//!    module): literals become attribute values (`... under root.x`), every
//!    value a generated `:~q<n>` placeholder, names literal path elements;
//!    function, operand and structure rules are checked. All of it before
//!    the table is looked up, as DynamoDB does.
//! 3. Against the table: the key read off the WHERE (`keys`), the access
//!    path of a SELECT, then the ordinary pipeline.
//!
//! # Untrusted input
//!
//! Statements are at most 8192 bytes; the lexer is a loop; a pre-scan of
//! the tokens refuses more than [`MAX_NESTING`] open brackets, and
//! more than [`MAX_OPERATORS`] operators are refused as they are
//! read, so the parser's recursion and the trees built from a statement are
//! bounded whatever the text (a debug build parses the deepest accepted
//! statement on a 2 MiB thread). Nothing panics.
//!
//! ```
//! use dynacond::partiql::{Statement, StatementKind};
//!
//! let s = Statement::parse("select * from \"orders\" where pk = ? and total > 100")?;
//! assert_eq!(s.kind(), StatementKind::Select);
//! assert_eq!(s.table_name(), "orders");
//! assert_eq!(s.parameter_count(), 1);
//! assert_eq!(s.to_string(), r#"SELECT * FROM "orders" WHERE "pk" = ? AND "total" > 100"#);
//!
//! let e = Statement::parse("SELECT * FROM \"orders\" WHERE").unwrap_err();
//! assert_eq!(e.message(), "Statement wasn't well formed, can't be processed: Unexpected term");
//! # Ok::<(), dynacond::Error>(())
//! ```

pub(crate) mod error;
pub(crate) mod keys;
mod lexer;
pub(crate) mod lower;
mod parser;
mod print;
pub(crate) mod syntax;
pub(crate) mod value;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock};

pub use error::{StatementError, SyntaxDetail};
pub use parser::{MAX_NESTING, MAX_OPERATORS};

use crate::error::Error;
use crate::placeholders::ExpressionAttributeValues;
use crate::value::AttributeValue;
use syntax::Dml;

/// The longest statement, in bytes.
pub const MAX_STATEMENT_BYTES: usize = 8192;

/// What a statement does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatementKind {
    /// `SELECT`: reads items.
    Select,
    /// `INSERT INTO ... VALUE {...}`: creates one item.
    Insert,
    /// `UPDATE ... SET / REMOVE ... WHERE <key>` (or the `FROM` form).
    Update,
    /// `DELETE FROM ... WHERE <key>`.
    Delete,
    /// `EXISTS(SELECT ...)`: a condition check inside ExecuteTransaction.
    Exists,
}

impl StatementKind {
    /// Whether the statement reads (a SELECT) rather than writes.
    #[must_use]
    pub const fn is_read(self) -> bool {
        matches!(self, StatementKind::Select)
    }
}

/// A parsed PartiQL statement: immutable, `Send + Sync`, cheap to clone.
/// `Display` prints its canonical text, which parses to the same
/// statement.
#[derive(Clone, PartialEq, Eq)]
pub struct Statement {
    inner: Arc<Inner>,
}

#[derive(PartialEq, Eq)]
struct Inner {
    text: Box<str>,
    dml: Dml,
    parameters: usize,
}

impl Statement {
    /// Parses one statement, with DynamoDB's syntax messages.
    pub fn parse(text: &str) -> Result<Self, Error> {
        Self::parse_structured(text).map_err(|e| e.into_error(text))
    }

    /// Like [`Statement::parse`], keeping the error structured (its
    /// [`StatementError::message`] needs the text for positions).
    pub fn parse_structured(text: &str) -> Result<Self, StatementError> {
        if text.len() > MAX_STATEMENT_BYTES {
            return Err(StatementError::new(format!(
                "Member must have length less than or equal to {MAX_STATEMENT_BYTES}"
            )));
        }
        let tokens = lexer::tokenize(text)
            .map_err(|_| StatementError::syntax(SyntaxDetail::Unreadable, None))?;
        let parsed = parser::parse(text, &tokens)?;
        Ok(Statement {
            inner: Arc::new(Inner {
                text: text.into(),
                dml: parsed.dml,
                parameters: parsed.parameters,
            }),
        })
    }

    /// The text the statement was parsed from.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// How many `?` parameters it holds.
    #[must_use]
    pub fn parameter_count(&self) -> usize {
        self.inner.parameters
    }

    /// What it does.
    #[must_use]
    pub fn kind(&self) -> StatementKind {
        match &self.inner.dml {
            Dml::Select(_) => StatementKind::Select,
            Dml::Insert(_) => StatementKind::Insert,
            Dml::Update(_) => StatementKind::Update,
            Dml::Delete(_) => StatementKind::Delete,
            Dml::Exists(_) => StatementKind::Exists,
        }
    }

    fn source(&self) -> &syntax::Source {
        match &self.inner.dml {
            Dml::Select(s) | Dml::Exists(s) => &s.from,
            Dml::Insert(i) => &i.into,
            Dml::Update(u) => &u.table,
            Dml::Delete(d) => &d.from,
        }
    }

    /// The table it names.
    #[must_use]
    pub fn table_name(&self) -> &str {
        &self.source().table.text
    }

    /// The index it names (`"table"."index"`), if any.
    #[must_use]
    pub fn index_name(&self) -> Option<&str> {
        self.source().index.as_ref().map(|n| n.text.as_str())
    }

    /// Whether it has a RETURNING clause.
    #[must_use]
    pub fn has_returning(&self) -> bool {
        match &self.inner.dml {
            Dml::Update(u) => u.returning.is_some(),
            Dml::Delete(d) => d.returning.is_some(),
            _ => false,
        }
    }

    /// Binds the parameters (validated by the caller) and translates the
    /// statement: its trees and the values of their placeholders.
    pub(crate) fn lower(
        &self,
        params: &[AttributeValue],
    ) -> Result<(lower::Lowered, ExpressionAttributeValues), Error> {
        if params.len() < self.inner.parameters {
            return Err(Error::validation(
                "Number of parameters in request and statement don't match.",
            ));
        }
        lower::lower(&self.inner.dml, params).map_err(|e| e.into_error(self.text()))
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.dml.fmt(f)
    }
}

impl fmt::Debug for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Statement({self})")
    }
}

impl FromStr for Statement {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Statement::parse(s)
    }
}

impl StatementError {
    /// DynamoDB's message for this error, when the statement text is not at
    /// hand (positions are then omitted).
    #[must_use]
    pub fn message_without_text(&self) -> String {
        self.message("")
    }
}

/// How many parsed statements [`parse_cached`] keeps.
const CACHE_SIZE: usize = 512;

/// [`Statement::parse`] through a process-wide cache of the last parsed
/// statements, keyed by their text (cleared whenever it fills up; failures
/// are not kept).
pub fn parse_cached(text: &str) -> Result<Statement, Error> {
    static CACHE: OnceLock<Mutex<HashMap<Box<str>, Statement>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let lock = || {
        cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some(found) = lock().get(text) {
        return Ok(found.clone());
    }
    let statement = Statement::parse(text)?;
    let mut map = lock();
    if map.len() >= CACHE_SIZE {
        map.clear();
    }
    map.insert(text.into(), statement.clone());
    Ok(statement)
}

#[cfg(test)]
mod tests;
