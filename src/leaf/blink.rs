use core::time::Duration;

use crate::error::at_most_longest;
use crate::time::{MIN_STEP, mul};
use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError, ValidationErrorKind};

/// Switches LEDs on and off in rounds. Built by [`blink`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
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
/// After a stall (a real clock that woke late), the blink jumps to the round and phase
/// due now, computed from the logical start in O(1): a stall of an hour costs what a
/// stall of one period does, and the LEDs show what they would have shown on time.
///
/// # Errors
///
/// Validation refuses a blink that repeats (no `times`, or `times` of 2 or more)
/// with a period (on + off) shorter than [`MIN_STEP`](crate::MIN_STEP)
/// ([`ValidationErrorKind::PeriodTooShort`]), and an on or off time longer than
/// [`LONGEST`](crate::LONGEST) ([`ValidationErrorKind::TooLong`]). A single round
/// (`times(1)`) may be as short as you like.
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
    pub fn times(mut self, times: u64) -> Blink<P> {
        self.times = Some(times);
        self
    }

    /// Keeps the LEDs off for `off` in each round instead of the on interval.
    pub fn off_for(mut self, off: Duration) -> Blink<P> {
        self.off = off;
        self
    }

    /// Lights the LEDs with `value` instead of [`Pixel::ON`].
    pub fn color(mut self, value: P) -> Blink<P> {
        self.value = value;
        self
    }

    fn period(&self) -> Duration {
        self.on.saturating_add(self.off)
    }
}

impl<P: Pixel> Blink<P> {
    /// The instant of edge `e`: edge `2r` switches round `r` on, edge `2r + 1` off.
    /// `period` and `on` are the period and the on time in nanoseconds, computed once a
    /// run. Saturating, as `start.add_times(period, r) + on` is.
    fn edge_at(start: Instant, period: u128, on: u128, e: u64) -> Instant {
        let offset = period.saturating_mul(u128::from(e / 2));
        let offset = if e % 2 == 0 { offset } else { offset.saturating_add(on) };
        Instant::from_nanos(
            start.as_nanos().saturating_add(u64::try_from(offset).unwrap_or(u64::MAX)),
        )
    }

    /// The last edge due at `now`, in O(1) (0 for a zero period: no skipping).
    fn edge_due(&self, start: Instant, period: Duration, now: Instant) -> u64 {
        let period = period.as_nanos();
        if period == 0 {
            return 0;
        }
        let elapsed = (now - start).as_nanos();
        let round = u64::try_from(elapsed / period).unwrap_or(u64::MAX);
        let off = u64::from(elapsed % period >= self.on.as_nanos());
        round.saturating_mul(2).saturating_add(off)
    }
}

impl<P: Pixel> Animation<P> for Blink<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let _off = cx.off_on_drop(&self.leds);
        let period = self.period();
        let (period_ns, on_ns) = (period.as_nanos(), self.on.as_nanos());
        // The run ends at edge 2·times, the on edge of the first round not played.
        let last = self.times.map(|times| times.saturating_mul(2));
        let mut edge = self.edge_due(start, period, cx.now());
        while last.is_none_or(|last| edge < last) {
            cx.fill(&self.leds, if edge % 2 == 0 { self.value } else { P::OFF });
            let next = edge.saturating_add(1);
            let due = cx.sleep_until(Self::edge_at(start, period_ns, on_ns, next)).await;
            // Late? Jump to the edge due now (one division); on time, this is `next`.
            edge = match cx.now() == due {
                true => next,
                false => self.edge_due(start, period, cx.now()).max(next),
            };
        }
        start.add_times(period, self.times.unwrap_or(u64::MAX))
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "blink")?;
        at_most_longest("blink", "the on time", self.on)?;
        at_most_longest("blink", "the off time", self.off)?;
        let repeats = self.times.is_none_or(|times| times >= 2);
        if repeats && self.period() < MIN_STEP {
            let kind = ValidationErrorKind::PeriodTooShort { on: self.on, off: self.off };
            return Err(ValidationError::new("blink", kind));
        }
        Ok(())
    }

    /// Exact: `times·(on + off)`; `Duration::MAX` (never ends) without `times`.
    fn min_duration(&self) -> Duration {
        self.times.map_or(Duration::MAX, |times| mul(self.period(), times))
    }

    /// Exact: `times·(on + off)`; `None` (never ends) without `times`.
    fn max_duration(&self) -> Option<Duration> {
        self.times.map(|times| mul(self.period(), times))
    }
}
