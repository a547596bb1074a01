use core::time::Duration;

use super::step::{check, invalid, steps};
use crate::error::at_most_longest;
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// The colour wheel spread over the LEDs, turning. Built by [`rainbow`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Rainbow<P> {
    leds: Leds,
    speed: Duration,
    wheel: Wheel,
    _pixel: core::marker::PhantomData<P>,
}

/// The colour wheel ([`Color::wheel`]) along `leds`, turning once every `period`
/// (default 5 s), redrawn every `speed`: CircuitPython's `Rainbow`.
///
/// The wheel is the positions `0, step, 2·step, ... < 256` (`step` default 1); LED `i`
/// shows position `(offset + i) % len` of it, where at elapsed time `t` the offset is
/// `int((t mod period) / period · len)`, computed in `f64` as CircuitPython does.
///
/// # Timing
///
/// Step `k` is drawn at `start + k·speed` with `t = k·speed` (its logical time, not
/// the time the wake-up happened), on a [`Ticker`](crate::Ticker): no drift, and after
/// a stall the step due now. CircuitPython draws when `now >= next_update`, sets
/// `next_update = now + speed`, and uses the time of the wake-up; it keeps the period
/// in whole milliseconds (blinken uses it exactly). At the instants `k·speed`, with
/// periods in whole milliseconds, both show the same pixels (tested against
/// `adafruit_led_animation` 2.12.6).
///
/// # Errors
///
/// Validation refuses LED indices outside the output, no LEDs, a speed shorter than
/// [`MIN_STEP`](crate::MIN_STEP), a speed or period longer than
/// [`LONGEST`](crate::LONGEST), a period of zero and a step of zero
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
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
/// driver.run(&rainbow(0..3, ms(100)).period(secs(1)).step(85).timeout(ms(350))).unwrap();
/// let steps = driver.output().steps();
/// // The wheel of step 85 is red, green, blue (and red again at 255).
/// let (r, g, b) = (RGB8::new(255, 0, 0), RGB8::new(0, 255, 0), RGB8::new(0, 0, 255));
/// assert_eq!(&*steps[0].pixels, &[r, g, b]);
/// // The offset is int(0.1 · 4) = 0 at 0.1 s, int(0.8) = 0 at 0.2 s, int(1.2) = 1 at 0.3 s.
/// assert_eq!(steps[1].at, Instant::ZERO + ms(300));
/// assert_eq!(&*steps[1].pixels, &[g, b, r]);
/// ```
pub fn rainbow<P: Color>(leds: impl Into<Leds>, speed: Duration) -> Rainbow<P> {
    let wheel = Wheel { period: Duration::from_secs(5), step: 1 };
    Rainbow { leds: leds.into(), speed, wheel, _pixel: core::marker::PhantomData }
}

impl<P: Color> Rainbow<P> {
    /// How long the wheel takes to turn once (default 5 s).
    pub fn period(mut self, period: Duration) -> Rainbow<P> {
        self.wheel.period = period;
        self
    }

    /// The distance between two neighbouring colours on the wheel (default 1).
    pub fn step(mut self, step: u8) -> Rainbow<P> {
        self.wheel.step = step;
        self
    }
}

impl<P: Color> Animation<P> for Rainbow<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let colors: Vec<P> = self.wheel.colors();
        let n = self.leds.len();
        steps(cx, &self.leds, start, self.speed, |k| {
            let offset = self.wheel.offset(crate::time::mul(self.speed, k), colors.len());
            // LED i shows colors[(offset + i) % len]: the wheel from `offset` on, round
            // and round (no division per LED).
            cx.set_all(&self.leds, Wheel::turned(&colors, offset).take(n));
        })
        .await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("rainbow", &self.leds, len, self.speed)?;
        self.wheel.validate("rainbow")
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

/// A turning colour wheel, shared with [`RainbowSparkle`](crate::effect::RainbowSparkle).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wheel {
    pub(crate) period: Duration,
    pub(crate) step: u8,
}

impl Wheel {
    pub(crate) fn validate(&self, part: &str) -> Result<(), ValidationError> {
        at_most_longest(part, "the period", self.period)?;
        if self.period.is_zero() {
            return Err(invalid(part, "period", "0s", "the wheel needs some time to turn"));
        }
        if self.step == 0 {
            return Err(invalid(part, "step", 0, "use a step of 1 to 255 on the wheel"));
        }
        Ok(())
    }

    /// The wheel's positions `0, step, ... < 256`.
    pub(crate) fn colors<P: Color>(&self) -> Vec<P> {
        (0..=255u8).step_by(usize::from(self.step)).map(P::wheel).collect()
    }

    /// The positions `colors[start % len]`, `colors[(start + 1) % len]`, ..., without
    /// end.
    pub(crate) fn turned<P: Copy>(colors: &[P], start: usize) -> impl Iterator<Item = P> + '_ {
        let start = start % colors.len();
        colors[start..].iter().chain(colors.iter().cycle()).copied()
    }

    /// CircuitPython's `wheel_index` at `elapsed`: `int((pos / period) * len)`.
    pub(crate) fn offset(&self, elapsed: Duration, len: usize) -> usize {
        let period = self.period.as_nanos();
        let pos = elapsed.as_nanos() % period;
        ((pos as f64 / period as f64) * len as f64) as usize
    }
}
