use core::time::Duration;

use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError};

/// Sets LEDs to a value. Built by [`fill`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Fill<P> {
    leds: Leds,
    value: P,
}

/// Sets `leds` to `value` and ends at once; the LEDs keep the value after the run
/// (unlike [`on`](crate::on), nothing switches them off).
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let green = RGB8::new(0, 255, 0);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
/// driver.run(&fill([0, 2], green)).unwrap();
/// assert_eq!(driver.shown(), &[green, RGB8::OFF, green]);
/// ```
pub fn fill<P: Pixel>(leds: impl Into<Leds>, value: P) -> Fill<P> {
    Fill { leds: leds.into(), value }
}

impl<P: Pixel> Animation<P> for Fill<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        cx.fill(&self.leds, self.value);
        start
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "fill")
    }

    /// Zero: ends at once.
    fn min_duration(&self) -> Duration {
        Duration::ZERO
    }

    /// Zero: ends at once.
    fn max_duration(&self) -> Option<Duration> {
        Some(Duration::ZERO)
    }
}
