//! Errors of the PartiQL front end, kept structured (what, and where in the
//! text) until they become an [`Error`] with DynamoDB's words.
//!
//! PartiQL messages are bare (no `Invalid ...Expression: ` head, no
//! `1 validation error detected: ` prefix, spec partiql.md §0.2). Syntax
//! errors read `Statement wasn't well formed, can't be processed: <detail>`
//! ([`SyntaxDetail`]); some other messages end with the source position of
//! the token they are about, ` at <line>:<column>:<length>`.

use std::fmt;

use crate::ast::Span;
use crate::error::Error;
use crate::partiql::lexer::position;

/// The detail of a syntax error, after
/// `Statement wasn't well formed, can't be processed: `.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SyntaxDetail {
    /// Text the lexer cannot read (an unknown character such as `#`, an
    /// unterminated string or comment, a number beyond what DynamoDB reads):
    /// nothing after the colon.
    Unreadable,
    /// Tokens after a complete statement.
    TokenAfterExpression,
    /// Nothing where a term should start.
    UnexpectedTerm,
    /// A condition that ends with an infix operator.
    MissingRightHandSide,
    /// A keyword where a term or name belongs.
    UnexpectedKeyword,
    /// An operator where a term belongs.
    UnexpectedOperator,
    /// `x IS` followed by something that is no type name.
    ExpectedTypeName,
    /// A statement's table name is missing.
    ExpectedIdentifier,
    /// The statement does not start with a DML keyword.
    ExpectedDataManipulation,
    /// A keyword after a dot in a path.
    InvalidPathDot,
    /// A missing closing parenthesis.
    ExpectedRightParen,
    /// Brackets and parentheses nested beyond the parser's limit.
    TooDeep,
}

impl SyntaxDetail {
    /// The text after the colon.
    #[must_use]
    pub const fn text(self) -> &'static str {
        match self {
            SyntaxDetail::Unreadable => "",
            SyntaxDetail::TokenAfterExpression => "Unexpected token after expression",
            SyntaxDetail::UnexpectedTerm => "Unexpected term",
            SyntaxDetail::MissingRightHandSide => {
                "Missing right-hand side expression of infix operator"
            }
            SyntaxDetail::UnexpectedKeyword => "Unexpected keyword",
            SyntaxDetail::UnexpectedOperator => "Unexpected operator",
            SyntaxDetail::ExpectedTypeName => "Expected type name",
            SyntaxDetail::ExpectedIdentifier => "Expected identifier for simple path",
            SyntaxDetail::ExpectedDataManipulation => "Expected data manipulation",
            SyntaxDetail::InvalidPathDot => "Invalid path dot component",
            SyntaxDetail::ExpectedRightParen => "Expected RIGHT_PAREN",
            SyntaxDetail::TooDeep => "Expression nested too deeply",
        }
    }
}

/// The head of every syntax error.
pub const SYNTAX_HEAD: &str = "Statement wasn't well formed, can't be processed: ";

/// A problem with a statement: a syntax error, or a message that may end
/// with the position of the token it is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatementError {
    kind: Kind,
    span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Kind {
    Syntax(SyntaxDetail),
    Message(String),
}

impl StatementError {
    /// A syntax error; `span` is the token where the parser stopped.
    pub(crate) fn syntax(detail: SyntaxDetail, span: Option<Span>) -> Self {
        StatementError {
            kind: Kind::Syntax(detail),
            span,
        }
    }

    /// A message without a position.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        StatementError {
            kind: Kind::Message(message.into()),
            span: None,
        }
    }

    /// A message that ends with the position of `span`.
    pub(crate) fn at(message: impl Into<String>, span: Span) -> Self {
        StatementError {
            kind: Kind::Message(message.into()),
            span: Some(span),
        }
    }

    /// The syntax detail, for a syntax error.
    #[must_use]
    pub fn syntax_detail(&self) -> Option<SyntaxDetail> {
        match self.kind {
            Kind::Syntax(d) => Some(d),
            Kind::Message(_) => None,
        }
    }

    /// The byte range of the statement the error is about, if any.
    #[must_use]
    pub fn span(&self) -> Option<Span> {
        self.span
    }

    /// DynamoDB's message for this error in `text` (positions are printed
    /// as line, column and length in characters).
    #[must_use]
    pub fn message(&self, text: &str) -> String {
        match &self.kind {
            Kind::Syntax(detail) => format!("{SYNTAX_HEAD}{}", detail.text()),
            Kind::Message(m) => match self.span {
                Some(span) => format!("{m} at {}", position(text, span)),
                None => m.clone(),
            },
        }
    }

    /// The `ValidationException` for this error in `text`.
    pub(crate) fn into_error(self, text: &str) -> Error {
        Error::validation(self.message(text))
    }
}

impl fmt::Display for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Syntax(detail) => write!(f, "{SYNTAX_HEAD}{}", detail.text()),
            Kind::Message(m) => match self.span {
                Some(span) => write!(f, "{m} at byte {}", span.start),
                None => f.write_str(m),
            },
        }
    }
}

/// An expression error from the engine (binding the translated trees),
/// reported bare: the detail without the `Invalid ...Expression: ` head.
pub(crate) fn bare(error: Error) -> Error {
    match error {
        Error::InvalidExpression(e) => Error::validation(e.detail()),
        other => other,
    }
}
