//! The records of the log and snapshots.
//!
//! Item changes are after-images (the new item, or the deletion of a key),
//! so replaying a record twice, or on a snapshot that already shows it,
//! gives the same store. A transaction is one record holding every image,
//! with its ClientRequestToken. Each image carries the stream record its
//! write made (number, time, event, old image when kept), which replay puts
//! back at its number once. Control-plane changes are the request itself with the time it was
//! applied: replayed on the store as it was then, at that time, it makes
//! the same change.

use crate::store::durable::codec::{Decoded, Malformed, Reader, Writer};
use crate::store::durable::streams::{self as coded, Token};
use crate::store::key::PrimaryKey;
use crate::store::stream::durable::Stamp;
use crate::store::stream::image::StreamImage;
use crate::store::stream::records::StoredRecord;
use crate::value::Item;

const ITEMS: u8 = 1;
const CREATE_TABLE: u8 = 2;
const DELETE_TABLE: u8 = 3;
const CONTROL: u8 = 4;
const CONTROL_FAILED: u8 = 5;
const WRITES: u8 = 6;
const STREAM: u8 = 12;
const STREAM_RECORDS: u8 = 13;
const TOKENS: u8 = 14;
/// A snapshot's items as the table keeps them ([`stored_items`]).
const STORED_ITEMS: u8 = 15;
const SNAPSHOT_HEADER: u8 = 10;
const SNAPSHOT_END: u8 = 11;

/// A control-plane operation other than CreateTable and DeleteTable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ControlOp {
    UpdateTable = 1,
    UpdateTimeToLive = 2,
    TagResource = 3,
    UntagResource = 4,
    UpdateContinuousBackups = 5,
}

impl ControlOp {
    fn from_u8(b: u8) -> Decoded<ControlOp> {
        Ok(match b {
            1 => ControlOp::UpdateTable,
            2 => ControlOp::UpdateTimeToLive,
            3 => ControlOp::TagResource,
            4 => ControlOp::UntagResource,
            5 => ControlOp::UpdateContinuousBackups,
            _ => return Err(Malformed),
        })
    }
}

/// One item's after-image in table `table` (a table's log id).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Image {
    pub(crate) table: u64,
    pub(crate) key: PrimaryKey,
    pub(crate) item: Option<Item>,
    /// The stream record the write made, if any (not in snapshots).
    pub(crate) stamp: Option<Stamp>,
}

/// An item write to log: table log id, key, after-image, and its stream
/// record with the stream's creation time.
pub(crate) type Write<'a> = (
    u64,
    &'a PrimaryKey,
    Option<&'a Item>,
    Option<(i64, &'a StoredRecord)>,
);

/// A decoded record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Record {
    /// Item changes applied together: snapshots' items (and the writes of
    /// logs made before writes carried their stream records).
    Items(Vec<Image>),
    /// Item writes made together (one request, or one transaction with its
    /// ClientRequestToken), with their stream records.
    Writes {
        token: Option<Token>,
        images: Vec<Image>,
    },
    /// CreateTable's request (DynamoDB JSON), applied at `millis`, giving
    /// the table log id `id`.
    CreateTable {
        id: u64,
        millis: i64,
        input: Vec<u8>,
    },
    /// DeleteTable of the table `id`, at `millis`.
    DeleteTable { id: u64, millis: i64 },
    /// Another control-plane request, applied at `millis`.
    Control {
        op: ControlOp,
        millis: i64,
        input: Vec<u8>,
    },
    /// The `Control` record logged last failed when applied (it is logged
    /// before it is applied) and changed nothing: replay expects that
    /// failure. Control-plane calls run one at a time, so no other control
    /// record comes between the two.
    ControlFailed,
    /// A snapshot's first record: the next table log id to give.
    SnapshotHeader { next_table_id: u64 },
    /// A snapshot's last record: how many records came before it.
    SnapshotEnd { records: u64 },
    /// A snapshot's stream: its identity and numbers (no records).
    Stream(Box<StreamImage>),
    /// Retained records of the snapshot's stream `arn`.
    StreamRecords {
        arn: String,
        records: Vec<StoredRecord>,
    },
    /// A snapshot's finished transactions' tokens.
    Tokens(Vec<Token>),
}

/// Encodes retained records of the stream `arn`.
pub(crate) fn stream_records<'a>(
    w: &mut Writer,
    arn: &str,
    records: impl ExactSizeIterator<Item = &'a StoredRecord>,
) {
    w.u8(STREAM_RECORDS);
    w.str(arn);
    w.u32(u32::try_from(records.len()).unwrap_or(u32::MAX));
    for record in records {
        coded::stored(w, record);
    }
}

/// Encodes item writes (and the token of their transaction).
pub(crate) fn writes<'a>(
    token: Option<(&str, &str, i64)>,
    images: impl ExactSizeIterator<Item = Write<'a>>,
) -> Vec<u8> {
    let mut w = Writer::default();
    w.u8(WRITES);
    match token {
        None => w.u8(0),
        Some(token) => {
            w.u8(1);
            coded::token(&mut w, token);
        }
    }
    w.u32(u32::try_from(images.len()).unwrap_or(u32::MAX));
    for (table, key, item, stamp) in images {
        w.u64(table);
        w.key(key);
        w.option_item(item);
        match stamp {
            None => w.u8(0),
            Some((stream_millis, record)) => {
                w.u8(1);
                coded::stamp(&mut w, stream_millis, record);
            }
        }
    }
    w.buf
}

/// Encodes item images given by reference.
pub(crate) fn items<'a>(
    images: impl ExactSizeIterator<Item = (u64, &'a PrimaryKey, Option<&'a Item>)>,
) -> Vec<u8> {
    let mut w = Writer::default();
    w.u8(ITEMS);
    w.u32(u32::try_from(images.len()).unwrap_or(u32::MAX));
    for (table, key, item) in images {
        w.u64(table);
        w.key(key);
        w.option_item(item);
    }
    w.buf
}

/// One item of a snapshot as its table keeps it: the log id of the table,
/// the key's byte form ([`crate::store::stored_key`]), the item's compact
/// encoding ([`crate::store::compact`]) and its size.
pub(crate) struct StoredImage<'a> {
    pub(crate) table: u64,
    pub(crate) key: &'a [u8],
    pub(crate) item: &'a [u8],
    pub(crate) size: u64,
}

/// Encodes a snapshot's items in the form tables keep them: recovery
/// copies them into slots without decoding them (a table with indexes
/// or collection sizes to rebuild decodes them).
pub(crate) fn stored_items<'a>(images: impl ExactSizeIterator<Item = StoredImage<'a>>) -> Vec<u8> {
    let mut w = Writer::default();
    w.u8(STORED_ITEMS);
    w.u32(u32::try_from(images.len()).unwrap_or(u32::MAX));
    for image in images {
        w.u64(image.table);
        w.bytes(image.key);
        w.bytes(image.item);
        w.u64(image.size);
    }
    w.buf
}

/// Hands each image of a [`stored_items`] record to `f`, in order. Not
/// such a record, or cut short: `Err`.
pub(crate) fn for_each_stored(
    bytes: &[u8],
    mut f: impl FnMut(StoredImage<'_>) -> Decoded<()>,
) -> Decoded<()> {
    let mut r = Reader::new(bytes);
    if r.u8()? != STORED_ITEMS {
        return Err(Malformed);
    }
    let n = r.count()?;
    for _ in 0..n {
        f(StoredImage {
            table: r.u64()?,
            key: r.bytes()?,
            item: r.bytes()?,
            size: r.u64()?,
        })?;
    }
    if r.is_empty() { Ok(()) } else { Err(Malformed) }
}

impl Record {
    /// The record's bytes (item records are encoded by [`items`]).
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        match self {
            Record::Items(images) => {
                return items(images.iter().map(|i| (i.table, &i.key, i.item.as_ref())));
            }
            Record::Writes { token, images } => {
                // As [`writes`] encodes them.
                w.u8(WRITES);
                match token {
                    None => w.u8(0),
                    Some((t, f, at)) => {
                        w.u8(1);
                        coded::token(&mut w, (t, f, *at));
                    }
                }
                w.u32(u32::try_from(images.len()).unwrap_or(u32::MAX));
                for i in images {
                    w.u64(i.table);
                    w.key(&i.key);
                    w.option_item(i.item.as_ref());
                    match &i.stamp {
                        None => w.u8(0),
                        Some(stamp) => {
                            w.u8(1);
                            coded::stamp_again(&mut w, stamp);
                        }
                    }
                }
            }
            Record::Stream(image) => {
                w.u8(STREAM);
                coded::stream(&mut w, image);
            }
            Record::StreamRecords { arn, records } => {
                stream_records(&mut w, arn, records.iter());
            }
            Record::Tokens(tokens) => {
                w.u8(TOKENS);
                w.u32(u32::try_from(tokens.len()).unwrap_or(u32::MAX));
                for (t, f, at) in tokens {
                    coded::token(&mut w, (t, f, *at));
                }
            }
            Record::CreateTable { id, millis, input } => {
                w.u8(CREATE_TABLE);
                w.u64(*id);
                w.u64(*millis as u64);
                w.bytes(input);
            }
            Record::DeleteTable { id, millis } => {
                w.u8(DELETE_TABLE);
                w.u64(*id);
                w.u64(*millis as u64);
            }
            Record::Control { op, millis, input } => {
                w.u8(CONTROL);
                w.u8(*op as u8);
                w.u64(*millis as u64);
                w.bytes(input);
            }
            Record::ControlFailed => w.u8(CONTROL_FAILED),
            Record::SnapshotHeader { next_table_id } => {
                w.u8(SNAPSHOT_HEADER);
                w.u64(*next_table_id);
            }
            Record::SnapshotEnd { records } => {
                w.u8(SNAPSHOT_END);
                w.u64(*records);
            }
        }
        w.buf
    }

    pub(crate) fn decode(bytes: &[u8]) -> Decoded<Record> {
        let mut r = Reader::new(bytes);
        let record = match r.u8()? {
            ITEMS => {
                // The one reader of item records (it checks the end too).
                let mut images = Vec::new();
                for_each_image(bytes, |image| images.push(image))?;
                return Ok(Record::Items(images));
            }
            WRITES => {
                let token = match r.u8()? {
                    0 => None,
                    1 => Some(coded::read_token(&mut r)?),
                    _ => return Err(Malformed),
                };
                let n = r.count()?;
                let mut images = Vec::with_capacity(n);
                for _ in 0..n {
                    images.push(Image {
                        table: r.u64()?,
                        key: r.key()?,
                        item: r.option_item()?,
                        stamp: coded::read_option_stamp(&mut r)?,
                    });
                }
                Record::Writes { token, images }
            }
            STREAM => Record::Stream(Box::new(coded::read_stream(&mut r)?)),
            STREAM_RECORDS => {
                let arn = r.str()?.to_owned();
                let n = r.count()?;
                let mut records = Vec::with_capacity(n);
                for _ in 0..n {
                    records.push(coded::read_stored(&mut r)?);
                }
                Record::StreamRecords { arn, records }
            }
            TOKENS => {
                let n = r.count()?;
                let mut tokens = Vec::with_capacity(n);
                for _ in 0..n {
                    tokens.push(coded::read_token(&mut r)?);
                }
                Record::Tokens(tokens)
            }
            CREATE_TABLE => Record::CreateTable {
                id: r.u64()?,
                millis: r.u64()? as i64,
                input: r.bytes()?.to_vec(),
            },
            DELETE_TABLE => Record::DeleteTable {
                id: r.u64()?,
                millis: r.u64()? as i64,
            },
            CONTROL => Record::Control {
                op: ControlOp::from_u8(r.u8()?)?,
                millis: r.u64()? as i64,
                input: r.bytes()?.to_vec(),
            },
            CONTROL_FAILED => Record::ControlFailed,
            SNAPSHOT_HEADER => Record::SnapshotHeader {
                next_table_id: r.u64()?,
            },
            SNAPSHOT_END => Record::SnapshotEnd { records: r.u64()? },
            _ => return Err(Malformed),
        };
        if !r.is_empty() {
            return Err(Malformed);
        }
        Ok(record)
    }
}

/// Decodes an item record ([`Record::Items`]) one image at a time, handing
/// each to `f` before decoding the next: a bulk load then frees each
/// decoded item before the next is allocated, and the allocator reuses
/// its blocks at once (decoding a whole record of 1,024 items first, then
/// freeing them among the blocks kept, left glibc sorting holes: a third
/// of a snapshot's start-up in `_int_malloc`). Not an item record: `Err`.
pub(crate) fn for_each_image(bytes: &[u8], mut f: impl FnMut(Image)) -> Decoded<()> {
    let mut r = Reader::new(bytes);
    if r.u8()? != ITEMS {
        return Err(Malformed);
    }
    let n = r.u32()? as usize;
    if n > bytes.len() {
        return Err(Malformed);
    }
    for _ in 0..n {
        f(Image {
            table: r.u64()?,
            key: r.key()?,
            item: r.option_item()?,
            stamp: None,
        });
    }
    if r.is_empty() { Ok(()) } else { Err(Malformed) }
}

/// Whether a record's bytes are an item record of either form (without
/// decoding it).
pub(crate) fn is_items(bytes: &[u8]) -> bool {
    matches!(bytes.first(), Some(&ITEMS | &STORED_ITEMS))
}

/// Whether a record's bytes are a [`stored_items`] record.
pub(crate) fn is_stored_items(bytes: &[u8]) -> bool {
    bytes.first() == Some(&STORED_ITEMS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::key::KeyValue;
    use crate::wire;

    /// `for_each_image` hands over exactly the images `Record::decode`
    /// gives, and refuses what it refuses.
    #[test]
    fn images_one_at_a_time_equal_the_whole_record() {
        let item = wire::item_from_json(br#"{"p": {"S": "a"}, "n": {"N": "1"}}"#).unwrap();
        let key = |p: &str| PrimaryKey {
            partition: KeyValue::S(p.into()),
            sort: None,
        };
        let (a, b) = (key("a"), key("b"));
        let bytes = items([(1, &a, Some(&item)), (2, &b, None)].into_iter());
        let Ok(Record::Items(whole)) = Record::decode(&bytes) else {
            panic!("an item record");
        };
        let mut one_by_one = Vec::new();
        assert_eq!(for_each_image(&bytes, |i| one_by_one.push(i)), Ok(()));
        assert_eq!(one_by_one, whole);
        for cut in 0..bytes.len() {
            assert!(for_each_image(&bytes[..cut], drop).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(for_each_image(&longer, drop).is_err());
        let other = Record::Tokens(Vec::new()).encode();
        assert!(for_each_image(&other, drop).is_err());
    }

    /// A `stored_items` record hands back the images written, in order,
    /// and is refused cut short, lengthened, or as another record.
    #[test]
    fn stored_items_round_trip() {
        let images = [(1u64, &b"k1"[..], &b"\x01abc"[..], 7u64), (2, b"", b"", 0)];
        let bytes = stored_items(images.iter().map(|&(table, key, item, size)| StoredImage {
            table,
            key,
            item,
            size,
        }));
        assert!(is_items(&bytes) && is_stored_items(&bytes));
        let mut back = Vec::new();
        let read = for_each_stored(&bytes, |i| {
            back.push((i.table, i.key.to_vec(), i.item.to_vec(), i.size));
            Ok(())
        });
        assert_eq!(read, Ok(()));
        let expected: Vec<_> = images
            .iter()
            .map(|&(t, k, i, s)| (t, k.to_vec(), i.to_vec(), s))
            .collect();
        assert_eq!(back, expected);
        for cut in 0..bytes.len() {
            assert!(
                for_each_stored(&bytes[..cut], |_| Ok(())).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(for_each_stored(&longer, |_| Ok(())).is_err());
        let other = Record::Tokens(Vec::new()).encode();
        assert!(for_each_stored(&other, |_| Ok(())).is_err());
        assert!(!is_stored_items(&other));
    }
}
