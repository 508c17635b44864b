//! Query and Scan: KeyConditionExpression analysis, range reads over the
//! ordered item map, FilterExpression, pagination (spec §6.6, §10).
//!
//! # Key conditions
//!
//! A KeyConditionExpression is parsed with the condition grammar (so syntax,
//! placeholder, operand-type and `BETWEEN`-bound errors are the condition
//! language's, headed `Invalid KeyConditionExpression: `), bound to the
//! request's placeholder maps, then analysed by the key-condition analysis
//! into a partition-key value and an optional sort-key condition, with
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
use std::sync::Arc;

use crate::api::{self, QueryInput, QueryOutput, ScanInput, ScanOutput};
use crate::condition::BoundCondition;
use crate::constraints::{self, present};
use crate::error::Error;
use crate::projection::BoundProjection;
use crate::store::capacity::{Consumed, Mirror, Read};
use crate::store::catalog::Store;
use crate::store::index::{Index, IndexKind};
use crate::store::index_read::IndexRead;
use crate::store::items::validate_key_values;
use crate::store::key::{KeyError, KeySchema, PrimaryKey};
use crate::store::pipeline::Operation;
use crate::store::table::Table;
use crate::value::{AttributeValue, Item, item_size};
use crate::wire;

/// The most item bytes one page reads (1 MB), counted before the filter.
pub const PAGE_BYTES: usize = 1024 * 1024;

/// The largest `TotalSegments`.
pub const MAX_TOTAL_SEGMENTS: i64 = 1_000_000;
use crate::store::range::*;

// ---------------------------------------------------------------------------
// Request checks shared by Query and Scan

/// What `Select` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Select {
    All,
    /// `ALL_PROJECTED_ATTRIBUTES` (index reads only; their default).
    AllProjected,
    Specific,
    Count,
}

/// Checks `Select`; `projection` names the projection parameter given
/// (`ProjectionExpression` or `AttributesToGet`), if any.
fn select(
    value: Option<&api::Select>,
    projection: Option<&str>,
    verb: &str,
    indexed: bool,
) -> Result<Select, Error> {
    let given = projection.unwrap_or("ProjectionExpression");
    let projection = projection.is_some();
    match value.map(api::Select::as_str) {
        None => Ok(if projection {
            Select::Specific
        } else if indexed {
            Select::AllProjected
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
        Some("ALL_PROJECTED_ATTRIBUTES") if projection => Err(Error::validation(format!(
            "Cannot specify the {given} when choosing to get ALL_PROJECTED_ATTRIBUTES"
        ))),
        Some("ALL_PROJECTED_ATTRIBUTES") if indexed => Ok(Select::AllProjected),
        Some("ALL_PROJECTED_ATTRIBUTES") => Err(Error::validation(format!(
            "ALL_PROJECTED_ATTRIBUTES can be used only when {verb} using an IndexName"
        ))),
        // Unknown values were refused by the constraint layer.
        Some(_) => Ok(Select::All),
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

/// The index a read names, if any: unknown names and consistent reads of a
/// GSI are refused (indexes.md §5.1).
fn index_of(
    table: &Table,
    name: Option<&str>,
    consistent: Option<bool>,
) -> Result<Option<Arc<Index>>, Error> {
    let Some(name) = name else {
        return Ok(None);
    };
    let index = table.index(name).ok_or_else(|| {
        Error::validation(format!(
            "The table does not have the specified index: {name}"
        ))
    })?;
    if index.kind == IndexKind::Global && consistent == Some(true) {
        return Err(Error::validation(
            "Consistent reads are not supported on global secondary indexes",
        ));
    }
    Ok(Some(index))
}

// ---------------------------------------------------------------------------
// The page loop

/// What one page reads and returns.
pub(crate) struct PageSpec<'a> {
    pub(crate) limit: Option<usize>,
    pub(crate) filter: Option<BoundCondition<'a>>,
    pub(crate) projection: Option<BoundProjection<'a>>,
    pub(crate) select: Select,
}

pub(crate) struct Page {
    pub(crate) items: Option<Vec<Item>>,
    pub(crate) count: u64,
    pub(crate) scanned: u64,
    pub(crate) last_evaluated_key: Option<Item>,
    /// The bytes of the items (or index entries) evaluated, before filter
    /// and projection: the page's read capacity.
    pub(crate) bytes: usize,
    /// The sizes of the base items a local index read fetched.
    pub(crate) fetched: Vec<usize>,
}

/// Reads one page of the range `lo..hi` (descending when `!forward`),
/// keeping keys for which `keep` holds.
/// The page a Query or Scan is building, table and index reads alike:
/// counts, sizes, the filter, `Select` and the projection, and when the
/// page is full (`Limit` items evaluated, or 1 MB read).
pub(crate) struct PageBuilder<'s, 'a> {
    spec: &'s PageSpec<'a>,
    items: Vec<Item>,
    count: u64,
    scanned: u64,
    bytes: usize,
    fetched: Vec<usize>,
}

impl<'s, 'a> PageBuilder<'s, 'a> {
    pub(crate) fn new(spec: &'s PageSpec<'a>) -> Self {
        PageBuilder {
            spec,
            items: Vec::new(),
            count: 0,
            scanned: 0,
            bytes: 0,
            fetched: Vec::new(),
        }
    }

    /// Evaluates one item, which counts `size` bytes toward the page;
    /// true when the page is now full.
    pub(crate) fn take(&mut self, item: &Item, size: usize) -> bool {
        let spec = self.spec;
        self.scanned += 1;
        self.bytes = self.bytes.saturating_add(size);
        if spec.filter.as_ref().is_none_or(|f| f.evaluate(item)) {
            self.count += 1;
            if spec.select != Select::Count {
                self.items.push(match &spec.projection {
                    Some(p) => p.project(item),
                    None => item.clone(),
                });
            }
        }
        spec.limit.is_some_and(|l| self.scanned >= l as u64) || self.bytes >= PAGE_BYTES
    }

    /// Notes a base item of `size` bytes that a local index read fetched.
    pub(crate) fn fetched(&mut self, size: usize) {
        self.fetched.push(size);
    }

    /// The page, with its `LastEvaluatedKey` when it stopped full.
    pub(crate) fn finish(self, last_evaluated_key: Option<Item>) -> Page {
        Page {
            items: (self.spec.select != Select::Count).then_some(self.items),
            count: self.count,
            scanned: self.scanned,
            last_evaluated_key,
            bytes: self.bytes,
            fetched: self.fetched,
        }
    }
}

pub(crate) fn read_page(
    table: &Table,
    mut lo: Bound<BoundKey>,
    mut hi: Bound<BoundKey>,
    forward: bool,
    keep: impl Fn(&PrimaryKey) -> bool,
    spec: &PageSpec<'_>,
) -> Page {
    let mut page = PageBuilder::new(spec);
    let mut last: Option<PrimaryKey> = None;
    let mut stopped = false;
    'pages: loop {
        let batch = batch(table, &lo, &hi, forward);
        let full = batch.len() == BATCH;
        for (key, slot) in &batch {
            if !keep(key) {
                continue;
            }
            let Some(item) = slot.copy(key) else { continue };
            let done = page.take(&item, item_size(&item));
            last = Some(key.clone());
            if done {
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
    let last = last.filter(|_| stopped);
    page.finish(last.map(|k| table.schema().key_item(&k)))
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
        constraints::check(&input)?;
        let limit = input
            .limit
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        let request = input.request()?.cached(self.expressions());
        if let Some(start) = &input.exclusive_start_key {
            validate_key_values(start)?;
        }
        let translated = request.translate()?;
        let select = select(
            input.select.as_ref(),
            projection_parameter(
                input.projection_expression.is_some(),
                input.attributes_to_get.is_some(),
            ),
            "Querying",
            input.index_name.is_some(),
        )?;
        let compiled = translated.parse()?;
        let mut bound = compiled.bind()?;
        let table = self.table(present(input.table_name.as_ref(), "tableName")?)?;
        let index = index_of(&table, input.index_name.as_deref(), input.consistent_read)?;
        if let Some(index) = index {
            let read = IndexRead {
                table: &table,
                index: &index,
                forward: input.scan_index_forward.unwrap_or(true),
                start: input.exclusive_start_key.as_ref(),
                segment: None,
                spec: PageSpec {
                    limit,
                    filter: None,
                    projection: None,
                    select,
                },
            };
            let page = read.query(bound)?;
            let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
            consumed.read_index(&table, &index, &page, Read::of(input.consistent_read));
            return Ok(QueryOutput {
                items: page.items,
                count: page.count,
                scanned_count: page.scanned,
                last_evaluated_key: page.last_evaluated_key,
                consumed_capacity: consumed.single(),
            });
        }
        let schema = table.schema();
        let start = input
            .exclusive_start_key
            .as_ref()
            .map(|start| start_key(schema, start, Operation::Query))
            .transpose()?;
        bound.check_schema(schema)?;
        // The pipeline requires a key condition of a Query.
        let Some(key) = bound.key_condition else {
            return Err(Error::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            ));
        };

        let forward = input.scan_index_forward.unwrap_or(true);
        let (mut lo, mut hi) = key.range();
        if let Some(start) = start {
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
            filter: bound.filter,
            projection: bound.projection,
            select,
        };
        let page = read_page(&table, lo, hi, forward, |k| key.matches(k), &spec);
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        consumed.read_range(table.name(), page.bytes, Read::of(input.consistent_read));
        Ok(QueryOutput {
            items: page.items,
            count: page.count,
            scanned_count: page.scanned,
            last_evaluated_key: page.last_evaluated_key,
            consumed_capacity: consumed.single(),
        })
    }

    /// `Scan`: every item of the table (or of one segment), in key order,
    /// one page at a time, filtered and projected.
    pub fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        constraints::check(&input)?;
        let limit = input
            .limit
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        let (request, segment) = input.request()?;
        let request = request.cached(self.expressions());
        if let Some(start) = &input.exclusive_start_key {
            validate_key_values(start)?;
        }
        let select = select(
            input.select.as_ref(),
            projection_parameter(
                input.projection_expression.is_some(),
                input.attributes_to_get.is_some(),
            ),
            // DynamoDB says "Querying" for a Scan too (indexes.md §5.2).
            "Querying",
            input.index_name.is_some(),
        )?;
        let compiled = request.compile()?;
        let mut bound = compiled.bind()?;
        let table = self.table(present(input.table_name.as_ref(), "tableName")?)?;
        let index = index_of(&table, input.index_name.as_deref(), input.consistent_read)?;
        if let Some(index) = index {
            let read = IndexRead {
                table: &table,
                index: &index,
                forward: true,
                start: input.exclusive_start_key.as_ref(),
                segment,
                spec: PageSpec {
                    limit,
                    filter: None,
                    projection: None,
                    select,
                },
            };
            let page = read.scan(bound)?;
            let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
            consumed.read_index(&table, &index, &page, Read::of(input.consistent_read));
            return Ok(ScanOutput {
                items: page.items,
                count: page.count,
                scanned_count: page.scanned,
                last_evaluated_key: page.last_evaluated_key,
                consumed_capacity: consumed.single(),
            });
        }
        let schema = table.schema();
        bound.check_schema(schema)?;

        let mut lo = Bound::Unbounded;
        if let Some(start) = &input.exclusive_start_key {
            let start = start_key(schema, start, Operation::Scan)?;
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
            filter: bound.filter,
            projection: bound.projection,
            select,
        };
        let keep = |k: &PrimaryKey| {
            segment.is_none_or(|(segment, total)| segment_of(&k.partition, total) == segment)
        };
        let page = read_page(&table, lo, Bound::Unbounded, true, keep, &spec);
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        consumed.read_range(table.name(), page.bytes, Read::of(input.consistent_read));
        Ok(ScanOutput {
            items: page.items,
            count: page.count,
            scanned_count: page.scanned,
            last_evaluated_key: page.last_evaluated_key,
            consumed_capacity: consumed.single(),
        })
    }
}

/// An `ExclusiveStartKey` against the table's key schema, with DynamoDB's
/// messages (validation.md §7.2): a Query of a table without a sort key
/// cannot be restarted at all; other attributes than the key's are
/// "invalid" (with the schema sentence for a Scan); key attributes of the
/// wrong type do not match the schema.
pub(crate) fn start_key(
    schema: &KeySchema,
    start: &Item,
    op: Operation,
) -> Result<PrimaryKey, Error> {
    if op == Operation::Query && schema.sort.is_none() {
        let shown: Vec<String> = start
            .iter()
            .map(|(name, value)| format!("{name}={}", show_attribute(value)))
            .collect();
        return Err(Error::validation(format!(
            "The provided exclusive start key is invalid: ExclusiveStartKey: {{{}}}",
            shown.join(", ")
        )));
    }
    const MISMATCH: &str =
        "The provided starting key is invalid: The provided key element does not match the schema";
    let same_names = start.len() == schema.attributes().count()
        && schema.attributes().all(|a| start.contains_key(&a.name));
    if !same_names {
        return Err(Error::validation(if op == Operation::Query {
            "The provided starting key is invalid"
        } else {
            MISMATCH
        }));
    }
    schema.map_key(start).map_err(|e| match e {
        KeyError::Mismatch => Error::validation(MISMATCH),
        other => other.into(),
    })
}

/// A value as DynamoDB's Java SDK prints it inside that message:
/// `AttributeValue: {S:text}`.
fn show_attribute(value: &AttributeValue) -> String {
    let text = match value {
        AttributeValue::S(s) => format!("S:{s}"),
        AttributeValue::N(n) => format!("N:{n}"),
        other => format!(
            "{}:{}",
            other.value_type().code(),
            wire::value_to_json(other)
        ),
    };
    format!("AttributeValue: {{{text}}}")
}

/// Checks `Segment` / `TotalSegments`: both or neither, segment below the
/// total. Gives `(segment, total)`.
pub(crate) fn segments(
    segment: Option<i64>,
    total: Option<i64>,
) -> Result<Option<(u64, u64)>, Error> {
    // The ranges were checked by the constraint layer.
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
    use crate::condition::ConditionExpression;
    use crate::parser::error::ExpressionKind;
    use crate::placeholders::ExpressionAttributeValues;
    use crate::store::key_condition::*;
    use crate::store::{KeySchema, KeyValue, ScalarType};
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
