//! Sub-parsers every expression language shares: document paths, `:value`
//! placeholders, function calls and the operands built from them.

use std::sync::Arc;

use super::lexer::{self, skip_ws};
use super::{ExprParser, MAX_LIST_INDEX, MAX_PATH_DEPTH, PResult, SyntaxFail, cut};
use crate::ast::{Name, Path, PathElement, Span, ValueRef};
use crate::parser::error::ErrorDetail;

/// An operand before the language-specific reading of function calls:
/// `size(a)` is an operand in a condition, `if_not_exists(a, :v)` in an
/// update, and what is allowed where is decided by each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawOperand<'a> {
    /// A document path.
    Path(Path),
    /// A `:value` placeholder.
    Value(ValueRef),
    /// A function call with any name.
    Call(FunctionCall<'a>),
}

impl RawOperand<'_> {
    /// Where the operand is (without surrounding parentheses).
    #[must_use]
    pub const fn span(&self) -> Span {
        match self {
            Self::Path(p) => p.span,
            Self::Value(v) => v.span,
            Self::Call(c) => c.span,
        }
    }
}

/// A function call `name(arg, ...)`, with at least one argument. The name
/// is any word: whether the function exists is checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCall<'a> {
    /// The function name as written (names are case-sensitive).
    pub name: &'a str,
    /// Where the name is.
    pub name_span: Span,
    /// The arguments.
    pub args: Vec<RawOperand<'a>>,
    /// From the name to the closing parenthesis.
    pub span: Span,
}

impl<'a> ExprParser<'a> {
    /// A `:value` placeholder.
    ///
    /// # Errors
    /// A nom error (recoverable) when the input does not start with one.
    pub fn value_ref(&self, i: &'a str) -> PResult<'a, ValueRef> {
        let i = skip_ws(i);
        let start = self.offset(i);
        let (rest, name) = lexer::value_placeholder(i)?;
        Ok((
            rest,
            ValueRef {
                name: Arc::from(name),
                span: self.span_from(start, rest),
            },
        ))
    }

    /// A document path: `element ( '.' element | '[' digits ']' )*` where an
    /// element is a bare name or a `#name` placeholder (spec §2.1).
    /// Whitespace is allowed around `.`, `[` and `]`.
    ///
    /// Records, for [`finish`](Self::finish), a bare name that is a reserved
    /// word, more than 32 elements, and an index above 4294967294.
    ///
    /// # Errors
    /// A nom error when the input does not start with a name or `#name`
    /// (keywords are not names); a failure when a `.` or `[` is not followed
    /// by what it must be.
    pub fn document_path(&mut self, i: &'a str) -> PResult<'a, Path> {
        let i = skip_ws(i);
        let start = self.offset(i);
        let (rest, first) = self.path_name(i)?;
        self.path_rest(rest, first, start)
    }

    /// One name element: a bare name that is not a keyword, or `#name`.
    fn path_name(&mut self, i: &'a str) -> PResult<'a, Name> {
        if i.starts_with('#') {
            let (rest, p) = lexer::name_placeholder(i)?;
            return Ok((rest, Name::Placeholder(Arc::from(p))));
        }
        let (rest, w) = lexer::word(i)?;
        if self.is_keyword(w) {
            return SyntaxFail::error(i);
        }
        self.check_reserved(w, i, rest);
        Ok((rest, Name::Bare(Arc::from(w))))
    }

    fn check_reserved(&mut self, w: &str, at: &'a str, rest: &'a str) {
        if lexer::is_reserved_word(w) {
            let span = self.span_from(self.offset(at), rest);
            self.record(
                ErrorDetail::ReservedKeyword {
                    keyword: w.to_owned(),
                },
                span,
            );
        }
    }

    /// The rest of a path whose first element (starting at `start`) was
    /// read, up to `i`.
    pub(crate) fn path_rest(
        &mut self,
        mut i: &'a str,
        first: Name,
        start: usize,
    ) -> PResult<'a, Path> {
        let mut elements = vec![PathElement::Name(first)];
        let mut end = self.offset(i);
        loop {
            let j = skip_ws(i);
            if let Some(after) = j.strip_prefix('.') {
                let at = skip_ws(after);
                let (rest, name) = cut(self.path_name(at))?;
                elements.push(PathElement::Name(name));
                i = rest;
            } else if let Some(after) = j.strip_prefix('[') {
                let (rest, index) = self.list_index(skip_ws(after))?;
                elements.push(PathElement::Index(index));
                i = rest;
            } else {
                break;
            }
            end = self.offset(i);
        }
        let span = Span::new(start, end);
        if elements.len() > MAX_PATH_DEPTH {
            self.record(
                ErrorDetail::PathTooDeep {
                    levels: elements.len(),
                },
                span,
            );
        }
        Ok((i, Path { elements, span }))
    }

    /// `digits ]` after a `[`: the index, checked against the allowed range.
    fn list_index(&mut self, i: &'a str) -> PResult<'a, u32> {
        let digits_len = i.bytes().take_while(u8::is_ascii_digit).count();
        let (Some(digits), Some(rest)) = (i.get(..digits_len), i.get(digits_len..)) else {
            return SyntaxFail::failure(i);
        };
        if digits.is_empty() {
            return SyntaxFail::failure(i);
        }
        let close = skip_ws(rest);
        let Some(after) = close.strip_prefix(']') else {
            return SyntaxFail::failure(close);
        };
        let index = digits
            .parse::<u64>()
            .ok()
            .filter(|&n| n <= MAX_LIST_INDEX)
            .and_then(|n| u32::try_from(n).ok());
        let Some(index) = index else {
            let span = self.span_from(self.offset(i), rest);
            self.record(
                ErrorDetail::ListIndexOutOfRange {
                    index: digits.to_owned(),
                },
                span,
            );
            return Ok((after, u32::MAX));
        };
        Ok((after, index))
    }

    /// A function call `name ( operand ( , operand )* )`, any name.
    ///
    /// # Errors
    /// A nom error when the input does not start with a word and `(`; a
    /// failure after the `(`.
    #[cfg(test)]
    pub fn function_call(&mut self, i: &'a str) -> PResult<'a, FunctionCall<'a>> {
        let i = skip_ws(i);
        let (rest, name) = lexer::word(i)?;
        if self.is_keyword(name) || !skip_ws(rest).starts_with('(') {
            return SyntaxFail::error(i);
        }
        match self.operand(i)? {
            (rest, RawOperand::Call(call)) => Ok((rest, call)),
            _ => SyntaxFail::failure(i),
        }
    }

    /// An operand: a path, a `:value`, or a function call of operands, each
    /// in at most one pair of parentheses. More pairs are recorded as
    /// redundant parentheses.
    ///
    /// Nested calls and parentheses are read with an explicit stack, not by
    /// recursion, so `size(size(...))` costs no call stack however deep.
    ///
    /// # Errors
    /// A nom error when the input does not start an operand; a failure once
    /// it has.
    pub fn operand(&mut self, i: &'a str) -> PResult<'a, RawOperand<'a>> {
        let mut stack = std::mem::take(&mut self.open_operands);
        stack.clear();
        let result = self.operand_with(i, &mut stack);
        self.open_operands = stack;
        result
    }

    fn operand_with(
        &mut self,
        mut i: &'a str,
        stack: &mut Vec<Open<'a>>,
    ) -> PResult<'a, RawOperand<'a>> {
        let first = skip_ws(i);
        'operand: loop {
            // Openers, then the innermost path or value.
            let j = skip_ws(i);
            if let Some(after) = j.strip_prefix('(') {
                stack.push(Open::Paren(self.offset(j)));
                i = after;
                continue;
            }
            let start = self.offset(j);
            let atom = match j.as_bytes().first() {
                Some(b':') => self.value_ref(j).map(|(r, v)| (r, RawOperand::Value(v))),
                Some(b'#') => self.document_path(j).map(|(r, p)| (r, RawOperand::Path(p))),
                Some(c) if c.is_ascii_alphabetic() => {
                    let (rest, w) = lexer::word(j)?;
                    let open = skip_ws(rest);
                    if self.is_keyword(w) {
                        SyntaxFail::error(j)
                    } else if let Some(after) = open.strip_prefix('(') {
                        stack.push(Open::Call {
                            name: w,
                            name_span: self.span_from(start, rest),
                            args: Vec::new(),
                        });
                        i = after;
                        continue;
                    } else {
                        self.check_reserved(w, j, rest);
                        self.path_rest(rest, Name::Bare(Arc::from(w)), start)
                            .map(|(r, p)| (r, RawOperand::Path(p)))
                    }
                }
                _ => SyntaxFail::error(j),
            };
            let (mut rest, mut done) = if j.len() == first.len() {
                atom?
            } else {
                cut(atom)?
            };
            // Closers: `)` of parentheses and calls, `,` between arguments.
            let mut parens = 0;
            loop {
                let close = skip_ws(rest);
                match stack.last_mut() {
                    None => return Ok((rest, done)),
                    Some(Open::Paren(open)) => {
                        let open = *open;
                        let Some(after) = close.strip_prefix(')') else {
                            return SyntaxFail::failure(close);
                        };
                        stack.pop();
                        rest = after;
                        parens += 1;
                        if parens >= 2 {
                            self.record(
                                ErrorDetail::RedundantParentheses,
                                self.span_from(open, rest),
                            );
                        }
                    }
                    Some(Open::Call { args, .. }) => {
                        args.push(done);
                        if let Some(after) = close.strip_prefix(',') {
                            i = after;
                            continue 'operand;
                        }
                        let Some(after) = close.strip_prefix(')') else {
                            return SyntaxFail::failure(close);
                        };
                        let Some(Open::Call {
                            name,
                            name_span,
                            args,
                        }) = stack.pop()
                        else {
                            return SyntaxFail::failure(close);
                        };
                        rest = after;
                        parens = 0;
                        done = RawOperand::Call(FunctionCall {
                            name,
                            name_span,
                            args,
                            span: self.span_from(name_span.start, rest),
                        });
                    }
                }
            }
        }
    }

    /// An operand that does not start with `(` (a primary of a condition
    /// starts with `(` for a parenthesised condition).
    pub(crate) fn operand_atom(&mut self, i: &'a str) -> PResult<'a, RawOperand<'a>> {
        let i = skip_ws(i);
        if i.starts_with('(') {
            return SyntaxFail::error(i);
        }
        self.operand(i)
    }
}

/// An operand construct still open while reading an operand.
#[derive(Debug)]
pub(crate) enum Open<'a> {
    /// A `(` at this offset.
    Paren(usize),
    /// A call whose `(` was read.
    Call {
        name: &'a str,
        name_span: Span,
        args: Vec<RawOperand<'a>>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::error::ExpressionKind;

    fn path(text: &str) -> Result<String, String> {
        let mut p = ExprParser::new(text, ExpressionKind::Projection).map_err(|e| e.detail())?;
        let r = p.document_path(text);
        p.finish(r)
            .map(|p| format!("{p} {}", p.span))
            .map_err(|e| e.detail())
    }

    #[test]
    fn paths() {
        assert_eq!(path("a"), Ok("a 0..1".into()));
        assert_eq!(
            path(" a.b[2].#c[0][10] "),
            Ok("a.b[2].#c[0][10] 1..17".into())
        );
        assert_eq!(path("a . b [ 1 ]"), Ok("a.b[1] 0..11".into()));
        assert_eq!(path("#0"), Ok("#0 0..2".into()));
        assert_eq!(path("a[4294967294]"), Ok("a[4294967294] 0..13".into()));
        assert_eq!(path("a[007]"), Ok("a[7] 0..6".into()));
    }

    #[test]
    fn path_errors() {
        let syntax = |t: &str| path(t).unwrap_err();
        assert_eq!(syntax("a[-1]"), r#"Syntax error; token: "-", near: "[-1""#);
        assert_eq!(syntax("a[]"), r#"Syntax error; token: "]", near: "[]""#);
        assert_eq!(syntax("a[0.4]"), r#"Syntax error; token: ".", near: "0.4""#);
        assert_eq!(syntax("a.:x"), r#"Syntax error; token: ":x", near: ".:x""#);
        assert_eq!(
            syntax("a[#i]"),
            r##"Syntax error; token: "#i", near: "[#i]""##
        );
        assert_eq!(syntax("[1]"), r#"Syntax error; token: "[", near: "[1""#);
        assert_eq!(syntax("_a"), r#"Syntax error; token: "_", near: "_a""#);
        assert_eq!(
            path("a[4294967295]").unwrap_err(),
            "List index is not within the allowable range; index: [4294967295]"
        );
        assert_eq!(
            path("a[99999999999999999999999]").unwrap_err(),
            "List index is not within the allowable range; index: [99999999999999999999999]"
        );
        assert_eq!(
            path("a.Name").unwrap_err(),
            "Attribute name is a reserved keyword; reserved keyword: Name"
        );
        let deep = format!("a{}", ".b".repeat(31));
        assert!(path(&deep).is_ok());
        let deep = format!("a{}", "[0]".repeat(32));
        assert_eq!(
            path(&deep).unwrap_err(),
            "The document path has too many nesting levels; nesting levels: 33"
        );
    }

    #[test]
    fn calls() {
        let text = "f(a, (:b), g((c.d)))";
        let mut p = ExprParser::new(text, ExpressionKind::Update).unwrap();
        let r = p.function_call(text);
        let call = p.finish(r).unwrap();
        assert_eq!(call.name, "f");
        assert_eq!(call.span, Span::new(0, text.len()));
        assert_eq!(call.args.len(), 3);
        assert!(matches!(&call.args[1], RawOperand::Value(v) if &*v.name == ":b"));
        assert!(matches!(&call.args[2], RawOperand::Call(g) if g.args.len() == 1));
    }
}
