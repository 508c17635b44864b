//! The properties the fuzz targets check, shared by `fuzz/fuzz_targets/*` and
//! by the corpus replay test (`tests/corpus/fuzz_corpus.rs`), which runs them on the
//! saved corpus under `tests/data/fuzz/<target>/` without a nightly toolchain.
#![allow(
    dead_code,
    reason = "shared by the corpus test binary and eight fuzz targets; each uses only part of it"
)]

use dynacond::{Item, wire};

#[cfg(feature = "arbitrary")]
mod generated;
#[cfg(feature = "arbitrary")]
pub use generated::generated;

/// Decoding never panics; an accepted item survives encode + decode unchanged,
/// and its canonical encoding is a fixed point.
pub fn wire_item(data: &[u8]) {
    let Ok(item) = wire::item_from_json(data) else {
        return;
    };
    let encoded = wire::item_to_json(&item);
    let again: Item = match wire::item_from_json(encoded.as_bytes()) {
        Ok(again) => again,
        Err(e) => panic!("re-decoding {encoded} failed: {e}"),
    };
    assert_eq!(item, again, "round trip changed the item: {encoded}");
    assert_eq!(
        encoded,
        wire::item_to_json(&again),
        "encoding is not canonical"
    );
    // Size and validation must not panic either.
    let _ = dynacond::item_size(&item);
    let _ = dynacond::validate_item(&item);
}

use dynacond::condition::ConditionExpression;
use dynacond::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use dynacond::{AttributeValue, Number};

/// Parsing never panics; an accepted condition prints canonical text that
/// parses to the same tree, and printing that again changes nothing.
pub fn condition_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(expr) = ConditionExpression::parse(&text) else {
        return;
    };
    let printed = expr.to_string();
    let again = match ConditionExpression::parse(&printed) {
        Ok(again) => again,
        Err(e) => panic!("canonical text {printed:?} of {text:?} does not parse: {e}"),
    };
    assert_eq!(
        expr.ast().to_prefix(),
        again.ast().to_prefix(),
        "{text:?} printed as {printed:?}"
    );
    assert_eq!(printed, again.to_string(), "printing is not a fixed point");
}

/// Reads fuzz bytes as choices; runs out into zeros.
struct Choices<'a>(&'a [u8]);

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn pick<'p, T>(&mut self, pool: &'p [T]) -> &'p T {
        &pool[usize::from(self.byte()) % pool.len()]
    }
}

const STRINGS: &[&str] = &[
    "", "a", "ab", "abc", "A", "é𝄞", "\u{FFFD}", "😀", "N", "S", "NULL", "L",
];
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "1.5",
    "2",
    "10",
    "1e10",
    "-0.001",
    "99999999999999999999999999999999999999",
    "1E-130",
];
const NAMES: &[&str] = &["a", "b", "c", "d"];

fn gen_value(c: &mut Choices<'_>, depth: u32) -> AttributeValue {
    let number = |c: &mut Choices<'_>| c.pick(NUMBERS).parse::<Number>().unwrap();
    let bytes = |c: &mut Choices<'_>| {
        let n = usize::from(c.byte() % 4);
        (0..n).map(|_| c.byte() % 4 + 0x7e).collect::<Vec<u8>>()
    };
    let count = |c: &mut Choices<'_>| 1 + usize::from(c.byte() % 3);
    match c.byte() % if depth > 2 { 8 } else { 10 } {
        0 => AttributeValue::s(*c.pick(STRINGS)),
        1 => AttributeValue::N(number(c)),
        2 => AttributeValue::B(bytes(c)),
        3 => AttributeValue::Ss(
            (0..count(c))
                .map(|_| (*c.pick(STRINGS)).to_owned())
                .collect(),
        ),
        4 => AttributeValue::Ns((0..count(c)).map(|_| number(c)).collect()),
        5 => AttributeValue::Bs((0..count(c)).map(|_| bytes(c)).collect()),
        6 => AttributeValue::Bool(c.byte() % 2 == 0),
        7 => AttributeValue::Null,
        8 => AttributeValue::L((0..count(c) - 1).map(|_| gen_value(c, depth + 1)).collect()),
        _ => AttributeValue::M(
            (0..count(c) - 1)
                .map(|_| ((*c.pick(NAMES)).to_owned(), gen_value(c, depth + 1)))
                .collect(),
        ),
    }
}

/// Splits `<expression>\0<choices>` into the expression text and the choices.
fn split_input(data: &[u8]) -> (std::borrow::Cow<'_, str>, &[u8]) {
    let (text, rest) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    (String::from_utf8_lossy(text), rest)
}

/// An item of up to four attributes, the values `:v0`..`:v3` and the names
/// `#n0`..`#n2`, all drawn from small pools so that paths hit.
fn gen_request(
    choices: &[u8],
) -> (
    dynacond::Item,
    ExpressionAttributeValues,
    ExpressionAttributeNames,
) {
    let mut c = Choices(choices);
    let mut item = dynacond::Item::new();
    for _ in 0..c.byte() % 5 {
        item.insert((*c.pick(NAMES)).to_owned(), gen_value(&mut c, 0));
    }
    let mut values = ExpressionAttributeValues::new();
    for i in 0..4 {
        values.insert(format!(":v{i}"), gen_value(&mut c, 0));
    }
    let mut names = ExpressionAttributeNames::new();
    for i in 0..3 {
        names.insert(format!("#n{i}"), (*c.pick(NAMES)).to_owned());
    }
    (item, values, names)
}

/// The input is `<expression>\0<choices>`: the choices build the item, the
/// values `:v0`..`:v3` and the names `#n0`..`#n2`. Binding may fail (with a
/// ValidationException about the ConditionExpression) but evaluation never
/// panics, and `NOT (c)` is always the negation of `c`.
pub fn condition_eval(data: &[u8]) {
    let (text, rest) = split_input(data);
    let Ok(expr) = ConditionExpression::parse(&text) else {
        return;
    };
    let (item, values, names) = gen_request(rest);
    let bound = match expr.bind(Some(&names), Some(&values)) {
        Ok(bound) => bound,
        Err(e) => {
            assert_eq!(e.type_name(), "ValidationException");
            assert!(
                e.message().starts_with("Invalid ConditionExpression: "),
                "{e}"
            );
            return;
        }
    };
    let result = bound.evaluate(&item);
    let _ = bound.evaluate(&dynacond::Item::new());
    // The explanation agrees, and renders.
    let explained = bound.explain(&item);
    assert_eq!(explained.result(), result, "explain({expr}) on {item:?}");
    let _ = (explained.to_string(), explained.to_json());
    if let Ok(negated) = ConditionExpression::parse(&format!("NOT ({expr})")) {
        if let Ok(bound_not) = negated.bind(Some(&names), Some(&values)) {
            assert_eq!(
                bound_not.evaluate(&item),
                !result,
                "NOT ({expr}) on {item:?}"
            );
        }
    }
}

/// The input is `<update expression>\0<choices>`, the choices building an
/// item and placeholder maps as for `condition_eval`. An accepted update
/// prints canonical text that re-parses to the same tree; binding errors are
/// ValidationExceptions about the UpdateExpression; applying it to the item
/// and to a missing item never panics, fails only with ValidationExceptions,
/// and a result is a valid item apart from size.
pub fn update_apply(data: &[u8]) {
    use dynacond::update::UpdateExpression;

    let (text, rest) = split_input(data);
    let Ok(update) = UpdateExpression::parse(&text) else {
        return;
    };
    let printed = update.to_string();
    match UpdateExpression::parse(&printed) {
        Ok(again) => assert_eq!(again.to_string(), printed, "printing is not a fixed point"),
        // Canonical text adds spaces, so it may pass the 4 KB limit.
        Err(e) => assert!(
            printed.len() > 4096,
            "canonical text {printed:?} of {text:?} does not parse: {e}"
        ),
    }
    let (item, values, names) = gen_request(rest);
    let bound = match update.bind(Some(&names), Some(&values), &["d"]) {
        Ok(bound) => bound,
        Err(e) => {
            assert_eq!(e.type_name(), "ValidationException", "{e}");
            return;
        }
    };
    let before = item.clone();
    for target in [Some(&item), None] {
        match bound.apply(target) {
            Ok(Some(new)) => {
                let _ = bound.updated_attributes(&new);
                for value in new.values() {
                    let _ = value.validate();
                }
            }
            Ok(None) => assert!(target.is_none(), "an existing item vanished"),
            Err(e) => assert_eq!(e.type_name(), "ValidationException", "{e}"),
        }
    }
    let _ = bound.updated_attributes(&item);
    assert_eq!(item, before, "apply changed its input");
}

#[path = "../store_ops/mod.rs"]
mod store_ops;

/// Arbitrary operation sequences (puts with and without conditions,
/// conditional updates, creating updates, conditional deletes, gets,
/// two-action transactions, each put or update setting, keeping, removing
/// or mistyping the GSI key) on a table with a GSI, an LSI and a stream,
/// and on a `BTreeMap` model: every outcome and the final contents agree,
/// each index equals a rebuild from the table, and the stream, read at
/// every Get and at the end, rebuilds the model.
pub fn store_ops(data: &[u8]) {
    let store = store_ops::new_store();
    let mut model = store_ops::Model::new();
    let mut reader = store_ops::StreamReader::new(&store);
    for op in store_ops::ops_from_bytes(data).iter().take(200) {
        if let Err(mismatch) = store_ops::step(&store, &mut model, op) {
            panic!("{mismatch}");
        }
        // Reads of the stream between writes (at every Get).
        if matches!(op, store_ops::Op::Get { .. }) {
            if let Err(mismatch) = reader.catch_up(&store) {
                panic!("{mismatch}");
            }
            assert_eq!(reader.replica, model);
        }
    }
    assert_eq!(store_ops::contents(&store), model);
    if let Err(mismatch) = reader.catch_up(&store) {
        panic!("{mismatch}");
    }
    assert_eq!(reader.replica, model);
    if let Err(mismatch) = store_ops::check_indexes(&store) {
        panic!("{mismatch}");
    }
}

/// The endpoint's protocol layer: requests split on `0xFF`, each a byte
/// choosing the operation (`0xF0..=0xFE`: a Streams operation) and then the
/// body. Every reply is a 200 or a 400
/// with a JSON body (see [`check_reply`]); nothing panics and no bad input is
/// answered as an internal failure (500).
pub fn endpoint_dispatch(data: &[u8]) {
    use dynacond::protocol::{
        OPERATIONS, STREAMS_OPERATIONS, STREAMS_TARGET_PREFIX, TARGET_PREFIX, dispatch,
    };

    let store = endpoint_store();
    for request in data.split(|b| *b == 0xFF).take(16) {
        let Some((op, body)) = request.split_first() else {
            continue;
        };
        let streams = usize::from(op.saturating_sub(0xF0)) % STREAMS_OPERATIONS.len();
        let target = match OPERATIONS.get(usize::from(*op) % (OPERATIONS.len() + 1)) {
            _ if *op >= 0xF0 => STREAMS_OPERATIONS
                .get(streams)
                .map(|name| format!("{STREAMS_TARGET_PREFIX}{name}"))
                .unwrap_or_default(),
            Some(name) => format!("{TARGET_PREFIX}{name}"),
            None => "DynamoDB_20120810.Unknown".to_owned(),
        };
        check_reply(&target, body, &dispatch(&store, Some(&target), body));
    }
}

/// Parsing a PartiQL statement never panics; an accepted statement prints
/// canonical text that parses to the same statement, and printing is a
/// fixed point. Run against a small store (alone, as a batch member, in a
/// transaction), it gets a well-formed reply.
pub fn partiql(data: &[u8]) {
    use dynacond::partiql::{MAX_STATEMENT_BYTES, Statement};
    use dynacond::protocol::{TARGET_PREFIX, dispatch};

    let text = String::from_utf8_lossy(data);
    if let Ok(statement) = Statement::parse(&text) {
        let printed = statement.to_string();
        if printed.len() <= MAX_STATEMENT_BYTES {
            let again = match Statement::parse(&printed) {
                Ok(again) => again,
                Err(e) => panic!("canonical text {printed:?} of {text:?} does not parse: {e}"),
            };
            assert_eq!(printed, again.to_string(), "printing is not a fixed point");
        }
    }
    let store = endpoint_store();
    for item in [
        r#"{"TableName": "tbl", "Item": {"p": {"S": "k1"}, "a": {"N": "1"}, "l": {"L": [{"S": "x"}]}}}"#,
        r#"{"TableName": "two", "Item": {"p": {"S": "k1"}, "c": {"N": "1"}, "s": {"SS": ["a"]}}}"#,
        r#"{"TableName": "two", "Item": {"p": {"S": "k1"}, "c": {"N": "2"}, "m": {"M": {"x": {"N": "2"}}}}}"#,
    ] {
        dispatch(&store, Some("DynamoDB_20120810.PutItem"), item.as_bytes());
    }
    let statement = serde_json::Value::String(text.into_owned());
    let params = serde_json::json!([{"S": "k1"}, {"N": "1"}, {"SS": ["a", "b"]}]);
    let member = serde_json::json!({"Statement": statement, "Parameters": params});
    for (operation, body) in [
        ("ExecuteStatement", member.clone()),
        (
            "ExecuteStatement",
            serde_json::json!({"Statement": statement, "Limit": 1}),
        ),
        (
            "BatchExecuteStatement",
            serde_json::json!({"Statements": [member]}),
        ),
        (
            "ExecuteTransaction",
            serde_json::json!({"TransactStatements": [member]}),
        ),
    ] {
        let target = format!("{TARGET_PREFIX}{operation}");
        let body = serde_json::to_vec(&body).unwrap_or_default();
        check_reply(&target, &body, &dispatch(&store, Some(&target), &body));
    }
}

/// A store with the tables `tbl` (key `p`, S) and `two` (`p` S, `c` N).
fn endpoint_store() -> dynacond::Store {
    use dynacond::protocol::dispatch;

    let store = dynacond::Store::new();
    for table in [
        r#"{"TableName": "tbl", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}"#,
        r#"{"TableName": "two", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
            {"AttributeName": "c", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "c", "AttributeType": "N"}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}"#,
    ] {
        let reply = dispatch(
            &store,
            Some("DynamoDB_20120810.CreateTable"),
            table.as_bytes(),
        );
        assert_eq!(reply.status, 200);
    }
    store
}

/// A reply to `body` sent to `target` is a 200 with a JSON object, or a 400
/// with DynamoDB's error body: a `__type`, and a `message` except where
/// DynamoDB sends none (spec validation.md §7.5): an
/// `UnknownOperationException` never has one, and a `SerializationException`
/// may lack one only when the body is not JSON at all.
fn check_reply(target: &str, body: &[u8], reply: &dynacond::protocol::Reply) {
    const UNKNOWN_OPERATION: &str = "com.amazon.coral.service#UnknownOperationException";
    const SERIALIZATION: &str = "com.amazon.coral.service#SerializationException";

    let json: serde_json::Value = match serde_json::from_slice(&reply.body) {
        Ok(json) => json,
        Err(e) => panic!("{target}: reply is not JSON ({e})"),
    };
    match reply.status {
        200 => assert!(json.is_object(), "{target}: {json}"),
        400 => {
            let Some(wire_type) = json["__type"].as_str() else {
                panic!("{target}: no __type: {json}");
            };
            let not_json = serde_json::from_slice::<serde_json::Value>(body).is_err();
            if wire_type == UNKNOWN_OPERATION {
                assert!(json.get("message").is_none(), "{target}: {json}");
            } else if !(wire_type == SERIALIZATION && not_json) {
                assert!(json["message"].is_string(), "{target}: {json}");
            }
        }
        status => panic!(
            "{target}: status {status} for {:?}: {json}",
            String::from_utf8_lossy(body)
        ),
    }
}

/// A request body as the endpoint receives it: the first byte picks the
/// `Content-Encoding` header (none, `gzip`, `deflate`, `identity`, a list,
/// an unknown coding), the rest is the body as sent. Decoding it with the
/// server's own [`dynacond::server::decode_body`] (with a 64 KiB limit, so
/// that bombs reach it) never panics and never returns more than the limit;
/// a plain body comes back unchanged, an empty compressed one is refused; a
/// decoded body is then a PutItem whose reply passes [`check_reply`]. And
/// the rest, compressed with the chosen coding by flate2, decodes back to
/// itself.
#[cfg(feature = "server")]
pub fn endpoint_body(data: &[u8]) {
    use dynacond::server::{BodyError, ContentEncoding, decode_body};
    use std::io::Write;

    const LIMIT: usize = 64 * 1024;
    const HEADERS: &[&str] = &[
        "",
        "gzip",
        "deflate",
        "identity",
        "identity, GZIP",
        "garbage",
    ];

    let Some((choice, sent)) = data.split_first() else {
        return;
    };
    let header = HEADERS[usize::from(*choice) % HEADERS.len()];
    let encoding = match header.parse::<ContentEncoding>() {
        Ok(encoding) => encoding,
        Err(e) => {
            assert_eq!(e, BodyError::UnsupportedEncoding(header.to_owned()));
            return;
        }
    };
    match decode_body(encoding, sent, LIMIT) {
        Ok(body) => {
            assert!(body.len() <= LIMIT, "{encoding}: {} bytes", body.len());
            if encoding == ContentEncoding::Identity {
                assert_eq!(&*body, sent);
            }
            let store = endpoint_store();
            let target = "DynamoDB_20120810.PutItem";
            let reply = dynacond::protocol::dispatch(&store, Some(target), &body);
            check_reply(target, &body, &reply);
        }
        Err(BodyError::TooLarge { limit }) => assert_eq!(limit, LIMIT),
        Err(BodyError::Malformed {
            encoding: named, ..
        }) => {
            assert_eq!(named, encoding);
            assert_ne!(encoding, ContentEncoding::Identity);
        }
        Err(e) => panic!("{encoding}: {e}"),
    }
    if encoding != ContentEncoding::Identity && sent.is_empty() {
        assert!(
            decode_body(encoding, sent, LIMIT).is_err(),
            "{encoding}: empty body"
        );
    }
    // Round trip.
    let level = flate2::Compression::fast();
    let compressed = match encoding {
        ContentEncoding::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), level);
            e.write_all(sent).unwrap();
            e.finish().unwrap()
        }
        ContentEncoding::Deflate => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), level);
            e.write_all(sent).unwrap();
            e.finish().unwrap()
        }
        _ => sent.to_vec(),
    };
    match decode_body(encoding, &compressed, LIMIT) {
        Ok(back) => assert_eq!(&*back, sent, "{encoding}: round trip"),
        Err(e) => assert!(
            sent.len() > LIMIT && e == BodyError::TooLarge { limit: LIMIT },
            "{encoding}: {e}"
        ),
    }
}
