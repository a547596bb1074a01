use core::time::Duration;

use crate::error::at_most_longest;
use crate::time::{MIN_STEP, mul};
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError, ValidationErrorKind};

/// A fade from one colour to another. Built by [`fade`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Fade<P> {
    leds: Leds,
    from: P,
    to: P,
    duration: Duration,
    step: Duration,
}

/// Fades `leds` from `from` to `to` over `duration`, redrawn every
/// [`step`](Fade::step) (default 20 ms, 50 frames a second), then ends.
///
/// Step `k` shows [`Color::lerp`]`(from, to, k·step / duration)`: `from` exactly at the
/// start and, at `start + duration`, `to` exactly. (CircuitPython's
/// `adafruit_led_animation` 2.12.6 has no fade.)
///
/// # Timing
///
/// Step `k` is drawn at `start + k·step`, on a [`Ticker`](crate::Ticker): no drift, and
/// after a stall the step due now. The fade ends at `start + duration` (whatever the
/// step), where it switches its LEDs off like every leaf that ends; what comes next in
/// a [`sequence`](crate::sequence) writes at that same instant, in the same frame, so
/// `fade(leds, a, b, d).then(solid(leds, b))` holds `b` without a dark frame.
///
/// # Errors
///
/// Validation refuses LED indices outside the output, a duration or step longer than
/// [`LONGEST`](crate::LONGEST), and a step shorter than
/// [`MIN_STEP`](crate::MIN_STEP) ([`ValidationErrorKind::StepTooShort`]) unless the
/// fade takes a single step.
///
/// # Cancellation
///
/// The LEDs go off when the run is dropped or ends.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let (black, white) = (RGB8::OFF, RGB8::new(200, 200, 200));
/// let program = fade(0, black, white, ms(400)).step(ms(100)).then(solid(0, white));
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
/// driver.run(&program.timeout(secs(1))).unwrap();
/// let shown: Vec<(u64, u8)> = driver.output().steps().iter()
///     .map(|s| (s.at.as_nanos() / 1_000_000, s.pixels[0].r))
///     .collect();
/// assert_eq!(shown, [(0, 0), (100, 50), (200, 100), (300, 150), (400, 200), (1000, 0)]);
/// ```
pub fn fade<P: Color>(leds: impl Into<Leds>, from: P, to: P, duration: Duration) -> Fade<P> {
    Fade { leds: leds.into(), from, to, duration, step: Duration::from_millis(20) }
}

impl<P: Color> Fade<P> {
    /// The time between two frames (default 20 ms).
    pub fn step(mut self, step: Duration) -> Fade<P> {
        self.step = step;
        self
    }

    /// How many frames before the end: `ceil(duration / step)`.
    fn frames(&self) -> u64 {
        match self.step.as_nanos() {
            0 => 1,
            step => u64::try_from(self.duration.as_nanos().div_ceil(step)).unwrap_or(u64::MAX),
        }
    }
}

impl<P: Color> Animation<P> for Fade<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let _off = cx.off_on_drop(&self.leds);
        let frames = self.frames();
        let mut ticker = cx.ticker(start, self.step);
        loop {
            // Step k is due before the end exactly when k < frames.
            let k = ticker.next().await;
            if k >= frames {
                break; // only after a stall that went past the end
            }
            let t = mul(self.step, k).as_nanos() as f64 / self.duration.as_nanos() as f64;
            cx.fill(&self.leds, P::lerp(self.from, self.to, t));
            if k + 1 >= frames {
                break;
            }
        }
        cx.sleep_until(start + self.duration).await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "fade")?;
        at_most_longest("fade", "the duration", self.duration)?;
        at_most_longest("fade", "the step", self.step)?;
        if self.frames() > 1 && self.step < MIN_STEP {
            let kind = ValidationErrorKind::StepTooShort { step: self.step };
            return Err(ValidationError::new("fade", kind));
        }
        Ok(())
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
