use core::time::Duration;

use super::step::{check, invalid, steps};
use crate::{Animation, Color, Cx, Instant, Leds, ValidationError};

/// Bars of lit LEDs marching along, like a theatre marquee. Built by [`chase`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Chase<P> {
    leds: Leds,
    speed: Duration,
    color: P,
    bars: Bars,
}

/// Bars of `size` lit LEDs (default 2) and `spacing` dark ones (default 3) that move one
/// LED along `leds` every `speed`, forever: CircuitPython's `Chase`.
///
/// # Timing
///
/// Step `k` is drawn at `start + k·speed`, on a [`Ticker`](crate::Ticker): no drift,
/// and after a stall the step due now, computed in O(1). The bars' offset at step `k`
/// is `k` modulo `size + spacing` (counted back from `leds.len() − size` when
/// reversed), exactly as in CircuitPython, whose steps however drift: it draws when
/// `now >= next_update` and then sets `next_update = now + speed`. At the instants
/// `k·speed` both show the same pixels (tested against `adafruit_led_animation`
/// 2.12.6).
///
/// # Errors
///
/// Validation refuses LED indices outside the output, no LEDs, a speed shorter than
/// [`MIN_STEP`](crate::MIN_STEP) or longer than [`LONGEST`](crate::LONGEST), and a
/// `size` of 0
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
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(6), VirtualClock::new());
/// let red = RGB8::new(255, 0, 0);
/// driver.run(&chase(0..6, ms(100), red).size(1).spacing(2).timeout(ms(350))).unwrap();
/// driver.output().assert_timeline("
///     0.000000 #..#..
///     0.100000 .#..#.
///     0.200000 ..#..#
///     0.300000 #..#..
///     0.350000 ......
/// ");
/// ```
pub fn chase<P: Color>(leds: impl Into<Leds>, speed: Duration, color: P) -> Chase<P> {
    Chase { leds: leds.into(), speed, color, bars: Bars { size: 2, spacing: 3, reverse: false } }
}

impl<P: Color> Chase<P> {
    /// How many LEDs a bar lights (default 2).
    pub fn size(mut self, size: usize) -> Chase<P> {
        self.bars.size = size;
        self
    }

    /// How many dark LEDs separate two bars (default 3).
    pub fn spacing(mut self, spacing: usize) -> Chase<P> {
        self.bars.spacing = spacing;
        self
    }

    /// Moves the bars towards the first LED instead of the last.
    pub fn reverse(mut self, reverse: bool) -> Chase<P> {
        self.bars.reverse = reverse;
        self
    }
}

impl<P: Color> Animation<P> for Chase<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let n = self.leds.len();
        steps(cx, &self.leds, start, self.speed, |k| {
            let offset = self.bars.offset(n, k);
            let pixels = self.bars.along(offset, n).map(|bar| match bar {
                Some(_) => self.color,
                None => P::OFF,
            });
            cx.set_all(&self.leds, pixels);
        })
        .await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        check("chase", &self.leds, len, self.speed)?;
        self.bars.validate("chase")
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

/// The bars of a chase, shared with [`RainbowChase`](crate::effect::RainbowChase).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bars {
    pub(crate) size: usize,
    pub(crate) spacing: usize,
    pub(crate) reverse: bool,
}

impl Bars {
    pub(crate) fn validate(&self, part: &str) -> Result<(), ValidationError> {
        match self.size {
            0 => Err(invalid(part, "size", 0, "a bar lights at least 1 LED")),
            _ => Ok(()),
        }
    }

    /// `+1`, or `-1` when reversed.
    pub(crate) fn direction(&self) -> i128 {
        if self.reverse { -1 } else { 1 }
    }

    /// The offset of step `k` over `n` LEDs: `n − size` (reversed) or 0 at step 0, then
    /// one step along modulo `size + spacing`, as CircuitPython's `_offset`.
    pub(crate) fn offset(&self, n: usize, k: u64) -> i128 {
        let first = if self.reverse { n as i128 - self.size as i128 } else { 0 };
        match k {
            0 => first,
            k => (first + self.direction() * i128::from(k)).rem_euclid(self.width()),
        }
    }

    fn width(&self) -> i128 {
        (self.size + self.spacing) as i128
    }

    /// Which bar lights each of the LEDs `0..n` at `offset` (counted from 0 as
    /// CircuitPython's `bar_no`), or `None` for a space: the LEDs before `offset` are
    /// CircuitPython's lead-in (`offset − p` lit above `spacing`, bar 0), the others
    /// counted along from it (no 128-bit division per LED; tested against the
    /// definition).
    pub(crate) fn along(&self, offset: i128, n: usize) -> impl Iterator<Item = Option<u64>> {
        let (size, spacing, width) = (self.size as i128, self.spacing as i128, self.width());
        // From LED `offset.max(0)` on: `within` is `j % width`, `bar` is `first + j / width`.
        let (mut within, mut bar) = (0, u64::from(offset > 0 && spacing > 0));
        (0..n).map(move |p| {
            let p = p as i128;
            if p < offset {
                return (offset - p > spacing).then_some(0);
            }
            let lit = (within < size).then_some(bar);
            within += 1;
            if within == width {
                within = 0;
                bar += 1;
            }
            lit
        })
    }

    /// Which bar lights LED `p` (counted from 0 as CircuitPython's `bar_no`) at
    /// `offset`, or `None` for a space: the definition [`Bars::along`] is tested
    /// against.
    #[cfg(test)]
    fn bar(&self, offset: i128, p: usize) -> Option<u64> {
        let p = p as i128;
        let spacing = self.spacing as i128;
        if p < offset {
            // CircuitPython's lead-in: `offset − p` lit above `spacing`, bar 0.
            return (offset - p > spacing).then_some(0);
        }
        let j = p - offset.max(0);
        let first = u64::from(offset > 0 && spacing > 0);
        (j % self.width() < self.size as i128).then(|| first + (j / self.width()) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_counted_along_are_the_bars_divided() {
        for size in 1..6 {
            for spacing in 0..6 {
                for reverse in [false, true] {
                    let bars = Bars { size, spacing, reverse };
                    for n in [1, 2, 5, 11, 30] {
                        for k in 0..40 {
                            let offset = bars.offset(n, k);
                            let along: Vec<_> = bars.along(offset, n).collect();
                            let divided: Vec<_> = (0..n).map(|p| bars.bar(offset, p)).collect();
                            assert_eq!(along, divided, "{bars:?} n {n} step {k}");
                        }
                    }
                }
            }
        }
    }
}
