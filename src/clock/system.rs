use core::cell::Cell;
use core::fmt;
use core::num::NonZeroU64;
use core::time::Duration;

use rustix::time::ClockId;

use super::{Clock, Idle, Interrupt};
use crate::Instant;

/// The real clock: `CLOCK_MONOTONIC`, waited on precisely.
///
/// A wait sleeps in the kernel until `deadline - spin` (an absolute deadline, so a
/// late start of the sleep does not shift it), then spins on the clock for the last
/// stretch. The first wait on a thread lowers that thread's timer slack to 1 ns
/// (`PR_SET_TIMERSLACK`; the default 50 µs lets the kernel fire timers late to batch
/// wake-ups). A wait can be cut short from any thread with an [`Interrupt`].
///
/// # CPU cost
///
/// The spin window burns one core for up to `spin` per wake-up (less when the kernel
/// wakes late): with the default 100 µs and 10 wake-ups per second that is 0.1 % of a
/// core, with 1000 wake-ups per second 10 %. [`SystemClock::with_spin`]`(Duration::ZERO)`
/// turns spinning off; wake-ups are then as late as the kernel makes them (tens of µs
/// on a quiet machine).
///
/// # Examples
///
/// ```
/// use blinken::{Clock, SystemClock};
/// use std::time::Duration;
///
/// let mut clock = SystemClock::new().with_spin(Duration::from_micros(50));
/// let deadline = clock.now() + Duration::from_millis(2);
/// clock.sleep_until(Some(deadline)).unwrap();
/// assert!(clock.now() >= deadline);
/// ```
pub struct SystemClock {
    spin: Duration,
    interrupt: Interrupt,
    /// The interrupt count already answered.
    seen: u32,
}

impl SystemClock {
    /// The default spin window.
    pub const DEFAULT_SPIN: Duration = Duration::from_micros(100);

    /// A monotonic clock with the default spin window.
    pub fn new() -> SystemClock {
        SystemClock { spin: SystemClock::DEFAULT_SPIN, interrupt: Interrupt::new(), seen: 0 }
    }

    /// Sets the spin window: how long before a deadline the wait stops sleeping and
    /// starts spinning. `Duration::ZERO` never spins.
    #[must_use]
    pub fn with_spin(mut self, spin: Duration) -> SystemClock {
        self.spin = spin;
        self
    }

    /// The spin window.
    pub fn spin(&self) -> Duration {
        self.spin
    }

    /// The current `CLOCK_MONOTONIC` time as an [`Instant`].
    pub fn monotonic_now() -> Instant {
        let ts = rustix::time::clock_gettime(ClockId::Monotonic);
        // CLOCK_MONOTONIC is never negative.
        Instant::from_nanos(
            (ts.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(ts.tv_nsec as u64),
        )
    }

    /// Once per thread: the slack belongs to the thread, and a clock may move.
    fn lower_timer_slack() {
        thread_local!(static LOWERED: Cell<bool> = const { Cell::new(false) });
        LOWERED.with(|lowered| {
            if !lowered.replace(true) {
                // Best effort: without it wake-ups are only later, never wrong.
                let _ = rustix::thread::set_current_timer_slack(NonZeroU64::new(1));
            }
        });
    }
}

impl Default for SystemClock {
    fn default() -> SystemClock {
        SystemClock::new()
    }
}

impl fmt::Debug for SystemClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemClock").field("spin", &self.spin).finish_non_exhaustive()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        SystemClock::monotonic_now()
    }

    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        SystemClock::lower_timer_slack();
        let seen = self.seen;
        if self.interrupt.pending(&mut self.seen) {
            return Ok(());
        }
        let spin = u64::try_from(self.spin.as_nanos()).unwrap_or(u64::MAX);
        let sleep_end = deadline.map(|d| Instant::from_nanos(d.as_nanos().saturating_sub(spin)));
        // Sleep phase: an absolute CLOCK_MONOTONIC deadline, so a late start of the
        // sleep does not shift it; returns at once when interrupted.
        while sleep_end.is_none_or(|end| self.now() < end) {
            if !self.interrupt.wait(seen, sleep_end) {
                break;
            }
            if self.interrupt.pending(&mut self.seen) {
                return Ok(());
            }
        }
        // Spin phase.
        if let Some(deadline) = deadline {
            while self.now() < deadline {
                if self.interrupt.pending(&mut self.seen) {
                    return Ok(());
                }
                core::hint::spin_loop();
            }
        }
        Ok(())
    }

    fn interrupt(&self) -> Interrupt {
        self.interrupt.clone()
    }
}
