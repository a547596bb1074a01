//! GPIO lines through the Linux GPIO character device (uAPI v2, via `gpiocdev`).

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use gpiocdev::line::{Offset, Value, Values};
use gpiocdev::{Chip, Request};

use super::{Frame, Output};

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
/// (or [`GpioLines::all_off`]) to see it.
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

/// Configures and requests [`GpioLines`]; made by [`GpioLines::builder`].
///
/// Every method can be chained; a mistake (a duplicate line, a bad setting) is kept and
/// returned by [`GpioLinesBuilder::request`], the final call.
///
/// # Examples
///
/// ```no_run
/// use blinken::output::GpioLines;
///
/// // LEDs wired from 3.3 V to the pins light when the line is low: active low.
/// let lines = GpioLines::builder("gpiochip0")
///     .line(17)
///     .lines([27, 22])
///     .active_low(true)
///     .request()?;
/// assert_eq!(lines.offsets(), &[17, 27, 22]);
/// # Ok::<(), blinken::output::GpioLinesError>(())
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `.request()` is called"]
pub struct GpioLinesBuilder {
    chip: PathBuf,
    consumer: String,
    offsets: Vec<Offset>,
    per_request: usize,
    active_low: bool,
    error: Option<GpioLinesError>,
}

/// Why [`GpioLines`] could not be requested or written.
///
/// Each message names the chip and line and says what to do; the lower `gpiocdev`
/// error, where there is one, is the [`source`](std::error::Error::source).
///
/// # Examples
///
/// ```
/// use blinken::output::{GpioLines, GpioLinesError};
///
/// let err = GpioLines::builder("/dev/gpiochip0").lines([3, 5, 3]).request().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "line offset 3 on /dev/gpiochip0 is listed twice (LEDs 0 and 2); give each LED its own line"
/// );
/// assert!(matches!(err, GpioLinesError::DuplicateOffset { offset: 3, .. }));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum GpioLinesError {
    /// The chip's device file does not exist.
    #[error(
        "{} does not exist — is this a Raspberry Pi? is the device mapped into the container? \
         (`ls /dev/gpiochip*` lists the chips)",
        chip.display()
    )]
    ChipMissing {
        /// The chip path that was given.
        chip: PathBuf,
        /// The error from opening it.
        #[source]
        source: gpiocdev::Error,
    },
    /// The chip exists but this user may not open it.
    #[error(
        "permission denied opening {}: add your user to the `gpio` group \
         (`sudo usermod -aG gpio $USER`, then log in again) or run as root",
        chip.display()
    )]
    PermissionDenied {
        /// The chip path that was given.
        chip: PathBuf,
        /// The error from opening it.
        #[source]
        source: gpiocdev::Error,
    },
    /// The path is not a GPIO character device.
    #[error(
        "{} is not a GPIO chip; give a GPIO character device such as /dev/gpiochip0 \
         (or its name, gpiochip0)",
        chip.display()
    )]
    NotAChip {
        /// The chip path that was given.
        chip: PathBuf,
        /// The error from opening it.
        #[source]
        source: gpiocdev::Error,
    },
    /// The chip could not be opened or queried for another reason.
    #[error("could not open GPIO chip {}", chip.display())]
    Open {
        /// The chip path that was given.
        chip: PathBuf,
        /// The error from the kernel.
        #[source]
        source: gpiocdev::Error,
    },
    /// No line offsets were given.
    #[error("no line offsets given for {}; list one line offset per LED", chip.display())]
    NoLines {
        /// The chip path that was given.
        chip: PathBuf,
    },
    /// A line offset is not below the chip's number of lines.
    #[error("line offset {offset} is not on {} (it has {lines} lines)", chip.display())]
    OffsetOutOfRange {
        /// The chip path that was given.
        chip: PathBuf,
        /// The offending offset.
        offset: u32,
        /// How many lines the chip has.
        lines: u32,
    },
    /// The same line offset was given for two LEDs.
    #[error(
        "line offset {offset} on {} is listed twice (LEDs {first} and {second}); \
         give each LED its own line",
        chip.display()
    )]
    DuplicateOffset {
        /// The chip path that was given.
        chip: PathBuf,
        /// The offset given twice.
        offset: u32,
        /// The first LED on that line.
        first: usize,
        /// The second LED on that line.
        second: usize,
    },
    /// A line is held by another consumer (a program, or a kernel driver).
    #[error(
        "line {offset} on {} is busy: held by {}; stop that program or pick another line \
         (`gpioinfo` shows who holds each line)",
        chip.display(),
        holder(consumer.as_deref())
    )]
    LineBusy {
        /// The chip path that was given.
        chip: PathBuf,
        /// The busy line.
        offset: u32,
        /// Who holds it, as the kernel's line info says (`None` if it gave no name).
        consumer: Option<String>,
        /// The error from the line request.
        #[source]
        source: gpiocdev::Error,
    },
    /// The kernel refused the line request for another reason.
    #[error("could not request lines {offsets:?} on {} as outputs", chip.display())]
    Request {
        /// The chip path that was given.
        chip: PathBuf,
        /// The lines of the refused request.
        offsets: Vec<u32>,
        /// The error from the kernel.
        #[source]
        source: gpiocdev::Error,
    },
    /// [`GpioLinesBuilder::lines_per_request`] outside `1..=64`.
    #[error(
        "{lines_per_request} lines per request is not possible; the kernel takes 1 to {} \
         lines in one request",
        GpioLines::MAX_LINES_PER_REQUEST
    )]
    LinesPerRequest {
        /// The value given.
        lines_per_request: usize,
    },
    /// An empty consumer name.
    #[error(
        "the consumer name is empty; give a name that tells who holds the lines \
         (the default is \"blinken\")"
    )]
    EmptyConsumer,
    /// Setting the line values failed (for instance, the chip was removed).
    #[error("could not set lines {offsets:?} on {}", chip.display())]
    Write {
        /// The chip path that was given.
        chip: PathBuf,
        /// The lines of the request that failed.
        offsets: Vec<u32>,
        /// The error from the kernel.
        #[source]
        source: gpiocdev::Error,
    },
}

fn holder(consumer: Option<&str>) -> String {
    match consumer {
        Some(name) => format!("{name:?}"),
        None => "a consumer that gave no name".to_owned(),
    }
}

impl GpioLines {
    /// The most lines one kernel line request can hold (`GPIO_V2_LINES_MAX`).
    pub const MAX_LINES_PER_REQUEST: usize = 64;

    /// The consumer name the lines are requested under unless
    /// [`GpioLinesBuilder::consumer`] sets another.
    pub const DEFAULT_CONSUMER: &'static str = "blinken";

    /// Starts configuring lines on `chip`: a path (`/dev/gpiochip0`) or a chip name
    /// (`gpiochip0`, looked up in `/dev`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use blinken::output::GpioLines;
    ///
    /// let lines = GpioLines::builder("/dev/gpiochip0").lines([17, 27]).request()?;
    /// assert_eq!(lines.consumer(), "blinken");
    /// # Ok::<(), blinken::output::GpioLinesError>(())
    /// ```
    pub fn builder(chip: impl AsRef<Path>) -> GpioLinesBuilder {
        GpioLinesBuilder {
            chip: chip_path(chip.as_ref()),
            consumer: GpioLines::DEFAULT_CONSUMER.to_owned(),
            offsets: Vec::new(),
            per_request: GpioLines::MAX_LINES_PER_REQUEST,
            active_low: false,
            error: None,
        }
    }

    /// Requests `offsets` on `chip` with the defaults: LED `i` on line `offsets[i]`.
    /// Short for `GpioLines::builder(chip).lines(offsets).request()`.
    ///
    /// # Errors
    ///
    /// As [`GpioLinesBuilder::request`].
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use blinken::output::GpioLines;
    ///
    /// let lines = GpioLines::new("/dev/gpiochip0", [17, 27, 22])?;
    /// # Ok::<(), blinken::output::GpioLinesError>(())
    /// ```
    pub fn new(
        chip: impl AsRef<Path>,
        offsets: impl IntoIterator<Item = u32>,
    ) -> Result<GpioLines, GpioLinesError> {
        GpioLines::builder(chip).lines(offsets).request()
    }

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

    /// Switches every line off now: one ioctl per request, even for lines already off.
    ///
    /// Tries every request and returns the first error. The driver does not know about
    /// this write; use it when the program is over (or use [`Driver::clear`](crate::Driver::clear)
    /// while it plays).
    ///
    /// # Errors
    ///
    /// [`GpioLinesError::Write`] if the kernel refused to set a request's lines.
    pub fn all_off(&mut self) -> Result<(), GpioLinesError> {
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
                        result = Err(write_error(&self.chip, &self.offsets, chunk, source));
                    }
                }
            }
        }
        result
    }

    /// Switches every line off, then releases the lines (what dropping does, with the
    /// error reported).
    ///
    /// # Errors
    ///
    /// [`GpioLinesError::Write`] if switching off failed; the lines are released anyway.
    pub fn release(mut self) -> Result<(), GpioLinesError> {
        let result = self.all_off();
        self.chunks.clear();
        result
    }
}

impl GpioLinesBuilder {
    /// Adds one line: the next LED.
    pub fn line(mut self, offset: u32) -> GpioLinesBuilder {
        if let Some(first) = self.offsets.iter().position(|&o| o == offset) {
            let second = self.offsets.len();
            self.fail(GpioLinesError::DuplicateOffset {
                chip: self.chip.clone(),
                offset,
                first,
                second,
            });
        }
        self.offsets.push(offset);
        self
    }

    /// Adds lines: the next LEDs, in order.
    pub fn lines(self, offsets: impl IntoIterator<Item = u32>) -> GpioLinesBuilder {
        offsets.into_iter().fold(self, GpioLinesBuilder::line)
    }

    /// The consumer name the kernel shows for the lines (`gpioinfo`); `"blinken"` by
    /// default. The uAPI keeps at most 31 bytes of it.
    pub fn consumer(mut self, name: impl Into<String>) -> GpioLinesBuilder {
        let name = name.into();
        if name.is_empty() {
            self.fail(GpioLinesError::EmptyConsumer);
        } else {
            self.consumer = name;
        }
        self
    }

    /// Whether the lines are active low: an LED that is on drives its line low (LEDs
    /// wired from the supply to the pin). `false` by default.
    pub fn active_low(mut self, active_low: bool) -> GpioLinesBuilder {
        self.active_low = active_low;
        self
    }

    /// At most `n` lines per kernel request (`1..=64`, default 64). Fewer lines per
    /// request means more ioctls per frame; this is for drivers that take fewer lines
    /// at once, and for tests of the splitting.
    pub fn lines_per_request(mut self, n: usize) -> GpioLinesBuilder {
        if (1..=GpioLines::MAX_LINES_PER_REQUEST).contains(&n) {
            self.per_request = n;
        } else {
            self.fail(GpioLinesError::LinesPerRequest { lines_per_request: n });
        }
        self
    }

    /// Opens the chip, checks the lines and requests them as outputs, off.
    ///
    /// # Errors
    ///
    /// The first mistake made while building ([`GpioLinesError::DuplicateOffset`],
    /// [`GpioLinesError::LinesPerRequest`], [`GpioLinesError::EmptyConsumer`]); then
    /// [`GpioLinesError::NoLines`]; [`GpioLinesError::ChipMissing`],
    /// [`GpioLinesError::PermissionDenied`], [`GpioLinesError::NotAChip`] or
    /// [`GpioLinesError::Open`] if the chip cannot be opened;
    /// [`GpioLinesError::OffsetOutOfRange`]; [`GpioLinesError::LineBusy`] (naming who
    /// holds the line) or [`GpioLinesError::Request`] if the kernel refuses the lines.
    /// Nothing stays requested after an error.
    pub fn request(self) -> Result<GpioLines, GpioLinesError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let path = self.chip;
        if self.offsets.is_empty() {
            return Err(GpioLinesError::NoLines { chip: path });
        }
        let chip = Chip::from_path(&path).map_err(|source| open_error(&path, source))?;
        let lines = chip
            .info()
            .map_err(|source| GpioLinesError::Open { chip: path.clone(), source })?
            .num_lines;
        if let Some(&offset) = self.offsets.iter().find(|&&o| o >= lines) {
            return Err(GpioLinesError::OffsetOutOfRange { chip: path, offset, lines });
        }
        let mut chunks = Vec::with_capacity(self.offsets.len().div_ceil(self.per_request));
        for leds in request_ranges(self.offsets.len(), self.per_request) {
            let group = &self.offsets[leds.clone()];
            let mut builder = Request::builder();
            builder.on_chip(chip.path()).with_consumer(self.consumer.as_str());
            if self.active_low {
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
        Ok(GpioLines {
            chip: path,
            consumer: self.consumer,
            offsets: self.offsets,
            per_request: self.per_request,
            chunks,
            writes: 0,
        })
    }

    fn fail(&mut self, error: GpioLinesError) {
        self.error.get_or_insert(error);
    }
}

/// The LEDs of each kernel request, in index order: `0..per`, `per..2·per`, ...; LED
/// `i` is in request `i / per` (what [`GpioLines::write`](Output::write) relies on).
fn request_ranges(len: usize, per: usize) -> impl Iterator<Item = Range<usize>> {
    (0..len).step_by(per).map(move |start| start..len.min(start + per))
}

/// `gpiochip0` → `/dev/gpiochip0`; paths stay as they are.
fn chip_path(chip: &Path) -> PathBuf {
    let mut components = chip.components();
    match (components.next(), components.next()) {
        (Some(std::path::Component::Normal(name)), None) => Path::new("/dev").join(name),
        _ => chip.to_path_buf(),
    }
}

fn open_error(path: &Path, source: gpiocdev::Error) -> GpioLinesError {
    let chip = path.to_path_buf();
    match &source {
        gpiocdev::Error::Os(errno) => match io::Error::from_raw_os_error(errno.0).kind() {
            io::ErrorKind::NotFound => GpioLinesError::ChipMissing { chip, source },
            io::ErrorKind::PermissionDenied => GpioLinesError::PermissionDenied { chip, source },
            _ => GpioLinesError::Open { chip, source },
        },
        gpiocdev::Error::GpioChip(..) => GpioLinesError::NotAChip { chip, source },
        _ => GpioLinesError::Open { chip, source },
    }
}

/// The kernel answers a busy line with a bare `EBUSY`; its line info says who holds it.
fn request_error(
    chip: &Chip,
    path: &Path,
    group: &[Offset],
    source: gpiocdev::Error,
) -> GpioLinesError {
    let busy =
        group.iter().find_map(|&offset| chip.line_info(offset).ok().filter(|info| info.used));
    match busy {
        Some(info) => GpioLinesError::LineBusy {
            chip: path.to_path_buf(),
            offset: info.offset,
            consumer: Some(info.consumer).filter(|c| !c.is_empty()),
            source,
        },
        None => {
            GpioLinesError::Request { chip: path.to_path_buf(), offsets: group.to_vec(), source }
        }
    }
}

fn write_error(
    chip: &Path,
    offsets: &[Offset],
    chunk: &Chunk,
    source: gpiocdev::Error,
) -> GpioLinesError {
    GpioLinesError::Write {
        chip: chip.to_path_buf(),
        offsets: offsets[chunk.leds.clone()].to_vec(),
        source,
    }
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
                chunk
                    .request
                    .set_values(&chunk.values)
                    .map_err(|source| write_error(&self.chip, &self.offsets, chunk, source))?;
                chunk.dirty = false;
            }
        }
        Ok(())
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
    fn chip_names_resolve_to_dev() {
        assert_eq!(chip_path(Path::new("gpiochip3")), Path::new("/dev/gpiochip3"));
        assert_eq!(chip_path(Path::new("/dev/gpiochip0")), Path::new("/dev/gpiochip0"));
        assert_eq!(chip_path(Path::new("./gpiochip0")), Path::new("./gpiochip0"));
    }

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

    #[test]
    fn open_errors_say_what_to_do() {
        let os = |errno| gpiocdev::Error::from(io::Error::from_raw_os_error(errno));
        let chip = Path::new("/dev/gpiochip0");
        assert!(matches!(open_error(chip, os(2)), GpioLinesError::ChipMissing { .. }));
        assert_eq!(
            open_error(chip, os(2)).to_string(),
            "/dev/gpiochip0 does not exist — is this a Raspberry Pi? is the device mapped into \
             the container? (`ls /dev/gpiochip*` lists the chips)"
        );
        let denied = open_error(chip, os(13));
        assert!(matches!(denied, GpioLinesError::PermissionDenied { .. }));
        assert!(denied.to_string().contains("add your user to the `gpio` group"));
        assert!(matches!(open_error(chip, os(5)), GpioLinesError::Open { .. }));
        // The lower error is kept.
        assert!(std::error::Error::source(&denied).is_some());
    }

    #[test]
    fn builder_keeps_the_first_error() {
        let err = GpioLines::builder("gpiochip0")
            .lines([1, 2, 1])
            .lines_per_request(0)
            .consumer("")
            .request()
            .unwrap_err();
        assert!(matches!(
            err,
            GpioLinesError::DuplicateOffset { offset: 1, first: 0, second: 2, .. }
        ));
    }

    #[test]
    fn lines_per_request_is_checked() {
        for n in [0, 65] {
            let err =
                GpioLines::builder("gpiochip0").lines_per_request(n).line(1).request().unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "{n} lines per request is not possible; the kernel takes 1 to 64 lines in one request"
                )
            );
        }
    }

    #[test]
    fn no_lines_is_an_error() {
        let err = GpioLines::builder("/dev/gpiochip0").request().unwrap_err();
        assert_eq!(
            err.to_string(),
            "no line offsets given for /dev/gpiochip0; list one line offset per LED"
        );
    }

    #[test]
    fn empty_consumer_is_an_error() {
        let err = GpioLines::builder("/dev/gpiochip0").consumer("").line(0).request().unwrap_err();
        assert!(matches!(err, GpioLinesError::EmptyConsumer));
    }

    #[test]
    fn busy_message_names_the_holder() {
        let busy = |consumer: Option<&str>| GpioLinesError::LineBusy {
            chip: "/dev/gpiochip0".into(),
            offset: 4,
            consumer: consumer.map(str::to_owned),
            source: gpiocdev::Error::InvalidArgument("busy".into()),
        };
        assert_eq!(
            busy(Some("other")).to_string(),
            "line 4 on /dev/gpiochip0 is busy: held by \"other\"; stop that program or pick \
             another line (`gpioinfo` shows who holds each line)"
        );
        assert!(busy(None).to_string().contains("held by a consumer that gave no name"));
    }
}
