//! TTL internals: the state machine with its cooldown, and sweeps meeting
//! held slots, batches and the stop flag.

use std::sync::atomic::AtomicBool;
use std::thread;
use std::time::{Duration, Instant};

use super::expiry::Cutoff;
use super::sweep::{Outcome, sweep_table};
use super::*;
use crate::api::{CreateTableInput, PutItemInput};
use crate::clock::Clock;
use crate::store::table::Hold;
use crate::value::{AttributeValue, Item};

const NOW: i64 = 1_700_000_000_000;
const NOW_SECONDS: i64 = NOW / 1000;

fn store() -> Store {
    let store = Store::builder().clock(Clock::manual(NOW)).build().unwrap();
    store
        .create_table(CreateTableInput::new("tbl").with_hash_key("p", crate::ScalarType::S))
        .unwrap();
    store
        .update_time_to_live(UpdateTimeToLiveInput::enable("tbl", "exp"))
        .unwrap();
    store
}

fn item(p: &str, exp: i64) -> Item {
    let mut item = Item::new();
    item.insert("p".into(), AttributeValue::s(p));
    item.insert("exp".into(), AttributeValue::N(exp.into()));
    item
}

fn key_item(p: &str) -> Item {
    let mut item = Item::new();
    item.insert("p".into(), AttributeValue::s(p));
    item
}

fn put(store: &Store, item: Item) {
    store.put_item(PutItemInput::new("tbl", item)).unwrap();
}

fn cutoff(store: &Store) -> Cutoff {
    Cutoff::at(store.clock().now_millis()).unwrap()
}

#[test]
fn state_rules_in_the_spec_order() {
    let mut state = TtlState::default();
    let cooldown = Some(Duration::from_secs(1860));
    let change = |state: &mut TtlState, a: &str, on: bool, at: i64| {
        state
            .change(a, on, at, cooldown)
            .map_err(|e| e.message().to_owned())
    };
    assert_eq!(
        change(&mut state, "a", false, 0),
        Err(ALREADY_DISABLED.into())
    );
    // The first enable is never refused.
    assert_eq!(change(&mut state, "a", true, 0), Ok(()));
    assert_eq!(state.attribute.as_deref(), Some("a"));
    // Content errors come before the cooldown.
    assert_eq!(
        change(&mut state, "a", true, 1),
        Err(ALREADY_ENABLED.into())
    );
    let other = "TimeToLive is active on a different AttributeName: current AttributeName is a";
    assert_eq!(change(&mut state, "b", true, 1), Err(other.into()));
    assert_eq!(change(&mut state, "b", false, 1), Err(other.into()));
    assert_eq!(change(&mut state, "a", false, 1_000), Err(COOLDOWN.into()));
    // Refused attempts do not extend the window.
    assert_eq!(
        change(&mut state, "a", false, 1_859_999),
        Err(COOLDOWN.into())
    );
    assert_eq!(change(&mut state, "a", false, 1_860_000), Ok(()));
    assert_eq!(
        state,
        TtlState {
            attribute: None,
            changed_millis: Some(1_860_000),
        }
    );
    // A successful disable starts a new window.
    assert_eq!(
        change(&mut state, "b", true, 1_860_001),
        Err(COOLDOWN.into())
    );
    assert_eq!(change(&mut state, "b", true, 3_720_000), Ok(()));
    // Without the option, no window.
    assert_eq!(state.change("b", false, 3_720_000, None), Ok(()));
    assert_eq!(state.description(), TimeToLiveDescription::default());
}

#[test]
fn a_transaction_held_item_is_skipped_until_released() {
    let store = store();
    put(&store, item("k", NOW_SECONDS - 10));
    let table = store.table("tbl").unwrap();
    let key = table.schema.key_of_map(&key_item("k")).unwrap();
    let slot = table.slot(&key);
    let held = slot.lock_as(Hold::Transaction).unwrap();
    let never = AtomicBool::new(false);
    let outcome = sweep_table(&table, &cutoff(&store), &never);
    assert_eq!(
        outcome,
        Outcome {
            expired: 0,
            held: 1
        }
    );
    assert_eq!(store.sweep_expired(), 0);
    drop(held);
    assert_eq!(store.sweep_expired(), 1);
    assert!(table.get(&key).is_none());
}

#[test]
fn a_brief_writer_is_waited_for_and_its_write_rechecked() {
    let store = store();
    put(&store, item("k", NOW_SECONDS - 10));
    let table = store.table("tbl").unwrap();
    let key = table.schema.key_of_map(&key_item("k")).unwrap();
    let slot = table.slot(&key);
    let mut writer = slot.lock().unwrap();
    thread::scope(|s| {
        let sweep = s.spawn(|| store.sweep_expired());
        slot.raw().wait_for_waiters(1);
        // The writer pushes the TTL value into the future before it lets go.
        writer.replace(Some(item("k", NOW_SECONDS + 10)));
        drop(writer);
        assert_eq!(sweep.join().unwrap(), 0);
    });
    assert!(table.get(&key).is_some());
}

#[test]
fn sweeps_walk_every_batch_and_never_the_whole_map_at_once() {
    let store = store();
    for i in 0..1_000 {
        let exp = if i % 3 == 0 {
            NOW_SECONDS - 1 - i
        } else {
            NOW_SECONDS + i
        };
        put(&store, item(&format!("k{i:04}"), exp));
    }
    let table = store.table("tbl").unwrap();
    let walks = table.full_walks();
    assert_eq!(store.sweep_expired(), 334);
    assert_eq!(table.item_count(), 666);
    assert_eq!(store.sweep_expired(), 0);
    assert_eq!(table.full_walks(), walks);
    // A stopped sweep deletes nothing.
    store.clock().advance(Duration::from_secs(2_000));
    assert_eq!(store.sweep_until(&AtomicBool::new(true)), 0);
    assert_eq!(store.sweep_expired(), 666);
    assert_eq!(table.item_count(), 0);
}

#[test]
fn only_ttl_enabled_tables_on_their_attribute_are_swept() {
    let store = store();
    store
        .create_table(CreateTableInput::new("plain").with_hash_key("p", crate::ScalarType::S))
        .unwrap();
    store
        .put_item(PutItemInput::new("plain", item("k", NOW_SECONDS - 10)))
        .unwrap();
    put(&store, item("k", NOW_SECONDS - 10));
    assert_eq!(store.sweep_expired(), 1);
    assert_eq!(store.table("plain").unwrap().item_count(), 1);
    // Enabled on another attribute: `exp` no longer counts.
    store
        .update_time_to_live(UpdateTimeToLiveInput::enable("plain", "other"))
        .unwrap();
    assert_eq!(store.sweep_expired(), 0);
}

#[test]
fn the_background_sweeper_sweeps_until_stopped() {
    let store = store();
    assert_eq!(
        TtlSweeper::spawn(store.clone(), Duration::ZERO)
            .unwrap_err()
            .kind(),
        std::io::ErrorKind::InvalidInput
    );
    let sweeper = TtlSweeper::spawn(store.clone(), Duration::from_millis(5)).unwrap();
    put(&store, item("k", NOW_SECONDS + 60));
    let table = store.table("tbl").unwrap();
    // Not expired at the store's time: it stays, however often it sweeps.
    thread::sleep(Duration::from_millis(30));
    assert_eq!(table.item_count(), 1);
    store.clock().advance(Duration::from_secs(61));
    let start = Instant::now();
    while table.item_count() == 1 && start.elapsed() < Duration::from_secs(10) {
        thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(table.item_count(), 0);
    sweeper.stop();
    // Stopped: nothing is swept any more.
    put(&store, item("k2", NOW_SECONDS));
    thread::sleep(Duration::from_millis(30));
    assert_eq!(table.item_count(), 1);
}
