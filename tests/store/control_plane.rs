//! The small control-plane operations (spec streams-ttl-tags.md §7, rows
//! 88–96 of §9.7), server-side encryption and the table class on
//! CreateTable and UpdateTable: each rule a table of requests sent through
//! [`dispatch`] with the exception and exact message, or the reply.

use dynacond::api::{
    DescribeContinuousBackupsInput, DescribeEndpointsInput, DescribeLimitsInput,
    UpdateContinuousBackupsInput,
};
use dynacond::protocol::{TARGET_PREFIX, dispatch};
use dynacond::{Clock, Store};
use serde_json::{Value, json};

const T: &str = "tbl";
/// The store's clock in every test: 2023-11-14T22:13:20Z.
const START_MS: i64 = 1_700_000_000_000;
const START: f64 = 1_700_000_000.0;

fn run(store: &Store, operation: &str, body: Value) -> Result<Value, String> {
    let reply = dispatch(
        store,
        Some(&format!("{TARGET_PREFIX}{operation}")),
        body.to_string().as_bytes(),
    );
    let v: Value = serde_json::from_slice(&reply.body).unwrap();
    if reply.status == 200 {
        Ok(v)
    } else {
        Err(format!(
            "{}: {}",
            v["__type"].as_str().unwrap().rsplit('#').next().unwrap(),
            v["message"].as_str().unwrap_or("")
        ))
    }
}

fn table_body(name: &str, extra: Value) -> Value {
    let mut body = json!({
        "TableName": name,
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// A store on a manual clock with table [`T`].
fn store() -> Store {
    let store = Store::builder()
        .clock(Clock::manual(START_MS))
        .build()
        .unwrap();
    run(&store, "CreateTable", table_body(T, json!({}))).unwrap();
    store
}

fn pitr(reply: &Value) -> &Value {
    &reply["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
}

fn update_pitr(store: &Store, spec: Value) -> Result<Value, String> {
    run(
        store,
        "UpdateContinuousBackups",
        json!({"TableName": T, "PointInTimeRecoverySpecification": spec}),
    )
}

#[test]
fn continuous_backups_of_a_new_table() {
    // Row 88: the recovery part holds only its status.
    let store = store();
    assert_eq!(
        run(&store, "DescribeContinuousBackups", json!({"TableName": T})),
        Ok(json!({"ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "DISABLED",
            "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}}))
    );
}

#[test]
fn point_in_time_recovery_lifecycle() {
    // Row 90: enable, enable, disable, disable.
    let store = store();
    let on = update_pitr(&store, json!({"PointInTimeRecoveryEnabled": true})).unwrap();
    assert_eq!(
        on,
        json!({"ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": {
                "PointInTimeRecoveryStatus": "ENABLED",
                "RecoveryPeriodInDays": 35,
                "EarliestRestorableDateTime": START,
                "LatestRestorableDateTime": START}}})
    );
    store.clock().advance(std::time::Duration::from_secs(3600));
    let described = run(&store, "DescribeContinuousBackups", json!({"TableName": T})).unwrap();
    assert_eq!(pitr(&described)["EarliestRestorableDateTime"], json!(START));
    assert_eq!(
        pitr(&described)["LatestRestorableDateTime"],
        json!(START + 3600.0 - 300.0)
    );
    let again = update_pitr(&store, json!({"PointInTimeRecoveryEnabled": true})).unwrap();
    assert_eq!(pitr(&again)["EarliestRestorableDateTime"], json!(START));
    // The period changes while enabled.
    let seven = update_pitr(
        &store,
        json!({"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 7}),
    )
    .unwrap();
    assert_eq!(pitr(&seven)["RecoveryPeriodInDays"], 7);
    // Past the period, the earliest time follows the clock.
    store
        .clock()
        .advance(std::time::Duration::from_secs(8 * 86_400));
    let later = run(&store, "DescribeContinuousBackups", json!({"TableName": T})).unwrap();
    let now = START + 3600.0 + 8.0 * 86_400.0;
    assert_eq!(
        pitr(&later)["EarliestRestorableDateTime"],
        json!(now - 7.0 * 86_400.0)
    );
    let off = json!({"ContinuousBackupsDescription": {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}});
    for _ in 0..2 {
        assert_eq!(
            update_pitr(&store, json!({"PointInTimeRecoveryEnabled": false})),
            Ok(off.clone())
        );
    }
    assert_eq!(
        run(&store, "DescribeContinuousBackups", json!({"TableName": T})),
        Ok(off)
    );
    // Re-enabling starts over with the default period.
    let on = update_pitr(&store, json!({"PointInTimeRecoveryEnabled": true})).unwrap();
    assert_eq!(pitr(&on)["RecoveryPeriodInDays"], 35);
    assert_eq!(pitr(&on)["EarliestRestorableDateTime"], json!(now));
}

#[test]
fn continuous_backup_errors() {
    // Rows 89, 91, 92, and the members' constraints.
    let store = store();
    let vi = "ValidationException: ";
    let cases: Vec<(&str, Value, String)> = vec![
        (
            "DescribeContinuousBackups",
            json!({"TableName": "nosuch"}),
            "TableNotFoundException: Table not found: nosuch".into(),
        ),
        (
            "UpdateContinuousBackups",
            json!({"TableName": "nosuch",
                   "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
            "TableNotFoundException: Table not found: nosuch".into(),
        ),
        (
            "DescribeContinuousBackups",
            json!({}),
            format!("{vi}The parameter 'TableName' is required but was not present in the request"),
        ),
        (
            "UpdateContinuousBackups",
            json!({"TableName": T,
                   "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": false, "RecoveryPeriodInDays": 7}}),
            format!(
                "{vi}Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery."
            ),
        ),
        (
            // The request's rule comes before the table's existence.
            "UpdateContinuousBackups",
            json!({"TableName": "nosuch",
                   "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": false, "RecoveryPeriodInDays": 7}}),
            format!(
                "{vi}Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery."
            ),
        ),
        (
            "UpdateContinuousBackups",
            json!({"TableName": T,
                   "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 36}}),
            format!(
                "{vi}1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35"
            ),
        ),
        (
            "UpdateContinuousBackups",
            json!({"TableName": T, "PointInTimeRecoverySpecification": {"RecoveryPeriodInDays": 0}}),
            format!(
                "{vi}2 validation errors detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null; Value '0' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 1"
            ),
        ),
        (
            "UpdateContinuousBackups",
            json!({"TableName": T}),
            format!(
                "{vi}1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null"
            ),
        ),
    ];
    for (operation, body, want) in cases {
        assert_eq!(run(&store, operation, body.clone()), Err(want), "{body}");
    }
    // Nothing changed.
    let described = run(&store, "DescribeContinuousBackups", json!({"TableName": T})).unwrap();
    assert_eq!(
        described["ContinuousBackupsDescription"]["ContinuousBackupsStatus"],
        "DISABLED"
    );
    // Row 92's second step: a valid period.
    let seven = update_pitr(
        &store,
        json!({"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 7}),
    )
    .unwrap();
    assert_eq!(pitr(&seven)["RecoveryPeriodInDays"], 7);
    // A deleted and re-created table starts over.
    run(&store, "DeleteTable", json!({"TableName": T})).unwrap();
    run(&store, "CreateTable", table_body(T, json!({}))).unwrap();
    let fresh = run(&store, "DescribeContinuousBackups", json!({"TableName": T})).unwrap();
    assert_eq!(
        fresh["ContinuousBackupsDescription"]["ContinuousBackupsStatus"],
        "DISABLED"
    );
}

#[test]
fn endpoints_and_limits() {
    // Rows 93 and 94.
    let store = Store::builder().region("eu-west-3").build().unwrap();
    assert_eq!(
        run(&store, "DescribeEndpoints", json!({})),
        Ok(
            json!({"Endpoints": [{"Address": "dynamodb.eu-west-3.amazonaws.com", "CachePeriodInMinutes": 1440}]})
        )
    );
    let at = store
        .describe_endpoints_at(DescribeEndpointsInput::default(), Some("localhost:8000"))
        .unwrap();
    assert_eq!(at.endpoints[0].address, "localhost:8000");
    assert_eq!(
        run(&store, "DescribeLimits", json!({})),
        Ok(
            json!({"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                  "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000})
        )
    );
    let limits = store
        .describe_limits(DescribeLimitsInput::default())
        .unwrap();
    assert_eq!(limits.table_max_write_capacity_units, 40_000);
}

#[test]
fn descriptions_of_features_never_configured() {
    // Rows 95 and 96, and §7.6's others.
    let store = store();
    run(
        &store,
        "CreateTable",
        table_body(
            "with_gsi",
            json!({
                "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "g", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "by_g",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"}}],
            }),
        ),
    )
    .unwrap();
    let missing =
        "ResourceNotFoundException: Requested resource not found: Table: nosuch not found";
    let cases: Vec<(&str, Value, Result<Value, String>)> = vec![
        (
            "DescribeContributorInsights",
            json!({"TableName": T}),
            Ok(json!({"TableName": T, "ContributorInsightsStatus": "DISABLED"})),
        ),
        (
            "DescribeContributorInsights",
            json!({"TableName": "with_gsi", "IndexName": "by_g"}),
            Ok(json!({"TableName": "with_gsi", "IndexName": "by_g", "ContributorInsightsStatus": "DISABLED"})),
        ),
        (
            "DescribeContributorInsights",
            json!({"TableName": "with_gsi", "IndexName": "by_x"}),
            Err("ResourceNotFoundException: Requested resource not found: Index: by_x not found for table: with_gsi".into()),
        ),
        (
            "DescribeContributorInsights",
            json!({"TableName": "nosuch"}),
            Err(missing.into()),
        ),
        (
            "DescribeKinesisStreamingDestination",
            json!({"TableName": T}),
            Ok(json!({"TableName": T, "KinesisDataStreamDestinations": []})),
        ),
        (
            "DescribeKinesisStreamingDestination",
            json!({"TableName": "nosuch"}),
            Err(missing.into()),
        ),
        (
            "DescribeKinesisStreamingDestination",
            json!({}),
            Err("ValidationException: The parameter 'TableName' is required but was not present in the request".into()),
        ),
        (
            "DescribeTableReplicaAutoScaling",
            json!({"TableName": T}),
            Ok(json!({"TableAutoScalingDescription": {"TableName": T, "TableStatus": "ACTIVE", "Replicas": []}})),
        ),
        (
            "DescribeTableReplicaAutoScaling",
            json!({"TableName": "nosuch"}),
            Err(missing.into()),
        ),
        ("ListGlobalTables", json!({}), Ok(json!({"GlobalTables": []}))),
        (
            "ListGlobalTables",
            json!({"Limit": 0}),
            Err("ValidationException: 1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1".into()),
        ),
        (
            "DescribeGlobalTable",
            json!({"GlobalTableName": T}),
            Err(format!("GlobalTableNotFoundException: Global table not found: Global table with name: {T} does not exist.")),
        ),
        (
            "DescribeGlobalTable",
            json!({}),
            Err("ValidationException: 1 validation error detected: Value null at 'globalTableName' failed to satisfy constraint: Member must not be null".into()),
        ),
        (
            "GetResourcePolicy",
            json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/tbl"}),
            Err("PolicyNotFoundException: Resource-based policy not found for the provided ResourceArn: arn:aws:dynamodb:us-east-1:123456789012:table/tbl".into()),
        ),
        (
            "GetResourcePolicy",
            json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/nosuch"}),
            Err("ResourceNotFoundException: Requested resource not found: ResourceArn: arn:aws:dynamodb:us-east-1:123456789012:table/nosuch not found".into()),
        ),
        (
            "GetResourcePolicy",
            json!({"ResourceArn": "arn:aws:dynamodb:us-west-2:123456789012:table/tbl"}),
            Err("ValidationException: One or more parameter values were invalid: Invalid resource Arn: arn:aws:dynamodb:us-west-2:123456789012:table/tbl".into()),
        ),
    ];
    for (operation, body, want) in cases {
        assert_eq!(
            run(&store, operation, body.clone()),
            want,
            "{operation} {body}"
        );
    }
}

#[test]
fn unimplemented_backup_operations_stay_unknown() {
    // §7.5: without real backups, every backup operation is unknown rather
    // than a ListBackups that lies.
    let store = store();
    for operation in [
        "CreateBackup",
        "ListBackups",
        "DescribeBackup",
        "DeleteBackup",
        "RestoreTableFromBackup",
        "RestoreTableToPointInTime",
    ] {
        let reply = dispatch(&store, Some(&format!("{TARGET_PREFIX}{operation}")), b"{}");
        assert_eq!(reply.status, 400, "{operation}");
        let v: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(
            v["__type"], "com.amazon.coral.service#UnknownOperationException",
            "{operation}"
        );
    }
}

fn describe(store: &Store, name: &str) -> Value {
    run(store, "DescribeTable", json!({"TableName": name})).unwrap()["Table"].clone()
}

#[test]
fn server_side_encryption_on_create_table() {
    let store = store();
    let vi = "ValidationException: One or more parameter values were invalid: ";
    let managed = {
        let created = run(
            &store,
            "CreateTable",
            table_body(
                "kms_default",
                json!({"SSESpecification": {"Enabled": true}}),
            ),
        )
        .unwrap();
        let sse = &created["TableDescription"]["SSEDescription"];
        assert_eq!(sse["Status"], "ENABLED");
        assert_eq!(sse["SSEType"], "KMS");
        let arn = sse["KMSMasterKeyArn"].as_str().unwrap().to_owned();
        assert!(
            arn.starts_with("arn:aws:kms:us-east-1:123456789012:key/"),
            "{arn}"
        );
        assert_eq!(describe(&store, "kms_default")["SSEDescription"], *sse);
        arn
    };
    let cases: Vec<(Value, Result<Option<&str>, String>)> = vec![
        (json!({"Enabled": false}), Ok(None)),
        (json!({}), Ok(None)),
        (json!({"Enabled": true, "SSEType": "KMS"}), Ok(Some(managed.as_str()))),
        (
            json!({"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}),
            Ok(Some("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")),
        ),
        (
            json!({"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "arn:aws:kms:us-east-1:123456789012:key/mine"}),
            Ok(Some("arn:aws:kms:us-east-1:123456789012:key/mine")),
        ),
        (
            json!({"Enabled": false, "SSEType": "KMS"}),
            Err(format!("{vi}SSEType can not be specified if Enabled is false")),
        ),
        (
            json!({"KMSMasterKeyId": "k"}),
            Err(format!("{vi}KMSMasterKeyId can not be specified if Enabled is false")),
        ),
        (
            json!({"Enabled": true, "SSEType": "AES256"}),
            Err(format!("{vi}SSEType AES256 is not supported")),
        ),
        (
            json!({"Enabled": true, "KMSMasterKeyId": "k"}),
            Err(format!("{vi}SSEType KMS is required if KMSMasterKeyId is specified")),
        ),
        (
            json!({"Enabled": true, "SSEType": "AES-256"}),
            Err("ValidationException: 1 validation error detected: Value 'AES-256' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]".into()),
        ),
    ];
    for (i, (spec, want)) in cases.into_iter().enumerate() {
        let name = format!("sse_{i}");
        let got = run(
            &store,
            "CreateTable",
            table_body(&name, json!({"SSESpecification": spec})),
        );
        match want {
            Ok(key) => {
                got.unwrap();
                let sse = &describe(&store, &name)["SSEDescription"];
                match key {
                    None => assert!(sse.is_null(), "{spec}"),
                    Some(key) => assert_eq!(
                        *sse,
                        json!({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key}),
                        "{spec}"
                    ),
                }
            }
            Err(message) => {
                assert_eq!(got, Err(message), "{spec}");
                assert!(run(&store, "DescribeTable", json!({"TableName": name})).is_err());
            }
        }
    }
}

#[test]
fn server_side_encryption_on_update_table() {
    let store = store();
    let update = |spec: Value| {
        run(
            &store,
            "UpdateTable",
            json!({"TableName": T, "SSESpecification": spec}),
        )
    };
    let vi = "ValidationException: One or more parameter values were invalid: ";
    assert_eq!(
        update(json!({"Enabled": false})),
        Err(format!("{vi}Table is already encrypted by default"))
    );
    assert_eq!(
        update(json!({})),
        Err(format!("{vi}Table is already encrypted by default"))
    );
    // To a KMS key: the reply shows it UPDATING, DescribeTable ENABLED.
    let key = "arn:aws:kms:us-east-1:123456789012:key/k1";
    let reply = update(json!({"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": key})).unwrap();
    let shown = &reply["TableDescription"];
    assert_eq!(shown["TableStatus"], "ACTIVE");
    assert_eq!(
        shown["SSEDescription"],
        json!({"Status": "UPDATING", "SSEType": "KMS", "KMSMasterKeyArn": key})
    );
    assert_eq!(
        describe(&store, T)["SSEDescription"],
        json!({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key})
    );
    assert_eq!(
        update(json!({"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": key})),
        Err(format!(
            "{vi}Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key"
        ))
    );
    // To the managed key, then back to the AWS-owned key.
    let reply = update(json!({"Enabled": true})).unwrap();
    assert_ne!(
        reply["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"],
        key
    );
    assert_eq!(
        update(json!({"Enabled": true})),
        Err(format!(
            "{vi}Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key"
        ))
    );
    let reply = update(json!({"Enabled": false})).unwrap();
    assert_eq!(
        reply["TableDescription"]["SSEDescription"]["Status"],
        "UPDATING"
    );
    assert!(describe(&store, T).get("SSEDescription").is_none());
    // Request rules come before the table's existence; combinations first.
    for (body, want) in [
        (
            json!({"TableName": "nosuch", "SSESpecification": {"Enabled": true, "SSEType": "AES256"}}),
            format!("{vi}SSEType AES256 is not supported"),
        ),
        (
            json!({"TableName": "nosuch", "SSESpecification": {"Enabled": true}}),
            "ResourceNotFoundException: Requested resource not found: Table: nosuch not found"
                .into(),
        ),
        (
            json!({"TableName": T, "SSESpecification": {"Enabled": true, "SSEType": "AES256"}, "DeletionProtectionEnabled": true}),
            format!(
                "{vi}Server-Side Encryption modification must be the only operation in the request"
            ),
        ),
    ] {
        assert_eq!(
            run(&store, "UpdateTable", body.clone()),
            Err(want),
            "{body}"
        );
    }
}

#[test]
fn table_class() {
    let store = store();
    // Without a class: no summary; with one: reported.
    assert!(describe(&store, T).get("TableClassSummary").is_none());
    let created = run(
        &store,
        "CreateTable",
        table_body(
            "tbl_ia",
            json!({"TableClass": "STANDARD_INFREQUENT_ACCESS"}),
        ),
    )
    .unwrap();
    assert_eq!(
        created["TableDescription"]["TableClassSummary"],
        json!({"TableClass": "STANDARD_INFREQUENT_ACCESS"})
    );
    assert_eq!(
        run(&store, "CreateTable", table_body("bad", json!({"TableClass": "GLACIER"}))),
        Err("ValidationException: 1 validation error detected: Value 'GLACIER' at 'tableClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]".into())
    );
    let update = |class: &str| {
        run(
            &store,
            "UpdateTable",
            json!({"TableName": T, "TableClass": class}),
        )
    };
    // The current class: nothing changes.
    let same = update("STANDARD").unwrap();
    assert_eq!(same["TableDescription"]["TableStatus"], "ACTIVE");
    assert!(describe(&store, T).get("TableClassSummary").is_none());
    // A change: UPDATING with the old summary, then the new one with its time.
    store.clock().advance(std::time::Duration::from_secs(10));
    let changed = update("STANDARD_INFREQUENT_ACCESS").unwrap();
    assert_eq!(changed["TableDescription"]["TableStatus"], "UPDATING");
    assert!(
        changed["TableDescription"]
            .get("TableClassSummary")
            .is_none()
    );
    assert_eq!(
        describe(&store, T)["TableClassSummary"],
        json!({"TableClass": "STANDARD_INFREQUENT_ACCESS", "LastUpdateDateTime": START + 10.0})
    );
    store.clock().advance(std::time::Duration::from_secs(10));
    update("STANDARD").unwrap();
    let limited = "LimitExceededException: Subscriber limit exceeded: Updates to TableClass are limited to 2 times in 30 day(s).";
    assert_eq!(update("STANDARD_INFREQUENT_ACCESS"), Err(limited.into()));
    assert_eq!(update("STANDARD"), Err(limited.into()));
    // 30 days after the first change, one change is allowed again.
    store
        .clock()
        .advance(std::time::Duration::from_secs(30 * 86_400 - 10));
    update("STANDARD_INFREQUENT_ACCESS").unwrap();
    assert_eq!(update("STANDARD"), Err(limited.into()));
}

#[test]
fn the_typed_api() {
    let store = store();
    let on = store
        .update_continuous_backups(
            UpdateContinuousBackupsInput::new(T, true).with_recovery_period_in_days(3),
        )
        .unwrap();
    assert_eq!(
        on.continuous_backups_description
            .point_in_time_recovery_description
            .recovery_period_in_days,
        Some(3)
    );
    let described = store
        .describe_continuous_backups(DescribeContinuousBackupsInput::new(T))
        .unwrap();
    assert_eq!(described, on);
    let e = store
        .describe_continuous_backups(DescribeContinuousBackupsInput::new("nosuch"))
        .unwrap_err();
    assert_eq!(e.type_name(), "TableNotFoundException");
}
