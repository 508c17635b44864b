//! The encoding of what the log and snapshots keep of streams and
//! ClientRequestTokens: a write's stream record ([`Stamp`]), a stream's
//! identity and numbers, its retained records, and finished transactions'
//! tokens.

use crate::api::{OperationType, StreamViewType};
use crate::store::catalog::Store;
use crate::store::durable::codec::{Decoded, Malformed, Reader, Writer};
use crate::store::durable::record::Record;
use crate::store::key::{KeyAttribute, KeySchema};
use crate::store::stream::WriteOrigin;
use crate::store::stream::durable::Stamp;
use crate::store::stream::image::StreamImage;
use crate::store::stream::records::StoredRecord;
use crate::value::ScalarType;

/// Stream records per snapshot record.
const CHUNK: usize = 1024;

/// What a checkpoint keeps of the store besides tables and items: every
/// stream of the catalog with its retained records, and the finished
/// transactions' tokens.
#[derive(Debug)]
pub(crate) struct Captured {
    streams: Vec<StreamImage>,
    tokens: Vec<Token>,
}

/// Captures the streams and tokens with the store's write gate closed, so
/// no write is between numbering its stream record and publishing it, nor
/// between committing a transaction and remembering its token. Called right
/// after the log moved to the checkpoint's segment, under the control-plane
/// lock: every write whose record went to an earlier segment is in the
/// capture; one that logs later is replayed on it (a record already there
/// is kept, a token remembered again).
pub(crate) fn capture(store: &Store) -> Captured {
    let _closed = store.inner.gate.close();
    Captured {
        streams: store
            .inner
            .streams
            .streams()
            .iter()
            .map(|s| s.image(true))
            .collect(),
        tokens: store.inner.tokens.finished(),
    }
}

impl Captured {
    /// The snapshot records: each stream, then its records in chunks; the
    /// tokens.
    pub(crate) fn payloads(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        let streams = self.streams.iter().flat_map(|image| {
            let head = Record::Stream(Box::new(StreamImage {
                records: Vec::new(),
                ..image.clone()
            }))
            .encode();
            let chunks = image.records.chunks(CHUNK).map(|chunk| {
                let mut w = Writer::default();
                crate::store::durable::record::stream_records(
                    &mut w,
                    &image.arn,
                    chunk.iter().map(|r| &**r),
                );
                w.buf
            });
            std::iter::once(head).chain(chunks)
        });
        streams.chain(std::iter::once(
            Record::Tokens(self.tokens.clone()).encode(),
        ))
    }
}

/// A finished transaction's ClientRequestToken: the token, the request's
/// fingerprint, and when it finished (epoch milliseconds).
pub(crate) type Token = (String, String, i64);

fn u128(w: &mut Writer, v: u128) {
    w.u64((v >> 64) as u64);
    w.u64(v as u64);
}

fn read_u128(r: &mut Reader<'_>) -> Decoded<u128> {
    let high = u128::from(r.u64()?);
    Ok((high << 64) | u128::from(r.u64()?))
}

fn i64(w: &mut Writer, v: i64) {
    w.u64(v as u64);
}

fn read_i64(r: &mut Reader<'_>) -> Decoded<i64> {
    Ok(r.u64()? as i64)
}

fn origin(w: &mut Writer, origin: WriteOrigin) {
    w.u8(match origin {
        WriteOrigin::Request => 0,
        WriteOrigin::Ttl => 1,
        WriteOrigin::Replay => 2,
    });
}

fn read_origin(r: &mut Reader<'_>) -> Decoded<WriteOrigin> {
    Ok(match r.u8()? {
        0 => WriteOrigin::Request,
        1 => WriteOrigin::Ttl,
        2 => WriteOrigin::Replay,
        _ => return Err(Malformed),
    })
}

/// A write's stream record ([`Stamp`]), after its presence flag.
pub(crate) fn stamp(w: &mut Writer, stream_millis: i64, record: &StoredRecord) {
    i64(w, stream_millis);
    u128(w, record.seq);
    i64(w, record.at_millis);
    origin(w, record.origin);
    event(w, &record.event);
    w.option_item(record.old_image.as_ref());
}

/// A decoded [`Stamp`] again, as [`stamp`] writes it.
pub(crate) fn stamp_again(w: &mut Writer, s: &Stamp) {
    i64(w, s.stream_millis);
    u128(w, s.seq);
    i64(w, s.at_millis);
    origin(w, s.origin);
    event(w, &s.event);
    w.option_item(s.old.as_ref());
}

pub(crate) fn read_option_stamp(r: &mut Reader<'_>) -> Decoded<Option<Stamp>> {
    match r.u8()? {
        0 => Ok(None),
        1 => Ok(Some(Stamp {
            stream_millis: read_i64(r)?,
            seq: read_u128(r)?,
            at_millis: read_i64(r)?,
            origin: read_origin(r)?,
            event: read_event(r)?,
            old: r.option_item()?,
        })),
        _ => Err(Malformed),
    }
}

fn event(w: &mut Writer, event: &OperationType) {
    w.u8(match event {
        OperationType::Insert => 0,
        OperationType::Modify => 1,
        _ => 2,
    });
}

fn read_event(r: &mut Reader<'_>) -> Decoded<OperationType> {
    Ok(match r.u8()? {
        0 => OperationType::Insert,
        1 => OperationType::Modify,
        2 => OperationType::Remove,
        _ => return Err(Malformed),
    })
}

pub(crate) fn token(w: &mut Writer, (token, fingerprint, at): (&str, &str, i64)) {
    w.str(token);
    w.str(fingerprint);
    i64(w, at);
}

pub(crate) fn read_token(r: &mut Reader<'_>) -> Decoded<Token> {
    Ok((r.str()?.to_owned(), r.str()?.to_owned(), read_i64(r)?))
}

fn attribute(w: &mut Writer, a: &KeyAttribute) {
    w.str(&a.name);
    w.u8(match a.scalar_type {
        ScalarType::S => 0,
        ScalarType::N => 1,
        ScalarType::B => 2,
    });
}

fn read_attribute(r: &mut Reader<'_>) -> Decoded<KeyAttribute> {
    Ok(KeyAttribute {
        name: r.str()?.to_owned(),
        scalar_type: match r.u8()? {
            0 => ScalarType::S,
            1 => ScalarType::N,
            2 => ScalarType::B,
            _ => return Err(Malformed),
        },
    })
}

/// A stream's identity and numbers (its records go separately).
pub(crate) fn stream(w: &mut Writer, s: &StreamImage) {
    w.str(&s.arn);
    w.str(&s.label);
    w.str(&s.table_name);
    attribute(w, &s.schema.partition);
    match &s.schema.sort {
        None => w.u8(0),
        Some(sort) => {
            w.u8(1);
            attribute(w, sort);
        }
    }
    w.str(s.view.as_str());
    i64(w, s.created_millis);
    w.str(&s.shard_id);
    u128(w, s.start);
    u128(w, s.next);
    u128(w, s.horizon);
    match s.closed_millis {
        None => w.u8(0),
        Some(at) => {
            w.u8(1);
            i64(w, at);
        }
    }
    w.u8(u8::from(s.listed));
}

pub(crate) fn read_stream(r: &mut Reader<'_>) -> Decoded<StreamImage> {
    Ok(StreamImage {
        arn: r.str()?.to_owned(),
        label: r.str()?.to_owned(),
        table_name: r.str()?.to_owned(),
        schema: KeySchema {
            partition: read_attribute(r)?,
            sort: match r.u8()? {
                0 => None,
                1 => Some(read_attribute(r)?),
                _ => return Err(Malformed),
            },
        },
        view: StreamViewType::from(r.str()?),
        created_millis: read_i64(r)?,
        shard_id: r.str()?.to_owned(),
        records: Vec::new(),
        start: read_u128(r)?,
        next: read_u128(r)?,
        horizon: read_u128(r)?,
        bytes: 0,
        closed_millis: match r.u8()? {
            0 => None,
            1 => Some(read_i64(r)?),
            _ => return Err(Malformed),
        },
        listed: match r.u8()? {
            0 => false,
            1 => true,
            _ => return Err(Malformed),
        },
    })
}

/// One retained stream record.
pub(crate) fn stored(w: &mut Writer, s: &StoredRecord) {
    u128(w, s.seq);
    i64(w, s.at_millis);
    event(w, &s.event);
    w.map(&s.keys);
    w.option_item(s.new_image.as_ref());
    w.option_item(s.old_image.as_ref());
    w.u64(s.size_bytes);
    origin(w, s.origin);
}

pub(crate) fn read_stored(r: &mut Reader<'_>) -> Decoded<StoredRecord> {
    Ok(StoredRecord {
        seq: read_u128(r)?,
        at_millis: read_i64(r)?,
        event: read_event(r)?,
        keys: r.item()?,
        new_image: r.option_item()?,
        old_image: r.option_item()?,
        size_bytes: r.u64()?,
        origin: read_origin(r)?,
    })
}
