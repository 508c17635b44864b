//! Memory per stored item: the growth of this process's resident set (RSS,
//! Linux `/proc/self/statm`) while a store takes COUNT items of the shape
//! issue 16 measures (`pk` S `user#00000000`, `n` N, `s` S), divided by
//! COUNT; with `--payload BYTES`, `s` holds that many bytes (e.g. 1000 for
//! items of about 1 KB).
//!
//! With `--reuse` it then deletes every item (DeleteItem) and puts them all
//! again, then deletes the table (DeleteTable), creates it again and puts
//! them all again, printing the resident set after each step: whether the
//! memory freed by a delete is reused (the allocator keeps freed memory for
//! the process's next allocations rather than returning all of it to the
//! system, so the resident set need not shrink, but it should not grow).
//!
//! `cargo run --release --example item_memory -- [COUNT] [--payload BYTES] [--reuse]`
//! (default 1,000,000 items, `s` = `some text`).

use std::io::Write as _;
use std::process::ExitCode;

use dynacond::api::{CreateTableInput, DeleteItemInput, DeleteTableInput, PutItemInput};
use dynacond::{AttributeValue, Error, Item, ScalarType, Store};

/// The resident set in bytes (pages of 4 KiB), if the system tells it.
fn rss() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn key(i: u64) -> Item {
    let mut item = Item::new();
    item.insert("pk".into(), AttributeValue::S(format!("user#{i:08}")));
    item
}

fn create(store: &Store) -> Result<(), Error> {
    let table = CreateTableInput::new("mem").with_hash_key("pk", ScalarType::S);
    store.create_table(table).map(drop)
}

fn fill(store: &Store, count: u64, s: &str) -> Result<(), Error> {
    for i in 0..count {
        let mut item = key(i);
        item.insert("n".into(), AttributeValue::n(i));
        item.insert("s".into(), AttributeValue::s(s));
        store.put_item(PutItemInput::new("mem", item))?;
    }
    Ok(())
}

fn empty(store: &Store, count: u64) -> Result<(), Error> {
    for i in 0..count {
        store.delete_item(DeleteItemInput::new("mem", key(i)))?;
    }
    Ok(())
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// After the first fill: deletes and refills, printing the resident set.
fn reuse(store: &Store, count: u64, s: &str, before: u64) -> Result<(), Error> {
    let mut out = std::io::stdout();
    let report = |out: &mut std::io::Stdout, step: &str| {
        let now = rss().unwrap_or(before);
        let _ = writeln!(
            out,
            "{step:<44} RSS {:>8.1} MB above the start",
            mb(now.saturating_sub(before))
        );
    };
    empty(store, count)?;
    report(&mut out, "after DeleteItem of every item:");
    fill(store, count, s)?;
    report(&mut out, "after putting them all again:");
    store.delete_table(DeleteTableInput::new("mem"))?;
    // A large table is freed on a thread of its own: give it time.
    std::thread::sleep(std::time::Duration::from_secs(3));
    report(&mut out, "after DeleteTable:");
    create(store)?;
    fill(store, count, s)?;
    report(&mut out, "after CreateTable and putting them all again:");
    Ok(())
}

fn main() -> ExitCode {
    let mut count: u64 = 1_000_000;
    let mut payload: Option<usize> = None;
    let mut again = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--payload" {
            payload = args.next().and_then(|n| n.parse().ok());
        } else if arg == "--reuse" {
            again = true;
        } else if let Ok(n) = arg.parse() {
            count = n;
        }
    }
    let s = payload.map_or_else(|| "some text".to_owned(), |n| "x".repeat(n));
    let store = Store::new();
    if let Err(e) = create(&store) {
        eprintln!("item_memory: {e}");
        return ExitCode::FAILURE;
    }
    let Some(before) = rss() else {
        eprintln!("item_memory: no /proc/self/statm on this system");
        return ExitCode::FAILURE;
    };
    if let Err(e) = fill(&store, count, &s) {
        eprintln!("item_memory: {e}");
        return ExitCode::FAILURE;
    }
    let after = rss().unwrap_or(before);
    let grown = after.saturating_sub(before);
    let size = store
        .table("mem")
        .map(|t| t.item_count())
        .unwrap_or_default();
    let _ = writeln!(
        std::io::stdout(),
        "{count} items ({size} stored, `s` of {} bytes): RSS grew {:.1} MB, {:.0} bytes per item",
        s.len(),
        mb(grown),
        grown as f64 / count.max(1) as f64
    );
    if again {
        if let Err(e) = reuse(&store, count, &s, before) {
            eprintln!("item_memory: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
