use std::sync::Arc;

use super::os::Counter;
use crate::Instant;

/// Wakes a clock's wait early, from any thread; cheap to clone.
///
/// A counter: [`Interrupt::interrupt`] bumps it and wakes every waiter; a clock
/// remembers the last count it answered, so an interrupt that arrives while it is not
/// waiting ends its next wait at once. Obtained from
/// [`Clock::interrupt`](crate::Clock::interrupt).
///
/// On Linux and Android the count is a futex word; elsewhere (and on Linux built with
/// `--cfg blinken_portable`) it is an atomic beside a `Mutex` and `Condvar`. Both
/// behave the same.
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
///
/// // An interrupt that arrives while the clock is not waiting ends its next wait.
/// clock.interrupt().interrupt();
/// clock.sleep_until(None).unwrap();
/// ```
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<Counter>);

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
        self.0.bump();
    }

    /// The current count.
    pub(crate) fn count(&self) -> u32 {
        self.0.count()
    }

    /// Whether the count moved past `seen`; updates `seen`.
    pub(crate) fn pending(&self, seen: &mut u32) -> bool {
        let now = self.count();
        core::mem::replace(seen, now) != now
    }

    /// Blocks while the count is `seen`, until `until` (an absolute instant on the
    /// [`SystemClock`](crate::SystemClock) timeline) or forever. Returns false when the
    /// deadline passed, true on any other wake-up.
    pub(crate) fn wait(&self, seen: u32, until: Option<Instant>) -> bool {
        self.0.wait(seen, until.filter(|&t| t != Instant::MAX).map(Instant::as_nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SystemClock;
    use core::time::Duration;

    #[test]
    fn a_wait_whose_count_already_moved_returns_at_once() {
        let interrupt = Interrupt::new();
        let seen = interrupt.count();
        interrupt.interrupt();
        assert!(interrupt.wait(seen, None), "the count moved: an interrupt, not a timeout");
    }

    #[test]
    fn a_past_deadline_is_a_timeout() {
        let interrupt = Interrupt::new();
        let past = Instant::from_nanos(SystemClock::monotonic_now().as_nanos() / 2);
        assert!(!interrupt.wait(interrupt.count(), Some(past)));
    }

    #[test]
    fn a_deadline_wait_ends_no_earlier_than_the_deadline() {
        let interrupt = Interrupt::new();
        let deadline = SystemClock::monotonic_now() + Duration::from_millis(2);
        // Spurious wake-ups return true; loop as the clocks do.
        while interrupt.wait(interrupt.count(), Some(deadline)) {}
        assert!(SystemClock::monotonic_now() >= deadline);
    }

    #[test]
    fn pending_reports_each_interrupt_once() {
        let interrupt = Interrupt::new();
        let mut seen = interrupt.count();
        assert!(!interrupt.pending(&mut seen));
        interrupt.interrupt();
        interrupt.interrupt();
        assert!(interrupt.pending(&mut seen));
        assert!(!interrupt.pending(&mut seen));
    }

    #[test]
    fn an_interrupt_wakes_every_waiter() {
        let interrupt = Interrupt::new();
        let seen = interrupt.count();
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let interrupt = interrupt.clone();
                std::thread::spawn(move || interrupt.wait(seen, None))
            })
            .collect();
        // Whether a waiter is already blocked or not, the count has moved for it.
        interrupt.interrupt();
        for waiter in waiters {
            assert!(waiter.join().unwrap());
        }
    }
}
