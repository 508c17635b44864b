//! The nom parsers for DynamoDB's expression languages: conditions
//! ([`parse_condition`]), updates ([`parse_update`]) and projections
//! ([`parse_projection`]), and the building blocks they share (document
//! paths, placeholders, operands, function calls).
//!
//! # Phases
//!
//! 1. [`check_limits`]: size, emptiness and the operator count, by a single
//!    pass over the bytes, before any recursion.
//! 2. The grammar (spec §5.1, §7.1, §8), parsed completely: the first syntax error
//!    stops everything and is reported as
//!    `Syntax error; token: "<tok>", near: "<context>"`.
//! 3. Only when the whole text parsed are semantic problems reported. They
//!    are collected while parsing and the most important wins, in the order
//!    of spec §5.4 and, within one kind, the first in the text: a repeated
//!    update clause, redundant parentheses, unknown function, misused
//!    function, reserved word, path too deep, list index out of range,
//!    operand count (function arity, `IN` list size), argument that must be
//!    a document path.
//!
//! Placeholder definitions and types are not checked here: that needs the
//! request's `ExpressionAttributeNames` / `ExpressionAttributeValues`.
//!
//! # Recursion
//!
//! The grammar is parsed operand first, then by a loop over operators, so
//! nothing is parsed twice. Runs of `NOT` and `(` are read iteratively and
//! operands (nested function calls and parentheses) with an explicit stack;
//! the parser recurses only for an `AND` / `OR` operand inside parentheses
//! (`a = b AND (c = d AND (...))`). Each such level takes two operators, so
//! text that passed [`check_limits`] nests at most 150 deep; a depth budget
//! ([`MAX_NESTING`]) bounds the recursion whatever the input. The update
//! and projection parsers do not recurse while parsing; turning an update's
//! nested function calls into its tree recurses once per call, at most 300.
//!
//! ```
//! use dynacond::parser::{parse_condition, ExpressionKind};
//!
//! let c = parse_condition("attribute_not_exists(pk) AND #v = :v", ExpressionKind::Condition)?;
//! assert_eq!(c.to_prefix(), "(AND (attribute_not_exists pk) (= #v :v))");
//!
//! let e = parse_condition("a = :v AND", ExpressionKind::Condition).unwrap_err();
//! assert_eq!(
//!     e.to_string(),
//!     r#"Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND""#
//! );
//! # Ok::<(), dynacond::parser::ExprError>(())
//! ```

mod condition;
pub mod error;
pub(crate) mod lexer;
mod limits;
mod operand;
mod projection;
mod update;

use nom::IResult;
use nom::error::{ErrorKind, ParseError};

use crate::ast::{ConditionTree, Span};
pub use crate::parser::error::{ErrorDetail, ExprError, ExpressionKind};
use lexer::{ClauseKeyword, Keyword};
pub use limits::{
    MAX_EXPRESSION_BYTES, MAX_IN_OPERANDS, MAX_LIST_INDEX, MAX_OPERATORS, MAX_PATH_DEPTH,
    check_limits,
};
pub(crate) use operand::{FunctionCall, RawOperand};

/// The `#name` and `:value` placeholders a text mentions, in order, as the
/// expression lexer finds them (also in text that does not parse).
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    lexer::placeholders(text)
}
pub use projection::parse_projection;
pub use update::parse_update;

/// How deep the condition parser recurses (once per `AND` / `OR` operand
/// nested in parentheses) before giving up with a syntax error. Each level
/// takes two operators, so text that passed [`check_limits`] needs at most
/// 151 and never reaches this; it bounds the stack whatever the input (about
/// 4 KiB per level in a debug build, a quarter of that optimised).
pub const MAX_NESTING: u32 = 200;

/// Parses a condition (`ConditionExpression`, `FilterExpression`, or a
/// `KeyConditionExpression` before its key-specific restrictions), with
/// every check that needs no placeholder values. `kind` only names the
/// parameter in error messages.
///
/// # Errors
/// The first problem by DynamoDB's order: a limit, a syntax error, then the
/// semantic checks listed in the [module documentation](self).
pub fn parse_condition(text: &str, kind: ExpressionKind) -> Result<ConditionTree, ExprError> {
    let mut p = ExprParser::new(text, kind)?;
    let result = p.condition(text);
    p.finish(result)
}

impl std::str::FromStr for ConditionTree {
    type Err = ExprError;

    /// Parses a `ConditionExpression`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_condition(s, ExpressionKind::Condition)
    }
}

/// The result type of the sub-parsers: nom's, over `&str`.
pub(crate) type PResult<'a, T> = IResult<&'a str, T, SyntaxFail>;

/// A syntax failure: where in the text it happened.
///
/// nom combinators merge alternatives with [`ParseError::or`], which keeps
/// the failure that got furthest into the input. The byte offset is kept as
/// the length of the input still unread, so it needs no reference to the
/// whole text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SyntaxFail {
    remaining: usize,
}

impl SyntaxFail {
    /// A failure at the start of `input`.
    #[must_use]
    pub const fn at(input: &str) -> Self {
        Self {
            remaining: input.len(),
        }
    }

    /// As a recoverable nom error (an alternative may still match).
    pub const fn error<T>(input: &str) -> Result<T, nom::Err<Self>> {
        Err(nom::Err::Error(Self::at(input)))
    }

    /// As a nom failure (the input is committed; no backtracking).
    pub const fn failure<T>(input: &str) -> Result<T, nom::Err<Self>> {
        Err(nom::Err::Failure(Self::at(input)))
    }
}

impl ParseError<&str> for SyntaxFail {
    fn from_error_kind(input: &str, _kind: ErrorKind) -> Self {
        Self::at(input)
    }

    fn append(_input: &str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        if other.remaining < self.remaining {
            other
        } else {
            self
        }
    }
}

/// Turns a recoverable nom error into a failure: use after a committing
/// token, like nom's `cut`.
pub(crate) fn cut<T>(r: Result<T, nom::Err<SyntaxFail>>) -> Result<T, nom::Err<SyntaxFail>> {
    r.map_err(|e| match e {
        nom::Err::Error(f) => nom::Err::Failure(f),
        other => other,
    })
}

/// A semantic problem found while parsing, reported only if the whole text
/// parses.
#[derive(Debug, Clone)]
struct Issue {
    rank: u8,
    span: Span,
    detail: ErrorDetail,
}

/// The order of semantic problems (spec §5.4; the places of the path-depth
/// and list-index checks, and of a repeated update clause, are our choice).
const fn rank(detail: &ErrorDetail) -> u8 {
    match detail {
        ErrorDetail::DuplicateSection { .. } => 0,
        ErrorDetail::RedundantParentheses => 1,
        ErrorDetail::InvalidFunctionName { .. } => 2,
        ErrorDetail::FunctionNotAllowedInCondition { .. }
        | ErrorDetail::FunctionNotAllowedInUpdate { .. }
        | ErrorDetail::FunctionUsedThisWay { .. } => 3,
        ErrorDetail::ReservedKeyword { .. } => 4,
        ErrorDetail::PathTooDeep { .. } => 5,
        ErrorDetail::ListIndexOutOfRange { .. } => 6,
        ErrorDetail::OperandCount { .. } | ErrorDetail::TooManyInOperands { .. } => 7,
        ErrorDetail::RequiresDocumentPath { .. } => 8,
        _ => 9,
    }
}

/// The parsing session over one expression text: owns the text's offsets
/// (for spans), the recursion budget and the semantic problems found so far.
///
/// The grammar functions are methods with nom's signature
/// (`&'a str -> PResult<'a, T>`), always given a suffix of the session's
/// text. They skip leading whitespace themselves and leave trailing
/// whitespace unread.
///
/// A session starts with [`check_limits`], so whatever is parsed in it has
/// at most 300 operators: trees are at most that deep, and code that walks
/// them recursively is safe. A parser for another expression language
/// creates a session, calls sub-parsers such as
/// [`document_path`](Self::document_path),
/// [`value_ref`](Self::value_ref), [`operand`](Self::operand) and
/// [`function_call`](Self::function_call), records its own semantic problems
/// with [`record`](Self::record), and ends with [`finish`](Self::finish).
#[derive(Debug)]
pub(crate) struct ExprParser<'a> {
    text: &'a str,
    kind: ExpressionKind,
    depth: u32,
    issue: Option<Issue>,
    /// Whether `SET`, `REMOVE`, `ADD` and `DELETE` are keywords (in an
    /// `UpdateExpression`) rather than names.
    clause_keywords: bool,
    /// Scratch stack of [`operand`](Self::operand), kept to reuse its
    /// allocation.
    open_operands: Vec<operand::Open<'a>>,
}

impl<'a> ExprParser<'a> {
    /// A session over `text`, an expression passed as `kind`, after
    /// [`check_limits`].
    ///
    /// # Errors
    /// The limit the text breaks (size, emptiness, operator count).
    pub fn new(text: &'a str, kind: ExpressionKind) -> Result<Self, ExprError> {
        check_limits(text, kind)?;
        Ok(Self::unchecked(text, kind))
    }

    /// A session without the limits check (for tests of what the parser
    /// does on its own).
    pub(crate) const fn unchecked(text: &'a str, kind: ExpressionKind) -> Self {
        Self {
            text,
            kind,
            depth: 0,
            issue: None,
            clause_keywords: false,
            open_operands: Vec::new(),
        }
    }

    /// Makes `SET`, `REMOVE`, `ADD` and `DELETE` (any case) keywords of the
    /// session, as they are in an `UpdateExpression`: the sub-parsers then
    /// read them neither as attribute names nor as function names.
    #[must_use]
    #[cfg(test)]
    pub const fn with_clause_keywords(mut self) -> Self {
        self.clause_keywords = true;
        self
    }

    /// Whether a word is a keyword of the session's language, and so cannot
    /// be a name: `AND`, `OR`, `NOT`, `BETWEEN`, `IN`, and the clause
    /// keywords when [`with_clause_keywords`](Self::with_clause_keywords)
    /// is on.
    #[must_use]
    pub fn is_keyword(&self, word: &str) -> bool {
        Keyword::from_word(word).is_some()
            || (self.clause_keywords && ClauseKeyword::from_word(word).is_some())
    }

    /// The byte offset of `rest`, a suffix of the text.
    #[must_use]
    pub const fn offset(&self, rest: &str) -> usize {
        self.text.len().saturating_sub(rest.len())
    }

    /// The span from offset `start` to the start of `rest`.
    #[must_use]
    pub const fn span_from(&self, start: usize, rest: &str) -> Span {
        Span::new(start, self.offset(rest))
    }

    /// Records a semantic problem. It is reported by [`finish`](Self::finish)
    /// if the text parses and no more important problem (by kind, then by
    /// position) was recorded.
    pub fn record(&mut self, detail: ErrorDetail, span: Span) {
        let rank = rank(&detail);
        let better = self
            .issue
            .as_ref()
            .is_none_or(|cur| (rank, span.start) < (cur.rank, cur.span.start));
        if better {
            self.issue = Some(Issue { rank, span, detail });
        }
    }

    /// Enters one level of recursion, failing at `i` when the budget is
    /// spent.
    pub(crate) fn enter(&mut self, i: &'a str) -> Result<(), nom::Err<SyntaxFail>> {
        if self.depth >= MAX_NESTING {
            return SyntaxFail::failure(i);
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves one level of recursion.
    pub(crate) const fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Ends the session: checks that only whitespace is left, then reports
    /// the syntax error or the most important semantic problem, if any.
    ///
    /// # Errors
    /// The syntax error, else the recorded semantic problem.
    pub fn finish<T>(self, result: PResult<'a, T>) -> Result<T, ExprError> {
        let rest = match result {
            Ok((rest, value)) => {
                let rest = lexer::skip_ws(rest);
                if rest.is_empty() {
                    return match self.issue {
                        None => Ok(value),
                        Some(issue) => {
                            Err(ExprError::new(self.kind, issue.detail, Some(issue.span)))
                        }
                    };
                }
                rest.len()
            }
            Err(nom::Err::Error(f) | nom::Err::Failure(f)) => f.remaining,
            Err(nom::Err::Incomplete(_)) => 0,
        };
        Err(self.syntax_error(self.text.len().saturating_sub(rest)))
    }

    /// The syntax error for a failure at byte `pos`.
    #[must_use]
    pub fn syntax_error(&self, pos: usize) -> ExprError {
        let (token, near, (start, end)) = lexer::syntax_context(self.text, pos);
        ExprError::new(
            self.kind,
            ErrorDetail::Syntax { token, near },
            Some(Span::new(start, end)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn or_keeps_the_furthest_failure() {
        let text = "abcdef";
        let near = SyntaxFail::at(text.get(1..).unwrap_or_default());
        let far = SyntaxFail::at(text.get(4..).unwrap_or_default());
        assert_eq!(near.or(far), far);
        assert_eq!(far.or(near), far);
    }

    #[test]
    fn issues_by_rank_then_position() {
        let mut p = ExprParser::unchecked("x", ExpressionKind::Condition);
        p.record(
            ErrorDetail::ReservedKeyword {
                keyword: "name".into(),
            },
            Span::new(5, 9),
        );
        p.record(
            ErrorDetail::ReservedKeyword {
                keyword: "size".into(),
            },
            Span::new(9, 13),
        );
        p.record(
            ErrorDetail::InvalidFunctionName {
                function: "dog".into(),
            },
            Span::new(20, 23),
        );
        let e = p.finish(Ok(("", ()))).unwrap_err();
        assert_eq!(e.detail(), "Invalid function name; function: dog");
        assert_eq!(e.span(), Some(Span::new(20, 23)));
    }
}
