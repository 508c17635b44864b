//! `Query` and `Scan` requests and responses, with their builders.
//!
//! ```
//! use dynacond::api::{CreateTableInput, PutItemInput, QueryInput, Select};
//! use dynacond::store::ScalarType;
//! use dynacond::{AttributeValue, Item, Store};
//!
//! let store = Store::new();
//! store.create_table(
//!     CreateTableInput::new("events")
//!         .with_hash_key("pk", ScalarType::S)
//!         .with_range_key("sk", ScalarType::N),
//! )?;
//! for n in 1..=3 {
//!     let item = Item::from_iter([
//!         ("pk".to_owned(), AttributeValue::s("a")),
//!         ("sk".to_owned(), AttributeValue::n(n)),
//!     ]);
//!     store.put_item(PutItemInput::new("events", item))?;
//! }
//! let count = store.query(
//!     QueryInput::new("events", "pk = :s AND sk >= :from")
//!         .with_value(":s", AttributeValue::s("a"))
//!         .with_value(":from", AttributeValue::n(2))
//!         .with_select(Select::Count),
//! )?;
//! assert_eq!((count.count, count.items), (2, None));
//! # Ok::<(), dynacond::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{
    Condition, ConditionMap, ConditionalOperator, ConsumedCapacity, ReturnConsumedCapacity, Select,
};
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::value::{AttributeValue, Item};

/// `Query` request: the items of one partition, optionally narrowed by a
/// sort-key condition, read in sort-key order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct QueryInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// A secondary index (dynacond's tables have none, so any name is
    /// DynamoDB's missing-index error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// `partition = :v`, optionally `AND` one sort-key condition (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_condition_expression: Option<String>,
    /// A condition on non-key attributes, applied after the page is read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    /// Which attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders of all three expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders of all three expressions.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::values"
    )]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `ALL_ATTRIBUTES`, `ALL_PROJECTED_ATTRIBUTES` (indexes only),
    /// `SPECIFIC_ATTRIBUTES` or `COUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<Select>,
    /// `false` reads in descending sort-key order (default `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_index_forward: Option<bool>,
    /// The most items to read (before the filter), at least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Continue after this key (a previous page's `LastEvaluatedKey`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<Item>,
    /// Every read is consistent; `false` (the default) halves the capacity
    /// reported, as for DynamoDB's eventually consistent reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// Legacy key condition (`KeyConditions`), instead of `KeyConditionExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_conditions: Option<ConditionMap>,
    /// Legacy filter (`QueryFilter`), instead of `FilterExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_filter: Option<ConditionMap>,
    /// `AND` (default) or `OR`: how `QueryFilter`'s entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<ConditionalOperator>,
    /// Legacy projection: top-level attribute names to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
}

/// `Query` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct QueryOutput {
    /// The matching items (projected), in order; absent for `Select: COUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// How many items matched the filter.
    pub count: u64,
    /// How many items were read (before the filter).
    pub scanned_count: u64,
    /// Present when the page stopped early (`Limit` or 1 MB): the key of the
    /// last item read, to pass as `ExclusiveStartKey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_evaluated_key: Option<Item>,
    /// The capacity consumed, for `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<ConsumedCapacity>,
}

/// `Scan` request: every item of the table (or of one segment of it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScanInput {
    /// The table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// A secondary index (dynacond's tables have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// A condition applied after the page is read (key attributes allowed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    /// Which attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders of both expressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionAttributeNames>,
    /// `:value` placeholders of the filter.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::values"
    )]
    pub expression_attribute_values: Option<ExpressionAttributeValues>,
    /// `ALL_ATTRIBUTES`, `ALL_PROJECTED_ATTRIBUTES` (indexes only),
    /// `SPECIFIC_ATTRIBUTES` or `COUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<Select>,
    /// The most items to read (before the filter), at least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Continue after this key (a previous page's `LastEvaluatedKey`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<Item>,
    /// This scan's segment, `0..TotalSegments` (parallel scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<i64>,
    /// The number of segments, 1 to 1000000 (parallel scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_segments: Option<i64>,
    /// Every read is consistent; `false` (the default) halves the capacity
    /// reported, as for DynamoDB's eventually consistent reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// `NONE` (default), `TOTAL` or `INDEXES`: the response's `ConsumedCapacity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// Legacy filter (`ScanFilter`), instead of `FilterExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_filter: Option<ConditionMap>,
    /// `AND` (default) or `OR`: how `ScanFilter`'s entries combine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_operator: Option<ConditionalOperator>,
    /// Legacy projection: top-level attribute names to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
}

/// `Scan` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScanOutput {
    /// The matching items (projected); absent for `Select: COUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// How many items matched the filter.
    pub count: u64,
    /// How many items were read (before the filter).
    pub scanned_count: u64,
    /// Present when the page stopped early (`Limit` or 1 MB): the key of the
    /// last item read, to pass as `ExclusiveStartKey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_evaluated_key: Option<Item>,
    /// The capacity consumed, for `ReturnConsumedCapacity` `TOTAL` or `INDEXES`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumed_capacity: Option<ConsumedCapacity>,
}

/// `with_*` setters shared by Query and Scan.
macro_rules! read_setters {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `FilterExpression`.
            pub fn with_filter(mut self, expression: impl Into<String>) -> Self {
                self.filter_expression = Some(expression.into());
                self
            }

            /// Sets `ProjectionExpression`.
            pub fn with_projection(mut self, expression: impl Into<String>) -> Self {
                self.projection_expression = Some(expression.into());
                self
            }

            /// Adds an `ExpressionAttributeNames` entry (`#name` to attribute name).
            pub fn with_name(mut self, placeholder: impl Into<String>, name: impl Into<String>) -> Self {
                self.expression_attribute_names
                    .get_or_insert_with(Default::default)
                    .insert(placeholder.into(), name.into());
                self
            }

            /// Adds an `ExpressionAttributeValues` entry (`:value` to value).
            pub fn with_value(mut self, placeholder: impl Into<String>, value: impl Into<AttributeValue>) -> Self {
                self.expression_attribute_values
                    .get_or_insert_with(Default::default)
                    .insert(placeholder.into(), value.into());
                self
            }

            /// Sets `Select` (`ALL_ATTRIBUTES`, `SPECIFIC_ATTRIBUTES`, `COUNT`, ...).
            pub fn with_select(mut self, select: impl Into<Select>) -> Self {
                self.select = Some(select.into());
                self
            }

            /// Sets `Limit`.
            pub fn with_limit(mut self, limit: i64) -> Self {
                self.limit = Some(limit);
                self
            }

            /// Sets `ExclusiveStartKey` (a previous page's `LastEvaluatedKey`).
            pub fn with_exclusive_start_key(mut self, key: Option<Item>) -> Self {
                self.exclusive_start_key = key;
                self
            }

            /// Sets `IndexName`.
            pub fn with_index_name(mut self, index: impl Into<String>) -> Self {
                self.index_name = Some(index.into());
                self
            }
        }
    )*};
}

read_setters!(QueryInput, ScanInput);

impl QueryInput {
    /// A Query with this KeyConditionExpression.
    pub fn new(table_name: impl Into<String>, key_condition: impl Into<String>) -> Self {
        QueryInput {
            table_name: Some(table_name.into()),
            key_condition_expression: Some(key_condition.into()),
            ..Default::default()
        }
    }

    /// Sets `ScanIndexForward` (`false`: descending sort-key order).
    pub fn with_scan_index_forward(mut self, forward: bool) -> Self {
        self.scan_index_forward = Some(forward);
        self
    }
}

impl ScanInput {
    /// A Scan of the whole table.
    pub fn new(table_name: impl Into<String>) -> Self {
        ScanInput {
            table_name: Some(table_name.into()),
            ..Default::default()
        }
    }

    /// Sets `Segment` and `TotalSegments` (parallel scan).
    pub fn with_segment(mut self, segment: i64, total_segments: i64) -> Self {
        self.segment = Some(segment);
        self.total_segments = Some(total_segments);
        self
    }
}

/// `with_*` setters of the legacy parameters shared by Query and Scan.
macro_rules! legacy_read_setters {
    ($($t:ty),*) => {$(
        impl $t {
            /// Sets `ConditionalOperator` (`AND` or `OR`): how the legacy filter's entries combine.
            pub fn with_conditional_operator(mut self, operator: impl Into<ConditionalOperator>) -> Self {
                self.conditional_operator = Some(operator.into());
                self
            }

            /// Sets `AttributesToGet` (legacy projection).
            pub fn with_attributes_to_get(
                mut self,
                names: impl IntoIterator<Item = impl Into<String>>,
            ) -> Self {
                self.attributes_to_get = Some(names.into_iter().map(Into::into).collect());
                self
            }

            /// Sets `ConsistentRead` (every read is consistent; `false` halves the
            /// capacity reported).
            pub fn with_consistent_read(mut self, consistent: bool) -> Self {
                self.consistent_read = Some(consistent);
                self
            }
        }
    )*};
}

legacy_read_setters!(QueryInput, ScanInput);
capacity_setter!(QueryInput, ScanInput);

impl QueryInput {
    /// A Query with legacy `KeyConditions` instead of a
    /// KeyConditionExpression; add them with
    /// [`with_key_condition`](Self::with_key_condition).
    pub fn new_legacy(table_name: impl Into<String>) -> Self {
        QueryInput {
            table_name: Some(table_name.into()),
            ..Default::default()
        }
    }

    /// Adds a `KeyConditions` entry (legacy key condition on one key attribute).
    pub fn with_key_condition(mut self, name: impl Into<String>, condition: Condition) -> Self {
        self.key_conditions
            .get_or_insert_with(Default::default)
            .insert(name.into(), condition);
        self
    }

    /// Adds a `QueryFilter` entry (legacy filter on one attribute).
    pub fn with_query_filter(mut self, name: impl Into<String>, condition: Condition) -> Self {
        self.query_filter
            .get_or_insert_with(Default::default)
            .insert(name.into(), condition);
        self
    }
}

impl ScanInput {
    /// Adds a `ScanFilter` entry (legacy filter on one attribute).
    pub fn with_scan_filter(mut self, name: impl Into<String>, condition: Condition) -> Self {
        self.scan_filter
            .get_or_insert_with(Default::default)
            .insert(name.into(), condition);
        self
    }
}
