//! A local endpoint that speaks DynamoDB's HTTP protocol (AWS JSON 1.0), so
//! any AWS SDK, the aws CLI or boto3 can use a [`Store`] by setting only its
//! endpoint URL. Enabled by the `server` feature; `dynacond serve` runs it.
//!
//! * `POST /` with `X-Amz-Target: DynamoDB_20120810.<Operation>` and
//!   `Content-Type: application/x-amz-json-1.0` (or `application/json`, then
//!   answered with that type); the body is the operation's request in
//!   DynamoDB JSON.
//! * Request bodies may be compressed: `Content-Encoding: gzip` (several
//!   members concatenated are one body) or `deflate` (the zlib format, one
//!   stream); see [`decode_body`]. The body limit applies to the
//!   decompressed body. A body that does not decompress, or an unknown
//!   coding, is HTTP 500 `InternalServerError`, as from DynamoDB; nothing is
//!   executed.
//! * Replies carry `Content-Type`, `x-amzn-RequestId`, `x-amz-crc32` (the
//!   CRC32 of the body, which AWS SDKs check), `Date` and `Server`. Errors
//!   are HTTP 400 with DynamoDB's body (`__type`, `message`, and
//!   `CancellationReasons` or `Item` where DynamoDB sends them; no `message`
//!   for `UnknownOperationException` or for a body that is not JSON at all,
//!   as from DynamoDB); 413 for a body over [`Options::max_body_bytes`]; 500
//!   for a body that cannot be decompressed, and otherwise only for an
//!   internal failure (a bug), never for bad input.
//! * `GET /` is DynamoDB's health check: 200 and `healthy: <host>` as
//!   `text/plain`, `<host>` being the request's `Host` (when it is a plain
//!   host and port) or `dynacond`; but a browser (an `Accept` header naming
//!   `text/html`) gets the web console's page instead, whose assets are
//!   under `/console/`; a GET of any other path is 404.
//!   DescribeEndpoints names that `Host` too ([`Handler::handle_at`]).
//! * Paths under `/dynacond/` are dynacond's own control calls (any method;
//!   JSON bodies, see [`crate::control`]), such as the clock tests drive and
//!   TTL sweeps; so is LocalStack's `DELETE /_aws/dynamodb/expired`.
//! * CORS, as DynamoDB: a request with an `Origin` header gets
//!   `Access-Control-Allow-Origin: *` and `Access-Control-Expose-Headers` on
//!   every response; a pre-flight (`OPTIONS`) gets 200 with an empty body,
//!   `Access-Control-Max-Age` and the requested method and headers echoed as
//!   allowed. Without `Origin`, no CORS header is sent.
//! * SigV4 `Authorization` headers are accepted and not verified: any
//!   credentials and region work.
//! * Requests run on a multi-threaded tokio runtime straight into the store;
//!   there is no lock per request, only the store's per-item locks. A fault
//!   rule's latency ([`crate::faults`]) is a tokio timer: the request waits
//!   without holding a worker thread.
//!
//! ```no_run
//! use dynacond::Store;
//! use dynacond::server::Server;
//!
//! let server = Server::bind("127.0.0.1:0", Store::new())?.spawn()?;
//! println!("endpoint: {}", server.url());
//! // ... point an SDK at server.url() ...
//! server.shutdown()?;
//! # Ok::<(), std::io::Error>(())
//! ```

mod console;
mod encoding;
mod http;
pub mod request_log;

use std::future::Future;
use std::io;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use crate::protocol::{OPERATIONS, Outcome, Reply, TARGET_PREFIX, dispatch};
pub use encoding::{BodyError, ContentEncoding, decode_body};
pub use http::CONTENT_TYPE_JSON_1_0;
/// The endpoint's request path, for the in-process SDK client ([`crate::sdk`]).
#[cfg(feature = "sdk")]
pub(crate) use http::respond;
pub use request_log::ServedCall;

use crate::store::Store;

/// What answers requests: given the `X-Amz-Target` header and the body,
/// produce a [`Reply`]. The [`Store`] is the real one; tests and benchmarks
/// may plug in others (an empty handler measures the HTTP stack alone).
pub trait Handler: Send + Sync + 'static {
    /// Answers one request.
    fn handle(&self, target: Option<&str>, body: &[u8]) -> Reply;

    /// Answers one request sent to `host` (the request's `Host` header, when
    /// it is a plain `host[:port]`); the default ignores the host.
    fn handle_at(&self, target: Option<&str>, body: &[u8], host: Option<&str>) -> Reply {
        let _ = host;
        self.handle(target, body)
    }

    /// Answers one request, or hands back a wait (an injected latency,
    /// [`crate::faults`]) that the endpoint sleeps through on a timer,
    /// holding no thread, before it resumes the request; the default
    /// answers at once with [`Handler::handle_at`].
    fn handle_paced(&self, target: Option<&str>, body: &[u8], host: Option<&str>) -> Outcome {
        Outcome::Now(self.handle_at(target, body, host))
    }

    /// Answers a control call (a path under `/dynacond/`, see
    /// [`crate::control`]) with its HTTP method, path and body; `None`
    /// (the default) when the handler has none, and the path is then 404.
    fn control(&self, method: &str, path: &str, body: &[u8]) -> Option<Reply> {
        let _ = (method, path, body);
        None
    }

    /// Notes a DynamoDB call the endpoint served, once its reply is made
    /// (for the request log, [`request_log`]); the default keeps nothing.
    fn record(&self, call: &ServedCall<'_>) {
        let _ = call;
    }
}

impl Handler for Store {
    fn handle(&self, target: Option<&str>, body: &[u8]) -> Reply {
        dispatch(self, target, body)
    }

    fn handle_at(&self, target: Option<&str>, body: &[u8], host: Option<&str>) -> Reply {
        crate::protocol::dispatch_with_host(self, target, body, host)
    }

    fn handle_paced(&self, target: Option<&str>, body: &[u8], host: Option<&str>) -> Outcome {
        crate::protocol::dispatch_paced(self, target, body, host)
    }

    fn control(&self, method: &str, path: &str, body: &[u8]) -> Option<Reply> {
        Some(crate::control::control(self, method, path, body))
    }

    fn record(&self, call: &ServedCall<'_>) {
        self.inner.requests.record(call);
    }
}

/// The endpoint's limits.
#[derive(Debug, Clone)]
pub struct Options {
    /// The largest request body accepted (default 16 MiB, DynamoDB's request
    /// limit); a larger one is refused with HTTP 413 before it is read. A
    /// compressed body must stay within the limit both as sent and once
    /// decompressed; decompression stops (413) as soon as it passes it.
    pub max_body_bytes: usize,
    /// How long a client may take to send a request's headers, and then
    /// its body (default 60 s).
    pub read_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_body_bytes: 16 * 1024 * 1024,
            read_timeout: Duration::from_secs(60),
        }
    }
}

/// A bound endpoint, not yet serving. Binding is synchronous, so the port is
/// open (and queues connections) as soon as [`Server::bind`] returns.
#[derive(Debug)]
pub struct Server<H = Store> {
    listener: TcpListener,
    handler: Arc<H>,
    options: Options,
}

impl Server<Store> {
    /// Binds to `addr` (port 0 picks a free port) to serve `store`.
    pub fn bind(addr: impl ToSocketAddrs, store: Store) -> io::Result<Self> {
        Server::with_handler(addr, store)
    }
}

impl<H: Handler> Server<H> {
    /// Binds to `addr` to serve requests with `handler`.
    pub fn with_handler(addr: impl ToSocketAddrs, handler: H) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        Ok(Server {
            listener,
            handler: Arc::new(handler),
            options: Options::default(),
        })
    }

    /// Replaces the limits.
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// The address the endpoint listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves on the current tokio runtime until `shutdown` completes, then
    /// drains open requests (for callers that already run tokio).
    pub async fn serve(self, shutdown: impl Future<Output = ()>) -> io::Result<()> {
        let listener = tokio::net::TcpListener::from_std(self.listener)?;
        http::serve(listener, self.handler, Arc::new(self.options), shutdown).await;
        Ok(())
    }

    /// Serves on a new multi-threaded runtime, blocking this thread until
    /// `shutdown` completes (the future runs on that runtime, so it may wait
    /// for signals with `tokio::signal`).
    pub fn run_until(self, shutdown: impl Future<Output = ()> + Send) -> io::Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("dynacond-server")
            .build()?;
        runtime.block_on(self.serve(shutdown))
    }

    /// Serves on a background thread with its own runtime; the returned
    /// handle stops it (also when dropped).
    pub fn spawn(self) -> io::Result<RunningServer> {
        let addr = self.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("dynacond-server".into())
            .spawn(move || {
                self.run_until(async {
                    // A dropped sender also stops the server.
                    let _ = stopped.await;
                })
            })?;
        Ok(RunningServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// A server running on a background thread (from [`Server::spawn`]).
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl RunningServer {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint URL to give an SDK, such as `http://127.0.0.1:8000`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets open requests finish, and waits
    /// for the server thread.
    pub fn shutdown(mut self) -> io::Result<()> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(JoinHandle::join) {
            None => Ok(()),
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the server thread panicked")),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}
