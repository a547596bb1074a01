//! Output adapters: brightness, gamma correction and a power limiter that wrap any
//! colour [`Output`](super::Output) and compose, and [`Mirror`], which mirrors a
//! segment of any output.
//!
//! Each adapter is an `Output` itself, so they nest. The frame goes from the outermost
//! adapter inwards, so the order of application is the order of wrapping, outside in:
//!
//! ```text
//! Brightness::new(Gamma::new(PowerLimit::new(strip, 2_000), 2.8))
//! driver → brightness → gamma → power limit → strip
//! ```
//!
//! That is the order to use: gamma after brightness (as FastLED and smart-leds apply
//! them, so a dimmed colour is corrected like any other), and the power limiter last,
//! because it must see the bytes the strip will really get.
//!
//! # What every adapter does alike
//!
//! - It keeps one buffer of the pixels it sent, reused for every frame: after the first
//!   write it allocates nothing.
//! - It passes on, as `changed`, exactly the LEDs whose *adapted* value differs from
//!   what it last sent; a frame that changes nothing after adapting (two dim levels
//!   that round to the same byte, everything at brightness 0) is not passed on at all.
//!   When its own setting changes (a new brightness, a new power scale), every LED is
//!   sent. So is every LED after a failed or panicking write, on a frame that lists
//!   every LED as changed (a driver's first write), and after
//!   [`inner_mut`](Brightness::inner_mut).
//! - [`clear`](crate::Output::clear) goes straight to the wrapped output (its own
//!   clear, not an adapted frame), and the next write then sends every LED.
//! - `into_inner` gives back the wrapped output; `inner` and `inner_mut` lend it.

mod brightness;
mod buffer;
mod gamma;
mod mirror;
mod power;

pub use brightness::{Brightness, BrightnessHandle};
pub use gamma::Gamma;
pub use mirror::Mirror;
pub use power::PowerLimit;
