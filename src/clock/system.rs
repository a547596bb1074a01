use core::fmt;
use core::time::Duration;

use super::os;
use super::spin::AdaptiveSpin;
use super::{Clock, Idle, Interrupt};
use crate::Instant;

/// The real clock: a monotonic clock, waited on precisely.
///
/// # Waiting
///
/// A wait sleeps until `deadline - window` (an absolute deadline, so a late start of
/// the sleep does not shift it), then spins on the clock for the last stretch. A wait
/// can be cut short from any thread with an [`Interrupt`], in either phase.
///
/// # The spin window
///
/// A sleeping thread wakes late: by tens of µs on a typical Linux machine, more in a
/// virtual machine or on a busy one. The window is how long before the deadline the
/// wait stops sleeping, so a wake-up that is less late than the window spins the rest
/// and serves the deadline on time.
///
/// - [`SystemClock::new`] **learns the window**: after every sleep it measures how late
///   the wake-up was and keeps the window at the median of that lateness, between
///   [`MIN_SPIN`](SystemClock::MIN_SPIN) (2 µs) and [`MAX_SPIN`](SystemClock::MAX_SPIN)
///   (100 µs); it starts at 100 µs, or at what the last clock of the process learned. Half the wake-ups then land before the deadline and the others are late
///   only by the spread of the lateness, not by all of it; a machine that wakes
///   sleepers within 5 µs gets a 5 µs window, a busy one up to 100 µs. It follows the
///   machine as it gets quieter or busier, and a single stall moves it by a step only.
/// - [`SystemClock::with_spin`]`(d)` fixes the window at `d`;
///   [`SystemClock::with_spin`]`(Duration::ZERO)` never spins: wake-ups are then as
///   late as the kernel makes them.
///
/// # CPU cost
///
/// Every wake-up costs a context switch and a timer (in a virtual machine, also exits
/// to the hypervisor); the spin adds `window - lateness` of busy CPU per wake-up when
/// the kernel wakes the thread early enough. Measured on a noisy 2-vCPU virtual
/// machine (`cargo bench --bench jitter`, see `docs/benchmarks.md`), five LEDs
/// toggling every 1–5 ms (1000 wake-ups per second) cost:
///
/// | window | % of a core | median lateness |
/// |---|---:|---:|
/// | none (`with_spin(Duration::ZERO)`) | 2.4–3.3 | 36–53 µs |
/// | learned (`new()`) | 2.6–4.3 | 1.7–3.4 µs |
/// | fixed 100 µs (`with_spin(100 µs)`) | 8.2–8.5 | 1.4–2.1 µs |
///
/// Over 60 interleaved rounds the learned window spun about 0.5 % of a core more than
/// no spin; most of the cost is the wake-ups themselves. The cost grows with the number
/// of wake-ups per second: at the speeds people watch (toggles every 50 ms and slower,
/// 20 wake-ups per second or fewer) it is a fiftieth of the above.
///
/// # Platforms
///
/// On Linux and Android the timeline is `CLOCK_MONOTONIC` (nanoseconds since boot),
/// the sleep is a futex wait with an absolute `CLOCK_MONOTONIC` timeout, and the first
/// wait on a thread lowers that thread's timer slack to 1 ns (`PR_SET_TIMERSLACK`; the
/// default 50 µs lets the kernel fire timers late to batch wake-ups).
///
/// Everywhere else (macOS, Windows, the BSDs, ...) the clock uses only `std`: the
/// timeline counts from the first reading in the process, on the monotonic
/// `std::time::Instant`, and the sleep is a `Condvar::wait_timeout` computed from the
/// absolute deadline, with the clock read again after every wake-up, so an early or
/// spurious wake-up only waits again. There is no timer slack to lower; the learned
/// window covers whatever lateness the platform shows. Building with
/// `RUSTFLAGS="--cfg blinken_portable"` selects this path on Linux too, to test it.
///
/// # Examples
///
/// ```
/// use blinken::{Clock, SystemClock};
/// use std::time::Duration;
///
/// let mut clock = SystemClock::new().with_spin(Duration::from_micros(50));
/// assert_eq!(clock.spin(), Duration::from_micros(50));
/// let deadline = clock.now() + Duration::from_millis(2);
/// clock.sleep_until(Some(deadline)).unwrap();
/// assert!(clock.now() >= deadline);
///
/// // The default window is learned, and stays within its bounds.
/// let mut clock = SystemClock::new();
/// for _ in 0..5 {
///     let deadline = clock.now() + Duration::from_millis(1);
///     clock.sleep_until(Some(deadline)).unwrap();
///     assert!(clock.now() >= deadline);
/// }
/// assert!(clock.is_adaptive());
/// assert!((SystemClock::MIN_SPIN..=SystemClock::MAX_SPIN).contains(&clock.spin()));
/// ```
pub struct SystemClock {
    spin: Spin,
    interrupt: Interrupt,
    /// The interrupt count already answered.
    seen: u32,
}

/// The spin window: learned, or fixed (ns).
#[derive(Debug, Clone, Copy)]
enum Spin {
    Adaptive(AdaptiveSpin),
    Fixed(u64),
}

impl SystemClock {
    /// The smallest window the learned one comes down to.
    pub const MIN_SPIN: Duration = AdaptiveSpin::MIN;
    /// The largest window the learned one goes up to, and where it starts when nothing
    /// has been learned yet.
    pub const MAX_SPIN: Duration = AdaptiveSpin::MAX;

    /// A monotonic clock whose spin window is learned from its own wake-ups.
    pub fn new() -> SystemClock {
        SystemClock {
            spin: Spin::Adaptive(AdaptiveSpin::learned()),
            interrupt: Interrupt::new(),
            seen: 0,
        }
    }

    /// Fixes the spin window: how long before a deadline the wait stops sleeping and
    /// starts spinning. `Duration::ZERO` never spins.
    #[must_use]
    pub fn with_spin(mut self, spin: Duration) -> SystemClock {
        self.spin = Spin::Fixed(u64::try_from(spin.as_nanos()).unwrap_or(u64::MAX));
        self
    }

    /// The spin window now: the fixed one, or what has been learned so far.
    pub fn spin(&self) -> Duration {
        Duration::from_nanos(self.spin_nanos())
    }

    /// Whether the spin window is learned (the default) rather than fixed.
    pub fn is_adaptive(&self) -> bool {
        matches!(self.spin, Spin::Adaptive(_))
    }

    /// The current time on the real clock's timeline as an [`Instant`]:
    /// `CLOCK_MONOTONIC` on Linux and Android, elsewhere the time since the first
    /// reading in the process (see [Platforms](SystemClock#platforms)).
    pub fn monotonic_now() -> Instant {
        Instant::from_nanos(os::now_nanos())
    }

    fn spin_nanos(&self) -> u64 {
        match self.spin {
            Spin::Adaptive(adaptive) => adaptive.window_nanos(),
            Spin::Fixed(ns) => ns,
        }
    }
}

impl Default for SystemClock {
    fn default() -> SystemClock {
        SystemClock::new()
    }
}

impl Drop for SystemClock {
    /// The next clock of the process starts from what this one learned.
    fn drop(&mut self) {
        if let Spin::Adaptive(adaptive) = self.spin {
            adaptive.remember();
        }
    }
}

impl fmt::Debug for SystemClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemClock")
            .field("spin", &self.spin())
            .field("adaptive", &self.is_adaptive())
            .finish_non_exhaustive()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        SystemClock::monotonic_now()
    }

    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        os::lower_timer_slack();
        let seen = self.seen;
        if self.interrupt.pending(&mut self.seen) {
            return Ok(());
        }
        let sleep_end =
            deadline.map(|d| Instant::from_nanos(d.as_nanos().saturating_sub(self.spin_nanos())));
        // Sleep phase: an absolute deadline, so a late start of the sleep does not
        // shift it; returns at once when interrupted.
        let mut now = self.now();
        while sleep_end.is_none_or(|end| now < end) {
            let timed_out = !self.interrupt.wait(seen, sleep_end);
            if self.interrupt.pending(&mut self.seen) {
                return Ok(());
            }
            now = self.now();
            if timed_out {
                if let (Spin::Adaptive(adaptive), Some(end)) = (&mut self.spin, sleep_end) {
                    adaptive.observe(now.as_nanos().saturating_sub(end.as_nanos()));
                }
                break;
            }
        }
        // Spin phase.
        if let Some(deadline) = deadline {
            while now < deadline {
                if self.interrupt.pending(&mut self.seen) {
                    return Ok(());
                }
                core::hint::spin_loop();
                now = self.now();
            }
        }
        Ok(())
    }

    fn interrupt(&self) -> Interrupt {
        self.interrupt.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_spin_fixes_the_window_and_zero_turns_spinning_off() {
        let clock = SystemClock::new();
        assert!(clock.is_adaptive());
        let fixed = SystemClock::new().with_spin(Duration::from_micros(30));
        assert!(!fixed.is_adaptive());
        assert_eq!(fixed.spin(), Duration::from_micros(30));
        assert_eq!(SystemClock::new().with_spin(Duration::ZERO).spin(), Duration::ZERO);
    }

    #[test]
    fn an_interrupt_ends_the_sleep_phase() {
        // A window far shorter than the wait: the interrupt finds it asleep.
        let mut clock = SystemClock::new().with_spin(Duration::ZERO);
        let interrupt = clock.interrupt();
        let deadline = clock.now() + Duration::from_secs(3600);
        std::thread::spawn(move || interrupt.interrupt());
        clock.sleep_until(Some(deadline)).unwrap();
        assert!(clock.now() < deadline);
    }

    #[test]
    fn an_interrupt_ends_the_spin_phase() {
        // A window longer than the wait: the clock spins from the start.
        let mut clock = SystemClock::new().with_spin(Duration::from_secs(7200));
        let interrupt = clock.interrupt();
        let deadline = clock.now() + Duration::from_secs(3600);
        std::thread::spawn(move || interrupt.interrupt());
        clock.sleep_until(Some(deadline)).unwrap();
        assert!(clock.now() < deadline);
    }

    #[test]
    fn an_interrupt_while_not_waiting_ends_the_next_wait() {
        let mut clock = SystemClock::new();
        clock.interrupt().interrupt();
        clock.sleep_until(None).unwrap();
        // Answered once: the next wait runs to its deadline.
        let deadline = clock.now() + Duration::from_millis(1);
        clock.sleep_until(Some(deadline)).unwrap();
        assert!(clock.now() >= deadline);
    }
}
