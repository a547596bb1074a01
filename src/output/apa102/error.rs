//! What the APA102 encoder refuses.

/// A setting or a pixel the APA102 encoder cannot send; names the value.
///
/// # Examples
///
/// ```
/// use blinken::{Pixel, RGB8};
/// use blinken::output::apa102::{Apa102, Apa102Error, Dot};
///
/// let mut strip = Apa102::new().brightness(1.5);
/// let err = strip.encode(&[RGB8::new(1, 2, 3)]).unwrap_err();
/// assert_eq!(err, Apa102Error::Brightness { value: 1.5 });
/// assert_eq!(
///     err.to_string(),
///     "global brightness 1.5 is outside 0.0..=1.0; use a fraction of full brightness, \
///      such as 0.25 for a quarter"
/// );
///
/// let mut strip = Apa102::new();
/// let pixels = [Dot::OFF, Dot { color: RGB8::new(9, 9, 9), brightness: 32 }];
/// let err = strip.encode(&pixels).unwrap_err();
/// assert_eq!(err, Apa102Error::LedBrightness { index: 1, value: 32 });
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Apa102Error {
    /// The global brightness is not a number in `0.0..=1.0`.
    #[error(
        "global brightness {value} is outside 0.0..=1.0; use a fraction of full brightness, \
         such as 0.25 for a quarter"
    )]
    Brightness {
        /// The offending value (may be NaN or infinite).
        value: f64,
    },
    /// [`Dot::try_new`](super::Dot::try_new) was given a brightness above 31.
    #[error("Dot brightness {value} does not fit the APA102's 5 bits; use 0..=31 (31 is full)")]
    DotBrightness {
        /// The offending brightness.
        value: u8,
    },
    /// A pixel of the frame has a brightness above 31.
    #[error(
        "LED {index} has brightness {value}, which does not fit the APA102's 5 bits; \
         use 0..=31 (31 is full)"
    )]
    LedBrightness {
        /// The LED's index in the frame.
        index: usize,
        /// Its brightness.
        value: u8,
    },
    /// A maximum transfer size of zero bytes.
    #[error(
        "a maximum transfer size of 0 bytes cannot carry a frame; use spidev's buffer size \
         (4096 unless raised with spidev.bufsiz)"
    )]
    ZeroMaxTransfer,
    /// A pixel order name that is none of the six.
    #[error("unknown pixel order {value:?}; use one of RGB, RBG, GRB, GBR, BRG, BGR")]
    UnknownOrder {
        /// The name given.
        value: String,
    },
}
