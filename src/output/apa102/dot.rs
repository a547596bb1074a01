//! Pixels an APA102 strip shows.

use crate::{Pixel, RGB8};

use super::Apa102Error;

/// A colour with its own 5-bit APA102 brightness (`0..=31`).
///
/// The strip sends `brightness` in each LED's header byte, so a `Dot` dims an LED
/// without giving up colour resolution. The encoder combines it with the global
/// brightness (see [`BrightnessMode`](super::BrightnessMode)). A plain [`RGB8`] is a
/// `Dot` at full brightness (31): `Dot::from(rgb)`.
///
/// The fields are public; a brightness above 31 is refused when the frame is encoded,
/// with an error naming the LED and the value. [`Dot::new`] and [`Dot::try_new`] check
/// it at once.
///
/// # Examples
///
/// ```
/// use blinken::{Pixel, RGB8};
/// use blinken::output::apa102::Dot;
///
/// let dim_red = Dot::new(RGB8::new(255, 0, 0), 3);
/// assert_eq!(dim_red, Dot { color: RGB8::new(255, 0, 0), brightness: 3 });
/// assert_eq!(Dot::from(RGB8::new(1, 2, 3)).brightness, 31);
/// assert_eq!(Dot::ON, Dot::new(RGB8::new(255, 255, 255), 31));
/// assert_eq!(Dot::OFF, Dot::default());
///
/// // Only a Dot that gives light is "on": a colour at brightness 0 is dark.
/// assert!(dim_red.is_on());
/// assert!(!Dot::new(RGB8::new(255, 0, 0), 0).is_on());
///
/// let err = Dot::try_new(RGB8::new(255, 0, 0), 40).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "Dot brightness 40 does not fit the APA102's 5 bits; use 0..=31 (31 is full)"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dot {
    /// The colour, before any brightness.
    pub color: RGB8,
    /// The 5-bit brightness, `0..=31` (31 is full).
    pub brightness: u8,
}

impl Dot {
    /// The brightest a `Dot` can be.
    pub const MAX_BRIGHTNESS: u8 = 31;

    /// A `Dot` of `color` at `brightness` (`0..=31`).
    ///
    /// # Panics
    ///
    /// If `brightness` is above 31, naming it; [`Dot::try_new`] returns an error instead.
    #[track_caller]
    pub fn new(color: RGB8, brightness: u8) -> Dot {
        match Dot::try_new(color, brightness) {
            Ok(dot) => dot,
            Err(err) => panic!("{err}"),
        }
    }

    /// A `Dot` of `color` at `brightness` (`0..=31`).
    ///
    /// # Errors
    ///
    /// [`Apa102Error::DotBrightness`] if `brightness` is above 31.
    pub fn try_new(color: RGB8, brightness: u8) -> Result<Dot, Apa102Error> {
        if brightness > Dot::MAX_BRIGHTNESS {
            return Err(Apa102Error::DotBrightness { value: brightness });
        }
        Ok(Dot { color, brightness })
    }
}

/// Full brightness (31).
impl From<RGB8> for Dot {
    fn from(color: RGB8) -> Dot {
        Dot { color, brightness: Dot::MAX_BRIGHTNESS }
    }
}

/// `OFF` is black at brightness 0, `ON` white at 31; on means "gives light": a
/// non-black colour at a non-zero brightness.
impl Pixel for Dot {
    const OFF: Dot = Dot { color: RGB8::new(0, 0, 0), brightness: 0 };
    const ON: Dot = Dot { color: RGB8::new(255, 255, 255), brightness: Dot::MAX_BRIGHTNESS };

    fn is_on(&self) -> bool {
        self.brightness > 0 && self.color.is_on()
    }
}

/// A pixel an APA102 strip can show: a colour and a 5-bit brightness.
///
/// Implemented by [`RGB8`] (always at full brightness, 31) and [`Dot`]. Implement it
/// for your own pixel type to play it on an [`Apa102`](super::Apa102) encoder or an
/// `Apa102Spi` output.
///
/// # Examples
///
/// ```
/// use blinken::RGB8;
/// use blinken::output::apa102::{Apa102Pixel, Dot};
///
/// assert_eq!(RGB8::new(1, 2, 3).brightness(), 31);
/// assert_eq!(Dot::new(RGB8::new(1, 2, 3), 7).brightness(), 7);
/// assert_eq!(Dot::new(RGB8::new(1, 2, 3), 7).color(), RGB8::new(1, 2, 3));
/// ```
pub trait Apa102Pixel: Pixel {
    /// The colour, before any brightness.
    fn color(&self) -> RGB8;

    /// The 5-bit brightness, `0..=31`; the encoder refuses values above 31.
    fn brightness(&self) -> u8;
}

impl Apa102Pixel for RGB8 {
    fn color(&self) -> RGB8 {
        *self
    }

    fn brightness(&self) -> u8 {
        Dot::MAX_BRIGHTNESS
    }
}

impl Apa102Pixel for Dot {
    fn color(&self) -> RGB8 {
        self.color
    }

    fn brightness(&self) -> u8 {
        self.brightness
    }
}
