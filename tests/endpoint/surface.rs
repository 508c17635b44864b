//! The endpoint's HTTP surface beyond the operations (spec validation.md
//! §7.5, §8): `__type` namespaces and the error bodies without a message,
//! CORS, the health check, and the headers every reply carries.

use std::net::SocketAddr;

use serde_json::json;

use crate::client::{gzip, send};
use crate::server::{NS, Response, call, create_table, start};

const CORAL_SERVICE: &str = "com.amazon.coral.service#";
const CORAL_VALIDATE: &str = "com.amazon.coral.validate#";

const CORS_HEADERS: [&str; 6] = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
];

const EXPOSED: &str = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";

fn post(addr: SocketAddr, target: &str, extra: &[(&str, &str)], body: &[u8]) -> Response {
    let target = format!("DynamoDB_20120810.{target}");
    let mut headers = vec![
        ("X-Amz-Target", target.as_str()),
        ("Content-Type", "application/x-amz-json-1.0"),
    ];
    headers.extend_from_slice(extra);
    send(addr, "POST", "/", &headers, body)
}

#[test]
fn error_types_carry_dynamodbs_namespaces_and_messages() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    // Unknown operation (H1) and malformed JSON (H2): no message at all.
    for (response, want) in [
        (
            post(addr, "NoSuchThing", &[], b"{}"),
            "com.amazon.coral.service#UnknownOperationException",
        ),
        (
            post(addr, "PutItem", &[], b"{broken json"),
            "com.amazon.coral.service#SerializationException",
        ),
        (
            post(addr, "PutItem", &[], b""),
            "com.amazon.coral.service#SerializationException",
        ),
    ] {
        assert_eq!(response.status, 400);
        assert_eq!(response.json(), json!({"__type": want}));
    }
    // A wrong JSON type for a known member: a message.
    let r = post(addr, "DescribeTable", &[], br#"{"TableName": 5}"#);
    assert_eq!(
        r.json(),
        json!({"__type": format!("{CORAL_SERVICE}SerializationException"),
            "message": "NUMBER_VALUE cannot be converted to String"})
    );
    // ValidationException (H10): coral.validate.
    let r = call(addr, "PutItem", json!({"Item": {"p": {"S": "k1"}}}));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["__type"],
        format!("{CORAL_VALIDATE}ValidationException")
    );
    assert!(r.json()["message"].is_string());
    // The service's own exceptions keep the DynamoDB namespace.
    let r = call(
        addr,
        "GetItem",
        json!({"TableName": "nope", "Key": {"p": {"S": "a"}}}),
    );
    assert_eq!(
        r.json(),
        json!({"__type": format!("{NS}ResourceNotFoundException"),
            "message": "Requested resource not found"})
    );
    let r = call(
        addr,
        "PutItem",
        json!({"TableName": "tbl", "Item": {"p": {"S": "a"}},
            "ConditionExpression": "attribute_exists(p)"}),
    );
    assert_eq!(
        r.json()["__type"],
        format!("{NS}ConditionalCheckFailedException")
    );
}

#[test]
fn put_item_answers_exactly_an_empty_object() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    let r = call(
        addr,
        "PutItem",
        json!({"TableName": "tbl", "Item": {"p": {"S": "k1"}, "a": {"S": "hello"}}}),
    );
    assert_eq!((r.status, r.body.as_slice()), (200, &b"{}"[..]));
}

#[test]
fn every_reply_carries_dynamodbs_headers() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    let json_type = Some("application/x-amz-json-1.0");
    let replies = [
        ("success", post(addr, "ListTables", &[], b"{}"), json_type),
        (
            "validation error",
            call(addr, "PutItem", json!({"Item": {}})),
            json_type,
        ),
        (
            "unknown operation",
            post(addr, "Nope", &[], b"{}"),
            json_type,
        ),
        ("malformed JSON", post(addr, "Scan", &[], b"{"), json_type),
        (
            "bad compression",
            post(addr, "Scan", &[("Content-Encoding", "gzip")], b"{}"),
            json_type,
        ),
        (
            "gzip success",
            post(
                addr,
                "ListTables",
                &[("Content-Encoding", "gzip")],
                &gzip(b"{}"),
            ),
            json_type,
        ),
        (
            "missing Content-Type",
            send(
                addr,
                "POST",
                "/",
                &[("X-Amz-Target", "DynamoDB_20120810.ListTables")],
                b"{}",
            ),
            json_type,
        ),
        (
            "GET elsewhere",
            send(addr, "GET", "/nope", &[], b""),
            json_type,
        ),
        (
            "health",
            send(addr, "GET", "/", &[], b""),
            Some("text/plain"),
        ),
        ("OPTIONS", send(addr, "OPTIONS", "/", &[], b""), None),
    ];
    let mut ids = Vec::new();
    for (name, r, content_type) in &replies {
        assert_eq!(r.header("content-type"), *content_type, "{name}");
        let crc: u32 = r.header("x-amz-crc32").unwrap().parse().unwrap();
        assert_eq!(crc, crc32fast::hash(&r.body), "{name}");
        let id = r.header("x-amzn-requestid").unwrap();
        assert_eq!(id.len(), 52, "{name}");
        ids.push(id.to_owned());
        assert!(
            r.header("date").is_some_and(|d| d.ends_with(" GMT")),
            "{name}"
        );
        assert_eq!(r.header("server"), Some("dynacond"), "{name}");
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), replies.len());
}

#[test]
fn plain_json_requests_are_answered_as_plain_json() {
    let server = start();
    let addr = server.local_addr();
    for (body, status) in [(&b"{}"[..], 200), (b"{", 400)] {
        let r = send(
            addr,
            "POST",
            "/",
            &[
                ("X-Amz-Target", "DynamoDB_20120810.ListTables"),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        assert_eq!(r.status, status);
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
}

#[test]
fn the_health_check_answers_get_slash_only() {
    let server = start();
    let addr = server.local_addr();
    let r = send(addr, "GET", "/", &[], b"");
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, &b"healthy: localhost"[..])
    );
    let host = server.local_addr().to_string();
    let r = send(addr, "GET", "/", &[("Host", &host)], b"");
    assert_eq!(r.body, format!("healthy: {host}").into_bytes());
    let r = send(addr, "GET", "/?probe=1", &[], b"");
    assert_eq!(r.status, 200);
    for path in ["/nope", "/index.html", "//"] {
        let r = send(addr, "GET", path, &[], b"");
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.error_type(), "UnknownOperationException", "{path}");
    }
}

#[test]
fn no_cors_headers_without_an_origin() {
    let server = start();
    let addr = server.local_addr();
    for (method, target) in [
        ("GET", None),
        ("POST", Some("ListTables")),
        ("OPTIONS", None),
    ] {
        let headers: Vec<(&str, String)> = target
            .map(|t| {
                vec![
                    ("X-Amz-Target", format!("DynamoDB_20120810.{t}")),
                    ("Content-Type", "application/x-amz-json-1.0".to_owned()),
                ]
            })
            .unwrap_or_default();
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let r = send(addr, method, "/", &headers, b"{}");
        assert_eq!(r.status, 200, "{method}");
        for name in CORS_HEADERS {
            assert_eq!(r.header(name), None, "{method} {name}");
        }
    }
}

#[test]
fn an_origin_gets_cors_headers_on_every_response() {
    let server = start();
    let addr = server.local_addr();
    // Asks that only a pre-flight answers, even nonsense ones (Alternator's test).
    let origin = [
        ("Origin", "http://example.com/"),
        ("Access-Control-Request-Method", "dog"),
        ("Access-Control-Request-Headers", "cat, meerkat, mouse"),
    ];
    let json_post = |target: &str, body: &[u8]| {
        let target = format!("DynamoDB_20120810.{target}");
        let mut headers = origin.to_vec();
        headers.push(("X-Amz-Target", &target));
        headers.push(("Content-Type", "application/x-amz-json-1.0"));
        send(addr, "POST", "/", &headers, body)
    };
    let responses = [
        ("GET /", send(addr, "GET", "/", &origin, b"")),
        ("GET /nope", send(addr, "GET", "/nope", &origin, b"")),
        ("POST ListTables", json_post("ListTables", b"{}")),
        ("POST error", json_post("NoSuchThing", b"{}")),
        ("POST bare", send(addr, "POST", "/", &origin, b"")),
        ("PUT", send(addr, "PUT", "/", &origin, b"")),
    ];
    for (name, r) in &responses {
        assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"), "{name}");
        assert_eq!(
            r.header("Access-Control-Expose-Headers"),
            Some(EXPOSED),
            "{name}"
        );
        for absent in [
            "Access-Control-Max-Age",
            "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers",
            "Access-Control-Allow-Credentials",
        ] {
            assert_eq!(r.header(absent), None, "{name} {absent}");
        }
    }
    assert_eq!(responses[2].1.status, 200);
    // The pre-flight: 200, empty, the asks echoed verbatim.
    let r = send(addr, "OPTIONS", "/", &origin, b"");
    assert_eq!((r.status, r.body.as_slice()), (200, &b""[..]));
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(r.header("Access-Control-Expose-Headers"), Some(EXPOSED));
    assert_eq!(r.header("Access-Control-Max-Age"), Some("172800"));
    assert_eq!(r.header("Access-Control-Allow-Methods"), Some("dog"));
    assert_eq!(
        r.header("Access-Control-Allow-Headers"),
        Some("cat, meerkat, mouse")
    );
    assert_eq!(r.header("Access-Control-Allow-Credentials"), None);
    // A pre-flight that asks for nothing is allowed nothing more.
    let r = send(
        addr,
        "OPTIONS",
        "/",
        &[("Origin", "http://example.com/")],
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Access-Control-Max-Age"), Some("172800"));
    assert_eq!(r.header("Access-Control-Allow-Methods"), None);
    assert_eq!(r.header("Access-Control-Allow-Headers"), None);
}
