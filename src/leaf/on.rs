use core::time::Duration;

use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError};

/// Holds LEDs on until cancelled. Built by [`on`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct On<P> {
    leds: Leds,
    value: P,
}

/// Switches `leds` on and holds them until the run is cancelled; never ends by itself.
///
/// # Cancellation
///
/// The LEDs go off at the instant the run is dropped: `on(x).timeout(d)` lights `x` for
/// exactly `d`.
///
/// # Examples
///
/// The talk's any-on demo, all LEDs on for half a second:
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
/// driver.run(&any((on(0..3), wait(ms(500))))).unwrap();
/// driver.output().assert_timeline("
///     0.000000 ###
///     0.500000 ...
/// ");
/// ```
pub fn on<P: Pixel>(leds: impl Into<Leds>) -> On<P> {
    On { leds: leds.into(), value: P::ON }
}

impl<P: Pixel> On<P> {
    /// Lights the LEDs with `value` instead of [`Pixel::ON`].
    pub fn color(mut self, value: P) -> On<P> {
        self.value = value;
        self
    }
}

impl<P: Pixel> Animation<P> for On<P> {
    async fn run(&self, cx: &Cx<P>, _start: Instant) -> Instant {
        let _off = cx.off_on_drop(&self.leds);
        cx.fill(&self.leds, self.value);
        core::future::pending().await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "on")
    }

    /// `Duration::MAX`: never ends by itself.
    fn min_duration(&self) -> Duration {
        Duration::MAX
    }

    /// `None`: never ends by itself.
    fn max_duration(&self) -> Option<Duration> {
        None
    }
}
