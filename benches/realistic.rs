//! Requests shaped as users send them, beside the same work written by hand
//! over a `Mutex<BTreeMap>` in the same run (issue 16).
//!
//! Every request is built before its timing starts (`iter_custom` builds a
//! batch, then times only the calls); the hand-written baseline takes the
//! very same prepared inputs (no decoding on either side), reads the same
//! placeholder maps, checks the same condition by hand and writes the same
//! item. Items have three attributes (`pk` S `user#00000042`, `v` N,
//! `payload` S); 10,000 keys are written in turn, so every write is a
//! checked overwrite of a stored item.
//!
//! * `put/*`: PutItem with `ConditionExpression: attribute_not_exists(pk) OR
//!   (#v < :v AND begins_with(payload, :p))`, its names and values (`:v`
//!   grows, so the condition holds).
//! * `update/*`: UpdateItem `SET #v = #v + :inc, payload = :p` with
//!   `attribute_exists(pk)` and `ReturnValues: UPDATED_NEW`.
//! * `query/*`: Query `pk = :pk AND begins_with(sk, :sk)` with
//!   `FilterExpression: #st = :active` on a second table (1,000 partitions
//!   of 10 items; 5 of each partition's 10 pass the filter).
//! * `transact/*`: TransactWriteItems of 4 actions: the conditional Put
//!   above, a transfer between two accounts (`SET #b = #b - :amt` if
//!   `#b >= :amt`, `SET #b = #b + :amt`) and a ConditionCheck
//!   `attribute_exists(pk)` of another user.
//!
//! After criterion, the same columns are measured again in pairs: rounds of
//! a few thousand requests in which the columns take turns, so that each
//! round's ratio compares runs made under the same machine load; the median
//! ratio and its quartiles are printed (`paired put dynacond ... ratio
//! 2.90x (quartiles ...)`). `DYNACOND_PAIRED_ROUNDS` sets the rounds (30;
//! 0 skips them).
//!
//! Ratio to read: `<group>/dynacond` over `<group>/mutex_btreemap`. Times
//! are this thread's CPU time on Unix (wall time elsewhere, or with
//! `DYNACOND_BENCH_WALL=1`): on a shared machine, time spent waiting for a
//! core is not the request's.
//! `put/dynacond_uncached` is the same PutItem on a store built without an
//! expression cache (`StoreBuilder::expression_cache(0)`): what the cache
//! saves. `cargo bench --bench realistic -- --warm-up-time 1
//! --measurement-time 3`; `benches/ratios.sh` prints the ratios.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup may unwrap and index: a failure there should stop the run"
)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::Criterion;
use dynacond::api::{
    ConditionCheck, CreateTableInput, Put, PutItemInput, QueryInput, TransactWriteItem,
    TransactWriteItemsInput, Update, UpdateItemInput,
};
use dynacond::{AttributeValue, Item, Number, ScalarType, Store};

const TABLE: &str = "bench";
const EVENTS: &str = "events";
const KEYS: u64 = 10_000;
const PARTITIONS: u64 = 1_000;
const CONDITION: &str = "attribute_not_exists(pk) OR (#v < :v AND begins_with(payload, :p))";

fn user(k: u64) -> String {
    format!("user#{k:08}")
}

fn item(pk: String, v: u64) -> Item {
    let mut item = Item::new();
    item.insert("pk".into(), AttributeValue::S(pk));
    item.insert("v".into(), AttributeValue::n(v));
    item.insert(
        "payload".into(),
        AttributeValue::s("payload: some thirty bytes of text"),
    );
    item
}

fn key(pk: String) -> Item {
    let mut key = Item::new();
    key.insert("pk".into(), AttributeValue::S(pk));
    key
}

fn account(k: u64) -> String {
    format!("acct#{k:08}")
}

/// The conditional put of request number `n`.
fn put_request(n: u64) -> PutItemInput {
    PutItemInput::new(TABLE, item(user(n % KEYS), n))
        .with_condition(CONDITION)
        .with_name("#v", "v")
        .with_value(":v", AttributeValue::n(n))
        .with_value(":p", AttributeValue::s("payload"))
}

fn update_request(n: u64) -> UpdateItemInput {
    UpdateItemInput::new(TABLE, key(user(n % KEYS)))
        .with_update("SET #v = #v + :inc, payload = :p")
        .with_condition("attribute_exists(pk)")
        .with_name("#v", "v")
        .with_value(":inc", AttributeValue::n(1))
        .with_value(":p", AttributeValue::s("payload: updated"))
        .with_return_values("UPDATED_NEW")
}

fn query_request(n: u64) -> QueryInput {
    QueryInput::new(EVENTS, "pk = :pk AND begins_with(sk, :sk)")
        .with_filter("#st = :active")
        .with_name("#st", "status")
        .with_value(":pk", AttributeValue::S(user(n % PARTITIONS)))
        .with_value(":sk", AttributeValue::s("evt#"))
        .with_value(":active", AttributeValue::s("active"))
}

fn transact_request(n: u64) -> TransactWriteItemsInput {
    let put = Put::new(TABLE, item(user(n % KEYS), n))
        .with_condition(CONDITION)
        .with_name("#v", "v")
        .with_value(":v", AttributeValue::n(n))
        .with_value(":p", AttributeValue::s("payload"));
    let debit = Update::new(TABLE, key(account(n % KEYS)), "SET #b = #b - :amt")
        .with_condition("#b >= :amt")
        .with_name("#b", "balance")
        .with_value(":amt", AttributeValue::n(1));
    let credit = Update::new(TABLE, key(account((n + 1) % KEYS)), "SET #b = #b + :amt")
        .with_name("#b", "balance")
        .with_value(":amt", AttributeValue::n(1));
    let check = ConditionCheck::new(
        TABLE,
        key(user((n + KEYS / 2) % KEYS)),
        "attribute_exists(pk)",
    );
    TransactWriteItemsInput {
        transact_items: Some(vec![
            TransactWriteItem::from(put),
            debit.into(),
            credit.into(),
            check.into(),
        ]),
        ..Default::default()
    }
}

fn event(p: u64, e: u64) -> Item {
    let mut item = Item::new();
    item.insert("pk".into(), AttributeValue::S(user(p)));
    item.insert("sk".into(), AttributeValue::S(format!("evt#{e:04}")));
    let status = if e % 2 == 0 { "active" } else { "done" };
    item.insert("status".into(), AttributeValue::s(status));
    item.insert("payload".into(), AttributeValue::s("event payload text"));
    item
}

fn accounts_item(k: u64) -> Item {
    let mut item = key(account(k));
    item.insert("balance".into(), AttributeValue::n(1_000_000_000u64));
    item
}

/// A store holding the users, the accounts and the events; `cache`: the
/// expression cache's capacity (0: none).
fn new_store(cache: usize) -> Store {
    let store = Store::builder().expression_cache(cache).build().unwrap();
    store
        .create_table(CreateTableInput::new(TABLE).with_hash_key("pk", ScalarType::S))
        .unwrap();
    store
        .create_table(
            CreateTableInput::new(EVENTS)
                .with_hash_key("pk", ScalarType::S)
                .with_range_key("sk", ScalarType::S),
        )
        .unwrap();
    for k in 0..KEYS {
        store
            .put_item(PutItemInput::new(TABLE, item(user(k), 0)))
            .unwrap();
        store
            .put_item(PutItemInput::new(TABLE, accounts_item(k)))
            .unwrap();
    }
    for p in 0..PARTITIONS {
        for e in 0..10 {
            store
                .put_item(PutItemInput::new(EVENTS, event(p, e)))
                .unwrap();
        }
    }
    store
}

/// The hand-written store: the same items in a `BTreeMap` per table.
struct Baseline {
    items: Mutex<BTreeMap<String, Item>>,
    events: Mutex<BTreeMap<(String, String), Item>>,
}

fn baseline() -> Baseline {
    let mut items = BTreeMap::new();
    for k in 0..KEYS {
        items.insert(user(k), item(user(k), 0));
        items.insert(account(k), accounts_item(k));
    }
    let mut events = BTreeMap::new();
    for p in 0..PARTITIONS {
        for e in 0..10 {
            let it = event(p, e);
            events.insert((user(p), format!("evt#{e:04}")), it);
        }
    }
    Baseline {
        items: Mutex::new(items),
        events: Mutex::new(events),
    }
}

fn s<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name).and_then(AttributeValue::as_s)
}

fn n<'a>(item: &'a Item, name: &str) -> Option<&'a Number> {
    item.get(name).and_then(AttributeValue::as_n)
}

/// `attribute_not_exists(pk) OR (#v < :v AND begins_with(payload, :p))`, by
/// hand, with the request's maps.
fn put_condition(
    old: Option<&Item>,
    names: &dynacond::placeholders::ExpressionAttributeNames,
    values: &dynacond::placeholders::ExpressionAttributeValues,
) -> bool {
    let Some(old) = old else { return true };
    let v = values.get(":v").and_then(AttributeValue::as_n);
    let p = values.get(":p").and_then(AttributeValue::as_s);
    let below = match (n(old, &names["#v"]), v) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    };
    below
        && match (s(old, "payload"), p) {
            (Some(a), Some(b)) => a.starts_with(b),
            _ => false,
        }
}

impl Baseline {
    fn put(&self, input: PutItemInput) -> Option<Item> {
        let item = input.item.unwrap();
        let names = input.expression_attribute_names.unwrap();
        let values = input.expression_attribute_values.unwrap();
        let pk = s(&item, "pk").unwrap();
        let mut map = self.items.lock().unwrap();
        // One search: replace in place, or insert a new key.
        match map.get_mut(pk) {
            Some(old) => {
                assert!(put_condition(Some(old), &names, &values));
                Some(std::mem::replace(old, item))
            }
            None => {
                assert!(put_condition(None, &names, &values));
                map.insert(pk.to_owned(), item)
            }
        }
    }

    fn update(&self, input: UpdateItemInput) -> Item {
        let key = input.key.unwrap();
        let names = input.expression_attribute_names.unwrap();
        let values = input.expression_attribute_values.unwrap();
        let pk = s(&key, "pk").unwrap();
        let v_name = &names["#v"];
        let mut map = self.items.lock().unwrap();
        let item = map.get_mut(pk).expect("attribute_exists(pk)");
        let inc = values[":inc"].as_n().unwrap();
        let v = n(item, v_name).unwrap().checked_add(inc).unwrap();
        item.insert(v_name.clone(), AttributeValue::N(v));
        item.insert("payload".into(), values[":p"].clone());
        let mut new = Item::new();
        new.insert(v_name.clone(), AttributeValue::N(v));
        new.insert("payload".into(), values[":p"].clone());
        new
    }

    fn query(&self, input: QueryInput) -> Vec<Item> {
        let names = input.expression_attribute_names.unwrap();
        let values = input.expression_attribute_values.unwrap();
        let pk = values[":pk"].as_s().unwrap();
        let prefix = values[":sk"].as_s().unwrap();
        let active = &values[":active"];
        let status = &names["#st"];
        let map = self.events.lock().unwrap();
        map.range((pk.to_owned(), prefix.to_owned())..)
            .take_while(|((p, sk), _)| p == pk && sk.starts_with(prefix))
            .filter(|(_, item)| item.get(status) == Some(active))
            .map(|(_, item)| item.clone())
            .collect()
    }

    fn transact(&self, input: TransactWriteItemsInput) {
        let mut actions = input.transact_items.unwrap().into_iter();
        let put = actions.next().unwrap().put.unwrap();
        let debit = actions.next().unwrap().update.unwrap();
        let credit = actions.next().unwrap().update.unwrap();
        let check = actions.next().unwrap().condition_check.unwrap();
        let item = put.item.unwrap();
        let pk = s(&item, "pk").unwrap().to_owned();
        let (names, values) = (
            put.expression_attribute_names.unwrap(),
            put.expression_attribute_values.unwrap(),
        );
        let (from, to) = (debit.key.unwrap(), credit.key.unwrap());
        let (from, to) = (s(&from, "pk").unwrap(), s(&to, "pk").unwrap());
        let balance = &debit.expression_attribute_names.as_ref().unwrap()["#b"];
        let amount = debit.expression_attribute_values.as_ref().unwrap()[":amt"]
            .as_n()
            .unwrap();
        let credit_amount = credit.expression_attribute_values.as_ref().unwrap()[":amt"]
            .as_n()
            .unwrap();
        let checked = check.key.unwrap();
        let checked = s(&checked, "pk").unwrap();

        let mut map = self.items.lock().unwrap();
        // Every condition first, then every write: all or nothing.
        assert!(put_condition(map.get(&pk), &names, &values));
        let debited = n(&map[from], balance).unwrap();
        assert!(debited >= amount);
        let debited = debited.checked_sub(amount).unwrap();
        let credited = n(&map[to], balance)
            .unwrap()
            .checked_add(credit_amount)
            .unwrap();
        assert!(map.contains_key(checked));
        let old = map.insert(pk, item);
        map.get_mut(from)
            .unwrap()
            .insert(balance.clone(), AttributeValue::N(debited));
        map.get_mut(to)
            .unwrap()
            .insert(balance.clone(), AttributeValue::N(credited));
        drop(map);
        black_box(old);
    }
}

/// The clock: this thread's CPU time on Unix (`CLOCK_THREAD_CPUTIME_ID`),
/// so that the other load of a shared machine does not count while this
/// thread waits for a core; wall time elsewhere, or with
/// `DYNACOND_BENCH_WALL=1`.
#[derive(Clone, Copy)]
enum Clock {
    #[cfg(unix)]
    Cpu,
    Wall(Instant),
}

impl Clock {
    fn choose() -> Clock {
        #[cfg(unix)]
        if std::env::var_os("DYNACOND_BENCH_WALL").is_none() {
            return Clock::Cpu;
        }
        Clock::Wall(Instant::now())
    }

    fn now(self) -> Duration {
        match self {
            #[cfg(unix)]
            Clock::Cpu => {
                let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
                Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
            }
            Clock::Wall(origin) => origin.elapsed(),
        }
    }
}

/// How many requests are built at a time: a few hundred, so that the
/// allocator reuses what the previous batch freed (building a whole sample's
/// requests at once makes glibc's `free` consolidate chunks in the timed
/// loop, which is no request's cost).
const BATCH: u64 = 256;

/// Times `run` over `iters` requests made by `make`, each batch built
/// before the clock runs; `next` numbers the requests across calls.
fn timed<R>(iters: u64, next: &mut u64, make: fn(u64) -> R, run: &dyn Fn(R)) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0;
    while done < iters {
        let n = BATCH.min(iters - done);
        let requests: Vec<R> = (0..n).map(|i| make(*next + i)).collect();
        *next += n;
        done += n;
        let clock = Clock::choose();
        let start = clock.now();
        for r in requests {
            run(r);
        }
        total += clock.now().saturating_sub(start);
    }
    total
}

/// One workload: its criterion group, how request number `n` is made, the
/// first request number, and the columns (`dynacond` first, the
/// hand-written `mutex_btreemap` last).
struct Workload<'a, R> {
    group: &'static str,
    make: fn(u64) -> R,
    first: u64,
    columns: Vec<(&'static str, Column<'a, R>)>,
}

type Column<'a, R> = Box<dyn Fn(R) + 'a>;

impl<R> Workload<'_, R> {
    fn bench(&self, c: &mut Criterion) {
        let mut group = c.benchmark_group(self.group);
        for (name, run) in &self.columns {
            let mut next = self.first;
            group.bench_function(*name, |b| {
                b.iter_custom(|iters| timed(iters, &mut next, self.make, run))
            });
        }
        group.finish();
    }

    /// The paired measurement: `rounds` rounds of `per_round` requests in
    /// each column, the columns taking turns (in alternating order), so
    /// that every round's ratio compares runs made under the same load.
    /// Prints each column's median time per request and the median and
    /// quartiles of the rounds' ratios to the last column.
    fn paired(&self, rounds: usize, per_round: u64, first: u64) {
        let columns = self.columns.len();
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); columns];
        let mut next = vec![first; columns];
        for round in 0..rounds {
            let order: Vec<usize> = if round % 2 == 0 {
                (0..columns).collect()
            } else {
                (0..columns).rev().collect()
            };
            for i in order {
                let t = timed(per_round, &mut next[i], self.make, &self.columns[i].1);
                times[i].push(t.as_nanos() as f64 / per_round as f64);
            }
        }
        let baseline = &times[columns - 1];
        for (i, (name, _)) in self.columns.iter().enumerate() {
            let mut ratios: Vec<f64> = times[i].iter().zip(baseline).map(|(t, b)| t / b).collect();
            let median = quantile(&mut times[i].clone(), 0.5);
            println!(
                "paired {:<9} {:<18} {:>9.0} ns/request  {:>9.0}/s  ratio {:.2}x (quartiles {:.2}-{:.2})",
                self.group,
                name,
                median,
                1e9 / median,
                quantile(&mut ratios, 0.5),
                quantile(&mut ratios, 0.25),
                quantile(&mut ratios, 0.75),
            );
        }
    }
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((values.len() - 1) as f64 * q).round() as usize;
    values[i]
}

fn main() {
    let store = new_store(dynacond::store::DEFAULT_EXPRESSION_CACHE_ENTRIES);
    let uncached = new_store(0);
    let hand = baseline();
    let expected = store.query(query_request(7)).unwrap();
    assert_eq!((expected.count, expected.scanned_count), (5, 10));
    assert_eq!(hand.query(query_request(7)).len(), 5);

    // Request numbers: the puts' `:v` must pass every `v` stored before
    // (0 at first; the transactions' puts come after the puts' columns).
    let put = Workload {
        group: "put",
        make: put_request,
        first: 1,
        columns: vec![
            (
                "dynacond",
                Box::new(|r| {
                    black_box(store.put_item(r).unwrap());
                }),
            ),
            (
                "dynacond_uncached",
                Box::new(|r| {
                    black_box(uncached.put_item(r).unwrap());
                }),
            ),
            (
                "mutex_btreemap",
                Box::new(|r| {
                    black_box(hand.put(r));
                }),
            ),
        ],
    };
    let update = Workload {
        group: "update",
        make: update_request,
        first: 0,
        columns: vec![
            (
                "dynacond",
                Box::new(|r| {
                    black_box(store.update_item(r).unwrap());
                }),
            ),
            (
                "mutex_btreemap",
                Box::new(|r| {
                    black_box(hand.update(r));
                }),
            ),
        ],
    };
    let query = Workload {
        group: "query",
        make: query_request,
        first: 0,
        columns: vec![
            (
                "dynacond",
                Box::new(|r| {
                    black_box(store.query(r).unwrap());
                }),
            ),
            (
                "mutex_btreemap",
                Box::new(|r| {
                    black_box(hand.query(r));
                }),
            ),
        ],
    };
    let transact = Workload {
        group: "transact",
        make: transact_request,
        first: 1 << 40,
        columns: vec![
            (
                "dynacond",
                Box::new(|r| {
                    black_box(store.transact_write_items(r).unwrap());
                }),
            ),
            ("mutex_btreemap", Box::new(|r| hand.transact(r))),
        ],
    };

    let mut c = Criterion::default().configure_from_args();
    put.bench(&mut c);
    update.bench(&mut c);
    query.bench(&mut c);
    transact.bench(&mut c);
    c.final_summary();

    // `cargo test --benches` runs this binary without `--bench`: no
    // paired rounds then.
    let rounds = std::env::var("DYNACOND_PAIRED_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    if rounds > 0 && std::env::args().any(|a| a == "--bench") {
        put.paired(rounds, 2000, 1 << 41);
        update.paired(rounds, 2000, 0);
        query.paired(rounds, 500, 0);
        transact.paired(rounds, 500, 1 << 42);
    }
}
