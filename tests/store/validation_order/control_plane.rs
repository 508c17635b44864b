//! Which error wins on the tag operations, continuous backups and the small
//! control-plane calls (spec streams-ttl-tags.md §6.2, §6.3, §7): the
//! constraint layer, then the ARN (in §6.2's order), then the request's own
//! rules, then the table. DescribeEndpoints and DescribeLimits take no
//! members: their one rule is that the body is an object.

use super::{
    CONTROL_PLANE_MISSING, Case, Expect, MISSING, PATTERN, T, aggregated, case, control_plane,
    fail, fail_null, max_value, min_len, one, run_operation, ve,
};

/// The fixture's table [`T`] in the default store's region and account.
fn arn(table: &str) -> String {
    format!("arn:aws:dynamodb:us-east-1:123456789012:table/{table}")
}

fn invalid(detail: &str) -> Expect {
    ve(format!(
        "One or more parameter values were invalid: {detail}"
    ))
}

fn resource_not_found(arn: &str) -> Expect {
    Expect::Error(
        "ResourceNotFoundException",
        format!("Requested resource not found: ResourceArn: {arn} not found"),
    )
}

/// An operation without members: only the body's shape can be wrong.
fn not_an_object(prefix: &str) -> Vec<Case> {
    let shape = || {
        Expect::Error(
            "SerializationException",
            "Start of structure or map found where not expected".into(),
        )
    };
    vec![
        case(format!("{prefix}/a-list-body"), "[]", shape()),
        case(format!("{prefix}/a-null-body"), "null", shape()),
        case(format!("{prefix}/a-string-body"), r#""{}""#, shape()),
    ]
}

fn tag_resource() -> Vec<Case> {
    let missing = arn(MISSING);
    let index = format!("arn:aws:dynamodb:eu-west-1:000000000000:table/{T}/index/by_x");
    vec![
        case(
            "tag/constraints-aggregated",
            r#"{"ResourceArn": ""}"#,
            aggregated(vec![
                fail("", "resourceArn", &min_len(1)),
                fail_null("tags"),
            ]),
        ),
        case(
            "tag/arn-prefix-beats-empty-list",
            r#"{"ResourceArn": "nope", "Tags": []}"#,
            invalid("ARNs must start with 'arn:': nope"),
        ),
        case(
            "tag/index-arn-beats-region-and-account",
            format!(r#"{{"ResourceArn": "{index}", "Tags": []}}"#),
            invalid(&format!(
                "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {index}"
            )),
        ),
        case(
            "tag/region-beats-account",
            r#"{"ResourceArn": "arn:aws:dynamodb:eu-west-1:000000000000:table/tbl", "Tags": []}"#,
            ve("Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/tbl"),
        ),
        case(
            "tag/account-beats-empty-list",
            r#"{"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/tbl", "Tags": []}"#,
            Expect::Error(
                "AccessDeniedException",
                "User: arn:aws:iam::123456789012:root is not authorized to perform: dynamodb:TagResource on resource: arn:aws:dynamodb:us-east-1:000000000000:table/tbl".into(),
            ),
        ),
        case(
            "tag/empty-list-beats-missing-table",
            format!(r#"{{"ResourceArn": "{missing}", "Tags": []}}"#),
            ve("Atleast one Tag needs to be provided as Input."),
        ),
        case(
            "tag/first-bad-tag-beats-later-ones-and-missing-table",
            format!(
                r#"{{"ResourceArn": "{missing}", "Tags": [{{"Key": "ok", "Value": "1"}}, {{"Key": "aws:a", "Value": "1"}}, {{"Key": "b#", "Value": "1"}}]}}"#
            ),
            ve("Tag Key cannot be prefixed with aws:, Key: aws:a"),
        ),
        case(
            "tag/missing-table-beats-the-limit",
            format!(
                r#"{{"ResourceArn": "{missing}", "Tags": [{}]}}"#,
                (0..51)
                    .map(|i| format!(r#"{{"Key": "k{i}", "Value": "v"}}"#))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            resource_not_found(&missing),
        ),
    ]
}

fn untag_resource() -> Vec<Case> {
    let missing = arn(MISSING);
    vec![
        case(
            "untag/constraints-aggregated",
            "{}",
            aggregated(vec![fail_null("resourceArn"), fail_null("tagKeys")]),
        ),
        case(
            "untag/arn-beats-empty-list",
            r#"{"ResourceArn": "arn:aws:s3:::b", "TagKeys": []}"#,
            invalid("Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::b"),
        ),
        case(
            "untag/empty-list-beats-missing-table",
            format!(r#"{{"ResourceArn": "{missing}", "TagKeys": []}}"#),
            ve("Atleast one Tag Key needs to be provided as Input."),
        ),
        case(
            "untag/key-checks-beat-missing-table",
            format!(r#"{{"ResourceArn": "{missing}", "TagKeys": ["AWS:x"]}}"#),
            ve("Tag Key cannot be prefixed with aws:, Key: AWS:x"),
        ),
    ]
}

fn list_tags() -> Vec<Case> {
    vec![
        case(
            "list-tags/arn-length",
            format!(r#"{{"ResourceArn": "arn:{}"}}"#, "a".repeat(1280)),
            ve(one(&fail(
                &format!("arn:{}", "a".repeat(1280)),
                "resourceArn",
                "Member must have length less than or equal to 1283",
            ))),
        ),
        case(
            "list-tags/backup-arn-is-no-resource",
            format!(
                r#"{{"ResourceArn": "{}/backup/01700000000000-0123abcd"}}"#,
                arn(T)
            ),
            invalid(&format!(
                "Provided Arn is not a DynamoDB resource arn: {}/backup/01700000000000-0123abcd",
                arn(T)
            )),
        ),
        case(
            "list-tags/missing-table",
            format!(r#"{{"ResourceArn": "{}"}}"#, arn(MISSING)),
            resource_not_found(&arn(MISSING)),
        ),
    ]
}

fn get_resource_policy() -> Vec<Case> {
    vec![
        case(
            "policy/constraint",
            "{}",
            ve(one(&fail_null("resourceArn"))),
        ),
        case(
            "policy/region-beats-account-and-table",
            r#"{"ResourceArn": "arn:aws:dynamodb:eu-west-1:000000000000:table/nope"}"#,
            invalid("Invalid resource Arn: arn:aws:dynamodb:eu-west-1:000000000000:table/nope"),
        ),
        case(
            "policy/missing-table-beats-no-policy",
            format!(r#"{{"ResourceArn": "{}"}}"#, arn(MISSING)),
            resource_not_found(&arn(MISSING)),
        ),
    ]
}

fn table_not_found() -> Expect {
    Expect::Error(
        "TableNotFoundException",
        format!("Table not found: {MISSING}"),
    )
}

fn describe_continuous_backups() -> Vec<Case> {
    let mut cases = control_plane("describe-backups");
    cases.push(case(
        "describe-backups/missing-table",
        format!(r#"{{"TableName": "{MISSING}"}}"#),
        table_not_found(),
    ));
    cases
}

fn update_continuous_backups() -> Vec<Case> {
    // The shared pattern case sends no PointInTimeRecoverySpecification,
    // which this operation's constraint layer reports too (see below).
    let mut cases: Vec<Case> = control_plane("update-backups")
        .into_iter()
        .filter(|c| !c.name.ends_with("pattern-beats-missing-table"))
        .collect();
    cases.extend([
        case(
            "update-backups/name-sentence-beats-constraints",
            r#"{"PointInTimeRecoverySpecification": {"RecoveryPeriodInDays": 99}}"#,
            ve(CONTROL_PLANE_MISSING),
        ),
        case(
            "update-backups/constraints-aggregated",
            r#"{"TableName": "x!y", "PointInTimeRecoverySpecification": {"RecoveryPeriodInDays": 36}}"#,
            aggregated(vec![
                fail("x!y", "tableName", PATTERN),
                fail_null("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled"),
                fail(
                    "36",
                    "pointInTimeRecoverySpecification.recoveryPeriodInDays",
                    &max_value(35),
                ),
            ]),
        ),
        case(
            "update-backups/period-when-disabling-beats-missing-table",
            format!(
                r#"{{"TableName": "{MISSING}", "PointInTimeRecoverySpecification": {{"PointInTimeRecoveryEnabled": false, "RecoveryPeriodInDays": 3}}}}"#
            ),
            ve("Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery."),
        ),
        case(
            "update-backups/missing-table",
            format!(
                r#"{{"TableName": "{MISSING}", "PointInTimeRecoverySpecification": {{"PointInTimeRecoveryEnabled": true}}}}"#
            ),
            table_not_found(),
        ),
    ]);
    cases
}

fn described_table(prefix: &'static str) -> Vec<Case> {
    let mut cases = control_plane(prefix);
    cases.push(case(
        format!("{prefix}/missing-table"),
        format!(r#"{{"TableName": "{MISSING}"}}"#),
        Expect::Error(
            "ResourceNotFoundException",
            format!("Requested resource not found: Table: {MISSING} not found"),
        ),
    ));
    cases
}

fn contributor_insights() -> Vec<Case> {
    let mut cases = described_table("insights");
    cases.extend([
        case(
            "insights/index-name-beats-missing-table",
            format!(r#"{{"TableName": "{MISSING}", "IndexName": "ab"}}"#),
            ve(one(&fail("ab", "indexName", &min_len(3)))),
        ),
        case(
            "insights/missing-index",
            format!(r#"{{"TableName": "{T}", "IndexName": "by_x"}}"#),
            Expect::Error(
                "ResourceNotFoundException",
                format!("Requested resource not found: Index: by_x not found for table: {T}"),
            ),
        ),
    ]);
    cases
}

fn list_global_tables() -> Vec<Case> {
    vec![
        case(
            "global-tables/limit-and-start-name-aggregated",
            r#"{"Limit": 0, "ExclusiveStartGlobalTableName": "x!y"}"#,
            aggregated(vec![
                fail(
                    "0",
                    "limit",
                    "Member must have value greater than or equal to 1",
                ),
                fail("x!y", "exclusiveStartGlobalTableName", PATTERN),
            ]),
        ),
        case(
            "global-tables/empty-start-name-reports-only-its-length",
            r#"{"ExclusiveStartGlobalTableName": ""}"#,
            ve(one(&fail("", "exclusiveStartGlobalTableName", &min_len(3)))),
        ),
        case(
            "global-tables/negative-limit",
            r#"{"Limit": -1}"#,
            ve(one(&fail(
                "-1",
                "limit",
                "Member must have value greater than or equal to 1",
            ))),
        ),
    ]
}

fn describe_global_table() -> Vec<Case> {
    vec![
        case(
            "global-table/name-missing",
            "{}",
            ve(one(&fail_null("globalTableName"))),
        ),
        case(
            "global-table/name-constraint",
            r#"{"GlobalTableName": "ab"}"#,
            ve(one(&fail("ab", "globalTableName", &min_len(3)))),
        ),
        case(
            "global-table/not-found",
            format!(r#"{{"GlobalTableName": "{T}"}}"#),
            Expect::Error(
                "GlobalTableNotFoundException",
                format!("Global table not found: Global table with name: {T} does not exist."),
            ),
        ),
    ]
}

/// Every operation of this module and its cases.
pub(super) fn cases() -> Vec<(&'static str, Vec<Case>)> {
    vec![
        ("TagResource", tag_resource()),
        ("UntagResource", untag_resource()),
        ("ListTagsOfResource", list_tags()),
        ("GetResourcePolicy", get_resource_policy()),
        ("DescribeContinuousBackups", describe_continuous_backups()),
        ("UpdateContinuousBackups", update_continuous_backups()),
        (
            "DescribeKinesisStreamingDestination",
            described_table("kinesis"),
        ),
        ("DescribeContributorInsights", contributor_insights()),
        (
            "DescribeTableReplicaAutoScaling",
            described_table("replica-scaling"),
        ),
        ("ListGlobalTables", list_global_tables()),
        ("DescribeGlobalTable", describe_global_table()),
        ("DescribeEndpoints", not_an_object("endpoints")),
        ("DescribeLimits", not_an_object("limits")),
    ]
}

#[test]
fn tag_operations_order() {
    for operation in [
        "TagResource",
        "UntagResource",
        "ListTagsOfResource",
        "GetResourcePolicy",
    ] {
        run_operation(operation);
    }
}

#[test]
fn continuous_backups_order() {
    run_operation("DescribeContinuousBackups");
    run_operation("UpdateContinuousBackups");
}

#[test]
fn control_plane_calls_order() {
    for operation in [
        "DescribeKinesisStreamingDestination",
        "DescribeContributorInsights",
        "DescribeTableReplicaAutoScaling",
        "ListGlobalTables",
        "DescribeGlobalTable",
        "DescribeEndpoints",
        "DescribeLimits",
    ] {
        run_operation(operation);
    }
}
