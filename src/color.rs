//! Colour maths shared by every colour pixel: scaling, mixing, the colour wheel, HSV.

use core::any::Any;

use crate::output::apa102::Dot;
use crate::{Pixel, RGB8};

/// A pixel with a colour: [`RGB8`] and [`Dot`]. Effects are written once over this
/// trait and play on every colour output.
///
/// The maths works on the pixel's [`rgb`](Color::rgb) bytes and is exact: scaling
/// truncates as CircuitPython's `int(c * intensity)` does (so an effect gives the same
/// bytes as `adafruit_led_animation`), mixing rounds to the nearest byte.
///
/// # A `Dot`'s brightness
///
/// A [`Dot`] keeps its 5-bit brightness through the maths: [`scale`](Color::scale) and
/// [`scale8`](Color::scale8) dim the colour bytes and keep the brightness (so a dimmed
/// `Dot` stays exactly as bright, relative to the strip, as the colour says);
/// [`lerp`](Color::lerp) mixes the colour bytes and the brightness alike, the
/// brightness rounded to the nearest of `0..=31`; colours made from nothing
/// ([`from_rgb`](Color::from_rgb), [`wheel`](Color::wheel), [`hsv`](Color::hsv)) are at
/// full brightness (31).
///
/// # Examples
///
/// ```
/// use blinken::{Color, Dot, RGB8};
///
/// let red = RGB8::new(255, 0, 0);
/// assert_eq!(red.scale(0.5), RGB8::new(127, 0, 0)); // truncated, as CircuitPython
/// assert_eq!(RGB8::lerp(red, RGB8::new(0, 0, 255), 0.5), RGB8::new(128, 0, 128));
/// assert_eq!(RGB8::wheel(85), RGB8::new(0, 255, 0));
///
/// let dim_red = Dot::new(red, 7);
/// assert_eq!(dim_red.scale(0.5), Dot::new(RGB8::new(127, 0, 0), 7));
/// assert_eq!(Dot::wheel(0), Dot::new(red, 31));
/// ```
pub trait Color: Pixel {
    /// The colour bytes.
    fn rgb(&self) -> RGB8;

    /// This pixel with other colour bytes (a [`Dot`] keeps its brightness).
    #[must_use]
    fn with_rgb(&self, rgb: RGB8) -> Self;

    /// A pixel of colour `rgb` at full brightness.
    fn from_rgb(rgb: RGB8) -> Self;

    /// Each colour byte times `factor` (clamped to `0.0..=1.0`), **truncated**:
    /// `int(c * factor)`, CircuitPython's `calculate_intensity`.
    #[must_use]
    fn scale(&self, factor: f64) -> Self {
        let f = factor.clamp(0.0, 1.0);
        let s = |c: u8| (f64::from(c) * f) as u8;
        let c = self.rgb();
        self.with_rgb(RGB8::new(s(c.r), s(c.g), s(c.b)))
    }

    /// Each colour byte times `(s + 1) / 256`, truncated (FastLED's `scale8`): 255 keeps
    /// the colour, 0 is black, integers only.
    #[must_use]
    fn scale8(&self, s: u8) -> Self {
        let f = |c: u8| ((u16::from(c) * (u16::from(s) + 1)) >> 8) as u8;
        let c = self.rgb();
        self.with_rgb(RGB8::new(f(c.r), f(c.g), f(c.b)))
    }

    /// The mix `a + (b − a)·t` of each byte (`t` clamped to `0.0..=1.0`), rounded to
    /// the nearest: `t = 0` gives `a`, `t = 1` gives `b` exactly.
    #[must_use]
    fn lerp(a: Self, b: Self, t: f64) -> Self;

    /// CircuitPython's `colorwheel(pos)`: red at 0, green at 85, blue at 170, and
    /// back towards red at 255, one channel rising by 3 as another falls by 3.
    ///
    /// `p < 85`: `(255 − 3p, 3p, 0)`; `p < 170`, `q = p − 85`: `(0, 255 − 3q, 3q)`;
    /// otherwise `q = p − 170`: `(3q, 0, 255 − 3q)`.
    fn wheel(pos: u8) -> Self {
        Self::from_rgb(wheel(pos))
    }

    /// The colour of hue `h` (degrees, any value: taken modulo 360), saturation `s`
    /// and value `v` (`0.0..=1.0`, clamped), each byte rounded to the nearest.
    fn hsv(h: f64, s: f64, v: f64) -> Self {
        Self::from_rgb(hsv(h, s, v))
    }

    /// Hue (degrees, `0.0..360.0`; 0 for greys), saturation and value (`0.0..=1.0`) of
    /// the colour bytes; the inverse of [`Color::hsv`] up to rounding.
    fn to_hsv(&self) -> (f64, f64, f64) {
        to_hsv(self.rgb())
    }
}

impl Color for RGB8 {
    fn rgb(&self) -> RGB8 {
        *self
    }

    fn with_rgb(&self, rgb: RGB8) -> RGB8 {
        rgb
    }

    fn from_rgb(rgb: RGB8) -> RGB8 {
        rgb
    }

    #[inline]
    fn lerp(a: RGB8, b: RGB8, t: f64) -> RGB8 {
        let t = t.clamp(0.0, 1.0);
        RGB8::new(mix(a.r, b.r, t), mix(a.g, b.g, t), mix(a.b, b.b, t))
    }
}

/// Colour bytes as [`RGB8`]; the brightness as described on [`Color`].
impl Color for Dot {
    fn rgb(&self) -> RGB8 {
        self.color
    }

    fn with_rgb(&self, rgb: RGB8) -> Dot {
        Dot { color: rgb, brightness: self.brightness }
    }

    fn from_rgb(rgb: RGB8) -> Dot {
        Dot::from(rgb)
    }

    fn lerp(a: Dot, b: Dot, t: f64) -> Dot {
        let t = t.clamp(0.0, 1.0);
        let brightness = mix(a.brightness, b.brightness, t).min(Dot::MAX_BRIGHTNESS);
        Dot { color: RGB8::lerp(a.color, b.color, t), brightness }
    }
}

/// `a + (b − a)·t` rounded half away from zero, as [`f64::round`] rounds it, without
/// `round` (a library call on baseline x86-64, the most of a crossfade's cost): with
/// `t` in `0.0..=1.0` the value is in `0.0..=255.0`, where its integer part is exact
/// and so is what remains.
fn mix(a: u8, b: u8, t: f64) -> u8 {
    let (a, b) = (f64::from(a), f64::from(b));
    let x = a + (b - a) * t;
    let whole = x as u8;
    whole + u8::from(x - f64::from(whole) >= 0.5)
}

/// [`Color::lerp`] at one `t`, by table: the same bytes, an integer addition a byte.
///
/// `mix(a, b, t)` is `⌊x + ½⌋` of `x = fl(a + fl(d·t))`, `d = b − a` (every step in
/// `f64`; the subtraction of two bytes is exact). `x` is within half an ulp of the
/// real `a + p`, `p = fl(d·t)`, and below 256 an ulp is 2⁻⁴⁵, so `x` and `a + p`
/// round to the same integer, `a + ⌊p + ½⌋`, unless `p + ½` lies within 2⁻⁴⁶ of an
/// integer without being one. The table holds `⌊p + ½⌋` for each of the 511
/// differences, computed once per `t`, and a mark where `p + ½` is within 2⁻⁴⁰ of an
/// integer (not exactly on one): those bytes are mixed by [`mix`] itself. An exact
/// half (`p + ½` an integer) is in the table: then `x = a + p` exactly.
///
/// `fl(−d·t) = −fl(d·t)` (rounding is symmetric), so the negative differences are
/// the positive ones mirrored: `⌊−p + ½⌋ = −⌊p + ½⌋`, or `1 − ⌊p + ½⌋` on an exact
/// half.
#[derive(Clone)]
pub(crate) struct Blend {
    t: f64,
    /// `⌊fl(d·t) + ½⌋` at `d + 255`, or [`Blend::EXACT`].
    offsets: [i16; 511],
}

impl Blend {
    /// The mark of a difference mixed by [`mix`].
    const EXACT: i16 = i16::MIN;

    /// The table for `t` (clamped to `0.0..=1.0`, as [`Color::lerp`] clamps it; a NaN
    /// mixes every byte by [`mix`]).
    pub(crate) fn new(t: f64) -> Blend {
        let t = t.clamp(0.0, 1.0);
        let mut offsets = [Blend::EXACT; 511];
        if !t.is_nan() {
            const NEAR: f64 = 1.0 / (1u64 << 40) as f64;
            for d in 0..=255u8 {
                let p = f64::from(d) * t;
                let y = p + 0.5;
                let q = y as i16; // `y ≥ 0.5`: truncation is the floor
                let fraction = y - f64::from(q);
                let half = p == f64::from(q) - 0.5;
                if !half && !(NEAR..=1.0 - NEAR).contains(&fraction) {
                    continue;
                }
                let d = usize::from(d);
                offsets[255 + d] = q;
                offsets[255 - d] = if half { 1 - q } else { -q };
            }
            // `d = 0` written twice, the same: `p = 0`, not a half.
        }
        Blend { t, offsets }
    }

    /// `mix(a, b, t)`.
    #[inline]
    pub(crate) fn byte(&self, a: u8, b: u8) -> u8 {
        match self.offsets[255 + usize::from(b) - usize::from(a)] {
            Blend::EXACT => self.exact(a, b),
            q => (i16::from(a) + q) as u8,
        }
    }

    /// `mix(a, b, t)` where the table does not tell: rare, and kept out of the way.
    #[cold]
    #[inline(never)]
    fn exact(&self, a: u8, b: u8) -> u8 {
        mix(a, b, self.t)
    }

    /// `RGB8::lerp(a, b, t)`.
    #[inline(always)]
    pub(crate) fn rgb(&self, a: RGB8, b: RGB8) -> RGB8 {
        // (`lerp(a, a, t)` is `a`, but for a NaN `t`, whose table is all marks.)
        if a == b && self.offsets[255] == 0 {
            return a;
        }
        RGB8::new(self.byte(a.r, b.r), self.byte(a.g, b.g), self.byte(a.b, b.b))
    }

    /// `P::lerp(a, b, t)`: by table for [`RGB8`] and [`Dot`], by [`Color::lerp`] for
    /// other colours.
    #[inline(always)]
    pub(crate) fn lerp<P: Color>(&self, a: P, b: P) -> P {
        fn back<P: Copy + 'static>(p: &dyn Any) -> P {
            *p.downcast_ref::<P>().expect("the mix of two `P` is a `P`")
        }
        let (x, y): (&dyn Any, &dyn Any) = (&a, &b);
        if let (Some(&a), Some(&b)) = (x.downcast_ref::<RGB8>(), y.downcast_ref::<RGB8>()) {
            return back(&self.rgb(a, b));
        }
        if let (Some(&a), Some(&b)) = (x.downcast_ref::<Dot>(), y.downcast_ref::<Dot>()) {
            let brightness = self.byte(a.brightness, b.brightness).min(Dot::MAX_BRIGHTNESS);
            return back(&Dot { color: self.rgb(a.color, b.color), brightness });
        }
        P::lerp(a, b, self.t)
    }
}

impl core::fmt::Debug for Blend {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Blend").field("t", &self.t).finish_non_exhaustive()
    }
}

/// [`Color::wheel`] as an [`RGB8`].
pub(crate) const fn wheel(pos: u8) -> RGB8 {
    match pos {
        0..85 => RGB8::new(255 - pos * 3, pos * 3, 0),
        85..170 => {
            let q = pos - 85;
            RGB8::new(0, 255 - q * 3, q * 3)
        }
        _ => {
            let q = pos - 170;
            RGB8::new(q * 3, 0, 255 - q * 3)
        }
    }
}

fn hsv(h: f64, s: f64, v: f64) -> RGB8 {
    let (s, v) = (s.clamp(0.0, 1.0), v.clamp(0.0, 1.0));
    let h = h.rem_euclid(360.0) / 60.0;
    let c = v * s;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    let byte = |f: f64| ((f + m) * 255.0).round() as u8;
    RGB8::new(byte(r), byte(g), byte(b))
}

fn to_hsv(c: RGB8) -> (f64, f64, f64) {
    let (r, g, b) = (f64::from(c.r) / 255.0, f64::from(c.g) / 255.0, f64::from(c.b) / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let d = max - min;
    let h = if d == 0.0 {
        0.0
    } else if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    let s = if max == 0.0 { 0.0 } else { d / max };
    (h, s, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_rounds_as_f64_round_does() {
        let steps = (0..=512).map(|k| f64::from(k) / 512.0);
        let ts: Vec<f64> = steps.chain([0.1, 0.3, 1.0 / 3.0, 0.7, 0.9, 1e-9, 1.0 - 1e-9]).collect();
        for a in 0..=255u8 {
            for b in (0..=255u8).step_by(3).chain([254, 255]) {
                for &t in &ts {
                    let (fa, fb) = (f64::from(a), f64::from(b));
                    let expected = (fa + (fb - fa) * t).round() as u8;
                    assert_eq!(mix(a, b, t), expected, "mix({a}, {b}, {t})");
                }
            }
        }
        assert_eq!(mix(0, 255, f64::NAN), 0);
    }

    /// Shares a blend is tried at: a grid, the bench's hour in 10 ms steps, thirds,
    /// exact halves of every difference (`t = (2m + 1) / 2d`) and the floats either
    /// side of them, the ends and beyond.
    fn blend_shares() -> Vec<f64> {
        let mut ts: Vec<f64> = (0..=256).map(|k| f64::from(k) / 256.0).collect();
        ts.extend((1..40).map(|k| f64::from(k * 9173) / 360_000.0));
        ts.extend([0.1, 0.3, 1.0 / 3.0, 2.0 / 3.0, 0.7, 0.9, 1e-9, 1.0 - 1e-9, 1e-300]);
        for d in [3u32, 7, 10, 51, 100, 127, 200, 254, 255] {
            for m in [0, 1, d / 3, d / 2, d - 1] {
                let t = f64::from(2 * m + 1) / f64::from(2 * d);
                ts.extend([t, t.next_up(), t.next_down()]);
            }
        }
        ts.extend([-0.5, 1.5, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
        ts
    }

    #[test]
    fn a_blend_mixes_every_byte_as_mix_does() {
        for t in blend_shares() {
            let blend = Blend::new(t);
            let clamped = t.clamp(0.0, 1.0);
            for a in 0..=255u8 {
                for b in 0..=255u8 {
                    assert_eq!(blend.byte(a, b), mix(a, b, clamped), "mix({a}, {b}, {t})");
                }
            }
        }
    }

    #[test]
    fn a_blend_lerps_every_colour_as_lerp_does() {
        let bytes = [0u8, 1, 2, 30, 31, 32, 127, 128, 200, 254, 255];
        for t in blend_shares() {
            let blend = Blend::new(t);
            for (&x, &y, &z) in bytes.iter().flat_map(|x| bytes.iter().map(move |y| (x, y, y))) {
                let (a, b) = (RGB8::new(x, y, z), RGB8::new(z, x, y));
                assert_eq!(blend.lerp(a, b), RGB8::lerp(a, b, t), "{a:?} {b:?} {t}");
                assert_eq!(blend.lerp(a, a), RGB8::lerp(a, a, t), "{a:?} {t}");
                // Brightness beyond 31 too: a `Dot`'s field is public.
                let (c, d) = (Dot { color: a, brightness: x }, Dot { color: b, brightness: y });
                assert_eq!(blend.lerp(c, d), Dot::lerp(c, d, t), "{c:?} {d:?} {t}");
                assert_eq!(blend.lerp(c, c), Dot::lerp(c, c, t), "{c:?} {t}");
            }
        }
    }

    #[test]
    fn a_blend_falls_back_to_mix_only_near_halves() {
        let exact = |t: f64| Blend::new(t).offsets.iter().filter(|&&q| q == Blend::EXACT).count();
        // The bench's shares (k · 10 ms of an hour): none. A grid of 1/2000ths: only
        // where `d·t` is a half in exact arithmetic but `t` is not a float (35/2000 at
        // `d = 200`: 3.5), each such difference and its mirror: a few of the 511.
        for k in 1..2000 {
            assert_eq!(exact(f64::from(k) / 360_000.0), 0, "{k}");
            assert!(exact(f64::from(k) / 2000.0) <= 32, "{k}");
        }
        assert_eq!(exact(35.0 / 2000.0), 2);
        // Just off an exact half of 255·t: that difference and its mirror.
        let t = 1.0f64 / 510.0;
        assert_eq!(exact(t), 0);
        assert!(exact(t.next_up()) <= 2);
        assert_eq!(exact(f64::NAN), 511);
    }

    #[test]
    fn the_wheel_is_circuitpythons() {
        assert_eq!(wheel(0), RGB8::new(255, 0, 0));
        assert_eq!(wheel(1), RGB8::new(252, 3, 0));
        assert_eq!(wheel(84), RGB8::new(3, 252, 0));
        assert_eq!(wheel(85), RGB8::new(0, 255, 0));
        assert_eq!(wheel(169), RGB8::new(0, 3, 252));
        assert_eq!(wheel(170), RGB8::new(0, 0, 255));
        assert_eq!(wheel(255), RGB8::new(255, 0, 0));
        assert_eq!(wheel(254), RGB8::new(252, 0, 3));
        // Every position sums to 255 over two channels.
        for p in 0..=255u8 {
            let c = wheel(p);
            assert_eq!(u16::from(c.r) + u16::from(c.g) + u16::from(c.b), 255, "{p}");
        }
    }

    #[test]
    fn scale_truncates_like_circuitpython() {
        let red = RGB8::new(255, 0, 0);
        // Comet's tail of 3: intensities n·(0.95/3) + 0.05.
        let step = 0.95 / 3.0;
        let tail: Vec<u8> = (0..3).map(|n| red.scale(f64::from(n) * step + 0.05).r).collect();
        assert_eq!(tail, [12, 93, 174]);
        assert_eq!(RGB8::new(10, 20, 30).scale(0.2), RGB8::new(2, 4, 6));
        assert_eq!(RGB8::new(10, 20, 255).scale(2.0), RGB8::new(10, 20, 255));
        assert_eq!(RGB8::new(10, 20, 255).scale(-1.0), RGB8::OFF);
        assert_eq!(Dot::new(red, 3).scale(0.1), Dot::new(RGB8::new(25, 0, 0), 3));
    }

    #[test]
    fn scale8_is_fastleds() {
        let c = RGB8::new(255, 128, 1);
        assert_eq!(c.scale8(255), c);
        assert_eq!(c.scale8(0), RGB8::OFF);
        assert_eq!(c.scale8(127), RGB8::new(127, 64, 0));
        assert_eq!(Dot::new(c, 9).scale8(127), Dot::new(RGB8::new(127, 64, 0), 9));
    }

    #[test]
    fn lerp_is_exact_at_the_ends_and_rounds() {
        let (a, b) = (RGB8::new(0, 255, 10), RGB8::new(255, 0, 11));
        assert_eq!(RGB8::lerp(a, b, 0.0), a);
        assert_eq!(RGB8::lerp(a, b, 1.0), b);
        assert_eq!(RGB8::lerp(a, b, 0.5), RGB8::new(128, 128, 11));
        assert_eq!(RGB8::lerp(a, b, 0.25), RGB8::new(64, 191, 10));
        assert_eq!(RGB8::lerp(a, b, 7.0), b);
        let (x, y) = (Dot::new(a, 0), Dot::new(b, 31));
        assert_eq!(Dot::lerp(x, y, 0.0), x);
        assert_eq!(Dot::lerp(x, y, 1.0), y);
        assert_eq!(Dot::lerp(x, y, 0.5), Dot::new(RGB8::new(128, 128, 11), 16));
    }

    #[test]
    fn hsv_round_trips_the_primaries() {
        let cases = [
            (0.0, RGB8::new(255, 0, 0)),
            (60.0, RGB8::new(255, 255, 0)),
            (120.0, RGB8::new(0, 255, 0)),
            (180.0, RGB8::new(0, 255, 255)),
            (240.0, RGB8::new(0, 0, 255)),
            (300.0, RGB8::new(255, 0, 255)),
        ];
        for (h, c) in cases {
            assert_eq!(RGB8::hsv(h, 1.0, 1.0), c, "{h}");
            assert_eq!(RGB8::hsv(h + 360.0, 1.0, 1.0), c, "{h}");
            assert_eq!(c.to_hsv(), (h, 1.0, 1.0), "{h}");
        }
        assert_eq!(RGB8::hsv(30.0, 1.0, 1.0), RGB8::new(255, 128, 0));
        assert_eq!(RGB8::hsv(0.0, 0.0, 0.5), RGB8::new(128, 128, 128));
        assert_eq!(RGB8::new(128, 128, 128).to_hsv().0, 0.0);
        assert_eq!(Dot::hsv(240.0, 1.0, 1.0), Dot::new(RGB8::new(0, 0, 255), 31));
        assert_eq!(RGB8::OFF.to_hsv(), (0.0, 0.0, 0.0));
    }
}
