//! What a rule matches against: a decoded request's table and entries (the
//! key of an item operation, the entries of a batch, the actions of a
//! transaction), read from the typed input the protocol layer decoded, so
//! the request is decoded once.

use std::any::Any;

use crate::api::{
    BatchGetItemInput, BatchWriteItemInput, CreateTableInput, DeleteItemInput, DeleteTableInput,
    DescribeContinuousBackupsInput, DescribeContributorInsightsInput, DescribeTableInput,
    DescribeTimeToLiveInput, GetItemInput, PutItemInput, QueryInput, ScanInput, TableNameInput,
    TransactGetItemsInput, TransactWriteItemsInput, UpdateContinuousBackupsInput, UpdateItemInput,
    UpdateTableInput, UpdateTimeToLiveInput,
};
use crate::value::Item;

/// One entry of a request: an item operation's item, a batch entry or a
/// transaction action.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(crate) table: Option<&'a str>,
    /// The key, or the whole item of a put.
    pub(crate) key: Option<&'a Item>,
}

/// A decoded request as the rules see it.
#[derive(Debug, Default)]
pub(crate) struct Subject<'a> {
    pub(crate) operation: &'a str,
    /// The request's `TableName`, for an operation on one table.
    pub(crate) table: Option<&'a str>,
    /// Item operations: one entry; batches and transactions: every entry,
    /// in request order; other operations: none.
    pub(crate) entries: Vec<Entry<'a>>,
}

impl<'a> Subject<'a> {
    /// The subject of `input`, the decoded request of `operation`. A type
    /// this does not know (an operation added later) is matched by its
    /// operation name only.
    pub(crate) fn of(operation: &'a str, input: &'a dyn Any) -> Subject<'a> {
        let mut subject = Subject {
            operation,
            ..Subject::default()
        };
        let single = |table: &'a Option<String>, key: &'a Option<Item>| {
            (
                table.as_deref(),
                vec![Entry {
                    table: table.as_deref(),
                    key: key.as_ref(),
                }],
            )
        };
        if let Some(i) = input.downcast_ref::<PutItemInput>() {
            (subject.table, subject.entries) = single(&i.table_name, &i.item);
        } else if let Some(i) = input.downcast_ref::<GetItemInput>() {
            (subject.table, subject.entries) = single(&i.table_name, &i.key);
        } else if let Some(i) = input.downcast_ref::<UpdateItemInput>() {
            (subject.table, subject.entries) = single(&i.table_name, &i.key);
        } else if let Some(i) = input.downcast_ref::<DeleteItemInput>() {
            (subject.table, subject.entries) = single(&i.table_name, &i.key);
        } else if let Some(i) = input.downcast_ref::<BatchWriteItemInput>() {
            for (table, writes) in i.request_items.iter().flatten() {
                for write in writes {
                    let key = match (&write.put_request, &write.delete_request) {
                        (Some(put), _) => put.item.as_ref(),
                        (None, Some(delete)) => delete.key.as_ref(),
                        (None, None) => None,
                    };
                    subject.entries.push(Entry {
                        table: Some(table),
                        key,
                    });
                }
            }
        } else if let Some(i) = input.downcast_ref::<BatchGetItemInput>() {
            for (table, request) in i.request_items.iter().flatten() {
                for key in request.keys.iter().flatten() {
                    subject.entries.push(Entry {
                        table: Some(table),
                        key: Some(key),
                    });
                }
            }
        } else if let Some(i) = input.downcast_ref::<TransactWriteItemsInput>() {
            for action in i.transact_items.iter().flatten() {
                let (table, key) = if let Some(a) = &action.condition_check {
                    (&a.table_name, &a.key)
                } else if let Some(a) = &action.put {
                    (&a.table_name, &a.item)
                } else if let Some(a) = &action.delete {
                    (&a.table_name, &a.key)
                } else if let Some(a) = &action.update {
                    (&a.table_name, &a.key)
                } else {
                    subject.entries.push(Entry {
                        table: None,
                        key: None,
                    });
                    continue;
                };
                subject.entries.push(Entry {
                    table: table.as_deref(),
                    key: key.as_ref(),
                });
            }
        } else if let Some(i) = input.downcast_ref::<TransactGetItemsInput>() {
            for action in i.transact_items.iter().flatten() {
                let get = action.get.as_ref();
                subject.entries.push(Entry {
                    table: get.and_then(|g| g.table_name.as_deref()),
                    key: get.and_then(|g| g.key.as_ref()),
                });
            }
        } else {
            subject.table = table_of(input);
        }
        subject
    }

    /// True for batches and transactions.
    pub(crate) fn has_many(&self) -> bool {
        matches!(
            self.operation,
            "BatchGetItem" | "BatchWriteItem" | "TransactGetItems" | "TransactWriteItems"
        )
    }
}

/// The `TableName` of the other operations on one table.
fn table_of(input: &dyn Any) -> Option<&str> {
    macro_rules! named {
        ($($t:ty),* $(,)?) => {
            $(
                if let Some(i) = input.downcast_ref::<$t>() {
                    return i.table_name.as_deref();
                }
            )*
        };
    }
    named!(
        QueryInput,
        ScanInput,
        CreateTableInput,
        DeleteTableInput,
        DescribeTableInput,
        UpdateTableInput,
        DescribeTimeToLiveInput,
        UpdateTimeToLiveInput,
        DescribeContinuousBackupsInput,
        UpdateContinuousBackupsInput,
        DescribeContributorInsightsInput,
        TableNameInput,
    );
    None
}

/// True when every attribute of `wanted` is in `key` with an equal value.
pub(crate) fn key_matches(wanted: &Item, key: Option<&Item>) -> bool {
    key.is_some_and(|key| {
        wanted
            .iter()
            .all(|(name, value)| key.get(name) == Some(value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire;

    #[test]
    fn entries_in_request_order() {
        let batch: BatchWriteItemInput = wire::from_str(
            r#"{"RequestItems": {
                "a": [{"PutRequest": {"Item": {"p": {"S": "1"}, "v": {"N": "1"}}}},
                      {"DeleteRequest": {"Key": {"p": {"S": "2"}}}}],
                "b": [{"PutRequest": {"Item": {"p": {"S": "3"}}}}]}}"#,
        )
        .unwrap();
        let subject = Subject::of("BatchWriteItem", &batch);
        let tables: Vec<_> = subject.entries.iter().map(|e| e.table).collect();
        assert_eq!(tables, [Some("a"), Some("a"), Some("b")]);
        let key = wire::item_from_json(br#"{"p": {"S": "2"}}"#).unwrap();
        assert!(key_matches(&key, subject.entries[1].key));
        assert!(!key_matches(&key, subject.entries[0].key));
        assert!(subject.has_many());

        let query: QueryInput = wire::from_str(r#"{"TableName": "q"}"#).unwrap();
        let subject = Subject::of("Query", &query);
        assert_eq!(subject.table, Some("q"));
        assert!(subject.entries.is_empty());

        let put: PutItemInput =
            wire::from_str(r#"{"TableName": "t", "Item": {"p": {"S": "x"}, "n": {"N": "2"}}}"#)
                .unwrap();
        let subject = Subject::of("PutItem", &put);
        assert_eq!(subject.table, Some("t"));
        let n = wire::item_from_json(br#"{"n": {"N": "2.0"}}"#).unwrap();
        assert!(key_matches(&n, subject.entries[0].key));
    }
}
