use core::marker::PhantomData;
use core::time::Duration;

use crate::error::at_most_longest;
use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// Does nothing for a while. Built by [`wait`].
///
/// The pixel type `P` only ties a `wait` to the program it sits in (it writes no
/// pixels), so that `wait(d).then(...)` infers it like any other leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "animations do nothing unless played"]
pub struct Wait<P = bool> {
    duration: Duration,
    pixel: PhantomData<fn() -> P>,
}

/// Does nothing for `duration` (the talk's `sleep`): ends at `start + duration`.
///
/// # Errors
///
/// Validation refuses a duration longer than [`LONGEST`](crate::LONGEST)
/// ([`ValidationErrorKind::TooLong`](crate::ValidationErrorKind::TooLong)): it would
/// run past the end of the timeline. To wait until cancelled, use
/// [`on`](crate::on) of no LEDs.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// assert_eq!(driver.run(&wait(secs(3))).unwrap(), Instant::ZERO + secs(3));
/// ```
pub fn wait<P: Pixel>(duration: Duration) -> Wait<P> {
    Wait { duration, pixel: PhantomData }
}

impl<P: Pixel> Animation<P> for Wait<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        cx.sleep_until(start + self.duration).await
    }

    fn validate(&self, _len: usize) -> Result<(), ValidationError> {
        at_most_longest("wait", "the wait", self.duration)
    }

    /// Exact: the duration.
    fn min_duration(&self) -> Duration {
        self.duration
    }

    /// Exact: the duration.
    fn max_duration(&self) -> Option<Duration> {
        Some(self.duration)
    }
}
