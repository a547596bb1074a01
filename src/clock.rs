//! Clocks: where the driver's time comes from and how it waits.

use core::fmt;
use core::num::{NonZeroU32, NonZeroU64};
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use std::sync::Arc;
use std::thread::ThreadId;

use rustix::io::Errno;
use rustix::thread::futex;
use rustix::time::{ClockId, Timespec};

use crate::Instant;

/// A source of time that can wait for a deadline.
///
/// The driver asks [`Clock::now`] after every wait and serves every timer due by then,
/// so a clock may wake late (a real one always does, a little) or early (spuriously):
/// lateness is caught up in one round and an early return just waits again.
pub trait Clock {
    /// The current instant.
    fn now(&self) -> Instant;

    /// Blocks until `deadline` (`None`: until woken from outside), or returns earlier
    /// when interrupted.
    ///
    /// # Errors
    ///
    /// [`Idle`] when the clock cannot wait without a deadline: a virtual clock has
    /// nothing to jump to and nothing outside can wake it.
    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle>;
}

/// Nothing is scheduled and the clock cannot wait for an outside event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("nothing is scheduled and this clock cannot wait for an outside event")]
pub struct Idle;

/// A clock that jumps straight to the next deadline: exact, instant, deterministic.
///
/// Tests and `--record` use it: an hour of animation runs in milliseconds and every
/// change lands exactly on its deadline.
///
/// # Examples
///
/// ```
/// use blinken::{Clock, Instant, VirtualClock};
/// use std::time::Duration;
///
/// let mut clock = VirtualClock::new();
/// let deadline = Instant::ZERO + Duration::from_secs(3600);
/// clock.sleep_until(Some(deadline)).unwrap();
/// assert_eq!(clock.now(), deadline);
/// assert!(clock.sleep_until(None).is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct VirtualClock {
    now: Instant,
}

impl VirtualClock {
    /// A virtual clock at [`Instant::ZERO`].
    pub fn new() -> VirtualClock {
        VirtualClock::default()
    }

    /// A virtual clock at `now`.
    pub fn starting_at(now: Instant) -> VirtualClock {
        VirtualClock { now }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Instant {
        self.now
    }

    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        let deadline = deadline.ok_or(Idle)?;
        self.now = self.now.max(deadline);
        Ok(())
    }
}

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
    interrupt: Arc<AtomicU32>,
    /// The interrupt count already answered.
    seen: u32,
    slack_lowered_on: Option<ThreadId>,
}

impl SystemClock {
    /// The default spin window.
    pub const DEFAULT_SPIN: Duration = Duration::from_micros(100);

    /// A monotonic clock with the default spin window.
    pub fn new() -> SystemClock {
        SystemClock {
            spin: SystemClock::DEFAULT_SPIN,
            interrupt: Arc::default(),
            seen: 0,
            slack_lowered_on: None,
        }
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

    /// A handle that wakes this clock's current or next wait from any thread.
    pub fn interrupt(&self) -> Interrupt {
        Interrupt(Arc::clone(&self.interrupt))
    }

    /// The current `CLOCK_MONOTONIC` time as an [`Instant`].
    pub fn monotonic_now() -> Instant {
        let ts = rustix::time::clock_gettime(ClockId::Monotonic);
        // CLOCK_MONOTONIC is never negative.
        Instant::from_nanos(
            (ts.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(ts.tv_nsec as u64),
        )
    }

    /// Whether an interrupt arrived since the last one answered; answers it.
    fn interrupted(&mut self) -> bool {
        let now = self.interrupt.load(Ordering::Acquire);
        core::mem::replace(&mut self.seen, now) != now
    }

    fn lower_timer_slack(&mut self) {
        let me = std::thread::current().id();
        if self.slack_lowered_on != Some(me) {
            // Best effort: without it wake-ups are only later, never wrong.
            let _ = rustix::thread::set_current_timer_slack(NonZeroU64::new(1));
            self.slack_lowered_on = Some(me);
        }
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

fn timespec(t: Instant) -> Timespec {
    let n = t.as_nanos();
    Timespec { tv_sec: (n / 1_000_000_000) as i64, tv_nsec: (n % 1_000_000_000) as i64 }
}

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        SystemClock::monotonic_now()
    }

    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        self.lower_timer_slack();
        let seen = self.seen;
        if self.interrupted() {
            return Ok(());
        }
        let sleep_end = deadline.map(|d| Instant::from_nanos(d.as_nanos().saturating_sub(self.spin.as_nanos() as u64)));
        // Sleep phase: FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline and
        // returns at once when an interrupt has changed the word.
        while sleep_end.is_none_or(|end| self.now() < end) {
            let timeout = sleep_end.filter(|&end| end != Instant::MAX).map(timespec);
            match futex::wait_bitset(
                &self.interrupt,
                futex::Flags::PRIVATE,
                seen,
                timeout.as_ref(),
                NonZeroU32::MAX,
            ) {
                Err(Errno::TIMEDOUT) => break,
                Err(Errno::INTR) => continue,
                _ if self.interrupted() => return Ok(()),
                _ => continue, // spurious wake-up
            }
        }
        // Spin phase.
        if let Some(deadline) = deadline {
            while self.now() < deadline {
                if self.interrupted() {
                    return Ok(());
                }
                core::hint::spin_loop();
            }
        }
        Ok(())
    }
}

/// Wakes a [`SystemClock`]'s wait early; cheap to clone and send to other threads.
#[derive(Debug, Clone)]
pub struct Interrupt(Arc<AtomicU32>);

impl Interrupt {
    /// Ends the clock's current wait at once, or its next one if it is not waiting.
    pub fn interrupt(&self) {
        self.0.fetch_add(1, Ordering::Release);
        let _ = futex::wake(&self.0, futex::Flags::PRIVATE, i32::MAX as u32);
    }
}
