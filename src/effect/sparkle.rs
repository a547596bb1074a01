use core::time::Duration;

use super::random::SplitMix64;
use super::step::{check, invalid};
use crate::{Animation, Color, Cx, Instant, Leds, RGB8, ValidationError};

/// Random LEDs flashing in one colour and staying dimly lit. Built by [`sparkle`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Sparkle<P> {
    leds: Leds,
    speed: Duration,
    color: P,
    sparkles: usize,
    seed: u64,
}

/// Every `speed`, `num_sparkles` (default 1) random LEDs of `leds` light in `color`;
/// at the next step they dim to a quarter (each byte `c / 4`, rounded down) and stay so:
/// CircuitPython's `Sparkle`. The LEDs start dark.
///
/// The LEDs are chosen by a small generator of its own (SplitMix64) from the
/// [`seed`](Sparkle::seed) (default 0) and the step's index: every run with the same
/// seed shows the same sparkles at the same steps. They cannot be CircuitPython's,
/// which come from Python's `random`.
///
/// # Timing
///
/// Step `k` is drawn at `start + k·speed`, on a [`Ticker`](crate::Ticker): no drift.
/// A sparkle shows in full colour from its step to the next one. (CircuitPython shows
/// it and dims it at once, two `show()`s in one step, so it is lit for as long as
/// writing the strip takes; here one instant is one write, so the bright frame holds
/// for a step.) CircuitPython's steps drift (`next = now + speed`). After a stall,
/// the step due now is drawn, and the sparkles of at most `8·leds.len()` missed steps
/// are dimmed in, so catching up costs a bounded amount of work.
///
/// # Errors
///
/// Validation refuses LED indices outside the output, no LEDs, a speed shorter than
/// [`MIN_STEP`](crate::MIN_STEP) or longer than [`LONGEST`](crate::LONGEST), and no
/// sparkles
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
/// let white = RGB8::new(200, 200, 200);
/// let effect = sparkle(0..10, ms(100), white).num_sparkles(2).seed(42);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(10), VirtualClock::new());
/// driver.run(&effect.timeout(secs(1))).unwrap();
/// let steps = driver.output().steps();
/// for step in &steps[..steps.len() - 1] {
///     let bright = step.pixels.iter().filter(|&&p| p == white).count();
///     assert!((1..=2).contains(&bright));
///     assert!(step.pixels.iter().all(|&p| [white, RGB8::new(50, 50, 50), RGB8::OFF].contains(&p)));
/// }
/// ```
pub fn sparkle<P: Color>(leds: impl Into<Leds>, speed: Duration, color: P) -> Sparkle<P> {
    Sparkle { leds: leds.into(), speed, color, sparkles: 1, seed: 0 }
}

impl<P: Color> Sparkle<P> {
    /// How many LEDs sparkle at each step (default 1; the same LED may be drawn twice).
    pub fn num_sparkles(mut self, sparkles: usize) -> Sparkle<P> {
        self.sparkles = sparkles;
        self
    }

    /// The seed of the sparkles' randomness (default 0).
    pub fn seed(mut self, seed: u64) -> Sparkle<P> {
        self.seed = seed;
        self
    }

    fn sparkles(&self, k: u64) -> impl Iterator<Item = usize> + use<P> {
        let mut random = SplitMix64::for_step(self.seed, k);
        let n = self.leds.len();
        (0..self.sparkles).map(move |_| random.below(n))
    }
}

impl<P: Color> Animation<P> for Sparkle<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let _off = cx.off_on_drop(&self.leds);
        let c = self.color.rgb();
        let dim = self.color.with_rgb(RGB8::new(c.r / 4, c.g / 4, c.b / 4));
        let mut ticker = cx.ticker(start, self.speed);
        let cap = 8 * self.leds.len() as u64;
        let mut shown: Option<u64> = None; // the step whose sparkles are lit
        loop {
            let k = ticker.next().await;
            // Dim what was lit, and what the missed steps (at most `cap`) would have lit.
            let missed = shown.map_or(0, |j| j + 1);
            let dimmed = shown.into_iter().chain(missed.max(k.saturating_sub(cap))..k);
            for j in dimmed {
                self.sparkles(j).for_each(|p| cx.set(self.leds[p], dim));
            }
            self.sparkles(k).for_each(|p| cx.set(self.leds[p], self.color));
            shown = Some(k);
        }
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("sparkle", &self.leds, len, self.speed)?;
        match self.sparkles {
            0 => Err(invalid("sparkle", "num_sparkles", 0, "sparkle at least 1 LED a step")),
            _ => Ok(()),
        }
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
