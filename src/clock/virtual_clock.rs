use super::{Clock, Idle};
use crate::Instant;

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

    fn is_virtual(&self) -> bool {
        true
    }
}
