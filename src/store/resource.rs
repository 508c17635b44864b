//! Resource ARNs (spec streams-ttl-tags.md §6.2): the checks of the
//! `ResourceArn` of the tag operations and GetResourcePolicy, in DynamoDB's
//! order, and the one function that finds the table or stream an ARN names.
//!
//! | Step | ARN | Answer |
//! | --- | --- | --- |
//! | 1 | not starting with `arn:` | `ARNs must start with 'arn:': <arn>` |
//! | 2 | not `arn:<partition>:dynamodb:<region>:<account>:table/...`, or a table ARN with another suffix (a backup) | `Provided Arn is not a DynamoDB resource arn: <arn>` |
//! | 3 | `<table arn>/index/<name>` | `Invalid resource arn provided, only table or stream is accepted. ...` |
//! | 4 | another region (or partition) | tags: `Invalid TableArn: Invalid ResourceArn provided as input <arn>`; policies: `Invalid resource Arn: <arn>` |
//! | 5 | another account | tags: AccessDeniedException; policies: a ValidationException |
//! | 6 | no such table, or no such stream | ResourceNotFoundException `Requested resource not found: ResourceArn: <arn> not found` |
//!
//! Steps 1–5 need no table ([`parse_resource_arn`]); step 6 is
//! [`Store::find_resource`]. The tag operations check their tags between
//! the two (§6.3).

use std::sync::Arc;

use crate::error::Error;
use crate::store::builder::Location;
use crate::store::catalog::Store;
use crate::store::table::Table;

/// What an ARN names, once steps 1–5 passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ResourceName {
    /// `arn:aws:dynamodb:<region>:<account>:table/<name>`.
    Table(String),
    /// `<table arn>/stream/<label>`.
    Stream {
        /// The table's name.
        table: String,
        /// The stream's label.
        label: String,
    },
}

/// The resource an ARN names, found.
#[derive(Debug, Clone)]
pub(crate) enum Resource {
    /// A table.
    Table(Arc<Table>),
    /// One of a table's streams.
    Stream {
        /// The stream's table.
        table: Arc<Table>,
        /// The stream's label.
        label: String,
    },
}

impl Resource {
    /// The table of the resource (the stream's table for a stream).
    pub(crate) fn table(&self) -> &Arc<Table> {
        match self {
            Resource::Table(table) | Resource::Stream { table, .. } => table,
        }
    }
}

/// Which operations check the ARN: their messages for another region or
/// account differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArnUse {
    /// TagResource, UntagResource, ListTagsOfResource (the operation's name,
    /// for the AccessDeniedException).
    Tags(&'static str),
    /// GetResourcePolicy.
    Policy,
}

fn invalid(detail: String) -> Error {
    Error::validation(format!(
        "One or more parameter values were invalid: {detail}"
    ))
}

/// Steps 1–5 of the module's table: what `arn` names, for a store at
/// `location`.
pub(crate) fn parse_resource_arn(
    location: &Location,
    arn: &str,
    usage: ArnUse,
) -> Result<ResourceName, Error> {
    if !arn.starts_with("arn:") {
        return Err(invalid(format!("ARNs must start with 'arn:': {arn}")));
    }
    let not_dynamodb = || {
        invalid(format!(
            "Provided Arn is not a DynamoDB resource arn: {arn}"
        ))
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(not_dynamodb());
    };
    if *service != "dynamodb" {
        return Err(not_dynamodb());
    }
    let rest = resource.strip_prefix("table/").ok_or_else(not_dynamodb)?;
    let name = match rest.split_once('/') {
        None => ResourceName::Table(rest.to_owned()),
        Some((table, tail)) => match tail.split_once('/') {
            Some(("stream", label)) => ResourceName::Stream {
                table: table.to_owned(),
                label: label.to_owned(),
            },
            Some(("index", _)) => {
                return Err(invalid(format!(
                    "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {arn}"
                )));
            }
            _ => return Err(not_dynamodb()),
        },
    };
    if *partition != "aws" || *region != location.region {
        return Err(match usage {
            ArnUse::Tags(_) => Error::validation(format!(
                "Invalid TableArn: Invalid ResourceArn provided as input {arn}"
            )),
            ArnUse::Policy => invalid(format!("Invalid resource Arn: {arn}")),
        });
    }
    if *account != location.account_id {
        return Err(match usage {
            ArnUse::Tags(operation) => Error::AccessDenied(format!(
                "User: arn:aws:iam::{}:root is not authorized to perform: dynamodb:{operation} on resource: {arn}",
                location.account_id
            )),
            ArnUse::Policy => Error::validation(
                "This action is only supported by accounts that match the resource owner\u{2019}s account.",
            ),
        });
    }
    Ok(name)
}

/// The answer for an ARN whose table or stream does not exist.
pub(crate) fn resource_not_found(arn: &str) -> Error {
    Error::ResourceNotFound(format!(
        "Requested resource not found: ResourceArn: {arn} not found"
    ))
}

impl Store {
    /// Step 6: the table or stream `name` (parsed from `arn`) names.
    pub(crate) fn find_resource(&self, name: &ResourceName, arn: &str) -> Result<Resource, Error> {
        match name {
            ResourceName::Table(table) => self
                .table(table)
                .map(Resource::Table)
                .map_err(|_| resource_not_found(arn)),
            ResourceName::Stream { table, label } => {
                let table = self.table(table).map_err(|_| resource_not_found(arn))?;
                // A stream of the table, enabled or still readable; its
                // tags live with the table's (`Extras::stream_tags`).
                let stream_arn = format!("{}/stream/{label}", table.arn);
                if !self.inner.streams.contains(&stream_arn) {
                    return Err(resource_not_found(arn));
                }
                Ok(Resource::Stream {
                    table,
                    label: label.clone(),
                })
            }
        }
    }

    /// Every step: the table or stream `arn` names.
    pub(crate) fn resolve_resource(&self, arn: &str, usage: ArnUse) -> Result<Resource, Error> {
        let name = parse_resource_arn(&self.inner.location, arn, usage)?;
        self.find_resource(&name, arn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arn: &str) -> Result<ResourceName, String> {
        parse_resource_arn(&Location::default(), arn, ArnUse::Tags("TagResource"))
            .map_err(|e| format!("{}: {}", e.type_name(), e.message()))
    }

    #[test]
    fn arns_are_checked_in_dynamodbs_order() {
        let ok = "arn:aws:dynamodb:us-east-1:123456789012:table/users";
        assert_eq!(parse(ok), Ok(ResourceName::Table("users".into())));
        assert_eq!(
            parse(&format!("{ok}/stream/2026-10-08T23:07:31.275")),
            Ok(ResourceName::Stream {
                table: "users".into(),
                label: "2026-10-08T23:07:31.275".into()
            })
        );
        let vi = "ValidationException: One or more parameter values were invalid: ";
        for (arn, want) in [
            (
                "not-a-valid-arn",
                format!("{vi}ARNs must start with 'arn:': not-a-valid-arn"),
            ),
            (
                "arn:aws:s3:::bucket",
                format!("{vi}Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket"),
            ),
            (
                "arn:aws:dynamodb",
                format!("{vi}Provided Arn is not a DynamoDB resource arn: arn:aws:dynamodb"),
            ),
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/users/backup/01700000000000-abcd1234",
                format!(
                    "{vi}Provided Arn is not a DynamoDB resource arn: arn:aws:dynamodb:us-east-1:123456789012:table/users/backup/01700000000000-abcd1234"
                ),
            ),
            (
                // The index check comes before the region's.
                "arn:aws:dynamodb:eu-west-1:123456789012:table/users/index/by_x",
                format!(
                    "{vi}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: arn:aws:dynamodb:eu-west-1:123456789012:table/users/index/by_x"
                ),
            ),
            (
                "arn:aws:dynamodb:eu-west-1:000000000000:table/users",
                "ValidationException: Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/users".into(),
            ),
            (
                "arn:aws:dynamodb:us-east-1:000000000000:table/users",
                "AccessDeniedException: User: arn:aws:iam::123456789012:root is not authorized to perform: dynamodb:TagResource on resource: arn:aws:dynamodb:us-east-1:000000000000:table/users".into(),
            ),
        ] {
            assert_eq!(parse(arn), Err(want), "{arn}");
        }
    }

    #[test]
    fn policy_messages_for_region_and_account() {
        let policy = |arn: &str| {
            parse_resource_arn(&Location::default(), arn, ArnUse::Policy)
                .map_err(|e| e.message().to_owned())
        };
        assert_eq!(
            policy("arn:aws:dynamodb:eu-west-1:123456789012:table/t1"),
            Err("One or more parameter values were invalid: Invalid resource Arn: arn:aws:dynamodb:eu-west-1:123456789012:table/t1".into())
        );
        assert_eq!(
            policy("arn:aws:dynamodb:us-east-1:000000000000:table/t1"),
            Err("This action is only supported by accounts that match the resource owner\u{2019}s account.".into())
        );
    }

    #[test]
    fn missing_tables_and_streams_are_not_found() {
        let store = Store::new();
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/nosuch";
        let e = store
            .resolve_resource(arn, ArnUse::Tags("ListTagsOfResource"))
            .unwrap_err();
        assert_eq!(
            e,
            Error::ResourceNotFound(format!(
                "Requested resource not found: ResourceArn: {arn} not found"
            ))
        );
    }
}
