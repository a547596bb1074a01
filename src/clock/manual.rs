use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;
use std::sync::Arc;

use super::{Clock, Idle, Interrupt};
use crate::Instant;

/// A clock that moves only when its [`ManualControl`] says so.
///
/// For tests of code that plays on another thread (a [`Player`](crate::Player)):
/// the test advances time step by step, waits with [`ManualControl::settle`] until the
/// other thread has done everything due and is waiting again, and then looks at the
/// result. Timelines come out exact, as on a [`VirtualClock`](crate::VirtualClock).
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::{ManualClock, Player};
///
/// let (clock, control) = ManualClock::new();
/// let player = Player::spawn(Recorder::new(1), clock).unwrap();
/// player.handle().play(blink(0, ms(100)).times(2)).unwrap();
/// control.settle();
/// for step in [100, 100, 50] {
///     control.advance(ms(step));
///     control.settle();
/// }
/// // A jump over several deadlines is served in one write, as on a late real clock;
/// // the last line is the shutdown switching everything off.
/// let recorder = player.shutdown().unwrap();
/// recorder.assert_timeline("
///     0.000000 #
///     0.100000 .
///     0.200000 #
///     0.250000 .
/// ");
/// ```
pub struct ManualClock {
    shared: Arc<Shared>,
    seen: u32,
}

/// Moves a [`ManualClock`] and waits for its user; cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct ManualControl {
    shared: Arc<Shared>,
}

struct Shared {
    now: AtomicU64,
    interrupt: Interrupt,
    /// `1 + count` while the clock's user is blocked having answered `count`; 0 otherwise.
    waiting: AtomicU64,
}

impl ManualClock {
    /// A clock at [`Instant::ZERO`] and the control that moves it.
    pub fn new() -> (ManualClock, ManualControl) {
        let shared = Arc::new(Shared {
            now: AtomicU64::new(0),
            interrupt: Interrupt::new(),
            waiting: AtomicU64::new(0),
        });
        let control = ManualControl { shared: Arc::clone(&shared) };
        (ManualClock { shared, seen: 0 }, control)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        Instant::from_nanos(self.shared.now.load(Ordering::Acquire))
    }

    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        loop {
            if self.shared.interrupt.pending(&mut self.seen)
                || deadline.is_some_and(|d| self.now() >= d)
            {
                return Ok(());
            }
            self.shared.waiting.store(1 + u64::from(self.seen), Ordering::Release);
            self.shared.interrupt.wait(self.seen, None);
            self.shared.waiting.store(0, Ordering::Release);
        }
    }

    fn interrupt(&self) -> Interrupt {
        self.shared.interrupt.clone()
    }
}

impl ManualControl {
    /// The clock's current instant.
    pub fn now(&self) -> Instant {
        Instant::from_nanos(self.shared.now.load(Ordering::Acquire))
    }

    /// Moves the clock forward by `d` and wakes its user.
    pub fn advance(&self, d: Duration) {
        let to = self.now() + d;
        self.shared.now.store(to.as_nanos(), Ordering::Release);
        self.shared.interrupt.interrupt();
    }

    /// Waits until the clock's user is blocked in [`Clock::sleep_until`] with every
    /// advance and interrupt answered: everything due so far has been done.
    ///
    /// # Panics
    ///
    /// If that does not happen within 30 s of real time (the other thread is stuck or
    /// gone); a safety net for tests, not a timing assertion.
    pub fn settle(&self) {
        let give_up = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let count = u64::from(self.shared.interrupt.count());
            if self.shared.waiting.load(Ordering::Acquire) == 1 + count {
                return;
            }
            assert!(
                std::time::Instant::now() < give_up,
                "ManualControl::settle: the clock's user did not go back to waiting within 30 s"
            );
            std::thread::sleep(Duration::from_micros(20));
        }
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock").field("now", &self.now()).finish_non_exhaustive()
    }
}

impl fmt::Debug for ManualControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualControl").field("now", &self.now()).finish_non_exhaustive()
    }
}
