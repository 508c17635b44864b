//! The HTTP/1.1 side of the endpoint: hyper on tokio, one task per
//! connection, keep-alive, a request-body limit, compressed request bodies,
//! timeouts, DynamoDB's response headers, CORS, the health check, and
//! graceful shutdown.
//!
//! A request is routed by method: `POST` is an operation call, `GET` the
//! health check, `OPTIONS` a CORS pre-flight; each produces an [`Answer`],
//! which becomes the response with the headers every reply carries.

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{
    ACCEPT, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, CACHE_CONTROL, CONTENT_ENCODING,
    CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, HOST, HeaderMap, HeaderName,
    HeaderValue, IF_NONE_MATCH, ORIGIN, REFERRER_POLICY, SERVER, X_CONTENT_TYPE_OPTIONS,
};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;

use super::console;
use super::encoding::{BodyError, ContentEncoding, decode_body};
use super::request_log::ServedCall;
use super::{Handler, Options};
use crate::error::Error;
use crate::protocol::{Outcome, Reply};

/// The media type of AWS JSON 1.0, DynamoDB's protocol.
pub const CONTENT_TYPE_JSON_1_0: &str = "application/x-amz-json-1.0";

/// Plain JSON, which the endpoint also accepts (and answers with).
const CONTENT_TYPE_JSON: &str = "application/json";

/// The `Server` header of every response.
const SERVER_NAME: &str = "dynacond";

/// How long in-flight requests get to finish after shutdown is asked for.
const DRAIN: Duration = Duration::from_secs(5);

/// Accepts connections on `listener` until `shutdown` completes, then stops
/// accepting and gives open connections [`DRAIN`] to finish.
pub(super) async fn serve<H: Handler>(
    listener: tokio::net::TcpListener,
    handler: Arc<H>,
    options: Arc<Options>,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Small request/response pairs: do not wait for Nagle.
                    let _ = stream.set_nodelay(true);
                    let read_timeout = options.read_timeout;
                    let (handler, options) = (Arc::clone(&handler), Arc::clone(&options));
                    let service = service_fn(move |request| {
                        respond(Arc::clone(&handler), Arc::clone(&options), request)
                    });
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(read_timeout)
                        .serve_connection(TokioIo::new(stream), service);
                    let connection = graceful.watch(connection);
                    tokio::spawn(async move {
                        // A client that goes away mid-request is its own problem.
                        let _ = connection.await;
                    });
                }
                // Out of file descriptors or a reset before accept: back off
                // briefly instead of spinning, and keep serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {}
    }
}

/// Answers one request: routes it by method, then adds the headers every
/// reply carries. The body is a connection's ([`Incoming`]) or, for the
/// in-process SDK client of the `sdk` feature, bytes already in memory.
pub(crate) async fn respond<H: Handler, B: RequestBody>(
    handler: Arc<H>,
    options: Arc<Options>,
    request: Request<B>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let cors = Cors::of(&request);
    if crate::control::is_control_path(request.uri().path()) {
        let answer = control(handler.as_ref(), &options, request).await;
        return Ok(answer.into_response(cors.as_ref()));
    }
    let answer = match *request.method() {
        Method::POST => post(handler.as_ref(), &options, request).await,
        Method::GET => get(&request),
        // A CORS pre-flight, or a client asking what the endpoint allows:
        // 200 with an empty body (the CORS headers are added below).
        Method::OPTIONS => Answer::empty(),
        _ => Answer::json(Reply::unknown_operation(), CONTENT_TYPE_JSON_1_0),
    };
    Ok(answer.into_response(cors.as_ref()))
}

/// An operation call: checks the headers, reads and decompresses the body,
/// and runs the handler.
async fn post<H: Handler, B: RequestBody>(
    handler: &H,
    options: &Options,
    request: Request<B>,
) -> Answer {
    let started = Instant::now();
    let content_type = response_type(&request);
    let target = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // The request body as run, kept for the request log.
    let mut ran = Bytes::new();
    let reply = match check_post(&request, options) {
        Err(reply) => reply,
        Ok(encoding) => {
            let host = plain_host(&request).map(str::to_owned);
            match request.into_body().read(options).await {
                Err(reply) => reply,
                Ok(raw) => match decode_body(encoding, &raw, options.max_body_bytes) {
                    Err(BodyError::TooLarge { .. }) => too_large(options),
                    // Bad compression is an HTTP 500 from DynamoDB too.
                    Err(e) => Reply::error(&Error::Internal(e.to_string())),
                    Ok(body) => {
                        let reply = run(handler, target.as_deref(), &body, host.as_deref()).await;
                        ran = match body {
                            Cow::Borrowed(_) => raw,
                            Cow::Owned(inflated) => Bytes::from(inflated),
                        };
                        reply
                    }
                },
            }
        }
    };
    handler.record(&ServedCall {
        target: target.as_deref(),
        body: &ran,
        reply: &reply,
        latency: started.elapsed(),
    });
    Answer::json(reply, content_type)
}

/// A control call (a path under `/dynacond/`): any method, a JSON body of
/// at most [`crate::control::max_body`] bytes, not compressed.
async fn control<H: Handler, B: RequestBody>(
    handler: &H,
    options: &Options,
    request: Request<B>,
) -> Answer {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let limits = Options {
        max_body_bytes: options.max_body_bytes.min(crate::control::max_body(&path)),
        read_timeout: options.read_timeout,
    };
    let reply = match request.into_body().read(&limits).await {
        Err(reply) => reply,
        Ok(body) => {
            let handled = std::panic::catch_unwind(AssertUnwindSafe(|| {
                handler.control(&method, &path, &body)
            }));
            match handled {
                Ok(Some(reply)) => reply,
                Ok(None) => {
                    let mut reply = Reply::unknown_operation();
                    reply.status = 404;
                    reply
                }
                Err(_) => Reply::error(&Error::Internal(
                    "The server encountered an internal error trying to fulfill the request".into(),
                )),
            }
        }
    };
    Answer::json(reply, CONTENT_TYPE_JSON)
}

/// Runs the handler; a panic (a bug) becomes DynamoDB's InternalServerError.
/// A wait the handler hands back (a fault rule's latency) is slept on a
/// tokio timer, so no worker thread is held, before the request resumes.
async fn run<H: Handler>(
    handler: &H,
    target: Option<&str>,
    body: &[u8],
    host: Option<&str>,
) -> Reply {
    let internal = |_| {
        Reply::error(&Error::Internal(
            "The server encountered an internal error trying to fulfill the request".into(),
        ))
    };
    let handled = std::panic::catch_unwind(AssertUnwindSafe(|| {
        handler.handle_paced(target, body, host)
    }));
    match handled {
        Ok(Outcome::Now(reply)) => reply,
        Ok(Outcome::Later(delayed)) => {
            tokio::time::sleep(delayed.delay()).await;
            std::panic::catch_unwind(AssertUnwindSafe(|| delayed.resume())).unwrap_or_else(internal)
        }
        Err(panic) => internal(panic),
    }
}

/// The media type of a request's `Content-Type`, without parameters.
fn media_type<B>(request: &Request<B>) -> Option<&str> {
    request.headers().get(CONTENT_TYPE).map(|v| {
        v.to_str()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
    })
}

/// The `Content-Type` of the JSON answer: AWS JSON 1.0, except that a
/// request sent as plain `application/json` is answered with that type (as
/// dynalite does; spec validation.md §8). SDKs send AWS JSON 1.0.
fn response_type<B>(request: &Request<B>) -> &'static str {
    match media_type(request) {
        Some(t) if t.eq_ignore_ascii_case(CONTENT_TYPE_JSON) => CONTENT_TYPE_JSON,
        _ => CONTENT_TYPE_JSON_1_0,
    }
}

/// Checks media type, content coding and declared length before the body
/// is read; answers the coding to decode the body with.
fn check_post<B>(request: &Request<B>, options: &Options) -> Result<ContentEncoding, Reply> {
    match media_type(request) {
        Some(t)
            if t.eq_ignore_ascii_case(CONTENT_TYPE_JSON_1_0)
                || t.eq_ignore_ascii_case(CONTENT_TYPE_JSON) => {}
        Some(other) => {
            return Err(Reply::error(&Error::serialization(format!(
                "Unsupported Content-Type: {other}; expected {CONTENT_TYPE_JSON_1_0}"
            ))));
        }
        None => {
            return Err(Reply::error(&Error::serialization(format!(
                "Missing Content-Type header; expected {CONTENT_TYPE_JSON_1_0}"
            ))));
        }
    }
    // Several header lines form one list (RFC 9110 §5.3); a value that is
    // not text names no coding dynacond knows.
    let codings: Vec<&str> = request
        .headers()
        .get_all(CONTENT_ENCODING)
        .iter()
        .map(|v| v.to_str().unwrap_or("\u{FFFD}"))
        .collect();
    let encoding = codings
        .join(",")
        .parse::<ContentEncoding>()
        .map_err(|e| Reply::error(&Error::Internal(e.to_string())))?;
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > options.max_body_bytes as u64) {
        return Err(too_large(options));
    }
    Ok(encoding)
}

fn too_large(options: &Options) -> Reply {
    Reply::error_with_status(
        413,
        &Error::validation(format!(
            "Request size exceeds the limit of {} bytes",
            options.max_body_bytes
        )),
    )
}

/// A request body as [`respond`] reads it: whole, at most `max_body_bytes`.
pub(crate) trait RequestBody: Send {
    /// The whole body, or the reply that refuses it.
    fn read(self, options: &Options) -> impl Future<Output = Result<Bytes, Reply>> + Send;
}

/// A body from the connection, read within `read_timeout`.
impl RequestBody for Incoming {
    fn read(self, options: &Options) -> impl Future<Output = Result<Bytes, Reply>> + Send {
        read_body(self, options)
    }
}

/// A body already in memory (the in-process SDK client's): only the limit
/// applies; no timer is involved, so no runtime is needed to read it.
impl RequestBody for Bytes {
    async fn read(self, options: &Options) -> Result<Bytes, Reply> {
        if self.len() > options.max_body_bytes {
            Err(too_large(options))
        } else {
            Ok(self)
        }
    }
}

/// Reads the whole body, at most `max_body_bytes`, within `read_timeout`.
async fn read_body(body: Incoming, options: &Options) -> Result<Bytes, Reply> {
    let limited = Limited::new(body, options.max_body_bytes);
    match tokio::time::timeout(options.read_timeout, limited.collect()).await {
        Err(_) => Err(Reply::error_with_status(
            408,
            &Error::serialization("Timed out reading the request body"),
        )),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large(options)),
        Ok(Err(e)) => Err(Reply::error(&Error::serialization(format!(
            "Could not read the request body: {e}"
        )))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// A GET: the health check or the console at `/`, the console's assets
/// under `/console/`, 404 elsewhere.
fn get<B>(request: &Request<B>) -> Answer {
    let path = request.uri().path();
    if path == "/" {
        get_root(request)
    } else if let Some(asset) = path
        .starts_with(console::ASSET_PREFIX)
        .then(|| console::asset(path))
        .flatten()
    {
        Answer::console(request, asset)
    } else {
        let mut reply = Reply::unknown_operation();
        reply.status = 404;
        Answer::json(reply, CONTENT_TYPE_JSON_1_0)
    }
}

/// `GET /`: the console's page for a browser (an `Accept` header that asks
/// for HTML, [`console::wants_html`]); DynamoDB's health line ([`health`])
/// for every other client (probes and load balancers send `*/*` or no
/// `Accept`).
fn get_root<B>(request: &Request<B>) -> Answer {
    let accept = request.headers().get(ACCEPT).and_then(|v| v.to_str().ok());
    if console::wants_html(accept) {
        Answer::console(request, console::PAGE)
    } else {
        health(request)
    }
}

/// DynamoDB's health check: `healthy: <host>` as text, where DynamoDB names
/// its endpoint (`healthy: dynamodb.us-east-1.amazonaws.com`). dynacond uses
/// the host the client called, from the `Host` header (`localhost:8000`), when
/// it is a plain host name or address with an optional port; otherwise
/// `dynacond`.
fn health<B>(request: &Request<B>) -> Answer {
    let host = plain_host(request).unwrap_or("dynacond");
    Answer {
        status: 200,
        content_type: Some("text/plain"),
        body: Bytes::from(format!("healthy: {host}")),
        extra: Vec::new(),
    }
}

/// The request's `Host` header, when it is a plain host ([`is_plain_host`]).
fn plain_host<B>(request: &Request<B>) -> Option<&str> {
    request
        .headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| is_plain_host(h))
}

/// A host name, IPv4 or bracketed IPv6 address, with an optional port: at
/// most 255 characters of `[A-Za-z0-9.:[]-]`, so nothing else of a client's
/// header is echoed.
fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'-' | b'[' | b']'))
}

/// The CORS side of a request that has an `Origin` header.
#[derive(Debug)]
struct Cors {
    /// For an `OPTIONS` request (a pre-flight): the requested method and
    /// headers, echoed verbatim as allowed.
    preflight: Option<Preflight>,
}

#[derive(Debug)]
struct Preflight {
    method: Option<HeaderValue>,
    headers: Option<HeaderValue>,
}

/// Headers a browser script may read from a response: the list DynamoDB
/// returns (spec validation.md §8).
const EXPOSE_HEADERS: &str = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";

/// How long a browser may cache a pre-flight answer: two days, as dynalite.
const MAX_AGE: &str = "172800";

impl Cors {
    /// `None` without an `Origin` header: then no CORS header is sent.
    fn of<B>(request: &Request<B>) -> Option<Cors> {
        let headers = request.headers();
        if !headers.contains_key(ORIGIN) {
            return None;
        }
        let preflight = (request.method() == Method::OPTIONS).then(|| Preflight {
            method: headers.get(ACCESS_CONTROL_REQUEST_METHOD).cloned(),
            headers: headers.get(ACCESS_CONTROL_REQUEST_HEADERS).cloned(),
        });
        Some(Cors { preflight })
    }

    /// Any origin may call (the endpoint checks no credentials, so there is
    /// nothing to protect by origin); a pre-flight allows whatever it asks.
    fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE_HEADERS),
        );
        if let Some(preflight) = &self.preflight {
            headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(MAX_AGE));
            if let Some(method) = &preflight.method {
                headers.insert(ACCESS_CONTROL_ALLOW_METHODS, method.clone());
            }
            if let Some(requested) = &preflight.headers {
                headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
            }
        }
    }
}

/// An answer before it becomes an HTTP response.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: Option<&'static str>,
    body: Bytes,
    /// Further headers (the console's caching and security ones).
    extra: Vec<(HeaderName, HeaderValue)>,
}

impl Answer {
    /// A protocol reply, as JSON of the given media type.
    fn json(reply: Reply, content_type: &'static str) -> Self {
        Answer {
            status: reply.status,
            content_type: Some(content_type),
            body: Bytes::from(reply.body),
            extra: Vec::new(),
        }
    }

    /// 200 with no body (and so no `Content-Type`).
    fn empty() -> Self {
        Answer {
            status: 200,
            content_type: None,
            body: Bytes::new(),
            extra: Vec::new(),
        }
    }

    /// A console asset ([`console`]), or 304 when the request's
    /// `If-None-Match` names its tag; with the console's headers.
    fn console<B>(request: &Request<B>, asset: console::Asset) -> Self {
        let etag = console::etag(&asset);
        let if_none_match = request
            .headers()
            .get(IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok());
        let mut extra = vec![
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(console::CONTENT_SECURITY_POLICY),
            ),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        ];
        if let Ok(tag) = HeaderValue::from_str(&etag) {
            extra.push((ETAG, tag));
        }
        if console::not_modified(if_none_match, &etag) {
            return Answer {
                status: 304,
                content_type: None,
                body: Bytes::new(),
                extra,
            };
        }
        Answer {
            status: 200,
            content_type: Some(asset.content_type),
            body: Bytes::from_static(asset.body),
            extra,
        }
    }

    /// The response, with the headers every reply carries: `x-amzn-RequestId`,
    /// `x-amz-crc32` (of the body), `Server`, the CORS headers when asked
    /// for, and `Date` (hyper adds it to every response).
    fn into_response(self, cors: Option<&Cors>) -> Response<Full<Bytes>> {
        let crc = crc32fast::hash(&self.body);
        let mut response = Response::new(Full::new(self.body));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if let Some(content_type) = self.content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        if let Ok(id) = HeaderValue::from_str(&request_id()) {
            headers.insert("x-amzn-requestid", id);
        }
        headers.insert("x-amz-crc32", HeaderValue::from(crc));
        headers.insert(SERVER, HeaderValue::from_static(SERVER_NAME));
        for (name, value) in self.extra {
            headers.insert(name, value);
        }
        if let Some(cors) = cors {
            cors.apply(headers);
        }
        response
    }
}

/// A request id shaped like DynamoDB's: 52 characters of `[0-9A-F]`, unique
/// within the process (a counter through a bijective mixer, seeded by the
/// start time so ids also differ between runs).
fn request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let seed = *SEED.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let a = mix(n ^ seed);
    let b = mix(a ^ 0x9E37_79B9_7F4A_7C15);
    let c = mix(b.wrapping_add(n));
    let mut id = format!("{a:016X}{b:016X}{c:016X}");
    id.push_str(&format!("{:04X}", n & 0xFFFF));
    id
}

/// splitmix64's finaliser: a bijection on u64.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_52_hex_characters_and_differ() {
        let (a, b) = (request_id(), request_id());
        assert_eq!(a.len(), 52);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }

    #[test]
    fn responses_carry_the_crc_of_their_body() {
        let response =
            Answer::json(Reply::ok(b"{}".to_vec()), CONTENT_TYPE_JSON_1_0).into_response(None);
        let crc = response.headers()["x-amz-crc32"].to_str().unwrap();
        assert_eq!(crc, crc32fast::hash(b"{}").to_string());
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "application/x-amz-json-1.0"
        );
        assert_eq!(response.headers()[SERVER], "dynacond");
        assert!(!response.headers().contains_key(ACCESS_CONTROL_ALLOW_ORIGIN));
    }

    fn request(method: Method, headers: &[(&str, &str)]) -> Request<()> {
        let mut builder = Request::builder().method(method).uri("/");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn cors_headers_only_with_an_origin_and_preflight_ones_only_for_options() {
        let asks = [
            ("origin", "http://example.org"),
            ("access-control-request-method", "dog"),
            ("access-control-request-headers", "cat, meerkat"),
        ];
        let preflight =
            Answer::empty().into_response(Cors::of(&request(Method::OPTIONS, &asks)).as_ref());
        let h = preflight.headers();
        assert_eq!(h[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(h[ACCESS_CONTROL_EXPOSE_HEADERS], EXPOSE_HEADERS);
        assert_eq!(h[ACCESS_CONTROL_MAX_AGE], "172800");
        assert_eq!(h[ACCESS_CONTROL_ALLOW_METHODS], "dog");
        assert_eq!(h[ACCESS_CONTROL_ALLOW_HEADERS], "cat, meerkat");
        let post = Answer::empty().into_response(Cors::of(&request(Method::POST, &asks)).as_ref());
        let h = post.headers();
        assert_eq!(h[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        for absent in [
            ACCESS_CONTROL_MAX_AGE,
            ACCESS_CONTROL_ALLOW_METHODS,
            ACCESS_CONTROL_ALLOW_HEADERS,
        ] {
            assert!(!h.contains_key(&absent), "{absent}");
        }
        assert!(Cors::of(&request(Method::OPTIONS, &asks[1..])).is_none());
    }

    #[test]
    fn the_health_line_names_the_host_called_when_it_is_plain() {
        for (host, want) in [
            (Some("localhost:8000"), "healthy: localhost:8000"),
            (Some("[::1]:8000"), "healthy: [::1]:8000"),
            (
                Some("dynamodb.us-east-1.amazonaws.com"),
                "healthy: dynamodb.us-east-1.amazonaws.com",
            ),
            (Some("<script>"), "healthy: dynacond"),
            (Some("a b"), "healthy: dynacond"),
            (None, "healthy: dynacond"),
        ] {
            let headers: Vec<(&str, &str)> = host.map(|h| ("host", h)).into_iter().collect();
            let answer = get(&request(Method::GET, &headers));
            assert_eq!((answer.status, &answer.body[..]), (200, want.as_bytes()));
            assert_eq!(answer.content_type, Some("text/plain"));
        }
    }

    #[test]
    fn plain_json_requests_are_answered_as_plain_json() {
        for (sent, answered) in [
            ("application/json", "application/json"),
            ("Application/JSON; charset=utf-8", "application/json"),
            ("application/x-amz-json-1.0", "application/x-amz-json-1.0"),
            ("text/plain", "application/x-amz-json-1.0"),
        ] {
            let r = request(Method::POST, &[("content-type", sent)]);
            assert_eq!(response_type(&r), answered, "{sent}");
        }
        assert_eq!(
            response_type(&request(Method::POST, &[])),
            CONTENT_TYPE_JSON_1_0
        );
    }
}
