//! Secondary indexes (spec indexes.md §1, §4): a global or local index is
//! an ordered set of entries, each the index key of one item and that
//! item's table key. Entries hold no attributes: a read locks the item's
//! slot, checks that the item still has that index key, and projects it, so
//! an index read never shows an item that does not have the key it was found
//! under (module docs of `crate::store::query`).
//!
//! Every write keeps the entries in step from [`Index::record`], called by
//! the table's one write path while the item is locked, so an index entry
//! and its item change together and a failed or cancelled write (which
//! writes nothing) changes no index.
//!
//! An index that UpdateTable adds to a table with items is *backfilled*:
//! it is registered first, so every write from then on records in it, and
//! then the table's items are visited one at a time, each under its lock,
//! with [`Index::backfill`], an insert that does nothing when the entry is
//! already there. While it is backfilling, [`Index::record`] adds and removes
//! entries by what the set holds (an item not visited yet has no entry to
//! move), so the counters stay exact; reads of the index are refused as in
//! DynamoDB (`Cannot read from backfilling global secondary index`).

use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

use crate::api::{ProjectionType, ProvisionedThroughput};
use crate::error::Error;
use crate::store::key::{KeyAttribute, KeySchema, KeyValue, PrimaryKey, ScalarType};
use crate::store::range::{BoundKey, MapPosition, SortRef};
use crate::store::table::{lock, read, write};
use crate::store::throughput::Provisioned;
use crate::value::{AttributeValue, Item, item_size};

/// Global or local.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexKind {
    Global,
    Local,
}

/// Which attributes an index entry holds besides the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Projected {
    All,
    KeysOnly,
    /// `INCLUDE`, with its `NonKeyAttributes` sorted by name.
    Include(Vec<String>),
}

impl Projected {
    pub(crate) fn projection_type(&self) -> ProjectionType {
        match self {
            Projected::All => ProjectionType::All,
            Projected::KeysOnly => ProjectionType::KeysOnly,
            Projected::Include(_) => ProjectionType::Include,
        }
    }
}

/// One entry: the item's index key, then its table key (ties of the index
/// key are ordered by the table key, so pagination is stable).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    pub(crate) index: PrimaryKey,
    pub(crate) table: PrimaryKey,
}

/// Where a bound of an entry range falls among the table keys of one index
/// key: before all, at one, after all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TablePos {
    Start,
    Key(PrimaryKey),
    End,
}

/// A bound of an entry range: a position in the index key order, then
/// among the table keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryBound {
    pub(crate) index: BoundKey,
    pub(crate) table: TablePos,
}

impl EntryBound {
    /// The bound just at an entry (a resume point).
    pub(crate) fn at(entry: &Entry) -> EntryBound {
        EntryBound {
            index: BoundKey::at(&entry.index),
            table: TablePos::Key(entry.table.clone()),
        }
    }

    /// An index-key range's bounds as entry bounds: an included lower bound
    /// starts before every table key of its index key, an excluded one after
    /// them all, and the other way round for the upper bound.
    pub(crate) fn range(
        lo: Bound<BoundKey>,
        hi: Bound<BoundKey>,
    ) -> (Bound<EntryBound>, Bound<EntryBound>) {
        let at = |index, table| EntryBound { index, table };
        let lo = match lo {
            Bound::Included(k) => Bound::Included(at(k, TablePos::Start)),
            Bound::Excluded(k) => Bound::Excluded(at(k, TablePos::End)),
            Bound::Unbounded => Bound::Unbounded,
        };
        let hi = match hi {
            Bound::Included(k) => Bound::Included(at(k, TablePos::End)),
            Bound::Excluded(k) => Bound::Excluded(at(k, TablePos::Start)),
            Bound::Unbounded => Bound::Unbounded,
        };
        (lo, hi)
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum TableRef<'a> {
    Start,
    Key(&'a PrimaryKey),
    End,
}

/// Something comparable with the index's entries (see `MapPosition` in
/// `range.rs`, the same device for the table's map).
trait EntryPosition {
    fn position(&self) -> (&KeyValue, SortRef<'_>, TableRef<'_>);
}

impl EntryPosition for Entry {
    fn position(&self) -> (&KeyValue, SortRef<'_>, TableRef<'_>) {
        let (partition, sort) = self.index.position();
        (partition, sort, TableRef::Key(&self.table))
    }
}

impl EntryPosition for EntryBound {
    fn position(&self) -> (&KeyValue, SortRef<'_>, TableRef<'_>) {
        let (partition, sort) = self.index.position();
        let table = match &self.table {
            TablePos::Start => TableRef::Start,
            TablePos::Key(k) => TableRef::Key(k),
            TablePos::End => TableRef::End,
        };
        (partition, sort, table)
    }
}

impl PartialEq for dyn EntryPosition + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.position() == other.position()
    }
}

impl Eq for dyn EntryPosition + '_ {}

impl PartialOrd for dyn EntryPosition + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn EntryPosition + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.position().cmp(&other.position())
    }
}

impl<'a> Borrow<dyn EntryPosition + 'a> for Entry {
    fn borrow(&self) -> &(dyn EntryPosition + 'a) {
        self
    }
}

fn as_dyn(bound: &Bound<EntryBound>) -> Bound<&dyn EntryPosition> {
    match bound {
        Bound::Included(k) => Bound::Included(k as &dyn EntryPosition),
        Bound::Excluded(k) => Bound::Excluded(k as &dyn EntryPosition),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// A secondary index of a table.
#[derive(Debug)]
pub(crate) struct Index {
    pub(crate) name: String,
    pub(crate) kind: IndexKind,
    /// The index key.
    pub(crate) schema: KeySchema,
    pub(crate) projected: Projected,
    /// A GSI's capacity (reported only), changed by UpdateTable.
    capacity: Mutex<Provisioned>,
    entries: RwLock<BTreeSet<Entry>>,
    count: AtomicU64,
    bytes: AtomicU64,
    /// True while UpdateTable fills the index from the table's items.
    backfilling: AtomicBool,
}

impl Index {
    pub(crate) fn new(
        name: String,
        kind: IndexKind,
        schema: KeySchema,
        projected: Projected,
        throughput: Option<ProvisionedThroughput>,
    ) -> Index {
        Index {
            name,
            kind,
            schema,
            projected,
            capacity: Mutex::new(Provisioned::new(throughput)),
            entries: RwLock::default(),
            count: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            backfilling: AtomicBool::new(false),
        }
    }

    /// The index's capacity (a copy).
    pub(crate) fn capacity(&self) -> Provisioned {
        *lock(&self.capacity)
    }

    /// Changes the index's capacity (`None`: on demand).
    pub(crate) fn set_capacity(&self, units: Option<ProvisionedThroughput>, now: f64) {
        let mut capacity = lock(&self.capacity);
        match units {
            Some(units) => capacity.change(units, now),
            None => capacity.units = None,
        }
    }

    /// True while the index is being filled from the table's items.
    pub(crate) fn is_backfilling(&self) -> bool {
        self.backfilling.load(Ordering::Acquire)
    }

    /// Marks the index as being filled (before it is registered) or as
    /// filled (once every item was visited).
    pub(crate) fn set_backfilling(&self, backfilling: bool) {
        self.backfilling.store(backfilling, Ordering::Release);
    }

    /// DynamoDB's refusal to read an index that is still being filled
    /// (indexes.md §5.1 step 9).
    pub(crate) fn readable(&self) -> Result<(), Error> {
        if self.is_backfilling() {
            return Err(Error::validation(format!(
                "Cannot read from backfilling global secondary index: {}",
                self.name
            )));
        }
        Ok(())
    }

    /// The item's index key: `None` when it lacks an index key attribute,
    /// or holds one that the index cannot hold (another type, empty, over
    /// the size limit: an item from before the index, never indexed, as
    /// the backfill skips it; indexes.md §4.3).
    pub(crate) fn key_of(&self, item: &Item) -> Option<PrimaryKey> {
        let value = |attr: &KeyAttribute| KeySchema::typed(attr, item.get(&attr.name)?);
        let partition = value(&self.schema.partition)?;
        let sort = match &self.schema.sort {
            Some(attr) => Some(value(attr)?),
            None => None,
        };
        let parts = [
            (Some(&partition), MAX_INDEX_HASH_BYTES),
            (sort.as_ref(), MAX_INDEX_SORT_BYTES),
        ];
        if parts
            .iter()
            .any(|(v, max)| v.is_some_and(|v| is_empty(v) || key_bytes(v) > *max))
        {
            return None;
        }
        Some(PrimaryKey { partition, sort })
    }

    /// Whether the index holds `name` for every item (a key attribute of
    /// the index or the table, or projected).
    pub(crate) fn projects(&self, name: &str, table: &KeySchema) -> bool {
        self.schema.attributes().any(|a| a.name == name)
            || table.attributes().any(|a| a.name == name)
            || match &self.projected {
                Projected::All => true,
                Projected::KeysOnly => false,
                Projected::Include(names) => names.iter().any(|n| n == name),
            }
    }

    /// The item as the index holds it: the keys and the projected attributes.
    pub(crate) fn project(&self, item: &Item, table: &KeySchema) -> Item {
        if self.projected == Projected::All {
            return item.clone();
        }
        item.iter()
            .filter(|(name, _)| self.projects(name, table))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    }

    /// The size of the item's entry (its keys and projected attributes),
    /// without building it.
    pub(crate) fn entry_size(&self, item: &Item, table: &KeySchema) -> usize {
        if self.projected == Projected::All {
            return item_size(item);
        }
        item.iter()
            .filter(|(name, _)| self.projects(name, table))
            .map(|(name, value)| name.len() + value.size())
            .sum()
    }

    /// Moves the item's entry from its old to its new index key (either may
    /// be absent). Called with the item locked.
    pub(crate) fn record(
        &self,
        table_key: &PrimaryKey,
        table: &KeySchema,
        old: Option<&Item>,
        new: Option<&Item>,
    ) {
        let old_key = old.and_then(|i| self.key_of(i));
        let new_key = new.and_then(|i| self.key_of(i));
        if old_key.is_none() && new_key.is_none() {
            return;
        }
        let size = |i: Option<&Item>| i.map_or(0, |i| self.entry_size(i, table) as u64);
        let (old_size, new_size) = (
            old_key.as_ref().map_or(0, |_| size(old)),
            new_key.as_ref().map_or(0, |_| size(new)),
        );
        // An entry that stays where it is changes only its size, unless the
        // backfill may not have added it yet (module docs).
        if old_key == new_key && !self.is_backfilling() {
            self.bytes.fetch_add(new_size, Ordering::Relaxed);
            self.bytes.fetch_sub(old_size, Ordering::Relaxed);
            return;
        }
        let entry = |index| Entry {
            index,
            table: table_key.clone(),
        };
        let mut entries = write(&self.entries);
        if old_key.is_some_and(|k| entries.remove(&entry(k))) {
            self.count.fetch_sub(1, Ordering::Relaxed);
            self.bytes.fetch_sub(old_size, Ordering::Relaxed);
        }
        if new_key.is_some_and(|k| entries.insert(entry(k))) {
            self.count.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(new_size, Ordering::Relaxed);
        }
    }

    /// The backfill's visit of one item, with the item locked: adds its
    /// entry unless the item cannot be indexed (§4.3: skipped silently) or
    /// the entry is there already (a write since the index was registered
    /// added it).
    pub(crate) fn backfill(&self, table_key: &PrimaryKey, table: &KeySchema, item: &Item) {
        let Some(index) = self.key_of(item) else {
            return;
        };
        let entry = Entry {
            index,
            table: table_key.clone(),
        };
        if write(&self.entries).insert(entry) {
            self.count.fetch_add(1, Ordering::Relaxed);
            let size = item_size(&self.project(item, table)) as u64;
            self.bytes.fetch_add(size, Ordering::Relaxed);
        }
    }

    /// Every entry, in order (tests compare it with a rebuild).
    #[cfg(test)]
    pub(crate) fn all_entries(&self) -> Vec<Entry> {
        read(&self.entries).iter().cloned().collect()
    }

    /// Up to `limit` entries between the bounds, in order (descending when
    /// `!forward`), copied out under the read lock.
    pub(crate) fn entries(
        &self,
        lo: &Bound<EntryBound>,
        hi: &Bound<EntryBound>,
        forward: bool,
        limit: usize,
    ) -> Vec<Entry> {
        use Bound::{Excluded, Included};
        let inverted = match (lo, hi) {
            (Included(a), Included(b)) => a.position() > b.position(),
            (Included(a) | Excluded(a), Included(b) | Excluded(b)) => a.position() >= b.position(),
            _ => false,
        };
        if inverted {
            return Vec::new();
        }
        let entries = read(&self.entries);
        let range = entries.range::<dyn EntryPosition, _>((as_dyn(lo), as_dyn(hi)));
        if forward {
            range.take(limit).cloned().collect()
        } else {
            range.rev().take(limit).cloned().collect()
        }
    }

    /// The number of entries.
    pub(crate) fn item_count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The total size of the entries (their projected attributes).
    pub(crate) fn size_bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// The index key attributes and the table key attributes, as an item
    /// (a `LastEvaluatedKey` of an index read).
    pub(crate) fn entry_item(&self, entry: &Entry, table: &KeySchema) -> Item {
        let mut item = self.schema.key_item(&entry.index);
        item.extend(table.key_item(&entry.table));
        item
    }
}

/// The size a key value counts against the index key limits (numbers never
/// reach them).
fn key_bytes(value: &KeyValue) -> usize {
    match value {
        KeyValue::S(s) => s.len(),
        KeyValue::B(b) => b.len(),
        KeyValue::N(_) => 0,
    }
}

fn is_empty(value: &KeyValue) -> bool {
    match value {
        KeyValue::S(s) => s.is_empty(),
        KeyValue::B(b) => b.is_empty(),
        KeyValue::N(_) => false,
    }
}

/// DynamoDB's checks of the index key attributes of an item about to be
/// stored (indexes.md §4.2), over every index of the table, the first
/// failing index by name reported. `changed` limits an update to the
/// attributes it changed (`None`: every attribute, for a put).
pub(crate) fn check_index_keys(
    indexes: &[std::sync::Arc<Index>],
    item: &Item,
    changed: Option<&dyn Fn(&str) -> bool>,
) -> Result<(), IndexKeyError> {
    // The common case, no failure, needs no sorting: failures are collected
    // and the one of the index first by name is reported.
    let mut first: Option<(&str, IndexKeyError)> = None;
    for index in indexes {
        if first
            .as_ref()
            .is_some_and(|(name, _)| *name <= index.name.as_str())
        {
            continue;
        }
        if let Err(e) = check_one(index, item, changed) {
            first = Some((&index.name, e));
        }
    }
    match first {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

fn check_one(
    index: &Index,
    item: &Item,
    changed: Option<&dyn Fn(&str) -> bool>,
) -> Result<(), IndexKeyError> {
    {
        for (attr, max) in index
            .schema
            .attributes()
            .zip([MAX_INDEX_HASH_BYTES, MAX_INDEX_SORT_BYTES])
        {
            let Some(value) = item.get(&attr.name) else {
                continue;
            };
            if changed.is_some_and(|c| !c(&attr.name)) {
                continue;
            }
            check_index_value(index, attr, value, max, changed.is_some())?;
        }
    }
    Ok(())
}

/// The largest index partition key value, in bytes.
pub const MAX_INDEX_HASH_BYTES: usize = 2048;
/// The largest index sort key value, in bytes.
pub const MAX_INDEX_SORT_BYTES: usize = 1024;

/// Why an item's index key attribute cannot be stored: an empty string or
/// binary (a whole-request error even in a transaction), or anything else.
#[derive(Debug)]
pub(crate) enum IndexKeyError {
    Empty(Error),
    Invalid(Error),
}

impl From<IndexKeyError> for Error {
    fn from(e: IndexKeyError) -> Error {
        match e {
            IndexKeyError::Empty(e) | IndexKeyError::Invalid(e) => e,
        }
    }
}

fn check_index_value(
    index: &Index,
    attr: &KeyAttribute,
    value: &AttributeValue,
    max: usize,
    update: bool,
) -> Result<(), IndexKeyError> {
    let Some(typed) = KeySchema::typed(attr, value) else {
        return Err(IndexKeyError::Invalid(Error::validation(format!(
            "One or more parameter values were invalid: Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
            attr.name,
            attr.scalar_type.code(),
            value.value_type().code(),
            index.name
        ))));
    };
    if is_empty(&typed) {
        let kind = if attr.scalar_type == ScalarType::B {
            "binary"
        } else {
            "string"
        };
        return Err(IndexKeyError::Empty(Error::validation(if update {
            format!(
                "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty {kind} value."
            )
        } else {
            format!(
                "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {kind} value. IndexName: {}, IndexKey: {}",
                index.name, attr.name
            )
        })));
    }
    let size = match &typed {
        KeyValue::S(s) => s.len(),
        KeyValue::B(b) => b.len(),
        KeyValue::N(_) => 0,
    };
    if size > max {
        return Err(IndexKeyError::Invalid(Error::validation(format!(
            "One or more parameter values were invalid: Size limit exceeded for Index Key {} Actual Size: {size} bytes Max Size: {max} bytes IndexName: {}",
            attr.name, index.name
        ))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(p: &str, s: Option<&str>) -> KeySchema {
        KeySchema {
            partition: KeyAttribute {
                name: p.into(),
                scalar_type: ScalarType::S,
            },
            sort: s.map(|s| KeyAttribute {
                name: s.into(),
                scalar_type: ScalarType::N,
            }),
        }
    }

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn entries_follow_the_item() {
        let table = schema("p", None);
        let index = Index::new(
            "g".into(),
            IndexKind::Global,
            schema("g", Some("n")),
            Projected::KeysOnly,
            None,
        );
        let key = PrimaryKey {
            partition: KeyValue::S("k".into()),
            sort: None,
        };
        let a = item(&[
            ("p", AttributeValue::s("k")),
            ("g", AttributeValue::s("x")),
            ("n", AttributeValue::n(1)),
        ]);
        index.record(&key, &table, None, Some(&a));
        assert_eq!(index.item_count(), 1);
        // Sparse: without the sort key attribute the item leaves the index.
        let b = item(&[("p", AttributeValue::s("k")), ("g", AttributeValue::s("x"))]);
        index.record(&key, &table, Some(&a), Some(&b));
        assert_eq!(index.item_count(), 0);
        assert_eq!(index.size_bytes(), 0);
        // A wrong-typed value (from before the index) is not indexed.
        let c = item(&[
            ("p", AttributeValue::s("k")),
            ("g", AttributeValue::n(5)),
            ("n", AttributeValue::n(1)),
        ]);
        assert_eq!(index.key_of(&c), None);
        // Projection keeps the keys only.
        let d = item(&[
            ("p", AttributeValue::s("k")),
            ("g", AttributeValue::s("y")),
            ("n", AttributeValue::n(2)),
            ("other", AttributeValue::n(3)),
        ]);
        assert_eq!(index.project(&d, &table).len(), 3);
        index.record(&key, &table, None, Some(&d));
        let all = index.entries(&Bound::Unbounded, &Bound::Unbounded, true, 10);
        assert_eq!(all.len(), 1);
        assert_eq!(
            index.entry_item(&all[0], &table).keys().collect::<Vec<_>>(),
            ["g", "n", "p"]
        );
    }

    #[test]
    fn writes_during_a_backfill_keep_the_counters_exact() {
        let table = schema("p", None);
        let index = Index::new(
            "g".into(),
            IndexKind::Global,
            schema("g", None),
            Projected::All,
            None,
        );
        let key = |p: &str| PrimaryKey {
            partition: KeyValue::S(p.into()),
            sort: None,
        };
        let with = |p: &str, g: &str, pad: &str| {
            item(&[
                ("p", AttributeValue::s(p)),
                ("g", AttributeValue::s(g)),
                ("pad", AttributeValue::s(pad)),
            ])
        };
        index.set_backfilling(true);
        // Items written before the index existed, not visited yet: an update
        // that keeps the key adds the entry, one that moves it too, a delete
        // finds nothing to remove.
        index.record(
            &key("a"),
            &table,
            Some(&with("a", "x", "")),
            Some(&with("a", "x", "long")),
        );
        index.record(
            &key("b"),
            &table,
            Some(&with("b", "x", "")),
            Some(&with("b", "y", "")),
        );
        index.record(&key("c"), &table, Some(&with("c", "x", "")), None);
        assert_eq!(index.item_count(), 2);
        // The backfill then visits every item: nothing is added twice.
        index.backfill(&key("a"), &table, &with("a", "x", "long"));
        index.backfill(&key("b"), &table, &with("b", "y", ""));
        index.backfill(&key("d"), &table, &with("d", "z", ""));
        index.backfill(&key("e"), &table, &with("e", "", ""));
        index.set_backfilling(false);
        let size = |i: &Item| item_size(i) as u64;
        assert_eq!(index.item_count(), 3);
        assert_eq!(
            index.size_bytes(),
            size(&with("a", "x", "long")) + size(&with("b", "y", "")) + size(&with("d", "z", ""))
        );
        index.record(
            &key("a"),
            &table,
            Some(&with("a", "x", "long")),
            Some(&with("a", "x", "")),
        );
        assert_eq!(
            index.size_bytes(),
            size(&with("a", "x", "")) + size(&with("b", "y", "")) + size(&with("d", "z", ""))
        );
        assert!(index.readable().is_ok());
        index.set_backfilling(true);
        assert_eq!(
            index.readable().unwrap_err().message(),
            "Cannot read from backfilling global secondary index: g"
        );
    }

    #[test]
    fn keys_over_the_index_limits_are_not_indexed() {
        let index = Index::new(
            "g".into(),
            IndexKind::Global,
            schema("g", None),
            Projected::All,
            None,
        );
        let g = |len: usize| item(&[("g", AttributeValue::s("x".repeat(len)))]);
        assert!(index.key_of(&g(MAX_INDEX_HASH_BYTES)).is_some());
        assert!(index.key_of(&g(MAX_INDEX_HASH_BYTES + 1)).is_none());
    }

    #[test]
    fn index_key_checks() {
        let index = std::sync::Arc::new(Index::new(
            "g".into(),
            IndexKind::Global,
            schema("g", None),
            Projected::All,
            None,
        ));
        let bad = item(&[("g", AttributeValue::n(1))]);
        assert_eq!(
            Error::from(check_index_keys(std::slice::from_ref(&index), &bad, None).unwrap_err())
                .message(),
            "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: g"
        );
        let empty = item(&[("g", AttributeValue::s(""))]);
        assert!(matches!(
            check_index_keys(std::slice::from_ref(&index), &empty, None),
            Err(IndexKeyError::Empty(e)) if e.message().ends_with("IndexName: g, IndexKey: g")
        ));
        let unchanged = |_: &str| false;
        assert!(check_index_keys(std::slice::from_ref(&index), &bad, Some(&unchanged)).is_ok());
    }
}
