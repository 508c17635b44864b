//! BatchExecuteStatement (spec partiql.md §9): up to 25 statements, each
//! run on its own like an ExecuteStatement (key lookups for SELECT, the
//! single-item write path for the writes), with one answer per statement.
//!
//! Most problems belong to their statement (a `ValidationError` without
//! `TableName` for a parameter, a parse error, a SELECT that is not a pure
//! key lookup; `ResourceNotFound` for a missing table; the write's own
//! failure with `TableName` once it ran). Two make the whole request a
//! `ValidationException` and run nothing: reads mixed with writes
//! (statements that failed to parse take no part), and two statements on
//! one item. `ReturnValuesOnConditionCheckFailure` is accepted and inert.

use std::collections::HashSet;
use std::sync::Arc;

use super::select::{bind_projection, flatten};
use super::{PlanError, PlannedWrite, Prepared, plan_write, prepare, run_write};
use crate::api::{
    BatchExecuteStatementInput, BatchExecuteStatementOutput, BatchStatementError,
    BatchStatementErrorCode, BatchStatementRequest, BatchStatementResponse,
};
use crate::constraints::{self, present};
use crate::error::Error;
use crate::partiql::keys;
use crate::partiql::lower::Lowered;
use crate::store::capacity::{Consumed, Mirror, Read};
use crate::store::catalog::Store;
use crate::store::key::PrimaryKey;
use crate::store::table::Table;

/// The code a statement's error is reported with.
fn code(e: &Error) -> BatchStatementErrorCode {
    match e {
        Error::ConditionalCheckFailed { .. } => BatchStatementErrorCode::ConditionalCheckFailed,
        Error::DuplicateItem(_) => BatchStatementErrorCode::DuplicateItem,
        Error::ResourceNotFound(_) => BatchStatementErrorCode::ResourceNotFound,
        Error::TransactionConflict(_) => BatchStatementErrorCode::TransactionConflict,
        Error::Internal(_) => BatchStatementErrorCode::InternalServerError,
        _ => BatchStatementErrorCode::ValidationError,
    }
}

/// A statement's failure; `TableName` only for a statement that ran (a
/// failed condition, a duplicate INSERT).
fn failure(e: &Error, table: &str) -> BatchStatementResponse {
    let code = code(e);
    let ran = matches!(
        code,
        BatchStatementErrorCode::ConditionalCheckFailed | BatchStatementErrorCode::DuplicateItem
    );
    BatchStatementResponse {
        error: Some(BatchStatementError {
            code,
            message: Some(e.message().to_owned()),
            item: None,
        }),
        table_name: ran.then(|| table.to_owned()),
        item: None,
    }
}

fn select_needs_key() -> Error {
    Error::validation(
        "Select statements within BatchExecuteStatement must specify the primary key in the where clause.",
    )
}

/// What one statement is ready to do.
enum Member {
    /// It failed before running.
    Failed(Error),
    /// A key lookup.
    Read {
        prepared: Prepared,
        table: Arc<Table>,
        key: PrimaryKey,
    },
    /// A write.
    Write {
        planned: PlannedWrite,
        table: Arc<Table>,
    },
}

impl Store {
    /// A statement prepared against its table.
    fn member(&self, prepared: Prepared) -> Member {
        let table = match self.table(&prepared.lowered.target().table) {
            Ok(t) => t,
            Err(e) => return Member::Failed(e),
        };
        if let Lowered::Select { target, filter, .. } = &prepared.lowered {
            if target.index.is_some() {
                return Member::Failed(select_needs_key());
            }
            let schema = table.schema();
            let key =
                match keys::extract(filter.as_ref().map(|f| f.ast()), schema, &prepared.values) {
                    Ok(found) if found.rest.is_none() => schema.key_of_map(&found.key),
                    _ => Err(select_needs_key()),
                };
            return match key {
                Ok(key) => Member::Read {
                    prepared,
                    table,
                    key,
                },
                Err(e) => Member::Failed(e),
            };
        }
        match plan_write(&prepared, &table) {
            Ok(planned) => Member::Write { planned, table },
            Err(e @ (PlanError::Key(_) | PlanError::Other(_))) => Member::Failed(e.into_error()),
        }
    }

    /// `BatchExecuteStatement`: each statement on its own, one answer each
    /// (module docs for what fails the whole request).
    pub fn batch_execute_statement(
        &self,
        input: BatchExecuteStatementInput,
    ) -> Result<BatchExecuteStatementOutput, Error> {
        constraints::check(&input)?;
        let statements = present(input.statements.as_ref(), "statements")?;
        let prepared: Vec<Result<Prepared, Error>> = statements
            .iter()
            .map(|s| {
                let text = present(s.statement.as_ref(), "statement")?;
                let p = prepare(text, s.parameters.as_ref())?;
                if matches!(p.lowered, Lowered::Exists { .. }) {
                    return Err(Error::validation(
                        "EXISTS can only be used in ExecuteTransaction write requests.",
                    ));
                }
                Ok(p)
            })
            .collect();
        let reads = prepared
            .iter()
            .flatten()
            .filter(|p| matches!(p.lowered, Lowered::Select { .. }))
            .count();
        let parsed = prepared.iter().flatten().count();
        if reads != 0 && reads != parsed {
            return Err(Error::validation(
                "Read and write requests together in the same batch is not supported.",
            ));
        }
        let members: Vec<Member> = prepared
            .into_iter()
            .map(|p| match p {
                Ok(p) => self.member(p),
                Err(e) => Member::Failed(e),
            })
            .collect();
        let mut seen = HashSet::new();
        for member in &members {
            let target = match member {
                Member::Read { table, key, .. } => (table.name(), key),
                Member::Write { planned, table } => (table.name(), &planned.key),
                Member::Failed(_) => continue,
            };
            if !seen.insert(target) {
                return Err(Error::validation(
                    "Provided list of item keys contains duplicates",
                ));
            }
        }
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let responses = members
            .iter()
            .zip(statements)
            .map(|(member, request)| self.run_member(member, request, &mut consumed))
            .collect();
        Ok(BatchExecuteStatementOutput {
            responses,
            consumed_capacity: consumed.per_table(),
        })
    }

    fn run_member(
        &self,
        member: &Member,
        request: &BatchStatementRequest,
        consumed: &mut Consumed,
    ) -> BatchStatementResponse {
        match member {
            Member::Failed(e) => BatchStatementResponse {
                error: Some(BatchStatementError {
                    code: code(e),
                    message: Some(e.message().to_owned()),
                    item: None,
                }),
                ..BatchStatementResponse::default()
            },
            Member::Read {
                prepared,
                table,
                key,
            } => {
                let item = table.get(key);
                consumed.read_item(
                    table.name(),
                    item.as_ref(),
                    Read::of(request.consistent_read),
                );
                let projection = match &prepared.lowered {
                    Lowered::Select { projection, .. } => projection.as_deref(),
                    _ => None,
                };
                let item = match (projection.map(bind_projection), item) {
                    (Some(Ok(paths)), Some(item)) => Some(flatten(&item, &paths)),
                    (Some(Err(e)), _) => return failure(&e, table.name()),
                    (None, item) | (_, item @ None) => item,
                };
                BatchStatementResponse {
                    error: None,
                    table_name: Some(table.name().to_owned()),
                    item,
                }
            }
            Member::Write { planned, table } => {
                match run_write(planned, table, (false, false), consumed) {
                    Ok(item) => BatchStatementResponse {
                        error: None,
                        table_name: Some(table.name().to_owned()),
                        item,
                    },
                    Err(e) => failure(&e, table.name()),
                }
            }
        }
    }
}
