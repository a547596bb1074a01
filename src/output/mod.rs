//! Where frames go: the [`Output`] trait and the in-memory backends.

pub mod adapter;
pub mod apa102;
#[cfg(feature = "gpiocdev")]
mod gpio_cdev;
mod picture;
#[cfg(feature = "embedded-hal")]
mod pins;
mod recorder;
#[cfg(feature = "rppal")]
mod rpi;
#[cfg(feature = "smart-leds")]
mod smart_leds;
mod terminal;

#[cfg(feature = "gpiocdev")]
pub use gpio_cdev::*;
pub use picture::Picture;
#[cfg(feature = "embedded-hal")]
pub use pins::*;
pub use recorder::{Recorder, Step};

#[cfg(feature = "rppal")]
pub use rpi::*;
#[cfg(feature = "smart-leds")]
pub use smart_leds::*;
pub use terminal::{ColorMode, Shade, Terminal};

use crate::{Instant, Pixel};

/// One frame handed to an [`Output`]: every pixel, which ones changed, and when.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a, P> {
    /// The value of every LED, index order.
    pub pixels: &'a [P],
    /// The indices that differ from the previous successful write, ascending. After a
    /// failed write (and on the first write) every index is listed.
    pub changed: &'a [usize],
    /// The driver's instant this frame belongs to.
    pub at: Instant,
}

/// A device that shows frames: GPIO lines, a strip, a recorder, a terminal.
///
/// Backends implement two methods: [`Output::len`] and [`Output::write`]. The driver
/// calls `write` once per round of wake-ups in which anything changed, so every change
/// due at one instant reaches the device in one write.
///
/// # Ending: one vocabulary for every backend
///
/// - [`Output::clear`] switches every LED off now (a provided method: one full frame
///   of [`Pixel::OFF`]; backends may do it better).
/// - A hardware backend's `release(self)` switches everything off and then gives back
///   what it was made of (the pins, the SPI bus, the writer; nothing for GPIO lines,
///   which go back to the kernel); when the switch-off fails it returns a
///   [`ReleaseError`] that hands the output back with the error, so nothing is lost.
/// - Its `into_inner(self)` gives that back at once, with no I/O: the LEDs keep
///   showing what they show.
/// - Dropping a backend does no I/O (a failure there could only be swallowed), except
///   for GPIO lines, which the kernel would otherwise leave driven: those switch off
///   on drop, best effort. A [`Player`](crate::Player) clears its output when it
///   shuts down and reports a failure.
///
/// # Errors
///
/// `write` returns the backend's own error; the driver stops the current animation and
/// reports it (it is never swallowed), and the next write sends the whole frame again.
/// In-memory backends use [`Infallible`](core::convert::Infallible).
///
/// # Examples
///
/// A backend that counts writes:
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::Frame;
/// use std::convert::Infallible;
///
/// struct Counter { len: usize, writes: usize }
///
/// impl Output for Counter {
///     type Pixel = bool;
///     type Error = Infallible;
///     fn len(&self) -> usize { self.len }
///     fn write(&mut self, _frame: Frame<'_, bool>) -> Result<(), Infallible> {
///         self.writes += 1;
///         Ok(())
///     }
/// }
///
/// let mut driver = Driver::new(Counter { len: 2, writes: 0 }, VirtualClock::new());
/// driver.run(&blink([0, 1], ms(10)).times(2)).unwrap();
/// // on, off, on, off: one write each, both LEDs together.
/// assert_eq!(driver.output().writes, 4);
/// ```
pub trait Output {
    /// What one LED shows.
    type Pixel: Pixel;
    /// What a failed write reports.
    type Error: std::error::Error + Send + Sync + 'static;

    /// How many LEDs; valid indices are `0..len()`.
    fn len(&self) -> usize;

    /// Shows `frame` on the device.
    ///
    /// # Errors
    ///
    /// The backend's error when the device refused the frame.
    fn write(&mut self, frame: Frame<'_, Self::Pixel>) -> Result<(), Self::Error>;

    /// Whether the output has no LEDs.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Switches every LED off now, outside any driver (a driver does not know about
    /// this write; while one plays, use [`Driver::clear`](crate::Driver::clear)).
    ///
    /// The default writes one frame of [`Pixel::OFF`] with every index changed, at
    /// [`Instant::ZERO`].
    ///
    /// # Errors
    ///
    /// The backend's error.
    fn clear(&mut self) -> Result<(), Self::Error> {
        let pixels = vec![Self::Pixel::OFF; self.len()];
        let changed: Vec<usize> = (0..pixels.len()).collect();
        self.write(Frame { pixels: &pixels, changed: &changed, at: Instant::ZERO })
    }
}

/// Switching off before a release failed; the output is handed back as it is, with
/// the error (see [`Output`], "Ending").
#[derive(Debug, thiserror::Error)]
#[error("switching the LEDs off before releasing the output failed; the output is handed back")]
pub struct ReleaseError<O, E> {
    /// The output, to retry or to take apart with `into_inner`.
    pub output: O,
    /// Why switching off failed.
    #[source]
    pub source: E,
}

impl<O: Output + ?Sized> Output for &mut O {
    type Pixel = O::Pixel;
    type Error = O::Error;
    fn len(&self) -> usize {
        (**self).len()
    }
    fn write(&mut self, frame: Frame<'_, Self::Pixel>) -> Result<(), Self::Error> {
        (**self).write(frame)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        (**self).clear()
    }
}

impl<O: Output + ?Sized> Output for Box<O> {
    type Pixel = O::Pixel;
    type Error = O::Error;
    fn len(&self) -> usize {
        (**self).len()
    }
    fn write(&mut self, frame: Frame<'_, Self::Pixel>) -> Result<(), Self::Error> {
        (**self).write(frame)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        (**self).clear()
    }
}
