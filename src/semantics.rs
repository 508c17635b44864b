//! DynamoDB's comparison and function semantics on values (spec §6.2 to §6.4).
//!
//! These are the rules every expression kind shares, on values that are
//! present or absent (`None`). None of them can fail: a comparison between
//! values of the wrong types is simply false, never an error.

use std::cmp::Ordering;

use crate::number::Number;
use crate::value::AttributeValue;

/// `x = y`: both present, same type, deeply equal (sets unordered, number-set
/// members numerically, lists in order, maps by key). Absent never equals.
pub fn equals(x: Option<&AttributeValue>, y: Option<&AttributeValue>) -> bool {
    matches!((x, y), (Some(a), Some(b)) if a == b)
}

/// The order of two values, if DynamoDB orders them: both present and both `S`
/// (by UTF-8 bytes), both `N` (numerically) or both `B` (unsigned bytes).
pub fn order(x: Option<&AttributeValue>, y: Option<&AttributeValue>) -> Option<Ordering> {
    match (x?, y?) {
        (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (AttributeValue::N(a), AttributeValue::N(b)) => Some(a.cmp(b)),
        (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.as_slice().cmp(b.as_slice())),
        _ => None,
    }
}

/// `lo <= x AND x <= hi` with the same-type rule (all three `S`, `N` or `B`).
pub fn between(
    x: Option<&AttributeValue>,
    lo: Option<&AttributeValue>,
    hi: Option<&AttributeValue>,
) -> bool {
    matches!(order(lo, x), Some(Ordering::Less | Ordering::Equal))
        && matches!(order(x, hi), Some(Ordering::Less | Ordering::Equal))
}

/// `begins_with(x, prefix)`: both `S` (string prefix) or both `B` (byte prefix).
pub fn begins_with(x: Option<&AttributeValue>, prefix: Option<&AttributeValue>) -> bool {
    match (x, prefix) {
        (Some(AttributeValue::S(a)), Some(AttributeValue::S(p))) => a.starts_with(p.as_str()),
        (Some(AttributeValue::B(a)), Some(AttributeValue::B(p))) => a.starts_with(p),
        _ => false,
    }
}

/// `contains(x, y)`: substring for two strings, byte subsequence for two
/// binaries, membership for a set and a scalar of its element type, deep-equal
/// element for a list (any `y`). Maps never match; nor does a set as `y` of a
/// set (no subset test).
pub fn contains(x: Option<&AttributeValue>, y: Option<&AttributeValue>) -> bool {
    let (Some(x), Some(y)) = (x, y) else {
        return false;
    };
    match (x, y) {
        (AttributeValue::S(a), AttributeValue::S(b)) => a.contains(b.as_str()),
        (AttributeValue::B(a), AttributeValue::B(b)) => {
            b.is_empty() || a.windows(b.len()).any(|w| w == b.as_slice())
        }
        (AttributeValue::Ss(set), AttributeValue::S(s)) => set.contains(s),
        (AttributeValue::Ns(set), AttributeValue::N(n)) => set.contains(n),
        (AttributeValue::Bs(set), AttributeValue::B(b)) => set.contains(b),
        (AttributeValue::L(list), y) => list.iter().any(|e| e == y),
        _ => false,
    }
}

/// `size(x)`: UTF-16 code units of a string, bytes of a binary, members of a
/// set, elements of a list, entries of a map; `None` for numbers, booleans,
/// null and absent values (so any comparison with it is false).
pub fn size(x: Option<&AttributeValue>) -> Option<Number> {
    let n = match x? {
        AttributeValue::S(s) => s.chars().map(char::len_utf16).sum(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(s) => s.len(),
        AttributeValue::Ns(s) => s.len(),
        AttributeValue::Bs(s) => s.len(),
        AttributeValue::L(l) => l.len(),
        AttributeValue::M(m) => m.len(),
        AttributeValue::N(_) | AttributeValue::Bool(_) | AttributeValue::Null => return None,
    };
    Some(Number::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::s(v)
    }

    #[test]
    fn absent_and_cross_type() {
        assert!(!equals(None, None));
        assert!(!equals(Some(&AttributeValue::n(1)), Some(&s("1"))));
        assert_eq!(order(Some(&AttributeValue::n(1)), Some(&s("17"))), None);
        assert!(!between(
            Some(&AttributeValue::n(1)),
            Some(&s("0")),
            Some(&s("2"))
        ));
    }

    #[test]
    fn byte_orders() {
        assert_eq!(order(Some(&s("a")), Some(&s("A"))), Some(Ordering::Greater));
        assert_eq!(order(Some(&s("¿")), Some(&s("z"))), Some(Ordering::Greater));
        assert_eq!(
            order(Some(&s("\u{1F600}")), Some(&s("\u{FFFD}"))),
            Some(Ordering::Greater)
        );
        let b = |v: u8| AttributeValue::B(vec![v]);
        assert_eq!(
            order(Some(&b(0x80)), Some(&b(0x7f))),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(size(Some(&s("é𝄞"))), Some(Number::from(3)));
        assert_eq!(size(Some(&AttributeValue::n(5))), None);
        assert_eq!(size(None), None);
    }

    #[test]
    fn contains_rules() {
        let list = AttributeValue::L(vec![
            s("hi"),
            AttributeValue::Ns([Number::from(1), Number::from(2)].into()),
        ]);
        let set = AttributeValue::Ns([Number::from(2), Number::from(1)].into());
        assert!(contains(Some(&list), Some(&set)));
        assert!(!contains(Some(&set), Some(&set)));
        assert!(contains(
            Some(&set),
            Some(&AttributeValue::N("1.0".parse().unwrap()))
        ));
        assert!(contains(
            Some(&AttributeValue::B(b"hi there".to_vec())),
            Some(&AttributeValue::B(b"here".to_vec()))
        ));
        let mut m = crate::value::Map::new();
        m.insert("k".into(), AttributeValue::n(1));
        assert!(!contains(Some(&AttributeValue::M(m)), Some(&s("k"))));
    }
}
