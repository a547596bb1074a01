//! The output: LEDs on GPIO lines, split over kernel line requests.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use gpiocdev::line::{Offset, Value, Values};
use gpiocdev::{Chip, Request};

#[cfg(doc)]
use super::GpioLinesBuilder;
use super::GpioLinesError;
use super::error::{request_error, write_error};
use crate::output::{Frame, Output, ReleaseError};

/// LEDs on GPIO lines of one chip, through the Linux GPIO character device.
///
/// LED `i` is the `i`-th line offset given to the builder. The lines are requested as
/// outputs, initially off, under one consumer name (`"blinken"` unless set), so
/// `gpioinfo` shows who holds them.
///
/// # Requests and writes
///
/// One kernel line request holds at most [`GpioLines::MAX_LINES_PER_REQUEST`] (64)
/// lines, so the LEDs are split, in index order, into requests of up to 64 lines each
/// (or fewer, see [`GpioLinesBuilder::lines_per_request`]). Each frame is written with
/// **one** `GPIO_V2_LINE_SET_VALUES` ioctl per request that holds a changed LED: with
/// 64 lines or fewer, one ioctl per frame, so every change due at one instant reaches
/// the lines together. [`GpioLines::writes`] counts the ioctls.
///
/// # Drop
///
/// Dropping the output switches every line off, then releases the lines. A failure
/// while switching off cannot be reported from `drop`; call [`GpioLines::release`]
/// (or [`Output::clear`]) to see it.
///
/// # Examples
///
/// Five LEDs on `/dev/gpiochip0` (a Raspberry Pi header), blinking together:
///
/// ```no_run
/// use blinken::prelude::*;
/// use blinken::output::GpioLines;
///
/// let lines = GpioLines::builder("/dev/gpiochip0")
///     .lines([11, 10, 27, 4, 2])
///     .consumer("blinky")
///     .request()?;
/// let mut driver = Driver::new(lines, SystemClock::new());
/// driver.run(&blink(0..5, ms(250)).times(10))?;
/// // Switch off and release the lines, and hear about it if that fails.
/// driver.into_output().release()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
pub struct GpioLines {
    chip: PathBuf,
    consumer: String,
    offsets: Vec<Offset>,
    per_request: usize,
    chunks: Vec<Chunk>,
    writes: u64,
}

/// One kernel line request: the LEDs `leds` (indices into `offsets`).
struct Chunk {
    request: Request,
    leds: Range<usize>,
    /// The value of every line of the request, as the next write will send it.
    values: Values,
    /// A line of this request changed since the last successful write.
    dirty: bool,
}

impl GpioLines {
    /// The most lines one kernel line request can hold (`GPIO_V2_LINES_MAX`).
    pub const MAX_LINES_PER_REQUEST: usize = 64;

    /// The consumer name the lines are requested under unless
    /// [`GpioLinesBuilder::consumer`] sets another.
    pub const DEFAULT_CONSUMER: &'static str = "blinken";

    /// The chip's path (a chip name given to the builder is resolved to `/dev/<name>`).
    pub fn chip(&self) -> &Path {
        &self.chip
    }

    /// The line offsets, in LED order.
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// The consumer name the lines are held under.
    pub fn consumer(&self) -> &str {
        &self.consumer
    }

    /// How many kernel line requests hold the lines: `ceil(len / lines_per_request)`
    /// (0 after [`GpioLines::release`]).
    pub fn requests(&self) -> usize {
        self.chunks.len()
    }

    /// How many `set_values` ioctls this output has issued (frames, and switching off),
    /// successful or not. With at most 64 lines, one per frame written.
    pub fn writes(&self) -> u64 {
        self.writes
    }

    /// Every line off: one ioctl per request, even for lines already off; tries every
    /// request and returns the first error.
    fn all_off(&mut self) -> Result<(), GpioLinesError> {
        let mut result = Ok(());
        for chunk in &mut self.chunks {
            for &offset in &self.offsets[chunk.leds.clone()] {
                chunk.values.set(offset, Value::Inactive);
            }
            chunk.dirty = true;
            self.writes += 1;
            match chunk.request.set_values(&chunk.values) {
                Ok(()) => chunk.dirty = false,
                Err(source) => {
                    if result.is_ok() {
                        result =
                            Err(write_error(&self.chip, &self.offsets[chunk.leds.clone()], source));
                    }
                }
            }
        }
        result
    }

    /// Switches every line off, then releases the lines to the kernel (what dropping
    /// does, with the error reported).
    ///
    /// # Errors
    ///
    /// If switching off failed ([`GpioLinesError::Write`]): a [`ReleaseError`] that
    /// holds these lines, still requested, to retry or to drop (dropping tries once
    /// more and releases them whatever happens).
    // Called once, at the end: the size of the error (the whole output) costs nothing,
    // and every backend's `release` has the same shape.
    #[allow(clippy::result_large_err)]
    pub fn release(mut self) -> Result<(), ReleaseError<Self, GpioLinesError>> {
        match self.all_off() {
            Ok(()) => {
                self.chunks.clear();
                Ok(())
            }
            Err(source) => Err(ReleaseError { output: self, source }),
        }
    }

    /// Opens `chip`, checks `offsets` against it and requests them as outputs, off,
    /// `per_request` lines per kernel request; what [`GpioLinesBuilder::request`] does
    /// once the settings are known to be good.
    pub(super) fn open(
        path: PathBuf,
        consumer: String,
        offsets: Vec<Offset>,
        per_request: usize,
        active_low: bool,
    ) -> Result<GpioLines, GpioLinesError> {
        if offsets.is_empty() {
            return Err(GpioLinesError::NoLines { chip: path });
        }
        let chip: Chip = crate::gpio_error::open_chip(&path, &offsets)?;
        let mut chunks = Vec::with_capacity(offsets.len().div_ceil(per_request));
        for leds in request_ranges(offsets.len(), per_request) {
            let group = &offsets[leds.clone()];
            let mut builder = Request::builder();
            builder.on_chip(chip.path()).with_consumer(consumer.as_str());
            if active_low {
                builder.as_active_low();
            }
            builder.as_output(Value::Inactive).with_lines(group);
            let request =
                builder.request().map_err(|source| request_error(&chip, &path, group, source))?;
            let mut values = Values::default();
            for &offset in group {
                values.set(offset, Value::Inactive);
            }
            chunks.push(Chunk { request, leds, values, dirty: false });
        }
        Ok(GpioLines { chip: path, consumer, offsets, per_request, chunks, writes: 0 })
    }
}

/// The LEDs of each kernel request, in index order: `0..per`, `per..2·per`, ...; LED
/// `i` is in request `i / per` (what [`GpioLines::write`](Output::write) relies on).
fn request_ranges(len: usize, per: usize) -> impl Iterator<Item = Range<usize>> {
    (0..len).step_by(per).map(move |start| start..len.min(start + per))
}

impl Output for GpioLines {
    type Pixel = bool;
    type Error = GpioLinesError;

    fn len(&self) -> usize {
        self.offsets.len()
    }

    /// Sets the changed lines: one `set_values` ioctl per request holding a changed
    /// LED, carrying every line of that request.
    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), GpioLinesError> {
        for &i in frame.changed {
            let chunk = &mut self.chunks[i / self.per_request];
            chunk.values.set(self.offsets[i], Value::from(frame.pixels[i]));
            chunk.dirty = true;
        }
        for chunk in &mut self.chunks {
            if chunk.dirty {
                self.writes += 1;
                chunk.request.set_values(&chunk.values).map_err(|source| {
                    write_error(&self.chip, &self.offsets[chunk.leds.clone()], source)
                })?;
                chunk.dirty = false;
            }
        }
        Ok(())
    }

    /// Every line off now: one ioctl per request, even for lines already off; tries
    /// every request and returns the first error.
    fn clear(&mut self) -> Result<(), GpioLinesError> {
        self.all_off()
    }
}
impl Drop for GpioLines {
    fn drop(&mut self) {
        // Nothing can report an error from here; `release` does.
        let _ = self.all_off();
    }
}

impl fmt::Debug for GpioLines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GpioLines")
            .field("chip", &self.chip)
            .field("consumer", &self.consumer)
            .field("offsets", &self.offsets)
            .field("requests", &self.chunks.len())
            .field("writes", &self.writes)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init, reason = "a list of one request is meant")]
    fn lines_are_split_into_requests_of_at_most_64() {
        let ranges = |len, per| request_ranges(len, per).collect::<Vec<_>>();
        assert_eq!(ranges(3, 64), [0..3]);
        assert_eq!(ranges(64, 64), [0..64]);
        assert_eq!(ranges(65, 64), [0..64, 64..65]);
        assert_eq!(ranges(130, 64), [0..64, 64..128, 128..130]);
        assert_eq!(ranges(10, 4), [0..4, 4..8, 8..10]);
        // `write` finds an LED's request by division: it must agree with the ranges.
        for (k, range) in request_ranges(200, 64).enumerate() {
            assert!(range.len() <= GpioLines::MAX_LINES_PER_REQUEST);
            assert!(range.clone().all(|i| i / 64 == k));
        }
    }
}
