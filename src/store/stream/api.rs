//! The Streams API on [`Store`] (spec streams-ttl-tags.md §2): ListStreams,
//! DescribeStream, GetShardIterator and GetRecords.
//!
//! Order of checks in each: the constraint layer, then the request's own
//! rules (the ARN's and iterator's shapes, the sequence-number rules), then
//! the stream (`ResourceNotFoundException`), the shard, and the position
//! (`TrimmedDataAccessException`). Messages that no capture shows (the
//! sequence-number rules, a malformed iterator) are dynacond's own; the
//! README lists them.

use std::sync::Arc;

use crate::api::{
    DescribeStreamInput, DescribeStreamOutput, GetRecordsInput, GetRecordsOutput,
    GetShardIteratorInput, GetShardIteratorOutput, ListStreamsInput, ListStreamsOutput,
    SequenceNumberRange, Shard, ShardIteratorType, StreamDescription, StreamSummary,
    StreamViewType,
};
use crate::constraints::{self, present};
use crate::error::Error;
use crate::store::catalog::Store;
use crate::store::requests::EarlyChecks;
use crate::store::table::{Table, lock};

use super::names::{Iterator, Seq, parse_sequence, parse_stream_arn, sequence_text};
use super::{ITERATOR_LIFETIME_MILLIS, Stream};

/// GetRecords returns at most this many bytes of `SizeBytes` (1 MB).
const MAX_RECORDS_BYTES: u64 = 1024 * 1024;

/// DynamoDB's text for a `StreamArn` that is no stream ARN (§2.3; the
/// captures only show that it contains these words).
const INVALID_STREAM_ARN: &str = "Invalid StreamArn";

/// M14: the shard of a known stream does not exist.
const NO_SHARD: &str = "Requested resource not found: Shard does not exist";

impl EarlyChecks for ListStreamsInput {}
impl EarlyChecks for DescribeStreamInput {}
impl EarlyChecks for GetShardIteratorInput {}
impl EarlyChecks for GetRecordsInput {}

/// M13: no stream of this ARN (never made, or expired).
fn stream_not_found(arn: &str) -> Error {
    Error::ResourceNotFound(format!(
        "Requested resource not found: Stream: {arn} not found"
    ))
}

fn trimmed() -> Error {
    Error::TrimmedDataAccess("The data you are trying to access has been trimmed".into())
}

/// A `StreamArn` member's shape.
fn stream_arn(arn: Option<&String>) -> Result<&String, Error> {
    let arn = present(arn, "streamArn")?;
    match parse_stream_arn(arn) {
        Some(_) => Ok(arn),
        None => Err(Error::validation(format!("{INVALID_STREAM_ARN}: {arn}"))),
    }
}

impl Store {
    /// Enables a new stream on `table` at `millis` (CreateTable, UpdateTable).
    pub(crate) fn enable_stream(&self, table: &Table, view: StreamViewType, millis: i64) {
        self.inner
            .streams
            .enable(table, view, millis, &self.inner.clock);
    }

    fn stream(&self, arn: &str) -> Result<Arc<Stream>, Error> {
        let now = self.inner.clock.now_millis();
        self.inner
            .streams
            .get(arn, now)
            .ok_or_else(|| stream_not_found(arn))
    }

    /// `ListStreams`: the streams (of one table, when `TableName` is given:
    /// every incarnation of the name, disabled ones too) in ARN order.
    pub fn list_streams(&self, input: ListStreamsInput) -> Result<ListStreamsOutput, Error> {
        constraints::check(&input)?;
        let after = input.exclusive_start_stream_arn.as_deref();
        if let Some(arn) = after {
            if parse_stream_arn(arn).is_none() {
                return Err(Error::validation(format!(
                    "Invalid ExclusiveStartStreamArn: {arn}"
                )));
            }
        }
        let limit = input
            .limit
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(100);
        let now = self.inner.clock.now_millis();
        let (page, more) = self
            .inner
            .streams
            .list(input.table_name.as_deref(), after, limit, now);
        let streams: Vec<StreamSummary> = page
            .iter()
            .map(|s| StreamSummary {
                stream_arn: s.arn.clone(),
                table_name: s.table_name.clone(),
                stream_label: s.label.clone(),
            })
            .collect();
        Ok(ListStreamsOutput {
            last_evaluated_stream_arn: more
                .then(|| streams.last().map(|s| s.stream_arn.clone()))
                .flatten(),
            streams,
        })
    }

    /// `DescribeStream`: the stream, its status and its shard.
    pub fn describe_stream(
        &self,
        input: DescribeStreamInput,
    ) -> Result<DescribeStreamOutput, Error> {
        constraints::check(&input)?;
        let arn = stream_arn(input.stream_arn.as_ref())?;
        let stream = self.stream(arn)?;
        let (start, ending) = {
            let log = lock(&stream.log);
            (log.start, log.ending())
        };
        let shard = Shard {
            shard_id: stream.shard_id.clone(),
            sequence_number_range: SequenceNumberRange {
                starting_sequence_number: Some(sequence_text(start)),
                ending_sequence_number: ending.map(sequence_text),
            },
            parent_shard_id: None,
        };
        let all = vec![shard];
        let chosen: Vec<Shard> = match &input.shard_filter {
            // dynacond never splits a shard: no shard has children.
            Some(filter) => all
                .into_iter()
                .filter(|s| s.parent_shard_id.is_some() && s.parent_shard_id == filter.shard_id)
                .collect(),
            None => all
                .into_iter()
                .filter(|s| {
                    input
                        .exclusive_start_shard_id
                        .as_ref()
                        .is_none_or(|after| s.shard_id > *after)
                })
                .collect(),
        };
        let limit = input
            .limit
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(100);
        let more = chosen.len() > limit;
        let shards: Vec<Shard> = chosen.into_iter().take(limit).collect();
        let (key_schema, _) = stream.schema.describe();
        Ok(DescribeStreamOutput {
            stream_description: StreamDescription {
                stream_arn: arn.clone(),
                stream_label: stream.label.clone(),
                stream_status: stream.status(),
                stream_view_type: stream.view.clone(),
                creation_request_date_time: stream.created_millis as f64 / 1000.0,
                table_name: stream.table_name.clone(),
                key_schema,
                last_evaluated_shard_id: more
                    .then(|| shards.last().map(|s| s.shard_id.clone()))
                    .flatten(),
                shards,
            },
        })
    }

    /// `GetShardIterator`: an iterator at the shard's trim horizon, its end,
    /// or a sequence number; valid for 15 minutes.
    pub fn get_shard_iterator(
        &self,
        input: GetShardIteratorInput,
    ) -> Result<GetShardIteratorOutput, Error> {
        constraints::check(&input)?;
        let arn = stream_arn(input.stream_arn.as_ref())?;
        let kind = present(input.shard_iterator_type.as_ref(), "shardIteratorType")?;
        let given = input.sequence_number.as_deref();
        let needs_number = matches!(
            kind,
            ShardIteratorType::AtSequenceNumber | ShardIteratorType::AfterSequenceNumber
        );
        let number = match (needs_number, given) {
            (true, None) => {
                return Err(Error::validation(format!(
                    "SequenceNumber is required for ShardIteratorType {kind}"
                )));
            }
            (false, Some(_)) => {
                return Err(Error::validation(format!(
                    "SequenceNumber must not be specified for ShardIteratorType {kind}"
                )));
            }
            (true, Some(text)) => Some(
                parse_sequence(text)
                    .ok_or_else(|| Error::validation(format!("Invalid SequenceNumber: {text}")))?,
            ),
            (false, None) => None,
        };
        let stream = self.stream(arn)?;
        let shard = present(input.shard_id.as_ref(), "shardId")?;
        if *shard != stream.shard_id {
            return Err(Error::ResourceNotFound(NO_SHARD.into()));
        }
        let now = self.inner.clock.now_millis();
        let position: Seq = {
            let mut log = lock(&stream.log);
            log.trim(now);
            let position = match (kind, number) {
                (ShardIteratorType::Latest, _) => log.latest(),
                (ShardIteratorType::AtSequenceNumber, Some(n)) => n,
                (ShardIteratorType::AfterSequenceNumber, Some(n)) => n.saturating_add(1),
                _ => log.horizon,
            };
            if position < log.horizon {
                return Err(trimmed());
            }
            position
        };
        let iterator = Iterator {
            stream_arn: arn.clone(),
            shard_id: stream.shard_id.clone(),
            position,
            issued_millis: now,
        };
        Ok(GetShardIteratorOutput {
            shard_iterator: Some(iterator.encode()),
        })
    }

    /// `GetRecords`: up to `Limit` records (default 1000, at most 1 MB) from
    /// the iterator's position, and the iterator after them (none once a
    /// closed shard is read to its end).
    pub fn get_records(&self, input: GetRecordsInput) -> Result<GetRecordsOutput, Error> {
        constraints::check(&input)?;
        let text = present(input.shard_iterator.as_ref(), "shardIterator")?;
        let iterator = Iterator::decode(text)
            .ok_or_else(|| Error::validation(format!("Invalid ShardIterator: {text}")))?;
        let now = self.inner.clock.now_millis();
        if now.saturating_sub(iterator.issued_millis) > ITERATOR_LIFETIME_MILLIS {
            return Err(Error::ExpiredIterator("Shard iterator has expired".into()));
        }
        let stream = self.stream(&iterator.stream_arn)?;
        if iterator.shard_id != stream.shard_id {
            return Err(Error::ResourceNotFound(NO_SHARD.into()));
        }
        let limit = input
            .limit
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(1000);
        let (records, closed, end) = {
            let mut log = lock(&stream.log);
            log.trim(now);
            if iterator.position < log.horizon {
                return Err(trimmed());
            }
            let records = log.read(iterator.position, limit, MAX_RECORDS_BYTES);
            (records, log.closed_millis.is_some(), log.next)
        };
        let next = records
            .last()
            .map_or(iterator.position, |r| r.seq.saturating_add(1));
        // A closed shard read to its end: no next iterator (§2.6).
        let exhausted = closed && next >= end;
        let next_shard_iterator = (!exhausted).then(|| {
            Iterator {
                position: next,
                issued_millis: now,
                ..iterator
            }
            .encode()
        });
        let region = self.region();
        Ok(GetRecordsOutput {
            records: records
                .iter()
                .map(|r| r.to_api(&stream.view, region, stream.hash))
                .collect(),
            next_shard_iterator,
        })
    }
}
