//! The Streams API's constraint layer (spec streams-ttl-tags.md §2, §0.2):
//! required members, lengths, ranges and enums, in each operation's model
//! order. A `StreamArn` is only required here: its shape is the service's
//! `Invalid StreamArn` check, which DynamoDB Streams runs instead of a
//! length rule (an AWS SDK test sends `fake-stream` and gets that message).

use super::{Constrained, EnumMember, Violations};
use crate::api::{
    DescribeStreamInput, GetRecordsInput, GetShardIteratorInput, ListStreamsInput, ShardFilterType,
    ShardIteratorType,
};

/// `ShardIteratorType`'s set, in the documented order.
const SHARD_ITERATOR_TYPE: &str =
    "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]";
/// `ShardFilter.Type`'s set.
const SHARD_FILTER_TYPE: &str = "[CHILD_SHARDS]";

impl EnumMember for ShardIteratorType {
    fn wire(&self) -> &str {
        self.as_str()
    }
    fn known(&self) -> bool {
        self.is_known()
    }
}

impl EnumMember for ShardFilterType {
    fn wire(&self) -> &str {
        self.as_str()
    }
    fn known(&self) -> bool {
        self.is_known()
    }
}

/// A shard id's bounds (28 to 65 characters).
fn shard_id(v: &mut Violations, value: Option<&String>, member: &str) {
    v.text(value.map(String::as_str), member, 28, 65, false);
}

impl Constrained for ListStreamsInput {
    fn constraints(&self, v: &mut Violations) {
        v.text(self.table_name.as_deref(), "tableName", 3, 255, true);
        v.range(self.limit, "limit", 1, Some(100));
        v.text(
            self.exclusive_start_stream_arn.as_deref(),
            "exclusiveStartStreamArn",
            37,
            1024,
            false,
        );
    }
}

impl Constrained for DescribeStreamInput {
    fn constraints(&self, v: &mut Violations) {
        v.required(self.stream_arn.as_ref(), "streamArn");
        v.range(self.limit, "limit", 1, Some(100));
        shard_id(
            v,
            self.exclusive_start_shard_id.as_ref(),
            "exclusiveStartShardId",
        );
        if let Some(filter) = &self.shard_filter {
            if v.required(filter.r#type.as_ref(), "shardFilter.type") {
                v.enumeration(
                    filter.r#type.as_ref(),
                    "shardFilter.type",
                    SHARD_FILTER_TYPE,
                );
            }
            if v.required(filter.shard_id.as_ref(), "shardFilter.shardId") {
                shard_id(v, filter.shard_id.as_ref(), "shardFilter.shardId");
            }
        }
    }
}

impl Constrained for GetShardIteratorInput {
    fn constraints(&self, v: &mut Violations) {
        v.required(self.stream_arn.as_ref(), "streamArn");
        if v.required(self.shard_id.as_ref(), "shardId") {
            shard_id(v, self.shard_id.as_ref(), "shardId");
        }
        if v.required(self.shard_iterator_type.as_ref(), "shardIteratorType") {
            v.enumeration(
                self.shard_iterator_type.as_ref(),
                "shardIteratorType",
                SHARD_ITERATOR_TYPE,
            );
        }
        v.text(
            self.sequence_number.as_deref(),
            "sequenceNumber",
            21,
            40,
            false,
        );
    }
}

impl Constrained for GetRecordsInput {
    fn constraints(&self, v: &mut Violations) {
        if v.required(self.shard_iterator.as_ref(), "shardIterator") {
            v.text(
                self.shard_iterator.as_deref(),
                "shardIterator",
                1,
                2048,
                false,
            );
        }
        v.range(self.limit, "limit", 1, Some(1000));
    }
}

#[cfg(test)]
mod tests {
    use crate::api::*;
    use crate::constraints::check;

    fn message<T: super::Constrained>(input: &T) -> String {
        check(input)
            .err()
            .map(|e| e.message().to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn limits_and_required_members() {
        let mut list = ListStreamsInput::new();
        list.limit = Some(0);
        assert_eq!(
            message(&list),
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
        list.limit = Some(101);
        assert!(message(&list).contains("less than or equal to 100"));
        let mut records = GetRecordsInput::new("x").with_limit(1001);
        assert!(message(&records).contains("Member must have value less than or equal to 1000"));
        records.limit = Some(-1);
        assert!(message(&records).contains("greater than or equal to 1"));
        assert_eq!(
            message(&GetRecordsInput::default()),
            "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(
            message(&GetShardIteratorInput::default()),
            "3 validation errors detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null; Value null at 'shardId' failed to satisfy constraint: Member must not be null; Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null"
        );
        let bad_type = GetShardIteratorInput::new(
            "a",
            "shardId-00000000000000000001-00000000",
            ShardIteratorType::from("bulle"),
        );
        assert_eq!(
            message(&bad_type),
            "1 validation error detected: Value 'bulle' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]"
        );
        let mut describe = DescribeStreamInput::new("a");
        describe.shard_filter = Some(ShardFilter {
            r#type: Some("foo".into()),
            shard_id: Some("qwerty".into()),
        });
        assert_eq!(
            message(&describe),
            "2 validation errors detected: Value 'foo' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]; Value 'qwerty' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28"
        );
    }
}
