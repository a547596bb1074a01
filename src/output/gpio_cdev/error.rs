//! Why GPIO lines could not be requested or written, and how kernel errors map onto it.

use std::path::{Path, PathBuf};

use gpiocdev::Chip;
use gpiocdev::line::Offset;

use super::GpioLines;
#[cfg(doc)]
use super::GpioLinesBuilder;
use crate::gpio_error::{
    self, busy_message, denied_message, missing_message, not_a_chip_message, out_of_range_message,
};

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
    #[error("{}", missing_message(chip))]
    ChipMissing {
        /// The chip path that was given.
        chip: PathBuf,
        /// The error from opening it.
        #[source]
        source: gpiocdev::Error,
    },
    /// The chip exists but this user may not open it.
    #[error("{}", denied_message(chip))]
    PermissionDenied {
        /// The chip path that was given.
        chip: PathBuf,
        /// The error from opening it.
        #[source]
        source: gpiocdev::Error,
    },
    /// The path is not a GPIO character device.
    #[error("{}", not_a_chip_message(chip))]
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
    #[error("{}", out_of_range_message(chip, *offset, *lines))]
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
    #[error("{}", busy_message(chip, *offset, consumer.as_deref()))]
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

crate::gpio_error::impl_chip_errors!(GpioLinesError);

/// A refused line request for the lines `group` (one request's): busy, or refused.
pub(super) fn request_error(
    chip: &Chip,
    path: &Path,
    group: &[Offset],
    source: gpiocdev::Error,
) -> GpioLinesError {
    gpio_error::request_error(chip, path, group, source, |chip, source| GpioLinesError::Request {
        chip,
        offsets: group.to_vec(),
        source,
    })
}

/// A refused `set_values` for the lines `offsets` (one request's).
pub(super) fn write_error(
    chip: &Path,
    offsets: &[Offset],
    source: gpiocdev::Error,
) -> GpioLinesError {
    GpioLinesError::Write { chip: chip.to_path_buf(), offsets: offsets.to_vec(), source }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;
    use crate::gpio_error::open_error;

    #[test]
    fn open_errors_say_what_to_do() {
        let os = |errno| gpiocdev::Error::from(io::Error::from_raw_os_error(errno));
        let chip = Path::new("/dev/gpiochip0");
        let open = |errno| open_error::<GpioLinesError>(chip, os(errno));
        assert!(matches!(open(2), GpioLinesError::ChipMissing { .. }));
        assert_eq!(
            open(2).to_string(),
            "/dev/gpiochip0 does not exist — is this a Raspberry Pi? is the device mapped into \
             the container? (`ls /dev/gpiochip*` lists the chips)"
        );
        let denied = open(13);
        assert!(matches!(denied, GpioLinesError::PermissionDenied { .. }));
        assert!(denied.to_string().contains("add your user to the `gpio` group"));
        assert!(matches!(open(5), GpioLinesError::Open { .. }));
        // The lower error is kept.
        assert!(std::error::Error::source(&denied).is_some());
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
