//! [`FaultRule`]: what a rule matches, what it does, how often; its
//! builder, its checks, and the errors it can inject by name.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{CancellationReason, Error};
use crate::protocol::{OPERATIONS, STREAMS_OPERATIONS};
use crate::value::Item;

/// The longest latency a rule may add: five minutes.
pub const MAX_LATENCY_MS: u64 = 300_000;

/// DynamoDB's message of a `TransactionConflict` (the store's own, in
/// `store::table`).
const TRANSACTION_ONGOING: &str = "Transaction is ongoing for the item";

/// The most rules one set holds.
pub const MAX_RULES: usize = 1_000;

/// The operations whose requests have several entries (items of a batch,
/// actions of a transaction) that `key` and `action` choose among.
const MANY: [&str; 4] = [
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
];

/// The error name that cancels a transaction with a `TransactionConflict`
/// reason on the chosen actions.
pub const TRANSACTION_CANCELED: &str = "TransactionCanceledException";

/// One fault rule: which requests it matches, what it does to them, and how
/// many of them. Its JSON form is the one `POST /dynacond/faults` and
/// `dynacond serve --faults FILE` take; every member is optional except that
/// a rule must have an effect (`error`, `unprocessed` or `latency_ms`).
///
/// ```
/// use dynacond::faults::FaultRule;
///
/// let rule = FaultRule::error("ProvisionedThroughputExceededException")
///     .operation("PutItem")
///     .table("users")
///     .times(2);
/// let json = serde_json::to_value(&rule).unwrap();
/// assert_eq!(json, serde_json::json!({"operation": "PutItem", "table": "users",
///     "error": "ProvisionedThroughputExceededException", "times": 2}));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// The operation it matches (`PutItem`, `BatchWriteItem`, ...); absent:
    /// every operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The table: a request's `TableName`, or for a batch or transaction the
    /// table of at least one of its entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Key attributes in DynamoDB JSON: the rule matches an item operation,
    /// batch entry or transaction action whose key (or item, for a put) has
    /// every one of these attributes with an equal value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Item>,
    /// For batches and transactions: the entry at this index (0-based;
    /// a transaction's `TransactItems` order, a batch's entries in request
    /// order, table after table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<usize>,
    /// The error to answer with, by DynamoDB's name ([`ERROR_NAMES`]).
    /// `TransactionCanceledException` cancels a transaction with a
    /// `TransactionConflict` reason on the chosen actions and `None` on the
    /// others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error's message, instead of DynamoDB's usual one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For BatchWriteItem and BatchGetItem: leave the chosen entries
    /// unprocessed (`UnprocessedItems` / `UnprocessedKeys`), process the
    /// rest.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unprocessed: bool,
    /// Milliseconds to wait before answering (and before the operation
    /// runs); alone, or with an error or `unprocessed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Fire on this many matching requests, then never again; absent: no
    /// limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Let this many matching requests through first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<u64>,
    /// Fire on a matching request with this probability (0 to 1), drawn from
    /// a generator seeded with `seed`: the same seed and the same sequence
    /// of matching requests fire the same way every run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// The seed of `probability` (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl FaultRule {
    /// A rule answering with this DynamoDB error (see [`ERROR_NAMES`]).
    pub fn error(name: impl Into<String>) -> Self {
        FaultRule {
            error: Some(name.into()),
            ..FaultRule::default()
        }
    }

    /// A rule cancelling a TransactWriteItems with a `TransactionConflict`
    /// reason on the chosen actions (all of them unless [`Self::action`],
    /// [`Self::table`] or [`Self::key`] chooses).
    pub fn transaction_conflict() -> Self {
        FaultRule::error(TRANSACTION_CANCELED).operation("TransactWriteItems")
    }

    /// A rule leaving the chosen entries of a BatchWriteItem unprocessed
    /// (use [`Self::operation`] for BatchGetItem).
    pub fn unprocessed() -> Self {
        FaultRule {
            operation: Some("BatchWriteItem".into()),
            unprocessed: true,
            ..FaultRule::default()
        }
    }

    /// A rule that only delays the matching requests.
    pub fn latency(delay: Duration) -> Self {
        FaultRule::default().with_latency(delay)
    }

    /// Matches this operation only.
    pub fn operation(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }

    /// Matches requests on this table only.
    pub fn table(mut self, table: impl Into<String>) -> Self {
        self.table = Some(table.into());
        self
    }

    /// Matches the items with these key attributes only.
    pub fn key(mut self, key: Item) -> Self {
        self.key = Some(key);
        self
    }

    /// Matches the batch entry or transaction action at this index.
    pub fn action(mut self, index: usize) -> Self {
        self.action = Some(index);
        self
    }

    /// The error's message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Also waits this long (rounded down to milliseconds) before answering.
    pub fn with_latency(mut self, delay: Duration) -> Self {
        self.latency_ms = Some(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// Fires on the next `n` matching requests only.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Lets the first `n` matching requests through.
    pub fn after(mut self, n: u64) -> Self {
        self.after = Some(n);
        self
    }

    /// Fires with this probability, drawn from a generator seeded with `seed`.
    pub fn probability(mut self, probability: f64, seed: u64) -> Self {
        self.probability = Some(probability);
        self.seed = Some(seed);
        self
    }

    /// Checks the rule; the message says what is wrong.
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(operation) = &self.operation {
            if !OPERATIONS.contains(&operation.as_str())
                && !STREAMS_OPERATIONS.contains(&operation.as_str())
            {
                return Err(format!(
                    "unknown operation `{operation}`; expected a DynamoDB operation such as PutItem"
                ));
            }
        }
        let many = self
            .operation
            .as_deref()
            .is_some_and(|op| MANY.contains(&op));
        if self.action.is_some() && !many {
            return Err(format!(
                "`action` needs `operation` to be one of {}",
                MANY.join(", ")
            ));
        }
        if let Some(table) = &self.table {
            if table.is_empty() {
                return Err("`table` must not be empty".into());
            }
        }
        if let Some(key) = &self.key {
            if key.is_empty() {
                return Err("`key` must have at least one attribute".into());
            }
        }
        match (&self.error, self.unprocessed, self.latency_ms) {
            (None, false, None) => {
                return Err(
                    "a rule needs an effect: `error`, `unprocessed` or `latency_ms`".into(),
                );
            }
            (Some(_), true, _) => {
                return Err("`error` and `unprocessed` exclude each other".into());
            }
            _ => {}
        }
        if let Some(name) = &self.error {
            if name == TRANSACTION_CANCELED {
                if !matches!(
                    self.operation.as_deref(),
                    Some("TransactWriteItems" | "TransactGetItems")
                ) {
                    return Err(format!(
                        "`{TRANSACTION_CANCELED}` needs `operation` TransactWriteItems or TransactGetItems"
                    ));
                }
            } else if injected_error(name, None).is_none() {
                return Err(format!(
                    "unknown error `{name}`; expected one of {}, {TRANSACTION_CANCELED}",
                    ERROR_NAMES.join(", ")
                ));
            }
        } else if self.message.is_some() {
            return Err("`message` needs `error`".into());
        }
        if self.unprocessed
            && !matches!(
                self.operation.as_deref(),
                Some("BatchWriteItem" | "BatchGetItem")
            )
        {
            return Err("`unprocessed` needs `operation` BatchWriteItem or BatchGetItem".into());
        }
        if self.latency_ms.is_some_and(|ms| ms > MAX_LATENCY_MS) {
            return Err(format!("`latency_ms` must be at most {MAX_LATENCY_MS}"));
        }
        if self.times == Some(0) {
            return Err("`times` must be at least 1 (leave it out for no limit)".into());
        }
        match self.probability {
            Some(p) if !(p.is_finite() && (0.0..=1.0).contains(&p)) => {
                return Err("`probability` must be a number from 0 to 1".into());
            }
            None if self.seed.is_some() => return Err("`seed` needs `probability`".into()),
            _ => {}
        }
        Ok(())
    }

    /// The rule's added latency.
    pub(crate) fn delay(&self) -> Option<Duration> {
        self.latency_ms
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis)
    }

    /// True when the rule chooses among a request's entries.
    pub(crate) fn chooses_entries(&self) -> bool {
        self.key.is_some() || self.action.is_some()
    }
}

/// The errors a rule can inject by name (and
/// [`TRANSACTION_CANCELED`], for transactions).
pub const ERROR_NAMES: &[&str] = &[
    "ConditionalCheckFailedException",
    "IdempotentParameterMismatchException",
    "InternalServerError",
    "ItemCollectionSizeLimitExceededException",
    "LimitExceededException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "SerializationException",
    "ServiceUnavailable",
    "ThrottlingException",
    "TransactionConflictException",
    "TransactionInProgressException",
    "ValidationException",
    "AccessDeniedException",
];

/// The error of this name, with `message` or DynamoDB's usual message for
/// it; `None` for a name not in [`ERROR_NAMES`].
pub fn injected_error(name: &str, message: Option<&str>) -> Option<Error> {
    let text = |usual: &str| message.unwrap_or(usual).to_owned();
    Some(match name {
        "ConditionalCheckFailedException" => Error::ConditionalCheckFailed {
            message: text("The conditional request failed"),
            item: None,
            explanation: None,
        },
        "IdempotentParameterMismatchException" => Error::IdempotentParameterMismatch(text(
            "One or more parameter values were invalid: The request uses the same client token as a previous, but non-identical request.",
        )),
        "InternalServerError" => Error::Internal(text("Internal server error")),
        "ItemCollectionSizeLimitExceededException" => {
            Error::ItemCollectionSizeLimitExceeded(text("Item collection size limit exceeded"))
        }
        "LimitExceededException" => {
            Error::LimitExceeded(text("Too many operations for a given subscriber"))
        }
        "ProvisionedThroughputExceededException" => Error::ProvisionedThroughputExceeded(text(
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
        )),
        "RequestLimitExceeded" => Error::RequestLimitExceeded(text(
            "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase",
        )),
        "ResourceInUseException" => Error::ResourceInUse(text("Resource in use")),
        "ResourceNotFoundException" => {
            Error::ResourceNotFound(text("Requested resource not found"))
        }
        "SerializationException" => Error::Serialization(text("Serialization error")),
        "ServiceUnavailable" => {
            Error::ServiceUnavailable(text("The service is currently unavailable or busy."))
        }
        "ThrottlingException" => {
            Error::Throttling(text("Rate of requests exceeds the allowed throughput."))
        }
        "TransactionConflictException" => Error::TransactionConflict(text(TRANSACTION_ONGOING)),
        "TransactionInProgressException" => {
            Error::TransactionInProgress(text("Transaction is in progress"))
        }
        "ValidationException" => Error::Validation(text("Injected validation error")),
        "AccessDeniedException" => Error::AccessDenied(text("Access denied")),
        _ => return None,
    })
}

/// A cancelled transaction of `count` actions: `TransactionConflict` on the
/// `chosen` ones (with `message`, or DynamoDB's), `None` on the others, and
/// DynamoDB's message listing the codes.
pub(crate) fn conflict_cancellation(
    count: usize,
    chosen: &[usize],
    message: Option<&str>,
) -> Error {
    let reasons: Vec<CancellationReason> = (0..count)
        .map(|i| {
            if chosen.contains(&i) {
                CancellationReason {
                    code: "TransactionConflict".into(),
                    message: Some(message.unwrap_or(TRANSACTION_ONGOING).to_owned()),
                    item: None,
                    explanation: None,
                }
            } else {
                CancellationReason {
                    code: "None".into(),
                    message: None,
                    item: None,
                    explanation: None,
                }
            }
        })
        .collect();
    let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
    Error::TransactionCanceled {
        message: format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        ),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_is_an_error_of_that_name() {
        for name in ERROR_NAMES {
            let e = injected_error(name, None).unwrap();
            assert_eq!(e.type_name(), *name);
            assert_eq!(
                injected_error(name, Some("m")).unwrap().message(),
                "m",
                "{name}"
            );
        }
        assert!(injected_error("Nope", None).is_none());
        assert_eq!(
            injected_error("InternalServerError", None)
                .unwrap()
                .http_status(),
            500
        );
        assert_eq!(
            injected_error("ServiceUnavailable", None)
                .unwrap()
                .http_status(),
            503
        );
    }

    #[test]
    fn checks_name_what_is_wrong() {
        let bad = [
            (FaultRule::default(), "needs an effect"),
            (FaultRule::error("Nope"), "unknown error `Nope`"),
            (
                FaultRule::error("ThrottlingException").operation("Put"),
                "unknown operation",
            ),
            (
                FaultRule::error("ThrottlingException").action(1),
                "`action` needs",
            ),
            (
                FaultRule::error(TRANSACTION_CANCELED),
                "needs `operation` TransactWriteItems",
            ),
            (
                FaultRule::unprocessed().operation("PutItem"),
                "`unprocessed` needs",
            ),
            (
                FaultRule {
                    error: Some("ThrottlingException".into()),
                    unprocessed: true,
                    operation: Some("BatchGetItem".into()),
                    ..FaultRule::default()
                },
                "exclude each other",
            ),
            (FaultRule::error("ThrottlingException").times(0), "`times`"),
            (
                FaultRule::error("ThrottlingException").probability(1.5, 1),
                "`probability`",
            ),
            (
                FaultRule::latency(Duration::from_secs(3600)),
                "`latency_ms` must be at most",
            ),
            (
                FaultRule {
                    latency_ms: Some(1),
                    message: Some("x".into()),
                    ..FaultRule::default()
                },
                "`message` needs `error`",
            ),
            (
                FaultRule {
                    error: Some("ThrottlingException".into()),
                    seed: Some(3),
                    ..FaultRule::default()
                },
                "`seed` needs",
            ),
            (
                FaultRule::error("ThrottlingException").key(Item::new()),
                "`key` must have",
            ),
        ];
        for (rule, want) in bad {
            let got = rule.check().unwrap_err();
            assert!(got.contains(want), "{got} / {want}");
        }
        for good in [
            FaultRule::error("ThrottlingException"),
            FaultRule::transaction_conflict().action(1),
            FaultRule::unprocessed().table("t"),
            FaultRule::latency(Duration::from_millis(5)).probability(0.5, 9),
        ] {
            good.check().unwrap();
        }
    }

    #[test]
    fn json_round_trip_and_unknown_members() {
        let rule = FaultRule::transaction_conflict()
            .action(2)
            .times(1)
            .after(3)
            .with_latency(Duration::from_millis(20));
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(serde_json::from_str::<FaultRule>(&json).unwrap(), rule);
        let typo = serde_json::from_str::<FaultRule>(r#"{"eror": "x"}"#).unwrap_err();
        assert!(typo.to_string().contains("unknown field `eror`"), "{typo}");
    }

    #[test]
    fn a_conflict_cancellation_names_the_chosen_actions() {
        let Error::TransactionCanceled { message, reasons } = conflict_cancellation(3, &[1], None)
        else {
            panic!("not a cancellation");
        };
        assert_eq!(
            message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict, None]"
        );
        assert_eq!(reasons[1].message.as_deref(), Some(TRANSACTION_ONGOING));
        assert_eq!(reasons[0].message, None);
    }
}
