//! GPIO input lines through the Linux GPIO character device (uAPI v2, via `gpiocdev`).
//!
//! [`GpioInput`] (the line request and its reader thread) is here, its
//! [`GpioInputBuilder`] in `builder.rs`, and [`GpioInputError`] in `error.rs`.

mod builder;
mod error;

use core::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use gpiocdev::line::{EdgeKind as Kernel, Value};
use gpiocdev::request::Request;

pub use builder::{Bias, Edges, GpioInputBuilder, LineSettings};
pub use error::GpioInputError;

use super::{Edge, EdgeKind, Input, Subscription};
use crate::Instant;

/// A GPIO line read as an input (a button): its kernel edge events become [`Edge`]s of
/// an [`Input`]. Made by [`GpioInput::builder`].
///
/// It owns the line request and a reader thread that blocks on the line's edge events
/// and pushes each one, with the kernel's timestamp (`CLOCK_MONOTONIC`, the timeline of
/// a [`SystemClock`](crate::SystemClock)), into its [`Input`]; a driver waiting for a
/// press on that input is woken at once. A rising edge (the line becoming *active*,
/// honouring [`active_low`](GpioInputBuilder::active_low)) is a
/// [`Press`](EdgeKind::Press), a falling edge a [`Release`](EdgeKind::Release).
///
/// Dropping it stops the thread (within [`GpioInput::POLL`]), releases the line and
/// [closes](Input::close) the input.
///
/// # Examples
///
/// A button from GPIO 4 to ground, with the Pi's pull-up: pressed is low.
///
/// ```no_run
/// use blinken::input::{Bias, GpioInput};
/// use blinken::output::GpioLines;
/// use blinken::prelude::*;
///
/// let button = GpioInput::builder("/dev/gpiochip0", 4)
///     .bias(Bias::PullUp)
///     .active_low(true)
///     .debounce(ms(10))
///     .request()?;
/// let leds = GpioLines::new("/dev/gpiochip0", [17, 27])?;
/// // Blink LED 0 until the button is pressed, then LED 1 until the next press.
/// let program = until(button.input(), blink(0, ms(200))).then(until(button.input(), on(1)));
/// let mut driver = Driver::new(leds, SystemClock::new());
/// driver.run(&program)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Several lines
///
/// [`GpioInput::lines`] requests several lines (several buttons) in one kernel
/// request, read by one thread: each edge event carries the offset of its line and
/// goes to that line's [`Input`] ([`GpioInput::input_of`]), in the kernel's order.
/// The methods without an offset ([`input`](Self::input), [`edges`](Self::edges),
/// [`is_active`](Self::is_active), [`offset`](Self::offset)) are about the first line.
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
pub struct GpioInput {
    chip: PathBuf,
    consumer: String,
    /// The lines in the order given, each with its input.
    lines: Arc<[(u32, Input)]>,
    request: Arc<Request>,
    stop: Arc<AtomicBool>,
    failed: Arc<Mutex<Option<GpioInputError>>>,
    thread: Option<JoinHandle<()>>,
}

impl GpioInput {
    /// The consumer name the kernel shows for the line unless told otherwise.
    pub const DEFAULT_CONSUMER: &'static str = "blinken";

    /// How often the reader thread looks whether it should stop: the longest a drop
    /// waits for it.
    pub const POLL: Duration = Duration::from_millis(20);

    /// The first line's edges, as an [`Input`] that programs wait for
    /// ([`press`](crate::press), [`until`](crate::until), [`presses`](crate::presses));
    /// clone it to keep it.
    pub fn input(&self) -> &Input {
        &self.lines[0].1
    }

    /// The edges of line `offset`, or `None` if it is not one of this input's lines.
    ///
    /// ```no_run
    /// use blinken::input::GpioInput;
    ///
    /// let buttons = GpioInput::lines("/dev/gpiochip0", [5, 6]).request()?;
    /// assert!(buttons.input_of(6).is_some());
    /// assert!(buttons.input_of(7).is_none());
    /// # Ok::<(), blinken::input::GpioInputError>(())
    /// ```
    pub fn input_of(&self, offset: u32) -> Option<&Input> {
        self.lines.iter().find(|(o, _)| *o == offset).map(|(_, input)| input)
    }

    /// Every line with its input, in the order given to the builder.
    pub fn inputs(&self) -> impl Iterator<Item = (u32, &Input)> {
        self.lines.iter().map(|(offset, input)| (*offset, input))
    }

    /// The first line's edges from now on, as a blocking [`Iterator`] and a
    /// [`Stream`](futures::Stream); they end when this `GpioInput` is dropped or its
    /// reader fails. Short for `self.input().subscribe()`.
    pub fn edges(&self) -> Subscription {
        self.input().subscribe()
    }

    /// Whether the first line is active now (a button held), as the kernel reads it.
    ///
    /// # Errors
    ///
    /// [`GpioInputError::Read`] if the kernel cannot read the line.
    pub fn is_active(&self) -> Result<bool, GpioInputError> {
        self.is_line_active(self.offset())
    }

    /// Whether line `offset` is active now, as the kernel reads it.
    ///
    /// # Errors
    ///
    /// [`GpioInputError::NotRequested`] if it is not one of this input's lines;
    /// [`GpioInputError::Read`] if the kernel cannot read it.
    pub fn is_line_active(&self, offset: u32) -> Result<bool, GpioInputError> {
        if self.input_of(offset).is_none() {
            let (chip, offsets) = (self.chip.clone(), self.offsets());
            return Err(GpioInputError::NotRequested { chip, offset, offsets });
        }
        match self.request.value(offset) {
            Ok(value) => Ok(value == Value::Active),
            Err(source) => {
                Err(GpioInputError::Read { chip: self.chip.clone(), offsets: vec![offset], source })
            }
        }
    }

    /// Why the reader thread stopped early, if it did (taken once); the inputs are
    /// then closed.
    pub fn take_error(&self) -> Option<GpioInputError> {
        self.failed.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// The chip's path.
    pub fn chip(&self) -> &Path {
        &self.chip
    }

    /// The first line's offset on the chip.
    pub fn offset(&self) -> u32 {
        self.lines[0].0
    }

    /// Every line's offset, in the order given to the builder.
    pub fn offsets(&self) -> Vec<u32> {
        self.lines.iter().map(|&(offset, _)| offset).collect()
    }

    /// The consumer name the kernel shows for the lines.
    pub fn consumer(&self) -> &str {
        &self.consumer
    }

    /// Starts the reader thread over a granted request for `offsets` (not empty).
    pub(super) fn start(
        chip: PathBuf,
        offsets: Vec<u32>,
        consumer: String,
        request: Request,
    ) -> Result<GpioInput, GpioInputError> {
        let lines: Arc<[(u32, Input)]> =
            offsets.iter().map(|&offset| (offset, Input::new())).collect();
        let request = Arc::new(request);
        let stop = Arc::new(AtomicBool::new(false));
        let failed = Arc::new(Mutex::new(None));
        let reader = Reader {
            request: Arc::clone(&request),
            lines: Arc::clone(&lines),
            stop: Arc::clone(&stop),
            failed: Arc::clone(&failed),
            chip: chip.clone(),
        };
        let thread = std::thread::Builder::new()
            .name(format!("blinken-input-{}", offsets[0]))
            .spawn(move || reader.run())
            .map_err(|source| GpioInputError::Spawn { chip: chip.clone(), offsets, source })?;
        Ok(GpioInput { chip, consumer, lines, request, stop, failed, thread: Some(thread) })
    }
}

impl Drop for GpioInput {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            // The reader looks at the flag at least every `POLL`; it never panics
            // (a panic would only be reported by `join`).
            let _ = thread.join();
        }
        for (_, input) in self.lines.iter() {
            input.close();
        }
    }
}

impl fmt::Debug for GpioInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GpioInput")
            .field("chip", &self.chip)
            .field("lines", &self.lines)
            .field("consumer", &self.consumer)
            .finish_non_exhaustive()
    }
}

/// The reader thread's side.
struct Reader {
    request: Arc<Request>,
    lines: Arc<[(u32, Input)]>,
    stop: Arc<AtomicBool>,
    failed: Arc<Mutex<Option<GpioInputError>>>,
    chip: PathBuf,
}

impl Reader {
    fn run(self) {
        if let Err(source) = self.read() {
            let offsets = self.lines.iter().map(|&(offset, _)| offset).collect();
            let error = GpioInputError::Read { chip: self.chip.clone(), offsets, source };
            *self.failed.lock().unwrap_or_else(PoisonError::into_inner) = Some(error);
        }
        for (_, input) in self.lines.iter() {
            input.close();
        }
    }

    fn read(&self) -> Result<(), gpiocdev::Error> {
        while !self.stop.load(Ordering::Acquire) {
            if !self.request.wait_edge_event(GpioInput::POLL)? {
                continue;
            }
            let event = self.request.read_edge_event()?;
            let kind = match event.kind {
                Kernel::Rising => EdgeKind::Press,
                Kernel::Falling => EdgeKind::Release,
            };
            // The kernel tags each event with its line; the request holds only ours.
            if let Some((_, input)) = self.lines.iter().find(|(o, _)| *o == event.offset) {
                input.push(Edge { at: Instant::from_nanos(event.timestamp_ns), kind });
            }
        }
        Ok(())
    }
}
