//! `dynacond item`: validate and normalise items.

use std::process::ExitCode;

use dynacond::{Error, Item, item_size, validate_item, wire};
use serde_json::json;

use crate::output::run_command;

pub const HELP: &str = "\
Validate an item in DynamoDB JSON and print it in canonical form

Usage: dynacond item [--lines]

Reads one item in DynamoDB JSON from standard input, checks it with DynamoDB's
rules (value shapes, sets, numbers, nesting, attribute names, the 400 KB limit)
and prints one line: {\"Item\": <the item, numbers in canonical form>, \"Size\": <bytes>}
or DynamoDB's error body. Exit code: 0 valid, 2 invalid.

Options:
  --lines    Read one item per line and answer each on its own line; a bad line
             gets an error answer and the run goes on (exit code 0)
  -h, --help Print help

Example:
  echo '{\"id\": {\"S\": \"k1\"}, \"n\": {\"N\": \"1e3\"}}' | dynacond item
  {\"Item\":{\"id\":{\"S\":\"k1\"},\"n\":{\"N\":\"1000\"}},\"Size\":7}
";

fn answer(input: &[u8]) -> Result<serde_json::Value, Error> {
    let item: Item = wire::item_from_json(input)?;
    validate_item(&item)?;
    Ok(json!({ "Item": serde_json::to_value(&item).unwrap_or_default(), "Size": item_size(&item) }))
}

pub fn run(args: &[String]) -> ExitCode {
    run_command("item", HELP, args, answer, |_| 0)
}
