//! Property tests: numbers against an independent decimal reference written
//! here (digit strings, schoolbook arithmetic), and values against the wire
//! format and the size rules.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use dynacond::{AttributeValue, Item, Map, Number, NumberError, item_size, wire};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Reference decimals

/// A decimal in normal form: `±d1.d2d3…dn × 10^exp`, digits without leading or
/// trailing zeros; zero has no digits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Dec {
    negative: bool,
    digits: Vec<u8>,
    exp: i64,
}

impl Dec {
    fn zero() -> Dec {
        Dec {
            negative: false,
            digits: Vec::new(),
            exp: 0,
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Exponent of the last digit.
    fn low(&self) -> i64 {
        self.exp - self.digits.len() as i64 + 1
    }

    /// DynamoDB's canonical text, written independently of the crate.
    fn canonical(&self) -> String {
        if self.is_zero() {
            return "0".to_owned();
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let sign = if self.negative { "-" } else { "" };
        let low = self.low();
        if low >= 0 {
            format!("{sign}{digits}{}", "0".repeat(low as usize))
        } else if self.exp >= 0 {
            let (int, frac) = digits.split_at(self.exp as usize + 1);
            format!("{sign}{int}.{frac}")
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-self.exp - 1) as usize))
        }
    }

    /// Builds the normal form from digits (most significant first) times 10^low.
    fn from_scaled(negative: bool, digits: &[u8], low: i64) -> Dec {
        let first = digits.iter().position(|&d| d != 0);
        let last = digits.iter().rposition(|&d| d != 0);
        match (first, last) {
            (Some(first), Some(last)) => {
                let trailing = (digits.len() - 1 - last) as i64;
                let kept = digits[first..=last].to_vec();
                let low = low + trailing;
                Dec {
                    negative,
                    exp: low + kept.len() as i64 - 1,
                    digits: kept,
                }
            }
            _ => Dec::zero(),
        }
    }
}

/// Reads canonical positional text back into a normal form (independent of
/// the crate's parser).
fn parse_canonical(text: &str) -> Dec {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    assert!(!body.contains(['e', 'E', '+']), "not positional: {text}");
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    Dec::from_scaled(negative, &all, -(frac.len() as i64))
}

/// Exact comparison of two normal forms.
fn ref_cmp(a: &Dec, b: &Dec) -> Ordering {
    fn sign(d: &Dec) -> i8 {
        if d.is_zero() {
            0
        } else if d.negative {
            -1
        } else {
            1
        }
    }
    let by_sign = sign(a).cmp(&sign(b));
    if by_sign != Ordering::Equal || sign(a) == 0 {
        return by_sign;
    }
    let magnitude = a.exp.cmp(&b.exp).then_with(|| {
        let len = a.digits.len().max(b.digits.len());
        let pad = |d: &Dec| {
            let mut v = d.digits.clone();
            v.resize(len, 0);
            v
        };
        pad(a).cmp(&pad(b))
    });
    if a.negative {
        magnitude.reverse()
    } else {
        magnitude
    }
}

/// Exact sum by schoolbook arithmetic on digit vectors, then DynamoDB's
/// limits: more than 38 digits or a magnitude of 1e126 or more is an overflow,
/// below 1e-130 an underflow.
fn ref_add(a: &Dec, b: &Dec) -> Result<Dec, NumberError> {
    let result = if a.is_zero() {
        b.clone()
    } else if b.is_zero() {
        a.clone()
    } else {
        let low = a.low().min(b.low());
        let high = a.exp.max(b.exp) + 1; // room for a carry
        let width = (high - low + 1) as usize;
        // Little-endian digit vectors aligned on 10^low.
        let spread = |d: &Dec| {
            let mut v = vec![0u8; width];
            for (i, digit) in d.digits.iter().enumerate() {
                let power = d.exp - i as i64;
                v[(power - low) as usize] = *digit;
            }
            v
        };
        let (x, y) = (spread(a), spread(b));
        let (negative, magnitude) = if a.negative == b.negative {
            (a.negative, add_digits(&x, &y))
        } else {
            match cmp_digits(&x, &y) {
                Ordering::Equal => return Ok(Dec::zero()),
                Ordering::Greater => (a.negative, sub_digits(&x, &y)),
                Ordering::Less => (b.negative, sub_digits(&y, &x)),
            }
        };
        let big_endian: Vec<u8> = magnitude.into_iter().rev().collect();
        Dec::from_scaled(negative, &big_endian, low)
    };
    if result.is_zero() {
        return Ok(Dec::zero());
    }
    if result.digits.len() > 38 || result.exp > 125 {
        return Err(NumberError::Overflow);
    }
    if result.exp < -130 {
        return Err(NumberError::Underflow);
    }
    Ok(result)
}

fn add_digits(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(x.len() + 1);
    let mut carry = 0u8;
    for i in 0..x.len().max(y.len()) {
        let s = x.get(i).copied().unwrap_or(0) + y.get(i).copied().unwrap_or(0) + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    out.push(carry);
    out
}

/// x - y for x >= y (little-endian).
fn sub_digits(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(x.len());
    let mut borrow = 0i8;
    for (i, &xi) in x.iter().enumerate() {
        let mut d = xi as i8 - y.get(i).copied().unwrap_or(0) as i8 - borrow;
        borrow = 0;
        if d < 0 {
            d += 10;
            borrow = 1;
        }
        out.push(d as u8);
    }
    assert_eq!(borrow, 0);
    out
}

fn cmp_digits(x: &[u8], y: &[u8]) -> Ordering {
    // Same length (aligned); compare from the most significant end.
    x.iter().rev().cmp(y.iter().rev())
}

fn negate(d: &Dec) -> Dec {
    Dec {
        negative: !d.negative && !d.is_zero(),
        ..d.clone()
    }
}

// ---------------------------------------------------------------------------
// Strategies

/// Digit strings of 1 to `max` digits, first and last non-zero.
fn arb_digits(max: usize) -> impl Strategy<Value = Vec<u8>> {
    (
        1..=9u8,
        vec(0..=9u8, 0..=max.saturating_sub(2)),
        1..=9u8,
        prop::bool::weighted(0.1),
    )
        .prop_map(|(first, middle, last, single)| {
            let mut digits = vec![first];
            if !single {
                digits.extend(middle);
                digits.push(last);
            }
            digits
        })
}

fn arb_exponent() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => -6..=6i64,
        2 => -40..=40i64,
        2 => -130..=125i64,
        1 => 120..=125i64,
        1 => -130..=-125i64,
    ]
}

/// Valid non-zero and zero decimals.
fn arb_dec() -> impl Strategy<Value = Dec> {
    prop_oneof![
        1 => Just(Dec::zero()),
        12 => (any::<bool>(), arb_digits(38), arb_exponent()).prop_map(|(negative, digits, exp)| Dec {
            negative,
            digits,
            exp,
        }),
    ]
}

/// One way of writing a decimal: extra leading/trailing zeros, where the
/// decimal point goes, exponent letter and sign, explicit `+`.
#[derive(Debug, Clone)]
struct Spelling {
    leading_zeros: usize,
    trailing_zeros: usize,
    point: usize,
    upper_e: bool,
    plus_exponent: bool,
    plus_sign: bool,
    omit_zero_exponent: bool,
}

fn arb_spelling() -> impl Strategy<Value = Spelling> {
    (
        0..4usize,
        0..4usize,
        0..80usize,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(leading_zeros, trailing_zeros, point, upper_e, plus_exponent, plus_sign, omit)| {
                Spelling {
                    leading_zeros,
                    trailing_zeros,
                    point,
                    upper_e,
                    plus_exponent,
                    plus_sign,
                    omit_zero_exponent: omit,
                }
            },
        )
}

/// Writes `dec` following `spelling`; the text always denotes exactly `dec`.
fn spell(dec: &Dec, spelling: &Spelling) -> String {
    if dec.is_zero() {
        let zeros = "0".repeat(spelling.leading_zeros + 1);
        return match spelling.point % 3 {
            0 => zeros,
            1 => format!("{zeros}.{}", "0".repeat(spelling.trailing_zeros)),
            _ => format!("-{zeros}"),
        };
    }
    let mut padded = "0".repeat(spelling.leading_zeros);
    padded.extend(dec.digits.iter().map(|d| char::from(b'0' + d)));
    padded.push_str(&"0".repeat(spelling.trailing_zeros));
    let len = padded.len();
    let point = spelling.point % (len + 1);
    // padded × 10^(written - (len - point)) == digits × 10^low
    let written = dec.low() - spelling.trailing_zeros as i64 + (len - point) as i64;
    let (int, frac) = padded.split_at(point);
    let mut text = String::new();
    if dec.negative {
        text.push('-');
    } else if spelling.plus_sign {
        text.push('+');
    }
    text.push_str(int);
    if !frac.is_empty() || int.is_empty() {
        text.push('.');
        text.push_str(frac);
    }
    if !(written == 0 && spelling.omit_zero_exponent) {
        text.push(if spelling.upper_e { 'E' } else { 'e' });
        if written >= 0 && spelling.plus_exponent {
            text.push('+');
        }
        text.push_str(&written.to_string());
    }
    text
}

/// Valid numbers from random digit strings and exponents in range.
fn arb_number() -> impl Strategy<Value = Number> {
    (arb_dec(), arb_spelling()).prop_map(|(dec, spelling)| {
        let text = spell(&dec, &spelling);
        Number::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
    })
}

/// A second operand near the first (overlapping digits), or anywhere.
fn arb_pair() -> impl Strategy<Value = (Dec, Dec)> {
    arb_dec().prop_flat_map(|a| {
        let base = a.exp;
        let near = (any::<bool>(), arb_digits(38), -40..=40i64).prop_map(
            move |(negative, digits, delta)| Dec {
                negative,
                digits,
                exp: (base + delta).clamp(-130, 125),
            },
        );
        let same = Just(a.clone());
        let opposite = Just(negate(&a));
        let b = prop_oneof![4 => arb_dec(), 4 => near, 1 => same, 1 => opposite];
        (Just(a), b)
    })
}

fn arb_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..max)
}

/// Arbitrary attribute values of all ten types, nested at most 4 levels.
fn arb_value() -> impl Strategy<Value = AttributeValue> {
    let leaf = prop_oneof![
        any::<String>().prop_map(AttributeValue::S),
        arb_number().prop_map(AttributeValue::N),
        arb_bytes(24).prop_map(AttributeValue::B),
        btree_set(any::<String>(), 1..5).prop_map(AttributeValue::Ss),
        btree_set(arb_number(), 1..5).prop_map(AttributeValue::Ns),
        btree_set(arb_bytes(12), 1..5).prop_map(AttributeValue::Bs),
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(AttributeValue::L),
            vec((any::<String>(), inner), 0..5)
                .prop_map(|entries| AttributeValue::M(entries.into_iter().collect::<Map>())),
        ]
    })
}

fn arb_item() -> impl Strategy<Value = Item> {
    vec((any::<String>(), arb_value()), 0..8).prop_map(|entries| entries.into_iter().collect())
}

// ---------------------------------------------------------------------------
// Reference size (§11.5, §13)

fn ref_number_size(n: &Number) -> usize {
    let dec = parse_canonical(&n.to_string());
    if dec.is_zero() {
        return 1;
    }
    let d = dec.digits.len();
    let mut size = 1 + d.div_ceil(2);
    if d % 2 == 0 && dec.exp % 2 == 0 {
        size += 1;
    }
    if dec.negative {
        size += 1;
    }
    size
}

fn ref_size(v: &AttributeValue) -> usize {
    match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => ref_number_size(n),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(set) => set.iter().map(|s| s.len()).sum(),
        AttributeValue::Ns(set) => set.iter().map(ref_number_size).sum(),
        AttributeValue::Bs(set) => set.iter().map(|b| b.len()).sum(),
        AttributeValue::Bool(_) | AttributeValue::Null => 1,
        AttributeValue::L(items) => 3 + items.iter().map(|x| 1 + ref_size(x)).sum::<usize>(),
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, x)| 1 + k.len() + ref_size(x))
                .sum::<usize>()
        }
    }
}

fn ref_depth(v: &AttributeValue) -> usize {
    match v {
        AttributeValue::L(items) => 1 + items.iter().map(ref_depth).max().unwrap_or(0),
        AttributeValue::M(map) => 1 + map.values().map(ref_depth).max().unwrap_or(0),
        _ => 0,
    }
}

// ---------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// (a) Every spelling parses to the number; canonical text matches the
    /// reference, parses back to an equal number and is a fixed point.
    #[test]
    fn parse_and_canonical_text(dec in arb_dec(), spelling in arb_spelling()) {
        let text = spell(&dec, &spelling);
        let n = Number::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let canonical = n.to_string();
        prop_assert_eq!(&canonical, &dec.canonical(), "from {}", text);
        let again = Number::parse(&canonical).unwrap();
        prop_assert_eq!(again, n);
        prop_assert_eq!(again.to_string(), canonical.clone());
        prop_assert_eq!(parse_canonical(&canonical), dec.clone());
        if !dec.is_zero() {
            prop_assert_eq!(i64::from(n.significant_digits()), dec.digits.len() as i64);
            prop_assert_eq!(n.scientific_exponent(), dec.exp);
        }
        prop_assert_eq!(n.is_negative(), dec.negative);
        prop_assert_eq!(n.is_zero(), dec.is_zero());
        // Two spellings of one number are equal.
        let plain = Number::parse(&dec.canonical()).unwrap();
        prop_assert_eq!(plain, n);
    }

    /// Canonical text of arbitrary numbers is a fixed point.
    #[test]
    fn canonical_fixed_point(n in arb_number()) {
        let text = n.to_string();
        let back: Number = text.parse().unwrap();
        prop_assert_eq!(back, n);
        prop_assert_eq!(back.to_string(), text);
    }

    /// Digits or exponents out of range are rejected with the right error.
    #[test]
    fn out_of_range_rejected(
        negative in any::<bool>(),
        digits in arb_digits(60),
        exp in prop_oneof![-400..=-131i64, 126..=400i64, -130..=125i64],
        spelling in arb_spelling(),
    ) {
        let dec = Dec { negative, digits, exp };
        let text = spell(&dec, &spelling);
        let got = Number::parse(&text).map(|n| n.to_string());
        let range_error = if exp > 125 {
            Some(NumberError::Overflow)
        } else if exp < -130 {
            Some(NumberError::Underflow)
        } else {
            None
        };
        match (dec.digits.len() > 38, range_error) {
            (false, None) => prop_assert_eq!(got, Ok(dec.canonical()), "{}", text),
            (false, Some(e)) => prop_assert_eq!(got, Err(e), "{}", text),
            (true, None) => prop_assert_eq!(got, Err(NumberError::TooManyDigits), "{}", text),
            // Both limits broken: which one DynamoDB reports first is not
            // recorded; either is acceptable.
            (true, Some(e)) => prop_assert!(
                got == Err(NumberError::TooManyDigits) || got == Err(e),
                "{}: {:?}", text, got
            ),
        }
    }

    /// (b) Ordering agrees with the exact reference comparison.
    #[test]
    fn ordering_matches_reference((a, b) in arb_pair(), sa in arb_spelling(), sb in arb_spelling()) {
        let na = Number::parse(&spell(&a, &sa)).unwrap();
        let nb = Number::parse(&spell(&b, &sb)).unwrap();
        let expected = ref_cmp(
            &parse_canonical(&na.to_string()),
            &parse_canonical(&nb.to_string()),
        );
        prop_assert_eq!(expected, ref_cmp(&a, &b));
        prop_assert_eq!(na.cmp(&nb), expected, "{} vs {}", na, nb);
        prop_assert_eq!(nb.cmp(&na), expected.reverse());
        prop_assert_eq!(na.partial_cmp(&nb), Some(expected));
        prop_assert_eq!(na == nb, expected == Ordering::Equal);
        if na == nb {
            use std::hash::{BuildHasher, RandomState};
            let state = RandomState::new();
            prop_assert_eq!(state.hash_one(na), state.hash_one(nb));
        }
    }

    /// (c) checked_add / checked_sub agree with schoolbook arithmetic,
    /// including the overflow (range or more than 38 digits) and underflow errors.
    #[test]
    fn addition_matches_reference((a, b) in arb_pair()) {
        let na = Number::parse(&a.canonical()).unwrap();
        let nb = Number::parse(&b.canonical()).unwrap();
        let expected = ref_add(&a, &b).map(|d| d.canonical());
        let got = na.checked_add(&nb).map(|n| n.to_string());
        prop_assert_eq!(&got, &expected, "{} + {}", na, nb);
        prop_assert_eq!(nb.checked_add(&na).map(|n| n.to_string()), expected.clone());

        let expected_sub = ref_add(&a, &negate(&b)).map(|d| d.canonical());
        let got_sub = na.checked_sub(&nb).map(|n| n.to_string());
        prop_assert_eq!(&got_sub, &expected_sub, "{} - {}", na, nb);
        if let Ok(sum) = na.checked_add(&nb) {
            // (a + b) - b == a whenever both steps are representable.
            if let Ok(back) = sum.checked_sub(&nb) {
                prop_assert_eq!(back, na);
            }
        }
    }

    /// Storage size follows §11.5.
    #[test]
    fn number_size_matches_formula(n in arb_number()) {
        prop_assert_eq!(n.storage_size(), ref_number_size(&n), "{}", n);
    }

    /// Integers survive the trip through Number.
    #[test]
    fn i64_round_trip(v in any::<i64>()) {
        let n = Number::from(v);
        prop_assert_eq!(n.to_i64(), Some(v));
        prop_assert_eq!(n.to_string(), v.to_string());
        prop_assert_eq!(Number::parse(&v.to_string()).unwrap(), n);
    }

    /// (d) DynamoDB JSON round-trips every value.
    #[test]
    fn value_wire_round_trip(v in arb_value()) {
        let json = wire::value_to_json(&v);
        let back = wire::value_from_json(json.as_bytes());
        prop_assert_eq!(back.as_ref(), Ok(&v), "{}", json);
        // Encoding is deterministic and a fixed point.
        prop_assert_eq!(wire::value_to_json(&back.unwrap()), json);
        // Through a parsed serde_json::Value as well.
        let parsed: serde_json::Value = serde_json::from_str(&wire::value_to_json(&v)).unwrap();
        prop_assert_eq!(wire::from_value::<AttributeValue>(parsed), Ok(v.clone()));
        // Generated values are valid (non-empty sets, depth within 32).
        prop_assert_eq!(v.validate(), Ok(()));
        prop_assert_eq!(v.nesting_depth(), ref_depth(&v));
    }

    /// (d) DynamoDB JSON round-trips items, keeping attribute order.
    #[test]
    fn item_wire_round_trip(item in arb_item()) {
        let json = wire::item_to_json(&item);
        let back = wire::item_from_json(json.as_bytes()).unwrap();
        prop_assert_eq!(&back, &item);
        let names: Vec<&String> = back.keys().collect();
        let expected: Vec<&String> = item.keys().collect();
        prop_assert_eq!(names, expected);
        prop_assert_eq!(wire::item_to_json(&back), json);
    }

    /// Sets are encoded in ascending order (numbers numerically).
    #[test]
    fn number_sets_encode_in_numeric_order(set in btree_set(arb_number(), 1..8)) {
        let json: serde_json::Value =
            serde_json::from_str(&wire::value_to_json(&AttributeValue::Ns(set.clone()))).unwrap();
        let members: Vec<Number> = json["NS"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().parse().unwrap())
            .collect();
        let mut sorted = members.clone();
        sorted.sort();
        prop_assert_eq!(&members, &sorted);
        prop_assert_eq!(members.into_iter().collect::<BTreeSet<_>>(), set);
    }

    /// (e) Item size is the sum over attributes of name length plus value size,
    /// and value sizes match the reference formula.
    #[test]
    fn sizes_match_reference(item in arb_item()) {
        let mut total = 0;
        for (name, value) in &item {
            prop_assert_eq!(value.size(), ref_size(value), "{:?}", value);
            total += name.len() + ref_size(value);
        }
        prop_assert_eq!(item_size(&item), total);
    }
}

// ---------------------------------------------------------------------------
// The reference itself

#[test]
fn reference_sanity() {
    let d = |t: &str| parse_canonical(t);
    assert_eq!(d("0"), Dec::zero());
    assert_eq!(d("-0.5").canonical(), "-0.5");
    assert_eq!(d("1200").digits, vec![1, 2]);
    assert_eq!(d("1200").exp, 3);
    assert_eq!(d("0.012").exp, -2);
    assert_eq!(
        ref_add(&d("11.7"), &d("25.41")).unwrap().canonical(),
        "37.11"
    );
    assert_eq!(ref_add(&d("100"), &d("-88.3")).unwrap().canonical(), "11.7");
    assert_eq!(ref_add(&d("5"), &d("-5")).unwrap(), Dec::zero());
    assert_eq!(
        ref_add(&d("1"), &d(&format!("1{}", "0".repeat(50)))),
        Err(NumberError::Overflow)
    );
    assert_eq!(ref_cmp(&d("-1"), &d("0.5")), Ordering::Less);
    assert_eq!(ref_cmp(&d("-1"), &d("-0.5")), Ordering::Less);
    assert_eq!(ref_cmp(&d("1.5"), &d("1.25")), Ordering::Greater);
    let spelling = Spelling {
        leading_zeros: 2,
        trailing_zeros: 3,
        point: 4,
        upper_e: true,
        plus_exponent: true,
        plus_sign: true,
        omit_zero_exponent: false,
    };
    let text = spell(&d("-12.5"), &spelling);
    assert_eq!(Number::parse(&text).unwrap().to_string(), "-12.5", "{text}");
}
