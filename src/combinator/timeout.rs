use core::time::Duration;

use crate::error::at_most_longest;
use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::Poll;

use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// Cuts an animation after a time limit. Built by [`timeout`] or [`Animation::timeout`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Timeout<A> {
    limit: Duration,
    body: A,
}

/// Runs `body` for at most `limit`: `any((body, wait(limit)))`.
///
/// # Timing
///
/// Ends at the body's end or at `start + limit`, whichever is earlier; when the body
/// ends exactly at the limit it counts as having ended by itself.
///
/// # Cancellation
///
/// At the limit the body is dropped, so its LEDs go off at that instant.
///
/// # Errors
///
/// Validation refuses a limit longer than [`LONGEST`](crate::LONGEST)
/// ([`ValidationErrorKind::TooLong`](crate::ValidationErrorKind::TooLong)): for no limit,
/// play the body itself.
///
/// # Bounds
///
/// The body's bounds, capped at the limit: `min(limit, body.min)`,
/// `min(limit, body.max)`.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// let end = driver.run(&timeout(ms(250), blink(0, ms(100)))).unwrap();
/// assert_eq!(end, Instant::ZERO + ms(250));
/// driver.output().assert_timeline("
///     0.000000 #
///     0.100000 .
///     0.200000 #
///     0.250000 .
/// ");
/// ```
pub fn timeout<A>(limit: Duration, body: A) -> Timeout<A> {
    Timeout { limit, body }
}

impl<A> Timeout<A> {
    pub(crate) fn new(limit: Duration, body: A) -> Timeout<A> {
        Timeout { limit, body }
    }
}

impl<P: Pixel, A: Animation<P>> Animation<P> for Timeout<A> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        // `any((body, wait(limit)))`, written out: one future less per level keeps the
        // stack of deeply nested programs small in debug builds.
        let limit = start + self.limit;
        let mut body = pin!(self.body.run(cx, start));
        let mut wait = cx.sleep_until(limit);
        poll_fn(|task| {
            // The earliest logical end wins; on a tie the body (listed first).
            if let Poll::Ready(end) = body.as_mut().poll(task) {
                return Poll::Ready(end.min(limit));
            }
            Pin::new(&mut wait).poll(task)
        })
        .await
        // Returning drops the body: cut at the limit, its LEDs go off now.
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        let _nested = crate::error::nest("timeout")?;
        at_most_longest("timeout", "the limit", self.limit)?;
        self.body.validate(len).map_err(|e| e.inside("timeout"))
    }

    fn min_duration(&self) -> Duration {
        self.body.min_duration().min(self.limit)
    }

    fn max_duration(&self) -> Option<Duration> {
        Some(self.body.max_duration().map_or(self.limit, |d| d.min(self.limit)))
    }
}
