//! Primary keys as a table's item map stores them: one byte string whose
//! byte order is the keys' order ([`PrimaryKey`]'s `Ord`), kept in the
//! item's slot, up to [`INLINE`] bytes without an allocation of its own.
//!
//! A map of typed keys costs a `PrimaryKey` (64 bytes) per entry in the
//! B-tree's nodes plus the allocation of its string; the byte form lets the
//! map hold only a pointer to the slot and compare keys with `memcmp`
//! (issue 16: memory per item).
//!
//! # Encoding
//!
//! The partition value, self-delimiting, then the sort value (if the table
//! has one) as it is:
//! * strings and binaries: their bytes. As a partition, each `0x00` is
//!   written `0x00 0xFF` and the value ends with `0x00 0x01`, so a value
//!   sorts before every longer value it begins.
//! * numbers: a class byte (`0x01` negative, `0x02` zero, `0x03`
//!   positive); then, unless zero, the scientific exponent (plus 130, one
//!   byte), and the coefficient's digits two to a byte (`12 + 11·a + c`
//!   for the digits `a` and `b`, with `c = b + 1`; a lone last digit has
//!   `c = 0`, so it sorts before every pair it begins), a terminator
//!   `0x01` after them; a negative number's exponent byte is mirrored as
//!   `255 − byte`, its digit bytes as `250 − byte`, and its terminator is
//!   `0xFE`, so a larger magnitude sorts first. Zero is `0x02 0x01`.
//!
//! Every partition encoding ends with a terminator byte `t` that no
//! encoding continues with `t + 1`: replacing it by `t + 1` gives a bound
//! after every key of the partition and before the next partition
//! ([`SortPos::End`]).

use std::ops::Bound;

use crate::number::Number;
use crate::store::key::{KeySchema, KeyValue, PrimaryKey, ScalarType};
use crate::store::range::{BoundKey, SortPos};

/// The longest key stored in the slot itself (a longer one is allocated).
pub(crate) const INLINE: usize = 22;

const NEGATIVE: u8 = 0x01;
const ZERO: u8 = 0x02;
const POSITIVE: u8 = 0x03;
/// Ends a positive number's (or zero's) digits.
const END_POSITIVE: u8 = 0x01;
/// Ends a negative number's digits.
const END_NEGATIVE: u8 = 0xFE;
/// Mirrors a negative number's digit bytes: `MIRROR - b` (its exponent
/// byte is mirrored as `255 - b`).
const MIRROR: u8 = 250;
/// Added to the scientific exponent (−130 to 125) to make a byte.
const EXPONENT_BIAS: i64 = 130;

/// A key in its byte form.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum StoredKey {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<[u8]>),
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoredKey({:02x?})", self.as_bytes())
    }
}

impl StoredKey {
    /// The byte form of `key`.
    pub(crate) fn new(key: &PrimaryKey) -> StoredKey {
        let mut w = Writer::default();
        encode(&mut w, key);
        w.finish()
    }

    /// A key of its byte form, as [`StoredKey::as_bytes`] gave it.
    pub(crate) fn from_bytes(bytes: &[u8]) -> StoredKey {
        let mut w = Writer::default();
        w.extend(bytes);
        w.finish()
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            StoredKey::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(bytes),
            StoredKey::Heap(b) => b,
        }
    }

    /// The key, typed by `schema` (`None`: bytes no key of the schema
    /// encodes to; never for a key of the table).
    pub(crate) fn decode(&self, schema: &KeySchema) -> Option<PrimaryKey> {
        decode(self.as_bytes(), schema)
    }
}

/// Collects an encoding in place up to [`INLINE`] bytes.
#[derive(Default)]
struct Writer {
    len: usize,
    inline: [u8; INLINE],
    heap: Option<Vec<u8>>,
}

impl Writer {
    fn push(&mut self, b: u8) {
        if let Some(heap) = &mut self.heap {
            heap.push(b);
        } else if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        } else {
            let mut heap = Vec::with_capacity(INLINE * 2);
            heap.extend_from_slice(&self.inline);
            heap.push(b);
            self.heap = Some(heap);
        }
    }

    fn extend(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.push(*b);
        }
    }

    fn finish(self) -> StoredKey {
        match self.heap {
            Some(heap) => StoredKey::Heap(heap.into_boxed_slice()),
            // At most INLINE (22), so the length fits a byte.
            None => StoredKey::Inline {
                len: self.len as u8,
                bytes: self.inline,
            },
        }
    }

    fn into_vec(self) -> Vec<u8> {
        match self.heap {
            Some(heap) => heap,
            None => self.inline.get(..self.len).unwrap_or_default().to_vec(),
        }
    }
}

fn encode(w: &mut Writer, key: &PrimaryKey) {
    partition(w, &key.partition);
    if let Some(sort) = &key.sort {
        last(w, sort);
    }
}

/// A value as a partition: self-delimiting.
fn partition(w: &mut Writer, value: &KeyValue) {
    match value {
        KeyValue::S(s) => escaped(w, s.as_bytes()),
        KeyValue::B(b) => escaped(w, b),
        KeyValue::N(n) => number(w, n),
    }
}

/// A value as the sort key: the encoding's end delimits it.
fn last(w: &mut Writer, value: &KeyValue) {
    match value {
        KeyValue::S(s) => w.extend(s.as_bytes()),
        KeyValue::B(b) => w.extend(b),
        KeyValue::N(n) => number(w, n),
    }
}

fn escaped(w: &mut Writer, bytes: &[u8]) {
    for &b in bytes {
        w.push(b);
        if b == 0 {
            w.push(0xFF);
        }
    }
    w.push(0x00);
    w.push(0x01);
}

fn number(w: &mut Writer, n: &Number) {
    if n.is_zero() {
        w.push(ZERO);
        w.push(END_POSITIVE);
        return;
    }
    let negative = n.is_negative();
    let (_, mut coefficient, _) = n.parts();
    w.push(if negative { NEGATIVE } else { POSITIVE });
    // The range check of every number keeps this within 0..=255.
    let exponent = (n.scientific_exponent() + EXPONENT_BIAS).clamp(0, 255) as u8;
    w.push(if negative { 255 - exponent } else { exponent });
    // The coefficient's digits (at most 38), most significant first.
    let mut digits = [0u8; 39];
    let mut start = digits.len();
    while coefficient > 0 {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = (coefficient % 10) as u8;
        }
        coefficient /= 10;
    }
    let mut d = digits.get(start..).unwrap_or_default().iter();
    while let Some(&a) = d.next() {
        let b = d.next().map_or(0, |b| b + 1);
        let byte = 12 + 11 * a + b;
        w.push(if negative { MIRROR - byte } else { byte });
    }
    w.push(if negative { END_NEGATIVE } else { END_POSITIVE });
}

/// The byte form of a range bound ([`BoundKey`]) of a table's map.
pub(crate) fn bound(key: &Bound<BoundKey>) -> Bound<Vec<u8>> {
    match key {
        Bound::Included(k) => Bound::Included(bound_bytes(k)),
        Bound::Excluded(k) => Bound::Excluded(bound_bytes(k)),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// The bytes of a position: a partition's start, a key, or the end of a
/// partition (after all its keys, before the next partition's).
pub(crate) fn bound_bytes(k: &BoundKey) -> Vec<u8> {
    let mut w = Writer::default();
    partition(&mut w, &k.partition);
    match &k.sort {
        SortPos::Start => w.into_vec(),
        SortPos::Value(v) => {
            last(&mut w, v);
            w.into_vec()
        }
        SortPos::End => {
            let mut bytes = w.into_vec();
            // The terminator `t` becomes `t + 1` (module docs).
            if let Some(t) = bytes.last_mut() {
                *t = t.saturating_add(1);
            }
            bytes
        }
    }
}

/// The key of `bytes`, typed by `schema`; `None` unless the bytes are
/// exactly one key's encoding.
pub(crate) fn decode(bytes: &[u8], schema: &KeySchema) -> Option<PrimaryKey> {
    let mut r = Reader { bytes, pos: 0 };
    let partition = match schema.partition.scalar_type {
        ScalarType::S => KeyValue::S(String::from_utf8(r.unescaped()?).ok()?),
        ScalarType::B => KeyValue::B(r.unescaped()?),
        ScalarType::N => KeyValue::N(r.number()?),
    };
    let sort = match &schema.sort {
        None => None,
        Some(attribute) => Some(match attribute.scalar_type {
            ScalarType::S => KeyValue::S(String::from_utf8(r.rest().to_vec()).ok()?),
            ScalarType::B => KeyValue::B(r.rest().to_vec()),
            ScalarType::N => KeyValue::N(r.number()?),
        }),
    };
    r.rest()
        .is_empty()
        .then_some(PrimaryKey { partition, sort })
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn next(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn rest(&mut self) -> &[u8] {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos = self.bytes.len();
        rest
    }

    fn unescaped(&mut self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            match self.next()? {
                0x00 => match self.next()? {
                    0xFF => out.push(0x00),
                    0x01 => return Some(out),
                    _ => return None,
                },
                b => out.push(b),
            }
        }
    }

    /// A number, in its one encoding: `None` for anything else (a leading
    /// zero digit, a lone digit before the last, no digits).
    fn number(&mut self) -> Option<Number> {
        let negative = match self.next()? {
            ZERO => return (self.next()? == END_POSITIVE).then_some(Number::ZERO),
            NEGATIVE => true,
            POSITIVE => false,
            _ => return None,
        };
        let exponent = self.next()?;
        let exponent = i64::from(if negative { 255 - exponent } else { exponent }) - EXPONENT_BIAS;
        let end = if negative { END_NEGATIVE } else { END_POSITIVE };
        let mut coefficient: u128 = 0;
        let mut digits: i64 = 0;
        let mut lone = false;
        loop {
            let byte = self.next()?;
            if byte == end {
                break;
            }
            let byte = if negative {
                MIRROR.checked_sub(byte)?
            } else {
                byte
            };
            let v = byte.checked_sub(12)?;
            let (a, b) = (v / 11, v % 11);
            if lone || a > 9 || (digits == 0 && a == 0) || digits >= 38 {
                return None;
            }
            coefficient = coefficient * 10 + u128::from(a);
            digits += 1;
            if b > 0 {
                coefficient = coefficient * 10 + u128::from(b - 1);
                digits += 1;
            } else {
                lone = true;
            }
        }
        if digits == 0 {
            return None;
        }
        let exponent = i32::try_from(exponent - digits + 1).ok()?;
        // No leading zero: the coefficient has `digits` digits, so the
        // number's scientific exponent is the one read.
        Number::from_stored_parts(negative, coefficient, exponent)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::store::key::KeyAttribute;

    fn number() -> impl Strategy<Value = Number> {
        prop_oneof![
            (-1000i64..1000).prop_map(Number::from),
            (any::<bool>(), "[0-9]{1,38}", -160i32..130).prop_filter_map(
                "in range",
                |(negative, digits, exponent)| {
                    let sign = if negative { "-" } else { "" };
                    Number::parse(&format!("{sign}{digits}E{exponent}")).ok()
                }
            ),
        ]
    }

    fn value(t: ScalarType) -> BoxedStrategy<KeyValue> {
        match t {
            // Few distinct bytes, so prefixes and zero bytes are common.
            ScalarType::S => "[a\\x00b\u{e9}]{1,6}".prop_map(KeyValue::S).boxed(),
            ScalarType::B => proptest::collection::vec(
                prop_oneof![Just(0u8), Just(1), Just(0xFF), Just(0xFE), any::<u8>()],
                1..6,
            )
            .prop_map(KeyValue::B)
            .boxed(),
            _ => number().prop_map(KeyValue::N).boxed(),
        }
    }

    fn schema() -> impl Strategy<Value = KeySchema> {
        let t = || {
            prop_oneof![
                Just(ScalarType::S),
                Just(ScalarType::N),
                Just(ScalarType::B)
            ]
        };
        (t(), proptest::option::of(t())).prop_map(|(p, s)| KeySchema {
            partition: KeyAttribute {
                name: "pk".into(),
                scalar_type: p,
            },
            sort: s.map(|scalar_type| KeyAttribute {
                name: "sk".into(),
                scalar_type,
            }),
        })
    }

    fn keys(n: usize) -> impl Strategy<Value = (KeySchema, Vec<PrimaryKey>)> {
        schema().prop_flat_map(move |schema| {
            let p = value(schema.partition.scalar_type);
            let key = match schema.sort.as_ref().map(|a| value(a.scalar_type)) {
                Some(s) => (p, s)
                    .prop_map(|(partition, sort)| PrimaryKey {
                        partition,
                        sort: Some(sort),
                    })
                    .boxed(),
                None => p
                    .prop_map(|partition| PrimaryKey {
                        partition,
                        sort: None,
                    })
                    .boxed(),
            };
            (Just(schema), proptest::collection::vec(key, n))
        })
    }

    fn sort_of(key: &PrimaryKey) -> SortPos {
        key.sort.clone().map_or(SortPos::Start, SortPos::Value)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The byte order is the keys' order, and every key decodes back.
        #[test]
        fn bytes_order_as_keys_and_round_trip((schema, keys) in keys(2)) {
            let (a, b) = (&keys[0], &keys[1]);
            let (ea, eb) = (StoredKey::new(a), StoredKey::new(b));
            prop_assert_eq!(ea.as_bytes().cmp(eb.as_bytes()), a.cmp(b));
            prop_assert_eq!(ea.decode(&schema), Some(a.clone()));
            prop_assert_eq!(eb.decode(&schema), Some(b.clone()));
            // The same with a sharing b's partition.
            let c = PrimaryKey { partition: b.partition.clone(), sort: a.sort.clone() };
            prop_assert_eq!(StoredKey::new(&c).as_bytes().cmp(eb.as_bytes()), c.cmp(b));
            // Bounds: a partition's start, a sort value and the partition's
            // end sit where their positions say.
            for pos in [SortPos::Start, sort_of(b), SortPos::End] {
                let at = BoundKey { partition: b.partition.clone(), sort: pos };
                let bytes = bound_bytes(&at);
                let by_position = {
                    use crate::store::range::MapPosition;
                    let a: &dyn MapPosition = a;
                    let at: &dyn MapPosition = &at;
                    a.cmp(at)
                };
                prop_assert_eq!(ea.as_bytes().cmp(&bytes[..]), by_position);
            }
        }

        /// Arbitrary bytes decode to a key or `None`, never a panic; a key
        /// they decode to encodes back to them.
        #[test]
        fn any_bytes_decode_safely(schema in schema(), bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Some(key) = decode(&bytes, &schema) {
                let again = StoredKey::new(&key);
                prop_assert_eq!(again.as_bytes(), &bytes[..]);
            }
        }
    }

    #[test]
    fn short_keys_are_inline_and_long_ones_allocated() {
        let key = |s: &str| PrimaryKey {
            partition: KeyValue::S(s.into()),
            sort: None,
        };
        assert!(matches!(
            StoredKey::new(&key("user#00000000")),
            StoredKey::Inline { len: 15, .. }
        ));
        let long = "x".repeat(100);
        let stored = StoredKey::new(&key(&long));
        assert!(matches!(stored, StoredKey::Heap(_)));
        assert_eq!(stored.as_bytes().len(), 102);
        assert_eq!(size_of::<StoredKey>(), 24);
    }

    #[test]
    fn numbers_at_the_range_ends_round_trip() {
        let schema = KeySchema {
            partition: KeyAttribute {
                name: "pk".into(),
                scalar_type: ScalarType::N,
            },
            sort: None,
        };
        for text in [
            "1E-130",
            "-1E-130",
            "9.9999999999999999999999999999999999999E+125",
            "-9.9999999999999999999999999999999999999E+125",
            "0",
            "12345678901234567890123456789012345678",
        ] {
            let key = PrimaryKey {
                partition: KeyValue::N(Number::parse(text).unwrap()),
                sort: None,
            };
            assert_eq!(StoredKey::new(&key).decode(&schema), Some(key), "{text}");
        }
    }
}
