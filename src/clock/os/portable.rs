//! Every other target (and Linux with `--cfg blinken_portable`): only `std`.

use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

/// The origin of the timeline: the first reading in this process.
static ANCHOR: OnceLock<std::time::Instant> = OnceLock::new();

/// Nanoseconds since the first reading in this process, from the monotonic
/// `std::time::Instant` (`mach_absolute_time` on macOS, `QueryPerformanceCounter` on
/// Windows, `CLOCK_MONOTONIC` elsewhere).
pub(crate) fn now_nanos() -> u64 {
    let anchor = *ANCHOR.get_or_init(std::time::Instant::now);
    u64::try_from(anchor.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// No timer slack to lower: the portable path waits as precisely as the platform's
/// condition variable does.
pub(crate) fn lower_timer_slack() {}

/// An interrupt count that threads can block on: an atomic count (read without a lock
/// by every check) and a condition variable to sleep on.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    count: AtomicU32,
    lock: Mutex<()>,
    changed: Condvar,
}

impl Counter {
    pub(crate) fn count(&self) -> u32 {
        self.count.load(Ordering::Acquire)
    }

    /// Adds one and wakes every waiter.
    pub(crate) fn bump(&self) {
        {
            // Under the lock: a waiter checks the count and starts waiting with the lock
            // held, so it either sees the new count or is already waiting when we notify.
            let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
            self.count.fetch_add(1, Ordering::Release);
        }
        self.changed.notify_all();
    }

    /// Blocks while the count is `seen`, until `until` (absolute, on the `now_nanos`
    /// timeline) or forever. Returns false when the deadline passed, true when the
    /// count moved. The clock is read again after every wake-up of the condition
    /// variable, so an early or spurious one only waits again.
    pub(crate) fn wait(&self, seen: u32, until: Option<u64>) -> bool {
        let mut guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if self.count() != seen {
                return true;
            }
            guard = match until {
                None => self.changed.wait(guard).unwrap_or_else(PoisonError::into_inner),
                Some(until) => {
                    let now = now_nanos();
                    if now >= until {
                        return false;
                    }
                    let left = Duration::from_nanos(until - now);
                    self.changed.wait_timeout(guard, left).unwrap_or_else(PoisonError::into_inner).0
                }
            };
        }
    }
}
