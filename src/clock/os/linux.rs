//! Linux and Android: `CLOCK_MONOTONIC`, a futex with an absolute timeout, timer slack.

use core::cell::Cell;
use core::num::{NonZeroU32, NonZeroU64};
use core::sync::atomic::{AtomicU32, Ordering};

use rustix::io::Errno;
use rustix::thread::futex;
use rustix::time::{ClockId, Timespec};

/// `CLOCK_MONOTONIC` in nanoseconds (from boot).
pub(crate) fn now_nanos() -> u64 {
    let ts = rustix::time::clock_gettime(ClockId::Monotonic);
    // CLOCK_MONOTONIC is never negative.
    (ts.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(ts.tv_nsec as u64)
}

/// Lowers the calling thread's timer slack to 1 ns, once per thread (the slack belongs
/// to the thread, and a clock may move between threads). The default 50 µs lets the
/// kernel fire timers late to batch wake-ups.
pub(crate) fn lower_timer_slack() {
    thread_local!(static LOWERED: Cell<bool> = const { Cell::new(false) });
    LOWERED.with(|lowered| {
        if !lowered.replace(true) {
            // Best effort: without it wake-ups are only later, never wrong.
            let _ = rustix::thread::set_current_timer_slack(NonZeroU64::new(1));
        }
    });
}

/// An interrupt count that threads can block on: the count is the futex word.
#[derive(Debug, Default)]
pub(crate) struct Counter(AtomicU32);

impl Counter {
    pub(crate) fn count(&self) -> u32 {
        self.0.load(Ordering::Acquire)
    }

    /// Adds one and wakes every waiter.
    pub(crate) fn bump(&self) {
        self.0.fetch_add(1, Ordering::Release);
        // Waking nobody is not an error; a failing futex call cannot lose the count.
        let _ = futex::wake(&self.0, futex::Flags::PRIVATE, i32::MAX as u32);
    }

    /// Blocks while the count is `seen`, until `until` (absolute, on the `now_nanos`
    /// timeline) or forever. Returns false when the deadline passed, true on any other
    /// wake-up (the count moved, a signal, a spurious wake-up).
    pub(crate) fn wait(&self, seen: u32, until: Option<u64>) -> bool {
        let timeout = until.map(|n| Timespec {
            tv_sec: (n / 1_000_000_000) as i64,
            tv_nsec: (n % 1_000_000_000) as i64,
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
