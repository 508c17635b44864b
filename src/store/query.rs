//! Query and Scan: KeyConditionExpression analysis, range reads over the
//! ordered item map, FilterExpression, pagination (spec §6.6, §10).
//!
//! # Key conditions
//!
//! A KeyConditionExpression is parsed with the condition grammar (so syntax,
//! placeholder, operand-type and `BETWEEN`-bound errors are the condition
//! language's, headed `Invalid KeyConditionExpression: `), bound to the
//! request's placeholder maps, then analysed by [`KeyCondition::analyse`]
//! into a partition-key value and an optional [`SortCondition`], with
//! DynamoDB's key-condition messages (§10, §15.2). Reversed operands flip the
//! operator (`:v < c` is `c > :v`); one pair of parentheses around each part
//! is allowed by the grammar's redundant-parentheses rule.
//!
//! # Reading
//!
//! A [`Table`] keeps its items in a `BTreeMap` ordered by (partition, sort).
//! A Query turns its key condition into a range of that map, so it visits only
//! the matching keys; a Scan walks the whole map in key order. Neither holds
//! the map's lock while it evaluates: it copies a bounded batch of
//! (key, slot) pairs out under the read lock, releases it, then locks each
//! slot on its own to read the item, exactly like a GetItem. A page is
//! therefore not a snapshot (nor is DynamoDB's): a write that lands during a
//! page is seen or not depending on where the cursor is.
//!
//! A page ends after `Limit` items were read (before the filter), or when the
//! items read reach 1 MB ([`PAGE_BYTES`], measured as [`crate::item_size`],
//! before filter and projection), or at the end of the range. In the first
//! two cases `LastEvaluatedKey` holds the key of the last item read, even if
//! no further item exists (as DynamoDB does).
//!
//! # Parallel scan
//!
//! `Segment` / `TotalSegments` split the table by a stable hash of the
//! partition key (`segment_of`): all items of a partition fall in one
//! segment and every item in exactly one. Each segment still walks the map in
//! key order, skipping keys of other segments (they count neither as read nor
//! toward 1 MB).

use std::ops::Bound;

use crate::api::{QueryInput, QueryOutput, ScanInput, ScanOutput};
use crate::ast::{Condition, Operand, Path};
use crate::condition::{BoundCondition, ConditionExpression};
use crate::error::Error;
use crate::legacy;
use crate::parser::error::ExpressionKind;
use crate::placeholders::{
    ExpressionAttributeNames, ExpressionAttributeValues, References, check_all_used, validate_maps,
    validate_value_contents,
};
use crate::projection::{BoundProjection, ProjectionExpression};
use crate::store::{KeySchema, PrimaryKey, Store, Table, key::KEY_MISMATCH, lock};
use crate::value::{Item, item_size};

/// The most item bytes one page reads (1 MB), counted before the filter.
pub const PAGE_BYTES: usize = 1024 * 1024;

/// The largest `TotalSegments`.
pub const MAX_TOTAL_SEGMENTS: i64 = 1_000_000;
use crate::store::key_condition::*;
use crate::store::range::*;

// ---------------------------------------------------------------------------
// Request checks shared by Query and Scan

/// What `Select` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Select {
    All,
    Specific,
    Count,
}

/// Checks `Select`; `projection` names the projection parameter given
/// (`ProjectionExpression` or `AttributesToGet`), if any.
fn select(value: Option<&str>, projection: Option<&str>, verb: &str) -> Result<Select, Error> {
    let given = projection.unwrap_or("ProjectionExpression");
    let projection = projection.is_some();
    match value {
        None => Ok(if projection {
            Select::Specific
        } else {
            Select::All
        }),
        Some("ALL_ATTRIBUTES") if projection => Err(Error::validation(format!(
            "Cannot specify the {given} when choosing to get ALL_ATTRIBUTES"
        ))),
        Some("ALL_ATTRIBUTES") => Ok(Select::All),
        Some("COUNT") if projection => Err(Error::validation(format!(
            "Cannot specify the {given} when choosing to get only the Count"
        ))),
        Some("COUNT") => Ok(Select::Count),
        Some("SPECIFIC_ATTRIBUTES") if projection => Ok(Select::Specific),
        Some("SPECIFIC_ATTRIBUTES") => Err(Error::validation(
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
        )),
        Some("ALL_PROJECTED_ATTRIBUTES") => Err(Error::validation(format!(
            "ALL_PROJECTED_ATTRIBUTES can be used only when {verb} using an IndexName"
        ))),
        Some(other) => Err(Error::validation(format!(
            "1 validation error detected: Value '{other}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
        ))),
    }
}

/// The projection parameter a request gives, for `Select`'s messages.
fn projection_parameter(expression: bool, attributes_to_get: bool) -> Option<&'static str> {
    if expression {
        Some("ProjectionExpression")
    } else if attributes_to_get {
        Some("AttributesToGet")
    } else {
        None
    }
}

fn limit(value: Option<i64>) -> Result<Option<usize>, Error> {
    match value {
        None => Ok(None),
        Some(n) if n >= 1 => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        Some(n) => Err(Error::validation(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        ))),
    }
}

fn no_index(index: Option<&str>) -> Result<(), Error> {
    match index {
        None => Ok(()),
        Some(name) => Err(Error::validation(format!(
            "The table does not have the specified index: {name}"
        ))),
    }
}

/// The parsed expressions of a Query or Scan.
struct ReadExpressions {
    key: Option<ConditionExpression>,
    filter: Option<ConditionExpression>,
    projection: Option<ProjectionExpression>,
}

impl ReadExpressions {
    fn parse(
        key: Option<&str>,
        filter: Option<&str>,
        projection: Option<&str>,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<Self, Error> {
        validate_maps(names, values)?;
        let condition =
            |text: &str, kind| ConditionExpression::parse_in_request(text, kind, names, values);
        Ok(ReadExpressions {
            key: key
                .map(|t| condition(t, ExpressionKind::KeyCondition))
                .transpose()?,
            filter: filter
                .map(|t| condition(t, ExpressionKind::Filter))
                .transpose()?,
            projection: projection.map(ProjectionExpression::parse).transpose()?,
        })
    }

    fn references(&self) -> Vec<References> {
        self.key
            .iter()
            .chain(&self.filter)
            .map(ConditionExpression::references)
            .chain(self.projection.iter().map(ProjectionExpression::references))
            .collect()
    }
}

/// Rejects a Query filter that names a key attribute anywhere (§6.6).
fn check_filter_keys(
    filter: &Condition,
    schema: &KeySchema,
    names: Option<&ExpressionAttributeNames>,
) -> Result<(), Error> {
    let mut found: Option<String> = None;
    visit_paths(filter, &mut |path: &Path| {
        if found.is_some() {
            return;
        }
        let top = match path.top_name() {
            Some(crate::ast::Name::Bare(n)) => Some(n.as_ref()),
            Some(crate::ast::Name::Placeholder(p)) => {
                names.and_then(|m| m.get(p.as_ref())).map(String::as_str)
            }
            None => None,
        };
        if let Some(top) = top {
            if schema.names().contains(&top) {
                found = Some(top.to_owned());
            }
        }
    });
    match found {
        Some(key) => Err(Error::validation(format!(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: {key}"
        ))),
        None => Ok(()),
    }
}

fn visit_operand_paths<'c>(operand: &'c Operand, f: &mut impl FnMut(&'c Path)) {
    match operand {
        Operand::Path(p) => f(p),
        Operand::Value(_) => {}
        Operand::Size { arg, .. } => visit_operand_paths(arg, f),
    }
}

fn visit_paths<'c>(cond: &'c Condition, f: &mut impl FnMut(&'c Path)) {
    match cond {
        Condition::Compare { left, right, .. } => {
            visit_operand_paths(left, f);
            visit_operand_paths(right, f);
        }
        Condition::Between { value, low, high } => {
            for o in [value, low, high] {
                visit_operand_paths(o, f);
            }
        }
        Condition::In { value, list } => {
            visit_operand_paths(value, f);
            for o in list {
                visit_operand_paths(o, f);
            }
        }
        Condition::AttributeExists(p) | Condition::AttributeNotExists(p) => f(p),
        Condition::AttributeType(a, b)
        | Condition::BeginsWith(a, b)
        | Condition::Contains(a, b) => {
            visit_operand_paths(a, f);
            visit_operand_paths(b, f);
        }
        Condition::Not(c) => visit_paths(c, f),
        Condition::And(l, r) | Condition::Or(l, r) => {
            visit_paths(l, f);
            visit_paths(r, f);
        }
    }
}

// ---------------------------------------------------------------------------
// The page loop

/// What one page reads and returns.
struct PageSpec<'a> {
    limit: Option<usize>,
    filter: Option<BoundCondition<'a>>,
    projection: Option<BoundProjection<'a>>,
    select: Select,
}

struct Page {
    items: Option<Vec<Item>>,
    count: u64,
    scanned: u64,
    last_evaluated_key: Option<Item>,
}

/// Reads one page of the range `lo..hi` (descending when `!forward`),
/// keeping keys for which `keep` holds.
fn read_page(
    table: &Table,
    mut lo: Bound<BoundKey>,
    mut hi: Bound<BoundKey>,
    forward: bool,
    keep: impl Fn(&PrimaryKey) -> bool,
    spec: &PageSpec<'_>,
) -> Page {
    let mut items = Vec::new();
    let (mut count, mut scanned, mut bytes) = (0u64, 0u64, 0usize);
    let mut last: Option<PrimaryKey> = None;
    let mut stopped = false;
    'pages: loop {
        let batch = batch(table, &lo, &hi, forward);
        let full = batch.len() == BATCH;
        for (key, slot) in &batch {
            if !keep(key) {
                continue;
            }
            let guard = lock(slot);
            let Some(item) = guard.as_ref() else { continue };
            scanned += 1;
            bytes = bytes.saturating_add(item_size(item));
            if spec.filter.as_ref().is_none_or(|f| f.evaluate(item)) {
                count += 1;
                if spec.select != Select::Count {
                    items.push(match &spec.projection {
                        Some(p) => p.project(item),
                        None => item.clone(),
                    });
                }
            }
            drop(guard);
            last = Some(key.clone());
            if spec.limit.is_some_and(|l| scanned >= l as u64) || bytes >= PAGE_BYTES {
                stopped = true;
                break 'pages;
            }
        }
        match batch.last() {
            Some((key, _)) if full => {
                let after = Bound::Excluded(BoundKey::at(key));
                if forward {
                    lo = after;
                } else {
                    hi = after;
                }
            }
            _ => break,
        }
    }
    Page {
        items: (spec.select != Select::Count).then_some(items),
        count,
        scanned,
        last_evaluated_key: if stopped {
            last.map(|k| table.schema().key_item(&k))
        } else {
            None
        },
    }
}

// ---------------------------------------------------------------------------
// Query and Scan on the store

impl Store {
    /// `Query`: the items of one partition that meet the key condition, in
    /// sort-key order (descending with `ScanIndexForward: false`), one page
    /// at a time, filtered and projected.
    ///
    /// ```
    /// use dynacond::api::*;
    /// use dynacond::{AttributeValue, Store, wire};
    ///
    /// let store = Store::new();
    /// store.create_table(wire::from_str(r#"{"TableName": "events",
    ///     "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "t", "KeyType": "RANGE"}],
    ///     "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "t", "AttributeType": "N"}]}"#)?)?;
    /// for t in 1..=5 {
    ///     let item = wire::item_from_json(format!(r#"{{"p": {{"S": "u1"}}, "t": {{"N": "{t}"}}}}"#).as_bytes())?;
    ///     store.put_item(PutItemInput::new("events", item))?;
    /// }
    /// let page = store.query(
    ///     QueryInput::new("events", "p = :p AND t >= :t")
    ///         .with_value(":p", AttributeValue::s("u1"))
    ///         .with_value(":t", AttributeValue::n(2))
    ///         .with_limit(2),
    /// )?;
    /// assert_eq!(page.count, 2);
    /// assert!(page.last_evaluated_key.is_some());
    /// # Ok::<(), dynacond::Error>(())
    /// ```
    pub fn query(&self, input: QueryInput) -> Result<QueryOutput, Error> {
        legacy::check_mixing(
            &[
                ("KeyConditions", input.key_conditions.is_some()),
                ("QueryFilter", input.query_filter.is_some()),
                ("ConditionalOperator", input.conditional_operator.is_some()),
                ("AttributesToGet", input.attributes_to_get.is_some()),
            ],
            &[
                (
                    "KeyConditionExpression",
                    input.key_condition_expression.is_some(),
                ),
                ("FilterExpression", input.filter_expression.is_some()),
                (
                    "ProjectionExpression",
                    input.projection_expression.is_some(),
                ),
            ],
        )?;
        let limit = limit(input.limit)?;
        let table = self.table(&input.table_name)?;
        no_index(input.index_name.as_deref())?;
        let (names, values) = (
            input.expression_attribute_names.as_ref(),
            input.expression_attribute_values.as_ref(),
        );
        // The legacy parameters, translated into the same trees (mixing
        // them with expressions was refused above).
        let legacy_key = match &input.key_conditions {
            Some(map) => legacy::key_conditions(map)?,
            None => None,
        };
        let legacy_filter = legacy::query_filter(
            input.query_filter.as_ref(),
            input.conditional_operator.as_ref().map(|v| v.as_str()),
        )?;
        let legacy_projection = input
            .attributes_to_get
            .as_deref()
            .map(legacy::attributes_to_get)
            .transpose()?;
        if input.key_condition_expression.is_none() && legacy_key.is_none() {
            return Err(Error::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            ));
        }
        if input.key_condition_expression.is_none() {
            legacy::check_placeholders_need_expressions(
                names.is_some(),
                values.is_some(),
                &[
                    ("KeyConditionExpression", false),
                    ("FilterExpression", input.filter_expression.is_some()),
                    (
                        "ProjectionExpression",
                        input.projection_expression.is_some(),
                    ),
                ],
            )?;
        }
        let select = select(
            input.select.as_ref().map(|v| v.as_str()),
            projection_parameter(
                input.projection_expression.is_some(),
                input.attributes_to_get.is_some(),
            ),
            "Querying",
        )?;
        let schema = table.schema();
        let exprs = ReadExpressions::parse(
            input.key_condition_expression.as_deref(),
            input.filter_expression.as_deref(),
            input.projection_expression.as_deref(),
            names,
            values,
        )?;
        let key = match (&exprs.key, &legacy_key) {
            (Some(key_expr), _) => {
                key_expr.bind(names, values)?;
                KeyCondition::analyse(key_expr, schema, names, values)?
            }
            (None, Some(l)) => {
                l.bind()?;
                KeyCondition::analyse(l.expression(), schema, Some(l.names()), Some(l.values()))?
            }
            (None, None) => {
                return Err(Error::Internal("Query without a key condition".into()));
            }
        };
        let filter = match (&exprs.filter, &legacy_filter) {
            (Some(f), _) => {
                let bound = f.bind(names, values)?;
                check_filter_keys(f.ast(), schema, names)?;
                Some(bound)
            }
            (None, Some(l)) => {
                let bound = l.bind()?;
                check_filter_keys(l.ast(), schema, Some(l.names()))?;
                Some(bound)
            }
            (None, None) => None,
        };
        let projection =
            legacy::bind_projection(exprs.projection.as_ref(), names, legacy_projection.as_ref())?;
        if let Some(values) = values {
            validate_value_contents(values)?;
        }
        let refs = exprs.references();
        check_all_used(names, values, &refs.iter().collect::<Vec<_>>())?;

        let forward = input.scan_index_forward.unwrap_or(true);
        let (mut lo, mut hi) = key.range();
        if let Some(start) = &input.exclusive_start_key {
            let start = schema.key_of_map(start).map_err(|e| {
                if e.message() == KEY_MISMATCH {
                    Error::validation("The provided starting key is invalid")
                } else {
                    e
                }
            })?;
            if start.partition != key.partition {
                return Err(Error::validation(
                    "The provided starting key is outside query boundaries based on provided conditions",
                ));
            }
            if !key.matches(&start) {
                return Err(Error::validation(
                    "The provided starting key does not match the range key predicate",
                ));
            }
            if forward {
                lo = Bound::Excluded(BoundKey::at(&start));
            } else {
                hi = Bound::Excluded(BoundKey::at(&start));
            }
        }
        let spec = PageSpec {
            limit,
            filter,
            projection,
            select,
        };
        let page = read_page(&table, lo, hi, forward, |k| key.matches(k), &spec);
        Ok(QueryOutput {
            items: page.items,
            count: page.count,
            scanned_count: page.scanned,
            last_evaluated_key: page.last_evaluated_key,
        })
    }

    /// `Scan`: every item of the table (or of one segment), in key order,
    /// one page at a time, filtered and projected.
    pub fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        legacy::check_mixing(
            &[
                ("ScanFilter", input.scan_filter.is_some()),
                ("ConditionalOperator", input.conditional_operator.is_some()),
                ("AttributesToGet", input.attributes_to_get.is_some()),
            ],
            &[
                ("FilterExpression", input.filter_expression.is_some()),
                (
                    "ProjectionExpression",
                    input.projection_expression.is_some(),
                ),
            ],
        )?;
        let limit = limit(input.limit)?;
        let segment = segments(input.segment, input.total_segments)?;
        let table = self.table(&input.table_name)?;
        no_index(input.index_name.as_deref())?;
        let select = select(
            input.select.as_ref().map(|v| v.as_str()),
            projection_parameter(
                input.projection_expression.is_some(),
                input.attributes_to_get.is_some(),
            ),
            "Scanning",
        )?;
        let schema = table.schema();
        let (names, values) = (
            input.expression_attribute_names.as_ref(),
            input.expression_attribute_values.as_ref(),
        );
        let legacy_filter = legacy::scan_filter(
            input.scan_filter.as_ref(),
            input.conditional_operator.as_ref().map(|v| v.as_str()),
        )?;
        let legacy_projection = input
            .attributes_to_get
            .as_deref()
            .map(legacy::attributes_to_get)
            .transpose()?;
        if input.filter_expression.is_none() {
            if input.projection_expression.is_none() && names.is_some() {
                return Err(Error::validation(
                    "ExpressionAttributeNames can only be specified when using expressions",
                ));
            }
            if values.is_some() {
                return Err(Error::validation(
                    "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
                ));
            }
        }
        let exprs = ReadExpressions::parse(
            None,
            input.filter_expression.as_deref(),
            input.projection_expression.as_deref(),
            names,
            values,
        )?;
        let filter = match (&exprs.filter, &legacy_filter) {
            (Some(f), _) => Some(f.bind(names, values)?),
            (None, Some(l)) => Some(l.bind()?),
            (None, None) => None,
        };
        let projection =
            legacy::bind_projection(exprs.projection.as_ref(), names, legacy_projection.as_ref())?;
        if let Some(values) = values {
            validate_value_contents(values)?;
        }
        let refs = exprs.references();
        check_all_used(names, values, &refs.iter().collect::<Vec<_>>())?;

        let mut lo = Bound::Unbounded;
        if let Some(start) = &input.exclusive_start_key {
            let start = schema.key_of_map(start).map_err(|e| {
                if e.message() == KEY_MISMATCH {
                    Error::validation(
                        "The provided starting key is invalid: The provided key element does not match the schema",
                    )
                } else {
                    e
                }
            })?;
            if let Some((segment, total)) = segment {
                if segment_of(&start.partition, total) != segment {
                    return Err(Error::validation(format!(
                        "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {total} Segment: {segment}"
                    )));
                }
            }
            lo = Bound::Excluded(BoundKey::at(&start));
        }
        let spec = PageSpec {
            limit,
            filter,
            projection,
            select,
        };
        let keep = |k: &PrimaryKey| {
            segment.is_none_or(|(segment, total)| segment_of(&k.partition, total) == segment)
        };
        let page = read_page(&table, lo, Bound::Unbounded, true, keep, &spec);
        Ok(ScanOutput {
            items: page.items,
            count: page.count,
            scanned_count: page.scanned,
            last_evaluated_key: page.last_evaluated_key,
        })
    }
}

/// Checks `Segment` / `TotalSegments`: both or neither, in range, segment
/// below the total. Gives `(segment, total)`.
fn segments(segment: Option<i64>, total: Option<i64>) -> Result<Option<(u64, u64)>, Error> {
    let constraint = |value: i64, member: &str, constraint: &str| {
        Error::validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value {constraint}"
        ))
    };
    if let Some(t) = total {
        if t < 1 {
            return Err(constraint(t, "totalSegments", "greater than or equal to 1"));
        }
        if t > MAX_TOTAL_SEGMENTS {
            return Err(constraint(
                t,
                "totalSegments",
                &format!("less than or equal to {MAX_TOTAL_SEGMENTS}"),
            ));
        }
    }
    if let Some(s) = segment {
        if s < 0 {
            return Err(constraint(s, "segment", "greater than or equal to 0"));
        }
        if s >= MAX_TOTAL_SEGMENTS {
            return Err(constraint(
                s,
                "segment",
                &format!("less than or equal to {}", MAX_TOTAL_SEGMENTS - 1),
            ));
        }
    }
    match (segment, total) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(Error::validation(
            "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
        )),
        (None, Some(_)) => Err(Error::validation(
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
        )),
        (Some(s), Some(t)) if s >= t => Err(Error::validation(format!(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"
        ))),
        (Some(s), Some(t)) => Ok(Some((s.unsigned_abs(), t.unsigned_abs()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::PutItemInput;
    use crate::store::{KeyValue, ScalarType};
    use crate::value::AttributeValue;
    use crate::wire;

    fn schema(sort: ScalarType) -> KeySchema {
        wire_schema(Some(sort))
    }

    fn wire_schema(sort: Option<ScalarType>) -> KeySchema {
        use crate::store::KeyAttribute;
        KeySchema {
            partition: KeyAttribute {
                name: "p".into(),
                scalar_type: ScalarType::S,
            },
            sort: sort.map(|scalar_type| KeyAttribute {
                name: "c".into(),
                scalar_type,
            }),
        }
    }

    fn analyse(text: &str, values: &[(&str, AttributeValue)]) -> Result<KeyCondition, Error> {
        let values: ExpressionAttributeValues = values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let expr = ConditionExpression::parse_as(text, ExpressionKind::KeyCondition)?;
        expr.bind(None, Some(&values))?;
        KeyCondition::analyse(&expr, &schema(ScalarType::N), None, Some(&values))
    }

    fn n(x: i64) -> KeyValue {
        KeyValue::N(Number::from(x))
    }

    use crate::number::Number;

    #[test]
    fn reversed_operands_flip_the_operator() {
        let p = (":p", AttributeValue::s("k"));
        let v = (":v", AttributeValue::n(3));
        for (text, want) in [
            ("p = :p AND :v < c", SortCondition::Gt(n(3))),
            ("p = :p AND :v <= c", SortCondition::Ge(n(3))),
            ("p = :p AND :v > c", SortCondition::Lt(n(3))),
            ("p = :p AND :v >= c", SortCondition::Le(n(3))),
            ("p = :p AND :v = c", SortCondition::Eq(n(3))),
            ("c < :v AND :p = p", SortCondition::Lt(n(3))),
        ] {
            let got = analyse(text, &[p.clone(), v.clone()]).unwrap();
            assert_eq!(got.partition, KeyValue::S("k".into()), "{text}");
            assert_eq!(got.sort, Some(want), "{text}");
        }
        assert_eq!(analyse("p = :p", &[p]).unwrap().sort, None);
    }

    #[test]
    fn sort_conditions_match_and_bound() {
        let cases = [
            (SortCondition::Eq(n(2)), [false, true, false]),
            (SortCondition::Lt(n(2)), [true, false, false]),
            (SortCondition::Le(n(2)), [true, true, false]),
            (SortCondition::Gt(n(2)), [false, false, true]),
            (SortCondition::Ge(n(2)), [false, true, true]),
            (SortCondition::Between(n(1), n(2)), [true, true, false]),
        ];
        for (cond, want) in cases {
            let got = [1, 2, 3].map(|x| cond.matches(&n(x)));
            assert_eq!(got, want, "{cond:?}");
        }
        let prefix = SortCondition::BeginsWith(KeyValue::S("ab".into()));
        assert!(prefix.matches(&KeyValue::S("abc".into())));
        assert!(!prefix.matches(&KeyValue::S("a".into())));
        assert!(!prefix.matches(&n(1)));
    }

    #[test]
    fn prefix_successors() {
        let s = |x: &str| Some(KeyValue::S(x.into()));
        assert_eq!(prefix_successor(&KeyValue::S("ab".into())), s("ac"));
        assert_eq!(
            prefix_successor(&KeyValue::S("a\u{D7FF}".into())),
            s("a\u{E000}")
        );
        assert_eq!(prefix_successor(&KeyValue::S("a\u{10FFFF}".into())), s("b"));
        assert_eq!(prefix_successor(&KeyValue::S("\u{10FFFF}".into())), None);
        assert_eq!(prefix_successor(&KeyValue::S(String::new())), None);
        let b = |x: &[u8]| Some(KeyValue::B(x.to_vec()));
        assert_eq!(prefix_successor(&KeyValue::B(vec![1, 0xFF])), b(&[2]));
        assert_eq!(prefix_successor(&KeyValue::B(vec![0x7F])), b(&[0x80]));
        assert_eq!(prefix_successor(&KeyValue::B(vec![0xFF, 0xFF])), None);
    }

    #[test]
    fn empty_and_inverted_ranges_read_nothing() {
        let at = |x| BoundKey {
            partition: KeyValue::S("k".into()),
            sort: SortPos::Value(n(x)),
        };
        assert!(non_empty(&Bound::Included(at(1)), &Bound::Included(at(1))));
        assert!(!non_empty(&Bound::Excluded(at(1)), &Bound::Excluded(at(1))));
        assert!(!non_empty(&Bound::Included(at(1)), &Bound::Excluded(at(1))));
        assert!(!non_empty(&Bound::Included(at(2)), &Bound::Included(at(1))));
        assert!(non_empty(&Bound::Excluded(at(2)), &Bound::Unbounded));
    }

    #[test]
    fn segments_are_stable_and_spread() {
        // Fixed values: changing the hash would move items between the
        // segments of a parallel scan already under way.
        assert_eq!(segment_of(&KeyValue::S("k1".into()), 1), 0);
        let spread: std::collections::BTreeSet<u64> = (0..200)
            .map(|i| segment_of(&KeyValue::S(format!("p{i}")), 4))
            .collect();
        assert_eq!(spread.len(), 4);
        // Numbers hash by value, whatever the spelling.
        let a = KeyValue::N("1000".parse().unwrap());
        let b = KeyValue::N("1E+3".parse().unwrap());
        assert_eq!(segment_of(&a, 97), segment_of(&b, 97));
        assert_eq!(segment_of(&a, 0), 0);
    }

    #[test]
    fn long_partitions_cross_batches_both_ways() {
        let store = Store::new();
        store
            .create_table(
                wire::from_str(
                    r#"{"TableName": "tbl", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                    {"AttributeName": "c", "KeyType": "RANGE"}],
                    "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                    {"AttributeName": "c", "AttributeType": "N"}]}"#,
                )
                .unwrap(),
            )
            .unwrap();
        let count = BATCH * 2 + 17;
        for p in ["a", "b", "c"] {
            for c in 0..count {
                let item = wire::item_from_json(
                    format!(r#"{{"p": {{"S": "{p}"}}, "c": {{"N": "{c}"}}}}"#).as_bytes(),
                )
                .unwrap();
                store.put_item(PutItemInput::new("tbl", item)).unwrap();
            }
        }
        for forward in [true, false] {
            let out = store
                .query(
                    QueryInput::new("tbl", "p = :p AND c >= :c")
                        .with_value(":p", AttributeValue::s("b"))
                        .with_value(":c", AttributeValue::n(10))
                        .with_scan_index_forward(forward),
                )
                .unwrap();
            let got: Vec<i64> = out
                .items
                .unwrap()
                .iter()
                .map(|i| i["c"].as_n().unwrap().to_i64().unwrap())
                .collect();
            let mut want: Vec<i64> = (10..count as i64).collect();
            if !forward {
                want.reverse();
            }
            assert_eq!(got, want);
            assert_eq!(out.scanned_count, want.len() as u64);
        }
        let all = store.scan(ScanInput::new("tbl")).unwrap();
        assert_eq!(all.count as usize, 3 * count);
    }

    #[test]
    fn no_sort_condition_on_a_hash_only_table() {
        let values: ExpressionAttributeValues = [(":p".to_owned(), AttributeValue::s("k"))]
            .into_iter()
            .collect();
        let expr = ConditionExpression::parse_as("p = :p", ExpressionKind::KeyCondition).unwrap();
        let key = KeyCondition::analyse(&expr, &wire_schema(None), None, Some(&values)).unwrap();
        let (lo, hi) = key.range();
        let item = PrimaryKey {
            partition: KeyValue::S("k".into()),
            sort: None,
        };
        let pos = item.position();
        assert!(matches!(&lo, Bound::Included(b) if b.position() <= pos));
        assert!(matches!(&hi, Bound::Included(b) if b.position() >= pos));
        assert!(key.matches(&item));
    }
}
