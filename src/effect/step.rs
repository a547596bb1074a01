//! What the effects share: the endless stepping loop and the checks of their parameters.

use core::fmt::Display;
use core::time::Duration;

use crate::error::at_most_longest;
use crate::{Cx, Instant, Leds, MIN_STEP, Pixel, ValidationError, ValidationErrorKind};

/// Draws step `k` with `draw(k)` at `start + k·speed`, forever, on a [`Ticker`](crate::Ticker)
/// (after a stall, the step due now, in O(1)); switches `leds` off when dropped.
pub(crate) async fn steps<P: Pixel>(
    cx: &Cx<P>,
    leds: &Leds,
    start: Instant,
    speed: Duration,
    mut draw: impl FnMut(u64),
) -> Instant {
    let _off = cx.off_on_drop(leds);
    let mut ticker = cx.ticker(start, speed);
    loop {
        draw(ticker.next().await);
    }
}

/// The checks every stepping effect makes: its LEDs are on the output and not none,
/// its speed is at least [`MIN_STEP`] and at most [`LONGEST`](crate::LONGEST).
pub(crate) fn check(
    part: &str,
    leds: &Leds,
    len: usize,
    speed: Duration,
) -> Result<(), ValidationError> {
    leds.validate(len, part)?;
    if leds.is_empty() {
        return Err(ValidationError::new(part, ValidationErrorKind::NoLeds));
    }
    at_most_longest(part, "the speed", speed)?;
    if speed < MIN_STEP {
        return Err(ValidationError::new(part, ValidationErrorKind::StepTooShort { step: speed }));
    }
    Ok(())
}

/// An [`InvalidParameter`](ValidationErrorKind::InvalidParameter) error.
pub(crate) fn invalid(
    part: &str,
    name: &'static str,
    value: impl Display,
    hint: impl Into<String>,
) -> ValidationError {
    let kind =
        ValidationErrorKind::InvalidParameter { name, value: value.to_string(), hint: hint.into() };
    ValidationError::new(part, kind)
}
