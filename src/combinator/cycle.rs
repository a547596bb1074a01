use core::time::Duration;

use super::forever::run_passes;
use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError, ValidationErrorKind, Walk};

/// Walks LEDs forever. Built by [`cycle`].
#[derive(Debug, Clone, PartialEq)]
pub struct Cycle<P>(Walk<P>);

/// Walks `leds` in order, forever: each LED blinks once (on for `interval`, off for
/// `interval`), then the next; `forever(walk(leds, interval))`.
///
/// # Errors
///
/// Validation refuses an empty list ([`ValidationErrorKind::NoLeds`]; the original
/// crashed) and a zero interval ([`ValidationErrorKind::ZeroLengthLoop`]).
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
    #[must_use]
    pub fn color(self, value: P) -> Cycle<P> {
        Cycle(self.0.color(value))
    }
}

impl<P: Pixel> Animation<P> for Cycle<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        run_passes(&self.0, cx, start, None, "cycle").await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.0.leds().validate(len, "cycle")?;
        if self.0.leds().is_empty() {
            return Err(ValidationError::new("cycle", ValidationErrorKind::NoLeds));
        }
        if self.0.max_duration() == Some(Duration::ZERO) {
            return Err(ValidationError::new("cycle", ValidationErrorKind::ZeroLengthLoop));
        }
        Ok(())
    }

    fn max_duration(&self) -> Option<Duration> {
        None
    }
}
