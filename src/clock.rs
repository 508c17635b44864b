//! The store's clock: every time the store reads (table creation times,
//! capacity history, ClientRequestToken expiry, and the stream, TTL and
//! iterator times built on it) comes from a [`Clock`] it owns, so tests can
//! move time instead of sleeping.
//!
//! A clock is either the system clock, possibly shifted by
//! [`Clock::advance`], or a manual clock that stands still until it is set or
//! advanced. Clones share the same time: advancing one clone advances every
//! store holding it.
//!
//! ```
//! use std::time::Duration;
//! use dynacond::Clock;
//!
//! let clock = Clock::manual(1_700_000_000_000);
//! assert_eq!(clock.now_millis(), 1_700_000_000_000);
//! clock.advance(Duration::from_secs(90));
//! assert_eq!(clock.now_seconds(), 1_700_000_090.0);
//! ```

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

/// The latest time a clock can be set to or advanced to: year 9999, so that
/// every time the store renders stays a valid date.
pub const MAX_MILLIS: i64 = 253_402_300_799_999;

/// A clock: the system clock (with an offset) or a manual one.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    state: Arc<State>,
}

#[derive(Debug, Default)]
struct State {
    /// True: `millis` is the time itself; false: an offset added to the
    /// system clock.
    manual: AtomicBool,
    millis: AtomicI64,
}

thread_local! {
    /// A time pinned on this thread for one clock (its state's address):
    /// [`Clock::pinned`].
    static PINNED: Cell<Option<(usize, i64)>> = const { Cell::new(None) };
}

/// Puts a thread's previous pin back on drop (also when unwinding).
struct Unpin(Option<(usize, i64)>);

impl Drop for Unpin {
    fn drop(&mut self) {
        PINNED.with(|p| p.set(self.0));
    }
}

/// The system clock in epoch milliseconds (0 before 1970).
fn system_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(MAX_MILLIS))
}

/// A duration in milliseconds, saturated.
fn millis_of(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A manual clock standing at `epoch_millis` (clamped to
    /// `0..=`[`MAX_MILLIS`]) until it is set or advanced.
    pub fn manual(epoch_millis: i64) -> Clock {
        let clock = Clock::default();
        clock.set_millis(epoch_millis);
        clock
    }

    /// A manual clock standing at the system clock's current time.
    pub fn manual_now() -> Clock {
        Clock::manual(system_millis())
    }

    fn id(&self) -> usize {
        Arc::as_ptr(&self.state) as usize
    }

    /// The time, in milliseconds since the Unix epoch.
    pub fn now_millis(&self) -> i64 {
        if let Some((id, millis)) = PINNED.with(Cell::get) {
            if id == self.id() {
                return millis;
            }
        }
        let millis = self.state.millis.load(Ordering::Acquire);
        if self.state.manual.load(Ordering::Acquire) {
            millis
        } else {
            system_millis().saturating_add(millis).clamp(0, MAX_MILLIS)
        }
    }

    /// The time in seconds since the Unix epoch, with milliseconds (how
    /// DynamoDB's replies carry times).
    pub fn now_seconds(&self) -> f64 {
        self.now_millis() as f64 / 1000.0
    }

    /// True for a manual clock.
    pub fn is_manual(&self) -> bool {
        self.state.manual.load(Ordering::Acquire)
    }

    /// Moves the clock forward (a system clock keeps running from there).
    /// Time never passes [`MAX_MILLIS`].
    pub fn advance(&self, by: Duration) {
        let by = millis_of(by);
        if self.is_manual() {
            let now = self.state.millis.load(Ordering::Acquire);
            self.state.millis.store(
                now.saturating_add(by).clamp(0, MAX_MILLIS),
                Ordering::Release,
            );
        } else {
            let offset = self.state.millis.load(Ordering::Acquire);
            let most = MAX_MILLIS.saturating_sub(system_millis());
            self.state
                .millis
                .store(offset.saturating_add(by).min(most), Ordering::Release);
        }
    }

    /// Makes the clock manual, standing at `epoch_millis` (clamped to
    /// `0..=`[`MAX_MILLIS`]).
    pub fn set_millis(&self, epoch_millis: i64) {
        // Store the time before the mode so a reader never adds the system
        // time to an absolute time.
        self.state.manual.store(false, Ordering::Release);
        self.state
            .millis
            .store(epoch_millis.clamp(0, MAX_MILLIS), Ordering::Release);
        self.state.manual.store(true, Ordering::Release);
    }

    /// Runs `f` with this clock reading `epoch_millis` (clamped) on the
    /// calling thread only: other threads, and other clocks, keep their
    /// time. A control-plane call on a data directory runs at the time it
    /// logged this way, and recovery replays it at that time, without
    /// stopping the clock of concurrent requests.
    pub(crate) fn pinned<R>(&self, epoch_millis: i64, f: impl FnOnce() -> R) -> R {
        let pin = (self.id(), epoch_millis.clamp(0, MAX_MILLIS));
        let _unpin = Unpin(PINNED.with(|p| p.replace(Some(pin))));
        f()
    }

    /// Back to the system clock, without offset.
    pub fn use_system(&self) {
        self.state.manual.store(false, Ordering::Release);
        self.state.millis.store(0, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_moved() {
        let clock = Clock::manual(5_000);
        assert_eq!(clock.now_millis(), 5_000);
        assert!(clock.is_manual());
        clock.advance(Duration::from_millis(1_500));
        assert_eq!(clock.now_millis(), 6_500);
        assert_eq!(clock.now_seconds(), 6.5);
        let shared = clock.clone();
        shared.set_millis(42);
        assert_eq!(clock.now_millis(), 42);
    }

    #[test]
    fn a_system_clock_runs_and_can_be_shifted() {
        let clock = Clock::system();
        let before = system_millis();
        let now = clock.now_millis();
        assert!(now >= before && now <= system_millis());
        clock.advance(Duration::from_secs(3_600));
        let later = clock.now_millis();
        assert!(later >= before + 3_600_000);
        assert!(!clock.is_manual());
        clock.use_system();
        assert!(clock.now_millis() < before + 3_600_000);
    }

    #[test]
    fn a_pinned_time_holds_on_its_thread_and_clock_only() {
        let clock = Clock::manual(1_000);
        let other = Clock::manual(7);
        let shared = clock.clone();
        let seen = clock.pinned(50, || {
            let elsewhere =
                std::thread::scope(|s| s.spawn(|| shared.now_millis()).join().unwrap_or_default());
            let nested = clock.pinned(60, || clock.now_millis());
            (
                clock.now_millis(),
                shared.now_millis(),
                other.now_millis(),
                elsewhere,
                nested,
            )
        });
        assert_eq!(seen, (50, 50, 7, 1_000, 60));
        assert_eq!(clock.now_millis(), 1_000);
    }

    #[test]
    fn time_saturates_at_both_ends() {
        let clock = Clock::manual(-7);
        assert_eq!(clock.now_millis(), 0);
        clock.advance(Duration::MAX);
        assert_eq!(clock.now_millis(), MAX_MILLIS);
        let system = Clock::system();
        system.advance(Duration::MAX);
        assert_eq!(system.now_millis(), MAX_MILLIS);
        system.advance(Duration::MAX);
        assert_eq!(system.now_millis(), MAX_MILLIS);
    }
}
