//! The PartiQL syntax tree: what the parser reads, before it is translated
//! into dynacond's condition, update and projection trees
//! ([`crate::partiql::lower`]).
//!
//! It is a small tree of DynamoDB's subset with spans (byte ranges of the
//! statement text) on everything an error message may point at. Literals
//! stay as written (numbers as their text) until translation, where they
//! become attribute values with the `under root...` messages.

use std::fmt;

use crate::ast::{Comparator, Span};

/// A table, index or attribute name, as written (quoted or bare).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Name {
    /// The name (a quoted name unescaped).
    pub(crate) text: String,
    /// The token, quotes included.
    pub(crate) span: Span,
}

/// One step of a path after its first name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Step {
    /// `.name`, `."name"` or `['name']`.
    Field(Name),
    /// `[n]`.
    Index(u32, Span),
}

/// A document path: `a`, `"a b".c[2]`, `m['k']`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PathExpr {
    pub(crate) root: Name,
    pub(crate) steps: Vec<Step>,
    pub(crate) span: Span,
}

impl PathExpr {
    /// The name a SELECT gives this path's value (spec §7.2): the last map
    /// step (or the root) followed by the list indexes after it, as in
    /// `b[0]` for `a.b[0]` and `b` for `a[0].b`.
    pub(crate) fn result_name(&self) -> String {
        let last_field = self.steps.iter().rposition(|s| matches!(s, Step::Field(_)));
        let (mut name, after) = match last_field {
            Some(i) => match self.steps.get(i) {
                Some(Step::Field(n)) => (n.text.clone(), i + 1),
                _ => (self.root.text.clone(), 0),
            },
            None => (self.root.text.clone(), 0),
        };
        for step in self.steps.iter().skip(after) {
            if let Step::Index(i, _) = step {
                name.push_str(&format!("[{i}]"));
            }
        }
        name
    }
}

impl fmt::Display for PathExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_name(f, &self.root.text)?;
        for step in &self.steps {
            match step {
                Step::Field(n) => {
                    f.write_str(".")?;
                    write_name(f, &n.text)?;
                }
                Step::Index(i, _) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// Writes a name double-quoted, `"` doubled (always valid, never a keyword).
pub(crate) fn write_name(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "\"{}\"", name.replace('"', "\"\""))
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum BinOp {
    And,
    Or,
    Compare(Comparator),
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Concat,
    Like,
}

impl BinOp {
    pub(crate) const fn text(self) -> &'static str {
        match self {
            BinOp::And => "AND",
            BinOp::Or => "OR",
            BinOp::Compare(c) => c.as_str(),
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Concat => "||",
            BinOp::Like => "LIKE",
        }
    }
}

/// The type after `IS [NOT]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum IsType {
    Missing,
    Null,
    /// A type with an `attribute_type` code (`BOOL`, `S`, `N`, `B`, `M`, `L`).
    Typed(&'static str),
    /// A PartiQL type DynamoDB does not test (`INT`, `DECIMAL`, ...), in
    /// upper case.
    Unsupported(String),
}

/// An expression: a WHERE condition, a SET value or an INSERT item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Expr {
    Path(PathExpr),
    Str(String, Span),
    /// A number literal, as written.
    Num(String, Span),
    Bool(bool, Span),
    Null(Span),
    Missing(Span),
    /// The n-th `?` (0-based).
    Param(usize, Span),
    List(Vec<Expr>, Span),
    Tuple(Vec<(Expr, Expr)>, Span),
    Bag(Vec<Expr>, Span),
    /// A function call; the name in lower case.
    Call {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
        span: Span,
    },
    /// Unary minus (`negative`) or plus.
    Sign {
        negative: bool,
        operand: Box<Expr>,
        span: Span,
    },
    Not(Box<Expr>, Span),
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    Between {
        value: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
        span: Span,
    },
    In {
        value: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
        span: Span,
    },
    Is {
        value: Box<Expr>,
        negated: bool,
        ty: IsType,
        span: Span,
    },
}

impl Expr {
    /// Where the expression is in the text.
    pub(crate) fn span(&self) -> Span {
        match self {
            Expr::Path(p) => p.span,
            Expr::Str(_, s)
            | Expr::Num(_, s)
            | Expr::Bool(_, s)
            | Expr::Null(s)
            | Expr::Missing(s)
            | Expr::Param(_, s)
            | Expr::List(_, s)
            | Expr::Tuple(_, s)
            | Expr::Bag(_, s)
            | Expr::Not(_, s) => *s,
            Expr::Call { span, .. }
            | Expr::Sign { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Between { span, .. }
            | Expr::In { span, .. }
            | Expr::Is { span, .. } => *span,
        }
    }
}

/// `FROM "table"` or `"table"."index"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Source {
    pub(crate) table: Name,
    pub(crate) index: Option<Name>,
    pub(crate) span: Span,
}

/// What a SELECT returns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Projection {
    Star,
    Paths(Vec<PathExpr>),
}

/// One `ORDER BY` term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct OrderItem {
    pub(crate) name: Name,
    pub(crate) descending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Select {
    pub(crate) projection: Projection,
    pub(crate) from: Source,
    pub(crate) filter: Option<Expr>,
    pub(crate) order_by: Vec<OrderItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Insert {
    pub(crate) into: Source,
    pub(crate) item: Expr,
}

/// One `SET path = value` or `REMOVE path`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum UpdateOp {
    Set(PathExpr, Expr),
    Remove(PathExpr),
}

/// `RETURNING (ALL|MODIFIED) (OLD|NEW) *`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Returning {
    AllOld,
    AllNew,
    ModifiedOld,
    ModifiedNew,
}

impl Returning {
    pub(crate) const fn text(self) -> &'static str {
        match self {
            Returning::AllOld => "RETURNING ALL OLD *",
            Returning::AllNew => "RETURNING ALL NEW *",
            Returning::ModifiedOld => "RETURNING MODIFIED OLD *",
            Returning::ModifiedNew => "RETURNING MODIFIED NEW *",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Update {
    pub(crate) table: Source,
    pub(crate) ops: Vec<UpdateOp>,
    pub(crate) filter: Option<Expr>,
    pub(crate) returning: Option<Returning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Delete {
    pub(crate) from: Source,
    pub(crate) filter: Option<Expr>,
    pub(crate) returning: Option<Returning>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Dml {
    Select(Select),
    Insert(Insert),
    Update(Update),
    Delete(Delete),
    /// `EXISTS(SELECT ...)`: a transaction's condition check.
    Exists(Select),
}
