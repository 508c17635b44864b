//! Translation of a parsed statement into the trees the rest of dynacond
//! evaluates (spec partiql.md §6, §14): WHERE into a
//! [`ConditionTree`], SET / REMOVE into an [`UpdateTree`], the projection
//! into document paths, an INSERT's tuple into an [`Item`].
//!
//! This is the PartiQL counterpart of [`crate::legacy`]: names become
//! [`Name::Bare`] path elements (PartiQL's names are literal, whatever
//! characters they hold, and DynamoDB's expression reserved words do not
//! apply), and every literal and `?` becomes a generated `:value`
//! placeholder ([`VALUE_PREFIX`]) whose value is in
//! [`Lowered::values`]. Generated placeholders contain a `~`, which no
//! request's own placeholder can.
//!
//! Everything here needs only the statement and its parameters, so these
//! problems are reported before the table is looked up (§1.4).

use std::sync::Arc;

use crate::ast::{
    Comparator, ConditionTree, Name as AstName, Operand, Path, PathElement, SetAction, SetValue,
    Span, UpdateClause, UpdateOperand, UpdateTree, ValueRef,
};
use crate::condition::ConditionExpression;
use crate::error::Error;
use crate::parser::error::ExpressionKind;
use crate::partiql::error::{StatementError, bare};
use crate::partiql::syntax::{
    BinOp, Delete, Dml, Expr, Insert, IsType, Name, OrderItem, PathExpr, Projection, Returning,
    Select, Source, Step, Update, UpdateOp,
};
use crate::partiql::value::{ValuePath, bag, item, literal};
use crate::placeholders::ExpressionAttributeValues;
use crate::update::UpdateExpression;
use crate::value::{AttributeValue, Item};

/// The prefix of the generated `:value` placeholders (followed by a number).
pub const VALUE_PREFIX: &str = ":~q";

/// The most elements a document path may have (as in expressions).
const MAX_PATH_ELEMENTS: usize = 32;

/// The most entries of an `IN` list (as in expressions).
const MAX_IN_ENTRIES: usize = 100;

type Result<T> = std::result::Result<T, StatementError>;

/// The functions a WHERE may call.
const CONDITION_FUNCTIONS: &[&str] = &[
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "size",
];

/// The functions a SET value may call (besides `set_add` / `set_delete`).
const UPDATE_FUNCTIONS: &[&str] = &["list_append", "if_not_exists"];

/// A table (and index) a statement names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) table: String,
    pub(crate) index: Option<String>,
}

impl Target {
    fn of(source: &Source) -> Target {
        Target {
            table: source.table.text.clone(),
            index: source.index.as_ref().map(|n| n.text.clone()),
        }
    }
}

/// One projected path and the name its value is returned under.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Projected {
    pub(crate) path: Path,
    pub(crate) name: String,
}

/// A translated statement.
#[derive(Debug, Clone)]
pub(crate) enum Lowered {
    Select {
        target: Target,
        /// `None` for `*`.
        projection: Option<Vec<Projected>>,
        filter: Option<ConditionExpression>,
        order_by: Vec<OrderItem>,
    },
    Insert {
        target: Target,
        item: Item,
    },
    Update {
        target: Target,
        update: UpdateExpression,
        filter: Option<ConditionExpression>,
        returning: Option<Returning>,
    },
    Delete {
        target: Target,
        filter: Option<ConditionExpression>,
        returning: Option<Returning>,
    },
    Exists {
        target: Target,
        filter: Option<ConditionExpression>,
    },
}

impl Lowered {
    /// The table (and index) the statement names.
    pub(crate) fn target(&self) -> &Target {
        match self {
            Lowered::Select { target, .. }
            | Lowered::Insert { target, .. }
            | Lowered::Update { target, .. }
            | Lowered::Delete { target, .. }
            | Lowered::Exists { target, .. } => target,
        }
    }
}

/// Translates a statement with its parameters (already validated, as many
/// as the statement's `?`), then binds its trees to their values: the
/// checks that need no table (operand types, `BETWEEN` bounds, overlapping
/// update paths), with the engine's messages, bare.
pub(crate) fn lower(
    dml: &Dml,
    params: &[AttributeValue],
) -> std::result::Result<(Lowered, ExpressionAttributeValues), LowerError> {
    let mut l = Lowerer {
        params,
        values: ExpressionAttributeValues::new(),
    };
    let lowered = match dml {
        Dml::Select(s) => l.select(s)?,
        Dml::Exists(s) => Lowered::Exists {
            target: Target::of(&s.from),
            filter: s
                .filter
                .as_ref()
                .map(|f| l.condition(f))
                .transpose()?
                .map(filter),
        },
        Dml::Insert(i) => l.insert(i)?,
        Dml::Update(u) => l.update(u)?,
        Dml::Delete(d) => l.delete(d)?,
    };
    let values = l.values;
    let check = |c: &Option<ConditionExpression>| -> std::result::Result<(), LowerError> {
        if let Some(c) = c {
            c.bind(None, Some(&values))
                .map_err(|e| LowerError::Bound(bare(e)))?;
        }
        Ok(())
    };
    match &lowered {
        Lowered::Select { filter, .. }
        | Lowered::Delete { filter, .. }
        | Lowered::Exists { filter, .. } => check(filter)?,
        Lowered::Update { update, filter, .. } => {
            check(filter)?;
            update
                .bind(None, Some(&values), &[])
                .map_err(|e| LowerError::Bound(bare(e)))?;
        }
        Lowered::Insert { .. } => {}
    }
    Ok((lowered, values))
}

/// Why a statement does not translate: a problem with the statement (its
/// message may point into the text), or one the engine's binder found.
#[derive(Debug)]
pub(crate) enum LowerError {
    Statement(StatementError),
    Bound(Error),
}

impl From<StatementError> for LowerError {
    fn from(e: StatementError) -> Self {
        LowerError::Statement(e)
    }
}

impl LowerError {
    pub(crate) fn into_error(self, text: &str) -> Error {
        match self {
            LowerError::Statement(e) => e.into_error(text),
            LowerError::Bound(e) => e,
        }
    }
}

fn filter(tree: ConditionTree) -> ConditionExpression {
    ConditionExpression::from_ast(tree, ExpressionKind::Condition)
}

/// A document path as an expression path: every name literal.
pub(crate) fn path(p: &PathExpr) -> Result<Path> {
    let count = p.steps.len() + 1;
    if count > MAX_PATH_ELEMENTS {
        return Err(StatementError::new(format!(
            "The document path has too many nesting levels; nesting levels: {count}"
        )));
    }
    let name = |n: &Name| PathElement::Name(AstName::Bare(Arc::from(n.text.as_str())));
    let mut elements = Vec::with_capacity(count);
    elements.push(name(&p.root));
    for step in &p.steps {
        elements.push(match step {
            Step::Field(n) => name(n),
            Step::Index(i, _) => PathElement::Index(*i),
        });
    }
    Ok(Path {
        elements,
        span: p.span,
    })
}

/// Two paths name the same attribute (spans aside).
fn same_path(a: &PathExpr, b: &PathExpr) -> bool {
    fn step(s: &Step) -> (Option<&str>, u32) {
        match s {
            Step::Field(n) => (Some(n.text.as_str()), 0),
            Step::Index(i, _) => (None, *i),
        }
    }
    a.root.text == b.root.text
        && a.steps.len() == b.steps.len()
        && a.steps.iter().map(step).eq(b.steps.iter().map(step))
}

struct Lowerer<'p> {
    params: &'p [AttributeValue],
    values: ExpressionAttributeValues,
}

impl Lowerer<'_> {
    /// A generated placeholder for a value.
    fn value_ref(&mut self, value: AttributeValue, span: Span) -> ValueRef {
        let name = format!("{VALUE_PREFIX}{}", self.values.len());
        self.values.insert(name.clone(), value);
        ValueRef {
            name: Arc::from(name),
            span,
        }
    }

    fn value(&mut self, e: &Expr) -> Result<ValueRef> {
        let v = literal(e, self.params, &ValuePath::root())?;
        Ok(self.value_ref(v, e.span()))
    }

    // -- statements ----------------------------------------------------------

    fn select(&mut self, s: &Select) -> Result<Lowered> {
        let projection = match &s.projection {
            Projection::Star => None,
            Projection::Paths(paths) => {
                let mut out: Vec<Projected> = Vec::with_capacity(paths.len());
                for p in paths {
                    let name = p.result_name();
                    if out.iter().any(|o| o.name == name) {
                        return Err(StatementError::new(format!(
                            "Duplicate identifiers in select clause: {name}"
                        )));
                    }
                    out.push(Projected {
                        path: path(p)?,
                        name,
                    });
                }
                Some(out)
            }
        };
        let filter = s.filter.as_ref().map(|f| self.condition(f)).transpose()?;
        if !s.order_by.is_empty() && s.filter.is_none() {
            return Err(StatementError::new(
                "Must have WHERE clause in the statement when using ORDER BY clause.",
            ));
        }
        Ok(Lowered::Select {
            target: Target::of(&s.from),
            projection,
            filter: filter.map(self::filter),
            order_by: s.order_by.clone(),
        })
    }

    fn insert(&mut self, i: &Insert) -> Result<Lowered> {
        let Expr::Tuple(pairs, _) = &i.item else {
            return Err(StatementError::new(
                "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.",
            ));
        };
        let item = item(pairs, self.params)?;
        Ok(Lowered::Insert {
            target: Target::of(&i.into),
            item,
        })
    }

    fn update(&mut self, u: &Update) -> Result<Lowered> {
        if u.table.index.is_some() {
            return Err(StatementError::new(
                "This operation is not supported on an index",
            ));
        }
        let Some(filter) = &u.filter else {
            return Err(no_key_equalities());
        };
        let update = self.update_tree(&u.ops)?;
        let filter = self.condition(filter)?;
        Ok(Lowered::Update {
            target: Target::of(&u.table),
            update: UpdateExpression::from_ast(update),
            filter: Some(self::filter(filter)),
            returning: u.returning,
        })
    }

    fn delete(&mut self, d: &Delete) -> Result<Lowered> {
        if d.from.index.is_some() {
            return Err(StatementError::new(
                "This operation is not supported on an index",
            ));
        }
        if let Some(r) = d.returning.filter(|r| *r != Returning::AllOld) {
            return Err(StatementError::new(format!(
                "Invalid returning clause: {}. Only RETURNING ALL OLD * is allowed in DELETE statements.",
                r.text()
            )));
        }
        let Some(filter) = &d.filter else {
            return Err(no_key_equalities());
        };
        let filter = self.condition(filter)?;
        Ok(Lowered::Delete {
            target: Target::of(&d.from),
            filter: Some(self::filter(filter)),
            returning: d.returning,
        })
    }

    // -- WHERE ---------------------------------------------------------------

    /// A WHERE (or part of one) as a condition. Only `AND`, `OR` and `NOT`
    /// recurse, through small frames (runs of `NOT` iteratively); each
    /// predicate is translated by [`Lowerer::predicate`].
    fn condition(&mut self, e: &Expr) -> Result<ConditionTree> {
        let mut nots = 0usize;
        let mut e = e;
        while let Expr::Not(inner, _) = e {
            nots += 1;
            e = inner;
        }
        let mut c = match e {
            Expr::Binary {
                op: op @ (BinOp::And | BinOp::Or),
                left,
                right,
                ..
            } => self.junction(*op, left, right)?,
            other => self.predicate(other)?,
        };
        for _ in 0..nots {
            c = ConditionTree::Not(Box::new(c));
        }
        Ok(c)
    }

    fn junction(&mut self, op: BinOp, left: &Expr, right: &Expr) -> Result<ConditionTree> {
        let (l, r) = (self.condition(left)?, self.condition(right)?);
        Ok(if op == BinOp::And {
            ConditionTree::And(Box::new(l), Box::new(r))
        } else {
            ConditionTree::Or(Box::new(l), Box::new(r))
        })
    }

    /// One predicate: a comparison, `BETWEEN`, `IN`, `IS` or function.
    fn predicate(&mut self, e: &Expr) -> Result<ConditionTree> {
        use ConditionTree as C;
        Ok(match e {
            Expr::Binary {
                op: BinOp::Compare(op),
                left,
                right,
                ..
            } => self.comparison(*op, left, right)?,
            Expr::Binary { op, .. } => return Err(unsupported_operator(op.text())),
            Expr::Between {
                value,
                low,
                high,
                negated,
                ..
            } => negate(
                *negated,
                C::Between {
                    value: self.operand(value)?,
                    low: self.operand(low)?,
                    high: self.operand(high)?,
                },
            ),
            Expr::In {
                value,
                list,
                negated,
                ..
            } => {
                let Expr::List(items, _) = list.as_ref() else {
                    return Err(bad_in());
                };
                if items.is_empty() {
                    return Err(bad_in());
                }
                if items.len() > MAX_IN_ENTRIES {
                    return Err(StatementError::new(format!(
                        "The IN operator is provided with too many operands; number of operands: {}",
                        items.len()
                    )));
                }
                let value = self.operand(value)?;
                let list = items
                    .iter()
                    .map(|i| self.operand(i))
                    .collect::<Result<Vec<_>>>()?;
                negate(*negated, C::In { value, list })
            }
            Expr::Is {
                value, negated, ty, ..
            } => {
                let Expr::Path(p) = value.as_ref() else {
                    return Err(StatementError::new(
                        "The left hand side argument to IS must be a Variable Reference, Literal, or Path",
                    ));
                };
                let p = path(p)?;
                let test = match ty {
                    IsType::Missing => C::AttributeNotExists(p),
                    IsType::Null => C::Compare {
                        op: Comparator::Eq,
                        left: Operand::Path(p),
                        right: Operand::Value(self.value_ref(AttributeValue::Null, value.span())),
                    },
                    IsType::Typed(code) => C::AttributeType(
                        Operand::Path(p),
                        Operand::Value(
                            self.value_ref(AttributeValue::S((*code).to_owned()), value.span()),
                        ),
                    ),
                    IsType::Unsupported(t) => {
                        return Err(StatementError::new(format!(
                            "Unsupported data type for IS operator: {t}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"
                        )));
                    }
                };
                negate(*negated, test)
            }
            Expr::Call {
                name,
                name_span,
                args,
                ..
            } => self.function(name, *name_span, args)?,
            _ => {
                return Err(StatementError::new(
                    "WHERE clause must contain an expression that resolves to a boolean",
                ));
            }
        })
    }

    /// `l <op> r`; a boolean function compared with `true` or `false` is
    /// the function (or its negation).
    fn comparison(&mut self, op: Comparator, l: &Expr, r: &Expr) -> Result<ConditionTree> {
        if matches!(op, Comparator::Eq | Comparator::Ne) {
            for (call, other) in [(l, r), (r, l)] {
                if let (Expr::Call { name, .. }, Expr::Bool(b, _)) = (call, other) {
                    if name != "size" && CONDITION_FUNCTIONS.contains(&name.as_str()) {
                        let test = self.condition(call)?;
                        let want = *b == (op == Comparator::Eq);
                        return Ok(negate(!want, test));
                    }
                }
            }
        }
        Ok(ConditionTree::Compare {
            op,
            left: self.operand(l)?,
            right: self.operand(r)?,
        })
    }

    /// A condition function called as a predicate.
    fn function(&mut self, name: &str, at: Span, args: &[Expr]) -> Result<ConditionTree> {
        use ConditionTree as C;
        check_condition_function(name, at)?;
        let arity = match name {
            "attribute_exists" | "attribute_not_exists" | "size" => 1,
            _ => 2,
        };
        if args.len() != arity {
            return Err(StatementError::new(format!(
                "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                args.len()
            )));
        }
        let first = args.first().ok_or_else(|| no_path(name))?;
        Ok(match name {
            "attribute_exists" | "attribute_not_exists" => {
                let Expr::Path(p) = first else {
                    return Err(no_path(name));
                };
                let p = path(p)?;
                if name == "attribute_exists" {
                    C::AttributeExists(p)
                } else {
                    C::AttributeNotExists(p)
                }
            }
            "size" => {
                return Err(StatementError::new(
                    "WHERE clause must contain an expression that resolves to a boolean",
                ));
            }
            _ => {
                let second = args.get(1).ok_or_else(|| no_path(name))?;
                let (a, b) = (self.operand(first)?, self.operand(second)?);
                match name {
                    "attribute_type" => C::AttributeType(a, b),
                    "begins_with" => C::BeginsWith(a, b),
                    _ => C::Contains(a, b),
                }
            }
        })
    }

    /// An operand of a comparison or function: a path, `size(path)`, or a
    /// value.
    fn operand(&mut self, e: &Expr) -> Result<Operand> {
        Ok(match e {
            Expr::Path(p) => Operand::Path(path(p)?),
            Expr::Call {
                name,
                name_span,
                args,
                span,
            } => {
                check_condition_function(name, *name_span)?;
                if name != "size" {
                    return Err(StatementError::new(format!(
                        "The function is not allowed to be used this way in an expression; function: {name}"
                    )));
                }
                let [arg] = args.as_slice() else {
                    return Err(StatementError::new(format!(
                        "Incorrect number of operands for operator or function; operator or function: size, number of operands: {}",
                        args.len()
                    )));
                };
                Operand::Size {
                    arg: Box::new(self.operand(arg)?),
                    span: *span,
                }
            }
            Expr::Binary { op, .. } => return Err(unsupported_operator(op.text())),
            Expr::Not(..) | Expr::Between { .. } | Expr::In { .. } | Expr::Is { .. } => {
                return Err(StatementError::new(
                    "The arguments to AND/OR must be Expressions",
                ));
            }
            other => Operand::Value(self.value(other)?),
        })
    }

    // -- SET and REMOVE ----------------------------------------------------------

    /// The update operations as one update tree: SET actions, REMOVE
    /// paths, `set_add` as ADD and `set_delete` as DELETE, each kind one
    /// clause, in the order the kinds first appear.
    fn update_tree(&mut self, ops: &[UpdateOp]) -> Result<UpdateTree> {
        let mut clauses: Vec<UpdateClause> = Vec::new();
        let mut push = |clause: UpdateClause| {
            let same = clauses
                .iter_mut()
                .find(|c| std::mem::discriminant(*c) == std::mem::discriminant(&clause));
            match (same, clause) {
                (Some(UpdateClause::Set(list)), UpdateClause::Set(more)) => list.extend(more),
                (Some(UpdateClause::Remove(list)), UpdateClause::Remove(more)) => list.extend(more),
                (Some(UpdateClause::Add(list)), UpdateClause::Add(more)) => list.extend(more),
                (Some(UpdateClause::Delete(list)), UpdateClause::Delete(more)) => {
                    list.extend(more);
                }
                (_, clause) => clauses.push(clause),
            }
        };
        for op in ops {
            match op {
                UpdateOp::Remove(p) => push(UpdateClause::Remove(vec![path(p)?])),
                UpdateOp::Set(target, value) => push(self.assignment(target, value)?),
            }
        }
        Ok(UpdateTree { clauses })
    }

    /// One `SET target = value`.
    fn assignment(&mut self, target: &PathExpr, value: &Expr) -> Result<UpdateClause> {
        if let Expr::Call {
            name,
            name_span,
            args,
            ..
        } = value
        {
            if name == "set_add" || name == "set_delete" {
                return self.set_function(target, name, *name_span, args);
            }
        }
        let value = match value {
            Expr::Binary {
                op: op @ (BinOp::Add | BinOp::Sub),
                left,
                right,
                ..
            } => {
                let (l, r) = (self.update_operand(left)?, self.update_operand(right)?);
                if *op == BinOp::Add {
                    SetValue::Plus(l, r)
                } else {
                    SetValue::Minus(l, r)
                }
            }
            other => SetValue::Operand(self.update_operand(other)?),
        };
        Ok(UpdateClause::Set(vec![SetAction {
            path: path(target)?,
            value,
        }]))
    }

    /// `SET x = set_add(x, <<...>>)` / `set_delete`: an ADD or DELETE.
    fn set_function(
        &mut self,
        target: &PathExpr,
        name: &str,
        at: Span,
        args: &[Expr],
    ) -> Result<UpdateClause> {
        let upper = name.to_ascii_uppercase();
        let [first, second] = args else {
            return Err(StatementError::at(
                format!("{upper} must have exactly two arguments"),
                at,
            ));
        };
        if !matches!(first, Expr::Path(p) if same_path(p, target)) {
            return Err(StatementError::at(
                format!("The first argument to {upper} must equal the assignment value"),
                at,
            ));
        }
        let not_a_set = || {
            StatementError::at(
                format!("The second argument to {upper} must be a value with type SET"),
                first.span(),
            )
        };
        let value = match second {
            Expr::Bag(items, _) => bag(items, &ValuePath::root())?,
            Expr::Param(..) => {
                let v = literal(second, self.params, &ValuePath::root())?;
                if !v.value_type().is_set() {
                    return Err(not_a_set());
                }
                v
            }
            _ => return Err(not_a_set()),
        };
        let value = self.value_ref(value, second.span());
        let path = path(target)?;
        Ok(if name == "set_add" {
            UpdateClause::Add(vec![crate::ast::AddAction { path, value }])
        } else {
            UpdateClause::Delete(vec![crate::ast::DeleteAction { path, value }])
        })
    }

    /// An operand of a SET value: a path, a value, `list_append(a, b)` or
    /// `if_not_exists(path, v)`.
    fn update_operand(&mut self, e: &Expr) -> Result<UpdateOperand> {
        Ok(match e {
            Expr::Path(p) => UpdateOperand::Path(path(p)?),
            Expr::Call {
                name,
                name_span,
                args,
                span,
            } => {
                if CONDITION_FUNCTIONS.contains(&name.as_str()) {
                    return Err(StatementError::new(format!(
                        "The function is not allowed in an update expression; function: {name}"
                    )));
                }
                if !UPDATE_FUNCTIONS.contains(&name.as_str()) {
                    return Err(unrecognized(name, *name_span));
                }
                let [a, b] = args.as_slice() else {
                    return Err(StatementError::new(format!(
                        "Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {}",
                        args.len()
                    )));
                };
                if name == "list_append" {
                    UpdateOperand::ListAppend {
                        first: Box::new(self.update_operand(a)?),
                        second: Box::new(self.update_operand(b)?),
                        span: *span,
                    }
                } else {
                    let Expr::Path(p) = a else {
                        return Err(no_path(name));
                    };
                    UpdateOperand::IfNotExists {
                        path: path(p)?,
                        default: Box::new(self.update_operand(b)?),
                        span: *span,
                    }
                }
            }
            Expr::Is { .. } => {
                return Err(StatementError::new(
                    "IS operator is not supported in update expressions",
                ));
            }
            Expr::Binary { op, .. } => {
                return Err(StatementError::new(format!(
                    "Unsupported operator in Update Expression. Operator: {}",
                    op.text()
                )));
            }
            Expr::Not(..) | Expr::Between { .. } | Expr::In { .. } => {
                return Err(StatementError::new(
                    "Unsupported operator in Update Expression. Operator: NOT",
                ));
            }
            other => UpdateOperand::Value(self.value(other)?),
        })
    }
}

fn negate(negated: bool, c: ConditionTree) -> ConditionTree {
    if negated {
        ConditionTree::Not(Box::new(c))
    } else {
        c
    }
}

/// A function name in a condition: the condition functions are fine, the
/// update functions misplaced, anything else unknown.
fn check_condition_function(name: &str, at: Span) -> Result<()> {
    if CONDITION_FUNCTIONS.contains(&name) {
        return Ok(());
    }
    if UPDATE_FUNCTIONS.contains(&name) {
        return Err(StatementError::new(format!(
            "The function is not allowed in a condition expression; function: {name}"
        )));
    }
    Err(unrecognized(name, at))
}

fn unrecognized(name: &str, at: Span) -> StatementError {
    StatementError::at(format!("Unrecognized function: {name}"), at)
}

fn no_path(name: &str) -> StatementError {
    StatementError::new(format!(
        "Operator or function requires a document path; operator or function: {name}"
    ))
}

fn bad_in() -> StatementError {
    StatementError::new(
        "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member",
    )
}

fn unsupported_operator(op: &str) -> StatementError {
    StatementError::new(format!(
        "Unsupported operator in Condition Expression. Operator: {op}"
    ))
}

/// DynamoDB's message for an UPDATE or DELETE whose WHERE does not pin the
/// whole primary key.
pub(crate) fn no_key_equalities() -> StatementError {
    StatementError::new("Where clause does not contain a mandatory equality on all key attributes")
}
