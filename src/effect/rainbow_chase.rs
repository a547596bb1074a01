use core::time::Duration;

use super::chase::Bars;
use super::step::{check, invalid, steps};
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// A [`Chase`](crate::effect::Chase) whose bars take colours from the wheel. Built by
/// [`rainbow_chase`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct RainbowChase<P> {
    leds: Leds,
    speed: Duration,
    bars: Bars,
    step: u8,
    _pixel: core::marker::PhantomData<P>,
}

/// Bars of `size` LEDs (default 2) and `spacing` dark ones (default 3) moving one LED
/// along `leds` every `speed`, each bar one `step` (default 8) further round the colour
/// wheel ([`Color::wheel`]) than the next: CircuitPython's `RainbowChase`.
///
/// The bars move as a [`chase`](crate::chase)'s. The colours are the wheel positions
/// `0, step, 2·step, ...` over two turns (`n % 256` for `n` in `0..512`); bar `b`
/// shows colour `index − b`, and `index` moves one colour on (back when reversed) each
/// time the chase has taken as many steps as it has LEDs, as in CircuitPython.
///
/// # Timing
///
/// Step `k` is drawn at `start + k·speed`, on a [`Ticker`](crate::Ticker): no drift,
/// and after a stall the step due now, in O(1). CircuitPython's steps drift (`next =
/// now + speed`); at the instants `k·speed` both show the same pixels (tested against
/// `adafruit_led_animation` 2.12.6).
///
/// # Errors
///
/// As [`chase`](crate::chase), and a `step` of 0
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
/// let chase = rainbow_chase(0..6, ms(100)).size(1).spacing(1).step(85);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(6), VirtualClock::new());
/// driver.run(&chase.timeout(ms(150))).unwrap();
/// let (red, off) = (RGB8::new(255, 0, 0), RGB8::OFF);
/// // Colours 0, 85, 170, 255, 84, 169, 254 (n % 256 for n = 0, 85, .. 510): bar b shows
/// // colour −b, counted from the end.
/// let frame = &driver.output().steps()[0].pixels;
/// assert_eq!(&**frame, &[red, off, RGB8::wheel(254), off, RGB8::wheel(169), off]);
/// ```
pub fn rainbow_chase<P: Color>(leds: impl Into<Leds>, speed: Duration) -> RainbowChase<P> {
    let bars = Bars { size: 2, spacing: 3, reverse: false };
    RainbowChase { leds: leds.into(), speed, bars, step: 8, _pixel: core::marker::PhantomData }
}

impl<P: Color> RainbowChase<P> {
    /// How many LEDs a bar lights (default 2).
    pub fn size(mut self, size: usize) -> RainbowChase<P> {
        self.bars.size = size;
        self
    }

    /// How many dark LEDs separate two bars (default 3).
    pub fn spacing(mut self, spacing: usize) -> RainbowChase<P> {
        self.bars.spacing = spacing;
        self
    }

    /// Moves the bars towards the first LED instead of the last.
    pub fn reverse(mut self, reverse: bool) -> RainbowChase<P> {
        self.bars.reverse = reverse;
        self
    }

    /// How far round the wheel one bar is from the next (default 8).
    pub fn step(mut self, step: u8) -> RainbowChase<P> {
        self.step = step;
        self
    }
}

impl<P: Color> Animation<P> for RainbowChase<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let colors: Vec<P> =
            (0..512u32).step_by(usize::from(self.step)).map(|c| P::wheel(c as u8)).collect();
        let len = colors.len() as i128;
        let n = self.leds.len();
        steps(cx, &self.leds, start, self.speed, |k| {
            let offset = self.bars.offset(n, k);
            let index = self.bars.direction() * i128::from(k / n as u64);
            // One colour per bar: the 128-bit remainder once per bar, not per LED.
            let mut last: Option<(u64, P)> = None;
            let pixels = self.bars.along(offset, n).map(|bar| match bar {
                Some(bar) => match last {
                    Some((b, color)) if b == bar => color,
                    _ => {
                        let color = colors[(index - i128::from(bar)).rem_euclid(len) as usize];
                        last = Some((bar, color));
                        color
                    }
                },
                None => P::OFF,
            });
            cx.set_all(&self.leds, pixels);
        })
        .await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("rainbow_chase", &self.leds, len, self.speed)?;
        self.bars.validate("rainbow_chase")?;
        match self.step {
            0 => Err(invalid("rainbow_chase", "step", 0, "use a step of 1 to 255 on the wheel")),
            _ => Ok(()),
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
