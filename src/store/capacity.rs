//! `ReturnConsumedCapacity` and `ReturnItemCollectionMetrics` (spec
//! indexes.md §8, §9): the unit arithmetic, the per-call accumulator, and
//! the item-collection estimate.
//!
//! # Units
//!
//! Sizes are [`item_size`]'s (names plus values); 1 KB is 1024 bytes.
//!
//! | What | Units |
//! | --- | --- |
//! | one item read (GetItem, each key of BatchGetItem, each Get of TransactGetItems) | `ceil(size / 4096)`, a missing item 1; ×0.5 eventually consistent, ×2 transactional ([`item_read_units`]) |
//! | Query, Scan | `ceil(sum of the sizes of the items evaluated / 4096)`, at least 1, before filter and projection; ×0.5 eventually consistent ([`range_read_units`]) |
//! | one item write, table arm | `max(ceil(old / 1024), ceil(new / 1024))`, at least 1; ×2 in a transaction ([`item_write_units`]) |
//! | one item write, index arm | from the index entries before and after ([`index_write_units`]); never doubled |
//!
//! BatchGetItem and BatchWriteItem add their items' units per table (each
//! item rounded on its own); Query and Scan round the sum once. A write whose
//! condition fails consumes capacity in DynamoDB, but its error carries no
//! `ConsumedCapacity`, so nothing here sees it.
//!
//! # Accumulating
//!
//! An operation makes one [`Consumed`] from its `ReturnConsumedCapacity`
//! and charges it as it reads and writes; with `NONE` (or nothing) every
//! charge returns at once, so an operation that was not asked pays nothing
//! for the bookkeeping. Per table it keeps a [`TableCapacity`]: the table
//! arm and one arm per index charged. [`Consumed::single`] renders the one
//! object of a single-table operation, [`Consumed::per_table`] the list of a
//! batch or a transaction, in the order the tables were first charged.
//!
//! Index arms: the write paths charge them through
//! [`TableCapacity::charge_index`], once per secondary index of the table,
//! with the sizes of the item's index entries before and after the write
//! (the [`Consumed::table`] of the written table); index reads through
//! [`TableCapacity::read_index_range`].
//!
//! # Item collections
//!
//! `ItemCollectionMetrics` are reported only when `SIZE` was asked and the
//! table has a local secondary index ([`Table::has_local_indexes`]); then a
//! write reports the size of the collection of its partition key, read
//! after the write: [`metrics_of_write`], [`metrics_of_writes`].

use indexmap::IndexMap;

use crate::api::{
    Capacity, ConsumedCapacity, ItemCollectionMetrics, ReturnConsumedCapacity,
    ReturnItemCollectionMetrics,
};
use crate::store::index::Index;
use crate::store::key::PrimaryKey;
use crate::store::query::Page;
use crate::store::table::Table;
use crate::value::{AttributeValue, Item, item_size};

/// The bytes one read unit covers.
pub const READ_UNIT_BYTES: usize = 4096;

/// The bytes one write unit covers.
pub const WRITE_UNIT_BYTES: usize = 1024;

/// The bytes of one GB of `SizeEstimateRangeGB` (2^30).
pub const GB_BYTES: u64 = 1 << 30;

/// `ceil(size / unit)`, as the `f64` DynamoDB reports.
fn units(size: usize, unit: usize) -> f64 {
    size.div_ceil(unit) as f64
}

// ---------------------------------------------------------------------------
// The arithmetic

/// How a read is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// `ConsistentRead` false or absent: half a unit per 4 KB.
    Eventual,
    /// `ConsistentRead: true`: one unit per 4 KB.
    Consistent,
    /// A Get of TransactGetItems: two units per 4 KB.
    Transactional,
}

impl Read {
    /// The pricing of a read with this `ConsistentRead` (absent: eventual).
    pub(crate) fn of(consistent_read: Option<bool>) -> Read {
        if consistent_read == Some(true) {
            Read::Consistent
        } else {
            Read::Eventual
        }
    }

    fn factor(self) -> f64 {
        match self {
            Read::Eventual => 0.5,
            Read::Consistent => 1.0,
            Read::Transactional => 2.0,
        }
    }
}

/// How a write's table arm is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// PutItem, UpdateItem, DeleteItem, one write of BatchWriteItem.
    Standard,
    /// One action of TransactWriteItems: the table arm doubled.
    Transactional,
}

impl Write {
    fn factor(self) -> f64 {
        match self {
            Write::Standard => 1.0,
            Write::Transactional => 2.0,
        }
    }
}

/// The kind of a secondary index, which decides the arm it is reported in.
pub(crate) use crate::store::index::IndexKind;

/// The units of one item read: `ceil(size / 4096)`, a missing item (`None`)
/// 1, then the pricing's factor. A projection does not reduce it: `size` is
/// the whole item's.
pub(crate) fn item_read_units(size: Option<usize>, read: Read) -> f64 {
    units(size.unwrap_or(0), READ_UNIT_BYTES).max(1.0) * read.factor()
}

/// The units of a Query or Scan page: the sizes of every item evaluated
/// (before filter and projection), summed, then rounded once; at least 1
/// even when nothing was evaluated; then the pricing's factor.
pub(crate) fn range_read_units(bytes: usize, read: Read) -> f64 {
    units(bytes, READ_UNIT_BYTES).max(1.0) * read.factor()
}

/// The table arm of one item write, from the item's size before and after
/// (`None`: no item): `max(ceil(old / 1024), ceil(new / 1024))`, at least 1
/// (a DeleteItem of a missing item, a ConditionCheck of one), then the
/// pricing's factor (rounded before doubling).
pub(crate) fn item_write_units(old: Option<usize>, new: Option<usize>, write: Write) -> f64 {
    let side = |size: Option<usize>| units(size.unwrap_or(0), WRITE_UNIT_BYTES);
    side(old).max(side(new)).max(1.0) * write.factor()
}

/// The index arm of one item write, from the item's entry in that index
/// before and after (`None`: not in the index; a present entry costs at
/// least 1), spec indexes.md §8.5:
///
/// | Before | After | Units |
/// | --- | --- | --- |
/// | absent | absent | none (no arm) |
/// | absent | present | `ceil(new / 1024)` |
/// | present | absent | `ceil(old / 1024)` |
/// | present, same key | identical projection | none (no arm) |
/// | present, same key | projection differs | `max(ceil(old), ceil(new))` |
/// | present | present, other key | `ceil(old) + ceil(new)` |
///
/// `same_key`: the entry's index key (and table key) is unchanged;
/// `same_projection`: the entry's projected attributes are equal (sets
/// compare unordered). Both are read only when the entry exists before and
/// after. Never doubled in a transaction.
pub(crate) fn index_write_units(
    old_entry_size: Option<usize>,
    new_entry_size: Option<usize>,
    same_key: bool,
    same_projection: bool,
) -> Option<f64> {
    let entry = |size: usize| units(size, WRITE_UNIT_BYTES).max(1.0);
    match (old_entry_size, new_entry_size) {
        (None, None) => None,
        (None, Some(new)) => Some(entry(new)),
        (Some(old), None) => Some(entry(old)),
        (Some(_), Some(_)) if same_key && same_projection => None,
        (Some(old), Some(new)) if same_key => Some(entry(old).max(entry(new))),
        (Some(old), Some(new)) => Some(entry(old) + entry(new)),
    }
}

// ---------------------------------------------------------------------------
// The accumulator

/// What `ReturnConsumedCapacity` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `NONE` or absent: no `ConsumedCapacity` member.
    None,
    /// `TOTAL`: `TableName` and `CapacityUnits`.
    Total,
    /// `INDEXES`: also `Table` and the index arms charged.
    Indexes,
}

impl Mode {
    /// The mode asked for (the constraint layer refused unknown values).
    fn of(request: Option<&ReturnConsumedCapacity>) -> Mode {
        match request.map(ReturnConsumedCapacity::as_str) {
            Some("TOTAL") => Mode::Total,
            Some("INDEXES") => Mode::Indexes,
            _ => Mode::None,
        }
    }
}

/// The member a transaction mirrors every `CapacityUnits` in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mirror {
    /// Not a transaction: no mirror.
    None,
    /// TransactGetItems (and a TransactWriteItems replayed by its
    /// ClientRequestToken): `ReadCapacityUnits`.
    Read,
    /// TransactWriteItems: `WriteCapacityUnits`.
    Write,
}

/// The units one call consumed on one table: the table arm, and one arm per
/// secondary index charged (in the order first charged).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TableCapacity {
    table: f64,
    global: IndexMap<String, f64>,
    local: IndexMap<String, f64>,
}

impl TableCapacity {
    /// Charges the table arm for reading one item (`None`: no item has the
    /// key), [`item_read_units`].
    pub(crate) fn read_item(&mut self, item: Option<&Item>, read: Read) {
        self.table += item_read_units(item.map(item_size), read);
    }

    /// Charges the table arm for a Query or Scan page that evaluated
    /// `bytes` of items, [`range_read_units`].
    pub(crate) fn read_range(&mut self, bytes: usize, read: Read) {
        self.table += range_read_units(bytes, read);
    }

    /// Charges the table arm for writing one item, from the item before and
    /// after (`None`: no item), [`item_write_units`].
    pub(crate) fn write_item(&mut self, old: Option<&Item>, new: Option<&Item>, write: Write) {
        self.table += item_write_units(old.map(item_size), new.map(item_size), write);
    }

    /// Charges the arm of one secondary index for one item write, from the
    /// sizes of the item's entry in the index before and after (`None`: the
    /// item is not in the index), [`index_write_units`]. An index the write
    /// does not charge gets no arm (it is absent from the reply, not zero).
    /// Call it once per index of the written table, transactions included
    /// (index arms are not doubled).
    pub(crate) fn charge_index(
        &mut self,
        kind: IndexKind,
        index_name: &str,
        old_entry_size: Option<usize>,
        new_entry_size: Option<usize>,
        same_key: bool,
        same_projection: bool,
    ) {
        if let Some(units) =
            index_write_units(old_entry_size, new_entry_size, same_key, same_projection)
        {
            *self.index_arm(kind, index_name) += units;
        }
    }

    /// Charges the table arm for one base item of `size` bytes that a local
    /// index read fetched, rounded to 4 KB on its own.
    pub(crate) fn read_fetched(&mut self, size: usize, read: Read) {
        self.table += item_read_units(Some(size), read);
    }

    /// Charges the arm of one secondary index for a Query or Scan of it that
    /// evaluated `bytes` of index entries, [`range_read_units`]. (Base items
    /// an LSI read fetches are charged to the table arm, each with
    /// [`TableCapacity::read_item`].)
    pub(crate) fn read_index_range(
        &mut self,
        kind: IndexKind,
        index_name: &str,
        bytes: usize,
        read: Read,
    ) {
        *self.index_arm(kind, index_name) += range_read_units(bytes, read);
    }

    fn index_arm(&mut self, kind: IndexKind, index_name: &str) -> &mut f64 {
        let arms = match kind {
            IndexKind::Global => &mut self.global,
            IndexKind::Local => &mut self.local,
        };
        arms.entry(index_name.to_owned()).or_insert(0.0)
    }

    /// Every arm together: `CapacityUnits`.
    fn total(&self) -> f64 {
        self.table + self.global.values().sum::<f64>() + self.local.values().sum::<f64>()
    }

    /// The `ConsumedCapacity` of the table named `name`.
    fn render(&self, name: &str, mode: Mode, mirror: Mirror) -> ConsumedCapacity {
        let capacity = |units: f64| Capacity {
            capacity_units: Some(units),
            read_capacity_units: (mirror == Mirror::Read).then_some(units),
            write_capacity_units: (mirror == Mirror::Write).then_some(units),
        };
        let total = capacity(self.total());
        let indexes = mode == Mode::Indexes;
        let arms = |arms: &IndexMap<String, f64>| {
            (indexes && !arms.is_empty()).then(|| {
                arms.iter()
                    .map(|(name, units)| (name.clone(), capacity(*units)))
                    .collect::<IndexMap<_, _>>()
            })
        };
        ConsumedCapacity {
            table_name: Some(name.to_owned()),
            capacity_units: total.capacity_units,
            read_capacity_units: total.read_capacity_units,
            write_capacity_units: total.write_capacity_units,
            table: indexes.then(|| capacity(self.table)),
            local_secondary_indexes: arms(&self.local),
            global_secondary_indexes: arms(&self.global),
        }
    }
}

/// The capacity one call consumed, per table, and how to report it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Consumed {
    mode: Mode,
    mirror: Mirror,
    /// Table name → its arms, in the order first charged.
    tables: IndexMap<String, TableCapacity>,
}

impl Consumed {
    /// An empty accumulator for a call with this `ReturnConsumedCapacity`;
    /// `mirror` says which member a transaction mirrors.
    pub(crate) fn new(request: Option<&ReturnConsumedCapacity>, mirror: Mirror) -> Consumed {
        Consumed {
            mode: Mode::of(request),
            mirror,
            tables: IndexMap::new(),
        }
    }

    /// True when the caller asked for capacity (`TOTAL` or `INDEXES`):
    /// worth sizing index entries for.
    pub(crate) fn wanted(&self) -> bool {
        self.mode != Mode::None
    }

    /// The arms of a table, to charge; `None` when no capacity was asked
    /// for (nothing to charge).
    pub(crate) fn table(&mut self, name: &str) -> Option<&mut TableCapacity> {
        if !self.wanted() {
            return None;
        }
        // Looked up first: the name is copied only for a new table.
        let index = match self.tables.get_index_of(name) {
            Some(index) => index,
            None => {
                self.tables
                    .insert_full(name.to_owned(), TableCapacity::default())
                    .0
            }
        };
        self.tables.get_index_mut(index).map(|(_, arms)| arms)
    }

    /// [`TableCapacity::read_item`] on the table `name`.
    pub(crate) fn read_item(&mut self, name: &str, item: Option<&Item>, read: Read) {
        if let Some(table) = self.table(name) {
            table.read_item(item, read);
        }
    }

    /// [`TableCapacity::read_range`] on the table `name`.
    pub(crate) fn read_range(&mut self, name: &str, bytes: usize, read: Read) {
        if let Some(table) = self.table(name) {
            table.read_range(bytes, read);
        }
    }

    /// [`TableCapacity::write_item`] on `table`, and
    /// [`TableCapacity::charge_index`] for each of its indexes, from the
    /// entries the item had and has.
    pub(crate) fn write_indexed(
        &mut self,
        table: &Table,
        old: Option<&Item>,
        new: Option<&Item>,
        write: Write,
    ) {
        let Some(arms) = self.table(table.name()) else {
            return;
        };
        arms.write_item(old, new, write);
        for index in table.indexes() {
            let entry = |item: Option<&Item>| {
                let item = item?;
                let key = index.key_of(item)?;
                Some((key, index.project(item, &table.schema)))
            };
            let (before, after) = (entry(old), entry(new));
            let same_key = matches!((&before, &after), (Some(a), Some(b)) if a.0 == b.0);
            let same_projection = matches!((&before, &after), (Some(a), Some(b)) if a.1 == b.1);
            arms.charge_index(
                index.kind,
                &index.name,
                before.as_ref().map(|(_, e)| item_size(e)),
                after.as_ref().map(|(_, e)| item_size(e)),
                same_key,
                same_projection,
            );
        }
    }

    /// A Query or Scan page of an index: the entries read on the index's
    /// arm, each base item a local index fetched on the table arm.
    pub(crate) fn read_index(&mut self, table: &Table, index: &Index, page: &Page, read: Read) {
        if let Some(arms) = self.table(table.name()) {
            arms.read_index_range(index.kind, &index.name, page.bytes, read);
            for size in &page.fetched {
                arms.read_fetched(*size, read);
            }
        }
    }

    /// [`TableCapacity::write_item`] on the table `name`.
    pub(crate) fn write_item(
        &mut self,
        name: &str,
        old: Option<&Item>,
        new: Option<&Item>,
        write: Write,
    ) {
        if let Some(table) = self.table(name) {
            table.write_item(old, new, write);
        }
    }

    /// The `ConsumedCapacity` member of a single-table operation: absent
    /// when not asked for (or nothing was charged).
    pub(crate) fn single(self) -> Option<ConsumedCapacity> {
        let (mode, mirror) = (self.mode, self.mirror);
        if mode == Mode::None {
            return None;
        }
        let (name, arms) = self.tables.first()?;
        Some(arms.render(name, mode, mirror))
    }

    /// The `ConsumedCapacity` member of a batch or a transaction: one entry
    /// per table charged, in the order first charged; absent when not
    /// asked for.
    pub(crate) fn per_table(self) -> Option<Vec<ConsumedCapacity>> {
        if self.mode == Mode::None {
            return None;
        }
        Some(
            self.tables
                .iter()
                .map(|(name, arms)| arms.render(name, self.mode, self.mirror))
                .collect(),
        )
    }
}

// ---------------------------------------------------------------------------
// Item collections

/// True when `ReturnItemCollectionMetrics` asks for `SIZE`.
pub(crate) fn size_asked(request: Option<&ReturnItemCollectionMetrics>) -> bool {
    request.is_some_and(|r| r.as_str() == "SIZE")
}

/// `SizeEstimateRangeGB` of a collection of `bytes`: `[floor(GB),
/// floor(GB) + 1]` (`[0.0, 1.0]` under 1 GB, DynamoDB's documented example).
pub(crate) fn size_estimate_range_gb(bytes: u64) -> [f64; 2] {
    let low = (bytes / GB_BYTES) as f64;
    [low, low + 1.0]
}

/// The `ItemCollectionMetrics` of the collection whose partition key
/// attribute `name` holds `value`, `bytes` large.
pub(crate) fn item_collection_metrics(
    name: &str,
    value: AttributeValue,
    bytes: u64,
) -> ItemCollectionMetrics {
    ItemCollectionMetrics {
        item_collection_key: Some(Item::from_iter([(name.to_owned(), value)])),
        size_estimate_range_gb: Some(size_estimate_range_gb(bytes).to_vec()),
    }
}

/// The metrics of the collection holding `key`, measured now.
fn collection_metrics(table: &Table, key: &PrimaryKey) -> ItemCollectionMetrics {
    item_collection_metrics(
        &table.schema().partition.name,
        key.partition.to_attribute(),
        table.collections.size(&key.partition),
    )
}

/// The `ItemCollectionMetrics` member of a single-item write of `key`:
/// present when `SIZE` was asked and the table has a local secondary index.
/// Call it after the write, with the item no longer locked.
pub(crate) fn metrics_of_write(
    request: Option<&ReturnItemCollectionMetrics>,
    table: &Table,
    key: &PrimaryKey,
) -> Option<ItemCollectionMetrics> {
    (size_asked(request) && table.has_local_indexes()).then(|| collection_metrics(table, key))
}

/// The `ItemCollectionMetrics` member of BatchWriteItem and
/// TransactWriteItems: table name → one entry per collection written (a
/// partition written twice is reported once), for the tables with a local
/// secondary index; absent when `SIZE` was not asked or no such table was
/// written. Call it after the writes, with no item locked.
pub(crate) fn metrics_of_writes<'w>(
    request: Option<&ReturnItemCollectionMetrics>,
    writes: impl IntoIterator<Item = (&'w Table, &'w PrimaryKey)>,
) -> Option<IndexMap<String, Vec<ItemCollectionMetrics>>> {
    if !size_asked(request) {
        return None;
    }
    let mut partitions: IndexMap<&str, (&Table, Vec<&PrimaryKey>)> = IndexMap::new();
    for (table, key) in writes {
        if !table.has_local_indexes() {
            continue;
        }
        let (_, keys) = partitions
            .entry(table.name())
            .or_insert((table, Vec::new()));
        if !keys.iter().any(|k| k.partition == key.partition) {
            keys.push(key);
        }
    }
    let metrics: IndexMap<String, Vec<ItemCollectionMetrics>> = partitions
        .into_iter()
        .map(|(name, (table, keys))| {
            let entries = keys
                .into_iter()
                .map(|key| collection_metrics(table, key))
                .collect();
            (name.to_owned(), entries)
        })
        .collect();
    (!metrics.is_empty()).then_some(metrics)
}

#[cfg(test)]
mod tests;
