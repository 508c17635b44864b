//! The update grammar and its parse-time checks; documented on
//! [`parse_update`].

use std::sync::Arc;

use super::lexer::{ClauseKeyword, skip_ws};
use super::{ExprParser, FunctionCall, PResult, RawOperand, SyntaxFail, cut};
use crate::ast::{
    AddAction, DeleteAction, Path, SetAction, SetValue, Span, UpdateClause, UpdateOperand,
    UpdateTree, ValueRef,
};
use crate::parser::error::{ErrorDetail, ExprError, ExpressionKind};

/// The functions of the condition language, not allowed in an update.
const CONDITION_FUNCTIONS: [&str; 6] = [
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "size",
];

/// Parses an `UpdateExpression`, with every check that needs no placeholder
/// maps.
///
/// # Grammar (spec §7.1)
///
/// ```text
/// update     ::= clause+                   ; separated by whitespace, no comma
/// clause     ::= SET set_action ( ',' set_action )*
///              | REMOVE path ( ',' path )*
///              | ADD path VALREF ( ',' path VALREF )*
///              | DELETE path VALREF ( ',' path VALREF )*
/// set_action ::= path '=' set_value
/// set_value  ::= sum | '(' set_value ')'
/// sum        ::= operand ( ( '+' | '-' ) operand )?
/// operand    ::= path | VALREF | NAME '(' operand ( ',' operand )* ')' | '(' operand ')'
/// ```
///
/// Clause keywords are case-insensitive, in any order, each at most once
/// (a repeat is `The "SET" section can only be used once in an update
/// expression;`, reported like the other semantic problems: only when the
/// whole text parses). In an update expression they are keywords, never
/// attribute or function names (`SET  REMOVE #Options` is a syntax error at
/// `REMOVE`, spec §1).
///
/// `+` and `-` exist only at the top of a SET value: `:a + :b + :c` and
/// `if_not_exists(c, :a + :b)` are syntax errors at the second `+` (rows 104,
/// 105). Parentheses may wrap a whole SET value, `SET a = (b + c)` [EMU
/// dynalite, unverified], or any operand; two pairs directly around the same
/// thing are redundant, as in conditions.
///
/// # Functions
///
/// Any `name(...)` parses as a call; then (spec §7.2, §5.3):
///
/// * `if_not_exists(path, operand)`: two arguments, the first a document
///   path (`if_not_exists(:v, :w)` and `if_not_exists(if_not_exists(a, :v), :w)`
///   are `Operator or function requires a document path`, row 118); the
///   second may be any operand, a nested `if_not_exists` or `list_append`
///   included.
/// * `list_append(operand, operand)`: two arguments; a `list_append`
///   directly as an argument of `list_append` is `The function is not
///   allowed to be used this way in an expression; function: list_append`
///   (row 117), while `list_append(if_not_exists(a, :empty), :v)` is allowed
///   (spec §7.2). Our choice where nothing was observed: the rule is about
///   direct arguments only, so `if_not_exists(a, list_append(b, :v))` and
///   `list_append(if_not_exists(a, list_append(:x, :y)), :z)` are accepted.
/// * the condition functions (`attribute_exists`, `attribute_not_exists`,
///   `attribute_type`, `begins_with`, `contains`, `size`): `The function is
///   not allowed in an update expression; function: <name>`.
/// * anything else, including other spellings (`LIST_APPEND`): `Invalid
///   function name; function: <name>`.
///
/// Wrong arity is `Incorrect number of operands for operator or function;
/// operator or function: list_append, number of operands: 1` (row 113).
///
/// DynamoDB checks that placeholders are defined before the arity and
/// document-path rules (`if_not_exists(:undefined, :v)` reports the
/// undefined value, spec §7.2); see
/// [`ErrorDetail::is_checked_after_placeholders`].
///
/// Target checks that need `ExpressionAttributeNames` (overlapping and
/// conflicting paths, key attributes) and the operand types of placeholders
/// are made when the expression is bound.
///
/// # Example
///
/// ```
/// use dynacond::parser::parse_update;
///
/// let u = parse_update("set a = if_not_exists(a, :zero) + :one remove b[1], c")?;
/// assert_eq!(u.to_string(), "SET a = if_not_exists(a, :zero) + :one REMOVE b[1], c");
/// assert_eq!(u.to_prefix(), "(SET (= a (+ (if_not_exists a :zero) :one))) (REMOVE b[1] c)");
///
/// let e = parse_update("SET a = :v1 SET b = :v2").unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     r#"Invalid UpdateExpression: The "SET" section can only be used once in an update expression;"#
/// );
/// # Ok::<(), dynacond::parser::ExprError>(())
/// ```
///
/// # Errors
/// The first problem by DynamoDB's order: a limit, a syntax error, then the
/// semantic checks (a repeated clause first, then those of
/// [`parse_condition`](super::parse_condition)).
pub fn parse_update(text: &str) -> Result<UpdateTree, ExprError> {
    let mut p = ExprParser::new(text, ExpressionKind::Update)?;
    let result = p.update(text);
    p.finish(result)
}

impl std::str::FromStr for UpdateTree {
    type Err = ExprError;

    /// Parses an `UpdateExpression`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_update(s)
    }
}

/// The function names an update knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UpdateFunction {
    IfNotExists,
    ListAppend,
}

/// A SET value while it is read: one operand, or a sum.
enum Pending<'a> {
    One(RawOperand<'a>),
    Sum(RawOperand<'a>, bool, RawOperand<'a>),
}

impl<'a> ExprParser<'a> {
    /// A whole update expression, up to (not including) trailing
    /// whitespace. Turns [`with_clause_keywords`](Self::with_clause_keywords)
    /// on for the rest of the session.
    ///
    /// # Errors
    /// A nom failure at the first token that cannot continue the expression;
    /// whether input is left over is checked by [`finish`](Self::finish).
    pub fn update(&mut self, i: &'a str) -> PResult<'a, UpdateTree> {
        self.clause_keywords = true;
        let mut clauses = Vec::new();
        let mut seen: Vec<ClauseKeyword> = Vec::new();
        let mut i = i;
        loop {
            let j = skip_ws(i);
            let Some((rest, keyword)) = ClauseKeyword::at(j) else {
                if clauses.is_empty() {
                    return SyntaxFail::failure(j);
                }
                break;
            };
            if seen.contains(&keyword) {
                let span = self.span_from(self.offset(j), rest);
                self.record(
                    ErrorDetail::DuplicateSection {
                        section: keyword.as_str().to_owned(),
                    },
                    span,
                );
            } else {
                seen.push(keyword);
            }
            let (rest, clause) = match keyword {
                ClauseKeyword::Set => {
                    let (rest, actions) = self.action_list(rest, Self::set_action)?;
                    (rest, UpdateClause::Set(actions))
                }
                ClauseKeyword::Remove => {
                    let (rest, paths) = self.action_list(rest, Self::target)?;
                    (rest, UpdateClause::Remove(paths))
                }
                ClauseKeyword::Add => {
                    let (rest, actions) = self.action_list(rest, Self::path_and_value)?;
                    let actions = actions
                        .into_iter()
                        .map(|(path, value)| AddAction { path, value })
                        .collect();
                    (rest, UpdateClause::Add(actions))
                }
                ClauseKeyword::Delete => {
                    let (rest, actions) = self.action_list(rest, Self::path_and_value)?;
                    let actions = actions
                        .into_iter()
                        .map(|(path, value)| DeleteAction { path, value })
                        .collect();
                    (rest, UpdateClause::Delete(actions))
                }
            };
            clauses.push(clause);
            i = rest;
        }
        Ok((i, UpdateTree { clauses }))
    }

    /// `action ( ',' action )*` after a clause keyword.
    fn action_list<T>(
        &mut self,
        mut i: &'a str,
        mut action: impl FnMut(&mut Self, &'a str) -> PResult<'a, T>,
    ) -> PResult<'a, Vec<T>> {
        let mut out = Vec::new();
        loop {
            let (rest, a) = action(self, i)?;
            out.push(a);
            match skip_ws(rest).strip_prefix(',') {
                Some(after) => i = after,
                None => return Ok((rest, out)),
            }
        }
    }

    /// A document path where one is required (committed).
    fn target(&mut self, i: &'a str) -> PResult<'a, Path> {
        cut(self.document_path(i))
    }

    /// `path :value` of `ADD` and `DELETE`.
    fn path_and_value(&mut self, i: &'a str) -> PResult<'a, (Path, ValueRef)> {
        let (rest, path) = self.target(i)?;
        let (rest, value) = cut(self.value_ref(rest))?;
        Ok((rest, (path, value)))
    }

    /// `path = set_value`.
    fn set_action(&mut self, i: &'a str) -> PResult<'a, SetAction> {
        let (rest, path) = self.target(i)?;
        let eq = skip_ws(rest);
        let Some(rest) = eq.strip_prefix('=') else {
            return SyntaxFail::failure(eq);
        };
        let (rest, value) = self.set_value(rest)?;
        Ok((rest, SetAction { path, value }))
    }

    /// A SET value: an operand or a sum, possibly in parentheses.
    ///
    /// The run of `(` before the first operand is read first; it is then
    /// unwound from the innermost: each `(` closes directly (around an
    /// operand, or around a sum already read) or holds a sum (`+` / `-`,
    /// the second operand, then its `)`). Nothing is parsed twice and
    /// nothing recurses.
    fn set_value(&mut self, i: &'a str) -> PResult<'a, SetValue> {
        let mut opens = Vec::new();
        let mut j = skip_ws(i);
        while let Some(after) = j.strip_prefix('(') {
            opens.push(self.offset(j));
            j = skip_ws(after);
        }
        let (mut rest, first) = cut(self.operand(j))?;
        let mut value = Pending::One(first);
        // Parentheses directly around `value`.
        let mut parens = 0u32;
        while let Some(open) = opens.pop() {
            let close = skip_ws(rest);
            if let Some(after) = close.strip_prefix(')') {
                rest = after;
            } else if let (Pending::One(_), Some((after, minus))) = (&value, plus_minus(close)) {
                let (after, second) = cut(self.operand(after))?;
                value = sum(value, minus, second);
                parens = 0;
                let close = skip_ws(after);
                let Some(after) = close.strip_prefix(')') else {
                    return SyntaxFail::failure(close);
                };
                rest = after;
            } else {
                return SyntaxFail::failure(close);
            }
            parens += 1;
            if parens >= 2 {
                self.record(
                    ErrorDetail::RedundantParentheses,
                    self.span_from(open, rest),
                );
            }
        }
        if let (Pending::One(_), Some((after, minus))) = (&value, plus_minus(skip_ws(rest))) {
            let (after, second) = cut(self.operand(after))?;
            value = sum(value, minus, second);
            rest = after;
        }
        let value = match value {
            Pending::One(op) => SetValue::Operand(self.update_operand(op, false)),
            Pending::Sum(l, minus, r) => {
                let l = self.update_operand(l, false);
                let r = self.update_operand(r, false);
                if minus {
                    SetValue::Minus(l, r)
                } else {
                    SetValue::Plus(l, r)
                }
            }
        };
        Ok((rest, value))
    }

    /// Reads a raw operand as an update operand, recording unknown and
    /// misused functions, wrong arity, and a first `if_not_exists` argument
    /// that is not a path. `in_list_append`: the operand is an argument of
    /// `list_append`. The returned operand is a stand-in when a problem was
    /// recorded (the parse then fails in [`finish`](Self::finish)).
    ///
    /// Recursive, once per nested call: a session's text has at most 300.
    fn update_operand(&mut self, op: RawOperand<'a>, in_list_append: bool) -> UpdateOperand {
        // Kept lean: this is the one recursive function of the update
        // parser, and a debug build gives every local its own stack slot;
        // the checks live in `check_call`.
        let call = match op {
            RawOperand::Path(p) => return UpdateOperand::Path(p),
            RawOperand::Value(v) => return UpdateOperand::Value(v),
            RawOperand::Call(call) => call,
        };
        let FunctionCall {
            name,
            name_span,
            args,
            span,
        } = call;
        let function = self.check_call(name, name_span, span, args.len(), in_list_append);
        let args_in_list_append = function == Some(UpdateFunction::ListAppend);
        let mut path = None;
        let mut lowered = Vec::with_capacity(args.len());
        for (k, arg) in args.into_iter().enumerate() {
            if k == 0 && function == Some(UpdateFunction::IfNotExists) {
                if let RawOperand::Path(p) = arg {
                    path = Some(p);
                    continue;
                }
                self.record_requires_path(name, span);
            }
            lowered.push(self.update_operand(arg, args_in_list_append));
        }
        let mut lowered = lowered.into_iter();
        match (
            function,
            path,
            lowered.next(),
            lowered.next(),
            lowered.next(),
        ) {
            (Some(UpdateFunction::IfNotExists), Some(path), Some(default), None, None) => {
                UpdateOperand::IfNotExists {
                    path,
                    default: Box::new(default),
                    span,
                }
            }
            (Some(UpdateFunction::ListAppend), None, Some(first), Some(second), None) => {
                UpdateOperand::ListAppend {
                    first: Box::new(first),
                    second: Box::new(second),
                    span,
                }
            }
            _ => stand_in(name, span),
        }
    }

    /// The function a call names, recording an unknown or misused function
    /// and a wrong number of arguments (`count`).
    fn check_call(
        &mut self,
        name: &str,
        name_span: Span,
        span: Span,
        count: usize,
        in_list_append: bool,
    ) -> Option<UpdateFunction> {
        let function = match name {
            "if_not_exists" => UpdateFunction::IfNotExists,
            "list_append" => UpdateFunction::ListAppend,
            _ => {
                let function = name.to_owned();
                let detail = if CONDITION_FUNCTIONS.contains(&name) {
                    ErrorDetail::FunctionNotAllowedInUpdate { function }
                } else {
                    ErrorDetail::InvalidFunctionName { function }
                };
                self.record(detail, name_span);
                return None;
            }
        };
        if function == UpdateFunction::ListAppend && in_list_append {
            let function = name.to_owned();
            self.record(ErrorDetail::FunctionUsedThisWay { function }, name_span);
        }
        if count != 2 {
            let function = name.to_owned();
            self.record(ErrorDetail::OperandCount { function, count }, span);
        }
        Some(function)
    }

    /// Records that the first argument of `if_not_exists` is not a path.
    fn record_requires_path(&mut self, name: &str, span: Span) {
        let function = name.to_owned();
        self.record(ErrorDetail::RequiresDocumentPath { function }, span);
    }
}

/// `+` or `-` at the start of `i`: the input after it, and whether it is
/// `-`.
fn plus_minus(i: &str) -> Option<(&str, bool)> {
    if let Some(after) = i.strip_prefix('+') {
        Some((after, false))
    } else {
        i.strip_prefix('-').map(|after| (after, true))
    }
}

/// `value <op> second`, when `value` is a single operand.
fn sum<'a>(value: Pending<'a>, minus: bool, second: RawOperand<'a>) -> Pending<'a> {
    match value {
        Pending::One(first) => Pending::Sum(first, minus, second),
        done @ Pending::Sum(..) => done,
    }
}

/// What stands for an operand that was recorded as a problem (never seen:
/// the parse fails).
fn stand_in(name: &str, span: Span) -> UpdateOperand {
    UpdateOperand::Value(ValueRef {
        name: Arc::from(name),
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without the operator limit, on a 2 MiB stack in any profile:
    /// parentheses cost no recursion, and nested calls (at most 300 in a
    /// text that passed the limits) one frame each, with room for twice as
    /// many.
    #[test]
    fn deep_input_without_limits() {
        let worker = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                let cases = [
                    (
                        format!("SET a = {}b{}", "(".repeat(5000), ")".repeat(5000)),
                        false,
                    ),
                    (
                        format!("SET a = {}b{} + c", "(".repeat(5000), ")".repeat(5000)),
                        false,
                    ),
                    (format!("SET a = {}b + c)", "(".repeat(5000)), false),
                    (
                        format!(
                            "SET a = {}:v{}",
                            "if_not_exists(a, ".repeat(600),
                            ")".repeat(600)
                        ),
                        true,
                    ),
                ];
                for (text, valid) in cases {
                    let mut p =
                        ExprParser::unchecked(&text, ExpressionKind::Update).with_clause_keywords();
                    let r = p.update(&text);
                    let r = p.finish(r);
                    assert_eq!(r.is_ok(), valid, "{:?}", r.err());
                }
            })
            .unwrap();
        worker.join().unwrap();
    }
}
