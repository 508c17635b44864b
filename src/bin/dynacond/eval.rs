//! `dynacond eval`: evaluate a ConditionExpression against an item.

use std::process::ExitCode;

use dynacond::placeholders::{ExpressionAttributeNames, values_from_json};
use dynacond::{Error, Item, eval, wire};
use serde_json::{Value, json};

use crate::output::run_command;

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
error body {\"__type\":\"com.amazonaws.dynamodb.v20120810#ValidationException\",\"message\":\"...\"}.

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

const KNOWN: [&str; 4] = [
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "Item",
];

fn answer(input: &[u8]) -> Result<bool, Error> {
    let request: Value = serde_json::from_slice(input)
        .map_err(|e| Error::serialization(format!("The request is not valid JSON: {e}")))?;
    let Value::Object(members) = &request else {
        return Err(Error::serialization("The request must be a JSON object"));
    };
    if let Some(unknown) = members.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(Error::validation(format!(
            "Unknown request member `{unknown}`; expected ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, Item"
        )));
    }
    let expression = match members.get("ConditionExpression") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => {
            return Err(Error::serialization("ConditionExpression must be a string"));
        }
        None => {
            return Err(Error::validation(
                "1 validation error detected: Value null at 'conditionExpression' failed to satisfy constraint: Member must not be null",
            ));
        }
    };
    let names: Option<ExpressionAttributeNames> = match members.get("ExpressionAttributeNames") {
        None | Some(Value::Null) => None,
        Some(v) => Some(wire::from_value(v.clone())?),
    };
    let values = match members.get("ExpressionAttributeValues") {
        None | Some(Value::Null) => None,
        Some(v) => Some(values_from_json(v)?),
    };
    let item: Option<Item> = match members.get("Item") {
        None | Some(Value::Null) => None,
        Some(v) => Some(wire::from_value(v.clone())?),
    };
    eval::check_condition(expression, names.as_ref(), values.as_ref(), item.as_ref())
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
