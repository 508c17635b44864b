//! Table-driven tests for DynamoDB JSON (§9), the error layering, item size
//! (§13), `validate_item` and plain JSON conversions.

use std::collections::BTreeSet;

use dynacond::{AttributeValue, Error, Item, Map, Number, item_size, validate_item, wire};
use indexmap::IndexMap;
use serde_json::json;

const VE: &str = "ValidationException";
const SE: &str = "SerializationException";

const EMPTY_VALUE: &str =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
const TWO_TYPES: &str = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
const NULL_FALSE: &str = "One or more parameter values were invalid: Null attribute value types must have the value of true";
const EMPTY_SS: &str = "One or more parameter values were invalid: An string set  may not be empty";
const EMPTY_NS: &str = "One or more parameter values were invalid: An number set  may not be empty";
const EMPTY_BS: &str = "One or more parameter values were invalid: Binary sets should not be empty";
const NUMBER_AS_STRING: &str = "NUMBER_VALUE cannot be converted to String";
const NESTING: &str = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";
const ITEM_TOO_BIG: &str = "Item size has exceeded the maximum allowed size";
const OVERFLOW: &str =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";

fn num(text: &str) -> Number {
    text.parse().unwrap()
}

fn nv(text: &str) -> AttributeValue {
    AttributeValue::N(num(text))
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::s(text)
}

fn map(entries: &[(&str, AttributeValue)]) -> Map {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn decode(json: &str) -> AttributeValue {
    wire::value_from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{json}: {e:?}"))
}

fn decode_err(json: &str) -> Error {
    match wire::value_from_json(json.as_bytes()) {
        Ok(v) => panic!("{json} should fail, decoded {v:?}"),
        Err(e) => e,
    }
}

fn item_err(json: &str) -> Error {
    match wire::item_from_json(json.as_bytes()) {
        Ok(v) => panic!("{json} should fail, decoded {v:?}"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------
// Round trips

#[test]
fn every_type_round_trips_with_exact_encoding() {
    let cases: Vec<(AttributeValue, &str)> = vec![
        (s("x"), r#"{"S":"x"}"#),
        (s(""), r#"{"S":""}"#),
        (s("a\u{0}b\"\\ é 😀"), r#"{"S":"a\u0000b\"\\ é 😀"}"#),
        (nv("1e3"), r#"{"N":"1000"}"#),
        (nv("-0.50"), r#"{"N":"-0.5"}"#),
        (nv("0"), r#"{"N":"0"}"#),
        (AttributeValue::B(vec![]), r#"{"B":""}"#),
        (AttributeValue::B(b"b".to_vec()), r#"{"B":"Yg=="}"#),
        (
            AttributeValue::B(vec![0, 255, 128, 1]),
            r#"{"B":"AP+AAQ=="}"#,
        ),
        (
            AttributeValue::Ss(["b".to_owned(), "a".to_owned(), "".to_owned()].into()),
            r#"{"SS":["","a","b"]}"#,
        ),
        (
            AttributeValue::Ns([num("10"), num("9"), num("-1"), num("0.5")].into()),
            r#"{"NS":["-1","0.5","9","10"]}"#,
        ),
        (
            AttributeValue::Bs([b"b".to_vec(), vec![], vec![0xff]].into()),
            r#"{"BS":["","Yg==","/w=="]}"#,
        ),
        (AttributeValue::Bool(true), r#"{"BOOL":true}"#),
        (AttributeValue::Bool(false), r#"{"BOOL":false}"#),
        (AttributeValue::Null, r#"{"NULL":true}"#),
        (AttributeValue::L(vec![]), r#"{"L":[]}"#),
        (AttributeValue::M(Map::new()), r#"{"M":{}}"#),
        (
            AttributeValue::L(vec![s("a"), nv("1"), AttributeValue::Null]),
            r#"{"L":[{"S":"a"},{"N":"1"},{"NULL":true}]}"#,
        ),
        (
            AttributeValue::M(map(&[("z", nv("1")), ("a", s("x"))])),
            r#"{"M":{"z":{"N":"1"},"a":{"S":"x"}}}"#,
        ),
    ];
    for (value, json) in cases {
        assert_eq!(wire::value_to_json(&value), json, "{value:?}");
        assert_eq!(decode(json), value, "{json}");
        // Through serde directly too.
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        assert_eq!(serde_json::from_str::<AttributeValue>(json).unwrap(), value);
        // Debug output is the DynamoDB JSON.
        assert_eq!(format!("{value:?}"), json);
    }
}

#[test]
fn decoding_normalises_and_accepts_any_member_order() {
    assert_eq!(decode(r#"{"N": "001.50"}"#), nv("1.5"));
    assert_eq!(
        wire::value_to_json(&decode(r#"{"N": "1E+3"}"#)),
        r#"{"N":"1000"}"#
    );
    assert_eq!(
        decode(r#"{"SS": ["b", "a"]}"#),
        decode(r#"{"SS": ["a", "b"]}"#)
    );
    assert_eq!(
        decode(r#"{"NS": ["2.50", "1"]}"#),
        decode(r#"{"NS": ["1.0", "2.5"]}"#)
    );
    // Whitespace between tokens is JSON's business.
    assert_eq!(decode(" {\n\t\"S\" :\r \"x\" } "), s("x"));
}

#[test]
fn item_round_trip_keeps_attribute_order() {
    let json = r#"{"pk":{"S":"user#1"},"n":{"N":"-12.5"},"z":{"BOOL":true},"a":{"L":[{"M":{"k":{"SS":["x"]}}}]}}"#;
    let item = wire::item_from_json(json.as_bytes()).unwrap();
    let names: Vec<&str> = item.keys().map(String::as_str).collect();
    assert_eq!(names, ["pk", "n", "z", "a"]);
    assert_eq!(wire::item_to_json(&item), json);
    // from_str / from_slice / from_value agree.
    let a: Item = wire::from_str(json).unwrap();
    let b: Item = wire::from_slice(json.as_bytes()).unwrap();
    let c: Item = wire::from_value(serde_json::from_str(json).unwrap()).unwrap();
    assert_eq!(a, item);
    assert_eq!(b, item);
    assert_eq!(c, item);
    assert_eq!(wire::item_from_json(b"{}").unwrap(), Item::new());
    assert_eq!(wire::item_to_json(&Item::new()), "{}");
}

#[test]
fn item_and_map_equality_ignore_order() {
    let a = wire::item_from_json(
        br#"{"a": {"N": "1"}, "b": {"M": {"x": {"S": "1"}, "y": {"S": "2"}}}}"#,
    )
    .unwrap();
    let b = wire::item_from_json(
        br#"{"b": {"M": {"y": {"S": "2"}, "x": {"S": "1"}}}, "a": {"N": "1.0"}}"#,
    )
    .unwrap();
    assert_eq!(a, b);
}

#[test]
fn nested_values_in_lists_and_maps() {
    let json = r##"{"M": {
        "list": {"L": [
            {"S": "a"}, {"N": "1.50"}, {"B": "AAE="}, {"SS": ["x", "y"]}, {"NS": ["1", "2"]},
            {"BS": ["AA=="]}, {"BOOL": false}, {"NULL": true}, {"L": [{"L": []}, {"M": {}}]},
            {"M": {"deep": {"M": {"deeper": {"L": [{"N": "-7"}]}}}}}
        ]},
        "map": {"M": {"with.dot": {"S": "ok"}, "": {"S": "empty key"}, "#:x": {"N": "0"}}}
    }}"##;
    let expected = AttributeValue::M(map(&[
        (
            "list",
            AttributeValue::L(vec![
                s("a"),
                nv("1.5"),
                AttributeValue::B(vec![0, 1]),
                AttributeValue::Ss(["x".to_owned(), "y".to_owned()].into()),
                AttributeValue::Ns([num("1"), num("2")].into()),
                AttributeValue::Bs([vec![0]].into()),
                AttributeValue::Bool(false),
                AttributeValue::Null,
                AttributeValue::L(vec![
                    AttributeValue::L(vec![]),
                    AttributeValue::M(Map::new()),
                ]),
                AttributeValue::M(map(&[(
                    "deep",
                    AttributeValue::M(map(&[("deeper", AttributeValue::L(vec![nv("-7")]))])),
                )])),
            ]),
        ),
        (
            "map",
            AttributeValue::M(map(&[
                ("with.dot", s("ok")),
                ("", s("empty key")),
                ("#:x", nv("0")),
            ])),
        ),
    ]));
    let got = decode(json);
    assert_eq!(got, expected);
    assert_eq!(decode(&wire::value_to_json(&got)), expected);
    assert_eq!(expected.nesting_depth(), 5);
}

#[test]
fn binary_round_trip_of_arbitrary_bytes() {
    let all: Vec<u8> = (0..=255).collect();
    let mut samples: Vec<Vec<u8>> = vec![vec![], all.clone(), all.iter().rev().copied().collect()];
    for len in 0..=20usize {
        samples.push((0..len).map(|i| (i * 37 + len) as u8).collect());
        samples.push(vec![0; len]);
        samples.push(vec![0xff; len]);
    }
    // Deterministic pseudo-random blobs.
    let mut x: u32 = 12345;
    for len in [1, 2, 3, 4, 5, 63, 64, 65, 1000, 4097] {
        samples.push(
            (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8
                })
                .collect(),
        );
    }
    for bytes in &samples {
        let value = AttributeValue::B(bytes.clone());
        let json = wire::value_to_json(&value);
        assert_eq!(decode(&json), value, "{} bytes", bytes.len());
        assert_eq!(value.size(), bytes.len());
    }
    let set: BTreeSet<Vec<u8>> = samples.iter().cloned().collect();
    let value = AttributeValue::Bs(set);
    assert_eq!(decode(&wire::value_to_json(&value)), value);
}

// ---------------------------------------------------------------------------
// Malformed values: one row per rule, exact type and message

#[test]
fn malformed_values_exact_errors() {
    let cases: &[(&str, &str, &str)] = &[
        ("{}", VE, EMPTY_VALUE),
        (r#"{"X": 1}"#, VE, EMPTY_VALUE),
        (r#"{"s": "lowercase type key"}"#, VE, EMPTY_VALUE),
        (r#"{"S": null}"#, VE, EMPTY_VALUE),
        (r#"{"NULL": null}"#, VE, EMPTY_VALUE),
        (r#"{"S": null, "N": null, "X": null}"#, VE, EMPTY_VALUE),
        (r#"{"S": "a", "N": "1"}"#, VE, TWO_TYPES),
        (r#"{"NULL": true, "BOOL": false}"#, VE, TWO_TYPES),
        (r#"{"L": [], "M": {}}"#, VE, TWO_TYPES),
        (
            r#"{"SS": ["a"], "NS": ["1"], "BS": ["AA=="]}"#,
            VE,
            TWO_TYPES,
        ),
        (r#"{"NULL": false}"#, VE, NULL_FALSE),
        (r#"{"SS": []}"#, VE, EMPTY_SS),
        (r#"{"NS": []}"#, VE, EMPTY_NS),
        (r#"{"BS": []}"#, VE, EMPTY_BS),
        (
            r#"{"SS": ["a", "a"]}"#,
            VE,
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
        ),
        (
            r#"{"NS": ["1", "1"]}"#,
            VE,
            "Input collection contains duplicates",
        ),
        (
            r#"{"NS": ["1", "1.0"]}"#,
            VE,
            "Input collection contains duplicates",
        ),
        (
            r#"{"NS": ["1e3", "1000", "5"]}"#,
            VE,
            "Input collection contains duplicates",
        ),
        (
            r#"{"NS": ["-0", "0"]}"#,
            VE,
            "Input collection contains duplicates",
        ),
        (
            r#"{"BS": ["Yg==", "Yg=="]}"#,
            VE,
            "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.",
        ),
        (
            r#"{"N": "dog"}"#,
            VE,
            "The parameter cannot be converted to a numeric value: dog",
        ),
        (
            r#"{"N": " 1"}"#,
            VE,
            "The parameter cannot be converted to a numeric value:  1",
        ),
        (
            r#"{"N": ""}"#,
            VE,
            "The parameter cannot be converted to a numeric value",
        ),
        (r#"{"N": "1e126"}"#, VE, OVERFLOW),
        (
            r#"{"N": "1e-131"}"#,
            VE,
            "Number underflow. Attempting to store a number with magnitude smaller than supported range",
        ),
        (
            r#"{"N": "1234567890123456789012345678901234567890"}"#,
            VE,
            "Attempting to store more than 38 significant digits in a Number",
        ),
        (
            r#"{"NS": ["1", "NaN"]}"#,
            VE,
            "The parameter cannot be converted to a numeric value: NaN",
        ),
        (r#"{"N": 123}"#, SE, NUMBER_AS_STRING),
        (r#"{"N": -1}"#, SE, NUMBER_AS_STRING),
        (r#"{"N": 1.5}"#, SE, NUMBER_AS_STRING),
        (r#"{"N": 1e400}"#, SE, ""),
        (r#"{"S": 5}"#, SE, NUMBER_AS_STRING),
        (r#"{"NS": [1]}"#, SE, NUMBER_AS_STRING),
        (r#"{"NS": ["1", 2]}"#, SE, NUMBER_AS_STRING),
        (r#"{"SS": ["a", 1]}"#, SE, NUMBER_AS_STRING),
        (
            r#"{"S": true}"#,
            SE,
            "BOOLEAN_VALUE cannot be converted to String",
        ),
        (r#"{"B": 1}"#, SE, NUMBER_AS_STRING),
    ];
    let mut failures = Vec::new();
    for (json, kind, message) in cases {
        match wire::value_from_json(json.as_bytes()) {
            Ok(v) => failures.push(format!("{json}: decoded {v:?}")),
            Err(e) => {
                if e.type_name() != *kind || (!message.is_empty() && e.message() != *message) {
                    failures.push(format!(
                        "{json}: expected {kind} {message:?}, got {} {:?}",
                        e.type_name(),
                        e.message()
                    ));
                }
                match (&e, *kind) {
                    (Error::Validation(_), VE)
                    | (Error::Serialization(_) | Error::MalformedJson, SE) => {}
                    _ => failures.push(format!("{json}: wrong variant {e:?}")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shape_errors_are_serialization_exceptions() {
    let cases = [
        // Bad base64: symbols outside the standard alphabet, impossible
        // lengths, broken padding.
        r#"{"B": "!!"}"#,
        r#"{"B": "Y"}"#,
        r#"{"B": "Yg="}"#,
        r#"{"B": "Y==="}"#,
        r#"{"B": "Yg== "}"#,
        r#"{"B": "ab_-"}"#,
        r#"{"BS": ["Yg==", "%%%%"]}"#,
        // Wrong JSON types for a member.
        r#"{"S": {}}"#,
        r#"{"S": []}"#,
        r#"{"BOOL": "true"}"#,
        r#"{"BOOL": 1}"#,
        r#"{"NULL": "true"}"#,
        r#"{"NULL": 1}"#,
        r#"{"L": {}}"#,
        r#"{"L": "x"}"#,
        r#"{"L": [1]}"#,
        r#"{"L": ["x"]}"#,
        r#"{"M": []}"#,
        r#"{"M": {"a": 1}}"#,
        r#"{"M": {"a": "x"}}"#,
        r#"{"SS": "a"}"#,
        r#"{"SS": {}}"#,
        r#"{"NS": "1"}"#,
        r#"{"BS": "Yg=="}"#,
        r#"{"SS": [null]}"#,
        // Not an object at all.
        r#""S""#,
        "[]",
        "1",
        "true",
        "null",
        // Malformed JSON.
        "",
        " ",
        "{",
        r#"{"S": "a""#,
        r#"{"S": "a"}}"#,
        r#"{"S": "a"} x"#,
        r#"{"S": 'a'}"#,
        r#"{S: "a"}"#,
        r#"{"S": "a",}"#,
        r#"{"S" "a"}"#,
        "nope",
        r#"{"S": "\x"}"#,
    ];
    let mut failures = Vec::new();
    for json in cases {
        match wire::value_from_json(json.as_bytes()) {
            Ok(v) => failures.push(format!("{json}: decoded {v:?}")),
            Err(e) if e.type_name() == SE => {
                // serde_json's position suffix is not part of DynamoDB's message.
                if e.message().contains(" at line ") {
                    failures.push(format!("{json}: message has a position: {}", e.message()));
                }
            }
            Err(e) => failures.push(format!("{json}: expected {SE}, got {e:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Invalid UTF-8 is a shape error too.
    let e = wire::value_from_json(b"{\"S\": \"\xff\"}").unwrap_err();
    assert_eq!(e.type_name(), SE);
}

#[test]
fn unknown_members_are_ignored_and_null_members_are_absent() {
    for (json, expected) in [
        (r#"{"S": "a", "X": 1}"#, s("a")),
        (r#"{"X": {"deep": [1, 2, {"y": null}]}, "S": "a"}"#, s("a")),
        (r#"{"S": null, "N": "1"}"#, nv("1")),
        (r#"{"N": "1", "S": null}"#, nv("1")),
        (
            r#"{"SS": null, "BOOL": true, "L": null}"#,
            AttributeValue::Bool(true),
        ),
        (r#"{"NULL": true, "Extra": "x"}"#, AttributeValue::Null),
        (
            r#"{"L": [{"S": "a", "unknown": false}]}"#,
            AttributeValue::L(vec![s("a")]),
        ),
    ] {
        assert_eq!(decode(json), expected, "{json}");
    }
}

#[test]
fn type_keys_are_case_sensitive() {
    for key in [
        "s", "n", "b", "ss", "Ss", "bool", "Bool", "null", "l", "m", "NUL", "SSS",
    ] {
        let json = format!(r#"{{"{key}": "x"}}"#);
        let e = decode_err(&json);
        assert_eq!(e.message(), EMPTY_VALUE, "{json}");
    }
}

#[test]
fn serde_json_number_keeps_dynamodb_message() {
    // The spec's example: {"N": 123} inside an item and inside a placeholder map.
    let e = item_err(r#"{"a": {"N": 123}}"#);
    assert_eq!(e, Error::Serialization(NUMBER_AS_STRING.into()));
    let e =
        wire::from_str::<IndexMap<String, AttributeValue>>(r#"{":v": {"N": 123}}"#).unwrap_err();
    assert_eq!(e, Error::Serialization(NUMBER_AS_STRING.into()));
    let e = wire::from_value::<IndexMap<String, AttributeValue>>(json!({":v": {"N": 123}}))
        .unwrap_err();
    assert_eq!(e, Error::Serialization(NUMBER_AS_STRING.into()));
    assert_eq!(
        e.wire_type(),
        "com.amazon.coral.service#SerializationException"
    );
}

// ---------------------------------------------------------------------------
// Layering: a serialization error anywhere beats a validation error anywhere

#[test]
fn serialization_errors_win_over_earlier_validation_errors() {
    let cases = [
        r#"{"a": {"SS": []}, "b": {"N": 5}}"#,
        r#"{"a": {"NULL": false}, "b": {"B": "!!"}}"#,
        r#"{"a": {}, "b": {"S": true}}"#,
        r#"{"a": {"S": "x", "N": "1"}, "b": {"L": {}}}"#,
        r#"{"a": {"N": "dog"}, "b": {"N": 1}}"#,
        r#"{"a": {"NS": ["1", "1"]}, "b": {"M": []}}"#,
        // Nested: the validation error deep in a list, the shape error later.
        r#"{"a": {"L": [{"SS": []}, {"M": {"x": {"N": "1e999"}}}]}, "b": {"L": [{"S": 1}]}}"#,
        // Within one list.
        r#"{"a": {"L": [{"NULL": false}, {"S": 5}]}}"#,
        // Within one map.
        r#"{"a": {"M": {"x": {"BS": []}, "y": {"BOOL": "no"}}}}"#,
        // Within one value: a bad type key's value after a content problem.
        r#"{"a": {"NS": [], "X": 1, "B": "?"}}"#,
        // Validation error, then malformed JSON.
        r#"{"a": {"SS": []}, "b": {"S": "x"}"#,
        r#"{"a": {"SS": []}} trailing"#,
    ];
    for json in cases {
        let e = item_err(json);
        assert_eq!(e.type_name(), SE, "{json}: {e:?}");
    }
}

#[test]
fn validation_error_reported_when_the_shape_is_right() {
    // The first content error in document order is reported.
    let e = item_err(r#"{"a": {"SS": []}, "b": {"NULL": false}}"#);
    assert_eq!(e, Error::Validation(EMPTY_SS.into()));
    let e = item_err(r#"{"b": {"NULL": false}, "a": {"SS": []}}"#);
    assert_eq!(e, Error::Validation(NULL_FALSE.into()));
    let e = item_err(r#"{"a": {"L": [{"S": "ok"}, {"M": {"k": {"NS": []}}}]}}"#);
    assert_eq!(e, Error::Validation(EMPTY_NS.into()));
    let e = item_err(r#"{"a": {"S": "ok"}, "b": {}}"#);
    assert_eq!(e, Error::Validation(EMPTY_VALUE.into()));
    // Serialization error before the validation error: still serialization.
    let e = item_err(r#"{"a": {"N": 1}, "b": {"SS": []}}"#);
    assert_eq!(e.type_name(), SE);
}

#[test]
fn layered_decode_does_not_leak_into_plain_serde() {
    // A layered decode that found a content error...
    let e = wire::item_from_json(br#"{"a": {"SS": []}}"#).unwrap_err();
    assert_eq!((e.type_name(), e.message()), (VE, EMPTY_SS));
    // ...leaves plain serde reporting content errors immediately.
    let e = serde_json::from_str::<AttributeValue>(r#"{"SS": []}"#).unwrap_err();
    assert!(
        e.to_string().contains("string set  may not be empty"),
        "{e}"
    );
    let e = wire::item_from_json(br#"{"a": {"N": 5}}"#).unwrap_err();
    assert_eq!((e.type_name(), e.message()), (SE, NUMBER_AS_STRING));
    let e = serde_json::from_str::<AttributeValue>(r#"{"NULL": false}"#).unwrap_err();
    assert!(e.to_string().contains("Null attribute value"), "{e}");
    // And a clean layered decode after a failed one is clean.
    assert!(wire::item_from_json(br#"{"a": {"S": "x"}}"#).is_ok());
}

/// A type whose deserialisation panics, to check the layered decoder cleans up.
struct Explodes;

impl<'de> serde::Deserialize<'de> for Explodes {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        panic!("deserialisation panicked on purpose")
    }
}

#[test]
fn panicking_layered_decode_does_not_break_plain_serde() {
    let result = std::panic::catch_unwind(|| wire::from_str::<Explodes>("1"));
    assert!(result.is_err());
    // Plain serde must still report content errors (wire.rs: "Restores the
    // previous sink state, even if deserialisation panics").
    let plain = serde_json::from_str::<AttributeValue>(r#"{"SS": []}"#);
    assert!(
        plain.is_err(),
        "plain serde decoded an empty set as {plain:?}"
    );
}

#[test]
fn placeholder_maps_decode_with_layering() {
    let values: IndexMap<String, AttributeValue> =
        wire::from_str(r#"{":a": {"S": "x"}, ":b": {"N": "1.0"}}"#).unwrap();
    assert_eq!(values[":a"], s("x"));
    assert_eq!(values[":b"], nv("1"));
    let e =
        wire::from_str::<IndexMap<String, AttributeValue>>(r#"{":a": {"SS": []}}"#).unwrap_err();
    assert_eq!(e, Error::Validation(EMPTY_SS.into()));
    let e = wire::from_str::<IndexMap<String, AttributeValue>>(
        r#"{":a": {"SS": []}, ":b": {"B": "%"}}"#,
    )
    .unwrap_err();
    assert_eq!(e.type_name(), SE);
}

// ---------------------------------------------------------------------------
// Item size (§13)

fn item(entries: &[(&str, AttributeValue)]) -> Item {
    map(entries)
}

#[test]
fn item_size_docs_example() {
    let it = item(&[("shirt-color", s("R")), ("shirt-size", s("M"))]);
    assert_eq!(item_size(&it), 23);
    let decoded =
        wire::item_from_json(br#"{"shirt-color": {"S": "R"}, "shirt-size": {"S": "M"}}"#).unwrap();
    assert_eq!(item_size(&decoded), 23);
}

#[test]
fn value_sizes() {
    let cases: Vec<(AttributeValue, usize)> = vec![
        (s(""), 0),
        (s("abc"), 3),
        (s("héllo"), 6),
        (s("😀"), 4),
        (s("\u{0}"), 1),
        (AttributeValue::B(vec![]), 0),
        (AttributeValue::B(vec![1, 2, 3]), 3),
        (nv("0"), 1),
        (nv("1"), 2),
        (nv("-1"), 3),
        (nv("12345"), 4),
        (nv("1.5"), 3),
        (AttributeValue::Bool(true), 1),
        (AttributeValue::Bool(false), 1),
        (AttributeValue::Null, 1),
        (
            AttributeValue::Ss(["a".to_owned(), "bc".to_owned(), "déf".to_owned()].into()),
            1 + 2 + 4,
        ),
        (
            AttributeValue::Ns([num("1"), num("-1"), num("12345")].into()),
            2 + 3 + 4,
        ),
        (AttributeValue::Bs([vec![1], vec![1, 2], vec![]].into()), 3),
        (AttributeValue::L(vec![]), 3),
        (AttributeValue::M(Map::new()), 3),
        (
            AttributeValue::L(vec![nv("1"), s("ab")]),
            3 + (1 + 2) + (1 + 2),
        ),
        (
            AttributeValue::L(vec![AttributeValue::Null; 10]),
            3 + 10 * 2,
        ),
        (AttributeValue::M(map(&[("k", s("v"))])), 3 + 1 + 1 + 1),
        (
            AttributeValue::M(map(&[("ké", nv("12")), ("x", AttributeValue::Bool(true))])),
            3 + (1 + 3 + 2) + (1 + 1 + 1),
        ),
        (
            AttributeValue::L(vec![AttributeValue::L(vec![AttributeValue::M(map(&[(
                "a",
                s("b"),
            )]))])]),
            3 + 1 + (3 + 1 + (3 + 1 + 1 + 1)),
        ),
    ];
    for (value, size) in cases {
        assert_eq!(value.size(), size, "{value:?}");
        let it = item(&[("name", value.clone())]);
        assert_eq!(item_size(&it), 4 + size, "{value:?}");
    }
}

#[test]
fn item_size_is_the_sum_over_attributes() {
    let it = item(&[
        ("a", s("x")),
        ("bb", nv("-1.5")),
        ("ccc", AttributeValue::L(vec![AttributeValue::Bool(true)])),
        (
            "名前",
            AttributeValue::M(map(&[("k", AttributeValue::Null)])),
        ),
    ]);
    let expected = (1 + 1) + (2 + 4) + (3 + (3 + 2)) + (6 + (3 + 1 + 1 + 1));
    assert_eq!(item_size(&it), expected);
    assert_eq!(item_size(&Item::new()), 0);
}

// ---------------------------------------------------------------------------
// validate_item

#[test]
fn attribute_names() {
    let e = validate_item(&item(&[("", s("x"))])).unwrap_err();
    assert_eq!(e.type_name(), VE);
    assert!(e.message().contains("Empty attribute name"), "{e}");
    assert_eq!(
        e.message(),
        "One or more parameter values were invalid: Empty attribute name"
    );

    let ok = "n".repeat(65535);
    validate_item(&item(&[(&ok, s("x"))])).unwrap();
    let too_long = "n".repeat(65536);
    let e = validate_item(&item(&[(&too_long, s("x"))])).unwrap_err();
    assert_eq!(e.type_name(), VE);
    assert_eq!(
        e.message(),
        "One or more parameter values were invalid: Attribute name exceeds the limit of 65535 bytes; attribute name length: 65536"
    );

    // The limit is in UTF-8 bytes, not characters.
    let multi_ok = format!("{}a", "é".repeat(32767));
    assert_eq!(multi_ok.len(), 65535);
    validate_item(&item(&[(&multi_ok, s("x"))])).unwrap();
    let multi_bad = "é".repeat(32768);
    assert_eq!(multi_bad.len(), 65536);
    let e = validate_item(&item(&[(&multi_bad, s("x"))])).unwrap_err();
    assert_eq!(e.type_name(), VE);
    assert_eq!(
        e.message(),
        "One or more parameter values were invalid: Attribute name exceeds the limit of 65535 bytes; attribute name length: 65536"
    );

    // Any characters are allowed in names.
    validate_item(&item(&[("a b.c#d:e\u{0}\"", s("x"))])).unwrap();
    dynacond::validate_attribute_name("x").unwrap();
    let e = dynacond::validate_attribute_name("").unwrap_err();
    assert_eq!(e.type_name(), VE);
    assert_eq!(
        e.message(),
        "One or more parameter values were invalid: Empty attribute name"
    );
}

fn nest_lists(depth: usize) -> AttributeValue {
    let mut v = nv("1");
    for _ in 0..depth {
        v = AttributeValue::L(vec![v]);
    }
    v
}

fn nest_maps(depth: usize) -> AttributeValue {
    let mut v = s("leaf");
    for _ in 0..depth {
        v = AttributeValue::M(map(&[("k", v)]));
    }
    v
}

fn nest_mixed(depth: usize) -> AttributeValue {
    let mut v = AttributeValue::Null;
    for i in 0..depth {
        v = if i % 2 == 0 {
            AttributeValue::L(vec![s("side"), v])
        } else {
            AttributeValue::M(map(&[("side", nv("1")), ("k", v)]))
        };
    }
    v
}

#[test]
fn nesting_32_ok_33_rejected() {
    for build in [nest_lists, nest_maps, nest_mixed] {
        let ok = build(32);
        assert_eq!(ok.nesting_depth(), 32);
        ok.validate().unwrap();
        validate_item(&item(&[("a", ok.clone())])).unwrap();

        let bad = build(33);
        assert_eq!(bad.nesting_depth(), 33);
        assert_eq!(
            bad.validate().unwrap_err(),
            Error::Validation(NESTING.into())
        );
        let e = validate_item(&item(&[("ok", s("x")), ("a", bad.clone())])).unwrap_err();
        assert_eq!(e, Error::Validation(NESTING.into()));

        // DynamoDB JSON of these depths decodes (the limit is a validation rule).
        let json = wire::value_to_json(&bad);
        assert_eq!(decode(&json), bad);
    }
    // Empty innermost containers count as a level too.
    let mut v = AttributeValue::L(vec![]);
    for _ in 0..31 {
        v = AttributeValue::L(vec![v]);
    }
    assert_eq!(v.nesting_depth(), 32);
    v.validate().unwrap();
    let v = AttributeValue::M(map(&[("k", v)]));
    assert_eq!(v.validate().unwrap_err().message(), NESTING);
    // Scalars and sets do not nest.
    assert_eq!(s("x").nesting_depth(), 0);
    assert_eq!(
        AttributeValue::Ss(["x".to_owned()].into()).nesting_depth(),
        0
    );
}

#[test]
fn empty_sets_rejected_anywhere() {
    let cases = [
        (AttributeValue::Ss(BTreeSet::new()), EMPTY_SS),
        (AttributeValue::Ns(BTreeSet::new()), EMPTY_NS),
        (AttributeValue::Bs(BTreeSet::new()), EMPTY_BS),
    ];
    for (empty, message) in cases {
        let expected = Error::Validation(message.into());
        assert_eq!(empty.validate().unwrap_err(), expected);
        let in_list = AttributeValue::L(vec![s("x"), empty.clone()]);
        assert_eq!(in_list.validate().unwrap_err(), expected);
        let in_map = AttributeValue::M(map(&[("k", AttributeValue::L(vec![empty.clone()]))]));
        assert_eq!(in_map.validate().unwrap_err(), expected);
        assert_eq!(
            validate_item(&item(&[("a", in_map)])).unwrap_err(),
            expected
        );
    }
    // Empty strings, binaries, lists and maps are fine.
    validate_item(&item(&[
        ("a", s("")),
        ("b", AttributeValue::B(vec![])),
        ("c", AttributeValue::L(vec![])),
        ("d", AttributeValue::M(Map::new())),
        ("e", AttributeValue::Ss(["".to_owned()].into())),
        ("f", AttributeValue::Bs([vec![]].into())),
    ]))
    .unwrap();
}

#[test]
fn item_size_limit_boundary() {
    const LIMIT: usize = 409_600;
    // Name "a" (1 byte) + S value.
    let exact = item(&[("a", s(&"x".repeat(LIMIT - 1)))]);
    assert_eq!(item_size(&exact), LIMIT);
    validate_item(&exact).unwrap();
    let over = item(&[("a", s(&"x".repeat(LIMIT)))]);
    assert_eq!(item_size(&over), LIMIT + 1);
    assert_eq!(
        validate_item(&over).unwrap_err(),
        Error::Validation(ITEM_TOO_BIG.into())
    );

    // Multi-byte characters count by UTF-8 bytes: 4-byte emoji.
    let emoji = "😀".repeat((LIMIT - 4) / 4);
    let exact = item(&[("abcd", s(&emoji))]);
    assert_eq!(item_size(&exact), LIMIT);
    validate_item(&exact).unwrap();
    let over = item(&[("abcde", s(&emoji))]);
    assert_eq!(item_size(&over), LIMIT + 1);
    let e = validate_item(&over).unwrap_err();
    assert_eq!((e.type_name(), e.message().as_str()), (VE, ITEM_TOO_BIG));

    // Spread over several attributes and a binary.
    let spread = item(&[
        ("s", s(&"x".repeat(200_000))),
        ("b", AttributeValue::B(vec![7; 209_595])),
        ("n", nv("1")),
    ]);
    assert_eq!(item_size(&spread), 1 + 200_000 + 1 + 209_595 + 1 + 2);
    assert_eq!(item_size(&spread), LIMIT);
    validate_item(&spread).unwrap();

    // The same through DynamoDB JSON.
    let json = format!(r#"{{"a": {{"S": "{}"}}}}"#, "y".repeat(LIMIT - 1));
    let decoded = wire::item_from_json(json.as_bytes()).unwrap();
    validate_item(&decoded).unwrap();
    let json = format!(r#"{{"a": {{"S": "{}"}}}}"#, "y".repeat(LIMIT));
    let decoded = wire::item_from_json(json.as_bytes()).unwrap();
    assert_eq!(validate_item(&decoded).unwrap_err().message(), ITEM_TOO_BIG);
}

// ---------------------------------------------------------------------------
// Plain JSON

#[test]
fn plain_json_to_item_and_back() {
    let doc = json!({
        "id": "k1",
        "count": 42,
        "neg": -7,
        "price": 19.99,
        "tiny": 0.001,
        "big": 18446744073709551615u64,
        "min": -9223372036854775808i64,
        "ok": true,
        "nothing": null,
        "tags": ["a", 2, false, null, [], {}],
        "nested": {"x": {"y": [1.5, "z"]}}
    });
    let it = wire::item_from_plain_json(&doc).unwrap();
    assert_eq!(it["id"], s("k1"));
    assert_eq!(it["count"], nv("42"));
    assert_eq!(it["neg"], nv("-7"));
    assert_eq!(it["price"], nv("19.99"));
    assert_eq!(it["tiny"], nv("0.001"));
    assert_eq!(it["big"], nv("18446744073709551615"));
    assert_eq!(it["min"], nv("-9223372036854775808"));
    assert_eq!(it["ok"], AttributeValue::Bool(true));
    assert_eq!(it["nothing"], AttributeValue::Null);
    assert_eq!(
        it["tags"],
        AttributeValue::L(vec![
            s("a"),
            nv("2"),
            AttributeValue::Bool(false),
            AttributeValue::Null,
            AttributeValue::L(vec![]),
            AttributeValue::M(Map::new()),
        ])
    );
    assert_eq!(
        it["nested"],
        AttributeValue::M(map(&[(
            "x",
            AttributeValue::M(map(&[("y", AttributeValue::L(vec![nv("1.5"), s("z")]))]))
        )]))
    );
    assert_eq!(wire::item_to_plain_json(&it), doc);
    assert_eq!(
        wire::value_to_plain_json(&AttributeValue::M(it.clone())),
        doc
    );
    assert_eq!(
        wire::value_from_plain_json(&doc).unwrap(),
        AttributeValue::M(it)
    );
}

#[test]
fn plain_json_numbers_stay_exact() {
    // Numbers an f64 cannot hold exactly come out as their exact text.
    for text in [
        "0.12345678901234567890123",
        "12345678901234567890123456789012345678",
        "-12345678901234567890123456789012345678",
        "1.0000000000000000000000000000000000001",
        "9.9999999999999999999999999999999999999e125",
        "1.2345678901234567891e-130",
        "18446744073709551617",
        "9007199254740993",
    ] {
        let value = nv(text);
        let plain = wire::value_to_plain_json(&value);
        let canonical = num(text).to_string();
        match &plain {
            serde_json::Value::String(got) => assert_eq!(got, &canonical, "{text}"),
            serde_json::Value::Number(got) => {
                // Only acceptable if it denotes exactly the same number.
                assert_eq!(num(&got.to_string()), num(text), "{text} became {got}");
            }
            other => panic!("{text}: {other}"),
        }
        // Whatever the form, no digit was lost.
        let back_text = match &plain {
            serde_json::Value::String(t) => t.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => unreachable!(),
        };
        assert_eq!(num(&back_text), num(text), "{text}");
    }
    // Numbers an f64 or i64 holds exactly stay JSON numbers and round-trip.
    for text in [
        "0",
        "1",
        "-1",
        "0.1",
        "0.5",
        "19.99",
        "1e20",
        "-2.5e-7",
        "9223372036854775807",
        "18446744073709551615",
    ] {
        let value = nv(text);
        let plain = wire::value_to_plain_json(&value);
        assert!(plain.is_number(), "{text}: {plain}");
        assert_eq!(
            wire::value_from_plain_json(&plain).unwrap(),
            value,
            "{text}"
        );
    }
    // And JSON numbers coming in are converted from their shortest text, not
    // from the binary expansion of the f64.
    assert_eq!(wire::value_from_plain_json(&json!(0.1)).unwrap(), nv("0.1"));
    assert_eq!(
        wire::value_from_plain_json(&json!(0.1 + 0.2)).unwrap(),
        nv("0.30000000000000004")
    );
}

#[test]
fn plain_json_other_types() {
    let value = AttributeValue::M(map(&[
        ("b", AttributeValue::B(vec![0, 1, 2])),
        (
            "ss",
            AttributeValue::Ss(["y".to_owned(), "x".to_owned()].into()),
        ),
        ("ns", AttributeValue::Ns([num("2"), num("1.5")].into())),
        ("bs", AttributeValue::Bs([b"b".to_vec()].into())),
        ("null", AttributeValue::Null),
    ]));
    assert_eq!(
        wire::value_to_plain_json(&value),
        json!({"b": "AAEC", "ss": ["x", "y"], "ns": [1.5, 2], "bs": ["Yg=="], "null": null})
    );
}

#[test]
fn plain_json_errors() {
    for doc in [json!([]), json!("x"), json!(1), json!(null), json!(true)] {
        let e = wire::item_from_plain_json(&doc).unwrap_err();
        assert_eq!(e.type_name(), VE, "{doc}");
        assert_eq!(e.message(), "An item must be a JSON object");
    }
    let e = wire::item_from_plain_json(&json!({"a": {"b": [1e300]}})).unwrap_err();
    assert_eq!(e, Error::Validation(OVERFLOW.into()));
    let e = wire::value_from_plain_json(&json!(5e-324)).unwrap_err();
    assert_eq!(e.type_name(), VE);
    assert!(e.message().contains("underflow"), "{e}");
}
