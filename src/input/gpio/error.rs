//! Why a GPIO input line could not be requested or read.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use gpiocdev::Chip;

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
        /// The error from opening or querying it.
        #[source]
        source: gpiocdev::Error,
    },
    /// The line offset is not below the chip's number of lines.
    #[error("line offset {offset} is not on {} (it has {lines} lines)", chip.display())]
    OffsetOutOfRange {
        /// The chip path that was given.
        chip: PathBuf,
        /// The offending offset.
        offset: u32,
        /// How many lines the chip has.
        lines: u32,
    },
    /// The line is held by another consumer (a program, or a kernel driver).
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
    /// The kernel refused the request for another reason (for instance a chip that
    /// cannot detect edges or set the bias).
    #[error(
        "could not request line {offset} on {} as an input with edge detection",
        chip.display()
    )]
    Request {
        /// The chip path that was given.
        chip: PathBuf,
        /// The line.
        offset: u32,
        /// The error from the kernel.
        #[source]
        source: gpiocdev::Error,
    },
    /// A debounce period the uAPI cannot express (it counts whole microseconds in 32
    /// bits: at most about 71 minutes).
    #[error(
        "a debounce period of {debounce:?} is too long; the kernel takes at most {max:?} \
         (a button needs 5 to 50 ms)",
        max = Duration::from_micros(u32::MAX.into())
    )]
    DebounceTooLong {
        /// The period given.
        debounce: Duration,
    },
    /// An empty consumer name.
    #[error(
        "the consumer name is empty; give a name that tells who holds the line \
         (the default is \"blinken\")"
    )]
    EmptyConsumer,
    /// The reader thread could not be started.
    #[error("could not start the thread that reads line {offset} on {}", chip.display())]
    Spawn {
        /// The chip path that was given.
        chip: PathBuf,
        /// The line.
        offset: u32,
        /// The error from the system.
        #[source]
        source: io::Error,
    },
    /// Reading the line (its edge events or its value) failed, for instance because
    /// the chip was removed.
    #[error("could not read line {offset} on {}", chip.display())]
    Read {
        /// The chip path that was given.
        chip: PathBuf,
        /// The line.
        offset: u32,
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

/// Sorts an error from opening the chip: missing, not allowed, not a chip, other.
pub(super) fn open_error(path: &Path, source: gpiocdev::Error) -> GpioInputError {
    let chip = path.to_path_buf();
    match &source {
        gpiocdev::Error::Os(errno) => match io::Error::from_raw_os_error(errno.0).kind() {
            io::ErrorKind::NotFound => GpioInputError::ChipMissing { chip, source },
            io::ErrorKind::PermissionDenied => GpioInputError::PermissionDenied { chip, source },
            _ => GpioInputError::Open { chip, source },
        },
        gpiocdev::Error::GpioChip(..) => GpioInputError::NotAChip { chip, source },
        _ => GpioInputError::Open { chip, source },
    }
}

/// The kernel answers a busy line with a bare `EBUSY`; its line info says who holds it.
pub(super) fn request_error(
    chip: &Chip,
    path: &Path,
    offset: u32,
    source: gpiocdev::Error,
) -> GpioInputError {
    match chip.line_info(offset) {
        Ok(info) if info.used => GpioInputError::LineBusy {
            chip: path.to_path_buf(),
            offset,
            consumer: Some(info.consumer).filter(|c| !c.is_empty()),
            source,
        },
        _ => GpioInputError::Request { chip: path.to_path_buf(), offset, source },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_errors_say_what_to_do() {
        let os = |errno| gpiocdev::Error::from(io::Error::from_raw_os_error(errno));
        let chip = Path::new("/dev/gpiochip0");
        assert!(matches!(open_error(chip, os(2)), GpioInputError::ChipMissing { .. }));
        let denied = open_error(chip, os(13));
        assert!(matches!(denied, GpioInputError::PermissionDenied { .. }));
        assert!(denied.to_string().contains("add your user to the `gpio` group"));
        assert!(matches!(open_error(chip, os(5)), GpioInputError::Open { .. }));
        assert!(std::error::Error::source(&denied).is_some());
    }

    #[test]
    fn debounce_message_names_the_limit() {
        let err = GpioInputError::DebounceTooLong { debounce: Duration::from_secs(5000) };
        assert_eq!(
            err.to_string(),
            "a debounce period of 5000s is too long; the kernel takes at most 4294.967295s \
             (a button needs 5 to 50 ms)"
        );
    }
}
