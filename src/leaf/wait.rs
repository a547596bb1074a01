use core::time::Duration;

use crate::{Animation, Cx, Instant, Pixel};

/// Does nothing for a while. Built by [`wait`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    duration: Duration,
}

/// Does nothing for `duration` (the talk's `sleep`): ends at `start + duration`.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// assert_eq!(driver.run(&wait(secs(3))).unwrap(), Instant::ZERO + secs(3));
/// ```
pub fn wait(duration: Duration) -> Wait {
    Wait { duration }
}

impl<P: Pixel> Animation<P> for Wait {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        cx.sleep_until(start + self.duration).await
    }

    fn max_duration(&self) -> Option<Duration> {
        Some(self.duration)
    }
}
