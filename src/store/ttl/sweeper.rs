//! [`TtlSweeper`]: TTL sweeps in the background, every interval of wall time.

use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::store::catalog::Store;

/// A thread that runs [`Store::sweep_expired`] every `interval` of wall time,
/// as DynamoDB's background deletion does (`dynacond serve
/// --ttl-sweep-interval`). The interval is wall time; each sweep deletes
/// what is expired at the store's clock time, so a test that moves a manual
/// clock sees its items go at the next sweep. A sweep runs on this thread,
/// never on a request's, and holds no table-wide lock for long (see
/// [`Store::sweep_expired`]).
///
/// Stopped by [`TtlSweeper::stop`] or on drop; a sweep under way stops at
/// its next batch of slots.
///
/// ```
/// use std::time::Duration;
/// use dynacond::store::TtlSweeper;
/// use dynacond::Store;
///
/// let sweeper = TtlSweeper::spawn(Store::new(), Duration::from_secs(60))?;
/// sweeper.stop();
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct TtlSweeper {
    /// Dropping it (or sending) wakes the thread to stop.
    wake: Option<mpsc::Sender<()>>,
    /// Set to stop a sweep under way.
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TtlSweeper {
    /// Starts sweeping `store` every `interval` (the first sweep one
    /// interval from now). An `InvalidInput` error for a zero interval; an
    /// error if no thread can be started.
    pub fn spawn(store: Store, interval: Duration) -> io::Result<TtlSweeper> {
        if interval.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the TTL sweep interval must be longer than zero",
            ));
        }
        let (wake, woken) = mpsc::channel::<()>();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("dynacond-ttl-sweeper".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = woken.recv_timeout(interval) {
                    // A panic would be a bug in a sweep; it must not end the
                    // sweeping (locks are recovered from poisoning).
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        store.sweep_until(&stopping);
                    }));
                }
            })?;
        Ok(TtlSweeper {
            wake: Some(wake),
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the sweeper and waits for its thread (a sweep under way stops
    /// at its next batch of slots).
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Disconnecting wakes the thread.
        drop(self.wake.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for TtlSweeper {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
