//! Fixture files: tables and items in, all or nothing, errors with their
//! position.

use std::path::PathBuf;

use dynacond::Store;
use dynacond::api::{DescribeTableInput, GetItemInput};
use dynacond::wire;

const GOOD: &str = r#"{
  "tables": [
    {
      "table": {"TableName": "users", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                                         {"AttributeName": "email", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "by_email",
                    "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"}}]},
      "items": [
        {"id": {"S": "u1"}, "email": {"S": "ada@example.com"}},
        {"id": {"S": "u2"}, "email": {"S": "bob@example.com"}, "tags": {"SS": ["a", "b"]}}
      ]
    },
    {
      "table": {"TableName": "orders", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "user", "KeyType": "HASH"},
                              {"AttributeName": "n", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "user", "AttributeType": "S"},
                                         {"AttributeName": "n", "AttributeType": "N"}]}
    }
  ]
}"#;

fn item(json: &str) -> dynacond::Item {
    wire::item_from_json(json.as_bytes()).unwrap()
}

fn tables(store: &Store) -> Vec<String> {
    store.list_tables(Default::default()).unwrap().table_names
}

#[test]
fn a_good_file_creates_its_tables_and_items() {
    let store = Store::new();
    let report = store.load_fixtures(GOOD).unwrap();
    assert_eq!(report.tables.len(), 2);
    assert_eq!(
        (report.tables[0].name.as_str(), report.tables[0].items),
        ("users", 2)
    );
    assert_eq!(report.items(), 2);
    assert_eq!(tables(&store), ["orders", "users"]);
    let got = store
        .get_item(GetItemInput::new("users", item(r#"{"id": {"S": "u2"}}"#)))
        .unwrap()
        .item
        .unwrap();
    assert_eq!(got["tags"], item(r#"{"t": {"SS": ["b", "a"]}}"#)["t"]);
    let described = store
        .describe_table(DescribeTableInput::new("users"))
        .unwrap()
        .table;
    let index = &described.global_secondary_indexes.unwrap()[0];
    assert_eq!(index.item_count, 2);
}

#[test]
fn bad_json_is_reported_at_its_line_and_column() {
    let store = Store::new();
    let broken = GOOD.replacen(r#""u2"}"#, r#""u2"#, 1);
    let e = store.load_fixtures(&broken).unwrap_err();
    assert_eq!(e.type_name(), "ValidationException");
    assert!(e.message().starts_with("fixtures: line 13, column"), "{e}");
    let e = store
        .load_fixtures(r#"{"tables": [{"table": {}, "itmes": []}]}"#)
        .unwrap_err();
    assert!(e.message().contains("unknown field `itmes`"), "{e}");
    assert!(e.message().starts_with("fixtures: line 1, column"), "{e}");
    assert!(tables(&store).is_empty());
    let e = store.load_fixtures(b"\xff").unwrap_err();
    assert!(e.message().contains("not UTF-8"), "{e}");
}

#[test]
fn a_bad_item_names_its_table_index_and_position_and_nothing_is_loaded() {
    let store = Store::new();
    // The second table is fine; the first table's second item lacks its key.
    let bad = GOOD.replacen(r#"{"id": {"S": "u2"}, "#, r#"{"#, 1);
    let e = store.load_fixtures(&bad).unwrap_err();
    assert_eq!(
        e.message(),
        "fixtures: tables[0] (users), item 1 at line 13, column 9: One or more parameter values were invalid: Missing the key id in the item"
    );
    assert!(tables(&store).is_empty());
    // A bad value: DynamoDB's own message.
    let bad = GOOD.replacen(r#"{"SS": ["a", "b"]}"#, r#"{"SS": []}"#, 1);
    let e = store.load_fixtures(&bad).unwrap_err();
    assert!(
        e.message()
            .starts_with("fixtures: tables[0] (users), item 1 at line 13"),
        "{e}"
    );
    assert!(
        e.message().ends_with("An string set  may not be empty"),
        "{e}"
    );
    // A bad table definition.
    let bad = GOOD.replacen(r#""KeyType": "RANGE""#, r#""KeyType": "SIDEWAYS""#, 1);
    let e = store.load_fixtures(&bad).unwrap_err();
    assert!(
        e.message()
            .starts_with("fixtures: tables[1] at line 17, column 16: "),
        "{e}"
    );
    assert!(tables(&store).is_empty());
}

#[test]
fn a_table_twice_or_one_that_exists_is_refused_whole() {
    let store = Store::new();
    let twice = GOOD.replacen(r#""TableName": "orders""#, r#""TableName": "users""#, 1);
    let e = store.load_fixtures(&twice).unwrap_err();
    assert!(e.message().contains("tables[1] at line 17"), "{e}");
    assert!(e.message().contains("Table already exists: users"), "{e}");
    assert!(tables(&store).is_empty());
    store.load_fixtures(GOOD).unwrap();
    let e = store.load_fixtures(GOOD).unwrap_err();
    assert!(e.message().contains("tables[0] at line 4"), "{e}");
    assert!(e.message().ends_with("Table already exists: users"), "{e}");
    assert_eq!(tables(&store), ["orders", "users"]);
    assert_eq!(store.table("users").unwrap().item_count(), 2);
}

/// What `aws dynamodb scan --table-name users --output json` prints.
const SCAN: &str = r#"{
    "Items": [
        {"id": {"S": "s1"}, "n": {"N": "1.50"}},
        {"id": {"S": "s2"}, "b": {"B": "AAEC"}}
    ],
    "Count": 2,
    "ScannedCount": 2,
    "ConsumedCapacity": null
}"#;

fn users_with(items: &str) -> String {
    format!(
        r#"{{"tables": [{{"table": {{"TableName": "users", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{{"AttributeName": "id", "KeyType": "HASH"}}],
            "AttributeDefinitions": [{{"AttributeName": "id", "AttributeType": "S"}}]}},
          "items": {items}}}]}}"#
    )
}

#[test]
fn scan_output_is_accepted_inline_and_from_a_file() {
    let store = Store::new();
    let report = store.load_fixtures(users_with(SCAN)).unwrap();
    assert_eq!(report.items(), 2);
    let s1 = store
        .get_item(GetItemInput::new("users", item(r#"{"id": {"S": "s1"}}"#)))
        .unwrap()
        .item
        .unwrap();
    assert_eq!(s1["n"], item(r#"{"n": {"N": "1.5"}}"#)["n"]);

    let folder = std::env::temp_dir().join(format!("dynacond-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let fixture: PathBuf = folder.join("fixture.json");
    std::fs::write(folder.join("users-scan.json"), SCAN).unwrap();
    std::fs::write(&fixture, users_with(r#""users-scan.json""#)).unwrap();
    let other = Store::new();
    assert_eq!(other.load_fixtures_file(&fixture).unwrap().items(), 2);
    // A bad item in the scan file is reported in that file.
    std::fs::write(folder.join("users-scan.json"), SCAN.replace("AAEC", "!!")).unwrap();
    let e = Store::new().load_fixtures_file(&fixture).unwrap_err();
    assert!(
        e.message()
            .contains("users-scan.json: tables[0] (users), item 1 at line 4, column 9"),
        "{e}"
    );
    // An object that is no scan output.
    let e = Store::new()
        .load_fixtures(users_with(r#"{"Rows": []}"#))
        .unwrap_err();
    assert!(
        e.message().contains("must be `aws dynamodb scan` output"),
        "{e}"
    );
    std::fs::remove_dir_all(&folder).unwrap();
}
