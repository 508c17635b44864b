//! The syntax trees of DynamoDB's expression languages: conditions
//! ([`ConditionTree`]: `ConditionExpression`, `FilterExpression`, and the raw form of
//! `KeyConditionExpression`), [`UpdateTree`] (`UpdateExpression`) and
//! [`ProjectionTree`] (`ProjectionExpression`).
//!
//! The tree is owned and immutable, `Send + Sync`, and cheap to clone (names
//! are `Arc<str>`). Placeholders stay symbolic: `#name` and `:value` are bound
//! to `ExpressionAttributeNames` / `ExpressionAttributeValues` later, and
//! [`ConditionTree::references`] lists them so a caller can reject unused entries
//! across all expressions of one request.
//!
//! Parentheses are syntax only and have no node. [`Display`]
//! prints canonical text (single spaces, upper-case keywords, parentheses only
//! where precedence needs them) that parses back to an identical tree, and
//! [`ConditionTree::to_prefix`] prints a compact prefix form for tests:
//! `(OR (< a b) (AND (< c b) (< b c)))`.

use std::fmt::{self, Display, Write as _};
use std::sync::Arc;

mod projection;
mod update;

pub use projection::ProjectionTree;
pub use update::{
    AddAction, DeleteAction, SetAction, SetValue, UpdateClause, UpdateOperand, UpdateTree,
};

/// The placeholders `visit` reports, each once, in order of first use.
fn collect_references<'s>(visit: impl FnOnce(&mut dyn FnMut(&'s Arc<str>))) -> Vec<Arc<str>> {
    let mut seen = indexmap::IndexSet::new();
    visit(&mut |r| {
        if !seen.contains(r) {
            seen.insert(Arc::clone(r));
        }
    });
    seen.into_iter().collect()
}

/// A byte range `start..end` of the expression text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `start..end`.
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The length in bytes.
    #[must_use]
    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the range is empty.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The smallest range covering both.
    #[must_use]
    pub fn to(self, other: Self) -> Self {
        Self::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// One attribute-name element of a document path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Name {
    /// A literal attribute name, such as `a` (`[A-Za-z][A-Za-z0-9_]*`).
    Bare(Arc<str>),
    /// A `#name` placeholder; the text includes the `#`.
    Placeholder(Arc<str>),
}

impl Name {
    /// The name as written (with the `#` for a placeholder).
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Bare(s) | Self::Placeholder(s) => s,
        }
    }

    /// Whether this is a `#name` placeholder.
    #[must_use]
    pub const fn is_placeholder(&self) -> bool {
        matches!(self, Self::Placeholder(_))
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One element of a document path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathElement {
    /// A map key (or, first, a top-level attribute name).
    Name(Name),
    /// A list index `[n]`, at most 4294967294.
    Index(u32),
}

impl fmt::Display for PathElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name(n) => n.fmt(f),
            Self::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// A document path such as `a.b[2].#c`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    /// The elements; the parser guarantees that the first is a
    /// [`PathElement::Name`] and that there are at most 32.
    pub elements: Vec<PathElement>,
    /// Where the path is in the expression text.
    pub span: Span,
}

impl Path {
    /// The first element's name, i.e. the top-level attribute.
    #[must_use]
    pub fn top_name(&self) -> Option<&Name> {
        match self.elements.first() {
            Some(PathElement::Name(n)) => Some(n),
            _ => None,
        }
    }

    /// Whether the path is a single name (a top-level attribute).
    #[must_use]
    pub fn is_top_level(&self) -> bool {
        self.elements.len() == 1
    }

    /// Calls `f` with each `#name` placeholder, in order.
    pub fn visit_references<'s>(&'s self, f: &mut impl FnMut(&'s Arc<str>)) {
        for e in &self.elements {
            if let PathElement::Name(Name::Placeholder(p)) = e {
                f(p);
            }
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.elements.iter().enumerate() {
            if i > 0 && matches!(e, PathElement::Name(_)) {
                f.write_char('.')?;
            }
            e.fmt(f)?;
        }
        Ok(())
    }
}

/// A `:value` placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValueRef {
    /// The placeholder, including the `:`.
    pub name: Arc<str>,
    /// Where it is in the expression text.
    pub span: Span,
}

impl fmt::Display for ValueRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// An operand of a comparison, `BETWEEN`, `IN` or function.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Operand {
    /// An attribute of the item.
    Path(Path),
    /// A placeholder for a value from `ExpressionAttributeValues`.
    Value(ValueRef),
    /// `size(arg)`: the size of a string, binary, set, list or map.
    Size {
        /// The argument.
        arg: Box<Operand>,
        /// From `size` to the closing parenthesis.
        span: Span,
    },
}

impl Operand {
    /// Where the operand is in the expression text (without any
    /// parentheses around it).
    #[must_use]
    pub const fn span(&self) -> Span {
        match self {
            Self::Path(p) => p.span,
            Self::Value(v) => v.span,
            Self::Size { span, .. } => *span,
        }
    }

    /// The path, if the operand is one.
    #[must_use]
    pub const fn as_path(&self) -> Option<&Path> {
        match self {
            Self::Path(p) => Some(p),
            _ => None,
        }
    }

    /// Calls `f` with each `#name` and `:value` placeholder, in text order.
    pub fn visit_references<'s>(&'s self, f: &mut impl FnMut(&'s Arc<str>)) {
        match self {
            Self::Path(p) => p.visit_references(f),
            Self::Value(v) => f(&v.name),
            Self::Size { arg, .. } => arg.visit_references(f),
        }
    }

    fn write_prefix(&self, out: &mut String) {
        match self {
            Self::Size { arg, .. } => {
                out.push_str("(size ");
                arg.write_prefix(out);
                out.push(')');
            }
            _ => {
                let _ = write!(out, "{self}");
            }
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(p) => p.fmt(f),
            Self::Value(v) => v.fmt(f),
            Self::Size { arg, .. } => write!(f, "size({arg})"),
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparator {
    /// The operator as written in expressions.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "<>",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A condition: what `ConditionExpression` and `FilterExpression` hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConditionTree {
    /// `left <op> right`
    Compare {
        /// The operator.
        op: Comparator,
        /// The left operand.
        left: Operand,
        /// The right operand.
        right: Operand,
    },
    /// `value BETWEEN low AND high`
    Between {
        /// The tested operand.
        value: Operand,
        /// The lower bound (inclusive).
        low: Operand,
        /// The upper bound (inclusive).
        high: Operand,
    },
    /// `value IN (list...)`, with 1 to 100 entries.
    In {
        /// The tested operand.
        value: Operand,
        /// The candidates.
        list: Vec<Operand>,
    },
    /// `attribute_exists(path)`
    AttributeExists(Path),
    /// `attribute_not_exists(path)`
    AttributeNotExists(Path),
    /// `attribute_type(operand, type)`
    AttributeType(Operand, Operand),
    /// `begins_with(operand, prefix)`
    BeginsWith(Operand, Operand),
    /// `contains(operand, operand)`
    Contains(Operand, Operand),
    /// `NOT condition`
    Not(Box<ConditionTree>),
    /// `left AND right`
    And(Box<ConditionTree>, Box<ConditionTree>),
    /// `left OR right`
    Or(Box<ConditionTree>, Box<ConditionTree>),
}

/// Binding strength, loosest first; used to place parentheses when printing.
const PREC_OR: u8 = 1;
const PREC_AND: u8 = 2;
const PREC_NOT: u8 = 3;
const PREC_PRIMARY: u8 = 4;

impl ConditionTree {
    const fn precedence(&self) -> u8 {
        match self {
            Self::Or(..) => PREC_OR,
            Self::And(..) => PREC_AND,
            Self::Not(_) => PREC_NOT,
            _ => PREC_PRIMARY,
        }
    }

    /// The function name for the function-call conditions.
    #[must_use]
    pub const fn function_name(&self) -> Option<&'static str> {
        Some(match self {
            Self::AttributeExists(_) => "attribute_exists",
            Self::AttributeNotExists(_) => "attribute_not_exists",
            Self::AttributeType(..) => "attribute_type",
            Self::BeginsWith(..) => "begins_with",
            Self::Contains(..) => "contains",
            _ => return None,
        })
    }

    /// A compact prefix form for tests, e.g.
    /// `(OR (< a b) (AND (< c b) (< b c)))`, `(BETWEEN b a c)`,
    /// `(IN a :x :y)`, `(NOT (= a :v))`, `(attribute_exists a.b[2])`,
    /// `(> (size a) :n)`.
    #[must_use]
    pub fn to_prefix(&self) -> String {
        let mut out = String::new();
        self.write_prefix(&mut out);
        out
    }

    fn write_prefix(&self, out: &mut String) {
        let operands = |out: &mut String, head: &str, ops: &[&Operand]| {
            out.push('(');
            out.push_str(head);
            for op in ops {
                out.push(' ');
                op.write_prefix(out);
            }
            out.push(')');
        };
        match self {
            Self::Compare { op, left, right } => operands(out, op.as_str(), &[left, right]),
            Self::Between { value, low, high } => operands(out, "BETWEEN", &[value, low, high]),
            Self::In { value, list } => {
                out.push_str("(IN ");
                value.write_prefix(out);
                for op in list {
                    out.push(' ');
                    op.write_prefix(out);
                }
                out.push(')');
            }
            Self::AttributeExists(p) | Self::AttributeNotExists(p) => {
                let name = self.function_name().unwrap_or_default();
                let _ = write!(out, "({name} {p})");
            }
            Self::AttributeType(a, b) | Self::BeginsWith(a, b) | Self::Contains(a, b) => {
                operands(out, self.function_name().unwrap_or_default(), &[a, b]);
            }
            Self::Not(c) => {
                out.push_str("(NOT ");
                c.write_prefix(out);
                out.push(')');
            }
            Self::And(l, r) | Self::Or(l, r) => {
                out.push_str(if matches!(self, Self::And(..)) {
                    "(AND "
                } else {
                    "(OR "
                });
                l.write_prefix(out);
                out.push(' ');
                r.write_prefix(out);
                out.push(')');
            }
        }
    }

    /// Calls `f` with every `#name` and `:value` placeholder occurrence, in
    /// text order (repeats included).
    pub fn visit_references<'s>(&'s self, f: &mut impl FnMut(&'s Arc<str>)) {
        match self {
            Self::Compare { left, right, .. } => {
                left.visit_references(f);
                right.visit_references(f);
            }
            Self::Between { value, low, high } => {
                value.visit_references(f);
                low.visit_references(f);
                high.visit_references(f);
            }
            Self::In { value, list } => {
                value.visit_references(f);
                for op in list {
                    op.visit_references(f);
                }
            }
            Self::AttributeExists(p) | Self::AttributeNotExists(p) => p.visit_references(f),
            Self::AttributeType(a, b) | Self::BeginsWith(a, b) | Self::Contains(a, b) => {
                a.visit_references(f);
                b.visit_references(f);
            }
            Self::Not(c) => c.visit_references(f),
            Self::And(l, r) | Self::Or(l, r) => {
                l.visit_references(f);
                r.visit_references(f);
            }
        }
    }

    /// The `#name` and `:value` placeholders used, each once, in order of
    /// first use. The text includes the `#` or `:`, which tells the two
    /// kinds apart.
    #[must_use]
    pub fn references(&self) -> Vec<Arc<str>> {
        collect_references(|f| self.visit_references(&mut |r| f(r)))
    }

    fn fmt_child(&self, f: &mut fmt::Formatter<'_>, parens: bool) -> fmt::Result {
        if parens {
            write!(f, "({self})")
        } else {
            self.fmt(f)
        }
    }
}

impl fmt::Display for ConditionTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compare { op, left, right } => write!(f, "{left} {op} {right}"),
            Self::Between { value, low, high } => write!(f, "{value} BETWEEN {low} AND {high}"),
            Self::In { value, list } => {
                write!(f, "{value} IN (")?;
                for (i, op) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    op.fmt(f)?;
                }
                f.write_char(')')
            }
            Self::AttributeExists(p) | Self::AttributeNotExists(p) => {
                write!(f, "{}({p})", self.function_name().unwrap_or_default())
            }
            Self::AttributeType(a, b) | Self::BeginsWith(a, b) | Self::Contains(a, b) => {
                write!(f, "{}({a}, {b})", self.function_name().unwrap_or_default())
            }
            Self::Not(c) => {
                f.write_str("NOT ")?;
                c.fmt_child(f, c.precedence() < PREC_NOT)
            }
            // Both are left-associative: a left child of the same
            // precedence needs no parentheses, a right child does.
            Self::And(l, r) => {
                l.fmt_child(f, l.precedence() < PREC_AND)?;
                f.write_str(" AND ")?;
                r.fmt_child(f, r.precedence() <= PREC_AND)
            }
            Self::Or(l, r) => {
                l.fmt_child(f, l.precedence() < PREC_OR)?;
                f.write_str(" OR ")?;
                r.fmt_child(f, r.precedence() <= PREC_OR)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(names: &[&str]) -> Path {
        Path {
            elements: names
                .iter()
                .map(|n| {
                    if let Ok(i) = n.parse::<u32>() {
                        PathElement::Index(i)
                    } else if n.starts_with('#') {
                        PathElement::Name(Name::Placeholder((*n).into()))
                    } else {
                        PathElement::Name(Name::Bare((*n).into()))
                    }
                })
                .collect(),
            span: Span::default(),
        }
    }

    fn p(name: &str) -> Operand {
        Operand::Path(path(&[name]))
    }

    fn v(name: &str) -> Operand {
        Operand::Value(ValueRef {
            name: name.into(),
            span: Span::default(),
        })
    }

    fn cmp(op: Comparator, l: Operand, r: Operand) -> ConditionTree {
        ConditionTree::Compare {
            op,
            left: l,
            right: r,
        }
    }

    #[test]
    fn is_send_sync_clone() {
        fn check<T: Send + Sync + Clone>() {}
        check::<ConditionTree>();
        check::<Operand>();
        check::<Path>();
    }

    #[test]
    fn path_display() {
        assert_eq!(
            path(&["a", "b", "2", "#c", "0", "1"]).to_string(),
            "a.b[2].#c[0][1]"
        );
    }

    #[test]
    fn display_inserts_parentheses_only_where_needed() {
        let a = || cmp(Comparator::Lt, p("a"), p("b"));
        let b = || cmp(Comparator::Ge, p("c"), v(":v"));
        let and = |l, r| ConditionTree::And(Box::new(l), Box::new(r));
        let or = |l, r| ConditionTree::Or(Box::new(l), Box::new(r));
        let not = |c| ConditionTree::Not(Box::new(c));
        assert_eq!(
            or(a(), and(b(), a())).to_string(),
            "a < b OR c >= :v AND a < b"
        );
        assert_eq!(
            and(or(a(), b()), a()).to_string(),
            "(a < b OR c >= :v) AND a < b"
        );
        assert_eq!(
            and(and(a(), b()), a()).to_string(),
            "a < b AND c >= :v AND a < b"
        );
        assert_eq!(
            and(a(), and(b(), a())).to_string(),
            "a < b AND (c >= :v AND a < b)"
        );
        assert_eq!(
            or(a(), or(b(), a())).to_string(),
            "a < b OR (c >= :v OR a < b)"
        );
        assert_eq!(not(not(a())).to_string(), "NOT NOT a < b");
        assert_eq!(not(and(a(), b())).to_string(), "NOT (a < b AND c >= :v)");
        assert_eq!(and(not(a()), b()).to_string(), "NOT a < b AND c >= :v");
    }

    #[test]
    fn prefix_and_functions() {
        let c = ConditionTree::Or(
            Box::new(ConditionTree::AttributeExists(path(&["a", "b", "2"]))),
            Box::new(ConditionTree::In {
                value: Operand::Size {
                    arg: Box::new(p("a")),
                    span: Span::default(),
                },
                list: vec![v(":x"), p("y")],
            }),
        );
        assert_eq!(
            c.to_string(),
            "attribute_exists(a.b[2]) OR size(a) IN (:x, y)"
        );
        assert_eq!(
            c.to_prefix(),
            "(OR (attribute_exists a.b[2]) (IN (size a) :x y))"
        );
        let c = ConditionTree::BeginsWith(p("#n"), v(":p"));
        assert_eq!(c.to_string(), "begins_with(#n, :p)");
        assert_eq!(c.to_prefix(), "(begins_with #n :p)");
    }

    #[test]
    fn references_are_deduplicated_in_first_use_order() {
        let c = ConditionTree::And(
            Box::new(cmp(
                Comparator::Eq,
                Operand::Path(path(&["#b", "x", "#a"])),
                v(":z"),
            )),
            Box::new(ConditionTree::Between {
                value: p("#a"),
                low: v(":y"),
                high: v(":z"),
            }),
        );
        let refs: Vec<_> = c.references().iter().map(|r| r.to_string()).collect();
        assert_eq!(refs, ["#b", "#a", ":z", ":y"]);
    }
}
