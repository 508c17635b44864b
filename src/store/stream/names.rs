//! The texts of the Streams API (spec streams-ttl-tags.md §1.4, §2.4, §2.5,
//! §4): stream labels and ARNs, shard ids, sequence numbers, event ids and
//! shard iterators, made and parsed. Every parser takes any string and
//! answers `None` for anything it did not make, without panicking.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::constraints::is_name;

/// A sequence number as a count: rendered with [`sequence_text`].
pub(crate) type Seq = u128;

/// Sequence numbers are `SEQUENCE_BASE + n` (n ≥ 1): 21 decimal digits with
/// a non-zero leading digit, so that string order is numeric order.
pub(crate) const SEQUENCE_BASE: Seq = 100_000_000_000_000_000_000;

/// The shortest and longest sequence numbers DynamoDB accepts.
pub(crate) const SEQUENCE_DIGITS: std::ops::RangeInclusive<usize> = 21..=40;

/// A sequence number's text.
pub(crate) fn sequence_text(seq: Seq) -> String {
    seq.to_string()
}

/// A sequence number given by a client: 21 to 40 digits (the constraint
/// layer checked the length); one beyond `u128` saturates (it lies beyond
/// every number dynacond hands out).
pub(crate) fn parse_sequence(text: &str) -> Option<Seq> {
    if !SEQUENCE_DIGITS.contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.parse::<Seq>().unwrap_or(Seq::MAX))
}

/// A stream label: the UTC time `YYYY-MM-DDTHH:MM:SS.mmm` of `millis`.
pub(crate) fn label_of(millis: i64) -> String {
    let millis = millis.max(0);
    let days = millis.div_euclid(86_400_000);
    let rest = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// True for a label's shape (`dddd-dd-ddTdd:dd:dd.ddd`).
fn is_label(label: &str) -> bool {
    let shape = b"dddd-dd-ddTdd:dd:dd.ddd";
    label.len() == shape.len()
        && label.bytes().zip(shape.iter()).all(|(b, s)| match s {
            b'd' => b.is_ascii_digit(),
            other => b == *other,
        })
}

/// A stream ARN taken apart: `arn:<partition>:dynamodb:<region>:<account>:
/// table/<table>/stream/<label>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StreamArn<'a> {
    pub(crate) table: &'a str,
}

/// Parses a stream ARN (`None`: not one).
pub(crate) fn parse_stream_arn(arn: &str) -> Option<StreamArn<'_>> {
    let mut parts = arn.splitn(6, ':');
    let (arn_word, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if arn_word != "arn"
        || !partition.starts_with("aws")
        || service != "dynamodb"
        || !region_ok
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let (table, label) = resource.strip_prefix("table/")?.split_once("/stream/")?;
    let table_ok = (3..=255).contains(&table.len()) && is_name(table);
    (table_ok && is_label(label)).then_some(StreamArn { table })
}

/// A shard id: `shardId-<20-digit creation millis>-<8 hex digits>`.
pub(crate) fn shard_id(created_millis: i64, arn: &str) -> String {
    // The low bits of the ARN's hash: stable, and distinct for the streams
    // a table creates in one millisecond (their labels differ).
    let tag = (fnv1a(arn.as_bytes()) & 0xffff_ffff) as u32;
    format!("shardId-{:020}-{tag:08x}", created_millis.max(0))
}

/// FNV-1a, 64 bits.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// splitmix64's finaliser: a bijection on `u64` that scatters its input.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A record's `eventID`: 32 lowercase hex digits, unique per record of a
/// stream (the second half is a bijection of the sequence number) and, by
/// the stream's hash in the first half, across streams.
pub(crate) fn event_id(stream_hash: u64, seq: Seq) -> String {
    let n = (seq - SEQUENCE_BASE.min(seq)) as u64;
    format!("{:016x}{:016x}", mix(stream_hash ^ n), mix(n))
}

/// What a shard iterator says: where to read, and when it was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Iterator {
    pub(crate) stream_arn: String,
    pub(crate) shard_id: String,
    /// The sequence number of the next record to read.
    pub(crate) position: Seq,
    pub(crate) issued_millis: i64,
}

impl Iterator {
    /// The opaque text: `<StreamArn>|1|<base64url of shard|position|issued>`
    /// (the shape of DynamoDB's iterators, spec §2.5).
    pub(crate) fn encode(&self) -> String {
        let payload = format!("{}|{}|{}", self.shard_id, self.position, self.issued_millis);
        format!("{}|1|{}", self.stream_arn, URL_SAFE_NO_PAD.encode(payload))
    }

    /// Reads an iterator back (`None`: not one dynacond made).
    pub(crate) fn decode(text: &str) -> Option<Iterator> {
        let mut parts = text.splitn(3, '|');
        let (arn, version, payload) = (parts.next()?, parts.next()?, parts.next()?);
        if version != "1" || parse_stream_arn(arn).is_none() {
            return None;
        }
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let payload = String::from_utf8(payload).ok()?;
        let mut fields = payload.splitn(3, '|');
        let (shard, position, issued) = (fields.next()?, fields.next()?, fields.next()?);
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !shard.starts_with("shardId-") || !digits(position) || !digits(issued) {
            return None;
        }
        Some(Iterator {
            stream_arn: arn.to_owned(),
            shard_id: shard.to_owned(),
            position: position.parse().ok()?,
            issued_millis: issued.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_utc_with_milliseconds() {
        assert_eq!(label_of(0), "1970-01-01T00:00:00.000");
        assert_eq!(label_of(1_791_500_851_275), "2026-10-08T23:07:31.275");
        assert_eq!(label_of(951_782_400_000), "2000-02-29T00:00:00.000");
        assert_eq!(label_of(-5), "1970-01-01T00:00:00.000");
        assert_eq!(
            label_of(crate::clock::MAX_MILLIS),
            "9999-12-31T23:59:59.999"
        );
        assert!(is_label(&label_of(1_700_000_000_123)));
    }

    #[test]
    fn stream_arns_are_recognised() {
        let arn =
            "arn:aws:dynamodb:us-east-1:123456789012:table/tab/stream/2026-10-08T23:07:31.275";
        assert_eq!(parse_stream_arn(arn), Some(StreamArn { table: "tab" }));
        for bad in [
            "",
            "fake-stream",
            "this-is-definitely-not-a-stream-arn-0123456789",
            "arn:aws:dynamodb:us-east-1:123456789012:table/tab",
            "arn:aws:dynamodb:us-east-1:123456789012:table/tab/stream/2026-10-08",
            "arn:aws:s3:us-east-1:123456789012:table/tab/stream/2026-10-08T23:07:31.275",
            "arn:aws:dynamodb:us-east-1:1234:table/tab/stream/2026-10-08T23:07:31.275",
            "arn:aws:dynamodb:us-east-1:123456789012:table/t!b/stream/2026-10-08T23:07:31.275",
            "arn:aws:dynamodb:US:123456789012:table/tab/stream/2026-10-08T23:07:31.275",
            "arn:aws:dynamodb:us-east-1:123456789012:table/tab/stream/2026-10-08T23:07:31.27é",
        ] {
            assert_eq!(parse_stream_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn iterators_round_trip_and_garbage_is_refused() {
        let it = Iterator {
            stream_arn:
                "arn:aws:dynamodb:us-east-1:123456789012:table/tab/stream/2026-10-08T23:07:31.275"
                    .into(),
            shard_id: shard_id(1_791_500_851_275, "x"),
            position: SEQUENCE_BASE + 7,
            issued_millis: 1_791_500_851_275,
        };
        let text = it.encode();
        assert!(text.len() <= 2048);
        assert_eq!(Iterator::decode(&text), Some(it.clone()));
        for bad in [
            "",
            "|",
            "||",
            "sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg",
            &text.replacen("|1|", "|2|", 1),
            &format!("{}|1|!!!", it.stream_arn),
            &format!(
                "{}|1|{}",
                it.stream_arn,
                URL_SAFE_NO_PAD.encode("shardId-1|x|1")
            ),
            &format!(
                "{}|1|{}",
                it.stream_arn,
                URL_SAFE_NO_PAD.encode("shardId-1|1")
            ),
            &format!(
                "{}|1|{}",
                it.stream_arn,
                URL_SAFE_NO_PAD.encode("shardId-1|999999999999999999999999999999999999999999|1")
            ),
        ] {
            assert_eq!(Iterator::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn sequence_numbers_and_ids() {
        assert_eq!(sequence_text(SEQUENCE_BASE + 1), "100000000000000000001");
        assert_eq!(
            parse_sequence("100000000000000000001"),
            Some(SEQUENCE_BASE + 1)
        );
        assert_eq!(parse_sequence("12345"), None);
        assert_eq!(parse_sequence("10000000000000000000x"), None);
        assert_eq!(parse_sequence(&"9".repeat(40)), Some(Seq::MAX));
        let id = shard_id(1_414_562_045_508, "arn");
        assert_eq!(id.len(), 37);
        assert!(id.starts_with("shardId-00000001414562045508-"));
        let a = event_id(1, SEQUENCE_BASE + 1);
        let b = event_id(1, SEQUENCE_BASE + 2);
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }
}
