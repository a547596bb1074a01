//! The pure APA102 frame encoder.

use core::fmt;
use core::slice::Chunks;

use crate::RGB8;

use super::{Apa102Error, Apa102Pixel, PixelOrder};

/// The largest write Linux spidev accepts by default (its `bufsiz` module parameter).
pub const DEFAULT_MAX_TRANSFER: usize = 4096;

/// Where the global brightness is applied; see the [module docs](super#brightness).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BrightnessMode {
    /// Scale each colour byte to `int(c × global)` (truncated), as the common Python
    /// DotStar driver does; the header keeps the pixel's own 5-bit brightness.
    #[default]
    Scale,
    /// Send the colour bytes unchanged and put `round(pixel_b5 × global)` (at least 1
    /// when both are non-zero) in the 5-bit header: full colour resolution at any
    /// brightness, in 32 brightness steps.
    Hardware,
}

/// What follows the LED frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum EndFrame {
    /// `ceil(n / 16)` bytes of `0x00`: enough clock edges to push the data through `n`
    /// LEDs.
    #[default]
    Apa102,
    /// A 4-byte `0x00` reset frame, then the same `ceil(n / 16)` bytes: SK9822 clones
    /// latch the new colours on the reset frame.
    Sk9822,
}

/// An APA102 / DotStar frame encoder: pixel order, global brightness, end frame.
///
/// Pure: it turns pixels into the bytes of one frame (see the [wire format](super#wire-format))
/// and needs no hardware. The bytes live in one buffer owned by the encoder and reused
/// for every frame, so after the first frame encoding allocates nothing.
///
/// Settings are given with builder methods; a bad value (a brightness outside
/// `0.0..=1.0`, a zero transfer size) is kept and reported by the next
/// [`Apa102::encode`] (or by the constructor of the SPI output), so the chain reads
/// cleanly.
///
/// # Examples
///
/// ```
/// use blinken::RGB8;
/// use blinken::output::apa102::{Apa102, BrightnessMode, EndFrame, PixelOrder};
///
/// let pixels = [RGB8::new(200, 100, 3), RGB8::new(0, 0, 0)];
///
/// // Defaults: BGR, brightness 1.0, APA102 end frame.
/// let mut strip = Apa102::new();
/// assert_eq!(strip.encode(&pixels).unwrap(), &[
///     0, 0, 0, 0,
///     0xFF, 3, 100, 200,
///     0xFF, 0, 0, 0,
///     0,
/// ]);
///
/// // Half brightness, scaled into the colour bytes (truncating, like the Python driver).
/// let mut strip = Apa102::new().order(PixelOrder::Rgb).brightness(0.5);
/// assert_eq!(strip.encode(&pixels).unwrap(), &[
///     0, 0, 0, 0,
///     0xFF, 100, 50, 1,
///     0xFF, 0, 0, 0,
///     0,
/// ]);
///
/// // The same in the 5-bit header: round(31 × 0.5) = 16; an SK9822 end frame.
/// let mut strip = Apa102::new()
///     .order(PixelOrder::Rgb)
///     .brightness(0.5)
///     .brightness_mode(BrightnessMode::Hardware)
///     .end_frame(EndFrame::Sk9822);
/// assert_eq!(strip.encode(&pixels).unwrap(), &[
///     0, 0, 0, 0,
///     0xE0 | 16, 200, 100, 3,
///     0xE0 | 16, 0, 0, 0,
///     0, 0, 0, 0,
///     0,
/// ]);
/// ```
#[derive(Clone)]
pub struct Apa102 {
    order: PixelOrder,
    brightness: f64,
    mode: BrightnessMode,
    end_frame: EndFrame,
    max_transfer: usize,
    buf: Vec<u8>,
    /// The global brightness applied to every byte and level, for the brightness it
    /// was computed for: a table lookup per byte instead of floating point. Boxed, so
    /// that the encoder (and errors that carry an output) stay small.
    tables: Box<Tables>,
}

/// [`scale`] of every colour byte and [`hardware_level`] of every 5-bit level at one
/// global brightness.
#[derive(Clone)]
struct Tables {
    /// The bits of the global brightness the tables are for.
    brightness: u64,
    bytes: [u8; 256],
    levels: [u8; 32],
}

impl Tables {
    fn new(global: f64) -> Tables {
        let mut tables = Tables { brightness: global.to_bits(), bytes: [0; 256], levels: [0; 32] };
        for (c, scaled) in tables.bytes.iter_mut().enumerate() {
            *scaled = scale_byte(c as u8, global);
        }
        for (level, scaled) in tables.levels.iter_mut().enumerate() {
            *scaled = hardware_level(level as u8, global);
        }
        tables
    }

    /// The tables for `global`, computed again only when it changed.
    fn at(&mut self, global: f64) -> &Tables {
        if self.brightness != global.to_bits() {
            *self = Tables::new(global);
        }
        self
    }
}

impl Apa102 {
    /// An encoder with BGR order, global brightness 1.0 in [`BrightnessMode::Scale`], an
    /// APA102 end frame, and transfers of at most [`DEFAULT_MAX_TRANSFER`] bytes.
    pub fn new() -> Apa102 {
        Apa102 {
            order: PixelOrder::Bgr,
            brightness: 1.0,
            mode: BrightnessMode::Scale,
            end_frame: EndFrame::Apa102,
            max_transfer: DEFAULT_MAX_TRANSFER,
            buf: Vec::new(),
            tables: Box::new(Tables::new(1.0)),
        }
    }

    /// Sends the colour bytes in `order`.
    #[must_use]
    pub fn order(mut self, order: PixelOrder) -> Apa102 {
        self.order = order;
        self
    }

    /// Sets the global brightness, `0.0..=1.0`; a value outside (or NaN) is reported
    /// by the next [`Apa102::encode`].
    #[must_use]
    pub fn brightness(mut self, brightness: f64) -> Apa102 {
        self.brightness = brightness;
        self
    }

    /// Applies the global brightness to the colour bytes or to the 5-bit header.
    #[must_use]
    pub fn brightness_mode(mut self, mode: BrightnessMode) -> Apa102 {
        self.mode = mode;
        self
    }

    /// Ends each frame the APA102 way or the SK9822 way.
    #[must_use]
    pub fn end_frame(mut self, end_frame: EndFrame) -> Apa102 {
        self.end_frame = end_frame;
        self
    }

    /// Splits each frame into transfers of at most `bytes` (default
    /// [`DEFAULT_MAX_TRANSFER`], spidev's limit unless raised with its `bufsiz`
    /// parameter); zero is reported by the next [`Apa102::encode`].
    #[must_use]
    pub fn max_transfer(mut self, bytes: usize) -> Apa102 {
        self.max_transfer = bytes;
        self
    }

    /// Changes the global brightness between frames (the next frame uses it).
    ///
    /// # Errors
    ///
    /// [`Apa102Error::Brightness`] if `brightness` is outside `0.0..=1.0` or NaN; the
    /// brightness is then left as it was.
    pub fn set_brightness(&mut self, brightness: f64) -> Result<(), Apa102Error> {
        check_brightness(brightness)?;
        self.brightness = brightness;
        Ok(())
    }

    /// The pixel order.
    pub fn get_order(&self) -> PixelOrder {
        self.order
    }

    /// The global brightness.
    pub fn get_brightness(&self) -> f64 {
        self.brightness
    }

    /// Where the global brightness is applied.
    pub fn get_brightness_mode(&self) -> BrightnessMode {
        self.mode
    }

    /// The end frame style.
    pub fn get_end_frame(&self) -> EndFrame {
        self.end_frame
    }

    /// The largest transfer, in bytes.
    pub fn get_max_transfer(&self) -> usize {
        self.max_transfer
    }

    /// How many bytes a frame of `leds` LEDs takes: start frame, LED frames, the
    /// SK9822 reset frame if any, end frame.
    ///
    /// ```
    /// use blinken::output::apa102::{Apa102, EndFrame};
    ///
    /// assert_eq!(Apa102::new().frame_len(144), 4 + 144 * 4 + 9);
    /// assert_eq!(Apa102::new().end_frame(EndFrame::Sk9822).frame_len(144), 4 + 144 * 4 + 4 + 9);
    /// ```
    pub fn frame_len(&self, leds: usize) -> usize {
        let reset = match self.end_frame {
            EndFrame::Apa102 => 0,
            EndFrame::Sk9822 => 4,
        };
        4 + 4 * leds + reset + leds.div_ceil(16)
    }

    /// Encodes one frame of `pixels` (index order) and returns its bytes.
    ///
    /// The bytes stay in the encoder's buffer until the next call;
    /// [`Apa102::transfers`] splits them for the bus.
    ///
    /// # Errors
    ///
    /// [`Apa102Error::Brightness`] or [`Apa102Error::ZeroMaxTransfer`] for a bad
    /// setting, [`Apa102Error::LedBrightness`] for a pixel brightness above 31 (naming
    /// the first such LED). The buffer is then empty.
    pub fn encode<P: Apa102Pixel>(&mut self, pixels: &[P]) -> Result<&[u8], Apa102Error> {
        self.encode_iter(pixels.iter().copied())
    }

    /// [`Apa102::encode`] for any sequence of pixels.
    pub(super) fn encode_iter<P: Apa102Pixel>(
        &mut self,
        pixels: impl Iterator<Item = P>,
    ) -> Result<&[u8], Apa102Error> {
        self.buf.clear();
        self.check()?;
        let (order, mode, end_frame) = (self.order, self.mode, self.end_frame);
        let frame_len = self.frame_len(pixels.size_hint().0);
        let Apa102 { buf, tables, brightness, .. } = self;
        let tables = tables.at(*brightness);
        buf.reserve(frame_len);
        buf.extend_from_slice(&[0; 4]);
        let mut leds: usize = 0;
        for (index, pixel) in pixels.enumerate() {
            let level = pixel.brightness();
            let Some(&scaled_level) = tables.levels.get(usize::from(level)) else {
                buf.clear();
                return Err(Apa102Error::LedBrightness { index, value: level });
            };
            let color = pixel.color();
            let (level, color) = match mode {
                BrightnessMode::Scale => {
                    let scale = |c: u8| tables.bytes[usize::from(c)];
                    (level, RGB8::new(scale(color.r), scale(color.g), scale(color.b)))
                }
                BrightnessMode::Hardware => (scaled_level, color),
            };
            let [a, b, c] = order.arrange(color);
            buf.extend_from_slice(&[0xE0 | level, a, b, c]);
            leds += 1;
        }
        if end_frame == EndFrame::Sk9822 {
            buf.extend_from_slice(&[0; 4]);
        }
        buf.resize(buf.len() + leds.div_ceil(16), 0);
        Ok(buf)
    }

    /// The last encoded frame (empty before the first, or after a refused one).
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The last encoded frame split into as few transfers as possible, each at most
    /// [`Apa102::get_max_transfer`] bytes.
    ///
    /// ```
    /// use blinken::RGB8;
    /// use blinken::output::apa102::Apa102;
    ///
    /// let mut strip = Apa102::new().max_transfer(256);
    /// strip.encode(&[RGB8::new(1, 2, 3); 144]).unwrap(); // 589 bytes
    /// let sizes: Vec<usize> = strip.transfers().map(<[u8]>::len).collect();
    /// assert_eq!(sizes, [256, 256, 77]);
    /// ```
    pub fn transfers(&self) -> Chunks<'_, u8> {
        self.buf.chunks(self.max_transfer.max(1))
    }

    /// Checks the settings; the builder methods leave that to the final call.
    pub(super) fn check(&self) -> Result<(), Apa102Error> {
        check_brightness(self.brightness)?;
        if self.max_transfer == 0 {
            return Err(Apa102Error::ZeroMaxTransfer);
        }
        Ok(())
    }
}

fn check_brightness(value: f64) -> Result<(), Apa102Error> {
    if (0.0..=1.0).contains(&value) { Ok(()) } else { Err(Apa102Error::Brightness { value }) }
}

/// `int(c × global)`: truncation, as in the Python driver.
fn scale_byte(c: u8, global: f64) -> u8 {
    (f64::from(c) * global) as u8
}

/// `round(level × global)`, at least 1 when both are non-zero.
fn hardware_level(level: u8, global: f64) -> u8 {
    if level == 0 || global <= 0.0 {
        return 0;
    }
    ((f64::from(level) * global).round() as u8).max(1)
}

impl Default for Apa102 {
    fn default() -> Apa102 {
        Apa102::new()
    }
}

/// Shows the settings, not the buffer.
impl fmt::Debug for Apa102 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Apa102")
            .field("order", &self.order)
            .field("brightness", &self.brightness)
            .field("mode", &self.mode)
            .field("end_frame", &self.end_frame)
            .field("max_transfer", &self.max_transfer)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::apa102::Dot;

    /// The bytes of one frame, computed with floating point for every byte as the
    /// module docs define them.
    fn reference(pixels: &[Dot], global: f64, mode: BrightnessMode) -> Vec<u8> {
        let mut out = vec![0; 4];
        for p in pixels {
            let (level, c) = match mode {
                BrightnessMode::Scale => {
                    let s = |c: u8| (f64::from(c) * global) as u8;
                    (p.brightness, RGB8::new(s(p.color.r), s(p.color.g), s(p.color.b)))
                }
                BrightnessMode::Hardware => {
                    let level = match p.brightness == 0 || global <= 0.0 {
                        true => 0,
                        false => ((f64::from(p.brightness) * global).round() as u8).max(1),
                    };
                    (level, p.color)
                }
            };
            out.extend_from_slice(&[0xE0 | level, c.b, c.g, c.r]);
        }
        out.resize(out.len() + pixels.len().div_ceil(16), 0);
        out
    }

    #[test]
    fn the_tables_give_the_bytes_of_the_formulas_at_every_brightness() {
        let pixels: Vec<Dot> =
            (0..=255u8).map(|c| Dot::new(RGB8::new(c, 255 - c, c / 3), c % 32)).collect();
        let mut encoder = Apa102::new();
        for global in [0.0, 0.001, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.77, 0.999, 1.0] {
            for mode in [BrightnessMode::Scale, BrightnessMode::Hardware] {
                encoder = encoder.brightness(global).brightness_mode(mode);
                let bytes = encoder.encode(&pixels).unwrap().to_vec();
                assert_eq!(bytes, reference(&pixels, global, mode), "{global} {mode:?}");
            }
        }
        // Changing the brightness between frames takes effect at once.
        encoder = encoder.brightness_mode(BrightnessMode::Scale);
        encoder.set_brightness(0.5).unwrap();
        assert_eq!(
            encoder.encode(&pixels).unwrap(),
            reference(&pixels, 0.5, BrightnessMode::Scale)
        );
    }

    #[test]
    fn iterators_that_promise_fewer_or_more_pixels_than_they_give_encode_the_same() {
        let pixels: Vec<RGB8> = (0..40u8).map(|i| RGB8::new(i, 2 * i, 3 * i)).collect();
        let mut encoder = Apa102::new().brightness(0.6);
        let expected = encoder.encode(&pixels).unwrap().to_vec();
        // `filter` promises none; the rest are appended.
        let got = encoder.encode_iter(pixels.iter().copied().filter(|_| true)).unwrap();
        assert_eq!(got, expected);

        /// Promises 40 pixels and gives 3.
        struct Liar(core::ops::Range<u8>);
        impl Iterator for Liar {
            type Item = RGB8;
            fn next(&mut self) -> Option<RGB8> {
                self.0.next().map(|i| RGB8::new(i, 2 * i, 3 * i))
            }
            fn size_hint(&self) -> (usize, Option<usize>) {
                (40, None)
            }
        }
        let short = encoder.encode_iter(Liar(0..3)).unwrap().to_vec();
        assert_eq!(short, encoder.encode(&pixels[..3]).unwrap());
    }

    #[test]
    fn a_refused_pixel_leaves_the_buffer_empty_wherever_it_is() {
        let mut pixels = vec![Dot::from(RGB8::new(1, 2, 3)); 30];
        pixels[29] = Dot { color: RGB8::new(1, 2, 3), brightness: 40 };
        let mut encoder = Apa102::new();
        let err = encoder.encode(&pixels).unwrap_err();
        assert_eq!(err, Apa102Error::LedBrightness { index: 29, value: 40 });
        assert!(encoder.bytes().is_empty());
        // Past the promised pixels too.
        let err = encoder.encode_iter(pixels.iter().copied().filter(|_| true)).unwrap_err();
        assert_eq!(err, Apa102Error::LedBrightness { index: 29, value: 40 });
        assert!(encoder.bytes().is_empty());
    }
}
