//! The kill -9 crash test of `dynacond serve --data-dir` (issue 18).
//!
//! Each round starts the server on the same data directory, runs concurrent
//! clients doing conditional puts, conditional counter updates, transfer
//! transactions and deletes while recording every acknowledged write, kills
//! the server with SIGKILL at a random moment, checks the directory with
//! `dynacond check-data`, restarts, and checks that every acknowledged write
//! is there, that no transaction is half-applied (the accounts' total is
//! conserved) and that no condition-based invariant broke, and reads the
//! table's stream: its numbers ascend, every record read before the crash
//! is still there, unchanged, and each key's last record shows the item as
//! it is (so no acknowledged write's record is missing). The last round
//! stops the server cleanly (SIGTERM: a checkpoint) instead. The server
//! checkpoints in the background every few hundred writes, so kills also
//! land during checkpoints. About 10 s.

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests and their helpers may unwrap, index and panic: a panic is a failed test \
              (clippy.toml's allow-*-in-tests covers #[test] functions only, not helpers)"
)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

const ACCOUNTS: usize = 16;
const START_BALANCE: i64 = 100;
const WORKERS: usize = 6;
/// Rounds, unless `DYNACOND_CRASH_ROUNDS` says otherwise (`.ci/run` runs more).
fn rounds() -> usize {
    std::env::var("DYNACOND_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(6)
        .max(1)
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

fn start(dir: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dynacond"))
        .args([
            "serve",
            "--port",
            "0",
            "--ttl-sweep-interval",
            "0",
            // Checkpoints every few hundred writes: some kills land while
            // one runs.
            "--checkpoint-bytes",
            "30000",
            "--data-dir",
        ])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .parse()
        .unwrap();
    Server { child, addr }
}

/// One request (`op` a DynamoDB operation, or a whole target such as
/// `DynamoDBStreams_20120810.GetRecords`); `None` when the server did not
/// answer (it was killed).
fn call(addr: SocketAddr, op: &str, body: &Value) -> Option<(u16, Value)> {
    let target = if op.contains('.') {
        op.to_owned()
    } else {
        format!("DynamoDB_20120810.{op}")
    };
    let body = body.to_string();
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: {target}\r\n\
         Content-Type: application/x-amz-json-1.0\r\nConnection: close\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8(response).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, serde_json::from_str(body).ok()?))
}

fn ok(addr: SocketAddr, op: &str, body: Value) -> Value {
    let (status, answer) = call(addr, op, &body).expect("no answer");
    assert_eq!(status, 200, "{op}: {answer}");
    answer
}

fn n(v: &Value) -> i64 {
    v["N"].as_str().unwrap().parse().unwrap()
}

/// What the store must hold for a key: one of these values (`None`:
/// absent). More than one while a write of it was in flight at the kill.
type Expect = HashMap<String, Vec<Option<i64>>>;

/// A tiny xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn item_key(k: &str) -> Value {
    json!({"p": {"S": k}})
}

/// One client: writes only its own keys (so it knows their state), and
/// transfers between the shared accounts.
fn worker(addr: SocketAddr, round: usize, w: usize, expect: &Mutex<Expect>, seed: u64) {
    let mut rng = Rng(seed | 1);
    let counter = format!("counter-{w}");
    let mut mine: Vec<String> = Vec::new();
    for seq in 0.. {
        let choice = rng.below(10);
        // Set what may hold while the request is in flight, then, on its
        // answer, what holds.
        let (key, request, after): (String, (&str, Value), Option<i64>) = if choice < 4 {
            let key = format!("r{round}-w{w}-{seq}");
            let value = seq as i64;
            let request = json!({"TableName": "crash", "Item": {"p": {"S": &key}, "v": {"N": value.to_string()}},
                                 "ConditionExpression": "attribute_not_exists(p)"});
            (key, ("PutItem", request), Some(value))
        } else if choice < 6 {
            let current = expect.lock().unwrap()[&counter].clone();
            let [Some(value)] = current[..] else {
                panic!("counter unsettled")
            };
            let request = json!({"TableName": "crash", "Key": item_key(&counter),
                "UpdateExpression": "SET v = v + :one", "ConditionExpression": "v = :now",
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":now": {"N": value.to_string()}}});
            (counter.clone(), ("UpdateItem", request), Some(value + 1))
        } else if choice < 8 || mine.is_empty() {
            let from = rng.below(ACCOUNTS as u64);
            let to = (from + 1 + rng.below(ACCOUNTS as u64 - 1)) % ACCOUNTS as u64;
            let amount = 1 + rng.below(30);
            let request = json!({"TransactItems": [
                {"Update": {"TableName": "crash", "Key": item_key(&format!("acct-{from}")),
                    "UpdateExpression": "SET v = v - :a", "ConditionExpression": "v >= :a",
                    "ExpressionAttributeValues": {":a": {"N": amount.to_string()}}}},
                {"Update": {"TableName": "crash", "Key": item_key(&format!("acct-{to}")),
                    "UpdateExpression": "SET v = v + :a",
                    "ExpressionAttributeValues": {":a": {"N": amount.to_string()}}}}]});
            match call(addr, "TransactWriteItems", &request) {
                Some((200 | 400, _)) => continue,
                Some((status, body)) => panic!("transfer: {status} {body}"),
                None => return,
            }
        } else {
            let key = mine.swap_remove(rng.below(mine.len() as u64) as usize);
            let request = json!({"TableName": "crash", "Key": item_key(&key)});
            (key, ("DeleteItem", request), None)
        };
        {
            let mut e = expect.lock().unwrap();
            let entry = e.entry(key.clone()).or_insert_with(|| vec![None]);
            entry.push(after);
        }
        match call(addr, request.0, &request.1) {
            Some((200, _)) => {
                expect.lock().unwrap().insert(key.clone(), vec![after]);
                if request.0 == "PutItem" {
                    mine.push(key);
                }
            }
            Some((status, body)) => panic!("{}: {status} {body}", request.0),
            None => return,
        }
    }
}

fn scan_all(addr: SocketAddr) -> HashMap<String, i64> {
    let mut all = HashMap::new();
    let mut start: Option<Value> = None;
    loop {
        let mut request = json!({"TableName": "crash", "ConsistentRead": true});
        if let Some(s) = start.take() {
            request["ExclusiveStartKey"] = s;
        }
        let page = ok(addr, "Scan", request);
        for item in page["Items"].as_array().unwrap() {
            all.insert(item["p"]["S"].as_str().unwrap().to_owned(), n(&item["v"]));
        }
        match page.get("LastEvaluatedKey") {
            Some(k) => start = Some(k.clone()),
            None => return all,
        }
    }
}

/// One stream record: sequence number, key, value after (`None`: deleted).
type StreamRecord = (u128, String, Option<i64>);

/// The crash table's stream, read from its trim horizon.
fn stream_of(addr: SocketAddr) -> Vec<StreamRecord> {
    const STREAMS: &str = "DynamoDBStreams_20120810";
    let table = ok(addr, "DescribeTable", json!({"TableName": "crash"}));
    let arn = table["Table"]["LatestStreamArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = ok(
        addr,
        &format!("{STREAMS}.DescribeStream"),
        json!({"StreamArn": arn}),
    );
    let shard = d["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let it = ok(
        addr,
        &format!("{STREAMS}.GetShardIterator"),
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
    );
    let mut iterator = it["ShardIterator"].as_str().map(str::to_owned);
    let mut out = Vec::new();
    while let Some(i) = iterator {
        let page = ok(
            addr,
            &format!("{STREAMS}.GetRecords"),
            json!({"ShardIterator": i}),
        );
        let records = page["Records"].as_array().unwrap();
        if records.is_empty() {
            break;
        }
        for r in records {
            let d = &r["dynamodb"];
            out.push((
                d["SequenceNumber"].as_str().unwrap().parse().unwrap(),
                d["Keys"]["p"]["S"].as_str().unwrap().to_owned(),
                d.get("NewImage").map(|i| n(&i["v"])),
            ));
        }
        iterator = page["NextShardIterator"].as_str().map(str::to_owned);
    }
    out
}

/// Checks the restarted store against what was acknowledged, then settles
/// the expectations on what it holds; checks its stream against the one
/// read after the previous restart (`seen`), then keeps it there.
fn check(addr: SocketAddr, expect: &Mutex<Expect>, round: usize, seen: &mut Vec<StreamRecord>) {
    let found = scan_all(addr);
    let stream = stream_of(addr);
    assert!(
        stream.windows(2).all(|w| w[0].0 < w[1].0),
        "round {round}: stream numbers do not ascend"
    );
    assert!(
        stream.starts_with(seen),
        "round {round}: records read before the crash changed or went missing"
    );
    let mut last: HashMap<&str, Option<i64>> = HashMap::new();
    for (_, key, value) in &stream {
        last.insert(key, *value);
    }
    for (key, value) in &last {
        assert_eq!(
            found.get(*key).copied(),
            *value,
            "round {round}: {key}'s last stream record"
        );
    }
    assert!(
        found.keys().all(|k| last.contains_key(k.as_str())),
        "round {round}: an item without a stream record"
    );
    *seen = stream;
    let mut total = 0;
    for a in 0..ACCOUNTS {
        let balance = found[&format!("acct-{a}")];
        assert!(balance >= 0, "round {round}: account {a} went negative");
        total += balance;
    }
    assert_eq!(
        total,
        ACCOUNTS as i64 * START_BALANCE,
        "round {round}: money was made or lost"
    );
    let mut e = expect.lock().unwrap();
    for (key, allowed) in e.iter_mut() {
        let got = found.get(key).copied();
        assert!(
            allowed.contains(&got),
            "round {round}: {key} is {got:?}, acknowledged {allowed:?}"
        );
        *allowed = vec![got];
    }
    for key in found.keys() {
        assert!(
            key.starts_with("acct-") || e.contains_key(key),
            "round {round}: {key} was never written"
        );
    }
}

#[test]
fn no_acknowledged_write_is_lost_across_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let expect: Arc<Mutex<Expect>> = Arc::default();
    let mut server = start(dir.path());
    let addr = server.addr;
    ok(
        addr,
        "CreateTable",
        json!({"TableName": "crash", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
    );
    let mut seen = Vec::new();
    for a in 0..ACCOUNTS {
        ok(
            addr,
            "PutItem",
            json!({"TableName": "crash",
            "Item": {"p": {"S": format!("acct-{a}")}, "v": {"N": START_BALANCE.to_string()}}}),
        );
    }
    for w in 0..WORKERS {
        let key = format!("counter-{w}");
        ok(
            addr,
            "PutItem",
            json!({"TableName": "crash", "Item": {"p": {"S": &key}, "v": {"N": "0"}}}),
        );
        expect.lock().unwrap().insert(key, vec![Some(0)]);
    }
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        ^ 0x9e37_79b9_7f4a_7c15
        ^ std::process::id() as u64;
    let mut rng = Rng(seed | 1);
    eprintln!("crash test seed {seed}");
    let rounds = rounds();
    for round in 0..rounds {
        let clean = round + 1 == rounds;
        let addr = server.addr;
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                let expect = expect.clone();
                seed = rng.next();
                let s = seed;
                std::thread::spawn(move || worker(addr, round, w, &expect, s))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300 + rng.below(1200)));
        let pid = server.child.id().to_string();
        let signal = if clean { "-TERM" } else { "-KILL" };
        assert!(
            Command::new("kill")
                .args([signal, &pid])
                .status()
                .unwrap()
                .success()
        );
        let status = server.child.wait().unwrap();
        if clean {
            assert!(status.success(), "a clean stop: {status:?}");
        }
        for w in workers {
            w.join().unwrap();
        }
        let checked = Command::new(env!("CARGO_BIN_EXE_dynacond"))
            .arg("check-data")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            checked.status.success(),
            "check-data: {}",
            String::from_utf8_lossy(&checked.stderr)
        );
        server = start(dir.path());
        check(server.addr, &expect, round, &mut seen);
        eprintln!(
            "round {round}: {} keys and {} stream records checked; {}",
            expect.lock().unwrap().len(),
            seen.len(),
            String::from_utf8_lossy(&checked.stdout).trim()
        );
    }
    // A second server on the same directory is refused.
    let second = Command::new(env!("CARGO_BIN_EXE_dynacond"))
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&second.stderr).contains("in use by another dynacond"));
    let _ = server.child.kill();
    let _ = server.child.wait();
}
