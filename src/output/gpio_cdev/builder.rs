//! Configuring and requesting [`GpioLines`].

use std::path::{Path, PathBuf};

use gpiocdev::line::Offset;

use super::{GpioLines, GpioLinesError};
use crate::gpio_error::chip_path;

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

impl GpioLines {
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
        GpioLines::open(self.chip, self.consumer, self.offsets, self.per_request, self.active_low)
    }

    fn fail(&mut self, error: GpioLinesError) {
        self.error.get_or_insert(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
