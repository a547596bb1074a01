use core::time::Duration;

use super::comet::Flight;
use super::step::check;
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// A [`Comet`](crate::effect::Comet) whose tail runs round the colour wheel. Built by
/// [`rainbow_comet`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct RainbowComet<P> {
    leds: Leds,
    speed: Duration,
    flight: Flight,
    offset: u8,
    step: Option<u8>,
    _pixel: core::marker::PhantomData<P>,
}

/// A comet flying along `leds` one LED every `speed`, its tail (default 10 LEDs)
/// coloured round the wheel: CircuitPython's `RainbowComet`.
///
/// The `k`-th LED of the tail from its end (`k = 0..tail`, the head last) shows wheel
/// position `int((tail − k − 1)·step + offset) % 256` at intensity
/// `k·(0.95 / tail) + 0.05`, truncated ([`Color::scale`]); `step` defaults to
/// `max(256 / tail, 1)` and `offset` ([`colorwheel_offset`](RainbowComet::colorwheel_offset))
/// to 0. One LED behind the tail is switched off. It flies as a [`comet`](crate::comet)
/// does (bounce, ring, reverse).
///
/// # Timing
///
/// As [`comet`](crate::comet): step `k` at `start + k·speed`, no drift, catching up
/// after a stall by redrawing at most one flight; CircuitPython's steps drift
/// (`next = now + speed`), and at the instants `k·speed` both show the same pixels
/// (tested against `adafruit_led_animation` 2.12.6).
///
/// # Errors
///
/// As [`comet`](crate::comet).
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
/// let comet = rainbow_comet(0..3, ms(100)).tail_length(2);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
/// driver.run(&comet.timeout(ms(250))).unwrap();
/// // Step 2: the tail end (wheel 128 at 0.05) on LED 0, the head (wheel 0 at 0.525) on 1.
/// let frame = &driver.output().steps()[2].pixels;
/// assert_eq!(frame[0], RGB8::wheel(128).scale(0.05));
/// assert_eq!(frame[1], RGB8::new(133, 0, 0));
/// ```
pub fn rainbow_comet<P: Color>(leds: impl Into<Leds>, speed: Duration) -> RainbowComet<P> {
    let flight = Flight { tail: Some(10), bounce: false, ring: false, reverse: false };
    RainbowComet {
        leds: leds.into(),
        speed,
        flight,
        offset: 0,
        step: None,
        _pixel: core::marker::PhantomData,
    }
}

impl<P: Color> RainbowComet<P> {
    /// The length of the tail, head included (default 10).
    pub fn tail_length(mut self, tail: usize) -> RainbowComet<P> {
        self.flight.tail = Some(tail);
        self
    }

    /// Turns round at each end instead of starting again.
    pub fn bounce(mut self, bounce: bool) -> RainbowComet<P> {
        self.flight.bounce = bounce;
        self
    }

    /// Treats the LEDs as a ring: the comet wraps round from the last to the first.
    pub fn ring(mut self, ring: bool) -> RainbowComet<P> {
        self.flight.ring = ring;
        self
    }

    /// Flies towards the first LED instead of the last.
    pub fn reverse(mut self, reverse: bool) -> RainbowComet<P> {
        self.flight.reverse = reverse;
        self
    }

    /// The wheel position of the head (default 0).
    pub fn colorwheel_offset(mut self, offset: u8) -> RainbowComet<P> {
        self.offset = offset;
        self
    }

    /// How far round the wheel one LED of the tail is from the next (default
    /// `max(256 / tail, 1)`; 0 means that default).
    pub fn step(mut self, step: u8) -> RainbowComet<P> {
        self.step = (step > 0).then_some(step);
        self
    }
}

impl<P: Color> Animation<P> for RainbowComet<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let tail = self.flight.tail(self.leds.len());
        let step = self.step.map_or((256 / tail).max(1), usize::from);
        let intensity = 0.95 / tail as f64;
        let colors: Vec<P> = core::iter::once(P::OFF)
            .chain((0..tail).map(|k| {
                let pos = ((tail - k - 1) * step + usize::from(self.offset)) % 256;
                P::wheel(pos as u8).scale(k as f64 * intensity + 0.05)
            }))
            .collect();
        self.flight.fly(cx, &self.leds, start, self.speed, &colors).await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("rainbow_comet", &self.leds, len, self.speed)?;
        self.flight.validate("rainbow_comet", self.leds.len())
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
