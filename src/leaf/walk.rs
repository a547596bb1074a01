use core::time::Duration;

use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError};

/// Blinks LEDs one after another, once each. Built by [`walk`].
#[derive(Debug, Clone, PartialEq)]
pub struct Walk<P> {
    leds: Leds,
    interval: Duration,
    value: P,
}

/// Walks `leds` in order, once: each LED on for `interval`, then off for `interval`,
/// then the next. Ends at `start + 2·interval·leds.len()`. [`cycle`](crate::cycle)
/// repeats it forever.
///
/// # Cancellation
///
/// The LED being lit goes off when the run is dropped.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
/// let end = driver.run(&walk([2, 0], ms(100))).unwrap();
/// assert_eq!(end, Instant::ZERO + ms(400));
/// driver.output().assert_timeline("
///     0.000000 ..#
///     0.100000 ...
///     0.200000 #..
///     0.300000 ...
/// ");
/// ```
pub fn walk<P: Pixel>(leds: impl Into<Leds>, interval: Duration) -> Walk<P> {
    Walk { leds: leds.into(), interval, value: P::ON }
}

impl<P: Pixel> Walk<P> {
    /// Lights the LEDs with `value` instead of [`Pixel::ON`].
    #[must_use]
    pub fn color(mut self, value: P) -> Walk<P> {
        self.value = value;
        self
    }

    pub(crate) fn leds(&self) -> &Leds {
        &self.leds
    }
}

impl<P: Pixel> Animation<P> for Walk<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let _off = cx.off_on_drop(&self.leds);
        let mut step = 0;
        for &led in &self.leds {
            cx.set(led, self.value);
            step += 1;
            cx.sleep_until(start.add_times(self.interval, step)).await;
            cx.set(led, P::OFF);
            step += 1;
            cx.sleep_until(start.add_times(self.interval, step)).await;
        }
        start.add_times(self.interval, step)
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "walk")
    }

    fn max_duration(&self) -> Option<Duration> {
        Some(crate::time::mul(self.interval, 2 * self.leds.len() as u64))
    }
}
