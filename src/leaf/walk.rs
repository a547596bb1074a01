use core::time::Duration;

use crate::error::at_most_longest;
use crate::time::{MIN_STEP, mul};
use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError, ValidationErrorKind};

/// Blinks LEDs one after another, once each. Built by [`walk`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Walk<P> {
    leds: Leds,
    interval: Duration,
    value: P,
}

/// Walks `leds` in order, once: each LED on for `interval`, then off for `interval`,
/// then the next. Ends at `start + 2·interval·leds.len()`. [`cycle`](crate::cycle)
/// repeats it forever.
///
/// # Timing
///
/// Step `k` (LED `k / 2` on for even `k`, off for odd `k`) is due at
/// `start + k·interval`, on a [`Ticker`](crate::Ticker): after a stall the walk jumps
/// to the step due now in O(1).
///
/// # Errors
///
/// Validation refuses a walk over two LEDs or more whose interval is shorter than
/// [`MIN_STEP`](crate::MIN_STEP) ([`ValidationErrorKind::StepTooShort`]), and an
/// interval longer than [`LONGEST`](crate::LONGEST). A walk over one LED is a single
/// flash and may be as short as you like.
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
    pub fn color(mut self, value: P) -> Walk<P> {
        self.value = value;
        self
    }

    pub(crate) fn leds(&self) -> &Leds {
        &self.leds
    }

    pub(crate) fn interval(&self) -> Duration {
        self.interval
    }

    /// Plays the steps from `start`: `passes` walks over the LEDs (`None`: forever, which
    /// needs at least one LED). Returns the logical end. Shared with
    /// [`cycle`](crate::cycle), which walks forever and so must jump across passes as
    /// well as across steps.
    pub(crate) async fn steps(&self, cx: &Cx<P>, start: Instant, passes: Option<u64>) -> Instant {
        let _off = cx.off_on_drop(&self.leds);
        let per_pass = 2 * self.leds.len() as u64;
        let last = passes.map(|passes| passes.saturating_mul(per_pass));
        let mut ticker = cx.ticker(start, self.interval);
        let mut lit: Option<usize> = None;
        loop {
            let step = ticker.next().await;
            if let Some(last) = last.filter(|&last| step >= last) {
                return ticker.deadline(last);
            }
            let within = step % per_pass;
            if let Some(led) = lit.take() {
                cx.set(led, P::OFF);
            }
            if within % 2 == 0 {
                let led = self.leds[(within / 2) as usize];
                cx.set(led, self.value);
                lit = Some(led);
            }
        }
    }
}

impl<P: Pixel> Animation<P> for Walk<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        self.steps(cx, start, Some(1)).await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "walk")?;
        at_most_longest("walk", "the interval", self.interval)?;
        if self.leds.len() >= 2 && self.interval < MIN_STEP {
            let kind = ValidationErrorKind::StepTooShort { step: self.interval };
            return Err(ValidationError::new("walk", kind));
        }
        Ok(())
    }

    /// Exact: `2·interval·leds.len()`.
    fn min_duration(&self) -> Duration {
        mul(self.interval, 2 * self.leds.len() as u64)
    }

    /// Exact: `2·interval·leds.len()`.
    fn max_duration(&self) -> Option<Duration> {
        Some(self.min_duration())
    }
}
