//! `dynacond serve`: the local DynamoDB endpoint.

use std::process::ExitCode;
use std::time::Duration;

pub const HELP: &str = "\
dynacond serve: a local endpoint that speaks DynamoDB's HTTP protocol

Usage: dynacond serve [--bind ADDR] [--port PORT] [--region R] [--account-id ID]
                      [--manual-clock] [--ttl-sweep-interval SECS] [--ttl-cooldown SECS]
                      [--load FILE]... [--faults FILE] [--explain]
                      [--data-dir DIR [--sync-writes] [--checkpoint-bytes N]]

Serves an in-memory store to any AWS SDK, the aws CLI or boto3: point their
endpoint URL at it (any credentials and region are accepted). Stops cleanly on
Ctrl-C or SIGTERM; the data lives only as long as the process.

Options:
  --bind ADDR    Address to listen on (default 127.0.0.1)
  --port PORT    Port to listen on (default 8000; 0 picks a free port)
  --region R     Region of the ARNs the store gives (default us-east-1)
  --account-id ID
                 12-digit account id of those ARNs (default 123456789012)
  --manual-clock Start on a manual clock standing at the start time: time
                 moves only through POST /dynacond/clock
  --ttl-sweep-interval SECS
                 Delete the items whose Time to Live has passed (at the
                 store's clock time) every SECS seconds of wall time, in the
                 background (default 60; 0 turns the sweeper off: items then
                 expire only through the sweep control calls)
  --ttl-cooldown SECS
                 Refuse a second UpdateTimeToLive of a table within SECS
                 seconds of store-clock time, as DynamoDB does (it measured
                 about 1860; default 0: off)
  --load FILE    Create the tables of a fixture file and put their items
                 (repeatable; the files load in order, each all or nothing;
                 format: `dynacond::fixtures`). A bad file stops the server
                 with exit code 2 and the error's line and column
  --faults FILE  Start with the fault rules of FILE, `{\"rules\": [...]}` as
                 POST /dynacond/faults takes them
  --explain      A failed condition's ConditionalCheckFailedException (and
                 each failed condition's CancellationReasons entry) carries
                 an extra \"Explanation\" member: the condition's tree with
                 each clause's outcome and values (SDKs ignore it). Off by
                 default: errors are then DynamoDB's, byte for byte
  --data-dir DIR Keep the store in DIR (created if missing) instead of only
                 in memory: every acknowledged write survives the process
                 being killed; the next start recovers it (a torn last
                 record is cut off; damage inside the log stops the start
                 with exit code 1 and changes nothing: see `dynacond
                 check-data`). The directory is locked while served; a
                 clean stop (Ctrl-C, SIGTERM) writes a snapshot
  --sync-writes  With --data-dir: also fdatasync the log before each reply,
                 so acknowledged writes survive a power loss too (slower;
                 concurrent writers share each sync)
  --checkpoint-bytes N
                 With --data-dir: write a snapshot (and drop the log before
                 it) in the background once the log passes N bytes (default
                 67108864, 64 MiB; 0: only on a clean stop)
  -h, --help     Print help

Control calls (JSON, paths no DynamoDB client uses):
  GET  /dynacond/clock                       the store's time
  POST /dynacond/clock {\"advance_seconds\": N}   move it forward
  POST /dynacond/clock {\"set_epoch_seconds\": N} | {\"manual\": true} | {\"system\": true}
  POST /dynacond/ttl/sweep                   delete expired items now: {\"ExpiredItems\": N}
  DELETE /_aws/dynamodb/expired              the same, as LocalStack offers it
  POST /dynacond/faults {\"rules\": [...]}      replace the fault rules
  GET  /dynacond/faults                      the rules, with their remaining counts
  DELETE /dynacond/faults                    clear them
  GET  /dynacond/health                      200 once ready, 503 while loading
  POST /dynacond/explain {\"ConditionExpression\": ..., \"Item\" | \"TableName\"+\"Key\": ...}
                                             explain a condition (and update); writes nothing

The port is open at once; while the --load files load, GET /dynacond/health
answers 503 {\"status\": \"loading\"} and every operation 503
ServiceUnavailable (SDKs retry it), then 200 {\"status\": \"ready\"}. Prints
`listening on http://ADDR:PORT` on standard output once it is ready.

Example:
  dynacond serve &
  aws dynamodb list-tables --endpoint-url http://127.0.0.1:8000
";

struct Args {
    bind: String,
    port: u16,
    region: Option<String>,
    account_id: Option<String>,
    manual_clock: bool,
    ttl_sweep_interval: Duration,
    ttl_cooldown: Duration,
    loads: Vec<String>,
    faults: Option<String>,
    explain: bool,
    data_dir: Option<String>,
    sync_writes: bool,
    checkpoint_bytes: Option<u64>,
}

/// The longest interval or window the TTL options take: a year.
const MAX_TTL_SECONDS: f64 = 366.0 * 86_400.0;

/// A TTL option's seconds: a number from 0 to a year, fractions allowed.
fn ttl_seconds(flag: &str, text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| (0.0..=MAX_TTL_SECONDS).contains(s))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!("{flag} must be a number of seconds from 0 to {MAX_TTL_SECONDS}, not `{text}`")
        })
}

fn parse(args: &[String]) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        bind: "127.0.0.1".into(),
        port: 8000,
        region: None,
        account_id: None,
        manual_clock: false,
        ttl_sweep_interval: Duration::from_secs(60),
        ttl_cooldown: Duration::ZERO,
        loads: Vec::new(),
        faults: None,
        explain: false,
        data_dir: None,
        sync_writes: false,
        checkpoint_bytes: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--bind" => parsed.bind = value("--bind")?,
            "--port" => {
                let v = value("--port")?;
                parsed.port = v
                    .parse()
                    .map_err(|_| format!("--port must be a number from 0 to 65535, not `{v}`"))?;
            }
            "--region" => parsed.region = Some(value("--region")?),
            "--account-id" => parsed.account_id = Some(value("--account-id")?),
            "--manual-clock" if inline.is_none() => parsed.manual_clock = true,
            "--explain" if inline.is_none() => parsed.explain = true,
            "--ttl-sweep-interval" => {
                let v = value("--ttl-sweep-interval")?;
                parsed.ttl_sweep_interval = ttl_seconds("--ttl-sweep-interval", &v)?;
            }
            "--ttl-cooldown" => {
                let v = value("--ttl-cooldown")?;
                parsed.ttl_cooldown = ttl_seconds("--ttl-cooldown", &v)?;
            }
            "--load" => parsed.loads.push(value("--load")?),
            "--faults" => parsed.faults = Some(value("--faults")?),
            "--data-dir" => parsed.data_dir = Some(value("--data-dir")?),
            "--sync-writes" if inline.is_none() => parsed.sync_writes = true,
            "--checkpoint-bytes" => {
                let v = value("--checkpoint-bytes")?;
                parsed.checkpoint_bytes = Some(v.parse().map_err(|_| {
                    format!("--checkpoint-bytes must be a number of bytes, not `{v}`")
                })?);
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(Some(parsed))
}

#[cfg(feature = "server")]
pub fn run(args: &[String]) -> ExitCode {
    use std::io::Write;

    let args = match parse(args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("dynacond serve: {message}; see `dynacond serve --help`");
            return ExitCode::from(2);
        }
    };
    // An IPv6 literal needs brackets in a socket address.
    let host = if args.bind.contains(':') && !args.bind.starts_with('[') {
        format!("[{}]", args.bind)
    } else {
        args.bind.clone()
    };
    let mut builder = dynacond::Store::builder();
    if let Some(region) = args.region {
        builder = builder.region(region);
    }
    if let Some(account_id) = args.account_id {
        builder = builder.account_id(account_id);
    }
    if args.manual_clock {
        builder = builder.clock(dynacond::Clock::manual_now());
    }
    builder = builder
        .ttl_cooldown(args.ttl_cooldown)
        .explain(args.explain);
    if let Some(dir) = &args.data_dir {
        builder = builder.data_dir(dir).sync_writes(args.sync_writes);
        if let Some(bytes) = args.checkpoint_bytes {
            builder = builder.checkpoint_bytes(bytes);
        }
    } else if args.sync_writes || args.checkpoint_bytes.is_some() {
        eprintln!(
            "dynacond serve: --sync-writes and --checkpoint-bytes need --data-dir; \
             see `dynacond serve --help`"
        );
        return ExitCode::from(2);
    }
    let durable = args.data_dir.is_some();
    let store = match builder.build() {
        Ok(store) => store,
        Err(e) if durable && matches!(e, dynacond::Error::Internal(_)) => {
            // The data directory cannot be opened (in use, damaged).
            eprintln!("dynacond serve: {}", e.message());
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!(
                "dynacond serve: {}; see `dynacond serve --help`",
                e.message()
            );
            return ExitCode::from(2);
        }
    };
    if let Some(file) = &args.faults {
        let rules = std::fs::read(file)
            .map_err(|e| format!("cannot read {file}: {e}"))
            .and_then(|bytes| {
                dynacond::faults::RuleSet::parse(&bytes).map_err(|e| format!("{file}: {e}"))
            })
            .and_then(|set| {
                store
                    .faults()
                    .set(set.rules)
                    .map_err(|e| format!("{file}: {e}"))
            });
        if let Err(message) = rules {
            eprintln!("dynacond serve: {message}");
            return ExitCode::from(2);
        }
    }
    // Listen at once, answering 503 until the fixtures are loaded, so a
    // container's health check sees a live process that is not ready yet.
    store.set_ready(args.loads.is_empty());
    let swept = store.clone();
    let loaded = store.clone();
    let server = match dynacond::server::Server::bind(format!("{host}:{}", args.port), store) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("dynacond serve: cannot listen on {host}:{}: {e}", args.port);
            return ExitCode::from(1);
        }
    };
    let addr = match server.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("dynacond serve: {e}");
            return ExitCode::from(1);
        }
    };
    let running = match server.spawn() {
        Ok(running) => running,
        Err(e) => {
            eprintln!("dynacond serve: {e}");
            return ExitCode::from(1);
        }
    };
    for file in &args.loads {
        match loaded.load_fixtures_file(file) {
            Ok(report) => eprintln!(
                "dynacond serve: loaded {} tables and {} items from {file}",
                report.tables.len(),
                report.items()
            ),
            Err(e) => {
                eprintln!("dynacond serve: {}", e.message());
                let _ = running.shutdown();
                return ExitCode::from(2);
            }
        }
    }
    loaded.set_ready(true);
    // The background TTL sweeper, on a thread of its own (0: none).
    let sweeper = if args.ttl_sweep_interval.is_zero() {
        None
    } else {
        match dynacond::store::TtlSweeper::spawn(swept, args.ttl_sweep_interval) {
            Ok(sweeper) => Some(sweeper),
            Err(e) => {
                eprintln!("dynacond serve: cannot start the TTL sweeper: {e}");
                return ExitCode::from(1);
            }
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    }
    // The server runs on its own thread; this one waits for the signal.
    let served = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|signals| signals.block_on(stop_signal()))
        .and_then(|()| running.shutdown());
    if let Some(sweeper) = sweeper {
        sweeper.stop();
    }
    if durable {
        // A snapshot, so the next start replays no log.
        if let Err(e) = swept_store_checkpoint(&loaded) {
            eprintln!(
                "dynacond serve: the final checkpoint failed (the log keeps every write): {e}"
            );
        }
    }
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dynacond serve: {e}");
            ExitCode::from(1)
        }
    }
}

/// The checkpoint of a clean stop.
#[cfg(feature = "server")]
fn swept_store_checkpoint(store: &dynacond::Store) -> Result<(), String> {
    store
        .checkpoint()
        .map(drop)
        .map_err(|e| e.message().to_owned())
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
#[cfg(feature = "server")]
async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    () = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => interrupt.await,
        }
    }
    #[cfg(not(unix))]
    interrupt.await;
}

#[cfg(not(feature = "server"))]
pub fn run(args: &[String]) -> ExitCode {
    match parse(args) {
        Ok(None) => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("dynacond serve: {message}; see `dynacond serve --help`");
            ExitCode::from(2)
        }
        Ok(Some(_)) => {
            eprintln!(
                "dynacond serve: this dynacond was built without the `server` feature; \
                 build it with `cargo run --release --features server -- serve`"
            );
            ExitCode::from(2)
        }
    }
}
