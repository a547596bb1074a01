//! The order in which a strip expects the three colour bytes.

use core::fmt;
use core::str::FromStr;

use crate::RGB8;

use super::Apa102Error;

/// The order of the three colour bytes after each LED's header byte.
///
/// Strips differ: most APA102 / DotStar strips want blue, green, red
/// ([`PixelOrder::Bgr`], the default); some batches want another of the six orders. If
/// red shows as blue, try the other orders until it does not. Parsed from and
/// displayed as the upper-case letters (`"GBR"`), as Python drivers name them.
///
/// # Examples
///
/// ```
/// use blinken::RGB8;
/// use blinken::output::apa102::PixelOrder;
///
/// let c = RGB8::new(0x11, 0x22, 0x33);
/// assert_eq!(PixelOrder::default(), PixelOrder::Bgr);
/// assert_eq!(PixelOrder::Bgr.arrange(c), [0x33, 0x22, 0x11]);
/// assert_eq!(PixelOrder::Grb.arrange(c), [0x22, 0x11, 0x33]);
///
/// let order: PixelOrder = "gbr".parse().unwrap();
/// assert_eq!(order, PixelOrder::Gbr);
/// assert_eq!(order.to_string(), "GBR");
/// assert_eq!(
///     "RGBW".parse::<PixelOrder>().unwrap_err().to_string(),
///     "unknown pixel order \"RGBW\"; use one of RGB, RBG, GRB, GBR, BRG, BGR"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PixelOrder {
    /// Red, green, blue.
    Rgb,
    /// Red, blue, green.
    Rbg,
    /// Green, red, blue.
    Grb,
    /// Green, blue, red.
    Gbr,
    /// Blue, red, green.
    Brg,
    /// Blue, green, red: the usual APA102 / DotStar order.
    #[default]
    Bgr,
}

impl PixelOrder {
    /// All six orders.
    pub const ALL: [PixelOrder; 6] = [
        PixelOrder::Rgb,
        PixelOrder::Rbg,
        PixelOrder::Grb,
        PixelOrder::Gbr,
        PixelOrder::Brg,
        PixelOrder::Bgr,
    ];

    /// The three colour bytes of `color` in the order they go on the wire.
    pub const fn arrange(self, color: RGB8) -> [u8; 3] {
        let RGB8 { r, g, b } = color;
        match self {
            PixelOrder::Rgb => [r, g, b],
            PixelOrder::Rbg => [r, b, g],
            PixelOrder::Grb => [g, r, b],
            PixelOrder::Gbr => [g, b, r],
            PixelOrder::Brg => [b, r, g],
            PixelOrder::Bgr => [b, g, r],
        }
    }

    /// The order's name in upper case: `"BGR"`.
    pub const fn name(self) -> &'static str {
        match self {
            PixelOrder::Rgb => "RGB",
            PixelOrder::Rbg => "RBG",
            PixelOrder::Grb => "GRB",
            PixelOrder::Gbr => "GBR",
            PixelOrder::Brg => "BRG",
            PixelOrder::Bgr => "BGR",
        }
    }
}

impl fmt::Display for PixelOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Case-insensitive: `"bgr"`, `"BGR"`.
impl FromStr for PixelOrder {
    type Err = Apa102Error;

    fn from_str(s: &str) -> Result<PixelOrder, Apa102Error> {
        PixelOrder::ALL
            .into_iter()
            .find(|order| order.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Apa102Error::UnknownOrder { value: s.to_owned() })
    }
}
