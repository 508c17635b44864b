//! `dynacond partiql`: run a PartiQL statement against a table of items.

use std::process::ExitCode;

use dynacond::api::{CreateTableInput, ExecuteStatementInput, ScanInput};
use dynacond::{Error, Item, Store, wire};
use serde_json::{Value, json};

use crate::output::run_command;

pub const HELP: &str = "\
Run a PartiQL statement (ExecuteStatement) against a table of items

Usage: dynacond partiql [--lines]

Reads one JSON request from standard input with the members
  Statement             the statement (required); its FROM names the table
  Parameters            [<DynamoDB JSON value>, ...], the values of its `?` (optional)
  KeySchema             the table's key, as CreateTable takes it (required)
  AttributeDefinitions  the key attributes' types, as CreateTable takes them (required)
  Items                 [<item in DynamoDB JSON>, ...], the table before (optional)
  Limit, NextToken, ConsistentRead, ReturnValuesOnConditionCheckFailure
                        as ExecuteStatement takes them (optional)
and prints one JSON line: ExecuteStatement's reply with the table's items
after the statement beside it, {\"Items\": [...], \"Table\": [...]}, or
DynamoDB's error body {\"__type\": \"...#ValidationException\", \"message\": \"...\"}.

The statement runs on an in-memory store holding just that table, exactly as
`dynacond serve` runs it (write conditions, RETURNING, ORDER BY, NextToken).
Exit code: 0 success, 2 error.

Options:
  --lines    Read one request per line and answer each on its own line (each
             on a fresh table); a bad line gets an error answer (exit code 0)
  -h, --help Print help

Example:
  echo '{\"Statement\": \"UPDATE \\\"users\\\" SET visits = visits + 1 WHERE pk = ? RETURNING ALL NEW *\",
         \"Parameters\": [{\"S\": \"u1\"}],
         \"KeySchema\": [{\"AttributeName\": \"pk\", \"KeyType\": \"HASH\"}],
         \"AttributeDefinitions\": [{\"AttributeName\": \"pk\", \"AttributeType\": \"S\"}],
         \"Items\": [{\"pk\": {\"S\": \"u1\"}, \"visits\": {\"N\": \"41\"}}]}' | dynacond partiql
  {\"Items\":[{\"pk\":{\"S\":\"u1\"},\"visits\":{\"N\":\"42\"}}],\"Table\":[{\"pk\":{\"S\":\"u1\"},\"visits\":{\"N\":\"42\"}}]}
";

/// The request members besides ExecuteStatement's own.
const TABLE_MEMBERS: [&str; 3] = ["KeySchema", "AttributeDefinitions", "Items"];

fn answer(input: &[u8]) -> Result<Value, Error> {
    let request: Value = serde_json::from_slice(input)
        .map_err(|_| Error::serialization("The request is not valid JSON"))?;
    let Value::Object(mut members) = request else {
        return Err(Error::serialization("The request must be a JSON object"));
    };
    let mut table = serde_json::Map::new();
    for name in TABLE_MEMBERS {
        if let Some(v) = members.remove(name) {
            table.insert(name.to_owned(), v);
        }
    }
    let items: Vec<Item> = match table.remove("Items") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => wire::from_value(v)?,
    };
    let statement: ExecuteStatementInput = wire::from_value(Value::Object(members))?;
    let text = statement.statement.clone().unwrap_or_default();
    let parsed = dynacond::partiql::Statement::parse(&text)?;
    let name = parsed.table_name().to_owned();
    table.insert("TableName".into(), json!(name));
    table.insert("BillingMode".into(), json!("PAY_PER_REQUEST"));
    let store = Store::new();
    store.create_table(wire::from_value::<CreateTableInput>(Value::Object(table))?)?;
    for item in items {
        store.put_item(dynacond::api::PutItemInput::new(&name, item))?;
    }
    let reply = store.execute_statement(statement)?;
    let after = store.scan(ScanInput::new(&name))?;
    let mut out = serde_json::to_value(&reply).unwrap_or_default();
    if let Value::Object(members) = &mut out {
        let items = serde_json::to_value(after.items.unwrap_or_default()).unwrap_or_default();
        members.insert("Table".into(), items);
    }
    Ok(out)
}

pub fn run(args: &[String]) -> ExitCode {
    run_command("partiql", HELP, args, answer, |_| 0)
}
