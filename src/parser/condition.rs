//! The condition grammar (spec §5.1), loosest first:
//!
//! ```text
//! condition ::= and_expr ( OR and_expr )*
//! and_expr  ::= unary ( AND unary )*
//! unary     ::= NOT* primary
//! primary   ::= '(' condition ')'
//!             | operand ( comparator operand
//!                       | BETWEEN operand AND operand
//!                       | IN '(' operand ( ',' operand )* ')' )
//!             | function_call
//! ```
//!
//! `(` is ambiguous at the start of a primary: `(a = b)` groups a condition,
//! `(a) = b` an operand. Both are read by the same code: the run of `NOT`
//! and `(` tokens before a primary is consumed at once, and the content of
//! each parenthesised level is parsed as a condition whose first element
//! may turn out to be a bare operand when the level's `)` follows it
//! directly. After the `)`, the operand continues at the enclosing level
//! (with a comparator, `BETWEEN` or `IN`). Nothing is parsed twice, and
//! neither `NOT`s nor parentheses cost recursion: the parser recurses only
//! for the right operand of `AND` / `OR` inside parentheses, at most once
//! per two operators of the expression.

use std::sync::Arc;

use super::lexer::{self, Keyword, skip_ws};
use super::{ExprParser, FunctionCall, MAX_IN_OPERANDS, PResult, RawOperand, SyntaxFail, cut};
use crate::ast::{ConditionTree, Name, Operand, Path, PathElement, Span, ValueRef};
use crate::parser::error::ErrorDetail;

/// A parsed piece, the number of parentheses directly around it, and its
/// span including them. Kept small (the tree is boxed) because items are
/// what the recursive functions pass around, and a debug build gives every
/// temporary its own stack slot.
struct Item<'a> {
    kind: ItemKind<'a>,
    parens: u32,
    span: Span,
}

enum ItemKind<'a> {
    Cond(Box<ConditionTree>),
    /// Only directly inside parentheses, where the parser cannot yet tell
    /// `(a) = b` from `(a = b)`.
    Operand(Box<RawOperand<'a>>),
}

impl Item<'_> {
    const fn cond(cond: Box<ConditionTree>, span: Span) -> Self {
        Self {
            kind: ItemKind::Cond(cond),
            parens: 0,
            span,
        }
    }
}

/// The functions, by what they may be used for in a condition.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Function {
    /// `attribute_exists`, `attribute_not_exists`: one path argument.
    PathTest(bool),
    AttributeType,
    BeginsWith,
    Contains,
    Size,
    /// `if_not_exists`, `list_append`.
    UpdateOnly,
}

fn function(name: &str) -> Option<Function> {
    Some(match name {
        "attribute_exists" => Function::PathTest(true),
        "attribute_not_exists" => Function::PathTest(false),
        "attribute_type" => Function::AttributeType,
        "begins_with" => Function::BeginsWith,
        "contains" => Function::Contains,
        "size" => Function::Size,
        "if_not_exists" | "list_append" => Function::UpdateOnly,
        _ => return None,
    })
}

impl<'a> ExprParser<'a> {
    /// A whole condition, up to (not including) trailing whitespace.
    ///
    /// # Errors
    /// A nom failure at the first token that cannot continue a condition.
    /// Whether input is left over is checked by [`finish`](Self::finish).
    pub fn condition(&mut self, i: &'a str) -> PResult<'a, ConditionTree> {
        let (i, first) = self.unary(i)?;
        let (i, item) = self.and_or(i, first)?;
        match item.kind {
            ItemKind::Cond(c) => Ok((i, *c)),
            // `unary` never leaves an operand.
            ItemKind::Operand(_) => SyntaxFail::failure(i),
        }
    }

    /// `NOT* primary`, where the primary may be a parenthesised condition.
    ///
    /// The only recursion of the parser is through here, for the operand
    /// after an `AND` / `OR` inside parentheses. A leading run of `NOT` and
    /// `(` tokens, such as `NOT ((NOT (`, is read first, then the innermost
    /// primary, and then the run is unwound from its end: a `NOT` wraps what
    /// was read, a `(` ends its level with `AND` / `OR` operands and the
    /// matching `)`.
    fn unary(&mut self, i: &'a str) -> PResult<'a, Item<'a>> {
        self.enter(i)?;
        let i = skip_ws(i);
        let base = self.offset(i);
        let (i, mut unread) = prefix(i);
        let innermost = last_marker(&mut unread);
        let (mut i, mut item) = self.atom_primary(i, matches!(innermost, Some(Marker::Open(_))))?;
        let mut marker = innermost;
        while let Some(m) = marker {
            (i, item) = self.unwind(i, item, m, base)?;
            marker = last_marker(&mut unread);
        }
        let (i, item) = self.finish_primary(i, item, false)?;
        self.leave();
        Ok((i, item))
    }

    /// Applies one `NOT` or ends one parenthesised level (at `base + pos`)
    /// around `item`.
    fn unwind(
        &mut self,
        i: &'a str,
        item: Item<'a>,
        marker: Marker,
        base: usize,
    ) -> PResult<'a, Item<'a>> {
        match marker {
            Marker::Not(pos) => self.apply_not(i, item, base + pos),
            Marker::Open(pos) => self.close_level(i, item, base + pos),
        }
    }

    /// `NOT item`, the `NOT` being at `start`.
    fn apply_not(&mut self, i: &'a str, item: Item<'a>, start: usize) -> PResult<'a, Item<'a>> {
        let (i, item) = self.finish_primary(i, item, false)?;
        let ItemKind::Cond(c) = item.kind else {
            return SyntaxFail::failure(i);
        };
        let span = self.span_from(start, i);
        Ok((i, Item::cond(Box::new(ConditionTree::Not(c)), span)))
    }

    /// The rest of a parenthesised level opened at `open` whose first unary
    /// is `item`: `AND` / `OR` operands and the `)`.
    fn close_level(&mut self, i: &'a str, item: Item<'a>, open: usize) -> PResult<'a, Item<'a>> {
        let (i, item) = self.finish_primary(i, item, true)?;
        let (i, item) = self.and_or(i, item)?;
        self.close_paren(i, item, open)
    }

    fn close_paren(
        &mut self,
        i: &'a str,
        mut item: Item<'a>,
        open: usize,
    ) -> PResult<'a, Item<'a>> {
        let close = skip_ws(i);
        let Some(i) = close.strip_prefix(')') else {
            return SyntaxFail::failure(close);
        };
        item.parens += 1;
        item.span = self.span_from(open, i);
        if item.parens >= 2 {
            self.record(ErrorDetail::RedundantParentheses, item.span);
        }
        Ok((i, item))
    }

    /// A primary that starts with an operand.
    fn atom_primary(&mut self, i: &'a str, inner_ok: bool) -> PResult<'a, Item<'a>> {
        let (rest, op) = cut(self.operand_atom(i))?;
        let span = op.span();
        self.finish_operand(rest, op, 0, span, inner_ok)
    }

    /// `( AND unary )* ( OR unary ( AND unary )* )*` after a first unary.
    /// An operand (only possible directly inside parentheses) is returned as
    /// it is.
    fn and_or(&mut self, mut i: &'a str, first: Item<'a>) -> PResult<'a, Item<'a>> {
        if matches!(first.kind, ItemKind::Operand(_)) {
            return Ok((i, first));
        }
        // The `OR` operands so far, and the `AND` chain being read.
        let mut ors: Option<Item<'a>> = None;
        let mut acc = first;
        loop {
            let j = skip_ws(i);
            let (rest, is_and) = if let Some(rest) = lexer::keyword(j, Keyword::And) {
                (rest, true)
            } else if let Some(rest) = lexer::keyword(j, Keyword::Or) {
                (rest, false)
            } else {
                break;
            };
            let (rest, rhs) = self.unary(rest)?;
            i = rest;
            if is_and {
                acc = join(acc, rhs, ConditionTree::And, i)?;
            } else {
                ors = Some(match ors {
                    None => acc,
                    Some(o) => join(o, acc, ConditionTree::Or, i)?,
                });
                acc = rhs;
            }
        }
        match ors {
            None => Ok((i, acc)),
            Some(o) => Ok((i, join(o, acc, ConditionTree::Or, i)?)),
        }
    }

    /// What follows a parsed item that may be an operand; see
    /// [`finish_operand`](Self::finish_operand).
    fn finish_primary(
        &mut self,
        i: &'a str,
        item: Item<'a>,
        inner_ok: bool,
    ) -> PResult<'a, Item<'a>> {
        match item.kind {
            ItemKind::Cond(_) => Ok((i, item)),
            ItemKind::Operand(op) => self.finish_operand(i, *op, item.parens, item.span, inner_ok),
        }
    }

    /// What follows an operand: a comparator, `BETWEEN` or `IN` makes it a
    /// condition; otherwise a function call is a condition by itself, and
    /// with `inner_ok` an operand directly before `)` stays an operand.
    fn finish_operand(
        &mut self,
        i: &'a str,
        left: RawOperand<'a>,
        parens: u32,
        span: Span,
        inner_ok: bool,
    ) -> PResult<'a, Item<'a>> {
        let j = skip_ws(i);
        let (rest, cond) = if let Some((rest, op)) = lexer::comparator(j) {
            let (rest, right) = cut(self.operand(rest))?;
            let left = self.lower_operand(left);
            let right = self.lower_operand(right);
            (rest, ConditionTree::Compare { op, left, right })
        } else if let Some(rest) = lexer::keyword(j, Keyword::Between) {
            self.between(rest, left)?
        } else if let Some(rest) = lexer::keyword(j, Keyword::In) {
            self.in_list(rest, left)?
        } else if inner_ok && j.starts_with(')') {
            let kind = ItemKind::Operand(Box::new(left));
            return Ok((i, Item { kind, parens, span }));
        } else if let RawOperand::Call(call) = left {
            (i, self.call_condition(call))
        } else {
            return SyntaxFail::failure(j);
        };
        let span = self.span_from(span.start, rest);
        Ok((rest, Item::cond(Box::new(cond), span)))
    }

    /// `operand AND operand` after `BETWEEN`.
    fn between(&mut self, i: &'a str, value: RawOperand<'a>) -> PResult<'a, ConditionTree> {
        let (rest, low) = cut(self.operand(i))?;
        let and = skip_ws(rest);
        let Some(rest) = lexer::keyword(and, Keyword::And) else {
            return SyntaxFail::failure(and);
        };
        let (rest, high) = cut(self.operand(rest))?;
        let cond = ConditionTree::Between {
            value: self.lower_operand(value),
            low: self.lower_operand(low),
            high: self.lower_operand(high),
        };
        Ok((rest, cond))
    }

    /// `( operand ( , operand )* )` after `IN`.
    fn in_list(&mut self, i: &'a str, value: RawOperand<'a>) -> PResult<'a, ConditionTree> {
        let open = skip_ws(i);
        let Some(mut i) = open.strip_prefix('(') else {
            return SyntaxFail::failure(open);
        };
        let value = self.lower_operand(value);
        let mut list = Vec::new();
        loop {
            let (rest, op) = cut(self.operand(i))?;
            list.push(self.lower_operand(op));
            let j = skip_ws(rest);
            if let Some(after) = j.strip_prefix(',') {
                i = after;
            } else if let Some(after) = j.strip_prefix(')') {
                i = after;
                break;
            } else {
                return SyntaxFail::failure(j);
            }
        }
        if list.len() > MAX_IN_OPERANDS {
            self.record(
                ErrorDetail::TooManyInOperands { count: list.len() },
                self.span_from(self.offset(open), i),
            );
        }
        Ok((i, ConditionTree::In { value, list }))
    }

    /// Reads a raw operand as a condition operand, recording misused
    /// functions. The returned operand is a stand-in when a problem was
    /// recorded (the parse then fails in [`finish`](Self::finish)).
    fn lower_operand(&mut self, op: RawOperand<'a>) -> Operand {
        let call = match op {
            RawOperand::Path(p) => return Operand::Path(p),
            RawOperand::Value(v) => return Operand::Value(v),
            RawOperand::Call(call) => call,
        };
        let FunctionCall {
            name,
            name_span,
            args,
            span,
        } = call;
        let mut args = self.lower_all(args).into_iter();
        if self.check_function(name, name_span, false) != Some(Function::Size) {
            return stand_in_operand(name, span);
        }
        let Some(arg) = args.next() else {
            return stand_in_operand(name, span);
        };
        let extra = args.len();
        if extra > 0 {
            self.record(
                ErrorDetail::OperandCount {
                    function: name.to_owned(),
                    count: extra + 1,
                },
                span,
            );
        }
        Operand::Size {
            arg: Box::new(arg),
            span,
        }
    }

    fn lower_all(&mut self, args: Vec<RawOperand<'a>>) -> Vec<Operand> {
        args.into_iter().map(|a| self.lower_operand(a)).collect()
    }

    /// Records an unknown function, or one not allowed where it is
    /// (`as_condition`: as a whole condition, else as an operand). Returns
    /// the function when it is allowed there.
    fn check_function(
        &mut self,
        name: &str,
        name_span: Span,
        as_condition: bool,
    ) -> Option<Function> {
        let function_name = name.to_owned();
        let detail = match function(name) {
            None => ErrorDetail::InvalidFunctionName {
                function: function_name,
            },
            Some(Function::UpdateOnly) => ErrorDetail::FunctionNotAllowedInCondition {
                function: function_name,
            },
            // `size` is an operand; the others are conditions.
            Some(f) if (f == Function::Size) != as_condition => return Some(f),
            Some(_) => ErrorDetail::FunctionUsedThisWay {
                function: function_name,
            },
        };
        self.record(detail, name_span);
        None
    }

    /// A function call standing as a whole condition.
    fn call_condition(&mut self, call: FunctionCall<'a>) -> ConditionTree {
        let FunctionCall {
            name,
            name_span,
            args,
            span,
        } = call;
        let f = self.check_function(name, name_span, true);
        let arity = match f {
            Some(Function::PathTest(_)) => 1,
            _ => 2,
        };
        if f.is_some() && args.len() != arity {
            self.record(
                ErrorDetail::OperandCount {
                    function: name.to_owned(),
                    count: args.len(),
                },
                span,
            );
        }
        let stand_in = |name: &str| {
            ConditionTree::AttributeExists(Path {
                elements: vec![PathElement::Name(Name::Bare(Arc::from(name)))],
                span,
            })
        };
        if let Some(Function::PathTest(exists)) = f {
            let mut args = args.into_iter();
            let first = args.next();
            self.lower_all(args.collect());
            return match first {
                Some(RawOperand::Path(p)) if exists => ConditionTree::AttributeExists(p),
                Some(RawOperand::Path(p)) => ConditionTree::AttributeNotExists(p),
                other => {
                    self.lower_all(other.into_iter().collect());
                    self.record(
                        ErrorDetail::RequiresDocumentPath {
                            function: name.to_owned(),
                        },
                        span,
                    );
                    stand_in(name)
                }
            };
        }
        let mut args = self.lower_all(args).into_iter();
        match (f, args.next(), args.next()) {
            (Some(Function::AttributeType), Some(a), Some(b)) => ConditionTree::AttributeType(a, b),
            (Some(Function::BeginsWith), Some(a), Some(b)) => ConditionTree::BeginsWith(a, b),
            (Some(Function::Contains), Some(a), Some(b)) => ConditionTree::Contains(a, b),
            _ => stand_in(name),
        }
    }
}

/// What stands for an operand that was recorded as a problem (never seen:
/// the parse fails).
fn stand_in_operand(name: &str, span: Span) -> Operand {
    Operand::Value(ValueRef {
        name: Arc::from(name),
        span,
    })
}

/// `left <op> right` for `AND` / `OR`; both must be conditions.
fn join<'a>(
    left: Item<'a>,
    right: Item<'a>,
    op: fn(Box<ConditionTree>, Box<ConditionTree>) -> ConditionTree,
    at: &str,
) -> Result<Item<'a>, nom::Err<SyntaxFail>> {
    let (ItemKind::Cond(l), ItemKind::Cond(r)) = (left.kind, right.kind) else {
        return SyntaxFail::failure(at);
    };
    Ok(Item::cond(Box::new(op(l, r)), left.span.to(right.span)))
}

/// A token of the run before a primary: `NOT` or `(`, at a byte offset
/// within the run.
#[derive(Clone, Copy)]
enum Marker {
    Not(usize),
    Open(usize),
}

/// Splits `i` (at a token) into the run of `NOT` and `(` tokens it starts
/// with (and the whitespace between them) and the rest.
fn prefix(i: &str) -> (&str, &str) {
    let mut rest = i;
    loop {
        let j = skip_ws(rest);
        if let Some(after) = j.strip_prefix('(') {
            rest = after;
        } else if let Some(after) = lexer::keyword(j, Keyword::Not) {
            rest = after;
        } else {
            break;
        }
    }
    let len = i.len() - rest.len();
    (rest, i.get(..len).unwrap_or_default())
}

/// Takes the last marker off a run read by [`prefix`].
fn last_marker(run: &mut &str) -> Option<Marker> {
    let t = run.trim_end_matches([' ', '\t', '\r', '\n']);
    let (len, marker) = if t.ends_with('(') {
        let at = t.len() - 1;
        (at, Marker::Open(at))
    } else {
        // Otherwise the run ends with the three letters of `NOT`.
        let at = t.len().checked_sub(3)?;
        (at, Marker::Not(at))
    };
    *run = t.get(..len)?;
    Some(marker)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::error::ExpressionKind;

    /// Without the operator limit, on a 2 MiB stack: `NOT`s, parentheses
    /// and calls cost no recursion, and the budget stops `AND` / `OR`
    /// nesting.
    #[test]
    fn recursion_budget_without_limits() {
        let worker = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                let cases = [
                    (
                        format!("{}a < b{}", "NOT (".repeat(300), ")".repeat(300)),
                        true,
                    ),
                    (
                        format!("{}a{} < :v", "size((".repeat(300), "))".repeat(300)),
                        true,
                    ),
                    (
                        format!("{}a < b{}", "a < b AND (".repeat(5000), ")".repeat(5000)),
                        false,
                    ),
                    (
                        format!("{}a < b{}", "a < b OR (".repeat(200), ")".repeat(200)),
                        true,
                    ),
                    (
                        format!("{}a < b{}", "a < b OR (".repeat(201), ")".repeat(201)),
                        false,
                    ),
                ];
                for (text, valid) in cases {
                    let mut p = ExprParser::unchecked(&text, ExpressionKind::Condition);
                    let r = p.condition(&text);
                    match p.finish(r) {
                        Ok(_) => assert!(valid),
                        Err(e) => {
                            assert!(!valid, "{e}");
                            assert!(e.detail().starts_with("Syntax error;"), "{e}");
                        }
                    }
                }
            })
            .unwrap();
        worker.join().unwrap();
    }
}
