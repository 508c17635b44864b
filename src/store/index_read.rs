//! Query and Scan with `IndexName` (spec indexes.md §5): the key condition
//! against the index's key schema, `Select` per index type, projections of
//! non-projected attributes (a local index fetches them from the table, a
//! global one refuses), `ExclusiveStartKey` / `LastEvaluatedKey` holding the
//! index and the table keys, and the page loop over the index's entries.
//!
//! An entry is only a pointer: each one read locks its item's slot, checks
//! that the item still has the entry's index key (a write moving it may be
//! under way) and skips it otherwise, so every item returned has, at the
//! moment it was read, the index key it was found under.

use std::ops::Bound;

use crate::error::Error;
use crate::store::index::{Entry, EntryBound, Index, IndexKind, Projected};
use crate::store::key::{KeyError, KeyValue, PrimaryKey};
use crate::store::key_condition::ComponentCondition;
use crate::store::pipeline::{Bound as Bound_, Operation};
use crate::store::query::{Page, PageBuilder, PageSpec, Select, start_key};
use crate::store::range::{BATCH, segment_of_parts};
use crate::store::stored_key::StoredKey;
use crate::store::table::{Keyed, Table, read};
use crate::value::{Item, item_size};

/// One Query or Scan of an index.
pub(crate) struct IndexRead<'a> {
    pub(crate) table: &'a Table,
    pub(crate) index: &'a Index,
    pub(crate) forward: bool,
    pub(crate) start: Option<&'a Item>,
    /// A parallel Scan's `(segment, total)`.
    pub(crate) segment: Option<(u64, u64)>,
    /// Limit and Select; the filter and projection come from the request.
    pub(crate) spec: PageSpec<'a>,
}

impl<'a> IndexRead<'a> {
    /// A Query of the index, after the table and the index were found.
    pub(crate) fn query(mut self, mut bound: Bound_<'a>) -> Result<Page, Error> {
        let start = self.start.map(|s| self.start_entry(s)).transpose()?;
        let schema = &self.index.schema;
        let key = bound.check_index_schema(&schema.hash, &schema.range)?;
        let Some(key) = key else {
            return Err(Error::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            ));
        };
        self.check_condition_values(&key)?;
        let fetch = self.fetch(&bound)?;
        self.index.readable()?;
        let (mut lo, mut hi) = EntryBound::range(&key);
        let matches = |e: &Entry| key.matches(e.index.hash(), e.index.range());
        if let Some(start) = &start {
            if start.index.hash() != key.hash.as_slice() {
                return Err(Error::validation(
                    "The provided starting key is outside query boundaries based on provided conditions",
                ));
            }
            if !matches(start) {
                return Err(Error::validation(
                    "The provided starting key does not match the range key predicate",
                ));
            }
            self.resume(start, &mut lo, &mut hi);
        }
        self.spec.filter = bound.filter.take();
        self.spec.projection = bound.projection.take();
        Ok(self.read_page(lo, hi, fetch, matches))
    }

    /// A Scan of the index (or of one segment of it). Segments split the
    /// index by a hash of its partition (every HASH component).
    pub(crate) fn scan(mut self, mut bound: Bound_<'a>) -> Result<Page, Error> {
        let start = self.start.map(|s| self.start_entry(s)).transpose()?;
        let schema = &self.index.schema;
        bound.check_index_schema(&schema.hash, &schema.range)?;
        let fetch = self.fetch(&bound)?;
        self.index.readable()?;
        let (mut lo, mut hi) = (Bound::Unbounded, Bound::Unbounded);
        if let Some(start) = &start {
            if let Some((segment, total)) = self.segment {
                if segment_of_parts(start.index.hash(), total) != segment {
                    return Err(Error::validation(format!(
                        "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: {total} Segment: {segment}"
                    )));
                }
            }
            self.resume(start, &mut lo, &mut hi);
        }
        self.spec.filter = bound.filter.take();
        self.spec.projection = bound.projection.take();
        let segment = self.segment;
        Ok(self.read_page(lo, hi, fetch, |e| {
            segment.is_none_or(|(s, total)| segment_of_parts(e.index.hash(), total) == s)
        }))
    }

    /// An empty string or binary for an index key in the key condition
    /// (indexes.md §5.4), the first in schema order.
    fn check_condition_values(&self, key: &ComponentCondition) -> Result<(), Error> {
        let empty = |v: &KeyValue| match v {
            KeyValue::S(s) => s.is_empty(),
            KeyValue::B(b) => b.is_empty(),
            KeyValue::N(_) => false,
        };
        let schema = &self.index.schema;
        let mut values: Vec<_> = (schema.hash.iter().zip(&key.hash))
            .chain(schema.range.iter().zip(&key.range))
            .collect();
        if let (Some(attr), Some(last)) = (schema.range.get(key.range.len()), &key.last) {
            values.extend(last.values().into_iter().map(|v| (attr, v)));
        }
        match values.into_iter().find(|(_, v)| empty(v)) {
            Some((attr, value)) => Err(Error::validation(format!(
                "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {} value. IndexName: {}, IndexKey: {}",
                if matches!(value, KeyValue::B(_)) {
                    "binary"
                } else {
                    "string"
                },
                self.index.name,
                attr.name
            ))),
            None => Ok(()),
        }
    }

    /// Starts strictly after `start` in the read order.
    fn resume(&self, start: &Entry, lo: &mut Bound<EntryBound>, hi: &mut Bound<EntryBound>) {
        if self.forward {
            *lo = Bound::Included(EntryBound::after(start));
        } else {
            *hi = Bound::Included(EntryBound::before(start));
        }
    }

    /// Whether items are read whole from the table (a local index asked
    /// for attributes it does not project), after refusing what a global
    /// index cannot answer (indexes.md §5.2, §5.3).
    fn fetch(&self, bound: &Bound_<'_>) -> Result<bool, Error> {
        let (index, table) = (self.index, &self.table.schema);
        let names: Vec<&str> = bound
            .projection
            .as_ref()
            .map(|p| p.top_names())
            .unwrap_or_default();
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !index.projects(n, table))
            .collect();
        let all = self.spec.select == Select::All;
        match index.kind {
            IndexKind::Global => {
                if all && index.projected != Projected::All {
                    return Err(Error::validation(format!(
                        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                        index.name
                    )));
                }
                if !missing.is_empty() {
                    return Err(Error::validation(format!(
                        "One or more parameter values were invalid: Global secondary index {} does not project [{}]",
                        index.name,
                        missing.join(", ")
                    )));
                }
                Ok(false)
            }
            IndexKind::Local => {
                Ok(index.projected != Projected::All && (all || !missing.is_empty()))
            }
        }
    }

    /// An `ExclusiveStartKey` of an index read: exactly the index key's
    /// components and the table key attributes (indexes.md §5.7).
    fn start_entry(&self, start: &Item) -> Result<Entry, Error> {
        let (index, table) = (&self.index.schema, &self.table.schema);
        let mut names: Vec<&str> = index.names();
        for name in table.names() {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if start.len() != names.len() || names.iter().any(|n| !start.contains_key(*n)) {
            return Err(Error::validation("The provided starting key is invalid"));
        }
        let part = |names: Vec<&str>| -> Item {
            names
                .into_iter()
                .filter_map(|n| start.get_key_value(n))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let index_key = index.map_key(&part(index.names())).map_err(|e| match e {
            KeyError::Mismatch => Error::validation(crate::store::key::KEY_MISMATCH),
            other => other.into(),
        })?;
        // The names were checked above: only the table key's types are left
        // (Scan's wording; a Query of a hash-only table may restart on an index).
        let table_key: PrimaryKey = start_key(table, &part(table.names()), Operation::Scan)?;
        Ok(Entry {
            index: index_key,
            table: table_key,
        })
    }

    /// Reads one page of the entries between the bounds that `keep` keeps.
    fn read_page(
        &self,
        mut lo: Bound<EntryBound>,
        mut hi: Bound<EntryBound>,
        fetch: bool,
        keep: impl Fn(&Entry) -> bool,
    ) -> Page {
        let (index, table) = (self.index, self.table);
        let mut page = PageBuilder::new(&self.spec);
        let mut last: Option<Entry> = None;
        let mut stopped = false;
        'pages: loop {
            let batch = index.entries(&lo, &hi, self.forward, BATCH);
            let full = batch.len() == BATCH;
            // The batch's slots, looked up under one hold of the map's lock.
            let slots: Vec<_> = {
                let map = read(&table.items);
                batch
                    .iter()
                    .map(|entry| {
                        let slot = || {
                            let key = StoredKey::new(&entry.table);
                            map.get(key.as_bytes()).map(|Keyed(s)| s.clone())
                        };
                        keep(entry).then(slot).flatten()
                    })
                    .collect()
            };
            for (entry, slot) in batch.iter().zip(slots) {
                let Some(slot) = slot else { continue };
                let Some(copy) = slot.copy(&entry.table) else {
                    continue;
                };
                let item = &copy;
                // A write may have moved the item since the entry was copied.
                if index.key_of(item).as_ref() != Some(&entry.index) {
                    continue;
                }
                if fetch {
                    page.fetched(item_size(item));
                }
                let projected;
                let visible = if fetch || index.projected == Projected::All {
                    item
                } else {
                    projected = index.project(item, &table.schema);
                    &projected
                };
                let done = page.take(visible, index.entry_size(item, &table.schema));
                last = Some(entry.clone());
                if done {
                    stopped = true;
                    break 'pages;
                }
            }
            match batch.last() {
                Some(entry) if full => {
                    if self.forward {
                        lo = Bound::Included(EntryBound::after(entry));
                    } else {
                        hi = Bound::Included(EntryBound::before(entry));
                    }
                }
                _ => break,
            }
        }
        let last = last.filter(|_| stopped);
        page.finish(last.map(|e| index.entry_item(&e, &table.schema)))
    }
}
