use core::marker::PhantomData;
use core::time::Duration;

use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError};

/// Switches LEDs off. Built by [`off`].
///
/// The pixel type `P` is the type of "off" written ([`Pixel::OFF`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "animations do nothing unless played"]
pub struct Off<P = bool> {
    leds: Leds,
    pixel: PhantomData<fn() -> P>,
}

/// Switches `leds` off and ends at once.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// let program = fill(0..2, true).then(wait(ms(10))).then(off(1)).then(wait(ms(10)));
/// driver.run(&program).unwrap();
/// driver.output().assert_timeline("
///     0.000000 ##
///     0.010000 #.
/// ");
/// ```
pub fn off<P: Pixel>(leds: impl Into<Leds>) -> Off<P> {
    Off { leds: leds.into(), pixel: PhantomData }
}

impl<P: Pixel> Animation<P> for Off<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        cx.fill(&self.leds, P::OFF);
        start
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "off")
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
