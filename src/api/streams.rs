//! The DynamoDB Streams API (`DynamoDBStreams_20120810`): ListStreams,
//! DescribeStream, GetShardIterator and GetRecords, and the stream record
//! (spec streams-ttl-tags.md §2, §3).
//!
//! ```
//! use dynacond::api::*;
//! use dynacond::store::ScalarType;
//! use dynacond::{AttributeValue, Item, Store};
//!
//! let store = Store::new();
//! store.create_table(
//!     CreateTableInput::new("users")
//!         .with_hash_key("id", ScalarType::S)
//!         .with_billing_mode(BillingMode::PayPerRequest)
//!         .with_stream(StreamViewType::NewAndOldImages),
//! )?;
//! let mut item = Item::new();
//! item.insert("id".into(), AttributeValue::s("u1"));
//! store.put_item(PutItemInput::new("users", item))?;
//!
//! let arn = store.list_streams(ListStreamsInput::default())?.streams[0].stream_arn.clone();
//! let stream = store.describe_stream(DescribeStreamInput::new(&arn))?.stream_description;
//! let iterator = store.get_shard_iterator(GetShardIteratorInput::new(
//!     &arn,
//!     &stream.shards[0].shard_id,
//!     ShardIteratorType::TrimHorizon,
//! ))?;
//! let records = store.get_records(GetRecordsInput::new(iterator.shard_iterator.unwrap_or_default()))?;
//! assert_eq!(records.records[0].event_name, OperationType::Insert);
//! # Ok::<(), dynacond::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{KeySchemaElement, StreamViewType};
use crate::enum_member::wire_enum;
use crate::value::Item;

wire_enum! {
    /// `ShardIteratorType` of a [`GetShardIteratorInput`].
    ShardIteratorType {
        /// `TRIM_HORIZON`: the oldest record still retained.
        TrimHorizon = "TRIM_HORIZON",
        /// `LATEST`: just after the newest record.
        Latest = "LATEST",
        /// `AT_SEQUENCE_NUMBER`: the record with the given number.
        AtSequenceNumber = "AT_SEQUENCE_NUMBER",
        /// `AFTER_SEQUENCE_NUMBER`: the record after the given number.
        AfterSequenceNumber = "AFTER_SEQUENCE_NUMBER",
    }
}

wire_enum! {
    /// `Type` of a [`ShardFilter`].
    ShardFilterType {
        /// `CHILD_SHARDS`: the shards whose parent is the given shard.
        ChildShards = "CHILD_SHARDS",
    }
}

wire_enum! {
    /// A stream's `StreamStatus`.
    StreamStatus, default Enabled {
        /// `ENABLING`
        Enabling = "ENABLING",
        /// `ENABLED`: records are being written.
        Enabled = "ENABLED",
        /// `DISABLING`
        Disabling = "DISABLING",
        /// `DISABLED`: closed; still readable until its retention ends.
        Disabled = "DISABLED",
    }
}

wire_enum! {
    /// A record's `eventName`.
    OperationType, default Insert {
        /// `INSERT`: an item was created.
        Insert = "INSERT",
        /// `MODIFY`: an existing item changed.
        Modify = "MODIFY",
        /// `REMOVE`: an item was deleted.
        Remove = "REMOVE",
    }
}

/// `ListStreams` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListStreamsInput {
    /// Only the streams of this table (of every incarnation of the name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// At most this many streams (1 to 100; default 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Streams after this ARN (the previous page's `LastEvaluatedStreamArn`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_stream_arn: Option<String>,
}

/// One entry of `ListStreams`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StreamSummary {
    /// `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>`.
    pub stream_arn: String,
    /// The stream's table.
    pub table_name: String,
    /// The stream's creation time, `YYYY-MM-DDTHH:MM:SS.mmm` (UTC).
    pub stream_label: String,
}

/// `ListStreams` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListStreamsOutput {
    /// The streams, in ARN order (always present).
    pub streams: Vec<StreamSummary>,
    /// The last ARN of the page, when more streams follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_evaluated_stream_arn: Option<String>,
}

/// `ShardFilter` of a [`DescribeStreamInput`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ShardFilter {
    /// `CHILD_SHARDS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<ShardFilterType>,
    /// The parent shard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard_id: Option<String>,
}

/// `DescribeStream` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeStreamInput {
    /// The stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_arn: Option<String>,
    /// At most this many shards (1 to 100; default 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Shards after this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_shard_id: Option<String>,
    /// Only the children of a shard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard_filter: Option<ShardFilter>,
}

/// A shard's range of sequence numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SequenceNumberRange {
    /// The number the shard's first record has (or will have).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_sequence_number: Option<String>,
    /// The last number of a closed shard; absent while the shard is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending_sequence_number: Option<String>,
}

/// One shard of a stream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Shard {
    /// `shardId-<20-digit creation millis>-<8 hex digits>`.
    pub shard_id: String,
    /// The shard's sequence numbers.
    pub sequence_number_range: SequenceNumberRange,
    /// The shard this one continues (dynacond's shards have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_shard_id: Option<String>,
}

/// A stream, as `DescribeStream` returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StreamDescription {
    /// The stream's ARN.
    pub stream_arn: String,
    /// The stream's label.
    pub stream_label: String,
    /// `ENABLED` or `DISABLED` (dynacond's transitions are instant).
    pub stream_status: StreamStatus,
    /// What the records hold.
    pub stream_view_type: StreamViewType,
    /// When the stream was enabled (seconds since the Unix epoch).
    pub creation_request_date_time: f64,
    /// The stream's table (kept after the table is deleted).
    pub table_name: String,
    /// The table's key schema.
    pub key_schema: Vec<KeySchemaElement>,
    /// The shards, in creation order.
    pub shards: Vec<Shard>,
    /// The last shard of the page, when more shards follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_evaluated_shard_id: Option<String>,
}

/// `DescribeStream` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeStreamOutput {
    /// The stream.
    pub stream_description: StreamDescription,
}

/// `GetShardIterator` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetShardIteratorInput {
    /// The stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_arn: Option<String>,
    /// The shard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard_id: Option<String>,
    /// Where to start reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard_iterator_type: Option<ShardIteratorType>,
    /// For `AT_SEQUENCE_NUMBER` and `AFTER_SEQUENCE_NUMBER` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

/// `GetShardIterator` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetShardIteratorOutput {
    /// The iterator: valid for 15 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard_iterator: Option<String>,
}

/// `GetRecords` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetRecordsInput {
    /// An iterator from GetShardIterator or a previous GetRecords.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard_iterator: Option<String>,
    /// At most this many records (1 to 1000; default 1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// `GetRecords` response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetRecordsOutput {
    /// The records, in sequence-number order (always present).
    pub records: Vec<Record>,
    /// Where to read next; absent once a closed shard is read to its end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_shard_iterator: Option<String>,
}

/// `userIdentity` of a record: who made the change, on TTL deletions only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Identity {
    /// `dynamodb.amazonaws.com`.
    pub principal_id: String,
    /// `Service`.
    pub r#type: String,
}

/// One stream record (the top level is camelCase, as DynamoDB sends it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Record {
    /// 32 lowercase hex digits, unique per record.
    #[serde(rename = "eventID")]
    pub event_id: String,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    pub event_name: OperationType,
    /// `1.1`.
    pub event_version: String,
    /// `aws:dynamodb`.
    pub event_source: String,
    /// The store's region.
    pub aws_region: String,
    /// The change.
    pub dynamodb: StreamRecord,
    /// Present on TTL deletions only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_identity: Option<Identity>,
}

/// The `dynamodb` member of a [`Record`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StreamRecord {
    /// When the change was made, in whole seconds since the Unix epoch.
    pub approximate_creation_date_time: f64,
    /// The item's key attributes.
    pub keys: Item,
    /// The item after the change (`NEW_IMAGE`, `NEW_AND_OLD_IMAGES`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_image: Option<Item>,
    /// The item before the change (`OLD_IMAGE`, `NEW_AND_OLD_IMAGES`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_image: Option<Item>,
    /// A 21-digit decimal, increasing along the shard.
    pub sequence_number: String,
    /// The item sizes of `Keys` and the images present.
    pub size_bytes: u64,
    /// The stream's view type.
    pub stream_view_type: StreamViewType,
}

impl ListStreamsInput {
    /// Every stream (set `table_name` to filter).
    pub fn new() -> Self {
        Self::default()
    }
}

impl DescribeStreamInput {
    /// Describes the stream of this ARN.
    pub fn new(stream_arn: impl Into<String>) -> Self {
        DescribeStreamInput {
            stream_arn: Some(stream_arn.into()),
            ..Self::default()
        }
    }
}

impl GetShardIteratorInput {
    /// An iterator of this kind (set `sequence_number` for the `AT_` and
    /// `AFTER_` kinds).
    pub fn new(
        stream_arn: impl Into<String>,
        shard_id: impl Into<String>,
        kind: ShardIteratorType,
    ) -> Self {
        GetShardIteratorInput {
            stream_arn: Some(stream_arn.into()),
            shard_id: Some(shard_id.into()),
            shard_iterator_type: Some(kind),
            sequence_number: None,
        }
    }

    /// Sets `SequenceNumber`.
    pub fn with_sequence_number(mut self, number: impl Into<String>) -> Self {
        self.sequence_number = Some(number.into());
        self
    }
}

impl GetRecordsInput {
    /// Reads from this iterator.
    pub fn new(shard_iterator: impl Into<String>) -> Self {
        GetRecordsInput {
            shard_iterator: Some(shard_iterator.into()),
            limit: None,
        }
    }

    /// Sets `Limit`.
    pub fn with_limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }
}

impl super::StreamSpecification {
    /// `{"StreamEnabled": true, "StreamViewType": view}`.
    pub fn enabled(view: StreamViewType) -> Self {
        super::StreamSpecification {
            stream_enabled: Some(true),
            stream_view_type: Some(view),
        }
    }

    /// `{"StreamEnabled": false}`.
    pub fn disabled() -> Self {
        super::StreamSpecification {
            stream_enabled: Some(false),
            stream_view_type: None,
        }
    }
}

impl super::CreateTableInput {
    /// Creates the table with a stream of this view type.
    pub fn with_stream(mut self, view: StreamViewType) -> Self {
        self.stream_specification = Some(super::StreamSpecification::enabled(view));
        self
    }
}

impl super::UpdateTableInput {
    /// Sets `StreamSpecification` (enable with a view type, or
    /// [`StreamSpecification::disabled`](super::StreamSpecification::disabled)).
    pub fn with_stream_specification(mut self, spec: super::StreamSpecification) -> Self {
        self.stream_specification = Some(spec);
        self
    }
}
