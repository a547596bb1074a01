//! APA102 / DotStar (and SK9822) strips: pixel types, a pure frame encoder, and an
//! output over any embedded-hal `SpiBus`.
//!
//! The encoder ([`Apa102`]) needs no hardware and is always compiled; the SPI output
//! (`Apa102Spi`) needs the `embedded-hal` feature, and its `/dev/spidevX.Y`
//! constructor the `spidev` feature (on a Raspberry Pi, `rppal`'s `Spi` works too).
//!
//! # Wire format
//!
//! SPI mode 0, most significant bit first. One frame is:
//!
//! | part | bytes |
//! |---|---|
//! | start frame | 4 × `0x00` |
//! | one per LED, in strip order | `0xE0 \| b5`, then the three colour bytes in the strip's [`PixelOrder`] (BGR by default) |
//! | SK9822 reset frame (only with [`EndFrame::Sk9822`]) | 4 × `0x00` |
//! | end frame | `ceil(n / 16)` × `0x00`: the extra clock edges that push the data through to the last LEDs |
//!
//! `b5` is a 5-bit brightness (31 = full). Every frame sends every LED.
//!
//! # Brightness
//!
//! A pixel is either an [`RGB8`](crate::RGB8) (always at full 5-bit brightness, 31) or a [`Dot`],
//! which carries its own 5-bit brightness. The encoder multiplies each pixel's
//! brightness by one *global* brightness (`0.0..=1.0`), in one of two places chosen by
//! [`BrightnessMode`]:
//!
//! - [`BrightnessMode::Scale`] (the default, and what the common Python DotStar driver
//!   does): each colour byte becomes `int(c × global)`, truncated; the header keeps the
//!   pixel's own brightness (31 for `RGB8`). Dim globals lose colour resolution: at
//!   `0.1` a colour byte has only 26 levels left and every byte below 10 becomes 0.
//! - [`BrightnessMode::Hardware`]: the colour bytes are sent as they are and the global
//!   brightness goes into the 5-bit header: `b5 = round(pixel_b5 × global)`, but at
//!   least 1 when both are non-zero, so a dimmed strip never goes dark. Colours keep
//!   all 256 levels at any brightness; the brightness itself has 32 coarse steps
//!   (`0.1` becomes 3/31). On genuine APA102 chips the 5-bit brightness is a slower
//!   PWM layered on the colour PWM, which a camera may show as flicker; SK9822 chips
//!   drive it as a constant current instead.
//!
//! At a global brightness of `1.0` (the default) both modes send the same bytes.
//!
//! # Examples
//!
//! Strips are driven by the same leaves and combinators as plain LEDs; only the pixel
//! type changes. Here a program runs on a recorder and its final frame is encoded:
//!
//! ```
//! use blinken::prelude::*;
//! use blinken::output::apa102::{Apa102, Dot};
//!
//! let red = Dot::from(RGB8::new(255, 0, 0));
//! let dim_blue = Dot::new(RGB8::new(0, 0, 255), 4);
//! let program = fill(0, red).then(blink(1, ms(100)).times(2).color(dim_blue)).then(fill(2, dim_blue));
//!
//! let mut driver = Driver::new(Recorder::<Dot>::with_len(3), VirtualClock::new());
//! driver.run(&program).unwrap();
//! driver.output().assert_timeline("
//!     0.000000 ##.
//!     0.100000 #..
//!     0.200000 ##.
//!     0.300000 #..
//!     0.400000 #.#
//! ");
//!
//! let mut strip = Apa102::new(); // BGR, full brightness, APA102 end frame
//! assert_eq!(strip.encode(driver.shown()).unwrap(), &[
//!     0x00, 0x00, 0x00, 0x00, // start frame
//!     0xFF, 0x00, 0x00, 0xFF, // LED 0: red at 31
//!     0xE0, 0x00, 0x00, 0x00, // LED 1: off
//!     0xE4, 0xFF, 0x00, 0x00, // LED 2: blue at 4
//!     0x00,                   // end frame: ceil(3 / 16) bytes
//! ]);
//! ```

mod dot;
mod encoder;
mod error;
mod order;
#[cfg(feature = "embedded-hal")]
mod spi;
#[cfg(feature = "spidev")]
mod spidev;

pub use dot::{Apa102Pixel, Dot};
pub use encoder::{Apa102, BrightnessMode, DEFAULT_MAX_TRANSFER, EndFrame};
pub use error::Apa102Error;
pub use order::PixelOrder;
#[cfg(feature = "embedded-hal")]
pub use spi::{Apa102Spi, Apa102SpiError};
#[cfg(feature = "spidev")]
pub use spidev::{SpidevError, open_spidev_bus};
