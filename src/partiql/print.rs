//! The canonical text of a parsed statement: keywords in upper case, every
//! name double-quoted, literals as written, parentheses only where the
//! grammar's precedence needs them. It parses back to the same tree (spans
//! aside), printing that again gives the same text, and it nests no deeper
//! than the statement it came from.

use std::fmt::{self, Display, Formatter};

use crate::partiql::syntax::{
    BinOp, Delete, Dml, Expr, Insert, IsType, Name, OrderItem, Projection, Select, Source, Update,
    UpdateOp, write_name,
};

fn name(f: &mut Formatter<'_>, n: &Name) -> fmt::Result {
    write_name(f, &n.text)
}

fn string(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    write!(f, "'{}'", s.replace('\'', "''"))
}

fn source(f: &mut Formatter<'_>, s: &Source) -> fmt::Result {
    name(f, &s.table)?;
    if let Some(index) = &s.index {
        f.write_str(".")?;
        name(f, index)?;
    }
    Ok(())
}

fn list(f: &mut Formatter<'_>, items: &[Expr]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        item.fmt(f)?;
    }
    Ok(())
}

/// Binding strength, loosest first, as the parser reads it.
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const PREDICATE: u8 = 4;
const CONCAT: u8 = 5;
const ADDITIVE: u8 = 6;
const MULTIPLICATIVE: u8 = 7;
const SIGN: u8 = 8;
const ATOM: u8 = 9;

fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Binary { op, .. } => match op {
            BinOp::Or => OR,
            BinOp::And => AND,
            BinOp::Compare(_) | BinOp::Like => PREDICATE,
            BinOp::Concat => CONCAT,
            BinOp::Add | BinOp::Sub => ADDITIVE,
            BinOp::Mul | BinOp::Div | BinOp::Mod => MULTIPLICATIVE,
        },
        Expr::Not(..) => NOT,
        Expr::Between { .. } | Expr::In { .. } | Expr::Is { .. } => PREDICATE,
        Expr::Sign { .. } => SIGN,
        _ => ATOM,
    }
}

/// Prints `e` where the grammar needs at least binding strength `min`:
/// in parentheses when it binds more loosely, so the text parses back to
/// the same tree with no parentheses it does not need.
fn at(f: &mut Formatter<'_>, e: &Expr, min: u8) -> fmt::Result {
    if precedence(e) < min {
        write!(f, "({e})")
    } else {
        e.fmt(f)
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Path(p) => p.fmt(f),
            Expr::Str(s, _) => string(f, s),
            Expr::Num(n, _) => f.write_str(n),
            Expr::Bool(b, _) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Expr::Null(_) => f.write_str("NULL"),
            Expr::Missing(_) => f.write_str("MISSING"),
            Expr::Param(..) => f.write_str("?"),
            Expr::List(items, _) => {
                f.write_str("[")?;
                list(f, items)?;
                f.write_str("]")
            }
            Expr::Bag(items, _) => {
                f.write_str("<<")?;
                list(f, items)?;
                f.write_str(">>")
            }
            Expr::Tuple(pairs, _) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    k.fmt(f)?;
                    f.write_str(": ")?;
                    v.fmt(f)?;
                }
                f.write_str("}")
            }
            Expr::Call { name, args, .. } => {
                write!(f, "{name}(")?;
                list(f, args)?;
                f.write_str(")")
            }
            // A space after the sign: `--` would start a comment.
            Expr::Sign {
                negative, operand, ..
            } => {
                f.write_str(if *negative { "- " } else { "+ " })?;
                at(f, operand, SIGN)
            }
            Expr::Not(inner, _) => {
                f.write_str("NOT ")?;
                at(f, inner, NOT)
            }
            Expr::Binary {
                op, left, right, ..
            } => {
                // Left-associative: the left operand may bind as loosely as
                // the operator, the right one must bind tighter; comparisons
                // take operands of the `||` level.
                let own = precedence(self);
                let (l, r) = if own == PREDICATE {
                    (CONCAT, CONCAT)
                } else {
                    (own, own + 1)
                };
                at(f, left, l)?;
                write!(f, " {} ", op.text())?;
                at(f, right, r)
            }
            Expr::Between {
                value,
                low,
                high,
                negated,
                ..
            } => {
                at(f, value, CONCAT)?;
                f.write_str(if *negated {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                })?;
                at(f, low, CONCAT)?;
                f.write_str(" AND ")?;
                at(f, high, CONCAT)
            }
            Expr::In {
                value,
                list,
                negated,
                ..
            } => {
                at(f, value, CONCAT)?;
                f.write_str(if *negated { " NOT IN " } else { " IN " })?;
                at(f, list, CONCAT)
            }
            Expr::Is {
                value, negated, ty, ..
            } => {
                at(f, value, CONCAT)?;
                f.write_str(if *negated { " IS NOT " } else { " IS " })?;
                match ty {
                    IsType::Missing => f.write_str("MISSING"),
                    IsType::Null => f.write_str("NULL"),
                    IsType::Typed(code) => f.write_str(match *code {
                        "BOOL" => "BOOLEAN",
                        "S" => "STRING",
                        "N" => "NUMERIC",
                        "B" => "BLOB",
                        "M" => "STRUCT",
                        _ => "LIST",
                    }),
                    IsType::Unsupported(t) => f.write_str(t),
                }
            }
        }
    }
}

fn filter(f: &mut Formatter<'_>, e: Option<&Expr>) -> fmt::Result {
    match e {
        Some(e) => write!(f, " WHERE {e}"),
        None => Ok(()),
    }
}

fn select(f: &mut Formatter<'_>, s: &Select) -> fmt::Result {
    f.write_str("SELECT ")?;
    match &s.projection {
        Projection::Star => f.write_str("*")?,
        Projection::Paths(paths) => {
            for (i, p) in paths.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                p.fmt(f)?;
            }
        }
    }
    f.write_str(" FROM ")?;
    source(f, &s.from)?;
    filter(f, s.filter.as_ref())?;
    for (
        i,
        OrderItem {
            name: n,
            descending,
        },
    ) in s.order_by.iter().enumerate()
    {
        f.write_str(if i == 0 { " ORDER BY " } else { ", " })?;
        name(f, n)?;
        f.write_str(if *descending { " DESC" } else { " ASC" })?;
    }
    Ok(())
}

impl Display for Dml {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Dml::Select(s) => select(f, s),
            Dml::Exists(s) => {
                f.write_str("EXISTS(")?;
                select(f, s)?;
                f.write_str(")")
            }
            Dml::Insert(Insert { into, item }) => {
                f.write_str("INSERT INTO ")?;
                source(f, into)?;
                write!(f, " VALUE {item}")
            }
            Dml::Update(Update {
                table,
                ops,
                filter: where_,
                returning,
            }) => {
                f.write_str("UPDATE ")?;
                source(f, table)?;
                for op in ops {
                    match op {
                        UpdateOp::Set(p, v) => write!(f, " SET {p} = {v}")?,
                        UpdateOp::Remove(p) => write!(f, " REMOVE {p}")?,
                    }
                }
                filter(f, where_.as_ref())?;
                match returning {
                    Some(r) => write!(f, " {}", r.text()),
                    None => Ok(()),
                }
            }
            Dml::Delete(Delete {
                from,
                filter: where_,
                returning,
            }) => {
                f.write_str("DELETE FROM ")?;
                source(f, from)?;
                filter(f, where_.as_ref())?;
                match returning {
                    Some(r) => write!(f, " {}", r.text()),
                    None => Ok(()),
                }
            }
        }
    }
}
