//! Range bounds over the ordered item map, batched reads of (key, slot) pairs,
//! and the stable segment hash of parallel Scan.

use std::cmp::Ordering;
use std::ops::Bound;

use crate::store::key::{KeyValue, PrimaryKey};
use crate::store::stored_key;
use crate::store::table::{Keyed, Slot, Table, read};

/// The most map entries copied out per hold of the map's read lock.
pub(crate) const BATCH: usize = 256;

// ---------------------------------------------------------------------------
// Range bounds over the item map

/// A position among the sort values of one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SortPos {
    /// Before every sort value (and equal to "no sort key").
    Start,
    Value(KeyValue),
    /// After every sort value.
    End,
}

/// A bound of a range of the item map: a partition and a sort position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BoundKey {
    pub(crate) partition: KeyValue,
    pub(crate) sort: SortPos,
}

impl BoundKey {
    pub(crate) fn at(key: &PrimaryKey) -> BoundKey {
        BoundKey {
            partition: key.partition.clone(),
            sort: key.sort.clone().map_or(SortPos::Start, SortPos::Value),
        }
    }
}

/// A borrowed sort position, ordered `Start < Value < End`.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SortRef<'a> {
    Start,
    Value(&'a KeyValue),
    End,
}

/// Something with a place in a table's key order: a [`PrimaryKey`] or a
/// [`BoundKey`] (a bound no key can equal, such as the end of a partition).
/// The map itself orders keys by their byte form
/// ([`crate::store::stored_key`]), which keeps this order.
pub(crate) trait MapPosition {
    fn position(&self) -> (&KeyValue, SortRef<'_>);
}

impl MapPosition for PrimaryKey {
    fn position(&self) -> (&KeyValue, SortRef<'_>) {
        // `None < Some(_)` in PrimaryKey's order, as `Start < Value` here.
        (
            &self.partition,
            self.sort.as_ref().map_or(SortRef::Start, SortRef::Value),
        )
    }
}

impl MapPosition for BoundKey {
    fn position(&self) -> (&KeyValue, SortRef<'_>) {
        let sort = match &self.sort {
            SortPos::Start => SortRef::Start,
            SortPos::Value(v) => SortRef::Value(v),
            SortPos::End => SortRef::End,
        };
        (&self.partition, sort)
    }
}

impl PartialEq for dyn MapPosition + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.position() == other.position()
    }
}

impl Eq for dyn MapPosition + '_ {}

impl PartialOrd for dyn MapPosition + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn MapPosition + '_ {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position().cmp(&other.position())
    }
}

/// Whether a range can hold any key (`BTreeMap::range` panics on an
/// inverted range, so this is checked first).
pub(crate) fn non_empty(lo: &Bound<BoundKey>, hi: &Bound<BoundKey>) -> bool {
    match (lo, hi) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => true,
        (Bound::Included(a), Bound::Included(b)) => a.position() <= b.position(),
        (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => {
            a.position() < b.position()
        }
    }
}

/// Copies up to [`BATCH`] (key, slot) pairs of a range out of the map, in
/// order (descending when `!forward`), holding the read lock only meanwhile.
pub(crate) fn batch(
    table: &Table,
    lo: &Bound<BoundKey>,
    hi: &Bound<BoundKey>,
    forward: bool,
) -> Vec<(PrimaryKey, Slot)> {
    if !non_empty(lo, hi) {
        return Vec::new();
    }
    let (lo, hi) = (stored_key::bound(lo), stored_key::bound(hi));
    let bounds = (
        lo.as_ref().map(Vec::as_slice),
        hi.as_ref().map(Vec::as_slice),
    );
    let map = read(&table.items);
    let range = map.range::<[u8], _>(bounds);
    // The keys of the table's slots always decode.
    let copy = |Keyed(s): &Keyed| Some((s.key.decode(&table.schema)?, s.clone()));
    if forward {
        range.take(BATCH).filter_map(copy).collect()
    } else {
        range.rev().take(BATCH).filter_map(copy).collect()
    }
}

// ---------------------------------------------------------------------------
// Segments

/// The segment (of `total`) that holds a partition: FNV-1a over a type tag
/// and the key's bytes (numbers by their canonical text), modulo `total`.
/// Stable across runs and platforms.
pub fn segment_of(partition: &KeyValue, total: u64) -> u64 {
    segment_of_parts(std::slice::from_ref(partition), total)
}

/// [`segment_of`] for a partition of several components (a multi-attribute
/// index key's HASH tuple): each component after the first is preceded by
/// its byte length, so two tuples never feed the same bytes; a one-component
/// tuple lands where [`segment_of`] puts its value.
pub(crate) fn segment_of_parts(parts: &[KeyValue], total: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (i, part) in parts.iter().enumerate() {
        let (tag, text);
        let bytes: &[u8] = match part {
            KeyValue::S(s) => {
                tag = b"S";
                s.as_bytes()
            }
            KeyValue::N(n) => {
                tag = b"N";
                text = n.to_string();
                text.as_bytes()
            }
            KeyValue::B(b) => {
                tag = b"B";
                b
            }
        };
        if i > 0 {
            feed(&(bytes.len() as u64).to_le_bytes());
        }
        feed(tag);
        feed(bytes);
    }
    hash.checked_rem(total).unwrap_or(0)
}
