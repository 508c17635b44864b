//! The store under real threads: put-if-absent races, optimistic locking,
//! transfers between accounts against snapshot readers, single-item writes
//! racing transactions, and a panicking caller. Thread and iteration counts
//! stay small (shared CI machines).
//!
//! A transaction that meets an item another TransactWriteItems holds is
//! cancelled with a `TransactionConflict` reason, and a single-item write
//! meeting one fails with `TransactionConflictException` (validation.md
//! §7.4); like DynamoDB's clients, these tests retry such requests. The
//! deterministic conflict tests (a transaction kept in flight) are unit tests
//! beside the code (`src/store/transaction/tests.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use dynacond::{Error, Item, Store, wire};
use serde_json::{Value, json};

fn store() -> Store {
    let store = Store::new();
    store
        .create_table(
            wire::from_value(json!({"TableName": "accounts",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}))
            .unwrap(),
        )
        .unwrap();
    store
}

fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    wire::from_value(v).unwrap()
}

fn get(store: &Store, p: &str) -> Option<Item> {
    store
        .get_item(req(
            json!({"TableName": "accounts", "Key": {"p": {"S": p}}}),
        ))
        .unwrap()
        .item
}

fn number(item: &Item, name: &str) -> i64 {
    item[name].as_n().unwrap().to_i64().unwrap()
}

/// True for a cancellation caused by another transaction holding an item
/// (worth retrying), false for any other cancellation.
fn conflict(error: &Error) -> bool {
    match error {
        Error::TransactionCanceled { reasons, .. } => reasons
            .iter()
            .any(|r| r.code.as_str() == "TransactionConflict"),
        _ => false,
    }
}

/// Runs a request until it is not refused for a transaction conflict, as
/// DynamoDB's clients do (conflicts are transient: the transaction holding
/// the item holds it only while it runs).
fn retrying<T>(mut request: impl FnMut() -> Result<T, Error>) -> Result<T, Error> {
    loop {
        match request() {
            Err(e) if conflict(&e) || matches!(e, Error::TransactionConflict(_)) => {
                std::thread::yield_now();
            }
            other => return other,
        }
    }
}

#[test]
fn store_is_send_sync_and_cheap_to_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Store>();
}

#[test]
fn put_if_absent_has_exactly_one_winner_per_key() {
    let store = store();
    const THREADS: usize = 6;
    const KEYS: usize = 40;
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let store = store.clone();
            thread::spawn(move || {
                let mut won = Vec::new();
                for k in 0..KEYS {
                    let result = store.put_item(req(json!({"TableName": "accounts",
                        "Item": {"p": {"S": format!("k{k}")}, "owner": {"N": t.to_string()}},
                        "ConditionExpression": "attribute_not_exists(p)"})));
                    match result {
                        Ok(_) => won.push(k),
                        Err(Error::ConditionalCheckFailed { .. }) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
                (t, won)
            })
        })
        .collect();
    let mut winners = vec![Vec::new(); KEYS];
    for h in handles {
        let (t, won) = h.join().unwrap();
        for k in won {
            winners[k].push(t);
        }
    }
    for (k, w) in winners.iter().enumerate() {
        assert_eq!(w.len(), 1, "key k{k} won by {w:?}");
        let item = get(&store, &format!("k{k}")).unwrap();
        assert_eq!(number(&item, "owner"), w[0] as i64);
    }
}

#[test]
fn optimistic_increments_lose_no_update() {
    let store = store();
    store
        .put_item(req(json!({"TableName": "accounts",
            "Item": {"p": {"S": "counter"}, "n": {"N": "0"}, "version": {"N": "0"}}})))
        .unwrap();
    const THREADS: usize = 4;
    const EACH: usize = 40;
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let store = store.clone();
            thread::spawn(move || {
                for _ in 0..EACH {
                    loop {
                        let item = get(&store, "counter").unwrap();
                        let version = number(&item, "version");
                        let result = store.update_item(req(json!({"TableName": "accounts",
                            "Key": {"p": {"S": "counter"}},
                            "UpdateExpression": "SET n = n + :one, version = :next",
                            "ConditionExpression": "version = :seen",
                            "ExpressionAttributeValues": {":one": {"N": "1"},
                                ":next": {"N": (version + 1).to_string()},
                                ":seen": {"N": version.to_string()}}})));
                        match result {
                            Ok(_) => break,
                            Err(Error::ConditionalCheckFailed { .. }) => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let item = get(&store, "counter").unwrap();
    assert_eq!(number(&item, "n"), (THREADS * EACH) as i64);
    assert_eq!(number(&item, "version"), (THREADS * EACH) as i64);
}

/// A small deterministic generator (no dependency needed for this).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

/// Runs a test body on its own thread and fails (instead of hanging) if it
/// does not finish in time: a deadlock shows up as a failure.
fn within(seconds: u64, body: impl FnOnce() + Send + 'static) {
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = thread::spawn(move || {
        body();
        let _ = tx.send(());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(seconds)) {
        Ok(()) => handle.join().unwrap(),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            // The body panicked: report its panic.
            if let Err(p) = handle.join() {
                std::panic::resume_unwind(p);
            }
        }
        Err(_) => panic!("no progress after {seconds} s: deadlock?"),
    }
}

#[test]
fn transfers_keep_the_total_for_snapshot_readers() {
    within(120, transfers);
}

fn transfers() {
    let store = store();
    const ACCOUNTS: usize = 8;
    for a in 0..ACCOUNTS {
        store
            .put_item(req(json!({"TableName": "accounts",
                "Item": {"p": {"S": format!("a{a}")}, "balance": {"N": "100"}}})))
            .unwrap();
    }
    let total = (ACCOUNTS * 100) as i64;
    let done = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..3u64)
        .map(|seed| {
            let store = store.clone();
            thread::spawn(move || {
                let mut rng = Lcg(seed + 1);
                let mut committed = 0;
                for _ in 0..60 {
                    let from = rng.next(ACCOUNTS);
                    let to = (from + 1 + rng.next(ACCOUNTS - 1)) % ACCOUNTS;
                    let amount = (1 + rng.next(30)).to_string();
                    let result = retrying(|| {
                        store.transact_write_items(req(json!({"TransactItems": [
                            {"Update": {"TableName": "accounts", "Key": {"p": {"S": format!("a{from}")}},
                                "UpdateExpression": "SET balance = balance - :x",
                                "ConditionExpression": "balance >= :x",
                                "ExpressionAttributeValues": {":x": {"N": amount.clone()}}}},
                            {"Update": {"TableName": "accounts", "Key": {"p": {"S": format!("a{to}")}},
                                "UpdateExpression": "SET balance = balance + :x",
                                "ExpressionAttributeValues": {":x": {"N": amount.clone()}}}}]})))
                    });
                    match result {
                        Ok(_) => committed += 1,
                        // The source account could not pay.
                        Err(Error::TransactionCanceled { .. }) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
                committed
            })
        })
        .collect();
    let readers: Vec<_> = (0..2)
        .map(|r| {
            let store = store.clone();
            let done = done.clone();
            thread::spawn(move || {
                let mut reads = 0;
                while !done.load(Ordering::Relaxed) || reads < 5 {
                    // Half the readers list the accounts backwards: lock order
                    // must not depend on request order.
                    let mut gets: Vec<Value> = (0..ACCOUNTS)
                        .map(|a| json!({"Get": {"TableName": "accounts", "Key": {"p": {"S": format!("a{a}")}}}}))
                        .collect();
                    if r == 1 {
                        gets.reverse();
                    }
                    // A read meeting a transfer in flight is cancelled; retry.
                    let out = retrying(|| {
                        store.transact_get_items(req(json!({"TransactItems": gets.clone()})))
                    })
                    .unwrap();
                    let sum: i64 = out
                        .responses
                        .iter()
                        .map(|r| number(r.item.as_ref().unwrap(), "balance"))
                        .sum();
                    assert_eq!(sum, total, "a reader saw part of a transfer");
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    let committed: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
    done.store(true, Ordering::Relaxed);
    for r in readers {
        assert!(r.join().unwrap() >= 5);
    }
    assert!(committed > 0);
    let sum: i64 = (0..ACCOUNTS)
        .map(|a| number(&get(&store, &format!("a{a}")).unwrap(), "balance"))
        .sum();
    assert_eq!(sum, total);
}

#[test]
fn single_item_writes_racing_transactions_lose_no_update() {
    within(120, || {
        let store = store();
        for p in ["x", "y"] {
            store
                .put_item(req(json!({"TableName": "accounts",
                    "Item": {"p": {"S": p}, "n": {"N": "0"}}})))
                .unwrap();
        }
        const EACH: usize = 40;
        let increment = |p: &str| {
            json!({"TableName": "accounts", "Key": {"p": {"S": p}},
                "UpdateExpression": "SET n = n + :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}}})
        };
        // Two threads increment x and y together in transactions, two
        // increment each on its own; every refused request is retried.
        let transactions: Vec<_> = (0..2)
            .map(|_| {
                let store = store.clone();
                thread::spawn(move || {
                    for _ in 0..EACH {
                        let both = json!({"TransactItems": [
                            {"Update": increment("x")}, {"Update": increment("y")}]});
                        retrying(|| store.transact_write_items(req(both.clone()))).unwrap();
                    }
                })
            })
            .collect();
        let singles: Vec<_> = ["x", "y"]
            .into_iter()
            .map(|p| {
                let store = store.clone();
                thread::spawn(move || {
                    for _ in 0..EACH {
                        retrying(|| store.update_item(req(increment(p)))).unwrap();
                    }
                })
            })
            .collect();
        for t in transactions.into_iter().chain(singles) {
            t.join().unwrap();
        }
        for p in ["x", "y"] {
            let n = number(&get(&store, p).unwrap(), "n");
            assert_eq!(n, (3 * EACH) as i64, "item {p}");
        }
    });
}

#[test]
fn a_panicking_caller_leaves_the_store_usable() {
    let store = store();
    store
        .put_item(req(json!({"TableName": "accounts",
            "Item": {"p": {"S": "x"}, "n": {"N": "1"}}})))
        .unwrap();
    let s = store.clone();
    let result = thread::spawn(move || {
        let item = get(&s, "x").unwrap();
        // A caller's own code panics between two store calls.
        if number(&item, "n") == 1 {
            panic!("caller bug");
        }
    })
    .join();
    assert!(result.is_err());
    store
        .update_item(req(
            json!({"TableName": "accounts", "Key": {"p": {"S": "x"}},
            "UpdateExpression": "SET n = n + :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}),
        ))
        .unwrap();
    assert_eq!(number(&get(&store, "x").unwrap(), "n"), 2);
}

#[test]
fn one_token_applies_once_under_concurrent_retries() {
    let store = store();
    store
        .put_item(req(json!({"TableName": "accounts",
            "Item": {"p": {"S": "c"}, "n": {"N": "0"}}})))
        .unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            thread::spawn(move || {
                for _ in 0..20 {
                    let result = store.transact_write_items(req(json!({"TransactItems": [
                        {"Update": {"TableName": "accounts", "Key": {"p": {"S": "c"}},
                            "UpdateExpression": "SET n = n + :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}}],
                        "ClientRequestToken": "same-token"})));
                    match result {
                        Ok(_) | Err(Error::TransactionInProgress(_)) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(number(&get(&store, "c").unwrap(), "n"), 1);
}
