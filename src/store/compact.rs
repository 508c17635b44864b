//! Items as slots keep them: one compact byte string per item instead of an
//! `IndexMap` of `String`s and `AttributeValue`s (a dozen allocations and
//! several hundred bytes for a three-attribute item; issue 16).
//!
//! The encoding is private to the process (never written to disk: the log
//! and snapshots have their own, `durable::codec`), so it can change freely.
//! An item is its attribute count, then each attribute's name and value, in
//! the item's order. Lengths and counts are LEB128 varints; a value is a tag
//! byte and its contents (a string of up to 223 bytes has its length in
//! its tag); a number is its coefficient (a varint), then its
//! exponent (zigzag) and sign in one varint, so decoding never parses text.
//! A top-level key attribute's value is not repeated: the table's map
//! keeps it in the item's key, so the encoding has a tag in its place and
//! decoding takes the value from the key (a 36-character UUID key saves 37
//! bytes per item).
//! Bytes come only from [`encode`], so [`decode`] fails only on a bug; it
//! still checks every length against the bytes left and bounds nesting, so
//! even then it returns `None` instead of panicking or over-allocating.

use std::collections::BTreeSet;

use crate::number::Number;
use crate::store::key::{KeySchema, KeyValue, PrimaryKey};
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
/// The value of the item's partition key attribute, kept in its key.
const PARTITION: u8 = 11;
/// The value of the item's sort key attribute, kept in its key.
const SORT: u8 = 12;
/// Tags from this one up are strings of `tag - SHORT_S` bytes (a tag byte
/// and no length for most strings).
const SHORT_S: u8 = 32;

/// Where an item is stored: its table's key schema and its key, whose
/// attributes' values the encoding leaves out.
pub(crate) type Keyed<'a> = Option<(&'a KeySchema, &'a PrimaryKey)>;

/// The compact form of `item`, stored under `keyed` (`None`: its key
/// attributes are encoded as any attribute).
pub(crate) fn encode(item: &Item, keyed: Keyed<'_>) -> Box<[u8]> {
    let mut buf = Vec::with_capacity(64);
    len(&mut buf, item.len());
    for (name, v) in item {
        bytes(&mut buf, name.as_bytes());
        match keyed.and_then(|(schema, key)| key_tag(schema, key, name, v)) {
            Some(tag) => buf.push(tag),
            None => value(&mut buf, v),
        }
    }
    // A copy of exactly its length: shrinking the buffer in place would
    // leave the allocator a hole of the rest after every item.
    Box::from(buf.as_slice())
}

/// The tag standing for `v` when it is the value of the key attribute `name`.
fn key_tag(schema: &KeySchema, key: &PrimaryKey, name: &str, v: &AttributeValue) -> Option<u8> {
    let same = |kv: &KeyValue| match (kv, v) {
        (KeyValue::S(a), AttributeValue::S(b)) => a == b,
        (KeyValue::N(a), AttributeValue::N(b)) => a == b,
        (KeyValue::B(a), AttributeValue::B(b)) => a == b,
        _ => false,
    };
    if schema.partition.name == name && same(&key.partition) {
        return Some(PARTITION);
    }
    let sort = schema.sort.as_ref().zip(key.sort.as_ref());
    sort.filter(|(attr, kv)| attr.name == name && same(kv))
        .map(|_| SORT)
}

/// The item of [`encode`]'s bytes, stored under `key`; `None` only for
/// bytes it did not make.
pub(crate) fn decode(bytes: &[u8], key: Option<&PrimaryKey>) -> Option<Item> {
    let mut reader = Reader { bytes };
    let n = reader.count()?;
    let mut item = Item::with_capacity(n);
    for _ in 0..n {
        let name = reader.string()?;
        let v = match reader.bytes.first() {
            Some(&PARTITION) => key.map(|k| k.partition.to_attribute()),
            Some(&SORT) => key
                .and_then(|k| k.sort.as_ref())
                .map(KeyValue::to_attribute),
            _ => None,
        };
        let v = match v {
            Some(v) => {
                reader.u8()?;
                v
            }
            None => reader.value(1)?,
        };
        item.insert(name, v);
    }
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
    varint(buf, coefficient);
    // Zigzag, then the sign as the lowest bit: small exponents of either
    // sign take one byte with the sign.
    let zigzag = ((exponent << 1) ^ (exponent >> 31)) as u32;
    varint(buf, (u128::from(zigzag) << 1) | u128::from(negative));
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
        AttributeValue::S(s) => match u8::try_from(s.len()) {
            Ok(n) if n <= u8::MAX - SHORT_S => {
                buf.push(SHORT_S + n);
                buf.extend_from_slice(s.as_bytes());
            }
            _ => {
                buf.push(S);
                bytes(buf, s.as_bytes());
            }
        },
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

    /// A string of `n` bytes, its length already read.
    fn short_string(&mut self, n: u8) -> Option<String> {
        let (taken, rest) = self.bytes.split_at_checked(usize::from(n))?;
        self.bytes = rest;
        std::str::from_utf8(taken).ok().map(str::to_owned)
    }

    fn number(&mut self) -> Option<Number> {
        let coefficient = self.varint()?;
        let signed = self.varint()?;
        let negative = signed & 1 == 1;
        let zigzag = u32::try_from(signed >> 1).ok()?;
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
            tag if tag >= SHORT_S => AttributeValue::S(self.short_string(tag - SHORT_S)?),
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
            let bytes = encode(&item, None);
            let back = decode(&bytes, None).unwrap();
            prop_assert_eq!(item_size(&back), item_size(&item));
            prop_assert!(back.iter().eq(item.iter()), "{:?} != {:?}", back, item);
        }

        /// A cut-off or damaged encoding decodes to `None` or some item,
        /// never a panic.
        #[test]
        fn damaged_bytes_never_panic(item in item(), cut in any::<prop::sample::Index>(), flip in any::<u8>()) {
            let bytes = encode(&item, None).into_vec();
            let at = cut.index(bytes.len());
            prop_assert!(decode(&bytes[..at], None).is_none());
            let mut damaged = bytes;
            damaged[at] ^= flip;
            let _ = decode(&damaged, None);
        }
    }

    fn schema(sort: bool) -> KeySchema {
        use crate::store::key::KeyAttribute;
        KeySchema {
            partition: KeyAttribute {
                name: "pk".into(),
                scalar_type: crate::value::ScalarType::S,
            },
            sort: sort.then(|| KeyAttribute {
                name: "sk".into(),
                scalar_type: crate::value::ScalarType::N,
            }),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Stored under its key, an item leaves its key values out and
        /// decodes to itself with the key, and not without it.
        #[test]
        fn keyed_items_round_trip(
            mut item in item(),
            pk in "\\PC{1,40}",
            sk in proptest::option::of(number()),
            at in any::<prop::sample::Index>(),
        ) {
            item.insert("pk".into(), AttributeValue::S(pk));
            if let Some(sk) = sk {
                item.insert("sk".into(), AttributeValue::N(sk));
            }
            // The key attributes anywhere in the item's order.
            let moved = at.index(item.len());
            item.move_index(item.len() - 1, moved);
            let schema = schema(sk.is_some());
            let key = schema.key_of_item(&item).unwrap();
            let bytes = encode(&item, Some((&schema, &key)));
            prop_assert!(bytes.len() < encode(&item, None).len());
            let back = decode(&bytes, Some(&key)).unwrap();
            prop_assert!(back.iter().eq(item.iter()));
            prop_assert_eq!(item_size(&back), item_size(&item));
            prop_assert!(decode(&bytes, None).is_none());
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
            let back = decode(&encode(&item, None), None).unwrap();
            assert_eq!(back.get("n").and_then(AttributeValue::as_n), Some(&n));
            assert_eq!(back["n"].as_n().unwrap().to_string(), n.to_string());
        }
    }

    #[test]
    fn keys_are_small() {
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
        // 1 count, 3+14 pk, 2+1+2+1 n, 2+10 s.
        assert_eq!(encode(&item, None).len(), 36);
        // Stored under its key: `pk`'s value is one tag byte.
        let schema = schema(false);
        let key = schema.key_of_item(&item).unwrap();
        // At most 24 bytes: glibc's second smallest chunk (32 bytes with its
        // header), here and for the `n` of every item of the item_memory example.
        assert_eq!(encode(&item, Some((&schema, &key))).len(), 23);
        item.insert("n".into(), AttributeValue::n(999_999));
        assert_eq!(encode(&item, Some((&schema, &key))).len(), 24);
    }
}
