//! Transaction conflicts (validation.md §7.4), made deterministic: a
//! transaction is kept in flight by a hook that runs while it holds its
//! slots, and a writer is known to be waiting when its slot counts it
//! ([`SlotCell::wait_for_waiters`]). No sleeps, no timeouts.

use std::cell::RefCell;
use std::sync::mpsc;
use std::thread;

use serde_json::{Value, json};

use super::*;
use crate::store::table::Slot;
use crate::wire;

thread_local! {
    /// A hook [`super::slots::while_held`] runs once, on this thread, while a
    /// transaction (write or read) holds its slots.
    pub(super) static WHILE_HELD: RefCell<Option<Box<dyn FnOnce()>>> = const { RefCell::new(None) };
}

/// A transaction kept in flight on its own thread: it holds its slots
/// until [`InFlight::release`].
struct InFlight<T> {
    go: mpsc::Sender<()>,
    thread: thread::JoinHandle<Result<T, Error>>,
}

/// Starts `run` on a thread and returns once its transaction holds its slots.
fn in_flight<T: Send + 'static>(
    run: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> InFlight<T> {
    let (held_tx, held_rx) = mpsc::channel();
    let (go, go_rx) = mpsc::channel::<()>();
    let thread = thread::spawn(move || {
        WHILE_HELD.with(|hook| {
            *hook.borrow_mut() = Some(Box::new(move || {
                held_tx.send(()).unwrap();
                // The test lets it go (or is gone: then go on too).
                let _ = go_rx.recv();
            }));
        });
        run()
    });
    held_rx
        .recv()
        .expect("the transaction ended before it held its slots");
    InFlight { go, thread }
}

impl<T> InFlight<T> {
    /// Lets the transaction finish and returns its result.
    fn release(self) -> Result<T, Error> {
        self.go.send(()).unwrap();
        self.thread.join().unwrap()
    }
}

fn store() -> Store {
    let store = Store::new();
    store
        .create_table(
            wire::from_value(json!({"TableName": "tab",
                "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}))
            .unwrap(),
        )
        .unwrap();
    for p in ["k1", "k3"] {
        store
            .put_item(
                wire::from_value(
                    json!({"TableName": "tab", "Item": {"p": {"S": p}, "n": {"N": "0"}}}),
                )
                .unwrap(),
            )
            .unwrap();
    }
    store
}

fn key(p: &str) -> Value {
    json!({"p": {"S": p}})
}

/// A TransactWriteItems setting `n` on each key.
fn set_n(store: &Store, keys: &[&str], n: u32) -> Result<TransactWriteItemsOutput, Error> {
    let actions: Vec<Value> = keys
        .iter()
        .map(|p| {
            json!({"Update": {"TableName": "tab", "Key": key(p),
                "UpdateExpression": "SET n = :n",
                "ExpressionAttributeValues": {":n": {"N": n.to_string()}}}})
        })
        .collect();
    store.transact_write_items(wire::from_value(json!({"TransactItems": actions})).unwrap())
}

/// A TransactWriteItems setting `n` on each key, kept in flight.
fn set_n_in_flight(store: &Store, keys: &[&str], n: u32) -> InFlight<TransactWriteItemsOutput> {
    let store = store.clone();
    let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    in_flight(move || {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        set_n(&store, &keys, n)
    })
}

fn read(store: &Store, keys: &[&str]) -> Result<TransactGetItemsOutput, Error> {
    let gets: Vec<Value> = keys
        .iter()
        .map(|p| json!({"Get": {"TableName": "tab", "Key": key(p)}}))
        .collect();
    store.transact_get_items(wire::from_value(json!({"TransactItems": gets})).unwrap())
}

fn n_of(store: &Store, p: &str) -> Option<String> {
    let item = store
        .get_item(wire::from_value(json!({"TableName": "tab", "Key": key(p)})).unwrap())
        .unwrap()
        .item?;
    Some(item.get("n")?.as_n()?.to_string())
}

/// The slot of a key (tests wait for its waiters).
fn slot_of(store: &Store, p: &str) -> Slot {
    let table = store.table("tab").unwrap();
    let key = table
        .schema()
        .key_of_map(&wire::from_value(key(p)).unwrap())
        .unwrap();
    table.slot(&key).raw()
}

fn codes(error: &Error) -> Vec<String> {
    match error {
        Error::TransactionCanceled { reasons, .. } => {
            reasons.iter().map(|r| r.code.as_str().to_owned()).collect()
        }
        other => panic!("not a cancellation: {other:?}"),
    }
}

#[test]
fn single_item_writes_fail_on_an_item_a_transaction_holds() {
    let store = store();
    let txn = set_n_in_flight(&store, &["k1"], 1);
    let put = store.put_item(
        wire::from_value(json!({"TableName": "tab", "Item": {"p": {"S": "k1"}, "n": {"N": "9"}}}))
            .unwrap(),
    );
    let update = store.update_item(
        wire::from_value(json!({"TableName": "tab", "Key": key("k1"),
            "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": {":n": {"N": "9"}}}))
        .unwrap(),
    );
    let delete =
        store.delete_item(wire::from_value(json!({"TableName": "tab", "Key": key("k1")})).unwrap());
    for result in [put.map(|_| ()), update.map(|_| ()), delete.map(|_| ())] {
        let e = result.unwrap_err();
        assert_eq!(e, Error::TransactionConflict(TRANSACTION_ONGOING.into()));
        assert_eq!(e.message(), "Transaction is ongoing for the item");
        assert_eq!(
            e.wire_type(),
            "com.amazonaws.dynamodb.v20120810#TransactionConflictException"
        );
    }
    // Other items are free.
    store
        .put_item(
            wire::from_value(json!({"TableName": "tab", "Item": {"p": {"S": "k2"}}})).unwrap(),
        )
        .unwrap();
    txn.release().unwrap();
    assert_eq!(n_of(&store, "k1").as_deref(), Some("1"));
}

#[test]
fn transactions_meeting_a_held_item_are_cancelled_and_take_nothing() {
    let store = store();
    let txn = set_n_in_flight(&store, &["k1", "k3"], 1);
    // k0 < k1 < k2 < k3: k0 is taken, k1 meets the transaction, k3 is
    // found held too; k2's condition (which would fail) is never evaluated.
    let other = store
        .transact_write_items(
            wire::from_value(json!({"TransactItems": [
                {"Put": {"TableName": "tab", "Item": {"p": {"S": "k0"}}}},
                {"ConditionCheck": {"TableName": "tab", "Key": key("k1"),
                    "ConditionExpression": "attribute_exists(p)"}},
                {"ConditionCheck": {"TableName": "tab", "Key": key("k2"),
                    "ConditionExpression": "attribute_exists(p)"}},
                {"Delete": {"TableName": "tab", "Key": key("k3")}}]}))
            .unwrap(),
        )
        .unwrap_err();
    assert_eq!(
        other.message(),
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict, None, TransactionConflict]"
    );
    let Error::TransactionCanceled { reasons, .. } = &other else {
        panic!("{other:?}")
    };
    assert_eq!(reasons[1].message.as_deref(), Some(TRANSACTION_ONGOING));
    assert_eq!(reasons[0].message, None);
    // A read is cancelled the same way.
    let read_err = read(&store, &["k2", "k3"]).unwrap_err();
    assert_eq!(codes(&read_err), ["None", "TransactionConflict"]);
    assert_eq!(
        read_err.message(),
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]"
    );
    // The cancelled transaction gave k0 back and wrote nothing.
    store
        .put_item(
            wire::from_value(
                json!({"TableName": "tab", "Item": {"p": {"S": "k0"}, "n": {"N": "5"}}}),
            )
            .unwrap(),
        )
        .unwrap();
    txn.release().unwrap();
    assert_eq!(n_of(&store, "k0").as_deref(), Some("5"));
    assert_eq!(n_of(&store, "k1").as_deref(), Some("1"));
    assert_eq!(n_of(&store, "k3").as_deref(), Some("1"));
    assert_eq!(n_of(&store, "k2"), None);
    let table = store.table("tab").unwrap();
    assert_eq!(table.slot_count() as u64, table.item_count());
}

#[test]
fn a_token_cancelled_by_a_conflict_can_run_again() {
    let store = store();
    let txn = set_n_in_flight(&store, &["k1"], 1);
    let request = json!({"TransactItems": [
        {"Update": {"TableName": "tab", "Key": key("k1"),
            "UpdateExpression": "SET n = n + :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}}],
        "ClientRequestToken": "retry-me"});
    let first = store
        .transact_write_items(wire::from_value(request.clone()).unwrap())
        .unwrap_err();
    assert_eq!(codes(&first), ["TransactionConflict"]);
    txn.release().unwrap();
    store
        .transact_write_items(wire::from_value(request.clone()).unwrap())
        .unwrap();
    // Now a replay: applied once.
    store
        .transact_write_items(wire::from_value(request).unwrap())
        .unwrap();
    assert_eq!(n_of(&store, "k1").as_deref(), Some("2"));
}

#[test]
fn batch_writes_wait_for_a_transaction() {
    let store = store();
    let txn = set_n_in_flight(&store, &["k1"], 1);
    let batch = {
        let store = store.clone();
        thread::spawn(move || {
            store.batch_write_item(
                wire::from_value(json!({"RequestItems": {"tab": [
                    {"PutRequest": {"Item": {"p": {"S": "k1"}, "n": {"N": "2"}}}},
                    {"DeleteRequest": {"Key": key("k3")}}]}}))
                .unwrap(),
            )
        })
    };
    // The batch waits for the transaction's hold (no failure, no write).
    slot_of(&store, "k1").wait_for_waiters(1);
    txn.release().unwrap();
    batch.join().unwrap().unwrap();
    // The batch's put came after the transaction's update.
    assert_eq!(n_of(&store, "k1").as_deref(), Some("2"));
    assert_eq!(n_of(&store, "k3"), None);
}

#[test]
fn writers_wait_for_a_transact_get_snapshot() {
    let store = store();
    let snapshot = {
        let store = store.clone();
        in_flight(move || read(&store, &["k1", "k3"]))
    };
    let (update, put) = {
        let (a, b) = (store.clone(), store.clone());
        (
            thread::spawn(move || set_n(&a, &["k3"], 7)),
            thread::spawn(move || a_put(&b, "k1", "8")),
        )
    };
    slot_of(&store, "k3").wait_for_waiters(1);
    slot_of(&store, "k1").wait_for_waiters(1);
    let seen = snapshot.release().unwrap();
    update.join().unwrap().unwrap();
    put.join().unwrap().unwrap();
    let n = |r: &ItemResponse| r.item.as_ref().unwrap()["n"].as_n().unwrap().to_string();
    assert_eq!(seen.responses.iter().map(n).collect::<Vec<_>>(), ["0", "0"]);
    assert_eq!(n_of(&store, "k1").as_deref(), Some("8"));
    assert_eq!(n_of(&store, "k3").as_deref(), Some("7"));
}

fn a_put(store: &Store, p: &str, n: &str) -> Result<(), Error> {
    store
        .put_item(
            wire::from_value(json!({"TableName": "tab", "Item": {"p": {"S": p}, "n": {"N": n}}}))
                .unwrap(),
        )
        .map(|_| ())
}

#[test]
fn transactions_and_writes_wait_for_a_brief_hold() {
    let store = store();
    let table = store.table("tab").unwrap();
    let k1 = table
        .schema()
        .key_of_map(&wire::from_value(key("k1")).unwrap())
        .unwrap();
    let slot = table.slot(&k1);
    type Writer = fn(&Store) -> Result<(), Error>;
    let writers: [Writer; 3] = [
        |store| set_n(store, &["k1"], 3).map(|_| ()),
        |store| read(store, &["k1"]).map(|_| ()),
        |store| a_put(store, "k1", "4"),
    ];
    // One at a time: two waiters could meet each other once the hold is
    // given back (a put finding the transaction's hold fails, rightly).
    for writer in writers {
        let brief = slot.lock().unwrap(); // as a PutItem would hold it
        let waiting = thread::spawn({
            let store = store.clone();
            move || writer(&store)
        });
        slot.raw().wait_for_waiters(1);
        drop(brief);
        waiting.join().unwrap().unwrap();
    }
    assert_eq!(n_of(&store, "k1").as_deref(), Some("4"));
}
