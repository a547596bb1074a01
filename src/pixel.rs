//! What one LED shows.

use core::fmt::Debug;

pub use rgb::RGB8;

/// The value of one LED in a frame: `bool` for plain GPIO lines, [`RGB8`] for strips.
///
/// Leaves switch LEDs between [`Pixel::ON`] (unless given another value, see
/// [`Blink::color`](crate::leaf::Blink::color)) and [`Pixel::OFF`].
///
/// # Examples
///
/// ```
/// use blinken::{Pixel, RGB8};
///
/// assert!(true.is_on());
/// assert_eq!(RGB8::OFF, RGB8::new(0, 0, 0));
/// assert!(RGB8::new(0, 3, 0).is_on());
/// ```
pub trait Pixel: Copy + PartialEq + Debug + 'static {
    /// The value of a dark LED (and of every LED before anything is written).
    const OFF: Self;
    /// The value a leaf writes to switch an LED "on" when not given another one.
    const ON: Self;

    /// Whether the LED gives any light; the recorder draws `#` for on and `.` for off.
    fn is_on(&self) -> bool {
        *self != Self::OFF
    }
}

impl Pixel for bool {
    const OFF: bool = false;
    const ON: bool = true;
}

/// `ON` is full white.
impl Pixel for RGB8 {
    const OFF: RGB8 = RGB8::new(0, 0, 0);
    const ON: RGB8 = RGB8::new(255, 255, 255);
}
