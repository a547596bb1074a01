//! GPIO lines through the Linux GPIO character device (uAPI v2, via `gpiocdev`).
//!
//! [`GpioLines`] (the output: requests, frames, switching off) is in `lines.rs`, its
//! [`GpioLinesBuilder`] (and [`GpioLines::builder`]) in `builder.rs`, and
//! [`GpioLinesError`] (with the kernel errors it explains) in `error.rs`.

mod builder;
mod error;
mod lines;

pub use builder::GpioLinesBuilder;
pub use error::GpioLinesError;
pub use lines::GpioLines;
