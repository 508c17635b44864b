//! A SELECT of ExecuteStatement (spec partiql.md §7): its plan's reads, each
//! through the request pipeline (its key condition and the WHERE as the
//! filter, prebuilt trees) and the Query/Scan page loop of the table or
//! index, one page at a time; projection by leaf names; `NextToken`.
//!
//! `Limit` counts the items evaluated across all reads of a page. A page
//! that stops early (its `Limit`, or 1 MB) hands out a `NextToken`: base64
//! of the read it stopped in, the last key it evaluated there and a
//! fingerprint of the statement, its parameters and index, so the token
//! only continues the request it came from.

use std::ops::Bound;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use super::{Prepared, bare};
use crate::api::{ExecuteStatementInput, ExecuteStatementOutput};
use crate::ast::{Comparator, ConditionTree, Name, Operand, Path, PathElement, Span, ValueRef};
use crate::condition::ConditionExpression;
use crate::error::Error;
use crate::parser::error::ExpressionKind;
use crate::partiql::lower::{Lowered, Projected};
use crate::path::{Step, bind_path, resolve};
use crate::placeholders::ExpressionAttributeValues;
use crate::store::capacity::{Consumed, Mirror, Read};
use crate::store::catalog::Store;
use crate::store::index::{Index, IndexKind};
use crate::store::index_read::IndexRead;
use crate::store::key::KeySchema;
use crate::store::key_condition::{KeyCondition, SortCondition};
use crate::store::pipeline::{Operation, Params, Prebuilt, Request};
use crate::store::query::{PAGE_BYTES, Page, PageSpec, Select, read_page, start_key};
use crate::store::range::BoundKey;
use crate::store::table::Table;
use crate::value::{AttributeValue, Item};

use super::plan::{self, Access};

/// Where the next page starts: a read of the plan and the last key read
/// there (none: at its start).
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    /// The fingerprint of the request.
    f: String,
    /// The read.
    r: usize,
    /// The last evaluated key, as DynamoDB JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    k: Option<serde_json::Value>,
}

fn invalid_token() -> Error {
    Error::validation("Invalid NextToken")
}

/// A stable hash of what a token must be replayed with.
fn fingerprint(input: &ExecuteStatementInput) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    };
    feed(input.statement.as_deref().unwrap_or_default().as_bytes());
    let params = input
        .parameters
        .as_ref()
        .map(|p| serde_json::to_string(p).unwrap_or_default())
        .unwrap_or_default();
    feed(params.as_bytes());
    format!("{hash:016x}")
}

fn encode(cursor: &Cursor) -> String {
    BASE64.encode(serde_json::to_vec(cursor).unwrap_or_default())
}

/// The cursor of a `NextToken`, if it belongs to this request.
fn decode(token: &str, fingerprint: &str) -> Result<(usize, Option<Item>), Error> {
    let bytes = BASE64.decode(token).map_err(|_| invalid_token())?;
    let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid_token())?;
    if cursor.f != fingerprint {
        return Err(Error::validation("NextToken does not match request"));
    }
    let key = cursor
        .k
        .map(crate::wire::from_value::<Item>)
        .transpose()
        .map_err(|_| invalid_token())?;
    Ok((cursor.r, key))
}

/// The index a statement names: unknown names and consistent reads of a
/// GSI are refused (spec §7.6).
fn index_of(
    table: &Table,
    name: Option<&str>,
    consistent: Option<bool>,
) -> Result<Option<Arc<Index>>, Error> {
    let Some(name) = name else {
        return Ok(None);
    };
    let index = table
        .index(name)
        .ok_or_else(|| Error::validation("The table does not have the specified index"))?;
    if index.kind == IndexKind::Global && consistent == Some(true) {
        return Err(Error::validation(
            "Strongly consistent read is not supported on Global Secondary Indexes",
        ));
    }
    Ok(Some(index))
}

/// A key read as a key condition tree, its values added to `values`.
fn key_tree(
    read: &KeyCondition,
    schema: &KeySchema,
    values: &mut ExpressionAttributeValues,
) -> ConditionTree {
    let mut value = |v: AttributeValue| {
        let name = format!(":~k{}", values.len());
        values.insert(name.clone(), v);
        Operand::Value(ValueRef {
            name: Arc::from(name),
            span: Span::default(),
        })
    };
    let path = |name: &str| {
        Operand::Path(Path {
            elements: vec![PathElement::Name(Name::Bare(Arc::from(name)))],
            span: Span::default(),
        })
    };
    let partition = ConditionTree::Compare {
        op: Comparator::Eq,
        left: path(&schema.partition.name),
        right: value(read.partition.to_attribute()),
    };
    let (Some(sort), Some(attr)) = (&read.sort, &schema.sort) else {
        return partition;
    };
    let sk = path(&attr.name);
    let compare =
        |op, v: &crate::store::key::KeyValue, value: &mut dyn FnMut(AttributeValue) -> Operand| {
            ConditionTree::Compare {
                op,
                left: sk.clone(),
                right: value(v.to_attribute()),
            }
        };
    let sort = match sort {
        SortCondition::Eq(v) => compare(Comparator::Eq, v, &mut value),
        SortCondition::Lt(v) => compare(Comparator::Lt, v, &mut value),
        SortCondition::Le(v) => compare(Comparator::Le, v, &mut value),
        SortCondition::Gt(v) => compare(Comparator::Gt, v, &mut value),
        SortCondition::Ge(v) => compare(Comparator::Ge, v, &mut value),
        SortCondition::Between(lo, hi) => ConditionTree::Between {
            value: sk.clone(),
            low: value(lo.to_attribute()),
            high: value(hi.to_attribute()),
        },
        SortCondition::BeginsWith(p) => {
            ConditionTree::BeginsWith(sk.clone(), value(p.to_attribute()))
        }
    };
    ConditionTree::And(Box::new(partition), Box::new(sort))
}

/// The projected paths, bound, with the names their values go under.
pub(super) fn bind_projection(
    projection: &[Projected],
) -> Result<Vec<(Vec<Step<'_>>, &str)>, Error> {
    projection
        .iter()
        .map(|p| {
            let steps = bind_path(&p.path, None, |_| {
                Error::Internal("a name placeholder".into())
            })?;
            Ok((steps, p.name.as_str()))
        })
        .collect()
}

/// An item reduced to the projected values, each under its leaf name.
pub(super) fn flatten(item: &Item, paths: &[(Vec<Step<'_>>, &str)]) -> Item {
    let mut out = Item::with_capacity(paths.len());
    for (steps, name) in paths {
        if let Some(v) = resolve(steps, item) {
            out.insert((*name).to_owned(), v.clone());
        }
    }
    out
}

/// What one read of the plan needs.
struct ReadContext<'a> {
    table: &'a Table,
    index: Option<&'a Index>,
    statement_values: &'a ExpressionAttributeValues,
    filter: Option<&'a ConditionExpression>,
    select: Select,
    forward: bool,
}

impl ReadContext<'_> {
    /// One read of the plan (a key read, or the scan), from `start`.
    fn read(
        &self,
        key: Option<&KeyCondition>,
        start: Option<&Item>,
        limit: Option<usize>,
    ) -> Result<Page, Error> {
        let index_schema = self.index.map(|i| i.schema.as_key_schema());
        let schema = match &index_schema {
            None => Some(self.table.schema()),
            Some(simple) => simple.as_ref(),
        };
        let mut values = self.statement_values.clone();
        let key_condition = match key {
            None => None,
            // A key read is planned only against a key of one partition
            // and at most one sort attribute (`plan_select`).
            Some(k) => {
                let schema = schema.ok_or_else(|| {
                    Error::Internal("a key read of a multi-attribute index".into())
                })?;
                Some(ConditionExpression::from_ast(
                    key_tree(k, schema, &mut values),
                    ExpressionKind::KeyCondition,
                ))
            }
        };
        let prebuilt = Prebuilt {
            key_condition,
            filter: self.filter.cloned(),
            values,
            ..Prebuilt::default()
        };
        let request = Request::new(
            Operation::Statement,
            Params {
                prebuilt: Some(&prebuilt),
                ..Params::default()
            },
        )?;
        let compiled = request.compile()?;
        let mut bound = compiled.bind().map_err(bare)?;
        let spec = PageSpec {
            limit,
            filter: None,
            projection: None,
            select: self.select,
        };
        if let Some(index) = self.index {
            let read = IndexRead {
                table: self.table,
                index,
                forward: self.forward,
                start,
                segment: None,
                spec,
            };
            return if key.is_some() {
                read.query(bound)
            } else {
                read.scan(bound)
            };
        }
        let schema = self.table.schema();
        bound.check_schema(schema).map_err(bare)?;
        let start = start
            .map(|s| start_key(schema, s, Operation::Scan))
            .transpose()
            .map_err(|_| invalid_token())?;
        let spec = PageSpec {
            filter: bound.filter.take(),
            ..spec
        };
        let after = |lo: &mut Bound<BoundKey>, hi: &mut Bound<BoundKey>| {
            if let Some(start) = &start {
                let at = Bound::Excluded(BoundKey::at(start));
                if self.forward {
                    *lo = at;
                } else {
                    *hi = at;
                }
            }
        };
        Ok(match bound.key_condition.take() {
            Some(key) => {
                let (mut lo, mut hi) = key.range();
                after(&mut lo, &mut hi);
                read_page(self.table, lo, hi, self.forward, |k| key.matches(k), &spec)
            }
            None => {
                let (mut lo, mut hi) = (Bound::Unbounded, Bound::Unbounded);
                after(&mut lo, &mut hi);
                read_page(self.table, lo, hi, true, |_| true, &spec)
            }
        })
    }
}

impl Store {
    /// A SELECT: one page of its rows.
    pub(super) fn select(
        &self,
        prepared: &Prepared,
        input: &ExecuteStatementInput,
    ) -> Result<ExecuteStatementOutput, Error> {
        let Lowered::Select {
            target,
            projection,
            filter,
            order_by,
        } = &prepared.lowered
        else {
            return Err(Error::Internal("not a SELECT".into()));
        };
        // Only a token needs the fingerprint: computed when one is read or
        // handed out.
        let resume = input
            .next_token
            .as_deref()
            .map(|t| decode(t, &fingerprint(input)))
            .transpose()?;
        let table = self.table(&target.table)?;
        let index = index_of(&table, target.index.as_deref(), input.consistent_read)?;
        let index_schema = index.as_ref().map(|i| i.schema.as_key_schema());
        let plan = match index_schema
            .as_ref()
            .map_or(Some(table.schema()), Option::as_ref)
        {
            Some(schema) => {
                let access = plan::access(
                    filter.as_ref().map(ConditionExpression::ast),
                    schema,
                    &prepared.values,
                )?;
                plan::order(access, order_by, schema)?
            }
            // A multi-attribute GSI: no key read of this planner expresses
            // its key, and the WHERE filters every item read anyway, so a
            // scan of the index gives the same items.
            None => plan::unordered_scan(order_by)?,
        };
        let select = match (&index, projection) {
            (None, _) => Select::All,
            (Some(index), Some(paths)) => {
                let names: Vec<&str> = paths
                    .iter()
                    .filter_map(|p| p.path.top_name().map(Name::as_str))
                    .collect();
                let missing: Vec<&str> = names
                    .iter()
                    .copied()
                    .filter(|n| !index.projects(n, table.schema()))
                    .collect();
                match (index.kind, missing.is_empty()) {
                    (_, true) => Select::AllProjected,
                    (IndexKind::Local, false) => Select::All,
                    (IndexKind::Global, false) => {
                        return Err(Error::validation(format!(
                            "One or more parameter values were invalid: Global secondary index {} does not project [{}]",
                            index.name,
                            missing.join(", ")
                        )));
                    }
                }
            }
            (Some(_), None) => Select::AllProjected,
        };
        // A keyed read of an index filters what the index holds: a WHERE
        // naming attributes it does not project is refused (spec §7.6; a
        // scan of the index just finds no match for them).
        if let (Some(index), Access::Keys(_), Some(filter)) = (&index, &plan.access, &filter) {
            let missing: Vec<String> = plan::top_names(filter.ast())
                .into_iter()
                .filter(|n| !index.projects(n, table.schema()))
                .collect();
            if !missing.is_empty() {
                return Err(Error::validation(format!(
                    "One or more parameter values were invalid: Secondary index {} does not project one or more filter attributes: [{}]",
                    index.name,
                    missing.join(", ")
                )));
            }
        }
        let paths = projection.as_deref().map(bind_projection).transpose()?;
        let context = ReadContext {
            table: &table,
            index: index.as_deref(),
            statement_values: &prepared.values,
            filter: filter.as_ref(),
            select,
            forward: !plan.descending,
        };
        let keys: Vec<Option<&KeyCondition>> = match &plan.access {
            Access::Scan => vec![None],
            Access::Keys(reads) => reads.iter().map(Some).collect(),
        };
        let (first, mut start) = resume.map_or((0, None), |(r, k)| (r, k));
        if first > keys.len() {
            return Err(invalid_token());
        }
        let read_kind = Read::of(input.consistent_read);
        let mut consumed = Consumed::new(input.return_consumed_capacity.as_ref(), Mirror::None);
        let mut limit = input
            .limit
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        let mut items = Vec::new();
        let mut next: Option<Cursor> = None;
        let mut bytes = 0usize;
        for (i, key) in keys.iter().enumerate().skip(first) {
            if bytes >= PAGE_BYTES {
                next = Some(Cursor {
                    f: fingerprint(input),
                    r: i,
                    k: None,
                });
                break;
            }
            let page = context.read(*key, start.take().as_ref(), limit)?;
            match &index {
                Some(index) => consumed.read_index(&table, index, &page, read_kind),
                None => consumed.read_range(table.name(), page.bytes, read_kind),
            }
            bytes = bytes.saturating_add(page.bytes);
            for item in page.items.into_iter().flatten() {
                items.push(match &paths {
                    Some(paths) => flatten(&item, paths),
                    None => item,
                });
            }
            if let Some(last) = page.last_evaluated_key {
                next = Some(Cursor {
                    f: fingerprint(input),
                    r: i,
                    k: Some(serde_json::to_value(&last).unwrap_or_default()),
                });
                break;
            }
            limit = limit.map(|l| l.saturating_sub(usize::try_from(page.scanned).unwrap_or(l)));
        }
        Ok(ExecuteStatementOutput {
            items,
            next_token: next.as_ref().map(encode),
            consumed_capacity: consumed.single(),
        })
    }
}
