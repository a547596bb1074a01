//! An APA102 strip on an embedded-hal SPI bus.

use core::fmt;
use core::iter;
use core::marker::PhantomData;

use embedded_hal::spi::{self, ErrorKind, SpiBus};

use super::{Apa102, Apa102Error, Apa102Pixel};
use crate::RGB8;
use crate::output::{Frame, Output, ReleaseError};

/// An APA102 / DotStar strip of `len` LEDs on an embedded-hal [`SpiBus`]: an
/// [`Output`] of [`RGB8`] or [`Dot`](super::Dot) pixels.
///
/// Every write sends every LED: the [`Apa102`] encoder builds the whole frame in its
/// reused buffer, which goes out in as few `write`s as the encoder's
/// [`max_transfer`](Apa102::max_transfer) allows (one for up to 1007 LEDs with
/// spidev's default 4096 bytes), followed by one `flush`.
///
/// Any `SpiBus` works: `rppal::spi::Spi` on a Raspberry Pi (feature `rppal`),
/// `linux_embedded_hal::SpidevBus` through [`Apa102Spi::open_spidev`] (feature
/// `spidev`), or a microcontroller HAL's bus. Configure the bus for SPI mode 0, most
/// significant bit first, at 4–8 MHz (lower for long strips).
///
/// Dropping the output leaves the strip showing its last frame; [`Apa102Spi::release`]
/// switches it off and gives the bus back.
///
/// # Errors
///
/// A write fails with [`Apa102SpiError`]: the bus error with the byte range and
/// transfer that failed, or a pixel the encoder refused. The driver reports it as
/// [`RunError::Output`](crate::RunError::Output) and sends the whole frame again on the
/// next write.
///
/// # Examples
///
/// The same combinators as for plain LEDs, with colours; the bytes on the bus checked
/// with `embedded-hal-mock`:
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::apa102::Apa102Spi;
/// use embedded_hal_mock::eh1::spi::{Mock, Transaction};
///
/// let red = RGB8::new(255, 0, 0);
/// let off_frame = vec![0, 0, 0, 0, 0xFF, 0, 0, 0, 0xFF, 0, 0, 0, 0];
/// let expected = [
///     // 0 ms: LED 0 red (BGR order: blue, green, red), LED 1 off.
///     Transaction::write_vec(vec![0, 0, 0, 0, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0]),
///     Transaction::flush(),
///     // 100 ms: both off. 200 ms: the blink ends, nothing changed, nothing sent.
///     Transaction::write_vec(off_frame.clone()),
///     Transaction::flush(),
///     // release: an all-off frame.
///     Transaction::write_vec(off_frame),
///     Transaction::flush(),
/// ];
///
/// let mut driver = Driver::new(Apa102Spi::new(Mock::new(&expected), 2), VirtualClock::new());
/// let end = driver.run(&blink(0, ms(100)).times(1).color(red)).unwrap();
/// assert_eq!(end, Instant::ZERO + ms(200));
/// let mut bus = driver.into_output().release().unwrap();
/// bus.done();
/// ```
///
/// On a Raspberry Pi with `rppal` (SPI0, 8 MHz), or with spidev:
///
/// ```no_run
/// # #[cfg(all(feature = "rppal", feature = "spidev"))]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use blinken::prelude::*;
/// use blinken::output::apa102::{Apa102, Apa102Spi, Dot, PixelOrder};
/// use rppal::spi::{Bus, Mode, SlaveSelect, Spi};
///
/// let spi = Spi::new(Bus::Spi0, SlaveSelect::Ss0, 8_000_000, Mode::Mode0)?;
/// let strip = Apa102::new().order(PixelOrder::Gbr).brightness(0.25);
/// let strip = Apa102Spi::with_config(spi, 11, strip)?;
/// let mut driver = Driver::new(strip, SystemClock::new());
/// let warm = Dot::from(RGB8::new(255, 120, 20));
/// driver.run(&cycle(0..11, ms(100)).timeout(secs(5)).then(fill(0..11, warm)))?;
///
/// // The same strip through /dev/spidev0.0 at 4 MHz.
/// let strip = Apa102Spi::open_spidev("/dev/spidev0.0", 11, 4_000_000)?;
/// let mut driver = Driver::new(strip, SystemClock::new());
/// driver.run(&blink(0..11, ms(250)).times(4).color(RGB8::new(0, 0, 255)))?;
/// driver.into_output().release().map_err(|e| e.source)?;
/// # Ok(())
/// # }
/// # #[cfg(not(all(feature = "rppal", feature = "spidev")))]
/// # fn main() {}
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-hal")))]
pub struct Apa102Spi<S, P = RGB8> {
    spi: S,
    len: usize,
    encoder: Apa102,
    pixel: PhantomData<fn() -> P>,
}

/// Why a frame did not reach an APA102 strip.
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-hal")))]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Apa102SpiError<E> {
    /// The encoder refused a pixel (a brightness above 31) or a setting.
    #[error(transparent)]
    Encode(#[from] Apa102Error),
    /// The bus refused a write; the strip may show a partial frame until the next one.
    #[error(
        "the SPI bus failed to write bytes {offset}..{end} (transfer {number} of {transfers}) \
         of a {leds}-LED APA102 frame: {kind:?} ({error:?}); check the SPI device, its \
         clock (lower it for long strips) and the transfer size",
        end = .offset + .len,
        number = .transfer + 1,
    )]
    Write {
        /// The offset of the failed transfer in the frame, in bytes.
        offset: usize,
        /// The length of the failed transfer, in bytes.
        len: usize,
        /// Which transfer failed, from 0.
        transfer: usize,
        /// How many transfers the frame takes.
        transfers: usize,
        /// How many LEDs the frame has.
        leds: usize,
        /// The bus error's kind.
        kind: ErrorKind,
        /// The bus error.
        error: E,
    },
    /// The bus failed to finish the frame.
    #[error(
        "the SPI bus failed to flush a {leds}-LED APA102 frame: {kind:?} ({error:?}); check \
         the SPI device"
    )]
    Flush {
        /// How many LEDs the frame has.
        leds: usize,
        /// The bus error's kind.
        kind: ErrorKind,
        /// The bus error.
        error: E,
    },
}

impl<E: spi::Error> Apa102SpiError<E> {
    /// The bus error's kind, or `None` for an encoder error.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            Apa102SpiError::Write { kind, .. } | Apa102SpiError::Flush { kind, .. } => Some(*kind),
            Apa102SpiError::Encode(_) => None,
        }
    }
}

impl<S: SpiBus> Apa102Spi<S, RGB8> {
    /// A strip of `len` [`RGB8`] LEDs on `spi` with the default encoder (BGR, full
    /// brightness, APA102 end frame, transfers of at most 4096 bytes).
    ///
    /// For [`Dot`](super::Dot) pixels or other settings use [`Apa102Spi::with_config`].
    pub fn new(spi: S, len: usize) -> Apa102Spi<S, RGB8> {
        Apa102Spi { spi, len, encoder: Apa102::new(), pixel: PhantomData }
    }
}

impl<S: SpiBus, P: Apa102Pixel> Apa102Spi<S, P> {
    /// A strip of `len` LEDs of pixel type `P` on `spi`, encoded by `encoder`.
    ///
    /// ```
    /// use blinken::prelude::*;
    /// use blinken::output::apa102::{Apa102, Apa102Error, Apa102Spi, Dot};
    /// use embedded_hal_mock::eh1::spi::Mock;
    ///
    /// let mut bus = Mock::new(&[]);
    /// let nan = Apa102::new().brightness(f64::NAN);
    /// let err = Apa102Spi::<_, Dot>::with_config(bus.clone(), 8, nan).unwrap_err();
    /// assert!(matches!(err, Apa102Error::Brightness { value } if value.is_nan()));
    /// assert!(err.to_string().starts_with("global brightness NaN is outside 0.0..=1.0"));
    ///
    /// let strip = Apa102Spi::<_, Dot>::with_config(bus.clone(), 8, Apa102::new().brightness(0.5))
    ///     .unwrap();
    /// assert_eq!(strip.encoder().get_brightness(), 0.5);
    /// bus.done();
    /// ```
    ///
    /// # Errors
    ///
    /// The encoder's first bad setting ([`Apa102Error::Brightness`],
    /// [`Apa102Error::ZeroMaxTransfer`]).
    pub fn with_config(
        spi: S,
        len: usize,
        encoder: Apa102,
    ) -> Result<Apa102Spi<S, P>, Apa102Error> {
        encoder.check()?;
        Ok(Apa102Spi { spi, len, encoder, pixel: PhantomData })
    }
}

impl<S, P> Apa102Spi<S, P> {
    /// The encoder and its settings.
    pub fn encoder(&self) -> &Apa102 {
        &self.encoder
    }

    /// The encoder, to change settings between frames (for instance
    /// [`Apa102::set_brightness`]); the next frame uses them.
    pub fn encoder_mut(&mut self) -> &mut Apa102 {
        &mut self.encoder
    }

    /// The bus.
    pub fn bus(&self) -> &S {
        &self.spi
    }

    /// The bus, mutably (to reconfigure its clock, say).
    pub fn bus_mut(&mut self) -> &mut S {
        &mut self.spi
    }

    /// Gives the bus back without writing anything: the strip keeps its last frame.
    /// [`Apa102Spi::release`] switches it off first.
    pub fn into_inner(self) -> S {
        self.spi
    }
}

impl<S: SpiBus, P: Apa102Pixel> Apa102Spi<S, P> {
    /// Sends `pixels` to the strip now: the first `len` of them, and off for any
    /// missing. The driver does this on every write; call it directly to show a frame
    /// without a driver, or to resend the current one after changing a setting.
    ///
    /// # Errors
    ///
    /// As [`Output::write`]: see [`Apa102SpiError`].
    pub fn show(&mut self, pixels: &[P]) -> Result<(), Apa102SpiError<S::Error>> {
        let pixels = pixels.iter().copied().chain(iter::repeat(P::OFF)).take(self.len);
        self.send(pixels)
    }

    /// Switches every LED off, then gives the bus back.
    ///
    /// # Errors
    ///
    /// If the all-off frame cannot be sent: a [`ReleaseError`] with this output (its
    /// bus through [`Apa102Spi::into_inner`]) and the error.
    pub fn release(mut self) -> Result<S, ReleaseError<Self, Apa102SpiError<S::Error>>> {
        match self.send(iter::repeat_n(P::OFF, self.len)) {
            Ok(()) => Ok(self.spi),
            Err(source) => Err(ReleaseError { output: self, source }),
        }
    }

    fn send(&mut self, pixels: impl Iterator<Item = P>) -> Result<(), Apa102SpiError<S::Error>> {
        let leds = self.len;
        self.encoder.encode_iter(pixels)?;
        let transfers = self.encoder.transfers();
        let count = transfers.len();
        let mut offset = 0;
        for (transfer, chunk) in transfers.enumerate() {
            self.spi.write(chunk).map_err(|error| Apa102SpiError::Write {
                offset,
                len: chunk.len(),
                transfer,
                transfers: count,
                leds,
                kind: spi::Error::kind(&error),
                error,
            })?;
            offset += chunk.len();
        }
        self.spi.flush().map_err(|error| Apa102SpiError::Flush {
            leds,
            kind: spi::Error::kind(&error),
            error,
        })
    }
}

impl<S, P> Output for Apa102Spi<S, P>
where
    S: SpiBus,
    S::Error: Send + Sync + 'static,
    P: Apa102Pixel,
{
    type Pixel = P;
    type Error = Apa102SpiError<S::Error>;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, P>) -> Result<(), Self::Error> {
        self.show(frame.pixels)
    }

    /// One all-off frame, encoded in the reused buffer.
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.send(iter::repeat_n(P::OFF, self.len))
    }
}

/// Shows the length and the encoder's settings, not the bus.
impl<S, P> fmt::Debug for Apa102Spi<S, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Apa102Spi")
            .field("len", &self.len)
            .field("encoder", &self.encoder)
            .finish_non_exhaustive()
    }
}
