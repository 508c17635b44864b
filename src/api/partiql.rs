//! `ExecuteStatement`, `BatchExecuteStatement` and `ExecuteTransaction`
//! (PartiQL, [`crate::partiql`]) requests and responses.
//!
//! ```
//! use dynacond::api::{CreateTableInput, ExecuteStatementInput};
//! use dynacond::store::ScalarType;
//! use dynacond::{AttributeValue, Store};
//!
//! let store = Store::new();
//! store.create_table(CreateTableInput::new("users").with_hash_key("pk", ScalarType::S))?;
//! store.execute_statement(ExecuteStatementInput::new(
//!     "INSERT INTO \"users\" VALUE {'pk': 'u1', 'visits': 1}",
//! ))?;
//! store.execute_statement(
//!     ExecuteStatementInput::new("UPDATE \"users\" SET visits = visits + 1 WHERE pk = ?")
//!         .with_parameters([AttributeValue::s("u1")]),
//! )?;
//! let out = store.execute_statement(ExecuteStatementInput::new(
//!     "SELECT visits FROM \"users\" WHERE pk = 'u1'",
//! ))?;
//! assert_eq!(out.items[0]["visits"], AttributeValue::n(2));
//! # Ok::<(), dynacond::Error>(())
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    ConsumedCapacity, ItemResponse, ReturnConsumedCapacity, ReturnValuesOnConditionCheckFailure,
};
use crate::enum_member::wire_enum;
use crate::error::Error;
use crate::partiql::value::{check_parameter, parameter_problem};
use crate::value::{AttributeValue, Item};

/// A statement's `Parameters`: the values of its `?`, in order.
///
/// Decoded from JSON, a parameter with a problem (a number DynamoDB cannot
/// convert, an empty set, lists nested too deep, ...) is kept as that
/// problem, reported when the statement runs (before it is parsed), so a
/// batch reports it for its statement alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters {
    values: Vec<AttributeValue>,
    problem: Option<Error>,
}

impl Parameters {
    /// These values, in order.
    pub fn new(values: impl IntoIterator<Item = AttributeValue>) -> Self {
        Parameters {
            values: values.into_iter().collect(),
            problem: None,
        }
    }

    /// The values.
    #[must_use]
    pub fn values(&self) -> &[AttributeValue] {
        &self.values
    }

    /// How many there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values, after DynamoDB's checks of parameter values.
    pub(crate) fn checked(&self) -> Result<&[AttributeValue], Error> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        for value in &self.values {
            check_parameter(value)?;
        }
        Ok(&self.values)
    }
}

impl From<Vec<AttributeValue>> for Parameters {
    fn from(values: Vec<AttributeValue>) -> Self {
        Parameters::new(values)
    }
}

impl FromIterator<AttributeValue> for Parameters {
    fn from_iter<T: IntoIterator<Item = AttributeValue>>(iter: T) -> Self {
        Parameters::new(iter)
    }
}

impl Serialize for Parameters {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.values.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Parameters {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let raw = Vec::<serde_json::Value>::deserialize(deserializer)?;
        let mut values = Vec::with_capacity(raw.len());
        let mut problem = None;
        for json in raw {
            let partiql = parameter_problem(&json);
            match crate::wire::from_value::<AttributeValue>(json) {
                Ok(value) => {
                    if problem.is_none() {
                        problem = partiql.or_else(|| check_parameter(&value).err());
                    }
                    values.push(value);
                }
                // Shape errors fail the whole request, as anywhere else.
                Err(e @ (Error::Serialization(_) | Error::MalformedJson)) => {
                    return Err(D::Error::custom(e.message()));
                }
                Err(e) => {
                    if problem.is_none() {
                        problem = Some(partiql.unwrap_or(e));
                    }
                    values.push(AttributeValue::Null);
                }
            }
        }
        Ok(Parameters { values, problem })
    }
}

/// `ExecuteStatement` request: one PartiQL statement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ExecuteStatementInput {
    /// The statement (1 to 8192 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The values of its `?` (at least one when given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Parameters>,
    /// A SELECT's read consistency (capacity only; refused on a GSI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// A previous page's `NextToken`, to read on (same statement and
    /// parameters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `NONE` (default), `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// The most items a SELECT evaluates (before its filter) per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `ALL_OLD`: a failed UPDATE or DELETE condition reports the item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// `ExecuteStatement` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ExecuteStatementOutput {
    /// A SELECT's rows; a write's RETURNING projection; otherwise empty.
    pub items: Vec<Item>,
    /// Present when a SELECT stopped early: pass it back for the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// The capacity consumed, for `ReturnConsumedCapacity` `TOTAL` or
    /// `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<ConsumedCapacity>,
}

/// `BatchExecuteStatement` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchExecuteStatementInput {
    /// 1 to 25 statements: all reads (key lookups) or all writes, at most
    /// one per item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<Vec<BatchStatementRequest>>,
    /// `NONE` (default), `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// One statement of a `BatchExecuteStatement`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchStatementRequest {
    /// The statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The values of its `?`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Parameters>,
    /// A SELECT's read consistency (capacity only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// Accepted; a batch never reports the item of a failed condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// `BatchExecuteStatement` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchExecuteStatementOutput {
    /// One entry per statement, in request order.
    pub responses: Vec<BatchStatementResponse>,
    /// The capacity consumed, one entry per table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

/// The outcome of one statement of a batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchStatementResponse {
    /// Why the statement failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<BatchStatementError>,
    /// The statement's table, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// A SELECT's item, or a write's RETURNING projection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
}

wire_enum! {
    /// `Code` of a [`BatchStatementError`].
    BatchStatementErrorCode, default ValidationError {
        /// `ConditionalCheckFailed`
        ConditionalCheckFailed = "ConditionalCheckFailed",
        /// `ItemCollectionSizeLimitExceeded`
        ItemCollectionSizeLimitExceeded = "ItemCollectionSizeLimitExceeded",
        /// `RequestLimitExceeded`
        RequestLimitExceeded = "RequestLimitExceeded",
        /// `ValidationError`
        ValidationError = "ValidationError",
        /// `ProvisionedThroughputExceeded`
        ProvisionedThroughputExceeded = "ProvisionedThroughputExceeded",
        /// `TransactionConflict`
        TransactionConflict = "TransactionConflict",
        /// `ThrottlingError`
        ThrottlingError = "ThrottlingError",
        /// `InternalServerError`
        InternalServerError = "InternalServerError",
        /// `ResourceNotFound`
        ResourceNotFound = "ResourceNotFound",
        /// `AccessDenied`
        AccessDenied = "AccessDenied",
        /// `DuplicateItem`
        DuplicateItem = "DuplicateItem",
    }
}

/// Why one statement of a batch failed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BatchStatementError {
    /// The kind of failure.
    pub code: BatchStatementErrorCode,
    /// DynamoDB's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The item (never set: a batch does not report it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
}

/// `ExecuteTransaction` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ExecuteTransactionInput {
    /// 1 to 100 statements: all SELECTs (key lookups) or all writes
    /// (INSERT, UPDATE, DELETE, `EXISTS`), at most one per item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transact_statements: Option<Vec<ParameterizedStatement>>,
    /// Idempotency token (1 to 36 characters), as TransactWriteItems'.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
    /// `NONE` (default), `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// One statement of an `ExecuteTransaction`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ParameterizedStatement {
    /// The statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The values of its `?`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Parameters>,
    /// `ALL_OLD`: a failed condition's cancellation reason holds the item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// `ExecuteTransaction` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ExecuteTransactionOutput {
    /// A read transaction's items, one per statement (`{}` for a missing
    /// item); empty for a write transaction.
    pub responses: Vec<ItemResponse>,
    /// The capacity consumed, one entry per table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

/// `with_parameters` for every statement type.
macro_rules! parameter_setters {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `Parameters`: the values of the statement's `?`, in order.
            pub fn with_parameters(mut self, values: impl IntoIterator<Item = AttributeValue>) -> Self {
                self.parameters = Some(Parameters::new(values));
                self
            }
        }
    )*};
}

parameter_setters!(
    ExecuteStatementInput,
    BatchStatementRequest,
    ParameterizedStatement
);
capacity_setter!(
    ExecuteStatementInput,
    BatchExecuteStatementInput,
    ExecuteTransactionInput
);

impl ExecuteStatementInput {
    /// An ExecuteStatement of this statement.
    pub fn new(statement: impl Into<String>) -> Self {
        ExecuteStatementInput {
            statement: Some(statement.into()),
            ..Default::default()
        }
    }

    /// Sets `Limit`.
    pub fn with_limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets `NextToken` (a previous page's).
    pub fn with_next_token(mut self, token: Option<String>) -> Self {
        self.next_token = token;
        self
    }

    /// Sets `ConsistentRead`.
    pub fn with_consistent_read(mut self, consistent: bool) -> Self {
        self.consistent_read = Some(consistent);
        self
    }

    /// Sets `ReturnValuesOnConditionCheckFailure`.
    pub fn with_return_values_on_condition_check_failure(
        mut self,
        value: impl Into<ReturnValuesOnConditionCheckFailure>,
    ) -> Self {
        self.return_values_on_condition_check_failure = Some(value.into());
        self
    }
}

impl BatchStatementRequest {
    /// A batch member running this statement.
    pub fn new(statement: impl Into<String>) -> Self {
        BatchStatementRequest {
            statement: Some(statement.into()),
            ..Default::default()
        }
    }
}

impl BatchExecuteStatementInput {
    /// A batch of these statements.
    pub fn new(statements: impl IntoIterator<Item = BatchStatementRequest>) -> Self {
        BatchExecuteStatementInput {
            statements: Some(statements.into_iter().collect()),
            ..Default::default()
        }
    }
}

impl ParameterizedStatement {
    /// A transaction member running this statement.
    pub fn new(statement: impl Into<String>) -> Self {
        ParameterizedStatement {
            statement: Some(statement.into()),
            ..Default::default()
        }
    }
}

impl ExecuteTransactionInput {
    /// A transaction of these statements.
    pub fn new(statements: impl IntoIterator<Item = ParameterizedStatement>) -> Self {
        ExecuteTransactionInput {
            transact_statements: Some(statements.into_iter().collect()),
            ..Default::default()
        }
    }

    /// Sets `ClientRequestToken`.
    pub fn with_client_request_token(mut self, token: impl Into<String>) -> Self {
        self.client_request_token = Some(token.into());
        self
    }
}
