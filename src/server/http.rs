//! The HTTP/1.1 side of the endpoint: hyper on tokio, one task per
//! connection, keep-alive, a request-body limit, compressed request bodies,
//! timeouts, DynamoDB's response headers, and graceful shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;

use super::encoding::{BodyError, ContentEncoding, decode_body};
use super::{Handler, Options};
use crate::error::Error;
use crate::protocol::Reply;

/// The media type of AWS JSON 1.0, DynamoDB's protocol.
pub const CONTENT_TYPE_JSON_1_0: &str = "application/x-amz-json-1.0";

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

async fn respond<H: Handler>(
    handler: Arc<H>,
    options: Arc<Options>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let reply = match check_request(&request, &options) {
        Err(reply) => reply,
        Ok(Some(health)) => return Ok(health),
        Ok(None) => {
            let target = request
                .headers()
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            match content_encoding(&request) {
                Err(reply) => reply,
                Ok(encoding) => match read_body(request.into_body(), &options).await {
                    Err(reply) => reply,
                    Ok(raw) => match decode_body(encoding, &raw, options.max_body_bytes) {
                        Err(BodyError::TooLarge { .. }) => too_large(&options),
                        // Bad compression is an HTTP 500 from DynamoDB too.
                        Err(e) => Reply::error(&Error::Internal(e.to_string())),
                        Ok(body) => run(handler.as_ref(), target.as_deref(), &body),
                    },
                },
            }
        }
    };
    Ok(to_response(reply))
}

/// Runs the handler; a panic (a bug) becomes DynamoDB's InternalServerError.
fn run<H: Handler>(handler: &H, target: Option<&str>, body: &[u8]) -> Reply {
    let handled = std::panic::catch_unwind(AssertUnwindSafe(|| handler.handle(target, body)));
    handled.unwrap_or_else(|_| {
        Reply::error(&Error::Internal(
            "The server encountered an internal error trying to fulfill the request".into(),
        ))
    })
}

/// The coding of the request body. Several header lines form one list (RFC
/// 9110 §5.3); a value that is not text names no coding dynacond knows. An
/// unknown coding is an HTTP 500, as from DynamoDB.
fn content_encoding<B>(request: &Request<B>) -> Result<ContentEncoding, Reply> {
    let codings: Vec<&str> = request
        .headers()
        .get_all(CONTENT_ENCODING)
        .iter()
        .map(|v| v.to_str().unwrap_or("\u{FFFD}"))
        .collect();
    codings
        .join(",")
        .parse::<ContentEncoding>()
        .map_err(|e| Reply::error(&Error::Internal(e.to_string())))
}

/// Checks method, media type and declared length before the body is read.
/// `Ok(Some(_))` is the answer to a health check (`GET /`).
fn check_request(
    request: &Request<Incoming>,
    options: &Options,
) -> Result<Option<Response<Full<Bytes>>>, Reply> {
    if request.method() == Method::GET {
        // DynamoDB answers a plain GET with a health line; load balancers and
        // readiness probes use it.
        let mut response = Response::new(Full::new(Bytes::from_static(b"healthy: dynacond ")));
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        return Ok(Some(response));
    }
    if request.method() != Method::POST {
        return Err(Reply::unknown_operation());
    }
    let media_type = request.headers().get(CONTENT_TYPE).map(|v| {
        v.to_str()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
    });
    match media_type {
        Some(t)
            if t.eq_ignore_ascii_case(CONTENT_TYPE_JSON_1_0)
                || t.eq_ignore_ascii_case("application/json") => {}
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
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > options.max_body_bytes as u64) {
        return Err(too_large(options));
    }
    Ok(None)
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

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    let crc = crc32fast::hash(&reply.body);
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(CONTENT_TYPE_JSON_1_0),
    );
    if let Ok(id) = HeaderValue::from_str(&request_id()) {
        headers.insert("x-amzn-requestid", id);
    }
    headers.insert("x-amz-crc32", HeaderValue::from(crc));
    response
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
        let response = to_response(Reply::ok(b"{}".to_vec()));
        let crc = response.headers()["x-amz-crc32"].to_str().unwrap();
        assert_eq!(crc, crc32fast::hash(b"{}").to_string());
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "application/x-amz-json-1.0"
        );
    }
}
