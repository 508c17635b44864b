//! The files of a data directory:
//!
//! | File | Holds |
//! | --- | --- |
//! | `LOCK` | nothing; locked by the process that has the directory open |
//! | `log-NNNNNNNNNNNNNNNNNNNN.dlog` | a log segment: records appended since the segment began |
//! | `snapshot-NNNNNNNNNNNNNNNNNNNN.dsnap` | the store as it was when segment `N` began (fuzzy: later writes may show too, and replaying segment `N` on it gives the same) |
//! | `*.tmp` | a snapshot being written; ignored and removed at start |
//!
//! Recovery loads the newest snapshot `N` (if any) and replays segments
//! `N`, `N+1`, ... in order; older files are deleted once a newer snapshot is
//! in place.

use std::fs::File;
use std::path::{Path, PathBuf};

/// The first bytes of a log segment.
pub(crate) const LOG_MAGIC: &[u8; 8] = b"DYNCLOG1";
/// The first bytes of a snapshot.
pub(crate) const SNAPSHOT_MAGIC: &[u8; 8] = b"DYNCSNP1";

pub(crate) fn segment_path(dir: &Path, number: u64) -> PathBuf {
    dir.join(format!("log-{number:020}.dlog"))
}

pub(crate) fn snapshot_path(dir: &Path, number: u64) -> PathBuf {
    dir.join(format!("snapshot-{number:020}.dsnap"))
}

/// Makes a directory's entries (new, renamed, removed files) durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// What a data directory holds, by number.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) segments: Vec<u64>,
    pub(crate) snapshots: Vec<u64>,
    pub(crate) temporary: Vec<PathBuf>,
}

fn number_of(name: &str, prefix: &str, suffix: &str) -> Option<u64> {
    let digits = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Lists a data directory (sorted numbers).
pub(crate) fn list(dir: &Path) -> std::io::Result<Listing> {
    let mut listing = Listing::default();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(n) = number_of(name, "log-", ".dlog") {
            listing.segments.push(n);
        } else if let Some(n) = number_of(name, "snapshot-", ".dsnap") {
            listing.snapshots.push(n);
        } else if name.ends_with(".tmp") {
            listing.temporary.push(entry.path());
        }
    }
    listing.segments.sort_unstable();
    listing.snapshots.sort_unstable();
    Ok(listing)
}

/// Locks the directory's `LOCK` file for this process: another process
/// (or another store in this one) gets a clear error instead.
pub(crate) fn lock_dir(dir: &Path) -> Result<File, String> {
    let path = dir.join("LOCK");
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    #[cfg(unix)]
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(file),
        Err(rustix::io::Errno::WOULDBLOCK) => Err(format!(
            "the data directory {} is in use by another dynacond (its LOCK file is locked)",
            dir.display()
        )),
        Err(e) => Err(format!("cannot lock {}: {e}", path.display())),
    }
    // Elsewhere the directory is not locked (a known limit).
    #[cfg(not(unix))]
    Ok(file)
}
