//! Values and items from a stream of choices.

use std::collections::BTreeSet;

use super::{Shape, Source};
use crate::number::Number;
use crate::value::{AttributeValue, Item, Map, ScalarType};

/// How deep lists and maps nest below an attribute.
pub(crate) const MAX_DEPTH: u32 = 3;
/// The most entries of a list, map or set.
const MAX_ENTRIES: usize = 4;
/// The most characters of a string, bytes of a binary.
const MAX_LEN: usize = 16;

/// Characters strings are made of: collisions are common, byte order and
/// UTF-8 lengths vary, and the expression language's own punctuation
/// appears.
const CHARS: [char; 16] = [
    'a', 'b', 'z', 'A', '0', ' ', '.', '#', ':', '_', 'é', 'ß', '€', '😀', '\u{0}', '\u{FFFD}',
];

/// Numbers worth meeting often.
const NUMBERS: [&str; 12] = [
    "0",
    "1",
    "-1",
    "2",
    "10",
    "1.5",
    "-0.25",
    "100",
    "1E+3",
    "99999999999999999999999999999999999999",
    "9.9999999999999999999999999999999999999E+125",
    "-1E-130",
];

/// Any valid DynamoDB number: a pooled one, or up to 38 random digits with
/// a sign and an exponent that keeps it within range, spelled in one of
/// several ways.
pub(crate) fn number(src: &mut impl Source) -> Number {
    if src.byte() % 2 == 0 {
        let text = src.pick(&NUMBERS).copied().unwrap_or("0");
        return text.parse().unwrap_or(Number::ZERO);
    }
    let count = 1 + src.below(38);
    let mut digits = String::with_capacity(count);
    for _ in 0..count {
        digits.push(char::from(b'0' + (src.byte() % 10)));
    }
    // The value is `digits × 10^exp`; its scientific exponent is
    // `count - 1 + exp`, which must lie in -130..=125.
    let low = -130 - (count as i64 - 1);
    let high = 125 - (count as i64 - 1);
    let span = usize::try_from(high - low + 1).unwrap_or(1);
    let exp = low + i64::try_from(src.below(span)).unwrap_or(0);
    // Most numbers are modest: bring the exponent near zero half the time.
    let exp = if src.byte() % 2 == 0 { exp % 4 } else { exp };
    let sign = if src.byte() % 3 == 0 { "-" } else { "" };
    let text = match src.byte() % 3 {
        0 => format!("{sign}{digits}E{exp}"),
        1 => format!("{sign}{digits}e{exp:+}"),
        _ if exp >= 0 => format!("{sign}{digits}{}", "0".repeat(exp.unsigned_abs() as usize)),
        _ => format!("{sign}{digits}E{exp}"),
    };
    text.parse().unwrap_or(Number::ZERO)
}

/// A string of up to 16 characters (`min` to begin with).
fn string(src: &mut impl Source, min: usize) -> String {
    let len = min + src.below(MAX_LEN + 1 - min);
    (0..len)
        .map(|_| src.pick(&CHARS).copied().unwrap_or('a'))
        .collect()
}

/// A binary of up to 16 bytes (`min` to begin with), mostly from a few
/// values so that equal binaries are common.
fn binary(src: &mut impl Source, min: usize) -> Vec<u8> {
    let len = min + src.below(MAX_LEN + 1 - min);
    (0..len)
        .map(|_| match src.byte() {
            b if b < 200 => match b % 5 {
                0 => 0x00,
                1 => 0x01,
                2 => 0x7f,
                3 => 0x80,
                _ => 0xff,
            },
            b => b,
        })
        .collect()
}

/// A non-empty set of one to four members.
fn set<S: Source, T: Ord>(src: &mut S, member: fn(&mut S) -> T) -> BTreeSet<T> {
    let count = 1 + src.below(MAX_ENTRIES);
    let mut out = BTreeSet::new();
    for _ in 0..count {
        out.insert(member(src));
    }
    out
}

/// A non-empty set of one of the three set types.
pub(crate) fn any_set(src: &mut impl Source) -> AttributeValue {
    match src.byte() % 3 {
        0 => AttributeValue::Ns(set(src, number)),
        1 => AttributeValue::Ss(set(src, |s| string(s, 0))),
        _ => AttributeValue::Bs(set(src, |s| binary(s, 0))),
    }
}

/// A set of the same type as `like` (a set), its members partly taken from
/// `like` so that `DELETE` removes some and `ADD` repeats some; any set when
/// `like` is not one.
pub(crate) fn set_like(src: &mut impl Source, like: &AttributeValue) -> AttributeValue {
    match like {
        AttributeValue::Ss(current) => AttributeValue::Ss(mixed(src, current, |s| string(s, 0))),
        AttributeValue::Ns(current) => AttributeValue::Ns(mixed(src, current, number)),
        AttributeValue::Bs(current) => AttributeValue::Bs(mixed(src, current, |s| binary(s, 0))),
        _ => any_set(src),
    }
}

fn mixed<S: Source, T: Ord + Clone>(
    src: &mut S,
    current: &BTreeSet<T>,
    member: fn(&mut S) -> T,
) -> BTreeSet<T> {
    let pool: Vec<&T> = current.iter().collect();
    let count = 1 + src.below(MAX_ENTRIES);
    let mut out = BTreeSet::new();
    for _ in 0..count {
        let taken = match src.pick(&pool) {
            Some(m) if src.byte() % 2 == 0 => (*m).clone(),
            _ => member(src),
        };
        out.insert(taken);
    }
    out
}

/// A value of one of the three key types; strings and binaries not empty.
pub(crate) fn scalar(src: &mut impl Source, scalar_type: ScalarType, min: usize) -> AttributeValue {
    match scalar_type {
        ScalarType::S => AttributeValue::S(string(src, min)),
        ScalarType::N => AttributeValue::N(number(src)),
        ScalarType::B => AttributeValue::B(binary(src, min)),
    }
}

/// An `S`, `N` or `B` value (strings and binaries may be empty).
pub(crate) fn ordered(src: &mut impl Source) -> AttributeValue {
    let scalar_type = match src.byte() % 4 {
        0 | 1 => ScalarType::N,
        2 => ScalarType::S,
        _ => ScalarType::B,
    };
    scalar(src, scalar_type, 0)
}

/// A value of any of the ten types; lists and maps nest up to `depth`
/// more levels, map keys come from `keys` (or are random when it is empty).
pub(crate) fn value_in(src: &mut impl Source, depth: u32, keys: &[&str]) -> AttributeValue {
    // Numbers twice as often as each other type: counters and versions are
    // what updates do arithmetic on.
    let kinds = if depth == 0 { 9 } else { 11 };
    match src.byte() % kinds {
        0 | 10 => AttributeValue::N(number(src)),
        1 => AttributeValue::S(string(src, 0)),
        2 => AttributeValue::B(binary(src, 0)),
        3 => AttributeValue::Bool(src.byte() % 2 == 1),
        4 => AttributeValue::Null,
        5 => AttributeValue::Ss(set(src, |s| string(s, 0))),
        6 => AttributeValue::Ns(set(src, number)),
        7 => AttributeValue::Bs(set(src, |s| binary(s, 0))),
        8 if depth > 0 => {
            let count = src.below(MAX_ENTRIES + 1);
            AttributeValue::L(
                (0..count)
                    .map(|_| value_in(src, depth.saturating_sub(1), keys))
                    .collect(),
            )
        }
        8 => AttributeValue::N(number(src)),
        _ => {
            let count = src.below(MAX_ENTRIES + 1);
            let mut map = Map::new();
            for _ in 0..count {
                let key = match src.pick(keys) {
                    Some(k) if src.byte() % 4 != 0 => (*k).to_owned(),
                    _ => string(src, 0),
                };
                let value = value_in(src, depth.saturating_sub(1), keys);
                map.insert(key, value);
            }
            AttributeValue::M(map)
        }
    }
}

/// A value of any type, nesting up to three levels, map keys drawn from
/// [`super::DEFAULT_ATTRIBUTES`] or random.
pub(crate) fn attribute_value(src: &mut impl Source) -> AttributeValue {
    value_in(src, MAX_DEPTH, &super::DEFAULT_ATTRIBUTES)
}

/// An item of a shape: its key attributes, then each non-key name with
/// probability 3/4 (the first choices decide presence, so a shrunk stream
/// leaves the key alone).
pub(crate) fn item(src: &mut impl Source, shape: &Shape) -> Item {
    let mut item = Item::new();
    for key in std::iter::once(&shape.key.partition).chain(shape.key.sort.iter()) {
        item.insert(key.name.clone(), scalar(src, key.scalar_type, 1));
    }
    let names = shape.non_key();
    for name in &names {
        if src.byte() % 4 == 0 {
            continue;
        }
        let value = value_in(src, MAX_DEPTH, &names);
        item.insert((*name).to_owned(), value);
    }
    item
}
