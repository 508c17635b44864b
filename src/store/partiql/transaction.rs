//! ExecuteTransaction (spec partiql.md §10): PartiQL statements on the
//! transaction engine of TransactWriteItems / TransactGetItems.
//!
//! The order of the checks:
//!
//! 1. the constraint layer; every statement's parameter values (reported
//!    bare);
//! 2. each statement parsed and translated; RETURNING, index reads, ...
//!    refused — these report `Validation failed in TransactStatements[<i>]: `
//!    and the statement's own message;
//! 3. all reads or all writes;
//! 4. every table exists;
//! 5. each statement's key: a WHERE that does not pin exactly one item is a
//!    prefixed message (for a SELECT, `Select statements within
//!    ExecuteTransaction must specify the primary key in the where
//!    clause.`); a key of the wrong type (and any other problem with the
//!    item) cancels the transaction with a `ValidationError` reason;
//! 6. two statements on one item;
//! 7. reads: one consistent snapshot of the items; writes: the engine of
//!    TransactWriteItems (ClientRequestToken, locks, every condition,
//!    all writes or none), an INSERT's condition failing as a
//!    `ValidationError` reason `Duplicate primary key exists in table`.

use std::sync::Arc;

use super::select::{bind_projection, flatten};
use super::{PlanError, PlannedWrite, Prepared, bind_write, plan_write};
use crate::api::{
    ExecuteTransactionInput, ExecuteTransactionOutput, ItemResponse, ParameterizedStatement,
    Parameters,
};
use crate::constraints::{self, present};
use crate::error::Error;
use crate::partiql::keys::{self, KeyProblem};
use crate::partiql::lower::Lowered;
use crate::partiql::{StatementKind, parse_cached};
use crate::store::capacity::{Consumed, Mirror, Read};
use crate::store::catalog::Store;
use crate::store::key::PrimaryKey;
use crate::store::pipeline::{Bound, Compiled, on_failure_all_old};
use crate::store::table::Table;
use crate::store::transaction::{
    FailedCondition, Kind, Ran, WriteAction, snapshot, tables, validation_cancel,
};
use crate::value::AttributeValue;

/// `Validation failed in TransactStatements[<i>]: <message>`.
fn prefixed(i: usize, e: &Error) -> Error {
    Error::validation(format!(
        "Validation failed in TransactStatements[{i}]: {}",
        e.message()
    ))
}

fn select_needs_key() -> Error {
    Error::validation(
        "Select statements within ExecuteTransaction must specify the primary key in the where clause.",
    )
}

/// Steps 1 and 2: every statement prepared.
fn prepare_all(statements: &[ParameterizedStatement]) -> Result<Vec<Prepared>, Error> {
    let params = statements
        .iter()
        .map(|s| s.parameters.as_ref().map(Parameters::checked).transpose())
        .collect::<Result<Vec<_>, _>>()?;
    let mut prepared = Vec::with_capacity(statements.len());
    for (i, (s, params)) in statements.iter().zip(params).enumerate() {
        let text = present(s.statement.as_ref(), "statement")?;
        let statement = parse_cached(text).map_err(|e| prefixed(i, &e))?;
        let refuse = |message: &str| Err(prefixed(i, &Error::validation(message)));
        if statement.has_returning() {
            return refuse("RETURNING clause is not supported in ExecuteTransaction.");
        }
        match (statement.kind(), statement.index_name()) {
            (StatementKind::Select, Some(_)) => {
                return refuse("Reads on indices are not supported within transactions.");
            }
            (StatementKind::Exists, Some(_)) => {
                return refuse("Operations on indices are not supported in transactions");
            }
            _ => {}
        }
        let params: &[AttributeValue] = params.unwrap_or(&[]);
        let (lowered, values) = statement.lower(params).map_err(|e| prefixed(i, &e))?;
        prepared.push(Prepared { lowered, values });
    }
    Ok(prepared)
}

impl Store {
    /// `ExecuteTransaction`: up to 100 PartiQL statements, all reads
    /// (one consistent snapshot) or all writes (all or nothing), as
    /// TransactGetItems and TransactWriteItems run them (module docs for
    /// the order of the checks).
    pub fn execute_transaction(
        &self,
        input: ExecuteTransactionInput,
    ) -> Result<ExecuteTransactionOutput, Error> {
        constraints::check(&input)?;
        let statements = present(input.transact_statements.as_ref(), "transactStatements")?;
        let prepared = prepare_all(statements)?;
        let reads = prepared
            .iter()
            .filter(|p| matches!(p.lowered, Lowered::Select { .. }))
            .count();
        if reads != 0 && reads != prepared.len() {
            return Err(Error::validation(
                "ExecuteTransaction API does not support both read and write operations in the same request.",
            ));
        }
        let tables = tables(
            self,
            prepared.iter().map(|p| p.lowered.target().table.as_str()),
        )?;
        if reads > 0 {
            self.read_transaction(&input, &prepared, &tables)
        } else {
            self.write_transaction(&input, statements, &prepared, &tables)
        }
    }

    fn read_transaction(
        &self,
        input: &ExecuteTransactionInput,
        prepared: &[Prepared],
        tables: &[Arc<Table>],
    ) -> Result<ExecuteTransactionOutput, Error> {
        let mut keys: Vec<Option<PrimaryKey>> = Vec::with_capacity(prepared.len());
        let mut first_invalid = None;
        for (i, (p, table)) in prepared.iter().zip(tables).enumerate() {
            let Lowered::Select { filter, .. } = &p.lowered else {
                return Err(Error::Internal("not a SELECT".into()));
            };
            let schema = table.schema();
            let found = keys::extract(filter.as_ref().map(|f| f.ast()), schema, &p.values);
            let key = match found {
                Ok(found) if found.rest.is_none() => schema.key_of_map(&found.key),
                Ok(_) | Err(KeyProblem::Missing | KeyProblem::Multiple(_)) => {
                    return Err(prefixed(i, &select_needs_key()));
                }
                Err(problem) => Err(Error::validation(problem.message())),
            };
            match key {
                Ok(k) => keys.push(Some(k)),
                Err(e) => {
                    keys.push(None);
                    first_invalid.get_or_insert((i, e));
                }
            }
        }
        if let Some((i, e)) = first_invalid {
            return Err(validation_cancel(prepared.len(), i, &e));
        }
        let keys: Vec<PrimaryKey> = keys.into_iter().flatten().collect();
        let items = snapshot(tables.iter().map(|t| &**t).zip(&keys))?;
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::Read);
        let mut responses = Vec::with_capacity(items.len());
        for ((item, table), p) in items.into_iter().zip(tables).zip(prepared) {
            consumed.read_item(table.name(), item.as_ref(), Read::Transactional);
            let projection = match &p.lowered {
                Lowered::Select { projection, .. } => projection.as_deref(),
                _ => None,
            };
            let item = match (projection, item) {
                (Some(paths), Some(item)) => Some(flatten(&item, &bind_projection(paths)?)),
                (_, item) => item,
            };
            responses.push(ItemResponse { item });
        }
        Ok(ExecuteTransactionOutput {
            responses,
            consumed_capacity: consumed.per_table(),
        })
    }

    fn write_transaction(
        &self,
        input: &ExecuteTransactionInput,
        statements: &[ParameterizedStatement],
        prepared: &[Prepared],
        tables: &[Arc<Table>],
    ) -> Result<ExecuteTransactionOutput, Error> {
        let mut planned: Vec<PlannedWrite> = Vec::with_capacity(prepared.len());
        let mut first_invalid = None;
        for (i, (p, table)) in prepared.iter().zip(tables).enumerate() {
            match plan_write(p, table) {
                Ok(write) => {
                    if write.kind == Kind::Check && write.trees.condition.is_none() {
                        return Err(prefixed(
                            i,
                            &Error::validation(
                                "EXISTS() must contain a single item read with additional condition",
                            ),
                        ));
                    }
                    planned.push(write);
                }
                Err(PlanError::Key(problem @ (KeyProblem::Missing | KeyProblem::Multiple(_)))) => {
                    return Err(prefixed(i, &Error::validation(problem.message())));
                }
                Err(e) => {
                    first_invalid.get_or_insert((i, e.into_error()));
                }
            }
        }
        if let Some((i, e)) = first_invalid {
            return Err(validation_cancel(prepared.len(), i, &e));
        }
        let compiled = planned
            .iter()
            .map(PlannedWrite::compile)
            .collect::<Result<Vec<Compiled<'_>>, _>>()?;
        let mut bound: Vec<Bound<'_>> = Vec::with_capacity(compiled.len());
        for (i, (c, table)) in compiled.iter().zip(tables).enumerate() {
            bound.push(bind_write(c, table).map_err(|e| prefixed(i, &e))?);
        }
        let mut actions: Vec<WriteAction<'_, '_>> = planned
            .iter()
            .zip(&bound)
            .zip(tables)
            .zip(statements)
            .map(|(((w, bound), table), s)| WriteAction {
                kind: w.kind,
                table,
                key: &w.key,
                item: w.item.as_ref().map(std::borrow::Cow::Borrowed),
                bound,
                all_old: on_failure_all_old(s.return_values_on_condition_check_failure.as_ref()),
                on_failure: if w.kind == Kind::Put {
                    FailedCondition::DuplicateItem
                } else {
                    FailedCondition::ConditionalCheckFailed
                },
            })
            .collect();
        let token = match &input.client_request_token {
            Some(token) => Some((
                token.as_str(),
                serde_json::to_string(statements).map_err(|e| Error::Internal(e.to_string()))?,
            )),
            None => None,
        };
        let capacity = input.return_consumed_capacity.as_ref();
        let consumed = match self.run_write_transaction(&mut actions, token, capacity)? {
            Ran::Replayed(c) | Ran::Committed(c) => c,
        };
        Ok(ExecuteTransactionOutput {
            responses: Vec::new(),
            consumed_capacity: consumed,
        })
    }
}
