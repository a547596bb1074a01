//! Why a GPIO input line could not be requested or read.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use gpiocdev::Chip;

use crate::gpio_error::{
    self, busy_message, denied_message, missing_message, not_a_chip_message, out_of_range_message,
};

/// Why a [`GpioInput`](super::GpioInput) could not be requested or read.
///
/// Each message names the chip and line and says what to do; the lower `gpiocdev`
/// error, where there is one, is the [`source`](std::error::Error::source).
///
/// # Examples
///
/// ```
/// use blinken::input::{GpioInput, GpioInputError};
///
/// let err = GpioInput::builder("/dev/gpiochip0", 4).consumer("").request().unwrap_err();
/// assert!(matches!(err, GpioInputError::EmptyConsumer));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GpioInputError {
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
        /// The error from opening or querying it.
        #[source]
        source: gpiocdev::Error,
    },
    /// No line offsets were given ([`GpioInput::lines`](super::GpioInput::lines) with
    /// an empty list).
    #[error("no line offsets given for {}; list the line of each button", chip.display())]
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
    /// The same line was added twice with
    /// [`GpioInputBuilder::line`](super::GpioInputBuilder::line).
    #[error(
        "line offset {offset} on {} is listed twice; give each button its own line \
         (`line_with` changes the settings of a line already listed)",
        chip.display()
    )]
    DuplicateOffset {
        /// The chip path that was given.
        chip: PathBuf,
        /// The offset given twice.
        offset: u32,
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
    /// The kernel refused the request for another reason (for instance a chip that
    /// cannot detect edges or set the bias, or more different line settings than one
    /// request can carry).
    #[error(
        "could not request lines {offsets:?} on {} as inputs with edge detection",
        chip.display()
    )]
    Request {
        /// The chip path that was given.
        chip: PathBuf,
        /// The lines of the refused request.
        offsets: Vec<u32>,
        /// The error from the kernel.
        #[source]
        source: gpiocdev::Error,
    },
    /// A debounce period the uAPI cannot express (it counts whole microseconds in 32
    /// bits: at most about 71 minutes).
    #[error(
        "a debounce period of {debounce:?}{} is too long; the kernel takes at most {max:?} \
         (a button needs 5 to 50 ms)",
        for_line(*line),
        max = Duration::from_micros(u32::MAX.into())
    )]
    DebounceTooLong {
        /// The period given.
        debounce: Duration,
        /// The line it was given for (`None`: for every line).
        line: Option<u32>,
    },
    /// An empty consumer name.
    #[error(
        "the consumer name is empty; give a name that tells who holds the line \
         (the default is \"blinken\")"
    )]
    EmptyConsumer,
    /// A line that is not part of this input was asked for.
    #[error(
        "line {offset} on {} is not one of this input's lines {offsets:?}; add it to the builder",
        chip.display()
    )]
    NotRequested {
        /// The chip path that was given.
        chip: PathBuf,
        /// The line asked for.
        offset: u32,
        /// The lines this input holds.
        offsets: Vec<u32>,
    },
    /// The reader thread could not be started.
    #[error("could not start the thread that reads lines {offsets:?} on {}", chip.display())]
    Spawn {
        /// The chip path that was given.
        chip: PathBuf,
        /// The lines.
        offsets: Vec<u32>,
        /// The error from the system.
        #[source]
        source: io::Error,
    },
    /// Reading the lines (their edge events, or a line's value) failed, for instance
    /// because the chip was removed.
    #[error("could not read lines {offsets:?} on {}", chip.display())]
    Read {
        /// The chip path that was given.
        chip: PathBuf,
        /// The lines read: all of the request's for its edge events, one for a value.
        offsets: Vec<u32>,
        /// The error from the kernel.
        #[source]
        source: gpiocdev::Error,
    },
}

/// `" for line 5"`, or nothing.
fn for_line(line: Option<u32>) -> String {
    line.map(|offset| format!(" for line {offset}")).unwrap_or_default()
}

crate::gpio_error::impl_chip_errors!(GpioInputError);

/// A refused line request for `offsets`: busy, or refused.
pub(super) fn request_error(
    chip: &Chip,
    path: &Path,
    offsets: &[u32],
    source: gpiocdev::Error,
) -> GpioInputError {
    gpio_error::request_error(chip, path, offsets, source, |chip, source| GpioInputError::Request {
        chip,
        offsets: offsets.to_vec(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpio_error::open_error;

    #[test]
    fn open_errors_say_what_to_do() {
        let os = |errno| gpiocdev::Error::from(io::Error::from_raw_os_error(errno));
        let chip = Path::new("/dev/gpiochip0");
        let open = |errno| open_error::<GpioInputError>(chip, os(errno));
        assert!(matches!(open(2), GpioInputError::ChipMissing { .. }));
        let denied = open(13);
        assert!(matches!(denied, GpioInputError::PermissionDenied { .. }));
        assert!(denied.to_string().contains("add your user to the `gpio` group"));
        assert!(matches!(open(5), GpioInputError::Open { .. }));
        assert!(std::error::Error::source(&denied).is_some());
    }

    #[test]
    fn debounce_message_names_the_limit_and_the_line() {
        let err =
            GpioInputError::DebounceTooLong { debounce: Duration::from_secs(5000), line: None };
        assert_eq!(
            err.to_string(),
            "a debounce period of 5000s is too long; the kernel takes at most 4294.967295s \
             (a button needs 5 to 50 ms)"
        );
        let err =
            GpioInputError::DebounceTooLong { debounce: Duration::from_secs(5000), line: Some(6) };
        assert!(err.to_string().starts_with("a debounce period of 5000s for line 6 is too long"));
    }
}
