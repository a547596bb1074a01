use core::time::Duration;

use super::step::{check, invalid, steps};
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// An eye sweeping to and fro with a fading trail (KITT's scanner). Built by
/// [`larson_scanner`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct LarsonScanner<P> {
    leds: Leds,
    speed: Duration,
    color: P,
    trail: usize,
}

/// An eye of `color` that moves one LED along `leds` every `speed`, turning round at
/// each end, followed by a trail of `trail` LEDs (default 3) where it has just been.
///
/// `adafruit_led_animation` 2.12.6 has no Larson scanner (its nearest is a bouncing
/// [`comet`](crate::comet)); this one is defined here. At step `k` the eye is at
/// `pos(k)`, which runs `0, 1, .., n−1, n−2, .., 1, 0, 1, ..` (period `2·(n − 1)` on
/// `n` LEDs); the LED where the eye was `d` steps ago (`d = 1..=trail`) shows the
/// colour scaled by `(trail + 1 − d) / (trail + 1)` ([`Color::scale`], truncated),
/// unless a brighter part is on it; every other LED is off. The trail therefore folds
/// back over the eye at the ends, as on the car.
///
/// # Timing
///
/// Step `k` is drawn at `start + k·speed`, on a [`Ticker`](crate::Ticker): no drift.
/// Each frame depends on `k` only, so after a stall the step due now is drawn at once.
///
/// # Errors
///
/// Validation refuses LED indices outside the output, no LEDs, a speed shorter than
/// [`MIN_STEP`](crate::MIN_STEP) or longer than [`LONGEST`](crate::LONGEST), and a
/// trail longer than `2·(n − 1)`, which would only repeat the sweep
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
/// let red = RGB8::new(255, 0, 0);
/// let scanner = larson_scanner(0..4, ms(100), red).trail(1);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(4), VirtualClock::new());
/// driver.run(&scanner.timeout(ms(750))).unwrap();
/// driver.output().assert_timeline("
///     0.000000 #...
///     0.100000 ##..
///     0.200000 .##.
///     0.300000 ..##
///     0.400000 ..##
///     0.500000 .##.
///     0.600000 ##..
///     0.700000 ##..
///     0.750000 ....
/// ");
/// // The eye in full colour, the trail at half (127: truncated).
/// assert_eq!(driver.output().steps()[1].pixels[..2], [RGB8::new(127, 0, 0), red]);
/// ```
pub fn larson_scanner<P: Color>(
    leds: impl Into<Leds>,
    speed: Duration,
    color: P,
) -> LarsonScanner<P> {
    LarsonScanner { leds: leds.into(), speed, color, trail: 3 }
}

impl<P: Color> LarsonScanner<P> {
    /// How many LEDs the fading trail covers (default 3; 0 for the eye alone).
    pub fn trail(mut self, trail: usize) -> LarsonScanner<P> {
        self.trail = trail;
        self
    }

    /// Where the eye is at step `k`.
    fn eye(&self, k: u64) -> usize {
        let n = self.leds.len() as u64;
        if n < 2 {
            return 0;
        }
        let m = k % (2 * (n - 1));
        (if m < n { m } else { 2 * (n - 1) - m }) as usize
    }
}

impl<P: Color> Animation<P> for LarsonScanner<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let n = self.leds.len();
        let parts = self.trail as u64 + 1;
        let mut frame = vec![(0u64, P::OFF); n];
        steps(cx, &self.leds, start, self.speed, |k| {
            frame.iter_mut().for_each(|p| *p = (0, P::OFF));
            // The eye (d = 0) and its trail, brightest first: a dimmer part never
            // covers a brighter one.
            for d in 0..parts.min(k + 1) {
                let level = parts - d;
                let at = &mut frame[self.eye(k - d)];
                if at.0 < level {
                    *at = (level, self.color.scale(level as f64 / parts as f64));
                }
            }
            cx.set_all(&self.leds, frame.iter().map(|p| p.1));
        })
        .await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("larson_scanner", &self.leds, len, self.speed)?;
        let longest = 2 * self.leds.len().saturating_sub(1);
        if self.trail > longest {
            let hint = format!("use 0 to {longest} (one sweep there and back)");
            return Err(invalid("larson_scanner", "trail", self.trail, hint));
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
