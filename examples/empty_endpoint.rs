//! An endpoint on dynacond's HTTP stack whose handler answers every request
//! with `{}`: the cost of HTTP alone (hyper, tokio, the endpoint's header
//! handling and reply headers), measured beside `dynacond serve` by
//! `benches/endpoint_wrk.sh`. The same handler as the `server` bench's.
//!
//! `cargo run --release --features server --example empty_endpoint -- [ADDR]`
//! (default `127.0.0.1:0`, a free port); prints `listening on http://ADDR`
//! once bound, and serves until killed.

use std::io::Write as _;

use dynacond::server::{Handler, Reply, Server};

/// Answers every request with `{}`.
struct Empty;

impl Handler for Empty {
    fn handle(&self, _target: Option<&str>, _body: &[u8]) -> Reply {
        Reply::ok(b"{}".to_vec())
    }
}

fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let server = Server::with_handler(addr.as_str(), Empty)?;
    let mut out = std::io::stdout();
    writeln!(out, "listening on http://{}", server.local_addr()?)?;
    out.flush()?;
    server.run_until(std::future::pending::<()>())
}
