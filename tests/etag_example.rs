//! # HTTP optimistic concurrency over a DynamoDB table
//!
//! The pattern dynacond exists for: a REST resource whose `ETag` is the
//! item's `version` attribute, and whose conditional requests become
//! DynamoDB condition expressions, so that concurrent clients never lose
//! an update.
//!
//! | Request | DynamoDB | Answer |
//! | --- | --- | --- |
//! | `GET /documents/{id}` | GetItem | 200 with `ETag: "<version>"`, or 404 |
//! | `PUT` with `If-None-Match: *` | PutItem, `attribute_not_exists(id)` | 201 `ETag: "1"`; 412 if it exists |
//! | `PUT` with `If-Match: "<v>"` | UpdateItem, `version = :v`, `version + 1` | 200 with the new ETag; 412 if `<v>` is stale |
//! | `PUT` with neither | | 428 Precondition Required: no blind overwrites |
//! | any, when DynamoDB throttles | | 503 with `Retry-After` |
//!
//! The resource is an axum router. It reaches DynamoDB through [`Dynamo`],
//! which sends the same DynamoDB JSON requests either to a
//! [`dynacond::Store`] in process ([`Store::call`]) or over HTTP to
//! `dynacond serve`; every test below runs against both. Clients drive the
//! router in process (`tower::ServiceExt::oneshot`), concurrently on a
//! multi-threaded runtime.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "an example and its tests: a panic is a failed test"
)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{ETAG, IF_MATCH, IF_NONE_MATCH, RETRY_AFTER};
use axum::http::{HeaderMap, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use dynacond::Store;
use dynacond::faults::FaultRule;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use tower::ServiceExt;

// ---------------------------------------------------------------------------
// The resource

const TABLE: &str = "documents";

/// Where the resource's DynamoDB is: a store in this process, or an
/// endpoint (`dynacond serve`, or DynamoDB itself) over HTTP.
#[derive(Clone)]
enum Dynamo {
    InProcess(Store),
    Endpoint {
        url: String,
        // Boxed: a pooled client is much larger than a store handle.
        http: Box<Client<HttpConnector, Body>>,
    },
}

/// A DynamoDB error: its exception name and message.
#[derive(Debug)]
struct DynamoError {
    code: String,
    message: String,
}

impl Dynamo {
    /// One DynamoDB operation, its request and response in DynamoDB JSON.
    async fn call(&self, operation: &str, request: Value) -> Result<Value, DynamoError> {
        match self {
            Dynamo::InProcess(store) => store.call(operation, request).map_err(|e| DynamoError {
                code: e.type_name().to_owned(),
                message: e.message().to_owned(),
            }),
            Dynamo::Endpoint { url, http } => {
                let post = Request::post(url)
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", format!("DynamoDB_20120810.{operation}"))
                    .body(Body::from(request.to_string()))
                    .unwrap();
                let response = http.request(post).await.map_err(|e| DynamoError {
                    code: "NetworkError".into(),
                    message: e.to_string(),
                })?;
                let ok = response.status().is_success();
                let body = axum::body::to_bytes(Body::new(response.into_body()), usize::MAX)
                    .await
                    .unwrap();
                let json: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
                if ok {
                    return Ok(json);
                }
                let wire_type = json["__type"].as_str().unwrap_or("");
                Err(DynamoError {
                    code: wire_type.rsplit('#').next().unwrap_or("").to_owned(),
                    message: json["message"].as_str().unwrap_or("").to_owned(),
                })
            }
        }
    }
}

/// The REST resource.
fn documents(dynamo: Dynamo) -> Router {
    Router::new()
        .route("/documents/{id}", get(read).put(write))
        .with_state(dynamo)
}

/// `"<version>"`, the item's version as an entity tag.
fn etag(version: &str) -> String {
    format!("\"{version}\"")
}

async fn read(State(dynamo): State<Dynamo>, Path(id): Path<String>) -> Response<Body> {
    let got = dynamo
        .call(
            "GetItem",
            json!({"TableName": TABLE, "Key": {"id": {"S": id}}, "ConsistentRead": true}),
        )
        .await;
    match got {
        Ok(found) => match found.get("Item") {
            Some(item) => {
                let document: Value =
                    serde_json::from_str(item["doc"]["S"].as_str().unwrap_or("null")).unwrap();
                let version = item["version"]["N"].as_str().unwrap_or("0");
                ([(ETAG, etag(version))], axum::Json(document)).into_response()
            }
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Err(e) => failure(&e),
    }
}

async fn write(
    State(dynamo): State<Dynamo>,
    Path(id): Path<String>,
    headers: HeaderMap,
    axum::Json(document): axum::Json<Value>,
) -> Response<Body> {
    let doc = json!({"S": document.to_string()});
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let written = match (header(IF_MATCH), header(IF_NONE_MATCH)) {
        // Create: only if no item has this key.
        (None, Some("*")) => dynamo
            .call(
                "PutItem",
                json!({"TableName": TABLE,
                    "Item": {"id": {"S": id}, "doc": doc, "version": {"N": "1"}},
                    "ConditionExpression": "attribute_not_exists(id)"}),
            )
            .await
            .map(|_| (StatusCode::CREATED, "1".to_owned())),
        // Update: only if the version is still the one the client read.
        (Some(tag), None) => {
            let Some(expected) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
                return StatusCode::PRECONDITION_FAILED.into_response();
            };
            dynamo
                .call(
                    "UpdateItem",
                    json!({"TableName": TABLE, "Key": {"id": {"S": id}},
                        "UpdateExpression": "SET doc = :doc, version = version + :one",
                        "ConditionExpression": "version = :expected",
                        "ExpressionAttributeValues": {
                            ":doc": doc, ":one": {"N": "1"}, ":expected": {"N": expected}},
                        "ReturnValues": "UPDATED_NEW"}),
                )
                .await
                .map(|updated| {
                    let version = updated["Attributes"]["version"]["N"].as_str().unwrap_or("");
                    (StatusCode::OK, version.to_owned())
                })
        }
        _ => return StatusCode::PRECONDITION_REQUIRED.into_response(),
    };
    match written {
        Ok((status, version)) => (status, [(ETAG, etag(&version))]).into_response(),
        Err(e) => failure(&e),
    }
}

/// A failed condition is the client's stale precondition (412); throttling
/// asks it to come back (503); anything else is ours (500).
fn failure(e: &DynamoError) -> Response<Body> {
    match e.code.as_str() {
        "ConditionalCheckFailedException" => StatusCode::PRECONDITION_FAILED.into_response(),
        "ProvisionedThroughputExceededException" | "ThrottlingException" => {
            (StatusCode::SERVICE_UNAVAILABLE, [(RETRY_AFTER, "1")]).into_response()
        }
        _ => (StatusCode::INTERNAL_SERVER_ERROR, e.message.clone()).into_response(),
    }
}

// ---------------------------------------------------------------------------
// Its DynamoDB: a store in process, or `dynacond serve`

/// The table and one document, as a fixture file (`Store::load_fixtures`,
/// `dynacond serve --load`).
const FIXTURE: &str = "tests/data/fixtures/documents.json";

fn in_process() -> Dynamo {
    let store = Store::new();
    let fixture = std::fs::read(FIXTURE).unwrap();
    store.load_fixtures(fixture).unwrap();
    Dynamo::InProcess(store)
}

/// `dynacond serve --port 0 --load FIXTURE`, stopped when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn served() -> (Dynamo, Served) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dynacond"))
        .args(["serve", "--port", "0", "--load", FIXTURE])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Printed once the fixtures are loaded.
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let http = Box::new(Client::builder(TokioExecutor::new()).build_http());
    (Dynamo::Endpoint { url, http }, Served(child))
}

// ---------------------------------------------------------------------------
// Clients

/// Sends one request to the resource; the status, ETag and JSON body.
async fn send(
    app: &Router,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, Option<String>, Value) {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = match body {
        Some(json) => {
            request = request.header("Content-Type", "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = app
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let tag = response
        .headers()
        .get(ETAG)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        tag,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Create, read, update, a stale update, a second create.
async fn conditional_requests(app: Router) {
    let path = "/documents/d1";
    let (status, ..) = send(&app, "GET", path, &[], None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let create = Some(json!({"title": "draft"}));
    let (status, tag, _) = send(&app, "PUT", path, &[("If-None-Match", "*")], create.clone()).await;
    assert_eq!(
        (status, tag.as_deref()),
        (StatusCode::CREATED, Some("\"1\""))
    );
    let (status, ..) = send(&app, "PUT", path, &[("If-None-Match", "*")], create).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, ..) = send(&app, "PUT", path, &[], Some(json!({"title": "blind"}))).await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);

    let (status, tag, body) = send(&app, "GET", path, &[], None).await;
    assert_eq!((status, tag.as_deref()), (StatusCode::OK, Some("\"1\"")));
    assert_eq!(body, json!({"title": "draft"}));

    let edit = Some(json!({"title": "final"}));
    let (status, tag, _) = send(&app, "PUT", path, &[("If-Match", "\"1\"")], edit.clone()).await;
    assert_eq!((status, tag.as_deref()), (StatusCode::OK, Some("\"2\"")));
    // A client still holding version 1 is refused; nothing changes.
    let stale = Some(json!({"title": "lost?"}));
    let (status, ..) = send(&app, "PUT", path, &[("If-Match", "\"1\"")], stale).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (_, tag, body) = send(&app, "GET", path, &[], None).await;
    assert_eq!(
        (tag.as_deref(), body),
        (Some("\"2\""), json!({"title": "final"}))
    );

    // The fixture's document.
    let (status, tag, body) = send(&app, "GET", "/documents/welcome", &[], None).await;
    assert_eq!((status, tag.as_deref()), (StatusCode::OK, Some("\"3\"")));
    assert_eq!(body, json!({"title": "Hello"}));
}

/// `CLIENTS` clients, on as many threads, each add 1 to a counter `ROUNDS`
/// times: read, add, write with `If-Match`, and on 412 read again. No
/// increment is lost.
fn concurrent_increments(app: Router) {
    const CLIENTS: usize = 4;
    const ROUNDS: usize = 10;
    let path = "/documents/counter";
    let threads = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(CLIENTS)
        .enable_all()
        .build()
        .unwrap();
    threads.block_on(async {
        let create = send(
            &app,
            "PUT",
            path,
            &[("If-None-Match", "*")],
            Some(json!({"n": 0})),
        );
        assert_eq!(create.await.0, StatusCode::CREATED);
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move {
                    let mut conflicts = 0;
                    for _ in 0..ROUNDS {
                        loop {
                            let (_, tag, body) = send(&app, "GET", path, &[], None).await;
                            let tag = tag.unwrap();
                            let next = json!({"n": body["n"].as_u64().unwrap() + 1});
                            let headers = [("If-Match", tag.as_str())];
                            match send(&app, "PUT", path, &headers, Some(next)).await {
                                (StatusCode::OK, ..) => break,
                                (StatusCode::PRECONDITION_FAILED, ..) => conflicts += 1,
                                other => panic!("unexpected {other:?}"),
                            }
                        }
                    }
                    conflicts
                })
            })
            .collect();
        let mut conflicts = 0;
        for client in clients {
            conflicts += client.await.unwrap();
        }
        let (_, tag, body) = send(&app, "GET", path, &[], None).await;
        assert_eq!(
            body,
            json!({"n": CLIENTS * ROUNDS}),
            "{conflicts} conflicts retried"
        );
        assert_eq!(tag, Some(format!("\"{}\"", CLIENTS * ROUNDS + 1)));
    });
}

// ---------------------------------------------------------------------------
// The tests: each body once in process, once against `dynacond serve`

#[test]
fn conditional_requests_in_process() {
    runtime().block_on(conditional_requests(documents(in_process())));
}

#[test]
fn conditional_requests_against_dynacond_serve() {
    let (dynamo, _server) = served();
    runtime().block_on(conditional_requests(documents(dynamo)));
}

#[test]
fn concurrent_clients_never_lose_an_update_in_process() {
    concurrent_increments(documents(in_process()));
}

#[test]
fn concurrent_clients_never_lose_an_update_against_dynacond_serve() {
    let (dynamo, _server) = served();
    concurrent_increments(documents(dynamo));
}

/// Fault injection: DynamoDB throttles one write; the resource answers 503
/// with `Retry-After`, the document is unchanged, and the retry succeeds.
#[test]
fn a_throttled_write_answers_503_and_changes_nothing() {
    let dynamo = in_process();
    let Dynamo::InProcess(store) = &dynamo else {
        unreachable!()
    };
    store
        .faults()
        .add(
            FaultRule::error("ProvisionedThroughputExceededException")
                .operation("UpdateItem")
                .table(TABLE)
                .times(1),
        )
        .unwrap();
    let app = documents(dynamo.clone());
    runtime().block_on(async {
        let edit = Some(json!({"title": "Hi"}));
        let headers = [("If-Match", "\"3\"")];
        let (status, ..) = send(&app, "PUT", "/documents/welcome", &headers, edit.clone()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        let (_, tag, _) = send(&app, "GET", "/documents/welcome", &[], None).await;
        assert_eq!(tag.as_deref(), Some("\"3\""));
        let (status, tag, _) = send(&app, "PUT", "/documents/welcome", &headers, edit).await;
        assert_eq!((status, tag.as_deref()), (StatusCode::OK, Some("\"4\"")));
    });
}
