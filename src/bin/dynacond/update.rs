//! `dynacond update`: apply an UpdateExpression to an item.

use std::process::ExitCode;

use dynacond::{Error, update};
use serde_json::json;

use crate::output::run_command;
use crate::request;

pub const HELP: &str = "\
Apply an UpdateExpression to an item, as UpdateItem would

Usage: dynacond update [--lines]

Reads one JSON request from standard input with the members
  UpdateExpression           the update (required)
  ExpressionAttributeNames   {\"#name\": \"attribute\", ...} (optional)
  ExpressionAttributeValues  {\":value\": <DynamoDB JSON value>, ...} (optional)
  Item                       the item, in DynamoDB JSON (optional: absent means
                             the item does not exist)
and prints one JSON line: {\"Item\": <the new item>}, {} when the item did not
exist and the update creates nothing (it only removes or deletes), or DynamoDB's
error body {\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"...\"}.

The update is checked and applied exactly as UpdateItem does: every right-hand
side reads the old item, list indexes refer to the old list, any error changes
nothing. (No key schema is known here, so key attributes may be updated.)
Exit code: 0 applied, 2 error.

Options:
  --lines    Read one request per line and answer each on its own line; a bad
             line gets an error answer and the run goes on (exit code 0)
  -h, --help Print help

Example:
  echo '{\"UpdateExpression\": \"SET visits = visits + :one REMOVE draft\",
         \"ExpressionAttributeValues\": {\":one\": {\"N\": \"1\"}},
         \"Item\": {\"pk\": {\"S\": \"k1\"}, \"visits\": {\"N\": \"41\"}, \"draft\": {\"BOOL\": true}}}' | dynacond update
  {\"Item\":{\"pk\":{\"S\":\"k1\"},\"visits\":{\"N\":\"42\"}}}
";

fn answer(input: &[u8]) -> Result<serde_json::Value, Error> {
    let r = request::decode(input, "UpdateExpression")?;
    let new = update::check_update(
        &r.expression,
        r.names.as_ref(),
        r.values.as_ref(),
        r.item.as_ref(),
    )?;
    Ok(match new {
        Some(item) => json!({ "Item": serde_json::to_value(&item).unwrap_or_default() }),
        None => json!({}),
    })
}

pub fn run(args: &[String]) -> ExitCode {
    run_command("update", HELP, args, answer, |_| 0)
}
