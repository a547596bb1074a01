use core::time::Duration;

use super::rainbow::Wheel;
use super::random::SplitMix64;
use super::step::{check, invalid, steps};
use crate::time::mul;
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// A dim turning rainbow with bright sparkles. Built by [`rainbow_sparkle`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct RainbowSparkle<P> {
    leds: Leds,
    speed: Duration,
    wheel: Wheel,
    sparkles: Option<usize>,
    background: f64,
    seed: u64,
    _pixel: core::marker::PhantomData<P>,
}

/// A [`rainbow`](crate::rainbow) at `background_brightness` (default 0.2, bytes
/// truncated) on which, every `speed`, `num_sparkles` random LEDs (default one per 20
/// LEDs, at least 1) show their rainbow colour at full brightness until the next step:
/// CircuitPython's `RainbowSparkle`.
///
/// The LEDs are chosen by a small generator of its own (SplitMix64) from the
/// [`seed`](RainbowSparkle::seed) (default 0) and the step's index: every run with the
/// same seed shows the same sparkles. They cannot be CircuitPython's, which come from
/// Python's `random`; the rainbow under them is the same.
///
/// # Timing
///
/// As [`rainbow`](crate::rainbow): step `k` at `start + k·speed` with the wheel of
/// elapsed time `k·speed`, no drift, and after a stall the step due now, in O(1).
/// CircuitPython's steps drift (`next = now + speed`).
///
/// # Errors
///
/// As [`rainbow`](crate::rainbow), and no sparkles or a background brightness outside
/// `0.0..=1.0`
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
/// let effect = rainbow_sparkle(0..3, ms(100)).step(85).seed(7);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
/// driver.run(&effect.timeout(ms(50))).unwrap();
/// // Red, green, blue at 0.2 (51), one of them at full brightness.
/// let frame = &driver.output().steps()[0].pixels;
/// let dim = [RGB8::new(51, 0, 0), RGB8::new(0, 51, 0), RGB8::new(0, 0, 51)];
/// let bright = [RGB8::new(255, 0, 0), RGB8::new(0, 255, 0), RGB8::new(0, 0, 255)];
/// assert_eq!((0..3).filter(|&i| frame[i] == bright[i]).count(), 1);
/// assert_eq!((0..3).filter(|&i| frame[i] == dim[i]).count(), 2);
/// ```
pub fn rainbow_sparkle<P: Color>(leds: impl Into<Leds>, speed: Duration) -> RainbowSparkle<P> {
    RainbowSparkle {
        leds: leds.into(),
        speed,
        wheel: Wheel { period: Duration::from_secs(5), step: 1 },
        sparkles: None,
        background: 0.2,
        seed: 0,
        _pixel: core::marker::PhantomData,
    }
}

impl<P: Color> RainbowSparkle<P> {
    /// How long the wheel takes to turn once (default 5 s).
    pub fn period(mut self, period: Duration) -> RainbowSparkle<P> {
        self.wheel.period = period;
        self
    }

    /// The distance between two neighbouring colours on the wheel (default 1).
    pub fn step(mut self, step: u8) -> RainbowSparkle<P> {
        self.wheel.step = step;
        self
    }

    /// How many LEDs sparkle at each step (default `max(1, leds / 20)`; the same LED
    /// may be drawn twice).
    pub fn num_sparkles(mut self, sparkles: usize) -> RainbowSparkle<P> {
        self.sparkles = Some(sparkles);
        self
    }

    /// The brightness of the rainbow under the sparkles, `0.0..=1.0` (default 0.2).
    pub fn background_brightness(mut self, brightness: f64) -> RainbowSparkle<P> {
        self.background = brightness;
        self
    }

    /// The seed of the sparkles' randomness (default 0).
    pub fn seed(mut self, seed: u64) -> RainbowSparkle<P> {
        self.seed = seed;
        self
    }
}

impl<P: Color> Animation<P> for RainbowSparkle<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let bright: Vec<P> = self.wheel.colors();
        let dim: Vec<P> = bright.iter().map(|c| c.scale(self.background)).collect();
        let n = self.leds.len();
        let sparkles = self.sparkles.unwrap_or((n / 20).max(1));
        steps(cx, &self.leds, start, self.speed, |k| {
            let offset = self.wheel.offset(mul(self.speed, k), bright.len());
            let at = |p: usize| (offset + p) % bright.len();
            cx.set_all(&self.leds, Wheel::turned(&dim, offset).take(n));
            let mut random = SplitMix64::for_step(self.seed, k);
            for _ in 0..sparkles {
                let p = random.below(n);
                cx.set(self.leds[p], bright[at(p)]);
            }
        })
        .await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("rainbow_sparkle", &self.leds, len, self.speed)?;
        self.wheel.validate("rainbow_sparkle")?;
        if self.sparkles == Some(0) {
            return Err(invalid(
                "rainbow_sparkle",
                "num_sparkles",
                0,
                "sparkle at least 1 LED a step",
            ));
        }
        if !(0.0..=1.0).contains(&self.background) {
            let value = self.background;
            return Err(invalid(
                "rainbow_sparkle",
                "background_brightness",
                value,
                "use 0.0 to 1.0",
            ));
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
