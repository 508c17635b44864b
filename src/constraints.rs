//! DynamoDB's constraint layer (spec validation.md §2.1, §3): the generic
//! check of a request against its operation's model — required members,
//! lengths, patterns, enums, numeric ranges — that runs before any
//! DynamoDB-specific check.
//!
//! One pass per operation over the request's members collects every failure
//! in DynamoDB's order for that operation (§3.6; model order where DynamoDB's
//! own order is unknown), caps the list at ten and renders it as one
//! `N validation error(s) detected: ...` [`Error::Constraint`]. Every other
//! validation message of dynacond is a service message without that prefix.
//!
//! The control-plane operations (DescribeTable, DeleteTable, UpdateTable) check a missing
//! or over-long `TableName` in their own code first, with bespoke sentences
//! (§4); they use [`control_plane_table_name`] before their pass.

use crate::api::{
    AttributeDefinition, AttributeUpdatesMap, BatchGetItemInput, BatchWriteItemInput,
    ConditionalOperator, CreateTableInput, DeleteItemInput, DeleteTableInput, DescribeTableInput,
    ExpectedMap, GetItemInput, KeySchemaElement, ListTablesInput, Projection,
    ProvisionedThroughput, PutItemInput, QueryInput, ReturnConsumedCapacity,
    ReturnItemCollectionMetrics, ReturnValue, ReturnValuesOnConditionCheckFailure, ScanInput,
    Select, UpdateItemInput,
};
use crate::error::{ConstraintViolation, Error, ShownValue};
use crate::legacy::ConditionMap;

mod control_plane;
mod partiql;
mod streams;
mod tags;
mod transaction;
mod ttl;
mod update_table;

/// At most this many failures are reported (the count then says 10).
const MAX_VIOLATIONS: usize = 10;

/// The sets DynamoDB prints in enum failures, in its order (§3.4).
pub(crate) mod sets {
    pub(crate) const RETURN_VALUES: &str = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]";
    pub(crate) const RETURN_CONSUMED_CAPACITY: &str = "[INDEXES, TOTAL, NONE]";
    pub(crate) const RETURN_ITEM_COLLECTION_METRICS: &str = "[SIZE, NONE]";
    pub(crate) const SELECT: &str =
        "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]";
    pub(crate) const KEY_TYPE: &str = "[HASH, RANGE]";
    pub(crate) const ATTRIBUTE_TYPE: &str = "[B, N, S]";
    pub(crate) const BILLING_MODE: &str = "[PROVISIONED, PAY_PER_REQUEST]";
    pub(crate) const CONDITIONAL_OPERATOR: &str = "[AND, OR]";
    pub(crate) const ATTRIBUTE_ACTION: &str = "[ADD, PUT, DELETE]";
    pub(crate) const COMPARISON_OPERATOR: &str = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";
    pub(crate) const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE: &str = "[ALL_OLD, NONE]";
    pub(crate) const PROJECTION_TYPE: &str = "[ALL, INCLUDE, KEYS_ONLY]";
    /// As captured (streams-ttl-tags.md §1.1).
    pub(crate) const STREAM_VIEW_TYPE: &str =
        "[OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]";
    pub(crate) const TABLE_CLASS: &str = "[STANDARD, STANDARD_INFREQUENT_ACCESS]";
}

/// The pattern of table and index names.
const NAME_PATTERN: &str = "[a-zA-Z0-9_.-]+";

/// An enum member: its wire text and whether DynamoDB knows it.
pub(crate) trait EnumMember {
    fn wire(&self) -> &str;
    fn known(&self) -> bool;
}

macro_rules! enum_member {
    ($($t:ty),*) => {$(
        impl EnumMember for $t {
            fn wire(&self) -> &str {
                self.as_str()
            }
            fn known(&self) -> bool {
                self.is_known()
            }
        }
    )*};
}

enum_member!(
    ReturnValue,
    ReturnValuesOnConditionCheckFailure,
    ReturnConsumedCapacity,
    ReturnItemCollectionMetrics,
    Select,
    ConditionalOperator,
    crate::api::AttributeAction,
    crate::api::ComparisonOperator,
    crate::api::KeyType,
    crate::api::ScalarAttributeType,
    crate::api::BillingMode,
    crate::api::ProjectionType,
    crate::api::StreamViewType,
    crate::api::TableClass
);

/// The failures of one request, in the order they were found.
#[derive(Debug, Default)]
pub(crate) struct Violations {
    list: Vec<ConstraintViolation>,
}

impl Violations {
    /// Records one failure.
    pub(crate) fn fail(
        &mut self,
        value: impl Into<ShownValue>,
        member: impl Into<String>,
        rule: impl Into<String>,
    ) {
        self.list.push(ConstraintViolation {
            value: value.into(),
            member: member.into(),
            rule: rule.into(),
        });
    }

    /// A required member: fails when absent (or JSON `null`); true when present.
    pub(crate) fn required<T>(&mut self, value: Option<&T>, member: &str) -> bool {
        if value.is_none() {
            self.fail(ShownValue::Null, member, "Member must not be null");
        }
        value.is_some()
    }

    /// An enum member: fails for a value DynamoDB does not know.
    pub(crate) fn enumeration<E: EnumMember>(
        &mut self,
        value: Option<&E>,
        member: &str,
        set: &str,
    ) {
        if let Some(v) = value.filter(|v| !v.known()) {
            self.fail(
                v.wire(),
                member,
                format!("Member must satisfy enum value set: {set}"),
            );
        }
    }

    /// A string with length bounds (in characters) and optionally the name
    /// pattern. An empty string reports only the length; otherwise the first
    /// failing rule of length and pattern.
    pub(crate) fn text(
        &mut self,
        value: Option<&str>,
        member: &str,
        min: usize,
        max: usize,
        pattern: bool,
    ) {
        let Some(v) = value else { return };
        let len = v.chars().count();
        if len < min {
            self.fail(v, member, length_rule(">=", min));
        } else if len > max {
            self.fail(v, member, length_rule("<=", max));
        } else if pattern && !is_name(v) {
            self.fail(
                v,
                member,
                format!("Member must satisfy regular expression pattern: {NAME_PATTERN}"),
            );
        }
    }

    /// A table name: required, `min`..=255 characters, the name pattern.
    pub(crate) fn table_name(&mut self, value: Option<&String>, member: &str, min: usize) {
        if self.required(value, member) {
            self.text(value.map(String::as_str), member, min, 255, true);
        }
    }

    /// A number with inclusive bounds.
    pub(crate) fn range(&mut self, value: Option<i64>, member: &str, min: i64, max: Option<i64>) {
        let Some(v) = value else { return };
        if v < min {
            self.fail(
                v,
                member,
                format!("Member must have value greater than or equal to {min}"),
            );
        } else if let Some(max) = max.filter(|max| v > *max) {
            self.fail(
                v,
                member,
                format!("Member must have value less than or equal to {max}"),
            );
        }
    }

    /// A list's length bounds; the list is shown as `shown`.
    pub(crate) fn list_length(
        &mut self,
        len: Option<usize>,
        shown: impl FnOnce() -> String,
        member: &str,
        min: usize,
        max: usize,
    ) {
        let Some(len) = len else { return };
        if len < min {
            self.fail(shown(), member, length_rule(">=", min));
        } else if len > max {
            self.fail(shown(), member, length_rule("<=", max));
        }
    }

    /// The legacy comparison operators of a condition map
    /// (`<member>.<name>.member.comparisonOperator`).
    fn condition_map(&mut self, map: Option<&ConditionMap>, member: &str) {
        for (name, condition) in map.into_iter().flatten() {
            self.enumeration(
                condition.comparison_operator.as_ref(),
                &format!("{member}.{name}.member.comparisonOperator"),
                sets::COMPARISON_OPERATOR,
            );
        }
    }

    fn expected(&mut self, map: Option<&ExpectedMap>) {
        for (name, expected) in map.into_iter().flatten() {
            self.enumeration(
                expected.comparison_operator.as_ref(),
                &format!("expected.{name}.member.comparisonOperator"),
                sets::COMPARISON_OPERATOR,
            );
        }
    }

    fn attribute_updates(&mut self, map: Option<&AttributeUpdatesMap>) {
        for (name, update) in map.into_iter().flatten() {
            self.enumeration(
                update.action.as_ref(),
                &format!("attributeUpdates.{name}.member.action"),
                sets::ATTRIBUTE_ACTION,
            );
        }
    }

    fn attributes_to_get(&mut self, list: Option<&Vec<String>>, member: &str, max: usize) {
        self.list_length(
            list.map(Vec::len),
            || show_list(list.into_iter().flatten()),
            member,
            1,
            max,
        );
    }

    fn return_consumed_capacity(&mut self, value: Option<&ReturnConsumedCapacity>) {
        self.enumeration(
            value,
            "returnConsumedCapacity",
            sets::RETURN_CONSUMED_CAPACITY,
        );
    }

    fn return_item_collection_metrics(&mut self, value: Option<&ReturnItemCollectionMetrics>) {
        self.enumeration(
            value,
            "returnItemCollectionMetrics",
            sets::RETURN_ITEM_COLLECTION_METRICS,
        );
    }

    fn return_values(&mut self, value: Option<&ReturnValue>) {
        self.enumeration(value, "returnValues", sets::RETURN_VALUES);
    }

    fn on_failure(&mut self, value: Option<&ReturnValuesOnConditionCheckFailure>, member: &str) {
        self.enumeration(
            value,
            member,
            sets::RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
        );
    }

    fn conditional_operator(&mut self, value: Option<&ConditionalOperator>) {
        self.enumeration(value, "conditionalOperator", sets::CONDITIONAL_OPERATOR);
    }

    /// The request's verdict: every failure (at most ten) in one error.
    pub(crate) fn finish(mut self) -> Result<(), Error> {
        if self.list.is_empty() {
            return Ok(());
        }
        self.list.truncate(MAX_VIOLATIONS);
        Err(Error::constraints(self.list))
    }
}

fn length_rule(op: &str, n: usize) -> String {
    let word = if op == ">=" {
        "greater than or equal to"
    } else {
        "less than or equal to"
    };
    format!("Member must have length {word} {n}")
}

/// True for a table or index name's characters (`[a-zA-Z0-9_.-]+`).
pub(crate) fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// A list as DynamoDB prints it in a failure: `[a, b]`.
pub(crate) fn show_list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let parts: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

/// A request type with constraints.
pub(crate) trait Constrained {
    /// Records every failure, in DynamoDB's order for the operation.
    fn constraints(&self, v: &mut Violations);
}

/// Runs the constraint layer over a request.
pub(crate) fn check<T: Constrained + ?Sized>(input: &T) -> Result<(), Error> {
    let mut v = Violations::default();
    input.constraints(&mut v);
    v.finish()
}

/// A required member the constraint layer has checked.
pub(crate) fn present<'a, T>(value: Option<&'a T>, member: &str) -> Result<&'a T, Error> {
    value.ok_or_else(|| Error::Internal(format!("{member} was not checked")))
}

/// The control-plane `TableName` pre-check of DescribeTable, DeleteTable and
/// UpdateTable (§4, §3.5): bespoke sentences for a missing name and for a
/// length outside 3..=255, before the constraint layer (which then reports
/// the pattern).
pub(crate) fn control_plane_table_name(name: Option<&String>) -> Result<(), Error> {
    let Some(name) = name else {
        return Err(Error::validation(
            "The parameter 'TableName' is required but was not present in the request",
        ));
    };
    let len = name.chars().count();
    if !(3..=255).contains(&len) {
        return Err(Error::validation(
            "TableName must be at least 3 characters long and at most 255 characters long",
        ));
    }
    Ok(())
}

impl Constrained for PutItemInput {
    fn constraints(&self, v: &mut Violations) {
        // DynamoDB's order (§3.6).
        v.return_values(self.return_values.as_ref());
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.return_item_collection_metrics(self.return_item_collection_metrics.as_ref());
        v.table_name(self.table_name.as_ref(), "tableName", 1);
        v.required(self.item.as_ref(), "item");
        v.conditional_operator(self.conditional_operator.as_ref());
        v.expected(self.expected.as_ref());
        v.on_failure(
            self.return_values_on_condition_check_failure.as_ref(),
            "returnValuesOnConditionCheckFailure",
        );
    }
}

impl Constrained for DeleteItemInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_values(self.return_values.as_ref());
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.return_item_collection_metrics(self.return_item_collection_metrics.as_ref());
        v.table_name(self.table_name.as_ref(), "tableName", 1);
        v.required(self.key.as_ref(), "key");
        v.conditional_operator(self.conditional_operator.as_ref());
        v.expected(self.expected.as_ref());
        v.on_failure(
            self.return_values_on_condition_check_failure.as_ref(),
            "returnValuesOnConditionCheckFailure",
        );
    }
}

impl Constrained for UpdateItemInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.return_values(self.return_values.as_ref());
        v.return_item_collection_metrics(self.return_item_collection_metrics.as_ref());
        v.table_name(self.table_name.as_ref(), "tableName", 1);
        v.required(self.key.as_ref(), "key");
        v.attribute_updates(self.attribute_updates.as_ref());
        v.conditional_operator(self.conditional_operator.as_ref());
        v.expected(self.expected.as_ref());
        v.on_failure(
            self.return_values_on_condition_check_failure.as_ref(),
            "returnValuesOnConditionCheckFailure",
        );
    }
}

impl Constrained for GetItemInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.table_name(self.table_name.as_ref(), "tableName", 1);
        v.required(self.key.as_ref(), "key");
        v.attributes_to_get(
            self.attributes_to_get.as_ref(),
            "attributesToGet",
            usize::MAX,
        );
    }
}

impl Constrained for QueryInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.enumeration(self.select.as_ref(), "select", sets::SELECT);
        v.table_name(self.table_name.as_ref(), "tableName", 1);
        v.text(self.index_name.as_deref(), "indexName", 3, 255, true);
        v.conditional_operator(self.conditional_operator.as_ref());
        v.attributes_to_get(
            self.attributes_to_get.as_ref(),
            "attributesToGet",
            usize::MAX,
        );
        v.condition_map(self.key_conditions.as_ref(), "keyConditions");
        v.condition_map(self.query_filter.as_ref(), "queryFilter");
    }
}

impl Constrained for ScanInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.enumeration(self.select.as_ref(), "select", sets::SELECT);
        v.table_name(self.table_name.as_ref(), "tableName", 1);
        v.text(self.index_name.as_deref(), "indexName", 3, 255, true);
        v.range(self.limit, "limit", 1, None);
        v.range(self.segment, "segment", 0, Some(999_999));
        v.range(self.total_segments, "totalSegments", 1, Some(1_000_000));
        v.conditional_operator(self.conditional_operator.as_ref());
        v.attributes_to_get(
            self.attributes_to_get.as_ref(),
            "attributesToGet",
            usize::MAX,
        );
        v.condition_map(self.scan_filter.as_ref(), "scanFilter");
    }
}

/// The table names of a batch's `RequestItems` (map keys).
fn request_item_keys<'a>(v: &mut Violations, names: impl Iterator<Item = &'a String>) {
    for name in names {
        let len = name.chars().count();
        let mut rules = Vec::new();
        if len < 1 {
            rules.push(length_rule(">=", 1));
        }
        if len > 255 {
            rules.push(length_rule("<=", 255));
        }
        if !is_name(name) && len > 0 {
            rules.push(format!(
                "Member must satisfy regular expression pattern: {NAME_PATTERN}"
            ));
        }
        if !rules.is_empty() {
            v.fail(
                name,
                "requestItems",
                format!("Map keys must satisfy constraint: [{}]", rules.join(", ")),
            );
        }
    }
}

impl Constrained for BatchGetItemInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        if v.required(self.request_items.as_ref(), "requestItems") {
            let items = self.request_items.iter().flatten();
            request_item_keys(v, items.clone().map(|(name, _)| name));
            for (name, keys) in items {
                v.required(
                    keys.keys.as_ref(),
                    &format!("requestItems.{name}.member.keys"),
                );
                v.attributes_to_get(
                    keys.attributes_to_get.as_ref(),
                    &format!("requestItems.{name}.member.attributesToGet"),
                    255,
                );
            }
        }
    }
}

impl Constrained for BatchWriteItemInput {
    fn constraints(&self, v: &mut Violations) {
        v.return_consumed_capacity(self.return_consumed_capacity.as_ref());
        v.return_item_collection_metrics(self.return_item_collection_metrics.as_ref());
        let Some(items) = &self.request_items else {
            v.required(self.request_items.as_ref(), "requestItems");
            return;
        };
        request_item_keys(v, items.keys());
        for (name, requests) in items {
            if requests.is_empty() || requests.len() > 25 {
                let shown = items
                    .iter()
                    .map(|(t, list)| {
                        format!("{t}={}", show_list(list.iter().map(|_| "WriteRequest")))
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                v.fail(
                    format!("{{{shown}}}"),
                    "requestItems",
                    "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
                );
                break;
            }
            for (i, request) in requests.iter().enumerate() {
                // The paths are spelled only for a member that is missing.
                let at =
                    |member: &str| format!("requestItems.{name}.member.{}.member.{member}", i + 1);
                if let Some(put) = request.put_request.as_ref().filter(|p| p.item.is_none()) {
                    v.required(put.item.as_ref(), &at("putRequest.item"));
                }
                if let Some(delete) = request.delete_request.as_ref().filter(|d| d.key.is_none()) {
                    v.required(delete.key.as_ref(), &at("deleteRequest.key"));
                }
            }
        }
    }
}

impl Constrained for CreateTableInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
        if v.required(self.attribute_definitions.as_ref(), "attributeDefinitions") {
            attribute_definitions(v, self.attribute_definitions.as_ref());
        }
        key_schema(v, self.key_schema.as_ref(), "keySchema", 2);
        v.enumeration(
            self.billing_mode.as_ref(),
            "billingMode",
            sets::BILLING_MODE,
        );
        throughput(
            v,
            self.provisioned_throughput.as_ref(),
            "provisionedThroughput",
        );
        for (i, index) in self.local_secondary_indexes.iter().flatten().enumerate() {
            let at = format!("localSecondaryIndexes.{}.member", i + 1);
            v.table_name(index.index_name.as_ref(), &format!("{at}.indexName"), 3);
            key_schema(v, index.key_schema.as_ref(), &format!("{at}.keySchema"), 2);
            projection(v, index.projection.as_ref(), &format!("{at}.projection"));
        }
        for (i, index) in self.global_secondary_indexes.iter().flatten().enumerate() {
            // DynamoDB's order inside a GSI entry (indexes.md §2.2).
            let at = format!("globalSecondaryIndexes.{}.member", i + 1);
            key_schema(v, index.key_schema.as_ref(), &format!("{at}.keySchema"), 8);
            projection(v, index.projection.as_ref(), &format!("{at}.projection"));
            v.table_name(index.index_name.as_ref(), &format!("{at}.indexName"), 3);
            throughput(
                v,
                index.provisioned_throughput.as_ref(),
                &format!("{at}.provisionedThroughput"),
            );
        }
        if let Some(stream) = &self.stream_specification {
            v.required(
                stream.stream_enabled.as_ref(),
                "streamSpecification.streamEnabled",
            );
            v.enumeration(
                stream.stream_view_type.as_ref(),
                "streamSpecification.streamViewType",
                sets::STREAM_VIEW_TYPE,
            );
        }
        control_plane::sse_specification(v, self.sse_specification.as_ref());
        v.enumeration(self.table_class.as_ref(), "tableClass", sets::TABLE_CLASS);
    }
}

/// Each attribute definition's name (1..=255 characters) and type.
fn attribute_definitions(v: &mut Violations, definitions: Option<&Vec<AttributeDefinition>>) {
    for (i, d) in definitions.into_iter().flatten().enumerate() {
        let at = format!("attributeDefinitions.{}.member", i + 1);
        v.text(
            Some(&d.attribute_name),
            &format!("{at}.attributeName"),
            1,
            255,
            false,
        );
        v.enumeration(
            Some(&d.attribute_type),
            &format!("{at}.attributeType"),
            sets::ATTRIBUTE_TYPE,
        );
    }
}

/// A key schema: required, `1..=max` elements, each with a name and a
/// known key type.
fn key_schema(v: &mut Violations, schema: Option<&Vec<KeySchemaElement>>, at: &str, max: usize) {
    if !v.required(schema, at) {
        return;
    }
    let elements = schema.into_iter().flatten();
    v.list_length(
        schema.map(Vec::len),
        || {
            show_list(elements.clone().map(|k| {
                format!(
                    "KeySchemaElement(attributeName={}, keyType={})",
                    k.attribute_name, k.key_type
                )
            }))
        },
        at,
        1,
        max,
    );
    for (i, k) in elements.enumerate() {
        let element = format!("{at}.{}.member", i + 1);
        v.text(
            Some(&k.attribute_name),
            &format!("{element}.attributeName"),
            1,
            255,
            false,
        );
        v.enumeration(
            Some(&k.key_type),
            &format!("{element}.keyType"),
            sets::KEY_TYPE,
        );
    }
}

/// An index's projection: required, a known type, 1..=20 non-key attributes.
fn projection(v: &mut Violations, projection: Option<&Projection>, at: &str) {
    if !v.required(projection, at) {
        return;
    }
    let Some(p) = projection else { return };
    v.enumeration(
        p.projection_type.as_ref(),
        &format!("{at}.projectionType"),
        sets::PROJECTION_TYPE,
    );
    let attributes = p.non_key_attributes.as_ref();
    v.list_length(
        attributes.map(Vec::len),
        || show_list(attributes.into_iter().flatten()),
        &format!("{at}.nonKeyAttributes"),
        1,
        20,
    );
}

/// Read and write capacity units of at least 1.
fn throughput(v: &mut Violations, throughput: Option<&ProvisionedThroughput>, at: &str) {
    if let Some(t) = throughput {
        v.range(
            Some(t.read_capacity_units),
            &format!("{at}.readCapacityUnits"),
            1,
            None,
        );
        v.range(
            Some(t.write_capacity_units),
            &format!("{at}.writeCapacityUnits"),
            1,
            None,
        );
    }
}

impl Constrained for DescribeTableInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
    }
}

impl Constrained for DeleteTableInput {
    fn constraints(&self, v: &mut Violations) {
        v.table_name(self.table_name.as_ref(), "tableName", 3);
    }
}

impl Constrained for ListTablesInput {
    fn constraints(&self, v: &mut Violations) {
        v.text(
            self.exclusive_start_table_name.as_deref(),
            "exclusiveStartTableName",
            3,
            255,
            true,
        );
        v.range(self.limit, "limit", 1, Some(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{PutItemInput, ScanInput};
    use crate::value::Item;

    fn message<T: Constrained>(input: &T) -> String {
        check(input).map_or_else(|e| e.message().to_owned(), |()| String::new())
    }

    #[test]
    fn put_item_order_and_count() {
        let mut input = PutItemInput::new("", Item::new());
        input.return_values = Some("WRONG".into());
        assert_eq!(
            message(&input),
            "2 validation errors detected: Value 'WRONG' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
        assert_eq!(
            message(&PutItemInput::default()),
            "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; Value null at 'item' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(message(&PutItemInput::new("t", Item::new())), "");
    }

    #[test]
    fn names_lengths_and_ranges() {
        let mut scan = ScanInput::new("no such!tbl");
        scan.limit = Some(0);
        scan.segment = Some(1_000_000);
        assert_eq!(
            message(&scan),
            "3 validation errors detected: Value 'no such!tbl' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '1000000' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 999999"
        );
    }

    #[test]
    fn at_most_ten_failures() {
        let mut v = Violations::default();
        for i in 0..12 {
            v.fail(ShownValue::Null, format!("m{i}"), "Member must not be null");
        }
        let e = v.finish().unwrap_err();
        assert!(e.message().starts_with("10 validation errors detected: "));
        assert!(
            e.message()
                .ends_with("'m9' failed to satisfy constraint: Member must not be null")
        );
    }

    #[test]
    fn control_plane_sentences() {
        assert_eq!(
            control_plane_table_name(None).unwrap_err().message(),
            "The parameter 'TableName' is required but was not present in the request"
        );
        assert_eq!(
            control_plane_table_name(Some(&"ab".to_owned()))
                .unwrap_err()
                .message(),
            "TableName must be at least 3 characters long and at most 255 characters long"
        );
        assert!(control_plane_table_name(Some(&"abc".to_owned())).is_ok());
    }
}
