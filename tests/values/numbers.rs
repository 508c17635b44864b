//! Table-driven tests for [`dynacond::Number`] against §11 of the spec:
//! parsing, rejection messages, precision and range, canonical output,
//! comparison, arithmetic, storage size and integer conversions.
#![allow(
    clippy::string_slice,
    reason = "these tests slice strings of ASCII digits built in the test itself"
)]

use std::cmp::Ordering;
use std::time::{Duration, Instant};

use dynacond::{AttributeValue, Number, NumberError};

const OVERFLOW: &str =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
const UNDERFLOW: &str =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";
const TOO_MANY_DIGITS: &str = "Attempting to store more than 38 significant digits in a Number";

fn n(text: &str) -> Number {
    Number::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse, got {e:?}"))
}

fn err(text: &str) -> NumberError {
    match Number::parse(text) {
        Ok(v) => panic!("{text:?} should be rejected, parsed as {v}"),
        Err(e) => e,
    }
}

/// `count` copies of `ch`.
fn rep(ch: char, count: usize) -> String {
    std::iter::repeat_n(ch, count).collect()
}

// ---------------------------------------------------------------------------
// Parsing: accepted forms

#[test]
fn accepted_forms_from_the_spec() {
    // §11.2: observed accepted by DynamoDB [ALT], with the canonical text.
    for (input, canonical) in [
        ("3", "3"),
        ("-7.1234", "-7.1234"),
        ("-17e5", "-1700000"),
        ("-17.4E37", "-174000000000000000000000000000000000000"),
        ("+3", "3"),
        (".123", "0.123"),
        ("0001.23", "1.23"),
        ("1e+5", "100000"),
    ] {
        assert_eq!(n(input).to_string(), canonical, "{input}");
    }
}

#[test]
fn accepted_forms_more() {
    for (input, canonical) in [
        ("0", "0"),
        ("-0", "0"),
        ("+0", "0"),
        ("5.", "5"),
        ("-5.", "-5"),
        ("+.5", "0.5"),
        ("-.5", "-0.5"),
        ("0.", "0"),
        (".0", "0"),
        ("1E5", "100000"),
        ("1e-5", "0.00001"),
        ("1E-5", "0.00001"),
        ("1e05", "100000"),
        ("1e-05", "0.00001"),
        ("1e0", "1"),
        ("1e-0", "1"),
        ("1e+0", "1"),
        ("5.e2", "500"),
        (".5e1", "5"),
        ("12.34e1", "123.4"),
        ("12.34e-1", "1.234"),
        ("-0.000", "0"),
        ("123456789", "123456789"),
        ("-123456789.987654321", "-123456789.987654321"),
        (
            "0.000000000000000000000000000000000000000000000001",
            "0.000000000000000000000000000000000000000000000001",
        ),
    ] {
        assert_eq!(n(input).to_string(), canonical, "{input}");
    }
}

#[test]
fn parse_entry_points_agree() {
    for text in ["1", "-2.5", "1e3", ".7"] {
        let a = Number::parse(text).unwrap();
        let b: Number = text.parse().unwrap();
        let c = Number::try_from(text).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
    }
    assert_eq!("dog".parse::<Number>(), Number::parse("dog"));
    assert_eq!(Number::try_from(""), Err(NumberError::Empty));
}

// ---------------------------------------------------------------------------
// Parsing: rejected forms

#[test]
fn rejected_forms_with_exact_messages() {
    let cases: &[&str] = &[
        "NaN",
        "Infinity",
        "-Infinity",
        "-NaN",
        "nan",
        "inf",
        "dog",
        "-dog",
        " 1",
        "1 ",
        " ",
        ".",
        "-",
        "+",
        "-.",
        "+.",
        "1e",
        "1e+",
        "1e-",
        "e5",
        "E5",
        ".e5",
        "-e5",
        "1.2.3",
        "--1",
        "++1",
        "+-1",
        "1e+-3",
        "1e--3",
        "1e3.5",
        "1e3e4",
        "0x10",
        "0X10",
        "1_000",
        "1,000",
        "١",
        "1\u{0}",
        "\u{0}",
        "12a",
        "a12",
        "1 2",
        "1\t",
        "\n1",
        "0b1",
        "1.5f",
        "1d",
        "$1",
        "∞",
        "1e 5",
        "1 e5",
        "e",
        "E",
    ];
    for &text in cases {
        let e = err(text);
        assert_eq!(e, NumberError::NotNumeric(text.to_owned()), "{text:?}");
        assert_eq!(
            e.to_string(),
            format!("The parameter cannot be converted to a numeric value: {text}"),
            "{text:?}"
        );
        let api: dynacond::Error = e.into();
        assert_eq!(api.type_name(), "ValidationException", "{text:?}");
        assert!(api.message().contains("numeric"), "{text:?}");
    }
}

#[test]
fn empty_string_message_has_no_suffix() {
    let e = err("");
    assert_eq!(e, NumberError::Empty);
    assert_eq!(
        e.to_string(),
        "The parameter cannot be converted to a numeric value"
    );
    let api: dynacond::Error = e.into();
    assert_eq!(api.type_name(), "ValidationException");
    assert_eq!(
        api.message(),
        "The parameter cannot be converted to a numeric value"
    );
}

#[test]
fn error_messages_are_dynamodbs() {
    assert_eq!(NumberError::Overflow.to_string(), OVERFLOW);
    assert_eq!(NumberError::Underflow.to_string(), UNDERFLOW);
    assert_eq!(NumberError::TooManyDigits.to_string(), TOO_MANY_DIGITS);
    for e in [
        NumberError::Overflow,
        NumberError::Underflow,
        NumberError::TooManyDigits,
    ] {
        let message = e.to_string();
        let api = dynacond::Error::from(e);
        assert_eq!(api, dynacond::Error::Validation(message));
    }
}

// ---------------------------------------------------------------------------
// Precision: 38 significant digits

#[test]
fn thirty_eight_digits_accepted_thirty_nine_rejected() {
    let d38 = "12345678901234567890123456789012345678";
    let d39 = "123456789012345678901234567890123456789";
    assert_eq!(d38.len(), 38);
    assert_eq!(d39.len(), 39);
    let ok = [
        d38.to_owned(),
        format!("-{d38}"),
        format!("{d38}e10"),
        format!("{d38}e-100"),
        format!("0.{d38}"),
        format!("1.{}", &d38[1..]),
        // Spec examples [ALT].
        "3.1415926535897932384626433832795028841".to_owned(),
        "314159265358979323846.26433832795028841".to_owned(),
        "31415926535897932384626433832795028841e30".to_owned(),
        // Leading and trailing zeros are not significant.
        format!("000000{d38}"),
        format!("{d38}000000"),
        format!("0.0000{d38}"),
        format!("{d38}.0000000"),
        format!("00{}.{}00", &d38[..20], &d38[20..]),
        format!("{d38}0e-1"),
        // 38 nines.
        rep('9', 38),
        format!("0.{}", rep('9', 38)),
        // Zeros in the middle count: 1, 36 zeros, 1 = 38 digits.
        format!("1{}1", rep('0', 36)),
        format!("1.{}1", rep('0', 36)),
    ];
    for text in &ok {
        let v = n(text);
        assert!(v.significant_digits() <= 38, "{text}");
    }
    assert_eq!(n(d38).significant_digits(), 38);
    assert_eq!(n(&format!("000{d38}000")).significant_digits(), 38);
    assert_eq!(n(&format!("1{}1", rep('0', 36))).significant_digits(), 38);

    let bad = [
        d39.to_owned(),
        format!("-{d39}"),
        format!("{d39}e10"),
        format!("{d39}e-100"),
        format!("0.{d39}"),
        format!("000{d39}000"),
        format!("{d39}.000"),
        "3.14159265358979323846264338327950288419".to_owned(),
        "314159265358979323846.264338327950288419".to_owned(),
        "314159265358979323846264338327950288419e30".to_owned(),
        rep('9', 39),
        format!("1{}1", rep('0', 37)),
        format!("1.{}1", rep('0', 37)),
        format!("1{}1e-200", rep('0', 37)),
        rep('7', 1000),
    ];
    for text in &bad {
        assert_eq!(err(text), NumberError::TooManyDigits, "{text}");
        assert_eq!(err(text).to_string(), TOO_MANY_DIGITS, "{text}");
    }
}

#[test]
fn trailing_zeros_of_integers_are_not_significant() {
    // 1 followed by 100 zeros has one significant digit and is in range.
    let text = format!("1{}", rep('0', 100));
    let v = n(&text);
    assert_eq!(v.significant_digits(), 1);
    assert_eq!(v.to_string(), text);
    // 38 significant digits followed by 80 zeros.
    let text = format!("{}{}", rep('3', 38), rep('0', 80));
    assert_eq!(n(&text).to_string(), text);
    let text = format!("{}{}", rep('3', 39), rep('0', 80));
    assert_eq!(err(&text), NumberError::TooManyDigits);
}

// ---------------------------------------------------------------------------
// Range: judged on the normalised value

#[test]
fn range_boundaries() {
    let nines38 = rep('9', 38);
    let largest = format!("9.{}e125", &nines38[1..]);
    let ok = [
        "1e125".to_owned(),
        "-1e125".to_owned(),
        "0.1e126".to_owned(),
        "-0.1e126".to_owned(),
        "0.01e127".to_owned(),
        "100e123".to_owned(),
        "9e125".to_owned(),
        "9.9e125".to_owned(),
        "9.99999999e125".to_owned(),
        largest.clone(),
        format!("-{largest}"),
        format!("{nines38}e88"),
        format!("0.{nines38}e126"),
        "1e-130".to_owned(),
        "-1e-130".to_owned(),
        "10e-131".to_owned(),
        "0.01e-128".to_owned(),
        "1.5e-130".to_owned(),
        "9.9e-130".to_owned(),
        format!("{nines38}e-130"),
        format!("1{}e-130", rep('0', 37)),
        "1e-100".to_owned(),
        "1e100".to_owned(),
    ];
    for text in &ok {
        n(text);
    }
    assert_eq!(
        n(&largest).to_string(),
        format!("{nines38}{}", rep('0', 88))
    );
    assert_eq!(n("1e125").to_string(), format!("1{}", rep('0', 125)));
    assert_eq!(n("0.1e126"), n("1e125"));
    assert_eq!(n("1e-130").to_string(), format!("0.{}1", rep('0', 129)));
    assert_eq!(n("1e-130").scientific_exponent(), -130);
    assert_eq!(n(&largest).scientific_exponent(), 125);

    let overflow = [
        "1e126".to_owned(),
        "-1e126".to_owned(),
        "11e125".to_owned(),
        "-11e125".to_owned(),
        "10e125".to_owned(),
        "1000e123".to_owned(),
        "00001e126".to_owned(),
        "1E+126".to_owned(),
        "9.9e126".to_owned(),
        "1e1000".to_owned(),
        "1.0e100000000".to_owned(),
        format!("1{}", rep('0', 126)),
        format!("-1{}", rep('0', 126)),
        format!("{nines38}e89"),
        format!("{nines38}0e88"),
    ];
    for text in &overflow {
        assert_eq!(err(text), NumberError::Overflow, "{text}");
        assert_eq!(err(text).to_string(), OVERFLOW, "{text}");
    }

    let underflow = [
        "1e-131".to_owned(),
        "-1e-131".to_owned(),
        "0.9e-130".to_owned(),
        "-0.9e-130".to_owned(),
        "9.9e-131".to_owned(),
        "0.1e-130".to_owned(),
        "1e-1000".to_owned(),
        format!("0.{}1", rep('0', 130)),
        format!("-0.{}1", rep('0', 130)),
        format!("{nines38}e-168"),
    ];
    for text in &underflow {
        assert_eq!(err(text), NumberError::Underflow, "{text}");
        assert_eq!(err(text).to_string(), UNDERFLOW, "{text}");
    }
    // Written without an exponent, 1e-130 is fine and 1e-131 is not.
    n(&format!("0.{}1", rep('0', 129)));
    n(&format!("{nines38}e-167"));
}

#[test]
fn hostile_inputs_are_handled_quickly() {
    let zeros = rep('0', 100_000);
    let cases: Vec<(String, Result<&str, NumberError>)> = vec![
        ("1e999999999999999999999".into(), Err(NumberError::Overflow)),
        (
            "-1e999999999999999999999".into(),
            Err(NumberError::Overflow),
        ),
        ("1e-99999999999".into(), Err(NumberError::Underflow)),
        (
            "1e-999999999999999999999999999999".into(),
            Err(NumberError::Underflow),
        ),
        ("1.0e100000000".into(), Err(NumberError::Overflow)),
        (
            format!("1e{}", rep('9', 100_000)),
            Err(NumberError::Overflow),
        ),
        (
            format!("1e-{}", rep('9', 100_000)),
            Err(NumberError::Underflow),
        ),
        (
            format!("1e+{}", rep('9', 100_000)),
            Err(NumberError::Overflow),
        ),
        (zeros.clone(), Ok("0")),
        (format!("-{zeros}"), Ok("0")),
        (format!("{zeros}.{zeros}"), Ok("0")),
        (format!("0.{zeros}1"), Err(NumberError::Underflow)),
        (format!("1{zeros}"), Err(NumberError::Overflow)),
        (format!("{zeros}1"), Ok("1")),
        (format!("1.{zeros}"), Ok("1")),
        (format!("{zeros}1.5{zeros}"), Ok("1.5")),
        (format!("1{zeros}e-100000"), Ok("1")),
        (format!("0.{zeros}1e100001"), Ok("1")),
        (format!("0.{zeros}1e100005"), Ok("10000")),
        (rep('9', 100_000), Err(NumberError::TooManyDigits)),
        (
            format!("{}x", rep('1', 100_000)),
            Err(NumberError::NotNumeric(String::new())),
        ),
        (format!("1e{}", rep('0', 100_000)), Ok("1")),
        (format!("1e-{}5", rep('0', 100_000)), Ok("0.00001")),
        // A zero written with an absurd exponent (see the zero quirk below).
        ("0e999999999999999999999".into(), Err(NumberError::Overflow)),
        (
            "0e-999999999999999999999".into(),
            Err(NumberError::Underflow),
        ),
    ];
    for (text, expected) in &cases {
        let start = Instant::now();
        let got = Number::parse(text);
        let elapsed = start.elapsed();
        let label: String = text.chars().take(40).collect();
        assert!(
            elapsed < Duration::from_secs(1),
            "{label}...: took {elapsed:?}"
        );
        match (expected, got) {
            (Ok(canonical), Ok(v)) => assert_eq!(v.to_string(), *canonical, "{label}"),
            (Err(NumberError::NotNumeric(_)), Err(NumberError::NotNumeric(t))) => {
                assert_eq!(&t, text)
            }
            (Err(e), Err(g)) => assert_eq!(&g, e, "{label}"),
            (e, g) => panic!("{label}...: expected {e:?}, got {g:?}"),
        }
    }
}

#[test]
fn arithmetic_on_hostile_operands_is_bounded() {
    // Operands far apart: the exact result needs hundreds of digits, which is
    // DynamoDB's overflow error, computed without expanding anything.
    let start = Instant::now();
    let big = n("9e125");
    let tiny = n("1e-130");
    assert_eq!(big.checked_add(&tiny), Err(NumberError::Overflow));
    assert_eq!(tiny.checked_add(&big), Err(NumberError::Overflow));
    assert_eq!(big.checked_sub(&tiny), Err(NumberError::Overflow));
    assert_eq!(tiny.checked_sub(&big), Err(NumberError::Overflow));
    assert_eq!(big.negated().checked_add(&tiny), Err(NumberError::Overflow));
    assert!(start.elapsed() < Duration::from_secs(1));
}

// ---------------------------------------------------------------------------
// The zero quirk (§11.2, §16.7): a zero's range is judged on its written
// exponent as a decimal of `digits × 10^exponent` (`0e126` is 0 × 10^126,
// `0.0e126` is 0 × 10^125).

#[test]
fn zero_quirk() {
    for text in [
        "0e126", "-0e126", "+0e126", "0E126", "0e+126", "0E+126", "0e1000", "00e126", "0.e126",
    ] {
        assert_eq!(err(text), NumberError::Overflow, "{text}");
    }
    for text in ["0e-131", "-0e-131", "0E-131", "0e-1000"] {
        assert_eq!(err(text), NumberError::Underflow, "{text}");
    }
    for text in [
        "0.0e126", "-0.0e126", "0e125", "0e-130", "0.00e127", ".0e126", "0", "0.0", "0e5", "0e-5",
        "0.0e3", "00",
    ] {
        let v = n(text);
        assert!(v.is_zero(), "{text}");
        assert!(!v.is_negative(), "{text}");
        assert_eq!(v, Number::ZERO, "{text}");
        assert_eq!(v.to_string(), "0", "{text}");
    }
    // Spelled without an exponent, zero is zero however many digits it has.
    let many = format!("0.{}", rep('0', 500));
    assert_eq!(n(&many), Number::ZERO);
}

// ---------------------------------------------------------------------------
// Canonical output (§11.3, every row of the table)

#[test]
fn canonical_output_table() {
    let e125 = format!("1{}", rep('0', 125));
    let rows: &[(&[&str], &str)] = &[
        (&["1"], "1"),
        (&["123"], "123"),
        (&["-5"], "-5"),
        (&["0"], "0"),
        (&["10"], "10"),
        (&["1000"], "1000"),
        (&["007"], "7"),
        (&["001.23"], "1.23"),
        (&["00"], "0"),
        (&["+3"], "3"),
        (&["+0"], "0"),
        (&["+1.5"], "1.5"),
        (&["1.0", "1.00"], "1"),
        (&["1.10"], "1.1"),
        (&["100.000"], "100"),
        (&["0.0"], "0"),
        (&["0.10"], "0.1"),
        (&["1e3", "1E3", "1e+3", "1E+3"], "1000"),
        (&["5e1"], "50"),
        (&["-3e2"], "-300"),
        (&["1.5e2"], "150"),
        (&["1.23e4"], "12300"),
        (&["1e-3"], "0.001"),
        (&["5e-1"], "0.5"),
        (&["123e-2"], "1.23"),
        (&["1.23e-1"], "0.123"),
        (&["1.0e3"], "1000"),
        (&["1.00e2"], "100"),
        (&["1.0e-1"], "0.1"),
        (&["-0", "-0.0", "0e5", "0.0e3", "0e-5"], "0"),
        (&[".5"], "0.5"),
        (&[".123"], "0.123"),
        (&["-.5"], "-0.5"),
        (&["1e20"], "100000000000000000000"),
        (&["9.9e10"], "99000000000"),
        (&["1e-20"], "0.00000000000000000001"),
    ];
    for (inputs, out) in rows {
        for input in *inputs {
            assert_eq!(n(input).to_string(), *out, "{input}");
        }
    }
    assert_eq!(n("1e125").to_string(), e125);
    // Keys compare by value and come back canonical (§11.3 "Keys").
    for text in ["1000", "1e3", "1E+3", "1000.0", "001000", "+1000"] {
        assert_eq!(n(text), n("1000"), "{text}");
        assert_eq!(n(text).to_string(), "1000", "{text}");
    }
}

#[test]
fn canonical_text_is_a_fixed_point_and_has_no_exponent() {
    for text in [
        "1",
        "-1",
        "1e125",
        "-9.99999999e125",
        "1e-130",
        "-1e-130",
        "0.5",
        "123.456",
        "1e38",
        "12345678901234567890123456789012345678e-50",
        "31415926535897932384626433832795028841e30",
    ] {
        let canonical = n(text).to_string();
        assert!(!canonical.contains(['e', 'E', '+']), "{canonical}");
        assert!(!canonical.ends_with('.'), "{canonical}");
        if canonical.contains('.') {
            assert!(!canonical.ends_with('0'), "{canonical}");
        }
        assert_eq!(n(&canonical), n(text));
        assert_eq!(n(&canonical).to_string(), canonical);
    }
}

#[test]
fn serde_uses_canonical_strings() {
    assert_eq!(serde_json::to_string(&n("1e3")).unwrap(), r#""1000""#);
    assert_eq!(serde_json::to_string(&n("-0.50")).unwrap(), r#""-0.5""#);
    let back: Number = serde_json::from_str(r#""1.0e3""#).unwrap();
    assert_eq!(back, n("1000"));
    let e = serde_json::from_str::<Number>(r#""1e126""#).unwrap_err();
    assert!(e.to_string().contains("overflow"), "{e}");
    let e = serde_json::from_str::<Number>(r#""dog""#).unwrap_err();
    assert!(e.to_string().contains("numeric"), "{e}");
    let back: Number = serde_json::from_value(serde_json::json!("0.25")).unwrap();
    assert_eq!(back, n("0.25"));
}

#[test]
fn debug_shows_canonical_text() {
    assert_eq!(format!("{:?}", n("1e3")), "Number(1000)");
}

// ---------------------------------------------------------------------------
// Accessors

#[test]
fn accessors() {
    let cases = [
        // text, zero, negative, digits, scientific exponent
        ("0", true, false, 1, 0),
        ("-0", true, false, 1, 0),
        ("1", false, false, 1, 0),
        ("-1", false, true, 1, 0),
        ("1234", false, false, 4, 3),
        ("1.234e3", false, false, 4, 3),
        ("0.012", false, false, 2, -2),
        ("1000", false, false, 1, 3),
        ("-17.4E37", false, true, 3, 38),
        ("1e-130", false, false, 1, -130),
        ("9.99999999e125", false, false, 9, 125),
    ];
    for (text, zero, negative, digits, exponent) in cases {
        let v = n(text);
        assert_eq!(v.is_zero(), zero, "{text}");
        assert_eq!(v.is_negative(), negative, "{text}");
        assert_eq!(v.significant_digits(), digits, "{text}");
        assert_eq!(v.scientific_exponent(), exponent, "{text}");
    }
    assert_eq!(Number::default(), Number::ZERO);
    assert_eq!(n("5").negated(), n("-5"));
    assert_eq!(n("-5").negated(), n("5"));
    assert_eq!(Number::ZERO.negated(), Number::ZERO);
    assert!(!Number::ZERO.negated().is_negative());
    assert_eq!(Number::ZERO.negated().to_string(), "0");
}

// ---------------------------------------------------------------------------
// Comparison

#[test]
fn equal_spellings() {
    let groups: &[&[&str]] = &[
        &[
            "1", "1.0", "1E0", "1e0", "+1", "001", "1.000", "10e-1", "0.1e1", "100e-2",
        ],
        &["0", "-0", "+0", "0.0", "0e5", "0e-5", "-0.0e3", "00.00"],
        &["-2.5", "-2.50", "-25e-1", "-0.25e1"],
        &["1000", "1e3", "1E+3", "1000.0", "001000", "+1000"],
        &["1e125", "0.1e126", "100e123"],
        &["1e-130", "10e-131", "0.01e-128"],
    ];
    for group in groups {
        for a in *group {
            for b in *group {
                assert_eq!(n(a), n(b), "{a} = {b}");
                assert_eq!(n(a).cmp(&n(b)), Ordering::Equal, "{a} = {b}");
                assert_eq!(n(a).to_string(), n(b).to_string(), "{a} = {b}");
            }
        }
    }
    // Hashing agrees with equality.
    let set: std::collections::HashSet<Number> = groups[0].iter().map(|t| n(t)).collect();
    assert_eq!(set.len(), 1);
}

#[test]
fn ordering_is_numeric() {
    // Strictly ascending.
    let ascending = [
        "-9.9999999999999999999999999999999999999e125",
        "-1e125",
        "-1e38",
        "-99999999999999999999999999999999999999",
        "-1000",
        "-999",
        "-100.5",
        "-100",
        "-99.99",
        "-10",
        "-9",
        "-1.5",
        "-1.25",
        "-1",
        "-0.99999999999999999999999999999999999999",
        "-0.5",
        "-0.05",
        "-1e-129",
        "-1e-130",
        "0",
        "1e-130",
        "1.1e-130",
        "1e-129",
        "0.001",
        "0.0011",
        "0.01",
        "0.1",
        "0.12",
        "0.123",
        "0.2",
        "0.99999999999999999999999999999999999999",
        "1",
        "1.0000000000000000000000000000000000001",
        "1.1",
        "1.12",
        "1.2",
        "2",
        "9",
        "9.9",
        "10",
        "10.1",
        "11",
        "99",
        "100",
        "101",
        "123",
        "124",
        "1000",
        "1e20",
        "1.0000000000000000000000000000000000001e20",
        "99999999999999999999999999999999999999",
        "1e38",
        "1e100",
        "9e125",
        "9.9e125",
        "9.9999999999999999999999999999999999999e125",
    ];
    let values: Vec<Number> = ascending.iter().map(|t| n(t)).collect();
    for (i, a) in values.iter().enumerate() {
        for (j, b) in values.iter().enumerate() {
            assert_eq!(a.cmp(b), i.cmp(&j), "{} vs {}", ascending[i], ascending[j]);
            assert_eq!(a.partial_cmp(b), Some(i.cmp(&j)));
            assert_eq!(a == b, i == j);
        }
    }
    let mut shuffled = values.clone();
    shuffled.reverse();
    shuffled.sort();
    assert_eq!(shuffled, values);
}

#[test]
fn same_scientific_exponent_different_digit_counts() {
    // Same leading position (1.x e3), digit counts 1 to 38.
    let pairs = [
        ("1000", "1001", Ordering::Less),
        ("1001", "1000.5", Ordering::Greater),
        (
            "1000.5",
            "1000.49999999999999999999999999999999",
            Ordering::Greater,
        ),
        (
            "1234",
            "1234.0000000000000000000000000000000001",
            Ordering::Less,
        ),
        (
            "9000",
            "8999.9999999999999999999999999999999999",
            Ordering::Greater,
        ),
        (
            "5e3",
            "5.0000000000000000000000000000000000001e3",
            Ordering::Less,
        ),
        ("1.5", "1.49", Ordering::Greater),
        ("1.5", "1.51", Ordering::Less),
        ("1.5", "1.50", Ordering::Equal),
        (
            "2",
            "1.9999999999999999999999999999999999999",
            Ordering::Greater,
        ),
        ("-1.5", "-1.49", Ordering::Less),
        ("-1.5", "-1.51", Ordering::Greater),
        (
            "-2",
            "-1.9999999999999999999999999999999999999",
            Ordering::Less,
        ),
        (
            "1e-130",
            "1.0000000000000000000000000000000000001e-130",
            Ordering::Less,
        ),
        (
            "12",
            "12.000000000000000000000000000000000001",
            Ordering::Less,
        ),
        (
            "123e100",
            "1.2300000000000000000000000000000000001e102",
            Ordering::Less,
        ),
    ];
    for (a, b, expected) in pairs {
        assert_eq!(
            n(a).scientific_exponent(),
            n(b).scientific_exponent(),
            "{a} {b}"
        );
        assert_eq!(n(a).cmp(&n(b)), expected, "{a} vs {b}");
        assert_eq!(n(b).cmp(&n(a)), expected.reverse(), "{b} vs {a}");
    }
}

#[test]
fn ordering_across_signs_and_zero() {
    let neg = n("-1e-130");
    let pos = n("1e-130");
    assert!(neg < Number::ZERO);
    assert!(Number::ZERO < pos);
    assert!(neg < pos);
    assert!(n("-1e125") < n("1e-130"));
    assert!(n("-0") >= Number::ZERO && n("-0") <= Number::ZERO);
    // Negative numbers with larger magnitude are smaller.
    assert!(n("-1e125") < n("-9e124"));
    assert!(n("-10") < n("-9.9999999999999999999999999999999999999"));
}

// ---------------------------------------------------------------------------
// Arithmetic (§11.4, rows 141-144)

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
}

fn compute(a: &str, op: Op, b: &str) -> Result<Number, NumberError> {
    match op {
        Op::Add => n(a).checked_add(&n(b)),
        Op::Sub => n(a).checked_sub(&n(b)),
    }
}

#[test]
fn arithmetic_table() {
    use Op::{Add, Sub};
    let nines38 = rep('9', 38);
    let largest = format!("9.{}e125", &nines38[1..]);
    let cases: Vec<(String, Op, String, Result<String, NumberError>)> = vec![
        // Spec §11.4 and rows 141-144.
        (
            "9e125".into(),
            Add,
            "9e125".into(),
            Err(NumberError::Overflow),
        ),
        (
            "9e125".into(),
            Sub,
            "-9e125".into(),
            Err(NumberError::Overflow),
        ),
        (
            "-9e125".into(),
            Sub,
            "9e125".into(),
            Err(NumberError::Overflow),
        ),
        (
            "-9e125".into(),
            Add,
            "-9e125".into(),
            Err(NumberError::Overflow),
        ),
        (
            "9e125".into(),
            Add,
            "9e124".into(),
            Ok(format!("99{}", rep('0', 124))),
        ),
        ("1e50".into(), Add, "1".into(), Err(NumberError::Overflow)),
        ("1e50".into(), Sub, "1".into(), Err(NumberError::Overflow)),
        ("1".into(), Sub, "1e50".into(), Err(NumberError::Overflow)),
        (
            "1".into(),
            Add,
            "10000000000000000000000".into(),
            Ok("10000000000000000000001".into()),
        ),
        (
            "10000000000000000000000".into(),
            Sub,
            "1".into(),
            Ok("9999999999999999999999".into()),
        ),
        ("100".into(), Add, "-88.3".into(), Ok("11.7".into())),
        ("11.7".into(), Add, "25.41".into(), Ok("37.11".into())),
        // Cancellation.
        ("1e38".into(), Sub, nines38.clone(), Ok("1".into())),
        (nines38.clone(), Sub, "1e38".into(), Ok("-1".into())),
        (
            nines38.clone(),
            Add,
            "1".into(),
            Ok(format!("1{}", rep('0', 38))),
        ),
        (
            nines38.clone(),
            Add,
            "0.1".into(),
            Err(NumberError::Overflow),
        ),
        (nines38.clone(), Sub, nines38.clone(), Ok("0".into())),
        (format!("-{nines38}"), Add, nines38.clone(), Ok("0".into())),
        (
            format!("0.{nines38}"),
            Add,
            format!("0.{}1", rep('0', 37)),
            Ok("1".into()),
        ),
        (
            "1.0000000000000000000000000000000000001".into(),
            Sub,
            "1".into(),
            Ok(format!("0.{}1", rep('0', 36))),
        ),
        // Exact decimals, not binary floats.
        ("0.1".into(), Add, "0.2".into(), Ok("0.3".into())),
        ("0.3".into(), Sub, "0.1".into(), Ok("0.2".into())),
        ("1.1".into(), Add, "2.2".into(), Ok("3.3".into())),
        ("0.5".into(), Add, "0.5".into(), Ok("1".into())),
        ("-1.5".into(), Add, "0.25".into(), Ok("-1.25".into())),
        ("5".into(), Add, "5".into(), Ok("10".into())),
        ("-5".into(), Add, "5".into(), Ok("0".into())),
        ("5".into(), Sub, "5".into(), Ok("0".into())),
        ("-5".into(), Sub, "-5".into(), Ok("0".into())),
        ("2".into(), Sub, "3".into(), Ok("-1".into())),
        ("-2".into(), Sub, "-3".into(), Ok("1".into())),
        ("1e3".into(), Add, "1".into(), Ok("1001".into())),
        ("1e-3".into(), Add, "1e3".into(), Ok("1000.001".into())),
        // 38 digits exactly fits, 39 does not.
        (
            "1e20".into(),
            Add,
            "1e-17".into(),
            Ok(format!("1{}.{}1", rep('0', 20), rep('0', 16))),
        ),
        (
            "1e20".into(),
            Add,
            "1e-18".into(),
            Err(NumberError::Overflow),
        ),
        (
            "12345678901234567890123456789012345678".into(),
            Add,
            "1".into(),
            Ok("12345678901234567890123456789012345679".into()),
        ),
        (
            "12345678901234567890123456789012345678".into(),
            Add,
            "0.1".into(),
            Err(NumberError::Overflow),
        ),
        // Range of the result.
        (
            largest.clone(),
            Add,
            "1e88".into(),
            Err(NumberError::Overflow),
        ),
        (
            largest.clone(),
            Sub,
            "1e88".into(),
            Ok(format!("{}8{}", rep('9', 37), rep('0', 88))),
        ),
        (largest.clone(), Sub, largest.clone(), Ok("0".into())),
        (
            "5e125".into(),
            Add,
            "5e125".into(),
            Err(NumberError::Overflow),
        ),
        (
            "5e125".into(),
            Add,
            "4.9e125".into(),
            Ok(format!("99{}", rep('0', 124))),
        ),
        ("1e125".into(), Sub, "1e125".into(), Ok("0".into())),
        (
            "1e125".into(),
            Add,
            "1e-130".into(),
            Err(NumberError::Overflow),
        ),
        (
            "1.1e-130".into(),
            Sub,
            "1e-130".into(),
            Err(NumberError::Underflow),
        ),
        (
            "1e-130".into(),
            Sub,
            "1.1e-130".into(),
            Err(NumberError::Underflow),
        ),
        (
            "2e-130".into(),
            Sub,
            "1e-130".into(),
            Ok(format!("0.{}1", rep('0', 129))),
        ),
        (
            "1e-130".into(),
            Add,
            "1e-130".into(),
            Ok(format!("0.{}2", rep('0', 129))),
        ),
        (
            "1e-129".into(),
            Sub,
            "9e-130".into(),
            Ok(format!("0.{}1", rep('0', 129))),
        ),
        (
            "1e-129".into(),
            Sub,
            "9.1e-130".into(),
            Err(NumberError::Underflow),
        ),
        // Zero operands.
        ("0".into(), Add, "0".into(), Ok("0".into())),
        ("0".into(), Sub, "7.5".into(), Ok("-7.5".into())),
        ("7.5".into(), Sub, "0".into(), Ok("7.5".into())),
        (
            "0".into(),
            Add,
            largest.clone(),
            Ok(format!("{nines38}{}", rep('0', 88))),
        ),
        (
            "0".into(),
            Sub,
            largest.clone(),
            Ok(format!("-{nines38}{}", rep('0', 88))),
        ),
        (
            "1e-130".into(),
            Add,
            "0".into(),
            Ok(format!("0.{}1", rep('0', 129))),
        ),
    ];
    let mut failures = Vec::new();
    for (a, op, b, expected) in &cases {
        let got = compute(a, *op, b).map(|v| v.to_string());
        let sign = match op {
            Op::Add => "+",
            Op::Sub => "-",
        };
        if &got != expected {
            failures.push(format!(
                "{a} {sign} {b}: expected {expected:?}, got {got:?}"
            ));
        }
        // Addition commutes; subtraction is addition of the negation.
        if let Op::Add = op {
            let swapped = compute(b, Op::Add, a).map(|v| v.to_string());
            if &swapped != expected {
                failures.push(format!("{b} + {a}: expected {expected:?}, got {swapped:?}"));
            }
        } else {
            let via_add = n(a).checked_add(&n(b).negated()).map(|v| v.to_string());
            if &via_add != expected {
                failures.push(format!(
                    "{a} + -({b}): expected {expected:?}, got {via_add:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn arithmetic_errors_carry_dynamodbs_messages() {
    let e = n("1e50").checked_add(&n("1")).unwrap_err();
    assert_eq!(e.to_string(), OVERFLOW);
    let api: dynacond::Error = e.into();
    assert_eq!(api.type_name(), "ValidationException");
    assert_eq!(api.message(), OVERFLOW);
    let e = n("1.1e-130").checked_sub(&n("1e-130")).unwrap_err();
    assert_eq!(e.to_string(), UNDERFLOW);
}

#[test]
fn zero_results_are_plain_zero() {
    for (a, b) in [
        ("5", "-5"),
        ("-1e-130", "1e-130"),
        ("-9e125", "9e125"),
        ("1.5", "-1.50"),
    ] {
        let sum = n(a).checked_add(&n(b)).unwrap();
        assert!(sum.is_zero());
        assert!(!sum.is_negative());
        assert_eq!(sum, Number::ZERO);
        assert_eq!(sum.to_string(), "0");
        assert_eq!(sum.storage_size(), 1);
    }
}

// ---------------------------------------------------------------------------
// Storage size (§11.5)

/// `1 + ceil(d/2) + (1 if d even and e even) + (1 if negative)`; zero is 1.
fn formula_size(d: u32, e: i64, negative: bool) -> usize {
    let mut size = 1 + d.div_ceil(2) as usize;
    if d % 2 == 0 && e % 2 == 0 {
        size += 1;
    }
    if negative {
        size += 1;
    }
    size
}

#[test]
fn storage_size_examples() {
    for (text, size) in [
        ("0", 1),
        ("-0", 1),
        ("1", 2),
        ("-1", 3),
        ("9", 2),
        ("10", 2),
        ("12", 2),
        ("99", 2),
        ("100", 2),
        ("123", 3),
        ("1234", 3),
        ("12345", 4),
        ("1.2", 3),
        ("-1.2", 4),
        ("0.012", 3),
        ("0.12", 2),
        ("0.1", 2),
        ("1.5", 3),
        ("12.5", 3),
        ("1e125", 2),
        ("1e-130", 2),
        ("99999999999999999999999999999999999999", 20),
        ("9.9999999999999999999999999999999999999", 21),
        ("-9.9999999999999999999999999999999999999e125", 21),
    ] {
        assert_eq!(n(text).storage_size(), size, "{text}");
        assert_eq!(AttributeValue::N(n(text)).size(), size, "{text}");
    }
}

#[test]
fn storage_size_matches_the_formula() {
    let mut checked = 0;
    // Every digit count, many exponents in range, both signs; digit patterns
    // ending in a non-zero digit so that d is exact.
    for d in 1..=38u32 {
        for e in (-130..=125i64).step_by(1) {
            if e - i64::from(d) + 1 < -130 {
                continue;
            }
            let mut digits = String::from("7");
            for i in 1..d {
                digits.push(if i + 1 == d {
                    '3'
                } else {
                    char::from(b'0' + (i % 10) as u8)
                });
            }
            for negative in [false, true] {
                let text = format!(
                    "{}{digits}e{}",
                    if negative { "-" } else { "" },
                    e - i64::from(d) + 1
                );
                let v = n(&text);
                assert_eq!(v.significant_digits(), d, "{text}");
                assert_eq!(v.scientific_exponent(), e, "{text}");
                assert_eq!(
                    v.storage_size(),
                    formula_size(d, e, negative),
                    "{text} (d={d}, e={e})"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
    assert_eq!(Number::ZERO.storage_size(), 1);
}

// ---------------------------------------------------------------------------
// Integers

#[test]
fn from_i64_and_to_i64_round_trip() {
    let mut values = vec![
        0,
        1,
        -1,
        9,
        10,
        -10,
        100,
        -1200,
        123_456_789,
        1_000_000_000_000_000_000,
        -1_000_000_000_000_000_000,
        i64::MAX,
        i64::MIN,
        i64::MAX - 1,
        i64::MIN + 1,
        i64::from(i32::MAX),
        i64::from(i32::MIN),
    ];
    // A deterministic spread of values of every magnitude.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..2000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let shift = (x % 64) as u32;
        values.push((x as i64) >> shift);
    }
    for v in values {
        let num = Number::from(v);
        assert_eq!(num.to_i64(), Some(v), "{v}");
        assert_eq!(num.to_string(), v.to_string(), "{v}");
        assert_eq!(n(&v.to_string()), num, "{v}");
        assert_eq!(num.is_negative(), v < 0);
        assert_eq!(AttributeValue::n(v), AttributeValue::N(num));
    }
}

#[test]
fn other_integer_conversions() {
    assert_eq!(Number::from(u64::MAX).to_string(), u64::MAX.to_string());
    assert_eq!(Number::from(u64::MAX).to_i64(), None);
    assert_eq!(Number::from(i64::MAX as u64 + 1).to_i64(), None);
    assert_eq!(Number::from(i64::MAX as u64).to_i64(), Some(i64::MAX));
    assert_eq!(Number::from(-7i8).to_string(), "-7");
    assert_eq!(Number::from(i8::MIN).to_string(), "-128");
    assert_eq!(Number::from(i16::MIN).to_string(), "-32768");
    assert_eq!(Number::from(i32::MIN).to_string(), "-2147483648");
    assert_eq!(Number::from(255u8).to_string(), "255");
    assert_eq!(Number::from(65535u16).to_string(), "65535");
    assert_eq!(Number::from(u32::MAX).to_string(), "4294967295");
    assert_eq!(Number::from(12usize).to_string(), "12");
    assert_eq!(Number::from(0u64), Number::ZERO);
    assert_eq!(Number::from(1000i32), n("1e3"));
}

#[test]
fn to_i64_rejects_fractions_and_out_of_range() {
    for text in [
        "1.5",
        "-0.5",
        "1e-5",
        "1e-130",
        "9223372036854775808",
        "-9223372036854775809",
        "1e19",
        "1e30",
        "-1e125",
        "9223372036854775807.5",
    ] {
        assert_eq!(n(text).to_i64(), None, "{text}");
    }
    for (text, v) in [
        ("1e3", 1000),
        ("1.5e1", 15),
        ("1e18", 1_000_000_000_000_000_000),
        ("-1e18", -1_000_000_000_000_000_000),
        ("9223372036854775807", i64::MAX),
        ("-9223372036854775808", i64::MIN),
        ("-0", 0),
        ("100.000", 100),
    ] {
        assert_eq!(n(text).to_i64(), Some(v), "{text}");
    }
}
