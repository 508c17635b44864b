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
//!
//! An index key ([`IndexSchema`], module `schema`) is 1..4 HASH components
//! then 0..4 RANGE components (multi-attribute GSI keys, indexes.md §2.5);
//! single-attribute GSIs and LSIs are the 1 + 0 and 1 + 1 cases, so every
//! index goes through the same code. Module `entries` orders the entries
//! and bounds range reads of them, module `checks` holds the write-time
//! checks of index key values (§4.2).

mod checks;
mod entries;
pub(crate) mod image;
mod schema;

use std::collections::BTreeSet;
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

use crate::api::{ProjectionType, ProvisionedThroughput};
use crate::error::Error;
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::table::{lock, read, write};
use crate::store::throughput::Provisioned;
use crate::value::{Item, item_size};

pub(crate) use checks::{IndexKeyError, check_index_keys};
pub(crate) use entries::{Entry, EntryBound};
pub(crate) use schema::{IndexKey, IndexSchema};

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

/// A secondary index of a table.
#[derive(Debug)]
pub(crate) struct Index {
    pub(crate) name: String,
    pub(crate) kind: IndexKind,
    /// The index key.
    pub(crate) schema: IndexSchema,
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
        schema: IndexSchema,
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

    /// The item's index key: `None` when the item is not in the index
    /// ([`IndexSchema::key_of`]).
    pub(crate) fn key_of(&self, item: &Item) -> Option<IndexKey> {
        self.schema.key_of(item)
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
            let size = self.entry_size(item, table) as u64;
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
        if !entries::non_empty(lo, hi) {
            return Vec::new();
        }
        let set = read(&self.entries);
        let range =
            set.range::<dyn entries::EntryPosition, _>((entries::as_dyn(lo), entries::as_dyn(hi)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::index::schema::{MAX_INDEX_HASH_BYTES, MAX_INDEX_SORT_BYTES};
    use crate::store::key::{KeyAttribute, KeyValue, ScalarType};
    use crate::value::AttributeValue;

    fn index_schema(p: &str, s: Option<&str>) -> IndexSchema {
        IndexSchema::simple(&schema(p, s))
    }

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
            index_schema("g", Some("n")),
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
            index_schema("g", None),
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
            index_schema("g", None),
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
            index_schema("g", None),
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

    /// A GSI of HASH `h1` (S), `h2` (N) and RANGE `r1` (S), `r2` (N).
    fn multi() -> Index {
        let attr = |name: &str, scalar_type| KeyAttribute {
            name: name.into(),
            scalar_type,
        };
        Index::new(
            "gm".into(),
            IndexKind::Global,
            IndexSchema {
                hash: vec![attr("h1", ScalarType::S), attr("h2", ScalarType::N)],
                range: vec![attr("r1", ScalarType::S), attr("r2", ScalarType::N)],
            },
            Projected::KeysOnly,
            None,
        )
    }

    #[test]
    fn multi_attribute_keys_need_every_component() {
        let index = multi();
        let full = item(&[
            ("p", AttributeValue::s("k")),
            ("h1", AttributeValue::s("a")),
            ("h2", AttributeValue::n(1)),
            ("r1", AttributeValue::s("x")),
            ("r2", AttributeValue::n(2)),
            ("other", AttributeValue::s("o")),
        ]);
        let key = index.key_of(&full).unwrap();
        assert_eq!(key.hash(), [KeyValue::S("a".into()), KeyValue::N(1.into())]);
        assert_eq!(
            key.range(),
            [KeyValue::S("x".into()), KeyValue::N(2.into())]
        );
        for name in ["h1", "h2", "r1", "r2"] {
            let mut without = full.clone();
            without.shift_remove(name);
            assert_eq!(index.key_of(&without), None, "without {name}");
            let mut wrong = full.clone();
            wrong.insert(name.into(), AttributeValue::Bool(true));
            assert_eq!(index.key_of(&wrong), None, "wrong type for {name}");
        }
        // Every component is a key: the entry, its LastEvaluatedKey and the
        // entry size count all four.
        let table = schema("p", None);
        assert_eq!(
            index.project(&full, &table).keys().collect::<Vec<_>>(),
            ["p", "h1", "h2", "r1", "r2"]
        );
        let table_key = PrimaryKey {
            partition: KeyValue::S("k".into()),
            sort: None,
        };
        index.record(&table_key, &table, None, Some(&full));
        assert_eq!(
            index.size_bytes(),
            item_size(&index.project(&full, &table)) as u64
        );
        let all = index.entries(&Bound::Unbounded, &Bound::Unbounded, true, 10);
        assert_eq!(
            index.entry_item(&all[0], &table).keys().collect::<Vec<_>>(),
            ["h1", "h2", "r1", "r2", "p"]
        );
        let (elements, definitions) = index.schema.describe();
        let kinds: Vec<(&str, &str)> = elements
            .iter()
            .map(|e| (e.attribute_name.as_str(), e.key_type.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("h1", "HASH"),
                ("h2", "HASH"),
                ("r1", "RANGE"),
                ("r2", "RANGE")
            ]
        );
        assert_eq!(definitions.len(), 4);
    }

    #[test]
    fn multi_attribute_components_are_checked_one_by_one() {
        let index = std::sync::Arc::new(multi());
        let check = |pairs: &[(&str, AttributeValue)]| {
            check_index_keys(std::slice::from_ref(&index), &item(pairs), None)
                .map_err(|e| Error::from(e).message().to_owned())
        };
        // A partial key is fine (the item is just not indexed).
        assert!(check(&[("h1", AttributeValue::s("a"))]).is_ok());
        assert_eq!(
            check(&[
                ("h1", AttributeValue::s("a")),
                ("r2", AttributeValue::s("x"))
            ])
            .unwrap_err(),
            "One or more parameter values were invalid: Type mismatch for Index Key r2 Expected: N Actual: S IndexName: gm"
        );
        assert_eq!(
            check(&[("r1", AttributeValue::s(""))]).unwrap_err(),
            "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gm, IndexKey: r1"
        );
        assert_eq!(
            check(&[(
                "h1",
                AttributeValue::s("x".repeat(MAX_INDEX_HASH_BYTES + 1))
            )])
            .unwrap_err(),
            "One or more parameter values were invalid: Size limit exceeded for Index Key h1 Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: gm"
        );
        assert_eq!(
            check(&[(
                "r1",
                AttributeValue::s("x".repeat(MAX_INDEX_SORT_BYTES + 1))
            )])
            .unwrap_err(),
            "One or more parameter values were invalid: Size limit exceeded for Index Key r1 Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: gm"
        );
    }
}
