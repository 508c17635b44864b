//! Each single-request operation's entry into the pipeline: its
//! [`Params`], and the checks DynamoDB makes after the constraint layer and
//! before it looks at attribute values (validation.md §5.2: Scan's segment
//! pairing, Query's `Limit`, the mixing and placeholder-map rules).
//!
//! The protocol layer runs [`EarlyChecks`] before reporting a value error it
//! found while decoding, so a request with both problems gets the same
//! answer from the endpoint as from the library.

use crate::api::{
    BatchGetItemInput, BatchWriteItemInput, CreateTableInput, DeleteItemInput, DeleteTableInput,
    DescribeTableInput, GetItemInput, ListTablesInput, PutItemInput, QueryInput, ScanInput,
    TransactGetItemsInput, TransactWriteItemsInput, UpdateItemInput, UpdateTableInput,
};
use crate::error::{Error, ShownValue};
use crate::store::pipeline::{Operation, Params, Request};
use crate::store::query::segments;

/// The checks between the constraint layer and the attribute values.
pub(crate) trait EarlyChecks {
    /// Runs them; the default has none.
    fn early_checks(&self) -> Result<(), Error> {
        Ok(())
    }
}

impl GetItemInput {
    pub(crate) fn request(&self) -> Result<Request<'_>, Error> {
        Request::new(
            Operation::GetItem,
            Params {
                projection: self.projection_expression.as_deref(),
                names: self.expression_attribute_names.as_ref(),
                attributes_to_get: self.attributes_to_get.as_deref(),
                ..Params::default()
            },
        )
    }
}

impl PutItemInput {
    pub(crate) fn request(&self) -> Result<Request<'_>, Error> {
        Request::new(
            Operation::PutItem,
            Params {
                condition: self.condition_expression.as_deref(),
                names: self.expression_attribute_names.as_ref(),
                values: self.expression_attribute_values.as_ref(),
                expected: self.expected.as_ref(),
                conditional_operator: self.conditional_operator.as_ref(),
                ..Params::default()
            },
        )
    }
}

impl UpdateItemInput {
    pub(crate) fn request(&self) -> Result<Request<'_>, Error> {
        Request::new(
            Operation::UpdateItem,
            Params {
                update: self.update_expression.as_deref(),
                condition: self.condition_expression.as_deref(),
                names: self.expression_attribute_names.as_ref(),
                values: self.expression_attribute_values.as_ref(),
                attribute_updates: self.attribute_updates.as_ref(),
                expected: self.expected.as_ref(),
                conditional_operator: self.conditional_operator.as_ref(),
                ..Params::default()
            },
        )
    }
}

impl DeleteItemInput {
    pub(crate) fn request(&self) -> Result<Request<'_>, Error> {
        Request::new(
            Operation::DeleteItem,
            Params {
                condition: self.condition_expression.as_deref(),
                names: self.expression_attribute_names.as_ref(),
                values: self.expression_attribute_values.as_ref(),
                expected: self.expected.as_ref(),
                conditional_operator: self.conditional_operator.as_ref(),
                ..Params::default()
            },
        )
    }
}

impl QueryInput {
    /// Query's `Limit` check, which imitates the constraint layer on its own
    /// (validation.md §3.5, M41); then the pipeline's first step.
    pub(crate) fn request(&self) -> Result<Request<'_>, Error> {
        if self.limit.is_some_and(|n| n < 1) {
            return Err(Error::constraint(
                ShownValue::Hidden,
                "Limit",
                "Member must have value greater than or equal to 1",
            ));
        }
        Request::new(
            Operation::Query,
            Params {
                key_condition: self.key_condition_expression.as_deref(),
                filter: self.filter_expression.as_deref(),
                projection: self.projection_expression.as_deref(),
                names: self.expression_attribute_names.as_ref(),
                values: self.expression_attribute_values.as_ref(),
                key_conditions: self.key_conditions.as_ref(),
                query_filter: self.query_filter.as_ref(),
                conditional_operator: self.conditional_operator.as_ref(),
                attributes_to_get: self.attributes_to_get.as_deref(),
                ..Params::default()
            },
        )
    }
}

impl ScanInput {
    /// The segment pairing, then the pipeline's first step; gives the
    /// segment as `(segment, total)`.
    pub(crate) fn request(&self) -> Result<(Request<'_>, Option<(u64, u64)>), Error> {
        let segment = segments(self.segment, self.total_segments)?;
        let request = Request::new(
            Operation::Scan,
            Params {
                filter: self.filter_expression.as_deref(),
                projection: self.projection_expression.as_deref(),
                names: self.expression_attribute_names.as_ref(),
                values: self.expression_attribute_values.as_ref(),
                scan_filter: self.scan_filter.as_ref(),
                conditional_operator: self.conditional_operator.as_ref(),
                attributes_to_get: self.attributes_to_get.as_deref(),
                ..Params::default()
            },
        )?;
        Ok((request, segment))
    }
}

macro_rules! early_checks {
    ($($t:ty),*) => {$(
        impl EarlyChecks for $t {
            fn early_checks(&self) -> Result<(), Error> {
                self.request().map(|_| ())
            }
        }
    )*};
}

early_checks!(
    GetItemInput,
    PutItemInput,
    UpdateItemInput,
    DeleteItemInput,
    QueryInput,
    ScanInput
);

impl EarlyChecks for BatchGetItemInput {}
impl EarlyChecks for BatchWriteItemInput {}
impl EarlyChecks for TransactGetItemsInput {}
impl EarlyChecks for TransactWriteItemsInput {}
impl EarlyChecks for CreateTableInput {}
impl EarlyChecks for DescribeTableInput {}
impl EarlyChecks for DeleteTableInput {}
impl EarlyChecks for ListTablesInput {}
impl EarlyChecks for UpdateTableInput {}
impl EarlyChecks for crate::api::ExecuteStatementInput {}
impl EarlyChecks for crate::api::BatchExecuteStatementInput {}
impl EarlyChecks for crate::api::ExecuteTransactionInput {}
