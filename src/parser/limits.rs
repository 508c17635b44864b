//! The limits checked before any parsing: size, emptiness and the operator
//! count (spec §4).
//!
//! Expressions contain no string literals (values are `:placeholders`), so a
//! single pass over the bytes counts operators exactly. Rejecting more than
//! 300 operators here also bounds how deep the recursive parser can go: every
//! level of recursion it takes (after `NOT`, `AND`, `OR`, a comparator,
//! `BETWEEN`, `IN` or a function's `(`) is paid for by an operator, while
//! runs of parentheses are parsed iteratively.

use crate::ast::Span;
use crate::parser::error::{ErrorDetail, ExprError, ExpressionKind};
use crate::parser::lexer::{Keyword, is_name_byte};

/// The longest expression accepted, in bytes.
pub const MAX_EXPRESSION_BYTES: usize = 4096;
/// The most operators and function calls one expression may contain.
pub const MAX_OPERATORS: usize = 300;
/// The most elements (names and indexes) a document path may have.
pub const MAX_PATH_DEPTH: usize = 32;
/// The most entries an `IN` list may have.
pub const MAX_IN_OPERANDS: usize = 100;
/// The largest list index accepted.
pub const MAX_LIST_INDEX: u64 = 4_294_967_294;

/// The functions any expression language knows; a call of anything else is
/// `Invalid function name`.
pub(crate) const KNOWN_FUNCTIONS: [&str; 8] = [
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "size",
    "if_not_exists",
    "list_append",
];

/// What the pre-scan found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    /// Operators and function calls.
    operators: usize,
    /// The name of the first call of an unknown function.
    unknown_function: Option<Span>,
}

/// Checks the limits that do not need a parse, in DynamoDB's order: the size
/// (before anything else, so 15000 `(` is a size error), emptiness (a text
/// of only whitespace counts as empty), then the operator count.
///
/// Operators counted: each comparator (`=`, `<>`, `<`, `<=`, `>`, `>=`),
/// `AND`, `OR`, `NOT`, `BETWEEN` (with its `AND`, which is not counted
/// again), `IN`, `+`, `-`, and each function call (a name followed by `(`).
/// Parentheses, paths and placeholders are not operators. Over 300, the
/// reported count is 301: DynamoDB stops counting at the first operator over
/// the limit (a 909-operator expression reports `operator count: 301`).
///
/// One exception keeps an observation of Alternator's (spec §16.5): when the
/// count is exceeded but the text calls an unknown function, the error is
/// `Invalid function name` for the first such call.
///
/// # Errors
/// The [`ExprError`] for the first limit broken.
pub fn check_limits(text: &str, kind: ExpressionKind) -> Result<(), ExprError> {
    let fail = |detail, span| Err(ExprError::new(kind, detail, span));
    if text.len() > MAX_EXPRESSION_BYTES {
        return fail(ErrorDetail::TooLarge { size: text.len() }, None);
    }
    if super::lexer::skip_ws(text).is_empty() {
        return fail(ErrorDetail::Empty, None);
    }
    let scan = scan(text);
    if scan.operators > MAX_OPERATORS {
        if let Some(span) = scan.unknown_function {
            let function = text
                .get(span.start..span.end)
                .unwrap_or_default()
                .to_owned();
            return fail(ErrorDetail::InvalidFunctionName { function }, Some(span));
        }
        return fail(
            ErrorDetail::TooManyOperators {
                count: MAX_OPERATORS + 1,
            },
            None,
        );
    }
    Ok(())
}

fn scan(text: &str) -> Scan {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let mut i = 0;
    let mut operators = 0usize;
    let mut unknown_function = None;
    let mut depth = 0usize;
    // Parenthesis depths of `BETWEEN`s still waiting for their `AND`.
    let mut pending_between: Vec<usize> = Vec::new();
    let mut after_dot = false;
    while let Some(c) = at(i) {
        let mut dot = false;
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while at(i).is_some_and(is_name_byte) {
                    i += 1;
                }
                let w = text.get(start..i).unwrap_or_default();
                match Keyword::from_word(w) {
                    Some(Keyword::And) if pending_between.last() == Some(&depth) => {
                        pending_between.pop();
                    }
                    Some(Keyword::Between) => {
                        operators += 1;
                        pending_between.push(depth);
                    }
                    Some(_) => operators += 1,
                    None => {
                        let mut j = i;
                        while matches!(at(j), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                            j += 1;
                        }
                        if at(j) == Some(b'(') && !after_dot {
                            operators += 1;
                            if unknown_function.is_none() && !KNOWN_FUNCTIONS.contains(&w) {
                                unknown_function = Some(Span::new(start, i));
                            }
                        }
                    }
                }
            }
            b'#' | b':' | b'0'..=b'9' => {
                i += 1;
                while at(i).is_some_and(is_name_byte) {
                    i += 1;
                }
            }
            b'<' | b'>' => {
                operators += 1;
                i += if matches!(
                    (c, at(i + 1)),
                    (b'<', Some(b'>' | b'=')) | (b'>', Some(b'='))
                ) {
                    2
                } else {
                    1
                };
            }
            b'=' | b'+' | b'-' => {
                operators += 1;
                i += 1;
            }
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                while pending_between.last().is_some_and(|&d| d > depth) {
                    pending_between.pop();
                }
                i += 1;
            }
            b'.' => {
                dot = true;
                i += 1;
            }
            // Anything else (including each byte of a non-ASCII character,
            // none of which is an ASCII byte) is not an operator.
            _ => i += 1,
        }
        after_dot = dot;
    }
    Scan {
        operators,
        unknown_function,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(t: &str) -> usize {
        scan(t).operators
    }

    #[test]
    fn counts_operators() {
        assert_eq!(ops("a = :v"), 1);
        assert_eq!(ops("a<>b AND c<=d OR NOT e>=f"), 6);
        assert_eq!(ops("a BETWEEN b AND c"), 1);
        assert_eq!(ops("a BETWEEN (b) AND c AND d = e"), 3);
        assert_eq!(ops("a IN (b, c)"), 1);
        assert_eq!(ops("size(a) > size (b)"), 3);
        assert_eq!(ops("attribute_exists(a.b[1]) and ANDx = band"), 3);
        assert_eq!(ops("((((a))))"), 0);
        assert_eq!(ops("SET a = b + c, d = e - :f"), 4);
    }

    #[test]
    fn limits_in_order() {
        let k = ExpressionKind::Condition;
        let detail = |t: &str| check_limits(t, k).map_err(|e| e.detail());
        assert_eq!(detail("a = :v"), Ok(()));
        assert_eq!(
            detail(""),
            Err("The expression can not be empty;".to_owned())
        );
        assert_eq!(
            detail(" \t\r\n"),
            Err("The expression can not be empty;".to_owned())
        );
        assert_eq!(
            detail(&" ".repeat(4097)),
            Err(
                "Expression size has exceeded the maximum allowed size; expression size: 4097"
                    .to_owned()
            )
        );
        let many = format!("a<b{}", " OR a<b".repeat(150));
        assert_eq!(
            detail(&many),
            Err("The expression contains too many operators; operator count: 301".to_owned())
        );
        let ok = format!("a<b{}", " OR a<b".repeat(149));
        assert_eq!(detail(&ok), Ok(()));
        let calls = format!("a < {}b{}", "f(".repeat(400), ")".repeat(400));
        assert_eq!(
            detail(&calls),
            Err("Invalid function name; function: f".to_owned())
        );
    }
}
