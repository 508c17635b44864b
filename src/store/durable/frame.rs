//! Framing of the log and snapshot files.
//!
//! A file starts with an 8-byte magic naming its kind, then holds frames:
//!
//! ```text
//! | len: u32 LE | !len: u32 LE | crc32(payload): u32 LE | payload (len bytes) |
//! ```
//!
//! The length is stored twice (the second time inverted), so a damaged
//! length is seen as damage rather than read as a frame running past the
//! end of the file. Appends are the only writes, so a crash can leave only
//! one kind of damage: the file ends inside its last frame (or in zeros a
//! file system gave to blocks it had not written yet). That is a *torn
//! tail*, and recovery cuts it off. Anything else (a complete frame with a
//! wrong checksum, a header whose two lengths disagree) is *corruption*,
//! and recovery refuses to go on instead of dropping data.

use std::ops::Range;

/// The bytes before a frame's payload.
pub(crate) const HEADER: usize = 12;

/// The largest payload: a transaction of 100 items of 400 KB with room to
/// spare. A header naming more is damage.
pub(crate) const MAX_PAYLOAD: usize = 64 << 20;

/// The frame around a payload.
pub(crate) fn frame(payload: &[u8], out: &mut Vec<u8>) {
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
}

/// How a file's frames end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum End {
    /// At the end of the file, after a whole frame.
    Clean,
    /// The file ends inside a frame (or in zeros) starting at this offset.
    Torn(usize),
    /// Damage at this offset that no crash leaves.
    Corrupt(usize, &'static str),
}

/// The frames of a file's bytes (after its magic), as payload ranges, and
/// how they end.
#[derive(Debug)]
pub(crate) struct Scan {
    pub(crate) frames: Vec<Range<usize>>,
    pub(crate) end: End,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

/// Reads every frame of `bytes`, starting at offset `from`.
pub(crate) fn scan(bytes: &[u8], from: usize) -> Scan {
    let mut frames = Vec::new();
    let mut at = from;
    let zeros_from = |at: usize| bytes.get(at..).is_some_and(|r| r.iter().all(|&b| b == 0));
    let end = loop {
        let left = bytes.len().saturating_sub(at);
        if left == 0 {
            break End::Clean;
        }
        let (Some(len), Some(inverted), Some(crc)) = (
            u32_at(bytes, at),
            u32_at(bytes, at + 4),
            u32_at(bytes, at + 8),
        ) else {
            break End::Torn(at);
        };
        if inverted != !len {
            if zeros_from(at) {
                break End::Torn(at);
            }
            break End::Corrupt(at, "a frame header whose length check fails");
        }
        let len = len as usize;
        if len > MAX_PAYLOAD {
            break End::Corrupt(at, "a frame longer than any record");
        }
        let start = at + HEADER;
        let Some(payload) = bytes.get(start..start + len) else {
            break End::Torn(at);
        };
        if crc32fast::hash(payload) != crc {
            break End::Corrupt(at, "a frame whose checksum fails");
        }
        frames.push(start..start + len);
        at = start + len;
    };
    Scan { frames, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(payloads: &[&[u8]]) -> Vec<u8> {
        let mut out = b"MAGIC123".to_vec();
        for p in payloads {
            frame(p, &mut out);
        }
        out
    }

    #[test]
    fn whole_frames_read_back() {
        let bytes = file(&[b"one", b"", b"three"]);
        let scan = scan(&bytes, 8);
        assert_eq!(scan.end, End::Clean);
        let read: Vec<&[u8]> = scan.frames.iter().map(|r| &bytes[r.clone()]).collect();
        assert_eq!(read, [&b"one"[..], b"", b"three"]);
    }

    #[test]
    fn every_cut_of_the_last_frame_is_a_torn_tail() {
        let bytes = file(&[b"first", b"second frame"]);
        let second = 8 + HEADER + 5;
        for cut in second + 1..bytes.len() {
            let s = scan(&bytes[..cut], 8);
            assert_eq!(s.end, End::Torn(second), "cut at {cut}");
            assert_eq!(s.frames.len(), 1);
        }
        // Zeros after the last frame are a torn tail too.
        let mut padded = bytes.clone();
        padded.extend_from_slice(&[0; 40]);
        assert_eq!(scan(&padded, 8).end, End::Torn(bytes.len()));
    }

    #[test]
    fn every_flipped_byte_is_corruption() {
        let bytes = file(&[b"first", b"second frame"]);
        for at in 8..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x01;
            let s = scan(&damaged, 8);
            assert!(
                matches!(s.end, End::Corrupt(..)),
                "flip at {at}: {:?}",
                s.end
            );
        }
    }
}
