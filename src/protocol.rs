//! DynamoDB's AWS JSON 1.0 protocol, without the HTTP: an operation name
//! (from `X-Amz-Target`) and a JSON body in, a status and a JSON body out.
//!
//! Kept apart from the HTTP server (the `server` feature) so the mapping
//! from requests to the [`Store`] can be tested, fuzzed and reused without a
//! socket or an async runtime.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::constraints::{self, Constrained};
use crate::error::Error;
use crate::faults::Envelope;
pub use crate::faults::Outcome;
use crate::store::Store;
use crate::store::requests::EarlyChecks;
use crate::wire;

/// The `X-Amz-Target` prefix of DynamoDB's operations.
pub const TARGET_PREFIX: &str = "DynamoDB_20120810.";

/// The `X-Amz-Target` prefix of the DynamoDB Streams operations, served on
/// the same endpoint (spec streams-ttl-tags.md §2.1).
pub const STREAMS_TARGET_PREFIX: &str = "DynamoDBStreams_20120810.";

/// The DynamoDB Streams operations the endpoint serves.
pub const STREAMS_OPERATIONS: &[&str] = &[
    "DescribeStream",
    "GetRecords",
    "GetShardIterator",
    "ListStreams",
];

/// The operations the endpoint serves, by their DynamoDB names.
pub const OPERATIONS: &[&str] = &[
    "BatchExecuteStatement",
    "BatchGetItem",
    "BatchWriteItem",
    "CreateTable",
    "DeleteItem",
    "DeleteTable",
    "DescribeContinuousBackups",
    "DescribeContributorInsights",
    "DescribeEndpoints",
    "DescribeGlobalTable",
    "DescribeKinesisStreamingDestination",
    "DescribeLimits",
    "DescribeTable",
    "DescribeTimeToLive",
    "DescribeTableReplicaAutoScaling",
    "ExecuteStatement",
    "ExecuteTransaction",
    "GetItem",
    "GetResourcePolicy",
    "ListGlobalTables",
    "ListTables",
    "ListTagsOfResource",
    "PutItem",
    "Query",
    "Scan",
    "TagResource",
    "TransactGetItems",
    "TransactWriteItems",
    "UntagResource",
    "UpdateContinuousBackups",
    "UpdateItem",
    "UpdateTable",
    "UpdateTimeToLive",
];

/// An answer: the HTTP status and the JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// 200 for a result, 400 for a request error; the endpoint also uses 404
    /// (a GET of another path than `/`), 413 (a body over the limit) and 500
    /// (an internal failure, or a body it cannot decompress, as DynamoDB).
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A 200 reply with this JSON body.
    pub fn ok(body: Vec<u8>) -> Self {
        Reply { status: 200, body }
    }

    /// DynamoDB's error reply for an error: 400 for a request error, 500
    /// for an internal failure, 503 for `ServiceUnavailable`
    /// ([`Error::http_status`]).
    pub fn error(error: &Error) -> Self {
        Reply::error_with_status(error.http_status(), error)
    }

    /// An error body with the given status.
    pub fn error_with_status(status: u16, error: &Error) -> Self {
        let body = serde_json::to_vec(&wire::error_body(error)).unwrap_or_default();
        Reply { status, body }
    }

    /// `UnknownOperationException`, for a missing or unknown `X-Amz-Target`
    /// (or a request that is no operation at all): HTTP 400 and
    /// `{"__type": "com.amazon.coral.service#UnknownOperationException"}`,
    /// without a message, as DynamoDB sends it (spec validation.md §7.5).
    pub fn unknown_operation() -> Self {
        let body = serde_json::json!({
            "__type": format!(
                "{}UnknownOperationException",
                crate::error::CORAL_SERVICE_NAMESPACE
            ),
        });
        Reply {
            status: 400,
            body: serde_json::to_vec(&body).unwrap_or_default(),
        }
    }
}

/// Serves one request: `target` is the `X-Amz-Target` header, `body` the
/// request body. Every outcome is a [`Reply`]; nothing here panics on any
/// input.
///
/// ```
/// use dynacond::Store;
/// use dynacond::protocol::dispatch;
///
/// let store = Store::new();
/// let reply = dispatch(&store, Some("DynamoDB_20120810.ListTables"), b"{}");
/// assert_eq!((reply.status, reply.body.as_slice()), (200, &br#"{"TableNames":[]}"#[..]));
/// let reply = dispatch(&store, Some("DynamoDB_20120810.GetItem"), b"{");
/// assert_eq!(reply.status, 400);
/// ```
pub fn dispatch(store: &Store, target: Option<&str>, body: &[u8]) -> Reply {
    route(&Envelope::sleeping(store, target, body, None))
}

/// [`dispatch`] for the endpoint: a request a fault rule delays comes back
/// as [`Outcome::Later`] without having run, for the caller to wait
/// (without holding a thread) and then [resume](crate::faults::Delayed::resume);
/// DescribeEndpoints answers with `host` as [`dispatch_with_host`] does.
pub fn dispatch_paced(
    store: &Store,
    target: Option<&str>,
    body: &[u8],
    host: Option<&str>,
) -> Outcome {
    crate::faults::envelope_dispatch_paced(store, target, body, host)
}

/// Routes a request to its operation (the store's readiness first).
pub(crate) fn route(body: &Envelope<'_>) -> Reply {
    let (store, target) = (body.store(), body.target());
    if let Some(refused) = body.refusal() {
        return refused;
    }
    if let (Some("DescribeEndpoints"), Some(host)) = (
        target.and_then(|t| t.strip_prefix(TARGET_PREFIX)),
        body.host(),
    ) {
        return call(body, |i| store.describe_endpoints_at(i, Some(host)));
    }
    if let Some(operation) = target.and_then(|t| t.strip_prefix(STREAMS_TARGET_PREFIX)) {
        return match operation {
            "DescribeStream" => call(body, |i| store.describe_stream(i)),
            "GetRecords" => call(body, |i| store.get_records(i)),
            "GetShardIterator" => call(body, |i| store.get_shard_iterator(i)),
            "ListStreams" => call(body, |i| store.list_streams(i)),
            _ => Reply::unknown_operation(),
        };
    }
    let Some(operation) = target.and_then(|t| t.strip_prefix(TARGET_PREFIX)) else {
        return Reply::unknown_operation();
    };
    match operation {
        "BatchExecuteStatement" => call(body, |i| store.batch_execute_statement(i)),
        "BatchGetItem" => call(body, |i| store.batch_get_item(i)),
        "BatchWriteItem" => call(body, |i| store.batch_write_item(i)),
        "CreateTable" => call(body, |i| store.create_table(i)),
        "DeleteItem" => call(body, |i| store.delete_item(i)),
        "DeleteTable" => call(body, |i| store.delete_table(i)),
        "DescribeContinuousBackups" => call(body, |i| store.describe_continuous_backups(i)),
        "DescribeContributorInsights" => call(body, |i| store.describe_contributor_insights(i)),
        "DescribeEndpoints" => call(body, |i| store.describe_endpoints(i)),
        "DescribeGlobalTable" => call(body, |i| store.describe_global_table(i)),
        "DescribeKinesisStreamingDestination" => {
            call(body, |i| store.describe_kinesis_streaming_destination(i))
        }
        "DescribeLimits" => call(body, |i| store.describe_limits(i)),
        "DescribeTable" => call(body, |i| store.describe_table(i)),
        "DescribeTimeToLive" => call(body, |i| store.describe_time_to_live(i)),
        "DescribeTableReplicaAutoScaling" => {
            call(body, |i| store.describe_table_replica_auto_scaling(i))
        }
        "ExecuteStatement" => call(body, |i| store.execute_statement(i)),
        "ExecuteTransaction" => call(body, |i| store.execute_transaction(i)),
        "GetItem" => call(body, |i| store.get_item(i)),
        "GetResourcePolicy" => call(body, |i| store.get_resource_policy(i)),
        "ListGlobalTables" => call(body, |i| store.list_global_tables(i)),
        "ListTables" => call(body, |i| store.list_tables(i)),
        "ListTagsOfResource" => call(body, |i| store.list_tags_of_resource(i)),
        "PutItem" => call(body, |i| store.put_item(i)),
        "Query" => call(body, |i| store.query(i)),
        "Scan" => call(body, |i| store.scan(i)),
        "TagResource" => call(body, |i| store.tag_resource(i)),
        "TransactGetItems" => call(body, |i| store.transact_get_items(i)),
        "TransactWriteItems" => call(body, |i| store.transact_write_items(i)),
        "UntagResource" => call(body, |i| store.untag_resource(i)),
        "UpdateContinuousBackups" => call(body, |i| store.update_continuous_backups(i)),
        "UpdateItem" => call(body, |i| store.update_item(i)),
        "UpdateTable" => call(body, |i| store.update_table(i)),
        "UpdateTimeToLive" => call(body, |i| store.update_time_to_live(i)),
        _ => Reply::unknown_operation(),
    }
}

/// [`dispatch`] for a request that arrived with this `Host` header (a plain
/// `host[:port]`): DescribeEndpoints answers with that address; every other
/// operation is [`dispatch`]'s.
pub fn dispatch_with_host(
    store: &Store,
    target: Option<&str>,
    body: &[u8],
    host: Option<&str>,
) -> Reply {
    route(&Envelope::sleeping(store, target, body, host))
}

/// Decodes the request with DynamoDB's Serialization/Validation layering,
/// runs the operation and encodes its output or error. A content error in
/// the request's values (an empty set, a bad number) is reported after the
/// checks DynamoDB runs first: the constraint layer, then the operation's
/// early checks (mixing and the like). A request that passes them is then
/// offered to the fault rules ([`Envelope::intercept`]).
fn call<I, O>(body: &Envelope<'_>, run: impl FnOnce(I) -> Result<O, Error>) -> Reply
where
    I: DeserializeOwned + Constrained + EarlyChecks + 'static,
    O: Serialize,
{
    let decoded = decode::<I>(body.body()).and_then(|(input, content_error)| {
        // A fault happens to requests that pass these checks.
        if content_error.is_some() || body.consults_rules() {
            constraints::check(&input)?;
            input.early_checks()?;
        }
        content_error.map_or(Ok(input), Err)
    });
    let input = match decoded.map(|input| body.intercept(input)) {
        Ok(Ok(input)) => input,
        Ok(Err(reply)) => return reply,
        Err(e) => return Reply::error(&e),
    };
    match run(input) {
        Ok(output) => match serde_json::to_vec(&output) {
            Ok(bytes) => Reply::ok(bytes),
            Err(e) => Reply::error(&Error::Internal(format!("encoding the response: {e}"))),
        },
        Err(e) => Reply::error(&e),
    }
}

/// The top level must be an object. Well-formed JSON of another kind
/// (`null`, `[]`, `"x"`) is a shape error with a message; a body that is not
/// JSON at all (empty, `nonsense`) is [`Error::MalformedJson`], which DynamoDB
/// sends without a message. A content error in a well-shaped request comes
/// back beside the value (see [`call`]).
fn decode<I: DeserializeOwned>(body: &[u8]) -> Result<(I, Option<Error>), Error> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            Ok(_) => Err(Error::serialization(
                "Start of structure or map found where not expected",
            )),
            Err(_) => Err(Error::MalformedJson),
        };
    }
    wire::from_slice_deferred(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(reply: &Reply) -> serde_json::Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    #[test]
    fn unknown_and_missing_targets() {
        let store = Store::new();
        for target in [
            None,
            Some("DynamoDB_20120810.Nope"),
            Some("ListTables"),
            Some("DynamoDB_20111205.ListTables"),
        ] {
            let reply = dispatch(&store, target, b"{}");
            assert_eq!(reply.status, 400);
            assert_eq!(
                json(&reply),
                serde_json::json!({"__type": "com.amazon.coral.service#UnknownOperationException"})
            );
        }
    }

    #[test]
    fn bodies_that_are_not_objects_are_serialization_errors() {
        let store = Store::new();
        // Well-formed JSON of the wrong shape: a message.
        for body in [&b"null"[..], b"[]", b"\"x\"", b"{\"TableName\": 5}"] {
            let reply = dispatch(&store, Some("DynamoDB_20120810.DescribeTable"), body);
            assert_eq!(reply.status, 400, "{body:?}");
            let json = json(&reply);
            assert_eq!(
                json["__type"], "com.amazon.coral.service#SerializationException",
                "{body:?}"
            );
            assert!(json["message"].is_string(), "{body:?}");
        }
        // Not JSON at all: no message.
        for body in [&b""[..], b"   ", b"{", b"nonsense", b"[1,", b"{broken json"] {
            let reply = dispatch(&store, Some("DynamoDB_20120810.DescribeTable"), body);
            assert_eq!(reply.status, 400, "{body:?}");
            assert_eq!(
                json(&reply),
                serde_json::json!({"__type": "com.amazon.coral.service#SerializationException"}),
                "{body:?}"
            );
        }
    }

    #[test]
    fn every_listed_operation_is_dispatched() {
        let store = Store::new();
        let targets = OPERATIONS.iter().map(|op| format!("{TARGET_PREFIX}{op}"));
        let streams = STREAMS_OPERATIONS
            .iter()
            .map(|op| format!("{STREAMS_TARGET_PREFIX}{op}"));
        for op in targets.chain(streams) {
            let reply = dispatch(&store, Some(&op), b"{}");
            let body = json(&reply);
            assert_ne!(
                body["__type"], "com.amazon.coral.service#UnknownOperationException",
                "{op}"
            );
        }
    }
}
