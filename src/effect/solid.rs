use core::time::Duration;

use crate::{Animation, Color, Cx, Instant, Leds, ValidationError, ValidationErrorKind};

/// One colour on every LED, until cancelled. Built by [`solid`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Solid<P> {
    leds: Leds,
    color: P,
}

/// Shows `color` on `leds` until cancelled: CircuitPython's `Solid`.
///
/// # Timing
///
/// The LEDs light at the logical start and hold; nothing else happens. (CircuitPython's
/// `Solid` is a one-colour `ColorCycle` that redraws the same pixels every second.)
///
/// # Errors
///
/// Validation refuses LED indices outside the output and an empty set of LEDs.
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
/// let red = RGB8::new(255, 0, 0);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
/// driver.run(&solid(0..2, red).timeout(secs(1))).unwrap();
/// let steps = driver.output().steps();
/// assert_eq!(&*steps[0].pixels, &[red, red, RGB8::OFF]);
/// assert_eq!(steps[1].at, Instant::ZERO + secs(1));
/// assert_eq!(&*steps[1].pixels, &[RGB8::OFF; 3]);
/// ```
pub fn solid<P: Color>(leds: impl Into<Leds>, color: P) -> Solid<P> {
    Solid { leds: leds.into(), color }
}

impl<P: Color> Animation<P> for Solid<P> {
    async fn run(&self, cx: &Cx<P>, _start: Instant) -> Instant {
        let _off = cx.off_on_drop(&self.leds);
        cx.fill(&self.leds, self.color);
        core::future::pending().await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.leds.validate(len, "solid")?;
        match self.leds.is_empty() {
            true => Err(ValidationError::new("solid", ValidationErrorKind::NoLeds)),
            false => Ok(()),
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
