//! DynamoDB JSON: the wire form of values and items, via serde.
//!
//! Every value is an object with exactly one type key: `{"S": "x"}`,
//! `{"N": "1.5"}`, `{"B": "<base64>"}`, `{"SS": [...]}`, `{"NS": [...]}`,
//! `{"BS": [...]}`, `{"BOOL": true}`, `{"NULL": true}`, `{"L": [...]}`,
//! `{"M": {...}}`. [`AttributeValue`] implements `Serialize` and `Deserialize`
//! for this form, so request structs can hold values and items directly.
//!
//! DynamoDB reports bad input in two layers, and so does this module:
//!
//! * a **SerializationException** when the JSON does not have the expected shape:
//!   malformed JSON, a number where a string belongs (`{"N": 123}`), bad base64;
//! * a **ValidationException** when the shape is right but the content breaks a
//!   rule: `{}`, two type keys in one value, `{"NULL": false}`, an empty set,
//!   duplicate set members, a malformed number.
//!
//! Shape errors win over content errors anywhere in the document, as in
//! DynamoDB, which deserialises a request before validating it. Use
//! [`from_slice`] / [`from_str`] (or the item helpers) to get that layering and
//! DynamoDB's messages; a plain `serde_json::from_str` of an [`AttributeValue`]
//! works too but reports the first problem of either kind as a serde error.
//!
//! Members that are not type keys are ignored and `null` members count as
//! absent, as DynamoDB's JSON protocol does (so `{"X": 1}` is an empty value).
//!
//! ```
//! use dynacond::{wire, AttributeValue};
//!
//! let item = wire::item_from_json(br#"{"id": {"S": "k1"}, "n": {"N": "1e3"}}"#)?;
//! assert_eq!(item["n"], AttributeValue::n(1000));
//! assert_eq!(wire::item_to_json(&item), r#"{"id":{"S":"k1"},"n":{"N":"1000"}}"#);
//!
//! let err = wire::item_from_json(br#"{"s": {"SS": []}}"#).unwrap_err();
//! assert_eq!(err.type_name(), "ValidationException");
//! assert_eq!(err.message(), "One or more parameter values were invalid: An string set  may not be empty");
//! # Ok::<(), dynacond::Error>(())
//! ```

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ShownValue};
use crate::number::Number;
use crate::value::{AttributeValue, Item, Map, ValueType, empty_set};

thread_local! {
    /// While a [`from_slice`]-style decode runs on this thread, the first content
    /// (validation) error found; `None` outside such a decode.
    static VALIDATION_SINK: RefCell<Option<Option<Error>>> = const { RefCell::new(None) };
}

/// Restores the previous sink state when the decode ends, even if
/// deserialisation panics.
struct SinkGuard {
    /// The state to restore (`None`: no layered decode was running).
    previous: Option<Option<Error>>,
    /// False once [`SinkGuard::finish`] restored the state.
    armed: bool,
}

impl SinkGuard {
    fn install() -> SinkGuard {
        let previous = VALIDATION_SINK.with(|s| s.replace(Some(None)));
        SinkGuard {
            previous,
            armed: true,
        }
    }

    /// Restores the previous state and returns the first content error found.
    fn finish(mut self) -> Option<Error> {
        self.armed = false;
        let previous = self.previous.take();
        VALIDATION_SINK.with(|s| s.replace(previous)).flatten()
    }
}

impl Drop for SinkGuard {
    fn drop(&mut self) {
        if self.armed {
            let previous = self.previous.take();
            VALIDATION_SINK.with(|s| s.replace(previous));
        }
    }
}

/// Records a content error. Inside a layered decode the first one is kept and
/// decoding goes on (shape errors later in the document still win); otherwise
/// the error is returned at once as a serde error.
fn report<E: de::Error>(error: Error) -> Result<(), E> {
    VALIDATION_SINK.with(|sink| match &mut *sink.borrow_mut() {
        Some(slot) => {
            if slot.is_none() {
                *slot = Some(error);
            }
            Ok(())
        }
        None => Err(E::custom(error.message())),
    })
}

/// Records a content (validation) error found by a custom `Deserialize`
/// implementation: inside [`from_slice`]-style decoding the first one is kept
/// and decoding goes on; otherwise it becomes a serde error.
pub fn report_validation<E: de::Error>(error: Error) -> Result<(), E> {
    report(error)
}

/// DynamoDB's answer for a request body serde_json could not decode; no text of
/// serde's reaches a client.
///
/// * Malformed JSON (serde_json's `Syntax`, `Eof` and `Io` categories: bad
///   escapes, control characters, truncation, trailing characters, numbers out
///   of range, invalid UTF-8): [`Error::MalformedJson`], a
///   SerializationException whose body has no `message` member, as DynamoDB
///   sends it (spec validation.md §7.5, row H2).
/// * Nesting beyond serde_json's 128 levels: DynamoDB parses deeper documents
///   and then rejects items nested beyond 32 levels, so dynacond answers with
///   the store's nesting ValidationException ([`crate::value::NESTING_MESSAGE`]),
///   the answer a request nested that deeply inside an item gets from DynamoDB.
/// * Wrong JSON types (`Data`): see [`shape_message`].
fn serialization_error(e: &serde_json::Error) -> Error {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) if e.line() > 0 => text.get(..at).unwrap_or(&text),
        _ => &text,
    };
    match e.classify() {
        serde_json::error::Category::Data => shape_message(text),
        _ if text == "recursion limit exceeded" => Error::validation(crate::value::NESTING_MESSAGE),
        _ => Error::MalformedJson,
    }
}

/// The JSON kind serde reports as unexpected, in Coral's words
/// (`NUMBER_VALUE cannot be converted to String` was captured from DynamoDB).
fn coral_kind(unexpected: &str) -> Option<&'static str> {
    const KINDS: &[(&str, &str)] = &[
        ("boolean", "BOOLEAN_VALUE"),
        ("integer", "NUMBER_VALUE"),
        ("floating point", "NUMBER_VALUE"),
        ("string", "STRING_VALUE"),
        ("character", "STRING_VALUE"),
        ("null", "NULL_VALUE"),
        ("unit value", "NULL_VALUE"),
    ];
    KINDS
        .iter()
        .find(|(serde, _)| unexpected.starts_with(serde))
        .map(|(_, coral)| *coral)
}

/// The Java type name Coral would convert to, from serde's `expected ...`.
fn coral_target(expected: &str) -> Option<&'static str> {
    Some(match expected {
        "a string" | "string" | "a borrowed string" | "a character" => "String",
        "i64" | "u64" => "Long",
        "i8" | "i16" | "i32" | "u8" | "u16" | "u32" | "usize" | "isize" => "Integer",
        "f32" | "f64" => "Double",
        "a boolean" => "Boolean",
        "a sequence" => "List",
        "a map" => "Map",
        _ if expected.starts_with("struct ") || expected.contains("AttributeValue") => "Structure",
        _ => return None,
    })
}

/// Fallback for a shape error dynacond has no DynamoDB wording for (a guess,
/// listed in the README's known differences).
const SHAPE_FALLBACK: &str = "The request does not match the structure the operation takes";

/// DynamoDB's SerializationException (or ValidationException) for a
/// well-formed document of the wrong shape, from serde's `Data` error text
/// (its `Display` is the only structured information serde_json exposes).
///
/// Only serde's own phrasings are rewritten; messages dynacond's
/// deserialisers produce (`NUMBER_VALUE cannot be converted to String`,
/// `Base64 encoded value is invalid: ...`, validation texts) pass through.
///
/// * a value of the wrong JSON type (`invalid type` / `invalid value`):
///   `<KIND>_VALUE cannot be converted to <Type>` for scalars, patterned on
///   the captured `NUMBER_VALUE cannot be converted to String` (so `"Limit":
///   1.5` is `NUMBER_VALUE cannot be converted to Long`); an object or array
///   where a scalar belongs: `Start of structure or map found where not
///   expected` / `Start of list found where not expected` (Coral's parser
///   texts, the first already used for bodies that are not objects). Guesses
///   beyond the captured message.
/// * a member given twice (`{"TableName": "a", "TableName": "b"}`): the spec
///   does not say what DynamoDB does; dynacond rejects it rather than pick one
///   value: `The member TableName appears more than once in the structure`
///   (a guess).
/// * a required member missing (only `AttributeName`, `KeyType` and
///   `AttributeType` of `KeySchema` / `AttributeDefinitions` elements): the
///   constraint layer's ValidationException
///   `1 validation error detected: Value null at '<member>' failed to satisfy
///   constraint: Member must not be null`, with the member's own name only
///   (DynamoDB prints the whole path, such as `keySchema.1.member.keyType`).
/// * anything else: [`SHAPE_FALLBACK`].
fn shape_message(text: &str) -> Error {
    let quoted = |rest: &str| rest.split('`').nth(1).map(str::to_owned);
    let conversion = text
        .strip_prefix("invalid type: ")
        .or_else(|| text.strip_prefix("invalid value: "));
    if let Some(rest) = conversion {
        let expected = rest.rsplit_once(", expected ").map(|(_, e)| e);
        let message = if rest.starts_with("map") {
            Some("Start of structure or map found where not expected".to_owned())
        } else if rest.starts_with("sequence") {
            Some("Start of list found where not expected".to_owned())
        } else {
            coral_kind(rest)
                .zip(expected.and_then(coral_target))
                .map(|(kind, target)| format!("{kind} cannot be converted to {target}"))
        };
        return Error::serialization(message.unwrap_or_else(|| SHAPE_FALLBACK.to_owned()));
    }
    if let Some(rest) = text.strip_prefix("duplicate field ") {
        return Error::serialization(match quoted(rest) {
            Some(name) => format!("The member {name} appears more than once in the structure"),
            None => SHAPE_FALLBACK.to_owned(),
        });
    }
    if let Some(rest) = text.strip_prefix("missing field ") {
        return match quoted(rest) {
            Some(name) => {
                let mut member = name;
                if let Some(first) = member.get_mut(..1) {
                    first.make_ascii_lowercase();
                }
                Error::constraint(ShownValue::Null, member, "Member must not be null")
            }
            None => Error::serialization(SHAPE_FALLBACK),
        };
    }
    const SERDE_PHRASES: &[&str] = &[
        "invalid length ",
        "unknown variant ",
        "unknown field ",
        "data did not match",
    ];
    if SERDE_PHRASES.iter().any(|p| text.starts_with(p)) {
        return Error::serialization(SHAPE_FALLBACK);
    }
    // One of dynacond's own messages, raised through `de::Error::custom`.
    Error::serialization(text)
}

fn run_layered<T>(decode: impl FnOnce() -> serde_json::Result<T>) -> Result<T, Error> {
    let guard = SinkGuard::install();
    let result = decode();
    let content_error = guard.finish();
    match (result, content_error) {
        (Err(e), _) => Err(serialization_error(&e)),
        (Ok(_), Some(content_error)) => Err(content_error),
        (Ok(value), None) => Ok(value),
    }
}

/// Like [`from_slice`], but a content (validation) error found in a
/// well-shaped document is handed back beside the decoded value instead of
/// replacing it, so that the caller can run the checks DynamoDB makes first
/// (the constraint layer) before reporting it.
pub(crate) fn from_slice_deferred<T: DeserializeOwned>(
    bytes: &[u8],
) -> Result<(T, Option<Error>), Error> {
    let guard = SinkGuard::install();
    let result = serde_json::from_slice(bytes);
    let content_error = guard.finish();
    match result {
        Err(e) => Err(serialization_error(&e)),
        Ok(value) => Ok((value, content_error)),
    }
}

/// Decodes any serde type holding DynamoDB JSON values (an item, a request
/// struct, a map of placeholder values), with DynamoDB's error layering: a
/// SerializationException for shape errors, else the first ValidationException.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    run_layered(|| serde_json::from_slice(bytes))
}

/// Like [`from_slice`], from a string.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    run_layered(|| serde_json::from_str(text))
}

/// Like [`from_slice`], from an already parsed JSON value.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
    run_layered(|| serde_json::from_value(value))
}

/// Decodes an item from DynamoDB JSON (`{"name": {"S": "x"}, ...}`).
pub fn item_from_json(bytes: &[u8]) -> Result<Item, Error> {
    from_slice(bytes)
}

/// Encodes an item as DynamoDB JSON, attributes in insertion order.
pub fn item_to_json(item: &Item) -> String {
    // Serialising these types cannot fail: keys are strings, no floats.
    serde_json::to_string(item).unwrap_or_default()
}

/// Decodes one value from DynamoDB JSON (`{"S": "x"}`).
pub fn value_from_json(bytes: &[u8]) -> Result<AttributeValue, Error> {
    from_slice(bytes)
}

/// Encodes one value as DynamoDB JSON.
pub fn value_to_json(value: &AttributeValue) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// DynamoDB's JSON error body for an error: `__type` (namespace included) and
/// `message`, plus `Item` for a failed condition with `ALL_OLD` and
/// `CancellationReasons` for a cancelled transaction, as DynamoDB sends them,
/// and `Explanation` (on the body, or on a reason) only when the store
/// explains failed conditions ([`crate::StoreBuilder::explain`]).
/// A body that is not JSON at all ([`Error::MalformedJson`]) gets no
/// `message`, as from DynamoDB.
///
/// ```
/// let body = dynacond::wire::error_body(&dynacond::Error::validation("bad"));
/// assert_eq!(body["__type"], "com.amazon.coral.validate#ValidationException");
/// assert_eq!(body["message"], "bad");
/// let body = dynacond::wire::error_body(&dynacond::Error::MalformedJson);
/// assert_eq!(body, serde_json::json!({"__type": "com.amazon.coral.service#SerializationException"}));
/// ```
pub fn error_body(error: &Error) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    body.insert("__type".into(), error.wire_type().into());
    if !matches!(error, Error::MalformedJson) {
        body.insert("message".into(), error.message().into());
    }
    match error {
        Error::ConditionalCheckFailed {
            item, explanation, ..
        } => {
            if let Some(item) = item {
                let item = serde_json::to_value(item.as_ref()).unwrap_or_default();
                body.insert("Item".into(), item);
            }
            if let Some(explanation) = explanation {
                body.insert("Explanation".into(), explanation.to_json());
            }
        }
        Error::TransactionCanceled { reasons, .. } => {
            let reasons = serde_json::to_value(reasons).unwrap_or_default();
            body.insert("CancellationReasons".into(), reasons);
        }
        _ => {}
    }
    serde_json::Value::Object(body)
}

// ---------------------------------------------------------------------------
// Serialisation

struct Base64<'a>(&'a [u8]);

impl Serialize for Base64<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&base64::display::Base64Display::new(self.0, &BASE64))
    }
}

struct Base64Set<'a>(&'a BTreeSet<Vec<u8>>);

impl Serialize for Base64Set<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for b in self.0 {
            seq.serialize_element(&Base64(b))?;
        }
        seq.end()
    }
}

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        let key = self.value_type().code();
        match self {
            AttributeValue::S(v) => map.serialize_entry(key, v)?,
            AttributeValue::N(v) => map.serialize_entry(key, v)?,
            AttributeValue::B(v) => map.serialize_entry(key, &Base64(v))?,
            AttributeValue::Ss(v) => map.serialize_entry(key, v)?,
            AttributeValue::Ns(v) => map.serialize_entry(key, v)?,
            AttributeValue::Bs(v) => map.serialize_entry(key, &Base64Set(v))?,
            AttributeValue::Bool(v) => map.serialize_entry(key, v)?,
            AttributeValue::Null => map.serialize_entry(key, &true)?,
            AttributeValue::L(v) => map.serialize_entry(key, v)?,
            AttributeValue::M(v) => map.serialize_entry(key, v)?,
        }
        map.end()
    }
}

// ---------------------------------------------------------------------------
// Deserialisation

/// A JSON string where DynamoDB expects one; anything else is a shape error with
/// DynamoDB's wording (`NUMBER_VALUE cannot be converted to String`).
struct WireString(String);

impl<'de> Deserialize<'de> for WireString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = WireString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireString, E> {
                Ok(WireString(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<WireString, E> {
                Ok(WireString(v))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<WireString, E> {
                Err(E::custom("NUMBER_VALUE cannot be converted to String"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<WireString, E> {
                Err(E::custom("NUMBER_VALUE cannot be converted to String"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<WireString, E> {
                Err(E::custom("NUMBER_VALUE cannot be converted to String"))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<WireString, E> {
                Err(E::custom("BOOLEAN_VALUE cannot be converted to String"))
            }
        }
        // `deserialize_any`, so that numbers and booleans reach the visitor
        // and get DynamoDB's wording instead of serde's.
        d.deserialize_any(V)
    }
}

/// Base64 text decoded to bytes; bad base64 is a shape error.
struct WireBinary(Vec<u8>, String);

impl<'de> Deserialize<'de> for WireBinary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let WireString(text) = WireString::deserialize(d)?;
        match BASE64.decode(text.as_bytes()) {
            Ok(bytes) => Ok(WireBinary(bytes, text)),
            Err(e) => Err(de::Error::custom(format!(
                "Base64 encoded value is invalid: {e}"
            ))),
        }
    }
}

/// The type keys of an AttributeValue object; anything else is ignored.
enum TypeKey {
    Known(ValueType),
    Other,
}

impl<'de> Deserialize<'de> for TypeKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = TypeKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an AttributeValue type key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TypeKey, E> {
                Ok(ValueType::from_code(v).map_or(TypeKey::Other, TypeKey::Known))
            }
        }
        d.deserialize_identifier(V)
    }
}

fn duplicates(elements: impl Iterator<Item = String>) -> String {
    elements.collect::<Vec<_>>().join(", ")
}

/// Builds the value for one type key, returning a content error (if any)
/// separately so that the caller can apply DynamoDB's precedence.
fn read_member<'de, A: MapAccess<'de>>(
    map: &mut A,
    t: ValueType,
) -> Result<Option<(AttributeValue, Option<Error>)>, A::Error> {
    let value = match t {
        ValueType::S => map
            .next_value::<Option<WireString>>()?
            .map(|s| (AttributeValue::S(s.0), None)),
        ValueType::N => map.next_value::<Option<WireString>>()?.map(|s| {
            match Number::parse(&s.0) {
                Ok(n) => (AttributeValue::N(n), None),
                Err(e) => (AttributeValue::Null, Some(e.into())),
            }
        }),
        ValueType::B => map
            .next_value::<Option<WireBinary>>()?
            .map(|b| (AttributeValue::B(b.0), None)),
        ValueType::Bool => map
            .next_value::<Option<bool>>()?
            .map(|b| (AttributeValue::Bool(b), None)),
        ValueType::Null => map.next_value::<Option<bool>>()?.map(|b| {
            let error = (!b).then(|| {
                Error::validation(
                    "One or more parameter values were invalid: Null attribute value types must have the value of true",
                )
            });
            (AttributeValue::Null, error)
        }),
        ValueType::L => map
            .next_value::<Option<Vec<AttributeValue>>>()?
            .map(|l| (AttributeValue::L(l), None)),
        ValueType::M => map
            .next_value::<Option<Map>>()?
            .map(|m| (AttributeValue::M(m), None)),
        ValueType::Ss => map.next_value::<Option<Vec<WireString>>>()?.map(|list| {
            let count = list.len();
            let set: BTreeSet<String> = list.iter().map(|s| s.0.clone()).collect();
            let error = if count == 0 {
                Some(empty_set(ValueType::Ss).into())
            } else if set.len() < count {
                Some(Error::validation(format!(
                    "One or more parameter values were invalid: Input collection [{}] contains duplicates.",
                    duplicates(list.into_iter().map(|s| s.0))
                )))
            } else {
                None
            };
            (AttributeValue::Ss(set), error)
        }),
        ValueType::Ns => map.next_value::<Option<Vec<WireString>>>()?.map(|list| {
            if list.is_empty() {
                return (AttributeValue::Null, Some(empty_set(ValueType::Ns).into()));
            }
            let mut set = BTreeSet::new();
            for s in &list {
                match Number::parse(&s.0) {
                    Ok(n) => {
                        set.insert(n);
                    }
                    Err(e) => return (AttributeValue::Null, Some(e.into())),
                }
            }
            let error = (set.len() < list.len())
                .then(|| Error::validation("Input collection contains duplicates"));
            (AttributeValue::Ns(set), error)
        }),
        ValueType::Bs => map.next_value::<Option<Vec<WireBinary>>>()?.map(|list| {
            let count = list.len();
            let set: BTreeSet<Vec<u8>> = list.iter().map(|b| b.0.clone()).collect();
            let error = if count == 0 {
                Some(empty_set(ValueType::Bs).into())
            } else if set.len() < count {
                Some(Error::validation(format!(
                    "One or more parameter values were invalid: Input collection [{}]of type BS contains duplicates.",
                    duplicates(list.into_iter().map(|b| b.1))
                )))
            } else {
                None
            };
            (AttributeValue::Bs(set), error)
        }),
    };
    Ok(value)
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DynamoDB AttributeValue object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
        let mut found: Option<(AttributeValue, Option<Error>)> = None;
        let mut members = 0usize;
        while let Some(key) = map.next_key::<TypeKey>()? {
            match key {
                TypeKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
                TypeKey::Known(t) => {
                    if let Some(member) = read_member(&mut map, t)? {
                        members += 1;
                        if found.is_none() {
                            found = Some(member);
                        }
                    }
                }
            }
        }
        let error = match (&found, members) {
            (None, _) => Some(Error::validation(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            )),
            (Some(_), 2..) => Some(Error::validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            )),
            (Some((_, error)), _) => error.clone(),
        };
        match (found, error) {
            (Some((value, _)), None) => Ok(value),
            (_, Some(error)) => {
                report::<A::Error>(error)?;
                Ok(AttributeValue::Null)
            }
            (None, None) => Ok(AttributeValue::Null),
        }
    }
}

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ValueVisitor)
    }
}

// ---------------------------------------------------------------------------
// Plain JSON

/// Converts a plain JSON document into a value: `null` → `NULL`, booleans →
/// `BOOL`, numbers → `N`, strings → `S`, arrays → `L`, objects → `M`.
///
/// Fails (ValidationException) only for a number outside DynamoDB's range or
/// precision.
pub fn value_from_plain_json(json: &serde_json::Value) -> Result<AttributeValue, Error> {
    use serde_json::Value as J;
    Ok(match json {
        J::Null => AttributeValue::Null,
        J::Bool(b) => AttributeValue::Bool(*b),
        J::Number(n) => AttributeValue::N(Number::parse(&n.to_string())?),
        J::String(s) => AttributeValue::S(s.clone()),
        J::Array(items) => AttributeValue::L(
            items
                .iter()
                .map(value_from_plain_json)
                .collect::<Result<_, _>>()?,
        ),
        J::Object(map) => AttributeValue::M(plain_object(map)?),
    })
}

fn plain_object(map: &serde_json::Map<String, serde_json::Value>) -> Result<Map, Error> {
    map.iter()
        .map(|(k, v)| Ok((k.clone(), value_from_plain_json(v)?)))
        .collect()
}

/// Converts a plain JSON object into an item (see [`value_from_plain_json`]).
/// Anything but an object is a ValidationException.
///
/// ```
/// use dynacond::{wire, AttributeValue};
/// let doc = serde_json::json!({"id": "k1", "tags": ["a", 2], "ok": true});
/// let item = wire::item_from_plain_json(&doc)?;
/// assert_eq!(item["tags"], AttributeValue::L(vec![AttributeValue::s("a"), AttributeValue::n(2)]));
/// assert_eq!(wire::item_to_plain_json(&item), doc);
/// # Ok::<(), dynacond::Error>(())
/// ```
pub fn item_from_plain_json(json: &serde_json::Value) -> Result<Item, Error> {
    match json {
        serde_json::Value::Object(map) => plain_object(map),
        _ => Err(Error::validation("An item must be a JSON object")),
    }
}

/// Converts a value to plain JSON: `S` → string, `N` → number, `B` → base64
/// string, sets → arrays, `BOOL` → boolean, `NULL` → null, `L` → array, `M` →
/// object.
///
/// Numbers that JSON numbers (i64, u64 or f64) hold exactly are written as
/// numbers; the others (more digits than an f64 keeps, or beyond its range)
/// are written as their exact canonical string, so no digit is ever lost.
pub fn value_to_plain_json(value: &AttributeValue) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        AttributeValue::S(s) => J::String(s.clone()),
        AttributeValue::N(n) => plain_number(n),
        AttributeValue::B(b) => J::String(BASE64.encode(b)),
        AttributeValue::Ss(set) => J::Array(set.iter().cloned().map(J::String).collect()),
        AttributeValue::Ns(set) => J::Array(set.iter().map(plain_number).collect()),
        AttributeValue::Bs(set) => {
            J::Array(set.iter().map(|b| J::String(BASE64.encode(b))).collect())
        }
        AttributeValue::Bool(b) => J::Bool(*b),
        AttributeValue::Null => J::Null,
        AttributeValue::L(list) => J::Array(list.iter().map(value_to_plain_json).collect()),
        AttributeValue::M(map) => J::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), value_to_plain_json(v)))
                .collect(),
        ),
    }
}

/// Converts an item to a plain JSON object (see [`value_to_plain_json`]).
pub fn item_to_plain_json(item: &Item) -> serde_json::Value {
    serde_json::Value::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), value_to_plain_json(v)))
            .collect(),
    )
}

fn plain_number(n: &Number) -> serde_json::Value {
    if let Some(i) = n.to_i64() {
        return serde_json::Value::from(i);
    }
    let text = n.to_string();
    // Only use an f64 when it prints back to exactly this number.
    let exact_f64 = serde_json::from_str::<serde_json::Number>(&text)
        .ok()
        .filter(|j| Number::parse(&j.to_string()).ok().as_ref() == Some(n));
    match exact_f64 {
        Some(j) => serde_json::Value::Number(j),
        None => serde_json::Value::String(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> Error {
        value_from_json(json.as_bytes()).unwrap_err()
    }

    #[test]
    fn shape_errors_beat_content_errors() {
        let e = item_from_json(br#"{"a": {"SS": []}, "b": {"N": 5}}"#).unwrap_err();
        assert_eq!(e.type_name(), "SerializationException");
        assert_eq!(e.message(), "NUMBER_VALUE cannot be converted to String");
        let e = item_from_json(br#"{"a": {"SS": []}, "b": {"NULL": false}}"#).unwrap_err();
        assert_eq!(e.type_name(), "ValidationException");
        assert!(e.message().contains("string set"), "{e}");
    }

    #[test]
    fn content_errors() {
        assert_eq!(
            err("{}").message(),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
        );
        assert_eq!(err(r#"{"X": 1}"#).message(), err("{}").message());
        assert_eq!(err(r#"{"S": null}"#).message(), err("{}").message());
        assert!(
            err(r#"{"S": "a", "N": "1"}"#)
                .message()
                .contains("more than one datatypes")
        );
        assert_eq!(
            err(r#"{"SS": ["a", "a"]}"#).message(),
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
        );
        assert_eq!(
            err(r#"{"NS": ["1", "1.0"]}"#).message(),
            "Input collection contains duplicates"
        );
        assert_eq!(
            err(r#"{"BS": ["Yg==", "Yg=="]}"#).message(),
            "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates."
        );
        assert_eq!(err(r#"{"N": "dog"}"#).type_name(), "ValidationException");
        assert_eq!(err(r#"{"B": "!!"}"#).type_name(), "SerializationException");
    }

    #[test]
    fn plain_serde_reports_immediately() {
        let e = serde_json::from_str::<AttributeValue>(r#"{"SS": []}"#).unwrap_err();
        assert!(e.to_string().contains("string set"));
        let v: AttributeValue = serde_json::from_str(r#"{"L": [{"NULL": true}]}"#).unwrap();
        assert_eq!(v, AttributeValue::L(vec![AttributeValue::Null]));
    }

    #[test]
    fn plain_numbers_are_exact() {
        let n = |s: &str| plain_number(&s.parse().unwrap());
        assert_eq!(n("12"), serde_json::json!(12));
        assert_eq!(n("0.1"), serde_json::json!(0.1));
        assert_eq!(
            n("0.12345678901234567890123"),
            serde_json::json!("0.12345678901234567890123")
        );
    }
}
