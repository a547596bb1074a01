use core::time::Duration;

use super::step::{check, invalid, steps};
use crate::error::at_most_longest;
use crate::time::mul;
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// Every LED fading up and down in one colour: breathing. Built by [`pulse`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Pulse<P> {
    leds: Leds,
    speed: Duration,
    color: P,
    period: Duration,
    breath: Duration,
    min: f64,
    max: f64,
}

/// Fills `leds` with `color` scaled by an intensity that rises and falls in a triangle,
/// redrawn every `speed`: CircuitPython's `Pulse`.
///
/// One cycle lasts `period + 2·breath` (defaults 5 s and 0): held at `min_intensity`
/// (default 0) for half a breath, rising linearly, held at `max_intensity` (default 1)
/// for a breath, falling, held at the minimum for half a breath. The colour bytes are
/// scaled with truncation ([`Color::scale`]; a [`Dot`](crate::Dot) keeps its
/// brightness). As in CircuitPython, the curve is computed on whole milliseconds:
/// the cycle is `int((period + 2·breath) in ms)`, its halves rounded down, the elapsed
/// time counted in whole milliseconds. (CircuitPython adds the seconds as floats
/// before truncating, which loses a millisecond for some values: `period=1.001,
/// breath=0.301` gives a cycle of 1602 ms there and 1603 ms here.)
///
/// # Timing
///
/// Step `k` is drawn at `start + k·speed` with the intensity of elapsed time `k·speed`
/// (its logical time, not the time of the wake-up), on a [`Ticker`](crate::Ticker): no
/// drift, and after a stall the step due now. CircuitPython draws when
/// `now >= next_update`, sets `next_update = now + speed` and uses the time of the
/// wake-up, so its pulse drifts; at the instants `k·speed` both show the same pixels
/// (tested against `adafruit_led_animation` 2.12.6).
///
/// # Errors
///
/// Validation refuses LED indices outside the output, no LEDs, a speed shorter than
/// [`MIN_STEP`](crate::MIN_STEP), durations longer than [`LONGEST`](crate::LONGEST), a
/// period shorter than 2 ms and intensities outside `0 ≤ min ≤ max ≤ 1`
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
/// let red = RGB8::new(200, 0, 0);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
/// driver.run(&pulse(0, ms(250), red).period(secs(1)).timeout(secs(1))).unwrap();
/// let reds: Vec<u8> = driver.output().steps().iter().map(|s| s.pixels[0].r).collect();
/// // Intensity 0, 0.5, 1, 0.5 at 0, 0.25, 0.5, 0.75 s; off when cancelled at 1 s.
/// assert_eq!(reds, [0, 100, 200, 100, 0]);
/// ```
pub fn pulse<P: Color>(leds: impl Into<Leds>, speed: Duration, color: P) -> Pulse<P> {
    Pulse {
        leds: leds.into(),
        speed,
        color,
        period: Duration::from_secs(5),
        breath: Duration::ZERO,
        min: 0.0,
        max: 1.0,
    }
}

impl<P: Color> Pulse<P> {
    /// The time to rise and fall, holds excluded (default 5 s).
    pub fn period(mut self, period: Duration) -> Pulse<P> {
        self.period = period;
        self
    }

    /// How long the pulse holds at the maximum, and in total at the minimum (default 0).
    pub fn breath(mut self, breath: Duration) -> Pulse<P> {
        self.breath = breath;
        self
    }

    /// The lowest intensity, `0.0..=1.0` (default 0).
    pub fn min_intensity(mut self, min: f64) -> Pulse<P> {
        self.min = min;
        self
    }

    /// The highest intensity, `0.0..=1.0` (default 1).
    pub fn max_intensity(mut self, max: f64) -> Pulse<P> {
        self.max = max;
        self
    }

    /// CircuitPython's `pulse_generator` at `elapsed`, in whole milliseconds.
    fn intensity(&self, elapsed: Duration) -> f64 {
        let breath = self.breath.as_millis();
        let period = self.period.as_millis() + 2 * breath;
        let half_breath = breath / 2;
        let half_period = period / 2;
        let mut pos = elapsed.as_millis() % period;
        if pos > half_period {
            pos = period - pos;
        }
        if pos < half_breath {
            self.min
        } else if pos > half_period - half_breath {
            self.max
        } else {
            let rise = (pos - half_breath) as f64 / (half_period - half_breath * 2) as f64;
            self.min + rise * (self.max - self.min)
        }
    }
}

impl<P: Color> Animation<P> for Pulse<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        steps(cx, &self.leds, start, self.speed, |k| {
            let intensity = self.intensity(mul(self.speed, k));
            cx.fill(&self.leds, self.color.scale(intensity));
        })
        .await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("pulse", &self.leds, len, self.speed)?;
        at_most_longest("pulse", "the period", self.period)?;
        at_most_longest("pulse", "the breath", self.breath)?;
        if self.period < Duration::from_millis(2) {
            let value = format!("{:?}", self.period);
            return Err(invalid("pulse", "period", value, "use at least 2ms"));
        }
        if !(0.0..=1.0).contains(&self.min) {
            return Err(invalid("pulse", "min_intensity", self.min, "use 0.0 to 1.0"));
        }
        if !(self.min..=1.0).contains(&self.max) {
            let hint = format!("use {} (min_intensity) to 1.0", self.min);
            return Err(invalid("pulse", "max_intensity", self.max, hint));
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
