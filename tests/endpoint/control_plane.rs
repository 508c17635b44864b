//! Tags, continuous backups and the small control-plane calls over HTTP:
//! the operations are served, DescribeEndpoints names the `Host` called,
//! and the new exceptions carry DynamoDB's `__type`.

use std::io::Write;

use serde_json::json;

use crate::server::{NS, call, connect, read_response, start};

fn create(addr: std::net::SocketAddr, name: &str) -> String {
    let created = call(
        addr,
        "CreateTable",
        json!({
            "TableName": name,
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "Tags": [{"Key": "from", "Value": "create"}],
            "SSESpecification": {"Enabled": true},
            "TableClass": "STANDARD",
        }),
    );
    assert_eq!(created.status, 200, "{:?}", created.json());
    created.json()["TableDescription"]["TableArn"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn tags_over_http() {
    let server = start();
    let addr = server.local_addr();
    let arn = create(addr, "http_tags");
    let tagged = call(
        addr,
        "TagResource",
        json!({"ResourceArn": arn, "Tags": [{"Key": "env", "Value": "dev"}]}),
    );
    assert_eq!((tagged.status, tagged.json()), (200, json!({})));
    let listed = call(addr, "ListTagsOfResource", json!({"ResourceArn": arn}));
    assert_eq!(listed.status, 200);
    assert_eq!(
        listed.json(),
        json!({"Tags": [{"Key": "from", "Value": "create"}, {"Key": "env", "Value": "dev"}]})
    );
    let untagged = call(
        addr,
        "UntagResource",
        json!({"ResourceArn": arn, "TagKeys": ["from"]}),
    );
    assert_eq!((untagged.status, untagged.json()), (200, json!({})));
    // Errors: a service ValidationException, AccessDeniedException from the
    // request framework's namespace, ResourceNotFoundException.
    let bad = call(
        addr,
        "TagResource",
        json!({"ResourceArn": arn, "Tags": [{"Key": "aws:x", "Value": "1"}]}),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json(),
        json!({"__type": "com.amazon.coral.validate#ValidationException",
               "message": "Tag Key cannot be prefixed with aws:, Key: aws:x"})
    );
    let foreign = "arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz";
    let denied = call(addr, "ListTagsOfResource", json!({"ResourceArn": foreign}));
    assert_eq!(denied.status, 400);
    assert_eq!(
        denied.json()["__type"],
        "com.amazon.coral.service#AccessDeniedException"
    );
    let missing = call(
        addr,
        "ListTagsOfResource",
        json!({"ResourceArn": format!("{arn}x")}),
    );
    assert_eq!(missing.status, 400);
    assert_eq!(
        missing.json()["__type"],
        format!("{NS}ResourceNotFoundException")
    );
    let described = call(addr, "DescribeTable", json!({"TableName": "http_tags"})).json();
    assert_eq!(described["Table"]["SSEDescription"]["Status"], "ENABLED");
    assert_eq!(
        described["Table"]["TableClassSummary"],
        json!({"TableClass": "STANDARD"})
    );
}

#[test]
fn continuous_backups_over_http() {
    let server = start();
    let addr = server.local_addr();
    create(addr, "http_pitr");
    let missing = call(
        addr,
        "DescribeContinuousBackups",
        json!({"TableName": "nosuch"}),
    );
    assert_eq!(missing.status, 400);
    assert_eq!(
        missing.json(),
        json!({"__type": format!("{NS}TableNotFoundException"), "message": "Table not found: nosuch"})
    );
    let on = call(
        addr,
        "UpdateContinuousBackups",
        json!({"TableName": "http_pitr",
               "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
    );
    assert_eq!(on.status, 200);
    let description = &on.json()["ContinuousBackupsDescription"];
    assert_eq!(description["ContinuousBackupsStatus"], "ENABLED");
    let pitr = &description["PointInTimeRecoveryDescription"];
    assert_eq!(pitr["PointInTimeRecoveryStatus"], "ENABLED");
    assert!(pitr["EarliestRestorableDateTime"].is_f64());
    assert!(pitr["LatestRestorableDateTime"].is_f64());
}

#[test]
fn describe_endpoints_names_the_host_called() {
    let server = start();
    let addr = server.local_addr();
    // `call` sends `Host: localhost`.
    let reply = call(addr, "DescribeEndpoints", json!({}));
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({"Endpoints": [{"Address": "localhost", "CachePeriodInMinutes": 1440}]})
    );
    // Another host with a port; a Host that is not a plain host is not echoed.
    for (host, want) in [
        (format!("{addr}"), format!("{addr}")),
        (
            "evil<script>".to_owned(),
            "dynamodb.us-east-1.amazonaws.com".to_owned(),
        ),
    ] {
        let body = b"{}";
        let mut stream = connect(addr);
        let head = format!(
            "POST / HTTP/1.1\r\nHost: {host}\r\nX-Amz-Target: DynamoDB_20120810.DescribeEndpoints\r\n\
             Content-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let reply = read_response(&mut std::io::BufReader::new(stream));
        assert_eq!(reply.status, 200, "{host}");
        assert_eq!(reply.json()["Endpoints"][0]["Address"], want, "{host}");
    }
}

#[test]
fn the_routine_calls_are_served() {
    let server = start();
    let addr = server.local_addr();
    create(addr, "http_routine");
    for (operation, body) in [
        ("DescribeLimits", json!({})),
        (
            "DescribeKinesisStreamingDestination",
            json!({"TableName": "http_routine"}),
        ),
        (
            "DescribeContributorInsights",
            json!({"TableName": "http_routine"}),
        ),
        (
            "DescribeTableReplicaAutoScaling",
            json!({"TableName": "http_routine"}),
        ),
        ("ListGlobalTables", json!({})),
    ] {
        let reply = call(addr, operation, body);
        assert_eq!(reply.status, 200, "{operation}: {:?}", reply.json());
    }
    for (operation, body, error) in [
        (
            "DescribeGlobalTable",
            json!({"GlobalTableName": "http_routine"}),
            "GlobalTableNotFoundException",
        ),
        (
            "GetResourcePolicy",
            json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/http_routine"}),
            "PolicyNotFoundException",
        ),
    ] {
        let reply = call(addr, operation, body);
        assert_eq!(reply.status, 400, "{operation}");
        assert_eq!(reply.error_type(), error, "{operation}");
    }
}
