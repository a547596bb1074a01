use core::num::NonZeroU32;
use core::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use rustix::io::Errno;
use rustix::thread::futex;
use rustix::time::Timespec;

use crate::Instant;

/// Wakes a clock's wait early, from any thread; cheap to clone.
///
/// A counter and a futex: [`Interrupt::interrupt`] bumps the counter and wakes every
/// waiter; a clock remembers the last count it answered, so an interrupt that arrives
/// while it is not waiting ends its next wait at once. Obtained from
/// [`Clock::interrupt`](crate::Clock::interrupt).
///
/// # Examples
///
/// ```
/// use blinken::{Clock, SystemClock};
/// use std::time::Duration;
///
/// let mut clock = SystemClock::new();
/// let interrupt = clock.interrupt();
/// std::thread::spawn(move || interrupt.interrupt());
/// // Returns long before the hour is up.
/// clock.sleep_until(Some(clock.now() + Duration::from_secs(3600))).unwrap();
/// ```
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicU32>);

impl Interrupt {
    /// A fresh interrupt handle.
    pub fn new() -> Interrupt {
        Interrupt::default()
    }

    /// A handle that wakes nothing (for clocks that never block).
    pub fn detached() -> Interrupt {
        Interrupt::default()
    }

    /// Ends the clock's current wait at once, or its next one if it is not waiting.
    pub fn interrupt(&self) {
        self.0.fetch_add(1, Ordering::Release);
        // Waking nobody is not an error; a failing futex call cannot lose the count.
        let _ = futex::wake(&self.0, futex::Flags::PRIVATE, i32::MAX as u32);
    }

    /// The current count.
    pub(crate) fn count(&self) -> u32 {
        self.0.load(Ordering::Acquire)
    }

    /// Whether the count moved past `seen`; updates `seen`.
    pub(crate) fn pending(&self, seen: &mut u32) -> bool {
        let now = self.count();
        core::mem::replace(seen, now) != now
    }

    /// Blocks while the count is `seen`, until `until` (absolute `CLOCK_MONOTONIC`) or
    /// forever. Returns false when the deadline passed, true on any other wake-up.
    pub(crate) fn wait(&self, seen: u32, until: Option<Instant>) -> bool {
        let timeout = until.filter(|&t| t != Instant::MAX).map(|t| {
            let n = t.as_nanos();
            Timespec { tv_sec: (n / 1_000_000_000) as i64, tv_nsec: (n % 1_000_000_000) as i64 }
        });
        // FUTEX_WAIT_BITSET takes an absolute timeout on CLOCK_MONOTONIC.
        !matches!(
            futex::wait_bitset(
                &self.0,
                futex::Flags::PRIVATE,
                seen,
                timeout.as_ref(),
                NonZeroU32::MAX
            ),
            Err(Errno::TIMEDOUT)
        )
    }
}
