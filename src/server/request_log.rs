//! The live request log: the last [`CAPACITY`] DynamoDB calls the endpoint
//! served (operation, table, status, latency, and the error for a failed
//! one), for the console and `GET /dynacond/requests`.
//!
//! The endpoint records each call once, after its reply is made
//! ([`super::Handler::record`]); a [`Store`](crate::Store) keeps them in a
//! ring of fixed size, so the log never grows. Recording costs one short
//! lock and a few small copies; the table's name is found in the request
//! body by a vectorised substring search (no second JSON parse), and the
//! error's type and message are read from the reply only when it failed.
//!
//! `GET /dynacond/requests` answers `{"capacity": N, "recorded": total,
//! "requests": [entry, ...]}` (oldest first); `DELETE` empties the ring.
//! An entry is `{"seq": n, "at_millis": unix ms, "operation": "PutItem",
//! "table": "users" | null, "status": 400, "latency_micros": 52,
//! "error": "ConditionalCheckFailedException" | null, "message": "..." | null}`.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::protocol::Reply;

/// How many calls the ring keeps.
pub const CAPACITY: usize = 500;

/// The longest error message kept, in bytes (longer ones are cut at a
/// character boundary).
const MAX_MESSAGE: usize = 512;

/// The longest table name kept: DynamoDB's limit for a table ARN.
const MAX_TABLE: usize = 1024;

/// One served call, as the endpoint hands it to [`super::Handler::record`].
#[derive(Debug, Clone, Copy)]
pub struct ServedCall<'a> {
    /// The `X-Amz-Target` header, if any.
    pub target: Option<&'a str>,
    /// The (decompressed) request body; empty when it could not be read.
    pub body: &'a [u8],
    /// The reply sent.
    pub reply: &'a Reply,
    /// From the request's arrival to its reply.
    pub latency: Duration,
}

/// One entry of the log.
#[derive(Debug, Clone, Serialize)]
struct Entry {
    seq: u64,
    at_millis: u64,
    operation: String,
    table: Option<String>,
    status: u16,
    latency_micros: u64,
    error: Option<String>,
    message: Option<String>,
}

/// The ring.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    ring: Mutex<Ring>,
}

#[derive(Debug, Default)]
struct Ring {
    entries: VecDeque<Entry>,
    recorded: u64,
}

impl RequestLog {
    /// Records one call, dropping the oldest entry when the ring is full.
    pub(crate) fn record(&self, call: &ServedCall<'_>) {
        let target = call.target.unwrap_or("");
        let operation = target.rsplit_once('.').map_or(target, |(_, op)| op);
        let (error, message) = if call.reply.status == 200 {
            (None, None)
        } else {
            error_of(&call.reply.body)
        };
        let mut entry = Entry {
            seq: 0,
            at_millis: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
            operation: cut(operation, 64).to_owned(),
            table: table_of(call.body).map(str::to_owned),
            status: call.reply.status,
            latency_micros: call.latency.as_micros().min(u128::from(u64::MAX)) as u64,
            error,
            message,
        };
        let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        entry.seq = ring.recorded;
        ring.recorded += 1;
        if ring.entries.len() >= CAPACITY {
            ring.entries.pop_front();
        }
        ring.entries.push_back(entry);
    }

    /// The log as `GET /dynacond/requests` answers it.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        serde_json::json!({
            "capacity": CAPACITY,
            "recorded": ring.recorded,
            "requests": ring.entries,
        })
    }

    /// Empties the ring (the sequence numbers go on).
    pub(crate) fn clear(&self) {
        self.ring
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entries
            .clear();
    }
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// The error type (after `#`) and message of an error reply.
fn error_of(body: &[u8]) -> (Option<String>, Option<String>) {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        #[serde(rename = "__type")]
        kind: Option<String>,
        #[serde(alias = "Message")]
        message: Option<String>,
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(e) => (
            e.kind
                .map(|k| k.rsplit_once('#').map_or(k.as_str(), |(_, t)| t).to_owned()),
            e.message.map(|m| cut(&m, MAX_MESSAGE).to_owned()),
        ),
        Err(_) => (None, None),
    }
}

/// The table a request names: its `TableName` member, else the first table
/// of `RequestItems` (BatchGetItem, BatchWriteItem). Found by searching the
/// bytes for `"TableName"` followed by `:` and a string: in a DynamoDB
/// request only a member named so is an object key with a string value
/// (attribute values are objects, placeholder names start with `#` or `:`,
/// and a quote inside a string is escaped), so no JSON parse is needed.
pub(crate) fn table_of(body: &[u8]) -> Option<&str> {
    member_string(body, b"\"TableName\"").or_else(|| {
        let at = memchr::memmem::find(body, b"\"RequestItems\"")?;
        let rest = body.get(at + 14..)?;
        let rest = skip_ws(rest).strip_prefix(b":")?;
        let rest = skip_ws(skip_ws(rest).strip_prefix(b"{")?);
        string_at(rest)
    })
}

fn member_string<'a>(body: &'a [u8], key: &[u8]) -> Option<&'a str> {
    for at in memchr::memmem::find_iter(body, key) {
        let Some(rest) = body.get(at + key.len()..) else {
            continue;
        };
        let Some(rest) = skip_ws(rest).strip_prefix(b":") else {
            continue;
        };
        if let Some(name) = string_at(skip_ws(rest)) {
            return Some(name);
        }
    }
    None
}

fn skip_ws(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    bytes.get(n..).unwrap_or(&[])
}

/// A JSON string without escapes at the start of `bytes`, of at most
/// [`MAX_TABLE`] bytes (table names and ARNs have no escapes).
fn string_at(bytes: &[u8]) -> Option<&str> {
    let rest = bytes.strip_prefix(b"\"")?;
    let window = rest.get(..rest.len().min(MAX_TABLE + 1))?;
    let end = memchr::memchr2(b'"', b'\\', window)?;
    if window.get(end) != Some(&b'"') {
        return None;
    }
    std::str::from_utf8(window.get(..end)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_found_without_parsing() {
        for (body, want) in [
            (&br#"{"TableName":"users","Key":{}}"#[..], Some("users")),
            (
                br##"{"Item":{"TableName":{"S":"no"},"x":{"S":"TableName"}},"ExpressionAttributeNames":{"#t":"TableName"}, "TableName" : "real"}"##,
                Some("real"),
            ),
            (
                br#"{"RequestItems": {"t1": [{"PutRequest": {}}], "t2": []}}"#,
                Some("t1"),
            ),
            (br#"{"x":"a\"TableName\":\"b"}"#, None),
            (br#"{"TableName": 5}"#, None),
            (br#"{"TableName": "#, None),
            (b"", None),
        ] {
            assert_eq!(table_of(body), want, "{}", String::from_utf8_lossy(body));
        }
        let long = format!(r#"{{"TableName":"{}"}}"#, "a".repeat(MAX_TABLE + 1));
        assert_eq!(table_of(long.as_bytes()), None);
    }

    #[test]
    fn the_ring_is_bounded_and_keeps_the_newest() {
        let log = RequestLog::default();
        let ok = Reply::ok(b"{}".to_vec());
        let failed = Reply {
            status: 400,
            body: br#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#.to_vec(),
        };
        for i in 0..CAPACITY + 10 {
            let reply = if i % 2 == 0 { &ok } else { &failed };
            log.record(&ServedCall {
                target: Some("DynamoDB_20120810.PutItem"),
                body: br#"{"TableName":"t"}"#,
                reply,
                latency: Duration::from_micros(7),
            });
        }
        let json = log.to_json();
        let entries = json["requests"].as_array().unwrap();
        assert_eq!(entries.len(), CAPACITY);
        assert_eq!(json["recorded"], CAPACITY + 10);
        assert_eq!(entries[0]["seq"], 10);
        let last = &entries[CAPACITY - 1];
        assert_eq!(last["seq"], CAPACITY + 9);
        assert_eq!(last["operation"], "PutItem");
        assert_eq!(last["table"], "t");
        assert_eq!(last["status"], 400);
        assert_eq!(last["latency_micros"], 7);
        assert_eq!(last["error"], "ConditionalCheckFailedException");
        assert_eq!(last["message"], "The conditional request failed");
        assert_eq!(entries[0]["error"], serde_json::Value::Null);
        log.clear();
        assert_eq!(log.to_json()["requests"], serde_json::json!([]));
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let message = "é".repeat(MAX_MESSAGE);
        let body =
            serde_json::to_vec(&serde_json::json!({"__type": "x#V", "message": message})).unwrap();
        let (kind, kept) = error_of(&body);
        assert_eq!(kind.as_deref(), Some("V"));
        let kept = kept.unwrap();
        assert!(kept.len() <= MAX_MESSAGE && kept.chars().all(|c| c == 'é'));
    }
}
