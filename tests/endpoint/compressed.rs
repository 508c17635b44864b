//! Compressed request bodies (`Content-Encoding: gzip` / `deflate`, spec
//! validation.md §8): accepted and decompressed; bad compression is an HTTP
//! 500 that executes nothing; the size limit applies to the decompressed body
//! and stops a zip bomb early.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use dynacond::Store;
use dynacond::server::{Options, Server};
use serde_json::{Value, json};

use crate::client::{gzip, send, zlib};
use crate::server::{Response, call, create_table, start};

const INTERNAL: &str = "com.amazonaws.dynamodb.v20120810#InternalServerError";

fn put_body(key: &str) -> Vec<u8> {
    json!({"TableName": "tbl", "Item": {"p": {"S": key}, "v": {"S": "zipped"}}})
        .to_string()
        .into_bytes()
}

/// A PutItem whose body is sent as it is, with this `Content-Encoding`.
fn put(addr: SocketAddr, encoding: Option<&str>, body: &[u8]) -> Response {
    let mut headers = vec![
        ("X-Amz-Target", "DynamoDB_20120810.PutItem"),
        ("Content-Type", "application/x-amz-json-1.0"),
    ];
    if let Some(encoding) = encoding {
        headers.push(("Content-Encoding", encoding));
    }
    send(addr, "POST", "/", &headers, body)
}

/// The stored item under `key`, if any.
fn stored(addr: SocketAddr, key: &str) -> Option<Value> {
    let r = call(
        addr,
        "GetItem",
        json!({"TableName": "tbl", "Key": {"p": {"S": key}}, "ConsistentRead": true}),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json().get("Item").cloned()
}

#[test]
fn gzip_and_deflate_bodies_are_decompressed() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    // Two gzip members make one body (the JSON is split across them).
    let whole = put_body("multi");
    let (first, second) = whole.split_at(whole.len() / 2);
    let mut members = gzip(first);
    members.extend(gzip(second));
    let cases: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        ("gz", Some("gzip"), gzip(&put_body("gz"))),
        ("GZ", Some("GZIP"), gzip(&put_body("GZ"))),
        ("df", Some("deflate"), zlib(&put_body("df"))),
        ("multi", Some("gzip"), members),
        ("id", Some("identity"), put_body("id")),
        ("id2", Some("identity, gzip"), gzip(&put_body("id2"))),
        ("plain", None, put_body("plain")),
    ];
    for (key, encoding, body) in cases {
        let r = put(addr, encoding, &body);
        assert_eq!(
            (r.status, r.body.as_slice()),
            (200, &b"{}"[..]),
            "{key}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(
            stored(addr, key),
            Some(json!({"p": {"S": key}, "v": {"S": "zipped"}})),
            "{key}"
        );
    }
}

#[test]
fn bad_compression_is_an_internal_server_error_and_nothing_is_written() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    let mut two_streams = zlib(b"{\"TableName\": \"tbl\",");
    two_streams.extend(zlib(b" \"Item\": {\"p\": {\"S\": \"k\"}}}"));
    let mut junk_after = gzip(&put_body("k"));
    junk_after.extend_from_slice(b"junk");
    let gz = gzip(&put_body("k"));
    let df = zlib(&put_body("k"));
    let cases: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        ("two zlib streams", Some("deflate"), two_streams),
        (
            "gzip cut by one byte",
            Some("gzip"),
            gz[..gz.len() - 1].to_vec(),
        ),
        (
            "gzip cut in half",
            Some("gzip"),
            gz[..gz.len() / 2].to_vec(),
        ),
        (
            "zlib cut by one byte",
            Some("deflate"),
            df[..df.len() - 1].to_vec(),
        ),
        ("plain body, gzip header", Some("gzip"), put_body("k")),
        ("plain body, deflate header", Some("deflate"), put_body("k")),
        ("gzip body, deflate header", Some("deflate"), gz.clone()),
        ("zlib body, gzip header", Some("gzip"), df.clone()),
        ("junk after a gzip member", Some("gzip"), junk_after),
        ("empty body, gzip", Some("gzip"), Vec::new()),
        ("empty body, deflate", Some("deflate"), Vec::new()),
        ("unknown coding", Some("garbage"), put_body("k")),
        ("unknown coding, gzip body", Some("br"), gz.clone()),
        ("two codings", Some("gzip, deflate"), gz),
    ];
    for (name, encoding, body) in cases {
        let r = put(addr, encoding, &body);
        assert_eq!(
            r.status,
            500,
            "{name}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let json = r.json();
        assert_eq!(json["__type"], INTERNAL, "{name}");
        assert!(json["message"].is_string(), "{name}");
        assert_eq!(
            r.header("content-type"),
            Some("application/x-amz-json-1.0"),
            "{name}"
        );
        assert_eq!(stored(addr, "k"), None, "{name} wrote the item");
    }
    // The connection-level failure did not disturb the server.
    assert_eq!(put(addr, None, &put_body("k")).status, 200);
}

#[test]
fn the_limit_applies_to_the_decompressed_body() {
    let server = Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .with_options(Options {
            max_body_bytes: 4096,
            ..Options::default()
        })
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    // JSON padded with spaces to exactly the limit, then one byte more.
    let padded = |key: &str, length: usize| {
        let body = put_body(key);
        [body.clone(), vec![b' '; length - body.len()]].concat()
    };
    for (encoding, compress) in [("gzip", gzip as fn(&[u8]) -> Vec<u8>), ("deflate", zlib)] {
        let key = format!("edge-{encoding}");
        let (exact, over) = (padded(&key, 4096), padded(&key, 4097));
        let r = put(addr, Some(encoding), &compress(&over));
        assert!(compress(&over).len() < 4096);
        assert_eq!(
            (r.status, r.error_type().as_str()),
            (413, "ValidationException"),
            "{encoding}"
        );
        assert_eq!(
            r.json()["message"],
            "Request size exceeds the limit of 4096 bytes"
        );
        assert_eq!(stored(addr, &key), None, "{encoding}");
        let r = put(addr, Some(encoding), &compress(&exact));
        assert_eq!(r.status, 200, "{encoding}");
    }
    // The same answer as for a plain body over the limit.
    let r = put(addr, None, &padded("plain", 4097));
    assert_eq!(
        (r.status, r.error_type().as_str()),
        (413, "ValidationException")
    );
}

/// A few KB that inflate to far more than the 16 MiB limit: refused with 413
/// as soon as decompression passes the limit. The 1 GiB bomb would take many
/// seconds and a gigabyte of memory to inflate whole; it is answered at once
/// because decoding stops at 16 MiB (`decode_body`'s unit tests show that
/// the output never even reserves more than the limit).
#[test]
fn zip_bombs_are_refused_at_the_limit_without_inflating_them() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    // 20 MB of zeros as one zlib stream: a few KB.
    let twenty_mb = zlib(&vec![0u8; 20 * 1000 * 1000]);
    assert!(twenty_mb.len() < 64 * 1024, "{}", twenty_mb.len());
    // 1 GiB of zeros as 1,024 gzip members of 1 MiB each: about 1 MB.
    let member = gzip(&vec![0u8; 1024 * 1024]);
    let gigabyte = member.repeat(1024);
    assert!(gigabyte.len() < 2 * 1024 * 1024, "{}", gigabyte.len());
    for (name, encoding, body) in [
        ("20 MB deflate", "deflate", twenty_mb),
        ("1 GiB gzip", "gzip", gigabyte),
    ] {
        let started = Instant::now();
        let r = put(addr, Some(encoding), &body);
        assert_eq!(
            (r.status, r.error_type().as_str()),
            (413, "ValidationException"),
            "{name}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{name} took {:?}",
            started.elapsed()
        );
    }
    assert_eq!(
        put(addr, Some("gzip"), &gzip(&put_body("after"))).status,
        200
    );
}
