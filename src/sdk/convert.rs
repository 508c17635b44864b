//! Conversions between dynacond's values and the SDK's
//! [`aws_sdk_dynamodb::types::AttributeValue`]; the rules below are also
//! the public docs' (`crate::sdk`, section Values).
//!
//! dynacond → SDK never fails ([`From`]): numbers are written in DynamoDB's
//! canonical text, sets in dynacond's order (string and binary sets by their
//! bytes, number sets numerically).
//!
//! SDK → dynacond ([`TryFrom`], [`item_from_sdk`]) applies DynamoDB's checks
//! where dynacond's types need them, with DynamoDB's messages (the same
//! `ValidationException`s as the endpoint gives for the same value in
//! DynamoDB JSON): numbers must parse ([`crate::NumberError`]); sets must be
//! non-empty and free of duplicates (number sets compare numerically, so
//! `["1", "1.0"]` is a duplicate); `NULL` must be `true`; lists and maps nest
//! at most [`MAX_NESTING_DEPTH`] levels (which also bounds the recursion).
//! `AttributeValue::Unknown` (a type this SDK version does not know) is
//! refused like a value with no type. Map keys are taken in sorted order, so
//! the converted item's order (and which error is reported when several
//! apply) does not depend on the `HashMap`'s.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::error::Error;
use crate::number::Number;
use crate::value::{AttributeValue, Item, MAX_NESTING_DEPTH, Map, ValueError};

/// An item as the SDK holds it: attribute names to SDK values.
pub type SdkItem = HashMap<String, SdkValue>;

impl From<AttributeValue> for SdkValue {
    fn from(value: AttributeValue) -> Self {
        match value {
            AttributeValue::S(s) => SdkValue::S(s),
            AttributeValue::N(n) => SdkValue::N(n.to_string()),
            AttributeValue::B(b) => SdkValue::B(Blob::new(b)),
            AttributeValue::Ss(set) => SdkValue::Ss(set.into_iter().collect()),
            AttributeValue::Ns(set) => SdkValue::Ns(set.iter().map(Number::to_string).collect()),
            AttributeValue::Bs(set) => SdkValue::Bs(set.into_iter().map(Blob::new).collect()),
            AttributeValue::Bool(b) => SdkValue::Bool(b),
            AttributeValue::Null => SdkValue::Null(true),
            AttributeValue::L(list) => SdkValue::L(list.into_iter().map(SdkValue::from).collect()),
            AttributeValue::M(map) => SdkValue::M(map_to_sdk(map)),
        }
    }
}

impl From<&AttributeValue> for SdkValue {
    fn from(value: &AttributeValue) -> Self {
        SdkValue::from(value.clone())
    }
}

impl TryFrom<SdkValue> for AttributeValue {
    type Error = Error;

    /// DynamoDB's checks apply (see the [`sdk` docs](crate::sdk#values)).
    fn try_from(value: SdkValue) -> Result<Self, Error> {
        from_sdk(value, 1)
    }
}

impl TryFrom<&SdkValue> for AttributeValue {
    type Error = Error;

    /// DynamoDB's checks apply (see the [`sdk` docs](crate::sdk#values)).
    fn try_from(value: &SdkValue) -> Result<Self, Error> {
        from_sdk(value.clone(), 1)
    }
}

/// An item as the SDK takes it (`put_item().set_item(Some(...))`).
///
/// ```
/// use dynacond::sdk::{item_from_sdk, item_to_sdk};
/// use dynacond::wire;
///
/// let item = wire::item_from_json(br#"{"pk": {"S": "a"}, "n": {"N": "1.50"}}"#)?;
/// let sdk = item_to_sdk(&item);
/// assert_eq!(sdk["n"].as_n().map(String::as_str), Ok("1.5"));
/// assert_eq!(item_from_sdk(sdk)?, item);
/// # Ok::<(), dynacond::Error>(())
/// ```
pub fn item_to_sdk(item: &Item) -> SdkItem {
    map_to_sdk(item.clone())
}

/// An item from the SDK (`get_item().send().await?.item`), with DynamoDB's
/// checks on every value (see the [`sdk` docs](crate::sdk#values)); attributes in
/// sorted order.
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// use dynacond::sdk::item_from_sdk;
///
/// let item = item_from_sdk([("n".to_owned(), AttributeValue::N("1e2".into()))].into())?;
/// assert_eq!(item["n"].as_n().map(ToString::to_string).as_deref(), Some("100"));
/// let error = item_from_sdk([("n".to_owned(), AttributeValue::N("x".into()))].into());
/// assert_eq!(
///     error.unwrap_err().to_string(),
///     "The parameter cannot be converted to a numeric value: x"
/// );
/// # Ok::<(), dynacond::Error>(())
/// ```
pub fn item_from_sdk(item: SdkItem) -> Result<Item, Error> {
    map_from_sdk(item, 1)
}

fn map_to_sdk(map: Map) -> SdkItem {
    map.into_iter()
        .map(|(k, v)| (k, SdkValue::from(v)))
        .collect()
}

/// The values of a map whose own level is `level` sit at `level`; a map
/// value among them opens `level + 1`.
fn map_from_sdk(map: SdkItem, level: usize) -> Result<Map, Error> {
    let mut entries: Vec<(String, SdkValue)> = map.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_iter()
        .map(|(k, v)| Ok((k, from_sdk(v, level)?)))
        .collect()
}

/// Converts a value at nesting level `level` (a top-level attribute is 1),
/// as [`AttributeValue::validate`] counts levels.
fn from_sdk(value: SdkValue, level: usize) -> Result<AttributeValue, Error> {
    Ok(match value {
        SdkValue::S(s) => AttributeValue::S(s),
        SdkValue::N(text) => AttributeValue::N(Number::parse(&text)?),
        SdkValue::B(blob) => AttributeValue::B(blob.into_inner()),
        SdkValue::Bool(b) => AttributeValue::Bool(b),
        SdkValue::Null(true) => AttributeValue::Null,
        SdkValue::Null(false) => {
            return Err(Error::validation(
                "One or more parameter values were invalid: Null attribute value types must have the value of true",
            ));
        }
        SdkValue::Ss(list) => AttributeValue::Ss(string_set(list)?),
        SdkValue::Ns(list) => AttributeValue::Ns(number_set(&list)?),
        SdkValue::Bs(list) => AttributeValue::Bs(binary_set(list)?),
        SdkValue::L(_) | SdkValue::M(_) if level > MAX_NESTING_DEPTH => {
            return Err(ValueError::TooDeep.into());
        }
        SdkValue::L(list) => AttributeValue::L(
            list.into_iter()
                .map(|v| from_sdk(v, level + 1))
                .collect::<Result<_, _>>()?,
        ),
        SdkValue::M(map) => AttributeValue::M(map_from_sdk(map, level + 1)?),
        // `Unknown`, and any variant a later SDK adds: no type dynacond knows.
        _ => {
            return Err(Error::validation(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            ));
        }
    })
}

fn string_set(list: Vec<String>) -> Result<BTreeSet<String>, Error> {
    if list.is_empty() {
        return Err(ValueError::EmptyStringSet.into());
    }
    let set: BTreeSet<String> = list.iter().cloned().collect();
    if set.len() < list.len() {
        return Err(Error::validation(format!(
            "One or more parameter values were invalid: Input collection [{}] contains duplicates.",
            list.join(", ")
        )));
    }
    Ok(set)
}

fn number_set(list: &[String]) -> Result<BTreeSet<Number>, Error> {
    if list.is_empty() {
        return Err(ValueError::EmptyNumberSet.into());
    }
    let set = list
        .iter()
        .map(|text| Number::parse(text))
        .collect::<Result<BTreeSet<Number>, _>>()?;
    if set.len() < list.len() {
        return Err(Error::validation("Input collection contains duplicates"));
    }
    Ok(set)
}

fn binary_set(list: Vec<Blob>) -> Result<BTreeSet<Vec<u8>>, Error> {
    if list.is_empty() {
        return Err(ValueError::EmptyBinarySet.into());
    }
    let count = list.len();
    let set: BTreeSet<Vec<u8>> = list.iter().map(|b| b.as_ref().to_vec()).collect();
    if set.len() < count {
        let shown: Vec<String> = list.iter().map(|b| BASE64.encode(b.as_ref())).collect();
        return Err(Error::validation(format!(
            "One or more parameter values were invalid: Input collection [{}]of type BS contains duplicates.",
            shown.join(", ")
        )));
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire;

    /// The error the endpoint gives for a value in DynamoDB JSON.
    fn wire_error(json: &str) -> Error {
        wire::value_from_json(json.as_bytes()).unwrap_err()
    }

    fn convert(value: SdkValue) -> Result<AttributeValue, Error> {
        AttributeValue::try_from(value)
    }

    #[test]
    fn refusals_match_the_endpoints_for_the_same_value() {
        // (`Unknown` cannot be built outside the SDK: tests/sdk_client gets
        // one from the SDK's own deserializer.)
        let b = |bytes: &[u8]| Blob::new(bytes.to_vec());
        let cases: Vec<(SdkValue, &str)> = vec![
            (SdkValue::N("dog".into()), r#"{"N": "dog"}"#),
            (SdkValue::N(String::new()), r#"{"N": ""}"#),
            (SdkValue::N("1e126".into()), r#"{"N": "1e126"}"#),
            (SdkValue::N("1e-131".into()), r#"{"N": "1e-131"}"#),
            (
                SdkValue::N("12345678901234567890123456789012345678.9".into()),
                r#"{"N": "12345678901234567890123456789012345678.9"}"#,
            ),
            (SdkValue::Null(false), r#"{"NULL": false}"#),
            (SdkValue::Ss(vec![]), r#"{"SS": []}"#),
            (SdkValue::Ns(vec![]), r#"{"NS": []}"#),
            (SdkValue::Bs(vec![]), r#"{"BS": []}"#),
            (
                SdkValue::Ss(vec!["a".into(), "b".into(), "a".into()]),
                r#"{"SS": ["a", "b", "a"]}"#,
            ),
            (
                SdkValue::Ns(vec!["1".into(), "1.0".into()]),
                r#"{"NS": ["1", "1.0"]}"#,
            ),
            (
                SdkValue::Ns(vec!["1".into(), "x".into()]),
                r#"{"NS": ["1", "x"]}"#,
            ),
            (
                SdkValue::Bs(vec![b(b"\x00"), b(b"\xff"), b(b"\x00")]),
                r#"{"BS": ["AA==", "/w==", "AA=="]}"#,
            ),
            (
                SdkValue::L(vec![SdkValue::N("x".into())]),
                r#"{"L": [{"N": "x"}]}"#,
            ),
            (
                SdkValue::M([("k".to_owned(), SdkValue::Null(false))].into()),
                r#"{"M": {"k": {"NULL": false}}}"#,
            ),
        ];
        for (value, json) in cases {
            let ours = convert(value.clone()).unwrap_err();
            assert_eq!(ours, wire_error(json), "{value:?}");
            assert_eq!(AttributeValue::try_from(&value).unwrap_err(), ours);
        }
    }

    #[test]
    fn nesting_beyond_32_levels_is_refused_as_dynamodb_refuses_it() {
        let mut value = SdkValue::S("leaf".into());
        for _ in 0..MAX_NESTING_DEPTH {
            value = SdkValue::L(vec![value]);
        }
        let converted = convert(value.clone()).unwrap();
        assert_eq!(converted.validate(), Ok(()));
        let deeper = SdkValue::M([("m".to_owned(), value)].into());
        assert_eq!(
            convert(deeper).unwrap_err(),
            Error::from(ValueError::TooDeep)
        );
    }

    #[test]
    fn numbers_come_back_canonical_and_sets_deduplicated_by_dynamodbs_rules() {
        let value = convert(SdkValue::Ns(vec!["10".into(), "1E1".into()]));
        assert!(value.is_err(), "10 and 1E1 are one number");
        let value = convert(SdkValue::Ns(vec!["0.50".into(), "-2e3".into()])).unwrap();
        assert_eq!(
            SdkValue::from(value),
            SdkValue::Ns(vec!["-2000".into(), "0.5".into()])
        );
        assert_eq!(
            SdkValue::from(AttributeValue::Null),
            SdkValue::Null(true),
            "NULL is always true"
        );
    }

    #[test]
    fn items_convert_with_sorted_attributes() {
        let sdk: SdkItem = [
            ("b".to_owned(), SdkValue::Bool(true)),
            ("a".to_owned(), SdkValue::S("x".into())),
            ("c".to_owned(), SdkValue::B(Blob::new(vec![1, 2]))),
        ]
        .into();
        let item = item_from_sdk(sdk.clone()).unwrap();
        assert_eq!(item.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(item_to_sdk(&item), sdk);
    }
}
