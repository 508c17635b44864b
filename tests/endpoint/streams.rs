//! The DynamoDB Streams API over HTTP: the four operations under the
//! `DynamoDBStreams_20120810.` target prefix on the same endpoint as
//! DynamoDB (spec streams-ttl-tags.md §2.1), with their error bodies and the
//! `x-amz-crc32` header, driven as an SDK would (ListStreams, DescribeStream,
//! GetShardIterator, GetRecords following NextShardIterator).

use std::net::SocketAddr;

use dynacond::server::Server;
use dynacond::{Clock, Store};
use serde_json::{Value, json};

use crate::server::{Response, ok, post_raw};

fn streams(addr: SocketAddr, operation: &str, body: Value) -> Response {
    post_raw(
        addr,
        Some(&format!("DynamoDBStreams_20120810.{operation}")),
        Some("application/x-amz-json-1.0"),
        body.to_string().as_bytes(),
    )
}

fn streams_ok(addr: SocketAddr, operation: &str, body: Value) -> Value {
    let r = streams(addr, operation, body);
    assert_eq!(
        r.status,
        200,
        "{operation}: {}",
        String::from_utf8_lossy(&r.body)
    );
    assert!(r.header("x-amz-crc32").is_some());
    r.json()
}

#[test]
fn the_four_streams_operations_over_http() {
    let store = Store::builder()
        .clock(Clock::manual(1_700_000_000_000))
        .build()
        .unwrap();
    let server = Server::bind("127.0.0.1:0", store.clone())
        .unwrap()
        .spawn()
        .unwrap();
    let addr = server.local_addr();
    let created = ok(
        addr,
        "CreateTable",
        json!({"TableName": "orders",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
    );
    let arn = created["TableDescription"]["LatestStreamArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        arn,
        "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2023-11-14T22:13:20.000"
    );
    let listed = streams_ok(addr, "ListStreams", json!({"TableName": "orders"}));
    assert_eq!(
        listed,
        json!({"Streams": [{"StreamArn": arn, "TableName": "orders",
            "StreamLabel": "2023-11-14T22:13:20.000"}]})
    );
    let described = streams_ok(addr, "DescribeStream", json!({"StreamArn": arn}));
    let stream = &described["StreamDescription"];
    assert_eq!(stream["StreamStatus"], "ENABLED");
    assert_eq!(stream["StreamViewType"], "NEW_AND_OLD_IMAGES");
    let shard = stream["Shards"][0]["ShardId"].clone();
    let iterator = streams_ok(
        addr,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
    )["ShardIterator"]
        .clone();
    for (n, amount) in [(1, "10"), (2, "25")] {
        ok(
            addr,
            "PutItem",
            json!({"TableName": "orders", "Item": {"id": {"S": "o1"}, "amount": {"N": amount}, "n": {"N": n.to_string()}}}),
        );
    }
    ok(
        addr,
        "DeleteItem",
        json!({"TableName": "orders", "Key": {"id": {"S": "o1"}}}),
    );
    // Follow NextShardIterator one record at a time, as a poller does.
    let mut iterator = iterator;
    let mut events = Vec::new();
    loop {
        let page = streams_ok(
            addr,
            "GetRecords",
            json!({"ShardIterator": iterator, "Limit": 1}),
        );
        let records = page["Records"].as_array().unwrap().clone();
        if records.is_empty() {
            assert!(page["NextShardIterator"].is_string());
            break;
        }
        let record = &records[0];
        assert_eq!(record["eventSource"], "aws:dynamodb");
        assert_eq!(record["awsRegion"], "us-east-1");
        assert_eq!(
            record["dynamodb"]["ApproximateCreationDateTime"],
            1_700_000_000.0
        );
        events.push(record["eventName"].as_str().unwrap().to_owned());
        iterator = page["NextShardIterator"].clone();
    }
    assert_eq!(events, ["INSERT", "MODIFY", "REMOVE"]);

    // Errors: Streams exceptions in DynamoDB's namespace, validation in coral's.
    let garbage = streams(
        addr,
        "GetRecords",
        json!({"ShardIterator": "not-an-iterator"}),
    );
    assert_eq!(garbage.status, 400);
    assert_eq!(
        garbage.json()["__type"],
        "com.amazon.coral.validate#ValidationException"
    );
    store.clock().advance(std::time::Duration::from_secs(901));
    let expired = streams(addr, "GetRecords", json!({"ShardIterator": iterator}));
    assert_eq!(
        expired.json(),
        json!({"__type": "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException",
            "message": "Shard iterator has expired"})
    );
    let missing = arn.replace("/orders/", "/nothing/");
    let not_found = streams(addr, "DescribeStream", json!({"StreamArn": missing}));
    assert_eq!(
        not_found.json(),
        json!({"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
            "message": format!("Requested resource not found: Stream: {missing} not found")})
    );
    let limit = streams(addr, "ListStreams", json!({"Limit": 0}));
    assert_eq!(limit.status, 400);
    let unknown = streams(addr, "UpdateStream", json!({}));
    assert_eq!(
        unknown.json()["__type"],
        "com.amazon.coral.service#UnknownOperationException"
    );
    // The DynamoDB prefix does not serve the Streams operations.
    let wrong = ok_status(addr, "DynamoDB_20120810.ListStreams");
    assert_eq!(wrong, 400);
}

fn ok_status(addr: SocketAddr, target: &str) -> u16 {
    post_raw(
        addr,
        Some(target),
        Some("application/x-amz-json-1.0"),
        b"{}",
    )
    .status
}
