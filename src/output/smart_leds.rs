//! Any `smart-leds` writer (WS2812 and friends) as an output.

use core::fmt;
use core::iter;

use smart_leds_trait::SmartLedsWrite;

use super::{Frame, Output, ReleaseError};
use crate::{Pixel, RGB8};

/// A [`smart_leds_trait::SmartLedsWrite`] driver (WS2812 / NeoPixel, SK6812, ...) as
/// an [`Output`] of `len` [`RGB8`] LEDs.
///
/// Every write hands the driver the whole frame, one `write` call with an iterator
/// over the `len` pixels; any driver whose colour type converts from `RGB8` works
/// (those whose `Color` is `RGB8` itself, most of them). Global brightness, gamma and
/// colour order are the driver's business (or wrap the pixels with `smart-leds`'
/// helpers before they reach it).
///
/// Dropping the output leaves the LEDs showing the last frame;
/// [`SmartLeds::release`] switches them off and gives the driver back.
///
/// # Errors
///
/// A failed `write` is reported as [`SmartLedsError`], which keeps the driver's error
/// (smart-leds errors are only `Debug`, so the message shows its debug form).
///
/// # Examples
///
/// A program played on a driver that keeps what it was sent:
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::SmartLeds;
/// use smart_leds_trait::SmartLedsWrite;
///
/// /// Stands in for a WS2812 driver.
/// #[derive(Debug, Default)]
/// struct Fake { frames: Vec<Vec<RGB8>> }
///
/// impl SmartLedsWrite for Fake {
///     type Error = ();
///     type Color = RGB8;
///     fn write<T, I>(&mut self, pixels: T) -> Result<(), ()>
///     where
///         T: IntoIterator<Item = I>,
///         I: Into<RGB8>,
///     {
///         self.frames.push(pixels.into_iter().map(Into::into).collect());
///         Ok(())
///     }
/// }
///
/// let (red, green) = (RGB8::new(255, 0, 0), RGB8::new(0, 255, 0));
/// let program = fill(2, green).then(blink(0, ms(100)).times(1).color(red));
/// let mut driver = Driver::new(SmartLeds::new(Fake::default(), 3), VirtualClock::new());
/// driver.run(&program).unwrap();
///
/// let fake = driver.into_output().release().unwrap();
/// let off = RGB8::OFF;
/// assert_eq!(fake.frames, [
///     vec![red, off, green], // 0 ms
///     vec![off, off, green], // 100 ms
///     vec![off, off, off],   // release
/// ]);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "smart-leds")))]
pub struct SmartLeds<W> {
    writer: W,
    len: usize,
}

/// A `smart-leds` driver refused a frame; keeps the driver's error.
///
/// # Examples
///
/// ```
/// use blinken::output::SmartLedsError;
///
/// let err = SmartLedsError::new(60, "SPI timeout");
/// assert_eq!(
///     err.to_string(),
///     "the smart-leds driver failed to show a 60-LED frame: \"SPI timeout\"; check its \
///      bus or data pin and the LED count"
/// );
/// assert_eq!(*err.error(), "SPI timeout");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "smart-leds")))]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the smart-leds driver failed to show a {leds}-LED frame: {error:?}; check its bus or \
     data pin and the LED count"
)]
pub struct SmartLedsError<E> {
    leds: usize,
    error: E,
}

impl<E> SmartLedsError<E> {
    /// The driver's `error` for a frame of `leds` LEDs.
    pub fn new(leds: usize, error: E) -> SmartLedsError<E> {
        SmartLedsError { leds, error }
    }

    /// How many LEDs the refused frame had.
    pub fn leds(&self) -> usize {
        self.leds
    }

    /// The driver's error.
    pub fn error(&self) -> &E {
        &self.error
    }

    /// The driver's error, by value.
    pub fn into_error(self) -> E {
        self.error
    }
}

impl<W> SmartLeds<W> {
    /// `len` LEDs driven by `writer`.
    pub fn new(writer: W, len: usize) -> SmartLeds<W> {
        SmartLeds { writer, len }
    }

    /// The driver.
    pub fn writer(&self) -> &W {
        &self.writer
    }

    /// The driver, mutably.
    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.writer
    }

    /// Gives the driver back without writing anything: the LEDs keep the last frame.
    /// [`SmartLeds::release`] switches them off first.
    pub fn into_writer(self) -> W {
        self.writer
    }
}

impl<W> SmartLeds<W>
where
    W: SmartLedsWrite,
    RGB8: Into<W::Color>,
{
    /// Sends `pixels` now: the first `len` of them, and off for any missing.
    ///
    /// # Errors
    ///
    /// The driver's error, wrapped.
    pub fn show(&mut self, pixels: &[RGB8]) -> Result<(), SmartLedsError<W::Error>> {
        let pixels = pixels.iter().copied().chain(iter::repeat(RGB8::OFF)).take(self.len);
        self.writer.write(pixels).map_err(|error| SmartLedsError::new(self.len, error))
    }

    /// Switches every LED off, then gives the driver back.
    ///
    /// # Errors
    ///
    /// If the all-off frame cannot be sent: a [`ReleaseError`] with this output (its
    /// writer through [`SmartLeds::into_inner`]) and the error.
    pub fn release(mut self) -> Result<W, ReleaseError<Self, SmartLedsError<W::Error>>> {
        match self.show(&[]) {
            Ok(()) => Ok(self.writer),
            Err(source) => Err(ReleaseError { output: self, source }),
        }
    }

    /// Gives the writer back without writing anything: the strip keeps its last frame.
    pub fn into_inner(self) -> W {
        self.writer
    }
}

impl<W> Output for SmartLeds<W>
where
    W: SmartLedsWrite,
    RGB8: Into<W::Color>,
    W::Error: fmt::Debug + Send + Sync + 'static,
{
    type Pixel = RGB8;
    type Error = SmartLedsError<W::Error>;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, RGB8>) -> Result<(), Self::Error> {
        self.show(frame.pixels)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.show(&[])
    }
}

/// Shows the length, not the driver.
impl<W> fmt::Debug for SmartLeds<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmartLeds").field("len", &self.len).finish_non_exhaustive()
    }
}
