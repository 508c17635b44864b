//! `dynacond partiql`: a statement, its table's key and items on standard
//! input; ExecuteStatement's reply and the table afterwards on standard
//! output; exit code 0 success, 2 error.

use crate::common;

use common::cli::run;
use serde_json::{Value, json};

fn partiql(request: &Value) -> common::cli::Run {
    run(&["partiql"], &request.to_string())
}

fn table(statement: &str) -> Value {
    json!({
        "Statement": statement,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "Items": [
            {"pk": {"S": "u1"}, "visits": {"N": "41"}},
            {"pk": {"S": "u2"}, "visits": {"N": "7"}}
        ]
    })
}

#[test]
fn a_write_prints_its_returning_and_the_table_after() {
    let mut request =
        table("UPDATE \"users\" SET visits = visits + 1 WHERE pk = ? RETURNING MODIFIED NEW *");
    request["Parameters"] = json!([{"S": "u1"}]);
    let r = partiql(&request);
    assert_eq!(r.code, 0, "{r:?}");
    let out = r.json();
    assert_eq!(out["Items"], json!([{"visits": {"N": "42"}}]));
    let mut visits: Vec<&str> = out["Table"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["visits"]["N"].as_str().unwrap())
        .collect();
    visits.sort_unstable();
    assert_eq!(visits, ["42", "7"]);
}

#[test]
fn a_select_pages_with_limit() {
    let mut request = table("SELECT pk FROM users");
    request["Limit"] = json!(1);
    let out = partiql(&request).json();
    assert_eq!(out["Items"].as_array().unwrap().len(), 1);
    assert!(out["NextToken"].is_string(), "{out}");
}

#[test]
fn errors_are_dynamodb_error_bodies() {
    let r = partiql(&table("INSERT INTO users VALUE {'pk': 'u1'}"));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.json(),
        json!({"__type": "com.amazonaws.dynamodb.v20120810#DuplicateItemException",
               "message": "Duplicate primary key exists in table"})
    );
    let r = partiql(&table("SELECT * FROM users WHERE"));
    assert_eq!(
        r.json()["message"],
        "Statement wasn't well formed, can't be processed: Unexpected term"
    );
    let r = run(&["partiql", "--lines"], "{}\n{\"Statement\": 1}\n");
    assert_eq!(r.code, 0);
    assert_eq!(r.lines().len(), 2, "{r:?}");
}

#[test]
fn the_help_example_works() {
    for args in [&["partiql", "--help"][..], &["help", "partiql"]] {
        let help = run(args, "").stdout;
        let (_, example) = help.split_once("echo '").expect("an echo example");
        let (request, after) = example.split_once("' | dynacond partiql").expect("a pipe");
        let expected = after.lines().nth(1).unwrap().trim();
        let r = run(&["partiql"], request);
        assert_eq!(r.stdout.trim_end(), expected, "{request}");
        assert_eq!(r.code, 0);
    }
}
