//! The entries of an index and the positions between them.
//!
//! An [`Entry`] is an item's index key and its table key; entries are
//! ordered by the index key's components left to right, then by the table
//! key (ties of the index key are ordered by the table key, so pagination
//! is stable; indexes.md §5.6).
//!
//! A read of a range of entries is bounded by [`EntryBound`]s: a position
//! *between* entries, given as a prefix of an entry's sequence (index key
//! components, then the table key) and a side, just before or just after
//! every entry that starts with that prefix. `r1 = x AND r2 < y` on an
//! index of RANGE `r1, r2, r3` is the positions before `(h, x)` and before
//! `(h, x, y)`: whatever `r3` holds. No entry is ever equal to a bound, so
//! both ends of a range are simply positions.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::ops::Bound;

use crate::store::index::schema::IndexKey;
use crate::store::key::{KeyValue, PrimaryKey};
use crate::store::key_condition::ComponentCondition;
use crate::store::range::SortPos;

/// One entry: the item's index key, then its table key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) index: IndexKey,
    pub(crate) table: PrimaryKey,
}

/// Which side of the entries starting with a bound's prefix it lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Before,
    After,
}

/// A position between entries: just before or just after every entry
/// whose sequence (index key components, then table key) starts with
/// `parts` (then `table`, when given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryBound {
    pub(crate) parts: Vec<KeyValue>,
    /// The table key, only after every index key component.
    pub(crate) table: Option<PrimaryKey>,
    pub(crate) side: Side,
}

impl EntryBound {
    /// Just after an entry (a resume point reading forward).
    pub(crate) fn after(entry: &Entry) -> EntryBound {
        EntryBound {
            parts: entry.index.parts().to_vec(),
            table: Some(entry.table.clone()),
            side: Side::After,
        }
    }

    /// Just before an entry (a resume point reading backward).
    pub(crate) fn before(entry: &Entry) -> EntryBound {
        EntryBound {
            side: Side::Before,
            ..EntryBound::after(entry)
        }
    }

    /// The entries a key condition selects: the index partition, the
    /// RANGE equalities, and the range the last RANGE condition allows,
    /// whatever the components after it hold.
    pub(crate) fn range(cond: &ComponentCondition) -> (Bound<EntryBound>, Bound<EntryBound>) {
        let mut base = cond.hash.clone();
        base.extend(cond.range.iter().cloned());
        let (lo, hi) = cond.last.as_ref().map_or(
            (
                Bound::Included(SortPos::Start),
                Bound::Included(SortPos::End),
            ),
            |c| c.bounds(),
        );
        let at = |value: Option<KeyValue>, side| {
            let mut parts = base.clone();
            parts.extend(value);
            Bound::Included(EntryBound {
                parts,
                table: None,
                side,
            })
        };
        // Sort positions as sides: an included lower value starts before
        // the entries holding it, an excluded one after them; the other way
        // round for the upper end. `Start` and `End` bound the prefix alone.
        let lo = match lo {
            Bound::Included(SortPos::Value(v)) => at(Some(v), Side::Before),
            Bound::Excluded(SortPos::Value(v)) => at(Some(v), Side::After),
            Bound::Included(SortPos::End) | Bound::Excluded(SortPos::End) => at(None, Side::After),
            _ => at(None, Side::Before),
        };
        let hi = match hi {
            Bound::Included(SortPos::Value(v)) => at(Some(v), Side::After),
            Bound::Excluded(SortPos::Value(v)) => at(Some(v), Side::Before),
            Bound::Included(SortPos::Start) | Bound::Excluded(SortPos::Start) => {
                at(None, Side::Before)
            }
            _ => at(None, Side::After),
        };
        (lo, hi)
    }
}

/// What ends a position's sequence: a bound's side, or nothing (an entry).
/// `Before` and an entry's end sort before any further element, `After`
/// after every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    Before,
    Entry,
    After,
}

/// One element of a position's sequence.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Element<'a> {
    Value(&'a KeyValue),
    Table(&'a PrimaryKey),
}

/// A position in the index's order, borrowed from an entry or a bound.
pub(crate) struct Position<'a> {
    parts: &'a [KeyValue],
    table: Option<&'a PrimaryKey>,
    end: End,
}

impl Position<'_> {
    fn elements(&self) -> impl Iterator<Item = Element<'_>> {
        let values = self.parts.iter().map(Element::Value);
        values.chain(self.table.map(Element::Table))
    }

    /// The lexicographic order of the sequences, each ended by its `End`.
    fn compare(&self, other: &Position<'_>) -> Ordering {
        let (mut a, mut b) = (self.elements(), other.elements());
        loop {
            match (a.next(), b.next()) {
                (Some(x), Some(y)) => match x.cmp(&y) {
                    Ordering::Equal => {}
                    unequal => return unequal,
                },
                (None, None) => return self.end.cmp(&other.end),
                (None, Some(_)) => {
                    return if self.end == End::After {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    };
                }
                (Some(_), None) => {
                    return if other.end == End::After {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    };
                }
            }
        }
    }
}

/// Something with a place in the index's order: an [`Entry`] or an
/// [`EntryBound`]. `Entry: Borrow<dyn EntryPosition>` lets
/// `BTreeSet::range` take bounds that no entry equals (the same device as
/// `MapPosition` for the table's map, `range.rs`).
pub(crate) trait EntryPosition {
    fn position(&self) -> Position<'_>;
}

impl EntryPosition for Entry {
    fn position(&self) -> Position<'_> {
        Position {
            parts: self.index.parts(),
            table: Some(&self.table),
            end: End::Entry,
        }
    }
}

impl EntryPosition for EntryBound {
    fn position(&self) -> Position<'_> {
        Position {
            parts: &self.parts,
            table: self.table.as_ref(),
            end: match self.side {
                Side::Before => End::Before,
                Side::After => End::After,
            },
        }
    }
}

impl PartialEq for dyn EntryPosition + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for dyn EntryPosition + '_ {}

impl PartialOrd for dyn EntryPosition + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn EntryPosition + '_ {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position().compare(&other.position())
    }
}

// The entries' own order is the positions' order, so the set and its
// range queries agree.
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position().compare(&other.position())
    }
}

impl<'a> Borrow<dyn EntryPosition + 'a> for Entry {
    fn borrow(&self) -> &(dyn EntryPosition + 'a) {
        self
    }
}

pub(crate) fn as_dyn(bound: &Bound<EntryBound>) -> Bound<&dyn EntryPosition> {
    match bound {
        Bound::Included(k) => Bound::Included(k as &dyn EntryPosition),
        Bound::Excluded(k) => Bound::Excluded(k as &dyn EntryPosition),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// Whether a range between two bounds can hold an entry (`BTreeSet::range`
/// panics on an inverted range, so this is checked first).
pub(crate) fn non_empty(lo: &Bound<EntryBound>, hi: &Bound<EntryBound>) -> bool {
    use Bound::{Excluded, Included};
    match (lo, hi) {
        (Included(a), Included(b)) => a.position().compare(&b.position()) != Ordering::Greater,
        (Included(a) | Excluded(a), Included(b) | Excluded(b)) => {
            a.position().compare(&b.position()) == Ordering::Less
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Number;
    use crate::store::key_condition::SortCondition;

    fn s(x: &str) -> KeyValue {
        KeyValue::S(x.into())
    }

    fn n(x: i64) -> KeyValue {
        KeyValue::N(Number::from(x))
    }

    fn entry(hash: &[KeyValue], range: &[KeyValue], p: &str) -> Entry {
        Entry {
            index: IndexKey::new(hash.to_vec(), range.to_vec()),
            table: PrimaryKey {
                partition: s(p),
                sort: None,
            },
        }
    }

    fn within(e: &Entry, (lo, hi): &(Bound<EntryBound>, Bound<EntryBound>)) -> bool {
        let pos = e as &dyn EntryPosition;
        let above = match lo {
            Bound::Included(b) => (b as &dyn EntryPosition) < pos,
            _ => true,
        };
        let below = match hi {
            Bound::Included(b) => pos < (b as &dyn EntryPosition),
            _ => true,
        };
        above && below
    }

    #[test]
    fn prefix_bounds_hold_whatever_the_later_components_are() {
        // RANGE r1 (S), r2 (N), r3 (S): `r1 = x AND r2 < 5`, r3 free.
        let cond = ComponentCondition {
            hash: vec![s("h")],
            range: vec![s("x")],
            last: Some(SortCondition::Lt(n(5))),
        };
        let range = EntryBound::range(&cond);
        let e = |r1: &str, r2: i64, r3: &str| entry(&[s("h")], &[s(r1), n(r2), s(r3)], "p");
        for (entry, want) in [
            (e("x", 4, ""), true),
            (e("x", 4, "\u{10FFFF}"), true),
            (e("x", -100, "a"), true),
            (e("x", 5, ""), false),
            (e("x", 5, "a"), false),
            (e("w", 1, "a"), false),
            (e("y", 1, "a"), false),
        ] {
            assert_eq!(within(&entry, &range), want, "{entry:?}");
            assert_eq!(
                cond.matches(entry.index.hash(), entry.index.range()),
                want,
                "{entry:?}"
            );
        }
        // `r1 = x AND r2 >= 5`: included lower end, open upper end of the prefix.
        let cond = ComponentCondition {
            last: Some(SortCondition::Ge(n(5))),
            ..cond
        };
        let range = EntryBound::range(&cond);
        assert!(within(&e("x", 5, ""), &range));
        assert!(within(&e("x", 900, "z"), &range));
        assert!(!within(&e("x", 4, "z"), &range));
        assert!(!within(&e("y", 0, ""), &range));
        // Another partition is out whatever its RANGE values.
        let other = entry(&[s("i")], &[s("x"), n(5), s("")], "p");
        assert!(!within(&other, &range));
    }

    #[test]
    fn equalities_and_begins_with_on_a_prefix() {
        let e = |r1: &str, r2: &str| entry(&[s("h"), n(1)], &[s(r1), s(r2)], "p");
        let cond = ComponentCondition {
            hash: vec![s("h"), n(1)],
            range: vec![s("a")],
            last: Some(SortCondition::BeginsWith(s("b"))),
        };
        let range = EntryBound::range(&cond);
        assert!(within(&e("a", "b"), &range));
        assert!(within(&e("a", "bzz"), &range));
        assert!(!within(&e("a", "c"), &range));
        assert!(!within(&e("a", "a"), &range));
        assert!(!within(&e("b", "b"), &range));
        // No RANGE condition: the whole index partition.
        let whole = ComponentCondition {
            hash: vec![s("h"), n(1)],
            range: Vec::new(),
            last: None,
        };
        let range = EntryBound::range(&whole);
        assert!(within(&e("", ""), &range));
        assert!(within(&e("\u{10FFFF}", "z"), &range));
        let other = entry(&[s("h"), n(2)], &[s("a"), s("b")], "p");
        assert!(!within(&other, &range));
    }

    #[test]
    fn resume_points_sit_beside_their_entry() {
        let a = entry(&[s("h")], &[n(1)], "p1");
        let b = entry(&[s("h")], &[n(1)], "p2");
        let after = EntryBound::after(&a);
        let before = EntryBound::before(&b);
        let pos = |x: &dyn EntryPosition| x.position().compare(&after.position());
        assert_eq!(pos(&a), Ordering::Less);
        assert_eq!(pos(&b), Ordering::Greater);
        assert_eq!(
            before.position().compare(&b.position()),
            Ordering::Less,
            "before b"
        );
        assert_eq!(before.position().compare(&a.position()), Ordering::Greater);
        assert!(a < b);
        assert!(non_empty(
            &Bound::Included(after.clone()),
            &Bound::Included(before.clone())
        ));
        assert!(!non_empty(
            &Bound::Included(before),
            &Bound::Included(after)
        ));
    }
}
