use core::time::Duration;

use super::step::{check, invalid, steps};
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// Every LED in one colour, the next colour each step. Built by [`color_cycle`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct ColorCycle<P> {
    leds: Leds,
    speed: Duration,
    colors: Vec<P>,
    start_color: usize,
}

/// Fills `leds` with `colors[0]`, then `colors[1]` one `speed` later, and so on round
/// the list, forever: CircuitPython's `ColorCycle`.
///
/// # Timing
///
/// Step `k` shows `colors[(start_color + k) % colors.len()]` at `start + k·speed`, on a
/// [`Ticker`](crate::Ticker): no drift, and after a stall the colour due now. CircuitPython
/// draws a step when `now >= next_update` and then sets `next_update = now + speed`, so
/// each late wake-up delays all later steps; at the instants `k·speed` the two show the
/// same colours (tested against `adafruit_led_animation` 2.12.6).
///
/// # Errors
///
/// Validation refuses LED indices outside the output, no LEDs, a speed shorter than
/// [`MIN_STEP`](crate::MIN_STEP) or longer than [`LONGEST`](crate::LONGEST), no colours
/// and a `start_color` outside the list
/// ([`ValidationErrorKind::InvalidParameter`](crate::ValidationErrorKind::InvalidParameter)).
///
/// # Cancellation
///
/// The LEDs go off when the run is dropped.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let (red, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 0, 255));
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(2), VirtualClock::new());
/// driver.run(&color_cycle(0..2, ms(100), [red, blue]).timeout(ms(300))).unwrap();
/// let steps = driver.output().steps();
/// let shown: Vec<_> = steps.iter().map(|s| (s.at.as_nanos() / 1_000_000, s.pixels[0])).collect();
/// assert_eq!(shown, [(0, red), (100, blue), (200, red), (300, RGB8::OFF)]);
/// ```
pub fn color_cycle<P: Color>(
    leds: impl Into<Leds>,
    speed: Duration,
    colors: impl IntoIterator<Item = P>,
) -> ColorCycle<P> {
    ColorCycle { leds: leds.into(), speed, colors: colors.into_iter().collect(), start_color: 0 }
}

impl<P: Color> ColorCycle<P> {
    /// Starts at `colors[index]` instead of the first colour.
    pub fn start_color(mut self, index: usize) -> ColorCycle<P> {
        self.start_color = index;
        self
    }

    /// The colour of step `k`.
    fn color(&self, k: u64) -> P {
        let len = self.colors.len() as u64;
        self.colors[((self.start_color as u64 % len + k % len) % len) as usize]
    }
}

impl<P: Color> Animation<P> for ColorCycle<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        steps(cx, &self.leds, start, self.speed, |k| cx.fill(&self.leds, self.color(k))).await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("color_cycle", &self.leds, len, self.speed)?;
        if self.colors.is_empty() {
            return Err(invalid("color_cycle", "colors", "[]", "give it at least one colour"));
        }
        if self.start_color >= self.colors.len() {
            let hint = format!("use 0..={} (an index into the colours)", self.colors.len() - 1);
            return Err(invalid("color_cycle", "start_color", self.start_color, hint));
        }
        Ok(())
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
