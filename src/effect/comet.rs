use core::time::Duration;

use super::step::{check, invalid};
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// A bright head with a fading tail that flies along the LEDs. Built by [`comet`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Comet<P> {
    leds: Leds,
    speed: Duration,
    color: P,
    background: P,
    flight: Flight,
}

/// A comet of `color` that moves one LED along `leds` every `speed`, forever:
/// CircuitPython's `Comet`.
///
/// The tail is `tail_length` LEDs long (default a quarter of the LEDs), its `k`-th LED
/// from the end (`k = 0..tail_length`, the head last) at intensity
/// `k·(0.95 / tail_length) + 0.05` with the colour bytes truncated
/// ([`Color::scale`]): red 255 with a tail of 3 gives 12, 93, 174. One LED behind the
/// tail is set to the `background` (default off), which wipes the comet's trail; the
/// other LEDs are not written. The comet enters from before the first LED and, past
/// the last one, starts again, or turns round ([`bounce`](Comet::bounce)), or wraps
/// round ([`ring`](Comet::ring)); [`reverse`](Comet::reverse) flies the other way.
///
/// # Timing
///
/// Step `k` is drawn at `start + k·speed`, on a [`Ticker`](crate::Ticker): no drift.
/// After a stall the comet jumps to the step due now; catching up redraws at most one
/// flight over the LEDs, whatever the stall. CircuitPython's steps drift (it draws when
/// `now >= next_update` and then sets `next_update = now + speed`); at the instants
/// `k·speed` both show the same pixels (tested against `adafruit_led_animation` 2.12.6).
///
/// # Errors
///
/// Validation refuses LED indices outside the output, no LEDs, a speed shorter than
/// [`MIN_STEP`](crate::MIN_STEP) or longer than [`LONGEST`](crate::LONGEST), a tail of
/// 0 LEDs or longer than the LEDs (also the default on fewer than 4 LEDs), and bounce
/// with ring
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
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(4), VirtualClock::new());
/// driver.run(&comet(0..4, ms(100), red).tail_length(3).timeout(ms(350))).unwrap();
/// let frames: Vec<Vec<u8>> =
///     driver.output().steps().iter().map(|s| s.pixels.iter().map(|p| p.r).collect()).collect();
/// assert_eq!(frames, [
///     vec![0, 0, 0, 0],     // 0.0 s: the tail is still before the first LED
///     vec![174, 0, 0, 0],   // 0.1 s: the head enters
///     vec![93, 174, 0, 0],
///     vec![12, 93, 174, 0],
///     vec![0, 0, 0, 0],     // 0.35 s: cancelled
/// ]);
/// ```
pub fn comet<P: Color>(leds: impl Into<Leds>, speed: Duration, color: P) -> Comet<P> {
    let flight = Flight { tail: None, bounce: false, ring: false, reverse: false };
    Comet { leds: leds.into(), speed, color, background: P::OFF, flight }
}

impl<P: Color> Comet<P> {
    /// The length of the tail, head included (default: a quarter of the LEDs, rounded
    /// down).
    pub fn tail_length(mut self, tail: usize) -> Comet<P> {
        self.flight.tail = Some(tail);
        self
    }

    /// Turns round at each end instead of starting again.
    pub fn bounce(mut self, bounce: bool) -> Comet<P> {
        self.flight.bounce = bounce;
        self
    }

    /// Treats the LEDs as a ring: the comet wraps round from the last to the first.
    pub fn ring(mut self, ring: bool) -> Comet<P> {
        self.flight.ring = ring;
        self
    }

    /// Flies towards the first LED instead of the last.
    pub fn reverse(mut self, reverse: bool) -> Comet<P> {
        self.flight.reverse = reverse;
        self
    }

    /// The colour written one LED behind the tail (default off).
    pub fn background(mut self, background: P) -> Comet<P> {
        self.background = background;
        self
    }
}

impl<P: Color> Animation<P> for Comet<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let tail = self.flight.tail(self.leds.len());
        let step = 0.95 / tail as f64;
        let colors: Vec<P> = core::iter::once(self.background)
            .chain((0..tail).map(|k| self.color.scale(k as f64 * step + 0.05)))
            .collect();
        self.flight.fly(cx, &self.leds, start, self.speed, &colors).await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("comet", &self.leds, len, self.speed)?;
        self.flight.validate("comet", self.leds.len())
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

/// How a comet flies, shared with [`RainbowComet`](crate::effect::RainbowComet): a
/// transcription of CircuitPython's `Comet.draw` and `reset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flight {
    pub(crate) tail: Option<usize>,
    pub(crate) bounce: bool,
    pub(crate) ring: bool,
    pub(crate) reverse: bool,
}

/// Where the comet is before a step: CircuitPython's `_tail_start` and `reverse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct At {
    tail_start: i64,
    reverse: bool,
}

impl Flight {
    pub(crate) fn tail(&self, n: usize) -> usize {
        self.tail.unwrap_or(n / 4)
    }

    pub(crate) fn validate(&self, part: &str, n: usize) -> Result<(), ValidationError> {
        let tail = self.tail(n);
        if tail == 0 || tail > n {
            let hint = format!("give a tail of 1 to {n} LEDs (the comet's LEDs)");
            return Err(invalid(part, "tail_length", tail, hint));
        }
        if self.bounce && self.ring {
            return Err(invalid(part, "bounce", true, "a comet on a ring cannot bounce"));
        }
        Ok(())
    }

    /// Flies forever over `leds`, drawing `colors` (the background, then the tail from
    /// its end to the head).
    pub(crate) async fn fly<P: Color>(
        &self,
        cx: &Cx<P>,
        leds: &Leds,
        start: Instant,
        speed: Duration,
        colors: &[P],
    ) -> Instant {
        let _off = cx.off_on_drop(leds);
        let n = leds.len() as i64;
        let tail = colors.len() as i64 - 1;
        let mut ticker = cx.ticker(start, speed);
        let mut at = self.first(n, tail);
        let mut next = 0; // the step `at` is for
        loop {
            let k = ticker.next().await;
            // Late: replay at most one period (which redraws every LED) up to step k.
            let period = self.period(n, tail);
            if k.saturating_sub(next) > period {
                next = k - period;
                at = self.at(n, tail, next);
            }
            while next <= k {
                self.draw(cx, leds, at, colors);
                self.advance(&mut at, n, tail);
                next += 1;
            }
        }
    }

    fn reset(&self, n: i64, tail: i64, reverse: bool) -> i64 {
        let tail_start = if reverse { n + tail + 1 } else { -tail - 1 };
        if self.ring { tail_start.rem_euclid(n) } else { tail_start }
    }

    fn first(&self, n: i64, tail: i64) -> At {
        At { tail_start: self.reset(n, tail, self.reverse), reverse: self.reverse }
    }

    fn draw<P: Color>(&self, cx: &Cx<P>, leds: &Leds, at: At, colors: &[P]) {
        let n = leds.len() as i64;
        let put = |i: usize, c: &P| {
            let mut p = at.tail_start + i as i64;
            if self.ring {
                p = p.rem_euclid(n);
            }
            if (0..n).contains(&p) {
                cx.set(leds[p as usize], *c);
            }
        };
        match at.reverse {
            false => colors.iter().enumerate().for_each(|(i, c)| put(i, c)),
            true => colors.iter().rev().enumerate().for_each(|(i, c)| put(i, c)),
        }
    }

    fn advance(&self, at: &mut At, n: i64, tail: i64) {
        at.tail_start += if at.reverse { -1 } else { 1 };
        let left = if self.ring { 0 } else { -tail };
        if at.tail_start < left || (at.tail_start >= n && !at.reverse) {
            if self.bounce {
                at.reverse = !at.reverse;
            } else if self.ring {
                at.tail_start = at.tail_start.rem_euclid(n);
            } else {
                at.tail_start = self.reset(n, tail, at.reverse);
            }
        }
    }

    /// The length of the flight's cycle, after at most `transient` first steps.
    fn period(&self, n: i64, tail: i64) -> u64 {
        let p = match (self.ring, self.bounce, self.reverse) {
            (true, _, _) => n,
            (false, true, _) => 2 * (n + tail + 1),
            (false, false, false) => n + tail + 1,
            (false, false, true) => n + 2 * tail + 2,
        };
        p as u64
    }

    /// Where the comet is at step `k`, in O(n + tail): the flight repeats with
    /// [`Flight::period`] after the steps before its first turn.
    fn at(&self, n: i64, tail: i64, k: u64) -> At {
        let transient = (n + 2 * tail + 3) as u64;
        let period = self.period(n, tail);
        let steps = match k < transient {
            true => k,
            false => transient + (k - transient) % period,
        };
        let mut at = self.first(n, tail);
        for _ in 0..steps {
            self.advance(&mut at, n, tail);
        }
        at
    }
}
