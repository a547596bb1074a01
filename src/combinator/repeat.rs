use core::time::Duration;

use super::forever::run_passes;
use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// Runs an animation a number of times. Built by [`repeat`] or [`Animation::repeat`].
#[derive(Debug, Clone, PartialEq)]
pub struct Repeat<A> {
    times: u64,
    body: A,
}

/// Runs `body` `times` times, one after another, a fresh run each pass; `times = 0`
/// ends at once.
///
/// # Timing
///
/// Each pass starts at the previous pass's logical end.
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
        run_passes(&self.body, cx, start, Some(self.times), "repeat").await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.body.validate(len).map_err(|e| e.inside("repeat"))
    }

    fn max_duration(&self) -> Option<Duration> {
        match self.times {
            0 => Some(Duration::ZERO),
            n => self.body.max_duration().map(|d| crate::time::mul(d, n)),
        }
    }
}
