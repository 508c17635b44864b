//! Stream records (spec streams-ttl-tags.md §3): which write makes one, the
//! images each view type keeps, `SizeBytes`, and the record DynamoDB sends.

use crate::api::{Identity, OperationType, Record, StreamRecord, StreamViewType};
use crate::store::key::{KeySchema, PrimaryKey};
use crate::store::stream::names::{Seq, event_id, sequence_text};
use crate::value::{Item, item_size};

/// Who made a write: a request, or DynamoDB's TTL deletion (whose REMOVE
/// record carries `userIdentity`, §3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum WriteOrigin {
    /// PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems.
    #[default]
    Request,
    /// The TTL sweep deleting an expired item.
    Ttl,
    /// No stream record made by the write itself: recovery replaying a
    /// data directory's log, or a durable write whose record was numbered
    /// before it was logged (`stream::durable`).
    Replay,
}

/// One retained record, as kept by the shard.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredRecord {
    pub(crate) seq: Seq,
    /// When it was appended (epoch milliseconds, the store's clock).
    pub(crate) at_millis: i64,
    pub(crate) event: OperationType,
    pub(crate) keys: Item,
    pub(crate) new_image: Option<Item>,
    pub(crate) old_image: Option<Item>,
    pub(crate) size_bytes: u64,
    pub(crate) origin: WriteOrigin,
}

/// The record a write makes, before it gets its number and time: `None`
/// when the write changes nothing (no item before or after, or the same
/// item by value: map member order and set order do not count, §3.3).
pub(crate) fn record_of(
    view: &StreamViewType,
    schema: &KeySchema,
    key: &PrimaryKey,
    old: Option<&Item>,
    new: Option<&Item>,
    origin: WriteOrigin,
) -> Option<StoredRecord> {
    let event = match (old, new) {
        (None, None) => return None,
        (None, Some(_)) => OperationType::Insert,
        (Some(_), None) => OperationType::Remove,
        (Some(o), Some(n)) if o == n => return None,
        (Some(_), Some(_)) => OperationType::Modify,
    };
    Some(assemble(view, schema, key, event, old, new, origin))
}

/// The record of a write of this event, with the images `view` keeps of
/// `old` and `new` (its number and time still to set).
pub(crate) fn assemble(
    view: &StreamViewType,
    schema: &KeySchema,
    key: &PrimaryKey,
    event: OperationType,
    old: Option<&Item>,
    new: Option<&Item>,
    origin: WriteOrigin,
) -> StoredRecord {
    let (keep_new, keep_old) = match view {
        StreamViewType::NewImage => (true, false),
        StreamViewType::OldImage => (false, true),
        StreamViewType::NewAndOldImages => (true, true),
        _ => (false, false),
    };
    let keys = schema.key_item(key);
    let new_image = new.filter(|_| keep_new).cloned();
    let old_image = old.filter(|_| keep_old).cloned();
    let size = |i: Option<&Item>| i.map_or(0, |i| item_size(i) as u64);
    let size_bytes = size(Some(&keys)) + size(new_image.as_ref()) + size(old_image.as_ref());
    StoredRecord {
        seq: 0,
        at_millis: 0,
        event,
        keys,
        new_image,
        old_image,
        size_bytes,
        origin,
    }
}

/// What a record costs the shard's memory bound: its items' sizes and a
/// fixed overhead for the rest.
pub(crate) fn cost(record: &StoredRecord) -> usize {
    const OVERHEAD: usize = 160;
    usize::try_from(record.size_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(OVERHEAD)
}

impl StoredRecord {
    /// The record as GetRecords returns it.
    pub(crate) fn to_api(&self, view: &StreamViewType, region: &str, stream_hash: u64) -> Record {
        Record {
            event_id: event_id(stream_hash, self.seq),
            event_name: self.event.clone(),
            event_version: "1.1".into(),
            event_source: "aws:dynamodb".into(),
            aws_region: region.into(),
            dynamodb: StreamRecord {
                // Whole seconds, as DynamoDB sends them.
                approximate_creation_date_time: self.at_millis.div_euclid(1000) as f64,
                keys: self.keys.clone(),
                new_image: self.new_image.clone(),
                old_image: self.old_image.clone(),
                sequence_number: sequence_text(self.seq),
                size_bytes: self.size_bytes,
                stream_view_type: view.clone(),
            },
            user_identity: (self.origin == WriteOrigin::Ttl).then(|| Identity {
                principal_id: "dynamodb.amazonaws.com".into(),
                r#type: "Service".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::key::{KeyAttribute, ScalarType};
    use crate::wire::item_from_json;

    fn schema() -> KeySchema {
        KeySchema {
            partition: KeyAttribute {
                name: "id".into(),
                scalar_type: ScalarType::S,
            },
            sort: None,
        }
    }

    fn item(json: &str) -> Item {
        item_from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn size_bytes_is_keys_plus_images_spec_example() {
        // §3.5: 3 + 13 + 11 = 27.
        let (old, new) = (
            item(r#"{"id": {"S": "1"}, "key": {"S": "value"}}"#),
            item(r#"{"id": {"S": "1"}, "key": {"S": "updated"}}"#),
        );
        let key = schema().key_of_item(&new).unwrap();
        let view = StreamViewType::NewAndOldImages;
        let r = record_of(
            &view,
            &schema(),
            &key,
            Some(&old),
            Some(&new),
            WriteOrigin::Request,
        )
        .unwrap();
        assert_eq!((r.event.as_str(), r.size_bytes), ("MODIFY", 27));
        let keys_only = record_of(
            &StreamViewType::KeysOnly,
            &schema(),
            &key,
            Some(&old),
            Some(&new),
            WriteOrigin::Request,
        )
        .unwrap();
        assert_eq!(keys_only.size_bytes, 3);
        assert_eq!((keys_only.new_image, keys_only.old_image), (None, None));
    }

    #[test]
    fn unchanged_items_make_no_record() {
        let a =
            item(r#"{"id": {"S": "1"}, "m": {"M": {"x": {"N": "1"}, "y": {"SS": ["a", "b"]}}}}"#);
        let b =
            item(r#"{"m": {"M": {"y": {"SS": ["b", "a"]}, "x": {"N": "1.0"}}}, "id": {"S": "1"}}"#);
        let key = schema().key_of_item(&a).unwrap();
        let view = StreamViewType::NewAndOldImages;
        let none = |o: Option<&Item>, n: Option<&Item>| {
            record_of(&view, &schema(), &key, o, n, WriteOrigin::Request).is_none()
        };
        assert!(none(Some(&a), Some(&b)));
        assert!(none(None, None));
        assert!(!none(None, Some(&a)));
        assert!(!none(Some(&a), None));
    }

    #[test]
    fn ttl_removals_carry_the_service_identity() {
        let a = item(r#"{"id": {"S": "1"}, "ttl": {"N": "5"}}"#);
        let key = schema().key_of_item(&a).unwrap();
        let view = StreamViewType::OldImage;
        let mut r = record_of(&view, &schema(), &key, Some(&a), None, WriteOrigin::Ttl).unwrap();
        r.seq = super::super::names::SEQUENCE_BASE + 1;
        r.at_millis = 1_500;
        let json = serde_json::to_value(r.to_api(&view, "eu-west-1", 9)).unwrap();
        assert_eq!(
            json["userIdentity"],
            serde_json::json!({"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"})
        );
        assert_eq!(json["eventName"], "REMOVE");
        assert_eq!(json["awsRegion"], "eu-west-1");
        assert_eq!(
            json["dynamodb"]["OldImage"]["ttl"],
            serde_json::json!({"N": "5"})
        );
        assert_eq!(json["dynamodb"]["ApproximateCreationDateTime"], 1.0);
        assert_eq!(json["dynamodb"]["SequenceNumber"], "100000000000000000001");
        assert!(json["dynamodb"].get("NewImage").is_none());
        assert_eq!(json["eventID"].as_str().map(str::len), Some(32));
    }
}
