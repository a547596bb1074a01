//! An automatic power limiter: every frame within the supply's budget.

use super::buffer::Adapted;
use crate::output::apa102::{Apa102Pixel, Dot};
use crate::output::{Frame, Output};
use crate::{Color, RGB8};

/// Full brightness of a colour byte times full 5-bit brightness: the unit of the
/// estimate is `1 / (255 × 31)` mA.
const FULL: u128 = 255 * Dot::MAX_BRIGHTNESS as u128;

/// An [`Output`] adapter that scales each frame down so that its estimated current
/// never exceeds a supply's budget: FastLED's `setMaxPowerInVoltsAndMilliamps`, WLED's
/// automatic brightness limiter.
///
/// # The estimate
///
/// An LED draws `idle_ma` doing nothing, plus, per colour channel, `channel_ma` at full
/// (255) in proportion to the byte, and in proportion to a [`Dot`]'s 5-bit
/// brightness (`b / 31`; an [`RGB8`] is at 31):
///
/// ```text
/// estimate = len × idle_ma + Σ_LEDs Σ_channels channel_ma[ch] × c_ch / 255 × b / 31
/// ```
///
/// # The scale
///
/// A frame whose estimate is within `budget_ma` passes **unchanged**. Above it, every
/// colour byte is scaled by `s = (budget − len × idle) / colour current` and rounded
/// down, `c × s`, in exact integer arithmetic, so the scaled frame's estimate is
/// never above the budget (the idle current cannot be scaled away; a budget below it
/// gives black). Hues are kept, to within the rounding. The scale is computed per
/// frame, so the limit follows the animation; a frame with a new scale is sent whole.
///
/// Defaults: 20 mA per channel (WS2812B and APA102 LEDs draw about 60 mA at full
/// white) and 1 mA idle per LED; set yours with [`PowerLimit::channel_ma`] and
/// [`PowerLimit::idle_ma`]. Wrap it innermost, next to the strip (see [the
/// module](super)): it must see the bytes the strip will get.
///
/// # Examples
///
/// Three white LEDs would draw 183 mA; a 100 mA budget scales them to 137, 99.7 mA:
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::adapter::PowerLimit;
///
/// let limited = PowerLimit::new(Recorder::<RGB8>::with_len(3), 100);
/// assert_eq!(limited.estimate_ma(&[RGB8::new(255, 255, 255); 3]), 183.0);
/// let mut driver = Driver::new(limited, VirtualClock::new());
/// driver.run(&on(0..3).color(RGB8::new(255, 255, 255)).timeout(ms(10))).unwrap();
/// assert_eq!(driver.output().inner().steps()[0].pixels[..], [RGB8::new(137, 137, 137); 3]);
/// ```
#[derive(Debug, Clone)]
pub struct PowerLimit<O: Output> {
    inner: O,
    budget_ma: u32,
    channel_ma: [u32; 3],
    idle_ma: u32,
    /// The scale of the last write, `allowed / requested` colour current; `None`
    /// when the frame passed unchanged.
    scale: Option<(u128, u128)>,
    adapted: Adapted<O::Pixel>,
}

impl<O: Output> PowerLimit<O>
where
    O::Pixel: Color + Apa102Pixel,
{
    /// Wraps `inner`, keeping every frame within `budget_ma` milliamps.
    pub fn new(inner: O, budget_ma: u32) -> PowerLimit<O> {
        PowerLimit {
            inner,
            budget_ma,
            channel_ma: [20; 3],
            idle_ma: 1,
            scale: None,
            adapted: Adapted::new(),
        }
    }

    /// What each channel (red, green, blue) draws at full, in mA (default 20 each).
    pub fn channel_ma(mut self, channel_ma: [u32; 3]) -> PowerLimit<O> {
        self.channel_ma = channel_ma;
        self
    }

    /// What each LED draws when dark, in mA (default 1).
    pub fn idle_ma(mut self, idle_ma: u32) -> PowerLimit<O> {
        self.idle_ma = idle_ma;
        self
    }

    /// The budget, in mA.
    pub fn budget_ma(&self) -> u32 {
        self.budget_ma
    }

    /// The estimated current of `pixels`, in mA (see "The estimate").
    pub fn estimate_ma(&self, pixels: &[O::Pixel]) -> f64 {
        let (idle, colour) = self.estimate(pixels);
        (idle + colour) as f64 / FULL as f64
    }

    /// The idle and the colour current of `pixels`, in `1 / (255 × 31)` mA.
    fn estimate(&self, pixels: &[O::Pixel]) -> (u128, u128) {
        let [mr, mg, mb] = self.channel_ma.map(u128::from);
        let colour = pixels
            .iter()
            .map(|p| {
                let RGB8 { r, g, b } = Color::rgb(p);
                let level = u128::from(p.brightness().min(Dot::MAX_BRIGHTNESS));
                (u128::from(r) * mr + u128::from(g) * mg + u128::from(b) * mb) * level
            })
            .sum();
        (u128::from(self.idle_ma) * pixels.len() as u128 * FULL, colour)
    }

    /// `Some((allowed, requested))` colour current when `pixels` are over the budget.
    fn scale_for(&self, pixels: &[O::Pixel]) -> Option<(u128, u128)> {
        let (idle, colour) = self.estimate(pixels);
        let budget = u128::from(self.budget_ma) * FULL;
        (idle + colour > budget && colour > 0).then(|| (budget.saturating_sub(idle), colour))
    }

    /// The wrapped output.
    pub fn inner(&self) -> &O {
        &self.inner
    }

    /// The wrapped output, mutably; the next write sends every LED.
    pub fn inner_mut(&mut self) -> &mut O {
        self.adapted.invalidate();
        &mut self.inner
    }

    /// The wrapped output, at once, with no I/O.
    pub fn into_inner(self) -> O {
        self.inner
    }
}

/// Whether two scales are the same fraction.
fn same(a: Option<(u128, u128)>, b: Option<(u128, u128)>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some((a1, r1)), Some((a2, r2))) => {
            matches!((a1.checked_mul(r2), a2.checked_mul(r1)), (Some(x), Some(y)) if x == y)
        }
        _ => false,
    }
}

impl<O: Output> Output for PowerLimit<O>
where
    O::Pixel: Color + Apa102Pixel,
{
    type Pixel = O::Pixel;
    type Error = O::Error;

    fn len(&self) -> usize {
        self.inner.len()
    }

    fn write(&mut self, frame: Frame<'_, O::Pixel>) -> Result<(), O::Error> {
        let scale = self.scale_for(frame.pixels);
        let rewrite = !same(scale, self.scale);
        self.scale = scale;
        self.adapted.write(&mut self.inner, frame, rewrite, |p| match scale {
            None => p,
            Some((allowed, requested)) => {
                // allowed < requested, so every result is below the byte.
                let s = |c: u8| (u128::from(c) * allowed / requested) as u8;
                let c = Color::rgb(&p);
                p.with_rgb(RGB8::new(s(c.r), s(c.g), s(c.b)))
            }
        })
    }

    fn clear(&mut self) -> Result<(), O::Error> {
        self.adapted.invalidate();
        self.inner.clear()
    }
}
