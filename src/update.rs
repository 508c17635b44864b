//! UpdateExpression: parse once, bind to a request, apply to items exactly as
//! DynamoDB's UpdateItem does (spec §7 and §12.3).
//!
//! * [`UpdateExpression::parse`] checks the text (grammar, clauses used once,
//!   functions, reserved words, limits).
//! * [`UpdateExpression::bind`] checks what depends on the request: every
//!   placeholder defined, constant operand types (`+`/`-` take numbers,
//!   `list_append` lists, `ADD` a number or a set, `DELETE` a set), no two
//!   target paths overlapping or conflicting, no key attribute updated.
//! * [`BoundUpdate::apply`] runs DynamoDB's execution model on a copy of the
//!   item: every right-hand side reads the **old** item, list indexes refer to
//!   the old list (SET past the end appends in index order, REMOVE past the
//!   end does nothing), and any failure leaves the item untouched.
//! * [`BoundUpdate::updated_attributes`] gives what `UPDATED_OLD` (on the old
//!   item) and `UPDATED_NEW` (on the new item) return.
//!
//! ```
//! use dynacond::update::UpdateExpression;
//! use dynacond::placeholders::ExpressionAttributeValues;
//! use dynacond::{wire, AttributeValue};
//!
//! let update = UpdateExpression::parse("SET visits = visits + :one, tags = list_append(tags, :t) REMOVE draft")?;
//! let mut values = ExpressionAttributeValues::new();
//! values.insert(":one".into(), AttributeValue::n(1));
//! values.insert(":t".into(), AttributeValue::L(vec![AttributeValue::s("new")]));
//! let bound = update.bind(None, Some(&values), &["pk"])?;
//!
//! let old = wire::item_from_json(br#"{"pk": {"S": "k"}, "visits": {"N": "41"}, "tags": {"L": []}, "draft": {"BOOL": true}}"#)?;
//! let new = bound.apply(Some(&old))?.expect("the item exists");
//! assert_eq!(wire::item_to_json(&new), r#"{"pk":{"S":"k"},"visits":{"N":"42"},"tags":{"L":[{"S":"new"}]}}"#);
//! assert_eq!(wire::item_to_json(&bound.updated_attributes(&old)), r#"{"visits":{"N":"41"},"tags":{"L":[]},"draft":{"BOOL":true}}"#);
//! # Ok::<(), dynacond::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::ast::{SetValue, UpdateClause, UpdateOperand, UpdateTree};
use crate::error::Error;
use crate::parser::error::{ErrorDetail, ExprError, ExpressionKind};
use crate::parser::parse_update;
use crate::path::{self, Step, resolve, resolve_mut};
use crate::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, References, check_all_used, parse_failure,
    undefined_name, undefined_value, validate_maps, validate_value_contents,
};
use crate::projection::project;
use crate::value::{AttributeValue, Item, ValueType};

/// DynamoDB's message when a right-hand side reads a missing attribute.
pub const MISSING_ATTRIBUTE: &str =
    "The provided expression refers to an attribute that does not exist in the item";
/// DynamoDB's message when an item value has the wrong type for an operation.
pub const INCORRECT_DATA_TYPE: &str =
    "An operand in the update expression has an incorrect data type";
/// DynamoDB's message when a target's parent is missing or of the wrong kind.
pub const INVALID_PATH: &str =
    "The document path provided in the update expression is invalid for update";

/// A parsed UpdateExpression: immutable, `Send + Sync`, cheap to clone.
/// `Display` prints its canonical text.
#[derive(Clone, PartialEq)]
pub struct UpdateExpression {
    ast: Arc<UpdateTree>,
    /// The placeholders the tree uses, listed once when it is built.
    refs: Arc<References>,
}

impl UpdateExpression {
    /// Parses an UpdateExpression.
    pub fn parse(text: &str) -> Result<Self, Error> {
        Ok(UpdateExpression::from_ast(parse_update(text)?))
    }

    /// Parses the expression of a request that has these placeholder maps:
    /// like [`UpdateExpression::parse`], except that where DynamoDB checks the
    /// placeholders first (`if_not_exists(:undefined, :v)`), an undefined one
    /// is reported first.
    pub fn parse_in_request(
        text: &str,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<Self, Error> {
        match parse_update(text) {
            Ok(ast) => Ok(UpdateExpression::from_ast(ast)),
            Err(e) => Err(parse_failure(e, text, names, values)),
        }
    }

    /// Wraps a tree built by code rather than parsed (the legacy
    /// translation, [`crate::legacy`]). The parser's checks on the text do
    /// not apply; [`UpdateExpression::bind`] still makes every check that
    /// depends on the request. The tree may have no clauses (it then
    /// changes nothing and creates no item).
    pub fn from_ast(ast: UpdateTree) -> Self {
        let refs = Arc::new(References::from_placeholders(ast.references()));
        UpdateExpression {
            ast: Arc::new(ast),
            refs,
        }
    }

    /// The syntax tree.
    pub fn ast(&self) -> &UpdateTree {
        &self.ast
    }

    /// The placeholders the expression uses, in first-use order.
    pub fn references(&self) -> References {
        (*self.refs).clone()
    }

    /// [`UpdateExpression::references`], without a copy.
    pub(crate) fn refs(&self) -> &References {
        &self.refs
    }

    /// Binds the expression to a request's placeholder maps and the table's
    /// key attribute names, with every check DynamoDB makes before reading the
    /// item.
    pub fn bind<'a>(
        &'a self,
        names: Option<&'a ExpressionAttributeNames>,
        values: Option<&'a ExpressionAttributeValues>,
        key_attributes: &[&str],
    ) -> Result<BoundUpdate<'a>, Error> {
        self.refs
            .check_defined(ExpressionKind::Update, names, values)?;
        let binder = Binder { names, values };
        let mut actions = Vec::new();
        for clause in &self.ast.clauses {
            match clause {
                UpdateClause::Set(list) => {
                    for a in list {
                        actions.push(Action::Set(
                            binder.path(&a.path)?,
                            binder.set_value(&a.value)?,
                        ));
                    }
                }
                UpdateClause::Remove(list) => {
                    for p in list {
                        actions.push(Action::Remove(binder.path(p)?));
                    }
                }
                UpdateClause::Add(list) => {
                    for a in list {
                        let value = binder.value(&a.value.name)?;
                        if !matches!(
                            value.value_type(),
                            ValueType::N | ValueType::Ss | ValueType::Ns | ValueType::Bs
                        ) {
                            return Err(set_operand_type("ADD", value));
                        }
                        actions.push(Action::Add(binder.path(&a.path)?, value));
                    }
                }
                UpdateClause::Delete(list) => {
                    for a in list {
                        let value = binder.value(&a.value.name)?;
                        if !value.value_type().is_set() {
                            return Err(set_operand_type("DELETE", value));
                        }
                        actions.push(Action::Delete(binder.path(&a.path)?, value));
                    }
                }
            }
        }
        let targets: Vec<Vec<Step<'a>>> = actions.iter().map(|a| a.target().to_vec()).collect();
        path::check_disjoint(&targets, ExpressionKind::Update)?;
        let bound = BoundUpdate {
            actions,
            targets,
            type_mismatch: INCORRECT_DATA_TYPE,
        };
        bound.check_key_attributes(key_attributes)?;
        Ok(bound)
    }
}

impl fmt::Display for UpdateExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ast.fmt(f)
    }
}

impl fmt::Debug for UpdateExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UpdateExpression({self})")
    }
}

impl FromStr for UpdateExpression {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        UpdateExpression::parse(s)
    }
}

fn operand_type(function: &str, t: ValueType) -> Error {
    let detail = ErrorDetail::OperandType {
        function: function.to_owned(),
        operand_type: t.to_string(),
    };
    ExprError::new(ExpressionKind::Update, detail, None).into()
}

/// The ADD/DELETE operand-type error, with DynamoDB's long type names.
fn set_operand_type(operator: &str, value: &AttributeValue) -> Error {
    let long = match value.value_type() {
        ValueType::S => "STRING",
        ValueType::N => "NUMBER",
        ValueType::B => "BINARY",
        ValueType::Bool => "BOOLEAN",
        ValueType::Null => "NULL",
        ValueType::L => "LIST",
        ValueType::M => "MAP",
        ValueType::Ss => "STRING_SET",
        ValueType::Ns => "NUMBER_SET",
        ValueType::Bs => "BINARY_SET",
    };
    let detail = ErrorDetail::SetActionOperandType {
        operator: operator.to_owned(),
        operand_type: long.to_owned(),
    };
    ExprError::new(ExpressionKind::Update, detail, None).into()
}

/// A right-hand side operand, bound.
#[derive(Debug, Clone, PartialEq)]
enum Rhs<'a> {
    Path(Vec<Step<'a>>),
    Value(&'a AttributeValue),
    IfNotExists(Vec<Step<'a>>, Box<Rhs<'a>>),
    ListAppend(Box<Rhs<'a>>, Box<Rhs<'a>>),
}

#[derive(Debug, Clone, PartialEq)]
enum SetRhs<'a> {
    One(Rhs<'a>),
    Plus(Rhs<'a>, Rhs<'a>),
    Minus(Rhs<'a>, Rhs<'a>),
}

#[derive(Debug, Clone, PartialEq)]
enum Action<'a> {
    Set(Vec<Step<'a>>, SetRhs<'a>),
    Remove(Vec<Step<'a>>),
    Add(Vec<Step<'a>>, &'a AttributeValue),
    Delete(Vec<Step<'a>>, &'a AttributeValue),
}

impl<'a> Action<'a> {
    fn target(&self) -> &[Step<'a>] {
        match self {
            Action::Set(p, _) | Action::Remove(p) | Action::Add(p, _) | Action::Delete(p, _) => p,
        }
    }
}

struct Binder<'a> {
    names: Option<&'a ExpressionAttributeNames>,
    values: Option<&'a ExpressionAttributeValues>,
}

impl<'a> Binder<'a> {
    fn path(&self, p: &'a crate::ast::Path) -> Result<Vec<Step<'a>>, Error> {
        path::bind_path(p, self.names, |n| undefined_name(ExpressionKind::Update, n))
    }

    fn value(&self, name: &str) -> Result<&'a AttributeValue, Error> {
        self.values
            .and_then(|m| m.get(name))
            .ok_or_else(|| undefined_value(ExpressionKind::Update, name))
    }

    fn operand(&self, operand: &'a UpdateOperand) -> Result<Rhs<'a>, Error> {
        Ok(match operand {
            UpdateOperand::Path(p) => Rhs::Path(self.path(p)?),
            UpdateOperand::Value(v) => Rhs::Value(self.value(&v.name)?),
            UpdateOperand::IfNotExists { path, default, .. } => {
                Rhs::IfNotExists(self.path(path)?, Box::new(self.operand(default)?))
            }
            UpdateOperand::ListAppend { first, second, .. } => {
                let (a, b) = (self.operand(first)?, self.operand(second)?);
                for side in [&a, &b] {
                    if let Rhs::Value(v) = side {
                        if v.value_type() != ValueType::L {
                            return Err(operand_type("list_append", v.value_type()));
                        }
                    }
                }
                Rhs::ListAppend(Box::new(a), Box::new(b))
            }
        })
    }

    fn arithmetic(
        &self,
        sign: &str,
        a: &'a UpdateOperand,
        b: &'a UpdateOperand,
    ) -> Result<(Rhs<'a>, Rhs<'a>), Error> {
        let (a, b) = (self.operand(a)?, self.operand(b)?);
        for side in [&a, &b] {
            if let Rhs::Value(v) = side {
                if v.value_type() != ValueType::N {
                    return Err(operand_type(sign, v.value_type()));
                }
            }
        }
        Ok((a, b))
    }

    fn set_value(&self, value: &'a SetValue) -> Result<SetRhs<'a>, Error> {
        Ok(match value {
            SetValue::Operand(o) => SetRhs::One(self.operand(o)?),
            SetValue::Plus(a, b) => {
                let (a, b) = self.arithmetic("+", a, b)?;
                SetRhs::Plus(a, b)
            }
            SetValue::Minus(a, b) => {
                let (a, b) = self.arithmetic("-", a, b)?;
                SetRhs::Minus(a, b)
            }
        })
    }
}

/// An UpdateExpression bound to its request, ready to apply to items.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundUpdate<'a> {
    actions: Vec<Action<'a>>,
    /// Every action's target path, in action order.
    targets: Vec<Vec<Step<'a>>>,
    /// The message for an item value of the wrong type for an action:
    /// [`INCORRECT_DATA_TYPE`], or the legacy `AttributeUpdates` wording.
    type_mismatch: &'static str,
}

impl BoundUpdate<'_> {
    /// Refuses an update of a path inside a secondary index's key attribute
    /// (`SET g.x = :v`, `g[0]`): index keys are scalars (indexes.md §4.2).
    pub(crate) fn check_index_key_paths(&self, index_keys: &[&str]) -> Result<(), Error> {
        for target in &self.targets {
            if let [Step::Key(name), _, ..] = target.as_slice() {
                if index_keys.contains(name) {
                    return Err(Error::validation(format!(
                        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: {name}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Refuses an update of a key attribute (DynamoDB checks this once the
    /// table's key schema is known).
    pub(crate) fn check_key_attributes(&self, key_attributes: &[&str]) -> Result<(), Error> {
        for target in &self.targets {
            if let Some(Step::Key(name)) = target.first() {
                if key_attributes.contains(name) {
                    return Err(Error::validation(format!(
                        "One or more parameter values were invalid: Cannot update attribute {name}. This attribute is part of the key"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Why applying an update failed, kept apart until the message is chosen:
/// a value of the wrong type reads differently for legacy updates.
enum ApplyError {
    IncorrectDataType,
    Other(Error),
}

impl From<Error> for ApplyError {
    fn from(e: Error) -> Self {
        ApplyError::Other(e)
    }
}

impl From<crate::number::NumberError> for ApplyError {
    fn from(e: crate::number::NumberError) -> Self {
        ApplyError::Other(e.into())
    }
}

/// Structural edits of one list, by old index.
#[derive(Default)]
struct ListEdits {
    removals: Vec<usize>,
    appends: Vec<(usize, AttributeValue)>,
}

impl<'a> BoundUpdate<'a> {
    /// Reports an item value of the wrong type for an action with this
    /// message instead of [`INCORRECT_DATA_TYPE`] (legacy `AttributeUpdates`
    /// say `Type mismatch for attribute to update`).
    pub(crate) fn with_type_mismatch_message(mut self, message: &'static str) -> Self {
        self.type_mismatch = message;
        self
    }

    /// Applies the update to the item (`None`: the item does not exist).
    /// Returns the new item, or `None` when the item did not exist and the
    /// update creates nothing (it only removes or deletes). The caller adds
    /// the key attributes to a created item. Any error leaves nothing changed.
    pub fn apply(&self, item: Option<&Item>) -> Result<Option<Item>, Error> {
        match item {
            Some(old) => {
                let mut new = old.clone();
                self.apply_in_place(&mut new)?;
                Ok(Some(new))
            }
            None if !self.writes_values() => Ok(None),
            None => {
                let mut new = Item::new();
                self.run(&mut new, false).map_err(|e| self.render(e))?;
                Ok(Some(new))
            }
        }
    }

    /// Applies the update to an existing item in place. On error the item is
    /// left exactly as it was: every value and every target is checked
    /// before the first change is made.
    pub fn apply_in_place(&self, item: &mut Item) -> Result<(), Error> {
        self.run(item, true).map_err(|e| self.render(e))
    }

    fn render(&self, error: ApplyError) -> Error {
        match error {
            ApplyError::IncorrectDataType => Error::validation(self.type_mismatch),
            ApplyError::Other(e) => e,
        }
    }

    /// The two phases: compute every change and check every target against
    /// the unchanged item (the only part that can fail), then make the
    /// changes, which cannot fail. Targets never overlap, so no change moves
    /// another target's parent; list indexes refer to the old lists because
    /// removals and appends come last, innermost lists first.
    fn run(&self, item: &mut Item, exists: bool) -> Result<(), ApplyError> {
        let mut planned: Vec<(&[Step<'a>], Option<AttributeValue>)> =
            Vec::with_capacity(self.actions.len());
        for action in &self.actions {
            let target = action.target();
            let put = match action {
                Action::Set(_, rhs) => Some(evaluate_set(rhs, item)?),
                Action::Remove(_) => None,
                Action::Add(_, value) => Some(add(resolve(target, item), value)?),
                Action::Delete(_, value) => match resolve(target, item) {
                    None => continue,
                    Some(current) => delete(current, value)?,
                },
            };
            // REMOVE on a missing item succeeds whatever the path.
            if put.is_none() && !exists {
                continue;
            }
            planned.push((target, put));
        }
        for (target, _) in &planned {
            if let Some((last, parent)) = target.split_last() {
                let fits = match (last, parent.is_empty()) {
                    (Step::Key(_), true) => true,
                    (Step::Index(_), true) => false,
                    (Step::Key(_), false) => {
                        matches!(resolve(parent, item), Some(AttributeValue::M(_)))
                    }
                    (Step::Index(_), false) => {
                        matches!(resolve(parent, item), Some(AttributeValue::L(_)))
                    }
                };
                if !fits {
                    return Err(Error::validation(INVALID_PATH).into());
                }
            }
        }

        // Nothing below can fail. Lookups that find nothing cannot happen
        // (every parent was checked above) and are skipped.
        let mut edits: IndexMap<&[Step<'a>], ListEdits> = IndexMap::new();
        for (target, put) in planned {
            let Some((last, parent)) = target.split_last() else {
                continue;
            };
            match (last, parent.is_empty()) {
                (Step::Key(name), true) => put_entry(item, name, put),
                (Step::Key(k), false) => {
                    if let Some(AttributeValue::M(map)) = resolve_mut(parent, item) {
                        put_entry(map, k, put);
                    }
                }
                (Step::Index(i), false) => {
                    if let Some(AttributeValue::L(list)) = resolve_mut(parent, item) {
                        let in_range = *i < list.len();
                        match (put, list.get_mut(*i)) {
                            (Some(v), Some(slot)) => *slot = v,
                            (Some(v), None) => {
                                edits.entry(parent).or_default().appends.push((*i, v))
                            }
                            (None, _) if in_range => {
                                edits.entry(parent).or_default().removals.push(*i)
                            }
                            (None, _) => {}
                        }
                    }
                }
                (Step::Index(_), true) => {}
            }
        }
        edits.sort_by(|a, _, b, _| b.len().cmp(&a.len()));
        for (parent, mut e) in edits {
            if let Some(AttributeValue::L(list)) = resolve_mut(parent, item) {
                e.removals.sort_unstable_by(|a, b| b.cmp(a));
                for i in e.removals {
                    if i < list.len() {
                        list.remove(i);
                    }
                }
                e.appends.sort_by_key(|(i, _)| *i);
                list.extend(e.appends.into_iter().map(|(_, v)| v));
            }
        }
        Ok(())
    }

    /// The updated attributes of an item, nested in their ancestors: on the
    /// old item this is what `UPDATED_OLD` returns, on the new item what
    /// `UPDATED_NEW` returns (including DynamoDB's quirks: an element
    /// appended by `SET l[100]` is not reported, and after `REMOVE l[1]` the
    /// element that moved into position 1 is).
    pub fn updated_attributes(&self, item: &Item) -> Item {
        project(item, &self.targets)
    }

    /// True when some action sets or adds a value (so the update creates a
    /// missing item).
    pub fn writes_values(&self) -> bool {
        self.actions
            .iter()
            .any(|a| matches!(a, Action::Set(..) | Action::Add(..)))
    }
}

/// Sets (reusing the key of an existing entry) or removes one map entry.
fn put_entry(map: &mut Item, key: &str, value: Option<AttributeValue>) {
    match (value, map.get_mut(key)) {
        (Some(v), Some(slot)) => *slot = v,
        (Some(v), None) => {
            map.insert(key.to_owned(), v);
        }
        (None, _) => {
            map.shift_remove(key);
        }
    }
}

fn operand<'x>(rhs: &'x Rhs<'_>, item: &'x Item) -> Result<Cow<'x, AttributeValue>, ApplyError> {
    match rhs {
        Rhs::Path(p) => resolve(p, item)
            .map(Cow::Borrowed)
            .ok_or_else(|| Error::validation(MISSING_ATTRIBUTE).into()),
        Rhs::Value(v) => Ok(Cow::Borrowed(v)),
        Rhs::IfNotExists(p, default) => match resolve(p, item) {
            Some(v) => Ok(Cow::Borrowed(v)),
            None => operand(default, item),
        },
        Rhs::ListAppend(a, b) => {
            let (a, b) = (operand(a, item)?, operand(b, item)?);
            match (a.as_ref(), b.as_ref()) {
                (AttributeValue::L(x), AttributeValue::L(y)) => Ok(Cow::Owned(AttributeValue::L(
                    x.iter().chain(y).cloned().collect(),
                ))),
                _ => Err(ApplyError::IncorrectDataType),
            }
        }
    }
}

fn evaluate_set(rhs: &SetRhs<'_>, item: &Item) -> Result<AttributeValue, ApplyError> {
    let arithmetic = |a: &Rhs<'_>, b: &Rhs<'_>, plus: bool| -> Result<AttributeValue, ApplyError> {
        let (a, b) = (operand(a, item)?, operand(b, item)?);
        match (a.as_ref(), b.as_ref()) {
            (AttributeValue::N(x), AttributeValue::N(y)) => Ok(AttributeValue::N(if plus {
                x.checked_add(y)?
            } else {
                x.checked_sub(y)?
            })),
            _ => Err(ApplyError::IncorrectDataType),
        }
    };
    match rhs {
        SetRhs::One(o) => operand(o, item).map(Cow::into_owned),
        SetRhs::Plus(a, b) => arithmetic(a, b, true),
        SetRhs::Minus(a, b) => arithmetic(a, b, false),
    }
}

/// `ADD`: a number adds, a set unions; a missing target takes the operand.
fn add(
    current: Option<&AttributeValue>,
    operand: &AttributeValue,
) -> Result<AttributeValue, ApplyError> {
    fn union<T: Ord + Clone>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> BTreeSet<T> {
        a.union(b).cloned().collect()
    }
    Ok(match (current, operand) {
        (None, v) => v.clone(),
        (Some(AttributeValue::N(a)), AttributeValue::N(b)) => AttributeValue::N(a.checked_add(b)?),
        (Some(AttributeValue::Ss(a)), AttributeValue::Ss(b)) => AttributeValue::Ss(union(a, b)),
        (Some(AttributeValue::Ns(a)), AttributeValue::Ns(b)) => AttributeValue::Ns(union(a, b)),
        (Some(AttributeValue::Bs(a)), AttributeValue::Bs(b)) => AttributeValue::Bs(union(a, b)),
        _ => return Err(ApplyError::IncorrectDataType),
    })
}

/// `DELETE`: set difference; `None` when nothing is left (the attribute goes).
fn delete(
    current: &AttributeValue,
    operand: &AttributeValue,
) -> Result<Option<AttributeValue>, ApplyError> {
    fn difference<T: Ord + Clone>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> Option<BTreeSet<T>> {
        let rest: BTreeSet<T> = a.difference(b).cloned().collect();
        (!rest.is_empty()).then_some(rest)
    }
    Ok(match (current, operand) {
        (AttributeValue::Ss(a), AttributeValue::Ss(b)) => difference(a, b).map(AttributeValue::Ss),
        (AttributeValue::Ns(a), AttributeValue::Ns(b)) => difference(a, b).map(AttributeValue::Ns),
        (AttributeValue::Bs(a), AttributeValue::Bs(b)) => difference(a, b).map(AttributeValue::Bs),
        _ => return Err(ApplyError::IncorrectDataType),
    })
}

/// Runs one update the way UpdateItem does without a store: checks the
/// placeholder maps, parses, binds (no key attributes), rejects unused
/// placeholder entries, then applies the update to the item (`None`: no
/// item). Returns the new item, or `None` when nothing would be created.
pub fn check_update(
    expression: &str,
    names: Option<&ExpressionAttributeNames>,
    values: Option<&ExpressionAttributeValues>,
    item: Option<&Item>,
) -> Result<Option<Item>, Error> {
    validate_maps(names, values)?;
    let update = UpdateExpression::parse_in_request(expression, names, values)?;
    let bound = update.bind(names, values, &[])?;
    if let Some(values) = values {
        validate_value_contents(values)?;
    }
    check_all_used(names, values, &[update.refs()])?;
    let new = bound.apply(item)?;
    if let Some(new) = &new {
        validate_updated_item(new)?;
    }
    Ok(new)
}

/// The checks DynamoDB makes on the item an update produced, before writing
/// it (spec §7.4 step 6): every value valid (nesting at most 32 levels) and
/// the size at most 400 KB, reported as
/// `Item size to update has exceeded the maximum allowed size`.
pub fn validate_updated_item(item: &Item) -> Result<(), Error> {
    for value in item.values() {
        value.validate()?;
    }
    if crate::value::item_size(item) > crate::value::MAX_ITEM_SIZE {
        return Err(Error::validation(
            "Item size to update has exceeded the maximum allowed size",
        ));
    }
    Ok(())
}
