//! A compact binary encoding of items and keys for the log and snapshots:
//! a tag byte per value, lengths as little-endian `u32`, numbers as their
//! canonical text. Decoding checks every length against the bytes left and
//! bounds nesting, so a damaged record is an error, never a panic or an
//! unbounded allocation.

use std::collections::BTreeSet;

use crate::number::Number;
use crate::store::key::{KeyValue, PrimaryKey};
use crate::value::{AttributeValue, Item, MAX_NESTING_DEPTH};

/// A record that does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed;

pub(crate) type Decoded<T> = Result<T, Malformed>;

/// Appends to a byte buffer.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    fn len(&mut self, n: usize) {
        // Items are at most 400 KB and records at most a frame: lengths fit.
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.buf.extend_from_slice(b);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn number(&mut self, n: &Number) {
        self.str(&n.to_string());
    }

    pub(crate) fn value(&mut self, v: &AttributeValue) {
        match v {
            AttributeValue::S(s) => {
                self.u8(b'S');
                self.str(s);
            }
            AttributeValue::N(n) => {
                self.u8(b'N');
                self.number(n);
            }
            AttributeValue::B(b) => {
                self.u8(b'B');
                self.bytes(b);
            }
            AttributeValue::Ss(set) => {
                self.u8(b's');
                self.len(set.len());
                set.iter().for_each(|s| self.str(s));
            }
            AttributeValue::Ns(set) => {
                self.u8(b'n');
                self.len(set.len());
                set.iter().for_each(|n| self.number(n));
            }
            AttributeValue::Bs(set) => {
                self.u8(b'b');
                self.len(set.len());
                set.iter().for_each(|b| self.bytes(b));
            }
            AttributeValue::Bool(b) => self.u8(if *b { b'T' } else { b'F' }),
            AttributeValue::Null => self.u8(b'0'),
            AttributeValue::L(list) => {
                self.u8(b'L');
                self.len(list.len());
                list.iter().for_each(|v| self.value(v));
            }
            AttributeValue::M(map) => {
                self.u8(b'M');
                self.map(map);
            }
        }
    }

    pub(crate) fn map(&mut self, map: &Item) {
        self.len(map.len());
        for (name, value) in map {
            self.str(name);
            self.value(value);
        }
    }

    fn key_value(&mut self, v: &KeyValue) {
        match v {
            KeyValue::S(s) => {
                self.u8(b'S');
                self.str(s);
            }
            KeyValue::N(n) => {
                self.u8(b'N');
                self.number(n);
            }
            KeyValue::B(b) => {
                self.u8(b'B');
                self.bytes(b);
            }
        }
    }

    pub(crate) fn key(&mut self, key: &PrimaryKey) {
        self.key_value(&key.partition);
        match &key.sort {
            None => self.u8(0),
            Some(sort) => {
                self.u8(1);
                self.key_value(sort);
            }
        }
    }

    pub(crate) fn option_item(&mut self, item: Option<&Item>) {
        match item {
            None => self.u8(0),
            Some(item) => {
                self.u8(1);
                self.map(item);
            }
        }
    }
}

/// Reads from a byte slice.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        let (head, rest) = self.rest.split_at_checked(n).ok_or(Malformed)?;
        self.rest = rest;
        Ok(head)
    }

    pub(crate) fn u8(&mut self) -> Decoded<u8> {
        let (&b, rest) = self.rest.split_first().ok_or(Malformed)?;
        self.rest = rest;
        Ok(b)
    }

    pub(crate) fn u32(&mut self) -> Decoded<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes(b.try_into().map_err(|_| Malformed)?))
    }

    pub(crate) fn u64(&mut self) -> Decoded<u64> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().map_err(|_| Malformed)?))
    }

    /// A count of elements, each at least one byte: never more than the
    /// bytes left, so no allocation outgrows the record.
    pub(crate) fn count(&mut self) -> Decoded<usize> {
        let n = usize::try_from(self.u32()?).map_err(|_| Malformed)?;
        if n > self.rest.len() {
            return Err(Malformed);
        }
        Ok(n)
    }

    pub(crate) fn bytes(&mut self) -> Decoded<&'a [u8]> {
        let n = usize::try_from(self.u32()?).map_err(|_| Malformed)?;
        self.take(n)
    }

    pub(crate) fn str(&mut self) -> Decoded<&'a str> {
        std::str::from_utf8(self.bytes()?).map_err(|_| Malformed)
    }

    fn number(&mut self) -> Decoded<Number> {
        Number::parse(self.str()?).map_err(|_| Malformed)
    }

    fn value(&mut self, depth: usize) -> Decoded<AttributeValue> {
        if depth > MAX_NESTING_DEPTH + 1 {
            return Err(Malformed);
        }
        Ok(match self.u8()? {
            b'S' => AttributeValue::S(self.str()?.to_owned()),
            b'N' => AttributeValue::N(self.number()?),
            b'B' => AttributeValue::B(self.bytes()?.to_vec()),
            b's' => {
                let n = self.count()?;
                let mut set = BTreeSet::new();
                for _ in 0..n {
                    set.insert(self.str()?.to_owned());
                }
                AttributeValue::Ss(set)
            }
            b'n' => {
                let n = self.count()?;
                let mut set = BTreeSet::new();
                for _ in 0..n {
                    set.insert(self.number()?);
                }
                AttributeValue::Ns(set)
            }
            b'b' => {
                let n = self.count()?;
                let mut set = BTreeSet::new();
                for _ in 0..n {
                    set.insert(self.bytes()?.to_vec());
                }
                AttributeValue::Bs(set)
            }
            b'T' => AttributeValue::Bool(true),
            b'F' => AttributeValue::Bool(false),
            b'0' => AttributeValue::Null,
            b'L' => {
                let n = self.count()?;
                let mut list = Vec::with_capacity(n);
                for _ in 0..n {
                    list.push(self.value(depth + 1)?);
                }
                AttributeValue::L(list)
            }
            b'M' => AttributeValue::M(self.map_at(depth + 1)?),
            _ => return Err(Malformed),
        })
    }

    fn map_at(&mut self, depth: usize) -> Decoded<Item> {
        let n = self.count()?;
        let mut map = Item::with_capacity(n);
        for _ in 0..n {
            let name = self.str()?.to_owned();
            let value = self.value(depth)?;
            map.insert(name, value);
        }
        Ok(map)
    }

    pub(crate) fn item(&mut self) -> Decoded<Item> {
        self.map_at(1)
    }

    fn key_value(&mut self) -> Decoded<KeyValue> {
        Ok(match self.u8()? {
            b'S' => KeyValue::S(self.str()?.to_owned()),
            b'N' => KeyValue::N(self.number()?),
            b'B' => KeyValue::B(self.bytes()?.to_vec()),
            _ => return Err(Malformed),
        })
    }

    pub(crate) fn key(&mut self) -> Decoded<PrimaryKey> {
        let partition = self.key_value()?;
        let sort = match self.u8()? {
            0 => None,
            1 => Some(self.key_value()?),
            _ => return Err(Malformed),
        };
        Ok(PrimaryKey { partition, sort })
    }

    pub(crate) fn option_item(&mut self) -> Decoded<Option<Item>> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.item()?)),
            _ => Err(Malformed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_and_keys_round_trip() {
        let item = crate::wire::item_from_json(
            br#"{"p": {"S": "k"}, "n": {"N": "-1.50E+3"}, "b": {"B": "AAE="},
                "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["AQ=="]},
                "t": {"BOOL": true}, "f": {"BOOL": false}, "z": {"NULL": true},
                "l": {"L": [{"S": "x"}, {"M": {"q": {"N": "0"}}}]}, "m": {"M": {}}}"#,
        )
        .unwrap();
        let key = PrimaryKey {
            partition: KeyValue::N(Number::parse("12").unwrap()),
            sort: Some(KeyValue::B(vec![0, 255])),
        };
        let mut w = Writer::default();
        w.key(&key);
        w.option_item(Some(&item));
        w.option_item(None);
        let mut r = Reader::new(&w.buf);
        assert_eq!(r.key().unwrap(), key);
        assert_eq!(r.option_item().unwrap(), Some(item));
        assert_eq!(r.option_item().unwrap(), None);
        assert!(r.is_empty());
        // Every truncation is an error, never a panic.
        for cut in 0..w.buf.len() {
            let mut r = Reader::new(&w.buf[..cut]);
            let whole = r
                .key()
                .and_then(|_| r.option_item())
                .and_then(|_| r.option_item());
            assert!(whole.is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn a_huge_count_is_refused_before_allocating() {
        let mut r = Reader::new(&[b'L', 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(r.value(1), Err(Malformed));
    }
}
