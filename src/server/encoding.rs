//! Compressed request bodies: `Content-Encoding: gzip` and `deflate`.
//!
//! DynamoDB accepts request bodies compressed with gzip (RFC 1952; several
//! members one after another are one body, as the gzip standard says) or
//! deflate (HTTP's `deflate` is the zlib format, RFC 1950; a second zlib
//! stream after the first is refused, as DynamoDB refuses it). `identity`, or
//! no header, is a plain body.
//!
//! The size limit applies to the body as decompressed, and is enforced while
//! decompressing: the output grows in small steps and decoding stops as soon
//! as it would pass the limit, so a small body that inflates to gigabytes (a
//! "zip bomb") costs at most `limit` bytes of memory and is refused with
//! [`BodyError::TooLarge`].
//!
//! [`decode_body`] is what the endpoint runs on every request body; it needs
//! no socket, so tests and fuzz targets call it directly.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, Read};
use std::str::FromStr;

/// A request's `Content-Encoding`, as far as the endpoint decodes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ContentEncoding {
    /// No coding: no header, an empty one, or `identity`.
    #[default]
    Identity,
    /// `gzip` (RFC 1952), one member or several concatenated.
    Gzip,
    /// `deflate`: the zlib format (RFC 1950), exactly one stream.
    Deflate,
}

impl ContentEncoding {
    /// The coding's name as HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentEncoding::Identity => "identity",
            ContentEncoding::Gzip => "gzip",
            ContentEncoding::Deflate => "deflate",
        }
    }
}

impl fmt::Display for ContentEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ContentEncoding {
    type Err = BodyError;

    /// Reads a `Content-Encoding` value (several header lines joined with
    /// commas, as HTTP allows). Names are case-insensitive; `identity` and
    /// empty entries are no coding. At most one real coding is accepted:
    /// `gzip, deflate` (two layers) and names dynacond does not decode
    /// (`br`, `x-gzip`, `garbage`) are [`BodyError::UnsupportedEncoding`].
    ///
    /// ```
    /// use dynacond::server::ContentEncoding;
    ///
    /// assert_eq!("GZIP".parse::<ContentEncoding>()?, ContentEncoding::Gzip);
    /// assert_eq!("identity, deflate".parse::<ContentEncoding>()?, ContentEncoding::Deflate);
    /// assert_eq!("".parse::<ContentEncoding>()?, ContentEncoding::Identity);
    /// assert!("garbage".parse::<ContentEncoding>().is_err());
    /// # Ok::<(), dynacond::server::BodyError>(())
    /// ```
    fn from_str(header: &str) -> Result<Self, BodyError> {
        let mut found = ContentEncoding::Identity;
        for name in header.split(',').map(str::trim) {
            let coding = if name.is_empty() || name.eq_ignore_ascii_case("identity") {
                continue;
            } else if name.eq_ignore_ascii_case("gzip") {
                ContentEncoding::Gzip
            } else if name.eq_ignore_ascii_case("deflate") {
                ContentEncoding::Deflate
            } else {
                return Err(BodyError::UnsupportedEncoding(name.to_owned()));
            };
            if found != ContentEncoding::Identity {
                return Err(BodyError::UnsupportedEncoding(header.trim().to_owned()));
            }
            found = coding;
        }
        Ok(found)
    }
}

/// Why a request body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// A `Content-Encoding` the endpoint does not decode (the endpoint
    /// answers HTTP 500, as DynamoDB does).
    #[error("Unsupported Content-Encoding: {0}")]
    UnsupportedEncoding(String),
    /// The body is not valid data of its coding: not that format at all,
    /// corrupt, cut short, empty, or followed by more bytes (the endpoint
    /// answers HTTP 500, as DynamoDB does).
    #[error("The request body is not valid {encoding} data: {problem}")]
    Malformed {
        /// The coding the body was declared with.
        encoding: ContentEncoding,
        /// What is wrong, in a few words.
        problem: &'static str,
    },
    /// The body, decompressed, is larger than the limit (the endpoint
    /// answers HTTP 413, as for a plain body over the limit).
    #[error("Request size exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

/// The body of a request sent with `encoding`, decompressed, at most
/// `limit` bytes long. A plain body is returned as it is (borrowed).
///
/// Decoding streams through a fixed buffer into an output that never grows
/// past `limit`; a body that would inflate further is refused with
/// [`BodyError::TooLarge`] as soon as it passes the limit, without
/// decompressing the rest.
///
/// ```
/// use dynacond::server::{BodyError, ContentEncoding, decode_body};
///
/// let plain = decode_body(ContentEncoding::Identity, b"{}", 1024)?;
/// assert_eq!(&*plain, b"{}");
/// // Not gzip at all.
/// let e = decode_body(ContentEncoding::Gzip, b"{}", 1024).unwrap_err();
/// assert!(matches!(e, BodyError::Malformed { .. }));
/// # Ok::<(), BodyError>(())
/// ```
pub fn decode_body(
    encoding: ContentEncoding,
    body: &[u8],
    limit: usize,
) -> Result<Cow<'_, [u8]>, BodyError> {
    let malformed = |problem| BodyError::Malformed { encoding, problem };
    match encoding {
        ContentEncoding::Identity if body.len() > limit => Err(BodyError::TooLarge { limit }),
        ContentEncoding::Identity => Ok(Cow::Borrowed(body)),
        // flate2 reports an empty input as a missing header or stream;
        // saying so plainly is clearer.
        _ if body.is_empty() => Err(malformed("the body is empty")),
        ContentEncoding::Gzip if !body.starts_with(&[0x1f, 0x8b]) => {
            Err(malformed("it does not start with a gzip header"))
        }
        ContentEncoding::Deflate if !has_zlib_header(body) => {
            Err(malformed("it does not start with a zlib header"))
        }
        ContentEncoding::Gzip => {
            let decoder = flate2::bufread::MultiGzDecoder::new(body);
            // Bytes after a complete member are read as the next member's
            // header, so junk after the data is refused too.
            read_bounded(decoder, limit, malformed).map(Cow::Owned)
        }
        ContentEncoding::Deflate => {
            let mut decoder = flate2::bufread::ZlibDecoder::new(body);
            let out = read_bounded(&mut decoder, limit, malformed)?;
            // The decoder stops at the end of the first stream; whatever
            // follows it (a second stream, junk) is left unread.
            if decoder
                .into_inner()
                .fill_buf()
                .is_ok_and(|rest| !rest.is_empty())
            {
                return Err(malformed("more data follows the end of the stream"));
            }
            Ok(Cow::Owned(out))
        }
    }
}

/// RFC 1950's header check: compression method 8 (deflate), a window of at
/// most 32 KiB, and the two bytes, read big-endian, a multiple of 31. A body
/// sent as raw deflate (without the zlib wrapper) or as gzip fails it.
fn has_zlib_header(body: &[u8]) -> bool {
    match body {
        [cmf, flg, ..] => {
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// How many decompressed bytes one read asks for.
const CHUNK: usize = 16 * 1024;

/// Reads `reader` to its end into a vector that never holds (nor reserves)
/// more than `limit` bytes.
fn read_bounded(
    mut reader: impl Read,
    limit: usize,
    malformed: impl Fn(&'static str) -> BodyError,
) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    let mut chunk = [0u8; CHUNK];
    loop {
        let read = match reader.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(malformed("it ends before the end of the stream"));
            }
            Err(_) => return Err(malformed("the data is corrupt")),
        };
        let bytes = chunk.get(..read).unwrap_or_default();
        if bytes.len() > limit.saturating_sub(out.len()) {
            return Err(BodyError::TooLarge { limit });
        }
        if out.capacity() - out.len() < bytes.len() {
            // Double as usual, but never reserve past the limit.
            // (`out.len() + bytes.len()` is at most `limit`, checked above.)
            let wanted = out
                .capacity()
                .saturating_mul(2)
                .max(out.len() + bytes.len())
                .min(limit);
            out.reserve_exact(wanted - out.len());
        }
        out.extend_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn problem(result: Result<Cow<'_, [u8]>, BodyError>) -> &'static str {
        match result {
            Err(BodyError::Malformed { problem, .. }) => problem,
            other => panic!("not malformed: {other:?}"),
        }
    }

    #[test]
    fn codings_round_trip() {
        let data = br#"{"TableName": "tbl"}"#;
        let got = decode_body(ContentEncoding::Gzip, &gzip(data), 1024)
            .unwrap()
            .into_owned();
        assert_eq!(got, data);
        let got = decode_body(ContentEncoding::Deflate, &zlib(data), 1024)
            .unwrap()
            .into_owned();
        assert_eq!(got, data);
        let got = decode_body(ContentEncoding::Identity, data, 1024).unwrap();
        assert!(matches!(got, Cow::Borrowed(_)));
    }

    #[test]
    fn gzip_members_concatenate_and_zlib_streams_do_not() {
        let mut two = gzip(b"{\"a\":");
        two.extend(gzip(b" 1}"));
        let got = decode_body(ContentEncoding::Gzip, &two, 1024).unwrap();
        assert_eq!(&*got, b"{\"a\": 1}");
        let mut two = zlib(b"{\"a\":");
        two.extend(zlib(b" 1}"));
        assert_eq!(
            problem(decode_body(ContentEncoding::Deflate, &two, 1024)),
            "more data follows the end of the stream"
        );
        let mut junk = gzip(b"{}");
        junk.extend_from_slice(b"junk");
        problem(decode_body(ContentEncoding::Gzip, &junk, 1024));
    }

    #[test]
    fn truncated_empty_and_foreign_bodies_are_malformed() {
        let data = b"{\"TableName\": \"tbl\", \"Item\": {\"p\": {\"S\": \"x\"}}}";
        for (encoding, full) in [
            (ContentEncoding::Gzip, gzip(data)),
            (ContentEncoding::Deflate, zlib(data)),
        ] {
            for cut in [1, 2, 4, 8, full.len() / 2, full.len() - 1] {
                let short = &full[..full.len() - cut];
                assert!(
                    matches!(
                        decode_body(encoding, short, 1024),
                        Err(BodyError::Malformed { .. })
                    ),
                    "{encoding} cut by {cut}"
                );
            }
            assert_eq!(
                problem(decode_body(encoding, b"", 1024)),
                "the body is empty"
            );
            problem(decode_body(encoding, data, 1024));
            let mut flipped = full.clone();
            let middle = flipped.len() / 2;
            flipped[middle] ^= 0x55;
            assert!(decode_body(encoding, &flipped, 1024).is_err(), "{encoding}");
        }
        // A gzip body is not zlib and the other way round.
        assert_eq!(
            problem(decode_body(ContentEncoding::Deflate, &gzip(data), 1024)),
            "it does not start with a zlib header"
        );
        assert_eq!(
            problem(decode_body(ContentEncoding::Gzip, &zlib(data), 1024)),
            "it does not start with a gzip header"
        );
        assert_eq!(
            problem(decode_body(ContentEncoding::Gzip, b"{}", 1024)),
            "it does not start with a gzip header"
        );
        // Raw deflate (no zlib wrapper) is not HTTP's deflate.
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), Compression::default());
        raw.write_all(data).unwrap();
        let raw = raw.finish().unwrap();
        problem(decode_body(ContentEncoding::Deflate, &raw, 1024));
        // Every zlib header flate2 writes passes the check.
        for level in 0..=9 {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
            e.write_all(data).unwrap();
            assert!(has_zlib_header(&e.finish().unwrap()), "level {level}");
        }
    }

    #[test]
    fn the_limit_applies_to_the_decompressed_body() {
        let data = vec![b' '; 5000];
        for (encoding, body) in [
            (ContentEncoding::Gzip, gzip(&data)),
            (ContentEncoding::Deflate, zlib(&data)),
            (ContentEncoding::Identity, data.clone()),
        ] {
            assert_eq!(decode_body(encoding, &body, 5000).unwrap().len(), 5000);
            assert_eq!(
                decode_body(encoding, &body, 4999),
                Err(BodyError::TooLarge { limit: 4999 })
            );
        }
    }

    #[test]
    fn a_bomb_stops_at_the_limit_without_growing_past_it() {
        // 8 MiB of zeros compress to about 8 KB.
        let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..8 {
            e.write_all(&zeros).unwrap();
        }
        let bomb = e.finish().unwrap();
        assert!(bomb.len() < 16 * 1024, "{}", bomb.len());
        let limit = 1024 * 1024;
        assert_eq!(
            decode_body(ContentEncoding::Gzip, &bomb, limit),
            Err(BodyError::TooLarge { limit })
        );
        // The bounded reader itself never reserves past the limit.
        let reader = flate2::bufread::MultiGzDecoder::new(&bomb[..]);
        let out = read_bounded(reader.take(limit as u64), limit, |_| unreachable!()).unwrap();
        assert_eq!(out.len(), limit);
        assert_eq!(out.capacity(), limit);
    }

    #[test]
    fn encoding_headers() {
        for (header, want) in [
            ("gzip", ContentEncoding::Gzip),
            (" Deflate ", ContentEncoding::Deflate),
            ("identity", ContentEncoding::Identity),
            ("", ContentEncoding::Identity),
            ("identity, gzip", ContentEncoding::Gzip),
            ("gzip,", ContentEncoding::Gzip),
        ] {
            assert_eq!(header.parse::<ContentEncoding>(), Ok(want), "{header:?}");
        }
        for (header, named) in [
            ("garbage", "garbage"),
            ("br", "br"),
            ("x-gzip", "x-gzip"),
            ("gzip, deflate", "gzip, deflate"),
            ("gzip, gzip", "gzip, gzip"),
        ] {
            assert_eq!(
                header.parse::<ContentEncoding>(),
                Err(BodyError::UnsupportedEncoding(named.into())),
                "{header:?}"
            );
        }
    }
}
