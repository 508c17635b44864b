//! Fixtures: tables and their items from one JSON file, for a test suite's
//! start ([`Store::load_fixtures`], [`Store::load_fixtures_file`],
//! `dynacond serve --load FILE`).
//!
//! The file is an object with one member, `tables`, a list of entries:
//!
//! ```json
//! {
//!   "tables": [
//!     {
//!       "table": {"TableName": "users",
//!                 "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
//!                 "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
//!                 "BillingMode": "PAY_PER_REQUEST"},
//!       "items": [{"id": {"S": "u1"}, "name": {"S": "Ada"}}]
//!     },
//!     {
//!       "table": {"TableName": "orders", "...": "a whole CreateTable request"},
//!       "items": {"Items": [{"id": {"S": "o1"}}], "Count": 1, "ScannedCount": 1}
//!     },
//!     {
//!       "table": {"TableName": "events", "...": "..."},
//!       "items": "events-scan.json"
//!     }
//!   ]
//! }
//! ```
//!
//! * `table` is a whole CreateTable request in DynamoDB JSON (indexes,
//!   billing, TTL-free: whatever CreateTable takes).
//! * `items` (optional) is a list of items in DynamoDB JSON; or what `aws
//!   dynamodb scan --table-name T --output json` prints (an object with
//!   `Items`; `Count`, `ScannedCount` and the rest are ignored), so real
//!   data can be captured and replayed; or, from a file
//!   ([`Store::load_fixtures_file`], `--load`), the path of a file holding
//!   either, relative to the fixture file.
//!
//! Every item goes through the normal PutItem path (a later item with the
//! same key replaces the earlier one). Loading is all or nothing: the
//! whole file is first run against a scratch store with the same region,
//! account and clock, so every error (bad JSON, a bad table, a bad item, a
//! table defined twice, a table that already exists) is found before the
//! store changes. An error is a `ValidationException` whose message starts
//! with where it is: `fixtures.json: line 3, column 14: ...` for bad JSON,
//! `tables[1] (orders), item 4 at line 20, column 9: ...` for a bad item.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::api::{CreateTableInput, DeleteTableInput, PutItemInput, UpdateTableInput};
use crate::error::Error;
use crate::store::Store;
use crate::value::Item;
use crate::wire;

/// What a fixture load made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// The tables created, in file order.
    pub tables: Vec<LoadedTable>,
}

/// One table a fixture load created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedTable {
    /// The table's name.
    pub name: String,
    /// The items put into it.
    pub items: usize,
}

impl LoadReport {
    /// The items put, over every table.
    pub fn items(&self) -> usize {
        self.tables.iter().map(|t| t.items).sum()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile<'a> {
    #[serde(borrow)]
    tables: Vec<RawEntry<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry<'a> {
    #[serde(borrow)]
    table: &'a RawValue,
    #[serde(borrow, default)]
    items: Option<&'a RawValue>,
}

/// `aws dynamodb scan --output json`: only `Items` is read.
#[derive(Deserialize)]
struct ScanOutput<'a> {
    #[serde(borrow, rename = "Items")]
    items: Vec<&'a RawValue>,
}

/// One table to create and its items, decoded and checked.
struct Planned {
    input: CreateTableInput,
    name: String,
    items: Vec<Item>,
}

/// A text being read: its name for messages and its content.
struct Source<'a> {
    name: &'a str,
    text: &'a str,
}

impl Source<'_> {
    /// `line L, column C` of `part`, a slice of the text.
    fn position(&self, part: &str) -> String {
        let offset = (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        line_column(self.text, offset)
    }

    fn json_error(&self, e: &serde_json::Error) -> Error {
        let text = e.to_string();
        let text = text
            .rfind(" at line ")
            .and_then(|at| text.get(..at))
            .unwrap_or(&text);
        Error::validation(format!(
            "{}: line {}, column {}: {text}",
            self.name,
            e.line(),
            e.column()
        ))
    }
}

/// `line L, column C` (1-based, columns in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, last)| last)
        .chars()
        .count()
        + 1;
    format!("line {line}, column {column}")
}

fn utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|e| {
        Error::validation(format!(
            "{name}: not UTF-8 text (at byte {})",
            e.valid_up_to()
        ))
    })
}

impl Store {
    /// Creates the tables of a fixture file's text and puts their items
    /// (format in [`crate::fixtures`]); nothing is created unless
    /// everything loads. `items` given as a file path are refused here (use
    /// [`Store::load_fixtures_file`]).
    ///
    /// ```
    /// use dynacond::Store;
    ///
    /// let store = Store::new();
    /// let report = store.load_fixtures(r#"{"tables": [{
    ///     "table": {"TableName": "users", "BillingMode": "PAY_PER_REQUEST",
    ///               "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    ///               "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]},
    ///     "items": [{"id": {"S": "u1"}}, {"id": {"S": "u2"}}]}]}"#)?;
    /// assert_eq!(report.items(), 2);
    /// let bad = store.load_fixtures(r#"{"tables": [}"#).unwrap_err();
    /// assert_eq!(bad.message(), "fixtures: line 1, column 13: expected value");
    /// # Ok::<(), dynacond::Error>(())
    /// ```
    pub fn load_fixtures(&self, json: impl AsRef<[u8]>) -> Result<LoadReport, Error> {
        let name = "fixtures";
        let text = utf8(name, json.as_ref())?;
        self.load(Source { name, text }, None)
    }

    /// [`Store::load_fixtures`] from a file; `items` may name files,
    /// relative to this one's folder.
    pub fn load_fixtures_file(&self, path: impl AsRef<Path>) -> Result<LoadReport, Error> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::validation(format!("{name}: cannot read: {e}")))?;
        let text = utf8(&name, &bytes)?;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        self.load(Source { name: &name, text }, Some(&folder))
    }

    fn load(&self, source: Source<'_>, folder: Option<&Path>) -> Result<LoadReport, Error> {
        let planned = self.check_fixtures(&source, folder)?;
        let mut report = LoadReport::default();
        for table in planned {
            if let Err(e) = self.create_table(table.input) {
                self.unload(&report);
                return Err(Error::validation(format!(
                    "{}: table {}: {}",
                    source.name,
                    table.name,
                    e.message()
                )));
            }
            report.tables.push(LoadedTable {
                name: table.name.clone(),
                items: 0,
            });
            for item in table.items {
                if let Err(e) = self.put_item(PutItemInput::new(&table.name, item)) {
                    self.unload(&report);
                    return Err(Error::validation(format!(
                        "{}: table {}: {}",
                        source.name,
                        table.name,
                        e.message()
                    )));
                }
                if let Some(last) = report.tables.last_mut() {
                    last.items += 1;
                }
            }
        }
        Ok(report)
    }

    /// Decodes the file and runs it against a scratch store: every error
    /// the real load could meet, found before the store changes (but a
    /// table created meanwhile by someone else).
    fn check_fixtures(
        &self,
        source: &Source<'_>,
        folder: Option<&Path>,
    ) -> Result<Vec<Planned>, Error> {
        let file: FixtureFile<'_> =
            serde_json::from_str(source.text).map_err(|e| source.json_error(&e))?;
        let scratch = Store::builder()
            .clock(self.clock().clone())
            .region(self.region())
            .account_id(self.account_id())
            .build()?;
        let mut planned = Vec::with_capacity(file.tables.len());
        for (i, entry) in file.tables.iter().enumerate() {
            let at = |e: &Error| {
                Error::validation(format!(
                    "{}: tables[{i}] at {}: {}",
                    source.name,
                    source.position(entry.table.get()),
                    e.message()
                ))
            };
            let input: CreateTableInput = wire::from_str(entry.table.get()).map_err(|e| at(&e))?;
            let name = input.table_name.clone().unwrap_or_default();
            if self.table(&name).is_ok() {
                return Err(at(&Error::ResourceInUse(format!(
                    "Table already exists: {name}"
                ))));
            }
            scratch.create_table(input.clone()).map_err(|e| at(&e))?;
            let items = match entry.items {
                None => Vec::new(),
                Some(raw) => {
                    let label = format!("tables[{i}] ({name})");
                    items_of(source, raw, folder, &label, &scratch, &name)?
                }
            };
            planned.push(Planned { input, name, items });
        }
        Ok(planned)
    }

    /// Deletes the tables a failed load created.
    fn unload(&self, report: &LoadReport) {
        for table in &report.tables {
            // Deletion protection would keep the table: lift it first.
            let lift = UpdateTableInput::new(&table.name).with_deletion_protection(false);
            let _ = self.update_table(lift);
            let _ = self.delete_table(DeleteTableInput::new(&table.name));
        }
    }
}

/// The items of an entry's `items` (a list, a scan output, or a file of
/// either), each decoded and put into the scratch table.
fn items_of(
    source: &Source<'_>,
    raw: &RawValue,
    folder: Option<&Path>,
    label: &str,
    scratch: &Store,
    table: &str,
) -> Result<Vec<Item>, Error> {
    let text = raw.get();
    if text.starts_with('"') {
        let relative: String = serde_json::from_str(text).map_err(|e| source.json_error(&e))?;
        let Some(folder) = folder else {
            return Err(Error::validation(format!(
                "{}: {label} at {}: items from a file ({relative}) need Store::load_fixtures_file",
                source.name,
                source.position(text)
            )));
        };
        let path: PathBuf = folder.join(&relative);
        let name = path.display().to_string();
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::validation(format!("{name}: cannot read: {e}")))?;
        let inner = Source {
            name: &name,
            text: utf8(&name, &bytes)?,
        };
        let raw: &RawValue = serde_json::from_str(inner.text).map_err(|e| inner.json_error(&e))?;
        return decode_items(&inner, raw, label, scratch, table);
    }
    decode_items(source, raw, label, scratch, table)
}

fn decode_items(
    source: &Source<'_>,
    raw: &RawValue,
    label: &str,
    scratch: &Store,
    table: &str,
) -> Result<Vec<Item>, Error> {
    let text = raw.get();
    let listed: Vec<&RawValue> = if text.starts_with('[') {
        serde_json::from_str(text).map_err(|e| source.json_error(&e))?
    } else if text.starts_with('{') {
        let scan: ScanOutput<'_> = serde_json::from_str(text).map_err(|_| {
            Error::validation(format!(
                "{}: {label} at {}: `items` as an object must be `aws dynamodb scan` output, with an `Items` list",
                source.name,
                source.position(text)
            ))
        })?;
        scan.items
    } else {
        return Err(Error::validation(format!(
            "{}: {label} at {}: `items` must be a list of items, scan output or a file name",
            source.name,
            source.position(text)
        )));
    };
    let mut items = Vec::with_capacity(listed.len());
    for (j, raw_item) in listed.into_iter().enumerate() {
        let at = |e: &Error| {
            Error::validation(format!(
                "{}: {label}, item {j} at {}: {}",
                source.name,
                source.position(raw_item.get()),
                e.message()
            ))
        };
        let item: Item = wire::from_str(raw_item.get()).map_err(|e| at(&e))?;
        scratch
            .put_item(PutItemInput::new(table, item.clone()))
            .map_err(|e| at(&e))?;
        items.push(item);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_and_character_columns() {
        let text = "ab\ncdé\nx";
        assert_eq!(line_column(text, 0), "line 1, column 1");
        assert_eq!(line_column(text, 3), "line 2, column 1");
        assert_eq!(line_column(text, text.len() - 1), "line 3, column 1");
        assert_eq!(line_column(text, 7), "line 2, column 4");
    }

    #[test]
    fn items_from_a_file_need_the_file_call() {
        let store = Store::new();
        let e = store
            .load_fixtures(
                r#"{"tables": [{"table": {"TableName": "tab", "BillingMode": "PAY_PER_REQUEST",
                    "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]},
                  "items": "scan.json"}]}"#,
            )
            .unwrap_err();
        assert!(
            e.message().contains("need Store::load_fixtures_file"),
            "{e}"
        );
        assert!(store.table("tab").is_err());
    }
}
