//! The HTTP endpoint, spoken to over real loopback sockets: every operation,
//! DynamoDB's headers and error bodies, hostile input, concurrency, and the
//! `dynacond serve` command's start and clean stop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use dynacond::Store;
use dynacond::server::{Options, RunningServer, Server};
use serde_json::{Value, json};

pub(crate) const NS: &str = "com.amazonaws.dynamodb.v20120810#";

pub(crate) fn start() -> RunningServer {
    Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .spawn()
        .unwrap()
}

/// One HTTP response.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(&self.body)))
    }

    /// The exception name: `__type` after its namespace.
    pub(crate) fn error_type(&self) -> String {
        let v = self.json();
        let wire = v["__type"].as_str().unwrap_or("");
        wire.rsplit('#').next().unwrap_or("").to_owned()
    }
}

/// Reads one response (Content-Length framed) from a connection.
pub(crate) fn read_response(reader: &mut BufReader<TcpStream>) -> Response {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("no status line: {status_line:?}"))
        .parse()
        .unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (n, v) = line.split_once(':').unwrap();
        headers.push((n.trim().to_owned(), v.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    Response {
        status,
        headers,
        body,
    }
}

pub(crate) fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// Sends raw bytes as a request and reads the response.
pub(crate) fn raw(addr: SocketAddr, request: &[u8]) -> Response {
    let mut stream = connect(addr);
    stream.write_all(request).unwrap();
    read_response(&mut BufReader::new(stream))
}

pub(crate) fn request_bytes(
    target: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Vec<u8> {
    let mut head = String::from("POST / HTTP/1.1\r\nHost: localhost\r\n");
    if let Some(t) = target {
        head.push_str(&format!("X-Amz-Target: {t}\r\n"));
    }
    if let Some(c) = content_type {
        head.push_str(&format!("Content-Type: {c}\r\n"));
    }
    head.push_str(
        "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/dynamodb/aws4_request, \
         SignedHeaders=host;x-amz-target, Signature=0000\r\n",
    );
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

pub(crate) fn post_raw(
    addr: SocketAddr,
    target: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Response {
    raw(addr, &request_bytes(target, content_type, body))
}

/// Calls an operation with a JSON body.
pub(crate) fn call(addr: SocketAddr, operation: &str, body: Value) -> Response {
    post_raw(
        addr,
        Some(&format!("DynamoDB_20120810.{operation}")),
        Some("application/x-amz-json-1.0"),
        body.to_string().as_bytes(),
    )
}

pub(crate) fn ok(addr: SocketAddr, operation: &str, body: Value) -> Value {
    let r = call(addr, operation, body);
    assert_eq!(
        r.status,
        200,
        "{operation}: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

pub(crate) fn create_table(addr: SocketAddr, name: &str) {
    ok(
        addr,
        "CreateTable",
        json!({"TableName": name,
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"}),
    );
}

#[test]
fn every_operation_round_trips() {
    let server = start();
    let addr = server.local_addr();
    let created = ok(
        addr,
        "CreateTable",
        json!({"TableName": "users",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}),
    );
    let description = &created["TableDescription"];
    assert_eq!(description["TableStatus"], "CREATING");
    assert_eq!(description["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    assert_eq!(
        description["TableArn"],
        "arn:aws:dynamodb:us-east-1:123456789012:table/users"
    );
    create_table(addr, "other");
    let again = call(
        addr,
        "CreateTable",
        json!({"TableName": "users",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}]}),
    );
    assert_eq!(
        (again.status, again.error_type().as_str()),
        (400, "ResourceInUseException")
    );

    let described = ok(addr, "DescribeTable", json!({"TableName": "users"}));
    assert_eq!(described["Table"]["KeySchema"][0]["AttributeName"], "p");
    let listed = ok(addr, "ListTables", json!({"Limit": 1}));
    assert_eq!(
        listed,
        json!({"TableNames": ["other"], "LastEvaluatedTableName": "other"})
    );
    let listed = ok(
        addr,
        "ListTables",
        json!({"ExclusiveStartTableName": "other"}),
    );
    assert_eq!(listed, json!({"TableNames": ["users"]}));

    let put = json!({"TableName": "users", "Item": {"p": {"S": "u1"}, "n": {"N": "1"}},
        "ConditionExpression": "attribute_not_exists(p)"});
    assert_eq!(ok(addr, "PutItem", put.clone()), json!({}));
    let mut failing = put.clone();
    failing["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
    let failed = call(addr, "PutItem", failing);
    assert_eq!(failed.status, 400);
    assert_eq!(
        failed.json(),
        json!({"__type": format!("{NS}ConditionalCheckFailedException"),
            "message": "The conditional request failed",
            "Item": {"p": {"S": "u1"}, "n": {"N": "1"}}})
    );

    let updated = ok(
        addr,
        "UpdateItem",
        json!({"TableName": "users", "Key": {"p": {"S": "u1"}},
            "UpdateExpression": "SET n = n + :one", "ConditionExpression": "n = :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}, "ReturnValues": "UPDATED_NEW"}),
    );
    assert_eq!(updated, json!({"Attributes": {"n": {"N": "2"}}}));
    let got = ok(
        addr,
        "GetItem",
        json!({"TableName": "users", "Key": {"p": {"S": "u1"}}}),
    );
    assert_eq!(got, json!({"Item": {"p": {"S": "u1"}, "n": {"N": "2"}}}));
    let missing = ok(
        addr,
        "GetItem",
        json!({"TableName": "users", "Key": {"p": {"S": "zz"}}}),
    );
    assert_eq!(missing, json!({}));

    let cancelled = call(
        addr,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "users", "Item": {"p": {"S": "u2"}}}},
            {"ConditionCheck": {"TableName": "users", "Key": {"p": {"S": "u1"}},
                "ConditionExpression": "n = :n", "ExpressionAttributeValues": {":n": {"N": "7"}},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}]}),
    );
    assert_eq!(cancelled.status, 400);
    let body = cancelled.json();
    assert_eq!(body["__type"], format!("{NS}TransactionCanceledException"));
    assert_eq!(
        body["message"],
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"
    );
    assert_eq!(body["CancellationReasons"][0], json!({"Code": "None"}));
    assert_eq!(
        body["CancellationReasons"][1]["Code"],
        "ConditionalCheckFailed"
    );
    assert_eq!(
        body["CancellationReasons"][1]["Item"],
        json!({"p": {"S": "u1"}, "n": {"N": "2"}})
    );
    let none = ok(
        addr,
        "GetItem",
        json!({"TableName": "users", "Key": {"p": {"S": "u2"}}}),
    );
    assert_eq!(none, json!({}), "a cancelled transaction wrote");

    ok(
        addr,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "users", "Item": {"p": {"S": "u2"}}}},
            {"Update": {"TableName": "other", "Key": {"p": {"S": "o1"}},
                "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}}]}),
    );
    let read = ok(
        addr,
        "TransactGetItems",
        json!({"TransactItems": [
            {"Get": {"TableName": "users", "Key": {"p": {"S": "u2"}}}},
            {"Get": {"TableName": "other", "Key": {"p": {"S": "o1"}}, "ProjectionExpression": "v"}}]}),
    );
    assert_eq!(
        read,
        json!({"Responses": [{"Item": {"p": {"S": "u2"}}}, {"Item": {"v": {"S": "x"}}}]})
    );

    let written = ok(
        addr,
        "BatchWriteItem",
        json!({"RequestItems": {
            "users": [{"PutRequest": {"Item": {"p": {"S": "b1"}}}},
                      {"DeleteRequest": {"Key": {"p": {"S": "u2"}}}}],
            "other": [{"PutRequest": {"Item": {"p": {"S": "b2"}, "q": {"BOOL": true}}}}]}}),
    );
    assert_eq!(written, json!({"UnprocessedItems": {}}));
    let batch = ok(
        addr,
        "BatchGetItem",
        json!({"RequestItems": {
            "users": {"Keys": [{"p": {"S": "b1"}}, {"p": {"S": "u2"}}]},
            "other": {"Keys": [{"p": {"S": "b2"}}], "ProjectionExpression": "#q",
                      "ExpressionAttributeNames": {"#q": "q"}}}}),
    );
    assert_eq!(
        batch,
        json!({"Responses": {"users": [{"p": {"S": "b1"}}], "other": [{"q": {"BOOL": true}}]},
            "UnprocessedKeys": {}})
    );

    let queried = ok(
        addr,
        "Query",
        json!({"TableName": "users", "KeyConditionExpression": "p = :p",
            "ExpressionAttributeValues": {":p": {"S": "b1"}}}),
    );
    assert_eq!(
        queried,
        json!({"Items": [{"p": {"S": "b1"}}], "Count": 1, "ScannedCount": 1})
    );
    let scanned = ok(addr, "Scan", json!({"TableName": "users", "Limit": 1}));
    assert_eq!(scanned["Count"], 1);
    assert!(scanned["LastEvaluatedKey"]["p"].is_object());

    let deleted = ok(
        addr,
        "DeleteItem",
        json!({"TableName": "users", "Key": {"p": {"S": "u1"}}, "ReturnValues": "ALL_OLD"}),
    );
    assert_eq!(deleted["Attributes"]["n"], json!({"N": "2"}));
    let dropped = ok(addr, "DeleteTable", json!({"TableName": "users"}));
    assert_eq!(dropped["TableDescription"]["TableStatus"], "DELETING");
    let gone = call(addr, "DescribeTable", json!({"TableName": "users"}));
    assert_eq!(
        (gone.status, gone.error_type().as_str()),
        (400, "ResourceNotFoundException")
    );
    server.shutdown().unwrap();
}

#[test]
fn responses_carry_dynamodb_headers() {
    let server = start();
    let addr = server.local_addr();
    let mut ids = Vec::new();
    for body in [json!({}), json!({"Limit": 0})] {
        let r = call(addr, "ListTables", body);
        assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
        let crc: u32 = r.header("x-amz-crc32").unwrap().parse().unwrap();
        assert_eq!(crc, crc32fast::hash(&r.body));
        let id = r.header("x-amzn-requestid").unwrap().to_owned();
        assert_eq!(id.len(), 52);
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn keep_alive_connections_serve_many_requests() {
    let server = start();
    let mut stream = connect(server.local_addr());
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..50 {
        let request = request_bytes(
            Some("DynamoDB_20120810.ListTables"),
            Some("application/x-amz-json-1.0"),
            b"{}",
        );
        stream.write_all(&request).unwrap();
        let r = read_response(&mut reader);
        assert_eq!(
            (r.status, r.body.as_slice()),
            (200, &br#"{"TableNames":[]}"#[..])
        );
    }
}

/// Bad requests of every kind: the right 4xx and a DynamoDB error body.
#[test]
fn hostile_requests_get_the_right_4xx() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    let json_type = Some("application/x-amz-json-1.0");
    let cases: Vec<(&str, Response, u16, &str)> = vec![
        (
            "malformed JSON",
            post_raw(
                addr,
                Some("DynamoDB_20120810.PutItem"),
                json_type,
                b"{\"TableName\": ",
            ),
            400,
            "SerializationException",
        ),
        (
            "not an object",
            post_raw(
                addr,
                Some("DynamoDB_20120810.PutItem"),
                json_type,
                b"[1, 2]",
            ),
            400,
            "SerializationException",
        ),
        (
            "empty body",
            post_raw(addr, Some("DynamoDB_20120810.PutItem"), json_type, b""),
            400,
            "SerializationException",
        ),
        (
            "invalid UTF-8",
            post_raw(
                addr,
                Some("DynamoDB_20120810.PutItem"),
                json_type,
                b"{\"TableName\": \"\xff\"}",
            ),
            400,
            "SerializationException",
        ),
        (
            "number as a JSON number",
            call(
                addr,
                "PutItem",
                json!({"TableName": "tbl", "Item": {"p": {"S": "a"}, "n": {"N": 1}}}),
            ),
            400,
            "SerializationException",
        ),
        (
            "unknown operation",
            post_raw(
                addr,
                Some("DynamoDB_20120810.DropEverything"),
                json_type,
                b"{}",
            ),
            400,
            "UnknownOperationException",
        ),
        (
            "missing X-Amz-Target",
            post_raw(addr, None, json_type, b"{}"),
            400,
            "UnknownOperationException",
        ),
        (
            "missing Content-Type",
            post_raw(addr, Some("DynamoDB_20120810.ListTables"), None, b"{}"),
            400,
            "SerializationException",
        ),
        (
            "wrong Content-Type",
            post_raw(
                addr,
                Some("DynamoDB_20120810.ListTables"),
                Some("text/plain"),
                b"{}",
            ),
            400,
            "SerializationException",
        ),
        (
            "PUT method",
            raw(
                addr,
                b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
            ),
            400,
            "UnknownOperationException",
        ),
        (
            "validation",
            call(
                addr,
                "PutItem",
                json!({"TableName": "tbl", "Item": {"q": {"S": "a"}}}),
            ),
            400,
            "ValidationException",
        ),
        (
            "missing table",
            call(
                addr,
                "GetItem",
                json!({"TableName": "nope", "Key": {"p": {"S": "a"}}}),
            ),
            400,
            "ResourceNotFoundException",
        ),
    ];
    // DynamoDB sends no message for these (spec validation.md §7.5).
    let without_message = [
        "malformed JSON",
        "empty body",
        "invalid UTF-8",
        "unknown operation",
        "missing X-Amz-Target",
        "PUT method",
    ];
    for (name, response, status, error) in cases {
        assert_eq!(response.status, status, "{name}");
        assert_eq!(response.error_type(), error, "{name}");
        let namespace = match error {
            "ValidationException" => "com.amazon.coral.validate#",
            "SerializationException" | "UnknownOperationException" => "com.amazon.coral.service#",
            _ => NS,
        };
        let body = response.json();
        assert_eq!(body["__type"], format!("{namespace}{error}"), "{name}");
        assert_eq!(
            body.get("message").is_none(),
            without_message.contains(&name),
            "{name}: {body}"
        );
    }
    // The server is still serving.
    assert_eq!(call(addr, "ListTables", json!({})).status, 200);
}

#[test]
fn bodies_over_the_limit_are_refused_before_they_are_read() {
    let server = Server::bind("127.0.0.1:0", Store::new())
        .unwrap()
        .with_options(Options {
            max_body_bytes: 1024,
            ..Options::default()
        })
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    // Declared too large: refused without sending the body.
    let mut stream = connect(addr);
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n\
              Content-Type: application/x-amz-json-1.0\r\nContent-Length: 17000000000\r\n\r\n",
        )
        .unwrap();
    let r = read_response(&mut BufReader::new(stream));
    assert_eq!(
        (r.status, r.error_type().as_str()),
        (413, "ValidationException")
    );
    // Chunked, with no declared length: cut off at the limit.
    let mut stream = connect(addr);
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n\
              Content-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        )
        .unwrap();
    let chunk = format!("800\r\n{}\r\n", " ".repeat(0x800));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..4 {
        if stream.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    let r = read_response(&mut reader);
    assert_eq!(r.status, 413);
    // Within the limit: served.
    assert_eq!(call(addr, "ListTables", json!({})).status, 200);
}

#[test]
fn the_default_limit_is_dynamodbs_16_mib() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    let mut stream = connect(addr);
    let head = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n\
         Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n",
        16 * 1024 * 1024 + 1
    );
    stream.write_all(head.as_bytes()).unwrap();
    let r = read_response(&mut BufReader::new(stream));
    assert_eq!(r.status, 413);
    // An item just over 400 KB is a ValidationException, not a body error.
    let big = "x".repeat(400 * 1024);
    let r = call(
        addr,
        "PutItem",
        json!({"TableName": "tbl", "Item": {"p": {"S": "a"}, "v": {"S": big}}}),
    );
    assert_eq!(
        (r.status, r.error_type().as_str()),
        (400, "ValidationException")
    );
}

/// Every member of every operation's request replaced by each JSON type:
/// always a 200 or a 4xx with a DynamoDB error body, never a 500 or a
/// dropped connection.
#[test]
fn wrong_types_in_every_field() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    let key = json!({"p": {"S": "k"}});
    let samples = [
        (
            "CreateTable",
            json!({"TableName": "t2", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}),
        ),
        ("DescribeTable", json!({"TableName": "tbl"})),
        (
            "ListTables",
            json!({"Limit": 5, "ExclusiveStartTableName": "a"}),
        ),
        (
            "GetItem",
            json!({"TableName": "tbl", "Key": key, "ProjectionExpression": "#a",
            "ExpressionAttributeNames": {"#a": "a"}, "ConsistentRead": true}),
        ),
        (
            "PutItem",
            json!({"TableName": "tbl", "Item": {"p": {"S": "k"}, "l": {"L": [{"N": "1"}]}, "m": {"M": {"s": {"SS": ["a"]}}}},
            "ConditionExpression": "attribute_not_exists(p) OR a = :v",
            "ExpressionAttributeValues": {":v": {"N": "1"}}, "ReturnValues": "ALL_OLD"}),
        ),
        (
            "UpdateItem",
            json!({"TableName": "tbl", "Key": key, "UpdateExpression": "SET #a = :v",
            "ExpressionAttributeNames": {"#a": "a"}, "ExpressionAttributeValues": {":v": {"B": "AAEC"}},
            "ReturnValues": "ALL_NEW"}),
        ),
        (
            "DeleteItem",
            json!({"TableName": "tbl", "Key": key, "ConditionExpression": "size(a) > :n",
            "ExpressionAttributeValues": {":n": {"N": "0"}}}),
        ),
        (
            "TransactWriteItems",
            json!({"TransactItems": [
            {"Put": {"TableName": "tbl", "Item": {"p": {"S": "t1"}}}},
            {"Update": {"TableName": "tbl", "Key": {"p": {"S": "t2"}}, "UpdateExpression": "ADD c :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}}}},
            {"Delete": {"TableName": "tbl", "Key": {"p": {"S": "t3"}}}},
            {"ConditionCheck": {"TableName": "tbl", "Key": key, "ConditionExpression": "attribute_not_exists(z)"}}],
            "ClientRequestToken": "tok"}),
        ),
        (
            "TransactGetItems",
            json!({"TransactItems": [{"Get": {"TableName": "tbl", "Key": key}}]}),
        ),
        (
            "BatchGetItem",
            json!({"RequestItems": {"tbl": {"Keys": [key], "ProjectionExpression": "p"}}}),
        ),
        (
            "BatchWriteItem",
            json!({"RequestItems": {"tbl": [{"PutRequest": {"Item": {"p": {"S": "b"}}}},
            {"DeleteRequest": {"Key": {"p": {"S": "c"}}}}]}}),
        ),
        (
            "Query",
            json!({"TableName": "tbl", "KeyConditionExpression": "p = :p", "FilterExpression": "a > :a",
            "ProjectionExpression": "#b", "ExpressionAttributeNames": {"#b": "b"},
            "ExpressionAttributeValues": {":p": {"S": "k"}, ":a": {"N": "1"}}, "Limit": 3,
            "ScanIndexForward": false, "ExclusiveStartKey": key}),
        ),
        (
            "Query",
            json!({"TableName": "tbl", "KeyConditions": {"p": {"ComparisonOperator": "EQ",
            "AttributeValueList": [{"S": "k"}]}}, "QueryFilter": {"a": {"ComparisonOperator": "BETWEEN",
            "AttributeValueList": [{"N": "1"}, {"N": "2"}]}}, "AttributesToGet": ["a"], "Select": "SPECIFIC_ATTRIBUTES"}),
        ),
        (
            "Scan",
            json!({"TableName": "tbl", "FilterExpression": "size(a) < :n", "Select": "COUNT",
            "ExpressionAttributeValues": {":n": {"N": "4"}}, "Segment": 1, "TotalSegments": 4, "Limit": 10}),
        ),
        ("DeleteTable", json!({"TableName": "t2"})),
    ];
    let replacements = [
        json!(5),
        json!("x"),
        json!([]),
        json!({}),
        json!(true),
        json!(null),
        json!(-1.5e300),
    ];
    let mut checked = 0;
    for (op, sample) in &samples {
        let mut paths = Vec::new();
        member_paths(sample, &mut Vec::new(), &mut paths);
        for path in &paths {
            for replacement in &replacements {
                let mut request = sample.clone();
                *pointer(&mut request, path) = replacement.clone();
                let r = call(addr, op, request);
                checked += 1;
                match r.status {
                    200 => {}
                    400 => {
                        let body = r.json();
                        let wire = body["__type"].as_str().unwrap();
                        assert!(
                            [
                                NS,
                                "com.amazon.coral.validate#",
                                "com.amazon.coral.service#"
                            ]
                            .iter()
                            .any(|ns| wire.starts_with(ns)),
                            "{op} {path:?}"
                        );
                        assert!(body["message"].is_string(), "{op} {path:?}");
                    }
                    s => panic!("{op} {path:?} = {replacement}: status {s}"),
                }
            }
        }
    }
    assert!(checked > 500, "{checked}");
    assert_eq!(call(addr, "ListTables", json!({})).status, 200);
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn member_paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(Step::Key(k.clone()));
                out.push(prefix.clone());
                member_paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                prefix.push(Step::Index(i));
                out.push(prefix.clone());
                member_paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn pointer<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

#[test]
fn garbage_that_is_not_http_does_not_stop_the_server() {
    let server = start();
    let addr = server.local_addr();
    for garbage in [
        &b"\x00\x01\x02\x03 not http\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"POST / HTTP/9.9\r\n\r\n",
    ] {
        let mut stream = connect(addr);
        let _ = stream.write_all(garbage);
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    }
    // A client that connects and says nothing, then leaves.
    drop(connect(addr));
    let health = raw(addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(health.status, 200);
    assert_eq!(call(addr, "ListTables", json!({})).status, 200);
}

/// Concurrent optimistic increments over HTTP: every success counts once.
#[test]
fn concurrent_conditional_updates_are_serialised_per_item() {
    let server = start();
    let addr = server.local_addr();
    create_table(addr, "tbl");
    ok(
        addr,
        "PutItem",
        json!({"TableName": "tbl", "Item": {"p": {"S": "c"}, "n": {"N": "0"}}}),
    );
    let successes: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(move || {
                    let mut won = 0;
                    for _ in 0..25 {
                        let current = ok(addr, "GetItem", json!({"TableName": "tbl", "Key": {"p": {"S": "c"}}}));
                        let n = current["Item"]["n"]["N"].as_str().unwrap().to_owned();
                        let r = call(addr, "UpdateItem", json!({"TableName": "tbl", "Key": {"p": {"S": "c"}},
                            "UpdateExpression": "SET n = n + :one", "ConditionExpression": "n = :seen",
                            "ExpressionAttributeValues": {":one": {"N": "1"}, ":seen": {"N": n}}}));
                        match (r.status, r.error_type().as_str()) {
                            (200, _) => won += 1,
                            (400, "ConditionalCheckFailedException") => {}
                            other => panic!("{other:?}"),
                        }
                    }
                    won
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let last = ok(
        addr,
        "GetItem",
        json!({"TableName": "tbl", "Key": {"p": {"S": "c"}}}),
    );
    assert_eq!(last["Item"]["n"]["N"], successes.to_string());
    assert!(successes >= 25);
}

#[test]
fn shutdown_stops_listening() {
    let server = start();
    let addr = server.local_addr();
    assert_eq!(call(addr, "ListTables", json!({})).status, 200);
    server.shutdown().unwrap();
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err());
}

#[cfg(unix)]
#[test]
fn the_serve_command_starts_fast_and_stops_on_sigterm() {
    use std::process::{Command, Stdio};
    use std::time::Instant;

    let mut child = Command::new(env!("CARGO_BIN_EXE_dynacond"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().strip_prefix("listening on http://").unwrap();
    let addr: SocketAddr = url.parse().unwrap();
    assert_eq!(call(addr, "ListTables", json!({})).status, 200);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "{exit:?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "dynacond serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_serve_command_rejects_bad_options() {
    use std::process::Command;
    for args in [
        &["serve", "--port", "99999"][..],
        &["serve", "--nope"],
        &["serve", "--bind"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_dynacond"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

/// DescribeTable answers from the table's counters: under concurrent
/// writes over HTTP it never walks the table, its ItemCount stays within
/// what the writers can produce, and once they stop it equals a recount.
#[test]
fn describe_table_of_a_large_table_reads_counters_under_concurrent_writes() {
    use dynacond::api::PutItemInput;
    use dynacond::{AttributeValue, Item, item_size};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    // Large enough that a walk per DescribeTable would be costly; loading
    // through the library takes about 4.5 s in a debug build.
    const PRELOADED: usize = 200_000;
    // Each writer puts keys of its own (`w<t>-<j>`) and deletes preloaded
    // ones (`<t*KEYS + j>`), KEYS of each, so the count stays within
    // PRELOADED +- WRITERS * KEYS.
    const WRITERS: usize = 2;
    const KEYS: usize = 50;
    const MAX_OPS: usize = 2_000; // per writer, bounds the connections opened
    const DESCRIBES: usize = 50;

    let store = Store::new();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    create_table(addr, "big");
    for i in 0..PRELOADED {
        let mut item = Item::new();
        item.insert("p".into(), AttributeValue::s(i.to_string()));
        item.insert("v".into(), AttributeValue::n(i));
        store.put_item(PutItemInput::new("big", item)).unwrap();
    }
    let table = store.table("big").unwrap();
    assert_eq!(table.item_count(), PRELOADED as u64);

    let stop = AtomicBool::new(false);
    let ops = AtomicUsize::new(0);
    let walks_before = table.full_walks();
    let counts: Vec<u64> = std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|t| {
                let (stop, ops) = (&stop, &ops);
                s.spawn(move || {
                    for i in 0..MAX_OPS {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let j = (i / 2) % KEYS;
                        let r = if i % 2 == 0 {
                            // Sizes vary, so puts over existing items change TableSizeBytes.
                            call(addr, "PutItem", json!({"TableName": "big",
                                "Item": {"p": {"S": format!("w{t}-{j}")}, "x": {"S": "x".repeat(1 + i % 17)}}}))
                        } else {
                            call(addr, "DeleteItem", json!({"TableName": "big",
                                "Key": {"p": {"S": (t * KEYS + j).to_string()}}}))
                        };
                        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
                        ops.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        let mut counts = Vec::new();
        for _ in 0..DESCRIBES {
            let r = call(addr, "DescribeTable", json!({"TableName": "big"}));
            assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            let v = r.json();
            assert!(v["Table"]["TableSizeBytes"].as_u64().is_some(), "{v}");
            counts.push(v["Table"]["ItemCount"].as_u64().unwrap());
        }
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.join().unwrap();
        }
        counts
    });
    assert!(ops.load(Ordering::Relaxed) > 0);
    let (lo, hi) = (PRELOADED - WRITERS * KEYS, PRELOADED + WRITERS * KEYS);
    for c in &counts {
        assert!(
            (lo as u64..=hi as u64).contains(c),
            "ItemCount {c} outside {lo}..={hi}"
        );
    }
    // Neither DescribeTable nor the writes walked the table.
    assert_eq!(table.full_walks(), walks_before);

    let described = ok(addr, "DescribeTable", json!({"TableName": "big"}));
    let items = table.items();
    let size: usize = items.iter().map(item_size).sum();
    assert_eq!(described["Table"]["ItemCount"], json!(items.len()));
    assert_eq!(described["Table"]["TableSizeBytes"], json!(size));

    // Deleting it answers with the counters too (the items are freed on
    // a thread of the store's, not on the endpoint's worker).
    drop((items, table));
    let deleted = ok(addr, "DeleteTable", json!({"TableName": "big"}));
    assert_eq!(
        deleted["TableDescription"]["ItemCount"],
        described["Table"]["ItemCount"]
    );
    assert_eq!(deleted["TableDescription"]["TableStatus"], "DELETING");
}
