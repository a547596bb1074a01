use core::pin::pin;
use core::time::Duration;

use super::forever::{check_pass, validate_body};
use crate::time::mul;
use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// Runs an animation a number of times. Built by [`repeat`] or [`Animation::repeat`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Repeat<A> {
    times: u64,
    body: A,
}

/// Runs `body` `times` times, one after another, a fresh run each pass; `times = 0`
/// ends at once.
///
/// # Timing
///
/// Each pass starts at the previous pass's logical end. After a stall every missed pass
/// runs, as in [`forever`](crate::forever).
///
/// # Errors
///
/// With two passes or more, validation refuses a body that may take less than
/// [`MIN_STEP`](crate::MIN_STEP) a pass
/// ([`ValidationErrorKind::LoopMaySpin`](crate::ValidationErrorKind::LoopMaySpin)),
/// as [`forever`](crate::forever) does: `repeat(u64::MAX, off(0))` would otherwise spin
/// at one instant for centuries. One pass (or none) is not a loop and is accepted.
///
/// # Panics
///
/// With two passes or more, if a pass ends earlier than the body's
/// [`min_duration`](Animation::min_duration) promised; see [`forever`](crate::forever).
///
/// # Bounds
///
/// `times` × the body's bounds, saturating.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let program = repeat(2, walk([0, 1], ms(100)));
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(800));
/// driver.output().assert_timeline("
///     0.000000 #.
///     0.100000 ..
///     0.200000 .#
///     0.300000 ..
///     0.400000 #.
///     0.500000 ..
///     0.600000 .#
///     0.700000 ..
/// ");
/// ```
pub fn repeat<A>(times: u64, body: A) -> Repeat<A> {
    Repeat { times, body }
}

impl<A> Repeat<A> {
    pub(crate) fn new(times: u64, body: A) -> Repeat<A> {
        Repeat { times, body }
    }
}

impl<P: Pixel, A: Animation<P>> Animation<P> for Repeat<A> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let min = match self.times >= 2 {
            true => Some(self.body.min_duration()),
            false => None,
        };
        let mut t = start;
        for _ in 0..self.times {
            let end = pin!(self.body.run(cx, t)).await;
            if let Some(min) = min {
                check_pass("repeat", t, end, min);
            }
            t = end;
        }
        t
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        if self.times >= 2 {
            return validate_body(&self.body, len, "repeat");
        }
        let _nested = crate::error::nest("repeat")?;
        self.body.validate(len).map_err(|e| e.inside("repeat"))
    }

    fn min_duration(&self) -> Duration {
        match self.times {
            0 => Duration::ZERO,
            n => mul(self.body.min_duration(), n),
        }
    }

    fn max_duration(&self) -> Option<Duration> {
        match self.times {
            0 => Some(Duration::ZERO),
            n => self.body.max_duration().map(|d| mul(d, n)),
        }
    }
}
