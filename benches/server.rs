//! Load on the HTTP endpoint: conditional PutItem throughput and latency
//! under concurrent keep-alive clients, beside an empty handler on the same
//! HTTP stack in the same run. The ratio of the two throughputs is the cost
//! of DynamoDB's semantics over the cost of HTTP (target: at least 80%).
//!
//! `cargo bench --features server --bench server` (environment:
//! `DYNACOND_BENCH_SECS`, default 3 seconds per run; `DYNACOND_BENCH_CLIENTS`,
//! default 4 connections).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use dynacond::Store;
use dynacond::server::{Handler, Reply, Server};

/// Answers every request with `{}`: the HTTP stack alone.
struct Empty;

impl Handler for Empty {
    fn handle(&self, _target: Option<&str>, _body: &[u8]) -> Reply {
        Reply::ok(b"{}".to_vec())
    }
}

struct Run {
    requests: usize,
    seconds: f64,
    latencies: Vec<Duration>,
}

impl Run {
    fn throughput(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    fn percentile(&mut self, p: f64) -> Duration {
        self.latencies.sort_unstable();
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Keys each client cycles through: the table holds at most this many items
/// per client, so the measurement is of steady-state writes, not of memory
/// growth.
const KEYS_PER_CLIENT: u64 = 25_000;

/// Each client thread sends conditional puts (`attribute_not_exists(p) OR
/// v = :one`, which holds, so each is a create or a checked overwrite) on one
/// keep-alive connection until the time is up.
fn load(addr: SocketAddr, clients: usize, seconds: u64) -> Run {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let stream = TcpStream::connect(addr).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                let mut latencies = Vec::with_capacity(1 << 16);
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let k = n % KEYS_PER_CLIENT;
                    let body = format!(
                        r#"{{"TableName":"bench","Item":{{"p":{{"S":"c{c}-{k}"}},"v":{{"N":"1"}},"name":{{"S":"a customer name"}}}},"ConditionExpression":"attribute_not_exists(p) OR v = :one","ExpressionAttributeValues":{{":one":{{"N":"1"}}}}}}"#
                    );
                    let request = format!(
                        "POST / HTTP/1.1\r\nHost: bench\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n\
                         Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let sent = Instant::now();
                    writer.write_all(request.as_bytes()).unwrap();
                    let status = read_response(&mut reader);
                    latencies.push(sent.elapsed());
                    assert_eq!(status, 200);
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    for w in workers {
        latencies.extend(w.join().unwrap());
    }
    Run {
        requests: latencies.len(),
        seconds: started.elapsed().as_secs_f64(),
        latencies,
    }
}

fn read_response(reader: &mut BufReader<TcpStream>) -> u16 {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    status
}

fn main() {
    // `cargo test --benches` runs bench binaries with `--bench` absent; do
    // no load then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let seconds = env_or("DYNACOND_BENCH_SECS", 3);
    let clients = env_or("DYNACOND_BENCH_CLIENTS", 4) as usize;

    let empty = Server::with_handler("127.0.0.1:0", Empty)
        .unwrap()
        .spawn()
        .unwrap();
    let store = Store::new();
    store
        .create_table(
            dynacond::wire::from_str(
                r#"{"TableName": "bench",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
    let real = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();

    // Warm both up, then measure them alternately, twice each, and keep
    // each one's better run (the machine's other load is not ours).
    load(empty.local_addr(), clients, 1);
    load(real.local_addr(), clients, 1);
    let mut best_empty: Option<Run> = None;
    let mut best_real: Option<Run> = None;
    for _ in 0..2 {
        let e = load(empty.local_addr(), clients, seconds);
        if best_empty
            .as_ref()
            .is_none_or(|b| e.throughput() > b.throughput())
        {
            best_empty = Some(e);
        }
        let r = load(real.local_addr(), clients, seconds);
        if best_real
            .as_ref()
            .is_none_or(|b| r.throughput() > b.throughput())
        {
            best_real = Some(r);
        }
    }
    let (mut e, mut r) = (best_empty.unwrap(), best_real.unwrap());
    println!(
        "server/empty-handler      {:>9.0} req/s  p50 {:>7.1?}  p99 {:>7.1?}",
        e.throughput(),
        e.percentile(0.5),
        e.percentile(0.99)
    );
    println!(
        "server/conditional-put    {:>9.0} req/s  p50 {:>7.1?}  p99 {:>7.1?}",
        r.throughput(),
        r.percentile(0.5),
        r.percentile(0.99)
    );
    println!(
        "server/ratio              {:.2} of the empty handler's throughput ({clients} keep-alive clients, {seconds} s runs, {} items stored)",
        r.throughput() / e.throughput(),
        store.table("bench").unwrap().item_count()
    );
    real.shutdown().unwrap();
    empty.shutdown().unwrap();
}
