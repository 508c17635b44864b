//! PartiQL on the store: `ExecuteStatement`, `BatchExecuteStatement` and
//! `ExecuteTransaction` (spec partiql.md), as a front end of the same
//! engine.
//!
//! A statement is prepared without the table ([`prepare`]: parameters
//! checked, text parsed — through [`crate::partiql::parse_cached`] — and
//! translated into trees, whose static checks run there). Against its table:
//!
//! * INSERT is a PutItem of its item with the condition
//!   `attribute_not_exists(<partition key>)`; a failed condition is
//!   `DuplicateItemException`.
//! * UPDATE is an UpdateItem of the key read off its WHERE
//!   ([`crate::partiql::keys`]), with the rest of the WHERE as its condition
//!   behind `attribute_exists(<partition key>)`, so it never creates an item.
//! * DELETE is a DeleteItem of that key with the rest of the WHERE as its
//!   condition.
//! * `EXISTS(SELECT ...)` is a transaction's ConditionCheck.
//! * SELECT reads with the table's or index's Query/Scan page loop
//!   ([`select`]).
//!
//! Every write goes through the request pipeline with prebuilt trees
//! ([`crate::store::pipeline::Prebuilt`]) and the single-item write path
//! ([`crate::store::items::Target`]) or the transaction engine
//! ([`Store::run_write_transaction`]); messages are PartiQL's: bare, without
//! the `Invalid ...Expression: ` head.

mod batch;
mod plan;
mod select;
mod transaction;

use std::sync::Arc;

use crate::api::{ExecuteStatementInput, ExecuteStatementOutput, Parameters};
use crate::ast::{ConditionTree, Name, Path, PathElement, Span};
use crate::condition::ConditionExpression;
use crate::constraints::{self, present};
use crate::error::Error;
use crate::parser::error::ExpressionKind;
use crate::partiql::keys::{self, KeyProblem};
use crate::partiql::lower::Lowered;
use crate::partiql::parse_cached;
use crate::partiql::syntax::Returning;
use crate::placeholders::ExpressionAttributeValues;
use crate::store::capacity::{Consumed, Mirror};
use crate::store::catalog::Store;
use crate::store::items::Target;
use crate::store::key::PrimaryKey;
use crate::store::pipeline::{
    Bound, Compiled, Operation, Params, Prebuilt, Request, ReturnValues, on_failure_all_old,
};
use crate::store::table::Table;
use crate::store::transaction::{DUPLICATE_ITEM, Kind};
use crate::value::{AttributeValue, Item, validate_item};

pub(crate) use crate::partiql::error::bare;

/// A statement prepared with its parameters, before its table is looked
/// up.
pub(crate) struct Prepared {
    pub(crate) lowered: Lowered,
    pub(crate) values: ExpressionAttributeValues,
}

/// Checks the parameters (before anything else, spec §1.4), parses the
/// statement and translates it.
pub(crate) fn prepare(text: &str, parameters: Option<&Parameters>) -> Result<Prepared, Error> {
    let params: &[AttributeValue] = match parameters {
        Some(p) => p.checked()?,
        None => &[],
    };
    let statement = parse_cached(text)?;
    let (lowered, values) = statement.lower(params)?;
    Ok(Prepared { lowered, values })
}

/// A write statement against its table: its item's key, and the trees the
/// pipeline binds.
pub(crate) struct PlannedWrite {
    pub(crate) kind: Kind,
    pub(crate) key: PrimaryKey,
    /// An INSERT's item.
    pub(crate) item: Option<Item>,
    pub(crate) trees: Prebuilt,
    pub(crate) returning: Option<Returning>,
}

/// Why a write statement cannot be planned: a WHERE that does not address
/// one item (each surface words it its own way), or another error.
pub(crate) enum PlanError {
    Key(KeyProblem),
    Other(Error),
}

impl From<Error> for PlanError {
    fn from(e: Error) -> Self {
        PlanError::Other(e)
    }
}

impl PlanError {
    /// The error ExecuteStatement reports.
    pub(crate) fn into_error(self) -> Error {
        match self {
            PlanError::Key(p) => Error::validation(p.message()),
            PlanError::Other(e) => e,
        }
    }
}

/// The one-name path of a top-level attribute.
fn attribute_path(name: &str) -> Path {
    Path {
        elements: vec![PathElement::Name(Name::Bare(Arc::from(name)))],
        span: Span::default(),
    }
}

/// The key and trees of a write statement against its table.
pub(crate) fn plan_write(prepared: &Prepared, table: &Table) -> Result<PlannedWrite, PlanError> {
    let schema = table.schema();
    let values = &prepared.values;
    let condition = |tree: Option<ConditionTree>| {
        tree.map(|t| ConditionExpression::from_ast(t, ExpressionKind::Condition))
    };
    fn ast(c: &Option<ConditionExpression>) -> Option<&ConditionTree> {
        c.as_ref().map(ConditionExpression::ast)
    }
    let hash = || attribute_path(&schema.partition.name);
    let (kind, key, item, update, condition, returning) = match &prepared.lowered {
        Lowered::Insert { item, .. } => {
            validate_item(item).map_err(Error::from)?;
            let key = schema.key_of_item(item)?;
            table.check_index_keys(item, None).map_err(Error::from)?;
            let not_exists = ConditionTree::AttributeNotExists(hash());
            (
                Kind::Put,
                key,
                Some(item.clone()),
                None,
                condition(Some(not_exists)),
                None,
            )
        }
        Lowered::Update {
            update,
            filter,
            returning,
            ..
        } => {
            let found = keys::extract(ast(filter), schema, values).map_err(PlanError::Key)?;
            let key = schema.key_of_map(&found.key)?;
            let exists = ConditionTree::AttributeExists(hash());
            let guard = match found.rest {
                Some(rest) => ConditionTree::And(Box::new(exists), Box::new(rest)),
                None => exists,
            };
            (
                Kind::Update,
                key,
                None,
                Some(update.clone()),
                condition(Some(guard)),
                *returning,
            )
        }
        Lowered::Delete {
            filter, returning, ..
        } => {
            let found = keys::extract(ast(filter), schema, values).map_err(PlanError::Key)?;
            let key = schema.key_of_map(&found.key)?;
            (
                Kind::Delete,
                key,
                None,
                None,
                condition(found.rest),
                *returning,
            )
        }
        Lowered::Exists { filter, .. } => {
            let found = keys::extract(ast(filter), schema, values).map_err(PlanError::Key)?;
            let key = schema.key_of_map(&found.key)?;
            (Kind::Check, key, None, None, condition(found.rest), None)
        }
        Lowered::Select { .. } => {
            return Err(PlanError::Other(Error::Internal(
                "a SELECT is no write".into(),
            )));
        }
    };
    Ok(PlannedWrite {
        kind,
        key,
        item,
        trees: Prebuilt {
            update,
            condition,
            values: values.clone(),
            ..Prebuilt::default()
        },
        returning,
    })
}

impl PlannedWrite {
    /// The pipeline's first two steps for the write's trees.
    pub(crate) fn compile(&self) -> Result<Compiled<'_>, Error> {
        Request::new(
            Operation::Statement,
            Params {
                prebuilt: Some(&self.trees),
                ..Params::default()
            },
        )?
        .compile()
    }
}

/// The pipeline's last step for a write: bound and checked against the
/// table (key attributes not updated, index keys).
pub(crate) fn bind_write<'c>(
    compiled: &'c Compiled<'c>,
    table: &Table,
) -> Result<Bound<'c>, Error> {
    let mut bound = compiled.bind().map_err(bare)?;
    bound.check_schema(table.schema()).map_err(bare)?;
    bound
        .check_index_keys(&table.index_key_names())
        .map_err(bare)?;
    Ok(bound)
}

/// What `RETURNING` asks of the write.
fn return_values(returning: Option<Returning>) -> ReturnValues {
    match returning {
        None => ReturnValues::None,
        Some(Returning::AllOld) => ReturnValues::AllOld,
        Some(Returning::AllNew) => ReturnValues::AllNew,
        Some(Returning::ModifiedOld) => ReturnValues::UpdatedOld,
        Some(Returning::ModifiedNew) => ReturnValues::UpdatedNew,
    }
}

/// Runs one planned write on the single-item path: the item RETURNING
/// asks for, if any. `explain`: a failed condition carries its explanation.
pub(crate) fn run_write(
    planned: &PlannedWrite,
    table: &Table,
    (all_old, explain): (bool, bool),
    consumed: &mut Consumed,
) -> Result<Option<Item>, Error> {
    let compiled = planned.compile()?;
    let bound = bind_write(&compiled, table)?;
    let target = Target {
        table,
        key: &planned.key,
        bound: &bound,
        all_old,
        explain,
    };
    match planned.kind {
        Kind::Put => {
            let item = planned.item.clone().unwrap_or_default();
            match target.put(item, consumed) {
                Err(Error::ConditionalCheckFailed { .. }) => {
                    Err(Error::DuplicateItem(DUPLICATE_ITEM.into()))
                }
                other => other.map(|_| None),
            }
        }
        Kind::Update => target.update(return_values(planned.returning), consumed),
        Kind::Delete => Ok(target
            .delete(consumed)?
            .filter(|_| planned.returning == Some(Returning::AllOld))),
        Kind::Check => Err(Error::Internal(
            "a condition check runs in transactions".into(),
        )),
    }
}

/// `EXISTS(...)` outside a transaction.
fn exists_outside() -> Error {
    Error::validation("EXISTS can only be used in ExecuteTransaction write requests.")
}

impl Store {
    /// `ExecuteStatement`: one PartiQL statement (spec partiql.md): a
    /// SELECT's page of rows, or a write (with RETURNING, its item).
    pub fn execute_statement(
        &self,
        input: ExecuteStatementInput,
    ) -> Result<ExecuteStatementOutput, Error> {
        constraints::check(&input)?;
        let text = present(input.statement.as_ref(), "statement")?;
        let prepared = prepare(text, input.parameters.as_ref())?;
        if matches!(prepared.lowered, Lowered::Exists { .. }) {
            return Err(exists_outside());
        }
        if matches!(prepared.lowered, Lowered::Select { .. }) {
            return self.select(&prepared, &input);
        }
        let table = self.table(&prepared.lowered.target().table)?;
        let planned = plan_write(&prepared, &table).map_err(PlanError::into_error)?;
        let all_old = on_failure_all_old(input.return_values_on_condition_check_failure.as_ref());
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let item = run_write(&planned, &table, (all_old, self.explains()), &mut consumed)?;
        Ok(ExecuteStatementOutput {
            items: item.into_iter().collect(),
            next_token: None,
            consumed_capacity: consumed.single(),
        })
    }
}
