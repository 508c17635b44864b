//! The syntax tree of `UpdateExpression` (spec §7.1).
//!
//! Like the condition tree it is owned, immutable, `Send + Sync` and cheap
//! to clone; placeholders stay symbolic. Parentheses are syntax only.
//! [`Display`](fmt::Display) prints canonical text that parses back to an
//! identical tree:
//! `SET a = :v, b = c + :one REMOVE x[1] ADD n :d DELETE s :e`
//! (upper-case clause keywords, `, ` between actions, clauses in the order
//! written), and [`Update::to_prefix`] a compact form for tests:
//! `(SET (= a :v) (= b (+ c :one))) (REMOVE x[1]) (ADD (n :d)) (DELETE (s :e))`.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use super::{Path, Span, ValueRef};

/// An `UpdateExpression`: its clauses in the order written, each kind at
/// most once (the parser guarantees both, and that no clause is empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpdateTree {
    /// The clauses, in text order.
    pub clauses: Vec<UpdateClause>,
}

/// One clause of an update expression: a keyword and its actions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UpdateClause {
    /// `SET path = value, ...`
    Set(Vec<SetAction>),
    /// `REMOVE path, ...`
    Remove(Vec<Path>),
    /// `ADD path :value, ...`
    Add(Vec<AddAction>),
    /// `DELETE path :value, ...`
    Delete(Vec<DeleteAction>),
}

/// `path = value` in a `SET` clause.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SetAction {
    /// The attribute written.
    pub path: Path,
    /// What is written to it.
    pub value: SetValue,
}

/// The right-hand side of a `SET` action: one operand, or one `+` / `-`
/// between two (`a + b + c` and `+` inside a function argument are syntax
/// errors).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SetValue {
    /// `operand`
    Operand(UpdateOperand),
    /// `left + right` (numbers).
    Plus(UpdateOperand, UpdateOperand),
    /// `left - right` (numbers).
    Minus(UpdateOperand, UpdateOperand),
}

/// An operand of a `SET` value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UpdateOperand {
    /// An attribute of the item (read from the item before the update).
    Path(Path),
    /// A placeholder for a value from `ExpressionAttributeValues`.
    Value(ValueRef),
    /// if_not_exists(path, operand)
    IfNotExists {
        /// The attribute whose value is used when it exists.
        path: Path,
        /// The operand used otherwise.
        default: Box<UpdateOperand>,
        /// From `if_not_exists` to the closing parenthesis.
        span: Span,
    },
    /// list_append(operand, operand)
    ListAppend {
        /// The list whose elements come first.
        first: Box<UpdateOperand>,
        /// The list whose elements follow.
        second: Box<UpdateOperand>,
        /// From `list_append` to the closing parenthesis.
        span: Span,
    },
}

/// `path :value` in an `ADD` clause.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddAction {
    /// The attribute added to.
    pub path: Path,
    /// The number or set added.
    pub value: ValueRef,
}

/// `path :value` in a `DELETE` clause.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeleteAction {
    /// The set attribute deleted from.
    pub path: Path,
    /// The set of elements deleted.
    pub value: ValueRef,
}

impl UpdateTree {
    /// A compact prefix form for tests, e.g.
    /// `(SET (= a (if_not_exists a :z)) (= b (- c :one))) (REMOVE x y[1]) (ADD (n :d))`.
    #[must_use]
    pub fn to_prefix(&self) -> String {
        let mut out = String::new();
        for (i, clause) in self.clauses.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            clause.write_prefix(&mut out);
        }
        out
    }

    /// Calls `f` with every `#name` and `:value` placeholder occurrence, in
    /// text order (repeats included).
    pub fn visit_references<'s>(&'s self, f: &mut impl FnMut(&'s Arc<str>)) {
        for clause in &self.clauses {
            clause.visit_references(f);
        }
    }

    /// The `#name` and `:value` placeholders used, each once, in order of
    /// first use (the same convention as
    /// [`ConditionTree::references`](super::ConditionTree::references)).
    #[must_use]
    pub fn references(&self) -> Vec<Arc<str>> {
        super::collect_references(|f| self.visit_references(&mut |r| f(r)))
    }
}

impl fmt::Display for UpdateTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, clause) in self.clauses.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            clause.fmt(f)?;
        }
        Ok(())
    }
}

impl UpdateClause {
    /// The clause keyword in upper case: `SET`, `REMOVE`, `ADD` or `DELETE`.
    #[must_use]
    pub const fn keyword(&self) -> &'static str {
        match self {
            Self::Set(_) => "SET",
            Self::Remove(_) => "REMOVE",
            Self::Add(_) => "ADD",
            Self::Delete(_) => "DELETE",
        }
    }

    /// Calls `f` with every `#name` and `:value` placeholder occurrence, in
    /// text order.
    pub fn visit_references<'s>(&'s self, f: &mut impl FnMut(&'s Arc<str>)) {
        match self {
            Self::Set(actions) => {
                for a in actions {
                    a.path.visit_references(f);
                    a.value.visit_references(f);
                }
            }
            Self::Remove(paths) => {
                for p in paths {
                    p.visit_references(f);
                }
            }
            Self::Add(actions) => {
                for a in actions {
                    a.path.visit_references(f);
                    f(&a.value.name);
                }
            }
            Self::Delete(actions) => {
                for a in actions {
                    a.path.visit_references(f);
                    f(&a.value.name);
                }
            }
        }
    }

    fn write_prefix(&self, out: &mut String) {
        out.push('(');
        out.push_str(self.keyword());
        match self {
            Self::Set(actions) => {
                for a in actions {
                    let _ = write!(out, " (= {} ", a.path);
                    a.value.write_prefix(out);
                    out.push(')');
                }
            }
            Self::Remove(paths) => {
                for p in paths {
                    let _ = write!(out, " {p}");
                }
            }
            Self::Add(actions) => {
                for a in actions {
                    let _ = write!(out, " ({} {})", a.path, a.value);
                }
            }
            Self::Delete(actions) => {
                for a in actions {
                    let _ = write!(out, " ({} {})", a.path, a.value);
                }
            }
        }
        out.push(')');
    }
}

/// Writes `items` separated by `, `.
fn comma_separated<T>(
    f: &mut fmt::Formatter<'_>,
    items: &[T],
    mut each: impl FnMut(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        each(f, item)?;
    }
    Ok(())
}

impl fmt::Display for UpdateClause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())?;
        f.write_char(' ')?;
        match self {
            Self::Set(actions) => comma_separated(f, actions, |f, a| a.fmt(f)),
            Self::Remove(paths) => comma_separated(f, paths, |f, p| p.fmt(f)),
            Self::Add(actions) => comma_separated(f, actions, |f, a| a.fmt(f)),
            Self::Delete(actions) => comma_separated(f, actions, |f, a| a.fmt(f)),
        }
    }
}

impl fmt::Display for SetAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.path, self.value)
    }
}

impl fmt::Display for AddAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.path, self.value)
    }
}

impl fmt::Display for DeleteAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.path, self.value)
    }
}

impl SetValue {
    /// The operands, one or two, in text order.
    #[must_use]
    pub fn operands(&self) -> Vec<&UpdateOperand> {
        match self {
            Self::Operand(o) => vec![o],
            Self::Plus(l, r) | Self::Minus(l, r) => vec![l, r],
        }
    }

    /// Where the value is in the expression text (from its first operand to
    /// its last, without surrounding parentheses).
    #[must_use]
    pub fn span(&self) -> Span {
        match self {
            Self::Operand(o) => o.span(),
            Self::Plus(l, r) | Self::Minus(l, r) => l.span().to(r.span()),
        }
    }

    /// Calls `f` with every `#name` and `:value` placeholder occurrence, in
    /// text order.
    pub fn visit_references<'s>(&'s self, f: &mut impl FnMut(&'s Arc<str>)) {
        match self {
            Self::Operand(o) => o.visit_references(f),
            Self::Plus(l, r) | Self::Minus(l, r) => {
                l.visit_references(f);
                r.visit_references(f);
            }
        }
    }

    fn write_prefix(&self, out: &mut String) {
        match self {
            Self::Operand(o) => o.write_prefix(out),
            Self::Plus(l, r) | Self::Minus(l, r) => {
                out.push_str(if matches!(self, Self::Plus(..)) {
                    "(+ "
                } else {
                    "(- "
                });
                l.write_prefix(out);
                out.push(' ');
                r.write_prefix(out);
                out.push(')');
            }
        }
    }
}

impl fmt::Display for SetValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Operand(o) => o.fmt(f),
            Self::Plus(l, r) => write!(f, "{l} + {r}"),
            Self::Minus(l, r) => write!(f, "{l} - {r}"),
        }
    }
}

impl UpdateOperand {
    /// Where the operand is in the expression text (without surrounding
    /// parentheses).
    #[must_use]
    pub const fn span(&self) -> Span {
        match self {
            Self::Path(p) => p.span,
            Self::Value(v) => v.span,
            Self::IfNotExists { span, .. } | Self::ListAppend { span, .. } => *span,
        }
    }

    /// The function name for the function calls.
    #[must_use]
    pub const fn function_name(&self) -> Option<&'static str> {
        match self {
            Self::IfNotExists { .. } => Some("if_not_exists"),
            Self::ListAppend { .. } => Some("list_append"),
            _ => None,
        }
    }

    /// Calls `f` with every `#name` and `:value` placeholder occurrence, in
    /// text order.
    pub fn visit_references<'s>(&'s self, f: &mut impl FnMut(&'s Arc<str>)) {
        match self {
            Self::Path(p) => p.visit_references(f),
            Self::Value(v) => f(&v.name),
            Self::IfNotExists { path, default, .. } => {
                path.visit_references(f);
                default.visit_references(f);
            }
            Self::ListAppend { first, second, .. } => {
                first.visit_references(f);
                second.visit_references(f);
            }
        }
    }

    fn write_prefix(&self, out: &mut String) {
        match self {
            Self::Path(p) => {
                let _ = write!(out, "{p}");
            }
            Self::Value(v) => out.push_str(&v.name),
            Self::IfNotExists { path, default, .. } => {
                let _ = write!(out, "(if_not_exists {path} ");
                default.write_prefix(out);
                out.push(')');
            }
            Self::ListAppend { first, second, .. } => {
                out.push_str("(list_append ");
                first.write_prefix(out);
                out.push(' ');
                second.write_prefix(out);
                out.push(')');
            }
        }
    }
}

impl fmt::Display for UpdateOperand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(p) => p.fmt(f),
            Self::Value(v) => v.fmt(f),
            Self::IfNotExists { path, default, .. } => {
                write!(f, "if_not_exists({path}, {default})")
            }
            Self::ListAppend { first, second, .. } => write!(f, "list_append({first}, {second})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Name, PathElement};
    use super::*;

    fn path(text: &str) -> Path {
        Path {
            elements: text
                .split('.')
                .map(|n| match n.parse::<u32>() {
                    Ok(i) => PathElement::Index(i),
                    Err(_) if n.starts_with('#') => PathElement::Name(Name::Placeholder(n.into())),
                    Err(_) => PathElement::Name(Name::Bare(n.into())),
                })
                .collect(),
            span: Span::default(),
        }
    }

    fn value(name: &str) -> ValueRef {
        ValueRef {
            name: name.into(),
            span: Span::default(),
        }
    }

    fn p(text: &str) -> UpdateOperand {
        UpdateOperand::Path(path(text))
    }

    fn v(name: &str) -> UpdateOperand {
        UpdateOperand::Value(value(name))
    }

    fn sample() -> UpdateTree {
        UpdateTree {
            clauses: vec![
                UpdateClause::Set(vec![
                    SetAction {
                        path: path("a"),
                        value: SetValue::Operand(v(":v")),
                    },
                    SetAction {
                        path: path("b"),
                        value: SetValue::Plus(p("c"), v(":one")),
                    },
                    SetAction {
                        path: path("#l"),
                        value: SetValue::Minus(
                            UpdateOperand::ListAppend {
                                first: Box::new(UpdateOperand::IfNotExists {
                                    path: path("#l"),
                                    default: Box::new(v(":e")),
                                    span: Span::default(),
                                }),
                                second: Box::new(v(":v")),
                                span: Span::default(),
                            },
                            p("x.0"),
                        ),
                    },
                ]),
                UpdateClause::Remove(vec![path("x.1"), path("#y")]),
                UpdateClause::Add(vec![AddAction {
                    path: path("n"),
                    value: value(":d"),
                }]),
                UpdateClause::Delete(vec![DeleteAction {
                    path: path("s"),
                    value: value(":e"),
                }]),
            ],
        }
    }

    #[test]
    fn is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + Eq + std::hash::Hash>() {}
        check::<UpdateTree>();
        check::<UpdateClause>();
        check::<SetValue>();
        check::<UpdateOperand>();
    }

    #[test]
    fn display() {
        assert_eq!(
            sample().to_string(),
            "SET a = :v, b = c + :one, #l = list_append(if_not_exists(#l, :e), :v) - x[0] \
             REMOVE x[1], #y ADD n :d DELETE s :e"
        );
    }

    #[test]
    fn prefix() {
        assert_eq!(
            sample().to_prefix(),
            "(SET (= a :v) (= b (+ c :one)) (= #l (- (list_append (if_not_exists #l :e) :v) x[0]))) \
             (REMOVE x[1] #y) (ADD (n :d)) (DELETE (s :e))"
        );
    }

    #[test]
    fn references_in_first_use_order() {
        let refs: Vec<String> = sample()
            .references()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(refs, [":v", ":one", "#l", ":e", "#y", ":d"]);
    }
}
