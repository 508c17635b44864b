//! The store's cache of parsed expressions.
//!
//! DynamoDB clients send the same few expression strings over and over,
//! each with its own placeholder maps. Parsing depends on nothing but the
//! text and the parameter it came in (ConditionExpression, FilterExpression,
//! KeyConditionExpression, UpdateExpression, ProjectionExpression), and a
//! parsed expression is immutable and cheaply cloned (an `Arc`), so a store
//! keeps the successful parses keyed by (parameter, text) and the request
//! pipeline ([`crate::store::pipeline`]) takes them from here instead of
//! parsing again; binding to the request's maps still happens per request.
//!
//! * **Results never change.** Only successful parses are kept; a text that
//!   fails to parse is parsed again by every request and fails with the
//!   same error, built from that request's maps as before
//!   ([`crate::placeholders::parse_failure`]).
//! * **Bounded.** At most a number of entries and an estimate of their
//!   bytes (the text, plus [`TREE_BYTES_PER_TEXT_BYTE`] bytes of tree per
//!   byte of text and [`ENTRY_OVERHEAD_BYTES`] per entry). A text too large
//!   for a shard's share of the bytes is parsed and not kept.
//! * **Concurrency.** The entries are split over up to [`SHARDS`] shards by
//!   a hash of the key, each behind its own `RwLock`; a hit takes a shard's
//!   read lock for a lookup and an `Arc` clone. Parsing happens outside any
//!   lock; a miss then takes its shard's write lock to insert.
//! * **Eviction** is CLOCK (second chance): each entry has a "used" bit
//!   set by hits (a relaxed store, under the read lock); a full shard sweeps
//!   from its hand, clearing set bits and evicting the first clear entry:
//!   constant work per insertion on average, no list to maintain on hits.

use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

use indexmap::{Equivalent, IndexMap};

use crate::condition::ConditionExpression;
use crate::error::Error;
use crate::parser::error::ExpressionKind;
use crate::placeholders::{ExpressionAttributeNames, ExpressionAttributeValues};
use crate::projection::ProjectionExpression;
use crate::update::UpdateExpression;

/// The number of parsed expressions a store keeps by default.
pub const DEFAULT_EXPRESSION_CACHE_ENTRIES: usize = 4096;

/// The estimated bytes of parsed expressions a store keeps by default.
pub const DEFAULT_EXPRESSION_CACHE_BYTES: usize = 16 * 1024 * 1024;

/// The most shards a cache is split into (fewer for a small cache: each
/// shard holds at least one entry).
pub const SHARDS: usize = 16;

/// The bytes of parsed tree counted per byte of expression text (an
/// estimate: the trees hold spans, `Arc`ed names and boxed nodes).
pub const TREE_BYTES_PER_TEXT_BYTE: usize = 8;

/// The bytes counted per entry besides its text and tree.
pub const ENTRY_OVERHEAD_BYTES: usize = 128;

/// A parsed expression of any of the three languages.
#[derive(Debug, Clone)]
pub(crate) enum Parsed {
    Condition(ConditionExpression),
    Update(UpdateExpression),
    Projection(ProjectionExpression),
}

/// A bounded, sharded cache of parsed expressions (module docs).
#[derive(Debug)]
pub(crate) struct ExpressionCache {
    shards: Box<[RwLock<Shard>]>,
    hasher: RandomState,
}

#[derive(Debug, Default)]
struct Shard {
    map: IndexMap<Key, Entry, PassThrough>,
    /// The estimated bytes of the entries.
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
    /// Where the CLOCK sweep resumes.
    hand: usize,
}

#[derive(Debug)]
struct Key {
    hash: u64,
    kind: ExpressionKind,
    text: Box<str>,
}

/// A key to look up with, borrowing the request's text.
struct Probe<'t> {
    hash: u64,
    kind: ExpressionKind,
    text: &'t str,
}

#[derive(Debug)]
struct Entry {
    parsed: Parsed,
    bytes: usize,
    used: AtomicBool,
}

// Keys hash as their precomputed hash (the map's hasher passes it through).
impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.hash == other.hash && self.kind == other.kind && self.text == other.text
    }
}

impl Eq for Key {}

impl Hash for Probe<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl Equivalent<Key> for Probe<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        self.hash == key.hash && self.kind == key.kind && *self.text == *key.text
    }
}

/// A hasher that passes a precomputed `u64` hash through.
#[derive(Debug, Clone, Copy, Default)]
struct PassThrough;

impl BuildHasher for PassThrough {
    type Hasher = PassThroughHasher;
    fn build_hasher(&self) -> PassThroughHasher {
        PassThroughHasher(0)
    }
}

#[derive(Debug)]
struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else in, to be total.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The estimated bytes an entry for `text` takes (module docs).
pub(crate) fn entry_bytes(text: &str) -> usize {
    ENTRY_OVERHEAD_BYTES + text.len() * (1 + TREE_BYTES_PER_TEXT_BYTE)
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(PoisonError::into_inner)
}

impl Default for ExpressionCache {
    fn default() -> Self {
        ExpressionCache::new(
            DEFAULT_EXPRESSION_CACHE_ENTRIES,
            DEFAULT_EXPRESSION_CACHE_BYTES,
        )
    }
}

impl ExpressionCache {
    /// A cache of at most `entries` parsed expressions and `bytes`
    /// estimated bytes; zero of either keeps nothing.
    pub(crate) fn new(entries: usize, bytes: usize) -> Self {
        let count = if entries == 0 || bytes == 0 {
            0
        } else {
            entries.min(SHARDS)
        };
        // Split both bounds exactly: the first shards take the remainders.
        let share = |total: usize, i: usize| total / count + usize::from(i < total % count);
        let shards = (0..count)
            .map(|i| {
                RwLock::new(Shard {
                    max_entries: share(entries, i),
                    max_bytes: share(bytes, i),
                    ..Shard::default()
                })
            })
            .collect();
        ExpressionCache {
            shards,
            hasher: RandomState::new(),
        }
    }

    /// The shard of a key and the key's hash.
    fn shard(&self, kind: ExpressionKind, text: &str) -> Option<(&RwLock<Shard>, u64)> {
        if self.shards.is_empty() {
            return None;
        }
        let hash = self.hasher.hash_one((kind, text));
        // The high bits pick the shard; the map uses the whole hash.
        let index = ((hash >> 32) as usize) % self.shards.len();
        self.shards.get(index).map(|s| (s, hash))
    }

    /// The parsed expression of `text` as `kind`: the cached one, or
    /// `parse(text)`'s, kept when it succeeds. Errors are `parse`'s,
    /// unchanged, and are not kept.
    fn get_or_parse(
        &self,
        kind: ExpressionKind,
        text: &str,
        parse: impl FnOnce(&str) -> Result<Parsed, Error>,
    ) -> Result<Parsed, Error> {
        let Some((shard, hash)) = self.shard(kind, text) else {
            return parse(text);
        };
        let probe = Probe { hash, kind, text };
        if let Some(entry) = read(shard).map.get(&probe) {
            if !entry.used.load(Ordering::Relaxed) {
                entry.used.store(true, Ordering::Relaxed);
            }
            return Ok(entry.parsed.clone());
        }
        let parsed = parse(text)?;
        write(shard).insert(
            Key {
                hash,
                kind,
                text: text.into(),
            },
            parsed.clone(),
        );
        Ok(parsed)
    }

    /// A ConditionExpression, FilterExpression or KeyConditionExpression
    /// (`kind`) of a request with these maps:
    /// [`ConditionExpression::parse_in_request`], cached.
    pub(crate) fn condition(
        &self,
        text: &str,
        kind: ExpressionKind,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<ConditionExpression, Error> {
        let parse = |t: &str| ConditionExpression::parse_in_request(t, kind, names, values);
        match self.get_or_parse(kind, text, |t| parse(t).map(Parsed::Condition))? {
            Parsed::Condition(c) => Ok(c),
            // Keys include the kind, and each kind keeps one language.
            _ => parse(text),
        }
    }

    /// An UpdateExpression of a request with these maps:
    /// [`UpdateExpression::parse_in_request`], cached.
    pub(crate) fn update(
        &self,
        text: &str,
        names: Option<&ExpressionAttributeNames>,
        values: Option<&ExpressionAttributeValues>,
    ) -> Result<UpdateExpression, Error> {
        let parse = |t: &str| UpdateExpression::parse_in_request(t, names, values);
        match self.get_or_parse(ExpressionKind::Update, text, |t| {
            parse(t).map(Parsed::Update)
        })? {
            Parsed::Update(u) => Ok(u),
            _ => parse(text),
        }
    }

    /// A ProjectionExpression: [`ProjectionExpression::parse`], cached.
    pub(crate) fn projection(&self, text: &str) -> Result<ProjectionExpression, Error> {
        match self.get_or_parse(ExpressionKind::Projection, text, |t| {
            ProjectionExpression::parse(t).map(Parsed::Projection)
        })? {
            Parsed::Projection(p) => Ok(p),
            _ => ProjectionExpression::parse(text),
        }
    }

    /// How many expressions the cache holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|s| read(s).map.len()).sum()
    }

    /// The estimated bytes of the expressions the cache holds.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.shards.iter().map(|s| read(s).bytes).sum()
    }

    /// Whether the cache holds `text` as `kind`.
    #[cfg(test)]
    pub(crate) fn contains(&self, kind: ExpressionKind, text: &str) -> bool {
        self.shard(kind, text)
            .is_some_and(|(shard, hash)| read(shard).map.contains_key(&Probe { hash, kind, text }))
    }
}

impl Shard {
    /// Inserts an entry (unless another thread did meanwhile), evicting
    /// until it fits; an entry larger than the shard's bytes is not kept.
    fn insert(&mut self, key: Key, parsed: Parsed) {
        let bytes = entry_bytes(&key.text);
        if bytes > self.max_bytes || self.map.contains_key(&key) {
            return;
        }
        while !self.map.is_empty()
            && (self.map.len() >= self.max_entries || self.bytes + bytes > self.max_bytes)
        {
            self.evict_one();
        }
        self.bytes += bytes;
        self.map.insert(
            key,
            Entry {
                parsed,
                bytes,
                // New entries get no second chance until they are hit.
                used: AtomicBool::new(false),
            },
        );
    }

    /// CLOCK: from the hand, clears the used bits it passes and evicts the
    /// first entry whose bit was clear (at most one full turn plus one).
    fn evict_one(&mut self) {
        for _ in 0..=self.map.len() {
            if self.hand >= self.map.len() {
                self.hand = 0;
            }
            let Some((_, entry)) = self.map.get_index(self.hand) else {
                return;
            };
            if entry.used.swap(false, Ordering::Relaxed) {
                self.hand += 1;
                continue;
            }
            if let Some((_, removed)) = self.map.swap_remove_index(self.hand) {
                self.bytes -= removed.bytes;
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition(text: &str) -> Result<Parsed, Error> {
        ConditionExpression::parse(text).map(Parsed::Condition)
    }

    #[test]
    fn the_cache_stays_within_its_entries() {
        let cache = ExpressionCache::new(40, usize::MAX);
        for i in 0..1000 {
            let text = format!("a{i} = :v");
            cache
                .get_or_parse(ExpressionKind::Condition, &text, condition)
                .unwrap();
            assert!(cache.len() <= 40, "{} entries after {i}", cache.len());
        }
        assert_eq!(cache.len(), 40);
    }

    #[test]
    fn the_cache_stays_within_its_bytes() {
        let budget = 16 * entry_bytes("a0000 = :v");
        let cache = ExpressionCache::new(10_000, budget);
        for i in 0..1000 {
            let text = format!("a{i:04} = :v");
            cache
                .get_or_parse(ExpressionKind::Condition, &text, condition)
                .unwrap();
            assert!(cache.bytes() <= budget);
        }
        assert!(cache.len() >= 8, "{}", cache.len());
        // A text over a shard's share of the bytes is parsed, not kept.
        let long = format!("{} = :v", "a".repeat(4000));
        assert!(
            cache
                .get_or_parse(ExpressionKind::Condition, &long, condition)
                .is_ok()
        );
        assert!(!cache.contains(ExpressionKind::Condition, &long));
    }

    #[test]
    fn hit_entries_survive_a_stream_of_one_off_texts() {
        let cache = ExpressionCache::new(SHARDS * 4, usize::MAX);
        let hot = "attribute_not_exists(pk) OR (#v < :v AND begins_with(payload, :p))";
        for i in 0..2000 {
            cache
                .get_or_parse(ExpressionKind::Condition, hot, condition)
                .unwrap();
            let text = format!("a{i} = :v");
            cache
                .get_or_parse(ExpressionKind::Condition, &text, condition)
                .unwrap();
        }
        assert!(cache.contains(ExpressionKind::Condition, hot));
    }

    #[test]
    fn errors_are_returned_and_not_kept_and_kinds_are_apart() {
        let cache = ExpressionCache::default();
        let bad = "a = = b";
        let first = cache.get_or_parse(ExpressionKind::Condition, bad, condition);
        let again = cache.get_or_parse(ExpressionKind::Condition, bad, condition);
        assert_eq!(first.unwrap_err(), again.unwrap_err());
        assert_eq!(cache.len(), 0);
        cache
            .get_or_parse(ExpressionKind::Condition, "a = b", condition)
            .unwrap();
        assert!(cache.contains(ExpressionKind::Condition, "a = b"));
        assert!(!cache.contains(ExpressionKind::Filter, "a = b"));
        // A hit does not parse.
        let hit = cache.get_or_parse(ExpressionKind::Condition, "a = b", |_| {
            Err(Error::validation("parsed again"))
        });
        assert!(hit.is_ok());
    }

    #[test]
    fn a_zero_bound_keeps_nothing() {
        for cache in [
            ExpressionCache::new(0, 1 << 20),
            ExpressionCache::new(10, 0),
        ] {
            cache
                .get_or_parse(ExpressionKind::Condition, "a = b", condition)
                .unwrap();
            assert_eq!(cache.len(), 0);
        }
    }

    #[test]
    fn concurrent_readers_and_writers_agree() {
        let cache = ExpressionCache::new(64, usize::MAX);
        std::thread::scope(|s| {
            for t in 0..4 {
                let cache = &cache;
                s.spawn(move || {
                    for i in 0..500 {
                        let text = format!("a{} = :v", (i * (t + 1)) % 200);
                        let Ok(Parsed::Condition(c)) =
                            cache.get_or_parse(ExpressionKind::Condition, &text, condition)
                        else {
                            panic!("not a condition");
                        };
                        assert_eq!(
                            c.to_string(),
                            ConditionExpression::parse(&text).unwrap().to_string()
                        );
                    }
                });
            }
        });
        assert!(cache.len() <= 64);
    }
}
