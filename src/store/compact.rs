//! Items as slots keep them: one compact byte string per item instead of an
//! `IndexMap` of `String`s and `AttributeValue`s (a dozen allocations and
//! several hundred bytes for a three-attribute item; issue 16).
//!
//! The encoding is private to the process (never written to disk: the log
//! and snapshots have their own, `durable::codec`), so it can change freely.
//! An item is its attribute count, then each attribute's name and value, in
//! the item's order. Lengths and counts are LEB128 varints; a value is a tag
//! byte and its contents; a number is its sign, its coefficient (a varint)
//! and its exponent (a zigzag varint), so decoding never parses text.
//! Bytes come only from [`encode`], so [`decode`] fails only on a bug; it
//! still checks every length against the bytes left and bounds nesting, so
//! even then it returns `None` instead of panicking or over-allocating.

use std::collections::BTreeSet;

use crate::number::Number;
use crate::value::{AttributeValue, Item, MAX_NESTING_DEPTH};

const S: u8 = 0;
const N: u8 = 1;
const B: u8 = 2;
const SS: u8 = 3;
const NS: u8 = 4;
const BS: u8 = 5;
const FALSE: u8 = 6;
const TRUE: u8 = 7;
const NULL: u8 = 8;
const L: u8 = 9;
const M: u8 = 10;

/// The compact form of `item`.
pub(crate) fn encode(item: &Item) -> Box<[u8]> {
    let mut buf = Vec::with_capacity(64);
    map(&mut buf, item);
    buf.into_boxed_slice()
}

/// The item of [`encode`]'s bytes; `None` only for bytes it did not make.
pub(crate) fn decode(bytes: &[u8]) -> Option<Item> {
    let mut reader = Reader { bytes };
    let item = reader.map(0)?;
    reader.bytes.is_empty().then_some(item)
}

fn varint(buf: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        buf.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn len(buf: &mut Vec<u8>, n: usize) {
    varint(buf, n as u128);
}

fn bytes(buf: &mut Vec<u8>, b: &[u8]) {
    len(buf, b.len());
    buf.extend_from_slice(b);
}

fn number(buf: &mut Vec<u8>, n: &Number) {
    let (negative, coefficient, exponent) = n.parts();
    buf.push(u8::from(negative));
    varint(buf, coefficient);
    // Zigzag: small exponents of either sign take one byte.
    let zigzag = ((exponent << 1) ^ (exponent >> 31)) as u32;
    varint(buf, u128::from(zigzag));
}

fn map(buf: &mut Vec<u8>, item: &Item) {
    len(buf, item.len());
    for (name, v) in item {
        bytes(buf, name.as_bytes());
        value(buf, v);
    }
}

fn value(buf: &mut Vec<u8>, v: &AttributeValue) {
    match v {
        AttributeValue::S(s) => {
            buf.push(S);
            bytes(buf, s.as_bytes());
        }
        AttributeValue::N(n) => {
            buf.push(N);
            number(buf, n);
        }
        AttributeValue::B(b) => {
            buf.push(B);
            bytes(buf, b);
        }
        AttributeValue::Ss(set) => {
            buf.push(SS);
            len(buf, set.len());
            set.iter().for_each(|s| bytes(buf, s.as_bytes()));
        }
        AttributeValue::Ns(set) => {
            buf.push(NS);
            len(buf, set.len());
            set.iter().for_each(|n| number(buf, n));
        }
        AttributeValue::Bs(set) => {
            buf.push(BS);
            len(buf, set.len());
            set.iter().for_each(|b| bytes(buf, b));
        }
        AttributeValue::Bool(false) => buf.push(FALSE),
        AttributeValue::Bool(true) => buf.push(TRUE),
        AttributeValue::Null => buf.push(NULL),
        AttributeValue::L(list) => {
            buf.push(L);
            len(buf, list.len());
            list.iter().for_each(|v| value(buf, v));
        }
        AttributeValue::M(m) => {
            buf.push(M);
            map(buf, m);
        }
    }
}

/// Reads [`encode`]'s bytes from the front.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn u8(&mut self) -> Option<u8> {
        let (&first, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(first)
    }

    fn varint(&mut self) -> Option<u128> {
        let mut v: u128 = 0;
        for shift in (0..128).step_by(7) {
            let b = self.u8()?;
            v |= u128::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// A count of things still to read, each at least one byte: never
    /// more than the bytes left, so no allocation outgrows the input.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.bytes.len()).then_some(n)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.varint()?).ok()?;
        let (taken, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(taken)
    }

    fn string(&mut self) -> Option<String> {
        std::str::from_utf8(self.bytes()?).ok().map(str::to_owned)
    }

    fn number(&mut self) -> Option<Number> {
        let negative = self.u8()? != 0;
        let coefficient = self.varint()?;
        let zigzag = u32::try_from(self.varint()?).ok()?;
        let exponent = ((zigzag >> 1) as i32) ^ -((zigzag & 1) as i32);
        Number::from_stored_parts(negative, coefficient, exponent)
    }

    fn map(&mut self, depth: usize) -> Option<Item> {
        let n = self.count()?;
        let mut item = Item::with_capacity(n);
        for _ in 0..n {
            let name = self.string()?;
            let v = self.value(depth + 1)?;
            item.insert(name, v);
        }
        Some(item)
    }

    fn value(&mut self, depth: usize) -> Option<AttributeValue> {
        if depth > MAX_NESTING_DEPTH + 1 {
            return None;
        }
        Some(match self.u8()? {
            S => AttributeValue::S(self.string()?),
            N => AttributeValue::N(self.number()?),
            B => AttributeValue::B(self.bytes()?.to_vec()),
            SS => {
                let n = self.count()?;
                let set: Option<BTreeSet<String>> = (0..n).map(|_| self.string()).collect();
                AttributeValue::Ss(set?)
            }
            NS => {
                let n = self.count()?;
                let set: Option<BTreeSet<Number>> = (0..n).map(|_| self.number()).collect();
                AttributeValue::Ns(set?)
            }
            BS => {
                let n = self.count()?;
                let set: Option<BTreeSet<Vec<u8>>> =
                    (0..n).map(|_| self.bytes().map(<[u8]>::to_vec)).collect();
                AttributeValue::Bs(set?)
            }
            FALSE => AttributeValue::Bool(false),
            TRUE => AttributeValue::Bool(true),
            NULL => AttributeValue::Null,
            L => {
                let n = self.count()?;
                let list: Option<Vec<AttributeValue>> =
                    (0..n).map(|_| self.value(depth + 1)).collect();
                AttributeValue::L(list?)
            }
            M => AttributeValue::M(self.map(depth)?),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::value::item_size;

    fn number() -> impl Strategy<Value = Number> {
        // Up to 38 significant digits, any exponent DynamoDB allows.
        (any::<bool>(), "[0-9]{1,38}", -120i32..100).prop_filter_map(
            "in range",
            |(negative, digits, exponent)| {
                let sign = if negative { "-" } else { "" };
                Number::parse(&format!("{sign}{digits}E{exponent}")).ok()
            },
        )
    }

    fn blob() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..40)
    }

    fn value() -> impl Strategy<Value = AttributeValue> {
        let leaf = prop_oneof![
            any::<String>().prop_map(AttributeValue::S),
            number().prop_map(AttributeValue::N),
            blob().prop_map(AttributeValue::B),
            proptest::collection::btree_set(any::<String>(), 1..5).prop_map(AttributeValue::Ss),
            proptest::collection::btree_set(number(), 1..5).prop_map(AttributeValue::Ns),
            proptest::collection::btree_set(blob(), 1..5).prop_map(AttributeValue::Bs),
            any::<bool>().prop_map(AttributeValue::Bool),
            Just(AttributeValue::Null),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(AttributeValue::L),
                proptest::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|pairs| AttributeValue::M(pairs.into_iter().collect())),
            ]
        })
    }

    fn item() -> impl Strategy<Value = Item> {
        proptest::collection::vec(("[a-z#_.]{1,12}|\\PC{1,6}", value()), 0..8)
            .prop_map(|pairs| pairs.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every value shape decodes to the item encoded, attribute order
        /// and item size (DynamoDB's count) included.
        #[test]
        fn items_round_trip(item in item()) {
            let bytes = encode(&item);
            let back = decode(&bytes).unwrap();
            prop_assert_eq!(item_size(&back), item_size(&item));
            prop_assert!(back.iter().eq(item.iter()), "{:?} != {:?}", back, item);
        }

        /// A cut-off or damaged encoding decodes to `None` or some item,
        /// never a panic.
        #[test]
        fn damaged_bytes_never_panic(item in item(), cut in any::<prop::sample::Index>(), flip in any::<u8>()) {
            let bytes = encode(&item).into_vec();
            let at = cut.index(bytes.len());
            prop_assert!(decode(&bytes[..at]).is_none());
            let mut damaged = bytes;
            damaged[at] ^= flip;
            let _ = decode(&damaged);
        }
    }

    #[test]
    fn numbers_keep_their_exact_value() {
        for text in [
            "0",
            "-1",
            "1E-130",
            "9.9999999999999999999999999999999999999E+125",
            "-12.5",
            "100",
        ] {
            let n = Number::parse(text).unwrap();
            let mut item = Item::new();
            item.insert("n".into(), AttributeValue::N(n));
            let back = decode(&encode(&item)).unwrap();
            assert_eq!(back.get("n").and_then(AttributeValue::as_n), Some(&n));
            assert_eq!(back["n"].as_n().unwrap().to_string(), n.to_string());
        }
    }

    #[test]
    fn keys_are_small() {
        use crate::store::key::{KeyValue, PrimaryKey};
        // The table map holds one key per item (issue 16).
        assert_eq!(size_of::<Number>(), 24);
        assert_eq!(size_of::<KeyValue>(), 32);
        assert_eq!(size_of::<PrimaryKey>(), 64);
    }

    #[test]
    fn a_small_item_is_small() {
        let mut item = Item::new();
        item.insert("pk".into(), AttributeValue::S("user#00000000".into()));
        item.insert("n".into(), AttributeValue::n(12345));
        item.insert("s".into(), AttributeValue::s("some text"));
        // 1 count, 3+15 pk, 2+1+1+2+1 n, 2+11 s.
        assert_eq!(encode(&item).len(), 39);
    }
}
