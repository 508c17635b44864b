//! `dynacond eval`: evaluate a ConditionExpression against an item.

use std::process::ExitCode;

use dynacond::explain::Explanation;
use dynacond::{Error, condition as eval};
use serde_json::json;

use crate::output::{run_command, run_with};
use crate::request;

pub const HELP: &str = "\
Evaluate a ConditionExpression against an item, as a conditional write would

Usage: dynacond eval [--lines] [--explain]

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
  --explain  Print why instead of {\"Result\": ...}: the result, then the
             condition as an indented tree, one clause a line (✓ true,
             ✗ false, · not evaluated), each with the values it compared in
             DynamoDB JSON (or missing), type mismatches, and the clauses
             that decided the result marked `← decisive`. With --lines, a
             blank line follows each answer
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

fn explain(input: &[u8]) -> Result<Explanation, Error> {
    let r = request::decode(input, "ConditionExpression")?;
    eval::explain_condition(
        &r.expression,
        r.names.as_ref(),
        r.values.as_ref(),
        r.item.as_ref(),
    )
}

pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--explain") {
        // The text explanation instead of the JSON answer (errors are still
        // DynamoDB's JSON error body), exit codes as without it; with
        // --lines a blank line follows each answer.
        let rest: Vec<String> = args.iter().filter(|a| *a != "--explain").cloned().collect();
        return run_with(
            "eval",
            HELP,
            &rest,
            explain,
            |why: &Explanation| print!("{why}"),
            |why| if why.result() { 0 } else { 1 },
            "\n",
        );
    }
    run_command(
        "eval",
        HELP,
        args,
        |input| answer(input).map(|result| json!({ "Result": result })),
        |v| if v["Result"] == true { 0 } else { 1 },
    )
}
