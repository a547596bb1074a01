use core::time::Duration;

use crate::error::at_most_longest;
use crate::time::MIN_STEP;
use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError, ValidationErrorKind, Walk};

/// Walks LEDs forever. Built by [`cycle`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Cycle<P>(Walk<P>);

/// Walks `leds` in order, forever: each LED blinks once (on for `interval`, off for
/// `interval`), then the next; `forever(walk(leds, interval))`.
///
/// # Timing
///
/// Step `k` is due at `start + k·interval` across all passes, on a
/// [`Ticker`](crate::Ticker): after a stall the cycle jumps to the LED due now in O(1),
/// however many passes it missed.
///
/// # Errors
///
/// Validation refuses an empty list ([`ValidationErrorKind::NoLeds`]; the original
/// crashed), an interval shorter than [`MIN_STEP`](crate::MIN_STEP)
/// ([`ValidationErrorKind::StepTooShort`]) and one longer than
/// [`LONGEST`](crate::LONGEST).
///
/// # Panics
///
/// A run that skipped validation with no LEDs or a zero interval panics rather than
/// spinning.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
/// driver.run_for(&cycle(0..3, ms(100)), ms(700)).unwrap();
/// driver.output().assert_timeline("
///     0.000000 #..
///     0.100000 ...
///     0.200000 .#.
///     0.300000 ...
///     0.400000 ..#
///     0.500000 ...
///     0.600000 #..
///     0.700000 ...
/// ");
///
/// let empty = cycle(Leds::none(), ms(100));
/// let err = Animation::<bool>::validate(&empty, 3).unwrap_err();
/// assert_eq!(err.to_string(), "cycle: no LEDs to walk over; give it at least one LED");
/// ```
pub fn cycle<P: Pixel>(leds: impl Into<Leds>, interval: Duration) -> Cycle<P> {
    Cycle(crate::walk(leds, interval))
}

impl<P: Pixel> Cycle<P> {
    /// Lights the LEDs with `value` instead of [`Pixel::ON`].
    pub fn color(self, value: P) -> Cycle<P> {
        Cycle(self.0.color(value))
    }
}

impl<P: Pixel> Animation<P> for Cycle<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        assert!(
            !self.0.leds().is_empty() && !self.0.interval().is_zero(),
            "cycle: a run over no LEDs or with a zero interval would spin; validate first"
        );
        self.0.steps(cx, start, None).await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.0.leds().validate(len, "cycle")?;
        if self.0.leds().is_empty() {
            return Err(ValidationError::new("cycle", ValidationErrorKind::NoLeds));
        }
        at_most_longest("cycle", "the interval", self.0.interval())?;
        if self.0.interval() < MIN_STEP {
            let kind = ValidationErrorKind::StepTooShort { step: self.0.interval() };
            return Err(ValidationError::new("cycle", kind));
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
