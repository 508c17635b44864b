//! `dynacond eval`: evaluate a ConditionExpression against an item.

use std::process::ExitCode;

use dynacond::{Error, condition as eval};
use serde_json::json;

use crate::output::run_command;
use crate::request;

pub const HELP: &str = "\
Evaluate a ConditionExpression against an item, as a conditional write would

Usage: dynacond eval [--lines]

Reads one JSON request from standard input with the members
  ConditionExpression        the condition (required)
  ExpressionAttributeNames   {\"#name\": \"attribute\", ...} (optional)
  ExpressionAttributeValues  {\":value\": <DynamoDB JSON value>, ...} (optional)
  Item                       the item, in DynamoDB JSON (optional: absent means
                             the item does not exist)
and prints one JSON line: {\"Result\":true}, {\"Result\":false}, or DynamoDB's
error body {\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"...\"}.

The request is checked exactly as DynamoDB checks a conditional write: syntax,
reserved words, functions, undefined and unused placeholders, operand types,
limits. Exit code: 0 true, 1 false, 2 error.

Options:
  --lines    Read one request per line and answer each on its own line; a bad
             line gets an error answer and the run goes on (exit code 0)
  -h, --help Print help

Example:
  echo '{\"ConditionExpression\": \"attribute_not_exists(pk) OR #v < :max\",
         \"ExpressionAttributeNames\": {\"#v\": \"version\"},
         \"ExpressionAttributeValues\": {\":max\": {\"N\": \"10\"}},
         \"Item\": {\"pk\": {\"S\": \"k1\"}, \"version\": {\"N\": \"3\"}}}' | dynacond eval
  {\"Result\":true}
";

fn answer(input: &[u8]) -> Result<bool, Error> {
    let r = request::decode(input, "ConditionExpression")?;
    eval::check_condition(
        &r.expression,
        r.names.as_ref(),
        r.values.as_ref(),
        r.item.as_ref(),
    )
}

pub fn run(args: &[String]) -> ExitCode {
    run_command(
        "eval",
        HELP,
        args,
        |input| answer(input).map(|result| json!({ "Result": result })),
        |v| if v["Result"] == true { 0 } else { 1 },
    )
}
