//! UpdateTimeToLive and DescribeTimeToLive (spec streams-ttl-tags.md §5.1,
//! §5.2): the control-plane `TableName` sentences, then the constraint
//! layer, then the table lookup, then the TTL state rules.
//!
//! Left out: the order of `tableName`'s pattern failure and a missing
//! specification, and of the specification's two members (aggregated,
//! checked without an order).

use super::{
    CONTROL_PLANE_LENGTH, CONTROL_PLANE_MISSING, Case, Expect, MISSING, PATTERN, T, aggregated,
    case, control_plane, fail, fail_null, long_bad_name, min_len, one, ve,
};

fn table_not_found(name: &str) -> Expect {
    Expect::Error(
        "ResourceNotFoundException",
        format!("Requested resource not found: Table: {name} not found"),
    )
}

pub(super) fn describe_time_to_live() -> Vec<Case> {
    let mut cases = control_plane("describe-ttl");
    cases.push(case(
        "describe-ttl/missing-table",
        format!(r#"{{"TableName": "{MISSING}"}}"#),
        table_not_found(MISSING),
    ));
    cases
}

pub(super) fn update_time_to_live() -> Vec<Case> {
    let long = long_bad_name(256);
    vec![
        case(
            "update-ttl/missing-name-sentence-beats-constraint-form",
            r#"{"TimeToLiveSpecification": {}}"#,
            ve(CONTROL_PLANE_MISSING),
        ),
        case(
            "update-ttl/length-sentence-beats-pattern-and-specification",
            format!(r#"{{"TableName": "{long}"}}"#),
            ve(CONTROL_PLANE_LENGTH),
        ),
        case(
            "update-ttl/pattern-and-missing-specification-aggregate",
            r#"{"TableName": "x!y"}"#,
            aggregated(vec![
                fail("x!y", "tableName", PATTERN),
                fail_null("timeToLiveSpecification"),
            ]),
        ),
        case(
            "update-ttl/specification-members-aggregate-before-missing-table",
            format!(
                r#"{{"TableName": "{MISSING}", "TimeToLiveSpecification": {{"AttributeName": ""}}}}"#
            ),
            aggregated(vec![
                fail_null("timeToLiveSpecification.enabled"),
                fail("", "timeToLiveSpecification.attributeName", &min_len(1)),
            ]),
        ),
        case(
            "update-ttl/constraint-beats-missing-table",
            format!(
                r#"{{"TableName": "{MISSING}", "TimeToLiveSpecification": {{"Enabled": true}}}}"#
            ),
            ve(one(&fail_null("timeToLiveSpecification.attributeName"))),
        ),
        case(
            "update-ttl/missing-table-beats-state",
            format!(
                r#"{{"TableName": "{MISSING}", "TimeToLiveSpecification": {{"AttributeName": "a", "Enabled": false}}}}"#
            ),
            table_not_found(MISSING),
        ),
        case(
            "update-ttl/state-of-an-existing-table",
            format!(
                r#"{{"TableName": "{T}", "TimeToLiveSpecification": {{"AttributeName": "a", "Enabled": false}}}}"#
            ),
            ve("TimeToLive is already disabled"),
        ),
    ]
}
