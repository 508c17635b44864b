//! The crate's error type: DynamoDB's exception name plus its exact message.
//!
//! Every layer of dynacond (numbers, wire format, expressions, the store) reports
//! failures as an [`Error`]. Each variant corresponds to one DynamoDB exception
//! type, and carries the message DynamoDB would send, byte for byte, so that code
//! (and SDKs) matching on messages behaves the same against dynacond as against
//! DynamoDB.

use crate::enum_member::wire_enum;
use crate::explain::Explanation;
use crate::number::NumberError;
use crate::parser::error::ExprError;
use crate::value::{Item, ValueError};

/// The JSON protocol namespace DynamoDB puts in front of most exception names
/// in `__type` (see [`Error::wire_type`] for the exceptions that use another).
pub const ERROR_NAMESPACE: &str = "com.amazonaws.dynamodb.v20120810#";

/// The `__type` namespace of the exceptions DynamoDB's request framework
/// raises before the service sees the request: SerializationException and
/// UnknownOperationException (spec validation.md §7.5).
pub(crate) const CORAL_SERVICE_NAMESPACE: &str = "com.amazon.coral.service#";

/// The `__type` namespace of ValidationException (spec validation.md §7.5).
const CORAL_VALIDATE_NAMESPACE: &str = "com.amazon.coral.validate#";

/// The `__type` namespace of ThrottlingException, which DynamoDB's request
/// framework raises (`com.amazon.coral.availability#ThrottlingException`,
/// as clients and emulators test for it).
const CORAL_AVAILABILITY_NAMESPACE: &str = "com.amazon.coral.availability#";

/// An error as DynamoDB reports it: an exception type and its exact message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `ValidationException`: the request is malformed or breaks a rule
    /// (DynamoDB's service validation).
    #[error("{0}")]
    Validation(String),
    /// `ValidationException` from DynamoDB's constraint layer (required
    /// members, lengths, patterns, enums, ranges), kept as its violations:
    /// `1 validation error detected: Value '<v>' at '<member>' failed to
    /// satisfy constraint: <rule>`. Build it with [`Error::constraint`].
    #[error("{message}")]
    Constraint {
        /// The failed constraints, in DynamoDB's order.
        violations: Vec<ConstraintViolation>,
        /// The rendered message.
        message: String,
    },
    /// `ValidationException` for an invalid expression, kept structured
    /// (which parameter, what is wrong, where) until it is rendered.
    #[error("{0}")]
    InvalidExpression(Box<crate::parser::error::ExprError>),
    /// `SerializationException`: the request's JSON does not have the expected shape.
    #[error("{0}")]
    Serialization(String),
    /// `SerializationException` for a body that is not JSON at all (bad
    /// syntax, truncation, invalid UTF-8). DynamoDB's error body has no
    /// `message` member then (spec validation.md §7.5, row H2), and
    /// [`crate::wire::error_body`] writes none; [`Error::message`] still
    /// describes it for Rust callers.
    #[error("The request body is not well-formed JSON")]
    MalformedJson,
    /// `ConditionalCheckFailedException`: a condition evaluated to false.
    #[error("{message}")]
    ConditionalCheckFailed {
        /// Always `The conditional request failed` in DynamoDB.
        message: String,
        /// The item as it was, when `ReturnValuesOnConditionCheckFailure` was `ALL_OLD`
        /// and the item existed.
        item: Option<Box<Item>>,
        /// Why the condition failed, when the store explains failures
        /// ([`crate::StoreBuilder::explain`]); the endpoint sends it as an
        /// extra `Explanation` member that SDKs ignore.
        explanation: Option<Box<Explanation>>,
    },
    /// `DuplicateItemException`: a PartiQL `INSERT` of a key that exists
    /// (`Duplicate primary key exists in table`).
    #[error("{0}")]
    DuplicateItem(String),
    /// `TransactionCanceledException`: a transaction was cancelled; nothing was written.
    #[error("{message}")]
    TransactionCanceled {
        /// `Transaction cancelled, please refer cancellation reasons for specific reasons [...]`.
        message: String,
        /// One reason per action, in request order.
        reasons: Vec<CancellationReason>,
    },
    /// `TransactionConflictException`: another transaction holds the item.
    #[error("{0}")]
    TransactionConflict(String),
    /// `IdempotentParameterMismatchException`: a client token was reused with other parameters.
    #[error("{0}")]
    IdempotentParameterMismatch(String),
    /// `TransactionInProgressException`: a transaction with the same client token is running.
    #[error("{0}")]
    TransactionInProgress(String),
    /// `ResourceNotFoundException`: the table does not exist.
    #[error("{0}")]
    ResourceNotFound(String),
    /// `ResourceInUseException`: the table already exists (or is busy).
    #[error("{0}")]
    ResourceInUse(String),
    /// `LimitExceededException`: a per-table or per-account limit, such as
    /// one index created or deleted at a time, or 20 global secondary indexes.
    #[error("{0}")]
    LimitExceeded(String),
    /// `AccessDeniedException`: the request names a resource of another
    /// account (an ARN whose account is not the store's).
    #[error("{0}")]
    AccessDenied(String),
    /// `TableNotFoundException`: the continuous-backup operations' answer
    /// for a missing table (`Table not found: <name>`).
    #[error("{0}")]
    TableNotFound(String),
    /// `GlobalTableNotFoundException`: no global table of that name (dynacond
    /// has none).
    #[error("{0}")]
    GlobalTableNotFound(String),
    /// `PolicyNotFoundException`: the resource has no resource-based policy.
    #[error("{0}")]
    PolicyNotFound(String),
    /// `ExpiredIteratorException` (Streams API): a shard iterator older
    /// than 15 minutes.
    #[error("{0}")]
    ExpiredIterator(String),
    /// `TrimmedDataAccessException` (Streams API): the position read lies
    /// before the oldest record still retained.
    #[error("{0}")]
    TrimmedDataAccess(String),
    /// `ItemCollectionSizeLimitExceededException`: the write would grow an
    /// item collection of a table with local secondary indexes past its
    /// limit (10 GB; indexes.md §4.5).
    #[error("{0}")]
    ItemCollectionSizeLimitExceeded(String),
    /// `ProvisionedThroughputExceededException`: the table's provisioned
    /// capacity was exceeded (dynacond never throttles by itself: only a
    /// fault rule, see [`crate::faults`], produces it).
    #[error("{0}")]
    ProvisionedThroughputExceeded(String),
    /// `ThrottlingException`: requests came too fast (only from a fault rule).
    #[error("{0}")]
    Throttling(String),
    /// `RequestLimitExceeded`: the account's throughput limit was exceeded
    /// (only from a fault rule).
    #[error("{0}")]
    RequestLimitExceeded(String),
    /// `ServiceUnavailable`, HTTP 503: the service cannot answer now (from a
    /// fault rule, or while the store loads its fixtures).
    #[error("{0}")]
    ServiceUnavailable(String),
    /// `InternalServerError`: a failure inside dynacond, never caused by the input.
    #[error("{0}")]
    Internal(String),
}

wire_enum! {
    /// `Code` of a transaction's [`CancellationReason`].
    CancellationReasonCode, default None {
        /// `None`: this action did not cause the cancellation.
        None = "None",
        /// `ConditionalCheckFailed`: the action's condition was false.
        ConditionalCheckFailed = "ConditionalCheckFailed",
        /// `ItemCollectionSizeLimitExceeded`
        ItemCollectionSizeLimitExceeded = "ItemCollectionSizeLimitExceeded",
        /// `TransactionConflict`: another transaction holds the item.
        TransactionConflict = "TransactionConflict",
        /// `ProvisionedThroughputExceeded`
        ProvisionedThroughputExceeded = "ProvisionedThroughputExceeded",
        /// `ThrottlingError`
        ThrottlingError = "ThrottlingError",
        /// `ValidationError`: the action is invalid (key, item size, ...).
        ValidationError = "ValidationError",
    }
}

/// Why one action of a cancelled transaction failed (DynamoDB's
/// `CancellationReason`; serialises as DynamoDB's `{"Code", "Message", "Item"}`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CancellationReason {
    /// `None`, `ConditionalCheckFailed`, `ValidationError`, `TransactionConflict`, ...
    pub code: CancellationReasonCode,
    /// The reason's message; absent for `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The item as it was, for a failed condition with `ALL_OLD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
    /// Why the action's condition failed, when the store explains failures
    /// ([`crate::StoreBuilder::explain`]): an extra `Explanation` member
    /// that SDKs ignore. Never read back from JSON.
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub explanation: Option<Box<Explanation>>,
}

/// How a constraint violation shows the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShownValue {
    /// The value's text, printed in single quotes: `Value 'BOGUS'`.
    Text(String),
    /// An absent member: `Value null`.
    Null,
    /// A value DynamoDB does not print (a too-long list): `Value at`.
    Hidden,
}

impl From<&str> for ShownValue {
    fn from(text: &str) -> Self {
        ShownValue::Text(text.to_owned())
    }
}

impl From<&String> for ShownValue {
    fn from(text: &String) -> Self {
        ShownValue::Text(text.clone())
    }
}

impl From<i64> for ShownValue {
    fn from(n: i64) -> Self {
        ShownValue::Text(n.to_string())
    }
}

impl From<String> for ShownValue {
    fn from(text: String) -> Self {
        ShownValue::Text(text)
    }
}

/// One failed constraint of DynamoDB's constraint layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintViolation {
    /// The offending value, as DynamoDB prints it.
    pub value: ShownValue,
    /// The member's path, in DynamoDB's lower-camel form (`returnValues`,
    /// `transactItems.1.member.update.updateExpression`).
    pub member: String,
    /// The rule, e.g. `Member must satisfy enum value set: [ALL_OLD, NONE]`.
    pub rule: String,
}

impl std::fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            ShownValue::Text(v) => write!(f, "Value '{v}' at")?,
            ShownValue::Null => f.write_str("Value null at")?,
            ShownValue::Hidden => f.write_str("Value at")?,
        }
        write!(
            f,
            " '{}' failed to satisfy constraint: {}",
            self.member, self.rule
        )
    }
}

impl Error {
    /// A constraint-layer `ValidationException` with one violation: the one
    /// place DynamoDB's `1 validation error detected: Value '<v>' at
    /// '<member>' failed to satisfy constraint: <rule>` is written.
    ///
    /// ```
    /// use dynacond::Error;
    ///
    /// let e = Error::constraint("BOGUS", "select", "Member must satisfy enum value set: [COUNT]");
    /// assert_eq!(
    ///     e.message(),
    ///     "1 validation error detected: Value 'BOGUS' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [COUNT]"
    /// );
    /// ```
    pub fn constraint(
        value: impl Into<ShownValue>,
        member: impl Into<String>,
        rule: impl Into<String>,
    ) -> Self {
        Error::constraints(vec![ConstraintViolation {
            value: value.into(),
            member: member.into(),
            rule: rule.into(),
        }])
    }

    /// A constraint-layer `ValidationException` with every violation, in
    /// DynamoDB's order (`N validation errors detected: ...; ...`).
    pub fn constraints(violations: Vec<ConstraintViolation>) -> Self {
        let count = violations.len();
        let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
        let message = format!(
            "{count} validation error{} detected: {}",
            if count == 1 { "" } else { "s" },
            list.join("; ")
        );
        Error::Constraint {
            violations,
            message,
        }
    }

    /// A `ValidationException` with the given message.
    pub fn validation(message: impl Into<String>) -> Self {
        Error::Validation(message.into())
    }

    /// A `SerializationException` with the given message.
    pub fn serialization(message: impl Into<String>) -> Self {
        Error::Serialization(message.into())
    }

    /// DynamoDB's exception type name, such as `ValidationException`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Error::Validation(_) | Error::Constraint { .. } | Error::InvalidExpression(_) => {
                "ValidationException"
            }
            Error::Serialization(_) | Error::MalformedJson => "SerializationException",
            Error::ConditionalCheckFailed { .. } => "ConditionalCheckFailedException",
            Error::DuplicateItem(_) => "DuplicateItemException",
            Error::TransactionCanceled { .. } => "TransactionCanceledException",
            Error::TransactionConflict(_) => "TransactionConflictException",
            Error::IdempotentParameterMismatch(_) => "IdempotentParameterMismatchException",
            Error::TransactionInProgress(_) => "TransactionInProgressException",
            Error::ResourceNotFound(_) => "ResourceNotFoundException",
            Error::ResourceInUse(_) => "ResourceInUseException",
            Error::LimitExceeded(_) => "LimitExceededException",
            Error::AccessDenied(_) => "AccessDeniedException",
            Error::TableNotFound(_) => "TableNotFoundException",
            Error::GlobalTableNotFound(_) => "GlobalTableNotFoundException",
            Error::PolicyNotFound(_) => "PolicyNotFoundException",
            Error::ExpiredIterator(_) => "ExpiredIteratorException",
            Error::TrimmedDataAccess(_) => "TrimmedDataAccessException",
            Error::ItemCollectionSizeLimitExceeded(_) => "ItemCollectionSizeLimitExceededException",
            Error::ProvisionedThroughputExceeded(_) => "ProvisionedThroughputExceededException",
            Error::Throttling(_) => "ThrottlingException",
            Error::RequestLimitExceeded(_) => "RequestLimitExceeded",
            Error::ServiceUnavailable(_) => "ServiceUnavailable",
            Error::Internal(_) => "InternalServerError",
        }
    }

    /// The exact message DynamoDB would send (for [`Error::MalformedJson`],
    /// which DynamoDB sends without a message, a description).
    pub fn message(&self) -> &str {
        match self {
            Error::MalformedJson => "The request body is not well-formed JSON",
            Error::Validation(m)
            | Error::Serialization(m)
            | Error::DuplicateItem(m)
            | Error::TransactionConflict(m)
            | Error::IdempotentParameterMismatch(m)
            | Error::TransactionInProgress(m)
            | Error::ResourceNotFound(m)
            | Error::ResourceInUse(m)
            | Error::LimitExceeded(m)
            | Error::AccessDenied(m)
            | Error::TableNotFound(m)
            | Error::GlobalTableNotFound(m)
            | Error::PolicyNotFound(m)
            | Error::ExpiredIterator(m)
            | Error::TrimmedDataAccess(m)
            | Error::ItemCollectionSizeLimitExceeded(m)
            | Error::ProvisionedThroughputExceeded(m)
            | Error::Throttling(m)
            | Error::RequestLimitExceeded(m)
            | Error::ServiceUnavailable(m)
            | Error::Internal(m) => m,
            Error::Constraint { message, .. } => message,
            Error::InvalidExpression(e) => e.message(),
            Error::ConditionalCheckFailed { message, .. }
            | Error::TransactionCanceled { message, .. } => message,
        }
    }

    /// The `__type` member of DynamoDB's JSON error body, namespace included:
    /// `com.amazon.coral.validate#ValidationException`,
    /// `com.amazon.coral.service#SerializationException`, and
    /// `com.amazonaws.dynamodb.v20120810#<Name>` for the others (spec
    /// validation.md §7.5), except AccessDeniedException, which comes from
    /// the request framework too (`com.amazon.coral.service#`, as DynamoDB
    /// sends it), and ThrottlingException
    /// (`com.amazon.coral.availability#`). DynamoDB's 503 answers are not
    /// always JSON at all; dynacond sends `ServiceUnavailable` in the
    /// service's namespace (SDKs retry on the status code).
    pub fn wire_type(&self) -> String {
        let namespace = match self {
            Error::Validation(_) | Error::Constraint { .. } | Error::InvalidExpression(_) => {
                CORAL_VALIDATE_NAMESPACE
            }
            Error::Serialization(_) | Error::MalformedJson | Error::AccessDenied(_) => {
                CORAL_SERVICE_NAMESPACE
            }
            Error::Throttling(_) => CORAL_AVAILABILITY_NAMESPACE,
            _ => ERROR_NAMESPACE,
        };
        format!("{namespace}{}", self.type_name())
    }

    /// True for errors caused by the request (HTTP 400), false for server
    /// failures (HTTP 500 and 503).
    pub fn is_client_error(&self) -> bool {
        self.http_status() == 400
    }

    /// The HTTP status DynamoDB answers this error with: 500 for
    /// `InternalServerError`, 503 for `ServiceUnavailable`, 400 for every
    /// other error.
    pub fn http_status(&self) -> u16 {
        match self {
            Error::Internal(_) => 500,
            Error::ServiceUnavailable(_) => 503,
            _ => 400,
        }
    }
}

impl From<NumberError> for Error {
    fn from(e: NumberError) -> Self {
        Error::Validation(e.to_string())
    }
}

impl From<ValueError> for Error {
    fn from(e: ValueError) -> Self {
        Error::Validation(e.to_string())
    }
}

impl From<ExprError> for Error {
    fn from(e: ExprError) -> Self {
        Error::InvalidExpression(Box::new(e))
    }
}

/// A value error equals the error it becomes.
impl PartialEq<Error> for ValueError {
    fn eq(&self, other: &Error) -> bool {
        matches!(other, Error::Validation(m) if *m == self.to_string())
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_and_messages() {
        let e = Error::validation("bad");
        assert_eq!(e.type_name(), "ValidationException");
        assert_eq!(e.message(), "bad");
        assert_eq!(e.to_string(), "bad");
        assert_eq!(
            e.wire_type(),
            "com.amazon.coral.validate#ValidationException"
        );
        assert_eq!(
            Error::serialization("x").wire_type(),
            "com.amazon.coral.service#SerializationException"
        );
        assert_eq!(
            Error::MalformedJson.wire_type(),
            "com.amazon.coral.service#SerializationException"
        );
        assert_eq!(
            Error::ResourceNotFound("x".into()).wire_type(),
            "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
        );
        assert_eq!(
            Error::Internal("x".into()).wire_type(),
            "com.amazonaws.dynamodb.v20120810#InternalServerError"
        );
        let c = Error::ConditionalCheckFailed {
            message: "The conditional request failed".into(),
            item: None,
            explanation: None,
        };
        assert_eq!(c.type_name(), "ConditionalCheckFailedException");
        assert_eq!(c.message(), "The conditional request failed");
        assert!(c.is_client_error());
        assert!(!Error::Internal("x".into()).is_client_error());
        assert_eq!(
            Error::ExpiredIterator("Shard iterator has expired".into()).wire_type(),
            "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException"
        );
        assert_eq!(
            Error::TrimmedDataAccess("x".into()).wire_type(),
            "com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException"
        );
    }

    #[test]
    fn throttling_and_server_errors() {
        for (e, wire, status) in [
            (
                Error::ProvisionedThroughputExceeded("x".into()),
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                400,
            ),
            (
                Error::Throttling("x".into()),
                "com.amazon.coral.availability#ThrottlingException",
                400,
            ),
            (
                Error::RequestLimitExceeded("x".into()),
                "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded",
                400,
            ),
            (
                Error::ItemCollectionSizeLimitExceeded("x".into()),
                "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException",
                400,
            ),
            (
                Error::ServiceUnavailable("x".into()),
                "com.amazonaws.dynamodb.v20120810#ServiceUnavailable",
                503,
            ),
            (
                Error::Internal("x".into()),
                "com.amazonaws.dynamodb.v20120810#InternalServerError",
                500,
            ),
        ] {
            assert_eq!(e.wire_type(), wire);
            assert_eq!(e.http_status(), status);
            assert_eq!(e.is_client_error(), status == 400);
            assert_eq!(e.message(), "x");
        }
    }

    #[test]
    fn control_plane_exceptions() {
        for (e, name, namespace) in [
            (
                Error::AccessDenied("x".into()),
                "AccessDeniedException",
                CORAL_SERVICE_NAMESPACE,
            ),
            (
                Error::TableNotFound("x".into()),
                "TableNotFoundException",
                ERROR_NAMESPACE,
            ),
            (
                Error::GlobalTableNotFound("x".into()),
                "GlobalTableNotFoundException",
                ERROR_NAMESPACE,
            ),
            (
                Error::PolicyNotFound("x".into()),
                "PolicyNotFoundException",
                ERROR_NAMESPACE,
            ),
        ] {
            assert_eq!(e.type_name(), name);
            assert_eq!(e.wire_type(), format!("{namespace}{name}"));
            assert_eq!(e.message(), "x");
            assert!(e.is_client_error());
        }
    }
}
