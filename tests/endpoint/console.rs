//! The web console's server side: content negotiation at `/`, the embedded
//! assets and their headers, and the request log over HTTP.

use dynacond::Store;
use dynacond::server::Server;
use serde_json::{Value, json};

use crate::client::send;
use crate::server::call;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[test]
fn a_browser_gets_the_console_and_every_other_client_the_endpoint() {
    let server = Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    // A browser's GET / is the page, with the console's headers.
    let page = send(addr, "GET", "/", &[("Accept", BROWSER)], b"");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert!(String::from_utf8_lossy(&page.body).contains("/console/app.js"));
    // Revalidation by its tag.
    let etag = page.header("etag").unwrap().to_owned();
    let again = send(
        addr,
        "GET",
        "/",
        &[("Accept", BROWSER), ("If-None-Match", &etag)],
        b"",
    );
    assert_eq!((again.status, again.body.len()), (304, 0));
    // Probes, SDKs and load balancers keep DynamoDB's health line.
    for accept in [None, Some("*/*"), Some("application/json")] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        let r = send(addr, "GET", "/", &headers, b"");
        assert_eq!((r.status, &r.body[..]), (200, &b"healthy: localhost"[..]));
    }
    // A POST to / is DynamoDB's protocol whatever it accepts.
    let r = send(
        addr,
        "POST",
        "/",
        &[
            ("Accept", BROWSER),
            ("X-Amz-Target", "DynamoDB_20120810.ListTables"),
            ("Content-Type", "application/x-amz-json-1.0"),
        ],
        b"{}",
    );
    assert_eq!((r.status, &r.body[..]), (200, &br#"{"TableNames":[]}"#[..]));
    // The assets, with their types; anything else under /console/ is 404.
    for (path, kind) in [
        ("/console/app.js", "text/javascript; charset=utf-8"),
        ("/console/app.css", "text/css; charset=utf-8"),
        ("/console/icon.svg", "image/svg+xml"),
    ] {
        let r = send(addr, "GET", path, &[], b"");
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(kind)),
            "{path}"
        );
        assert!(r.header("content-security-policy").is_some());
    }
    for path in [
        "/console/",
        "/console/nope.js",
        "/console/../Cargo.toml",
        "/console/app.js.map",
        "/index.html",
    ] {
        let r = send(addr, "GET", path, &[("Accept", BROWSER)], b"");
        assert_eq!(r.status, 404, "{path}");
        assert!(r.header("content-security-policy").is_none());
    }
    // An asset is not an operation: a POST there is DynamoDB's answer to a
    // request without a target.
    let r = send(
        addr,
        "POST",
        "/console/app.js",
        &[("Content-Type", "application/x-amz-json-1.0")],
        b"{}",
    );
    assert_eq!(r.status, 400);
}

#[test]
fn the_request_log_records_served_calls_and_stays_bounded() {
    let server = Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    let log = || -> Value {
        let r = send(addr, "GET", "/dynacond/requests", &[], b"");
        assert_eq!(r.status, 200);
        serde_json::from_slice(&r.body).unwrap()
    };
    assert_eq!(log()["requests"], json!([]));
    let r = call(
        addr,
        "GetItem",
        json!({"TableName": "missing", "Key": {"p": {"S": "x"}}}),
    );
    assert_eq!(r.status, 400);
    // Control calls and page loads are not DynamoDB calls: not logged.
    send(addr, "GET", "/", &[("Accept", BROWSER)], b"");
    let entries = log()["requests"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry["operation"], "GetItem");
    assert_eq!(entry["table"], "missing");
    assert_eq!(entry["status"], 400);
    assert_eq!(entry["error"], "ResourceNotFoundException");
    assert_eq!(entry["message"], "Requested resource not found");
    assert!(entry["latency_micros"].is_u64());
    // More calls than the ring holds: only the newest are kept.
    let capacity = log()["capacity"].as_u64().unwrap();
    for _ in 0..capacity + 5 {
        assert_eq!(call(addr, "ListTables", json!({})).status, 200);
    }
    let full = log();
    let entries = full["requests"].as_array().unwrap();
    assert_eq!(entries.len() as u64, capacity);
    assert_eq!(full["recorded"], capacity + 6);
    assert!(entries.iter().all(|e| e["operation"] == "ListTables"));
    assert_eq!(entries.last().unwrap()["seq"], capacity + 5);
    // DELETE empties it; other methods are refused.
    let r = send(addr, "DELETE", "/dynacond/requests", &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(log()["requests"], json!([]));
    assert_eq!(
        send(addr, "POST", "/dynacond/requests", &[], b"").status,
        405
    );
}
