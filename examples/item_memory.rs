//! Memory per stored item: the growth of this process's resident set (RSS,
//! Linux `/proc/self/statm`) while a store takes COUNT items of the shape
//! issue 16 measures (`pk` S `user#00000000`, `n` N, `s` S), divided by
//! COUNT; with `--payload BYTES`, `s` holds that many bytes (e.g. 1000 for
//! items of about 1 KB).
//!
//! `cargo run --release --example item_memory -- [COUNT] [--payload BYTES]`
//! (default 1,000,000 items, `s` = `some text`).

use std::io::Write as _;
use std::process::ExitCode;

use dynacond::api::{CreateTableInput, PutItemInput};
use dynacond::{AttributeValue, Item, ScalarType, Store};

/// The resident set in bytes (pages of 4 KiB), if the system tells it.
fn rss() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn main() -> ExitCode {
    let mut count: u64 = 1_000_000;
    let mut payload: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--payload" {
            payload = args.next().and_then(|n| n.parse().ok());
        } else if let Ok(n) = arg.parse() {
            count = n;
        }
    }
    let s = payload.map_or_else(|| "some text".to_owned(), |n| "x".repeat(n));
    let store = Store::new();
    let table = CreateTableInput::new("mem").with_hash_key("pk", ScalarType::S);
    if let Err(e) = store.create_table(table) {
        eprintln!("item_memory: {e}");
        return ExitCode::FAILURE;
    }
    let Some(before) = rss() else {
        eprintln!("item_memory: no /proc/self/statm on this system");
        return ExitCode::FAILURE;
    };
    for i in 0..count {
        let mut item = Item::new();
        item.insert("pk".into(), AttributeValue::S(format!("user#{i:08}")));
        item.insert("n".into(), AttributeValue::n(i));
        item.insert("s".into(), AttributeValue::s(s.as_str()));
        if let Err(e) = store.put_item(PutItemInput::new("mem", item)) {
            eprintln!("item_memory: {e}");
            return ExitCode::FAILURE;
        }
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
        grown as f64 / 1e6,
        grown as f64 / count.max(1) as f64
    );
    ExitCode::SUCCESS
}
