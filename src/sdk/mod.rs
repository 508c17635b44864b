//! The official AWS SDK for Rust in process (the `sdk` feature): an
//! [`aws_sdk_dynamodb::Client`] whose requests go straight to a [`Store`],
//! with no socket, no port and no server to start.
//!
//! ```
//! use aws_sdk_dynamodb::types::{
//!     AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
//!     ScalarAttributeType,
//! };
//! use dynacond::Store;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//! let store = Store::new();
//! let client = dynacond::sdk::client(&store);
//! client
//!     .create_table()
//!     .table_name("users")
//!     .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build()?)
//!     .attribute_definitions(
//!         AttributeDefinition::builder()
//!             .attribute_name("pk")
//!             .attribute_type(ScalarAttributeType::S)
//!             .build()?,
//!     )
//!     .billing_mode(BillingMode::PayPerRequest)
//!     .send()
//!     .await?;
//! client
//!     .put_item()
//!     .table_name("users")
//!     .item("pk", AttributeValue::S("user#1".into()))
//!     .item("visits", AttributeValue::N("1".into()))
//!     .send()
//!     .await?;
//! // A conditional write that fails: the SDK's modelled error.
//! let refused = client
//!     .put_item()
//!     .table_name("users")
//!     .item("pk", AttributeValue::S("user#1".into()))
//!     .condition_expression("attribute_not_exists(pk)")
//!     .send()
//!     .await
//!     .unwrap_err();
//! assert!(refused.into_service_error().is_conditional_check_failed_exception());
//! // The client and the store's own methods see the same data.
//! let items = store.table("users")?.items();
//! assert_eq!(dynacond::sdk::item_to_sdk(&items[0])["visits"], AttributeValue::N("1".into()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How
//!
//! The SDK sends every request through a pluggable HTTP client
//! ([`HttpClient`]); [`http_client`] is one that hands the request to the
//! request path of the endpoint (`dynacond serve`): the same checks of
//! `Content-Type`, `Content-Encoding` and the body limit, then
//! [`crate::protocol::dispatch`], then the same response headers
//! (`Content-Type: application/x-amz-json-1.0`, `x-amzn-RequestId`,
//! `x-amz-crc32`), plus `Content-Length` and `Date`, which hyper adds on the
//! wire. So the SDK parses exactly the status, headers and bytes the endpoint
//! would send, and every modelled error (`ConditionalCheckFailedException`
//! with its `Item`, `TransactionCanceledException` with its reasons, ...),
//! paginator and waiter works as over HTTP. The store runs each request
//! synchronously when the SDK polls the connector's future: no task is
//! spawned and no timer is armed, and the store's locks are never held
//! across an `await`.
//!
//! # Configuration
//!
//! [`config`] (or [`config_builder`], to change settings first) is what
//! [`client`] uses:
//!
//! | setting | value |
//! | --- | --- |
//! | credentials | fixed test credentials ([`ACCESS_KEY_ID`], [`SECRET_ACCESS_KEY`]); requests are signed as usual and the signature is not checked |
//! | region | the store's ([`Store::region`]) |
//! | endpoint URL | [`ENDPOINT_URL`], `http://dynacond.local`: a name no request is sent to |
//! | behavior version | [`BehaviorVersion::latest`] |
//! | retries | [`retry_config`]: the SDK's standard mode and 3 attempts, with backoff shortened to 10 ms doubling to at most 100 ms, in a [`RetryPartition`] of the client's own |
//!
//! The retries are on, as in production, so a throttling or 5xx answer is
//! retried the way the SDK retries it against DynamoDB; but the SDK's
//! default backoff (1 s, up to 20 s) would make a test that provokes a retry
//! sleep for seconds, so it is cut to milliseconds. The SDK's token bucket,
//! which stops retries after many failures, is by default shared by every
//! client in the process with the same partition name; each client here has
//! its own, so one test's provoked failures cannot switch off another
//! test's retries. The HTTP client ignores connect and read timeouts (there
//! is no connection); operation timeouts set on the config still apply.
//!
//! To use the store from a configuration of your own (say one loaded by
//! `aws-config`), set only its HTTP client:
//! `builder.http_client(dynacond::sdk::http_client(&store))`.
//!
//! # Values
//!
//! `From` and `TryFrom` convert between dynacond's
//! [`AttributeValue`](crate::AttributeValue) and the SDK's
//! ([`aws_sdk_dynamodb::types::AttributeValue`]), and [`item_to_sdk`] /
//! [`item_from_sdk`] whole items.
//!
//! dynacond → SDK never fails: numbers are written in DynamoDB's canonical
//! text, sets in dynacond's order (string and binary sets by their bytes,
//! number sets numerically).
//!
//! SDK → dynacond applies DynamoDB's checks where dynacond's types need
//! them, failing with the same `ValidationException` (a [`crate::Error`]) as
//! the endpoint gives for the same value in DynamoDB JSON: numbers must
//! parse ([`crate::NumberError`]); sets must be non-empty and free of
//! duplicates (number sets compare numerically, so `["1", "1.0"]` is a
//! duplicate); `NULL` must be `true`; lists and maps nest at most 32 levels
//! ([`crate::value::MAX_NESTING_DEPTH`]). `AttributeValue::Unknown` (a type
//! this SDK version does not know) is refused like a value with no type,
//! never with a panic. Map keys are taken in sorted order, so the converted
//! item's order (and which error is reported when several apply) does not
//! depend on the `HashMap`'s.

mod convert;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_dynamodb::config::retry::{RetryConfig, RetryPartition};
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region, SharedHttpClient};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::date_time::{DateTime, Format};
use http_body_util::BodyExt as _;
use hyper::header::{CONTENT_LENGTH, DATE, HeaderValue};

pub use convert::{SdkItem, item_from_sdk, item_to_sdk};

use crate::server::Options;
use crate::store::Store;

/// The endpoint URL of the in-process client. No request is sent to it: the
/// name only appears in the SDK's requests (their `Host` header) and logs.
pub const ENDPOINT_URL: &str = "http://dynacond.local";

/// The access key id of the client's fixed test credentials.
pub const ACCESS_KEY_ID: &str = "dynacond";

/// The secret access key of the client's fixed test credentials.
pub const SECRET_ACCESS_KEY: &str = "dynacond";

/// The name the credentials and the retry partition carry.
const PROVIDER_NAME: &str = "dynacond";

/// A client of the official AWS SDK for Rust whose requests go to `store`,
/// in process ([`config`] tells its settings). Clients are cheap: make one
/// per test, or clone one; every client of a store sees the same data as the
/// store's own methods.
pub fn client(store: &Store) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::from_conf(config(store))
}

/// The configuration [`client`] uses (see the [module docs](self)).
/// `config(&store).to_builder()` changes it.
pub fn config(store: &Store) -> aws_sdk_dynamodb::Config {
    config_builder(store).build()
}

/// A builder of [`config`]'s configuration, to change settings before
/// building a client:
///
/// ```
/// use aws_sdk_dynamodb::config::retry::RetryConfig;
///
/// let store = dynacond::Store::new();
/// let config = dynacond::sdk::config_builder(&store)
///     .retry_config(RetryConfig::disabled())
///     .build();
/// let client = aws_sdk_dynamodb::Client::from_conf(config);
/// # let _ = client;
/// ```
pub fn config_builder(store: &Store) -> aws_sdk_dynamodb::config::Builder {
    aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(store.region().to_owned()))
        .credentials_provider(Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            PROVIDER_NAME,
        ))
        .endpoint_url(ENDPOINT_URL)
        .http_client(http_client(store))
        .retry_config(retry_config())
        .retry_partition(RetryPartition::custom(PROVIDER_NAME).build())
}

/// The retry settings of [`config`]: the SDK's standard mode with its 3
/// attempts, and a backoff of 10 ms doubling to at most 100 ms (times the
/// SDK's random jitter) instead of 1 s doubling to 20 s, so a test that
/// provokes retries waits milliseconds.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(100))
}

/// The SDK HTTP client that answers requests from `store` in process (see the
/// [module docs](self)); for a configuration of your own.
pub fn http_client(store: &Store) -> SharedHttpClient {
    SharedHttpClient::new(InProcess {
        store: Arc::new(store.clone()),
        options: Arc::new(Options::default()),
    })
}

/// The in-process HTTP client and connector: a store and the endpoint's
/// limits ([`Options::default`], as `dynacond serve` has them).
#[derive(Debug, Clone)]
struct InProcess {
    store: Arc<Store>,
    options: Arc<Options>,
}

impl HttpClient for InProcess {
    /// One connector for every setting: there is no connection to time out.
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for InProcess {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (store, options) = (Arc::clone(&self.store), Arc::clone(&self.options));
        HttpConnectorFuture::new(async move {
            exchange(store, options, request)
                .await
                .map_err(|e| ConnectorError::other(e, None))
        })
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One request through the endpoint's request path. Fails only for a
/// request the `http` types cannot hold or a streaming body that fails,
/// neither of which the DynamoDB client sends.
async fn exchange(
    store: Arc<Store>,
    options: Arc<Options>,
    request: HttpRequest,
) -> Result<HttpResponse, BoxError> {
    let (parts, body) = request.try_into_http1x()?.into_parts();
    let body = ByteStream::new(body).collect().await?.into_bytes();
    let request = hyper::Request::from_parts(parts, body);
    let Ok(response) = crate::server::respond(store, options, request).await;
    let (mut parts, body) = response.into_parts();
    let Ok(body) = body.collect().await.map(|collected| collected.to_bytes());
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    if let Ok(date) = DateTime::from(SystemTime::now()).fmt(Format::HttpDate) {
        if let Ok(date) = HeaderValue::from_str(&date) {
            parts.headers.insert(DATE, date);
        }
    }
    let response = hyper::Response::from_parts(parts, SdkBody::from(body));
    Ok(HttpResponse::try_from(response)?)
}
