use core::time::Duration;

use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError, ValidationErrorKind};

/// Switches LEDs on and off in rounds. Built by [`blink`].
#[derive(Debug, Clone, PartialEq)]
pub struct Blink<P> {
    leds: Leds,
    on: Duration,
    off: Duration,
    times: Option<u64>,
    value: P,
}

/// Blinks `leds`: on for `interval`, off for `interval`, forever (see
/// [`Blink::times`] for a count and [`Blink::off_for`] for a different off time).
///
/// # Timing
///
/// Round `k` switches on at `start + k·(on + off)` and off `on` later, computed from the
/// logical start: after an hour the N-th toggle is still due exactly at
/// `start + N·interval`. A finite blink ends at `start + times·(on + off)`, after the
/// last off time.
///
/// # Cancellation
///
/// The LEDs go off when the run is dropped, and a finite blink always ends with them off
/// (also `times(0)`, which ends at once).
///
/// # Examples
///
/// The talk's `blink(11, 0.1, 3)`:
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// let end = driver.run(&blink(0, ms(100)).times(3)).unwrap();
/// assert_eq!(end, Instant::ZERO + ms(600));
/// driver.output().assert_timeline("
///     0.000000 #.
///     0.100000 ..
///     0.200000 #.
///     0.300000 ..
///     0.400000 #.
///     0.500000 ..
/// ");
/// ```
///
/// Asymmetric, on a colour strip:
///
/// ```
/// use blinken::prelude::*;
///
/// let red = RGB8::new(255, 0, 0);
/// let flash = blink([0, 1], ms(50)).off_for(ms(950)).times(2).color(red);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(2), VirtualClock::new());
/// driver.run(&flash).unwrap();
/// let steps = driver.output().steps();
/// assert_eq!(steps.len(), 4);
/// assert_eq!(steps[2].at, Instant::ZERO + secs(1));
/// assert_eq!(&*steps[2].pixels, &[red, red]);
/// ```
pub fn blink<P: Pixel>(leds: impl Into<Leds>, interval: Duration) -> Blink<P> {
    Blink { leds: leds.into(), on: interval, off: interval, times: None, value: P::ON }
}

impl<P: Pixel> Blink<P> {
    /// Blinks `times` rounds, then ends (with the LEDs off).
    #[must_use]
    pub fn times(mut self, times: u64) -> Blink<P> {
        self.times = Some(times);
        self
    }

    /// Keeps the LEDs off for `off` in each round instead of the on interval.
    #[must_use]
    pub fn off_for(mut self, off: Duration) -> Blink<P> {
        self.off = off;
        self
    }

    /// Lights the LEDs with `value` instead of [`Pixel::ON`].
    #[must_use]
    pub fn color(mut self, value: P) -> Blink<P> {
        self.value = value;
        self
    }

    fn period(&self) -> Duration {
        self.on.saturating_add(self.off)
    }
}

impl<P: Pixel> Animation<P> for Blink<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let _off = cx.off_on_drop(&self.leds);
        let period = self.period();
        let mut round = 0;
        while self.times.is_none_or(|times| round < times) {
            let round_start = start.add_times(period, round);
            cx.fill(&self.leds, self.value);
            cx.sleep_until(round_start + self.on).await;
            cx.fill(&self.leds, P::OFF);
            round += 1;
            cx.sleep_until(start.add_times(period, round)).await;
        }
        start.add_times(period, round)
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "blink")?;
        if self.times.is_none() && self.period().is_zero() {
            let kind = ValidationErrorKind::ZeroInterval { on: self.on, off: self.off };
            return Err(ValidationError::new("blink", kind));
        }
        Ok(())
    }

    fn max_duration(&self) -> Option<Duration> {
        self.times.map(|times| crate::time::mul(self.period(), times))
    }
}
